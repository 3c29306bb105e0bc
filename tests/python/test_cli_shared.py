"""Files shared between the learnstore package and the learnstore command
($LEARNSTORE_BIN): what one writes, the other reads the same."""

from datetime import datetime

from learnstore import GlobalLearningStore


def event_dict(e):
    return {"id": e.id, "error_code": e.error_code, "model": e.model,
            "recorded_at": e.recorded_at, "expires_at": e.expires_at,
            "source_job_hash": e.source_job_hash,
            "duration_seconds": e.duration_seconds}


def cli_events(cli):
    out = []
    for r in cli.run("rate-limits"):
        r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
        r["expires_at"] = datetime.fromisoformat(r["expires_at"])
        out.append(r)
    return out


def test_package_writes_cli_reads(store, cli):
    store.record_rate_limit_event("E101", 100, "job-a", "m1")
    store.record_rate_limit_event("E102", 300, "job-b")
    ours = [event_dict(e) for e in store.get_active_rate_limits()]
    assert len(ours) == 2
    assert cli_events(cli) == ours


def test_cli_writes_package_reads(db_path, cli):
    cli.run("record-rate-limit", "--code", "E103", "--duration", "200",
            "--job", "job-a", "--model", "m9")
    s = GlobalLearningStore(db_path)
    try:
        [e] = s.get_active_rate_limits()
        assert (e.error_code, e.model, e.source_job_hash,
                e.duration_seconds) == ("E103", "m9", "118cf0b480000519",
                                        200.0)
        assert [event_dict(e)] == cli_events(cli)
        limited, left = s.is_rate_limited("E103", "m9")
        assert limited is True and 159.0 < left <= 160.0
    finally:
        s.close()


def test_execution_stats_match(db_path, cli, tmp_path):
    """Three outcomes in two workspaces, two of them first-try successes,
    and one pattern: the package's statistics and the command's agree,
    and are what the Python store would count."""
    ws_a, ws_b = tmp_path / "a", tmp_path / "b"
    for ws, first in ((ws_a, True), (ws_a, True), (ws_b, False)):
        args = ["record-outcome", "--job", "job-a", "--sheet", "sheet-1",
                "--workspace", str(ws), "--status", "completed"]
        cli.run(*(args + ["--first-try"] if first else args))
    cli.run("record-pattern", "--type", "retry", "--name", "slow start")
    s = GlobalLearningStore(db_path)
    try:
        stats = s.get_execution_stats()
    finally:
        s.close()
    assert stats == {
        "total_executions": 3,
        "success_without_retry_rate": 2 / 3,
        "total_patterns": 1,
        "avg_pattern_effectiveness": 0.5,
        "total_error_recoveries": 0,
        "unique_workspaces": 2,
    }
    assert cli.run("stats")["execution_stats"] == stats


def test_clear_all_seen_by_cli(store, cli):
    cli.run("record-rate-limit", "--code", "E101", "--duration", "100")
    store.clear_all()
    assert cli.run("rate-limits") == []
    assert cli.run("stats")["tables"]["rate_limit_events"] == 0


def test_escalations_exported_by_cli(store, cli):
    """Escalation decisions the package records are the rows `learnstore
    export` lists, with the values get_escalation_history gives."""
    store.record_escalation_decision("job-a", 2, 0.4, "retry", 62.5, 1,
                                     guidance="smaller prompt", model="m1")
    eid = store.record_escalation_decision("job-b", 5, 0.85, "skip", 90, 3)
    assert store.update_escalation_outcome(eid, "success") is True
    ours = sorted(({**r.__dict__, "recorded_at": r.recorded_at}
                   for r in store.get_escalation_history()),
                  key=lambda r: r["id"])
    theirs = sorted(cli.run("export")["tables"]["escalation_decisions"],
                    key=lambda r: r["id"])
    for r in theirs:
        r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
    assert len(ours) == 2
    assert theirs == ours
    assert ours[[r["id"] for r in ours].index(eid)]["job_hash"] \
        == GlobalLearningStore.hash_job("job-b")
    assert cli.run("stats")["tables"]["escalation_decisions"] == 2


def test_error_recoveries_seen_by_cli(store, cli):
    """Error recoveries the package records are counted by `learnstore
    stats` as by get_execution_stats(), and exported as recorded."""
    a = store.record_error_recovery("E101", 30, 45.5, True, "m1")
    b = store.record_error_recovery("E101", 30, 12, False)
    c = store.record_error_recovery("E102", 10, 10, True)
    stats = cli.run("stats")
    assert stats["tables"]["error_recoveries"] == 3
    assert stats["execution_stats"]["total_error_recoveries"] == 3
    assert stats["execution_stats"] == store.get_execution_stats()
    assert stats["optimal_window"]["sample_count"] == 3
    rows = {r["id"]: (r["error_code"], r["suggested_wait"], r["actual_wait"],
                      r["recovery_success"], r["model"])
            for r in cli.run("export")["tables"]["error_recoveries"]}
    assert rows == {a: ("E101", 30.0, 45.5, True, "m1"),
                    b: ("E101", 30.0, 12.0, False, None),
                    c: ("E102", 10.0, 10.0, True, None)}
    assert store.get_error_recovery_sample_count("E101") == 1
