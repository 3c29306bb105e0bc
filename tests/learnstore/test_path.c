/*
 * test_path.c - ls_path_resolve() compared path by path with what
 * python3's pathlib.Path(p).resolve() answers, on the tree of folders,
 * symlinks (chains, dangling, loops) and UTF-8 names of pathtree.h, built
 * in a fresh temporary folder.  A missing python3 fails the comparisons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "learnstore.h"
#include "harness.h"
#include "pathtree.h"

/*
 * Python reads NUL-separated paths from the file named by
 * $SCHEMAC_TEST_PATHS (so no path passes through the shell) and writes its
 * version, then for each path "R" and the resolved path, "L" for a
 * symlink loop (RuntimeError) or "E" and the message for another error,
 * each record ended by a NUL.  No single quotes: it sits in '...' below.
 */
static const char py_script[] =
    "import os, sys, pathlib\n"
    "out = sys.stdout.buffer\n"
    "out.write(sys.version.split()[0].encode() + b\"\\0\")\n"
    "data = open(os.environ[\"SCHEMAC_TEST_PATHS\"], \"rb\").read()\n"
    "for p in data.split(b\"\\0\")[:-1]:\n"
    "    try:\n"
    "        r = pathlib.Path(os.fsdecode(p)).resolve()\n"
    "        r = b\"R\" + os.fsencode(str(r))\n"
    "    except RuntimeError:\n"
    "        r = b\"L\"\n"
    "    except OSError as e:\n"
    "        r = b\"E\" + str(e).encode()\n"
    "    out.write(r + b\"\\0\")\n";

/* ---- asking python3 ------------------------------------------------- */

/*
 * Ask python3 to resolve the n paths (in the current working folder).
 * On success returns a malloc'd buffer holding 1 + n NUL-ended records
 * (version first, then one per path, see py_script) and points recs[0..n]
 * into it; returns NULL after reporting a failure.
 */
