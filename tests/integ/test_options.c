/*
 * test_options.c - options.schema against a real file: a NOCASE key
 * finds its row in any case and refuses a second spelling; a STRICT
 * table refuses a value of another type from another writer; a
 * deferrable foreign key is checked when the batch commits, so a child
 * may come before its parent inside one; a named constraint's name is in
 * the message when it refuses a row.
 * Usage: test_options DB-PATH (a file that does not exist yet).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "options.h"

static sc_db *db;

/* The key compares without case: get in any case, a second spelling is
 * the same key. */
static void
test_nocase_key(void)
{
    struct options_tags t = OPTIONS_TAGS_INIT, got = OPTIONS_TAGS_INIT;

    t.name = "Urgent";
    CHECK_INT(options_tags_insert(db, &t), SC_OK);
    CHECK_INT(options_tags_get(db, "URGENT", &got), SC_OK);
    CHECK_STR(got.name, "Urgent");
    options_tags_free(&got);
    t.name = "urgent";
    CHECK_INT(options_tags_insert(db, &t), SC_CONSTRAINT);
}

/* STRICT: SQLite refuses text in the integer column. */
static void
test_strict_types(void)
{
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "INSERT INTO tags (name, uses) "
                           "VALUES ('x', 'many')", NULL, NULL, NULL)
              & 0xff, SQLITE_CONSTRAINT);
}

/* Deferrable: a child before its parent inside a batch commits; a child
 * whose parent never comes fails the commit and leaves nothing. */
static void
test_deferrable_reference(void)
{
    struct options_owners o = OPTIONS_OWNERS_INIT;
    struct options_tags t = OPTIONS_TAGS_INIT;
    int64_t n = -1;

    CHECK_INT(sc_batch_begin(db), SC_OK);
    o.tag = "later";
    CHECK_INT(options_owners_insert(db, &o), SC_OK);
    t.name = "later";
    CHECK_INT(options_tags_insert(db, &t), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    o.id = 0;
    o.tag = "never";
    CHECK_INT(options_owners_insert(db, &o), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_CONSTRAINT);
    CHECK_INT(options_owners_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 1);
    o.id = 0;
    CHECK_INT(options_owners_insert(db, &o), SC_CONSTRAINT);
}

/* A named constraint's name is in the message when it refuses a row. */
static void
test_named_constraints(void)
{
    struct options_tags t = OPTIONS_TAGS_INIT;

    t.name = "neg";
    t.uses = -1;
    CHECK_INT(options_tags_insert(db, &t), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "uses_positive") != NULL);
    t.name = "a name longer than twenty characters";
    t.uses = 1;
    CHECK_INT(options_tags_insert(db, &t), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "name_short") != NULL);
}

static const struct t_test tests[] = {
    T_TEST(test_named_constraints),
    T_TEST(test_nocase_key),
    T_TEST(test_strict_types),
    T_TEST(test_deferrable_reference),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_options DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &options_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
