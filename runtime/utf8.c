/*
 * utf8.c - the check that text bound to a statement is UTF-8.
 *
 * Text is UTF-8 on both engines: PostgreSQL refuses anything else in a
 * UTF8 database, and SQLite would store the bytes as given, where every
 * reader that decodes strictly (Python's sqlite3 among them) fails on
 * the row from then on.  So the runtime refuses such text before binding
 * it, the same way on both (docs/runtime.md, "Text is UTF-8").  schemac
 * links it too, for the strings of a schema and its JSON output; so it
 * needs nothing of the runtime but its header.
 */
#include "schemac.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* Bytes of a 64-bit word's worth of ASCII have no high bit. */
#define HIGH_BITS UINT64_C(0x8080808080808080)

/* See schemac.h. */
size_t
sc_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n, k;
    unsigned lo, hi;
    uint64_t word;

    assert(s != NULL || len == 0);
    while (i < len) {
        if (len - i >= sizeof word) {
            memcpy(&word, p + i, sizeof word);
            if ((word & HIGH_BITS) == 0) {
                i += sizeof word;
                continue;
            }
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        /* The range of the second byte is narrower after the lead bytes
         * that could start an overlong form, a surrogate or a code point
         * past U+10FFFF. */
        lo = 0x80;
        hi = 0xbf;
        if (p[i] >= 0xc2 && p[i] <= 0xdf) {
            n = 2;
        } else if (p[i] >= 0xe0 && p[i] <= 0xef) {
            n = 3;
            lo = p[i] == 0xe0 ? 0xa0 : lo;
            hi = p[i] == 0xed ? 0x9f : hi;
        } else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
            n = 4;
            lo = p[i] == 0xf0 ? 0x90 : lo;
            hi = p[i] == 0xf4 ? 0x8f : hi;
        } else {
            return i;
        }
        if (len - i < n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (k = 2; k < n; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
        i += n;
    }
    return len;
}
