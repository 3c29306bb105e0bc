/*
 * main.c - the schemac command: read a schema file (or standard input),
 * run the front end and the migration proof, print its diagnostics (text
 * or JSON) or write NAME.h, NAME.c and NAME.sql; check such files
 * (--check) or describe the schema (--emit json, docs, dot, --plan).  The
 * only place that writes files and sets the exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "dialect.h"
#include "emit.h"
#include "frontend.h"
#include "history.h"
#include "json.h"
#include "model.h"
#include "strbuf.h"
#include "view.h"
#include "../common/wholefile.h"
#include "../runtime/schemac.h"     /* SCHEMAC_VERSION_STRING */

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: schemac [-o DIR] FILE.schema\n"
    "       schemac --check [-o DIR] FILE.schema\n"
    "       schemac --emit json|docs|dot FILE.schema\n"
    "       schemac [--dialect sqlite|postgresql] --plan FILE.schema\n"
    "       schemac [--dialect sqlite|postgresql] --ddl-version N "
    "FILE.schema\n"
    "       schemac --help | --version\n";

static const char help_text[] =
    "Compile a schema file into C and SQL for libschemac.\n"
    "\n"
    "Writes NAME.h, NAME.c and NAME.sql, where NAME is the schema's name\n"
    "(`schema NAME version N;`).  A file whose content would not change is\n"
    "left alone, so make does not rebuild what depends on it.  When the\n"
    "schema has errors they are printed to stderr and nothing is written.\n"
    "FILE may be - for standard input (named <stdin> in messages).\n"
    "\n"
    "Before anything is written or printed, the migrations derived from\n"
    "the schema's history are proven in in-memory databases: a database\n"
    "of every older version, migrated, must equal a new one of the\n"
    "current version.\n"
    "\n"
    "  -o DIR      write the outputs into DIR (default: the current folder)\n"
    "  --check     write nothing; exit 0 when NAME.h, NAME.c and NAME.sql\n"
    "              in DIR are what the schema generates now, else 1,\n"
    "              naming each stale or missing file\n"
    "  --emit json print the checked model, its history, its queries, the\n"
    "              proven migration steps and the statements PostgreSQL\n"
    "              runs as JSON\n"
    "  --emit docs print Markdown documentation of the schema\n"
    "  --emit dot  print an ER diagram of the current version for\n"
    "              Graphviz (dot -Tsvg)\n"
    "  --plan      print the SQL of every version step instead (proven\n"
    "              first); a step marked rebuild runs with foreign keys\n"
    "              off and must pass PRAGMA foreign_key_check\n"
    "  --ddl-version N\n"
    "              print the DDL that creates version N of the schema\n"
    "              (the tables and indexes alive at N) instead\n"
    "  --dialect sqlite|postgresql\n"
    "              the SQL --ddl-version and --plan print (default\n"
    "              sqlite); a schema using what PostgreSQL cannot\n"
    "              express (NOCASE, triggers) is refused for\n"
    "              postgresql at the element\n"
    "  --diagnostics=text|json\n"
    "              how errors are printed: file:line:col with the source\n"
    "              line (text, the default) or one JSON object per line\n"
    "              with file, line, column, severity and message\n"
    "  --help      show this help\n"
    "  --version   show the version\n"
    "\n"
    "Exit status: 0 on success, 1 when the schema has errors, a file\n"
    "cannot be read or written, or --check found a stale file, 2 for a\n"
    "bad command line.\n";

/* What the command line asked for. */
enum mode { MODE_WRITE, MODE_CHECK, MODE_PLAN, MODE_DDL, MODE_EMIT };
enum emit_kind { EMIT_JSON, EMIT_DOCS, EMIT_DOT };

/* How messages are printed: the run's one piece of state besides its
 * arena, passed to whatever prints. */
struct run {
    bool json;                  /* --diagnostics=json */
};

/*
 * Print a message to stderr: as "schemac: message" or, for
 * --diagnostics=json, as a JSON object naming file (NULL: the command
 * itself), line and column 0.
 */
static void
say(const struct run *r, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
say(const struct run *r, const char *file, const char *fmt, ...)
{
    char msg[4096];
    struct strbuf out = { 0 };
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!r->json) {
        fprintf(stderr, "schemac: %s\n", msg);
        return;
    }
    diag_json(&out, file, 0, 0, msg, false);
    fputs(out.failed ? "{\"file\": \"schemac\", \"line\": 0, "
          "\"column\": 0, \"severity\": \"error\", \"message\": "
          "\"out of memory\"}\n" : sb_str(&out), stderr);
    sb_free(&out);
}

