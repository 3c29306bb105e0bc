"""statements.py - what a schema's generated C gives PostgreSQL, as files.

    schemac --emit json FILE.schema | python3 statements.py DIR

reads the "postgresql" member of schemac's JSON (docs/schema-json.md):
the current version's DDL, one statement each (NAME_pg_create_sql in the
generated C), and every statement of NAME_pg_statements (each table's
insert, upsert, get, update and delete, then each named query, with its
parameters as $n), spelled by schemac itself, so this test renumbers
nothing of its own.  Writes DIR/create-NNN.sql per DDL statement and
DIR/stmt-NNN.sql with DIR/stmt-NNN.slot per statement, NNN from 001 in
order.  Exits 1, saying why on stderr, when the schema is refused for
PostgreSQL or lists no statement at all.
"""

import json
import os
import sys


def write(path, text):
    """Write text to path as UTF-8, with no newline added."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    out = sys.argv[1]
    pg = json.load(sys.stdin)["postgresql"]
    if pg["refused"] is not None:
        sys.exit("refused for PostgreSQL: %s" % pg["refused"])
    if not pg["create_sql"]:
        sys.exit("no DDL for PostgreSQL")
    for i, sql in enumerate(pg["create_sql"], 1):
        write(os.path.join(out, "create-%03d.sql" % i), sql)
    for i, s in enumerate(pg["statements"], 1):
        write(os.path.join(out, "stmt-%03d.sql" % i), s["sql"])
        write(os.path.join(out, "stmt-%03d.slot" % i), s["slot"])


if __name__ == "__main__":
    main()
