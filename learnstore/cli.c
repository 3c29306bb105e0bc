/*
 * cli.c - learnstore, the command-line face of the learning store: create,
 * inspect, record and clear, with human-readable tables or --json.
 *
 * Exit status: 0 success, 1 a database error, 2 a usage error, 3 not
 * found, 4 the file was refused (not a database, or a newer or foreign
 * schema).  Errors go to stderr.
 */
#include "learnstore.h"
#include "internal.h"
#include "listing.h"
#include "progress.h"
#include "../common/wholefile.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <sqlite3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_DB = 1, EXIT_USAGE = 2, EXIT_NOTFOUND = 3, EXIT_REFUSED = 4 };

/* Options every command shares, and the listing being printed. */
struct cli {
    const char *db_path;    /* --db, else $LEARNSTORE_DB, else the default */
    bool json;
    sc_db *db;
    struct listing list;
    struct progress progress;   /* drawn only on a terminal */
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

/* Open the store for a command, a migration's steps on the progress
 * line. */
static int
open_store(struct cli *cli, const char *cmd)
{
    sc_opts opts = { .progress = progress_runtime,
                     .progress_arg = &cli->progress };
    int rc = ls_open_opts(&cli->db, cli->db_path, &opts);

    /* A failed migration stops short of the end, which erases the line. */
    progress_clear(&cli->progress);
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
    OPT_FLAG("exclude-quarantined"), OPT_FLAG("why"),
    OPT_VALUE("min-observations"), OPT_COMMON
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
static const struct option export_opts[] = {
    OPT_VALUE("output"), OPT_COMMON
};
static const struct option copy_opts[] = {
    OPT_VALUE("from"), OPT_VALUE("to"), OPT_FLAG("replace"), OPT_COMMON
};

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

static int stats_learning(struct cli *cli);
static int patterns_why(struct cli *cli, int64_t min_observations,
                        int64_t limit);

/* stats: rows per data table, the version and the file size, then the
 * execution statistics and the hours that went well. */
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
    /* A PostgreSQL store has no file (and a size of 0). */
    file = sc_sqlite(cli->db) ? sqlite3_db_filename(sc_sqlite(cli->db),
                                                    "main") : NULL;
    if (file == NULL || stat(file, &sb) != 0)
        sb.st_size = 0;
    if (cli->json)
        printf("}, \"version\": %d, \"file_size\": %lld",
               sc_version(cli->db), (long long)sb.st_size);
    else
        printf("version %d, file size %lld bytes\n", sc_version(cli->db),
               (long long)sb.st_size);
    if ((status = stats_learning(cli)) != 0)
        return status;
    if (cli->json)
        printf("}\n");
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
    int64_t min_observations = 1;
    bool why = false;
    int i, status, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "--type") == 0 || strcmp(a, "--instrument") == 0
            || strcmp(a, "--min-priority") == 0 || strcmp(a, "--tag") == 0
            || strcmp(a, "--limit") == 0
            || strcmp(a, "--min-observations") == 0) {
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
        else if (strcmp(a, "--why") == 0)
            why = true;
        else if (strcmp(a, "--min-observations") == 0) {
            if (parse_int(v, &min_observations) != 0)
                return usage_error("patterns", "bad number '%s'", v);
        } else
            return usage_error("patterns", "unknown option '%s'", a);
    }
    if (why)
        return patterns_why(cli, min_observations, f.limit);
    f.context_tags = tags;
    if ((status = open_store(cli, "patterns")) != 0)
        return status;
    listing_begin(&cli->list, stdout, &learning_patterns_table, show,
                  cli->json);
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
    listing_begin(&cli->list, stdout, &learning_executions_table, show,
                  cli->json);
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
    listing_begin(&cli->list, stdout, &learning_rate_limit_events_table,
                  show, cli->json);
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
    rc = sc_clear_all(cli->db);
    progress_clear(&cli->progress);
    if (rc != SC_OK)
        return db_failure(cli, "clear", rc);
    printf(cli->json ? "{\"cleared\": true}\n" : "cleared\n");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reports: statistics, why, drift, entropy, budget; the lifecycle     */
/* ------------------------------------------------------------------ */

/* Print x as json.dumps writes a float. */
static void
json_real(double x)
{
    struct lsi_buf b = LSI_BUF_INIT;

    lsi_buf_json_real(&b, x);
    fputs(b.p != NULL ? b.p : "null", stdout);
    lsi_buf_fini(&b);
}

/* Print s as a JSON string (null for NULL). */
static void
json_text(const char *s)
{
    struct lsi_buf b = LSI_BUF_INIT;

    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    lsi_buf_json_string(&b, s);
    fputs(b.p != NULL ? b.p : "null", stdout);
    lsi_buf_fini(&b);
}

/* Print n strings as a JSON list. */
static void
json_texts(char *const *v, size_t n)
{
    size_t i;

    putchar('[');
    for (i = 0; i < n; i++) {
        fputs(i ? ", " : "", stdout);
        json_text(v[i]);
    }
    putchar(']');
}

