/*
 * emit_c.c - the NAME.c writer: the statements, the column and table
 * descriptors, the typed wrappers over the sc_row_* functions and the
 * sc_schema that ties them together.  All SQL comes from here and ddl.c.
 */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "history.h"

/* Statement slots of a table, in the order they are written. */
enum stmt_op { OP_INSERT, OP_UPSERT, OP_GET, OP_UPDATE, OP_DELETE, NOPS };

/* A statement slot the table does not have (SC_NO_STMT in the output). */
#define NO_STMT ((unsigned)-1)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* True for a table with a struct, a descriptor and functions: alive at
 * the current version and not the version table. */
static bool
is_data_table(const struct model *m, const struct m_table *t)
{
    return m_alive(&t->span, m->version) && !t->is_version_table;
}

/* Append one line (at most 79 columns when it can be cut at a space) of
 * an escaped string piece; returns how many bytes of s it used. */
static size_t
literal_piece(struct strbuf *out, const char *s, size_t len, size_t room)
{
    size_t cut = len, i;

    if (len > room) {
        /* The last space that still fits, else the first one at all. */
        cut = 0;
        for (i = 0; i < len; i++)
            if (s[i] == ' ' && (i + 1 <= room || cut == 0))
                cut = i + 1;
        if (cut == 0 || cut == len)
            cut = len;
    }
    sb_adds(out, "\"");
    sb_addn(out, s, cut);
    sb_adds(out, "\"");
    return cut;
}

/*
 * Append sql as a C string literal starting at column col, split into
 * adjacent literals: after each newline of the SQL, and at spaces where a
 * line would pass 79 columns (allowing for a ',' after it).  Continuation
 * lines are indented by indent spaces.  Returns how many literals it
 * wrote.
 */
static size_t
literal_lines(struct strbuf *out, const char *sql, size_t col, size_t indent)
{
    struct strbuf line = { 0 }, esc = { 0 };
    const char *p = sql;
    size_t n = 0;

    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p), used = 0;

        sb_reset(&line);
        sb_addn(&line, p, len);
        sb_reset(&esc);
        ddl_c_string(&esc, sb_str(&line));
        do {
            size_t at = n == 0 ? col : indent;
            size_t room = at + 3 < 79 ? 79 - at - 3 : 1;
            if (n > 0)
                sb_printf(out, "\n%*s", (int)indent, "");
            used += literal_piece(out, sb_str(&esc) + used, esc.len - used,
                                  room);
            n++;
        } while (used < esc.len);
        p += len;
        if (*p == '\0')
            break;
    }
    sb_free(&line);
    sb_free(&esc);
    return n;
}

/*
 * Append sql as a C string literal (see literal_lines()).  An array
 * element made of several literals is put in parentheses (in_array), so
 * no compiler takes it for a missing comma.
 */
static void
c_literal(struct strbuf *out, const char *sql, size_t col, size_t indent,
          bool in_array)
{
    struct strbuf tmp = { 0 };

    if (literal_lines(&tmp, sql, col, indent) > 1 && in_array) {
        sb_adds(out, "(");
        literal_lines(out, sql, col + 1, indent + 1);
        sb_adds(out, ")");
    } else {
        sb_addn(out, sb_str(&tmp), tmp.len);
    }
    sb_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* SQL statements                                                      */
/* ------------------------------------------------------------------ */

/* Which columns names() lists. */
enum pick { PICK_ALL, PICK_KEY, PICK_NON_KEY };

/* Append the names of t's columns alive at v that pick selects, comma
 * separated, in declaration order. */
static void
names(struct strbuf *sb, const struct m_table *t, int v, enum pick pick)
{
    const char *sep = "";
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        bool key;
        if (!m_alive(&c->span, v))
            continue;
        key = ddl_is_key(t, c, v);
        if ((pick == PICK_KEY && !key) || (pick == PICK_NON_KEY && key))
            continue;
        sb_adds(sb, sep);
        ddl_ident(sb, m_column_name_at(c, v));
        sep = ", ";
    }
}

/* Append " WHERE k1 = ?first AND k2 = ?first+1 ..." over the key. */
static void
key_where(struct strbuf *sb, const struct m_table *t, int v, int first)
{
    const char *sep = " WHERE ";
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v) || !ddl_is_key(t, c, v))
            continue;
        sb_adds(sb, sep);
        ddl_ident(sb, m_column_name_at(c, v));
        sb_printf(sb, " = ?%d", first++);
        sep = " AND ";
    }
}

