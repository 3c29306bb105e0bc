"""Call the package's public methods with odd arguments, in a process of
its own (test_odd_arguments.py runs it): a crash is the defect this
finds, so the caller sees it as the process's status.

    python3 oddargs.py DB SEED CALLS

Every method (but close) gets a random choice, per parameter, of values
of the wrong type, out of range, empty, huge, NaN, with NUL bytes or
lone surrogates, or an object whose every attribute is such a value;
some calls run inside batch_connection().  Prints one JSON object: the
exception types raised, counted, and the calls that returned."""

import datetime
import inspect
import json
import math
import random
import sys

from learnstore import GlobalLearningStore


class NoStr:
    """An object that cannot be made text."""

    def __str__(self):
        raise ValueError("no text")


class Anything:
    """An object whose every attribute is an odd value."""

    def __init__(self, rng):
        self._rng = rng

    def __getattr__(self, name):
        return odd(self._rng)


VALUES = [
    None, 0, -1, 1, 2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, -2 ** 63, 2 ** 63,
    -2 ** 63 - 1, 2 ** 200, 0.5, -0.0, math.nan,
    math.inf, -math.inf, 1e308, "", "a", "x" * 5000, "caf\u00e9 \u0130",
    "\0", "a\0b", "\ud800", b"bytes", b"\xff", [], ["a", None], [1, 2],
    {}, {"a": 1}, True, False, NoStr(), object(), ("t",),
    datetime.datetime.now(), datetime.datetime(1, 1, 1),
    datetime.datetime(9999, 12, 31, tzinfo=datetime.timezone.utc),
    "2026-01-01T00:00:00", "not a time", "/", ".", "..", "/dev/null",
]


def odd(rng):
    """One odd value (now and then an Anything)."""
    if rng.random() < 0.15:
        return Anything(rng)
    return rng.choice(VALUES)


def call(method, rng, seen):
    """Call method with odd values for a random subset of its
    parameters (every one without a default); count what happened."""
    kw = {}
    for p in inspect.signature(method).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty and rng.random() < 0.4:
            continue
        kw[p.name] = odd(rng)
    try:
        method(**kw)
        name = "returned"
    except Exception as e:      # counted by type; the caller judges
        name = type(e).__name__
    seen[name] = seen.get(name, 0) + 1


def main(db, seed, calls):
    rng = random.Random(seed)
    store = GlobalLearningStore(db)
    methods = [m for n, m in inspect.getmembers(store, inspect.ismethod)
               if not n.startswith("_")
               and n not in ("close", "batch_connection")]
    seen = {}
    done = 0
    while done < calls:
        group = rng.randint(1, 8)
        if rng.random() < 0.3:
            try:
                with store.batch_connection():
                    for _ in range(group):
                        call(rng.choice(methods), rng, seen)
            except Exception as e:
                name = "batch:" + type(e).__name__
                seen[name] = seen.get(name, 0) + 1
        else:
            for _ in range(group):
                call(rng.choice(methods), rng, seen)
        done += group
    # Still a working store.
    store.get_execution_stats()
    store.close()
    print(json.dumps(seen, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
