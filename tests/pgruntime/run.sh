#!/bin/sh
# run.sh - libschemac's PostgreSQL backend against the private server of
# tests/pg/with-server.sh (make check starts one): test_rt.c, built with
# the code schemac generates from rt.schema, runs on a fresh database of
# its own and may make more beside it (docs/postgresql.md).  Results are
# pgruntime/builds, the program's own line and pgruntime/rt/TEST.
# Without a server, or in a PG=0 build (no libpq), each is a SKIP naming
# why.
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB, CC, CFLAGS, LDFLAGS, SC_LIBS,
# PQ_CFLAGS, PG; SCHEMAC_PG and PGHOST etc. from with-server.sh.
set -u
suite=pgruntime
. "$(dirname "$0")/../suite.sh"

# The program's results: its own PLAN (tests/suite.sh relays them).
plan 2 "builds and the program's own line"
if [ "${PG:-1}" = 0 ]; then
    skip builds "a PG=0 build has no PostgreSQL backend"
    skip rt "a PG=0 build has no PostgreSQL backend"
    exit 0
fi
if ! pg_need; then
    skip builds "$missing"
    skip rt "$missing"
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
exit 0
