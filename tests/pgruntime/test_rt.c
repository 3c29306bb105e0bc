/*
 * test_rt.c - libschemac's PostgreSQL backend against a real server:
 * opening (creation once, under concurrent openers; newer, older and
 * foreign databases refused untouched; a server that is not there),
 * generated keys, where clauses, chosen-column updates, batches and the
 * errors that abort them, SQLSTATE mapping, notices, sc_clear_all, a
 * connection lost and made again, values read from PostgreSQL's text
 * (booleans as numbers, reals bit for bit), and pipelined batches.
 *
 *   test_rt FRESH_URI ADMIN_URI
 * FRESH_URI names an empty database of this run's own; ADMIN_URI one on
 * the same server where the test may CREATE and DROP further databases.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "harness.h"
#include "rt.h"

static const char *fresh_uri, *admin_uri;
static sc_db *db;

/* The test's own connections keep the server's notices to themselves. */
static void
quiet(void *arg, const char *msg)
{
    (void)arg, (void)msg;
}

/* Run sql on uri through libpq; returns the first value of the first row
 * as a malloc'd string ("" for none, "ERROR: ..." on failure). */
static char *
pq(const char *uri, const char *sql)
{
    PGconn *c = PQconnectdb(uri);
    PGresult *r;
    const char *v = "";
    char buf[512];

    PQsetNoticeProcessor(c, quiet, NULL);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK
        && PQresultStatus(r) != PGRES_COMMAND_OK) {
        snprintf(buf, sizeof(buf), "ERROR: %s", PQerrorMessage(c));
        v = buf;
    } else if (PQntuples(r) > 0) {
        v = PQgetvalue(r, 0, 0);
    }
    v = strdup(v);
    PQclear(r);
    PQfinish(c);
    return (char *)v;
}

/* CHECK that sql on uri gives want. */
#define CHECK_PQ(uri, sql, want) do {                                   \
        char *got_ = pq((uri), (sql));                                  \
        CHECK_STR(got_, (want));                                        \
        free(got_);                                                     \
    } while (0)

/* The databases other_db() made, dropped at the end. */
static char made[8][64];
static int nmade;

/* Drop database name if it is there: the sessions of our role on it
 * ended first, then a plain DROP, which stops an autovacuum worker there
 * itself (DROP ... WITH (FORCE) refuses, for a role that is not a
 * superuser, while one is there). */
static void
drop_db(const char *name)
{
    char sql[200];

    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(pid) FROM "
             "pg_stat_activity WHERE datname = '%.63s' AND usename = "
             "current_user", name);
    free(pq(admin_uri, sql));
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%.63s\"", name);
    free(pq(admin_uri, sql));
}

/* Another database on the server, empty, named after the fresh one with
 * suffix (so that runs side by side never share one); its URI, in a
 * static buffer (one at a time). */
static const char *
other_db(const char *suffix)
{
    static char uri[1024];
    char sql[200], *name = made[nmade++ % 8];
    const char *path = strstr(fresh_uri, ":///"), *q = strchr(fresh_uri, '?');
    int len = path ? (int)((q ? q : path + strlen(path)) - (path + 4)) : 0;

    snprintf(name, 64, "%.*s_%s", len > 40 ? 40 : len, path ? path + 4 : "",
             suffix);
    drop_db(name);
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%.63s\"", name);
    free(pq(admin_uri, sql));
    snprintf(uri, sizeof(uri), "postgresql:///%s%s", name, q ? q : "");
    return uri;
}

/* Drop what other_db() made. */
static void
drop_others(void)
{
    int i;

    for (i = 0; i < nmade && i < 8; i++)
        drop_db(made[i]);
}

/* Insert an item; returns the code. */
static int
add(const char *name, double score, int64_t *id)
{
    struct rt_items it = RT_ITEMS_INIT;
    int rc;

    it.name = name;
    it.score = score;
    it.has_score = true;
    rc = rt_items_insert(db, &it);
    if (id != NULL)
        *id = it.id;
    return rc;
}

/* How many items there are (-1 on error). */
static int64_t
items(void)
{
    int64_t n = -1;

    return rt_items_count(db, NULL, &n) == SC_OK ? n : -1;
}

/* The open made the schema at version 2, recorded once, in the table
 * the runtime keeps for a schema without a version table. */
static void
test_created(void)
{
    CHECK_INT(sc_version(db), 2);
    CHECK_PQ(fresh_uri, "SELECT count(*) || ':' || max(version) FROM "
             "schemac_version", "1:2");
    CHECK_PQ(fresh_uri, "SELECT count(*) FROM pg_tables WHERE schemaname = "
             "current_schema() AND tablename IN ('items', 'tags')", "2");
}

/* Generated keys come back into the row and from sc_last_insert_id();
 * a key given is kept. */
