/*
 * check.c - from the AST to the checked model (model.h), reporting every
 * semantic error.  Three stages, each run over everything and counting
 * its errors; the next runs only when the last was clean:
 *   1. values: versions, spans, renames, types, defaults, options;
 *   2. names: duplicates, column and table references, primary keys,
 *      the version table, queries;
 *   3. history: names at every version, what columns indexes and
 *      constraints use, columns added later.
 */
#include "ast.h"
#include "cnames.h"
#include "ddl.h"
#include "names.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

/* Where a model table came from (NULL for the synthesized version table). */
struct checker {
    struct arena *a;
    struct diags *d;
    const struct ast_schema *s;
    struct model *m;
    int version;                        /* the schema version, or INT_MAX */
    const struct ast_table **src;       /* parallel to m->tables */
    const struct ast_option *version_table;
    struct name_index tables;           /* every table, by current name */
};

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* Return the type named name in *t; 0, or -1 when there is none. */
static int
find_type(const char *name, enum m_type *t)
{
    static const enum m_type all[] = {
        M_INTEGER, M_REAL, M_TEXT, M_BLOB, M_BOOLEAN, M_TIMESTAMP
    };
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (strcmp(m_type_name(all[i]), name) == 0) {
            *t = all[i];
            return 0;
        }
    return -1;
}

/* The enum named name, or NULL. */
static const struct m_enum *
find_enum(const struct checker *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->m->nenums; i++)
        if (strcmp(c->m->enums[i].name, name) == 0)
            return &c->m->enums[i];
    return NULL;
}

/* Resolve the type n into *t, and an enum type into *e (when e is not
 * NULL; query parameters take no enums).  Returns the number of errors
 * (0 or 1). */
static int
resolve_type(struct checker *c, const struct ast_name *n, enum m_type *t,
             const struct m_enum **e)
{
    if (find_type(n->name, t) == 0)
        return 0;
    if (e != NULL && (*e = find_enum(c, n->name)) != NULL) {
        *t = M_ENUM;
        return 0;
    }
    diag_error(c->d, &n->pos, "unknown type '%s'", n->name);
    return 1;
}

/* The value of e called name, or NULL. */
static const struct m_enum_value *
find_enum_value(const struct m_enum *e, const char *name)
{
    size_t i;

    for (i = 0; i < e->nvalues; i++)
        if (strcmp(e->values[i].name, name) == 0)
            return &e->values[i];
    return NULL;
}


/* Return the current table named name alive at some version of span (or
 * at any version when span is NULL), or NULL. */
static struct m_table *
find_table(const struct checker *c, const char *name,
           const struct m_span *span)
{
    const struct name_entry *e = names_find(&c->tables, name, span);

    return e != NULL ? e->item : NULL;
}

/*
 * Return the column of t currently named name, or NULL.  Of two
 * declarations of one name (a type change), the one alive at the first
 * version of span, when span is not NULL and one is; else the first.
 */
static struct m_column *
find_column(const struct m_table *t, const char *name,
            const struct m_span *span)
{
    struct m_column *first = NULL;
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        if (strcmp(t->columns[i]->name, name) != 0)
            continue;
        if (span == NULL || m_alive(&t->columns[i]->span, span->since))
            return t->columns[i];
        if (first == NULL)
            first = t->columns[i];
    }
    return first;
}

/* ------------------------------------------------------------------ */
/* Stage 1: values                                                      */
/* ------------------------------------------------------------------ */

/*
 * Fill *span from the history h as written; unwritten bounds come from
 * parent (since 1, until 0 without one).  what names the element and
 * owner its parent for messages ("column 'x'", "table 't'").  Returns
 * the number of errors reported.
 */
static int
make_span(struct checker *c, struct m_span *span,
          const struct ast_history *h, const struct m_span *parent,
          const char *what, const char *owner)
{
    int errors = 0;

    span->since = parent ? parent->since : 1;
    span->until = parent ? parent->until : 0;
    if (h->since.set) {
        long long v = h->since.value;
        span->since_pos = h->since.pos;
        if (v < 1) {
            diag_error(c->d, &h->since.pos,
                       "'since' must be at least 1 (got %lld)", v);
            errors++;
        } else if (v > c->version) {
            diag_error(c->d, &h->since.pos, "'since' %lld is after the "
                       "schema version %d", v, c->version);
            errors++;
        } else if (parent && v < parent->since) {
            diag_error(c->d, &h->since.pos, "%s since %lld is older than "
                       "its %s (since %d)", what, v, owner, parent->since);
            errors++;
        } else {
            span->since = (int)v;
        }
    }
    if (h->until.set) {
        long long v = h->until.value;
        span->until_pos = h->until.pos;
        if (v > c->version) {
            diag_error(c->d, &h->until.pos, "'until' %lld is after the "
                       "schema version %d", v, c->version);
            errors++;
        } else if (v <= span->since) {
            diag_error(c->d, &h->until.pos, "'until' %lld is not after "
                       "'since' %d", v, span->since);
            errors++;
        } else if (parent && parent->until != 0 && v > parent->until) {
            diag_error(c->d, &h->until.pos, "%s until %lld outlives its %s "
                       "(until %d)", what, v, owner, parent->until);
            errors++;
        } else {
            span->until = (int)v;
        }
    }
    return errors;
}

/*
 * Copy the renames as written into *out, checking each happens inside
 * span, after the one before, and names something else.  name is the
 * current name, what the element for messages.  Returns the number of
 * errors.
 */
static int
make_renames(struct checker *c, const struct ast_rename *in, size_t n,
             const struct m_span *span, const char *name, const char *what,
             struct m_rename **out, size_t *nout)
{
    int errors = 0;
    size_t i;

    *out = n ? arena_alloc(c->a, n * sizeof(**out)) : NULL;
    *nout = 0;
    if (n && *out == NULL)
        return 0;
    for (i = 0; i < n; i++) {
        const struct ast_rename *r = &in[i];
        long long v = r->since.value;
        const char *next = i + 1 < n ? in[i + 1].old_name.name : name;
        struct m_rename *mr = &(*out)[i];

        mr->pos = r->pos;
        mr->old_name = r->old_name.name;
        mr->version = v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v;
        if (v > c->version) {
            diag_error(c->d, &r->since.pos, "rename at version %lld is "
                       "after the schema version %d", v, c->version);
            errors++;
        } else if (v <= span->since) {
            diag_error(c->d, &r->since.pos, "rename at version %lld is not "
                       "after %s appears (since %d)", v, what, span->since);
            errors++;
        } else if (span->until != 0 && v >= span->until) {
            diag_error(c->d, &r->since.pos, "rename at version %lld is not "
                       "before %s is dropped (until %d)", v, what,
                       span->until);
            errors++;
        } else if (i > 0 && v <= in[i - 1].since.value) {
            diag_error(c->d, &r->since.pos, "rename at version %lld is not "
                       "after the rename before it (version %lld)", v,
                       (long long)in[i - 1].since.value);
            errors++;
        } else if (strcmp(r->old_name.name, next) == 0) {
            diag_error(c->d, &r->old_name.pos, "'%s' is renamed to itself",
                       next);
            errors++;
        }
    }
    *nout = n;
    return errors;
}

/*
 * Append s to b as an SQL string literal: in single quotes, each quote
 * doubled.  Returns the literal in c's arena.
 */
static const char *
sql_quote(struct checker *c, const char *s)
{
    size_t n = 2, i, o = 0;
    char *q;

    for (i = 0; s[i] != '\0'; i++)
        n += s[i] == '\'' ? 2 : 1;
    if ((q = arena_alloc(c->a, n + 1)) == NULL)
        return "''";
    q[o++] = '\'';
    for (i = 0; s[i] != '\0'; i++) {
        if (s[i] == '\'')
            q[o++] = '\'';
        q[o++] = s[i];
    }
    q[o++] = '\'';
    return q;
}

/* How a literal kind reads in "a string default does not fit ...". */
static const char *
lit_desc(enum ast_lit k)
{
    switch (k) {
    case AST_LIT_INT:           return "an integer";
    case AST_LIT_REAL:          return "a real";
    case AST_LIT_STRING:        return "a string";
    case AST_LIT_NULL:          return "a null";
    case AST_LIT_TRUE:
    case AST_LIT_FALSE:         return "a boolean";
    case AST_LIT_CURRENT_TIMESTAMP: return "a current_timestamp";
    case AST_LIT_NAME:          return "a name";
    }
    return "a";
}

/*
 * Check that the DEFAULT lit fits column col and store its SQL text in
 * con->sql.  Returns the number of errors.
 */
