/*
 * test_path.c - sc_path_resolve() compared path by path with what
 * python3's pathlib.Path(p).resolve() answers, on a fixture tree of
 * folders, symlinks (chains, dangling, loops) and UTF-8 names built in a
 * fresh temporary folder; then sci_path_expand_home() and
 * sci_path_make_parents().  A missing python3 fails the comparisons.
 */
#include <sqlite3.h>    /* schemac.h names sqlite3_stmt without declaring it */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "harness.h"

/* The fixture: its folder as mkdtemp() named it, and the working folder
 * to go back to.  root is empty when the fixture could not be built. */
static char root[] = "/tmp/schemac-path-XXXXXX";
static int made_root, have_fixture;
static char *start_cwd;

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

/* ---- helpers -------------------------------------------------------- */

/* A malloc'd "a" "b" "c" (any may be ""), or NULL when out of memory. */
static char *
cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

/* The fixture's absolute path for rel (malloc'd, or NULL). */
static char *
in_root(const char *rel)
{
    return cat3(root, "/", rel);
}

/* The working folder, malloc'd, or NULL. */
static char *
current_folder(void)
{
    size_t cap;

    for (cap = 256; cap < 1u << 20; cap *= 2) {
        char *buf = malloc(cap);

        if (buf == NULL || getcwd(buf, cap) != NULL)
            return buf;
        free(buf);
        if (errno != ERANGE)
            break;
    }
    return NULL;
}

/* Whether path is a folder (following symlinks). */
static int
is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Remove path and, for a folder that is no symlink, everything inside.
 * Returns 0 or -1. */
static int
remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    chmod(path, 0700);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char *child;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        child = cat3(path, "/", e->d_name);
        if (child == NULL || remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    return rmdir(path) == 0 ? rc : -1;
}

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
        T_FAIL("python3 failed (exit status %d): is python3 installed?",
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

/* Resolve each of the n paths with sc_path_resolve() and with python3 in
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
        int rc = sc_path_resolve(paths[i], &c);

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

    if (!have_fixture) {
        T_FAIL("no fixture");
        free(abs_paths);
        return;
    }
    if (abs_paths == NULL || chdir(root) != 0) {
        T_FAIL("cannot enter the fixture");
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

#define NPATHS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the fixture ---------------------------------------------------- */

/*
 * Build the tree, with the working folder at its root:
 *   real/sub/file.txt, other/b/, é/, 日本/
 *   abs_link -> <root>/real          rel_link -> real/sub
 *   chain1 -> chain2 -> chain3 -> real
 *   dangling -> no/such/target       abs_dangling -> /no/such/abs/target
 *   real/link -> ../other/b          file_link -> real/sub/file.txt
 *   日本/é -> ../real                 dotdot_link -> ..
 *   slashy -> real//sub/             loop1 -> loop2 -> loop1, self -> self
 *   detour -> gone/../detour (a loop Python does not see as one: the
 *   kernel stops at the missing "gone")
 *   twisted -> twisted//etc (a loop whose rest restarts at "/")
 */
static void
test_fixture_builds(void)
{
    static const char *const dirs[] = {
        "real", "real/sub", "other", "other/b", "\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac",
    };
    static const char *const links[][2] = {
        { "real/sub", "rel_link" },
        { "chain2", "chain1" }, { "chain3", "chain2" }, { "real", "chain3" },
        { "no/such/target", "dangling" },
        { "/no/such/abs/target", "abs_dangling" },
        { "../other/b", "real/link" },
        { "real/sub/file.txt", "file_link" },
        { "../real", "\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9" },
        { "..", "dotdot_link" },
        { "real//sub/", "slashy" },
        { "loop2", "loop1" }, { "loop1", "loop2" }, { "self", "self" },
        { "gone/../detour", "detour" },
        { "twisted//etc", "twisted" },
    };
    char *real_dir = NULL;
    FILE *f;
    size_t i;
    int ok = 1;

    start_cwd = current_folder();
    CHECK(start_cwd != NULL);
    made_root = mkdtemp(root) != NULL;
    if (!made_root || chdir(root) != 0) {
        T_FAIL("cannot make a temporary folder");
        return;
    }
    real_dir = in_root("real");
    for (i = 0; i < NPATHS(dirs); i++)
        ok &= mkdir(dirs[i], 0777) == 0;
    f = fopen("real/sub/file.txt", "w");
    ok &= f != NULL;
    if (f != NULL)
        fclose(f);
    ok &= real_dir != NULL && symlink(real_dir, "abs_link") == 0;
    for (i = 0; i < NPATHS(links); i++)
        ok &= symlink(links[i][0], links[i][1]) == 0;
    free(real_dir);
    ok &= is_dir("abs_link/sub") && is_dir("chain1/sub") && is_dir("slashy");
    CHECK(ok);
    have_fixture = ok;
}

/* ---- sc_path_resolve against Python --------------------------------- */

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

    if (!have_fixture || chdir(root) != 0) {
        T_FAIL("no fixture");
        return;
    }
    compare_with_python(paths, NPATHS(paths));
}

/* The fixture's own path with doubled and tripled leading slashes and
 * trailing slashes. */
