/*
 * harness.h - the tiny test harness every C test program uses.  A program
 * lists its tests in a table and runs them all with T_RUN_ALL():
 *
 *     static const struct t_test tests[] = {
 *         T_TEST(test_insert),
 *         T_TEST(test_delete),
 *     };
 *
 *     int
 *     main(void)
 *     {
 *         return T_RUN_ALL(tests);
 *     }
 *
 * which prints "PLAN 2" (counted from the table), then "PASS name" or
 * "FAIL name: file:line: what" for each test.  tests/run-suite.sh and
 * suite_run (tests/suite.sh, whose header describes these lines) check
 * that the program printed exactly its plan and exited cleanly, so a test
 * that crashes, or one the program never reaches, is a failure.
 */
#ifndef SCHEMAC_TEST_HARNESS_H
#define SCHEMAC_TEST_HARNESS_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static int t_failed_now;    /* the running test has failed */
static int t_nfailed;
static const char *t_name;

/* Fail the running test (once) with a location and a reason. */
#define T_FAIL(...) do {                                            \
        if (!t_failed_now)                                          \
            printf("FAIL %s: %s:%d: ", t_name, __FILE__, __LINE__); \
        else                                                        \
            printf("     %s:%d: ", __FILE__, __LINE__);             \
        printf(__VA_ARGS__);                                        \
        printf("\n");                                               \
        t_failed_now = 1;                                           \
    } while (0)

/* Check a condition; on failure record it and go on. */
#define CHECK(cond) do {                                            \
        if (!(cond))                                                \
            T_FAIL("check failed: %s", #cond);                      \
    } while (0)

/* Check two integers are equal, printing both on failure. */
#define CHECK_INT(a, b) do {                                        \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);     \
        if (t_a_ != t_b_)                                           \
            T_FAIL("%s == %lld, expected %s == %lld", #a, t_a_, #b, t_b_); \
    } while (0)

/* Check two strings are equal (NULL only equals NULL). */
#define CHECK_STR(a, b) do {                                        \
        const char *t_a_ = (a), *t_b_ = (b);                        \
        if ((t_a_ == NULL) != (t_b_ == NULL)                        \
            || (t_a_ && strcmp(t_a_, t_b_) != 0))                   \
            T_FAIL("%s == \"%s\", expected \"%s\"", #a,             \
                   t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
    } while (0)

/* One entry of a program's test table, written T_TEST(test_function). */
struct t_test {
    const char *name;
    void      (*fn)(void);
};
#define T_TEST(fn) { #fn, fn }

/*
 * Print "PLAN ntests", then run tests[0] to tests[ntests - 1] in order,
 * each reported by one PASS or FAIL line (stdout is flushed after every
 * line, so a forked child or a crash loses nothing already reported).
 * Returns the program's exit status: 0 when every test passed, else 1.
 */
static int
t_run_all(const struct t_test *tests, size_t ntests)
{
    size_t i;

    printf("PLAN %zu\n", ntests);
    fflush(stdout);
    for (i = 0; i < ntests; i++) {
        t_name = tests[i].name;
        t_failed_now = 0;
        tests[i].fn();
        if (t_failed_now)
            t_nfailed++;
        else
            printf("PASS %s\n", t_name);
        fflush(stdout);
    }
    return t_nfailed ? 1 : 0;
}

/* Run every test of a table (an array, not a pointer): the plan is its
 * number of entries.  Evaluates to the exit status. */
#define T_RUN_ALL(table) \
    t_run_all((table), sizeof(table) / sizeof((table)[0]))

#endif /* SCHEMAC_TEST_HARNESS_H */
