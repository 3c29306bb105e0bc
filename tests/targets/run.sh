#!/bin/sh
# run.sh - the performance targets hold together: docs/performance.md
# reproduces bench/targets.txt row for row, every metric a target names is
# one a benchmark prints, and bench/check.sh fails on a target missed or
# not measured (so `make bench-check` cannot pass by accident).  Runs no
# benchmark.
suite=targets
. "$(dirname "$0")/../suite.sh"
targets=$root/bench/targets.txt
doc=$root/docs/performance.md

# The targets' metrics (third field), thresholds and comparisons, one
# line each: two results per target below, five others.
grep '^|' "$targets" >"$tmp/file-rows"
awk -F'|' 'NR > 2 {
    for (i = 2; i <= 5; i++)
        gsub(/^[ \t]+|[ \t]+$/, "", $i)
    print $2, $3, $4, $5
}' "$tmp/file-rows" >"$tmp/targets"
ntargets=$(wc -l <"$tmp/targets")
plan $((6 + 2 * ntargets)) "6 + 2 x $ntargets targets"

# The doc's copy: the table rows between its two markers.
sed -n '/^<!-- bench\/targets.txt -->$/,/^<!-- end bench\/targets.txt -->$/p' \
    "$doc" | grep '^|' >"$tmp/doc-rows"
if [ ! -s "$tmp/file-rows" ]; then
    fail doc-table "bench/targets.txt holds no table rows"
elif cmp -s "$tmp/doc-rows" "$tmp/file-rows"; then
    pass doc-table
else
    fail doc-table "docs/performance.md's targets differ from\
 bench/targets.txt: $(diff "$tmp/file-rows" "$tmp/doc-rows" \
        | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
fi

# Every metric is printed by a benchmark: bench_rt.c, bench_ls.c and
# bench_pg.c name their own with bench_metric("NAME", ...); bench_gen.c
# prints gen_ms_N, gen_time_per_10x_A_B and gen_rss_per_10x_A_B for the
# sizes run.sh gives it.
sizes=" $(sed -n 's/^ *for n in \([0-9 ]*\); do$/\1/p' "$root/bench/run.sh") "
unknown=
while read -r name metric cmp thr; do
    if grep -q "bench_metric(\"$metric\"" "$root/bench/bench_rt.c" \
        "$root/bench/bench_ls.c" "$root/bench/bench_pg.c"; then
        continue
    fi
    ok=0
    case $metric in
    gen_ms_*)
        n=${metric#gen_ms_}
        case $sizes in *" $n "*) ok=1 ;; esac ;;
    gen_time_per_10x_*_*|gen_rss_per_10x_*_*)
        ab=${metric#gen_*_per_10x_}
        case $sizes in *" ${ab%_*} ${ab#*_} "*) ok=1 ;; esac ;;
    esac
    [ $ok = 1 ] || unknown="$unknown $name:$metric"
done <"$tmp/targets"
if [ -z "$unknown" ]; then
    pass metrics-printed
else
    fail metrics-printed "no benchmark prints$unknown"
fi

# check.sh: figures exactly at every threshold pass; one just past its
# threshold, or missing, fails naming that target.
at=$tmp/at
awk '{ print "   metric", $2, $4 }' "$tmp/targets" >"$at"
if sh "$root/bench/check.sh" "$targets" "$at" >"$tmp/out" 2>&1 \
    && grep -q 'all [0-9]* targets met' "$tmp/out"; then
    pass check-at-thresholds
else
    fail check-at-thresholds "$(tail -n 1 "$tmp/out")"
fi
while read -r name metric cmp thr; do
    # Just past the threshold: 1% beyond, on the wrong side.
    past=$(awk -v t="$thr" -v c="$cmp" \
        'BEGIN { printf "%.4f", c == "<=" ? t * 1.01 : t * 0.99 }')
    sed "s/^   metric $metric .*/   metric $metric $past/" "$at" >"$tmp/past"
    sh "$root/bench/check.sh" "$targets" "$tmp/past" >"$tmp/out" 2>&1
    st=$?
    if [ $st -eq 1 ] && grep -q "missed: $name ($past" "$tmp/out"; then
        pass "check-missed-$name"
    else
        fail "check-missed-$name" "status $st: $(tail -n 1 "$tmp/out")"
    fi
    grep -v "^   metric $metric " "$at" >"$tmp/gone"
    sh "$root/bench/check.sh" "$targets" "$tmp/gone" >"$tmp/out" 2>&1
    st=$?
    if [ $st -eq 1 ] && grep -q "missed: $name (not measured)" "$tmp/out"
    then
        pass "check-unmeasured-$name"
    else
        fail "check-unmeasured-$name" "status $st: $(tail -n 1 "$tmp/out")"
    fi
done <"$tmp/targets"

# make bench's mode reports a target not measured without failing.
if sh "$root/bench/check.sh" --measured-only "$targets" /dev/null \
    >"$tmp/out" 2>&1; then
    pass check-measured-only
else
    fail check-measured-only "$(tail -n 1 "$tmp/out")"
fi

# Table 9 skipped (no PostgreSQL): its pg_ targets are skipped with the
# reason and do not fail, unless SCHEMAC_NO_SKIP=1 makes them misses.
{ grep -v '^   metric pg_' "$at"; echo "   targets-skipped pg_ no server"; } \
    >"$tmp/skip"
npg=$(grep -c '^   metric pg_' "$at")
SCHEMAC_NO_SKIP=0 sh "$root/bench/check.sh" "$targets" "$tmp/skip" \
    >"$tmp/out" 2>&1
st=$?
SCHEMAC_NO_SKIP=1 sh "$root/bench/check.sh" "$targets" "$tmp/skip" \
    >"$tmp/out2" 2>&1
st2=$?
if [ "$npg" -gt 0 ] && [ $st -eq 0 ] \
    && grep -q "$npg skipped (no server)" "$tmp/out" && [ $st2 -eq 1 ] \
    && grep -q "(skipped: no server)" "$tmp/out2"; then
    pass check-skipped
else
    fail check-skipped "status $st and $st2 with $npg pg_ targets: \
$(tail -n 1 "$tmp/out") / $(tail -n 1 "$tmp/out2")"
fi

# A malformed row is an error, not a pass.
{ cat "$targets"; echo "| broken | some_metric | < | 1 | no such comparison |"; } \
    >"$tmp/bad-targets"
sh "$root/bench/check.sh" "$tmp/bad-targets" "$at" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 2 ]; then
    pass check-malformed
else
    fail check-malformed "status $st, not 2"
fi
exit 0
