/*
 * listing.c - rows of generated tables printed for people (aligned text
 * tables) or programs (JSON), by walking the column descriptors and
 * reading each member with sc_column_value(), so one printer serves every
 * table.
 */
#define _XOPEN_SOURCE 700     /* wcwidth() */

#include "listing.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "learnstore.h"
#include "internal.h"

/* Write s to f as a JSON string, escaped as json.dumps does. */
static void
json_string(FILE *f, const char *s)
{
    const char *list[1] = { s };
    char *j = ls_json_list(list, 1);

    if (j != NULL) {
        j[strlen(j) - 1] = '\0';            /* drop the list's brackets */
        fputs(j + 1, f);
    }
    free(j);
}

/* Write x: for JSON as json.dumps writes a float (Python's repr: 1.0,
 * 1e-05; NaN, Infinity), for text four significant digits. */
static void
write_real(FILE *f, double x, bool json)
{
    struct lsi_buf b = LSI_BUF_INIT;

    if (!json) {
        fprintf(f, "%.4g", x);
        return;
    }
    lsi_buf_json_real(&b, x);
    if (b.p != NULL)
        fputs(b.p, f);
    lsi_buf_fini(&b);
}

/* The columns that hold JSON text (lists of tags and codes, the success
 * factors): --json hands them over as JSON values, not as strings. */
static const char *const json_columns[] = {
    "context_tags", "error_codes", "success_factors"
};

/* Whether text column c holds JSON. */
static bool
holds_json(const sc_column *c)
{
    size_t i;

    for (i = 0; i < sizeof(json_columns) / sizeof(json_columns[0]); i++)
        if (strcmp(c->name, json_columns[i]) == 0)
            return true;
    return false;
}

/* Write text s of column c as JSON: the value itself where c holds JSON
 * and s parses, else a string (so text another writer left is kept). */
static void
write_json_text(FILE *f, const sc_column *c, const char *s)
{
    struct lsj *v = NULL;

    if (holds_json(c) && lsj_parse(s, &v) == SC_OK)
        fputs(s, f);
    else
        json_string(f, s);
    lsj_free(v);
}

/* Write column c of row to f, as JSON or as text. */
static void
write_value(FILE *f, const sc_column *c, const void *row, bool json)
{
    sc_value v = sc_column_value(c, row);

    switch (v.type) {
    case SC_V_NULL:
        fputs(json ? "null" : "-", f);
        break;
    case SC_V_INT:
        if (c->type == SC_T_BOOLEAN)
            fputs(v.u.i ? "true" : "false", f);
        else
            fprintf(f, "%lld", (long long)v.u.i);
        break;
    case SC_V_REAL:
        write_real(f, v.u.d, json);
        break;
    case SC_V_TEXT:
        if (json)
            write_json_text(f, c, v.u.s.p);
        else
            fputs(v.u.s.p, f);
        break;
    case SC_V_BLOB:
        fprintf(f, json ? "\"<%zu bytes>\"" : "<%zu bytes>", v.u.s.len);
        break;
    }
}

/* True when column name is listed (show NULL lists all). */
static bool
shown(const char *const *show, const char *name)
{
    if (show == NULL)
        return true;
    for (; *show != NULL; show++)
        if (strcmp(*show, name) == 0)
            return true;
    return false;
}

/* Keep one text cell (a copy of s, or the text of column c of row). */
static void
keep(struct listing *l, const char *s, const sc_column *c, const void *row)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    if (l->failed)
        return;
    if (l->ncells == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **cells = realloc(l->cells, cap * sizeof(*cells));
        if (cells == NULL) {
            l->failed = true;
            return;
        }
        l->cells = cells;
        l->cap = cap;
    }
    if ((f = open_memstream(&text, &len)) == NULL) {
        l->failed = true;
        return;
    }
    if (s != NULL)
        fputs(s, f);
    else
        write_value(f, c, row, false);
    if (fclose(f) != 0 || text == NULL) {
        free(text);
        l->failed = true;
        return;
    }
    l->cells[l->ncells++] = text;
}

/* Start a listing of t. */
void
listing_begin(struct listing *l, FILE *out, const sc_table *t,
              const char *const *show, bool json)
{
    size_t i;

    memset(l, 0, sizeof(*l));
    l->out = out;
    l->table = t;
    l->show = show;
    l->json = json;
    if (json)
        return;
    for (i = 0; i < t->ncolumns; i++) {
        if (shown(show, t->columns[i].name)) {
            keep(l, t->columns[i].name, NULL, NULL);
            l->ncols++;
        }
    }
}

