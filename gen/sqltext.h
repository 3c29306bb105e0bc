/*
 * sqltext.h - reading SQL text without SQLite: cutting it into tokens (to
 * find where a parameter or result column is written), and what a plain
 * SELECT's result expressions give whatever the rows hold (count(...)
 * and literals are never NULL), which SQLite's API does not say.
 */
#ifndef SCHEMAC_SQLTEXT_H
#define SCHEMAC_SQLTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The kinds of token sqltext_token() tells apart. */
enum sqltext_tok {
    SQLTEXT_END,        /* the end of the text */
    SQLTEXT_NAME,       /* a bare name or number */
    SQLTEXT_PARAM,      /* ?NNN, :x, @x, $x */
    SQLTEXT_OTHER       /* a quoted string or name, or one other byte */
};

/* True for a byte SQLite allows in a parameter or identifier name. */
bool sqltext_name_byte(unsigned char ch);

/*
 * Cut the next token of sql from *i on, skipping blanks and comments.
 * Sets *start to its first byte and *i past it; returns its kind.
 */
enum sqltext_tok sqltext_token(const char *sql, size_t *i, size_t *start);

/*
 * The length of the first statement of sql, PostgreSQL's SQL: the bytes
 * before its first ';' outside quotes, comments and dollar quotes ($$ or
 * $tag$ ... the same again, as a function body is written), or all of
 * sql when there is no such ';'.
 */
size_t sqltext_pg_statement_len(const char *sql);

/* True when the len bytes at s spell word, ignoring ASCII case. */
bool sqltext_spells(const char *s, size_t len, const char *word);

/* What the text of one result expression tells. */
struct sqltext_result {
    bool never_null;    /* count(...), or a number or string literal */
    enum m_type type;   /* its type, when never_null */
};

/*
 * When sql is one plain SELECT (no WITH, no UNION, INTERSECT or EXCEPT)
 * whose select list has exactly n expressions, fill out[0..n) and return
 * true; otherwise return false (out is then not to be read).  An
 * expression is what comes before its top-level AS (an alias without AS
 * leaves the expression unknown).
 */
bool sqltext_results(const char *sql, struct sqltext_result *out, size_t n);

#endif /* SCHEMAC_SQLTEXT_H */
