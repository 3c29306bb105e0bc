/*
 * text.c - the string builder the runtime uses for SQL it assembles per
 * call (filtered selects, updates of chosen columns).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Append the n bytes at s to t; see internal.h. */
void
sci_text_addn(struct sci_text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char *q;
        while (cap < t->len + n + 1)
            cap *= 2;
        if ((q = realloc(t->p, cap)) == NULL) {
            t->failed = 1;
            return;
        }
        t->p = q;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* Append s to t; see internal.h. */
void
sci_text_add(struct sci_text *t, const char *s)
{
    sci_text_addn(t, s, strlen(s));
}

/* Append name as a quoted SQL identifier; see internal.h. */
void
sci_text_ident(struct sci_text *t, const char *name)
{
    const char *p, *q;

    sci_text_add(t, "\"");
    /* Copy up to each quote, then the quote doubled. */
    for (p = name; (q = strchr(p, '"')) != NULL; p = q + 1) {
        sci_text_addn(t, p, (size_t)(q - p));
        sci_text_add(t, "\"\"");
    }
    sci_text_add(t, p);
    sci_text_add(t, "\"");
}
