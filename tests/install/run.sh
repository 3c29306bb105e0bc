#!/bin/sh
# A user's project against an installed schemac.  `make install` into a
# scratch prefix; the files, symlinks, soname and exported names are
# checked; then the three example projects of examples/ (pkg-config, the
# make fragment, the CMake package) are copied out of the tree, built
# with only the prefix's files on the include and library paths, and run.
# The make and CMake builds must regenerate only when the schema changes,
# and schemac-check must fail on a stale file.  Then DESTDIR staging and
# uninstall.  Needs cmake and pkg-config (a missing one fails, naming the
# apt-get command).
set -u
suite=install
. "$(dirname "$0")/../suite.sh"

plan 24 "install 4, version, static, pkg-config 2, make 4, cmake 4," \
    "outside the tree, python 2, destdir 2, uninstall, man pages," \
    "editor files"

# mk ARGS...: make with its flags pinned: nothing inherited from a parent
# make (make -s check would pass -s down and hide the commands read here).
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u GNUMAKEFLAGS -u MAKEFILES \
        make --no-print-directory "$@"
}

prefix=$tmp/prefix
b=${B:-build}
if mk -C "$root" B="$b" PREFIX="$prefix" install >"$tmp/install.log" 2>&1
then
    pass install
else
    fail install "$(tail -5 "$tmp/install.log")"
fi

# ---- what is installed ----
version=$(sed -n 's/^#define SCHEMAC_VERSION_STRING "\(.*\)"$/\1/p' \
    "$root/runtime/schemac.h")
so=libschemac.so
want="bin/schemac bin/learnstore lib/libschemac.a lib/$so lib/$so.0
      lib/$so.$version include/schemac.h lib/pkgconfig/schemac.pc
      share/schemac/schemac.mk lib/cmake/schemac/schemacConfig.cmake
      lib/cmake/schemac/schemacConfigVersion.cmake
      share/man/man1/schemac.1 share/man/man1/learnstore.1
      share/man/man3/libschemac.3 share/man/man5/schemac.5
      share/doc/schemac/README.md share/doc/schemac/CHANGELOG.md
      share/doc/schemac/schema-language.md share/doc/schemac/learning.md
      share/doc/schemac/learning.svg share/doc/schemac/schema-json.md
      share/doc/schemac/examples/cmake/CMakeLists.txt
      share/vim/vimfiles/syntax/schemac.vim
      share/vim/vimfiles/ftdetect/schemac.vim
      share/schemac/schemac.tmLanguage.json"
absent=""
for f in $want; do
    [ -e "$prefix/$f" ] || absent="$absent $f"
done
if [ -z "$absent" ]; then
    pass files
else
    fail files "not installed:$absent"
fi

# The shared library: soname, the chain of links, only sc_* exported.
soname=$(readelf -d "$prefix/lib/$so.$version" 2>/dev/null |
    sed -n 's/.*SONAME.*\[\(.*\)\].*/\1/p')
if [ "$soname" = "$so.0" ] &&
   [ "$(readlink "$prefix/lib/$so")" = "$so.0" ] &&
   [ "$(readlink "$prefix/lib/$so.0")" = "$so.$version" ]; then
    pass soname
else
    fail soname "soname '$soname', $so -> $(readlink "$prefix/lib/$so")"
fi
others=$(nm -D --defined-only "$prefix/lib/$so.$version" 2>/dev/null |
    awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | grep -v '^sc_' |
    head -5)
if [ -z "$others" ] &&
   nm -D --defined-only "$prefix/lib/$so.$version" | grep -q ' sc_open@'
then
    pass exports
else
    fail exports "exports other names or no sc_open: $others"
fi

# One version everywhere: the header, both commands, pkg-config, the man
# pages and the CMake package.
PATH=$prefix/bin:$PATH
PKG_CONFIG_PATH=$prefix/lib/pkgconfig
LD_LIBRARY_PATH=$prefix/lib
export PATH PKG_CONFIG_PATH LD_LIBRARY_PATH
bad=""
[ "$(schemac --version 2>&1)" = "schemac $version" ] ||
    bad="$bad schemac:'$(schemac --version 2>&1)'"
[ "$(learnstore --version 2>&1)" = "learnstore (schemac) $version" ] ||
    bad="$bad learnstore:'$(learnstore --version 2>&1)'"
[ "$(pkg-config --modversion schemac 2>&1)" = "$version" ] ||
    bad="$bad pkg-config:'$(pkg-config --modversion schemac 2>&1)'"
