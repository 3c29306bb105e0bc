/*
 * test_number.c - sci_parse_int() and sci_parse_real() (runtime/number.c)
 * against strtoll() and strtod(), which they must match exactly: the
 * spellings PostgreSQL writes and the edges of the fast paths, then
 * millions of generated decimals (every length and point position, both
 * signs) and doubles printed at every precision, compared bit for bit.
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "harness.h"

/* What sci_parse_int() must give for s: strtoll() over the whole of s,
 * without overflow. */
static bool
ref_int(const char *s, int64_t *out)
{
    char *end;

    errno = 0;
    *out = strtoll(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

/* What sci_parse_real() must give for s: strtod() over the whole of s,
 * neither overflowing nor underflowing to zero (a subnormal is a value,
 * though strtod() says ERANGE). */
static bool
ref_real(const char *s, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(s, &end);
    return end != s && *end == '\0'
        && (errno != ERANGE
            || (*out != 0.0 && *out > -DBL_MIN && *out < DBL_MIN));
}

/* Compare both parsers with their references on s; false (and a
 * failure naming s) when either differs. */
static bool
same(const char *s)
{
    int64_t i = 7, ri = 7;
    double d = 7, rd = 7;
    bool ok = sci_parse_int(s, &i), rok = ref_int(s, &ri);
    bool okd = sci_parse_real(s, &d), rokd = ref_real(s, &rd);

    if (ok != rok || (ok && i != ri)) {
        T_FAIL("int \"%s\": %d %" PRId64 ", strtoll %d %" PRId64, s, ok, i,
               rok, ri);
        return false;
    }
    if (okd != rokd || (okd && memcmp(&d, &rd, sizeof d) != 0)) {
        T_FAIL("real \"%s\": %d %.17g, strtod %d %.17g", s, okd, d, rokd,
               rd);
        return false;
    }
    return true;
}

/* Spellings PostgreSQL writes, the fast paths' limits, and text that
 * must be refused or left to the libc parsers. */
static void
test_edges(void)
{
    static const char *const cases[] = {
        "0", "-0", "1", "-1", "7", "10", "0.5", "-0.5", "0.55", "0.1",
        "0.3", "2.675", "1.005", "100", "0.001", "123456789012345",
        "12345678901234.5", "0.123456789012345", "-99999999999999.9",
        "1234567890123456", "12345678901234567", "0.1234567890123456",
        "9007199254740993", "9007199254740992.5", "999999999999999",
        "999999999999999999", "-999999999999999999", "1000000000000000000",
        "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "00000000000000000001", "007", "-007.50",
        "1e5", "1E-5", "1.5e300", "1e309", "-1e309", "1e-400", "4.9e-324", "5e-324", "-5e-324", "2e-320", "1e-330",
        "2.2250738585072014e-308", "1.7976931348623157e+308",
        "NaN", "Infinity", "-Infinity", "inf", "nan",
        "", "-", ".", "-.", ".5", "5.", "-5.", "1.2.3", "1-2", "--1",
        "+1", "+0.5", " 1", "1 ", "\t2", "0x10", "0x1p3", "1,5", "t", "f",
        "12a", "a12",
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        same(cases[i]);
}

/* A small generator of our own, so that every run tests the same
 * strings (xorshift64*). */
static uint64_t
next(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ULL;
}

/* Decimals of 1 to 20 digits, a point anywhere or none, either sign,
 * leading zeros sometimes: every case the fast paths take or refuse. */
static void
test_generated_decimals(void)
{
    uint64_t st = 0x9e3779b97f4a7c15ULL;
    char s[32];
    long n;

    for (n = 0; n < 300000; n++) {
        uint64_t r = next(&st);
        int ndig = 1 + (int)(r % 20), dot = (int)((r >> 8) % (ndig + 2));
        int k = 0, j;

        if ((r >> 16) & 1)
            s[k++] = '-';
        for (j = 0; j < ndig; j++) {
            if (j == dot && j > 0)
                s[k++] = '.';
            s[k++] = (char)('0' + (j == 0 && ((r >> 17) & 3) != 0
                                   ? 1 + next(&st) % 9 : next(&st) % 10));
        }
        s[k] = '\0';
        if (!same(s))
            return;
    }
}

/* Doubles of every kind (random bits, and short decimals as scores are)
 * printed at 1 to 17 significant digits (PostgreSQL prints the shortest
 * that reads back) and with 0 to 7 after the point. */
static void
test_generated_doubles(void)
{
    uint64_t st = 0x243f6a8885a308d3ULL;
    char s[512];
    long n;
    int prec;

    for (n = 0; n < 15000; n++) {
        uint64_t bits = next(&st);
        double d;

        if (n % 2 == 0)
            d = (double)(int64_t)(bits % 2000001) / 1000.0 - 1000.0;
        else
            memcpy(&d, &bits, sizeof d);
        for (prec = 1; prec <= 17; prec++) {
            snprintf(s, sizeof s, "%.*g", prec, d);
            if (!same(s))
                return;
            snprintf(s, sizeof s, "%.*f", prec % 8, d);
            if (!same(s))
                return;
        }
    }
}

static const struct t_test tests[] = {
    T_TEST(test_edges),
    T_TEST(test_generated_decimals),
    T_TEST(test_generated_doubles),
};

int
main(void)
{
    return T_RUN_ALL(tests);
}
