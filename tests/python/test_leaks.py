"""No call leaks what the library allocates for it: every method that
hands back memory the library malloc'd (records, lists, strings) is
called a thousand times, and the C heap in use must not grow by what one
leaked allocation per call would add.  The heap in use is glibc's
(mallinfo2), or AddressSanitizer's when the library runs under it (CI's
sanitized run, where glibc's malloc is not the one in use)."""

import ctypes
from datetime import datetime

from learnstore.models import PatternEntropyMetrics


class _MallInfo2(ctypes.Structure):
    """struct mallinfo2 of glibc's malloc.h."""
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost")]


_process = ctypes.CDLL(None)
_process.malloc.restype = ctypes.c_void_p
_process.malloc.argtypes = [ctypes.c_size_t]
_process.free.restype = None
_process.free.argtypes = [ctypes.c_void_p]
_mallinfo2 = _process.mallinfo2
_mallinfo2.restype = _MallInfo2
try:
    _asan_in_use = _process.__sanitizer_get_current_allocated_bytes
    _asan_in_use.restype = ctypes.c_size_t
except AttributeError:
    _asan_in_use = None

ROUNDS = 1000


def heap_in_use():
    """Bytes malloc has handed out and not had back."""
    if _asan_in_use is not None:
        return _asan_in_use()
    return _mallinfo2().uordblks


def test_heap_in_use_counts():
    """The measure sees a malloc and its free (else the leak test below
    could not fail)."""
    before = heap_in_use()
    p = _process.malloc(100000)
    assert heap_in_use() - before >= 100000
    _process.free(p)
    assert heap_in_use() - before < 100000


def filled(store):
    """A store holding something for every call below to read; returns
    the ids those calls take."""
    pid = store.record_pattern("retry", "wait it out", "wait",
                               context_tags=["api"])
    for i in range(12):
        store.record_pattern_application(pid, "exec-%d" % i, i % 3 != 0,
                                         grounding_confidence=0.5)
    store.update_success_factors(pid, ["file"], ["rate_limit"],
                                 "completed", 0, False, 0.7)
    store.record_error_recovery("E101", 30.0, 12.0, True, "m")
    store.update_exploration_budget("job", 0.2, "decay", 0.4, "why")
    store.assign_workspace_cluster("ws", "cluster")
    store.record_escalation_decision("job", 1, 0.5, "retry", 50.0, 1)
    store.record_pattern_discovery(pid, "wait it out", "retry", "job", 1.0,
                                   ["api"])
    store.record_evolution_entry(1, 2, 0, ["a", "b"], 0.5, 10, 5, 1.0)
    store.record_evolution_entry(2, 2, 0, ["a"], 0.5, 10, 5, 1.0)
    store.record_pattern_entropy(PatternEntropyMetrics(
        calculated_at=datetime.now(), shannon_entropy=1.0,
        max_possible_entropy=2.0, diversity_index=0.5,
        unique_pattern_count=2, effective_pattern_count=2,
        total_applications=12, dominant_pattern_share=0.5,
        threshold_exceeded=False))
    store.record_rate_limit_event("E101", 600.0, "job", "m")
    return pid


def calls(store, pid):
    """One call of each method that returns memory the library
    allocated."""
    store.get_patterns(min_priority=0.0)
    store.get_pattern_by_id(pid)
    store.get_pattern_provenance(pid)
    store.get_success_factors(pid)
    store.analyze_pattern_why(pid)
    store.get_patterns_with_why()
    store.get_optimal_execution_window("E101")
    store.get_exploration_budget("job")
    store.get_exploration_budget_history("job")
    store.get_workspace_cluster("ws")
    store.get_similar_workspaces("cluster")
    store.get_escalation_history()
    store.get_active_rate_limits()
    store.check_recent_pattern_discoveries()
    store.calculate_effectiveness_drift(pid)
    store.calculate_epistemic_drift(pid)
    store.get_pattern_drift_summary()
    store.get_epistemic_drift_summary()
    store.get_drifting_patterns()
    store.get_trajectory()
    store.get_recurring_issues()
    store.calculate_pattern_entropy()
    store.get_pattern_entropy_history()
    store.check_entropy_response_needed("job")
    store.promote_ready_patterns()
    store.get_quarantined_patterns()
    store.get_high_trust_patterns(threshold=0.0)


def test_no_leak(store):
    pid = filled(store)
    for _ in range(ROUNDS // 4):
        calls(store, pid)
    before = heap_in_use()
    for _ in range(ROUNDS):
        calls(store, pid)
    grown = heap_in_use() - before
    # One leaked allocation per round is at least 32 bytes (malloc's
    # smallest chunk) times ROUNDS: 32,000 bytes; half of that is allowed
    # for the heap settling, which does not grow with the rounds (0 to
    # 6,016 bytes here, whatever their number).
    assert grown < 16 * ROUNDS, "the C heap grew %d bytes" % grown
