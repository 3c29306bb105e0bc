/*
 * history.c - the migration planner: from each element's since, until and
 * renames, the SQL of every version step, with SQLite's table rebuild
 * where ALTER TABLE cannot make the change; the DDL of any version; and
 * the history errors only a whole-schema view can see.
 */
#include "history.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "strbuf.h"
#include "view.h"

/* One version step being planned: the views of v - 1 and v, and the
 * tables rebuilt. */
struct builder {
    struct arena *a;            /* the plan's statements */
    enum sql_dialect d;         /* the SQL spelled */
    struct plan *plan;          /* for a refusal */
    struct arena scratch;       /* the views and names of this step */
    const struct model *m;
    int v;                      /* the step goes from v - 1 to v */
    struct view prev, cur;
    bool *rebuilt;              /* per m->tables[i] */
    struct plan_step *step;
    struct strbuf sb;           /* the statement being spelled */
    int failed;                 /* memory ran out */
};

/* An ALTER TABLE ... RENAME of this step. */
struct rename {
    const char *from, *to;
    struct pos pos;
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Table i of the model at v - 1 and at v (either may be NULL). */
static const struct v_table *
before(const struct builder *b, size_t i)
{
    return b->prev.table_at[i];
}

static const struct v_table *
after(const struct builder *b, size_t i)
{
    return b->cur.table_at[i];
}

/* True when table i exists at v - 1 and at v. */
static bool
table_kept(const struct builder *b, size_t i)
{
    return before(b, i) != NULL && after(b, i) != NULL;
}

/* True when table i stays and is changed in place (not rebuilt). */
static bool
table_altered(const struct builder *b, size_t i)
{
    return table_kept(b, i) && !b->rebuilt[i];
}

/* True when column j of the table is in both views pt and ct. */
static bool
column_kept(const struct v_table *pt, const struct v_table *ct, size_t j)
{
    return pt->col_at[j] != NULL && ct->col_at[j] != NULL;
}

/* True when ix is one of vt's live indexes. */
static bool
has_index(const struct v_table *vt, const struct m_index *ix)
{
    size_t i;

    for (i = 0; i < vt->nindexes; i++)
        if (vt->indexes[i] == ix)
            return true;
    return false;
}

/* True when the n constraints a and the n2 constraints b differ. */
static bool
constraints_differ(const struct m_constraint *const *a, size_t n,
                   const struct m_constraint *const *b, size_t n2)
{
    size_t i;

    if (n != n2)
        return true;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return true;
    return false;
}

/* Where an element's since (gone false) or until (gone true) was
 * written, else where the element was. */
static struct pos
span_pos(const struct m_span *span, const struct pos *pos, bool gone)
{
    const struct pos *p = gone ? &span->until_pos : &span->since_pos;

    return p->line != 0 ? *p : *pos;
}

/* Where rename of a table or column at version v was written. */
static struct pos
rename_pos(const struct m_rename *r, size_t n, int v, const struct pos *pos)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (r[i].version == v)
            return r[i].pos;
    return *pos;
}

/*
 * Queue the statement spelled in b->sb as the next of the step, blamed
 * on pos; data is the migration it runs, or NULL.  Empties b->sb.
 */
static void
emit(struct builder *b, const struct pos *pos, const struct m_migration *data)
{
    struct plan_sql *s;

    if (b->sb.failed) {
        b->failed = 1;
        return;
    }
    s = arena_push(b->a, (void **)&b->step->sql, &b->step->nsql,
                   sizeof(*s));
    if (s == NULL || (s->sql = arena_strdup(b->a, sb_str(&b->sb))) == NULL)
        b->failed = 1;
    else {
        s->pos = *pos;
        s->data = data;
    }
    sb_reset(&b->sb);
}

/* True when name is taken, at v - 1 or v, by a table or an index. */
static bool
name_taken(const struct builder *b, const char *name)
{
    const struct view *views[2] = { &b->prev, &b->cur };
    size_t i, j, k;

    for (k = 0; k < 2; k++)
        for (i = 0; i < views[k]->ntables; i++) {
            const struct v_table *vt = &views[k]->tables[i];
            if (strcasecmp(vt->name, name) == 0)
                return true;
            for (j = 0; j < vt->nindexes; j++)
                if (strcasecmp(vt->indexes[j]->name, name) == 0)
                    return true;
        }
    return false;
}

/* name with suffix appended ("_new"), and again while that is taken by a
 * table or an index.  Lives in the step's scratch arena. */
static const char *
temp_name(struct builder *b, const char *name, const char *suffix)
{
    const char *tmp = arena_printf(&b->scratch, "%s%s", name, suffix);

    while (tmp != NULL && name_taken(b, tmp))
        tmp = arena_printf(&b->scratch, "%s%s", tmp, suffix);
    if (tmp == NULL)
        b->failed = 1;
    return tmp != NULL ? tmp : name;
}

/* A name for the new copy of a rebuilt table called name: name_new, with
 * more "_new" while that is taken. */
static const char *
temp_table_name(struct builder *b, const char *name)
{
    return temp_name(b, name, "_new");
}

/* ------------------------------------------------------------------ */
/* What ALTER TABLE can do                                             */
/* ------------------------------------------------------------------ */

/* True when some other column of the table is called name at v - 1 and
 * is dropped at v, or renamed away from it at v. */
static bool
name_freed(const struct v_table *pt, const struct v_table *ct, size_t j,
           const char *name)
{
    size_t i;

    for (i = 0; i < pt->ncolumns; i++) {
        const struct v_column *o = &pt->columns[i];
        const struct v_column *now = ct->col_at[o->col->index];
        if (o->col->index == j || strcasecmp(o->name, name) != 0)
            continue;
        if (now == NULL || strcasecmp(now->name, name) != 0)
            return true;
    }
    return false;
}

/* The column of pt (at v - 1) whose values column now (new at v) takes
 * converted to its type, or NULL. */
static const struct v_column *
converted(const struct v_table *pt, const struct v_column *now)
{
    const struct m_column *from = now->col->converts_from;

    return from != NULL ? pt->col_at[from->index] : NULL;
}

/*
 * True when column j of the table (pt at v - 1, ct at v), new at v, can
 * be added by ALTER TABLE ADD COLUMN: it lands after every column kept
 * from v - 1 (ADD COLUMN appends), has no PRIMARY KEY or UNIQUE, a
 * constant default (not CURRENT_TIMESTAMP), a default when it is NOT
 * NULL, none when it REFERENCES, is not a STORED generated column (SQLite
 * adds only VIRTUAL ones), and a name no column frees in this step (ADD
 * runs before DROP).
 */
static bool
can_add(const struct v_table *pt, const struct v_table *ct, size_t j)
{
    const struct v_column *c = ct->col_at[j];
    size_t k;

    assert(c != NULL && pt->col_at[j] == NULL);
    for (k = j + 1; k < ct->table->ncolumns; k++)
        if (column_kept(pt, ct, k))
            return false;
    if (c->is_key || c->unique)
        return false;
    if (c->def != NULL && strcasecmp(c->def, "CURRENT_TIMESTAMP") == 0)
        return false;
    if (c->not_null && c->def == NULL)
        return false;
    if (c->references != NULL && c->def != NULL)
        return false;
    if (c->col->generated != NULL && c->col->stored)
        return false;
    return !name_freed(pt, ct, j, c->name);
}

/* True when some column of the table is renamed at v onto name. */
static bool
renamed_onto(const struct v_table *pt, const struct v_table *ct,
             const char *name)
{
    size_t i;

    for (i = 0; i < ct->ncolumns; i++) {
        const struct v_column *now = &ct->columns[i];
        const struct v_column *was = pt->col_at[now->col->index];
        if (was != NULL && strcasecmp(was->name, now->name) != 0
            && strcasecmp(now->name, name) == 0)
            return true;
    }
    return false;
}

