#!/bin/sh
# The learning schema against the spec: a database created by the generated
# code must have the same tables, columns (order, declared types, NOT NULL,
# defaults, keys), indexes (names, columns, order, uniqueness) and version
# record as the spec's listing (spec-v15.sql), and the Python store's
# database must open without any change.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: "${CC:=cc}"

if ! $CC -std=c11 -Wall -Wextra -Wpedantic -Werror ${CFLAGS:-} \
        -I"$here/../../runtime" -I"$LEARNING_DIR" -o "$tmp/create" \
        "$here/create.c" "$LEARNING_DIR/learning.c" "$SCHEMAC_LIB" \
        ${LDFLAGS:-} ${SQLITE_LIBS:--lsqlite3} -lpthread -lm 2>"$tmp/cc.log"; then
    echo "FAIL learning/build: $(head -5 "$tmp/cc.log")"
    exit 0
fi
echo "PASS learning/build"

# Generated database vs the spec's tables.
if "$tmp/create" "$tmp/gen.db" 2>"$tmp/create.log"; then
    echo "PASS learning/create"
else
    echo "FAIL learning/create: $(cat "$tmp/create.log")"
fi
sqlite3 "$tmp/spec.db" <"$here/spec-v15.sql"
python3 "$here/dump-schema.py" "$tmp/spec.db" >"$tmp/spec.txt"
python3 "$here/dump-schema.py" "$tmp/gen.db" >"$tmp/gen.txt"
if diff -u "$tmp/spec.txt" "$tmp/gen.txt" >"$tmp/diff.txt"; then
    echo "PASS learning/matches-spec-v15"
else
    echo "FAIL learning/matches-spec-v15: $(head -20 "$tmp/diff.txt")"
fi
rows=$(sqlite3 "$tmp/gen.db" "SELECT group_concat(version) FROM schema_version")
if [ "$rows" = "15" ]; then
    echo "PASS learning/version-row"
else
    echo "FAIL learning/version-row: schema_version holds '$rows', expected one row 15"
fi

# A database as the Python store writes it opens unchanged (no migration).
cp "$tmp/spec.db" "$tmp/python.db"
before=$(sqlite3 "$tmp/python.db" "SELECT sql FROM sqlite_master ORDER BY rowid" | cksum)
if "$tmp/create" "$tmp/python.db" 2>"$tmp/open.log"; then
    after=$(sqlite3 "$tmp/python.db" "SELECT sql FROM sqlite_master ORDER BY rowid" | cksum)
    if [ "$before" = "$after" ]; then
        echo "PASS learning/opens-python-database"
    else
        echo "FAIL learning/opens-python-database: the schema changed on open"
    fi
else
    echo "FAIL learning/opens-python-database: $(cat "$tmp/open.log")"
fi
