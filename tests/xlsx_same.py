#!/usr/bin/env python3
"""Workbooks written by another program read as their CSV tables do.

Usage: tests/xlsx_same.py EXITCHECK REPO_ROOT [--keep DIR] [--reference]

--keep DIR writes the workbooks into DIR and leaves them there;
--reference checks the test itself (see ref_csv).

exitcheck reads .xlsx workbooks wherever it reads a CSV table. This test
writes workbooks with openpyxl (Debian's python3-openpyxl), never with
exitcheck, and patches their XML the way other writers (Excel, WPS) write
it, so the reader is tested on files it did not make:

  * shared strings (openpyxl 3.0 writes only inline strings: they are
    moved to xl/sharedStrings.xml), a few cells left as inline strings,
    rich-text runs with phonetic (<rPh>) runs in both, an empty inline
    string;
  * ids as numbers (13 digits, and one written 6.21123001E8), integers,
    decimals written as Excel writes them (17 significant digits:
    96.299999999999997) or shortest, values one ulp from a target's
    threshold (a reader that rounds them changes a result);
  * booleans as boolean cells, a few as text (yes, 是);
  * formulas with cached values (number, string, boolean);
  * error cells (#N/A), dates under several date formats (waivers);
  * a decoy first sheet, level-named sheets (户, 村, 县, Household, any
    case), merged title rows above the header, empty rows (absent, and
    present with styled empty cells) in the middle, trailing cells left out.

For each case the workbooks and their CSV tables go through `exitcheck
check -f units` and `-f json`: the unit results must be identical except
the line column (a unit's line is its sheet row: the test computes each
record's sheet row and compares exactly), and so must the exit status, each input's
rows_read / rows_rejected / units_evaluated / cell_errors, the errors and
warnings, and the JSON units with their observed values. The same for
`--waivers` (a workbook with date cells), `verify --survey` (a workbook
survey, then a workbook register too), the tables named with --LEVEL,
--sheet N / NAME, --header-row and --threads 1.

Then broken and hostile workbooks: not a zip, a zip without the workbook,
a truncated zip, a legacy .xls (OLE2), a DOCTYPE with an external entity
(pointing at a FIFO: a reader that opened it would hang) and with nested
entities, random bytes, --sheet naming no sheet; a duplicate id and a
totals row whose messages must give sheet rows, and bad cells whose
messages must name household.xlsx:户!<cell> and the value as Excel shows
it ('96.3' from <v>96.299999999999997</v>). Each must exit with status 2 and a message,
never a crash.

Each check prints one line; the first failure stops the test (status 1).
Without openpyxl the test is skipped (status 77).
"""
import csv
import datetime
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
import zipfile

try:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
except ImportError:
    # CMake may have found a Python (pyenv, a venv) without Debian's modules.
    sysp = "/usr/bin/python3"
    if (os.path.exists(sysp) and not os.environ.get("XLSX_SAME_REEXEC")
            and os.path.realpath(sys.executable) != os.path.realpath(sysp)):
        os.environ["XLSX_SAME_REEXEC"] = "1"
        os.execv(sysp, [sysp] + sys.argv)
    print("skipped: python3-openpyxl is not installed (apt-get install python3-openpyxl)")
    sys.exit(77)

try:
    import yaml
except ImportError:
    yaml = None

EXE = ROOT = None
PACK = None
TMP = None
CHECKS = 0


# ---------------------------------------------------------------------------
# reporting

def ok(msg):
    global CHECKS
    CHECKS += 1
    print("ok %d: %s" % (CHECKS, msg), flush=True)


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def run(args, timeout=300, what=None):
    """Runs exitcheck; returns (status, stdout, stderr). A signal, a
    sanitizer report or a timeout is a failure here."""
    cmd = [EXE] + args
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail("%s: exitcheck did not finish within %d s: %s" % (what or "run", timeout, " ".join(cmd)))
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or p.returncode >= 128:
        fail("%s: exitcheck crashed (status %d): %s\n%s" % (what or "run", p.returncode, " ".join(cmd), err[-3000:]))
    for bad in ("AddressSanitizer", "UndefinedBehaviorSanitizer", "runtime error:", "LeakSanitizer", "Segmentation"):
        if bad in err:
            fail("%s: %s in stderr: %s\n%s" % (what or "run", bad, " ".join(cmd), err[-3000:]))
    return p.returncode, out, err


def short(cmd):
    return "exitcheck " + " ".join(a.replace(TMP + "/", "") for a in cmd)


# ---------------------------------------------------------------------------
# the pack: each column's type and Chinese header

def pack_columns(level):
    """id -> (type, zh, unit) for the indicators of a level of rules/gansu."""
    path = os.path.join(ROOT, "rules", "gansu", level + ".yaml")
    text = open(path, encoding="utf-8").read()
    out = {}
    if yaml is not None:
        for ind in yaml.safe_load(text).get("indicators", []):
            out[ind["id"]] = (ind.get("type", "number"), ind.get("zh", ind["id"]), ind.get("unit"))
        return out
    cur = None
    for line in text.split("\n"):
        m = re.match(r"  - id: (\S+)", line)
        if m:
            cur = m.group(1)
            out[cur] = ["number", cur, None]
            continue
        if line and not line.startswith(" ") and not line.startswith("indicators"):
            cur = None
        if cur:
            m = re.match(r"    (type|zh|unit): (\S+)", line)
            if m:
                out[cur][{"type": 0, "zh": 1, "unit": 2}[m.group(1)]] = m.group(2)
    return {k: tuple(v) for k, v in out.items()}


COLS = {}


def coltype(level, header):
    """The type of a column named by id or Chinese header ('text' when unknown)."""
    cols = COLS[level]
    if header in cols:
        return cols[header][0]
    for cid, (t, zh, _) in cols.items():
        if zh == header:
            return t
    return "text"


def zh_header(level, h):
    return COLS[level].get(h, (None, h))[1]


# ---------------------------------------------------------------------------
# CSV in and out

def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.reader(f)]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for r in rows:
            w.writerow(r)


# ---------------------------------------------------------------------------
# cells: what the workbook holds for each CSV value
#
# A cell spec is a tuple:
#   None                       no cell
#   ("s", text)                a string (shared)
#   ("is", text)               an inline string
#   ("rich", runs, phon)       an inline rich string: runs joined, phon ignored
#   ("srich", runs, phon)      a shared rich string
#   ("n", value, vtext)        a number; vtext is the <v> text (None: shortest)
#   ("b", bool)                a boolean cell
#   ("d", date, numfmt)        a date under a number format
#   ("f", formula, t, cached)  a formula with its cached value (t: None, "str", "b", "e")
#   ("e", code)                an error cell
#   ("empty-styled",)          a cell with a style and no value
#   ("empty-is",)              an empty inline string

YES = {"yes", "y", "true", "是", "有", "√", "1"}
NO = {"no", "n", "false", "否", "无", "×", "0"}
ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"}
NUM_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def shortest(x):
    """The shortest decimal that reads back as x, integral values without a point."""
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


