/*
 * cli.c - learnstore, the command-line face of the learning store: create,
 * inspect, record and clear, with human-readable tables or --json.
 *
 * Exit status: 0 success, 1 a database error, 2 a usage error, 3 not
 * found, 4 the file was refused (not a database, or a newer or foreign
 * schema).  Errors go to stderr.
 */
#include "learnstore.h"
#include "listing.h"

#include <errno.h>
#include <getopt.h>
#include <sqlite3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { EXIT_DB = 1, EXIT_USAGE = 2, EXIT_NOTFOUND = 3, EXIT_REFUSED = 4 };

/* Options every command shares, and the listing being printed. */
struct cli {
    const char *db_path;    /* --db, else $LEARNSTORE_DB, else the default */
    bool json;
    sc_db *db;
    struct listing list;
};

/* The callbacks handing rows of each table to the listing. */
static struct cli *current;

/* Hand a pattern row to the listing. */
static int
each_pattern(const struct learning_patterns *r, void *arg)
{
    (void)arg;
    listing_row(&current->list, r);
    return 0;
}

/* Hand an execution row to the listing. */
static int
each_execution(const struct learning_executions *r, void *arg)
{
    (void)arg;
    listing_row(&current->list, r);
    return 0;
}

/* Hand a rate-limit row to the listing. */
static int
each_rate_limit(const struct learning_rate_limit_events *r, void *arg)
{
    (void)arg;
    listing_row(&current->list, r);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

/*
 * Print an error of cmd (NULL: of the command line before it) to stderr:
 * "learnstore CMD: MESSAGE" or, with --json, one JSON object
 * {"error": MESSAGE, "command": CMD, "exit_status": STATUS}.
 */
static void
print_error(const char *cmd, const char *msg, int status)
{
    const char *one[1];
    char *j;

    if (current == NULL || !current->json) {
        fprintf(stderr, "learnstore%s%s: %s\n", cmd ? " " : "",
                cmd ? cmd : "", msg);
        return;
    }
    one[0] = msg;
    j = ls_json_list(one, 1);       /* ["msg"], escaped as json.dumps */
    if (j != NULL)
        j[strlen(j) - 1] = '\0';
    fprintf(stderr, "{\"error\": %s, \"command\": ", j ? j + 1 : "\"\"");
    free(j);
    one[0] = cmd;
    j = cmd ? ls_json_list(one, 1) : NULL;
    if (j != NULL)
        j[strlen(j) - 1] = '\0';
    fprintf(stderr, "%s, \"exit_status\": %d}\n", j ? j + 1 : "null",
            status);
    free(j);
}

/* Report a usage error of cmd (the printf format fmt with arg) and
 * return EXIT_USAGE. */
static int
usage_error(const char *cmd, const char *fmt, const char *arg)
{
    char msg[1024], full[1100];

    snprintf(msg, sizeof msg, fmt, arg);
    snprintf(full, sizeof full, "%s (see 'learnstore %s --help')", msg, cmd);
    print_error(cmd, full, EXIT_USAGE);
    return EXIT_USAGE;
}

/* The value of option argv[*i] (advancing *i), or NULL when missing. */
static const char *
option_value(int argc, char **argv, int *i)
{
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Parse a whole decimal integer; 0 or -1. */
static int
parse_int(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (s == NULL || *s == '\0')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end != '\0' || errno != 0)
        return -1;
    *out = v;
    return 0;
}

/* Parse a whole finite real; 0 or -1. */
static int
parse_real(const char *s, double *out)
{
    char *end;

    if (s == NULL || *s == '\0')
        return -1;
    errno = 0;
    *out = strtod(s, &end);
    return *end != '\0' || errno != 0 || !isfinite(*out) ? -1 : 0;
}

/* Map an SC_* code to the exit status, printing sc_errmsg(). */
static int
db_failure(struct cli *cli, const char *cmd, int rc)
{
    int status = rc == SC_NOTFOUND ? EXIT_NOTFOUND
        : rc == SC_VERSION || rc == SC_NOTADB ? EXIT_REFUSED : EXIT_DB;

    print_error(cmd, sc_errmsg(cli->db), status);
    return status;
}

/* Finish the listing of cmd, whose select returned rc: print it (or close
 * the JSON), then return the exit status. */
static int
end_listing(struct cli *cli, const char *cmd, int rc)
{
    if (listing_end(&cli->list) != 0 && rc == SC_OK) {
        fprintf(stderr, "learnstore %s: out of memory\n", cmd);
        return EXIT_DB;
    }
    return rc == SC_OK ? 0 : db_failure(cli, cmd, rc);
}

/* Open the store for a command. */
static int
open_store(struct cli *cli, const char *cmd)
{
    int rc = ls_open(&cli->db, cli->db_path);

    return rc == SC_OK ? 0 : db_failure(cli, cmd, rc);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

struct command {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *usage;
    const struct option *opts;      /* its options, for getopt_long */
};

/*
 * Each command's options, for getopt_long: --name VALUE or --name=VALUE,
 * any unambiguous prefix, "--" before arguments that start with '-'.
 * --json and --help are every command's.
 */
#define OPT_VALUE(name) { name, required_argument, NULL, 0 }
#define OPT_FLAG(name) { name, no_argument, NULL, 0 }
#define OPT_COMMON OPT_FLAG("json"), OPT_FLAG("help"), { NULL, 0, NULL, 0 }
static const struct option no_opts[] = { OPT_COMMON };
static const struct option patterns_opts[] = {
    OPT_VALUE("type"), OPT_VALUE("instrument"), OPT_VALUE("min-priority"),
    OPT_VALUE("tag"), OPT_VALUE("limit"), OPT_FLAG("include-inactive"),
    OPT_FLAG("exclude-quarantined"), OPT_COMMON
};
static const struct option executions_opts[] = {
    OPT_VALUE("job"), OPT_VALUE("limit"), OPT_COMMON
};
static const struct option outcome_opts[] = {
    OPT_VALUE("job"), OPT_VALUE("sheet"), OPT_VALUE("workspace"),
    OPT_VALUE("status"), OPT_VALUE("model"), OPT_VALUE("duration"),
    OPT_VALUE("pass-rate"), OPT_VALUE("retries"), OPT_VALUE("error"),
    OPT_FLAG("first-try"), OPT_COMMON
};
static const struct option pattern_opts[] = {
    OPT_VALUE("type"), OPT_VALUE("name"), OPT_VALUE("description"),
    OPT_VALUE("action"), OPT_VALUE("instrument"), OPT_VALUE("tag"),
    OPT_COMMON
};
static const struct option rate_limit_opts[] = {
    OPT_VALUE("code"), OPT_VALUE("job"), OPT_VALUE("model"),
    OPT_VALUE("duration"), OPT_COMMON
};
static const struct option clear_opts[] = { OPT_FLAG("yes"), OPT_COMMON };

/* init: create or migrate the database. */
static int
cmd_init(struct cli *cli, int argc, char **argv)
{
    int status;

    (void)argv;
    if (argc > 1)
        return usage_error("init", "unexpected argument '%s'", argv[1]);
    if ((status = open_store(cli, "init")) != 0)
        return status;
    if (cli->json)
        printf("{\"version\": %d}\n", sc_version(cli->db));
    else
        printf("learning store ready at version %d\n", sc_version(cli->db));
    return 0;
}

/* stats: rows per data table, the version and the file size. */
static int
cmd_stats(struct cli *cli, int argc, char **argv)
{
    const sc_schema *s = &learning_schema;
    const char *file;
    struct stat sb;
    size_t i;
    int status, rc;

    if (argc > 1)
        return usage_error("stats", "unexpected argument '%s'", argv[1]);
    if ((status = open_store(cli, "stats")) != 0)
        return status;
    printf(cli->json ? "{\"tables\": {" : "%-26s %s\n", "table", "rows");
    for (i = 0; i < s->ntables; i++) {
        const sc_table *t = s->tables[i];
        int64_t n;
        if ((rc = sc_row_count(cli->db, t, NULL, &n)) != SC_OK)
            return db_failure(cli, "stats", rc);
        if (cli->json)
            printf("%s\"%s\": %lld", i ? ", " : "", t->name, (long long)n);
        else
            printf("%-26s %lld\n", t->name, (long long)n);
    }
    file = sqlite3_db_filename(sc_sqlite(cli->db), "main");
    if (file == NULL || stat(file, &sb) != 0)
        sb.st_size = 0;
    if (cli->json)
        printf("}, \"version\": %d, \"file_size\": %lld}\n",
               sc_version(cli->db), (long long)sb.st_size);
    else
        printf("version %d, file size %lld bytes\n", sc_version(cli->db),
               (long long)sb.st_size);
    return 0;
}

#define MAX_LIST 64     /* repeated options (--tag, --error) per command */

/* patterns: the filtered read of get_patterns. */
static int
cmd_patterns(struct cli *cli, int argc, char **argv)
{
    static const char *const show[] = {
        "id", "pattern_type", "pattern_name", "occurrence_count",
        "effectiveness_score", "priority_score", "context_tags", NULL
    };
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    const char *tags[MAX_LIST];
    int i, status, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "--type") == 0 || strcmp(a, "--instrument") == 0
            || strcmp(a, "--min-priority") == 0 || strcmp(a, "--tag") == 0
            || strcmp(a, "--limit") == 0) {
            if ((v = option_value(argc, argv, &i)) == NULL)
                return usage_error("patterns", "'%s' needs a value", a);
        }
        if (strcmp(a, "--type") == 0)
            f.pattern_type = v;
        else if (strcmp(a, "--instrument") == 0)
            f.instrument_name = v;
        else if (strcmp(a, "--min-priority") == 0) {
            if (parse_real(v, &f.min_priority) != 0)
                return usage_error("patterns", "bad number '%s'", v);
        } else if (strcmp(a, "--limit") == 0) {
            if (parse_int(v, &f.limit) != 0 || f.limit < 0)
                return usage_error("patterns", "bad limit '%s'", v);
        } else if (strcmp(a, "--tag") == 0) {
            if (f.ncontext_tags == MAX_LIST)
                return usage_error("patterns", "too many tags (at most %s)",
                                   "64");
            tags[f.ncontext_tags++] = v;
        } else if (strcmp(a, "--include-inactive") == 0)
            f.include_inactive = true;
        else if (strcmp(a, "--exclude-quarantined") == 0)
            f.exclude_quarantined = true;
        else
            return usage_error("patterns", "unknown option '%s'", a);
    }
    f.context_tags = tags;
    if ((status = open_store(cli, "patterns")) != 0)
        return status;
    listing_begin(&cli->list, &learning_patterns_table, show, cli->json);
    rc = ls_get_patterns(cli->db, &f, each_pattern, NULL);
    return end_listing(cli, "patterns", rc);
}

