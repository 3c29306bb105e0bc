/*
 * unicode.c - pattern names normalised as the Python store normalises
 * them, " ".join(name.lower().split()), for all of Unicode: Python 3.11's
 * str.lower() (full case mapping, final sigma) and str.isspace(), from
 * the tables unicode_gen.py wrote.
 */
#include "learnstore.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct lower_run {
    uint32_t first, last;
    int step;
    int32_t delta;
};

struct lower_pair {
    uint32_t cp;
    uint32_t lower[2];
};

struct cp_range {
    uint32_t first, last;
};

#include "unicode_tables.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A byte of invalid UTF-8, carried through unchanged as this value plus
 * the byte: no code point is this large. */
#define RAW_BYTE 0x80000000u

/* True when cp lies in one of the n sorted ranges r. */
static bool
in_ranges(const struct cp_range *r, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].first)
            hi = mid;
        else if (cp > r[mid].last)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* str.isspace() of one code point. */
static bool
is_space(uint32_t cp)
{
    size_t i;

    for (i = 0; i < NELEM(spaces); i++)
        if (spaces[i] == cp)
            return true;
    return false;
}

/* The one-code-point lower case of cp (cp itself when it has none). */
static uint32_t
lower1(uint32_t cp)
{
    size_t lo = 0, hi = NELEM(lower_runs);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct lower_run *r = &lower_runs[mid];
        if (cp < r->first)
            hi = mid;
        else if (cp > r->last)
            lo = mid + 1;
        else if (r->step <= 1 || (cp - r->first) % (uint32_t)r->step == 0)
            return (uint32_t)((int32_t)cp + r->delta);
        else
            return cp;
    }
    return cp;
}

/* Decode the UTF-8 text s into a malloc'd array of code points (invalid
 * bytes as RAW_BYTE + byte), *n of them.  NULL when memory runs out. */
static uint32_t *
decode(const char *s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, k = 0;
    uint32_t *cps = malloc((len + 1) * sizeof(*cps));

    if (cps == NULL)
        return NULL;
    while (i < len) {
        unsigned char b = p[i];
        int need = b < 0x80 ? 0 : b >= 0xf5 ? -1 : b >= 0xf0 ? 3
                 : b >= 0xe0 ? 2 : b >= 0xc2 ? 1 : -1;
        uint32_t cp = need > 0 ? (uint32_t)(b & (0x3f >> need)) : b;
        int j;

        for (j = 1; need > 0 && j <= need; j++) {
            if (i + (size_t)j >= len || (p[i + j] & 0xc0) != 0x80)
                break;
            cp = (cp << 6) | (p[i + j] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are not
         * UTF-8 either: their bytes stay raw. */
        if (need < 0 || (need > 0 && j <= need)
            || (need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (need == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            cps[k++] = RAW_BYTE + b;
            i++;
            continue;
        }
        cps[k++] = cp;
        i += (size_t)need + 1;
    }
    *n = k;
    return cps;
}

/* Append cp as UTF-8 (a raw byte as itself) to out at *j. */
static void
encode(char *out, size_t *j, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out + *j;

    if (cp >= RAW_BYTE) {
        o[0] = (unsigned char)(cp - RAW_BYTE);
        *j += 1;
    } else if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        *j += 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        *j += 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        *j += 3;
    } else {
        o[0] = (unsigned char)(0xf0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (unsigned char)(0x80 | (cp & 0x3f));
        *j += 4;
    }
}

/* Whether the capital sigma at cps[i] ends a word, as CPython decides:
 * a cased letter before it and none after it, case-ignorable code
 * points skipped on both sides. */
static bool
final_sigma(const uint32_t *cps, size_t n, size_t i)
{
    size_t j = i;
    uint32_t c = 0;
    bool found = false;

    while (j > 0) {
        c = cps[--j];
        if (!in_ranges(case_ignorable, NELEM(case_ignorable), c)) {
            found = true;
            break;
        }
    }
    if (!found || !in_ranges(cased, NELEM(cased), c))
        return false;
    for (j = i + 1; j < n; j++) {
        c = cps[j];
        if (!in_ranges(case_ignorable, NELEM(case_ignorable), c))
            return !in_ranges(cased, NELEM(cased), c);
    }
    return true;
}

/* str.isspace() of an ASCII character (tests/python test_patterns.py
 * compares every ASCII character with Python's own). */
static bool
ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/*
 * Lower-case name as Python's str.lower() does and, with fold_spaces,
 * normalise it as " ".join(name.lower().split()):
 * lower-cased, white space runs folded to one space, trimmed.  Bytes that
 * are not UTF-8 are kept as they are.  *out is malloc'd (the caller frees
 * it).  Returns SC_OK, SC_MISUSE (NULL name) or SC_NOMEM.
 */
static int
lower_text(const char *name, bool fold_spaces, char **out)
{
    uint32_t *cps;
    size_t n, i, j = 0;
    bool pending_space = false;
    char *text;

    *out = NULL;
    if (name == NULL)
        return SC_MISUSE;
    if ((cps = decode(name, &n)) == NULL)
        return SC_NOMEM;
    /* At most two code points of at most 4 bytes each per input code
     * point, and a separator before each. */
    if ((text = malloc(n * 9 + 1)) == NULL) {
        free(cps);
        return SC_NOMEM;
    }
    for (i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        size_t k;

        if (fold_spaces && cp < RAW_BYTE
            && (cp < 0x80 ? ascii_space((unsigned char)cp) : is_space(cp))) {
            pending_space = j > 0;
            continue;
        }
        if (pending_space)
            text[j++] = ' ';
        pending_space = false;
        if (cp >= RAW_BYTE) {
            encode(text, &j, cp);
            continue;
        }
        /* ASCII without the tables' searches (a fifth of recording a
         * pattern): A-Z is the only case mapping it has. */
        if (cp < 0x80) {
            text[j++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
            continue;
        }
        if (cp == 0x3a3) {
            encode(text, &j, final_sigma(cps, n, i) ? 0x3c2 : 0x3c3);
            continue;
        }
        for (k = 0; k < NELEM(lower_pairs); k++)
            if (lower_pairs[k].cp == cp)
                break;
        if (k < NELEM(lower_pairs)) {
            encode(text, &j, lower_pairs[k].lower[0]);
            encode(text, &j, lower_pairs[k].lower[1]);
        } else {
            encode(text, &j, lower1(cp));
        }
    }
    text[j] = '\0';
    free(cps);
    *out = text;
    return SC_OK;
}

/* Normalise a pattern name (see above). */
int
lsi_normalize_name(const char *name, char **out)
{
    return lower_text(name, true, out);
}

/* str.lower() of UTF-8 text s; *out malloc'd.  SC_OK, SC_MISUSE (NULL)
 * or SC_NOMEM. */
int
lsi_lower(const char *s, char **out)
{
    return lower_text(s, false, out);
}