/* Print the queued diagnostics of d in the run's format. */
static void
print_diags(const struct run *r, const struct diags *d)
{
    if (r->json)
        diag_print_json(d, stderr);
    else
        diag_print(d, stderr);
}

/* The largest schema file read: a schema is text a person edits, and an
 * endless input (/dev/zero, a pipe that never closes) must not read until
 * memory runs out. */
#define MAX_SCHEMA_BYTES (64u << 20)

/*
 * Read the whole file at path ("-": standard input) into *text (malloc'd,
 * with a NUL after the *len bytes); name is what messages call it.
 * Returns 0, or -1 after saying why (including an input larger than
 * MAX_SCHEMA_BYTES).
 */
static int
read_file(const struct run *r, const char *path, const char *name,
          char **text, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL, *grown;
    size_t n = 0, cap = 0, got;

    if (f == NULL) {
        say(r, name, "cannot open '%s': %s", name, strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 16384;
            if ((grown = realloc(buf, cap + 1)) == NULL) {
                say(r, name, "out of memory reading '%s'", name);
                goto fail;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n > MAX_SCHEMA_BYTES) {
            say(r, name, "'%s' is larger than %u MiB; a schema is a text "
                "file", name, MAX_SCHEMA_BYTES >> 20);
            goto fail;
        }
    }
    if (ferror(f)) {
        say(r, name, "cannot read '%s': %s", name, strerror(errno));
        goto fail;
    }
    if (f != stdin)
        fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
fail:
    if (f != stdin)
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
 * Write the len bytes at data to dir/name whole (wholefile.h), so a
 * reader never sees half a file; leave an existing file with the same
 * bytes untouched.  Returns 0, or -1 after saying why.
 */
static int
write_output(const struct run *r, const char *dir, const char *name,
             const char *data, size_t len)
{
    struct wholefile w;
    char path[4096];
    int n;

    n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        say(r, NULL, "output path too long: '%s/%s'", dir, name);
        return -1;
    }
    if (same_content(path, data, len))
        return 0;
    if (wholefile_open(&w, path) == 0) {
        fwrite(data, 1, len, w.f);
        if (wholefile_commit(&w) == 0)
            return 0;
    }
    say(r, path, "cannot write '%s': %s", path, strerror(errno));
    return -1;
}

/* The generated files: NAME.EXT for each, in this order. */
static const char *const exts[3] = { "h", "c", "sql" };

/*
 * Generate the three outputs of m into out[0..2] (NAME.h, NAME.c,
 * NAME.sql) from the view of its current version and the proven plan.
 * Returns 0, or -1 after saying that memory ran out (the caller frees
 * out either way).
 */
static int
render(const struct run *r, struct arena *a, const struct model *m,
       const struct plan *plan, struct strbuf out[3])
{
    struct view now;
    int i;

    if (view_build(a, m, m->version, &now) != 0) {
        say(r, NULL, "out of memory");
        return -1;
    }
    emit_h(&now, &out[0]);
    emit_c(&now, plan, &out[1]);
    emit_sql(&now, plan, &out[2]);
    for (i = 0; i < 3; i++) {
        if (out[i].failed) {
            say(r, NULL, "out of memory");
            return -1;
        }
    }
    return 0;
}

/*
 * Generate the outputs of m and write those that changed into dir.
 * Returns 0, or -1 after saying why.
 */
static int
generate(const struct run *r, struct arena *a, const struct model *m,
         const struct plan *plan, const char *dir)
{
    struct strbuf out[3] = { { 0 }, { 0 }, { 0 } };
    char name[1024];
    int rc, i;

    rc = render(r, a, m, plan, out);
    for (i = 0; i < 3 && rc == 0; i++) {
        snprintf(name, sizeof name, "%s.%s", m->name, exts[i]);
        if (write_output(r, dir, name, sb_str(&out[i]), out[i].len) != 0)
            rc = -1;
    }
    for (i = 0; i < 3; i++)
        sb_free(&out[i]);
    return rc;
}

/*
 * --check: compare the outputs m generates now with the files in dir,
 * writing nothing.  Says which files are missing or stale (and how to
 * regenerate them).  Returns an exit status: 0 when every file is as
 * schemac would write it, else EXIT_ERRORS.
 */
static int
check_outputs(const struct run *r, struct arena *a, const struct model *m,
              const struct plan *plan, const char *dir, const char *file)
{
    struct strbuf out[3] = { { 0 }, { 0 }, { 0 } };
    char path[4096];
    struct stat st;
    int status = EXIT_OK, i, n;

    if (render(r, a, m, plan, out) != 0)
        status = EXIT_ERRORS;
    for (i = 0; i < 3 && status != EXIT_ERRORS; i++) {
        n = snprintf(path, sizeof path, "%s/%s.%s", dir, m->name, exts[i]);
        if (n < 0 || (size_t)n >= sizeof path) {
            say(r, NULL, "output path too long: '%s/%s.%s'", dir, m->name,
                exts[i]);
            status = EXIT_ERRORS;
        } else if (stat(path, &st) != 0) {
            say(r, path, "%s is missing (generate it with: schemac -o %s "
                "%s)", path, dir, file);
            status = -1;
        } else if (!same_content(path, sb_str(&out[i]), out[i].len)) {
            say(r, path, "%s is stale: it is not what %s generates now "
                "(regenerate it with: schemac -o %s %s)", path, file, dir,
                file);
            status = -1;
        }
    }
    for (i = 0; i < 3; i++)
        sb_free(&out[i]);
    return status == EXIT_OK ? EXIT_OK : EXIT_ERRORS;
}

/* --emit: print the JSON model, the Markdown docs or the DOT diagram of
 * m to stdout.  Returns an exit status. */
static int
emit_description(const struct run *r, struct arena *a,
                 const struct model *m, const struct plan *plan,
                 enum emit_kind kind)
{
    struct strbuf out = { 0 };
    struct view now;
    int status = EXIT_OK;

    if (view_build(a, m, m->version, &now) != 0) {
        say(r, NULL, "out of memory");
        return EXIT_ERRORS;
    }
    if (kind == EMIT_JSON)
        emit_json(&now, plan, &out);
    else if (kind == EMIT_DOCS)
        emit_doc(&now, &out);
    else
        emit_dot(&now, &out);
    if (out.failed) {
        say(r, NULL, "out of memory");
        status = EXIT_ERRORS;
    } else if (fwrite(sb_str(&out), 1, out.len, stdout) != out.len
               || fflush(stdout) != 0) {
        say(r, NULL, "cannot write to standard output: %s",
            strerror(errno));
        status = EXIT_ERRORS;
    }
    sb_free(&out);
    return status;
}

/* Print every step of plan (in dialect d) as SQL a person can read: a
 * comment line per step, then its statements, each ended by ';'; then
 * what sc_open() runs of the unversioned indexes. */
static void
print_plan(const struct model *m, const struct plan *plan,
           enum sql_dialect d)
{
    size_t i, j;

    printf("-- Migrations of schema %s, version %d%s.\n", m->name,
           m->version, d == SQL_POSTGRESQL ? ", for PostgreSQL" : "");
    if (plan->nsteps == 0)
        printf("-- None: every version has the same tables.\n");
    for (i = 0; i < plan->nsteps; i++) {
        const struct plan_step *s = &plan->steps[i];
        printf("\n-- version %d%s%s\n", s->version, s->rebuild
               ? " (rebuild: foreign keys off, foreign_key_check before "
               "commit)" : "", s->nsql == 0 ? " (nothing to do: the change "
               "is SQLite's alone)" : "");
        for (j = 0; j < s->nsql; j++)
            printf("%s;\n", s->sql[j].sql);
    }
    if (plan->nunversioned == 0)
        return;
    printf("\n-- unversioned indexes, dropped first in each step:\n");
    for (i = 0; i < plan->nunversioned; i++)
        printf("%s;\n", plan->unversioned[i].drop);
    printf("\n-- and after the last step, and at every open, created where "
           "missing (a retired one dropped):\n");
    for (i = 0; i < plan->nunversioned; i++)
        printf("%s;\n", plan->unversioned[i].open);
}

/*
 * Print PostgreSQL's plan of m (history_plan_in()) at the step versions
 * of sqlite, SQLite's proven plan, as NAME_pg_migrations holds it, or
 * the errors that refuse it: what dialect_check() refuses, or a trigger
 * the plan would have to drop and create.  Returns an exit status.
 */
static int
print_pg_plan(const struct run *r, struct arena *a, struct diags *dg,
              const struct model *m, const struct plan *sqlite)
{
    struct plan plan;

    if (dialect_check(dg, m, SQL_POSTGRESQL) != 0) {
        print_diags(r, dg);
        return EXIT_ERRORS;
    }
    if (history_plan_in(a, m, SQL_POSTGRESQL, &plan) != 0
        || history_align(a, sqlite, &plan) != 0) {
        say(r, NULL, "out of memory");
        return EXIT_ERRORS;
    }
    if (plan.refusal != NULL) {
        diag_error(dg, &plan.refusal_pos, "%s (--dialect postgresql)",
                   plan.refusal);
        print_diags(r, dg);
        return EXIT_ERRORS;
    }
    print_plan(m, &plan, SQL_POSTGRESQL);
    return EXIT_OK;
}

/* Print the DDL of version v of m in dialect d, each statement ended by
 * ';', or the errors of what d cannot express (in dg).  Returns an exit
 * status. */
static int
print_ddl(const struct run *r, struct arena *a, struct diags *dg,
          const struct model *m, long v, enum sql_dialect d)
{
    struct plan_sql *sql;
    size_t n, i;

    if (v < 1 || v > m->version) {
        say(r, m->file, "%s: version %ld is not between 1 and %d", m->file,
            v, m->version);
        return EXIT_ERRORS;
    }
    if (dialect_check(dg, m, d) != 0) {
        print_diags(r, dg);
        return EXIT_ERRORS;
    }
    if (history_ddl(a, m, (int)v, d, &sql, &n) != 0) {
        say(r, NULL, "out of memory");
        return EXIT_ERRORS;
    }
    printf("-- Schema %s at version %ld%s.\n", m->name, v,
           d == SQL_POSTGRESQL ? ", for PostgreSQL" : "");
    for (i = 0; i < n; i++)
        printf("%s;\n", sql[i].sql);
    return EXIT_OK;
}

/* Check that dir is a folder (one we can write to, unless only
 * reading), saying why not.  Returns 0 or -1. */
static int
check_dir(const struct run *r, const char *dir, bool writing)
{
    struct stat st;

    if (stat(dir, &st) != 0) {
        say(r, dir, "output folder '%s': %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        say(r, dir, "output folder '%s': not a folder", dir);
        return -1;
    }
    if (writing && access(dir, W_OK) != 0) {
        say(r, dir, "output folder '%s': %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* Report a bad command line: the message, then the usage.  Returns
 * EXIT_USAGE. */
static int
usage_error(const struct run *r, const char *fmt, const char *arg)
{
    char msg[1024];

    snprintf(msg, sizeof msg, fmt, arg);
    say(r, NULL, "%s", msg);
    if (!r->json)
        fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/*
 * The value of option a, which is argv[*i]: the text after '=' in
 * "--name=value", else the next argument (advancing *i).  NULL when
 * there is none.
 */
static const char *
option_value(int argc, char **argv, int *i, const char *a)
{
    const char *eq = strchr(a, '=');

    if (eq != NULL)
        return eq + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* True when a is option name, alone or as "name=value". */
static bool
is_option(const char *a, const char *name)
{
    size_t n = strlen(name);

    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/*
 * schemac [-o DIR | --check | --plan | --ddl-version N | --emit KIND]
 * [--diagnostics=FORMAT] FILE.schema: parse the command line, load and
 * check the schema and its history, print its errors (exit 1, nothing
 * written) or do what the mode asks (exit 0, or 1 for --check with stale
 * files).  Usage mistakes exit 2.
 */
int
main(int argc, char **argv)
{
    const char *dir = ".", *file = NULL, *name, *v;
    struct arena arena = { 0 };
    struct diags diags = { 0 };
    struct run run = { false };
    struct model *m = NULL;
    struct plan plan;
    char *text = NULL, *end;
    size_t len = 0;
    int i, status = EXIT_ERRORS, options_done = 0;
    enum mode mode = MODE_WRITE;
    enum emit_kind kind = EMIT_JSON;
    long ddl_version = 0;
    int dialect = SQL_SQLITE;
    bool dialect_given = false;

    /* --diagnostics first, so every message follows it. */
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (is_option(argv[i], "--diagnostics")) {
            v = option_value(argc, argv, &i, argv[i]);
            if (v != NULL && strcmp(v, "json") == 0)
                run.json = true;
        }
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (file != NULL)
                return usage_error(&run, "one schema file at a time "
                                   "(a second: '%s')", a);
            file = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            fputs("\n", stdout);
            fputs(help_text, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            puts("schemac " SCHEMAC_VERSION_STRING);
            return EXIT_OK;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return usage_error(&run, "-o needs a folder%s", "");
            dir = argv[++i];
        } else if (strcmp(a, "--check") == 0) {
            mode = MODE_CHECK;
        } else if (strcmp(a, "--plan") == 0) {
            mode = MODE_PLAN;
        } else if (is_option(a, "--emit")) {
            v = option_value(argc, argv, &i, a);
            if (v != NULL && strcmp(v, "json") == 0)
                kind = EMIT_JSON;
            else if (v != NULL && strcmp(v, "docs") == 0)
                kind = EMIT_DOCS;
            else if (v != NULL && strcmp(v, "dot") == 0)
                kind = EMIT_DOT;
            else if (v != NULL)
                return usage_error(&run, "--emit needs json, docs or dot,"
                                   " not '%s'", v);
            else
                return usage_error(&run, "--emit needs json, docs or dot"
                                   "%s", "");
            mode = MODE_EMIT;
        } else if (is_option(a, "--diagnostics")) {
            v = option_value(argc, argv, &i, a);
            if (v == NULL || (strcmp(v, "json") != 0
                              && strcmp(v, "text") != 0))
                return usage_error(&run, "--diagnostics needs text or json"
                                   "%s", "");
        } else if (is_option(a, "--ddl-version")) {
            v = option_value(argc, argv, &i, a);
            if (v == NULL || (errno = 0, ddl_version = strtol(v, &end, 10),
                              *end != '\0' || end == v || errno != 0
                              || ddl_version < 1))
                return usage_error(&run, "--ddl-version needs a version "
                                   "number%s", "");
            mode = MODE_DDL;
        } else if (is_option(a, "--dialect")) {
            v = option_value(argc, argv, &i, a);
            if (v == NULL || (dialect = dialect_named(v)) < 0)
                return usage_error(&run, "--dialect needs sqlite or "
                                   "postgresql%s", "");
            dialect_given = true;
        } else {
            return usage_error(&run, "unknown option '%s'", a);
        }
    }
    if (file == NULL)
        return usage_error(&run, "no schema file given (- reads standard "
                           "input)%s", "");
    if (dialect_given && mode != MODE_DDL && mode != MODE_PLAN)
        return usage_error(&run, "--dialect goes with --ddl-version or "
                           "--plan%s", "");
    name = strcmp(file, "-") == 0 ? "<stdin>" : file;

    if (read_file(&run, file, name, &text, &len) != 0)
        goto done;
    diags.arena = &arena;
    diags.text = text;
    diags.text_len = len;
    if (frontend_load(&arena, &diags, name, text, len, &m) != 0
        || m == NULL) {
        print_diags(&run, &diags);
        if (diags.nerrors == 0)
            say(&run, name, "%s: %s", name, arena.failed ? "out of memory"
                : "the schema could not be loaded");
        goto done;
    }
    if (mode == MODE_DDL) {
        status = print_ddl(&run, &arena, &diags, m, ddl_version,
                           (enum sql_dialect)dialect);
        goto done;
    }
    if (history_prove(&arena, &diags, m, &plan) != 0) {
        print_diags(&run, &diags);
        if (diags.nerrors == 0)
            say(&run, NULL, "out of memory");
        goto done;
    }
    /* What is queued now are warnings: shown, and the run goes on. */
    print_diags(&run, &diags);
    switch (mode) {
    case MODE_PLAN:
        if (dialect == SQL_POSTGRESQL) {
            status = print_pg_plan(&run, &arena, &diags, m, &plan);
            break;
        }
        print_plan(m, &plan, SQL_SQLITE);
        status = EXIT_OK;
        break;
    case MODE_EMIT:
        status = emit_description(&run, &arena, m, &plan, kind);
        break;
    case MODE_CHECK:
        if (check_dir(&run, dir, false) == 0)
            status = check_outputs(&run, &arena, m, &plan, dir, name);
        break;
    default:
        if (check_dir(&run, dir, true) == 0
            && generate(&run, &arena, m, &plan, dir) == 0)
            status = EXIT_OK;
        break;
    }
done:
    arena_free(&arena);
    free(text);
    return status;
}
