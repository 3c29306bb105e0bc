#!/bin/sh
# run.sh - golden tests of the generator's output.  Each NAME.schema here
# (with `schema NAME`) has NAME.h, NAME.c and NAME.sql beside it; schemac's
# output must match them byte for byte, be the same on a second run from
# another folder, leave unchanged files alone, load into sqlite3 and
# compile warning-free under gcc and clang.  Prints PASS/FAIL lines and
# exits 0.
#
#   sh tests/golden/run.sh            compare
#   sh tests/golden/run.sh --regen    rewrite the expected files (review
#                                     the diff before committing it)
#
# Environment: SCHEMAC_BIN (default build/schemac), CC, SQLITE_CFLAGS.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${SCHEMAC_BIN:-$root/build/schemac}
regen=0
[ "${1:-}" = "--regen" ] && regen=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

pass() { echo "PASS golden/$1"; }
fail() { echo "FAIL golden/$1: $2"; }

if [ ! -x "$bin" ]; then
    fail generator "no schemac at $bin (run make first)"
    exit 0
fi

# The compilers to try: CC, then gcc and clang when installed.
compilers=""
for c in ${CC:-} gcc clang; do
    command -v "$c" >/dev/null 2>&1 || continue
    case " $compilers " in *" $c "*) ;; *) compilers="$compilers $c" ;; esac
done

for schema in "$here"/*.schema; do
    name=$(basename "$schema" .schema)
    out="$tmp/$name/first"
    again="$tmp/$name/again"
    mkdir -p "$out" "$again"

    # Run from this folder with a bare file name, as the expected files
    # were made.
    if ! (cd "$here" && "$bin" -o "$out" "$name.schema") >"$tmp/err" 2>&1
    then
        fail "$name" "schemac failed: $(head -n 3 "$tmp/err" | tr '\n' ' ')"
        continue
    fi

    for ext in h c sql; do
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
    if [ "$before" = "$after" ]; then
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

    if ! command -v sqlite3 >/dev/null 2>&1; then
        fail "$name.sql-loads" "no sqlite3 command"
    elif sqlite3 :memory: <"$out/$name.sql" >"$tmp/err" 2>&1; then
        pass "$name.sql-loads"
    else
        fail "$name.sql-loads" "$(head -n 3 "$tmp/err" | tr '\n' ' ')"
    fi

    for c in $compilers; do
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