for m in "$prefix"/share/man/man*/*; do
    grep -q "^\.TH .* \"schemac $version\"" "$m" || bad="$bad $(basename "$m")"
done
grep -q "PACKAGE_VERSION \"$version\"" \
    "$prefix/lib/cmake/schemac/schemacConfigVersion.cmake" || bad="$bad cmake"
if [ -z "$version" ]; then
    fail version "no SCHEMAC_VERSION_STRING in runtime/schemac.h"
elif [ -z "$bad" ]; then
    pass version
else
    fail version "not $version:$bad"
fi

# ---- the three ways to build a project, outside the tree ----
work=$tmp/work
mkdir -p "$work"
for e in pkgconfig make cmake; do
    cp -R "$root/examples/$e" "$work/$e"
done
cflags="${CFLAGS:-} -Wall -Wextra -Werror"

# pkg-config: the example's build.sh, traced to see its commands.
if ! need pkg-config; then
    fail pkgconfig-build "$missing"
    fail pkgconfig-run "$missing"
elif CFLAGS=$cflags sh -x "$work/pkgconfig/build.sh" >"$tmp/pc.log" 2>&1
then
    pass pkgconfig-build
    db=$tmp/tasks.db
    o1=$("$work/pkgconfig/tasks" "$db" "buy milk" 2>&1)
    o2=$("$work/pkgconfig/tasks" "$db" "walk" 2>&1)
    if [ "$o1" = "task 1: buy milk (1 in all)" ] &&
       [ "$o2" = "task 2: walk (2 in all)" ]; then
        pass pkgconfig-run
    else
        fail pkgconfig-run "printed '$o1' then '$o2'"
    fi
else
    fail pkgconfig-build "$(tail -5 "$tmp/pc.log")"
    fail pkgconfig-run "not built"
fi

# The static library, linked by hand with SQLite and what schemac.pc
# says it needs privately (libpq, with PostgreSQL support).
if (cd "$work/pkgconfig" &&
    $CC $cflags -Igen -I"$prefix/include" -o tasks-static tasks.c \
        gen/tasks.c "$prefix/lib/libschemac.a" \
        $(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) \
        $(sed -n 's/^Libs.private: *//p' "$PKG_CONFIG_PATH/schemac.pc") \
        ${LDFLAGS:-}) >"$tmp/static.log" 2>&1 &&
   ! readelf -d "$work/pkgconfig/tasks-static" | grep -q libschemac &&
   [ "$("$work/pkgconfig/tasks-static" "$tmp/static.db" x 2>&1)" = \
       "task 1: x (1 in all)" ]; then
    pass static
else
    fail static "$(tail -3 "$tmp/static.log")"
fi

# make: the fragment's rules, then nothing to do, then a touched schema
# reruns schemac and compiles nothing, then schemac-check.
cd "$work/make" || exit 0
if CFLAGS=$cflags mk >"$tmp/make.log" 2>&1; then
    pass make-build
    o1=$(./inventory "$tmp/inv.db" bolts 2>&1)
    o2=$(./inventory "$tmp/inv.db" bolts 2>&1)
    if [ "$o1" = "bolts: 1" ] && [ "$o2" = "bolts: 2" ]; then
        pass make-run
    else
        fail make-run "printed '$o1' then '$o2'"
    fi
else
    fail make-build "$(tail -5 "$tmp/make.log")"
    fail make-run "not built"
fi
CFLAGS=$cflags mk >"$tmp/make2.log" 2>&1
touch inventory.schema
CFLAGS=$cflags mk >"$tmp/make3.log" 2>&1
if ! grep -q "is up to date" "$tmp/make2.log"; then
    fail make-regenerates-on-change "a second make did: $(head -3 \
        "$tmp/make2.log")"
elif ! grep -q "schemac -o gen inventory.schema" "$tmp/make3.log" ||
     grep -q -- " -c " "$tmp/make3.log"; then
    fail make-regenerates-on-change "after touching the schema: $(head -3 \
        "$tmp/make3.log")"
else
    pass make-regenerates-on-change
fi
mk schemac-check >"$tmp/check1.log" 2>&1
st1=$?
echo '/* edited */' >>gen/inventory.h
mk schemac-check >"$tmp/check2.log" 2>&1
st2=$?
if [ "$st1" = 0 ] && [ "$st2" != 0 ] &&
   grep -q "gen/inventory.h is stale" "$tmp/check2.log" &&
   ! grep -q "inventory.c is" "$tmp/check2.log"; then
    pass make-schemac-check
else
    fail make-schemac-check "statuses $st1 and $st2: $(head -3 \
        "$tmp/check2.log")"
