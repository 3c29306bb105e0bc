#!/usr/bin/env python3
"""bench_pyext.py - what ctypes costs the package, against a CPython
extension module calling the same library functions (bench/pyext_probe.c,
built as _lsprobe by make bench-python); and threads sharing one store
(its lock) against a store per thread.

    PYTHONPATH=build/python:build/bench python3 bench/bench_pyext.py [RUNS]

Four calls of the package (a scalar read, a listing of 200 rows, two
writes: a rate limit and an outcome, which is read by attribute) on a
scratch store, each timed through the package (ctypes) and
through _lsprobe with the same records built from its values, under the
store's lock as the package's methods run.  The writes run inside one
batch on both sides so that the commit does not hide the crossing.  The
figure is the median over RUNS of the time per call.

Threads: THREADS threads each make CALLS calls of get_execution_stats()
(over 20,000 executions: a read that spends its time in SQLite, with
the GIL released) and of
is_rate_limited() (a short one), on one shared store and then on a store
of their own each; the figure is calls per second over all threads.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime

import _lsprobe
from bench_python import Outcome, timed
from learnstore import GlobalLearningStore
from learnstore.models import RateLimitEvent

BUDGET = 0.3
THREADS = 4
CALLS = 300


def main(argv):
    runs = int(argv[0]) if argv else 5
    store = GlobalLearningStore(os.path.join(tempfile.mkdtemp(
        prefix="bench-pyext-"), "learning.db"))
    with store.batch_connection():
        for i in range(200):
            store.record_rate_limit_event("E%d" % (100 + i % 3), 3600.0,
                                          "job-%d" % i, "model-a")
    db = store._db.value

    def ext_is_rate_limited():
        with store._lock:
            return _lsprobe.is_rate_limited(db, "E101")

    def ext_active():
        with store._lock:
            rows = _lsprobe.get_active_rate_limits(db)
        return [RateLimitEvent(id=i, error_code=c, model=m,
                               recorded_at=datetime.fromisoformat(rec),
                               expires_at=datetime.fromisoformat(exp),
                               source_job_hash=j, duration_seconds=d)
                for i, c, m, rec, exp, j, d in rows]

    def ext_record():
        with store._lock:
            return _lsprobe.record_rate_limit_event(db, "E101", 60.0,
                                                    "job-1", "model-a")

    outcome = Outcome()
    workspace = os.path.join(os.path.dirname(store.db_path), "workspace")

    def ext_outcome():
        with store._lock:
            return _lsprobe.record_outcome(db, outcome, workspace, None)

    cases = [
        ("is_rate_limited", lambda: store.is_rate_limited("E101"),
         ext_is_rate_limited),
        ("get_active_rate_limits (200 rows)", store.get_active_rate_limits,
         ext_active),
        ("record_rate_limit_event (in a batch)",
         lambda: store.record_rate_limit_event("E101", 60.0, "job-1",
                                               "model-a"), ext_record),
        ("record_outcome (in a batch)",
         lambda: store.record_outcome(outcome, workspace), ext_outcome),
    ]
    assert len(ext_active()) == len(store.get_active_rate_limits()) == 200
    print("ctypes against a C extension module, median of %d runs" % runs)
    print("| call | ctypes us/call | extension us/call | ctypes / "
          "extension |")
    print("|---|---:|---:|---:|")
    for name, ours, ext in cases:
        with store.batch_connection():
            c = statistics.median(timed(ours, BUDGET)[0]
                                  for _ in range(runs))
            e = statistics.median(timed(ext, BUDGET)[0]
                                  for _ in range(runs))
        print("| %s | %.2f | %.2f | %.2f |" % (name, c * 1e6, e * 1e6,
                                               c / e), flush=True)
    path = store.db_path
    store.close()
    threads_table(path)
    return 0


def throughput(stores, call):
    """Calls per second of THREADS threads making CALLS calls each, thread
    i on stores[i]."""
    def work(s):
        for _ in range(CALLS):
            call(s)

    ts = [threading.Thread(target=work, args=(s,)) for s in stores]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return THREADS * CALLS / (time.perf_counter() - t0)


def threads_table(path):
    """The threads comparison on the file at path (see the module's
    text)."""
    filler = GlobalLearningStore(path)
    with filler._get_connection() as conn:
        conn.executemany(
            "INSERT INTO executions (id, workspace_hash, job_hash, "
            "sheet_num, status, success_without_retry) VALUES (?, ?, ?, ?, "
            "'completed', 1)",
            (("e%d" % i, "ws%d" % (i % 50), "job", i) for i in range(20000)))
    filler.close()
    shared = GlobalLearningStore(path)
    own = [GlobalLearningStore(path) for _ in range(THREADS)]
    print()
    print("%d threads, calls per second over all of them" % THREADS)
    print("| call | one shared store (its lock) | a store per thread | "
          "per thread / shared |")
    print("|---|---:|---:|---:|")
    for name, call in (("get_execution_stats",
                        lambda s: s.get_execution_stats()),
                       ("is_rate_limited",
                        lambda s: s.is_rate_limited("E101"))):
        a = throughput([shared] * THREADS, call)
        b = throughput(own, call)
        print("| %s | %.0f | %.0f | %.2f |" % (name, a, b, b / a),
              flush=True)
    shared.close()
    for s in own:
        s.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
