/*
 * ddl.c - the one place SQL identifiers, CREATE TABLE and CREATE INDEX are
 * spelled, for a view of any version of the schema.  Used by the writers,
 * the query checker and the migration planner.
 */
#include "ddl.h"

#include <assert.h>
#include <sqlite3.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Identifiers                                                         */
/* ------------------------------------------------------------------ */

/* True when s is [A-Za-z_][A-Za-z0-9_]*. */
static bool
is_plain(const char *s)
{
    const char *p;

    if (*s == '\0' || (*s >= '0' && *s <= '9'))
        return false;
    for (p = s; *p != '\0'; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return true;
}

/*
 * Append name, quoted only when it has to be.  sqlite3_keyword_check()
 * matches without regard to case, so "Order" is quoted like "order".
 */
void
ddl_ident(struct strbuf *sb, const char *name)
{
    const char *p;

    if (is_plain(name) && !sqlite3_keyword_check(name, (int)strlen(name))) {
        sb_adds(sb, name);
        return;
    }
    sb_adds(sb, "\"");
    for (p = name; *p != '\0'; p++) {
        if (*p == '"')
            sb_adds(sb, "\"\"");
        else
            sb_addn(sb, p, 1);
    }
    sb_adds(sb, "\"");
}

/* ------------------------------------------------------------------ */
/* CREATE TABLE and CREATE INDEX                                       */
/* ------------------------------------------------------------------ */

/* Append the names at v of the n columns cols, comma separated. */
static void
column_list(struct strbuf *sb, struct m_column *const *cols, size_t n, int v)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            sb_adds(sb, ", ");
        ddl_ident(sb, m_column_name_at(cols[i], v));
    }
}

/* Append "REFERENCES parent(cols)" of the foreign key k at v, with its
 * actions and deferral. */
static void
references_sql(struct strbuf *sb, const struct m_constraint *k, int v)
{
    sb_adds(sb, "REFERENCES ");
    ddl_ident(sb, m_table_name_at(k->ref_table, v));
    sb_adds(sb, "(");
    column_list(sb, k->ref_columns, k->nref_columns, v);
    sb_adds(sb, ")");
    if (k->on_delete != NULL)
        sb_printf(sb, " ON DELETE %s", k->on_delete);
    if (k->on_update != NULL)
        sb_printf(sb, " ON UPDATE %s", k->on_update);
    if (k->deferrable)
        sb_adds(sb, " DEFERRABLE INITIALLY DEFERRED");
}

/* Append " CONSTRAINT name" when k has a name (col: with its leading
 * space, else with a trailing one). */
static void
constraint_name(struct strbuf *sb, const struct m_constraint *k, bool col)
{
    if (k->name == NULL)
        return;
    sb_adds(sb, col ? " CONSTRAINT " : "CONSTRAINT ");
    ddl_ident(sb, k->name);
    if (!col)
        sb_adds(sb, " ");
}

/* Append one column constraint, with its leading space. */
static void
column_constraint_sql(struct strbuf *sb, const struct m_constraint *k, int v)
{
    constraint_name(sb, k, true);
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, k->autoincrement ? " PRIMARY KEY AUTOINCREMENT"
                : " PRIMARY KEY");
        break;
    case M_C_NOT_NULL:
        sb_adds(sb, " NOT NULL");
        break;
    case M_C_UNIQUE:
        sb_adds(sb, " UNIQUE");
        break;
    case M_C_DEFAULT:
        sb_printf(sb, " DEFAULT %s", k->sql);
        break;
    case M_C_CHECK:
        sb_printf(sb, " CHECK (%s)", k->sql);
        break;
    case M_C_REFERENCES:
        sb_adds(sb, " ");
        references_sql(sb, k, v);
        break;
    }
}

/* Append one table constraint (no leading space). */
static void
table_constraint_sql(struct strbuf *sb, const struct m_constraint *k, int v)
{
    constraint_name(sb, k, false);
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, "PRIMARY KEY (");
        column_list(sb, k->columns, k->ncolumns, v);
        sb_adds(sb, ")");
        break;
    case M_C_UNIQUE:
        sb_adds(sb, "UNIQUE (");
        column_list(sb, k->columns, k->ncolumns, v);
        sb_adds(sb, ")");
        break;
    case M_C_CHECK:
        sb_printf(sb, "CHECK (%s)", k->sql);
        break;
    case M_C_REFERENCES:
        sb_adds(sb, "FOREIGN KEY (");
        column_list(sb, k->columns, k->ncolumns, v);
        sb_adds(sb, ") ");
        references_sql(sb, k, v);
        break;
    case M_C_NOT_NULL:
    case M_C_DEFAULT:
        /* Only written on columns; the checker never puts them here. */
        break;
    }
}

/* The declared type of t in a STRICT table, which takes only INTEGER,
 * REAL, TEXT, BLOB and ANY: booleans are INTEGER, timestamps and enums
 * TEXT. */
