/*
 * cnames.c - names that would break the generated C.  Columns become struct
 * members, query parameters become C parameters, and table and column
 * names are upper-cased into macros and enum constants, so each must stay
 * a valid and distinct C name.
 */
#include "cnames.h"

#include <string.h>

#include "names.h"

/* C11's keywords and the names <stdbool.h> defines. */
static const char *const c_keywords[] = {
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
    "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "auto",
    "bool", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "false", "float", "for", "goto",
    "if", "inline", "int", "long", "register", "restrict", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "true",
    "typedef", "union", "unsigned", "void", "volatile", "while",
};

/* True when name is a C keyword. */
static bool
is_c_keyword(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(c_keywords) / sizeof(c_keywords[0]); i++)
        if (strcmp(name, c_keywords[i]) == 0)
            return true;
    return false;
}

/* True when name is a C keyword; see cnames.h. */
bool
cnames_is_keyword(const char *name)
{
    return is_c_keyword(name);
}

/*
 * Check the columns of t alive now; index is scratch.  Returns the number
 * of errors.
 */
static int
check_columns(struct diags *d, const struct model *m, const struct m_table *t)
{
    struct name_index seen;
    const struct name_entry *e;
    size_t i;
    int errors = 0;

    if (names_init(&seen, d->arena, t->ncolumns, true) != 0)
        return errors;
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, m->version))
            continue;
        if (is_c_keyword(c->name)) {
            diag_error(d, &c->pos, "column '%s' is a C keyword and cannot "
                       "be a struct member", c->name);
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

/* Check every name of m that reaches the generated C. */
int
check_c_names(struct diags *d, const struct model *m)
{
    struct name_index seen;
    const struct name_entry *e;
    size_t i, j;
    int errors = 0;

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
            if (is_c_keyword(q->params[j].name)) {
                diag_error(d, &q->params[j].pos, "parameter '%s' is a C "
                           "keyword", q->params[j].name);
                errors++;
            }
        }
    }
    return errors;
}
