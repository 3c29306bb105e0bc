#!/usr/bin/env python3
"""Print a database's shape for comparison: per table (in creation order)
PRAGMA table_info, and per index PRAGMA index_list and index_xinfo, plus
foreign keys and the version table's rows.  Usage: dump-schema.py FILE"""
import sqlite3
import sys

con = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in con.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
for t in tables:
    print("table", t)
    for cid, name, typ, notnull, dflt, pk in con.execute(
            "PRAGMA table_info(%s)" % t):
        print("  column", cid, name, typ, "notnull=%d" % notnull,
              "default=%s" % dflt, "pk=%d" % pk)
    for row in con.execute("PRAGMA foreign_key_list(%s)" % t):
        print("  foreign key", row[2:])
    for seq, iname, unique, origin, partial in sorted(
            con.execute("PRAGMA index_list(%s)" % t), key=lambda r: r[1]):
        print("  index", iname, "unique=%d" % unique, "origin=%s" % origin,
              "partial=%d" % partial)
        for x in con.execute("PRAGMA index_xinfo(%s)" % iname):
            print("    ", x)
if "schema_version" in tables:
    print("schema_version rows",
          con.execute("SELECT version FROM schema_version").fetchall())
print("user_version", con.execute("PRAGMA user_version").fetchone()[0])
