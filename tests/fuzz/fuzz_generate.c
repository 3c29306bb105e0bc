/*
 * fuzz_generate.c - libFuzzer target over the whole generator in memory:
 * frontend_load(), then emit_sql(), emit_h() and emit_c() into strbufs,
 * each twice to check the output is deterministic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "frontend.h"
#include "model.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef void emit_fn(const struct model *m, struct strbuf *out);

/*
 * Run one writer twice over m and abort when the two outputs differ or a
 * successful run produced nothing.  Memory is released before returning.
 */
static void
emit_twice(emit_fn *emit, const struct model *m)
{
    struct strbuf a = { 0 }, b = { 0 };

    emit(m, &a);
    emit(m, &b);
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
        && m != NULL) {
        emit_twice(emit_sql, m);
        emit_twice(emit_h, m);
        emit_twice(emit_c, m);
    }
    arena_free(&arena);
    free(text);
    return 0;
}