/* pattern ID: one pattern by id, every column. */
static int
cmd_pattern(struct cli *cli, int argc, char **argv)
{
    struct learning_patterns p;
    int status, rc;

    if (argc != 2)
        return usage_error("pattern", "expected one pattern id%s", "");
    if ((status = open_store(cli, "pattern")) != 0)
        return status;
    if ((rc = learning_patterns_get(cli->db, argv[1], &p)) != SC_OK)
        return db_failure(cli, "pattern", rc);
    listing_record(&learning_patterns_table, &p, cli->json);
    learning_patterns_free(&p);
    return 0;
}

/* executions: recent executions, optionally of one job. */
static int
cmd_executions(struct cli *cli, int argc, char **argv)
{
    static const char *const show[] = {
        "id", "job_hash", "sheet_num", "status", "retry_count",
        "confidence_score", "completed_at", NULL
    };
    const char *job = NULL;
    char job_hash[LS_HASH_HEX];
    int64_t limit = 10;
    int i, status, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--job") != 0 && strcmp(a, "--limit") != 0)
            return usage_error("executions", "unknown option '%s'", a);
        if ((v = option_value(argc, argv, &i)) == NULL)
            return usage_error("executions", "'%s' needs a value", a);
        if (strcmp(a, "--job") == 0)
            job = v;
        else if (parse_int(v, &limit) != 0 || limit < 0)
            return usage_error("executions", "bad limit '%s'", v);
    }
    if (job != NULL && ls_hash_job(job, NULL, job_hash) != SC_OK)
        return usage_error("executions", "bad job '%s'", job);
    if ((status = open_store(cli, "executions")) != 0)
        return status;
    listing_begin(&cli->list, &learning_executions_table, show, cli->json);
    rc = ls_get_similar_executions(cli->db, job ? job_hash : NULL, NULL,
                                   NULL, limit, each_execution, NULL);
    return end_listing(cli, "executions", rc);
}

