/*
 * arena.h - one-shot memory for the generator: everything a run builds (AST,
 * model, strings) comes from one arena freed at the end, so error paths
 * never leak.
 */
#ifndef SCHEMAC_ARENA_H
#define SCHEMAC_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;   /* newest block first */
    int failed;                 /* an allocation failed */
};

/* Zeroed memory of n bytes, aligned for any type; NULL (and a->failed set)
 * when memory runs out.  Lives until arena_free(). */
void *arena_alloc(struct arena *a, size_t n);

/* A NUL-terminated copy of the len bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* A NUL-terminated copy of s. */
char *arena_strdup(struct arena *a, const char *s);

/* A printf-formatted string. */
char *arena_printf(struct arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Grow the array *items of *n elements of size elem by one zeroed element
 * and return it.  The array lives in the arena (old copies stay there). */
void *arena_push(struct arena *a, void **items, size_t *n, size_t elem);

/* Release every block. */
void arena_free(struct arena *a);

#endif /* SCHEMAC_ARENA_H */
