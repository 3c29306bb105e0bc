// re2c $INPUT -o $OUTPUT -W --no-version --no-generation-date
/*
 * lexer.re - cut a schema file into tokens.  The whole file is in memory
 * with one NUL past its end; re2c's end-of-input rule ($) ends the scan
 * there, so a NUL anywhere else is an ordinary bad byte.
 */
#include "lexer.h"

#include <stdio.h>

#include "../runtime/schemac.h"     /* sc_utf8_check() */

/* Record that a new line starts at p (just after a newline byte). */
static void
next_line(struct lexer *lx, const unsigned char *p)
{
    lx->line++;
    lx->line_start = p;
}

/* The position of byte p of the current line. */
static struct pos
pos_at(const struct lexer *lx, const unsigned char *p)
{
    struct pos pos;

    pos.file = lx->file;
    pos.line = lx->line;
    pos.col = (int)(p - lx->line_start) + 1;
    return pos;
}

/*
 * Fill *t with the token that runs from lx->tok to lx->cur.  Tokens that
 * may hold newlines (strings) pass has_newlines so the line count follows
 * them.  Returns nothing; the token points into the source.
 */
static void
make_token(struct lexer *lx, struct token *t, enum tok kind,
           int has_newlines)
{
    const unsigned char *p;

    t->kind = kind;
    t->start = (const char *)lx->tok;
    t->len = (size_t)(lx->cur - lx->tok);
    t->pos = pos_at(lx, lx->tok);
    t->doc = NULL;
    t->after_error = 0;
    if (has_newlines)
        for (p = lx->tok; p < lx->cur; p++)
            if (*p == '\n')
                next_line(lx, p + 1);
    t->end = pos_at(lx, lx->cur);
}

/* Report the byte at lx->tok as one nothing can start with. */
static void
bad_byte(struct lexer *lx)
{
    struct pos pos = pos_at(lx, lx->tok);
    unsigned char c = *lx->tok;

    if (c >= 0x21 && c < 0x7f)
        diag_error(lx->d, &pos, "unexpected character '%c'", c);
    else
        diag_error(lx->d, &pos, "unexpected byte 0x%02x", c);
    lx->nerrors++;
}

/*
 * A string or doc comment token was cut: report NUL bytes inside it
 * (they would end the C string early) and bytes that are not UTF-8 (the
 * runtime refuses such text, and the outputs, JSON among them, carry
 * these tokens).  Returns 0 when there are none.
 */
static int
check_text(struct lexer *lx, const struct token *t, const char *what)
{
    size_t i, ok;
    struct pos pos;
    int rc = 0;

    for (i = 0; i < t->len; i++)
        if (t->start[i] == '\0') {
            pos = lex_pos_at(t, i);
            diag_error(lx->d, &pos, "NUL byte in %s", what);
            lx->nerrors++;
            rc = -1;
        }
    for (i = 0; i < t->len; i += ok + 1) {
        if ((ok = sc_utf8_check(t->start + i, t->len - i)) == t->len - i)
            break;
        pos = lex_pos_at(t, i + ok);
        diag_error(lx->d, &pos, "%s is not UTF-8 (byte 0x%02x)", what,
                   (unsigned char)t->start[i + ok]);
        lx->nerrors++;
        rc = -1;
    }
    return rc;
}

/* Prepare lx to scan text[0..len); text[len] is the NUL sentinel. */
void
lex_init(struct lexer *lx, struct diags *d, const char *file,
         const char *text, size_t len)
{
    lx->cur = (const unsigned char *)text;
    lx->lim = lx->cur + len;
    lx->mar = lx->cur;
    lx->tok = lx->cur;
    lx->line_start = lx->cur;
    lx->file = file;
    lx->line = 1;
    lx->d = d;
    lx->nerrors = 0;
    lx->eof_error = false;
}

/*
 * Cut the next token into *t.  Skips blanks and '#' comments; reports and
 * skips bad bytes and malformed numbers; an unfinished string is reported
 * where it starts and ends the input (TOK_EOF, lx->eof_error set).
 */
void
lex_next(struct lexer *lx, struct token *t)
{
    for (;;) {
        lx->tok = lx->cur;
        /*!re2c
            re2c:api:style = free-form;
            re2c:define:YYCTYPE = "unsigned char";
            re2c:define:YYCURSOR = "lx->cur";
            re2c:define:YYMARKER = "lx->mar";
            re2c:define:YYLIMIT = "lx->lim";
            re2c:yyfill:enable = 0;
            re2c:eof = 0;

            eol     = "\n";
            blank   = [ \t\r\f\v]+;
            ident   = [A-Za-z_][A-Za-z0-9_]*;
            digits  = [0-9]+;
            exp     = [eE] [+-]? digits;
            int     = "-"? digits;
            real    = "-"? digits ("." digits exp? | exp);
            badnum  = "-"? [0-9] [A-Za-z0-9_.]*;
            dstring = ["] ([^"\\] | [\\][^])* ["];
            sstring = ['] ([^'\\] | [\\][^])* ['];
            dopen   = ["] ([^"\\] | [\\][^])* [\\]?;
            sopen   = ['] ([^'\\] | [\\][^])* [\\]?;
            op      = [-!%&*+./<>|~:?@$^[\]];

            eol         { next_line(lx, lx->cur); continue; }
            blank       { continue; }
            "##" [^\n\x00]* {
                make_token(lx, t, TOK_DOC, 0);
                if (check_text(lx, t, "doc comment") != 0)
                    continue;
                return;
            }
            "#" [^\n\x00]*  { continue; }
            ident       { make_token(lx, t, TOK_IDENT, 0); return; }
            int         { make_token(lx, t, TOK_INT, 0); return; }
            real        { make_token(lx, t, TOK_REAL, 0); return; }
            badnum      {
                struct pos pos = pos_at(lx, lx->tok);
                diag_error(lx->d, &pos, "malformed number near '%.*s'",
                           (int)(lx->cur - lx->tok), (const char *)lx->tok);
                lx->nerrors++;
                continue;
            }
            dstring | sstring {
                make_token(lx, t, TOK_STRING, 1);
                if (check_text(lx, t, "string") != 0)
                    continue;
                return;
            }
            dopen | sopen {
                struct pos pos = pos_at(lx, lx->tok);
                diag_error(lx->d, &pos, "unfinished string");
                lx->nerrors++;
                lx->eof_error = true;
                make_token(lx, t, TOK_STRING, 1);
                lx->tok = lx->cur;
                make_token(lx, t, TOK_EOF, 0);
                return;
            }
            "{"         { make_token(lx, t, TOK_LBRACE, 0); return; }
            "}"         { make_token(lx, t, TOK_RBRACE, 0); return; }
            "("         { make_token(lx, t, TOK_LPAREN, 0); return; }
            ")"         { make_token(lx, t, TOK_RPAREN, 0); return; }
            ";"         { make_token(lx, t, TOK_SEMI, 0); return; }
            ","         { make_token(lx, t, TOK_COMMA, 0); return; }
            "="         { make_token(lx, t, TOK_EQ, 0); return; }
            op          { make_token(lx, t, TOK_OP, 0); return; }
            $           { make_token(lx, t, TOK_EOF, 0); return; }
            *           { bad_byte(lx); continue; }
        */
    }
}
