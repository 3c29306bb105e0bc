/*
 * model.h - the checked schema: what check.c builds from the AST and every
 * writer reads (const).  Names are resolved to pointers; every node keeps
 * the position it was written at; history (since/until/renamed_from) is
 * kept on each node so any version of the schema can be derived.
 */
#ifndef SCHEMAC_MODEL_H
#define SCHEMAC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum m_type {
    M_INTEGER, M_REAL, M_TEXT, M_BLOB, M_BOOLEAN, M_TIMESTAMP,
    M_ENUM                      /* a schema enum, stored as TEXT */
};

/*
 * The versions a node exists in: since <= v and (until == 0 or v < until).
 * since is at least 1; until 0 means "still here".
 */
struct m_span {
    int since;
    int until;
    struct pos since_pos, until_pos;    /* line 0 when not written */
};

/* `renamed_from old since version`: before `version` the name was old. */
struct m_rename {
    struct pos pos;
    const char *old_name;
    int version;
};

enum m_ckind {
    M_C_PRIMARY_KEY, M_C_NOT_NULL, M_C_UNIQUE, M_C_DEFAULT, M_C_CHECK,
    M_C_REFERENCES
};

/*
 * One constraint.  On a column it applies to that column; on a table
 * (primary key, unique, check, foreign key) to the listed columns.
 */
struct m_constraint {
    struct pos pos;
    enum m_ckind kind;
    const char *name;           /* `constraint NAME`, or NULL */
    struct m_span span;
    const char *sql;            /* DEFAULT: literal as SQL ("0.5",
                                   "'pending'", "NULL", "CURRENT_TIMESTAMP");
                                   CHECK: the expression */
    struct m_column **columns;  /* table-level PRIMARY KEY / UNIQUE /
                                   FOREIGN KEY */
    size_t ncolumns;
    struct m_table *ref_table;  /* REFERENCES */
    struct m_column **ref_columns;      /* the parent key, one per column
                                           (a column's REFERENCES: one) */
    size_t nref_columns;
    const char *on_delete;      /* "CASCADE", "SET NULL", ... or NULL */
    const char *on_update;
    bool autoincrement;         /* PRIMARY KEY AUTOINCREMENT (a column's) */
    bool deferrable;            /* REFERENCES: checked at commit */
};

/* One value of an enum: its name is what the database stores. */
struct m_enum_value {
    struct pos pos;
    const char *name;
    const char *doc;
    struct m_span span;
    const struct m_enum_value *replaced_by;     /* at span.until, rows
                                                   holding this value take
                                                   that one; NULL: none */
};

/* `enum NAME { ... }`: a column of this type stores a value's name. */
struct m_enum {
    struct pos pos;
    const char *name;
    const char *doc;
    struct m_enum_value *values;        /* declaration order */
    size_t nvalues;
};

struct m_column {
    struct pos pos;
    const char *name;           /* the current name in the schema and C */
    const char *sql_name;       /* the current name in SQL (`sql "..."`),
                                   else name; m_column_name_at() */
    const char *doc;            /* doc comment, or NULL */
    enum m_type type;
    const struct m_enum *enum_type;     /* M_ENUM: which one */
    const char *collate;        /* "NOCASE", "BINARY", "RTRIM", or NULL */
    const char *generated;      /* a generated column's expression (SQLite
                                   computes the value; nothing writes it),
                                   or NULL */
    bool stored;                /* generated: STORED, else VIRTUAL */
    const struct m_column *converts_from;       /* the declaration of the
                                   same name this one follows at its
                                   `since`, with another type: its values
                                   are converted into this one; or NULL */
    struct m_span span;
    struct m_rename *renames;   /* ascending versions */
    size_t nrenames;
    struct m_constraint *constraints;
    size_t nconstraints;
    struct m_table *table;
    size_t index;               /* its place in table->columns */
};

/* One entry of an index: a column, or an expression over the table's
 * columns (which SQLite checks when it creates each version). */
struct m_index_column {
    struct m_column *column;    /* NULL for an expression */
    const char *expr;           /* the expression as written inside its
                                   parentheses, or NULL for a column */
    bool desc;
    const char *collate;        /* as on a column, or NULL */
};

struct m_index {
    struct pos pos;
    const char *name;
    bool unique;
    struct m_span span;
    struct m_index_column *columns;
    size_t ncolumns;
    const char *where;          /* partial index condition, or NULL */
    bool has_expr;              /* an entry is an expression */
    bool unversioned;           /* in no version: created by the runtime
                                   where missing (span: the current
                                   version, for its columns' checks) */
    bool retired;               /* unversioned with `until`: only dropped,
                                   its columns unresolved (ncolumns 0)
                                   and where NULL */
    struct m_table *table;
};

struct m_table {
    struct pos pos;
    const char *name;           /* the current name in the schema and C */
    const char *sql_name;       /* the current name in SQL (`sql "..."`),
                                   else name; m_table_name_at() */
    const char *doc;
    struct m_span span;
    struct m_rename *renames;
    size_t nrenames;
    struct m_column **columns;  /* declaration order */
    size_t ncolumns;
    struct m_constraint *constraints;   /* table-level */
    size_t nconstraints;
    struct m_index **indexes;
    size_t nindexes;
    bool is_version_table;
    bool is_view;               /* a view's columns (m_object.table): read
                                   only, in no model.tables */
    bool strict;                /* STRICT: SQLite enforces the types */
    bool without_rowid;         /* WITHOUT ROWID: needs a primary key */
    size_t index;               /* its place in model.tables */
};

