#!/bin/sh
# run.sh - replay the fuzz corpus for `make check`: every seed (golden,
# must-fail and shipped schemas) and every saved input in tests/fuzz/corpus
# goes once through both fuzz targets, linked with a plain main() driver
# against the generator objects of the current build (sanitized when the
# build is).  The replay runs a second time under ASan and UBSan, built by
# clang straight from gen/.  Prints its plan and PASS/FAIL/SKIP lines (see
# tests/suite.sh), one per replay and target, and exits 0.  Long fuzzing
# runs are `make fuzz` (tests/fuzz/fuzz.sh).
#
# Environment: SCHEMAC_BIN (its folder holds gen/*.o), CC, CFLAGS,
# LDFLAGS, SQLITE_CFLAGS, SC_LIBS, GEN_PG_LIBS (what the build's gen
# objects link besides: libpg_query, unless built with PG=0).  FUZZ_NO_ASAN=1 reports the second
# replay as skipped (make check-valgrind); TEST_WRAPPER is a command to run
# the replays under (valgrind).
set -u

suite=fuzz
. "$(dirname "$0")/../suite.sh"
bdir=$(dirname "$SCHEMAC_BIN")
targets="frontend generate"
set -- $targets
plan $((2 * $#)) "the build's and the sanitized replay x $# targets"

# fail_all LABEL WHY: fail every target of replay LABEL.
fail_all() {
    for t in $targets; do
        fail "$1-$t" "$2"
    done
}

# The generator's objects but its main(): gen/ and the runtime's UTF-8
# check, as the Makefile's GEN_OBJ links them.
objs=$(ls "$bdir"/gen/*.o "$bdir"/runtime/utf8.o 2>/dev/null |
       grep -v '/main\.o$')
if [ -z "$objs" ] || [ ! -f "$bdir/gen/lexer.c" ]; then
    fail_all build "no generator objects in $bdir/gen (run make first)"
    fail_all asan "no generated lexer in $bdir/gen (run make first)"
    exit 0
fi
inputs="$root/tests/golden $root/tests/fail $root/schema"
[ -d "$here/corpus" ] && inputs="$inputs $here/corpus"
# Only the schema files of the seed folders, not their expected outputs.
mkdir -p "$tmp/seeds"
for d in $inputs; do
    for f in "$d"/*; do
        case "$f" in
        */corpus/*|*.schema) cp "$f" "$tmp/seeds/$(basename "$d")-$(basename "$f")" ;;
        esac
    done
done

# replay LABEL COMPILER FLAGS LIBS OBJECTS...: build both targets with
# LIBS, run them; one PASS or FAIL line per target.
replay() {
    label=$1 comp=$2 flags=$3 libs=$4
    shift 4
    for t in $targets; do
        exe="$tmp/replay-$label-$t"
        if ! $comp $flags -std=c11 -D_POSIX_C_SOURCE=200809L \
            -I"$root/gen" ${SQLITE_CFLAGS:-} -o "$exe" \
            "$here/fuzz_$t.c" "$here/replay.c" "$@" ${LDFLAGS:-} \
            $libs $SC_LIBS >"$tmp/cc.log" 2>&1; then
            fail "$label-$t" "build failed: $(head -c 400 "$tmp/cc.log")"
            continue
        fi
        ${TEST_WRAPPER:-} "$exe" "fuzz/$label-$t" "$tmp/seeds" \
            >"$tmp/out" 2>&1
        st=$?
        # replay.c prints one line: PASS with status 0, or FAIL.
        if grep -q '^FAIL ' "$tmp/out"; then
            grep -m1 '^FAIL ' "$tmp/out"
        elif [ $st -ne 0 ]; then
            fail "$label-$t" "exit status $st: $(grep -m3 -E \
                'ERROR|SUMMARY|runtime error' "$tmp/out" | tr '\n' ' ')"
        elif [ "$(grep -c '^PASS ' "$tmp/out")" -ne 1 ]; then
            fail "$label-$t" "no result printed: $(head -c 200 "$tmp/out")"
        else
            grep '^PASS ' "$tmp/out"
        fi
    done
}

# 1. The build's own objects and compiler flags.
replay build "$CC" "${CFLAGS:-}" "${GEN_PG_LIBS:-}" $objs

# 2. ASan + UBSan from source.
if [ "${FUZZ_NO_ASAN:-0}" = 1 ]; then
    for t in $targets; do
        skip "asan-$t" "FUZZ_NO_ASAN=1: the sanitized replay was not asked for"
    done
elif ! need clang; then
    fail_all asan "$missing"
elif ! { echo 'int main(void){return 0;}' >"$tmp/t.c" &&
         clang -fsanitize=address,undefined "$tmp/t.c" -o "$tmp/t" \
             >"$tmp/cc.log" 2>&1; }; then
    v=$(clang -dumpversion)
    for t in $targets; do
        skip "asan-$t" "clang cannot link -fsanitize=address,undefined:" \
            "apt-get install -y libclang-rt-${v%%.*}-dev"
    done
else
    srcs=$(ls "$root"/gen/*.c "$root"/runtime/utf8.c | grep -v '/main\.c$')
    san="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
        -fno-omit-frame-pointer"
    mkdir -p "$tmp/asan"
    if (cd "$tmp/asan" && clang $san -std=c11 -D_POSIX_C_SOURCE=200809L \
        -I"$root/gen" ${SQLITE_CFLAGS:-} -c $srcs "$bdir/gen/lexer.c") \
        >"$tmp/cc.log" 2>&1; then
        # Compiled here without SCHEMAC_PG_QUERY: nothing of libpg_query.
        replay asan clang "$san" "" "$tmp"/asan/*.o
    else
        fail_all asan "build failed: $(head -c 400 "$tmp/cc.log")"
    fi
fi
exit 0