/*
 * True when column j of the table (pt at v - 1, ct at v), gone at v, can
 * be removed by ALTER TABLE DROP COLUMN: SQLite refuses key, UNIQUE and
 * foreign key columns and columns a CHECK, partial index or index
 * expression names, and a rename onto its name would run first.
 */
static bool
can_drop(const struct v_table *pt, const struct v_table *ct, size_t j)
{
    const struct v_column *c = pt->col_at[j];
    size_t i, k;

    assert(c != NULL && ct->col_at[j] == NULL);
    if (c->is_key || c->unique || c->references != NULL
        || pt->has_expressions)
        return false;
    for (i = 0; i < pt->nconstraints; i++)
        for (k = 0; k < pt->constraints[i]->ncolumns; k++)
            if (pt->constraints[i]->columns[k] == c->col)
                return false;
    return !renamed_onto(pt, ct, c->name);
}

/*
 * True when the table (pt at v - 1, ct at v) must be rebuilt at v: a
 * constraint of a kept column or of the table appears or goes, or a
 * column is added or dropped in a way ALTER TABLE cannot.
 */
static bool
needs_rebuild(const struct v_table *pt, const struct v_table *ct)
{
    size_t j;

    if (constraints_differ(pt->constraints, pt->nconstraints,
                           ct->constraints, ct->nconstraints))
        return true;
    for (j = 0; j < ct->table->ncolumns; j++) {
        const struct v_column *was = pt->col_at[j], *now = ct->col_at[j];
        if (was != NULL && now != NULL) {
            if (constraints_differ(was->constraints, was->nconstraints,
                                   now->constraints, now->nconstraints))
                return true;
            /* An enum's values changed: its CHECK must be rewritten. */
            if ((was->enum_sql == NULL) != (now->enum_sql == NULL)
                || (was->enum_sql != NULL
                    && strcmp(was->enum_sql, now->enum_sql) != 0))
                return true;
        } else if (now != NULL && !can_add(pt, ct, j)) {
            return true;
        } else if (was != NULL && !can_drop(pt, ct, j)) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* What ALTER TABLE can do on PostgreSQL                               */
/* ------------------------------------------------------------------ */

/* True when k is one of the n constraints of list. */
static bool
has_constraint(const struct m_constraint *const *list, size_t n,
               const struct m_constraint *k)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (list[i] == k)
            return true;
    return false;
}

/*
 * True when one of the n constraints a (at v - 1) is not among the n2
 * constraints b (at v) and PostgreSQL cannot drop it by name: a CHECK,
 * UNIQUE, PRIMARY KEY or foreign key the schema leaves unnamed, which
 * PostgreSQL named itself after the table's name of the day (renames and
 * rebuilds leave that name behind, so no statement can know it), or a
 * PRIMARY KEY, named or not (dropping it would leave its columns NOT
 * NULL, which a new table of v does not have).  NOT NULL and DEFAULT are
 * ALTER COLUMN's.
 */
static bool
pg_loses_unnamed(const struct m_constraint *const *a, size_t n,
                 const struct m_constraint *const *b, size_t n2)
{
    size_t i;

    for (i = 0; i < n; i++)
        if ((a[i]->name == NULL || a[i]->kind == M_C_PRIMARY_KEY)
            && a[i]->kind != M_C_NOT_NULL && a[i]->kind != M_C_DEFAULT
            && !has_constraint(b, n2, a[i]))
            return true;
    return false;
}

/* The column of ct (at v) whose declaration replaces was (at v - 1)
 * with another type, or NULL. */
static const struct v_column *
converted_into(const struct v_table *ct, const struct v_column *was)
{
    size_t i;

    for (i = 0; i < ct->ncolumns; i++)
        if (ct->columns[i].col->converts_from == was->col)
            return &ct->columns[i];
    return NULL;
}

/*
 * True when PostgreSQL's ALTER COLUMN ... TYPE ... USING can turn column
 * from (at v - 1) into now (at v): neither is in a key or generated, and
 * from has no enum CHECK and no constraint but NOT NULL and DEFAULT,
 * which would have to go by a name PostgreSQL chose.
 */
static bool
pg_can_convert(const struct v_column *from, const struct v_column *now)
{
    size_t i;

    if (from->is_key || now->is_key || from->enum_sql != NULL
        || from->col->generated != NULL || now->col->generated != NULL)
        return false;
    for (i = 0; i < from->nconstraints; i++)
        if (from->constraints[i]->kind != M_C_NOT_NULL
            && from->constraints[i]->kind != M_C_DEFAULT)
            return false;
    return true;
}

/*
 * True when PostgreSQL must rebuild the table (pt at v - 1, ct at v):
 * its ALTER TABLE adds a column anywhere (at the end: the suite compares
 * columns by name, and every statement names its columns), drops any,
 * changes a type (pg_can_convert()), a default or NOT NULL, and adds or
 * drops a named constraint; what is left is a constraint PostgreSQL
 * named itself going (pg_loses_unnamed()), an enum's values changing
 * (its CHECK is unnamed), a key column coming, a rowid key (an
 * identity) coming or going, or a rename onto the name of a column that
 * goes at v (the renames run first).
 */
static bool
pg_needs_rebuild(const struct v_table *pt, const struct v_table *ct)
{
    size_t j;

    if (pg_loses_unnamed(pt->constraints, pt->nconstraints,
                         ct->constraints, ct->nconstraints))
        return true;
    for (j = 0; j < ct->table->ncolumns; j++) {
        const struct v_column *was = pt->col_at[j], *now = ct->col_at[j];
        const struct v_column *from = now != NULL && was == NULL
            ? converted(pt, now) : NULL;
        if (was != NULL && now != NULL) {
            if (pg_loses_unnamed(was->constraints, was->nconstraints,
                                 now->constraints, now->nconstraints)
                || was->is_rowid != now->is_rowid)
                return true;
            if ((was->enum_sql == NULL) != (now->enum_sql == NULL)
                || (was->enum_sql != NULL
                    && strcmp(was->enum_sql, now->enum_sql) != 0))
                return true;
        } else if (from != NULL) {
            if (!pg_can_convert(from, now))
                return true;
        } else if (now != NULL) {
            if (now->is_key || name_freed(pt, ct, j, now->name))
                return true;
        } else if (was != NULL && converted_into(ct, was) == NULL
                   && renamed_onto(pt, ct, was->name)) {
            return true;
        }
    }
    return false;
}

/* True when a table other than t at v - 1 has a foreign key on t then. */
static bool
is_parent(const struct builder *b, const struct m_table *t)
{
    size_t i, j;

    for (i = 0; i < b->prev.ntables; i++) {
        const struct v_table *o = &b->prev.tables[i];
        if (o->table == t)
            continue;
        for (j = 0; j < o->ncolumns; j++)
            if (o->columns[j].references != NULL
                && o->columns[j].references->ref_table == t)
                return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */
/* ------------------------------------------------------------------ */

/* Spell ALTER TABLE ... RENAME [COLUMN] from TO to; table is NULL for a
 * table rename. */
static void
rename_sql(struct builder *b, const char *table, const char *from,
           const char *to, const struct pos *pos)
{
    sb_adds(&b->sb, "ALTER TABLE ");
    if (table != NULL) {
        ddl_ident_in(&b->sb, b->d, table);
        sb_adds(&b->sb, " RENAME COLUMN ");
    }
    ddl_ident_in(&b->sb, b->d, from);
    sb_adds(&b->sb, table != NULL ? " TO " : " RENAME TO ");
    ddl_ident_in(&b->sb, b->d, to);
    emit(b, pos, NULL);
}

/*
 * Emit the n renames r (of tables when table is NULL, else of table's
 * columns).  When a new name is an old name of the same step (a swap),
 * every element goes through a temporary name first.
 */
static void
renames(struct builder *b, const char *table, const struct rename *r,
        size_t n)
{
    bool swap = false;
    size_t i, j;

    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (strcasecmp(r[i].to, r[j].from) == 0)
                swap = true;
    for (i = 0; i < n; i++) {
        const char *tmp = swap
            ? arena_printf(&b->scratch, "%s_renaming", r[i].to) : r[i].to;
        if (tmp == NULL) {
            b->failed = 1;
            return;
        }
        rename_sql(b, table, r[i].from, tmp, &r[i].pos);
    }
    for (i = 0; swap && i < n; i++) {
        const char *tmp = arena_printf(&b->scratch, "%s_renaming", r[i].to);
        if (tmp == NULL) {
            b->failed = 1;
            return;
        }
        rename_sql(b, table, tmp, r[i].to, &r[i].pos);
    }
}

/* Append the rename from -> to, blamed on pos, to the list *r of *n. */
static void
push_rename(struct builder *b, struct rename **r, size_t *n,
            const char *from, const char *to, struct pos pos)
{
    struct rename *x = arena_push(&b->scratch, (void **)r, n, sizeof(**r));

    if (x == NULL) {
        b->failed = 1;
        return;
    }
    x->from = from;
    x->to = to;
    x->pos = pos;
}

/* Emit CREATE INDEX for every index of ct (at v) and, when pt is not
 * NULL, only for those not in pt (at v - 1). */
static void
index_sql(struct builder *b, const struct v_table *pt,
          const struct v_table *ct)
{
    size_t i;

    for (i = 0; i < ct->nindexes; i++) {
        const struct m_index *ix = ct->indexes[i];
        if (pt != NULL && has_index(pt, ix))
            continue;
        ddl_create_index(&b->sb, b->d, ct, ix);
        emit(b, &ix->pos, NULL);
    }
}

/*
 * Append the value a rebuild copies into column now (at v) from column
 * was (at v - 1), in dialect d: the old column, with each enum value
 * removed at v mapped to the one that replaces it, and, when the column
 * becomes NOT NULL with a default, the default where an older row holds
 * NULL (as ADD COLUMN fills older rows).
 */
static void
copied_value(struct strbuf *sb, enum sql_dialect d, const struct v_column *was,
             const struct v_column *now, int v)
{
    const struct m_enum *e = now->col->enum_type;
    bool fill = now->not_null && now->def != NULL && !was->not_null;
    bool mapped = false;
    size_t i;

    if (fill)
        sb_adds(sb, "coalesce(");
    for (i = 0; e != NULL && i < e->nvalues; i++) {
        const struct m_enum_value *x = &e->values[i];
        if (x->span.until != v || x->replaced_by == NULL)
            continue;
        if (!mapped) {
            sb_adds(sb, "CASE ");
            ddl_ident_in(sb, d, was->name);
        }
        sb_printf(sb, " WHEN '%s' THEN '%s'", x->name, x->replaced_by->name);
        mapped = true;
    }
    if (mapped)
        sb_adds(sb, " ELSE ");
    ddl_ident_in(sb, d, was->name);
    if (mapped)
        sb_adds(sb, " END");
    if (fill)
        sb_printf(sb, ", %s)", ddl_default(d, now->type, now->def));
}

/*
 * Append PostgreSQL's value of column from converted to now's type, the
 * values SQLite's conversion (converted_value()) gives where the types
 * allow: a boolean becomes 0 or 1 before it becomes text or an integer,
 * and a blob holds the UTF-8 bytes of the value's text.
 */
static void
pg_converted(struct strbuf *sb, const struct v_column *from,
             const struct v_column *now)
{
    const char *as_text = from->type == M_BOOLEAN ? "::integer::text"
        : from->type == M_INTEGER || from->type == M_REAL ? "::text" : "";

    if (now->type == M_BLOB)
        sb_adds(sb, "convert_to(");
    ddl_ident_in(sb, SQL_POSTGRESQL, from->name);
    switch (now->type) {
    case M_REAL:
        sb_adds(sb, "::double precision");
        break;
    case M_INTEGER:
        sb_adds(sb, from->type == M_BOOLEAN ? "::integer" : "");
        break;
    case M_BLOB:
        sb_printf(sb, "%s, 'UTF8')", as_text);
        break;
    case M_TEXT:
    case M_TIMESTAMP:
    case M_ENUM:
    case M_BOOLEAN:
        sb_adds(sb, as_text);
        break;
    }
}

/*
 * Append the value a rebuild copies into column now (at v) from column
 * from (at v - 1), whose declaration now replaces with another type:
 * from's value, CAST to now's type where the two store differently
 * (check.c allows only changes no value is lost in; PostgreSQL's as
 * pg_converted() spells them), and now's default where from held NULL
 * and now is NOT NULL (as copied_value() does).
 */
static void
converted_value(struct strbuf *sb, enum sql_dialect d,
                const struct v_column *from, const struct v_column *now)
{
    bool cast = now->type == M_REAL || now->type == M_BLOB
        || (now->type == M_TEXT && from->type != M_TIMESTAMP
            && from->type != M_ENUM);
    bool fill = now->not_null && now->def != NULL && !from->not_null;

    sb_adds(sb, fill ? "coalesce(" : "");
    if (d == SQL_POSTGRESQL) {
        pg_converted(sb, from, now);
    } else {
        sb_adds(sb, cast ? "CAST(" : "");
        ddl_ident(sb, from->name);
        if (cast)
            sb_printf(sb, " AS %s)", m_type_sql(now->type));
    }
    if (fill)
        sb_printf(sb, ", %s)", ddl_default(d, now->type, now->def));
}

/*
 * Spell the INSERT that copies the rows of the table (pt at v - 1,
 * still under its name at v) into its new copy tmp: the columns kept
 * from v - 1 but generated ones (old names to new, values as
 * copied_value() and converted_value() map them).  Queues nothing when
 * no column survives.
 */
static void
copy_rows(struct builder *b, const struct v_table *pt,
          const struct v_table *ct, const char *tmp)
{
    struct strbuf *sb = &b->sb;
    const struct m_table *t = ct->table;
    bool first = true;
    size_t j, pass;

    for (pass = 0; pass < 2; pass++) {
        if (pass == 0) {
            sb_adds(sb, "INSERT INTO ");
            ddl_ident_in(sb, b->d, tmp);
            sb_adds(sb, " (");
        } else {
            sb_adds(sb, ") SELECT ");
        }
        first = true;
        for (j = 0; j < t->ncolumns; j++) {
            const struct v_column *now = ct->col_at[j];
            const struct v_column *from = now != NULL && pt->col_at[j] == NULL
                ? converted(pt, now) : NULL;
            /* A generated column is computed anew, never copied. */
            if ((!column_kept(pt, ct, j) && from == NULL)
                || t->columns[j]->generated != NULL)
                continue;
            if (!first)
                sb_adds(sb, ", ");
            first = false;
            if (pass == 0)
                ddl_ident_in(sb, b->d, now->name);
            else if (from != NULL)
                converted_value(sb, b->d, from, now);
            else
                copied_value(sb, b->d, pt->col_at[j], now, b->v);
        }
    }
    sb_adds(sb, " FROM ");
    ddl_ident_in(sb, b->d, ct->name);
    if (first)
        sb_reset(sb);           /* no column survives: nothing to copy */
    else
        emit(b, &t->pos, NULL);
}

/*
 * Rebuild the table (pt at v - 1, ct at v; already under its name at v)
 * the way SQLite documents for changes ALTER TABLE cannot make: create
 * the version-v table under a new name, copy the rows (copy_rows()),
 * drop the old table, give the new one its name, create its indexes of
 * v.
 */
static void
rebuild(struct builder *b, const struct v_table *pt, const struct v_table *ct)
{
    const char *tmp;
    const struct m_table *t;

    assert(pt != NULL && ct != NULL && pt->table == ct->table);
    t = ct->table;
    tmp = temp_table_name(b, ct->name);
    ddl_create_table_as(&b->sb, b->d, ct, tmp);
    emit(b, &t->pos, NULL);
    copy_rows(b, pt, ct, tmp);
    sb_adds(&b->sb, "DROP TABLE ");
    ddl_ident_in(&b->sb, b->d, ct->name);
    emit(b, &t->pos, NULL);
    rename_sql(b, NULL, tmp, ct->name, &t->pos);
    index_sql(b, NULL, ct);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL's ALTER TABLE and rebuild                                */
/* ------------------------------------------------------------------ */

/* Start "ALTER TABLE t ALTER COLUMN c " in b->sb. */
static void
alter_column(struct builder *b, const struct v_table *ct, const char *name)
{
    sb_adds(&b->sb, "ALTER TABLE ");
    ddl_ident_in(&b->sb, b->d, ct->name);
    sb_adds(&b->sb, " ALTER COLUMN ");
    ddl_ident_in(&b->sb, b->d, name);
}

/* Queue sql, a foreign key ddl_later_keys() spells for table vt. */
static int
queue_sql(void *arg, const char *sql, const struct v_table *vt,
          const struct m_index *ix)
{
    struct builder *b = arg;

    (void)ix;
    sb_adds(&b->sb, sql);
    emit(b, &vt->table->pos, NULL);
    return b->failed ? -1 : 0;
}

/* Queue ALTER TABLE ... ADD k, a constraint of ct's column vc (NULL: of
 * the table), unless it is NOT NULL or a DEFAULT (ALTER COLUMN's). */
static void
add_constraint(struct builder *b, const struct v_table *ct,
               const struct v_column *vc, const struct m_constraint *k)
{
    if (k->kind == M_C_NOT_NULL || k->kind == M_C_DEFAULT)
        return;
    ddl_add_constraint(&b->sb, b->d, ct, vc, k);
    emit(b, &k->pos, NULL);
}

/* Queue ALTER TABLE ... DROP CONSTRAINT for each named constraint of the
 * n at v - 1 in a that is not among the n2 at v in b2. */
static void
drop_named(struct builder *b, const struct v_table *ct,
           const struct m_constraint *const *a, size_t n,
           const struct m_constraint *const *b2, size_t n2)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct pos pos;
        if (a[i]->name == NULL || a[i]->kind == M_C_NOT_NULL
            || a[i]->kind == M_C_DEFAULT || has_constraint(b2, n2, a[i]))
            continue;
        pos = span_pos(&a[i]->span, &a[i]->pos, true);
        sb_adds(&b->sb, "ALTER TABLE ");
        ddl_ident_in(&b->sb, b->d, ct->name);
        sb_adds(&b->sb, " DROP CONSTRAINT ");
        ddl_ident_in(&b->sb, b->d, a[i]->name);
        emit(b, &pos, NULL);
    }
}

/*
 * Turn column from (at v - 1) into now (at v), which replaces it with
 * another type: its default goes first (PostgreSQL would cast it), then
 * ALTER COLUMN ... TYPE ... USING the value pg_converted() spells, when
 * the two types differ on PostgreSQL (a timestamp or an enum is TEXT)
 * or one declaration has a collation and the other none.
 */
static void
convert_column(struct builder *b, const struct v_table *pt,
               const struct v_table *ct, const struct v_column *from,
               const struct v_column *now)
{
    if (from->def != NULL) {
        alter_column(b, ct, now->name);
        sb_adds(&b->sb, " DROP DEFAULT");
        emit(b, &now->col->pos, NULL);
    }
    if (strcmp(ddl_type(b->d, pt, from), ddl_type(b->d, ct, now)) == 0
        && (from->col->collate == NULL) == (now->col->collate == NULL))
        return;
    alter_column(b, ct, now->name);
    sb_printf(&b->sb, " TYPE %s", ddl_type(b->d, ct, now));
    /* dialect_check() lets only BINARY through, PostgreSQL's "C". */
    if (now->col->collate != NULL)
        sb_adds(&b->sb, " COLLATE \"C\"");
    sb_adds(&b->sb, " USING ");
    pg_converted(&b->sb, from, now);
    emit(b, &now->col->pos, NULL);
}

/*
 * Give column now (at v) the default and NOT NULL it has at v, where
 * at v - 1 it had the default was_def and was NOT NULL when was_nn.  A
 * column that becomes NOT NULL with a default first takes the default
 * where a row holds NULL, as SQLite's rebuild copies it.
 */
static void
alter_nullness(struct builder *b, const struct v_table *ct,
               const char *was_def, bool was_nn, const struct v_column *now)
{
    const struct pos *pos = &now->col->pos;

    if (now->def != NULL && (was_def == NULL || strcmp(was_def, now->def))) {
        alter_column(b, ct, now->name);
        sb_printf(&b->sb, " SET DEFAULT %s",
                  ddl_default(b->d, now->type, now->def));
        emit(b, pos, NULL);
    } else if (now->def == NULL && was_def != NULL) {
        alter_column(b, ct, now->name);
        sb_adds(&b->sb, " DROP DEFAULT");
        emit(b, pos, NULL);
    }
    if (now->not_null == was_nn)
        return;
    if (now->not_null && now->def != NULL) {
        sb_adds(&b->sb, "UPDATE ");
        ddl_ident_in(&b->sb, b->d, ct->name);
        sb_adds(&b->sb, " SET ");
        ddl_ident_in(&b->sb, b->d, now->name);
        sb_printf(&b->sb, " = %s WHERE ",
                  ddl_default(b->d, now->type, now->def));
        ddl_ident_in(&b->sb, b->d, now->name);
        sb_adds(&b->sb, " IS NULL");
        emit(b, pos, NULL);
    }
    alter_column(b, ct, now->name);
    sb_adds(&b->sb, now->not_null ? " SET NOT NULL" : " DROP NOT NULL");
    emit(b, pos, NULL);
}

/* Queue ALTER TABLE ... ADD COLUMN c, a column of ct (at v), as
 * CREATE TABLE writes it. */
static void
add_column(struct builder *b, const struct v_table *ct,
           const struct v_column *c)
{
    sb_adds(&b->sb, "ALTER TABLE ");
    ddl_ident_in(&b->sb, b->d, ct->name);
    sb_adds(&b->sb, " ADD COLUMN ");
    ddl_column_def(&b->sb, b->d, ct, c);
    emit(b, &c->col->pos, NULL);
}

/* Queue ALTER TABLE ... DROP COLUMN c, a column at v - 1 of the table
 * called ct->name at v, blamed on where it ends. */
static void
drop_column(struct builder *b, const struct v_table *ct,
            const struct v_column *c)
{
    struct pos pos = span_pos(&c->col->span, &c->col->pos, true);

    sb_adds(&b->sb, "ALTER TABLE ");
    ddl_ident_in(&b->sb, b->d, ct->name);
    sb_adds(&b->sb, " DROP COLUMN ");
    ddl_ident_in(&b->sb, b->d, c->name);
    emit(b, &pos, NULL);
}

/* PostgreSQL: drop the named constraints that go from each kept column,
 * and add each new column or give it its new type. */
static void
pg_columns(struct builder *b, const struct v_table *pt,
           const struct v_table *ct)
{
    size_t j;

    for (j = 0; j < ct->ncolumns; j++) {
        const struct v_column *now = &ct->columns[j];
        const struct v_column *was = pt->col_at[now->col->index];
        if (was != NULL)
            drop_named(b, ct, was->constraints, was->nconstraints,
                       now->constraints, now->nconstraints);
        else if (converted(pt, now) != NULL)
            convert_column(b, pt, ct, converted(pt, now), now);
        else
            add_column(b, ct, now);
    }
}

/*
 * PostgreSQL: add the CHECK, UNIQUE, PRIMARY KEY and foreign keys that
 * come at v: a kept column's new ones, all of a column given a new type
 * (its old declaration had none, pg_can_convert()), the keys of a new
 * column ADD COLUMN could not name yet (ddl_added_later()), the table's
 * new ones.
 */
static void
pg_constraints(struct builder *b, const struct v_table *pt,
               const struct v_table *ct)
{
    size_t j, k;

    for (j = 0; j < ct->ncolumns; j++) {
        const struct v_column *now = &ct->columns[j];
        const struct v_column *was = pt->col_at[now->col->index];
        for (k = 0; k < now->nconstraints; k++) {
            const struct m_constraint *c = now->constraints[k];
            if (was != NULL ? !has_constraint(was->constraints,
                                              was->nconstraints, c)
                : converted(pt, now) != NULL
                || ddl_added_later(b->d, ct, c))
                add_constraint(b, ct, now, c);
        }
    }
    for (k = 0; k < ct->nconstraints; k++)
        if (!has_constraint(pt->constraints, pt->nconstraints,
                            ct->constraints[k]))
            add_constraint(b, ct, NULL, ct->constraints[k]);
}

/*
 * Change the table (pt at v - 1, ct at v), not rebuilt, with
 * PostgreSQL's ALTER TABLE, in an order where no statement meets what a
 * later one removes: named constraints that go; columns added or given
 * their new type (pg_columns()); columns dropped (with what PostgreSQL
 * drops with them); defaults and NOT NULL; the constraints that come
 * (pg_constraints(): after the columns they name, and after the values
 * they check were filled).
 */
static void
pg_alter_table(struct builder *b, const struct v_table *pt,
               const struct v_table *ct)
{
    size_t j;

    drop_named(b, ct, pt->constraints, pt->nconstraints, ct->constraints,
               ct->nconstraints);
    pg_columns(b, pt, ct);
    for (j = 0; j < pt->ncolumns; j++)
        if (ct->col_at[pt->columns[j].col->index] == NULL
            && converted_into(ct, &pt->columns[j]) == NULL)
            drop_column(b, ct, &pt->columns[j]);
    for (j = 0; j < ct->ncolumns; j++) {
        const struct v_column *now = &ct->columns[j];
        const struct v_column *was = pt->col_at[now->col->index];
        const struct v_column *from = was != NULL ? was
            : converted(pt, now);
        if (from != NULL)
            alter_nullness(b, ct, was != NULL ? was->def : NULL,
                           from->not_null, now);
    }
    pg_constraints(b, pt, ct);
}

/*
 * Append to the step the ALTER TABLE ... ADD of each foreign key of vt
 * (at v) that a rebuild of this step dropped: all of vt's when vt was
 * rebuilt (its copy was made without them), else those to a rebuilt
 * table (DROP TABLE ... CASCADE took them).
 */
static void
readd_keys(struct builder *b, const struct v_table *vt)
{
    bool all = b->rebuilt[vt->table->index];
    size_t i, j;

    for (i = 0; i < vt->ncolumns; i++)
        for (j = 0; j < vt->columns[i].nconstraints; j++) {
            const struct m_constraint *k = vt->columns[i].constraints[j];
            if (k->kind == M_C_REFERENCES
                && (all || b->rebuilt[k->ref_table->index]))
                add_constraint(b, vt, &vt->columns[i], k);
        }
    for (i = 0; i < vt->nconstraints; i++) {
        const struct m_constraint *k = vt->constraints[i];
        if (k->kind == M_C_REFERENCES
            && (all || b->rebuilt[k->ref_table->index]))
            add_constraint(b, vt, NULL, k);
    }
}

/* Queue ALTER TABLE table RENAME CONSTRAINT for each of the n constraints
 * k that has a name and an index behind it (UNIQUE, PRIMARY KEY). */
static void
rename_indexed(struct builder *b, const char *table,
               const struct m_constraint *const *k, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (k[i]->name == NULL || (k[i]->kind != M_C_UNIQUE
                                   && k[i]->kind != M_C_PRIMARY_KEY))
            continue;
        sb_adds(&b->sb, "ALTER TABLE ");
        ddl_ident_in(&b->sb, b->d, table);
        sb_adds(&b->sb, " RENAME CONSTRAINT ");
        ddl_ident_in(&b->sb, b->d, k[i]->name);
        sb_adds(&b->sb, " TO ");
        ddl_ident_in(&b->sb, b->d, temp_name(b, k[i]->name, "_old"));
        emit(b, &k[i]->pos, NULL);
    }
}

/*
 * Give the named UNIQUE and PRIMARY KEY constraints of a table about to
 * be rebuilt (pt at v - 1, called table now) other names: their indexes
 * take the constraints' names, which PostgreSQL keeps unique across the
 * schema, so the new copy could not take them while the old table
 * stands.
 */
static void
free_index_names(struct builder *b, const struct v_table *pt,
                 const char *table)
{
    size_t j;

    rename_indexed(b, table, pt->constraints, pt->nconstraints);
    for (j = 0; j < pt->ncolumns; j++)
        rename_indexed(b, table, pt->columns[j].constraints,
                       pt->columns[j].nconstraints);
}

/*
 * The rebuilds of the step on PostgreSQL, all tables at once, so that
 * foreign keys between them need no order: the old tables' named UNIQUE
 * and PRIMARY KEY constraints step aside (free_index_names()); each new
 * copy is created without foreign keys and filled (copy_rows()); then
 * every old table is dropped with CASCADE, which takes the keys other
 * tables hold on it (PostgreSQL refuses to drop a referenced table
 * otherwise); then each copy gets its name, its identity sequence moved
 * past the keys copied (an explicit key does not move it), and its
 * indexes; last, every foreign key those drops and copies left out comes
 * back (readd_keys()).
 */
static void
pg_rebuild_tables(struct builder *b)
{
    const struct model *m = b->m;
    const char **tmp = arena_alloc(&b->scratch, (m->ntables + 1)
                                   * sizeof *tmp);
    size_t i;

    if (tmp == NULL) {
        b->failed = 1;
        return;
    }
    for (i = 0; i < m->ntables; i++)
        if (b->rebuilt[i])
            free_index_names(b, before(b, i), after(b, i)->name);
    for (i = 0; i < m->ntables; i++) {
        if (!b->rebuilt[i])
            continue;
        tmp[i] = temp_table_name(b, after(b, i)->name);
        ddl_create_table_bare(&b->sb, b->d, after(b, i), tmp[i]);
        emit(b, &m->tables[i]->pos, NULL);
        copy_rows(b, before(b, i), after(b, i), tmp[i]);
    }
    for (i = 0; i < m->ntables; i++) {
        if (!b->rebuilt[i])
            continue;
        sb_adds(&b->sb, "DROP TABLE ");
        ddl_ident_in(&b->sb, b->d, after(b, i)->name);
        sb_adds(&b->sb, " CASCADE");
        emit(b, &m->tables[i]->pos, NULL);
    }
    for (i = 0; i < m->ntables; i++) {
        const struct v_table *ct = after(b, i);
        if (!b->rebuilt[i])
            continue;
        rename_sql(b, NULL, tmp[i], ct->name, &m->tables[i]->pos);
        if (ct->rowid != NULL) {
            sb_adds(&b->sb, "SELECT setval(");
            ddl_identity_sequence(&b->sb, ct, ct->rowid);
            sb_adds(&b->sb, ", max(");
            ddl_ident_in(&b->sb, b->d, ct->rowid->name);
            sb_adds(&b->sb, ")) FROM ");
            ddl_ident_in(&b->sb, b->d, ct->name);
            emit(b, &m->tables[i]->pos, NULL);
        }
        index_sql(b, NULL, ct);
    }
    for (i = 0; i < b->cur.ntables; i++)
        readd_keys(b, &b->cur.tables[i]);
}

/* ------------------------------------------------------------------ */
/* The steps of a version, in the order history.h gives                */
/* ------------------------------------------------------------------ */

/* 1. Indexes gone at v from tables that stay as they are. */
static void
drop_indexes(struct builder *b)
{
    size_t i, j;

    for (i = 0; i < b->m->ntables; i++) {
        const struct v_table *pt = before(b, i);
        if (!table_altered(b, i))
            continue;
        for (j = 0; j < pt->nindexes; j++) {
            const struct m_index *ix = pt->indexes[j];
            struct pos pos;
            if (has_index(after(b, i), ix))
                continue;
            pos = span_pos(&ix->span, &ix->pos, true);
            sb_adds(&b->sb, "DROP INDEX ");
            ddl_ident_in(&b->sb, b->d, ix->name);
            emit(b, &pos, NULL);
        }
    }
}

/* 2. Tables gone at v.  Dropping a parent with foreign keys on would
 * check (and may refuse) its children's rows, so such a step runs with
 * them off and is checked as a whole. */
static void
drop_tables(struct builder *b)
{
    size_t i;

    for (i = 0; i < b->prev.ntables; i++) {
        const struct v_table *pt = &b->prev.tables[i];
        const struct m_table *t = pt->table;
        struct pos pos;
        if (view_table(&b->cur, t) != NULL)
            continue;
        pos = span_pos(&t->span, &t->pos, true);
        sb_adds(&b->sb, "DROP TABLE ");
        ddl_ident_in(&b->sb, b->d, pt->name);
        /* PostgreSQL drops a referenced table only with the keys on it,
         * which go at v too (history_check()). */
        if (b->d == SQL_POSTGRESQL && is_parent(b, t))
            sb_adds(&b->sb, " CASCADE");
        emit(b, &pos, NULL);
        if (is_parent(b, t) && b->d == SQL_SQLITE)
            b->step->rebuild = true;
    }
}

/* 3. Table renames, rebuilt tables included: a rebuild works on the name
 * at v. */
static void
rename_tables(struct builder *b)
{
    struct rename *r = NULL;
    size_t nr = 0, i;

    for (i = 0; i < b->m->ntables; i++) {
        const struct m_table *t = b->m->tables[i];
        if (!table_kept(b, i)
            || strcmp(before(b, i)->name, after(b, i)->name) == 0)
            continue;
        push_rename(b, &r, &nr, before(b, i)->name, after(b, i)->name,
                    rename_pos(t->renames, t->nrenames, b->v, &t->pos));
    }
    renames(b, NULL, r, nr);
}

/* 4. Column renames in tables not rebuilt (a rebuild maps the names
 * itself). */
static void
rename_columns(struct builder *b)
{
    size_t i, j;

    for (i = 0; i < b->m->ntables; i++) {
        const struct v_table *pt = before(b, i), *ct = after(b, i);
        struct rename *r = NULL;
        size_t nr = 0;
        if (!table_altered(b, i))
            continue;
        for (j = 0; j < ct->ncolumns; j++) {
            const struct v_column *now = &ct->columns[j];
            const struct v_column *was = pt->col_at[now->col->index];
            if (was == NULL || strcmp(was->name, now->name) == 0)
                continue;
            push_rename(b, &r, &nr, was->name, now->name,
                        rename_pos(now->col->renames, now->col->nrenames,
                                   b->v, &now->col->pos));
        }
        renames(b, ct->name, r, nr);
    }
}

/* 5. New tables with their indexes. */
static void
create_tables(struct builder *b)
{
    size_t i;

    for (i = 0; i < b->cur.ntables; i++) {
        const struct v_table *ct = &b->cur.tables[i];
        if (view_table(&b->prev, ct->table) != NULL)
            continue;
        ddl_create_table(&b->sb, b->d, ct);
        emit(b, &ct->table->pos, NULL);
        index_sql(b, NULL, ct);
    }
    /* On PostgreSQL, the keys to tables declared later, once all are
     * there (ddl_added_later()). */
    for (i = 0; i < b->cur.ntables && b->d == SQL_POSTGRESQL; i++)
        if (view_table(&b->prev, b->cur.tables[i].table) == NULL
            && ddl_later_keys(&b->cur.tables[i], b->d, queue_sql, b) != 0)
            b->failed = 1;
}

/* 6. Columns added, then dropped (so a table never runs out of columns),
 * table by table, on tables that are not rebuilt; on PostgreSQL, every
 * change its ALTER TABLE makes (pg_alter_table()). */
static void
alter_columns(struct builder *b)
{
    size_t i, j;

    for (i = 0; i < b->m->ntables; i++) {
        const struct v_table *pt = before(b, i), *ct = after(b, i);
        if (!table_altered(b, i))
            continue;
        if (b->d == SQL_POSTGRESQL) {
            pg_alter_table(b, pt, ct);
            continue;
        }
        for (j = 0; j < ct->ncolumns; j++)
            if (pt->col_at[ct->columns[j].col->index] == NULL)
                add_column(b, ct, &ct->columns[j]);
        for (j = 0; j < pt->ncolumns; j++)
            if (ct->col_at[pt->columns[j].col->index] == NULL)
                drop_column(b, ct, &pt->columns[j]);
    }
}

/* 7. The tables ALTER TABLE cannot change, rebuilt (on PostgreSQL by
 * pg_rebuild_tables(); its DDL is transactional and checks foreign keys
 * itself, so its steps are never marked rebuild). */
static void
rebuild_tables(struct builder *b)
{
    size_t i;

    if (b->d == SQL_POSTGRESQL) {
        pg_rebuild_tables(b);
        return;
    }
    for (i = 0; i < b->m->ntables; i++)
        if (b->rebuilt[i]) {
            rebuild(b, before(b, i), after(b, i));
            b->step->rebuild = true;
        }
}

/* 8. Indexes new at v on tables that were neither created nor rebuilt. */
static void
create_indexes(struct builder *b)
{
    size_t i;

    for (i = 0; i < b->m->ntables; i++)
        if (table_altered(b, i))
            index_sql(b, before(b, i), after(b, i));
}

/* 9. Data steps last, in source order. */
static void
data_steps(struct builder *b)
{
    size_t i;

    for (i = 0; i < b->m->nmigrations; i++) {
        const struct m_migration *mg = &b->m->migrations[i];
        if (mg->version != b->v)
            continue;
        sb_adds(&b->sb, mg->sql);
        emit(b, &mg->pos, mg);
    }
}

/*
 * Record, once, that the PostgreSQL plan cannot drop and create trigger
 * t around the step: PostgreSQL's DROP TRIGGER names the trigger's table
 * and leaves its function, which the schema's PostgreSQL text creates
 * and the model does not name (docs/postgresql.md).
 */
static void
refuse(struct builder *b, const struct m_object *t)
{
    if (b->plan->refusal != NULL)
        return;
    b->plan->refusal = arena_printf(b->a, "trigger '%s': migrations on "
                                    "PostgreSQL do not drop and create "
                                    "triggers (the step to version %d "
                                    "would)", t->name, b->v);
    b->plan->refusal_pos = t->pos;
    if (b->plan->refusal == NULL)
        b->failed = 1;
}

/* Queue the statement that creates trigger or view t, or "DROP TRIGGER
 * name" / "DROP VIEW name" when drop, in b->d's spelling (a trigger on
 * PostgreSQL is refused). */
static void
object_sql(struct builder *b, const struct m_object *t, bool drop)
{
    struct plan_sql *s;

    if (b->d == SQL_POSTGRESQL && !t->is_view) {
        refuse(b, t);
        return;
    }
    if (drop) {
        sb_adds(&b->sb, t->is_view ? "DROP VIEW " : "DROP TRIGGER ");
        ddl_ident_in(&b->sb, b->d, t->name);
    } else {
        const char *sql = ddl_object_sql(b->a, b->d, t);
        if (sql == NULL)
            b->failed = 1;
        else
            sb_adds(&b->sb, sql);
    }
    emit(b, &t->pos, NULL);
    if (!b->failed && (s = &b->step->sql[b->step->nsql - 1]) != NULL)
        s->object = t;
}

/* 10. Triggers and views: when the step does anything, or one comes or
 * goes at v, drop every one of v - 1 (in reverse creation order) before
 * the step's first statement and create every one of v after its last,
 * so no table change of the step meets a trigger or a view (SQLite
 * checks views on every ALTER, and a rebuild drops its table's triggers)
 * and each is made against the schema of v. */
static void
objects(struct builder *b)
{
    const struct model *m = b->m;
    struct plan_sql *body;
    size_t i, nbody = b->step->nsql, n = m_nobjects(m);
    bool moves = false;

    for (i = 0; i < n; i++)
        moves = moves || m_alive(&m_object_at(m, i)->span, b->v - 1)
            != m_alive(&m_object_at(m, i)->span, b->v);
    if (nbody == 0 && !moves)
        return;
    body = b->step->sql;
    b->step->sql = NULL;
    b->step->nsql = 0;
    for (i = n; i-- > 0;)
        if (m_alive(&m_object_at(m, i)->span, b->v - 1))
            object_sql(b, m_object_at(m, i), true);
    for (i = 0; i < nbody; i++) {
        struct plan_sql *s = arena_push(b->a, (void **)&b->step->sql,
                                        &b->step->nsql, sizeof(*s));
        if (s == NULL) {
            b->failed = 1;
            return;
        }
        *s = body[i];
    }
    for (i = 0; i < n; i++)
        if (m_alive(&m_object_at(m, i)->span, b->v))
            object_sql(b, m_object_at(m, i), false);
}

/*
 * Plan the step to b->v into step: resolve the views of v - 1 and v in
 * the scratch arena, decide which tables are rebuilt, then run the named
 * steps in order.  The scratch arena is emptied at the end.
 */
static void
plan_step(struct builder *b, struct plan_step *step)
{
    size_t i;

    assert(b->v >= 2);
    b->step = step;
    if (view_build(&b->scratch, b->m, b->v - 1, &b->prev) != 0
        || view_build(&b->scratch, b->m, b->v, &b->cur) != 0) {
        b->failed = 1;
        arena_free(&b->scratch);
        return;
    }
    for (i = 0; i < b->m->ntables; i++)
        b->rebuilt[i] = table_kept(b, i)
            && (b->d == SQL_POSTGRESQL
                ? pg_needs_rebuild(before(b, i), after(b, i))
                : needs_rebuild(before(b, i), after(b, i)));
    drop_indexes(b);
    drop_tables(b);
    rename_tables(b);
    rename_columns(b);
    create_tables(b);
    alter_columns(b);
    rebuild_tables(b);
    create_indexes(b);
    data_steps(b);
    objects(b);
    if (b->scratch.failed)
        b->failed = 1;
    arena_free(&b->scratch);
}

/* The versions being collected by history_versions(). */
struct versions {
    struct arena *a;
    const struct model *m;
    int *v;
    size_t n;
};

/* Add v to the versions being collected when it is one of m's. */
static void
add_version(struct versions *vs, int v)
{
    int *slot;

    if (v < 1 || v > vs->m->version)
        return;
    slot = arena_push(vs->a, (void **)&vs->v, &vs->n, sizeof(*slot));
    if (slot != NULL)
        *slot = v;
}

/* Add the versions where span starts and ends. */
static void
add_span(struct versions *vs, const struct m_span *span)
{
    add_version(vs, span->since);
    add_version(vs, span->until);
}

/* Add the versions of renames. */
static void
add_renames(struct versions *vs, const struct m_rename *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        add_version(vs, r[i].version);
}

/* qsort order of ints, ascending. */
static int
compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

/* Collect the versions where m can change; see history.h. */
int
history_versions(struct arena *a, const struct model *m, int **out,
                 size_t *nout)
{
    struct versions vs = { a, m, NULL, 0 };
    size_t i, j, k, n = 0;

    add_version(&vs, 1);
    add_version(&vs, m->version);
    for (i = 0; i < m->nmigrations; i++)
        add_version(&vs, m->migrations[i].version);
    for (i = 0; i < m->nenums; i++)
        for (j = 0; j < m->enums[i].nvalues; j++)
            add_span(&vs, &m->enums[i].values[j].span);
    for (i = 0; i < m_nobjects(m); i++)
        add_span(&vs, &m_object_at(m, i)->span);
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        add_span(&vs, &t->span);
        add_renames(&vs, t->renames, t->nrenames);
        for (j = 0; j < t->nconstraints; j++)
            add_span(&vs, &t->constraints[j].span);
        for (j = 0; j < t->nindexes; j++)
            if (!t->indexes[j]->unversioned)
                add_span(&vs, &t->indexes[j]->span);
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            add_span(&vs, &c->span);
            add_renames(&vs, c->renames, c->nrenames);
            for (k = 0; k < c->nconstraints; k++)
                add_span(&vs, &c->constraints[k].span);
        }
    }
    if (vs.n > 0)
        qsort(vs.v, vs.n, sizeof(*vs.v), compare_ints);
    for (i = 0; i < vs.n; i++)
        if (n == 0 || vs.v[i] != vs.v[n - 1])
            vs.v[n++] = vs.v[i];
    *out = vs.v;
    *nout = n;
    return a->failed ? -1 : 0;
}

