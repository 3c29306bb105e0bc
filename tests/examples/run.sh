#!/bin/sh
# The README's example (examples/notes): generate, build with -Werror, run
# twice on one file (the second run updates the same note), and check the
# README still shows exactly these files.
set -u
suite=examples
. "$(dirname "$0")/../suite.sh"

shown="notes.schema notes.c"
set -- $shown
plan $((1 + 2 + $#)) "builds, 2 runs, README shows $# files"

if "$SCHEMAC_BIN" -o "$tmp" "$root/examples/notes/notes.schema" \
        2>"$tmp/err" \
   && suite_cc notes -I"$tmp" "$root/examples/notes/notes.c" "$tmp/notes.c" \
        "$SCHEMAC_LIB"; then
    pass notes-builds
    built=1
else
    fail notes-builds "$(head -5 "$tmp/err")"
    built=0
fi
for run in 1 2; do
    if [ "$built" = 0 ]; then
        fail notes-run-$run "not built"
        continue
    fi
    out=$("$tmp/notes" "$tmp/notes.db" 2>&1)
    st=$?
    if [ "$st" -eq 0 ] && [ "$out" = "hello 0.5" ]; then
        pass notes-run-$run
    else
        fail notes-run-$run "exit status $st, printed '$out'"
    fi
done
for f in $shown; do
    if ! need python3; then
        fail readme-shows-$f "$missing"
    elif python3 - "$root/README.md" "$root/examples/notes/$f" <<'PY'
import sys
readme, src = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if src.strip() and src in readme else 1)
PY
    then
        pass readme-shows-$f
    else
        fail readme-shows-$f "README.md does not show examples/notes/$f as it is"
    fi
done
