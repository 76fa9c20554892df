#!/usr/bin/env python3
"""A check with and without --waivers differs exactly by what was waived.

Usage: waiver_diff.py EXITCHECK DATADIR WAIVERS [extra check arguments...]

Runs `exitcheck check DATADIR -f json` twice, without and with
`--waivers WAIVERS`, and checks, independently of exitcheck's own counting:

- every target whose status is "waived" with the waivers was "fail",
  "warn" or "unknown" without them, as its waiver's "outcome" says, and
  names a waiver of the file that is "applied";
- every other target of every unit has the same status, observed values
  and requirement in both runs, except the targets of a unit's ancestors
  that read figures recomputed from below (a household whose exit holds
  by waiver is no longer poor in its village's poverty rate);
- a unit's status and claim change only when it has a waived target or
  is an ancestor of a unit whose status changed; a unit with a waived
  target and no other failing or unknown target passes (or warns);
- each level's summary with the waivers equals the one recounted here from
  the units (pass/fail/unknown/warn, by_waiver, claimed, supported,
  supported_by_waiver, wrong_exit, unsupported, per-target waived), and
  without the waivers every waiver count is 0;
- the waiver file's SHA-256 (computed here) is in the report's "waivers",
  and each entry's "use" agrees with what the units show.
Exits 1 with a list of differences, 0 when all hold.
"""
import hashlib
import json
import subprocess
import sys


