/*
 * internal.h - what the runtime's files share and nobody else sees: the
 * connection struct and the sci_ helpers.
 */
#ifndef SCHEMAC_INTERNAL_H
#define SCHEMAC_INTERNAL_H

#include <sqlite3.h>

#include "schemac.h"

#define SCI_MSG_MAX 512

/* How many filtered selects and counts and updates of chosen columns
 * one connection keeps prepared, by their SQL text (stmt.c; pg.c names
 * the server's statement after the slot). */
#define SCI_FILTERED_MAX 8

/* Batch levels whose SQLite statements (SAVEPOINT, RELEASE, ROLLBACK TO)
 * a connection keeps prepared: depths 2 to SCI_LEVELS_KEPT + 1 (batch.c).
 * Every operation of a store that batches its own work nests a level
 * in its caller's batch, and preparing the two statements anew was a
 * tenth of such an operation. */
#define SCI_LEVELS_KEPT 4

/* Batch levels an operation can open without a savepoint on SQLite
 * (sc_batch_begin_op): depths 2 to SCI_OP_LEVELS; deeper ones are
 * savepoints. */
#define SCI_OP_LEVELS 32

/* The statements of a batch level, as batch.c runs them. */
enum sci_level_op { SCI_SAVEPOINT, SCI_RELEASE, SCI_ROLLBACK_TO,
                    SCI_LEVEL_OPS };

/* One prepared filtered statement; busy while a caller steps it (a
 * select's callback may run the same select again, which then gets a
 * statement of its own). */
struct sci_filtered {
    char *sql;                  /* malloc'd; NULL for an empty slot */
    sqlite3_stmt *stmt;
    bool busy;
};

struct sci_pg;                  /* the PostgreSQL backend (pg.c) */

struct sc_db {
    sqlite3 *conn;              /* NULL on PostgreSQL */
    struct sci_pg *pg;          /* NULL on SQLite */
    int64_t pg_last_id;         /* the key the last insert returned */
    const sc_schema *schema;
    sqlite3_stmt **stmts;       /* schema->nstatements, lazily prepared */
    struct sci_filtered filtered[SCI_FILTERED_MAX];
    unsigned filtered_next;     /* the slot replaced next when all are full */
    sqlite3_stmt *levels[SCI_LEVELS_KEPT][SCI_LEVEL_OPS];
    int version;                /* version of the open database */
    int batch_depth;
    /* Bit d - 1 set: level d is an operation's, with no savepoint; its
     * entry of op_changes is sqlite3_total_changes() when it began. */
    uint32_t op_levels;
    int op_changes[SCI_OP_LEVELS];
    int busy_timeout_ms;        /* also bounds retries SQLite does not do */
    int in_call_error;          /* set once a call recorded its error */
    bool open_failed;           /* sc_open failed: nothing may run */
    sc_log_fn *log;
    void *log_arg;
    sc_progress_fn *progress;
    void *progress_arg;
    char msg[SCI_MSG_MAX];
    char open_msg[SCI_MSG_MAX]; /* why sc_open failed, when it did */
    unsigned long forks;        /* see fork.c */
    long pid;                   /* the process that opened it */
    sc_db *next_abandoned;      /* fork.c's list of handles left */
};

/* Record on a new handle which process opened it (fork.c). */
void sci_fork_mark(sc_db *db);

/* Whether db was opened in another process, of which this one is a
 * child (fork()): its connection is the parent's and must not be used
 * or closed here. */
bool sci_inherited(const sc_db *db);

/* Close an inherited db: keep it, and its connection untouched, until
 * the process ends. */
void sci_abandon(sc_db *db);

/* Start a public call: forget the previous call's error, so that the
 * first error of this call is the one kept.  Every public entry point
 * that may run a statement calls this first and stops on anything but
 * SC_OK: a handle whose sc_open failed gets SC_MISUSE, with a message
 * saying so, and runs nothing. */
int sci_begin_call(sc_db *db);

/* Refuse a public call for a NULL argument before it starts: SC_MISUSE,
 * with msg as this call's message (the previous call's is forgotten)
 * when db is not NULL. */
int sci_refuse(sc_db *db, const char *msg);

/* Record rc with a printf-style message on db (unless this call already
 * recorded one) and return rc. */
int sci_error(sc_db *db, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Put printf-formatted text in front of db's current message (to say
 * which step an error belongs to). */
