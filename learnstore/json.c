/*
 * json.c - JSON as the Python store writes and reads it: text buffers,
 * json.dumps' escaping and float text (Python's repr), and a small reader
 * for the JSON the store keeps in its text columns (json.loads' grammar,
 * NaN and Infinity included).
 */
#include "learnstore.h"
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffers ------------------------------------------------------------ */

/* Append n bytes of s (the buffer stays NUL-terminated). */
void
lsi_buf_add(struct lsi_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        if ((p = realloc(b->p, cap)) == NULL) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Append the string s. */
void
lsi_buf_str(struct lsi_buf *b, const char *s)
{
    lsi_buf_add(b, s, strlen(s));
}

/* Append printf-formatted text. */
void
lsi_buf_printf(struct lsi_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
    } else if ((size_t)n < sizeof(small)) {
        lsi_buf_add(b, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big == NULL) {
            b->failed = true;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        lsi_buf_add(b, big, (size_t)n);
        free(big);
    }
}

/* Hand over the text. */
char *
lsi_buf_take(struct lsi_buf *b)
{
    char *p;

    if (!b->failed && b->p == NULL)
        lsi_buf_add(b, "", 0);
    p = b->failed ? NULL : b->p;
    if (p == NULL)
        free(b->p);
    memset(b, 0, sizeof(*b));
    return p;
}

/* Release the text. */
void
lsi_buf_fini(struct lsi_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* ---- JSON output -------------------------------------------------------- */

/* Decode the valid UTF-8 sequence at s (sc_utf8_check() said so) into
 * *cp; returns its length. */
static int
utf8_decode(const unsigned char *s, unsigned long *cp)
{
    int n = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4, i;

    *cp = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (i = 1; i < n; i++)
        *cp = (*cp << 6) | (s[i] & 0x3f);
    return n;
}

/* Whether the left bytes at p start a surrogate's three bytes, which
 * are not UTF-8 but are what reading "\udcc0" from stored JSON gives
 * (put_utf8()): written back as the same escape. */
static bool
is_surrogate(const unsigned char *p, size_t left)
{
    return left >= 3 && p[0] == 0xed && p[1] >= 0xa0 && p[1] <= 0xbf
        && (p[2] & 0xc0) == 0x80;
}

/* See internal.h. */
size_t
lsi_json_text_check(const char *s, size_t len)
{
    size_t i = 0, ok;

    while ((ok = sc_utf8_check(s + i, len - i)) < len - i) {
        i += ok;
        if (!is_surrogate((const unsigned char *)s + i, len - i))
            return i;
        i += 3;
    }
    return len;
}

/* Append s as a JSON string, escaped as json.dumps (ensure_ascii) does:
 * printable ASCII as itself, the usual short escapes, anything else as
 * \uXXXX (surrogate pairs past U+FFFF), a lone surrogate read from
 * stored JSON as its escape again.  Any other byte that starts no valid
 * UTF-8 sequence (text from a file some other program wrote) is written
 * as U+FFFD, one for each such byte. */
void
lsi_buf_json_string(struct lsi_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s), valid = 0;
    char esc[32];

    lsi_buf_add(b, "\"", 1);
    while (left > 0) {
        unsigned long cp = 0xfffd;
        int n = 1;
        const char *e = NULL;

        if (valid == 0)
            valid = sc_utf8_check((const char *)p, left);
        if (valid > 0) {
            n = utf8_decode(p, &cp);
            valid -= (size_t)n;
        } else if (is_surrogate(p, left)) {
            n = utf8_decode(p, &cp);
        }
        switch (cp) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        default: break;
        }
        if (e == NULL && cp >= 0x20 && cp < 0x7f) {
            esc[0] = (char)cp;
            esc[1] = '\0';
            e = esc;
        } else if (e == NULL && cp < 0x10000) {
            snprintf(esc, sizeof(esc), "\\u%04lx", cp);
            e = esc;
        } else if (e == NULL) {
            cp -= 0x10000;
            snprintf(esc, sizeof(esc), "\\u%04lx\\u%04lx",
                     0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
            e = esc;
        }
        lsi_buf_str(b, e);
        p += n;
        left -= (size_t)n;
    }
    lsi_buf_add(b, "\"", 1);
}

/* repr() of a Python float. */
void
lsi_py_repr(double x, char out[32])
{
    char e[40], digits[24];
    int prec, exp, nd = 0, decpt, i, j = 0;
    const char *p;

    if (isnan(x)) {
        snprintf(out, 32, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(out, 32, x < 0 ? "-inf" : "inf");
        return;
    }
    if (x == 0) {
        snprintf(out, 32, signbit(x) ? "-0.0" : "0.0");
        return;
    }
    /* The shortest correctly rounded digits that read back as x. */
    for (prec = 0; prec < 17; prec++) {
        snprintf(e, sizeof(e), "%.*e", prec, x);
        if (strtod(e, NULL) == x)
            break;
    }
    p = e;
    if (*p == '-')
        out[j++] = *p++;
    for (; *p != 'e'; p++)
        if (isdigit((unsigned char)*p))
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    exp = atoi(p + 1);
    decpt = exp + 1;
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            out[j++] = '0';
            out[j++] = '.';
            for (i = decpt; i < 0; i++)
                out[j++] = '0';
            for (i = 0; i < nd; i++)
                out[j++] = digits[i];
        } else {
            for (i = 0; i < decpt; i++)
                out[j++] = i < nd ? digits[i] : '0';
            out[j++] = '.';
            if (nd <= decpt)
                out[j++] = '0';
            for (i = decpt; i < nd; i++)
                out[j++] = digits[i];
        }
        out[j] = '\0';
    } else {
        out[j++] = digits[0];
        if (nd > 1) {
            out[j++] = '.';
            for (i = 1; i < nd; i++)
                out[j++] = digits[i];
        }
        snprintf(out + j, 32 - (size_t)j, "e%c%02d", exp < 0 ? '-' : '+',
                 exp < 0 ? -exp : exp);
    }
}

