/*
 * ddl.h - SQL spelling shared by the writers: identifiers, CREATE TABLE and
 * CREATE INDEX of a table as it is at any version, the facts about a column
 * at a version that the DDL and the C writers both need, and the escaping
 * of text placed into generated C (comments and string literals).
 */
#ifndef SCHEMAC_DDL_H
#define SCHEMAC_DDL_H

#include <stdbool.h>

#include "model.h"
#include "strbuf.h"

/* ------------------------------------------------------------------ */
/* SQL                                                                 */
/* ------------------------------------------------------------------ */

/*
 * Append name as an SQL identifier: as is when it is a plain identifier
 * ([A-Za-z_][A-Za-z0-9_]*) that SQLite does not treat as a keyword,
 * otherwise in double quotes with inner double quotes doubled.  Every
 * identifier the generator writes into SQL goes through here.
 */
void ddl_ident(struct strbuf *sb, const char *name);

/*
 * Append the CREATE TABLE statement of t as it is at version v, without a
 * final ';': one column per line (four spaces in), the columns, names and
 * constraints alive at v, then the table constraints alive at v.  The
 * caller checks that t itself is alive at v.
 */
void ddl_create_table(struct strbuf *sb, const struct model *m,
                      const struct m_table *t, int version);

/*
 * The same statement under another table name, for the new copy of a
 * table rebuilt by a migration (references keep the names at v).
 */
void ddl_create_table_as(struct strbuf *sb, const struct model *m,
                         const struct m_table *t, int version,
                         const char *name);

/*
 * Append the definition of column c as it is at version v, the way
 * CREATE TABLE and ALTER TABLE ADD COLUMN both write it: name, declared
 * type, then the constraints alive at v.  The caller checks c is alive.
 */
void ddl_column_def(struct strbuf *sb, const struct m_column *c,
                    int version);

/*
 * Append the CREATE [UNIQUE] INDEX statement of ix as it is at version v,
 * on one line, without a final ';'.  The caller checks that ix and its
 * table are alive at v.
 */
void ddl_create_index(struct strbuf *sb, const struct model *m,
                      const struct m_index *ix, int version);

/*
 * Called by ddl_each() for each statement of a version's DDL: sql (no
 * final ';') creates table t, or its index ix when ix is not NULL.
 * Return 0 to go on, anything else to stop.
 */
typedef int ddl_fn(void *arg, const char *sql, const struct m_table *t,
                   const struct m_index *ix);

/*
 * Spell the DDL of version v, the only order every output uses: each
 * table alive at v in declaration order, followed by its indexes alive at
 * v, and call fn for each statement.  Returns 0, fn's non-zero value, or
 * -1 when memory ran out.
 */
int ddl_each(const struct model *m, int v, ddl_fn *fn, void *arg);

/* ------------------------------------------------------------------ */
/* Column facts at a version                                           */
/* ------------------------------------------------------------------ */

/* True when c is part of t's primary key at version v, by a column or a
 * table constraint alive at v. */
bool ddl_is_key(const struct m_table *t, const struct m_column *c, int v);

/* True when t has a primary key at version v. */
bool ddl_has_key(const struct m_table *t, int v);

/* True when c has a NOT NULL constraint alive at version v. */
bool ddl_is_not_null(const struct m_column *c, int v);

/* The SQL of c's DEFAULT alive at version v, or NULL when there is none or
 * it is DEFAULT NULL (which changes nothing). */
const char *ddl_default(const struct m_column *c, int v);

/* True when c's row struct member at version v gets a `has_` flag: a
 * nullable integer, real or boolean column that is not part of the key. */
bool ddl_has_flag(const struct m_table *t, const struct m_column *c, int v);

/* ------------------------------------------------------------------ */
/* Text placed into generated files                                    */
/* ------------------------------------------------------------------ */

/* The schema file's name without its folders, as the banners name it, so
 * the output does not depend on where the build ran.  Borrowed from m. */
const char *ddl_file_name(const struct model *m);

/*
 * Append the len bytes at s so they can sit inside a C block comment:
 * "*" "/" and "/" "*" are split by a space and "??" becomes "? ?" (no
 * trigraphs); other bytes are copied.
 */
void ddl_c_comment(struct strbuf *sb, const char *s, size_t len);

/*
 * Append the NUL-terminated s as the inside of a C string literal (no
 * quotes): backslash, double quote, control bytes and bytes >= 0x80 are
 * escaped (three-digit octal), "??" is broken so no trigraph forms.
 */
void ddl_c_string(struct strbuf *sb, const char *s);

/* ------------------------------------------------------------------ */
/* C declarations of the generated functions                          */
/* ------------------------------------------------------------------ */

/* The typed wrappers generated for a table, in the order they appear. */
enum ddl_fn {
    DDL_FN_INSERT, DDL_FN_UPSERT, DDL_FN_GET, DDL_FN_UPDATE, DDL_FN_DELETE,
    DDL_FN_COUNT, DDL_FN_SELECT, DDL_FN_FREE
};
#define DDL_NFN 8

/* The verb of fn as it ends the function name: "insert", "get", ... */
const char *ddl_fn_verb(enum ddl_fn fn);

/*
 * True when t gets function fn at version v: tables without a primary key
 * have no upsert, get, update or delete; tables whose every column is in
 * the key have no update.
 */
bool ddl_has_fn(const struct m_table *t, enum ddl_fn fn, int v);

/* The C type of a row struct member of type t: "int64_t", "double",
 * "bool", "char *" or "sc_blob". */
const char *ddl_c_type(enum m_type t);

/* Append the name of the key parameter for c in get and delete: c's name,
 * with '_' appended when it would clash with "db", "out" or "key". */
void ddl_c_param(struct strbuf *sb, const struct m_column *c);

/*
 * Append the declarator of t's function fn at the current version, from
 * the return type to the closing ')', wrapped at 79 columns with
 * parameters aligned after the '('.  With definition set the return type
 * sits on its own line (as in our .c files); otherwise on the same line.
 */
void ddl_c_signature(struct strbuf *sb, const struct model *m,
                     const struct m_table *t, enum ddl_fn fn,
                     bool definition);

/*
 * Append the declarator "ret name(params...)" the same way: parameters
 * wrapped at 79 columns and aligned after the '(', the return type on its
 * own line with definition set.  Also lays out long calls ("    return",
 * "sc_query_one", arguments).
 */
void ddl_c_declarator(struct strbuf *sb, const char *ret, const char *name,
                      const char *const *params, size_t nparams,
                      bool definition);

#endif /* SCHEMAC_DDL_H */
