/*
 * ddl.c - the one place SQL identifiers, CREATE TABLE and CREATE INDEX are
 * spelled, for a view of any version of the schema, in SQLite's spelling
 * or PostgreSQL's.  Used by the writers, the query checker, the migration
 * planner and `schemac --dialect`.
 */
#include "ddl.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdlib.h>
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
 * PostgreSQL 15's reserved key words, and those reserved but as function
 * or type names: the words a table or column name must not be unquoted
 * (its documentation's appendix C).  Upper case, sorted for bsearch().
 */
static const char *const pg_reserved[] = {
    "ALL", "ANALYSE", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC",
    "ASYMMETRIC", "AUTHORIZATION", "BINARY", "BOTH", "CASE", "CAST",
    "CHECK", "COLLATE", "COLLATION", "COLUMN", "CONCURRENTLY",
    "CONSTRAINT", "CREATE", "CROSS", "CURRENT_CATALOG", "CURRENT_DATE",
    "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "DEFAULT", "DEFERRABLE", "DESC", "DISTINCT", "DO",
    "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN", "FREEZE",
    "FROM", "FULL", "GRANT", "GROUP", "HAVING", "ILIKE", "IN",
    "INITIALLY", "INNER", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN",
    "LATERAL", "LEADING", "LEFT", "LIKE", "LIMIT", "LOCALTIME",
    "LOCALTIMESTAMP", "NATURAL", "NOT", "NOTNULL", "NULL", "OFFSET", "ON",
    "ONLY", "OR", "ORDER", "OUTER", "OVERLAPS", "PLACING", "PRIMARY",
    "REFERENCES", "RETURNING", "RIGHT", "SELECT", "SESSION_USER",
    "SIMILAR", "SOME", "SYMMETRIC", "TABLE", "TABLESAMPLE", "THEN", "TO",
    "TRAILING", "TRUE", "UNION", "UNIQUE", "USER", "USING", "VARIADIC",
    "VERBOSE", "WHEN", "WHERE", "WINDOW", "WITH",
};

/* bsearch() order of a name against a key word, without regard to
 * case. */
static int
cmp_word(const void *name, const void *word)
{
    return strcasecmp(name, *(const char *const *)word);
}

/* True when name must be quoted in d to stay a name. */
static bool
is_keyword(enum sql_dialect d, const char *name)
{
    if (d == SQL_POSTGRESQL)
        return bsearch(name, pg_reserved,
                       sizeof pg_reserved / sizeof pg_reserved[0],
                       sizeof pg_reserved[0], cmp_word) != NULL;
    /* sqlite3_keyword_check() matches without regard to case, so "Order"
     * is quoted like "order". */
    return sqlite3_keyword_check(name, (int)strlen(name)) != 0;
}

/* Append name in SQLite's spelling; see ddl.h. */
void
ddl_ident(struct strbuf *sb, const char *name)
{
    ddl_ident_in(sb, SQL_SQLITE, name);
}

/* Append name, quoted only when it has to be. */
void
ddl_ident_in(struct strbuf *sb, enum sql_dialect d, const char *name)
{
    const char *p;

    if (is_plain(name) && !is_keyword(d, name)) {
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
column_list(struct strbuf *sb, enum sql_dialect d,
            struct m_column *const *cols, size_t n, int v)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            sb_adds(sb, ", ");
        ddl_ident_in(sb, d, m_column_name_at(cols[i], v));
    }
}

/* Append "REFERENCES parent(cols)" of the foreign key k at v, with its
 * actions and deferral (both dialects spell them alike). */
static void
references_sql(struct strbuf *sb, enum sql_dialect d,
               const struct m_constraint *k, int v)
{
    sb_adds(sb, "REFERENCES ");
    ddl_ident_in(sb, d, m_table_name_at(k->ref_table, v));
    sb_adds(sb, "(");
    column_list(sb, d, k->ref_columns, k->nref_columns, v);
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
constraint_name(struct strbuf *sb, enum sql_dialect d,
                const struct m_constraint *k, bool col)
{
    if (k->name == NULL)
        return;
    sb_adds(sb, col ? " CONSTRAINT " : "CONSTRAINT ");
    ddl_ident_in(sb, d, k->name);
    if (!col)
        sb_adds(sb, " ");
}

/* The literal a boolean column's default is in PostgreSQL, whose BOOLEAN
 * takes no 0 or 1: TRUE or FALSE for those, sql itself otherwise. */
static const char *
pg_boolean_literal(const char *sql)
{
    if (strcmp(sql, "1") == 0 || strcasecmp(sql, "true") == 0)
        return "TRUE";
    if (strcmp(sql, "0") == 0 || strcasecmp(sql, "false") == 0)
        return "FALSE";
    return sql;
}

/* See ddl.h.  PostgreSQL's CURRENT_TIMESTAMP is a timestamptz, which a
 * TEXT column would store as "2026-01-02 03:04:05.678901+00"; to_char()
 * in UTC gives the text SQLite's CURRENT_TIMESTAMP gives, so a row reads
 * back the same from either engine. */
const char *
ddl_default(enum sql_dialect d, enum m_type type, const char *sql)
{
    if (d == SQL_SQLITE)
        return sql;
    if (type == M_BOOLEAN)
        return pg_boolean_literal(sql);
    if (strcasecmp(sql, "CURRENT_TIMESTAMP") == 0)
        return "to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD HH24:MI:SS')";
    return sql;
}

/* Append one constraint of column vc, with its leading space.  On
 * PostgreSQL a rowid key's AUTOINCREMENT is its identity (ddl_type()). */
static void
column_constraint_sql(struct strbuf *sb, enum sql_dialect d,
                      const struct v_column *vc,
                      const struct m_constraint *k, int v)
{
    constraint_name(sb, d, k, true);
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, k->autoincrement && d == SQL_SQLITE
                ? " PRIMARY KEY AUTOINCREMENT" : " PRIMARY KEY");
        break;
    case M_C_NOT_NULL:
        sb_adds(sb, " NOT NULL");
        break;
    case M_C_UNIQUE:
        sb_adds(sb, " UNIQUE");
        break;
    case M_C_DEFAULT:
        sb_printf(sb, " DEFAULT %s", ddl_default(d, vc->type, k->sql));
        break;
    case M_C_CHECK:
        sb_printf(sb, " CHECK (%s)", k->sql);
        break;
    case M_C_REFERENCES:
        sb_adds(sb, " ");
        references_sql(sb, d, k, v);
        break;
    }
}

