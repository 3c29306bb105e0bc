#!/bin/sh
# The learning store library and the learnstore CLI: every operation with
# hand-computed expectations, 8 processes racing on record_pattern, the
# hashes and Path.resolve() of the Python store (test_hash, test_path, the
# latter against python3), and the CLI's output and exit codes (including
# bad arguments and refused files).
set -u
suite=learnstore
. "$(dirname "$0")/../suite.sh"

# Each program reports one line of its own (its build's FAIL, or
# suite_run's line) and its tests as PLAN +N; the CLI checks below are
# counted by hand: add one here when adding one there.  test_pyfiles
# works on a database pyfiles.py wrote in the Python store's formats, and
# pyfiles.py checks with Python's own readers what it left.
programs="test_store test_ops race test_hash test_path test_pyfiles"
set -- $programs
ncli=87
# pyfiles.py makes a database in the Python store's formats before
# test_pyfiles works on it, and checks it with Python's readers after:
# two more relayed programs.
plan $(($# + 2 + ncli)) "$# programs, 2 pyfiles.py steps, $ncli CLI checks"

# pyfiles STEP: run pyfiles.py STEP on the Python-format database (never
# under a test wrapper: it is python3).
pyfiles() {
    if ! need python3; then
        fail "pyfiles-$1" "$missing"
        return 1
    fi
    (TEST_WRAPPER=; suite_run "pyfiles-$1" python3 "$here/pyfiles.py" "$1" \
        "$tmp/python.db")
}

pyfiles make
for t in $programs; do
    suite_cc $t -I"$root/learnstore" "$here/$t.c" "$LEARNSTORE_LIB" \
        "$SCHEMAC_LIB" || continue
    case $t in
    race) suite_run $t "$tmp/race" "$tmp/race.db" ;;
    test_pyfiles) suite_run $t "$tmp/$t" "$tmp/python.db" ;;
    *) suite_run $t "$tmp/$t" ;;
    esac
done
pyfiles check

# ---- the CLI ----
ls=$LEARNSTORE_BIN
db=$tmp/cli.db
run() {     # run WANT_STATUS NAME ARGS...: check the exit status
    want=$1; name=$2; shift 2
    "$ls" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass "cli-$name"
    else
        fail "cli-$name" "exit $got, expected $want: $(head -3 "$tmp/err")"
    fi
}
expect() {  # expect NAME PATTERN FILE: check a line of the last output
    if grep -q -- "$2" "$3"; then
        pass "cli-$1"
    else
        fail "cli-$1" "no '$2' in: $(head -5 "$3")"
    fi
}

run 0 init --db "$db" init
expect init-says-version "version 15" "$tmp/out"
run 0 record-outcome --db "$db" record-outcome --job my-job --sheet sheet-4 \
    --retries 2 --pass-rate 0.9 --error E1
expect outcome-id '^[0-9a-f-]\{36\}$' "$tmp/out"
run 0 record-pattern --db "$db" record-pattern --type retry \
    --name "Wait for the API" --tag api
expect pattern-id '^01ce68b501f9ddf8$' "$tmp/out"
run 0 record-pattern-again --db "$db" --json record-pattern --type retry \
    --name "wait   for the api" --tag api
expect pattern-json '{"id": "01ce68b501f9ddf8"}' "$tmp/out"
run 0 record-rate-limit --db "$db" record-rate-limit --code E429 --duration 60
run 0 stats --db "$db" stats
expect stats-patterns "^patterns  *1$" "$tmp/out"
expect stats-version "version 15" "$tmp/out"
run 0 stats-json --db "$db" --json stats
expect stats-json-rows '"executions": 1' "$tmp/out"
run 0 patterns --db "$db" patterns --tag api
expect patterns-row "^01ce68b501f9ddf8  *retry  *Wait for the API  *2  " "$tmp/out"
expect patterns-count "(1 row)" "$tmp/out"
run 0 patterns-json --db "$db" patterns --json --type retry
if ! need python3; then
    fail cli-patterns-json-valid "$missing"
elif python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[0]["occurrence_count"] == 2 and r[0]["context_tags"] == ["api"], r' \
    "$tmp/out" 2>"$tmp/py.err"; then
    pass cli-patterns-json-valid
else
    fail cli-patterns-json-valid "$(tail -1 "$tmp/py.err")"
