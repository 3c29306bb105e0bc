/*
 * queries.c - the query check.  Builds the schema's current tables in an
 * in-memory SQLite database, prepares each query there and reads back
 * what SQLite knows: errors and their offsets, parameters, result column
 * names and types.  Types of expression columns come from a probe table
 * made from the query with LIMIT 0, so nothing is ever read or written.
 */
#include "queries.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cnames.h"
#include "ddl.h"
#include "lexer.h"
#include "sqlmem.h"
#include "sqltext.h"
#include "strbuf.h"

/* How many thousand virtual machine steps a probe may take before it is
 * stopped (a probe reads no rows, so this is only reached by a runaway
 * recursive query). */
#define PROBE_STEPS_K 10000

/* The temporary table a probe creates. */
#define PROBE_TABLE "temp.\"schemac probe\""

struct qcheck {
    struct arena *a;
    struct diags *d;
    struct model *m;
    struct view now;            /* the schema the queries run against */
    sqlite3 *db;
    int probe_steps;            /* thousands of steps the probe has run */
};

/* ------------------------------------------------------------------ */
/* Positions inside the SQL string                                     */
/* ------------------------------------------------------------------ */

/* The file position of byte off of q's SQL (its first byte for an
 * unknown offset, -1). */
static struct pos
sql_pos_at(const struct m_query *q, int off)
{
    if (off < 0)
        return q->sql_pos;
    return lex_string_pos(q->sql_pos, q->sql_body, q->sql_body_len,
                          (size_t)off);
}

/*
 * The offset in sql of the first parameter token spelled exactly want
 * ("?" for a bare question mark); -1 when there is none.
 */
static int
find_param(const char *sql, const char *want)
{
    size_t i = 0, start, wlen = strlen(want);
    enum sqltext_tok kind;

    while ((kind = sqltext_token(sql, &i, &start)) != SQLTEXT_END)
        if (kind == SQLTEXT_PARAM && i - start == wlen
            && memcmp(sql + start, want, wlen) == 0)
            return (int)start;
    return -1;
}

/*
 * The offset in sql where the result column called name is written: the
 * name after an AS, else the first bare name spelled so, else (for a
 * column named by its expression's text) the first place that text
 * appears; -1 when there is none.
 */
static int
find_column(const char *sql, const char *name)
{
    size_t i = 0, start, len = strlen(name);
    bool after_as = false;
    const char *at;
    enum sqltext_tok kind;
    int first = -1;

    while ((kind = sqltext_token(sql, &i, &start)) != SQLTEXT_END) {
        if (kind == SQLTEXT_NAME
            && sqltext_spells(sql + start, i - start, name)) {
            if (after_as)
                return (int)start;
            if (first < 0)
                first = (int)start;
        }
        after_as = kind == SQLTEXT_NAME
            && sqltext_spells(sql + start, i - start, "as");
    }
    if (first >= 0 || len == 0)
        return first;
    at = strstr(sql, name);
    return at != NULL ? (int)(at - sql) : -1;
}

/* The file position where q's result column name is written (the
 * string's start when it cannot be found). */
static struct pos
column_pos(const struct m_query *q, const char *name)
{
    return sql_pos_at(q, find_column(q->sql, name));
}

/* ------------------------------------------------------------------ */
/* The database                                                        */
/* ------------------------------------------------------------------ */

/* Run sql on qc's database; returns an SQLite code. */
static int
run(struct qcheck *qc, const char *sql)
{
    return sqlite3_exec(qc->db, sql, NULL, NULL, NULL);
}

/* Run one statement of the current DDL in qc's database; a refusal is
 * reported at its table, or at its index (whose expressions SQLite may
 * refuse), and stops the creation (returns 1). */
static int
create_one(void *arg, const char *sql, const struct v_table *vt,
           const struct m_index *ix)
{
    struct qcheck *qc = arg;

    if (run(qc, sql) == SQLITE_OK)
        return 0;
    if (ix != NULL)
        diag_error(qc->d, &ix->pos, "SQLite refuses index '%s' of table "
                   "'%s', so the queries cannot be checked: %s", ix->name,
                   vt->table->name, sqlite3_errmsg(qc->db));
    else
        diag_error(qc->d, &vt->table->pos, "SQLite refuses table '%s', so "
                   "the queries cannot be checked: %s", vt->table->name,
                   sqlite3_errmsg(qc->db));
    return 1;
}

