/*
 * test_crud.c - the generated functions of crud.schema against a real
 * database file: every type and NULL, blobs, text, integer and real edge
 * values, defaults, keys, constraint failures, counts and selects.
 * Usage: test_crud DB-PATH (a file that does not exist yet).
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crud.h"
#include "harness.h"

static sc_db *db;

/* The number of kinds rows matching w (NULL: all), checking the call. */
static int64_t
count_kinds(const sc_where *w)
{
    int64_t n = -1;

    CHECK_INT(crud_kinds_count(db, w, &n), SC_OK);
    return n;
}

/* ------------------------------------------------------------------ */
/* Types and values                                                    */
/* ------------------------------------------------------------------ */

/* A row with every column set comes back equal; update and delete. */
static void
test_every_type_round_trip(void)
{
    static unsigned char bin[] = { 0x00, 0x01, 0xff, 0x00, 0x7f };
    struct crud_kinds row = CRUD_KINDS_INIT, got = CRUD_KINDS_INIT;

    row.id = 1;
    row.label = "first";
    row.n = 42;
    row.has_n = true;
    row.x = 3.141592653589793;
    row.has_x = true;
    row.ok = true;
    row.has_ok = true;
    row.at = "2026-11-26T12:08:59.022099";
    row.data.data = bin;
    row.data.len = sizeof bin;
    row.note = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac";
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);

    CHECK_INT(crud_kinds_get(db, 1, &got), SC_OK);
    CHECK_INT(got.id, 1);
    CHECK_STR(got.label, "first");
    CHECK(got.has_n);
    CHECK_INT(got.n, 42);
    CHECK(got.has_x);
    CHECK(got.x == 3.141592653589793);
    CHECK(got.has_ok);
    CHECK(got.ok);
    CHECK_STR(got.at, "2026-11-26T12:08:59.022099");
    CHECK(got.data.data != NULL);
    CHECK_INT(got.data.len, sizeof bin);
    CHECK(got.data.data && memcmp(got.data.data, bin, sizeof bin) == 0);
    CHECK_STR(got.note, row.note);
    crud_kinds_free(&got);
    CHECK(got.label == NULL && got.data.data == NULL);

    row.label = "first, changed";
    row.n = -7;
    row.ok = false;
    row.has_x = false;
    row.note = NULL;
    CHECK_INT(crud_kinds_update(db, &row), SC_OK);
    CHECK_INT(crud_kinds_get(db, 1, &got), SC_OK);
    CHECK_STR(got.label, "first, changed");
    CHECK_INT(got.n, -7);
    CHECK(got.has_ok && !got.ok);
    CHECK(!got.has_x);
    CHECK(got.note == NULL);
    crud_kinds_free(&got);

    CHECK_INT(crud_kinds_delete(db, 1), SC_OK);
    CHECK_INT(crud_kinds_get(db, 1, &got), SC_NOTFOUND);
    CHECK(got.label == NULL && got.note == NULL && got.data.data == NULL);
    crud_kinds_free(&got);
}

/* Every nullable column left unset reads back as NULL. */
static void
test_nulls(void)
{
    struct crud_kinds row = CRUD_KINDS_INIT, got = CRUD_KINDS_INIT;

    row.id = 2;
    row.label = "nulls";
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    CHECK_INT(crud_kinds_get(db, 2, &got), SC_OK);
    CHECK(!got.has_n);
    CHECK(!got.has_x);
    CHECK(!got.has_ok);
    CHECK(got.at == NULL);
    CHECK(got.data.data == NULL);
    CHECK_INT(got.data.len, 0);
    CHECK(got.note == NULL);
    crud_kinds_free(&got);
    CHECK_INT(crud_kinds_delete(db, 2), SC_OK);
}

