/*
 * test_qt.c - the query functions generated from qt.schema against a real
 * database file: one found and not found, many through the callback and
 * the array (none, a few, thousands), exec change counts, NULL, blob and
 * boolean arguments, RETURNING, reuse of a table's struct, misuse.
 * Usage: test_qt DB-PATH (a file that does not exist yet).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "qt.h"

static sc_db *db;

/* Empty both tables. */
static void
reset(void)
{
    CHECK_INT(sc_clear_all(db), SC_OK);
}

/* Insert item id with name and score (has_score when score >= 0), the
 * other columns NULL. */
static void
add_item(int64_t id, const char *name, double score)
{
    struct qt_items row = QT_ITEMS_INIT;

    row.id = id;
    row.name = name;
    row.score = score;
    row.has_score = score >= 0;
    CHECK_INT(qt_items_insert(db, &row), SC_OK);
}

/* ------------------------------------------------------------------ */
/* one                                                                 */
/* ------------------------------------------------------------------ */

/* A query returning a table's columns fills that table's struct, which
 * the table's free function releases. */
static void
test_one_found(void)
{
    static unsigned char bytes[] = { 0x00, 0xff, 0x10 };
    struct qt_items row = QT_ITEMS_INIT, got = QT_ITEMS_INIT;

    reset();
    row.id = 7;
    row.name = "seven";
    row.score = 0.75;
    row.has_score = true;
    row.ok = true;
    row.has_ok = true;
    row.at = "2026-11-26T12:00:00";
    row.data.data = bytes;
    row.data.len = sizeof bytes;
    row.tag = "t";
    CHECK_INT(qt_items_insert(db, &row), SC_OK);

    CHECK_INT(qt_item_by_id(db, 7, &got), SC_OK);
    CHECK_INT(got.id, 7);
    CHECK_STR(got.name, "seven");
    CHECK(got.has_score && got.score == 0.75);
    CHECK(got.has_ok && got.ok);
    CHECK_STR(got.at, "2026-11-26T12:00:00");
    CHECK_INT(got.data.len, sizeof bytes);
    CHECK(got.data.data && memcmp(got.data.data, bytes, sizeof bytes) == 0);
    CHECK_STR(got.tag, "t");
    /* The copies are the caller's: they outlive the next call. */
    CHECK_INT(qt_item_by_id(db, 7, &row), SC_OK);
    CHECK_STR(got.name, "seven");
    qt_items_free(&row);
    qt_items_free(&got);
    CHECK(got.name == NULL && got.data.data == NULL);
}

/* No row: SC_NOTFOUND, the output zeroed so freeing it is safe. */
static void
test_one_not_found(void)
{
    struct qt_items got = QT_ITEMS_INIT;

    reset();
    got.id = 99;
    CHECK_INT(qt_item_by_id(db, 1, &got), SC_NOTFOUND);
    CHECK_INT(got.id, 0);
    CHECK(got.name == NULL);
    CHECK(strstr(sc_errmsg(db), "item_by_id") != NULL);
    qt_items_free(&got);
}

/* A query of expressions gets its own struct with has_ flags; NULL
 * results (sum and max of nothing) leave them false. */
static void
test_one_own_struct(void)
{
    struct qt_item_stats_row s = { 0 };

    reset();
    CHECK_INT(qt_item_stats(db, &s), SC_OK);
    CHECK(s.has_n);
    CHECK_INT(s.n, 0);
    CHECK(!s.has_total);
    CHECK(s.last_name == NULL);
    qt_item_stats_row_free(&s);

    add_item(1, "alpha", 1.5);
    add_item(2, "beta", 2.25);
    add_item(3, "gamma", -1);
    CHECK_INT(qt_item_stats(db, &s), SC_OK);
    CHECK(s.has_n);
    CHECK_INT(s.n, 3);
    CHECK(s.has_total && s.total == 3.75);
    CHECK_STR(s.last_name, "gamma");
    qt_item_stats_row_free(&s);
    CHECK(s.last_name == NULL);
    qt_item_stats_row_free(NULL);
}

/* Insert item id as add_item() does, with a tag and a flag. */
static void
add_tagged(int64_t id, const char *name, double score, const char *tag,
           bool ok)
{
    struct qt_items row = QT_ITEMS_INIT;

    row.id = id;
    row.name = name;
    row.score = score;
    row.has_score = true;
    row.tag = tag;
    row.ok = ok;
    row.has_ok = true;
    CHECK_INT(qt_items_insert(db, &row), SC_OK);
}

