/*
 * dialect.c - the elements of a schema a dialect cannot express; see
 * dialect.h.  Built with PostgreSQL support (make PG=1, the default), the
 * schema's SQL is also read by PostgreSQL's own parser, libpg_query.
 */
#include "dialect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef SCHEMAC_PG_QUERY
#include <pg_query.h>
#endif

#include "lexer.h"
#include "sqltext.h"
#include "strbuf.h"

/* True when SQLite's collation c compares as PostgreSQL can: BINARY is
 * PostgreSQL's "C"; NOCASE and RTRIM have no built-in counterpart. */
static bool
pg_collation(const char *c)
{
    return c == NULL || strcasecmp(c, "BINARY") == 0;
}

/* ------------------------------------------------------------------ */
/* Parameters in PostgreSQL's spelling                                 */
/* ------------------------------------------------------------------ */

/*
 * Find the next parameter of sql from *i on (sqltext_token()): set
 * *start to its first byte, *i past it, and return true; false at the
 * end.  A ':', '@' or '$' with no name after it is no parameter in
 * PostgreSQL but an operator, and so is a '::' cast, whose second ':'
 * would otherwise read as a parameter named after the type.
 */
static bool
next_param(const char *sql, size_t *i, size_t *start)
{
    enum sqltext_tok t;

    while ((t = sqltext_token(sql, i, start)) != SQLTEXT_END) {
        if (t != SQLTEXT_PARAM)
            continue;
        if (sql[*start] == '?' || *i > *start + 1)
            return true;
        if (sql[*start] == ':' && sql[*start + 1] == ':')
            *i = *start + 2;
    }
    return false;
}

/* See dialect.h. */
void
dialect_pg_params(struct strbuf *out, const char *sql, size_t *map,
                  struct dialect_param *params, size_t *nparams)
{
    size_t nnames = 0, i = 0, start, k, copied = 0;
    size_t next = 1;

    while (next_param(sql, &i, &start)) {
        size_t num, len = i - start - 1;
        for (k = copied; map != NULL && k < start; k++)
            map[k] = out->len + (k - copied);
        sb_addn(out, sql + copied, start - copied);
        if (sql[start] == '?') {
            num = len > 0 ? (size_t)atoi(sql + start + 1) : next;
        } else {
            for (k = 0; k < nnames; k++)
                if (params[k].len == len
                    && strncmp(params[k].name, sql + start + 1, len) == 0)
                    break;
            if (k == nnames) {
                params[nnames].name = sql + start + 1;
                params[nnames++].len = len;
            }
            num = k + 1;
        }
        next = num + 1;
        for (k = start; map != NULL && k < i; k++)
            map[k] = out->len;
        sb_printf(out, "$%zu", num);
        copied = i;
    }
    for (k = copied; map != NULL && sql[k] != '\0'; k++)
        map[k] = out->len + (k - copied);
    if (map != NULL)
        map[k] = out->len + (k - copied);
    sb_adds(out, sql + copied);
    *nparams = nnames;
}

/* The index in q->params of the parameter named by the len bytes at
 * name, or -1 when q declares none so named. */
static int
declared(const struct m_query *q, const char *name, size_t len)
{
    size_t k;

    for (k = 0; k < q->nparams; k++)
        if (strlen(q->params[k].name) == len
            && strncmp(q->params[k].name, name, len) == 0)
            return (int)k;
    return -1;
}

/* The text PostgreSQL runs for q, before its parameters are renumbered:
 * its own PostgreSQL text, else the common one. */
static const char *
query_pg_sql(const struct m_query *q)
{
    return q->pg.sql != NULL ? q->pg.sql : q->sql;
}

