/*
 * verify.c - proof of the migration plan before anything is generated:
 * every version's DDL and data steps run in in-memory SQLite databases,
 * and a database migrated from each older version must equal a new one
 * of the current version, table by table.
 */
#include "history.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "lexer.h"
#include "sample.h"
#include "sqlmem.h"
#include "strbuf.h"
#include "view.h"

/* One fact about a database's shape, owned by the table it is about. */
struct fact {
    const char *table;
    const char *text;
};

/* A database's shape: facts sorted by table, then in a fixed order. */
struct shape {
    struct fact *facts;
    size_t nfacts;
};

/* What a run of verification shares. */
struct verifier {
    struct arena *a;
    struct diags *d;
    const struct model *m;
    const struct plan *plan;
    int errors;
};

/* ------------------------------------------------------------------ */
/* Running SQL                                                         */
/* ------------------------------------------------------------------ */

/*
 * Run every statement of sql on db, stepping each to its end.  Returns
 * SQLITE_OK, or SQLite's code with the error's byte offset into sql in
 * *offset (-1 when SQLite names none).
 */
static int
run(sqlite3 *db, const char *sql, int *offset)
{
    const char *tail = sql;
    int rc = SQLITE_OK;

    *offset = -1;
    while (rc == SQLITE_OK && *tail != '\0') {
        sqlite3_stmt *st = NULL;
        const char *at = tail;
        rc = sqlite3_prepare_v2(db, at, -1, &st, &tail);
        if (rc != SQLITE_OK) {
#if SQLITE_VERSION_NUMBER >= 3038000
            int off = sqlite3_error_offset(db);
            if (off >= 0)
                *offset = (int)(at - sql) + off;
#endif
            break;
        }
        if (st == NULL)         /* white space or a comment */
            continue;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        sqlite3_finalize(st);
    }
    return rc;
}

/* Where byte offset of a data step's SQL is in the schema file (its
 * first byte for an unknown offset, -1). */
static struct pos
data_pos(const struct m_migration *mg, int offset)
{
    if (offset < 0)
        return mg->sql_pos;
    return lex_string_pos(mg->sql_pos, mg->sql_body, mg->sql_body_len,
                          (size_t)offset);
}

/* The plan's DDL of version v, one of the versions it lists. */
static const struct plan_ddl *
version_ddl(const struct verifier *vf, int v)
{
    size_t lo = 0, hi = vf->plan->nversions;

    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vf->plan->versions[mid].version <= v)
            lo = mid;
        else
            hi = mid;
    }
    assert(hi > lo && vf->plan->versions[lo].version == v);
    return &vf->plan->versions[lo];
}

/*
 * Where to report SQLite's refusal of statement s of version v's DDL at
 * byte offset of its text: for a CREATE TABLE, the column whose
 * definition holds the byte (a generated column's expression or a check
 * naming what is not there); a trigger's error points into its text;
 * else where s says.
 */
static struct pos
ddl_error_pos(const struct verifier *vf, const struct plan_sql *s,
              int offset, int v)
{
    const struct m_object *t = s->object;
    struct arena scratch = { 0, 0 };
    struct strbuf def = { 0 };
    struct pos pos = s->pos;
    const struct v_table *vt;
    const char *from = s->sql, *at;
    struct view vw;
    size_t i;

    if (t != NULL && !t->is_view && offset >= 0)
        return lex_string_pos(t->sql_pos, t->sql_body, t->sql_body_len,
                              (size_t)offset);
    if (t != NULL || s->index != NULL || s->table == NULL || offset < 0
        || view_build(&scratch, vf->m, v, &vw) != 0
        || (vt = view_table(&vw, s->table)) == NULL) {
        arena_free(&scratch);
        return pos;
    }
    for (i = 0; i < vt->ncolumns; i++) {
        sb_reset(&def);
        ddl_column_def(&def, SQL_SQLITE, vt, &vt->columns[i]);
        if (def.failed || (at = strstr(from, sb_str(&def))) == NULL)
            break;
        from = at + def.len;
        if (offset >= at - s->sql && offset < from - s->sql) {
            pos = vt->columns[i].col->pos;
            break;
        }
    }
    sb_free(&def);
    arena_free(&scratch);
    return pos;
}

/* Report view w unless its SELECT runs in db, which holds version v:
 * SQLite accepts any CREATE VIEW and finds unknown names only when the
 * view is used.  Returns 0, or -1 after reporting. */
static int
check_view(struct verifier *vf, sqlite3 *db, const struct m_object *w,
           int v)
{
    struct strbuf sb = { 0 };
    sqlite3_stmt *st = NULL;
    int rc = 0;

    sb_adds(&sb, "SELECT * FROM ");
    ddl_ident(&sb, w->name);
    if (sb.failed)
        rc = -1;
    else if (sqlite3_prepare_v2(db, sb_str(&sb), -1, &st, NULL)
             != SQLITE_OK) {
        diag_error(vf->d, &w->sql_pos, "view '%s' does not work at version "
                   "%d: %s", w->name, v, sqlite3_errmsg(db));
        vf->errors++;
        rc = -1;
    }
    sqlite3_finalize(st);
    sb_free(&sb);
    return rc;
}

/* Create version v of the schema in db from the plan's DDL and check its
 * views.  Returns 0, or -1 after reporting the statement that failed. */
