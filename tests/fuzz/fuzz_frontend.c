/*
 * fuzz_frontend.c - libFuzzer target over the generator's front end:
 * arbitrary bytes through frontend_load() (lexer, parser, checks), then
 * every queued diagnostic printed, as main would, to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "frontend.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where diagnostics go: opened once, kept for the whole run. */
static FILE *
sink(void)
{
    static FILE *f;

    if (f == NULL)
        f = fopen("/dev/null", "w");
    return f;
}

/*
 * Load the size bytes at data as a schema file and print its diagnostics.
 * Returns 0 (libFuzzer's "keep going"); a defect shows as a sanitizer
 * report or a crash.  data is only read.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena = { 0 };
    struct diags diags = { 0 };
    struct model *m = NULL;
    char *text = malloc(size + 1);
    int rc;

    if (text == NULL)
        return 0;
    if (size > 0)
        memcpy(text, data, size);
    text[size] = '\0';
    diags.arena = &arena;
    diags.text = text;
    diags.text_len = size;
    rc = frontend_load(&arena, &diags, "fuzz.schema", text, size, &m);
    /* The contract: success means a model and no errors, failure the
     * opposite, never a silent failure. */
    if ((rc == 0) != (m != NULL && diags.nerrors == 0))
        abort();
    if (rc != 0 && diags.nerrors == 0)
        abort();
    if (sink() != NULL)
        diag_print(&diags, sink());
    arena_free(&arena);
    free(text);
    return 0;
}
