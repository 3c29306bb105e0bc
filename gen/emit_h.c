/*
 * emit_h.c - the NAME.h writer: per data table a row struct, its column
 * enum, an initializer, its callback type and the prototypes of its typed
 * functions, each with a contract; then the externs of the descriptors.
 */
#include "emit.h"

#include <string.h>

#include "cdecl.h"

/* ------------------------------------------------------------------ */
/* The row struct                                                      */
/* ------------------------------------------------------------------ */

/* Append the member comment of vc: key or nullability, then UNIQUE,
 * DEFAULT and REFERENCES. */
static void
member_note(struct strbuf *note, const struct v_table *vt,
            const struct v_column *vc)
{
    const struct m_constraint *r = vc->references;

    if (vc->is_rowid)
        sb_adds(note, "primary key; 0: insert lets SQLite assign it and "
                "stores it here");
    else if (vc->is_key)
        sb_adds(note, "primary key");
    else if (vc->not_null)
        sb_adds(note, "not null");
    else if (vc->has_flag)
        sb_printf(note, "nullable: see has_%s", vc->col->name);
    else if (vc->type == M_BLOB)
        sb_adds(note, "data may be NULL");
    else
        sb_adds(note, "may be NULL");
    if (vc->col->generated != NULL)
        sb_adds(note, ", generated: read only");
    if (vc->unique)
        sb_adds(note, ", unique");
    if (vc->def != NULL)
        sb_printf(note, ", default %s", vc->def);
    if (r != NULL)
        sb_printf(note, ", references %s(%s)",
                  m_table_name_at(r->ref_table, vt->version),
                  m_column_name_at(vc->ref_column, vt->version));
}

/* Width of the declaration column: comments start after the longest. */
static size_t
decl_width(const struct model *m, const struct v_table *vt)
{
    struct strbuf decl = { 0 };
    size_t i, w = 22;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        sb_reset(&decl);
        emit_column_decl(&decl, m, vc->col);
        if (decl.len > w)
            w = decl.len;
        sb_reset(&decl);
        if (vc->has_flag)
            emit_flag_decl(&decl, vc->col->name);
        if (decl.len > w)
            w = decl.len;
    }
    sb_free(&decl);
    return w;
}

/*
 * Write struct NAME_TABLE: the doc comment with the declaration's place,
 * then one member per live column in declaration order, each with a
 * comment, and a has_ flag after nullable scalars.
 */
static void
row_struct(struct strbuf *out, const struct model *m, const struct v_table *vt)
{
    const struct m_table *t = vt->table;
    struct strbuf decl = { 0 }, note = { 0 }, where = { 0 };
    size_t i, w = decl_width(m, vt);

    sb_adds(&where, "(");
    cdecl_file_name(&where, m);
    sb_printf(&where, ":%d)", t->pos.line);
    sb_adds(out, "\n/*\n");
    if (t->doc == NULL)
        sb_printf(out, " * Rows of %s %s.\n", t->is_view ? "view" : "table",
                  t->name);
    emit_comment_lines(out, "", t->doc, sb_str(&where));
    sb_adds(out, " */\n");
    sb_printf(out, "struct %s_%s {\n", m->name, t->name);
    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        const struct m_column *c = vc->col;
        if (c->doc != NULL && strchr(c->doc, '\n') == NULL) {
            sb_adds(out, "    /* ");
            cdecl_comment(out, c->doc, strlen(c->doc));
            sb_adds(out, " */\n");
        } else if (c->doc != NULL) {
            sb_adds(out, "    /*\n");
            emit_comment_lines(out, "    ", c->doc, NULL);
            sb_adds(out, "     */\n");
        }
        sb_reset(&decl);
        emit_column_decl(&decl, m, c);
        sb_reset(&note);
        member_note(&note, vt, vc);
        emit_member_line(out, sb_str(&decl), w, sb_str(&note));
        if (vc->has_flag) {
            sb_reset(&decl);
            emit_flag_decl(&decl, c->name);
            sb_reset(&note);
            sb_printf(&note, "false: %s is NULL", c->name);
            emit_member_line(out, sb_str(&decl), w, sb_str(&note));
        }
    }
    sb_adds(out, "};\n");
    sb_free(&decl);
    sb_free(&note);
    sb_free(&where);
}

