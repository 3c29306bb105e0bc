#!/bin/sh
# The runner itself: tests/run-suite.sh is given small fake programs, each
# breaking its plan or its exit status in one way (too few results, too
# many, no plan, two plans, a crash after some PASS lines, a non-zero exit
# without a FAIL line...), and must fail every one of them, pass a program
# that keeps its plan, count SKIP lines apart, and fail a skip under
# SCHEMAC_NO_SKIP=1.  suite_run (tests/suite.sh) and the plan of
# tests/harness.h are tried the same way.  These are the tests a runner
# that lets a suite pass for the wrong reason would fail.  They run a copy
# of the three files in a scratch tree.
set -u
suite=runner
. "$(dirname "$0")/../suite.sh"

cases="good fewer more no-plan two-plans late-plan empty-plan malformed-plan
       crash crash-at-end bad-exit skip no-skip sums nothing sub-plan
       sub-plan-short harness-plan harness-failure harness-crash
       suite-run-good suite-run-crash suite-run-bad-exit suite-run-no-plan"
set -- $cases
plan $# "one per case"

tree=$tmp/tree
mkdir -p "$tree/tests/fake" "$tmp/p" "$tmp/out"
cp "$root/tests/run-suite.sh" "$root/tests/suite.sh" "$root/tests/tally.awk" \
    "$tree/tests/"
runner=$tree/tests/run-suite.sh

# prog NAME: the fake program $tmp/p/NAME.sh, its text read from stdin.
prog() {
    cat >"$tmp/p/$1.sh"
}

# lines NAME: the fake program $tmp/p/NAME.sh prints the lines read from
# stdin, and exits 0.
lines() {
    { echo "cat <<'END'"; cat; echo "END"; } >"$tmp/p/$1.sh"
}

# check CASE WANT_STATUS LAST_LINE [LINE...]: run the runner on the
# programs in $progs with the environment settings in $with (and without
# the SCHEMAC_NO_SKIP or TEST_WRAPPER of this run); it must exit with
# WANT_STATUS, end with LAST_LINE and print each LINE exactly.
with=
check() {
    c_name=$1 c_want=$2 c_last=$3
    shift 3
    # shellcheck disable=SC2086
    env -u SCHEMAC_NO_SKIP -u TEST_WRAPPER $with sh "$runner" $progs \
        >"$tmp/out/$c_name" 2>&1
    c_st=$?
    c_got=$(tail -n 1 "$tmp/out/$c_name")
    c_why=
    [ "$c_st" -eq "$c_want" ] || c_why="exit status $c_st, expected $c_want"
    [ "$c_got" = "$c_last" ] ||
        c_why="${c_why:+$c_why; }last line '$c_got', expected '$c_last'"
    for c_line in "$@"; do
        grep -qxF -- "$c_line" "$tmp/out/$c_name" ||
            c_why="${c_why:+$c_why; }no line '$c_line'"
    done
    if [ -z "$c_why" ]; then
        pass "$c_name"
    else
        fail "$c_name" "$c_why; the runner printed: $(tr '\n' '|' \
            <"$tmp/out/$c_name" | cut -c1-300)"
    fi
}

# one NAME: the runner is given the fake program NAME alone.
one() {
    progs=$tmp/p/$1.sh
}

# ---- plans --------------------------------------------------------------
case_good() {
    printf 'PLAN 2\nPASS a\n    detail, not counted\nPASS b\n' | lines good
    one good
    check good 0 "2 passed, 0 failed, 0 skipped"
}

case_fewer() {
    printf 'PLAN 3\nPASS a\nPASS b\n' | lines fewer
    one fewer
    check fewer 1 "2 passed, 1 failed, 0 skipped" \
        "FAIL fewer.sh: planned 3, reported 2"
}

case_more() {
    printf 'PLAN 1\nPASS a\nPASS b\n' | lines more
    one more
    check more 1 "2 passed, 1 failed, 0 skipped" \
        "FAIL more.sh: planned 1, reported 2"
}

case_no_plan() {
    printf 'PASS a\n' | lines no-plan
    one no-plan
    check no-plan 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL no-plan.sh: no PLAN line"
}

case_two_plans() {
    printf 'PLAN 1\nPLAN 1\nPASS a\n' | lines two-plans
    one two-plans
    check two-plans 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL two-plans.sh: 2 PLAN lines"
}

case_late_plan() {
    printf 'PASS a\nPLAN 1\n' | lines late-plan
    one late-plan
    check late-plan 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL late-plan.sh: PLAN line after its first result"
}

case_empty_plan() {
    printf 'PLAN 0\n' | lines empty-plan
    one empty-plan
    check empty-plan 1 "0 passed, 1 failed, 0 skipped" \
        "FAIL empty-plan.sh: planned no tests"
}

case_malformed_plan() {
    printf 'PLAN 1\nPLAN three\nPASS a\n' | lines malformed-plan
    one malformed-plan
    check malformed-plan 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL malformed-plan.sh: malformed plan line 'PLAN three'"
}

# ---- exit statuses ------------------------------------------------------
case_crash() {
    printf 'echo "PLAN 3"; echo "PASS a"; echo "PASS b"; kill -SEGV $$\n' |
        prog crash
    one crash
    check crash 1 "2 passed, 2 failed, 0 skipped" \
        "FAIL crash.sh: planned 3, reported 2" \
        "FAIL crash.sh: killed by signal 11"
}

case_crash_at_end() {
    printf 'echo "PLAN 2"; echo "PASS a"; echo "PASS b"; kill -SEGV $$\n' |
        prog crash-at-end
    one crash-at-end
    check crash-at-end 1 "2 passed, 1 failed, 0 skipped" \
        "FAIL crash-at-end.sh: killed by signal 11"
}

