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
#include "ddl.h"
#include "diag.h"
#include "model.h"

/* One SQL statement of a plan, with the schema element it comes from
 * (for messages when it fails). */
struct plan_sql {
    const char *sql;            /* no final ';' */
    struct pos pos;
    const struct m_migration *data;     /* a data step, or NULL */
    const struct m_table *table;        /* the table a version's DDL */
    const struct m_index *index;        /* creates, and its index; NULL in
                                           steps */
    const struct m_object *object;      /* a trigger or view a version's
                                           DDL (or a step) creates, or
                                           NULL */
};

/* The operations of one version step, run in one transaction. */
struct plan_step {
    int version;                /* the step ends at this version */
    struct plan_sql *sql;
    size_t nsql;
    bool rebuild;               /* foreign keys off around the step and
                                   foreign_key_check before it commits */
};

/* The DDL that creates one version from nothing (see history_ddl()). */
struct plan_ddl {
    int version;
    struct plan_sql *sql;
    size_t nsql;
};

/* An unversioned index (in no version: the runtime creates it where it
 * is missing and drops it before each migration step), in the plan's
 * dialect. */
struct plan_index {
    const struct m_index *index;
    const char *create;         /* ddl_create_unversioned(); NULL for a
                                   retired one (`until`), only dropped */
    const char *drop;           /* ddl_drop_unversioned() */
    const char *open;           /* what sc_open() runs: create, or drop
                                   for a retired one */
};

/* Every step with operations, in ascending versions, and the DDL of
 * every version where the schema can change: what is proven and what is
 * generated are these same statements. */
struct plan {
    struct plan_step *steps;
    size_t nsteps;
    struct plan_ddl *versions;  /* ascending; the last is the current */
    size_t nversions;
    const char *refusal;        /* PostgreSQL: why no plan can be given
                                   (a trigger to drop and create), or
                                   NULL; steps are then partial */
    struct pos refusal_pos;
    struct plan_index *unversioned;     /* tables' declaration order */
    size_t nunversioned;
};

/*
 * Store in *versions (n of them, ascending, in a) every version at which
 * m's schema can differ from the version before it: 1, the current
 * version, and every since, until, rename and data step between them.
 * Returns 0, or -1 when memory ran out.
 */
int history_versions(struct arena *a, const struct model *m, int **versions,
                     size_t *n);

/*
 * Plan the migrations of m into *plan.  The schema changes only at the
 * versions its history names (1, the current version, every since, until,
 * rename and data step), kept with their DDL in plan->versions; between
 * two of them it is the same, so only they are planned and proven,
 * however large the version numbers.  For each of them v from 2 to the
 * current one, the step to v compares the views (view.h) of v - 1 and v
 * and runs, in this order:
 *   1. drop_indexes    indexes gone at v from tables that stay as they are
 *   2. drop_tables     tables gone at v
 *   3. rename_tables   tables renamed at v (rebuilt ones too)
 *   4. rename_columns  columns renamed at v in tables not rebuilt
 *   5. create_tables   tables new at v, with their indexes
 *   6. alter_columns   per table not rebuilt: ADD COLUMN, then DROP COLUMN
 *   7. rebuild_tables  tables ALTER TABLE cannot change, rebuilt
 *   8. create_indexes  indexes new at v on tables neither new nor rebuilt
 *   9. data_steps      v's `migration` steps, in source order
 *  10. objects         when the step does anything or a trigger or view
 *                      comes or goes at v: every one of v - 1 dropped
 *                      first (before step 1, so no table change meets
 *                      one), every one of v created last (views first)
 * Versions without operations get no step.  plan->unversioned gets the
 * statements of the unversioned indexes.  Returns 0, or -1 when memory
 * ran out.  Everything lives in a; m must outlive it.
 */
int history_plan(struct arena *a, const struct model *m, struct plan *plan);

/*
 * history_plan() in dialect d.  SQLite's is the plan above.  PostgreSQL's
 * follows the same versions and the same order of steps 1 to 10 from the
 * same facts, with what its ALTER TABLE can do: a table is rebuilt only
 * for a change no ALTER can make (history.c, pg_needs_rebuild()); every
 * other table gets ADD and DROP COLUMN, ALTER COLUMN ... TYPE ... USING,
 * SET and DROP DEFAULT and NOT NULL, and ADD and DROP CONSTRAINT by name;
 * a dropped table that others reference goes with CASCADE; no step is
 * marked rebuild.  A trigger to drop and create sets plan->refusal.
 * m must have passed dialect_pg_refusals() (or dialect_check()).
 * Returns 0, or -1 when memory ran out.
 */
int history_plan_in(struct arena *a, const struct model *m,
                    enum sql_dialect d, struct plan *plan);

/*
 * Give plan (history_plan_in() of another dialect) exactly the step
 * versions of like: a version like has and plan has not gets a step with
 * no statements (its change is SQLite's alone, DEFAULT NULL coming, say),
 * so the runtime finds each version's steps at the same place in both.
 * A step of plan at a version like has none of cannot be (both plan the
 * same diffs; asserted).  Returns 0, or -1 when memory ran out.
 */
int history_align(struct arena *a, const struct plan *like,
                  struct plan *plan);

/*
 * The DDL that creates version v of m from nothing in dialect d, as the
 * runtime does for the current version: each table alive at v in
 * declaration order, then its indexes (ddl_each()), then the views and
 * triggers alive at v (m_object_at() order; their SQL as written, so for
 * PostgreSQL dialect_check() must have passed m).  Stores the statements
 * (in a) in *sql and *n.  Returns 0, or -1 when memory ran out.
 */
int history_ddl(struct arena *a, const struct model *m, int v,
                enum sql_dialect d, struct plan_sql **sql, size_t *n);

/*
 * Report histories no migration can follow: a foreign key alive at a
 * version where the table or column it names does not exist.  Returns
 * the number of errors queued in d.
 */
int history_check(struct diags *d, const struct model *m);

/* The DDL of the current version in plan (its last version). */
const struct plan_ddl *plan_current(const struct plan *plan);

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

/*
 * The generator's history stage: check m's history (history_check()),
 * plan its migrations into *plan and prove them (history_verify()).
 * Returns 0 when the plan is sound, else -1 with the errors queued in d
 * (none queued: memory ran out).  Everything lives in a.
 */
int history_prove(struct arena *a, struct diags *d, const struct model *m,
                  struct plan *plan);

#endif /* SCHEMAC_HISTORY_H */
