/*
 * test_path.c - the paths sc_open() works out: sci_path_expand_home()
 * with HOME set, unset, empty and "/", and sci_path_make_parents() in the
 * tree of folders and symlinks of pathtree.h (nested, existing, umask,
 * and a file, a dangling link or a loop in the way).
 */
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "harness.h"
#include "pathtree.h"

/* ---- sci_path_expand_home ------------------------------------------- */

/* Expand path with HOME set to home (NULL: unset) and check rc and the
 * result (NULL: none expected). */
static void
check_expand(const char *home, const char *path, int rc,
             const char *expected)
{
    char *out = (char *)"untouched";
    int got;

    if (home != NULL)
        setenv("HOME", home, 1);
    else
        unsetenv("HOME");
    got = sci_path_expand_home(path, &out);
    if (got != rc || (out == NULL) != (expected == NULL)
        || (out != NULL && strcmp(out, expected) != 0))
        T_FAIL("HOME=%s, \"%s\": rc %d \"%s\", expected rc %d \"%s\"",
               home ? home : "(unset)", path ? path : "(null)", got,
               out ? out : "(null)", rc, expected ? expected : "(null)");
    free(out);
}

static void
test_expand_home(void)
{
    const char *saved = getenv("HOME");
    char *keep = saved != NULL ? cat3(saved, "", "") : NULL;

    check_expand("/home/u", "~/x/y.db", SC_OK, "/home/u/x/y.db");
    check_expand("/home/u", "~", SC_OK, "/home/u");
    check_expand("/home/u", "~/", SC_OK, "/home/u/");
    check_expand("/home/u/", "~/x", SC_OK, "/home/u/x");
    check_expand("/", "~/x", SC_OK, "/x");
    check_expand("/", "~", SC_OK, "/");
    check_expand("/home/u", "~user/x", SC_OK, "~user/x");
    check_expand("/home/u", "~x", SC_OK, "~x");
    check_expand("/home/u", "a/~/b", SC_OK, "a/~/b");
    check_expand("/home/u", "/abs/~", SC_OK, "/abs/~");
    check_expand("/home/u", "", SC_OK, "");
    check_expand("/h\xc3\xa9", "~/\xe6\x97\xa5", SC_OK,
                 "/h\xc3\xa9/\xe6\x97\xa5");
    check_expand(NULL, "~/x", SC_MISUSE, NULL);
    check_expand(NULL, "~", SC_MISUSE, NULL);
    check_expand("", "~/x", SC_MISUSE, NULL);
    check_expand(NULL, "x/y", SC_OK, "x/y");
    check_expand("/home/u", NULL, SC_MISUSE, NULL);
    CHECK_INT(sci_path_expand_home("~/x", NULL), SC_MISUSE);

    if (keep != NULL)
        setenv("HOME", keep, 1);
    else
        unsetenv("HOME");
    free(keep);
}

/* ---- sci_path_make_parents ------------------------------------------ */

static void
test_make_parents_nested(void)
{
    mode_t mask = umask(022);
    struct stat st;

    if (!enter_tree()) {
        umask(mask);
        return;
    }
    CHECK_INT(sci_path_make_parents("mk/a/b/c/store.db", NULL), SC_OK);
    CHECK(is_dir("mk/a/b/c"));
    CHECK(access("mk/a/b/c/store.db", F_OK) != 0);
    CHECK(stat("mk/a/b", &st) == 0 && (st.st_mode & 0777) == 0755);
    umask(077);
    CHECK_INT(sci_path_make_parents("mk/m/x.db", NULL), SC_OK);
    CHECK(stat("mk/m", &st) == 0 && (st.st_mode & 0777) == 0700);
    umask(mask);
    /* Doubled slashes, "." and trailing slashes; an absolute path. */
    CHECK_INT(sci_path_make_parents("mk//d1/./d2//x.db/", NULL), SC_OK);
    CHECK(is_dir("mk/d1/d2"));
    CHECK(!is_dir("mk/d1/d2/x.db"));
    {
        char *p = in_root("mk/\xc3\xa9/\xe6\x97\xa5/f");

        CHECK(p != NULL);
        if (p != NULL)
            CHECK_INT(sci_path_make_parents(p, NULL), SC_OK);
        CHECK(is_dir("mk/\xc3\xa9/\xe6\x97\xa5"));
        free(p);
    }
}

static void
test_make_parents_existing(void)
{
    if (!enter_tree())
        return;
    CHECK_INT(sci_path_make_parents("real/sub/new.db", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("real/sub/file.txt", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("abs_link/sub/x.db", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("plain.db", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("/x.db", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("/", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents("../x.db", NULL), SC_OK);
    CHECK_INT(sci_path_make_parents(NULL, NULL), SC_MISUSE);
}

static void
test_make_parents_failure(void)
{
    if (!enter_tree())
        return;
    /* A file, and a dangling symlink, where a folder should be. */
    CHECK_INT(sci_path_make_parents("real/sub/file.txt/x.db", NULL), SC_IO);
    CHECK_INT(sci_path_make_parents("real/sub/file.txt/a/b/x.db", NULL),
              SC_IO);
    CHECK_INT(sci_path_make_parents("dangling/x.db", NULL), SC_IO);
    CHECK_INT(sci_path_make_parents("loop1/x.db", NULL), SC_IO);
    /* A folder we may not write to (root may write anywhere). */
    if (geteuid() != 0 && mkdir("locked", 0500) == 0) {
        CHECK_INT(sci_path_make_parents("locked/a/x.db", NULL), SC_IO);
        CHECK(!is_dir("locked/a"));
    }
}

static const struct t_test tests[] = {
    T_TEST(test_fixture_builds),
    T_TEST(test_expand_home),
    T_TEST(test_make_parents_nested),
    T_TEST(test_make_parents_existing),
    T_TEST(test_make_parents_failure),
    T_TEST(test_fixture_removed),
};

int
main(void)
{
    return T_RUN_ALL(tests);
}
