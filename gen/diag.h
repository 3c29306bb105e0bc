/*
 * diag.h - the diagnostics queue.  Stages record errors here; only main
 * prints them (file:line:col: error: message, the source line, a caret).
 */
#ifndef SCHEMAC_DIAG_H
#define SCHEMAC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "strbuf.h"

/* Where something was written: file name (borrowed), line and column from
 * 1, columns counting bytes. */
struct pos {
    const char *file;
    int line;
    int col;
};

struct diag {
    struct pos pos;
    char *msg;
    bool warning;               /* printed, but not an error */
    struct diag *next;
};


struct diags {
    struct arena *arena;        /* messages live here */
    struct diag *head, *tail;
    int nerrors;
    const char *text;           /* the source, for the quoted line */
    size_t text_len;
};

/* Queue an error at pos.  Messages are lower case without a final period. */
void diag_error(struct diags *d, const struct pos *pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Queue a warning at pos: printed with the errors ("warning:"), but not
 * counted in nerrors, so the run still succeeds. */
void diag_warning(struct diags *d, const struct pos *pos, const char *fmt,
                  ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Print every queued error to f in order, each with its source line and a
 * caret under the column. */
void diag_print(const struct diags *d, FILE *f);

/* Print every queued diagnostic to f in order as one JSON object per
 * line: {"file", "line", "column", "severity": "error" or "warning",
 * "message"}, line and column 0 when it has no place in the file. */
void diag_print_json(const struct diags *d, FILE *f);

/* Append one such JSON object (severity "error", or "warning" when
 * warning is set), and a newline, to out. */
void diag_json(struct strbuf *out, const char *file, int line, int col,
               const char *msg, bool warning);

#endif /* SCHEMAC_DIAG_H */
