#!/bin/sh
# The learning store library and the learnstore CLI: every operation with
# hand-computed expectations, 8 processes racing on record_pattern, the
# hashes and Path.resolve() of the Python store (test_hash, test_path, the
# latter against python3), every function that takes numbers called with
# the ends of int64_t and double (test_extremes: under the sanitizer build
# any undefined behaviour aborts it), and the CLI's output and exit codes
# (including bad arguments and refused files).  test_store and test_ops
# run twice: on SQLite files, and as test_store-pg and test_ops-pg on
# PostgreSQL (a database per store, made and dropped by the program
# through the admin URI $SCHEMAC_PG of tests/pg/with-server.sh; SKIP
# without a server).
set -u
suite=learnstore
. "$(dirname "$0")/../suite.sh"

# Each program reports one line of its own (its build's FAIL, or
# suite_run's line) and its tests as PLAN +N; the CLI checks below are
# counted by hand: add one here when adding one there.  test_pyfiles
# works on a database pyfiles.py wrote in the Python store's formats, and
# pyfiles.py checks with Python's own readers what it left.  test_extremes
# runs on SQLite files only.
programs="test_store test_ops race test_hash test_path test_pyfiles"
programs="$programs test_extremes"
# The programs that run on PostgreSQL too, reported as NAME-pg.
pgprograms="test_store test_ops"
set -- $programs $pgprograms
ncli=132
# Of them, the progress line's need script(1), sqlite3 and python3.
ntty=18
# pyfiles.py makes a database in the Python store's formats before
# test_pyfiles works on it, and checks it with Python's readers after:
# two more relayed programs.
plan $(($# + 2 + ncli)) "$# program runs (2 on PostgreSQL)," \
    "2 pyfiles.py steps, $ncli CLI checks"

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

# engine.h reaches PostgreSQL through libpq when libschemac has a libpq
# backend (SC_LIBS names -lpq); otherwise the -pg runs are SKIPs.
pgwhy=
case " $SC_LIBS " in
*" -lpq "*)
    : "${PQ_CFLAGS:=-I$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)}"
    engine_cflags="-DENGINE_PG $PQ_CFLAGS" ;;
*)
    engine_cflags=
    pgwhy="libschemac was built without PostgreSQL (PG=0): no libpq" ;;
esac
if [ -z "$pgwhy" ] && ! pg_need; then
    pgwhy=$missing
fi

pyfiles make
for t in $programs; do
    case " $pgprograms " in
    *" $t "*)
        # shellcheck disable=SC2086
        if ! suite_cc $t $engine_cflags -I"$root/learnstore" "$here/$t.c" \
                "$LEARNSTORE_LIB" "$SCHEMAC_LIB"; then
            fail $t-pg "not run: it did not build"
            continue
        fi
        suite_run $t "$tmp/$t"
        if [ -n "$pgwhy" ]; then
            skip $t-pg "$pgwhy"
        else
            suite_run $t-pg "$tmp/$t" "$SCHEMAC_PG"
        fi
        continue ;;
    esac
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
quiet() {   # quiet NAME TEXT: the last run printed TEXT, stderr empty
    if printf '%s' "$2" | cmp -s - "$tmp/out" && [ ! -s "$tmp/err" ]; then
        pass "cli-$1"
    else
        fail "cli-$1" "stdout '$(cat "$tmp/out")', stderr '$(cat "$tmp/err")'"
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
# ---- copy: the whole store into another file, verified ----------------
run 0 copy --json copy --from "$rdb" --to "$tmp/copy.db"
expect copy-verified '"verified": true' "$tmp/out"
"$ls" --db "$rdb" export >"$tmp/export.from" 2>&1
"$ls" --db "$tmp/copy.db" export >"$tmp/export.to" 2>&1
if [ -s "$tmp/export.from" ] && cmp -s "$tmp/export.from" "$tmp/export.to"
then
    pass cli-copy-same-export
else
    fail cli-copy-same-export "$(diff "$tmp/export.from" "$tmp/export.to" |
        head -3)"
fi
run 1 copy-not-empty copy --from "$rdb" --to "$tmp/copy.db"
expect copy-not-empty-says "the destination is not empty" "$tmp/err"
run 0 copy-replace copy --from "$rdb" --to "$tmp/copy.db" --replace
run 2 copy-usage copy --from "$rdb"
unset LEARNSTORE_NOW TZ
LEARNSTORE_DB=$db run 0 env-db stats
expect env-db-used "version 15" "$tmp/out"

# ---- export --output: the same JSON, in a file replaced only when whole --
run 0 export-output --db "$rdb" export --output "$tmp/export.json"
quiet export-output-quiet ""
"$ls" --db "$rdb" export >"$tmp/export.stdout" 2>"$tmp/err"
if cmp -s "$tmp/export.stdout" "$tmp/export.json"; then
    pass cli-export-output-same