/*
 * INSERT INTO t (every column) VALUES (?1, ...): a column with a DEFAULT
 * other than NULL binds coalesce(?N, default), so an unset member (NULL,
 * or has_ false) stores the default as a plain INSERT without it would.
 */
static void
insert_sql(struct strbuf *sb, const struct m_table *t, int v)
{
    const char *sep = "";
    size_t i;
    int n = 1;

    sb_adds(sb, "INSERT INTO ");
    ddl_ident(sb, m_table_name_at(t, v));
    sb_adds(sb, " (");
    names(sb, t, v, PICK_ALL);
    sb_adds(sb, ") VALUES (");
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        const char *def;
        if (!m_alive(&c->span, v))
            continue;
        def = ddl_default(c, v);
        if (def != NULL)
            sb_printf(sb, "%scoalesce(?%d, %s)", sep, n++, def);
        else
            sb_printf(sb, "%s?%d", sep, n++);
        sep = ", ";
    }
    sb_adds(sb, ")");
}

/*
 * Append "c = value, ..." for every non-key column of t alive at v, after
 * lead: the value is excluded.c when n is NULL, else the parameter ?*n,
 * numbered on from *n.  Returns how many were appended.
 */
static size_t
assignments(struct strbuf *sb, const struct m_table *t, int v,
            const char *lead, int *n)
{
    size_t i, count = 0;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v) || ddl_is_key(t, c, v))
            continue;
        sb_adds(sb, count++ == 0 ? lead : ", ");
        ddl_ident(sb, m_column_name_at(c, v));
        if (n != NULL) {
            sb_printf(sb, " = ?%d", (*n)++);
        } else {
            sb_adds(sb, " = excluded.");
            ddl_ident(sb, m_column_name_at(c, v));
        }
    }
    return count;
}

/* The insert, then ON CONFLICT (key) DO UPDATE SET c = excluded.c for
 * each non-key column, or DO NOTHING when there is none. */
static void
upsert_sql(struct strbuf *sb, const struct m_table *t, int v)
{
    insert_sql(sb, t, v);
    sb_adds(sb, " ON CONFLICT (");
    names(sb, t, v, PICK_KEY);
    sb_adds(sb, ")");
    if (assignments(sb, t, v, " DO UPDATE SET ", NULL) == 0)
        sb_adds(sb, " DO NOTHING");
}

/* Append "SELECT every column FROM t". */
static void
select_sql(struct strbuf *sb, const struct m_table *t, int v)
{
    sb_adds(sb, "SELECT ");
    names(sb, t, v, PICK_ALL);
    sb_adds(sb, " FROM ");
    ddl_ident(sb, m_table_name_at(t, v));
}

/* UPDATE t SET non-key columns = ?1.. WHERE key columns = ?k.. */
static void
update_sql(struct strbuf *sb, const struct m_table *t, int v)
{
    int n = 1;

    sb_adds(sb, "UPDATE ");
    ddl_ident(sb, m_table_name_at(t, v));
    assignments(sb, t, v, " SET ", &n);
    key_where(sb, t, v, n);
}

/* Append the statement op of t, or nothing when t has none. */
static void
stmt_sql(struct strbuf *sb, const struct m_table *t, int v, enum stmt_op op)
{
    switch (op) {
    case OP_INSERT:
        insert_sql(sb, t, v);
        break;
    case OP_UPSERT:
        upsert_sql(sb, t, v);
        break;
    case OP_GET:
        select_sql(sb, t, v);
        key_where(sb, t, v, 1);
        break;
    case OP_UPDATE:
        update_sql(sb, t, v);
        break;
    case OP_DELETE:
        sb_adds(sb, "DELETE FROM ");
        ddl_ident(sb, m_table_name_at(t, v));
        key_where(sb, t, v, 1);
        break;
    case NOPS:
        break;
    }
}

/* The function that uses statement op. */
static enum ddl_fn
op_fn(enum stmt_op op)
{
    static const enum ddl_fn fns[NOPS] = {
        DDL_FN_INSERT, DDL_FN_UPSERT, DDL_FN_GET, DDL_FN_UPDATE, DDL_FN_DELETE
    };
    return fns[op];
}

