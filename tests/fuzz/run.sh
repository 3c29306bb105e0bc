#!/bin/sh
# run.sh - replay the fuzz corpus for `make check`: every seed (golden,
# must-fail and shipped schemas) and every saved input in tests/fuzz/corpus
# goes once through both fuzz targets, linked with a plain main() driver
# against the generator objects of the current build (sanitized when the
# build is).  When clang can build with ASan and UBSan, the replay runs a
# second time under them, built straight from gen/.  Prints PASS/FAIL lines
# and exits 0.  Long fuzzing runs are `make fuzz` (tests/fuzz/fuzz.sh).
#
# Environment: SCHEMAC_BIN (its folder holds gen/*.o), CC, CFLAGS,
# LDFLAGS, SQLITE_CFLAGS, SQLITE_LIBS.  FUZZ_NO_ASAN=1 skips the second
# run; TEST_WRAPPER is a command to run the replays under (valgrind).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${SCHEMAC_BIN:-$root/build/schemac}
bdir=$(dirname "$bin")
libs=${SQLITE_LIBS:--lsqlite3}
cc=${CC:-cc}

fail() { echo "FAIL fuzz/$1: $2"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/schemac-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

objs=$(ls "$bdir"/gen/*.o 2>/dev/null | grep -v '/main\.o$')
if [ -z "$objs" ] || [ ! -f "$bdir/gen/lexer.c" ]; then
    fail setup "no generator objects in $bdir/gen (run make first)"
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

# replay LABEL COMPILER FLAGS OBJECTS...: build both targets, run them.
replay() {
    label=$1 comp=$2 flags=$3
    shift 3
    for t in frontend generate; do
        exe="$tmp/replay-$label-$t"
        if ! $comp $flags -std=c11 -D_POSIX_C_SOURCE=200809L \
            -I"$root/gen" ${SQLITE_CFLAGS:-} -o "$exe" \
            "$here/fuzz_$t.c" "$here/replay.c" "$@" ${LDFLAGS:-} \
            $libs >"$tmp/cc.log" 2>&1; then
            fail "$label-$t" "build failed: $(head -c 400 "$tmp/cc.log")"
            continue
        fi
        ${TEST_WRAPPER:-} "$exe" "fuzz/$label-$t" "$tmp/seeds" \
            >"$tmp/out" 2>&1
        st=$?
        if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
            fail "$label-$t" "exit status $st: $(grep -m3 -E \
                'ERROR|SUMMARY|runtime error' "$tmp/out" | tr '\n' ' ')"
        else
            grep -E '^(PASS|FAIL) ' "$tmp/out"
        fi
    done
}

# 1. The build's own objects and compiler flags.
replay build "$cc" "${CFLAGS:-}" $objs

# 2. ASan + UBSan from source (skipped when clang cannot do it).
if [ "${FUZZ_NO_ASAN:-0}" = 1 ]; then
    echo "fuzz: FUZZ_NO_ASAN=1; sanitized replay skipped"
elif command -v clang >/dev/null 2>&1 \
    && echo 'int main(void){return 0;}' >"$tmp/t.c" \
    && clang -fsanitize=address,undefined "$tmp/t.c" -o "$tmp/t" \
        >/dev/null 2>&1; then
    srcs=$(ls "$root"/gen/*.c | grep -v '/main\.c$')
    san="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
        -fno-omit-frame-pointer"
    mkdir -p "$tmp/asan"
    if (cd "$tmp/asan" && clang $san -std=c11 -D_POSIX_C_SOURCE=200809L \
        -I"$root/gen" ${SQLITE_CFLAGS:-} -c $srcs "$bdir/gen/lexer.c") \
        >"$tmp/cc.log" 2>&1; then
        replay asan clang "$san" "$tmp"/asan/*.o
    else
        fail asan "build failed: $(head -c 400 "$tmp/cc.log")"
    fi
else
    echo "fuzz: clang with ASan/UBSan not available; sanitized replay skipped"
fi
exit 0