case_bad_exit() {
    printf 'echo "PLAN 1"; echo "PASS a"; exit 3\n' | prog bad-exit
    one bad-exit
    check bad-exit 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL bad-exit.sh: exited with status 3"
}

# ---- skips --------------------------------------------------------------
printf 'PLAN 2\nPASS a\nSKIP b: no clang: apt-get install -y clang\n' |
    lines skip

case_skip() {
    one skip
    check skip 0 "1 passed, 0 failed, 1 skipped"
}

case_no_skip() {
    one skip
    with=SCHEMAC_NO_SKIP=1
    check no-skip 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL skip.sh: 1 skipped, and SCHEMAC_NO_SKIP=1 counts a skip as a failure" \
        "(SCHEMAC_NO_SKIP=1: every SKIP was counted as a failure)"
    with=
}

# ---- several programs, and none -----------------------------------------
case_sums() {
    printf 'PLAN 1\nFAIL c: wrong\n' | lines sums-fail
    printf 'PLAN 2\nPASS a\nPASS b\n' | lines sums-good
    progs="$tmp/p/sums-good.sh $tmp/p/skip.sh $tmp/p/sums-fail.sh"
    check sums 1 "3 passed, 1 failed, 1 skipped"
}

case_nothing() {
    progs=
    check nothing 1 "0 passed, 1 failed, 0 skipped" \
        "FAIL run-suite: no test programs named"
}

# ---- plans of relayed programs ------------------------------------------
case_sub_plan() {
    printf 'PLAN 1\nPLAN +2 x\nPASS x/a\nPASS x/b\nPASS x\n' | lines sub-plan
    one sub-plan
    check sub-plan 0 "3 passed, 0 failed, 0 skipped"
}

case_sub_plan_short() {
    printf 'PLAN 1\nPLAN +2 x\nPASS x/a\nPASS x\n' | lines sub-plan-short
    one sub-plan-short
    check sub-plan-short 1 "2 passed, 1 failed, 0 skipped" \
        "FAIL sub-plan-short.sh: planned 3, reported 2"
}

# ---- programs of tests/harness.h ----------------------------------------
# harness_prog NAME BODY-OF-test_two: a program of three tests, the second
# doing BODY; built into $tmp/NAME (1 when the build failed, reported).
harness_prog() {
    cat >"$tmp/$1.c" <<EOF
#include <signal.h>
#include "harness.h"
static void test_one(void) { CHECK(1); }
static void test_two(void) { $2 }
static void test_three(void) { CHECK_INT(2 + 2, 4); }
static const struct t_test tests[] = {
    T_TEST(test_one),
    T_TEST(test_two),
    T_TEST(test_three),
};
int
main(void)
{
    return T_RUN_ALL(tests);
}
EOF
    suite_cc "$1" "$tmp/$1.c"
}

case_harness_plan() {
    harness_prog harness-plan "CHECK_STR(\"a\", \"a\");" || return
    progs=$tmp/harness-plan
    check harness-plan 0 "3 passed, 0 failed, 0 skipped" "PLAN 3"
}

case_harness_failure() {
    harness_prog harness-failure "CHECK_INT(1, 2);" || return
    progs=$tmp/harness-failure
    check harness-failure 1 "2 passed, 1 failed, 0 skipped" "PLAN 3" \
        "PASS test_three"
}

case_harness_crash() {
    # The default action, or a sanitizer build would report the signal
    # and exit 1 instead of dying of it.
    harness_prog harness-crash \
        "signal(SIGSEGV, SIG_DFL); raise(SIGSEGV);" || return
    progs=$tmp/harness-crash
    check harness-crash 1 "1 passed, 2 failed, 0 skipped" \
        "FAIL harness-crash: planned 3, reported 1" \
        "FAIL harness-crash: killed by signal 11"
}

# ---- suite_run (tests/suite.sh) -----------------------------------------
# fake_suite INNER: the suite tests/fake/run.sh of the scratch tree, which
# plans one line and suite_runs the fake program INNER as "inner".
fake_suite() {
    cat >"$tree/tests/fake/run.sh" <<EOF
suite=fake
. "\$(dirname "\$0")/../suite.sh"
plan 1
suite_run inner sh "$tmp/p/$1.sh"
EOF
    progs=$tree/tests/fake/run.sh
}

case_suite_run_good() {
    printf 'PLAN 2\nPASS a\nPASS b\n' | lines inner-good
    fake_suite inner-good
    check suite-run-good 0 "3 passed, 0 failed, 0 skipped" \
        "PLAN +2 fake/inner" "PASS fake/inner/a" \
        "PASS fake/inner: 2 of 2 planned results, exit status 0"
}

case_suite_run_crash() {
    printf 'echo "PLAN 3"; echo "PASS a"; kill -SEGV $$\n' | prog inner-crash
    fake_suite inner-crash
    check suite-run-crash 1 "1 passed, 2 failed, 0 skipped" \
        "FAIL fake/inner: planned 3, reported 1; killed by signal 11" \
        "FAIL fake: planned 4, reported 2"
}

case_suite_run_bad_exit() {
    printf 'echo "PLAN 1"; echo "PASS a"; exit 1\n' | prog inner-exit
    fake_suite inner-exit
    check suite-run-bad-exit 1 "1 passed, 1 failed, 0 skipped" \
        "FAIL fake/inner: exited with status 1 without a FAIL line"
}

case_suite_run_no_plan() {
    printf 'PASS a\n' | lines inner-no-plan
    fake_suite inner-no-plan
    check suite-run-no-plan 1 "1 passed, 2 failed, 0 skipped" \
        "FAIL fake/inner: no PLAN line" "FAIL fake: planned 1, reported 2"
}

for c in $cases; do
    "case_$(echo "$c" | tr - _)"
done
exit 0
