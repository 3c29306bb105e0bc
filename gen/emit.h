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

/* The query sections of the two C outputs (emit_query.c): in NAME.h the
 * row structs and prototypes, in NAME.c the descriptors and functions,
 * query i using statement first_stmt + i of NAME_statements. */
void emit_query_h(const struct model *m, struct strbuf *out);
void emit_query_c(const struct model *m, struct strbuf *out,
                  unsigned first_stmt);

/* ------------------------------------------------------------------ */
/* Text shapes the writers share (emit_text.c)                         */
/* ------------------------------------------------------------------ */

/* Append a section heading: a rule, the title, a rule. */
void emit_heading(struct strbuf *out, const char *title);

/* Append the lines of doc (may be NULL) as lines of a block comment at
 * indent, each " * "-prefixed, then the line last (may be NULL). */
void emit_comment_lines(struct strbuf *out, const char *indent,
                        const char *doc, const char *last);

/* Append text as a block comment wrapped at 76 columns, two spaces after
 * each sentence. */
void emit_wrapped_comment(struct strbuf *out, const char *text);

/* Append the struct member declaration of name of type t, the type
 * padded to 9 columns ("int64_t  id;", "char    *body;"), to decl. */
void emit_member_decl(struct strbuf *decl, enum m_type t, const char *name);

/* The SC_T_ name of a column type: "SC_T_INTEGER", ... */
const char *emit_sc_type(enum m_type t);

#endif /* SCHEMAC_EMIT_H */
