/*
 * copy.c - ls_copy: a whole store from one engine to another (or to
 * another file), verified by counts and checksums read back before the
 * copy commits.  It walks the schema's descriptors, so every table and
 * column is copied as the generated bindings read and write them.
 */
#include "learnstore.h"
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One table's walk: where rows go (to NULL: only counted), and their
 * count and checksum. */
struct walk {
    sc_db *to;
    const sc_table *t;
    int64_t rows;
    uint64_t sum[2];
    unsigned char *buf;         /* a row's bytes, reused */
    size_t len, cap;
    int rc;                     /* the insert's error, or SC_NOMEM */
};

/* Append the n bytes at p to w's row buffer; false when memory runs
 * out. */
static bool
put(struct walk *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        unsigned char *q;
        while (cap < w->len + n)
            cap *= 2;
        if ((q = realloc(w->buf, cap)) == NULL)
            return false;
        w->buf = q;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return true;
}

/*
 * Add row to w's checksum: SHA-256 of its values, each written with its
 * type and length (NULL, an integer in decimal, a real with 17
 * significant digits, text and blobs as their bytes), whose first 16
 * bytes are added, as two 64-bit numbers, to the sum.  Addition makes the
 * sum independent of row order, which differs between engines (text
 * sorts by the server's collation on PostgreSQL).
 */
static bool
add_row(struct walk *w, const void *row)
{
    unsigned char digest[32];
    char head[48];
    size_t i, k;
    int n;

    w->len = 0;
    for (i = 0; i < w->t->ncolumns; i++) {
        sc_value v = sc_column_value(&w->t->columns[i], row);
        switch (v.type) {
        case SC_V_NULL:
            n = snprintf(head, sizeof(head), "N;");
            break;
        case SC_V_INT:
            n = snprintf(head, sizeof(head), "I%lld;", (long long)v.u.i);
            break;
        case SC_V_REAL:
            n = snprintf(head, sizeof(head), "R%.17g;", v.u.d);
            break;
        case SC_V_TEXT:
        case SC_V_BLOB:
            n = snprintf(head, sizeof(head), "%c%zu:",
                         v.type == SC_V_TEXT ? 'T' : 'B', v.u.s.len);
            break;
        default:
            n = 0;
            break;
        }
        if (!put(w, head, (size_t)n)
            || ((v.type == SC_V_TEXT || v.type == SC_V_BLOB)
                && v.u.s.len > 0 && !put(w, v.u.s.p, v.u.s.len)))
            return false;
    }
    ls_sha256(w->buf, w->len, digest);
    for (k = 0; k < 2; k++) {
        uint64_t x = 0;
        for (i = 0; i < 8; i++)
            x = x << 8 | digest[8 * k + i];
        w->sum[k] += x;
    }
    w->rows++;
    return true;
}

/* The sc_row_fn of a walk: insert the row into w->to (when set), then
 * count it.  A non-zero return stops the select. */
static int
walk_row(const void *row, void *arg)
{
    struct walk *w = arg;

    if (w->to != NULL && (w->rc = sc_row_insert(w->to, w->t, row))
        != SC_OK)
        return w->rc;
    if (!add_row(w, row))
        return w->rc = SC_NOMEM;
    return 0;
}

/* Walk table t of db: every row counted and summed into w, and inserted
 * into to when it is not NULL.  Returns SC_OK or the first error (the
 * insert's is recorded on to, a read's on db). */
static int
walk_table(sc_db *db, const sc_table *t, sc_db *to, struct walk *w)
{
    int rc;

    w->to = to;
    w->t = t;
    w->rows = 0;
    w->sum[0] = w->sum[1] = 0;
    w->rc = SC_OK;
    rc = sc_row_select(db, t, NULL, NULL, 0, -1, 0, walk_row, w);
    return w->rc != SC_OK ? w->rc : rc;
}

/* The table of the learning schema named name. */
static const sc_table *
table_named(const char *name)
{
    size_t i;

    for (i = 0; i < learning_schema.ntables; i++)
        if (strcmp(learning_schema.tables[i]->name, name) == 0)
            return learning_schema.tables[i];
    return NULL;
}

/* Fail with SC_MISUSE unless every data table of to is empty. */
static int
check_empty(sc_db *to)
{
    size_t i;
    int64_t n;
    int rc;

    for (i = 0; i < learning_schema.ndata_tables; i++) {
        const sc_table *t = table_named(learning_schema.data_tables[i]);
        if ((rc = sc_row_count(to, t, NULL, &n)) != SC_OK)
            return rc;
        if (n > 0)
            return sc_fail(to, SC_MISUSE, "copy: the destination is not "
                           "empty (%s holds %lld rows); empty it first, or "
                           "copy with replace", t->name, (long long)n);
    }
    return SC_OK;
}

/*
 * Inside to's batch: copy each data table, parents first (the list is
 * children first), noting the source's figures in report, then read
 * each back from to and compare.  Errors are recorded on the handle
 * they come from; *bad is the handle that has the message.
 */
static int
copy_all(sc_db *from, sc_db *to, struct ls_copy_table *report,
         sc_db **bad)
{
    const sc_schema *s = &learning_schema;
    struct walk w;
    size_t i;
    int rc = SC_OK;

    memset(&w, 0, sizeof(w));
    for (i = s->ndata_tables; i-- > 0 && rc == SC_OK;) {
        const sc_table *t = table_named(s->data_tables[i]);
        assert(t != NULL);
        rc = walk_table(from, t, to, &w);
        *bad = w.rc != SC_OK && w.rc != SC_NOMEM ? to : from;
        report[i].name = t->name;
        report[i].rows = w.rows;
        report[i].sum[0] = w.sum[0];
        report[i].sum[1] = w.sum[1];
    }
    for (i = 0; i < s->ndata_tables && rc == SC_OK; i++) {
        *bad = to;
        rc = walk_table(to, table_named(s->data_tables[i]), NULL, &w);
        if (rc == SC_OK && (w.rows != report[i].rows
                            || w.sum[0] != report[i].sum[0]
                            || w.sum[1] != report[i].sum[1]))
            rc = sc_fail(to, SC_CORRUPT, "copy: %s reads back %lld rows "
                         "%s, not the %lld copied; nothing was kept",
                         report[i].name, (long long)w.rows,
                         w.rows == report[i].rows ? "with other values"
                         : "", (long long)report[i].rows);
    }
    free(w.buf);
    return rc;
}

/* Copy the store at from into the store at to; see learnstore.h. */
int
ls_copy(sc_db *from, sc_db *to, bool replace, struct ls_copy_table *report)
{
    bool began;
    sc_db *bad = to;
    int rc;

    if (from == NULL || to == NULL || report == NULL)
        return lsi_misuse(to ? to : from, __func__,
                          "a store or the report is NULL");
    if (from == to)
        return lsi_misuse(to, __func__, "from and to are the same handle");
    memset(report, 0, learning_schema.ndata_tables * sizeof(*report));
    if ((rc = sc_batch_begin(to)) != SC_OK)
        return rc;
    rc = replace ? sc_clear_all(to) : check_empty(to);
    if (rc == SC_OK) {
        int read_rc;
        began = lsi_read_begin(from);
        rc = copy_all(from, to, report, &bad);
        if ((read_rc = lsi_read_end(from, began, rc)) != rc) {
            rc = read_rc;
            bad = from;
        }
    }
    if (rc != SC_OK && bad == from)
        /* The caller reads the message on to: carry from's over. */
        sc_fail(to, rc, "copy: reading the source: %s", sc_errmsg(from));
    return sc_batch_end(to, rc);
}