/* Store in plan->unversioned the statements of m's unversioned indexes
 * in dialect d.  Returns 0, or -1 when memory ran out. */
static int
plan_unversioned(struct arena *a, const struct model *m, enum sql_dialect d,
                 struct plan *plan)
{
    struct arena scratch = { 0, 0 };
    struct strbuf sb = { 0 };
    struct view vw;
    size_t i, j;
    bool any = false;
    int rc;

    /* Most schemas have none: no view of the current version for them. */
    for (i = 0; i < m->ntables && !any; i++)
        for (j = 0; j < m->tables[i]->nindexes && !any; j++)
            any = m->tables[i]->indexes[j]->unversioned;
    if (!any)
        return 0;
    rc = view_build(&scratch, m, m->version, &vw);
    for (i = 0; rc == 0 && i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        for (j = 0; rc == 0 && j < t->nindexes; j++) {
            const struct m_index *ix = t->indexes[j];
            struct plan_index *pi;
            if (!ix->unversioned)
                continue;
            pi = arena_push(a, (void **)&plan->unversioned,
                            &plan->nunversioned, sizeof(*pi));
            if (pi == NULL) {
                rc = -1;
                break;
            }
            pi->index = ix;
            pi->create = NULL;
            /* A retired index is only dropped; its table may be gone. */
            if (!ix->retired) {
                sb_reset(&sb);
                ddl_create_unversioned(&sb, d, vw.table_at[i], ix);
                if ((pi->create = sb.failed ? NULL
                     : arena_strdup(a, sb_str(&sb))) == NULL)
                    rc = -1;
            }
            sb_reset(&sb);
            ddl_drop_unversioned(&sb, d, ix);
            if ((pi->drop = sb.failed ? NULL
                 : arena_strdup(a, sb_str(&sb))) == NULL)
                rc = -1;
            pi->open = pi->create != NULL ? pi->create : pi->drop;
        }
    }
    sb_free(&sb);
    arena_free(&scratch);
    return rc;
}

