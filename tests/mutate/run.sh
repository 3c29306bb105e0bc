#!/bin/sh
# run.sh - mutation testing (`make mutate`; not part of `make check`).
# Each entry of mutations.txt (its format is described at its top) makes
# one small change to one source file.  In a scratch copy of the working
# tree's tracked files, built once, every mutation is applied alone, the
# build is brought up to date, the suites the entry names run, and the
# file is put back.  A mutation is killed when a suite reports a FAIL
# line or exits non-zero, when it times out, or when the build fails
# ("did not compile" when the mutated file itself does not compile).
# The shared working tree is only read.
#
#   sh tests/mutate/run.sh            every mutation; score and survivors
#   sh tests/mutate/run.sh --check    only check that every pattern
#                                     matches exactly once (no build)
#   sh tests/mutate/run.sh N...       only mutations number N... (from 1,
#                                     in list order); no score target
#
# Exit status 0 when every pattern matched, no suite failed unmutated,
# no mutation marked equivalent was killed and the score reached the
# target; else 1.
#
# Environment: CC, CFLAGS, LDFLAGS, SQLITE_CFLAGS, SC_LIBS (as make
# exports them); MUTATE_TARGET (percent killed, default 95),
# MUTATE_TIMEOUT (seconds per mutation for its suites, default 300),
# MUTATE_JOBS (make -j, default 2), MUTATE_LIST (default mutations.txt
# here), MUTATE_KEEP=1 keeps the scratch folder and says where it is.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
list=${MUTATE_LIST:-$here/mutations.txt}
target=${MUTATE_TARGET:-95}
limit=${MUTATE_TIMEOUT:-300}
jobs=${MUTATE_JOBS:-2}

