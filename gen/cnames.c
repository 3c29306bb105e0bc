/*
 * cnames.c - names that would break the generated C.  Columns become struct
 * members, query parameters and key columns become C parameters, and every
 * table, query and column name is spliced into the identifiers, macros and
 * tags the writers define.  Each must stay a valid C name that no header
 * the generated code includes already defines, and no two generated names
 * may meet.  cnames_check_generated() lists every generated identifier in
 * one registry, so a collision is found however it arises.
 */
#include "cnames.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cdecl.h"
#include "history.h"
#include "names.h"
#include "strbuf.h"
#include "view.h"

/* ------------------------------------------------------------------ */
/* Names the generated code may not use                                */
/* ------------------------------------------------------------------ */

/* C's keywords in every mode gcc and clang accept (C11, C23, GNU).
 * Sorted for bsearch(). */
static const char *const keywords[] = {
    "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex",
    "_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary",
    "_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof",
    "asm", "auto", "bool", "break", "case", "char", "const", "constexpr",
    "continue", "default", "do", "double", "else", "enum", "extern", "false",
    "float", "for", "goto", "if", "inline", "int", "long", "nullptr",
    "register", "restrict", "return", "short", "signed", "sizeof", "static",
    "static_assert", "struct", "switch", "thread_local", "true", "typedef",
    "typeof", "typeof_unqual", "union", "unsigned", "void", "volatile",
    "while",
};

/* The macros and types of the headers generated code includes (stdbool.h,
 * stddef.h and stdint.h, through schemac.h), but for stdint.h's limit
 * macros (is_stdint_macro()).  Sorted for bsearch(). */
static const char *const header_names[] = {
    "NULL", "int16_t", "int32_t", "int64_t", "int8_t", "int_fast16_t",
    "int_fast32_t", "int_fast64_t", "int_fast8_t", "int_least16_t",
    "int_least32_t", "int_least64_t", "int_least8_t", "intmax_t", "intptr_t",
    "max_align_t", "offsetof", "ptrdiff_t", "size_t", "uint16_t", "uint32_t",
    "uint64_t", "uint8_t", "uint_fast16_t", "uint_fast32_t", "uint_fast64_t",
    "uint_fast8_t", "uint_least16_t", "uint_least32_t", "uint_least64_t",
    "uint_least8_t", "uintmax_t", "uintptr_t", "wchar_t",
};

/* bsearch() order of two strings. */
static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when name is one of stdint.h's limit and constant macros:
 * [U]INT{8..64}_{MAX,MIN,C}, their LEAST and FAST forms, and the
 * INTPTR, INTMAX, PTRDIFF, SIZE, SIG_ATOMIC, WCHAR and WINT limits. */
static bool
is_stdint_macro(const char *name)
{
    static const char *const limits[] = {
        "INTPTR_", "UINTPTR_", "INTMAX_", "UINTMAX_", "PTRDIFF_", "SIZE_",
        "SIG_ATOMIC_", "WCHAR_", "WINT_"
    };
    const char *p = name;
    size_t i;

    for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (strncmp(name, limits[i], strlen(limits[i])) == 0)
            return true;
    if (*p == 'U')
        p++;
    if (strncmp(p, "INT", 3) != 0)
        return false;
    p += 3;
    if (strncmp(p, "_LEAST", 6) == 0)
        p += 6;
    else if (strncmp(p, "_FAST", 5) == 0)
        p += 5;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    return strcmp(p, "_MAX") == 0 || strcmp(p, "_MIN") == 0
        || strcmp(p, "_C") == 0;
}

/* True when name is one of the n sorted strings at list. */
static bool
listed(const char *name, const char *const *list, size_t n)
{
    return bsearch(&name, list, n, sizeof list[0], compare_names) != NULL;
}

