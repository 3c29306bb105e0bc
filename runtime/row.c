/*
 * row.c - the generic row operations generated CRUD functions wrap.  They
 * walk a table's column descriptors to bind a row struct's members to the
 * cached statements and to read result rows back into a struct.  A member
 * is read in one place, sc_column_value(), which binding uses and which
 * programs that print rows (the learnstore command) use too.
 */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Member access into a row struct by descriptor offset.  Only the
 * readers below and the writers of this file use them. */
#define MEMBER(row, off, type) ((type *)(void *)((char *)(row) + (off)))
#define CMEMBER(row, off, type) \
    ((const type *)(const void *)((const char *)(row) + (off)))

/* Text members are const char * to the caller, who only reads them. */
typedef const char *text_ptr;

/* ------------------------------------------------------------------ */
/* Reading members                                                     */
/* ------------------------------------------------------------------ */

/* Whether column c of row holds SQL NULL. */
bool
sc_column_is_null(const sc_column *c, const void *row)
{
    assert(c != NULL && row != NULL);
    if (c->has_offset != 0)
        return !*CMEMBER(row, c->has_offset, bool);
    switch (c->type) {
    case SC_T_TEXT:
    case SC_T_TIMESTAMP:
        return *CMEMBER(row, c->offset, text_ptr) == NULL;
    case SC_T_BLOB:
        return CMEMBER(row, c->offset, sc_blob)->data == NULL;
    case SC_T_INTEGER:
    case SC_T_REAL:
    case SC_T_BOOLEAN:
    case SC_T_ENUM:
        break;
    }
    return false;
}

/* The name of enum column c's value in row, or NULL when the member is
 * not one of its values. */
static const char *
enum_name(const sc_column *c, const void *row)
{
    int v = *CMEMBER(row, c->offset, int);

    return v >= 0 && (size_t)v < c->nenum_names ? c->enum_names[v] : NULL;
}

/* The value of column c of row, text and blobs borrowed from the row. */
sc_value
sc_column_value(const sc_column *c, const void *row)
{
    const sc_blob *b;

    assert(c != NULL && row != NULL);
    if (sc_column_is_null(c, row))
        return sc_null();
    switch (c->type) {
    case SC_T_INTEGER:
        return sc_int(*CMEMBER(row, c->offset, int64_t));
    case SC_T_REAL:
        return sc_real(*CMEMBER(row, c->offset, double));
    case SC_T_BOOLEAN:
        return sc_int(*CMEMBER(row, c->offset, bool) ? 1 : 0);
    case SC_T_TEXT:
    case SC_T_TIMESTAMP:
        return sc_text(*CMEMBER(row, c->offset, text_ptr));
    case SC_T_BLOB:
        b = CMEMBER(row, c->offset, sc_blob);
        return sc_blob_value(b->data, b->len);
    case SC_T_ENUM:
        /* Out of range is refused before binding (bad_enum()). */
        return sc_text(enum_name(c, row));
    }
    assert(!"column type out of range");
    return sc_null();
}

/*
 * Bind column c of row to parameter i of stmt, NULL when
 * sc_column_is_null(), text and blobs without copying (SQLITE_STATIC:
 * the statement is stepped before the caller's row can change).  Returns
 * an SQLite code.
 */
int
sci_bind_column(sqlite3_stmt *stmt, int i, const sc_column *c,
                const void *row)
{
    sc_value v = sc_column_value(c, row);

    return sc_value_bind(stmt, i, &v);
}

/* ------------------------------------------------------------------ */
/* Writing members                                                     */
/* ------------------------------------------------------------------ */

/* What a lent zero-length blob points at. */
static const unsigned char empty_blob[1];

/* Return a malloc'd copy of n bytes at p plus a NUL (so a zero-length blob
 * still gets a non-NULL pointer), or NULL. */
static void *
copy_bytes(const void *p, size_t n)
{
    char *q = malloc(n + 1);

    if (q != NULL) {
        if (n > 0)
            memcpy(q, p, n);
        q[n] = '\0';
    }
    return q;
}

/*
 * Whether value val (of SQLite type type) can be read into column c
 * without being changed on the way: a NULL only where the member can say
 * NULL and the column is not flagged NOT NULL, integers where c is an integer (a real only when it is whole), 0
 * or 1 for a boolean, numbers for a real, text (or a blob) without a NUL
 * byte for text, a name of the enum for an enum (read_enum() judges the
 * name); a blob column takes any bytes.  The text check scans bytes the
 * read goes through anyway.
 */
