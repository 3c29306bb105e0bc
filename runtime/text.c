/*
 * text.c - the string builder the runtime uses for SQL it assembles per
 * call (filtered selects, updates of chosen columns).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Append s to t; see internal.h. */
void
sci_text_add(struct sci_text *t, const char *s)
{
    size_t n = strlen(s);

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
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
}

/* Append name as a quoted SQL identifier; see internal.h. */
void
sci_text_ident(struct sci_text *t, const char *name)
{
    const char *p, *q;

    sci_text_add(t, "\"");
    for (p = name; (q = strchr(p, '"')) != NULL; p = q + 1) {
        char part[2] = { 0, 0 };
        /* Copy up to the quote, then the quote doubled. */
        while (p < q) {
            part[0] = *p++;
            sci_text_add(t, part);
        }
        sci_text_add(t, "\"\"");
    }
    sci_text_add(t, p);
    sci_text_add(t, "\"");
}