/* What item_stats_by_tag's callback collects. */
struct tag_stats {
    int64_t n[4];
    double total[4];
    char last[4][8];
    int rows;
};

/* Copy a row of item_stats' struct, handed to a query of many rows. */
static int
see_stats(const struct qt_item_stats_row *row, void *arg)
{
    struct tag_stats *t = arg;

    if (t->rows < 4) {
        t->n[t->rows] = row->has_n ? row->n : -1;
        t->total[t->rows] = row->has_total ? row->total : -1;
        snprintf(t->last[t->rows], sizeof t->last[0], "%s",
                 row->last_name != NULL ? row->last_name : "(null)");
    }
    t->rows++;
    return 0;
}

/* `returns QUERY`: a query reads its rows into the struct of an earlier
 * query: of one row or many, either way round, and a table's struct
 * through a query that returns the table's rows. */
static void
test_shared_rows(void)
{
    struct qt_item_stats_row s = { 0 };
    struct qt_item_stats_row *all = NULL;
    struct qt_tagged_row t = { 0 };
    struct qt_items item = { 0 };
    struct tag_stats seen = { { 0 }, { 0 }, { { 0 } }, 0 };
    size_t n = 0;

    reset();
    add_tagged(1, "a", 1.0, "x", false);
    add_tagged(2, "b", 2.5, "x", true);
    add_tagged(3, "c", 4.0, "y", true);
    add_tagged(4, "d", 0.5, "x", true);
    add_item(5, "e", 8.0);
    CHECK_INT(qt_item_stats_tagged(db, "x", &s), SC_OK);
    CHECK(s.has_n && s.n == 3 && s.has_total && s.total == 4.0);
    CHECK_STR(s.last_name, "d");
    qt_item_stats_tagged_row_free(&s);
    CHECK(s.last_name == NULL);
    CHECK_INT(qt_item_stats_tagged(db, NULL, &s), SC_OK);
    CHECK(s.n == 1 && s.total == 8.0);
    CHECK_STR(s.last_name, "e");
    qt_item_stats_tagged_row_free(&s);

    /* Untagged first, then x and y. */
    CHECK_INT(qt_item_stats_by_tag(db, see_stats, &seen), SC_OK);
    CHECK_INT(seen.rows, 3);
    CHECK(seen.n[0] == 1 && seen.total[0] == 8.0);
    CHECK(seen.n[1] == 3 && seen.total[1] == 4.0);
    CHECK(seen.n[2] == 1 && seen.total[2] == 4.0);
    CHECK_STR(seen.last[0], "e");
    CHECK_STR(seen.last[1], "d");
    CHECK_STR(seen.last[2], "c");
    CHECK_INT(qt_item_stats_by_tag_all(db, &all, &n), SC_OK);
    CHECK_INT(n, 3);
    if (all != NULL && n == 3) {
        CHECK(all[1].n == 3);
        CHECK_STR(all[2].last_name, "c");
    }
    qt_item_stats_by_tag_all_free(all, n);

    CHECK_INT(qt_first_ok_tagged(db, "x", &t), SC_OK);
    CHECK(t.id == 2 && t.has_ok && t.ok);
    CHECK_STR(t.name, "b");
    qt_first_ok_tagged_row_free(&t);
    CHECK_INT(qt_first_ok_tagged(db, "z", &t), SC_NOTFOUND);

    CHECK_INT(qt_item_by_name(db, "c", &item), SC_OK);
    CHECK(item.id == 3 && item.has_score && item.score == 4.0);
    CHECK_STR(item.tag, "y");
    qt_items_free(&item);
}

/* ------------------------------------------------------------------ */
/* many                                                                */
/* ------------------------------------------------------------------ */

/* What the item callbacks collect. */
struct seen {
    int64_t ids[16];
    int n;
    int stop_after;         /* 0: never stop */
};

/* Record row's id; stop with 42 after stop_after rows. */
static int
see_item(const struct qt_items *row, void *arg)
{
    struct seen *s = arg;

    if (s->n < 16)
        s->ids[s->n] = row->id;
    s->n++;
    return s->stop_after != 0 && s->n >= s->stop_after ? 42 : 0;
}

/* The callback sees the rows in the SQL's order; a non-zero return stops
 * the query and is its result. */