/* `migration N sql "..."`: a data step run after version N's DDL. */
struct m_migration {
    struct pos pos;
    int version;
    const char *sql;
    struct pos sql_pos;         /* of the first byte inside the string */
    const char *sql_body;       /* the string as written between its */
    size_t sql_body_len;        /* quotes, to map error offsets */
};

/* SQL the schema gives for PostgreSQL in place of the SQLite text beside
 * it (`postgresql "..."`), and where its string starts, to map an offset
 * in it back into the file; sql NULL when none is given. */
struct m_sqltext {
    const char *sql;
    struct pos pos;             /* of the first byte inside the string */
    const char *body;           /* the string as written between its */
    size_t body_len;            /* quotes */
};

/*
 * What SQLite keeps as the text that made it, a trigger (`trigger NAME
 * ... "CREATE TRIGGER NAME ..."`) or a view (`view NAME ... "SELECT
 * ..."`): created with its version's DDL (views first, as triggers may
 * name them), dropped and created again around every version step.
 */
struct m_object {
    struct pos pos;
    const char *name;
    const char *doc;
    struct m_span span;
    bool is_view;
    const char *sql;            /* CREATE TRIGGER ... / CREATE VIEW ... */
    const char *select;         /* a view's SELECT as written */
    struct pos sql_pos;         /* of the first byte inside the string */
    const char *sql_body;       /* the string as written between its */
    size_t sql_body_len;        /* quotes, to map error offsets */
    struct m_table *table;      /* a view's columns as a read-only table
                                   for the writers (queries_check() fills
                                   them from the SELECT); NULL for a
                                   trigger */
    struct m_sqltext pg;        /* a view's SELECT, a trigger's
                                   statements, for PostgreSQL */
};

enum m_query_kind { M_Q_ONE, M_Q_MANY, M_Q_EXEC };

struct m_param {
    struct pos pos;
    const char *name;
    enum m_type type;
    const struct m_enum *enum_type;     /* M_ENUM: which one */
};

/* A result column of a query, as queries.c found it by preparing it. */
struct m_result {
    const char *name;           /* the column's name in the result */
    enum m_type type;
    bool not_null;              /* SQLite cannot yield NULL for it: read
                                   straight from a NOT NULL or rowid
                                   column, through no outer join; or
                                   count(...) or a literal; or asserted */
    bool asserted;              /* its name ends in '!' (dropped from
                                   name): the author says it is never
                                   NULL, and reading a NULL is an error */
};

struct m_query {
    struct pos pos;
    const char *name;
    const char *noun;           /* "query", or "view" for a view's SELECT
                                   checked as one, for messages */
    const char *doc;
    struct m_param *params;
    size_t nparams;
    enum m_query_kind kind;
    struct pos kind_pos;        /* of the 'one', 'many' or 'exec' */
    struct m_table *returns;    /* `returns TABLE`, or NULL */
    struct m_query *returns_query;      /* `returns QUERY`, or NULL */
    struct pos returns_pos;     /* of the name after `returns` */
    const char *sql;
    struct pos sql_pos;         /* of the first byte inside the string */
    const char *sql_body;       /* the string as written between its */
    size_t sql_body_len;        /* quotes, to map error offsets */
    struct m_sqltext pg;        /* the statement for PostgreSQL */
    /* Filled by queries_check() once the SQL is prepared: */
    int *param_index;           /* per param, its SQL parameter number */
    struct m_result *results;   /* result columns in order (none: exec) */
    size_t nresults;
    struct m_table *row_table;  /* the results are exactly this table's
                                   columns, so rows use its struct; NULL:
                                   the query gets its own row struct */
    struct m_query *row_query;  /* `returns QUERY` of a query with its
                                   own row struct: rows use that struct;
                                   else NULL */
    bool row_many;              /* it has its own row struct and rows of
                                   it reach a callback: it, or a query
                                   returning its rows, is 'many' */
};

struct model {
    const char *file;           /* the schema file's name as given */
    struct pos pos;
    const char *name;           /* `schema NAME`: the C prefix */
    const char *doc;
    int version;
    const char *version_table;  /* NULL: PRAGMA user_version */
    const char *default_path;   /* NULL when not set */
    struct m_table **tables;    /* declaration order */
    size_t ntables;
    struct m_migration *migrations;     /* source order */
    size_t nmigrations;
    struct m_query *queries;
    size_t nqueries;
    struct m_enum *enums;       /* source order */
    size_t nenums;
    struct m_object *triggers; /* source order */
    size_t ntriggers;
    struct m_object *views;    /* source order */
    size_t nviews;
};

/* The schema's triggers and views in creation order, i below
 * m_nobjects(m): the views (which triggers may name), then the
 * triggers. */
size_t m_nobjects(const struct model *m);
const struct m_object *m_object_at(const struct model *m, size_t i);

/* True when span covers version v. */
bool m_alive(const struct m_span *span, int v);

/* The query whose own row struct q's rows use (q itself, or the query
 * whose rows it returns), or NULL when q is exec or its rows are a
 * table's. */
const struct m_query *m_row_query(const struct m_query *q);

/* True when spans a and b share a version. */
bool m_overlap(const struct m_span *a, const struct m_span *b);

/* The SQL name of a table or column at version v, following its
 * renames. */
const char *m_table_name_at(const struct m_table *t, int v);
const char *m_column_name_at(const struct m_column *c, int v);

/* The SQL declared type of a column type: "INTEGER", "REAL", ... */
const char *m_type_sql(enum m_type t);

/* The schema-language name of a type: "integer", "real", ... */
const char *m_type_name(enum m_type t);

#endif /* SCHEMAC_MODEL_H */
