/*
 * cdecl.c - C spelling shared by the writers: text made safe inside
 * comments and string literals, the generated functions' names and
 * declarators laid out within 79 columns.
 */
#include "cdecl.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Append the part of m->file after its last '/', control bytes as '?'. */
void
cdecl_file_name(struct strbuf *sb, const struct model *m)
{
    const char *slash = strrchr(m->file, '/');
    const unsigned char *p = (const unsigned char *)(slash != NULL
                                                     ? slash + 1 : m->file);

    for (; *p != '\0'; p++) {
        char ch = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
        sb_addn(sb, &ch, 1);
    }
}

/* Copy s[0..len) so it cannot end the comment or start a nested one. */
void
cdecl_comment(struct strbuf *sb, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        sb_addn(sb, &s[i], 1);
        if (i + 1 < len
            && ((s[i] == '*' && s[i + 1] == '/')
                || (s[i] == '/' && s[i + 1] == '*')
                || (s[i] == '?' && s[i + 1] == '?')))
            sb_adds(sb, " ");
    }
}

/* Escape s for the inside of a C string literal. */
void
cdecl_string(struct strbuf *sb, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '\\':
            sb_adds(sb, "\\\\");
            break;
        case '"':
            sb_adds(sb, "\\\"");
            break;
        case '\n':
            sb_adds(sb, "\\n");
            break;
        case '\t':
            sb_adds(sb, "\\t");
            break;
        case '?':
            /* "??" followed by some characters is a trigraph in C11. */
            sb_adds(sb, p[1] == '?' ? "?\\" : "?");
            break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                sb_printf(sb, "\\%03o", *p);
            else
                sb_addn(sb, (const char *)p, 1);
        }
    }
}

/* ------------------------------------------------------------------ */
/* C declarations of the generated functions                          */
/* ------------------------------------------------------------------ */

/* Function name endings, in enum cdecl_fn order. */
static const char *const fn_verbs[CDECL_NFN] = {
    "insert", "upsert", "get", "update", "update_cols", "delete", "count",
    "select", "free"
};

/* The verb of fn. */
const char *
cdecl_fn_verb(enum cdecl_fn fn)
{
    return fn_verbs[fn];
}

/* Whether fn has a statement slot. */
bool
cdecl_fn_has_stmt(enum cdecl_fn fn)
{
    return fn <= CDECL_FN_DELETE && fn != CDECL_FN_UPDATE_COLS;
}

/* Whether vt gets fn. */
bool
cdecl_has_fn(const struct v_table *vt, enum cdecl_fn fn)
{
    switch (fn) {
    case CDECL_FN_UPSERT:
    case CDECL_FN_GET:
    case CDECL_FN_DELETE:
        return view_has_key(vt);
    case CDECL_FN_UPDATE:
    case CDECL_FN_UPDATE_COLS:
        return view_has_key(vt) && view_has_non_key(vt);
    case CDECL_FN_INSERT:
        return !vt->table->is_view;
    case CDECL_FN_COUNT:
    case CDECL_FN_SELECT:
    case CDECL_FN_FREE:
        break;
    }
    return true;
}

/* The member type of a column type. */
const char *
cdecl_type(enum m_type t)
{
    switch (t) {
    case M_INTEGER:
        return "int64_t";
    case M_REAL:
        return "double";
    case M_BOOLEAN:
        return "bool";
    case M_TEXT:
    case M_TIMESTAMP:
        return "const char *";
    case M_ENUM:
        return "int";           /* a column says which enum: see below */
    case M_BLOB:
        break;
    }
    return "sc_blob";
}

/* The C type of column c of m. */
void
cdecl_column_type(struct strbuf *sb, const struct model *m,
                  const struct m_column *c)
{
    if (c->type == M_ENUM)
        sb_printf(sb, "enum %s_%s", m->name, c->enum_type->name);
    else
        sb_adds(sb, cdecl_type(c->type));
}

/* c's name as a parameter of get and delete. */
void
cdecl_param(struct strbuf *sb, const struct m_column *c)
{
    sb_adds(sb, c->name);
    if (strcmp(c->name, "db") == 0 || strcmp(c->name, "out") == 0
        || strcmp(c->name, "key") == 0)
        sb_adds(sb, "_");
}

/* Names the generated query bodies use, which a parameter must not
 * shadow. */
static const char *const query_locals[] = {
    "db", "out", "each", "arg", "rows", "nrows", "changes", "args", "e",
    "all", "rc", "row"
};

/* A query parameter's C name. */
void
cdecl_query_param(struct strbuf *sb, const char *name)
{
    size_t i;

    sb_adds(sb, name);
    for (i = 0; i < sizeof query_locals / sizeof query_locals[0]; i++)
        if (strcmp(query_locals[i], name) == 0) {
            sb_adds(sb, "_");
            break;
        }
}

/* Append s in upper case. */
void
cdecl_upper(struct strbuf *sb, const char *s)
{
    for (; *s != '\0'; s++) {
        char ch = (char)toupper((unsigned char)*s);
        sb_addn(sb, &ch, 1);
    }
}

/* The column sb's last line has reached. */
static size_t
current_column(const struct strbuf *sb)
{
    const char *s = sb_str(sb);
    size_t i = sb->len;

    while (i > 0 && s[i - 1] != '\n')
        i--;
    return sb->len - i;
}

/*
 * Append one parameter of a signature: after ", " on the same line when
 * it fits in 79 columns with what must follow it ("," after a parameter,
 * ")" and ";" after the last), else on a new line indented to align.
 */