static inline bool
stored_fits(sqlite3_value *val, const sc_column *c, int type)
{
    const void *p;
    double d;

    if (type == SQLITE_NULL)
        return (c->flags & SC_COL_NOTNULL) == 0
            && (c->has_offset != 0 || c->type == SC_T_TEXT
                || c->type == SC_T_TIMESTAMP || c->type == SC_T_BLOB);
    switch (c->type) {
    case SC_T_INTEGER:
        if (type == SQLITE_FLOAT) {
            d = sqlite3_value_double(val);
            return d >= -9223372036854775808.0 && d < 9223372036854775808.0
                && d == (double)(int64_t)d;
        }
        return type == SQLITE_INTEGER;
    case SC_T_REAL:
        return type == SQLITE_INTEGER || type == SQLITE_FLOAT;
    case SC_T_BOOLEAN:
        return type == SQLITE_INTEGER
            && (uint64_t)sqlite3_value_int64(val) <= 1;
    case SC_T_TEXT:
    case SC_T_TIMESTAMP:
        if (type != SQLITE_TEXT && type != SQLITE_BLOB)
            return true;        /* a number reads as its exact text */
        p = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(val)
            : sqlite3_value_blob(val);
        return p == NULL
            || memchr(p, 0, (size_t)sqlite3_value_bytes(val)) == NULL;
    case SC_T_BLOB:
    case SC_T_ENUM:
        break;
    }
    return true;
}

/* The index of the name val (of SQLite type type) holds for enum column
 * c, or -1 when it holds no name of c (NULL included). */
static int
stored_enum(sqlite3_value *val, int type, const sc_column *c)
{
    const unsigned char *text;
    size_t k;

    if (type != SQLITE_TEXT || (text = sqlite3_value_text(val)) == NULL)
        return -1;
    for (k = 0; k < c->nenum_names; k++)
        if (strcmp((const char *)text, c->enum_names[k]) == 0)
            return (int)k;
    return -1;
}

/* Read enum column c from val (of SQLite type type) into row: NULL
 * (allowed by stored_fits()) leaves 0, a name sets the value's index,
 * anything else is SQLITE_MISMATCH (sci_read_failed() says which). */
static int
read_enum(sqlite3_value *val, int type, const sc_column *c, void *row)
{
    int k;

    *MEMBER(row, c->offset, int) = 0;
    if (type == SQLITE_NULL)
        return c->has_offset != 0 ? SQLITE_OK : SQLITE_MISMATCH;
    if ((k = stored_enum(val, type, c)) < 0)
        return SQLITE_MISMATCH;
    *MEMBER(row, c->offset, int) = k;
    return SQLITE_OK;
}

/*
 * Read result column i of stmt's current row into column c of row.  With
 * copy, text and blobs are malloc'd; without, they point into the
 * statement and stay valid until it steps again.  Returns an SQLite code
 * (SQLITE_NOMEM when a copy or a conversion fails).
 *
 * Every call into the statement has a fixed cost paid per column and
 * row, so this makes one (sqlite3_column_value()) and reads the value
 * through its own accessors; the length is asked for only when copying
 * or checking text.  Static, so that the compiler may fold it into the
 * row's loop (sci_read_row()), which every read of a row goes through.
 */
static int
read_column(sqlite3_stmt *stmt, int i, const sc_column *c, void *row,
            bool copy)
{
    /* One call to the statement per column; the value's own accessors
     * then read it (the handle is used by one thread at a time). */
    sqlite3_value *val = sqlite3_column_value(stmt, i);
    int type = sqlite3_value_type(val);
    const void *p;
    size_t n;

    if (!stored_fits(val, c, type))
        return SQLITE_MISMATCH;
    if (c->has_offset != 0)
        *MEMBER(row, c->has_offset, bool) = type != SQLITE_NULL;
    switch (c->type) {
    case SC_T_INTEGER:
        *MEMBER(row, c->offset, int64_t) = sqlite3_value_int64(val);
        return SQLITE_OK;
    case SC_T_REAL:
        *MEMBER(row, c->offset, double) = sqlite3_value_double(val);
        return SQLITE_OK;
    case SC_T_BOOLEAN:
        *MEMBER(row, c->offset, bool) = sqlite3_value_int64(val) != 0;
        return SQLITE_OK;
    case SC_T_TEXT:
    case SC_T_TIMESTAMP:
        if (type == SQLITE_NULL) {
            *MEMBER(row, c->offset, text_ptr) = NULL;
            return SQLITE_OK;
        }
        /* NULL here means converting the value ran out of memory. */
        if ((p = sqlite3_value_text(val)) == NULL)
            return SQLITE_NOMEM;
        if (copy) {
            n = (size_t)sqlite3_value_bytes(val);
            if ((p = copy_bytes(p, n)) == NULL)
                return SQLITE_NOMEM;
        }
        *MEMBER(row, c->offset, text_ptr) = p;
        return SQLITE_OK;
    case SC_T_BLOB:
        if (type == SQLITE_NULL) {
            MEMBER(row, c->offset, sc_blob)->data = NULL;
            MEMBER(row, c->offset, sc_blob)->len = 0;
            return SQLITE_OK;
        }
        p = sqlite3_value_blob(val);
        n = (size_t)sqlite3_value_bytes(val);
        /* SQLite gives NULL for a zero-length blob; ours is never NULL. */
        if (p == NULL && n > 0)
            return SQLITE_NOMEM;
        if (p == NULL)
            p = empty_blob;
        if (copy && (p = copy_bytes(p, n)) == NULL)
            return SQLITE_NOMEM;
        MEMBER(row, c->offset, sc_blob)->data = p;
        MEMBER(row, c->offset, sc_blob)->len = n;
        return SQLITE_OK;
    case SC_T_ENUM:
        return read_enum(val, type, c, row);
    }
    return SQLITE_MISUSE;
}

