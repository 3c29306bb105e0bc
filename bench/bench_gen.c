/*
 * bench_gen.c - the generator benchmark: run schemac on synthetic schemas
 * of growing size (made by make-schema.sh), every file once per run in a
 * rotating order, and report the median wall time and peak resident
 * memory of the child over the runs, and how both grow per 10x tables;
 * "metric NAME VALUE" lines give the figures bench/targets.txt names
 * (gen_ms_N, gen_time_per_10x_A_B and gen_rss_per_10x_A_B for the files
 * of A and B tables).
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

/* The median of the n values at x, which are sorted in place. */
static double
median_of(double *x, int n)
{
    qsort(x, (size_t)n, sizeof x[0], cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/*
 * The growth from file f - 1 to file f scaled to a tenfold step in tables
 * (10.0 = linear): the median over the runs of the two files' figures in
 * the same run, so that the machine's drift from run to run cancels out.
 */
static double
growth(double (*x)[MAX_RUNS], const long *ntables, int f, int nruns)
{
    double k = (double)ntables[f] / (double)ntables[f - 1], g[MAX_RUNS];
    int r;

    for (r = 0; r < nruns; r++)
        g[r] = x[f][r] / x[f - 1][r] * 10.0 / k;
    return median_of(g, nruns);
}

/* bench_gen SCHEMAC OUTDIR RUNS FILE...: run schemac on every file once
 * per run, the files in a rotating order, and print the table.  Exit
 * status 1 when schemac fails. */
int
main(int argc, char **argv)
{
    static double times[MAX_FILES][MAX_RUNS], rss[MAX_FILES][MAX_RUNS];
    double grow_t[MAX_FILES], grow_r[MAX_FILES], med_t, med_r;
    long ntables[MAX_FILES], kib;
    int nruns, nfiles, f, r, i;

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
    for (f = 0; f < nfiles; f++)
        ntables[f] = tables_of(argv[4 + f]);
    for (r = 0; r < nruns; r++) {
        for (i = 0; i < nfiles; i++) {
            f = (i + r) % nfiles;       /* rotate the order per run */
            if (run_once(argv[1], argv[2], argv[4 + f], &times[f][r], &kib)
                != 0) {
                fprintf(stderr, "bench_gen: schemac failed on %s\n",
                        argv[4 + f]);
                return 1;
            }
            rss[f][r] = (double)kib;
        }
    }
    for (f = 1; f < nfiles; f++) {
        if (ntables[f - 1] > 0) {
            grow_t[f] = growth(times, ntables, f, nruns);
            grow_r[f] = growth(rss, ntables, f, nruns);
        }
    }
    printf("5. Generator: schemac on N tables of 20 columns (one index "
           "each), median of %d runs\n", nruns);
    printf("   wall time of the child process; peak RSS from wait4()\n\n");
    printf("   %7s  %10s  %10s  %10s  %12s  %13s  %13s\n", "tables",
           "median ms", "min ms", "max ms", "peak RSS MiB", "time per 10x",
           "RSS per 10x");
    for (f = 0; f < nfiles; f++) {
        med_t = median_of(times[f], nruns);
        med_r = median_of(rss[f], nruns);
        printf("   %7ld  %10.1f  %10.1f  %10.1f  %12.1f", ntables[f],
               med_t * 1e3, times[f][0] * 1e3, times[f][nruns - 1] * 1e3,
               med_r / 1024.0);
        if (f > 0 && ntables[f - 1] > 0)
            printf("  %12.1fx  %12.1fx", grow_t[f], grow_r[f]);
        printf("\n");
    }
    printf("\n   per 10x: growth from the row above, scaled to a 10x step "
           "in tables (10.0 =\n   linear; the 5,000 row is a 5x step "
           "scaled the same way), the median of\n   the runs' own ratios.  "
           "RSS includes the process's fixed base, so small\n   schemas "
           "grow by less than 10x.\n");
    for (f = 0; f < nfiles; f++) {
        printf("   metric gen_ms_%ld %.1f (median of %d runs)\n", ntables[f],
               median_of(times[f], nruns) * 1e3, nruns);
        if (f > 0 && ntables[f - 1] > 0) {
            printf("   metric gen_time_per_10x_%ld_%ld %.2f\n",
                   ntables[f - 1], ntables[f], grow_t[f]);
            printf("   metric gen_rss_per_10x_%ld_%ld %.2f\n",
                   ntables[f - 1], ntables[f], grow_r[f]);
        }
    }
    return 0;
}
