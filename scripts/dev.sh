#!/usr/bin/env bash
# The development service: everything under ./run/, mail written to ./run/maildir (no mail server).
# Prepares ./run/ on first use (config, database, example members, example newsletter items in
# the drop folder), checks the config, then runs `tiedotin serve` in the foreground. Ctrl-C stops
# it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build
tiedotin=.build/debug/tiedotin
mkdir -p run
if [ ! -f run/tiedotin.yaml ]; then
    cp Config/development.yaml run/tiedotin.yaml
    echo "dev: wrote run/tiedotin.yaml (edit it freely; delete it to start over)"
fi
if [ ! -d run/drop ]; then
    mkdir -p run/drop/incoming
    cp Config/items/*.md run/drop/incoming/
    echo "dev: put the example items of Config/items/ into run/drop/incoming/ (the service takes them in seconds)"
fi
export TIEDOTIN_CONFIG=run/tiedotin.yaml

"$tiedotin" check-config
"$tiedotin" members import Config/members.example.csv
"$tiedotin" members list

cat <<'HINT'

dev: the service runs now; mail it sends lands in run/maildir/new/. Newsletter items dropped into
run/drop/incoming/ end up in run/drop/accepted/ or run/drop/rejected/ (with NAME.error.txt).
In another terminal:
  export TIEDOTIN_CONFIG=run/tiedotin.yaml
  .build/debug/tiedotin announce --network jyry --subject "Tervetuloa" --body Config/notice.example.md
  .build/debug/tiedotin outbox status
  .build/debug/tiedotin newsletter preview --out run/preview   # then open run/preview/edition.html in a browser
  .build/debug/tiedotin meetings list
HINT
exec "$tiedotin" serve
