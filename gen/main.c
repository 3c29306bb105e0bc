/*
 * main.c - the schemac command: read a schema file, run the front end,
 * print its diagnostics or write NAME.h, NAME.c and NAME.sql.  The only
 * place that writes files and sets the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "frontend.h"
#include "history.h"
#include "model.h"
#include "strbuf.h"
#include "view.h"

#define VERSION "0.1"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: schemac [-o DIR] FILE.schema\n"
    "       schemac --plan FILE.schema\n"
    "       schemac --ddl-version N FILE.schema\n"
    "       schemac --help | --version\n";

static const char help_text[] =
    "Compile a schema file into C and SQL for libschemac.\n"
    "\n"
    "Writes NAME.h, NAME.c and NAME.sql, where NAME is the schema's name\n"
    "(`schema NAME version N;`).  A file whose content would not change is\n"
    "left alone, so make does not rebuild what depends on it.  When the\n"
    "schema has errors they are printed to stderr and nothing is written.\n"
    "\n"
    "Before writing, the migrations derived from the schema's history are\n"
    "proven in in-memory databases: a database of every older version,\n"
    "migrated, must equal a new one of the current version.\n"
    "\n"
    "  -o DIR      write the outputs into DIR (default: the current folder)\n"
    "  --plan      print the SQL of every version step instead (proven\n"
    "              first); a step marked rebuild runs with foreign keys\n"
    "              off and must pass PRAGMA foreign_key_check\n"
    "  --ddl-version N\n"
    "              print the DDL that creates version N of the schema\n"
    "              (the tables and indexes alive at N) instead\n"
    "  --help      show this help\n"
    "  --version   show the version\n"
    "\n"
    "Exit status: 0 on success, 1 when the schema has errors or a file\n"
    "cannot be read or written, 2 for a bad command line.\n";

/* The largest schema file read: a schema is text a person edits, and an
 * endless input (/dev/zero, a pipe that never closes) must not read until
 * memory runs out. */
#define MAX_SCHEMA_BYTES (64u << 20)

/*
 * Read the whole file at path into *text (malloc'd, with a NUL after the
 * *len bytes).  Returns 0, or -1 after printing why to stderr (including
 * a file larger than MAX_SCHEMA_BYTES).
 */
static int
read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *grown;
    size_t n = 0, cap = 0, got;

    if (f == NULL) {
        fprintf(stderr, "schemac: cannot open '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 16384;
            if ((grown = realloc(buf, cap + 1)) == NULL) {
                fprintf(stderr, "schemac: out of memory reading '%s'\n",
                        path);
                goto fail;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n > MAX_SCHEMA_BYTES) {
            fprintf(stderr, "schemac: '%s' is larger than %u MiB; a schema "
                    "is a text file\n", path, MAX_SCHEMA_BYTES >> 20);
            goto fail;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "schemac: cannot read '%s': %s\n", path,
                strerror(errno));
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
fail:
    fclose(f);
    free(buf);
    return -1;
}

/* True when the file at path holds exactly the len bytes at data. */
static int
same_content(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t off = 0, got;
    int same = 1;

    if (f == NULL)
        return 0;
    while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (got > len - off || memcmp(buf, data + off, got) != 0)
            same = 0;
        off += got;
    }
    if (ferror(f) || off != len)
        same = 0;
    fclose(f);
    return same;
}

/*
 * Write the len bytes at data to dir/name through a temporary file in
 * dir and a rename, so a reader never sees half a file; leave an existing
 * file with the same bytes untouched.  Returns 0, or -1 after printing
 * why to stderr.
 */
static int
write_output(const char *dir, const char *name, const char *data,
             size_t len)
{
    char path[4096], tmp[4096];
    size_t off = 0;
    ssize_t put;
    int fd, n;

    n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path
        || snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, name,
                    (long)getpid()) >= (int)sizeof tmp) {
        fprintf(stderr, "schemac: output path too long: '%s/%s'\n", dir,
                name);
        return -1;
    }
    if (same_content(path, data, len))
        return 0;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        fprintf(stderr, "schemac: cannot write '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    while (off < len) {
        put = write(fd, data + off, len - off);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            fprintf(stderr, "schemac: cannot write '%s': %s\n", path,
                    put < 0 ? strerror(errno) : "short write");
            goto fail;
        }
        off += (size_t)put;
    }
    if (close(fd) != 0) {
        fd = -1;
        fprintf(stderr, "schemac: cannot write '%s': %s\n", path,
                strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "schemac: cannot write '%s': %s\n", path,
                strerror(errno));
        goto fail;
    }
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}

/*
 * Generate the three outputs of m from the view of its current version
 * and the proven plan, and write those that changed into dir.  Returns 0,
 * or -1 after printing why.
 */
static int
generate(struct arena *a, const struct model *m, const struct plan *plan,
         const char *dir)
{
    static const char *const exts[3] = { "h", "c", "sql" };
    struct strbuf out[3] = { { 0 }, { 0 }, { 0 } };
    struct view now;
    char name[1024];
    int rc = 0, i;

    if (view_build(a, m, m->version, &now) != 0) {
        fprintf(stderr, "schemac: out of memory\n");
        return -1;
    }
    emit_h(&now, &out[0]);
    emit_c(&now, plan, &out[1]);
    emit_sql(&now, plan, &out[2]);
    for (i = 0; i < 3 && rc == 0; i++) {
        if (out[i].failed) {
            fprintf(stderr, "schemac: out of memory\n");
            rc = -1;
            break;
        }
        snprintf(name, sizeof name, "%s.%s", m->name, exts[i]);
        if (write_output(dir, name, sb_str(&out[i]), out[i].len) != 0)
            rc = -1;
    }
    for (i = 0; i < 3; i++)
        sb_free(&out[i]);
    return rc;
}

