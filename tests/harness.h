/*
 * harness.h - the tiny test harness every C test program uses.  A program
 * runs its tests with T_RUN(fn); each prints "PASS name" or "FAIL name:
 * file:line: what"; tests/run-suite counts those lines for `make check`.
 */
#ifndef SCHEMAC_TEST_HARNESS_H
#define SCHEMAC_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int t_failed_now;    /* the running test has failed */
static int t_npassed, t_nfailed;
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

/* Run one test function and report it. */
#define T_RUN(fn) do {                                              \
        t_name = #fn;                                               \
        t_failed_now = 0;                                           \
        fn();                                                       \
        if (t_failed_now)                                           \
            t_nfailed++;                                            \
        else {                                                      \
            t_npassed++;                                            \
            printf("PASS %s\n", #fn);                               \
        }                                                           \
        fflush(stdout);                                             \
    } while (0)

/* The exit status of a test program: 0 when every test passed. */
#define T_EXIT() (t_nfailed ? 1 : 0)

#endif /* SCHEMAC_TEST_HARNESS_H */
