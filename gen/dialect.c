/*
 * dialect.c - the elements of a schema a dialect cannot express; see
 * dialect.h.
 */
#include "dialect.h"

#include <string.h>
#include <strings.h>

/* True when SQLite's collation c compares as PostgreSQL can: BINARY is
 * PostgreSQL's "C"; NOCASE and RTRIM have no built-in counterpart. */
static bool
pg_collation(const char *c)
{
    return c == NULL || strcasecmp(c, "BINARY") == 0;
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

/* See dialect.h. */
int
dialect_check(struct diags *d, const struct model *m,
              enum sql_dialect dialect)
{
    int n = 0;
    size_t i;

    if (dialect == SQL_SQLITE)
        return 0;
    for (i = 0; i < m->ntables; i++)
        n += check_table(d, m->tables[i]);
    for (i = 0; i < m->ntriggers; i++) {
        diag_error(d, &m->triggers[i].pos, "trigger '%s' is written in "
                   "SQLite's SQL, and PostgreSQL's triggers call functions: "
                   "it has no PostgreSQL spelling (--dialect postgresql)",
                   m->triggers[i].name);
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
