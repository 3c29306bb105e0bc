/*
 * emit_h.c - the NAME.h writer: per data table a row struct, its column
 * enum, an initializer and the prototypes of its typed functions, each
 * with a contract; then the externs of the descriptors.
 */
#include "emit.h"

#include <ctype.h>
#include <string.h>

#include "ddl.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Append s in upper case. */
static void
upper(struct strbuf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        char ch = (char)toupper((unsigned char)*s);
        sb_addn(out, &ch, 1);
    }
}

/* True for a table that gets a struct and functions at the current
 * version: alive and not the version table. */
static bool
is_data_table(const struct model *m, const struct m_table *t)
{
    return m_alive(&t->span, m->version) && !t->is_version_table;
}

/* ------------------------------------------------------------------ */
/* The row struct                                                      */
/* ------------------------------------------------------------------ */

/* Append the member comment of c: key or nullability, then UNIQUE,
 * DEFAULT and REFERENCES. */
static void
member_note(struct strbuf *note, const struct m_table *t,
            const struct m_column *c, int v)
{
    size_t i;

    if (ddl_is_key(t, c, v))
        sb_adds(note, "primary key");
    else if (ddl_is_not_null(c, v))
        sb_adds(note, "not null");
    else if (ddl_has_flag(t, c, v))
        sb_printf(note, "nullable: see has_%s", c->name);
    else if (c->type == M_BLOB)
        sb_adds(note, "data may be NULL");
    else
        sb_adds(note, "may be NULL");
    for (i = 0; i < c->nconstraints; i++) {
        const struct m_constraint *k = &c->constraints[i];
        if (!m_alive(&k->span, v))
            continue;
        if (k->kind == M_C_UNIQUE)
            sb_adds(note, ", unique");
        else if (k->kind == M_C_DEFAULT && ddl_default(c, v) != NULL)
            sb_printf(note, ", default %s", k->sql);
        else if (k->kind == M_C_REFERENCES)
            sb_printf(note, ", references %s(%s)",
                      m_table_name_at(k->ref_table, v),
                      m_column_name_at(k->ref_column, v));
    }
}

/* Width of the declaration column: comments start after the longest. */
static size_t
decl_width(const struct m_table *t, int v)
{
    struct strbuf decl = { 0 };
    size_t i, w = 22;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v))
            continue;
        sb_reset(&decl);
        emit_member_decl(&decl, c->type, c->name);
        if (decl.len > w)
            w = decl.len;
        if (ddl_has_flag(t, c, v) && 14 + strlen(c->name) > w)
            w = 14 + strlen(c->name);       /* "bool     has_" + name + ";" */
    }
    sb_free(&decl);
    return w;
}

/*
 * Write struct NAME_TABLE: the doc comment with the declaration's place,
 * then one member per column alive at v in declaration order, each with a
 * comment, and a has_ flag after nullable scalars.
 */
static void
row_struct(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    const int v = m->version;
    struct strbuf line = { 0 }, where = { 0 };
    size_t i, w = decl_width(t, v);

    sb_printf(&where, "(%s:%d)", ddl_file_name(m), t->pos.line);
    sb_adds(out, "\n/*\n");
    if (t->doc == NULL)
        sb_printf(out, " * Rows of table %s.\n", t->name);
    emit_comment_lines(out, "", t->doc, sb_str(&where));
    sb_adds(out, " */\n");
    sb_printf(out, "struct %s_%s {\n", m->name, t->name);
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v))
            continue;
        if (c->doc != NULL && strchr(c->doc, '\n') == NULL) {
            sb_adds(out, "    /* ");
            ddl_c_comment(out, c->doc, strlen(c->doc));
            sb_adds(out, " */\n");
        } else if (c->doc != NULL) {
            sb_adds(out, "    /*\n");
            emit_comment_lines(out, "    ", c->doc, NULL);
            sb_adds(out, "     */\n");
        }
        sb_reset(&line);
        emit_member_decl(&line, c->type, c->name);
        sb_printf(out, "    %-*s /* ", (int)w, sb_str(&line));
        sb_reset(&line);
        member_note(&line, t, c, v);
        ddl_c_comment(out, line.data, line.len);
        sb_adds(out, " */\n");
        if (ddl_has_flag(t, c, v)) {
            sb_reset(&line);
            sb_printf(&line, "%-9shas_%s;", "bool", c->name);
            sb_printf(out, "    %-*s /* false: %s is NULL */\n", (int)w,
                      sb_str(&line), c->name);
        }
    }
    sb_adds(out, "};\n");
    sb_free(&line);
    sb_free(&where);
}

