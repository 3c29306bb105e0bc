#!/bin/sh
# What the libraries define, read with nm: libschemac holds only what any
# schema's program needs (every external name sc_ or sci_; nothing about
# hashing or resolving paths, which belongs to the learning store), and
# liblearnstore defines the store's hashes and Path.resolve().
set -u
suite=symbols
. "$(dirname "$0")/../suite.sh"

rt_cases="runtime-read runtime-no-hash-or-path-resolution runtime-only-sc-names"
ls_cases="learnstore-has-hashes-and-paths"
set -- $rt_cases $ls_cases
plan $# "3 of libschemac, 1 of liblearnstore"

# syms LIB OUT CASES: every symbol of LIB ("TYPE NAME" lines) into OUT;
# when nm is missing or cannot read LIB, fails each of CASES and returns 1.
syms() {
    if ! need nm binutils; then
        why=$missing
    elif nm -A "$1" >"$tmp/nm.raw" 2>"$tmp/nm.err"; then
        awk 'NF >= 2 { print $(NF - 1), $NF }' "$tmp/nm.raw" >"$2"
        return 0
    else
        why="nm cannot read $(basename "$1"): $(head -3 "$tmp/nm.err")"
    fi
    for c in $3; do
        fail "$c" "$why"
    done
    return 1
}

if syms "$SCHEMAC_LIB" "$tmp/rt" "$rt_cases"; then
    # The checks below look for what must be absent: make sure nm saw the
    # library, or they would pass on an empty list.
    if grep -q '^T sc_open$' "$tmp/rt" && grep -q '^T sci_error$' "$tmp/rt"
    then
        pass runtime-read
    else
        fail runtime-read "no sc_open or sci_error in nm's output"
    fi
    bad=$(awk '{ print $2 }' "$tmp/rt" | grep -i -e sha256 -e hash \
          -e resolve | sort -u | tr '\n' ' ')
    if [ -z "$bad" ]; then
        pass runtime-no-hash-or-path-resolution
    else
        fail runtime-no-hash-or-path-resolution "libschemac.a has: $bad"
    fi
    bad=$(awk '$1 ~ /^[A-TV-Z]$/ && $2 !~ /^sci?_/ { print $2 }' "$tmp/rt" |
          sort -u | tr '\n' ' ')
    if [ -z "$bad" ]; then
        pass runtime-only-sc-names
    else
        fail runtime-only-sc-names "libschemac.a defines: $bad"
    fi
fi

if syms "$LEARNSTORE_LIB" "$tmp/ls" "$ls_cases"; then
    missing=""
    for f in ls_sha256 ls_hash_bytes ls_hash_job ls_hash_workspace \
             ls_path_resolve; do
        grep -q "^T $f\$" "$tmp/ls" || missing="$missing $f"
    done
    if [ -z "$missing" ]; then
        pass learnstore-has-hashes-and-paths
    else
        fail learnstore-has-hashes-and-paths "liblearnstore.a lacks:$missing"
    fi
fi
