/*
 * emit_text.c - text shapes the writers share: section headings, doc
 * comments and wrapped contract comments, struct member declarations and
 * the SC_T_ name of a type.
 */
#include "emit.h"

#include <string.h>

#include "ddl.h"

/* Append a section heading: a rule and a title. */
void
emit_heading(struct strbuf *out, const char *title)
{
    sb_adds(out, "\n/* ----------------------------------------------------"
            "-------------- */\n");
    sb_printf(out, "/* %-66s */\n", title);
    sb_adds(out, "/* ----------------------------------------------------"
            "-------------- */\n");
}

/*
 * Append the lines of doc (may be NULL) as the lines of a block comment at
 * indent, each " * "-prefixed, then the line last (may be NULL).
 */
void
emit_comment_lines(struct strbuf *out, const char *indent, const char *doc,
                   const char *last)
{
    const char *p, *nl;

    for (p = doc; p != NULL && *p != '\0'; p = nl + 1) {
        nl = strchr(p, '\n');
        if (nl == NULL)
            nl = p + strlen(p);
        sb_printf(out, "%s *%s", indent, nl > p ? " " : "");
        ddl_c_comment(out, p, (size_t)(nl - p));
        sb_adds(out, "\n");
        if (*nl == '\0')
            break;
    }
    if (last != NULL) {
        sb_printf(out, "%s * ", indent);
        ddl_c_comment(out, last, strlen(last));
        sb_adds(out, "\n");
    }
}

/*
 * Append text as a block comment wrapped at 76 columns, two spaces after
 * each sentence (as in schemac.h).
 */
void
emit_wrapped_comment(struct strbuf *out, const char *text)
{
    const char *p = text;
    size_t col = 0, gap = 1;

    sb_adds(out, "/*\n");
    while (*p != '\0') {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (col > 0 && col + gap + len > 76) {
            sb_adds(out, "\n");
            col = 0;
        }
        if (col == 0) {
            sb_adds(out, " * ");
            col = 3;
        } else {
            sb_printf(out, "%*s", (int)gap, "");
            col += gap;
        }
        ddl_c_comment(out, p, len);
        col += len;
        gap = len > 0 && p[len - 1] == '.' ? 2 : 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    sb_adds(out, "\n */\n");
}

/* Append the struct member declaration of name of type t ("int64_t  id;",
 * "char    *body;") to decl. */
void
emit_member_decl(struct strbuf *decl, enum m_type t, const char *name)
{
    const char *type = ddl_c_type(t);
    size_t len = strlen(type);

    if (type[len - 1] == '*')       /* "char *": the star goes with the name */
        sb_printf(decl, "%-8.*s*%s;", (int)(len - 2), type, name);
    else
        sb_printf(decl, "%-9s%s;", type, name);
}

/* The SC_T_ name of a column type. */
const char *
emit_sc_type(enum m_type t)
{
    switch (t) {
    case M_INTEGER:
        return "SC_T_INTEGER";
    case M_REAL:
        return "SC_T_REAL";
    case M_TEXT:
        return "SC_T_TEXT";
    case M_BLOB:
        return "SC_T_BLOB";
    case M_BOOLEAN:
        return "SC_T_BOOLEAN";
    case M_TIMESTAMP:
        break;
    }
    return "SC_T_TIMESTAMP";
}
