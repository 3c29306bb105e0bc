/*
 * test_migrate.c - the boundaries of bringing a file to the schema's
 * version: which step fails (first, a rebuild in the middle, the last),
 * versions without steps, steps listed beyond the schema's version, a
 * migration another connection finishes first, the stored version's
 * edge cases (an empty version table, a negative version), and what the
 * progress callback hears of each step.
 */
#include "fixture.h"

#include <pthread.h>
#include <time.h>

/*
 * A schema family "steps" of version 5, by the version table or by
 * PRAGMA user_version:
 *   1  item (id, name)
 *   2  adds tag, which references item
 *   3  rebuilds item with a new column rank (foreign keys off around it)
 *   4  no steps: only the version moves
 *   5  adds an index on tag
 */
#define LAST_VERSION 5

/* The tables as the versions shape them; item of version 3 on is made
 * under another name by the rebuild. */
#define SCHEMA_VERSION_DDL \
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"
#define ITEM_V1_DDL \
    "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
#define ITEM_V3_DDL(name) \
    "CREATE TABLE " name " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, " \
    "rank INTEGER NOT NULL DEFAULT 0)"
#define TAG_DDL \
    "CREATE TABLE tag (id INTEGER PRIMARY KEY, " \
    "item_id INTEGER REFERENCES item(id), label TEXT)"

static const char *const v1_create[] = { SCHEMA_VERSION_DDL, ITEM_V1_DDL };

static const char *const v5_create[] = {
    SCHEMA_VERSION_DDL,
    ITEM_V3_DDL("item"),
    TAG_DDL,
    "CREATE INDEX idx_tag_item ON tag (item_id)",
};

static const char *const v2_steps[] = {
    TAG_DDL,
    "INSERT INTO tag (item_id, label) VALUES (1, 'first')",
};

static const char *const v3_steps[] = {
    ITEM_V3_DDL("item_new"),
    "INSERT INTO item_new (id, name) SELECT id, name FROM item",
    "DROP TABLE item",
    "ALTER TABLE item_new RENAME TO item",
};

static const char *const v5_steps[] = {
    "CREATE INDEX idx_tag_item ON tag (item_id)",
};

/* Broken versions of each step: their first statements work, a later one
 * fails (the rebuild's after the old table is dropped). */
static const char *const v2_broken[] = {
    TAG_DDL,
    "INSERT INTO no_such_table VALUES (1)",
};

static const char *const v3_broken[] = {
    ITEM_V3_DDL("item_new"),
    "INSERT INTO item_new (id, name) SELECT id, name FROM item",
    "DROP TABLE item",
    "ALTER TABLE no_such_table RENAME TO item",
};

static const char *const v5_broken[] = {
    "CREATE INDEX idx_tag_item ON tag (no_such_column)",
};

#define NSTEPS 3

/* The listed migrations, in ascending order; fail_at (0: none) names the
 * version whose broken steps replace the good ones. */
static void
make_steps(sc_migration out[NSTEPS], int fail_at)
{
    sc_migration good[NSTEPS] = {
        { .version = 2, .sql = v2_steps, .nsql = 2 },
        { .version = 3, .sql = v3_steps, .nsql = 4, .rebuild = true },
        { .version = 5, .sql = v5_steps, .nsql = 1 },
    };
    int i;

    for (i = 0; i < NSTEPS; i++) {
        out[i] = good[i];
        if (out[i].version != fail_at)
            continue;
        if (fail_at == 2)
            out[i].sql = v2_broken;
        else if (fail_at == 3)
            out[i].sql = v3_broken;
        else
            out[i].sql = v5_broken;
        out[i].nsql = fail_at == 3 ? 4 : fail_at == 2 ? 2 : 1;
    }
}

/*
 * The family's schema at version `version` over the migrations at steps
 * (all of them, also those beyond `version`: the runtime must skip them),
 * keeping the version in the table when by_table is set, else in
 * PRAGMA user_version.
 */