static int
create_version(struct verifier *vf, sqlite3 *db, int v)
{
    const struct plan_ddl *ddl = version_ddl(vf, v);
    const struct plan_sql *sql = ddl->sql;
    size_t n = ddl->nsql, i;
    int offset;

    /* One transaction: SQLite then reloads its schema once, not once per
     * statement, which keeps large schemas linear. */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (i = 0; i < n; i++)
        if (run(db, sql[i].sql, &offset) != SQLITE_OK) {
            struct pos pos = ddl_error_pos(vf, &sql[i], offset, v);
            diag_error(vf->d, &pos, "the schema of version %d "
                       "cannot be created: %s", v, sqlite3_errmsg(db));
            vf->errors++;
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    for (i = 0; i < n; i++)
        if (sql[i].object != NULL && sql[i].object->is_view
            && check_view(vf, db, sql[i].object, v) != 0)
            return -1;
    return 0;
}

/* Tables per database when a version is only checked to be creatable. */
#define CHECK_CHUNK 64

/*
 * Check that version v of the schema can be created, in fresh in-memory
 * databases of at most CHECK_CHUNK tables each (a table stays with its
 * indexes).  SQLite's cost for each CREATE grows with the tables already
 * there, so one database for everything is quadratic; creating a table
 * needs nothing of the others.  Returns 0, or -1 after reporting.
 */
static int
check_creatable(struct verifier *vf, const struct plan_ddl *ddl)
{
    const struct plan_sql *sql = ddl->sql;
    sqlite3 *db = NULL;
    size_t n = ddl->nsql, i, ntables = 0;
    int offset, rc = 0, v = ddl->version;

    bool objects = false;

    for (i = 0; i < n && rc == 0; i++) {
        /* A trigger or view may name any table: checked below, with them
         * all. */
        if (sql[i].object != NULL) {
            objects = true;
            continue;
        }
        if (strncmp(sql[i].sql, "CREATE TABLE", 12) == 0
            && ntables++ % CHECK_CHUNK == 0) {
            sqlite3_close(db);
            if ((db = sqlmem_open()) == NULL)
                return -1;
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        }
        if (db != NULL && run(db, sql[i].sql, &offset) != SQLITE_OK) {
            struct pos pos = ddl_error_pos(vf, &sql[i], offset, v);
            diag_error(vf->d, &pos, "the schema of version %d "
                       "cannot be created: %s", v, sqlite3_errmsg(db));
            vf->errors++;
            rc = -1;
        }
    }
    sqlite3_close(db);
    if (rc == 0 && objects) {
        if ((db = sqlmem_open()) == NULL)
            return -1;
        rc = create_version(vf, db, v);
        sqlite3_close(db);
    }
    return rc;
}

/* Why a step of the plan failed, for the caller's message. */
struct failure {
    const struct plan_step *step;
    const struct plan_sql *sql; /* the statement that failed, or NULL when
                                   foreign_key_check found a row */
    int offset;                 /* into sql->sql, or -1 */
    const char *msg;            /* SQLite's message; for a foreign key,
                                   the table holding the row */
    const char *parent;         /* for a foreign key, the table it names */
    bool commit;                /* the COMMIT failed (a deferred foreign
                                   key); sql is NULL */
};

/* A copy of s in vf's arena ("" when s is NULL or memory ran out). */
static const char *
keep(struct verifier *vf, const char *s)
{
    const char *copy = arena_strdup(vf->a, s != NULL ? s : "");

    return copy != NULL ? copy : "";
}

/* Run one step of the plan as the runtime does: foreign keys off around
 * a rebuild, one transaction, foreign_key_check before the commit.
 * Returns 0, or -1 with what failed in *f (the step is rolled back). */
static int
run_step(struct verifier *vf, sqlite3 *db, const struct plan_step *s,
         struct failure *f)
{
    sqlite3_stmt *st = NULL;
    size_t i;
    int offset, rc = 0;

    memset(f, 0, sizeof(*f));
    f->step = s;
    f->offset = -1;
    if (s->rebuild)
        sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (i = 0; i < s->nsql && rc == 0; i++)
        if (run(db, s->sql[i].sql, &offset) != SQLITE_OK) {
            f->sql = &s->sql[i];
            f->offset = offset;
            f->msg = keep(vf, sqlite3_errmsg(db));
            rc = -1;
        }
    if (rc == 0 && s->rebuild
        && sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
                              NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW) {
        f->msg = keep(vf, (const char *)sqlite3_column_text(st, 0));
        f->parent = keep(vf, (const char *)sqlite3_column_text(st, 2));
        rc = -1;
    }
    sqlite3_finalize(st);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        f->msg = keep(vf, sqlite3_errmsg(db));
        f->commit = true;
        rc = -1;
    }
    if (rc != 0)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (s->rebuild)
        sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

/* Where to report a step s whose COMMIT failed: its last data step (a
 * deferred foreign key is checked there, and data steps are what write
 * rows), else the schema header. */
static struct pos
commit_pos(const struct verifier *vf, const struct plan_step *s)
{
    size_t i;

    for (i = s->nsql; i > 0; i--)
        if (s->sql[i - 1].data != NULL)
            return s->sql[i - 1].data->pos;
    return vf->m->pos;
}

/* Report step failure f of a database migrated from version from. */
static void
report_failure(struct verifier *vf, const struct failure *f, int from)
{
    if (f->sql != NULL) {
        const struct m_migration *mg = f->sql->data;
        struct pos pos = mg ? data_pos(mg, f->offset) : f->sql->pos;
        diag_error(vf->d, &pos, "migrating a version %d database: the "
                   "step to version %d fails: %s", from, f->step->version,
                   f->msg);
    } else if (f->commit) {
        struct pos pos = commit_pos(vf, f->step);
        diag_error(vf->d, &pos, "migrating a version %d database: "
                   "the step to version %d fails at its commit: %s", from,
                   f->step->version, f->msg);
    } else {
        diag_error(vf->d, &vf->m->pos, "migrating a version %d database: "
                   "the step to version %d breaks a foreign key of table "
                   "'%s'", from, f->step->version, f->msg);
    }
    vf->errors++;
}

/* ------------------------------------------------------------------ */
/* Shapes                                                              */
/* ------------------------------------------------------------------ */

/* True for a byte of a plain identifier or number. */
static bool
is_word(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
        || (ch >= '0' && ch <= '9') || ch == '_';
}

/*
 * Append sql to out with the differences ALTER TABLE leaves removed:
 * white space only where two words meet (one space), and identifiers in
 * quotes ("x", `x`, [x]) written the way ddl_ident() writes them.
 * String literals are kept as they are.
 */
static void
normalize(struct strbuf *out, const char *sql)
{
    struct strbuf id = { 0 };
    const char *p = sql, *q;
    bool word_before = false, space = false;

    while (*p != '\0') {
        bool word = true;
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = true;
            p++;
            continue;
        }
        if (word_before && space && (is_word(*p) || *p == '\''
                                     || *p == '"' || *p == '`'
                                     || *p == '['))
            sb_adds(out, " ");
        if (*p == '\'') {
            for (q = p + 1; *q != '\0'; q++)
                if (*q == '\'' && *++q != '\'')
                    break;
            sb_addn(out, p, (size_t)(q - p));
            p = q;
        } else if (*p == '"' || *p == '`' || *p == '[') {
            char close = *p == '[' ? ']' : *p;
            sb_reset(&id);
            for (p++; *p != '\0'; p++) {
                if (*p == close && close != ']' && p[1] == close)
                    p++;
                else if (*p == close)
                    break;
                sb_addn(&id, p, 1);
            }
            if (*p != '\0')
                p++;
            ddl_ident(out, sb_str(&id));
        } else if (is_word(*p)) {
            for (q = p; is_word(*q); q++)
                ;
            sb_addn(out, p, (size_t)(q - p));
            p = q;
        } else {
            sb_addn(out, p++, 1);
            word = false;
        }
        word_before = word;
        space = false;
    }
    sb_free(&id);
}