/* See dialect.h. */
int
dialect_query_pg(const struct m_query *q, struct strbuf *out, int *pg_index)
{
    const char *sql = query_pg_sql(q);
    struct dialect_param *params = malloc((strlen(sql) / 2 + 1)
                                          * sizeof *params);
    size_t nparams, i, k;

    if (params == NULL) {
        out->failed = 1;
        return -1;
    }
    dialect_pg_params(out, sql, NULL, params, &nparams);
    for (i = 0; i < q->nparams; i++)
        pg_index[i] = 0;
    for (k = 0; k < nparams; k++) {
        int at = declared(q, params[k].name, params[k].len);
        if (at >= 0)
            pg_index[at] = (int)k + 1;
    }
    free(params);
    return out->failed ? -1 : 0;
}

/*
 * Queue an error for each parameter of q's own PostgreSQL text that is
 * not one of its declared :name parameters, and for each declared one it
 * does not use (queries.c checks the common text the same way): the
 * runtime binds the declared ones only.  Returns the number of errors.
 */
static int
check_pg_params(struct diags *d, const struct m_query *q)
{
    const char *sql = q->pg.sql;
    size_t i = 0, start, k;
    bool *used;
    int n = 0, at;

    if (sql == NULL || (used = calloc(q->nparams + 1, sizeof *used)) == NULL)
        return 0;
    while (next_param(sql, &i, &start)) {
        struct pos pos;
        at = sql[start] == ':' ? declared(q, sql + start + 1, i - start - 1)
            : -1;
        if (at >= 0) {
            used[at] = true;
            continue;
        }
        pos = lex_string_pos(q->pg.pos, q->pg.body, q->pg.body_len, start);
        if (sql[start] == ':')
            diag_error(d, &pos, "query '%s' has no parameter '%.*s' (its "
                       "PostgreSQL text) (--dialect postgresql)", q->name,
                       (int)(i - start - 1), sql + start + 1);
        else
            diag_error(d, &pos, "query '%s' uses parameter '%.*s' in its "
                       "PostgreSQL text; only ':name' parameters can be "
                       "declared (--dialect postgresql)", q->name,
                       (int)(i - start), sql + start);
        n++;
    }
    for (k = 0; k < q->nparams; k++)
        if (!used[k]) {
            diag_error(d, &q->pg.pos, "parameter '%s' is not used in the "
                       "PostgreSQL text of query '%s' (--dialect "
                       "postgresql)", q->params[k].name, q->name);
            n++;
        }
    free(used);
    return n;
}

/* Queue the errors of table t for PostgreSQL; returns how many. */
static int
check_table(struct diags *d, const struct m_table *t)
{
    int n = 0;
    size_t i, j;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!pg_collation(c->collate)) {
            diag_error(d, &c->pos, "column '%s': collation %s has no "
                       "PostgreSQL spelling (--dialect postgresql)", c->name,
                       c->collate);
            n++;
        }
    }
    for (i = 0; i < t->nindexes; i++) {
        const struct m_index *ix = t->indexes[i];
        for (j = 0; j < ix->ncolumns; j++) {
            if (pg_collation(ix->columns[j].collate))
                continue;
            diag_error(d, &ix->pos, "index '%s': collation %s has no "
                       "PostgreSQL spelling (--dialect postgresql)", ix->name,
                       ix->columns[j].collate);
            n++;
            break;
        }
    }
    return n;
}

#ifdef SCHEMAC_PG_QUERY
/* ------------------------------------------------------------------ */
/* PostgreSQL's parser                                                 */
/* ------------------------------------------------------------------ */

/*
 * Parse sql with PostgreSQL's parser.  Returns 0, or -1 with its message
 * in *msg (a copy in d's arena, NULL when that ran out) and the offset
 * of the byte it names in *at (-1 when it names none).
 */
static int
pg_parse(struct diags *d, const char *sql, const char **msg, int *at)
{
    PgQueryParseResult r = pg_query_parse(sql);
    int rc = 0;

    if (r.error != NULL) {
        *msg = arena_strdup(d->arena, r.error->message);
        *at = r.error->cursorpos > 0 ? r.error->cursorpos - 1 : -1;
        rc = -1;
    }
    pg_query_free_parse_result(r);
    return rc;
}

