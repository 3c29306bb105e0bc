/*
 * applied.c - recognising a migration statement whose work is already in
 * the file.  A store killed inside its own migration (one that is not one
 * transaction) leaves some of a version's tables, columns and indexes
 * behind at the old version; running their CREATE or ADD COLUMN again
 * would fail on every open ("duplicate column name").  A statement whose
 * object exists exactly as the statement would make it counts as done;
 * one whose object exists in another shape is an error that names it.
 */
#include "internal.h"

#include <assert.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

enum tok_kind {
    TK_END,         /* end of the text */
    TK_WORD,        /* a bare name or keyword */
    TK_NAME,        /* a quoted name: "x", `x` or [x] */
    TK_STRING,      /* 'text' */
    TK_NUMBER,      /* 12, 0.5, 1e-3, 0x1F */
    TK_PUNCT,       /* any other byte */
    TK_BAD          /* a quote that is never closed */
};

struct tok {
    enum tok_kind kind;
    const char *p;      /* the token as written, quotes included */
    size_t len;
};

/* Finish s into an sqlite3_malloc'd string ("" when s is empty); NULL
 * when memory ran out. */
static char *
finish(sqlite3_str *s)
{
    char *out;

    if (sqlite3_str_errcode(s) != SQLITE_OK) {
        sqlite3_free(sqlite3_str_finish(s));
        return NULL;
    }
    out = sqlite3_str_finish(s);
    return out != NULL ? out : sqlite3_mprintf("%s", "");
}

/* Whether c may appear in a bare name (SQLite: letters, digits, '_',
 * '$' and every byte of a multi-byte character). */
