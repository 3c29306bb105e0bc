/*
 * history.c - the migration planner: from each element's since, until and
 * renames, the SQL of every version step, with SQLite's table rebuild
 * where ALTER TABLE cannot make the change; the DDL of any version; and
 * the history errors only a whole-schema view can see.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "strbuf.h"

/* One version step being planned. */
struct builder {
    struct arena *a;
    const struct model *m;
    int v;                      /* the step goes from v - 1 to v */
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

/* True when span covers both v - 1 and v. */
static bool
kept(const struct m_span *span, int v)
{
    return m_alive(span, v - 1) && m_alive(span, v);
}

/* True when span covers exactly one of v - 1 and v. */
static bool
changes(const struct m_span *span, int v)
{
    return m_alive(span, v - 1) != m_alive(span, v);
}

/* Where an element's since (gone false) or until (gone true) was
 * written, else where the element was. */
static struct pos
span_pos(const struct m_span *span, const struct pos *pos, bool gone)
{
    const struct pos *p = gone ? &span->until_pos : &span->since_pos;

    return p->line != 0 ? *p : *pos;
}

/* The constraint of kind k on c alive at v, or NULL. */
static const struct m_constraint *
constraint_at(const struct m_column *c, enum m_ckind k, int v)
{
    size_t i;

    for (i = 0; i < c->nconstraints; i++)
        if (c->constraints[i].kind == k
            && m_alive(&c->constraints[i].span, v))
            return &c->constraints[i];
    return NULL;
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
    size_t i, j, k;

    for (i = 0; i < b->m->ntables; i++) {
        const struct m_table *t = b->m->tables[i];
        for (k = 0; k < 2; k++) {
            int v = b->v - (int)k;
            if (m_alive(&t->span, v)
                && strcasecmp(m_table_name_at(t, v), name) == 0)
                return true;
        }
        for (j = 0; j < t->nindexes; j++)
            if ((m_alive(&t->indexes[j]->span, b->v - 1)
                 || m_alive(&t->indexes[j]->span, b->v))
                && strcasecmp(t->indexes[j]->name, name) == 0)
                return true;
    }
    return false;
}

/* A name for the new copy of a rebuilt table called name: name_new, with
 * more "_new" while that is taken.  Lives in b->a. */
static const char *
temp_table_name(struct builder *b, const char *name)
{
    const char *tmp = arena_printf(b->a, "%s_new", name);

    while (tmp != NULL && name_taken(b, tmp))
        tmp = arena_printf(b->a, "%s_new", tmp);
    if (tmp == NULL)
        b->failed = 1;
    return tmp != NULL ? tmp : name;
}

/* ------------------------------------------------------------------ */
/* What ALTER TABLE can do                                             */
/* ------------------------------------------------------------------ */

/* True when some CHECK or partial index of t alive at v could name a
 * column (we do not parse them, so any one counts). */
static bool
has_expressions(const struct m_table *t, int v)
{
    size_t i;

    for (i = 0; i < t->nconstraints; i++)
        if (t->constraints[i].kind == M_C_CHECK
            && m_alive(&t->constraints[i].span, v))
            return true;
    for (i = 0; i < t->ncolumns; i++)
        if (m_alive(&t->columns[i]->span, v)
            && constraint_at(t->columns[i], M_C_CHECK, v) != NULL)
            return true;
    for (i = 0; i < t->nindexes; i++)
        if (t->indexes[i]->where != NULL
            && m_alive(&t->indexes[i]->span, v))
            return true;
    return false;
}

/* True when some other column of t is called name at v - 1 and is
 * dropped at v, or renamed away from it at v. */
static bool
name_freed_at(const struct m_table *t, const struct m_column *c,
              const char *name, int v)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *o = t->columns[i];
        if (o == c || !m_alive(&o->span, v - 1)
            || strcasecmp(m_column_name_at(o, v - 1), name) != 0)
            continue;
        if (!m_alive(&o->span, v)
            || strcasecmp(m_column_name_at(o, v), name) != 0)
            return true;
    }
    return false;
}

/*
 * True when column number i of t, new at v in a table that existed at
 * v - 1, can be added by ALTER TABLE ADD COLUMN: it lands after every
 * column kept from v - 1 (ADD COLUMN appends), has no PRIMARY KEY or
 * UNIQUE, a constant default (not CURRENT_TIMESTAMP), a default when it
 * is NOT NULL, none when it REFERENCES, and a name no column frees in
 * this step (ADD runs before DROP).
 */
