"""Workspace clusters in the learnstore package: assigning workspaces to
clusters, reading a workspace's cluster and the workspaces of a cluster,
with values worked out by hand from the Python store's documented
behaviour."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from learnstore import GlobalLearningStore, StoreError

BASE = datetime(2026, 1, 1, 12, 0, 0)


def set_assigned(db_path, times):
    """Stamp each workspace of times (hash -> minutes after BASE) with
    that assignment time, for a fixed order."""
    con = sqlite3.connect(db_path)
    try:
        with con:
            for ws, minutes in times.items():
                con.execute("UPDATE workspace_clusters SET assigned_at = ?"
                            " WHERE workspace_hash = ?",
                            ((BASE + timedelta(minutes=minutes)).isoformat(),
                             ws))
    finally:
        con.close()


def rows(db_path):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT workspace_hash, cluster_id, assigned_at"
                           " FROM workspace_clusters"
                           " ORDER BY workspace_hash").fetchall()
    finally:
        con.close()


def test_empty_store(store):
    assert store.get_workspace_cluster("0123456789abcdef") is None
    assert store.get_workspace_cluster("") is None
    assert store.get_workspace_cluster(None) is None
    assert store.get_similar_workspaces("c1") == []
    assert store.get_similar_workspaces(None) == []
    assert store.get_similar_workspaces("c1", limit=-1) == []


def test_assign_and_get(store, db_path):
    before = datetime.now()
    assert store.assign_workspace_cluster("ws-a", "c1") is None
    after = datetime.now()
    got = store.get_workspace_cluster("ws-a")
    assert got == "c1" and type(got) is str
    assert store.get_workspace_cluster("ws-b") is None
    [(ws, cluster, at)] = rows(db_path)
    # Stamped with the local time, as datetime.now().isoformat() spells it.
    assert (ws, cluster) == ("ws-a", "c1")
    assert before <= datetime.fromisoformat(at) <= after


def test_reassign_replaces(store, db_path):
    """A workspace is in one cluster at a time: the second assignment
    takes the first one's place (one row), and the old cluster loses it."""
    store.assign_workspace_cluster("ws-a", "c1")
    store.assign_workspace_cluster("ws-b", "c1")
    store.assign_workspace_cluster("ws-a", "c2")
    assert store.get_workspace_cluster("ws-a") == "c2"
    assert store.get_similar_workspaces("c1") == ["ws-b"]
    assert store.get_similar_workspaces("c2") == ["ws-a"]
    assert [r[:2] for r in rows(db_path)] == [("ws-a", "c2"), ("ws-b", "c1")]
    # The same cluster again: still one row.
    store.assign_workspace_cluster("ws-b", "c1")
    assert len(rows(db_path)) == 2


def test_no_cluster(store):
    """A workspace assigned None has no cluster, and None is no cluster's
    name: "cluster_id = NULL" matches nothing."""
    store.assign_workspace_cluster("ws-a", None)
    assert store.get_workspace_cluster("ws-a") is None
    assert store.get_similar_workspaces(None) == []
    store.assign_workspace_cluster("ws-a", "c1")
    assert store.get_workspace_cluster("ws-a") == "c1"


def test_similar_order_and_limits(store, db_path):
    """Twelve workspaces of c1 (ws-00 assigned first) and one of c2: the
    latest assigned first, 10 by default, a negative limit all of them."""
    names = ["ws-%02d" % i for i in range(12)]
    for ws in names:
        store.assign_workspace_cluster(ws, "c1")
    store.assign_workspace_cluster("other", "c2")
    set_assigned(db_path, {ws: i for i, ws in enumerate(names)})
    set_assigned(db_path, {"other": 100})
    newest_first = names[::-1]
    got = store.get_similar_workspaces("c1")
    assert got == newest_first[:10]
    assert all(type(h) is str for h in got)
    assert store.get_similar_workspaces("c1", 3) == ["ws-11", "ws-10",
                                                     "ws-09"]
    assert store.get_similar_workspaces("c1", limit=1) == ["ws-11"]
    assert store.get_similar_workspaces("c1", 0) == []
    assert store.get_similar_workspaces("c1", -1) == newest_first
    assert store.get_similar_workspaces("c1", 100) == newest_first
    assert store.get_similar_workspaces("c2") == ["other"]
    assert store.get_similar_workspaces("c3") == []


def test_similar_ties(store, db_path):
    """Two workspaces assigned at the same time come out together, after
    the later one and before the earlier one; a limit cutting through the
    tie takes one of them."""
    for ws in ("early", "tie-a", "tie-b", "late"):
        store.assign_workspace_cluster(ws, "c1")
    set_assigned(db_path, {"early": 0, "tie-a": 5, "tie-b": 5, "late": 9})
    got = store.get_similar_workspaces("c1")
    assert got[0] == "late" and got[3] == "early"
    assert set(got[1:3]) == {"tie-a", "tie-b"}
    two = store.get_similar_workspaces("c1", 2)
    assert two[0] == "late" and two[1] in ("tie-a", "tie-b")


def test_assign_none_workspace(store, db_path):
    with pytest.raises(StoreError) as e:
        store.assign_workspace_cluster(None, "c1")
    assert e.value.name == "SC_MISUSE"
    assert rows(db_path) == []


def test_python_store_rows_read(db_path):
    """Rows written as the Python store writes them (its isoformat times,
    without microseconds when they are zero) read back in its order."""
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    with con:
        con.executemany(
            "INSERT INTO workspace_clusters (workspace_hash, cluster_id,"
            " assigned_at) VALUES (?, ?, ?)",
            [("aaaa", "c1", "2026-01-01T12:00:00"),
             ("bbbb", "c1", "2026-01-01T12:00:00.500000"),
             ("cccc", "c1", "2025-12-31T23:59:59.999999"),
             ("dddd", None, "2026-01-02T00:00:00")])
    con.close()
    s = GlobalLearningStore(db_path)
    try:
        assert s.get_similar_workspaces("c1") == ["bbbb", "aaaa", "cccc"]
        assert s.get_workspace_cluster("cccc") == "c1"
        assert s.get_workspace_cluster("dddd") is None
    finally:
        s.close()


def test_hashed_workspaces(store, tmp_path):
    """The intended use: clusters of hash_workspace() values."""
    a = GlobalLearningStore.hash_workspace(tmp_path / "a")
    b = GlobalLearningStore.hash_workspace(tmp_path / "b")
    store.assign_workspace_cluster(a, "python-projects")
    store.assign_workspace_cluster(b, "python-projects")
    assert set(store.get_similar_workspaces(
        store.get_workspace_cluster(a))) == {a, b}


def test_clusters_exported_by_cli(store, cli):
    """Clusters the package assigns are the rows `learnstore export`
    lists (it has no command of its own for them), and the package reads
    what is in the file after the command has opened it."""
    store.assign_workspace_cluster("ws-a", "c1")
    store.assign_workspace_cluster("ws-b", "c2")
    store.assign_workspace_cluster("ws-b", "c1")
    theirs = sorted(cli.run("export")["tables"]["workspace_clusters"],
                    key=lambda r: r["workspace_hash"])
    assert [(r["workspace_hash"], r["cluster_id"]) for r in theirs] \
        == [("ws-a", "c1"), ("ws-b", "c1")]
    by_time = [r["workspace_hash"] for r in
               sorted(theirs, key=lambda r: r["assigned_at"], reverse=True)]
    assert store.get_similar_workspaces("c1") == by_time == ["ws-b", "ws-a"]
    assert cli.run("stats")["tables"]["workspace_clusters"] == 2
