#!/bin/sh
# build.sh - build the tasks example with pkg-config: generate the
# bindings into gen/, then compile them with the program.
set -eu
cd "$(dirname "$0")"
mkdir -p gen
schemac -o gen tasks.schema
${CC:-cc} ${CFLAGS:-} -Igen -o tasks tasks.c gen/tasks.c \
    $(pkg-config --cflags --libs schemac) ${LDFLAGS:-}
