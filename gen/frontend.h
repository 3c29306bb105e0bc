/*
 * frontend.h - from schema text to checked model: lexer (lexer.re), parser
 * (parser.c), checks (check.c) and checked queries (queries.c).  Used by
 * main.c and the fuzz targets.
 */
#ifndef SCHEMAC_FRONTEND_H
#define SCHEMAC_FRONTEND_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "model.h"

/*
 * Lex, parse and check the len bytes at text (text[len] must be NUL; NUL
 * bytes inside are errors, not the end), read from the file named file,
 * then prepare every query against the schema (queries.c).
 * On success stores the model in *out and returns 0; otherwise queues
 * every error found in d and returns -1 (*out is NULL).  Everything lives
 * in a; file and text are borrowed and must outlive the model.
 */
int frontend_load(struct arena *a, struct diags *d, const char *file,
                  const char *text, size_t len, struct model **out);

#endif /* SCHEMAC_FRONTEND_H */
