#!/bin/sh
# Editor support for .schema files: the TextMate grammar
# (editors/schemac.tmLanguage.json) parses, every rule it includes
# exists, every regular expression compiles, and it scopes every keyword
# of the language (the quoted words of the grammar in
# docs/schema-language.md, and the type names) as a keyword, a type or a
# constant; comments, doc comments, strings with escapes and numbers get
# their scopes on a sample.  The Vim syntax file names every keyword too.
# Needs python3 (a missing one fails, naming the apt-get command).
set -u
suite=editors
. "$(dirname "$0")/../suite.sh"

plan 4 "grammar parses, grammar keywords, grammar sample, vim keywords"

tm=$root/editors/schemac.tmLanguage.json
vim=$root/editors/vim/syntax/schemac.vim
lang=$root/docs/schema-language.md

if ! need python3; then
    for c in grammar-parses grammar-keywords grammar-sample vim-keywords; do
        fail "$c" "$missing"
    done
    exit 0
fi

# A small TextMate matcher: the top-level patterns in order, includes
# resolved, `match` rules and `begin`/`end` regions, Python's re standing
# in for Oniguruma (the grammar keeps to their common syntax).
cat >"$tmp/tm.py" <<'PY'
import json, re, sys

def load(path):
    g = json.load(open(path, encoding="utf-8"))
    for k in ("scopeName", "patterns", "repository"):
        assert k in g, "no %s" % k
    return g

def rules(g, pats):
    """The match/begin rules of pats, includes resolved, in order."""
    out = []
    for p in pats:
        if "include" in p:
            name = p["include"].lstrip("#")
            assert name in g["repository"], "no rule %s" % name
            out += rules(g, [g["repository"][name]])
        else:
            assert "match" in p or "begin" in p, p
            out.append(p)
    return out

def compile_all(g):
    for r in rules(g, g["patterns"]) + list(g["repository"].values()):
        for k in ("match", "begin", "end"):
            if k in r:
                re.compile(r[k])
        for sub in rules(g, r.get("patterns", [])):
            re.compile(sub.get("match") or sub["begin"])

def tokens(g, line):
    """(text, scope) of each token of line the grammar scopes."""
    top, out, i = rules(g, g["patterns"]), [], 0
    while i < len(line):
        best = None
        for r in top:
            m = re.compile(r.get("match") or r["begin"]).search(line, i)
            if m and (best is None or m.start() < best[0].start()):
                best = (m, r)
        if best is None:
            break
        m, r = best
        end = m.end()
        if "begin" in r:
            e = re.compile(r["end"])
            j = end
            while True:
                sub = None
                for s in rules(g, r.get("patterns", [])):
                    sm = re.compile(s["match"]).match(line, j)
                    if sm:
                        sub = sm
                        break
                if sub:
                    j = sub.end()
                    continue
                em = e.match(line, j)
                if em or j >= len(line):
                    end = em.end() if em else len(line)
                    break
                j += 1
        out.append((line[m.start():end], r["name"]))
        i = max(end, i + 1)
    return out
PY

if python3 - "$tmp" "$tm" <<'PY' 2>"$tmp/err"
import sys
sys.path.insert(0, sys.argv[1])
import tm
g = tm.load(sys.argv[2])
assert g["scopeName"] == "source.schemac"
assert "schema" in g.get("fileTypes", [])
tm.compile_all(g)
PY
then
    pass grammar-parses
else
    fail grammar-parses "$(tail -3 "$tmp/err")"
fi

# The keywords: every identifier quoted in the grammar, and the types.
python3 - "$lang" >"$tmp/keywords" <<'PY'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
g = doc[doc.index("## Grammar (EBNF)"):doc.index("## Lexical structure")]
words = set(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"', g))
for types in re.findall(r"\(\*\s*([a-z ]+?)\s*\*\)", g):
    words.update(types.split())
print("\n".join(sorted(words)))
PY
if [ "$(wc -l <"$tmp/keywords")" -lt 30 ]; then
    fail grammar-keywords "found only $(wc -l <"$tmp/keywords") keywords" \
        "in docs/schema-language.md"
elif python3 - "$tmp" "$tm" "$tmp/keywords" <<'PY' 2>"$tmp/err"
import sys
sys.path.insert(0, sys.argv[1])
import tm
g = tm.load(sys.argv[2])
bad = []
for w in open(sys.argv[3]).read().split():
    t = tm.tokens(g, w)
    if not (len(t) == 1 and t[0][0] == w and t[0][1].split(".")[0]
            in ("keyword", "storage", "constant")):
        bad.append("%s:%s" % (w, t))
    # Not inside a longer name.
    t = tm.tokens(g, "x" + w + "_y")
    if any(s.split(".")[0] in ("keyword", "storage") for _, s in t):
        bad.append("x%s_y" % w)
assert not bad, "not scoped as keywords: " + " ".join(bad)
PY
then
    pass grammar-keywords
else
    fail grammar-keywords "$(tail -1 "$tmp/err")"
fi

if python3 - "$tmp" "$tm" <<'PY' 2>"$tmp/err"
import sys
sys.path.insert(0, sys.argv[1])
import tm
g = tm.load(sys.argv[2])
def scopes(line):
    return [(t, s.split(".")[0] + "." + s.split(".")[1])
            for t, s in tm.tokens(g, line)]
assert scopes("## A doc comment") == [("## A doc comment",
                                       "comment.line")]
s = scopes('body text default "a\\"b # no" ; # note')
assert ('"a\\"b # no"', "string.quoted") in s, s
assert s[-1] == ("# note", "comment.line"), s
assert ("-1.5e3", "constant.numeric") in scopes("x real default -1.5e3;")
assert ("'it''s'", "string.quoted") not in scopes("default 'it''s'")
PY
then
    pass grammar-sample
else
    fail grammar-sample "$(tail -1 "$tmp/err")"
fi

missing_vim=""
for w in $(cat "$tmp/keywords"); do
    grep -q "^syn keyword [A-Za-z]*\( .*\)* $w\( \|\$\)" "$vim" ||
        missing_vim="$missing_vim $w"
done
if [ -z "$missing_vim" ] && grep -q 'b:current_syntax = "schemac"' "$vim"
then
    pass vim-keywords
else
    fail vim-keywords "not in $vim:$missing_vim"
fi