/* Write enum NAME_TABLE_column: the index of each column, for sc_order. */
static void
column_enum(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    const char *sep = "";
    size_t i;

    sb_printf(out, "\n/* Column indexes of struct %s_%s, for sc_order. */\n",
              m->name, t->name);
    sb_printf(out, "enum %s_%s_column {", m->name, t->name);
    for (i = 0; i < t->ncolumns; i++) {
        if (!m_alive(&t->columns[i]->span, m->version))
            continue;
        sb_printf(out, "%s\n    ", sep);
        upper(out, m->name);
        sb_adds(out, "_");
        upper(out, t->name);
        sb_adds(out, "_COL_");
        upper(out, t->columns[i]->name);
        sep = ",";
    }
    sb_adds(out, "\n};\n");
}

/*
 * Append the names of t's columns whose DEFAULT an insert can apply: those
 * with a DEFAULT other than NULL whose member can say "unset" (a NULL
 * pointer or a has_ flag; a NOT NULL or key scalar always has a value).
 * Returns how many there are.
 */
static size_t
default_names(struct strbuf *names, const struct m_table *t, int v)
{
    size_t i, n = 0;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v) || ddl_default(c, v) == NULL)
            continue;
        if ((c->type == M_INTEGER || c->type == M_REAL
             || c->type == M_BOOLEAN) && !ddl_has_flag(t, c, v))
            continue;
        sb_printf(names, "%s%s", n++ > 0 ? ", " : "", c->name);
    }
    return n;
}

/* Write NAME_TABLE_INIT and what an insert does with a row left as is. */
static void
init_macro(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    struct strbuf names = { 0 };

    sb_printf(out, "\n/*\n * An empty struct %s_%s: numbers 0, flags false, "
              "pointers NULL.\n", m->name, t->name);
    if (default_names(&names, t, m->version) > 0) {
        sb_adds(out, " * On insert, a member left NULL (or with its has_ "
                "flag false) whose\n * column has a DEFAULT takes the "
                "default: ");
        ddl_c_comment(out, names.data, names.len);
        sb_adds(out, ".\n");
    }
    sb_adds(out, " */\n#define ");
    upper(out, m->name);
    sb_adds(out, "_");
    upper(out, t->name);
    sb_adds(out, "_INIT { 0 }\n");
    sb_free(&names);
}

/* ------------------------------------------------------------------ */
/* Prototypes                                                          */
/* ------------------------------------------------------------------ */

/* Append the key columns of t as "id" or "(a, b)" for contracts. */
static void
key_words(struct strbuf *out, const struct m_table *t, int v)
{
    const char *sep = "";
    size_t i, n = 0;

    for (i = 0; i < t->ncolumns; i++)
        if (m_alive(&t->columns[i]->span, v)
            && ddl_is_key(t, t->columns[i], v))
            n++;
    if (n > 1)
        sb_adds(out, "(");
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v) || !ddl_is_key(t, c, v))
            continue;
        sb_printf(out, "%s%s", sep, c->name);
        sep = ", ";
    }
    if (n > 1)
        sb_adds(out, ")");
}

/* Write the contract of t's function fn (without the comment markers'
 * lines) into text, one sentence after another; wrapped by the caller. */
static void
contract(struct strbuf *text, const struct model *m, const struct m_table *t,
         enum ddl_fn fn)
{
    const int v = m->version;
    struct strbuf key = { 0 }, names = { 0 };

