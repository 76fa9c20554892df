#!/usr/bin/env python3
"""Independent oracle for `exitcheck verify` (SPEC §7.2, with §3 and §4).

It re-implements, from the SPEC and the decisions listed below alone (without
looking at exitcheck's sources), the comparison of a field survey with the
register: each surveyed household's verified status and finding, the
accuracy of the register, and the four figures 三率一度 (错退率
wrong_exit_rate, 漏评率 missed_rate, 认可度 recognition, 综合贫困发生率
comprehensive_rate) per county and overall, with their linearised standard
errors, 95% intervals, vetoes and county status.

Usage:

  verify_oracle.py generate DIR --seed N [--exitcheck EXE] [--repo ROOT]
      writes a register (DIR/county.csv, village.csv, household.csv, year
      2016), a plan (DIR/plan.yaml), runs
          EXE sample DIR --plan DIR/plan.yaml --seed verify-N
                     -r ROOT/rules/national-2016 --manifest DIR/manifest.csv
      and writes a survey of the drawn households (DIR/survey.csv) with
      perturbed values. Deterministic in N (random.Random(N)).

  verify_oracle.py expect DIR [--no-manifest] [--repo ROOT]
      prints the JSON this oracle expects from
          exitcheck verify DIR --survey DIR/survey.csv
                    [--manifest DIR/manifest.csv] -r rules/national-2016 -f json
      ("counties", "overall", "households", "accuracy", and "exit_status").

  verify_oracle.py check EXITCHECK REPO_ROOT
      the self-test: the oracle against fixtures/verify/hand/expected.json;
      then exitcheck verify (with and without the manifest) against the
      oracle on the hand-worked case and on generated registers of several
      seeds. Compares every rate field (numbers to 1e-9 relative), veto
      status and within_margin, county status, exit status, every
      household's finding, weight, registered, exit, verified_status and
      differences, and the accuracy block. Prints each mismatch and a final
      line "N passed, M failed"; exits 1 when anything failed, 2 when
      exitcheck (or its verify command) cannot be run.

Python 3 standard library plus PyYAML.

Decisions implemented (where the SPEC leaves room; see also
fixtures/verify/hand/README.md):
  - Pack national-2016. Household targets NH01 income_per_capita >
    poverty_line, NH02 food_secure, NH03 clothing_secure, NH04
    school_dropouts == 0, NH05 medical_insured, NH06 house_safe, three-valued;
    verified status pass (all met) / fail (any not met) / unknown.
    poverty_line of the register row's year (absent household: the year of
    the register's household rows).
  - identify = income_per_capita <= poverty_line or not food_secure or not
    clothing_secure or school_dropouts > 0 or not medical_insured or not
    house_safe (three-valued).
  - Tolerance income_per_capita {abs: 100, rel: 0.05}; every other indicator
    exact.
  - Vetoes wrong_exit_rate < 2, missed_rate < 2, recognition >= 90,
    comprehensive_rate < max_poverty_rate (the county's year). Unknown when
    the value is null; within_margin: the threshold lies in the closed
    interval [lo, hi].
  - Findings: absent from the register and the survey says registered:
    not_in_register; otherwise by the register's `registered` (a row absent
    from the register with survey registered no/empty: non-registered):
    registered and exited -> wrong_exit / undecided / ok by verified status;
    registered, not exited -> ok; non-registered -> missed / undecided / ok
    by identify on the survey's values. A drawn household without a survey
    row: not_surveyed. `differences` = the disagreeing comparisons of the
    accuracy check (so a contradicting `registered` cell is one).
  - Weights: the manifest's household weight; without a manifest 1. m = the
    survey's members; unknown m: undecided in the two people-weighted rates
    (the finding still follows the status).
  - Rates, in percent, per county (the county of the survey village in the
    register) and overall; RATE fields value, se, ci, numerator,
    denominator, households (decided), undecided (left out of the domain).
    Variance: z_i = w(y - R x)/sum(w x), z_v summed per village, strata =
    the manifest's village strata per county (n_h counts every drawn
    village, z_v = 0 without a household of the domain), one stratum per
    county without a manifest (villages with a surveyed household); overall
    strata = all (county, stratum) pairs. Comprehensive: (R + M + W) / P,
    se = sqrt((P - reg)^2 se_m^2 + ex^2 se_w^2) / P; overall from the sums
    of R, P, reg, ex over the counties with the overall rates.
Readings made here where even the brief leaves room. Compared: a surveyed
household without a recognition answer is undecided in recognition; a
not_in_register one is in no rate (outside the frame: no weight), not even
recognition; a not_surveyed household is in no rate's domain (not
counted as undecided); the register's people (R, registered, exited) count
every household of the county in the register, drawn or not. Not compared
(the check skips a field whose value depends on them):
  - a survey row not in the register that says registered: its `registered`
    is true here (the survey's claim) and its weight with a manifest is null
    (it is in no manifest); neither is compared. Its exit is "none".
  - a not_surveyed household: its verified_status is "unknown" here; the
    check accepts "unknown" or null.
  - the numerator of a comprehensive rate that is null; the ci of a null
    rate may be null or [null, null]; within_margin of an unknown veto.
  - an indicator no household could compare: listed with compared 0 and
    rate null here; the check also accepts its absence.
  - differences: values are compared after reading them as the table's
    type (so "yes", true and "是" are the same), numbers to 1e-9.
  - a rate whose value sits within 1e-9 (relative) of its veto threshold,
    or a threshold that sits on an interval end: the veto (and the county
    status and exit status that depend on it) are not compared, since the
    rounding of the last bit decides them.
The generator avoids the cases the brief leaves open: every survey row
absent from the register says registered and leaves recognition empty and
lies in a drawn village with other surveyed households; every county has
surveyed households and a rural_population; no register cell of members,
registered or year is empty.
"""
import argparse
import csv
import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(HERE)
YEAR = 2016
PACK = "national-2016"

MISSING = {"", "na", "n/a", "-"}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "有"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "无"}
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

# Columns never compared for accuracy (the brief).
NOT_COMPARED = {"household_id", "village_id", "county_id", "year", "claimed_exit", "exit_year"}
TOLERANCE = {"income_per_capita": (100.0, 0.05)}
RATE_IDS = ("wrong_exit_rate", "missed_rate", "recognition", "comprehensive_rate")
Z95 = 1.96


