/*
 * test_column.c - sc_column_is_null() and sc_column_value(), the one
 * reader of a row struct's members: every column type, with and without
 * its has_ flag, NULL and empty text and blobs, and the values bound
 * through sc_value_bind() as SQLite sees them.
 */
#include <sqlite3.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "schemac.h"
#include "harness.h"

/* A row with a member of every type; the nullable scalars have a flag. */
struct every {
    int64_t id;
    int64_t count;
    bool has_count;
    double score;
    bool has_score;
    bool flag;
    bool has_flag;
    bool strict;
    const char *name;
    const char *at;
    sc_blob data;
    double ratio;
};

enum { ID, COUNT, SCORE, FLAG, STRICT, NAME, AT, DATA, RATIO, NCOLS };

static const sc_column every_columns[NCOLS] = {
    [ID] = { .name = "id", .type = SC_T_INTEGER, .flags = SC_COL_PK,
             .offset = offsetof(struct every, id) },
    [COUNT] = { .name = "count", .type = SC_T_INTEGER,
                .offset = offsetof(struct every, count),
                .has_offset = offsetof(struct every, has_count) },
    [SCORE] = { .name = "score", .type = SC_T_REAL,
                .offset = offsetof(struct every, score),
                .has_offset = offsetof(struct every, has_score) },
    [FLAG] = { .name = "flag", .type = SC_T_BOOLEAN,
               .offset = offsetof(struct every, flag),
               .has_offset = offsetof(struct every, has_flag) },
    [STRICT] = { .name = "strict", .type = SC_T_BOOLEAN,
                 .flags = SC_COL_NOTNULL,
                 .offset = offsetof(struct every, strict) },
    [NAME] = { .name = "name", .type = SC_T_TEXT,
               .offset = offsetof(struct every, name) },
    [AT] = { .name = "at", .type = SC_T_TIMESTAMP,
             .offset = offsetof(struct every, at) },
    [DATA] = { .name = "data", .type = SC_T_BLOB,
               .offset = offsetof(struct every, data) },
    [RATIO] = { .name = "ratio", .type = SC_T_REAL, .flags = SC_COL_NOTNULL,
                .offset = offsetof(struct every, ratio) },
};

static unsigned char bytes[] = { 0, 1, 2, 0xff };

/* A row with every member set and every flag on. */
static struct every
full_row(void)
{
    struct every r;

    memset(&r, 0, sizeof(r));
    r.id = -7;
    r.count = INT64_MAX;
    r.has_count = true;
    r.score = 0.25;
    r.has_score = true;
    r.flag = true;
    r.has_flag = true;
    r.strict = false;
    r.name = "caf\xc3\xa9";
    r.at = "2026-11-26T12:08:59.022099";
    r.data.data = bytes;
    r.data.len = sizeof(bytes);
    r.ratio = -1.5;
    return r;
}

/* A row with every nullable member NULL (flags off, pointers NULL); the
 * scalars without a flag hold zero. */
static struct every
null_row(void)
{
    struct every r;

    memset(&r, 0, sizeof(r));
    r.count = 3;        /* a value behind an off flag is still NULL */
    r.score = 2.0;
    r.flag = true;
    return r;
}

static void
test_is_null_full_row(void)
{
    struct every r = full_row();
    int i;

    for (i = 0; i < NCOLS; i++)
        if (sc_column_is_null(&every_columns[i], &r))
            T_FAIL("column %s is NULL", every_columns[i].name);
}

/* The has_ flag decides for scalars that have one, the pointer for text
 * and blobs; a scalar without a flag is never NULL, even when zero. */
static void
test_is_null_null_row(void)
{
    static const bool want[NCOLS] = {
        [COUNT] = true, [SCORE] = true, [FLAG] = true, [NAME] = true,
        [AT] = true, [DATA] = true,
    };
    struct every r = null_row();
    int i;

    for (i = 0; i < NCOLS; i++)
        if (sc_column_is_null(&every_columns[i], &r) != want[i])
            T_FAIL("column %s: NULL is %d, expected %d",
                   every_columns[i].name,
                   (int)sc_column_is_null(&every_columns[i], &r),
                   (int)want[i]);
}

/* Empty text and a zero-length blob with a pointer are values. */
static void
test_is_null_empty_values(void)
{
    struct every r = null_row();

    r.name = "";
    r.data.data = bytes;
    r.data.len = 0;
    CHECK(!sc_column_is_null(&every_columns[NAME], &r));
    CHECK(!sc_column_is_null(&every_columns[DATA], &r));
    /* A length without data is still NULL. */
    r.data.data = NULL;
    r.data.len = 4;
    CHECK(sc_column_is_null(&every_columns[DATA], &r));
}

static void
test_value_scalars(void)
{
    struct every r = full_row();
    sc_value v;

    v = sc_column_value(&every_columns[ID], &r);
    CHECK_INT(v.type, SC_V_INT);
    CHECK_INT(v.u.i, -7);
    v = sc_column_value(&every_columns[COUNT], &r);
    CHECK_INT(v.type, SC_V_INT);
    CHECK(v.u.i == INT64_MAX);
    v = sc_column_value(&every_columns[SCORE], &r);
    CHECK_INT(v.type, SC_V_REAL);
    CHECK(v.u.d == 0.25);
    v = sc_column_value(&every_columns[RATIO], &r);
    CHECK_INT(v.type, SC_V_REAL);
    CHECK(v.u.d == -1.5);
}