/* Write enum NAME_TABLE_column: the index of each column, for sc_order. */
static void
column_enum(struct strbuf *out, const struct model *m,
            const struct v_table *vt)
{
    const char *sep = "";
    size_t i;

    emit_note(out, "Column indexes of struct %s_%s, for sc_order.", m->name,
              vt->table->name);
    sb_printf(out, "enum %s_%s_column {", m->name, vt->table->name);
    for (i = 0; i < vt->ncolumns; i++) {
        sb_printf(out, "%s\n    ", sep);
        cdecl_upper(out, m->name);
        sb_adds(out, "_");
        cdecl_upper(out, vt->table->name);
        sb_adds(out, "_COL_");
        cdecl_upper(out, vt->columns[i].col->name);
        sep = ",";
    }
    sb_adds(out, "\n};\n");
}

/*
 * Append the names of vt's columns whose DEFAULT an insert can apply:
 * those with a DEFAULT other than NULL whose member can say "unset" (a
 * NULL pointer or a has_ flag; a NOT NULL or key scalar always has a
 * value).  Returns how many there are.
 */
static size_t
default_names(struct strbuf *names, const struct v_table *vt)
{
    size_t i, n = 0;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        if (vc->def == NULL)
            continue;
        if ((vc->type == M_INTEGER || vc->type == M_REAL
             || vc->type == M_BOOLEAN) && !vc->has_flag)
            continue;
        sb_printf(names, "%s%s", n++ > 0 ? ", " : "", vc->col->name);
    }
    return n;
}

/* Write NAME_TABLE_INIT and what an insert does with a row left as is. */
static void
init_macro(struct strbuf *out, const struct model *m,
           const struct v_table *vt)
{
    struct strbuf names = { 0 }, text = { 0 };

    sb_printf(&text, "An empty struct %s_%s: numbers 0, flags false, "
              "pointers NULL.", m->name, vt->table->name);
    if (default_names(&names, vt) > 0)
        sb_printf(&text, " On insert, a member left NULL (or with its has_"
                  " flag false) whose column has a DEFAULT takes the"
                  " default: %s.", sb_str(&names));
    sb_adds(out, "\n");
    emit_wrapped_comment(out, sb_str(&text));
    sb_adds(out, "#define ");
    cdecl_upper(out, m->name);
    sb_adds(out, "_");
    cdecl_upper(out, vt->table->name);
    sb_adds(out, "_INIT { 0 }\n");
    sb_free(&names);
    sb_free(&text);
}

/* Write NAME_TABLE_each_fn, the type of a select callback. */
static void
callback_typedef(struct strbuf *out, const struct model *m,
                 const struct v_table *vt)
{
    struct strbuf name = { 0 }, row = { 0 };
    const char *params[2];

    sb_printf(&name, "%s_%s_each_fn", m->name, vt->table->name);
    sb_printf(&row, "const struct %s_%s *row", m->name, vt->table->name);
    params[0] = sb_str(&row);
    params[1] = "void *arg";
    emit_note(out, "A callback of %s_%s_select(): see there.", m->name,
              vt->table->name);
    cdecl_declarator(out, "typedef int", sb_str(&name), params, 2, false);
    sb_adds(out, ";\n");
    sb_free(&name);
    sb_free(&row);
}

/* ------------------------------------------------------------------ */
/* Prototypes                                                          */
/* ------------------------------------------------------------------ */

/* Append the key columns of vt as "id" or "(a, b)" for contracts. */
static void
key_words(struct strbuf *out, const struct v_table *vt)
{
    const char *sep = "";
    size_t i;

    if (vt->nkeys > 1)
        sb_adds(out, "(");
    for (i = 0; i < vt->ncolumns; i++) {
        if (!vt->columns[i].is_key)
            continue;
        sb_printf(out, "%s%s", sep, vt->columns[i].col->name);
        sep = ", ";
    }
    if (vt->nkeys > 1)
        sb_adds(out, ")");
}

