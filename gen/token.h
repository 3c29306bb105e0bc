/*
 * token.h - the tokens the lexer (lexer.re) cuts a schema into and the
 * parser reads.  A token points into the source buffer, which the caller
 * owns and keeps alive for the whole run.
 */
#ifndef SCHEMAC_TOKEN_H
#define SCHEMAC_TOKEN_H

#include <stddef.h>

#include "diag.h"

/*
 * Token kinds.  ORDER TOK: tok_name() in lex_util.c keeps a table of
 * names in this order; TOK_COUNT sizes it.
 */
enum tok {
    TOK_EOF,            /* end of input */
    TOK_IDENT,          /* [A-Za-z_][A-Za-z0-9_]*, keywords included */
    TOK_INT,            /* -?[0-9]+ */
    TOK_REAL,           /* -?[0-9]+.[0-9]+ with an optional exponent */
    TOK_STRING,         /* "..." or '...', escapes not yet converted */
    TOK_DOC,            /* ## to the end of the line */
    TOK_LBRACE,         /* { */
    TOK_RBRACE,         /* } */
    TOK_LPAREN,         /* ( */
    TOK_RPAREN,         /* ) */
    TOK_SEMI,           /* ; */
    TOK_COMMA,          /* , */
    TOK_EQ,             /* = */
    TOK_OP,             /* any other SQL operator character */
    TOK_COUNT
};

struct token {
    enum tok kind;
    const char *start;  /* first byte in the source */
    size_t len;         /* bytes, quotes and '##' included */
    struct pos pos;     /* of the first byte */
    struct pos end;     /* just past the last byte */
    const char *doc;    /* parser: the doc comment right before, or NULL */
    int after_error;    /* parser: the lexer reported an error before it */
};

/* The name of a token kind for messages ("name", "';'", ...). */
const char *tok_name(enum tok kind);

#endif /* SCHEMAC_TOKEN_H */
