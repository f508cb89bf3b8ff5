#!/usr/bin/env bash
# Checks that a built tiedotin carries the Swift runtime and Foundation inside it (make install
# builds with --static-swift-stdlib): a binary that loads them from the toolchain's folder stops
# starting when that toolchain is upgraded or removed, since Swift on Linux has no stable ABI.
set -euo pipefail
binary="$1"
if ! libraries=$(ldd "$binary" 2>&1); then
    echo "check-runtime: ldd cannot read $binary: $libraries" >&2
    exit 1
fi
from_toolchain=$(grep -E 'libswift|libFoundation|lib_FoundationICU|libdispatch|libBlocksRuntime' <<< "$libraries" || true)
if [ -n "$from_toolchain" ]; then
    echo "check-runtime: $binary loads the Swift runtime from the toolchain:" >&2
    echo "$from_toolchain" >&2
    echo "check-runtime: build it with --static-swift-stdlib (make install does), or it breaks when the toolchain changes" >&2
    exit 1
fi
missing=$(grep 'not found' <<< "$libraries" || true)
if [ -n "$missing" ]; then
    echo "check-runtime: $binary needs libraries this machine lacks:" >&2
    echo "$missing" >&2
    exit 1
fi