static int
make_default(struct checker *c, const struct m_column *col,
             const struct ast_literal *lit, struct m_constraint *con)
{
    bool fits = lit->kind == AST_LIT_NULL;

    switch (lit->kind) {
    case AST_LIT_INT:   con->sql = lit->text; break;
    case AST_LIT_REAL:  con->sql = lit->text; break;
    case AST_LIT_STRING: con->sql = sql_quote(c, lit->text); break;
    case AST_LIT_NULL:  con->sql = "NULL"; break;
    case AST_LIT_TRUE:  con->sql = "1"; break;
    case AST_LIT_FALSE: con->sql = "0"; break;
    case AST_LIT_CURRENT_TIMESTAMP: con->sql = "CURRENT_TIMESTAMP"; break;
    case AST_LIT_NAME:  con->sql = sql_quote(c, lit->text); break;
    }
    switch (col->type) {
    case M_INTEGER:
        fits = fits || lit->kind == AST_LIT_INT;
        break;
    case M_REAL:
        fits = fits || lit->kind == AST_LIT_INT || lit->kind == AST_LIT_REAL;
        break;
    case M_TEXT:
        fits = fits || lit->kind == AST_LIT_STRING;
        break;
    case M_TIMESTAMP:
        fits = fits || lit->kind == AST_LIT_STRING ||
            lit->kind == AST_LIT_CURRENT_TIMESTAMP;
        break;
    case M_BOOLEAN:
        if (fits || lit->kind == AST_LIT_TRUE || lit->kind == AST_LIT_FALSE ||
            (lit->kind == AST_LIT_INT && (lit->ival == 0 || lit->ival == 1)))
            return 0;
        diag_error(c->d, &lit->pos, "boolean column '%s' can only default "
                   "to 0, 1, true, false or null", col->name);
        return 1;
    case M_BLOB:
        if (fits)
            return 0;
        diag_error(c->d, &lit->pos, "blob column '%s' can only default to "
                   "null", col->name);
        return 1;
    case M_ENUM:
        /* A value's name, bare or quoted. */
        if (fits || ((lit->kind == AST_LIT_NAME
                      || lit->kind == AST_LIT_STRING)
                     && find_enum_value(col->enum_type, lit->text) != NULL))
            return 0;
        diag_error(c->d, &lit->pos, "'%s' is not a value of enum '%s', the "
                   "type of column '%s'", lit->text ? lit->text : "",
                   col->enum_type->name, col->name);
        return 1;
    }
    if (fits)
        return 0;
    if (lit->kind == AST_LIT_NAME)
        diag_error(c->d, &lit->pos, "a bare name default ('%s') fits only "
                   "an enum column, and '%s' is %s (a string is quoted: "
                   "'%s')", lit->text, col->name, m_type_name(col->type),
                   lit->text);
    else
        diag_error(c->d, &lit->pos, "%s default does not fit %s column "
                   "'%s'", lit_desc(lit->kind), m_type_name(col->type),
                   col->name);
    return 1;
}

/*
 * Store in *out SQLite's spelling of the collation n names (NOCASE,
 * BINARY or RTRIM, written in any case), or NULL when none was written.
 * Returns the number of errors (0 or 1).
 */
static int
make_collate(struct checker *c, const struct ast_name *n, const char **out)
{
    static const char *const known[] = { "BINARY", "NOCASE", "RTRIM" };
    size_t i;

    *out = NULL;
    if (n->name == NULL)
        return 0;
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcasecmp(n->name, known[i]) == 0) {
            *out = known[i];
            return 0;
        }
    diag_error(c->d, &n->pos, "unknown collation '%s' (SQLite has binary, "
               "nocase and rtrim)", n->name);
    return 1;
}

/*
 * Warn when a `since` probably meant for column col went to its DEFAULT
 * (the attachment rule gives it to the item just before it): the column
 * names no version of its own, exists before that one, and a default
 * that starts later is seldom what anyone means.
 */
static void
warn_default_since(struct checker *c, const struct m_column *col,
                   const struct ast_constraint *a,
                   const struct m_constraint *mc)
{
    if (!a->hist.since.set || col->span.since_pos.line != 0
        || mc->span.since <= col->span.since)
        return;
    diag_warning(c->d, &a->hist.since.pos, "'since %d' belongs to the "
                 "default of column '%s', which exists from version %d; if "
                 "the column is new at version %d, write '%s %s since %d "
                 "default ...'", mc->span.since, col->name, col->span.since,
                 mc->span.since, col->name, col->type == M_ENUM
                 ? col->enum_type->name : m_type_name(col->type),
                 mc->span.since);
}

/*
 * Build the constraints of a column or a table from the AST list in,
 * checking their history against parent and each DEFAULT against col
 * (NULL: a table, or a column whose type is unknown).  Returns the
 * number of errors.
 */
static int
make_constraints(struct checker *c, const struct ast_constraint *in,
                 size_t n, const struct m_span *parent, const char *owner,
                 struct m_column *col, struct m_constraint **out,
                 size_t *nout)
{
    int errors = 0;
    size_t i;

    *out = n ? arena_alloc(c->a, n * sizeof(**out)) : NULL;
    *nout = 0;
    if (n && *out == NULL)
        return 0;
    for (i = 0; i < n; i++) {
        const struct ast_constraint *a = &in[i];
        struct m_constraint *mc = &(*out)[i];

        mc->pos = a->pos;
        mc->kind = a->kind;
        errors += make_span(c, &mc->span, &a->hist, parent, "constraint",
                            owner);
        if (a->kind == M_C_CHECK)
            mc->sql = a->expr;
        else if (a->kind == M_C_DEFAULT && col != NULL)
            errors += make_default(c, col, &a->def, mc);
        mc->on_delete = a->on_delete.sql;
        mc->on_update = a->on_update.sql;
        mc->autoincrement = a->autoincrement;
        mc->deferrable = a->deferrable;
        mc->name = a->name.name;
        if (col != NULL && a->kind == M_C_DEFAULT)
            warn_default_since(c, col, a, mc);
        if (a->autoincrement && col != NULL && col->type != M_INTEGER) {
            diag_error(c->d, &a->autoincrement_pos, "autoincrement needs "
                       "an integer primary key, and column '%s' is %s",
                       col->name, m_type_name(col->type));
            errors++;
        }
    }
    *nout = n;
    return errors;
}

/*
 * Set *out to the SQL name given as n (`sql "..."`), or to name when none
 * was given.  An empty SQL name is refused.  Returns the number of
 * errors.
 */
static int
make_sql_name(struct checker *c, const struct ast_name *n, const char *name,
              const char **out)
{
    *out = n->name != NULL ? n->name : name;
    if (n->name == NULL || n->name[0] != '\0')
        return 0;
    diag_error(c->d, &n->pos, "the SQL name of '%s' is empty", name);
    *out = name;
    return 1;
}

/*
 * Check what SQLite refuses on a generated column col: a key or a
 * default (its value is always the expression's).  Returns the number
 * of errors.
 */
static int
check_generated(struct checker *c, const struct m_column *col)
{
    int errors = 0;
    size_t i;

    for (i = 0; i < col->nconstraints; i++) {
        const struct m_constraint *k = &col->constraints[i];
        if (k->kind != M_C_PRIMARY_KEY && k->kind != M_C_DEFAULT)
            continue;
        diag_error(c->d, &k->pos, "generated column '%s' cannot %s (SQLite "
                   "computes its value)", col->name,
                   k->kind == M_C_DEFAULT ? "have a default"
                   : "be part of the primary key");
        errors++;
    }
    return errors;
}

/*
 * Build column number i of table t from a, with its span, renames and
 * constraints.  Returns the number of errors.
 */
static int
make_column(struct checker *c, struct m_table *t, const struct ast_column *a,
            struct m_column *col)
{
    const char *what = arena_printf(c->a, "column '%s'", a->name);
    const char *owner = arena_printf(c->a, "table '%s'", t->name);
    int errors = 0, type_errors;
    size_t i;

    col->pos = a->pos;
    col->name = a->name;
    col->doc = a->doc;
    col->table = t;
    if (what == NULL || owner == NULL)
        return 0;
    errors += make_sql_name(c, &a->sql_name, a->name, &col->sql_name);
    if (strcasecmp(a->name, "constraint") == 0
        && find_type(a->type.name, &col->type) != 0) {
        /* "constraint pos foreign key ..." reads as a column of type
         * pos. */
        diag_error(c->d, &a->pos, "'constraint %s' must be followed by "
                   "'check', 'unique' or 'primary key'", a->type.name);
        type_errors = 1;
    } else {
        type_errors = resolve_type(c, &a->type, &col->type,
                                   &col->enum_type);
    }
    errors += make_collate(c, &a->collate, &col->collate);
    errors += make_span(c, &col->span, &a->hist, &t->span, what, owner);
    errors += make_renames(c, a->renames, a->nrenames, &col->span, a->name,
                           what, &col->renames, &col->nrenames);
    /* Without a type, defaults cannot be checked. */
    errors += make_constraints(c, a->constraints, a->nconstraints,
                               &col->span, what,
                               type_errors ? NULL : col, &col->constraints,
                               &col->nconstraints);
    errors += type_errors;
    col->generated = a->generated;
    col->stored = a->stored;
    if (col->generated != NULL)
        errors += check_generated(c, col);
    /* NOT NULL with DEFAULT null can never insert a default row. */
    for (i = 0; i < col->nconstraints; i++) {
        const struct m_constraint *nn = &col->constraints[i];
        size_t j;
        if (nn->kind != M_C_NOT_NULL)
            continue;
        for (j = 0; j < col->nconstraints; j++) {
            const struct m_constraint *df = &col->constraints[j];
            if (df->kind == M_C_DEFAULT &&
                a->constraints[j].def.kind == AST_LIT_NULL &&
                m_overlap(&nn->span, &df->span)) {
                diag_error(c->d, &df->pos, "not null column '%s' cannot "
                           "default to null", col->name);
                errors++;
            }
        }
    }
    return errors;
}