fi
cd "$tmp" || exit 0

# CMake: find_package(schemac) and schemac_generate().
cm=$work/cmake
if ! need cmake; then
    for c in cmake-build cmake-run cmake-regenerates-on-change \
        cmake-version-request; do
        fail "$c" "$missing"
    done
elif CFLAGS=$cflags LDFLAGS=${LDFLAGS:-} cmake -S "$cm" -B "$cm/build" \
        -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" 2>&1 &&
     cmake --build "$cm/build" --verbose >>"$tmp/cmake.log" 2>&1; then
    pass cmake-build
    o=$("$cm/build/visits" "$tmp/v.db" /a >/dev/null 2>&1 &&
        "$cm/build/visits" "$tmp/v.db" /b >/dev/null 2>&1 &&
        "$cm/build/visits" "$tmp/v.db" /a 2>&1)
    if [ "$o" = "$(printf '/a 2\n/b 1')" ]; then
        pass cmake-run
    else
        fail cmake-run "printed '$o'"
    fi
    cmake --build "$cm/build" --verbose >"$tmp/cmake2.log" 2>&1
    touch "$cm/visits.schema"
    cmake --build "$cm/build" --verbose >"$tmp/cmake3.log" 2>&1
    if grep -q "schemac.* -o " "$tmp/cmake2.log"; then
        fail cmake-regenerates-on-change "a second build ran schemac"
    elif ! grep -q "schemac.* -o " "$tmp/cmake3.log"; then
        fail cmake-regenerates-on-change "a touched schema did not run" \
            "schemac"
    else
        pass cmake-regenerates-on-change
    fi
    # A newer release than installed is refused at configure time.
    sed 's/find_package(schemac 0.1 REQUIRED)/find_package(schemac 99.0 REQUIRED)/' \
        "$cm/CMakeLists.txt" >"$cm/CMakeLists.new"
    mv "$cm/CMakeLists.new" "$cm/CMakeLists.txt"
    if grep -q "schemac 99.0" "$cm/CMakeLists.txt" &&
       ! cmake -S "$cm" -B "$cm/build99" -DCMAKE_PREFIX_PATH="$prefix" \
            >"$tmp/cmake99.log" 2>&1 &&
       grep -q "compatible with requested version" "$tmp/cmake99.log"; then
        pass cmake-version-request
    else
        fail cmake-version-request "find_package(schemac 99.0) did not" \
            "fail on the version: $(tail -3 "$tmp/cmake99.log")"
    fi
else
    fail cmake-build "$(tail -5 "$tmp/cmake.log")"
    for c in cmake-run cmake-regenerates-on-change cmake-version-request; do
        fail "$c" "not built"
    done
fi

# Nothing of the source tree on any command of the three builds.
if cat "$tmp"/pc.log "$tmp"/make*.log "$tmp"/cmake*.log 2>/dev/null |
    grep -F -e "$root/" -e "$root " >"$tmp/leak"; then
    fail outside-the-tree "a build used the source tree: $(head -2 \
        "$tmp/leak")"
elif [ ! -s "$tmp/pc.log" ] || [ ! -s "$tmp/make.log" ]; then
    fail outside-the-tree "no build commands to read"
else
    pass outside-the-tree
fi