# ---- running suites (the copy calls itself so under timeout) ----------
# run.sh --run DIR SUITE...: run the named suites of the copy at DIR,
# in order, each program through tests/run-suite.sh; stop at the first
# that fails (a killed mutation needs no more).
if [ "${1:-}" = "--run" ]; then
    dir=$2
    shift 2
    cd "$dir" || exit 2
    for s in "$@"; do
        case $s in
        unit)
            progs=""
            for p in build/tests/unit/test_*; do
                case $p in *.d) ;; *) progs="$progs $p" ;; esac
            done ;;
        unit/*) progs=build/tests/$s ;;
        *) progs=tests/$s/run.sh ;;
        esac
        for p in $progs; do
            sh tests/run-suite.sh "$p" || exit 1
        done
    done
    exit 0
fi

# ---- the list ----------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/schemac-mutate.XXXXXX") || exit 1
if [ "${MUTATE_KEEP:-}" = 1 ]; then
    echo "scratch folder: $work"
else
    trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM
mkdir "$work/m"

# Split the list into $work/m/N.FIELD files, one per field of entry N,
# and $work/count.  Reports and fails on a malformed entry.
awk -v out="$work/m" -v listname="$list" '
function flush() {
    if (!open)
        return
    for (f in need)
        if (!(f in val)) {
            printf "%s:%d: entry has no %s: line\n", listname, start, f
            bad = 1
        }
    n++
    val["line"] = start
    for (f in val) {
        printf "%s", val[f] > (out "/" n "." f)
        close(out "/" n "." f)
    }
    split("", val)
    open = 0
}
BEGIN {
    need["file"]; need["find"]; need["replace"]; need["suites"]
    need["why"]
    known["file"]; known["find"]; known["replace"]; known["suites"]
    known["why"]; known["equivalent"]
}
/^#/ { next }
/^[ \t]*$/ { flush(); next }
{
    i = index($0, ":")
    key = i > 0 ? substr($0, 1, i - 1) : ""
    if (!(key in known)) {
        printf "%s:%d: unknown line: %s\n", listname, NR, $0
        bad = 1
        next
    }
    v = substr($0, i + 1)
    if (substr(v, 1, 1) == " ")
        v = substr(v, 2)
    if (!open) {
        open = 1
        start = NR
    }
    if (key in val) {
        if (key != "find" && key != "replace") {
            printf "%s:%d: %s given twice\n", listname, NR, key
            bad = 1
        }
        val[key] = val[key] "\n" v
    } else
        val[key] = v
}
END {
    flush()
    print n + 0 > (out "/../count")
    exit bad
}' "$list" || exit 1
total=$(cat "$work/count")

# field N NAME: the value of field NAME of entry N ("" when absent).
field() {
    if [ -f "$work/m/$1.$2" ]; then cat "$work/m/$1.$2"; fi
}

# apply FILE N [--count]: replace entry N's pattern in FILE by its
# replacement, or with --count only print how often the pattern occurs.
# Returns 1 unless the pattern occurs exactly once.
apply() {
    MUT_FIND=$(field "$2" find) MUT_REPLACE=$(field "$2" replace) \
    awk -v count="${3:-}" -v file="$1" '
    { text = text (NR > 1 ? "\n" : "") $0 }
    END {
        find = ENVIRON["MUT_FIND"]
        n = 0
        rest = text
        while (find != "" && (i = index(rest, find)) > 0) {
            n++
            if (n == 1)
                at = length(text) - length(rest) + i
            rest = substr(rest, i + length(find))
        }
        if (count != "") {
            print n
            exit (n != 1)
        }
        if (n != 1)
            exit 1
        printf "%s%s%s\n", substr(text, 1, at - 1), ENVIRON["MUT_REPLACE"],
            substr(text, at + length(find)) > file
    }' "$1"
}

# Which entries: all, or those named on the command line.
only=""
if [ "${1:-}" = "--check" ]; then
    check_only=1
else
    check_only=0
    only=$*
fi
if [ -n "$only" ]; then
    for k in $only; do
        case $k in
        *[!0-9]*|'') echo "not a mutation number: $k"; exit 1 ;;
        esac
        if [ "$k" -lt 1 ] || [ "$k" -gt "$total" ]; then
            echo "no mutation $k (the list has $total)"
            exit 1
        fi
    done
    chosen=$only
else
    chosen=$(seq 1 "$total")
fi

# Every pattern must match exactly once, and every suite must exist.
bad=0
for k in $chosen; do
    f=$(field "$k" file)
    at="$list:$(field "$k" line)"
    if [ ! -f "$root/$f" ]; then
        echo "$at: no file $f"
        bad=1
        continue
    fi
    n=$(apply "$root/$f" "$k" --count)
    if [ "$n" != 1 ]; then
        echo "$at: the pattern occurs $n times in $f (must be once):"
        field "$k" find | sed 's/^/    /'
        echo
        bad=1
    fi
    for s in $(field "$k" suites); do
        case $s in
        unit) [ -n "$(ls "$root"/tests/unit/test_*.c 2>/dev/null)" ] ;;
        unit/*) [ -f "$root/tests/$s.c" ] ;;
        *) [ -f "$root/tests/$s/run.sh" ] ;;
        esac || { echo "$at: no suite '$s'"; bad=1; }
    done
done
if [ "$bad" != 0 ]; then
    echo "mutation list out of date: fix the entries above"
    exit 1
fi
if [ "$check_only" = 1 ]; then
    echo "$total mutations, every pattern matches once"
    exit 0
fi

# ---- the copy and its build ---------------------------------------------
copy=$work/tree
mkdir "$copy"
if ! git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    echo "mutate: $root is not a git checkout (the copy takes its tracked" \
         "files)"
    exit 1
fi
# The working tree's files as git sees them: tracked files with their
# uncommitted changes (one deleted there is left out) and new files git
# does not ignore; no build output.
# shellcheck disable=SC2016
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
    | xargs -0 cp -P --parents -t "$copy") || exit 1

export B=build
export SCHEMAC_BIN="$copy/build/schemac"
export SCHEMAC_LIB="$copy/build/libschemac.a"
export LEARNSTORE_BIN="$copy/build/learnstore"
export LEARNSTORE_LIB="$copy/build/liblearnstore.a"
export LEARNING_DIR="$copy/build/schema"
export LEARNSTORE_PYTHON="$copy/build/python"
unset TEST_WRAPPER MAKEFLAGS MFLAGS MAKELEVEL

# build LOG [TARGET...]: bring the copy's build up to date (everything
# the suites use when no target is given).
build() {
    blog=$1
    shift
    if [ $# -eq 0 ]; then
        # shellcheck disable=SC2046
        set -- all python $(cd "$copy" && ls tests/unit/test_*.c \
                     | sed 's#^\(.*\)\.c$#build/\1#')
    fi
    timeout -k 10 "$limit" make -C "$copy" -j"$jobs" B=build "$@" \
        >"$blog" 2>&1
}

# The object file make builds from source file $1 (none for others).
object_of() {
    case $1 in
    runtime/*.c|gen/*.c) echo "build/${1%.c}.o" ;;
    gen/lexer.re) echo build/gen/lexer.o ;;
    learnstore/*.c) echo "build/learnstore-obj/$(basename "${1%.c}").o" ;;
    esac
}

start=$(date +%s)
echo "mutate: building a copy of the tree in $copy"
if ! build "$work/build.log"; then
    tail -20 "$work/build.log"
    echo "mutate: the unmutated copy does not build"
    exit 1
fi

# Every suite the chosen entries name must pass before any mutation.
suites=""
for k in $chosen; do
    for s in $(field "$k" suites); do
        case " $suites " in *" $s "*) ;; *) suites="$suites $s" ;; esac
    done
done
echo "mutate: running the suites unmutated:$suites"
# shellcheck disable=SC2086
if ! timeout -k 10 "$limit" sh "$here/run.sh" --run "$copy" $suites \
        >"$work/base.log" 2>&1; then
    grep '^FAIL ' "$work/base.log" | head -20
    tail -3 "$work/base.log"
    echo "mutate: a suite fails without any mutation; fix that first"
    exit 1
fi
echo "mutate: baseline passed in $(($(date +%s) - start))s"

# ---- the mutations --------------------------------------------------------
killed=0 survived=0 nocompile=0 timedout=0 equiv=0 equiv_killed=0 n=0
: >"$work/survivors"
: >"$work/nocompile"
: >"$work/timeouts"
: >"$work/equivalent"
: >"$work/equiv_killed"
nchosen=$(echo "$chosen" | wc -w)
for k in $chosen; do
    n=$((n + 1))
    f=$(field "$k" file)
    line=$(field "$k" line)
    why=$(field "$k" why)
    eq=$(field "$k" equivalent)
    obj=$(object_of "$f")
    t0=$(date +%s)
    cp "$copy/$f" "$work/orig"
    apply "$copy/$f" "$k" || { echo "mutate: applying $k failed"; exit 1; }
    log=$work/log.$k
    if [ -n "$obj" ] && ! build "$log" "$obj"; then
        result="did not compile"
    elif ! build "$log"; then
        result="killed (the build failed)"
    else
        # shellcheck disable=SC2046
        timeout -k 10 "$limit" sh "$here/run.sh" --run "$copy" \
            $(field "$k" suites) >"$log" 2>&1
        case $? in
        0) result=survived ;;
        124|137) result=timeout ;;
        *) result="killed ($(grep -m1 '^FAIL ' "$log" | cut -c1-60))" ;;
        esac
    fi
    # Put the file back with a new time, so make rebuilds from it.
    cp "$work/orig" "$copy/$f"
    touch "$copy/$f"
    desc="#$k $f (mutations.txt:$line): $why"
    case $result in
    survived)
        if [ -n "$eq" ]; then
            equiv=$((equiv + 1))
            result="equivalent"
            printf '%s\n    equivalent: %s\n' "$desc" "$eq" \
                >>"$work/equivalent"
        else
            survived=$((survived + 1))
            echo "$desc" >>"$work/survivors"
        fi ;;
    *)
        if [ -n "$eq" ]; then
            equiv_killed=$((equiv_killed + 1))
            echo "$desc" >>"$work/equiv_killed"
        fi
        killed=$((killed + 1))
        case $result in
        "did not compile") nocompile=$((nocompile + 1))
                           echo "$desc" >>"$work/nocompile" ;;
        timeout) timedout=$((timedout + 1))
                 echo "$desc" >>"$work/timeouts" ;;
        esac ;;
    esac
    printf '[%d/%d] #%d %s:%s %s (%ds)\n' "$n" "$nchosen" "$k" "$f" "$line" \
        "$result" $(($(date +%s) - t0))
done

# ---- the report ------------------------------------------------------------
# Mutations marked equivalent that were killed are not equivalent: they
# count as killed and the list is wrong.
denom=$((nchosen - equiv))
if [ "$denom" -gt 0 ]; then
    pct=$((killed * 1000 / denom))
    pct="$((pct / 10)).$((pct % 10))"
else
    pct=100.0
fi
echo
echo "mutation score: $killed killed of $denom ($pct%)"
echo "(of $nchosen mutations: $equiv marked equivalent and excluded;" \
     "$nocompile did not compile, $timedout timed out; took" \
     "$(($(date +%s) - start))s)"
report() {  # report FILE HEADING
    if [ -s "$1" ]; then
        echo
        echo "$2"
        sed 's/^/  /' "$1"
    fi
}
report "$work/survivors" "survivors:"
report "$work/nocompile" "did not compile (counted as killed):"
report "$work/timeouts" "timed out (counted as killed):"
report "$work/equivalent" "equivalent (excluded from the score):"
report "$work/equiv_killed" \
    "marked equivalent but killed (the list is wrong; fix these):"

status=0
[ "$equiv_killed" -eq 0 ] || status=1
if [ -z "$only" ] && [ $((killed * 100)) -lt $((target * denom)) ]; then
    echo
    echo "mutation score below the target of $target%"
    status=1
fi
exit $status