/* Why name cannot be a member or parameter; see cnames.h. */
const char *
cnames_reserved(const char *name)
{
    if (listed(name, keywords, sizeof keywords / sizeof keywords[0]))
        return "a C keyword";
    /* C reserves _X... and __... everywhere (__func__, __LINE__, ...). */
    if (name[0] == '_' && (name[1] == '_' || isupper((unsigned char)name[1])))
        return "a name C reserves (it starts with _ and a capital or a "
            "second _)";
    if (listed(name, header_names,
               sizeof header_names / sizeof header_names[0])
        || is_stdint_macro(name)
        || strcmp(name, "__bool_true_false_are_defined") == 0)
        return "a name the C headers define";
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Column names, stage 2                                               */
/* ------------------------------------------------------------------ */

/*
 * Check the columns of t alive now.  Returns the number of errors.
 */
static int
check_columns(struct diags *d, const struct model *m, const struct m_table *t)
{
    struct name_index seen;
    const struct name_entry *e;
    const char *why;
    size_t i;
    int errors = 0;

    if (names_init(&seen, d->arena, t->ncolumns, true) != 0)
        return errors;
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, m->version))
            continue;
        if ((why = cnames_reserved(c->name)) != NULL) {
            diag_error(d, &c->pos, "column '%s' is %s and cannot be a "
                       "struct member", c->name, why);
            errors++;
        }
        if ((e = names_find(&seen, c->name, NULL)) != NULL) {
            diag_error(d, &c->pos, "column '%s' differs from column '%s' "
                       "(declared at %d:%d) only in case", c->name, e->name,
                       e->pos->line, e->pos->col);
            errors++;
        }
        names_add(&seen, d->arena, c->name, NULL, &c->pos, NULL);
    }
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, m->version) || strncmp(c->name, "has_", 4))
            continue;
        e = names_find(&seen, c->name + 4, NULL);
        if (e != NULL && strcmp(e->name, c->name + 4) == 0) {
            diag_error(d, &c->pos, "column '%s' would clash with the has_ "
                       "flag of column '%s' (declared at %d:%d)", c->name,
                       e->name, e->pos->line, e->pos->col);
            errors++;
        }
    }
    return errors;
}

/* The schema names that would put generated code in a namespace it does
 * not own: the runtime's (sc_, sci_, SC_) and its header's own name. */
static const char *const schema_reserved[] = { "sc", "sci", "schemac" };

/* Check the schema's own name.  Returns the number of errors. */
static int
check_schema_name(struct diags *d, const struct model *m)
{
    size_t i;

    for (i = 0; i < sizeof schema_reserved / sizeof schema_reserved[0]; i++)
        if (strcasecmp(m->name, schema_reserved[i]) == 0) {
            diag_error(d, &m->pos, "schema name '%s' is taken by the "
                       "runtime (its names and header start with it)",
                       m->name);
            return 1;
        }
    if (m->name[0] == '_') {
        diag_error(d, &m->pos, "schema name '%s' starts with '_': every "
                   "generated name would start with it, and C reserves "
                   "such names", m->name);
        return 1;
    }
    return 0;
}

/* Check every name of m that reaches the generated C; see cnames.h. */
int
check_c_names(struct diags *d, const struct model *m)
{
    struct name_index seen;
    const struct name_entry *e;
    size_t i, j;
    int errors = check_schema_name(d, m);

    if (names_init(&seen, d->arena, m->ntables, true) != 0)
        return errors;
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (!m_alive(&t->span, m->version))
            continue;
        if ((e = names_find(&seen, t->name, NULL)) != NULL) {
            diag_error(d, &t->pos, "table '%s' differs from table '%s' "
                       "(declared at %d:%d) only in case", t->name, e->name,
                       e->pos->line, e->pos->col);
            errors++;
        }
        names_add(&seen, d->arena, t->name, NULL, &t->pos, NULL);
        errors += check_columns(d, m, t);
    }
    for (i = 0; i < m->nqueries; i++) {
        const struct m_query *q = &m->queries[i];
        for (j = 0; j < q->nparams; j++) {
            const char *why = cnames_reserved(q->params[j].name);
            if (why != NULL) {
                diag_error(d, &q->params[j].pos, "parameter '%s' is %s",
                           q->params[j].name, why);
                errors++;
            }
        }
    }
    return errors;
}

/* ------------------------------------------------------------------ */
/* Every generated name, once the queries are checked                 */
/* ------------------------------------------------------------------ */

/* The C name spaces generated names live in; a macro reaches all. */
enum space { SP_ORDINARY, SP_TAG, SP_MACRO, NSPACES };

/* Who defines a name, for messages. */
struct origin {
    const char *what;           /* "table 'notes'", "query 'q'", ... */
    struct pos pos;
};

/* Every generated name so far, by space. */
struct registry {
    struct arena *a;
    struct diags *d;
    const struct model *m;
    struct name_index ix[NSPACES];
    int errors;
};

