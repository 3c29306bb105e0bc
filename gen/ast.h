/*
 * ast.h - the schema as written: what parser.c builds and check.c turns
 * into the model.  Names are strings, not yet resolved; every node keeps
 * the position it was written at.  Everything lives in the parser's arena.
 */
#ifndef SCHEMAC_AST_H
#define SCHEMAC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

/* A name with where it was written. */
struct ast_name {
    struct pos pos;
    const char *name;           /* NULL when absent */
};

/* A version number (`since 5`, `version 15`, `migration 13`). */
struct ast_version {
    struct pos pos;             /* of the number; line 0 when not written */
    int64_t value;
    bool set;
};

/* `since N` / `until N` as written on one element. */
struct ast_history {
    struct ast_version since, until;
};

/* `renamed_from OLD since N`. */
struct ast_rename {
    struct pos pos;             /* of `renamed_from` */
    struct ast_name old_name;
    struct ast_version since;
};

enum ast_lit {
    AST_LIT_INT, AST_LIT_REAL, AST_LIT_STRING, AST_LIT_NULL, AST_LIT_TRUE,
    AST_LIT_FALSE, AST_LIT_CURRENT_TIMESTAMP, AST_LIT_NAME
};

/* A DEFAULT value. */
struct ast_literal {
    struct pos pos;
    enum ast_lit kind;
    const char *text;           /* numbers: as written; strings: the value;
                                   AST_LIT_NAME: an enum value's name */
    int64_t ival;               /* AST_LIT_INT */
};

/* `on delete ACTION` / `on update ACTION`. */
struct ast_action {
    struct pos pos;             /* of `on` */
    const char *sql;            /* "CASCADE", "SET NULL", ...; NULL: none */
};

/*
 * A constraint on a column, or (primary key, unique, check) on a table.
 * Uses the fields its kind needs.
 */
struct ast_constraint {
    struct pos pos;
    enum m_ckind kind;
    struct ast_name name;               /* `constraint NAME`; name NULL
                                           when not given */
    struct ast_history hist;
    struct ast_literal def;             /* M_C_DEFAULT */
    const char *expr;                   /* M_C_CHECK: text inside ( ) */
    struct ast_name *columns;           /* table PRIMARY KEY / UNIQUE /
                                           FOREIGN KEY */
    size_t ncolumns;
    struct ast_name ref_table;          /* M_C_REFERENCES */
    struct ast_name *ref_columns;       /* the parent's, as listed */
    size_t nref_columns;
    struct ast_action on_delete, on_update;
    bool autoincrement;                 /* column PRIMARY KEY AUTOINCREMENT */
    struct pos autoincrement_pos;
    bool deferrable;                    /* REFERENCES ... DEFERRABLE */
};

struct ast_column {
    struct pos pos;
    const char *name;
    const char *doc;
    struct ast_name type;
    struct ast_name collate;            /* name NULL when not given */
    struct ast_name sql_name;           /* `sql "NAME"`; NULL: its name */
    const char *generated;              /* `as (EXPR)`: EXPR, or NULL */
    struct pos generated_pos;           /* of `as` */
    bool stored;                        /* `as (EXPR) stored` */
    struct ast_history hist;
    struct ast_rename *renames;         /* as written */
    size_t nrenames;
    struct ast_constraint *constraints;
    size_t nconstraints;
};

/* One entry of an index: a column, or an expression in parentheses. */
struct ast_index_column {
    struct ast_name name;               /* name NULL for an expression */
    const char *expr;                   /* text inside ( ), or NULL */
    bool desc;
    struct ast_name collate;            /* name NULL when not given */
};

struct ast_index {
    struct pos pos;                     /* of `index` or `unique` */
    const char *name;
    struct pos name_pos;
    bool unique;
    struct ast_index_column *columns;
    size_t ncolumns;
    const char *where;                  /* text inside ( ), or NULL */
    struct ast_history hist;
    struct pos unversioned;             /* of `unversioned`; line 0 when
                                           not written */
};

