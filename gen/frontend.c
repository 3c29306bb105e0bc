/*
 * frontend.c - the one call main and the fuzz targets make: schema text
 * in, checked model out (queries prepared against the schema), every
 * error queued on the way.
 */
#include "frontend.h"

#include "ast.h"
#include "cnames.h"
#include "queries.h"

/*
 * Parse and check text; see frontend.h.  The diagnostics queue gets the
 * arena and the source text when the caller left them unset, so
 * messages can quote the line.
 */
int
frontend_load(struct arena *a, struct diags *d, const char *file,
              const char *text, size_t len, struct model **out)
{
    struct ast_schema *s;
    struct pos nowhere = { 0, 0, 0 };

    *out = NULL;
    nowhere.file = file;
    if (d->arena == NULL)
        d->arena = a;
    if (d->text == NULL) {
        d->text = text;
        d->text_len = len;
    }
    s = parse_schema(a, d, file, text, len);
    if (s == NULL || a->failed) {
        diag_error(d, &nowhere, "out of memory");
        return -1;
    }
    if (d->nerrors > 0)
        return -1;
    *out = check_schema(a, d, file, s);
    if (*out != NULL && queries_check(a, d, *out) != 0)
        *out = NULL;
    if (*out != NULL && cnames_check_generated(a, d, *out) != 0)
        *out = NULL;
    if (*out == NULL && d->nerrors == 0)
        diag_error(d, &nowhere, "out of memory");
    return *out != NULL ? 0 : -1;
}
