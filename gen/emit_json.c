/*
 * emit_json.c - the --emit json writer: the checked model with its whole
 * history, the named queries as prepared, and the proven migration steps,
 * as one JSON object for other tools (the format is docs/schema-json.md).
 */
#include "emit.h"

#include <stdio.h>

#include "json.h"

/* The format's version: raised when a member changes meaning or goes
 * (members may be added without it). */
#define JSON_FORMAT 1

/* The schema-language spelling of a constraint kind. */
static const char *
ckind_name(enum m_ckind k)
{
    switch (k) {
    case M_C_PRIMARY_KEY: return "primary key";
    case M_C_NOT_NULL: return "not null";
    case M_C_UNIQUE: return "unique";
    case M_C_DEFAULT: return "default";
    case M_C_CHECK: return "check";
    case M_C_REFERENCES: return "references";
    }
    return "?";
}

/* Append `"line": L, "column": C` of pos. */
static void
pos_members(struct strbuf *out, const struct pos *pos)
{
    sb_printf(out, "\"line\": %d, \"column\": %d", pos->line, pos->col);
}

/* Append `"since": S, "until": U` (null when still there). */
static void
span_members(struct strbuf *out, const struct m_span *span)
{
    sb_printf(out, "\"since\": %d, \"until\": ", span->since);
    if (span->until != 0)
        sb_printf(out, "%d", span->until);
    else
        sb_adds(out, "null");
}

/* Append `"renames": [{"from": OLD, "version": V}, ...]`. */
static void
renames_member(struct strbuf *out, const struct m_rename *r, size_t n)
{
    size_t i;

    sb_adds(out, "\"renames\": [");
    for (i = 0; i < n; i++) {
        sb_adds(out, i ? ", {\"from\": " : "{\"from\": ");
        json_string(out, r[i].old_name);
        sb_printf(out, ", \"version\": %d}", r[i].version);
    }
    sb_adds(out, "]");
}

/* Append one constraint as an object on its own line at indent. */
static void
constraint(struct strbuf *out, const char *indent,
           const struct m_constraint *c)
{
    size_t i;

    sb_printf(out, "%s{\"kind\": \"%s\", ", indent, ckind_name(c->kind));
    span_members(out, &c->span);
    sb_adds(out, ", ");
    pos_members(out, &c->pos);
    if (c->kind == M_C_DEFAULT || c->kind == M_C_CHECK) {
        sb_adds(out, ", \"sql\": ");
        json_string(out, c->sql);
    }
    if (c->ncolumns > 0) {
        sb_adds(out, ", \"columns\": [");
        for (i = 0; i < c->ncolumns; i++) {
            sb_adds(out, i ? ", " : "");
            json_string(out, c->columns[i]->name);
        }
        sb_adds(out, "]");
    }
    if (c->kind == M_C_PRIMARY_KEY)
        sb_printf(out, ", \"autoincrement\": %s",
                  c->autoincrement ? "true" : "false");
    if (c->kind == M_C_REFERENCES) {
        sb_adds(out, ", \"table\": ");
        json_string(out, c->ref_table->name);
        sb_adds(out, ", \"ref_columns\": [");
        for (i = 0; i < c->nref_columns; i++) {
            sb_adds(out, i ? ", " : "");
            json_string(out, c->ref_columns[i]->name);
        }
        sb_adds(out, "]");
        sb_adds(out, ", \"on_delete\": ");
        json_string(out, c->on_delete);
        sb_adds(out, ", \"on_update\": ");
        json_string(out, c->on_update);
        sb_printf(out, ", \"deferrable\": %s",
                  c->deferrable ? "true" : "false");
    }
    sb_adds(out, "}");
}

/* Append the constraints c[0..n) as a JSON array member named name. */
static void
constraints_member(struct strbuf *out, const char *indent,
                   const struct m_constraint *c, size_t n)
{
    char inner[32];
    size_t i;

    if (n == 0) {
        sb_adds(out, "\"constraints\": []");
        return;
    }
    snprintf(inner, sizeof inner, "%s  ", indent);
    sb_adds(out, "\"constraints\": [\n");
    for (i = 0; i < n; i++) {
        constraint(out, inner, &c[i]);
        sb_adds(out, i + 1 < n ? ",\n" : "\n");
    }
    sb_printf(out, "%s]", indent);
}