struct ast_table {
    struct pos pos;                     /* of the name */
    const char *name;
    const char *doc;
    struct ast_name sql_name;           /* `sql "NAME"`; NULL: its name */
    struct ast_history hist;
    struct ast_rename *renames;
    size_t nrenames;
    struct ast_column *columns;
    size_t ncolumns;
    struct ast_index *indexes;
    size_t nindexes;
    struct ast_constraint *constraints; /* table-level */
    size_t nconstraints;
    bool strict;                        /* `strict` */
    bool without_rowid;                 /* `without rowid` */
    struct pos without_rowid_pos;
};

enum ast_value { AST_V_IDENT, AST_V_STRING, AST_V_INT };

/* `option NAME = VALUE;` */
struct ast_option {
    struct pos pos;                     /* of the name */
    const char *name;
    enum ast_value kind;
    const char *value;                  /* strings unescaped */
    struct pos value_pos;
};

/* `migration N sql "...";` */
struct ast_migration {
    struct pos pos;                     /* of `migration` */
    struct ast_version version;
    const char *sql;
    struct pos sql_pos;                 /* first byte inside the quotes */
    const char *sql_body;               /* the string as written, between */
    size_t sql_body_len;                /* its quotes (for error offsets) */
};

/* `trigger NAME { history } "CREATE TRIGGER NAME ..."`, or `view NAME
 * { history } "SELECT ..."` (sql is then the SELECT). */
struct ast_trigger {
    struct pos pos;                     /* of the name */
    const char *name;
    const char *doc;
    struct ast_history hist;
    const char *sql;
    struct pos sql_pos;                 /* first byte inside the quotes */
    const char *sql_body;               /* the string as written, between */
    size_t sql_body_len;                /* its quotes (for error offsets) */
    struct m_sqltext pg;                /* `postgresql "..."`, or none */
};

struct ast_param {
    struct pos pos;
    const char *name;
    struct ast_name type;
};

/* `query NAME(params) [returns TABLE|QUERY] one|many|exec "SQL";` */
struct ast_query {
    struct pos pos;                     /* of the name */
    const char *name;
    const char *doc;
    struct ast_param *params;
    size_t nparams;
    struct ast_name returns;            /* name NULL when absent */
    enum m_query_kind kind;
    struct pos kind_pos;
    const char *sql;
    struct pos sql_pos;                 /* first byte inside the quotes */
    const char *sql_body;               /* the string as written, between */
    size_t sql_body_len;                /* its quotes (for error offsets) */
    struct m_sqltext pg;                /* `postgresql "..."`, or none */
};

/* A whole schema file. */
/* One value of an enum, with its history. */
struct ast_enum_value {
    struct pos pos;
    const char *name;
    const char *doc;
    struct ast_history hist;
    struct ast_name replaced_by;        /* `replaced_by V`; name NULL when
                                           not given */
};

/* `enum NAME { v1, v2, ... }`. */
struct ast_enum {
    struct pos pos;                     /* of the name */
    const char *name;
    const char *doc;
    struct ast_enum_value *values;
    size_t nvalues;
};

struct ast_schema {
    struct pos pos;                     /* of `schema` */
    const char *name;
    const char *doc;
    struct ast_version version;
    struct ast_option *options;
    size_t noptions;
    struct ast_table *tables;
    size_t ntables;
    struct ast_migration *migrations;
    size_t nmigrations;
    struct ast_query *queries;
    size_t nqueries;
    struct ast_enum *enums;
    size_t nenums;
    struct ast_trigger *triggers;
    size_t ntriggers;
    struct ast_trigger *views;          /* `view NAME ... "SELECT ..."` */
    size_t nviews;
};

/*
 * Parse the len bytes at text (text[len] is NUL) read from file into an
 * AST in a.  Syntax errors (and the lexer's) go to d; parsing goes on
 * after each one.  Returns the AST (possibly partial), or NULL when
 * memory ran out; the caller must check d->nerrors before trusting it.
 */
struct ast_schema *parse_schema(struct arena *a, struct diags *d,
                                const char *file, const char *text,
                                size_t len);

/*
 * Check the AST and build the model in a.  Every semantic error goes to
 * d; stages run in order and each runs only if the previous was clean.
 * Returns the model, or NULL when any check failed.
 */
struct model *check_schema(struct arena *a, struct diags *d,
                           const char *file, const struct ast_schema *s);

#endif /* SCHEMAC_AST_H */
