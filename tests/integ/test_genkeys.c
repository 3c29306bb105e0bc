/*
 * test_genkeys.c - genkeys.schema's integer primary keys against a real
 * file: a key of 0 lets SQLite assign one, which insert and upsert store
 * into the row and sc_last_insert_id() also gives; a non-zero key is
 * stored as given; AUTOINCREMENT never reuses a key; a composite integer
 * key is not a rowid.
 * Usage: test_genkeys DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>

#include "genkeys.h"
#include "harness.h"

static sc_db *db;

/* Two inserts with key 0 get two keys, written back; get finds them. */
static void
test_insert_assigns_key(void)
{
    struct genkeys_notes a = GENKEYS_NOTES_INIT, b = GENKEYS_NOTES_INIT;
    struct genkeys_notes got = GENKEYS_NOTES_INIT;

    a.body = "first";
    b.body = "second";
    CHECK_INT(genkeys_notes_insert(db, &a), SC_OK);
    CHECK(a.id > 0);
    CHECK_INT(sc_last_insert_id(db), a.id);
    CHECK_INT(genkeys_notes_insert(db, &b), SC_OK);
    CHECK(b.id > 0 && b.id != a.id);
    CHECK_INT(genkeys_notes_get(db, a.id, &got), SC_OK);
    CHECK_STR(got.body, "first");
    genkeys_notes_free(&got);
    CHECK_INT(genkeys_notes_get(db, 0, &got), SC_NOTFOUND);
}

/* A non-zero key is inserted as given and left in the row. */
static void
test_given_key_kept(void)
{
    struct genkeys_notes n = GENKEYS_NOTES_INIT, got = GENKEYS_NOTES_INIT;

    n.id = 1000;
    n.body = "given";
    CHECK_INT(genkeys_notes_insert(db, &n), SC_OK);
    CHECK_INT(n.id, 1000);
    CHECK_INT(genkeys_notes_get(db, 1000, &got), SC_OK);
    CHECK_STR(got.body, "given");
    genkeys_notes_free(&got);
    CHECK_INT(genkeys_notes_insert(db, &n), SC_CONSTRAINT);
}

/* Upsert with key 0 inserts a new row and stores its key; with that key
 * it updates the row. */
static void
test_upsert_assigns_then_updates(void)
{
    struct genkeys_notes n = GENKEYS_NOTES_INIT, got = GENKEYS_NOTES_INIT;
    int64_t before = 0, after = 0;

    CHECK_INT(genkeys_notes_count(db, NULL, &before), SC_OK);
    n.body = "up";
    CHECK_INT(genkeys_notes_upsert(db, &n), SC_OK);
    CHECK(n.id > 0);
    n.body = "again";
    CHECK_INT(genkeys_notes_upsert(db, &n), SC_OK);
    CHECK_INT(genkeys_notes_count(db, NULL, &after), SC_OK);
    CHECK_INT(after, before + 1);
    CHECK_INT(genkeys_notes_get(db, n.id, &got), SC_OK);
    CHECK_STR(got.body, "again");
    genkeys_notes_free(&got);
}

/* AUTOINCREMENT: the key after a deleted highest key is higher still. */
static void
test_autoincrement_never_reuses(void)
{
    struct genkeys_events e = GENKEYS_EVENTS_INIT;
    int64_t first;

    e.what = "a";
    CHECK_INT(genkeys_events_insert(db, &e), SC_OK);
    first = e.id;
    CHECK(first > 0);
    CHECK_INT(genkeys_events_delete(db, first), SC_OK);
    e.id = 0;
    e.what = "b";
    CHECK_INT(genkeys_events_insert(db, &e), SC_OK);
    CHECK(e.id > first);
}

/* A composite key of integers is not a rowid: (0, 0) is stored. */
static void
test_composite_key_not_assigned(void)
{
    struct genkeys_pairs p = GENKEYS_PAIRS_INIT, got = GENKEYS_PAIRS_INIT;

    CHECK_INT(genkeys_pairs_insert(db, &p), SC_OK);
    CHECK_INT(genkeys_pairs_get(db, 0, 0, &got), SC_OK);
    CHECK_INT(genkeys_pairs_insert(db, &p), SC_CONSTRAINT);
}

static const struct t_test tests[] = {
    T_TEST(test_insert_assigns_key),
    T_TEST(test_given_key_kept),
    T_TEST(test_upsert_assigns_then_updates),
    T_TEST(test_autoincrement_never_reuses),
    T_TEST(test_composite_key_not_assigned),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_genkeys DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &genkeys_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
