# suite.sh - what the test suites' run.sh scripts share.  Source it with
# the suite's name set first:  suite=NAME; . "$(dirname "$0")/../suite.sh"
# It sets here (the suite's folder), root (the project), tmp (a scratch
# folder removed on exit) and defaults for the variables make exports,
# and defines pass, fail, suite_cc and suite_run.
: "${suite:?set suite to the suite's name before sourcing suite.sh}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${CC:=cc}"
: "${SCHEMAC_BIN:=$root/build/schemac}"
: "${SCHEMAC_LIB:=$root/build/libschemac.a}"
: "${LEARNING_DIR:=$root/build/schema}"
: "${LEARNSTORE_BIN:=$root/build/learnstore}"
: "${LEARNSTORE_LIB:=$root/build/liblearnstore.a}"
: "${SQLITE_LIBS:=-lsqlite3}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-$suite.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# pass NAME / fail NAME WHY: report one case.
pass() { echo "PASS $suite/$1"; }
fail() { echo "FAIL $suite/$1: $2"; }

# suite_cc OUT SOURCE... : build a test program with -Werror against the
# runtime (headers of the runtime, the tests and the learning bindings; the
# caller adds libraries after the sources).  A failure is reported as
# "FAIL suite/build-OUT" and returns 1.
suite_cc() {
    out=$1
    shift
    if $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
            -Werror ${CFLAGS:-} ${SQLITE_CFLAGS:-} -I"$root/runtime" \
            -I"$root/tests" \
            -I"$LEARNING_DIR" -o "$tmp/$out" "$@" ${LDFLAGS:-} $SQLITE_LIBS \
            -lpthread -lm 2>"$tmp/cc-$out.log"; then
        return 0
    fi
    fail "build-$out" "$(head -5 "$tmp/cc-$out.log")"
    return 1
}

# suite_run NAME PROGRAM [ARG...]: run a test program under $TEST_WRAPPER
# and show its PASS/FAIL lines as suite/NAME/...; a non-zero exit without
# a FAIL line (a crash, or a wrapper's error) is reported as a failure.
suite_run() {
    name=$1
    shift
    ${TEST_WRAPPER:-} "$@" >"$tmp/run-$name.out" 2>&1
    status=$?
    sed -e "s#^PASS #PASS $suite/$name/#" \
        -e "s#^FAIL #FAIL $suite/$name/#" "$tmp/run-$name.out"
    if [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$tmp/run-$name.out"; then
        fail "$name" "exited with status $status"
    fi
}