/* Print n hours as a JSON list, or as text "20:00, 21:00" ("none"). */
static void
print_hours(const int64_t *v, size_t n, bool json)
{
    size_t i;

    if (json)
        putchar('[');
    for (i = 0; i < n; i++)
        printf(json ? "%s%lld" : "%s%02lld:00", i ? ", " : "",
               (long long)v[i]);
    if (json)
        putchar(']');
    else if (n == 0)
        fputs("none", stdout);
}

/* The execution statistics and the optimal window of the stats
 * command, after the table counts (text) or as two more members of its
 * JSON object. */
static int
stats_learning(struct cli *cli)
{
    struct ls_execution_stats s;
    struct ls_execution_window w;
    int rc;

    if ((rc = ls_get_execution_stats(cli->db, &s)) != SC_OK
        || (rc = ls_get_optimal_execution_window(cli->db, NULL, &w))
           != SC_OK)
        return db_failure(cli, "stats", rc);
    if (cli->json) {
        printf(", \"execution_stats\": {\"total_executions\": %lld, "
               "\"success_without_retry_rate\": ",
               (long long)s.total_executions);
        json_real(s.success_without_retry_rate);
        printf(", \"total_patterns\": %lld, \"avg_pattern_effectiveness\": ",
               (long long)s.total_patterns);
        json_real(s.avg_pattern_effectiveness);
        printf(", \"total_error_recoveries\": %lld, \"unique_workspaces\": "
               "%lld}, \"optimal_window\": {\"optimal_hours\": ",
               (long long)s.total_error_recoveries,
               (long long)s.unique_workspaces);
        print_hours(w.optimal_hours, w.noptimal, true);
        fputs(", \"avoid_hours\": ", stdout);
        print_hours(w.avoid_hours, w.navoid, true);
        fputs(", \"confidence\": ", stdout);
        json_real(w.confidence);
        printf(", \"sample_count\": %lld}", (long long)w.sample_count);
    } else {
        printf("executions: %lld (first-attempt success %.1f%%)\n"
               "patterns: %lld (mean effectiveness %.3f)\n"
               "error recoveries: %lld\nunique workspaces: %lld\n"
               "optimal hours: ", (long long)s.total_executions,
               s.success_without_retry_rate * 100,
               (long long)s.total_patterns, s.avg_pattern_effectiveness,
               (long long)s.total_error_recoveries,
               (long long)s.unique_workspaces);
        print_hours(w.optimal_hours, w.noptimal, false);
        fputs("; avoid hours: ", stdout);
        print_hours(w.avoid_hours, w.navoid, false);
        printf(" (confidence %.2f from %lld samples)\n", w.confidence,
               (long long)w.sample_count);
    }
    ls_execution_window_free(&w);
    return 0;
}

/* Print one pattern's analysis: a JSON object, or indented lines. */
static void
print_why(const struct learning_patterns *p, const struct ls_why *w,
          bool json, bool first)
{
    size_t i;

    if (json) {
        fputs(first ? "[\n  {\"id\": " : ",\n  {\"id\": ", stdout);
        json_text(p->id);
        fputs(", \"pattern_name\": ", stdout);
        json_text(w->pattern_name);
        fputs(", \"pattern_type\": ", stdout);
        json_text(w->pattern_type);
        printf(", \"has_factors\": %s, \"trust_score\": ",
               w->has_factors ? "true" : "false");
        json_real(w->trust_score);
        fputs(", \"effectiveness_score\": ", stdout);
        json_real(w->effectiveness_score);
        fputs(", \"factors_summary\": ", stdout);
        json_text(w->factors_summary);
        fputs(", \"key_conditions\": ", stdout);
        json_texts(w->key_conditions, w->nkey_conditions);
        fputs(", \"confidence\": ", stdout);
        json_real(w->confidence);
        fputs(", \"recommendations\": ", stdout);
        json_texts(w->recommendations, w->nrecommendations);
        if (w->has_observations) {
            printf(", \"observation_count\": %lld, \"success_rate\": ",
                   (long long)w->observation_count);
            json_real(w->success_rate);
        }
        putchar('}');
        return;
    }
    printf("%s  %s  observations %lld  success rate %.2f  confidence "
           "%.2f\n  why: %s\n", p->id, w->pattern_name,
           (long long)w->observation_count, w->success_rate, w->confidence,
           w->factors_summary);
    for (i = 0; i < w->nkey_conditions; i++)
        printf("  - %s\n", w->key_conditions[i]);
    for (i = 0; i < w->nrecommendations; i++)
        printf("  > %s\n", w->recommendations[i]);
}

/* The patterns --why listing so far. */
struct why_list {
    bool json;
    size_t n;
};

/* Print one pattern with its analysis (a callback). */
static int
each_why(const struct learning_patterns *p, const struct ls_why *w,
         void *arg)
{
    struct why_list *x = arg;

    print_why(p, w, x->json, x->n == 0);
    x->n++;
    return 0;
}

/* patterns --why: patterns with success factors and why they work. */
static int
patterns_why(struct cli *cli, int64_t min_observations, int64_t limit)
{
    struct why_list x = { cli->json, 0 };
    int status, rc;

    if ((status = open_store(cli, "patterns")) != 0)
        return status;
    rc = ls_get_patterns_with_why(cli->db, min_observations, limit,
                                  each_why, &x);
    if (rc != SC_OK)
        return db_failure(cli, "patterns", rc);
    if (cli->json)
        fputs(x.n > 0 ? "\n]\n" : "[]\n", stdout);
    else
        printf("(%zu pattern%s with success factors)\n", x.n,
               x.n == 1 ? "" : "s");
    return 0;
}

