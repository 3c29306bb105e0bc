/*
 * emit_c.c - the NAME.c writer: the statements and the enum that names
 * their slots, the column and table descriptors, the typed wrappers over
 * the sc_row_* functions and the sc_schema that ties them together with
 * the proven DDL and migration steps of the plan.
 */
#include "emit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "cdecl.h"
#include "ddl.h"
#include "dialect.h"
#include "sqltext.h"

/* Statement slots of a table, in the order they are written. */
enum stmt_op { OP_INSERT, OP_UPSERT, OP_GET, OP_UPDATE, OP_DELETE, NOPS };

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

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
        cdecl_string(&esc, sb_str(&line));
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

/* Which columns names() lists: all, the key, or those an insert writes
 * (all but generated ones). */
enum pick { PICK_ALL, PICK_KEY, PICK_WRITTEN };

/* Append the names of vt's columns that pick selects, comma separated,
 * in declaration order, as dialect d spells them. */
static void
names(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
      enum pick pick)
{
    const char *sep = "";
    size_t i;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        if ((pick == PICK_KEY && !vc->is_key)
            || (pick == PICK_WRITTEN && vc->col->generated != NULL))
            continue;
        sb_adds(sb, sep);
        ddl_ident_in(sb, d, vc->name);
        sep = ", ";
    }
}

/* Append parameter number n as dialect d writes it: ?n in SQLite, $n in
 * PostgreSQL (whose ?n would be an operator). */
static void
param(struct strbuf *sb, enum sql_dialect d, int n)
{
    sb_printf(sb, "%c%d", d == SQL_SQLITE ? '?' : '$', n);
}

/* Append " WHERE k1 = ?first AND k2 = ?first+1 ..." over the key. */
static void
key_where(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
          int first)
{
    const char *sep = " WHERE ";
    size_t i;

    for (i = 0; i < vt->ncolumns; i++) {
        if (!vt->columns[i].is_key)
            continue;
        sb_adds(sb, sep);
        ddl_ident_in(sb, d, vt->columns[i].name);
        sb_adds(sb, " = ");
        param(sb, d, first++);
        sep = " AND ";
    }
}

/*
 * Append the value parameter n gives column vc of vt in an insert: the
 * parameter, or coalesce(?n, default) for a column with a DEFAULT other
 * than NULL, so an unset member (NULL, or has_ false) stores the default
 * as a plain INSERT without it would.  On PostgreSQL a rowid key is
 * COALESCE($n, the identity's next value): SQLite assigns a key bound
 * NULL, PostgreSQL's identity only a key left out.
 */
static void
insert_value(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
             const struct v_column *vc, int n)
{
    if (d == SQL_POSTGRESQL && vc->is_rowid) {
        sb_adds(sb, "COALESCE(");
        param(sb, d, n);
        sb_adds(sb, ", ");
        ddl_identity_next(sb, vt, vc);
        sb_adds(sb, ")");
    } else if (vc->def != NULL) {
        sb_adds(sb, "coalesce(");
        param(sb, d, n);
        sb_printf(sb, ", %s)", ddl_default(d, vc->type, vc->def));
    } else {
        param(sb, d, n);
    }
}

/*
 * INSERT INTO t (every column) VALUES (?1, ...), each value as
 * insert_value() writes it.  For an upsert of a table called "excluded"
 * the table gets another name (AS target), so that excluded.c still
 * means the row that was not inserted: without it, SET c = excluded.c
 * would set c to itself.
 */
static void
insert_sql(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
           bool upsert)
{
    const char *sep = "";
    size_t i;
    int n = 1;

    sb_adds(sb, "INSERT INTO ");
    ddl_ident_in(sb, d, vt->name);
    if (upsert && strcasecmp(vt->name, "excluded") == 0)
        sb_adds(sb, " AS target");
    sb_adds(sb, " (");
    names(sb, d, vt, PICK_WRITTEN);
    sb_adds(sb, ") VALUES (");
    for (i = 0; i < vt->ncolumns; i++) {
        if (vt->columns[i].col->generated != NULL)
            continue;
        sb_adds(sb, sep);
        insert_value(sb, d, vt, &vt->columns[i], n++);
        sep = ", ";
    }
    sb_adds(sb, ")");
}

/*
 * Append "c = value, ..." for every non-key column of vt a program
 * writes (not generated), after lead: the
 * value is excluded.c when n is NULL, else the parameter ?*n, numbered on
 * from *n.  Returns how many were appended.
 */
static size_t
assignments(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
            const char *lead, int *n)
{
    size_t i, count = 0;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        if (vc->is_key || vc->col->generated != NULL)
            continue;
        sb_adds(sb, count++ == 0 ? lead : ", ");
        ddl_ident_in(sb, d, vc->name);
        if (n != NULL) {
            sb_adds(sb, " = ");
            param(sb, d, (*n)++);
        } else {
            sb_adds(sb, " = excluded.");
            ddl_ident_in(sb, d, vc->name);
        }
    }
    return count;
}

/* The insert, then ON CONFLICT (key) DO UPDATE SET c = excluded.c for
 * each non-key column, or DO NOTHING when there is none. */
static void
upsert_sql(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt)
{
    insert_sql(sb, d, vt, true);
    sb_adds(sb, " ON CONFLICT (");
    names(sb, d, vt, PICK_KEY);
    sb_adds(sb, ")");
    if (assignments(sb, d, vt, " DO UPDATE SET ", NULL) == 0)
        sb_adds(sb, " DO NOTHING");
}

