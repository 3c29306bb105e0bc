#!/bin/sh
# run-suite.sh - run every test program named on the command line (a
# tests/<suite>/run.sh script, or a compiled program such as
# build/tests/unit/test_rows), show what each prints, hold each to its plan,
# and end with "N passed, N failed, N skipped".  tests/suite.sh's header
# describes the lines a program prints.  Besides its own FAIL lines, a
# program fails (one "FAIL NAME: why" line each) when it:
#   - prints no PLAN line, more than one, or one after its first result;
#   - plans no tests, or reports another number of PASS, FAIL and SKIP
#     lines than it planned ("planned N, reported M");
#   - is killed by a signal, or exits non-zero without a FAIL line.
# SKIP lines are counted apart.  With SCHEMAC_NO_SKIP=1 in the environment
# (CI sets it) every SKIP is a failure instead, and the run says so.
# Compiled programs run under $TEST_WRAPPER when it is set (make
# check-valgrind); scripts read it themselves.  Exit status 1 when anything
# failed or no program was named.
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
skipped=0
noskip=${SCHEMAC_NO_SKIP:-0}
log=$(mktemp) || exit 1
trap 'rm -f "$log" "$log.tally" "$log.why"' EXIT
trap 'exit 1' INT TERM

if [ $# -eq 0 ]; then
    echo "FAIL run-suite: no test programs named"
    failed=1
fi
for prog in "$@"; do
    case "$prog" in
    */run.sh) name=$(basename "$(dirname "$prog")") ;;
    *) name=$(basename "$prog") ;;
    esac
    case "$prog" in
    *.sh) sh "$prog" >"$log" 2>&1 ;;
    *) ${TEST_WRAPPER:-} "$prog" >"$log" 2>&1 ;;
    esac
    status=$?
    cat "$log"

    awk -f "$here/tally.awk" "$log" >"$log.tally"
    read -r p f s _ _ <"$log.tally"
    own_f=$f
    sed 1d "$log.tally" >"$log.why"
    while IFS= read -r why; do
        echo "FAIL $name: $why"
        f=$((f + 1))
    done <"$log.why"
    if [ "$status" -gt 128 ]; then
        echo "FAIL $name: killed by signal $((status - 128))"
        f=$((f + 1))
    elif [ "$status" -ne 0 ] && [ "$own_f" -eq 0 ]; then
        echo "FAIL $name: exited with status $status"
        f=$((f + 1))
    fi
    if [ "$s" -gt 0 ] && [ "$noskip" = 1 ]; then
        echo "FAIL $name: $s skipped, and SCHEMAC_NO_SKIP=1 counts a skip" \
            "as a failure"
        f=$((f + s))
        s=0
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
done
if [ "$noskip" = 1 ]; then
    echo "(SCHEMAC_NO_SKIP=1: every SKIP was counted as a failure)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
