/*
 * emit_doc.c - the --emit docs writer: Markdown documentation of a
 * schema for the people who use its database: every table, column,
 * constraint, index, data migration and query with its doc comment, and
 * the version in which each appeared, changed or went.
 */
#include "emit.h"

#include <string.h>

#include "cdecl.h"

/* ------------------------------------------------------------------ */
/* Markdown text                                                       */
/* ------------------------------------------------------------------ */

/* Append s as text of a table cell: line breaks become spaces and '|'
 * is escaped, so the cell stays on its row. */
static void
md_cell(struct strbuf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\n')
            sb_adds(out, " ");
        else if (*s == '|')
            sb_adds(out, "\\|");
        else
            sb_addn(out, s, 1);
    }
}

/* Append s as an inline code span: enough backticks to enclose any run
 * inside it, line breaks as spaces and, in a table cell, '|' escaped. */
static void
md_code(struct strbuf *out, const char *s, bool in_cell)
{
    size_t run = 0, longest = 0, i;
    const char *p;

    for (p = s; *p != '\0'; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (i = 0; i <= longest; i++)
        sb_adds(out, "`");
    if (s[0] == '`' || (*s != '\0' && s[strlen(s) - 1] == '`'))
        sb_adds(out, " ");
    for (p = s; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\r')
            sb_adds(out, " ");
        else if (*p == '|' && in_cell)
            sb_adds(out, "\\|");
        else
            sb_addn(out, p, 1);
    }
    if (s[0] == '`' || (*s != '\0' && s[strlen(s) - 1] == '`'))
        sb_adds(out, " ");
    for (i = 0; i <= longest; i++)
        sb_adds(out, "`");
}

/* Append sql as a fenced code block, the fence longer than any run of
 * backticks inside it. */
static void
md_sql_block(struct strbuf *out, const char *sql)
{
    size_t run = 0, longest = 2, i;
    const char *p;

    for (p = sql; *p != '\0'; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (i = 0; i <= longest; i++)
        sb_adds(out, "`");
    sb_adds(out, "sql\n");
    sb_adds(out, sql);
    if (*sql == '\0' || sql[strlen(sql) - 1] != '\n')
        sb_adds(out, "\n");
    for (i = 0; i <= longest; i++)
        sb_adds(out, "`");
    sb_adds(out, "\n");
}

/* Append a doc comment as a paragraph followed by a blank line (nothing
 * for NULL). */
static void
md_doc(struct strbuf *out, const char *doc)
{
    if (doc == NULL)
        return;
    sb_adds(out, doc);
    sb_adds(out, "\n\n");
}

/* Append the first sentence of doc (up to ". " or the end), on one line. */
static void
md_first_sentence(struct strbuf *out, const char *doc)
{
    struct strbuf one = { 0 };
    const char *end;

    if (doc == NULL)
        return;
    end = strstr(doc, ". ");
    if (end == NULL)
        end = strstr(doc, ".\n");
    sb_addn(&one, doc, end ? (size_t)(end - doc) + 1 : strlen(doc));
    md_cell(out, sb_str(&one));
    if (one.failed)
        out->failed = 1;
    sb_free(&one);
}

/* ------------------------------------------------------------------ */
/* Facts                                                               */
/* ------------------------------------------------------------------ */

/* Append the names of the n columns cols as "(`a`, `b`)". */
static void
column_names(struct strbuf *out, struct m_column *const *cols, size_t n,
             bool in_cell)
{
    size_t i;

    for (i = 0; i < n; i++) {
        sb_adds(out, i == 0 ? "(" : ", ");
        md_code(out, cols[i]->name, in_cell);
    }
    sb_adds(out, ")");
}

/* Append a constraint as the schema spells it ("not null", "default
 * `0.5`", "references `patterns`(`id`) on delete cascade", ...); with
 * the columns of a table constraint ("unique (`a`, `b`)", "foreign key
 * (`a`) references ..."). */
static void
constraint_text(struct strbuf *out, const struct m_constraint *c,
                bool in_cell)
{
    bool fk = c->kind == M_C_REFERENCES;

    if (fk && c->ncolumns > 0) {
        sb_adds(out, "foreign key ");
        column_names(out, c->columns, c->ncolumns, in_cell);
        sb_adds(out, " ");
    }
    switch (c->kind) {
    case M_C_PRIMARY_KEY:
        sb_adds(out, c->autoincrement ? "primary key autoincrement"
                : "primary key");
        break;
    case M_C_NOT_NULL:
        sb_adds(out, "not null");
        break;
    case M_C_UNIQUE:
        sb_adds(out, "unique");
        break;
    case M_C_DEFAULT:
        sb_adds(out, "default ");
        md_code(out, c->sql, in_cell);
        break;
    case M_C_CHECK:
        sb_adds(out, "check ");
        md_code(out, c->sql, in_cell);
        break;
    case M_C_REFERENCES:
        sb_adds(out, "references ");
        md_code(out, c->ref_table->name, in_cell);
        column_names(out, c->ref_columns, c->nref_columns, in_cell);
        if (c->on_delete != NULL)
            sb_printf(out, " on delete %s", c->on_delete);
        if (c->on_update != NULL)
            sb_printf(out, " on update %s", c->on_update);
        if (c->deferrable)
            sb_adds(out, " deferrable");
        break;
    }
    if (!fk && c->ncolumns > 0) {
        sb_adds(out, " ");
        column_names(out, c->columns, c->ncolumns, in_cell);
    }
}

/* Append " (since S)", " (until U)" or " (S to U-1)" for a span that
 * differs from its owner's, nothing when it is the same. */
static void
span_note(struct strbuf *out, const struct m_span *s,
          const struct m_span *owner)
{
    bool since = s->since != owner->since, until = s->until != owner->until;

    if (since && until && s->until != 0)
        sb_printf(out, " (versions %d to %d)", s->since, s->until - 1);
    else if (since)
        sb_printf(out, " (since version %d)", s->since);
    else if (until && s->until != 0)
        sb_printf(out, " (until version %d)", s->until);
}

/* Append the versions of span: "since 7" or "1 to 14 (gone in 15)". */
static void
span_text(struct strbuf *out, const struct m_span *s)
{
    if (s->until == 0)
        sb_printf(out, "since %d", s->since);
    else
        sb_printf(out, "%d to %d (gone in %d)", s->since, s->until - 1,
                  s->until);
}

/* Append the type of column c: its enum's name for an enum column. */
static void
type_text(struct strbuf *out, const struct m_column *c, bool in_cell)
{
    if (c->enum_type != NULL) {
        sb_adds(out, "enum ");
        md_code(out, c->enum_type->name, in_cell);
    } else {
        sb_adds(out, m_type_name(c->type));
    }
}

/* ------------------------------------------------------------------ */
/* One table                                                           */
/* ------------------------------------------------------------------ */

/* Append the row of column c in its table's columns table. */
static void
column_row(struct strbuf *out, const struct m_column *c)
{
    size_t i;

    sb_adds(out, "| ");
    md_code(out, c->name, true);
    if (c->sql_name != c->name) {
        sb_adds(out, " (SQL ");
        md_code(out, c->sql_name, true);
        sb_adds(out, ")");
    }
    sb_adds(out, " | ");
    type_text(out, c, true);
    sb_adds(out, " | ");
    if (c->generated != NULL) {
        sb_adds(out, "as ");
        md_code(out, c->generated, true);
        sb_adds(out, c->stored ? " stored" : "");
    }
    if (c->collate != NULL)
        sb_printf(out, "%scollate %s", c->generated ? ", " : "", c->collate);
    for (i = 0; i < c->nconstraints; i++) {
        sb_adds(out, i || c->collate || c->generated ? ", " : "");
        constraint_text(out, &c->constraints[i], true);
        span_note(out, &c->constraints[i].span, &c->span);
    }
    sb_adds(out, " | ");
    span_text(out, &c->span);
    for (i = 0; i < c->nrenames; i++) {
        sb_adds(out, "; called ");
        md_code(out, c->renames[i].old_name, true);
        sb_printf(out, " before %d", c->renames[i].version);
    }
    sb_adds(out, " | ");
    if (c->doc != NULL)
        md_cell(out, c->doc);
    sb_adds(out, " |\n");
}

/* Append entry ic of an index as code in a table cell: the column's
 * name, or the expression in its parentheses. */
static void
index_entry(struct strbuf *out, const struct m_index_column *ic)
{
    struct strbuf expr = { 0 };

    if (ic->expr == NULL) {
        md_code(out, ic->column->name, true);
        return;
    }
    sb_printf(&expr, "(%s)", ic->expr);
    md_code(out, sb_str(&expr), true);
    out->failed |= expr.failed;         /* the document is incomplete too */
    sb_free(&expr);
}

/* Append the row of index x in its table's indexes table. */
static void
index_row(struct strbuf *out, const struct m_index *x)
{
    size_t i;

    sb_adds(out, "| ");
    md_code(out, x->name, true);
    sb_adds(out, " | ");
    for (i = 0; i < x->ncolumns; i++) {
        sb_adds(out, i ? ", " : "");
        index_entry(out, &x->columns[i]);
        if (x->columns[i].collate != NULL)
            sb_printf(out, " collate %s", x->columns[i].collate);
        if (x->columns[i].desc)
            sb_adds(out, " desc");
    }
    sb_printf(out, " | %s | ", x->unique ? "yes" : "no");
    if (x->where != NULL)
        md_code(out, x->where, true);
    sb_adds(out, " | ");
    if (x->retired)
        sb_printf(out, "unversioned, retired at %d: dropped where present",
                  x->span.until);
    else if (x->unversioned)
        sb_adds(out, "unversioned: created where missing");
    else
        span_text(out, &x->span);
    sb_adds(out, " |\n");
}

/*
 * Append what happened to t at version v after it was created (columns,
 * constraints and indexes that came or went, renames), one "- version
 * V: ..." line each; count them in *n.
 */
static void
table_events(struct strbuf *out, const struct m_table *t, int v, int *n)
{
    size_t i, j;

#define EVENT (++*n, sb_printf(out, "- version %d: ", v))
    for (i = 0; i < t->nrenames; i++)
        if (t->renames[i].version == v) {
            EVENT;
            sb_adds(out, "renamed from ");
            md_code(out, t->renames[i].old_name, false);
            sb_adds(out, "\n");
        }
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (c->span.since == v && v != t->span.since) {
            EVENT;
            sb_adds(out, "column ");
            md_code(out, c->name, false);
            sb_adds(out, " added\n");
        }
        for (j = 0; j < c->nrenames; j++)
            if (c->renames[j].version == v) {
                EVENT;
                sb_adds(out, "column ");
                md_code(out, c->renames[j].old_name, false);
                sb_adds(out, " renamed to ");
                md_code(out, j + 1 < c->nrenames ? c->renames[j + 1].old_name
                        : c->name, false);
                sb_adds(out, "\n");
            }
        for (j = 0; j < c->nconstraints; j++) {
            const struct m_constraint *k = &c->constraints[j];
            if (k->span.since == v && v != c->span.since) {
                EVENT;
                constraint_text(out, k, false);
                sb_adds(out, " added to column ");
                md_code(out, c->name, false);
                sb_adds(out, "\n");
            }
            if (k->span.until == v && v != c->span.until) {
                EVENT;
                constraint_text(out, k, false);
                sb_adds(out, " dropped from column ");
                md_code(out, c->name, false);
                sb_adds(out, "\n");
            }
        }
        if (c->span.until == v && v != t->span.until) {
            EVENT;
            sb_adds(out, "column ");
            md_code(out, c->name, false);
            sb_adds(out, " dropped\n");
        }
    }
    for (i = 0; i < t->nconstraints; i++) {
        const struct m_constraint *k = &t->constraints[i];
        if (k->span.since == v && v != t->span.since) {
            EVENT;
            constraint_text(out, k, false);
            sb_adds(out, " added\n");
        }
        if (k->span.until == v && v != t->span.until) {
            EVENT;
            constraint_text(out, k, false);
            sb_adds(out, " dropped\n");
        }
    }
    for (i = 0; i < t->nindexes; i++) {
        const struct m_index *x = t->indexes[i];
        if (x->unversioned)
            continue;
        if (x->span.since == v && v != t->span.since) {
            EVENT;
            sb_adds(out, "index ");
            md_code(out, x->name, false);
            sb_adds(out, " added\n");
        }
        if (x->span.until == v && v != t->span.until) {
            EVENT;
            sb_adds(out, "index ");
            md_code(out, x->name, false);
            sb_adds(out, " dropped\n");
        }
    }
#undef EVENT
}

/* Append the section of table t. */
static void
table_section(struct strbuf *out, const struct model *m,
              const struct m_table *t)
{
    struct strbuf events = { 0 };
    size_t i;
    int v, n = 0;

    sb_adds(out, "## Table ");
    md_code(out, t->name, false);
    sb_adds(out, "\n\n");
    if (t->sql_name != t->name) {
        sb_adds(out, "Called ");
        md_code(out, t->sql_name, false);
        sb_adds(out, " in SQL.\n\n");
    }
    md_doc(out, t->doc);
    if (t->is_version_table)
        sb_adds(out, "Holds the schema's version (one row); not a data "
                "table.\n\n");
    sb_printf(out, "Created in version %d", t->span.since);
    for (i = 0; i < t->nrenames; i++) {
        sb_adds(out, i == 0 ? "; called " : ", then ");
        md_code(out, t->renames[i].old_name, false);
        sb_printf(out, " before version %d", t->renames[i].version);
    }
    if (t->span.until != 0)
        sb_printf(out, "; dropped in version %d", t->span.until);
    sb_adds(out, ".");
    if (t->strict || t->without_rowid)
        sb_printf(out, "  A%s%s%s table.", t->strict ? " STRICT" : "",
                  t->strict && t->without_rowid ? "," : "",
                  t->without_rowid ? " WITHOUT ROWID" : "");
    sb_adds(out, "\n\n| column | type | constraints | versions | "
            "description |\n|---|---|---|---|---|\n");
    for (i = 0; i < t->ncolumns; i++)
        column_row(out, t->columns[i]);
    if (t->nconstraints > 0) {
        sb_adds(out, "\nTable constraints:\n\n");
        for (i = 0; i < t->nconstraints; i++) {
            sb_adds(out, "- ");
            constraint_text(out, &t->constraints[i], false);
            span_note(out, &t->constraints[i].span, &t->span);
            sb_adds(out, "\n");
        }
    }
    if (t->nindexes > 0) {
        sb_adds(out, "\n| index | columns | unique | where | versions |\n"
                "|---|---|---|---|---|\n");
        for (i = 0; i < t->nindexes; i++)
            index_row(out, t->indexes[i]);
    }
    for (v = t->span.since + 1; v <= m->version; v++)
        table_events(&events, t, v, &n);
    if (n > 0) {
        sb_adds(out, "\nHistory:\n\n");
        sb_adds(out, sb_str(&events));
    }
    if (events.failed)
        out->failed = 1;
    sb_free(&events);
    sb_adds(out, "\n");
}

/* ------------------------------------------------------------------ */
/* Queries and the whole document                                      */
/* ------------------------------------------------------------------ */

/* Append the section of enum e: its values, their docs and versions. */
static void
enum_section(struct strbuf *out, const struct m_enum *e)
{
    size_t i;

    sb_adds(out, "### ");
    md_code(out, e->name, false);
    sb_adds(out, "\n\n");
    md_doc(out, e->doc);
    sb_adds(out, "| value | versions | description |\n|---|---|---|\n");
    for (i = 0; i < e->nvalues; i++) {
        sb_adds(out, "| ");
        md_code(out, e->values[i].name, true);
        sb_adds(out, " | ");
        span_text(out, &e->values[i].span);
        sb_adds(out, " | ");
        if (e->values[i].doc != NULL)
            md_cell(out, e->values[i].doc);
        sb_adds(out, " |\n");
    }
    sb_adds(out, "\n");
}

/* Append the section of query q. */
static void
query_section(struct strbuf *out, const struct m_query *q)
{
    size_t i;

    sb_adds(out, "### ");
    md_code(out, q->name, false);
    sb_adds(out, "\n\n");
    md_doc(out, q->doc);
    sb_adds(out, "Parameters: ");
    if (q->nparams == 0)
        sb_adds(out, "none");
    for (i = 0; i < q->nparams; i++) {
        sb_adds(out, i ? ", " : "");
        md_code(out, q->params[i].name, false);
        sb_printf(out, " %s", m_type_name(q->params[i].type));
    }
    sb_adds(out, ".  ");
    if (q->kind == M_Q_EXEC)
        sb_adds(out, "Returns no rows.\n\n");
    else {
        sb_adds(out, q->kind == M_Q_ONE ? "Returns one row" : "Returns "
                "any number of rows");
        if (q->row_table != NULL) {
            sb_adds(out, " of table ");
            md_code(out, q->row_table->name, false);
        } else {
            sb_adds(out, ":");
            for (i = 0; i < q->nresults; i++) {
                sb_adds(out, i ? ", " : " ");
                md_code(out, q->results[i].name, false);
                sb_printf(out, " %s", m_type_name(q->results[i].type));
            }
        }
        if (q->row_query != NULL) {
            sb_adds(out, ", as query ");
            md_code(out, q->row_query->name, false);
        }
        sb_adds(out, ".\n\n");
    }
    md_sql_block(out, q->sql);
    sb_adds(out, "\n");
}

/* Append the section of view or trigger t: its versions, a view's
 * columns (when it is alive now) and its SQL. */
static void
object_section(struct strbuf *out, const struct m_object *t)
{
    size_t i;

    sb_adds(out, "### ");
    md_code(out, t->name, false);
    sb_adds(out, "\n\n");
    md_doc(out, t->doc);
    sb_adds(out, "Versions: ");
    span_text(out, &t->span);
    sb_adds(out, ".");
    for (i = 0; t->table != NULL && i < t->table->ncolumns; i++) {
        const struct m_column *c = t->table->columns[i];
        sb_adds(out, i ? ", " : "  Columns: ");
        md_code(out, c->name, false);
        sb_printf(out, " %s%s", m_type_name(c->type),
                  c->nconstraints > 0 ? " not null" : "");
    }
    sb_adds(out, t->table != NULL && t->table->ncolumns > 0 ? ".\n\n"
            : "\n\n");
    md_sql_block(out, t->is_view ? t->select : t->sql);
    sb_adds(out, "\n");
}

/* Append a section titled title with the n views or triggers at t. */
static void
objects_section(struct strbuf *out, const char *title,
                const struct m_object *t, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    sb_printf(out, "## %s\n\n", title);
    for (i = 0; i < n; i++)
        object_section(out, &t[i]);
}

/*
 * Write the Markdown documentation of now's model to out: a title and
 * the schema's doc comment, a summary table of the tables alive now,
 * a section per table that ever existed (declaration order), the enums,
 * the data migrations, the queries, the views and the triggers.
 */
void
emit_doc(const struct view *now, struct strbuf *out)
{
    const struct model *m = now->m;
    struct strbuf file = { 0 };
    size_t i;

    cdecl_file_name(&file, m);
    sb_adds(out, "<!-- Generated by schemac from ");
    sb_adds(out, sb_str(&file));
    sb_adds(out, " (schemac --emit docs); do not edit. -->\n\n# Schema ");
    md_code(out, m->name, false);
    sb_adds(out, "\n\n");
    md_doc(out, m->doc);
    sb_printf(out, "Version %d.  ", m->version);
    if (m->version_table != NULL) {
        sb_adds(out, "The version is kept in table ");
        md_code(out, m->version_table, false);
    } else {
        sb_adds(out, "The version is kept in `PRAGMA user_version`");
    }
    if (m->default_path != NULL) {
        sb_adds(out, "; the default database file is ");
        md_code(out, m->default_path, false);
    }
    sb_adds(out, ".\n\n| table | columns | versions | description |\n"
            "|---|---|---|---|\n");
    for (i = 0; i < now->ntables; i++) {
        const struct v_table *vt = &now->tables[i];
        sb_adds(out, "| ");
        md_code(out, vt->name, true);
        sb_printf(out, " | %zu | ", vt->ncolumns);
        span_text(out, &vt->table->span);
        sb_adds(out, " | ");
        md_first_sentence(out, vt->table->doc);
        sb_adds(out, " |\n");
    }
    sb_adds(out, "\n");
    for (i = 0; i < m->ntables; i++)
        table_section(out, m, m->tables[i]);
    if (m->nenums > 0) {
        sb_adds(out, "## Enums\n\nAn enum column stores the name of one "
                "of its values, as text.\n\n");
        for (i = 0; i < m->nenums; i++)
            enum_section(out, &m->enums[i]);
    }
    if (m->nmigrations > 0) {
        sb_adds(out, "## Data migrations\n\nRun after the version's "
                "changes to the tables, in this order, when an older "
                "database is migrated.\n\n");
        for (i = 0; i < m->nmigrations; i++) {
            sb_printf(out, "Version %d:\n\n", m->migrations[i].version);
            md_sql_block(out, m->migrations[i].sql);
            sb_adds(out, "\n");
        }
    }
    if (m->nqueries > 0) {
        sb_adds(out, "## Queries\n\n");
        for (i = 0; i < m->nqueries; i++)
            query_section(out, &m->queries[i]);
    }
    objects_section(out, "Views", m->views, m->nviews);
    objects_section(out, "Triggers", m->triggers, m->ntriggers);
    /* One newline at the end, not the blank line each section leaves. */
    while (out->len > 1 && out->data[out->len - 1] == '\n'
           && out->data[out->len - 2] == '\n')
        out->data[--out->len] = '\0';
    if (file.failed)
        out->failed = 1;
    sb_free(&file);
}
