#!/usr/bin/env python3
"""Independent oracle for `exitcheck sample` (SPEC §7.1, with the exit states of §3).

It re-implements, from the SPEC alone and without looking at exitcheck's
sources, how a field-verification sample is drawn: plan strata (first
`where` that holds wins, three-valued logic, unknown counts as not), the
exit states `registered`, `claimed`, `exited_earlier` and `exited`, the
SHA-256 selection numbers u = SHA-256(SEED "\\x1f" STRATUM "\\x1f" ID)[0:8]
/ 2^64, `srs` (smallest U, ties by id bytes; pi = n / N), `pps` (smallest
u / x, pi = min(1, n*x / sum x)), `take: all` (pi = 1), a household's pi as
its village's times its own, weight = 1 / pi, and the manifest CSV
(`level,unit_id,parent_id,county_id,stratum,pi,weight,u`, pi and weight as
"%.17g", u as 16 hex digits, villages by (county_id, village_id) and then
households by (county_id, village_id, household_id), in byte order).

Usage:

  sample_oracle.py generate DIR --seed N [--counties C]
                   [--villages-per-county V] [--households-per-village H]
      writes DIR/village.csv and DIR/household.csv: a random frame,
      deterministic in N (random.Random(N)), made to exercise the rules
      above (see generate()).

  sample_oracle.py manifest DIR PLAN SEED
      prints the manifest the SPEC requires for that frame, plan and seed.

  sample_oracle.py check EXITCHECK REPO_ROOT
      the self-test: for several generated frames, seeds and two plans it
      writes itself (one like the SPEC's example: pps villages, a take: all
      census stratum on the plan column dibao; one plain srs using the exit
      states), runs
          EXITCHECK sample DIR --plan PLAN --seed SEED \\
                    -r REPO_ROOT/rules/gansu --manifest OUT
      (cwd REPO_ROOT) and compares OUT byte for byte with its own manifest;
      runs it again on a copy of the frame with its data rows shuffled and
      checks the manifest is byte-identical; and checks the hand-worked
      fixture fixtures/sample/hand (its manifest.csv, and this oracle's own
      output for it). Prints each mismatch (the first differing lines) and
      a final line "N passed, M failed"; exits 1 when anything failed, 2
      when exitcheck cannot be run.

Python 3 standard library plus PyYAML.

Readings of the SPEC made here (each the literal text of §3/§7.1):
  - `registered`: the `registered` column (households) or `poor_village`
    (villages); a table without that column: every row is registered; an
    empty cell: unknown.
  - `claimed`: claimed_exit is yes, or exit_year == year; `exited_earlier`:
    exit_year < year; `exited`: either. A missing exit_year is "not exited"
    (§3) and a claimed_exit that is not yes does not claim, so these three
    are never unknown (as the `claims`/`exited` builtins of
    exitcheck-rules(5)).
  - pps: pi = min(1, (n*x) / sum x) with n = min(take, N); when the whole
    stratum is taken (N <= take) every unit is drawn with certainty and
    pi = 1. The SPEC states "1 when N <= n" beside srs only; exitcheck-plan(5)
    documents the same reading for pps (a unit drawn with certainty has
    pi = 1, else its weight would overstate it).
"""
import argparse
import csv
import hashlib
import io
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

YEAR = 2017

# --------------------------------------------------------------- values

MISSING = {"", "na", "n/a", "-"}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "有"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "无"}
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

# Types of the frame columns the oracle knows (SPEC §3, the Gansu pack).
HOUSEHOLD_TYPES = {
    "household_id": "text", "village_id": "text", "county_id": "text",
    "year": "integer", "members": "integer", "claimed_exit": "bool",
    "registered": "bool", "exit_year": "integer",
    "income_per_capita": "number", "consumption_per_capita": "number",
    "house_safe": "bool", "house_area_per_capita": "number",
    "safe_water": "bool", "tap_water_feasible": "bool", "tap_water": "bool",
    "school_age_children": "integer", "school_dropouts": "integer",
    "main_laborers": "integer", "laborers_trained": "integer",
    "income_source": "bool", "ncms_enrolled": "integer",
    "pension_eligible": "integer", "pension_enrolled": "integer",
    "toilet": "bool", "phone": "bool", "radio_tv": "bool", "internet": "bool",
    "debt_illness": "bool", "debt_schooling": "bool", "debt_marriage": "bool",
}
VILLAGE_TYPES = {
    "village_id": "text", "village_name": "text", "county_id": "text",
    "year": "integer", "claimed_exit": "bool", "poor_village": "bool",
    "exit_year": "integer", "population": "integer",
    "poor_population": "integer", "poverty_rate": "number",
}
EXIT_STATES = ("registered", "claimed", "exited_earlier", "exited")


