#!/usr/bin/env python3
"""The Excel workbook (-f xlsx) says what the other reports of the run say.

Usage: xlsx_report.py EXITCHECK REPO_ROOT

Checks `exitcheck check fixtures/demo`, written in one run as xlsx, units
and json, and read back with openpyxl (not in read-only mode), against the
units and json reports of the same run:

- the sheets, in order: Summary, one per level named by its title, the
  exits that do not hold, Figures, Problems; in Chinese with --lang zh;
- each sheet's header row; on a level sheet the targets' ids, then the
  values the targets read, as the json report's "observed" names them;
- each level sheet has one row per unit of the level in the units report,
  in its order, with the same id, parent, line, status and claim, a
  target column per target holding its status word, so the targets not
  met, unknown, warn and waived are exactly the units report's; ids are
  text, lines and numeric values numbers (equal to the json report's),
  yes/no values booleans; the village name on household rows is the one
  of its village's row;
- the header row is frozen and the autofilter covers every row written;
- the summary's counts and both wrong-exit rates are the json summary's,
  and it lists the SHA-256 of every file read;
- the exits sheet lists exactly the wrong and unsupported exits, the
  figures sheet every reported figure that was recomputed, the problems
  sheet every diagnostic;
- text from the data is never a formula, and a control character in it is
  replaced (the workbook still opens);
- two runs, more than 2 s apart and in different time zones, give
  byte-identical files (zip times have a 2 s resolution);
- `exitcheck sample fixtures/sample/hand -f xlsx`: the sheets Summary,
  Strata, Units drawn and Problems (in Chinese with --lang zh); the units
  sheet holds exactly the manifest's rows of the same run, id by id (ids
  text, pi and weight numbers), the strata sheet the json report's
  strata, the summary every SHA-256; byte-identical on a rerun;
- `exitcheck verify fixtures/verify/hand -f xlsx`: Summary, a sheet per
  county, Households, Accuracy, Problems (in Chinese with --lang zh); the
  four figures overall and per county are the json report's (estimate,
  standard error, margin of error, interval, sums, counts), each veto's
  threshold and margin; the households are the csv report's rows; the
  accuracy the json report's; byte-identical on a rerun;
- -f xlsx is refused on a terminal's standard output (check, sample and
  verify), and goes to standard output that is not a terminal;
- with soffice on PATH, LibreOffice converts the workbook to PDF.
Exits 1 with a list of what failed, 0 when all hold.
"""
import csv
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import time


def need_openpyxl():
    """openpyxl, from this python3 or Debian's (a pyenv python3 may lack
    the python3-openpyxl package that tools/install-deps.sh installs)."""
    try:
        import openpyxl  # noqa: F401
        return
    except ImportError:
        pass
    for py in ("/usr/bin/python3",):
        if os.path.exists(py) and os.path.realpath(py) != os.path.realpath(sys.executable) \
                and not os.environ.get("XLSX_REPORT_REEXEC"):
            env = dict(os.environ, XLSX_REPORT_REEXEC="1")
            os.execve(py, [py] + sys.argv, env)
    print("openpyxl is needed: apt-get install python3-openpyxl (tools/install-deps.sh)")
    sys.exit(1)


need_openpyxl()
import openpyxl  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

FAILS = []


def expect(cond, what):
    if not cond:
        FAILS.append(what)
    return cond


def run(exe, args, **kw):
    return subprocess.run([exe] + args, capture_output=True, **kw)


STATUS_WORD = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN", "warn": "WARN"}
CLAIM_WORD = {"none": "no claim", "supported": "claim supported", "wrong_exit": "WRONG EXIT",
              "unsupported": "claim unsupported"}
EARLIER_WORD = {"supported": "exit supported", "wrong_exit": "WRONG EXIT", "unsupported": "exit unsupported"}
TARGET_WORD = {"met": "pass", "not met": "fail", "unknown": "unknown", "warn": "warn", "waived": "waived"}
SHEETS_EN = ["Summary", "County", "Village", "Household", "Exits that do not hold", "Figures", "Problems"]
SHEETS_ZH = ["摘要", "县", "村", "户", "不成立的退出", "数据核对", "问题"]


