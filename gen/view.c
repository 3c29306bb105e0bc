/*
 * view.c - resolve the schema at one version (view.h): which tables,
 * columns, constraints and indexes are alive, their names then, and the
 * column facts every writer needs, each decided here once.
 */
#include "view.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

/* Resolve the constraints of c alive at v into vc. */
static int
resolve_constraints(struct arena *a, struct v_column *vc,
                    const struct m_column *c, int v)
{
    size_t i;

    vc->constraints = arena_alloc(a, (c->nconstraints + 1)
                                  * sizeof(*vc->constraints));
    if (vc->constraints == NULL)
        return -1;
    for (i = 0; i < c->nconstraints; i++) {
        const struct m_constraint *k = &c->constraints[i];
        if (!m_alive(&k->span, v))
            continue;
        vc->constraints[vc->nconstraints++] = k;
        switch (k->kind) {
        case M_C_PRIMARY_KEY:
            vc->is_key = true;
            break;
        case M_C_NOT_NULL:
            vc->not_null = true;
            break;
        case M_C_UNIQUE:
            vc->unique = true;
            break;
        case M_C_DEFAULT:
            /* DEFAULT NULL changes nothing an insert stores. */
            if (vc->def == NULL && k->sql != NULL
                && strcasecmp(k->sql, "NULL") != 0)
                vc->def = k->sql;
            break;
        case M_C_CHECK:
            if (vc->check == NULL)
                vc->check = k;
            break;
        case M_C_REFERENCES:
            if (vc->references == NULL) {
                vc->references = k;
                vc->ref_column = k->ref_columns[0];
            }
            break;
        }
    }
    return 0;
}

/* The SQL list of e's values alive at v, "'a', 'b'"; NULL when memory
 * ran out. */
static const char *
enum_list(struct arena *a, const struct m_enum *e, int v)
{
    size_t i, len = 1;
    char *sql, *p;

    for (i = 0; i < e->nvalues; i++)
        len += strlen(e->values[i].name) * 2 + 4;
    if ((sql = arena_alloc(a, len)) == NULL)
        return NULL;
    p = sql;
    for (i = 0; i < e->nvalues; i++) {
        const char *q;
        if (!m_alive(&e->values[i].span, v))
            continue;
        if (p != sql) {
            *p++ = ',';
            *p++ = ' ';
        }
        *p++ = '\'';
        for (q = e->values[i].name; *q != '\0'; q++)
            *p++ = *q;          /* identifiers: no quote to double */
        *p++ = '\'';
    }
    *p = '\0';
    return sql;
}

/* Mark the columns of vt named by a table PRIMARY KEY alive at v. */
static void
mark_table_keys(struct v_table *vt, const struct m_constraint *k)
{
    size_t i;

    for (i = 0; i < k->ncolumns; i++) {
        const struct v_column *vc = vt->col_at[k->columns[i]->index];
        /* The checker keeps a key's columns alive while it is. */
        assert(vc != NULL);
        if (vc != NULL)
            vt->columns[vc - vt->columns].is_key = true;
    }
}

/* Give the columns of vt the table-level foreign key k lists, unless
 * one of their own comes first. */
static void
mark_table_references(struct v_table *vt, const struct m_constraint *k)
{
    size_t i;

    for (i = 0; i < k->ncolumns; i++) {
        const struct v_column *vc = vt->col_at[k->columns[i]->index];
        struct v_column *w;
        /* The checker keeps a constraint's columns alive while it is. */
        assert(vc != NULL);
        if (vc == NULL || vc->references != NULL)
            continue;
        w = &vt->columns[vc - vt->columns];
        w->references = k;
        w->ref_column = k->ref_columns[i];
    }
}

