/*
 * where.c - sc_where, the dynamic WHERE builder: clauses, each in
 * parentheses, joined with " AND ", and the values they bind, copied so the caller's buffers may go
 * away before the query runs.  Values are bound, never spliced into SQL.
 */
#include "internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char and_sep[] = " AND ";

/* SQL NULL. */
sc_value
sc_null(void)
{
    sc_value v;

    memset(&v, 0, sizeof(v));
    v.type = SC_V_NULL;
    return v;
}

/* An integer value. */
sc_value
sc_int(int64_t i)
{
    sc_value v = sc_null();

    v.type = SC_V_INT;
    v.u.i = i;
    return v;
}

/* A real value. */
sc_value
sc_real(double d)
{
    sc_value v = sc_null();

    v.type = SC_V_REAL;
    v.u.d = d;
    return v;
}

/* A text value; NULL s gives SQL NULL. */
sc_value
sc_text(const char *s)
{
    sc_value v = sc_null();

    if (s != NULL) {
        v.type = SC_V_TEXT;
        v.u.s.p = s;
        v.u.s.len = strlen(s);
    }
    return v;
}

/* A blob value; NULL p gives SQL NULL, len 0 with non-NULL p an empty
 * blob. */
sc_value
sc_blob_value(const void *p, size_t len)
{
    sc_value v = sc_null();

    if (p != NULL) {
        v.type = SC_V_BLOB;
        v.u.s.p = p;
        v.u.s.len = len;
    }
    return v;
}

/* Make w empty. */
void
sc_where_init(sc_where *w)
{
    memset(w, 0, sizeof(*w));
    w->rc = SC_OK;
}

/* Free everything w holds and leave it empty.  NULL is a no-op. */
void
sc_where_fini(sc_where *w)
{
    size_t i;

    if (w == NULL)
        return;
    for (i = 0; i < w->nvalues; i++) {
        if (w->values[i].type == SC_V_TEXT || w->values[i].type == SC_V_BLOB)
            free((void *)(uintptr_t)w->values[i].u.s.p);
    }
    free(w->values);
    free(w->sql);
    sc_where_init(w);
}

/* Grow the array *p of *cap elements of size elem to hold need; returns
 * 0 or -1 when memory runs out. */
static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t cap2 = *cap ? *cap : 8;
    void *q;

    if (need <= *cap)
        return 0;
    while (cap2 < need)
        cap2 *= 2;
    if ((q = realloc(*p, cap2 * elem)) == NULL)
        return -1;
    *p = q;
    *cap = cap2;
    return 0;
}

/* Remember the first failure of an add on w, with why (static text);
 * returns rc. */
static int
add_failed(sc_where *w, int rc, const char *why)
{
    w->rc = rc;
    w->why = why;
    return rc;
}

/* Append a copy of v to w's values (text and blobs duplicated).  Returns
 * SC_OK, or SC_NOMEM / SC_MISUSE (text that is not UTF-8, refused as the
 * runtime refuses it everywhere: utf8.c), kept by w. */
static int
add_value(sc_where *w, const sc_value *v)
{
    sc_value copy = *v;

    if (v->type == SC_V_TEXT && v->u.s.len > 0
        && sc_utf8_check(v->u.s.p, v->u.s.len) != v->u.s.len)
        return add_failed(w, SC_MISUSE, "a where value is not UTF-8 text");
    if (grow((void **)&w->values, &w->values_cap, w->nvalues + 1,
             sizeof(sc_value)) != 0)
        return add_failed(w, SC_NOMEM, "out of memory");
    if (v->type == SC_V_TEXT || v->type == SC_V_BLOB) {
        char *p = malloc(v->u.s.len + 1);
        if (p == NULL)
            return add_failed(w, SC_NOMEM, "out of memory");
        if (v->u.s.len > 0)
            memcpy(p, v->u.s.p, v->u.s.len);
        p[v->u.s.len] = '\0';
        copy.u.s.p = p;
    }
    w->values[w->nvalues++] = copy;
    return SC_OK;
}

/*
 * Return the end of the quoted name or string that opens at p ('...',
 * "..." or `...`, a doubled quote standing for one; [...] without
 * escapes): the byte after its closing quote, or NULL when it is never
 * closed.
 */
static const char *
skip_quoted(const char *p)
{
    char close = *p == '[' ? ']' : *p;

    assert(*p == '\'' || *p == '"' || *p == '`' || *p == '[');
    for (p++; *p != '\0'; p++) {
        if (*p != close)
            continue;
        if (close != ']' && p[1] == close)
            p++;                /* a doubled quote: still inside */
        else
            return p + 1;
    }
    return NULL;
}

/*
 * Why clause cannot be one expression joined to others with " AND ", or
 * NULL when it can.  Outside quoted strings and names it may hold no ';'
 * (a second statement), no "--" or slash-star comment (either hides every
 * clause, ORDER BY and LIMIT after it), no quote left open and no
 * parenthesis unmatched (each would swallow or break what follows).
 */
static const char *
clause_problem(const char *clause)
{
    const char *p = clause;
    size_t depth = 0;

    while (*p != '\0') {
        switch (*p) {
        case '\'':
        case '"':
        case '`':
        case '[':
            if ((p = skip_quoted(p)) == NULL)
                return "a where clause may not leave a quote open";
            continue;
        case ';':
            return "a where clause may not hold ';': it is one expression, "
                   "not statements";
        case '-':
            if (p[1] == '-')
                return "a where clause may not hold a '--' comment";
            break;
        case '/':
            if (p[1] == '*')
                return "a where clause may not hold a '/*' comment";
            break;
        case '(':
            depth++;
            break;
        case ')':
            if (depth == 0)
                return "a where clause may not close a parenthesis it did "
                       "not open";
            depth--;
            break;
        default:
            break;
        }
        p++;
    }
    if (depth > 0)
        return "a where clause may not leave a parenthesis open";
    return NULL;
}