static sc_schema
steps_schema(int version, const sc_migration *steps, bool by_table)
{
    sc_schema s = {
        .abi = SC_ABI_VERSION, .name = "steps", .version = version,
        .version_table = by_table ? "schema_version" : NULL,
        .migrations = steps, .nmigrations = NSTEPS,
    };

    /* Only versions 1 and 5 are ever created from nothing here. */
    if (version == 1) {
        s.create_sql = v1_create;
        s.ncreate = 2;
    } else if (version == LAST_VERSION) {
        s.create_sql = v5_create;
        s.ncreate = 4;
    }
    if (!by_table && s.ncreate > 0) {
        s.create_sql++;
        s.ncreate--;
    }
    return s;
}

/* The version stored in file, however the schema keeps it. */
static long long
stored_version(const char *file, bool by_table)
{
    return fx_int(file, by_table ? "SELECT max(version) FROM schema_version"
                                 : "PRAGMA user_version");
}

/* Which of the family's version effects file shows: bit v set when the
 * effect of version v (2, 3 or 5) is there. */
static int
effects(const char *file)
{
    int bits = 0;

    if (fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = 'tag'")
        == 1)
        bits |= 1 << 2;
    if (fx_int(file, "SELECT count(*) FROM pragma_table_info('item') WHERE "
               "name = 'rank'") == 1)
        bits |= 1 << 3;
    if (fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
               "'idx_tag_item'") == 1)
        bits |= 1 << 5;
    return bits;
}

/* The effects every version up to v brings. */
static int
effects_upto(int v)
{
    return (v >= 2 ? 1 << 2 : 0) | (v >= 3 ? 1 << 3 : 0)
        | (v >= 5 ? 1 << 5 : 0);
}

/* Make a version-1 file of the family holding two items. */
static void
make_v1(const char *file, bool by_table)
{
    sc_migration steps[NSTEPS];
    sc_schema s;
    sc_db *db;

    make_steps(steps, 0);
    s = steps_schema(1, steps, by_table);
    unlink(file);
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "INSERT INTO item (id, name) VALUES (1, 'a'), "
                      "(2, 'b')"), SQLITE_OK);
}

/* Count the log's "migrated" lines. */
static int nmigrated;
static void
count_migrated(void *arg, int rc, const char *msg)
{
    (void)arg;
    if (rc == SC_OK && strncmp(msg, "migrated", 8) == 0)
        nmigrated++;
}

/*
 * A step after the first fails: every version before it stays done and
 * recorded (each version commits with its own record), nothing of the
 * failing one remains, and the fixed code goes on from there.  For the
 * first, the middle (a rebuild, failing after dropping the old table)
 * and the last listed step, with either way of keeping the version.
 */
