/*
 * emit_enum.c - what a schema enum becomes in NAME.h and NAME.c: a C
 * enum of the values alive at the current version, the table of their
 * names (what the database stores), and the functions that convert
 * between the two.
 */
#include "emit.h"

#include "cdecl.h"

/* Append "<SCHEMA>_<ENUM>_<VALUE>". */
static void
constant(struct strbuf *out, const struct model *m, const struct m_enum *e,
         const struct m_enum_value *v)
{
    cdecl_upper(out, m->name);
    sb_adds(out, "_");
    cdecl_upper(out, e->name);
    sb_adds(out, "_");
    cdecl_upper(out, v->name);
}

/* Write enum e of NAME.h: the C enum, then the prototypes of its _str and
 * _parse functions with their contracts. */
static void
enum_h(struct strbuf *out, const struct model *m, const struct m_enum *e)
{
    struct strbuf title = { 0 }, where = { 0 };
    size_t i;

    sb_printf(&title, "Enum %s", e->name);
    emit_heading(out, sb_str(&title));
    sb_adds(&where, "(");
    cdecl_file_name(&where, m);
    sb_printf(&where, ":%d)  Stored as the value's name.", e->pos.line);
    sb_adds(out, "\n/*\n");
    if (e->doc == NULL)
        sb_printf(out, " * The values of enum %s.\n", e->name);
    emit_comment_lines(out, "", e->doc, sb_str(&where));
    sb_printf(out, " */\nenum %s_%s {\n", m->name, e->name);
    for (i = 0; i < e->nvalues; i++) {
        if (!m_alive(&e->values[i].span, m->version))
            continue;
        sb_adds(out, "    ");
        constant(out, m, e, &e->values[i]);
        sb_adds(out, ",\n");
    }
    sb_adds(out, "};\n");
    emit_note(out, "The name of v as the database stores it, or NULL when "
              "v is not a value of enum %s_%s.", m->name, e->name);
    sb_printf(out, "const char *%s_%s_str(enum %s_%s v);\n", m->name,
              e->name, m->name, e->name);
    emit_note(out, "Store in *v the value whose name is text.  Returns "
              "SC_OK, or SC_NOTFOUND when text (or NULL) names no value, "
              "leaving *v as it was.");
    sb_printf(out, "int %s_%s_parse(const char *text, enum %s_%s *v);\n",
              m->name, e->name, m->name, e->name);
    sb_free(&title);
    sb_free(&where);
}

/* Write the enums of NAME.h, in source order. */
void
emit_enum_h(const struct view *now, struct strbuf *out)
{
    size_t i;

    for (i = 0; i < now->m->nenums; i++)
        enum_h(out, now->m, &now->m->enums[i]);
}

/* Write enum e of NAME.c: its names in enum order, the check that it is
 * an int as the runtime reads it, and its _str and _parse functions. */
static void
enum_c(struct strbuf *out, const struct model *m, const struct m_enum *e)
{
    struct strbuf names = { 0 }, title = { 0 };
    const char *s = m->name, *n = e->name;
    size_t i;

    sb_printf(&title, "Enum %s", n);
    emit_heading(out, sb_str(&title));
    sb_printf(&names, "%s_%s_names", s, n);
    emit_note(out, "The names of enum %s's values, in enum order: what the "
              "database stores.", n);
    sb_printf(out, "static const char *const %s[] = {\n", sb_str(&names));
    for (i = 0; i < e->nvalues; i++) {
        if (!m_alive(&e->values[i].span, m->version))
            continue;
        sb_adds(out, "    \"");
        cdecl_string(out, e->values[i].name);
        sb_adds(out, "\",\n");
    }
    sb_adds(out, "};\n");
    emit_note(out, "The runtime reads and writes an enum member as an int.");
    sb_printf(out, "_Static_assert(sizeof(enum %s_%s) == sizeof(int),\n"
              "               \"enum %s_%s is stored as an int\");\n", s, n,
              s, n);
    emit_note(out, "The name of v.  Contract in %s.h.", s);
    sb_printf(out, "const char *\n%s_%s_str(enum %s_%s v)\n{\n"
              "    size_t i = (size_t)(int)v;\n\n"
              "    return (int)v >= 0 && i < sizeof %s\n"
              "                              / sizeof %s[0]\n"
              "        ? %s[i] : NULL;\n}\n", s, n, s, n, sb_str(&names),
              sb_str(&names), sb_str(&names));
    emit_note(out, "The value named text.  Contract in %s.h.", s);
    sb_printf(out, "int\n%s_%s_parse(const char *text, enum %s_%s *v)\n{\n"
              "    size_t i;\n\n"
              "    for (i = 0; text != NULL && i < sizeof %s\n"
              "                / sizeof %s[0]; i++)\n"
              "        if (strcmp(text, %s[i]) == 0) {\n"
              "            *v = (enum %s_%s)i;\n"
              "            return SC_OK;\n"
              "        }\n"
              "    return SC_NOTFOUND;\n}\n", s, n, s, n, sb_str(&names),
              sb_str(&names), sb_str(&names), s, n);
    sb_free(&names);
    sb_free(&title);
}

/* Write the enums of NAME.c, in source order. */
void
emit_enum_c(const struct view *now, struct strbuf *out)
{
    size_t i;

    for (i = 0; i < now->m->nenums; i++)
        enum_c(out, now->m, &now->m->enums[i]);
}