def run(exe, datadir, extra, waivers=None):
    if not waivers:  # --as-of dates the waivers: it goes only with them
        extra = [a for i, a in enumerate(extra) if a != "--as-of" and (i == 0 or extra[i - 1] != "--as-of")]
    cmd = [exe, "check", datadir, "-f", "json", "--quiet"] + extra
    if waivers:
        cmd += ["--waivers", waivers]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit("exitcheck exited %d: %s" % (p.returncode, p.stderr.decode()[-2000:]))
    return json.loads(p.stdout)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    exe, datadir, wfile = sys.argv[1:4]
    extra = sys.argv[4:]
    without = run(exe, datadir, extra)
    withw = run(exe, datadir, extra, wfile)
    bad = []

    if without.get("waivers") is not None:
        bad.append("without --waivers the report's \"waivers\" is not null")
    for lv, s in without["summary"].items():
        if s.get("by_waiver") != 0 or s.get("supported_by_waiver") != 0:
            bad.append("%s: waiver counts without --waivers are not 0" % lv)
        for t, c in s["targets"].items():
            if c.get("waived") != 0:
                bad.append("%s %s: waived count without --waivers is %s" % (lv, t, c.get("waived")))

    wv = withw.get("waivers")
    if not wv:
        sys.exit("with --waivers the report has no \"waivers\"")
    sha = hashlib.sha256(open(wfile, "rb").read()).hexdigest()
    if wv.get("sha256") != sha:
        bad.append("waiver file sha256 %s, the report says %s" % (sha, wv.get("sha256")))
    entries = {e["line"]: e for e in wv["entries"]}

    key = lambda u: (u["level"], u["id"], u["line"])
    a = {key(u): u for u in without["units"]}
    b = {key(u): u for u in withw["units"]}
    if set(a) != set(b):
        bad.append("the two runs list different units")
    parent_of = {}
    for u in withw["units"]:
        parent_of[(u["level"], u["id"])] = u.get("parent")
    levels = list(withw["summary"].keys())  # top level first

    changed = set()   # (level, id) whose status changed
    waived_units = set()
    applied_seen = {}
    for k, ub in b.items():
        ua = a.get(k)
        if ua is None:
            continue
        ta = {t["id"]: t for t in ua["targets"]}
        nwaived = 0
        others_bad = False
        for t in ub["targets"]:
            t0 = ta[t["id"]]
            if t["status"] == "waived":
                nwaived += 1
                w = t.get("waiver") or {}
                if t0["status"] not in ("fail", "warn", "unknown"):
                    bad.append("%s %s %s: waived, but %s without waivers" % (k[0], k[1], t["id"], t0["status"]))
                if w.get("outcome") != t0["status"]:
                    bad.append("%s %s %s: waiver outcome %s, status without waivers %s"
                               % (k[0], k[1], t["id"], w.get("outcome"), t0["status"]))
                e = entries.get(w.get("line"))
                if not e or e["use"] != "applied" or e["target"].upper() != t["id"].upper() or e["unit_id"] != k[1]:
                    bad.append("%s %s %s: waived by line %s, which the file's entries do not show applied"
                               % (k[0], k[1], t["id"], w.get("line")))
                applied_seen[w.get("line")] = applied_seen.get(w.get("line"), 0) + 1
            elif t["status"] in ("fail", "unknown"):
                others_bad = True
        if nwaived:
            waived_units.add((k[0], k[1]))
            if not others_bad and ub["status"] not in ("pass", "warn"):
                bad.append("%s %s: only waived targets fail, status %s" % (k[0], k[1], ub["status"]))
        if ub.get("by_waiver") != (nwaived > 0 and ub["status"] in ("pass", "warn")):
            bad.append("%s %s: by_waiver %s" % (k[0], k[1], ub.get("by_waiver")))
        if ua["status"] != ub["status"] or ua["claim"] != ub["claim"]:
            changed.add((k[0], k[1]))

    # ancestors of changed units may change through their recomputed figures
    allowed = set(waived_units)
    frontier = list(changed)
    lvl_index = {lv: i for i, lv in enumerate(levels)}
    while frontier:
        lv, uid = frontier.pop()
        p = parent_of.get((lv, uid))
        i = lvl_index[lv]
        while p is not None and i > 0:
            i -= 1
            anc = (levels[i], p)
            if anc not in allowed:
                allowed.add(anc)
            p = parent_of.get(anc)
    for c in changed:
        if c not in allowed:
            bad.append("%s %s: status or claim changed, but it has no waived target and no changed descendant" % c)
    # targets of units without waived targets: identical unless the unit is an allowed ancestor
    for k, ub in b.items():
        if (k[0], k[1]) in waived_units:
            continue
        ua = a[k]
        for t, t0 in zip(ub["targets"], ua["targets"]):
            if t != t0 and (k[0], k[1]) not in allowed:
                bad.append("%s %s %s: differs without a waiver" % (k[0], k[1], t["id"]))

    # the summary, recounted
    for lv in levels:
        units = [u for u in withw["units"] if u["level"] == lv]
        s = withw["summary"][lv]
        want = {
            "units": len(units),
            "pass": sum(u["status"] == "pass" for u in units),
            "fail": sum(u["status"] == "fail" for u in units),
            "unknown": sum(u["status"] == "unknown" for u in units),
            "warn": sum(u["status"] == "warn" for u in units),
            "by_waiver": sum(bool(u.get("by_waiver")) for u in units),
        }
        this = [u for u in units if u["exit"] == "this_year"]
        want["claimed"] = len(this)
        want["supported"] = sum(u["claim"] == "supported" for u in this)
        want["supported_by_waiver"] = sum(u["claim"] == "supported" and bool(u.get("by_waiver")) for u in this)
        want["wrong_exit"] = sum(u["claim"] == "wrong_exit" for u in this)
        want["unsupported"] = sum(u["claim"] == "unsupported" for u in this)
        for f, v in want.items():
            if s.get(f) != v:
                bad.append("%s summary %s: %s, recounted %s" % (lv, f, s.get(f), v))
        earlier = [u for u in units if u["exit"] == "earlier"]
        e_by = sum(u["claim"] == "supported" and bool(u.get("by_waiver")) for u in earlier)
        if s["earlier"].get("supported_by_waiver") != e_by:
            bad.append("%s earlier supported_by_waiver %s, recounted %s" % (lv, s["earlier"].get("supported_by_waiver"), e_by))
        for tid, c in s["targets"].items():
            n = sum(any(t["id"] == tid and t["status"] == "waived" for t in u["targets"]) for u in units)
            if c.get("waived") != n:
                bad.append("%s %s waived %s, recounted %s" % (lv, tid, c.get("waived"), n))

    for line, e in entries.items():
        if e["use"] == "applied" and not applied_seen.get(line):
            bad.append("waiver at line %s is 'applied' but no unit shows it" % line)
        if e["use"] != "applied" and applied_seen.get(line):
            bad.append("waiver at line %s is '%s' but units show it applied" % (line, e["use"]))

    if bad:
        print("\n".join(bad[:50]))
        print("%d differences" % len(bad))
        return 1
    print("ok: %d units, %d with a waived target, %d changed status, %d waivers"
          % (len(b), len(waived_units), len(changed), len(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
