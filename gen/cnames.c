/*
 * cnames.c - names that would break the generated C.  Columns become struct
 * members, query parameters become C parameters, and table and column
 * names are upper-cased into macros and enum constants, so each must stay
 * a valid and distinct C name.
 */
#include "cnames.h"

#include <ctype.h>
#include <string.h>

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

/* True when a and b differ but are equal ignoring ASCII case. */
static bool
same_but_case(const char *a, const char *b)
{
    size_t i;

    if (strcmp(a, b) == 0)
        return false;
    for (i = 0; a[i] != '\0' && b[i] != '\0'; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return a[i] == b[i];
}

/* Check the columns of t; returns the number of errors. */
static int
check_columns(struct diags *d, const struct m_table *t)
{
    size_t i, j;
    int errors = 0;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (is_c_keyword(c->name)) {
            diag_error(d, &c->pos, "column '%s' is a C keyword and cannot "
                       "be a struct member", c->name);
            errors++;
        }
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *o = t->columns[j];
            if (strncmp(c->name, "has_", 4) == 0
                && strcmp(c->name + 4, o->name) == 0) {
                diag_error(d, &c->pos, "column '%s' would clash with the "
                           "has_ flag of column '%s' (declared at %d:%d)",
                           c->name, o->name, o->pos.line, o->pos.col);
                errors++;
            }
            if (j < i && same_but_case(c->name, o->name)) {
                diag_error(d, &c->pos, "column '%s' differs from column "
                           "'%s' (declared at %d:%d) only in case", c->name,
                           o->name, o->pos.line, o->pos.col);
                errors++;
            }
        }
    }
    return errors;
}

/* Check every name of m that reaches the generated C. */
int
check_c_names(struct diags *d, const struct model *m)
{
    size_t i, j;
    int errors = 0;

    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        for (j = 0; j < i; j++) {
            if (same_but_case(t->name, m->tables[j]->name)) {
                diag_error(d, &t->pos, "table '%s' differs from table '%s' "
                           "(declared at %d:%d) only in case", t->name,
                           m->tables[j]->name, m->tables[j]->pos.line,
                           m->tables[j]->pos.col);
                errors++;
            }
        }
        errors += check_columns(d, t);
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