/* Print an effectiveness drift as a JSON object or one text line. */
static void
print_drift(const struct ls_drift *d, bool json)
{
    if (!json) {
        printf("  %s  %s  %.3f -> %.3f  magnitude %.3f %s  grounding %.2f  "
               "%lld applications\n", d->pattern_id, d->pattern_name,
               d->effectiveness_before, d->effectiveness_after,
               d->drift_magnitude, d->drift_direction,
               d->grounding_confidence_avg,
               (long long)d->applications_analyzed);
        return;
    }
    fputs("{\"pattern_id\": ", stdout);
    json_text(d->pattern_id);
    fputs(", \"pattern_name\": ", stdout);
    json_text(d->pattern_name);
    printf(", \"window_size\": %lld, \"effectiveness_before\": ",
           (long long)d->window_size);
    json_real(d->effectiveness_before);
    fputs(", \"effectiveness_after\": ", stdout);
    json_real(d->effectiveness_after);
    fputs(", \"grounding_confidence_avg\": ", stdout);
    json_real(d->grounding_confidence_avg);
    fputs(", \"drift_magnitude\": ", stdout);
    json_real(d->drift_magnitude);
    printf(", \"drift_direction\": \"%s\", \"applications_analyzed\": %lld, "
           "\"threshold_exceeded\": %s}", d->drift_direction,
           (long long)d->applications_analyzed,
           d->threshold_exceeded ? "true" : "false");
}

/* Print an epistemic drift as a JSON object or one text line. */
static void
print_epistemic(const struct ls_epistemic_drift *d, bool json)
{
    if (!json) {
        printf("  %s  %s  %.3f -> %.3f  change %+.3f %s  entropy %.3f\n",
               d->pattern_id, d->pattern_name, d->confidence_before,
               d->confidence_after, d->belief_change, d->drift_direction,
               d->belief_entropy);
        return;
    }
    fputs("{\"pattern_id\": ", stdout);
    json_text(d->pattern_id);
    fputs(", \"pattern_name\": ", stdout);
    json_text(d->pattern_name);
    printf(", \"window_size\": %lld, \"confidence_before\": ",
           (long long)d->window_size);
    json_real(d->confidence_before);
    fputs(", \"confidence_after\": ", stdout);
    json_real(d->confidence_after);
    fputs(", \"belief_change\": ", stdout);
    json_real(d->belief_change);
    fputs(", \"belief_entropy\": ", stdout);
    json_real(d->belief_entropy);
    printf(", \"applications_analyzed\": %lld, \"threshold_exceeded\": %s, "
           "\"drift_direction\": \"%s\"}",
           (long long)d->applications_analyzed,
           d->threshold_exceeded ? "true" : "false", d->drift_direction);
}

static const struct option drift_opts[] = {
    OPT_VALUE("window"), OPT_VALUE("threshold"),
    OPT_VALUE("epistemic-threshold"), OPT_VALUE("limit"), OPT_COMMON
};

/* drift: both kinds of drift, their summaries and the drifting
 * patterns. */