/*
 * The span of unversioned index a of table t: the current version, where
 * its table and columns must be.  It has no `since`, and may not be
 * unique (a UNIQUE index changes what the file accepts, which only a
 * version may).  `until N` retires it: from then on the runtime only
 * drops it, so neither its table nor its columns need to be there; its
 * span is then [N, N), alive at no version.  Returns the number of
 * errors.
 */
static int
make_unversioned(struct checker *c, const struct m_table *t,
                 const struct ast_index *a, struct m_span *span)
{
    const struct ast_version *until = &a->hist.until;
    int errors = 0;

    memset(span, 0, sizeof(*span));
    span->since = c->version;
    if (a->hist.since.set) {
        diag_error(c->d, &a->hist.since.pos, "index '%s' is unversioned "
                   "(%d:%d): it has no 'since' (a version it came at)",
                   a->name, a->unversioned.line, a->unversioned.col);
        errors++;
    }
    if (until->set && (until->value < 2 || until->value > c->version)) {
        diag_error(c->d, &until->pos, "'until' %lld of unversioned index "
                   "'%s' must be from 2 to the schema version %d",
                   (long long)until->value, a->name, c->version);
        errors++;
    } else if (until->set) {
        span->since = span->until = (int)until->value;
        span->until_pos = until->pos;
    }
    if (a->unique) {
        diag_error(c->d, &a->unversioned, "unique index '%s' cannot be "
                   "unversioned: a unique index changes what the database "
                   "accepts, which only a version may", a->name);
        errors++;
    }
    if (!until->set && !m_alive(&t->span, c->version)) {
        diag_error(c->d, &a->unversioned, "index '%s' is unversioned, but "
                   "its table '%s' is not in the current version %d (retire "
                   "it with 'until')", a->name, t->name, c->version);
        errors++;
    }
    return errors;
}

/*
 * Build index a of table t (columns resolved in stage 2).  Returns the
 * number of errors.
 */
static int
make_index(struct checker *c, struct m_table *t, const struct ast_index *a,
           struct m_index *ix)
{
    const char *what = arena_printf(c->a, "index '%s'", a->name);
    const char *owner = arena_printf(c->a, "table '%s'", t->name);

    ix->pos = a->name_pos;
    ix->name = a->name;
    ix->unique = a->unique;
    ix->where = a->where;
    ix->table = t;
    ix->ncolumns = 0;
    ix->columns = arena_alloc(c->a, (a->ncolumns ? a->ncolumns : 1) *
                              sizeof(*ix->columns));
    if (what == NULL || owner == NULL || ix->columns == NULL)
        return 0;
    ix->unversioned = a->unversioned.line != 0;
    ix->retired = ix->unversioned && a->hist.until.set;
    /* A retired index is only dropped, by its name: nothing else of its
     * definition is read (check_index() leaves its columns out too), so
     * no check of any dialect can refuse it. */
    if (ix->retired)
        ix->where = NULL;
    if (ix->unversioned)
        return make_unversioned(c, t, a, &ix->span);
    return make_span(c, &ix->span, &a->hist, &t->span, what, owner);
}

/* Build table a with its members.  Returns the number of errors. */
static int
make_table(struct checker *c, const struct ast_table *a, struct m_table *t)
{
    const char *what = arena_printf(c->a, "table '%s'", a->name);
    int errors = 0;
    size_t i;

    t->pos = a->pos;
    t->name = a->name;
    t->doc = a->doc;
    t->strict = a->strict;
    t->without_rowid = a->without_rowid;
    if (what == NULL)
        return 0;
    errors += make_sql_name(c, &a->sql_name, a->name, &t->sql_name);
    errors += make_span(c, &t->span, &a->hist, NULL, what, NULL);
    errors += make_renames(c, a->renames, a->nrenames, &t->span, a->name,
                           what, &t->renames, &t->nrenames);
    t->columns = arena_alloc(c->a, (a->ncolumns ? a->ncolumns : 1) *
                             sizeof(*t->columns));
    t->indexes = arena_alloc(c->a, (a->nindexes ? a->nindexes : 1) *
                             sizeof(*t->indexes));
    if (t->columns == NULL || t->indexes == NULL)
        return errors;
    for (i = 0; i < a->ncolumns; i++) {
        struct m_column *col = arena_alloc(c->a, sizeof(*col));
        if (col == NULL)
            return errors;
        errors += make_column(c, t, &a->columns[i], col);
        t->columns[t->ncolumns++] = col;
    }
    for (i = 0; i < a->nindexes; i++) {
        struct m_index *ix = arena_alloc(c->a, sizeof(*ix));
        if (ix == NULL)
            return errors;
        errors += make_index(c, t, &a->indexes[i], ix);
        t->indexes[t->nindexes++] = ix;
    }
    errors += make_constraints(c, a->constraints, a->nconstraints,
                               &t->span, what, NULL, &t->constraints,
                               &t->nconstraints);
    return errors;
}

/* Check the options and store their values in the model.  Returns the
 * number of errors. */
static int
check_options(struct checker *c)
{
    const struct ast_schema *s = c->s;
    int errors = 0;
    size_t i, j;

    for (i = 0; i < s->noptions; i++) {
        const struct ast_option *o = &s->options[i];
        bool dup = false;

        for (j = 0; j < i && !dup; j++)
            if (strcmp(s->options[j].name, o->name) == 0) {
                diag_error(c->d, &o->pos, "option '%s' set twice (first at "
                           "%d:%d)", o->name, s->options[j].pos.line,
                           s->options[j].pos.col);
                errors++;
                dup = true;
            }
        if (dup)
            continue;
        if (strcmp(o->name, "version_table") == 0) {
            if (o->kind != AST_V_IDENT) {
                diag_error(c->d, &o->value_pos, "option 'version_table' "
                           "needs a table name");
                errors++;
            } else {
                c->m->version_table = o->value;
                c->version_table = o;
            }
        } else if (strcmp(o->name, "default_path") == 0) {
            if (o->kind != AST_V_STRING || o->value[0] == '\0') {
                diag_error(c->d, &o->value_pos, "option 'default_path' "
                           "needs a non-empty string");
                errors++;
            } else {
                c->m->default_path = o->value;
            }
        } else {
            diag_error(c->d, &o->pos, "unknown option '%s'", o->name);
            errors++;
        }
    }
    return errors;
}

/*
 * Resolve the replaced_by of each value of e (written as a): a value of
 * e alive at the version the replaced one goes, given only on a value
 * that goes.  Returns the number of errors.
 */
static int
resolve_replacements(struct checker *c, const struct ast_enum *a,
                     struct m_enum *e)
{
    int errors = 0;
    size_t i, j;

    for (i = 0, j = 0; i < a->nvalues && j < e->nvalues; i++) {
        const struct ast_enum_value *av = &a->values[i];
        struct m_enum_value *v = &e->values[j];
        const struct m_enum_value *r;
        if (strcmp(v->name, av->name) != 0 || v->pos.line != av->pos.line
            || v->pos.col != av->pos.col)
            continue;           /* a duplicate, already reported */
        j++;
        if (av->replaced_by.name == NULL)
            continue;
        r = find_enum_value(e, av->replaced_by.name);
        if (v->span.until == 0) {
            diag_error(c->d, &av->replaced_by.pos, "value '%s' of enum '%s' "
                       "is never removed, so nothing replaces it", v->name,
                       e->name);
            errors++;
        } else if (r == NULL || r == v || !m_alive(&r->span, v->span.until)) {
            diag_error(c->d, &av->replaced_by.pos, "'%s' is not a value of "
                       "enum '%s' at version %d, where it would replace "
                       "'%s'", av->replaced_by.name, e->name, v->span.until,
                       v->name);
            errors++;
        } else {
            v->replaced_by = r;
        }
    }
    return errors;
}

/*
 * The length of the word (letters, digits, '_') at p, or of the quoted
 * name there ("x", `x`, [x]) with its quotes; 0 for neither.
 */
static size_t
sql_word(const char *p)
{
    const char *q = p;
    char close;

    if (*p == '"' || *p == '`' || *p == '[') {
        close = *p == '[' ? ']' : *p;
        for (q = p + 1; *q != '\0' && *q != close; q++)
            ;
        return *q == close ? (size_t)(q + 1 - p) : 0;
    }
    while (isalnum((unsigned char)*q) || *q == '_')
        q++;
    return (size_t)(q - p);
}

/* True when the word of n bytes at p is w, or w quoted, in any case. */
static bool
word_is(const char *p, size_t n, const char *w)
{
    size_t len = strlen(w);

    if (n == len + 2 && (*p == '"' || *p == '`' || *p == '['))
        return strncasecmp(p + 1, w, len) == 0;
    return n == len && strncasecmp(p, w, len) == 0;
}

