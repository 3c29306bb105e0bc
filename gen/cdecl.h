/*
 * cdecl.h - C spelling shared by the writers: the escaping of text placed
 * into generated C (comments and string literals), and the names, types
 * and declarators of the typed functions generated for a table.  SQL
 * spelling lives in ddl.h.
 */
#ifndef SCHEMAC_CDECL_H
#define SCHEMAC_CDECL_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "strbuf.h"
#include "view.h"

/* ------------------------------------------------------------------ */
/* Text placed into generated files                                    */
/* ------------------------------------------------------------------ */

/* Append the schema file's name without its folders, as the banners name
 * it, so the output does not depend on where the build ran.  Control
 * bytes (a newline in a file name) become '?', so the name cannot end a
 * comment line and put text of its own into the SQL or C. */
void cdecl_file_name(struct strbuf *sb, const struct model *m);

/*
 * Append the len bytes at s so they can sit inside a C block comment:
 * "*" "/" and "/" "*" are split by a space and "??" becomes "? ?" (no
 * trigraphs); other bytes are copied.
 */
void cdecl_comment(struct strbuf *sb, const char *s, size_t len);

/*
 * Append the NUL-terminated s as the inside of a C string literal (no
 * quotes): backslash, double quote, control bytes and bytes >= 0x80 are
 * escaped (three-digit octal), "??" is broken so no trigraph forms.
 */
void cdecl_string(struct strbuf *sb, const char *s);

/* ------------------------------------------------------------------ */
/* Declarations of the generated functions                             */
/* ------------------------------------------------------------------ */

/* The typed wrappers generated for a table, in the order they appear. */
enum cdecl_fn {
    CDECL_FN_INSERT, CDECL_FN_UPSERT, CDECL_FN_GET, CDECL_FN_UPDATE,
    CDECL_FN_UPDATE_COLS, CDECL_FN_DELETE, CDECL_FN_COUNT, CDECL_FN_SELECT,
    CDECL_FN_FREE
};
#define CDECL_NFN 9

/* True when fn runs a statement of its own in NAME_statements (insert,
 * upsert, get, update, delete); the others build theirs per call. */
bool cdecl_fn_has_stmt(enum cdecl_fn fn);

/* The verb of fn as it ends the function name: "insert", "get", ... */
const char *cdecl_fn_verb(enum cdecl_fn fn);

/*
 * True when vt gets function fn: tables without a primary key have no
 * upsert, get, update, update_cols or delete; tables whose every column
 * is in the key have no update or update_cols.
 */
bool cdecl_has_fn(const struct v_table *vt, enum cdecl_fn fn);

/* The C type of a row struct member of type t: "int64_t", "double",
 * "bool", "const char *", "sc_blob", or for an enum the "int" it is
 * stored in (cdecl_column_type() names the enum).  Text members are const: the
 * generated code only reads them, and _free() releases what _get()
 * allocated through the runtime. */
const char *cdecl_type(enum m_type t);

/* Append the C type of column c of m: cdecl_type(), or "enum
 * <schema>_<enum>" for an enum column. */
void cdecl_column_type(struct strbuf *sb, const struct model *m,
                       const struct m_column *c);

/* Append the name of the key parameter for c in get and delete: c's name,
 * with '_' appended when it would clash with "db", "out" or "key". */
void cdecl_param(struct strbuf *sb, const struct m_column *c);

/* Append the C name of the query parameter called name: name, with '_'
 * appended when it would shadow a name the generated query bodies use
 * ("db", "out", "each", "arg", "rows", "nrows", "changes", "args", "e",
 * "all", "rc", "row"). */
void cdecl_query_param(struct strbuf *sb, const char *name);

/* Append s in upper case, as macro and enum constant names spell it. */
void cdecl_upper(struct strbuf *sb, const char *s);

/*
 * Append the declarator of vt's function fn (vt a view of the current
 * version), from the return type to the closing ')', wrapped at 79
 * columns with parameters aligned after the '('.  With definition set
 * the return type sits on its own line (as in our .c files); otherwise on
 * the same line.
 */
void cdecl_signature(struct strbuf *sb, const struct model *m,
                     const struct v_table *vt, enum cdecl_fn fn,
                     bool definition);

/*
 * Append the declarator "ret name(params...)" the same way: parameters
 * wrapped at 79 columns and aligned after the '(', the return type on its
 * own line with definition set.  Also lays out long calls ("    return",
 * "sc_query_one", arguments).
 */
void cdecl_declarator(struct strbuf *sb, const char *ret, const char *name,
                      const char *const *params, size_t nparams,
                      bool definition);

#endif /* SCHEMAC_CDECL_H */