static int
cmd_drift(struct cli *cli, int argc, char **argv)
{
    struct ls_drift_summary s;
    struct ls_epistemic_summary es;
    struct ls_drift *d = NULL;
    struct ls_epistemic_drift *e = NULL;
    double threshold = 0.2, ethreshold = 0.15;
    int64_t window = 5, limit = 20;
    size_t nd = 0, ne = 0, i;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        const char *a = argv[k], *v;
        if (strcmp(a, "--window") != 0 && strcmp(a, "--limit") != 0
            && strcmp(a, "--threshold") != 0
            && strcmp(a, "--epistemic-threshold") != 0)
            return usage_error("drift", "unexpected argument '%s'", a);
        if ((v = option_value(argc, argv, &k)) == NULL)
            return usage_error("drift", "'%s' needs a value", a);
        if ((strcmp(a, "--window") == 0
             && (parse_int(v, &window) != 0 || window < 1))
            || (strcmp(a, "--limit") == 0
                && (parse_int(v, &limit) != 0 || limit < 0))
            || (strcmp(a, "--threshold") == 0
                && parse_real(v, &threshold) != 0)
            || (strcmp(a, "--epistemic-threshold") == 0
                && parse_real(v, &ethreshold) != 0))
            return usage_error("drift", "bad number '%s'", v);
    }
    if ((status = open_store(cli, "drift")) != 0)
        return status;
    if ((rc = ls_get_pattern_drift_summary(cli->db, &s)) != SC_OK)
        return db_failure(cli, "drift", rc);
    if ((rc = ls_get_epistemic_drift_summary(cli->db, &es)) != SC_OK
        || (rc = ls_get_drifting_patterns(cli->db, threshold, window, limit,
                                          &d, &nd)) != SC_OK
        || (rc = ls_get_epistemic_drifting_patterns(cli->db, ethreshold,
                                                    window, limit, &e, &ne))
           != SC_OK) {
        ls_drift_summary_free(&s);
        ls_epistemic_summary_free(&es);
        ls_drifts_free(d, nd);
        return db_failure(cli, "drift", rc);
    }
    if (cli->json) {
        printf("{\"effectiveness\": {\"summary\": {\"total_patterns\": %lld, "
               "\"patterns_analyzed\": %lld, \"patterns_drifting\": %lld, "
               "\"avg_drift_magnitude\": ", (long long)s.total_patterns,
               (long long)s.patterns_analyzed,
               (long long)s.patterns_drifting);
        json_real(s.avg_drift_magnitude);
        fputs(", \"most_drifted\": ", stdout);
        json_text(s.most_drifted);
        fputs("}, \"drifting\": [", stdout);
        for (i = 0; i < nd; i++) {
            fputs(i ? ", " : "", stdout);
            print_drift(&d[i], true);
        }
        printf("]}, \"epistemic\": {\"summary\": {\"total_patterns\": %lld, "
               "\"patterns_analyzed\": %lld, "
               "\"patterns_with_epistemic_drift\": %lld, "
               "\"avg_belief_change\": ", (long long)es.total_patterns,
               (long long)es.patterns_analyzed,
               (long long)es.patterns_with_epistemic_drift);
        json_real(es.avg_belief_change);
        fputs(", \"avg_belief_entropy\": ", stdout);
        json_real(es.avg_belief_entropy);
        fputs(", \"most_unstable\": ", stdout);
        json_text(es.most_unstable);
        fputs("}, \"drifting\": [", stdout);
        for (i = 0; i < ne; i++) {
            fputs(i ? ", " : "", stdout);
            print_epistemic(&e[i], true);
        }
        fputs("]}}\n", stdout);
    } else {
        printf("effectiveness drift: %lld patterns, %lld analysed, %lld "
               "drifting, mean magnitude %.3f, most drifted %s\n",
               (long long)s.total_patterns, (long long)s.patterns_analyzed,
               (long long)s.patterns_drifting, s.avg_drift_magnitude,
               s.most_drifted ? s.most_drifted : "-");
        for (i = 0; i < nd; i++)
            print_drift(&d[i], false);
        printf("epistemic drift: %lld patterns, %lld analysed, %lld "
               "drifting, mean change %+.3f, mean entropy %.3f, most "
               "unstable %s\n", (long long)es.total_patterns,
               (long long)es.patterns_analyzed,
               (long long)es.patterns_with_epistemic_drift,
               es.avg_belief_change, es.avg_belief_entropy,
               es.most_unstable ? es.most_unstable : "-");
        for (i = 0; i < ne; i++)
            print_epistemic(&e[i], false);
    }
    ls_drift_summary_free(&s);
    ls_epistemic_summary_free(&es);
    ls_drifts_free(d, nd);
    ls_epistemic_drifts_free(e, ne);
    return 0;
}

/* Print one entropy history row (a callback). */
static int
each_entropy(const struct learning_pattern_entropy_history *h, void *arg)
{
    size_t *n = arg;

    if (current->json) {
        fputs(*n ? ", {\"calculated_at\": " : "{\"calculated_at\": ", stdout);
        json_text(h->calculated_at);
        fputs(", \"shannon_entropy\": ", stdout);
        json_real(h->shannon_entropy);
        fputs(", \"diversity_index\": ", stdout);
        json_real(h->diversity_index);
        printf(", \"unique_pattern_count\": %lld, "
               "\"effective_pattern_count\": %lld, \"total_applications\": "
               "%lld, \"dominant_pattern_share\": ",
               (long long)h->unique_pattern_count,
               (long long)h->effective_pattern_count,
               (long long)h->total_applications);
        json_real(h->dominant_pattern_share);
        printf(", \"threshold_exceeded\": %s}",
               h->has_threshold_exceeded && h->threshold_exceeded
               ? "true" : "false");
    } else {
        printf("  %s  entropy %.3f  diversity %.3f  %lld of %lld patterns "
               "applied%s\n", h->calculated_at, h->shannon_entropy,
               h->diversity_index, (long long)h->effective_pattern_count,
               (long long)h->unique_pattern_count,
               h->has_threshold_exceeded && h->threshold_exceeded
               ? "  (below threshold)" : "");
    }
    (*n)++;
    return 0;
}

static const struct option entropy_opts[] = {
    OPT_VALUE("threshold"), OPT_VALUE("history"), OPT_VALUE("job"),
    OPT_VALUE("cooldown"), OPT_FLAG("record"), OPT_COMMON
};

/* entropy: the current entropy of applications over patterns, whether a
 * response is needed, and the history (--record adds now to it). */