/* The byte of sql whose copy dialect_pg_params() put at offset at of
 * its output (map as it filled it). */
static int
pg_unmap(const size_t *map, size_t len, int at)
{
    size_t k;

    for (k = len; k > 0 && map[k] > (size_t)at; k--)
        ;
    return (int)k;
}

/*
 * Parse t, the text of noun name (a query, view or trigger), as
 * PostgreSQL would prepare it, with params its parameters as $N; queue
 * its error at the byte it names.  Returns the number of errors.
 */
static int
pg_check_text(struct diags *d, const char *noun, const char *name,
              const struct m_sqltext *t, bool params)
{
    struct strbuf sql = { 0 };
    size_t len = strlen(t->sql), k;
    size_t *map = arena_alloc(d->arena, (len + 1) * sizeof(*map));
    struct dialect_param *names = arena_alloc(d->arena, (len / 2 + 1)
                                              * sizeof(*names));
    size_t nnames;
    const char *msg;
    struct pos pos;
    int at, n = 0;

    if (map == NULL || names == NULL)
        return 0;
    if (params) {
        dialect_pg_params(&sql, t->sql, map, names, &nnames);
    } else {
        for (k = 0; k <= len; k++)
            map[k] = k;
        sb_adds(&sql, t->sql);
    }
    if (!sql.failed && pg_parse(d, sb_str(&sql), &msg, &at) != 0) {
        pos = at < 0 ? t->pos
            : lex_string_pos(t->pos, t->body, t->body_len,
                             (size_t)pg_unmap(map, len, at));
        diag_error(d, &pos, "%s '%s' is not PostgreSQL's SQL: %s "
                   "(--dialect postgresql)", noun, name,
                   msg != NULL ? msg : "a syntax error");
        n = 1;
    }
    sb_free(&sql);
    return n;
}

/* Parse named query q: its PostgreSQL text when it gives one, else its
 * SQLite text.  Returns the number of errors. */
static int
pg_check_query(struct diags *d, const struct m_query *q)
{
    struct m_sqltext t = { q->sql, q->sql_pos, q->sql_body,
                           q->sql_body_len };

    return pg_check_text(d, q->noun, q->name, q->pg.sql != NULL ? &q->pg
                         : &t, true);
}

/* Parse view v's SELECT (its PostgreSQL text when it gives one) as a
 * query.  Returns the number of errors. */
static int
pg_check_view(struct diags *d, const struct m_object *v)
{
    struct m_sqltext t = { v->select, v->sql_pos, v->sql_body,
                           v->sql_body_len };

    return pg_check_text(d, "view", v->name, v->pg.sql != NULL ? &v->pg
                         : &t, true);
}

/* Parse expression expr of what (a noun phrase for the message) at pos
 * as PostgreSQL reads one (wrapped: SELECT (expr)); queue its error at
 * pos.  Returns the number of errors. */
static int
pg_check_expr(struct diags *d, const struct pos *pos, const char *what,
              const char *expr)
{
    struct strbuf sql = { 0 };
    const char *msg;
    int at, n = 0;

    sb_printf(&sql, "SELECT (%s)", expr);
    if (!sql.failed && pg_parse(d, sb_str(&sql), &msg, &at) != 0) {
        diag_error(d, pos, "%s is not PostgreSQL's SQL: %s (--dialect "
                   "postgresql)", what, msg != NULL ? msg : "a syntax error");
        n = 1;
    }
    sb_free(&sql);
    return n;
}

/* Parse data step mg as a PostgreSQL migration runs it: as written, since
 * the language gives a data step no PostgreSQL text.  Returns the number
 * of errors. */
static int
pg_check_migration(struct diags *d, const struct m_migration *mg)
{
    struct m_sqltext t = { mg->sql, mg->sql_pos, mg->sql_body,
                           mg->sql_body_len };
    char name[32];

    snprintf(name, sizeof name, "%d", mg->version);
    return pg_check_text(d, "migration", name, &t, false);
}