static void
test_failing_step_keeps_earlier_versions(void)
{
    static const int fail_versions[] = { 2, 3, 5 };
    sc_migration steps[NSTEPS], good[NSTEPS];
    sc_opts opts = { .log = count_migrated };
    const char *file = fx_path("fail.db");
    int f, by_table;
    char want[32];

    make_steps(good, 0);
    for (by_table = 0; by_table <= 1; by_table++) {
        for (f = 0; f < 3; f++) {
            int fail = fail_versions[f];
            /* 4 has no steps of its own: 5's step takes 3 to 5. */
            int before = fail == 5 ? 3 : fail - 1;
            sc_schema broken, fixed;
            sc_db *db;

            make_steps(steps, fail);
            broken = steps_schema(LAST_VERSION, steps, by_table);
            fixed = steps_schema(LAST_VERSION, good, by_table);
            make_v1(file, by_table);
            CHECK_INT(sc_open(&db, file, &broken, NULL), SC_ERROR);
            snprintf(want, sizeof(want), "version %d", fail);
            if (strstr(sc_errmsg(db), want) == NULL)
                T_FAIL("failing at %d: message '%s'", fail, sc_errmsg(db));
            sc_close(db);
            /* The last recorded version is the one before the failure. */
            if (stored_version(file, by_table) != before)
                T_FAIL("%s, failing at %d: stored version %lld",
                       by_table ? "table" : "user_version", fail,
                       stored_version(file, by_table));
            CHECK_INT(effects(file), effects_upto(before));
            CHECK_INT(fx_int(file, "SELECT count(*) FROM item"), 2);
            if (by_table)
                CHECK_INT(fx_int(file, "SELECT count(*) FROM "
                                 "schema_version"), 1);
            /* The fixed steps take it from there: only what is left runs
             * (a step run twice would fail on its CREATE TABLE). */
            nmigrated = 0;
            CHECK_INT(sc_open(&db, file, &fixed, &opts), SC_OK);
            CHECK_INT(sc_version(db), LAST_VERSION);
            sc_close(db);
            CHECK_INT(nmigrated, fail == 2 ? 3 : fail == 3 ? 2 : 1);
            CHECK_INT(stored_version(file, by_table), LAST_VERSION);
            CHECK_INT(effects(file), effects_upto(LAST_VERSION));
            CHECK_INT(fx_int(file, "SELECT count(*) FROM tag"), 1);
            CHECK_INT(fx_int(file, "SELECT count(*) FROM item WHERE "
                             "rank = 0"), 2);
        }
    }
}

/*
 * From every stored version to every later one: exactly the listed steps
 * above the stored version and up to the target run, a target between
 * listed steps (4) is reached by a bare version bump, and a listed step
 * beyond the target is not run.
 */
static void
test_every_version_to_every_later(void)
{
    sc_migration steps[NSTEPS];
    const char *file = fx_path("path.db");
    int from, to;

    make_steps(steps, 0);
    for (from = 1; from <= LAST_VERSION; from++) {
        for (to = from; to <= LAST_VERSION; to++) {
            sc_schema s_from = steps_schema(from, steps, true);
            sc_schema s_to = steps_schema(to, steps, true);
            sc_db *db;

            make_v1(file, true);
            CHECK_INT(sc_open(&db, file, &s_from, NULL), SC_OK);
            sc_close(db);
            CHECK_INT(sc_open(&db, file, &s_to, NULL), SC_OK);
            CHECK_INT(sc_version(db), to);
            sc_close(db);
            if (stored_version(file, true) != to
                || effects(file) != effects_upto(to))
                T_FAIL("%d to %d: stored %lld, effects %#x (want %#x)", from,
                       to, stored_version(file, true), effects(file),
                       effects_upto(to));
            CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"),
                      1);
        }
    }
}

/* What the connection that loses the race to migrate needs. */
struct opener {
    const char *file;
    const sc_schema *schema;
    int rc;
    char msg[256];
};

/* Open o->file with o->schema and note the result. */
static void *
open_in_thread(void *arg)
{
    struct opener *o = arg;
    sc_db *db = NULL;

    nmigrated = 0;
    o->rc = sc_open(&db, o->file, o->schema, &(sc_opts){
        .log = count_migrated });
    snprintf(o->msg, sizeof(o->msg), "%s", sc_errmsg(db));
    sc_close(db);
    return NULL;
}

/*
 * Another connection migrates while we wait for the write lock: we read
 * version 1 first, and after the lock is ours the version read again
 * under it is 2, so the step is not run a second time.
 */