static int
cmd_entropy(struct cli *cli, int argc, char **argv)
{
    struct ls_pattern_entropy m;
    struct ls_entropy_check c;
    const char *job = NULL;
    char job_hash[LS_HASH_HEX] = "";
    double threshold = 0.3, cooldown = 3600;
    int64_t history = 10;
    bool record = false;
    size_t n = 0;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        const char *a = argv[k], *v;
        if (strcmp(a, "--record") == 0) {
            record = true;
            continue;
        }
        if (strcmp(a, "--job") != 0 && strcmp(a, "--threshold") != 0
            && strcmp(a, "--cooldown") != 0 && strcmp(a, "--history") != 0)
            return usage_error("entropy", "unexpected argument '%s'", a);
        if ((v = option_value(argc, argv, &k)) == NULL)
            return usage_error("entropy", "'%s' needs a value", a);
        if (strcmp(a, "--job") == 0)
            job = v;
        else if ((strcmp(a, "--threshold") == 0
                  && parse_real(v, &threshold) != 0)
                 || (strcmp(a, "--cooldown") == 0
                     && parse_real(v, &cooldown) != 0)
                 || (strcmp(a, "--history") == 0
                     && (parse_int(v, &history) != 0 || history < 0)))
            return usage_error("entropy", "bad number '%s'", v);
    }
    if (job != NULL && ls_hash_job(job, NULL, job_hash) != SC_OK)
        return usage_error("entropy", "bad job '%s'", job);
    if ((status = open_store(cli, "entropy")) != 0)
        return status;
    if ((rc = ls_calculate_pattern_entropy(cli->db, &m)) != SC_OK
        || (rc = ls_check_entropy_response_needed(cli->db, job_hash,
                                                  threshold, cooldown, &c))
           != SC_OK)
        return db_failure(cli, "entropy", rc);
    m.threshold_exceeded = m.total_applications > 0
                           && m.diversity_index < threshold;
    if (record && (rc = ls_record_pattern_entropy(cli->db, &m, NULL))
                  != SC_OK)
        return db_failure(cli, "entropy", rc);
    if (cli->json) {
        fputs("{\"current\": {\"calculated_at\": ", stdout);
        json_text(m.calculated_at);
        fputs(", \"shannon_entropy\": ", stdout);
        json_real(m.shannon_entropy);
        fputs(", \"max_possible_entropy\": ", stdout);
        json_real(m.max_possible_entropy);
        fputs(", \"diversity_index\": ", stdout);
        json_real(m.diversity_index);
        printf(", \"unique_pattern_count\": %lld, "
               "\"effective_pattern_count\": %lld, \"total_applications\": "
               "%lld, \"dominant_pattern_share\": ",
               (long long)m.unique_pattern_count,
               (long long)m.effective_pattern_count,
               (long long)m.total_applications);
        json_real(m.dominant_pattern_share);
        printf("}, \"response_needed\": %s, \"entropy\": ",
               c.needed ? "true" : "false");
        if (c.has_entropy)
            json_real(c.entropy);
        else
            fputs("null", stdout);
        fputs(", \"reason\": ", stdout);
        json_text(c.reason);
        fputs(", \"history\": [", stdout);
    } else {
        printf("entropy %.3f bits of %.3f, diversity %.3f; %lld of %lld "
               "patterns applied, %lld applications, dominant share %.3f\n"
               "response %s: %s\nhistory:\n", m.shannon_entropy,
               m.max_possible_entropy, m.diversity_index,
               (long long)m.effective_pattern_count,
               (long long)m.unique_pattern_count,
               (long long)m.total_applications, m.dominant_pattern_share,
               c.needed ? "needed" : "not needed", c.reason);
    }
    rc = ls_get_pattern_entropy_history(cli->db, history, each_entropy, &n);
    if (rc != SC_OK)
        return db_failure(cli, "entropy", rc);
    if (cli->json)
        fputs("]}\n", stdout);
    else if (n == 0)
        fputs("  (none)\n", stdout);
    return 0;
}

/* Print one budget record (a callback). */
static int
each_budget(const struct learning_exploration_budget *b, void *arg)
{
    size_t *n = arg;

    if (current->json) {
        fputs(*n ? ", {\"recorded_at\": " : "{\"recorded_at\": ", stdout);
        json_text(b->recorded_at);
        fputs(", \"job_hash\": ", stdout);
        json_text(b->job_hash);
        fputs(", \"budget_value\": ", stdout);
        json_real(b->budget_value);
        fputs(", \"entropy_at_time\": ", stdout);
        if (b->has_entropy_at_time)
            json_real(b->entropy_at_time);
        else
            fputs("null", stdout);
        fputs(", \"adjustment_type\": ", stdout);
        json_text(b->adjustment_type);
        fputs(", \"adjustment_reason\": ", stdout);
        json_text(b->adjustment_reason);
        putchar('}');
    } else {
        printf("  %s  %.3f  %s  %s\n", b->recorded_at, b->budget_value,
               b->adjustment_type,
               b->adjustment_reason ? b->adjustment_reason : "");
    }
    (*n)++;
    return 0;
}

static const struct option budget_opts[] = {
    OPT_VALUE("job"), OPT_VALUE("history"), OPT_COMMON
};