static bool
can_add(const struct m_table *t, size_t i, int v)
{
    const struct m_column *c = t->columns[i];
    const char *def = ddl_default(c, v);
    size_t j;

    for (j = i + 1; j < t->ncolumns; j++)
        if (kept(&t->columns[j]->span, v))
            return false;
    if (ddl_is_key(t, c, v) || constraint_at(c, M_C_UNIQUE, v) != NULL)
        return false;
    if (def != NULL && strcasecmp(def, "CURRENT_TIMESTAMP") == 0)
        return false;
    if (ddl_is_not_null(c, v) && def == NULL)
        return false;
    if (constraint_at(c, M_C_REFERENCES, v) != NULL && def != NULL)
        return false;
    return !name_freed_at(t, c, m_column_name_at(c, v), v);
}

/* True when some column of t is renamed at v onto name. */
static bool
renamed_onto(const struct m_table *t, const char *name, int v)
{
    size_t i;

    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *o = t->columns[i];
        if (kept(&o->span, v)
            && strcasecmp(m_column_name_at(o, v - 1),
                          m_column_name_at(o, v)) != 0
            && strcasecmp(m_column_name_at(o, v), name) == 0)
            return true;
    }
    return false;
}

/*
 * True when column c of t, gone at v from a table that stays, can be
 * removed by ALTER TABLE DROP COLUMN: SQLite refuses key, UNIQUE and
 * foreign key columns and columns a CHECK or partial index names, and
 * a rename onto its name would run first.
 */
static bool
can_drop(const struct m_table *t, const struct m_column *c, int v)
{
    size_t i, j;

    if (ddl_is_key(t, c, v - 1) || constraint_at(c, M_C_UNIQUE, v - 1)
        || constraint_at(c, M_C_REFERENCES, v - 1))
        return false;
    for (i = 0; i < t->nconstraints; i++)
        if (m_alive(&t->constraints[i].span, v - 1))
            for (j = 0; j < t->constraints[i].ncolumns; j++)
                if (t->constraints[i].columns[j] == c)
                    return false;
    if (has_expressions(t, v - 1))
        return false;
    return !renamed_onto(t, m_column_name_at(c, v - 1), v);
}

/*
 * True when table t, alive at v - 1 and v, must be rebuilt at v: a
 * constraint of a kept column or of the table appears or goes, or a
 * column is added or dropped in a way ALTER TABLE cannot.
 */
static bool
needs_rebuild(const struct m_table *t, int v)
{
    size_t i, j;

    for (i = 0; i < t->nconstraints; i++)
        if (changes(&t->constraints[i].span, v))
            return true;
    for (i = 0; i < t->ncolumns; i++) {
        const struct m_column *c = t->columns[i];
        if (kept(&c->span, v)) {
            for (j = 0; j < c->nconstraints; j++)
                if (changes(&c->constraints[j].span, v))
                    return true;
        } else if (c->span.since == v && !can_add(t, i, v)) {
            return true;
        } else if (c->span.until == v && !can_drop(t, c, v)) {
            return true;
        }
    }
    return false;
}

/* True when a table other than t alive at v - 1 has a foreign key on t
 * alive at v - 1. */
static bool
is_parent(const struct model *m, const struct m_table *t, int v)
{
    size_t i, j, k;

    for (i = 0; i < m->ntables; i++) {
        const struct m_table *o = m->tables[i];
        if (o == t || !m_alive(&o->span, v - 1))
            continue;
        for (j = 0; j < o->ncolumns; j++)
            for (k = 0; k < o->columns[j]->nconstraints; k++) {
                const struct m_constraint *fk = &o->columns[j]->constraints[k];
                if (fk->kind == M_C_REFERENCES && fk->ref_table == t
                    && m_alive(&fk->span, v - 1))
                    return true;
            }
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
        ddl_ident(&b->sb, table);
        sb_adds(&b->sb, " RENAME COLUMN ");
    }
    ddl_ident(&b->sb, from);
    sb_adds(&b->sb, table != NULL ? " TO " : " RENAME TO ");
    ddl_ident(&b->sb, to);
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
        const char *tmp = swap ? arena_printf(b->a, "%s_renaming", r[i].to)
            : r[i].to;
        if (tmp == NULL) {
            b->failed = 1;
            return;
        }
        rename_sql(b, table, r[i].from, tmp, &r[i].pos);
    }
    for (i = 0; swap && i < n; i++) {
        const char *tmp = arena_printf(b->a, "%s_renaming", r[i].to);
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
    struct rename *x = arena_push(b->a, (void **)r, n, sizeof(**r));

    if (x == NULL) {
        b->failed = 1;
        return;
    }
    x->from = from;
    x->to = to;
    x->pos = pos;
}

