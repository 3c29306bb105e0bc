"""The package on PostgreSQL: the private server of tests/pg/with-server.sh
($SCHEMAC_PG), a fresh database per test.  tests/python/run.sh reports
these tests as skipped, with the reason, when there is no server."""

import os
import subprocess
import uuid

import pytest

import learnstore
from conftest import Cli
from test_fork import in_child
from test_odd_arguments import odd_calls


def psql(*sql):
    """Run each statement of sql in turn on $SCHEMAC_PG; stop at an error."""
    # A sanitizer runtime preloaded for python3 (tests/python/run.sh) is
    # not psql's: under it psql can hang.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
            os.environ["SCHEMAC_PG"]]
    for one in sql:
        args += ["-c", one]
    subprocess.run(args, check=True, capture_output=True, env=env,
                   timeout=120)


@pytest.fixture
def pg_uri():
    """The URI of an empty database of this test's own, dropped after."""
    name = "py_" + uuid.uuid4().hex[:12]
    psql("CREATE DATABASE %s" % name)
    base = os.environ["SCHEMAC_PG"]
    yield "postgresql:///%s?%s" % (name, base.split("?", 1)[1])
    # As tests/suite.sh's pg_drop_db: our sessions ended, then a plain
    # DROP (WITH (FORCE) refuses while an autovacuum worker is there).
    psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
         "WHERE datname = '%s' AND usename = current_user" % name,
         "DROP DATABASE IF EXISTS %s" % name)


def test_patterns_counted(pg_uri):
    s = learnstore.GlobalLearningStore(pg_uri)
    try:
        a = s.record_pattern("error", "CAFÉ Crème", description="d",
                             context_tags=["api"])
        assert s.record_pattern("error", "café  crème",
                                context_tags=["api"]) == a
        [p] = s.get_patterns(min_priority=0)
        assert (p.id, p.occurrence_count, p.context_tags) == (a, 2, ["api"])
    finally:
        s.close()


def test_batch_yields_none_and_batches(pg_uri):
    s = learnstore.GlobalLearningStore(pg_uri)
    try:
        with pytest.raises(RuntimeError):
            with s.batch_connection() as conn:
                assert conn is None
                s.record_pattern("error", "undone")
                raise RuntimeError("roll it back")
        assert s.get_patterns(min_priority=0) == []
        with s.batch_connection():
            s.record_pattern("error", "kept")
        assert [p.pattern_name for p in s.get_patterns(min_priority=0)] \
            == ["kept"]
    finally:
        s.close()


def test_no_sqlite_connection(pg_uri):
    s = learnstore.GlobalLearningStore(pg_uri)
    try:
        with pytest.raises(learnstore.StoreError) as e:
            with s._get_connection():
                pass
        assert e.value.name == "SC_MISUSE"
        assert "PostgreSQL" in str(e.value)
    finally:
        s.close()


def test_shared_with_the_command(pg_uri):
    s = learnstore.GlobalLearningStore(pg_uri)
    try:
        s.record_rate_limit_event("E1", 100, "job-a", "m1")
        Cli(pg_uri).run("record-rate-limit", "--code", "E2", "--duration",
                        "300", "--job", "job-b")
        ours = sorted(e.error_code for e in s.get_active_rate_limits())
        theirs = sorted(r["error_code"] for r in Cli(pg_uri).run(
            "rate-limits"))
        assert ours == theirs == ["E1", "E2"]
        s.clear_all()
        assert s.get_active_rate_limits() == []
    finally:
        s.close()


def test_odd_arguments(pg_uri):
    """test_odd_arguments.py's calls on PostgreSQL: no crash, nothing
    raised but what bad arguments raise.  (A call that fails inside
    batch_connection() there makes the block raise at its end: the
    engine's rule, docs/python.md.)"""
    for seed in range(2):
        odd_calls(pg_uri, seed, 2000)


def test_fork_child_has_its_own_session(pg_uri):
    # The child shares the parent's socket: its calls go through a
    # session of its own, and the parent's session is still there after
    # the child's store let go of it.
    s = learnstore.GlobalLearningStore(pg_uri)
    try:
        s.record_pattern("error", "before")
        assert in_child(lambda: s.record_pattern("error", "child")) == 0
        s.record_pattern("error", "after")
        assert sorted(p.pattern_name for p in
                      s.get_patterns(min_priority=0)) == \
            ["after", "before", "child"]
    finally:
        s.close()
