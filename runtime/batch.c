/*
 * batch.c - batches: one transaction shared by every call until it is
 * committed or rolled back.  The outermost level is BEGIN IMMEDIATE (so a
 * batch never fails half-way on a lock upgrade); inner levels are
 * savepoints named by depth, but for an operation's level on SQLite
 * (sc_batch_begin_op), which runs no statement at all.
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>

/* Run statement op of batch level depth (2 or more): on SQLite one kept
 * prepared for the shallower levels (internal.h), else from its text.
 * Returns an SC_* code. */
static int
level_exec(sc_db *db, enum sci_level_op op, int depth, const char *what)
{
    static const char *const fmt[SCI_LEVEL_OPS] = {
        "SAVEPOINT sc_%d", "RELEASE sc_%d", "ROLLBACK TO sc_%d"
    };
    sqlite3_stmt **kept;
    char sql[64];
    int src;

    assert(depth >= 2);
    snprintf(sql, sizeof(sql), fmt[op], depth);
    if (db->pg != NULL || depth - 2 >= SCI_LEVELS_KEPT)
        return sci_exec(db, sql, what);
    kept = &db->levels[depth - 2][op];
    if (*kept == NULL
        && (src = sqlite3_prepare_v3(db->conn, sql, -1,
                                     SQLITE_PREPARE_PERSISTENT, kept,
                                     NULL)) != SQLITE_OK)
        return sc_sqlite_error(db, src, what);
    src = sqlite3_step(*kept);
    src = sc_sqlite_error(db, src == SQLITE_DONE ? SQLITE_OK : src, what);
    sqlite3_reset(*kept);
    return src;
}

/* Check db is usable for a batch call; SC_OK or SC_MISUSE. */
static int
check_db(sc_db *db)
{
    int rc;

    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    if (!SCI_IS_OPEN(db))
        return sci_error(db, SC_MISUSE, "batch: the database is not open");
    return SC_OK;
}

/*
 * Return SC_ERROR when a batch is open on db but SQLite has already rolled
 * its transaction back (it does after some I/O, memory and lock errors),
 * otherwise SC_OK.  A statement run then would commit on its own, outside
 * the batch the caller believes in, so calls that run statements ask this
 * first and put their own name in front of the message.  On PostgreSQL
 * any error aborts the transaction: until the level is rolled back every
 * statement would fail, and a COMMIT would roll back without an error.
 */
int
sci_batch_check(sc_db *db)
{
    if (db->batch_depth > 0 && !sci_in_transaction(db))
        return sci_error(db, SC_ERROR, "the batch was already rolled back "
                         "after an earlier error");
    if (db->batch_depth > 0 && db->pg != NULL && sci_pg_tx_state(db) == 2)
        return sci_error(db, SC_ERROR, "an earlier error aborted the "
                         "batch's transaction; roll the batch back");
    return SC_OK;
}

/* Whether batch level depth is an operation's, without a savepoint. */
static bool
is_op_level(const sc_db *db, int depth)
{
    return depth >= 2 && depth <= SCI_OP_LEVELS
           && (db->op_levels >> (depth - 1) & 1u);
}

/*
 * Undo an operation's level (is_op_level): nothing to do when it changed
 * no row; otherwise its changes cannot be told from the batch's, and the
 * whole transaction is rolled back (the batch's next call reports it).
 * Returns SC_OK, or SC_ERROR when the batch went too.
 */
static int
undo_op_level(sc_db *db, int depth)
{
    if (sqlite3_total_changes(db->conn) == db->op_changes[depth - 1])
        return SC_OK;
    if (sci_in_transaction(db))
        sci_exec(db, "ROLLBACK", "batch rollback");
    if (db->in_call_error)      /* the operation's own failure */
        sci_prefix(db, "the batch was rolled back: ");
    return sci_error(db, SC_ERROR, "batch rollback: the operation had "
                     "changed rows, and the batch was rolled back with "
                     "them");
}

/* Undo the innermost level; used by rollback and by a failed commit. */
static int
undo_level(sc_db *db)
{
    int depth = db->batch_depth--;
    int rc;

    if (depth == 1)
        return sci_exec(db, "ROLLBACK", "batch rollback");
    if (is_op_level(db, depth))
        return undo_op_level(db, depth);
    rc = level_exec(db, SCI_ROLLBACK_TO, depth, "batch rollback");
    return rc == SC_OK ? level_exec(db, SCI_RELEASE, depth, "batch rollback")
                       : rc;
}

/* For the batch calls: as sci_batch_check(), and a batch SQLite rolled
 * back is over, every level forgotten.  A PostgreSQL transaction an error
 * aborted is not over: its innermost level is rolled back here. */