/* Resolve table t at v into vt.  Returns 0, or -1 when memory ran out. */
static int
resolve_table(struct arena *a, struct v_table *vt, const struct m_table *t,
              int v)
{
    size_t i;

    assert(m_alive(&t->span, v));
    vt->table = t;
    vt->version = v;
    vt->name = m_table_name_at(t, v);
    vt->is_data = !t->is_version_table && !t->is_view;
    vt->columns = arena_alloc(a, (t->ncolumns + 1) * sizeof(*vt->columns));
    vt->col_at = arena_alloc(a, (t->ncolumns + 1) * sizeof(*vt->col_at));
    vt->constraints = arena_alloc(a, (t->nconstraints + 1)
                                  * sizeof(*vt->constraints));
    vt->indexes = arena_alloc(a, (t->nindexes + 1) * sizeof(*vt->indexes));
    if (vt->columns == NULL || vt->col_at == NULL || vt->constraints == NULL
        || vt->indexes == NULL)
        return -1;
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        struct v_column *vc;
        if (!m_alive(&c->span, v))
            continue;
        vc = &vt->columns[vt->ncolumns++];
        vc->col = c;
        vc->name = m_column_name_at(c, v);
        vc->type = c->type;
        if (resolve_constraints(a, vc, c, v) != 0)
            return -1;
        if (c->type == M_ENUM
            && (vc->enum_sql = enum_list(a, c->enum_type, v)) == NULL)
            return -1;
        if (vc->check != NULL || vc->enum_sql != NULL
            || c->generated != NULL)
            vt->has_expressions = true;
        vt->ngenerated += c->generated != NULL;
        vt->col_at[i] = vc;
    }
    for (i = 0; i < t->nconstraints; i++) {
        const struct m_constraint *k = &t->constraints[i];
        if (!m_alive(&k->span, v))
            continue;
        vt->constraints[vt->nconstraints++] = k;
        if (k->kind == M_C_PRIMARY_KEY)
            mark_table_keys(vt, k);
        else if (k->kind == M_C_REFERENCES)
            mark_table_references(vt, k);
        else if (k->kind == M_C_CHECK)
            vt->has_expressions = true;
    }
    for (i = 0; i < t->nindexes; i++) {
        const struct m_index *ix = t->indexes[i];
        /* An unversioned index is in no version's DDL or steps. */
        if (!m_alive(&ix->span, v) || ix->unversioned)
            continue;
        vt->indexes[vt->nindexes++] = ix;
        if (ix->where != NULL || ix->has_expr)
            vt->has_expressions = true;
    }
    for (i = 0; i < vt->ncolumns; i++) {
        struct v_column *vc = &vt->columns[i];
        vc->has_flag = (vc->type == M_INTEGER || vc->type == M_REAL
                        || vc->type == M_BOOLEAN || vc->type == M_ENUM)
            && !vc->is_key && !vc->not_null;
        vt->nkeys += vc->is_key;
    }
    /* "INTEGER PRIMARY KEY", as a column's or the table's only key
     * column, makes the column SQLite's rowid (a WITHOUT ROWID table has
     * none). */
    for (i = 0; i < vt->ncolumns && vt->nkeys == 1 && !t->without_rowid;
         i++)
        if (vt->columns[i].is_key && vt->columns[i].type == M_INTEGER) {
            vt->columns[i].is_rowid = true;
            vt->rowid = &vt->columns[i];
        }
    return 0;
}

/* Resolve version v of m; see view.h. */
int
view_build(struct arena *a, const struct model *m, int v, struct view *out)
{
    size_t i;

    assert(m != NULL && out != NULL);
    memset(out, 0, sizeof(*out));
    out->m = m;
    out->version = v;
    out->tables = arena_alloc(a, (m->ntables + 1) * sizeof(*out->tables));
    out->table_at = arena_alloc(a, (m->ntables + 1)
                                * sizeof(*out->table_at));
    if (out->tables == NULL || out->table_at == NULL)
        return -1;
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        struct v_table *vt;
        assert(t->index == i);
        if (!m_alive(&t->span, v))
            continue;
        vt = &out->tables[out->ntables++];
        if (resolve_table(a, vt, t, v) != 0)
            return -1;
        out->ndata += vt->is_data;
        out->table_at[i] = vt;
    }
    out->views = arena_alloc(a, (m->nviews + 1) * sizeof(*out->views));
    if (out->views == NULL)
        return -1;
    for (i = 0; i < m->nviews; i++) {
        const struct m_object *w = &m->views[i];
        if (w->table == NULL || !m_alive(&w->span, v))
            continue;
        if (resolve_table(a, &out->views[out->nviews++], w->table, v) != 0)
            return -1;
    }
    return 0;
}

/* The view of t; see view.h. */
const struct v_table *
view_table(const struct view *vw, const struct m_table *t)
{
    assert(t->index < vw->m->ntables && vw->m->tables[t->index] == t);
    return vw->table_at[t->index];
}

/* True when vt has a primary key. */
bool
view_has_key(const struct v_table *vt)
{
    return vt->nkeys > 0;
}

/* True when vt has a column outside its key. */
bool
view_has_non_key(const struct v_table *vt)
{
    return vt->ncolumns > vt->nkeys + vt->ngenerated;
}