static void
test_generated_keys(void)
{
    struct rt_items got = RT_ITEMS_INIT, it = RT_ITEMS_INIT;
    int64_t a = 0, b = 0;

    CHECK_INT(add("alpha", 1.5, &a), SC_OK);
    CHECK_INT(add("beta", 2.5, &b), SC_OK);
    CHECK(a > 0 && b == a + 1);
    CHECK_INT(sc_last_insert_id(db), b);
    it.id = 1000;
    it.name = "given";
    CHECK_INT(rt_items_insert(db, &it), SC_OK);
    CHECK_INT(it.id, 1000);
    CHECK_INT(rt_items_get(db, 1000, &got), SC_OK);
    CHECK_STR(got.name, "given");
    CHECK(!got.has_score && !got.has_ok && got.data.data == NULL);
    rt_items_free(&got);
}

/* Constraint kinds are SC_CONSTRAINT and named as on SQLite. */
static void
test_constraints(void)
{
    struct rt_tags t = RT_TAGS_INIT;

    CHECK_INT(add("dup", 1, NULL), SC_OK);
    CHECK_INT(add("dup", 1, NULL), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "UNIQUE constraint failed") != NULL);
    CHECK_INT(add("negative", -1, NULL), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "CHECK constraint failed") != NULL);
    t.label = "orphan";
    t.item = 999999;
    t.has_item = true;
    CHECK_INT(rt_tags_insert(db, &t), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "FOREIGN KEY constraint failed") != NULL);
}

/* Text that is not UTF-8 is refused as on SQLite (SC_MISUSE, naming the
 * column, before the server sees it) where the server would answer
 * SC_ERROR "invalid byte sequence": a row's column, a key, a where
 * value.  Nothing is written. */
static void
test_text_not_utf8(void)
{
    struct rt_items it = RT_ITEMS_INIT;
    struct rt_tags t = RT_TAGS_INIT, got = RT_TAGS_INIT;
    sc_where w = SC_WHERE_INIT;
    int cols[] = { RT_ITEMS_COL_NOTE };
    int64_t before = items(), n = -1;

    CHECK_INT(add("bad \xff", 1, NULL), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "insert into items: column 'name' is not "
              "UTF-8 text (byte 4)");
    CHECK_INT(items(), before);
    CHECK_INT(add("Caf\xc3\xa9 \xf0\x9f\x98\x80", 1, &it.id), SC_OK);
    it.name = "Caf\xc3\xa9 \xf0\x9f\x98\x80";
    it.note = "\xc0\x80";
    CHECK_INT(rt_items_update_cols(db, &it, cols, 1), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "column 'note' is not UTF-8") != NULL);
    t.label = "\xed\xa0\x80";
    CHECK_INT(rt_tags_get(db, t.label, &got), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "column 'label' is not UTF-8") != NULL);
    CHECK_INT(sc_where_add(&w, "name = ?", 1, sc_text("\xe2\x28\xa1")),
              SC_MISUSE);
    CHECK_INT(rt_items_count(db, &w, &n), SC_MISUSE);
    sc_where_fini(&w);
    CHECK_INT(items(), before + 1);
}

/* Placeholders of where clauses become $n outside quotes; a count that
 * does not match the values is SC_MISUSE before the server sees it. */
static void
test_where(void)
{
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    CHECK_INT(sc_where_add(&w, "name <> '?' AND score > ?", 1, sc_real(2)),
              SC_OK);
    CHECK_INT(sc_where_add(&w, "name LIKE ?", 1, sc_text("b%")), SC_OK);
    CHECK_INT(rt_items_count(db, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    CHECK_INT(sc_where_add(&w, "score > ? AND score < ?", 1, sc_real(0)),
              SC_OK);
    CHECK_INT(rt_items_count(db, &w, &n), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "2 placeholders but 1 values") != NULL);
    sc_where_fini(&w);
}

/* More distinct filters than the connection keeps prepared, twice over:
 * each answers right whether kept, new, or prepared again after being
 * put out. */
static void
test_many_filters(void)
{
    char clause[64];
    int round, k;
    int64_t n;

    for (round = 0; round < 2; round++) {
        for (k = 0; k < 12; k++) {
            sc_where w = SC_WHERE_INIT;
            snprintf(clause, sizeof(clause), "score > ? - %d", k);
            CHECK_INT(sc_where_add(&w, clause, 1, sc_real(2.0)), SC_OK);
            n = -1;
            CHECK_INT(rt_items_count(db, &w, &n), SC_OK);
            /* alpha 1.5, beta 2.5, dup 1 (given has none): above
             * 2 - k is beta for k 0, alpha too for 1, dup too from 2. */
            CHECK_INT(n, k == 0 ? 1 : k == 1 ? 2 : 3);
            sc_where_fini(&w);
        }
    }
}

/* CHECK that schema statements run under the session's plan_cache_mode
 * ("auto"), as rt_plans() reads it. */
#define CHECK_SESSION_PLANS() do {                                      \
        struct rt_plans_row p_ = { NULL };                              \
        CHECK_INT(rt_plans(db, &p_), SC_OK);                            \
        CHECK_STR(p_.mode, "auto");                                     \
        rt_plans_row_free(&p_);                                         \
    } while (0)

/* CHECK that filtered counts run one after another run with custom
 * plans: the second counts the items for which the setting is
 * force_custom_plan, which must be all.  (The first, after another
 * statement, goes with its text, planned for its values in any mode.) */
