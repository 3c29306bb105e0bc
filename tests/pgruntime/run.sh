#!/bin/sh
# run.sh - libschemac's PostgreSQL backend against the private server of
# tests/pg/with-server.sh (make check starts one): test_rt.c, built with
# the code schemac generates from rt.schema, runs on a fresh database of
# its own and may make more beside it (docs/postgresql.md); then the
# learning store's race (tests/learnstore/race.c) runs there, once plain
# and once through a restart of the server.  Results are
# pgruntime/builds, each program's own line and pgruntime/PROGRAM/TEST.
# Without a server, or in a PG=0 build (no libpq), each is a SKIP naming
# why.
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB, CC, CFLAGS, LDFLAGS, SC_LIBS,
# PQ_CFLAGS, PG; SCHEMAC_PG and PGHOST etc. from with-server.sh.
set -u
suite=pgruntime
. "$(dirname "$0")/../suite.sh"

# The programs' results: their own PLANs (tests/suite.sh relays them).
cases="builds rt race restart copy-to copy-back copy-same"
plan 7 "builds, the runtime program, the race and the race through a" \
    "restart, a store copied to PostgreSQL and back"
if [ "${PG:-1}" = 0 ]; then
    for c in $cases; do skip $c "a PG=0 build has no PostgreSQL backend"; done
    exit 0
fi
if ! pg_need; then
    for c in $cases; do skip $c "$missing"; done
    exit 0
fi
: "${PQ_CFLAGS:=-I$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)}"
gen=$tmp/gen
mkdir -p "$gen"
# shellcheck disable=SC2086
if ! "$SCHEMAC_BIN" -o "$gen" "$here/rt.schema" >"$tmp/err" 2>&1; then
    fail builds "schemac: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
    fail rt "not run: it did not build"
elif ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
        -Werror ${CFLAGS:-} -I"$gen" -I"$root/runtime" -I"$root/tests" \
        $PQ_CFLAGS -o "$tmp/rt" "$here/test_rt.c" "$gen/rt.c" \
        "$SCHEMAC_LIB" ${LDFLAGS:-} $SC_LIBS -lpq -lpthread -lm \
        >"$tmp/err" 2>&1; then
    fail builds "$(head -n 5 "$tmp/err" | tr '\n' ' ')"
    fail rt "not run: it did not build"
elif ! uri=$(pg_fresh_db rt 2>"$tmp/err"); then
    pass builds
    fail rt "no database: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
else
    pass builds
    # The program makes (and drops) more databases beside its own.
    suite_run rt "$tmp/rt" "$uri" "$SCHEMAC_PG"
fi

# race: 16 processes x 1,000 record_pattern over 50 names, every count
# exact and no error.  restart: 8 x 500 while the server restarts; only
# SC_IO may fail, and nothing committed is lost (race.c).
if suite_cc race -I"$root/learnstore" "$root/tests/learnstore/race.c" \
        "$LEARNSTORE_LIB" "$SCHEMAC_LIB"; then
    if uri=$(pg_fresh_db race 2>"$tmp/err"); then
        suite_run race "$tmp/race" "$uri" 16 50 20
    else
        fail race "no database: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
    fi
    if [ -z "${SCHEMAC_PG_DIR:-}" ]; then
        fail restart "SCHEMAC_PG_DIR is not set: run under" \
            "tests/pg/with-server.sh"
    elif uri=$(pg_fresh_db restart 2>"$tmp/err"); then
        suite_run restart "$tmp/race" "$uri" 8 50 10 \
            "sh '$root/tests/pg/server.sh' restart '$SCHEMAC_PG_DIR'"
    else
        fail restart "no database: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
    fi
fi

# copy-to, copy-back, copy-same: a store with rows in several tables (the
# learnstore command's records, a promotion, an entropy record),
# copied to PostgreSQL and back into a new file: both copies verify, and
# the three exports are the same bytes.
ls=$LEARNSTORE_BIN
src=$tmp/copy-src.db
export LEARNSTORE_NOW=1780000000 TZ=UTC
for args in "record-outcome --job j1 --sheet 1 --status completed --first-try --pass-rate 1" \
            "record-outcome --job j1 --sheet 2 --status failed --retries 3 --error E7 --model m1" \
            "record-pattern --type error --name CAFÉ_Crème --tag api --tag ünïcode" \
            "record-pattern --type error --name CAFÉ_Crème --tag api" \
            "record-pattern --type retry --name backoff --description d --action a" \
            "record-rate-limit --code E7 --duration 90 --job j1 --model m1" \
            "lifecycle promote" "entropy --threshold 0.5 --record"; do
    # shellcheck disable=SC2086
    "$ls" --db "$src" $args >/dev/null 2>>"$tmp/copy.err"
done
unset LEARNSTORE_NOW TZ
if ! to=$(pg_fresh_db copy 2>"$tmp/err"); then
    why="no database: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
    for c in copy-to copy-back copy-same; do fail $c "$why"; done
    exit 0
fi
if "$ls" --json copy --from "$src" --to "$to" >"$tmp/copy.out" \
        2>>"$tmp/copy.err" && grep -q '"verified": true' "$tmp/copy.out"
then
    pass copy-to
else
    fail copy-to "$(tail -n 2 "$tmp/copy.err")"
fi
if "$ls" copy --from "$to" --to "$tmp/copy-back.db" \
        >"$tmp/copy.out" 2>>"$tmp/copy.err" &&
   grep -q "copied and verified" "$tmp/copy.out"; then
    pass copy-back
else
    fail copy-back "$(tail -n 2 "$tmp/copy.err")"
fi
"$ls" --db "$src" export >"$tmp/x1" 2>&1
"$ls" --db "$to" export >"$tmp/x2" 2>&1
"$ls" --db "$tmp/copy-back.db" export >"$tmp/x3" 2>&1
if ! grep -q '"patterns": \[$' "$tmp/x1" ||
   ! grep -q '"pattern_entropy_history": \[$' "$tmp/x1"; then
    fail copy-same "the source store is missing rows: $(head -c 300 "$tmp/x1")"
elif cmp -s "$tmp/x1" "$tmp/x2" && cmp -s "$tmp/x1" "$tmp/x3"; then
    pass copy-same
else
    fail copy-same "exports differ: $(diff "$tmp/x1" "$tmp/x2" | head -3)" \
        "$(diff "$tmp/x1" "$tmp/x3" | head -3)"
fi
exit 0