/* The declared SQL type of c in its table: a STRICT table accepts only
 * INTEGER, REAL, TEXT, BLOB and ANY, so booleans are declared INTEGER
 * and timestamps and enums TEXT there. */
static const char *
sql_type(const struct m_column *c)
{
    if (c->table != NULL && c->table->strict) {
        if (c->type == M_BOOLEAN)
            return "INTEGER";
        if (c->type == M_TIMESTAMP || c->type == M_ENUM)
            return "TEXT";
    }
    return m_type_sql(c->type);
}

/* Append one column as an object. */
static void
column(struct strbuf *out, const struct m_column *c)
{
    static const char ind[] = "          ";

    sb_printf(out, "        {\n%s\"name\": ", ind);
    json_string(out, c->name);
    sb_adds(out, ", \"sql_name\": ");
    json_string(out, c->sql_name);
    sb_printf(out, ",\n%s\"doc\": ", ind);
    json_string(out, c->doc);
    sb_printf(out, ",\n%s\"type\": \"%s\", \"sql_type\": \"%s\", \"enum\": ",
              ind, m_type_name(c->type), sql_type(c));
    json_string(out, c->enum_type ? c->enum_type->name : NULL);
    sb_adds(out, ", \"collate\": ");
    json_string(out, c->collate);
    sb_adds(out, ", \"generated\": ");
    json_string(out, c->generated);
    sb_printf(out, ", \"stored\": %s", c->stored ? "true" : "false");
    sb_printf(out, ",\n%s", ind);
    pos_members(out, &c->pos);
    sb_printf(out, ",\n%s", ind);
    span_members(out, &c->span);
    sb_printf(out, ",\n%s", ind);
    renames_member(out, c->renames, c->nrenames);
    sb_printf(out, ",\n%s", ind);
    constraints_member(out, ind, c->constraints, c->nconstraints);
    sb_adds(out, "\n        }");
}

/* Append one index as an object on one line at indent. */
static void
index_obj(struct strbuf *out, const struct m_index *x)
{
    size_t i;

    sb_adds(out, "        {\"name\": ");
    json_string(out, x->name);
    sb_printf(out, ", \"unique\": %s, \"unversioned\": %s, ",
              x->unique ? "true" : "false",
              x->unversioned ? "true" : "false");
    pos_members(out, &x->pos);
    sb_adds(out, ", ");
    span_members(out, &x->span);
    sb_adds(out, ",\n         \"columns\": [");
    for (i = 0; i < x->ncolumns; i++) {
        const struct m_column *col = x->columns[i].column;
        sb_adds(out, i ? ", {\"name\": " : "{\"name\": ");
        json_string(out, col != NULL ? col->name : NULL);
        sb_adds(out, ", \"expression\": ");
        json_string(out, x->columns[i].expr);
        sb_printf(out, ", \"desc\": %s, \"collate\": ",
                  x->columns[i].desc ? "true" : "false");
        json_string(out, x->columns[i].collate);
        sb_adds(out, "}");
    }
    sb_adds(out, "], \"where\": ");
    json_string(out, x->where);
    sb_adds(out, "}");
}

/* Append one table as an object. */
static void
table(struct strbuf *out, const struct m_table *t)
{
    static const char ind[] = "      ";
    size_t i;

    sb_printf(out, "    {\n%s\"name\": ", ind);
    json_string(out, t->name);
    sb_adds(out, ", \"sql_name\": ");
    json_string(out, t->sql_name);
    sb_printf(out, ",\n%s\"doc\": ", ind);
    json_string(out, t->doc);
    sb_printf(out, ",\n%s\"version_table\": %s, \"strict\": %s, "
              "\"without_rowid\": %s,\n%s", ind,
              t->is_version_table ? "true" : "false",
              t->strict ? "true" : "false",
              t->without_rowid ? "true" : "false", ind);
    pos_members(out, &t->pos);
    sb_printf(out, ",\n%s", ind);
    span_members(out, &t->span);
    sb_printf(out, ",\n%s", ind);
    renames_member(out, t->renames, t->nrenames);
    sb_printf(out, ",\n%s\"columns\": [\n", ind);
    for (i = 0; i < t->ncolumns; i++) {
        column(out, t->columns[i]);
        sb_adds(out, i + 1 < t->ncolumns ? ",\n" : "\n");
    }
    sb_printf(out, "%s],\n%s", ind, ind);
    constraints_member(out, ind, t->constraints, t->nconstraints);
    sb_printf(out, ",\n%s\"indexes\": [%s", ind, t->nindexes ? "\n" : "");
    for (i = 0; i < t->nindexes; i++) {
        index_obj(out, t->indexes[i]);
        sb_adds(out, i + 1 < t->nindexes ? ",\n" : "\n");
    }
    sb_printf(out, "%s]\n    }", t->nindexes ? ind : "");
}