static void
add_param(struct strbuf *sb, const char *param, bool first, bool last,
          size_t align)
{
    size_t tail = last ? 2 : 1;

    if (!first) {
        if (current_column(sb) + 2 + strlen(param) + tail > 79) {
            sb_adds(sb, ",\n");
            sb_printf(sb, "%*s", (int)align, "");
        } else {
            sb_adds(sb, ", ");
        }
    }
    sb_adds(sb, param);
}

/* Append the i-th key column of vt (of m) as a parameter; false when vt
 * has no more key columns. */
static bool
key_param(struct strbuf *p, const struct model *m, const struct v_table *vt,
          size_t i)
{
    size_t j;

    for (j = 0; j < vt->ncolumns; j++) {
        const struct v_column *vc = &vt->columns[j];
        if (!vc->is_key || i-- > 0)
            continue;
        cdecl_column_type(p, m, vc->col);
        if (vc->type != M_TEXT && vc->type != M_TIMESTAMP)
            sb_adds(p, " ");
        cdecl_param(p, vc->col);
        return true;
    }
    return false;
}

/*
 * Set p to the text of parameter i of fn ("sc_db *db", ...).  Returns
 * false when fn has no parameter i.
 */
static bool
fn_param(struct strbuf *p, const struct model *m, const struct v_table *vt,
         enum cdecl_fn fn, size_t i)
{
    static const char *const select_params[] = {
        "sc_db *db", "const sc_where *where", "const sc_order *order",
        "size_t norder", "int64_t limit", "int64_t offset", NULL, "void *arg"
    };
    const struct m_table *t = vt->table;

    sb_reset(p);
    if (fn == CDECL_FN_FREE) {
        if (i > 0)
            return false;
        sb_printf(p, "struct %s_%s *row", m->name, t->name);
        return true;
    }
    if (i == 0) {
        sb_adds(p, "sc_db *db");
        return true;
    }
    switch (fn) {
    case CDECL_FN_INSERT:
    case CDECL_FN_UPSERT:
    case CDECL_FN_UPDATE:
        if (i > 1)
            return false;
        /* Insert and upsert store an assigned rowid into the row. */
        sb_printf(p, "%sstruct %s_%s *row", vt->rowid != NULL
                  && fn != CDECL_FN_UPDATE ? "" : "const ", m->name, t->name);
        return true;
    case CDECL_FN_UPDATE_COLS:
        if (i == 1)
            sb_printf(p, "const struct %s_%s *row", m->name, t->name);
        else if (i == 2)
            sb_adds(p, "const int *cols");
        else if (i == 3)
            sb_adds(p, "size_t ncols");
        return i <= 3;
    case CDECL_FN_GET:
    case CDECL_FN_DELETE:
        if (key_param(p, m, vt, i - 1))
            return true;
        /* out follows the last key column: key i - 2 exists, i - 1 not. */
        if (fn == CDECL_FN_DELETE || i < 2
            || !key_param(p, m, vt, i - 2))
            return false;
        sb_reset(p);
        sb_printf(p, "struct %s_%s *out", m->name, t->name);
        return true;
    case CDECL_FN_COUNT:
        if (i > 2)
            return false;
        sb_adds(p, i == 1 ? "const sc_where *where" : "int64_t *n");
        return true;
    case CDECL_FN_SELECT:
        if (i >= sizeof select_params / sizeof select_params[0])
            return false;
        if (select_params[i] != NULL)
            sb_adds(p, select_params[i]);
        else
            sb_printf(p, "%s_%s_each_fn *each", m->name, t->name);
        return true;
    case CDECL_FN_FREE:
        break;
    }
    return false;
}

/*
 * Write "ret name(params...)": parameters aligned under the '(' when each
 * fits there in 79 columns, else on lines of their own indented four
 * spaces past ret's own indentation.
 */
void
cdecl_declarator(struct strbuf *sb, const char *ret, const char *name,
                 const char *const *params, size_t nparams, bool definition)
{
    size_t i, align, base = strspn(ret, " ");

    sb_printf(sb, "%s%s%s(", ret, definition ? "\n" : " ", name);
    align = current_column(sb);
    for (i = 0; i < nparams; i++)
        if (align + strlen(params[i]) + 2 > 79) {
            align = base + 4;
            sb_printf(sb, "\n%*s", (int)align, "");
            break;
        }
    for (i = 0; i < nparams; i++)
        add_param(sb, params[i], i == 0, i + 1 == nparams, align);
    sb_adds(sb, ")");
}

/* Write the declarator of vt's fn; see cdecl.h. */
void
cdecl_signature(struct strbuf *sb, const struct model *m,
                const struct v_table *vt, enum cdecl_fn fn, bool definition)
{
    size_t max = vt->nkeys + 9, n = 0, i;
    struct strbuf name = { 0 }, *text = calloc(max, sizeof *text);
    const char **texts = calloc(max, sizeof *texts);

    if (text == NULL || texts == NULL) {
        sb->failed = 1;
        goto done;
    }
    while (n < max && fn_param(&text[n], m, vt, fn, n))
        n++;
    assert(n < max);
    for (i = 0; i < n; i++) {
        texts[i] = sb_str(&text[i]);
        if (text[i].failed)
            sb->failed = 1;
    }
    sb_printf(&name, "%s_%s_%s", m->name, vt->table->name,
              cdecl_fn_verb(fn));
    cdecl_declarator(sb, fn == CDECL_FN_FREE ? "void" : "int", sb_str(&name),
                     texts, n, definition);
done:
    for (i = 0; text != NULL && i < max; i++)
        sb_free(&text[i]);
    free(text);
    free(texts);
    sb_free(&name);
}
