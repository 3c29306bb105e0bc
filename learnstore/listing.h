/*
 * listing.h - printing rows of a generated table for the learnstore CLI,
 * through the table's column descriptors: aligned text tables or JSON.
 */
#ifndef LEARNSTORE_LISTING_H
#define LEARNSTORE_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "schemac.h"

/* A listing in progress.  The members are private. */
struct listing {
    FILE *out;                  /* where the rows are written */
    const sc_table *table;
    const char *const *show;    /* columns of a text table; NULL: all */
    bool json;
    size_t nrows;
    size_t ncols;               /* columns of a text table */
    char **cells;               /* text: header then rows, row-major */
    size_t ncells, cap;
    bool failed;                /* memory ran out */
};

/* Start listing rows of t on out: as a JSON array of objects (every
 * column), or as a text table of the NULL-terminated columns show (NULL:
 * all). */
void listing_begin(struct listing *l, FILE *out, const sc_table *t,
                   const char *const *show, bool json);

/* Add one row (a struct of t's type); JSON is printed at once, text is
 * kept so the columns can be aligned. */
void listing_row(struct listing *l, const void *row);

/* Print what is kept and "(N rows)" (text), or close the JSON array, and
 * free everything.  Returns 0, or -1 when memory ran out. */
int listing_end(struct listing *l);

/* Print one row of t, every column: a JSON object, or one "name  value"
 * line per column. */
void listing_record(const sc_table *t, const void *row, bool json);

#endif /* LEARNSTORE_LISTING_H */