/*
 * Check that trigger t's text starts "CREATE TRIGGER NAME" (any case and
 * spacing, the name perhaps quoted): it is the statement the runtime runs,
 * and a TEMP trigger or another name would not be the trigger the schema
 * declares.  Returns the number of errors (0 or 1).
 */
static int
check_trigger_text(struct checker *c, const struct m_object *t)
{
    /* The words to find, the third (NULL) being the trigger's name. */
    static const char *const head[] = { "create", "trigger", NULL };
    const char *p = t->sql;
    size_t n, k;

    for (k = 0; k < 3; k++) {
        while (isspace((unsigned char)*p))
            p++;
        n = sql_word(p);
        if (!word_is(p, n, head[k] != NULL ? head[k] : t->name)) {
            diag_error(c->d, &t->sql_pos, "trigger '%s' must be the "
                       "statement \"CREATE TRIGGER %s ...\" (no TEMP, no IF "
                       "NOT EXISTS, the same name)", t->name, t->name);
            return 1;
        }
        p += n;
    }
    return 0;
}

/* The statement that creates view v: "CREATE VIEW name AS select". */
static const char *
view_sql(struct checker *c, const struct m_object *v)
{
    struct strbuf sb = { 0 };
    const char *sql;

    sb_adds(&sb, "CREATE VIEW ");
    ddl_ident(&sb, v->name);
    sb_printf(&sb, " AS %s", v->select);
    sql = sb.failed ? NULL : arena_strdup(c->a, sb_str(&sb));
    sb_free(&sb);
    return sql;
}

/*
 * Build the triggers of the schema, or with is_view its views: names
 * unique among them, history within the schema's versions, a trigger's
 * text creating that trigger (whether it loads, and what a view's SELECT
 * gives, is proven with each version's DDL and the queries).  Returns the
 * number of errors.
 */
static int
make_objects(struct checker *c, bool is_view)
{
    const struct ast_schema *s = c->s;
    const struct ast_trigger *in = is_view ? s->views : s->triggers;
    size_t nin = is_view ? s->nviews : s->ntriggers;
    const char *kind = is_view ? "view" : "trigger";
    struct m_object *out;
    size_t i, j, n = 0;
    int errors = 0;

    if ((out = arena_alloc(c->a, (nin + 1) * sizeof(*out))) == NULL)
        return 0;
    for (i = 0; i < nin; i++) {
        const struct ast_trigger *a = &in[i];
        struct m_object *t = &out[n];
        const char *what = arena_printf(c->a, "%s '%s'", kind, a->name);

        for (j = 0; j < n && strcasecmp(out[j].name, a->name) != 0; j++)
            ;
        if (j < n) {
            diag_error(c->d, &a->pos, "duplicate %s '%s' (first declared "
                       "at %d:%d)", kind, a->name, out[j].pos.line,
                       out[j].pos.col);
            errors++;
            continue;
        }
        if (what == NULL)
            return errors;
        t->pos = a->pos;
        t->name = a->name;
        t->doc = a->doc;
        t->is_view = is_view;
        t->sql = a->sql;
        t->sql_pos = a->sql_pos;
        t->sql_body = a->sql_body;
        t->sql_body_len = a->sql_body_len;
        t->pg = a->pg;
        errors += make_span(c, &t->span, &a->hist, NULL, kind, what);
        if (is_view) {
            t->select = a->sql;
            if ((t->sql = view_sql(c, t)) == NULL)
                return errors;
        } else {
            errors += check_trigger_text(c, t);
        }
        n++;
    }
    if (is_view) {
        c->m->views = out;
        c->m->nviews = n;
    } else {
        c->m->triggers = out;
        c->m->ntriggers = n;
    }
    return errors;
}

/*
 * Build the enums of the schema (before the tables, whose columns use
 * them): names unique among enums and types, values unique within their
 * enum, at least one value, each value's history within the schema's
 * versions.  Returns the number of errors.
 */
static int
make_enums(struct checker *c)
{
    const struct ast_schema *s = c->s;
    struct model *m = c->m;
    enum m_type builtin;
    int errors = 0;
    size_t i, j;

    m->enums = arena_alloc(c->a, (s->nenums + 1) * sizeof(*m->enums));
    if (m->enums == NULL)
        return 0;
    for (i = 0; i < s->nenums; i++) {
        const struct ast_enum *a = &s->enums[i];
        struct m_enum *e = &m->enums[m->nenums];
        const struct m_enum *first = find_enum(c, a->name);
        const char *what = arena_printf(c->a, "enum '%s'", a->name);

        if (first != NULL || find_type(a->name, &builtin) == 0) {
            if (first != NULL)
                diag_error(c->d, &a->pos, "duplicate enum '%s' (first "
                           "declared at %d:%d)", a->name, first->pos.line,
                           first->pos.col);
            else
                diag_error(c->d, &a->pos, "enum '%s' has the name of a "
                           "built-in type", a->name);
            errors++;
            continue;
        }
        e->pos = a->pos;
        e->name = a->name;
        e->doc = a->doc;
        e->values = arena_alloc(c->a, (a->nvalues + 1) * sizeof(*e->values));
        if (e->values == NULL || what == NULL)
            return errors;
        for (j = 0; j < a->nvalues; j++) {
            const struct ast_enum_value *av = &a->values[j];
            const struct m_enum_value *dup = find_enum_value(e, av->name);
            struct m_enum_value *v = &e->values[e->nvalues];
            if (dup != NULL) {
                diag_error(c->d, &av->pos, "duplicate value '%s' in enum "
                           "'%s' (first at %d:%d)", av->name, a->name,
                           dup->pos.line, dup->pos.col);
                errors++;
                continue;
            }
            v->pos = av->pos;
            v->name = av->name;
            v->doc = av->doc;
            errors += make_span(c, &v->span, &av->hist, NULL, "value", what);
            e->nvalues++;
        }
        errors += resolve_replacements(c, a, e);
        m->nenums++;
    }
    return errors;
}

/*
 * Stage 1: build the model's nodes from the AST, checking every value
 * that needs no name resolved.  Returns the number of errors.
 */
static int
check_values(struct checker *c)
{
    const struct ast_schema *s = c->s;
    struct model *m = c->m;
    int errors = 0;
    size_t i;

    m->pos = s->pos;
    m->name = s->name;
    m->doc = s->doc;
    if (s->version.value < 1) {
        diag_error(c->d, &s->version.pos, "schema version must be at least "
                   "1 (got %lld)", (long long)s->version.value);
        errors++;
    } else if (s->version.value > INT_MAX) {
        diag_error(c->d, &s->version.pos, "schema version %lld is too large "
                   "(limit is %d)", (long long)s->version.value, INT_MAX);
        errors++;
    } else {
        c->version = (int)s->version.value;
    }
    m->version = c->version;
    errors += check_options(c);
    errors += make_enums(c);
    errors += make_objects(c, false);
    errors += make_objects(c, true);

    /* One slot more for a synthesized version table. */
    m->tables = arena_alloc(c->a, (s->ntables + 1) * sizeof(*m->tables));
    c->src = arena_alloc(c->a, (s->ntables + 1) * sizeof(*c->src));
    if (m->tables == NULL || c->src == NULL)
        return errors;
    for (i = 0; i < s->ntables; i++) {
        struct m_table *t = arena_alloc(c->a, sizeof(*t));
        if (t == NULL)
            return errors;
        errors += make_table(c, &s->tables[i], t);
        c->src[m->ntables] = &s->tables[i];
        m->tables[m->ntables++] = t;
    }

    m->migrations = arena_alloc(c->a, (s->nmigrations ? s->nmigrations : 1) *
                                sizeof(*m->migrations));
    if (m->migrations == NULL)
        return errors;
    for (i = 0; i < s->nmigrations; i++) {
        const struct ast_migration *a = &s->migrations[i];
        struct m_migration *mg = &m->migrations[m->nmigrations++];
        long long v = a->version.value;

        mg->pos = a->pos;
        mg->sql = a->sql;
        mg->sql_pos = a->sql_pos;
        mg->sql_body = a->sql_body;
        mg->sql_body_len = a->sql_body_len;
        mg->version = v < 0 ? 0 : v > INT_MAX ? INT_MAX : (int)v;
        if (v < 2 || v > c->version) {
            diag_error(c->d, &a->version.pos, "migration version must be "
                       "between 2 and the schema version %d (got %lld)",
                       c->version, v);
            errors++;
        }
    }

    m->queries = arena_alloc(c->a, (s->nqueries ? s->nqueries : 1) *
                             sizeof(*m->queries));
    if (m->queries == NULL)
        return errors;
    for (i = 0; i < s->nqueries; i++) {
        const struct ast_query *a = &s->queries[i];
        struct m_query *q = &m->queries[m->nqueries++];
        size_t j;

        q->pos = a->pos;
        q->name = a->name;
        q->noun = "query";
        q->doc = a->doc;
        q->kind = a->kind;
        q->sql = a->sql;
        q->sql_pos = a->sql_pos;
        q->sql_body = a->sql_body;
        q->sql_body_len = a->sql_body_len;
        q->pg = a->pg;
        q->kind_pos = a->kind_pos;
        q->returns_pos = a->returns.pos;
        q->params = arena_alloc(c->a, (a->nparams ? a->nparams : 1) *
                                sizeof(*q->params));
        if (q->params == NULL)
            return errors;
        for (j = 0; j < a->nparams; j++) {
            struct m_param *pa = &q->params[q->nparams++];
            pa->pos = a->params[j].pos;
            pa->name = a->params[j].name;
            errors += resolve_type(c, &a->params[j].type, &pa->type,
                                   &pa->enum_type);
        }
    }
    return errors;
}

