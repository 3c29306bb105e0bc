/*
 * race.c - processes (8 unless told) record the same new patterns at the
 * same time, and an application of each, on a file or a PostgreSQL
 * database.  The Python store's read-then-insert lost counts and raised
 * UNIQUE errors here; ours must see no error, count every sighting and
 * every application, and leave each pattern scored from the counts and
 * applications it ends with.  Given a command that restarts
 * the server, it runs it in the middle and checks that nothing committed
 * is lost.
 *
 *   race TARGET [NPROC NPATTERNS ROUNDS [RESTART-COMMAND]]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "learnstore.h"

/* The default shape: NPROC processes, ROUNDS passes each over
 * NPATTERNS names. */
static int nproc = 8, npatterns = 20, rounds = 25;
static const char *file;
static const char *restart;     /* a command that restarts the server */

/* Sleep ms milliseconds. */
static void
pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* Set in a process when the parent has restarted the server. */
static volatile sig_atomic_t restarted;

static void
on_restarted(int sig)
{
    (void)sig;
    restarted = 1;
}

/* What one process saw. */
struct tally {
    long ok, io, other;
    long applied;       /* applications recorded (without a restart) */
};

/* Record an application of pattern id, a success or not by turns. */
static void
apply_once(sc_db *db, int k, const char *id, struct tally *t)
{
    bool recorded;
    int rc = ls_record_pattern_application(db, id, "race",
                                           (t->ok + k) % 2 == 0, 0, 0, NULL,
                                           &recorded, NULL);

    if (rc == SC_OK && recorded) {
        t->applied++;
    } else {
        fprintf(stderr, "child %d: application: %s\n", k, sc_errmsg(db));
        t->other++;
    }
}

/*
 * One process: rounds passes over the patterns, starting at a different
 * pattern each so the processes collide on every one of them.  Writes
 * its tally to fd.  With restart set it keeps going until the parent
 * says the server has restarted, then makes rounds more passes, so that
 * every process works through the restart: a call then may fail with
 * SC_IO, the process waits a little and goes on, and the next call
 * reconnects.
 */
