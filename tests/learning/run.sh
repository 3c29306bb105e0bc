#!/bin/sh
# The learning schema against the spec: a database created by the generated
# code must have the same tables, columns (order, declared types, NOT NULL,
# defaults, keys), indexes (names, columns, order, uniqueness) and version
# record as the spec's listing (spec-v15.sql) with our unversioned indexes
# (unversioned.sql), and the Python store's database must open with no
# change but those indexes added.  Needs sqlite3 and python3; a
# missing one fails the cases that need it, naming the install command.
set -u
suite=learning
. "$(dirname "$0")/../suite.sh"

after_build="create matches-spec-v15 version-row opens-python-database"
set -- $after_build
plan $((1 + $#)) "build, $after_build"

if ! suite_cc create "$here/create.c" "$LEARNING_DIR/learning.c" \
    "$SCHEMAC_LIB"; then
    for c in $after_build; do
        fail "$c" "create.c did not build"
    done
    exit 0
fi
pass build

# Generated database vs the spec's tables.
if "$tmp/create" "$tmp/gen.db" 2>"$tmp/create.log"; then
    pass create
else
    fail create "$(cat "$tmp/create.log")"
fi

# dump FILE OUT: dump-schema.py's listing of FILE into OUT; returns 1 when
# it failed or printed nothing.
dump() {
    if python3 "$here/dump-schema.py" "$1" >"$2" 2>"$tmp/dump.err" \
        && [ -s "$2" ]; then
        return 0
    fi
    echo "dump-schema.py $(basename "$1"): $(head -3 "$tmp/dump.err")" \
        >>"$tmp/dump.why"
    return 1
}

no_sqlite3=
need sqlite3 || no_sqlite3=$missing
spec_ok=0
if [ -z "$no_sqlite3" ] \
    && sqlite3 "$tmp/spec.db" <"$here/spec-v15.sql" 2>"$tmp/spec.err" \
    && cp "$tmp/spec.db" "$tmp/ours.db" \
    && sqlite3 "$tmp/ours.db" <"$here/unversioned.sql" 2>"$tmp/spec.err"
then
    spec_ok=1
fi

if [ -n "$no_sqlite3" ]; then
    fail matches-spec-v15 "$no_sqlite3"
elif [ "$spec_ok" = 0 ]; then
    fail matches-spec-v15 "spec-v15.sql does not load: $(head -3 \
        "$tmp/spec.err")"
elif ! need python3; then
    fail matches-spec-v15 "$missing"
elif ! dump "$tmp/ours.db" "$tmp/spec.txt" \
    || ! dump "$tmp/gen.db" "$tmp/gen.txt"; then
    fail matches-spec-v15 "$(cat "$tmp/dump.why")"
elif diff -u "$tmp/spec.txt" "$tmp/gen.txt" >"$tmp/diff.txt"; then
    pass matches-spec-v15
else
    fail matches-spec-v15 "$(head -20 "$tmp/diff.txt")"
fi

if [ -n "$no_sqlite3" ]; then
    fail version-row "$no_sqlite3"
else
    rows=$(sqlite3 "$tmp/gen.db" \
        "SELECT group_concat(version) FROM schema_version" 2>&1)
    if [ "$rows" = "15" ]; then
        pass version-row
    else
        fail version-row "schema_version holds '$rows', expected one row 15"
    fi
fi

# A database as the Python store writes it opens unchanged (no migration)
# but for the unversioned indexes, added after its own objects.
# ddl FILE: its schema objects, which must be there to compare.
ddl() {
    sqlite3 "$1" "SELECT sql FROM sqlite_master ORDER BY rowid"
}
if [ -n "$no_sqlite3" ]; then
    fail opens-python-database "$no_sqlite3"
elif [ "$spec_ok" = 0 ]; then
    fail opens-python-database "no Python store database: spec-v15.sql" \
        "does not load"
else
    cp "$tmp/spec.db" "$tmp/python.db"
    before=$(ddl "$tmp/python.db")
    want=$(printf '%s\n' "$before"; grep -v '^--' "$here/unversioned.sql" \
        | sed 's/;$//')
    if [ -z "$before" ]; then
        fail opens-python-database "sqlite3 lists no schema in the Python" \
            "store's database"
    elif "$tmp/create" "$tmp/python.db" 2>"$tmp/open.log"; then
        after=$(ddl "$tmp/python.db")
        version=$(sqlite3 "$tmp/python.db" \
            "SELECT group_concat(version) FROM schema_version")
        if [ "$want" != "$after" ]; then
            fail opens-python-database "the schema changed on open, not" \
                "only by unversioned.sql: $(printf '%s\n' "$after" | tail -3)"
        elif [ "$version" != "15" ]; then
            fail opens-python-database "schema_version holds '$version'" \
                "after the open, expected 15"
        else
            pass opens-python-database
        fi
    else
        fail opens-python-database "$(cat "$tmp/open.log")"
    fi
fi
