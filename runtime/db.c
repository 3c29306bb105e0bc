/*
 * db.c - opening and closing connections: the file to open, the pragmas
 * every connection needs, the statement cache's lifetime.
 */
#include "internal.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BUSY_TIMEOUT_MS 30000

/*
 * path as it goes into a message: as it is when short, else its first
 * and last 100 bytes around "...", so that the reason after it still
 * fits in the message.  Returns buf (of size bytes) or path.
 */
static const char *
short_path(const char *path, char *buf, size_t size)
{
    size_t len = strlen(path);

    if (len <= 240 || size < 204)
        return path;
    snprintf(buf, size, "%.100s...%s", path, path + len - 100);
    return buf;
}

/* SQLite's unix file layer takes paths (made absolute) shorter than its
 * mxPathname, 512 bytes, with room left for the "-journal" it appends to
 * the name of a side file. */
#define SIDE_SUFFIX_LEN 8

/*
 * Refuse a path SQLite cannot open for its length, before any folder is
 * made for it: SQLite would fail later with "unable to open database
 * file" and no reason.  Returns SC_OK or SC_IO recorded on db.
 */
static int
check_length(sc_db *db, const char *file)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    char cwd[PATH_MAX];
    size_t len = strlen(file);
    int most;

    if (vfs == NULL)
        return SC_OK;
    most = vfs->mxPathname - 1 - SIDE_SUFFIX_LEN;
    if (file[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL)
        len += strlen(cwd) + 1;
    if (most > 0 && len > (size_t)most)
        return sci_error(db, SC_IO, "cannot open '%s': the path is %zu "
                         "bytes long%s, more than the %d SQLite takes",
                         short_path(file, cwd, sizeof(cwd)), len,
                         file[0] != '/' ? " made absolute" : "", most);
    return SC_OK;
}

/*
 * Why file cannot be opened for reading and writing, or created, as
 * errno's text (SQLite's own errno is not always the one that matters:
 * after failing to create a file it tries to open it read-only, and
 * reports that the file is not there).  Returns a constant string, or
 * NULL when nothing is found wrong.
 */
static const char *
why_not_opened(const char *file)
{
    struct stat st;
    char *dir, *slash;
    int err = 0;

    if (stat(file, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            err = EISDIR;
        else if (access(file, R_OK | W_OK) != 0)
            err = errno;
    } else if (errno != ENOENT) {
        err = errno;
    } else if ((dir = strdup(file)) != NULL) {
        /* Not there: it would be made in its folder. */
        slash = strrchr(dir, '/');
        if (slash == dir)
            slash[1] = '\0';
        else if (slash != NULL)
            *slash = '\0';
        if (access(slash ? dir : ".", W_OK | X_OK) != 0)
            err = errno;
        free(dir);
    }
    return err ? strerror(err) : NULL;
}

/* The libpq keywords a connection string may start with ("host=..."),
 * so that a file called "notes.db" is never taken for one. */
static const char *const conninfo_keywords[] = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile",
    "service", "connect_timeout", "sslmode", "application_name", "options",
    "target_session_attrs", NULL
};

/* Whether path names a PostgreSQL database; see internal.h. */
bool
sci_pg_target(const char *path)
{
    size_t i, n;

    if (path == NULL)
        return false;
    if (strncasecmp(path, "postgresql://", 13) == 0
        || strncasecmp(path, "postgres://", 11) == 0)
        return true;
    while (isspace((unsigned char)*path))
        path++;
    for (i = 0; conninfo_keywords[i] != NULL; i++) {
        n = strlen(conninfo_keywords[i]);
        if (strncmp(path, conninfo_keywords[i], n) == 0) {
            const char *p = path + n;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p == '=')
                return true;
        }
    }
    return false;
}

/*
 * Work out the file to open: path as given (not empty), or the schema's
 * default path with "~/" expanded.  Parent folders are created either
 * way, and noted in dirs so that a failed open can remove them again.
 * *out is malloc'd.  Returns SC_OK or an error recorded on db, naming the
 * path and the reason.
 */
