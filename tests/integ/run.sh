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
#   sh tests/integ/run.sh [DIR SUITE [PGNAMES]]
# runs the test_NAME.c programs of DIR instead, reporting as SUITE/...
# (another suite's run.sh calls it so), PGNAMES (space-separated) being
# the ones that also run on PostgreSQL.
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB (default build/...), CC, CFLAGS,
# SQLITE_CFLAGS, SC_LIBS; TEST_WRAPPER (a command to run the programs
# under, e.g. valgrind).
set -u

suite=${2:-integ}
pg_programs=" ${3-crud foreignkeys generated genkeys literals names nullness views} "
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
# The programs that use nothing but the sc_* API also run on PostgreSQL
# (the private server of tests/pg/with-server.sh, a fresh database each),
# built by the first compiler: NAME-pg.  The others look into the SQLite
# file itself.  Without a server each is a SKIP naming why.
npg=0
for prog in "$@"; do
    case $pg_programs in *" $(basename "$prog" .c | sed 's/^test_//') "*)
        npg=$((npg + 1)) ;;
    esac
done
plan $(($# * ncomp * 2 + npg)) "$# programs x $ncomp compilers" \
    "(${compilers# }) x builds and the program's own line, and $npg on" \
    "PostgreSQL"
pg_up=0
if [ "$npg" -gt 0 ] && pg_need; then
    pg_up=1
fi

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
            "$gen/$name.c" "$lib" $SC_LIBS -lpthread -lm >"$tmp/err" 2>&1
        then
            fail "$name-$c/builds" "$(head -n 5 "$tmp/err" | tr '\n' ' ')"
        else
            pass "$name-$c/builds"
            suite_run "$name-$c" "$exe" "$tmp/$name/$c.db"
            [ -z "${pg_exe:-}" ] && pg_exe=$exe
            continue
        fi
        fail "$name-$c" "not run: it did not build"
    done
    case $pg_programs in *" $name "*) ;; *) unset pg_exe; continue ;; esac
    if [ "$pg_up" = 0 ]; then
        skip "$name-pg" "$missing"
    elif [ -z "${pg_exe:-}" ]; then
        fail "$name-pg" "not run: it did not build"
    elif ! uri=$(pg_fresh_db "$name" 2>"$tmp/err"); then
        fail "$name-pg" "no database: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
    else
        suite_run "$name-pg" "$pg_exe" "$uri"
        pg_drop_db "$uri" 2>/dev/null
    fi
    unset pg_exe
done
exit 0
