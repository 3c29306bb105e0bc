/*
 * util.c - the value conventions of the Python learning store: UUID4 ids,
 * pattern ids, sheet numbers; the message of a refused argument; and the
 * read transaction a read of many statements shares.
 */
#include "learnstore.h"
#include "internal.h"

#include <assert.h>
#include <ctype.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Random bytes for ids, read from /dev/urandom 256 at a time: opening,
 * reading and closing the device for every id cost three system calls,
 * about 7 us, a tenth of a commit on a fast disk.  One pool per thread;
 * refilled in a child after fork(), so that it never repeats its
 * parent's ids.
 */
static _Thread_local unsigned char pool[256];
static _Thread_local size_t pool_left;
static _Thread_local pid_t pool_pid;

/* Take n (at most sizeof(pool)) random bytes into b.  Returns 0, or -1
 * when /dev/urandom cannot be read. */
static int
random_bytes(unsigned char *b, size_t n)
{
    pid_t pid = getpid();
    ssize_t got = -1;
    int fd;

    if (pool_left < n || pool_pid != pid) {
        pool_left = 0;
        if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
            got = read(fd, pool, sizeof(pool));
            close(fd);
        }
        if (got != (ssize_t)sizeof(pool))
            return -1;
        pool_left = sizeof(pool);
        pool_pid = pid;
    }
    pool_left -= n;
    memcpy(b, pool + pool_left, n);
    return 0;
}

/*
 * Fill out with a random UUID4 in its 36-character text form.  Returns
 * SC_OK, or SC_IO when no randomness could be read.
 */
int
ls_uuid4(char out[LS_UUID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    int i, j = 0;

    if (random_bytes(b, sizeof(b)) != 0)
        return SC_IO;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);      /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);      /* RFC 4122 variant */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[j++] = '-';
        out[j++] = hex[b[i] >> 4];
        out[j++] = hex[b[i] & 15];
    }
    out[j] = '\0';
    return SC_OK;
}

/* See internal.h. */
int
lsi_fail(sc_db *db, int rc, const char *fn, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    assert(fn != NULL && fmt != NULL);
    if (strncmp(fn, "ls_", 3) == 0)
        fn += 3;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return sc_fail(db, rc, "%s: %s", fn, why);
}

/* See internal.h. */
int
lsi_check_list(sc_db *db, const char *fn, const char *name,
               const char *const *items, size_t n, bool nulls)
{
    size_t i, len;

    if (n > 0 && items == NULL)
        return lsi_misuse(db, fn, "%s is NULL but its count is %zu", name, n);
    for (i = 0; i < n; i++) {
        if (items[i] == NULL) {
            if (!nulls)
                return lsi_misuse(db, fn, "%s[%zu] is NULL", name, i);
            continue;
        }
        /* Stored inside JSON, escaped, where the runtime's check of text
         * no longer sees the bytes. */
        len = strlen(items[i]);
        if (lsi_json_text_check(items[i], len) != len)
            return lsi_misuse(db, fn, "%s[%zu] is not UTF-8 text", name, i);
    }
    return SC_OK;
}

/*
 * The pattern id: 16 hex chars of SHA-256 of type ":" normalised name
 * (Python's " ".join(name.lower().split()), for all of Unicode).
 * Returns SC_OK, SC_MISUSE or SC_NOMEM.
 */
int
ls_pattern_id(const char *type, const char *name, char out[LS_HASH_HEX])
{
    char *norm;
    int rc;

    if (type == NULL || name == NULL)
        return SC_MISUSE;
    if ((rc = lsi_normalize_name(name, &norm)) != SC_OK)
        return rc;
    rc = lsi_pattern_hashes(type, norm, NULL, out, NULL);
    free(norm);
    return rc;
}

