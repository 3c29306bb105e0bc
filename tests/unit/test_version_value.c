/*
 * test_version_value.c - the version table's value is read as an integer.
 * Text holding an integer counts as that integer (compared as a number,
 * so '10' is newer than '2'); anything else - other text, a real, a blob,
 * NULL - is refused with SC_VERSION and a message naming it, and the file
 * is left untouched.
 */
#include "fixture.h"

/* Make file hold parent and a version table of the given column type
 * whose rows are the SQL values in `values` ("(1), ('2')"). */
static void
make_with_versions(const char *file, const char *type, const char *values)
{
    char sql[512];

    snprintf(sql, sizeof(sql),
             "CREATE TABLE schema_version (version %s);"
             "INSERT INTO schema_version (version) VALUES %s;"
             "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT "
             "NULL, score REAL, flag BOOLEAN, data BLOB);", type, values);
    CHECK_INT(fx_exec(file, sql), SQLITE_OK);
}

/* Open file, expect want, and check the message holds text. */
static void
check_open(const char *file, int want, const char *text)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), want);
    if (strstr(sc_errmsg(db), text) == NULL)
        T_FAIL("message \"%s\" lacks \"%s\"", sc_errmsg(db), text);
    sc_close(db);
}

static void
test_text_numbers_compare_as_numbers(void)
{
    const char *file = fx_path("text-10.db");

    /* As text, '2' > '10': the file would pass for version 2 and open. */
    make_with_versions(file, "TEXT", "('2'), ('10')");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "database is at version 10");
}

static void
test_text_number_is_its_version(void)
{
    const char *file = fx_path("text-1.db");
    sc_db *db;

    make_with_versions(file, "TEXT", "('1')");
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    /* Migrated from 1: child was made by the version 2 step. */
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'child'"), 1);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);
}

static void
test_several_rows_largest_as_numbers(void)
{
    const char *file = fx_path("mixed.db");
    sc_db *db;

    /* An integer 1 and the text '2': the largest is 2, the current
     * version, so nothing is migrated. */
    make_with_versions(file, "", "(1), ('2')");
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'child'"), 0);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 2);
}

static void
test_word_refused(void)
{
    const char *file = fx_path("abc.db");

    /* Read as 0 it would pass for an empty store: the version table
     * would be dropped and the schema created over the data. */
    make_with_versions(file, "", "('abc')");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "version table 'schema_version' holds "
               "'abc', not a version number");
}

static void
test_text_not_quite_a_number_refused(void)
{
    const char *file = fx_path("spaced.db");
    const char *file2 = fx_path("huge.db");

    make_with_versions(file, "TEXT", "('1 ')");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "holds '1 ', not a version number");
    make_with_versions(file2, "TEXT", "('99999999999999999999')");
    check_refused_untouched(file2, &demo_schema, SC_VERSION);
    check_open(file2, SC_VERSION, "not a version number");
}

static void
test_real_refused(void)
{
    const char *file = fx_path("real.db");

    make_with_versions(file, "REAL", "(1.5)");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "holds 1.5, not a version number");
}

static void
test_blob_refused(void)
{
    const char *file = fx_path("blob.db");

    make_with_versions(file, "", "(x'01')");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "holds a blob, not a version number");
}

static void
test_null_refused(void)
{
    const char *file = fx_path("null.db");

    make_with_versions(file, "", "(NULL)");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_open(file, SC_VERSION, "holds NULL, not a version number");
    /* One bad row among good ones is refused all the same. */
    file = fx_path("null2.db");
    make_with_versions(file, "", "(1), (NULL)");
    check_refused_untouched(file, &demo_schema, SC_VERSION);
}

static const struct t_test tests[] = {
    T_TEST(test_text_numbers_compare_as_numbers),
    T_TEST(test_text_number_is_its_version),
    T_TEST(test_several_rows_largest_as_numbers),
    T_TEST(test_word_refused),
    T_TEST(test_text_not_quite_a_number_refused),
    T_TEST(test_real_refused),
    T_TEST(test_blob_refused),
    T_TEST(test_null_refused),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