else
    fail cli-export-output-same "$(diff "$tmp/export.stdout" \
        "$tmp/export.json" | head -5)"
fi
run 1 export-output-unwritable --db "$rdb" export --output \
    "$tmp/no/such/folder/x.json"
expect export-output-says-why "cannot write '.*no/such/folder/x.json': No such file" \
    "$tmp/err"

# Through a link: the link stays and its file gets the export.  A file
# replaced keeps its mode (a 0600 file is not made readable to all).
mkdir "$tmp/exp"
echo old >"$tmp/exp/real.json"
chmod 600 "$tmp/exp/real.json"
ln -s real.json "$tmp/exp/link.json"
run 0 export-through-link --db "$rdb" export --output "$tmp/exp/link.json"
if [ -L "$tmp/exp/link.json" ] && cmp -s "$tmp/export.stdout" \
    "$tmp/exp/real.json"; then
    pass cli-export-link-kept
else
    fail cli-export-link-kept "$(ls -l "$tmp/exp")"
fi
echo old >"$tmp/exp/plain.json"
chmod 600 "$tmp/exp/plain.json"
run 0 export-over-private --db "$rdb" export --output "$tmp/exp/plain.json"
if [ "$(find "$tmp/exp/plain.json" "$tmp/exp/real.json" -perm 600 | wc -l)" \
    -eq 2 ] && cmp -s "$tmp/export.stdout" "$tmp/exp/plain.json"; then
    pass cli-export-mode-kept
else
    fail cli-export-mode-kept "$(ls -l "$tmp/exp")"
fi
# As root the export also keeps the replaced file's owner (a user's
# file is not handed to root); another user cannot give a file away.
echo old >"$tmp/exp/owned.json"
if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$tmp/exp/owned.json"
    run 0 export-over-owned --db "$rdb" export --output "$tmp/exp/owned.json"
    if [ "$(stat -c %u:%g "$tmp/exp/owned.json")" = 65534:65534 ] &&
        cmp -s "$tmp/export.stdout" "$tmp/exp/owned.json"; then
        pass cli-export-owner-kept
    else
        fail cli-export-owner-kept "$(ls -ln "$tmp/exp/owned.json")"
    fi
else
    skip cli-export-over-owned "not root: no file of another owner to make"
    skip cli-export-owner-kept "not root: no file of another owner to make"
fi
# A link to a file not there yet: the file is made through it.
ln -s new.json "$tmp/exp/dangling.json"
run 0 export-dangling-link --db "$rdb" export --output "$tmp/exp/dangling.json"
if [ -L "$tmp/exp/dangling.json" ] && cmp -s "$tmp/export.stdout" \
    "$tmp/exp/new.json"; then
    pass cli-export-dangling-link-file
else
    fail cli-export-dangling-link-file "$(ls -l "$tmp/exp")"
fi
# Not a regular file (as /dev/stdout or a terminal): written straight, not
# replaced by a regular file.  A pipe stands for the devices, which a
# wrong rename would replace on this machine.
mkfifo "$tmp/exp/fifo"
timeout 60 cat "$tmp/exp/fifo" >"$tmp/exp/fifo.out" &
reader=$!
run 0 export-to-fifo --db "$rdb" export --output "$tmp/exp/fifo"
wait $reader
if [ -p "$tmp/exp/fifo" ] && cmp -s "$tmp/export.stdout" "$tmp/exp/fifo.out"
then
    pass cli-export-fifo-stays
else
    fail cli-export-fifo-stays "$(ls -l "$tmp/exp")"
fi
# Nothing but the export is left in the folder, and the store itself (or
# its write-ahead log) is refused as the output.
if [ "$(ls -A "$tmp/exp" | tr '\n' ' ')" = \
    "dangling.json fifo fifo.out link.json new.json owned.json plain.json real.json " ]; then
    pass cli-export-no-leftover
else
    fail cli-export-no-leftover "$(ls -A "$tmp/exp")"
fi
run 2 export-over-store --db "$rdb" export --output "$rdb"
expect export-over-store-says "is the store itself" "$tmp/err"
run 0 export-store-intact --db "$rdb" export
if cmp -s "$tmp/export.stdout" "$tmp/out"; then
    pass cli-export-store-intact
else
    fail cli-export-store-intact "the store changed"
fi

