"""Fixtures of the learnstore package's tests: a scratch store, the
learnstore command, and the Python store's public method names."""

import json
import os
import subprocess

import pytest

import learnstore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


@pytest.fixture
def db_path(tmp_path):
    """A scratch database file's path (not created yet)."""
    return tmp_path / "learning.db"


@pytest.fixture
def store(db_path):
    """A store on a fresh scratch file, closed after the test."""
    s = learnstore.GlobalLearningStore(db_path)
    yield s
    s.close()


class Cli:
    """The learnstore command ($LEARNSTORE_BIN) on one database file."""

    def __init__(self, path):
        self.bin = os.environ.get("LEARNSTORE_BIN",
                                  os.path.join(ROOT, "build", "learnstore"))
        self.path = str(path)

    def run(self, *args):
        """Run the command with --db and --json; its parsed JSON output."""
        # A sanitizer runtime preloaded for python3 (tests/python/run.sh)
        # is not the command's: it brings its own.
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        p = subprocess.run([self.bin, "--db", self.path, "--json", *args],
                           capture_output=True, text=True, check=False,
                           env=env, timeout=120)
        assert p.returncode == 0, (args, p.returncode, p.stderr)
        return json.loads(p.stdout)


@pytest.fixture
def cli(db_path):
    return Cli(db_path)