class OracleError(Exception):
    pass


# --------------------------------------------------------------- values

def is_missing(v):
    return v is None or v.strip().lower() in MISSING


def to_bool(v, where=""):
    if is_missing(v):
        return None
    s = v.strip().lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise OracleError(f"{where}: not a yes/no value: {v!r}")


def to_number(v, where=""):
    if is_missing(v):
        return None
    s = v.strip()
    if s.endswith("%") or s.endswith("％"):
        s = s[:-1]
    if not NUMBER_RE.match(s):
        raise OracleError(f"{where}: not a number: {v!r}")
    return float(s)


def typed(v, typ, where=""):
    if typ == "bool":
        return to_bool(v, where)
    if typ in ("number", "integer"):
        return to_number(v, where)
    return None if is_missing(v) else v.strip()


def t_and(*xs):
    if any(x is False for x in xs):
        return False
    if any(x is None for x in xs):
        return None
    return True


def t_or(*xs):
    if any(x is True for x in xs):
        return True
    if any(x is None for x in xs):
        return None
    return False


def t_not(a):
    return None if a is None else (not a)


def cmp(op, a, b):
    if a is None or b is None:
        return None
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b}[op]


# --------------------------------------------------------------- pack

def load_pack(root):
    """The household indicators (id -> type) and the parameters
    ({id: {year: value}}) of rules/national-2016."""
    import yaml
    d = os.path.join(root, "rules", PACK)
    with open(os.path.join(d, "household.yaml"), encoding="utf-8") as f:
        hh = yaml.safe_load(f)
    with open(os.path.join(d, "params.yaml"), encoding="utf-8") as f:
        pp = yaml.safe_load(f)
    types = {}
    for ind in hh.get("indicators") or []:
        types[str(ind["id"])] = str(ind.get("type", "number"))
    params = {}
    for p in pp.get("params") or []:
        params[str(p["id"])] = {int(v["year"]): float(v["value"]) for v in p.get("values") or []}
    return types, params


def param(params, name, year):
    if year is None:
        return None
    return params.get(name, {}).get(int(year))


# --------------------------------------------------------------- tables

