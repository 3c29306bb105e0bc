#!/bin/sh
# run.sh - migrations on real files.  Old databases are made with
# `schemac --ddl-version N` and sqlite3, filled with rows, then opened by
# open_db.c built against a generated descriptor (gcc -Werror):
#   - a version-1 learning database migrates to 15 keeping every row, the
#     renamed columns keep their values, migration 13 repairs priorities,
#     and its shape equals the spec's version-15 tables;
#   - a version-14 learning database loses both foreign keys of
#     pattern_applications by a rebuild keeping its rows and indexes;
#   - a failure in a rebuild (new CHECK), in a data step and in a rename
#     (onto a column made by hand) leaves the file content-identical at
#     its old version, and the next open after a fix succeeds;
#   - constraints added over older rows, made safe as schemac advises
#     (filled.schema: a default, data steps), pass the proof, and a
#     version-1 file holding NULLs, dangling keys and duplicates migrates;
#   - a database newer than the code is refused and left byte-identical;
#   - indexes on expressions (exprindex.schema) come back from the rebuild
#     of their table with their expressions, still refuse duplicates, and
#     a query on lower(name) uses its index;
#   - columns whose type changes (typechange.schema) hold every value
#     converted, with SQLite's new storage class, and the view over them
#     works after the step.
# Prints its plan and PASS/FAIL lines (see tests/suite.sh) and exits 0.
#
# Environment: SCHEMAC_BIN, SCHEMAC_LIB, LEARNING_DIR (the folder with the
# generated learning.h and learning.c), CC, CFLAGS, LDFLAGS, SC_LIBS.
set -u

suite=history
. "$(dirname "$0")/../suite.sh"
bin=$SCHEMAC_BIN
lib=$SCHEMAC_LIB
ldir=$LEARNING_DIR
learning=$root/schema/learning.schema

# The learning store: build 1, version 1 opens 1 + 7 checks, version 14
# 2 + 6 checks.  The steps schema: build 1, three refused migrations of
# 4 + 1 checks each plus 1 for rebuild-check's message, 2 newer checks.
# The filled schema: proven 1, build 1, opens 1 + 2 checks.  The
# exprindex schema: proven 1, rebuilds 1, build 1, opens 1 + 6 checks.
# The typechange schema: build 1, opens 1 + 4 checks.
plan $((1 + 1 + 7 + 2 + 6 + 1 + 3 * (4 + 1 + 1) + 1 + 2 + 1 + 1 + 1 + 2 \
    + 1 + 1 + 1 + 1 + 6 + 1 + 1 + 4)) "learning store 17, steps 22," \
    "filled 5, exprindex 10, typechange 6"

for tool in sqlite3 python3; do
    if ! need "$tool"; then
        fail setup "$missing"
        exit 0
    fi
done
for f in "$bin" "$lib" "$ldir/learning.c" "$ldir/learning.h"; do
    if [ ! -f "$f" ]; then
        fail setup "missing $f (run make first)"
        exit 0
    fi
done

# build NAME GENDIR: compile open_db.c with GENDIR/NAME.c into
# $tmp/open-NAME, warnings as errors.
build() {
    # shellcheck disable=SC2086
    if $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
        -Werror ${CFLAGS:-} -DSCHEMA_HEADER="\"$1.h\"" \
        -DSCHEMA_VAR="$1_schema" -I"$2" -I"$root/runtime" \
        ${SQLITE_CFLAGS:-} -o "$tmp/open-$1" "$here/open_db.c" "$2/$1.c" \
        "$lib" ${LDFLAGS:-} ${SC_LIBS:--lsqlite3} -lpthread -lm \
        >"$tmp/cc.log" 2>&1; then
        pass "build-$1"
        return 0
    fi
    fail "build-$1" "$(head -n 5 "$tmp/cc.log" | tr '\n' ' ')"
    return 1
}

