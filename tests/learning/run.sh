#!/bin/sh
# The learning schema against the spec: a database created by the generated
# code must have the same tables, columns (order, declared types, NOT NULL,
# defaults, keys), indexes (names, columns, order, uniqueness) and version
# record as the spec's listing (spec-v15.sql), and the Python store's
# database must open without any change.
set -u
suite=learning
. "$(dirname "$0")/../suite.sh"

suite_cc create "$here/create.c" "$LEARNING_DIR/learning.c" "$SCHEMAC_LIB" \
    || exit 0
pass build

# Generated database vs the spec's tables.
if "$tmp/create" "$tmp/gen.db" 2>"$tmp/create.log"; then
    pass create
else
    fail create "$(cat "$tmp/create.log")"
fi
sqlite3 "$tmp/spec.db" <"$here/spec-v15.sql"
python3 "$here/dump-schema.py" "$tmp/spec.db" >"$tmp/spec.txt"
python3 "$here/dump-schema.py" "$tmp/gen.db" >"$tmp/gen.txt"
if diff -u "$tmp/spec.txt" "$tmp/gen.txt" >"$tmp/diff.txt"; then
    pass matches-spec-v15
else
    fail matches-spec-v15 "$(head -20 "$tmp/diff.txt")"
fi
rows=$(sqlite3 "$tmp/gen.db" "SELECT group_concat(version) FROM schema_version")
if [ "$rows" = "15" ]; then
    pass version-row
else
    fail version-row "schema_version holds '$rows', expected one row 15"
fi

# A database as the Python store writes it opens unchanged (no migration).
cp "$tmp/spec.db" "$tmp/python.db"
before=$(sqlite3 "$tmp/python.db" "SELECT sql FROM sqlite_master ORDER BY rowid" | cksum)
if "$tmp/create" "$tmp/python.db" 2>"$tmp/open.log"; then
    after=$(sqlite3 "$tmp/python.db" "SELECT sql FROM sqlite_master ORDER BY rowid" | cksum)
    if [ "$before" = "$after" ]; then
        pass opens-python-database
    else
        fail opens-python-database "the schema changed on open"
    fi
else
    fail opens-python-database "$(cat "$tmp/open.log")"
fi
