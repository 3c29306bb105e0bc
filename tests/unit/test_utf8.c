/*
 * test_utf8.c - text is UTF-8: sc_utf8_check() against the sequences
 * RFC 3629 forbids, and every way text reaches a statement (a row's
 * column on insert, upsert, update, update of chosen columns and get, a
 * query argument, a where value) refused with SC_MISUSE before anything
 * is written, where SQLite would have stored the bytes as given.
 */
#include "fixture.h"

struct utf8_case {
    const char *bytes;
    size_t len;         /* 0: strlen(bytes) */
    size_t bad;         /* the offset sc_utf8_check() returns */
};

#define VALID(s) { s, 0, sizeof(s) - 1 }
#define BAD(s, at) { s, 0, at }

static const struct utf8_case cases[] = {
    VALID(""),
    VALID("plain ASCII, longer than one 8-byte word"),
    VALID("\x7f"),
    VALID("\xc2\x80"),                  /* U+0080, the first of two bytes */
    VALID("\xdf\xbf"),                  /* U+07FF */
    VALID("\xe0\xa0\x80"),              /* U+0800, the first of three */
    VALID("\xed\x9f\xbf"),              /* U+D7FF, before the surrogates */
    VALID("\xee\x80\x80"),              /* U+E000, after them */
    VALID("\xef\xbf\xbf"),              /* U+FFFF */
    VALID("\xf0\x90\x80\x80"),          /* U+10000, the first of four */
    VALID("\xf4\x8f\xbf\xbf"),          /* U+10FFFF, the last */
    VALID("Caf\xc3\xa9 Cr\xc3\xa8me \xe1\xba\x9e \xf0\x9f\x98\x80"),
    BAD("\x80", 0),                     /* a continuation byte alone */
    BAD("\xbf", 0),
    BAD("\xc0\x80", 0),                 /* U+0000 overlong */
    BAD("\xc1\xbf", 0),                 /* U+007F overlong */
    BAD("\xe0\x80\x80", 0),             /* overlong three bytes */
    BAD("\xe0\x9f\xbf", 0),             /* U+07FF overlong */
    BAD("\xed\xa0\x80", 0),             /* U+D800, a surrogate */
    BAD("\xed\xbf\xbf", 0),             /* U+DFFF */
    BAD("\xf0\x80\x80\x80", 0),         /* overlong four bytes */
    BAD("\xf0\x8f\xbf\xbf", 0),         /* U+FFFF overlong */
    BAD("\xf4\x90\x80\x80", 0),         /* U+110000, past the last */
    BAD("\xf5\x80\x80\x80", 0),
    BAD("\xf8\x88\x80\x80\x80", 0),     /* five bytes: never UTF-8 */
    BAD("\xfe", 0),
    BAD("\xff", 0),
    BAD("ab\xc3", 2),                   /* cut short at the end */
    BAD("ab\xe2\x82", 2),
    BAD("ab\xf0\x9f\x98", 2),
    BAD("\xc3\x28", 0),                 /* a lead byte, then ASCII */
    BAD("\xe2\x28\xa1", 0),
    BAD("\xe2\x82\x28", 0),
    BAD("\xf0\x9f\x98\x28", 0),
    BAD("\xc3\xa9\xc3", 2),             /* valid, then cut short */
    BAD("0123456789abcdef\xff", 16),    /* after two whole words */
};

/* Every case gives its offset; bytes after a bad one do not matter. */
static void
test_check_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct utf8_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->bytes);

        if (sc_utf8_check(c->bytes, len) != c->bad)
            T_FAIL("case %zu: %zu, expected %zu", i,
                   sc_utf8_check(c->bytes, len), c->bad);
    }
    /* The length given is what is read: a NUL is ASCII, and bytes past
     * len are not looked at. */
    CHECK_INT(sc_utf8_check("a\0b", 3), 3);
    CHECK_INT(sc_utf8_check("ab\xff", 2), 2);
    CHECK_INT(sc_utf8_check(NULL, 0), 0);
}

/* A bad byte at any offset of a long ASCII text, where whole words are
 * checked at once, is found at that offset; a sequence of several bytes
 * across a word's boundary is read whole. */
