/*
 * sqltext.c - reading SQL text without SQLite (sqltext.h): tokens, and
 * the result expressions of a plain SELECT whose value can never be NULL.
 */
#include "sqltext.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* True for a byte SQLite allows in a parameter or identifier name; see
 * sqltext.h. */
bool
sqltext_name_byte(unsigned char ch)
{
    return ch == '_' || ch == '$' || ch >= 0x80 || (ch >= '0' && ch <= '9')
        || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* The offset just past the quoted run that starts at sql[i] and ends with
 * close (doubled close bytes stay inside), or the end of sql. */
static size_t
skip_quoted(const char *sql, size_t i, char close)
{
    for (i++; sql[i] != '\0'; i++) {
        if (sql[i] != close)
            continue;
        if (close != ']' && sql[i + 1] == close) {
            i++;
            continue;
        }
        return i + 1;
    }
    return i;
}

/*
 * Cut the next token of sql from *i on, skipping blanks and comments:
 * a bare name, a parameter (?NNN, :x, @x, $x), or anything else (a quoted
 * string or name counts as one token).  Sets *start to its first byte and
 * *i past it.
 */
enum sqltext_tok
sqltext_token(const char *sql, size_t *i, size_t *start)
{
    size_t k = *i;
    char ch;

    for (;;) {
        while (sql[k] != '\0' && strchr(" \t\r\n\f\v", sql[k]) != NULL)
            k++;
        if (sql[k] == '-' && sql[k + 1] == '-') {
            while (sql[k] != '\0' && sql[k] != '\n')
                k++;
        } else if (sql[k] == '/' && sql[k + 1] == '*') {
            for (k += 2; sql[k] != '\0'
                 && !(sql[k] == '*' && sql[k + 1] == '/'); k++)
                ;
            k += sql[k] != '\0' ? 2 : 0;
        } else {
            break;
        }
    }
    *start = k;
    ch = sql[k];
    if (ch == '\0') {
        *i = k;
        return SQLTEXT_END;
    }
    if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
        *i = skip_quoted(sql, k, ch == '[' ? ']' : ch);
        return SQLTEXT_OTHER;
    }
    if (ch == '?' || ch == ':' || ch == '$' || ch == '@') {
        for (k++; ch == '?' ? (sql[k] >= '0' && sql[k] <= '9')
             : sqltext_name_byte((unsigned char)sql[k]); k++)
            ;
        *i = k;
        return SQLTEXT_PARAM;
    }
    if (sqltext_name_byte((unsigned char)ch)) {
        while (sqltext_name_byte((unsigned char)sql[k]))
            k++;
        *i = k;
        return SQLTEXT_NAME;
    }
    *i = k + 1;
    return SQLTEXT_OTHER;
}

/* The length of the dollar-quote opener ($$ or $tag$) at sql[i], or 0
 * when none starts there ($1 is a parameter: a tag starts with a
 * letter or '_'). */
static size_t
dollar_tag(const char *sql, size_t i)
{
    size_t k = i + 1;

    if (sql[i] != '$')
        return 0;
    if (sql[k] == '_' || (sql[k] >= 'a' && sql[k] <= 'z')
        || (sql[k] >= 'A' && sql[k] <= 'Z'))
        while (sql[k] != '$' && sqltext_name_byte((unsigned char)sql[k]))
            k++;
    return sql[k] == '$' ? k + 1 - i : 0;
}

/* See sqltext.h. */
size_t
sqltext_pg_statement_len(const char *sql)
{
    size_t i = 0, tag, k;

    while (sql[i] != '\0' && sql[i] != ';') {
        if (sql[i] == '\'' || sql[i] == '"') {
            i = skip_quoted(sql, i, sql[i]);
        } else if (sql[i] == '-' && sql[i + 1] == '-') {
            while (sql[i] != '\0' && sql[i] != '\n')
                i++;
        } else if (sql[i] == '/' && sql[i + 1] == '*') {
            for (i += 2; sql[i] != '\0'
                 && !(sql[i] == '*' && sql[i + 1] == '/'); i++)
                ;
            i += sql[i] != '\0' ? 2 : 0;
        } else if ((tag = dollar_tag(sql, i)) > 0) {
            /* The body runs to the same tag again. */
            for (k = i + tag; sql[k] != '\0'
                 && strncmp(sql + k, sql + i, tag) != 0; k++)
                ;
            i = sql[k] != '\0' ? k + tag : k;
        } else if (sqltext_name_byte((unsigned char)sql[i])) {
            /* x$y$ is a name, not a dollar quote. */
            while (sqltext_name_byte((unsigned char)sql[i]))
                i++;
        } else {
            i++;
        }
    }
    return i;
}

/* True when the len bytes at s spell word, ignoring ASCII case. */
bool
sqltext_spells(const char *s, size_t len, const char *word)
{
    size_t k;

    for (k = 0; k < len; k++)
        if (word[k] == '\0' || (s[k] | 0x20) != (word[k] | 0x20))
            return false;
    return word[len] == '\0';
}


/* True when tokens [from, to) of sql (offsets of their first bytes in
 * starts[]) are one top-level pair of parentheses after a name spelled
 * word: "count(...)". */
static bool
is_call_of(const char *sql, const size_t *starts, const size_t *ends,
           size_t from, size_t to, const char *word)
{
    size_t k;
    int depth = 0;

    if (to - from < 3
        || !sqltext_spells(sql + starts[from], ends[from] - starts[from],
                           word)
        || sql[starts[from + 1]] != '(' || sql[starts[to - 1]] != ')')
        return false;
    for (k = from + 1; k < to; k++) {
        depth += sql[starts[k]] == '(' ? 1 : sql[starts[k]] == ')' ? -1 : 0;
        if (depth == 0 && k + 1 < to)
            return false;       /* "count(a) + count(b)" */
    }
    return true;
}

