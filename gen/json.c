/*
 * json.c - JSON strings from arbitrary bytes, for --emit json and
 * --diagnostics=json.
 */
#include "json.h"

#include <string.h>

#include "../runtime/schemac.h"     /* sc_utf8_check() */

/* Append s[0..len) as a JSON string; see json.h. */
void
json_string_n(struct strbuf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n, valid = 0;     /* valid: bytes from i on known UTF-8 */

    sb_adds(out, "\"");
    while (i < len) {
        unsigned char c = p[i];

        if (valid == 0)
            valid = sc_utf8_check(s + i, len - i);
        n = 1;
        if (c == '"' || c == '\\') {
            sb_adds(out, c == '"' ? "\\\"" : "\\\\");
        } else if (c == '\n') {
            sb_adds(out, "\\n");
        } else if (c == '\t') {
            sb_adds(out, "\\t");
        } else if (c == '\r') {
            sb_adds(out, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            sb_printf(out, "\\u%04x", c);
        } else if (valid == 0) {
            sb_adds(out, "\\ufffd");      /* a byte that starts no sequence */
        } else {
            n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
            sb_addn(out, s + i, n);
        }
        i += n;
        valid = valid > n ? valid - n : 0;
    }
    sb_adds(out, "\"");
}

/* Append the NUL-terminated s as a JSON string, or null for NULL. */
void
json_string(struct strbuf *out, const char *s)
{
    if (s == NULL)
        sb_adds(out, "null");
    else
        json_string_n(out, s, strlen(s));
}