def read_table(path):
    """(header, rows); rows are dicts header -> raw cell (str)."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    rows = []
    for rec in reader:
        if rec == [] or rec == [""]:
            continue
        rows.append(dict(zip(header, rec)))
    return header, rows


def load_register(d, types):
    reg = {"counties": {}, "villages": {}, "households": {}, "hheader": []}
    if os.path.exists(os.path.join(d, "county.csv")):
        _, rows = read_table(os.path.join(d, "county.csv"))
        for r in rows:
            cid = r["county_id"].strip()
            reg["counties"][cid] = {
                "year": to_number(r.get("year"), "county year"),
                "P": to_number(r.get("rural_population"), "rural_population"),
            }
    _, rows = read_table(os.path.join(d, "village.csv"))
    for r in rows:
        reg["villages"][r["village_id"].strip()] = {
            "county": r["county_id"].strip(),
            "year": to_number(r.get("year"), "village year"),
        }
    header, rows = read_table(os.path.join(d, "household.csv"))
    reg["hheader"] = header
    for r in rows:
        hid = r["household_id"].strip()
        if hid in reg["households"]:
            raise OracleError(f"register: household {hid} twice")
        h = {c: typed(r.get(c), types[c], f"household {hid} {c}") for c in header if c in types}
        h["_present"] = set(c for c in header if c in types)
        if "registered" not in header:
            h["registered"] = True
        year = h.get("year")
        ey = h.get("exit_year")
        claimed = h.get("claimed_exit") is True or (ey is not None and ey == year)
        earlier = ey is not None and year is not None and ey < year
        if h.get("registered") is True and claimed:
            h["_exit"] = "this_year"
        elif h.get("registered") is True and earlier:
            h["_exit"] = "earlier"
        else:
            h["_exit"] = "none"
        reg["households"][hid] = h
    return reg


def load_manifest(path):
    """villages: vid -> (county, stratum); households: hid -> dict."""
    _, rows = read_table(path)
    villages, households = {}, {}
    for r in rows:
        lvl = r["level"].strip()
        if lvl == "village":
            villages[r["unit_id"].strip()] = (r["county_id"].strip(), r["stratum"].strip())
        elif lvl == "household":
            households[r["unit_id"].strip()] = {
                "village": r["parent_id"].strip(),
                "county": r["county_id"].strip(),
                "weight": float(r["weight"]),
            }
    return villages, households


# --------------------------------------------------------------- household logic

def verified_status(v, line):
    """NH01-NH06 on the values v (typed); three-valued."""
    results = [
        cmp(">", v.get("income_per_capita"), line),
        v.get("food_secure"),
        v.get("clothing_secure"),
        cmp("==", v.get("school_dropouts"), 0.0),
        v.get("medical_insured"),
        v.get("house_safe"),
    ]
    ok = t_and(*results)
    return {True: "pass", False: "fail", None: "unknown"}[ok]


def identify(v, line):
    return t_or(
        cmp("<=", v.get("income_per_capita"), line),
        t_not(v.get("food_secure")),
        t_not(v.get("clothing_secure")),
        cmp(">", v.get("school_dropouts"), 0.0),
        t_not(v.get("medical_insured")),
        t_not(v.get("house_safe")),
    )


def agrees(ind, reg_value, survey_value):
    if ind in TOLERANCE and isinstance(reg_value, float):
        a, r = TOLERANCE[ind]
        return abs(survey_value - reg_value) <= max(a, r * abs(survey_value))
    return reg_value == survey_value


# --------------------------------------------------------------- estimation

def ratio_rate(units, strata):
    """units: [(village, w, y, x)] of the decided households of the domain;
    strata: [[village, ...], ...] (every primary unit of each stratum).
    Returns (value, se, numerator, denominator) in percent; value and se
    None when the denominator is 0."""
    num = math.fsum(w * y for _, w, y, _ in units)
    den = math.fsum(w * x for _, w, _, x in units)
    if den == 0:
        return None, None, num, den
    R = num / den
    zv = {}
    for v, w, y, x in units:
        zv.setdefault(v, []).append(w * (y - R * x) / den)
    zsum = {v: math.fsum(zs) for v, zs in zv.items()}
    placed = set(v for s in strata for v in s)
    missing = set(zsum) - placed
    if missing:
        raise OracleError(f"villages in no stratum: {sorted(missing)}")
    var_terms = []
    for s in strata:
        n = len(s)
        if n < 2:
            continue
        zs = [zsum.get(v, 0.0) for v in s]
        mean = math.fsum(zs) / n
        var_terms.append(n / (n - 1) * math.fsum((z - mean) ** 2 for z in zs))
    var = math.fsum(var_terms)
    return R * 100, 100 * math.sqrt(var), num, den


def rate_obj(value, se, num, den, households, undecided):
    if value is None:
        ci = None
        se = None
    else:
        ci = [max(0.0, value - Z95 * se), min(100.0, value + Z95 * se)]
    return {"value": value, "se": se, "ci": ci, "numerator": num, "denominator": den,
            "households": households, "undecided": undecided}


def comprehensive(wrong, missed, R, P, reg_people, ex_people):
    households = wrong["households"] + missed["households"]
    undecided = wrong["undecided"] + missed["undecided"]
    if wrong["value"] is None or missed["value"] is None or P is None or P == 0:
        return rate_obj(None, None, None, P, households, undecided)
    M = missed["value"] / 100 * (P - reg_people)
    W = wrong["value"] / 100 * ex_people
    num = R + M + W
    value = num / P * 100
    se = math.sqrt((P - reg_people) ** 2 * missed["se"] ** 2 + ex_people ** 2 * wrong["se"] ** 2) / P
    out = rate_obj(value, se, num, P, households, undecided)
    out["_parts"] = {"R": R, "M": M, "W": W, "P": P, "registered_people": reg_people,
                     "exited_people": ex_people}
    return out


VETOES = [("wrong_exit_rate", "<", None), ("missed_rate", "<", None),
          ("recognition", ">=", None), ("comprehensive_rate", "<", "max_poverty_rate")]
VETO_CONST = {"wrong_exit_rate": 2.0, "missed_rate": 2.0, "recognition": 90.0}


def near(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def vetoes(rates, params, year):
    out = []
    for vid, op, pname in VETOES:
        thr = param(params, pname, year) if pname else VETO_CONST[vid]
        r = rates[vid]
        if r["value"] is None or thr is None:
            out.append({"id": vid, "status": "unknown", "within_margin": None, "threshold": thr})
            continue
        ok = cmp(op, r["value"], thr)
        lo, hi = r["ci"]
        v = {"id": vid, "status": "pass" if ok else "fail", "within_margin": lo <= thr <= hi,
             "threshold": thr}
        # Which side of the threshold the last bit of rounding puts a rate on
        # is not this oracle's to decide.
        if near(r["value"], thr) or near(lo, thr) or near(hi, thr):
            v["_borderline"] = True
        out.append(v)
    return out


# --------------------------------------------------------------- the computation

def expect(d, survey_path=None, manifest_path=None, root=DEFAULT_ROOT):
    types, params = load_pack(root)
    reg = load_register(d, types)
    survey_path = survey_path or os.path.join(d, "survey.csv")
    sheader, srows = read_table(survey_path)
    mvillages, mhouseholds = (load_manifest(manifest_path) if manifest_path else (None, None))

    hh_years = set(h.get("year") for h in reg["households"].values() if h.get("year") is not None)
    default_year = min(hh_years) if hh_years else None

    comparable = [c for c in types if c not in NOT_COMPARED and c in sheader
                  and c in reg["hheader"]]
    acc = {c: [0, 0] for c in comparable}
    acc_h = [0, 0]

    households = []
    seen = set()
    units = []  # survey units, for the rates
    for i, r in enumerate(srows):
        hid = r["household_id"].strip()
        if hid in seen:
            raise OracleError(f"survey: household {hid} twice")
        seen.add(hid)
        vid = r["village_id"].strip()
        sv = {c: typed(r.get(c), types[c], f"survey {hid} {c}") for c in sheader if c in types}
        rec = to_bool(r.get("recognition"), f"survey {hid} recognition") if "recognition" in sheader else None
        rh = reg["households"].get(hid)
        year = rh.get("year") if rh else default_year
        line = param(params, "poverty_line", year)
        status = verified_status(sv, line)
        ident = identify(sv, line)
        village = reg["villages"].get(vid)
        county = village["county"] if village else (rh.get("county_id") if rh else None)
        if mhouseholds is None:
            weight = 1.0
        elif hid in mhouseholds:
            weight = mhouseholds[hid]["weight"]
        else:
            weight = None
        diffs = []
        if rh is None:
            if sv.get("registered") is True:
                finding, registered = "not_in_register", True
            else:
                registered = False
            exit_ = "none"
        else:
            registered = rh.get("registered")
            exit_ = rh["_exit"]
            # accuracy
            ncomp, nagree = 0, 0
            for c in comparable:
                a, b = rh.get(c), sv.get(c)
                if a is None or b is None:
                    continue
                ncomp += 1
                acc[c][0] += 1
                if agrees(c, a, b):
                    nagree += 1
                    acc[c][1] += 1
                else:
                    diffs.append({"indicator": c, "register": a, "survey": b})
            if ncomp:
                acc_h[0] += 1
                if nagree == ncomp:
                    acc_h[1] += 1
        if not (rh is None and sv.get("registered") is True):
            if registered and exit_ != "none":
                finding = {"fail": "wrong_exit", "unknown": "undecided", "pass": "ok"}[status]
            elif registered:
                finding = "ok"
            else:
                finding = {True: "missed", None: "undecided", False: "ok"}[ident]
        households.append({
            "id": hid, "village_id": vid, "county_id": county, "registered": registered,
            "exit": exit_, "verified_status": status, "weight": weight, "finding": finding,
            "differences": diffs,
        })
        m = sv.get("members")
        units.append({
            "id": hid, "village": vid, "county": county, "w": weight, "m": m,
            "in_register": rh is not None, "finding": finding,
            "wrong_domain": rh is not None and registered is True and exit_ != "none",
            "missed_domain": finding != "not_in_register" and not registered,
            "status": status, "ident": ident, "rec": rec,
        })
    if mhouseholds is not None:
        for hid in sorted(mhouseholds):
            if hid in seen:
                continue
            mh = mhouseholds[hid]
            rh = reg["households"].get(hid)
            households.append({
                "id": hid, "village_id": mh["village"], "county_id": mh["county"],
                "registered": rh.get("registered") if rh else None,
                "exit": rh["_exit"] if rh else "none", "verified_status": "unknown",
                "weight": mh["weight"], "finding": "not_surveyed", "differences": [],
            })

    # Strata of primary units (villages), per county.
    if mvillages is not None:
        strata_by_county = {}
        for v, (c, s) in mvillages.items():
            strata_by_county.setdefault(c, {}).setdefault(s, []).append(v)
        strata_by_county = {c: [sorted(vs) for _, vs in sorted(ss.items())]
                            for c, ss in strata_by_county.items()}
    else:
        strata_by_county = {}
        for u in units:
            strata_by_county.setdefault(u["county"], set()).add(u["village"])
        strata_by_county = {c: [sorted(vs)] for c, vs in strata_by_county.items()}

    def three_rates(us, strata):
        out = {}
        # wrong_exit_rate
        dom = [u for u in us if u["wrong_domain"]]
        dec = [u for u in dom if u["status"] != "unknown" and u["m"] is not None]
        pts = [(u["village"], u["w"], u["m"] if u["status"] == "fail" else 0.0, u["m"]) for u in dec]
        out["wrong_exit_rate"] = rate_obj(*ratio_rate(pts, strata), len(dec), len(dom) - len(dec))
        # missed_rate
        dom = [u for u in us if u["missed_domain"]]
        dec = [u for u in dom if u["ident"] is not None and u["m"] is not None]
        pts = [(u["village"], u["w"], u["m"] if u["ident"] else 0.0, u["m"]) for u in dec]
        out["missed_rate"] = rate_obj(*ratio_rate(pts, strata), len(dec), len(dom) - len(dec))
        # recognition: over the households of the frame (a row not in the
        # register is outside it, in no rate, as exitcheck-verify documents)
        rdom = [u for u in us if u["finding"] != "not_in_register"]
        dec = [u for u in rdom if u["rec"] is not None]
        pts = [(u["village"], u["w"], 1.0 if u["rec"] else 0.0, 1.0) for u in dec]
        out["recognition"] = rate_obj(*ratio_rate(pts, strata), len(dec), len(rdom) - len(dec))
        return out

    for u in units:
        if u["w"] is None and (u["wrong_domain"] or u["missed_domain"] or u["rec"] is not None):
            raise OracleError(f"survey household {u['id']} is in a rate but has no weight")

    # Register people per county.
    people = {}
    for h in reg["households"].values():
        c = h.get("county_id")
        p = people.setdefault(c, {"R": 0.0, "reg": 0.0, "ex": 0.0})
        if h.get("registered") is True:
            m = h.get("members") or 0.0
            p["reg"] += m
            if h["_exit"] == "none":
                p["R"] += m
            else:
                p["ex"] += m

    county_ids = sorted(set(reg["counties"]) | set(u["county"] for u in units if u["county"]))
    counties = []
    tot = {"R": 0.0, "reg": 0.0, "ex": 0.0, "P": 0.0, "P_missing": False}
    for c in county_ids:
        us = [u for u in units if u["county"] == c]
        rates = three_rates(us, strata_by_county.get(c, []))
        p = people.get(c, {"R": 0.0, "reg": 0.0, "ex": 0.0})
        P = reg["counties"].get(c, {}).get("P")
        rates["comprehensive_rate"] = comprehensive(rates["wrong_exit_rate"], rates["missed_rate"],
                                                    p["R"], P, p["reg"], p["ex"])
        for k in ("R", "reg", "ex"):
            tot[k] += p[k]
        if P is None:
            tot["P_missing"] = True
        else:
            tot["P"] += P
        year = reg["counties"].get(c, {}).get("year")
        vs = vetoes(rates, params, year)
        sts = [v["status"] for v in vs]
        status = "fail" if "fail" in sts else ("pass" if all(s == "pass" for s in sts) else "unknown")
        counties.append({"id": c, "status": status, "rates": rates, "vetoes": vs})

    all_strata = [s for c in sorted(strata_by_county) for s in strata_by_county[c]]
    orates = three_rates(units, all_strata)
    orates["comprehensive_rate"] = comprehensive(orates["wrong_exit_rate"], orates["missed_rate"],
                                                 tot["R"], None if tot["P_missing"] else tot["P"],
                                                 tot["reg"], tot["ex"])

    indicators = []
    for c in comparable:
        n, a = acc[c]
        indicators.append({"id": c, "compared": n, "agree": a, "rate": (a / n * 100) if n else None})
    accuracy = {"households": {"compared": acc_h[0], "agree": acc_h[1],
                               "rate": (acc_h[1] / acc_h[0] * 100) if acc_h[0] else None},
                "indicators": indicators}
    exit_status = 0 if counties and all(c["status"] == "pass" for c in counties) else 1
    households.sort(key=lambda h: h["id"].encode("utf-8"))
    return {"schema": "exitcheck-verify/1", "exit_status": exit_status, "counties": counties,
            "overall": {"rates": orates}, "households": households, "accuracy": accuracy}


# --------------------------------------------------------------- comparison

def num_eq(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(b, (int, float)):
        return False
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-9


def norm_value(v, typ):
    """A differences value read as the indicator's type."""
    if isinstance(v, str):
        try:
            return typed(v, typ)
        except OracleError:
            return v
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v