static void
test_resolve_slashes_around_fixture(void)
{
    char *p[6];
    size_t i;

    if (!have_fixture || chdir(root) != 0) {
        T_FAIL("no fixture");
        return;
    }
    p[0] = cat3("/", root, "");
    p[1] = cat3("//", root, "/real");
    p[2] = cat3("/", root, "//real///sub///");
    p[3] = cat3(root, "/", "abs_link/");
    p[4] = cat3("//", root, "/rel_link//");
    p[5] = cat3(root, "/", "real/sub/file.txt/");
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
    if (have_fixture && chdir(root) == 0) {
        CHECK_INT(sc_path_resolve("loop1", &out), SC_IO);
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

    if (!have_fixture || dir == NULL || chdir(dir) != 0)
        T_FAIL("cannot enter rel_link");
    else
        compare_with_python(paths, NPATHS(paths));
    free(dir);
}

static void
test_resolve_misuse(void)
{
    char *out = (char *)"untouched";

    CHECK_INT(sc_path_resolve(NULL, &out), SC_MISUSE);
    CHECK(out == NULL);
    CHECK_INT(sc_path_resolve("/", NULL), SC_MISUSE);
}

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

    if (!have_fixture || chdir(root) != 0) {
        T_FAIL("no fixture");
        umask(mask);
        return;
    }
    CHECK_INT(sci_path_make_parents("mk/a/b/c/store.db"), SC_OK);
    CHECK(is_dir("mk/a/b/c"));
    CHECK(access("mk/a/b/c/store.db", F_OK) != 0);
    CHECK(stat("mk/a/b", &st) == 0 && (st.st_mode & 0777) == 0755);
    umask(077);
    CHECK_INT(sci_path_make_parents("mk/m/x.db"), SC_OK);
    CHECK(stat("mk/m", &st) == 0 && (st.st_mode & 0777) == 0700);
    umask(mask);
    /* Doubled slashes, "." and trailing slashes; an absolute path. */
    CHECK_INT(sci_path_make_parents("mk//d1/./d2//x.db/"), SC_OK);
    CHECK(is_dir("mk/d1/d2"));
    CHECK(!is_dir("mk/d1/d2/x.db"));
    {
        char *p = in_root("mk/\xc3\xa9/\xe6\x97\xa5/f");

        CHECK(p != NULL);
        if (p != NULL)
            CHECK_INT(sci_path_make_parents(p), SC_OK);
        CHECK(is_dir("mk/\xc3\xa9/\xe6\x97\xa5"));
        free(p);
    }
}

static void
test_make_parents_existing(void)
{
    if (!have_fixture || chdir(root) != 0) {
        T_FAIL("no fixture");
        return;
    }
    CHECK_INT(sci_path_make_parents("real/sub/new.db"), SC_OK);
    CHECK_INT(sci_path_make_parents("real/sub/file.txt"), SC_OK);
    CHECK_INT(sci_path_make_parents("abs_link/sub/x.db"), SC_OK);
    CHECK_INT(sci_path_make_parents("plain.db"), SC_OK);
    CHECK_INT(sci_path_make_parents("/x.db"), SC_OK);
    CHECK_INT(sci_path_make_parents("/"), SC_OK);
    CHECK_INT(sci_path_make_parents(""), SC_OK);
    CHECK_INT(sci_path_make_parents("../x.db"), SC_OK);
    CHECK_INT(sci_path_make_parents(NULL), SC_MISUSE);
}

static void
test_make_parents_failure(void)
{
    if (!have_fixture || chdir(root) != 0) {
        T_FAIL("no fixture");
        return;
    }
    /* A file, and a dangling symlink, where a folder should be. */
    CHECK_INT(sci_path_make_parents("real/sub/file.txt/x.db"), SC_IO);
    CHECK_INT(sci_path_make_parents("real/sub/file.txt/a/b/x.db"), SC_IO);
    CHECK_INT(sci_path_make_parents("dangling/x.db"), SC_IO);
    CHECK_INT(sci_path_make_parents("loop1/x.db"), SC_IO);
    /* A folder we may not write to (root may write anywhere). */
    if (geteuid() != 0 && mkdir("locked", 0500) == 0) {
        CHECK_INT(sci_path_make_parents("locked/a/x.db"), SC_IO);
        CHECK(!is_dir("locked/a"));
    }
}

/* ---- cleanup -------------------------------------------------------- */

static void
test_fixture_removed(void)
{
    if (start_cwd != NULL)
        CHECK_INT(chdir(start_cwd), 0);
    free(start_cwd);
    start_cwd = NULL;
    if (made_root) {
        CHECK_INT(remove_tree(root), 0);
        CHECK(access(root, F_OK) != 0);
    }
}

int
main(void)
{
    T_RUN(test_fixture_builds);
    T_RUN(test_resolve_plain_folders);
    T_RUN(test_resolve_dots_and_roots);
    T_RUN(test_resolve_slashes_around_fixture);
    T_RUN(test_resolve_symlink_to_folder);
    T_RUN(test_resolve_relative_symlink);
    T_RUN(test_resolve_symlink_chain);
    T_RUN(test_resolve_dangling_symlink);
    T_RUN(test_resolve_dotdot_across_symlink);
    T_RUN(test_resolve_missing_tail);
    T_RUN(test_resolve_utf8_names);
    T_RUN(test_resolve_odd_names);
    T_RUN(test_resolve_symlink_loops);
    T_RUN(test_resolve_from_linked_cwd);
    T_RUN(test_resolve_misuse);
    T_RUN(test_expand_home);
    T_RUN(test_make_parents_nested);
    T_RUN(test_make_parents_existing);
    T_RUN(test_make_parents_failure);
    T_RUN(test_fixture_removed);
    return T_EXIT();
}