/* Whether the value of column i of stmt's current row fits column c (an
 * enum's text must be one of its names). */
static bool
fits(sqlite3_stmt *stmt, int i, const sc_column *c)
{
    sqlite3_value *val = sqlite3_column_value(stmt, i);
    int type = sqlite3_value_type(val);

    if (!stored_fits(val, c, type))
        return false;
    return c->type != SC_T_ENUM || type == SQLITE_NULL
        || stored_enum(val, type, c) >= 0;
}

/* Record why a read of stmt's current row by the n descriptors at cols
 * failed with src; see internal.h. */
int
sci_read_failed(sc_db *db, int src, sqlite3_stmt *stmt, const sc_column *cols,
                size_t n, const char *what)
{
    static const char *const type_names[] = {
        "a value", "an integer", "a real", "text", "a blob", "NULL"
    };
    const unsigned char *text;
    size_t i;
    int type;

    if (src != SQLITE_MISMATCH)
        return sci_error(db, sci_rc_from_sqlite(src), "%s: %s", what,
                         src == SQLITE_NOMEM ? "out of memory"
                         : sqlite3_errmsg(db->conn));
    for (i = 0; i < n && fits(stmt, (int)i, &cols[i]); i++)
        ;
    if (i == n)
        return sci_error(db, SC_CORRUPT, "%s: a stored value is not one "
                         "its column allows", what);
    type = sqlite3_column_type(stmt, (int)i);
    if (type == SQLITE_NULL && (cols[i].flags & SC_COL_NOTNULL) != 0)
        return sci_error(db, SC_CORRUPT, "%s: column '%s' is NULL, which it "
                         "is declared never to be", what, cols[i].name);
    text = sqlite3_column_text(stmt, (int)i);
    if (cols[i].type == SC_T_ENUM && type == SQLITE_TEXT)
        return sci_error(db, SC_CORRUPT, "%s: column '%s' holds '%.100s', "
                         "not a value of its enum", what, cols[i].name,
                         text ? (const char *)text : "");
    return sci_error(db, SC_CORRUPT, "%s: column '%s' holds %s%s%.100s%s, "
                     "which its type does not allow as it is (no value is "
                     "converted on the way)", what, cols[i].name,
                     type_names[type < 1 || type > 5 ? 0 : type],
                     text ? " '" : "", text ? (const char *)text : "",
                     text ? "'" : "");
}

/* ------------------------------------------------------------------ */
/* Keyed operations over cached statements                             */
/* ------------------------------------------------------------------ */

/* Which columns a statement's parameters take, in order. */
enum bind_mode {
    BIND_ALL,       /* every column (insert, upsert) */
    BIND_KEY,       /* key columns (get, delete) */
    BIND_UPDATE     /* non-key columns, then key columns (update) */
};

/* True when c is the table's rowid and row leaves it 0: an insert then
 * binds NULL, and SQLite assigns the key. */
static bool
is_rowid_to_assign(const sc_column *c, const void *row)
{
    return (c->flags & SC_COL_ROWID) != 0
        && *CMEMBER(row, c->offset, int64_t) == 0;
}

/* The rowid column of t, or NULL. */
static const sc_column *
rowid_column(const sc_table *t)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if ((t->columns[i].flags & SC_COL_ROWID) != 0)
            return &t->columns[i];
    return NULL;
}

/* The most values a row operation keeps on the stack; wider tables
 * allocate. */
#define STACK_VALUES 32

/* Whether an operation binding mode's columns binds column c in pass
 * (BIND_UPDATE binds the other columns, then the key; the other modes
 * have one pass), never a generated column, which no statement writes. */
