"""pip install . : the learning store's Python package (python/learnstore/)
with the C library it calls (liblearnstore.so) built by the project's
Makefile and placed beside its modules.  Offline, with Debian's python3,
pip and setuptools:

    python3 -m pip install --no-build-isolation --no-index .

Building needs what `make` needs (docs/python.md): a C compiler, make,
re2c and libsqlite3-dev.  LEARNSTORE_BUILD_DIR names the build folder
to use (make's B; a folder already built is reused); without it the
library is built in a folder of setuptools' own.
"""

import os
import re
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))

# setuptools' own files go inside make's build folder (ignored by git,
# removed by make clean), apart from make's: build/setuptools by default.
BUILD_BASE = os.path.join(os.environ.get("LEARNSTORE_BUILD_DIR") or
                          os.path.join(ROOT, "build"), "setuptools")


def version():
    """SCHEMAC_VERSION_STRING of runtime/schemac.h, the project's one
    version."""
    with open(os.path.join(ROOT, "runtime", "schemac.h"),
              encoding="utf-8") as f:
        m = re.search(r'^#define SCHEMAC_VERSION_STRING "([^"]+)"', f.read(),
                      re.M)
    if not m:
        raise RuntimeError("no SCHEMAC_VERSION_STRING in runtime/schemac.h")
    return m.group(1)


class BuildWithLibrary(build_py):
    """build_py, then make's liblearnstore.so copied into the package."""

    def run(self):
        super().run()
        b = os.environ.get("LEARNSTORE_BUILD_DIR") or os.path.join(
            os.path.abspath(self.get_finalized_command("build").build_temp),
            "schemac")
        so = os.path.join(b, "python", "learnstore", "liblearnstore.so")
        # MAKEFLAGS from a calling make would change what this one does.
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        subprocess.run(["make", "-C", ROOT, "B=" + os.path.abspath(b), so],
                       check=True, env=env)
        dest = os.path.join(self.build_lib, "learnstore")
        self.mkpath(dest)
        shutil.copy2(so, os.path.join(dest, "liblearnstore.so"))


class BinaryDistribution(Distribution):
    """The package holds a compiled library: its wheel is for this
    platform, not pure Python."""

    def has_ext_modules(self):
        return True


setup(
    name="learnstore",
    version=version(),
    description="The global learning store, backed by schemac's C library",
    packages=["learnstore"],
    package_dir={"": "python"},
    python_requires=">=3.10",
    cmdclass={"build_py": BuildWithLibrary},
    distclass=BinaryDistribution,
    zip_safe=False,
    options={"build": {"build_base": BUILD_BASE},
             "egg_info": {"egg_base": BUILD_BASE}},
)