/* Append "SELECT every column FROM t". */
static void
select_sql(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt)
{
    sb_adds(sb, "SELECT ");
    names(sb, d, vt, PICK_ALL);
    sb_adds(sb, " FROM ");
    ddl_ident_in(sb, d, vt->name);
}

/* UPDATE t SET non-key columns = ?1.. WHERE key columns = ?k.. */
static void
update_sql(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt)
{
    int n = 1;

    sb_adds(sb, "UPDATE ");
    ddl_ident_in(sb, d, vt->name);
    assignments(sb, d, vt, " SET ", &n);
    key_where(sb, d, vt, n);
}

/*
 * Append the statement op of vt in dialect d.  On PostgreSQL the insert
 * and upsert of a rowid table end in RETURNING its key, which the
 * runtime reads where SQLite's runtime asks sqlite3_last_insert_rowid().
 */
static void
stmt_sql(struct strbuf *sb, enum sql_dialect d, const struct v_table *vt,
         enum stmt_op op)
{
    switch (op) {
    case OP_INSERT:
        insert_sql(sb, d, vt, false);
        break;
    case OP_UPSERT:
        upsert_sql(sb, d, vt);
        break;
    case OP_GET:
        select_sql(sb, d, vt);
        key_where(sb, d, vt, 1);
        break;
    case OP_UPDATE:
        update_sql(sb, d, vt);
        break;
    case OP_DELETE:
        sb_adds(sb, "DELETE FROM ");
        ddl_ident_in(sb, d, vt->name);
        key_where(sb, d, vt, 1);
        break;
    case NOPS:
        break;
    }
    if (d == SQL_POSTGRESQL && vt->rowid != NULL
        && (op == OP_INSERT || op == OP_UPSERT)) {
        sb_adds(sb, " RETURNING ");
        ddl_ident_in(sb, d, vt->rowid->name);
    }
}

/* The function that uses statement op. */
static enum cdecl_fn
op_fn(enum stmt_op op)
{
    static const enum cdecl_fn fns[NOPS] = {
        CDECL_FN_INSERT, CDECL_FN_UPSERT, CDECL_FN_GET, CDECL_FN_UPDATE,
        CDECL_FN_DELETE
    };
    assert(op < NOPS);
    return fns[op];
}

/* True when vt has statement op. */
static bool
has_stmt(const struct v_table *vt, enum stmt_op op)
{
    return cdecl_has_fn(vt, op_fn(op));
}

/* Append the slot name of vt's statement op. */
static void
slot_name(struct strbuf *out, const struct model *m,
          const struct v_table *vt, enum stmt_op op)
{
    emit_stmt_name(out, m, vt->table, cdecl_fn_verb(op_fn(op)), NULL);
}

/* See emit.h. */
int
emit_statements_each(const struct view *now, enum sql_dialect d,
                     const struct emit_pg *pg, emit_stmt_fn *fn, void *arg)
{
    const struct model *m = now->m;
    struct strbuf sql = { 0 }, name = { 0 };
    size_t i;
    int op, rc = 0;

    for (i = 0; i < now->ntables && rc == 0; i++) {
        const struct v_table *vt = &now->tables[i];
        for (op = 0; vt->is_data && op < NOPS && rc == 0; op++) {
            if (!has_stmt(vt, (enum stmt_op)op))
                continue;
            sb_reset(&name);
            slot_name(&name, m, vt, (enum stmt_op)op);
            sb_reset(&sql);
            stmt_sql(&sql, d, vt, (enum stmt_op)op);
            rc = sql.failed || name.failed ? -1
                : fn(arg, sb_str(&name), sb_str(&sql));
        }
    }
    for (i = 0; i < m->nqueries && rc == 0; i++) {
        sb_reset(&name);
        emit_stmt_name(&name, m, NULL, NULL, &m->queries[i]);
        rc = name.failed ? -1 : fn(arg, sb_str(&name), d == SQL_SQLITE
                                   ? m->queries[i].sql : pg->query_sql[i]);
    }
    sb_free(&sql);
    sb_free(&name);
    return rc;
}

/* Write one element of a statement array, "[slot] = SQL," (an
 * emit_stmt_fn; arg is the output). */
static int
slot_element(void *arg, const char *slot, const char *sql)
{
    struct strbuf *out = arg;

    sb_printf(out, "    [%s] =\n        ", slot);
    c_literal(out, sql, 8, 8, true);
    sb_adds(out, ",\n");
    return 0;
}

/* Write the elements of the statement array of dialect d. */
static void
statement_slots(struct strbuf *out, const struct view *now,
                enum sql_dialect d, const struct emit_pg *pg)
{
    if (emit_statements_each(now, d, pg, slot_element, out) != 0)
        out->failed = 1;
}

/*
 * Write enum NAME_stmt, which names every statement slot, then
 * NAME_statements, the statements by slot: per data table, in
 * declaration order, its insert, upsert, get, update and delete (those it
 * has), then the queries; and NAME_pg_statements, the same in
 * PostgreSQL's spelling, unless pg says PostgreSQL cannot run the schema.
 * Slots are numbered here and nowhere else; descriptors refer to them by
 * name.  Returns how many there are.
 */
