#!/bin/sh
# run.sh - integration tests: for each test_NAME.c here, generate
# NAME.schema, compile the program and the generated code with CC, gcc and
# clang (-Werror), link them with libschemac and SQLite, and run the
# program on a scratch database file.  For each program and compiler it
# reports NAME-COMPILER/builds and the program's own line, and relays the
# program's results as integ/NAME-COMPILER/TEST (see tests/suite.sh); a
# compiler that is not installed fails its cases, naming the install
# command.  Exits 0.
#
#   sh tests/integ/run.sh [DIR SUITE]
# runs the test_NAME.c programs of DIR instead, reporting as SUITE/...
# (another suite's run.sh calls it so).
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB (default build/...), CC, CFLAGS,
# SQLITE_CFLAGS, SQLITE_LIBS; TEST_WRAPPER (a command to run the programs
# under, e.g. valgrind).
set -u

suite=${2:-integ}
. "$(dirname "$0")/../suite.sh"
here=$(cd "${1:-$here}" && pwd)
bin=$SCHEMAC_BIN
lib=$SCHEMAC_LIB

compilers=""
for c in $CC gcc clang; do
    case " $compilers " in *" $c "*) ;; *) compilers="$compilers $c" ;; esac
done
set -- $compilers
ncomp=$#
set -- "$here"/test_*.c
[ -e "$1" ] || set --
plan $(($# * ncomp * 2)) "$# programs x $ncomp compilers (${compilers# })" \
    "x builds and the program's own line"

for f in "$bin" "$lib"; do
    if [ ! -f "$f" ]; then
        fail setup "missing $f (run make first)"
        exit 0
    fi
done

for prog in "$@"; do
    name=$(basename "$prog" .c)
    name=${name#test_}
    gen="$tmp/$name/gen"
    mkdir -p "$gen"
    generated=1
    if ! "$bin" -o "$gen" "$here/$name.schema" >"$tmp/err" 2>&1; then
        generated=0
        why="schemac failed: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
    fi
    for c in $compilers; do
        exe="$tmp/$name/test-$c"
        case $c in
        gcc|cc) need "$c" gcc ;;
        *) need "$c" ;;
        esac
        if [ $? -ne 0 ]; then
            fail "$name-$c/builds" "$missing"
        elif [ "$generated" = 0 ]; then
            fail "$name-$c/builds" "$why"
        # shellcheck disable=SC2086
        elif ! "$c" -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
            -Wpedantic -Werror ${CFLAGS:-} -I"$gen" -I"$root/runtime" \
            -I"$root/tests" ${SQLITE_CFLAGS:-} -o "$exe" "$prog" \
            "$gen/$name.c" "$lib" $SQLITE_LIBS -lpthread -lm >"$tmp/err" 2>&1
        then
            fail "$name-$c/builds" "$(head -n 5 "$tmp/err" | tr '\n' ' ')"
        else
            pass "$name-$c/builds"
            suite_run "$name-$c" "$exe" "$tmp/$name/$c.db"
            continue
        fi
        fail "$name-$c" "not run: it did not build"
    done
done
exit 0