def excel17(x):
    """x as Excel writes it into the XML: 17 significant digits."""
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return "%.17g" % x


def plain_spec(text, ctype, rng):
    """A cell for CSV text `text` in a column of type ctype."""
    if text == "":
        return None
    if text in ERRORS:
        return ("e", text)
    low = text.lower()
    if ctype == "bool" and (low in YES or low in NO):
        if rng.random() < 0.05:
            return ("s", text)
        return ("b", low in YES)
    if ctype == "text" and text.isdigit() and not text.startswith("0") and int(text) < 2 ** 53:
        return ("n", int(text), None)
    if ctype == "integer" and re.match(r"^-?[0-9]+$", text):
        return ("n", int(text), None)
    if ctype == "number" and NUM_RE.match(text):
        x = float(text)
        return ("n", x, excel17(x) if rng.random() < 0.5 else shortest(x))
    return ("s", text)


# ---------------------------------------------------------------------------
# writing a workbook: openpyxl, then the XML patched

class Sheet:
    def __init__(self, title):
        self.title = title
        self.rows = {}      # sheet row -> list of cell specs (column 1 first)
        self.merges = []

    def put(self, row, cells):
        self.rows[row] = list(cells)


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xesc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def rich_xml(runs, phon):
    x = ""
    for i, t in enumerate(runs):
        rpr = ('<rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="宋体"/><family val="3"/>'
               '<charset val="134"/></rPr>') if i % 2 else ""
        x += '<r>%s<t xml:space="preserve">%s</t></r>' % (rpr, xesc(t))
    if phon:
        x += '<rPh sb="0" eb="1"><t>%s</t></rPh><phoneticPr fontId="0" type="noConversion"/>' % xesc(phon)
    return x


def write_workbook(path, sheets):
    """Writes sheets (a list of Sheet) to path: openpyxl's workbook with
    its strings moved to xl/sharedStrings.xml and the cells of the
    overriding specs (inline and rich strings, numbers' exact <v> text,
    formulas with cached values) rewritten in the sheet XML."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    overrides = {}   # sheet title -> {ref: spec}
    for sh in sheets:
        ws = wb.create_sheet(sh.title)
        ov = overrides.setdefault(sh.title, {})
        for r in sorted(sh.rows):
            for ci, spec in enumerate(sh.rows[r], start=1):
                if spec is None:
                    continue
                ref = "%s%d" % (get_column_letter(ci), r)
                c = ws.cell(row=r, column=ci)
                k = spec[0]
                if k == "s":
                    c.value = spec[1]
                elif k in ("is", "rich", "srich", "f", "empty-is"):
                    c.value = "placeholder"
                    ov[ref] = spec
                elif k == "n":
                    c.value = spec[1]
                    ov[ref] = spec
                elif k == "b":
                    c.value = spec[1]
                elif k == "d":
                    c.value = spec[1]
                    c.number_format = spec[2]
                elif k == "e":
                    c.value = spec[1]
                    if c.data_type != "e":
                        fail("openpyxl did not take %r as an error value" % (spec[1],))
                elif k == "empty-styled":
                    c.font = Font(bold=True)
                else:
                    raise ValueError(k)
        for m in sh.merges:
            ws.merge_cells(m)
            first = m.split(":")[0]
            ws[first].alignment = Alignment(horizontal="center")
    tmp = path + ".openpyxl"
    wb.save(tmp)

    with zipfile.ZipFile(tmp) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        order = z.namelist()
    os.remove(tmp)

    # which part is which sheet
    wbxml = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid_target = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    rid_target.update({a: b for b, a in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    sheet_part = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', wbxml):
        t = rid_target[rid]
        t = t[1:] if t.startswith("/") else "xl/" + t
        sheet_part[unescape(name)] = t

    sst, sst_index = [], {}

    def shared(xml_si):
        if xml_si not in sst_index:
            sst_index[xml_si] = len(sst)
            sst.append(xml_si)
        return sst_index[xml_si]

    cell_re = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(/>|>(.*?)</c>)', re.S)
    for title, part in sheet_part.items():
        ov = overrides.get(title, {})
        xml = parts[part].decode("utf-8")
        # openpyxl writes non-ASCII text as character references; Excel as UTF-8
        xml = re.sub(r"&#([0-9]+);", lambda m: chr(int(m.group(1))) if int(m.group(1)) >= 128 else m.group(0), xml)

        def sub(m):
            ref, attrs, inner = m.group(1), m.group(2), m.group(4) or ""
            s_attr = re.search(r' s="[0-9]+"', attrs)
            s_attr = s_attr.group(0) if s_attr else ""
            spec = ov.get(ref)
            if spec is not None:
                k = spec[0]
                if k == "is":
                    return '<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, s_attr, xesc(spec[1]))
                if k == "empty-is":
                    return '<c r="%s"%s t="inlineStr"><is><t></t></is></c>' % (ref, s_attr)
                if k == "rich":
                    return '<c r="%s"%s t="inlineStr"><is>%s</is></c>' % (ref, s_attr, rich_xml(spec[1], spec[2]))
                if k == "srich":
                    i = shared("<si>%s</si>" % rich_xml(spec[1], spec[2]))
                    return '<c r="%s"%s t="s"><v>%d</v></c>' % (ref, s_attr, i)
                if k == "n":
                    v = spec[2] if spec[2] is not None else shortest(spec[1])
                    return '<c r="%s"%s><v>%s</v></c>' % (ref, s_attr, v)
                if k == "f":
                    _, formula, t, cached = spec
                    t_attr = ' t="%s"' % t if t else ""
                    return '<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (ref, s_attr, t_attr, xesc(formula), xesc(cached))
            m2 = re.match(r'<is><t(?: xml:space="preserve")?>(.*?)</t></is>$', inner, re.S)
            if 't="inlineStr"' in attrs and m2:
                i = shared('<si><t xml:space="preserve">%s</t></si>' % m2.group(1))
                return '<c r="%s"%s t="s"><v>%d</v></c>' % (ref, s_attr, i)
            return m.group(0)

        xml = cell_re.sub(sub, xml)
        parts[part] = xml.encode("utf-8")

    count = len(sst)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (NS, count, count, "".join(sst))).encode("utf-8")
    if "xl/sharedStrings.xml" not in order:
        order.append("xl/sharedStrings.xml")
        ct = parts["[Content_Types].xml"].decode()
        ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        parts["[Content_Types].xml"] = ct.encode()
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            z.writestr(n, parts[n])
    return sheet_part


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def patch_part(path, part, fn, out=None):
    """Rewrites one part of a zip through fn(bytes) -> bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(n, z.read(n)) for n in z.namelist()]
    with zipfile.ZipFile(out or path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in items:
            z.writestr(n, fn(data) if n == part else data)


# ---------------------------------------------------------------------------
# a table as a sheet, with the row each record lands on

def table_sheet(title, rows, level, rng, start=1, titles=(), blank_after=(), styled_blank_after=(),
                zh=False, special=None, header_specs=None):
    """rows: header + records (CSV text). Returns (Sheet, rowmap) where
    rowmap[i] is the sheet row of record i (0-based). titles: title rows
    above the header (the first merged across the header's width).
    special(i, col, text, spec) may change a record's cell."""
    sh = Sheet(title)
    header = rows[0]
    width = len(header)
    r = start
    for k, t in enumerate(titles):
        if k == 0:
            sh.put(r, [("s", t)])
            sh.merges.append("A%d:%s%d" % (r, get_column_letter(width), r))
        else:
            cells = [("s", t)] + [None] * 2 + [("s", "填报日期：2016年12月20日")]
            sh.put(r, cells)
        r += 1
    sh.put(r, [(header_specs or {}).get(h) or ("s", zh_header(level, h) if zh else h) for h in header])
    r += 1
    types = [coltype(level, h) for h in header]
    rowmap = []
    for i, rec in enumerate(rows[1:]):
        cells = [plain_spec(t, types[j], rng) for j, t in enumerate(rec)]
        if special:
            for j, t in enumerate(rec):
                s2 = special(i, header[j], t, cells[j])
                if s2 is not False:
                    cells[j] = s2
        while cells and cells[-1] is None:
            cells.pop()
        sh.put(r, cells)
        rowmap.append(r)
        r += 1
        if i in blank_after:
            r += 1                       # no <row> at all
        if i in styled_blank_after:
            sh.put(r, [("empty-styled",)] * min(width, 6))
            r += 1
    return sh, rowmap


def note_sheet(title, lines):
    sh = Sheet(title)
    for k, l in enumerate(lines, start=1):
        sh.put(k, [("s", l)])
    return sh


# ---------------------------------------------------------------------------
# --reference: the test checked on itself. Every workbook is read back by
# openpyxl (cached values of formulas) and written as CSV, one line per sheet
# row, and exitcheck reads those instead; the comparisons must then hold as
# they stand. It checks the workbooks and the expectations, not the reader.

REFERENCE = False
LEVEL_SHEETS = {"household": ("household", "户"), "village": ("village", "村"), "county": ("county", "县")}


def cell_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return shortest(v)
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat(sep=" ")
    if isinstance(v, datetime.date):
        return v.isoformat()
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), str(v))


