#!/bin/sh
# check.sh - judge measured figures against the performance targets.
#   sh bench/check.sh [--measured-only] TARGETS OUTPUT
# TARGETS is bench/targets.txt (rows "| name | metric | <= or >= |
# threshold | why |"); OUTPUT holds the benchmarks' "metric NAME VALUE"
# lines (the last one of a name counts).  Prints one verdict per target and
# a summary naming every target missed.  Exit status 0 when every target
# is met, 1 when one is missed or not measured (--measured-only: targets
# whose metric OUTPUT lacks are listed as not measured but do not fail),
# 2 on a malformed table.  A line "targets-skipped PREFIX REASON" in
# OUTPUT says the metrics starting with PREFIX were not measured on
# purpose (table 9 without PostgreSQL): their targets are listed as
# skipped with REASON and do not fail, unless SCHEMAC_NO_SKIP=1 makes each
# a miss.
set -u
measured_only=0
if [ "${1:-}" = --measured-only ]; then
    measured_only=1
    shift
fi
targets=${1:?usage: check.sh [--measured-only] TARGETS OUTPUT}
output=${2:?usage: check.sh [--measured-only] TARGETS OUTPUT}

awk -v measured_only="$measured_only" -v tfile="$targets" \
    -v ofile="$output" -v no_skip="${SCHEMAC_NO_SKIP:-0}" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
# The metric lines of the benchmarks output, read first.
BEGIN {
    while ((getline line < ofile) > 0) {
        if (split(line, w) >= 3 && w[1] == "metric")
            value[w[2]] = w[3]
        if (split(line, w) >= 3 && w[1] == "targets-skipped") {
            r = line
            sub(/^[ \t]*targets-skipped[ \t]+[^ \t]+[ \t]+/, "", r)
            skip_prefix[++nskip_prefix] = w[2]
            skip_reason[nskip_prefix] = r
        }
    }
    close(ofile)
    printf "   %-20s %-28s %10s  %-9s  %s\n", "target", "metric", "measured",
        "must be", "verdict"
}
# The rows of the targets table, in order.
/^\|/ {
    n = split($0, f, "|")
    name = trim(f[2]); metric = trim(f[3]); cmp = trim(f[4])
    thr = trim(f[5])
    if (name == "target" || name ~ /^-+$/)
        next
    if (n < 7 || name == "" || metric == "" || (cmp != "<=" && cmp != ">=") \
        || thr !~ /^[0-9]+(\.[0-9]+)?$/) {
        printf "check.sh: %s:%d: malformed target row\n", tfile, FNR \
            > "/dev/stderr"
        bad = 1
        exit 2
    }
    ntargets++
    why = ""
    for (i = 1; i <= nskip_prefix && !(metric in value); i++)
        if (index(metric, skip_prefix[i]) == 1)
            why = skip_reason[i]
    if (why != "" && no_skip != "1") {
        verdict = "skipped"
        nskipped++
        skipped_why = why
        shown = "-"
    } else if (why != "") {
        verdict = "skipped"
        missed = missed sep name " (skipped: " why ")"
        sep = ", "
        nmissed++
        shown = "-"
    } else if (!(metric in value)) {
        verdict = "not measured"
        nunmeasured++
        if (!measured_only) {
            missed = missed sep name " (not measured)"
            sep = ", "
            nmissed++
        }
        shown = "-"
    } else {
        v = value[metric] + 0
        ok = cmp == "<=" ? v <= thr + 0 : v >= thr + 0
        verdict = ok ? "met" : "MISSED"
        shown = value[metric]
        if (!ok) {
            missed = missed sep name " (" shown ", must be " cmp " " thr ")"
            sep = ", "
            nmissed++
        }
    }
    printf "   %-20s %-28s %10s  %s %-6s  %s\n", name, metric, shown, cmp,
        thr, verdict
}
END {
    if (bad)
        exit 2
    if (ntargets == 0) {
        printf "check.sh: no targets in %s\n", tfile > "/dev/stderr"
        exit 2
    }
    if (nmissed) {
        printf "bench-check: %d of %d targets missed: %s\n", nmissed,
            ntargets, missed
        exit 1
    }
    if (nunmeasured || nskipped) {
        printf "bench-check: %d targets met", ntargets - nunmeasured - nskipped
        if (nunmeasured)
            printf ", %d not measured", nunmeasured
        if (nskipped)
            printf ", %d skipped (%s)", nskipped, skipped_why
        printf "\n"
    } else {
        printf "bench-check: all %d targets met\n", ntargets
    }
}' "$targets"
