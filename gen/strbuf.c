/*
 * strbuf.c - the generator's growing output buffer.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Make room for extra more bytes plus a NUL; returns 0, or -1 (sb->failed
 * set) when memory runs out. */
static int
reserve(struct strbuf *sb, size_t extra)
{
    size_t cap;
    char *p;

    if (sb->failed)
        return -1;
    if (sb->len + extra + 1 <= sb->cap)
        return 0;
    cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    if ((p = realloc(sb->data, cap)) == NULL) {
        sb->failed = 1;
        return -1;
    }
    sb->data = p;
    sb->cap = cap;
    return 0;
}

/* Append len bytes at s. */
void
sb_addn(struct strbuf *sb, const char *s, size_t len)
{
    if (reserve(sb, len) != 0)
        return;
    memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

/* Append the string s. */
void
sb_adds(struct strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

/* Append printf-formatted text from a va_list. */
void
sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list again;
    int len;

    va_copy(again, ap);
    len = vsnprintf(NULL, 0, fmt, ap);
    if (len >= 0 && reserve(sb, (size_t)len) == 0) {
        vsnprintf(sb->data + sb->len, (size_t)len + 1, fmt, again);
        sb->len += (size_t)len;
    }
    va_end(again);
}

/* Append printf-formatted text. */
void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

/* Return the content, "" when nothing was written. */
const char *
sb_str(const struct strbuf *sb)
{
    return sb->data ? sb->data : "";
}

/* Empty sb but keep its buffer. */
void
sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

/* Free sb's buffer and zero it. */
void
sb_free(struct strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->failed = 0;
}
