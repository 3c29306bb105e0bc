/*
 * names.c - the hash index of names the checks use: chained buckets in the
 * run's arena, FNV-1a hashing, optional ASCII case folding.
 */
#include "names.h"

#include <ctype.h>
#include <string.h>

/* Hash name (folded to lower case when fold is set). */
static size_t
hash(const char *name, bool fold)
{
    size_t h = 2166136261u;

    for (; *name != '\0'; name++) {
        unsigned char ch = (unsigned char)*name;
        h ^= fold ? (size_t)tolower(ch) : ch;
        h *= 16777619u;
    }
    return h;
}

/* True when a and b are the same name under ix's rule. */
static bool
same(const struct name_index *ix, const char *a, const char *b)
{
    if (!ix->fold_case)
        return strcmp(a, b) == 0;
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* True when two spans share a version (NULL is every version). */
static bool
overlaps(const struct m_span *a, const struct m_span *b)
{
    return a == NULL || b == NULL || m_overlap(a, b);
}

/* Make ix empty with room for about n names. */
int
names_init(struct name_index *ix, struct arena *a, size_t n, bool fold_case)
{
    size_t size = 16;

    while (size < 2 * n)
        size *= 2;
    ix->slots = arena_alloc(a, size * sizeof(*ix->slots));
    ix->mask = size - 1;
    ix->fold_case = fold_case;
    return ix->slots != NULL ? 0 : -1;
}

/* The first entry named name overlapping span, or NULL. */
struct name_entry *
names_find(const struct name_index *ix, const char *name,
           const struct m_span *span)
{
    struct name_entry *e;

    for (e = ix->slots[hash(name, ix->fold_case) & ix->mask]; e != NULL;
         e = e->next)
        if (same(ix, e->name, name) && overlaps(e->span, span))
            return e;
    return NULL;
}

/* Append an entry to its bucket. */
struct name_entry *
names_add(struct name_index *ix, struct arena *a, const char *name,
          const struct m_span *span, const struct pos *pos, void *item)
{
    struct name_entry **slot = &ix->slots[hash(name, ix->fold_case)
                                          & ix->mask];
    struct name_entry *e = arena_alloc(a, sizeof(*e));

    if (e == NULL)
        return NULL;
    e->name = name;
    e->span = span;
    e->pos = pos;
    e->item = item;
    while (*slot != NULL)
        slot = &(*slot)->next;
    *slot = e;
    return e;
}