/*
 * The hashes of a pattern whose name normalises to norm, as the Python
 * store's record_pattern computes them from one text: id gets the first
 * 16 hex digits of SHA-256 of type ":" norm, and hash (when not NULL) the
 * first 32 of SHA-256 of type ":" norm ":" (description or "").  Returns
 * SC_OK or SC_NOMEM.
 */
int
lsi_pattern_hashes(const char *type, const char *norm,
                   const char *description, char id[LS_HASH_HEX],
                   char hash[33])
{
    struct lsi_buf b = LSI_BUF_INIT;
    int rc;

    assert(type != NULL && norm != NULL && id != NULL);
    lsi_buf_str(&b, type);
    lsi_buf_add(&b, ":", 1);
    lsi_buf_str(&b, norm);
    if (!b.failed)
        ls_hash_bytes(b.p, b.len, id);
    if (hash != NULL) {
        lsi_buf_add(&b, ":", 1);
        lsi_buf_str(&b, description != NULL ? description : "");
        if (!b.failed)
            lsi_sha256_hex(b.p, b.len, 32, hash);
    }
    rc = b.failed ? SC_NOMEM : SC_OK;
    lsi_buf_fini(&b);
    return rc;
}

/*
 * The double nearest a + b + c (c 0 or 1), the sum taken exactly as
 * Python adds its ints and then rounded once, as float() rounds it: the
 * counts of a pattern are int64_t here, and their sum can pass 2^63.
 */
double
lsi_sum_double(int64_t a, int64_t b, int c)
{
    assert(c == 0 || c == 1);
    if (a >= 0 && b >= 0)           /* at most 2^64 - 1 */
        return (double)((uint64_t)a + (uint64_t)b + (uint64_t)c);
    if (a < 0 && b < 0) {           /* -(a + 1) and -(b + 1) fit */
        if (a == INT64_MIN && b == INT64_MIN && c == 0)
            return -18446744073709551616.0;
        return -(double)((uint64_t)-(a + 1) + (uint64_t)-(b + 1)
                         + (uint64_t)(2 - c));
    }
    return (double)(a + b + c);     /* signs differ: a + b cannot
                                       overflow, nor then + c */
}

/* The sheet number: the trailing digits of the sheet id, else 0. */
int64_t
ls_sheet_num(const char *sheet_id)
{
    size_t len = sheet_id ? strlen(sheet_id) : 0, start = len;

    while (start > 0 && isdigit((unsigned char)sheet_id[start - 1]))
        start--;
    if (start == len || len - start > 18)
        return 0;
    return strtoll(sheet_id + start, NULL, 10);
}

/* Clamp x into [0, 1]. */
double
ls_clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* A malloc'd copy of s; NULL for NULL (and when memory runs out). */
char *
lsi_strdup(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/*
 * Start a read made of many statements (one per pattern, say) as one
 * deferred transaction: they share one snapshot, and the WAL read lock is
 * taken once instead of once per statement.  Nothing when a transaction
 * is open already (a batch).  On PostgreSQL it is a batch, whose BEGIN
 * takes no lock there.  Returns whether it started one, for
 * lsi_read_end(); when BEGIN fails the statements simply run on their
 * own.
 */
bool
lsi_read_begin(sc_db *db)
{
    sqlite3 *conn = sc_sqlite(db);

    if (conn == NULL)
        return sc_batch_depth(db) == 0 && sc_batch_begin(db) == SC_OK;
    return sqlite3_get_autocommit(conn)
           && sqlite3_exec(conn, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

/* End the transaction lsi_read_begin() started (began) and return rc; a
 * failed COMMIT (then rolled back) is the result only when rc is SC_OK. */
int
lsi_read_end(sc_db *db, bool began, int rc)
{
    sqlite3 *conn = sc_sqlite(db);
    int src;

    if (!began)
        return rc;
    if (conn == NULL)
        return sc_batch_end(db, rc);
    if ((src = sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
        if (rc == SC_OK)
            rc = sc_sqlite_error(db, src, "ending a read");
    }
    return rc;
}