def excel_text(s):
    """A string as Excel shows it: _xHHHH_ escapes decoded."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def frozen_and_filtered(ws, name):
    expect(ws.freeze_panes == "A2", f"{name}: header row not frozen ({ws.freeze_panes})")
    want = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    expect(ws.auto_filter.ref == want, f"{name}: autofilter {ws.auto_filter.ref}, want {want}")


def same_num(a, b):
    return isinstance(a, (int, float)) and not isinstance(a, bool) and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def check_cell_value(cell, v, where):
    """A cell against the json report's value of it."""
    if isinstance(v, bool):
        return expect(cell is v, f"{where}: {cell!r} is not the boolean {v}")
    if isinstance(v, (int, float)):
        return expect(same_num(cell, v), f"{where}: {cell!r} is not the number {v}")
    if isinstance(v, str):
        return expect(cell == v, f"{where}: {cell!r} is not the text {v!r}")
    return expect(isinstance(cell, str) and cell, f"{where}: an unknown value should say why, found {cell!r}")


def level_sheet(ws, lv_id, title, units_rows, json_units, parent_names):
    """One level's sheet against the units and json reports."""
    name = ws.title
    expect(name == title, f"sheet {name}: want the level's title {title}")
    data = rows(ws)
    head, body = data[0], data[1:]
    ju = [u for u in json_units if u["level"] == lv_id]
    expect(len(body) == len(units_rows) == len(ju),
           f"{name}: {len(body)} rows, the units report has {len(units_rows)} {lv_id} units")
    if not ju:
        return
    targets = [t["id"] for t in ju[0]["targets"]]
    observed = []
    for t in ju[0]["targets"]:
        for k in t["observed"]:
            if k not in observed:
                observed.append(k)
    fixed = ["id"] + (["name"] if "name" in ju[0] else [])
    if lv_id == "village":
        fixed += ["County id", "County name"]
    if lv_id == "household":
        fixed += ["Village id", "Village name"]
    fixed += ["line", "status", "claim", "exit"]
    if "children" in ju[0]:
        fixed += ["units below", "exits claimed below", "wrong exits below", "wrong-exit rate (%)",
                  "wrong-exit rate by people (%)"]
    expect(head == fixed + targets + observed, f"{name}: header {head}\n  want {fixed + targets + observed}")
    frozen_and_filtered(ws, name)
    col = {h: i for i, h in enumerate(head)}
    for n, (row, ur, j) in enumerate(zip(body, units_rows, ju), start=2):
        where = f"{name}!row {n}"
        if not expect(isinstance(row[0], str) and row[0] == ur["id"] == j["id"], f"{where}: id {row[0]!r}"):
            continue
        expect(isinstance(row[col["line"]], int) and row[col["line"]] == int(ur["line"]), f"{where}: line")
        expect(row[col["status"]] == STATUS_WORD[ur["status"]], f"{where}: status {row[col['status']]}")
        words = EARLIER_WORD if ur["exit"] == "earlier" else CLAIM_WORD
        expect(row[col["claim"]] == words.get(ur["claim"], CLAIM_WORD[ur["claim"]]), f"{where}: claim")
        if lv_id != "county":
            parent = "County" if lv_id == "village" else "Village"
            pid, pname = row[col[parent + " id"]], row[col[parent + " name"]]
            expect(pid == (ur["parent"] or None) and isinstance(pid, str), f"{where}: parent id {pid!r}")
            expect(pname == parent_names.get(ur["parent"]), f"{where}: parent name {pname!r}")
        # the failed targets in their own columns: the units report's lists
        got = {"fail": [], "unknown": [], "warn": [], "waived": [], "pass": []}
        for t in targets:
            word = row[col[t]]
            if expect(word in TARGET_WORD, f"{where}: {t} is {word!r}"):
                got[TARGET_WORD[word]].append(t)
        for key, status in (("not_met", "fail"), ("unknown", "unknown"), ("warn", "warn")):
            want = ur[key].split() if ur[key] else []
            expect(got[status] == want, f"{where}: {key} {got[status]}, the units report has {want}")
        for jt in j["targets"]:
            for k, v in jt["observed"].items():
                check_cell_value(row[col[k]], v, f"{where} {k}")
        if "children" in j:
            expect(row[col["units below"]] == j["children"], f"{where}: units below")
            r = j["recomputed"].get("wrong_exit_rate")
            c = row[col["wrong-exit rate (%)"]]
            expect((c is None and r is None) or same_num(c, r), f"{where}: wrong-exit rate {c} vs {r}")


