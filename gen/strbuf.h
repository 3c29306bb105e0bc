/*
 * strbuf.h - a growing output buffer.  Writers build whole files in one and
 * main writes them out only when the run had no errors.
 */
#ifndef SCHEMAC_STRBUF_H
#define SCHEMAC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *data;         /* NUL-terminated; NULL until the first write */
    size_t len;
    size_t cap;
    int failed;         /* memory ran out; the content is incomplete */
};

/* Append len bytes at s. */
void sb_addn(struct strbuf *sb, const char *s, size_t len);

/* Append the string s. */
void sb_adds(struct strbuf *sb, const char *s);

/* Append printf-formatted text. */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Append printf-formatted text from a va_list (which it consumes). */
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);

/* The content so far ("" when empty); owned by sb. */
const char *sb_str(const struct strbuf *sb);

/* Empty sb, keeping its memory. */
void sb_reset(struct strbuf *sb);

/* Release sb's memory and zero it. */
void sb_free(struct strbuf *sb);

#endif /* SCHEMAC_STRBUF_H */
