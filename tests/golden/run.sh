#!/bin/sh
# run.sh - golden tests of the generator's output.  Each NAME.schema here
# (with `schema NAME`) has NAME.h, NAME.c and NAME.sql beside it, and
# NAME.pg: what `schemac --dialect postgresql --ddl-version N` prints for
# its current version N (the DDL, or the errors of what PostgreSQL cannot
# express) and its exit status; NAME.pgplan: the same of `schemac
# --dialect postgresql --plan` (PostgreSQL's migrations, or the refusal); schemac's output must match them byte for
# byte, be the same on a second run from
# another folder, leave unchanged files alone, load into sqlite3 and
# compile warning-free under CC, gcc and clang.  Prints its plan and
# PASS/FAIL lines (see tests/suite.sh) and exits 0.
#
#   sh tests/golden/run.sh            compare
#   sh tests/golden/run.sh --regen    rewrite the expected files (review
#                                     the diff before committing it)
#
# Environment: SCHEMAC_BIN (default build/schemac), CC, SQLITE_CFLAGS.
set -u

suite=golden
. "$(dirname "$0")/../suite.sh"
bin=$SCHEMAC_BIN
regen=0
[ "${1:-}" = "--regen" ] && regen=1

# The compilers to try: CC, gcc and clang, each once.  One that is not
# installed is not dropped: its cases fail, naming the install command.
compilers=""
for c in $CC gcc clang; do
    case " $compilers " in *" $c "*) ;; *) compilers="$compilers $c" ;; esac
done
# compiler_missing C: succeed (setting missing) when compiler C is absent.
compiler_missing() {
    case $1 in
    gcc|cc) ! need "$1" gcc ;;
    clang) ! need clang ;;
    *) command -v "$1" >/dev/null 2>&1 && return 1
       missing="no $1 (CC): install it, or set CC to an installed compiler" ;;
    esac
}

# The cases of one schema, NAME standing for its name.
cases="NAME.h NAME.c NAME.sql NAME.pg NAME.pgplan NAME.deterministic
       NAME.unchanged-kept NAME.width NAME.sql-loads"
for c in $compilers; do
    cases="$cases NAME.compiles-$c"
done
set -- $cases
ncases=$#
set -- "$here"/*.schema
[ -e "$1" ] || set --
if [ "$regen" = 0 ]; then
    plan $(($# * ncases)) "$# schemas x $ncases cases (5 files," \
        "deterministic, unchanged-kept, width, sql-loads, compiles with" \
        "${compilers# })"
fi

if [ ! -x "$bin" ]; then
    fail generator "no schemac at $bin (run make first)"
    exit 0
fi

for schema in "$@"; do
    name=$(basename "$schema" .schema)
    out="$tmp/$name/first"
    again="$tmp/$name/again"
    mkdir -p "$out" "$again"

    # Run from this folder with a bare file name, as the expected files
    # were made.
    if ! (cd "$here" && "$bin" -o "$out" "$name.schema") >"$tmp/err" 2>&1
    then
        why="schemac failed: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
        for c in $cases; do
            fail "$(echo "$c" | sed "s/^NAME/$name/")" "$why"
        done
        continue
    fi

    # The PostgreSQL DDL of the current version, or the refusal, as
    # printed, with the exit status.
    v=$("$bin" --emit json "$schema" 2>/dev/null |
        sed -n 's/^  "version": \([0-9][0-9]*\),$/\1/p' | head -1)
    (cd "$here" && "$bin" --dialect postgresql --ddl-version "${v:-0}" \
        "$name.schema") >"$out/$name.pg" 2>&1
    echo "exit status $?" >>"$out/$name.pg"
    (cd "$here" && "$bin" --dialect postgresql --plan "$name.schema") \
        >"$out/$name.pgplan" 2>&1
    echo "exit status $?" >>"$out/$name.pgplan"

    for ext in h c sql pg pgplan; do
        got="$out/$name.$ext"
        want="$here/$name.$ext"
        if [ ! -f "$got" ]; then
            fail "$name.$ext" "not generated (is the schema named '$name'?)"
        elif [ "$regen" = 1 ]; then
            if cmp -s "$got" "$want"; then
                echo "same      tests/golden/$name.$ext"
            else
                cp "$got" "$want"
                echo "rewritten tests/golden/$name.$ext"
            fi
        elif [ ! -f "$want" ]; then
            fail "$name.$ext" "no expected file (make regen-golden)"
        elif cmp -s "$got" "$want"; then
            pass "$name.$ext"
        else
            fail "$name.$ext" "differs from the expected file:"
            diff -u "$want" "$got" | sed -n '1,30s/^/    /p'
        fi
    done
    [ "$regen" = 1 ] && continue

    # Same bytes from another working folder and an absolute path.
    if (cd "$tmp" && "$bin" -o "$again" "$schema") >"$tmp/err" 2>&1 &&
        cmp -s "$out/$name.h" "$again/$name.h" &&
        cmp -s "$out/$name.c" "$again/$name.c" &&
        cmp -s "$out/$name.sql" "$again/$name.sql"; then
        pass "$name.deterministic"
    else
        fail "$name.deterministic" "a second run gave other bytes"
    fi

    # A rerun over unchanged outputs must not replace them (same inode),
    # so make sees nothing new.
    before=$(cd "$out" && ls -i "$name.h" "$name.c" "$name.sql")
    (cd "$here" && "$bin" -o "$out" "$name.schema") >/dev/null 2>&1
    after=$(cd "$out" && ls -i "$name.h" "$name.c" "$name.sql")
    if [ -z "$before" ] || [ -z "$after" ]; then
        fail "$name.unchanged-kept" "outputs missing: [$before] [$after]"
    elif [ "$before" = "$after" ]; then
        pass "$name.unchanged-kept"
    else
        fail "$name.unchanged-kept" "unchanged outputs were rewritten"
    fi

    # Generated C a person reads: no line past 79 columns.
    long=$(awk 'length > 79 { print FILENAME ":" FNR ": " length " columns";
                             exit }' "$out/$name.h" "$out/$name.c")
    if [ -z "$long" ]; then
        pass "$name.width"
    else
        fail "$name.width" "$long"
    fi

    if ! need sqlite3; then
        fail "$name.sql-loads" "$missing"
    elif [ ! -s "$out/$name.sql" ]; then
        fail "$name.sql-loads" "$name.sql is empty"
    elif sqlite3 :memory: <"$out/$name.sql" >"$tmp/err" 2>&1; then
        pass "$name.sql-loads"
    else
        fail "$name.sql-loads" "$(head -n 3 "$tmp/err" | tr '\n' ' ')"
    fi

    for c in $compilers; do
        if compiler_missing "$c"; then
            fail "$name.compiles-$c" "$missing"
            continue
        fi
        # shellcheck disable=SC2086
        if "$c" -std=c11 -Wall -Wextra -Wpedantic -Werror \
            -I"$root/runtime" ${SQLITE_CFLAGS:-} \
            -c "$out/$name.c" -o "$tmp/$name/$name.o" >"$tmp/err" 2>&1; then
            pass "$name.compiles-$c"
        else
            fail "$name.compiles-$c" "$(head -n 5 "$tmp/err" | tr '\n' ' ')"
        fi
    done
done
exit 0