/* Print every step of plan as SQL a person can read: a comment line per
 * step, then its statements, each ended by ';'. */
static void
print_plan(const struct model *m, const struct plan *plan)
{
    size_t i, j;

    printf("-- Migrations of schema %s, version %d.\n", m->name,
           m->version);
    if (plan->nsteps == 0)
        printf("-- None: every version has the same tables.\n");
    for (i = 0; i < plan->nsteps; i++) {
        const struct plan_step *s = &plan->steps[i];
        printf("\n-- version %d%s\n", s->version, s->rebuild
               ? " (rebuild: foreign keys off, foreign_key_check before "
               "commit)" : "");
        for (j = 0; j < s->nsql; j++)
            printf("%s;\n", s->sql[j].sql);
    }
}

/* Print the DDL of version v of m, each statement ended by ';'.
 * Returns an exit status. */
static int
print_ddl(struct arena *a, const struct model *m, long v)
{
    struct plan_sql *sql;
    size_t n, i;

    if (v < 1 || v > m->version) {
        fprintf(stderr, "schemac: %s: version %ld is not between 1 and "
                "%d\n", m->file, v, m->version);
        return EXIT_ERRORS;
    }
    if (history_ddl(a, m, (int)v, &sql, &n) != 0) {
        fprintf(stderr, "schemac: out of memory\n");
        return EXIT_ERRORS;
    }
    printf("-- Schema %s at version %ld.\n", m->name, v);
    for (i = 0; i < n; i++)
        printf("%s;\n", sql[i].sql);
    return EXIT_OK;
}

/* Check that dir is a folder we can write to, printing why not. */
static int
check_dir(const char *dir)
{
    struct stat st;

    if (stat(dir, &st) != 0) {
        fprintf(stderr, "schemac: output folder '%s': %s\n", dir,
                strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "schemac: output folder '%s': not a folder\n", dir);
        return -1;
    }
    if (access(dir, W_OK) != 0) {
        fprintf(stderr, "schemac: output folder '%s': %s\n", dir,
                strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * schemac [-o DIR | --plan | --ddl-version N] FILE.schema: parse the
 * command line, load and check the schema and its history, print its
 * errors (exit 1, nothing written) or write the outputs, the plan or the
 * DDL (exit 0).  Usage mistakes exit 2.
 */
int
main(int argc, char **argv)
{
    const char *dir = ".", *file = NULL;
    struct arena arena = { 0 };
    struct diags diags = { 0 };
    struct model *m = NULL;
    struct plan plan;
    char *text = NULL, *end;
    size_t len = 0;
    int i, status = EXIT_ERRORS;
    int options_done = 0, want_plan = 0;
    long ddl_version = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            fputs("\n", stdout);
            fputs(help_text, stdout);
            return EXIT_OK;
        } else if (!options_done && strcmp(a, "--version") == 0) {
            puts("schemac " VERSION);
            return EXIT_OK;
        } else if (!options_done && strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (!options_done && strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "schemac: -o needs a folder\n%s",
                        usage_text);
                return EXIT_USAGE;
            }
            dir = argv[++i];
        } else if (!options_done && strcmp(a, "--plan") == 0) {
            want_plan = 1;
        } else if (!options_done && strcmp(a, "--ddl-version") == 0) {
            if (i + 1 >= argc || (errno = 0, ddl_version =
                                  strtol(argv[i + 1], &end, 10),
                                  *end != '\0' || end == argv[i + 1]
                                  || errno != 0 || ddl_version < 1)) {
                fprintf(stderr, "schemac: --ddl-version needs a version "
                        "number\n%s", usage_text);
                return EXIT_USAGE;
            }
            i++;
        } else if (!options_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "schemac: unknown option '%s'\n%s", a,
                    usage_text);
            return EXIT_USAGE;
        } else if (file != NULL) {
            fprintf(stderr, "schemac: one schema file at a time ('%s' and"
                    " '%s')\n%s", file, a, usage_text);
            return EXIT_USAGE;
        } else {
            file = a;
        }
    }
    if (file == NULL) {
        fprintf(stderr, "schemac: no schema file given\n%s", usage_text);
        return EXIT_USAGE;
    }

    if (read_file(file, &text, &len) != 0)
        goto done;
    diags.arena = &arena;
    diags.text = text;
    diags.text_len = len;
    if (frontend_load(&arena, &diags, file, text, len, &m) != 0
        || m == NULL) {
        diag_print(&diags, stderr);
        if (diags.nerrors == 0)
            fprintf(stderr, "schemac: %s: %s\n", file, arena.failed
                    ? "out of memory" : "the schema could not be loaded");
        goto done;
    }
    if (ddl_version != 0) {
        status = print_ddl(&arena, m, ddl_version);
        goto done;
    }
    if (history_prove(&arena, &diags, m, &plan) != 0) {
        diag_print(&diags, stderr);
        if (diags.nerrors == 0)
            fprintf(stderr, "schemac: out of memory\n");
        goto done;
    }
    if (want_plan)
        print_plan(m, &plan);
    else if (check_dir(dir) == 0 && generate(&arena, m, &plan, dir) == 0)
        status = EXIT_OK;
    if (want_plan)
        status = EXIT_OK;
done:
    arena_free(&arena);
    free(text);
    return status;
}
