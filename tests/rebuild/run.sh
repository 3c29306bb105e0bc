#!/bin/sh
# The build regenerates exactly what a change needs: in a copy of the
# tree, touching a schema reruns schemac but compiles nothing (its outputs
# did not change); editing it rebuilds the bindings and what includes them;
# changing the generator rebuilds schemac and regenerates.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src
mkdir -p "$src"
(cd "$top" && tar --exclude='./build*' -cf - .) | (cd "$src" && tar -xf -)
cd "$src" || exit 0
mk() { make --no-print-directory CC="${CC:-cc}" CFLAGS="${CFLAGS:--O0}" \
        LDFLAGS="${LDFLAGS:-}" B=b "$@" 2>&1; }

if ! mk -j2 b/learnstore >"$tmp/log"; then
    echo "FAIL rebuild/first-build: $(tail -5 "$tmp/log")"
    exit 0
fi
mk b/learnstore >"$tmp/log"
if grep -q -e " -c " -e "schemac -o" "$tmp/log"; then
    echo "FAIL rebuild/up-to-date: a second make did work: $(head -3 "$tmp/log")"
else
    echo "PASS rebuild/up-to-date"
fi

sleep 1
touch schema/learning.schema
mk b/learnstore >"$tmp/log"
if grep -q "schemac -o b/schema schema/learning.schema" "$tmp/log" \
   && ! grep -q -- " -c " "$tmp/log"; then
    echo "PASS rebuild/touch-schema-compiles-nothing"
else
    echo "FAIL rebuild/touch-schema-compiles-nothing: $(cat "$tmp/log" | head -5)"
fi

sleep 1
sed 's/^## One sheet execution and how it went\./## One sheet execution./' \
    schema/learning.schema >"$tmp/s" && cp "$tmp/s" schema/learning.schema
mk b/learnstore >"$tmp/log"
if grep -q -- "-c b/schema/learning.c" "$tmp/log" \
   && grep -q -- "-c learnstore/patterns.c" "$tmp/log" \
   && ! grep -q -- "-c runtime/" "$tmp/log"; then
    echo "PASS rebuild/edit-schema-rebuilds-dependents"
else
    echo "FAIL rebuild/edit-schema-rebuilds-dependents: $(head -8 "$tmp/log")"
fi

sleep 1
touch gen/emit_sql.c
mk b/learnstore >"$tmp/log"
if grep -q -- "-c gen/emit_sql.c" "$tmp/log" \
   && grep -q "schemac -o b/schema schema/learning.schema" "$tmp/log"; then
    echo "PASS rebuild/generator-change-regenerates"
else
    echo "FAIL rebuild/generator-change-regenerates: $(head -5 "$tmp/log")"
fi