def summary_sheet(ws, rep):
    data = rows(ws)
    first = [r[0] for r in data]
    expect(data[0][0].startswith("exitcheck "), "Summary: the title row")
    expect(first[1] == "Verdict" and isinstance(data[1][1], str) and data[1][1], "Summary: the verdict")
    expect(first[2] == "exit status" and data[2][1] == rep["exit_status"], "Summary: the exit status")
    expect(data[3][1:3] == ["exitcheck", rep["tool"]["version"]], "Summary: the tool's version")
    expect(data[4][1:3] == [rep["ruleset"]["id"], rep["ruleset"]["version"]], "Summary: the pack")
    at = next((i for i, r in enumerate(data) if r[0] == "level" and r[1] == "units"), None)
    if not expect(at is not None, "Summary: no table of counts"):
        return
    keys = ["units", "pass", "fail", "unknown", "warn", "claimed", "supported", "wrong_exit", "unsupported"]
    for k, (lv, s) in enumerate(rep["summary"].items()):
        r = data[at + 1 + k]
        for i, key in enumerate(keys):
            expect(isinstance(r[1 + i], int) and r[1 + i] == s[key], f"Summary {lv} {key}: {r[1 + i]!r} vs {s[key]}")
        for i, key in ((10, "wrong_exit_rate"), (11, "wrong_exit_rate_people")):
            expect((r[i] is None and s[key] is None) or same_num(r[i], s[key]), f"Summary {lv} {key}: {r[i]} vs {s[key]}")
        expect(r[12] == s["earlier"]["exited"] and r[13] == s["earlier"]["wrong_exit"], f"Summary {lv}: earlier exits")
    digests = {c for r in data for c in r if isinstance(c, str) and re.fullmatch(r"[0-9a-f]{64}", c)}
    want = {i["sha256"] for i in rep["inputs"]} | {f["sha256"] for f in rep["ruleset"]["files"]}
    expect(digests == want, f"Summary: SHA-256 {sorted(digests)}\n  want {sorted(want)}")


def exits_sheet(ws, units):
    data = rows(ws)
    expect(data[0] == ["level", "id", "name", "parent id", "parent name", "line", "claim", "exit",
                       "targets not met", "targets unknown"], f"exits: header {data[0]}")
    frozen_and_filtered(ws, ws.title)
    want = [(u["level"], u["id"], u["not_met"] or None) for u in units if u["claim"] in ("wrong_exit", "unsupported")]
    title = {"county": "County", "village": "Village", "household": "Household"}
    got = [(r[0], r[1], r[8]) for r in data[1:]]
    expect(got == [(title[a], b, c) for a, b, c in want], f"exits: {len(got)} rows, want {len(want)} (or they differ)")


def figures_sheet(ws, rep):
    data = rows(ws)
    expect(data[0] == ["level", "id", "name", "figure", "reported", "recomputed", "recomputed - reported",
                       "tolerance", "DIFFERS"], f"figures: header {data[0]}")
    frozen_and_filtered(ws, ws.title)
    want = [(u["id"], k, v, u["recomputed"][k], k in u["differs"])
            for u in rep["units"] if "reported" in u for k, v in u["reported"].items()]
    expect(len(data) - 1 == len(want), f"figures: {len(data) - 1} rows, the json report has {len(want)}")
    for r, (uid, k, rv, cv, differs) in zip(data[1:], want):
        where = f"figures {uid} {k}"
        expect(r[1] == uid and r[3] == k, f"{where}: row {r[:4]}")
        check_cell_value(r[4], rv, f"{where} reported")
        check_cell_value(r[5], cv, f"{where} recomputed")
        expect((r[8] == "DIFFERS") == differs, f"{where}: differs")


def problems_sheet(ws, rep):
    data = rows(ws)
    expect(data[0] == ["severity", "file", "line", "column", "sheet", "cell", "message"], f"problems: header {data[0]}")
    frozen_and_filtered(ws, ws.title)
    diags = rep["diagnostics"]
    expect(len(data) - 1 == len(diags), f"problems: {len(data) - 1} rows, {len(diags)} diagnostics")
    for r, d in zip(data[1:], diags):
        expect(r[0] == d["severity"] and r[1] == d["file"] and r[6] == d["message"], f"problems: {r} vs {d}")
        expect(r[2] == (d["line"] or None), f"problems: line {r[2]!r} vs {d['line']}")