/* Booleans are the integers 0 and 1, as SQLite stores them. */
static void
test_value_booleans(void)
{
    struct every r = full_row();
    sc_value v;

    v = sc_column_value(&every_columns[FLAG], &r);
    CHECK_INT(v.type, SC_V_INT);
    CHECK_INT(v.u.i, 1);
    v = sc_column_value(&every_columns[STRICT], &r);
    CHECK_INT(v.type, SC_V_INT);
    CHECK_INT(v.u.i, 0);
    r.flag = false;
    v = sc_column_value(&every_columns[FLAG], &r);
    CHECK_INT(v.type, SC_V_INT);
    CHECK_INT(v.u.i, 0);
}

/* Text and blobs point at the row's own memory, not at copies. */
static void
test_value_text_and_blob_borrowed(void)
{
    struct every r = full_row();
    sc_value v;

    v = sc_column_value(&every_columns[NAME], &r);
    CHECK_INT(v.type, SC_V_TEXT);
    CHECK(v.u.s.p == r.name);
    CHECK_INT(v.u.s.len, 5);
    v = sc_column_value(&every_columns[AT], &r);
    CHECK_INT(v.type, SC_V_TEXT);
    CHECK(v.u.s.p == r.at);
    CHECK_INT(v.u.s.len, strlen(r.at));
    v = sc_column_value(&every_columns[DATA], &r);
    CHECK_INT(v.type, SC_V_BLOB);
    CHECK(v.u.s.p == bytes);
    CHECK_INT(v.u.s.len, sizeof(bytes));
    r.name = "";
    r.data.len = 0;
    v = sc_column_value(&every_columns[NAME], &r);
    CHECK_INT(v.type, SC_V_TEXT);
    CHECK_INT(v.u.s.len, 0);
    v = sc_column_value(&every_columns[DATA], &r);
    CHECK_INT(v.type, SC_V_BLOB);
    CHECK(v.u.s.p == bytes);
    CHECK_INT(v.u.s.len, 0);
}

/* Whatever the member holds, a NULL column's value is SC_V_NULL. */
static void
test_value_null(void)
{
    struct every r = null_row();
    int i;

    for (i = 0; i < NCOLS; i++) {
        sc_value v = sc_column_value(&every_columns[i], &r);
        bool is_null = sc_column_is_null(&every_columns[i], &r);

        if ((v.type == SC_V_NULL) != is_null)
            T_FAIL("column %s: value type %d, NULL is %d",
                   every_columns[i].name, (int)v.type, (int)is_null);
    }
}

/* Bound with sc_value_bind(), each value reaches SQLite with the type the
 * column is stored as. */
static void
test_value_binds(void)
{
    static const char *const full_types[NCOLS] = {
        "integer", "integer", "real", "integer", "integer", "text", "text",
        "blob", "real",
    };
    struct every rows[2];
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    int i, k;

    rows[0] = full_row();
    rows[1] = null_row();
    if (sqlite3_open(":memory:", &conn) != SQLITE_OK
        || sqlite3_prepare_v2(conn, "SELECT typeof(?1), length(?1)", -1,
                              &st, NULL) != SQLITE_OK) {
        T_FAIL("cannot prepare: %s", sqlite3_errmsg(conn));
        sqlite3_close(conn);
        return;
    }
    for (k = 0; k < 2; k++) {
        for (i = 0; i < NCOLS; i++) {
            sc_value v = sc_column_value(&every_columns[i], &rows[k]);
            const char *want = sc_column_is_null(&every_columns[i], &rows[k])
                ? "null" : full_types[i];
            const char *got;

            CHECK_INT(sc_value_bind(st, 1, &v), SQLITE_OK);
            CHECK_INT(sqlite3_step(st), SQLITE_ROW);
            got = (const char *)sqlite3_column_text(st, 0);
            if (got == NULL || strcmp(got, want) != 0)
                T_FAIL("row %d column %s: %s, expected %s", k,
                       every_columns[i].name, got ? got : "(null)", want);
            if (k == 0 && i == NAME)
                CHECK_INT(sqlite3_column_int(st, 1), 4);  /* characters */
            if (k == 0 && i == DATA)
                CHECK_INT(sqlite3_column_int(st, 1), sizeof(bytes));
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(conn);
}

static const struct t_test tests[] = {
    T_TEST(test_is_null_full_row),
    T_TEST(test_is_null_null_row),
    T_TEST(test_is_null_empty_values),
    T_TEST(test_value_scalars),
    T_TEST(test_value_booleans),
    T_TEST(test_value_text_and_blob_borrowed),
    T_TEST(test_value_null),
    T_TEST(test_value_binds),
};

int
main(void)
{
    return T_RUN_ALL(tests);
}