def compare(exp, got, types, strict_fixed_only=False):
    """Mismatches (strings) between the oracle's report exp and got. With
    strict_fixed_only, exp holds only some fields (expected.json): only
    those are compared."""
    out = []
    if not strict_fixed_only:
        if got.get("schema") != "exitcheck-verify/1":
            out.append(f"schema: expected 'exitcheck-verify/1', got {got.get('schema')!r}")

    def cmp_rate(where, e, g):
        if not isinstance(g, dict):
            out.append(f"{where}: missing")
            return
        e_null = e.get("value") is None
        for k in ("value", "se", "numerator", "denominator"):
            if k not in e:
                continue
            if e_null and k in ("numerator",) and where.endswith("comprehensive_rate"):
                continue
            if not num_eq(e[k], g.get(k)):
                out.append(f"{where}.{k}: expected {e[k]!r}, got {g.get(k)!r}")
        if "ci" in e:
            ec, gc = e["ci"], g.get("ci")
            if ec is None:
                if not (gc is None or gc == [None, None]):
                    out.append(f"{where}.ci: expected null, got {gc!r}")
            elif not (isinstance(gc, list) and len(gc) == 2 and num_eq(ec[0], gc[0]) and num_eq(ec[1], gc[1])):
                out.append(f"{where}.ci: expected {ec!r}, got {gc!r}")
        for k in ("households", "undecided"):
            if k in e and e[k] != g.get(k):
                out.append(f"{where}.{k}: expected {e[k]!r}, got {g.get(k)!r}")

    gcounties = {c.get("id"): c for c in got.get("counties") or []}
    if not strict_fixed_only and set(gcounties) != set(c["id"] for c in exp["counties"]):
        out.append(f"counties: expected {sorted(c['id'] for c in exp['counties'])}, got {sorted(map(str, gcounties))}")
    any_borderline = False
    for ec in exp["counties"]:
        gc = gcounties.get(ec["id"])
        if gc is None:
            out.append(f"county {ec['id']}: missing")
            continue
        for rid in RATE_IDS:
            if rid in ec.get("rates", {}):
                cmp_rate(f"county {ec['id']} {rid}", ec["rates"][rid], (gc.get("rates") or {}).get(rid))
        gv = {v.get("id"): v for v in gc.get("vetoes") or []}
        borderline = False
        for ev in ec.get("vetoes", []):
            v = gv.get(ev["id"])
            if v is None:
                out.append(f"county {ec['id']} veto {ev['id']}: missing")
                continue
            if ev.get("_borderline"):
                borderline = True
                continue
            if ev["status"] != v.get("status"):
                out.append(f"county {ec['id']} veto {ev['id']}.status: expected {ev['status']}, got {v.get('status')}")
            if ev.get("within_margin") is not None and ev["within_margin"] != v.get("within_margin"):
                out.append(f"county {ec['id']} veto {ev['id']}.within_margin: expected {ev['within_margin']}, got {v.get('within_margin')}")
        any_borderline = any_borderline or borderline
        if not borderline and "status" in ec and ec["status"] != gc.get("status"):
            out.append(f"county {ec['id']}.status: expected {ec['status']}, got {gc.get('status')}")
    grates = (got.get("overall") or {}).get("rates") or {}
    for rid in RATE_IDS:
        if rid in exp.get("overall", {}).get("rates", {}):
            cmp_rate(f"overall {rid}", exp["overall"]["rates"][rid], grates.get(rid))

    # households
    ghh = {}
    for h in got.get("households") or []:
        if h.get("id") in ghh:
            out.append(f"household {h.get('id')}: listed twice")
        ghh[h.get("id")] = h
    ehh = {h["id"]: h for h in exp["households"]}
    if not strict_fixed_only and set(ghh) != set(ehh):
        extra = sorted(set(map(str, ghh)) - set(ehh))
        lost = sorted(set(ehh) - set(map(str, ghh)))
        out.append(f"households: missing {lost[:10]}, unexpected {extra[:10]}")
    for hid, e in ehh.items():
        g = ghh.get(hid)
        if g is None:
            if strict_fixed_only:
                out.append(f"household {hid}: missing")
            continue
        for k in ("village_id", "county_id", "finding", "exit"):
            if k in e and e[k] != g.get(k):
                out.append(f"household {hid}.{k}: expected {e[k]!r}, got {g.get(k)!r}")
        if "registered" in e and e.get("finding") != "not_in_register" and e["registered"] != g.get("registered"):
            out.append(f"household {hid}.registered: expected {e['registered']!r}, got {g.get('registered')!r}")
        if "verified_status" in e:
            gs = g.get("verified_status")
            if e.get("finding") == "not_surveyed":
                if gs not in ("unknown", None):
                    out.append(f"household {hid}.verified_status (not surveyed): expected unknown or null, got {gs!r}")
            elif e["verified_status"] != gs:
                out.append(f"household {hid}.verified_status: expected {e['verified_status']!r}, got {gs!r}")
        if "weight" in e and not (e.get("finding") == "not_in_register" and e["weight"] is None):
            if not num_eq(e["weight"], g.get("weight")):
                out.append(f"household {hid}.weight: expected {e['weight']!r}, got {g.get('weight')!r}")
        if "differences" in e:
            ed = {d["indicator"]: d for d in e["differences"]}
            gd = {}
            for d in g.get("differences") or []:
                gd[d.get("indicator")] = d
            if set(ed) != set(gd):
                out.append(f"household {hid}.differences: expected {sorted(ed)}, got {sorted(map(str, gd))}")
            for ind in set(ed) & set(gd):
                typ = types.get(ind, "text")
                for side in ("register", "survey"):
                    a = norm_value(ed[ind][side], typ)
                    b = norm_value(gd[ind].get(side), typ)
                    same = num_eq(a, b) if isinstance(a, float) else a == b
                    if not same:
                        out.append(f"household {hid}.differences[{ind}].{side}: expected {ed[ind][side]!r}, got {gd[ind].get(side)!r}")

    # accuracy
    ea, ga = exp.get("accuracy"), got.get("accuracy") or {}
    if ea is not None:
        eh, gh = ea["households"], ga.get("households") or {}
        for k in ("compared", "agree"):
            if eh[k] != gh.get(k):
                out.append(f"accuracy.households.{k}: expected {eh[k]}, got {gh.get(k)!r}")
        if not num_eq(eh["rate"], gh.get("rate")):
            out.append(f"accuracy.households.rate: expected {eh['rate']}, got {gh.get('rate')!r}")
        gi = {i.get("id"): i for i in ga.get("indicators") or []}
        ei = {i["id"]: i for i in ea["indicators"]}
        for iid, e in ei.items():
            g = gi.get(iid)
            if g is None:
                if e["compared"] != 0:
                    out.append(f"accuracy indicator {iid}: missing")
                continue
            for k in ("compared", "agree"):
                if e[k] != g.get(k):
                    out.append(f"accuracy indicator {iid}.{k}: expected {e[k]}, got {g.get(k)!r}")
            if not num_eq(e["rate"], g.get("rate")):
                out.append(f"accuracy indicator {iid}.rate: expected {e['rate']}, got {g.get('rate')!r}")
        if not strict_fixed_only:
            for iid in set(gi) - set(ei):
                g = gi[iid]
                if (g.get("compared") or 0) != 0:
                    out.append(f"accuracy indicator {iid}: not expected (compared {g.get('compared')})")
    return out, any_borderline