/* Append one table constraint (no leading space). */
static void
table_constraint_sql(struct strbuf *sb, enum sql_dialect d,
                     const struct m_constraint *k, int v)
{
    constraint_name(sb, d, k, false);
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, "PRIMARY KEY (");
        column_list(sb, d, k->columns, k->ncolumns, v);
        sb_adds(sb, ")");
        break;
    case M_C_UNIQUE:
        sb_adds(sb, "UNIQUE (");
        column_list(sb, d, k->columns, k->ncolumns, v);
        sb_adds(sb, ")");
        break;
    case M_C_CHECK:
        sb_printf(sb, "CHECK (%s)", k->sql);
        break;
    case M_C_REFERENCES:
        sb_adds(sb, "FOREIGN KEY (");
        column_list(sb, d, k->columns, k->ncolumns, v);
        sb_adds(sb, ") ");
        references_sql(sb, d, k, v);
        break;
    case M_C_NOT_NULL:
    case M_C_DEFAULT:
        /* Only written on columns; the checker never puts them here. */
        break;
    }
}

/* See ddl.h: PostgreSQL needs a foreign key's parent table to exist
 * when the key is created; SQLite resolves one only when it is used. */
bool
ddl_added_later(enum sql_dialect d, const struct v_table *vt,
                const struct m_constraint *k)
{
    return d == SQL_POSTGRESQL && k->kind == M_C_REFERENCES
        && k->ref_table->index > vt->table->index;
}

