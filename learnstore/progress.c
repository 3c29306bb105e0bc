/*
 * progress.c - the learnstore CLI's progress line on a terminal: drawn
 * over itself with a carriage return and padded with spaces where the
 * previous text was longer (no terminal escape sequences, so it works on
 * any terminal), erased before anything else is written.
 */
#include "progress.h"

#include <assert.h>
#include <string.h>
#include <unistd.h>

/* Whether progress lines belong on this run's terminal. */
bool
progress_wanted(void)
{
    return isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

/* Start a progress line on out, or a quiet one. */
void
progress_init(struct progress *p, FILE *out)
{
    assert(p != NULL);
    p->out = out;
    p->width = 0;
}

/* Draw the unit under way, or erase the line at the end. */
void
progress_show(struct progress *p, const char *what, const char *unit,
              size_t done, size_t total, const char *detail)
{
    char line[160];
    size_t len;

    assert(p != NULL && what != NULL && unit != NULL && done <= total);
    if (p->out == NULL)
        return;
    if (done == total) {
        progress_clear(p);
        return;
    }
    snprintf(line, sizeof(line), "%s: %s %zu/%zu%s%s%s", what, unit,
             done + 1, total, detail ? " (" : "", detail ? detail : "",
             detail ? ")" : "");
    len = strlen(line);
    /* Spaces over what is left of a longer line before. */
    fprintf(p->out, "\r%s%*s", line,
            p->width > len ? (int)(p->width - len) : 0, "");
    fflush(p->out);
    if (len > p->width)
        p->width = len;
}

/* Erase the line. */
void
progress_clear(struct progress *p)
{
    assert(p != NULL);
    if (p->out == NULL || p->width == 0)
        return;
    fprintf(p->out, "\r%*s\r", (int)p->width, "");
    fflush(p->out);
    p->width = 0;
}

/* Draw what the runtime reports. */
void
progress_runtime(void *arg, const sc_progress *sp)
{
    char version[32];

    assert(arg != NULL && sp != NULL);
    switch (sp->op) {
    case SC_PROGRESS_MIGRATE:
        snprintf(version, sizeof(version), "to version %d", sp->version);
        progress_show(arg, "migrating", "step", sp->done, sp->total,
                      version);
        break;
    case SC_PROGRESS_CLEAR:
        progress_show(arg, "clearing", "table", sp->done, sp->total,
                      sp->table);
        break;
    default:        /* an operation of a newer runtime: not drawn */
        break;
    }
}