def check_english(exe, root, tmp):
    out = os.path.join(tmp, "en")
    os.mkdir(out)
    p = run(exe, ["check", "fixtures/demo", "-r", "rules/gansu", "-f", "xlsx", "-o", f"{out}/r.xlsx",
                  "-f", "units", "-o", f"{out}/units.csv", "-f", "json", "-o", f"{out}/r.json"], cwd=root)
    if not expect(p.returncode == 1, f"check exited {p.returncode}: {p.stderr.decode()[-500:]}"):
        return None
    with open(f"{out}/units.csv", newline="", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    with open(f"{out}/r.json", encoding="utf-8") as f:
        rep = json.load(f)
    wb = openpyxl.load_workbook(f"{out}/r.xlsx", read_only=False)
    expect(wb.sheetnames == SHEETS_EN, f"sheets {wb.sheetnames}")
    if wb.sheetnames != SHEETS_EN:
        return f"{out}/r.xlsx"
    names = {u["id"]: u.get("name") for u in rep["units"] if u["level"] in ("county", "village")}
    summary_sheet(wb["Summary"], rep)
    for lv, title in (("county", "County"), ("village", "Village"), ("household", "Household")):
        level_sheet(wb[title], lv, title, [u for u in units if u["level"] == lv], rep["units"], names)
    exits_sheet(wb["Exits that do not hold"], units)
    figures_sheet(wb["Figures"], rep)
    problems_sheet(wb["Problems"], rep)
    return f"{out}/r.xlsx"


def check_chinese(exe, root, tmp):
    p = run(exe, ["check", "fixtures/demo", "-r", "rules/gansu", "--lang", "zh", "--waivers",
                  "fixtures/demo/waivers.csv", "-f", "xlsx", "-o", f"{tmp}/zh.xlsx", "-f", "units", "-o",
                  f"{tmp}/zh-units.csv"], cwd=root)
    if not expect(p.returncode == 1, f"check --lang zh exited {p.returncode}"):
        return
    wb = openpyxl.load_workbook(f"{tmp}/zh.xlsx")
    expect(wb.sheetnames == SHEETS_ZH, f"zh sheets {wb.sheetnames}")
    if wb.sheetnames != SHEETS_ZH:
        return
    head = [c.value for c in wb["户"][1]]
    expect(head[:7] == ["编号", "村编号", "村名称", "行", "状态", "退出申请", "退出年度"] and head[7] == "H01",
           f"zh household header {head[:8]}")
    expect([c.value for c in wb["问题"][1]] == ["级别", "文件", "行", "列", "工作表", "单元格", "说明"], "zh problems header")
    expect([c.value for c in wb["数据核对"][1]][:6] == ["层级", "编号", "名称", "数据项", "上报值", "重算值"],
           "zh figures header")
    expect(wb["摘要"]["A2"].value == "结论", "zh summary: the verdict's label")
    with open(f"{tmp}/zh-units.csv", newline="", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    hh = [u for u in units if u["level"] == "household"]
    expect(wb["户"].max_row - 1 == len(hh), f"zh: {wb['户'].max_row - 1} household rows, want {len(hh)}")
    words = {c.value for row in wb["户"].iter_rows(min_row=2, min_col=8, max_col=19) for c in row}
    expect(words <= {"达标", "未达标", "无法判定", "预警", "豁免"} and "豁免" in words, f"zh target words {words}")
    waived = {u["id"] for u in hh if u["waived"]}
    got = {r[0] for r in wb["户"].iter_rows(min_row=2, values_only=True) if "豁免" in r[7:19]}
    expect(got == waived, f"zh: households with a waived target {sorted(got)} vs {sorted(waived)}")


def check_reproducible(exe, root, tmp, first):
    time.sleep(2.1)  # zip entries' times have a 2 s resolution
    env = dict(os.environ, TZ="Asia/Shanghai")
    p = run(exe, ["check", "fixtures/demo", "-r", "rules/gansu", "-f", "xlsx", "-o", f"{tmp}/again.xlsx"], cwd=root,
            env=env)
    expect(p.returncode == 1, f"second run exited {p.returncode}")
    with open(first, "rb") as a, open(f"{tmp}/again.xlsx", "rb") as b:
        expect(a.read() == b.read(), "two runs 2 s apart (another time zone) differ")


def check_text_safety(exe, root, tmp):
    """A village name that looks like a formula and holds a control
    character stays text, the character replaced."""
    d = os.path.join(tmp, "unsafe")
    shutil.copytree(os.path.join(root, "fixtures/demo"), d)
    path = os.path.join(d, "village.csv")
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    cells = lines[1].split(",")
    cells[1] = '"=HYPERLINK(""http://example.org"")\x01村_x0041_"'
    lines[1] = ",".join(cells)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines))
    p = run(exe, ["check", d, "-r", os.path.join(root, "rules/gansu"), "-f", "xlsx", "-o", f"{tmp}/unsafe.xlsx"])
    if not expect(p.returncode in (0, 1), f"unsafe: check exited {p.returncode}: {p.stderr.decode()[-300:]}"):
        return
    wb = openpyxl.load_workbook(f"{tmp}/unsafe.xlsx")
    want = '=HYPERLINK("http://example.org")\ufffd村_x0041_'
    for ref, ws in (("B2", wb["Village"]), ("C2", wb["Household"])):
        c = ws[ref]
        expect(c.data_type == "s" and excel_text(c.value) == want, f"unsafe {ws.title}!{ref}: {c.value!r} ({c.data_type})")


