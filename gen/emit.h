/*
 * emit.h - the writers: one output each, from a const checked model.
 * Output is deterministic: declaration order, no dates, paths or versions.
 */
#ifndef SCHEMAC_EMIT_H
#define SCHEMAC_EMIT_H

#include "model.h"
#include "strbuf.h"

/* NAME.sql: the DDL of the current version, runnable in sqlite3. */
void emit_sql(const struct model *m, struct strbuf *out);

/* NAME.h: structs, column enums, prototypes, the descriptor's extern. */
void emit_h(const struct model *m, struct strbuf *out);

/* NAME.c: column and table descriptors, statements, the sc_schema, and the
 * typed wrappers. */
void emit_c(const struct model *m, struct strbuf *out);

#endif /* SCHEMAC_EMIT_H */