static size_t
statements(struct strbuf *out, const struct view *now,
           const struct emit_pg *pg)
{
    const struct model *m = now->m;
    size_t i, n = 0;
    int op;

    emit_heading(out, "Statements");
    for (i = 0; i < now->ntables; i++)
        for (op = 0; now->tables[i].is_data && op < NOPS; op++)
            n += has_stmt(&now->tables[i], (enum stmt_op)op);
    n += m->nqueries;
    if (n == 0) {
        sb_adds(out, "\n/* No tables and no queries: no statements. */\n");
        return 0;
    }
    emit_note(out, "The slots of %s_statements, named for the function"
              " that runs each.", m->name);
    sb_printf(out, "enum %s_stmt {\n", m->name);
    for (i = 0; i < now->ntables; i++)
        for (op = 0; now->tables[i].is_data && op < NOPS; op++)
            if (has_stmt(&now->tables[i], (enum stmt_op)op)) {
                sb_adds(out, "    ");
                slot_name(out, m, &now->tables[i], (enum stmt_op)op);
                sb_adds(out, ",\n");
            }
    for (i = 0; i < m->nqueries; i++) {
        sb_adds(out, "    ");
        emit_stmt_name(out, m, NULL, NULL, &m->queries[i]);
        sb_adds(out, ",\n");
    }
    sb_adds(out, "};\n");

    sb_printf(out, "\n/*\n * Every statement of the schema, prepared once per"
              " connection.  The runtime\n * binds them by position: every"
              " column for insert and upsert, the key\n * columns for get"
              " and delete, the other columns then the key for update.\n"
              " */\nstatic const char *const %s_statements[] = {\n", m->name);
    statement_slots(out, now, SQL_SQLITE, pg);
    sb_adds(out, "};\n");
    if (pg->refusal != NULL)
        return n;
    sb_printf(out, "\n/*\n * The same statements as PostgreSQL runs them, "
              "slot for slot: $n\n * parameters bound as above, PostgreSQL's"
              " names and defaults; the insert\n * and upsert of a table with"
              " a generated key draw it from its identity\n * when bound "
              "NULL and return it (docs/postgresql.md).\n */\n"
              "static const char *const %s_pg_statements[] = {\n", m->name);
    statement_slots(out, now, SQL_POSTGRESQL, pg);
    sb_adds(out, "};\n");
    return n;
}

/*
 * Append "INDENT.member = sizeof array / sizeof array[0]" and end, the
 * division on a line of its own, under the sizeof, when the whole would
 * pass 79 columns.
 */
static void
count_of(struct strbuf *out, size_t indent, const char *member,
         const char *array, const char *end)
{
    size_t at = indent + 1 + strlen(member) + 3;

    if (at + 7 + 2 * strlen(array) + 14 + strlen(end) - 1 <= 79)
        sb_printf(out, "%*s.%s = sizeof %s / sizeof %s[0]%s", (int)indent,
                  "", member, array, array, end);
    else
        sb_printf(out, "%*s.%s = sizeof %s\n%*s/ sizeof %s[0]%s",
                  (int)indent, "", member, array, (int)at, "", array, end);
}

/* ------------------------------------------------------------------ */
/* One table: descriptors and functions                                */
/* ------------------------------------------------------------------ */

/* Write NAME_TABLE_columns: one sc_column per live column. */
static void
columns(struct strbuf *out, const struct model *m, const struct v_table *vt)
{
    const char *t = vt->table->name;
    struct strbuf line = { 0 }, flags = { 0 }, type = { 0 };
    size_t i;

    sb_printf(&type, "struct %s_%s", m->name, t);
    emit_note(out, "The columns of %s, in declaration order.", t);
    sb_printf(out, "static const sc_column %s_%s_columns[] = {\n", m->name,
              t);
    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        sb_reset(&line);
        sb_adds(&line, "    { .name = \"");
        cdecl_string(&line, vc->name);
        sb_printf(&line, "\", .type = %s,", emit_sc_type(vc->type));
        sb_reset(&flags);
        if (vc->is_key || vc->not_null || vc->col->generated != NULL) {
            const char *sep = "";
            sb_adds(&flags, ".flags = ");
            if (vc->is_key) {
                sb_adds(&flags, vc->is_rowid ? "SC_COL_PK | SC_COL_ROWID"
                        : "SC_COL_PK");
                sep = " | ";
            }
            if (vc->not_null) {
                sb_printf(&flags, "%sSC_COL_NOTNULL", sep);
                sep = " | ";
            }
            if (vc->col->generated != NULL)
                sb_printf(&flags, "%sSC_COL_GENERATED", sep);
            sb_adds(&flags, ",");
        }
        sb_adds(out, sb_str(&line));
        if (flags.len > 0)
            sb_printf(out, "%s%s", line.len + 1 + flags.len > 79
                      ? "\n      " : " ", sb_str(&flags));
        sb_adds(out, "\n");
        emit_offsetof(out, "      .offset =", sb_str(&type), vc->col->name,
                      vc->has_flag || vc->type == M_ENUM ? ",\n" : " },\n");
        if (vc->has_flag) {
            sb_reset(&flags);
            sb_printf(&flags, "has_%s", vc->col->name);
            emit_offsetof(out, "      .has_offset =", sb_str(&type),
                          sb_str(&flags), vc->type == M_ENUM ? ",\n"
                          : " },\n");
        }
        if (vc->type == M_ENUM) {
            sb_reset(&flags);
            sb_printf(&flags, "%s_%s_names", m->name,
                      vc->col->enum_type->name);
            sb_printf(out, "      .enum_names = %s,\n", sb_str(&flags));
            count_of(out, 6, "nenum_names", sb_str(&flags), " },\n");
        }
    }
    sb_adds(out, "};\n");
    sb_free(&line);
    sb_free(&flags);
    sb_free(&type);
}

