#!/bin/bash
# check with and without --waivers on the same generated register: the
# waivers must cost no more than their own lookup (one hash probe per
# unit), and memory must grow with the waivers, not the households. The
# waiver file holds W household waivers (H02, H05, H06 in turn) on ids
# spread over the register, a tenth of them expired at the as-of date.
# Wall time: median of R runs (hyperfine); peak RSS: /usr/bin/time.
#
#   bench/waivers.sh [--households N] [--waivers W] [--runs R] [--workdir DIR] [--keep]
#
# Defaults: 1,000,000 households, 10,000 waivers, 5 runs. With the
# --workdir of an earlier bench/sample.sh or bench/verify.sh run the
# register is not generated again.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
HOUSEHOLDS=1000000
WAIVERS=10000
RUNS=5
WORKDIR=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --households) HOUSEHOLDS=${2:?}; shift 2 ;;
        --waivers) WAIVERS=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --workdir) WORKDIR=${2:?}; KEEP=1; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
        *) echo "waivers.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done
command -v hyperfine > /dev/null || { echo "waivers.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "waivers.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d "/tmp/exitcheck-waivers-bench.XXXXXX")
mkdir -p "$WORKDIR"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORKDIR"' EXIT

BUILD="$ROOT/build-rel"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
ninja -C "$BUILD" > /dev/null
EXITCHECK="$BUILD/exitcheck"
COUNTIES=$(( (HOUSEHOLDS + 49999) / 50000 ))
[ "$COUNTIES" -le 1000 ] || COUNTIES=1000
DATA="$WORKDIR/data"
if [ ! -f "$DATA/household.csv" ]; then
    "$BUILD/gendata" --out "$DATA" --households "$HOUSEHOLDS" --villages 500 --counties "$COUNTIES" --seed 1 > /dev/null
fi
OUT="$WORKDIR/out"
mkdir -p "$OUT"
# every k-th household of the register gets a waiver
python3 - "$DATA/household.csv" "$OUT/waivers.csv" "$HOUSEHOLDS" "$WAIVERS" <<'PY'
import sys
src, dst, n, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
step = max(1, n // max(1, w))
targets = ["H02", "H05", "H06"]
with open(src) as f, open(dst, "w") as o:
    o.write("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n")
    f.readline()
    k = 0
    for i, line in enumerate(f):
        if i % step or k >= w:
            continue
        hid = line[:line.index(",")]
        expires = "2000-06-30" if k % 10 == 9 else ""
        o.write("household,%s,%s,bench basis %d,,bench office,2000-01-01,%s\n" % (hid, targets[k % 3], k, expires))
        k += 1
PY
echo "## check with and without --waivers: $HOUSEHOLDS households, $(($(wc -l < "$OUT/waivers.csv") - 1)) waivers, median of $RUNS runs"
echo
echo "- machine: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1), nproc $(nproc)"
echo "- exitcheck $("$EXITCHECK" --version | cut -d' ' -f2), commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?'), Release build"
echo
declare -A CMD
BASE="$EXITCHECK check $DATA -r $ROOT/rules/gansu --param province_budget_revenue_growth=8 -q"
CMD[check]="$BASE -f json -o $OUT/plain.json"
CMD[check_waivers]="$BASE --waivers $OUT/waivers.csv -f json -o $OUT/waived.json"
for t in check check_waivers; do
    ${CMD[$t]} > /dev/null 2>&1 || [ $? = 1 ] || { echo "waivers.sh: $t failed: ${CMD[$t]}" >&2; exit 2; }
done
echo "| command | median wall s | ratio to check | peak RSS MiB |"
echo "|---|---:|---:|---:|"
declare -A MED
for t in check check_waivers; do
    rss="$WORKDIR/rss-$t"
    : > "$rss"
    hyperfine --runs "$RUNS" --warmup 1 -i --export-json "$WORKDIR/t-$t.json" --command-name "$t" \
        "/usr/bin/time -f %M -a -o $rss ${CMD[$t]}" > /dev/null 2>&1
    MED[$t]=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORKDIR/t-$t.json")
    peak=$(sort -n "$rss" | tail -1)
    ratio=$(python3 -c "print('%.2f' % (${MED[$t]} / ${MED[check]:-${MED[$t]}}))")
    echo "| $t | ${MED[$t]} | $ratio | $(( peak / 1024 )) |"
done
python3 - "$OUT/waived.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
uses = {}
for e in j["waivers"]["entries"]:
    uses[e["use"]] = uses.get(e["use"], 0) + 1
s = j["summary"]["household"]
print()
print("waivers: %s; households passing only by waiver %d, claims holding only by waiver %d"
      % (", ".join("%s %d" % kv for kv in sorted(uses.items())), s["by_waiver"], s["supported_by_waiver"]))
PY
