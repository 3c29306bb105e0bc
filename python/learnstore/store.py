"""GlobalLearningStore: the Python store's class, each method one call into
liblearnstore over one connection the object keeps open.

Only the methods below are ported so far (docs/python.md lists the rest);
each takes the Python store's parameters, with its names, order and
defaults, and returns what it returns.
"""

import ctypes
import json
import threading
from datetime import datetime
from pathlib import Path

from . import _lib
from ._lib import StoreError, lib, text, untext
from .models import EscalationDecisionRecord, ExecutionRecord, \
    ExplorationBudgetRecord, RateLimitEvent

# The range of a C int: min_samples beyond it asks the same as its end.
_INT_MIN, _INT_MAX = -2 ** 31, 2 ** 31 - 1

# The Python store's default file.
DEFAULT_GLOBAL_STORE_PATH = Path.home() / ".marianne" / "global-learning.db"


class GlobalLearningStore:
    """The global learning store on one SQLite file.

    The file is opened (created, or migrated to the current version, in
    one transaction) when the object is made and stays open until close();
    a call after close() opens it again.  Calls from several threads are
    safe: each holds the object's lock for its one call into the library.
    """

    def __init__(self, db_path=None):
        self.db_path = db_path or DEFAULT_GLOBAL_STORE_PATH
        self._lock = threading.RLock()
        self._db = None
        with self._lock:
            self._handle()

    # ---- the connection ------------------------------------------------

    def _handle(self):
        """The open connection, opened first when there is none.  The
        caller holds the lock."""
        if self._db is None:
            db = ctypes.c_void_p()
            rc = lib.ls_open(ctypes.byref(db), text(Path(self.db_path)))
            if rc != _lib.SC_OK:
                err = _lib.error(db, rc)
                lib.sc_close(db)
                raise err
            self._db = db
        return self._db

    def _check(self, rc):
        """Raise the StoreError of rc unless it is SC_OK."""
        if rc != _lib.SC_OK:
            raise _lib.error(self._db, rc)

    def close(self):
        """Close the connection.  The store stays usable: the next call
        opens the file again, as the Python store's no-op close allows."""
        with self._lock:
            if self._db is not None:
                db, self._db = self._db, None
                rc = lib.sc_close(db)
                if rc != _lib.SC_OK:
                    raise StoreError(rc, untext(lib.sc_errstr(rc)))

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # ---- hashes ----------------------------------------------------------

    @staticmethod
    def hash_workspace(workspace_path):
        """The first 16 hex digits of SHA-256 of the resolved path, as
        str(Path(workspace_path).resolve()) spells it."""
        out = ctypes.create_string_buffer(_lib.LS_HASH_HEX)
        rc = lib.ls_hash_workspace(text(Path(workspace_path)), out)
        if rc != _lib.SC_OK:
            raise StoreError(rc, "cannot resolve %s: %s"
                             % (workspace_path, untext(lib.sc_errstr(rc))))
        return untext(out.value)

    @staticmethod
    def hash_job(job_name, config_hash=None):
        """The first 16 hex digits of SHA-256 of "job_name:config_hash"
        (an empty config hash when None)."""
        out = ctypes.create_string_buffer(_lib.LS_HASH_HEX)
        rc = lib.ls_hash_job(text(job_name), text(config_hash), out)
        if rc != _lib.SC_OK:
            raise StoreError(rc, untext(lib.sc_errstr(rc)))
        return untext(out.value)

    # ---- the whole store -------------------------------------------------

    def clear_all(self):
        """Delete every row of every data table, in one transaction; the
        schema version stays."""
        with self._lock:
            self._check(lib.sc_clear_all(self._handle()))

    # ---- executions ------------------------------------------------------

    def get_execution_stats(self):
        """Counts over the store: a dict of total_executions,
        success_without_retry_rate, total_patterns,
        avg_pattern_effectiveness, total_error_recoveries and
        unique_workspaces."""
        s = _lib.ExecutionStats()
        with self._lock:
            self._check(lib.ls_get_execution_stats(self._handle(),
                                                   ctypes.byref(s)))
        return {
            "total_executions": s.total_executions,
            "success_without_retry_rate": s.success_without_retry_rate,
            "total_patterns": s.total_patterns,
            "avg_pattern_effectiveness": s.avg_pattern_effectiveness,
            "total_error_recoveries": s.total_error_recoveries,
            "unique_workspaces": s.unique_workspaces,
        }

    def get_recent_executions(self, limit=20, workspace_hash=None):
        """The executions (of workspace_hash, unless None or ""), the
        latest completed first, at most limit (negative: all), as
        ExecutionRecord records."""
        rows = []

        def each(row, arg):
            r = row.contents
            rows.append(dict(
                id=untext(r.id), workspace_hash=untext(r.workspace_hash),
                job_hash=untext(r.job_hash), sheet_num=r.sheet_num,
                started_at=untext(r.started_at),
                completed_at=untext(r.completed_at),
                duration_seconds=r.duration_seconds,
                status=untext(r.status), retry_count=r.retry_count,
                success_without_retry=bool(r.success_without_retry),
                validation_pass_rate=r.validation_pass_rate,
                confidence_score=r.confidence_score,
                model=untext(r.model), error_codes=untext(r.error_codes)))
            return 0

        cb = _lib.EACH_EXECUTION(each)
        with self._lock:
            self._check(lib.ls_get_recent_executions(
                self._handle(), int(limit), text(workspace_hash), cb, None))
        for r in rows:
            # An empty time reads as none, as in the Python store.
            for k in ("started_at", "completed_at"):
                r[k] = datetime.fromisoformat(r[k]) if r[k] else None
            r["error_codes"] = json.loads(r["error_codes"] or "[]")
        return [ExecutionRecord(**r) for r in rows]

    # ---- workspace clusters ----------------------------------------------

    def get_workspace_cluster(self, workspace_hash):
        """The cluster workspace_hash was assigned to; None when it has
        none (or was assigned None)."""
        if workspace_hash is None:
            # Python's "workspace_hash = NULL" matches no workspace.
            return None
        out = ctypes.c_void_p()
        with self._lock:
            rc = lib.ls_get_workspace_cluster(
                self._handle(), text(workspace_hash), ctypes.byref(out))
            if rc == _lib.SC_NOTFOUND:
                return None
            self._check(rc)
        try:
            return untext(ctypes.string_at(out.value))
        finally:
            _lib.c_free(out)

    def assign_workspace_cluster(self, workspace_hash, cluster_id):
        """Put workspace_hash in cluster_id, assigned now (local time),
        in place of any cluster it was in."""
        if workspace_hash is None:
            raise StoreError(_lib.SC_MISUSE,
                             "a workspace hash is needed, not None")
        with self._lock:
            self._check(lib.ls_assign_workspace_cluster(
                self._handle(), text(workspace_hash), text(cluster_id)))

    def get_similar_workspaces(self, cluster_id, limit=10):
        """The workspace hashes of cluster_id, the latest assigned first,
        at most limit (negative: all)."""
        hashes = []

        def each(workspace_hash, arg):
            hashes.append(untext(workspace_hash))
            return 0

        cb = _lib.EACH_WORKSPACE_HASH(each)
        with self._lock:
            self._check(lib.ls_get_similar_workspaces(
                self._handle(), text(cluster_id), int(limit), cb, None))
        return hashes

    # ---- rate limits -----------------------------------------------------

    def record_rate_limit_event(self, error_code, duration_seconds, job_id,
                                model=None):
        """Record a rate limit hit by job_id: it expires after 0.8 of
        duration_seconds.  Returns the new event's id."""
        out = ctypes.create_string_buffer(_lib.LS_UUID_LEN)
        with self._lock:
            self._check(lib.ls_record_rate_limit_event(
                self._handle(), text(error_code), float(duration_seconds),
                text(job_id), text(model), out))
        return untext(out.value)

    def is_rate_limited(self, error_code=None, model=None):
        """(True, seconds until the latest expiry) when an unexpired event
        matches error_code and model (None: any), else (False, None)."""
        limited = ctypes.c_bool()
        left = ctypes.c_double()
        with self._lock:
            self._check(lib.ls_is_rate_limited(
                self._handle(), text(error_code), text(model),
                ctypes.byref(limited), ctypes.byref(left)))
        if not limited.value or left.value <= 0:
            return False, None
        return True, left.value

    def get_active_rate_limits(self, model=None):
        """The unexpired events (of model, when given), the latest expiry
        first, as RateLimitEvent records."""
        rows = []

        def each(row, arg):
            r = row.contents
            rows.append((untext(r.id), untext(r.error_code), untext(r.model),
                         untext(r.recorded_at), untext(r.expires_at),
                         untext(r.source_job_hash), r.duration_seconds))
            return 0

        cb = _lib.EACH_RATE_LIMIT(each)
        with self._lock:
            self._check(lib.ls_get_active_rate_limits(
                self._handle(), text(model), cb, None))
        return [RateLimitEvent(id=i, error_code=code, model=m,
                               recorded_at=datetime.fromisoformat(rec),
                               expires_at=datetime.fromisoformat(exp),
                               source_job_hash=job,
                               duration_seconds=dur)
                for i, code, m, rec, exp, job, dur in rows]

    def cleanup_expired_rate_limits(self):
        """Delete the expired rate-limit events; returns how many."""
        n = ctypes.c_int64()
        with self._lock:
            self._check(lib.ls_cleanup_expired_rate_limits(self._handle(),
                                                           ctypes.byref(n)))
        return n.value

    # ---- error recoveries ------------------------------------------------

    def record_error_recovery(self, error_code, suggested_wait, actual_wait,
                              recovery_success, model=None):
        """Record how waiting out error_code went, stamped with the local
        time and its hour.  Returns the new record's id."""
        out = ctypes.create_string_buffer(_lib.LS_UUID_LEN)
        with self._lock:
            self._check(lib.ls_record_error_recovery(
                self._handle(), text(error_code), float(suggested_wait),
                float(actual_wait), bool(recovery_success), text(model),
                out))
        return untext(out.value)

    def get_learned_wait_time(self, error_code, model=None, min_samples=3):
        """Of the last 20 successful recoveries from error_code (and model,
        unless None or ""), (average + shortest) / 2 of their waits; None
        when there are fewer than min_samples, or none."""
        found = ctypes.c_bool()
        wait = ctypes.c_double()
        if error_code is None:
            # Python's "error_code = NULL" matches no recovery.
            return None
        with self._lock:
            self._check(lib.ls_get_learned_wait_time(
                self._handle(), text(error_code), text(model),
                _c_int(min_samples), ctypes.byref(found),
                ctypes.byref(wait)))
        return wait.value if found.value else None

    def get_learned_wait_time_with_fallback(self, error_code, static_delay,
                                            model=None, min_samples=3,
                                            min_confidence=0.7):
        """(delay, confidence, strategy): static_delay, 0.0 and
        "static_fallback" when nothing is learned; else the confidence is
        min(successful recoveries from error_code / 10, 1), and the
        learned wait (at least half of static_delay) is used as it is
        ("global_learned") from min_confidence up, below it blended with
        static_delay in the ratio confidence / min_confidence
        ("global_learned_blend")."""
        a = _lib.WaitAdvice()
        if error_code is None:
            return static_delay, 0.0, "static_fallback"
        with self._lock:
            self._check(lib.ls_get_learned_wait_time_with_fallback(
                self._handle(), text(error_code), float(static_delay),
                text(model), _c_int(min_samples), float(min_confidence),
                ctypes.byref(a)))
        strategy = untext(a.strategy)
        if strategy == "static_fallback":
            # static_delay as it was given (an int stays an int).
            return static_delay, 0.0, strategy
        return a.delay, a.confidence, strategy

    def get_error_recovery_sample_count(self, error_code):
        """How many recoveries from error_code succeeded (any model)."""
        n = ctypes.c_int64()
        if error_code is None:
            return 0
        with self._lock:
            self._check(lib.ls_get_error_recovery_sample_count(
                self._handle(), text(error_code), ctypes.byref(n)))
        return n.value

    # ---- escalations -----------------------------------------------------

    def record_escalation_decision(self, job_id, sheet_num, confidence,
                                   action, validation_pass_rate,
                                   retry_count, guidance=None,
                                   outcome_after_action=None, model=None):
        """Record the action taken on an escalation of job_id's sheet,
        stamped with the local time.  Returns the new record's id (for
        update_escalation_outcome)."""
        e = _lib.EscalationInput(
            job_id=text(job_id), sheet_num=int(sheet_num),
            confidence=float(confidence), action=text(action),
            validation_pass_rate=float(validation_pass_rate),
            retry_count=int(retry_count), guidance=text(guidance),
            outcome_after_action=text(outcome_after_action),
            model=text(model))
        out = ctypes.create_string_buffer(_lib.LS_UUID_LEN)
        with self._lock:
            self._check(lib.ls_record_escalation_decision(
                self._handle(), ctypes.byref(e), out))
        return untext(out.value)

    def get_escalation_history(self, job_id=None, action=None, limit=20):
        """The escalations of job_id with action (None: any), newest
        first, at most limit (negative: all), as EscalationDecisionRecord
        records."""
        return self._escalations(lambda cb: lib.ls_get_escalation_history(
            self._handle(), text(job_id), text(action), int(limit), cb,
            None))

    def get_similar_escalation(self, confidence, validation_pass_rate,
                               confidence_tolerance=0.15,
                               pass_rate_tolerance=15.0, limit=5):
        """Escalations within confidence_tolerance of confidence and
        pass_rate_tolerance of validation_pass_rate: outcome "success"
        first, then "skipped", then none, then the others, each the
        closest first (confidence difference + pass rate difference /
        100); at most limit, as EscalationDecisionRecord records."""
        return self._escalations(lambda cb: lib.ls_get_similar_escalation(
            self._handle(), float(confidence), float(validation_pass_rate),
            float(confidence_tolerance), float(pass_rate_tolerance),
            int(limit), cb, None))

    def update_escalation_outcome(self, escalation_id, outcome_after_action):
        """Record what followed an escalation's action; False when there
        is no escalation escalation_id."""
        if escalation_id is None:
            # Python's "id = NULL" matches no escalation.
            return False
        with self._lock:
            rc = lib.ls_update_escalation_outcome(
                self._handle(), text(escalation_id),
                text(outcome_after_action))
            if rc == _lib.SC_NOTFOUND:
                return False
            self._check(rc)
        return True

    def _escalations(self, call):
        """The EscalationDecisionRecord records of a listing: call(cb)
        runs it, handing each row to cb."""
        rows = []

        def each(row, arg):
            r = row.contents
            rows.append(dict(
                id=untext(r.id), job_hash=untext(r.job_hash),
                sheet_num=r.sheet_num, confidence=r.confidence,
                action=untext(r.action), guidance=untext(r.guidance),
                validation_pass_rate=r.validation_pass_rate,
                retry_count=r.retry_count,
                outcome_after_action=untext(r.outcome_after_action),
                recorded_at=untext(r.recorded_at), model=untext(r.model)))
            return 0

        cb = _lib.EACH_ESCALATION(each)
        with self._lock:
            self._check(call(cb))
        for r in rows:
            r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
        return [EscalationDecisionRecord(**r) for r in rows]

    # ---- exploration budget ----------------------------------------------

    def get_exploration_budget(self, job_hash=None):
        """The latest budget record of job_hash (None or "": of any job),
        as an ExplorationBudgetRecord; None when there is none."""
        row = _lib.BudgetRow()
        with self._lock:
            rc = lib.ls_get_exploration_budget(
                self._handle(), text(job_hash), ctypes.byref(row))
            if rc == _lib.SC_NOTFOUND:
                return None
            self._check_budget(row, rc)
        return _budget_record_owned(row)

    def get_exploration_budget_history(self, job_hash=None, limit=50):
        """The budget records of job_hash (None or "": of any job), newest
        first, at most limit (negative: all), as ExplorationBudgetRecord
        records."""
        rows = []

        def each(row, arg):
            rows.append(_budget_fields(row.contents))
            return 0

        cb = _lib.EACH_BUDGET(each)
        with self._lock:
            self._check(lib.ls_get_exploration_budget_history(
                self._handle(), text(job_hash), int(limit), cb, None))
        return [_budget_record(r) for r in rows]

    def update_exploration_budget(self, job_hash, budget_value,
                                  adjustment_type, entropy_at_time=None,
                                  adjustment_reason=None, floor=0.05,
                                  ceiling=0.50):
        """Record budget_value for job_hash, now (local time), clamped
        into [floor, ceiling]; when clamped, the type is "floor_enforced"
        or "ceiling_enforced" and the reason names the bound.  Returns
        the stored ExplorationBudgetRecord."""
        entropy = None if entropy_at_time is None else \
            ctypes.byref(ctypes.c_double(float(entropy_at_time)))
        row = _lib.BudgetRow()
        with self._lock:
            self._check_budget(row, lib.ls_update_exploration_budget(
                self._handle(), text(job_hash), float(budget_value),
                text(adjustment_type), entropy, text(adjustment_reason),
                float(floor), float(ceiling), ctypes.byref(row)))
        return _budget_record_owned(row)

    def calculate_budget_adjustment(self, job_hash, current_entropy,
                                    floor=0.05, ceiling=0.50,
                                    decay_rate=0.95, boost_amount=0.10,
                                    entropy_threshold=0.3,
                                    initial_budget=0.15):
        """Record job_hash's next budget: initial_budget ("initial") when
        it has none; else below entropy_threshold the latest budget +
        boost_amount ("boost"), otherwise it * decay_rate ("decay");
        clamped as update_exploration_budget clamps.  Returns the stored
        ExplorationBudgetRecord."""
        p = _lib.BudgetParams(
            floor=float(floor), ceiling=float(ceiling),
            decay_rate=float(decay_rate), boost_amount=float(boost_amount),
            entropy_threshold=float(entropy_threshold),
            initial_budget=float(initial_budget))
        row = _lib.BudgetRow()
        with self._lock:
            self._check_budget(row, lib.ls_calculate_budget_adjustment(
                self._handle(), text(job_hash), float(current_entropy),
                ctypes.byref(p), ctypes.byref(row)))
        return _budget_record_owned(row)

    def _check_budget(self, row, rc):
        """_check(rc), first freeing whatever the failed call left in
        row (a record written before its transaction failed)."""
        if rc != _lib.SC_OK:
            _lib.free_budget_row(row)
            self._check(rc)

    def get_exploration_budget_statistics(self, job_hash=None):
        """Over the budget records of job_hash (None or "": of every job),
        a dict of current_budget (None without records), avg_budget,
        min_budget, max_budget, total_adjustments, floor_enforcements,
        boost_count and decay_count."""
        s = _lib.BudgetStats()
        with self._lock:
            self._check(lib.ls_get_exploration_budget_statistics(
                self._handle(), text(job_hash), ctypes.byref(s)))
        return {
            "current_budget":
                s.current_budget if s.has_current_budget else None,
            "avg_budget": s.avg_budget,
            "min_budget": s.min_budget,
            "max_budget": s.max_budget,
            "total_adjustments": s.total_adjustments,
            "floor_enforcements": s.floor_enforcements,
            "boost_count": s.boost_count,
            "decay_count": s.decay_count,
        }


def _budget_fields(r):
    """The fields of a BudgetRow, copied into a dict."""
    return dict(
        id=untext(r.id), job_hash=untext(r.job_hash),
        recorded_at=untext(r.recorded_at), budget_value=r.budget_value,
        entropy_at_time=r.entropy_at_time if r.has_entropy_at_time
        else None,
        adjustment_type=untext(r.adjustment_type),
        adjustment_reason=untext(r.adjustment_reason))


def _budget_record(fields):
    """An ExplorationBudgetRecord of _budget_fields()' dict."""
    fields["recorded_at"] = datetime.fromisoformat(fields["recorded_at"])
    return ExplorationBudgetRecord(**fields)


def _budget_record_owned(row):
    """The ExplorationBudgetRecord of a BudgetRow the library filled for
    us, whose strings are freed."""
    try:
        fields = _budget_fields(row)
    finally:
        _lib.free_budget_row(row)
    return _budget_record(fields)


def _c_int(n):
    """n as a C int: beyond the range, its nearer end (the same question,
    as no listing holds 2**31 rows)."""
    return max(_INT_MIN, min(_INT_MAX, int(n)))
