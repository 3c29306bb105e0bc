/*
 * json.h - JSON text for the generator's machine-readable outputs: the
 * model (--emit json) and diagnostics (--diagnostics=json).
 */
#ifndef SCHEMAC_JSON_H
#define SCHEMAC_JSON_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Append the len bytes at s as a JSON string, quotes included: '"', '\'
 * and control bytes escaped, valid UTF-8 copied, and each byte of an
 * invalid UTF-8 sequence replaced by U+FFFD, so the output is always
 * valid JSON in UTF-8 whatever a file name or schema holds.
 */
void json_string_n(struct strbuf *out, const char *s, size_t len);

/* The same for the NUL-terminated s; NULL is written as null. */
void json_string(struct strbuf *out, const char *s);

#endif /* SCHEMAC_JSON_H */