static const char *
strict_type(enum m_type t)
{
    switch (t) {
    case M_INTEGER:
    case M_BOOLEAN:
        return "INTEGER";
    case M_REAL:
        return "REAL";
    case M_BLOB:
        return "BLOB";
    case M_TEXT:
    case M_TIMESTAMP:
    case M_ENUM:
        break;
    }
    return "TEXT";
}

/* Write column vc: name, declared type (the schema type in upper case),
 * then its live constraints in the order the schema gives them. */
void
ddl_column_def(struct strbuf *sb, const struct v_table *vt,
               const struct v_column *vc)
{
    size_t j;

    ddl_ident(sb, vc->name);
    sb_printf(sb, " %s", vt->table->strict ? strict_type(vc->type)
              : m_type_sql(vc->type));
    if (vc->col->collate != NULL)
        sb_printf(sb, " COLLATE %s", vc->col->collate);
    if (vc->col->generated != NULL)
        sb_printf(sb, " GENERATED ALWAYS AS (%s) %s", vc->col->generated,
                  vc->col->stored ? "STORED" : "VIRTUAL");
    for (j = 0; j < vc->nconstraints; j++)
        column_constraint_sql(sb, vc->constraints[j], vt->version);
    if (vc->enum_sql != NULL) {
        sb_adds(sb, " CHECK (");
        ddl_ident(sb, vc->name);
        sb_printf(sb, " IN (%s))", vc->enum_sql);
    }
}

/* Write vt under its name. */
void
ddl_create_table(struct strbuf *sb, const struct v_table *vt)
{
    ddl_create_table_as(sb, vt, vt->name);
}

/*
 * Write vt named name: columns first, in declaration order, then the
 * table constraints.
 */
void
ddl_create_table_as(struct strbuf *sb, const struct v_table *vt,
                    const char *name)
{
    const char *sep = "\n";
    size_t i;

    sb_adds(sb, "CREATE TABLE ");
    ddl_ident(sb, name);
    sb_adds(sb, " (");
    for (i = 0; i < vt->ncolumns; i++) {
        sb_printf(sb, "%s    ", sep);
        ddl_column_def(sb, vt, &vt->columns[i]);
        sep = ",\n";
    }
    for (i = 0; i < vt->nconstraints; i++) {
        sb_printf(sb, "%s    ", sep);
        table_constraint_sql(sb, vt->constraints[i], vt->version);
        sep = ",\n";
    }
    sb_adds(sb, "\n)");
    if (vt->table->without_rowid)
        sb_adds(sb, vt->table->strict ? " WITHOUT ROWID, STRICT"
                : " WITHOUT ROWID");
    else if (vt->table->strict)
        sb_adds(sb, " STRICT");
}

/* Append index entry ic of an index of vt: the column's name at vt's
 * version, or the expression in the parentheses SQLite requires. */
static void
index_entry(struct strbuf *sb, const struct v_table *vt,
            const struct m_index_column *ic)
{
    const struct v_column *vc;

    if (ic->expr != NULL) {
        sb_printf(sb, "(%s)", ic->expr);
        return;
    }
    vc = vt->col_at[ic->column->index];
    /* The checker keeps an index's columns alive while it is. */
    assert(vc != NULL);
    ddl_ident(sb, vc != NULL ? vc->name : ic->column->name);
}

/* Write the index ix of vt on one line. */
void
ddl_create_index(struct strbuf *sb, const struct v_table *vt,
                 const struct m_index *ix)
{
    size_t i;

    assert(ix->table == vt->table && m_alive(&ix->span, vt->version));
    sb_adds(sb, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    ddl_ident(sb, ix->name);
    sb_adds(sb, " ON ");
    ddl_ident(sb, vt->name);
    sb_adds(sb, " (");
    for (i = 0; i < ix->ncolumns; i++) {
        if (i > 0)
            sb_adds(sb, ", ");
        index_entry(sb, vt, &ix->columns[i]);
        if (ix->columns[i].collate != NULL)
            sb_printf(sb, " COLLATE %s", ix->columns[i].collate);
        if (ix->columns[i].desc)
            sb_adds(sb, " DESC");
    }
    sb_adds(sb, ")");
    if (ix->where != NULL)
        sb_printf(sb, " WHERE %s", ix->where);
}

/* Spell and hand over the view's DDL; see ddl.h. */
int
ddl_each(const struct view *vw, ddl_fn *fn, void *arg)
{
    struct strbuf sql = { 0 };
    size_t i, j;
    int rc = 0;

    for (i = 0; i < vw->ntables && rc == 0; i++) {
        const struct v_table *vt = &vw->tables[i];
        sb_reset(&sql);
        ddl_create_table(&sql, vt);
        rc = sql.failed ? -1 : fn(arg, sb_str(&sql), vt, NULL);
        for (j = 0; j < vt->nindexes && rc == 0; j++) {
            sb_reset(&sql);
            ddl_create_index(&sql, vt, vt->indexes[j]);
            rc = sql.failed ? -1 : fn(arg, sb_str(&sql), vt, vt->indexes[j]);
        }
    }
    sb_free(&sql);
    return rc;
}

