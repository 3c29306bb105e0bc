/*
 * test_triggers.c - triggers.schema against a real file: the trigger
 * the schema declares fires on updates made through the generated API,
 * after the version step that rebuilt its table created it again.
 * Usage: test_triggers DB-PATH (a file that does not exist yet).
 */
#include <sqlite3.h>
#include <stdio.h>

#include "harness.h"
#include "triggers.h"

static sc_db *db;

/* An update of body counts one edit; an update of size alone none. */
static void
test_trigger_fires(void)
{
    struct triggers_notes n = TRIGGERS_NOTES_INIT, got = TRIGGERS_NOTES_INIT;
    static const int size[] = { TRIGGERS_NOTES_COL_SIZE };

    n.body = "first";
    CHECK_INT(triggers_notes_insert(db, &n), SC_OK);
    n.body = "second";
    CHECK_INT(triggers_notes_update(db, &n), SC_OK);
    n.size = 3;
    n.has_size = true;
    CHECK_INT(triggers_notes_update_cols(db, &n, size, 1), SC_OK);
    CHECK_INT(triggers_notes_get(db, n.id, &got), SC_OK);
    CHECK_INT(got.edited, 1);
    triggers_notes_free(&got);
}

/* The trigger exists once, under its name. */
static void
test_trigger_in_schema(void)
{
    sqlite3_stmt *st = NULL;

    CHECK_INT(sqlite3_prepare_v2(sc_sqlite(db), "SELECT count(*) FROM "
                                 "sqlite_master WHERE type = 'trigger' AND "
                                 "name = 'notes_edited'", -1, &st, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
}

static const struct t_test tests[] = {
    T_TEST(test_trigger_fires),
    T_TEST(test_trigger_in_schema),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_triggers DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &triggers_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