/* Emit CREATE INDEX for every index of t alive at v and, when only_new,
 * not at v - 1. */
static void
create_indexes(struct builder *b, const struct m_table *t, bool only_new)
{
    size_t i;

    for (i = 0; i < t->nindexes; i++) {
        const struct m_index *ix = t->indexes[i];
        if (!m_alive(&ix->span, b->v)
            || (only_new && m_alive(&ix->span, b->v - 1)))
            continue;
        ddl_create_index(&b->sb, b->m, ix, b->v);
        emit(b, &ix->pos, NULL);
    }
}

/*
 * Rebuild t (already under its name at v) the way SQLite documents for
 * changes ALTER TABLE cannot make: create the version-v table under a
 * new name, copy the columns kept from v - 1 (old names to new), drop
 * the old table, give the new one its name, create its indexes of v.
 */
static void
rebuild(struct builder *b, const struct m_table *t)
{
    const char *name = m_table_name_at(t, b->v);
    const char *tmp = temp_table_name(b, name);
    struct strbuf *sb = &b->sb;
    bool first = true;
    size_t i, pass;

    ddl_create_table_as(sb, b->m, t, b->v, tmp);
    emit(b, &t->pos, NULL);
    for (pass = 0; pass < 2; pass++) {
        if (pass == 0) {
            sb_adds(sb, "INSERT INTO ");
            ddl_ident(sb, tmp);
            sb_adds(sb, " (");
        } else {
            sb_adds(sb, ") SELECT ");
        }
        first = true;
        for (i = 0; i < t->ncolumns; i++) {
            const struct m_column *c = t->columns[i];
            if (!kept(&c->span, b->v))
                continue;
            if (!first)
                sb_adds(sb, ", ");
            ddl_ident(sb, m_column_name_at(c, b->v - (int)pass));
            first = false;
        }
    }
    sb_adds(sb, " FROM ");
    ddl_ident(sb, name);
    if (first)
        sb_reset(sb);           /* no column survives: nothing to copy */
    else
        emit(b, &t->pos, NULL);
    sb_adds(sb, "DROP TABLE ");
    ddl_ident(sb, name);
    emit(b, &t->pos, NULL);
    rename_sql(b, NULL, tmp, name, &t->pos);
    create_indexes(b, t, false);
}

/* ------------------------------------------------------------------ */
/* One step                                                            */
/* ------------------------------------------------------------------ */

/* Plan the operations of the step to b->v into b->step (see
 * history_plan() for their order). */