#define CHECK_CUSTOM_PLANS() do {                                       \
        sc_where w_ = SC_WHERE_INIT;                                    \
        int64_t n_ = -1;                                                \
        sc_where_add(&w_, "current_setting('plan_cache_mode') = ?", 1,  \
                     sc_text("force_custom_plan"));                     \
        CHECK_INT(rt_items_count(db, &w_, &n_), SC_OK);                 \
        CHECK_INT(rt_items_count(db, &w_, &n_), SC_OK);                 \
        CHECK(n_ > 0);                                                  \
        CHECK_INT(n_, items());                                         \
        sc_where_fini(&w_);                                             \
    } while (0)

/* Filtered selects run with custom plans, everything else with the
 * session's, whatever ran before and whatever a rollback or a failed
 * statement undid of the change the runtime made. */
static void
test_plan_modes(void)
{
    sc_where bad = SC_WHERE_INIT;
    int64_t n;

    CHECK_CUSTOM_PLANS();
    CHECK_SESSION_PLANS();
    CHECK_CUSTOM_PLANS();
    /* A batch rolled back undoes the change made inside it. */
    CHECK_SESSION_PLANS();
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_CUSTOM_PLANS();
    CHECK_INT(sc_batch_end(db, SC_ERROR), SC_ERROR);
    CHECK_CUSTOM_PLANS();
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_SESSION_PLANS();
    CHECK_INT(sc_batch_end(db, SC_ERROR), SC_ERROR);
    CHECK_SESSION_PLANS();
    /* So does an inner batch rolled back to its savepoint. */
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_CUSTOM_PLANS();
    CHECK_INT(sc_batch_end(db, SC_ERROR), SC_ERROR);
    CHECK_CUSTOM_PLANS();
    CHECK_INT(sc_batch_end(db, SC_OK), SC_OK);
    /* And a statement that fails, with the change sent before it. */
    CHECK_INT(add("alpha", 1, NULL), SC_CONSTRAINT);
    CHECK_SESSION_PLANS();
    CHECK_INT(sc_where_add(&bad, "no_such_column = ?", 1, sc_int(1)), SC_OK);
    CHECK_INT(rt_items_count(db, &bad, &n), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "no_such_column") != NULL);
    CHECK_SESSION_PLANS();
    CHECK_INT(rt_items_count(db, &bad, &n), SC_ERROR);
    CHECK_CUSTOM_PLANS();
    sc_where_fini(&bad);
}

/* Paged, ordered selects and the named query agree; NULL sorts below
 * every value, as on SQLite. */
static int
collect(const struct rt_items *row, void *arg)
{
    char *names = arg;
    size_t used = strlen(names);

    /* names is 256 bytes: more rows than the test made stop the select
     * (SC_ABORT) instead of running past it. */
    if (snprintf(names + used, 256 - used, "%s,", row->name)
        >= (int)(256 - used))
        return 1;
    return 0;
}

static void
test_select_and_query(void)
{
    sc_order by = { RT_ITEMS_COL_SCORE, true };
    char names[256] = "";

    CHECK_INT(rt_items_select(db, NULL, &by, 1, 2, 0, collect, names),
              SC_OK);
    CHECK_STR(names, "beta,alpha,");
    names[0] = '\0';
    by.desc = false;
    CHECK_INT(rt_items_select(db, NULL, &by, 1, 1, 0, collect, names),
              SC_OK);
    CHECK_STR(names, "given,");
    names[0] = '\0';
    CHECK_INT(rt_best(db, 1.0, collect, names), SC_OK);
    CHECK_STR(names, "beta,alpha,dup,");
}

/* Only the chosen columns change. */
static void
test_update_cols(void)
{
    struct rt_items it = RT_ITEMS_INIT, got = RT_ITEMS_INIT;
    int cols[] = { RT_ITEMS_COL_OK };

    it.id = 1000;
    it.name = "not written";
    it.ok = true;
    it.has_ok = true;
    CHECK_INT(rt_items_update_cols(db, &it, cols, 1), SC_OK);
    CHECK_INT(rt_items_get(db, 1000, &got), SC_OK);
    CHECK_STR(got.name, "given");
    CHECK(got.has_ok && got.ok);
    rt_items_free(&got);
    it.id = 424242;
    CHECK_INT(rt_items_update_cols(db, &it, cols, 1), SC_NOTFOUND);
}

/* Nested batches are savepoints; the outer commit keeps what the inner
 * rollback left.  An operation's level is one too here: failed after a
 * change, it is undone alone and the batch goes on. */