/* The statuses an execution may have: those of the sheets the store
 * records. */
static const char *const statuses[] = {
    "completed", "failed", "skipped", "pending", "in_progress", NULL
};

/*
 * Refuse an outcome the store would record wrongly: a pass rate outside
 * [0, 1], a status outside the set above, a sheet id without the number
 * the store keys executions by ("sheet-3"), a negative duration.  Returns
 * 0, or EXIT_USAGE after saying why; nothing is written either way.
 */
static int
check_outcome(const struct ls_outcome *o)
{
    size_t i, n = strlen(o->sheet_id);

    if (o->validation_pass_rate < 0 || o->validation_pass_rate > 1) {
        char v[64];
        snprintf(v, sizeof v, "%g", o->validation_pass_rate);
        return usage_error("record-outcome", "--pass-rate %s is not "
                           "between 0 and 1", v);
    }
    for (i = 0; statuses[i] != NULL; i++)
        if (strcmp(o->status, statuses[i]) == 0)
            break;
    if (statuses[i] == NULL)
        return usage_error("record-outcome", "--status '%s' is not one of "
                           "completed, failed, skipped, pending, "
                           "in_progress", o->status);
    if (n == 0 || o->sheet_id[n - 1] < '0' || o->sheet_id[n - 1] > '9')
        return usage_error("record-outcome", "--sheet '%s' does not end in "
                           "the sheet's number (as sheet-3 does)",
                           o->sheet_id);
    if (o->duration_seconds < 0)
        return usage_error("record-outcome", "--duration must not be "
                           "negative%s", "");
    return 0;
}