# make_db FILE SCHEMA VERSION: a new file holding version VERSION of
# SCHEMA, its version recorded in schema_version.
make_db() {
    rm -f "$1" "$1-wal" "$1-shm"
    { "$bin" --ddl-version "$3" "$2" &&
        echo "INSERT INTO schema_version (version) VALUES ($3);"; } |
        sqlite3 "$1"
}

# version FILE: the recorded version.
version() {
    sqlite3 "$1" "SELECT max(version) FROM schema_version"
}

# content FILE: every row and schema object, as sqlite3 dumps them.
content() {
    sqlite3 "$1" .dump
}

# shape FILE: dump-schema.py's output with the tables' blocks in name
# order (a rebuilt table is created last, so sqlite_master's order is the
# only thing a migrated database cannot share with a new one).
shape() {
    python3 "$root/tests/learning/dump-schema.py" "$1" | awk '
        /^table / { name = $2 }
        /^(schema_version rows|user_version)/ { name = "~" }
        { print name "\t" NR "\t" $0 }' | sort -t '	' -k1,1 -k2,2n |
        cut -f 3-
}

# same NAME BEFORE AFTER: the two files must be equal and not empty (two
# empty outputs of a failed command are equal too).
same() {
    if [ ! -s "$2" ] || [ ! -s "$3" ]; then
        fail "$1" "nothing to compare: $(basename "$2") or" \
            "$(basename "$3") is empty"
    elif cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "$(diff "$2" "$3" | head -n 8 | tr '\n' ' ')"
    fi
}

# expect NAME WHAT GOT WANT
expect() {
    if [ "$3" = "$4" ]; then
        pass "$1"
    else
        fail "$1" "$2: got '$3', expected '$4'"
    fi
}

# open_ok NAME PROG FILE: open must succeed.
open_ok() {
    if "$2" "$3" >"$tmp/open.out" 2>&1; then
        pass "$1"
        return 0
    fi
    fail "$1" "$(tr '\n' ' ' <"$tmp/open.out")"
    return 1
}

# ---- the learning store ---------------------------------------------------