static void
test_batch_nesting(void)
{
    int64_t before = items();

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add("outer", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add("inner", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 1);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(items(), before + 1);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_begin_op(db), SC_OK);
    CHECK_INT(add("operation", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_end(db, add("outer", 1, NULL)), SC_CONSTRAINT);
    CHECK_INT(sc_batch_depth(db), 1);
    CHECK_INT(add("after the operation", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(items(), before + 2);
}

/* An error aborts the transaction: later calls fail with SC_ERROR, the
 * commit rolls back and says so, and nothing of the batch is stored.
 * Rolling the inner level back recovers the outer one. */
static void
test_error_in_batch(void)
{
    int64_t before = items();

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add("kept?", 1, NULL), SC_OK);
    CHECK_INT(add("dup", 1, NULL), SC_CONSTRAINT);
    CHECK_INT(add("after", 1, NULL), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "aborted") != NULL);
    CHECK_INT(sc_batch_commit(db), SC_ERROR);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(items(), before);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add("kept", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add("dup", 1, NULL), SC_CONSTRAINT);
    CHECK_INT(sc_batch_end(db, SC_CONSTRAINT), SC_CONSTRAINT);
    CHECK_INT(add("also kept", 1, NULL), SC_OK);
    CHECK_INT(sc_batch_end(db, SC_OK), SC_OK);
    CHECK_INT(items(), before + 2);
}

/* A notice goes to the log callback, never to the terminal. */
static char logged[512];

static void
log_fn(void *arg, int rc, const char *msg)
{
    (void)arg;
    if (rc == SC_OK)
        snprintf(logged, sizeof(logged), "%s", msg);
}

static void
test_notice_logged(void)
{
    sc_opts o = { .log = log_fn };
    sc_db *d2 = NULL;

    CHECK_INT(sc_open(&d2, fresh_uri, &rt_schema, &o), SC_OK);
    CHECK_INT(rt_scratch(d2, NULL), SC_OK);
    CHECK_INT(rt_scratch(d2, NULL), SC_OK);
    CHECK(strstr(logged, "already exists") != NULL);
    sc_close(d2);
}

/* End every other session of the test's role on the database: ours and
 * any a helper connection of this test left closing.  Only the role's
 * own: the server's processes there (an autovacuum worker) are not the
 * test's, and signalling one is an error for a role that is not a
 * superuser, which would stop the query after it had ended some. */
#define END_SESSIONS "SELECT count(pg_terminate_backend(pid)) FROM "      \
    "pg_stat_activity WHERE datname = current_database() AND "            \
    "usename = current_user AND pid <> pg_backend_pid()"

/* Terminate the test's session from a connection of its own. */
static void
kill_session(void)
{
    char *n = pq(fresh_uri, END_SESSIONS);

    if (atoi(n) < 1)
        T_FAIL("no session ended: %s", n);
    free(n);
}

/* The server ends our session: the call that finds out is SC_IO with the
 * reason, the next one reconnects, and what was committed is there. */
static void
test_reconnect(void)
{
    int64_t before = items();

    kill_session();
    CHECK_INT(add("lost", 1, NULL), SC_IO);
    CHECK(strstr(sc_errmsg(db), "connection to PostgreSQL was lost") != NULL);
    CHECK_INT(items(), before);
    CHECK_INT(add("back", 1, NULL), SC_OK);
    CHECK_INT(items(), before + 1);
}

/* A filtered count of the items scoring above 0 (-1 on error). */
static int64_t
scored(void)
{
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    sc_where_add(&w, "score > ?", 1, sc_real(0));
    if (rt_items_count(db, &w, &n) != SC_OK)
        n = -1;
    sc_where_fini(&w);
    return n;
}

/* A session lost when the next statement goes in a pipeline (a change
 * of plan mode and a Parse before it) is SC_IO like any other, and the
 * call after it reconnects, prepares again and counts right; so does a
 * statement kept prepared whose session is gone. */
static void
test_reconnect_pipelined(void)
{
    sc_where w = SC_WHERE_INIT;
    int64_t want = scored(), n = -1;

    CHECK(want > 0);
    /* A get, then a filter (sent with its text), then the lost session:
     * the next filter sends SET, Parse and run in one pipeline. */
    CHECK_SESSION_PLANS();
    CHECK_INT(scored(), want);
    kill_session();
    sc_where_add(&w, "score > ?", 1, sc_real(0));
    CHECK_INT(rt_items_count(db, &w, &n), SC_IO);
    CHECK(strstr(sc_errmsg(db), "connection to PostgreSQL was lost")
          != NULL);
    CHECK_INT(scored(), want);
    CHECK_INT(scored(), want);
    CHECK_CUSTOM_PLANS();
    /* Filters in a row (kept prepared, custom plans), then the lost
     * session: the kept statement is gone with it. */
    kill_session();
    CHECK_INT(rt_items_count(db, &w, &n), SC_IO);
    CHECK_INT(scored(), want);
    CHECK_INT(scored(), want);
    CHECK_SESSION_PLANS();
    sc_where_fini(&w);
}

/* The child of test_fork_leaves_session: the inherited handle runs
 * nothing, and closing it frees it and leaves the parent's session. */
static int
child_closes(void *arg)
{
    sc_db *inherited = arg;
    int64_t n = -1;
    int found = 0;

    if (rt_items_count(inherited, NULL, &n) != SC_MISUSE || n != -1)
        found = 1;
    else if (strstr(sc_errmsg(inherited), "fork()") == NULL)
        found = 2;
    /* Closed whatever was found, for the parent to see what it did. */
    if (sc_close(inherited) != SC_OK && found == 0)
        found = 3;
    return found;
}

/* A child of fork() shares the parent's socket: a statement from it
 * would interleave with the parent's, and PQfinish() would end the
 * parent's session (Terminate).  The child is refused, its close sends
 * nothing, and the parent's next call finds its session. */
static void
test_fork_leaves_session(void)
{
    int64_t before = items();

    CHECK(before >= 0);
    CHECK_INT(t_in_child(child_closes, db), 0);
    CHECK_INT(add("after the child", 1, NULL), SC_OK);
    CHECK_INT(items(), before + 1);
}

/* Insert tag label (pointing at item when it is not 0). */
static int
tag(const char *label, int64_t item)
{
    struct rt_tags t = RT_TAGS_INIT;

    t.label = label;
    t.item = item;
    t.has_item = item != 0;
    return rt_tags_insert(db, &t);
}

/* How many tags there are (-1 on error). */
static int64_t
tags(void)
{
    int64_t n = -1;

    return rt_tags_count(db, NULL, &n) == SC_OK ? n : -1;
}

/* Inserts into a table without a generated key go without waiting in a
 * pipelined batch: more than one pipeline's worth, read back inside the
 * batch and after its commit; an insert with a generated key inside it
 * answers at once; a nested level rolled back undoes its own. */
static void
test_pipelined_batch(void)
{
    char label[32];
    int64_t before = tags(), id = 0;
    int i, bad = 0;

    CHECK(before >= 0);
    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    for (i = 0; i < 2500; i++) {
        snprintf(label, sizeof(label), "p%d", i);
        bad += tag(label, 0) != SC_OK;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(tags(), before + 2500);
    CHECK_INT(add("piped", 1, &id), SC_OK);
    CHECK(id > 0);
    CHECK_INT(tag("points", id), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(tag("inner", 0), SC_OK);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(sc_batch_begin_pipelined(db), SC_MISUSE);
    CHECK_INT(sc_batch_end(db, SC_OK), SC_OK);
    CHECK_INT(tags(), before + 2501);
    CHECK_PQ(fresh_uri, "SELECT count(*) FROM tags WHERE label = 'inner'",
             "0");
    CHECK_PQ(fresh_uri, "SELECT count(*) FROM tags WHERE label LIKE 'p%'",
             "2501");
    /* After the batch an insert answers at once again. */
    CHECK_INT(tag("p1", 0), SC_CONSTRAINT);
}

/* A write that fails in a pipelined batch is the error of the call that
 * waits next (the commit, or a read), naming the write; the batch keeps
 * nothing; a lost session is SC_IO at the commit. */
static void
test_pipelined_errors(void)
{
    int64_t before = tags();
    struct rt_tags got = RT_TAGS_INIT;

    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    CHECK_INT(tag("e1", 0), SC_OK);
    CHECK_INT(tag("p7", 0), SC_OK);         /* a duplicate, not yet told */
    CHECK_INT(tag("e2", 0), SC_OK);
    CHECK_INT(sc_batch_end(db, SC_OK), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "write 2 of the pipelined batch, into "
                 "tags") != NULL);
    CHECK(strstr(sc_errmsg(db), "UNIQUE") != NULL);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(tags(), before);
    /* Told by a read inside the batch, which then only rolls back. */
    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    CHECK_INT(tag("p8", 0), SC_OK);
    CHECK_INT(rt_tags_get(db, "p8", &got), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "write 1 of the pipelined batch") != NULL);
    CHECK_INT(tag("e3", 0), SC_ERROR);
    CHECK_INT(sc_batch_end(db, SC_ERROR), SC_ERROR);
    CHECK_INT(tags(), before);
    /* Rolled back with a failed write unanswered: the rollback is done
     * (the error does not stop it), nothing kept, the batch over. */
    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    CHECK_INT(tag("p9", 0), SC_OK);
    CHECK_INT(tag("e6", 0), SC_OK);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(tags(), before);
    CHECK_INT(tag("p9", 0), SC_CONSTRAINT);
    /* A nested level begun after a failed write is told of it. */
    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    CHECK_INT(tag("p10", 0), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "write 1 of the pipelined batch") != NULL);
    CHECK_INT(sc_batch_end(db, SC_ERROR), SC_ERROR);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(tags(), before);
    /* A session lost with writes unanswered. */
    CHECK_INT(sc_batch_begin_pipelined(db), SC_OK);
    CHECK_INT(tag("e4", 0), SC_OK);
    kill_session();
    CHECK_INT(sc_batch_end(db, SC_OK), SC_IO);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(tags(), before);
    CHECK_INT(tag("e5", 0), SC_OK);
    CHECK_INT(tags(), before + 1);
}