/* record-outcome: one sheet's outcome. */
static int
cmd_record_outcome(struct cli *cli, int argc, char **argv)
{
    struct ls_outcome o;
    const char *workspace = ".", *model = NULL, *errors[MAX_LIST];
    char id[LS_UUID_LEN], now[LS_TIME_LEN];
    size_t nerrors = 0;
    int i, status, rc;

    memset(&o, 0, sizeof(o));
    o.status = "completed";
    o.validation_pass_rate = 1.0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "--first-try") == 0) {
            o.success_without_retry = true;
            continue;
        }
        if ((v = option_value(argc, argv, &i)) == NULL)
            return usage_error("record-outcome", "'%s' needs a value", a);
        if (strcmp(a, "--job") == 0)
            o.job_id = v;
        else if (strcmp(a, "--sheet") == 0)
            o.sheet_id = v;
        else if (strcmp(a, "--workspace") == 0)
            workspace = v;
        else if (strcmp(a, "--status") == 0)
            o.status = v;
        else if (strcmp(a, "--model") == 0)
            model = v;
        else if (strcmp(a, "--duration") == 0) {
            if (parse_real(v, &o.duration_seconds) != 0)
                return usage_error("record-outcome", "bad number '%s'", v);
        } else if (strcmp(a, "--pass-rate") == 0) {
            if (parse_real(v, &o.validation_pass_rate) != 0)
                return usage_error("record-outcome", "bad number '%s'", v);
        } else if (strcmp(a, "--retries") == 0) {
            if (parse_int(v, &o.retry_count) != 0 || o.retry_count < 0)
                return usage_error("record-outcome", "bad count '%s'", v);
        } else if (strcmp(a, "--error") == 0) {
            if (nerrors == MAX_LIST)
                return usage_error("record-outcome", "too many errors (at "
                                   "most %s)", "64");
            errors[nerrors++] = v;
        } else
            return usage_error("record-outcome", "unknown option '%s'", a);
    }
    if (o.job_id == NULL || o.sheet_id == NULL)
        return usage_error("record-outcome", "--job and --sheet are "
                           "required%s", "");
    if ((status = check_outcome(&o)) != 0)
        return status;
    ls_format_time(ls_now(), false, now);
    o.completed_at = now;
    if ((status = open_store(cli, "record-outcome")) != 0)
        return status;
    rc = ls_record_outcome(cli->db, &o, workspace, model, errors, nerrors,
                           id);
    if (rc != SC_OK)
        return db_failure(cli, "record-outcome", rc);
    printf(cli->json ? "{\"id\": \"%s\"}\n" : "%s\n", id);
    return 0;
}

