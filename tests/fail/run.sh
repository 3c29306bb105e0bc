#!/bin/sh
# run.sh - must-fail schemas.  Each NAME.schema here holds one mistake (a
# few hold several, to show recovery); NAME.err is the exact stderr that
# `schemac -o DIR NAME.schema` must print from this folder.  A case passes
# when schemac exits with status 1, prints exactly NAME.err to stderr and
# nothing to stdout, and writes no file.  One more case checks that every
# NAME.err has its NAME.schema (a schema renamed or removed must not leave
# its expectation untested).  Reads SCHEMAC_BIN.
set -u
suite=fail
. "$(dirname "$0")/../suite.sh"
cd "$here" || exit 1
bin=$SCHEMAC_BIN

set -- *.schema
[ -e "$1" ] || set --
plan $(($# + 1)) "$# schemas, every .err has its schema"

for schema in "$@"; do
    name=${schema%.schema}
    out="$tmp/out-$name"
    mkdir "$out" || exit 1
    "$bin" -o "$out" "$schema" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    if [ ! -f "$name.err" ]; then
        fail "$name" "$name.err is missing"
    elif [ "$status" -ne 1 ]; then
        fail "$name" "exit status $status, expected 1"
    elif ! cmp -s "$tmp/stderr" "$name.err"; then
        fail "$name" "stderr differs from $name.err"
        diff "$name.err" "$tmp/stderr" | head -20 | sed 's/^/    /'
    elif [ -s "$tmp/stdout" ]; then
        fail "$name" "printed to stdout"
    elif [ -n "$(ls -A "$out")" ]; then
        fail "$name" "wrote $(ls -A "$out" | tr '\n' ' ')"
    else
        pass "$name"
    fi
done

orphans=
for err in *.err; do
    [ -e "$err" ] || continue
    [ -f "${err%.err}.schema" ] || orphans="$orphans $err"
done
if [ $# -eq 0 ]; then
    fail every-err-has-a-schema "no *.schema here"
elif [ -n "$orphans" ]; then
    fail every-err-has-a-schema "no schema for:$orphans"
else
    pass every-err-has-a-schema
fi
exit 0