static void
test_check_word_boundaries(void)
{
    char text[64];
    size_t at, i;

    for (at = 0; at < 40; at++) {
        memset(text, 'a', sizeof text);
        text[at] = (char)0xff;
        CHECK_INT(sc_utf8_check(text, 40), at);
    }
    for (at = 0; at + 4 <= 40; at++) {
        memset(text, 'a', sizeof text);
        memcpy(text + at, "\xf0\x9f\x98\x80", 4);
        CHECK_INT(sc_utf8_check(text, 40), 40);
        for (i = 1; i < 4; i++)         /* cut at each of its bytes */
            CHECK_INT(sc_utf8_check(text, at + i), at);
    }
}

/* A row's text column: refused on insert, upsert, update and update of
 * chosen columns, naming the table, the column and the byte; nothing
 * written.  UTF-8 beyond ASCII goes through. */
static void
test_row_columns(void)
{
    sc_db *db = fx_open_fresh("rows.db", NULL);
    struct parent p;
    struct child c, out;
    const int name_col[] = { 1 };
    int64_t n = -1;

    memset(&p, 0, sizeof p);
    p.id = 1;
    p.name = "ok\xc0\x80";
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "insert into parent: column 'name' is not "
              "UTF-8 text (byte 2)");
    CHECK_INT(sc_row_upsert(db, &parent_table, &p), SC_MISUSE);
    CHECK_INT(sc_row_count(db, &parent_table, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    p.name = "Caf\xc3\xa9";
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    p.name = "\xed\xa0\x80";
    CHECK_INT(sc_row_update(db, &parent_table, &p), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "column 'name' is not UTF-8") != NULL);
    CHECK_INT(sc_row_update_cols(db, &parent_table, &p, name_col, 1),
              SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "column 'name' is not UTF-8") != NULL);
    memset(&p, 0, sizeof p);
    CHECK_INT(sc_row_get(db, &parent_table, &(struct parent){ .id = 1 }, &p),
              SC_OK);
    CHECK_STR(p.name, "Caf\xc3\xa9");
    sc_row_free(&parent_table, &p);

    memset(&c, 0, sizeof c);
    c.id = "k";
    c.note = "\xff";
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "insert into child: column 'note' is not "
              "UTF-8 text (byte 0)");
    c.note = NULL;                      /* NULL text is no text */
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    c.id = "k\xff";
    CHECK_INT(sc_row_get(db, &child_table, &c, &out), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "get from child: column 'id' is not UTF-8 "
              "text (byte 1)");
    sc_close(db);
}

/* Check that each child row handed over is the one named "k". */
static int
is_k(const void *row, void *arg)
{
    (void)arg;
    CHECK_STR(((const struct child *)row)->id, "k");
    return 0;
}

static const sc_param child_id_param[] = {
    { .member = { .name = "id", .type = SC_T_TEXT,
                  .offset = offsetof(struct child, id) }, .index = 1 },
};

/* A query argument and a where value: refused before the statement
 * runs, the where value when it is added. */
static void
test_query_and_where(void)
{
    sc_db *db = fx_open_fresh("query.db", NULL);
    const sc_query q = {
        .schema = &demo_schema, .name = "child_by_id", .stmt = 6,
        .params = child_id_param, .nparams = 1,
        .columns = child_columns, .ncolumns = 3,
        .row_size = sizeof(struct child),
    };
    struct child c, args;
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    memset(&c, 0, sizeof c);
    c.id = "k";
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    memset(&args, 0, sizeof args);
    args.id = "\xe0\x80\x80";
    CHECK_INT(sc_query_one(db, &q, &args, &c), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "query 'child_by_id': argument 'id' is not "
              "UTF-8 text (byte 0)");
    args.id = "k";
    CHECK_INT(sc_query_many(db, &q, &args, is_k, NULL), SC_OK);

    CHECK_INT(sc_where_add(&w, "id = ?", 1, sc_text("k\xf4\x90\x80\x80")),
              SC_MISUSE);
    CHECK_INT(sc_row_count(db, &child_table, &w, &n), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "not UTF-8 text") != NULL);
    sc_where_fini(&w);
    sc_where_init(&w);
    CHECK_INT(sc_where_add(&w, "id = ?", 1, sc_text("k")), SC_OK);
    CHECK_INT(sc_row_count(db, &child_table, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_check_cases),
    T_TEST(test_check_word_boundaries),
    T_TEST(test_row_columns),
    T_TEST(test_query_and_where),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
