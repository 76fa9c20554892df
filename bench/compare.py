#!/usr/bin/python3
"""Agreement check of the exitcheck benchmark.

    /usr/bin/python3 bench/compare.py OUTROOT TOOL...

OUTROOT/exitcheck holds exitcheck's units report (units.csv) and the village
lines of its JSON report (villages.jsonl); OUTROOT/TOOL, for each other tool,
holds households.csv (household_id,village_id,status,claim,not_met) and
villages.csv (village_id,poverty_rate; an empty rate is unknown).

Prints one table, a column per tool, and exits 1 when any tool differs from
exitcheck on any row: the counts of households that pass, fail and are
unknown, the claims (supported, wrong exit, unsupported), the households not
meeting each target, the villages whose recomputed poverty rate is known,
unknown and >= 8, the largest difference of a rate from exitcheck's (where
both are known; must be <= 1e-9), the villages known to one and unknown to
the other, and the household rows (id, village, status, claim, targets not
met) that are not identical to exitcheck's.
"""
import csv
import json
import math
import sys

TARGETS = [f"H{i:02d}" for i in range(1, 13)]
RATE_TOLERANCE = 1e-9
MASK = (1 << 64) - 1


def household_rows(root, tool):
    """Yields (id, village, status, claim, not_met) per household."""
    if tool == "exitcheck":
        with open(f"{root}/exitcheck/units.csv", newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            head = next(r)
            # columns by name: level,id,parent,line,status,claim,not_met,...
            lv, ui, pa, st, cl, nm = (head.index(c) for c in
                                      ("level", "id", "parent", "status", "claim", "not_met"))
            for row in r:
                if row[lv] == "household":
                    yield row[ui], row[pa], row[st], row[cl], row[nm]
    else:
        with open(f"{root}/{tool}/households.csv", newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            next(r)
            for uid, parent, status, claim, not_met in r:
                yield uid, parent, status, claim, not_met


def village_rates(root, tool):
    """{village_id: rate or None}."""
    rates = {}
    if tool == "exitcheck":
        with open(f"{root}/exitcheck/villages.jsonl", encoding="utf-8") as f:
            for line in f:
                u = json.loads(line.strip().rstrip(","))
                rate = u.get("recomputed", {}).get("poverty_rate")
                rates[u["id"]] = None if rate is None else float(rate)
    else:
        with open(f"{root}/{tool}/villages.csv", newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            next(r)
            for vid, rate in r:
                x = float(rate) if rate.strip() not in ("", "nan", "NaN", "NULL") else None
                rates[vid] = None if x is None or math.isnan(x) else x
    return rates


def summarise(root, tool):
    s = {"households": 0, "pass": 0, "fail": 0, "unknown": 0, "claimed": 0,
         "supported": 0, "wrong_exit": 0, "unsupported": 0}
    s.update({f"not met {t}": 0 for t in TARGETS})
    digest = 0
    for row in household_rows(root, tool):
        uid, parent, status, claim, not_met = row
        s["households"] += 1
        s[status] = s.get(status, 0) + 1
        if claim != "none":
            s["claimed"] += 1
            s[claim] = s.get(claim, 0) + 1
        for t in not_met.split():
            s[f"not met {t}"] = s.get(f"not met {t}", 0) + 1
        digest = (digest + (hash(row) & MASK)) & MASK
    rates = village_rates(root, tool)
    known = [r for r in rates.values() if r is not None]
    s["villages"] = len(rates)
    s["rate known"] = len(known)
    s["rate unknown"] = len(rates) - len(known)
    s["rate >= 8"] = sum(r >= 8 for r in known)
    return s, digest, rates


def row_differences(root, tool):
    ref = {row[0]: row for row in household_rows(root, "exitcheck")}
    n, examples = 0, []
    seen = set()
    for row in household_rows(root, tool):
        seen.add(row[0])
        if ref.get(row[0]) != row:
            n += 1
            if len(examples) < 5:
                examples.append((ref.get(row[0]), row))
    for uid, row in ref.items():
        if uid not in seen:
            n += 1
            if len(examples) < 5:
                examples.append((row, None))
    return n, examples


def main():
    if len(sys.argv) < 3 or sys.argv[2] != "exitcheck":
        sys.exit("usage: compare.py OUTROOT exitcheck TOOL...")
    root, tools = sys.argv[1], sys.argv[2:]
    summary, digests, rates = {}, {}, {}
    for t in tools:
        summary[t], digests[t], rates[t] = summarise(root, t)

    ref = rates["exitcheck"]
    extra = {}
    notes = []
    for t in tools:
        worst, mismatch = 0.0, 0
        r = rates[t]
        for vid in set(ref) | set(r):
            a, b = ref.get(vid), r.get(vid)
            if vid not in ref or vid not in r or (a is None) != (b is None):
                mismatch += 1
                if mismatch <= 3 and t != "exitcheck":
                    notes.append(f"{t}: village {vid}: exitcheck {a}, {t} {b}")
            elif a is not None:
                worst = max(worst, abs(a - b))
        extra[t] = {"max |rate - exitcheck|": worst,
                    "rate known/unknown differs": mismatch}
        if digests[t] == digests["exitcheck"] and summary[t]["households"] == summary["exitcheck"]["households"]:
            extra[t]["household rows differing"] = 0
        else:
            n, examples = row_differences(root, t)
            extra[t]["household rows differing"] = n
            for a, b in examples:
                notes.append(f"{t}: exitcheck {a} vs {t} {b}")

    rows = list(summary["exitcheck"].keys())
    for t in tools:
        rows += [k for k in summary[t] if k not in rows]
    width = max(12, max(len(t) for t in tools) + 2)
    print(f"{'':28}" + "".join(f"{t:>{width}}" for t in tools) + "   agree")
    bad = False
    for k in rows:
        vals = [summary[t].get(k, 0) for t in tools]
        ok = all(v == vals[0] for v in vals)
        bad |= not ok
        print(f"{k:28}" + "".join(f"{v:>{width}}" for v in vals) + ("   yes" if ok else "   NO"))
    for k in ["max |rate - exitcheck|", "rate known/unknown differs", "household rows differing"]:
        vals = [extra[t][k] for t in tools]
        ok = all(v <= (RATE_TOLERANCE if k.startswith("max") else 0) for v in vals)
        bad |= not ok
        cells = "".join(f"{v:>{width}.1e}" if isinstance(v, float) else f"{v:>{width}}" for v in vals)
        print(f"{k:28}" + cells + ("   yes" if ok else "   NO"))
    for n in notes:
        print("  " + n)
    if bad:
        print("DISAGREEMENT: the tools above do not all agree with exitcheck")
        sys.exit(1)
    print("all tools agree")


if __name__ == "__main__":
    main()
