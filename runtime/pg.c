/*
 * pg.c - the PostgreSQL backend: a connection through libpq, the schema's
 * statements prepared once per connection in PostgreSQL's spelling (the
 * descriptor's pg_statements), values sent as text (blobs as bytes),
 * results read back as text into row structs, SQLSTATEs mapped onto SC_*
 * codes, and the schema's creation under an advisory lock.  The generic
 * row, select, query, batch and clear code calls the sci_pg_* functions
 * declared in internal.h; nopg.c stands in for this file when libschemac
 * is built without PostgreSQL (make PG=0).
 */
#include "internal.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* PostgreSQL's type numbers (pg_type.oid) of the result columns read
 * other than as text. */
#define BOOLOID  16
#define BYTEAOID 17

/* The table that keeps the version of a schema without a version table
 * of its own (SQLite keeps it in PRAGMA user_version). */
#define PG_VERSION_TABLE "schemac_version"

/* The plan_cache_mode the session runs statements under, as the runtime
 * last set it: the session's own (what it connected with; a statement
 * prepared once may get a generic plan after five runs), custom plans
 * (every run planned for its values), or unknown after a rollback or an
 * error may have undone a change. */
enum plans { PLANS_SESSION, PLANS_CUSTOM, PLANS_UNKNOWN };

/* The statements of one round trip, in the order sent: a change of
 * plan_cache_mode, the DEALLOCATE of what a slot's name held before, the
 * Parse of the name, and its run.  Each but the run may be left out. */
enum step { STEP_PLANS, STEP_DEALLOC, STEP_PARSE, STEP_RUN, NSTEPS };

struct sci_pg {
    PGconn *conn;
    bool *prepared;             /* schema->nstatements */
    /* Slot K of db->filtered is prepared as "scfN", N = fname[K], once
     * fprepared[K]; every new text gets a new N, so a name never stands
     * for two texts, whatever a failed round trip left on the server. */
    unsigned fname[SCI_FILTERED_MAX];
    bool fprepared[SCI_FILTERED_MAX];
    unsigned next_fname;
    enum plans plans;
    bool filter_last;           /* the last statement was a filter */
    bool lost;                  /* the connection broke; reset next call */
    /* A pipelined batch (sc_batch_begin_pipelined()): its writes sent
     * and not yet answered, what each was, and how many it sent before
     * them (to name a failed one). */
    bool pipelined;
    int nqueued;
    struct queued {
        enum step step;         /* which statement of the write's trip */
        unsigned stmt;          /* the schema statement written with */
        const char *table;      /* the table written */
        long call;              /* the write's number in the batch */
    } queued[SCI_PIPELINE_MAX];
    long nsent;
};

/* libpq's notices (NOTICE, WARNING) go to the log callback, never to
 * stderr: the runtime does not print. */
static void
notice(void *arg, const char *msg)
{
    sc_db *db = arg;

    if (db->log != NULL)
        db->log(db->log_arg, SC_OK, msg);
}

/* Copy msg into buf (size bytes) without the trailing newline libpq
 * ends its messages with; returns buf. */
static const char *
trim(const char *msg, char *buf, size_t size)
{
    size_t n;

    snprintf(buf, size, "%s", msg ? msg : "");
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return buf;
}

/*
 * The SC_* code for a failed result: by SQLSTATE class, and SC_IO when
 * the connection is gone or unusable (which also marks it for a reset
 * on the next call).  Serialization failures and deadlocks are SC_BUSY:
 * retry the batch.
 */
static int
rc_from_result(struct sci_pg *pg, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                            : NULL;

    if (PQstatus(pg->conn) == CONNECTION_BAD || pg->lost) {
        pg->lost = true;
        return SC_IO;
    }
    if (state == NULL)
        return res == NULL ? SC_NOMEM : SC_ERROR;
    if (strncmp(state, "23", 2) == 0)
        return SC_CONSTRAINT;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0
        || strcmp(state, "55P03") == 0)
        return SC_BUSY;
    if (strcmp(state, "53200") == 0)
        return SC_NOMEM;
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0
        || strncmp(state, "57P", 3) == 0 || strncmp(state, "58", 2) == 0)
        return SC_IO;
    return SC_ERROR;
}

/* The words SQLite starts a violated constraint's message with, for
 * the SQLSTATE of res, so that a message names the kind of constraint
 * on either engine; "" for any other error. */
static const char *
constraint_words(const PGresult *res)
{
    static const struct {
        const char *state, *words;
    } kinds[] = {
        { "23502", "NOT NULL constraint failed: " },
        { "23503", "FOREIGN KEY constraint failed: " },
        { "23505", "UNIQUE constraint failed: " },
        { "23514", "CHECK constraint failed: " },
    };
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                            : NULL;
    size_t i;

    for (i = 0; state != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(state, kinds[i].state) == 0)
            return kinds[i].words;
    return "";
}

/* Record the failure of res (may be NULL) on db as "what: message" and
 * return its SC_* code. */
static int
result_error(sc_db *db, const PGresult *res, const char *what)
{
    char buf[SCI_MSG_MAX];
    int rc = rc_from_result(db->pg, res);
    const char *msg = res ? PQresultErrorMessage(res) : "";

    if (msg == NULL || *msg == '\0')
        msg = PQerrorMessage(db->pg->conn);
    if (rc == SC_IO)
        return sci_error(db, rc, "%s: the connection to PostgreSQL was "
                         "lost: %s", what, trim(msg, buf, sizeof(buf)));
    return sci_error(db, rc, "%s: %s%s", what, constraint_words(res),
                     trim(msg, buf, sizeof(buf)));
}