/*
 * Write NAME_statements: per data table, in declaration order, its
 * insert, upsert, get, update and delete (those it has).  Stores each
 * statement's index in idx[table][op], NO_STMT for those it lacks, and
 * returns how many there are.
 */
static unsigned
statements(struct strbuf *out, const struct model *m, unsigned (*idx)[NOPS])
{
    struct strbuf sql = { 0 };
    unsigned n = 0;
    size_t i;
    int op;

    emit_heading(out, "Statements");
    sb_printf(out, "\n/*\n * Every statement of the schema, prepared once per"
              " connection.  The runtime\n * binds them by position: every"
              " column for insert and upsert, the key\n * columns for get"
              " and delete, the other columns then the key for update.\n"
              " */\nstatic const char *const %s_statements[] = {\n", m->name);
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        for (op = 0; op < NOPS; op++) {
            idx[i][op] = NO_STMT;
            if (!is_data_table(m, t)
                || !ddl_has_fn(t, op_fn((enum stmt_op)op), m->version))
                continue;
            idx[i][op] = n;
            sb_printf(out, "    /* %u: %s %s */\n    ", n, t->name,
                      ddl_fn_verb(op_fn((enum stmt_op)op)));
            sb_reset(&sql);
            stmt_sql(&sql, t, m->version, (enum stmt_op)op);
            c_literal(out, sb_str(&sql), 4, 4, true);
            sb_adds(out, ",\n");
            n++;
        }
    }
    for (i = 0; i < m->nqueries; i++) {
        sb_printf(out, "    /* %u: query %s */\n    ", n++,
                  m->queries[i].name);
        c_literal(out, m->queries[i].sql, 4, 4, true);
        sb_adds(out, ",\n");
    }
    if (n == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");
    sb_free(&sql);
    return n;
}

/* ------------------------------------------------------------------ */
/* One table: descriptors and functions                                */
/* ------------------------------------------------------------------ */

/* Write NAME_TABLE_columns: one sc_column per column alive now. */
static size_t
columns(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    const int v = m->version;
    struct strbuf line = { 0 }, flags = { 0 };
    size_t i, n = 0;

    sb_printf(out, "\n/* The columns of %s, in declaration order. */\n"
              "static const sc_column %s_%s_columns[] = {\n", t->name,
              m->name, t->name);
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        bool key, notnull;
        if (!m_alive(&c->span, v))
            continue;
        key = ddl_is_key(t, c, v);
        notnull = ddl_is_not_null(c, v);
        sb_reset(&line);
        sb_adds(&line, "    { .name = \"");
        ddl_c_string(&line, m_column_name_at(c, v));
        sb_printf(&line, "\", .type = %s,", emit_sc_type(c->type));
        sb_reset(&flags);
        if (key || notnull)
            sb_printf(&flags, ".flags = %s%s%s,", key ? "SC_COL_PK" : "",
                      key && notnull ? " | " : "",
                      notnull ? "SC_COL_NOTNULL" : "");
        sb_adds(out, sb_str(&line));
        if (flags.len > 0)
            sb_printf(out, "%s%s", line.len + 1 + flags.len > 79
                      ? "\n      " : " ", sb_str(&flags));
        sb_printf(out, "\n      .offset = offsetof(struct %s_%s, %s)",
                  m->name, t->name, c->name);
        if (ddl_has_flag(t, c, v))
            sb_printf(out, ",\n      .has_offset = offsetof(struct %s_%s,"
                      " has_%s)", m->name, t->name, c->name);
        sb_adds(out, " },\n");
        n++;
    }
    sb_adds(out, "};\n");
    sb_free(&line);
    sb_free(&flags);
    return n;
}

