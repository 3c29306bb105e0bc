/*
 * bench.h - what the benchmark programs share: a monotonic clock, medians
 * of the runs' figures, and the "metric NAME VALUE" line bench/check.sh
 * judges.  Header-only: each benchmark is one file that bench/run.sh
 * compiles on its own.
 */
#ifndef SCHEMAC_BENCH_H
#define SCHEMAC_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds of CLOCK_MONOTONIC. */
static inline double
bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort() order for doubles, ascending. */
static inline int
bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The median of the n values at x, which are sorted in place. */
static inline double
bench_median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof x[0], bench_cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Print a figure a target of bench/targets.txt names, for bench/check.sh
 * to judge: a median of n per-run ratios. */
static inline void
bench_metric(const char *name, double value, int n)
{
    printf("   metric %s %.4f (median of %d per-run ratios)\n", name, value,
           n);
}

#endif /* SCHEMAC_BENCH_H */