static void
test_many_callback(void)
{
    struct seen s = { { 0 }, 0, 0 };

    reset();
    add_item(1, "a", 0.5);
    add_item(2, "b", 0.9);
    add_item(3, "c", 0.1);
    add_item(4, "d", 0.9);
    CHECK_INT(qt_items_over(db, 0.5, see_item, &s), SC_OK);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.ids[0], 2);
    CHECK_INT(s.ids[1], 4);
    CHECK_INT(s.ids[2], 1);

    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    CHECK_INT(qt_items_over(db, 0.0, see_item, &s), 42);
    CHECK_INT(s.n, 2);
    /* The statement was reset: the next call starts afresh. */
    memset(&s, 0, sizeof s);
    CHECK_INT(qt_all_items(db, see_item, &s), SC_OK);
    CHECK_INT(s.n, 4);
    CHECK_INT(s.ids[0], 1);

    memset(&s, 0, sizeof s);
    CHECK_INT(qt_items_over(db, 5.0, see_item, &s), SC_OK);
    CHECK_INT(s.n, 0);
}

/* The array variant: no rows gives NULL and 0, rows come back copied. */
static void
test_many_all(void)
{
    struct qt_items *rows = NULL;
    size_t n = 99;

    reset();
    CHECK_INT(qt_items_over_all(db, 0.0, &rows, &n), SC_OK);
    CHECK(rows == NULL);
    CHECK_INT(n, 0);
    qt_items_over_all_free(rows, n);

    add_item(1, "one", 0.2);
    add_item(2, "two", 0.8);
    CHECK_INT(qt_items_over_all(db, 0.0, &rows, &n), SC_OK);
    CHECK_INT(n, 2);
    if (rows != NULL && n == 2) {
        CHECK_INT(rows[0].id, 2);
        CHECK_STR(rows[0].name, "two");
        CHECK_INT(rows[1].id, 1);
        CHECK_STR(rows[1].name, "one");
        CHECK(rows[1].has_score && rows[1].score == 0.2);
    }
    qt_items_over_all_free(rows, n);
}

/* Thousands of rows make the array grow many times; every row is kept in
 * order with its own copy of the text. */
