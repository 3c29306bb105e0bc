/*
 * patterns.h - the rows the runtime benchmarks insert and read (bench_rt.c
 * on SQLite, bench_pg.c on PostgreSQL): NROWS patterns over NTYPES types,
 * built once and shared by every variant, a fixed random order for
 * gets, and the freeing of a pattern the hand-written side read.  The
 * including file defines NROWS and NTYPES and a die(what, why) that
 * stops the benchmark, and includes learning.h.
 */
#ifndef SCHEMAC_BENCH_PATTERNS_H
#define SCHEMAC_BENCH_PATTERNS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct learning_patterns rows[NROWS];
static char ids[NROWS][17];
static char *names[NROWS];
static char *descs[NROWS];
static char types[NTYPES][16];
static int order_rand[NROWS];

/* A 64-bit mix of x (splitmix64's finalizer): hash-like, repeatable. */
static uint64_t
mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/*
 * Fill rows[]: ids shaped as the Python store makes them (16 hex chars,
 * in hash order rather than insertion order), NTYPES types, a name
 * and a description each, typical timestamps, JSON tags, scores; the
 * other columns NULL or default.
 */
static void
make_rows(void)
{
    char buf[160];
    unsigned x = 12345u;
    int i, j, t;

    for (t = 0; t < NTYPES; t++)
        snprintf(types[t], sizeof types[t], "type-%02d", t);
    for (i = 0; i < NROWS; i++) {
        struct learning_patterns *r = &rows[i];
        snprintf(buf, sizeof buf, "pattern name %d", i);
        snprintf(ids[i], sizeof ids[i], "%016llx",
                 (unsigned long long)mix64((uint64_t)i));
        names[i] = strdup(buf);
        snprintf(buf, sizeof buf, "When step %d fails with a timeout, "
                 "retry it after a pause of %d seconds.", i, i % 60);
        descs[i] = strdup(buf);
        if (names[i] == NULL || descs[i] == NULL)
            die("make_rows", "out of memory");
        memset(r, 0, sizeof *r);
        r->id = ids[i];
        r->pattern_type = types[i % NTYPES];
        r->pattern_name = names[i];
        r->description = descs[i];
        r->occurrence_count = i % 7 + 1;
        r->has_occurrence_count = true;
        r->first_seen = "2026-11-26T12:08:59.022099";
        r->last_seen = "2026-11-26T12:08:59.022099";
        r->context_tags = "[\"retry\", \"timeout\"]";
        r->priority_score = 0.5 + (double)(i % 50) / 100.0;
        r->has_priority_score = true;
        r->active = 1;
        r->has_active = true;
    }
    /* A fixed random order for the gets (Fisher-Yates, xorshift). */
    for (i = 0; i < NROWS; i++)
        order_rand[i] = i;
    for (i = NROWS - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        j = (int)(x % (unsigned)(i + 1));
        t = order_rand[i];
        order_rand[i] = order_rand[j];
        order_rand[j] = t;
    }
}

/* Free text the hand-written side copied into a member of the row
 * struct, whose text members are const to their readers. */
static void
free_text(const char *p)
{
    free((void *)(uintptr_t)p);
}

/* Free the text members of a pattern the hand-written side read with
 * copies (raw_read_pattern() in each benchmark) and zero r. */
static void
raw_free_pattern(struct learning_patterns *r)
{
    free_text(r->id);
    free_text(r->pattern_type);
    free_text(r->pattern_name);
    free_text(r->description);
    free_text(r->first_seen);
    free_text(r->last_seen);
    free_text(r->last_confirmed);
    free_text(r->suggested_action);
    free_text(r->context_tags);
    free_text(r->quarantine_status);
    free_text(r->provenance_job_hash);
    free_text(r->quarantined_at);
    free_text(r->validated_at);
    free_text(r->quarantine_reason);
    free_text(r->trust_calculation_date);
    free_text(r->success_factors);
    free_text(r->success_factors_updated_at);
    free_text(r->content_hash);
    free_text(r->instrument_name);
    memset(r, 0, sizeof *r);
}

#endif /* SCHEMAC_BENCH_PATTERNS_H */
