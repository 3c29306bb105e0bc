/*
 * ddl.c - the one place SQL identifiers, CREATE TABLE and CREATE INDEX are
 * spelled, for any version of the schema, plus the column facts and C text
 * escaping the writers share.  Used by emit_sql.c, emit_c.c and the
 * migration planner.
 */
#include "ddl.h"

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
/* Column facts                                                        */
/* ------------------------------------------------------------------ */

/* The first constraint of kind k on c alive at v, or NULL. */
static const struct m_constraint *
column_constraint(const struct m_column *c, enum m_ckind k, int v)
{
    size_t i;

    for (i = 0; i < c->nconstraints; i++) {
        const struct m_constraint *ck = &c->constraints[i];
        if (ck->kind == k && m_alive(&ck->span, v))
            return ck;
    }
    return NULL;
}

/* True when c is in a column or table PRIMARY KEY alive at v. */
bool
ddl_is_key(const struct m_table *t, const struct m_column *c, int v)
{
    size_t i, j;

    if (column_constraint(c, M_C_PRIMARY_KEY, v) != NULL)
        return true;
    for (i = 0; i < t->nconstraints; i++) {
        const struct m_constraint *k = &t->constraints[i];
        if (k->kind != M_C_PRIMARY_KEY || !m_alive(&k->span, v))
            continue;
        for (j = 0; j < k->ncolumns; j++)
            if (k->columns[j] == c)
                return true;
    }
    return false;
}

/* True when some column of t alive at v is part of its key at v. */
bool
ddl_has_key(const struct m_table *t, int v)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if (m_alive(&t->columns[i]->span, v)
            && ddl_is_key(t, t->columns[i], v))
            return true;
    return false;
}

/* True when c has a NOT NULL alive at v. */
bool
ddl_is_not_null(const struct m_column *c, int v)
{
    return column_constraint(c, M_C_NOT_NULL, v) != NULL;
}

/* The DEFAULT's SQL alive at v, NULL for none or DEFAULT NULL. */
const char *
ddl_default(const struct m_column *c, int v)
{
    const struct m_constraint *k = column_constraint(c, M_C_DEFAULT, v);

    if (k == NULL || k->sql == NULL || strcasecmp(k->sql, "NULL") == 0)
        return NULL;
    return k->sql;
}

/* True for a nullable non-key integer, real or boolean column. */
bool
ddl_has_flag(const struct m_table *t, const struct m_column *c, int v)
{
    if (c->type != M_INTEGER && c->type != M_REAL && c->type != M_BOOLEAN)
        return false;
    return !ddl_is_key(t, c, v) && !ddl_is_not_null(c, v);
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

/* Append " ON DELETE x" / " ON UPDATE x" of a REFERENCES. */
static void
ref_actions(struct strbuf *sb, const struct m_constraint *k)
{
    if (k->on_delete != NULL)
        sb_printf(sb, " ON DELETE %s", k->on_delete);
    if (k->on_update != NULL)
        sb_printf(sb, " ON UPDATE %s", k->on_update);
}

/* Append one column constraint, with its leading space. */
static void
column_constraint_sql(struct strbuf *sb, const struct m_constraint *k, int v)
{
    switch (k->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(sb, " PRIMARY KEY");
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
        sb_adds(sb, " REFERENCES ");
        ddl_ident(sb, m_table_name_at(k->ref_table, v));
        sb_adds(sb, "(");
        ddl_ident(sb, m_column_name_at(k->ref_column, v));
        sb_adds(sb, ")");
        ref_actions(sb, k);
        break;
    }
}

/* Append one table constraint (no leading space). */
static void
table_constraint_sql(struct strbuf *sb, const struct m_constraint *k, int v)
{
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
    case M_C_NOT_NULL:
    case M_C_DEFAULT:
    case M_C_REFERENCES:
        /* Only written on columns; the checker never puts them here. */
        break;
    }
}

/* Write column c at v: name, declared type (the schema type in upper
 * case), then its constraints in the order the schema gives them. */