static int
file_to_open(sc_db *db, const char *path, char **out, struct sci_dirs *dirs)
{
    int rc;

    *out = NULL;
    memset(dirs, 0, sizeof(*dirs));
    /* SQLite opens "" as a private temporary database that vanishes with
     * the handle: a path left empty by mistake would lose every write. */
    if (path != NULL && path[0] == '\0')
        return sci_error(db, SC_MISUSE, "the path is empty (\":memory:\" "
                         "is a database in memory)");
    if (path == NULL) {
        path = db->schema->default_path;
        if (path == NULL)
            return sci_error(db, SC_MISUSE, "no path given and schema '%s' "
                             "has no default_path", db->schema->name);
    }
    rc = sci_path_expand_home(path, out);
    if (rc == SC_MISUSE)
        return sci_error(db, rc, "cannot expand '%s': HOME is not set", path);
    if (rc != SC_OK)
        return sci_error(db, rc, "out of memory");
    if (**out == '\0' || (*out)[0] == ':')
        return SC_OK;       /* temporary or in-memory: no file */
    if ((rc = check_length(db, *out)) != SC_OK)
        return rc;
    rc = sci_path_make_parents(*out, dirs);
    if (rc == SC_IO) {
        char buf[256], buf2[256];

        dirs->dir[dirs->failed_len] = '\0';
        return sci_error(db, rc, "cannot create the folder '%s' for '%s': "
                         "%s", short_path(dirs->dir, buf, sizeof(buf)),
                         short_path(*out, buf2, sizeof(buf2)),
                         dirs->err == EEXIST ? "something that is not a "
                         "folder is in the way" : strerror(dirs->err));
    }
    if (rc != SC_OK)
        return sci_error(db, rc, "out of memory");
    return SC_OK;
}

/*
 * Switch off SQLite's legacy rule that reads a double-quoted name that is
 * no column as a string literal ("nmae" = ? would compare the text 'nmae'
 * and match every row), for DML and DDL alike, and read the settings back.
 * Returns SC_OK, or SC_ERROR when this SQLite keeps the rule on.
 */
static int
refuse_dq_strings(sc_db *db)
{
    int dml = 1, ddl = 1;

    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DML, 0, &dml);
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DDL, 0, &ddl);
    if (dml != 0 || ddl != 0)
        return sci_error(db, SC_ERROR, "SQLite %s cannot switch off "
                         "double-quoted string literals",
                         sqlite3_libversion());
    return SC_OK;
}

/*
 * Close the connection of db (whose cached statements, if any, are
 * finalized first) and mark db as a handle whose open failed: from now on
 * every call but the readers and sc_close refuses to run (error.c,
 * sci_begin_call), so nothing reads or writes a file that was refused.
 * The open's message is kept for those refusals to quote.
 */
static void
open_failed(sc_db *db)
{
    sci_stmts_finalize(db);
    sqlite3_close_v2(db->conn);
    db->conn = NULL;
    sci_pg_close(db);
    db->open_failed = true;
    memcpy(db->open_msg, db->msg, sizeof(db->open_msg));
}

