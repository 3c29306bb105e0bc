/*
 * dialect.h - what a schema may use in each SQL dialect the generator
 * writes for.  Everything the schema language has is SQLite's; a few
 * things have no PostgreSQL spelling, and a schema using them is refused
 * for PostgreSQL at the element, before any DDL is spelled (ddl.h).
 */
#ifndef SCHEMAC_DIALECT_H
#define SCHEMAC_DIALECT_H

#include "ddl.h"
#include "diag.h"
#include "model.h"

/*
 * Queue an error in d for each element of m, at any version, that
 * dialect cannot express: on PostgreSQL a collation other than BINARY
 * (NOCASE, RTRIM) on a column or an index entry, a trigger without its
 * PostgreSQL statements (`postgresql "..."`: SQLite's trigger body has no
 * PostgreSQL form), and SQL PostgreSQL's parser refuses (a query's or
 * view's, or its PostgreSQL text when it gives one, at the byte; an
 * expression's at its element).  SQLite takes everything.
 * Returns the number of errors queued.
 */
int dialect_check(struct diags *d, const struct model *m,
                  enum sql_dialect dialect);

/* The dialect named name ("sqlite", "postgresql"); -1 for another name. */
int dialect_named(const char *name);

#endif /* SCHEMAC_DIALECT_H */
