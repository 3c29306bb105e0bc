/*
 * parser.c - recursive descent from tokens to the AST (ast.h), one
 * function per grammar rule with the rule on its first comment line.
 * After a syntax error a rule returns -1 and its caller resynchronises at
 * the next ';' or '}' of its level; the parser stays quiet until it
 * accepts a good token again, so one mistake gives one message.
 */
#include "ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lexer.h"
#include "token.h"

#define MAX_PAREN_DEPTH 200     /* nesting inside check/where ( ... ) */
#define LOOKAHEAD 2

struct parser {
    struct lexer lx;
    struct arena *a;
    struct diags *d;
    struct token t;                     /* the current token */
    struct token ahead[LOOKAHEAD];      /* tokens after it, already cut */
    int nahead;
    struct pos prev_end;                /* just past the last token taken */
    int quiet;                          /* an error is being recovered */
};

/* Append one zeroed element to a counted array in the arena. */
#define PUSH(p, items, n) \
    arena_push((p)->a, (void **)&(items), &(n), sizeof(*(items)))

/* ------------------------------------------------------------------ */
/* Tokens                                                               */
/* ------------------------------------------------------------------ */

/*
 * Cut the next token that is not a doc comment into *t.  Doc comments
 * right before it are joined (one line each, '##' and one blank
 * dropped) into t->doc; t->after_error says the lexer reported an error
 * on the way.
 */
static void
fetch(struct parser *p, struct token *t)
{
    int errors = p->lx.nerrors;
    const char *doc = NULL;

    for (;;) {
        lex_next(&p->lx, t);
        if (t->kind != TOK_DOC)
            break;
        {
            const char *s = t->start + 2;
            size_t n = t->len - 2;
            if (n > 0 && *s == ' ') {
                s++;
                n--;
            }
            while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                             s[n - 1] == '\r'))
                n--;
            doc = doc == NULL ? arena_strndup(p->a, s, n)
                : arena_printf(p->a, "%s\n%.*s", doc, (int)n, s);
        }
    }
    t->doc = doc;
    t->after_error = p->lx.nerrors != errors;
}

/*
 * Move to the next token without accepting the current one (used while
 * skipping).  A lexer error before the new token makes the parser quiet,
 * since that token may be a consequence of it.
 */
static void
advance(struct parser *p)
{
    p->prev_end = p->t.end;
    if (p->nahead > 0) {
        p->t = p->ahead[0];
        memmove(&p->ahead[0], &p->ahead[1],
                (size_t)(p->nahead - 1) * sizeof(p->ahead[0]));
        p->nahead--;
    } else {
        fetch(p, &p->t);
    }
    if (p->t.after_error)
        p->quiet = 1;
}

/* Take the current token as good: leave quiet mode and move on. */
static void
accept(struct parser *p)
{
    p->quiet = 0;
    advance(p);
}

/* Return the token k places after the current one (1 <= k <= 2). */
static const struct token *
peek(struct parser *p, int k)
{
    while (p->nahead < k)
        fetch(p, &p->ahead[p->nahead++]);
    return &p->ahead[k - 1];
}

/* Return true when token t is the identifier (keyword) w. */
static bool
tok_is(const struct token *t, const char *w)
{
    size_t n = strlen(w);

    return t->kind == TOK_IDENT && t->len == n && memcmp(t->start, w, n) == 0;
}

/* Return true when the current token is the keyword w. */
static bool
is_kw(const struct parser *p, const char *w)
{
    return tok_is(&p->t, w);
}

/* Return true when token t names one of the column types. */
static bool
is_type_name(const struct token *t)
{
    return tok_is(t, "integer") || tok_is(t, "real") || tok_is(t, "text") ||
        tok_is(t, "blob") || tok_is(t, "boolean") || tok_is(t, "timestamp");
}

/*
 * Return the current token as messages show it: its text in quotes
 * (long ones cut), "a string" or "end of file".
 */
static const char *
got(struct parser *p)
{
    const struct token *t = &p->t;

    switch (t->kind) {
    case TOK_EOF:
        return "end of file";
    case TOK_STRING:
        return "a string";
    default:
        if (t->len > 32)
            return arena_printf(p->a, "'%.29s...'", t->start);
        return arena_printf(p->a, "'%.*s'", (int)t->len, t->start);
    }
}

/* ------------------------------------------------------------------ */
/* Errors and the four matchers                                         */
/* ------------------------------------------------------------------ */

/*
 * Report a syntax error at pos unless the parser is quiet, then go quiet
 * until a good token is accepted.
 */
