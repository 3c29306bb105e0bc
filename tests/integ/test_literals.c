/*
 * test_literals.c - literals.schema's defaults at the limits of what the
 * schema language can spell come back from a real database file: the
 * 64-bit integer limits and text written with hex escapes.
 * Usage: test_literals DB-PATH (a file that does not exist yet).
 */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "literals.h"

static sc_db *db;

/* A row inserted with every default member unset reads back the schema's
 * defaults exactly. */
static void
test_defaults_at_the_limits(void)
{
    struct literals_edges row = LITERALS_EDGES_INIT;
    struct literals_edges got = LITERALS_EDGES_INIT;

    row.id = 1;
    CHECK_INT(literals_edges_insert(db, &row), SC_OK);
    CHECK_INT(literals_edges_get(db, 1, &got), SC_OK);
    CHECK(got.has_biggest && got.biggest == INT64_MAX);
    CHECK(got.has_smallest && got.smallest == INT64_MIN);
    CHECK_STR(got.word, "caf\xc3\xa9 A");
    literals_edges_free(&got);
}

static const struct t_test tests[] = {
    T_TEST(test_defaults_at_the_limits),
};

int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_literals DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &literals_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