/* Write const sc_table NAME_TABLE_table. */
static void
table_desc(struct strbuf *out, const struct model *m, const struct m_table *t,
           size_t ncolumns, const unsigned *idx)
{
    static const char *const members[NOPS] = {
        "stmt_insert", "stmt_upsert", "stmt_get", "stmt_update", "stmt_delete"
    };
    struct strbuf sql = { 0 };
    int op;

    sb_printf(out, "\n/* The descriptor of %s that the sc_row_* functions"
              " walk. */\n", t->name);
    sb_printf(out, "const sc_table %s_%s_table = {\n", m->name, t->name);
    sb_printf(out, "    .schema = &%s_schema,\n    .name = \"", m->name);
    ddl_c_string(out, m_table_name_at(t, m->version));
    sb_printf(out, "\",\n    .columns = %s_%s_columns,\n", m->name, t->name);
    sb_printf(out, "    .ncolumns = %zu,\n", ncolumns);
    sb_printf(out, "    .row_size = sizeof(struct %s_%s),\n", m->name,
              t->name);
    for (op = 0; op < NOPS; op++) {
        if (idx[op] == NO_STMT)
            sb_printf(out, "    .%s = SC_NO_STMT,\n", members[op]);
        else
            sb_printf(out, "    .%s = %u,\n", members[op], idx[op]);
    }
    select_sql(&sql, t, m->version);
    sb_adds(out, "    .select_sql = ");
    c_literal(out, sb_str(&sql), 18, 8, false);
    sb_reset(&sql);
    sb_adds(&sql, "SELECT count(*) FROM ");
    ddl_ident(&sql, m_table_name_at(t, m->version));
    sb_adds(out, ",\n    .count_sql = ");
    c_literal(out, sb_str(&sql), 17, 8, false);
    sb_adds(out, ",\n};\n");
    sb_free(&sql);
}

/* Write the select trampoline: the typed callback and its argument, and
 * the sc_row_fn that calls it, so no function pointer is ever cast. */
static void
trampoline(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    const char *s = m->name, *n = t->name;

    sb_printf(out, "\n/* A typed %s_%s_select() callback and its argument."
              " */\n", s, n);
    sb_printf(out, "struct %s_%s_each {\n"
              "    int (*each)(const struct %s_%s *row, void *arg);\n"
              "    void *arg;\n};\n", s, n, s, n);
    sb_printf(out, "\n/* The sc_row_fn of %s_%s_select(): calls the typed"
              " callback. */\n", s, n);
    sb_printf(out, "static int\n%s_%s_each_row(const void *row, void *arg)\n"
              "{\n    const struct %s_%s_each *e = arg;\n\n"
              "    return e->each(row, e->arg);\n}\n", s, n, s, n);
}

/* Write the key assignments of get and delete into their key struct. */
static void
key_assignments(struct strbuf *out, const struct m_table *t, int v)
{
    bool cast = false;
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (!m_alive(&c->span, v) || !ddl_is_key(t, c, v))
            continue;
        if ((c->type == M_TEXT || c->type == M_TIMESTAMP) && !cast) {
            sb_adds(out, "    /* The key is only read: dropping const is"
                    " safe. */\n");
            cast = true;
        }
        sb_printf(out, "    key.%s = ", c->name);
        if (c->type == M_TEXT || c->type == M_TIMESTAMP)
            sb_adds(out, "(char *)(uintptr_t)");
        ddl_c_param(out, c);
        sb_adds(out, ";\n");
    }
}

/* Write the body of t's function fn, between its braces. */
static void
body(struct strbuf *out, const struct model *m, const struct m_table *t,
     enum ddl_fn fn)
{
    const char *s = m->name, *n = t->name;

    switch (fn) {
    case DDL_FN_INSERT:
    case DDL_FN_UPSERT:
    case DDL_FN_UPDATE:
        sb_printf(out, "    return sc_row_%s(db, &%s_%s_table, row);\n",
                  ddl_fn_verb(fn), s, n);
        break;
    case DDL_FN_GET:
    case DDL_FN_DELETE:
        sb_printf(out, "    struct %s_%s key = { 0 };\n\n", s, n);
        key_assignments(out, t, m->version);
        if (fn == DDL_FN_GET)
            sb_printf(out, "    return sc_row_get(db, &%s_%s_table, &key,"
                      " out);\n", s, n);
        else
            sb_printf(out, "    return sc_row_delete(db, &%s_%s_table,"
                      " &key);\n", s, n);
        break;
    case DDL_FN_COUNT:
        sb_printf(out, "    return sc_row_count(db, &%s_%s_table, where,"
                  " n);\n", s, n);
        break;
    case DDL_FN_SELECT:
        sb_printf(out, "    struct %s_%s_each e = { each, arg };\n\n", s, n);
        sb_printf(out, "    return sc_row_select(db, &%s_%s_table, where,"
                  " order, norder, limit,\n"
                  "                         offset, each ? %s_%s_each_row"
                  " : NULL, &e);\n", s, n, s, n);
        break;
    case DDL_FN_FREE:
        sb_printf(out, "    sc_row_free(&%s_%s_table, row);\n", s, n);
        break;
    }
}