/* ------------------------------------------------------------------ */
/* Stage 2: names                                                       */
/* ------------------------------------------------------------------ */

/*
 * Resolve the column names list[0..n) of table t into *out; what names
 * the user for messages ("index 'i'"); of a name declared twice, the
 * declaration alive at span's start.  Returns the number of errors.
 */
static int
resolve_columns(struct checker *c, const struct m_table *t,
                const struct ast_name *list, size_t n, const char *what,
                const struct m_span *span, struct m_column **out)
{
    int errors = 0;
    size_t i, j;

    for (i = 0; i < n; i++) {
        out[i] = find_column(t, list[i].name, span);
        if (out[i] == NULL) {
            diag_error(c->d, &list[i].pos, "table '%s' has no column '%s'",
                       t->name, list[i].name);
            errors++;
            continue;
        }
        for (j = 0; j < i; j++)
            if (out[j] == out[i]) {
                diag_error(c->d, &list[i].pos, "column '%s' appears twice "
                           "in %s", list[i].name, what);
                errors++;
                break;
            }
    }
    return errors;
}

/* Report a generated column in the table primary key k.  Returns the
 * number of errors. */
static int
check_key_not_generated(struct checker *c, const struct m_constraint *k)
{
    size_t i;

    for (i = 0; i < k->ncolumns; i++)
        if (k->columns[i] != NULL && k->columns[i]->generated != NULL) {
            diag_error(c->d, &k->pos, "generated column '%s' cannot be part "
                       "of the primary key (SQLite computes its value)",
                       k->columns[i]->name);
            return 1;
        }
    return 0;
}

/* True when the n columns cols are, as a set, exactly the columns of
 * the list have[0..nhave). */
static bool
same_columns(struct m_column *const *cols, size_t n,
             struct m_column *const *have, size_t nhave)
{
    size_t i, j;

    if (n != nhave)
        return false;
    for (i = 0; i < n; i++) {
        for (j = 0; j < nhave && have[j] != cols[i]; j++)
            ;
        if (j == nhave)
            return false;
    }
    return true;
}

/* True when index ix is unique at version v, whole (no WHERE) and over
 * exactly the n columns cols, in any order. */
static bool
is_unique_index_on(const struct m_index *ix, struct m_column *const *cols,
                   size_t n, int v)
{
    size_t i, j;

    if (!ix->unique || ix->where != NULL || ix->ncolumns != n
        || !m_alive(&ix->span, v))
        return false;
    for (i = 0; i < n; i++) {
        for (j = 0; j < n && ix->columns[j].column != cols[i]; j++)
            ;
        if (j == n)
            return false;
    }
    return true;
}

/* True when constraint k makes its columns unique at version v. */
static bool
makes_unique(const struct m_constraint *k, int v)
{
    return (k->kind == M_C_PRIMARY_KEY || k->kind == M_C_UNIQUE)
        && m_alive(&k->span, v);
}

/* True when the n columns cols of t are together a primary key or unique
 * at version v (by a constraint or a whole unique index over exactly
 * them), as the parent key of a foreign key must be. */
static bool
is_unique_key(const struct m_table *t, struct m_column *const *cols,
              size_t n, int v)
{
    size_t i;

    for (i = 0; n == 1 && i < cols[0]->nconstraints; i++)
        if (makes_unique(&cols[0]->constraints[i], v))
            return true;
    for (i = 0; i < t->nconstraints; i++)
        if (makes_unique(&t->constraints[i], v) &&
            same_columns(cols, n, t->constraints[i].columns,
                         t->constraints[i].ncolumns))
            return true;
    for (i = 0; i < t->nindexes; i++)
        if (is_unique_index_on(t->indexes[i], cols, n, v))
            return true;
    return false;
}

/*
 * Resolve the parent of the REFERENCES constraint con (AST a): a
 * column's (col) names one parent column, a table's as many as its own
 * columns.  Returns the number of errors.
 */
static int
resolve_reference(struct checker *c, const struct m_column *col,
                  const struct ast_constraint *a, struct m_constraint *con)
{
    size_t want = col != NULL ? 1 : a->ncolumns;

    con->ref_table = find_table(c, a->ref_table.name, NULL);
    if (con->ref_table == NULL) {
        diag_error(c->d, &a->ref_table.pos, "unknown table '%s'",
                   a->ref_table.name);
        return 1;
    }
    if (a->nref_columns != want) {
        diag_error(c->d, &a->ref_columns[0].pos, "the foreign key has %zu "
                   "column%s and names %zu in table '%s'%s", want,
                   want == 1 ? "" : "s", a->nref_columns,
                   con->ref_table->name, col != NULL ? " (a key over "
                   "several columns is a table's 'foreign key (...)')" : "");
        return 1;
    }
    con->ref_columns = arena_alloc(c->a, want * sizeof(*con->ref_columns));
    if (con->ref_columns == NULL)
        return 0;
    con->nref_columns = want;
    return resolve_columns(c, con->ref_table, a->ref_columns, want,
                           "the foreign key's parent columns", &con->span,
                           con->ref_columns);
}

/* True when the parent table and columns of con are alive at v (where
 * they are not, history_check() reports it). */
static bool
parent_alive(const struct m_constraint *con, int v)
{
    size_t i;

    if (!m_alive(&con->ref_table->span, v))
        return false;
    for (i = 0; i < con->nref_columns; i++)
        if (!m_alive(&con->ref_columns[i]->span, v))
            return false;
    return true;
}

/* Report the foreign key con (on column col, or on its table when col
 * is NULL) unless its parent columns are a key of the parent table.
 * Returns the number of errors. */
static int
check_parent_key(struct checker *c, const struct m_column *col,
                 const struct m_constraint *con)
{
    int v, last = con->span.until ? con->span.until - 1 : c->m->version;

    if (con->ref_columns == NULL)
        return 0;
    for (v = con->span.since; v <= last; v++)
        if (parent_alive(con, v)
            && !is_unique_key(con->ref_table, con->ref_columns,
                              con->nref_columns, v))
            break;
    if (v > last)
        return 0;
    if (v > con->span.since)
        diag_error(c->d, &con->pos, "the foreign key's parent columns in "
                   "table '%s' are no longer its primary key or unique at "
                   "version %d, where the key still refers to them",
                   con->ref_table->name, v);
    else if (con->nref_columns == 1)
        diag_error(c->d, &con->pos, "column '%s.%s' is neither primary key "
                   "nor unique, so '%s' cannot reference it",
                   con->ref_table->name, con->ref_columns[0]->name,
                   col != NULL ? col->name : con->columns[0]->name);
    else
        diag_error(c->d, &con->pos, "the columns the foreign key names in "
                   "table '%s' are neither its primary key nor unique "
                   "together (a constraint or unique index over exactly "
                   "them)", con->ref_table->name);
    return 1;
}

/*
 * Check the references of every column and table once all lists are
 * resolved: SQLite needs the parent key to be a primary key or unique.
 * Returns the number of errors.
 */
static int
check_parent_keys(struct checker *c)
{
    int errors = 0;
    size_t i, j, k;

    for (i = 0; i < c->m->ntables; i++) {
        const struct m_table *t = c->m->tables[i];
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *col = t->columns[j];
            for (k = 0; k < col->nconstraints; k++)
                if (col->constraints[k].kind == M_C_REFERENCES)
                    errors += check_parent_key(c, col, &col->constraints[k]);
        }
        for (k = 0; k < t->nconstraints; k++)
            if (t->constraints[k].kind == M_C_REFERENCES)
                errors += check_parent_key(c, NULL, &t->constraints[k]);
    }
    return errors;
}

/*
 * Check table t has at most one primary key and no column carries the
 * same constraint twice at once.  Returns the number of errors.
 */
static int
check_keys(struct checker *c, const struct m_table *t)
{
    const struct m_constraint *first = NULL;
    int errors = 0;
    size_t i, j, k;

    for (i = 0; i <= t->ncolumns; i++) {
        const struct m_constraint *list = i < t->ncolumns
            ? t->columns[i]->constraints : t->constraints;
        size_t n = i < t->ncolumns ? t->columns[i]->nconstraints
            : t->nconstraints;
        for (j = 0; j < n; j++) {
            if (list[j].kind != M_C_PRIMARY_KEY)
                continue;
            if (first != NULL && m_overlap(&first->span, &list[j].span)) {
                diag_error(c->d, &list[j].pos, "table '%s' has more than "
                           "one primary key (first at %d:%d)", t->name,
                           first->pos.line, first->pos.col);
                errors++;
            } else if (first == NULL) {
                first = &list[j];
            }
        }
    }
    if (t->without_rowid && first == NULL) {
        diag_error(c->d, &t->pos, "table '%s' is 'without rowid', which "
                   "needs a primary key", t->name);
        errors++;
    }
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *col = t->columns[i];
        static const char *const names[] = {
            "primary key", "not null", "unique", "default", "check",
            "references"
        };
        for (j = 0; j < col->nconstraints; j++)
            for (k = 0; k < j; k++) {
                const struct m_constraint *a = &col->constraints[k];
                const struct m_constraint *b = &col->constraints[j];
                if (a->kind != b->kind || b->kind == M_C_CHECK ||
                    b->kind == M_C_PRIMARY_KEY
                    || !m_overlap(&a->span, &b->span))
                    continue;
                diag_error(c->d, &b->pos, "'%s' given twice on column '%s' "
                           "(first at %d:%d)", names[b->kind], col->name,
                           a->pos.line, a->pos.col);
                errors++;
                break;
            }
    }
    return errors;
}

