"""migrations.py - a schema's migrations for PostgreSQL, as files.

    schemac --emit json FILE.schema | python3 migrations.py DIR

reads the "postgresql" member of schemac's JSON (docs/schema-json.md):
"migrations", each version step of NAME_pg_migrations in the generated C,
spelled by schemac itself.  Writes DIR/step-N.sql per step (its
statements, each ended by ';', for one `psql -1` run) and prints the
versions, ascending, one a line.  Exits 1, saying why on stderr, when the
schema is refused for PostgreSQL or when the steps are not at exactly the
versions of SQLite's ("steps"), which the runtime relies on.
"""

import json
import os
import sys


def main():
    out = sys.argv[1]
    doc = json.load(sys.stdin)
    pg = doc["postgresql"]
    if pg["refused"] is not None:
        sys.exit("refused for PostgreSQL: %s" % pg["refused"])
    ours = [s["version"] for s in pg["migrations"]]
    theirs = [s["version"] for s in doc["steps"]]
    if ours != theirs:
        sys.exit("PostgreSQL's steps are at versions %s, SQLite's at %s"
                 % (ours, theirs))
    for s in pg["migrations"]:
        path = os.path.join(out, "step-%d.sql" % s["version"])
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(sql + ";\n" for sql in s["sql"]))
        print(s["version"])


if __name__ == "__main__":
    main()
