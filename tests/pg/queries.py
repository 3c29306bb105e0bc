"""queries.py - the named queries of a schema as PostgreSQL prepares them.

    schemac --emit json FILE.schema | python3 queries.py

prints one line per named query: its name, a tab, and its SQL for
PostgreSQL (its `postgresql` text when it gives one), parameters
renumbered as schemac does for PostgreSQL (each distinct :x, @x or $x is
$N in order of first use), new lines turned into spaces.  Quoted strings
and names are copied as they are.
"""

import json
import re
import sys

TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[:@$]([A-Za-z_]\w*)|.",
                   re.S)


def renumber(sql):
    """sql with its parameters as $1, $2, ..."""
    out, names = [], []
    for m in TOKEN.finditer(sql):
        name = m.group(1)
        if name is None:
            out.append(m.group(0))
            continue
        if name not in names:
            names.append(name)
        out.append("$%d" % (names.index(name) + 1))
    return "".join(out)


def main():
    for q in json.load(sys.stdin).get("queries", []):
        sql = q.get("postgresql") or q["sql"]
        print("%s\t%s" % (q["name"], renumber(sql).replace("\n", " ")))


if __name__ == "__main__":
    main()