/*
 * Check the version table named by the option: synthesize it when no
 * table has its name, else require exactly `version integer primary
 * key` in every version.  Returns the number of errors.
 */
static int
check_version_table(struct checker *c)
{
    const struct ast_option *o = c->version_table;
    struct model *m = c->m;
    struct m_table *t;
    struct m_column *col;
    size_t i;

    if (o == NULL)
        return 0;
    if ((t = find_table(c, o->value, NULL)) != NULL) {
        const struct m_constraint *k;
        t->is_version_table = true;
        col = t->ncolumns == 1 ? t->columns[0] : NULL;
        k = col && col->nconstraints == 1 ? &col->constraints[0] : NULL;
        if (col == NULL || strcmp(col->name, "version") != 0 ||
            col->type != M_INTEGER || k == NULL ||
            k->kind != M_C_PRIMARY_KEY || t->nconstraints != 0 ||
            t->nindexes != 0) {
            diag_error(c->d, &t->pos, "version table '%s' must have exactly "
                       "one column, 'version integer primary key'", t->name);
            return 1;
        }
        if (t->span.since != 1 || t->span.until != 0 || t->nrenames != 0 ||
            col->span.since != 1 || col->span.until != 0 ||
            col->nrenames != 0 || k->span.since != 1 || k->span.until != 0) {
            diag_error(c->d, &t->pos, "version table '%s' must exist "
                       "unchanged in every version", t->name);
            return 1;
        }
        return 0;
    }
    t = arena_alloc(c->a, sizeof(*t));
    col = arena_alloc(c->a, sizeof(*col));
    if (t == NULL || col == NULL ||
        (t->columns = arena_alloc(c->a, sizeof(*t->columns))) == NULL ||
        (col->constraints = arena_alloc(c->a, sizeof(*col->constraints)))
        == NULL)
        return 0;
    t->pos = o->value_pos;
    t->name = o->value;
    t->sql_name = o->value;
    t->span.since = 1;
    t->is_version_table = true;
    t->columns[0] = col;
    t->ncolumns = 1;
    col->pos = o->value_pos;
    col->name = "version";
    col->sql_name = "version";
    col->type = M_INTEGER;
    col->span.since = 1;
    col->table = t;
    col->constraints[0].pos = o->value_pos;
    col->constraints[0].kind = M_C_PRIMARY_KEY;
    col->constraints[0].span.since = 1;
    col->nconstraints = 1;
    for (i = m->ntables; i > 0; i--) {
        m->tables[i] = m->tables[i - 1];
        c->src[i] = c->src[i - 1];
    }
    m->tables[0] = t;
    c->src[0] = NULL;
    m->ntables++;
    return 0;
}

/*
 * Resolve `returns NAME` of query i, where no table is named NAME, to a
 * query declared before it that returns rows (the SQL checks of
 * queries.c then decide the rows of the two in order).  Returns the
 * number of errors.
 */
static int
returns_query(struct checker *c, size_t i, const struct ast_name *name)
{
    struct m_query *q = &c->m->queries[i], *r = NULL;
    size_t j;

    for (j = 0; j < c->m->nqueries && r == NULL; j++)
        if (strcmp(c->m->queries[j].name, name->name) == 0)
            r = &c->m->queries[j];
    if (r == NULL) {
        diag_error(c->d, &name->pos, "unknown table or query '%s'",
                   name->name);
        return 1;
    }
    if (r == q) {
        diag_error(c->d, &name->pos, "query '%s' cannot return its own "
                   "rows", q->name);
        return 1;
    }
    if (r > q) {
        diag_error(c->d, &name->pos, "query '%s' is declared after '%s' "
                   "(at %d:%d): a query returns the rows of a query "
                   "declared before it", r->name, q->name, r->pos.line,
                   r->pos.col);
        return 1;
    }
    if (r->kind == M_Q_EXEC) {
        diag_error(c->d, &name->pos, "query '%s' is exec and returns no "
                   "rows, so '%s' cannot return its rows", r->name,
                   q->name);
        return 1;
    }
    q->returns_query = r;
    return 0;
}

/* Check query names, parameters and result tables.  Returns the number
 * of errors. */
static int
check_queries(struct checker *c)
{
    int errors = 0;
    size_t i, j, k;

    for (i = 0; i < c->m->nqueries; i++) {
        struct m_query *q = &c->m->queries[i];
        const struct ast_query *a = &c->s->queries[i];

        for (j = 0; j < i; j++)
            if (strcmp(c->m->queries[j].name, q->name) == 0) {
                diag_error(c->d, &q->pos, "duplicate query '%s' (first "
                           "declared at %d:%d)", q->name,
                           c->m->queries[j].pos.line,
                           c->m->queries[j].pos.col);
                errors++;
                break;
            }
        for (j = 0; j < q->nparams; j++)
            for (k = 0; k < j; k++)
                if (strcmp(q->params[k].name, q->params[j].name) == 0) {
                    diag_error(c->d, &q->params[j].pos, "duplicate "
                               "parameter '%s' (first declared at %d:%d)",
                               q->params[j].name, q->params[k].pos.line,
                               q->params[k].pos.col);
                    errors++;
                    break;
                }
        if (a->returns.name == NULL)
            continue;
        if (q->kind == M_Q_EXEC) {
            diag_error(c->d, &a->returns.pos, "exec query '%s' returns no "
                       "rows, so it cannot return '%s'", q->name,
                       a->returns.name);
            errors++;
            continue;
        }
        q->returns = find_table(c, a->returns.name, NULL);
        if (q->returns == NULL) {
            errors += returns_query(c, i, &a->returns);
        } else if (!m_alive(&q->returns->span, c->version)) {
            diag_error(c->d, &a->returns.pos, "table '%s' is dropped at "
                       "version %d, so query '%s' cannot return it",
                       a->returns.name, q->returns->span.until, q->name);
            errors++;
        }
    }
    return errors;
}

/*
 * Report name as a duplicate when ix already holds an element of that
 * name alive at a version of span, then add it (duplicates too, so later
 * lookups find the first declaration).  kind names the elements.
 * Returns the number of errors (0 or 1).
 */
static int
add_unique(struct checker *c, struct name_index *ix, const char *kind,
           const char *name, const struct m_span *span,
           const struct pos *pos, void *item)
{
    const struct name_entry *first = names_find(ix, name, span);

    if (first != NULL)
        diag_error(c->d, pos, "duplicate %s '%s' (first declared at %d:%d)",
                   kind, name, first->pos->line, first->pos->col);
    names_add(ix, c->a, name, span, pos, item);
    return first != NULL;
}

/*
 * Check index ix of t (written as ai): its name is unique among indexes
 * (all_ix) and no table's (an unversioned index's at every version: the
 * runtime drops it by name before each migration), and its columns exist
 * in t, each once.  Fills
 * ix->columns; an expression is kept as text, which SQLite checks when
 * the migration proof creates each version the index lives in.  Returns
 * the number of errors.
 */
static int
check_index(struct checker *c, struct m_table *t, struct m_index *ix,
            const struct ast_index *ai, struct name_index *all_ix)
{
    static const struct m_span always = { 1, 0, { NULL, 0, 0 }, { NULL, 0, 0 } };
    const struct m_span *named = ix->unversioned ? &always : &ix->span;
    const struct m_table *clash;
    struct m_column **cols;
    int errors = 0;
    size_t k, e;

    errors += add_unique(c, all_ix, "index", ix->name, named, &ix->pos, ix);
    if ((clash = find_table(c, ix->name, named)) != NULL) {
        diag_error(c->d, &ix->pos, "index '%s' has the name of table '%s' "
                   "(declared at %d:%d)", ix->name, clash->name,
                   clash->pos.line, clash->pos.col);
        errors++;
    }
    /* What a retired index covered may be gone (make_index()). */
    if (ix->retired)
        return errors;
    cols = arena_alloc(c->a, (ai->ncolumns + 1) * sizeof(*cols));
    if (cols == NULL)
        return errors;
    for (k = 0; k < ai->ncolumns; k++) {
        struct ast_name n = ai->columns[k].name;

        if (ai->columns[k].expr != NULL) {
            cols[k] = NULL;
        } else if ((cols[k] = find_column(t, n.name, &ix->span)) == NULL) {
            diag_error(c->d, &n.pos, "table '%s' has no column '%s'",
                       t->name, n.name);
            errors++;
            continue;
        }
        for (e = 0; cols[k] != NULL && e < k; e++)
            if (cols[e] == cols[k]) {
                diag_error(c->d, &n.pos, "column '%s' appears twice in "
                           "index '%s'", n.name, ix->name);
                errors++;
                break;
            }
        ix->columns[ix->ncolumns].column = cols[k];
        ix->columns[ix->ncolumns].expr = ai->columns[k].expr;
        ix->has_expr |= ai->columns[k].expr != NULL;
        ix->columns[ix->ncolumns].desc = ai->columns[k].desc;
        errors += make_collate(c, &ai->columns[k].collate,
                               &ix->columns[ix->ncolumns].collate);
        ix->ncolumns++;
    }
    return errors;
}