/* A one-line summary of fn over the table named n, for the .c. */
static void
summary(struct strbuf *out, const struct model *m, const char *n,
        enum ddl_fn fn)
{
    static const char *const before[DDL_NFN] = {
        "Insert row into ", "Insert row into ", "Read one ",
        "Update the ", "Delete one ", "Count ", "Call each for ",
        "Free the members of a "
    };
    static const char *const after[DDL_NFN] = {
        ".", ", or update its row.", " row by key.", " row with row's key.",
        " row by key.", " rows matching where.", " rows matching where.",
        " row."
    };

    sb_printf(out, "\n/* %s%s%s  Contract in %s.h. */\n", before[fn], n,
              after[fn], m->name);
}

/* Write the descriptors and functions of one data table. */
static void
table(struct strbuf *out, const struct model *m, const struct m_table *t,
      const unsigned *idx)
{
    struct strbuf title = { 0 };
    size_t ncolumns;
    int fn;

    sb_printf(&title, "Table %s", t->name);
    emit_heading(out, sb_str(&title));
    ncolumns = columns(out, m, t);
    table_desc(out, m, t, ncolumns, idx);
    trampoline(out, m, t);
    for (fn = 0; fn < DDL_NFN; fn++) {
        if (!ddl_has_fn(t, (enum ddl_fn)fn, m->version))
            continue;
        summary(out, m, t->name, (enum ddl_fn)fn);
        ddl_c_signature(out, m, t, (enum ddl_fn)fn, true);
        sb_adds(out, "\n{\n");
        body(out, m, t, (enum ddl_fn)fn);
        sb_adds(out, "}\n");
    }
    sb_free(&title);
}

/* ------------------------------------------------------------------ */
/* The schema                                                          */
/* ------------------------------------------------------------------ */

/* The index in m->tables of t (which is one of them). */
static size_t
table_index(const struct model *m, const struct m_table *t)
{
    size_t i;

    for (i = 0; i < m->ntables && m->tables[i] != t; i++)
        ;
    return i;
}

/* The other table col (a column of t) references now, or NULL. */
static const struct m_table *
column_parent(const struct m_table *t, const struct m_column *col, int v)
{
    size_t k;

    if (!m_alive(&col->span, v))
        return NULL;
    for (k = 0; k < col->nconstraints; k++) {
        const struct m_constraint *r = &col->constraints[k];
        if (r->kind == M_C_REFERENCES && m_alive(&r->span, v)
            && r->ref_table != t)
            return r->ref_table;
    }
    return NULL;
}

/* The table column c of t references now, unless an earlier column of t
 * already references it (a parent counts once per child), or NULL. */
static const struct m_table *
new_parent(const struct m_table *t, size_t c, int v)
{
    const struct m_table *parent = column_parent(t, t->columns[c], v);
    size_t j;

    for (j = 0; j < c && parent != NULL; j++)
        if (column_parent(t, t->columns[j], v) == parent)
            return NULL;
    return parent;
}

/* Add delta to refs[p] for every table p that t references now. */
static void
count_parents(const struct model *m, const struct m_table *t, size_t *refs,
              int delta)
{
    const struct m_table *parent;
    size_t c, p;

    for (c = 0; c < t->ncolumns; c++) {
        if ((parent = new_parent(t, c, m->version)) == NULL)
            continue;
        p = table_index(m, parent);
        if (p < m->ntables)
            refs[p] += (size_t)delta;
    }
}

/*
 * Fill order with the indexes into m->tables of the data tables, children
 * before parents: each step takes the first table, in declaration order,
 * that no table still waiting references (the first waiting one when a
 * cycle leaves no such table).  Referrers are counted once up front and
 * released as tables are placed, so large schemas stay fast.  Returns how
 * many there are; placed and refs are scratch space of m->ntables.
 */
