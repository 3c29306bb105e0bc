/*
 * diag.c - the diagnostics queue: stages record errors with diag_error()
 * and warnings with diag_warning(); main prints them with diag_print() as
 * file:line:col, the source line and a caret under the column.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/*
 * Format the message and append it, with pos, to d's queue; the message
 * lives in d->arena.  An error counts even when memory runs out (a fixed
 * message stands in), so the run can never look clean.
 */
static void
queue(struct diags *d, const struct pos *pos, bool warning, const char *fmt,
      va_list ap)
{
    struct diag *g;
    va_list again;
    int len;

    if (!warning)
        d->nerrors++;
    g = arena_alloc(d->arena, sizeof(*g));
    if (g == NULL)
        return;
    g->pos = *pos;
    g->warning = warning;
    va_copy(again, ap);
    len = vsnprintf(NULL, 0, fmt, ap);
    if (len >= 0 && (g->msg = arena_alloc(d->arena, (size_t)len + 1)))
        vsnprintf(g->msg, (size_t)len + 1, fmt, again);
    else
        g->msg = (char *)"out of memory";
    va_end(again);
    if (d->tail != NULL)
        d->tail->next = g;
    else
        d->head = g;
    d->tail = g;
}

/* Queue an error; see diag.h. */
void
diag_error(struct diags *d, const struct pos *pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    queue(d, pos, false, fmt, ap);
    va_end(ap);
}

/* Queue a warning; see diag.h. */
void
diag_warning(struct diags *d, const struct pos *pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    queue(d, pos, true, fmt, ap);
    va_end(ap);
}

/*
 * Find line number line (from 1) of the source in d; store its start and
 * length (without the newline or a CR before it).  Returns 0, or -1 when
 * there is no source or no such line.
 */
static int
find_line(const struct diags *d, int line, const char **start,
          size_t *len)
{
    const char *p, *end;
    int n = 1;

    if (d->text == NULL || line < 1)
        return -1;
    p = d->text;
    end = d->text + d->text_len;
    while (n < line) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return -1;
        p = nl + 1;
        n++;
    }
    *start = p;
    *len = (size_t)(end - p);
    if ((p = memchr(p, '\n', *len)) != NULL)
        *len = (size_t)(p - *start);
    if (*len > 0 && (*start)[*len - 1] == '\r')
        (*len)--;
    return 0;
}

/*
 * Print the quoted source line (control bytes other than tab shown as
 * '?', so the terminal stays sane and columns still line up) and a caret
 * line that repeats its tabs, so the caret sits under column col.
 */
static void
print_source(FILE *f, const char *line, size_t len, int col)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        fputc(c == '\t' || (c >= 0x20 && c != 0x7f) ? c : '?', f);
    }
    fputc('\n', f);
    for (i = 0; i + 1 < (size_t)col; i++)
        fputc(i < len && line[i] == '\t' ? '\t' : ' ', f);
    fputs("^\n", f);
}

/* Print every queued diagnostic to f in queue order. */
void
diag_print(const struct diags *d, FILE *f)
{
    const struct diag *g;

    for (g = d->head; g != NULL; g = g->next) {
        const char *line;
        size_t len;

        const char *kind = g->warning ? "warning" : "error";

        if (g->pos.line < 1) {
            fprintf(f, "%s: %s: %s\n",
                    g->pos.file ? g->pos.file : "schemac", kind, g->msg);
            continue;
        }
        fprintf(f, "%s:%d:%d: %s: %s\n",
                g->pos.file ? g->pos.file : "schemac", g->pos.line,
                g->pos.col, kind, g->msg);
        if (find_line(d, g->pos.line, &line, &len) == 0)
            print_source(f, line, len, g->pos.col);
    }
}

/* Append the JSON object of one diagnostic and a newline to out. */
void
diag_json(struct strbuf *out, const char *file, int line, int col,
          const char *msg, bool warning)
{
    sb_adds(out, "{\"file\": ");
    json_string(out, file ? file : "schemac");
    sb_printf(out, ", \"line\": %d, \"column\": %d, \"severity\": "
              "\"%s\", \"message\": ", line > 0 ? line : 0,
              line > 0 ? col : 0, warning ? "warning" : "error");
    json_string(out, msg);
    sb_adds(out, "}\n");
}

/* Print every queued error to f as JSON lines, in queue order. */
void
diag_print_json(const struct diags *d, FILE *f)
{
    const struct diag *g;
    struct strbuf out = { 0 };

    for (g = d->head; g != NULL; g = g->next) {
        sb_reset(&out);
        diag_json(&out, g->pos.file, g->pos.line, g->pos.col, g->msg,
                  g->warning);
        if (out.failed) {
            fputs("{\"file\": \"schemac\", \"line\": 0, \"column\": 0, "
                  "\"severity\": \"error\", \"message\": "
                  "\"out of memory\"}\n", f);
            break;
        }
        fputs(sb_str(&out), f);
    }
    sb_free(&out);
}