/* Append a fact about table to s.  Returns 0, or -1 out of memory. */
static int
add_fact(struct verifier *vf, struct shape *s, const char *table,
         const struct strbuf *text)
{
    struct fact *f = arena_push(vf->a, (void **)&s->facts, &s->nfacts,
                                sizeof(*f));

    if (f == NULL || text->failed)
        return -1;
    f->table = arena_strdup(vf->a, table);
    f->text = arena_strdup(vf->a, sb_str(text));
    return f->table && f->text ? 0 : -1;
}

/*
 * Append one fact per row of query (one bound text parameter, table)
 * to s: what, then each column as name=value.  Returns 0, or -1.
 */
static int
row_facts(struct verifier *vf, sqlite3 *db, struct shape *s,
          const char *table, const char *what, const char *query,
          const char *arg)
{
    struct strbuf sb = { 0 };
    sqlite3_stmt *st;
    int rc = 0, i;

    if (sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        sb_reset(&sb);
        sb_adds(&sb, what);
        for (i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            sb_printf(&sb, " %s=%s", sqlite3_column_name(st, i),
                      v ? v : "NULL");
        }
        rc = add_fact(vf, s, table, &sb);
    }
    sqlite3_finalize(st);
    sb_free(&sb);
    return rc;
}

/*
 * Read db's shape into *s: per table in name order its normalised SQL,
 * columns, foreign keys, and per index (by name) its list entry,
 * normalised SQL and columns.  Returns 0, or -1.
 */
static int
read_shape(struct verifier *vf, sqlite3 *db, struct shape *s)
{
    struct strbuf sb = { 0 };
    sqlite3_stmt *st;
    int rc = 0;

    memset(s, 0, sizeof(*s));
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM "
                           "sqlite_master WHERE name NOT LIKE 'sqlite%' "
                           "ORDER BY tbl_name, type DESC, name", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *table = (const char *)sqlite3_column_text(st, 2);
        const char *sql = (const char *)sqlite3_column_text(st, 3);

        sb_reset(&sb);
        sb_printf(&sb, "%s %s: ", type, name);
        normalize(&sb, sql ? sql : "");
        rc = add_fact(vf, s, table, &sb);
        if (rc != 0 || strcmp(type, "table") != 0)
            continue;
        rc = row_facts(vf, db, s, table, "column", "SELECT * FROM "
                       "pragma_table_info(?1) ORDER BY cid", table);
        if (rc == 0)
            rc = row_facts(vf, db, s, table, "foreign key", "SELECT * FROM "
                           "pragma_foreign_key_list(?1) ORDER BY id, seq",
                           table);
        if (rc == 0)
            rc = row_facts(vf, db, s, table, "index", "SELECT name, "
                           "\"unique\", origin, partial FROM "
                           "pragma_index_list(?1) ORDER BY name", table);
        if (rc == 0)
            rc = row_facts(vf, db, s, table, "index column", "SELECT "
                           "il.name AS idx, x.* FROM pragma_index_list(?1) "
                           "AS il, pragma_index_xinfo(il.name) AS x "
                           "ORDER BY il.name, x.seqno", table);
    }
    sqlite3_finalize(st);
    sb_free(&sb);
    return rc;
}