/* Open a top-level element's object: `    {"name": N, "doc": D, "line":
 * L, "column": C`. */
static void
element_head(struct strbuf *out, const char *name, const char *doc,
             const struct pos *pos)
{
    sb_adds(out, "    {\"name\": ");
    json_string(out, name);
    sb_adds(out, ", \"doc\": ");
    json_string(out, doc);
    sb_adds(out, ", ");
    pos_members(out, pos);
}

/* Append enum e as an object: its values with their versions. */
static void
enum_obj(struct strbuf *out, const struct m_enum *e)
{
    size_t i;

    element_head(out, e->name, e->doc, &e->pos);
    sb_adds(out, ", \"values\": [");
    for (i = 0; i < e->nvalues; i++) {
        const struct m_enum_value *v = &e->values[i];
        sb_adds(out, i ? ",\n      {\"name\": " : "\n      {\"name\": ");
        json_string(out, v->name);
        sb_adds(out, ", \"doc\": ");
        json_string(out, v->doc);
        sb_adds(out, ", ");
        pos_members(out, &v->pos);
        sb_adds(out, ", ");
        span_members(out, &v->span);
        sb_adds(out, "}");
    }
    sb_adds(out, "]}");
}

/* The schema-language spelling of a query kind. */
static const char *
qkind_name(enum m_query_kind k)
{
    return k == M_Q_ONE ? "one" : k == M_Q_MANY ? "many" : "exec";
}

/* Append one query as an object. */
static void
query(struct strbuf *out, const struct m_query *q)
{
    static const char ind[] = "      ";
    size_t i;

    sb_printf(out, "    {\n%s\"name\": ", ind);
    json_string(out, q->name);
    sb_printf(out, ",\n%s\"doc\": ", ind);
    json_string(out, q->doc);
    sb_printf(out, ",\n%s\"kind\": \"%s\", ", ind, qkind_name(q->kind));
    pos_members(out, &q->pos);
    sb_printf(out, ",\n%s\"params\": [", ind);
    for (i = 0; i < q->nparams; i++) {
        sb_adds(out, i ? ", {\"name\": " : "{\"name\": ");
        json_string(out, q->params[i].name);
        sb_printf(out, ", \"type\": \"%s\"}", m_type_name(q->params[i].type));
    }
    sb_printf(out, "],\n%s\"returns\": ", ind);
    json_string(out, q->returns ? q->returns->name : q->returns_query
                ? q->returns_query->name : NULL);
    sb_printf(out, ",\n%s\"row_table\": ", ind);
    json_string(out, q->row_table ? q->row_table->name : NULL);
    sb_printf(out, ",\n%s\"row_query\": ", ind);
    json_string(out, q->row_query ? q->row_query->name : NULL);
    sb_printf(out, ",\n%s\"results\": [", ind);
    for (i = 0; i < q->nresults; i++) {
        sb_adds(out, i ? ", {\"name\": " : "{\"name\": ");
        json_string(out, q->results[i].name);
        sb_printf(out, ", \"type\": \"%s\"}",
                  m_type_name(q->results[i].type));
    }
    sb_printf(out, "],\n%s\"sql\": ", ind);
    json_string(out, q->sql);
    sb_printf(out, ",\n%s\"postgresql\": ", ind);
    json_string(out, q->pg.sql);
    sb_adds(out, "\n    }");
}