fi
run 0 patterns-none --db "$db" patterns --type nothing
expect patterns-empty "(0 rows)" "$tmp/out"
utf8_name=$(printf 'caf\303\251 cr\303\250me')
run 0 record-pattern-utf8 --db "$db" record-pattern --type retry \
    --name "$utf8_name" --tag api
run 0 patterns-aligned --db "$db" patterns --tag api
if ! need python3; then
    fail cli-utf8-columns-align "$missing"
elif python3 - "$tmp/out" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:-1]
col = lines[0].index("occurrence_count")
assert len(lines) == 3, lines
for row in lines[1:]:
    assert row[col - 2:col] == "  " and row[col] != " ", (row, col)
PY
then
    pass cli-utf8-columns-align
else
    fail cli-utf8-columns-align "$(cat "$tmp/out")"
fi
# Wide (CJK) and combining characters: columns line up on a terminal,
# where each wide character takes two columns and a combining mark none.
wide_name=$(printf '\346\227\245\346\234\254\350\252\236 cafe\314\201')
run 0 record-pattern-wide --db "$db" record-pattern --type retry \
    --name "$wide_name" --tag api
run 0 patterns-wide --db "$db" patterns --tag api
if ! need python3; then
    fail cli-wide-columns-align "$missing"
elif python3 - "$tmp/out" <<'PY'
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:-1]
assert len(lines) == 4, lines
col = width(lines[0][:lines[0].index("occurrence_count")])
for row in lines[1:]:
    cut = next(i for i in range(len(row) + 1) if width(row[:i]) >= col)
    assert width(row[:cut]) == col and row[cut - 2:cut] == "  " \
        and row[cut] != " ", (row, col)
PY
then
    pass cli-wide-columns-align
else
    fail cli-wide-columns-align "$(cat "$tmp/out")"
fi
run 0 pattern-get --db "$db" pattern 01ce68b501f9ddf8
expect pattern-get-count "occurrence_count  *2" "$tmp/out"
run 3 pattern-missing --db "$db" pattern 0000000000000000
run 0 executions --db "$db" executions --job my-job
expect executions-row "3cc5d3c84b82d2cf  *4  *[0-9T:.-]*  *completed  *2  *0.7" "$tmp/out"
run 0 executions-json --db "$db" --json executions --limit 1
expect executions-json-sheet '"sheet_num": 4' "$tmp/out"
if ! need python3; then
    fail cli-json-lists-are-arrays "$missing"
elif python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert isinstance(r[0]["error_codes"], list), r' \
    "$tmp/out" 2>"$tmp/py.err"; then
    pass cli-json-lists-are-arrays
else
    fail cli-json-lists-are-arrays "$(tail -1 "$tmp/py.err") $(cat "$tmp/out")"
fi
run 0 rate-limits --db "$db" rate-limits
expect rate-limits-row "^E429  *-  *[0-9T:.+-]*  *[0-9T:.+-]*  *60$" "$tmp/out"
run 2 clear-needs-yes --db "$db" clear
run 0 clear --db "$db" clear --yes
run 0 stats-after-clear --db "$db" stats
expect cleared "^patterns  *0$" "$tmp/out"
expect cleared-version "version 15" "$tmp/out"
run 0 help --help
run 0 command-help patterns --help
expect command-help-text "min-priority" "$tmp/out"
run 2 no-command
run 2 unknown-command --db "$db" frobnicate
run 2 unknown-option --db "$db" patterns --colour red
run 2 bad-number --db "$db" patterns --min-priority lots
run 2 missing-value --db "$db" patterns --limit
run 2 missing-required --db "$db" record-outcome --job j
# Refused files stay byte-identical.
head -c 3000 /dev/urandom >"$tmp/junk.db"
cp "$tmp/junk.db" "$tmp/junk.orig"
run 4 not-a-database --db "$tmp/junk.db" stats
if cmp -s "$tmp/junk.db" "$tmp/junk.orig"; then
    pass cli-junk-untouched
else
    fail cli-junk-untouched "the file changed"
fi
if ! need sqlite3; then
    fail cli-foreign-database "$missing"
    fail cli-foreign-untouched "$missing"
elif ! sqlite3 "$tmp/foreign.db" \
    "CREATE TABLE other (x); INSERT INTO other VALUES (1);" 2>"$tmp/err"; then
    fail cli-foreign-database "sqlite3 could not make it: $(cat "$tmp/err")"
    fail cli-foreign-untouched "no foreign database"