/* The schema element to blame for a difference in table: the table
 * called so at the current version, else the schema header. */
static const struct pos *
table_pos(const struct model *m, const char *table)
{
    size_t i;

    for (i = 0; i < m->ntables; i++)
        if (m_alive(&m->tables[i]->span, m->version)
            && strcmp(m_table_name_at(m->tables[i], m->version), table) == 0)
            return &m->tables[i]->pos;
    return &m->pos;
}

/*
 * Compare the shape got (migrated from version from) with want (new at
 * the current version).  Reports the first difference, naming its table.
 * Returns 0 when they are equal, else -1.
 */
static int
compare(struct verifier *vf, const struct shape *got,
        const struct shape *want, int from)
{
    size_t i;

    for (i = 0; i < got->nfacts || i < want->nfacts; i++) {
        const struct fact *g = i < got->nfacts ? &got->facts[i] : NULL;
        const struct fact *w = i < want->nfacts ? &want->facts[i] : NULL;
        const char *table;

        if (g && w && strcmp(g->table, w->table) == 0
            && strcmp(g->text, w->text) == 0)
            continue;
        table = g && (w == NULL || strcmp(g->table, w->table) < 0)
            ? g->table : w->table;
        if (g == NULL || strcmp(g->table, table) != 0)
            diag_error(vf->d, table_pos(vf->m, table), "a version %d "
                       "database migrated to %d differs from a new one in "
                       "table '%s': it lacks '%s'", from, vf->m->version,
                       table, w->text);
        else if (w == NULL || strcmp(w->table, table) != 0)
            diag_error(vf->d, table_pos(vf->m, table), "a version %d "
                       "database migrated to %d differs from a new one in "
                       "table '%s': it has an extra '%s'", from,
                       vf->m->version, table, g->text);
        else
            diag_error(vf->d, table_pos(vf->m, table), "a version %d "
                       "database migrated to %d differs from a new one in "
                       "table '%s': it has '%s' where a new one has '%s'",
                       from, vf->m->version, table, g->text, w->text);
        vf->errors++;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The checks                                                          */
/* ------------------------------------------------------------------ */

/*
 * Run each data step against a new database of its version, after the
 * steps of that version before it.  Reports each failing step at the
 * byte SQLite names.
 */
static void
check_data_steps(struct verifier *vf)
{
    const struct model *m = vf->m;
    struct sqlmem_guard guard = { SQLMEM_DATA_STEP, NULL };
    size_t i, j;
    int offset;

    for (i = 0; i < m->nmigrations; i++) {
        const struct m_migration *mg = &m->migrations[i];
        sqlite3 *db;

        for (j = 0; j < i; j++)
            if (m->migrations[j].version == mg->version)
                break;
        if (j < i)
            continue;           /* this version's steps are done */
        if ((db = sqlmem_open()) == NULL) {
            diag_error(vf->d, &mg->pos, "cannot open an in-memory database");
            vf->errors++;
            return;
        }
        /* A failed step changed nothing, so the next ones still run
         * against the schema of their version. */
        if (create_version(vf, db, mg->version) == 0)
            for (j = i; j < m->nmigrations; j++) {
                const struct m_migration *x = &m->migrations[j];
                struct pos pos;
                int rc;
                if (x->version != mg->version)
                    continue;
                sqlmem_guard(db, &guard);
                rc = run(db, x->sql, &offset);
                sqlmem_guard(db, NULL);
                if (rc == SQLITE_OK)
                    continue;
                if (guard.refused != NULL) {
                    diag_error(vf->d, &x->sql_pos, "migration %d may not run"
                               " %s", x->version, guard.refused);
                } else {
                    pos = data_pos(x, offset);
                    diag_error(vf->d, &pos, "migration %d fails against "
                               "the schema of version %d: %s", x->version,
                               x->version, sqlite3_errmsg(db));
                }
                vf->errors++;
            }
        sqlite3_close(db);
    }
}

/* ------------------------------------------------------------------ */
/* Populated databases                                                 */
/* ------------------------------------------------------------------ */

/* What a step refused in a populated database. */
enum refusal { R_OTHER, R_NOT_NULL, R_CHECK, R_UNIQUE, R_FOREIGN_KEY };

/* A constraint or unique index that appears at a step on a table the
 * step keeps, so rows of the version before meet it. */
struct culprit {
    enum refusal kind;
    const struct v_table *vt;   /* at the step's version */
    const struct v_column *vc;  /* the column of a column constraint */
    const struct m_constraint *k;       /* the constraint, or NULL */
    const struct m_index *ix;           /* or the unique index */
    const struct m_enum_value *gone;    /* or the value vc's enum loses */
    bool new_column;            /* vc appears at the step too */
    int score;                  /* how well it fits SQLite's message */
};

/* What SQLite's message of f says was refused; *rest is what follows
 * its "...: " ("" when nothing does). */
static enum refusal
refusal_of(const struct failure *f, const char **rest)
{
    static const struct {
        const char *prefix;
        enum refusal kind;
    } kinds[] = {
        { "NOT NULL constraint failed", R_NOT_NULL },
        { "CHECK constraint failed", R_CHECK },
        { "UNIQUE constraint failed", R_UNIQUE },
    };
    size_t i, n;

    *rest = "";
    if (f->commit)
        return R_OTHER;
    if (f->sql == NULL)
        return R_FOREIGN_KEY;
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        n = strlen(kinds[i].prefix);
        if (strncmp(f->msg, kinds[i].prefix, n) != 0)
            continue;
        *rest = f->msg + n + (strncmp(f->msg + n, ": ", 2) == 0 ? 2 : 0);
        return kinds[i].kind;
    }
    return R_OTHER;
}

/* The kind of refusal constraint k can cause, or R_OTHER. */
static enum refusal
refusal_by(const struct m_constraint *k)
{
    switch (k->kind) {
    case M_C_NOT_NULL:
        return R_NOT_NULL;
    case M_C_CHECK:
        return R_CHECK;
    case M_C_UNIQUE:
    case M_C_PRIMARY_KEY:
        return R_UNIQUE;
    case M_C_REFERENCES:
        return R_FOREIGN_KEY;
    case M_C_DEFAULT:
        break;
    }
    return R_OTHER;
}

/* Append the names of the columns c covers to sb, comma separated, each
 * after table and a dot when table is not NULL ("t.a, t.b"); for an index
 * on an expression, what SQLite names instead ("index 'i'"). */
static void
culprit_columns(struct strbuf *sb, const struct culprit *c,
                const char *table)
{
    size_t i, n = c->ix ? c->ix->ncolumns : c->vc ? 1 : c->k->ncolumns;

    if (c->ix != NULL && c->ix->has_expr) {
        sb_printf(sb, "index '%s'", c->ix->name);
        return;
    }
    for (i = 0; i < n; i++) {
        const struct m_column *col = c->ix ? c->ix->columns[i].column
            : c->vc ? c->vc->col : c->k->columns[i];
        const struct v_column *vc = c->vt->col_at[col->index];
        sb_adds(sb, i > 0 ? ", " : "");
        if (table != NULL)
            sb_printf(sb, "%s.", table);
        sb_adds(sb, vc != NULL ? vc->name : col->name);
    }
}

/* True when s names table (as such, or as the copy a rebuild makes of
 * it, whose name adds "_new" one or more times). */
static bool
names_table(const char *s, size_t len, const char *table)
{
    size_t n = strlen(table);

    if (len < n || strncasecmp(s, table, n) != 0)
        return false;
    for (s += n, len -= n; len >= 4 && strncmp(s, "_new", 4) == 0; len -= 4)
        s += 4;
    return len == 0;
}

/*
 * How well c fits the failure f (rest from refusal_of()): 2 when the
 * message names c's columns in c's table (a foreign key: its table and
 * parent; a check: its expression or name; an enum: its IN list), 1 when
 * it names only the columns (a foreign key: only the table), else 0.
 */
static int
fit(const struct culprit *c, const struct failure *f, const char *rest)
{
    struct strbuf got = { 0 }, want = { 0 };
    const char *p, *comma, *dot;
    int score = 0;

    switch (c->kind) {
    case R_FOREIGN_KEY:
        if (strcmp(c->vt->name, f->msg) == 0)
            score = 1 + (strcmp(m_table_name_at(c->k->ref_table,
                                                c->vt->version),
                                f->parent) == 0);
        return score;
    case R_CHECK:
        if (c->gone == NULL)    /* SQLite names a named check */
            return strcmp(c->k->sql, rest) == 0
                || (c->k->name != NULL && strcmp(c->k->name, rest) == 0)
                ? 2 : 0;
        /* The CHECK an enum column gets: name IN (values). */
        ddl_ident(&want, c->vc->name);
        sb_printf(&want, " IN (%s)", c->vc->enum_sql);
        score = strcmp(sb_str(&want), rest) == 0 ? 2 : 0;
        sb_free(&want);
        return score;
    case R_NOT_NULL:
    case R_UNIQUE:
        culprit_columns(&want, c, NULL);
        /* An index on an expression is named, not its table's columns;
         * index names are unique across tables. */
        if (c->ix != NULL && c->ix->has_expr) {
            score = strcmp(sb_str(&want), rest) == 0 ? 2 : 0;
            sb_free(&want);
            return score;
        }
        /* "t.a, t.b": the columns without their table, and whether the
         * table is c's. */
        score = 1;
        for (p = rest; *p != '\0'; p = comma[0] != '\0' ? comma + 2 : comma) {
            comma = strstr(p, ", ");
            if (comma == NULL)
                comma = p + strlen(p);
            for (dot = comma; dot > p && dot[-1] != '.'; dot--)
                ;
            if (dot == p || !names_table(p, (size_t)(dot - 1 - p),
                                         c->vt->name))
                score = 0;
            sb_printf(&got, "%s%.*s", p == rest ? "" : ", ",
                      (int)(comma - dot), dot);
        }
        score = strcasecmp(sb_str(&got), sb_str(&want)) == 0 ? score + 1 : 0;
        sb_free(&got);
        sb_free(&want);
        return score;
    case R_OTHER:
        break;
    }
    return 0;
}

/* Consider c as the culprit of f: keep it in *best when it fits better
 * than what *best holds. */
static void
consider(struct culprit *best, struct culprit *c, const struct failure *f,
         const char *rest)
{
    c->score = fit(c, f, rest);
    if (best->kind == R_OTHER || c->score > best->score)
        *best = *c;
}

/*
 * Find in *best the constraint or unique index of kind that appears at
 * the step to cur's version, on a table kept from prev, and fits the
 * failure f best.  best->kind stays R_OTHER when there is none.
 */
static void
find_culprit(const struct view *prev, const struct view *cur,
             enum refusal kind, const struct failure *f, const char *rest,
             struct culprit *best)
{
    size_t i, j, l;

    memset(best, 0, sizeof(*best));
    for (i = 0; i < cur->ntables; i++) {
        const struct v_table *vt = &cur->tables[i];
        struct culprit c;
        if (view_table(prev, vt->table) == NULL)
            continue;           /* new: it holds no rows */
        memset(&c, 0, sizeof(c));
        c.vt = vt;
        for (j = 0; j < vt->ncolumns; j++) {
            const struct m_enum *e = vt->columns[j].col->enum_type;
            c.vc = &vt->columns[j];
            c.new_column = !m_alive(&c.vc->col->span, prev->version);
            for (l = 0; l < c.vc->nconstraints; l++) {
                c.k = c.vc->constraints[l];
                c.kind = refusal_by(c.k);
                if (c.kind == kind && !m_alive(&c.k->span, prev->version))
                    consider(best, &c, f, rest);
            }
            c.k = NULL;
            c.kind = R_CHECK;
            for (l = 0; e != NULL && kind == R_CHECK && !c.new_column
                 && l < e->nvalues; l++) {
                c.gone = &e->values[l];
                if (m_alive(&c.gone->span, prev->version)
                    && !m_alive(&c.gone->span, cur->version))
                    consider(best, &c, f, rest);
            }
            c.gone = NULL;
        }
        c.vc = NULL;
        c.new_column = false;
        for (j = 0; j < vt->nconstraints; j++) {
            c.k = vt->constraints[j];
            c.kind = refusal_by(c.k);
            if (c.kind == kind && !m_alive(&c.k->span, prev->version))
                consider(best, &c, f, rest);
        }
        c.k = NULL;
        c.kind = R_UNIQUE;
        for (j = 0; j < vt->nindexes && kind == R_UNIQUE; j++) {
            c.ix = vt->indexes[j];
            if (c.ix->unique && !m_alive(&c.ix->span, prev->version))
                consider(best, &c, f, rest);
        }
    }
}

/* Where to report culprit c: the since that brought it (the until that
 * took an enum's value), when written, else the element itself. */
static struct pos
culprit_pos(const struct culprit *c)
{
    const struct m_span *span;

    if (c->gone != NULL)        /* where its 'until' was written */
        return c->gone->span.until_pos.line != 0 ? c->gone->span.until_pos
            : c->gone->pos;
    span = c->k ? &c->k->span : &c->ix->span;
    if (span->since_pos.line != 0)
        return span->since_pos;
    return c->k ? c->k->pos : c->ix->pos;
}

/* The version of the plan just before version v. */
static int
version_before(const struct verifier *vf, int v)
{
    size_t i;
    int prev = 1;

    for (i = 0; i < vf->plan->nversions; i++)
        if (vf->plan->versions[i].version < v)
            prev = vf->plan->versions[i].version;
    return prev;
}

/* The child column i of foreign key culprit c: its own column, or
 * column i its table-level key lists. */
static const struct v_column *
fk_column(const struct culprit *c, size_t i)
{
    return c->vc != NULL ? c->vc : c->vt->col_at[c->k->columns[i]->index];
}

/* Append the names of the foreign key culprit c's columns (parent
 * columns of pt when parent is set) joined by sep; several in
 * parentheses when paren is set. */
static void
fk_columns(struct strbuf *sb, const struct culprit *c,
           const struct v_table *pt, bool parent, const char *sep,
           bool paren)
{
    size_t i, n = c->k->nref_columns;

    sb_adds(sb, paren && n > 1 ? "(" : "");
    for (i = 0; i < n; i++) {
        const struct m_column *col = parent ? c->k->ref_columns[i]
            : fk_column(c, i)->col;
        const struct v_column *vc = parent
            ? (pt ? pt->col_at[col->index] : NULL) : fk_column(c, i);
        sb_adds(sb, i > 0 ? sep : "");
        ddl_ident(sb, vc ? vc->name : col->name);
    }
    sb_adds(sb, paren && n > 1 ? ")" : "");
}

/* Append to sb what breaks foreign key culprit c (a table of cur) at
 * the step from version p to v, and how a data step mends it: delete
 * the rows when a column of the key is NOT NULL, else clear the key. */
static void
fk_hint(struct strbuf *sb, const struct culprit *c, const struct view *cur,
        int p, int v)
{
    const char *parent = m_table_name_at(c->k->ref_table, v);
    const struct v_table *pt = view_table(cur, c->k->ref_table);
    size_t i, n = c->k->nref_columns;
    bool not_null = false;

    sb_printf(sb, "breaks a foreign key of table '%s' ", c->vt->name);
    if (c->new_column) {
        sb_printf(sb, "(the rows of version %d get the new column's "
                  "default, which no '%s' row has; leave the default out)",
                  p, parent);
        return;
    }
    for (i = 0; i < n; i++)
        not_null |= fk_column(c, i)->not_null;
    sb_printf(sb, "(a version %d row may hold %s in '", p,
              n > 1 ? "values" : "a value");
    fk_columns(sb, c, pt, false, "', '", false);
    sb_printf(sb, "' that no '%s' row has; %s in a step such as "
              "'migration %d sql \"", parent, not_null ? "delete such rows"
              : n > 1 ? "set them to NULL" : "set it to NULL", v);
    if (not_null) {
        sb_adds(sb, "DELETE FROM ");
        ddl_ident(sb, c->vt->name);
    } else {
        sb_adds(sb, "UPDATE ");
        ddl_ident(sb, c->vt->name);
        sb_adds(sb, " SET ");
        fk_columns(sb, c, pt, false, " = NULL, ", false);
        sb_adds(sb, " = NULL");
    }
    sb_adds(sb, " WHERE ");
    fk_columns(sb, c, pt, false, ", ", true);
    sb_adds(sb, " NOT IN (SELECT ");
    fk_columns(sb, c, pt, true, ", ", false);
    sb_adds(sb, " FROM ");
    ddl_ident(sb, parent);
    sb_adds(sb, ")\"')");
}

/*
 * Report the failure f of a database of version from, filled with sample
 * rows, at the step it failed in: at the constraint that step adds and
 * the rows of the version before it break when one fits SQLite's
 * message, else at the statement, with what kind of row fails and what
 * would make the step pass.
 */
static void
report_populated(struct verifier *vf, const struct failure *f, int from)
{
    struct arena scratch = { 0, 0 };
    struct strbuf sb = { 0 };
    struct view prev, cur;
    struct culprit c;
    struct pos pos;
    const char *rest;
    enum refusal kind = refusal_of(f, &rest);
    int v = f->step->version, p = version_before(vf, v);

    memset(&c, 0, sizeof(c));
    if (kind != R_OTHER && (f->sql == NULL || f->sql->data == NULL)
        && view_build(&scratch, vf->m, p, &prev) == 0
        && view_build(&scratch, vf->m, v, &cur) == 0)
        find_culprit(&prev, &cur, kind, f, rest, &c);
    sb_printf(&sb, "migrating a populated version %d database: the step to "
              "version %d ", from, v);
    if (c.kind == R_OTHER) {
        if (f->commit)
            sb_printf(&sb, "fails at its commit: %s (a version %d row "
                      "makes it fail)", f->msg, p);
        else if (f->sql == NULL)
            sb_printf(&sb, "breaks a foreign key of table '%s' (a version "
                      "%d row makes it fail)", f->msg, p);
        else if (f->sql->data != NULL)
            sb_printf(&sb, "fails: %s (a version %d row makes the data "
                      "step fail; it must handle every row version %d "
                      "allows)", f->msg, p, p);
        else
            sb_printf(&sb, "fails: %s (a version %d row makes it fail)",
                      f->msg, p);
        pos = f->commit ? commit_pos(vf, f->step)
            : f->sql == NULL ? *table_pos(vf->m, f->msg)
            : f->sql->data != NULL ? data_pos(f->sql->data, f->offset)
            : f->sql->pos;
    } else {
        pos = culprit_pos(&c);
        switch (c.kind) {
        case R_NOT_NULL:
            sb_printf(&sb, "fails: NOT NULL constraint failed: %s.%s (a "
                      "version %d row may hold NULL there; give the column "
                      "a default, which the step then stores in place of "
                      "NULL, or keep it nullable)", c.vt->name, c.vc->name,
                      p);
            break;
        case R_CHECK:
            sb_printf(&sb, "fails: %s ", f->msg);
            if (c.gone != NULL)
                sb_printf(&sb, "(a version %d row may hold '%s', which enum "
                          "'%s' no longer has at version %d, and the step "
                          "copies rows as they are before its data steps "
                          "run)", p, c.gone->name, c.vc->col->enum_type->name,
                          v);
            else if (c.new_column)
                sb_printf(&sb, "(the rows of version %d get the new "
                          "column's default, which the check refuses; give "
                          "it a default the check accepts)", p);
            else if (c.vc == NULL)
                sb_printf(&sb, "(a version %d row may hold values the "
                          "check refuses, and the step copies rows as they "
                          "are; let the check accept every row version %d "
                          "allows)", p, p);
            else
                sb_printf(&sb, "(a version %d row may hold a value the "
                          "check refuses, and the step copies rows as they "
                          "are; let the check accept every value version %d "
                          "allows, or put it on a new column that a "
                          "'migration %d sql' step fills)", p, p, v);
            break;
        case R_UNIQUE:
            sb_printf(&sb, "fails: UNIQUE constraint failed: ");
            culprit_columns(&sb, &c, c.vt->name);
            sb_printf(&sb, " (version %d rows may share a value there, and "
                      "the step keeps every row; put the constraint on a "
                      "new column that a 'migration %d sql' step fills "
                      "without repeats)", p, v);
            break;
        case R_FOREIGN_KEY:
            fk_hint(&sb, &c, &cur, p, v);
            break;
        case R_OTHER:
            break;
        }
    }
    diag_error(vf->d, &pos, "%s", sb.failed ? "out of memory" : sb_str(&sb));
    vf->errors++;
    sb_free(&sb);
    arena_free(&scratch);
}

/* ------------------------------------------------------------------ */
/* Migrating older versions                                            */
/* ------------------------------------------------------------------ */

/*
 * Open in *db a new database of version from, filled with sample rows
 * (sample.h) when populated, and run the plan's steps after from on it
 * as the runtime does.  The caller closes *db.  Returns 0; 1 when a step
 * failed, with what failed in *f; -1 after reporting that the database
 * could not be made.
 */
static int
migrate(struct verifier *vf, sqlite3 **db, int from, bool populated,
        struct failure *f)
{
    struct arena scratch = { 0, 0 };
    int errors = vf->errors, rc = 0;
    size_t i;

    if ((*db = sqlmem_open()) == NULL) {
        diag_error(vf->d, &vf->m->pos, "cannot open an in-memory database");
        vf->errors++;
        return -1;
    }
    if (create_version(vf, *db, from) != 0) {
        if (vf->errors == errors) {
            diag_error(vf->d, &vf->m->pos, "the schema of version %d cannot "
                       "be created: %s", from, sqlite3_errmsg(*db));
            vf->errors++;
        }
        return -1;
    }
    if (populated && sample_fill(&scratch, *db, vf->m, from) != 0) {
        diag_error(vf->d, &vf->m->pos, "cannot fill a version %d database "
                   "with sample rows: %s", from, sqlite3_errmsg(*db));
        vf->errors++;
        rc = -1;
    }
    arena_free(&scratch);
    for (i = 0; rc == 0 && i < vf->plan->nsteps; i++)
        if (vf->plan->steps[i].version > from
            && run_step(vf, *db, &vf->plan->steps[i], f) != 0)
            rc = 1;
    return rc;
}

/*
 * Prove the migration of a version from database: holding sample rows,
 * it must migrate by the plan and then equal want, a new database of the
 * current version.  When a step fails, the same migration of an empty
 * database tells a mistake of the plan or the schema (which fails there
 * too) from rows that break the step.  Returns 0, or -1 after reporting.
 */
static int
check_from(struct verifier *vf, int from, const struct shape *want)
{
    sqlite3 *db = NULL, *empty = NULL;
    struct failure f, fe;
    struct shape got;
    int rc = migrate(vf, &db, from, true, &f);

    if (rc == 1) {
        int erc = migrate(vf, &empty, from, false, &fe);
        if (erc == 1)
            report_failure(vf, &fe, from);
        else if (erc == 0)
            report_populated(vf, &f, from);
        sqlite3_close(empty);
        rc = -1;
    }
    if (rc == 0 && read_shape(vf, db, &got) != 0) {
        diag_error(vf->d, &vf->m->pos, "cannot read the schema of a "
                   "migrated version %d database back from SQLite", from);
        vf->errors++;
        rc = -1;
    }
    if (rc == 0)
        rc = compare(vf, &got, want, from);
    sqlite3_close(db);
    return rc;
}

/*
 * Check the statements of every unversioned index on a new database of
 * the current version, as the runtime runs them: the creation (twice,
 * the second finding the index there), the drop before a migration, and
 * the creation again; a retired one's drop alone.  Returns 0, or -1
 * after reporting.
 */
static int
check_unversioned(struct verifier *vf)
{
    const struct plan *plan = vf->plan;
    sqlite3 *db;
    size_t i, k;
    int offset, rc = 0;

    if (plan->nunversioned == 0)
        return 0;
    if ((db = sqlmem_open()) == NULL)
        return -1;
    if (create_version(vf, db, vf->m->version) != 0) {
        sqlite3_close(db);
        return -1;
    }
    for (i = 0; i < plan->nunversioned && rc == 0; i++) {
        const struct plan_index *pi = &plan->unversioned[i];
        const char *run_order[4];

        run_order[0] = pi->create;
        run_order[1] = pi->create;
        run_order[2] = pi->drop;
        run_order[3] = pi->create;
        for (k = 0; k < 4 && rc == 0; k++)
            if (run_order[k] != NULL
                && run(db, run_order[k], &offset) != SQLITE_OK) {
                diag_error(vf->d, &pi->index->pos, "unversioned index '%s' "
                           "cannot be %s at version %d: %s",
                           pi->index->name, k == 2 ? "dropped" : "created",
                           vf->m->version, sqlite3_errmsg(db));
                vf->errors++;
                rc = -1;
            }
    }
    sqlite3_close(db);
    return rc;
}

/* Verify the plan; see history.h. */
int
history_verify(struct arena *a, struct diags *d, const struct model *m,
               const struct plan *plan)
{
    struct verifier vf;
    struct shape want;
    sqlite3 *db;
    size_t i;

    memset(&vf, 0, sizeof(vf));
    vf.a = a;
    vf.d = d;
    vf.m = m;
    vf.plan = plan;
    /* Every version's schema must be creatable. */
    for (i = 0; i < plan->nversions && vf.errors == 0; i++)
        check_creatable(&vf, &plan->versions[i]);
    if (vf.errors == 0)
        check_data_steps(&vf);
    if (vf.errors == 0)
        check_unversioned(&vf);
    if (vf.errors != 0 || m->version == 1)
        return vf.errors;
    /* The shape every migrated database must reach. */
    if ((db = sqlmem_open()) == NULL || create_version(&vf, db, m->version)
        || read_shape(&vf, db, &want) != 0) {
        sqlite3_close(db);
        if (vf.errors == 0)
            diag_error(d, &m->pos, "cannot read the schema of version %d "
                       "back from SQLite", m->version);
        return vf.errors + 1;
    }
    sqlite3_close(db);
    /* One failing start is enough: later ones repeat its message. */
    for (i = 0; i < plan->nversions && vf.errors == 0; i++)
        if (plan->versions[i].version < m->version)
            check_from(&vf, plan->versions[i].version, &want);
    return vf.errors;
}
