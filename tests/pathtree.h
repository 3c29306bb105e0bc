/*
 * pathtree.h - the tree of folders and symlinks the path tests share
 * (tests/learnstore/test_path.c resolves paths in it, tests/unit/test_path.c
 * makes folders in it), built in a fresh temporary folder by the test
 * test_fixture_builds and removed by test_fixture_removed, and the helpers
 * that build, walk and remove it.  Include harness.h first.
 */
#ifndef SCHEMAC_TEST_PATHTREE_H
#define SCHEMAC_TEST_PATHTREE_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The tree: its folder as mkdtemp() named it, and the working folder to go
 * back to.  tree_ok is 0 when the tree could not be built. */
static char tree_root[] = "/tmp/schemac-path-XXXXXX";
static int tree_made, tree_ok;
static char *tree_start_cwd;

#define NPATHS(a) (sizeof(a) / sizeof((a)[0]))

/* A malloc'd "a" "b" "c" (any may be ""), or NULL when out of memory. */
static inline char *
cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

/* The tree's absolute path for rel (malloc'd, or NULL). */
static inline char *
in_root(const char *rel)
{
    return cat3(tree_root, "/", rel);
}

/* The working folder, malloc'd, or NULL. */
static inline char *
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
static inline int
is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Remove path and, for a folder that is no symlink, everything inside.
 * Returns 0 or -1. */
static inline int
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

/* Enter the tree's root; reports "no fixture" and returns 0 when there is
 * no tree or it cannot be entered. */
static inline int
enter_tree(void)
{
    if (!tree_ok || chdir(tree_root) != 0) {
        T_FAIL("no fixture");
        return 0;
    }
    return 1;
}

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

    tree_start_cwd = current_folder();
    CHECK(tree_start_cwd != NULL);
    tree_made = mkdtemp(tree_root) != NULL;
    if (!tree_made || chdir(tree_root) != 0) {
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
    tree_ok = ok;
}

/* Go back to the working folder the tests started in and remove the
 * tree. */
static void
test_fixture_removed(void)
{
    if (tree_start_cwd != NULL)
        CHECK_INT(chdir(tree_start_cwd), 0);
    free(tree_start_cwd);
    tree_start_cwd = NULL;
    if (tree_made) {
        CHECK_INT(remove_tree(tree_root), 0);
        CHECK(access(tree_root, F_OK) != 0);
    }
}

#endif /* SCHEMAC_TEST_PATHTREE_H */