/*
 * Open the in-memory database and create every table and index of the
 * current version in it, in one transaction.  Returns the number of
 * errors (the database could not be opened, or SQLite refused the DDL of
 * a table).
 */
static int
open_schema(struct qcheck *qc)
{
    const struct model *m = qc->m;
    int rc;

    if ((qc->db = sqlmem_open()) == NULL) {
        diag_error(qc->d, &m->pos, "cannot open an in-memory SQLite "
                   "database to check the queries");
        return 1;
    }
    run(qc, "BEGIN");
    rc = ddl_each(&qc->now, SQL_SQLITE, create_one, qc);
    if (rc < 0)
        qc->a->failed = 1;
    run(qc, rc == 0 ? "COMMIT" : "ROLLBACK");
    return rc != 0;
}

/* Progress handler of a probe: stop it after PROBE_STEPS_K thousand
 * steps. */
static int
probe_progress(void *arg)
{
    struct qcheck *qc = arg;

    return ++qc->probe_steps > PROBE_STEPS_K;
}

/*
 * Find the type SQLite gives each result column of the statement text
 * (len bytes at sql) when a table is made from it: create a temporary
 * table AS the query with LIMIT 0 (parameters unbound, so NULL) and read
 * its declared types ("INT", "REAL", "TEXT", "NUM" or "") into types[0..n)
 * (arena strings).  Returns 0, or -1 with SQLite's message in *why.
 */