/* format(x, ".Nf") of a Python float. */
void
lsi_py_fixed(double x, int prec, char out[64])
{
    if (isnan(x))
        snprintf(out, 64, "nan");
    else
        snprintf(out, 64, "%.*f", prec, x);
}

/* Append x as json.dumps writes a float. */
void
lsi_buf_json_real(struct lsi_buf *b, double x)
{
    char r[32];

    if (isnan(x))
        lsi_buf_str(b, "NaN");
    else if (isinf(x))
        lsi_buf_str(b, x < 0 ? "-Infinity" : "Infinity");
    else {
        lsi_py_repr(x, r);
        lsi_buf_str(b, r);
    }
}

/* Append a JSON list of strings. */
void
lsi_buf_json_list(struct lsi_buf *b, const char *const *items, size_t n)
{
    size_t i;

    lsi_buf_add(b, "[", 1);
    for (i = 0; i < n; i++) {
        if (i > 0)
            lsi_buf_add(b, ", ", 2);
        if (items[i] == NULL)
            lsi_buf_add(b, "null", 4);
        else
            lsi_buf_json_string(b, items[i]);
    }
    lsi_buf_add(b, "]", 1);
}

/*
 * Return the JSON list of the n strings, as json.dumps(list) writes it
 * ('["a", "b"]'; a NULL item as null, json.dumps' None), malloc'd; NULL
 * when memory runs out (or items is NULL while n is not 0).
 */
char *
ls_json_list(const char *const *items, size_t n)
{
    struct lsi_buf b = LSI_BUF_INIT;

    if (n > 0 && items == NULL)
        return NULL;
    lsi_buf_json_list(&b, items, n);
    return lsi_buf_take(&b);
}

/* ---- JSON input --------------------------------------------------------- */

/* json.loads stops near Python's recursion limit. */
#define MAX_DEPTH 500

struct reader {
    const char *p;
    int depth;
    int rc;                 /* SC_CORRUPT or SC_NOMEM once failed */
};

static int value(struct reader *r, struct lsj *v);

