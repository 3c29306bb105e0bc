"""learnstore: the global learning store for Python, backed by schemac's C
library (liblearnstore.so, through ctypes): a drop-in GlobalLearningStore.

    from learnstore import GlobalLearningStore
    store = GlobalLearningStore()          # ~/.marianne/global-learning.db
    store.record_rate_limit_event("E101", 60.0, "my-job")
    limited, seconds = store.is_rate_limited("E101")

The package exports what the Python store's package does: the class,
get_global_store(), the default path, the promotion thresholds and the
records of learnstore.models.  See docs/python.md.
"""

import ctypes
import threading

from . import models
from ._lib import StoreError, lib, library_path
from .models import *  # noqa: F401,F403 - the records, as the Python store
from .store import DEFAULT_GLOBAL_STORE_PATH, GlobalLearningStore

# The promotion thresholds of promote_ready_patterns(), read from the
# library that applies them.
MIN_OCCURRENCES_FOR_PROMOTION = ctypes.c_int64.in_dll(
    lib, "ls_min_occurrences_for_promotion").value
PROMOTION_EFFECTIVENESS_THRESHOLD = ctypes.c_double.in_dll(
    lib, "ls_promotion_effectiveness_threshold").value
QUARANTINE_EFFECTIVENESS_THRESHOLD = ctypes.c_double.in_dll(
    lib, "ls_quarantine_effectiveness_threshold").value
DEGRADATION_THRESHOLD = ctypes.c_double.in_dll(
    lib, "ls_degradation_threshold").value

_global_store = None
_global_store_lock = threading.Lock()


def get_global_store(db_path=None):
    """The process's one GlobalLearningStore, made on first use; a db_path
    other than its own replaces it with one on that file."""
    global _global_store
    with _global_store_lock:
        if _global_store is None or (
                db_path is not None and _global_store.db_path != db_path):
            _global_store = GlobalLearningStore(db_path)
        return _global_store


__all__ = [
    "DEFAULT_GLOBAL_STORE_PATH",
    "DEGRADATION_THRESHOLD",
    "GlobalLearningStore",
    "MIN_OCCURRENCES_FOR_PROMOTION",
    "PROMOTION_EFFECTIVENESS_THRESHOLD",
    "QUARANTINE_EFFECTIVENESS_THRESHOLD",
    "StoreError",
    "get_global_store",
    "library_path",
    "models",
] + models.__all__
