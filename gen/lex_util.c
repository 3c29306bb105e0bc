/*
 * lex_util.c - what the lexer leaves to plain C: token kind names, and
 * the conversion of number and string tokens to values, with overflow
 * and bad escapes reported at the exact byte.
 */
#include "lexer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/schemac.h"     /* sc_utf8_check() */

/* ORDER TOK: one name per kind of enum tok, for messages. */
static const char *const tok_names[] = {
    "end of file", "name", "integer", "real number", "string",
    "doc comment", "'{'", "'}'", "'('", "')'", "';'", "','", "'='",
    "operator"
};

_Static_assert(sizeof(tok_names) / sizeof(tok_names[0]) == TOK_COUNT,
               "tok_names must follow enum tok");

/* Return the message name of a token kind; "?" for an unknown kind. */
const char *
tok_name(enum tok kind)
{
    if ((unsigned)kind >= TOK_COUNT)
        return "?";
    return tok_names[kind];
}

/*
 * Return the position of byte off inside token t: its line and column,
 * counting the newlines a string token may hold.
 */
struct pos
lex_pos_at(const struct token *t, size_t off)
{
    struct pos pos = t->pos;
    size_t i;

    for (i = 0; i < off && i < t->len; i++) {
        if (t->start[i] == '\n') {
            pos.line++;
            pos.col = 1;
        } else {
            pos.col++;
        }
    }
    return pos;
}

/* Where byte off of a string's value was written; see lexer.h. */
struct pos
lex_string_pos(struct pos start, const char *body, size_t len, size_t off)
{
    struct pos pos = start;
    size_t i = 0, out, step, k;

    for (out = 0; out < off && i < len; out++, i += step) {
        step = 1;
        if (body[i] == '\\' && i + 1 < len)
            step = body[i + 1] == 'x' ? 4 : 2;    /* \xHH, or \n and the like */
        if (step > len - i)
            step = len - i;
        for (k = 0; k < step; k++) {
            if (body[i + k] == '\n') {
                pos.line++;
                pos.col = 1;
            } else {
                pos.col++;
            }
        }
    }
    return pos;
}

/*
 * Convert the decimal integer token t, with its optional minus sign, to
 * *out.  Returns 0, or -1 after reporting a value outside int64_t.
 */
int
lex_int(struct diags *d, const struct token *t, int64_t *out)
{
    const char *s = t->start;
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    uint64_t limit;

    if (i < t->len && s[i] == '-') {
        neg = 1;
        i++;
    }
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < t->len; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (v > (limit - digit) / 10) {
            diag_error(d, &t->pos, "integer '%.*s' does not fit in 64 bits",
                       (int)t->len, s);
            *out = 0;
            return -1;
        }
        v = v * 10 + digit;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

/*
 * Convert the real number token t to *out.  Returns 0, or -1 after
 * reporting a value too large for a double (or no memory to convert it).
 */
int
lex_real(struct diags *d, const struct token *t, double *out)
{
    char *copy = malloc(t->len + 1);

    *out = 0;
    if (copy == NULL) {
        diag_error(d, &t->pos, "out of memory");
        return -1;
    }
    memcpy(copy, t->start, t->len);
    copy[t->len] = '\0';
    *out = strtod(copy, NULL);
    free(copy);
    if (!isfinite(*out)) {
        diag_error(d, &t->pos, "number '%.*s' is too large", (int)t->len,
                   t->start);
        return -1;
    }
    return 0;
}

/* Return the value of hex digit c, or -1. */
static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Unquote and unescape the string token t into a NUL-terminated copy in
 * a.  Every bad escape is reported at its backslash, a value the escapes
 * leave not UTF-8 at the string; returns 0, or -1 when any was bad (*out
 * still holds a best-effort value) or memory ran out.
 */
int
lex_string(struct arena *a, struct diags *d, const struct token *t,
           char **out)
{
    const unsigned char *s = (const unsigned char *)t->start;
    size_t n = t->len >= 2 ? t->len - 1 : 1;    /* index of closing quote */
    size_t i, o = 0;
    int rc = 0;
    char *buf;

    *out = buf = arena_alloc(a, t->len + 1);
    if (buf == NULL)
        return -1;
    for (i = 1; i < n; i++) {
        int hi, lo;
        struct pos pos;

        if (s[i] != '\\') {
            buf[o++] = (char)s[i];
            continue;
        }
        pos = lex_pos_at(t, i);
        switch (i + 1 < n ? s[i + 1] : 0) {
        case '\\': case '"': case '\'':
            buf[o++] = (char)s[i + 1];
            i++;
            continue;
        case 'n':
            buf[o++] = '\n';
            i++;
            continue;
        case 't':
            buf[o++] = '\t';
            i++;
            continue;
        case 'r':
            buf[o++] = '\r';
            i++;
            continue;
        case 'x':
            hi = i + 2 < n ? hexval(s[i + 2]) : -1;
            lo = i + 3 < n ? hexval(s[i + 3]) : -1;
            if (hi < 0 || lo < 0) {
                diag_error(d, &pos, "'\\x' needs two hex digits");
                rc = -1;
                i++;
                continue;
            }
            if (hi == 0 && lo == 0) {
                diag_error(d, &pos, "'\\x00' would put a NUL byte in the "
                           "string");
                rc = -1;
            } else {
                buf[o++] = (char)(hi * 16 + lo);
            }
            i += 3;
            continue;
        default:
            if (i + 1 < n && s[i + 1] > 0x20 && s[i + 1] < 0x7f)
                diag_error(d, &pos, "invalid escape sequence '\\%c'",
                           s[i + 1]);
            else
                diag_error(d, &pos, "invalid escape sequence");
            rc = -1;
            if (i + 1 < n)
                i++;
            continue;
        }
    }
    buf[o] = '\0';
    /* The token's bytes are UTF-8 (the lexer checked); \xHH escapes can
     * still make bytes that are not, which the runtime would refuse. */
    if ((i = sc_utf8_check(buf, o)) != o) {
        struct pos pos = lex_pos_at(t, 0);
        diag_error(d, &pos, "the escapes make the string not UTF-8 "
                   "(byte 0x%02x)", (unsigned char)buf[i]);
        rc = -1;
    }
    return rc;
}