static char *
python_resolve(const char *const *paths, size_t n, const char **recs)
{
    char in_name[] = "/tmp/schemac-paths-XXXXXX";
    char *buf = NULL, *cmd = NULL;
    size_t len = 0, cap = 0, i, off;
    FILE *in, *py;
    int fd, status;

    fd = mkstemp(in_name);
    if (fd < 0 || (in = fdopen(fd, "wb")) == NULL) {
        T_FAIL("cannot write the list of paths for python3");
        return NULL;
    }
    for (i = 0; i < n; i++)
        fwrite(paths[i], 1, strlen(paths[i]) + 1, in);
    fclose(in);
    setenv("SCHEMAC_TEST_PATHS", in_name, 1);

    cmd = cat3("python3 -c '", py_script, "'");
    py = cmd != NULL ? popen(cmd, "r") : NULL;
    if (py == NULL) {
        T_FAIL("cannot run python3");
        goto fail;
    }
    for (;;) {
        size_t got;

        if (cap - len < 4096) {
            char *more = realloc(buf, cap + 65536);

            if (more == NULL)
                break;
            buf = more;
            cap += 65536;
        }
        got = fread(buf + len, 1, cap - len, py);
        if (got == 0)
            break;
        len += got;
    }
    status = pclose(py);
    if (status != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            T_FAIL("no python3: apt-get install -y python3");
        else
            T_FAIL("python3 failed (exit status %d)",
                   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        goto fail;
    }
    for (i = 0, off = 0; i <= n; i++) {
        const char *end = off < len ? memchr(buf + off, '\0', len - off)
                                    : NULL;

        if (end == NULL) {
            T_FAIL("python3 answered %zu of %zu paths", i ? i - 1 : 0, n);
            goto fail;
        }
        recs[i] = buf + off;
        off = (size_t)(end - buf) + 1;
    }
    unlink(in_name);
    free(cmd);
    return buf;

fail:
    unlink(in_name);
    free(cmd);
    free(buf);
    return NULL;
}

/* Resolve each of the n paths with ls_path_resolve() and with python3 in
 * the current working folder, and fail on every difference. */
static void
compare_with_python(const char *const *paths, size_t n)
{
    const char **recs = malloc((n + 1) * sizeof *recs);
    char *buf;
    size_t i;

    if (recs == NULL) {
        T_FAIL("out of memory");
        return;
    }
    buf = python_resolve(paths, n, recs);
    for (i = 0; buf != NULL && i < n; i++) {
        const char *py = recs[i + 1];
        char *c = NULL;
        int rc = ls_path_resolve(paths[i], &c);

        if (py[0] == 'R') {
            if (rc != SC_OK || strcmp(c, py + 1) != 0)
                T_FAIL("\"%s\": got rc %d \"%s\", python %s: \"%s\"",
                       paths[i], rc, c ? c : "(null)", recs[0], py + 1);
        } else if (rc != SC_IO || c != NULL) {
            T_FAIL("\"%s\": got rc %d \"%s\", python %s raised (%s)",
                   paths[i], rc, c ? c : "(null)", recs[0],
                   py[0] == 'L' ? "symlink loop" : py + 1);
        }
        free(c);
    }
    free(buf);
    free(recs);
}

/*
 * Compare the n fixture-relative paths with python3 twice: as written
 * from the fixture's root, and as absolute paths below it.
 */
static void
compare_both_ways(const char *const *rel, size_t n)
{
    char **abs_paths = calloc(n, sizeof *abs_paths);
    size_t i;

    if (!enter_tree() || abs_paths == NULL) {
        if (abs_paths == NULL)
            T_FAIL("out of memory");
        free(abs_paths);
        return;
    }
    compare_with_python(rel, n);
    for (i = 0; i < n; i++)
        if ((abs_paths[i] = in_root(rel[i])) == NULL)
            break;
    if (i == n)
        compare_with_python((const char *const *)abs_paths, n);
    else
        T_FAIL("out of memory");
    for (i = 0; i < n; i++)
        free(abs_paths[i]);
    free(abs_paths);
}

/* ---- ls_path_resolve against Python --------------------------------- */

static void
test_resolve_plain_folders(void)
{
    static const char *const paths[] = {
        "real", "real/", "real//sub", "real/./sub/.", "./real/sub//",
        "real/sub/file.txt", "real/sub/../sub/file.txt", "real/..",
        "real/sub/../..", "other/b/../../real",
    };

    compare_both_ways(paths, NPATHS(paths));
}

/* "", "." and ".." from the fixture's root; leading slashes. */
static void
test_resolve_dots_and_roots(void)
{
    static const char *const paths[] = {
        "", ".", "./", ".//.", "..", "../..", "../../../../..", "/", "//",
        "///", "////", "/.", "/..", "//..", "/../..", "//tmp", "///tmp",
        "//tmp/..", "/./tmp/./",
    };

    if (!enter_tree())
        return;
    compare_with_python(paths, NPATHS(paths));
}

/* The fixture's own path with doubled and tripled leading slashes and
 * trailing slashes. */
static void
test_resolve_slashes_around_fixture(void)
{
    char *p[6];
    size_t i;

    if (!enter_tree())
        return;
    p[0] = cat3("/", tree_root, "");
    p[1] = cat3("//", tree_root, "/real");
    p[2] = cat3("/", tree_root, "//real///sub///");
    p[3] = cat3(tree_root, "/", "abs_link/");
    p[4] = cat3("//", tree_root, "/rel_link//");
    p[5] = cat3(tree_root, "/", "real/sub/file.txt/");
    for (i = 0; i < NPATHS(p); i++)
        if (p[i] == NULL)
            T_FAIL("out of memory");
    if (!t_failed_now)
        compare_with_python((const char *const *)p, NPATHS(p));
    for (i = 0; i < NPATHS(p); i++)
        free(p[i]);
}

static void
test_resolve_symlink_to_folder(void)
{
    static const char *const paths[] = {
        "abs_link", "abs_link/", "abs_link/sub", "abs_link/sub/file.txt",
        "abs_link/./sub/", "file_link", "file_link/",
    };

    compare_both_ways(paths, NPATHS(paths));
}

static void
test_resolve_relative_symlink(void)
{
    static const char *const paths[] = {
        "rel_link", "rel_link/file.txt", "rel_link/.", "rel_link/..",
        "rel_link/../..", "slashy", "slashy/file.txt", "dotdot_link",
        "dotdot_link/..",
    };

    compare_both_ways(paths, NPATHS(paths));
}

static void
test_resolve_symlink_chain(void)
{
    static const char *const paths[] = {
        "chain1", "chain1/", "chain1/sub", "chain2/sub/file.txt",
        "chain1/sub/../..", "chain3/link",
    };

    compare_both_ways(paths, NPATHS(paths));
}

static void
test_resolve_dangling_symlink(void)
{
    static const char *const paths[] = {
        "dangling", "dangling/", "dangling/more", "dangling/more/..",
        "dangling/../real", "abs_dangling", "abs_dangling/x/..",
    };

    compare_both_ways(paths, NPATHS(paths));
}

/* a/link/../b goes up from where the link points, not from a. */
static void
test_resolve_dotdot_across_symlink(void)
{
    static const char *const paths[] = {
        "real/link/../x", "real/link/..", "real/link/../../real",
        "abs_link/../other", "rel_link/../../other/b/..",
        "chain1/link/../b",
    };

    compare_both_ways(paths, NPATHS(paths));
}

static void
test_resolve_missing_tail(void)
{
    static const char *const paths[] = {
        "missing", "missing/", "missing/deeper/file", "missing/../real",
        "missing/a/../../real/sub", "real/nope/../sub",
        "real/sub/file.txt/x", "real/sub/file.txt/..", "missing/..",
        "missing/../..",
    };

    compare_both_ways(paths, NPATHS(paths));
}

static void
test_resolve_utf8_names(void)
{
    static const char *const paths[] = {
        "\xc3\xa9", "\xc3\xa9/x", "\xe6\x97\xa5\xe6\x9c\xac",
        "\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9/sub/file.txt",
        "\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9/../other",
        "real/\xe6\x97\xa5\xe6\x9c\xac-missing",
    };

    compare_both_ways(paths, NPATHS(paths));
}

/* Names the shell would mangle and names that only look special. */
static void
test_resolve_odd_names(void)
{
    static const char *const paths[] = {
        "~", "~/x", "a b", " lead", "-n", "...", "..a", ".hidden", "a\\b",
        "new\nline", "$HOME", "'quoted'", "*",
    };

    compare_both_ways(paths, NPATHS(paths));
}

/* Python 3.11 raises RuntimeError for a loop; we return SC_IO.  A loop
 * the kernel never reaches (detour) and one whose rest restarts at "/"
 * (twisted) resolve to whatever Python says. */
static void
test_resolve_symlink_loops(void)
{
    static const char *const paths[] = {
        "loop1", "loop2/", "loop1/x", "loop1/..", "self", "self/x/..",
        "detour", "detour/x", "twisted", "twisted/x",
    };
    char *out = NULL;

    compare_both_ways(paths, NPATHS(paths));
    if (tree_ok && chdir(tree_root) == 0) {
        CHECK_INT(ls_path_resolve("loop1", &out), SC_IO);
        CHECK(out == NULL);
    }
}

/* Relative paths from a working folder entered through a symlink: Python
 * (and we) start from the physical folder. */
static void
test_resolve_from_linked_cwd(void)
{
    static const char *const paths[] = {
        "", ".", "..", "../..", "file.txt", "x/../file.txt",
        "../../abs_link", "../link/..",
    };
    char *dir = in_root("rel_link");

    if (!tree_ok || dir == NULL || chdir(dir) != 0)
        T_FAIL("cannot enter rel_link");
    else
        compare_with_python(paths, NPATHS(paths));
    free(dir);
}

static void
test_resolve_misuse(void)
{
    char *out = (char *)"untouched";

    CHECK_INT(ls_path_resolve(NULL, &out), SC_MISUSE);
    CHECK(out == NULL);
    CHECK_INT(ls_path_resolve("/", NULL), SC_MISUSE);
}

static const struct t_test tests[] = {
    T_TEST(test_fixture_builds),
    T_TEST(test_resolve_plain_folders),
    T_TEST(test_resolve_dots_and_roots),
    T_TEST(test_resolve_slashes_around_fixture),
    T_TEST(test_resolve_symlink_to_folder),
    T_TEST(test_resolve_relative_symlink),
    T_TEST(test_resolve_symlink_chain),
    T_TEST(test_resolve_dangling_symlink),
    T_TEST(test_resolve_dotdot_across_symlink),
    T_TEST(test_resolve_missing_tail),
    T_TEST(test_resolve_utf8_names),
    T_TEST(test_resolve_odd_names),
    T_TEST(test_resolve_symlink_loops),
    T_TEST(test_resolve_from_linked_cwd),
    T_TEST(test_resolve_misuse),
    T_TEST(test_fixture_removed),
};

int
main(void)
{
    return T_RUN_ALL(tests);
}