/* Emptied in one go, references and all; the version stays. */
static void
test_clear_all(void)
{
    struct rt_tags t = RT_TAGS_INIT;
    int64_t n = -1;

    t.label = "x";
    t.item = 1000;
    t.has_item = true;
    CHECK_INT(rt_tags_insert(db, &t), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(items(), 0);
    CHECK_INT(rt_tags_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    CHECK_PQ(fresh_uri, "SELECT max(version) FROM schemac_version", "2");
}

/* The rows of query flags, kept by keep_flag(); the blob, lent for the
 * callback only, as text. */
struct flag_seen {
    int n;
    struct rt_flags_row rows[4];
    char data[4][8];
};

/* rt_flags() callback: keep up to four rows. */
static int
keep_flag(const struct rt_flags_row *row, void *arg)
{
    struct flag_seen *f = arg;

    if (f->n < 4) {
        f->rows[f->n] = *row;
        snprintf(f->data[f->n], sizeof(f->data[f->n]), "%.*s",
                 row->data.data ? (int)row->data.len : 0,
                 row->data.data ? (const char *)row->data.data : "");
    }
    f->n++;
    return 0;
}

/* PostgreSQL sends a boolean as "t" or "f"; read into an integer, a
 * real, a boolean or a blob result it is 1 or 0 (true or false, "1" or
 * "0"), NULL staying NULL. */
static void
test_bools_as_numbers(void)
{
    static const int oks[3] = { 1, 0, -1 };     /* -1: NULL */
    struct flag_seen f;
    int i;

    memset(&f, 0, sizeof(f));
    CHECK_INT(sc_clear_all(db), SC_OK);
    for (i = 0; i < 3; i++) {
        struct rt_items it = RT_ITEMS_INIT;
        char name[8];
        snprintf(name, sizeof(name), "b%d", i);
        it.name = name;
        it.ok = oks[i] == 1;
        it.has_ok = oks[i] >= 0;
        CHECK_INT(rt_items_insert(db, &it), SC_OK);
    }
    CHECK_INT(rt_flags(db, keep_flag, &f), SC_OK);
    CHECK_INT(f.n, 3);
    for (i = 0; i < 3 && i < f.n; i++) {
        const struct rt_flags_row *r = &f.rows[i];
        CHECK_INT(r->has_ok_int, oks[i] >= 0);
        CHECK_INT(r->has_ok_real, oks[i] >= 0);
        CHECK_INT(r->has_ok, oks[i] >= 0);
        if (oks[i] >= 0) {
            CHECK_INT(r->ok_int, oks[i]);
            CHECK(r->ok_real == (double)oks[i]);
            CHECK_INT(r->ok, oks[i]);
            CHECK_STR(f.data[i], oks[i] ? "1" : "0");
        }
    }
}

/* The scores test_reals_round_trip() stores, and where select_scores()
 * compares what it reads. */
#define NREALS 3000
static double reals[NREALS];

/* rt_items_select() callback: the score of item "rN" must be reals[N],
 * bit for bit; counts the rows in *arg. */
static int
check_real(const struct rt_items *row, void *arg)
{
    int k = atoi(row->name + 1);

    if (k < 0 || k >= NREALS || !row->has_score
        || memcmp(&row->score, &reals[k], sizeof(double)) != 0) {
        T_FAIL("item %s: score %.17g, stored %.17g", row->name, row->score,
               k >= 0 && k < NREALS ? reals[k] : 0.0);
        return 1;
    }
    ++*(int *)arg;
    return 0;
}

/* A real read back from PostgreSQL's text is the double stored, bit for
 * bit: short decimals (as scores are) and random doubles of every
 * magnitude, subnormals and the largest, through select and get. */
static void
test_reals_round_trip(void)
{
    static const double fixed[] = {
        0.0, 0.5, 0.55, 0.1, 0.3, 1.0, 100.0, 0.1 + 0.2, 2.675,
        123456789012345.0, 12345678901234.5, 1234567890123456.7,
        9007199254740993.0, 5e-324, 2.2250738585072014e-308,
        2.2250738585072009e-308, 1.7976931348623157e308, 1e-300, 1e22,
        1e23
    };
    uint64_t st = 0x2545f4914f6cdd1dULL;
    struct rt_items got = RT_ITEMS_INIT;
    int64_t id = 0;
    int i, n = 0;

    CHECK_INT(sc_clear_all(db), SC_OK);
    for (i = 0; i < NREALS; i++) {
        uint64_t bits;
        st ^= st >> 12, st ^= st << 25, st ^= st >> 27;
        bits = st * 2685821657736338717ULL;
        if (i < (int)(sizeof(fixed) / sizeof(fixed[0])))
            reals[i] = fixed[i];
        else if (i % 2 == 0)
            reals[i] = (double)(bits % 1000000) / (i % 4 == 0 ? 100 : 1e6);
        else {
            bits &= ~(1ULL << 63);              /* the check wants >= 0 */
            if ((bits >> 52) == 0x7ff)
                bits ^= 1ULL << 62;             /* finite */
            memcpy(&reals[i], &bits, sizeof(double));
        }
    }
    CHECK_INT(sc_batch_begin(db), SC_OK);
    for (i = 0; i < NREALS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "r%d", i);
        if (add(name, reals[i], i == NREALS - 1 ? &id : NULL) != SC_OK) {
            T_FAIL("insert %s (%.17g): %s", name, reals[i], sc_errmsg(db));
            break;
        }
    }
    CHECK_INT(sc_batch_end(db, SC_OK), SC_OK);
    CHECK_INT(rt_items_select(db, NULL, NULL, 0, -1, 0, check_real, &n),
              SC_OK);
    CHECK_INT(n, NREALS);
    CHECK_INT(rt_items_get(db, id, &got), SC_OK);
    CHECK(memcmp(&got.score, &reals[NREALS - 1], sizeof(double)) == 0);
    rt_items_free(&got);
}

/* Newer and foreign databases are refused and left as they were. */
static void
test_refused_untouched(void)
{
    const char *uri;
    sc_db *d2 = NULL;

    uri = other_db("newer");
    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_OK);
    sc_close(d2);
    free(pq(uri, "UPDATE schemac_version SET version = 3"));
    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_VERSION);
    CHECK(strstr(sc_errmsg(d2), "newer") != NULL);
    sc_close(d2);
    CHECK_PQ(uri, "SELECT max(version) FROM schemac_version", "3");

    uri = other_db("foreign");
    free(pq(uri, "CREATE TABLE theirs (x integer)"));
    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_VERSION);
    CHECK(strstr(sc_errmsg(d2), "no version record") != NULL);
    sc_close(d2);
    CHECK_PQ(uri, "SELECT count(*) FROM pg_tables WHERE schemaname = "
             "current_schema()", "1");
}