/* Plan every step and spell every version's DDL; see history.h. */
int
history_plan(struct arena *a, const struct model *m, struct plan *plan)
{
    return history_plan_in(a, m, SQL_SQLITE, plan);
}

/* The same in dialect d; see history.h. */
int
history_plan_in(struct arena *a, const struct model *m, enum sql_dialect d,
                struct plan *plan)
{
    struct builder b;
    struct plan_step step;
    int *versions;
    size_t i;

    memset(plan, 0, sizeof(*plan));
    memset(&b, 0, sizeof(b));
    b.a = a;
    b.m = m;
    b.d = d;
    b.plan = plan;
    b.rebuilt = arena_alloc(a, (m->ntables + 1) * sizeof(*b.rebuilt));
    if (b.rebuilt == NULL)
        return -1;
    if (history_versions(a, m, &versions, &plan->nversions) != 0)
        return -1;
    plan->versions = arena_alloc(a, (plan->nversions + 1)
                                 * sizeof(*plan->versions));
    if (plan->versions == NULL)
        return -1;
    for (i = 0; i < plan->nversions; i++)
        plan->versions[i].version = versions[i];
    for (i = 0; i < plan->nversions && !b.failed; i++) {
        struct plan_ddl *vd = &plan->versions[i];
        struct plan_step *s;
        if (history_ddl(a, m, vd->version, d, &vd->sql, &vd->nsql) != 0)
            b.failed = 1;
        if (vd->version < 2 || b.failed)
            continue;
        memset(&step, 0, sizeof(step));
        step.version = vd->version;
        b.v = vd->version;
        plan_step(&b, &step);
        if (step.nsql == 0)
            continue;
        s = arena_push(a, (void **)&plan->steps, &plan->nsteps, sizeof(*s));
        if (s == NULL)
            b.failed = 1;
        else
            *s = step;
    }
    if (!b.failed && plan_unversioned(a, m, d, plan) != 0)
        b.failed = 1;
    sb_free(&b.sb);
    arena_free(&b.scratch);
    return b.failed || a->failed ? -1 : 0;
}