static void
plan_step(struct builder *b, bool *rebuilt)
{
    const struct model *m = b->m;
    struct rename *r = NULL;
    size_t nr = 0, i, j;
    int v = b->v;

    for (i = 0; i < m->ntables; i++)
        rebuilt[i] = kept(&m->tables[i]->span, v)
            && needs_rebuild(m->tables[i], v);

    /* Indexes gone at v from tables that stay as they are. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (!kept(&t->span, v) || rebuilt[i])
            continue;
        for (j = 0; j < t->nindexes; j++) {
            const struct m_index *ix = t->indexes[j];
            if (m_alive(&ix->span, v - 1) && !m_alive(&ix->span, v)) {
                struct pos pos = span_pos(&ix->span, &ix->pos, true);
                sb_adds(&b->sb, "DROP INDEX ");
                ddl_ident(&b->sb, ix->name);
                emit(b, &pos, NULL);
            }
        }
    }
    /* Tables gone at v.  Dropping a parent with foreign keys on would
     * check (and may refuse) its children's rows, so such a step runs
     * with them off and is checked as a whole. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (m_alive(&t->span, v - 1) && !m_alive(&t->span, v)) {
            struct pos pos = span_pos(&t->span, &t->pos, true);
            sb_adds(&b->sb, "DROP TABLE ");
            ddl_ident(&b->sb, m_table_name_at(t, v - 1));
            emit(b, &pos, NULL);
            if (is_parent(m, t, v))
                b->step->rebuild = true;
        }
    }
    /* Table renames, rebuilt tables included: a rebuild works on the
     * name at v. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        const char *from, *to;
        if (!kept(&t->span, v))
            continue;
        from = m_table_name_at(t, v - 1);
        to = m_table_name_at(t, v);
        if (strcmp(from, to) != 0)
            push_rename(b, &r, &nr, from, to,
                        rename_pos(t->renames, t->nrenames, v, &t->pos));
    }
    renames(b, NULL, r, nr);
    /* Column renames; a rebuild maps the names itself. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (!kept(&t->span, v) || rebuilt[i])
            continue;
        r = NULL;
        nr = 0;
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            const char *from, *to;
            if (!kept(&c->span, v))
                continue;
            from = m_column_name_at(c, v - 1);
            to = m_column_name_at(c, v);
            if (strcmp(from, to) != 0)
                push_rename(b, &r, &nr, from, to,
                            rename_pos(c->renames, c->nrenames, v, &c->pos));
        }
        renames(b, m_table_name_at(t, v), r, nr);
    }
    /* New tables with their indexes. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (m_alive(&t->span, v) && !m_alive(&t->span, v - 1)) {
            ddl_create_table(&b->sb, m, t, v);
            emit(b, &t->pos, NULL);
            create_indexes(b, t, false);
        }
    }
    /* Columns added, then dropped (so a table never runs out of
     * columns), on tables that are not rebuilt. */
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        if (!kept(&t->span, v) || rebuilt[i])
            continue;
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            if (m_alive(&c->span, v) && !m_alive(&c->span, v - 1)) {
                sb_adds(&b->sb, "ALTER TABLE ");
                ddl_ident(&b->sb, m_table_name_at(t, v));
                sb_adds(&b->sb, " ADD COLUMN ");
                ddl_column_def(&b->sb, c, v);
                emit(b, &c->pos, NULL);
            }
        }
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            if (m_alive(&c->span, v - 1) && !m_alive(&c->span, v)) {
                struct pos pos = span_pos(&c->span, &c->pos, true);
                sb_adds(&b->sb, "ALTER TABLE ");
                ddl_ident(&b->sb, m_table_name_at(t, v));
                sb_adds(&b->sb, " DROP COLUMN ");
                ddl_ident(&b->sb, m_column_name_at(c, v - 1));
                emit(b, &pos, NULL);
            }
        }
    }
    for (i = 0; i < m->ntables; i++)
        if (rebuilt[i]) {
            rebuild(b, m->tables[i]);
            b->step->rebuild = true;
        }
    /* Indexes new at v on tables that were neither created nor rebuilt. */
    for (i = 0; i < m->ntables; i++)
        if (kept(&m->tables[i]->span, v) && !rebuilt[i])
            create_indexes(b, m->tables[i], true);
    /* Data steps last, in source order. */
    for (i = 0; i < m->nmigrations; i++) {
        const struct m_migration *mg = &m->migrations[i];
        if (mg->version != v)
            continue;
        sb_adds(&b->sb, mg->sql);
        emit(b, &mg->pos, mg);
    }
}

/* Add v to the versions being collected when it is one of m's. */
static void
add_version(struct arena *a, const struct model *m, struct plan *plan,
            int v)
{
    int *slot;

    if (v < 1 || v > m->version)
        return;
    slot = arena_push(a, (void **)&plan->versions, &plan->nversions,
                      sizeof(*slot));
    if (slot != NULL)
        *slot = v;
}

/* Add the versions where span starts and ends. */
static void
add_span(struct arena *a, const struct model *m, struct plan *plan,
         const struct m_span *span)
{
    add_version(a, m, plan, span->since);
    add_version(a, m, plan, span->until);
}

/* Add the versions of renames. */
static void
add_renames(struct arena *a, const struct model *m, struct plan *plan,
            const struct m_rename *r, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        add_version(a, m, plan, r[i].version);
}

/* qsort order of ints, ascending. */
static int
compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

/*
 * Collect into plan->versions, ascending and without repeats, every
 * version at which m's schema can differ from the version before it.
 */