/* No server there: SC_IO, and the message never quotes the password. */
static void
test_no_server(void)
{
    sc_db *d2 = NULL;
    int64_t n;

    CHECK_INT(sc_open(&d2, "postgresql://u:s3cret@127.0.0.1:1/none?"
                      "connect_timeout=2", &rt_schema, NULL), SC_IO);
    CHECK(strstr(sc_errmsg(d2), "cannot connect to PostgreSQL") != NULL);
    CHECK(strstr(sc_errmsg(d2), "s3cret") == NULL);
    CHECK_INT(rt_items_count(d2, NULL, &n), SC_MISUSE);
    sc_close(d2);
}

/* The log of a migrating child: its migration messages go to the pipe
 * whose write end arg holds. */
static void
log_migration(void *arg, int rc, const char *msg)
{
    int fd = *(int *)arg;

    if (rc == SC_OK && strncmp(msg, "migrated to version", 19) == 0
        && write(fd, "m", 1) != 1)
        abort();
}

/* A database at version 1 (version 2's column and index taken away, the
 * version put back), opened by eight processes at once: each succeeds,
 * exactly one migrates it, in one transaction, and the column and index
 * are back. */
static void
test_concurrent_migration(void)
{
    const char *uri = other_db("migrate");
    int i, status, ok = 0, fds[2], nmigrated = 0;
    pid_t pids[8];
    sc_db *d2 = NULL;
    char c;

    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_OK);
    sc_close(d2);
    free(pq(uri, "DROP INDEX idx_items_score; ALTER TABLE items DROP "
            "COLUMN note; UPDATE schemac_version SET version = 1"));
    CHECK_PQ(uri, "SELECT count(*) FROM information_schema.columns WHERE "
             "table_name = 'items' AND column_name = 'note'", "0");
    if (pipe(fds) != 0) {
        T_FAIL("pipe");
        return;
    }
    for (i = 0; i < 8; i++) {
        if ((pids[i] = fork()) == 0) {
            sc_opts o = { .log = log_migration, .log_arg = &fds[1] };
            int rc;
            close(fds[0]);
            rc = sc_open(&d2, uri, &rt_schema, &o);
            sc_close(d2);
            _exit(rc == SC_OK ? 0 : 1);
        }
    }
    close(fds[1]);
    while (read(fds[0], &c, 1) == 1)
        nmigrated++;
    close(fds[0]);
    for (i = 0; i < 8; i++)
        if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i]
            && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ok++;
    CHECK_INT(ok, 8);
    CHECK_INT(nmigrated, 1);
    CHECK_PQ(uri, "SELECT count(*) || ':' || max(version) FROM "
             "schemac_version", "1:2");
    CHECK_PQ(uri, "SELECT count(*) FROM information_schema.columns WHERE "
             "table_name = 'items' AND column_name = 'note'", "1");
    CHECK_PQ(uri, "SELECT count(*) FROM pg_indexes WHERE indexname = "
             "'idx_items_score'", "1");
    /* Gone with the column, back after the migration. */
    CHECK_PQ(uri, "SELECT count(*) FROM pg_indexes WHERE indexname = "
             "'idx_items_score_note'", "1");
}

