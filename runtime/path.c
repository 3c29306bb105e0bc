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
#include <unistd.h>

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
 * symlink to one).  Returns 1 when it made it, 0 when it was there, or
 * -1 with errno set (EEXIST when something else is in the way). */
static int
make_dir(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0777) == 0)
        return 1;
    if (errno != EEXIST)
        return -1;          /* mkdir's own reason */
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    errno = EEXIST;         /* a file, or a symlink to nothing or a loop */
    return -1;
}

/* Note in d that the folder d->dir[0..len) was made; 0 or -1 when memory
 * ran out. */
static int
note_made(struct sci_dirs *d, size_t len)
{
    size_t *p = realloc(d->made, (d->nmade + 1) * sizeof(*p));

    if (p == NULL)
        return -1;
    d->made = p;
    d->made[d->nmade++] = len;
    return 0;
}

/*
 * Create every missing folder above the file path, as
 * Path(path).parent.mkdir(parents=True, exist_ok=True): trailing slashes
 * of path are ignored, the umask applies to mode 0777, and folders that
 * exist already are fine.  A path without a "/" has nothing to create.
 * When dirs is not NULL it is filled (free it with sci_dirs_fini(), or
 * undo with sci_dirs_remove()): the folders made, in order, and on SC_IO
 * the folder that could not be made and errno's reason.  Returns SC_OK,
 * SC_MISUSE for a NULL path, SC_NOMEM, or SC_IO when a folder cannot be
 * made (or something other than a folder is in the way).
 */
int
sci_path_make_parents(const char *path, struct sci_dirs *dirs)
{
    struct sci_dirs local;
    struct sci_dirs *d = dirs ? dirs : &local;
    size_t len, i;
    int rc = SC_OK, made;

    memset(d, 0, sizeof(*d));
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
    d->dir = strndup(path, len);
    if (d->dir == NULL)
        return SC_NOMEM;
    for (i = 1; i <= len && rc == SC_OK; i++) {
        if (i < len && (d->dir[i] != '/' || d->dir[i - 1] == '/'))
            continue;
        d->dir[i] = '\0';
        made = make_dir(d->dir);
        if (made < 0) {
            d->failed_len = i;
            d->err = errno;
            rc = SC_IO;
        } else if (made > 0 && note_made(d, i) != 0) {
            rc = SC_NOMEM;
        }
        if (i < len)
            d->dir[i] = '/';
    }
    if (dirs == NULL)
        sci_dirs_fini(d);
    return rc;
}

/* Free what d holds and zero it; the folders stay.  NULL is a no-op. */
void
sci_dirs_fini(struct sci_dirs *d)
{
    if (d == NULL)
        return;
    free(d->dir);
    free(d->made);
    memset(d, 0, sizeof(*d));
}

/*
 * Remove the folders d notes as made, deepest first, then free d.  A
 * folder that is no longer empty (something was put in it since) stays,
 * and so do the folders above it.
 */
void
sci_dirs_remove(struct sci_dirs *d)
{
    size_t i;

    if (d == NULL)
        return;
    for (i = d->nmade; i > 0; i--) {
        d->dir[d->made[i - 1]] = '\0';
        if (rmdir(d->dir) != 0)
            break;
    }
    sci_dirs_fini(d);
}
