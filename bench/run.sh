#!/bin/sh
# run.sh - `make bench` and `make bench-check`: build the benchmarks
# against the current build and run them on real files in a scratch
# folder, after printing the machine; then judge the figures against
# bench/targets.txt (bench/check.sh).
#   sh bench/run.sh [RUNS]      every table, RUNS per measurement (at least
#                               5); prints the verdicts, exit status 0
#   sh bench/run.sh --check     only what the targets need, each table with
#                               the runs of check_runs below; exit status 1
#                               naming each target missed
# Table 9 (PostgreSQL, bench/bench_pg.c) runs under a private server
# (tests/pg/with-server.sh) when libschemac has PostgreSQL support; without
# it, or when no server starts, it says why and its targets are reported
# as skipped (bench/check.sh; SCHEMAC_NO_SKIP=1 makes that a failure).
# Environment (from make): SCHEMAC_BIN, SCHEMAC_LIB, LEARNSTORE_LIB,
# LEARNING_DIR, CC, CFLAGS, LDFLAGS, SQLITE_CFLAGS, SC_LIBS, PG, PQ_CFLAGS;
# BENCH_DIR (scratch parent, default TMPDIR or /tmp), BENCH_ONLY (e.g.
# "125": only those benchmarks), PYTHON (the interpreter of table 7's
# Python store pattern, default python3).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${SCHEMAC_BIN:-$root/build/schemac}
lib=${SCHEMAC_LIB:-$root/build/libschemac.a}
lslib=${LEARNSTORE_LIB:-$root/build/liblearnstore.a}
ld=${LEARNING_DIR:-$root/build/schema}
cc=${CC:-cc}
cflags=${CFLAGS:--O2 -g}

# Runs per table for --check, as TABLE:RUNS.  Each figure is the median of
# per-run ratios of two sides measured side by side, so drift cancels and
# single runs varying by 20% move the median by a few per cent; cheap
# tables get more runs (table 4's connection per insert, ten times dearer
# than the rest, runs in 5 of them; bench_rt.c PEROP_CHECK_RUNS).  About
# 6.5 minutes on the 2-core machine of docs/performance.md when it is
# idle, the learning store's operations (table 7) about 50 s of them;
# PostgreSQL (table 9, its three parts in one program run) about 2 more.
check_runs="1:15 2:15 3:41 4:11 5:9 7:7 9:11"

check=0
if [ "${1:-}" = --check ]; then
    check=1
    only=1234579
    runs=
else
    runs=${1:-5}
    only=${BENCH_ONLY:-12345679}
    if [ "$runs" -lt 5 ]; then
        echo "bench: at least 5 runs per measurement (got $runs)" >&2
        exit 2
    fi
fi
for f in "$bin" "$lib" "$lslib" "$ld/learning.o"; do
    [ -f "$f" ] || { echo "bench: missing $f (run make first)" >&2; exit 2; }
done
tmp=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/schemac-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
log=$tmp/output
: >"$log"

# runs_for TABLE: the runs of TABLE (from check_runs with --check).
runs_for() {
    if [ $check = 0 ]; then
        echo "$runs"
        return
    fi
    for tr in $check_runs; do
        [ "${tr%%:*}" = "$1" ] && { echo "${tr#*:}"; return; }
    done
    echo 5
}

# logged CMD...: run CMD with its output shown and kept in $log; returns
# CMD's exit status (a pipe into tee would lose it).
logged() {
    { "$@"; echo $? >"$tmp/status"; } 2>&1 | tee -a "$log"
    return "$(cat "$tmp/status")"
}

echo "== machine"
echo "cpu:      $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)," \
    "$(nproc) cores online"
echo "os:       Debian $(cat /etc/debian_version 2>/dev/null || echo '?')," \
    "kernel $(uname -r)"
echo "compiler: $($cc --version | head -n 1); CFLAGS $cflags"
echo "sqlite:   $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')" \
    "(headers), run-time version printed below"
echo "scratch:  $tmp on $(df -P "$tmp" | awk 'NR == 2 { print $1 }')" \
    "($(stat -f -c %T "$tmp" 2>/dev/null || echo '?'))"
echo "load:     $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')" \
    "(1, 5 and 15 minutes; above the core count, figures drift)"
if [ $check = 1 ]; then
    echo "command:  make bench-check (runs per table: $check_runs)"
else
    echo "command:  make bench BENCH_RUNS=$runs"
fi

$cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $cflags \
    ${SQLITE_CFLAGS:-} -I"$root/runtime" -I"$ld" -o "$tmp/bench_rt" \
    "$here/bench_rt.c" "$ld/learning.o" "$lib" ${LDFLAGS:-} \
    ${SC_LIBS:--lsqlite3} -lpthread -lm || exit 1
$cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic $cflags \
    -o "$tmp/bench_gen" "$here/bench_gen.c" ${LDFLAGS:-} || exit 1
$cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $cflags \
    ${SQLITE_CFLAGS:-} -I"$root/runtime" -I"$root/learnstore" -I"$ld" \
    -o "$tmp/bench_ls" "$here/bench_ls.c" "$lslib" "$lib" ${LDFLAGS:-} \
    ${SC_LIBS:--lsqlite3} -lpthread -lm || exit 1

# The runtime tables: in one program run, or with --check one run per
# table so that each gets its own run count.
rt_tables=$(echo "$only" | tr -cd '12346')
if [ -n "$rt_tables" ]; then
    if [ $check = 1 ]; then
        for t in $(echo "$rt_tables" | sed 's/./& /g'); do
            echo
            logged env BENCH_ONLY=$t BENCH_TARGETS_ONLY=1 "$tmp/bench_rt" \
                "$tmp" "$(runs_for $t)" || exit 1
        done
    else
        echo
        logged env BENCH_ONLY=$rt_tables "$tmp/bench_rt" "$tmp" "$runs" \
            || exit 1
    fi
fi

case $only in
*5*)
    echo
    files=
    for n in 10 100 1000 5000; do
        sh "$here/make-schema.sh" $n >"$tmp/big-$n.schema" || exit 1
        files="$files $tmp/big-$n.schema"
    done
    mkdir -p "$tmp/out"
    logged "$tmp/bench_gen" "$bin" "$tmp/out" "$(runs_for 5)" $files \
        || exit 1
    echo "   generated for 5,000 tables: $(wc -c <"$tmp/out/big.c") bytes" \
        "of C, $(wc -c <"$tmp/out/big.h") of header," \
        "$(wc -c <"$tmp/out/big.sql") of SQL"
    ;;
esac

# Table 9: the runtime on PostgreSQL, under a private server for this
# run; skipped, saying why, without PostgreSQL support or a server.  The
# line "targets-skipped pg_ REASON" tells check.sh the pg_ metrics were
# not measured on purpose.
case $only in
*9*)
    echo
    if [ "${PG:-1}" = 0 ]; then
        logged echo "9. PostgreSQL: skipped: libschemac was built without" \
            "PostgreSQL support (make PG=0)"
        logged echo "   targets-skipped pg_ built with PG=0"
    else
        $cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
            $cflags ${PQ_CFLAGS:-} -I"$root/runtime" -I"$ld" \
            -o "$tmp/bench_pg" "$here/bench_pg.c" "$ld/learning.o" "$lib" \
            ${LDFLAGS:-} ${SC_LIBS:--lsqlite3 -lpq} -lpthread -lm || exit 1
        # What with-server.sh runs: the benchmark, or without a server
        # the reason.  With two cores or more, the server (the postmaster
        # and what it forks from then on) is pinned to CPU 1 and the
        # benchmark to CPU 0, as a server on its own host would be: left
        # to the scheduler, which process got which core moved the
        # ratios between 0.4 and 1.4 from pass to pass of the same code.
        # shellcheck disable=SC2016
        pg_run='if [ -n "${SCHEMAC_PG_MISSING:-}" ]; then
            echo "9. PostgreSQL: skipped: $SCHEMAC_PG_MISSING"
            echo "   targets-skipped pg_ $SCHEMAC_PG_MISSING"
            exit 0
        fi
        pin=""
        pid=$(head -n 1 "$SCHEMAC_PG_DIR/data/postmaster.pid" 2>/dev/null)
        if [ "$(nproc)" -ge 2 ] && [ -n "$pid" ] \
                && taskset -p -c 1 "$pid" >/dev/null 2>&1; then
            for c in $(pgrep -P "$pid" 2>/dev/null); do
                taskset -p -c 1 "$c" >/dev/null 2>&1
            done
            pin="taskset -c 0"
            echo "9. PostgreSQL: the server pinned to CPU 1, the benchmark to CPU 0"
        else
            echo "9. PostgreSQL: server and benchmark not pinned to CPUs"
        fi
        exec $pin "$@"'
        logged env BENCH_TARGETS_ONLY=$check \
            sh "$root/tests/pg/with-server.sh" sh -c "$pg_run" sh \
            "$tmp/bench_pg" schemac_bench "$(runs_for 9)" || exit 1
    fi
    ;;
esac

# The learning store's operations against the Python store's pattern.
case $only in
*7*)
    echo
    logged env PYTHON="${PYTHON:-python3}" "$tmp/bench_ls" "$tmp" \
        "$here/ls_python.py" "$(runs_for 7)" || exit 1
    ;;
esac

echo
echo "== targets (bench/targets.txt)"
if [ $check = 1 ]; then
    sh "$here/check.sh" "$here/targets.txt" "$log"
else
    sh "$here/check.sh" --measured-only "$here/targets.txt" "$log"
    exit 0
fi
