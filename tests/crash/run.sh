#!/bin/sh
# run.sh - the crash test for `make check`: build tests/crash/crash.c
# against the learning bindings and libschemac, then kill its writer 20
# times (CRASH_KILLS; `make soak` uses 200) on a scratch file and check
# the file after each kill.  Prints PASS/FAIL lines and exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SQLITE_LIBS; TEST_WRAPPER (a command to run the test
# program under, e.g. valgrind); CRASH_KILLS, CRASH_SEED.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=${SCHEMAC_LIB:-$root/build/libschemac.a}
ld=${LEARNING_DIR:-$root/build/schema}

fail() { echo "FAIL crash/$1: $2"; }

for f in "$lib" "$ld/learning.o" "$ld/learning.h"; do
    if [ ! -f "$f" ]; then
        fail setup "missing $f (run make first)"
        exit 0
    fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-crash.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
    ${CFLAGS:-} ${SQLITE_CFLAGS:-} -I"$root/runtime" -I"$ld" -I"$root/tests" \
    -o "$tmp/crash" "$here/crash.c" "$ld/learning.o" "$lib" ${LDFLAGS:-} \
    ${SQLITE_LIBS:--lsqlite3} -lpthread -lm >"$tmp/cc.log" 2>&1; then
    fail build "$(head -c 600 "$tmp/cc.log")"
    exit 0
fi
${TEST_WRAPPER:-} "$tmp/crash" "$tmp/crash.db" "${CRASH_KILLS:-20}" ${CRASH_SEED:-} \
    >"$tmp/out" 2>&1
st=$?
sed -E 's#^(PASS|FAIL) #\1 crash/#' "$tmp/out"
if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
    fail run "exit status $st"
fi
exit 0
