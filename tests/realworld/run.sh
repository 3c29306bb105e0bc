#!/bin/sh
# run.sh - schemas no one here wrote: the examples written from public DDL
# (examples/chinook, booktest, hockey, django; examples/README.md).  For
# each example NAME:
#   NAME/generates     schemac writes NAME.h, NAME.c and NAME.sql;
#   NAME/v1-database   a version-1 file is made with sqlite3 from
#                      `schemac --ddl-version 1 NAME.schema`, PRAGMA
#                      user_version = 1 and the rows of NAME-v1.sql;
#   NAME/readme        examples/README.md names the example's folder;
# and for each compiler (gcc, clang and CC, each binary once):
#   NAME-CC/builds     NAME.c and the generated code build with -Wall
#                      -Wextra -Wpedantic -Werror and link libschemac;
#   NAME-CC            the program runs on a new file and on a copy of the
#                      version-1 file, which it migrates; its own results
#                      are relayed as realworld/NAME-CC/TEST (tests/suite.sh).
# A compiler or sqlite3 that is not installed fails its cases, naming the
# install command.  Prints its plan and PASS/FAIL lines and exits 0.
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB (default build/...), CC, CFLAGS,
# LDFLAGS, SQLITE_CFLAGS, SC_LIBS; TEST_WRAPPER (a command to run the
# programs under, e.g. valgrind).
set -u

suite=realworld
. "$(dirname "$0")/../suite.sh"
bin=$SCHEMAC_BIN
lib=$SCHEMAC_LIB
examples="chinook booktest hockey django"

# The compilers: gcc, clang and CC, leaving out a name that runs a binary
# already listed (cc is usually gcc).  A compiler not installed stays, so
# its cases fail naming the package.
compilers=""
seen=" "
for c in gcc clang $CC; do
    real=$(command -v "$c" 2>/dev/null) && real=$(readlink -f "$real")
    : "${real:=$c}"
    case "$seen" in *" $real "*) continue ;; esac
    seen="$seen$real "
    compilers="$compilers $c"
done
# shellcheck disable=SC2086
set -- $compilers
ncomp=$#
# shellcheck disable=SC2086
set -- $examples
plan $(($# * (3 + 2 * ncomp))) "$# examples x (generates, v1-database," \
    "readme + $ncomp compilers (${compilers# }) x builds and the program's" \
    "own line)"

for name in $examples; do
    src=$root/examples/$name
    gen=$tmp/$name/gen
    mkdir -p "$gen"

    if [ ! -f "$bin" ]; then
        generated=0
        why="missing $bin (run make first)"
    elif "$bin" -o "$gen" "$src/$name.schema" >"$tmp/err" 2>&1; then
        generated=1
    else
        generated=0
        why="schemac failed: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
    fi
    if [ "$generated" = 1 ]; then
        pass "$name/generates"
    else
        fail "$name/generates" "$why"
    fi

    v1=$tmp/$name/v1.db
    if ! need sqlite3; then
        fail "$name/v1-database" "$missing"
    elif [ "$generated" = 0 ]; then
        fail "$name/v1-database" "not made: $why"
    elif { "$bin" --ddl-version 1 "$src/$name.schema" &&
           echo "PRAGMA user_version = 1;" &&
           cat "$src/$name-v1.sql"; } 2>"$tmp/err-ddl" |
         sqlite3 -bail "$v1" >"$tmp/err-sql" 2>&1 &&
         [ ! -s "$tmp/err-ddl" ] && [ ! -s "$tmp/err-sql" ]; then
        pass "$name/v1-database"
    else
        fail "$name/v1-database" \
            "$(cat "$tmp/err-ddl" "$tmp/err-sql" | head -n 3 | tr '\n' ' ')"
    fi

    if grep -q "($name/)" "$root/examples/README.md" 2>/dev/null; then
        pass "$name/readme"
    else
        fail "$name/readme" "examples/README.md does not link $name/"
    fi

    # shellcheck disable=SC2086
    for c in $compilers; do
        exe=$tmp/$name/$name-$c
        case $c in
        gcc|cc) pkg=gcc ;;
        *) pkg=$c ;;
        esac
        if ! need "$c" "$pkg"; then
            fail "$name-$c/builds" "$missing"
        elif [ "$generated" = 0 ]; then
            fail "$name-$c/builds" "$why"
        elif [ ! -f "$lib" ]; then
            fail "$name-$c/builds" "missing $lib (run make first)"
        elif ! "$c" -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
            -Wpedantic -Werror ${CFLAGS:-} -I"$gen" -I"$root/runtime" \
            -I"$root/tests" ${SQLITE_CFLAGS:-} -o "$exe" "$src/$name.c" \
            "$gen/$name.c" "$lib" ${LDFLAGS:-} $SC_LIBS -lpthread -lm \
            >"$tmp/err" 2>&1
        then
            fail "$name-$c/builds" "$(head -n 5 "$tmp/err" | tr '\n' ' ')"
        else
            pass "$name-$c/builds"
            # Each run migrates its own copy of the version-1 file.
            cp "$v1" "$tmp/$name/$c-v1.db" 2>/dev/null ||
                : >"$tmp/$name/$c-v1.db"
            suite_run "$name-$c" "$exe" "$tmp/$name/$c-new.db" \
                "$tmp/$name/$c-v1.db"
            continue
        fi
        fail "$name-$c" "not run: it did not build"
    done
done
exit 0
