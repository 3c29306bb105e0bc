"""Every public method called with odd arguments (tests/python/oddargs.py,
in a process of its own per seed): no crash, only the exceptions a caller
can expect of bad arguments, and a sound file afterwards.  A list of tags
with a None in it once crashed the library here."""

import json
import os
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# What odd arguments may raise: what the Python store's own code raises
# on them (the types' and values' errors, an attribute missing on an
# outcome, an integer too large for SQLite, text that is not UTF-8) and
# the store's StoreError.
EXPECTED = {"returned", "TypeError", "ValueError", "AttributeError",
            "OverflowError", "UnicodeEncodeError", "StoreError"}


def odd_calls(db, seed, calls=2500):
    """Run oddargs.py on db (a file, or a PostgreSQL URI) with seed, and
    check that it did not crash and raised nothing unexpected; the
    outcomes it counted."""
    p = subprocess.run([sys.executable, os.path.join(HERE, "oddargs.py"),
                        str(db), str(seed), str(calls)],
                       capture_output=True, text=True, timeout=600,
                       check=False)
    assert p.returncode == 0, (seed, p.returncode, p.stderr[-2000:])
    seen = json.loads(p.stdout.splitlines()[-1])
    kinds = {k.split(":", 1)[-1] for k in seen}
    assert kinds <= EXPECTED, (seed, seen)
    assert seen.get("returned", 0) > 0, (seed, seen)
    return seen


def test_odd_arguments(tmp_path):
    for seed in range(6):
        db = tmp_path / ("odd%d.db" % seed)
        odd_calls(db, seed)
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() \
                == ("ok",)
        finally:
            con.close()
