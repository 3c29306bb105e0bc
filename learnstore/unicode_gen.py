#!/usr/bin/env python3
"""unicode_gen.py - write learnstore/unicode_tables.h, the tables the
pattern id needs to lower-case and split a name as the Python store does
(" ".join(name.lower().split())), from the running Python's own str
methods.  Run it with the Python version the store targets (3.11, Unicode
14.0.0); the header records which one made it:

    python3.11 learnstore/unicode_gen.py > learnstore/unicode_tables.h
"""
import sys
import unicodedata

MAX = 0x110000


def code_points():
    """Every code point but the surrogates, which UTF-8 cannot carry."""
    for cp in range(MAX):
        if not 0xD800 <= cp <= 0xDFFF:
            yield cp


def ranges(cps):
    """Runs of consecutive code points as [first, last] pairs."""
    out = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def lower_runs():
    """str.lower() of single code points as runs (first, last, step,
    delta): every step-th code point from first to last lowers to itself
    plus delta.  Mappings to two code points are kept apart."""
    single, double = [], []
    for cp in code_points():
        low = chr(cp).lower()
        if low == chr(cp):
            continue
        if len(low) == 1:
            single.append((cp, ord(low) - cp))
        else:
            double.append((cp, [ord(c) for c in low]))
    runs = []
    for cp, delta in single:
        if runs:
            first, last, step, d = runs[-1]
            if d == delta and (step == 0 or cp - last == step) \
                    and cp - last in (1, 2):
                runs[-1] = (first, cp, cp - last, d)
                continue
        runs.append((cp, cp, 0, delta))
    return runs, double


def sigma_context():
    """The code points str.lower() skips (case-ignorable) and those it
    takes as cased when it decides whether a capital sigma ends a word,
    found by asking lower() itself: ignorable ones let a sigma after a
    cased letter stay final on either side; cased ones make a sigma
    after them final."""
    ignorable, cased = [], []
    for cp in code_points():
        c = chr(cp)
        after = ("A" + c + "\u03a3").lower()[-1] == "\u03c2"
        before = ("A\u03a3" + c).lower()[1] == "\u03c2"
        alone = (c + "\u03a3").lower()[-1] == "\u03c2"
        if after and before:
            ignorable.append(cp)
        elif alone:
            cased.append(cp)
    return ranges(ignorable), ranges(cased)


def emit_ranges(name, rs):
    print("static const struct cp_range %s[] = {" % name)
    for first, last in rs:
        print("    { 0x%04X, 0x%04X }," % (first, last))
    print("};")
    print()


def main():
    runs, double = lower_runs()
    ignorable, cased = sigma_context()
    spaces = [cp for cp in code_points() if chr(cp).isspace()]
    print("/*")
    print(" * unicode_tables.h - made by learnstore/unicode_gen.py with "
          "Python %d.%d.%d" % sys.version_info[:3])
    print(" * (Unicode %s); do not edit.  Included by unicode.c only." %
          unicodedata.unidata_version)
    print(" */")
    print("#define LS_UNICODE_VERSION \"%s\"" % unicodedata.unidata_version)
    print()
    print("/* str.lower() of one code point: every step-th code point of "
          "[first, last]")
    print(" * maps to itself + delta (step 0: a run of one). */")
    print("static const struct lower_run lower_runs[] = {")
    for first, last, step, delta in runs:
        print("    { 0x%04X, 0x%04X, %d, %d }," % (first, last, step, delta))
    print("};")
    print()
    print("/* Code points that lower to two code points. */")
    print("static const struct lower_pair lower_pairs[] = {")
    for cp, low in double:
        print("    { 0x%04X, { 0x%04X, 0x%04X } }," % (cp, low[0], low[1]))
    print("};")
    print()
    print("/* str.isspace(): what str.split() splits at. */")
    print("static const uint32_t spaces[] = {")
    for i in range(0, len(spaces), 6):
        print("    " + " ".join("0x%04X," % cp for cp in spaces[i:i + 6]))
    print("};")
    print()
    print("/* Case-ignorable code points (skipped around a capital sigma). */")
    emit_ranges("case_ignorable", ignorable)
    print("/* Cased code points that are not case-ignorable. */")
    emit_ranges("cased", cased)


if __name__ == "__main__":
    main()
