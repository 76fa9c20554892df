#!/bin/bash
# verify next to check on the same generated register: a survey of the
# sample bench/sample-plan.yaml draws (about 100,000 households at
# 10,000,000) against the whole register, timed next to `exitcheck check`
# of the register (issue #15 asks for about check's time, in memory
# bounded by the survey and the villages: the register is streamed). The
# survey is the register's rows of the drawn households with a
# recognition column: every figure is computed, nothing differs. Wall
# time: median of R runs (hyperfine); peak RSS: /usr/bin/time.
#
#   bench/verify.sh [--households N] [--runs R] [--workdir DIR] [--keep]
#
# Defaults: 10,000,000 households, 3 runs. With the --workdir of an earlier
# bench/sample.sh run the register is not generated again.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
HOUSEHOLDS=10000000
RUNS=3
WORKDIR=""
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --households) HOUSEHOLDS=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --workdir) WORKDIR=${2:?}; KEEP=1; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
        *) echo "verify.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done
command -v hyperfine > /dev/null || { echo "verify.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "verify.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d "/tmp/exitcheck-verify-bench.XXXXXX")
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
rm -f "$DATA/county.csv"
OUT="$WORKDIR/out"
mkdir -p "$OUT"
"$EXITCHECK" sample "$DATA" -r "$ROOT/rules/gansu" --plan "$BENCH/sample-plan.yaml" --seed bench \
    --manifest "$OUT/manifest.csv" -f json -o "$OUT/sample.json" -q 2> /dev/null
# the survey: the register's rows of the drawn households, plus recognition
python3 - "$OUT/manifest.csv" "$DATA/household.csv" "$OUT/survey.csv" <<'PY'
import csv, sys
ids = {r["unit_id"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["level"] == "household"}
with open(sys.argv[2], newline="") as f, open(sys.argv[3], "w", newline="") as o:
    header = f.readline().rstrip("\n")
    o.write(header + ",recognition\n")
    for line in f:
        if line[:line.index(",")] in ids:
            o.write(line.rstrip("\n") + ",yes\n")
PY
echo "## verify next to check: $HOUSEHOLDS households in the register, $(($(wc -l < "$OUT/survey.csv") - 1)) surveyed, median of $RUNS runs"
echo
echo "- machine: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1), nproc $(nproc)"
echo "- exitcheck $("$EXITCHECK" --version | cut -d' ' -f2), commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?'), Release build"
echo
declare -A CMD
CMD[check]="$EXITCHECK check $DATA -r $ROOT/rules/gansu --param province_budget_revenue_growth=8 -f units -o $OUT/units.csv -q"
CMD[verify]="$EXITCHECK verify $DATA -r $ROOT/rules/gansu --survey $OUT/survey.csv --manifest $OUT/manifest.csv -f json -o $OUT/verify.json -q"
for t in check verify; do
    ${CMD[$t]} > /dev/null 2>&1 || [ $? = 1 ] || { echo "verify.sh: $t failed: ${CMD[$t]}" >&2; exit 2; }
done
echo "| command | median wall s | ratio to check | peak RSS MiB |"
echo "|---|---:|---:|---:|"
declare -A MED
for t in check verify; do
    rss="$WORKDIR/rss-$t"
    : > "$rss"
    hyperfine --runs "$RUNS" --warmup 1 -i --export-json "$WORKDIR/t-$t.json" --command-name "$t" \
        "/usr/bin/time -f %M -a -o $rss ${CMD[$t]}" > /dev/null 2>&1
    MED[$t]=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORKDIR/t-$t.json")
    peak=$(sort -n "$rss" | tail -1)
    ratio=$(python3 -c "print('%.2f' % (${MED[$t]} / ${MED[check]:-${MED[$t]}}))")
    echo "| $t | ${MED[$t]} | $ratio | $(( peak / 1024 )) |"
done
