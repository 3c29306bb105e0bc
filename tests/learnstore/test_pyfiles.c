/*
 * test_pyfiles.c - the learning store on a database in the Python
 * store's formats (made by pyfiles.py make): its rows are read as the
 * Python store reads them, and updated so that the Python store reads
 * the result (pyfiles.py check, afterwards).  Time is pinned at
 * 2026-05-28T20:26:40 UTC.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "learnstore.h"

static const char *path;
static char pid[LS_HASH_HEX], fid[LS_HASH_HEX];

static sc_db *
open_db(void)
{
    sc_db *db = NULL;

    if (ls_open(&db, path) != SC_OK)
        T_FAIL("open %s: %s", path, sc_errmsg(db));
    return db;
}

struct found {
    int n;
    char id[4][LS_HASH_HEX];
};

static int
keep(const struct learning_patterns *p, void *arg)
{
    struct found *x = arg;

    if (x->n < 4)
        snprintf(x->id[x->n], LS_HASH_HEX, "%s", p->id);
    x->n++;
    return 0;
}

/* A tag json.dumps escaped ("caf\u00e9") matches the UTF-8 tag. */
static void
test_reads_tags(void)
{
    sc_db *db = open_db();
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    const char *tags[] = { "caf\xc3\xa9" };
    struct found x = { 0, { "" } };

    f.context_tags = tags;
    f.ncontext_tags = 1;
    CHECK_INT(ls_get_patterns(db, &f, keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.id[0], pid);
    sc_close(db);
}

/* Times with microseconds and offsets, as isoformat() wrote them. */
static void
test_reads_times(void)
{
    sc_db *db = open_db();
    struct ls_provenance p;
    struct ls_entropy_check c;
    struct learning_exploration_budget b;
    bool limited, found;
    double left, wait;

    CHECK_INT(ls_get_pattern_provenance(db, pid, &p), SC_OK);
    CHECK_STR(p.first_seen, "2026-05-01T10:00:00.123456");
    CHECK(p.has_provenance_sheet_num && p.provenance_sheet_num == 4);
    ls_provenance_free(&p);
    /* 21:00:00+00:00 is 2000 s after 20:26:40 */
    CHECK_INT(ls_is_rate_limited(db, NULL, NULL, &limited, &left), SC_OK);
    CHECK(limited && left == 2000.0);
    /* waits 10, 20, 30 succeeded: (20 + 10) / 2 */
    CHECK_INT(ls_get_learned_wait_time(db, "E429", NULL, 3, &found, &wait),
              SC_OK);
    CHECK(found && wait == 15.0);
    /* the response at 20:00: 3600 - 1600 s of cooldown left */
    CHECK_INT(ls_check_entropy_response_needed(db, "jh", 0.3, 3600, &c),
              SC_OK);
    CHECK_STR(c.reason, "Cooldown active (2000s remaining)");
    CHECK_INT(ls_get_exploration_budget(db, "jh", &b), SC_OK);
    CHECK(b.budget_value == 0.2 && b.has_entropy_at_time);
    learning_exploration_budget_free(&b);
    sc_close(db);
}

/* Updates the Python store then reads (pyfiles.py check). */
static void
test_updates(void)
{
    sc_db *db = open_db();
    const char *tags[] = { "api", "caf\xc3\xa9", "\303\274ber" };
    const char *types[] = { "file" };
    struct ls_pattern_input in = { .pattern_type = "retry",
                                   .pattern_name = "wait for the API",
                                   .context_tags = tags,
                                   .ncontext_tags = 3 };
    struct ls_factor_update u = { .validation_types = types,
                                  .nvalidation_types = 1,
                                  .prior_sheet_status = "completed",
                                  .retry_iteration = 1 };
    struct ls_success_factors f;
    struct ls_outcome o = { .job_id = "my-job", .sheet_id = "sheet-2",
                            .status = "completed",
                            .validation_pass_rate = 1 };
    char id[LS_HASH_HEX];
    bool recorded;
    double trust;

    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_STR(id, pid);
    CHECK_INT(ls_record_pattern_application(db, pid, "exec-2", true, 0, 0,
                                            NULL, &recorded, NULL), SC_OK);
    CHECK(recorded);
    CHECK_INT(ls_calculate_trust_score(db, pid, &trust), SC_OK);
    CHECK_INT(ls_update_success_factors(db, fid, &u, &f), SC_OK);
    CHECK(f.occurrence_count == 4 && f.success_rate == 0.8);
    CHECK_INT(f.nvalidation_types, 3);
    ls_success_factors_free(&f);
    CHECK_INT(ls_record_outcome(db, &o, "/srv/ws", NULL, NULL, 0, NULL),
              SC_OK);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_reads_tags),
    T_TEST(test_reads_times),
    T_TEST(test_updates),
};

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_pyfiles DB\n");
        return 2;
    }
    path = argv[1];
    setenv("TZ", "UTC", 1);
    tzset();
    setenv("LEARNSTORE_NOW", "1780000000", 1);
    ls_pattern_id("retry", "Wait for  the API", pid);
    ls_pattern_id("fix", "Add the import", fid);
    return T_RUN_ALL(tests);
}