/* Give plan the step versions of like; see history.h. */
int
history_align(struct arena *a, const struct plan *like, struct plan *plan)
{
    struct plan_step *steps;
    size_t i, k = 0, matched = 0;

    steps = arena_alloc(a, (like->nsteps + 1) * sizeof *steps);
    if (steps == NULL)
        return -1;
    for (i = 0; i < like->nsteps; i++) {
        memset(&steps[i], 0, sizeof steps[i]);
        steps[i].version = like->steps[i].version;
        while (k < plan->nsteps && plan->steps[k].version < steps[i].version)
            k++;
        if (k < plan->nsteps && plan->steps[k].version == steps[i].version) {
            steps[i] = plan->steps[k];
            matched++;
        }
    }
    /* Both plans come from the same diffs: a step only plan has would be
     * a planner bug (history.h). */
    assert(matched == plan->nsteps);
    (void)matched;
    plan->steps = steps;
    plan->nsteps = like->nsteps;
    return 0;
}

/* Check, plan and prove; see history.h. */
int
history_prove(struct arena *a, struct diags *d, const struct model *m,
              struct plan *plan)
{
    memset(plan, 0, sizeof(*plan));
    if (history_check(d, m) != 0 || history_plan(a, m, plan) != 0)
        return -1;
    return history_verify(a, d, m, plan) != 0 ? -1 : 0;
}