/* Whether res reports success (with rows or without). */
static bool
result_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);

    return res != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
}

/*
 * Make sure the connection is usable: after a loss, reset it (the
 * statements prepared on the old one are gone with it).  A batch cannot
 * survive the loss of its transaction, so inside one the call fails with
 * SC_IO until the batch is ended.  Returns SC_OK or SC_IO.
 */
static int
ready(sc_db *db)
{
    struct sci_pg *pg = db->pg;

    if (!pg->lost && PQstatus(pg->conn) == CONNECTION_OK)
        return SC_OK;
    if (db->batch_depth > 0)
        return sci_error(db, SC_IO, "the connection to PostgreSQL was lost "
                         "inside a batch; its work was not committed");
    PQreset(pg->conn);
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        char buf[SCI_MSG_MAX];
        pg->lost = true;
        return sci_error(db, SC_IO, "cannot reconnect to PostgreSQL: %s",
                         trim(PQerrorMessage(pg->conn), buf, sizeof(buf)));
    }
    pg->lost = false;
    memset(pg->prepared, 0, db->schema->nstatements * sizeof(bool));
    memset(pg->fprepared, 0, sizeof(pg->fprepared));
    pg->plans = PLANS_SESSION;
    return SC_OK;
}

static int settle(sc_db *db);

/* Run sql without parameters (several statements allowed). */
int
sci_pg_exec(sc_db *db, const char *sql, const char *what)
{
    bool rollback = strstr(sql, "ROLLBACK") != NULL;
    PGresult *res;
    int rc;

    /* A write sent without waiting that failed is this call's error,
     * unless the call rolls the batch back, which it undoes anyway. */
    rc = settle(db);
    if (rollback)
        rc = SC_OK;
    if (rc != SC_OK || (rc = ready(db)) != SC_OK)
        return rc;
    res = PQexec(db->pg->conn, sql);
    rc = result_ok(res) ? SC_OK : result_error(db, res, what);
    /* A rollback (of a batch, to a savepoint, or of a failed COMMIT)
     * undoes a SET made since. */
    if (rc != SC_OK || rollback)
        db->pg->plans = PLANS_UNKNOWN;
    PQclear(res);
    return rc;
}

