/*
 * ddl.h - SQL spelling shared by the writers and the planner: identifiers,
 * and CREATE TABLE and CREATE INDEX of a table as a view (view.h) shows
 * it at some version, in SQLite's spelling or PostgreSQL's (the dialect
 * only changes spelling; what can be spelled at all in PostgreSQL is
 * checked by dialect.h first).  C spelling lives in cdecl.h.
 */
#ifndef SCHEMAC_DDL_H
#define SCHEMAC_DDL_H

#include "arena.h"
#include "model.h"
#include "strbuf.h"
#include "view.h"

/* The SQL engines the generator writes for. */
enum sql_dialect {
    SQL_SQLITE,
    SQL_POSTGRESQL
};

/*
 * Append name as an SQL identifier: as is when it is a plain identifier
 * ([A-Za-z_][A-Za-z0-9_]*) that SQLite does not treat as a keyword,
 * otherwise in double quotes with inner double quotes doubled.  Every
 * identifier the generator writes into SQL goes through here.
 */
void ddl_ident(struct strbuf *sb, const char *name);

/*
 * ddl_ident() in dialect d.  PostgreSQL folds an unquoted name to lower
 * case, as it folds the same name written unquoted in the schema's own
 * SQL (checks, queries, views), so a plain name stays unquoted there too
 * and only PostgreSQL's reserved words and names that are not plain are
 * quoted.
 */
void ddl_ident_in(struct strbuf *sb, enum sql_dialect d, const char *name);

/* The declared type of column vc of vt in dialect d (PostgreSQL: integer
 * BIGINT, real DOUBLE PRECISION, blob BYTEA, boolean BOOLEAN, text,
 * timestamps and enums TEXT). */
const char *ddl_type(enum sql_dialect d, const struct v_table *vt,
                     const struct v_column *vc);

/*
 * The value a DEFAULT whose SQL is sql (m_constraint.sql) gives a column
 * of type type, as dialect d spells it: the DDL's DEFAULT and the
 * coalesce() of the generated inserts both write this.  On PostgreSQL a
 * boolean's 0 and 1 are FALSE and TRUE, and CURRENT_TIMESTAMP is the
 * UTC text SQLite stores, to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC',
 * 'YYYY-MM-DD HH24:MI:SS').  Returns sql itself or a static string.
 */
const char *ddl_default(enum sql_dialect d, enum m_type type,
                        const char *sql);

/*
 * Append the PostgreSQL expression that draws the next value of vc, the
 * rowid key of vt (an identity there, see ddl_type()):
 * nextval(pg_get_serial_sequence('table', 'column')), the table's name
 * as the DDL spells it, the column's as PostgreSQL stores it.
 */
void ddl_identity_next(struct strbuf *sb, const struct v_table *vt,
                       const struct v_column *vc);

/* Append pg_get_serial_sequence('table', 'column'), the sequence of
 * vc's identity (ddl_identity_next() draws from it). */
void ddl_identity_sequence(struct strbuf *sb, const struct v_table *vt,
                           const struct v_column *vc);

/*
 * Append the CREATE TABLE statement of vt under its name, without a
 * final ';': one column per line (four spaces in), the live columns with
 * their live constraints, then the live table constraints.
 */
void ddl_create_table(struct strbuf *sb, enum sql_dialect d,
                      const struct v_table *vt);

/*
 * The same statement under another table name, for the new copy of a
 * table rebuilt by a migration (references keep the names at vt's
 * version).
 */
void ddl_create_table_as(struct strbuf *sb, enum sql_dialect d,
                         const struct v_table *vt, const char *name);

/*
 * The same statement without any foreign key, for the new copy of a
 * table PostgreSQL rebuilds: its keys are added (ddl_add_constraint())
 * once every table they join has its final name.
 */
void ddl_create_table_bare(struct strbuf *sb, enum sql_dialect d,
                           const struct v_table *vt, const char *name);

/*
 * True when k, a constraint of vt, is added by an ALTER TABLE after
 * every table is created instead of inside vt's CREATE TABLE (and ADD
 * COLUMN): on PostgreSQL, a foreign key to a table declared after vt's,
 * which does not exist yet when vt is created.
 */
bool ddl_added_later(enum sql_dialect d, const struct v_table *vt,
                     const struct m_constraint *k);

/*
 * Append ALTER TABLE vt ADD k, without a final ';': k is a CHECK,
 * UNIQUE, PRIMARY KEY or foreign key of vt's column vc, or of the table
 * when vc is NULL, under its name when it has one.
 */
void ddl_add_constraint(struct strbuf *sb, enum sql_dialect d,
                        const struct v_table *vt, const struct v_column *vc,
                        const struct m_constraint *k);

/*
 * Append the definition of column vc of vt, the way CREATE TABLE and
 * ALTER TABLE ADD COLUMN both write it: name, declared type, then its
 * live constraints.
 */
void ddl_column_def(struct strbuf *sb, enum sql_dialect d,
                    const struct v_table *vt, const struct v_column *vc);

/*
 * Append the CREATE [UNIQUE] INDEX statement of ix, one of vt's live
 * indexes, on one line, without a final ';'.
 */
void ddl_create_index(struct strbuf *sb, enum sql_dialect d,
                      const struct v_table *vt, const struct m_index *ix);

/*
 * Append the statement that creates unversioned index ix of vt (the
 * current version) when the database lacks it and does nothing, taking
 * no write lock, when it is there: CREATE INDEX IF NOT EXISTS on SQLite;
 * on PostgreSQL a DO block that looks the name up first.
 */
void ddl_create_unversioned(struct strbuf *sb, enum sql_dialect d,
                            const struct v_table *vt,
                            const struct m_index *ix);

/* Append DROP INDEX IF EXISTS of unversioned index ix. */
void ddl_drop_unversioned(struct strbuf *sb, enum sql_dialect d,
                          const struct m_index *ix);

/*
 * The statement that creates view or trigger t in dialect d, in a (NULL
 * when a ran out): on SQLite its text; on PostgreSQL a view is CREATE
 * VIEW over its PostgreSQL SELECT when it gives one (else its SELECT),
 * and a trigger is its PostgreSQL statements, which dialect_check()
 * demands.
 */
const char *ddl_object_sql(struct arena *a, enum sql_dialect d,
                           const struct m_object *t);

/*
 * Called by ddl_each() for each statement of a version's DDL: sql (no
 * final ';') creates table vt, or its index ix when ix is not NULL.
 * Return 0 to go on, anything else to stop.
 */
typedef int ddl_fn(void *arg, const char *sql, const struct v_table *vt,
                   const struct m_index *ix);

/*
 * Spell the DDL of vw's version in dialect d, the only order every output
 * uses: each table in declaration order, followed by its indexes (then,
 * on PostgreSQL, an ALTER TABLE for each foreign key to a table declared
 * later, which PostgreSQL must have before it takes the key; fn gets its
 * table and a NULL index), and call fn for each statement.  Returns 0,
 * fn's non-zero value, or -1 when memory ran out.
 */
int ddl_each(const struct view *vw, enum sql_dialect d, ddl_fn *fn,
             void *arg);

/*
 * Call fn with the ALTER TABLE ... ADD FOREIGN KEY of each foreign key of
 * vt that ddl_added_later() puts after the tables, its columns' first,
 * then its table constraints' (as ddl_each() does for a version's DDL).
 * Returns as ddl_each().
 */
int ddl_later_keys(const struct v_table *vt, enum sql_dialect d, ddl_fn *fn,
                   void *arg);

#endif /* SCHEMAC_DDL_H */