# ---- the progress line: on a terminal only ----
# A version-1 file migrates in 12 steps; the store has 12 tables to clear
# and export.  Under a pseudo-terminal (script(1)) the line is drawn on
# stderr and erased: the screen, carriage returns applied, shows only the
# command's output.  With stdout a file, stderr stays empty and stdout is
# what it always was.
# old_file FILE: a new version-1 learning store in FILE.
old_file() {
    rm -f "$1" "$1-wal" "$1-shm"
    { "$SCHEMAC_BIN" --ddl-version 1 "$root/schema/learning.schema" &&
        echo "INSERT INTO schema_version (version) VALUES (1);"; } |
        sqlite3 "$1" 2>"$tmp/err"
}
# on_tty NAME WANT_STATUS ARGS...: run learnstore ARGS under a pseudo-
# terminal, its bytes into $tmp/tty and its screen, empty lines left out,
# into $tmp/screen; check the exit status.
on_tty() {
    name=$1; want=$2; shift 2
    cmd=$(printf "'%s' " "$ls" "$@")
    script -qec "$cmd" /dev/null </dev/null >"$tmp/tty" 2>"$tmp/tty.err"
    got=$?
    python3 - "$tmp/tty" >"$tmp/screen" <<'PY'
import sys
# Each line as a terminal shows it: a carriage return goes back to the
# start of the line, and what follows overwrites what was there.
text = open(sys.argv[1], encoding="utf-8", newline="").read().replace("\r\n", "\n")
for line in text.split("\n"):
    cells, col = [], 0
    for ch in line:
        if ch == "\r":
            col = 0
            continue
        cells[col:col + 1] = [ch]
        col += 1
    if "".join(cells).strip():
        print("".join(cells).rstrip())
PY
    if [ "$got" -eq "$want" ]; then
        pass "cli-tty-$name"
    else
        fail "cli-tty-$name" "exit $got, expected $want: $(head -3 "$tmp/tty")"
    fi
}
# screen_is NAME TEXT: the screen of the last on_tty shows TEXT only.
screen_is() {
    if printf '%s' "$2" | cmp -s - "$tmp/screen"; then
        pass "cli-$1"
    else
        fail "cli-$1" "the screen shows: $(cat "$tmp/screen")"
    fi
}
pdb=$tmp/progress.db
if ! need script bsdutils || ! need sqlite3 || ! need python3; then
    i=0
    while [ $i -lt $ntty ]; do
        i=$((i + 1))
        skip "cli-progress-$i" "$missing"
    done
elif ! old_file "$pdb" || ! old_file "$pdb.2" || ! old_file "$pdb.3"; then
    i=0
    while [ $i -lt $ntty ]; do
        i=$((i + 1))
        fail "cli-progress-$i" "no version-1 file: $(cat "$tmp/err")"
    done
else
    ready="learning store ready at version 15
"
    on_tty migrate 0 --db "$pdb" init
    expect tty-migrate-first "migrating: step 1/12 (to version 2)" "$tmp/tty"
    expect tty-migrate-last "migrating: step 12/12 (to version 15)" \
        "$tmp/tty"
    # The end (done == total) erases the line; it draws no step 13.
    if grep -q "13/12" "$tmp/tty"; then
        fail cli-tty-migrate-no-step-13 "$(od -c "$tmp/tty" | tail -4)"
    else
        pass cli-tty-migrate-no-step-13
    fi
    screen_is tty-migrate-erased "$ready"
    run 0 pipe-migrate --db "$pdb.2" init
    quiet pipe-migrate-quiet "$ready"
    # stdout a file and stderr still the terminal: quiet all the same.
    script -qec "$(printf "'%s' " "$ls" --db "$pdb.3" init) >'$tmp/out'" \
        /dev/null </dev/null >"$tmp/tty" 2>&1
    if printf '%s' "$ready" | cmp -s - "$tmp/out" &&
        ! grep -q migrating "$tmp/tty"; then
        pass cli-tty-stdout-file-quiet
    else
        fail cli-tty-stdout-file-quiet "stdout '$(cat "$tmp/out")'," \
            "terminal '$(cat "$tmp/tty")'"
    fi
    on_tty clear 0 --db "$pdb" clear --yes
    expect tty-clear-tables "clearing: table 12/12 (" "$tmp/tty"
    screen_is tty-clear-erased "cleared
"
    run 0 pipe-clear --db "$pdb.2" clear --yes
    quiet pipe-clear-quiet "cleared
"
    on_tty export 0 --db "$rdb" export --output "$tmp/tty.json"
    expect tty-export-tables "exporting: table 2/12 (patterns)" "$tmp/tty"
    screen_is tty-export-erased ""
    # Written to the terminal, the JSON is the export's only output.
    on_tty export-stdout 0 --db "$rdb" export
    screen_is tty-export-stdout-plain "$(cat "$tmp/export.stdout")
"
fi