/* Skip JSON white space. */
static void
skip_ws(struct reader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

/* Fail the read with rc; returns -1. */
static int
fail(struct reader *r, int rc)
{
    if (r->rc == SC_OK)
        r->rc = rc;
    return -1;
}

/* Four hex digits at p into *u; 0 or -1. */
static int
hex4(const char *p, unsigned *u)
{
    int i;

    *u = 0;
    for (i = 0; i < 4; i++) {
        int c = (unsigned char)p[i];
        if (!isxdigit(c))
            return -1;
        *u = *u * 16 + (unsigned)(isdigit(c) ? c - '0'
                                             : tolower(c) - 'a' + 10);
    }
    return 0;
}

/* Append code point cp as UTF-8 (a lone surrogate as its three bytes, as
 * Python's str holds it). */
static void
put_utf8(struct lsi_buf *b, unsigned long cp)
{
    char o[4];

    if (cp < 0x80) {
        o[0] = (char)cp;
        lsi_buf_add(b, o, 1);
    } else if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        lsi_buf_add(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        lsi_buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xf0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (char)(0x80 | (cp & 0x3f));
        lsi_buf_add(b, o, 4);
    }
}

/* string -> '"' chars '"'; *out malloc'd.  The opening quote is at r->p. */
static int
string(struct reader *r, char **out)
{
    struct lsi_buf b = LSI_BUF_INIT;
    const char *p = r->p + 1;

    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c < 0x20) {             /* also the end of the text */
            lsi_buf_fini(&b);
            return fail(r, SC_CORRUPT);
        }
        if (c != '\\') {
            const char *q = p;
            while ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\')
                q++;
            lsi_buf_add(&b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        p++;
        switch (*p) {
        case '"': lsi_buf_add(&b, "\"", 1); break;
        case '\\': lsi_buf_add(&b, "\\", 1); break;
        case '/': lsi_buf_add(&b, "/", 1); break;
        case 'b': lsi_buf_add(&b, "\b", 1); break;
        case 'f': lsi_buf_add(&b, "\f", 1); break;
        case 'n': lsi_buf_add(&b, "\n", 1); break;
        case 'r': lsi_buf_add(&b, "\r", 1); break;
        case 't': lsi_buf_add(&b, "\t", 1); break;
        case 'u': {
            unsigned u, lo;
            unsigned long cp;
            if (hex4(p + 1, &u) != 0) {
                lsi_buf_fini(&b);
                return fail(r, SC_CORRUPT);
            }
            p += 4;
            cp = u;
            if (u >= 0xd800 && u < 0xdc00 && p[1] == '\\' && p[2] == 'u'
                && hex4(p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((unsigned long)(u - 0xd800) << 10)
                     + (lo - 0xdc00);
                p += 6;
            }
            if (cp == 0) {          /* a NUL cannot be held in C text */
                lsi_buf_fini(&b);
                return fail(r, SC_CORRUPT);
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            lsi_buf_fini(&b);
            return fail(r, SC_CORRUPT);
        }
        p++;
    }
    r->p = p + 1;
    if ((*out = lsi_buf_take(&b)) == NULL)
        return fail(r, SC_NOMEM);
    return 0;
}

/* number -> '-'? int frac? exp?, as json.loads reads it: an int unless it
 * has a fraction or an exponent. */
static int
number(struct reader *r, struct lsj *v)
{
    const char *p = r->p, *start = p;
    bool real = false;
    char *end;

    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (isdigit((unsigned char)*p))
        while (isdigit((unsigned char)*p))
            p++;
    else
        return fail(r, SC_CORRUPT);
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        real = true;
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    }
    if ((*p == 'e' || *p == 'E')
        && (isdigit((unsigned char)p[1])
            || ((p[1] == '+' || p[1] == '-')
                && isdigit((unsigned char)p[2])))) {
        real = true;
        for (p += 2; isdigit((unsigned char)*p); p++)
            ;
    }
    v->d = strtod(start, &end);
    if (!real) {
        long long i;
        errno = 0;
        i = strtoll(start, &end, 10);
        /* Beyond 64 bits Python still has an int; keep it as a real. */
        if (end == p && errno == 0) {
            v->type = LSJ_INT;
            v->i = i;
        } else {
            v->type = LSJ_REAL;
        }
    } else {
        v->type = LSJ_REAL;
    }
    r->p = p;
    return 0;
}

/* Append v to the growing items of *arr (n items, capacity *cap). */
static int
push(struct reader *r, struct lsj **items, size_t *n, size_t *cap,
     char ***keys, char *key)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        struct lsj *it = realloc(*items, c * sizeof(**items));
        if (it == NULL)
            return fail(r, SC_NOMEM);
        *items = it;
        if (keys != NULL) {
            char **k = realloc(*keys, c * sizeof(**keys));
            if (k == NULL)
                return fail(r, SC_NOMEM);
            *keys = k;
        }
        *cap = c;
    }
    memset(&(*items)[*n], 0, sizeof(**items));
    if (keys != NULL)
        (*keys)[*n] = key;
    (*n)++;
    return 0;
}

/* array -> '[' (value (',' value)*)? ']'; object likewise with "key":. */
static int
container(struct reader *r, struct lsj *v, bool object)
{
    size_t cap = 0;
    char close = object ? '}' : ']';

    if (++r->depth > MAX_DEPTH)
        return fail(r, SC_CORRUPT);
    v->type = object ? LSJ_OBJECT : LSJ_ARRAY;
    r->p++;
    skip_ws(r);
    if (*r->p == close) {
        r->p++;
        r->depth--;
        return 0;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(r);
        if (object) {
            if (*r->p != '"' || string(r, &key) != 0)
                return fail(r, SC_CORRUPT);
            skip_ws(r);
            if (*r->p++ != ':') {
                free(key);
                return fail(r, SC_CORRUPT);
            }
        }
        if (push(r, &v->items, &v->n, &cap, object ? &v->keys : NULL, key)
            != 0) {
            free(key);
            return -1;
        }
        if (value(r, &v->items[v->n - 1]) != 0)
            return -1;
        skip_ws(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p != close)
            return fail(r, SC_CORRUPT);
        r->p++;
        r->depth--;
        return 0;
    }
}

/* value -> object | array | string | number | true | false | null |
 * NaN | Infinity | -Infinity */
static int
value(struct reader *r, struct lsj *v)
{
    skip_ws(r);
    switch (*r->p) {
    case '{':
        return container(r, v, true);
    case '[':
        return container(r, v, false);
    case '"':
        v->type = LSJ_STRING;
        return string(r, &v->s);
    default:
        break;
    }
    if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "false", 5) == 0) {
        v->type = LSJ_BOOL;
        v->b = *r->p == 't';
        r->p += v->b ? 4 : 5;
        return 0;
    }
    if (strncmp(r->p, "null", 4) == 0) {
        v->type = LSJ_NULL;
        r->p += 4;
        return 0;
    }
    if (strncmp(r->p, "NaN", 3) == 0) {
        v->type = LSJ_REAL;
        v->d = NAN;
        r->p += 3;
        return 0;
    }
    if (strncmp(r->p, "Infinity", 8) == 0
        || strncmp(r->p, "-Infinity", 9) == 0) {
        v->type = LSJ_REAL;
        v->d = *r->p == '-' ? -INFINITY : INFINITY;
        r->p += *r->p == '-' ? 9 : 8;
        return 0;
    }
    return number(r, v);
}