/* Open the database and bring it to the schema's version. */
int
sc_open(sc_db **out, const char *path, const sc_schema *schema,
        const sc_opts *opts)
{
    struct sci_dirs dirs = { NULL, NULL, 0, 0, 0 };
    char buf[256];
    sc_db *db;
    char *file = NULL;
    int rc, src;

    if (out == NULL)
        return SC_MISUSE;
    *out = db = calloc(1, sizeof(*db));
    if (db == NULL)
        return SC_NOMEM;
    sci_fork_mark(db);
    if (opts != NULL) {
        db->log = opts->log;
        db->log_arg = opts->log_arg;
        db->progress = opts->progress;
        db->progress_arg = opts->progress_arg;
    }
    if (schema == NULL || schema->abi != SC_ABI_VERSION) {
        rc = sci_error(db, SC_MISUSE, "schema descriptor missing or built "
                       "for another runtime version; regenerate it");
        goto done;
    }
    db->schema = schema;
    if (schema->nstatements > 0) {
        db->stmts = calloc(schema->nstatements, sizeof(*db->stmts));
        if (db->stmts == NULL) {
            rc = sci_error(db, SC_NOMEM, "out of memory");
            goto done;
        }
    }
    /* A server's database: no file, no folders.  (The connection
     * string is never quoted: it may hold a password.) */
    if (sci_pg_target(path ? path : schema->default_path)) {
        rc = sci_pg_open(db, path ? path : schema->default_path);
        goto done;
    }
    if ((rc = file_to_open(db, path, &file, &dirs)) != SC_OK)
        goto done;
    src = sqlite3_open_v2(file, &db->conn, SQLITE_OPEN_READWRITE
                          | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        const char *why = why_not_opened(file);
        int err = db->conn ? sqlite3_system_errno(db->conn) : 0;

        if (why == NULL && err != 0)
            why = strerror(err);
        rc = sci_error(db, sci_rc_from_sqlite(src) == SC_NOMEM ? SC_NOMEM
                       : SC_IO, "cannot open '%s': %s%s%s%s",
                       short_path(file, buf, sizeof(buf)),
                       db->conn ? sqlite3_errmsg(db->conn)
                                : sqlite3_errstr(src),
                       why ? " (" : "", why ? why : "", why ? ")" : "");
        goto done;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    if ((rc = refuse_dq_strings(db)) != SC_OK)
        goto done;
    db->busy_timeout_ms = opts && opts->busy_timeout_ms > 0
        ? opts->busy_timeout_ms : DEFAULT_BUSY_TIMEOUT_MS;
    sqlite3_busy_timeout(db->conn, db->busy_timeout_ms);
    rc = sci_version_setup(db);
    if (rc != SC_OK)
        sci_prefix(db, "%s: ", short_path(file, buf, sizeof(buf)));
done:
    if (rc != SC_OK) {
        open_failed(db);
        sci_dirs_remove(&dirs);     /* the folders made for nothing */
    } else {
        sci_dirs_fini(&dirs);
    }
    free(file);
    return rc;
}

/* Hand the progress of op to db's callback (see internal.h). */
void
sci_progress(sc_db *db, sc_progress_op op, size_t done, size_t total,
             int version, const char *table)
{
    sc_progress p;

    assert(db != NULL && done <= total);
    if (db->progress == NULL || total == 0)
        return;
    p.op = op;
    p.done = done;
    p.total = total;
    p.version = version;
    p.table = table;
    db->progress(db->progress_arg, &p);
}

/* Finalize the cached statements and close; NULL is a no-op.  An
 * inherited handle is kept as it is (fork.c). */
int
sc_close(sc_db *db)
{
    int rc = SC_OK;

    if (db == NULL)
        return SC_OK;
    if (sci_inherited(db)) {
        sci_abandon(db);
        return SC_OK;
    }
    if (SCI_IS_OPEN(db) && db->batch_depth > 0) {
        sci_exec(db, "ROLLBACK", "close");
        rc = sci_error(db, SC_MISUSE, "closed inside a batch; the batch "
                       "was rolled back");
    }
    sci_stmts_finalize(db);
    free(db->stmts);
    sqlite3_close_v2(db->conn);
    sci_pg_close(db);
    free(db);
    return rc;
}

/* The version the open database is at. */
int
sc_version(const sc_db *db)
{
    return db ? db->version : 0;
}

/* The rowid of the last insert on db. */
int64_t
sc_last_insert_id(const sc_db *db)
{
    if (db != NULL && db->pg != NULL)
        return db->pg_last_id;
    return db && db->conn ? sqlite3_last_insert_rowid(db->conn) : 0;
}

/* The SQLite handle under db. */
sqlite3 *
sc_sqlite(sc_db *db)
{
    return db != NULL && !sci_inherited(db) ? db->conn : NULL;
}