/* Write const sc_table NAME_TABLE_table. */
static void
table_desc(struct strbuf *out, const struct model *m, const struct v_table *vt)
{
    static const char *const members[NOPS] = {
        "stmt_insert", "stmt_upsert", "stmt_get", "stmt_update", "stmt_delete"
    };
    const char *t = vt->table->name;
    struct strbuf sql = { 0 }, array = { 0 };
    int op;

    emit_note(out, "The descriptor of %s that the sc_row_* functions walk.",
              t);
    sb_printf(out, "const sc_table %s_%s_table = {\n", m->name, t);
    sb_printf(out, "    .schema = &%s_schema,\n    .name = \"", m->name);
    cdecl_string(out, vt->name);
    sb_printf(out, "\",\n    .columns = %s_%s_columns,\n", m->name, t);
    sb_printf(&array, "%s_%s_columns", m->name, t);
    count_of(out, 4, "ncolumns", sb_str(&array), ",\n");
    sb_printf(out, "    .row_size = sizeof(struct %s_%s),\n", m->name, t);
    for (op = 0; op < NOPS; op++) {
        sb_printf(out, "    .%s = ", members[op]);
        if (has_stmt(vt, (enum stmt_op)op))
            slot_name(out, m, vt, (enum stmt_op)op);
        else
            sb_adds(out, "SC_NO_STMT");
        sb_adds(out, ",\n");
    }
    select_sql(&sql, SQL_SQLITE, vt);
    sb_adds(out, "    .select_sql = ");
    c_literal(out, sb_str(&sql), 18, 8, false);
    sb_reset(&sql);
    sb_adds(&sql, "SELECT count(*) FROM ");
    ddl_ident(&sql, vt->name);
    sb_adds(out, ",\n    .count_sql = ");
    c_literal(out, sb_str(&sql), 17, 8, false);
    sb_adds(out, ",\n};\n");
    sb_free(&sql);
    sb_free(&array);
}

/* Write the select trampoline: the typed callback and its argument, and
 * the sc_row_fn that calls it, so no function pointer is ever cast. */
static void
trampoline(struct strbuf *out, const struct model *m, const struct m_table *t)
{
    const char *s = m->name, *n = t->name;

    emit_note(out, "A typed %s_%s_select() callback and its argument.", s,
              n);
    sb_printf(out, "struct %s_%s_each {\n"
              "    %s_%s_each_fn *each;\n"
              "    void *arg;\n};\n", s, n, s, n);
    emit_note(out, "The sc_row_fn of %s_%s_select(): calls the typed"
              " callback.", s, n);
    sb_printf(out, "static int\n%s_%s_each_row(const void *row, void *arg)\n"
              "{\n    const struct %s_%s_each *e = arg;\n\n"
              "    return e->each(row, e->arg);\n}\n", s, n, s, n);
}

/* Write the key assignments of get and delete into their key struct. */
static void
key_assignments(struct strbuf *out, const struct v_table *vt)
{
    size_t i;

    for (i = 0; i < vt->ncolumns; i++) {
        const struct v_column *vc = &vt->columns[i];
        if (!vc->is_key)
            continue;
        sb_printf(out, "    key.%s = ", vc->col->name);
        cdecl_param(out, vc->col);
        sb_adds(out, ";\n");
    }
}

/*
 * Write the call of the runtime function that does vt's fn: "    return
 * sc_row_VERB(db, &NAME_TABLE_table, ...);", wrapped within 79 columns.
 */
static void
runtime_call(struct strbuf *out, const struct model *m,
             const struct v_table *vt, enum cdecl_fn fn)
{
    struct strbuf name = { 0 }, table = { 0 }, each = { 0 };
    const char *args[9];
    size_t n = 0;

    /* A rowid table's insert and upsert store the key SQLite assigns. */
    sb_printf(&name, "sc_row_%s%s", cdecl_fn_verb(fn),
              vt->rowid != NULL && (fn == CDECL_FN_INSERT
                                    || fn == CDECL_FN_UPSERT) ? "_id" : "");
    sb_printf(&table, "&%s_%s_table", m->name, vt->table->name);
    if (fn != CDECL_FN_FREE)
        args[n++] = "db";
    args[n++] = sb_str(&table);
    switch (fn) {
    case CDECL_FN_INSERT:
    case CDECL_FN_UPSERT:
    case CDECL_FN_UPDATE:
    case CDECL_FN_FREE:
        args[n++] = "row";
        break;
    case CDECL_FN_UPDATE_COLS:
        args[n++] = "row";
        args[n++] = "cols";
        args[n++] = "ncols";
        break;
    case CDECL_FN_GET:
        args[n++] = "&key";
        args[n++] = "out";
        break;
    case CDECL_FN_DELETE:
        args[n++] = "&key";
        break;
    case CDECL_FN_COUNT:
        args[n++] = "where";
        args[n++] = "n";
        break;
    case CDECL_FN_SELECT:
        sb_printf(&each, "each ? %s_%s_each_row : NULL", m->name,
                  vt->table->name);
        args[n++] = "where";
        args[n++] = "order";
        args[n++] = "norder";
        args[n++] = "limit";
        args[n++] = "offset";
        args[n++] = sb_str(&each);
        args[n++] = "&e";
        break;
    }
    assert(n <= sizeof args / sizeof args[0]);
    /* "   " and the space cdecl_declarator() adds indent a void call. */
    cdecl_declarator(out, fn == CDECL_FN_FREE ? "   " : "    return",
                     sb_str(&name), args, n, false);
    sb_adds(out, ";\n");
    sb_free(&name);
    sb_free(&table);
    sb_free(&each);
}