/* The progress callback of test_migration_session_lost: as the first
 * version step is announced, end every session on the database at arg
 * but the one it uses itself. */
static void
lose_session(void *arg, const sc_progress *p)
{
    if (p->op != SC_PROGRESS_MIGRATE || p->done != 0)
        return;
    free(pq(arg, END_SESSIONS));
}

/* The session is lost as a version step starts (its BEGIN fails): the
 * open is SC_IO and says which migration failed, nothing of it is kept,
 * and the next open migrates.  (The step read the state its lock query
 * never wrote before.) */
static void
test_migration_session_lost(void)
{
    const char *uri = other_db("lost");
    sc_opts o = { .progress = lose_session };
    sc_db *d2 = NULL;

    o.progress_arg = (void *)uri;
    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_OK);
    sc_close(d2);
    free(pq(uri, "DROP INDEX idx_items_score; ALTER TABLE items DROP "
            "COLUMN note; UPDATE schemac_version SET version = 1"));
    CHECK_INT(sc_open(&d2, uri, &rt_schema, &o), SC_IO);
    CHECK(strncmp(sc_errmsg(d2), "migration to version 2 failed: ", 31)
          == 0);
    sc_close(d2);
    CHECK_PQ(uri, "SELECT max(version) FROM schemac_version", "1");
    CHECK_INT(sc_open(&d2, uri, &rt_schema, NULL), SC_OK);
    sc_close(d2);
    CHECK_PQ(uri, "SELECT max(version) FROM schemac_version", "2");
}

