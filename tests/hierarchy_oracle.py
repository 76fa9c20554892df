#!/usr/bin/env python3
"""Independent oracle for the hand-built hierarchies in fixtures/.

Usage: hierarchy_oracle.py EXITCHECK_BINARY REPO_ROOT [--fixture NAME]

NAME is one of:

  hierarchy (the default)  fixtures/hierarchy (2016), under the rules it was
                           built for (no status columns; a household is still
                           poor unless it claims exit and the claim is
                           supported; county figures from its villages'
                           households; exited villages recounted from this
                           year's supported claims).
  multiyear                fixtures/multiyear (2017): the status columns of
                           SPEC §3 "Status across years" (registered,
                           exit_year, poor_village) under the revised §3-§5.
  multiyear-no-village     fixtures/multiyear-no-village (2017): a county and
                           its households, no village table.
  hierarchy-revised        fixtures/hierarchy under the revised rules (its
                           orphan household then counts towards its county).

Re-implements, with the Python standard library only, what the fixtures
need of the Gansu pack (SPEC §3-§5): the 12 household, 17 village and 19
county targets with three-valued logic, the roll-ups, unit statuses, claims
and exits, wrong-exit rates by households and by people, and the exit
status. It runs exitcheck on the fixture, compares every unit and every
level's summary with its own computation, and checks the facts the fixture
was designed to exercise (the fixture's README.md) against hand-computed
values. A field the SPEC names that exitcheck's JSON lacks is a failure
naming the field.

Prints every mismatch and a final line "N passed, M failed"; exits 1 when
anything failed, 2 when exitcheck could not be run or its output read.
"""
import csv
import json
import math
import os
import subprocess
import sys

FIXTURE = "fixtures/hierarchy"
ARGS = ["check", FIXTURE, "-r", "rules/gansu", "--param", "province_budget_revenue_growth=8", "-f", "json"]

# Parameters by year (SPEC §2; province_budget_revenue_growth from --param).
PARAMS = {
    "poverty_line": {2016: 2952.0},
    "province_rural_income": {2016: 7457.0},
    "province_rural_income_growth": {2016: 7.51},
}
BUDGET_GROWTH_PARAM = 8.0  # --param: applies to every year

# Tolerances beyond which a reported figure is flagged as differing (the pack's).
TOLERANCE = {"poverty_rate": 0.5, "poor_population": 0.0, "poor_villages_exited": 0.0}

EPS = 1e-9

# ---------------------------------------------------------------- values

MISSING = {"", "na", "n/a", "-"}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "有"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "无"}


def cell(row, col):
    v = row.get(col)
    if v is None:
        return None
    v = v.strip()
    return None if v.lower() in MISSING else v


def num(row, col):
    v = cell(row, col)
    if v is None:
        return None
    if v.endswith("%") or v.endswith("％"):
        v = v[:-1]
    return float(v)


def boolean(row, col):
    v = cell(row, col)
    if v is None:
        return None
    if v.lower() in TRUE_WORDS:
        return True
    if v.lower() in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value in {col}: {v!r}")


# Three-valued logic: True (met), False (not met), None (unknown).
def AND(*xs):
    if any(x is False for x in xs):
        return False
    if any(x is None for x in xs):
        return None
    return True


def OR(*xs):
    if any(x is True for x in xs):
        return True
    if any(x is None for x in xs):
        return None
    return False


def NOT(x):
    return None if x is None else (not x)


def cmp(a, op, b):
    if a is None or b is None:
        return None
    return {">": a > b, ">=": a >= b, "<": a < b, "==": a == b}[op]


def param(name, year):
    if name == "province_budget_revenue_growth":
        return BUDGET_GROWTH_PARAM
    return PARAMS[name].get(year)


def status_word(x):
    return {True: "pass", False: "fail", None: "unknown"}[x]


# ---------------------------------------------------------------- targets

def household_targets(r):
    y = int(r["year"])
    pl, pri = param("poverty_line", y), param("province_rural_income", y)
    inc = num(r, "income_per_capita")
    return {
        "H01": AND(cmp(inc, ">", pl), cmp(inc, ">=", pri)),
        "H02": AND(boolean(r, "house_safe"), cmp(num(r, "house_area_per_capita"), ">=", 30)),
        "H03": AND(boolean(r, "safe_water"), OR(NOT(boolean(r, "tap_water_feasible")), boolean(r, "tap_water"))),
        "H04": cmp(num(r, "school_dropouts"), "==", 0),
        "H05": cmp(num(r, "laborers_trained"), ">=", num(r, "main_laborers")),
        "H06": boolean(r, "income_source"),
        "H07": cmp(num(r, "ncms_enrolled"), ">=", num(r, "members")),
        "H08": cmp(num(r, "pension_enrolled"), ">=", num(r, "pension_eligible")),
        "H09": boolean(r, "toilet"),
        "H10": AND(boolean(r, "phone"), boolean(r, "radio_tv"), boolean(r, "internet")),
        "H11": AND(NOT(boolean(r, "debt_illness")), NOT(boolean(r, "debt_schooling")), NOT(boolean(r, "debt_marriage"))),
        "H12": cmp(num(r, "consumption_per_capita"), ">=", pl),
    }


def village_targets(r, rate):
    """rate: the poverty rate judged (recomputed where there is household data)."""
    y = int(r["year"])
    n = lambda c: num(r, c)
    return {
        "V01": AND(cmp(n("poor_income_per_capita"), ">", param("poverty_line", y)),
                   cmp(n("poor_income_growth"), ">", param("province_rural_income_growth", y))),
        "V02": cmp(rate, "<", 8),
        "V03": AND(cmp(n("roads_to_town"), ">=", 1), cmp(n("bus_routes"), ">=", 1)),
        "V04": cmp(n("hardened_road_rate"), ">=", 100),
        "V05": AND(cmp(n("safe_water_rate"), ">=", 100), cmp(n("tap_water_rate"), ">=", 96)),
        "V06": boolean(r, "power"),
        "V07": AND(cmp(n("safe_house_rate"), ">=", 100), cmp(n("house_area_rate"), ">=", 90)),
        "V08": cmp(n("industries"), ">=", 1),
        "V09": cmp(n("education_consolidation_rate"), ">=", 95),
        "V10": cmp(n("ncms_rate"), ">=", 95),
        "V11": AND(cmp(n("standard_clinics"), ">=", 1), cmp(n("doctors"), ">=", 1)),
        "V12": cmp(n("pension_rate"), ">=", 95),
        "V13": AND(cmp(n("household_toilet_rate"), ">=", 80), cmp(n("sanitary_toilet_rate"), ">=", 70)),
        "V14": cmp(n("culture_centers"), ">=", 1),
        "V15": AND(cmp(n("phone_rate"), ">=", 95), cmp(n("tv_central_rate"), ">=", 98),
                   cmp(n("tv_local_rate"), ">=", 50), cmp(n("internet_rate"), ">=", 25)),
        "V16": cmp(n("mutual_fund_associations"), ">=", 1),
        "V17": cmp(n("two_students_trained"), ">=", n("two_students_willing")),
    }


