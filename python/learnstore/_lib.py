"""The C library underneath: liblearnstore.so loaded with ctypes, the
prototypes of the functions the package calls, the structures they fill,
and StoreError, which carries an SC_* code and the library's message.

The library is the file named by $LEARNSTORE_LIBRARY when that is set,
else liblearnstore.so beside this module (where `make python` puts it).
"""

import ctypes
import os
import sqlite3

# The SC_* result codes of schemac.h, in enum order.
SC_NAMES = (
    "SC_OK", "SC_NOTFOUND", "SC_CONSTRAINT", "SC_BUSY", "SC_VERSION",
    "SC_NOTADB", "SC_MISUSE", "SC_NOMEM", "SC_IO", "SC_CORRUPT", "SC_ERROR",
)
SC_OK = 0
SC_NOTFOUND = 1
SC_MISUSE = 6

LS_UUID_LEN = 37        # 36 characters and a NUL
LS_HASH_HEX = 17        # 16 hex digits and a NUL


class StoreError(sqlite3.Error):
    """A call into the learning store failed.

    code is the SC_* number, name its name ("SC_BUSY") and message the
    library's text.  A subclass of sqlite3.Error, which the Python store's
    callers already catch.
    """

    def __init__(self, code, message):
        self.code = code
        self.name = SC_NAMES[code] if 0 <= code < len(SC_NAMES) else \
            "SC_%d" % code
        self.message = message
        super().__init__("%s: %s" % (self.name, message))


class ExecutionStats(ctypes.Structure):
    """struct ls_execution_stats."""
    _fields_ = [
        ("total_executions", ctypes.c_int64),
        ("success_without_retry_rate", ctypes.c_double),
        ("total_patterns", ctypes.c_int64),
        ("avg_pattern_effectiveness", ctypes.c_double),
        ("total_error_recoveries", ctypes.c_int64),
        ("unique_workspaces", ctypes.c_int64),
    ]


class RateLimitRow(ctypes.Structure):
    """struct learning_rate_limit_events (generated from the schema)."""
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("error_code", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
        ("recorded_at", ctypes.c_char_p),
        ("expires_at", ctypes.c_char_p),
        ("source_job_hash", ctypes.c_char_p),
        ("duration_seconds", ctypes.c_double),
    ]


# int (*each)(const struct learning_rate_limit_events *, void *)
EACH_RATE_LIMIT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(RateLimitRow),
                                   ctypes.c_void_p)


class WaitAdvice(ctypes.Structure):
    """struct ls_wait_advice."""
    _fields_ = [
        ("delay", ctypes.c_double),
        ("confidence", ctypes.c_double),
        ("strategy", ctypes.c_char_p),
    ]


class EscalationInput(ctypes.Structure):
    """struct ls_escalation."""
    _fields_ = [
        ("job_id", ctypes.c_char_p),
        ("sheet_num", ctypes.c_int64),
        ("confidence", ctypes.c_double),
        ("action", ctypes.c_char_p),
        ("validation_pass_rate", ctypes.c_double),
        ("retry_count", ctypes.c_int64),
        ("guidance", ctypes.c_char_p),
        ("outcome_after_action", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
    ]


class EscalationRow(ctypes.Structure):
    """struct learning_escalation_decisions (generated from the schema)."""
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("job_hash", ctypes.c_char_p),
        ("sheet_num", ctypes.c_int64),
        ("confidence", ctypes.c_double),
        ("action", ctypes.c_char_p),
        ("guidance", ctypes.c_char_p),
        ("validation_pass_rate", ctypes.c_double),
        ("retry_count", ctypes.c_int64),
        ("outcome_after_action", ctypes.c_char_p),
        ("recorded_at", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
    ]


# int (*each)(const struct learning_escalation_decisions *, void *)
EACH_ESCALATION = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(EscalationRow),
                                   ctypes.c_void_p)