/* Write the body of vt's function fn, between its braces. */
static void
body(struct strbuf *out, const struct model *m, const struct v_table *vt,
     enum cdecl_fn fn)
{
    const char *s = m->name, *n = vt->table->name;

    if (fn == CDECL_FN_GET || fn == CDECL_FN_DELETE) {
        sb_printf(out, "    struct %s_%s key = { 0 };\n\n", s, n);
        key_assignments(out, vt);
    } else if (fn == CDECL_FN_SELECT) {
        sb_printf(out, "    struct %s_%s_each e = { each, arg };\n\n", s, n);
    }
    runtime_call(out, m, vt, fn);
}

/* A one-line summary of fn over the table named n, for the .c. */
static void
summary(struct strbuf *out, const struct model *m, const char *n,
        enum cdecl_fn fn)
{
    static const char *const before[CDECL_NFN] = {
        "Insert row into ", "Insert row into ", "Read one ",
        "Update the ", "Update chosen columns of the ", "Delete one ",
        "Count ", "Call each for ", "Free the members of a "
    };
    static const char *const after[CDECL_NFN] = {
        ".", ", or update its row.", " row by key.", " row with row's key.",
        " row with row's key.", " row by key.", " rows matching where.",
        " rows matching where.", " row."
    };

    emit_note(out, "%s%s%s  Contract in %s.h.", before[fn], n, after[fn],
              m->name);
}

/* Write the descriptors and functions of one data table. */
static void
table(struct strbuf *out, const struct model *m, const struct v_table *vt)
{
    struct strbuf title = { 0 };
    int fn;

    sb_printf(&title, "%s %s", vt->table->is_view ? "View" : "Table",
              vt->table->name);
    emit_heading(out, sb_str(&title));
    columns(out, m, vt);
    table_desc(out, m, vt);
    trampoline(out, m, vt->table);
    for (fn = 0; fn < CDECL_NFN; fn++) {
        if (!cdecl_has_fn(vt, (enum cdecl_fn)fn))
            continue;
        summary(out, m, vt->table->name, (enum cdecl_fn)fn);
        cdecl_signature(out, m, vt, (enum cdecl_fn)fn, true);
        sb_adds(out, "\n{\n");
        body(out, m, vt, (enum cdecl_fn)fn);
        sb_adds(out, "}\n");
    }
    sb_free(&title);
}

/* ------------------------------------------------------------------ */
/* The schema                                                          */
/* ------------------------------------------------------------------ */

/* The other table column c of vt references, or NULL. */
static const struct m_table *
column_parent(const struct v_table *vt, size_t c)
{
    const struct m_constraint *r = vt->columns[c].references;

    return r != NULL && r->ref_table != vt->table ? r->ref_table : NULL;
}

/* The table column c of vt references, unless an earlier column of vt
 * already references it (a parent counts once per child), or NULL. */
static const struct m_table *
new_parent(const struct v_table *vt, size_t c)
{
    const struct m_table *parent = column_parent(vt, c);
    size_t j;

    for (j = 0; j < c && parent != NULL; j++)
        if (column_parent(vt, j) == parent)
            return NULL;
    return parent;
}

/* Add delta to refs[p] for every table p (by model index) that vt
 * references. */
static void
count_parents(const struct v_table *vt, size_t *refs, int delta)
{
    const struct m_table *parent;
    size_t c;

    for (c = 0; c < vt->ncolumns; c++)
        if ((parent = new_parent(vt, c)) != NULL)
            refs[parent->index] += (size_t)delta;
}

/*
 * Fill order with the data tables of now, children before parents: each
 * step takes the first table, in declaration order, that no table still
 * waiting references (the first waiting one when a cycle leaves no such
 * table).  Referrers are counted once up front and released as tables
 * are placed, so large schemas stay fast.  Returns how many there are;
 * placed and refs are scratch space of m->ntables, indexed like
 * m->tables.
 */
static size_t
data_table_order(const struct view *now, const struct v_table **order,
                 bool *placed, size_t *refs)
{
    const size_t nt = now->m->ntables;
    size_t n = 0, i;

    for (i = 0; i < nt; i++) {
        placed[i] = now->table_at[i] == NULL || !now->table_at[i]->is_data;
        refs[i] = 0;
    }
    for (i = 0; i < nt; i++)
        if (!placed[i])
            count_parents(now->table_at[i], refs, 1);
    for (;;) {
        size_t pick = nt, first = nt;
        for (i = 0; i < nt && pick == nt; i++) {
            if (placed[i])
                continue;
            if (first == nt)
                first = i;
            if (refs[i] == 0)
                pick = i;
        }
        if (pick == nt)
            pick = first;
        if (pick == nt)
            return n;
        placed[pick] = true;
        order[n++] = now->table_at[pick];
        count_parents(now->table_at[pick], refs, -1);
    }
}

/*
 * Write the steps of plan (history.c): one SQL array per version step,
 * then NAME_migrations, one sc_migration per step in ascending versions;
 * for PostgreSQL (pg) NAME_pg_migration_N and NAME_pg_migrations.
 * SQLite's are the SQL that was proven; PostgreSQL's are planned from
 * the same facts (tests/pg/run.sh proves them on a server).
 */