# --------------------------------------------------------------- generator

BOOLS = [("yes", "no"), ("Yes", "NO"), ("y", "n"), ("true", "false"), ("1", "0"),
         ("是", "否"), ("有", "无")]
MISSING_SPELLINGS = ["", "", "", "NA", "-"]
COUNTY_HEADER = ["county_id", "county_name", "year", "rural_population"]
VILLAGE_HEADER = ["village_id", "village_name", "county_id", "year", "poor_village", "population"]
HOUSEHOLD_HEADER = ["household_id", "village_id", "county_id", "year", "members", "claimed_exit",
                    "registered", "exit_year", "income_per_capita", "food_secure",
                    "clothing_secure", "school_dropouts", "medical_insured", "house_safe"]
SURVEY_HEADER = ["household_id", "village_id", "registered", "members", "income_per_capita",
                 "food_secure", "clothing_secure", "school_dropouts", "medical_insured",
                 "house_safe", "recognition"]
TARGET_CELLS = ["income_per_capita", "food_secure", "clothing_secure", "school_dropouts",
                "medical_insured", "house_safe"]
BOOL_CELLS = ["food_secure", "clothing_secure", "medical_insured", "house_safe"]

PLAN = """\
plan: verify-oracle
pack: national-2016
villages:
  - {{id: poor, where: registered, take: {vp}, method: pps, size: population}}
  - {{id: other, where: not registered, take: {vo}}}
households:
  - {{id: exited, where: registered and exited, take: {he}}}
  - {{id: poor, where: registered and not exited, take: 2}}
  - {{id: ordinary, where: not registered, take: {ho}}}
"""