/*
 * Append sql to t with its placeholders in PostgreSQL's spelling, for
 * where clauses run there: outside quoted strings and names, each bare
 * '?' becomes $k (k counting on from *n + 1) and '?N' becomes $N.  *n
 * ends as the highest number used.
 */
void
sci_text_pg_params(struct sci_text *t, const char *sql, int *n)
{
    char num[24];
    const char *p = sql, *start = sql, *end;
    long k;

    while (*p != '\0') {
        if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
            end = skip_quoted(p);
            p = end ? end : p + strlen(p);
            continue;
        }
        if (*p != '?') {
            p++;
            continue;
        }
        sci_text_addn(t, start, (size_t)(p - start));
        k = strtol(p + 1, (char **)&end, 10);
        if (end == p + 1 || k < 1 || k > 65535)
            k = ++*n, end = p + 1;
        else if (k > *n)
            *n = (int)k;
        snprintf(num, sizeof(num), "$%ld", k);
        sci_text_add(t, num);
        p = start = end;
    }
    sci_text_add(t, start);
}

/*
 * Append clause and its values.  Returns SC_OK, or SC_NOMEM / SC_MISUSE,
 * which w also keeps so that a later build or bind fails the same way.
 */
int
sc_where_addv(sc_where *w, const char *clause, const sc_value *values,
              size_t nvalues)
{
    const char *why;
    size_t len, sep, i;

    if (w == NULL)
        return SC_MISUSE;
    if (w->rc != SC_OK)
        return w->rc;
    if (clause == NULL || (nvalues > 0 && values == NULL))
        return add_failed(w, SC_MISUSE, "a NULL where clause or values");
    if ((why = clause_problem(clause)) != NULL)
        return add_failed(w, SC_MISUSE, why);
    len = strlen(clause);
    sep = w->nclauses > 0 ? sizeof(and_sep) - 1 : 0;
    if (grow((void **)&w->sql, &w->sql_cap, w->sql_len + sep + len + 3, 1))
        return add_failed(w, SC_NOMEM, "out of memory");
    /* Each clause in parentheses, so "a OR b" stays one condition once
     * joined to the others with AND. */
    memcpy(w->sql + w->sql_len, and_sep, sep);
    w->sql[w->sql_len + sep] = '(';
    memcpy(w->sql + w->sql_len + sep + 1, clause, len);
    memcpy(w->sql + w->sql_len + sep + 1 + len, ")", 2);
    w->sql_len += sep + len + 2;
    w->nclauses++;
    for (i = 0; i < nvalues; i++)
        if (add_value(w, &values[i]) != SC_OK)
            return w->rc;
    return SC_OK;
}

/* Append clause with nvalues sc_value arguments. */
int
sc_where_add(sc_where *w, const char *clause, size_t nvalues, ...)
{
    va_list ap;
    size_t i;
    int rc;

    if (w == NULL)
        return SC_MISUSE;
    rc = sc_where_addv(w, clause, NULL, 0);
    va_start(ap, nvalues);
    for (i = 0; i < nvalues && rc == SC_OK; i++) {
        sc_value v = va_arg(ap, sc_value);
        rc = add_value(w, &v);
    }
    va_end(ap);
    return rc;
}

/* The joined clauses, or "1=1" when there are none. */
const char *
sc_where_sql(const sc_where *w)
{
    return w == NULL || w->nclauses == 0 ? "1=1" : w->sql;
}

/* The values and their count. */
const sc_value *
sc_where_values(const sc_where *w, size_t *nvalues)
{
    *nvalues = w ? w->nvalues : 0;
    return w ? w->values : NULL;
}

/* Bind v to parameter i of stmt.  Text and blobs are bound without a copy:
 * v must outlive the statement's run. */
int
sc_value_bind(sqlite3_stmt *stmt, int i, const sc_value *v)
{
    switch (v->type) {
    case SC_V_NULL:
        return sqlite3_bind_null(stmt, i);
    case SC_V_INT:
        return sqlite3_bind_int64(stmt, i, v->u.i);
    case SC_V_REAL:
        return sqlite3_bind_double(stmt, i, v->u.d);
    case SC_V_TEXT:
        return sqlite3_bind_text64(stmt, i, v->u.s.p, v->u.s.len,
                                   SQLITE_STATIC, SQLITE_UTF8);
    case SC_V_BLOB:
        return sqlite3_bind_blob64(stmt, i, v->u.s.p, v->u.s.len,
                                   SQLITE_STATIC);
    }
    return SQLITE_MISUSE;
}

/* Bind w's values to stmt from parameter first on. */
int
sc_where_bind(const sc_where *w, sqlite3_stmt *stmt, int first)
{
    size_t i;
    int src;

    if (w == NULL)
        return SC_OK;
    if (w->rc != SC_OK)
        return w->rc;
    if (first < 1 || (size_t)sqlite3_bind_parameter_count(stmt)
                         < (size_t)first - 1 + w->nvalues)
        return SC_MISUSE;
    for (i = 0; i < w->nvalues; i++) {
        src = sc_value_bind(stmt, first + (int)i, &w->values[i]);
        if (src != SQLITE_OK)
            return sci_rc_from_sqlite(src);
    }
    return SC_OK;
}
