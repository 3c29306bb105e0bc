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

#endif /* SCHEMAC_CNAMES_H */