/* The transaction state: 0 none, 1 open, 2 aborted by an error. */
int
sci_pg_tx_state(const sc_db *db)
{
    switch (PQtransactionStatus(db->pg->conn)) {
    case PQTRANS_INTRANS:
    case PQTRANS_ACTIVE:
        return 1;
    case PQTRANS_INERROR:
        return 2;
    case PQTRANS_IDLE:
    case PQTRANS_UNKNOWN:
        break;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/* The n values of one statement as libpq takes them: text, but blobs as
 * bytes; numbers written into num. */
/* The values of most statements fit on the stack (a row of up to
 * PARAMS_STACK columns); wider ones allocate. */
#define PARAMS_STACK 32

struct params {
    const char **values;
    int *lengths;
    int *formats;
    char (*num)[40];
    const char *values_s[PARAMS_STACK];
    int lengths_s[PARAMS_STACK], formats_s[PARAMS_STACK];
    char num_s[PARAMS_STACK][40];
};

/* Write v as PostgreSQL reads it into slot i of p.  A real is written
 * with 17 significant digits, which read back to the same double; a NaN
 * is NULL and -0.0 is 0, as SQLite stores them. */
static void
param_set(struct params *p, size_t i, const sc_value *v)
{
    p->lengths[i] = 0;
    p->formats[i] = 0;
    switch (v->type) {
    case SC_V_NULL:
        p->values[i] = NULL;
        return;
    case SC_V_INT:
        snprintf(p->num[i], sizeof(p->num[i]), "%" PRId64, v->u.i);
        break;
    case SC_V_REAL:
        if (isnan(v->u.d)) {
            p->values[i] = NULL;
            return;
        }
        if (isinf(v->u.d))
            snprintf(p->num[i], sizeof(p->num[i]), "%sInfinity",
                     v->u.d < 0 ? "-" : "");
        else
            snprintf(p->num[i], sizeof(p->num[i]), "%.17g",
                     v->u.d == 0 ? 0.0 : v->u.d);
        break;
    case SC_V_TEXT:
        p->values[i] = v->u.s.p;
        return;
    case SC_V_BLOB:
        /* A zero-length blob still needs a non-NULL pointer (NULL would
         * be SQL NULL). */
        p->values[i] = v->u.s.len > 0 ? v->u.s.p : "";
        p->lengths[i] = (int)v->u.s.len;
        p->formats[i] = 1;
        return;
    }
    p->values[i] = p->num[i];
}

/* Make p ready for n values (its own arrays, or allocated beyond
 * PARAMS_STACK) and fill it from v; SC_OK or SC_NOMEM (or
 * SC_MISUSE for a blob libpq cannot send). */
static int
params_make(sc_db *db, struct params *p, const sc_value *v, size_t n)
{
    size_t i;

    if (n <= PARAMS_STACK) {
        p->values = p->values_s;
        p->lengths = p->lengths_s;
        p->formats = p->formats_s;
        p->num = p->num_s;
    } else {
        p->values = calloc(n, sizeof(*p->values));
        p->lengths = calloc(n, sizeof(*p->lengths));
        p->formats = calloc(n, sizeof(*p->formats));
        p->num = calloc(n, sizeof(*p->num));
        if (!p->values || !p->lengths || !p->formats || !p->num)
            return sci_error(db, SC_NOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        if (v[i].type == SC_V_BLOB && v[i].u.s.len > INT32_MAX)
            return sci_error(db, SC_MISUSE, "parameter %zu: a blob of %zu "
                             "bytes is more than PostgreSQL takes", i + 1,
                             v[i].u.s.len);
        param_set(p, i, &v[i]);
    }
    return SC_OK;
}

/* Free what params_make() allocated. */
static void
params_free(struct params *p)
{
    if (p->values == p->values_s)
        return;
    free(p->values);
    free(p->lengths);
    free(p->formats);
    free(p->num);
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

struct trip {
    const char *name;           /* the prepared statement run */
    const char *sql[NSTEPS];    /* each step's text (NULL: not sent) */
    bool done[NSTEPS];          /* which steps succeeded */
};

/* Send step k of t on c; 1 when libpq took it. */
static int
send_step(PGconn *c, const struct trip *t, int k, const struct params *p,
          int n)
{
    switch (k) {
    case STEP_PARSE:
        return PQsendPrepare(c, t->name, t->sql[k], 0, NULL);
    case STEP_RUN:
        return PQsendQueryPrepared(c, t->name, n, p->values, p->lengths,
                                   p->formats, 0);
    }
    return PQsendQueryParams(c, t->sql[k], 0, NULL, NULL, NULL, NULL, 0);
}

/* Send, in order, the steps of trip t that have a text, the connection
 * in pipeline mode; which steps went in sent[], how many the result.
 * When libpq refuses one the connection is marked lost. */
static int
send_trip(struct sci_pg *pg, struct trip *t, const struct params *p, int n,
          enum step sent[NSTEPS])
{
    int k, nsent = 0;

    t->sql[STEP_RUN] = t->name;
    for (k = 0; k < NSTEPS && !pg->lost; k++)
        if (t->sql[k] != NULL) {
            if (send_step(pg->conn, t, k, p, n) != 1)
                pg->lost = true;
            else
                sent[nsent++] = (enum step)k;
        }
    return nsent;
}

/*
 * Sync the n statements sent in pipeline mode, read their results and
 * leave pipeline mode; ok[k] says whether statement k succeeded (after a
 * failure the server skips the rest).  Returns the first failure's
 * result (its index in *failed), else statement keep's result (keep < 0:
 * none), else NULL.  A broken connection ends the reading early; one
 * that cannot leave pipeline mode is marked lost.
 */
static PGresult *
collect(struct sci_pg *pg, int n, bool *ok, int keep, int *failed)
{
    PGresult *res, *out = NULL;
    int k = 0;

    memset(ok, 0, (size_t)n * sizeof(*ok));
    *failed = -1;
    if (!pg->lost && PQpipelineSync(pg->conn) != 1)
        pg->lost = true;
    /* Each statement's results end with a NULL; the sync's is its own. */
    while (!pg->lost && k <= n) {
        if ((res = PQgetResult(pg->conn)) == NULL) {
            if (++k > n || PQstatus(pg->conn) != CONNECTION_OK)
                break;
            continue;
        }
        if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (k < n)
            ok[k] = result_ok(res);
        if (k < n && !ok[k] && *failed < 0
            && PQresultStatus(res) != PGRES_PIPELINE_ABORTED) {
            PQclear(out);
            out = res, *failed = k;
        } else if (k == keep && ok[k] && out == NULL) {
            out = res;
        } else {
            PQclear(res);
        }
    }
    if (PQexitPipelineMode(pg->conn) != 1)
        pg->lost = true;
    return out;
}

/*
 * Run trip t on pg's connection in one round trip: its steps in libpq's
 * pipeline mode, one sync after them, so that the server runs them in
 * order in one implicit transaction (or in the batch's), skipping the
 * rest after an error.  Returns the run's result or the first error's
 * (NULL when libpq gave none), and marks t->done.  A trip that is only
 * the run is a plain PQexecPrepared().
 */
static PGresult *
run_trip(struct sci_pg *pg, struct trip *t, const struct params *p, int n)
{
    PGresult *out;
    enum step sent[NSTEPS];
    bool ok[NSTEPS];
    int k, nsent, failed;

    memset(t->done, 0, sizeof(t->done));
    if (!t->sql[STEP_PLANS] && !t->sql[STEP_DEALLOC] && !t->sql[STEP_PARSE]) {
        out = PQexecPrepared(pg->conn, t->name, n, p->values, p->lengths,
                             p->formats, 0);
        t->done[STEP_RUN] = result_ok(out);
        return out;
    }
    if (PQenterPipelineMode(pg->conn) != 1)
        pg->lost = true;
    nsent = send_trip(pg, t, p, n, sent);
    out = collect(pg, nsent, ok, nsent - 1, &failed);
    for (k = 0; k < nsent; k++)
        t->done[sent[k]] = ok[k];
    return out;
}

/* The text that sets plans to want. */
static const char *
plans_sql(enum plans want)
{
    return want == PLANS_CUSTOM ? "SET plan_cache_mode = force_custom_plan"
                                : "RESET plan_cache_mode";
}

/* *out = res when ok and res reports success, else record res's error
 * on db and free it; SC_OK or the error's code. */
static int
take_result(sc_db *db, PGresult *res, bool ok, struct pg_result **out)
{
    int rc;

    if (ok && result_ok(res)) {
        *out = res;
        return SC_OK;
    }
    rc = result_error(db, res, "PostgreSQL");
    PQclear(res);
    return rc;
}

/* Run the text sql with the n values of p as the unnamed statement
 * (PQexecParams: parsed, and planned for those values, this once). */
static int
run_text(sc_db *db, const char *sql, const struct params *p, int n,
         struct pg_result **out)
{
    return take_result(db, PQexecParams(db->pg->conn, sql, n, NULL,
                                        p->values, p->lengths, p->formats,
                                        0), true, out);
}

/* Fill trip t for schema statement stmt, named into name (size bytes):
 * its Parse when this connection has not prepared it. */
static void
schema_trip(sc_db *db, unsigned stmt, struct trip *t, char *name,
            size_t size)
{
    snprintf(name, size, "sc%u", stmt);
    t->name = name;
    if (!db->pg->prepared[stmt])
        t->sql[STEP_PARSE] = db->schema->pg_statements[stmt];
}

/*
 * Fill trip t for the text sql, kept prepared in slot *slot of
 * db->filtered: the slot already holding it, else a new one, under a new
 * name, the statement it held deallocated first.  SC_OK or SC_NOMEM.
 */
static int
text_trip(sc_db *db, const char *sql, struct trip *t, char *name,
          size_t size, char *dealloc, size_t dsize, unsigned *slot)
{
    struct sci_pg *pg = db->pg;
    struct sci_filtered *f = sci_filtered_find(db, sql);
    unsigned k;

    if (f == NULL) {
        char *copy = malloc(strlen(sql) + 1);
        if (copy == NULL)
            return sci_error(db, SC_NOMEM, "out of memory");
        f = sci_filtered_victim(db);    /* never busy on PostgreSQL */
        assert(f != NULL);
        f->sql = strcpy(copy, sql);
        k = (unsigned)(f - db->filtered);
        if (pg->fprepared[k]) {
            snprintf(dealloc, dsize, "DEALLOCATE scf%u", pg->fname[k]);
            t->sql[STEP_DEALLOC] = dealloc;
        }
        pg->fname[k] = ++pg->next_fname;
        pg->fprepared[k] = false;
    }
    k = (unsigned)(f - db->filtered);
    snprintf(name, size, "scf%u", pg->fname[k]);
    t->name = name;
    if (!pg->fprepared[k])
        t->sql[STEP_PARSE] = sql;
    *slot = k;
    return SC_OK;
}

/*
 * Run schema statement stmt (prepared once per connection) or, when stmt
 * is SC_NO_STMT, the text sql, kept prepared by its text in a slot of
 * db->filtered (as SQLite's side keeps it), with the n values v bound to
 * $1..$n; every result column comes back as text.  With custom set, a
 * text runs with custom plans, planned for its values each time.  On
 * SC_OK *out holds the result (free it with sci_pg_clear()); on failure
 * the error is recorded on db and *out is NULL.
 *
 * Why custom plans: a statement prepared once gets PostgreSQL's generic
 * plan after five runs when the planner guesses it is no dearer, and for
 * a filter that guess can be twice as slow (docs/performance.md, 9.3).
 * Planning each run costs little beside a select of many rows but would
 * make a get or an insert several times slower, so the session is
 * switched to custom plans only for filters run one after another (the
 * change sent in the round trip of the second, and back in that of the
 * next other statement).  A filter between other statements goes with
 * its text (PQexecParams: the server parses it and plans it for its
 * values), which costs what the two changes of mode would.
 */
int
sci_pg_run(sc_db *db, unsigned stmt, const char *sql, bool custom,
           const sc_value *v, size_t n, struct pg_result **out)
{
    struct sci_pg *pg;
    struct trip t = { NULL, { NULL }, { false } };
    enum plans want = sql != NULL && custom ? PLANS_CUSTOM : PLANS_SESSION;
    struct params p;
    char name[32], dealloc[48];
    PGresult *res = NULL;
    bool *prepared, once;
    unsigned k = 0;
    int rc;

    assert(db != NULL && out != NULL);
    pg = db->pg;
    assert(pg != NULL);
    assert((stmt == SC_NO_STMT) == (sql != NULL));
    *out = NULL;
    if (n > 65535)
        return sci_error(db, SC_MISUSE, "%zu values: PostgreSQL takes at "
                         "most 65535 in one statement", n);
    if ((rc = settle(db)) != SC_OK || (rc = ready(db)) != SC_OK)
        return rc;
    once = want == PLANS_CUSTOM && pg->plans != PLANS_CUSTOM
        && !pg->filter_last;
    pg->filter_last = want == PLANS_CUSTOM;
    if ((rc = params_make(db, &p, v, n)) != SC_OK || once) {
        if (rc == SC_OK)
            rc = run_text(db, sql, &p, (int)n, out);
        params_free(&p);
        return rc;
    }
    if (sql != NULL) {
        rc = text_trip(db, sql, &t, name, sizeof(name), dealloc,
                       sizeof(dealloc), &k);
        prepared = &pg->fprepared[k];
    } else {
        schema_trip(db, stmt, &t, name, sizeof(name));
        prepared = &pg->prepared[stmt];
    }
    if (pg->plans != want)
        t.sql[STEP_PLANS] = plans_sql(want);
    if (rc == SC_OK) {
        res = run_trip(pg, &t, &p, (int)n);
        if (t.done[STEP_PARSE])
            *prepared = true;
        /* A failed trip rolls a SET back with its implicit transaction. */
        pg->plans = t.done[STEP_RUN] ? want : PLANS_UNKNOWN;
        rc = take_result(db, res, t.done[STEP_RUN], out);
    }
    params_free(&p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Pipelined batches                                                   */
/* ------------------------------------------------------------------ */

/* See internal.h. */
void
sci_pg_pipeline_begin(sc_db *db)
{
    assert(db != NULL && db->pg != NULL && db->pg->nqueued == 0);
    db->pg->pipelined = true;
    db->pg->nsent = 0;
}

/* See internal.h. */
bool
sci_pg_pipelined(sc_db *db)
{
    struct sci_pg *pg = db->pg;

    /* The pipelined batch ends with its transaction. */
    if (pg->pipelined && pg->nqueued == 0
        && PQtransactionStatus(pg->conn) != PQTRANS_INTRANS)
        pg->pipelined = false;
    return pg->pipelined;
}

/*
 * Wait for the answers to every write sent without waiting: a sync, its
 * results read, pipeline mode left.  SC_OK when all succeeded; else the
 * first failure's code, recorded on db naming the write (the batch's
 * transaction is then aborted: the calls after it were not run).
 */
static int
settle(sc_db *db)
{
    struct sci_pg *pg = db->pg;
    bool ok[SCI_PIPELINE_MAX];
    const struct queued *q;
    PGresult *failed;
    int k, at, rc = SC_OK;

    if (pg->nqueued == 0)
        return SC_OK;
    failed = collect(pg, pg->nqueued, ok, -1, &at);
    for (k = 0; k < pg->nqueued; k++)
        if (!ok[k] && pg->queued[k].step == STEP_PARSE)
            pg->prepared[pg->queued[k].stmt] = false;
    if (failed != NULL || pg->lost) {
        q = &pg->queued[at >= 0 ? at : 0];
        rc = result_error(db, failed, "PostgreSQL");
        sci_prefix(db, "write %ld of the pipelined batch, into %s, sent "
                   "without waiting: ", q->call, q->table);
        pg->plans = PLANS_UNKNOWN;
    }
    PQclear(failed);
    pg->nqueued = 0;
    return rc;
}

/* See internal.h. */
int
sci_pg_send(sc_db *db, unsigned stmt, const char *table, const sc_value *v,
            size_t n)
{
    struct sci_pg *pg = db->pg;
    struct trip t = { NULL, { NULL }, { false } };
    enum step sent[NSTEPS];
    struct params p;
    char name[32];
    int k, nsent, rc;

    assert(pg != NULL && pg->pipelined && stmt != SC_NO_STMT);
    if (pg->nqueued + NSTEPS > SCI_PIPELINE_MAX
        && (rc = settle(db)) != SC_OK)
        return rc;
    if (pg->lost)
        return sci_error(db, SC_IO, "the connection to PostgreSQL was lost "
                         "inside a batch; its work was not committed");
    if ((rc = params_make(db, &p, v, n)) != SC_OK) {
        params_free(&p);
        return rc;
    }
    schema_trip(db, stmt, &t, name, sizeof(name));
    if (pg->plans != PLANS_SESSION)
        t.sql[STEP_PLANS] = plans_sql(PLANS_SESSION);
    if (pg->nqueued == 0 && PQenterPipelineMode(pg->conn) != 1)
        pg->lost = true;
    nsent = send_trip(pg, &t, &p, (int)n, sent);
    pg->nsent++;
    for (k = 0; k < nsent; k++) {
        struct queued *q = &pg->queued[pg->nqueued++];
        q->step = sent[k];
        q->stmt = stmt;
        q->table = table;
        q->call = pg->nsent;
    }
    /* What was sent is answered at the next settle(), which undoes
     * these when they fail. */
    pg->prepared[stmt] = true;
    pg->plans = PLANS_SESSION;
    params_free(&p);
    if (pg->lost)
        return sci_error(db, SC_IO, "the connection to PostgreSQL was lost: "
                         "%s", PQerrorMessage(pg->conn));
    return SC_OK;
}

/*
 * Run sql once with the n values v, for the runtime's own reads of the
 * version; as sci_pg_run() otherwise.
 */
static int
run_once(sc_db *db, const char *sql, const sc_value *v, size_t n,
         struct pg_result **out)
{
    struct params p;
    int rc;

    *out = NULL;
    if ((rc = ready(db)) != SC_OK)
        return rc;
    if ((rc = params_make(db, &p, v, n)) == SC_OK)
        rc = run_text(db, sql, &p, (int)n, out);
    params_free(&p);
    return rc;
}

/* Rows in res. */
int
sci_pg_nrows(const struct pg_result *res)
{
    return PQntuples(res);
}

/* Rows res inserted, updated or deleted. */
int64_t
sci_pg_changes(const struct pg_result *res)
{
    const char *n = PQcmdTuples((PGresult *)(uintptr_t)res);

    return n != NULL && *n != '\0' ? strtoll(n, NULL, 10) : 0;
}

/* Free res; NULL is a no-op. */
void
sci_pg_clear(struct pg_result *res)
{
    PQclear(res);
}

/* ------------------------------------------------------------------ */
/* Reading rows                                                        */
/* ------------------------------------------------------------------ */

/* Member access into a row struct by descriptor offset. */
#define MEMBER(row, off, type) ((type *)(void *)((char *)(row) + (off)))

/* Decode PostgreSQL's hex form of a bytea ("\x0a1b...") into a malloc'd
 * buffer (one byte longer, NUL-ended); NULL when malformed or out of
 * memory (*nomem then says which). */
static unsigned char *
decode_bytea(const char *s, size_t *len, bool *nomem)
{
    size_t n = strlen(s), i;
    unsigned char *b;

    *nomem = false;
    if (n < 2 || s[0] != '\\' || s[1] != 'x' || (n - 2) % 2 != 0)
        return NULL;
    n = (n - 2) / 2;
    if ((b = malloc(n + 1)) == NULL) {
        *nomem = true;
        return NULL;
    }
    for (i = 0; i < n; i++) {
        unsigned hi, lo;
        char h = s[2 + 2 * i], l = s[3 + 2 * i];
        if (!isxdigit((unsigned char)h) || !isxdigit((unsigned char)l)) {
            free(b);
            return NULL;
        }
        hi = (unsigned)(isdigit((unsigned char)h) ? h - '0'
                        : tolower((unsigned char)h) - 'a' + 10);
        lo = (unsigned)(isdigit((unsigned char)l) ? l - '0'
                        : tolower((unsigned char)l) - 'a' + 10);
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    b[n] = '\0';
    *len = n;
    return b;
}

/* Copy the NUL-ended s; NULL when memory runs out. */
static char *
copy_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* What reading one value found. */
enum read_result { READ_OK, READ_MISMATCH, READ_NOMEM };

/* Whether result column col of res is a boolean ("t" or "f"). */
static bool
is_bool(const PGresult *res, int col)
{
    return PQftype(res, col) == BOOLOID;
}

/*
 * Read text s (result column col of res) into column c of row; NULL is
 * s == NULL.  Booleans come as "t" or "f", wherever they are read; an
 * integer column takes a whole number written as a real too.  The
 * column's PostgreSQL type is asked only where it decides: when a
 * number does not parse (a boolean read as a number) and for a blob.
 * Text is copied with copy, else lent (s itself, which lives as long as
 * the result); a blob is decoded into memory of its own either way.
 */
static enum read_result
read_value(const char *s, const PGresult *res, int col, const sc_column *c,
           void *row, bool copy)
{
    bool nomem;
    int64_t i;
    double d;
    size_t k, len;

    if (s == NULL) {
        if ((c->flags & SC_COL_NOTNULL) != 0
            || (c->has_offset == 0 && c->type != SC_T_TEXT
                && c->type != SC_T_TIMESTAMP && c->type != SC_T_BLOB))
            return READ_MISMATCH;
        if (c->has_offset != 0)
            *MEMBER(row, c->has_offset, bool) = false;
        return READ_OK;
    }
    if (c->has_offset != 0)
        *MEMBER(row, c->has_offset, bool) = true;
    switch (c->type) {
    case SC_T_INTEGER:
        if (sci_parse_int(s, &i))
            ;
        else if (is_bool(res, col))
            i = s[0] == 't';
        else if (sci_parse_real(s, &d) && d >= -9223372036854775808.0
                 && d < 9223372036854775808.0 && d == (double)(int64_t)d)
            i = (int64_t)d;
        else
            return READ_MISMATCH;
        *MEMBER(row, c->offset, int64_t) = i;
        return READ_OK;
    case SC_T_REAL:
        if (sci_parse_real(s, &d))
            ;
        else if (is_bool(res, col))
            d = s[0] == 't';
        else
            return READ_MISMATCH;
        *MEMBER(row, c->offset, double) = d;
        return READ_OK;
    case SC_T_BOOLEAN:
        if (is_bool(res, col))
            i = s[0] == 't';
        else if (!sci_parse_int(s, &i) || (uint64_t)i > 1)
            return READ_MISMATCH;
        *MEMBER(row, c->offset, bool) = i != 0;
        return READ_OK;
    case SC_T_TEXT:
    case SC_T_TIMESTAMP:
        if (!copy)
            *MEMBER(row, c->offset, const char *) = s;
        else if ((*MEMBER(row, c->offset, char *) = copy_text(s)) == NULL)
            return READ_NOMEM;
        return READ_OK;
    case SC_T_BLOB:
        if (PQftype(res, col) == BYTEAOID) {
            unsigned char *b = decode_bytea(s, &len, &nomem);
            if (b == NULL)
                return nomem ? READ_NOMEM : READ_MISMATCH;
            MEMBER(row, c->offset, sc_blob)->data = b;
            MEMBER(row, c->offset, sc_blob)->len = len;
            return READ_OK;
        }
        if (is_bool(res, col))
            s = s[0] == 't' ? "1" : "0";
        len = strlen(s);
        if ((MEMBER(row, c->offset, sc_blob)->data =
                 (unsigned char *)copy_text(s)) == NULL)
            return READ_NOMEM;
        MEMBER(row, c->offset, sc_blob)->len = len;
        return READ_OK;
    case SC_T_ENUM:
        for (k = 0; k < c->nenum_names; k++)
            if (strcmp(s, c->enum_names[k]) == 0) {
                *MEMBER(row, c->offset, int) = (int)k;
                return READ_OK;
            }
        return READ_MISMATCH;
    }
    return READ_MISMATCH;
}

/* Free what a row read without copy owns (its blobs) and zero it; see
 * internal.h. */
void
sci_pg_release_row(const sc_column *cols, size_t n, void *row,
                   size_t row_size)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (cols[i].type == SC_T_BLOB)
            free((void *)(uintptr_t)MEMBER(row, cols[i].offset,
                                          sc_blob)->data);
    memset(row, 0, row_size);
}

/*
 * Read row r of res, result columns 0..n-1, into row by the n descriptors
 * at cols, text and blobs as malloc'd copies (free with sci_free_row()),
 * or with copy unset text lent from res (release the row with
 * sci_pg_release_row()).  On failure what was allocated is freed, row is
 * zeroed and the error recorded on db (SC_CORRUPT naming the column
 * whose value its type does not allow, or SC_NOMEM), what saying where.
 */
int
sci_pg_read_row(sc_db *db, const struct pg_result *res, int r,
                const sc_column *cols, size_t n, void *row,
                size_t row_size, bool copy, const char *what)
{
    enum read_result rr = READ_OK;
    size_t i;

    if ((size_t)PQnfields(res) < n)
        return sci_error(db, SC_ERROR, "%s: the statement returns %d "
                         "columns, not %zu", what, PQnfields(res), n);
    memset(row, 0, row_size);
    for (i = 0; i < n && rr == READ_OK; i++) {
        const char *s = PQgetisnull(res, r, (int)i) ? NULL
            : PQgetvalue(res, r, (int)i);
        rr = read_value(s, res, (int)i, &cols[i], row, copy);
    }
    if (rr == READ_OK)
        return SC_OK;
    if (copy)
        sci_free_row(cols, n, row, row_size);
    else
        sci_pg_release_row(cols, n, row, row_size);
    if (rr == READ_NOMEM)
        return sci_error(db, SC_NOMEM, "%s: out of memory", what);
    i--;
    if (PQgetisnull(res, r, (int)i))
        return sci_error(db, SC_CORRUPT, "%s: column '%s' is NULL, which "
                         "it is declared never to be", what, cols[i].name);
    return sci_error(db, SC_CORRUPT, "%s: column '%s' holds '%.100s', "
                     "which its type does not allow as it is", what,
                     cols[i].name, PQgetvalue(res, r, (int)i));
}

/* ------------------------------------------------------------------ */
/* Opening: connect, then create or check the schema                  */
/* ------------------------------------------------------------------ */

/* Run sql with one text parameter and read an integer from the first
 * column of its first row (0 when there is no row or it is NULL). */
static int
query_int(sc_db *db, const char *sql, const char *param, int64_t *out,
          const char *what)
{
    sc_value v = sc_text(param);
    struct pg_result *res;
    int rc;

    *out = 0;
    if ((rc = run_once(db, sql, &v, param ? 1 : 0, &res))
        != SC_OK) {
        sci_prefix(db, "%s: ", what);
        return rc;
    }
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)
        && !sci_parse_int(PQgetvalue(res, 0, 0), out))
        rc = sci_error(db, SC_VERSION, "%s: '%.40s' is not a number", what,
                       PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* The version table of the schema on PostgreSQL. */
static const char *
version_table(const sc_db *db)
{
    return db->schema->version_table ? db->schema->version_table
                                     : PG_VERSION_TABLE;
}

/*
 * Read what the database holds, inside the open's transaction: the
 * number of tables in the current schema (search_path's first) and the
 * version record.
 */
static int
read_stored(sc_db *db, struct sci_stored *st)
{
    const char *vt = version_table(db);
    struct sci_text sql = { NULL, 0, 0, 0 };
    int64_t has;
    int rc;

    memset(st, 0, sizeof(*st));
    rc = query_int(db, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
                   "schemaname = current_schema()", NULL, &st->ntables,
                   "reading the schema");
    if (rc == SC_OK)
        rc = query_int(db, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
                       "schemaname = current_schema() AND tablename = $1",
                       vt, &has, "reading the schema");
    if (rc != SC_OK || has == 0)
        return rc;
    st->has_version_table = true;
    sci_text_add(&sql, "SELECT max(version) FROM ");
    sci_text_ident(&sql, vt);
    rc = sql.failed ? sci_error(db, SC_NOMEM, "out of memory")
        : query_int(db, sql.p, NULL, &st->version, "reading the version");
    free(sql.p);
    return rc;
}

/* Record version v in the version table, inside the caller's
 * transaction; create_table makes the runtime's own table first. */
static int
write_version(sc_db *db, int v, bool create_table)
{
    struct sci_text sql = { NULL, 0, 0, 0 };
    char num[48];
    int rc;

    if (create_table)
        sci_text_add(&sql, "CREATE TABLE " PG_VERSION_TABLE
                     " (version BIGINT NOT NULL); ");
    sci_text_add(&sql, "DELETE FROM ");
    sci_text_ident(&sql, version_table(db));
    sci_text_add(&sql, "; INSERT INTO ");
    sci_text_ident(&sql, version_table(db));
    snprintf(num, sizeof(num), " (version) VALUES (%d)", v);
    sci_text_add(&sql, num);
    rc = sql.failed ? sci_error(db, SC_NOMEM, "out of memory")
        : sci_pg_exec(db, sql.p, "recording the version");
    free(sql.p);
    return rc;
}

/* Open a transaction holding the schema's advisory lock, and read what
 * the database holds into st (checked: SC_VERSION for what may not be
 * touched).  The lock is keyed by the schema's name, so that of many
 * processes on many hosts opening or migrating one database at once, one
 * works and the others wait, then find the work done.  On failure the
 * transaction is left open for the caller to roll back, and st is all
 * zero unless it was read (the caller's error path reads it). */
static int
begin_locked(sc_db *db, struct sci_stored *st)
{
    int64_t ignored;
    int rc;

    memset(st, 0, sizeof(*st));
    if ((rc = sci_pg_exec(db, "BEGIN", "opening")) != SC_OK)
        return rc;
    rc = query_int(db, "SELECT count(*) FROM (SELECT pg_advisory_xact_lock("
                   "hashtextextended($1, 0))) AS locked", db->schema->name,
                   &ignored, "locking the schema");
    if (rc == SC_OK)
        rc = read_stored(db, st);
    if (rc == SC_OK)
        rc = sci_version_check(db, st);
    return rc;
}

/* End the transaction begin_locked() opened: COMMIT when rc is SC_OK,
 * else ROLLBACK; returns rc, or the COMMIT's error. */
static int
end_locked(sc_db *db, int rc)
{
    if (rc == SC_OK)
        rc = sci_pg_exec(db, "COMMIT", "commit");
    if (rc != SC_OK && sci_pg_tx_state(db) != 0)
        PQclear(PQexec(db->pg->conn, "ROLLBACK"));
    return rc;
}

/*
 * PostgreSQL's sci_step_fn: take the database to version `to` in one
 * transaction under the schema's lock, re-reading the version first
 * (another process may have done it): the current version's DDL from
 * version 0, m's steps otherwise (DDL is transactional there: a failed
 * step leaves nothing), then the version record.
 */
static int
step_to(sc_db *db, int to, const sc_migration *m)
{
    const sc_schema *s = db->schema;
    struct sci_stored st;
    int rc = begin_locked(db, &st);

    if (rc == SC_OK && st.version < to) {
        if (st.version == 0)
            rc = sci_exec_all(db, s->pg_create_sql, s->npg_create,
                         "creating the schema");
        else if (m != NULL && (rc = sci_unversioned(db, false)) == SC_OK)
            rc = sci_exec_all(db, m->sql, m->nsql, "migration");
        if (rc == SC_OK)
            rc = write_version(db, to, !st.has_version_table
                               && s->version_table == NULL);
    }
    rc = end_locked(db, rc);
    if (rc != SC_OK && st.version < to && rc != SC_VERSION)
        sci_prefix(db, "migration to version %d failed: ", to);
    else if (rc == SC_OK && st.version < to)
        sci_log_version(db, st.version, to);
    return rc;
}

/*
 * Bring the database to the schema's version: create it (version 0) or
 * migrate it one version per transaction (sci_migrate() with this
 * engine's migrations); a newer database, or one with tables but no
 * version, is refused untouched, as on SQLite.
 */
static int
setup_version(sc_db *db)
{
    const sc_schema *s = db->schema;
    struct sci_stored st;
    int rc = end_locked(db, begin_locked(db, &st));

    if (rc == SC_OK && st.version == 0)
        rc = step_to(db, s->version, NULL);
    else if (rc == SC_OK && st.version < s->version) {
        if (s->npg_migrations != s->nmigrations)
            return sci_error(db, SC_VERSION, "database is at version %lld "
                             "of schema '%s', and these bindings carry no "
                             "PostgreSQL migrations to take it to %d "
                             "(regenerate them); not touched",
                             (long long)st.version, s->name, s->version);
        rc = sci_migrate(db, st.version, s->pg_migrations,
                         s->npg_migrations, step_to);
    }
    if (rc == SC_OK)
        rc = sci_unversioned(db, true);
    if (rc == SC_OK)
        db->version = s->version;
    return rc;
}

/* Connect to the database conninfo names and bring it to the schema's
 * version; see internal.h. */
int
sci_pg_open(sc_db *db, const char *conninfo)
{
    const sc_schema *s = db->schema;
    struct sci_pg *pg;
    char buf[SCI_MSG_MAX];

    if (s->npg_create == 0 || (s->nstatements > 0 && !s->pg_statements))
        return sci_error(db, SC_MISUSE, "schema '%s' was generated without "
                         "PostgreSQL statements (it uses what PostgreSQL "
                         "cannot express; schemac --dialect postgresql "
                         "says what); nothing was opened", s->name);
    if ((db->pg = pg = calloc(1, sizeof(*pg))) == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    pg->prepared = calloc(s->nstatements > 0 ? s->nstatements : 1,
                          sizeof(bool));
    if (pg->prepared == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    /* The URI is never quoted in a message: it may hold a password. */
    pg->conn = PQconnectdb(conninfo);
    if (pg->conn == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    if (PQstatus(pg->conn) != CONNECTION_OK)
        return sci_error(db, SC_IO, "cannot connect to PostgreSQL: %s",
                         trim(PQerrorMessage(pg->conn), buf, sizeof(buf)));
    PQsetNoticeProcessor(pg->conn, notice, db);
    return setup_version(db);
}

/* Close the connection and free the backend; NULL pg is a no-op. */
void
sci_pg_close(sc_db *db)
{
    struct sci_pg *pg = db->pg;

    if (pg == NULL)
        return;
    if (pg->conn != NULL)
        PQfinish(pg->conn);
    free(pg->prepared);
    free(pg);
    db->pg = NULL;
}