static size_t
data_table_order(const struct model *m, size_t *order, bool *placed,
                 size_t *refs)
{
    size_t n = 0, i;

    for (i = 0; i < m->ntables; i++) {
        placed[i] = !is_data_table(m, m->tables[i]);
        refs[i] = 0;
    }
    for (i = 0; i < m->ntables; i++)
        if (!placed[i])
            count_parents(m, m->tables[i], refs, 1);
    for (;;) {
        size_t pick = m->ntables, first = m->ntables;
        for (i = 0; i < m->ntables && pick == m->ntables; i++) {
            if (placed[i])
                continue;
            if (first == m->ntables)
                first = i;
            if (refs[i] == 0)
                pick = i;
        }
        if (pick == m->ntables)
            pick = first;
        if (pick == m->ntables)
            return n;
        placed[pick] = true;
        order[n++] = pick;
        count_parents(m, m->tables[pick], refs, -1);
    }
}

/*
 * Write the planner's steps (history.c): one SQL array per version step
 * that has operations, then NAME_migrations, one sc_migration per step in
 * ascending versions.  Returns the number of entries written.
 */
static size_t
migrations(struct strbuf *out, const struct model *m)
{
    struct arena a = { 0, 0 };
    struct plan plan;
    size_t i, j;

    if (history_plan(&a, m, &plan) != 0) {
        out->failed = 1;
        arena_free(&a);
        return 0;
    }
    if (plan.nsteps > 0)
        emit_heading(out, "Migrations");
    for (i = 0; i < plan.nsteps; i++) {
        const struct plan_step *s = &plan.steps[i];
        sb_printf(out, "\n/* The step to version %d%s. */\n"
                  "static const char *const %s_migration_%d[] = {\n",
                  s->version, s->rebuild ? ", with foreign keys off and "
                  "checked after" : "", m->name, s->version);
        for (j = 0; j < s->nsql; j++) {
            sb_adds(out, "    ");
            c_literal(out, s->sql[j].sql, 4, 4, true);
            sb_adds(out, ",\n");
        }
        sb_adds(out, "};\n");
    }
    if (plan.nsteps > 0) {
        sb_printf(out, "\n/* Every version step, ascending; sc_open() runs "
                  "those after the stored\n * version, each in one "
                  "transaction with the version record. */\n"
                  "static const sc_migration %s_migrations[] = {\n",
                  m->name);
        for (i = 0; i < plan.nsteps; i++)
            sb_printf(out, "    { .version = %d, .sql = %s_migration_%d,"
                      " .nsql = %zu,\n      .rebuild = %s },\n",
                      plan.steps[i].version, m->name, plan.steps[i].version,
                      plan.steps[i].nsql,
                      plan.steps[i].rebuild ? "true" : "false");
        sb_adds(out, "};\n");
    }
    arena_free(&a);
    return plan.nsteps;
}

/* The create_sql array being written, and its length so far. */
struct create_list {
    struct strbuf *out;
    size_t n;
};

/* Write one DDL statement as an element of the create_sql array. */
static int
create_element(void *arg, const char *sql, const struct m_table *t,
               const struct m_index *ix)
{
    struct create_list *list = arg;

    (void)t;
    (void)ix;
    sb_adds(list->out, "    ");
    c_literal(list->out, sql, 4, 4, true);
    sb_adds(list->out, ",\n");
    list->n++;
    return 0;
}

