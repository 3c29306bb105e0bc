/*
 * queries.h - checked queries: each query of a checked model is prepared
 * against an in-memory SQLite database holding the schema's current DDL,
 * so a mistake in its SQL is a build error at the schema file's position.
 */
#ifndef SCHEMAC_QUERIES_H
#define SCHEMAC_QUERIES_H

#include "arena.h"
#include "diag.h"
#include "model.h"

/*
 * Prepare every query of m (checked by check_schema()) and fill its
 * param_index, results and row_table.  Queues an error in d for SQL that
 * SQLite refuses (at the byte it names, when the string had no escapes),
 * parameters used but not declared or declared but not used, parameters
 * other than ':name', 'one' or 'many' without result columns, 'exec' with
 * them, result columns whose type cannot be known or whose name is not a
 * usable C member name, a `returns` table the columns do not match, and
 * generated C names that clash.  Returns the number of errors.  Results
 * live in a.
 */
int queries_check(struct arena *a, struct diags *d, struct model *m);

#endif /* SCHEMAC_QUERIES_H */
