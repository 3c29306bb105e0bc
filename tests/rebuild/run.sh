#!/bin/sh
# The build regenerates and recompiles exactly what a change needs.  In a
# copy of the tree: a second make does nothing; touching a schema reruns
# schemac but compiles nothing (its outputs did not change); editing it
# rebuilds the bindings and what includes them; changing the generator
# rebuilds schemac and regenerates; touching a header rebuilds exactly the
# objects whose sources include it (the compiler's -MMD lists).
# Each check compares the modification times of every build output before
# and after, so it fails when something is rebuilt that should not be, or
# is not rebuilt that should be; make's own output is not trusted alone.
set -u
LC_ALL=C        # sort and compare file names byte by byte
export LC_ALL
suite=rebuild
. "$(dirname "$0")/../suite.sh"
top=$root
plan 8 "first build, up to date, 3 schema and generator changes," \
    "3 headers"
src=$tmp/src
mkdir -p "$src"
(cd "$top" && tar --exclude='./build*' -cf - .) | (cd "$src" && tar -xf -)
if ! cd "$src"; then
    fail first-build "could not copy the tree to $src"
    exit 0
fi

# mk ARGS...: make in the copy with its flags pinned: nothing inherited
# from a parent make (make -s check would pass -s down and silence the
# commands some checks read; a parent's -j or -k would change them too).
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u GNUMAKEFLAGS -u MAKEFILES \
        make --no-print-directory CC="${CC:-cc}" CFLAGS="${CFLAGS:--O0}" \
        LDFLAGS="${LDFLAGS:-}" B=b "$@" 2>&1
}

# snap FILE: every build output (not the .d lists) with its modification
# time, sorted by name.
snap() {
    find b -type f ! -name '*.d' -printf '%p %T@\n' | sort >"$1"
}

# changed BEFORE AFTER: the outputs that are new or have a new time.
changed() {
    sort "$1" "$1" "$2" | uniq -u | cut -d' ' -f1 | sort -u
}

# objects_including DIR OBJDIR HEADER: the objects OBJDIR/x.o of the
# sources DIR/x.c that include "HEADER" themselves.
objects_including() {
    grep -l "^#include \"$3\"" "$1"/*.c | sed "s#^$1/\(.*\)\.c\$#$2/\1.o#" |
        sort
}

# expect_rebuilt NAME WANT BEFORE AFTER FILTER: the changed outputs
# matching FILTER (a grep pattern) must be exactly the lines of WANT, which
# must not be empty (an empty list would pass on a build that did nothing).
expect_rebuilt() {
    changed "$3" "$4" | grep -e "$5" >"$tmp/got"
    if [ ! -s "$2" ]; then
        fail "$1" "nothing expected: the test is broken"
    elif cmp -s "$2" "$tmp/got"; then
        pass "$1"
    else
        fail "$1" "rebuilt [$(tr '\n' ' ' <"$tmp/got")], expected [$(tr \
            '\n' ' ' <"$2")]"
    fi
}

unit_bins="b/tests/unit/test_rows b/tests/unit/test_column"
if ! mk -j2 b/learnstore $unit_bins >"$tmp/log"; then
    fail first-build "$(tail -5 "$tmp/log")"
    exit 0
fi
pass first-build

# ---- nothing to do ----
# (Not make -q: the stamp of a schemac run is newer than the outputs it
# left untouched, so make -q always answers that those need remaking,
# though remaking them is an empty recipe that compiles nothing.)
snap "$tmp/before"
sleep 1
mk b/learnstore $unit_bins >"$tmp/log"
snap "$tmp/after"
if [ ! -s "$tmp/before" ] || ! grep -q '^b/learnstore ' "$tmp/before"; then
    fail up-to-date "no outputs found to compare"
elif [ -n "$(changed "$tmp/before" "$tmp/after")" ]; then
    fail up-to-date "a second make rebuilt: $(changed "$tmp/before" \
        "$tmp/after" | tr '\n' ' ')"
elif grep -v -e "is up to date\.\$" -e "Nothing to be done" "$tmp/log" \
        >"$tmp/said"; then
    fail up-to-date "a second make said: $(head -3 "$tmp/said")"
else
    pass up-to-date
fi

# ---- schema and generator ----
sleep 1
touch schema/learning.schema
mk -j1 b/learnstore >"$tmp/log"
snap "$tmp/after2"
echo b/schema/learning.stamp >"$tmp/want"
if ! grep -q "schemac -o b/schema schema/learning.schema" "$tmp/log"; then
    fail touch-schema-compiles-nothing "schemac did not run: $(head -5 \
        "$tmp/log")"
else
    expect_rebuilt touch-schema-compiles-nothing "$tmp/want" "$tmp/after" \
        "$tmp/after2" .
fi

sleep 1
sed 's/^## One sheet execution and how it went\./## One sheet execution./' \
    schema/learning.schema >"$tmp/s"
if cmp -s "$tmp/s" schema/learning.schema; then
    fail edit-schema-rebuilds-dependents "the edit changed nothing"
else
    cp "$tmp/s" schema/learning.schema
    mk -j1 b/learnstore >"$tmp/log"
    snap "$tmp/after3"
    { echo b/schema/learning.o
      objects_including learnstore b/learnstore-obj learnstore.h; } |
        sort >"$tmp/want"
    expect_rebuilt edit-schema-rebuilds-dependents "$tmp/want" \
        "$tmp/after2" "$tmp/after3" '\.o$'
fi

sleep 1
touch gen/emit_sql.c
mk -j1 b/learnstore >"$tmp/log"
snap "$tmp/after4"
printf '%s\n' b/gen/emit_sql.o b/schema/learning.stamp b/schemac | sort \
    >"$tmp/want"
expect_rebuilt generator-change-regenerates "$tmp/want" "$tmp/after3" \
    "$tmp/after4" '\.o$\|\.stamp$\|/schemac$'

# ---- headers: exactly the objects that include them ----
# check_header NAME HEADER WANT_FILE FILTER: touch HEADER, make, and
# compare the rebuilt outputs matching FILTER with WANT_FILE.
check_header() {
    sleep 1
    snap "$tmp/hb"
    touch "$2"
    mk -j1 b/learnstore $unit_bins >"$tmp/log"
    snap "$tmp/ha"
    expect_rebuilt "$1" "$3" "$tmp/hb" "$tmp/ha" "$4"
}

objects_including learnstore b/learnstore-obj listing.h >"$tmp/want"
check_header header-listing-h learnstore/listing.h "$tmp/want" '\.o$'

# Of pg.c and nopg.c the build compiles one, as PG says (Makefile).
if [ "${PG:-1}" = 0 ]; then rt_omit=b/runtime/pg.o; else rt_omit=b/runtime/nopg.o; fi
objects_including runtime b/runtime internal.h | grep -vx "$rt_omit" \
    >"$tmp/want"
check_header header-internal-h runtime/internal.h "$tmp/want" '\.o$'

grep -l '^#include "fixture.h"' $(echo "$unit_bins" |
    sed 's#b/\(tests/unit/[^ ]*\)#\1.c#g') | sed 's#^\(.*\)\.c$#b/\1#' |
    sort >"$tmp/want"
check_header header-fixture-h tests/unit/fixture.h "$tmp/want" \
    '\.o$\|^b/tests/unit/'