/* budget: the exploration budget now, its statistics and history. */
static int
cmd_budget(struct cli *cli, int argc, char **argv)
{
    struct ls_budget_stats s;
    const char *job = NULL;
    char job_hash[LS_HASH_HEX] = "";
    int64_t history = 10;
    size_t n = 0;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        const char *a = argv[k], *v;
        if (strcmp(a, "--job") != 0 && strcmp(a, "--history") != 0)
            return usage_error("budget", "unexpected argument '%s'", a);
        if ((v = option_value(argc, argv, &k)) == NULL)
            return usage_error("budget", "'%s' needs a value", a);
        if (strcmp(a, "--job") == 0)
            job = v;
        else if (parse_int(v, &history) != 0 || history < 0)
            return usage_error("budget", "bad number '%s'", v);
    }
    if (job != NULL && ls_hash_job(job, NULL, job_hash) != SC_OK)
        return usage_error("budget", "bad job '%s'", job);
    if ((status = open_store(cli, "budget")) != 0)
        return status;
    if ((rc = ls_get_exploration_budget_statistics(cli->db, job_hash, &s))
        != SC_OK)
        return db_failure(cli, "budget", rc);
    if (cli->json) {
        fputs("{\"current_budget\": ", stdout);
        if (s.has_current_budget)
            json_real(s.current_budget);
        else
            fputs("null", stdout);
        fputs(", \"avg_budget\": ", stdout);
        json_real(s.avg_budget);
        fputs(", \"min_budget\": ", stdout);
        json_real(s.min_budget);
        fputs(", \"max_budget\": ", stdout);
        json_real(s.max_budget);
        printf(", \"total_adjustments\": %lld, \"floor_enforcements\": %lld, "
               "\"boost_count\": %lld, \"decay_count\": %lld, \"history\": [",
               (long long)s.total_adjustments,
               (long long)s.floor_enforcements, (long long)s.boost_count,
               (long long)s.decay_count);
    } else {
        if (s.has_current_budget)
            printf("current budget %.3f\n", s.current_budget);
        else
            printf("no budget recorded\n");
        printf("%lld adjustments: mean %.3f, min %.3f, max %.3f; %lld "
               "boosts, %lld decays, %lld floor enforcements\nhistory:\n",
               (long long)s.total_adjustments, s.avg_budget, s.min_budget,
               s.max_budget, (long long)s.boost_count,
               (long long)s.decay_count, (long long)s.floor_enforcements);
    }
    rc = ls_get_exploration_budget_history(cli->db, job_hash, history,
                                           each_budget, &n);
    if (rc != SC_OK)
        return db_failure(cli, "budget", rc);
    if (cli->json)
        fputs("]}\n", stdout);
    else if (n == 0)
        fputs("  (none)\n", stdout);
    return 0;
}

/* Print a list of ids of a promotion: JSON member or a text line. */
static void
print_ids(const char *what, char *const *v, size_t n, bool json, bool last)
{
    size_t i;

    if (json) {
        printf("\"%s\": ", what);
        json_texts(v, n);
        fputs(last ? "}\n" : ", ", stdout);
        return;
    }
    printf("%s %zu", what, n);
    for (i = 0; i < n; i++)
        printf("%s%s", i ? " " : ": ", v[i]);
    putchar('\n');
}

/* lifecycle promote: promote, quarantine or degrade by effectiveness. */
static int
cmd_lifecycle(struct cli *cli, int argc, char **argv)
{
    struct ls_promotion p;
    int status, rc;

    if (argc != 2 || strcmp(argv[1], "promote") != 0)
        return usage_error("lifecycle", "expected 'promote'%s", "");
    if ((status = open_store(cli, "lifecycle")) != 0)
        return status;
    if ((rc = ls_promote_ready_patterns(cli->db, &p)) != SC_OK)
        return db_failure(cli, "lifecycle", rc);
    if (cli->json)
        putchar('{');
    print_ids("promoted", p.promoted, p.npromoted, cli->json, false);
    print_ids("quarantined", p.quarantined, p.nquarantined, cli->json,
              false);
    print_ids("degraded", p.degraded, p.ndegraded, cli->json, true);
    ls_promotion_free(&p);
    return 0;
}

/* quarantine, validate, retire: one pattern's new status. */
static int
set_status(struct cli *cli, const char *cmd, int argc, char **argv)
{
    const char *id = NULL, *reason = NULL;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--reason") == 0 && strcmp(cmd, "quarantine")
            == 0 && k + 1 < argc)
            reason = argv[++k];
        else if (id == NULL)
            id = argv[k];
        else
            return usage_error(cmd, "unexpected argument '%s'", argv[k]);
    }
    if (id == NULL)
        return usage_error(cmd, "expected one pattern id%s", "");
    if ((status = open_store(cli, cmd)) != 0)
        return status;
    if (strcmp(cmd, "quarantine") == 0)
        rc = ls_quarantine_pattern(cli->db, id, reason);
    else if (strcmp(cmd, "validate") == 0)
        rc = ls_validate_pattern(cli->db, id);
    else
        rc = ls_retire_pattern(cli->db, id);
    if (rc == SC_NOTFOUND) {
        char msg[300];
        snprintf(msg, sizeof msg, "no pattern '%.200s'", id);
        print_error(cmd, msg, EXIT_NOTFOUND);
        return EXIT_NOTFOUND;
    }
    if (rc != SC_OK)
        return db_failure(cli, cmd, rc);
    if (cli->json) {
        fputs("{\"id\": ", stdout);
        json_text(id);
        printf(", \"quarantine_status\": \"%s\"}\n",
               strcmp(cmd, "quarantine") == 0 ? "quarantined"
               : strcmp(cmd, "validate") == 0 ? "validated" : "retired");
    } else {
        printf("%s %s\n", id, strcmp(cmd, "quarantine") == 0 ? "quarantined"
               : strcmp(cmd, "validate") == 0 ? "validated" : "retired");
    }
    return 0;
}

