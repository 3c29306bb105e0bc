# suite.sh - what the test suites' run.sh scripts share.  Source it with
# the suite's name set first:  suite=NAME; . "$(dirname "$0")/../suite.sh"
# It sets here (the suite's folder), root (the project), tmp (a scratch
# folder removed on exit) and defaults for the variables make exports,
# and defines plan, pass, fail, skip, need, suite_cc and suite_run, and
# pg_need, pg_fresh_db and pg_drop_db for the PostgreSQL suites.
#
# How every test program reports (tests/run-suite.sh checks it, for the
# run.sh scripts and for the compiled programs of tests/harness.h alike):
#
#   PLAN N              first, before any result: the number of results
#                       the program will print, worked out from what it is
#                       about to run (files x checks x compilers), never
#                       from what it ran.  Exactly one; N > 0.  Text after
#                       "PLAN N " is a comment ("PLAN 12 # 4 files x 3").
#   PASS NAME           one result each.  Any other line (indented detail,
#   FAIL NAME: WHY      a diff) is shown and not counted.
#   SKIP NAME: WHY      a case that could not run here; WHY says what to
#                       install or allow ("no clang: apt-get install -y
#                       clang").  Counted apart; a failure when the run has
#                       SCHEMAC_NO_SKIP=1, as CI does.
#   PLAN +N NAME        written by suite_run for a program it relays: that
#                       program's own plan, added to the suite's.
#
# Exit status: a test program of tests/harness.h exits 0, or 1 after a FAIL
# line; a run.sh exits 0 once it has reported, its lines being the verdict.
# Any other status without a FAIL line, or death by a signal, is a failure
# of its own: a crash is a FAIL, never a test that quietly vanished.
#
# On every path that can pass, a suite prints exactly the results it
# planned: no case is lost to a `continue` or a branch not taken, and a
# missing tool is a FAIL (or a SKIP) naming the command that installs it,
# never a PASS of two empty outputs.  A suite that stops early because a
# step failed comes up short, and the runner says so ("planned N, reported
# M").  A missing or second plan, a program killed by a signal, and a
# non-zero exit without a FAIL line each fail the suite too.  See also
# docs/reliability.md, "How the suites report".
: "${suite:?set suite to the suite's name before sourcing suite.sh}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${CC:=cc}"
: "${SCHEMAC_BIN:=$root/build/schemac}"
: "${SCHEMAC_LIB:=$root/build/libschemac.a}"
: "${LEARNING_DIR:=$root/build/schema}"
: "${LEARNSTORE_BIN:=$root/build/learnstore}"
: "${LEARNSTORE_LIB:=$root/build/liblearnstore.a}"
# What a program linking libschemac.a needs (make exports it): SQLite,
# and libpq when the library was built with PostgreSQL support.
if [ -z "${SC_LIBS:-}" ]; then
    SC_LIBS=-lsqlite3
    nm "$SCHEMAC_LIB" 2>/dev/null | grep -q ' U PQconnectdb$' &&
        SC_LIBS="$SC_LIBS -lpq"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-$suite.XXXXXX") || exit 1
trap 'pg_cleanup; rm -rf "$tmp"' EXIT INT TERM

# plan N [HOW...]: state the number of results this suite will print, and
# how it was counted.  Call it once, before the first result.
plan() {
    r_n=$1
    shift
    echo "PLAN $r_n${*:+ # $*}"
}

# pass NAME / fail NAME WHY... / skip NAME WHY...: report one case (the
# words of WHY are joined by spaces).
pass() { echo "PASS $suite/$1"; }
fail() { r_name=$1; shift; echo "FAIL $suite/$r_name: $*"; }
skip() { r_name=$1; shift; echo "SKIP $suite/$r_name: $*"; }