/* record-pattern: one sighting of a pattern. */
static int
cmd_record_pattern(struct cli *cli, int argc, char **argv)
{
    struct ls_pattern_input in;
    const char *tags[MAX_LIST];
    char id[LS_HASH_HEX];
    int i, status, rc;

    memset(&in, 0, sizeof(in));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if ((v = option_value(argc, argv, &i)) == NULL)
            return usage_error("record-pattern", "'%s' needs a value", a);
        if (strcmp(a, "--type") == 0)
            in.pattern_type = v;
        else if (strcmp(a, "--name") == 0)
            in.pattern_name = v;
        else if (strcmp(a, "--description") == 0)
            in.description = v;
        else if (strcmp(a, "--action") == 0)
            in.suggested_action = v;
        else if (strcmp(a, "--instrument") == 0)
            in.instrument_name = v;
        else if (strcmp(a, "--tag") == 0) {
            if (in.ncontext_tags == MAX_LIST)
                return usage_error("record-pattern", "too many tags (at "
                                   "most %s)", "64");
            tags[in.ncontext_tags++] = v;
        } else
            return usage_error("record-pattern", "unknown option '%s'", a);
    }
    if (in.pattern_type == NULL || in.pattern_name == NULL)
        return usage_error("record-pattern", "--type and --name are "
                           "required%s", "");
    in.context_tags = tags;
    if ((status = open_store(cli, "record-pattern")) != 0)
        return status;
    if ((rc = ls_record_pattern(cli->db, &in, id)) != SC_OK)
        return db_failure(cli, "record-pattern", rc);
    printf(cli->json ? "{\"id\": \"%s\"}\n" : "%s\n", id);
    return 0;
}

/* record-rate-limit: a rate limit hit by a job. */
static int
cmd_record_rate_limit(struct cli *cli, int argc, char **argv)
{
    const char *code = NULL, *job = "learnstore", *model = NULL;
    double duration = -1;
    int i, status, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if ((v = option_value(argc, argv, &i)) == NULL)
            return usage_error("record-rate-limit", "'%s' needs a value", a);
        if (strcmp(a, "--code") == 0)
            code = v;
        else if (strcmp(a, "--job") == 0)
            job = v;
        else if (strcmp(a, "--model") == 0)
            model = v;
        else if (strcmp(a, "--duration") == 0) {
            if (parse_real(v, &duration) != 0 || duration < 0)
                return usage_error("record-rate-limit", "bad duration '%s'",
                                   v);
        } else
            return usage_error("record-rate-limit", "unknown option '%s'",
                               a);
    }
    if (code == NULL || duration < 0)
        return usage_error("record-rate-limit", "--code and --duration are "
                           "required%s", "");
    if ((status = open_store(cli, "record-rate-limit")) != 0)
        return status;
    rc = ls_record_rate_limit_event(cli->db, code, duration, job, model,
                                    NULL);
    if (rc != SC_OK)
        return db_failure(cli, "record-rate-limit", rc);
    if (!cli->json)
        printf("recorded\n");
    else
        printf("{\"recorded\": true}\n");
    return 0;
}