class ExecutionRow(ctypes.Structure):
    """struct learning_executions (generated from the schema)."""
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("workspace_hash", ctypes.c_char_p),
        ("job_hash", ctypes.c_char_p),
        ("sheet_num", ctypes.c_int64),
        ("started_at", ctypes.c_char_p),
        ("completed_at", ctypes.c_char_p),
        ("duration_seconds", ctypes.c_double),
        ("has_duration_seconds", ctypes.c_bool),
        ("status", ctypes.c_char_p),
        ("retry_count", ctypes.c_int64),
        ("has_retry_count", ctypes.c_bool),
        ("success_without_retry", ctypes.c_bool),
        ("has_success_without_retry", ctypes.c_bool),
        ("validation_pass_rate", ctypes.c_double),
        ("has_validation_pass_rate", ctypes.c_bool),
        ("confidence_score", ctypes.c_double),
        ("has_confidence_score", ctypes.c_bool),
        ("model", ctypes.c_char_p),
        ("error_codes", ctypes.c_char_p),
    ]


# int (*each)(const struct learning_executions *, void *)
EACH_EXECUTION = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ExecutionRow),
                                  ctypes.c_void_p)


class BudgetRow(ctypes.Structure):
    """struct learning_exploration_budget (generated from the schema)."""
    _fields_ = [
        ("id", ctypes.c_char_p),
        ("job_hash", ctypes.c_char_p),
        ("recorded_at", ctypes.c_char_p),
        ("budget_value", ctypes.c_double),
        ("entropy_at_time", ctypes.c_double),
        ("has_entropy_at_time", ctypes.c_bool),
        ("adjustment_type", ctypes.c_char_p),
        ("adjustment_reason", ctypes.c_char_p),
    ]


# int (*each)(const struct learning_exploration_budget *, void *)
EACH_BUDGET = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(BudgetRow),
                               ctypes.c_void_p)


class BudgetParams(ctypes.Structure):
    """struct ls_budget_params."""
    _fields_ = [
        ("floor", ctypes.c_double),
        ("ceiling", ctypes.c_double),
        ("decay_rate", ctypes.c_double),
        ("boost_amount", ctypes.c_double),
        ("entropy_threshold", ctypes.c_double),
        ("initial_budget", ctypes.c_double),
    ]


class BudgetStats(ctypes.Structure):
    """struct ls_budget_stats."""
    _fields_ = [
        ("has_current_budget", ctypes.c_bool),
        ("current_budget", ctypes.c_double),
        ("avg_budget", ctypes.c_double),
        ("min_budget", ctypes.c_double),
        ("max_budget", ctypes.c_double),
        ("total_adjustments", ctypes.c_int64),
        ("floor_enforcements", ctypes.c_int64),
        ("boost_count", ctypes.c_int64),
        ("decay_count", ctypes.c_int64),
    ]


# int (*each)(const char *workspace_hash, void *arg)
EACH_WORKSPACE_HASH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p,
                                       ctypes.c_void_p)


def library_path():
    """Where the shared library is looked for (see the module's text)."""
    env = os.environ.get("LEARNSTORE_LIBRARY")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "liblearnstore.so")