if build learning "$ldir"; then
    open=$tmp/open-learning

    # Version 1, a row in every table.
    db=$tmp/v1.db
    make_db "$db" "$learning" 1
    sqlite3 "$db" <"$here/learning-v1-rows.sql"
    q_exec="SELECT id, workspace_hash, job_hash, sheet_num, started_at,
        completed_at, duration_seconds, status, retry_count, %s,
        validation_pass_rate, confidence_score, model, error_codes
        FROM executions ORDER BY id"
    q_pat="SELECT id, pattern_type, pattern_name, description,
        occurrence_count, first_seen, last_seen, last_confirmed,
        led_to_success_count, led_to_failure_count, effectiveness_score,
        variance, suggested_action, context_tags FROM patterns ORDER BY id"
    q_app="SELECT id, pattern_id, execution_id, applied_at, %s,
        retry_count_before, retry_count_after FROM pattern_applications
        ORDER BY id"
    q_rest="SELECT * FROM error_recoveries ORDER BY id;
        SELECT * FROM workspace_clusters ORDER BY workspace_hash"
    # shellcheck disable=SC2059
    {
        sqlite3 "$db" "$(printf "$q_exec" first_attempt_success)"
        sqlite3 "$db" "$q_pat"
        sqlite3 "$db" "$(printf "$q_app" outcome_improved)"
        sqlite3 "$db" "$q_rest"
    } >"$tmp/v1-before.txt"
    if open_ok learning-v1-opens "$open" "$db"; then
        expect learning-v1-version "recorded version" "$(version "$db")" 15
        # shellcheck disable=SC2059
        {
            sqlite3 "$db" "$(printf "$q_exec" success_without_retry)"
            sqlite3 "$db" "$q_pat"
            sqlite3 "$db" "$(printf "$q_app" pattern_led_to_success)"
            sqlite3 "$db" "$q_rest"
        } >"$tmp/v1-after.txt"
        same learning-v1-rows-kept "$tmp/v1-before.txt" "$tmp/v1-after.txt"
        expect learning-v1-renamed-values "renamed columns" \
            "$(sqlite3 "$db" "SELECT group_concat(id || '=' ||
                quote(success_without_retry), ' ') FROM (SELECT * FROM
                executions ORDER BY id);
                SELECT group_concat(id || '=' ||
                quote(pattern_led_to_success), ' ') FROM (SELECT * FROM
                pattern_applications ORDER BY id)")" \
            "$(printf 'e1=1 e2=0 e3=NULL\na1=1 a2=0 a3=NULL')"
        expect learning-v1-migration-13 "priorities after the repair" \
            "$(sqlite3 "$db" "SELECT group_concat(id || '=' ||
                priority_score, ' ') FROM (SELECT * FROM patterns
                ORDER BY id)")" "p1=0.5 p2=0.2 p3=0.9"
        expect learning-v1-new-defaults "defaults of added columns" \
            "$(sqlite3 "$db" "SELECT DISTINCT quarantine_status ||
                ' ' || trust_score || ' ' || active ||
                ' ' || quote(grounding_confidence) FROM patterns,
                pattern_applications")" "pending 0.5 1 NULL"
        # Version 15 as the Python store makes it, with our unversioned
        # indexes, which the open adds after the migration.
        sqlite3 "$tmp/spec.db" <"$root/tests/learning/spec-v15.sql"
        sqlite3 "$tmp/spec.db" <"$root/tests/learning/unversioned.sql"
        shape "$tmp/spec.db" >"$tmp/spec.txt"
        shape "$db" >"$tmp/migrated.txt"
        same learning-v1-matches-spec-v15 "$tmp/spec.txt" "$tmp/migrated.txt"
        expect learning-v1-integrity "integrity_check" \
            "$(sqlite3 "$db" "PRAGMA integrity_check")" ok
    fi

    # Version 14 with both foreign keys, one of its rows dangling (as
    # rows written with foreign keys off can be).
    db=$tmp/v14.db
    make_db "$db" "$learning" 14
    sqlite3 "$db" <"$here/learning-v14-rows.sql"
    expect learning-v14-has-fks "foreign keys before" \
        "$(sqlite3 "$db" "SELECT count(*) FROM
            pragma_foreign_key_list('pattern_applications')")" 2
    sqlite3 "$db" "SELECT * FROM pattern_applications ORDER BY id" \
        >"$tmp/v14-before.txt"
    if open_ok learning-v14-opens "$open" "$db"; then
        expect learning-v14-version "recorded version" "$(version "$db")" 15
        expect learning-v14-fks-gone "foreign keys after" \
            "$(sqlite3 "$db" "SELECT count(*) FROM
                pragma_foreign_key_list('pattern_applications')")" 0
        sqlite3 "$db" "SELECT * FROM pattern_applications ORDER BY id" \
            >"$tmp/v14-after.txt"
        if cmp -s "$tmp/v14-before.txt" "$tmp/v14-after.txt" &&
            [ "$(wc -l <"$tmp/v14-after.txt")" -eq 3 ]; then
            pass learning-v14-rows-kept
        else
            fail learning-v14-rows-kept "$(diff "$tmp/v14-before.txt" \
                "$tmp/v14-after.txt" | head -n 6 | tr '\n' ' ')"
        fi
        expect learning-v14-indexes "indexes of pattern_applications" \
            "$(sqlite3 "$db" "SELECT group_concat(name || ':' || sql, ' ')
                FROM (SELECT name, sql FROM sqlite_master WHERE type =
                'index' AND tbl_name = 'pattern_applications' AND sql
                IS NOT NULL ORDER BY name)")" \
            "idx_app_execution:CREATE INDEX idx_app_execution ON pattern_applications (execution_id) idx_app_pattern:CREATE INDEX idx_app_pattern ON pattern_applications (pattern_id) idx_app_pattern_applied:CREATE INDEX idx_app_pattern_applied ON pattern_applications (pattern_id, applied_at)"
        expect learning-v14-no-leftover "tables named *_new" \
            "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE
                name LIKE '%\_new' ESCAPE '\\'")" 0
        expect learning-v14-index-used "query plan" \
            "$(sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT * FROM
                pattern_applications WHERE pattern_id = 'p1'" |
                grep -c idx_app_pattern)" 1
    fi