/* Append trigger or view t as an object: a view's SQL is its SELECT, and
 * a view alive now lists its columns (`{name, type, not_null}`). */
static void
object(struct strbuf *out, const struct m_object *t)
{
    size_t i;

    element_head(out, t->name, t->doc, &t->pos);
    sb_adds(out, ", ");
    span_members(out, &t->span);
    if (t->is_view) {
        sb_adds(out, ",\n      \"columns\": [");
        for (i = 0; t->table != NULL && i < t->table->ncolumns; i++) {
            const struct m_column *c = t->table->columns[i];
            sb_adds(out, i ? ", {\"name\": " : "{\"name\": ");
            json_string(out, c->name);
            sb_printf(out, ", \"type\": \"%s\", \"not_null\": %s}",
                      m_type_name(c->type),
                      c->nconstraints > 0 ? "true" : "false");
        }
        sb_adds(out, "]");
    }
    sb_adds(out, ",\n      \"sql\": ");
    json_string(out, t->is_view ? t->select : t->sql);
    sb_adds(out, ",\n      \"postgresql\": ");
    json_string(out, t->pg.sql);
    sb_adds(out, "}");
}

/* Append `,\n  "NAME": [...]` of the n triggers or views at t. */
static void
objects_member(struct strbuf *out, const char *name, const struct m_object *t,
               size_t n)
{
    size_t i;

    sb_printf(out, ",\n  \"%s\": [%s", name, n ? "\n" : "");
    for (i = 0; i < n; i++) {
        object(out, &t[i]);
        sb_adds(out, i + 1 < n ? ",\n" : "\n");
    }
    sb_adds(out, n ? "  ]" : "]");
}

/* A JSON array being written: the output and how many elements it has
 * so far. */
struct json_list {
    struct strbuf *out;
    size_t n;
};

/* Append one statement of NAME_pg_statements as an object to the
 * json_list at arg (an emit_stmt_fn). */
static int
pg_statement(void *arg, const char *slot, const char *sql)
{
    struct json_list *l = arg;
    struct strbuf *out = l->out;

    sb_adds(out, l->n++ > 0 ? ",\n" : "\n");
    sb_adds(out, "      {\"slot\": ");
    json_string(out, slot);
    sb_adds(out, ", \"sql\": ");
    json_string(out, sql);
    sb_adds(out, "}");
    return 0;
}

/*
 * Append the steps of plan as a JSON array whose closing bracket is ind
 * spaces in: each {version, rebuild, sql} on its own line.
 */
static void
steps_array(struct strbuf *out, const struct plan *plan, int ind)
{
    size_t i, j;

    sb_adds(out, plan->nsteps ? "[\n" : "[");
    for (i = 0; i < plan->nsteps; i++) {
        const struct plan_step *s = &plan->steps[i];
        sb_printf(out, "%*s{\"version\": %d, \"rebuild\": %s, \"sql\": [",
                  ind + 2, "", s->version, s->rebuild ? "true" : "false");
        for (j = 0; j < s->nsql; j++) {
            sb_printf(out, "%s%*s", j ? ",\n" : "\n", ind + 4, "");
            json_string(out, s->sql[j].sql);
        }
        sb_adds(out, i + 1 < plan->nsteps ? "]},\n" : "]}\n");
    }
    sb_printf(out, "%*s]", plan->nsteps ? ind : 0, "");
}

/*
 * Append `,\n  "postgresql": {...}`: what NAME.c gives PostgreSQL for the
 * current version of now (emit_pg_init()): "refused", why it cannot run
 * the schema or null; "create_sql", its DDL, and "statements", each
 * {slot, sql} of NAME_pg_statements, and "migrations", the steps of
 * NAME_pg_migrations at the versions of plan's (all empty when refused);
 * and "params", per query the $n of each parameter.
 */
