/*
 * test_open_paths.c - files sc_open cannot open: a folder, a path through
 * a file, a name or a path too long, a folder it may not write.  Each is
 * SC_IO with a message naming the path and the reason, and the folders
 * sc_open made for a file it then failed to open are gone again (only
 * those: folders that were there stay).
 */
#include "fixture.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Whether path is a folder. */
static int
is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether nothing at all is at path. */
static int
is_gone(const char *path)
{
    struct stat st;

    return lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

/* A run of n copies of c, in a static buffer (n < 600). */
static const char *
run_of(char c, size_t n)
{
    static char buf[600];

    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* Open path, expect SC_IO and a message holding path's last part, text1
 * and text2 (may be NULL). */
static void
check_io(const char *path, const char *text1, const char *text2)
{
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char last[64];
    sc_db *db;

    snprintf(last, sizeof(last), "%s", name);
    CHECK_INT(sc_open(&db, path, &demo_schema, NULL), SC_IO);
    if (strstr(sc_errmsg(db), last) == NULL
        || strstr(sc_errmsg(db), text1) == NULL
        || (text2 != NULL && strstr(sc_errmsg(db), text2) == NULL))
        T_FAIL("message \"%s\" lacks \"%s\", \"%s\" or \"%s\"",
               sc_errmsg(db), last, text1, text2 ? text2 : "");
    CHECK_INT(sc_close(db), SC_OK);
}

static void
test_folder_refused(void)
{
    CHECK_INT(mkdir(fx_path("adir"), 0777), 0);
    check_io(fx_path("adir"), "Is a directory", NULL);
    check_io(fx_path("adir/"), "Is a directory", NULL);
    CHECK(is_dir(fx_path("adir")));
}

/* An empty path is refused, not opened as SQLite's private temporary
 * database, which would drop every write at close; ":memory:" opens. */
static void
test_empty_path_refused(void)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, "", &demo_schema, NULL), SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "the path is empty (\":memory:\" is a "
              "database in memory)");
    CHECK_INT(fx_insert(db, 1), SC_MISUSE);
    CHECK_INT(sc_close(db), SC_OK);
    CHECK_INT(sc_open(&db, ":memory:", &demo_schema, NULL), SC_OK);
    CHECK_INT(fx_insert(db, 1), SC_OK);
    CHECK_INT(sc_close(db), SC_OK);
}

static void
test_file_in_the_way(void)
{
    fx_write(fx_path("afile"), "x", 1);
    /* The file is where the file's folder should be, and above it. */
    check_io(fx_path("afile/x.db"), "cannot create the folder", "not a "
             "folder is in the way");
    check_io(fx_path("afile/sub/x.db"), "cannot create the folder", "not a "
             "folder is in the way");
    CHECK(is_gone(fx_path("afile/sub")));
}

static void
test_long_name_leaves_no_folders(void)
{
    char path[1024];

    /* The file's name is longer than a name may be: the two folders made
     * for it are taken away again, deepest first. */
    snprintf(path, sizeof(path), "%s/%s.db", fx_path("new1/new2"),
             run_of('n', 300));
    check_io(path, "File name too long", "cannot open");
    CHECK(is_gone(fx_path("new1")));
    /* The same with the long name a folder above the file. */
    snprintf(path, sizeof(path), "%s/%s/x.db", fx_path("new3/new4"),
             run_of('m', 300));
    check_io(path, "File name too long", "cannot create the folder");
    CHECK(is_gone(fx_path("new3")));
}

static void
test_only_made_folders_removed(void)
{
    char path[1024];

    CHECK_INT(mkdir(fx_path("kept"), 0777), 0);
    CHECK_INT(mkdir(fx_path("kept/also"), 0777), 0);
    snprintf(path, sizeof(path), "%s/%s.db", fx_path("kept/also/made"),
             run_of('k', 300));
    check_io(path, "File name too long", NULL);
    CHECK(is_gone(fx_path("kept/also/made")));
    CHECK(is_dir(fx_path("kept/also")));
}

static void
test_path_too_long_for_sqlite(void)
{
    char path[1024];
    size_t i, len;

    /* Short names, but more bytes than SQLite takes: refused before a
     * folder is made. */
    snprintf(path, sizeof(path), "%s", fx_path("deep"));
    for (i = 0; i < 6; i++) {
        len = strlen(path);
        snprintf(path + len, sizeof(path) - len, "/%s", run_of('d', 90));
    }
    len = strlen(path);
    snprintf(path + len, sizeof(path) - len, "/x.db");
    check_io(path, "bytes long", "more than the");
    CHECK(is_gone(fx_path("deep")));
}

/*
 * In a child running as uid 65534 when the test runs as root (permission
 * bits do not bind root): open path, and exit with 0 when the result is
 * SC_IO with a message holding "Permission denied" and part, else 1.
 */
static void
check_denied(const char *path, const char *part)
{
    pid_t pid;
    int status = -1;
    sc_db *db;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int rc;
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(2);
        rc = sc_open(&db, path, &demo_schema, NULL);
        if (rc != SC_IO || !strstr(sc_errmsg(db), "Permission denied")
            || !strstr(sc_errmsg(db), part)) {
            printf("     %s: %s\n", sc_errstr(rc), sc_errmsg(db));
            fflush(stdout);
            _exit(1);
        }
        sc_close(db);
        _exit(0);
    }
    CHECK(pid > 0);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    CHECK(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2)
        T_FAIL("could not drop to uid 65534");
    else
        CHECK_INT(WEXITSTATUS(status), 0);
}

static void
test_read_only_folder(void)
{
    /* The scratch folder must be reachable by the child. */
    fx_path("x");
    CHECK_INT(chmod(fx_dir, 0755), 0);
    CHECK_INT(mkdir(fx_path("locked"), 0555), 0);
    CHECK_INT(chmod(fx_path("locked"), 0555), 0);
    check_denied(fx_path("locked/sub/x.db"), "locked/sub'");
    check_denied(fx_path("locked/x.db"), "locked/x.db'");
    CHECK(is_gone(fx_path("locked/sub")));
    CHECK(is_gone(fx_path("locked/x.db")));
    CHECK_INT(chmod(fx_path("locked"), 0755), 0);
}

static const struct t_test tests[] = {
    T_TEST(test_folder_refused),
    T_TEST(test_empty_path_refused),
    T_TEST(test_file_in_the_way),
    T_TEST(test_long_name_leaves_no_folders),
    T_TEST(test_only_made_folders_removed),
    T_TEST(test_path_too_long_for_sqlite),
    T_TEST(test_read_only_folder),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