    key_words(&key, t, v);
    switch (fn) {
    case DDL_FN_INSERT:
        sb_printf(text, "Insert row into %s.", t->name);
        if (default_names(&names, t, v) > 0)
            sb_printf(text, " Members of %s left NULL (or with their has_"
                      " flag false) take their column's DEFAULT.",
                      sb_str(&names));
        sb_adds(text, " Returns SC_OK, SC_CONSTRAINT when a constraint"
                " refuses the row, or another SC_* code (sc_errmsg() says"
                " why). row is only read.");
        break;
    case DDL_FN_UPSERT:
        sb_printf(text, "Insert row into %s or, when a row with its key"
                  " exists, ", t->name);
        if (ddl_has_fn(t, DDL_FN_UPDATE, v))
            sb_adds(text, "set every other column of that row to what"
                    " the insert would have stored (defaults included).");
        else
            sb_adds(text, "leave that row as it is.");
        sb_adds(text, " Returns SC_OK, SC_CONSTRAINT or another SC_* code."
                " row is only read.");
        break;
    case DDL_FN_GET:
        sb_printf(text, "Read the %s row whose key is %s into *out, text"
                  " and blobs as malloc'd copies that %s_%s_free()"
                  " releases.", t->name, sb_str(&key), m->name, t->name);
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, or another SC_* code; on failure *out is zeroed,"
                " so freeing it is always safe.");
        break;
    case DDL_FN_UPDATE:
        sb_printf(text, "Set every column outside the key of the %s row"
                  " whose key is row's %s to row's values (NULL members"
                  " store NULL, defaults do not apply).",
                  t->name, sb_str(&key));
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, SC_CONSTRAINT, or another SC_* code. row is only"
                " read.");
        break;
    case DDL_FN_DELETE:
        sb_printf(text, "Delete the %s row whose key is %s.", t->name,
                  sb_str(&key));
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, SC_CONSTRAINT when a foreign key forbids it, or"
                " another SC_* code.");
        break;
    case DDL_FN_COUNT:
        sb_printf(text, "Store in *n how many %s rows match where (NULL:"
                  " every row). Returns SC_OK or another SC_* code.",
                  t->name);
        break;
    case DDL_FN_SELECT:
        sb_printf(text, "Call each(row, arg) for every %s row matching"
                  " where (NULL: every row), ordered by the norder terms of"
                  " order (columns named by enum %s_%s_column; order may be"
                  " NULL when norder is 0), at most limit rows (negative:"
                  " no limit) after skipping offset.", t->name, m->name,
                  t->name);
        sb_adds(text, " The row is lent for the call only: copy what must"
                " outlive it. Returns SC_OK, the first non-zero value each"
                " returned (which stops the select), or another SC_*"
                " code.");
        break;
    case DDL_FN_FREE:
        sb_adds(text, "Free the text and blob members of row");
        if (ddl_has_fn(t, DDL_FN_GET, v))
            sb_printf(text, " (as filled by %s_%s_get())", m->name, t->name);
        sb_adds(text, " and zero it. NULL is a no-op.");
        break;
    }
    sb_free(&key);
    sb_free(&names);
}

/* Write the prototypes of t's functions, each after its contract. */
static void
prototypes(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    struct strbuf text = { 0 };
    int fn;

    for (fn = 0; fn < DDL_NFN; fn++) {
        if (!ddl_has_fn(t, (enum ddl_fn)fn, m->version))
            continue;
        sb_reset(&text);
        contract(&text, m, t, (enum ddl_fn)fn);
        sb_adds(out, "\n");
        emit_wrapped_comment(out, sb_str(&text));
        ddl_c_signature(out, m, t, (enum ddl_fn)fn, false);
        sb_adds(out, ";\n");
    }
    sb_free(&text);
}

/* ------------------------------------------------------------------ */
/* The header                                                          */
/* ------------------------------------------------------------------ */

/* Write NAME.h for m. */
void
emit_h(const struct model *m, struct strbuf *out)
{
    struct strbuf title = { 0 };
    size_t i, ndata = 0;

    sb_printf(out, "/*\n * Generated by schemac from %s; do not edit.\n",
              ddl_file_name(m));
    sb_printf(out, " * Schema %s, version %d: row structs and typed"
              " functions over libschemac.\n", m->name, m->version);
    if (m->doc != NULL) {
        sb_adds(out, " *\n");
        emit_comment_lines(out, "", m->doc, NULL);
    }
    sb_adds(out, " */\n#ifndef ");
    upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H\n#define ");
    upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H\n\n#include \"schemac.h\"\n\n");
    sb_adds(out, "#if SC_ABI_VERSION != 1\n");
    sb_adds(out, "#error Regenerate this file: it was generated for another"
            " version of schemac.h\n");
    sb_adds(out, "#endif\n\n");
    sb_adds(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");

    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (!is_data_table(m, t))
            continue;
        ndata++;
        sb_reset(&title);
        sb_printf(&title, "Table %s", t->name);
        emit_heading(out, sb_str(&title));
        row_struct(out, m, t);
        column_enum(out, m, t);
        init_macro(out, m, t);
        prototypes(out, m, t);
    }

    emit_query_h(m, out);

    emit_heading(out, "Descriptors");
    sb_printf(out, "\n/* The whole schema, for sc_open(). */\n"
              "extern const sc_schema %s_schema;\n", m->name);
    if (ndata > 0)
        sb_adds(out, "\n/* Each table's descriptor, for the sc_row_*"
                " functions. */\n");
    for (i = 0; i < m->ntables; i++)
        if (is_data_table(m, m->tables[i]))
            sb_printf(out, "extern const sc_table %s_%s_table;\n", m->name,
                      m->tables[i]->name);
    sb_printf(out, "\n/* The data tables (all but the version table),"
              " children before parents. */\n"
              "extern const char *const %s_data_tables[];\n#define ",
              m->name);
    upper(out, m->name);
    sb_printf(out, "_DATA_TABLES_COUNT %zu\n", ndata);

    sb_adds(out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* ");
    upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H */\n");
    sb_free(&title);
}