static void
test_migration_finished_by_another_connection(void)
{
    sc_migration steps[NSTEPS];
    sc_schema s;
    const char *file = fx_path("race.db");
    struct opener o;
    struct timespec pause = { 0, 500 * 1000 * 1000 };
    pthread_t th;
    sqlite3 *other;

    make_steps(steps, 0);
    s = steps_schema(2, steps, true);
    make_v1(file, true);
    o.file = file;
    o.schema = &s;
    CHECK_INT(sqlite3_open(file, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, v2_steps[0], NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, v2_steps[1], NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "UPDATE schema_version SET version = 2",
                           NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(pthread_create(&th, NULL, open_in_thread, &o), 0);
    nanosleep(&pause, NULL);        /* the opener now waits for the lock */
    CHECK_INT(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    pthread_join(th, NULL);
    sqlite3_close(other);
    if (o.rc != SC_OK)
        T_FAIL("open: %s", o.msg);
    CHECK_INT(nmigrated, 0);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM tag"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    CHECK_INT(stored_version(file, true), 2);
}

/*
 * A version table with no row (a store that stopped between creating it
 * and recording the first version) counts as version 0: the file gets the
 * whole schema, the leftover table replaced by the schema's own.  With
 * another table beside it, the file is not ours and is left untouched.
 */
static void
test_empty_version_table(void)
{
    const char *file = fx_path("empty-vt.db");
    sc_db *db;

    CHECK_INT(fx_exec(file, "CREATE TABLE schema_version (version INTEGER "
                      "PRIMARY KEY)"), SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('parent', 'child', 'idx_child_parent')"), 3);

    /* Left in another shape: replaced by the schema's. */
    file = fx_path("empty-vt-shape.db");
    CHECK_INT(fx_exec(file, "CREATE TABLE schema_version (version INTEGER, "
                      "applied_at TEXT)"), SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM "
                     "pragma_table_info('schema_version')"), 1);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);

    /* Beside a table of someone else's: refused, not one byte changed. */
    file = fx_path("empty-vt-other.db");
    CHECK_INT(fx_exec(file, "CREATE TABLE schema_version (version INTEGER "
                      "PRIMARY KEY); CREATE TABLE other (x)"), SQLITE_OK);
    check_refused_untouched(file, &demo_schema, SC_VERSION);
}

/*
 * Kept by PRAGMA user_version, version 0 and a single table of someone
 * else's: not ours (no version table to discount), refused untouched.
 */
static void
test_user_version_foreign_table_refused(void)
{
    sc_migration steps[NSTEPS];
    sc_schema s;
    const char *file = fx_path("uv-foreign.db");

    make_steps(steps, 0);
    s = steps_schema(LAST_VERSION, steps, false);
    CHECK_INT(fx_exec(file, "CREATE TABLE other (x)"), SQLITE_OK);
    check_refused_untouched(file, &s, SC_VERSION);
}

/* A negative stored version is no version of ours: refused untouched. */
static void
test_negative_version_refused(void)
{
    const char *file = fx_path("negative.db");
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "PRAGMA journal_mode = DELETE; UPDATE "
                      "schema_version SET version = -1"), SQLITE_OK);
    check_refused_untouched(file, &demo_schema, SC_VERSION);
}

/* What the progress callback heard: each call, and the version the file
 * had stored then (read on a connection of its own). */
struct heard {
    const char *file;
    int n;
    struct {
        sc_progress p;
        long long stored;
    } call[8];
};

/* A progress callback noting each call into the struct heard at arg. */
static void
note_progress(void *arg, const sc_progress *p)
{
    struct heard *h = arg;

    if (h->n < 8) {
        h->call[h->n].p = *p;
        h->call[h->n].stored = stored_version(h->file, true);
    }
    h->n++;
}

/*
 * Open a version-1 file of the family with schema version `to` (its step
 * at fail_at broken; 0: none) and check the callback heard one call per
 * version of want (the versions the steps bring the file to, 0-ended)
 * before that step, with the file at the previous one, then, when the
 * migration succeeds, the end at the last.
 */
