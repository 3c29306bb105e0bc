/*
 * pypath.c - ls_path_resolve(), a step-by-step copy of Python 3.11's
 * pathlib.Path.resolve() so that workspace hashes agree with the Python
 * store's.  Every path is a malloc'd string; nothing has a size limit.
 */
#include "learnstore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* How deep symlinks may nest inside each other before we give up, about
 * where Python's recursion limit stops realpath(). */
#define MAX_LINK_DEPTH 1000

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

/* A malloc'd copy of the n bytes at s with a NUL added, or NULL when out
 * of memory. */
static char *
dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* A malloc'd copy of s, or NULL when out of memory. */
static char *
dup_s(const char *s)
{
    return dup_n(s, strlen(s));
}

/*
 * posixpath.join(a, b) for the n bytes at b: b alone when it is absolute,
 * else a and b with one "/" between them unless a is empty or already ends
 * in "/".  Returns a malloc'd string, or NULL when out of memory.
 */
static char *
join_n(const char *a, const char *b, size_t n)
{
    size_t a_len = strlen(a);
    int sep;
    char *p;

    if (n > 0 && b[0] == '/')
        return dup_n(b, n);
    sep = a_len > 0 && a[a_len - 1] != '/';
    p = malloc(a_len + (size_t)sep + n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, a, a_len);
    if (sep)
        p[a_len] = '/';
    memcpy(p + a_len + sep, b, n);
    p[a_len + sep + n] = '\0';
    return p;
}

/* posixpath.join(a, b) for a NUL-terminated b; see join_n(). */
static char *
join_s(const char *a, const char *b)
{
    return join_n(a, b, strlen(b));
}

/*
 * posixpath.split(p): the length of the head (everything up to the last
 * "/", without its trailing slashes unless it is all slashes) goes to
 * *head_len; the tail (after the last "/") is returned, pointing into p.
 */
static const char *
split(const char *p, size_t *head_len)
{
    const char *slash = strrchr(p, '/');
    size_t i = slash != NULL ? (size_t)(slash - p) + 1 : 0;
    size_t h = i;

    while (h > 0 && p[h - 1] == '/')
        h--;
    *head_len = h > 0 ? h : i;
    return p + i;
}

/*
 * Append the n bytes at s to the string being built in buf (len bytes used,
 * room for the whole result already allocated by the caller).
 */
static void
put(char *buf, size_t *len, const char *s, size_t n)
{
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

/*
 * Collect the components of p that keep_component() accepts into a new
 * string after root: the shared body of normpath() and pathlib_str().
 * With lexical set, ".." removes the component before it as
 * posixpath.normpath() does; otherwise ".." is kept as pathlib keeps it.
 * An empty result becomes ".".  Returns a malloc'd string or NULL.
 */
static char *
rebuild(const char *p, const char *root, int lexical)
{
    size_t cap = strlen(root) + strlen(p) + 2, len = 0;
    size_t root_len = strlen(root);
    char *buf = malloc(cap);
    const char *c = p;

    if (buf == NULL)
        return NULL;
    buf[0] = '\0';
    put(buf, &len, root, root_len);
    while (*c != '\0') {
        size_t n = strcspn(c, "/");
        int is_dotdot = n == 2 && c[0] == '.' && c[1] == '.';
        int is_dot = n == 1 && c[0] == '.';

        if (n == 0 || is_dot) {
            /* empty or ".": dropped by both */
        } else if (lexical && is_dotdot) {
            /* normpath: ".." pops a component unless there is none, or
             * the last one is "..", or (relative paths) it leads. */
            const char *last = strrchr(buf + root_len, '/');
            const char *start = last != NULL ? last + 1 : buf + root_len;
            int have = len > root_len;
            int last_dotdot = have && strcmp(start, "..") == 0;

            if ((!have && root_len == 0) || last_dotdot) {
                if (have)
                    put(buf, &len, "/", 1);
                put(buf, &len, c, n);
            } else if (have) {
                len = last != NULL ? (size_t)(last - buf) : root_len;
                buf[len] = '\0';
            }
        } else {
            if (len > root_len)
                put(buf, &len, "/", 1);
            put(buf, &len, c, n);
        }
        c += n;
        if (*c == '/')
            c++;
    }
    if (len == 0)
        put(buf, &len, ".", 1);
    return buf;
}

/* The root of p as POSIX and Python see it: "//" for exactly two leading
 * slashes, "/" for one or more than two, "" for a relative path. */
static const char *
root_of(const char *p)
{
    size_t n = strspn(p, "/");

    return n == 0 ? "" : n == 2 ? "//" : "/";
}

/* posixpath.normpath(p) as a malloc'd string, or NULL when out of memory. */
static char *
normpath(const char *p)
{
    return rebuild(p, root_of(p), 1);
}

/* str(pathlib.PurePosixPath(p)): empty and "." components dropped, ".."
 * kept, "" becomes ".".  A malloc'd string, or NULL when out of memory. */
static char *
pathlib_str(const char *p)
{
    return rebuild(p, root_of(p), 0);
}

/* The working directory as a malloc'd string in *out.  Returns SC_OK,
 * SC_NOMEM, or SC_IO when it cannot be read (it was removed). */
static int
get_cwd(char **out)
{
    size_t cap = 256;

    *out = NULL;
    for (;;) {
        char *buf = malloc(cap);

        if (buf == NULL)
            return SC_NOMEM;
        if (getcwd(buf, cap) != NULL) {
            *out = buf;
            return SC_OK;
        }
        free(buf);
        if (errno != ERANGE)
            return SC_IO;
        cap *= 2;
    }
}

/* The target of the symlink at path, whose lstat() size hint is size, as
 * a malloc'd string in *out.  Returns SC_OK, SC_NOMEM or SC_IO. */
static int
read_link(const char *path, off_t size, char **out)
{
    size_t cap = size > 0 ? (size_t)size + 1 : 64;

    *out = NULL;
    for (;;) {
        char *buf = malloc(cap);
        ssize_t n;

        if (buf == NULL)
            return SC_NOMEM;
        n = readlink(path, buf, cap);
        if (n < 0) {
            free(buf);
            return SC_IO;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            *out = buf;
            return SC_OK;
        }
        /* Possibly cut short: the link changed or the hint was wrong. */
        free(buf);
        cap *= 2;
    }
}

/* ------------------------------------------------------------------ */
/* Path.resolve()                                                      */
/* ------------------------------------------------------------------ */

/* The symlinks met so far, as realpath()'s `seen` dict: a link path maps
 * to what it resolved to, or to NULL while it is being resolved. */
struct seen {
    struct seen_link {
        char *link;
        char *resolved;
    } *v;
    size_t n, cap;
};

/* The index of link in s, or s->n when it is not there. */
static size_t
seen_find(const struct seen *s, const char *link)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (strcmp(s->v[i].link, link) == 0)
            break;
    return i;
}

