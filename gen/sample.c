/*
 * sample.c - the sample rows the migration proof migrates (sample.h): a
 * fixed table of values per type, spread over eight rows per table so
 * that NULLs, defaults, boundary values and duplicates all occur, each
 * row kept only when the version's constraints accept it.
 */
#include "sample.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "strbuf.h"
#include "view.h"

/* ------------------------------------------------------------------ */
/* The values                                                          */
/* ------------------------------------------------------------------ */

/*
 * Each type has twelve values: 0 to 3 are the boundaries, 4 to 7
 * ordinary values for columns a key, UNIQUE or unique index covers, 8 to
 * 11 other ordinary values for the rest.  The two ordinary sets differ,
 * so a plain column's rows 6 and 7 hold values no parent key holds: a
 * foreign key added to it later meets rows that reference nothing.  The
 * ordinary values are small, so a CHECK refusing the boundaries still
 * leaves rows.  All differ within a set (booleans have only two), so a
 * unique column takes a new value in every row.
 */
#define NVALUES 12

/* The value a column holds in row r: rows 2 to 5 hold the boundaries,
 * each column shifted by its place so that two columns of a row differ
 * (a CHECK comparing them meets both orders); rows 6 and 7 hold the
 * same ordinary value (different in a unique column); rows 0 and 1 an
 * ordinary value where NULL is not allowed. */
static int
value_index(int r, size_t column, bool unique)
{
    static const int keyed[SAMPLE_ROWS] = { 6, 7, 0, 0, 0, 0, 4, 5 };
    static const int plain[SAMPLE_ROWS] = { 10, 11, 0, 0, 0, 0, 8, 8 };

    if (r >= 2 && r <= 5)
        return (int)(((size_t)r - 2 + column) % 4);
    return unique ? keyed[r] : plain[r];
}

static const int64_t ints[NVALUES] = {
    0, -1, INT64_MAX, INT64_MIN, 1, 2, 3, 4, 5, 6, 7, 8
};
static const double reals[NVALUES] = {
    0.0, -0.5, 1e308, -1e308, 0.5, 0.25, 0.75, 2.5,
    0.125, 0.375, 0.625, 1.5
};
static const int bools[NVALUES] = { 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1 };
static const char *const texts[NVALUES] = {
    "", "it's", "0", "\xc3\xa9t\xc3\xa9", "a", "b", "c", "d",
    "w", "x", "y", "z"
};
static const char *const times[NVALUES] = {
    "1970-01-01 00:00:00", "", "9999-12-31 23:59:59", "it's",
    "2000-01-01 00:00:00", "2000-01-02 00:00:00", "2000-01-03 00:00:00",
    "2000-01-04 00:00:00", "2000-02-01 00:00:00", "2000-02-02 00:00:00",
    "2000-02-03 00:00:00", "2000-02-04 00:00:00"
};
static const struct {
    const char *data;
    int len;
} blobs[NVALUES] = {
    { "a\0b", 3 }, { "", 0 }, { "\0", 1 }, { "\xff\xfe", 2 },
    { "\x01", 1 }, { "\x02", 1 }, { "\x03", 1 }, { "\x04", 1 },
    { "\x05", 1 }, { "\x06", 1 }, { "\x07", 1 }, { "\x08", 1 }
};

/* ------------------------------------------------------------------ */
/* Filling one table                                                   */
/* ------------------------------------------------------------------ */

/* How one column is filled. */
struct col_plan {
    const struct v_column *vc;
    bool nullable;              /* neither NOT NULL nor in the key */
    bool unique;                /* a key, UNIQUE or unique index covers it */
    bool omit_first;            /* a constant default: left out of row 0 */
    bool generated;             /* computed by SQLite: never inserted */
    int self;                   /* references a column of its own table:
                                   that column's index, else -1 */
    bool is_fk;                 /* references another table */
    size_t lead;                /* is_fk: the first column of its foreign
                                   key, whose row number picks the parent
                                   row for all of the key's columns */
    sqlite3_value *keys[SAMPLE_ROWS];   /* parent keys stored, for is_fk */
    int nkeys;
    const char *words[NVALUES]; /* the strings its CHECK names, which a */
    int nwords;                 /* text column holds instead */
};

/* What a run of sample_fill() shares. */
struct filler {
    struct arena *a;
    sqlite3 *db;
    const struct view *vw;
    struct strbuf sb;
};

/* Mark the n columns cols of vt (a table PRIMARY KEY or UNIQUE) unique. */
static void
mark_unique(const struct v_table *vt, struct col_plan *cp,
            struct m_column *const *cols, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct v_column *vc = vt->col_at[cols[i]->index];
        if (vc != NULL)
            cp[vc - vt->columns].unique = true;
    }
}

