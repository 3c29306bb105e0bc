#!/bin/sh
# run.sh - integration tests: for each test_NAME.c here, generate
# NAME.schema, compile the program and the generated code with gcc and
# clang (-Werror), link them with libschemac and SQLite, and run the
# program on a scratch database file.  Relays the program's PASS/FAIL
# lines as integ/NAME-COMPILER/TEST and exits 0.
#
#   sh tests/integ/run.sh [DIR SUITE]
# runs the test_NAME.c programs of DIR instead, reporting as SUITE/...
# (another suite's run.sh calls it so).
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB (default build/...), CC, CFLAGS,
# SQLITE_CFLAGS, SQLITE_LIBS.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$(cd "${1:-$root/tests/integ}" && pwd)
suite=${2:-integ}
bin=${SCHEMAC_BIN:-$root/build/schemac}
lib=${SCHEMAC_LIB:-$root/build/libschemac.a}
libs=${SQLITE_LIBS:--lsqlite3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-$suite.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() { echo "FAIL $suite/$1: $2"; }

for f in "$bin" "$lib"; do
    if [ ! -f "$f" ]; then
        fail setup "missing $f (run make first)"
        exit 0
    fi
done

compilers=""
for c in ${CC:-} gcc clang; do
    command -v "$c" >/dev/null 2>&1 || continue
    case " $compilers " in *" $c "*) ;; *) compilers="$compilers $c" ;; esac
done
case " $compilers " in *" gcc "*) ;; *) fail setup "gcc not found" ;; esac
case " $compilers " in *" clang "*) ;; *) fail setup "clang not found" ;; esac

for prog in "$here"/test_*.c; do
    name=$(basename "$prog" .c)
    name=${name#test_}
    gen="$tmp/$name/gen"
    mkdir -p "$gen"
    if ! "$bin" -o "$gen" "$here/$name.schema" >"$tmp/err" 2>&1; then
        fail "$name" "schemac failed: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
        continue
    fi
    for c in $compilers; do
        exe="$tmp/$name/test-$c"
        # shellcheck disable=SC2086
        if ! "$c" -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
            -Wpedantic -Werror ${CFLAGS:-} -I"$gen" -I"$root/runtime" \
            -I"$root/tests" ${SQLITE_CFLAGS:-} -o "$exe" "$prog" \
            "$gen/$name.c" "$lib" $libs -lpthread -lm >"$tmp/err" 2>&1
        then
            fail "$name-$c" "does not build: $(head -n 5 "$tmp/err" |
                tr '\n' ' ')"
            continue
        fi
        echo "PASS $suite/$name-$c/builds"
        ${TEST_WRAPPER:-} "$exe" "$tmp/$name/$c.db" >"$tmp/out" 2>&1
        status=$?
        sed -e "s#^PASS #PASS $suite/$name-$c/#" \
            -e "s#^FAIL #FAIL $suite/$name-$c/#" "$tmp/out"
        if [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
            fail "$name-$c" "exited with status $status"
        fi
    done
done
exit 0