void
ddl_column_def(struct strbuf *sb, const struct m_column *c, int version)
{
    size_t j;

    ddl_ident(sb, m_column_name_at(c, version));
    sb_printf(sb, " %s", m_type_sql(c->type));
    for (j = 0; j < c->nconstraints; j++)
        if (m_alive(&c->constraints[j].span, version))
            column_constraint_sql(sb, &c->constraints[j], version);
}

/* Write the table at v under its name at v. */
void
ddl_create_table(struct strbuf *sb, const struct model *m,
                 const struct m_table *t, int version)
{
    ddl_create_table_as(sb, m, t, version, m_table_name_at(t, version));
}

/*
 * Write the table at v named name: columns first, in declaration order,
 * then the table constraints.
 */
void
ddl_create_table_as(struct strbuf *sb, const struct model *m,
                    const struct m_table *t, int version, const char *name)
{
    const char *sep = "\n";
    size_t i;

    (void)m;
    sb_adds(sb, "CREATE TABLE ");
    ddl_ident(sb, name);
    sb_adds(sb, " (");
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, version))
            continue;
        sb_printf(sb, "%s    ", sep);
        ddl_column_def(sb, c, version);
        sep = ",\n";
    }
    for (i = 0; i < t->nconstraints; i++) {
        const struct m_constraint *k = &t->constraints[i];
        if (!m_alive(&k->span, version))
            continue;
        sb_printf(sb, "%s    ", sep);
        table_constraint_sql(sb, k, version);
        sep = ",\n";
    }
    sb_adds(sb, "\n)");
}

/* Write the index at v on one line. */
void
ddl_create_index(struct strbuf *sb, const struct model *m,
                 const struct m_index *ix, int version)
{
    size_t i;

    (void)m;
    sb_adds(sb, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    ddl_ident(sb, ix->name);
    sb_adds(sb, " ON ");
    ddl_ident(sb, m_table_name_at(ix->table, version));
    sb_adds(sb, " (");
    for (i = 0; i < ix->ncolumns; i++) {
        if (i > 0)
            sb_adds(sb, ", ");
        ddl_ident(sb, m_column_name_at(ix->columns[i].column, version));
        if (ix->columns[i].desc)
            sb_adds(sb, " DESC");
    }
    sb_adds(sb, ")");
    if (ix->where != NULL)
        sb_printf(sb, " WHERE %s", ix->where);
}

/* Spell and hand over version v's DDL; see ddl.h. */
int
ddl_each(const struct model *m, int v, ddl_fn *fn, void *arg)
{
    struct strbuf sql = { 0 };
    size_t i, j;
    int rc = 0;

    for (i = 0; i < m->ntables && rc == 0; i++) {
        const struct m_table *t = m->tables[i];
        if (!m_alive(&t->span, v))
            continue;
        sb_reset(&sql);
        ddl_create_table(&sql, m, t, v);
        rc = sql.failed ? -1 : fn(arg, sb_str(&sql), t, NULL);
        for (j = 0; j < t->nindexes && rc == 0; j++) {
            if (!m_alive(&t->indexes[j]->span, v))
                continue;
            sb_reset(&sql);
            ddl_create_index(&sql, m, t->indexes[j], v);
            rc = sql.failed ? -1 : fn(arg, sb_str(&sql), t, t->indexes[j]);
        }
    }
    sb_free(&sql);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Text placed into generated files                                    */
/* ------------------------------------------------------------------ */

/* The part of m->file after its last '/'. */
const char *
ddl_file_name(const struct model *m)
{
    const char *slash = strrchr(m->file, '/');

    return slash != NULL ? slash + 1 : m->file;
}

/* Copy s[0..len) so it cannot end the comment or start a nested one. */
void
ddl_c_comment(struct strbuf *sb, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        sb_addn(sb, &s[i], 1);
        if (i + 1 < len
            && ((s[i] == '*' && s[i + 1] == '/')
                || (s[i] == '/' && s[i + 1] == '*')
                || (s[i] == '?' && s[i + 1] == '?')))
            sb_adds(sb, " ");
    }
}

/* Escape s for the inside of a C string literal. */
void
ddl_c_string(struct strbuf *sb, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '\\':
            sb_adds(sb, "\\\\");
            break;
        case '"':
            sb_adds(sb, "\\\"");
            break;
        case '\n':
            sb_adds(sb, "\\n");
            break;
        case '\t':
            sb_adds(sb, "\\t");
            break;
        case '?':
            /* "??" followed by some characters is a trigraph in C11. */
            sb_adds(sb, p[1] == '?' ? "?\\" : "?");
            break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                sb_printf(sb, "\\%03o", *p);
            else
                sb_addn(sb, (const char *)p, 1);
        }
    }
}