fi

# ---- failures leave the old version -------------------------------------

gen=$tmp/steps
mkdir -p "$gen"
if ! "$bin" -o "$gen" "$here/steps.schema" >"$tmp/err" 2>&1; then
    fail steps-generate "$(head -n 3 "$tmp/err" | tr '\n' ' ')"
elif build steps "$gen"; then
    open=$tmp/open-steps
    steps=$here/steps.schema

    # refused NAME FILE FROM: open must fail, change no content and keep
    # version FROM.
    refused() {
        content "$2" >"$tmp/before.txt"
        "$open" "$2" >"$tmp/open.out" 2>&1
        st=$?
        if [ $st -eq 0 ]; then
            fail "$1-refused" "the migration succeeded"
        elif [ $st -ne 3 ]; then
            fail "$1-refused" "open_db exited with status $st, not 3" \
                "(sc_open's error): $(tr '\n' ' ' <"$tmp/open.out")"
        else
            pass "$1-refused"
        fi
        content "$2" >"$tmp/after.txt"
        same "$1-content-kept" "$tmp/before.txt" "$tmp/after.txt"
        expect "$1-old-version" "recorded version" "$(version "$2")" "$3"
        expect "$1-no-leftover" "tables" "$(sqlite3 "$2" "SELECT
            group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
            WHERE type = 'table' ORDER BY name)")" "items schema_version"
    }

    # A rebuild (version 2 adds a CHECK) whose copy violates the check.
    db=$tmp/rebuild.db
    make_db "$db" "$steps" 1
    sqlite3 "$db" "INSERT INTO items VALUES (1, 15, 'sale', 't1');
        INSERT INTO items VALUES (2, -3, 'sale', 't2')"
    refused rebuild-check "$db" 1
    grep -q 'rc=SC_CONSTRAINT' "$tmp/open.out" &&
        grep -q 'version 2' "$tmp/open.out" && pass rebuild-check-message ||
        fail rebuild-check-message "$(tr '\n' ' ' <"$tmp/open.out")"
    sqlite3 "$db" "DELETE FROM items WHERE qty < 0"
    open_ok rebuild-check-fixed "$open" "$db" &&
        expect rebuild-check-fixed-version "version" "$(version "$db")" 4

    # A data step (version 3 takes ten off sales) that breaks the check.
    db=$tmp/data.db
    make_db "$db" "$steps" 2
    sqlite3 "$db" "INSERT INTO items VALUES (1, 15, 'sale', 't1');
        INSERT INTO items VALUES (2, 4, 'sale', 't2')"
    refused data-step "$db" 2
    sqlite3 "$db" "DELETE FROM items WHERE qty < 10"
    open_ok data-step-fixed "$open" "$db" &&
        expect data-step-fixed-rows "rows" "$(sqlite3 "$db" "SELECT
            group_concat(id || ':' || qty || ':' || label) FROM items")" \
            "1:5:t1"

    # A rename (version 4: tag -> label) onto a column made by hand.
    db=$tmp/rename.db
    make_db "$db" "$steps" 3
    sqlite3 "$db" "ALTER TABLE items ADD COLUMN label TEXT;
        INSERT INTO items VALUES (1, 15, 'a', 't1', 'by hand')"
    refused rename "$db" 3
    sqlite3 "$db" "ALTER TABLE items DROP COLUMN label"
    open_ok rename-fixed "$open" "$db" &&
        expect rename-fixed-rows "rows" "$(sqlite3 "$db" "SELECT
            group_concat(id || ':' || qty || ':' || label) FROM items")" \
            "1:15:t1"

    # A database newer than the code: refused, not a byte changed.
    db=$tmp/newer.db
    make_db "$db" "$steps" 4
    sqlite3 "$db" "UPDATE schema_version SET version = 9;
        INSERT INTO items VALUES (1, 15, 'a', 't1')"
    cp "$db" "$tmp/newer-copy.db"
    "$open" "$db" >"$tmp/open.out" 2>&1
    st=$?
    expect newer-refused "sc_open's answer and open_db's status" \
        "$(head -n 1 "$tmp/open.out") $st" "rc=SC_VERSION 3"
    if cmp -s "$db" "$tmp/newer-copy.db" && [ ! -e "$db-wal" ]; then
        pass newer-byte-identical
    else
        fail newer-byte-identical "the file changed"
    fi
