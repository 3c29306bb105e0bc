/*
 * number.c - numbers read from the text a database server writes.
 *
 * PostgreSQL sends every value as text (runtime/pg.c); a select of a few
 * hundred rows reads thousands of numbers, so the common spellings are
 * read here without strtoll()/strtod(), giving exactly what they give.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Parse the whole of s as a decimal integer; false when it is not one
 * or is out of range.  PostgreSQL writes an integer as an optional '-'
 * and its digits: up to 18 of them cannot overflow and are read here,
 * anything else (longer, or text in an integer column) by strtoll().
 */
bool
sci_parse_int(const char *s, int64_t *out)
{
    const char *p;
    char *end;
    long long v;
    uint64_t u = 0;
    int k;

    assert(s != NULL && out != NULL);
    p = s + (*s == '-');
    for (k = 0; k < 18 && p[k] >= '0' && p[k] <= '9'; k++)
        u = u * 10 + (uint64_t)(p[k] - '0');
    if (k > 0 && p[k] == '\0') {
        *out = *s == '-' ? -(int64_t)u : (int64_t)u;
        return true;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* Whether d is a subnormal: strtod() reports ERANGE for one, but it is
 * a double PostgreSQL stores and prints ("5e-324"). */
static bool
subnormal(double d)
{
    return d != 0.0 && d > -DBL_MIN && d < DBL_MIN;
}

/*
 * Parse the whole of s as a double (PostgreSQL writes NaN, Infinity and
 * -Infinity as words, which strtod reads).  A plain decimal of at most 15
 * digits ("0.55", "-12.5") is read without strtod(): its digits as an
 * integer w < 10^15 and the power of ten it is divided by (at most
 * 10^15) are both exact doubles, so the one division rounds correctly,
 * to the double strtod() gives (Clinger's fast path; the sign goes in
 * before the division, so that a rounding mode other than the default
 * rounds as strtod() rounds).  That needs
 * arithmetic in double precision itself (FLT_EVAL_METHOD 0): elsewhere
 * every value goes to strtod().
 */
bool
sci_parse_real(const char *s, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    static const double pow10[16] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15
    };
    const char *p;
    uint64_t w = 0;
    int ndigits = 0, nfrac = -1;
    double d;

    assert(s != NULL && out != NULL);
    p = s + (*s == '-');
    for (; ndigits <= 15; p++) {
        if (*p >= '0' && *p <= '9') {
            w = w * 10 + (uint64_t)(*p - '0');
            ndigits++;
            nfrac += nfrac >= 0;
        } else if (*p == '.' && nfrac < 0 && ndigits > 0) {
            nfrac = 0;
        } else {
            break;
        }
    }
    if (*p == '\0' && ndigits > 0 && ndigits <= 15) {
        d = *s == '-' ? -(double)w : (double)w;
        *out = d / pow10[nfrac > 0 ? nfrac : 0];
        return true;
    }
#endif
    {
        char *end;

        errno = 0;
        *out = strtod(s, &end);
        return end != s && *end == '\0'
            && (errno != ERANGE || subnormal(*out));
    }
}