/* Add link (a copy) to s as being resolved.  Returns SC_OK or SC_NOMEM. */
static int
seen_add(struct seen *s, const char *link)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        struct seen_link *v = realloc(s->v, cap * sizeof *v);

        if (v == NULL)
            return SC_NOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].link = dup_s(link);
    if (s->v[s->n].link == NULL)
        return SC_NOMEM;
    s->v[s->n].resolved = NULL;
    s->n++;
    return SC_OK;
}

/* Free everything s holds. */
static void
seen_fini(struct seen *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        free(s->v[i].link);
        free(s->v[i].resolved);
    }
    free(s->v);
}

/*
 * posixpath._joinrealpath(path, rest) of Python 3.11, non-strict: walk the
 * components of rest from path, dropping "" and ".", taking ".." off the
 * path built so far, and replacing each symlink met by what its target
 * resolves to (recursively).  A component that is not a symlink (or does
 * not exist) is kept as written.  A symlink met again while it is still
 * being resolved is a loop: the result is then the link path with the
 * unwalked rest appended, and *ok is 0.
 * The malloc'd result goes to *out.  Returns SC_OK, SC_NOMEM, or SC_IO
 * when a link cannot be read or links nest deeper than MAX_LINK_DEPTH.
 */
static int
join_real(const char *start, const char *rest, struct seen *seen, int depth,
          char **out,   /* OUT: the joined path */
          int *ok)      /* OUT: 0 when a loop was met */
{
    char *path = NULL, *newpath = NULL, *target = NULL, *sub = NULL;
    int rc = SC_OK, sub_ok;

    *out = NULL;
    *ok = 1;
    if (depth > MAX_LINK_DEPTH)
        return SC_IO;
    if (rest[0] == '/') {
        rest++;
        start = "/";
    }
    path = dup_s(start);
    if (path == NULL)
        return SC_NOMEM;

    while (*rest != '\0') {
        const char *name = rest;
        size_t n = strcspn(rest, "/"), i;
        struct stat st;

        rest += n;
        if (*rest == '/')
            rest++;
        if (n == 0 || (n == 1 && name[0] == '.'))
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            size_t head_len;
            const char *tail;
            char *up;

            if (path[0] == '\0') {
                up = dup_s("..");
            } else {
                tail = split(path, &head_len);
                if (strcmp(tail, "..") == 0) {
                    /* Only relative paths pile up "..": keep them. */
                    path[head_len] = '\0';
                    up = join_s(path, "..");
                    if (up != NULL) {
                        free(path);
                        path = up;
                        up = join_s(path, "..");
                    }
                } else {
                    up = dup_n(path, head_len);
                }
            }
            if (up == NULL)
                goto nomem;
            free(path);
            path = up;
            continue;
        }

        newpath = join_n(path, name, n);
        if (newpath == NULL)
            goto nomem;
        /* Any failure of lstat() (missing, not a folder, no access) just
         * means "not a link", as in Python. */
        if (lstat(newpath, &st) != 0 || !S_ISLNK(st.st_mode)) {
            free(path);
            path = newpath;
            newpath = NULL;
            continue;
        }

        i = seen_find(seen, newpath);
        if (i < seen->n) {
            if (seen->v[i].resolved != NULL) {
                char *cached = dup_s(seen->v[i].resolved);

                if (cached == NULL)
                    goto nomem;
                free(path);
                path = cached;
                free(newpath);
                newpath = NULL;
                continue;
            }
            /* Met again while being resolved: a loop.  Give back the
             * link with the rest of the path as it stands. */
            *out = join_s(newpath, rest);
            *ok = 0;
            rc = *out != NULL ? SC_OK : SC_NOMEM;
            goto done;
        }

        rc = seen_add(seen, newpath);
        if (rc != SC_OK)
            goto done;
        rc = read_link(newpath, st.st_size, &target);
        if (rc != SC_OK)
            goto done;
        rc = join_real(path, target, seen, depth + 1, &sub, &sub_ok);
        free(target);
        target = NULL;
        if (rc != SC_OK)
            goto done;
        if (!sub_ok) {
            *out = join_s(sub, rest);
            *ok = 0;
            rc = *out != NULL ? SC_OK : SC_NOMEM;
            goto done;
        }
        /* seen->v may have moved while resolving the target. */
        seen->v[i].resolved = dup_s(sub);
        if (seen->v[i].resolved == NULL)
            goto nomem;
        free(path);
        path = sub;
        sub = NULL;
        free(newpath);
        newpath = NULL;
    }
    *out = path;
    return SC_OK;

