#!/bin/sh
# run.sh - bad-file tests for `make check`: build badfiles.c against the
# learning bindings and libschemac and run it in a scratch folder (disk
# full, read-only file, empty, random, truncated, foreign, newer and
# multi-row-version files).  When this shell may mount (root with
# CAP_SYS_ADMIN), a database on a read-only bind mount is tried as well;
# otherwise that case is a SKIP.  Prints its plan and PASS/FAIL/SKIP lines
# (see tests/suite.sh) and exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SC_LIBS; TEST_WRAPPER (a command to run the test
# program under, e.g. valgrind).
set -u

suite=badfiles
. "$(dirname "$0")/../suite.sh"
ld=$LEARNING_DIR
mounted=
cleanup() {
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

plan 2 "the badfiles program's own line, the read-only mount case"
if ! suite_cc badfiles "$here/badfiles.c" "$ld/learning.o" "$SCHEMAC_LIB"
then
    fail read_only_mount "badfiles.c did not build"
    exit 0
fi

# As root, the read-only test drops to uid 65534, which must reach files/.
chmod 0755 "$tmp"
mkdir -p "$tmp/files"
suite_run "" "$tmp/badfiles" "$tmp/files"

# The read-only mount case: one line, whichever way it goes.
mkdir -p "$tmp/ro-src" "$tmp/ro"
if ! "$tmp/badfiles" prep-ro "$tmp/ro-src/learning.db" >"$tmp/out" 2>&1; then
    fail read_only_mount "could not prepare the database: $(cat "$tmp/out")"
elif mount --bind "$tmp/ro-src" "$tmp/ro" 2>/dev/null; then
    mounted="$tmp/ro"
    if mount -o remount,ro,bind "$tmp/ro" 2>/dev/null \
        && ! touch "$tmp/ro/probe" 2>/dev/null; then
        suite_run read_only_mount "$tmp/badfiles" check-ro \
            "$tmp/ro/learning.db"
    else
        skip read_only_mount "the bind mount could not be made read-only"
    fi
    umount "$tmp/ro" 2>/dev/null && mounted=
else
    skip read_only_mount "mount not permitted here (it needs root with" \
        "CAP_SYS_ADMIN); the read-only file case above still ran"
fi
exit 0