void sci_prefix(sc_db *db, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The SC_* code for an SQLite result code. */
int sci_rc_from_sqlite(int sqlite_rc);

/* Run one or more SQL statements without results; returns SC_* and
 * records SQLite's message prefixed by what. */
int sci_exec(sc_db *db, const char *sql, const char *what);

/* Run the n statements at sql in order with sci_exec(), stopping at the
 * first failure, whose SC_* code it returns (version.c). */
int sci_exec_all(sc_db *db, const char *const *sql, size_t n,
                 const char *what);

/* Run the creation (create) or the drop of every unversioned index of
 * db's schema, in db's engine's spelling; returns as sci_exec_all()
 * (version.c). */
int sci_unversioned(sc_db *db, bool create);

/* SC_ERROR, with a message, when a batch is open but SQLite has already
 * rolled its transaction back; else SC_OK (batch.c). */
int sci_batch_check(sc_db *db);

/* Tell db's progress callback, if any, that op has finished done of its
 * total units; version and table describe the next unit as sc_progress
 * says.  Nothing is reported of an operation of no unit (db.c). */
void sci_progress(sc_db *db, sc_progress_op op, size_t done, size_t total,
                  int version, const char *table);

/* Bring the database to the schema version (version.c). */
int sci_version_setup(sc_db *db);

/* What a database holds before the open touches it. */
struct sci_stored {
    int64_t version;        /* 0 when there is no record */
    int64_t ntables;        /* tables other than the engine's own */
    bool has_version_table;
};

/* Decide whether the stored state st can be brought to the code's
 * version: SC_OK, or SC_VERSION (recorded) for a newer database and for
 * one holding tables without a version record (version.c). */
int sci_version_check(sc_db *db, const struct sci_stored *st);

/* Take db to version `to` in one transaction of its own: create the
 * schema from version 0, or run migration m's steps (m NULL: a bare
 * version bump), and record the version; re-reading the stored version
 * first, since another process may have done it.  Each engine has one. */
typedef int sci_step_fn(sc_db *db, int to, const sc_migration *m);

/* Take a database at version `from` (0 < from < the schema's) to the
 * schema's version: one step per migration of the n at migs that is due,
 * in order, then a bare version bump when they stop short, each committed
 * on its own; the progress callback hears of each before it runs and
 * once after the last.  Returns SC_OK or the first failing step's error
 * (the steps before it stay committed) (version.c). */
int sci_migrate(sc_db *db, int64_t from, const sc_migration *migs, size_t n,
                sci_step_fn *step);

/* Tell db's log callback the database was created at (from 0) or
 * migrated to version to (version.c). */
void sci_log_version(sc_db *db, int64_t from, int to);

/* Whether db has a connection (SQLite's or PostgreSQL's). */
#define SCI_IS_OPEN(db) ((db)->conn != NULL || (db)->pg != NULL)

/* Whether a transaction is open on db's connection. */
bool sci_in_transaction(const sc_db *db);

/* Whether the migration statement sql is already done: it creates a
 * table or index, or adds a column, that exists with exactly that
 * definition (*done set).  SC_OK, or SC_ERROR naming the object when it
 * exists with another definition (applied.c). */
int sci_step_applied(sc_db *db, const char *sql, bool *done);

/* The kept filtered statement whose text is sql and that no caller is
 * stepping; NULL when there is none.  Both engines keep them here. */
struct sci_filtered *sci_filtered_find(sc_db *db, const char *sql);

/* A slot for a new filtered statement: an empty one, else the next one
 * in turn that no caller is stepping, emptied (its SQLite statement
 * finalized, its text freed); NULL when every slot is busy. */
struct sci_filtered *sci_filtered_victim(sc_db *db);

/* Hand out a prepared statement for sql (malloc'd text, which this takes
 * over in every case): one kept from an earlier call with the same text,
 * else a new one, kept in place of the oldest unused.  *slot is the
 * cache entry to give back to sci_filtered_release(), NULL for a
 * statement prepared apart because every entry is busy.  Returns an
 * SQLite code; on failure *stmt and *slot are NULL. */
int sci_filtered_get(sc_db *db, char *sql, sqlite3_stmt **stmt,
                     struct sci_filtered **slot);

/* Give back stmt from sci_filtered_get(): reset, its bindings cleared,
 * for the next call (or finalized when it was prepared apart). */
void sci_filtered_release(sqlite3_stmt *stmt, struct sci_filtered *slot);

/* Finalize every statement db keeps (schema statements, filtered and
 * batch levels). */
void sci_stmts_finalize(sc_db *db);

/* Read result columns 0..n-1 of stmt's current row into row by the n
 * descriptors at cols.  Returns an SQLite code; on failure the copies
 * already made are freed (with copy) and row is zeroed. */
int sci_read_row(sqlite3_stmt *stmt, const sc_column *cols, size_t n,
                 void *row, size_t row_size, bool copy);

/* Record on db why reading stmt's current row by the n descriptors at
 * cols failed with the SQLite code src, what saying where ("get from
 * patterns"): SC_CORRUPT naming the column whose stored value its type
 * does not allow (src SQLITE_MISMATCH), else SQLite's error.  Returns
 * the SC_* code. */
int sci_read_failed(sc_db *db, int src, sqlite3_stmt *stmt,
                    const sc_column *cols, size_t n, const char *what);

/* Free the text and blob members of row (described by the n descriptors
 * at cols) and zero its row_size bytes. */
void sci_free_row(const sc_column *cols, size_t n, void *row,
                  size_t row_size);

/* False when c is an enum column whose member in row (not NULL) is none
 * of its values: binding it would store NULL, so callers refuse it. */
bool sci_enum_ok(const sc_column *c, const void *row);

/* False when c is a text or timestamp column whose member in row (not
 * NULL) is not UTF-8 (sc_utf8_check()), *at then the offset of its first
 * bad byte: callers refuse it before binding. */
bool sci_text_ok(const sc_column *c, const void *row, size_t *at);

/* Bind column c of row to parameter i of stmt; returns an SQLite code. */
int sci_bind_column(sqlite3_stmt *stmt, int i, const sc_column *c,
                    const void *row);

/* A malloc'd string builder (text.c); start it zeroed, free p after. */
struct sci_text {
    char *p;
    size_t len, cap;
    int failed;                 /* memory ran out; later appends do
                                   nothing */
};

/* Append s to t, or the n bytes at s. */
void sci_text_add(struct sci_text *t, const char *s);
void sci_text_addn(struct sci_text *t, const char *s, size_t n);

/* Append sql to t with its placeholders ('?', '?N') written as
 * PostgreSQL's $N, bare ones numbered on from *n, which ends as the
 * highest number used (where.c). */
void sci_text_pg_params(struct sci_text *t, const char *sql, int *n);

/* Append name to t as an SQL identifier in double quotes, inner double
 * quotes doubled. */
void sci_text_ident(struct sci_text *t, const char *name);

/*
 * Expand a leading "~/" of path, or a path that is just "~", with $HOME
 * into a malloc'd copy (*out); other paths are copied as they are.
 * Returns SC_OK, SC_NOMEM, or SC_MISUSE when HOME is needed but unset or
 * empty.
 */
int sci_path_expand_home(const char *path, char **out);

/* What sci_path_make_parents() did, so that a failed open can take away
 * the folders it made for nothing, and say why it stopped. */
struct sci_dirs {
    char *dir;          /* the file's folder; the folders are prefixes */
    size_t *made;       /* length of each prefix made, in order */
    size_t nmade;
    size_t failed_len;  /* on SC_IO: the prefix that could not be made */
    int err;            /* on SC_IO: errno's reason (EEXIST: something
                           that is not a folder is in the way) */
};

/* Create every missing parent folder of the file path (as mkdir -p of its
 * dirname, mode 0777 less the umask), noting in dirs (may be NULL) what
 * it made and where it stopped.  Returns SC_OK, SC_NOMEM, or SC_IO when
 * a folder cannot be made. */
int sci_path_make_parents(const char *path, struct sci_dirs *dirs);

/* Free what dirs holds; the folders stay.  NULL is a no-op. */
void sci_dirs_fini(struct sci_dirs *dirs);

/* Remove the folders dirs notes as made, deepest first, as long as each
 * is empty, then free dirs.  NULL is a no-op. */
void sci_dirs_remove(struct sci_dirs *dirs);

/* ------------------------------------------------------------------ */
/* Numbers read from text (number.c)                                   */
/* ------------------------------------------------------------------ */

/* Parse the whole of s as a decimal integer into *out: what strtoll()
 * reads when it reads all of s without overflow; false otherwise. */
bool sci_parse_int(const char *s, int64_t *out);

/* Parse the whole of s as a double into *out: what strtod() reads when
 * it reads all of s to a finite double or an infinity it names, not
 * overflowing or underflowing to zero; false otherwise. */
bool sci_parse_real(const char *s, double *out);

/* ------------------------------------------------------------------ */
/* The PostgreSQL backend (pg.c; nopg.c when built with PG=0)          */
/* ------------------------------------------------------------------ */

struct pg_result;               /* libpq's PGresult */

/* Whether path names a PostgreSQL database rather than a file: a
 * postgresql:// or postgres:// URI, or a libpq "keyword=value" string
 * starting with one of libpq's keywords (host=, dbname=, ...). */
bool sci_pg_target(const char *path);

/* Connect db to the PostgreSQL database conninfo names and bring it to
 * the schema's version.  SC_OK, or an error recorded on db (SC_MISUSE
 * for a libschemac built without PostgreSQL or a schema generated
 * without PostgreSQL statements, SC_IO when no connection is made,
 * SC_VERSION).  db->pg may be set either way; sci_pg_close() frees it. */
int sci_pg_open(sc_db *db, const char *conninfo);

/* Close db's PostgreSQL connection, if any, and free the backend. */
void sci_pg_close(sc_db *db);

/* Run sql, one or more statements without parameters or rows wanted;
 * SC_* with PostgreSQL's message prefixed by what. */
int sci_pg_exec(sc_db *db, const char *sql, const char *what);

/* The state of db's transaction: 0 none, 1 open, 2 aborted by an error
 * (every statement then fails until it is rolled back). */
int sci_pg_tx_state(const sc_db *db);

/* How many statements a pipelined batch sends before it waits for
 * their answers (pg.c). */
#define SCI_PIPELINE_MAX 1024

/* Make the batch just begun on db pipelined: sci_pg_send() may then
 * send writes without waiting for them. */
void sci_pg_pipeline_begin(sc_db *db);

/* Whether db is in a pipelined batch (which ends with its transaction). */
bool sci_pg_pipelined(sc_db *db);

/* Send schema statement stmt, a write into table that returns nothing,
 * with the n values v, without waiting for its answer; every other
 * statement waits for the answers first, and one that failed is the
 * error of the call that waits (naming this write).  SC_OK, or an
 * earlier write's error, or SC_IO. */
int sci_pg_send(sc_db *db, unsigned stmt, const char *table,
                const sc_value *v, size_t n);

/* Run schema statement stmt (pg_statements[stmt], prepared once per
 * connection) or, with stmt SC_NO_STMT, the text sql (kept prepared by
 * its text in a slot of db->filtered; with custom, planned for its
 * values on every run), binding the n values v to $1..$n.  SC_OK with
 * *res set (free with sci_pg_clear()), else the error recorded on db
 * and *res NULL.  A lost connection is SC_IO, and the next call outside
 * a batch reconnects. */
int sci_pg_run(sc_db *db, unsigned stmt, const char *sql, bool custom,
               const sc_value *v, size_t n, struct pg_result **res);

/* The number of rows of res, and of rows it inserted, updated or
 * deleted. */
int sci_pg_nrows(const struct pg_result *res);
int64_t sci_pg_changes(const struct pg_result *res);

/* Read row r of res into row by the n descriptors at cols, text and blobs
 * copied (free with sci_free_row()), or with copy unset text lent from
 * res (give the row back with sci_pg_release_row() before res goes); on
 * failure row is zeroed and SC_CORRUPT or SC_NOMEM recorded on db, what
 * saying where. */
int sci_pg_read_row(sc_db *db, const struct pg_result *res, int r,
                    const sc_column *cols, size_t n, void *row,
                    size_t row_size, bool copy, const char *what);

/* Free what a row sci_pg_read_row() read without copy owns (its blobs,
 * decoded from the server's text) and zero its row_size bytes. */
void sci_pg_release_row(const sc_column *cols, size_t n, void *row,
                        size_t row_size);

/* Free res; NULL is a no-op. */
void sci_pg_clear(struct pg_result *res);

#endif /* SCHEMAC_INTERNAL_H */
