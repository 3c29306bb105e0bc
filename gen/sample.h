/*
 * sample.h - sample rows for the migration proof (verify.c): the same few
 * rows every run, per table of one version of the schema, holding NULLs,
 * defaults, each type's boundary values and duplicates, as far as that
 * version's constraints accept them.
 */
#ifndef SCHEMAC_SAMPLE_H
#define SCHEMAC_SAMPLE_H

#include <sqlite3.h>

#include "arena.h"
#include "model.h"

/* Rows tried per table (some may be refused). */
#define SAMPLE_ROWS 8

/*
 * Fill db, which holds version v of m and nothing else, with sample rows:
 * SAMPLE_ROWS tried per data table (not the version table), parents
 * before the tables that reference them.  Row 0 leaves out every column
 * with a constant default and holds NULL in the other nullable ones; row
 * 1 holds NULL in every nullable column; rows 2 to 5 hold each type's
 * boundary values (0, -1, INT64_MAX, INT64_MIN; 0.0, -0.5, 1e308,
 * -1e308; '', 'it''s', '0', a non-ASCII text; a blob holding a NUL, an
 * empty blob...), each column shifted by its place so that the columns
 * of a row differ; rows 6 and 7 are equal in every column no key, UNIQUE
 * or unique index of version v covers.  A text column whose CHECK names
 * strings holds those instead.  A foreign key holds a key of a parent row
 * already stored; other columns hold values no key holds, so a foreign
 * key added later meets rows that reference nothing.  Each row is
 * inserted with INSERT OR IGNORE, and a row version v refuses (NOT NULL,
 * CHECK, UNIQUE, a foreign key with no parent) is left out, so only rows
 * a real version v database could hold remain.  The rows are the same on
 * every run.  Runs in one transaction; scratch memory comes from a.
 * Returns 0, or -1 when memory ran out or SQLite failed otherwise (db is
 * then left as it was).
 */
int sample_fill(struct arena *a, sqlite3 *db, const struct model *m, int v);

#endif /* SCHEMAC_SAMPLE_H */