/* Write create_sql, tables, data_tables and the sc_schema. */
static void
schema(struct strbuf *out, const struct model *m, unsigned nstatements)
{
    size_t *order = malloc((m->ntables + 1) * sizeof *order);
    bool *placed = malloc((m->ntables + 1) * sizeof *placed);
    size_t *refs = malloc((m->ntables + 1) * sizeof *refs);
    struct create_list creates = { out, 0 };
    size_t i, ntables = 0, ndata = 0, nmig;

    if (order == NULL || placed == NULL || refs == NULL) {
        out->failed = 1;
        goto done;
    }
    emit_heading(out, "Schema");

    sb_printf(out, "\n/* The DDL of version %d: each table, then its"
              " indexes. */\n", m->version);
    sb_printf(out, "static const char *const %s_create_sql[] = {\n",
              m->name);
    if (ddl_each(m, m->version, create_element, &creates) != 0)
        out->failed = 1;
    if (creates.n == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");

    sb_printf(out, "\n/* The data tables' descriptors, in declaration order."
              " */\nstatic const sc_table *const %s_tables[] = {\n",
              m->name);
    for (i = 0; i < m->ntables; i++) {
        if (!is_data_table(m, m->tables[i]))
            continue;
        sb_printf(out, "    &%s_%s_table,\n", m->name, m->tables[i]->name);
        ntables++;
    }
    if (ntables == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");

    sb_printf(out, "\n/* The data tables, children before parents. */\n"
              "const char *const %s_data_tables[] = {\n", m->name);
    ndata = data_table_order(m, order, placed, refs);
    for (i = 0; i < ndata; i++) {
        sb_adds(out, "    \"");
        ddl_c_string(out, m_table_name_at(m->tables[order[i]], m->version));
        sb_adds(out, "\",\n");
    }
    if (ndata == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");

    nmig = migrations(out, m);

    sb_printf(out, "\n/* The schema, for sc_open(). */\n"
              "const sc_schema %s_schema = {\n", m->name);
    sb_adds(out, "    .abi = SC_ABI_VERSION,\n    .name = \"");
    ddl_c_string(out, m->name);
    sb_printf(out, "\",\n    .version = %d,\n", m->version);
    if (m->version_table != NULL) {
        sb_adds(out, "    .version_table = \"");
        ddl_c_string(out, m->version_table);
        sb_adds(out, "\",\n");
    } else {
        sb_adds(out, "    .version_table = NULL,\n");
    }
    if (m->default_path != NULL) {
        sb_adds(out, "    .default_path = \"");
        ddl_c_string(out, m->default_path);
        sb_adds(out, "\",\n");
    } else {
        sb_adds(out, "    .default_path = NULL,\n");
    }
    sb_printf(out, "    .create_sql = %s_create_sql,\n", m->name);
    sb_printf(out, "    .ncreate = %zu,\n", creates.n);
    sb_printf(out, "    .tables = %s_tables,\n", m->name);
    sb_printf(out, "    .ntables = %zu,\n", ntables);
    sb_printf(out, "    .data_tables = %s_data_tables,\n", m->name);
    sb_printf(out, "    .ndata_tables = %zu,\n", ndata);
    sb_printf(out, "    .statements = %s_statements,\n", m->name);
    sb_printf(out, "    .nstatements = %u,\n", nstatements);
    if (nmig > 0)
        sb_printf(out, "    .migrations = %s_migrations,\n", m->name);
    else
        sb_adds(out, "    .migrations = NULL,\n");
    sb_printf(out, "    .nmigrations = %zu,\n};\n", nmig);
done:
    free(order);
    free(placed);
    free(refs);
}

/* ------------------------------------------------------------------ */
/* The source file                                                     */
/* ------------------------------------------------------------------ */

/* Write NAME.c for m. */
void
emit_c(const struct model *m, struct strbuf *out)
{
    unsigned (*idx)[NOPS] = malloc((m->ntables + 1) * sizeof *idx);
    unsigned nstatements;
    size_t i;

    if (idx == NULL) {
        out->failed = 1;
        return;
    }
    sb_printf(out, "/*\n * Generated by schemac from %s; do not edit.\n",
              ddl_file_name(m));
    sb_printf(out, " * Schema %s, version %d: the descriptors libschemac"
              " walks and the typed\n * functions declared in %s.h.\n */\n",
              m->name, m->version, m->name);
    sb_printf(out, "#include \"%s.h\"\n\n#include <stddef.h>\n"
              "#include <stdint.h>\n", m->name);
    sb_adds(out, "\n/* The SQL of a wide table can pass the 4095 characters "
            "C99 promises\n * compilers accept in one string; gcc and clang "
            "take any length. */\n#if defined(__GNUC__)\n#pragma GCC "
            "diagnostic ignored \"-Woverlength-strings\"\n#endif\n");

    nstatements = statements(out, m, idx);
    for (i = 0; i < m->ntables; i++)
        if (is_data_table(m, m->tables[i]))
            table(out, m, m->tables[i], idx[i]);
    emit_query_c(m, out, nstatements - (unsigned)m->nqueries);
    schema(out, m, nstatements);
    free(idx);
}