nomem:
    rc = SC_NOMEM;
done:
    free(path);
    free(newpath);
    free(target);
    free(sub);
    return rc;
}

/*
 * Resolve path as Python 3.11's pathlib.Path(path).resolve() does on
 * POSIX (non-strict), step for step:
 *   1. parse it as pathlib does: "" and "." components dropped, "" is
 *      ".", exactly two leading slashes kept as "//";
 *   2. os.path.realpath(): walk it from "/" or from the relative start,
 *      following symlinks (see join_real());
 *   3. os.path.abspath(): join a relative result to the working folder,
 *      then normpath() ("//" collapses to "/" here, since the walk
 *      restarted from "/");
 *   4. stat() the result: a symlink loop (ELOOP) is an error, as
 *      Python's RuntimeError; every other stat() failure is ignored.
 * *out gets a malloc'd string the caller frees, or NULL on failure.
 * Returns SC_OK, SC_MISUSE (NULL path or out), SC_NOMEM, or SC_IO (a
 * symlink loop, an unreadable link, a removed working folder).
 */
int
ls_path_resolve(const char *path, char **out)
{
    struct seen seen = { NULL, 0, 0 };
    char *parsed = NULL, *real = NULL, *cwd = NULL, *abs = NULL;
    char *norm = NULL;
    struct stat st;
    int rc, ok;

    if (out == NULL)
        return SC_MISUSE;
    *out = NULL;
    if (path == NULL)
        return SC_MISUSE;

    parsed = pathlib_str(path);
    if (parsed == NULL) {
        rc = SC_NOMEM;
        goto done;
    }
    rc = join_real("", parsed, &seen, 0, &real, &ok);
    if (rc != SC_OK)
        goto done;

    if (real[0] != '/') {
        rc = get_cwd(&cwd);
        if (rc != SC_OK)
            goto done;
        abs = join_s(cwd, real);
    } else {
        abs = dup_s(real);
    }
    if (abs == NULL) {
        rc = SC_NOMEM;
        goto done;
    }
    norm = normpath(abs);
    if (norm == NULL) {
        rc = SC_NOMEM;
        goto done;
    }
    /* Python builds a new Path from the string: parse it once more. */
    *out = pathlib_str(norm);
    if (*out == NULL) {
        rc = SC_NOMEM;
        goto done;
    }
    if (stat(*out, &st) != 0 && errno == ELOOP) {
        free(*out);
        *out = NULL;
        rc = SC_IO;
    }

done:
    seen_fini(&seen);
    free(parsed);
    free(real);
    free(cwd);
    free(abs);
    free(norm);
    return rc;
}
