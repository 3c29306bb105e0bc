#!/bin/sh
# run-suite.sh - run every test program named on the command line, show
# their PASS/FAIL lines, and end with "N passed, N failed".  A program that
# exits non-zero without reporting a failure (a crash) counts as a failure.
# Exit status 1 when anything failed.
set -u
passed=0
failed=0
log=$(mktemp)
for prog in "$@"; do
    case "$prog" in
    *.sh) sh "$prog" >"$log" 2>&1 ;;
    *) "$prog" >"$log" 2>&1 ;;
    esac
    status=$?
    cat "$log"
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $prog: exited with status $status"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