def county_targets(r, rate, exited):
    y = int(r["year"])
    n = lambda c: num(r, c)
    return {
        "C01": cmp(n("rural_income_growth"), ">", param("province_rural_income_growth", y)),
        "C02": cmp(rate, "<", 8),
        "C03": cmp(exited, ">=", n("poor_villages")),
        "C04": cmp(n("budget_revenue_growth"), ">", param("province_budget_revenue_growth", y)),
        "C05": AND(cmp(n("paved_road_village_rate"), ">=", 100), cmp(n("bus_village_rate"), ">=", 95)),
        "C06": cmp(n("natural_village_road_rate"), ">=", 70),
        "C07": AND(cmp(n("safe_water_rate"), ">=", 100), cmp(n("tap_water_rate"), ">=", 96)),
        "C08": cmp(n("power_village_rate"), ">=", 100),
        "C09": AND(cmp(n("safe_house_rate"), ">=", 100), cmp(n("house_area_rate"), ">=", 90)),
        "C10": cmp(n("education_consolidation_rate"), ">=", 95),
        "C11": cmp(n("ncms_rate"), ">=", 95),
        "C12": AND(cmp(n("culture_room_village_rate"), ">=", 100), cmp(n("culture_facility_rate"), ">=", 100)),
        "C13": AND(cmp(n("standard_clinic_rate"), ">=", 95), cmp(n("doctors_per_thousand"), ">=", 1.95)),
        "C14": cmp(n("pension_rate"), ">=", 95),
        "C15": AND(cmp(n("household_toilet_rate"), ">=", 80), cmp(n("sanitary_toilet_rate"), ">=", 70)),
        "C16": AND(cmp(n("phone_rate"), ">=", 95), cmp(n("tv_central_rate"), ">=", 98),
                   cmp(n("tv_local_rate"), ">=", 50), cmp(n("internet_rate"), ">=", 25)),
        "C17": cmp(n("mutual_fund_village_rate"), ">=", 100),
        "C18": cmp(n("water_per_agri_value"), "<", 1500),
        "C19": cmp(n("social_safety_index"), ">=", 100),
    }


def unit_status(targets):
    vals = list(targets.values())
    if any(v is False for v in vals):
        return "fail"
    if all(v is True for v in vals):
        return "pass"
    return "unknown"


def claim_of(claims, status):
    if not claims:
        return "none"
    return {"pass": "supported", "fail": "wrong_exit", "unknown": "unsupported"}[status]


