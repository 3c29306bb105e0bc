#!/bin/sh
# run.sh - `make bench`: build the benchmarks against the current build and
# run them on real files in a scratch folder, after printing the machine.
#   sh bench/run.sh [RUNS]          RUNS per measurement, at least 5
# Environment (from make): SCHEMAC_BIN, SCHEMAC_LIB, LEARNING_DIR, CC,
# CFLAGS, LDFLAGS, SQLITE_CFLAGS, SQLITE_LIBS; BENCH_DIR (scratch parent,
# default TMPDIR or /tmp), BENCH_ONLY (e.g. "125": only those benchmarks).
set -u
runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${SCHEMAC_BIN:-$root/build/schemac}
lib=${SCHEMAC_LIB:-$root/build/libschemac.a}
ld=${LEARNING_DIR:-$root/build/schema}
cc=${CC:-cc}
cflags=${CFLAGS:--O2 -g}
only=${BENCH_ONLY:-123456}

if [ "$runs" -lt 5 ]; then
    echo "bench: at least 5 runs per measurement (got $runs)" >&2
    exit 2
fi
for f in "$bin" "$lib" "$ld/learning.o"; do
    [ -f "$f" ] || { echo "bench: missing $f (run make first)" >&2; exit 2; }
done
tmp=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/schemac-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

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
echo "command:  make bench BENCH_RUNS=$runs"

$cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $cflags \
    ${SQLITE_CFLAGS:-} -I"$root/runtime" -I"$ld" -o "$tmp/bench_rt" \
    "$here/bench_rt.c" "$ld/learning.o" "$lib" ${LDFLAGS:-} \
    ${SQLITE_LIBS:--lsqlite3} -lpthread -lm || exit 1
$cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic $cflags \
    -o "$tmp/bench_gen" "$here/bench_gen.c" ${LDFLAGS:-} || exit 1

echo
BENCH_ONLY=$only "$tmp/bench_rt" "$tmp" "$runs" || exit 1

case $only in
*5*)
    echo
    files=
    for n in 10 100 1000 5000; do
        sh "$here/make-schema.sh" $n >"$tmp/big-$n.schema" || exit 1
        files="$files $tmp/big-$n.schema"
    done
    mkdir -p "$tmp/out"
    "$tmp/bench_gen" "$bin" "$tmp/out" "$runs" $files || exit 1
    echo "   generated for 5,000 tables: $(wc -c <"$tmp/out/big.c") bytes" \
        "of C, $(wc -c <"$tmp/out/big.h") of header," \
        "$(wc -c <"$tmp/out/big.sql") of SQL"
    ;;
esac