else
    cp "$tmp/foreign.db" "$tmp/foreign.orig"
    run 4 foreign-database --db "$tmp/foreign.db" stats
    if cmp -s "$tmp/foreign.db" "$tmp/foreign.orig"; then
        pass cli-foreign-untouched
    else
        fail cli-foreign-untouched "the file changed"
    fi
fi
# A missing file is created, in missing folders too.
run 0 missing-file --db "$tmp/new/dir/store.db" stats
if [ -f "$tmp/new/dir/store.db" ]; then
    pass cli-missing-created
else
    fail cli-missing-created "no file"
fi
# ---- the reports and the lifecycle, on a store with known numbers ----
rdb=$tmp/reports.db
export LEARNSTORE_NOW=1780000000 TZ=UTC
run 0 report-pattern --db "$rdb" record-pattern --type retry --name "Back off"
pid=$(cat "$tmp/out")
if need sqlite3; then
    # Three successes and a failure, then the numbers the reports read.
    sqlite3 "$rdb" "INSERT INTO pattern_applications (id, pattern_id,
        applied_at, pattern_led_to_success) VALUES
        ('a1', '$pid', '2026-05-28T20:00:01', 1),
        ('a2', '$pid', '2026-05-28T20:00:02', 1),
        ('a3', '$pid', '2026-05-28T20:00:03', 1),
        ('a4', '$pid', '2026-05-28T20:00:04', 0);
        UPDATE patterns SET led_to_success_count = 3,
        led_to_failure_count = 1, effectiveness_score = 0.7,
        success_factors = '{\"validation_types\": [\"file\"],
        \"occurrence_count\": 6, \"success_rate\": 0.75}'" 2>"$tmp/err"
fi
run 0 stats-learning --db "$rdb" stats
expect stats-learning-executions "^executions: 0 " "$tmp/out"
run 0 stats-learning-json --db "$rdb" --json stats
expect stats-learning-json-window '"optimal_window": {"optimal_hours": \[\]' \
    "$tmp/out"
run 0 why --db "$rdb" patterns --why
expect why-summary "why: validation types: file" "$tmp/out"
run 0 why-json --db "$rdb" --json patterns --why
expect why-json-confidence '"confidence": 0.44999999999999996' "$tmp/out"
run 0 entropy --db "$rdb" entropy --threshold 0.5 --record
expect entropy-response "response needed: Entropy -0.000 < threshold 0.500" \
    "$tmp/out"
run 0 entropy-json --db "$rdb" --json entropy
expect entropy-json-history '"threshold_exceeded": true' "$tmp/out"
run 0 drift --db "$rdb" drift
expect drift-summary "^effectiveness drift: 1 patterns, 0 analysed" "$tmp/out"
run 0 budget --db "$rdb" budget
expect budget-none "^no budget recorded" "$tmp/out"
run 0 lifecycle --db "$rdb" --json lifecycle promote
expect lifecycle-promoted "{\"promoted\": \[\"$pid\"\]" "$tmp/out"
run 2 lifecycle-usage --db "$rdb" lifecycle demote
run 0 quarantine --db "$rdb" quarantine "$pid" --reason flaky
expect quarantine-says "$pid quarantined" "$tmp/out"
run 3 quarantine-missing --db "$rdb" quarantine 0000000000000000
run 0 validate --db "$rdb" validate "$pid"
run 0 retire --db "$rdb" --json retire "$pid"
expect retire-json '"quarantine_status": "retired"' "$tmp/out"
run 0 export --db "$rdb" export
if ! need python3; then
    fail cli-export-valid "$missing"
elif python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["tables"]; assert d["schema_version"] == 15 and len(t["patterns"]) == 1 and len(t["pattern_applications"]) == 4 and t["patterns"][0]["quarantine_status"] == "retired" and t["patterns"][0]["effectiveness_score"] == 0.7, d' \
    "$tmp/out" 2>"$tmp/py.err"; then
    pass cli-export-valid
else
    fail cli-export-valid "$(tail -1 "$tmp/py.err")"
fi
unset LEARNSTORE_NOW TZ
LEARNSTORE_DB=$db run 0 env-db stats
expect env-db-used "version 15" "$tmp/out"