static int
probe(struct qcheck *qc, const char *sql, size_t len, const char **types,
      int n, const char **why)
{
    struct strbuf text = { 0 };
    sqlite3_stmt *stmt = NULL;
    int src, got = 0;

    /* Drop the statement's final ';' and blanks: it becomes a subquery.
     * The newline before ')' ends a trailing -- comment. */
    while (len > 0 && strchr(" \t\r\n\f\v;", sql[len - 1]) != NULL)
        len--;
    sb_adds(&text, "CREATE TABLE " PROBE_TABLE " AS SELECT * FROM (\n");
    sb_addn(&text, sql, len);
    sb_adds(&text, "\n) LIMIT 0");
    if (text.failed) {
        *why = "out of memory";
        return -1;
    }
    qc->probe_steps = 0;
    sqlite3_progress_handler(qc->db, 1000, probe_progress, qc);
    src = sqlite3_prepare_v2(qc->db, sb_str(&text), -1, &stmt, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    sqlite3_progress_handler(qc->db, 0, NULL, NULL);
    sb_free(&text);
    if (src != SQLITE_DONE) {
        *why = arena_strdup(qc->a, sqlite3_errmsg(qc->db));
        run(qc, "DROP TABLE IF EXISTS " PROBE_TABLE);
        return -1;
    }
    src = sqlite3_prepare_v2(qc->db, "PRAGMA temp.table_info(\"schemac "
                             "probe\")", -1, &stmt, NULL);
    while (src == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        int cid = sqlite3_column_int(stmt, 0);
        const unsigned char *type = sqlite3_column_text(stmt, 2);
        if (cid >= 0 && cid < n) {
            types[cid] = arena_strdup(qc->a, type ? (const char *)type
                                      : "");
            got++;
        }
    }
    sqlite3_finalize(stmt);
    run(qc, "DROP TABLE IF EXISTS " PROBE_TABLE);
    if (got != n) {
        *why = "the probe table has other columns than the query";
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/*
 * Check stmt's parameters against q's: every SQL parameter must be a
 * declared ':name', every declared one must be used.  Fills
 * q->param_index.  Returns the number of errors.
 */
static int
check_params(struct qcheck *qc, struct m_query *q, sqlite3_stmt *stmt)
{
    int errors = 0, i, n = sqlite3_bind_parameter_count(stmt);
    bool other_form = false;
    size_t j;

    q->param_index = arena_alloc(qc->a, (q->nparams ? q->nparams : 1)
                                 * sizeof *q->param_index);
    if (q->param_index == NULL)
        return 1;
    for (i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(stmt, i);
        struct pos pos = sql_pos_at(q, find_param(q->sql, name ? name
                                                  : "?"));
        bool known = false;

        if (name == NULL || name[0] != ':') {
            diag_error(qc->d, &pos, "query '%s' uses parameter '%s'; only "
                       "':name' parameters can be declared", q->name,
                       name ? name : "?");
            errors++;
            other_form = true;
            continue;
        }
        for (j = 0; j < q->nparams && !known; j++)
            known = strcmp(q->params[j].name, name + 1) == 0;
        if (!known) {
            diag_error(qc->d, &pos, "query '%s' has no parameter '%s'",
                       q->name, name + 1);
            errors++;
        }
    }
    for (j = 0; j < q->nparams; j++) {
        const char *name = arena_printf(qc->a, ":%s", q->params[j].name);
        if (name == NULL)
            return errors + 1;
        q->param_index[j] = sqlite3_bind_parameter_index(stmt, name);
        /* After a '?' or '$x' the declared name is likely meant there:
         * one mistake, one message. */
        if (q->param_index[j] == 0 && !other_form) {
            diag_error(qc->d, &q->params[j].pos, "parameter '%s' is not "
                       "used in the SQL of query '%s'", q->params[j].name,
                       q->name);
            errors++;
        }
    }
    return errors;
}

/* ------------------------------------------------------------------ */
/* Result columns                                                      */
/* ------------------------------------------------------------------ */

/* The schema type whose SQL declared type is decl (any case); false when
 * decl is NULL or not one of ours. */
static bool
type_of_decl(const char *decl, enum m_type *t)
{
    static const enum m_type all[] = {
        M_INTEGER, M_REAL, M_TEXT, M_BLOB, M_BOOLEAN, M_TIMESTAMP
    };
    size_t i, k;

    if (decl == NULL)
        return false;
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *s = m_type_sql(all[i]);
        for (k = 0; s[k] != '\0' && decl[k] != '\0'; k++)
            if ((decl[k] | 0x20) != (s[k] | 0x20))
                break;
        if (s[k] == '\0' && decl[k] == '\0') {
            *t = all[i];
            return true;
        }
    }
    return false;
}

/* The schema type of a probe table's declared type: an expression's
 * affinity.  False for "NUM" and "" (numeric or no affinity). */
static bool
type_of_affinity(const char *aff, enum m_type *t)
{
    if (strcmp(aff, "INT") == 0)
        *t = M_INTEGER;
    else if (strcmp(aff, "REAL") == 0)
        *t = M_REAL;
    else if (strcmp(aff, "TEXT") == 0)
        *t = M_TEXT;
    else
        return false;
    return true;
}

/* True when sql, outside its quoted text, has the word LEFT, RIGHT,
 * FULL or OUTER (any case): a join that can yield NULL columns. */
static bool
has_outer_join(const char *sql)
{
    static const char *const words[] = { "left", "right", "full", "outer" };
    const char *p = sql;
    size_t i, n;

    while (*p != '\0') {
        if (*p == '\'' || *p == '"' || *p == '`') {
            char q = *p++;
            while (*p != '\0' && *p != q)
                p++;
            if (*p != '\0')
                p++;
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            p++;
            continue;
        }
        for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
            ;
        for (i = 0; i < sizeof words / sizeof words[0]; i++)
            if (n == strlen(words[i]) && strncasecmp(p, words[i], n) == 0)
                return true;
        p += n;
    }
    return false;
}

/* True when result column i of stmt is read straight from a column of
 * the schema that cannot hold NULL (NOT NULL, or the rowid key). */
static bool
origin_not_null(const struct qcheck *qc, sqlite3_stmt *stmt, int i)
{
    const char *db = sqlite3_column_database_name(stmt, i);
    const char *table = sqlite3_column_table_name(stmt, i);
    const char *column = sqlite3_column_origin_name(stmt, i);
    size_t t, c;

    if (db == NULL || table == NULL || column == NULL
        || strcmp(db, "main") != 0)
        return false;
    for (t = 0; t < qc->now.ntables; t++) {
        const struct v_table *vt = &qc->now.tables[t];
        if (strcasecmp(vt->name, table) != 0)
            continue;
        for (c = 0; c < vt->ncolumns; c++)
            if (strcasecmp(vt->columns[c].name, column) == 0)
                return vt->columns[c].not_null || vt->columns[c].is_rowid;
    }
    return false;
}

/*
 * Set r's name from name, SQLite's name of a result column of q: a
 * trailing '!' (`AS "total!"`) asserts the column is never NULL and is
 * not part of the member's name.  Returns the number of errors.
 */
static int
result_name(struct qcheck *qc, const struct m_query *q, const char *name,
            struct m_result *r)
{
    size_t len = name != NULL ? strlen(name) : 0;

    r->asserted = len > 1 && name[len - 1] == '!';
    r->name = arena_strndup(qc->a, name != NULL ? name : "",
                            r->asserted ? len - 1 : len);
    if (r->name == NULL) {
        diag_error(qc->d, &q->sql_pos, "out of memory");
        return 1;
    }
    return 0;
}

/*
 * Fill q->results with stmt's column names and types: a column taken
 * straight from a table has its declared type; an expression needs a
 * CAST to INTEGER, REAL or TEXT, found through a probe (len bytes at sql
 * are the statement's text), unless it is count(...) (an integer) or a
 * literal in a plain SELECT.  A result is not null when it is read
 * straight from a NOT NULL or rowid column and the statement has no
 * outer join, when it is count(...) or a literal, or when its name
 * asserts it.  Returns the number of errors.
 */
static int
result_types(struct qcheck *qc, struct m_query *q, sqlite3_stmt *stmt,
             size_t len)
{
    int i, n = sqlite3_column_count(stmt), errors = 0;
    const char **aff = NULL, *why = NULL;
    struct sqltext_result *text;
    bool need_probe = false, outer, plain;

    q->results = arena_alloc(qc->a, (size_t)n * sizeof *q->results);
    aff = arena_alloc(qc->a, (size_t)n * sizeof *aff);
    text = arena_alloc(qc->a, ((size_t)n + 1) * sizeof *text);
    if (q->results == NULL || aff == NULL || text == NULL)
        return 1;
    q->nresults = (size_t)n;
    outer = has_outer_join(q->sql);
    plain = sqltext_results(q->sql, text, (size_t)n);
    for (i = 0; i < n; i++) {
        struct m_result *r = &q->results[i];
        if (result_name(qc, q, sqlite3_column_name(stmt, i), r) != 0)
            return 1;
        r->not_null = r->asserted || (!outer && origin_not_null(qc, stmt, i));
        if (plain && text[i].never_null) {
            /* count(...) and literals: SQLite gives no declared type. */
            r->not_null = true;
            r->type = text[i].type;
        } else if (!type_of_decl(sqlite3_column_decltype(stmt, i),
                                 &r->type)) {
            need_probe = true;
        }
    }
    if (!need_probe)
        return 0;
    if (!sqlite3_stmt_readonly(stmt)) {
        for (i = 0; i < n; i++)
            if (!type_of_decl(sqlite3_column_decltype(stmt, i),
                              &q->results[i].type)) {
                struct pos pos = column_pos(q, q->results[i].name);
                diag_error(qc->d, &pos, "result column '%s' of "
                           "query '%s' must be a table column: the type "
                           "of an expression RETURNING gives cannot be "
                           "known", q->results[i].name, q->name);
                errors++;
            }
        return errors;
    }
    if (probe(qc, q->sql, len, aff, n, &why) != 0) {
        diag_error(qc->d, &q->sql_pos, "cannot tell the types of the result "
                   "columns of %s '%s': %s", q->noun, q->name, why);
        return 1;
    }
    for (i = 0; i < n; i++)
        if (!(plain && text[i].never_null)
            && !type_of_decl(sqlite3_column_decltype(stmt, i),
                             &q->results[i].type)
            && !type_of_affinity(aff[i], &q->results[i].type)) {
            struct pos pos = column_pos(q, q->results[i].name);
            diag_error(qc->d, &pos, "result column '%s' of %s '%s' needs "
                       "a CAST to a type (CAST(... AS INTEGER), REAL or "
                       "TEXT)", q->results[i].name, q->noun, q->name);
            errors++;
        }
    return errors;
}

/*
 * Write into why (when not NULL) how q's results differ from the columns
 * of vt (the current version).  Returns true when they match: same count,
 * and each the same name and type in the same order.
 */
static bool
matches_table(const struct m_query *q, const struct v_table *vt,
              struct strbuf *why)
{
    size_t i, k = 0;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct m_column *c = vt->columns[i].col;
        const char *name = vt->columns[i].name;         /* SQL's */
        const struct m_result *r;
        if (k >= q->nresults) {
            if (why)
                sb_printf(why, "it has no column %zu ('%s %s')", k + 1,
                          name, m_type_name(c->type));
            return false;
        }
        r = &q->results[k++];
        /* An enum column is TEXT to SQLite, and read through the table's
         * descriptor as its enum. */
        if (strcmp(r->name, name) != 0
            || (r->type != c->type
                && !(r->type == M_TEXT && c->type == M_ENUM))) {
            if (why)
                sb_printf(why, "its column %zu is '%s %s' where the table "
                          "has '%s %s'", k, r->name, m_type_name(r->type),
                          name, m_type_name(c->type));
            return false;
        }
    }
    if (k < q->nresults) {
        if (why)
            sb_printf(why, "it has a column %zu ('%s') the table has not",
                      k + 1, q->results[k].name);
        return false;
    }
    return true;
}

/* How a result may hold NULL, for messages. */
static const char *
nullness(const struct m_result *r)
{
    return r->asserted ? "asserted not null with '!'"
        : r->not_null ? "never NULL" : "nullable";
}

/*
 * True when q's result columns are r's, one for one: the same names,
 * types and nullness (the struct of r's rows, its has_ flags and its
 * descriptor then serve q's rows).  Otherwise false, with the first
 * difference appended to why.
 */
static bool
matches_query(const struct m_query *q, const struct m_query *r,
              struct strbuf *why)
{
    size_t k;

    for (k = 0; k < q->nresults && k < r->nresults; k++) {
        const struct m_result *a = &q->results[k], *b = &r->results[k];
        if (strcmp(a->name, b->name) != 0 || a->type != b->type) {
            sb_printf(why, "its column %zu is '%s %s' where '%s' has "
                      "'%s %s'", k + 1, a->name, m_type_name(a->type),
                      r->name, b->name, m_type_name(b->type));
            return false;
        }
        if (a->not_null != b->not_null || a->asserted != b->asserted) {
            sb_printf(why, "its column %zu ('%s') is %s where that of "
                      "'%s' is %s", k + 1, a->name, nullness(a), r->name,
                      nullness(b));
            return false;
        }
    }
    if (q->nresults != r->nresults) {
        sb_printf(why, "it has %zu column%s where '%s' has %zu",
                  q->nresults, q->nresults == 1 ? "" : "s", r->name,
                  r->nresults);
        return false;
    }
    return true;
}

/* True when s is [A-Za-z_][A-Za-z0-9_]*. */
static bool
is_c_ident(const char *s)
{
    size_t i;

    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (i = 1; s[i] != '\0'; i++)
        if (!sqltext_name_byte((unsigned char)s[i]) || s[i] == '$'
            || (unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* True for a result type whose own-struct member gets a has_ flag. */
static bool
gets_flag(enum m_type t)
{
    return t == M_INTEGER || t == M_REAL || t == M_BOOLEAN;
}

/*
 * Check that q's result names can be members of its own row struct:
 * C identifiers, not keywords, distinct, and no clash with a has_ flag.
 * Returns the number of errors.
 */
static int
check_result_names(struct qcheck *qc, const struct m_query *q)
{
    const char *why;
    int errors = 0;
    size_t i, j;

    for (i = 0; i < q->nresults; i++) {
        const char *name = q->results[i].name;
        struct pos pos = column_pos(q, name);
        if (!is_c_ident(name)) {
            diag_error(qc->d, &pos, "result column '%s' of %s '%s' is "
                       "not a C identifier (name it with AS)", name, q->noun,
                       q->name);
            errors++;
            continue;
        }
        if ((why = cnames_reserved(name)) != NULL) {
            diag_error(qc->d, &pos, "result column '%s' of %s '%s' is "
                       "%s (rename it with AS)", name, q->noun, q->name, why);
            errors++;
            continue;
        }
        for (j = 0; j < i; j++) {
            const char *other = q->results[j].name, *flag;
            if (strcmp(other, name) == 0) {
                diag_error(qc->d, &q->sql_pos, "result column '%s' of "
                           "%s '%s' appears twice (rename one with AS)",
                           name, q->noun, q->name);
                errors++;
                break;
            }
            /* "has_x" beside a scalar "x" (either order) is x's flag. */
            if (strncmp(name, "has_", 4) == 0
                && gets_flag(q->results[j].type)
                && strcmp(name + 4, other) == 0)
                flag = name;
            else if (strncmp(other, "has_", 4) == 0
                     && gets_flag(q->results[i].type)
                     && strcmp(other + 4, name) == 0)
                flag = other;
            else
                continue;
            pos = column_pos(q, flag);
            diag_error(qc->d, &pos, "result column '%s' of %s '%s' has "
                       "the name of the has_ flag of result column '%s' "
                       "(rename it with AS)", flag, q->noun, q->name,
                       flag + 4);
            errors++;
            break;
        }
    }
    return errors;
}

/*
 * Give q, which says `returns R` of query R, R's rows: the table struct
 * they are, or R's own struct, whose columns q's must match one for one.
 * R, declared before q, has been checked.  Returns the number of errors.
 */
static int
share_row(struct qcheck *qc, struct m_query *q)
{
    struct m_query *r = q->returns_query, *owner;
    const struct v_table *vt;
    struct strbuf why = { 0 };
    bool ok;

    if (r->results == NULL)
        return 0;               /* R's own check failed and said why */
    if (r->row_table != NULL) {
        vt = view_table(&qc->now, r->row_table);
        assert(vt != NULL);
        ok = vt != NULL && matches_table(q, vt, &why);
        if (ok)
            q->row_table = r->row_table;
    } else {
        owner = r->row_query != NULL ? r->row_query : r;
        ok = matches_query(q, owner, &why);
        if (ok) {
            q->row_query = owner;
            owner->row_many |= q->kind == M_Q_MANY;
        }
    }
    if (!ok)
        diag_error(qc->d, &q->returns_pos, "query '%s' cannot return the "
                   "rows of query '%s': %s", q->name, r->name,
                   why.failed ? "out of memory" : sb_str(&why));
    sb_free(&why);
    return !ok;
}

/*
 * Decide the struct q's rows use: with `returns T`, T's (its columns must
 * match) or, with `returns Q`, the rows of query Q; otherwise the first
 * data table whose columns the results match, or the query's own struct,
 * whose member names are checked.  Returns the number of errors.
 */
static int
choose_row(struct qcheck *qc, struct m_query *q)
{
    const struct v_table *ret;
    struct strbuf why = { 0 };
    int errors = 0;
    size_t i;

    if (q->returns_query != NULL)
        return share_row(qc, q);
    if (q->returns != NULL) {
        /* check.c refuses a `returns` table that is gone now. */
        ret = view_table(&qc->now, q->returns);
        assert(ret != NULL);
        if (ret != NULL && matches_table(q, ret, &why)) {
            q->row_table = q->returns;
        } else {
            diag_error(qc->d, &q->returns_pos, "query '%s' cannot return "
                       "'%s': %s", q->name, q->returns->name,
                       why.failed ? "out of memory" : sb_str(&why));
            errors++;
        }
        sb_free(&why);
        return errors;
    }
    for (i = 0; i < qc->now.ntables && q->row_table == NULL; i++) {
        const struct v_table *vt = &qc->now.tables[i];
        if (vt->is_data && matches_table(q, vt, NULL))
            q->row_table = qc->m->tables[vt->table->index];
    }
    if (q->row_table == NULL) {
        errors += check_result_names(qc, q);
        q->row_many = q->kind == M_Q_MANY;
    }
    return errors;
}

/* ------------------------------------------------------------------ */
/* One query                                                           */
/* ------------------------------------------------------------------ */

/* Queue an SQL error of q at byte off of its string. */
static void
sql_error(struct qcheck *qc, const struct m_query *q, int off)
{
    struct pos pos = sql_pos_at(q, off);

    diag_error(qc->d, &pos, "in %s '%s': %s", q->noun, q->name,
               sqlite3_errmsg(qc->db));
}

/* The offset of the first byte of text at s that is not a blank. */
static int
first_non_blank(const char *sql, const char *s)
{
    while (*s != '\0' && strchr(" \t\r\n\f\v", *s) != NULL)
        s++;
    return (int)(s - sql);
}

/*
 * Prepare q and check its SQL, parameters and result columns.  Returns
 * the number of errors.
 */
static int
check_query(struct qcheck *qc, struct m_query *q)
{
    sqlite3_stmt *stmt = NULL, *more = NULL;
    const char *tail = NULL, *tail2 = NULL;
    struct sqlmem_guard guard = { SQLMEM_QUERY, NULL };
    int errors = 0, ncol, rc;

    sqlmem_guard(qc->db, &guard);
    rc = sqlite3_prepare_v2(qc->db, q->sql, -1, &stmt, &tail);
    sqlmem_guard(qc->db, NULL);
    if (rc != SQLITE_OK && guard.refused != NULL) {
        diag_error(qc->d, &q->sql_pos, "%s '%s' may not run %s", q->noun,
                   q->name, guard.refused);
        return 1;
    }
    if (rc != SQLITE_OK) {
        sql_error(qc, q, sqlite3_error_offset(qc->db));
        return 1;
    }
    if (stmt == NULL) {
        diag_error(qc->d, &q->sql_pos, "%s '%s' has no SQL statement",
                   q->noun, q->name);
        return 1;
    }
    /* Whatever follows the statement must be blanks or comments. */
    if (sqlite3_prepare_v2(qc->db, tail, -1, &more, &tail2) != SQLITE_OK
        || more != NULL) {
        struct pos pos = sql_pos_at(q, first_non_blank(q->sql, tail));
        diag_error(qc->d, &pos, "%s '%s' holds more than one SQL "
                   "statement", q->noun, q->name);
        sqlite3_finalize(more);
        sqlite3_finalize(stmt);
        return 1;
    }
    errors += check_params(qc, q, stmt);
    ncol = sqlite3_column_count(stmt);
    if (q->kind != M_Q_EXEC && ncol == 0) {
        diag_error(qc->d, &q->kind_pos, "query '%s' is '%s' but its SQL "
                   "returns no columns (make it 'exec')", q->name,
                   q->kind == M_Q_ONE ? "one" : "many");
        errors++;
    } else if (q->kind == M_Q_EXEC && ncol > 0) {
        diag_error(qc->d, &q->kind_pos, "query '%s' is 'exec' but its SQL "
                   "returns columns (make it 'one' or 'many')", q->name);
        errors++;
    } else if (q->kind != M_Q_EXEC) {
        int terr = result_types(qc, q, stmt, (size_t)(tail - q->sql));
        errors += terr;
        if (terr == 0)
            errors += choose_row(qc, q);
    }
    sqlite3_finalize(stmt);
    return errors;
}

/* ------------------------------------------------------------------ */
/* Views                                                               */
/* ------------------------------------------------------------------ */

/* Make w->table, the read-only table the writers give view w, with one
 * column per result of q (w's SELECT, checked).  Returns 0, or -1 when
 * memory ran out. */
static int
view_columns(struct qcheck *qc, struct m_object *w, const struct m_query *q)
{
    struct m_table *t = arena_alloc(qc->a, sizeof(*t));
    size_t i;

    if (t == NULL || (t->columns = arena_alloc(qc->a, (q->nresults + 1)
                                               * sizeof(*t->columns)))
        == NULL)
        return -1;
    t->pos = w->pos;
    t->name = t->sql_name = w->name;
    t->doc = w->doc;
    t->span = w->span;
    t->is_view = true;
    t->index = (size_t)-1;      /* in no model.tables */
    for (i = 0; i < q->nresults; i++) {
        const struct m_result *r = &q->results[i];
        struct m_column *c = arena_alloc(qc->a, sizeof(*c));
        if (c == NULL)
            return -1;
        c->pos = w->sql_pos;
        c->name = r->name;
        /* The view's column keeps the '!' that asserted it. */
        c->sql_name = r->asserted ? arena_printf(qc->a, "%s!", r->name)
            : r->name;
        if (c->sql_name == NULL)
            return -1;
        c->type = r->type;
        c->span = w->span;
        c->table = t;
        c->index = i;
        if (r->not_null) {
            if ((c->constraints = arena_alloc(qc->a, sizeof(*c->constraints)))
                == NULL)
                return -1;
            c->constraints[0].pos = w->sql_pos;
            c->constraints[0].kind = M_C_NOT_NULL;
            c->constraints[0].span = w->span;
            c->nconstraints = 1;
        }
        t->columns[t->ncolumns++] = c;
    }
    w->table = t;
    return 0;
}

/*
 * Create the views alive now in qc's database (so queries may read them)
 * and check each SELECT as a `many` query named after the view (its
 * messages say "view"): it must
 * run, and its result columns need names and types as a query's own row
 * struct does.  Fills each one's table.  Returns the number of errors.
 */
static int
check_views(struct qcheck *qc)
{
    struct model *m = qc->m;
    int errors = 0;
    size_t i;

    for (i = 0; i < m->nviews; i++) {
        struct m_object *w = &m->views[i];
        struct m_query q;
        if (!m_alive(&w->span, m->version))
            continue;
        if (run(qc, w->sql) != SQLITE_OK) {
            diag_error(qc->d, &w->sql_pos, "SQLite refuses view '%s': %s",
                       w->name, sqlite3_errmsg(qc->db));
            errors++;
            continue;
        }
        memset(&q, 0, sizeof(q));
        q.pos = w->pos;
        q.name = w->name;
        q.kind = M_Q_MANY;
        q.kind_pos = w->pos;
        q.noun = "view";
        q.sql = w->select;
        q.sql_pos = w->sql_pos;
        q.sql_body = w->sql_body;
        q.sql_body_len = w->sql_body_len;
        if (check_query(qc, &q) != 0) {
            errors++;
            continue;
        }
        /* A view has its own struct even when a table's would fit. */
        if (q.row_table != NULL && check_result_names(qc, &q) != 0) {
            errors++;
            continue;
        }
        if (view_columns(qc, w, &q) != 0)
            qc->a->failed = 1;
    }
    return errors;
}

/* ------------------------------------------------------------------ */
/* All queries                                                         */
/* ------------------------------------------------------------------ */

/* Prepare and check every view and query of m; see queries.h. */
int
queries_check(struct arena *a, struct diags *d, struct model *m)
{
    struct qcheck qc;
    int errors;
    size_t i;

    if (m->nqueries == 0 && m->nviews == 0)
        return 0;
    memset(&qc, 0, sizeof(qc));
    qc.a = a;
    qc.d = d;
    qc.m = m;
    if (view_build(a, m, m->version, &qc.now) != 0)
        return 1;
    errors = open_schema(&qc);
    if (errors == 0)
        errors += check_views(&qc);
    if (errors == 0)
        for (i = 0; i < m->nqueries && !a->failed; i++)
            errors += check_query(&qc, &m->queries[i]);
    sqlite3_close(qc.db);
    return errors + (a->failed ? 1 : 0);
}