static void
postgresql(struct strbuf *out, const struct view *now,
           const struct plan *plan)
{
    const struct model *m = now->m;
    struct arena a = { 0 };
    struct json_list list = { out, 0 };
    struct emit_pg pg;
    size_t i, j;

    if (emit_pg_init(&a, m, plan, &pg) != 0) {
        out->failed = 1;
        arena_free(&a);
        return;
    }
    sb_adds(out, ",\n  \"postgresql\": {\n    \"refused\": ");
    json_string(out, pg.refusal);
    sb_adds(out, ",\n    \"create_sql\": [");
    for (i = 0; pg.refusal == NULL && i < pg.nddl; i++) {
        sb_adds(out, i ? ",\n      " : "\n      ");
        json_string(out, pg.ddl[i].sql);
    }
    sb_adds(out, "],\n    \"statements\": [");
    if (pg.refusal == NULL
        && emit_statements_each(now, SQL_POSTGRESQL, &pg, pg_statement,
                                &list) != 0)
        out->failed = 1;
    sb_adds(out, "],\n    \"migrations\": ");
    steps_array(out, &pg.plan, 4);
    sb_adds(out, ",\n    \"params\": {");
    for (i = 0; i < m->nqueries; i++) {
        const struct m_query *q = &m->queries[i];
        sb_adds(out, i ? ",\n      " : "\n      ");
        json_string(out, q->name);
        sb_adds(out, ": [");
        for (j = 0; j < q->nparams; j++)
            sb_printf(out, "%s%d", j ? ", " : "", pg.pg_index[i][j]);
        sb_adds(out, "]");
    }
    sb_adds(out, "}\n  }");
    arena_free(&a);
}

/*
 * Write the model of now and plan as JSON to out: the schema's facts,
 * "enums", then "tables" (every table that ever existed, declaration
 * order), "migrations" (data steps), "queries", "views", "triggers",
 * "steps" (the proven SQL of each version step) and "postgresql" (what
 * the current version and its migrations run there).
 */
void
emit_json(const struct view *now, const struct plan *plan,
          struct strbuf *out)
{
    const struct model *m = now->m;
    size_t i;

    sb_printf(out, "{\n  \"format\": %d,\n  \"file\": ", JSON_FORMAT);
    json_string(out, m->file);
    sb_adds(out, ",\n  \"name\": ");
    json_string(out, m->name);
    sb_printf(out, ",\n  \"version\": %d,\n  \"doc\": ", m->version);
    json_string(out, m->doc);
    sb_adds(out, ",\n  \"version_table\": ");
    json_string(out, m->version_table);
    sb_adds(out, ",\n  \"default_path\": ");
    json_string(out, m->default_path);
    sb_printf(out, ",\n  \"enums\": [%s", m->nenums ? "\n" : "");
    for (i = 0; i < m->nenums; i++) {
        enum_obj(out, &m->enums[i]);
        sb_adds(out, i + 1 < m->nenums ? ",\n" : "\n");
    }
    sb_printf(out, "%s],\n  \"tables\": [\n", m->nenums ? "  " : "");
    for (i = 0; i < m->ntables; i++) {
        table(out, m->tables[i]);
        sb_adds(out, i + 1 < m->ntables ? ",\n" : "\n");
    }
    sb_printf(out, "  ],\n  \"migrations\": [%s", m->nmigrations ? "\n" : "");
    for (i = 0; i < m->nmigrations; i++) {
        sb_printf(out, "    {\"version\": %d, ", m->migrations[i].version);
        pos_members(out, &m->migrations[i].pos);
        sb_adds(out, ", \"sql\": ");
        json_string(out, m->migrations[i].sql);
        sb_adds(out, i + 1 < m->nmigrations ? "},\n" : "}\n");
    }
    sb_printf(out, "%s],\n  \"queries\": [%s", m->nmigrations ? "  " : "",
              m->nqueries ? "\n" : "");
    for (i = 0; i < m->nqueries; i++) {
        query(out, &m->queries[i]);
        sb_adds(out, i + 1 < m->nqueries ? ",\n" : "\n");
    }
    sb_adds(out, m->nqueries ? "  ]" : "]");
    objects_member(out, "views", m->views, m->nviews);
    objects_member(out, "triggers", m->triggers, m->ntriggers);
    sb_adds(out, ",\n  \"steps\": ");
    steps_array(out, plan, 2);
    postgresql(out, now, plan);
    sb_adds(out, "\n}\n");
}
