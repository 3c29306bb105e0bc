/*
 * progress.h - the learnstore CLI's progress line: one line of stderr,
 * redrawn in place with a carriage return while a long operation runs
 * (a migration, a clear, an export to a file) and erased when it ends.
 */
#ifndef LEARNSTORE_PROGRESS_H
#define LEARNSTORE_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "schemac.h"

/* A progress line.  The members are private. */
struct progress {
    FILE *out;          /* where the line is drawn; NULL: quiet */
    size_t width;       /* bytes of the line on screen; 0: none */
};

/* Whether this run draws progress lines: only when stdout and stderr are
 * both terminals, so nothing is added to output a program reads, nor to
 * a log that stderr is written to. */
bool progress_wanted(void);

/* Start p drawing on out (stderr), or quiet when out is NULL. */
void progress_init(struct progress *p, FILE *out);

/*
 * Draw "WHAT: UNIT N/TOTAL (DETAIL)" over p's line, N being done + 1, the
 * unit under way; when done == total, erase the line instead.  detail
 * may be NULL.  Nothing when p is quiet.
 */
void progress_show(struct progress *p, const char *what, const char *unit,
                   size_t done, size_t total, const char *detail);

/* Erase p's line, if one is drawn, leaving the cursor where it began.
 * Call it before anything else is written to the terminal. */
void progress_clear(struct progress *p);

/* An sc_progress_fn drawing the runtime's migrations ("migrating: step
 * 2/12 (to version 5)") and clears ("clearing: table 4/12 (patterns)")
 * on the struct progress at arg. */
void progress_runtime(void *arg, const sc_progress *sp);

#endif /* LEARNSTORE_PROGRESS_H */
