/*
 * emit_query.c - what a checked query becomes in NAME.h and NAME.c: its
 * own row struct when it does not return a table's columns, the typed
 * functions with their contracts, the argument struct and the sc_query
 * descriptor the sc_query_* functions walk.
 */
#include "emit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "cdecl.h"

/* The typed functions of a query, in the order they appear. */
enum qfn { QFN_RUN, QFN_ALL, QFN_ALL_FREE, QFN_ROW_FREE, NQFN };

/* The suffix each function adds to "<schema>_<query>". */
static const char *const qfn_suffix[NQFN] = {
    "", "_all", "_all_free", "_row_free"
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* True when q has function fn. */
static bool
has_fn(const struct m_query *q, enum qfn fn)
{
    switch (fn) {
    case QFN_RUN:
        return true;
    case QFN_ALL:
    case QFN_ALL_FREE:
        return q->kind == M_Q_MANY;
    case QFN_ROW_FREE:
        return q->kind == M_Q_ONE && m_row_query(q) != NULL;
    case NQFN:
        break;
    }
    return false;
}

/* True when q's rows need a struct of their own: it returns rows that are
 * neither exactly a table's columns nor another query's. */
static bool
has_own_row(const struct m_query *q)
{
    return m_row_query(q) == q;
}

/* Append the prefix of the names of q's rows' struct and helpers: the
 * table's "demo_notes", or "demo_q_row" of the query whose own struct
 * they use. */
static void
row_prefix(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    assert(q->kind != M_Q_EXEC);
    if (q->row_table != NULL)
        sb_printf(out, "%s_%s", m->name, q->row_table->name);
    else
        sb_printf(out, "%s_%s_row", m->name, m_row_query(q)->name);
}

/* Append the C struct type of q's rows: "struct demo_notes" or "struct
 * demo_q_row". */
static void
row_type(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    sb_adds(out, "struct ");
    row_prefix(out, m, q);
}

/* Append the type of q's row callback: the table's "demo_notes_each_fn"
 * or the query's own "demo_q_row_each_fn". */
static void
callback_type(struct strbuf *out, const struct model *m,
              const struct m_query *q)
{
    row_prefix(out, m, q);
    sb_adds(out, "_each_fn");
}

/* Append the name of the function freeing one row of q. */
static void
row_free_name(struct strbuf *out, const struct model *m,
              const struct m_query *q)
{
    if (q->row_table != NULL)
        sb_printf(out, "%s_%s_free", m->name, q->row_table->name);
    else
        sb_printf(out, "%s_%s_row_free", m->name, q->name);
}

/* Append the C name of parameter p (cdecl_query_param()). */
static void
param_name(struct strbuf *out, const struct m_param *p)
{
    cdecl_query_param(out, p->name);
}

/* Append the C type of parameter p's value (in the argument struct). */
static void
param_type(struct strbuf *out, const struct model *m, const struct m_param *p)
{
    if (p->type == M_ENUM)
        sb_printf(out, "enum %s_%s", m->name, p->enum_type->name);
    else
        sb_adds(out, cdecl_type(p->type));
}

/* Append the C declaration of parameter p of a query of m. */
static void
param_decl(struct strbuf *out, const struct model *m, const struct m_param *p)
{
    switch (p->type) {
    case M_TEXT:
    case M_TIMESTAMP:
        sb_adds(out, "const char *");
        break;
    case M_BLOB:
        sb_adds(out, "const sc_blob *");
        break;
    case M_INTEGER:
    case M_REAL:
    case M_BOOLEAN:
    case M_ENUM:
        param_type(out, m, p);
        sb_adds(out, " ");
        break;
    }
    param_name(out, p);
}

/* Append "<schema>_<query><suffix>". */
static void
fn_name(struct strbuf *out, const struct model *m, const struct m_query *q,
        enum qfn fn)
{
    sb_printf(out, "%s_%s%s", m->name, q->name, qfn_suffix[fn]);
}

/*
 * Append the declarator of q's function fn (see cdecl_declarator()), each
 * parameter's text built in its own buffer.
 */
static void
declarator(struct strbuf *out, const struct model *m, const struct m_query *q,
           enum qfn fn, bool definition)
{
    size_t max = q->nparams + 4, n = 0, i;
    struct strbuf name = { 0 }, *text = calloc(max, sizeof *text);
    const char **texts = calloc(max, sizeof *texts);

    if (text == NULL || texts == NULL) {
        out->failed = 1;
        goto done;
    }
    fn_name(&name, m, q, fn);
    if (fn == QFN_ALL_FREE) {
        row_type(&text[n], m, q);
        sb_adds(&text[n++], " *rows");
        sb_adds(&text[n++], "size_t nrows");
    } else if (fn == QFN_ROW_FREE) {
        row_type(&text[n], m, q);
        sb_adds(&text[n++], " *row");
    } else {
        sb_adds(&text[n++], "sc_db *db");
        for (i = 0; i < q->nparams; i++)
            param_decl(&text[n++], m, &q->params[i]);
        if (fn == QFN_ALL) {
            row_type(&text[n], m, q);
            sb_adds(&text[n++], " **rows");
            sb_adds(&text[n++], "size_t *nrows");
        } else if (q->kind == M_Q_ONE) {
            row_type(&text[n], m, q);
            sb_adds(&text[n++], " *out");
        } else if (q->kind == M_Q_MANY) {
            callback_type(&text[n], m, q);
            sb_adds(&text[n++], " *each");
            sb_adds(&text[n++], "void *arg");
        } else {
            sb_adds(&text[n++], "int64_t *changes");
        }
    }
    for (i = 0; i < n; i++) {
        texts[i] = sb_str(&text[i]);
        if (text[i].failed)
            out->failed = 1;
    }
    cdecl_declarator(out, fn == QFN_RUN || fn == QFN_ALL ? "int" : "void",
                    sb_str(&name), texts, n, definition);
done:
    for (i = 0; text != NULL && i < max; i++)
        sb_free(&text[i]);
    free(text);
    free(texts);
    sb_free(&name);
}

/* Append "(FILE:LINE)" for q. */
static void
where(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    sb_adds(out, "(");
    cdecl_file_name(out, m);
    sb_printf(out, ":%d)", q->pos.line);
}

/* ------------------------------------------------------------------ */
/* NAME.h                                                              */
/* ------------------------------------------------------------------ */

/* True when result r gets a has_ flag: a scalar result that may be NULL. */
static bool
result_has_flag(const struct m_result *r)
{
    return (r->type == M_INTEGER || r->type == M_REAL
            || r->type == M_BOOLEAN) && !r->not_null;
}

/*
 * Write struct NAME_QUERY_row: one member per result column in order,
 * integers, reals and booleans each followed by a has_ flag (any result
 * may be NULL), text as const char * and blobs as sc_blob; for a query
 * of many rows, then the type of its callback.
 */
static void
own_row(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    struct strbuf line = { 0 }, note = { 0 };
    size_t i, w = 22;

    for (i = 0; i < q->nresults; i++) {
        const struct m_result *r = &q->results[i];
        sb_reset(&line);
        emit_member_decl(&line, r->type, r->name);
        if (line.len > w)
            w = line.len;
        sb_reset(&line);
        if (result_has_flag(r))
            emit_flag_decl(&line, r->name);
        if (line.len > w)
            w = line.len;
    }
    sb_reset(&note);
    sb_printf(&note, "The rows of query %s ", q->name);
    where(&note, m, q);
    sb_adds(&note, ".");
    sb_adds(out, "\n");
    emit_wrapped_comment(out, sb_str(&note));
    sb_printf(out, "struct %s_%s_row {\n", m->name, q->name);
    for (i = 0; i < q->nresults; i++) {
        const struct m_result *r = &q->results[i];
        bool flag = result_has_flag(r);
        sb_reset(&line);
        emit_member_decl(&line, r->type, r->name);
        sb_reset(&note);
        if (r->asserted)
            sb_adds(&note, "not null by its '!': a NULL is SC_CORRUPT");
        else if (r->not_null)
            sb_adds(&note, "not null");
        else if (flag)
            sb_printf(&note, "nullable: see has_%s", r->name);
        else
            sb_adds(&note, r->type == M_BLOB ? "data may be NULL"
                    : "may be NULL");
        emit_member_line(out, sb_str(&line), w, sb_str(&note));
        if (flag) {
            sb_reset(&line);
            emit_flag_decl(&line, r->name);
            sb_reset(&note);
            sb_printf(&note, "false: %s is NULL", r->name);
            emit_member_line(out, sb_str(&line), w, sb_str(&note));
        }
    }
    sb_adds(out, "};\n");
    if (q->row_many) {
        const char *params[2];
        sb_reset(&line);
        sb_reset(&note);
        sb_printf(&line, "%s_%s_row_each_fn", m->name, q->name);
        sb_printf(&note, "const struct %s_%s_row *row", m->name, q->name);
        params[0] = sb_str(&note);
        params[1] = "void *arg";
        if (q->kind == M_Q_MANY)
            emit_note(out, "A callback of %s_%s(): see there.", m->name,
                      q->name);
        else
            emit_note(out, "A callback of the queries of many rows that "
                      "return these rows.");
        cdecl_declarator(out, "typedef int", sb_str(&line), params, 2,
                         false);
        sb_adds(out, ";\n");
    }
    sb_free(&line);
    sb_free(&note);
}

/* Write the contract of q's function fn into text, one sentence after
 * another (wrapped by emit_wrapped_comment()). */
static void
contract(struct strbuf *text, const struct model *m, const struct m_query *q,
         enum qfn fn)
{
    struct strbuf type = { 0 }, freer = { 0 };

    if (q->kind != M_Q_EXEC) {
        row_type(&type, m, q);
        row_free_name(&freer, m, q);
    }
    switch (fn) {
    case QFN_RUN:
        if (q->kind == M_Q_ONE) {
            sb_printf(text, "Run query %s and read its first row into *out,"
                      " text and blobs as malloc'd copies that %s()"
                      " releases.", q->name, sb_str(&freer));
            sb_adds(text, " Returns SC_OK, SC_NOTFOUND when there is no"
                    " row, or another SC_* code (sc_errmsg() says why); on"
                    " failure *out is zeroed, so freeing it is always"
                    " safe.");
        } else if (q->kind == M_Q_MANY) {
            sb_printf(text, "Run query %s and call each(row, arg) for every"
                      " row, in the order its SQL gives. The row is lent for"
                      " the call only: copy what must outlive it.", q->name);
            sb_adds(text, " Returns SC_OK, the first non-zero value each"
                    " returned (which stops the query), or another SC_*"
                    " code.");
        } else {
            sb_printf(text, "Run query %s and store in *changes (when not"
                      " NULL) how many rows it inserted, updated or"
                      " deleted.", q->name);
            sb_adds(text, " Returns SC_OK, SC_CONSTRAINT when a constraint"
                    " refuses a change, or another SC_* code (sc_errmsg()"
                    " says why).");
        }
        break;
    case QFN_ALL:
        sb_printf(text, "Run query %s and store every row, in the order its"
                  " SQL gives, in a malloc'd array of *nrows rows at *rows"
                  " (NULL when there are none), text and blobs as malloc'd"
                  " copies; free it with %s_%s_all_free().", q->name,
                  m->name, q->name);
        sb_adds(text, " Returns SC_OK or another SC_* code; on failure"
                " *rows is NULL and *nrows 0.");
        break;
    case QFN_ALL_FREE:
        sb_printf(text, "Free the nrows rows at rows as %s_%s_all() returned"
                  " them: each row's text and blobs, then the array. NULL"
                  " is a no-op.", m->name, q->name);
        break;
    case QFN_ROW_FREE:
        sb_printf(text, "Free the text and blob members of row (as filled by"
                  " %s_%s()) and zero it. NULL is a no-op.", m->name,
                  q->name);
        break;
    case NQFN:
        break;
    }
    if (fn == QFN_RUN || fn == QFN_ALL) {
        size_t i;
        for (i = 0; i < q->nparams; i++)
            if (q->params[i].type == M_TEXT
                || q->params[i].type == M_TIMESTAMP
                || q->params[i].type == M_BLOB)
                break;
        if (i < q->nparams)
            sb_adds(text, " A NULL text or blob argument binds SQL NULL.");
        if (q->nparams > 0)
            sb_adds(text, " Arguments are only read.");
    }
    sb_free(&type);
    sb_free(&freer);
}

/*
 * Write the comment above q's first function: the query's doc comment
 * and where it was declared, then the contract.
 */
static void
doc_and_contract(struct strbuf *out, const struct model *m,
                 const struct m_query *q, const char *text)
{
    struct strbuf at = { 0 }, wrapped = { 0 };

    where(&at, m, q);
    emit_wrapped_comment(&wrapped, text);
    sb_adds(out, "/*\n");
    emit_comment_lines(out, "", q->doc, sb_str(&at));
    sb_adds(out, " *\n");
    /* wrapped opens with its own "/" "*" line. */
    sb_adds(out, sb_str(&wrapped) + 3);
    sb_free(&at);
    sb_free(&wrapped);
}

/* Write the "Queries" part of NAME.h: per query its own row struct (when
 * it needs one) and its prototypes, each after its contract. */
void
emit_query_h(const struct view *now, struct strbuf *out)
{
    const struct model *m = now->m;
    struct strbuf text = { 0 }, title = { 0 };
    size_t i;
    int fn;

    for (i = 0; i < m->nqueries; i++) {
        const struct m_query *q = &m->queries[i];
        sb_reset(&title);
        sb_printf(&title, "Query %s", q->name);
        emit_heading(out, sb_str(&title));
        if (has_own_row(q))
            own_row(out, m, q);
        for (fn = 0; fn < NQFN; fn++) {
            if (!has_fn(q, (enum qfn)fn))
                continue;
            sb_reset(&text);
            contract(&text, m, q, (enum qfn)fn);
            sb_adds(out, "\n");
            if (fn == QFN_RUN)
                doc_and_contract(out, m, q, sb_str(&text));
            else
                emit_wrapped_comment(out, sb_str(&text));
            declarator(out, m, q, (enum qfn)fn, false);
            sb_adds(out, ";\n");
        }
    }
    sb_free(&text);
    sb_free(&title);
}

/* ------------------------------------------------------------------ */
/* NAME.c                                                              */
/* ------------------------------------------------------------------ */

/* Write struct NAME_QUERY_args and NAME_QUERY_params: where each argument
 * lives and the SQL parameter number it binds to. */
static void
args_and_params(struct strbuf *out, const struct model *m,
                const struct m_query *q, const int *pg_index)
{
    struct strbuf line = { 0 }, type = { 0 }, type_text = { 0 };
    size_t i;

    sb_printf(&type, "struct %s_%s_args", m->name, q->name);
    emit_note(out, "The arguments of %s, as its parameters read them.",
              q->name);
    sb_printf(out, "struct %s_%s_args {\n", m->name, q->name);
    for (i = 0; i < q->nparams; i++) {
        sb_reset(&type_text);
        param_type(&type_text, m, &q->params[i]);
        sb_reset(&line);
        emit_typed_decl(&line, sb_str(&type_text), q->params[i].name);
        sb_printf(out, "    %s\n", sb_str(&line));
    }
    sb_adds(out, "};\n");
    sb_reset(&line);
    sb_printf(&line, "The parameters of %s: the member of each argument and"
              " the number of the SQL parameter it binds, in SQLite's text"
              " and in PostgreSQL's.", q->name);
    sb_adds(out, "\n");
    emit_wrapped_comment(out, sb_str(&line));
    sb_printf(out, "static const sc_param %s_%s_params[] = {\n", m->name,
              q->name);
    for (i = 0; i < q->nparams; i++) {
        const struct m_param *p = &q->params[i];
        sb_printf(out, "    { .member = { .name = \"");
        cdecl_string(out, p->name);
        sb_printf(out, "\", .type = %s,\n", emit_sc_type(p->type));
        emit_offsetof(out, "        .offset =", sb_str(&type), p->name,
                      p->type == M_ENUM ? ",\n" : " },\n");
        if (p->type == M_ENUM)
            sb_printf(out, "        .enum_names = %s_%s_names,\n"
                      "        .nenum_names = sizeof %s_%s_names\n"
                      "                       / sizeof %s_%s_names[0] },\n",
                      m->name, p->enum_type->name, m->name,
                      p->enum_type->name, m->name, p->enum_type->name);
        sb_printf(out, "      .index = %d, .pg_index = %d },\n",
                  q->param_index[i], pg_index[i]);
    }
    sb_adds(out, "};\n");
    sb_free(&line);
    sb_free(&type);
    sb_free(&type_text);
}

/* Write NAME_QUERY_row_columns and the trampoline for q's own row
 * struct. */
static void
own_columns(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    const char *s = m->name, *n = q->name;
    struct strbuf type = { 0 }, flag = { 0 };
    size_t i;

    sb_printf(&type, "struct %s_%s_row", s, n);
    emit_note(out, "The result columns of %s, in order.", n);
    sb_printf(out, "static const sc_column %s_%s_row_columns[] = {\n", s, n);
    for (i = 0; i < q->nresults; i++) {
        const struct m_result *r = &q->results[i];
        sb_adds(out, "    { .name = \"");
        cdecl_string(out, r->name);
        sb_printf(out, "\", .type = %s,%s\n", emit_sc_type(r->type),
                  r->not_null ? " .flags = SC_COL_NOTNULL," : "");
        emit_offsetof(out, "      .offset =", sb_str(&type), r->name,
                      result_has_flag(r) ? ",\n" : " },\n");
        if (result_has_flag(r)) {
            sb_reset(&flag);
            sb_printf(&flag, "has_%s", r->name);
            emit_offsetof(out, "      .has_offset =", sb_str(&type),
                          sb_str(&flag), " },\n");
        }
    }
    sb_adds(out, "};\n");
    sb_free(&type);
    sb_free(&flag);
    if (!q->row_many)
        return;
    if (q->kind == M_Q_MANY)
        emit_note(out, "A typed %s_%s() callback and its argument.", s, n);
    else
        emit_note(out, "A typed row callback and its argument.");
    sb_printf(out, "struct %s_%s_row_each {\n"
              "    %s_%s_row_each_fn *each;\n"
              "    void *arg;\n};\n", s, n, s, n);
    if (q->kind == M_Q_MANY)
        emit_note(out, "The sc_row_fn of %s_%s(): calls the typed callback.",
                  s, n);
    else
        emit_note(out, "The sc_row_fn of the queries of many rows that "
                  "return these rows: calls the typed callback.");
    sb_printf(out, "static int\n%s_%s_row_each_row(const void *row, void *arg)"
              "\n{\n    const struct %s_%s_row_each *e = arg;\n\n"
              "    return e->each(row, e->arg);\n}\n", s, n, s, n);
}

/* Write const sc_query NAME_QUERY_query. */
static void
descriptor(struct strbuf *out, const struct model *m, const struct m_query *q)
{
    emit_note(out, "The descriptor of %s that the sc_query_* functions walk.",
              q->name);
    sb_printf(out, "static const sc_query %s_%s_query = {\n", m->name,
              q->name);
    sb_printf(out, "    .schema = &%s_schema,\n    .name = \"", m->name);
    cdecl_string(out, q->name);
    sb_adds(out, "\",\n    .stmt = ");
    emit_stmt_name(out, m, NULL, NULL, q);
    sb_adds(out, ",\n");
    if (q->nparams > 0)
        sb_printf(out, "    .params = %s_%s_params,\n", m->name, q->name);
    else
        sb_adds(out, "    .params = NULL,\n");
    sb_printf(out, "    .nparams = %zu,\n", q->nparams);
    if (q->kind == M_Q_EXEC) {
        sb_adds(out, "    .columns = NULL,\n    .ncolumns = 0,\n"
                "    .row_size = 0,\n");
    } else {
        sb_adds(out, "    .columns = ");
        row_prefix(out, m, q);
        sb_printf(out, "_columns,\n    .ncolumns = %zu,\n    .row_size = "
                  "sizeof(", q->nresults);
        row_type(out, m, q);
        sb_adds(out, "),\n");
    }
    sb_adds(out, "};\n");
}

/* Write the assignments of the arguments into args. */
static void
assignments(struct strbuf *out, const struct m_query *q)
{
    size_t i;

    for (i = 0; i < q->nparams; i++) {
        const struct m_param *p = &q->params[i];
        if (p->type == M_BLOB) {
            sb_adds(out, "    if (");
            param_name(out, p);
            sb_printf(out, " != NULL)\n        args.%s = *", p->name);
            param_name(out, p);
            sb_adds(out, ";\n");
            continue;
        }
        sb_printf(out, "    args.%s = ", p->name);
        param_name(out, p);
        sb_adds(out, ";\n");
    }
}

/* Write the body of q's function fn, between its braces. */
static void
body(struct strbuf *out, const struct model *m, const struct m_query *q,
     enum qfn fn)
{
    const char *s = m->name, *n = q->name;
    const char *args = q->nparams > 0 ? "&args" : "NULL", *call[6];
    struct strbuf each = { 0 }, each_fn = { 0 }, fn_ref = { 0 };
    size_t ncall = 0;

    if (fn == QFN_ALL_FREE) {
        sb_printf(out, "    sc_query_all_free(&%s_%s_query, rows, nrows);\n",
                  s, n);
        return;
    }
    if (fn == QFN_ROW_FREE) {
        sb_printf(out, "    sc_query_row_free(&%s_%s_query, row);\n", s, n);
        return;
    }
    if (q->nparams > 0)
        sb_printf(out, "    struct %s_%s_args args = { 0 };\n", s, n);
    if (fn == QFN_ALL)
        sb_adds(out, "    void *all = NULL;\n    int rc;\n");
    if (fn == QFN_RUN && q->kind == M_Q_MANY) {
        row_prefix(&each, m, q);
        sb_adds(&each, "_each");
        sb_printf(out, "    struct %s e = { each, arg };\n", sb_str(&each));
    }
    if (q->nparams > 0 || fn == QFN_ALL || q->kind == M_Q_MANY)
        sb_adds(out, "\n");
    assignments(out, q);
    sb_printf(&fn_ref, "&%s_%s_query", s, n);
    call[ncall++] = "db";
    call[ncall++] = sb_str(&fn_ref);
    call[ncall++] = args;
    if (fn == QFN_ALL) {
        call[ncall++] = "rows ? &all : NULL";
        call[ncall++] = "nrows";
        cdecl_declarator(out, "    rc =", "sc_query_all", call, ncall, false);
        sb_adds(out, ";\n    if (rows != NULL)\n        *rows = all;\n"
                "    return rc;\n");
    } else {
        if (q->kind == M_Q_ONE) {
            call[ncall++] = "out";
        } else if (q->kind == M_Q_MANY) {
            sb_printf(&each_fn, "each ? %s_row : NULL", sb_str(&each));
            call[ncall++] = sb_str(&each_fn);
            call[ncall++] = "&e";
        } else {
            call[ncall++] = "changes";
        }
        cdecl_declarator(out, "    return", q->kind == M_Q_ONE
                        ? "sc_query_one" : q->kind == M_Q_MANY
                        ? "sc_query_many" : "sc_query_exec", call, ncall,
                        false);
        sb_adds(out, ";\n");
    }
    sb_free(&fn_ref);
    sb_free(&each_fn);
    sb_free(&each);
}

/* A one-line summary of fn for the .c. */
static void
summary(struct strbuf *out, const struct model *m, const struct m_query *q,
        enum qfn fn)
{
    static const char *const what[NQFN] = {
        "Run query", "Collect the rows of query",
        "Free the rows collected from query", "Free a row of query"
    };

    emit_note(out, "%s %s.  Contract in %s.h.", what[fn], q->name, m->name);
}

/* Write the "Query" sections of NAME.c, the $n of each parameter from
 * pg. */
void
emit_query_c(const struct view *now, const struct emit_pg *pg,
             struct strbuf *out)
{
    const struct model *m = now->m;
    struct strbuf title = { 0 };
    size_t i;
    int fn;

    for (i = 0; i < m->nqueries; i++) {
        const struct m_query *q = &m->queries[i];
        sb_reset(&title);
        sb_printf(&title, "Query %s", q->name);
        emit_heading(out, sb_str(&title));
        if (q->nparams > 0)
            args_and_params(out, m, q, pg->pg_index[i]);
        if (has_own_row(q))
            own_columns(out, m, q);
        descriptor(out, m, q);
        for (fn = 0; fn < NQFN; fn++) {
            if (!has_fn(q, (enum qfn)fn))
                continue;
            summary(out, m, q, (enum qfn)fn);
            declarator(out, m, q, (enum qfn)fn, true);
            sb_adds(out, "\n{\n");
            body(out, m, q, (enum qfn)fn);
            sb_adds(out, "}\n");
        }
    }
    sb_free(&title);
}
