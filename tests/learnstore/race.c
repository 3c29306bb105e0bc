/*
 * race.c - 8 processes record the same new patterns at the same time.
 * The Python store's read-then-insert lost counts and raised UNIQUE errors
 * here; ours must see no error and count every sighting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "learnstore.h"

#define NPROC 8
#define NPATTERNS 20
#define ROUNDS 25

static const char *file;

/* One process: ROUNDS passes over the patterns, starting at a different
 * pattern each so the processes collide on every one of them.  Exits with
 * the number of failed calls. */
static int
child(int k)
{
    sc_db *db = NULL;
    int failures = 0, r, i;
    char name[32], id[LS_HASH_HEX];

    if (ls_open(&db, file) != SC_OK) {
        fprintf(stderr, "child %d: %s\n", k, sc_errmsg(db));
        return 1;
    }
    for (r = 0; r < ROUNDS; r++) {
        for (i = 0; i < NPATTERNS; i++) {
            struct ls_pattern_input in = { .pattern_type = "race",
                                           .pattern_name = name };
            snprintf(name, sizeof(name), "pattern %d", (i + k) % NPATTERNS);
            if (ls_record_pattern(db, &in, id) != SC_OK) {
                fprintf(stderr, "child %d: %s\n", k, sc_errmsg(db));
                failures++;
            }
        }
    }
    sc_close(db);
    return failures > 255 ? 255 : failures;
}

static int
check_count(const struct learning_patterns *p, void *arg)
{
    int *bad = arg;

    if (p->occurrence_count != NPROC * ROUNDS) {
        printf("     %s: occurrence_count %lld, expected %d\n",
               p->pattern_name, (long long)p->occurrence_count,
               NPROC * ROUNDS);
        (*bad)++;
    }
    return 0;
}

static void
test_concurrent_record_pattern(void)
{
    pid_t pids[NPROC];
    int k, status, failures = 0, bad = 0;
    int64_t n;
    sc_db *db = NULL;

    for (k = 0; k < NPROC; k++) {
        pids[k] = fork();
        if (pids[k] == 0)
            _exit(child(k));
    }
    for (k = 0; k < NPROC; k++) {
        if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status)
            || WEXITSTATUS(status) != 0)
            failures++;
    }
    CHECK_INT(failures, 0);
    CHECK_INT(ls_open(&db, file), SC_OK);
    CHECK_INT(learning_patterns_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, NPATTERNS);
    CHECK_INT(learning_patterns_select(db, NULL, NULL, 0, -1, 0, check_count,
                                       &bad), SC_OK);
    CHECK_INT(bad, 0);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_concurrent_record_pattern),
};

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: race FILE\n");
        return 2;
    }
    file = argv[1];
    return T_RUN_ALL(tests);
}
