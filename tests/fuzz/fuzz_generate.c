/*
 * fuzz_generate.c - libFuzzer target over the whole generator in memory:
 * frontend_load(), history_prove(), the view of the current version, then
 * emit_sql(), emit_h() and emit_c() into strbufs and the current version's
 * DDL in PostgreSQL's spelling (history_ddl()), each twice to check the
 * output is deterministic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "frontend.h"
#include "history.h"
#include "model.h"
#include "strbuf.h"
#include "view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The writers. */
enum writer { W_SQL, W_H, W_C, W_PG };

/* Append the current version's PostgreSQL DDL of m to out, as schemac
 * --dialect postgresql prints it (statements ended by ";\n"). */
static void
emit_pg(const struct model *m, struct strbuf *out)
{
    struct arena a = { 0 };
    struct plan_sql *sql;
    size_t n, i;

    sb_printf(out, "-- Schema %s at version %d, for PostgreSQL.\n", m->name,
              m->version);
    /* A trigger without PostgreSQL statements is refused before any DDL
     * is spelled (dialect_check()), as schemac does. */
    for (i = 0; i < m->ntriggers; i++)
        if (m->triggers[i].pg.sql == NULL)
            return;
    if (history_ddl(&a, m, m->version, SQL_POSTGRESQL, &sql, &n) != 0)
        out->failed = 1;
    else
        for (i = 0; i < n; i++)
            sb_printf(out, "%s;\n", sql[i].sql);
    arena_free(&a);
}

/* Run writer w over now and plan into out. */
static void
emit(enum writer w, const struct view *now, const struct plan *plan,
     struct strbuf *out)
{
    switch (w) {
    case W_SQL:
        emit_sql(now, plan, out);
        break;
    case W_H:
        emit_h(now, out);
        break;
    case W_C:
        emit_c(now, plan, out);
        break;
    case W_PG:
        emit_pg(now->m, out);
        break;
    }
}

/*
 * Run one writer twice and abort when the two outputs differ or a
 * successful run produced nothing.  Memory is released before returning.
 */
static void
emit_twice(enum writer w, const struct view *now, const struct plan *plan)
{
    struct strbuf a = { 0 }, b = { 0 };

    emit(w, now, plan, &a);
    emit(w, now, plan, &b);
    if (!a.failed && !b.failed) {
        if (a.len == 0 || a.len != b.len
            || memcmp(sb_str(&a), sb_str(&b), a.len) != 0)
            abort();
        if (strlen(sb_str(&a)) != a.len)
            abort();        /* a NUL inside generated text */
    }
    sb_free(&a);
    sb_free(&b);
}

/*
 * Generate the three outputs of the size bytes at data when they form a
 * valid schema.  Returns 0; a defect shows as a sanitizer report or an
 * abort.  data is only read.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena = { 0 };
    struct diags diags = { 0 };
    struct model *m = NULL;
    struct plan plan;
    struct view now;
    char *text = malloc(size + 1);

    if (text == NULL)
        return 0;
    if (size > 0)
        memcpy(text, data, size);
    text[size] = '\0';
    diags.arena = &arena;
    diags.text = text;
    diags.text_len = size;
    if (frontend_load(&arena, &diags, "fuzz.schema", text, size, &m) == 0
        && m != NULL && history_prove(&arena, &diags, m, &plan) == 0
        && view_build(&arena, m, m->version, &now) == 0) {
        emit_twice(W_SQL, &now, &plan);
        emit_twice(W_H, &now, &plan);
        emit_twice(W_C, &now, &plan);
        emit_twice(W_PG, &now, &plan);
    }
    arena_free(&arena);
    free(text);
    return 0;
}
