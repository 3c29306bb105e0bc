/*
 * cnames.h - checks that the names a schema gives become valid, distinct C
 * names in the generated code.
 */
#ifndef SCHEMAC_CNAMES_H
#define SCHEMAC_CNAMES_H

#include "arena.h"
#include "diag.h"
#include "model.h"

/*
 * Report every name of m that cannot be a C name of its own (stage 2):
 * a schema name the runtime owns ("sc", "sci", "schemac") or starting
 * with '_'; a column or query parameter that is reserved
 * (cnames_is_reserved()); a column called has_X beside a column X (its
 * flag's name); two tables or two columns of a table that differ only in
 * case (their upper-case macro and enum names would collide).  Returns
 * the number of errors.
 */
int check_c_names(struct diags *d, const struct model *m);

/*
 * Report every collision among the identifiers the generated code would
 * define, once the queries are checked: each function, object, typedef,
 * enum constant, struct or enum tag and macro of NAME.h and NAME.c is
 * registered with the schema element that causes it, in the name space
 * C gives it (macros reach every space), as are the members of each row
 * struct and the parameters of each function.  The first definition
 * wins; each later one that meets it is an error at its own line.
 * Linear in the size of the schema.  Returns the number of errors.
 */
int cnames_check_generated(struct arena *a, struct diags *d,
                           const struct model *m);

/*
 * Why name cannot be a member or parameter of generated C ("a C
 * keyword", ...), or NULL when it can: a keyword of C11, C23 or GNU C, a
 * name C reserves (_X..., __...), or a macro or type of the headers
 * generated code includes (NULL, bool, true, offsetof, size_t, int64_t,
 * INT64_MAX, SIZE_MAX, ...).  The text is static.
 */
const char *cnames_reserved(const char *name);

#endif /* SCHEMAC_CNAMES_H */