static bool
binds(const sc_column *c, enum bind_mode mode, int pass)
{
    bool is_key = (c->flags & SC_COL_PK) != 0;

    return (c->flags & SC_COL_GENERATED) == 0
        && (mode == BIND_ALL || (mode == BIND_KEY && is_key)
            || (mode == BIND_UPDATE && is_key == (pass == 1)));
}

/* Store in v the values of the columns of row that mode names, in
 * parameter order (with BIND_ALL, a rowid left 0 as NULL; never a
 * generated column, which no statement writes); returns how many.  v has
 * room for t->ncolumns.  Both engines bind these. */
static size_t
row_values(const sc_table *t, const void *row, enum bind_mode mode,
           sc_value *v)
{
    int pass, npass = mode == BIND_UPDATE ? 2 : 1;
    size_t i, n = 0;

    for (pass = 0; pass < npass; pass++) {
        for (i = 0; i < t->ncolumns; i++) {
            const sc_column *c = &t->columns[i];
            bool wanted = binds(c, mode, pass);
            if (wanted && mode == BIND_ALL && is_rowid_to_assign(c, row))
                v[n++] = sc_null();
            else if (wanted)
                v[n++] = sc_column_value(c, row);
        }
    }
    return n;
}

/* Bind the n values v to parameters 1..n of stmt; an SQLite code. */
static int
bind_values(sqlite3_stmt *stmt, const sc_value *v, size_t n)
{
    size_t i;
    int src = SQLITE_OK;

    for (i = 0; i < n && src == SQLITE_OK; i++)
        src = sc_value_bind(stmt, (int)i + 1, &v[i]);
    return src;
}

/* The values a row operation binds, in parameter order (row_values()). */
struct bound {
    sc_value stack[STACK_VALUES];
    sc_value *v;            /* stack, or malloc'd for a wider table */
    size_t n;
};

/* The position of the first of the n values v that is text but not
 * UTF-8, *at then the offset of its first bad byte; n when there is none
 * (docs/runtime.md, "Text is UTF-8": each text read once, with the length
 * it already has). */
static size_t
bad_text(const sc_value *v, size_t n, size_t *at)
{
    size_t i;

    *at = 0;
    for (i = 0; i < n; i++)
        if (v[i].type == SC_V_TEXT
            && (*at = sc_utf8_check(v[i].u.s.p, v[i].u.s.len))
               != v[i].u.s.len)
            return i;
    return n;
}

/* Refuse c's text in row, not UTF-8 from byte at; SC_MISUSE with the
 * message, op and t saying where. */
static int
text_refused(sc_db *db, const sc_table *t, const sc_column *c, size_t at,
             const char *op)
{
    return sci_error(db, SC_MISUSE, "%s %s: column '%s' is not UTF-8 text "
                     "(byte %zu)", op, t->name, c->name, at);
}

/* The column of t whose value is at position k of mode's values. */
static const sc_column *
bound_column(const sc_table *t, enum bind_mode mode, size_t k)
{
    int pass, npass = mode == BIND_UPDATE ? 2 : 1;
    size_t i, n = 0;

    for (pass = 0; pass < npass; pass++)
        for (i = 0; i < t->ncolumns; i++)
            if (binds(&t->columns[i], mode, pass) && n++ == k)
                return &t->columns[i];
    assert(!"value position out of range");
    return NULL;
}

/* Release what b holds. */
static void
bound_free(struct bound *b)
{
    if (b->v != b->stack)
        free(b->v);
    b->v = NULL;
}

/*
 * Fill b with the values of the columns of row that mode names, which
 * both engines bind, and refuse text among them that is not UTF-8
 * (bad_text()).  Returns SC_OK (release b with bound_free()), or
 * SC_NOMEM / SC_MISUSE recorded on db with op and t saying where (b then
 * holds nothing).
 */
static int
bound_values(sc_db *db, const sc_table *t, const void *row,
             enum bind_mode mode, const char *op, struct bound *b)
{
    size_t i, at;

    b->v = b->stack;
    if (t->ncolumns > STACK_VALUES
        && (b->v = malloc(t->ncolumns * sizeof(*b->v))) == NULL)
        return sci_error(db, SC_NOMEM, "%s %s: out of memory", op, t->name);
    b->n = row_values(t, row, mode, b->v);
    if ((i = bad_text(b->v, b->n, &at)) < b->n) {
        bound_free(b);
        return text_refused(db, t, bound_column(t, mode, i), at, op);
    }
    return SC_OK;
}

