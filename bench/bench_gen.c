/*
 * bench_gen.c - the generator benchmark: run schemac on synthetic schemas
 * of growing size (made by make-schema.sh) and report the median wall
 * time and peak resident memory of the child over several runs, and how
 * both grow per 10x tables.
 *
 *   bench_gen SCHEMAC OUTDIR RUNS FILE.schema...   (files in size order,
 *                                                  each named big-N.schema)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 50
#define MAX_FILES 16

/* Seconds of CLOCK_MONOTONIC. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sort helper for doubles. */
static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Sort helper for longs. */
static int
cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/*
 * Remove the outputs of the previous run from outdir, so every run writes
 * all three files (schemac leaves unchanged files alone).
 */
static void
clean_outputs(const char *outdir)
{
    static const char *const names[] = { "big.h", "big.c", "big.sql" };
    char path[4096];
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", outdir, names[i]);
        unlink(path);
    }
}

/*
 * Run `schemac -o outdir schema` once; store its wall time in *secs and
 * its peak resident set in KiB in *maxrss.  Returns 0, or -1 when it could
 * not run or failed.
 */
static int
run_once(const char *schemac, const char *outdir, const char *schema,
         double *secs, long *maxrss)
{
    struct rusage ru;
    double t0;
    pid_t pid;
    int status;

    clean_outputs(outdir);
    t0 = now();
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execl(schemac, schemac, "-o", outdir, schema, (char *)NULL);
        _exit(127);
    }
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR)
            return -1;
    *secs = now() - t0;
    *maxrss = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The table count in a file named ...big-N.schema, or 0. */
static long
tables_of(const char *path)
{
    const char *p = strrchr(path, '-');

    return p ? strtol(p + 1, NULL, 10) : 0;
}

/* bench_gen SCHEMAC OUTDIR RUNS FILE...: time each file RUNS times and
 * print the table.  Exit status 1 when schemac fails. */
int
main(int argc, char **argv)
{
    double times[MAX_RUNS], med_t[MAX_FILES];
    long rss[MAX_RUNS], med_r[MAX_FILES], ntables[MAX_FILES];
    int nruns, nfiles, f, r;

    if (argc < 5) {
        fprintf(stderr, "usage: bench_gen SCHEMAC OUTDIR RUNS FILE...\n");
        return 2;
    }
    nruns = atoi(argv[3]);
    nfiles = argc - 4;
    if (nruns < 1 || nruns > MAX_RUNS || nfiles > MAX_FILES) {
        fprintf(stderr, "bench_gen: bad run or file count\n");
        return 2;
    }
    printf("5. Generator: schemac on N tables of 20 columns (one index "
           "each), median of %d runs\n", nruns);
    printf("   wall time of the child process; peak RSS from wait4()\n\n");
    printf("   %7s  %10s  %10s  %10s  %12s  %13s  %13s\n", "tables",
           "median ms", "min ms", "max ms", "peak RSS MiB", "time per 10x",
           "RSS per 10x");
    for (f = 0; f < nfiles; f++) {
        const char *schema = argv[4 + f];
        ntables[f] = tables_of(schema);
        for (r = 0; r < nruns; r++) {
            if (run_once(argv[1], argv[2], schema, &times[r], &rss[r])
                != 0) {
                fprintf(stderr, "bench_gen: schemac failed on %s\n",
                        schema);
                return 1;
            }
        }
        qsort(times, (size_t)nruns, sizeof times[0], cmp_double);
        qsort(rss, (size_t)nruns, sizeof rss[0], cmp_long);
        med_t[f] = times[nruns / 2];
        med_r[f] = rss[nruns / 2];
        printf("   %7ld  %10.1f  %10.1f  %10.1f  %12.1f", ntables[f],
               med_t[f] * 1e3, times[0] * 1e3, times[nruns - 1] * 1e3,
               (double)med_r[f] / 1024.0);
        if (f > 0 && ntables[f - 1] > 0) {
            /* Growth scaled to a 10x step, so 10.0 means linear. */
            double k = (double)ntables[f] / (double)ntables[f - 1];
            printf("  %12.1fx  %12.1fx", med_t[f] / med_t[f - 1] * 10.0 / k,
                   (double)med_r[f] / (double)med_r[f - 1] * 10.0 / k);
        }
        printf("\n");
    }
    printf("\n   per 10x: growth from the row above, scaled to a 10x step "
           "in tables (10.0 =\n   linear; the 5,000 row is a 5x step "
           "scaled the same way).  RSS includes the\n   process's fixed "
           "base, so small schemas grow by less than 10x.\n");
    for (f = 0; f < nfiles; f++)
        if (ntables[f] == 1000)
            printf("   target: 1,000 tables under one second: %s "
                   "(%.0f ms)\n", med_t[f] < 1.0 ? "met" : "MISSED",
                   med_t[f] * 1e3);
    return 0;
}
