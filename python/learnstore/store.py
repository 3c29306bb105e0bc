"""GlobalLearningStore: the Python store's class, each method one call into
liblearnstore over one connection the object keeps open.

The methods are grouped in mixins as the Python store groups them (one
module each); this module holds the connection, the hashes, clear_all
and the helpers every group calls into the library with.
"""

import contextlib
import contextvars
import ctypes
import os
import sqlite3
import threading
import weakref
from pathlib import Path

from . import _lib
from ._budget import BudgetMixin
from ._discovery import DiscoveryMixin
from ._drift import DriftMixin
from ._entropy import EntropyMixin
from ._escalations import EscalationMixin
from ._evolution import EvolutionMixin
from ._executions import ExecutionMixin
from ._factors import FactorsMixin
from ._lib import StoreError, lib, text, untext
from ._lifecycle import LifecycleMixin
from ._patterns import PatternMixin
from ._rate_limits import RateLimitMixin
from ._recovery import RecoveryMixin
from ._trust import TrustMixin

# The Python store's default file.
DEFAULT_GLOBAL_STORE_PATH = Path.home() / ".marianne" / "global-learning.db"

# Every store object of this process, for _after_fork_in_child().
_stores = weakref.WeakSet()


def _after_fork_in_child():
    """In a child of fork(): each store lets go of its parent's
    connection, which the child must not use (the library refuses it),
    and opens its own at its next call, as the Python store, which opens
    a connection per call, does in a child without knowing it.  The
    lock is a new one: another thread of the parent may have held the
    old one at the fork, and no thread of the child would ever release
    it."""
    for store in list(_stores):
        store._leave_parent()


os.register_at_fork(after_in_child=_after_fork_in_child)