/* A zero-length blob is not NULL; binary bytes with NULs survive. */
static void
test_blobs(void)
{
    static unsigned char empty[1];
    unsigned char bytes[256];
    struct crud_kinds row = CRUD_KINDS_INIT, got = CRUD_KINDS_INIT;
    int i;

    row.id = 3;
    row.label = "empty blob";
    row.data.data = empty;
    row.data.len = 0;
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    CHECK_INT(crud_kinds_get(db, 3, &got), SC_OK);
    CHECK(got.data.data != NULL);
    CHECK_INT(got.data.len, 0);
    crud_kinds_free(&got);

    for (i = 0; i < 256; i++)
        bytes[i] = (unsigned char)(255 - i);
    row.id = 4;
    row.label = "all bytes";
    row.data.data = bytes;
    row.data.len = sizeof bytes;
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    CHECK_INT(crud_kinds_get(db, 4, &got), SC_OK);
    CHECK_INT(got.data.len, 256);
    CHECK(got.data.data && memcmp(got.data.data, bytes, 256) == 0);
    crud_kinds_free(&got);
    CHECK_INT(crud_kinds_delete(db, 3), SC_OK);
    CHECK_INT(crud_kinds_delete(db, 4), SC_OK);
}

/* INT64_MIN and INT64_MAX as key and value; reals at their edges. */
static void
test_number_edges(void)
{
    struct crud_kinds row = CRUD_KINDS_INIT, got = CRUD_KINDS_INIT;

    row.id = INT64_MIN;
    row.label = "min";
    row.n = INT64_MAX;
    row.has_n = true;
    row.x = -DBL_MAX;
    row.has_x = true;
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    row.id = INT64_MAX;
    row.label = "max";
    row.n = INT64_MIN;
    row.x = DBL_MIN;
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);

    CHECK_INT(crud_kinds_get(db, INT64_MIN, &got), SC_OK);
    CHECK_STR(got.label, "min");
    CHECK(got.n == INT64_MAX);
    CHECK(got.x == -DBL_MAX);
    crud_kinds_free(&got);
    CHECK_INT(crud_kinds_get(db, INT64_MAX, &got), SC_OK);
    CHECK_STR(got.label, "max");
    CHECK(got.n == INT64_MIN);
    CHECK(got.x == DBL_MIN);
    crud_kinds_free(&got);

    row.id = 5;
    row.label = "fractions";
    row.x = 0.1 + 0.2;
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    CHECK_INT(crud_kinds_get(db, 5, &got), SC_OK);
    CHECK(got.x == 0.1 + 0.2);
    crud_kinds_free(&got);

    CHECK_INT(crud_kinds_delete(db, INT64_MIN), SC_OK);
    CHECK_INT(crud_kinds_delete(db, INT64_MAX), SC_OK);
    CHECK_INT(crud_kinds_delete(db, 5), SC_OK);
}

/* ------------------------------------------------------------------ */
/* Defaults                                                            */
/* ------------------------------------------------------------------ */

/* Unset members take their defaults; set ones keep their values. */
static void
test_defaults(void)
{
    struct crud_settings row = CRUD_SETTINGS_INIT, got = CRUD_SETTINGS_INIT;

    row.id = 1;
    CHECK_INT(crud_settings_insert(db, &row), SC_OK);
    CHECK_INT(crud_settings_get(db, 1, &got), SC_OK);
    CHECK_STR(got.status, "pending");
    CHECK(got.has_score && got.score == 0.5);
    CHECK(got.has_count && got.count == 7);
    CHECK(got.has_negative && got.negative == -5);
    CHECK(got.has_active && got.active);
    CHECK(got.created != NULL && strlen(got.created) == 19);
    /* A NOT NULL scalar cannot be unset: its 0 is stored. */
    CHECK_INT(got.level, 0);
    CHECK(got.nothing == NULL);
    crud_settings_free(&got);

    row.id = 2;
    row.status = "done";
    row.score = 0.25;
    row.has_score = true;
    row.active = false;
    row.has_active = true;
    row.created = "2020-01-01 00:00:00";
    row.level = 9;
    CHECK_INT(crud_settings_insert(db, &row), SC_OK);
    CHECK_INT(crud_settings_get(db, 2, &got), SC_OK);
    CHECK_STR(got.status, "done");
    CHECK(got.score == 0.25);
    CHECK(got.has_active && !got.active);
    CHECK_STR(got.created, "2020-01-01 00:00:00");
    CHECK_INT(got.level, 9);
    CHECK(got.has_count && got.count == 7);
    crud_settings_free(&got);
}