/* Append the names in pt of the parent columns of k, joined by sep. */
static void
parent_columns(struct strbuf *sb, const struct v_table *pt,
               const struct m_constraint *k, const char *sep)
{
    size_t i;

    for (i = 0; i < k->nref_columns; i++) {
        const struct v_column *rc = pt->col_at[k->ref_columns[i]->index];
        /* The history check keeps referenced columns alive with the key. */
        assert(rc != NULL);
        sb_adds(sb, i > 0 ? sep : "");
        ddl_ident(sb, rc != NULL ? rc->name : k->ref_columns[i]->name);
    }
}

/*
 * Read into cp->keys the values of parent column rcol of the foreign key
 * k in up to SAMPLE_ROWS rows of pt holding no NULL in the key, in key
 * order: the columns of one key read the same rows, so a child row that
 * takes entry i of each holds a whole parent key.  Returns 0, or -1 out
 * of memory.
 */
static int
read_keys(struct filler *f, struct col_plan *cp, const struct v_table *pt,
          const struct m_constraint *k, const struct m_column *rcol)
{
    const struct v_column *rc = pt->col_at[rcol->index];
    sqlite3_stmt *st = NULL;
    int rv;

    assert(rc != NULL);
    if (rc == NULL)
        return 0;
    sb_reset(&f->sb);
    sb_adds(&f->sb, "SELECT ");
    ddl_ident(&f->sb, rc->name);
    sb_adds(&f->sb, " FROM ");
    ddl_ident(&f->sb, pt->name);
    sb_adds(&f->sb, " WHERE ");
    parent_columns(&f->sb, pt, k, " IS NOT NULL AND ");
    /* Ordered by the key itself: a WITHOUT ROWID parent has no rowid. */
    sb_adds(&f->sb, " IS NOT NULL ORDER BY ");
    parent_columns(&f->sb, pt, k, ", ");
    sb_printf(&f->sb, " LIMIT %d", SAMPLE_ROWS);
    if (f->sb.failed
        || sqlite3_prepare_v2(f->db, sb_str(&f->sb), -1, &st, NULL)
           != SQLITE_OK)
        return -1;
    while ((rv = sqlite3_step(st)) == SQLITE_ROW && cp->nkeys < SAMPLE_ROWS)
        if ((cp->keys[cp->nkeys++] = sqlite3_value_dup(sqlite3_column_value(
                 st, 0))) == NULL) {
            rv = SQLITE_NOMEM;
            break;
        }
    sqlite3_finalize(st);
    return rv == SQLITE_DONE || rv == SQLITE_ROW ? 0 : -1;
}

/*
 * Collect into cp->words (at most NVALUES, in a) the string literals of
 * sql, a CHECK on a text column or an enum's list of values: `status IN
 * ('open', 'done')` accepts those and likely nothing else, so the
 * column's rows hold them instead of the text values, which the check
 * would refuse with the whole row.
 */
static void
collect_words(struct arena *a, struct col_plan *cp, const char *sql)
{
    struct strbuf word = { 0 };
    const char *p = sql;

    while (*p != '\0' && cp->nwords < NVALUES) {
        char quote = *p++;
        if (quote != '\'' && quote != '"')
            continue;
        /* Up to the closing quote; a doubled one stands for itself. */
        sb_reset(&word);
        for (; *p != '\0' && (*p != quote || p[1] == quote); p++) {
            if (*p == quote)
                p++;
            sb_addn(&word, p, 1);
        }
        if (*p != '\0')
            p++;
        if (quote == '\'' && !word.failed     /* "x" is a name */
            && (cp->words[cp->nwords] = arena_strdup(a, sb_str(&word)))
               != NULL)
            cp->nwords++;
    }
    sb_free(&word);
}