class _Connection:
    """The connection and the calls into the library every group makes."""

    def __init__(self, db_path=None):
        self.db_path = db_path or DEFAULT_GLOBAL_STORE_PATH
        self._lock = threading.RLock()
        self._db = None
        self._close_after_batch = False
        # The sqlite3 connection of the batch_connection() block running
        # in this context (thread or asyncio task), as the Python store
        # scopes its own, with the handle whose batch it joins: (conn,
        # db), None outside a block.
        self._batch_conn = contextvars.ContextVar("_batch_conn",
                                                  default=None)
        with self._lock:
            self._handle()
        _stores.add(self)

    def _leave_parent(self):
        """Forget the parent's connection (_after_fork_in_child).  The
        library's sc_close() frees a handle a parent opened and leaves its
        connection alone; it takes no lock, so it may run right after
        fork()."""
        self._lock = threading.RLock()
        self._close_after_batch = False
        db, self._db = self._db, None
        if db is not None:
            lib.sc_close(db)

    def _handle(self):
        """The open connection, opened first when there is none.  The
        caller holds the lock."""
        if self._db is None:
            db = ctypes.c_void_p()
            rc = lib.ls_open(ctypes.byref(db), text(self.db_path))
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

    def _call(self, fn, *args):
        """fn(db, *args) under the lock; a StoreError unless it gives
        SC_OK."""
        with self._lock:
            self._check(fn(self._handle(), *args))

    def _found(self, fn, *args):
        """fn(db, *args) under the lock: True for SC_OK, False for
        SC_NOTFOUND, a StoreError for anything else."""
        with self._lock:
            rc = fn(self._handle(), *args)
            if rc == _lib.SC_NOTFOUND:
                return False
            self._check(rc)
        return True

    def _listing(self, fn, cbtype, take, *args):
        """Call the listing fn(db, *args, cb, NULL) under the lock, cb a
        cbtype calling take(...) with what the library hands over for
        each item (take returns 0).  An exception in take stops the
        listing (cb returns 1, which the library hands back) and is
        raised once the library has returned: left to ctypes it would be
        printed and the item dropped, the rest listed as if it were not
        there."""
        failed = []

        def each(*items):
            try:
                return take(*items)
            except BaseException as e:      # KeyboardInterrupt too
                failed.append(e)
                return 1

        with self._lock:
            rc = fn(self._handle(), *args, cbtype(each), None)
            if failed:
                raise failed[0]
            self._check(rc)

    def _rows(self, fn, row, *args):
        """The rows a listing fn(db, *args, each, NULL) hands to each, as
        row_values() dicts; row is the row_struct() class it lists."""
        rows = []
        add, values = rows.append, _lib.row_values

        def take(r, arg):
            add(values(r.contents))
            return 0

        self._listing(fn, row.each, take, *args)
        return rows

    def _fill(self, fn, row, *args):
        """The row_values() dict of the row fn(db, *args, &r) fills (a
        row of the row_struct() class row, whose strings the library
        malloc'd), None for SC_NOTFOUND; the row is freed either way,
        so a failed call leaks nothing it wrote."""
        r = row()
        try:
            if not self._found(fn, *args, ctypes.byref(r)):
                return None
            return _lib.row_values(r)
        finally:
            row.free(ctypes.byref(r))

    def close(self):
        """Close the connection.  The store stays usable: the next call
        opens the file again, as the Python store's no-op close allows.
        Inside batch_connection() the connection closes when the batch
        ends."""
        with self._lock:
            if self._db is not None and lib.sc_batch_depth(self._db) > 0:
                self._close_after_batch = True
                return
            self._close_after_batch = False
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

    @staticmethod
    def hash_workspace(workspace_path):
        """The first 16 hex digits of SHA-256 of the resolved path, as
        str(Path(workspace_path).resolve()) spells it."""
        out = _lib.HashText()
        rc = lib.ls_hash_workspace(_lib.path_text(workspace_path), out)
        if rc != _lib.SC_OK:
            raise StoreError(rc, "cannot resolve %s: %s"
                             % (workspace_path, untext(lib.sc_errstr(rc))))
        return untext(out.value)

    @staticmethod
    def hash_job(job_name, config_hash=None):
        """The first 16 hex digits of SHA-256 of "job_name:config_hash"
        (an empty config hash when None)."""
        out = _lib.HashText()
        rc = lib.ls_hash_job(text(job_name), text(config_hash), out)
        if rc != _lib.SC_OK:
            raise StoreError(rc, untext(lib.sc_errstr(rc)))
        return untext(out.value)

    def _on_sqlite(self):
        """Whether the store is an SQLite file (not a PostgreSQL
        database).  The caller holds the lock."""
        return lib.sc_sqlite(self._handle()) is not None

    def _connect(self):
        """A Python sqlite3 connection on the store's file, configured as
        the Python store configures its own.  A store on PostgreSQL has
        no file: StoreError (SC_MISUSE)."""
        with self._lock:
            if not self._on_sqlite():
                raise _lib.StoreError(_lib.SC_MISUSE, "the store is on "
                                      "PostgreSQL: there is no SQLite file "
                                      "for _get_connection() to open")
        conn = sqlite3.connect(str(self.db_path), timeout=30.0)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
        except BaseException:
            conn.close()
            raise
        conn.row_factory = sqlite3.Row
        return conn

    @contextlib.contextmanager
    def _get_connection(self):
        """A Python sqlite3.Connection on the store's file for code that
        runs its own SQL, as the Python store's: inside batch_connection()
        the batch's connection; otherwise a new one, committed when the
        block ends (rolled back when it raises) and closed."""
        batch = self._batch_conn.get()
        # A block the parent of this process entered (fork()) is the
        # parent's: its connection is not the child's to use.
        if batch is not None and batch[1] is self._db:
            yield batch[0]
            return
        conn = self._connect()
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    @contextlib.contextmanager
    def batch_connection(self):
        """Run a block as one transaction: the store's own calls in it
        are one batch of its connection (one commit at the end, all undone
        when the block raises), and the sqlite3.Connection it yields (also
        what _get_connection() yields in the block) commits or rolls back
        with it.  The store's lock is held for the block, so other threads
        wait for it rather than join the batch.  On PostgreSQL it yields
        None: the store's calls are still one batch."""
        with self._lock:
            self._check(lib.sc_batch_begin(self._handle()))
            db = self._db
            try:
                conn = self._connect() if self._on_sqlite() else None
            except BaseException:
                lib.sc_batch_rollback(db)
                raise
            token = self._batch_conn.set(
                (conn, db) if conn is not None else None)
            try:
                yield conn
            except BaseException:
                if self._db is db:
                    lib.sc_batch_rollback(db)
                    if conn is not None:
                        conn.rollback()
                raise
            else:
                if self._db is not db:
                    raise StoreError(_lib.SC_MISUSE, "batch_connection() "
                                     "was entered by the parent of this "
                                     "process (fork()): the batch is the "
                                     "parent's, and nothing of it was "
                                     "committed here")
                self._check(lib.sc_batch_commit(db))
                if conn is not None:
                    conn.commit()
            finally:
                self._batch_conn.reset(token)
                # In a child of fork() (db is no longer the store's) the
                # batch and its connections are the parent's: untouched.
                if self._db is db:
                    if conn is not None:
                        conn.close()
                    if self._close_after_batch and \
                            lib.sc_batch_depth(db) == 0:
                        self.close()

    def clear_all(self):
        """Delete every row of every data table, in one transaction; the
        schema version stays."""
        self._call(lib.sc_clear_all)


class GlobalLearningStore(ExecutionMixin, PatternMixin, LifecycleMixin,
                          TrustMixin, FactorsMixin, DiscoveryMixin,
                          DriftMixin,
                          EvolutionMixin, EntropyMixin, BudgetMixin,
                          RecoveryMixin, RateLimitMixin, EscalationMixin,
                          _Connection):
    """The global learning store on one SQLite file.

    The file is opened (created, or migrated to the current version, in
    one transaction) when the object is made and stays open until close();
    a call after close() opens it again.  Calls from several threads are
    safe: each holds the object's lock for its one call into the library.
    """