class OracleError(Exception):
    pass


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


# Three-valued logic: True, False, None (unknown).
def t_and(a, b):
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def t_or(a, b):
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def t_not(a):
    return None if a is None else (not a)


# --------------------------------------------------------------- expressions
# Grammar (as exitcheck-rules(5)):
#   expr -> and { ('or'|'||') and }     and -> not { ('and'|'&&') not }
#   not  -> ('not'|'!') not | cmp       cmp -> sum [ op sum ]
#   sum  -> prod { ('+'|'-') prod }     prod -> unary { ('*'|'/') unary }
#   unary -> '-' unary | primary
#   primary -> NUMBER | STRING | true | false | NAME | '(' expr ')'

TOKEN_RE = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?|\.\d+) |
    (?P<str>'[^']*'|"[^"]*") |
    (?P<name>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<op><=|>=|==|!=|&&|\|\||[<>!()+\-*/])
)""", re.X)


def tokenize(src):
    out, pos = [], 0
    src = src.rstrip()
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m or m.end() == pos:
            raise OracleError(f"cannot parse expression {src!r} at {pos}")
        pos = m.end()
        if m.group("num") is not None:
            out.append(("num", float(m.group("num"))))
        elif m.group("str") is not None:
            out.append(("str", m.group("str")[1:-1]))
        elif m.group("name") is not None:
            out.append(("name", m.group("name")))
        else:
            out.append(("op", m.group("op")))
    out.append(("end", None))
    return out


class Parser:
    """Parses an expression into nested tuples."""

    def __init__(self, src):
        self.src = src
        self.toks = tokenize(src)
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def is_op(self, *ops):
        k, v = self.peek()
        return (k == "op" and v in ops) or (k == "name" and v in ops)

    def parse(self):
        e = self.expr()
        if self.peek()[0] != "end":
            raise OracleError(f"trailing input in {self.src!r}")
        return e

    def expr(self):
        e = self.and_()
        while self.is_op("or", "||"):
            self.take()
            e = ("or", e, self.and_())
        return e

    def and_(self):
        e = self.not_()
        while self.is_op("and", "&&"):
            self.take()
            e = ("and", e, self.not_())
        return e

    def not_(self):
        if self.is_op("not", "!"):
            self.take()
            return ("not", self.not_())
        return self.cmp()

    def cmp(self):
        e = self.sum()
        if self.is_op("<", "<=", ">", ">=", "==", "!="):
            op = self.take()[1]
            e = ("cmp", op, e, self.sum())
            if self.is_op("<", "<=", ">", ">=", "==", "!="):
                raise OracleError(f"comparisons do not chain: {self.src!r}")
        return e

    def sum(self):
        e = self.prod()
        while self.is_op("+", "-"):
            op = self.take()[1]
            e = ("arith", op, e, self.prod())
        return e

    def prod(self):
        e = self.unary()
        while self.is_op("*", "/"):
            op = self.take()[1]
            e = ("arith", op, e, self.unary())
        return e

    def unary(self):
        if self.is_op("-"):
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        k, v = self.take()
        if k == "num":
            return ("const", v)
        if k == "str":
            return ("const", v)
        if k == "name":
            if v == "true":
                return ("const", True)
            if v == "false":
                return ("const", False)
            if v in ("and", "or", "not"):
                raise OracleError(f"unexpected {v!r} in {self.src!r}")
            return ("name", v)
        if k == "op" and v == "(":
            e = self.expr()
            if self.take() != ("op", ")"):
                raise OracleError(f"missing ')' in {self.src!r}")
            return e
        raise OracleError(f"unexpected token {v!r} in {self.src!r}")


def evaluate(e, env):
    kind = e[0]
    if kind == "const":
        return e[1]
    if kind == "name":
        return env(e[1])
    if kind == "and":
        return t_and(as_bool(evaluate(e[1], env)), as_bool(evaluate(e[2], env)))
    if kind == "or":
        return t_or(as_bool(evaluate(e[1], env)), as_bool(evaluate(e[2], env)))
    if kind == "not":
        return t_not(as_bool(evaluate(e[1], env)))
    if kind == "neg":
        v = evaluate(e[1], env)
        return None if v is None else -as_num(v)
    if kind == "arith":
        a, b = evaluate(e[2], env), evaluate(e[3], env)
        if a is None or b is None:
            return None
        a, b = as_num(a), as_num(b)
        op = e[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b
    if kind == "cmp":
        op, a, b = e[1], evaluate(e[2], env), evaluate(e[3], env)
        if a is None or b is None:
            return None
        if isinstance(a, bool) != isinstance(b, bool) or isinstance(a, str) != isinstance(b, str):
            raise OracleError(f"comparison of different types: {a!r} {op} {b!r}")
        if isinstance(a, bool) and op not in ("==", "!="):
            raise OracleError("ordering of booleans")
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
                "==": a == b, "!=": a != b}[op]
    raise OracleError(f"bad node {e!r}")


def as_bool(v):
    if v is None or isinstance(v, bool):
        return v
    raise OracleError(f"not a boolean: {v!r}")


def as_num(v):
    if isinstance(v, bool) or not isinstance(v, float):
        raise OracleError(f"not a number: {v!r}")
    return v


# --------------------------------------------------------------- frame

def read_table(path):
    """Returns (header, rows): rows are dicts with '_line' (first physical line)."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    header = [h.strip() for h in header]
    rows = []
    for rec in reader:
        if rec == [] or rec == [""]:
            continue
        row = dict(zip(header, rec))
        rows.append(row)
    return header, rows