/* The expressions of table t (checks, defaults, generated columns,
 * index expressions and conditions) through PostgreSQL's parser.
 * Returns the number of errors. */
static int
pg_check_exprs(struct diags *d, const struct m_table *t)
{
    char what[200];
    size_t i, j;
    int n = 0;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        snprintf(what, sizeof what, "column '%s'", c->name);
        if (c->generated != NULL)
            n += pg_check_expr(d, &c->pos, what, c->generated);
        for (j = 0; j < c->nconstraints; j++) {
            const struct m_constraint *k = &c->constraints[j];
            if (k->kind == M_C_CHECK || k->kind == M_C_DEFAULT)
                n += pg_check_expr(d, &k->pos, what, k->sql);
        }
    }
    for (i = 0; i < t->nconstraints; i++)
        if (t->constraints[i].kind == M_C_CHECK) {
            snprintf(what, sizeof what, "a check of table '%s'", t->name);
            n += pg_check_expr(d, &t->constraints[i].pos, what,
                               t->constraints[i].sql);
        }
    for (i = 0; i < t->nindexes; i++) {
        const struct m_index *ix = t->indexes[i];
        snprintf(what, sizeof what, "index '%s'", ix->name);
        if (ix->where != NULL)
            n += pg_check_expr(d, &ix->pos, what, ix->where);
        for (j = 0; j < ix->ncolumns; j++)
            if (ix->columns[j].expr != NULL)
                n += pg_check_expr(d, &ix->pos, what, ix->columns[j].expr);
    }
    return n;
}
#endif /* SCHEMAC_PG_QUERY */

/* See dialect.h. */
int
dialect_check(struct diags *d, const struct model *m,
              enum sql_dialect dialect)
{
    if (dialect == SQL_SQLITE)
        return 0;
#ifndef SCHEMAC_PG_QUERY
    /* Without PostgreSQL's parser nothing vouches for the schema's SQL. */
    diag_error(d, &m->pos, "this schemac was built without PostgreSQL "
               "support (make PG=0): --dialect postgresql is not available");
    return 1;
#else
    return dialect_pg_refusals(d, m);
#endif
}

/* See dialect.h. */
int
dialect_pg_refusals(struct diags *d, const struct model *m)
{
    int n = 0;
    size_t i;

#ifdef SCHEMAC_PG_QUERY
    for (i = 0; i < m->ntables; i++)
        n += pg_check_exprs(d, m->tables[i]);
    for (i = 0; i < m->nqueries; i++)
        n += pg_check_query(d, &m->queries[i]);
    for (i = 0; i < m->nviews; i++)
        n += pg_check_view(d, &m->views[i]);
    for (i = 0; i < m->nmigrations; i++)
        n += pg_check_migration(d, &m->migrations[i]);
#endif
    for (i = 0; i < m->nqueries; i++)
        n += check_pg_params(d, &m->queries[i]);
    for (i = 0; i < m->ntables; i++)
        n += check_table(d, m->tables[i]);
    for (i = 0; i < m->ntriggers; i++) {
        const struct m_object *t = &m->triggers[i];
        if (t->pg.sql != NULL) {
#ifdef SCHEMAC_PG_QUERY
            n += pg_check_text(d, "trigger", t->name, &t->pg, false);
#endif
            continue;
        }
        diag_error(d, &t->pos, "trigger '%s' is written in SQLite's SQL, "
                   "and PostgreSQL's triggers call functions: give its "
                   "PostgreSQL statements (postgresql \"...\") "
                   "(--dialect postgresql)", t->name);
        n++;
    }
    return n;
}

/* See dialect.h. */
int
dialect_named(const char *name)
{
    if (strcmp(name, "sqlite") == 0)
        return SQL_SQLITE;
    if (strcmp(name, "postgresql") == 0)
        return SQL_POSTGRESQL;
    return -1;
}