static const struct option quarantine_opts[] = {
    OPT_VALUE("reason"), OPT_COMMON
};

static int
cmd_quarantine(struct cli *cli, int argc, char **argv)
{
    return set_status(cli, "quarantine", argc, argv);
}

static int
cmd_validate(struct cli *cli, int argc, char **argv)
{
    return set_status(cli, "validate", argc, argv);
}

static int
cmd_retire(struct cli *cli, int argc, char **argv)
{
    return set_status(cli, "retire", argc, argv);
}

/* Hand any table's row to the listing (export). */
static int
each_row(const void *row, void *arg)
{
    (void)arg;
    listing_row(&current->list, row);
    return 0;
}

/*
 * Write the whole store to out as one JSON object: the schema version and
 * every table's rows, every column.  Written to a file, each table is
 * announced on the progress line first; written to the terminal, the
 * rows themselves show how far it has come, and the line would land
 * among them.  Returns an SC_* code (SC_NOMEM when a listing ran out of
 * memory).
 */
static int
export_to(struct cli *cli, FILE *out)
{
    const sc_schema *s = &learning_schema;
    size_t i;
    int rc = SC_OK;

    assert(cli->db != NULL && out != NULL);
    fprintf(out, "{\"schema_version\": %d, \"tables\": {",
            sc_version(cli->db));
    for (i = 0; rc == SC_OK && i < s->ntables; i++) {
        if (out != stdout)
            progress_show(&cli->progress, "exporting", "table", i,
                          s->ntables, s->tables[i]->name);
        fprintf(out, "%s\n\"%s\": ", i ? "," : "", s->tables[i]->name);
        listing_begin(&cli->list, out, s->tables[i], NULL, true);
        rc = sc_row_select(cli->db, s->tables[i], NULL, NULL, 0, -1, 0,
                           each_row, NULL);
        if (listing_end(&cli->list) != 0 && rc == SC_OK)
            rc = SC_NOMEM;
    }
    fputs("}}\n", out);
    progress_clear(&cli->progress);
    return rc;
}

/* Exit status 1 after saying that path could not be written, and why. */
static int
cannot_write(const char *path, int err)
{
    char msg[600];

    snprintf(msg, sizeof msg, "cannot write '%.400s': %s", path,
             strerror(err));
    print_error("export", msg, EXIT_DB);
    return EXIT_DB;
}

/*
 * True when path is the open SQLite store's file or one of its companions
 * (-wal, -shm, -journal), which an export must not replace.
 */
static bool
is_store_file(const struct cli *cli, const char *path)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    sqlite3 *conn = sc_sqlite(cli->db);
    const char *name;
    struct stat out, st;
    char buf[4200];
    size_t i;

    if (conn == NULL || stat(path, &out) != 0
        || (name = sqlite3_db_filename(conn, "main")) == NULL)
        return false;
    for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        if ((size_t)snprintf(buf, sizeof buf, "%s%s", name, suffix[i])
                < sizeof buf
            && stat(buf, &st) == 0 && st.st_dev == out.st_dev
            && st.st_ino == out.st_ino)
            return true;
    }
    return false;
}

/* export [--output FILE]: the whole store as one JSON object, on stdout
 * or in FILE (replaced only by a complete export). */
static int
cmd_export(struct cli *cli, int argc, char **argv)
{
    const char *path = NULL;
    struct wholefile out;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--output") == 0 && k + 1 < argc && !path)
            path = argv[++k];
        else
            return usage_error("export", "unexpected argument '%s'",
                               argv[k]);
    }
    if ((status = open_store(cli, "export")) != 0)
        return status;
    if (path == NULL) {
        rc = export_to(cli, stdout);
        return rc == SC_OK ? 0 : db_failure(cli, "export", rc);
    }
    if (is_store_file(cli, path))
        return usage_error("export", "'%s' is the store itself", path);
    if (wholefile_open(&out, path) != 0)
        return cannot_write(path, errno);
    if ((rc = export_to(cli, out.f)) != SC_OK) {
        wholefile_abort(&out);
        return db_failure(cli, "export", rc);
    }
    return wholefile_commit(&out) == 0 ? 0 : cannot_write(path, errno);
}

/* Print the copy's report: per table its rows and checksum, equal on
 * both sides (ls_copy() verified them), as a table or JSON. */