def rate(part, whole):
    """part / whole x 100, None where undefined (division by zero, unknown)."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * 100


# ---------------------------------------------------------------- oracle

def read(root, name):
    with open(os.path.join(root, FIXTURE, name + ".csv"), newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def new_tally():
    return {"claimed": 0, "supported": 0, "wrong_exit": 0, "unsupported": 0}


def tally(t, claim):
    if claim != "none":
        t["claimed"] += 1
        t[claim] += 1


def compute(root):
    hrows, vrows, crows = read(root, "household"), read(root, "village"), read(root, "county")
    units = {}  # (level, id) -> dict
    villages = {r["village_id"]: r for r in vrows}
    counties = {r["county_id"]: r for r in crows}

    # households
    v_poor = {v: 0.0 for v in villages}
    v_hh = {v: 0 for v in villages}
    v_claims = {v: new_tally() for v in villages}
    for line, r in enumerate(hrows, start=2):
        t = household_targets(r)
        st = unit_status(t)
        cl = claim_of(boolean(r, "claimed_exit"), st)
        vid = r["village_id"]
        orphan = vid not in villages
        units[("household", r["household_id"])] = dict(status=st, claim=cl, targets=t, parent=vid, line=line,
                                                      orphan=orphan, members=num(r, "members"))
        if orphan:
            continue
        v_hh[vid] += 1
        tally(v_claims[vid], cl)
        if cl != "supported":  # still poor
            v_poor[vid] += num(r, "members")

    # villages
    c_poor = {c: 0.0 for c in counties}
    c_hh = {c: 0 for c in counties}
    c_claims = {c: new_tally() for c in counties}
    c_vil = {c: 0 for c in counties}
    c_exited = {c: 0 for c in counties}
    for line, r in enumerate(vrows, start=2):
        vid, cid = r["village_id"], r["county_id"]
        recomputed, reported = {}, {}
        judged_rate = num(r, "poverty_rate")
        if v_hh[vid]:
            recomputed["poverty_rate"] = rate(v_poor[vid], num(r, "population"))
            recomputed["poor_population"] = v_poor[vid]
            reported = {"poverty_rate": num(r, "poverty_rate"), "poor_population": num(r, "poor_population")}
            judged_rate = recomputed["poverty_rate"]
            recomputed["wrong_exit_rate"] = rate(v_claims[vid]["wrong_exit"], v_claims[vid]["claimed"])
        t = village_targets(r, judged_rate)
        st = unit_status(t)
        claims = boolean(r, "claimed_exit")
        cl = claim_of(claims, st)
        differs = [k for k in ("poverty_rate", "poor_population")
                   if k in reported and abs(reported[k] - recomputed[k]) > TOLERANCE[k] + EPS]
        units[("village", vid)] = dict(status=st, claim=cl, targets=t, parent=cid, line=line, orphan=cid not in counties,
                                       recomputed=recomputed, reported=reported, differs=differs,
                                       children=v_hh[vid], claims_below=v_claims[vid])
        if cid not in counties:
            continue
        c_vil[cid] += 1
        c_poor[cid] += v_poor[vid]
        c_hh[cid] += v_hh[vid]
        for k in v_claims[vid]:
            c_claims[cid][k] += v_claims[vid][k]
        if claims and st == "pass":
            c_exited[cid] += 1

    # counties
    for line, r in enumerate(crows, start=2):
        cid = r["county_id"]
        recomputed, reported = {}, {}
        judged_rate, judged_exited = num(r, "poverty_rate"), num(r, "poor_villages_exited")
        if c_hh[cid]:
            recomputed["poverty_rate"] = rate(c_poor[cid], num(r, "rural_population"))
            recomputed["poor_population"] = c_poor[cid]
            reported["poverty_rate"] = num(r, "poverty_rate")
            reported["poor_population"] = num(r, "poor_population")
            judged_rate = recomputed["poverty_rate"]
        if c_vil[cid]:
            recomputed["poor_villages_exited"] = float(c_exited[cid])
            reported["poor_villages_exited"] = num(r, "poor_villages_exited")
            judged_exited = recomputed["poor_villages_exited"]
        if c_hh[cid] or c_vil[cid]:
            recomputed["wrong_exit_rate"] = rate(c_claims[cid]["wrong_exit"], c_claims[cid]["claimed"])
        t = county_targets(r, judged_rate, judged_exited)
        st = unit_status(t)
        cl = claim_of(boolean(r, "claimed_exit"), st)
        differs = [k for k in ("poverty_rate", "poor_population", "poor_villages_exited")
                   if k in reported and abs(reported[k] - recomputed[k]) > TOLERANCE[k] + EPS]
        units[("county", cid)] = dict(status=st, claim=cl, targets=t, parent=None, line=line, orphan=False,
                                      recomputed=recomputed, reported=reported, differs=differs,
                                      children=c_vil[cid], claims_below=c_claims[cid])

    # summaries
    summary = {}
    for level in ("county", "village", "household"):
        # no waiver file: nothing holds by waiver and no target is waived
        s = {"units": 0, "pass": 0, "fail": 0, "unknown": 0, "warn": 0, "by_waiver": 0, "supported_by_waiver": 0,
             "orphans": 0, "differs": 0}
        s.update(new_tally())
        tf = {}
        for (lv, _), u in units.items():
            if lv != level:
                continue
            s["units"] += 1
            s[u["status"]] += 1
            tally(s, u["claim"])
            s["orphans"] += bool(u["orphan"])
            s["differs"] += len(u.get("differs", []))  # figures, not units (man exitcheck(1))
            for tid, v in u["targets"].items():
                d = tf.setdefault(tid, {"fail": 0, "unknown": 0, "warn": 0, "waived": 0})
                if v is False:
                    d["fail"] += 1
                elif v is None:
                    d["unknown"] += 1
        s["wrong_exit_rate"] = rate(s["wrong_exit"], s["claimed"])
        s["targets"] = tf
        summary[level] = s
    return units, summary


# ---------------------------------------------------------------- comparing

class Score:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("MISMATCH: " + message)


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=0, abs_tol=EPS)


def compare(sc, units, summary, report):
    got_units = {}
    for u in report.get("units", []):
        key = (u.get("level"), u.get("id"))
        sc.check(key not in got_units, f"{key[0]} {key[1]} appears more than once in the report")
        got_units[key] = u
    for key in sorted(set(got_units) - set(units)):
        sc.check(False, f"{key[0]} {key[1]} is in the report but not in the fixture")
    for key in sorted(units, key=lambda k: (["county", "village", "household"].index(k[0]), k[1])):
        level, uid = key
        want = units[key]
        got = got_units.get(key)
        name = f"{level} {uid}"
        if got is None:
            sc.check(False, f"{name} is missing from the report")
            continue
        sc.check(got.get("status") == want["status"], f"{name} status: expected {want['status']}, got {got.get('status')}")
        sc.check(got.get("claim") == want["claim"], f"{name} claim: expected {want['claim']}, got {got.get('claim')}")
        sc.check(got.get("parent") == want["parent"], f"{name} parent: expected {want['parent']}, got {got.get('parent')}")
        sc.check(got.get("line") == want["line"], f"{name} line: expected {want['line']}, got {got.get('line')}")
        sc.check(bool(got.get("orphan", False)) == want["orphan"],
                 f"{name} orphan: expected {want['orphan']}, got {got.get('orphan', False)}")
        gt = {t.get("id"): t for t in got.get("targets", [])}
        sc.check(list(gt) == list(want["targets"]),
                 f"{name} targets: expected {list(want['targets'])}, got {list(gt)}")
        for tid, v in want["targets"].items():
            g = gt.get(tid, {}).get("status")
            sc.check(g == status_word(v), f"{name} {tid}: expected {status_word(v)}, got {g}")
        if level == "household":
            continue
        rec = got.get("recomputed", {})
        for k in ("poverty_rate", "poor_population", "poor_villages_exited"):
            if k in want["recomputed"]:
                sc.check(same_number(rec.get(k), want["recomputed"][k]),
                         f"{name} recomputed {k}: expected {want['recomputed'][k]}, got {rec.get(k, 'nothing')}")
            elif not (level == "village" and k == "poor_villages_exited"):
                sc.check(k not in rec, f"{name} recomputed {k}: expected nothing (no child data), got {rec.get(k)}")
        w = want["recomputed"].get("wrong_exit_rate")
        # A rate with no claims below is undefined: absent or null.
        sc.check(same_number(rec.get("wrong_exit_rate"), w),
                 f"{name} wrong_exit_rate: expected {w}, got {rec.get('wrong_exit_rate', 'nothing')}")
        rep = got.get("reported", {})
        for k, v in want["reported"].items():
            sc.check(same_number(rep.get(k), v), f"{name} reported {k}: expected {v}, got {rep.get(k, 'nothing')}")
        sc.check(sorted(got.get("differs", [])) == sorted(want["differs"]),
                 f"{name} differs: expected {want['differs']}, got {got.get('differs')}")
        sc.check(got.get("children") == want["children"],
                 f"{name} children: expected {want['children']}, got {got.get('children')}")
        sc.check(got.get("claims_below") == want["claims_below"],
                 f"{name} claims below: expected {want['claims_below']}, got {got.get('claims_below')}")
    gs = report.get("summary", {})
    for level, want in summary.items():
        got = gs.get(level, {})
        for k in ("units", "pass", "fail", "unknown", "warn", "by_waiver", "claimed", "supported",
                  "supported_by_waiver", "wrong_exit", "unsupported", "orphans", "differs"):
            sc.check(got.get(k) == want[k], f"summary.{level}.{k}: expected {want[k]}, got {got.get(k)}")
        sc.check(same_number(got.get("wrong_exit_rate"), want["wrong_exit_rate"]),
                 f"summary.{level}.wrong_exit_rate: expected {want['wrong_exit_rate']}, got {got.get('wrong_exit_rate')}")
        sc.check(got.get("targets") == want["targets"],
                 f"summary.{level}.targets: expected {want['targets']}, got {got.get('targets')}")


# ---------------------------------------------------------------- designed facts
# Hand-computed from the design in fixtures/hierarchy/README.md. Each is checked
# against exitcheck's report and against the oracle's own computation.

def designed_facts():
    """Returns the unit facts (message, expected, getter over a view) and the
    summary facts (message, expected, level, key)."""
    F = []

    def unit_fact(level, uid, what, expected, get):
        F.append((f"{level} {uid} {what}", expected, lambda u, lv=level, i=uid, g=get: g(u.get((lv, i)))))

    def target(tid):
        return lambda u: None if u is None else u["target_status"].get(tid)

    def field(name):
        return lambda u: None if u is None else u.get(name)

    def rec(name):
        return lambda u: None if u is None else u["recomputed"].get(name)

    def rep(name):
        return lambda u: None if u is None else u["reported"].get(name)

    # V02 flips to not met
    unit_fact("village", "620001003", "V02 flips: reported poverty_rate 3.2 (would meet)", 3.2, rep("poverty_rate"))
    unit_fact("village", "620001003", "V02 flips: recomputed poverty_rate 11/125 = 8.8", 8.8, rec("poverty_rate"))
    unit_fact("village", "620001003", "V02 flips: recomputed 8.8 not met", "fail", target("V02"))
    unit_fact("village", "620001003", "claim (V02 flip makes the exit wrong)", "wrong_exit", field("claim"))
    unit_fact("village", "620001003", "recomputed poor_population 11 (reported 4)", 11, rec("poor_population"))
    # V02 flips to met
    unit_fact("village", "620002002", "V02 flips: reported poverty_rate 9 (would not meet)", 9, rep("poverty_rate"))
    unit_fact("village", "620002002", "V02 flips: recomputed poverty_rate 14/200 = 7.0", 7.0, rec("poverty_rate"))
    unit_fact("village", "620002002", "V02 flips: recomputed 7.0 met", "pass", target("V02"))
    unit_fact("village", "620002002", "claim (supported thanks to the recomputation)", "supported", field("claim"))
    # C03 flips
    unit_fact("county", "620001", "C03 flips: reported poor_villages_exited 5 (= poor_villages 5, would meet)", 5,
              rep("poor_villages_exited"))
    unit_fact("county", "620001", "C03 flips: recount (620001001, 620001002 claim and are supported) = 2", 2,
              rec("poor_villages_exited"))
    unit_fact("county", "620001", "C03 flips: recount 2 < 5 not met", "fail", target("C03"))
    unit_fact("county", "620001", "claim (C03 flip makes the exit wrong)", "wrong_exit", field("claim"))
    unit_fact("county", "620001", "C02 met: recomputed poverty_rate 75/2000 = 3.75", 3.75, rec("poverty_rate"))
    unit_fact("county", "620001", "C04 met with province_budget_revenue_growth=8 (9.3 > 8)", "pass", target("C04"))
    unit_fact("county", "620001", "wrong-exit rate over its households 12/45", 12 / 45 * 100, rec("wrong_exit_rate"))
    unit_fact("county", "620002", "C03 met: recount 5 of 5 (incl. 620002002 and 620002003)", 5,
              rec("poor_villages_exited"))
    unit_fact("county", "620002", "recomputed poverty_rate 65/2400 (orphan and 620002003 not counted)", 65 / 2400 * 100,
              rec("poverty_rate"))
    unit_fact("county", "620002", "status", "pass", field("status"))
    unit_fact("county", "620002", "claim", "supported", field("claim"))
    unit_fact("county", "620002", "wrong-exit rate over its households 7/34 (orphan not counted)", 7 / 34 * 100,
              rec("wrong_exit_rate"))
    # wrong village exit on another target
    unit_fact("village", "620001004", "V05 not met (tap_water_rate 90 < 96)", "fail", target("V05"))
    unit_fact("village", "620001004", "V02 met (9/180 = 5.0)", "pass", target("V02"))
    unit_fact("village", "620001004", "claim", "wrong_exit", field("claim"))
    # unsupported village claim
    unit_fact("village", "620001005", "V11 unknown (doctors missing)", "unknown", target("V11"))
    unit_fact("village", "620001005", "claim", "unsupported", field("claim"))
    unit_fact("village", "620001005", "wrong-exit rate 3/7", 3 / 7 * 100, rec("wrong_exit_rate"))
    # village with no households
    unit_fact("village", "620002003", "has no recomputed poverty_rate (no households)", None, rec("poverty_rate"))
    unit_fact("village", "620002003", "V02 judged on the reported 4", "pass", target("V02"))
    unit_fact("village", "620002003", "claim", "supported", field("claim"))
    # household wrong exits, unsupported claims, supported village
    unit_fact("village", "620001002", "recomputed poverty_rate 17/250 = 6.8", 6.8, rec("poverty_rate"))
    unit_fact("village", "620001002", "wrong-exit rate 3/9", 3 / 9 * 100, rec("wrong_exit_rate"))
    unit_fact("village", "620001002", "claim", "supported", field("claim"))
    unit_fact("village", "620001001", "wrong-exit rate 0/9", 0, rec("wrong_exit_rate"))
    unit_fact("village", "620001006", "not claiming: claim", "none", field("claim"))
    unit_fact("village", "620002006", "not claiming, V02 not met (19/160 = 11.875)", "fail", target("V02"))
    unit_fact("village", "620002006", "status", "fail", field("status"))
    unit_fact("village", "620002006", "claim", "none", field("claim"))
    unit_fact("village", "620002005", "boundary values: status", "pass", field("status"))
    unit_fact("village", "620002005", "wrong-exit rate 2/9", 2 / 9 * 100, rec("wrong_exit_rate"))
    for hid, tid, st, cl in [
        ("62000100206", "H01", "fail", "wrong_exit"),        # income 7000 < 7457
        ("62000100207", "H04", "fail", "wrong_exit"),        # a school dropout
        ("62000100208", "H11", "fail", "wrong_exit"),        # debt for illness
        ("62000100209", "H01", "unknown", "unsupported"),    # income missing
        ("62000100208", "H01", "pass", "wrong_exit"),
        ("62000100503", "H03", "pass", "supported"),         # not feasible or (missing) = met
        ("62000100504", "H02", "unknown", "unsupported"),    # safe and (missing) = unknown
        ("62000100505", "H02", "fail", "wrong_exit"),        # unsafe and (missing) = not met
        ("62000100406", "H03", "pass", "supported"),         # tap water not feasible
        ("62000100405", "H03", "fail", "wrong_exit"),
        ("62000200205", "H01", "fail", "wrong_exit"),        # income 2952 = the line, not above it
        ("62000200408", "H04", "unknown", "unsupported"),    # dropouts NA
        ("62000200501", "H01", "pass", "supported"),         # income exactly 7457
        ("62000200502", "H02", "pass", "supported"),         # area exactly 30
        ("62000200503", "H12", "pass", "supported"),         # consumption exactly 2952
        ("62000200505", "H01", "fail", "wrong_exit"),        # income 7456
        ("62000200506", "H02", "fail", "wrong_exit"),        # area 29.9
        ("62000200406", "H11", "fail", "wrong_exit"),        # debt for schooling
        ("62000200407", "H11", "fail", "wrong_exit"),        # debt for marriage
        ("62000100408", "H05", "fail", "none"),               # not claiming: fails, no claim
        ("62000100604", "H09", "fail", "wrong_exit"),        # no sanitary toilet
        ("62000100605", "H10", "fail", "wrong_exit"),        # no internet
    ]:
        unit_fact("household", hid, f"{tid}", st, target(tid))
        unit_fact("household", hid, "claim", cl, field("claim"))
    unit_fact("household", "62000209901", "is an orphan (village 620002099 not in the village table)", True,
              field("orphan"))
    unit_fact("household", "62000209901", "claim (evaluated all the same)", "wrong_exit", field("claim"))
    # summaries
    S = []
    for level, k, v in [
        ("household", "units", 101), ("household", "pass", 73), ("household", "fail", 25),
        ("household", "unknown", 3), ("household", "claimed", 80), ("household", "wrong_exit", 20),
        ("household", "unsupported", 3), ("household", "supported", 57), ("household", "wrong_exit_rate", 25.0), ("household", "orphans", 1),
        ("village", "units", 12), ("village", "pass", 8), ("village", "fail", 3), ("village", "unknown", 1),
        ("village", "claimed", 10), ("village", "supported", 7), ("village", "wrong_exit", 2),
        ("village", "unsupported", 1), ("village", "wrong_exit_rate", 20.0), ("village", "differs", 4),
        ("county", "units", 2), ("county", "pass", 1), ("county", "fail", 1), ("county", "claimed", 2), ("county", "supported", 1),
        ("county", "wrong_exit", 1), ("county", "wrong_exit_rate", 50.0), ("county", "differs", 1),
    ]:
        S.append((f"summary.{level}.{k}", v, level, k))
    return F, S


def oracle_view(units):
    out = {}
    for key, u in units.items():
        out[key] = dict(status=u["status"], claim=u["claim"], orphan=u["orphan"],
                        target_status={t: status_word(v) for t, v in u["targets"].items()},
                        recomputed=u.get("recomputed", {}), reported=u.get("reported", {}))
    return out


def report_view(report):
    out = {}
    for u in report.get("units", []):
        out[(u.get("level"), u.get("id"))] = dict(
            status=u.get("status"), claim=u.get("claim"), orphan=bool(u.get("orphan", False)),
            target_status={t.get("id"): t.get("status") for t in u.get("targets", [])},
            recomputed=u.get("recomputed", {}) or {}, reported=u.get("reported", {}) or {})
    return out


def same(expected, got):
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return same_number(got, expected)
    return got == expected


def check_facts(sc, units, summary, report):
    facts, sfacts = designed_facts()
    views = (("exitcheck", report_view(report)), ("oracle", oracle_view(units)))
    for source, view in views:
        for message, expected, get in facts:
            got = get(view)
            sc.check(same(expected, got), f"design ({source}): {message}: expected {expected}, got {got}")
    for source, summ in (("exitcheck", report.get("summary", {})), ("oracle", summary)):
        for message, expected, level, k in sfacts:
            got = summ.get(level, {}).get(k)
            sc.check(same(expected, got), f"design ({source}): {message}: expected {expected}, got {got}")
    sc.check(report.get("exit_status", 1) == 1, f"design (exitcheck): exit_status in the report: expected 1, got "
                                                  f"{report.get('exit_status')}")


# ================================================================ revised §3-§5
# The rules of the revised SPEC §3 ("Status across years"), §4 ("Claims and
# exits", "Roll-ups") and §5 (exit status, JSON report), for the fixtures with
# status columns (fixtures/multiyear, fixtures/multiyear-no-village). The
# functions above stay as they were for fixtures/hierarchy, called as before.
#
# - A unit of data year Y claims exit this year when claimed_exit is yes or
#   exit_year = Y; it exited earlier when exit_year < Y. (exit_year > Y, or
#   claimed_exit yes with an earlier exit_year, is a data error: the exit_year
#   cell is then read as missing.)
# - Absent `registered` column: every household is registered. Absent
#   `poor_village` column: every village is a poor village.
# - Each exit, this year's or earlier, is supported (pass/warn), a wrong exit
#   (fail) or unsupported (unknown).
# - A household is still poor when it is registered and has not exited, or has
#   exited with a wrong or unsupported exit. Non-registered households count
#   in no poverty figure.
# - Village figures from its households (village_id); county figures from its
#   households directly (their own county_id, else their village's county),
#   with or without a village table; exited poor villages recounted as the
#   county's poor villages whose exit (this year's or earlier) is supported.
# - Wrong-exit rates over this year's household exits only, by households and
#   by people (members).

REVISED_FIXTURES = {
    "multiyear": {
        "dir": "fixtures/multiyear",
        "args": ["--param", "poverty_line=3335", "--param", "province_budget_revenue_growth=8"],
        "exit_status": 1,
    },
    "multiyear-no-village": {
        "dir": "fixtures/multiyear-no-village",
        "args": ["--param", "poverty_line=3335", "--param", "province_budget_revenue_growth=8"],
        "exit_status": 1,
    },
    # The first fixture under the revised rules: its orphan household
    # 62000209901 (county_id 620002) now counts towards county 620002.
    "hierarchy-revised": {
        "dir": "fixtures/hierarchy",
        "args": ["--param", "province_budget_revenue_growth=8"],
        "exit_status": 1,
    },
}

# The pack's values by year (rules/gansu/params.yaml) ...
PACK_PARAMS = {
    "poverty_line": {2014: 2800.0, 2015: 2855.0, 2016: 2952.0, 2019: 3218.0, 2020: 4000.0},
    "province_rural_income": {2014: 6277.0, 2015: 6936.0, 2016: 7457.0, 2017: 8076.0, 2018: 8804.0,
                              2019: 9629.0, 2020: 10344.3},
    "province_rural_income_growth": {2015: 10.50, 2016: 7.51, 2017: 8.30, 2018: 9.01, 2019: 9.37, 2020: 7.4},
    "province_budget_revenue_growth": {},
}
# ... and the figures each level's people-weighted wrong-exit rate is weighted by.
PEOPLE = {"household": "members", "village": "population", "county": "rural_population"}
LEVELS = ("county", "village", "household")
OUTCOME = {"pass": "supported", "warn": "supported", "fail": "wrong_exit", "unknown": "unsupported"}


def overrides_of(args):
    out = {}
    for a, b in zip(args, args[1:]):
        if a == "--param":
            k, v = b.split("=", 1)
            out[k] = float(v)
    return out


def make_param(overrides):
    def p(name, year):
        if name in overrides:
            return overrides[name]
        return PACK_PARAMS[name].get(year)
    return p


def read_table(root, directory, name):
    path = os.path.join(root, directory, name + ".csv")
    if not os.path.exists(path):
        return None
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def exit_of(r):
    """none | this_year | earlier, per SPEC §3 "Status across years"."""
    y = int(r["year"])
    claimed = boolean(r, "claimed_exit") if "claimed_exit" in r else None
    ey = num(r, "exit_year") if "exit_year" in r else None
    if ey is not None and (ey > y or (claimed and ey < y)):
        ey = None  # a data error at that cell: read as missing
    if claimed or ey == y:
        return "this_year"
    if ey is not None and ey < y:
        return "earlier"
    return "none"


def flag(r, col):
    """registered / poor_village: an absent column means yes."""
    if col not in r:
        return True
    v = boolean(r, col)
    return True if v is None else v


def status_of(targets):
    return unit_status(targets)


def new_rev_tally():
    return {"claimed": 0, "supported": 0, "wrong_exit": 0, "unsupported": 0, "people": 0.0, "wrong_people": 0.0,
            "people_known": True}


def rev_tally(t, exit_, claim, weight):
    if exit_ != "this_year":
        return
    t["claimed"] += 1
    t[claim] += 1
    if weight is None:
        t["people_known"] = False
    else:
        t["people"] += weight
        if claim == "wrong_exit":
            t["wrong_people"] += weight


def rates_of(t):
    hh = rate(t["wrong_exit"], t["claimed"]) if t["claimed"] else None
    people = rate(t["wrong_people"], t["people"]) if t["claimed"] and t["people_known"] else None
    return hh, people


def compute_revised(root, fx):
    overrides = overrides_of(fx["args"])
    prm = make_param(overrides)
    global param
    saved = param
    param = prm  # the target functions above read their parameters through param()
    try:
        return _compute_revised(root, fx)
    finally:
        param = saved


def _compute_revised(root, fx):
    d = fx["dir"]
    hrows, vrows, crows = (read_table(root, d, n) for n in ("household", "village", "county"))
    units = {}
    villages = {r["village_id"]: r for r in vrows} if vrows is not None else None
    counties = {r["county_id"]: r for r in crows} if crows is not None else {}

    v_hh, v_poor, v_t = {}, {}, {}
    c_hh, c_poor, c_t = {}, {}, {}
    for line, r in enumerate(hrows or [], start=2):
        t = household_targets(r)
        st = status_of(t)
        ex = exit_of(r)
        cl = "none" if ex == "none" else OUTCOME[st]
        reg = flag(r, "registered")
        poor = reg and (ex == "none" or cl in ("wrong_exit", "unsupported"))
        m = num(r, "members")
        vid = r["village_id"]
        orphan = villages is not None and vid not in villages
        cid = cell(r, "county_id")
        if cid is None and villages is not None and vid in villages:
            cid = villages[vid]["county_id"]
        units[("household", r["household_id"])] = dict(
            status=st, claim=cl, exit=ex, targets=t, parent=vid, line=line, orphan=orphan, registered=reg,
            still_poor=poor, members=m, county=cid, weight=m, recomputed={}, reported={}, differs=[])
        if villages is not None and not orphan:
            v_hh[vid] = v_hh.get(vid, 0) + 1
            v_poor[vid] = v_poor.get(vid, 0.0) + (m if poor else 0.0)
            rev_tally(v_t.setdefault(vid, new_rev_tally()), ex, cl, m)
        if cid is not None:
            c_hh[cid] = c_hh.get(cid, 0) + 1
            c_poor[cid] = c_poor.get(cid, 0.0) + (m if poor else 0.0)
            rev_tally(c_t.setdefault(cid, new_rev_tally()), ex, cl, m)

    c_vil, c_exited = {}, {}
    for line, r in enumerate(vrows or [], start=2):
        vid, cid = r["village_id"], r["county_id"]
        recomputed, reported = {}, {}
        judged = num(r, "poverty_rate")
        if v_hh.get(vid):
            recomputed["poverty_rate"] = rate(v_poor[vid], num(r, "population"))
            recomputed["poor_population"] = v_poor[vid]
            reported = {"poverty_rate": num(r, "poverty_rate"), "poor_population": num(r, "poor_population")}
            judged = recomputed["poverty_rate"]
            recomputed["wrong_exit_rate"], recomputed["wrong_exit_rate_people"] = rates_of(v_t[vid])
        t = village_targets(r, judged)
        st = status_of(t)
        ex = exit_of(r)
        cl = "none" if ex == "none" else OUTCOME[st]
        poor_village = flag(r, "poor_village")
        differs = [k for k in reported
                   if reported[k] is not None and recomputed[k] is not None
                   and abs(reported[k] - recomputed[k]) > TOLERANCE[k] + EPS]
        units[("village", vid)] = dict(status=st, claim=cl, exit=ex, targets=t, parent=cid, line=line,
                                       orphan=cid not in counties, poor_village=poor_village,
                                       recomputed=recomputed, reported=reported, differs=differs,
                                       weight=num(r, "population"))
        c_vil[cid] = c_vil.get(cid, 0) + 1
        if poor_village and cl == "supported":
            c_exited[cid] = c_exited.get(cid, 0) + 1

    for line, r in enumerate(crows or [], start=2):
        cid = r["county_id"]
        recomputed, reported = {}, {}
        judged_rate, judged_exited = num(r, "poverty_rate"), num(r, "poor_villages_exited")
        if c_hh.get(cid):
            recomputed["poverty_rate"] = rate(c_poor[cid], num(r, "rural_population"))
            recomputed["poor_population"] = c_poor[cid]
            reported["poverty_rate"] = num(r, "poverty_rate")
            reported["poor_population"] = num(r, "poor_population")
            judged_rate = recomputed["poverty_rate"]
            recomputed["wrong_exit_rate"], recomputed["wrong_exit_rate_people"] = rates_of(c_t[cid])
        if c_vil.get(cid):
            recomputed["poor_villages_exited"] = float(c_exited.get(cid, 0))
            reported["poor_villages_exited"] = num(r, "poor_villages_exited")
            judged_exited = recomputed["poor_villages_exited"]
        t = county_targets(r, judged_rate, judged_exited)
        st = status_of(t)
        ex = exit_of(r)
        cl = "none" if ex == "none" else OUTCOME[st]
        differs = [k for k in reported
                   if reported[k] is not None and recomputed[k] is not None
                   and abs(reported[k] - recomputed[k]) > TOLERANCE[k] + EPS]
        units[("county", cid)] = dict(status=st, claim=cl, exit=ex, targets=t, parent=None, line=line, orphan=False,
                                      recomputed=recomputed, reported=reported, differs=differs,
                                      weight=num(r, "rural_population"))

    tables = {"household": hrows, "village": vrows, "county": crows}
    summary = {}
    for level in LEVELS:
        if tables[level] is None:
            continue
        # no waiver file: nothing holds by waiver and no target is waived
        s = {"units": 0, "pass": 0, "fail": 0, "unknown": 0, "warn": 0, "by_waiver": 0, "supported_by_waiver": 0,
             "orphans": 0, "differs": 0}
        tl = new_rev_tally()
        early = {"exited": 0, "supported": 0, "wrong_exit": 0, "unsupported": 0}
        tf = {}
        for (lv, _), u in units.items():
            if lv != level:
                continue
            s["units"] += 1
            s[u["status"]] += 1
            rev_tally(tl, u["exit"], u["claim"], u["weight"])
            if u["exit"] == "earlier":
                early["exited"] += 1
                early[u["claim"]] += 1
            s["orphans"] += bool(u["orphan"])
            s["differs"] += len(u["differs"])
            for tid, v in u["targets"].items():
                dd = tf.setdefault(tid, {"fail": 0, "unknown": 0, "warn": 0, "waived": 0})
                if v is False:
                    dd["fail"] += 1
                elif v is None:
                    dd["unknown"] += 1
        for k in ("claimed", "supported", "wrong_exit", "unsupported"):
            s[k] = tl[k]
        s["wrong_exit_rate"], s["wrong_exit_rate_people"] = rates_of(tl)
        s["earlier"] = early
        s["targets"] = tf
        summary[level] = s

    # SPEC §5: 0 when every exit claimed this year, at every level, is supported
    # and no earlier exit is a wrong exit; with no exit at all, 0 when every unit
    # meets; 1 otherwise.
    exits = [u for u in units.values() if u["exit"] != "none"]
    if exits:
        ok = all(u["claim"] == "supported" for u in exits if u["exit"] == "this_year") and \
            not any(u["claim"] == "wrong_exit" for u in exits if u["exit"] == "earlier")
    else:
        ok = all(u["status"] in ("pass", "warn") for u in units.values())
    return units, summary, (0 if ok else 1), tables


def compare_revised(sc, units, summary, tables, report):
    got_units = {}
    for u in report.get("units", []):
        key = (u.get("level"), u.get("id"))
        sc.check(key not in got_units, f"{key[0]} {key[1]} appears more than once in the report")
        got_units[key] = u
    for key in sorted(set(got_units) - set(units)):
        sc.check(False, f"{key[0]} {key[1]} is in the report but not in the fixture")
    for key in sorted(units, key=lambda k: (LEVELS.index(k[0]), k[1])):
        level, uid = key
        want = units[key]
        got = got_units.get(key)
        name = f"{level} {uid}"
        if got is None:
            sc.check(False, f"{name} is missing from the report")
            continue
        for k in ("status", "claim", "exit"):
            if k not in got:
                sc.check(False, f"{name}: the report lacks the field '{k}' (SPEC §5)")
            else:
                sc.check(got[k] == want[k], f"{name} {k}: expected {want[k]}, got {got[k]}")
        sc.check(got.get("parent") == want["parent"], f"{name} parent: expected {want['parent']}, got {got.get('parent')}")
        sc.check(got.get("line") == want["line"], f"{name} line: expected {want['line']}, got {got.get('line')}")
        sc.check(bool(got.get("orphan", False)) == want["orphan"],
                 f"{name} orphan: expected {want['orphan']}, got {got.get('orphan', False)}")
        gt = {t.get("id"): t for t in got.get("targets", [])}
        sc.check(list(gt) == list(want["targets"]),
                 f"{name} targets: expected {list(want['targets'])}, got {list(gt)}")
        for tid, v in want["targets"].items():
            g = gt.get(tid, {}).get("status")
            sc.check(g == status_word(v), f"{name} {tid}: expected {status_word(v)}, got {g}")
        # The targets reading a recomputed figure show the value judged.
        for tid, k in (("V02", "poverty_rate"), ("C02", "poverty_rate"), ("C03", "poor_villages_exited")):
            obs = gt.get(tid, {}).get("observed")
            if k in want["recomputed"] and isinstance(obs, dict) and k in obs:
                sc.check(same_number(obs[k], want["recomputed"][k]),
                         f"{name} {tid} observed {k}: expected the recomputed {want['recomputed'][k]}, got {obs[k]}")
        rec = got.get("recomputed") or {}
        for k in ("poverty_rate", "poor_population", "poor_villages_exited", "wrong_exit_rate",
                  "wrong_exit_rate_people"):
            if k in want["recomputed"]:
                w = want["recomputed"][k]
                if k not in rec and w is not None:
                    sc.check(False, f"{name}: the report lacks the field 'recomputed.{k}' (expected {w})")
                else:
                    sc.check(same_number(rec.get(k), w), f"{name} recomputed {k}: expected {w}, got {rec.get(k)}")
            elif k in ("poverty_rate", "poor_population", "poor_villages_exited"):
                sc.check(rec.get(k) is None, f"{name} recomputed {k}: expected nothing (no child data), got {rec.get(k)}")
        rep = got.get("reported") or {}
        for k, v in want["reported"].items():
            if k not in rep:
                sc.check(False, f"{name}: the report lacks the field 'reported.{k}' (expected {v})")
            else:
                sc.check(same_number(rep.get(k), v), f"{name} reported {k}: expected {v}, got {rep.get(k)}")
        if "differs" in got:
            sc.check(sorted(got["differs"] or []) == sorted(want["differs"]),
                     f"{name} differs: expected {want['differs']}, got {got['differs']}")
    gs = report.get("summary", {})
    for level in LEVELS:
        want = summary.get(level)
        got = gs.get(level)
        if want is None:  # no table of that level: no units there
            sc.check(got is None or got.get("units", 0) == 0,
                     f"summary.{level}: no {level} table was given, yet units = {None if got is None else got.get('units')}")
            continue
        if got is None:
            sc.check(False, f"the report lacks the field 'summary.{level}'")
            continue
        for k in ("units", "pass", "fail", "unknown", "warn", "claimed", "supported", "wrong_exit", "unsupported",
                  "orphans"):
            if k not in got:
                sc.check(False, f"the report lacks the field 'summary.{level}.{k}'")
            else:
                sc.check(got[k] == want[k], f"summary.{level}.{k}: expected {want[k]}, got {got[k]}")
        for k in ("wrong_exit_rate", "wrong_exit_rate_people"):
            if k not in got:
                sc.check(False, f"the report lacks the field 'summary.{level}.{k}' (expected {want[k]})")
            else:
                sc.check(same_number(got[k], want[k]), f"summary.{level}.{k}: expected {want[k]}, got {got[k]}")
        ge = got.get("earlier")
        if not isinstance(ge, dict):
            sc.check(False, f"the report lacks the field 'summary.{level}.earlier' (expected {want['earlier']})")
        else:
            for k, v in want["earlier"].items():
                if k not in ge:
                    sc.check(False, f"the report lacks the field 'summary.{level}.earlier.{k}'")
                else:
                    sc.check(ge[k] == v, f"summary.{level}.earlier.{k}: expected {v}, got {ge[k]}")
        if "differs" in got:
            sc.check(got["differs"] == want["differs"],
                     f"summary.{level}.differs: expected {want['differs']}, got {got['differs']}")
        if "targets" in got:
            sc.check(got["targets"] == want["targets"],
                     f"summary.{level}.targets: expected {want['targets']}, got {got['targets']}")
    # Every row is accounted for (SPEC §4).
    for i in report.get("inputs", []):
        lv = i.get("level")
        if tables.get(lv) is not None:
            sc.check(i.get("rows_read") == len(tables[lv]),
                     f"inputs {lv} rows_read: expected {len(tables[lv])}, got {i.get('rows_read')}")
    for lv in LEVELS:
        if tables[lv] is not None:
            sc.check(any(i.get("level") == lv for i in report.get("inputs", [])), f"inputs: no entry for the {lv} table")


# ---------------------------------------------------------------- designed facts (revised)
# Hand-computed in fixtures/multiyear/README.md and fixtures/multiyear-no-village/README.md.

def _pct(a, b):
    return a / b * 100


def revised_facts(name):
    F, S = [], []

    def u(level, uid, what, expected, key, sub=None):
        def get(view, lv=level, i=uid, k=key, s=sub):
            x = view.get((lv, i))
            if x is None:
                return None
            x = x.get(k)
            if s is not None:
                x = None if x is None else x.get(s)
            return x
        F.append((f"{level} {uid} {what}", expected, get))

    def s(level, key, expected, sub=None):
        S.append((f"summary.{level}.{key}" + (f".{sub}" if sub else ""), expected, level, key, sub))

    def summary_row(level, units, ps, fl, unk, claimed, sup, wrong, unsup, wer, werp, early, orphans):
        for k, v in (("units", units), ("pass", ps), ("fail", fl), ("unknown", unk), ("warn", 0),
                     ("claimed", claimed), ("supported", sup), ("wrong_exit", wrong), ("unsupported", unsup),
                     ("wrong_exit_rate", wer), ("wrong_exit_rate_people", werp), ("orphans", orphans)):
            s(level, k, v)
        for k, v in zip(("exited", "supported", "wrong_exit", "unsupported"), early):
            s(level, "earlier", v, k)

    if name == "multiyear":
        # County 620101: the C03 reproduction.
        c = "620101"
        u("county", c, "exit (claimed_exit yes)", "this_year", "exit")
        u("county", c, "claim", "supported", "claim")
        u("county", c, "status", "pass", "status")
        u("county", c, "C03: recount of poor villages exited (3 earlier + 2 this year) = 5", 5, "recomputed",
          "poor_villages_exited")
        u("county", c, "C03 met: 5 >= poor_villages 5", "pass", "target_status", "C03")
        u("county", c, "recomputed poor_population 5+15+5+10+5+3 = 43", 43, "recomputed", "poor_population")
        u("county", c, "recomputed poverty_rate 43/1500", _pct(43, 1500), "recomputed", "poverty_rate")
        u("county", c, "wrong_exit_rate 3/13 (household exits this year)", _pct(3, 13), "recomputed", "wrong_exit_rate")
        u("county", c, "wrong_exit_rate_people 10/44", _pct(10, 44), "recomputed", "wrong_exit_rate_people")
        # County 620102: an earlier exit that is now wrong.
        c = "620102"
        u("county", c, "exit (exit_year 2016)", "earlier", "exit")
        u("county", c, "claim (earlier exit, now fails C03)", "wrong_exit", "claim")
        u("county", c, "status", "fail", "status")
        u("county", c, "recount of poor villages exited = 0", 0, "recomputed", "poor_villages_exited")
        u("county", c, "reported poor_villages_exited 4", 4, "reported", "poor_villages_exited")
        u("county", c, "C03 not met: 0 < 4", "fail", "target_status", "C03")
        u("county", c, "recomputed poor_population 2+6+9+16+0 + 12 of village 620102099 = 45", 45,
          "recomputed", "poor_population")
        u("county", c, "recomputed poverty_rate 45/1200 = 3.75", 3.75, "recomputed", "poverty_rate")
        u("county", c, "C02 met", "pass", "target_status", "C02")
        u("county", c, "wrong_exit_rate 3/9 (incl. village 620102099's households)", _pct(3, 9), "recomputed",
          "wrong_exit_rate")
        u("county", c, "wrong_exit_rate_people 12/32", 37.5, "recomputed", "wrong_exit_rate_people")
        # Villages.
        for vid, ex, cl, st, pr, pp, wer, werp in [
            ("620101001", "earlier", "supported", "pass", 2.5, 5, 0, 0),
            ("620101002", "earlier", "supported", "pass", 6.0, 15, _pct(1, 3), 62.5),
            ("620101003", "earlier", "supported", "pass", _pct(5, 180), 5, 0, 0),
            ("620101004", "this_year", "supported", "pass", 5.0, 10, _pct(1, 3), _pct(3, 11)),
            ("620101005", "this_year", "supported", "pass", 3.125, 5, _pct(1, 3), _pct(2, 9)),
            ("620101006", "none", "none", "pass", 1.0, 3, None, None),
            ("620102001", "earlier", "wrong_exit", "fail", _pct(2, 150), 2, 0, 0),
            ("620102002", "this_year", "unsupported", "unknown", 3.0, 6, 50.0, _pct(4, 7)),
            ("620102003", "this_year", "wrong_exit", "fail", 9.0, 9, 0, 0),
            ("620102004", "none", "none", "fail", _pct(16, 120), 16, 50.0, _pct(3, 9)),
            ("620102005", "none", "none", "pass", 0.0, 0, 0, 0),
        ]:
            u("village", vid, "exit", ex, "exit")
            u("village", vid, "claim", cl, "claim")
            u("village", vid, "status", st, "status")
            u("village", vid, "recomputed poverty_rate", pr, "recomputed", "poverty_rate")
            u("village", vid, "recomputed poor_population", pp, "recomputed", "poor_population")
            u("village", vid, "wrong_exit_rate", wer, "recomputed", "wrong_exit_rate")
            u("village", vid, "wrong_exit_rate_people", werp, "recomputed", "wrong_exit_rate_people")
        u("village", "620102001", "V05 not met (tap water 90)", "fail", "target_status", "V05")
        u("village", "620102002", "V11 unknown (doctors missing)", "unknown", "target_status", "V11")
        u("village", "620102003", "reported poverty_rate 4", 4, "reported", "poverty_rate")
        u("village", "620102003", "V02 flips on earlier wrong household exits: 9.0 not met", "fail",
          "target_status", "V02")
        u("village", "620102004", "V02 not met (13.33)", "fail", "target_status", "V02")
        # Households.
        for hid, ex, cl, st, tid, ts in [
            ("62010100101", "earlier", "supported", "pass", None, None),
            ("62010100103", "earlier", "supported", "pass", None, None),
            ("62010100104", "earlier", "wrong_exit", "fail", "H01", "fail"),
            ("62010100202", "earlier", "wrong_exit", "fail", "H02", "fail"),
            ("62010100203", "earlier", "unsupported", "unknown", "H04", "unknown"),
            ("62010200304", "earlier", "wrong_exit", "fail", "H09", "fail"),
            ("62010200305", "earlier", "wrong_exit", "fail", "H08", "fail"),
            ("62010200403", "earlier", "wrong_exit", "fail", "H06", "fail"),
            ("62010100106", "this_year", "supported", "pass", None, None),
            ("62010100305", "this_year", "supported", "pass", None, None),   # exit_year 2017, claimed_exit empty
            ("62010100306", "this_year", "supported", "pass", None, None),   # exit_year 2017, claimed_exit no
            ("62010100502", "this_year", "supported", "pass", None, None),   # both
            ("62010100307", "this_year", "supported", "pass", None, None),   # county_id empty
            ("62010100205", "this_year", "wrong_exit", "fail", "H11", "fail"),
            ("62010100402", "this_year", "wrong_exit", "fail", "H12", "fail"),
            ("62010100503", "this_year", "wrong_exit", "fail", "H05", "fail"),
            ("62010200202", "this_year", "wrong_exit", "fail", "H10", "fail"),
            ("62010200404", "this_year", "wrong_exit", "fail", "H07", "fail"),
            ("62010100403", "this_year", "unsupported", "unknown", "H01", "unknown"),
            ("62010100105", "none", "none", "pass", None, None),
            ("62010100304", "none", "none", "fail", "H01", "fail"),
            ("62010100602", "none", "none", "fail", "H01", "fail"),             # not registered
            ("62010100603", "none", "none", "fail", "H02", "fail"),             # not registered
            ("62010200306", "none", "none", "fail", "H01", "fail"),             # not registered
            ("62010200502", "none", "none", "fail", "H03", "fail"),             # not registered
            ("62010209901", "earlier", "wrong_exit", "fail", "H01", "fail"),    # orphan
            ("62010209903", "this_year", "supported", "pass", None, None),      # orphan
            ("62010209904", "this_year", "wrong_exit", "fail", "H11", "fail"),  # orphan
        ]:
            u("household", hid, "exit", ex, "exit")
            u("household", hid, "claim", cl, "claim")
            u("household", hid, "status", st, "status")
            if tid:
                u("household", hid, tid, ts, "target_status", tid)
        for hid in ("62010209901", "62010209902", "62010209903", "62010209904"):
            u("household", hid, "is an orphan (village 620102099 not in the village table)", True, "orphan")
        u("household", "62010100307", "parent", "620101003", "parent")
        summary_row("household", 62, 42, 18, 2, 22, 15, 6, 1, _pct(6, 22), _pct(22, 76), (20, 13, 6, 1), 4)
        summary_row("village", 11, 7, 3, 1, 4, 2, 1, 1, 25.0, _pct(100, 660), (4, 3, 1, 0), 0)
        summary_row("county", 2, 1, 1, 0, 1, 1, 0, 0, 0, 0, (1, 0, 1, 0), 0)
    elif name == "multiyear-no-village":
        c = "620201"
        u("county", c, "exit", "this_year", "exit")
        u("county", c, "claim (C02 fails on the recomputed rate)", "wrong_exit", "claim")
        u("county", c, "status", "fail", "status")
        u("county", c, "reported poverty_rate 3.75", 3.75, "reported", "poverty_rate")
        u("county", c, "recomputed poverty_rate 60/400 = 15", 15.0, "recomputed", "poverty_rate")
        u("county", c, "recomputed poor_population 60", 60, "recomputed", "poor_population")
        u("county", c, "C02 not met on the recomputed 15", "fail", "target_status", "C02")
        u("county", c, "C03 judged on the reported 3 >= 3 (no village table)", "pass", "target_status", "C03")
        u("county", c, "no recount of poor villages exited (no village table)", None, "recomputed",
          "poor_villages_exited")
        u("county", c, "wrong_exit_rate 1/3", _pct(1, 3), "recomputed", "wrong_exit_rate")
        u("county", c, "wrong_exit_rate_people 6/15", 40.0, "recomputed", "wrong_exit_rate_people")
        for hid, ex, cl, st in [
            ("62020100101", "none", "none", "pass"),
            ("62020100102", "earlier", "supported", "pass"),
            ("62020100103", "earlier", "wrong_exit", "fail"),
            ("62020100104", "this_year", "supported", "pass"),
            ("62020100105", "this_year", "wrong_exit", "fail"),
            ("62020100106", "this_year", "supported", "pass"),
            ("62020100107", "none", "none", "fail"),
            ("62020100216", "earlier", "unsupported", "unknown"),
        ]:
            u("household", hid, "exit", ex, "exit")
            u("household", hid, "claim", cl, "claim")
            u("household", hid, "status", st, "status")
        summary_row("household", 16, 12, 3, 1, 3, 2, 1, 0, _pct(1, 3), 40.0, (3, 1, 1, 1), 0)
        summary_row("county", 1, 0, 1, 0, 1, 0, 1, 0, 100.0, 100.0, (0, 0, 0, 0), 0)
    elif name == "hierarchy-revised":
        # The orphan 62000209901 (5 members, a wrong exit, county_id 620002) now
        # counts towards its county.
        u("county", "620002", "recomputed poor_population 65 + 5", 70, "recomputed", "poor_population")
        u("county", "620002", "recomputed poverty_rate 70/2400", _pct(70, 2400), "recomputed", "poverty_rate")
        u("county", "620002", "wrong_exit_rate 8/35", _pct(8, 35), "recomputed", "wrong_exit_rate")
        u("county", "620001", "recomputed poverty_rate 75/2000", 3.75, "recomputed", "poverty_rate")
        u("county", "620001", "recount of poor villages exited 2", 2, "recomputed", "poor_villages_exited")
    return F, S


def revised_oracle_view(units):
    return {k: dict(status=u["status"], claim=u["claim"], exit=u["exit"], orphan=u["orphan"], parent=u["parent"],
                    target_status={t: status_word(v) for t, v in u["targets"].items()},
                    recomputed=u["recomputed"], reported=u["reported"]) for k, u in units.items()}


def revised_report_view(report):
    out = {}
    for u in report.get("units", []):
        out[(u.get("level"), u.get("id"))] = dict(
            status=u.get("status"), claim=u.get("claim"), exit=u.get("exit"), orphan=bool(u.get("orphan", False)),
            parent=u.get("parent"), target_status={t.get("id"): t.get("status") for t in u.get("targets", [])},
            recomputed=u.get("recomputed", {}) or {}, reported=u.get("reported", {}) or {})
    return out


def check_revised_facts(sc, name, units, summary, expected_status, report, returncode):
    facts, sfacts = revised_facts(name)
    for source, view in (("exitcheck", revised_report_view(report)), ("oracle", revised_oracle_view(units))):
        for message, expected, get in facts:
            got = get(view)
            sc.check(same(expected, got), f"design ({source}): {message}: expected {expected}, got {got}")
    for source, summ in (("exitcheck", report.get("summary", {})), ("oracle", summary)):
        for message, expected, level, k, sub in sfacts:
            got = summ.get(level, {}).get(k)
            if sub is not None:
                got = got.get(sub) if isinstance(got, dict) else None
            sc.check(same(expected, got), f"design ({source}): {message}: expected {expected}, got {got}")
    want = REVISED_FIXTURES[name]["exit_status"]
    sc.check(expected_status == want, f"design (oracle): exit status: expected {want}, got {expected_status}")
    sc.check(returncode == want, f"design (exitcheck): exit status: expected {want}, got {returncode}")
    if "exit_status" in report:
        sc.check(report["exit_status"] == want,
                 f"design (exitcheck): exit_status in the report: expected {want}, got {report['exit_status']}")


def run_exitcheck(exe, root, args):
    try:
        p = subprocess.run([exe] + args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"cannot run {exe}: {e}", file=sys.stderr)
        return None, None
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print(f"exitcheck's output is not JSON ({e}); stderr was:\n{p.stderr.decode('utf-8', 'replace')}",
              file=sys.stderr)
        return None, None
    return p.returncode, report


def main(argv):
    args = argv[1:]
    fixture = "hierarchy"
    if "--fixture" in args:
        i = args.index("--fixture")
        if i + 1 >= len(args):
            args = []
        else:
            fixture = args[i + 1]
            args = args[:i] + args[i + 2:]
    if len(args) != 2 or (fixture != "hierarchy" and fixture not in REVISED_FIXTURES):
        print("usage: hierarchy_oracle.py EXITCHECK_BINARY REPO_ROOT [--fixture "
              + "|".join(["hierarchy"] + list(REVISED_FIXTURES)) + "]", file=sys.stderr)
        return 2
    exe, root = os.path.abspath(args[0]), args[1]
    sc = Score()
    if fixture == "hierarchy":
        rc, report = run_exitcheck(exe, root, ARGS)
        if report is None:
            return 2
        units, summary = compute(root)
        # Every claimed exit does not hold here: some are wrong, so the status is 1.
        sc.check(rc == 1, f"exit status: expected 1, got {rc}")
        compare(sc, units, summary, report)
        check_facts(sc, units, summary, report)
    else:
        fx = REVISED_FIXTURES[fixture]
        rc, report = run_exitcheck(exe, root, ["check", fx["dir"], "-r", "rules/gansu"] + fx["args"] + ["-f", "json"])
        if report is None:
            return 2
        units, summary, expected_status, tables = compute_revised(root, fx)
        sc.check(rc == expected_status, f"exit status: expected {expected_status}, got {rc}")
        compare_revised(sc, units, summary, tables, report)
        check_revised_facts(sc, fixture, units, summary, expected_status, report, rc)
    print(f"{sc.passed} passed, {sc.failed} failed")
    return 1 if sc.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
