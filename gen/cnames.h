/*
 * cnames.h - checks that the names a schema gives become valid, distinct C
 * names in the generated code.
 */
#ifndef SCHEMAC_CNAMES_H
#define SCHEMAC_CNAMES_H

#include "diag.h"
#include "model.h"

/*
 * Report every name of m that would break the generated C: a column or
 * query parameter spelled like a C keyword, a column called has_X beside a
 * column X (its flag's name), and two tables or two columns of a table
 * that differ only in case (their upper-case macro and enum names would
 * collide).  Returns the number of errors.
 */
int check_c_names(struct diags *d, const struct model *m);

/* True when name is a C11 keyword or a name <stdbool.h> defines, which no
 * generated member or parameter may be called. */
bool cnames_is_keyword(const char *name);

#endif /* SCHEMAC_CNAMES_H */