# ---- the Python package: from make install, and from pip install ----
# py_check DIR DB LOG: $PYTHON, with DIR first on its path, loads the
# package's library from DIR and records and reads a rate limit on the
# file DB.  The package is built and installed for Debian's python3
# (docs/python.md), so $PYTHON is /usr/bin/python3 unless set: a python3
# found first on the PATH (pyenv's, say) may lack Debian's wheel, and
# the test names the interpreter it ran.
if [ -z "${PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then
        PYTHON=/usr/bin/python3
    else
        PYTHON=$(command -v python3 || echo python3)
    fi
fi
py_check() {
    env ${preload:+LD_PRELOAD=$preload} PYTHONPATH="$1" \
        PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -c '
import sys
import learnstore
assert learnstore.library_path().startswith(sys.argv[1] + "/"), \
    learnstore.library_path()
s = learnstore.GlobalLearningStore(sys.argv[2])
s.record_rate_limit_event("E1", 60, "job")
assert [e.error_code for e in s.get_active_rate_limits()] == ["E1"]
s.close()' "$1" "$2" >"$3" 2>&1
}
case $b in
/*) bdir=$b ;;
*) bdir=$root/$b ;;
esac
if ! python_preload; then
    fail python-installed "$missing"
    fail pip-install "$missing"
else
    pydir=$prefix/lib/python3/dist-packages
    if py_check "$pydir" "$tmp/installed.db" "$tmp/py-installed.log"; then
        pass python-installed
    else
        fail python-installed "$(tail -3 "$tmp/py-installed.log")"
    fi
    # Offline, from the tree, reusing this build folder; the tree is left
    # as it was (setuptools works inside the build folder).
    git -C "$root" status --porcelain --ignored=no >"$tmp/tree-before" \
        2>/dev/null
    if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
        fail pip-install "no pip for $PYTHON: apt-get install -y python3-pip"
    elif ! "$PYTHON" -c 'import wheel' >/dev/null 2>&1; then
        fail pip-install "no wheel for $PYTHON: apt-get install -y" \
            "python3-wheel"
    elif ! env LEARNSTORE_BUILD_DIR="$bdir" PIP_ROOT_USER_ACTION=ignore \
            "$PYTHON" -m pip install -q --disable-pip-version-check \
            --no-build-isolation --no-index --target "$tmp/pip" "$root" \
            >"$tmp/pip.log" 2>&1; then
        fail pip-install "$(tail -3 "$tmp/pip.log")"
    elif ! py_check "$tmp/pip" "$tmp/pip.db" "$tmp/py-pip.log"; then
        fail pip-install "$(tail -3 "$tmp/py-pip.log")"
    elif git -C "$root" status --porcelain --ignored=no \
            >"$tmp/tree-after" 2>/dev/null &&
         ! cmp -s "$tmp/tree-before" "$tmp/tree-after"; then
        fail pip-install "the tree changed: $(diff "$tmp/tree-before" \
            "$tmp/tree-after" | head -3)"
    else
        pass pip-install
    fi
fi

# ---- DESTDIR, uninstall ----
stage=$tmp/stage
if mk -C "$root" B="$b" PREFIX=/opt/sc DESTDIR="$stage" install \
        >"$tmp/destdir.log" 2>&1 &&
   [ -x "$stage/opt/sc/bin/schemac" ] &&
   grep -q '^prefix=/opt/sc$' "$stage/opt/sc/lib/pkgconfig/schemac.pc"; then
    pass destdir-install
else
    fail destdir-install "$(tail -3 "$tmp/destdir.log")"
fi
if grep -rl -F "$stage" "$stage" >"$tmp/staged" 2>/dev/null ||
   [ ! -f "$stage/opt/sc/share/schemac/schemac.mk" ]; then
    fail destdir-paths "the staging folder is written into: $(head -2 \
        "$tmp/staged")"
elif grep -q '/opt/sc/bin/schemac' "$stage/opt/sc/share/schemac/schemac.mk" &&
     grep -q '/opt/sc/lib/libschemac.so' \
        "$stage/opt/sc/lib/cmake/schemac/schemacConfig.cmake"; then
    pass destdir-paths
else
    fail destdir-paths "the make fragment or CMake package lacks /opt/sc"
fi
mk -C "$root" B="$b" PREFIX="$prefix" uninstall >"$tmp/uninstall.log" 2>&1
left=$(find "$prefix" ! -type d | head -5)
if [ -z "$left" ] && [ -d "$prefix/lib" ]; then
    pass uninstall
else
    fail uninstall "left behind: $left $(tail -2 "$tmp/uninstall.log")"
fi

# ---- man pages: no warnings from mandoc's lint or groff ----
if ! need mandoc; then
    fail man-pages "$missing"
else
    : >"$tmp/man.log"
    for m in "$root"/docs/*.[1-8]; do
        mandoc -T lint "$m" >>"$tmp/man.log" 2>&1
        if command -v groff >/dev/null 2>&1; then
            groff -ww -man -Tutf8 -z "$m" >>"$tmp/man.log" 2>&1
        fi
    done
    n=$(ls "$root"/docs/*.[1-8] | wc -l)
    if [ -s "$tmp/man.log" ]; then
        fail man-pages "$(head -3 "$tmp/man.log")"
    elif [ "$n" -lt 4 ]; then
        fail man-pages "only $n man pages in docs/"
    else
        pass man-pages
    fi
fi

# ---- the installed editor files are the tree's ----
if cmp -s "$root/editors/schemac.tmLanguage.json" \
        "$stage/opt/sc/share/schemac/schemac.tmLanguage.json" &&
   cmp -s "$root/editors/vim/syntax/schemac.vim" \
        "$stage/opt/sc/share/vim/vimfiles/syntax/schemac.vim"; then
    pass editor-files
else
    fail editor-files "not installed under share/"
fi
