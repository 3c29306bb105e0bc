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

#include "ddl.h"
#include "lexer.h"
#include "sqlmem.h"
#include "strbuf.h"

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

/* Create version v of the schema in db from the plan's DDL.  Returns 0,
 * or -1 after reporting the statement that failed. */
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
            diag_error(vf->d, &sql[i].pos, "the schema of version %d "
                       "cannot be created: %s", v, sqlite3_errmsg(db));
            vf->errors++;
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
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

    for (i = 0; i < n && rc == 0; i++) {
        if (strncmp(sql[i].sql, "CREATE TABLE", 12) == 0
            && ntables++ % CHECK_CHUNK == 0) {
            sqlite3_close(db);
            if ((db = sqlmem_open()) == NULL)
                return -1;
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        }
        if (db != NULL && run(db, sql[i].sql, &offset) != SQLITE_OK) {
            diag_error(vf->d, &sql[i].pos, "the schema of version %d "
                       "cannot be created: %s", v, sqlite3_errmsg(db));
            vf->errors++;
            rc = -1;
        }
    }
    sqlite3_close(db);
    return rc;
}

/* Run one step of the plan as the runtime does: foreign keys off around
 * a rebuild, one transaction, foreign_key_check before the commit.
 * Returns 0, or -1 after reporting what failed (from names the start). */
static int
run_step(struct verifier *vf, sqlite3 *db, const struct plan_step *s,
         int from)
{
    sqlite3_stmt *st = NULL;
    size_t i;
    int offset, rc = 0;

    if (s->rebuild)
        sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (i = 0; i < s->nsql && rc == 0; i++)
        if (run(db, s->sql[i].sql, &offset) != SQLITE_OK) {
            const struct m_migration *mg = s->sql[i].data;
            struct pos pos = mg ? data_pos(mg, offset) : s->sql[i].pos;
            diag_error(vf->d, &pos, "migrating a version %d database: the "
                       "step to version %d fails: %s", from, s->version,
                       sqlite3_errmsg(db));
            rc = -1;
        }
    if (rc == 0 && s->rebuild
        && sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
                              NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW) {
        diag_error(vf->d, &vf->m->pos, "migrating a version %d database: "
                   "the step to version %d breaks a foreign key of table "
                   "'%s'", from, s->version, sqlite3_column_text(st, 0));
        rc = -1;
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    if (s->rebuild)
        sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    vf->errors += rc != 0;
    return rc;
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

/* Create version from, migrate it by the plan and compare it with want.
 * Returns 0, or -1 after reporting. */
static int
check_from(struct verifier *vf, int from, const struct shape *want)
{
    sqlite3 *db = sqlmem_open();
    struct shape got;
    size_t i;
    int rc;

    if (db == NULL)
        return -1;
    rc = create_version(vf, db, from);
    for (i = 0; rc == 0 && i < vf->plan->nsteps; i++)
        if (vf->plan->steps[i].version > from)
            rc = run_step(vf, db, &vf->plan->steps[i], from);
    if (rc == 0)
        rc = read_shape(vf, db, &got);
    if (rc == 0)
        rc = compare(vf, &got, want, from);
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
