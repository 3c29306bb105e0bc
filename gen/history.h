/*
 * history.h - migrations derived from the schema's history.  history.c
 * plans, for each version step, the SQL that takes a database from the
 * version before to that one; verify.c proves the plan in in-memory
 * SQLite databases before anything is generated.
 */
#ifndef SCHEMAC_HISTORY_H
#define SCHEMAC_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

/* One SQL statement of a plan, with the schema element it comes from
 * (for messages when it fails). */
struct plan_sql {
    const char *sql;            /* no final ';' */
    struct pos pos;
    const struct m_migration *data;     /* a data step, or NULL */
};

/* The operations of one version step, run in one transaction. */
struct plan_step {
    int version;                /* the step ends at this version */
    struct plan_sql *sql;
    size_t nsql;
    bool rebuild;               /* foreign keys off around the step and
                                   foreign_key_check before it commits */
};

/* Every step with operations, in ascending versions. */
struct plan {
    struct plan_step *steps;
    size_t nsteps;
    int *versions;              /* where the schema can change, ascending */
    size_t nversions;
};

/*
 * Plan the migrations of m into *plan.  The schema changes only at the
 * versions its history names (1, the current version, every since, until,
 * rename and data step), kept in plan->versions; between two of them it
 * is the same, so only they are planned and proven, however large the
 * version numbers.  For each of them v from 2 to the current one, drop indexes and tables gone at v, rename tables, rename
 * columns, create tables, add columns, drop columns, rebuild the tables
 * ALTER TABLE cannot change, create indexes new at v, then v's data steps
 * in source order.  Versions without operations get no step.  Returns 0,
 * or -1 when memory ran out.  Everything lives in a; m must outlive it.
 */
int history_plan(struct arena *a, const struct model *m, struct plan *plan);

/*
 * The DDL that creates version v of m from nothing, as the runtime does
 * for the current version: each table alive at v in declaration order,
 * then its indexes.  Stores the statements (in a) in *sql and *n.
 * Returns 0, or -1 when memory ran out.
 */
int history_ddl(struct arena *a, const struct model *m, int v,
                struct plan_sql **sql, size_t *n);

/*
 * Report histories no migration can follow: a foreign key alive at a
 * version where the table or column it names does not exist.  Returns
 * the number of errors queued in d.
 */
int history_check(struct diags *d, const struct model *m);

/*
 * Prove plan in in-memory databases (verify.c): every version's DDL
 * loads; every data step runs against the schema of its version; and a
 * database created at each older version and migrated by plan equals a
 * new database of the current version (sqlite_master SQL up to spacing
 * and quoting, table_info, foreign_key_list, index_list, index_xinfo).
 * Returns the number of errors queued in d (0: the plan is sound).
 */
int history_verify(struct arena *a, struct diags *d, const struct model *m,
                   const struct plan *plan);

#endif /* SCHEMAC_HISTORY_H */