/* ------------------------------------------------------------------ */
/* C declarations of the generated functions                          */
/* ------------------------------------------------------------------ */

/* Function name endings, in enum ddl_fn order. */
static const char *const fn_verbs[DDL_NFN] = {
    "insert", "upsert", "get", "update", "delete", "count", "select", "free"
};

/* The verb of fn. */
const char *
ddl_fn_verb(enum ddl_fn fn)
{
    return fn_verbs[fn];
}

/* True when t has at least one column alive at v outside its key. */
static bool
has_non_key(const struct m_table *t, int v)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++)
        if (m_alive(&t->columns[i]->span, v)
            && !ddl_is_key(t, t->columns[i], v))
            return true;
    return false;
}

/* Whether t gets fn at v. */
bool
ddl_has_fn(const struct m_table *t, enum ddl_fn fn, int v)
{
    switch (fn) {
    case DDL_FN_UPSERT:
    case DDL_FN_GET:
    case DDL_FN_DELETE:
        return ddl_has_key(t, v);
    case DDL_FN_UPDATE:
        return ddl_has_key(t, v) && has_non_key(t, v);
    case DDL_FN_INSERT:
    case DDL_FN_COUNT:
    case DDL_FN_SELECT:
    case DDL_FN_FREE:
        break;
    }
    return true;
}

/* The member type of a column type. */
const char *
ddl_c_type(enum m_type t)
{
    switch (t) {
    case M_INTEGER:
        return "int64_t";
    case M_REAL:
        return "double";
    case M_BOOLEAN:
        return "bool";
    case M_TEXT:
    case M_TIMESTAMP:
        return "char *";
    case M_BLOB:
        break;
    }
    return "sc_blob";
}

/* c's name as a parameter of get and delete. */
void
ddl_c_param(struct strbuf *sb, const struct m_column *c)
{
    sb_adds(sb, c->name);
    if (strcmp(c->name, "db") == 0 || strcmp(c->name, "out") == 0
        || strcmp(c->name, "key") == 0)
        sb_adds(sb, "_");
}

/* The column sb's last line has reached. */
static size_t
current_column(const struct strbuf *sb)
{
    const char *s = sb_str(sb);
    size_t i = sb->len;

    while (i > 0 && s[i - 1] != '\n')
        i--;
    return sb->len - i;
}

/*
 * Append one parameter of a signature: after ", " on the same line when
 * it fits in 79 columns with what must follow it (", " or ")" plus ";" or
 * nothing), else on a new line indented to align.
 */
static void
add_param(struct strbuf *sb, const char *param, bool first, bool last,
          size_t align)
{
    size_t tail = last ? 2 : 1;

    if (!first) {
        if (current_column(sb) + 1 + strlen(param) + tail > 79) {
            sb_adds(sb, ",\n");
            sb_printf(sb, "%*s", (int)align, "");
        } else {
            sb_adds(sb, ", ");
        }
    }
    sb_adds(sb, param);
}

/* Append the i-th key column of t at v as a parameter; false when t has
 * no more key columns. */