/* Report that o's name clashes with e's. */
static void
clash(struct registry *r, const struct origin *o, const char *name,
      const struct name_entry *e)
{
    const struct origin *first = e->item;

    if (strcmp(first->what, o->what) == 0)
        diag_error(r->d, &o->pos, "%s would define '%s' twice", o->what,
                   name);
    else
        diag_error(r->d, &o->pos, "%s would define '%s', which %s "
                   "(declared at %d:%d) also defines", o->what, name,
                   first->what, first->pos.line, first->pos.col);
    r->errors++;
}

/* Register name, defined by o, in space sp: it must be new there and,
 * being a macro or meeting one, new in every space. */
static void
define(struct registry *r, enum space sp, const struct origin *o,
       const char *name)
{
    const struct name_entry *e = NULL;
    char *copy;
    int s;

    for (s = 0; s < NSPACES && e == NULL; s++)
        if (s == (int)sp || s == SP_MACRO || sp == SP_MACRO)
            e = names_find(&r->ix[s], name, NULL);
    if (e != NULL) {
        clash(r, o, name, e);
        return;
    }
    if ((copy = arena_strdup(r->a, name)) != NULL)
        names_add(&r->ix[sp], r->a, copy, NULL, &o->pos, (void *)o);
}

/* A new origin "kind 'name'" at pos, living in r's arena. */
static const struct origin *
origin(struct registry *r, const char *kind, const char *name,
       const struct pos *pos)
{
    struct origin *o = arena_alloc(r->a, sizeof(*o));

    if (o != NULL) {
        o->what = arena_printf(r->a, "%s '%s'", kind, name);
        o->pos = *pos;
        if (o->what == NULL)
            o = NULL;
    }
    return o;
}

/* Define "<schema>_<base><suffix>" (lower case) for o in sp. */
static void
define_lower(struct registry *r, enum space sp, const struct origin *o,
             const char *base, const char *suffix)
{
    char *name = arena_printf(r->a, "%s_%s%s", r->m->name, base, suffix);

    if (name != NULL)
        define(r, sp, o, name);
}

/* Define the macro "<SCHEMA>_<BASE><SUFFIX>" (upper case) for o. */
static void
define_macro(struct registry *r, const struct origin *o, const char *base,
             const char *suffix)
{
    struct strbuf sb = { 0 };

    cdecl_upper(&sb, r->m->name);
    sb_adds(&sb, "_");
    cdecl_upper(&sb, base);
    sb_adds(&sb, suffix);
    if (!sb.failed)
        define(r, SP_MACRO, o, sb_str(&sb));
    sb_free(&sb);
}

/* True when name is one of the generated macros. */
static const struct name_entry *
find_macro(const struct registry *r, const char *name)
{
    return names_find(&r->ix[SP_MACRO], name, NULL);
}

/*
 * Check the members or parameters names[0..n) of one struct or function
 * (what, e.g. "the parameters of notes_get"), each written by origins[i]:
 * distinct, and none a generated macro.
 */
static void
check_locals(struct registry *r, const char *const *names,
             const struct origin *const *origins, size_t n)
{
    struct name_index seen;
    const struct name_entry *e;
    size_t i;

    if (names_init(&seen, r->a, n, false) != 0)
        return;
    for (i = 0; i < n; i++) {
        if ((e = find_macro(r, names[i])) != NULL
            || (e = names_find(&seen, names[i], NULL)) != NULL) {
            clash(r, origins[i], names[i], e);
            continue;
        }
        names_add(&seen, r->a, names[i], NULL, &origins[i]->pos,
                  (void *)origins[i]);
    }
}

/* Schema-wide names: the descriptors, the statement slots' enum, the
 * migration arrays of every version that may have a step, the macros. */
static void
schema_names(struct registry *r, const int *versions, size_t nversions)
{
    static const char *const objects[] = {
        "schema", "statements", "tables", "data_tables", "create_sql",
        "migrations"
    };
    const struct origin *o = origin(r, "schema", r->m->name, &r->m->pos);
    char suffix[32];
    size_t i;

    if (o == NULL)
        return;
    for (i = 0; i < sizeof objects / sizeof objects[0]; i++)
        define_lower(r, SP_ORDINARY, o, objects[i], "");
    define_lower(r, SP_TAG, o, "stmt", "");
    for (i = 0; i < nversions; i++) {
        snprintf(suffix, sizeof suffix, "%d", versions[i]);
        define_lower(r, SP_ORDINARY, o, "migration_", suffix);
    }
    define_macro(r, o, "schemac_h", "");
    define_macro(r, o, "data_tables_count", "");
}

/* The names of a data table or a view: its struct, enum, callback
 * type, descriptor and helpers, functions and statement slots, its
 * macros; then its members and the parameters of get and delete. */