def exit_env(row, level, header, types, year_default=YEAR):
    """The exit-state names of §3 for one row."""
    reg_col = "registered" if level == "household" else "poor_village"
    if reg_col in header:
        registered = to_bool(row.get(reg_col), reg_col)
    else:
        registered = True
    year = to_number(row.get("year"), "year") if "year" in header else None
    ey = to_number(row.get("exit_year"), "exit_year") if "exit_year" in header else None
    ce = to_bool(row.get("claimed_exit"), "claimed_exit") if "claimed_exit" in header else None
    claimed = (ce is True) or (ey is not None and year is not None and ey == year)
    earlier = ey is not None and year is not None and ey < year
    return {"registered": registered, "claimed": claimed,
            "exited_earlier": earlier, "exited": claimed or earlier}


def make_env(row, level, header, types):
    states = exit_env(row, level, header, types)

    def env(name):
        if name in EXIT_STATES:
            return states[name]
        if name not in types:
            raise OracleError(f"{level}: unknown name {name!r} in where")
        if name not in header:
            raise OracleError(f"{level}: column {name!r} not in the table")
        return typed(row.get(name), types[name], name)
    return env


# --------------------------------------------------------------- plan

def load_plan(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        plan = yaml.safe_load(f)
    if not isinstance(plan, dict):
        raise OracleError("plan: not a mapping")
    extra = {"household": {}, "village": {}}
    for level, cols in (plan.get("columns") or {}).items():
        for name, spec in (cols or {}).items():
            typ = spec.get("type") if isinstance(spec, dict) else spec
            extra.setdefault(level, {})[str(name)] = str(typ)

    def strata(key):
        out = []
        for s in plan.get(key) or []:
            take = s.get("take")
            if take != "all":
                take = int(take)
            where = s.get("where")
            out.append({
                "id": str(s["id"]),
                "where": None if where is None else Parser(str(where)).parse(),
                "take": take,
                "method": str(s.get("method", "srs")),
                "size": s.get("size"),
            })
        return out
    return strata("villages"), strata("households"), extra


def stratum_of(row, strata, env):
    for s in strata:
        if s["where"] is None or evaluate(s["where"], env) is True:
            return s
    return None


# --------------------------------------------------------------- selection

def u_bytes(seed, stratum, uid):
    return hashlib.sha256((seed + "\x1f" + stratum + "\x1f" + uid).encode("utf-8")).digest()[:8]


def draw(units, s, seed):
    """units: list of (id, x). Returns {id: (pi, hex_u)} for the selected units."""
    info = []
    for uid, x in units:
        b = u_bytes(seed, s["id"], uid)
        info.append((uid, int.from_bytes(b, "big"), b.hex(), x))
    N = len(info)
    if s["take"] == "all":
        return {uid: (1.0, h) for uid, _, h, _ in info}
    n = min(s["take"], N)
    if s["method"] == "srs":
        info.sort(key=lambda t: (t[1], t[0].encode("utf-8")))
        pi = 1.0 if N <= s["take"] else n / N
        return {uid: (pi, h) for uid, _, h, _ in info[:n]}
    if s["method"] == "pps":
        total = math.fsum(x for _, _, _, x in info)
        info.sort(key=lambda t: ((float(t[1]) / 2**64) / t[3], t[0].encode("utf-8")))
        if N <= s["take"]:
            return {uid: (1.0, h) for uid, _, h, _ in info}
        return {uid: (min(1.0, (n * x) / total), h) for uid, _, h, x in info[:n]}
    raise OracleError(f"unknown method {s['method']!r}")


def csv_field(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def manifest(datadir, plan_path, seed):
    vstrata, hstrata, extra = load_plan(plan_path)
    vheader, villages = read_table(os.path.join(datadir, "village.csv"))
    hheader, households = read_table(os.path.join(datadir, "household.csv"))
    vtypes = dict(VILLAGE_TYPES, **extra.get("village", {}))
    htypes = dict(HOUSEHOLD_TYPES, **extra.get("household", {}))

    def size_of(row, s, level):
        v = to_number(row.get(s["size"]), s["size"])
        if v is None or v <= 0:
            raise OracleError(f"{level} {row}: missing or non-positive size")
        return v

    # Villages: strata within each county.
    vinfo = {}
    groups = {}
    for r in villages:
        s = stratum_of(r, vstrata, make_env(r, "village", vheader, vtypes))
        vid = r["village_id"].strip()
        vinfo[vid] = r
        if s is None:
            continue
        x = size_of(r, s, "village") if s["method"] == "pps" and s["take"] != "all" else None
        groups.setdefault((s["id"], r["county_id"].strip()), (s, []))[1].append((vid, x))
    vsel = {}
    for (sid, cid), (s, units) in groups.items():
        for vid, (pi, h) in draw(units, s, seed).items():
            vsel[vid] = (cid, sid, pi, h)

    # Households: strata within each selected village.
    groups = {}
    for r in households:
        vid = r["village_id"].strip()
        if vid not in vsel:
            continue
        s = stratum_of(r, hstrata, make_env(r, "household", hheader, htypes))
        if s is None:
            continue
        x = size_of(r, s, "household") if s["method"] == "pps" and s["take"] != "all" else None
        groups.setdefault((s["id"], vid), (s, []))[1].append((r["household_id"].strip(), x))
    hsel = {}
    for (sid, vid), (s, units) in groups.items():
        for hid, (pi, h) in draw(units, s, seed).items():
            hsel[hid] = (vid, sid, pi, h)

    lines = ["level,unit_id,parent_id,county_id,stratum,pi,weight,u"]
    vrows = sorted(vsel.items(), key=lambda kv: (kv[1][0].encode(), kv[0].encode()))
    for vid, (cid, sid, pi, h) in vrows:
        lines.append(",".join(csv_field(x) for x in
                              ["village", vid, cid, cid, sid, format(pi, ".17g"),
                               format(1.0 / pi, ".17g"), h]))
    hrows = []
    for hid, (vid, sid, hpi, h) in hsel.items():
        cid, _, vpi, _ = vsel[vid]
        pi = vpi * hpi
        hrows.append(((cid.encode(), vid.encode(), hid.encode()),
                      ["household", hid, vid, cid, sid, format(pi, ".17g"),
                       format(1.0 / pi, ".17g"), h]))
    hrows.sort(key=lambda t: t[0])
    for _, fields in hrows:
        lines.append(",".join(csv_field(x) for x in fields))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------- generator

BOOL_SPELLINGS = [("yes", "no"), ("Yes", "No"), ("y", "n"), ("TRUE", "false"),
                  ("1", "0"), ("是", "否"), ("有", "无")]
MISSING_SPELLINGS = ["", "", "", "NA", "N/A", "-"]
NAME_PARTS = ["王家", "李家", "张", "新庄", "河湾", "上川", "下川", "红崖", "石门",
              "杨柳", "马家", "东沟", "西坪", "草滩", "白杨", "青石"]

VILLAGE_HEADER = ["village_id", "village_name", "county_id", "year", "poor_village",
                  "population", "exit_year", "claimed_exit"]
HOUSEHOLD_HEADER = ["household_id", "village_id", "county_id", "year", "registered",
                    "members", "exit_year", "claimed_exit", "house_safe",
                    "income_per_capita", "dibao"]


def write_table(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def generate(outdir, seed, counties=4, vpc=5, hpv=12):
    """A random frame, deterministic in seed. It has: several counties with
    ids of different lengths (byte order differs from numeric order); poor,
    non-poor and unknown-poor villages, with a county that has exactly one
    poor village and one that has exactly one non-poor village; Chinese
    village names (one with a comma and a quote); villages with no, few and
    many households; registered, non-registered and unknown-registered
    households; exits this year (claimed_exit yes, or exit_year == year with
    claimed_exit no) and earlier; empty/NA/- cells in house_safe,
    income_per_capita, dibao, exit_year, claimed_exit; every boolean
    spelling; a few households whose village is not in village.csv."""
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    used = set()

    def new_id(prefix, lengths):
        while True:
            cand = prefix + "".join(rng.choice("0123456789") for _ in range(rng.choice(lengths)))
            if cand not in used:
                used.add(cand)
                return cand

    def b(v):
        if v is None:
            return rng.choice(MISSING_SPELLINGS)
        t, f = rng.choice(BOOL_SPELLINGS)
        return t if v else f

    cids = [new_id("62", [2, 3, 4]) for _ in range(max(2, counties))]
    vrows, vlist = [], []
    for ci, cid in enumerate(cids):
        nv = rng.randint(1, vpc + 2)
        if ci == 0:
            flags = [True, False, False] + [False] * max(0, nv - 3)  # one poor village
        elif ci == 1:
            flags = [True, True, True] + [True] * max(0, nv - 3) + [False]  # one non-poor
        else:
            flags = [rng.random() < 0.6 for _ in range(nv)]
        for vi, poor in enumerate(flags):
            if ci >= 2 and rng.random() < 0.08:
                poor = None  # unknown: in neither 'poor' nor 'not poor'
            vid = new_id(cid, [1, 2, 3, 4])
            name = rng.choice(NAME_PARTS) + rng.choice(["村", "庄村", "湾村"])
            if ci == 0 and vi == 0:
                name = '王家庄"东",一社'
            exit_year, claimed = "", b(False)
            if poor:
                k = rng.random()
                if k < 0.25:
                    claimed = b(True)
                elif k < 0.4:
                    exit_year, claimed = str(YEAR), b(rng.random() < 0.5)
                elif k < 0.65:
                    exit_year, claimed = str(rng.choice([2015, 2016])), b(False)
            pop = rng.randint(150, 3000)
            vrows.append([vid, name, cid, str(YEAR), b(poor), str(pop), exit_year, claimed])
            vlist.append((vid, cid))

    hrows = []

    def household(vid, cid):
        hid = new_id(vid, [1, 2, 3])
        k = rng.random()
        registered = True if k < 0.6 else (None if k < 0.66 else False)
        exit_year, claimed = "", b(False)
        if rng.random() < 0.05:
            exit_year = rng.choice(["NA", "-"])
        if registered:
            k = rng.random()
            if k < 0.2:
                claimed = b(True)
            elif k < 0.35:
                exit_year, claimed = str(YEAR), b(True)
            elif k < 0.45:
                exit_year, claimed = str(YEAR), b(False)
            elif k < 0.7:
                exit_year = str(rng.choice([2014, 2015, 2016]))
                claimed = b(False) if rng.random() < 0.8 else ""
        if rng.random() < 0.04 and claimed not in ("",) and not exit_year.isdigit():
            claimed = ""  # empty claimed_exit: does not claim
        house_safe = b(None if rng.random() < 0.1 else rng.random() < 0.8)
        inc = rng.random()
        if inc < 0.08:
            income = rng.choice(MISSING_SPELLINGS)
        elif inc < 0.5:
            income = str(rng.randint(1500, 9000))
        else:
            income = "%d.%d" % (rng.randint(1500, 9000), rng.randint(0, 9))
        dibao = b(None if rng.random() < 0.07 else rng.random() < 0.15)
        hrows.append([hid, vid, cid, str(YEAR), b(registered), str(rng.randint(1, 8)),
                      exit_year, claimed, house_safe, income, dibao])

    for vid, cid in vlist:
        k = rng.random()
        if k < 0.08:
            nh = 0
        elif k < 0.35:
            nh = rng.randint(1, 3)
        else:
            nh = rng.randint(max(1, hpv // 2), hpv * 2)
        for _ in range(nh):
            household(vid, cid)
    for _ in range(3):  # orphans: village not in village.csv
        household(new_id("99", [4, 6]), rng.choice(cids))
    rng.shuffle(vrows)
    rng.shuffle(hrows)
    write_table(os.path.join(outdir, "village.csv"), VILLAGE_HEADER, vrows)
    write_table(os.path.join(outdir, "household.csv"), HOUSEHOLD_HEADER, hrows)


def shuffle_copy(src, dst, seed):
    """Copies a frame with its data rows shuffled (header kept first)."""
    os.makedirs(dst, exist_ok=True)
    rng = random.Random(seed)
    for name in ("village.csv", "household.csv"):
        with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
            recs = list(csv.reader(f))
        body = recs[1:]
        rng.shuffle(body)
        write_table(os.path.join(dst, name), recs[0], body)


# --------------------------------------------------------------- self-test

PLAN_A = """\
plan: oracle-a
pack: gansu
columns:
  household: {dibao: bool}
villages:
  - {id: poor, where: poor_village, take: 2, method: pps, size: population}
  - {id: other, where: not poor_village, take: 1}
households:
  - {id: census, where: dibao or not house_safe, take: all}
  - {id: exited, where: registered and exited, take: 3}
  - {id: poor, where: registered and not exited, take: 2}
  - {id: ordinary, where: not registered, take: 2}
"""

PLAN_B = """\
plan: oracle-b
villages:
  - {id: exited, where: registered and exited, take: 1}
  - {id: rest, take: 2}
households:
  - {id: claimed, where: claimed, take: 2}
  - {id: earlier, where: exited_earlier, take: 1}
  - {id: low, where: "income_per_capita < 3500 && members >= 3", take: 2}
  - {id: rest, where: "registered || !(income_per_capita >= 6000)", take: 3, method: srs}
"""

# (generator seed, counties, villages per county, households per village, sample seeds)
FRAMES = [
    (1, 4, 5, 12, ["2017"]),
    (2, 3, 4, 8, ["抽样-甲"]),
    (3, 6, 6, 20, ["seed with space"]),
    (4, 2, 3, 5, ["hand-2017"]),
]


def first_diff(expected, got, limit=3):
    e, g = expected.splitlines(), got.splitlines()
    out = []
    for i in range(max(len(e), len(g))):
        a = e[i] if i < len(e) else "<none>"
        b = g[i] if i < len(g) else "<none>"
        if a != b:
            out.append(f"    line {i + 1}: expected {a!r}\n    line {i + 1}:      got {b!r}")
            if len(out) >= limit:
                break
    if len(e) != len(g):
        out.append(f"    ({len(e)} expected lines, {len(g)} got)")
    return "\n".join(out)


def check(exitcheck, root):
    exitcheck = os.path.abspath(exitcheck)
    root = os.path.abspath(root)
    rules = os.path.join(root, "rules", "gansu")
    if not (os.path.isfile(exitcheck) and os.access(exitcheck, os.X_OK)):
        print(f"cannot run exitcheck: {exitcheck!r} is not an executable file")
        return 2
    passed, failed = 0, 0

    def result(ok, name, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}" + (f"\n{detail}" if detail else ""))

    def run(datadir, plan, seed, out):
        if os.path.exists(out):
            os.remove(out)
        try:
            p = subprocess.run([exitcheck, "sample", datadir, "--plan", plan, "--seed", seed,
                                "-r", rules, "--manifest", out],
                               cwd=root, capture_output=True, timeout=60)
        except OSError as e:
            raise SystemExit(f"cannot run exitcheck: {e}") from None
        text = None
        if os.path.exists(out):
            with open(out, "rb") as f:
                text = f.read()
        return p.returncode, text, p.stderr.decode("utf-8", "replace")

    def compare(name, expected, rc, got, err):
        if rc != 0 or got is None:
            result(False, name, f"    exit {rc}, manifest {'written' if got is not None else 'not written'}"
                                f"\n    stderr: {err.strip()[:800]}")
            return
        exp = expected.encode("utf-8")
        if got == exp:
            result(True, name)
        else:
            result(False, name, first_diff(expected, got.decode("utf-8", "replace")))

    tmp = tempfile.mkdtemp(prefix="sample_oracle.")
    try:
        plans = {}
        for key, text in (("a", PLAN_A), ("b", PLAN_B)):
            plans[key] = os.path.join(tmp, f"plan-{key}.yaml")
            with open(plans[key], "w", encoding="utf-8") as f:
                f.write(text)

        # The hand-worked fixture: oracle and exitcheck against manifest.csv.
        hand = os.path.join(root, "fixtures", "sample", "hand")
        if os.path.isdir(hand):
            with open(os.path.join(hand, "manifest.csv"), encoding="utf-8", newline="") as f:
                want = f.read()
            mine = manifest(hand, os.path.join(hand, "plan.yaml"), "hand-2017")
            result(mine == want, "oracle on fixtures/sample/hand", first_diff(want, mine))
            rc, got, err = run(hand, os.path.join(hand, "plan.yaml"), "hand-2017",
                               os.path.join(tmp, "hand.csv"))
            compare("exitcheck on fixtures/sample/hand", want, rc, got, err)
        else:
            result(False, "fixtures/sample/hand", "    missing")

        for gseed, c, v, h, seeds in FRAMES:
            frame = os.path.join(tmp, f"frame{gseed}")
            generate(frame, gseed, c, v, h)
            shuffled = os.path.join(tmp, f"frame{gseed}-shuffled")
            shuffle_copy(frame, shuffled, gseed * 7919)
            for key, plan in plans.items():
                for seed in seeds:
                    name = f"frame {gseed} plan {key} seed {seed!r}"
                    try:
                        expected = manifest(frame, plan, seed)
                    except OracleError as e:
                        result(False, name, f"    oracle error: {e}")
                        continue
                    out = os.path.join(tmp, f"m{gseed}{key}.csv")
                    rc, got, err = run(frame, plan, seed, out)
                    compare(name, expected, rc, got, err)
                    rc2, got2, err2 = run(shuffled, plan, seed, out + ".shuffled")
                    if got is not None and rc == 0 and rc2 == 0 and got2 is not None:
                        result(got == got2, name + " (shuffled rows)",
                               first_diff(got.decode("utf-8", "replace"),
                                          got2.decode("utf-8", "replace")))
                    else:
                        compare(name + " (shuffled rows)", expected, rc2, got2, err2)
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
    g.add_argument("--counties", type=int, default=4)
    g.add_argument("--villages-per-county", type=int, default=5)
    g.add_argument("--households-per-village", type=int, default=12)
    m = sub.add_parser("manifest")
    m.add_argument("dir")
    m.add_argument("plan")
    m.add_argument("seed")
    c = sub.add_parser("check")
    c.add_argument("exitcheck")
    c.add_argument("repo_root")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        generate(a.dir, a.seed, a.counties, a.villages_per_county, a.households_per_village)
        return 0
    if a.cmd == "manifest":
        try:
            sys.stdout.buffer.write(manifest(a.dir, a.plan, a.seed).encode("utf-8"))
        except OracleError as e:
            print(f"sample_oracle: {e}", file=sys.stderr)
            return 2
        return 0
    return check(a.exitcheck, a.repo_root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
