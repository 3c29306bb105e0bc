#!/bin/sh
# make-schema.sh - write a synthetic schema of N tables with 20 columns
# each (every type, nullable and not null, defaults, one index per table)
# to stdout, for the generator benchmark.
#   sh bench/make-schema.sh N > big.schema
set -u
n=${1:?usage: make-schema.sh TABLES}
awk -v n="$n" 'BEGIN {
    printf "## A synthetic schema of %d tables for the generator benchmark.\n", n
    printf "schema big version 1;\n"
    split("integer real text blob boolean timestamp", types, " ")
    for (t = 1; t <= n; t++) {
        printf "\n## Table %d of %d.\n", t, n
        printf "table t%05d {\n", t
        printf "    id integer primary key;\n"
        for (c = 1; c < 20; c++) {
            ty = types[(c + t) % 6 + 1]
            extra = ""
            if (c % 5 == 0)
                extra = " not null"
            else if (c % 7 == 0 && ty == "integer")
                extra = " default 0"
            else if (c % 7 == 0 && ty == "text")
                extra = " default \"none\""
            printf "    c%02d %s%s;\n", c, ty, extra
        }
        printf "\n    index idx_t%05d_c01 (c01);\n", t
        printf "}\n"
    }
}'