static void
test_many_all_growth(void)
{
    struct qt_items *rows = NULL;
    struct qt_ids_between_row *ids = NULL;
    char name[32];
    size_t n = 0, i;
    int bad = 0;

    reset();
    CHECK_INT(sc_batch_begin(db), SC_OK);
    for (i = 1; i <= 2500; i++) {
        snprintf(name, sizeof name, "item-%zu", i);
        add_item((int64_t)i, name, (double)i);
    }
    CHECK_INT(sc_batch_commit(db), SC_OK);

    CHECK_INT(qt_all_items_all(db, &rows, &n), SC_OK);
    CHECK_INT(n, 2500);
    for (i = 0; rows != NULL && i < n; i++) {
        snprintf(name, sizeof name, "item-%zu", i + 1);
        if (rows[i].id != (int64_t)(i + 1) || rows[i].name == NULL
            || strcmp(rows[i].name, name) != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
    qt_all_items_all_free(rows, n);

    /* An own-struct query through the array; lo is bound in two places. */
    CHECK_INT(qt_ids_between_all(db, 1001, 2200, &ids, &n), SC_OK);
    CHECK_INT(n, 1200);
    if (ids != NULL && n == 1200) {
        /* id is the rowid, never NULL: its member has no has_ flag. */
        CHECK_INT(ids[0].id, 1001);
        CHECK_INT(ids[1199].id, 2200);
    }
    qt_ids_between_all_free(ids, n);
    CHECK_INT(qt_ids_between_all(db, 10, 5, &ids, &n), SC_OK);
    CHECK_INT(n, 0);
    qt_ids_between_all_free(ids, n);
}

/* ------------------------------------------------------------------ */
/* exec                                                                */
/* ------------------------------------------------------------------ */

/* exec reports how many rows it changed; changes may be NULL. */
static void
test_exec_changes(void)
{
    int64_t changes = -1;
    struct qt_item_stats_row s = { 0 };

    reset();
    add_item(1, "a", 0.1);
    add_item(2, "b", 0.2);
    add_item(3, "c", 0.9);
    add_item(4, "d", -1);       /* NULL score: never below anything */
    CHECK_INT(qt_delete_below(db, 0.5, &changes), SC_OK);
    CHECK_INT(changes, 2);
    CHECK_INT(qt_delete_below(db, 0.5, &changes), SC_OK);
    CHECK_INT(changes, 0);
    CHECK_INT(qt_delete_below(db, 1.0, NULL), SC_OK);
    CHECK_INT(qt_item_stats(db, &s), SC_OK);
    CHECK_INT(s.n, 1);
    qt_item_stats_row_free(&s);

    /* A statement that is not INSERT, UPDATE or DELETE changes no rows,
     * whatever the statement before it changed. */
    add_item(5, "e", 0.1);
    add_item(6, "f", 0.1);
    CHECK_INT(qt_delete_below(db, 0.5, &changes), SC_OK);
    CHECK_INT(changes, 2);
    CHECK_INT(qt_touch(db, &changes), SC_OK);
    CHECK_INT(changes, 0);
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

/* Count the rows of tagged(tag) through the array variant. */
static size_t
count_tagged(const char *tag)
{
    struct qt_tagged_row *rows = NULL;
    size_t n = 0;

    CHECK_INT(qt_tagged_all(db, tag, &rows, &n), SC_OK);
    qt_tagged_all_free(rows, n);
    return n;
}

/* A NULL text argument binds SQL NULL: `tag IS :tag` finds the untagged
 * rows and `SET tag = :tag` untags. */
static void
test_null_params(void)
{
    int64_t changes = 0;

    reset();
    add_item(1, "a", 0.1);
    add_item(2, "b", 0.2);
    CHECK_INT(count_tagged(NULL), 2);
    CHECK_INT(count_tagged("x"), 0);
    CHECK_INT(qt_retag(db, "x", NULL, &changes), SC_OK);
    CHECK_INT(changes, 2);
    CHECK_INT(count_tagged(NULL), 0);
    CHECK_INT(count_tagged("x"), 2);
    CHECK_INT(qt_retag(db, NULL, "x", &changes), SC_OK);
    CHECK_INT(changes, 2);
    CHECK_INT(count_tagged(NULL), 2);
}

/* Collects the names with_data() returns. */
struct names {
    char text[64];
    int n;
};

/* Append row's name to the names at arg. */
static int
see_name(const struct qt_with_data_row *row, void *arg)
{
    struct names *s = arg;
    size_t len = strlen(s->text);

    snprintf(s->text + len, sizeof s->text - len, "%s%s", len ? "," : "",
             row->name);
    s->n++;
    return 0;
}

/* Blob arguments compare byte for byte, NUL bytes included; an empty blob
 * is not NULL; a NULL pointer binds NULL, which equals nothing. */
static void
test_blob_params(void)
{
    static unsigned char a[] = { 0x00, 0x01, 0x00 }, b[] = { 0x00, 0x01 };
    struct qt_items row = QT_ITEMS_INIT;
    struct qt_tagged_row *rows = NULL;
    struct names s;
    sc_blob key;
    size_t n = 0;

    reset();
    row.name = "a";
    row.data.data = a;
    row.data.len = sizeof a;
    row.id = 1;
    CHECK_INT(qt_items_insert(db, &row), SC_OK);
    row.id = 2;
    row.name = "b";
    row.data.data = b;
    row.data.len = sizeof b;
    CHECK_INT(qt_items_insert(db, &row), SC_OK);
    row.id = 3;
    row.name = "empty";
    row.data.data = a;
    row.data.len = 0;
    CHECK_INT(qt_items_insert(db, &row), SC_OK);

    memset(&s, 0, sizeof s);
    key.data = a;
    key.len = sizeof a;
    CHECK_INT(qt_with_data(db, &key, see_name, &s), SC_OK);
    CHECK_STR(s.text, "a");

    memset(&s, 0, sizeof s);
    key.len = 2;                /* the first two bytes of a are b */
    CHECK_INT(qt_with_data(db, &key, see_name, &s), SC_OK);
    CHECK_STR(s.text, "b");

    memset(&s, 0, sizeof s);
    key.len = 0;
    CHECK_INT(qt_with_data(db, &key, see_name, &s), SC_OK);
    CHECK_STR(s.text, "empty");

    memset(&s, 0, sizeof s);
    CHECK_INT(qt_with_data(db, NULL, see_name, &s), SC_OK);
    CHECK_INT(s.n, 0);

    /* Blobs come back in own-struct rows too, empty ones non-NULL. */
    CHECK_INT(qt_tagged_all(db, NULL, &rows, &n), SC_OK);
    CHECK_INT(n, 3);
    if (rows != NULL && n == 3) {
        CHECK_INT(rows[0].data.len, 3);
        CHECK(rows[0].data.data && memcmp(rows[0].data.data, a, 3) == 0);
        CHECK(rows[2].data.data != NULL);
        CHECK_INT(rows[2].data.len, 0);
        CHECK(!rows[0].has_ok);
        CHECK(rows[0].at == NULL);
    }
    qt_tagged_all_free(rows, n);
}

/* Boolean arguments bind 0 and 1. */
static void
test_boolean_params(void)
{
    struct qt_items row = QT_ITEMS_INIT;
    struct qt_count_ok_row c = { 0 };
    int i;

    reset();
    for (i = 1; i <= 5; i++) {
        row.id = i;
        row.name = "x";
        row.ok = i % 2 == 0;
        row.has_ok = i != 5;
        CHECK_INT(qt_items_insert(db, &row), SC_OK);
    }
    CHECK_INT(qt_count_ok(db, true, &c), SC_OK);
    CHECK_INT(c.n, 2);
    CHECK_INT(qt_count_ok(db, false, &c), SC_OK);
    CHECK_INT(c.n, 2);
    qt_count_ok_row_free(&c);
}

/* ------------------------------------------------------------------ */
/* RETURNING, batches, misuse                                          */
/* ------------------------------------------------------------------ */

/* A `one` INSERT ... RETURNING inserts once and returns the row; a
 * duplicate is SC_CONSTRAINT. */
static void
test_returning(void)
{
    struct qt_add_tag_row r = { 0 };
    struct qt_tags t = QT_TAGS_INIT;
    int64_t changes = 0;

    reset();
    CHECK_INT(qt_add_tag(db, "red", NULL, &r), SC_OK);
    CHECK_STR(r.name, "red");
    qt_add_tag_row_free(&r);
    CHECK_INT(qt_tags_get(db, "red", &t), SC_OK);
    CHECK(t.note == NULL);
    qt_tags_free(&t);
    CHECK_INT(qt_add_tag(db, "red", "again", &r), SC_CONSTRAINT);
    CHECK(r.name == NULL);
    CHECK_INT(qt_add_tag(db, "blue", "b", &r), SC_OK);
    qt_add_tag_row_free(&r);
    CHECK_INT(qt_clear_tags(db, &changes), SC_OK);
    CHECK_INT(changes, 2);
}

/* Queries run inside a batch see its writes; a rollback undoes an exec. */
static void
test_batch(void)
{
    struct qt_item_stats_row s = { 0 };
    int64_t changes = 0;

    reset();
    add_item(1, "a", 0.1);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    add_item(2, "b", 0.2);
    CHECK_INT(qt_item_stats(db, &s), SC_OK);
    CHECK_INT(s.n, 2);
    qt_item_stats_row_free(&s);
    CHECK_INT(qt_delete_below(db, 1.0, &changes), SC_OK);
    CHECK_INT(changes, 2);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(qt_item_stats(db, &s), SC_OK);
    CHECK_INT(s.n, 1);
    qt_item_stats_row_free(&s);
}

/* Bad arguments are SC_MISUSE with a message, never a crash. */
static void
test_misuse(void)
{
    struct qt_items *rows = (struct qt_items *)&rows;
    size_t n = 5;

    CHECK_INT(qt_items_over(db, 0.0, NULL, NULL), SC_MISUSE);
    CHECK_INT(qt_items_over_all(db, 0.0, NULL, &n), SC_MISUSE);
    CHECK_INT(qt_items_over_all(db, 0.0, &rows, NULL), SC_MISUSE);
    CHECK(rows == NULL);
    CHECK_INT(qt_item_by_id(db, 1, NULL), SC_MISUSE);
    CHECK_INT(qt_item_by_id(NULL, 1, NULL), SC_MISUSE);
    CHECK_INT(qt_delete_below(NULL, 1.0, NULL), SC_MISUSE);
    qt_items_over_all_free(NULL, 3);
}

static const struct t_test tests[] = {
    T_TEST(test_one_found),
    T_TEST(test_one_not_found),
    T_TEST(test_one_own_struct),
    T_TEST(test_many_callback),
    T_TEST(test_shared_rows),
    T_TEST(test_many_all),
    T_TEST(test_many_all_growth),
    T_TEST(test_exec_changes),
    T_TEST(test_null_params),
    T_TEST(test_blob_params),
    T_TEST(test_boolean_params),
    T_TEST(test_returning),
    T_TEST(test_batch),
    T_TEST(test_misuse),
};

int
main(int argc, char **argv)
{
    int rc;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_qt DB-PATH\n");
        return 2;
    }
    rc = sc_open(&db, argv[1], &qt_schema, NULL);
    if (rc != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
