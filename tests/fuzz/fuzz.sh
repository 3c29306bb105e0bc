#!/bin/sh
# fuzz.sh - build the libFuzzer targets with clang, ASan and UBSan into a
# separate build folder and run each for a while.  `make fuzz` calls it.
#   sh tests/fuzz/fuzz.sh SECONDS [BUILD_DIR]
# Both targets run side by side for SECONDS each.  Their corpora grow in
# BUILD_DIR/fuzz/corpus-NAME (kept between runs), seeded from the schema
# files in the tree and tests/fuzz/corpus; crash reproducers land in
# BUILD_DIR/fuzz/crashes-NAME.  Exit status 1 when a target found a crash.
set -u
secs=${1:-60}
fb=${2:-build-fuzz}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
flags="-O1 -g -fno-omit-frame-pointer $san"
make -s --no-print-directory B="$fb" CC=clang \
    CFLAGS="$flags -fsanitize=fuzzer-no-link" "$fb/schemac" || exit 2
# The generator's objects but its main(), as the Makefile's GEN_OBJ.
objs=$(ls "$fb"/gen/*.o "$fb"/runtime/utf8.o | grep -v '/main\.o$')
# GEN_PG_LIBS (from make): what the generator's objects link besides.
libs="$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) ${GEN_PG_LIBS:-}"
mkdir -p "$fb/fuzz/seeds"
cp tests/golden/*.schema tests/fail/*.schema schema/*.schema \
    "$fb/fuzz/seeds/"
[ -d tests/fuzz/corpus ] && cp tests/fuzz/corpus/* "$fb/fuzz/seeds/" \
    2>/dev/null
status=0
pids=
touch "$fb/fuzz/.start"
for t in frontend generate; do
    clang $flags -fsanitize=fuzzer -std=c11 -Igen \
        -o "$fb/fuzz/fuzz_$t" "tests/fuzz/fuzz_$t.c" $objs $libs || exit 2
    mkdir -p "$fb/fuzz/corpus-$t" "$fb/fuzz/crashes-$t"
    "$fb/fuzz/fuzz_$t" -max_total_time="$secs" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -dict=tests/fuzz/schema.dict \
        -artifact_prefix="$fb/fuzz/crashes-$t/" -print_final_stats=1 \
        "$fb/fuzz/corpus-$t" "$fb/fuzz/seeds" \
        >"$fb/fuzz/log-$t.txt" 2>&1 &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || status=1
done
for t in frontend generate; do
    echo "== fuzz_$t: $(grep -c '^#' "$fb/fuzz/log-$t.txt") status lines," \
        "corpus $(ls "$fb/fuzz/corpus-$t" | wc -l) inputs," \
        "new crashes: $(find "$fb/fuzz/crashes-$t" -type f -newer \
            "$fb/fuzz/.start" | wc -l)"
    grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' \
        "$fb/fuzz/log-$t.txt" | head -5
done
exit $status
