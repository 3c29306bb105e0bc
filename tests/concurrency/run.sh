#!/bin/sh
# run.sh - the concurrency test for `make check`: build concurrency.c
# against the learning bindings and libschemac and run 8 writer processes
# of 2000 iterations with 2 readers on a scratch file (CONC_ARGS overrides
# "WRITERS ITERATIONS READERS"; `make soak` runs a longer one).  Prints its
# plan and PASS/FAIL lines (see tests/suite.sh) and exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SC_LIBS; TEST_WRAPPER (a command to run the test
# program under, e.g. valgrind); CONC_ARGS.
set -u

suite=concurrency
. "$(dirname "$0")/../suite.sh"
ld=$LEARNING_DIR

plan 1 "the concurrency program's own line"
suite_cc concurrency "$here/concurrency.c" "$ld/learning.o" "$SCHEMAC_LIB" \
    || exit 0
suite_run "" "$tmp/concurrency" "$tmp/conc.db" ${CONC_ARGS:-8 2000 2}
exit 0
