#!/bin/sh
# run.sh - the crash test for `make check`: build tests/crash/crash.c
# against the learning bindings and libschemac, then kill its writer 20
# times (CRASH_KILLS; `make soak` uses 200) on a scratch file and check
# the file after each kill.  Prints its plan and PASS/FAIL lines (see
# tests/suite.sh) and exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SC_LIBS; TEST_WRAPPER (a command to run the test
# program under, e.g. valgrind); CRASH_KILLS, CRASH_SEED.
set -u

suite=crash
. "$(dirname "$0")/../suite.sh"
ld=$LEARNING_DIR

plan 1 "the crash program's own line"
suite_cc crash "$here/crash.c" "$ld/learning.o" "$SCHEMAC_LIB" || exit 0
suite_run "" "$tmp/crash" "$tmp/crash.db" "${CRASH_KILLS:-20}" ${CRASH_SEED:-}
exit 0
