#!/usr/bin/env bash
# Installs what building and testing tiedotin needs, when it is missing:
# Debian packages (libcurl, cmark, SQLite headers, pkg-config, openssl, Python venv, and the curl
# command the test SMTP server's self-tests use as a client; systemd for systemd-analyze and
# python3-seccomp, with which the service tests run the binary under the unit's system-call
# filter; util-linux and iproute2 for setpriv, unshare and ip) and a project-local Python
# virtual environment (.venv) with aiosmtpd for the test SMTP server, icalendar to judge the
# calendars we write, and python-dateutil to judge the recurrence rules we expand.
# Safe to run again; it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcurl4-openssl-dev libcmark-dev libsqlite3-dev pkg-config openssl python3-venv ca-certificates curl
    systemd python3-seccomp util-linux iproute2)
if [ "${WITH_BENCH:-0}" = 1 ]; then packages+=(postfix); fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    as_root=()
    if [ "$(id -u)" != 0 ]; then as_root=(sudo); fi
    # Postfix comes only for smtp-source and smtp-sink: keep apt from starting its daemon.
    made_policy=0
    if [[ " ${missing[*]} " == *" postfix "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${as_root[@]}" chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    if [ "$made_policy" = 1 ]; then "${as_root[@]}" rm -f /usr/sbin/policy-rc.d; fi
fi

# pyenv's python3 or Debian's: either makes a venv; Debian's refuses pip outside one (PEP 668).
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import aiosmtpd, icalendar, dateutil' 2>/dev/null; then
    echo "setup: preparing .venv with aiosmtpd"
    rm -rf .venv
    python=python3
    if ! $python -m venv --help >/dev/null 2>&1; then python=/usr/bin/python3; fi
    $python -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check aiosmtpd icalendar python-dateutil
fi
