#!/bin/sh
# The PostgreSQL engine against a real server (tests/pg/with-server.sh
# starts one; make check runs every suite under it):
#   server   the server answers SELECT version() as PostgreSQL 15
#   fresh-db a case gets a database of its own, empty, that can be dropped
#   ddl/NAME-vN  for each example schema and the learning schema, and each
#            of its versions N, the DDL `schemac --dialect postgresql
#            --ddl-version N` prints is accepted by PostgreSQL, every
#            statement, in a fresh database; so is the current version of
#            each golden schema (tests/golden/) schemac does not refuse for
#            PostgreSQL (which ones it refuses, and its DDL of the others,
#            tests/golden/ holds in NAME.pg)
#   statements-run  the golden dialect schema's generated statements
#            run, not only prepared: an insert and an upsert with the
#            identity key bound NULL draw it and return it (RETURNING), an
#            explicit key is kept, an unset member takes its default, and
#            a current_timestamp default is SQLite's UTC text
#            (YYYY-MM-DD HH:MM:SS)
#   migrate/NAME  for each of those schemas with more than one version
#            (the golden ones at their current version), its migrations
#            for PostgreSQL (NAME_pg_migrations, as `schemac --emit json`
#            lists them: migrations.py) run in a fresh database made at
#            version 1 (`--ddl-version 1`) and loaded with rows
#            (rows.sql), each version's steps in one transaction (psql
#            -1); the catalog that leaves (catalog.sql: tables, columns
#            with types, nullability, defaults and identities,
#            constraints, indexes, views) must be the catalog of a fresh
#            database made at the current version, fact for fact;
#            every table still there under its name must hold its rows
#            (counts.sql); and no identity may be about to hand out a key
#            its table holds (identities.sql: a rebuild copies keys)
#   statements/NAME  for each of those schemas, what its generated C
#            gives PostgreSQL (NAME_pg_create_sql, NAME_pg_statements),
#            as `schemac --emit json` lists it (statements.py): in a fresh
#            database each DDL statement runs on its own, then every
#            statement is prepared there, each table's insert, upsert,
#            get, update and delete and each named query (its `postgresql`
#            text when it gives one, parameters as $n): their names and
#            types, which the parser alone does not check
# Without a server every case is a SKIP naming why.
set -u
suite=pg
. "$(dirname "$0")/../suite.sh"