def ref_csv(xpath, level=None):
    out = xpath[:-5] + ".ref.csv"
    if os.path.exists(out):
        return out
    wb = openpyxl.load_workbook(xpath, data_only=True)
    ws = wb.worksheets[0]
    for name in LEVEL_SHEETS.get(level, ()):
        m = [w for w in wb.worksheets if w.title.strip().lower() == name]
        if m:
            ws = m[0]
            break
    rows = [[cell_text(c) for c in r] for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for r in rows:
            if any(r):
                w.writerow(r + [""] * (width - len(r)))
            else:
                f.write("\n")
    return out


def xargs(args):
    """The workbook side's arguments; with --reference, the CSVs openpyxl read."""
    if not REFERENCE:
        return args
    out, level = [], None
    for a in args:
        if os.path.isdir(a):
            d = a.rstrip("/") + ".ref"
            os.makedirs(d, exist_ok=True)
            for f in os.listdir(a):
                if f.endswith(".xlsx"):
                    lv = f[:-5].lower()
                    shutil.copy(ref_csv(os.path.join(a, f), lv), os.path.join(d, lv + ".csv"))
            out.append(d)
        elif a.endswith(".xlsx"):
            out.append(ref_csv(a, level))
        else:
            out.append(a)
        level = a[2:] if a in ("--household", "--village", "--county") else None
    return out


# ---------------------------------------------------------------------------
# comparing two runs

def check_pair(name, csv_args, xlsx_args, rowmaps, extra=()):
    """Runs check on both sides with -f units (stdout) and -f json; rowmaps:
    level -> list of the sheet row of each record (record i is CSV line i+2)."""
    jc = os.path.join(TMP, name + "-csv.json")
    jx = os.path.join(TMP, name + "-xlsx.json")
    a = ["check"] + csv_args + ["-r", PACK, "-f", "units", "-f", "json", "-o", jc, "-q"] + list(extra)
    b = ["check"] + xargs(xlsx_args) + ["-r", PACK, "-f", "units", "-f", "json", "-o", jx, "-q"] + list(extra)
    sa, oa, ea = run(a, what=name)
    sb, ob, eb = run(b, what=name)
    if not oa.strip():
        fail("%s: the CSV run gave no units (status %d): %s\n%s" % (name, sa, short(a), ea[-2000:]))
    if sa != sb:
        fail("%s: exit status %d for the workbooks, %d for the CSV tables\n  %s\n  %s\nstderr of the workbook run:\n%s"
             % (name, sb, sa, short(b), short(a), eb[-4000:]))
    ok("%s: exit status %d on both sides" % (name, sa))

    ua = list(csv.reader(io.StringIO(oa)))
    ub = list(csv.reader(io.StringIO(ob)))
    if not ub or ua[0] != ub[0]:
        fail("%s: the units header differs: %s vs %s" % (name, ub[:1], ua[:1]))
    li = ua[0].index("line")
    want = [ua[0]]
    for row in ua[1:]:
        row = list(row)
        lv, line = row[0], int(row[li])
        row[li] = str(rowmaps[lv][line - 2]) if lv in rowmaps else row[li]
        want.append(row)
    if want != ub:
        diffs = []
        wa = {tuple(r[:2]): r for r in want[1:]}
        for r in ub[1:]:
            w = wa.pop(tuple(r[:2]), None)
            if w != r:
                diffs.append("  %s: expected %s\n  %s  got      %s" % (r[1], ",".join(w) if w else "(no such unit)", " " * len(r[1]), ",".join(r)))
        for k, w in wa.items():
            diffs.append("  %s: expected %s, got no such unit" % (k[1], ",".join(w)))
        fail("%s: -f units differs (%d units, expected lines shifted by the sheet rows):\n%s\n  %s\n  %s"
             % (name, len(diffs), "\n".join(diffs[:15]), short(b), short(a)))
    ok("%s: -f units identical, %d units, lines = sheet rows" % (name, len(ub) - 1))

    da = json.load(open(jc, encoding="utf-8"))
    db = json.load(open(jx, encoding="utf-8"))
    ia = {i["level"]: i for i in da["inputs"]}
    ib = {i["level"]: i for i in db["inputs"]}
    if sorted(ia) != sorted(ib):
        fail("%s: inputs read: %s from the workbooks, %s from the CSV tables" % (name, sorted(ib), sorted(ia)))
    for lv in ia:
        for k in ("rows_read", "rows_rejected", "units_evaluated", "cell_errors", "rejected"):
            if ia[lv].get(k) != ib[lv].get(k):
                fail("%s: %s %s: %r from %s, %r from %s" % (name, lv, k, ib[lv].get(k), ib[lv]["path"], ia[lv].get(k), ia[lv]["path"]))
    ok("%s: json inputs: %s" % (name, ", ".join("%s rows_read %d rejected %d" % (lv, ia[lv]["rows_read"], ia[lv]["rows_rejected"]) for lv in sorted(ia))))

    def diags(d):
        return sorted((x["severity"], x["message"]) for x in d["diagnostics"] if x["severity"] in ("error", "warning"))
    ga, gb = diags(da), diags(db)
    if ga != gb:
        only_b = [x for x in gb if x not in ga]
        only_a = [x for x in ga if x not in gb]
        fail("%s: errors and warnings differ (%d vs %d):\n  only from the workbooks: %s\n  only from the CSV tables: %s"
             % (name, len(gb), len(ga), only_b[:8], only_a[:8]))
    ok("%s: the same %d errors and warnings (json, positions aside)" % (name, len(ga)))

    def units(d, maps):
        out = []
        for u in d["units"]:
            u = dict(u)
            if maps is not None and u["level"] in maps and u.get("line"):
                u["line"] = maps[u["level"]][u["line"] - 2]
            out.append(u)
        return out
    xa, xb = units(da, rowmaps), units(db, None)
    if xa != xb:
        for u, v in zip(xa, xb):
            if u != v:
                detail = [(k, u.get(k), v.get(k)) for k in sorted(set(u) | set(v)) if u.get(k) != v.get(k)]
                for k, p, q in detail:
                    if k == "targets":
                        for t1, t2 in zip(p, q):
                            if t1 != t2:
                                detail = "target %s: expected %s, got %s" % (t1["id"], json.dumps(t1, ensure_ascii=False), json.dumps(t2, ensure_ascii=False))
                                break
                fail("%s: json unit %s %s differs: %s" % (name, u["level"], u["id"], detail))
        fail("%s: json units differ in number: %d vs %d" % (name, len(xb), len(xa)))
    ok("%s: json units identical with their observed values (%d)" % (name, len(xb)))
    for k in ("summary",):
        if da.get(k) != db.get(k):
            fail("%s: json %s differs:\n  expected %s\n  got      %s" % (name, k, json.dumps(da.get(k))[:800], json.dumps(db.get(k))[:800]))
    ok("%s: json summary identical" % name)
    return da, db, eb


# ---------------------------------------------------------------------------
# the demo as workbooks

def demo_tables():
    d = os.path.join(ROOT, "fixtures", "demo")
    return {lv: read_csv(os.path.join(d, lv + ".csv")) for lv in ("county", "village", "household")}


def demo_variant_zh(out, rng):
    """Chinese headers: household.xlsx [说明, 户], village.xlsx [村] with two
    title rows, county.xlsx [Sheet1]. Returns (rowmaps, facts)."""
    t = demo_tables()
    os.makedirs(out, exist_ok=True)
    facts = {}
    hh = t["household"]

    def hh_special(i, col, text, spec):
        if i == 3 and col == "income_per_capita" and text:        # a formula with its cached number
            facts["formula_num"] = (i, col, text)
            return ("f", "ROUND(SUM(%s)/1,1)" % text, None, text)
        if i == 4 and col == "village_id":                         # a string formula
            return ("f", 'LEFT("%s",9)' % (hh[i + 1][0]), "str", text)
        if i == 5 and col == "house_safe" and text:                # a boolean formula
            return ("f", "1=1" if text == "yes" else "1=0", "b", "1" if text == "yes" else "0")
        if i == 6 and col == "village_id":                         # rich inline string, phonetic run ignored
            return ("rich", [text[:6], text[6:]], "ムラ")
        if i == 7 and col == "claimed_exit":                       # an inline string
            return ("is", " " + text + " ")
        if i == 8 and col == "county_id":                          # a shared rich string
            return ("srich", [text[:3], text[3:]], "ケン")
        if i == 9 and col == "village_id":                         # an id in exponent form: 6.21123001E8
            m, e = ("%.8E" % int(text)).split("E")
            v = "%sE%d" % (m.rstrip("0").rstrip("."), int(e))
            if float(v) != int(text):
                fail("exponent form of %s: %s" % (text, v))
            facts["exponent_id"] = v
            return ("n", int(text), v)
        if i == 10 and col == "exit_year" and text == "":          # an empty inline string
            return ("empty-is",)
        if i == 11 and col == "household_id":                      # an id as text
            return ("s", text)
        if i == 12 and col == "safe_water":                         # yes/no as 是/否 text
            return ("s", {"yes": "是", "no": "否"}.get(text, text))
        if i == 13 and col == "income_per_capita" and text:        # a decimal in exponent form
            return ("n", float(text), "%.16E" % float(text))
        if col == "house_area_per_capita" and text and i % 7 == 0:   # 17 digits, as Excel writes
            return ("n", float(text), excel17(float(text)))
        return False

    # two header cells as rich text with phonetic runs: 户编号 shared, 村编号 inline
    hspecs = {"household_id": ("srich", ["户", "编号"], "コ"), "village_id": ("rich", ["村", "编", "号"], "ムラ")}
    sh_hh, map_hh = table_sheet("户", hh, "household", rng, zh=True, special=hh_special,
                                blank_after={999}, styled_blank_after={1999}, header_specs=hspecs)
    decoy = note_sheet("说明", ["填表说明：本表由各村第一书记填写，数据截至2016年12月20日。", "户编号为13位数字。"])
    write_workbook(os.path.join(out, "household.xlsx"), [decoy, sh_hh])
    facts["hh_rowmap"] = map_hh

    vv = t["village"]
    def v_special(i, col, text, spec):
        if i == 2 and col == "village_name":                       # an _xHHHH_ escape: 中梁村 -> 中_x6881_村
            return ("is", text.replace("梁", "_x6881_"))
        return False
    if vv[3][1] != "中梁村":
        fail("fixtures/demo/village.csv: the third village is no longer 中梁村")
    sh_v, map_v = table_sheet("村", vv, "village", rng, zh=True, special=v_special,
                              titles=["渭源县2016年贫困村退出申报表（村）", "填报单位：渭源县扶贫开发领导小组办公室"],
                              blank_after={100})
    write_workbook(os.path.join(out, "village.xlsx"), [sh_v])

    cc = t["county"]
    sh_c, map_c = table_sheet("Sheet1", cc, "county", rng, zh=True)
    write_workbook(os.path.join(out, "county.xlsx"), [sh_c])
    return {"household": map_hh, "village": map_v, "county": map_c}, facts


def demo_variant_en(out, rng):
    """English headers: household.xlsx [Notes, Household], village.xlsx
    [Sheet1 (the table), 附表], county.xlsx [封面, 县]."""
    t = demo_tables()
    os.makedirs(out, exist_ok=True)
    sh_hh, map_hh = table_sheet("Household", t["household"], "household", rng, blank_after={0, 1500})
    write_workbook(os.path.join(out, "household.xlsx"), [note_sheet("Notes", ["Filled in by the village secretaries."]), sh_hh])
    sh_v, map_v = table_sheet("Sheet1", t["village"], "village", rng, titles=["Weiyuan 2016: villages"])
    write_workbook(os.path.join(out, "village.xlsx"), [sh_v, note_sheet("附表", ["village_id", "621123001"])])
    sh_c, map_c = table_sheet("县", t["county"], "county", rng, start=1)
    write_workbook(os.path.join(out, "county.xlsx"), [note_sheet("封面", ["渭源县脱贫摘帽申报材料", "2016年12月"]), sh_c])
    return {"household": map_hh, "village": map_v, "county": map_c}


# ---------------------------------------------------------------------------
# generated households

def generate(rng, nvill=15, nhh=400):
    """County and villages from the demo, nhh random households over its first
    nvill villages. Returns CSV rows (header + records) per level, and per
    household record the workbook cell to use where it should not be the
    plain one (col -> spec)."""
    t = demo_tables()
    villages = [t["village"][0]] + t["village"][1:nvill + 1]
    county = t["county"]
    hdr = ["household_id", "village_id", "county_id", "year", "members", "claimed_exit", "income_per_capita",
           "consumption_per_capita", "house_safe", "house_area_per_capita", "safe_water", "tap_water_feasible",
           "tap_water", "school_age_children", "school_dropouts", "main_laborers", "laborers_trained",
           "income_source", "ncms_enrolled", "pension_eligible", "pension_enrolled", "toilet", "phone",
           "radio_tv", "internet", "debt_illness", "debt_schooling", "debt_marriage", "registered", "exit_year"]
    spellings = [("yes", "no"), ("是", "否"), ("true", "false"), ("1", "0"), ("√", "×"), ("Y", "N"), ("有", "无")]
    rows, specials = [hdr], []
    vids = [v[0] for v in villages[1:]]

    def num(choices):
        c = rng.choice(choices)
        return c() if callable(c) else c

    for k in range(nhh):
        vid = vids[k % len(vids)] if k < len(vids) else rng.choice(vids)
        sp = {}
        rec = {}
        rec["household_id"] = "%s%04d" % (vid, k + 1)
        rec["village_id"] = vid
        rec["county_id"] = "621123"
        rec["year"] = "2016"
        members = rng.randint(1, 8)
        rec["members"] = str(members)
        claimed = rng.random() < 0.35
        yes, no = rng.choice(spellings)
        rec["claimed_exit"] = yes if claimed else no
        inc = num([lambda: round(rng.uniform(1500, 16000), rng.randint(0, 2)), 7457.0, math.nextafter(7457, 0),
                   math.nextafter(7457, 1e9), 2952.0, math.nextafter(2952, 1e9), lambda: rng.uniform(7000, 8000),
                   lambda: round(rng.uniform(7400, 7500), 1)] * 3 + ["", "#N/A"])
        rec["income_per_capita"] = inc if isinstance(inc, str) else shortest(inc)
        con = num([lambda: round(rng.uniform(2500, 7000), 1), 2952.0, math.nextafter(2952, 0), math.nextafter(2952, 1e9),
                   lambda: rng.uniform(2900, 3000)] * 4 + [""])
        rec["consumption_per_capita"] = con if isinstance(con, str) else shortest(con)
        area = num([lambda: round(rng.uniform(15, 80), 1), 30.0, math.nextafter(30, 0), math.nextafter(30, 100),
                    lambda: rng.uniform(29, 31), 29.9, 30.1] * 3 + [""])
        rec["house_area_per_capita"] = area if isinstance(area, str) else shortest(area)
        for col, p in (("house_safe", 0.9), ("safe_water", 0.95), ("tap_water_feasible", 0.8), ("tap_water", 0.9),
                       ("income_source", 0.93), ("toilet", 0.92), ("phone", 0.97), ("radio_tv", 0.95),
                       ("internet", 0.9), ("debt_illness", 0.05), ("debt_schooling", 0.03), ("debt_marriage", 0.02),
                       ("registered", 0.95)):
            y, n = rng.choice(spellings) if rng.random() < 0.3 else (yes, no)
            rec[col] = y if rng.random() < p else n
            if rng.random() < 0.01:
                rec[col] = ""
        kids = rng.randint(0, 3)
        rec["school_age_children"] = str(kids)
        rec["school_dropouts"] = str(1 if kids and rng.random() < 0.03 else 0)
        lab = rng.randint(0, min(3, members))
        rec["main_laborers"] = str(lab)
        rec["laborers_trained"] = str(lab if rng.random() < 0.9 else max(0, lab - 1))
        rec["ncms_enrolled"] = str(members if rng.random() < 0.95 else members - 1)
        el = rng.randint(0, members)
        rec["pension_eligible"] = str(el)
        rec["pension_enrolled"] = str(el if rng.random() < 0.95 else max(0, el - 1))
        rec["exit_year"] = "2016" if claimed and rng.random() < 0.3 else ("2015" if not claimed and rng.random() < 0.15 else "")
        if k in (57, 211):
            rec["members"] = "abc" if k == 57 else "2.5"         # errors on both sides
        row = [rec[h] for h in hdr]
        rows.append(row)
        # workbook-only variety (same values)
        r = rng.random()
        if r < 0.05:
            sp["household_id"] = ("s", rec["household_id"])
        elif r < 0.08:
            sp["village_id"] = ("rich", [vid[:4], vid[4:]], "ムラ")
        if rng.random() < 0.03 and rec["income_per_capita"] not in ("", "#N/A"):
            v = rec["income_per_capita"]
            sp["income_per_capita"] = ("f", "%s*1" % v, None, excel17(float(v)))
        if rng.random() < 0.05:
            sp["claimed_exit"] = ("is", rec["claimed_exit"])
        specials.append(sp)
    return {"county": county, "village": villages, "household": rows}, specials


def generated_case(rng, csvdir, xdir):
    tables, specials = generate(rng)
    os.makedirs(csvdir, exist_ok=True)
    os.makedirs(xdir, exist_ok=True)
    for lv, rows in tables.items():
        out = [[zh_header(lv, h) for h in rows[0]]] + rows[1:]
        write_csv(os.path.join(csvdir, lv + ".csv"), out)

    def special(i, col, text, spec):
        s = specials[i].get(col)
        if s is not None:
            return s
        if col in ("income_per_capita", "consumption_per_capita", "house_area_per_capita") and spec and spec[0] == "n":
            return ("n", spec[1], excel17(spec[1]) if rng.random() < 0.6 else shortest(spec[1]))
        if spec and spec[0] == "b" and text.lower() not in ("yes", "no", "true", "false", "1", "0") and rng.random() < 0.3:
            return ("s", text)       # the spelling kept as text
        return False

    hh = tables["household"]
    blanks = set(rng.sample(range(len(hh) - 2), 4))
    styled = set(rng.sample(range(len(hh) - 2), 3)) - blanks
    sh_hh, map_hh = table_sheet("户", hh, "household", rng, zh=True, special=special,
                                titles=["渭源县2016年建档立卡贫困户信息表"], blank_after=blanks, styled_blank_after=styled)
    write_workbook(os.path.join(xdir, "household.xlsx"), [sh_hh])
    sh_v, map_v = table_sheet("村", tables["village"], "village", rng, zh=True, blank_after={5})
    write_workbook(os.path.join(xdir, "village.xlsx"), [note_sheet("Sheet1", ["说明"]), sh_v])
    sh_c, map_c = table_sheet("县", tables["county"], "county", rng, zh=True)
    write_workbook(os.path.join(xdir, "county.xlsx"), [sh_c])
    return {"household": map_hh, "village": map_v, "county": map_c}


# ---------------------------------------------------------------------------
# waivers and the survey

def waivers_workbook(path, rng):
    rows = read_csv(os.path.join(ROOT, "fixtures", "demo", "waivers.csv"))
    sh = Sheet("Sheet1")
    sh.put(1, [("s", h) for h in rows[0]])
    fmts = ["yyyy-mm-dd", "mm-dd-yy", 'yyyy"年"m"月"d"日"', "yyyy/m/d", "d-mmm-yy"]
    k = 0
    for i, r in enumerate(rows[1:], start=2):
        cells = []
        for j, v in enumerate(r):
            if re.match(r"^\d{4}-\d{2}-\d{2}$", v):
                cells.append(("d", datetime.date(*map(int, v.split("-"))), fmts[k % len(fmts)]))
                k += 1
            elif v.isdigit() and len(v) > 6:
                cells.append(("n", int(v), None))
            elif v == "":
                cells.append(None)
            else:
                cells.append(("s", v))
        while cells and cells[-1] is None:
            cells.pop()
        sh.put(i, cells)
    write_workbook(path, [sh])
    return k


def survey_workbook(path, rng):
    rows = read_csv(os.path.join(ROOT, "fixtures", "demo", "survey.csv"))
    sh, rowmap = table_sheet("Sheet1", rows, "household", rng, blank_after={40})
    # the header row: table_sheet maps id headers to zh only with zh=True; these are zh already
    write_workbook(path, [sh])
    return rowmap


# ---------------------------------------------------------------------------
# broken and hostile workbooks

def expect_error(name, args, needles, timeout=120):
    st, out, err = run(args, timeout=timeout, what=name)
    if st != 2:
        fail("%s: exit status %d, expected 2: %s\nstderr:\n%s" % (name, st, short(args), err[-2000:]))
    if "Traceback" in err or not err.strip():
        fail("%s: no message on stderr: %s" % (name, short(args)))
    for n in needles:
        alts = n if isinstance(n, tuple) else (n,)
        if not any(a.lower() in err.lower() for a in alts):
            fail("%s: stderr does not mention %s: %s\nstderr:\n%s" % (name, " or ".join(repr(a) for a in alts), short(args), err[-2000:]))
    first = next((l for l in err.splitlines() if "error" in l or "错误" in l), err.splitlines()[0])
    ok("%s: status 2, %s" % (name, first.replace(TMP + "/", "")[:200]))
    return err


def error_cases(zhdir, facts, rng):
    hx = os.path.join(zhdir, "household.xlsx")
    base = ["check", "-r", PACK, "-f", "units", "-o", "/dev/null", "-q"]

    # not a zip
    p = os.path.join(TMP, "err-notzip")
    os.makedirs(p)
    with open(os.path.join(p, "household.xlsx"), "w") as f:
        f.write("户编号,村编号\n6211230010001,621123001\n")
    expect_error("not a zip (--household)", base + ["--household", os.path.join(p, "household.xlsx")], ["household.xlsx"])
    shutil.copy(os.path.join(zhdir, "village.xlsx"), p)
    expect_error("not a zip (in DATADIR)", base + [p], ["household.xlsx"])

    # an empty file named .xlsx
    p = os.path.join(TMP, "err-empty.xlsx")
    open(p, "w").close()
    expect_error("empty .xlsx", base + ["--household", p], ["err-empty.xlsx"])

    # a zip without xl/workbook.xml
    p = os.path.join(TMP, "err-noworkbook.xlsx")
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", "<w/>")
    expect_error("zip without xl/workbook.xml", base + ["--household", p], ["err-noworkbook.xlsx"])

    # a truncated workbook
    p = os.path.join(TMP, "err-truncated.xlsx")
    data = open(hx, "rb").read()
    open(p, "wb").write(data[: len(data) // 2])
    expect_error("truncated workbook", base + ["--household", p], ["err-truncated.xlsx"])

    # a legacy .xls: an OLE2 compound file
    p = os.path.join(TMP, "household.xls")
    with open(p, "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + bytes.fromhex("3E000300FEFF0900") + b"\0" * 488 + b"\xff" * 512)
    expect_error("legacy .xls (OLE2) with --household", base + ["--household", p], ["household.xls", ".xlsx"])
    p2 = os.path.join(TMP, "ole2-as-xlsx.xlsx")
    shutil.copy(p, p2)
    expect_error("OLE2 file named .xlsx", base + ["--household", p2], ["ole2-as-xlsx.xlsx", ".xlsx"])

    # a DOCTYPE with an external entity in the shared strings, pointing at a FIFO:
    # a reader that opened it would block there
    fifo = os.path.join(TMP, "secret.fifo")
    os.mkfifo(fifo)
    secret = os.path.join(TMP, "secret.txt")
    open(secret, "w").write("SECRET-CONTENT-42\n")
    p = os.path.join(TMP, "err-xxe.xlsx")

    def xxe(target, name):
        def fn(b):
            s = b.decode("utf-8")
            s = s.replace('<sst ', '<!DOCTYPE sst [<!ENTITY %s SYSTEM "file://%s">]><sst ' % (name, target), 1)
            return re.sub(r"<si><t([^>]*)>([^<]*)</t></si>", r"<si><t\1>&%s;\2</t></si>" % name, s, count=3).encode("utf-8")
        return fn
    patch_part(hx, "xl/sharedStrings.xml", xxe(fifo, "xxe"), out=p)
    err = expect_error("DOCTYPE with an external entity (a FIFO) in xl/sharedStrings.xml",
                       base + ["--household", p], ["err-xxe.xlsx", ("doctype", "entit", "DTD")], timeout=30)
    p = os.path.join(TMP, "err-xxe-file.xlsx")
    patch_part(hx, "xl/sharedStrings.xml", xxe(secret, "xxf"), out=p)
    st, out, err = run(["check", "-r", PACK, "-f", "json", "-q", "--household", p], what="xxe file")
    if st != 2 or "SECRET-CONTENT-42" in out or "SECRET-CONTENT-42" in err:
        fail("DOCTYPE with an external entity (a file): status %d, the file's content %s in the output"
             % (st, "appears" if "SECRET-CONTENT-42" in out + err else "does not appear"))
    ok("DOCTYPE with an external entity (a file): status 2, the file's content appears nowhere")

    # nested internal entities (a billion laughs) in a sheet
    def laughs(b):
        s = b.decode("utf-8")
        ents = '<!ENTITY l0 "lol">' + "".join('<!ENTITY l%d "%s">' % (k, ("&l%d;" % (k - 1)) * 10) for k in range(1, 10))
        s = s.replace("<worksheet ", "<!DOCTYPE worksheet [%s]><worksheet " % ents, 1)
        return s.replace('<c r="A2"', '<c r="AZ2" t="inlineStr"><is><t>&l9;</t></is></c><c r="A2"', 1).encode("utf-8")
    p = os.path.join(TMP, "err-laughs.xlsx")
    patch_part(hx, "xl/worksheets/sheet2.xml", laughs, out=p)
    expect_error("nested entities (billion laughs) in the sheet", base + ["--household", p],
                 ["err-laughs.xlsx", ("doctype", "entit", "DTD")], timeout=30)

    # --sheet naming no sheet
    expect_error("--sheet nosuch", base + ["--household", hx, "--sheet", "nosuch"], ["nosuch", "说明", "户"])
    expect_error("--sheet 3 (of 2)", base + ["--household", hx, "--sheet", "3"], ["说明", "户"])

    # --sheet choosing the sheet
    st0, u0, e0 = run(["check", "-r", PACK, "-f", "units", "-q", "--household", hx], what="--sheet")
    for sel in ("2", "户"):
        st1, u1, e1 = run(["check", "-r", PACK, "-f", "units", "-q", "--household", hx, "--sheet", sel], what="--sheet")
        if (st1, u1) != (st0, u0):
            fail("--sheet %s: the household results differ from the default sheet's (status %d vs %d)\n%s" % (sel, st1, st0, e1[-2000:]))
        ok("--sheet %s: the same %d units as the default (the level-named sheet 户)" % (sel, len(u0.splitlines()) - 1))
    st1, u1, e1 = run(["check", "-r", PACK, "-f", "units", "-q", "--household", hx, "--sheet", "1"], what="--sheet 1")
    if st1 != 2:
        fail("--sheet 1 (the note sheet 说明): status %d, expected 2 (no household header)" % st1)
    ok("--sheet 1 (the note sheet 说明): status 2, the columns are missing")

    # --header-row on a workbook: row 3 of village.xlsx is its header
    vx = os.path.join(zhdir, "village.xlsx")
    sa, ua, _ = run(["check", "-r", PACK, "-f", "units", "-q", "--village", vx], what="--header-row")
    sb, ub, eb = run(["check", "-r", PACK, "-f", "units", "-q", "--village", vx, "--header-row", "3"], what="--header-row")
    if (sa, ua) != (sb, ub):
        fail("--header-row 3 on village.xlsx (title rows 1-2): results differ from the detected header's\n%s" % eb[-2000:])
    ok("--header-row 3 on village.xlsx: the same %d units as the header detected on row 3" % (len(ua.splitlines()) - 1))

    # garbage bytes named .xlsx
    p = os.path.join(TMP, "err-garbage.xlsx")
    open(p, "wb").write(bytes(random.Random(3).randrange(256) for _ in range(4096)))
    expect_error("random bytes named .xlsx", base + ["--household", p], ["err-garbage.xlsx"])

    # row-level messages: a duplicate id, a totals row; lines are sheet rows
    hh = demo_tables()["household"][:41]
    hh = hh + [list(hh[5]), ["合计"] + [""] * (len(hh[0]) - 1)]
    d = os.path.join(TMP, "err-duplicate")
    os.makedirs(d)
    sh, rmap = table_sheet("户", hh, "household", random.Random(5), zh=True, titles=["渭源县贫困户信息表"], blank_after={9})
    write_workbook(os.path.join(d, "household.xlsx"), [sh])
    err = expect_error("duplicate id in a workbook", base + ["--household", os.path.join(d, "household.xlsx")],
                       ["household.xlsx:户!", "duplicate household_id '%s' (first at line %d)" % (hh[5][0], rmap[4])])
    dup = [l for l in err.splitlines() if "duplicate household_id" in l][0]
    if "household.xlsx:户!%d" % rmap[40] not in dup:
        fail("duplicate id in a workbook: the message is not at sheet row %d: %s" % (rmap[40], dup))
    ok("duplicate id in a workbook: at sheet row %d, first at line %d (sheet rows, after a title row and an empty row)" % (rmap[40], rmap[4]))
    tot = [l for l in err.splitlines() if "合计" in l]
    if not tot or "household.xlsx:户!A%d" % rmap[41] not in tot[0]:
        fail("totals row in a workbook: expected a note at household.xlsx:户!A%d, got %s" % (rmap[41], tot))
    ok("totals row in a workbook: the note is at household.xlsx:户!A%d" % rmap[41])

    # bad cells: the message names the file, sheet and cell
    hh = demo_tables()["household"]
    hdr = hh[0]
    rowmap = facts["hh_rowmap"]
    cases = [
        (15, "income_per_capita", ("s", "abc"), "'abc'"),
        (20, "members", ("n", 96.3, "96.299999999999997"), "'96.3'"),
        (1500, "school_dropouts", ("n", 2.5, "2.5"), "'2.5'"),
    ]
    for i, col, spec, found in cases:
        j = hdr.index(col)
        cell = "%s%d" % (get_column_letter(j + 1), rowmap[i])
        d = os.path.join(TMP, "err-cell-%s" % col)
        os.makedirs(d)
        def special(ii, c, text, s, i=i, col=col, spec=spec):
            return spec if (ii == i and c == col) else False
        sh, _ = table_sheet("户", hh, "household", random.Random(5), zh=True, special=special, blank_after={999}, styled_blank_after={1999})
        write_workbook(os.path.join(d, "household.xlsx"), [note_sheet("说明", ["说明"]), sh])
        want = "household.xlsx:户!%s" % cell
        err = expect_error("bad cell %s (%s)" % (cell, col), base + ["--household", os.path.join(d, "household.xlsx")],
                           [want, found, col])
        line = next(l for l in err.splitlines() if want in l)
        if found not in line:
            fail("bad cell %s: the message at %s does not give %s: %s" % (cell, want, found, line))


# ---------------------------------------------------------------------------

def main():
    global EXE, ROOT, PACK, TMP
    args = sys.argv[1:]
    keep = None
    global REFERENCE
    if "--reference" in args:
        REFERENCE = True
        args.remove("--reference")
    if "--keep" in args:
        k = args.index("--keep")
        keep = args[k + 1]
        del args[k:k + 2]
    if len(args) != 2:
        print(__doc__.split("\n\n")[1])
        sys.exit(2)
    EXE, ROOT = os.path.abspath(args[0]), os.path.abspath(args[1])
    PACK = os.path.join(ROOT, "rules", "gansu")
    for lv in ("county", "village", "household"):
        COLS[lv] = pack_columns(lv)
    if keep:
        if os.path.exists(keep):
            shutil.rmtree(keep)
        os.makedirs(keep)
        TMP = os.path.abspath(keep)
    else:
        TMP = tempfile.mkdtemp(prefix="xlsx_same.")
    try:
        help_text = run(["check", "--help"], what="help")[1]
        if "--sheet" not in help_text:
            print("note: `exitcheck check --help` does not mention --sheet")
        rng = random.Random(20161220)
        demo = os.path.join(ROOT, "fixtures", "demo")

        # 1. the demo, Chinese headers, level-named sheets, title rows, quirks
        zh = os.path.join(TMP, "demo-zh")
        maps, facts = demo_variant_zh(zh, rng)
        print("wrote %s: household.xlsx [说明, 户], village.xlsx [村, title rows 1-2], county.xlsx [Sheet1]" % zh)
        check_pair("demo-zh", [demo], [zh], maps)

        # one thread reads as two do
        if not REFERENCE:
            t2 = run(["check", zh, "-r", PACK, "-f", "units", "-q"], what="--threads")
            t1 = run(["check", zh, "-r", PACK, "-f", "units", "-q", "--threads", "1"], what="--threads")
            if t1 != t2:
                fail("demo-zh: --threads 1 gives other results or messages than --threads 2 (status %d vs %d)" % (t1[0], t2[0]))
            ok("demo-zh: --threads 1 and 2 give the same units, messages and status")

        # the same with each table named on the command line
        check_pair("demo-zh --LEVEL", ["--household", os.path.join(demo, "household.csv"), "--village",
                                       os.path.join(demo, "village.csv"), "--county", os.path.join(demo, "county.csv")],
                   ["--household", os.path.join(zh, "household.xlsx"), "--village", os.path.join(zh, "village.xlsx"),
                    "--county", os.path.join(zh, "county.xlsx")], maps)

        # 2. English headers, sheets Household / first sheet / 县
        en = os.path.join(TMP, "demo-en")
        maps_en = demo_variant_en(en, rng)
        print("wrote %s: household.xlsx [Notes, Household], village.xlsx [Sheet1, 附表], county.xlsx [封面, 县]" % en)
        check_pair("demo-en", [demo], [en], maps_en)

        # 3. waivers as a workbook with date cells
        wx = os.path.join(TMP, "waivers.xlsx")
        ndates = waivers_workbook(wx, rng)
        da, db, _ = check_pair("waivers.xlsx", [demo, "--waivers", os.path.join(demo, "waivers.csv")],
                               [zh, "--waivers", wx], maps)
        wa, wb_ = da["waivers"], db["waivers"]
        for k in ("rows_read", "rows_rejected", "entries"):
            if wa.get(k) != wb_.get(k):
                fail("waivers.xlsx: json waivers %s differ:\n  expected %s\n  got      %s"
                     % (k, json.dumps(wa.get(k), ensure_ascii=False)[:1500], json.dumps(wb_.get(k), ensure_ascii=False)[:1500]))
        ok("waivers.xlsx: the same %d waivers, their %d date cells read as ISO dates (%s)"
           % (len(wb_["entries"]), ndates, ", ".join(sorted({e["approved_on"] for e in wb_["entries"]}))))

        # 4. verify's survey as a workbook
        sx = os.path.join(TMP, "survey.xlsx")
        smap = survey_workbook(sx, rng)
        man = os.path.join(demo, "manifest.csv")
        jc, jx = os.path.join(TMP, "verify-csv.json"), os.path.join(TMP, "verify-xlsx.json")
        a = ["verify", demo, "--survey", os.path.join(demo, "survey.csv"), "--manifest", man, "-r", PACK, "-f", "csv", "-f", "json", "-o", jc, "-q"]
        b = ["verify", demo] + xargs(["--survey", sx]) + [ "--manifest", man, "-r", PACK, "-f", "csv", "-f", "json", "-o", jx, "-q"]
        sa, oa, ea = run(a, what="verify")
        sb, ob, eb = run(b, what="verify")
        if sa != sb or oa != ob:
            fail("verify --survey survey.xlsx: status %d vs %d, csv report %s\n  %s\n  %s\n%s"
                 % (sb, sa, "identical" if oa == ob else "differs", short(b), short(a), eb[-2000:]))
        ok("verify --survey survey.xlsx: status %d, the csv report identical (%d households)" % (sb, len(ob.splitlines()) - 1))
        va, vb = json.load(open(jc, encoding="utf-8")), json.load(open(jx, encoding="utf-8"))
        for k in ("counties", "overall", "accuracy"):
            if va[k] != vb[k]:
                fail("verify --survey survey.xlsx: json %s differs" % k)
        ha = []
        for h in va["households"]:
            h = dict(h)
            if h.get("line"):
                h["line"] = smap[h["line"] - 2]
            ha.append(h)
        if ha != vb["households"]:
            bad = next((x, y) for x, y in zip(ha, vb["households"]) if x != y)
            fail("verify --survey survey.xlsx: json household differs:\n  expected %s\n  got      %s" % bad)
        ok("verify --survey survey.xlsx: json counties, overall, accuracy and households (lines = sheet rows) identical")
        # and the register as workbooks
        a = ["verify", demo, "--survey", os.path.join(demo, "survey.csv"), "--manifest", man, "-r", PACK, "-f", "csv", "-q"]
        b = ["verify"] + xargs([zh, "--survey", sx]) + [ "--manifest", man, "-r", PACK, "-f", "csv", "-q"]
        sa, oa, ea = run(a, what="verify")
        sb, ob, eb = run(b, what="verify")
        if sa != sb or oa != ob:
            fail("verify on the workbook register: status %d vs %d, csv report %s\n%s" % (sb, sa, "identical" if oa == ob else "differs", eb[-2000:]))
        ok("verify on the workbook register (demo-zh) with survey.xlsx: the same report")

        # 5. generated households
        gc, gx = os.path.join(TMP, "gen-csv"), os.path.join(TMP, "gen-xlsx")
        gmaps = generated_case(random.Random(42), gc, gx)
        print("wrote %s (and its CSV tables in %s): %d random households" % (gx, gc, len(gmaps["household"])))
        check_pair("generated", [gc], [gx], gmaps)
        gc2, gx2 = os.path.join(TMP, "gen2-csv"), os.path.join(TMP, "gen2-xlsx")
        gmaps2 = generated_case(random.Random(7), gc2, gx2)
        check_pair("generated (seed 7)", [gc2], [gx2], gmaps2)

        # 6. broken and hostile workbooks
        if REFERENCE:
            print("--reference: the error cases need exitcheck's own reader: not run")
        else:
            error_cases(zh, facts, rng)
    finally:
        if not keep:
            shutil.rmtree(TMP, ignore_errors=True)
    print("all %d checks passed" % CHECKS)


if __name__ == "__main__":
    main()
