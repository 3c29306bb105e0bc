/*
 * test_enums.c - enums.schema against a real file: enum members are
 * stored as their names and read back, NULL through the has_ flag; a
 * member outside the enum is refused; a stored name outside the enum is
 * reported (SC_CORRUPT naming column and text), never read as a default;
 * the _str and _parse functions.
 * Usage: test_enums DB-PATH (a file that does not exist yet).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "enums.h"
#include "harness.h"

static sc_db *db;

/* Insert and get: names in the file, values in C, NULL as has_ false. */
static void
test_round_trip(void)
{
    struct enums_patterns p = ENUMS_PATTERNS_INIT, got = ENUMS_PATTERNS_INIT;
    sqlite3_stmt *st = NULL;

    p.id = "a";
    p.state = ENUMS_STATUS_VALIDATED;
    CHECK_INT(enums_patterns_insert(db, &p), SC_OK);
    CHECK_INT(enums_patterns_get(db, "a", &got), SC_OK);
    CHECK_INT(got.state, ENUMS_STATUS_VALIDATED);
    CHECK(!got.has_prev);
    enums_patterns_free(&got);
    CHECK_INT(sqlite3_prepare_v2(sc_sqlite(db), "SELECT state, prev IS NULL "
                                 "FROM patterns WHERE id = 'a'", -1, &st,
                                 NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "validated");
    CHECK_INT(sqlite3_column_int(st, 1), 1);
    sqlite3_finalize(st);
    p.id = "b";
    p.prev = ENUMS_STATUS_PENDING;
    p.has_prev = true;
    CHECK_INT(enums_patterns_insert(db, &p), SC_OK);
    CHECK_INT(enums_patterns_get(db, "b", &got), SC_OK);
    CHECK(got.has_prev && got.prev == ENUMS_STATUS_PENDING);
    enums_patterns_free(&got);
}

/* A member that is no value of the enum is refused, not stored as NULL;
 * the CHECK refuses a name outside the enum written by SQL. */
static void
test_bad_values_refused(void)
{
    struct enums_patterns p = ENUMS_PATTERNS_INIT;

    p.id = "c";
    p.state = (enum enums_status)42;
    CHECK_INT(enums_patterns_insert(db, &p), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "'state' holds 42") != NULL);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "INSERT INTO patterns (id, state) "
                           "VALUES ('x', 'bogus')", NULL, NULL, NULL),
              SQLITE_CONSTRAINT_CHECK);
}

/* Count the rows a callback sees. */
static int
count_rows(const struct enums_patterns *p, void *arg)
{
    (void)p;
    ++*(int *)arg;
    return 0;
}

/* A stored name outside the enum (another program, with the CHECK gone)
 * is SC_CORRUPT naming the column and the text, for get, select and a
 * query. */
static void
test_stored_name_outside_enum(void)
{
    struct enums_patterns got = ENUMS_PATTERNS_INIT;
    int n = 0;

    CHECK_INT(sqlite3_exec(sc_sqlite(db), "PRAGMA ignore_check_constraints ="
                           " ON; INSERT INTO patterns (id, state) VALUES "
                           "('z', 'bogus'); PRAGMA ignore_check_constraints"
                           " = OFF", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(enums_patterns_get(db, "z", &got), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), "column 'state' holds 'bogus'") != NULL);
    CHECK_INT(enums_patterns_select(db, NULL, NULL, 0, -1, 0, count_rows,
                                    &n), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), "holds 'bogus'") != NULL);
    CHECK_INT(enums_in_state(db, "bogus", count_rows, &n), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), "holds 'bogus'") != NULL);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "DELETE FROM patterns WHERE id = "
                           "'z'", NULL, NULL, NULL), SQLITE_OK);
}

/* The query returns the table's rows, enums read through its columns;
 * an enum argument binds its name, and one outside the enum is refused. */
static void
test_query_rows(void)
{
    int n = 0;

    CHECK_INT(enums_in_state(db, "validated", count_rows, &n), SC_OK);
    CHECK_INT(n, 2);
    n = 0;
    CHECK_INT(enums_in_status(db, ENUMS_STATUS_VALIDATED, count_rows, &n),
              SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(enums_in_status(db, (enum enums_status)9, count_rows, &n),
              SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "not a value of its enum") != NULL);
}

/* _str and _parse. */
static void
test_str_and_parse(void)
{
    enum enums_status v = ENUMS_STATUS_PENDING;

    CHECK_STR(enums_status_str(ENUMS_STATUS_RETIRED), "retired");
    CHECK(enums_status_str((enum enums_status)4) == NULL);
    CHECK(enums_status_str((enum enums_status)-1) == NULL);
    CHECK_INT(enums_status_parse("quarantined", &v), SC_OK);
    CHECK_INT(v, ENUMS_STATUS_QUARANTINED);
    CHECK_INT(enums_status_parse("Quarantined", &v), SC_NOTFOUND);
    CHECK_INT(enums_status_parse(NULL, &v), SC_NOTFOUND);
    CHECK_INT(v, ENUMS_STATUS_QUARANTINED);
}

static const struct t_test tests[] = {
    T_TEST(test_round_trip),
    T_TEST(test_bad_values_refused),
    T_TEST(test_stored_name_outside_enum),
    T_TEST(test_query_rows),
    T_TEST(test_str_and_parse),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_enums DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &enums_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