/*
 * Check the arguments of a row operation on t, which needs statement
 * stmt_index (SC_NO_STMT: the table lacks the operation).  Returns SC_OK,
 * SC_MISUSE (a NULL argument, a handle whose open failed, a table of
 * another schema, an operation the table does not have) or SC_ERROR (a
 * batch SQLite has rolled back).
 */
static int
check_op(sc_db *db, const sc_table *t, const void *row, unsigned stmt_index,
         const char *op)
{
    int rc;

    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    if (!SCI_IS_OPEN(db))
        return sci_error(db, SC_MISUSE, "%s: the database is not open", op);
    if (t == NULL || row == NULL)
        return sci_error(db, SC_MISUSE, "%s: NULL table or row", op);
    if (t->schema != db->schema)
        return sci_error(db, SC_MISUSE,
                         "%s: table '%s' is not part of schema '%s'", op,
                         t->name, db->schema->name);
    /* Only a table without a key (no get, update, delete) or a view
     * (read only) lacks a statement. */
    if (stmt_index == SC_NO_STMT)
        return sci_error(db, SC_MISUSE, "%s: '%s' has no %s (a table "
                         "without a primary key cannot, a view is read "
                         "only)", op, t->name, op);
    if (sci_batch_check(db) != SC_OK) {
        sci_prefix(db, "%s %s: ", op, t->name);
        return SC_ERROR;
    }
    return SC_OK;
}

/* The first key column of t that is NULL in row, or NULL.  SQLite
 * accepts a NULL in a text key, and such a row can never be read or
 * deleted by its key. */
static const sc_column *
null_key(const sc_table *t, const void *row)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if ((t->columns[i].flags & SC_COL_PK) != 0
            && sc_column_is_null(&t->columns[i], row))
            return &t->columns[i];
    return NULL;
}

/* The first enum column of t whose member in row (not NULL) is none of
 * its values, or NULL: binding it would store NULL instead. */
static const sc_column *
bad_enum(const sc_table *t, const void *row)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if (!sci_enum_ok(&t->columns[i], row))
            return &t->columns[i];
    return NULL;
}

/* Whether c's member of row can be bound as it is; see internal.h. */
bool
sci_enum_ok(const sc_column *c, const void *row)
{
    return c->type != SC_T_ENUM || (c->flags & SC_COL_GENERATED) != 0
        || sc_column_is_null(c, row) || enum_name(c, row) != NULL;
}

/* Whether c's member of row can be bound as it is; see internal.h. */
bool
sci_text_ok(const sc_column *c, const void *row, size_t *at)
{
    sc_value v = sc_column_value(c, row);

    return bad_text(&v, 1, at) == 1;
}

/* Refuse a row whose key has a NULL column or whose enum member is none
 * of its values; SC_OK or SC_MISUSE with the message, op and t saying
 * where. */
static int
check_row(sc_db *db, const sc_table *t, const void *row, const char *op)
{
    const sc_column *c;

    if ((c = null_key(t, row)) != NULL)
        return sci_error(db, SC_MISUSE, "%s %s: key column '%s' is NULL",
                         op, t->name, c->name);
    if ((c = bad_enum(t, row)) != NULL)
        return sci_error(db, SC_MISUSE, "%s %s: column '%s' holds %d, not a "
                         "value of its enum", op, t->name, c->name,
                         *CMEMBER(row, c->offset, int));
    return SC_OK;
}

/*
 * Run statement stmt_index (or, when it is SC_NO_STMT, sql) on
 * PostgreSQL with the n values v.  When must_change is set, no changed
 * row means SC_NOTFOUND.  A statement that returns the table's generated
 * key (an insert or upsert of a table with one) records it for
 * sc_last_insert_id() and, when keyed is set and assign says the caller
 * left it 0, stores it into keyed.
 */
static int
pg_write(sc_db *db, const sc_table *t, unsigned stmt_index, const char *sql,
         const sc_value *v, size_t n, bool must_change, const char *op,
         void *keyed, bool assign)
{
    const sc_column *rowid = rowid_column(t);
    struct pg_result *res;
    void *tmp;
    int rc;

    /* A write that returns nothing may go without waiting. */
    if (!must_change && rowid == NULL && sql == NULL
        && sci_pg_pipelined(db)) {
        if ((rc = sci_pg_send(db, stmt_index, t->name, v, n)) != SC_OK)
            sci_prefix(db, "%s %s: ", op, t->name);
        return rc;
    }
    if ((rc = sci_pg_run(db, stmt_index, sql, false, v, n, &res)) != SC_OK) {
        sci_prefix(db, "%s %s: ", op, t->name);
        return rc;
    }
    if (must_change && sci_pg_changes(res) == 0) {
        rc = sci_error(db, SC_NOTFOUND, "%s %s: no row has that key", op,
                       t->name);
    } else if (rowid != NULL && sci_pg_nrows(res) > 0) {
        if ((tmp = calloc(1, t->row_size)) == NULL) {
            rc = sci_error(db, SC_NOMEM, "%s %s: out of memory", op,
                           t->name);
        } else if ((rc = sci_pg_read_row(db, res, 0, rowid, 1, tmp,
                                         t->row_size, true, op)) == SC_OK) {
            db->pg_last_id = *CMEMBER(tmp, rowid->offset, int64_t);
            if (assign && keyed != NULL)
                *MEMBER(keyed, rowid->offset, int64_t) = db->pg_last_id;
        }
        free(tmp);
    }
    sci_pg_clear(res);
    return rc;
}