def _load():
    path = library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "cannot load the learning store's library %s (%s); build it "
            "with `make python`, or name it in LEARNSTORE_LIBRARY"
            % (path, e)) from e

    db = ctypes.c_void_p
    s = ctypes.c_char_p
    i = ctypes.c_int
    i64 = ctypes.c_int64
    d = ctypes.c_double
    protos = {
        "ls_open": (i, [ctypes.POINTER(db), s]),
        "sc_close": (i, [db]),
        "sc_errmsg": (s, [db]),
        "sc_errstr": (s, [i]),
        "sc_clear_all": (i, [db]),
        "ls_hash_job": (i, [s, s, ctypes.c_char_p]),
        "ls_hash_workspace": (i, [s, ctypes.c_char_p]),
        "ls_get_execution_stats": (i, [db, ctypes.POINTER(ExecutionStats)]),
        "ls_record_rate_limit_event": (i, [db, s, ctypes.c_double, s, s,
                                           ctypes.c_char_p]),
        "ls_is_rate_limited": (i, [db, s, s, ctypes.POINTER(ctypes.c_bool),
                                   ctypes.POINTER(ctypes.c_double)]),
        "ls_get_active_rate_limits": (i, [db, s, EACH_RATE_LIMIT,
                                          ctypes.c_void_p]),
        "ls_cleanup_expired_rate_limits": (i, [db, ctypes.POINTER(
            ctypes.c_int64)]),
        "ls_record_error_recovery": (i, [db, s, d, d, ctypes.c_bool, s,
                                         ctypes.c_char_p]),
        "ls_get_learned_wait_time": (i, [db, s, s, i,
                                         ctypes.POINTER(ctypes.c_bool),
                                         ctypes.POINTER(d)]),
        "ls_get_error_recovery_sample_count": (i, [db, s,
                                                   ctypes.POINTER(i64)]),
        "ls_get_learned_wait_time_with_fallback": (i, [
            db, s, d, s, i, d, ctypes.POINTER(WaitAdvice)]),
        "ls_record_escalation_decision": (i, [db, ctypes.POINTER(
            EscalationInput), ctypes.c_char_p]),
        "ls_get_escalation_history": (i, [db, s, s, i64, EACH_ESCALATION,
                                          ctypes.c_void_p]),
        "ls_get_similar_escalation": (i, [db, d, d, d, d, i64,
                                          EACH_ESCALATION, ctypes.c_void_p]),
        "ls_update_escalation_outcome": (i, [db, s, s]),
        "ls_get_recent_executions": (i, [db, i64, s, EACH_EXECUTION,
                                         ctypes.c_void_p]),
        # cluster_id comes back malloc'd: a void pointer, to free after
        # copying it (c_char_p would lose the pointer).
        "ls_get_workspace_cluster": (i, [db, s, ctypes.POINTER(
            ctypes.c_void_p)]),
        "ls_assign_workspace_cluster": (i, [db, s, s]),
        "ls_get_similar_workspaces": (i, [db, s, i64, EACH_WORKSPACE_HASH,
                                          ctypes.c_void_p]),
        # The records these fill are malloc'd: free_budget_row() frees them
        # with learning_exploration_budget_free().
        "ls_update_exploration_budget": (i, [db, s, d, s, ctypes.POINTER(d),
                                             s, d, d, ctypes.POINTER(
                                                 BudgetRow)]),
        "ls_get_exploration_budget": (i, [db, s, ctypes.POINTER(BudgetRow)]),
        "ls_get_exploration_budget_history": (i, [db, s, i64, EACH_BUDGET,
                                                  ctypes.c_void_p]),
        "ls_calculate_budget_adjustment": (i, [db, s, d, ctypes.POINTER(
            BudgetParams), ctypes.POINTER(BudgetRow)]),
        "ls_get_exploration_budget_statistics": (i, [db, s, ctypes.POINTER(
            BudgetStats)]),
        "learning_exploration_budget_free": (None, [ctypes.POINTER(
            BudgetRow)]),
    }
    for name, (restype, argtypes) in protos.items():
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = argtypes
    return lib


lib = _load()

# The C library's free(), for the strings the library mallocs for its
# caller: the process has one malloc, which liblearnstore.so uses too.
_libc = ctypes.CDLL(None)
c_free = _libc.free
c_free.restype = None
c_free.argtypes = [ctypes.c_void_p]


def free_budget_row(row):
    """Free the strings of a BudgetRow the library filled, with the
    library's own learning_exploration_budget_free(), which also zeroes
    it."""
    lib.learning_exploration_budget_free(ctypes.byref(row))


def text(value):
    """A Python str (or None) as the bytes (or NULL) C takes."""
    if value is None:
        return None
    return os.fsencode(value) if isinstance(value, os.PathLike) \
        else str(value).encode("utf-8")


def untext(value):
    """Bytes from C (or None) as a Python str (or None)."""
    return None if value is None else value.decode("utf-8")


def error(db, rc):
    """The StoreError of rc, with db's message (the code's name when db is
    NULL)."""
    if db:
        msg = lib.sc_errmsg(db)
    else:
        msg = lib.sc_errstr(rc)
    return StoreError(rc, untext(msg))