/* A table or column as check_sql_clash() compares them. */
struct sql_named {
    const char *name, *sql;
    const struct m_span *span;
    const struct pos *pos;
};

/*
 * Report each of the n tables or columns x[] (kind: "table" or
 * "column") whose `sql "..."` name is, ignoring case, another's SQL name
 * while both live.  Only those with an SQL name of their own are compared
 * with all, so a schema without any costs one pass.  Returns the number
 * of errors.
 */
static int
check_sql_clash(struct checker *c, const char *kind,
                const struct sql_named *x, size_t n)
{
    int errors = 0;
    size_t i, j;

    for (i = 0; i < n; i++) {
        if (x[i].sql == x[i].name)
            continue;
        for (j = 0; j < n; j++) {
            /* Of two with SQL names of their own, the later reports. */
            if (j == i || (j > i && x[j].sql != x[j].name)
                || strcasecmp(x[i].sql, x[j].sql) != 0
                || !m_overlap(x[i].span, x[j].span))
                continue;
            diag_error(c->d, x[i].pos, "%s '%s' has the SQL name \"%s\" of "
                       "%s '%s' (declared at %d:%d)", kind, x[i].name,
                       x[i].sql, kind, x[j].name, x[j].pos->line,
                       x[j].pos->col);
            errors++;
            break;
        }
    }
    return errors;
}

/* check_sql_clash() over the n tables at tables or, when tables is
 * NULL, the n columns at columns.  Returns the number of errors. */
static int
check_sql_names(struct checker *c, struct m_table *const *tables,
                struct m_column *const *columns, size_t n)
{
    struct sql_named *x = arena_alloc(c->a, (n + 1) * sizeof(*x));
    size_t i;

    if (x == NULL)
        return 0;
    for (i = 0; i < n; i++) {
        if (tables != NULL) {
            x[i].name = tables[i]->name;
            x[i].sql = tables[i]->sql_name;
            x[i].span = &tables[i]->span;
            x[i].pos = &tables[i]->pos;
        } else {
            x[i].name = columns[i]->name;
            x[i].sql = columns[i]->sql_name;
            x[i].span = &columns[i]->span;
            x[i].pos = &columns[i]->pos;
        }
    }
    return check_sql_clash(c, tables != NULL ? "table" : "column", x, n);
}

/* Report each view named as a table alive with it: SQLite keeps both
 * in one namespace, and C would get two structs of one name.  Returns
 * the number of errors. */
static int
check_view_names(struct checker *c)
{
    int errors = 0;
    size_t i;

    for (i = 0; i < c->m->nviews; i++) {
        const struct m_object *w = &c->m->views[i];
        const struct m_table *t = find_table(c, w->name, &w->span);
        if (t == NULL)
            continue;
        diag_error(c->d, &w->pos, "view '%s' has the name of table '%s' "
                   "(declared at %d:%d)", w->name, t->name, t->pos.line,
                   t->pos.col);
        errors++;
    }
    return errors;
}

/*
 * Stage 2: duplicates and name resolution.  Returns the number of
 * errors.
 */
static int
check_names(struct checker *c)
{
    struct model *m = c->m;
    struct name_index all_ix;
    int errors = 0;
    size_t i, j, k, nix = 0;

    for (i = 0; i < m->ntables; i++)
        nix += m->tables[i]->nindexes;
    if (names_init(&c->tables, c->a, m->ntables, false) != 0
        || names_init(&all_ix, c->a, nix, false) != 0)
        return errors;
    for (i = 0; i < m->ntables; i++) {
        struct m_table *t = m->tables[i];
        errors += add_unique(c, &c->tables, "table", t->name, &t->span,
                             &t->pos, t);
    }
    errors += check_sql_names(c, m->tables, NULL, m->ntables);
    errors += check_view_names(c);
    if (errors == 0)
        errors += check_version_table(c);

    for (i = 0; i < m->ntables; i++) {
        struct m_table *t = m->tables[i];
        const struct ast_table *a = c->src[i];
        struct name_index cols;

        if (a == NULL)
            continue;
        if (names_init(&cols, c->a, t->ncolumns, false) != 0)
            return errors;
        for (j = 0; j < t->ncolumns; j++)
            errors += add_unique(c, &cols, "column", t->columns[j]->name,
                                 &t->columns[j]->span, &t->columns[j]->pos,
                                 t->columns[j]);
        errors += check_sql_names(c, NULL, t->columns, t->ncolumns);
        for (j = 0; j < t->nindexes; j++)
            errors += check_index(c, t, t->indexes[j], &a->indexes[j],
                                  &all_ix);
        for (j = 0; j < t->nconstraints; j++) {
            struct m_constraint *con = &t->constraints[j];
            const struct ast_constraint *ac = &a->constraints[j];
            const char *what = con->kind == M_C_PRIMARY_KEY
                ? "the primary key" : con->kind == M_C_UNIQUE
                ? "the unique constraint" : "the foreign key";

            if (con->kind == M_C_CHECK)
                continue;
            con->columns = arena_alloc(c->a, (ac->ncolumns + 1) *
                                       sizeof(*con->columns));
            if (con->columns == NULL)
                return errors;
            errors += resolve_columns(c, t, ac->columns, ac->ncolumns, what,
                                      &con->span, con->columns);
            con->ncolumns = ac->ncolumns;
            if (con->kind == M_C_PRIMARY_KEY)
                errors += check_key_not_generated(c, con);
            if (con->kind == M_C_REFERENCES)
                errors += resolve_reference(c, NULL, ac, con);
        }
        for (j = 0; j < t->ncolumns; j++) {
            struct m_column *col = t->columns[j];
            for (k = 0; k < col->nconstraints; k++)
                if (col->constraints[k].kind == M_C_REFERENCES)
                    errors += resolve_reference(c, col,
                                                &a->columns[j].constraints[k],
                                                &col->constraints[k]);
        }
        errors += check_keys(c, t);
    }
    if (errors == 0)
        errors += check_parent_keys(c);
    errors += check_queries(c);
    if (errors == 0)
        errors += check_c_names(c->d, c->m);
    return errors;
}

/* ------------------------------------------------------------------ */
/* Stage 3: history                                                     */
/* ------------------------------------------------------------------ */

/* Something with a name that may change: a table or a column. */
struct named {
    const char *kind;
    const char *name;
    struct pos pos;
    const struct m_span *span;
    const struct m_rename *renames;
    size_t nrenames;
};

/* Return the name of x at version v. */
static const char *
named_at(const struct named *x, int v)
{
    size_t i;

    for (i = 0; i < x->nrenames; i++)
        if (v < x->renames[i].version)
            return x->renames[i].old_name;
    return x->name;
}

/* Return where x's name in force at version v was written: the rename
 * that gave it, or the declaration. */
static struct pos
named_pos_at(const struct named *x, int v)
{
    size_t i;

    for (i = x->nrenames; i > 0; i--)
        if (v >= x->renames[i - 1].version)
            return x->renames[i - 1].pos;
    return x->pos;
}

/*
 * Report the first version at which x and y are alive under the same
 * name.  Names only change, and elements only appear, at a since or a
 * rename, so those versions are the only ones to try.  Returns the
 * number of errors (0 or 1).
 */
static int
check_pair(struct checker *c, const struct named *x, const struct named *y)
{
    const struct named *both[2] = { x, y };
    int best = 0;
    size_t i, k;

    if (x->nrenames == 0 && y->nrenames == 0)
        return 0;               /* plain duplicates: stage 2 */
    for (k = 0; k < 2; k++)
        for (i = 0; i <= both[k]->nrenames; i++) {
            int v = i == 0 ? both[k]->span->since
                : both[k]->renames[i - 1].version;
            if (m_alive(x->span, v) && m_alive(y->span, v) &&
                strcmp(named_at(x, v), named_at(y, v)) == 0 &&
                (best == 0 || v < best))
                best = v;
        }
    if (best != 0) {
        /* Blame the element renamed at that version, else one that has
         * renames at all. */
        const struct named *r = x->nrenames ? x : y;
        for (i = 0; i < y->nrenames; i++)
            if (y->renames[i].version == best)
                r = y;
        for (i = 0; i < x->nrenames; i++)
            if (x->renames[i].version == best)
                r = x;
        const struct named *o = r == x ? y : x;
        struct pos pos = named_pos_at(r, best);
        struct pos opos = named_pos_at(o, best);
        diag_error(c->d, &pos, "%ss '%s' and '%s' (named at %d:%d) are "
                   "both called '%s' at version %d", r->kind, r->name,
                   o->name, opos.line, opos.col, named_at(r, best), best);
        return 1;
    }
    return 0;
}