/* Add one row. */
void
listing_row(struct listing *l, const void *row)
{
    const sc_table *t = l->table;
    const char *sep = "";
    size_t i;

    if (!l->json) {
        for (i = 0; i < t->ncolumns; i++)
            if (shown(l->show, t->columns[i].name))
                keep(l, NULL, &t->columns[i], row);
        l->nrows++;
        return;
    }
    fprintf(l->out, "%s{", l->nrows > 0 ? ",\n  " : "[\n  ");
    for (i = 0; i < t->ncolumns; i++) {
        fprintf(l->out, "%s\"%s\": ", sep, t->columns[i].name);
        write_value(l->out, &t->columns[i], row, true);
        sep = ", ";
    }
    fputc('}', l->out);
    l->nrows++;
}

/* The columns UTF-8 text s takes on a terminal: wcwidth() of each
 * character under loc (C.UTF-8), so wide CJK characters count two and
 * combining marks none; a byte that starts no character counts one.
 * Without loc, every character counts one. */
static size_t
text_width(const char *s, locale_t loc)
{
    size_t n = strlen(s), k, w = 0;
    mbstate_t st;
    locale_t old;
    wchar_t wc;
    int cw;

    if (loc == (locale_t)0) {
        for (; *s != '\0'; s++)
            w += ((unsigned char)*s & 0xc0) != 0x80;
        return w;
    }
    old = uselocale(loc);
    memset(&st, 0, sizeof(st));
    while (n > 0) {
        k = mbrtowc(&wc, s, n, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            memset(&st, 0, sizeof(st));
            k = 1;
            cw = 1;
        } else
            cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
        w += (size_t)cw;
        s += k;
        n -= k;
    }
    uselocale(old);
    return w;
}

/* Print the kept text table with each column as wide as its widest cell
 * (in terminal columns, so CJK and combining characters line up). */
static void
print_table(const struct listing *l)
{
    size_t *width = calloc(l->ncols ? l->ncols : 1, sizeof(*width));
    locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    size_t i, w;

    if (width == NULL) {
        if (loc != (locale_t)0)
            freelocale(loc);
        return;
    }
    for (i = 0; i < l->ncells; i++) {
        w = text_width(l->cells[i], loc);
        if (w > width[i % l->ncols])
            width[i % l->ncols] = w;
    }
    for (i = 0; i < l->ncells; i++) {
        fputs(l->cells[i], l->out);
        if (i % l->ncols == l->ncols - 1) {
            fputc('\n', l->out);
            continue;
        }
        for (w = text_width(l->cells[i], loc); w < width[i % l->ncols] + 2;
             w++)
            fputc(' ', l->out);
    }
    if (loc != (locale_t)0)
        freelocale(loc);
    free(width);
}

/* Finish the listing. */
int
listing_end(struct listing *l)
{
    size_t i;
    int rc = l->failed ? -1 : 0;

    if (l->json)
        fputs(l->nrows > 0 ? "\n]\n" : "[]\n", l->out);
    else {
        if (rc == 0 && l->ncols > 0)
            print_table(l);
        fprintf(l->out, "(%zu row%s)\n", l->nrows,
                l->nrows == 1 ? "" : "s");
    }
    for (i = 0; i < l->ncells; i++)
        free(l->cells[i]);
    free(l->cells);
    memset(l, 0, sizeof(*l));
    return rc;
}

/* Print one row, every column. */
void
listing_record(const sc_table *t, const void *row, bool json)
{
    size_t i, width = 0;

    for (i = 0; i < t->ncolumns; i++)
        if (strlen(t->columns[i].name) > width)
            width = strlen(t->columns[i].name);
    if (json)
        putchar('{');
    for (i = 0; i < t->ncolumns; i++) {
        if (json)
            printf("%s\"%s\": ", i > 0 ? ", " : "", t->columns[i].name);
        else
            printf("%-*s  ", (int)width, t->columns[i].name);
        write_value(stdout, &t->columns[i], row, json);
        if (!json)
            putchar('\n');
    }
    if (json)
        printf("}\n");
}