static void
table_names(struct registry *r, const struct v_table *vt)
{
    static const char *const tags[] = { "", "_column", "_each" };
    static const char *const objects[] = {
        "_each_fn", "_table", "_columns", "_each_row"
    };
    const char *t = vt->table->name;
    const struct origin *o = origin(r, vt->table->is_view ? "view" : "table",
                                    t, &vt->table->pos);
    const struct origin **origins;
    const char **names;
    struct strbuf sb = { 0 };
    size_t i, n = 0;
    int fn;

    origins = arena_alloc(r->a, (2 * vt->ncolumns + 3) * sizeof(*origins));
    names = arena_alloc(r->a, (2 * vt->ncolumns + 3) * sizeof(*names));
    if (o == NULL || origins == NULL || names == NULL)
        return;
    for (i = 0; i < sizeof tags / sizeof tags[0]; i++)
        define_lower(r, SP_TAG, o, t, tags[i]);
    for (i = 0; i < sizeof objects / sizeof objects[0]; i++)
        define_lower(r, SP_ORDINARY, o, t, objects[i]);
    for (fn = 0; fn < CDECL_NFN; fn++) {
        const char *verb = cdecl_fn_verb((enum cdecl_fn)fn);
        if (!cdecl_has_fn(vt, (enum cdecl_fn)fn))
            continue;
        sb_reset(&sb);
        sb_printf(&sb, "_%s", verb);
        define_lower(r, SP_ORDINARY, o, t, sb_str(&sb));
        if (cdecl_fn_has_stmt((enum cdecl_fn)fn)) {
            sb_adds(&sb, "_stmt");
            define_lower(r, SP_ORDINARY, o, t, sb_str(&sb));
        }
    }
    define_macro(r, o, t, "_INIT");
    for (i = 0; i < vt->ncolumns; i++) {
        const struct m_column *c = vt->columns[i].col;
        const char *full = arena_printf(r->a, "%s.%s", t, c->name);
        const struct origin *co = full ? origin(r, "column", full, &c->pos)
            : NULL;
        if (co == NULL)
            continue;
        sb_reset(&sb);
        sb_adds(&sb, "_COL_");
        cdecl_upper(&sb, c->name);
        define_macro(r, co, t, sb_str(&sb));
        origins[n] = co;
        names[n++] = c->name;
        if (vt->columns[i].has_flag) {
            origins[n] = co;
            names[n++] = arena_printf(r->a, "has_%s", c->name);
        }
    }
    check_locals(r, names, origins, n);
    /* get(db, keys..., out) and delete(db, keys...). */
    n = 0;
    origins[n] = o;
    names[n++] = "db";
    origins[n] = o;
    names[n++] = "out";
    for (i = 0; i < vt->ncolumns; i++) {
        const struct m_column *c = vt->columns[i].col;
        if (!vt->columns[i].is_key)
            continue;
        sb_reset(&sb);
        cdecl_param(&sb, c);
        sb_adds(&sb, " ");
        sb_printf(&sb, "%s.%s", t, c->name);
        origins[n] = origin(r, "column", strchr(sb_str(&sb), ' ') + 1,
                            &c->pos);
        sb.data[strcspn(sb.data, " ")] = '\0';
        names[n] = arena_strdup(r->a, sb_str(&sb));
        if (origins[n] != NULL && names[n] != NULL)
            n++;
    }
    check_locals(r, names, origins, n);
    sb_free(&sb);
}

/* The names of query q: its functions, descriptor, statement slot,
 * argument and row structs and their helpers; its parameters as C sees
 * them; its own row's members. */