static int
check_still_open(sc_db *db, const char *op)
{
    int rc = sci_batch_check(db);

    if (rc == SC_OK)
        return SC_OK;
    if (sci_in_transaction(db))
        undo_level(db);
    else
        db->batch_depth = 0;
    sci_prefix(db, "%s: ", op);
    return rc;
}

/* Open a batch level, an operation's (op) or any caller's. */
static int
begin_level(sc_db *db, bool op)
{
    int rc, depth;

    if ((rc = check_db(db)) != SC_OK)
        return rc;
    if ((rc = check_still_open(db, "batch begin")) != SC_OK)
        return rc;
    depth = db->batch_depth + 1;
    op = op && depth >= 2 && depth <= SCI_OP_LEVELS && db->pg == NULL;
    if (depth == 1)
        rc = sci_exec(db, db->pg ? "BEGIN" : "BEGIN IMMEDIATE",
                      "batch begin");
    else if (op)
        db->op_changes[depth - 1] = sqlite3_total_changes(db->conn);
    else
        rc = level_exec(db, SCI_SAVEPOINT, depth, "batch begin");
    if (rc != SC_OK)
        return rc;
    if (depth <= SCI_OP_LEVELS) {
        if (op)
            db->op_levels |= 1u << (depth - 1);
        else
            db->op_levels &= ~(1u << (depth - 1));
    }
    db->batch_depth = depth;
    return SC_OK;
}

/* Open a batch level. */
int
sc_batch_begin(sc_db *db)
{
    return begin_level(db, false);
}

/* Open an operation's batch level (schemac.h). */
int
sc_batch_begin_op(sc_db *db)
{
    return begin_level(db, true);
}

/* Open a pipelined batch (schemac.h). */
int
sc_batch_begin_pipelined(sc_db *db)
{
    int rc;

    if ((rc = check_db(db)) != SC_OK)
        return rc;
    if (db->batch_depth > 0)
        return sci_error(db, SC_MISUSE, "a pipelined batch is outermost: "
                         "%d batch levels are open", db->batch_depth);
    if ((rc = sc_batch_begin(db)) == SC_OK && db->pg != NULL)
        sci_pg_pipeline_begin(db);
    return rc;
}

/*
 * A batch call without a batch: undo any transaction the caller opened
 * behind our back, so nothing half-done stays, and report SC_MISUSE.
 */
static int
no_batch(sc_db *db, const char *op)
{
    if (sci_in_transaction(db))
        sci_exec(db, "ROLLBACK", op);
    return sci_error(db, SC_MISUSE, "%s without sc_batch_begin", op);
}

/* Keep the innermost level's work. */
int
sc_batch_commit(sc_db *db)
{
    int rc;

    if ((rc = check_db(db)) != SC_OK)
        return rc;
    if (db->batch_depth == 0)
        return no_batch(db, "sc_batch_commit");
    if ((rc = check_still_open(db, "batch commit")) != SC_OK)
        return rc;
    if (db->batch_depth == 1)
        rc = sci_exec(db, "COMMIT", "batch commit");
    else if (is_op_level(db, db->batch_depth))
        rc = SC_OK;             /* its work is the batch's already */
    else
        rc = level_exec(db, SCI_RELEASE, db->batch_depth,
                        "batch commit");
    if (rc == SC_OK)
        db->batch_depth--;
    else if (!sci_in_transaction(db))
        db->batch_depth = 0;
    else
        undo_level(db);
    return rc;
}

/* Undo the innermost level's work. */
int
sc_batch_rollback(sc_db *db)
{
    int rc;

    if ((rc = check_db(db)) != SC_OK)
        return rc;
    if (db->batch_depth == 0)
        return no_batch(db, "sc_batch_rollback");
    if (db->pg != NULL && sci_pg_tx_state(db) == 2)
        return undo_level(db);  /* what an aborted transaction awaits */
    if ((rc = check_still_open(db, "batch rollback")) != SC_OK)
        return rc;
    return undo_level(db);
}

/*
 * Commit on success, roll back on error; returns the first error.  The
 * rollback does not begin a new call, so the message of the failure that
 * caused it stays on db.
 */
int
sc_batch_end(sc_db *db, int rc)
{
    if (rc == SC_OK)
        return sc_batch_commit(db);
    if (db == NULL || !SCI_IS_OPEN(db) || db->batch_depth == 0)
        return rc;
    if (!sci_in_transaction(db))
        db->batch_depth = 0;
    else
        undo_level(db);
    return rc;
}

/* The number of open batch levels. */
int
sc_batch_depth(const sc_db *db)
{
    return db ? db->batch_depth : 0;
}