SAMPLE_ARGS = ["sample", "fixtures/sample/hand", "--plan", "fixtures/sample/hand/plan.yaml", "--seed", "hand-2017",
               "-r", "rules/gansu"]
VERIFY_ARGS = ["verify", "fixtures/verify/hand", "--survey", "fixtures/verify/hand/survey.csv", "--manifest",
               "fixtures/verify/hand/manifest.csv", "-r", "rules/national-2016"]
UNITS_HEAD = ["level", "id", "parent id", "county id", "stratum", "pi", "weight", "u", "line"]
STRATA_HEAD = ["level", "county id", "parent id", "stratum", "method", "take", "N", "n", "smallest pi",
               "largest pi", "total size (pps)"]
RATE_HEAD = ["figure", "estimate (%)", "standard error (%)", "margin of error (%)", "95% interval from (%)",
             "95% interval to (%)", "weighted numerator", "weighted denominator", "households", "undecided"]
HOUSEHOLDS_HEAD = ["county", "village", "household", "finding", "registered", "exit", "status on the survey", "weight",
                   "targets not met (survey)", "register \u2192 survey", "approves", "survey line", "register line"]
RATE_KEYS = ["wrong_exit_rate", "missed_rate", "recognition", "comprehensive_rate"]


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_sample(exe, root, tmp):
    """sample -f xlsx against the manifest and json report of the same run."""
    out = os.path.join(tmp, "sample")
    os.mkdir(out)
    args = SAMPLE_ARGS + ["-f", "xlsx", "-o", f"{out}/s.xlsx", "-f", "json", "-o", f"{out}/s.json",
                          "--manifest", f"{out}/m.csv"]
    p = run(exe, args, cwd=root)
    if not expect(p.returncode == 0, f"sample exited {p.returncode}: {p.stderr.decode()[-500:]}"):
        return
    with open(f"{out}/m.csv", newline="", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    with open(f"{out}/s.json", encoding="utf-8") as f:
        rep = json.load(f)
    wb = openpyxl.load_workbook(f"{out}/s.xlsx")
    want = ["Summary", "Strata", "Units drawn", "Problems"]
    if not expect(wb.sheetnames == want, f"sample sheets {wb.sheetnames}"):
        return
    summary = rows(wb["Summary"])
    expect(summary[0][0].startswith("exitcheck ") and summary[2][:2] == ["exit status", 0], "sample Summary: head")
    expect(["Seed", "hand-2017"] in [r[:2] for r in summary], "sample Summary: the seed")
    digests = {c for r in summary for c in r if isinstance(c, str) and re.fullmatch(r"[0-9a-f]{64}", c)}
    want_d = {i["sha256"] for i in rep["inputs"]} | {f["sha256"] for f in rep["ruleset"]["files"]} | \
        {rep["plan"]["sha256"]}
    expect(digests == want_d, f"sample Summary: SHA-256 {sorted(digests)}\n  want {sorted(want_d)}")
    units = rows(wb["Units drawn"])
    expect(units[0] == UNITS_HEAD, f"sample units: header {units[0]}")
    frozen_and_filtered(wb["Units drawn"], "Units drawn")
    expect(len(units) - 1 == len(manifest), f"sample units: {len(units) - 1} rows, the manifest has {len(manifest)}")
    for r, m in zip(units[1:], manifest):
        where = f"sample units {m['unit_id']}"
        expect(r[:5] == [m["level"], m["unit_id"], m["parent_id"] or None, m["county_id"] or None, m["stratum"]],
               f"{where}: {r[:5]}")
        expect(all(isinstance(c, str) for c in r[1:2]), f"{where}: the id is not text")
        expect(same_num(r[5], float(m["pi"])) and same_num(r[6], float(m["weight"])), f"{where}: pi, weight {r[5:7]}")
        expect(r[7] == m["u"] and isinstance(r[8], int), f"{where}: u {r[7]!r}, line {r[8]!r}")
    strata = rows(wb["Strata"])
    expect(strata[0] == STRATA_HEAD, f"sample strata: header {strata[0]}")
    expect(len(strata) - 1 == len(rep["strata"]), f"sample strata: {len(strata) - 1} rows vs {len(rep['strata'])}")
    for r, j in zip(strata[1:], rep["strata"]):
        expect(r[1] == j["county_id"] and r[3] == j["stratum"] and r[6] == j["population"] and r[7] == j["drawn"]
               and is_num(r[6]), f"sample strata: {r} vs {j}")
        expect((r[8] is None and j["pi_min"] is None) or same_num(r[8], j["pi_min"]), f"sample strata pi: {r}")
    problems_sheet(wb["Problems"], rep)
    time.sleep(2.1)
    p = run(exe, SAMPLE_ARGS + ["-f", "xlsx", "-o", f"{out}/again.xlsx"], cwd=root, env=dict(os.environ, TZ="Asia/Shanghai"))
    with open(f"{out}/s.xlsx", "rb") as a, open(f"{out}/again.xlsx", "rb") as b:
        expect(p.returncode == 0 and a.read() == b.read(), "sample: two runs give different workbooks")
    # Chinese; and with errors in the data no unit is listed (as no manifest is written)
    p = run(exe, SAMPLE_ARGS + ["--lang", "zh", "-f", "xlsx", "-o", f"{out}/zh.xlsx"], cwd=root)
    if expect(p.returncode == 0, f"sample --lang zh exited {p.returncode}"):
        wb = openpyxl.load_workbook(f"{out}/zh.xlsx")
        expect(wb.sheetnames == ["摘要", "各层抽样", "抽中单位", "问题"], f"sample zh sheets {wb.sheetnames}")
        expect([c.value for c in wb["抽中单位"][1]][:5] == ["层级", "编号", "上级编号", "县编号", "层"],
               "sample zh units header")
        expect(wb["抽中单位"].max_row - 1 == len(manifest), "sample zh: units")


def check_verify(exe, root, tmp):
    """verify -f xlsx against the json and csv reports of the same run."""
    out = os.path.join(tmp, "verify")
    os.mkdir(out)
    p = run(exe, VERIFY_ARGS + ["-f", "xlsx", "-o", f"{out}/v.xlsx", "-f", "json", "-o", f"{out}/v.json",
                                "-f", "csv", "-o", f"{out}/v.csv"], cwd=root)
    if not expect(p.returncode == 1, f"verify exited {p.returncode}: {p.stderr.decode()[-500:]}"):
        return
    with open(f"{out}/v.json", encoding="utf-8") as f:
        rep = json.load(f)
    with open(f"{out}/v.csv", newline="", encoding="utf-8") as f:
        hh = list(csv.DictReader(f))
    wb = openpyxl.load_workbook(f"{out}/v.xlsx")
    want = ["Summary"] + [f"County {c['id']}" for c in rep["counties"]] + ["Households", "Accuracy", "Problems"]
    if not expect(wb.sheetnames == want, f"verify sheets {wb.sheetnames}, want {want}"):
        return
    summary = rows(wb["Summary"])
    expect(summary[1][0] == "Verdict" and summary[2][:2] == ["exit status", rep["exit_status"]], "verify Summary: head")
    at = next((i for i, r in enumerate(summary) if r[:2] == RATE_HEAD[:2]), None)
    if expect(at is not None, "verify Summary: no table of the figures"):
        expect(summary[at] == RATE_HEAD, f"verify Summary: header {summary[at]}")
        check_rates(summary[at + 1:at + 5], rep["overall"]["rates"], "verify Summary")
    for c in rep["counties"]:
        ws = wb[f"County {c['id']}"]
        data = rows(ws)
        expect(data[0][:10] == RATE_HEAD, f"verify county {c['id']}: header {data[0]}")
        frozen_and_filtered(ws, ws.title)
        check_rates(data[1:5], c["rates"], ws.title)
        vetoes = {r[10]: r for r in data[1:] if r[10]}
        for v in c["vetoes"]:
            r = vetoes.get(v["id"])
            if expect(r is not None, f"{ws.title}: no row for veto {v['id']}"):
                expect(r[14] is v["within_margin"], f"{ws.title} {v['id']}: within margin {r[14]!r}")
                expect(v["threshold"] is None or same_num(r[12], v["threshold"]), f"{ws.title} {v['id']}: threshold")
    digests = {x for r in summary for x in r if isinstance(x, str) and re.fullmatch(r"[0-9a-f]{64}", x)}
    want_d = {i["sha256"] for i in rep["inputs"]} | {f["sha256"] for f in rep["ruleset"]["files"]}
    expect(digests == want_d, f"verify Summary: SHA-256 {sorted(digests)}\n  want {sorted(want_d)}")
    data = rows(wb["Households"])
    expect(data[0] == HOUSEHOLDS_HEAD, f"verify households: header {data[0]}")
    frozen_and_filtered(wb["Households"], "Households")
    expect(len(data) - 1 == len(hh) == len(rep["households"]), f"verify households: {len(data) - 1} rows, csv {len(hh)}")
    for r, h, j in zip(data[1:], hh, rep["households"]):
        where = f"verify household {h['household_id']}"
        expect(r[:3] == [h["county_id"], h["village_id"], h["household_id"]] and isinstance(r[2], str), f"{where}: ids {r[:3]}")
        expect((r[4] is None and h["registered"] == "") or r[4] is (h["registered"] == "yes"), f"{where}: registered {r[4]!r}")
        expect((r[7] is None and h["weight"] == "") or same_num(r[7], float(h["weight"])), f"{where}: weight {r[7]!r}")
        expect(r[5] == h["exit"] and (r[9] or "") == h["differences"], f"{where}: exit, differences {r[5]!r} {r[9]!r}")
        expect(r[11] == (j["line"] or None) and r[12] == (j["register_line"] or None), f"{where}: lines {r[11:13]}")
    acc = rows(wb["Accuracy"])
    expect(acc[0] == ["indicator", "compared", "agree", "rate (%)"], f"verify accuracy: header {acc[0]}")
    a = rep["accuracy"]
    expect(acc[1][1:3] == [a["households"]["compared"], a["households"]["agree"]], f"verify accuracy: households {acc[1]}")
    expect([(r[0], r[1], r[2]) for r in acc[2:]] == [(i["id"], i["compared"], i["agree"]) for i in a["indicators"]],
           "verify accuracy: indicators")
    for r, i in zip(acc[2:], a["indicators"]):
        expect(same_num(r[3], i["rate"]), f"verify accuracy {i['id']}: {r[3]} vs {i['rate']}")
    problems_sheet(wb["Problems"], rep)
    time.sleep(2.1)
    p = run(exe, VERIFY_ARGS + ["-f", "xlsx", "-o", f"{out}/again.xlsx"], cwd=root, env=dict(os.environ, TZ="Asia/Shanghai"))
    with open(f"{out}/v.xlsx", "rb") as x, open(f"{out}/again.xlsx", "rb") as y:
        expect(p.returncode == 1 and x.read() == y.read(), "verify: two runs give different workbooks")
    p = run(exe, VERIFY_ARGS + ["--lang", "zh", "-f", "xlsx", "-o", f"{out}/zh.xlsx"], cwd=root)
    if expect(p.returncode == 1, f"verify --lang zh exited {p.returncode}"):
        wb = openpyxl.load_workbook(f"{out}/zh.xlsx")
        want = ["摘要"] + [f"县 {c['id']}" for c in rep["counties"]] + ["核查户", "信息准确率", "问题"]
        expect(wb.sheetnames == want, f"verify zh sheets {wb.sheetnames}")
        if wb.sheetnames == want:
            expect([c.value for c in wb["核查户"][1]][:4] == ["县", "村", "户", "核查结果"], "verify zh households header")
            expect([c.value for c in wb[want[1]][1]][:2] == ["指标", "估计值（%）"], "verify zh county header")
            expect(wb[want[1]]["A2"].value == "错退率", "verify zh: the first figure")


def check_rates(got, rates, where):
    """Four rows of a rates table against the json report's rates."""
    for r, key in zip(got, RATE_KEYS):
        j = rates[key]
        w = f"{where} {key}"
        if j["value"] is None:
            expect(r[1] is None, f"{w}: an unknown estimate has a value {r[1]!r}")
        else:
            expect(same_num(r[1], j["value"]) and same_num(r[2], j["se"]), f"{w}: {r[1:3]} vs {j['value']}, {j['se']}")
            expect(same_num(r[3], 1.96 * j["se"]), f"{w}: margin of error {r[3]}")
            expect(same_num(r[4], j["ci"][0]) and same_num(r[5], j["ci"][1]), f"{w}: interval {r[4:6]} vs {j['ci']}")
        expect(same_num(r[6], j["numerator"]) and same_num(r[7], j["denominator"]), f"{w}: sums {r[6:8]}")
        expect(r[8] == j["households"] and r[9] == j["undecided"] and is_num(r[8]), f"{w}: counts {r[8:10]}")


def check_outputs(exe, root, tmp):
    # a terminal's standard output: refused, before any work
    master, slave = pty.openpty()
    try:
        p = subprocess.run([exe, "check", "fixtures/demo", "-f", "xlsx"], stdout=slave, stderr=subprocess.PIPE,
                           cwd=root, timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    expect(p.returncode == 2 and b"-o FILE" in p.stderr, f"xlsx to a terminal: exit {p.returncode}, {p.stderr!r}")
    # standard output that is a pipe: the workbook's bytes
    p = run(exe, ["check", "fixtures/demo", "-r", "rules/gansu", "-f", "xlsx"], cwd=root)
    expect(p.returncode == 1 and p.stdout[:4] == b"PK\x03\x04", f"xlsx to a pipe: exit {p.returncode}")
    if p.stdout[:4] == b"PK\x03\x04":
        wb = openpyxl.load_workbook(io.BytesIO(p.stdout))
        expect(wb.sheetnames == SHEETS_EN, "xlsx from standard output")
    # sample and verify: refused on a terminal too, the workbook to a pipe
    for args in (SAMPLE_ARGS, VERIFY_ARGS):
        master, slave = pty.openpty()
        try:
            p = subprocess.run([exe] + args + ["-f", "xlsx"], stdout=slave, stderr=subprocess.PIPE, cwd=root,
                               timeout=60)
        finally:
            os.close(slave)
            os.close(master)
        expect(p.returncode == 2 and b"-o FILE" in p.stderr, f"{args[0]} xlsx to a terminal: {p.returncode}, {p.stderr!r}")
        p = run(exe, args + ["-f", "xlsx"], cwd=root)
        expect(p.returncode in (0, 1) and p.stdout[:4] == b"PK\x03\x04", f"{args[0]} xlsx to a pipe: exit {p.returncode}")
    p = run(exe, SAMPLE_ARGS + ["-f", "junit"], cwd=root)
    expect(p.returncode == 2 and b"not junit" in p.stderr, f"sample -f junit: exit {p.returncode}, {p.stderr!r}")


def check_soffice(path, tmp):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not on PATH: the LibreOffice conversion is skipped")
        return
    out = os.path.join(tmp, "pdf")
    p = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf",
                        "--outdir", out, path], capture_output=True, timeout=600)
    pdf = os.path.join(out, os.path.basename(path)[:-5] + ".pdf")
    expect(p.returncode == 0 and os.path.exists(pdf) and os.path.getsize(pdf) > 1000,
           f"soffice could not convert the workbook: {p.stderr.decode()[-300:]}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    exe, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        first = check_english(exe, root, tmp)
        check_chinese(exe, root, tmp)
        if first:
            check_reproducible(exe, root, tmp, first)
        check_text_safety(exe, root, tmp)
        check_sample(exe, root, tmp)
        check_verify(exe, root, tmp)
        check_outputs(exe, root, tmp)
        if first:
            check_soffice(first, tmp)
    for f in FAILS[:50]:
        print("FAIL", f)
    if len(FAILS) > 50:
        print(f"... {len(FAILS) - 50} more")
    print(f"xlsx report: {len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
