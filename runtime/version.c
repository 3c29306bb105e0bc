/*
 * version.c - reading the stored schema version and bringing a database to
 * the code's version: create an empty database, migrate an older one one
 * version per transaction, refuse a newer or foreign one untouched.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run a query returning one row of n integers (NULL reads as 0) into
 * out[0..n). */
static int
query_ints(sc_db *db, const char *sql, int64_t *out, int n, const char *what)
{
    sqlite3_stmt *stmt;
    int src, i;

    for (i = 0; i < n; i++)
        out[i] = 0;
    src = sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL);
    if (src == SQLITE_OK) {
        src = sqlite3_step(stmt);
        if (src == SQLITE_ROW) {
            for (i = 0; i < n; i++)
                out[i] = sqlite3_column_int64(stmt, i);
            src = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    return sc_sqlite_error(db, src, what);
}

/*
 * Read column 0 of stmt's current row, a row of the version table, as a
 * version number into *out: an integer, or text that spells one (digits
 * with an optional sign, nothing else, within 64 bits).  Returns SC_OK,
 * or SC_VERSION naming what the row holds instead (other text, a real, a
 * blob, NULL): a version compared as text ('9' > '15') or read as 0
 * would open a newer file or take a store for an empty one.
 */
static int
version_value(sc_db *db, sqlite3_stmt *stmt, const char *vt, int64_t *out)
{
    const char *text, *p;
    char *end;
    long long v;

    switch (sqlite3_column_type(stmt, 0)) {
    case SQLITE_INTEGER:
        *out = sqlite3_column_int64(stmt, 0);
        return SC_OK;
    case SQLITE_TEXT:
        text = (const char *)sqlite3_column_text(stmt, 0);
        if (text == NULL)
            return sci_error(db, SC_NOMEM, "out of memory");
        p = text + (*text == '+' || *text == '-');
        if (*p >= '0' && *p <= '9' && strspn(p, "0123456789") == strlen(p)) {
            errno = 0;
            v = strtoll(text, &end, 10);
            if (errno == 0 && *end == '\0') {
                *out = v;
                return SC_OK;
            }
        }
        return sci_error(db, SC_VERSION, "version table '%s' holds '%.40s%s', "
                         "not a version number", vt, text,
                         strlen(text) > 40 ? "..." : "");
    case SQLITE_FLOAT:
        return sci_error(db, SC_VERSION, "version table '%s' holds %.17g, "
                         "not a version number", vt,
                         sqlite3_column_double(stmt, 0));
    case SQLITE_BLOB:
        return sci_error(db, SC_VERSION, "version table '%s' holds a blob, "
                         "not a version number", vt);
    default:
        return sci_error(db, SC_VERSION, "version table '%s' holds NULL, "
                         "not a version number", vt);
    }
}

/*
 * Read the stored version from the version table vt into *out: the
 * largest of its rows, compared as numbers (0 when it has none).  Every
 * row must hold a version number (version_value()).  Returns SC_OK,
 * SC_VERSION, or SQLite's error.
 */
static int
read_version_rows(sc_db *db, const char *vt, int64_t *out)
{
    sqlite3_stmt *stmt = NULL;
    char *sql;
    int64_t v = 0;
    int src, rc = SC_OK;

    *out = 0;
    sql = sqlite3_mprintf("SELECT version FROM \"%w\"", vt);
    if (sql == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    src = sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    while (src == SQLITE_OK && rc == SC_OK
           && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((rc = version_value(db, stmt, vt, &v)) == SC_OK && v > *out)
            *out = v;
        src = SQLITE_OK;
    }
    if (rc == SC_OK && src != SQLITE_DONE)
        rc = sc_sqlite_error(db, src, "reading the version");
    sqlite3_finalize(stmt);
    if (rc != SC_OK)
        *out = 0;
    return rc;
}

/*
 * Read the stored version: max(version) of the version table (a missing
 * table or row is 0), or PRAGMA user_version.  A file that is not a
 * database fails here with SC_NOTADB, before anything is written.
 */
static int
read_stored(sc_db *db, struct sci_stored *st)
{
    const char *vt = db->schema->version_table;
    int64_t v[2];
    char *sql;
    int rc;

    /* One statement learns both how many tables there are and where the
     * version is kept: this runs on every open. */
    memset(st, 0, sizeof(*st));
    if (vt == NULL)
        sql = sqlite3_mprintf("SELECT count(*), (SELECT user_version FROM "
                              "pragma_user_version) FROM sqlite_master WHERE "
                              "type = 'table' AND name NOT LIKE 'sqlite\\_%%' "
                              "ESCAPE '\\'");
    else
        sql = sqlite3_mprintf("SELECT count(*), coalesce(sum(name = %Q), 0) "
                              "FROM sqlite_master WHERE type = 'table' AND "
                              "name NOT LIKE 'sqlite\\_%%' ESCAPE '\\'", vt);
    if (sql == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    rc = query_ints(db, sql, v, 2, "reading the schema");
    sqlite3_free(sql);
    if (rc != SC_OK)
        return rc;
    st->ntables = v[0];
    if (vt == NULL) {
        st->version = v[1];
        return SC_OK;
    }
    if (v[1] == 0)
        return SC_OK;
    st->has_version_table = true;
    return read_version_rows(db, vt, &st->version);
}

/*
 * Decide whether the stored state can be brought to the code's version.
 * Returns SC_OK, or SC_VERSION for a newer database and for one holding
 * tables without a version record (we cannot tell what it is).  Shared
 * with the PostgreSQL backend.
 */
int
sci_version_check(sc_db *db, const struct sci_stored *st)
{
    const sc_schema *s = db->schema;
    int64_t own = st->has_version_table ? 1 : 0;

    if (st->version > s->version)
        return sci_error(db, SC_VERSION, "database is at version %lld, newer "
                         "than version %d of schema '%s'; not opened",
                         (long long)st->version, s->version, s->name);
    if (st->version < 0)
        return sci_error(db, SC_VERSION, "database has a negative version "
                         "%lld", (long long)st->version);
    if (st->version == 0 && st->ntables > own)
        return sci_error(db, SC_VERSION, "database holds tables but no "
                         "version record of schema '%s'; not touched",
                         s->name);
    return SC_OK;
}

/* Record version v as the stored version, inside the caller's
 * transaction. */
static int
write_version(sc_db *db, int v)
{
    const char *vt = db->schema->version_table;
    char *sql;
    int rc;

    if (vt == NULL)
        sql = sqlite3_mprintf("PRAGMA user_version = %d", v);
    else
        sql = sqlite3_mprintf("DELETE FROM \"%w\"; INSERT INTO \"%w\" "
                              "(version) VALUES (%d)", vt, vt, v);
    if (sql == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    rc = sci_exec(db, sql, "recording the version");
    sqlite3_free(sql);
    return rc;
}

/* Run n SQL statements in order, on either engine; see internal.h. */
int
sci_exec_all(sc_db *db, const char *const *sql, size_t n, const char *what)
{
    size_t i;
    int rc = SC_OK;

    for (i = 0; i < n && rc == SC_OK; i++)
        rc = sci_exec(db, sql[i], what);
    return rc;
}

/* Run the unversioned indexes' creations or drops; see internal.h. */
int
sci_unversioned(sc_db *db, bool create)
{
    const sc_schema *s = db->schema;
    const sc_index *ix = db->pg ? s->pg_unversioned : s->unversioned;
    size_t n = db->pg ? s->npg_unversioned : s->nunversioned, i;
    int rc = SC_OK;

    /* A retired index (no create_sql) is dropped at the open too. */
    for (i = 0; i < n && rc == SC_OK; i++)
        rc = create && ix[i].create_sql != NULL
            ? sci_exec(db, ix[i].create_sql, "creating an unversioned index")
            : sci_exec(db, ix[i].drop_sql, create ? "dropping a retired "
                       "unversioned index" : "migration");
    return rc;
}

/*
 * Run the statements of migration m in order, skipping each whose table,
 * index or column is already there exactly as it would make it (a store
 * killed in its own migration leaves such objects behind; see
 * applied.c).  An object there in another shape fails the step.  Returns
 * an SC_* code with the failing text.
 */
static int
run_steps(sc_db *db, const sc_migration *m)
{
    size_t i;
    bool done;
    int rc = SC_OK;

    for (i = 0; i < m->nsql && rc == SC_OK; i++) {
        rc = sci_step_applied(db, m->sql[i], &done);
        if (rc == SC_OK && !done)
            rc = sci_exec(db, m->sql[i], "migration");
        else if (rc == SC_OK && db->log != NULL) {
            char *msg = sqlite3_mprintf("migration to version %d: already "
                                        "done, skipped: %.200s", m->version,
                                        m->sql[i]);
            if (msg != NULL)
                db->log(db->log_arg, SC_OK, msg);
            sqlite3_free(msg);
        }
    }
    return rc;
}

/* Fail when PRAGMA foreign_key_check reports any row. */
static int
check_foreign_keys(sc_db *db, int version)
{
    sqlite3_stmt *stmt;
    int src, rc = SC_OK;

    src = sqlite3_prepare_v2(db->conn, "PRAGMA foreign_key_check", -1,
                             &stmt, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW)
        rc = sci_error(db, SC_CONSTRAINT, "migration to version %d: "
                       "foreign key violation in table '%s'", version,
                       (const char *)sqlite3_column_text(stmt, 0));
    else if (src != SQLITE_DONE && src != SQLITE_OK)
        rc = sc_sqlite_error(db, src, "foreign_key_check");
    sqlite3_finalize(stmt);
    return rc;
}

/*
 * Create the current schema in an empty database.  A version table left
 * empty (a store that crashed before its first version record) is dropped
 * first so the DDL can recreate it.
 */
static int
create_schema(sc_db *db, const struct sci_stored *st)
{
    const sc_schema *s = db->schema;
    int rc = SC_OK;

    if (st->has_version_table) {
        char *sql = sqlite3_mprintf("DROP TABLE \"%w\"", s->version_table);
        rc = sql ? sci_exec(db, sql, "creating the schema")
                 : sci_error(db, SC_NOMEM, "out of memory");
        sqlite3_free(sql);
    }
    if (rc == SC_OK)
        rc = sci_exec_all(db, s->create_sql, s->ncreate,
                          "creating the schema");
    return rc;
}

/*
 * Take the database to version `to` in one BEGIN IMMEDIATE transaction:
 * re-read the version under the lock (another process may have done the
 * work), then create the schema (from 0) or run m's steps, then record the
 * version.  A failure rolls everything of this step back.  m is NULL for
 * creation and for a plain version bump.
 */
static int
step_to(sc_db *db, int to, const sc_migration *m)
{
    struct sci_stored st = { 0, 0, false };
    bool fk_off = m != NULL && m->rebuild;
    int rc;

    if (fk_off && (rc = sci_exec(db, "PRAGMA foreign_keys = OFF",
                                 "migration")) != SC_OK)
        return rc;
    rc = sci_exec(db, "BEGIN IMMEDIATE", "migration");
    if (rc == SC_OK)
        rc = read_stored(db, &st);
    if (rc == SC_OK)
        rc = sci_version_check(db, &st);
    if (rc == SC_OK && st.version < to) {
        if (st.version == 0)
            rc = create_schema(db, &st);
        else if (m != NULL && (rc = sci_unversioned(db, false)) == SC_OK)
            rc = run_steps(db, m);
        if (rc == SC_OK && fk_off)
            rc = check_foreign_keys(db, to);
        if (rc == SC_OK)
            rc = write_version(db, to);
        if (rc == SC_OK)
            rc = sci_exec(db, "COMMIT", "migration commit");
    }
    if (rc == SC_OK && st.version >= to && !sqlite3_get_autocommit(db->conn))
        rc = sci_exec(db, "COMMIT", "migration commit");
    if (rc != SC_OK) {
        if (!sqlite3_get_autocommit(db->conn))
            sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
        if (st.version < to && rc != SC_VERSION)
            sci_prefix(db, "migration to version %d failed: ", to);
    } else if (st.version < to) {
        sci_log_version(db, st.version, to);
    }
    if (fk_off)
        sqlite3_exec(db->conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

/* Whether migration m is one of the steps from version `from` to the
 * schema's own (a listed step beyond the schema's version is not). */
static bool
is_due(const sc_schema *s, const sc_migration *m, int64_t from)
{
    return m->version > from && m->version <= s->version;
}

/* How many version steps of the n migrations at migs take a database at
 * version `from` to the schema's: the listed migrations due, and a bare
 * version bump when the last of them stops short of the schema's
 * version. */
static size_t
count_steps(const sc_schema *s, const sc_migration *migs, size_t n,
            int64_t from)
{
    size_t i, count = 0;
    int64_t last = from;

    for (i = 0; i < n; i++) {
        if (is_due(s, &migs[i], from)) {
            count++;
            last = migs[i].version;
        }
    }
    return last < s->version ? count + 1 : count;
}

/* Take the database to version `to` by running the n migrations at
 * migs; see internal.h. */
int
sci_migrate(sc_db *db, int64_t from, const sc_migration *migs, size_t n,
            sci_step_fn *step)
{
    const sc_schema *s = db->schema;
    size_t i, done = 0, total = count_steps(s, migs, n, from);
    int rc = SC_OK;

    assert(from > 0 && from < s->version);
    for (i = 0; i < n && rc == SC_OK; i++) {
        const sc_migration *m = &migs[i];
        if (is_due(s, m, from)) {
            sci_progress(db, SC_PROGRESS_MIGRATE, done++, total, m->version,
                         NULL);
            rc = step(db, m->version, m);
        }
    }
    if (rc == SC_OK && done < total) {
        sci_progress(db, SC_PROGRESS_MIGRATE, done++, total, s->version,
                     NULL);
        rc = step(db, s->version, NULL);
    }
    if (rc == SC_OK)
        sci_progress(db, SC_PROGRESS_MIGRATE, done, total, s->version, NULL);
    return rc;
}

/* Tell db's log that the database was created at, or migrated to,
 * version to (from `from`). */
void
sci_log_version(sc_db *db, int64_t from, int to)
{
    char msg[96];

    if (db->log == NULL)
        return;
    snprintf(msg, sizeof(msg), "%s to version %d",
             from == 0 ? "created schema" : "migrated", to);
    db->log(db->log_arg, SC_OK, msg);
}

/*
 * Run PRAGMA journal_mode = WAL once.  Returns the SQLite code; on
 * SQLITE_OK *is_wal tells whether the mode is now WAL (or "memory" for an
 * in-memory database, which cannot use WAL and needs no journal file).
 */
static int
try_wal(sc_db *db, bool *is_wal, char *mode_out, size_t mode_len)
{
    sqlite3_stmt *stmt;
    const char *mode, *file = sqlite3_db_filename(db->conn, "main");
    bool in_memory = file == NULL || file[0] == '\0';
    int src;

    *is_wal = false;
    src = sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode = WAL", -1,
                             &stmt, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        mode = (const char *)sqlite3_column_text(stmt, 0);
        sqlite3_snprintf((int)mode_len, mode_out, "%s", mode ? mode : "");
        *is_wal = mode != NULL && (sqlite3_stricmp(mode, "wal") == 0
                                   || (in_memory
                                       && sqlite3_stricmp(mode, "memory")
                                              == 0));
        src = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return src;
}

/*
 * Switch to WAL and check that it took.  Switching needs the database to
 * itself for a moment, and SQLite reports SQLITE_BUSY at once, without
 * its busy handler, when another connection is opening the same new file;
 * so a busy switch is retried until the busy timeout has passed (by then
 * the other connection has usually switched the file already).
 */
static int
set_journal(sc_db *db)
{
    char mode[32] = "";
    bool is_wal = false;
    int waited = 0, src;

    while ((src = try_wal(db, &is_wal, mode, sizeof(mode))) == SQLITE_BUSY
           && waited < db->busy_timeout_ms) {
        sqlite3_sleep(10);
        waited += 10;
    }
    if (src != SQLITE_OK)
        return sc_sqlite_error(db, src, "setting journal_mode=WAL");
    if (!is_wal)
        return sci_error(db, SC_IO, "journal_mode=WAL did not take (the "
                         "database reports '%s')", mode);
    return SC_OK;
}

/*
 * Bring the freshly opened database to the schema's version.  Everything
 * that could refuse the file runs before the first write, so a refused
 * file is left byte-identical.  Returns SC_OK, SC_VERSION, SC_NOTADB,
 * SC_IO, SC_BUSY or a migration's error (naming its version).
 */
int
sci_version_setup(sc_db *db)
{
    const sc_schema *s = db->schema;
    struct sci_stored st;
    int rc;

    /* A file the OS would not open for writing can neither switch to WAL
     * nor be written; say so rather than report the first failing read. */
    if (sqlite3_db_readonly(db->conn, "main") == 1)
        return sci_error(db, SC_IO, "database file is read-only");
    if ((rc = read_stored(db, &st)) != SC_OK)
        return rc;
    if ((rc = sci_version_check(db, &st)) != SC_OK)
        return rc;
    if ((rc = set_journal(db)) != SC_OK)
        return rc;
    if ((rc = sci_exec(db, "PRAGMA foreign_keys = ON", "setting "
                       "foreign_keys")) != SC_OK)
        return rc;
    if (st.version == 0)
        rc = step_to(db, s->version, NULL);
    else if (st.version < s->version)
        rc = sci_migrate(db, st.version, s->migrations, s->nmigrations,
                         step_to);
    if (rc == SC_OK)
        rc = sci_unversioned(db, true);
    if (rc == SC_OK)
        db->version = s->version;
    return rc;
}