static bool
is_name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/* Skip white space and comments from p; returns the next other byte. */
static const char *
skip_space(const char *p)
{
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'
            || *p == '\f' || *p == '\v') {
            p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p != '\0' && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* Read the token at p (after skip_space()) into *t; returns the byte
 * after it. */
static const char *
read_tok(const char *p, struct tok *t)
{
    const char *q = p;
    char close;

    t->p = p;
    if (*p == '\0') {
        t->kind = TK_END;
    } else if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
        close = *p == '[' ? ']' : *p;
        t->kind = *p == '\'' ? TK_STRING : TK_NAME;
        for (q = p + 1;; q++) {
            if (*q == '\0') {
                t->kind = TK_BAD;
                break;
            }
            if (*q == close && close != ']' && q[1] == close) {
                q++;            /* a doubled quote stands for one */
            } else if (*q == close) {
                q++;
                break;
            }
        }
    } else if ((*p >= '0' && *p <= '9')
               || (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
        t->kind = TK_NUMBER;
        for (q = p; is_name_byte((unsigned char)*q) || *q == '.'
                    || ((*q == '+' || *q == '-')
                        && (q[-1] == 'e' || q[-1] == 'E')); q++)
            ;
    } else if (is_name_byte((unsigned char)*p)) {
        t->kind = TK_WORD;
        for (q = p; is_name_byte((unsigned char)*q); q++)
            ;
    } else {
        t->kind = TK_PUNCT;
        q = p + 1;
    }
    t->len = (size_t)(q - p);
    return q;
}

/* The token after p, white space and comments skipped; returns the byte
 * after it. */
static const char *
next_tok(const char *p, struct tok *t)
{
    return read_tok(skip_space(p), t);
}

/* Whether t is the keyword (or bare name) w, in any case. */
static bool
is_word(const struct tok *t, const char *w)
{
    return t->kind == TK_WORD && strlen(w) == t->len
        && sqlite3_strnicmp(t->p, w, (int)t->len) == 0;
}

/* Whether t is the punctuation byte c. */
static bool
is_punct(const struct tok *t, char c)
{
    return t->kind == TK_PUNCT && t->p[0] == c;
}

/* Whether t names something: a bare word or a quoted name. */
static bool
is_name(const struct tok *t)
{
    return t->kind == TK_WORD || t->kind == TK_NAME;
}

/* Append name token t to s as SQLite compares names: unquoted, a doubled
 * quote as one, ASCII letters in lower case. */
static void
add_name(sqlite3_str *s, const struct tok *t)
{
    size_t i, from = 0, to = t->len;
    char c;

    if (t->kind == TK_NAME) {
        from = 1;
        to = t->len - 1;
    }
    for (i = from; i < to; i++) {
        c = t->p[i];
        if (t->kind == TK_NAME && t->p[0] != '[' && c == t->p[0])
            i++;                /* keep one of a doubled quote */
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        sqlite3_str_appendchar(s, 1, c);
    }
}

/*
 * The text from p up to end (NULL: the end of the text, or a ';' outside
 * quotes) as its tokens in a canonical spelling, one space between them:
 * names and keywords unquoted in lower case, numbers in lower case,
 * strings as written.  Two definitions that differ only in spacing,
 * comments, letter case of names and keywords, or the quoting of names
 * give the same text.  Returns an sqlite3_malloc'd string (the caller
 * frees it with sqlite3_free), or NULL when memory ran out or a quote is
 * never closed (*bad set).
 */
static char *
canonical(const char *p, const char *end, bool *bad)
{
    sqlite3_str *s = sqlite3_str_new(NULL);
    struct tok t;
    size_t i;

    *bad = false;
    for (p = next_tok(p, &t); t.kind != TK_END && !is_punct(&t, ';')
                              && (end == NULL || t.p < end);
         p = next_tok(p, &t)) {
        if (t.kind == TK_BAD) {
            *bad = true;
            break;
        }
        if (sqlite3_str_length(s) > 0)
            sqlite3_str_appendchar(s, 1, ' ');
        if (is_name(&t)) {
            add_name(s, &t);
        } else if (t.kind == TK_NUMBER) {
            for (i = 0; i < t.len; i++)
                sqlite3_str_appendchar(s, 1, (char)(t.p[i] >= 'A'
                                                    && t.p[i] <= 'Z'
                                                    ? t.p[i] - 'A' + 'a'
                                                    : t.p[i]));
        } else {
            sqlite3_str_append(s, t.p, (int)t.len);
        }
    }
    if (*bad) {
        sqlite3_free(sqlite3_str_finish(s));
        return NULL;
    }
    return finish(s);
}

/* ------------------------------------------------------------------ */
/* The three statement shapes                                          */
/* ------------------------------------------------------------------ */

enum shape {
    SHAPE_OTHER,        /* not one of ours: run it as it is */
    SHAPE_TABLE,        /* CREATE TABLE [IF NOT EXISTS] name tail */
    SHAPE_INDEX,        /* CREATE [UNIQUE] INDEX [IF NOT EXISTS] name tail */
    SHAPE_COLUMN        /* ALTER TABLE name ADD [COLUMN] column tail */
};

/* What parse_shape() found in a statement. */
struct stmt_shape {
    enum shape shape;
    bool unique;            /* SHAPE_INDEX: CREATE UNIQUE INDEX */
    struct tok name;        /* the table or index (SHAPE_COLUMN: table) */
    struct tok column;      /* SHAPE_COLUMN: the column's name */
    const char *tail;       /* after the name; SHAPE_COLUMN: the column's
                               definition, from its name on */
};

/* Read [IF NOT EXISTS] then a name that is not schema-qualified into
 * *name; returns the byte after the name, or NULL when there is none. */
static const char *
object_name(const char *p, struct tok *name)
{
    struct tok t, u;
    const char *q = next_tok(p, &t);

    if (is_word(&t, "if")) {
        q = next_tok(q, &t);
        if (!is_word(&t, "not"))
            return NULL;
        q = next_tok(q, &t);
        if (!is_word(&t, "exists"))
            return NULL;
        q = next_tok(q, &t);
    }
    if (!is_name(&t))
        return NULL;
    *name = t;
    next_tok(q, &u);
    return is_punct(&u, '.') ? NULL : q;
}

/*
 * Find which of the three shapes sql has, and its parts; anything else,
 * a qualified name (schema.table) or TEMP included, is SHAPE_OTHER.
 */
static void
parse_shape(const char *sql, struct stmt_shape *sh)
{
    struct tok t;
    const char *p = next_tok(sql, &t);

    memset(sh, 0, sizeof(*sh));
    sh->shape = SHAPE_OTHER;
    if (is_word(&t, "create")) {
        p = next_tok(p, &t);
        if (is_word(&t, "unique")) {
            sh->unique = true;
            p = next_tok(p, &t);
        }
        if (is_word(&t, "table") && !sh->unique) {
            if ((p = object_name(p, &sh->name)) != NULL) {
                sh->shape = SHAPE_TABLE;
                sh->tail = p;
            }
        } else if (is_word(&t, "index")) {
            if ((p = object_name(p, &sh->name)) != NULL) {
                sh->shape = SHAPE_INDEX;
                sh->tail = p;
            }
        }
    } else if (is_word(&t, "alter")) {
        p = next_tok(p, &t);
        if (!is_word(&t, "table") || (p = object_name(p, &sh->name)) == NULL)
            return;
        p = next_tok(p, &t);
        if (!is_word(&t, "add"))
            return;
        sh->tail = skip_space(p);
        p = next_tok(p, &t);
        if (is_word(&t, "column")) {
            sh->tail = skip_space(p);
            p = next_tok(p, &t);
        }
        if (is_name(&t) && !is_word(&t, "constraint")) {
            sh->shape = SHAPE_COLUMN;
            sh->column = t;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Comparing with what the file holds                                  */
/* ------------------------------------------------------------------ */

/* The name token t as an sqlite3_malloc'd string, unquoted, letter case
 * kept (for lookups and messages); NULL when memory ran out. */
static char *
name_text(const struct tok *t)
{
    sqlite3_str *s = sqlite3_str_new(NULL);
    size_t i, from = t->kind == TK_NAME, to = t->len - from;

    for (i = from; i < to; i++) {
        if (t->kind == TK_NAME && t->p[0] != '[' && t->p[i] == t->p[0])
            i++;
        sqlite3_str_appendchar(s, 1, t->p[i]);
    }
    return finish(s);
}

/*
 * Look up the object called name (any letter case) in the main schema:
 * *type and *sql get sqlite3_malloc'd copies of its type and SQL, both
 * NULL when there is none.  Returns SC_OK or SQLite's error.
 */
static int
find_object(sc_db *db, const char *name, char **type, char **sql)
{
    sqlite3_stmt *stmt;
    const char *v;
    int src;

    *type = *sql = NULL;
    src = sqlite3_prepare_v2(db->conn, "SELECT type, sql FROM sqlite_master "
                             "WHERE name = ?1 COLLATE NOCASE", -1, &stmt,
                             NULL);
    if (src == SQLITE_OK)
        src = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (src == SQLITE_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        v = (const char *)sqlite3_column_text(stmt, 0);
        *type = sqlite3_mprintf("%s", v ? v : "");
        v = (const char *)sqlite3_column_text(stmt, 1);
        *sql = sqlite3_mprintf("%s", v ? v : "");
        src = *type && *sql ? SQLITE_DONE : SQLITE_NOMEM;
    }
    sqlite3_finalize(stmt);
    if (src != SQLITE_DONE) {
        sqlite3_free(*type);
        sqlite3_free(*sql);
        *type = *sql = NULL;
        return sc_sqlite_error(db, src, "looking up a migration's object");
    }
    return SC_OK;
}

/*
 * Record that `what` exists already but differs from what the statement
 * makes: had (the file's definition) and want (the statement's), both
 * canonical, are quoted from the token before the first that differs.
 * Returns SC_ERROR.
 */
static int
mismatch(sc_db *db, const char *what, const char *had, const char *want)
{
    size_t i = 0, n;

    while (had[i] != '\0' && had[i] == want[i])
        i++;
    /* Back to the start of the token that differs, then one more token
     * for context (at a token boundary, i is already past the last
     * token both share). */
    if (!((had[i] == '\0' || had[i] == ' ')
          && (want[i] == '\0' || want[i] == ' '))) {
        while (i > 0 && had[i - 1] != ' ')
            i--;
    }
    if (i > 0)
        i--;
    while (i > 0 && had[i - 1] != ' ')
        i--;
    n = strlen(had + i) > strlen(want + i) ? strlen(had + i)
                                           : strlen(want + i);
    return sci_error(db, SC_ERROR, "%s already exists, but not as this "
                     "step makes it: the file has \"%.60s%s\" where the "
                     "step has \"%.60s%s\"", what, had + i,
                     n > 60 && strlen(had + i) > 60 ? "..." : "", want + i,
                     n > 60 && strlen(want + i) > 60 ? "..." : "");
}

/*
 * Compare the canonical forms of the file's text [had, had_end) and the
 * step's [want, NULL): equal sets *done, different records a mismatch
 * naming what.  A text that cannot be read (an open quote) is a
 * mismatch too.  Returns SC_OK, SC_ERROR or SC_NOMEM.
 */
static int
compare(sc_db *db, const char *what, const char *had, const char *had_end,
        const char *want, bool *done)
{
    bool bad_had, bad_want;
    char *a = canonical(had, had_end, &bad_had);
    char *b = canonical(want, NULL, &bad_want);
    int rc = SC_OK;

    if (bad_had || bad_want)
        rc = sci_error(db, SC_ERROR, "%s already exists, and its definition "
                       "cannot be compared with this step's", what);
    else if (a == NULL || b == NULL)
        rc = sci_error(db, SC_NOMEM, "out of memory");
    else if (strcmp(a, b) == 0)
        *done = true;
    else
        rc = mismatch(db, what, a, b);
    sqlite3_free(a);
    sqlite3_free(b);
    return rc;
}

/*
 * Find the definition of column col (canonical name) in the stored
 * CREATE TABLE text sql: *from and *to get its bounds.  Returns true when
 * found.
 */
static bool
find_column_def(const char *sql, const char *col, const char **from,
                const char **to)
{
    struct stmt_shape sh;
    struct tok t;
    const char *p, *start;
    int depth = 1;
    bool bad;

    parse_shape(sql, &sh);
    if (sh.shape != SHAPE_TABLE)
        return false;
    p = next_tok(sh.tail, &t);
    if (!is_punct(&t, '('))
        return false;
    start = skip_space(p);
    for (;;) {
        p = next_tok(p, &t);
        if (t.kind == TK_END || t.kind == TK_BAD)
            return false;
        if (is_punct(&t, '('))
            depth++;
        else if (is_punct(&t, ')'))
            depth--;
        if ((depth == 1 && is_punct(&t, ',')) || depth == 0) {
            struct tok first;
            char *name;
            bool same;
            read_tok(start, &first);
            if (!is_name(&first))
                return false;
            name = canonical(first.p, first.p + first.len, &bad);
            same = name != NULL && strcmp(name, col) == 0;
            sqlite3_free(name);
            if (same) {
                *from = start;
                *to = t.p;
                return true;
            }
            if (depth == 0)
                return false;
            start = skip_space(p);
        }
    }
}

/*
 * ALTER TABLE table ADD COLUMN: done when table already has the column
 * with the same definition.  Returns SC_OK (with *done), SC_ERROR naming
 * the column, or SC_NOMEM.
 */
static int
column_applied(sc_db *db, const struct stmt_shape *sh, bool *done)
{
    char *table = name_text(&sh->name), *column = name_text(&sh->column);
    char *type = NULL, *sql = NULL, *col = NULL, *what = NULL;
    const char *from, *to;
    bool bad;
    int rc;

    if (table == NULL || column == NULL) {
        rc = sci_error(db, SC_NOMEM, "out of memory");
        goto out;
    }
    rc = find_object(db, table, &type, &sql);
    if (rc != SC_OK || type == NULL || strcmp(type, "table") != 0)
        goto out;           /* no such table: the statement says so */
    col = canonical(sh->column.p, sh->column.p + sh->column.len, &bad);
    what = sqlite3_mprintf("column '%s' of table '%s'", column, table);
    if (col == NULL || what == NULL) {
        rc = sci_error(db, SC_NOMEM, "out of memory");
        goto out;
    }
    if (find_column_def(sql, col, &from, &to))
        rc = compare(db, what, from, to, sh->tail, done);
out:
    sqlite3_free(table);
    sqlite3_free(column);
    sqlite3_free(type);
    sqlite3_free(sql);
    sqlite3_free(col);
    sqlite3_free(what);
    return rc;
}

/*
 * CREATE TABLE or CREATE INDEX: done when an object of that name and kind
 * exists with the same definition.  Returns SC_OK (with *done), SC_ERROR
 * naming the object, or SC_NOMEM.
 */
static int
object_applied(sc_db *db, const struct stmt_shape *sh, bool *done)
{
    const char *kind = sh->shape == SHAPE_TABLE ? "table" : "index";
    char *name = name_text(&sh->name), *type = NULL, *sql = NULL;
    char *what = NULL;
    struct stmt_shape had;
    int rc;

    if (name == NULL)
        return sci_error(db, SC_NOMEM, "out of memory");
    rc = find_object(db, name, &type, &sql);
    if (rc != SC_OK || type == NULL)
        goto out;           /* not there: the statement makes it */
    if (strcmp(type, kind) != 0) {
        rc = sci_error(db, SC_ERROR, "'%s' already exists as %s %s, where "
                       "this step makes %s %s", name,
                       strcmp(type, "index") == 0 ? "an" : "a", type,
                       strcmp(kind, "index") == 0 ? "an" : "a", kind);
        goto out;
    }
    what = sqlite3_mprintf("%s '%s'", kind, name);
    if (what == NULL) {
        rc = sci_error(db, SC_NOMEM, "out of memory");
        goto out;
    }
    parse_shape(sql, &had);
    if (had.shape != sh->shape)
        rc = sci_error(db, SC_ERROR, "%s already exists, and its definition "
                       "cannot be compared with this step's", what);
    else if (had.unique != sh->unique)
        rc = sci_error(db, SC_ERROR, "%s already exists, but %s unique "
                       "where this step makes it %s", what,
                       had.unique ? "is" : "is not",
                       sh->unique ? "unique" : "not unique");
    else
        rc = compare(db, what, had.tail, NULL, sh->tail, done);
out:
    sqlite3_free(name);
    sqlite3_free(type);
    sqlite3_free(sql);
    sqlite3_free(what);
    return rc;
}

/*
 * Whether the migration statement sql, about to run inside the version's
 * transaction, is already done: a CREATE TABLE, CREATE [UNIQUE] INDEX or
 * ALTER TABLE ... ADD COLUMN whose table, index or column exists with the
 * definition the statement gives it (compared token by token, ignoring
 * spacing, comments, letter case of names and keywords, and the quoting
 * of names).  Sets *done.  Returns SC_OK, or SC_ERROR naming the object
 * when it exists with another definition (running the statement would
 * fail, or with IF NOT EXISTS leave the wrong shape), or SC_NOMEM.
 */
int
sci_step_applied(sc_db *db, const char *sql, bool *done)
{
    struct stmt_shape sh;

    assert(db != NULL && db->conn != NULL && sql != NULL && done != NULL);
    *done = false;
    parse_shape(sql, &sh);
    switch (sh.shape) {
    case SHAPE_TABLE:
    case SHAPE_INDEX:
        return object_applied(db, &sh, done);
    case SHAPE_COLUMN:
        return column_applied(db, &sh, done);
    case SHAPE_OTHER:
        break;
    }
    return SC_OK;
}