static void
check_progress(int to, int fail_at, const int *want)
{
    sc_migration steps[NSTEPS];
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = note_progress, .progress_arg = &h };
    sc_schema s;
    sc_db *db;
    size_t k, total = 0;
    int at = 1, rc;

    while (want[total] != 0)
        total++;
    h.file = fx_path("progress.db");
    make_v1(h.file, true);
    make_steps(steps, fail_at);
    s = steps_schema(to, steps, true);
    rc = sc_open(&db, h.file, &s, &opts);
    sc_close(db);
    CHECK_INT(rc, fail_at ? SC_ERROR : SC_OK);
    /* A failure stops after the call before the failing step. */
    for (k = 0; fail_at != 0 && want[k] != fail_at; k++)
        ;
    CHECK_INT(h.n, fail_at ? (int)k + 1 : (int)total + 1);
    for (k = 0; k < (size_t)h.n && k <= total && k < 8; k++) {
        const sc_progress *p = &h.call[k].p;

        CHECK_INT(p->op, SC_PROGRESS_MIGRATE);
        CHECK_INT(p->done, k);
        CHECK_INT(p->total, total);
        CHECK_INT(p->version, k < total ? want[k] : to);
        CHECK(p->table == NULL);
        CHECK_INT(h.call[k].stored, at);
        if (k < total)
            at = want[k];
    }
}

/*
 * Each version step is told before it runs, with the file at the version
 * before it, and the end is told with the file at the schema's version:
 * the listed steps 2, 3 and 5 to version 5; 2, 3 and a bare bump to 4;
 * a bare bump only from 3 to 4.  A failing step (3) is the last told.
 */
static void
test_progress_told_each_step(void)
{
    static const int to5[] = { 2, 3, 5, 0 }, to4[] = { 2, 3, 4, 0 };
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = note_progress, .progress_arg = &h };
    sc_migration steps[NSTEPS];
    sc_schema s3, s4;
    sc_db *db;

    check_progress(5, 0, to5);
    check_progress(4, 0, to4);
    check_progress(5, 3, to5);

    h.file = fx_path("bump.db");
    make_steps(steps, 0);
    s3 = steps_schema(3, steps, true);
    s4 = steps_schema(4, steps, true);
    make_v1(h.file, true);
    CHECK_INT(sc_open(&db, h.file, &s3, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(sc_open(&db, h.file, &s4, &opts), SC_OK);
    sc_close(db);
    CHECK_INT(h.n, 2);
    CHECK_INT(h.call[0].p.done, 0);
    CHECK_INT(h.call[0].p.total, 1);
    CHECK_INT(h.call[0].p.version, 4);
    CHECK_INT(h.call[0].stored, 3);
    CHECK_INT(h.call[1].p.done, 1);
    CHECK_INT(h.call[1].stored, 4);

    /* At the schema's version already: nothing to tell. */
    h.n = 0;
    CHECK_INT(sc_open(&db, h.file, &s4, &opts), SC_OK);
    sc_close(db);
    CHECK_INT(h.n, 0);
}

/* No callback, its argument set all the same: the migration runs as
 * without options. */
static void
test_progress_null_callback(void)
{
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = NULL, .progress_arg = &h };
    sc_migration steps[NSTEPS];
    sc_schema s;
    sc_db *db;

    h.file = fx_path("null-progress.db");
    make_v1(h.file, true);
    make_steps(steps, 0);
    s = steps_schema(LAST_VERSION, steps, true);
    CHECK_INT(sc_open(&db, h.file, &s, &opts), SC_OK);
    CHECK_INT(sc_version(db), LAST_VERSION);
    sc_close(db);
    CHECK_INT(h.n, 0);
    CHECK_INT(stored_version(h.file, true), LAST_VERSION);
    CHECK_INT(effects(h.file), effects_upto(LAST_VERSION));
}

static const struct t_test tests[] = {
    T_TEST(test_failing_step_keeps_earlier_versions),
    T_TEST(test_every_version_to_every_later),
    T_TEST(test_migration_finished_by_another_connection),
    T_TEST(test_empty_version_table),
    T_TEST(test_user_version_foreign_table_refused),
    T_TEST(test_negative_version_refused),
    T_TEST(test_progress_told_each_step),
    T_TEST(test_progress_null_callback),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