/*
 * Run a write statement of t with row's columns bound by mode.  When
 * must_change is set, no changed row means SC_NOTFOUND.  A row whose key
 * has a NULL column is refused with SC_MISUSE.  With keyed set (row is
 * then the caller's writable row), a rowid the engine assigned is stored
 * into it.
 */
static int
run_write(sc_db *db, const sc_table *t, const void *row, unsigned stmt_index,
          enum bind_mode mode, bool must_change, const char *op, void *keyed)
{
    struct bound b;
    const sc_column *rowid;
    bool assign;
    sqlite3_stmt *stmt;
    int rc, src;

    if ((rc = check_op(db, t, row, stmt_index, op)) != SC_OK
        || (rc = check_row(db, t, row, op)) != SC_OK
        || (rc = bound_values(db, t, row, mode, op, &b)) != SC_OK)
        return rc;
    rowid = mode == BIND_ALL ? rowid_column(t) : NULL;
    assign = rowid != NULL && is_rowid_to_assign(rowid, row);
    if (db->pg != NULL) {
        rc = pg_write(db, t, stmt_index, NULL, b.v, b.n, must_change, op,
                      keyed, assign);
    } else if ((rc = sc_stmt_get(db, stmt_index, &stmt)) == SC_OK) {
        src = bind_values(stmt, b.v, b.n);
        if (src == SQLITE_OK)
            src = sqlite3_step(stmt);
        if (src != SQLITE_DONE) {
            rc = sci_error(db, sci_rc_from_sqlite(src), "%s %s: %s", op,
                           t->name, sqlite3_errmsg(db->conn));
        } else if (must_change && sqlite3_changes(db->conn) == 0) {
            rc = sci_error(db, SC_NOTFOUND, "%s %s: no row has that key",
                           op, t->name);
        } else if (assign && keyed != NULL) {
            /* A NULL key cannot conflict, so the row was inserted. */
            *MEMBER(keyed, rowid->offset, int64_t) =
                sqlite3_last_insert_rowid(db->conn);
        }
        sc_stmt_release(db, stmt);
    }
    bound_free(&b);
    return rc;
}

/* Insert row into t. */
int
sc_row_insert(sc_db *db, const sc_table *t, const void *row)
{
    return run_write(db, t, row, t ? t->stmt_insert : 0, BIND_ALL, false,
                     "insert into", NULL);
}

/* Insert row into t, storing a rowid SQLite assigned into row. */
int
sc_row_insert_id(sc_db *db, const sc_table *t, void *row)
{
    return run_write(db, t, row, t ? t->stmt_insert : 0, BIND_ALL, false,
                     "insert into", row);
}

/* Insert row into t, or update the row with its key. */
int
sc_row_upsert(sc_db *db, const sc_table *t, const void *row)
{
    return run_write(db, t, row, t ? t->stmt_upsert : 0, BIND_ALL, false,
                     "upsert into", NULL);
}

/* Upsert row into t, storing a rowid SQLite assigned into row. */
int
sc_row_upsert_id(sc_db *db, const sc_table *t, void *row)
{
    return run_write(db, t, row, t ? t->stmt_upsert : 0, BIND_ALL, false,
                     "upsert into", row);
}

/* Update the non-key columns of the row with row's key. */
int
sc_row_update(sc_db *db, const sc_table *t, const void *row)
{
    return run_write(db, t, row, t ? t->stmt_update : 0, BIND_UPDATE, true,
                     "update", NULL);
}

/*
 * Append to sql "UPDATE t SET c = ?1, ... WHERE k = ?n AND ..." ($1 and
 * $n on PostgreSQL) for the
 * ncols columns cols of t and its key.  Returns SC_OK, or SC_MISUSE with
 * the message in db when a column is out of range, a key column or
 * named twice.
 */
static int
update_cols_sql(sc_db *db, const sc_table *t, const int *cols, size_t ncols,
                struct sci_text *sql)
{
    char num[32];
    size_t i, j;
    int n = 1;