/* rate-limits: every recorded event, latest expiry first. */
static int
cmd_rate_limits(struct cli *cli, int argc, char **argv)
{
    static const sc_order latest = {
        LEARNING_RATE_LIMIT_EVENTS_COL_EXPIRES_AT, true
    };
    static const char *const show[] = {
        "error_code", "model", "recorded_at", "expires_at",
        "duration_seconds", NULL
    };
    int status, rc;

    if (argc > 1)
        return usage_error("rate-limits", "unexpected argument '%s'",
                           argv[1]);
    if ((status = open_store(cli, "rate-limits")) != 0)
        return status;
    listing_begin(&cli->list, &learning_rate_limit_events_table, show,
                  cli->json);
    rc = learning_rate_limit_events_select(cli->db, NULL, &latest, 1, -1, 0,
                                           each_rate_limit, NULL);
    return end_listing(cli, "rate-limits", rc);
}

/* clear --yes: empty every data table. */
static int
cmd_clear(struct cli *cli, int argc, char **argv)
{
    int status, rc;

    if (argc != 2 || strcmp(argv[1], "--yes") != 0)
        return usage_error("clear", "refusing to delete every row without "
                           "--yes%s", "");
    if ((status = open_store(cli, "clear")) != 0)
        return status;
    if ((rc = sc_clear_all(cli->db)) != SC_OK)
        return db_failure(cli, "clear", rc);
    printf(cli->json ? "{\"cleared\": true}\n" : "cleared\n");
    return 0;
}

static const struct command commands[] = {
    { "init", cmd_init, "init\n"
      "  Create the database (or migrate it) and print its version.",
      no_opts },
    { "stats", cmd_stats, "stats\n"
      "  Rows per table, the schema version and the file size.", no_opts },
    { "patterns", cmd_patterns, "patterns [--type T] [--min-priority X] "
      "[--tag T]... [--limit N]\n"
      "         [--instrument I] [--include-inactive] "
      "[--exclude-quarantined]\n"
      "  Patterns by priority, highest first (defaults: min priority "
      "0.01, limit 20).", patterns_opts },
    { "pattern", cmd_pattern, "pattern ID\n"
      "  Every column of one pattern; exit 3 when there is none.", no_opts },
    { "executions", cmd_executions, "executions [--job J] [--limit N]\n"
      "  Recent executions, newest first (limit 10).", executions_opts },
    { "record-outcome", cmd_record_outcome, "record-outcome --job J --sheet "
      "S [--workspace PATH] [--status S]\n"
      "         [--duration X] [--retries N] [--first-try] [--pass-rate X]\n"
      "         [--model M] [--error CODE]...\n"
      "  Record one sheet's outcome; prints the new execution id.",
      outcome_opts },
    { "record-pattern", cmd_record_pattern, "record-pattern --type T --name "
      "N [--description D] [--action A]\n"
      "         [--tag T]... [--instrument I]\n"
      "  Record a sighting of a pattern; prints its id.", pattern_opts },
    { "record-rate-limit", cmd_record_rate_limit, "record-rate-limit --code "
      "C --duration SECONDS [--job J] [--model M]\n"
      "  Record a rate limit; it expires after 0.8 of its duration.",
      rate_limit_opts },
    { "rate-limits", cmd_rate_limits, "rate-limits\n"
      "  Every rate-limit event, latest expiry first.", no_opts },
    { "clear", cmd_clear, "clear --yes\n"
      "  Delete every row of every data table (the version stays).",
      clear_opts },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Print the overall help to f. */
static void
help(FILE *f)
{
    size_t i;

    fprintf(f, "usage: learnstore [--db PATH] [--json] COMMAND [ARGS]\n\n"
            "The database is PATH, else $LEARNSTORE_DB, else "
            "~/.marianne/global-learning.db.\n--json prints reads and "
            "results as JSON.\n\ncommands:\n");
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "\n'learnstore COMMAND --help' shows one command.\n"
            "exit status: 0 ok, 1 database error, 2 usage error, "
            "3 not found,\n4 file refused (not a database, or a newer "
            "or foreign schema)\n");
}

/*
 * Put the arguments of command c (argv[0] its name) in the shape its
 * parser reads, with getopt_long: each option as "--name" (and its value
 * as the next argument), whatever prefix or "--name=value" form was
 * typed, then the other arguments; --json and --help are taken out into
 * cli.  *out (malloc'd, the strings borrowed from argv) gets *outc
 * arguments.  Returns 0, or EXIT_USAGE after a usage error (an unknown
 * option, a missing value) and EXIT_DB when memory ran out.
 */