/* Bind, as parameter p of st, what column j (plans cp) holds in row r. */
static int
bind(sqlite3_stmt *st, int p, const struct col_plan *cp, size_t j, int r,
     int depth)
{
    const struct col_plan *c = &cp[j];
    int k = value_index(r, j, c->unique);

    if (r <= 1 && c->nullable)
        return sqlite3_bind_null(st, p);
    if (c->self >= 0) {
        /* The row refers to itself, which SQLite accepts. */
        if (depth > 0 || (r == 0 && cp[c->self].omit_first))
            return sqlite3_bind_null(st, p);
        return bind(st, p, cp, (size_t)c->self, r, depth + 1);
    }
    if (c->is_fk) {
        k = value_index(r, c->lead, cp[c->lead].unique);
        return c->nkeys == 0 ? sqlite3_bind_null(st, p)
            : sqlite3_bind_value(st, p, c->keys[k % c->nkeys]);
    }
    if (c->nwords > 0)
        return sqlite3_bind_text(st, p, c->words[k % c->nwords], -1,
                                 SQLITE_STATIC);
    switch (c->vc->type) {
    case M_INTEGER:
        return sqlite3_bind_int64(st, p, ints[k]);
    case M_REAL:
        return sqlite3_bind_double(st, p, reals[k]);
    case M_BOOLEAN:
        return sqlite3_bind_int(st, p, bools[k]);
    case M_TEXT:
        return sqlite3_bind_text(st, p, texts[k], -1, SQLITE_STATIC);
    case M_TIMESTAMP:
        return sqlite3_bind_text(st, p, times[k], -1, SQLITE_STATIC);
    case M_BLOB:
        return sqlite3_bind_blob(st, p, blobs[k].data, blobs[k].len,
                                 SQLITE_STATIC);
    case M_ENUM:
        /* No value alive (the words are its names): a name of none. */
        return sqlite3_bind_text(st, p, texts[k], -1, SQLITE_STATIC);
    }
    return sqlite3_bind_null(st, p);
}

/*
 * Prepare INSERT OR IGNORE into vt of every column, or with first set of
 * the columns row 0 leaves out, into *st.  Returns 0, or -1.
 */
static int
prepare_insert(struct filler *f, const struct v_table *vt,
               const struct col_plan *cp, bool first, sqlite3_stmt **st)
{
    size_t j, n = 0;

    sb_reset(&f->sb);
    sb_adds(&f->sb, "INSERT OR IGNORE INTO ");
    ddl_ident(&f->sb, vt->name);
    for (j = 0; j < vt->ncolumns; j++) {
        if (cp[j].generated || (first && cp[j].omit_first))
            continue;
        sb_adds(&f->sb, n++ == 0 ? " (" : ", ");
        ddl_ident(&f->sb, vt->columns[j].name);
    }
    if (n == 0)
        sb_adds(&f->sb, " DEFAULT VALUES");
    else
        for (j = 0; j < n; j++)
            sb_adds(&f->sb, j == 0 ? ") VALUES (?" : ", ?");
    if (n > 0)
        sb_adds(&f->sb, ")");
    if (f->sb.failed)
        return -1;
    return sqlite3_prepare_v2(f->db, sb_str(&f->sb), -1, st, NULL)
        == SQLITE_OK ? 0 : -1;
}

/*
 * Insert the sample rows of vt, whose parents are filled.  A row SQLite
 * refuses is left out.  Returns 0, or -1 when memory ran out or a
 * statement could not be prepared.
 */