static bool
key_param(struct strbuf *p, const struct m_table *t, size_t i, int v)
{
    size_t j;

    for (j = 0; j < t->ncolumns; j++) {
        const struct m_column *c = t->columns[j];
        if (!m_alive(&c->span, v) || !ddl_is_key(t, c, v) || i-- > 0)
            continue;
        if (c->type == M_TEXT || c->type == M_TIMESTAMP)
            sb_adds(p, "const char *");
        else
            sb_printf(p, "%s ", ddl_c_type(c->type));
        ddl_c_param(p, c);
        return true;
    }
    return false;
}

/*
 * Set p to the text of parameter i of fn ("sc_db *db", ...).  Returns
 * false when fn has no parameter i.
 */
static bool
fn_param(struct strbuf *p, const struct model *m, const struct m_table *t,
         enum ddl_fn fn, size_t i)
{
    static const char *const select_params[] = {
        "sc_db *db", "const sc_where *where", "const sc_order *order",
        "size_t norder", "int64_t limit", "int64_t offset", NULL, "void *arg"
    };

    sb_reset(p);
    if (fn == DDL_FN_FREE) {
        if (i > 0)
            return false;
        sb_printf(p, "struct %s_%s *row", m->name, t->name);
        return true;
    }
    if (i == 0) {
        sb_adds(p, "sc_db *db");
        return true;
    }
    switch (fn) {
    case DDL_FN_INSERT:
    case DDL_FN_UPSERT:
    case DDL_FN_UPDATE:
        if (i > 1)
            return false;
        sb_printf(p, "const struct %s_%s *row", m->name, t->name);
        return true;
    case DDL_FN_GET:
    case DDL_FN_DELETE:
        if (key_param(p, t, i - 1, m->version))
            return true;
        /* out follows the last key column: key i - 2 exists, i - 1 not. */
        if (fn == DDL_FN_DELETE || i < 2
            || !key_param(p, t, i - 2, m->version))
            return false;
        sb_reset(p);
        sb_printf(p, "struct %s_%s *out", m->name, t->name);
        return true;
    case DDL_FN_COUNT:
        if (i > 2)
            return false;
        sb_adds(p, i == 1 ? "const sc_where *where" : "int64_t *n");
        return true;
    case DDL_FN_SELECT:
        if (i >= sizeof select_params / sizeof select_params[0])
            return false;
        if (select_params[i] != NULL)
            sb_adds(p, select_params[i]);
        else
            sb_printf(p, "int (*each)(const struct %s_%s *row, void *arg)",
                      m->name, t->name);
        return true;
    case DDL_FN_FREE:
        break;
    }
    return false;
}

/* Write "ret name(params...)", wrapping parameters under the '('. */
void
ddl_c_declarator(struct strbuf *sb, const char *ret, const char *name,
                 const char *const *params, size_t nparams, bool definition)
{
    size_t i, align;

    sb_printf(sb, "%s%s%s(", ret, definition ? "\n" : " ", name);
    align = current_column(sb);
    for (i = 0; i < nparams; i++)
        add_param(sb, params[i], i == 0, i + 1 == nparams, align);
    sb_adds(sb, ")");
}

/* Write the declarator, wrapping parameters under the '('. */
void
ddl_c_signature(struct strbuf *sb, const struct model *m,
                const struct m_table *t, enum ddl_fn fn, bool definition)
{
    struct strbuf p = { 0 }, next = { 0 };
    size_t i, align;
    bool more;

    sb_adds(sb, fn == DDL_FN_FREE ? "void" : "int");
    sb_adds(sb, definition ? "\n" : " ");
    sb_printf(sb, "%s_%s_%s(", m->name, t->name, ddl_fn_verb(fn));
    align = current_column(sb);
    /* Look one parameter ahead to know which one is last. */
    more = fn_param(&p, m, t, fn, 0);
    for (i = 0; more; i++) {
        more = fn_param(&next, m, t, fn, i + 1);
        add_param(sb, sb_str(&p), i == 0, !more, align);
        sb_reset(&p);
        sb_adds(&p, sb_str(&next));
    }
    sb_adds(sb, ")");
    sb_free(&p);
    sb_free(&next);
}