/* The current version's DDL: the last of plan->versions. */
const struct plan_ddl *
plan_current(const struct plan *plan)
{
    assert(plan->nversions > 0);
    return &plan->versions[plan->nversions - 1];
}

/* ------------------------------------------------------------------ */
/* The DDL of a version                                                */
/* ------------------------------------------------------------------ */

/* The DDL being collected by history_ddl(). */
struct ddl_list {
    struct arena *a;
    struct plan_sql *sql;
    size_t n;
};

/* Queue one statement of a version's DDL (ddl_each), blamed on its table
 * or index. */
static int
queue_ddl(void *arg, const char *sql, const struct v_table *vt,
          const struct m_index *ix)
{
    struct ddl_list *l = arg;
    struct plan_sql *s = arena_push(l->a, (void **)&l->sql, &l->n,
                                    sizeof(*s));

    if (s == NULL || (s->sql = arena_strdup(l->a, sql)) == NULL)
        return -1;
    s->pos = ix != NULL ? ix->pos : vt->table->pos;
    s->table = vt->table;
    s->index = ix;
    return 0;
}

/* Spell the DDL of version v; see history.h. */
int
history_ddl(struct arena *a, const struct model *m, int v,
            enum sql_dialect d, struct plan_sql **sql, size_t *n)
{
    struct arena scratch = { 0, 0 };
    struct ddl_list l = { a, NULL, 0 };
    struct view vw;
    size_t i;
    int rc;