/* ------------------------------------------------------------------ */
/* Keys and constraints                                                */
/* ------------------------------------------------------------------ */

/* Missing keys: get, update and delete say SC_NOTFOUND. */
static void
test_missing_keys(void)
{
    struct crud_kinds row = CRUD_KINDS_INIT, got = CRUD_KINDS_INIT;
    struct crud_pairs pair = CRUD_PAIRS_INIT, gotp = CRUD_PAIRS_INIT;

    CHECK_INT(crud_kinds_get(db, 999, &got), SC_NOTFOUND);
    CHECK(got.label == NULL);
    row.id = 999;
    row.label = "ghost";
    CHECK_INT(crud_kinds_update(db, &row), SC_NOTFOUND);
    CHECK_INT(crud_kinds_delete(db, 999), SC_NOTFOUND);
    CHECK_INT(crud_pairs_get(db, "nope", 1, &gotp), SC_NOTFOUND);
    pair.index = "nope";
    pair.order = 1;
    CHECK_INT(crud_pairs_update(db, &pair), SC_NOTFOUND);
    CHECK_INT(crud_pairs_delete(db, "nope", 1), SC_NOTFOUND);
    CHECK_INT(crud_parents_get(db, "nope", NULL), SC_MISUSE);
}

/* Duplicate keys, NOT NULL, UNIQUE, CHECK and foreign keys refuse rows. */
static void
test_constraints(void)
{
    struct crud_kinds row = CRUD_KINDS_INIT;
    struct crud_parents parent = CRUD_PARENTS_INIT;
    struct crud_children child = CRUD_CHILDREN_INIT;
    int64_t n = -1;

    row.id = 10;
    row.label = "ten";
    CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    CHECK_INT(crud_kinds_insert(db, &row), SC_CONSTRAINT);   /* same key */
    row.id = 11;
    CHECK_INT(crud_kinds_insert(db, &row), SC_CONSTRAINT);   /* unique */
    row.label = NULL;
    CHECK_INT(crud_kinds_insert(db, &row), SC_CONSTRAINT);   /* not null */
    CHECK(strlen(sc_errmsg(db)) > 0);
    CHECK_INT(crud_kinds_delete(db, 10), SC_OK);

    parent.code = "p1";
    parent.name = "Parent one";
    CHECK_INT(crud_parents_insert(db, &parent), SC_OK);
    child.id = 1;
    child.parent = "p1";
    child.qty = 3;
    child.has_qty = true;
    CHECK_INT(crud_children_insert(db, &child), SC_OK);
    child.id = 2;
    child.qty = -1;
    CHECK_INT(crud_children_insert(db, &child), SC_CONSTRAINT);  /* check */
    child.qty = 1;
    child.parent = "missing";
    CHECK_INT(crud_children_insert(db, &child), SC_CONSTRAINT);  /* fk */
    child.parent = "p1";
    CHECK_INT(crud_children_insert(db, &child), SC_OK);

    /* ON DELETE CASCADE takes the children with their parent. */
    CHECK_INT(crud_parents_delete(db, "p1"), SC_OK);
    CHECK_INT(crud_children_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
}

/* Upsert inserts, then updates the row with the same key. */
static void
test_upsert(void)
{
    struct crud_parents p = CRUD_PARENTS_INIT, got = CRUD_PARENTS_INIT;

    p.code = "up";
    p.name = "first";
    CHECK_INT(crud_parents_upsert(db, &p), SC_OK);
    p.name = "second";
    CHECK_INT(crud_parents_upsert(db, &p), SC_OK);
    CHECK_INT(crud_parents_get(db, "up", &got), SC_OK);
    CHECK_STR(got.name, "second");
    crud_parents_free(&got);
    CHECK_INT(crud_parents_delete(db, "up"), SC_OK);
}

/* A composite key whose columns are SQL keywords. */
static void
test_composite_key(void)
{
    struct crud_pairs p = CRUD_PAIRS_INIT, got = CRUD_PAIRS_INIT;

    p.index = "a";
    p.order = 1;
    p.version = 1.5;
    p.has_version = true;
    CHECK_INT(crud_pairs_insert(db, &p), SC_OK);
    p.order = 2;
    p.has_version = false;
    CHECK_INT(crud_pairs_insert(db, &p), SC_OK);
    CHECK_INT(crud_pairs_insert(db, &p), SC_CONSTRAINT);

    CHECK_INT(crud_pairs_get(db, "a", 1, &got), SC_OK);
    CHECK_STR(got.index, "a");
    CHECK_INT(got.order, 1);
    CHECK(got.has_version && got.version == 1.5);
    crud_pairs_free(&got);

    p.version = 9.0;
    p.has_version = true;
    CHECK_INT(crud_pairs_update(db, &p), SC_OK);
    CHECK_INT(crud_pairs_get(db, "a", 2, &got), SC_OK);
    CHECK(got.has_version && got.version == 9.0);
    crud_pairs_free(&got);

    CHECK_INT(crud_pairs_delete(db, "a", 1), SC_OK);
    CHECK_INT(crud_pairs_get(db, "a", 1, &got), SC_NOTFOUND);
    CHECK_INT(crud_pairs_delete(db, "a", 2), SC_OK);
}

/* ------------------------------------------------------------------ */
/* Count and select                                                    */
/* ------------------------------------------------------------------ */

/* What a select callback saw. */
struct seen {
    int64_t ids[32];
    int n;
    int stop_after;     /* 0: never stop */
};

static int
collect(const struct crud_kinds *row, void *arg)
{
    struct seen *s = arg;

    if (s->n < 32)
        s->ids[s->n++] = row->id;
    return s->stop_after != 0 && s->n >= s->stop_after ? 77 : 0;
}

/* Ten rows; where clauses, order, limit and offset, early stop. */
static void
test_count_and_select(void)
{
    struct crud_kinds row = CRUD_KINDS_INIT;
    sc_where w = SC_WHERE_INIT;
    sc_order by_n_desc[1] = { { CRUD_KINDS_COL_N, true } };
    sc_order by_id[1] = { { CRUD_KINDS_COL_ID, false } };
    struct seen s;
    char label[32];
    int i;

    for (i = 1; i <= 10; i++) {
        snprintf(label, sizeof label, "row %d", i);
        row.id = 100 + i;
        row.label = label;
        row.n = i % 3;
        row.has_n = true;
        CHECK_INT(crud_kinds_insert(db, &row), SC_OK);
    }
    CHECK_INT(count_kinds(NULL), 10);
    CHECK_INT(sc_where_add(&w, "n = ?", 1, sc_int(1)), SC_OK);
    CHECK_INT(count_kinds(&w), 4);                  /* 1, 4, 7, 10 */

    memset(&s, 0, sizeof s);
    CHECK_INT(crud_kinds_select(db, &w, by_id, 1, -1, 0, collect, &s), SC_OK);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.ids[0], 101);
    CHECK_INT(s.ids[3], 110);

    memset(&s, 0, sizeof s);
    CHECK_INT(crud_kinds_select(db, &w, by_id, 1, 2, 1, collect, &s), SC_OK);
    CHECK_INT(s.n, 2);
    CHECK_INT(s.ids[0], 104);
    CHECK_INT(s.ids[1], 107);
    sc_where_fini(&w);

    /* n descending, then id: 2s first (2, 5, 8). */
    memset(&s, 0, sizeof s);
    {
        sc_order two[2] = { { CRUD_KINDS_COL_N, true },
                            { CRUD_KINDS_COL_ID, false } };
        CHECK_INT(crud_kinds_select(db, NULL, two, 2, 3, 0, collect, &s),
                  SC_OK);
    }
    CHECK_INT(s.n, 3);
    CHECK_INT(s.ids[0], 102);
    CHECK_INT(s.ids[1], 105);
    CHECK_INT(s.ids[2], 108);

    /* The callback's non-zero value stops the select and is returned. */
    memset(&s, 0, sizeof s);
    s.stop_after = 3;
    CHECK_INT(crud_kinds_select(db, NULL, by_n_desc, 1, -1, 0, collect, &s),
              77);
    CHECK_INT(s.n, 3);

    /* No order at all. */
    memset(&s, 0, sizeof s);
    CHECK_INT(crud_kinds_select(db, NULL, NULL, 0, -1, 0, collect, &s),
              SC_OK);
    CHECK_INT(s.n, 10);

    for (i = 1; i <= 10; i++)
        CHECK_INT(crud_kinds_delete(db, 100 + i), SC_OK);
    CHECK_INT(count_kinds(NULL), 0);
}

