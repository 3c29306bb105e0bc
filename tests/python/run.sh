#!/bin/sh
# The Python package learnstore (python/learnstore/, built by make python
# into $LEARNSTORE_PYTHON) under pytest: each test function of
# tests/python/test_*.py is one result, python/FILE/TEST.  The tests use
# the learnstore command ($LEARNSTORE_BIN) for the files they share with
# it.  Needs Debian's pytest (pytest-3); without it every test is a SKIP
# naming the apt-get command (a failure under SCHEMAC_NO_SKIP=1).
set -u
suite=python
. "$(dirname "$0")/../suite.sh"
: "${LEARNSTORE_PYTHON:=$root/build/python}"

# The plan is the test functions the files define (no parametrized tests,
# so each is one result), listed as FILE/TEST.
for f in "$here"/test_*.py; do
    b=$(basename "$f" .py)
    sed -n "s/^def \(test_[A-Za-z0-9_]*\)(.*/$b\/\1/p" "$f"
done >"$tmp/tests"
plan "$(wc -l <"$tmp/tests" | tr -d ' ')" "test functions of tests/python"

if ! need pytest-3 python3-pytest; then
    while read -r t; do
        skip "$t" "$missing"
    done <"$tmp/tests"
    exit 0
fi

# The tests drop LD_PRELOAD for the learnstore command, which has its
# own sanitizer runtime.
if ! python_preload; then
    while read -r t; do
        fail "$t" "$missing"
    done <"$tmp/tests"
    exit 0
fi

# The tests of test_postgresql.py need the private server; without one
# each is a SKIP saying why, and pytest leaves the file out.
pg_ignore=
if ! pg_need; then
    grep "^test_postgresql/" "$tmp/tests" | while read -r t; do
        skip "$t" "$missing"
    done
    pg_ignore=--ignore=$here/test_postgresql.py
fi

# pytest -rA ends with one line per test: "PASSED path::test",
# "FAILED path::test - why" or "ERROR path::test - why".  Those become
# our lines; a test pytest did not report is missing from the count,
# and tests/run-suite.sh fails the suite for it.
(cd "$tmp" && PYTHONPATH=$LEARNSTORE_PYTHON PYTHONDONTWRITEBYTECODE=1 \
    COLUMNS=160 env ${preload:+LD_PRELOAD=$preload} \
    pytest-3 -p no:cacheprovider -rA -q --rootdir "$here" $pg_ignore \
    "$here") \
    >"$tmp/pytest.out" 2>&1
sed -n '/short test summary info/,$p' "$tmp/pytest.out" |
    sed -n 's#^\(PASSED\|FAILED\|ERROR\) [^ ]*/\(test_[^ ]*\)\.py::#\1 \2/#p' \
    >"$tmp/results"
while read -r verdict name why; do
    case $verdict in
    PASSED) pass "$name" ;;
    *) fail "$name" "${why#- }" ;;
    esac
done <"$tmp/results"
# Show pytest's report when something failed (or nothing was reported).
if ! grep -q '^PASSED' "$tmp/results" || grep -qv '^PASSED' "$tmp/results"
then
    sed 's/^/    /' "$tmp/pytest.out"
fi
exit 0
