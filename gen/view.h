/*
 * view.h - the schema as it is at one version, resolved once: the tables
 * alive then, each with its live columns (name, key, NOT NULL, default,
 * has_ flag), live constraints and live indexes.  The planner and every
 * writer walk a view instead of filtering the model's history themselves,
 * so none can emit a dropped column by forgetting a filter.
 */
#ifndef SCHEMAC_VIEW_H
#define SCHEMAC_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "model.h"

/* One column alive at the view's version. */
struct v_column {
    const struct m_column *col;
    const char *name;           /* its name at the version */
    enum m_type type;
    bool is_key;                /* in a PRIMARY KEY alive then */
    bool not_null;              /* a NOT NULL alive then */
    bool unique;                /* a column UNIQUE alive then */
    bool has_flag;              /* the row member gets a has_ flag: a
                                   nullable integer, real or boolean
                                   column outside the key */
    bool is_rowid;              /* the table's only key column, integer:
                                   SQLite's rowid, which it assigns when
                                   an insert gives none */
    const char *def;            /* SQL of the DEFAULT alive then, NULL for
                                   none or DEFAULT NULL (no effect) */
    const char *enum_sql;       /* M_ENUM: the values alive then, as an SQL
                                   list ("'a', 'b'"), for the CHECK (name
                                   IN (...)) the column gets */
    const struct m_constraint *references;      /* a foreign key alive
                                                   then on the column, its
                                                   own or its table's that
                                                   lists it; or NULL */
    const struct m_column *ref_column;          /* the parent column it
                                                   holds a value of */
    const struct m_constraint *check;           /* alive then, or NULL */
    const struct m_constraint **constraints;    /* alive then, in schema */
    size_t nconstraints;                        /* order */
};

/* One table alive at the view's version. */
struct v_table {
    const struct m_table *table;
    int version;                /* the view's version */
    const char *name;           /* its name at the version */
    bool is_data;               /* not the version table */
    struct v_column *columns;   /* alive, declaration order */
    size_t ncolumns;
    size_t nkeys;               /* columns with is_key */
    size_t ngenerated;          /* generated columns (never written) */
    const struct v_column *rowid;       /* the is_rowid column, or NULL */
    const struct m_constraint **constraints;    /* table-level, alive */
    size_t nconstraints;
    const struct m_index **indexes;             /* alive */
    size_t nindexes;
    bool has_expressions;       /* a CHECK, partial index, index on an
                                   expression or generated column alive,
                                   which could name any
                                   column */
    const struct v_column **col_at;     /* per t->columns[i]: its view, or
                                           NULL when dead at the version */
};

struct view {
    const struct model *m;
    int version;
    struct v_table *tables;     /* alive, declaration order */
    size_t ntables;
    size_t ndata;               /* tables with is_data */
    const struct v_table **table_at;    /* per m->tables[i]: its view, or
                                           NULL when dead at the version */
    struct v_table *views;      /* the schema's views alive then whose
                                   columns are known (m_object.table),
                                   read-only tables, declaration order */
    size_t nviews;
};

/*
 * Resolve version v of m into *out.  Everything lives in a; m must
 * outlive it.  Returns 0, or -1 when memory ran out.
 */
int view_build(struct arena *a, const struct model *m, int v,
               struct view *out);

/* The view of t, which must be one of vw's model's tables, or NULL when
 * t is not alive at vw's version. */
const struct v_table *view_table(const struct view *vw,
                                 const struct m_table *t);

/* True when vt has a primary key; true when it has a column outside it
 * that a program writes (not generated). */
bool view_has_key(const struct v_table *vt);
bool view_has_non_key(const struct v_table *vt);

#endif /* SCHEMAC_VIEW_H */
