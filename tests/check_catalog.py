#!/usr/bin/env python3
"""Every message id the code can look up has a Chinese entry in src/diag_zh.c.

Usage: check_catalog.py REPO_ROOT

Message ids are the string literals used as
  - the format of diag_add, diag_add_excerpt and diag_vadd calls, and of
    convert.c's reject(),
  - the argument of diag_tr() and report_tr(), and of N_() (names defined in
    one module and translated where they are printed),
  - a string value_number_hint() returns (its hints are passed through
    diag_tr at the call site),
in the files the reports and stderr of `check` draw on. Adjacent literals
are joined as the compiler joins them; every literal of an argument counts
(both branches of `n == 1 ? "..." : "..."`). A diag_add-style call whose
format is not a literal fails too: the catalog could never translate it.
The check fails, listing what is missing; it also fails when it finds
implausibly few ids or entries, so a broken pattern cannot pass silently.
"""
import glob
import os
import re
import sys

# call name -> 0-based index of the argument that holds the message id
FORMAT_CALLS = {"diag_add": 5, "diag_add_excerpt": 9, "diag_vadd": 5, "reject": 2, "wb_fail": 2}
ID_CALLS = {"diag_tr": 1, "report_tr": 0, "N_": 0}


def tokens(text):
    """C tokens: ('s', decoded literal), ('i', identifier), ('p', char)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "#" and (i == 0 or text[i - 1] == "\n"):
            # a preprocessor line (with continuations)
            while i < n and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
        elif c == '"':
            j = i + 1
            buf = []
            while text[j] != '"':
                if text[j] == "\\":
                    e = text[j + 1]
                    simple = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a",
                              "b": "\b", "f": "\f", "v": "\v", "?": "?"}
                    if e in simple:
                        buf.append(simple[e])
                        j += 2
                    elif e == "x":
                        m = re.match(r"[0-9a-fA-F]+", text[j + 2:])
                        buf.append(chr(int(m.group(0), 16)))
                        j += 2 + len(m.group(0))
                    else:
                        m = re.match(r"[0-7]{1,3}", text[j + 1:])
                        buf.append(chr(int(m.group(0), 8)))
                        j += 1 + len(m.group(0))
                else:
                    buf.append(text[j])
                    j += 1
            out.append(("s", "".join(buf)))
            i = j + 1
        elif c == "'":
            j = i + 1
            while text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(("p", "'"))
            i = j + 1
        elif c.isalpha() or c == "_":
            m = re.match(r"[A-Za-z_0-9]+", text[i:])
            out.append(("i", m.group(0)))
            i += len(m.group(0))
        elif c.isspace():
            i += 1
        else:
            out.append(("p", c))
            i += 1
    return out


def call_args(toks, k):
    """The arguments of the call whose '(' is toks[k], as token lists."""
    args, cur, depth = [], [], 0
    for t in toks[k + 1:]:
        if t[0] == "p" and t[1] in "([{":
            depth += 1
        elif t[0] == "p" and t[1] in ")]}":
            if depth == 0:
                args.append(cur)
                return args
            depth -= 1
        elif t[0] == "p" and t[1] == "," and depth == 0:
            args.append(cur)
            cur = []
            continue
        cur.append(t)
    raise SystemExit("unbalanced call")


def literals(arg):
    """Each run of adjacent string literals in arg, joined."""
    found, run = [], None
    for t in arg:
        if t[0] == "s":
            run = (run or "") + t[1]
        else:
            if run is not None:
                found.append(run)
            run = None
    if run is not None:
        found.append(run)
    return found


def is_definition(arg):
    """A parameter declaration (const char *fmt) or a parameter name."""
    return all(t[0] in "ip" for t in arg) and not any(t[0] == "s" for t in arg)


def extract(path, problems):
    toks = tokens(open(path, encoding="utf-8").read())
    ids = []
    for k in range(len(toks) - 1):
        name = toks[k][1] if toks[k][0] == "i" else None
        if name not in FORMAT_CALLS and name not in ID_CALLS:
            continue
        if toks[k + 1] != ("p", "("):
            continue
        if k > 0 and toks[k - 1] == ("p", "#"):
            continue
        args = call_args(toks, k + 1)
        idx = FORMAT_CALLS.get(name, ID_CALLS.get(name))
        if idx >= len(args):
            continue  # a declaration or a macro definition
        lits = literals(args[idx])
        if name in FORMAT_CALLS and not lits:
            text = " ".join(t[1] for t in args[idx])
            # the definitions forward their own format parameter
            if text not in ("fmt", "const char * fmt"):
                problems.append("%s: %s() with a format that is not a literal: %s" % (path, name, text))
        ids.extend(lits)
    return ids


def value_hints(path):
    """The strings value_number_hint() returns."""
    text = open(path, encoding="utf-8").read()
    start = text.index("const char *value_number_hint(")
    body = text[start:text.index("\n}\n", start)]
    return [lit for t in [tokens(body)] for lit in
            [x[1] for i, x in enumerate(t) if x[0] == "s" and i > 0 and t[i - 1] == ("i", "return")]]


def catalog(path):
    toks = tokens(open(path, encoding="utf-8").read())
    for k in range(len(toks) - 4):
        if toks[k] == ("i", "catalog") and toks[k + 1] == ("p", "[") and toks[k + 2] == ("p", "]"):
            break
    else:
        raise SystemExit("%s: no catalog[] array" % path)
    while toks[k] != ("p", "{"):
        k += 1
    entries, depth, cur = {}, 0, []
    for t in toks[k + 1:]:
        if t == ("p", "{"):
            depth += 1
            cur = []
        elif t == ("p", "}"):
            if depth == 0:
                break
            depth -= 1
            parts = [[]]
            for x in cur:
                if x == ("p", ","):
                    parts.append([])
                else:
                    parts[-1].append(x)
            lits = [literals(p) for p in parts if p]
            if len(lits) != 2 or any(len(x) != 1 for x in lits):
                raise SystemExit("%s: an entry is not {\"id\", \"text\"}: %r" % (path, cur))
            entries[lits[0][0]] = lits[1][0]
        elif depth:
            cur.append(t)
    return entries


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    src = os.path.join(root, "src")
    files = [os.path.join(src, f)
             for f in ("decode.c", "frame.c", "convert.c", "table.c", "check.c", "commands.c", "diag.c", "unit.c",
                       "sample.c", "commands_sample.c", "verify.c", "commands_verify.c", "waiver.c", "book.c")]
    files += sorted(glob.glob(os.path.join(src, "report*.c")))
    problems = []
    ids = {}
    for f in files:
        got = extract(f, problems)
        if not got and os.path.basename(f) in ("decode.c", "frame.c", "convert.c", "table.c", "check.c", "commands.c",
                                                "report.c", "diag.c", "unit.c", "sample.c", "commands_sample.c", "verify.c", "commands_verify.c",
                                                "waiver.c", "book.c"):
            problems.append("%s: no message ids found (has the extraction broken?)" % f)
        for m in got:
            ids.setdefault(m, os.path.relpath(f, root))
    hints = value_hints(os.path.join(src, "value.c"))
    if len(hints) < 5:
        problems.append("src/value.c: only %d hints found in value_number_hint" % len(hints))
    for h in hints:
        ids.setdefault(h, "src/value.c")
    cat = catalog(os.path.join(src, "diag_zh.c"))
    if len(ids) < 60 or len(cat) < 60:
        problems.append("implausibly few message ids (%d) or catalog entries (%d)" % (len(ids), len(cat)))
    missing = sorted((f, m) for m, f in ids.items() if m not in cat)
    for f, m in missing:
        problems.append("%s: no Chinese entry for %r" % (f, m))
    for p in problems:
        print(p)
    print("%d message ids in %d files, %d catalog entries, %d missing" % (len(ids), len(files) + 1, len(cat),
                                                                           len(missing)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
