#!/bin/sh
# run.sh - checked queries end to end: each test_NAME.c here is built with
# the code schemac generates from NAME.schema (gcc and clang, -Werror) and
# run on a scratch database file, and qt on PostgreSQL too, as
# tests/integ/run.sh does for its own folder.  Prints PASS/FAIL lines as
# queries/NAME-COMPILER/TEST; exits 0.
#
# Environment: as tests/integ/run.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/../integ/run.sh" "$here" queries qt
