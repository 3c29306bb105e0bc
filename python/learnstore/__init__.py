"""learnstore: the global learning store for Python, backed by schemac's C
library (liblearnstore.so, through ctypes).

    from learnstore import GlobalLearningStore
    store = GlobalLearningStore()          # ~/.marianne/global-learning.db
    store.record_rate_limit_event("E101", 60.0, "my-job")
    limited, seconds = store.is_rate_limited("E101")

See docs/python.md for what is ported and how threads are handled.
"""

from . import models
from ._lib import StoreError, library_path
from .store import DEFAULT_GLOBAL_STORE_PATH, GlobalLearningStore

__all__ = [
    "DEFAULT_GLOBAL_STORE_PATH",
    "GlobalLearningStore",
    "StoreError",
    "library_path",
    "models",
]