static void
migrations(struct strbuf *out, const struct model *m, const struct plan *plan,
           bool pg)
{
    struct strbuf array = { 0 };
    const char *prefix = pg ? "pg_" : "";
    size_t i, j;

    if (plan->nsteps == 0)
        return;
    if (pg)
        emit_note(out, "The same steps for PostgreSQL, each run in one "
                  "transaction with the version record.");
    else
        emit_heading(out, "Migrations");
    for (i = 0; i < plan->nsteps; i++) {
        const struct plan_step *s = &plan->steps[i];
        if (!pg)
            emit_note(out, "The step to version %d%s.", s->version,
                      s->rebuild ? ", with foreign keys off and checked "
                      "after" : "");
        else if (i > 0)
            sb_adds(out, "\n");
        sb_printf(out, "static const char *const %s_%smigration_%d[] = {\n",
                  m->name, prefix, s->version);
        for (j = 0; j < s->nsql; j++) {
            sb_adds(out, "    ");
            c_literal(out, s->sql[j].sql, 4, 4, true);
            sb_adds(out, ",\n");
        }
        if (s->nsql == 0)
            sb_adds(out, "    NULL     /* nothing to do here */\n");
        sb_adds(out, "};\n");
    }
    if (pg)
        sb_printf(out, "\n/* PostgreSQL's steps, ascending, the versions "
                  "of %s_migrations. */\n", m->name);
    else
        sb_adds(out, "\n/* Every version step, ascending; sc_open() runs "
                "those after the stored\n * version, each in one "
                "transaction with the version record. */\n");
    sb_printf(out, "static const sc_migration %s_%smigrations[] = {\n",
              m->name, prefix);
    for (i = 0; i < plan->nsteps; i++) {
        const struct plan_step *s = &plan->steps[i];
        sb_reset(&array);
        sb_printf(&array, "%s_%smigration_%d", m->name, prefix, s->version);
        sb_printf(out, "    { .version = %d, .sql = %s,\n", s->version,
                  sb_str(&array));
        if (s->nsql > 0)
            count_of(out, 6, "nsql", sb_str(&array), ",\n");
        else
            sb_adds(out, "      .nsql = 0,\n");
        sb_printf(out, "      .rebuild = %s },\n",
                  s->rebuild ? "true" : "false");
    }
    sb_adds(out, "};\n");
    sb_free(&array);
}

/*
 * Write "    .member = NAME_suffix,\n" and its count from sizeof, or 0
 * when n is 0 (the array then holds only a NULL placeholder, since C has
 * no empty arrays).
 */
static void
array_members(struct strbuf *out, const struct model *m, const char *member,
              const char *count, const char *suffix, size_t n)
{
    struct strbuf array = { 0 };

    sb_printf(&array, "%s_%s", m->name, suffix);
    sb_printf(out, "    .%s = %s,\n", member, sb_str(&array));
    if (n > 0)
        count_of(out, 4, count, sb_str(&array), ",\n");
    else
        sb_printf(out, "    .%s = 0,\n", count);
    sb_free(&array);
}

/* Write "    .member = NULL,\n    .count = 0,\n" for an array not
 * written. */
static void
no_array(struct strbuf *out, const char *member, const char *count)
{
    sb_printf(out, "    .%s = NULL,\n    .%s = 0,\n", member, count);
}

/* Write NAME_SUFFIX, the array of the n statements at sql (NULL alone
 * when there are none, since C has no empty arrays). */
