#!/usr/bin/env python3
"""Independent oracle for the hand-built hierarchy in fixtures/hierarchy/.

Usage: hierarchy_oracle.py EXITCHECK_BINARY REPO_ROOT

Re-implements, with the Python standard library only, what the fixture
needs of the Gansu pack (SPEC §3-§4): the 12 household, 17 village and 19
county targets with three-valued logic, the roll-ups (a household is still
poor unless it claims exit and its claim is supported; village and county
poverty rate and poor population recomputed from households; a county's
exited poor villages recounted from its villages that claim exit and are
supported), unit statuses, claims and wrong-exit rates. It runs exitcheck
on the fixture, compares every unit and every level's summary with its own
computation, and checks the facts the fixture was designed to exercise
(fixtures/hierarchy/README.md) against hand-computed values.

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
        s = {"units": 0, "pass": 0, "fail": 0, "unknown": 0, "warn": 0, "orphans": 0, "differs": 0}
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
                d = tf.setdefault(tid, {"fail": 0, "unknown": 0, "warn": 0})
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
        for k in ("units", "pass", "fail", "unknown", "warn", "claimed", "supported", "wrong_exit", "unsupported",
                  "orphans", "differs"):
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


def main(argv):
    if len(argv) != 3:
        print("usage: hierarchy_oracle.py EXITCHECK_BINARY REPO_ROOT", file=sys.stderr)
        return 2
    exe, root = os.path.abspath(argv[1]), argv[2]
    try:
        p = subprocess.run([exe] + ARGS, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"cannot run {exe}: {e}", file=sys.stderr)
        return 2
    try:
        report = json.loads(p.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print(f"exitcheck's output is not JSON ({e}); stderr was:\n{p.stderr.decode('utf-8', 'replace')}",
              file=sys.stderr)
        return 2
    units, summary = compute(root)
    sc = Score()
    # Every claimed exit does not hold here: some are wrong, so the status is 1.
    sc.check(p.returncode == 1, f"exit status: expected 1, got {p.returncode}")
    compare(sc, units, summary, report)
    check_facts(sc, units, summary, report)
    print(f"{sc.passed} passed, {sc.failed} failed")
    return 1 if sc.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
