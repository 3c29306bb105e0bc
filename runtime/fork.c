/*
 * fork.c - handles inherited across fork().  A child process gets a copy
 * of its parent's handles, each with the parent's connection: on SQLite
 * an open file whose locks belong to the parent, on PostgreSQL a socket
 * both processes now share.  Used from the child, either corrupts what
 * the parent is doing, so a handle opened in another process runs
 * nothing (sci_begin_call), and closing it there leaves the connection
 * as it is: sqlite3_close() could checkpoint the WAL and remove it from
 * beneath the parent, PQfinish() sends Terminate on the shared socket,
 * which ends the parent's session.
 */
#include "internal.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

/* How many forks lie between this process and the first open of a
 * handle in its line: a child counts one more than its parent.  Written
 * only by a child just forked, which has one thread then. */
static unsigned long forks;
static pthread_once_t counting = PTHREAD_ONCE_INIT;

/* The handles closed in a child of the process that opened them, kept
 * with their connections until the process ends (reachable, so that a
 * leak checker does not count them: they are left, not lost). */
static _Atomic(sc_db *) abandoned;

static void
count_fork(void)
{
    forks++;
}

/* Without the handler (pthread_atfork() out of memory) no child is
 * recognised, as before the runtime knew of fork(). */
static void
start_counting(void)
{
    (void)pthread_atfork(NULL, NULL, count_fork);
}

/* See internal.h. */
void
sci_fork_mark(sc_db *db)
{
    assert(db != NULL);
    pthread_once(&counting, start_counting);
    db->forks = forks;
    db->pid = (long)getpid();
}

/* See internal.h. */
bool
sci_inherited(const sc_db *db)
{
    assert(db != NULL);
    return db->forks != forks;
}

/* See internal.h. */
void
sci_abandon(sc_db *db)
{
    sc_db *head = atomic_load(&abandoned);

    assert(db != NULL && sci_inherited(db));
    do
        db->next_abandoned = head;
    while (!atomic_compare_exchange_weak(&abandoned, &head, db));
}