    sci_text_add(sql, "UPDATE ");
    sci_text_ident(sql, t->name);
    for (i = 0; i < ncols; i++) {
        if (cols[i] < 0 || (size_t)cols[i] >= t->ncolumns)
            return sci_error(db, SC_MISUSE, "update %s: column %d out of "
                             "range", t->name, cols[i]);
        if ((t->columns[cols[i]].flags & SC_COL_PK) != 0)
            return sci_error(db, SC_MISUSE, "update %s: column '%s' is part "
                             "of the key", t->name, t->columns[cols[i]].name);
        if ((t->columns[cols[i]].flags & SC_COL_GENERATED) != 0)
            return sci_error(db, SC_MISUSE, "update %s: column '%s' is "
                             "generated (SQLite computes it)", t->name,
                             t->columns[cols[i]].name);
        for (j = 0; j < i; j++)
            if (cols[j] == cols[i])
                return sci_error(db, SC_MISUSE, "update %s: column '%s' "
                                 "named twice", t->name,
                                 t->columns[cols[i]].name);
        sci_text_add(sql, i == 0 ? " SET " : ", ");
        sci_text_ident(sql, t->columns[cols[i]].name);
        snprintf(num, sizeof num, " = %c%d", db->pg ? '$' : '?', n++);
        sci_text_add(sql, num);
    }
    for (i = 0, j = 0; i < t->ncolumns; i++) {
        if ((t->columns[i].flags & SC_COL_PK) == 0)
            continue;
        sci_text_add(sql, j++ == 0 ? " WHERE " : " AND ");
        sci_text_ident(sql, t->columns[i].name);
        snprintf(num, sizeof num, " = %c%d", db->pg ? '$' : '?', n++);
        sci_text_add(sql, num);
    }
    return sql->failed ? sci_error(db, SC_NOMEM, "update %s: out of memory",
                                   t->name) : SC_OK;
}

/*
 * Update only the ncols columns cols of the row with row's key.  The
 * statement depends on the columns, so it is prepared for the call.
 */
int
sc_row_update_cols(sc_db *db, const sc_table *t, const void *row,
                   const int *cols, size_t ncols)
{
    struct sci_text sql = { NULL, 0, 0, 0 };
    struct sci_filtered *slot = NULL;
    sqlite3_stmt *stmt = NULL;
    sc_value *v;
    size_t i, n = 0, at;
    int rc, src = SQLITE_OK;

    rc = check_op(db, t, row, t ? t->stmt_update : 0, "update");
    if (rc != SC_OK)
        return rc;
    if (cols == NULL || ncols == 0)
        return sci_error(db, SC_MISUSE, "update %s: no columns to update",
                         t->name);
    if ((rc = check_row(db, t, row, "update")) != SC_OK)
        return rc;
    if ((rc = update_cols_sql(db, t, cols, ncols, &sql)) != SC_OK) {
        free(sql.p);
        return rc;
    }
    /* The values: the named columns, then the key. */
    if ((v = malloc((ncols + t->ncolumns) * sizeof(*v))) == NULL) {
        free(sql.p);
        return sci_error(db, SC_NOMEM, "update %s: out of memory", t->name);
    }
    for (i = 0; i < ncols; i++)
        v[n++] = sc_column_value(&t->columns[cols[i]], row);
    for (i = 0; i < t->ncolumns; i++)
        if ((t->columns[i].flags & SC_COL_PK) != 0)
            v[n++] = sc_column_value(&t->columns[i], row);
    if ((i = bad_text(v, n, &at)) < n) {
        free(sql.p);
        free(v);
        return text_refused(db, t, i < ncols ? &t->columns[cols[i]]
                            : bound_column(t, BIND_KEY, i - ncols), at,
                            "update");
    }
    if (db->pg != NULL) {
        rc = pg_write(db, t, SC_NO_STMT, sql.p, v, n, true, "update", NULL,
                      false);
        free(sql.p);
    } else {
        /* Kept prepared by its text, as filtered selects are: a program
         * updates the same few column sets over and over. */
        src = sci_filtered_get(db, sql.p, &stmt, &slot);
        if (src == SQLITE_OK)
            src = bind_values(stmt, v, n);
        if (src == SQLITE_OK)
            src = sqlite3_step(stmt);
        if (src != SQLITE_DONE)
            rc = sci_error(db, sci_rc_from_sqlite(src), "update %s: %s",
                           t->name, sqlite3_errmsg(db->conn));
        else if (sqlite3_changes(db->conn) == 0)
            rc = sci_error(db, SC_NOTFOUND, "update %s: no row has that key",
                           t->name);
        if (stmt != NULL)
            sci_filtered_release(stmt, slot);
    }
    free(v);
    return rc;
}

