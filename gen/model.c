/*
 * model.c - small questions every writer asks of the checked model:
 * is a node alive at a version, what was its name then, how is a type
 * spelled.
 */
#include "model.h"

#include <assert.h>
#include <limits.h>

/* Return true when span covers version v (since <= v < until). */
bool
m_alive(const struct m_span *span, int v)
{
    return span->since <= v && (span->until == 0 || v < span->until);
}

/* The query whose own row struct q's rows use, or NULL. */
const struct m_query *
m_row_query(const struct m_query *q)
{
    if (q->kind == M_Q_EXEC || q->row_table != NULL)
        return NULL;
    return q->row_query != NULL ? q->row_query : q;
}

/*
 * Return the name in force at version v given the current name and the
 * renames in ascending order: before renames[i].version the name was
 * renames[i].old_name.
 */
static const char *
name_at(const char *name, const struct m_rename *renames, size_t n, int v)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v < renames[i].version)
            return renames[i].old_name;
    return name;
}

/* Return the name of table t at version v. */
const char *
m_table_name_at(const struct m_table *t, int v)
{
    return name_at(t->sql_name, t->renames, t->nrenames, v);
}

/* Return the name of column c at version v. */
const char *
m_column_name_at(const struct m_column *c, int v)
{
    return name_at(c->sql_name, c->renames, c->nrenames, v);
}

/* Return the SQL declared type of t, the type name in upper case. */
const char *
m_type_sql(enum m_type t)
{
    switch (t) {
    case M_INTEGER:     return "INTEGER";
    case M_REAL:        return "REAL";
    case M_TEXT:        return "TEXT";
    case M_BLOB:        return "BLOB";
    case M_BOOLEAN:     return "BOOLEAN";
    case M_TIMESTAMP:   return "TIMESTAMP";
    case M_ENUM:        return "TEXT";
    }
    return "?";
}

/* Return the schema-language name of t. */
const char *
m_type_name(enum m_type t)
{
    switch (t) {
    case M_INTEGER:     return "integer";
    case M_REAL:        return "real";
    case M_TEXT:        return "text";
    case M_BLOB:        return "blob";
    case M_BOOLEAN:     return "boolean";
    case M_TIMESTAMP:   return "timestamp";
    case M_ENUM:        return "enum";
    }
    return "?";
}

/* True when spans a and b share a version. */
bool
m_overlap(const struct m_span *a, const struct m_span *b)
{
    long long a_end = a->until ? a->until : (long long)INT_MAX + 1;
    long long b_end = b->until ? b->until : (long long)INT_MAX + 1;

    return a->since < b_end && b->since < a_end;
}

/* The number of triggers and views; see model.h. */
size_t
m_nobjects(const struct model *m)
{
    return m->nviews + m->ntriggers;
}

/* Trigger or view i in creation order; see model.h. */
const struct m_object *
m_object_at(const struct model *m, size_t i)
{
    assert(i < m_nobjects(m));
    return i < m->nviews ? &m->views[i] : &m->triggers[i - m->nviews];
}
