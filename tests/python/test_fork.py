"""A store made before fork() and used in the child, as an application
does that makes its store at start and then forks workers
(multiprocessing's "fork" start method): the child's calls go through a
connection of its own (the library refuses the parent's there), and
the parent's connection, batch and lock are left as they were."""

import multiprocessing
import os
import pickle
import sqlite3
import threading

from learnstore import GlobalLearningStore, StoreError


def in_child(fn, timeout=60):
    """Run fn() in a child of fork(); its exit status: 0 when fn returned,
    1 when it raised, 2 when it had not ended after timeout seconds (then
    killed).  The child ends with os._exit, so nothing of the parent's
    (pytest's own exit handlers, the store's finaliser) runs there."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            fn()
            code = 0
        finally:
            os._exit(code)
    for _ in range(timeout * 20):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return os.waitstatus_to_exitcode(status)
        threading.Event().wait(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return 2


def patterns(path):
    """The pattern names in the file, read by a connection of its own."""
    with sqlite3.connect(str(path)) as c:
        return sorted(r[0] for r in
                      c.execute("SELECT pattern_name FROM patterns"))


def test_child_writes_through_its_own_connection(db_path):
    s = GlobalLearningStore(db_path)
    s.record_pattern("error", "before")

    def child():
        s.record_pattern("error", "in the child")
        assert [p.pattern_name for p in s.get_patterns(min_priority=0)
                if p.pattern_name == "in the child"]

    assert in_child(child) == 0
    s.record_pattern("error", "after")
    assert patterns(db_path) == ["after", "before", "in the child"]
    with sqlite3.connect(str(db_path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    s.close()


def test_workers_of_a_fork_pool(db_path):
    # The application's own way: a store made at start, then workers
    # forked (the store reaches them inherited, not pickled).
    _STORE["s"] = s = GlobalLearningStore(db_path)
    s.record_pattern("error", "parent")
    try:
        with multiprocessing.get_context("fork").Pool(4) as pool:
            ids = pool.map_async(_record_in_worker, range(40)).get(60)
    finally:
        del _STORE["s"]
    assert len(set(ids)) == 40
    assert len(s.get_patterns(min_priority=0, limit=100)) == 41
    s.record_pattern("error", "parent")
    [p] = [p for p in s.get_patterns(min_priority=0, limit=100)
           if p.pattern_name == "parent"]
    assert p.occurrence_count == 2
    s.close()


# The store the pool's workers inherit.
_STORE = {}


def _record_in_worker(i):
    return _STORE["s"].record_pattern("error", "worker %d" % i)


def test_parent_lock_held_by_another_thread(db_path):
    # A thread of the parent is inside batch_connection() (holding the
    # store's lock) when the main thread forks: the child, which has no
    # such thread, must not wait for that lock.
    s = GlobalLearningStore(db_path)
    inside, leave = threading.Event(), threading.Event()

    def batch():
        with s.batch_connection():
            s.record_pattern("error", "in the parent's batch")
            inside.set()
            leave.wait(60)

    def child():
        # A read: the parent's batch holds the file's write lock, and the
        # child reads around it (WAL), seeing nothing of the batch.
        assert s.get_patterns(min_priority=0) == []

    t = threading.Thread(target=batch)
    t.start()
    assert inside.wait(60)
    try:
        status = in_child(child, timeout=20)
    finally:
        leave.set()
        t.join()
    assert status == 0
    assert patterns(db_path) == ["in the parent's batch"]
    s.close()


def test_batch_entered_by_the_parent(db_path):
    # Forked inside batch_connection(): the child's calls are its own
    # (a read, which sees nothing of the parent's batch; a write would
    # wait for the batch's lock), and so is what _get_connection()
    # yields there; the block's end in the child raises
    # StoreError (SC_MISUSE) instead of committing what is the parent's;
    # the parent's batch goes on, after the child ended, and commits.
    s = GlobalLearningStore(db_path)
    s.record_pattern("error", "before")
    pid = status = None
    try:
        with s.batch_connection() as parents:
            s.record_pattern("error", "parent")
            pid = os.fork()
            if pid == 0:
                try:
                    seen = [p.pattern_name for p in
                            s.get_patterns(min_priority=0)]
                    # The application's own SQL: a connection of the
                    # child's, not the parent's batch's.
                    with s._get_connection() as conn:
                        own = conn is not parents and conn.execute(
                            "SELECT count(*) FROM patterns").fetchone()[0]
                except BaseException:
                    os._exit(8)
                if seen != ["before"] or own != 1:
                    os._exit(7)
            else:
                status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except StoreError as e:
        if pid == 0:
            os._exit(0 if e.name == "SC_MISUSE"
                     and "fork()" in e.message else 5)
        raise
    finally:
        if pid == 0:
            os._exit(6)     # the block ended in the child without it
    assert status == 0
    assert patterns(db_path) == ["before", "parent"]
    s.close()


def test_store_error_pickles():
    # A worker's StoreError reaches multiprocessing's parent whole.
    e = pickle.loads(pickle.dumps(StoreError(3, "database is locked")))
    assert type(e) is StoreError
    assert (e.code, e.name, e.message) == (3, "SC_BUSY", "database is locked")
    assert str(e) == "SC_BUSY: database is locked"
