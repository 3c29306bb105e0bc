/*
 * path.c - the file paths sc_open() needs: a leading "~/" expanded with
 * $HOME, as Python's expanduser() does, and the missing parent folders of
 * the database file created, as mkdir -p.  Every path is a malloc'd string;
 * nothing has a size limit.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Expand a leading "~/" (or a path that is just "~") with $HOME, trailing
 * slashes of $HOME dropped as Python's expanduser() drops them, into a
 * malloc'd copy in *out (the caller frees it).  Any other path, "~user/"
 * included, is copied unchanged.  Returns SC_OK, SC_NOMEM, or SC_MISUSE
 * when path or out is NULL or HOME is needed but unset or empty; *out is
 * NULL on failure.
 */
int
sci_path_expand_home(const char *path, char **out)
{
    const char *home;
    size_t home_len, rest_len;

    if (out == NULL)
        return SC_MISUSE;
    *out = NULL;
    if (path == NULL)
        return SC_MISUSE;
    if (path[0] != '~' || (path[1] != '\0' && path[1] != '/')) {
        *out = strdup(path);
        return *out != NULL ? SC_OK : SC_NOMEM;
    }
    home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return SC_MISUSE;
    home_len = strlen(home);
    while (home_len > 1 && home[home_len - 1] == '/')
        home_len--;
    if (home_len == 1 && home[0] == '/' && path[1] == '/')
        home_len = 0;  /* HOME=/ : "~/x" is "/x", not "//x" */
    rest_len = strlen(path + 1);
    *out = malloc(home_len + rest_len + 1);
    if (*out == NULL)
        return SC_NOMEM;
    memcpy(*out, home, home_len);
    memcpy(*out + home_len, path + 1, rest_len + 1);
    return SC_OK;
}

/* Make the folder dir unless it is already there (as a folder, or a
 * symlink to one).  Returns SC_OK or SC_IO. */
static int
make_dir(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0777) == 0)
        return SC_OK;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return SC_OK;
    return SC_IO;
}

/*
 * Create every missing folder above the file path, as
 * Path(path).parent.mkdir(parents=True, exist_ok=True): trailing slashes
 * of path are ignored, the umask applies to mode 0777, and folders that
 * exist already are fine.  A path without a "/" has nothing to create.
 * Returns SC_OK, SC_MISUSE for a NULL path, SC_NOMEM, or SC_IO when a
 * folder cannot be made (or something other than a folder is in the way).
 */
int
sci_path_make_parents(const char *path)
{
    size_t len, i;
    char *dir;
    int rc = SC_OK;

    if (path == NULL)
        return SC_MISUSE;
    len = strlen(path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    while (len > 0 && path[len - 1] != '/')
        len--;
    while (len > 0 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return SC_OK;   /* the working folder or "/": always there */
    dir = strndup(path, len);
    if (dir == NULL)
        return SC_NOMEM;
    for (i = 1; i < len && rc == SC_OK; i++) {
        if (dir[i] == '/' && dir[i - 1] != '/') {
            dir[i] = '\0';
            rc = make_dir(dir);
            dir[i] = '/';
        }
    }
    if (rc == SC_OK)
        rc = make_dir(dir);
    free(dir);
    return rc;
}
