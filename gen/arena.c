/*
 * arena.c - the generator's bump allocator: large blocks, freed together.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 65536

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    max_align_t data[];         /* aligned for anything */
};

/*
 * Return n zeroed bytes from a's newest block, starting a new block when
 * it is full.  NULL, with a->failed set, when malloc fails.
 */
void *
arena_alloc(struct arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    struct arena_block *b = a->head;
    size_t need = (n + align - 1) / align * align;
    void *p;

    if (need < n)
        goto fail;
    if (b == NULL || b->size - b->used < need) {
        size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
        b = malloc(sizeof(*b) + size);
        if (b == NULL)
            goto fail;
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    p = (char *)b->data + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
fail:
    a->failed = 1;
    return NULL;
}

/* Return a NUL-terminated copy of len bytes at s, or NULL. */
char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);

    if (p != NULL)
        memcpy(p, s, len);
    return p;
}

/* Return a copy of s, or NULL. */
char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

/* Return the formatted string, or NULL. */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    int len;
    char *p;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || (p = arena_alloc(a, (size_t)len + 1)) == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return p;
}

/*
 * Append one zeroed element to the array *items (count *n) and return it.
 * Capacity starts at 4 and doubles at each power of two from there, so
 * appends stay amortised O(1).
 */
void *
arena_push(struct arena *a, void **items, size_t *n, size_t elem)
{
    char *p;

    if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {
        size_t cap = *n == 0 ? 4 : *n * 2;
        char *grown = arena_alloc(a, cap * elem);
        if (grown == NULL)
            return NULL;
        if (*n > 0)
            memcpy(grown, *items, *n * elem);
        *items = grown;
    }
    p = (char *)*items + *n * elem;
    memset(p, 0, elem);
    (*n)++;
    return p;
}

/* Free every block of a and reset it to empty. */
void
arena_free(struct arena *a)
{
    struct arena_block *b = a->head;

    while (b != NULL) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->failed = 0;
}