static void
collect_versions(struct arena *a, const struct model *m, struct plan *plan)
{
    size_t i, j, k, n = 0;

    add_version(a, m, plan, 1);
    add_version(a, m, plan, m->version);
    for (i = 0; i < m->nmigrations; i++)
        add_version(a, m, plan, m->migrations[i].version);
    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        add_span(a, m, plan, &t->span);
        add_renames(a, m, plan, t->renames, t->nrenames);
        for (j = 0; j < t->nconstraints; j++)
            add_span(a, m, plan, &t->constraints[j].span);
        for (j = 0; j < t->nindexes; j++)
            add_span(a, m, plan, &t->indexes[j]->span);
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            add_span(a, m, plan, &c->span);
            add_renames(a, m, plan, c->renames, c->nrenames);
            for (k = 0; k < c->nconstraints; k++)
                add_span(a, m, plan, &c->constraints[k].span);
        }
    }
    if (plan->nversions == 0)
        return;
    qsort(plan->versions, plan->nversions, sizeof(int), compare_ints);
    for (i = 0; i < plan->nversions; i++)
        if (n == 0 || plan->versions[i] != plan->versions[n - 1])
            plan->versions[n++] = plan->versions[i];
    plan->nversions = n;
}

/* Plan every step; see history.h. */
int
history_plan(struct arena *a, const struct model *m, struct plan *plan)
{
    struct builder b;
    bool *rebuilt = arena_alloc(a, (m->ntables + 1) * sizeof(*rebuilt));
    struct plan_step step;
    size_t i;

    memset(plan, 0, sizeof(*plan));
    memset(&b, 0, sizeof(b));
    b.a = a;
    b.m = m;
    if (rebuilt == NULL)
        return -1;
    collect_versions(a, m, plan);
    for (i = 0; i < plan->nversions && !b.failed; i++) {
        struct plan_step *s;
        int v = plan->versions[i];
        if (v < 2)
            continue;
        memset(&step, 0, sizeof(step));
        step.version = v;
        b.v = v;
        b.step = &step;
        plan_step(&b, rebuilt);
        if (step.nsql == 0)
            continue;
        s = arena_push(a, (void **)&plan->steps, &plan->nsteps, sizeof(*s));
        if (s == NULL)
            b.failed = 1;
        else
            *s = step;
    }
    sb_free(&b.sb);
    return b.failed || a->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The DDL of a version                                                */
/* ------------------------------------------------------------------ */

/* Queue one statement of a version's DDL (ddl_each), blamed on its table
 * or index. */
static int
queue_ddl(void *arg, const char *sql, const struct m_table *t,
          const struct m_index *ix)
{
    struct builder *b = arg;

    sb_adds(&b->sb, sql);
    emit(b, ix != NULL ? &ix->pos : &t->pos, NULL);
    return b->failed;
}

/* Spell the DDL of version v; see history.h. */
int
history_ddl(struct arena *a, const struct model *m, int v,
            struct plan_sql **sql, size_t *n)
{
    struct plan_step step;
    struct builder b;
    int rc;

    memset(&step, 0, sizeof(step));
    memset(&b, 0, sizeof(b));
    b.a = a;
    b.m = m;
    b.v = v;
    b.step = &step;
    rc = ddl_each(m, v, queue_ddl, &b);
    sb_free(&b.sb);
    *sql = step.sql;
    *n = step.nsql;
    return rc != 0 || b.failed || a->failed ? -1 : 0;
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

/* Report foreign keys alive where their parent is not; see history.h. */
int
history_check(struct diags *d, const struct model *m)
{
    int errors = 0, v;
    size_t i, j, k;

    for (i = 0; i < m->ntables; i++) {
        const struct m_table *t = m->tables[i];
        for (j = 0; j < t->ncolumns; j++) {
            const struct m_column *c = t->columns[j];
            for (k = 0; k < c->nconstraints; k++) {
                const struct m_constraint *fk = &c->constraints[k];
                if (fk->kind != M_C_REFERENCES || fk->ref_column == NULL)
                    continue;
                if ((v = first_gap(&fk->span, &fk->ref_table->span)) != 0) {
                    diag_error(d, &fk->pos, "column '%s' references table "
                               "'%s' at version %d, where it does not "
                               "exist", c->name, fk->ref_table->name, v);
                    errors++;
                } else if ((v = first_gap(&fk->span,
                                          &fk->ref_column->span)) != 0) {
                    diag_error(d, &fk->pos, "column '%s' references column "
                               "'%s.%s' at version %d, where it does not "
                               "exist", c->name, fk->ref_table->name,
                               fk->ref_column->name, v);
                    errors++;
                }
            }
        }
    }
    return errors;
}