static int
command_args(struct cli *cli, const struct command *c, int argc,
             char **argv, char ***out, int *outc, bool *help)
{
    const struct option *opts = c->opts ? c->opts : no_opts;
    /* One block: the argument pointers, then a slot per option for its
     * "--name" (option names are short). */
    enum { SLOT = 48 };
    size_t nptr = (size_t)argc * 2 + 1;
    char **v = malloc(nptr * sizeof(*v) + (size_t)argc * SLOT);
    char *names = (char *)(v + nptr);
    int n = 0, opt, idx;

    if (v == NULL) {
        print_error(c->name, "out of memory", EXIT_DB);
        return EXIT_DB;
    }
    v[n++] = argv[0];
    optind = 0;                 /* start over (after main's getopt) */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", opts, &idx)) != -1) {
        if (opt == 0 && strcmp(opts[idx].name, "json") == 0) {
            cli->json = true;
        } else if (opt == 0 && strcmp(opts[idx].name, "help") == 0) {
            *help = true;
        } else if (opt == 0) {
            snprintf(names, SLOT, "--%s", opts[idx].name);
            v[n++] = names;
            names += SLOT;
            if (opts[idx].has_arg == required_argument)
                v[n++] = optarg;
        } else {
            free(v);
            return usage_error(c->name, opt == ':' ? "'%s' needs a value"
                               : "unknown option '%s'", argv[optind - 1]);
        }
    }
    while (optind < argc)
        v[n++] = argv[optind++];
    v[n] = NULL;
    *out = v;
    *outc = n;
    return 0;
}

/*
 * Parse the global options (getopt_long: --db PATH or --db=PATH, -d PATH,
 * --json or -j, --help or -h, --version or -V, combined as -jd PATH, "--"
 * before the command), find the command, put its arguments in shape, run
 * it on the store and return its exit status (see the top of this file).
 */
int
main(int argc, char **argv)
{
    static const struct option global[] = {
        { "db", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    struct cli cli;
    char **args = NULL;
    size_t c;
    int status, opt, nargs = 0;
    bool help_wanted = false;

    memset(&cli, 0, sizeof(cli));
    current = &cli;
    cli.db_path = getenv("LEARNSTORE_DB");
    if (cli.db_path != NULL && cli.db_path[0] == '\0')
        cli.db_path = NULL;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+:d:jhV", global, NULL)) != -1) {
        switch (opt) {
        case 'd':
            cli.db_path = optarg;
            break;
        case 'j':
            cli.json = true;
            break;
        case 'h':
            help(stdout);
            return 0;
        case 'V':
            printf("learnstore (schemac) %s\n", SCHEMAC_VERSION_STRING);
            return 0;
        default: {
            char msg[300];
            snprintf(msg, sizeof msg, opt == ':' ? "'%.200s' needs a value "
                     "(see 'learnstore --help')" : "unknown option "
                     "'%.200s' (see 'learnstore --help')", argv[optind - 1]);
            print_error(NULL, msg, EXIT_USAGE);
            return EXIT_USAGE;
        }
        }
    }
    if (optind == argc) {
        help(stderr);
        return EXIT_USAGE;
    }
    for (c = 0; c < NCOMMANDS; c++)
        if (strcmp(argv[optind], commands[c].name) == 0)
            break;
    if (c == NCOMMANDS) {
        char msg[300];
        snprintf(msg, sizeof msg, "unknown command '%.200s' (see "
                 "'learnstore --help')", argv[optind]);
        print_error(NULL, msg, EXIT_USAGE);
        return EXIT_USAGE;
    }
    status = command_args(&cli, &commands[c], argc - optind, argv + optind,
                          &args, &nargs, &help_wanted);
    if (status != 0)
        return status;
    if (help_wanted) {
        printf("usage: learnstore [--db PATH] [--json] %s\n",
               commands[c].usage);
        free(args);
        return 0;
    }
    status = commands[c].run(&cli, nargs, args);
    free(args);
    if (sc_close(cli.db) != SC_OK && status == 0)
        status = EXIT_DB;
    return status;
}
