/*
 * json.c - JSON strings from arbitrary bytes, for --emit json and
 * --diagnostics=json.
 */
#include "json.h"

#include <string.h>

/*
 * The length of the valid UTF-8 sequence at s (at most n bytes), or 0
 * when s does not start one (overlong forms, surrogates and values past
 * U+10FFFF are invalid).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
    size_t len, i;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1fu;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        cp = s[0] & 0x0fu;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
        || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/* Append s[0..len) as a JSON string; see json.h. */
void
json_string_n(struct strbuf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;

    sb_adds(out, "\"");
    while (i < len) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            sb_adds(out, c == '"' ? "\\\"" : "\\\\");
            i++;
        } else if (c == '\n') {
            sb_adds(out, "\\n");
            i++;
        } else if (c == '\t') {
            sb_adds(out, "\\t");
            i++;
        } else if (c == '\r') {
            sb_adds(out, "\\r");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            sb_printf(out, "\\u%04x", c);
            i++;
        } else if ((n = utf8_len(p + i, len - i)) == 0) {
            sb_adds(out, "\\ufffd");
            i++;
        } else {
            sb_addn(out, s + i, n);
            i += n;
        }
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