static void
print_copy(const struct cli *cli, const struct ls_copy_table *r, size_t n)
{
    size_t i;

    if (!cli->json)
        printf("%-26s %8s  %s\n", "table", "rows", "checksum");
    for (i = 0; i < n; i++) {
        if (cli->json)
            printf("%s\"%s\": {\"rows\": %lld, \"checksum\": "
                   "\"%016llx%016llx\"}", i ? ", " : "{\"tables\": {",
                   r[i].name, (long long)r[i].rows,
                   (unsigned long long)r[i].sum[0],
                   (unsigned long long)r[i].sum[1]);
        else
            printf("%-26s %8lld  %016llx%016llx\n", r[i].name,
                   (long long)r[i].rows, (unsigned long long)r[i].sum[0],
                   (unsigned long long)r[i].sum[1]);
    }
    if (cli->json)
        printf("%s, \"verified\": true}\n", n ? "}" : "{\"tables\": {}");
    else
        printf("copied and verified: every table's rows and checksum "
               "agree\n");
}

/* copy --from SRC --to DST [--replace]: the whole store from one file
 * or PostgreSQL database into another, verified before it commits. */
static int
cmd_copy(struct cli *cli, int argc, char **argv)
{
    struct ls_copy_table report[32];
    const char *from = NULL, *to = NULL;
    bool replace = false;
    sc_db *src = NULL;
    int k, status, rc;

    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--from") == 0 && k + 1 < argc && !from)
            from = argv[++k];
        else if (strcmp(argv[k], "--to") == 0 && k + 1 < argc && !to)
            to = argv[++k];
        else if (strcmp(argv[k], "--replace") == 0)
            replace = true;
        else
            return usage_error("copy", "unexpected argument '%s'", argv[k]);
    }
    if (from == NULL || to == NULL)
        return usage_error("copy", "both --from and --to are needed%s", "");
    if (learning_schema.ndata_tables > sizeof(report) / sizeof(report[0]))
        return usage_error("copy", "too many tables%s", "");
    cli->db_path = from;
    if ((status = open_store(cli, "copy")) != 0)
        return status;
    src = cli->db;
    cli->db = NULL;
    cli->db_path = to;
    status = open_store(cli, "copy");
    if (status == 0) {
        rc = ls_copy(src, cli->db, replace, report);
        status = rc == SC_OK ? 0 : db_failure(cli, "copy", rc);
        if (rc == SC_OK)
            print_copy(cli, report, learning_schema.ndata_tables);
    }
    sc_close(src);
    return status;
}

static const struct command commands[] = {
    { "init", cmd_init, "init\n"
      "  Create the database (or migrate it) and print its version.",
      no_opts },
    { "stats", cmd_stats, "stats\n"
      "  Rows per table, the schema version and the file size; the execution\n"
      "  statistics and the hours of day that went well or badly.",
      no_opts },
    { "patterns", cmd_patterns, "patterns [--type T] [--min-priority X] "
      "[--tag T]... [--limit N]\n"
      "         [--instrument I] [--include-inactive] "
      "[--exclude-quarantined]\n"
      "         [--why [--min-observations N]]\n"
      "  Patterns by priority, highest first (defaults: min priority "
      "0.01, limit 20);\n"
      "  --why: those with success factors and why they work.",
      patterns_opts },
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
    { "drift", cmd_drift, "drift [--window N] [--threshold X] "
      "[--epistemic-threshold X] [--limit N]\n"
      "  Effectiveness and epistemic drift: summaries and the drifting "
      "patterns\n  (defaults: window 5, thresholds 0.2 and 0.15, limit 20).",
      drift_opts },
    { "entropy", cmd_entropy, "entropy [--threshold X] [--job J] "
      "[--cooldown SECONDS] [--history N] [--record]\n"
      "  The entropy of applications over patterns, whether a response is "
      "needed,\n  and the history (defaults: 0.3, 3600, 10); --record adds "
      "now to the history.", entropy_opts },
    { "budget", cmd_budget, "budget [--job J] [--history N]\n"
      "  The exploration budget now, its statistics and history (10).",
      budget_opts },
    { "lifecycle", cmd_lifecycle, "lifecycle promote\n"
      "  Validate, quarantine or degrade patterns by their effectiveness.",
      no_opts },
    { "quarantine", cmd_quarantine, "quarantine PATTERN [--reason R]\n"
      "  Quarantine a pattern; exit 3 when there is none.",
      quarantine_opts },
    { "validate", cmd_validate, "validate PATTERN\n"
      "  Validate a pattern (its quarantine reason cleared).", no_opts },
    { "retire", cmd_retire, "retire PATTERN\n"
      "  Retire a pattern.", no_opts },
    { "export", cmd_export, "export [--output FILE]\n"
      "  The whole store as one JSON object: every table, every row; "
      "--output\n  writes it to FILE, replaced only by a whole export.",
      export_opts },
    { "copy", cmd_copy, "copy --from SRC --to DST [--replace]\n"
      "  Copy the whole store from SRC to DST, each a file or a PostgreSQL\n"
      "  database (postgresql://... or host=... dbname=...), in one\n"
      "  transaction of DST, committed only when every table's rows and\n"
      "  checksum read back equal; DST must be empty, unless --replace.",
      copy_opts },
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
    char *names;
    int n = 0, opt, idx;

    if (v == NULL) {
        print_error(c->name, "out of memory", EXIT_DB);
        return EXIT_DB;
    }
    names = (char *)(v + nptr);
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
    progress_init(&cli.progress, progress_wanted() ? stderr : NULL);
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