static int
fill_table(struct filler *f, const struct v_table *vt)
{
    struct col_plan *cp;
    sqlite3_stmt *full = NULL, *first = NULL;
    size_t j, i;
    int r, p, rc = 0;
    bool omits = false;

    cp = arena_alloc(f->a, (vt->ncolumns + 1) * sizeof(*cp));
    if (cp == NULL)
        return -1;
    for (j = 0; j < vt->ncolumns; j++) {
        const struct v_column *vc = &vt->columns[j];
        cp[j].vc = vc;
        cp[j].nullable = !vc->not_null && !vc->is_key;
        cp[j].unique = vc->is_key || vc->unique;
        /* CURRENT_TIMESTAMP would make the rows differ between runs:
         * such a column holds a fixed time instead. */
        cp[j].omit_first = vc->def != NULL
            && strncasecmp(vc->def, "CURRENT_", 8) != 0;
        cp[j].self = -1;
        cp[j].generated = vc->col->generated != NULL;
        omits |= cp[j].omit_first;
        for (i = 0; i < vc->nconstraints; i++)
            if (vc->constraints[i]->kind == M_C_CHECK
                && (vc->type == M_TEXT || vc->type == M_TIMESTAMP))
                collect_words(f->a, &cp[j], vc->constraints[i]->sql);
        /* An enum holds the names of its values alive at the version. */
        if (vc->enum_sql != NULL && cp[j].nwords == 0)
            collect_words(f->a, &cp[j], vc->enum_sql);
    }
    for (i = 0; i < vt->nconstraints; i++)
        if (vt->constraints[i]->kind != M_C_CHECK)
            mark_unique(vt, cp, vt->constraints[i]->columns,
                        vt->constraints[i]->ncolumns);
    for (i = 0; i < vt->nindexes; i++)
        for (j = 0; j < vt->indexes[i]->ncolumns && vt->indexes[i]->unique;
             j++) {
            const struct m_column *col = vt->indexes[i]->columns[j].column;
            /* The columns an expression names are SQLite's to know: rows
             * 6 and 7 may then share its value, and the second is left
             * out as a row the version refuses. */
            const struct v_column *vc = col != NULL ? vt->col_at[col->index]
                : NULL;
            if (vc != NULL)
                cp[vc - vt->columns].unique = true;
        }
    for (j = 0; j < vt->ncolumns && rc == 0; j++) {
        const struct m_constraint *k = vt->columns[j].references;
        const struct v_table *pt;
        if (k == NULL || (pt = view_table(f->vw, k->ref_table)) == NULL)
            continue;
        if (pt == vt) {
            const struct v_column *ref =
                vt->col_at[vt->columns[j].ref_column->index];
            /* A dead referenced column cannot be: treat it as no key. */
            cp[j].self = ref != NULL ? (int)(ref - vt->columns) : -1;
            cp[j].is_fk = ref == NULL;
        } else {
            cp[j].is_fk = true;
            for (cp[j].lead = 0; vt->columns[cp[j].lead].references != k;
                 cp[j].lead++)
                ;
            rc = read_keys(f, &cp[j], pt, k, vt->columns[j].ref_column);
        }
    }
    if (rc == 0)
        rc = prepare_insert(f, vt, cp, false, &full);
    if (rc == 0 && omits)
        rc = prepare_insert(f, vt, cp, true, &first);
    for (r = 0; r < SAMPLE_ROWS && rc == 0; r++) {
        sqlite3_stmt *st = r == 0 && omits ? first : full;
        for (j = 0, p = 1; j < vt->ncolumns && rc == 0; j++)
            if (!cp[j].generated && (st == full || !cp[j].omit_first))
                rc = bind(st, p++, cp, j, r, 0) == SQLITE_OK ? 0 : -1;
        /* A refused row (constraint, foreign key) is simply left out. */
        if (rc == 0 && sqlite3_step(st) == SQLITE_NOMEM)
            rc = -1;
        sqlite3_reset(st);
    }
    sqlite3_finalize(full);
    sqlite3_finalize(first);
    for (j = 0; j < vt->ncolumns; j++)
        for (i = 0; i < (size_t)cp[j].nkeys; i++)
            sqlite3_value_free(cp[j].keys[i]);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Filling a version                                                   */
/* ------------------------------------------------------------------ */

/*
 * The next table t refers to (from its column *next on) that is not
 * filled nor being filled, as an index into vw->tables, or -1.
 */
static long
next_parent(const struct view *vw, const char *state, size_t t, size_t *next)
{
    const struct v_table *vt = &vw->tables[t];

    for (; *next < vt->ncolumns; ++*next) {
        const struct m_constraint *k = vt->columns[*next].references;
        const struct v_table *pt;
        size_t i;
        if (k == NULL || (pt = view_table(vw, k->ref_table)) == NULL)
            continue;
        i = (size_t)(pt - vw->tables);
        if (i != t && state[i] == 0 && pt->is_data)
            return (long)i;
    }
    return -1;
}

/* Fill db with the sample rows of version v; see sample.h. */
int
sample_fill(struct arena *a, sqlite3 *db, const struct model *m, int v)
{
    struct filler f;
    struct view vw;
    char *state;                /* per table: 0 new, 1 waiting, 2 filled */
    size_t *stack, *next, n = 0, i;
    int rc;

    memset(&f, 0, sizeof(f));
    f.a = a;
    f.db = db;
    f.vw = &vw;
    if (view_build(a, m, v, &vw) != 0)
        return -1;
    state = arena_alloc(a, vw.ntables + 1);
    stack = arena_alloc(a, (vw.ntables + 1) * sizeof(*stack));
    next = arena_alloc(a, (vw.ntables + 1) * sizeof(*next));
    if (state == NULL || stack == NULL || next == NULL)
        return -1;
    rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    /* Parents first, in declaration order otherwise; a table met again
     * while its own parents are filled closes a cycle, and its children
     * then find no keys (NULL, or the row is refused). */
    for (i = 0; i < vw.ntables && rc == 0; i++) {
        if (state[i] != 0 || !vw.tables[i].is_data)
            continue;
        stack[n++] = i;
        state[i] = 1;
        while (n > 0 && rc == 0) {
            size_t t = stack[n - 1];
            long p = next_parent(&vw, state, t, &next[t]);
            if (p >= 0) {
                stack[n++] = (size_t)p;
                state[p] = 1;
                continue;
            }
            n--;
            state[t] = 2;
            rc = fill_table(&f, &vw.tables[t]);
        }
    }
    sb_free(&f.sb);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}