/* Eight processes open a new database at once: each succeeds, and the
 * schema is made exactly once. */
static void
test_concurrent_open(void)
{
    const char *uri = other_db("race");
    int i, status, ok = 0;
    pid_t pids[8];

    for (i = 0; i < 8; i++) {
        if ((pids[i] = fork()) == 0) {
            sc_db *d2 = NULL;
            int rc = sc_open(&d2, uri, &rt_schema, NULL);
            sc_close(d2);
            _exit(rc == SC_OK ? 0 : 1);
        }
    }
    for (i = 0; i < 8; i++)
        if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i]
            && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ok++;
    CHECK_INT(ok, 8);
    CHECK_PQ(uri, "SELECT count(*) FROM schemac_version", "1");
    /* Eight made the unversioned index at once: one index, no error. */
    CHECK_PQ(uri, "SELECT count(*) FROM pg_indexes WHERE indexname = "
             "'idx_items_score_note'", "1");
}

/* Whether a child process opening uri with rt_schema gets SC_OK within
 * five seconds. */
static bool
opens_promptly(const char *uri)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        sc_db *d2 = NULL;
        int rc;
        alarm(5);
        rc = sc_open(&d2, uri, &rt_schema, NULL);
        sc_close(d2);
        _exit(rc == SC_OK ? 0 : 1);
    }
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)
           && WEXITSTATUS(status) == 0;
}

/* The unversioned index: made by the open of a new database, made again
 * by the next open when it is gone, in no version; and an open finding it
 * there takes no lock on its table, so it does not wait for another
 * session's write in progress (CREATE INDEX IF NOT EXISTS alone would,
 * and would hold every later writer behind it). */
static void
test_unversioned(void)
{
    const char *uri = other_db("unversioned");
    PGconn *writer;
    PGresult *r;

    CHECK(opens_promptly(uri));
    CHECK_PQ(uri, "SELECT indexdef FROM pg_indexes WHERE indexname = "
             "'idx_items_score_note'", "CREATE INDEX idx_items_score_note "
             "ON public.items USING btree (score, note)");
    free(pq(uri, "DROP INDEX idx_items_score_note"));
    CHECK(opens_promptly(uri));
    CHECK_PQ(uri, "SELECT count(*) FROM pg_indexes WHERE indexname = "
             "'idx_items_score_note'", "1");
    CHECK_PQ(uri, "SELECT count(*) || ':' || max(version) FROM "
             "schemac_version", "1:2");
    writer = PQconnectdb(uri);
    r = PQexec(writer, "BEGIN; INSERT INTO items (name) VALUES ('held')");
    CHECK_INT(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    CHECK(opens_promptly(uri));
    PQclear(PQexec(writer, "ROLLBACK"));
    PQfinish(writer);
}

static const struct t_test tests[] = {
    T_TEST(test_created),
    T_TEST(test_generated_keys),
    T_TEST(test_constraints),
    T_TEST(test_where),
    T_TEST(test_many_filters),
    T_TEST(test_plan_modes),
    T_TEST(test_select_and_query),
    T_TEST(test_update_cols),
    T_TEST(test_batch_nesting),
    T_TEST(test_error_in_batch),
    T_TEST(test_notice_logged),
    T_TEST(test_reconnect),
    T_TEST(test_reconnect_pipelined),
    T_TEST(test_fork_leaves_session),
    T_TEST(test_pipelined_batch),
    T_TEST(test_pipelined_errors),
    T_TEST(test_clear_all),
    T_TEST(test_bools_as_numbers),
    T_TEST(test_reals_round_trip),
    T_TEST(test_refused_untouched),
    T_TEST(test_text_not_utf8),
    T_TEST(test_no_server),
    T_TEST(test_concurrent_open),
    T_TEST(test_concurrent_migration),
    T_TEST(test_migration_session_lost),
    T_TEST(test_unversioned),
};

int
main(int argc, char **argv)
{
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: test_rt FRESH_URI ADMIN_URI\n");
        return 2;
    }
    fresh_uri = argv[1];
    admin_uri = argv[2];
    if ((rc = sc_open(&db, fresh_uri, &rt_schema, NULL)) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    rc = T_RUN_ALL(tests);
    sc_close(db);
    drop_others();
    return rc;
}