/* Delete the row with key's key. */
int
sc_row_delete(sc_db *db, const sc_table *t, const void *key)
{
    return run_write(db, t, key, t ? t->stmt_delete : 0, BIND_KEY, true,
                     "delete from", NULL);
}

/*
 * Read result columns 0..n-1 of stmt's current row into row.  Returns an
 * SQLite code; on failure copies already made are freed and row zeroed.
 */
int
sci_read_row(sqlite3_stmt *stmt, const sc_column *cols, size_t n, void *row,
             size_t row_size, bool copy)
{
    size_t i;
    int src = SQLITE_OK;

    for (i = 0; i < n && src == SQLITE_OK; i++)
        src = read_column(stmt, (int)i, &cols[i], row, copy);
    if (src != SQLITE_OK) {
        if (copy)
            sci_free_row(cols, n, row, row_size);
        else
            memset(row, 0, row_size);
    }
    return src;
}

/* Read the current row of stmt, every column of t in order, into row. */
static int
read_row(sqlite3_stmt *stmt, const sc_table *t, void *row, bool copy)
{
    return sci_read_row(stmt, t->columns, t->ncolumns, row, t->row_size,
                        copy);
}

/* PostgreSQL's get: the key's values b bound to the get statement, the
 * row read into out (zeroed by the caller). */
static int
pg_get(sc_db *db, const sc_table *t, const struct bound *b, void *out)
{
    struct pg_result *res = NULL;
    int rc;

    rc = sci_pg_run(db, t->stmt_get, NULL, false, b->v, b->n, &res);
    if (rc != SC_OK)
        sci_prefix(db, "get from %s: ", t->name);
    else if (sci_pg_nrows(res) == 0)
        rc = sci_error(db, SC_NOTFOUND, "get from %s: no row has that key",
                       t->name);
    else
        rc = sci_pg_read_row(db, res, 0, t->columns, t->ncolumns, out,
                             t->row_size, true, "get");
    sci_pg_clear(res);
    return rc;
}

/* Read the row with key's key into out (malloc'd copies). */
int
sc_row_get(sc_db *db, const sc_table *t, const void *key, void *out)
{
    struct bound b;
    sqlite3_stmt *stmt;
    int rc, src;

    if (out == NULL)
        return sci_refuse(db, "get: NULL output row");
    if (t != NULL)
        memset(out, 0, t->row_size);
    if ((rc = check_op(db, t, key, t ? t->stmt_get : 0, "get from"))
        != SC_OK
        || (rc = bound_values(db, t, key, BIND_KEY, "get from", &b))
           != SC_OK)
        return rc;
    if (db->pg != NULL) {
        rc = pg_get(db, t, &b, out);
    } else if ((rc = sc_stmt_get(db, t->stmt_get, &stmt)) == SC_OK) {
        src = bind_values(stmt, b.v, b.n);
        if (src == SQLITE_OK)
            src = sqlite3_step(stmt);
        if (src == SQLITE_ROW && (src = read_row(stmt, t, out, true))
            != SQLITE_OK)
            rc = sci_read_failed(db, src, stmt, t->columns, t->ncolumns,
                                 "get");
        else if (src == SQLITE_DONE)
            rc = sci_error(db, SC_NOTFOUND, "get from %s: no row has that "
                           "key", t->name);
        else if (src != SQLITE_OK)
            rc = sci_error(db, sci_rc_from_sqlite(src), "get from %s: %s",
                           t->name, sqlite3_errmsg(db->conn));
        sc_stmt_release(db, stmt);
    }
    bound_free(&b);
    return rc;
}

/* Free p, a copy the runtime made for a row member: members are const to
 * the caller, who only reads them, but the row owns what they point at. */
static void
free_owned(const void *p)
{
    free((void *)(uintptr_t)p);
}

/* Free the text and blob members of row by the n descriptors at cols,
 * then zero its row_size bytes. */
void
sci_free_row(const sc_column *cols, size_t n, void *row, size_t row_size)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const sc_column *c = &cols[i];
        if (c->type == SC_T_TEXT || c->type == SC_T_TIMESTAMP)
            free_owned(*MEMBER(row, c->offset, text_ptr));
        else if (c->type == SC_T_BLOB)
            free_owned(MEMBER(row, c->offset, sc_blob)->data);
    }
    memset(row, 0, row_size);
}

/* Free the text and blob members of row, then zero it. */
void
sc_row_free(const sc_table *t, void *row)
{
    if (t == NULL || row == NULL)
        return;
    sci_free_row(t->columns, t->ncolumns, row, t->row_size);
}