    rc = view_build(&scratch, m, v, &vw);
    if (rc == 0)
        rc = ddl_each(&vw, d, queue_ddl, &l);
    for (i = 0; rc == 0 && i < m_nobjects(m); i++) {
        const struct m_object *t = m_object_at(m, i);
        struct plan_sql *s;
        if (!m_alive(&t->span, v))
            continue;
        s = arena_push(a, (void **)&l.sql, &l.n, sizeof(*s));
        if (s == NULL || (s->sql = ddl_object_sql(a, d, t)) == NULL)
            rc = -1;
        else {
            s->pos = t->pos;
            s->object = t;
        }
    }
    arena_free(&scratch);
    *sql = l.sql;
    *n = l.n;
    return rc != 0 || a->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* History errors                                                      */
/* ------------------------------------------------------------------ */

/*
 * The first version inside span where inner is not alive, or 0.  Spans
 * are intervals, so it is span's start or inner's end.
 */
static int
first_gap(const struct m_span *span, const struct m_span *inner)
{
    if (span->since < inner->since)
        return span->since;
    if (inner->until != 0 && (span->until == 0 || span->until > inner->until))
        return inner->until;
    return 0;
}

/* Report the foreign key fk of `what` `name` ("column", "a"; "the
 * foreign key of table", "t") when it is alive where its parent table
 * or a parent column is not.  Returns the number of errors. */
static int
check_parent_span(struct diags *d, const char *what, const char *name,
                  const struct m_constraint *fk)
{
    size_t i;
    int v;

    if ((v = first_gap(&fk->span, &fk->ref_table->span)) != 0) {
        diag_error(d, &fk->pos, "%s '%s' references table '%s' at version "
                   "%d, where it does not exist", what, name,
                   fk->ref_table->name, v);
        return 1;
    }
    for (i = 0; i < fk->nref_columns; i++)
        if ((v = first_gap(&fk->span, &fk->ref_columns[i]->span)) != 0) {
            diag_error(d, &fk->pos, "%s '%s' references column '%s.%s' at "
                       "version %d, where it does not exist", what, name,
                       fk->ref_table->name, fk->ref_columns[i]->name, v);
            return 1;
        }
    return 0;
}

/* Report foreign keys alive where their parent is not; see history.h. */
int
history_check(struct diags *d, const struct model *m)
{
    int errors = 0;
    size_t i, j, k;

    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            for (k = 0; k < c->nconstraints; k++)
                if (c->constraints[k].kind == M_C_REFERENCES)
                    errors += check_parent_span(d, "column", c->name,
                                                &c->constraints[k]);
        }
        for (k = 0; k < t->nconstraints; k++)
            if (t->constraints[k].kind == M_C_REFERENCES)
                errors += check_parent_span(d, "the foreign key of table",
                                            t->name, &t->constraints[k]);
    }
    return errors;
}