/* Write the contract of vt's function fn (without the comment markers'
 * lines) into text, one sentence after another; wrapped by the caller. */
static void
contract(struct strbuf *text, const struct model *m, const struct v_table *vt,
         enum cdecl_fn fn)
{
    const struct m_table *t = vt->table;
    struct strbuf key = { 0 }, names = { 0 };

    key_words(&key, vt);
    switch (fn) {
    case CDECL_FN_INSERT:
        sb_printf(text, "Insert row into %s.", t->name);
        if (default_names(&names, vt) > 0)
            sb_printf(text, " Members of %s left NULL (or with their has_"
                      " flag false) take their column's DEFAULT.",
                      sb_str(&names));
        sb_adds(text, " Returns SC_OK, SC_CONSTRAINT when a constraint"
                " refuses the row, or another SC_* code (sc_errmsg() says"
                " why).");
        if (vt->rowid != NULL)
            sb_printf(text, " When row's %s is 0, SQLite assigns the key"
                      " and it is stored into row->%s (as"
                      " sc_last_insert_id() also gives it); otherwise row is"
                      " only read.", vt->rowid->col->name,
                      vt->rowid->col->name);
        else
            sb_adds(text, " row is only read.");
        break;
    case CDECL_FN_UPSERT:
        sb_printf(text, "Insert row into %s or, when a row with its key"
                  " exists, ", t->name);
        if (cdecl_has_fn(vt, CDECL_FN_UPDATE))
            sb_adds(text, "set every other column of that row to what"
                    " the insert would have stored (defaults included).");
        else
            sb_adds(text, "leave that row as it is.");
        sb_adds(text, " Returns SC_OK, SC_CONSTRAINT or another SC_* code.");
        if (vt->rowid != NULL)
            sb_printf(text, " When row's %s is 0, the row is inserted with a"
                      " key SQLite assigns, stored into row->%s; otherwise"
                      " row is only read.", vt->rowid->col->name,
                      vt->rowid->col->name);
        else
            sb_adds(text, " row is only read.");
        break;
    case CDECL_FN_GET:
        sb_printf(text, "Read the %s row whose key is %s into *out, text"
                  " and blobs as malloc'd copies that %s_%s_free()"
                  " releases.", t->name, sb_str(&key), m->name, t->name);
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, or another SC_* code; on failure *out is zeroed,"
                " so freeing it is always safe.");
        break;
    case CDECL_FN_UPDATE:
        sb_printf(text, "Set every column outside the key of the %s row"
                  " whose key is row's %s to row's values (NULL members"
                  " store NULL, defaults do not apply).",
                  t->name, sb_str(&key));
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, SC_CONSTRAINT, or another SC_* code. row is only"
                " read.");
        break;
    case CDECL_FN_UPDATE_COLS:
        sb_printf(text, "Set only the ncols columns cols names (enum %s_%s"
                  "_column constants, none in the key) of the %s row whose"
                  " key is row's %s to row's values; every other column"
                  " keeps what is stored, whatever its type.", m->name,
                  t->name, t->name, sb_str(&key));
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, SC_MISUSE when cols is empty or names a key column,"
                " a column twice or none, SC_CONSTRAINT, or another SC_*"
                " code. row and cols are only read.");
        break;
    case CDECL_FN_DELETE:
        sb_printf(text, "Delete the %s row whose key is %s.", t->name,
                  sb_str(&key));
        sb_adds(text, " Returns SC_OK, SC_NOTFOUND when no row has that"
                " key, SC_CONSTRAINT when a foreign key forbids it, or"
                " another SC_* code.");
        break;
    case CDECL_FN_COUNT:
        sb_printf(text, "Store in *n how many %s rows match where (NULL:"
                  " every row). Returns SC_OK or another SC_* code.",
                  t->name);
        break;
    case CDECL_FN_SELECT:
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
    case CDECL_FN_FREE:
        sb_adds(text, "Free the text and blob members of row");
        if (cdecl_has_fn(vt, CDECL_FN_GET))
            sb_printf(text, " (as filled by %s_%s_get())", m->name, t->name);
        sb_adds(text, " and zero it. NULL is a no-op.");
        break;
    }
    sb_free(&key);
    sb_free(&names);
}

