#!/bin/bash
# check on a generated register read from CSV and from the same tables
# saved as .xlsx workbooks: the workbook must give the same unit results,
# be read in memory bounded by its shared strings (not its rows), and cost
# what inflating and parsing its XML costs. The workbooks are written here
# by a small streaming writer (Python's zipfile; text cells as shared
# strings, numbers as numbers, ids as numbers, as Excel saves them).
# Wall time: median of R runs (hyperfine); peak RSS: /usr/bin/time.
#
#   bench/workbook.sh [--households N] [--runs R] [--workdir DIR] [--keep]
#
# Defaults: 1,000,000 households in 500 villages, 5 runs.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
HOUSEHOLDS=1000000
RUNS=5
WORKDIR=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --households) HOUSEHOLDS=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --workdir) WORKDIR=${2:?}; KEEP=1; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
        *) echo "workbook.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done
command -v hyperfine > /dev/null || { echo "workbook.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "workbook.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d "/tmp/exitcheck-workbook-bench.XXXXXX")
mkdir -p "$WORKDIR"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORKDIR"' EXIT

BUILD="$ROOT/build-rel"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
ninja -C "$BUILD" > /dev/null
EXITCHECK="$BUILD/exitcheck"
COUNTIES=$(( (HOUSEHOLDS + 49999) / 50000 ))
[ "$COUNTIES" -le 1000 ] || COUNTIES=1000
CSV="$WORKDIR/csv"
XLSX="$WORKDIR/xlsx"
if [ ! -f "$CSV/household.csv" ]; then
    "$BUILD/gendata" --out "$CSV" --households "$HOUSEHOLDS" --villages 500 --counties "$COUNTIES" --seed 1 > /dev/null
fi
mkdir -p "$XLSX"
for t in county village household; do
    [ -f "$XLSX/$t.xlsx" ] && continue
    python3 - "$CSV/$t.csv" "$XLSX/$t.xlsx" <<'PY'
import csv, re, sys, zipfile
from xml.sax.saxutils import escape
src, dst = sys.argv[1], sys.argv[2]
num = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?$")
strings, index = [], {}
def col(k):
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = chr(65 + r) + s
    return s
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out, open(src, newline="", encoding="utf-8") as f:
        out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        buf = []
        for r, row in enumerate(csv.reader(f), 1):
            buf.append('<row r="%d">' % r)
            for k, v in enumerate(row):
                if v == "":
                    continue
                ref = col(k) + str(r)
                if r > 1 and num.match(v):
                    buf.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                else:
                    i = index.get(v)
                    if i is None:
                        i = index[v] = len(strings)
                        strings.append(v)
                    buf.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, i))
            buf.append("</row>")
            if len(buf) > 20000:
                out.write("".join(buf).encode())
                buf = []
        out.write(("".join(buf) + "</sheetData></worksheet>").encode())
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "".join("<si><t>%s</t></si>" % escape(s) for s in strings) + "</sst>")
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
               '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
PY
done
OUT="$WORKDIR/out"
mkdir -p "$OUT"
echo "households: $HOUSEHOLDS; household.csv $(du -h "$CSV/household.csv" | cut -f1), household.xlsx $(du -h "$XLSX/household.xlsx" | cut -f1)"
# the same results: every unit's status, claim, exit and failing targets
"$EXITCHECK" check "$CSV" -f units -o "$OUT/csv.units" -q > /dev/null 2>&1 || true
"$EXITCHECK" check "$XLSX" -f units -o "$OUT/xlsx.units" -q > /dev/null 2>&1 || true
if cmp -s "$OUT/csv.units" "$OUT/xlsx.units"; then
    echo "same unit results from CSV and xlsx ($(($(wc -l < "$OUT/csv.units") - 1)) units)"
else
    echo "workbook.sh: the xlsx run's units differ from the CSV run's:" >&2
    diff "$OUT/csv.units" "$OUT/xlsx.units" | head >&2
    exit 1
fi
hyperfine --runs "$RUNS" --warmup 1 -i --export-json "$OUT/hyperfine.json" \
    -n csv "$EXITCHECK check $CSV -f units -o /dev/null -q" \
    -n xlsx "$EXITCHECK check $XLSX -f units -o /dev/null -q" > "$OUT/hyperfine.txt"
python3 - "$OUT/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, x = r["csv"]["median"], r["xlsx"]["median"]
print("median wall time: csv %.3f s, xlsx %.3f s (xlsx/csv %.2f)" % (c, x, x / c))
PY
for kind in csv xlsx; do
    dir=$CSV
    [ "$kind" = xlsx ] && dir=$XLSX
    /usr/bin/time -f "%M" -o "$OUT/$kind.rss" "$EXITCHECK" check "$dir" -f units -o /dev/null -q > /dev/null 2>&1 || true
    echo "peak RSS $kind: $(( $(tail -n 1 "$OUT/$kind.rss") / 1024 )) MiB"
done