# need COMMAND [PACKAGE]: succeed when COMMAND is installed.  Otherwise set
# missing to "no COMMAND: apt-get install -y PACKAGE" (PACKAGE defaults to
# COMMAND), for the FAIL or SKIP lines of the cases that need it, and
# return 1.
need() {
    if command -v "$1" >/dev/null 2>&1; then
        return 0
    fi
    missing="no $1: apt-get install -y ${2:-$1}"
    return 1
}

# python_preload: set preload to what python3 must preload to load a
# library of this build.  A library built with AddressSanitizer (CI's
# sanitizer run) expects the program to bring the sanitizer's runtime,
# and python3 has none: preload the compiler's shared one
# (UndefinedBehaviorSanitizer's handlers come with it), and export
# ASAN_OPTIONS leaving Python's own allocations out of leak checking.
# Otherwise preload is empty.  Returns 1, with missing set, when there is
# no runtime to preload.
python_preload() {
    preload=
    case " ${CFLAGS:-} ${LDFLAGS:-} " in
    *-fsanitize=*address*) ;;
    *) return 0 ;;
    esac
    for pp_n in libclang_rt.asan-x86_64.so libasan.so; do
        pp_f=$($CC -print-file-name=$pp_n 2>/dev/null)
        case $pp_f in
        /*) if [ -f "$pp_f" ]; then preload=$pp_f; break; fi ;;
        esac
    done
    if [ -z "$preload" ]; then
        missing="no shared AddressSanitizer runtime for $CC to preload into python3"
        return 1
    fi
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    export ASAN_OPTIONS
}

# suite_cc OUT SOURCE... : build a test program with -Werror against the
# runtime (headers of the runtime, the tests and the learning bindings; the
# caller adds libraries after the sources).  A failure is reported as
# "FAIL suite/build-OUT" and returns 1; a success prints nothing, so a
# program built and run by suite_run reports one line of its own either way.
suite_cc() {
    cc_out=$1
    shift
    if $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
            -Werror ${CFLAGS:-} ${SQLITE_CFLAGS:-} -I"$root/runtime" \
            -I"$root/tests" -I"$LEARNING_DIR" -o "$tmp/$cc_out" "$@" \
            ${LDFLAGS:-} $SC_LIBS -lpthread -lm \
            2>"$tmp/cc-$cc_out.log"; then
        return 0
    fi
    fail "build-$cc_out" "$(head -5 "$tmp/cc-$cc_out.log")"
    return 1
}

# suite_run NAME PROGRAM [ARG...]: run a test program of tests/harness.h
# under $TEST_WRAPPER and relay what it prints: its results as
# suite/NAME/TEST (suite/TEST when NAME is empty) and its "PLAN N" as
# "PLAN +N suite/NAME", so the runner expects its N results too.  Then one
# result of its own, counted in the suite's plan: PASS when the program
# printed one plan and exactly that many results, and exited 0 after no
# failure or 1 after one; FAIL otherwise (no plan, results missing, killed
# by a signal, any other exit status).  Returns 0 on that PASS.  (Its
# variables start with sr_, so a caller's loop variables are safe.)
suite_run() {
    sr_name=$1
    shift
    sr_prefix=$suite${sr_name:+/$sr_name}
    sr_out=$tmp/run-${sr_name:-main}.out
    ${TEST_WRAPPER:-} "$@" >"$sr_out" 2>&1
    sr_status=$?
    awk -f "$root/tests/tally.awk" "$sr_out" >"$sr_out.tally"
    read -r sr_np sr_nf sr_ns sr_nplans sr_nplanned <"$sr_out.tally"
    if [ "$sr_nplans" = 1 ]; then
        sr_plan="s#^PLAN \([0-9][0-9]*\)\( .*\)*\$#PLAN +\1 $sr_prefix#"
    else
        sr_plan='s#^PLAN#    PLAN#'
    fi
    sed -e "$sr_plan" -e "s#^PASS #PASS $sr_prefix/#" \
        -e "s#^FAIL #FAIL $sr_prefix/#" -e "s#^SKIP #SKIP $sr_prefix/#" \
        "$sr_out"
    sr_why=$(sed 1d "$sr_out.tally" | tr '\n' ';' | sed 's/;$//; s/;/; /g')
    if [ "$sr_status" -gt 128 ]; then
        sr_why="${sr_why:+$sr_why; }killed by signal $((sr_status - 128))"
    elif [ "$sr_status" -eq 0 ] && [ "$sr_nf" -gt 0 ]; then
        sr_why="${sr_why:+$sr_why; }exited with status 0 after a failure"
    elif [ "$sr_status" -ne 0 ] && [ "$sr_nf" -eq 0 ]; then
        sr_why="${sr_why:+$sr_why; }exited with status $sr_status without"
        sr_why="$sr_why a FAIL line"
    elif [ "$sr_status" -gt 1 ]; then
        sr_why="${sr_why:+$sr_why; }exited with status $sr_status"
    fi
    if [ -n "$sr_why" ]; then
        echo "FAIL $sr_prefix: $sr_why"
        return 1
    fi
    echo "PASS $sr_prefix: $((sr_np + sr_nf + sr_ns)) of $sr_nplanned" \
        "planned results, exit status $sr_status"
    return 0
}

# pg_need: succeed when the private PostgreSQL server of
# tests/pg/with-server.sh (make check starts one) is there and psql can
# reach it.  Otherwise set missing to why, for the cases' SKIP or FAIL
# lines, and return 1.
pg_need() {
    if [ -z "${SCHEMAC_PG:-}" ]; then
        missing=${SCHEMAC_PG_MISSING:-"no PostgreSQL server: run under sh tests/pg/with-server.sh (make check does)"}
        return 1
    fi
    need psql postgresql-client || return 1
    return 0
}

# pg_fresh_db NAME: create an empty database for one case and print its
# URI (for psql, or libpq's PQconnectdb).  Its name is made from the
# suite, NAME and this process, so suites and cases never share one.  It
# is dropped by pg_drop_db URI, or when the suite exits.  On failure the
# server's message goes to stderr and it returns 1.
pg_fresh_db() {
    pf_n=$(printf '%s_%s_%s' "$suite" "$1" "$$" | tr 'A-Z' 'a-z' |
           tr -c 'a-z0-9_\n' '_' | cut -c1-63)
    psql -X -q -v ON_ERROR_STOP=1 -d "$SCHEMAC_PG" \
        -c "DROP DATABASE IF EXISTS \"$pf_n\"" \
        -c "CREATE DATABASE \"$pf_n\"" >/dev/null || return 1
    echo "$pf_n" >>"$tmp/pg-dbs"
    echo "postgresql:///$pf_n?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}

# pg_drop_db URI: drop a database pg_fresh_db made, ending the sessions
# of our role still on it first.  Returns 1, with the server's message on
# stderr, when it cannot.  Not DROP ... WITH (FORCE): it refuses, for a
# role that is not a superuser, while an autovacuum worker is on the
# database, where a plain DROP stops the worker itself (and waits for the
# ended sessions to go).
pg_drop_db() {
    pd_n=${1#postgresql:///}
    pd_n=${pd_n%%\?*}
    psql -X -q -v ON_ERROR_STOP=1 -d "$SCHEMAC_PG" \
        -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '$pd_n' AND usename = current_user" \
        -c "DROP DATABASE IF EXISTS \"$pd_n\"" >/dev/null
}

# pg_cleanup: drop every database pg_fresh_db made (at exit; dropping one
# already gone is harmless).
pg_cleanup() {
    [ -s "$tmp/pg-dbs" ] || return 0
    while IFS= read -r pc_n; do
        pg_drop_db "postgresql:///$pc_n" 2>/dev/null
    done <"$tmp/pg-dbs"
    : >"$tmp/pg-dbs"
}