/* Append the ALTER TABLE that adds k, a constraint of vt on its column
 * vc (NULL for a table constraint); see ddl.h. */
void
ddl_add_constraint(struct strbuf *sb, enum sql_dialect d,
                   const struct v_table *vt, const struct v_column *vc,
                   const struct m_constraint *k)
{
    sb_adds(sb, "ALTER TABLE ");
    ddl_ident_in(sb, d, vt->name);
    sb_adds(sb, " ADD ");
    if (vc == NULL) {
        table_constraint_sql(sb, d, k, vt->version);
        return;
    }
    constraint_name(sb, d, k, false);
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, "PRIMARY KEY (");
        break;
    case M_C_UNIQUE:
        sb_adds(sb, "UNIQUE (");
        break;
    case M_C_CHECK:
        sb_printf(sb, "CHECK (%s)", k->sql);
        return;
    case M_C_REFERENCES:
        sb_adds(sb, "FOREIGN KEY (");
        break;
    case M_C_NOT_NULL:
    case M_C_DEFAULT:
        /* ALTER COLUMN's, never added as constraints. */
        assert(0);
        return;
    }
    ddl_ident_in(sb, d, vc->name);
    sb_adds(sb, ")");
    if (k->kind == M_C_REFERENCES) {
        sb_adds(sb, " ");
        references_sql(sb, d, k, vt->version);
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

/* The PostgreSQL type of t.  Timestamps stay TEXT: the C API hands them
 * over as ISO-8601 text and reads back the same bytes, which stored
 * values with and without a UTC offset keep only as text, and the
 * schema's queries compare them as text (docs/postgresql.md). */
static const char *
pg_type(enum m_type t)
{
    switch (t) {
    case M_INTEGER:
        return "BIGINT";
    case M_REAL:
        return "DOUBLE PRECISION";
    case M_BLOB:
        return "BYTEA";
    case M_BOOLEAN:
        return "BOOLEAN";
    case M_TEXT:
    case M_TIMESTAMP:
    case M_ENUM:
        break;
    }
    return "TEXT";
}

/* The declared type of vc; see ddl.h.  A rowid key, which SQLite assigns
 * when an insert gives none, is an identity column on PostgreSQL. */
const char *
ddl_type(enum sql_dialect d, const struct v_table *vt,
         const struct v_column *vc)
{
    if (d == SQL_POSTGRESQL)
        return vc->is_rowid ? "BIGINT GENERATED BY DEFAULT AS IDENTITY"
            : pg_type(vc->type);
    return vt->table->strict ? strict_type(vc->type) : m_type_sql(vc->type);
}

/* Append s as an SQL string literal: in single quotes, inner ones
 * doubled. */
static void
string_literal(struct strbuf *sb, const char *s)
{
    const char *p;

    sb_adds(sb, "'");
    for (p = s; *p != '\0'; p++)
        sb_addn(sb, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    sb_adds(sb, "'");
}

/* See ddl.h.  pg_get_serial_sequence() reads its first argument as SQL
 * does a name (folding it unless quoted), so it gets the table as the
 * DDL spells it; the column it takes as stored, so it gets the name
 * PostgreSQL stored: folded to lower case when the DDL left it
 * unquoted. */
void
ddl_identity_next(struct strbuf *sb, const struct v_table *vt,
                  const struct v_column *vc)
{
    sb_adds(sb, "nextval(");
    ddl_identity_sequence(sb, vt, vc);
    sb_adds(sb, ")");
}

/* See ddl.h and ddl_identity_next(). */
void
ddl_identity_sequence(struct strbuf *sb, const struct v_table *vt,
                      const struct v_column *vc)
{
    struct strbuf name = { 0 };
    size_t i;

    assert(vc->is_rowid);
    sb_adds(sb, "pg_get_serial_sequence(");
    ddl_ident_in(&name, SQL_POSTGRESQL, vt->name);
    string_literal(sb, sb_str(&name));
    sb_adds(sb, ", ");
    sb_reset(&name);
    ddl_ident_in(&name, SQL_POSTGRESQL, vc->name);
    if (name.len > 0 && name.data[0] != '"') {
        for (i = 0; i < name.len; i++)
            if (name.data[i] >= 'A' && name.data[i] <= 'Z')
                name.data[i] = (char)(name.data[i] - 'A' + 'a');
        string_literal(sb, sb_str(&name));
    } else {
        string_literal(sb, vc->name);
    }
    sb_adds(sb, ")");
    if (name.failed)
        sb->failed = 1;
    sb_free(&name);
}

/* Append " COLLATE c" as d spells SQLite's collation c: PostgreSQL's "C"
 * compares bytes as BINARY does; the others have no PostgreSQL spelling
 * and dialect_check() refuses them before anything is spelled. */
static void
collate_sql(struct strbuf *sb, enum sql_dialect d, const char *c)
{
    if (d == SQL_POSTGRESQL)
        sb_adds(sb, " COLLATE \"C\"");
    else
        sb_printf(sb, " COLLATE %s", c);
}

/* True when CREATE TABLE writes constraint k of vt in place: not a key
 * ddl_added_later(), nor any foreign key when keys is false. */
static bool
written_inline(enum sql_dialect d, const struct v_table *vt,
               const struct m_constraint *k, bool keys)
{
    return !ddl_added_later(d, vt, k)
        && (keys || k->kind != M_C_REFERENCES);
}

/* Write column vc: name, declared type (the schema type in upper case),
 * then its live constraints in the order the schema gives them (its
 * foreign keys only when keys). */
static void
column_def(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
           const struct v_column *vc, bool keys)
{
    size_t j;

    ddl_ident_in(sb, d, vc->name);
    sb_printf(sb, " %s", ddl_type(d, vt, vc));
    if (vc->col->collate != NULL)
        collate_sql(sb, d, vc->col->collate);
    /* PostgreSQL 15 has only stored generated columns: a virtual one is
     * stored there, with the same values. */
    if (vc->col->generated != NULL)
        sb_printf(sb, " GENERATED ALWAYS AS (%s) %s", vc->col->generated,
                  vc->col->stored || d == SQL_POSTGRESQL ? "STORED"
                  : "VIRTUAL");
    for (j = 0; j < vc->nconstraints; j++)
        if (written_inline(d, vt, vc->constraints[j], keys))
            column_constraint_sql(sb, d, vc, vc->constraints[j],
                                  vt->version);
    if (vc->enum_sql != NULL) {
        sb_adds(sb, " CHECK (");
        ddl_ident_in(sb, d, vc->name);
        sb_printf(sb, " IN (%s))", vc->enum_sql);
    }
}

/* See ddl.h. */
void
ddl_column_def(struct strbuf *sb, enum sql_dialect d,
               const struct v_table *vt, const struct v_column *vc)
{
    column_def(sb, d, vt, vc, true);
}

/* Write vt under its name. */
void
ddl_create_table(struct strbuf *sb, enum sql_dialect d,
                 const struct v_table *vt)
{
    ddl_create_table_as(sb, d, vt, vt->name);
}

/*
 * Write vt named name: columns first, in declaration order, then the
 * table constraints, foreign keys only when keys.  WITHOUT ROWID and
 * STRICT are SQLite's alone: PostgreSQL has no rowid and checks every
 * type.
 */
static void
create_table(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
             const char *name, bool keys)
{
    const char *sep = "\n";
    size_t i;

    sb_adds(sb, "CREATE TABLE ");
    ddl_ident_in(sb, d, name);
    sb_adds(sb, " (");
    for (i = 0; i < vt->ncolumns; i++) {
        sb_printf(sb, "%s    ", sep);
        column_def(sb, d, vt, &vt->columns[i], keys);
        sep = ",\n";
    }
    for (i = 0; i < vt->nconstraints; i++) {
        if (!written_inline(d, vt, vt->constraints[i], keys))
            continue;
        sb_printf(sb, "%s    ", sep);
        table_constraint_sql(sb, d, vt->constraints[i], vt->version);
        sep = ",\n";
    }
    sb_adds(sb, "\n)");
    if (d == SQL_POSTGRESQL)
        return;
    if (vt->table->without_rowid)
        sb_adds(sb, vt->table->strict ? " WITHOUT ROWID, STRICT"
                : " WITHOUT ROWID");
    else if (vt->table->strict)
        sb_adds(sb, " STRICT");
}

/* See ddl.h. */
void
ddl_create_table_as(struct strbuf *sb, enum sql_dialect d,
                    const struct v_table *vt, const char *name)
{
    create_table(sb, d, vt, name, true);
}

/* See ddl.h. */
void
ddl_create_table_bare(struct strbuf *sb, enum sql_dialect d,
                      const struct v_table *vt, const char *name)
{
    create_table(sb, d, vt, name, false);
}

/* Append index entry ic of an index of vt: the column's name at vt's
 * version, or the expression in the parentheses SQLite requires. */
static void
index_entry(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
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
    ddl_ident_in(sb, d, vc != NULL ? vc->name : ic->column->name);
}

/* Write the index ix of vt on one line, after head ("CREATE INDEX "). */
static void
create_index(struct strbuf *sb, enum sql_dialect d, const char *head,
             const struct v_table *vt, const struct m_index *ix)
{
    size_t i;

    assert(ix->table == vt->table && m_alive(&ix->span, vt->version));
    sb_adds(sb, head);
    ddl_ident_in(sb, d, ix->name);
    sb_adds(sb, " ON ");
    ddl_ident_in(sb, d, vt->name);
    sb_adds(sb, " (");
    for (i = 0; i < ix->ncolumns; i++) {
        if (i > 0)
            sb_adds(sb, ", ");
        index_entry(sb, d, vt, &ix->columns[i]);
        if (ix->columns[i].collate != NULL)
            collate_sql(sb, d, ix->columns[i].collate);
        if (ix->columns[i].desc)
            sb_adds(sb, " DESC");
    }
    sb_adds(sb, ")");
    if (ix->where != NULL)
        sb_printf(sb, " WHERE %s", ix->where);
}

/* See ddl.h. */
void
ddl_create_index(struct strbuf *sb, enum sql_dialect d,
                 const struct v_table *vt, const struct m_index *ix)
{
    assert(!ix->unversioned);
    create_index(sb, d, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ",
                 vt, ix);
}

/*
 * Append PostgreSQL's creation of unversioned index ix: a DO block that
 * creates it only when no relation of its name is found, because there
 * even CREATE INDEX IF NOT EXISTS takes a lock on the table that waits
 * for every write in progress, at every open; two sessions creating it
 * at once leave one index and no error.  The dollar quote's tag is one
 * the statement does not hold.
 */
static void
pg_create_unversioned(struct strbuf *sb, const struct v_table *vt,
                      const struct m_index *ix)
{
    struct strbuf stmt = { 0 }, name = { 0 };
    char tag[32] = "$sc$";
    int k = 0;

    create_index(&stmt, SQL_POSTGRESQL, "CREATE INDEX IF NOT EXISTS ", vt,
                 ix);
    ddl_ident_in(&name, SQL_POSTGRESQL, ix->name);
    while (!stmt.failed && !name.failed
           && (strstr(sb_str(&stmt), tag) || strstr(sb_str(&name), tag)))
        snprintf(tag, sizeof(tag), "$sc%d$", ++k);
    sb_printf(sb, "DO %s BEGIN IF to_regclass(", tag);
    string_literal(sb, sb_str(&name));
    sb_printf(sb, ") IS NULL THEN %s; END IF; EXCEPTION WHEN "
              "duplicate_table OR unique_violation THEN NULL; END %s",
              sb_str(&stmt), tag);
    sb->failed |= stmt.failed | name.failed;
    sb_free(&stmt);
    sb_free(&name);
}

/* See ddl.h. */
void
ddl_create_unversioned(struct strbuf *sb, enum sql_dialect d,
                       const struct v_table *vt, const struct m_index *ix)
{
    assert(ix->unversioned && !ix->retired);
    if (d == SQL_POSTGRESQL)
        pg_create_unversioned(sb, vt, ix);
    else
        create_index(sb, d, "CREATE INDEX IF NOT EXISTS ", vt, ix);
}

/* See ddl.h. */
void
ddl_drop_unversioned(struct strbuf *sb, enum sql_dialect d,
                     const struct m_index *ix)
{
    assert(ix->unversioned);
    sb_adds(sb, "DROP INDEX IF EXISTS ");
    ddl_ident_in(sb, d, ix->name);
}

/* See ddl.h. */
const char *
ddl_object_sql(struct arena *a, enum sql_dialect d, const struct m_object *t)
{
    struct strbuf sb = { 0 };
    const char *out;

    if (d == SQL_SQLITE)
        return t->sql;
    if (!t->is_view) {
        assert(t->pg.sql != NULL);
        return t->pg.sql;
    }
    sb_adds(&sb, "CREATE VIEW ");
    ddl_ident_in(&sb, d, t->name);
    sb_adds(&sb, " AS ");
    sb_adds(&sb, t->pg.sql != NULL ? t->pg.sql : t->select);
    out = sb.failed ? NULL : arena_strdup(a, sb_str(&sb));
    sb_free(&sb);
    return out;
}

/* Hand fn the ALTER TABLE of each foreign key of vt ddl_added_later(),
 * its columns' in declaration order, then its table constraints'; sql is
 * scratch space.  Returns as ddl_each(). */
static int
each_later_key(const struct v_table *vt, enum sql_dialect d,
               struct strbuf *sql, ddl_fn *fn, void *arg)
{
    size_t i, j;
    int rc = 0;

    for (i = 0; i < vt->ncolumns && rc == 0; i++) {
        const struct v_column *vc = &vt->columns[i];
        for (j = 0; j < vc->nconstraints && rc == 0; j++) {
            if (!ddl_added_later(d, vt, vc->constraints[j]))
                continue;
            sb_reset(sql);
            ddl_add_constraint(sql, d, vt, vc, vc->constraints[j]);
            rc = sql->failed ? -1 : fn(arg, sb_str(sql), vt, NULL);
        }
    }
    for (i = 0; i < vt->nconstraints && rc == 0; i++) {
        if (!ddl_added_later(d, vt, vt->constraints[i]))
            continue;
        sb_reset(sql);
        ddl_add_constraint(sql, d, vt, NULL, vt->constraints[i]);
        rc = sql->failed ? -1 : fn(arg, sb_str(sql), vt, NULL);
    }
    return rc;
}

/* Spell and hand over the view's DDL; see ddl.h. */
int
ddl_each(const struct view *vw, enum sql_dialect d, ddl_fn *fn, void *arg)
{
    struct strbuf sql = { 0 };
    size_t i, j;
    int rc = 0;

    for (i = 0; i < vw->ntables && rc == 0; i++) {
        const struct v_table *vt = &vw->tables[i];
        sb_reset(&sql);
        ddl_create_table(&sql, d, vt);
        rc = sql.failed ? -1 : fn(arg, sb_str(&sql), vt, NULL);
        for (j = 0; j < vt->nindexes && rc == 0; j++) {
            sb_reset(&sql);
            ddl_create_index(&sql, d, vt, vt->indexes[j]);
            rc = sql.failed ? -1 : fn(arg, sb_str(&sql), vt, vt->indexes[j]);
        }
    }
    for (i = 0; i < vw->ntables && rc == 0; i++)
        rc = each_later_key(&vw->tables[i], d, &sql, fn, arg);
    sb_free(&sql);
    return rc;
}

/* See ddl.h. */
int
ddl_later_keys(const struct v_table *vt, enum sql_dialect d, ddl_fn *fn,
               void *arg)
{
    struct strbuf sql = { 0 };
    int rc = each_later_key(vt, d, &sql, fn, arg);

    sb_free(&sql);
    return rc;
}