fi

# ---- constraints added over older rows ----------------------------------

gen=$tmp/filled
mkdir -p "$gen"
if ! "$bin" -o "$gen" "$here/filled.schema" >"$tmp/err" 2>&1; then
    fail filled-proven "$(head -n 3 "$tmp/err" | tr '\n' ' ')"
else
    pass filled-proven
    if build filled "$gen"; then
        # Version 1 rows: a NULL name, an owner no user has, a repeated
        # code.  Version 2 fills the name and clears the owner, version 3
        # keeps one row per code in the unique column.
        db=$tmp/filled.db
        make_db "$db" "$here/filled.schema" 1
        sqlite3 "$db" "INSERT INTO users VALUES (1, 'ann');
            INSERT INTO items VALUES (1, NULL, 1, 'a');
            INSERT INTO items VALUES (2, 'pen', 7, 'a');
            INSERT INTO items VALUES (3, NULL, NULL, 'b')"
        if open_ok filled-v1-opens "$tmp/open-filled" "$db"; then
            expect filled-v1-version "recorded version" "$(version "$db")" 3
            expect filled-v1-rows "rows" "$(sqlite3 "$db" "SELECT
                group_concat(id || ':' || name || ':' || quote(owner) ||
                ':' || code || ':' || quote(ucode), ' ') FROM (SELECT *
                FROM items ORDER BY id)")" \
                "1:unnamed:1:a:'a' 2:pen:NULL:a:NULL 3:unnamed:NULL:b:'b'"
        fi
    fi
fi

# ---- indexes on expressions across a rebuild ----------------------------

gen=$tmp/exprindex
mkdir -p "$gen"
if ! "$bin" -o "$gen" "$here/exprindex.schema" >"$tmp/err" 2>&1; then
    fail exprindex-proven "$(head -n 3 "$tmp/err" | tr '\n' ' ')"
