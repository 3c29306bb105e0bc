/*
 * wholefile.c - write a file that its readers see whole or not at all
 * (wholefile.h).
 */
#define _XOPEN_SOURCE 700     /* realpath() */
#include "wholefile.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Free what w holds, leaving it empty. */
static void
release(struct wholefile *w)
{
    free(w->tmp);
    free(w->target);
    w->f = NULL;
    w->tmp = NULL;
    w->target = NULL;
}

/* The name of a new file beside target, DIR/.BASE.XXXXXX, hidden as an
 * editor's is (malloc'd; NULL when memory ran out). */
static char *
name_beside(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dir = slash ? (size_t)(slash - target) + 1 : 0;
    size_t len = strlen(target) + sizeof("..XXXXXX");
    char *tmp = malloc(len);

    if (tmp != NULL) {
        memcpy(tmp, target, dir);
        snprintf(tmp + dir, len - dir, ".%s.XXXXXX", target + dir);
    }
    return tmp;
}

/*
 * Create the new file beside w->target, with the permissions and owner of
 * the file it replaces (old), or the mode a newly created file gets (0666
 * less the umask) when there is none.  The owner is kept where this
 * process may give the file away (root may; others keep their own, as an
 * editor's save does); set-id bits are not carried over.  Returns 0, or
 * -1 with errno set and nothing left.
 */
static int
open_beside(struct wholefile *w, const struct stat *old)
{
    mode_t mode;
    int fd, err;

    if ((w->tmp = name_beside(w->target)) == NULL)
        goto fail;
    if ((fd = mkstemp(w->tmp)) < 0) {
        free(w->tmp);
        w->tmp = NULL;
        goto fail;
    }
    if (old != NULL) {
        if (fchown(fd, old->st_uid, old->st_gid) != 0) {
            /* not ours to give away: the new file stays ours */
        }
        mode = old->st_mode & 0777;
    } else {
        mode = umask(0);
        umask(mode);
        mode = 0666 & ~mode;
    }
    if (fchmod(fd, mode) == 0 && (w->f = fdopen(fd, "w")) != NULL)
        return 0;
    err = errno;
    close(fd);
    unlink(w->tmp);
    errno = err;
fail:
    err = errno;
    release(w);
    errno = err;
    return -1;
}

/*
 * Open path for writing whole (wholefile.h): a regular file, or a path
 * that names nothing yet, gets a new file beside it (beside the file a
 * link leads to); anything else is opened and written straight.
 * Returns 0 with w->f open, or -1 with errno set and w empty.
 */
int
wholefile_open(struct wholefile *w, const char *path)
{
    struct stat st;

    assert(w != NULL && path != NULL);
    w->f = NULL;
    w->tmp = NULL;
    w->target = NULL;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return (w->f = fopen(path, "w")) != NULL ? 0 : -1;
        if ((w->target = realpath(path, NULL)) == NULL)
            return -1;
        return open_beside(w, &st);
    }
    if (errno != ENOENT)
        return -1;
    /* A link to nothing yet: its file is created through it, as the
     * shell's > does. */
    if (lstat(path, &st) == 0)
        return (w->f = fopen(path, "w")) != NULL ? 0 : -1;
    if ((w->target = strdup(path)) == NULL)
        return -1;
    return open_beside(w, NULL);
}

/*
 * Finish w: flush it, put the new file on disk and rename it over its
 * target (or close the straight file).  Returns 0 when every byte is in
 * place, or -1 with errno set, the new file removed and the target as it
 * was; w is empty after either.
 */
int
wholefile_commit(struct wholefile *w)
{
    int ok, err = 0;

    assert(w != NULL && w->f != NULL);
    ok = fflush(w->f) == 0 && !ferror(w->f);
    if (!ok)
        err = errno ? errno : EIO;
    if (ok && w->tmp != NULL && fsync(fileno(w->f)) != 0) {
        ok = 0;
        err = errno;
    }
    if (fclose(w->f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    w->f = NULL;
    if (ok && w->tmp != NULL && rename(w->tmp, w->target) != 0) {
        ok = 0;
        err = errno;
    }
    if (!ok && w->tmp != NULL)
        unlink(w->tmp);
    release(w);
    errno = err;
    return ok ? 0 : -1;
}

/* Give w up: its new file is removed and the target left as it was
 * (what was written straight stays written).  w is empty after. */
void
wholefile_abort(struct wholefile *w)
{
    assert(w != NULL);
    if (w->f != NULL)
        fclose(w->f);
    if (w->tmp != NULL)
        unlink(w->tmp);
    release(w);
}