static void
ddl_array(struct strbuf *out, const struct model *m, const char *suffix,
          const struct plan_sql *sql, size_t n)
{
    size_t i;

    sb_printf(out, "static const char *const %s_%s[] = {\n", m->name,
              suffix);
    for (i = 0; i < n; i++) {
        sb_adds(out, "    ");
        c_literal(out, sql[i].sql, 4, 4, true);
        sb_adds(out, ",\n");
    }
    if (n == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");
}

/* Write NAME_create_sql: the plan's DDL of the current version. */
static size_t
create_sql(struct strbuf *out, const struct view *now,
           const struct plan *plan)
{
    const struct plan_ddl *ddl = plan_current(plan);

    assert(ddl->version == now->version);
    emit_note(out, "The DDL of version %d: each table, then its indexes.",
              now->version);
    ddl_array(out, now->m, "create_sql", ddl->sql, ddl->nsql);
    return ddl->nsql;
}

/* Write NAME_tables and NAME_data_tables. */
static size_t
table_lists(struct strbuf *out, const struct view *now)
{
    const struct model *m = now->m;
    const struct v_table **order = malloc((m->ntables + 1) * sizeof *order);
    bool *placed = malloc((m->ntables + 1) * sizeof *placed);
    size_t *refs = malloc((m->ntables + 1) * sizeof *refs);
    size_t i, ndata = 0;

    if (order == NULL || placed == NULL || refs == NULL) {
        out->failed = 1;
        goto done;
    }
    sb_printf(out, "\n/* The data tables' descriptors, in declaration order."
              " */\nstatic const sc_table *const %s_tables[] = {\n",
              m->name);
    for (i = 0; i < now->ntables; i++)
        if (now->tables[i].is_data)
            sb_printf(out, "    &%s_%s_table,\n", m->name,
                      now->tables[i].table->name);
    if (now->ndata == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");

    sb_printf(out, "\n/* The data tables, children before parents. */\n"
              "const char *const %s_data_tables[] = {\n", m->name);
    ndata = data_table_order(now, order, placed, refs);
    assert(ndata == now->ndata);
    for (i = 0; i < ndata; i++) {
        sb_adds(out, "    \"");
        cdecl_string(out, order[i]->name);
        sb_adds(out, "\",\n");
    }
    if (ndata == 0)
        sb_adds(out, "    NULL     /* no tables */\n");
    sb_adds(out, "};\n");
done:
    free(order);
    free(placed);
    free(refs);
    return ndata;
}

/* Write an optional string member of the schema: "text" or NULL. */
static void
string_member(struct strbuf *out, const char *member, const char *value)
{
    if (value == NULL) {
        sb_printf(out, "    .%s = NULL,\n", member);
        return;
    }
    sb_printf(out, "    .%s = \"", member);
    cdecl_string(out, value);
    sb_adds(out, "\",\n");
}

/* Write NAME_pg_create_sql, the PostgreSQL DDL in pg, unless pg says
 * PostgreSQL cannot run the schema. */
static void
pg_create_sql(struct strbuf *out, const struct view *now,
              const struct emit_pg *pg)
{
    if (pg->refusal == NULL) {
        emit_note(out, "The same for PostgreSQL, as schemac --dialect "
                  "postgresql prints it.");
        ddl_array(out, now->m, "pg_create_sql", pg->ddl, pg->nddl);
    }
}

/* Write the sc_schema members of PostgreSQL's statements and DDL, NULL
 * when pg says PostgreSQL cannot run the schema. */
static void
pg_members(struct strbuf *out, const struct model *m,
           const struct emit_pg *pg, size_t nstatements)
{
    if (pg->refusal != NULL) {
        sb_adds(out, "    .pg_statements = NULL,\n");
        no_array(out, "pg_create_sql", "npg_create");
        no_array(out, "pg_migrations", "npg_migrations");
        return;
    }
    if (nstatements > 0)
        sb_printf(out, "    .pg_statements = %s_pg_statements,\n", m->name);
    else
        sb_adds(out, "    .pg_statements = NULL,\n");
    array_members(out, m, "pg_create_sql", "npg_create", "pg_create_sql",
                  pg->nddl);
    if (pg->plan.nsteps > 0)
        array_members(out, m, "pg_migrations", "npg_migrations",
                      "pg_migrations", pg->plan.nsteps);
    else
        no_array(out, "pg_migrations", "npg_migrations");
}

/* Write NAME_unversioned (NAME_pg_unversioned for PostgreSQL's plan):
 * each unversioned index's creation and drop; nothing without any. */
static void
unversioned(struct strbuf *out, const struct model *m,
            const struct plan *plan, bool pg)
{
    size_t i;

    if (plan->nunversioned == 0)
        return;
    emit_note(out, "%s unversioned indexes: created where missing at "
              "every open (a retired one dropped there), dropped before "
              "each migration step.", pg ? "PostgreSQL's" : "The");
    sb_printf(out, "static const sc_index %s_%sunversioned[] = {\n",
              m->name, pg ? "pg_" : "");
    for (i = 0; i < plan->nunversioned; i++) {
        sb_adds(out, "    { ");
        if (plan->unversioned[i].create != NULL)
            c_literal(out, plan->unversioned[i].create, 6, 6, true);
        else
            sb_adds(out, "NULL /* retired: only dropped */");
        sb_adds(out, ",\n      ");
        c_literal(out, plan->unversioned[i].drop, 6, 6, true);
        sb_adds(out, " },\n");
    }
    sb_adds(out, "};\n");
}

/* Write the sc_schema members of plan's unversioned indexes (pg: of
 * PostgreSQL's, NULL when PostgreSQL cannot run the schema). */
static void
unversioned_members(struct strbuf *out, const struct model *m,
                    const struct plan *plan, bool pg)
{
    const char *member = pg ? "pg_unversioned" : "unversioned";
    const char *count = pg ? "npg_unversioned" : "nunversioned";

    if (plan != NULL && plan->nunversioned > 0)
        array_members(out, m, member, count, member, plan->nunversioned);
    else
        no_array(out, member, count);
}

/* Write create_sql, tables, data_tables, the migrations and the
 * sc_schema. */
static void
schema(struct strbuf *out, const struct view *now, const struct plan *plan,
       const struct emit_pg *pg, size_t nstatements)
{
    const struct model *m = now->m;
    size_t ncreate, ndata;

    emit_heading(out, "Schema");
    ncreate = create_sql(out, now, plan);
    pg_create_sql(out, now, pg);
    ndata = table_lists(out, now);
    migrations(out, m, plan, false);
    if (pg->refusal == NULL)
        migrations(out, m, &pg->plan, true);
    unversioned(out, m, plan, false);
    if (pg->refusal == NULL)
        unversioned(out, m, &pg->plan, true);
    if (pg->refusal != NULL)
        emit_note(out, "The schema, for sc_open().  PostgreSQL cannot run "
                  "it, so it has no PostgreSQL statements, DDL or "
                  "migrations, and sc_open() refuses it there: %s",
                  pg->refusal);
    else
        emit_note(out, "The schema, for sc_open().");
    sb_printf(out, "const sc_schema %s_schema = {\n", m->name);
    sb_adds(out, "    .abi = SC_ABI_VERSION,\n    .name = \"");
    cdecl_string(out, m->name);
    sb_printf(out, "\",\n    .version = %d,\n", m->version);
    string_member(out, "version_table", m->version_table);
    string_member(out, "default_path", m->default_path);
    array_members(out, m, "create_sql", "ncreate", "create_sql", ncreate);
    array_members(out, m, "tables", "ntables", "tables", now->ndata);
    array_members(out, m, "data_tables", "ndata_tables", "data_tables",
                  ndata);
    if (nstatements > 0)
        array_members(out, m, "statements", "nstatements", "statements",
                      nstatements);
    else
        no_array(out, "statements", "nstatements");
    if (plan->nsteps > 0)
        array_members(out, m, "migrations", "nmigrations", "migrations",
                      plan->nsteps);
    else
        no_array(out, "migrations", "nmigrations");
    pg_members(out, m, pg, nstatements);
    unversioned_members(out, m, plan, false);
    unversioned_members(out, m, pg->refusal == NULL ? &pg->plan : NULL,
                        true);
    sb_adds(out, "};\n");
}

/* ------------------------------------------------------------------ */
/* The source file                                                     */
/* ------------------------------------------------------------------ */

/* True for a blank between statements. */
static bool
is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/*
 * Store in pg->ddl the current version's DDL in PostgreSQL's spelling
 * (history_ddl()), in a, one statement each: a trigger's PostgreSQL text
 * (a function, then the trigger that calls it) is cut at each ';' that
 * ends a statement, and the blanks around each are dropped.  Returns 0,
 * or -1 when memory ran out.
 */
static int
pg_ddl(struct arena *a, const struct model *m, struct emit_pg *pg)
{
    struct plan_sql *whole, *s;
    size_t nwhole, i, end, len;
    const char *p;

    if (history_ddl(a, m, m->version, SQL_POSTGRESQL, &whole, &nwhole) != 0)
        return -1;
    for (i = 0; i < nwhole; i++) {
        for (p = whole[i].sql; *p != '\0'; p += end + (p[end] == ';')) {
            end = sqltext_pg_statement_len(p);
            for (len = end; len > 0 && is_blank(p[len - 1]); len--)
                ;
            while (len > 0 && is_blank(*p)) {
                p++;
                end--;
                len--;
            }
            if (len == 0)
                continue;
            s = arena_push(a, (void **)&pg->ddl, &pg->nddl, sizeof *s);
            if (s == NULL)
                return -1;
            *s = whole[i];
            if ((s->sql = arena_strndup(a, p, len)) == NULL)
                return -1;
        }
    }
    return 0;
}

/* Work out what NAME.c gives PostgreSQL; see emit.h.  The refusal
 * names its line, not its file, so the output does not depend on the
 * path the schema was given by. */
int
emit_pg_init(struct arena *a, const struct model *m, const struct plan *plan,
             struct emit_pg *pg)
{
    struct diags dg = { 0 };
    struct strbuf sql = { 0 };
    size_t i;
    int rc = 0;

    memset(pg, 0, sizeof *pg);
    dg.arena = a;
    if (dialect_pg_refusals(&dg, m) > 0) {
        const struct diag *e = dg.head;
        while (e->warning)
            e = e->next;
        pg->refusal = e->pos.line > 0
            ? arena_printf(a, "line %d: %s", e->pos.line, e->msg) : e->msg;
    } else if (pg_ddl(a, m, pg) != 0
               || history_plan_in(a, m, SQL_POSTGRESQL, &pg->plan) != 0
               || history_align(a, plan, &pg->plan) != 0) {
        return -1;
    } else if (pg->plan.refusal != NULL) {
        pg->refusal = arena_printf(a, "line %d: %s",
                                   pg->plan.refusal_pos.line,
                                   pg->plan.refusal);
        memset(&pg->plan, 0, sizeof pg->plan);
    }
    pg->query_sql = arena_alloc(a, (m->nqueries + 1) * sizeof *pg->query_sql);
    pg->pg_index = arena_alloc(a, (m->nqueries + 1) * sizeof *pg->pg_index);
    if (pg->query_sql == NULL || pg->pg_index == NULL)
        return -1;
    for (i = 0; i < m->nqueries && rc == 0; i++) {
        const struct m_query *q = &m->queries[i];
        pg->pg_index[i] = arena_alloc(a, (q->nparams + 1) * sizeof(int));
        sb_reset(&sql);
        if (pg->pg_index[i] == NULL
            || dialect_query_pg(q, &sql, pg->pg_index[i]) != 0
            || (pg->query_sql[i] = arena_strdup(a, sb_str(&sql))) == NULL)
            rc = -1;
    }
    sb_free(&sql);
    return rc != 0 || a->failed ? -1 : 0;
}

/* Write NAME.c for the current version now and the proven plan. */
void
emit_c(const struct view *now, const struct plan *plan, struct strbuf *out)
{
    const struct model *m = now->m;
    struct strbuf text = { 0 };
    struct arena a = { 0 };
    struct emit_pg pg;
    size_t i, nstatements;

    if (emit_pg_init(&a, m, plan, &pg) != 0) {
        out->failed = 1;
        arena_free(&a);
        return;
    }
    emit_banner(out, m);
    sb_printf(&text, "Schema %s, version %d: the descriptors libschemac"
              " walks and the typed functions declared in %s.h.", m->name,
              m->version, m->name);
    emit_wrapped_lines(out, sb_str(&text));
    sb_adds(out, " */\n");
    sb_free(&text);
    sb_printf(out, "#include \"%s.h\"\n\n#include <stddef.h>\n", m->name);
    if (m->nenums > 0)
        sb_adds(out, "#include <string.h>\n");
    sb_adds(out, "\n/* The SQL of a wide table can pass the 4095 characters "
            "C99 promises\n * compilers accept in one string; gcc and clang "
            "take any length. */\n#if defined(__GNUC__)\n#pragma GCC "
            "diagnostic ignored \"-Woverlength-strings\"\n#endif\n");

    nstatements = statements(out, now, &pg);
    emit_enum_c(now, out);
    for (i = 0; i < now->ntables; i++)
        if (now->tables[i].is_data)
            table(out, m, &now->tables[i]);
    for (i = 0; i < now->nviews; i++)
        table(out, m, &now->views[i]);
    emit_query_c(now, &pg, out);
    schema(out, now, plan, &pg, nstatements);
    arena_free(&a);
}