static int
child(int k, int fd, int started)
{
    struct tally t = { 0, 0, 0, 0 };
    sc_db *db = NULL;
    int r, i, rc;
    char name[32], id[LS_HASH_HEX];

    /* An open the restart cuts off is tried again, for up to 30 s. */
    for (r = 0; (rc = ls_open(&db, file)) == SC_IO && restart != NULL
         && r < 600; r++) {
        sc_close(db);
        db = NULL;
        pause_ms(50);
    }
    if (rc != SC_OK) {
        fprintf(stderr, "child %d: %s\n", k, sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    for (r = 0; r < rounds; r++) {
        if (restart != NULL && !restarted)
            r = 0;
        for (i = 0; i < npatterns; i++) {
            struct ls_pattern_input in = { .pattern_type = "race",
                                           .pattern_name = name };
            snprintf(name, sizeof(name), "pattern %d", (i + k) % npatterns);
            rc = ls_record_pattern(db, &in, id);
            if (rc == SC_OK) {
                /* The parent restarts the server once every process
                 * has got this far. */
                if (t.ok++ == 0 && started >= 0
                    && write(started, "", 1) != 1)
                    t.other++;
                if (restart == NULL)
                    apply_once(db, k, id, &t);
            } else if (rc == SC_IO && restart != NULL) {
                t.io++;
                pause_ms(50);
            } else {
                fprintf(stderr, "child %d: %s\n", k, sc_errmsg(db));
                t.other++;
            }
        }
    }
    sc_close(db);
    return write(fd, &t, sizeof(t)) == (ssize_t)sizeof(t) ? 0 : 1;
}

/* The sum of the patterns' occurrence counts and of their applications'
 * counts, and how many are off the exact count (when every call
 * succeeded). */
struct counts {
    long sum, applied;
    int bad;
    long want;      /* each pattern's exact count; 0: not checked */
};

static int
check_count(const struct learning_patterns *p, void *arg)
{
    struct counts *c = arg;
    long applied = (long)(p->led_to_success_count + p->led_to_failure_count);

    c->sum += p->occurrence_count;
    c->applied += applied;
    if (c->want > 0 && (p->occurrence_count != c->want
                        || applied != c->want)) {
        printf("     %s: occurrence_count %lld, applications %ld, "
               "expected %ld\n", p->pattern_name,
               (long long)p->occurrence_count, applied, c->want);
        c->bad++;
    }
    return 0;
}

/* Each pattern's id and stored effectiveness. */
struct scored {
    char (*id)[LS_HASH_HEX];
    double *eff;
    int n, cap;
};

static int
keep_scored(const struct learning_patterns *p, void *arg)
{
    struct scored *s = arg;

    if (s->n < s->cap && strlen(p->id) < LS_HASH_HEX) {
        strcpy(s->id[s->n], p->id);
        s->eff[s->n++] = p->effectiveness_score;
    }
    return 0;
}

/*
 * Each pattern's stored effectiveness is the one its counts and last
 * applications give: the last writer scored it from all that the others
 * committed (a writer that read the counts before another raised them
 * would leave a score off them).  Rescoring now must find the same.
 */
static void
check_scored(sc_db *db)
{
    struct scored s = { calloc((size_t)npatterns, LS_HASH_HEX),
                        calloc((size_t)npatterns, sizeof(double)), 0,
                        npatterns };
    double eff;
    int i;

    CHECK(s.id != NULL && s.eff != NULL);
    if (s.id != NULL && s.eff != NULL)
        CHECK_INT(learning_patterns_select(db, NULL, NULL, 0, -1, 0,
                                           keep_scored, &s), SC_OK);
    CHECK_INT(s.n, npatterns);
    for (i = 0; i < s.n; i++) {
        CHECK_INT(ls_update_pattern_effectiveness(db, s.id[i], &eff), SC_OK);
        if (eff != s.eff[i])
            printf("     %s: effectiveness %.17g, rescored %.17g\n",
                   s.id[i], s.eff[i], eff);
        CHECK(eff == s.eff[i]);
    }
    free(s.id);
    free(s.eff);
}

/*
 * Every process records every pattern rounds times at once.  Without a
 * restart no call may fail and every count is exact.  With one (the
 * parent runs the command while the processes work, and tells them when
 * it is done), calls may fail with
 * SC_IO and nothing else; nothing a call reported committed is lost, and
 * nothing is counted that no call made: the sum of the counts lies
 * between the calls that succeeded and those plus the SC_IO ones.
 */
static void
test_concurrent_record_pattern(void)
{
    struct tally all = { 0, 0, 0, 0 }, t;
    struct counts c = { 0, 0, 0, 0 };
    pid_t *pids = calloc((size_t)nproc, sizeof(*pids));
    int k, status, failures = 0, fds[2], go[2];
    char byte;
    int64_t n;
    sc_db *db = NULL;

    if (pids == NULL || pipe(fds) != 0 || pipe(go) != 0) {
        T_FAIL("no memory or pipe");
        free(pids);
        return;
    }
    signal(SIGUSR1, on_restarted);
    for (k = 0; k < nproc; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            int status_k;
            close(fds[0]);
            close(go[0]);
            /* The child's copy of the parent's memory is its own to
             * free (valgrind checks each process). */
            free(pids);
            status_k = child(k, fds[1], restart != NULL ? go[1] : -1);
            _exit(status_k);
        }
    }
    close(fds[1]);
    close(go[1]);
    if (restart != NULL) {
        /* Every process is recording before the server goes away. */
        for (k = 0; k < nproc && read(go[0], &byte, 1) == 1; k++)
            ;
        CHECK_INT(k, nproc);
        CHECK_INT(system(restart), 0);
        for (k = 0; k < nproc; k++)
            if (pids[k] > 0)
                kill(pids[k], SIGUSR1);
    }
    for (k = 0; k < nproc; k++) {
        if (read(fds[0], &t, sizeof(t)) == (ssize_t)sizeof(t)) {
            all.ok += t.ok;
            all.io += t.io;
            all.other += t.other;
            all.applied += t.applied;
        }
    }
    close(fds[0]);
    close(go[0]);
    for (k = 0; k < nproc; k++) {
        if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status)
            || WEXITSTATUS(status) != 0)
            failures++;
    }
    free(pids);
    CHECK_INT(failures, 0);
    CHECK_INT(all.other, 0);
    if (restart == NULL)
        CHECK_INT(all.ok + all.io + all.other,
                  (long)nproc * npatterns * rounds);
    CHECK_INT(ls_open(&db, file), SC_OK);
    CHECK_INT(learning_patterns_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, npatterns);
    if (restart == NULL)
        c.want = (long)nproc * rounds;
    CHECK_INT(learning_patterns_select(db, NULL, NULL, 0, -1, 0, check_count,
                                       &c), SC_OK);
    CHECK_INT(c.bad, 0);
    CHECK(c.sum >= all.ok && c.sum <= all.ok + all.io);
    if (restart == NULL) {
        CHECK_INT(c.applied, all.applied);
        CHECK_INT(all.applied, (long)nproc * npatterns * rounds);
        check_scored(db);
    }
    if (restart != NULL) {
        /* The restart must have been felt, or this proved nothing. */
        CHECK(all.io > 0);
        printf("     %ld calls: %ld recorded, %ld SC_IO in the restart; "
               "%ld counted\n", all.ok + all.io, all.ok, all.io, c.sum);
    }
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_concurrent_record_pattern),
};

int
main(int argc, char **argv)
{
    if (argc != 2 && argc != 5 && argc != 6) {
        fprintf(stderr, "usage: race TARGET [NPROC NPATTERNS ROUNDS "
                "[RESTART-COMMAND]]\n");
        return 2;
    }
    file = argv[1];
    if (argc >= 5) {
        nproc = atoi(argv[2]);
        npatterns = atoi(argv[3]);
        rounds = atoi(argv[4]);
        if (nproc < 1 || npatterns < 1 || rounds < 1) {
            fprintf(stderr, "race: NPROC, NPATTERNS and ROUNDS must be "
                    "positive\n");
            return 2;
        }
    }
    if (argc == 6)
        restart = argv[5];
    return T_RUN_ALL(tests);
}
