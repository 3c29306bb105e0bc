#!/bin/sh
# run.sh - the concurrency test for `make check`: build concurrency.c
# against the learning bindings and libschemac and run 8 writer processes
# of 2000 iterations with 2 readers on a scratch file (CONC_ARGS overrides
# "WRITERS ITERATIONS READERS"; `make soak` runs a longer one).  Prints
# PASS/FAIL lines and exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SQLITE_LIBS; TEST_WRAPPER (a command to run the test
# program under, e.g. valgrind); CONC_ARGS.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=${SCHEMAC_LIB:-$root/build/libschemac.a}
ld=${LEARNING_DIR:-$root/build/schema}

fail() { echo "FAIL concurrency/$1: $2"; }

for f in "$lib" "$ld/learning.o" "$ld/learning.h"; do
    if [ ! -f "$f" ]; then
        fail setup "missing $f (run make first)"
        exit 0
    fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-conc.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
    ${CFLAGS:-} ${SQLITE_CFLAGS:-} -I"$root/runtime" -I"$ld" -I"$root/tests" \
    -o "$tmp/concurrency" "$here/concurrency.c" "$ld/learning.o" "$lib" \
    ${LDFLAGS:-} ${SQLITE_LIBS:--lsqlite3} -lpthread -lm \
    >"$tmp/cc.log" 2>&1; then
    fail build "$(head -c 600 "$tmp/cc.log")"
    exit 0
fi
${TEST_WRAPPER:-} "$tmp/concurrency" "$tmp/conc.db" ${CONC_ARGS:-8 2000 2} >"$tmp/out" 2>&1
st=$?
sed -E 's#^(PASS|FAIL) #\1 concurrency/#' "$tmp/out"
if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
    fail run "exit status $st"
fi
exit 0