static void
syntax_error(struct parser *p, const struct pos *pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
syntax_error(struct parser *p, const struct pos *pos, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (p->quiet)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_error(p->d, pos, "%s", msg);
    p->quiet = 1;
}

/*
 * Return where an error about the current token belongs: the token, or
 * for the end of the file just past the last token, on a line that
 * shows something.
 */
static const struct pos *
here(const struct parser *p)
{
    return p->t.kind == TOK_EOF ? &p->prev_end : &p->t.pos;
}

/* Report "expected WHAT (got 'x')" at the current token.  Returns -1. */
static int
error_expected(struct parser *p, const char *what)
{
    syntax_error(p, here(p), "expected %s (got %s)", what, got(p));
    return -1;
}

/* If the current token is of kind k, accept it and return true. */
static bool
testnext(struct parser *p, enum tok k)
{
    if (p->t.kind != k)
        return false;
    accept(p);
    return true;
}

/* If the current token is the keyword w, accept it and return true. */
static bool
testkw(struct parser *p, const char *w)
{
    if (!is_kw(p, w))
        return false;
    accept(p);
    return true;
}

/* Accept a token of kind k.  Returns 0, or -1 after reporting. */
static int
checknext(struct parser *p, enum tok k)
{
    if (testnext(p, k))
        return 0;
    return error_expected(p, tok_name(k));
}

/* Accept the keyword w.  Returns 0, or -1 after reporting. */
static int
checkkw(struct parser *p, const char *w)
{
    char what[64];

    if (testkw(p, w))
        return 0;
    snprintf(what, sizeof(what), "'%s'", w);
    return error_expected(p, what);
}

/*
 * Accept the token of kind what that closes who, opened at line.  When
 * the opener is on another line the message names it, as in "'}'
 * expected (to close 'table' at line 3)".  Returns 0, or -1.
 */
static int
check_match(struct parser *p, enum tok what, const char *who, int line)
{
    if (testnext(p, what))
        return 0;
    if (line == here(p)->line)
        return error_expected(p, tok_name(what));
    syntax_error(p, here(p), "%s expected (to close '%s' at line %d)",
                 tok_name(what), who, line);
    return -1;
}

/*
 * Accept the ';' that ends a statement.  A missing one is reported just
 * past the previous token, where it belongs.  Returns 0, or -1.
 */
static int
check_semi(struct parser *p)
{
    if (testnext(p, TOK_SEMI))
        return 0;
    syntax_error(p, &p->prev_end, "expected ';' (got %s)", got(p));
    return -1;
}

/* ------------------------------------------------------------------ */
/* Small pieces                                                         */
/* ------------------------------------------------------------------ */

/*
 * name -> IDENT
 * Store the identifier and its position in *n.  Returns 0, or -1.
 */
static int
name(struct parser *p, const char *what, struct ast_name *n)
{
    n->pos = p->t.pos;
    n->name = NULL;
    if (p->t.kind != TOK_IDENT)
        return error_expected(p, what);
    n->name = arena_strndup(p->a, p->t.start, p->t.len);
    accept(p);
    return 0;
}

/*
 * version -> INT
 * Store the number and its position in *v.  An integer too large for 64
 * bits is reported but accepted, so parsing goes on.  Returns 0, or -1.
 */
static int
version(struct parser *p, struct ast_version *v)
{
    if (p->t.kind != TOK_INT)
        return error_expected(p, "a version number");
    v->pos = p->t.pos;
    v->set = true;
    lex_int(p->d, &p->t, &v->value);
    accept(p);
    return 0;
}

/*
 * string -> STRING
 * Store the unescaped value in *s and the token in *tok.  Bad escapes
 * are reported but the string is accepted.  Returns 0, or -1.
 */
static int
string(struct parser *p, const char *what, const char **s,
       struct token *tok)
{
    char *value;

    if (p->t.kind != TOK_STRING)
        return error_expected(p, what);
    *tok = p->t;
    lex_string(p->a, p->d, &p->t, &value);
    *s = value;
    accept(p);
    return 0;
}

/*
 * history -> 'since' INT | 'until' INT
 * Store the version in h (the current token is 'since' or 'until').
 * Returns 0, or -1.
 */
static int
history(struct parser *p, struct ast_history *h)
{
    bool since = is_kw(p, "since");
    struct ast_version *v = since ? &h->since : &h->until;
    struct pos kw = p->t.pos;

    if (v->set)
        diag_error(p->d, &kw, "'%s' given twice (first at %d:%d)",
                   since ? "since" : "until", v->pos.line, v->pos.col);
    accept(p);
    if (version(p, v) != 0)
        return -1;
    v->pos = kw;
    return 0;
}

/*
 * rename -> 'renamed_from' IDENT 'since' INT
 * Append the rename to *items (current token: 'renamed_from').
 * Returns 0, or -1.
 */
static int
rename_clause(struct parser *p, struct ast_rename **items, size_t *n)
{
    struct ast_rename *r = PUSH(p, *items, *n);
    struct pos kw;

    if (r == NULL)
        return -1;
    r->pos = p->t.pos;
    accept(p);
    if (name(p, "the old name", &r->old_name) != 0)
        return -1;
    kw = p->t.pos;
    if (checkkw(p, "since") != 0 || version(p, &r->since) != 0)
        return -1;
    r->since.pos = kw;
    return 0;
}

/*
 * sql_paren -> '(' sql_tokens ')'
 * sql_tokens is any run of tokens with balanced parentheses and no ';',
 * '{' or '}'.  Stores the exact source text between the outer
 * parentheses in *text.  Returns 0, or -1.
 */
static int
sql_paren(struct parser *p, const char **text)
{
    struct token open = p->t;
    int depth = 1;

    if (checknext(p, TOK_LPAREN) != 0)
        return -1;
    if (p->t.kind == TOK_RPAREN)
        return error_expected(p, "an expression");
    for (;;) {
        switch (p->t.kind) {
        case TOK_EOF: case TOK_SEMI: case TOK_LBRACE: case TOK_RBRACE:
            return check_match(p, TOK_RPAREN, "(", open.pos.line);
        case TOK_LPAREN:
            if (++depth > MAX_PAREN_DEPTH) {
                syntax_error(p, &p->t.pos, "expression nested too deeply "
                             "(limit is %d)", MAX_PAREN_DEPTH);
                return -1;
            }
            break;
        case TOK_RPAREN:
            if (--depth == 0) {
                const char *from = open.start + 1;
                *text = arena_strndup(p->a, from,
                                      (size_t)(p->t.start - from));
                accept(p);
                return 0;
            }
            break;
        default:
            break;
        }
        accept(p);
    }
}

/*
 * name_list -> '(' IDENT { ',' IDENT } ')'
 * Store the names in *items.  Returns 0, or -1.
 */
static int
name_list(struct parser *p, struct ast_name **items, size_t *n)
{
    int line = p->t.pos.line;

    if (checknext(p, TOK_LPAREN) != 0)
        return -1;
    do {
        struct ast_name *nm = PUSH(p, *items, *n);
        if (nm == NULL || name(p, "a column name", nm) != 0)
            return -1;
    } while (testnext(p, TOK_COMMA));
    return check_match(p, TOK_RPAREN, "(", line);
}

/* ------------------------------------------------------------------ */
/* Columns                                                              */
/* ------------------------------------------------------------------ */

/*
 * literal -> INT | REAL | STRING | 'null' | 'true' | 'false'
 *          | 'current_timestamp' | IDENT
 * Store the DEFAULT value in *lit (an IDENT names an enum value; the
 * checker decides whether the column has one).  Returns 0, or -1.
 */
static int
literal(struct parser *p, struct ast_literal *lit)
{
    static const struct { const char *word; enum ast_lit kind; } words[] = {
        { "null", AST_LIT_NULL }, { "true", AST_LIT_TRUE },
        { "false", AST_LIT_FALSE },
        { "current_timestamp", AST_LIT_CURRENT_TIMESTAMP },
    };
    size_t i;
    struct token tok;
    double real;

    lit->pos = p->t.pos;
    switch (p->t.kind) {
    case TOK_INT:
        lit->kind = AST_LIT_INT;
        lit->text = arena_strndup(p->a, p->t.start, p->t.len);
        lex_int(p->d, &p->t, &lit->ival);
        accept(p);
        return 0;
    case TOK_REAL:
        lit->kind = AST_LIT_REAL;
        lit->text = arena_strndup(p->a, p->t.start, p->t.len);
        lex_real(p->d, &p->t, &real);
        accept(p);
        return 0;
    case TOK_STRING:
        lit->kind = AST_LIT_STRING;
        return string(p, "a string", &lit->text, &tok);
    case TOK_IDENT:
        for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
            if (is_kw(p, words[i].word)) {
                lit->kind = words[i].kind;
                lit->text = words[i].word;
                accept(p);
                return 0;
            }
        lit->kind = AST_LIT_NAME;
        lit->text = arena_strndup(p->a, p->t.start, p->t.len);
        accept(p);
        return 0;
    default:
        break;
    }
    return error_expected(p, "a default value");
}

/*
 * on_action -> 'on' ( 'delete' | 'update' ) ( 'cascade' | 'restrict'
 *              | 'no' 'action' | 'set' 'null' | 'set' 'default' )
 * Store the action in c->on_delete or c->on_update (current token:
 * 'on').  Returns 0, or -1.
 */
static int
on_action(struct parser *p, struct ast_constraint *c)
{
    struct pos pos = p->t.pos;
    struct ast_action *act;
    const char *sql;

    accept(p);
    if (testkw(p, "delete"))
        act = &c->on_delete;
    else if (testkw(p, "update"))
        act = &c->on_update;
    else
        return error_expected(p, "'delete' or 'update'");
    if (testkw(p, "cascade"))
        sql = "CASCADE";
    else if (testkw(p, "restrict"))
        sql = "RESTRICT";
    else if (testkw(p, "no")) {
        if (checkkw(p, "action") != 0)
            return -1;
        sql = "NO ACTION";
    } else if (testkw(p, "set")) {
        if (testkw(p, "null"))
            sql = "SET NULL";
        else if (testkw(p, "default"))
            sql = "SET DEFAULT";
        else
            return error_expected(p, "'null' or 'default'");
    } else {
        return error_expected(p, "'cascade', 'restrict', 'no action', "
                              "'set null' or 'set default'");
    }
    if (act->sql != NULL)
        diag_error(p->d, &pos, "'on %s' given twice (first at %d:%d)",
                   act == &c->on_delete ? "delete" : "update",
                   act->pos.line, act->pos.col);
    act->pos = pos;
    act->sql = sql;
    return 0;
}

/*
 * references -> 'references' IDENT name_list { on_action }
 *               [ 'deferrable' ]
 * Fill the REFERENCES constraint c (current token: 'references'); the
 * checker matches the parent's columns with the constraint's.  Returns
 * 0, or -1.
 */
static int
references(struct parser *p, struct ast_constraint *c)
{
    accept(p);
    if (name(p, "a table name", &c->ref_table) != 0 ||
        name_list(p, &c->ref_columns, &c->nref_columns) != 0)
        return -1;
    while (is_kw(p, "on"))
        if (on_action(p, c) != 0)
            return -1;
    if (testkw(p, "deferrable"))
        c->deferrable = true;
    return 0;
}

/* Append a constraint of kind k at the current token to *items. */
static struct ast_constraint *
new_constraint(struct parser *p, struct ast_constraint **items, size_t *n,
               enum m_ckind k)
{
    struct ast_constraint *c = PUSH(p, *items, *n);

    if (c != NULL) {
        c->pos = p->t.pos;
        c->kind = k;
    }
    return c;
}

/*
 * sql_name -> 'sql' STRING
 * Store the SQL name of a table or column in *out (current token:
 * 'sql'); the checker refuses an empty one.  Returns 0, or -1.
 */
static int
sql_name(struct parser *p, struct ast_name *out)
{
    struct token tok;

    if (out->name != NULL)
        diag_error(p->d, &p->t.pos, "'sql' given twice (first at %d:%d)",
                   out->pos.line, out->pos.col);
    accept(p);
    out->pos = p->t.pos;
    return string(p, "a string", &out->name, &tok);
}

/*
 * generated -> 'as' sql_paren [ 'stored' | 'virtual' ]
 * Make col a generated column (current token: 'as'); a following
 * since/until is the column's.  Returns 0, or -1.
 */
static int
generated(struct parser *p, struct ast_column *col,
          struct ast_history **target)
{
    if (col->generated != NULL)
        diag_error(p->d, &p->t.pos, "'as' given twice on column '%s' "
                   "(first at %d:%d)", col->name, col->generated_pos.line,
                   col->generated_pos.col);
    col->generated_pos = p->t.pos;
    accept(p);
    if (sql_paren(p, &col->generated) != 0)
        return -1;
    if (testkw(p, "stored"))
        col->stored = true;
    else
        testkw(p, "virtual");
    *target = &col->hist;
    return 0;
}

/*
 * column_item -> 'primary' 'key' [ 'autoincrement' ] | 'not' 'null'
 *              | 'unique'
 *              | 'default' literal | 'check' sql_paren | references
 *              | 'collate' IDENT | 'constraint' IDENT column_item
 *              | generated | sql_name
 *              | rename | history
 * Parse one item after a column's type.  *target is the history that a
 * following since/until belongs to: the column's, or the constraint
 * just parsed.  Returns 0, 1 when the current token starts no item, or
 * -1 after an error.
 */
static int
column_item(struct parser *p, struct ast_column *col,
            struct ast_history **target)
{
    struct ast_constraint *c;
    enum m_ckind k;

    if (is_kw(p, "since") || is_kw(p, "until"))
        return history(p, *target);
    if (is_kw(p, "renamed_from")) {
        *target = &col->hist;
        return rename_clause(p, &col->renames, &col->nrenames);
    }
    if (testkw(p, "collate"))
        return name(p, "a collation name", &col->collate);
    if (is_kw(p, "as") && peek(p, 1)->kind == TOK_LPAREN)
        return generated(p, col, target);
    if (is_kw(p, "sql") && peek(p, 1)->kind == TOK_STRING)
        return sql_name(p, &col->sql_name);
    if (is_kw(p, "constraint")) {
        struct ast_name cname;
        int rc;
        accept(p);
        if (name(p, "a constraint name", &cname) != 0)
            return -1;
        if ((rc = column_item(p, col, target)) != 0
            || col->nconstraints == 0
            || &col->constraints[col->nconstraints - 1].hist != *target) {
            if (rc == 0)
                syntax_error(p, &cname.pos, "'constraint %s' must name the "
                             "constraint after it", cname.name);
            return -1;
        }
        col->constraints[col->nconstraints - 1].name = cname;
        return 0;
    }
    if (is_kw(p, "primary"))
        k = M_C_PRIMARY_KEY;
    else if (is_kw(p, "not"))
        k = M_C_NOT_NULL;
    else if (is_kw(p, "unique"))
        k = M_C_UNIQUE;
    else if (is_kw(p, "default"))
        k = M_C_DEFAULT;
    else if (is_kw(p, "check"))
        k = M_C_CHECK;
    else if (is_kw(p, "references"))
        k = M_C_REFERENCES;
    else
        return 1;
    if ((c = new_constraint(p, &col->constraints, &col->nconstraints,
                            k)) == NULL)
        return -1;
    *target = &c->hist;
    switch (k) {
    case M_C_PRIMARY_KEY:
        accept(p);
        if (checkkw(p, "key") != 0)
            return -1;
        if (is_kw(p, "autoincrement")) {
            c->autoincrement = true;
            c->autoincrement_pos = p->t.pos;
            accept(p);
        }
        return 0;
    case M_C_NOT_NULL:
        accept(p);
        return checkkw(p, "null");
    case M_C_UNIQUE:
        accept(p);
        return 0;
    case M_C_DEFAULT:
        accept(p);
        return literal(p, &c->def);
    case M_C_CHECK:
        accept(p);
        return sql_paren(p, &c->expr);
    case M_C_REFERENCES:
        return references(p, c);
    }
    return -1;
}

/*
 * column -> IDENT type { column_item } ';'
 * type   -> IDENT
 * Append one column to t->columns.  Returns 0, or -1 (the caller
 * resyncs).
 */
static int
column_def(struct parser *p, struct ast_table *t)
{
    struct ast_column *col = PUSH(p, t->columns, t->ncolumns);
    struct ast_history *target;
    struct ast_name n;
    int rc;

    if (col == NULL)
        return -1;
    col->pos = p->t.pos;
    col->doc = p->t.doc;
    if (name(p, "a column, index or constraint", &n) != 0)
        return -1;
    col->name = n.name;
    if (name(p, "a type", &col->type) != 0)
        return -1;
    target = &col->hist;
    while ((rc = column_item(p, col, &target)) == 0)
        ;
    if (rc < 0)
        return -1;
    return check_semi(p);
}

/* ------------------------------------------------------------------ */
/* Indexes and table constraints                                        */
/* ------------------------------------------------------------------ */

/*
 * index_col -> ( IDENT | sql_paren ) [ 'collate' IDENT ] [ 'asc' | 'desc' ]
 * Append one indexed column or expression to ix.  Returns 0, or -1.
 */
static int
index_col(struct parser *p, struct ast_index *ix)
{
    struct ast_index_column *ic = PUSH(p, ix->columns, ix->ncolumns);

    if (ic == NULL)
        return -1;
    if (p->t.kind == TOK_LPAREN) {
        if (sql_paren(p, &ic->expr) != 0)
            return -1;
    } else if (name(p, "a column name or '('", &ic->name) != 0) {
        return -1;
    }
    if (testkw(p, "collate") && name(p, "a collation name", &ic->collate))
        return -1;
    if (testkw(p, "desc"))
        ic->desc = true;
    else
        testkw(p, "asc");
    return 0;
}

/*
 * index -> [ 'unique' ] 'index' IDENT '(' index_col { ',' index_col } ')'
 *          [ 'where' sql_paren ] { history | 'unversioned' } ';'
 * Append one index to t->indexes.  Returns 0, or -1.
 */
static int
index_def(struct parser *p, struct ast_table *t)
{
    struct ast_index *ix = PUSH(p, t->indexes, t->nindexes);
    struct ast_name n;
    int line;

    if (ix == NULL)
        return -1;
    ix->pos = p->t.pos;
    if (testkw(p, "unique"))
        ix->unique = true;
    if (checkkw(p, "index") != 0 || name(p, "an index name", &n) != 0)
        return -1;
    ix->name = n.name;
    ix->name_pos = n.pos;
    line = p->t.pos.line;
    if (checknext(p, TOK_LPAREN) != 0)
        return -1;
    do {
        if (index_col(p, ix) != 0)
            return -1;
    } while (testnext(p, TOK_COMMA));
    if (check_match(p, TOK_RPAREN, "(", line) != 0)
        return -1;
    if (testkw(p, "where") && sql_paren(p, &ix->where) != 0)
        return -1;
    for (;;) {
        if (is_kw(p, "unversioned")) {
            if (ix->unversioned.line != 0)
                diag_error(p->d, &p->t.pos, "'unversioned' given twice "
                           "(first at %d:%d)", ix->unversioned.line,
                           ix->unversioned.col);
            ix->unversioned = p->t.pos;
            accept(p);
        } else if (is_kw(p, "since") || is_kw(p, "until")) {
            if (history(p, &ix->hist) != 0)
                return -1;
        } else {
            break;
        }
    }
    return check_semi(p);
}

/*
 * table_constraint -> [ 'constraint' IDENT ] ( 'primary' 'key' name_list
 *                     | 'unique' name_list | 'check' sql_paren
 *                     | 'foreign' 'key' name_list references )
 *                     { history } ';'
 * Append one table-level constraint to t->constraints.  Returns 0, or -1.
 */
static int
table_constraint(struct parser *p, struct ast_table *t)
{
    struct ast_constraint *c;
    struct ast_name cname = { { NULL, 0, 0 }, NULL };
    enum m_ckind k;
    int rc;

    if (testkw(p, "constraint") && name(p, "a constraint name", &cname))
        return -1;
    if (is_kw(p, "primary"))
        k = M_C_PRIMARY_KEY;
    else if (is_kw(p, "unique"))
        k = M_C_UNIQUE;
    else if (is_kw(p, "check"))
        k = M_C_CHECK;
    else if (is_kw(p, "foreign"))
        k = M_C_REFERENCES;
    else
        return error_expected(p, "'check', 'unique', 'primary key' or "
                              "'foreign key' after the constraint's name");
    if ((c = new_constraint(p, &t->constraints, &t->nconstraints, k)) == NULL)
        return -1;
    c->name = cname;
    accept(p);
    if ((k == M_C_PRIMARY_KEY || k == M_C_REFERENCES)
        && checkkw(p, "key") != 0)
        return -1;
    if (k == M_C_CHECK)
        rc = sql_paren(p, &c->expr);
    else
        rc = name_list(p, &c->columns, &c->ncolumns);
    if (rc == 0 && k == M_C_REFERENCES)
        rc = is_kw(p, "references") ? references(p, c)
            : error_expected(p, "'references'");
    if (rc != 0)
        return -1;
    while (is_kw(p, "since") || is_kw(p, "until"))
        if (history(p, &c->hist) != 0)
            return -1;
    return check_semi(p);
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */
/* ------------------------------------------------------------------ */

/*
 * Return true when the current token starts a new table ("table NAME {"
 * or "table NAME since/until/renamed_from"), which inside a table body
 * means its '}' is missing.
 */
static bool
starts_table(struct parser *p)
{
    const struct token *t2;

    if (!is_kw(p, "table") || peek(p, 1)->kind != TOK_IDENT)
        return false;
    t2 = peek(p, 2);
    return t2->kind == TOK_LBRACE;
}

/*
 * member -> column | index | table_constraint
 * Decide by the first two or three tokens (keywords are plain names, so
 * "index integer;" is a column named index).  Returns 0, or -1.
 */
static int
member(struct parser *p, struct ast_table *t)
{
    const struct token *t1;

    if (p->t.kind != TOK_IDENT)
        return column_def(p, t);
    t1 = peek(p, 1);
    if (is_kw(p, "index") && t1->kind == TOK_IDENT &&
        (!is_type_name(t1) || peek(p, 2)->kind == TOK_LPAREN))
        return index_def(p, t);
    if (is_kw(p, "unique") && tok_is(t1, "index"))
        return index_def(p, t);
    if ((is_kw(p, "unique") || is_kw(p, "check")) && t1->kind == TOK_LPAREN)
        return table_constraint(p, t);
    if ((is_kw(p, "primary") || is_kw(p, "foreign")) && tok_is(t1, "key"))
        return table_constraint(p, t);
    /* "constraint NAME ..." unless NAME is a built-in type (a column
     * called constraint). */
    if (is_kw(p, "constraint") && t1->kind == TOK_IDENT && !is_type_name(t1))
        return table_constraint(p, t);
    return column_def(p, t);
}

/*
 * Skip to the end of a broken member: past the next ';', or up to the
 * '}' that closes the table, the start of the next table or the end.
 */
static void
sync_member(struct parser *p)
{
    for (;;) {
        switch (p->t.kind) {
        case TOK_EOF: case TOK_RBRACE:
            return;
        case TOK_SEMI:
            advance(p);
            return;
        default:
            if (starts_table(p))
                return;
            advance(p);
        }
    }
}

/*
 * table_history -> { 'since' INT | 'until' INT | rename | 'strict'
 *                   | 'without' 'rowid' | sql_name }
 * Parse the history and options between a table's name and its '{'.
 * Returns 0, or -1.
 */
static int
table_history(struct parser *p, struct ast_table *t)
{
    for (;;) {
        if (is_kw(p, "since") || is_kw(p, "until")) {
            if (history(p, &t->hist) != 0)
                return -1;
        } else if (is_kw(p, "renamed_from")) {
            if (rename_clause(p, &t->renames, &t->nrenames) != 0)
                return -1;
        } else if (is_kw(p, "sql") && peek(p, 1)->kind == TOK_STRING) {
            if (sql_name(p, &t->sql_name) != 0)
                return -1;
        } else if (testkw(p, "strict")) {
            t->strict = true;
        } else if (is_kw(p, "without")) {
            t->without_rowid_pos = p->t.pos;
            accept(p);
            if (checkkw(p, "rowid") != 0)
                return -1;
            t->without_rowid = true;
        } else {
            return 0;
        }
    }
}

/*
 * table -> 'table' IDENT table_history '{' { member } '}'
 * Append one table to s->tables.  A broken header is skipped up to its
 * '{' so the body is still checked.  Returns 0 (errors are handled
 * here).
 */
static int
table_stat(struct parser *p, struct ast_schema *s)
{
    struct ast_table *t = PUSH(p, s->tables, s->ntables);
    int line = p->t.pos.line;
    struct ast_name n;

    if (t == NULL)
        return -1;
    t->doc = p->t.doc;
    accept(p);
    t->pos = p->t.pos;
    if (name(p, "a table name", &n) != 0 || table_history(p, t) != 0 ||
        (p->t.kind != TOK_LBRACE && error_expected(p, "'{'") != 0)) {
        while (p->t.kind != TOK_LBRACE && p->t.kind != TOK_SEMI &&
               p->t.kind != TOK_RBRACE && p->t.kind != TOK_EOF)
            advance(p);
        if (p->t.kind != TOK_LBRACE) {
            if (p->t.kind != TOK_EOF)
                advance(p);
            return 0;
        }
    }
    t->name = n.name;
    accept(p);
    while (p->t.kind != TOK_RBRACE && p->t.kind != TOK_EOF &&
           !starts_table(p))
        if (member(p, t) != 0)
            sync_member(p);
    check_match(p, TOK_RBRACE, "table", line);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Top-level statements                                                 */
/* ------------------------------------------------------------------ */

/*
 * option -> 'option' IDENT '=' ( IDENT | STRING | INT ) ';'
 * Append one option to s->options.  Returns 0, or -1.
 */
static int
option_stat(struct parser *p, struct ast_schema *s)
{
    struct ast_option *o = PUSH(p, s->options, s->noptions);
    struct ast_name n;
    struct token tok;

    if (o == NULL)
        return -1;
    accept(p);
    if (name(p, "an option name", &n) != 0 || checknext(p, TOK_EQ) != 0)
        return -1;
    o->pos = n.pos;
    o->name = n.name;
    o->value_pos = p->t.pos;
    switch (p->t.kind) {
    case TOK_IDENT:
    case TOK_INT:
        o->kind = p->t.kind == TOK_IDENT ? AST_V_IDENT : AST_V_INT;
        o->value = arena_strndup(p->a, p->t.start, p->t.len);
        accept(p);
        break;
    case TOK_STRING:
        o->kind = AST_V_STRING;
        if (string(p, "a string", &o->value, &tok) != 0)
            return -1;
        break;
    default:
        return error_expected(p, "an option value");
    }
    return check_semi(p);
}

/*
 * migration -> 'migration' INT 'sql' STRING ';'
 * Append one data migration to s->migrations.  Returns 0, or -1.
 */
static int
migration_stat(struct parser *p, struct ast_schema *s)
{
    struct ast_migration *m = PUSH(p, s->migrations, s->nmigrations);
    struct token tok;

    if (m == NULL)
        return -1;
    m->pos = p->t.pos;
    accept(p);
    if (version(p, &m->version) != 0 || checkkw(p, "sql") != 0 ||
        string(p, "the migration's SQL string", &m->sql, &tok) != 0)
        return -1;
    m->sql_pos = lex_pos_at(&tok, 1);
    m->sql_body = tok.start + 1;
    m->sql_body_len = tok.len >= 2 ? tok.len - 2 : 0;
    return check_semi(p);
}

/*
 * param -> IDENT type
 * Append one query parameter to q->params.  Returns 0, or -1.
 */
static int
param(struct parser *p, struct ast_query *q)
{
    struct ast_param *pa = PUSH(p, q->params, q->nparams);
    struct ast_name n;

    if (pa == NULL || name(p, "a parameter name", &n) != 0)
        return -1;
    pa->pos = n.pos;
    pa->name = n.name;
    return name(p, "a type", &pa->type);
}

/*
 * pg_text -> [ 'postgresql' STRING ]
 * The text a query, view or trigger gives PostgreSQL in place of its
 * SQLite text; out->sql stays NULL without one.  Returns 0, or -1.
 */
static int
pg_text(struct parser *p, const char *what, struct m_sqltext *out)
{
    struct token tok;

    if (!testkw(p, "postgresql"))
        return 0;
    if (string(p, what, &out->sql, &tok) != 0)
        return -1;
    out->pos = lex_pos_at(&tok, 1);
    out->body = tok.start + 1;
    out->body_len = tok.len >= 2 ? tok.len - 2 : 0;
    return 0;
}

/*
 * query -> 'query' IDENT '(' [ param { ',' param } ] ')'
 *          [ 'returns' IDENT ] ( 'one' | 'many' | 'exec' ) STRING pg_text
 *          ';'
 * Append one named query to s->queries.  Returns 0, or -1.
 */
static int
query_stat(struct parser *p, struct ast_schema *s)
{
    struct ast_query *q = PUSH(p, s->queries, s->nqueries);
    struct ast_name n;
    struct token tok;
    int line;

    if (q == NULL)
        return -1;
    q->doc = p->t.doc;
    accept(p);
    if (name(p, "a query name", &n) != 0)
        return -1;
    q->pos = n.pos;
    q->name = n.name;
    line = p->t.pos.line;
    if (checknext(p, TOK_LPAREN) != 0)
        return -1;
    if (p->t.kind != TOK_RPAREN)
        do {
            if (param(p, q) != 0)
                return -1;
        } while (testnext(p, TOK_COMMA));
    if (check_match(p, TOK_RPAREN, "(", line) != 0)
        return -1;
    if (testkw(p, "returns") &&
        name(p, "a table or query name", &q->returns) != 0)
        return -1;
    q->kind_pos = p->t.pos;
    if (testkw(p, "one"))
        q->kind = M_Q_ONE;
    else if (testkw(p, "many"))
        q->kind = M_Q_MANY;
    else if (testkw(p, "exec"))
        q->kind = M_Q_EXEC;
    else
        return error_expected(p, "'one', 'many' or 'exec'");
    if (string(p, "the query's SQL string", &q->sql, &tok) != 0)
        return -1;
    q->sql_pos = lex_pos_at(&tok, 1);
    q->sql_body = tok.start + 1;
    q->sql_body_len = tok.len >= 2 ? tok.len - 2 : 0;
    if (pg_text(p, "the query's PostgreSQL SQL", &q->pg) != 0)
        return -1;
    return check_semi(p);
}

/*
 * enum_value -> [ DOC ] IDENT { history | 'replaced_by' IDENT }
 * Append one value to e->values.  Returns 0, or -1.
 */
static int
enum_value(struct parser *p, struct ast_enum *e)
{
    struct ast_enum_value *v = PUSH(p, e->values, e->nvalues);
    struct ast_name n;

    if (v == NULL)
        return -1;
    v->doc = p->t.doc;
    if (name(p, "an enum value", &n) != 0)
        return -1;
    v->pos = n.pos;
    v->name = n.name;
    for (;;) {
        if (is_kw(p, "since") || is_kw(p, "until")) {
            if (history(p, &v->hist) != 0)
                return -1;
        } else if (testkw(p, "replaced_by")) {
            if (name(p, "the value that replaces it", &v->replaced_by) != 0)
                return -1;
        } else {
            return 0;
        }
    }
}

/*
 * enum -> 'enum' IDENT '{' enum_value { ',' enum_value } [ ',' ] '}'
 * Append one enum to s->enums.  Returns 0, or -1.
 */
static int
enum_stat(struct parser *p, struct ast_schema *s)
{
    struct ast_enum *e = PUSH(p, s->enums, s->nenums);
    int line = p->t.pos.line;
    struct ast_name n;

    if (e == NULL)
        return -1;
    e->doc = p->t.doc;
    accept(p);
    if (name(p, "an enum name", &n) != 0 || checknext(p, TOK_LBRACE) != 0)
        return -1;
    e->pos = n.pos;
    e->name = n.name;
    do {
        if (p->t.kind == TOK_RBRACE && e->nvalues > 0)
            break;              /* a trailing comma */
        if (enum_value(p, e) != 0)
            return -1;
    } while (testnext(p, TOK_COMMA));
    return check_match(p, TOK_RBRACE, "enum", line);
}

/*
 * trigger -> [ DOC ] 'trigger' IDENT { history } STRING pg_text ';'
 * view    -> [ DOC ] 'view' IDENT { history } STRING pg_text ';'
 * Append one trigger to s->triggers, or with is_view one view to
 * s->views.  Returns 0, or -1.
 */
static int
object_stat(struct parser *p, struct ast_schema *s, bool is_view)
{
    struct ast_trigger *t = is_view ? PUSH(p, s->views, s->nviews)
        : PUSH(p, s->triggers, s->ntriggers);
    struct ast_name n;
    struct token tok;

    if (t == NULL)
        return -1;
    t->doc = p->t.doc;
    accept(p);
    if (name(p, is_view ? "a view name" : "a trigger name", &n) != 0)
        return -1;
    t->pos = n.pos;
    t->name = n.name;
    while (is_kw(p, "since") || is_kw(p, "until"))
        if (history(p, &t->hist) != 0)
            return -1;
    if (string(p, is_view ? "the view's SELECT statement"
               : "the trigger's CREATE TRIGGER statement", &t->sql, &tok)
        != 0)
        return -1;
    t->sql_pos = lex_pos_at(&tok, 1);
    t->sql_body = tok.start + 1;
    t->sql_body_len = tok.len >= 2 ? tok.len - 2 : 0;
    if (pg_text(p, is_view ? "the view's PostgreSQL SELECT"
                : "the trigger's PostgreSQL statements", &t->pg) != 0)
        return -1;
    return check_semi(p);
}

/*
 * item -> option | table | migration | query | enum | trigger | view
 * Parse one top-level statement.  Returns 0, or -1 (the caller resyncs).
 */
static int
item(struct parser *p, struct ast_schema *s)
{
    if (is_kw(p, "table"))
        return table_stat(p, s);
    if (is_kw(p, "option"))
        return option_stat(p, s);
    if (is_kw(p, "migration"))
        return migration_stat(p, s);
    if (is_kw(p, "query"))
        return query_stat(p, s);
    if (is_kw(p, "enum"))
        return enum_stat(p, s);
    if (is_kw(p, "trigger") || is_kw(p, "view"))
        return object_stat(p, s, is_kw(p, "view"));
    return error_expected(p, "'table', 'option', 'migration', 'query', "
                          "'enum', 'trigger' or 'view'");
}

/*
 * Skip to the end of a broken top-level statement: past its ';', past a
 * stray '}' or a whole '{ ... }' block, or up to the keyword that starts
 * the next statement.
 */
static void
sync_item(struct parser *p)
{
    int depth;

    for (;;) {
        switch (p->t.kind) {
        case TOK_EOF:
            return;
        case TOK_SEMI: case TOK_RBRACE:
            advance(p);
            return;
        case TOK_LBRACE:
            for (depth = 0; p->t.kind != TOK_EOF; advance(p)) {
                if (p->t.kind == TOK_LBRACE)
                    depth++;
                else if (p->t.kind == TOK_RBRACE && --depth == 0) {
                    advance(p);
                    return;
                }
            }
            return;
        default:
            if (is_kw(p, "table") || is_kw(p, "option") ||
                is_kw(p, "migration") || is_kw(p, "query") ||
                is_kw(p, "enum") || is_kw(p, "trigger") || is_kw(p, "view"))
                return;
            advance(p);
        }
    }
}

/*
 * header -> 'schema' IDENT 'version' INT ';'
 * Fill the schema's name and version.  Returns 0, or -1.
 */
static int
header(struct parser *p, struct ast_schema *s)
{
    struct ast_name n;

    s->pos = p->t.pos;
    s->doc = p->t.doc;
    if (checkkw(p, "schema") != 0 || name(p, "the schema name", &n) != 0)
        return -1;
    s->name = n.name;
    if (checkkw(p, "version") != 0 || version(p, &s->version) != 0)
        return -1;
    return check_semi(p);
}

/*
 * schema_file -> header { item } EOF
 * Parse a whole file; see ast.h.
 */
struct ast_schema *
parse_schema(struct arena *a, struct diags *d, const char *file,
             const char *text, size_t len)
{
    struct parser p;
    struct ast_schema *s;

    memset(&p, 0, sizeof(p));
    p.a = a;
    p.d = d;
    if ((s = arena_alloc(a, sizeof(*s))) == NULL)
        return NULL;
    lex_init(&p.lx, d, file, text, len);
    p.prev_end.file = file;
    p.prev_end.line = 1;
    p.prev_end.col = 1;
    fetch(&p, &p.t);
    if (p.t.after_error)
        p.quiet = 1;
    if (header(&p, s) != 0)
        sync_item(&p);
    while (p.t.kind != TOK_EOF)
        if (item(&p, s) != 0)
            sync_item(&p);
    return a->failed ? NULL : s;
}
