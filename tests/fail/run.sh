#!/bin/sh
# run.sh - must-fail schemas.  Each NAME.schema here holds one mistake (a
# few hold several, to show recovery); NAME.err is the exact stderr that
# `schemac -o DIR NAME.schema` must print from this folder.  A case passes
# when schemac exits with status 1, prints exactly NAME.err to stderr and
# nothing to stdout, and writes no file.  Reads SCHEMAC_BIN.
set -u
cd "$(dirname "$0")" || exit 1
bin=${SCHEMAC_BIN:?SCHEMAC_BIN must name the schemac binary}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

for schema in *.schema; do
    name=${schema%.schema}
    out="$tmp/out-$name"
    mkdir "$out" || exit 1
    "$bin" -o "$out" "$schema" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    if [ ! -f "$name.err" ]; then
        echo "FAIL fail/$name: $name.err is missing"
    elif [ "$status" -ne 1 ]; then
        echo "FAIL fail/$name: exit status $status, expected 1"
    elif ! cmp -s "$tmp/stderr" "$name.err"; then
        echo "FAIL fail/$name: stderr differs from $name.err"
        diff "$name.err" "$tmp/stderr" | head -20 | sed 's/^/    /'
    elif [ -s "$tmp/stdout" ]; then
        echo "FAIL fail/$name: printed to stdout"
    elif [ -n "$(ls -A "$out")" ]; then
        echo "FAIL fail/$name: wrote $(ls -A "$out" | tr '\n' ' ')"
    else
        echo "PASS fail/$name"
    fi
done
exit 0