files=$(ls "$root"/examples/*/*.schema | sort)
files="$files $root/schema/learning.schema"

# A schema's versions run from 1 to the current one, which --emit json
# gives as the top-level "version" (pretty-printed, two spaces in).  A file
# whose version cannot be read plans one case, its FAIL.
ncases=0
nfiles=0
# version_of F: F's current version, or nothing.
version_of() {
    "$SCHEMAC_BIN" --emit json "$1" 2>/dev/null |
        sed -n 's/^  "version": \([0-9][0-9]*\),$/\1/p' | head -1
}
for f in $files; do
    v=$(version_of "$f")
    ncases=$((ncases + ${v:-1}))
    nfiles=$((nfiles + 1))
    echo "$f ${v:-0} 1" >>"$tmp/versions"
done
# A golden schema is taken when PostgreSQL takes its current version's DDL
# and its migrations (pgmigtrigger's are refused: its trigger).
# Expressions are copied into the DDL as written; PostgreSQL's parser has
# read them, but their names and types only the server checks
# (docs/postgresql.md): these golden schemas use what only SQLite takes,
# and are left out by name.
#   indexes  a partial index's WHERE archived = 0 compares a boolean with
#            an integer
sqlite_only=" indexes "
for f in "$root"/tests/golden/*.schema; do
    case $sqlite_only in *" $(basename "$f" .schema) "*) continue ;; esac
    v=$(version_of "$f")
    if [ -n "$v" ] && "$SCHEMAC_BIN" --dialect postgresql --ddl-version \
            "$v" "$f" >/dev/null 2>&1 &&
        "$SCHEMAC_BIN" --dialect postgresql --plan "$f" >/dev/null 2>&1; then
        ncases=$((ncases + 1))
        nfiles=$((nfiles + 1))
        echo "$f $v $v" >>"$tmp/versions"
    fi
done
# lines FILE N: FILE's first N non-empty lines joined by " | ", so a FAIL
# stays one line.
lines() {
    grep -v '^ *$' "$1" | head -"$2" |
        awk 'NR > 1 { printf " | " } { printf "%s", $0 } END { print "" }'
}

# The schemas whose migrations are run: those with more than one version.
nmigrate=0
while read -r f v from; do
    [ "${v:-0}" -gt 1 ] && nmigrate=$((nmigrate + 1))
done <"$tmp/versions"

plan $((3 + ncases + nfiles + nmigrate)) "server, fresh-db, statements-run," \
    "$ncases versions, the statements of $nfiles schemas and the" \
    "migrations of $nmigrate"

if ! pg_need; then
    skip server "$missing"
    skip fresh-db "$missing"
    skip statements-run "$missing"
    while read -r f v from; do
        skip "statements/$(basename "$f" .schema)" "$missing"
        [ "${v:-0}" -gt 1 ] &&
            skip "migrate/$(basename "$f" .schema)" "$missing"
        n=$from
        while [ "$n" -le "$v" ] || [ "$n" = "$from" ]; do
            skip "ddl/$(basename "$f" .schema)-v$n" "$missing"
            n=$((n + 1))
        done
    done <"$tmp/versions"
    exit 0
fi

# server
out=$(psql -X -At -d "$SCHEMAC_PG" -c 'SELECT version()' 2>&1)
case $out in
"PostgreSQL 15"*) pass server ;;
*) fail server "SELECT version() gave '$out', not PostgreSQL 15" ;;
esac

# fresh-db: empty when made (no table of ours), writable, and gone once
# dropped.
if ! uri=$(pg_fresh_db fresh 2>"$tmp/err"); then
    fail fresh-db "cannot create a database: $(lines "$tmp/err" 3)"
else
    name=${uri#postgresql:///}
    name=${name%%\?*}
    tables=$(psql -X -At -d "$uri" -c "SELECT count(*) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%'" 2>&1)
    made=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$uri" \
        -c 'CREATE TABLE t (x integer)' -c 'INSERT INTO t VALUES (1)' \
        -c 'SELECT x FROM t' 2>&1)
    if pg_drop_db "$uri" 2>"$tmp/err"; then
        left=$(psql -X -At -d "$SCHEMAC_PG" \
            -c "SELECT count(*) FROM pg_database WHERE datname = '$name'" 2>&1)
    else
        left="drop failed: $(lines "$tmp/err" 3)"
    fi
    if [ "$tables" != 0 ]; then
        fail fresh-db "new database $name is not empty: $tables relations"
    elif [ "$made" != 1 ]; then
        fail fresh-db "cannot write to $name: $made"
    elif [ "$left" != 0 ]; then
        fail fresh-db "$name still there after pg_drop_db: $left"
    else
        pass fresh-db
    fi
fi

# prepare_statements F BASE: the case statements/BASE: schema F's
# PostgreSQL DDL (its generated NAME_pg_create_sql), each statement run
# on its own in a fresh database, then every statement of its
# NAME_pg_statements prepared there.
prepare_statements() {
    ps_dir=$tmp/stmts-$2
    rm -rf "$ps_dir"
    mkdir -p "$ps_dir"
    if ! "$SCHEMAC_BIN" --emit json "$1" 2>"$tmp/err" |
            python3 "$here/statements.py" "$ps_dir" 2>>"$tmp/err"; then
        fail "statements/$2" "cannot list the statements: $(lines "$tmp/err" 2)"
        return
    fi
    if ! ps_uri=$(pg_fresh_db "s$2" 2>"$tmp/err"); then
        fail "statements/$2" "cannot create a database: $(lines "$tmp/err" 3)"
        return
    fi
    ps_bad=""
    for ps_f in "$ps_dir"/create-*.sql; do
        if ! psql -X -q -v ON_ERROR_STOP=1 -d "$ps_uri" \
                -c "$(cat "$ps_f")" >"$tmp/prep.out" 2>&1; then
            ps_bad="$ps_bad DDL $(basename "$ps_f" .sql) ($(lines "$tmp/prep.out" 1))"
            break
        fi
    done
    ps_n=0
    for ps_f in "$ps_dir"/stmt-*.sql; do
        [ -n "$ps_bad" ] && break
        [ -e "$ps_f" ] || continue
        ps_n=$((ps_n + 1))
        if ! psql -X -q -v ON_ERROR_STOP=1 -d "$ps_uri" \
                -c "PREPARE s AS $(cat "$ps_f")" >"$tmp/prep.out" 2>&1; then
            ps_bad="$ps_bad $(cat "${ps_f%.sql}.slot") ($(lines "$tmp/prep.out" 1))"
        fi
    done
    pg_drop_db "$ps_uri" 2>/dev/null
    if [ -n "$ps_bad" ]; then
        fail "statements/$2" "PostgreSQL refused:$ps_bad"
    elif [ "$ps_n" = 0 ]; then
        fail "statements/$2" "no statement to prepare"
    else
        pass "statements/$2"
    fi
}

# migrate F BASE V: the case migrate/BASE: schema F (current version V)
# made at version 1 with rows, then migrated by its PostgreSQL steps,
# must have the catalog of F made at V and keep its rows.
migrate() {
    mg_dir=$tmp/migrate-$2
    rm -rf "$mg_dir"
    mkdir -p "$mg_dir"
    if ! "$SCHEMAC_BIN" --emit json "$1" 2>"$tmp/err" |
            python3 "$here/migrations.py" "$mg_dir" >"$mg_dir/versions" \
            2>>"$tmp/err"; then
        fail "migrate/$2" "cannot list the migrations: $(lines "$tmp/err" 2)"
        return
    fi
    if ! "$SCHEMAC_BIN" --dialect postgresql --ddl-version 1 "$1" \
            >"$mg_dir/v1.sql" 2>"$tmp/err" ||
        ! "$SCHEMAC_BIN" --dialect postgresql --ddl-version "$3" "$1" \
            >"$mg_dir/now.sql" 2>>"$tmp/err"; then
        fail "migrate/$2" "no DDL: $(lines "$tmp/err" 2)"
        return
    fi
    if ! mg_old=$(pg_fresh_db "m$2" 2>"$tmp/err") ||
        ! mg_new=$(pg_fresh_db "n$2" 2>>"$tmp/err"); then
        fail "migrate/$2" "cannot create a database: $(lines "$tmp/err" 3)"
        return
    fi
    mg_bad=""
    psql -X -q -v ON_ERROR_STOP=1 -d "$mg_old" -f "$mg_dir/v1.sql" \
        -f "$here/rows.sql" >"$tmp/mig.out" 2>&1 ||
        mg_bad="version 1 with rows: $(lines "$tmp/mig.out" 2)"
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$mg_old" -f "$here/counts.sql" \
        >"$mg_dir/before" 2>&1
    for mg_v in $(cat "$mg_dir/versions"); do
        [ -n "$mg_bad" ] && break
        psql -X -q -1 -v ON_ERROR_STOP=1 -d "$mg_old" \
            -f "$mg_dir/step-$mg_v.sql" >"$tmp/mig.out" 2>&1 ||
            mg_bad="the step to version $mg_v: $(lines "$tmp/mig.out" 2)"
    done
    [ -n "$mg_bad" ] ||
        psql -X -q -v ON_ERROR_STOP=1 -d "$mg_new" -f "$mg_dir/now.sql" \
            >"$tmp/mig.out" 2>&1 ||
        mg_bad="version $3's DDL: $(lines "$tmp/mig.out" 2)"
    for mg_db in old new; do
        eval "mg_uri=\$mg_$mg_db"
        psql -X -q -At -v ON_ERROR_STOP=1 -d "$mg_uri" \
            -f "$here/catalog.sql" >"$mg_dir/$mg_db.catalog" 2>&1
    done
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$mg_old" -f "$here/counts.sql" \
        >"$mg_dir/after" 2>&1
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$mg_old" \
        -f "$here/identities.sql" >"$mg_dir/identities" 2>&1
    pg_drop_db "$mg_old" 2>/dev/null
    pg_drop_db "$mg_new" 2>/dev/null
    if [ -n "$mg_bad" ]; then
        fail "migrate/$2" "PostgreSQL refused $mg_bad"
        return
    fi
    # The first facts only one side has, named with their side.
    mg_diff=$(diff "$mg_dir/old.catalog" "$mg_dir/new.catalog" |
        sed -n 's/^< /migrated only: /p; s/^> /created only: /p' | head -3 |
        awk 'NR > 1 { printf " | " } { printf "%s", $0 }')
    mg_tab=$(printf '\t')
    LC_ALL=C sort -o "$mg_dir/before" "$mg_dir/before"
    LC_ALL=C sort -o "$mg_dir/after" "$mg_dir/after"
    mg_lost=$(LC_ALL=C join -t "$mg_tab" "$mg_dir/before" "$mg_dir/after" |
        awk -F "$mg_tab" '$2 != $3 {
            printf " %s (%s rows, then %s)", $1, $2, $3 }')
    if [ -n "$mg_diff" ]; then
        fail "migrate/$2" "the catalogs differ: $mg_diff"
    elif ! grep -q '^table ' "$mg_dir/new.catalog"; then
        fail "migrate/$2" "no table in the catalog:" \
            "$(lines "$mg_dir/new.catalog" 2)"
    elif [ -n "$mg_lost" ]; then
        fail "migrate/$2" "rows lost:$mg_lost"
    elif [ -s "$mg_dir/identities" ]; then
        fail "migrate/$2" "an identity would repeat a key:" \
            "$(lines "$mg_dir/identities" 3)"
    else
        pass "migrate/$2"
    fi
}

# ddl/NAME-vN: only PostgreSQL's spelling goes to psql.  Until schemac
# has --dialect these FAIL with its message, which is the truth.
while read -r f v from; do
    base=$(basename "$f" .schema)
    if [ "$v" = 0 ]; then
        fail "ddl/$base-v1" "cannot read the version from" \
            "$SCHEMAC_BIN --emit json $f: $("$SCHEMAC_BIN" --emit json "$f" 2>&1 >/dev/null | head -1)"
        fail "statements/$base" "no version to read them from"
        continue
    fi
    n=$from
    while [ "$n" -le "$v" ]; do
        case_=ddl/$base-v$n
        n_=$n
        n=$((n + 1))
        sql=$tmp/$base-v$n_.sql
        if ! "$SCHEMAC_BIN" --dialect postgresql --ddl-version "$n_" "$f" \
                >"$sql" 2>"$tmp/err"; then
            fail "$case_" "schemac --dialect postgresql --ddl-version $n_:" \
                "$(lines "$tmp/err" 1)"
            continue
        fi
        # An empty script would be accepted: demand a table.
        if ! grep -qi 'create table' "$sql"; then
            fail "$case_" "schemac printed no CREATE TABLE"
            continue
        fi
        if ! uri=$(pg_fresh_db "$base$n_" 2>"$tmp/err"); then
            fail "$case_" "cannot create a database: $(lines "$tmp/err" 3)"
            continue
        fi
        if psql -X -q -v ON_ERROR_STOP=1 -d "$uri" -f "$sql" \
                >"$tmp/psql.out" 2>&1; then
            pass "$case_"
        else
            fail "$case_" "PostgreSQL refused the DDL: $(lines "$tmp/psql.out" 3)"
        fi
        pg_drop_db "$uri" 2>/dev/null
    done
    prepare_statements "$f" "$base"
    [ "$v" -gt 1 ] && migrate "$f" "$base" "$v"
done <"$tmp/versions"
# statements-run: dialect.schema's table "excluded" (an identity key, a
# text default, a current_timestamp default, and the name the upsert must
# alias), through its generated insert and upsert.
run_dir=$tmp/run
mkdir -p "$run_dir"
# stmt SLOT: the SQL of statement SLOT, as statements.py wrote it.
stmt() {
    for st_f in "$run_dir"/stmt-*.slot; do
        [ "$(cat "$st_f")" = "$1" ] && cat "${st_f%.slot}.sql" && return
    done
}
if ! "$SCHEMAC_BIN" --emit json "$root/tests/golden/dialect.schema" \
        2>"$tmp/err" | python3 "$here/statements.py" "$run_dir" 2>>"$tmp/err"
then
    fail statements-run "cannot list the statements: $(lines "$tmp/err" 2)"
elif ! uri=$(pg_fresh_db run 2>"$tmp/err"); then
    fail statements-run "cannot create a database: $(lines "$tmp/err" 3)"
else
    for f in "$run_dir"/create-*.sql; do
        psql -X -q -v ON_ERROR_STOP=1 -d "$uri" -c "$(cat "$f")" \
            >>"$tmp/run.out" 2>&1 || break
    done
    # One session: the prepared statements live as long as it.
    got=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$uri" \
        -c "PREPARE ins AS $(stmt dialect_excluded_insert_stmt)" \
        -c "PREPARE ups AS $(stmt dialect_excluded_upsert_stmt)" \
        -c "EXECUTE ins(NULL, NULL, NULL)" \
        -c "EXECUTE ins(NULL, 'two', '2001-02-03 04:05:06')" \
        -c "EXECUTE ins(10, 'ten', NULL)" \
        -c "EXECUTE ups(NULL, 'drawn', NULL)" \
        -c "EXECUTE ups(10, 'ten again', NULL)" \
        -c "SELECT string_agg(id || '=' || note, ',' ORDER BY id) FROM excluded" \
        -c "SELECT count(*) FROM excluded
            WHERE since ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$'" \
        2>&1 | tr '\n' ' ')
    want="1 2 10 3 10 1=none,2=two,3=drawn,10=ten again 4 "
    if [ "$got" = "$want" ]; then
        pass statements-run
    else
        fail statements-run "got '$got', want '$want' ($(lines "$tmp/run.out" 2))"
    fi
    pg_drop_db "$uri" 2>/dev/null
fi
exit 0
