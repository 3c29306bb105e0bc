/*
 * test_generated.c - generated.schema's generated columns against a real
 * file: what the row's generated members hold is ignored by insert,
 * upsert and update, and get, select and a query read what SQLite
 * computed; updating a generated column by number is refused.
 * Usage: test_generated DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>

#include "generated.h"
#include "harness.h"

static sc_db *db;

/* Insert a person with garbage in every generated member. */
static int64_t
add(const char *first, const char *last, int64_t born)
{
    struct generated_people p = GENERATED_PEOPLE_INIT;

    p.first = first;
    p.last = last;
    p.born = born;
    p.has_born = born != 0;
    p.full_name = "ignored";
    p.initials = "??";
    p.age_2030 = -1;
    p.has_age_2030 = true;
    CHECK_INT(generated_people_insert(db, &p), SC_OK);
    return p.id;
}

/* get reads what SQLite computed, not what the insert's row held. */
static void
test_insert_ignores_generated(void)
{
    struct generated_people got = GENERATED_PEOPLE_INIT;
    int64_t id = add("Ada", "Lovelace", 1815);

    CHECK_INT(generated_people_get(db, id, &got), SC_OK);
    CHECK_STR(got.full_name, "Ada Lovelace");
    CHECK_STR(got.initials, "AL");
    CHECK(got.has_age_2030);
    CHECK_INT(got.age_2030, 215);
    generated_people_free(&got);
    /* A NULL input makes a NULL virtual column. */
    id = add("Alan", "Turing", 0);
    CHECK_INT(generated_people_get(db, id, &got), SC_OK);
    CHECK(!got.has_age_2030);
    generated_people_free(&got);
}

/* update and upsert recompute from the new values. */
static void
test_update_recomputes(void)
{
    struct generated_people p = GENERATED_PEOPLE_INIT;
    struct generated_people got = GENERATED_PEOPLE_INIT;
    int64_t id = add("Grace", "Hopper", 1906);

    p.id = id;
    p.first = "Rear Admiral";
    p.last = "Hopper";
    p.initials = "XX";
    CHECK_INT(generated_people_update(db, &p), SC_OK);
    CHECK_INT(generated_people_get(db, id, &got), SC_OK);
    CHECK_STR(got.full_name, "Rear Admiral Hopper");
    CHECK_STR(got.initials, "RH");
    CHECK(!got.has_age_2030);
    generated_people_free(&got);
    p.first = "Grace";
    p.born = 1906;
    p.has_born = true;
    CHECK_INT(generated_people_upsert(db, &p), SC_OK);
    CHECK_INT(generated_people_get(db, id, &got), SC_OK);
    CHECK_STR(got.initials, "GH");
    CHECK_INT(got.age_2030, 124);
    generated_people_free(&got);
}

/* A generated column cannot be updated by number. */
static void
test_update_cols_refuses_generated(void)
{
    struct generated_people p = GENERATED_PEOPLE_INIT;
    int cols[] = { GENERATED_PEOPLE_COL_INITIALS };

    p.id = add("Edsger", "Dijkstra", 1930);
    p.initials = "ZZ";
    CHECK_INT(sc_row_update_cols(db, &generated_people_table, &p, cols, 1),
              SC_MISUSE);
}

/* A select filters on a stored generated column; a query reads one. */
static void
test_select_and_query(void)
{
    sc_where w = SC_WHERE_INIT;
    struct generated_by_initials_row *rows = NULL;
    size_t n = 0;
    int64_t count = -1;

    CHECK_INT(sc_where_add(&w, "initials = ?", 1, sc_text("AL")), SC_OK);
    CHECK_INT(generated_people_count(db, &w, &count), SC_OK);
    CHECK_INT(count, 1);
    sc_where_fini(&w);
    CHECK_INT(generated_by_initials_all(db, "AL", &rows, &n), SC_OK);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(rows[0].full_name, "Ada Lovelace");
    generated_by_initials_all_free(rows, n);
}

static const struct t_test tests[] = {
    T_TEST(test_insert_ignores_generated),
    T_TEST(test_update_recomputes),
    T_TEST(test_update_cols_refuses_generated),
    T_TEST(test_select_and_query),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_generated DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &generated_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