/* Describe table t as a struct named. */
static struct named
table_named(const struct m_table *t)
{
    struct named n = { "table", t->name, t->pos, &t->span, t->renames,
                       t->nrenames };
    return n;
}

/* Describe column col as a struct named. */
static struct named
column_named(const struct m_column *col)
{
    struct named n = { "column", col->name, col->pos, &col->span,
                       col->renames, col->nrenames };
    return n;
}

/*
 * Check that span (of what, written at pos) lies inside the life of
 * column col it uses.  Returns the number of errors (0 or 1).
 */
static int
check_uses(struct checker *c, const struct pos *pos, const char *what,
           const struct m_span *span, const struct m_column *col)
{
    if (span->since < col->span.since) {
        diag_error(c->d, pos, "%s uses column '%s' at version %d, before "
                   "it exists (since %d)", what, col->name, span->since,
                   col->span.since);
        return 1;
    }
    if (col->span.until != 0 &&
        (span->until == 0 || span->until > col->span.until)) {
        diag_error(c->d, pos, "%s outlives its column '%s' (until %d)",
                   what, col->name, col->span.until);
        return 1;
    }
    return 0;
}

/*
 * Return true when col has a non-null DEFAULT in force at version v.
 */
static bool
has_default_at(const struct m_column *col, int v)
{
    size_t i;

    for (i = 0; i < col->nconstraints; i++)
        if (col->constraints[i].kind == M_C_DEFAULT &&
            m_alive(&col->constraints[i].span, v) &&
            strcmp(col->constraints[i].sql, "NULL") != 0)
            return true;
    return false;
}

/*
 * True when every value a column of type from holds is, converted as a
 * rebuild converts it (CAST to the new type, or as it is where both store
 * the same), a value of type to that reads back as the same: numbers,
 * booleans, timestamps and enum names to text, integers to reals (exact
 * up to 2^53), booleans to integers, text and timestamps to each other,
 * anything to a blob of its bytes.
 */
static bool
converts_losslessly(enum m_type from, enum m_type to)
{
    switch (to) {
    case M_TEXT:
        return from != M_BLOB;
    case M_TIMESTAMP:
        return from == M_TEXT;
    case M_REAL:
        return from == M_INTEGER;
    case M_INTEGER:
        return from == M_BOOLEAN;
    case M_BLOB:
        return true;
    case M_BOOLEAN:
    case M_ENUM:
        break;
    }
    return false;
}

/*
 * Check column b declared again, under the name column a is dropped
 * with, at the version a is dropped (a.until == b.since, the table alive
 * on both sides).  With another type that every value of a's converts to
 * (converts_losslessly()), b is a's type change: its values are converted
 * (b->converts_from).  Otherwise the planner would drop a's values (and
 * add b empty, or lose what does not convert), which no one writes on
 * purpose.  Returns the number of errors.
 */
static int
check_redeclared(struct checker *c, const struct m_table *t,
                 const struct m_column *a, struct m_column *b)
{
    int v = a->span.until;
    const char *name;

    if (v == 0 || b->span.since != v || !m_alive(&t->span, v - 1)
        || !m_alive(&t->span, v))
        return 0;
    name = m_column_name_at(a, v - 1);
    if (strcasecmp(name, m_column_name_at(b, v)) != 0)
        return 0;
    if (a->type != b->type && converts_losslessly(a->type, b->type)) {
        b->converts_from = a;
        return 0;
    }
    if (a->type != b->type)
        diag_error(c->d, &b->pos, "column '%s' changes type from %s to %s "
                   "at version %d (first declared at %d:%d), which not "
                   "every value survives: keep the old column, add one "
                   "under a new name and convert the values in a "
                   "'migration %d sql' step", name, m_type_name(a->type),
                   m_type_name(b->type), v, a->pos.line, a->pos.col, v);
    else
        diag_error(c->d, &b->pos, "column '%s' is dropped and declared "
                   "again at version %d (first declared at %d:%d), which "
                   "would drop its values: keep one declaration and give "
                   "its constraints their own 'since' and 'until'", name, v,
                   a->pos.line, a->pos.col);
    return 1;
}

/*
 * Report an enum value dropped at a version without a value to replace
 * it: the rebuild that narrows the column's CHECK would fail on every row
 * still holding the value.  Returns the number of errors.
 */
static int
check_enum_removals(struct checker *c)
{
    const struct model *m = c->m;
    int errors = 0;
    size_t i, j;

    for (i = 0; i < m->nenums; i++)
        for (j = 0; j < m->enums[i].nvalues; j++) {
            const struct m_enum_value *v = &m->enums[i].values[j];
            if (v->span.until == 0 || v->replaced_by != NULL)
                continue;
            diag_error(c->d, &v->span.until_pos, "value '%s' of enum '%s' "
                       "is removed at version %d without 'replaced_by': "
                       "rows still holding it would fail the narrower "
                       "check; name the value they take ('%s until %d "
                       "replaced_by OTHER')", v->name, m->enums[i].name,
                       v->span.until, v->name, v->span.until);
            errors++;
        }
    return errors;
}

/*
 * Stage 3: names at every version, the life of what indexes and
 * constraints use, and NOT NULL columns added to existing tables.
 * Returns the number of errors.
 */
static int
check_history(struct checker *c)
{
    const struct model *m = c->m;
    int errors = 0;
    size_t i, j, k;

    errors += check_enum_removals(c);

    /* Two tables that were never renamed keep their names, and equal
     * names at a shared version were reported as duplicates already, so
     * only pairs with a renamed table need the version-by-version check:
     * each renamed table against every other (a pair of two renamed
     * tables once), the later-declared one first as before. */
    for (i = 0; i < m->ntables; i++) {
        if (m->tables[i]->nrenames == 0)
            continue;
        for (j = 0; j < m->ntables; j++) {
            struct named x, y;
            if (j == i || (j > i && m->tables[j]->nrenames > 0))
                continue;
            x = table_named(m->tables[i > j ? i : j]);
            y = table_named(m->tables[i > j ? j : i]);
            errors += check_pair(c, &x, &y);
        }
    }
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];

        for (j = 0; j < t->ncolumns; j++) {
            struct m_column *col = t->columns[j];
            struct named x = column_named(col);
            for (k = 0; k < j; k++) {
                struct named y = column_named(t->columns[k]);
                errors += check_pair(c, &x, &y);
                errors += check_redeclared(c, t, col, t->columns[k]);
                errors += check_redeclared(c, t, t->columns[k], col);
            }
            /* A type change takes the old values: the proof finds the
             * NULLs a nullable old column would bring. */
            if (col->span.since > t->span.since && col->converts_from == NULL)
                for (k = 0; k < col->nconstraints; k++)
                    if (col->constraints[k].kind == M_C_NOT_NULL &&
                        m_alive(&col->constraints[k].span,
                                col->span.since) &&
                        !has_default_at(col, col->span.since)) {
                        diag_error(c->d, &col->constraints[k].pos,
                                   "not null column '%s' added at version "
                                   "%d needs a default", col->name,
                                   col->span.since);
                        errors++;
                    }
        }
        for (j = 0; j < t->nindexes; j++) {
            const struct m_index *ix = t->indexes[j];
            const char *what = arena_printf(c->a, "index '%s'", ix->name);
            /* An expression's columns are SQLite's to find, in the
             * DDL of each version the proof creates. */
            for (k = 0; what && k < ix->ncolumns; k++)
                if (ix->columns[k].column != NULL)
                    errors += check_uses(c, &ix->pos, what, &ix->span,
                                         ix->columns[k].column);
        }
        for (j = 0; j < t->nconstraints; j++) {
            const struct m_constraint *con = &t->constraints[j];
            for (k = 0; k < con->ncolumns; k++)
                errors += check_uses(c, &con->pos,
                                     con->kind == M_C_PRIMARY_KEY
                                     ? "the primary key" : "the unique "
                                     "constraint", &con->span,
                                     con->columns[k]);
        }
    }
    return errors;
}

/* ------------------------------------------------------------------ */

/* Store in each table and column its place in its array, so a view of
 * any version (view.h) finds them without a search. */
static void
number(struct model *m)
{
    size_t i, j;

    for (i = 0; i < m->ntables; i++) {
        m->tables[i]->index = i;
        for (j = 0; j < m->tables[i]->ncolumns; j++)
            m->tables[i]->columns[j]->index = j;
    }
}

/* Check s and build its model; see ast.h. */
struct model *
check_schema(struct arena *a, struct diags *d, const char *file,
             const struct ast_schema *s)
{
    struct checker c;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.d = d;
    c.s = s;
    c.version = INT_MAX;
    if ((c.m = arena_alloc(a, sizeof(*c.m))) == NULL)
        return NULL;
    c.m->file = file;
    if (check_values(&c) != 0 || a->failed)
        return NULL;
    if (check_names(&c) != 0 || a->failed)
        return NULL;
    if (check_history(&c) != 0 || a->failed)
        return NULL;
    number(c.m);
    return c.m;
}
