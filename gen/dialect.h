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
#include "strbuf.h"

/*
 * Queue an error in d for each element of m, at any version, that
 * dialect cannot express: on PostgreSQL a collation other than BINARY
 * (NOCASE, RTRIM) on a column or an index entry, a trigger without its
 * PostgreSQL statements (`postgresql "..."`: SQLite's trigger body has no
 * PostgreSQL form), and SQL PostgreSQL's parser refuses (a query's or
 * view's, or its PostgreSQL text when it gives one, and a data step's
 * (`migration N sql`), at the byte; an expression's at its element).
 * SQLite takes everything.  Returns the number of errors queued.
 */
int dialect_check(struct diags *d, const struct model *m,
                  enum sql_dialect dialect);

/*
 * What dialect_check() refuses for PostgreSQL, but what is checked
 * without PostgreSQL's parser when this schemac has none (make PG=0)
 * instead of refusing everything: the C generator asks this to know
 * whether to give the descriptors PostgreSQL's statements.  Also refuses
 * a query whose own PostgreSQL text uses a parameter it does not declare,
 * or leaves out one it does.  Returns the number of errors queued.
 */
int dialect_pg_refusals(struct diags *d, const struct model *m);

/* A distinct named parameter (:x, @x or $x) of an SQL text: its name
 * after the sigil, borrowed from the text. */
struct dialect_param {
    const char *name;
    size_t len;
};

/*
 * Append sql to out with its parameters in PostgreSQL's spelling: each
 * distinct :x, @x or $x is $N in order of first use, ?NNN is $NNN and a
 * bare ? the next number; a '::' cast and a sigil without a name stay
 * (PostgreSQL's operators).  params, with room for strlen(sql) / 2 + 1,
 * gets the distinct names, the k-th numbered $k+1, and *nparams their
 * number.  map, when not NULL, has strlen(sql) + 1 entries and records
 * for each byte of sql the offset of its copy in out, so that an offset
 * PostgreSQL names maps back into the schema.  What dialect_check()
 * parses and what the descriptors run are spelled here alike.
 */
void dialect_pg_params(struct strbuf *out, const char *sql, size_t *map,
                       struct dialect_param *params, size_t *nparams);

/*
 * Append the text PostgreSQL runs for query q, its `postgresql "..."`
 * text when it gives one, else its common text, with its parameters as
 * $n (dialect_pg_params()), and store in pg_index[i] (q->nparams of them)
 * the $n of q's i-th parameter, 0 when the text does not use it.
 * Returns 0, or -1 when memory ran out.
 */
int dialect_query_pg(const struct m_query *q, struct strbuf *out,
                     int *pg_index);

/* The dialect named name ("sqlite", "postgresql"); -1 for another name. */
int dialect_named(const char *name);

#endif /* SCHEMAC_DIALECT_H */
