/*
 * names.h - a hash index of names, so the checks that look names up
 * (duplicates, references, case clashes) stay linear on large schemas.
 * Several entries may share a name (a table dropped and declared again at
 * a later version); lookups walk them in insertion order.
 */
#ifndef SCHEMAC_NAMES_H
#define SCHEMAC_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "model.h"

struct name_entry {
    const char *name;
    const struct m_span *span;      /* may be NULL: always alive */
    const struct pos *pos;
    void *item;
    struct name_entry *next;        /* same bucket, insertion order */
};

struct name_index {
    struct name_entry **slots;
    size_t mask;                    /* slots - 1, a power of two minus 1 */
    bool fold_case;                 /* names equal ignoring ASCII case */
};

/* Make ix empty with room for about n names, in a.  fold_case makes
 * names that differ only in case equal.  Returns 0, or -1 out of memory. */
int names_init(struct name_index *ix, struct arena *a, size_t n,
               bool fold_case);

/* The first entry, in insertion order, named name whose span overlaps
 * span (any span when span is NULL), or NULL. */
struct name_entry *names_find(const struct name_index *ix, const char *name,
                              const struct m_span *span);

/* Add an entry (after any of the same name).  Returns it, or NULL out of
 * memory. */
struct name_entry *names_add(struct name_index *ix, struct arena *a,
                             const char *name, const struct m_span *span,
                             const struct pos *pos, void *item);

#endif /* SCHEMAC_NAMES_H */