/* Classify the literal the len bytes at s spell, if they are one: an
 * optionally signed decimal or hex integer, a decimal real, or a string
 * in single quotes.  Returns true and sets *type when they are. */
static bool
is_literal(const char *s, size_t len, enum m_type *type)
{
    char buf[64], *end;

    if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'') {
        size_t k;
        for (k = 1; k + 1 < len; k++)
            if (s[k] == '\'' && s[++k] != '\'')
                return false;   /* a quote inside, not doubled */
        *type = M_TEXT;
        return true;
    }
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (strspn(buf, "+-0123456789.eExXaAbBcCdDfF") != len)
        return false;
    (void)strtoll(buf, &end, 0);
    if (*end == '\0' && strpbrk(buf, "0123456789") != NULL) {
        *type = M_INTEGER;
        return true;
    }
    (void)strtod(buf, &end);
    if (*end == '\0' && strpbrk(buf, "xX") == NULL
        && strpbrk(buf, "0123456789") != NULL) {
        *type = M_REAL;
        return true;
    }
    return false;
}

/* Judge the expression of tokens [from, to) of sql into *r. */
static void
judge(const char *sql, const size_t *starts, const size_t *ends,
      size_t from, size_t to, struct sqltext_result *r)
{
    r->never_null = false;
    r->type = M_INTEGER;
    if (from >= to)
        return;
    if (is_call_of(sql, starts, ends, from, to, "count")) {
        r->never_null = true;
        return;
    }
    r->never_null = is_literal(sql + starts[from], ends[to - 1]
                               - starts[from], &r->type);
}

/* True when the name token [s, e) of sql ends a select list. */
static bool
ends_list(const char *sql, size_t s, size_t e)
{
    static const char *const words[] = {
        "from", "where", "group", "having", "window", "order", "limit",
        "union", "intersect", "except"
    };
    size_t k;

    for (k = 0; k < sizeof words / sizeof words[0]; k++)
        if (sqltext_spells(sql + s, e - s, words[k]))
            return true;
    return false;
}

/* True when a top-level token from *i on in sql is UNION, INTERSECT or
 * EXCEPT: the statement is compound. */
static bool
is_compound(const char *sql, size_t i, int depth)
{
    size_t s;
    enum sqltext_tok k;

    while ((k = sqltext_token(sql, &i, &s)) != SQLTEXT_END) {
        if (k == SQLTEXT_OTHER && i - s == 1)
            depth += sql[s] == '(' ? 1 : sql[s] == ')' ? -1 : 0;
        else if (k == SQLTEXT_NAME && depth == 0
                 && (sqltext_spells(sql + s, i - s, "union")
                     || sqltext_spells(sql + s, i - s, "intersect")
                     || sqltext_spells(sql + s, i - s, "except")))
            return true;
    }
    return false;
}

/* Read the results of a plain SELECT; see sqltext.h. */
bool
sqltext_results(const char *sql, struct sqltext_result *out, size_t n)
{
    size_t *starts, *ends, ntok = 0, cap = 16, i = 0, s, item = 0;
    size_t nitems = 0, as = (size_t)-1;
    enum sqltext_tok kind;
    int depth = 0;
    bool ok = false;

    assert(sql != NULL && (out != NULL || n == 0));
    starts = malloc(cap * sizeof *starts);
    ends = malloc(cap * sizeof *ends);
    if (starts == NULL || ends == NULL)
        goto done;
    if (sqltext_token(sql, &i, &s) != SQLTEXT_NAME
        || !sqltext_spells(sql + s, i - s, "select"))
        goto done;
    for (;;) {
        size_t at = i;
        kind = sqltext_token(sql, &i, &s);
        if (ntok == 0 && kind == SQLTEXT_NAME
            && (sqltext_spells(sql + s, i - s, "distinct")
                || sqltext_spells(sql + s, i - s, "all")))
            continue;
        if (kind == SQLTEXT_END || (depth == 0 && ((kind == SQLTEXT_OTHER
                && sql[s] == ',') || (kind == SQLTEXT_NAME
                && ends_list(sql, s, i))))) {
            if (nitems >= n || item == ntok)
                goto done;      /* more items than columns, or an empty one */
            judge(sql, starts, ends, item, as != (size_t)-1 ? as : ntok,
                  &out[nitems++]);
            if (kind != SQLTEXT_OTHER) {
                ok = nitems == n && !is_compound(sql, at, 0);
                goto done;
            }
            item = ntok;
            as = (size_t)-1;
            continue;
        }
        if (kind == SQLTEXT_OTHER && i - s == 1)
            depth += sql[s] == '(' ? 1 : sql[s] == ')' ? -1 : 0;
        if (ntok == cap) {
            size_t *ns, *ne;
            cap *= 2;
            ns = realloc(starts, cap * sizeof *starts);
            if (ns != NULL)
                starts = ns;
            ne = realloc(ends, cap * sizeof *ends);
            if (ne != NULL)
                ends = ne;
            if (ns == NULL || ne == NULL)
                goto done;
        }
        if (depth == 0 && kind == SQLTEXT_NAME
            && sqltext_spells(sql + s, i - s, "as"))
            as = ntok;
        starts[ntok] = s;
        ends[ntok++] = i;
    }
done:
    free(starts);
    free(ends);
    return ok;
}