else
    pass exprindex-proven
    # The step to version 2 must be the rebuild this test is about.
    "$bin" --plan "$here/exprindex.schema" >"$tmp/exprindex-plan.sql" 2>&1
    expect exprindex-step-rebuilds "step to version 2 re-creating" \
        "$(grep -c -e '^ALTER TABLE users_new RENAME TO users;$' \
            -e '^CREATE .*INDEX idx_users_' "$tmp/exprindex-plan.sql")" 4
    if build exprindex "$gen"; then
        db=$tmp/exprindex.db
        make_db "$db" "$here/exprindex.schema" 1
        sqlite3 "$db" "INSERT INTO users VALUES (1, 'Ann', 'Ann@X.org', 1.5);
            INSERT INTO users VALUES (2, 'bob', NULL, NULL)"
        if open_ok exprindex-v1-opens "$tmp/open-exprindex" "$db"; then
            expect exprindex-v1-version "recorded version" \
                "$(version "$db")" 2
            expect exprindex-v1-rows "rows" "$(sqlite3 "$db" "SELECT
                group_concat(id || ':' || name || ':' || quote(email), ' ')
                FROM (SELECT * FROM users ORDER BY id)")" \
                "1:Ann:'Ann@X.org' 2:bob:NULL"
            expect exprindex-v1-sql "indexes in sqlite_master" \
                "$(sqlite3 "$db" "SELECT name || ': ' || sql FROM
                    sqlite_master WHERE type = 'index' AND tbl_name =
                    'users' AND sql IS NOT NULL ORDER BY name")" \
                "$(printf '%s\n' \
                'idx_users_email_ci: CREATE UNIQUE INDEX idx_users_email_ci ON users ((lower(email)) COLLATE NOCASE DESC)' \
                'idx_users_lower_name: CREATE INDEX idx_users_lower_name ON users ((lower(name)))' \
                'idx_users_mixed: CREATE INDEX idx_users_mixed ON users (name, (length(email) + 1) DESC)')"
            # index_xinfo: an expression's column number is -2, its name
            # NULL; the collation and order are the schema's.
            expect exprindex-v1-xinfo "key columns of the indexes" \
                "$(sqlite3 "$db" "SELECT group_concat(x.cid || ':' ||
                    quote(x.name) || ':' || x.desc || ':' || x.coll, ' ')
                    FROM (SELECT name FROM sqlite_master WHERE type =
                    'index' AND tbl_name = 'users' ORDER BY name) AS i,
                    pragma_index_xinfo(i.name) AS x WHERE x.key")" \
                "-2:NULL:1:NOCASE -2:NULL:0:BINARY 1:'name':0:BINARY -2:NULL:1:BINARY"
            expect exprindex-v1-index-used "query plan" \
                "$(sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT * FROM users
                    WHERE lower(name) = 'ann'" |
                    grep -c 'USING INDEX idx_users_lower_name')" 1
            sqlite3 "$db" "INSERT INTO users VALUES (3, 'cy',
                'ann@x.ORG')" >"$tmp/exprindex-dup.out" 2>&1
            expect exprindex-v1-unique "a second 'ann@x.org' in any case" \
                "$(grep -c "UNIQUE constraint failed: index" \
                    "$tmp/exprindex-dup.out")" 1
        fi
    fi
fi
# ---- type changes across a rebuild ----------------------------------------

gen=$tmp/typechange
mkdir -p "$gen"
if ! "$bin" -o "$gen" "$here/typechange.schema" >"$tmp/err" 2>&1; then
    fail typechange-build "schemac: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
elif build typechange "$gen"; then
    db=$tmp/typechange.db
    make_db "$db" "$here/typechange.schema" 1
    sqlite3 "$db" "INSERT INTO items VALUES (1, 9007199254740991, 1, 42,
            'green', '2001-02-03 04:05:06', 'a''b');
        INSERT INTO items VALUES (2, -3, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO items VALUES (3, 0, 0, -7, 'red', '', '');
        INSERT INTO counts VALUES (1, 5), (2, NULL)"
    if open_ok typechange-v1-opens "$tmp/open-typechange" "$db"; then
        expect typechange-v1-version "recorded version" "$(version "$db")" 2
        expect typechange-v1-values "values and their storage" \
            "$(sqlite3 "$db" "SELECT group_concat(id || ':' ||
                printf('%.1f', price) || typeof(price) || ':' || quote(flag) || ':' ||
                quote(code) || ':' || quote(hue) || ':' || quote(at) ||
                ':' || quote(raw), ' ') FROM (SELECT * FROM items
                ORDER BY id)")" \
            "1:9007199254740991.0real:1:'42':'green':'2001-02-03 04:05:06':X'612762' 2:-3.0real:NULL:NULL:NULL:NULL:NULL 3:0.0real:0:'-7':'red':'':X''"
        expect typechange-v1-only-change "a table changing only a type" \
            "$(sqlite3 "$db" "SELECT group_concat(id || ':' || quote(n) ||
                typeof(n), ' ') FROM counts")" "1:5.0real 2:NULLnull"
        expect typechange-v1-view "the view after the step" \
            "$(sqlite3 "$db" "SELECT group_concat(id, ' ') FROM priced")" \
            "1"
    fi
fi
exit 0