/* Free what v holds (not v itself). */
static void
release(struct lsj *v)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        release(&v->items[i]);
        if (v->keys != NULL)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->s);
}

/* Free a value from lsj_parse. */
void
lsj_free(struct lsj *v)
{
    if (v != NULL) {
        release(v);
        free(v);
    }
}

/* See internal.h. */
int
lsi_parse_stored(sc_db *db, const char *fn, const char *what,
                 const char *text, struct lsj **out)
{
    int rc = lsj_parse(text, out);

    if (rc == SC_NOMEM)
        return lsi_fail(db, rc, fn, "out of memory reading %s", what);
    if (rc != SC_OK)
        return lsi_fail(db, rc, fn, "stored %s '%.40s' is not JSON", what,
                        text != NULL ? text : "");
    return SC_OK;
}

/* Parse JSON text. */
int
lsj_parse(const char *text, struct lsj **out)
{
    struct reader r = { text, 0, SC_OK };
    struct lsj *v;

    *out = NULL;
    if (text == NULL)
        return SC_CORRUPT;
    if ((v = calloc(1, sizeof(*v))) == NULL)
        return SC_NOMEM;
    if (value(&r, v) == 0) {
        skip_ws(&r);
        if (*r.p != '\0')
            fail(&r, SC_CORRUPT);
    }
    if (r.rc != SC_OK) {
        lsj_free(v);
        return r.rc;
    }
    *out = v;
    return SC_OK;
}

/* The last member called key of object v. */
const struct lsj *
lsj_get(const struct lsj *v, const char *key)
{
    size_t i;

    if (v == NULL || v->type != LSJ_OBJECT)
        return NULL;
    for (i = v->n; i > 0; i--)
        if (strcmp(v->keys[i - 1], key) == 0)
            return &v->items[i - 1];
    return NULL;
}