/* Rows a select callback saw of the table without a key. */
static int
sum_at(const struct crud_events *row, void *arg)
{
    *(int64_t *)arg += row->at;
    return 0;
}

/* A table without a primary key: insert, count, select. */
static void
test_no_key_table(void)
{
    struct crud_events e = CRUD_EVENTS_INIT;
    sc_order by_at[1] = { { CRUD_EVENTS_COL_AT, true } };
    int64_t n = 0, sum = 0;

    e.at = 5;
    e.msg = "twice";
    CHECK_INT(crud_events_insert(db, &e), SC_OK);
    CHECK_INT(crud_events_insert(db, &e), SC_OK);
    e.at = 6;
    e.msg = NULL;
    CHECK_INT(crud_events_insert(db, &e), SC_OK);
    CHECK_INT(crud_events_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 3);
    CHECK_INT(crud_events_select(db, NULL, by_at, 1, -1, 0, sum_at, &sum),
              SC_OK);
    CHECK_INT(sum, 16);
    CHECK_INT(crud_events_select(db, NULL, NULL, 0, -1, 0, NULL, NULL),
              SC_MISUSE);
}

/* The data-table list puts children before their parents. */
static void
test_data_tables(void)
{
    int child = -1, parent = -1, i;

    CHECK_INT(CRUD_DATA_TABLES_COUNT, 6);
    for (i = 0; i < CRUD_DATA_TABLES_COUNT; i++) {
        if (strcmp(crud_data_tables[i], "children") == 0)
            child = i;
        if (strcmp(crud_data_tables[i], "parents") == 0)
            parent = i;
    }
    CHECK(child >= 0 && parent >= 0 && child < parent);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(count_kinds(NULL), 0);
}

static const struct t_test tests[] = {
    T_TEST(test_every_type_round_trip),
    T_TEST(test_nulls),
    T_TEST(test_blobs),
    T_TEST(test_number_edges),
    T_TEST(test_defaults),
    T_TEST(test_missing_keys),
    T_TEST(test_constraints),
    T_TEST(test_upsert),
    T_TEST(test_composite_key),
    T_TEST(test_count_and_select),
    T_TEST(test_no_key_table),
    T_TEST(test_data_tables),
};

int
main(int argc, char **argv)
{
    int rc;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_crud DB-PATH\n");
        return 2;
    }
    rc = sc_open(&db, argv[1], &crud_schema, NULL);
    if (rc != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
