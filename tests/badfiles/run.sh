#!/bin/sh
# run.sh - bad-file tests for `make check`: build badfiles.c against the
# learning bindings and libschemac and run it in a scratch folder (disk
# full, read-only file, empty, random, truncated, foreign, newer and
# multi-row-version files).  When this shell may mount (root with
# CAP_SYS_ADMIN), a database on a read-only bind mount is tried as well;
# otherwise that case is reported as skipped.  Prints PASS/FAIL lines and
# exits 0.
#
# Environment: SCHEMAC_LIB, LEARNING_DIR, CC, CFLAGS, LDFLAGS,
# SQLITE_CFLAGS, SQLITE_LIBS; TEST_WRAPPER (a command to run the test
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

suite_cc badfiles "$here/badfiles.c" "$ld/learning.o" "$SCHEMAC_LIB" || exit 0

# As root, the read-only test drops to uid 65534, which must reach files/.
chmod 0755 "$tmp"
mkdir -p "$tmp/files"
${TEST_WRAPPER:-} "$tmp/badfiles" "$tmp/files" >"$tmp/out" 2>&1
st=$?
sed -E 's#^(PASS|FAIL) #\1 badfiles/#' "$tmp/out"
if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
    fail run "exit status $st"
fi

# The read-only mount case.
mkdir -p "$tmp/ro-src" "$tmp/ro"
if ! "$tmp/badfiles" prep-ro "$tmp/ro-src/learning.db" >"$tmp/out" 2>&1; then
    fail ro-mount "could not prepare the database: $(cat "$tmp/out")"
elif mount --bind "$tmp/ro-src" "$tmp/ro" 2>/dev/null; then
    mounted="$tmp/ro"
    if mount -o remount,ro,bind "$tmp/ro" 2>/dev/null \
        && ! touch "$tmp/ro/probe" 2>/dev/null; then
        ${TEST_WRAPPER:-} "$tmp/badfiles" check-ro "$tmp/ro/learning.db" >"$tmp/out" 2>&1
        st=$?
        sed 's/test_read_only_mount/badfiles\/read_only_mount/' "$tmp/out"
        if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
            fail read_only_mount "exit status $st"
        fi
    else
        echo "badfiles: the bind mount could not be made read-only;" \
            "read-only mount case skipped"
    fi
    umount "$tmp/ro" 2>/dev/null && mounted=
else
    echo "badfiles: mount not permitted here; read-only mount case" \
        "skipped (the read-only file case above still ran)"
fi
exit 0
