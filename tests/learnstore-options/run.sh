#!/bin/sh
# The learnstore command's options, by the conventions people expect:
# --db PATH and --db=PATH, combined short options (-jd PATH), "--", any
# unambiguous prefix of a command's option, --version, --help after any
# command; values the store would record wrongly (a pass rate outside
# [0, 1], an unknown status, a sheet id without its number) refused with
# exit 2 and nothing written; with --json, errors are JSON objects on
# stderr.
set -u
suite=learnstore-options
. "$(dirname "$0")/../suite.sh"

plan 12 "12 command lines"

ls=$LEARNSTORE_BIN
db=$tmp/store.db
unset LEARNSTORE_DB

# run NAME WANT_STATUS ARGS...: run learnstore, keep its output in
# $tmp/out and $tmp/err, and succeed when it exits WANT_STATUS (else
# report NAME failed and return 1).
run() {
    r_name=$1 r_want=$2
    shift 2
    "$ls" "$@" >"$tmp/out" 2>"$tmp/err"
    r_got=$?
    [ "$r_got" = "$r_want" ] && return 0
    fail "$r_name" "exit $r_got, expected $r_want: $(head -2 "$tmp/err")"
    return 1
}
# executions: the number of executions in the store.
executions() {
    "$ls" --db "$db" --json stats | sed -n 's/.*"executions": \([0-9]*\).*/\1/p'
}

if run db-equals 0 --db="$db" init; then
    if [ -f "$db" ]; then
        pass db-equals
    else
        fail db-equals "no database at $db"
    fi
fi

if run combined-short 0 -jd "$db" init; then
    if [ "$(cat "$tmp/out")" = '{"version": 15}' ]; then
        pass combined-short
    else
        fail combined-short "printed $(cat "$tmp/out")"
    fi
fi

# "--" ends the options: "-x" is then the pattern's id (not found: 3).
if run double-dash 3 -d "$db" pattern -- -x; then
    pass double-dash
fi

if run option-forms 0 -d "$db" record-outcome --job=j --sheet=sheet-2 \
        --pass 0.5 --stat=failed; then
    if [ "$(executions)" = 1 ]; then
        pass option-forms
    else
        fail option-forms "no execution recorded"
    fi
fi

v=$(sed -n 's/^#define SCHEMAC_VERSION_STRING "\(.*\)"$/\1/p' \
    "$root/runtime/schemac.h")
if run version 0 --version &&
   [ "$(cat "$tmp/out")" = "learnstore (schemac) $v" ] &&
   [ "$("$ls" -V)" = "learnstore (schemac) $v" ]; then
    pass version
elif [ "$r_got" = 0 ]; then
    fail version "printed $(cat "$tmp/out")"
fi

ok=1
for cmd in "" patterns record-outcome clear; do
    "$ls" $cmd --help >"$tmp/out" 2>&1 || ok=0
    grep -q "^usage: learnstore" "$tmp/out" || ok=0
done
"$ls" record-outcome --json --help >"$tmp/out" 2>&1 &&
    grep -q -- "--pass-rate" "$tmp/out" || ok=0
if [ "$ok" = 1 ]; then
    pass help-everywhere
else
    fail help-everywhere "a --help did not print the usage"
fi

# refused NAME MESSAGE ARGS...: exit 2 naming MESSAGE, nothing written.
refused() {
    r_case=$1 r_msg=$2
    shift 2
    before=$(executions)
    run "$r_case" 2 -d "$db" record-outcome --job j "$@" || return
    if ! grep -q -- "$r_msg" "$tmp/err"; then
        fail "$r_case" "no '$r_msg' in: $(head -2 "$tmp/err")"
    elif [ "$(executions)" != "$before" ]; then
        fail "$r_case" "an execution was written"
    else
        pass "$r_case"
    fi
}
refused pass-rate-refused "--pass-rate 1.5 is not between 0 and 1" \
    --sheet sheet-1 --pass-rate 1.5
refused status-refused "--status 'done' is not one of" \
    --sheet sheet-1 --status done
refused sheet-refused "--sheet 'sheet' does not end in the sheet's number" \
    --sheet sheet

# With --json, errors are one JSON object each on stderr.
if ! need python3; then
    fail json-errors "$missing"
else
    "$ls" --json -d "$db" record-outcome --job j --sheet x >/dev/null \
        2>"$tmp/e1"
    s1=$?
    "$ls" -d "$db" pattern nope --json >/dev/null 2>"$tmp/e2"
    s2=$?
    if [ "$s1" = 2 ] && [ "$s2" = 3 ] &&
       python3 - "$tmp/e1" "$tmp/e2" <<'PY'
import json, sys
for path, status, cmd in ((sys.argv[1], 2, "record-outcome"),
                          (sys.argv[2], 3, "pattern")):
    lines = open(path).read().splitlines()
    assert len(lines) == 1, lines
    o = json.loads(lines[0])
    assert o["exit_status"] == status and o["command"] == cmd, o
    assert o["error"], o
PY
    then
        pass json-errors
    else
        fail json-errors "statuses $s1 $s2: $(head -1 "$tmp/e1")"
    fi
fi

run unknown-option 2 -d "$db" patterns --colour &&
    grep -q "unknown option '--colour'" "$tmp/err" && pass unknown-option
[ "$r_got" = 2 ] && ! grep -q "unknown option '--colour'" "$tmp/err" &&
    fail unknown-option "message: $(head -1 "$tmp/err")"

run missing-value 2 -d "$db" executions --limit &&
    grep -q "'--limit' needs a value" "$tmp/err" && pass missing-value
[ "$r_got" = 2 ] && ! grep -q "needs a value" "$tmp/err" &&
    fail missing-value "message: $(head -1 "$tmp/err")"
exit 0