/* Write the prototypes of vt's functions, each after its contract. */
static void
prototypes(struct strbuf *out, const struct model *m, const struct v_table *vt)
{
    struct strbuf text = { 0 };
    int fn;

    for (fn = 0; fn < CDECL_NFN; fn++) {
        if (!cdecl_has_fn(vt, (enum cdecl_fn)fn))
            continue;
        sb_reset(&text);
        contract(&text, m, vt, (enum cdecl_fn)fn);
        sb_adds(out, "\n");
        emit_wrapped_comment(out, sb_str(&text));
        cdecl_signature(out, m, vt, (enum cdecl_fn)fn, false);
        sb_adds(out, ";\n");
    }
    sb_free(&text);
}

/* ------------------------------------------------------------------ */
/* The header                                                          */
/* ------------------------------------------------------------------ */

/* Write NAME.h for the current version now. */
void
emit_h(const struct view *now, struct strbuf *out)
{
    const struct model *m = now->m;
    struct strbuf title = { 0 };
    size_t i;

    emit_banner(out, m);
    sb_printf(&title, "Schema %s, version %d: row structs and typed"
              " functions over libschemac.", m->name, m->version);
    emit_wrapped_lines(out, sb_str(&title));
    if (m->doc != NULL) {
        sb_adds(out, " *\n");
        emit_comment_lines(out, "", m->doc, NULL);
    }
    sb_adds(out, " */\n#ifndef ");
    cdecl_upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H\n#define ");
    cdecl_upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H\n\n#include \"schemac.h\"\n\n");
    sb_adds(out, "#if SC_ABI_VERSION != 4\n");
    sb_adds(out, "#error Regenerate this file: it was generated for another"
            " version of schemac.h\n");
    sb_adds(out, "#endif\n\n");
    sb_adds(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");

    emit_enum_h(now, out);
    for (i = 0; i < now->ntables + now->nviews; i++) {
        const struct v_table *vt = i < now->ntables ? &now->tables[i]
            : &now->views[i - now->ntables];
        if (!vt->is_data && !vt->table->is_view)
            continue;
        sb_reset(&title);
        sb_printf(&title, "%s %s", vt->table->is_view ? "View" : "Table",
                  vt->table->name);
        emit_heading(out, sb_str(&title));
        row_struct(out, m, vt);
        column_enum(out, m, vt);
        init_macro(out, m, vt);
        callback_typedef(out, m, vt);
        prototypes(out, m, vt);
    }

    emit_query_h(now, out);

    emit_heading(out, "Descriptors");
    sb_printf(out, "\n/* The whole schema, for sc_open(). */\n"
              "extern const sc_schema %s_schema;\n", m->name);
    if (now->ndata > 0)
        sb_adds(out, "\n/* Each table's descriptor, for the sc_row_*"
                " functions. */\n");
    for (i = 0; i < now->ntables; i++)
        if (now->tables[i].is_data)
            sb_printf(out, "extern const sc_table %s_%s_table;\n", m->name,
                      now->tables[i].table->name);
    if (now->nviews > 0)
        sb_adds(out, "\n/* Each view's descriptor (read only: count and"
                " select). */\n");
    for (i = 0; i < now->nviews; i++)
        sb_printf(out, "extern const sc_table %s_%s_table;\n", m->name,
                  now->views[i].table->name);
    sb_printf(out, "\n/* The data tables (all but the version table),"
              " children before parents. */\n"
              "extern const char *const %s_data_tables[];\n#define ",
              m->name);
    cdecl_upper(out, m->name);
    sb_printf(out, "_DATA_TABLES_COUNT %zu\n", now->ndata);

    sb_adds(out, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* ");
    cdecl_upper(out, m->name);
    sb_adds(out, "_SCHEMAC_H */\n");
    sb_free(&title);
}
