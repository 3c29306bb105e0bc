#!/bin/sh
# The README's example (examples/notes): generate, build with -Werror, run
# twice on one file (the second run updates the same note), and check the
# README still shows exactly these files.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: "${CC:=cc}"

if "$SCHEMAC_BIN" -o "$tmp" "$top/examples/notes/notes.schema" 2>"$tmp/err" \
   && $CC -std=c11 -Wall -Wextra -Wpedantic -Werror ${CFLAGS:-} \
        -I"$top/runtime" -I"$tmp" -o "$tmp/notes" "$top/examples/notes/notes.c" \
        "$tmp/notes.c" "$SCHEMAC_LIB" ${LDFLAGS:-} ${SQLITE_LIBS:--lsqlite3} \
        2>>"$tmp/err"; then
    echo "PASS examples/notes-builds"
else
    echo "FAIL examples/notes-builds: $(head -5 "$tmp/err")"
    exit 0
fi
for run in 1 2; do
    out=$("$tmp/notes" "$tmp/notes.db" 2>&1)
    if [ "$out" = "hello 0.5" ]; then
        echo "PASS examples/notes-run-$run"
    else
        echo "FAIL examples/notes-run-$run: printed '$out'"
    fi
done
for f in notes.schema notes.c; do
    if python3 - "$top/README.md" "$top/examples/notes/$f" <<'PY'
import sys
readme, src = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if src in readme else 1)
PY
    then
        echo "PASS examples/readme-shows-$f"
    else
        echo "FAIL examples/readme-shows-$f: README.md does not show examples/notes/$f as it is"
    fi
done