def write_table(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def poverty_line(root):
    return load_pack(root)[1]["poverty_line"][YEAR]


def generate_register(outdir, rng, clean_counties):
    """Several counties, poor and non-poor villages (a county with a single
    non-poor village), registered households exited this year (claimed_exit
    yes, or exit_year = year), earlier (2014, 2015), not exited, and
    non-registered ones. Register values: exited and non-registered
    households meet every target, registered not-exited ones mostly fail one."""
    os.makedirs(outdir, exist_ok=True)
    used = set()

    def new_id(prefix, width):
        while True:
            cand = prefix + "".join(rng.choice("0123456789") for _ in range(width))
            if cand not in used:
                used.add(cand)
                return cand

    def b(v):
        t, f = rng.choice(BOOLS[:3])
        return t if v else f

    ncounties = rng.randint(3, 4)
    crows, vrows, hrows = [], [], []
    counties = []
    for ci in range(ncounties):
        cid = new_id("52", 4)
        counties.append(cid)
        npoor = rng.randint(2, 4)
        nother = 1 if ci == 0 else rng.randint(2, 3)
        vtotal = 0
        for k in range(npoor + nother):
            vid = new_id(cid, 3)
            pop = rng.randint(400, 2500)
            vtotal += pop
            vrows.append([vid, f"村{vid[-3:]}", cid, str(YEAR), b(k < npoor), str(pop)])
            nh = rng.randint(7, 14)
            for _ in range(nh):
                hid = new_id(vid, 3)
                m = rng.randint(1, 7)
                kind = rng.random()
                clean = ci in clean_counties
                if kind < 0.30:
                    reg, claimed, ey = True, b(True), ""
                elif kind < 0.40:
                    reg, claimed, ey = True, rng.choice([b(False), ""]), str(YEAR)
                elif kind < 0.58:
                    reg, claimed, ey = True, b(False), str(rng.choice([2014, 2015]))
                elif kind < (0.63 if clean else 0.72):
                    reg, claimed, ey = True, b(False), ""
                else:
                    reg, claimed, ey = False, b(False), ""
                vals = {"income_per_capita": rng.randint(3100, 12000), "food_secure": True,
                        "clothing_secure": True, "school_dropouts": 0, "medical_insured": True,
                        "house_safe": True}
                if reg and ey == "" and claimed != "" and to_bool(claimed) is False:
                    # registered, not exited: mostly poor by the register
                    k2 = rng.random()
                    if k2 < 0.6:
                        vals["income_per_capita"] = rng.randint(1200, 2950)
                    if k2 > 0.4:
                        vals[rng.choice(BOOL_CELLS)] = False
                hrows.append([hid, vid, cid, str(YEAR), str(m), claimed, b(reg), ey,
                              str(vals["income_per_capita"]), b(vals["food_secure"]),
                              b(vals["clothing_secure"]), str(vals["school_dropouts"]),
                              b(vals["medical_insured"]), b(vals["house_safe"])])
        # rural population: the register's villages and many more people
        crows.append([cid, f"县{ci + 1}", str(YEAR), str(vtotal * rng.randint(6, 12))])
    rng.shuffle(hrows)
    write_table(os.path.join(outdir, "county.csv"), COUNTY_HEADER, crows)
    write_table(os.path.join(outdir, "village.csv"), VILLAGE_HEADER, vrows)
    write_table(os.path.join(outdir, "household.csv"), HOUSEHOLD_HEADER, hrows)
    return counties


def run_sample(exitcheck, root, d, seed_text):
    man = os.path.join(d, "manifest.csv")
    if os.path.exists(man):
        os.remove(man)
    try:
        p = subprocess.run([exitcheck, "sample", d, "--plan", os.path.join(d, "plan.yaml"),
                            "--seed", seed_text, "-r", os.path.join(root, "rules", PACK),
                            "--manifest", man, "-f", "json", "-o", os.path.join(d, "sample.json")],
                           cwd=root, capture_output=True, timeout=60)
    except OSError as e:
        raise OracleError(f"cannot run {exitcheck}: {e}")
    if p.returncode != 0 or not os.path.exists(man):
        raise OracleError(f"exitcheck sample exited {p.returncode}: "
                          f"{p.stderr.decode('utf-8', 'replace').strip()[:600]}")


def generate_survey(d, rng, clean_counties_ids, line):
    """A survey of the drawn households: some values equal, some within the
    income tolerance (also exactly 100 apart), some beyond; wrong exits,
    missed households, unknown cells (undecided), drawn households not
    surveyed, one row of a registered household absent from the register,
    contradicting `registered` cells, unknown members, recognition
    yes/no/empty."""
    _, hrows = read_table(os.path.join(d, "household.csv"))
    reg = {r["household_id"]: r for r in hrows}
    mv, mh = load_manifest(os.path.join(d, "manifest.csv"))
    rows = []
    surveyed_villages = []
    hids = sorted(mh)
    skip = set(rng.sample(hids, max(1, len(hids) // 15)))

    def b(v):
        if v is None:
            return rng.choice(MISSING_SPELLINGS)
        t, f = rng.choice(BOOLS)
        return t if v else f

    for hid in hids:
        if hid in skip:
            continue
        r = reg[hid]
        clean = mh[hid]["county"] in clean_counties_ids
        registered = to_bool(r["registered"])
        ey = r["exit_year"].strip()
        exited = registered and (to_bool(r["claimed_exit"]) is True or ey != "")
        v = {"income_per_capita": float(r["income_per_capita"]),
             "school_dropouts": float(r["school_dropouts"]),
             "members": float(r["members"])}
        for c in BOOL_CELLS:
            v[c] = to_bool(r[c])
        forced = None
        k = rng.random()
        if exited or not registered:
            if clean:
                forced = "unknown" if k < 0.07 else None
            else:
                forced = "fail" if k < 0.13 else ("unknown" if k < 0.21 else None)
        elif k < 0.2:
            forced = "unknown"
        # income noise first (a forced outcome may overwrite it)
        inc = v["income_per_capita"]
        k = rng.random()
        if k < 0.5:
            s = inc
        elif k < 0.62:
            s = inc + rng.choice([-100, 100])            # |diff| = 100: within (abs)
        elif k < 0.78:
            lim = max(100.0, 0.04 * inc)
            s = inc + rng.randint(-int(lim), int(lim))   # within
        else:
            lim = max(100.0, 0.06 * inc)
            s = inc + rng.randint(int(lim) + 20, int(lim) + 900)  # beyond, upward
        if (exited or not registered) and s <= line:
            s = inc
        v["income_per_capita"] = float(s)
        if forced == "fail":
            what = rng.choice(TARGET_CELLS + ["income_per_capita"])
            if what == "income_per_capita":
                v[what] = float(rng.choice([rng.randint(1500, int(line)), int(line)]))
            elif what == "school_dropouts":
                v[what] = float(rng.randint(1, 2))
            else:
                v[what] = False
        elif forced == "unknown":
            v[rng.choice(TARGET_CELLS)] = None
        elif not (exited or not registered) and rng.random() < 0.2:
            c = rng.choice(BOOL_CELLS)
            v[c] = not v[c]
        # members
        k = rng.random()
        if k < (0.04 if clean else 0.06):
            v["members"] = None
        elif k < 0.14:
            v["members"] = max(1.0, v["members"] + rng.choice([-1, 1]))
        # registered cell
        k = rng.random()
        sreg = registered
        if k < 0.07:
            sreg = not registered
        elif k < 0.15:
            sreg = None
        # recognition
        k = rng.random()
        if clean:
            rec = None if k < 0.05 else True
        else:
            rec = True if k < 0.78 else (False if k < 0.9 else None)

        def num(x):
            if x is None:
                return rng.choice(MISSING_SPELLINGS)
            return str(int(x)) if rng.random() < 0.85 else f"{x:.1f}"
        rows.append([hid, r["village_id"], b(sreg), num(v["members"]), num(v["income_per_capita"]),
                     b(v["food_secure"]), b(v["clothing_secure"]), num(v["school_dropouts"]),
                     b(v["medical_insured"]), b(v["house_safe"]), b(rec)])
        surveyed_villages.append(r["village_id"])
    # a registered household the register does not list, in a surveyed village
    vid = rng.choice(sorted(set(surveyed_villages)))
    absent = vid + "999"
    while absent in reg:
        absent += "9"
    rows.append([absent, vid, b(True), str(rng.randint(1, 6)), str(rng.randint(1500, 6000)),
                 b(True), b(rng.random() < 0.5), "0", b(True), b(True), ""])
    rng.shuffle(rows)
    write_table(os.path.join(d, "survey.csv"), SURVEY_HEADER, rows)


# (seed, clean county indices; "all" makes every county clean)
SEEDS = [(101, ()), (102, (1,)), (103, "all"), (104, (0, 2)), (105, ())]


def generate(d, seed, exitcheck, root, clean=None):
    rng = random.Random(seed)
    if clean is None:
        clean = dict(SEEDS).get(seed, ())
    if clean == "all":
        clean = tuple(range(4))
    counties = generate_register(d, rng, set(clean))
    plan = PLAN.format(vp=rng.choice([2, 3]), vo=rng.choice([1, 2]), he=rng.choice([3, 4, 5]),
                       ho=rng.choice([2, 3, 4]))
    with open(os.path.join(d, "plan.yaml"), "w", encoding="utf-8") as f:
        f.write(plan)
    run_sample(exitcheck, root, d, f"verify-{seed}")
    generate_survey(d, rng, set(counties[i] for i in clean if i < len(counties)), poverty_line(root))


# --------------------------------------------------------------- self-test

def run_verify(exitcheck, root, d, survey, manifest):
    args = [exitcheck, "verify", d, "--survey", survey]
    if manifest:
        args += ["--manifest", manifest]
    args += ["-r", os.path.join(root, "rules", PACK), "-f", "json"]
    p = subprocess.run(args, cwd=root, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def strip_private(o):
    if isinstance(o, dict):
        return {k: strip_private(v) for k, v in o.items() if not k.startswith("_")}
    if isinstance(o, list):
        return [strip_private(v) for v in o]
    return o


# The exit status of the hand-worked case (fixtures/verify/hand/README.md):
# its one county fails, so 1. (expected.json holds only the report's fields.)
HAND_EXIT_STATUS = 1


def check(exitcheck, root):
    exitcheck = os.path.abspath(exitcheck)
    root = os.path.abspath(root)
    types, _ = load_pack(root)
    passed, failed = 0, 0

    def result(ok, name, details=()):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}")
            for d in list(details)[:25]:
                print(f"    {d}")
            if len(details) > 25:
                print(f"    ... and {len(details) - 25} more")

    # 1. The oracle against the hand-worked fixture.
    hand = os.path.join(root, "fixtures", "verify", "hand")
    with open(os.path.join(hand, "expected.json"), encoding="utf-8") as f:
        hand_expected = json.load(f)
    mine = expect(hand, os.path.join(hand, "survey.csv"), os.path.join(hand, "manifest.csv"), root)
    diffs, _ = compare(hand_expected, strip_private(mine), types, strict_fixed_only=True)
    if mine["exit_status"] != HAND_EXIT_STATUS:
        diffs.append(f"exit status: expected {HAND_EXIT_STATUS} (README.md), oracle {mine['exit_status']}")
    result(not diffs, "oracle on fixtures/verify/hand (expected.json)", diffs)

    # 2. Can exitcheck verify run at all?
    if not (os.path.isfile(exitcheck) and os.access(exitcheck, os.X_OK)):
        print(f"cannot run exitcheck: {exitcheck!r} is not an executable file")
        print(f"{passed} passed, {failed} failed")
        return 2
    try:
        rc, out, err = run_verify(exitcheck, root, hand, os.path.join(hand, "survey.csv"),
                                  os.path.join(hand, "manifest.csv"))
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"cannot run exitcheck: {e}")
        print(f"{passed} passed, {failed} failed")
        return 2
    try:
        got = json.loads(out)
    except ValueError:
        got = None
    if got is None and ("unknown command" in err or "未知" in err or rc in (126, 127)):
        print(f"cannot run exitcheck verify: exit {rc}\n    stderr: {err.strip()[:600]}")
        print(f"{passed} passed, {failed} failed")
        return 2

    def one(name, d, survey, manifest, exp):
        try:
            rc, out, err = run_verify(exitcheck, root, d, survey, manifest)
        except subprocess.TimeoutExpired:
            result(False, name, ["exitcheck verify did not finish in 120 s"])
            return
        try:
            got = json.loads(out)
        except ValueError:
            result(False, name, [f"exit {rc}, no JSON report", f"stderr: {err.strip()[:600]}"])
            return
        diffs, borderline = compare(exp, got, types)
        if not borderline and rc != exp["exit_status"]:
            diffs.insert(0, f"exit status: expected {exp['exit_status']}, got {rc}"
                            + (f" (stderr: {err.strip()[:300]})" if rc == 2 else ""))
        result(not diffs, name, diffs)

    # 3. exitcheck on the hand-worked case: against expected.json and the oracle.
    if got is None:
        result(False, "exitcheck on fixtures/verify/hand against expected.json",
               [f"exit {rc}, no JSON report on standard output", f"stderr: {err.strip()[:600]}"])
    else:
        diffs, _ = compare(hand_expected, got, types, strict_fixed_only=True)
        if got.get("schema") != "exitcheck-verify/1":
            diffs.insert(0, f"schema: expected 'exitcheck-verify/1', got {got.get('schema')!r}")
        if rc != HAND_EXIT_STATUS:
            diffs.insert(0, f"exit status: expected {HAND_EXIT_STATUS}, got {rc}")
        result(not diffs, "exitcheck on fixtures/verify/hand against expected.json", diffs)
    one("exitcheck on fixtures/verify/hand (oracle, with manifest)", hand,
        os.path.join(hand, "survey.csv"), os.path.join(hand, "manifest.csv"), mine)
    one("exitcheck on fixtures/verify/hand (oracle, without manifest)", hand,
        os.path.join(hand, "survey.csv"), None, expect(hand, os.path.join(hand, "survey.csv"), None, root))

    # 4. Generated registers.
    tmp = tempfile.mkdtemp(prefix="verify_oracle.")
    try:
        for seed, _ in SEEDS:
            d = os.path.join(tmp, f"seed{seed}")
            os.makedirs(d)
            try:
                generate(d, seed, exitcheck, root)
            except OracleError as e:
                result(False, f"seed {seed}: generate", [str(e)])
                continue
            survey, man = os.path.join(d, "survey.csv"), os.path.join(d, "manifest.csv")
            for use_manifest in (True, False):
                label = f"seed {seed} {'with' if use_manifest else 'without'} manifest"
                try:
                    exp = expect(d, survey, man if use_manifest else None, root)
                except OracleError as e:
                    result(False, label + " (oracle)", [str(e)])
                    continue
                one(label, d, survey, man if use_manifest else None, exp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


# --------------------------------------------------------------- main

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("dir")
    g.add_argument("--seed", type=int, required=True)
    g.add_argument("--exitcheck", default=os.path.join(DEFAULT_ROOT, "build", "exitcheck"))
    g.add_argument("--repo", default=DEFAULT_ROOT)
    e = sub.add_parser("expect")
    e.add_argument("dir")
    e.add_argument("--no-manifest", action="store_true")
    e.add_argument("--repo", default=DEFAULT_ROOT)
    e.add_argument("--details", action="store_true",
                   help="also print the oracle's working (the parts of the comprehensive rate)")
    c = sub.add_parser("check")
    c.add_argument("exitcheck")
    c.add_argument("repo_root")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "generate":
            os.makedirs(a.dir, exist_ok=True)
            generate(a.dir, a.seed, os.path.abspath(a.exitcheck), os.path.abspath(a.repo))
            return 0
        if a.cmd == "expect":
            man = os.path.join(a.dir, "manifest.csv")
            res = expect(a.dir, os.path.join(a.dir, "survey.csv"),
                         None if a.no_manifest or not os.path.exists(man) else man,
                         os.path.abspath(a.repo))
            if not a.details:
                res = strip_private(res)
            print(json.dumps(res, ensure_ascii=False, indent=2))
            return 0
    except OracleError as e:
        print(f"verify_oracle: {e}", file=sys.stderr)
        return 2
    return check(a.exitcheck, a.repo_root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