static void
query_names(struct registry *r, const struct m_query *q)
{
    const struct origin *o = origin(r, "query", q->name, &q->pos);
    const bool own = m_row_query(q) == q;
    const size_t max = q->nparams + q->nresults * 2 + 4;
    const struct origin **origins = arena_alloc(r->a, max * sizeof(*origins));
    const char **names = arena_alloc(r->a, max * sizeof(*names));
    struct strbuf sb = { 0 };
    size_t i, n = 0;

    if (o == NULL || origins == NULL || names == NULL)
        return;
    define_lower(r, SP_ORDINARY, o, q->name, "");
    define_lower(r, SP_ORDINARY, o, q->name, "_query");
    define_lower(r, SP_ORDINARY, o, q->name, "_stmt");
    if (q->nparams > 0) {
        define_lower(r, SP_TAG, o, q->name, "_args");
        define_lower(r, SP_ORDINARY, o, q->name, "_params");
    }
    if (q->kind == M_Q_MANY) {
        define_lower(r, SP_ORDINARY, o, q->name, "_all");
        define_lower(r, SP_ORDINARY, o, q->name, "_all_free");
    }
    if (own) {
        define_lower(r, SP_TAG, o, q->name, "_row");
        define_lower(r, SP_ORDINARY, o, q->name, "_row_columns");
    }
    if (m_row_query(q) != NULL && q->kind == M_Q_ONE)
        define_lower(r, SP_ORDINARY, o, q->name, "_row_free");
    if (own && q->row_many) {
        define_lower(r, SP_TAG, o, q->name, "_row_each");
        define_lower(r, SP_ORDINARY, o, q->name, "_row_each_fn");
        define_lower(r, SP_ORDINARY, o, q->name, "_row_each_row");
    }
    /* The parameters of its functions, as renamed for C. */
    origins[n] = o;
    names[n++] = "db";
    for (i = 0; i < q->nparams; i++) {
        sb_reset(&sb);
        cdecl_query_param(&sb, q->params[i].name);
        origins[n] = origin(r, "parameter", q->params[i].name,
                            &q->params[i].pos);
        names[n] = arena_strdup(r->a, sb_str(&sb));
        if (origins[n] != NULL && names[n] != NULL)
            n++;
    }
    check_locals(r, names, origins, n);
    if (own) {
        n = 0;
        for (i = 0; i < q->nresults; i++) {
            const struct m_result *res = &q->results[i];
            origins[n] = o;
            names[n++] = res->name;
            if (res->type == M_INTEGER || res->type == M_REAL
                || res->type == M_BOOLEAN) {
                origins[n] = o;
                names[n++] = arena_printf(r->a, "has_%s", res->name);
            }
        }
        check_locals(r, names, origins, n);
    }
    sb_free(&sb);
}

/* The names of enum e: its type, its value constants (values alive now),
 * its name table and its two functions. */
static void
enum_names(struct registry *r, const struct m_enum *e)
{
    const struct origin *o = origin(r, "enum", e->name, &e->pos);
    struct strbuf sb = { 0 };
    size_t i;

    if (o == NULL)
        return;
    define_lower(r, SP_TAG, o, e->name, "");
    define_lower(r, SP_ORDINARY, o, e->name, "_names");
    define_lower(r, SP_ORDINARY, o, e->name, "_str");
    define_lower(r, SP_ORDINARY, o, e->name, "_parse");
    for (i = 0; i < e->nvalues; i++) {
        const struct m_enum_value *v = &e->values[i];
        const char *full = arena_printf(r->a, "%s.%s", e->name, v->name);
        const struct origin *vo = full ? origin(r, "value", full, &v->pos)
            : NULL;
        if (vo == NULL || !m_alive(&v->span, r->m->version))
            continue;
        sb_reset(&sb);
        cdecl_upper(&sb, r->m->name);
        sb_adds(&sb, "_");
        cdecl_upper(&sb, e->name);
        sb_adds(&sb, "_");
        cdecl_upper(&sb, v->name);
        if (!sb.failed)
            define(r, SP_ORDINARY, vo, sb_str(&sb));
    }
    sb_free(&sb);
}

/* Check every generated name; see cnames.h. */
int
cnames_check_generated(struct arena *a, struct diags *d,
                       const struct model *m)
{
    struct registry r;
    struct view now;
    int *versions;
    size_t i, n, nversions;
    int s;

    if (history_versions(a, m, &versions, &nversions) != 0)
        return 0;
    n = (m->ntables + m->nviews) * 16 + m->nqueries * 12 + nversions
        + m->nenums * 8 + 16;
    memset(&r, 0, sizeof(r));
    r.a = a;
    r.d = d;
    r.m = m;
    for (s = 0; s < NSPACES; s++)
        if (names_init(&r.ix[s], a, n, false) != 0)
            return 0;
    if (view_build(a, m, m->version, &now) != 0)
        return 0;
    schema_names(&r, versions, nversions);
    for (i = 0; i < m->nenums; i++)
        enum_names(&r, &m->enums[i]);
    for (i = 0; i < now.ntables; i++)
        if (now.tables[i].is_data)
            table_names(&r, &now.tables[i]);
    for (i = 0; i < now.nviews; i++)
        table_names(&r, &now.views[i]);
    for (i = 0; i < m->nqueries; i++)
        query_names(&r, &m->queries[i]);
    return r.errors;
}
