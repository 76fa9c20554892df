#!/bin/bash
# sample next to check on the same generated register: `exitcheck sample`
# (bench/sample-plan.yaml, manifest and form written) against `exitcheck
# check` of the same tables (-f units), and the bare libcsv parse of
# household.csv (the floor). SPEC §7.1 and issue #14 ask that sample take
# at most the time check takes, in memory bounded by the villages and the
# sample. Wall time: median of R runs (hyperfine); peak RSS: /usr/bin/time.
#
#   bench/sample.sh [--households N] [--runs R] [--workdir DIR] [--keep]
#
# Defaults: 10,000,000 households (500 villages per county, about 100
# households per village), 3 runs. Needs hyperfine and /usr/bin/time.
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
        *) echo "sample.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done
command -v hyperfine > /dev/null || { echo "sample.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "sample.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d "/tmp/exitcheck-sample-bench.XXXXXX")
mkdir -p "$WORKDIR"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORKDIR"' EXIT

BUILD="$ROOT/build-rel"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
ninja -C "$BUILD" > /dev/null
EXITCHECK="$BUILD/exitcheck"
CSVPARSE="$WORKDIR/csvparse"
cc -std=c11 -O3 -DNDEBUG -D_POSIX_C_SOURCE=200809L -o "$CSVPARSE" "$BENCH/csvparse.c" -lcsv

COUNTIES=$(( (HOUSEHOLDS + 49999) / 50000 ))
[ "$COUNTIES" -le 1000 ] || COUNTIES=1000
DATA="$WORKDIR/data"
if [ ! -f "$DATA/household.csv" ]; then
    "$BUILD/gendata" --out "$DATA" --households "$HOUSEHOLDS" --villages 500 --counties "$COUNTIES" --seed 1 > /dev/null
fi
rm -f "$DATA/county.csv" # sample reads the village and household tables; check reads the same two
OUT="$WORKDIR/out"
mkdir -p "$OUT"

echo "## sample next to check: $HOUSEHOLDS households, $(( COUNTIES * 500 )) villages, median of $RUNS runs"
echo
echo "- machine: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1), nproc $(nproc)"
echo "- exitcheck $("$EXITCHECK" --version | cut -d' ' -f2), commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?'), Release build"
echo "- household.csv: $(du -m "$DATA/household.csv" | cut -f1) MiB"
echo

declare -A CMD
CMD[check]="$EXITCHECK check $DATA -r $ROOT/rules/gansu --param province_budget_revenue_growth=8 -f units -o $OUT/units.csv -q"
CMD[sample]="$EXITCHECK sample $DATA -r $ROOT/rules/gansu --plan $BENCH/sample-plan.yaml --seed bench --manifest $OUT/manifest.csv --form $OUT/form.csv -f json -o $OUT/sample.json -q"
CMD[floor]="$CSVPARSE $DATA/household.csv"
# once, to see that each runs (check exits 1 when some claim fails)
for t in check sample floor; do
    ${CMD[$t]} > /dev/null 2>&1 || [ $? = 1 ] || { echo "sample.sh: $t failed: ${CMD[$t]}" >&2; exit 2; }
done
echo "| command | median wall s | ratio to check | peak RSS MiB |"
echo "|---|---:|---:|---:|"
declare -A MED
for t in check sample floor; do
    rss="$WORKDIR/rss-$t"
    : > "$rss"
    hyperfine --runs "$RUNS" --warmup 1 -i --export-json "$WORKDIR/t-$t.json" --command-name "$t" \
        "/usr/bin/time -f %M -a -o $rss ${CMD[$t]}" > /dev/null 2>&1
    MED[$t]=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORKDIR/t-$t.json")
    peak=$(sort -n "$rss" | tail -1)
    ratio=$(python3 -c "print('%.2f' % (${MED[$t]} / ${MED[check]:-${MED[$t]}}))")
    echo "| $t | ${MED[$t]} | $ratio | $(( peak / 1024 )) |"
done
echo
echo "sample drew $(($(wc -l < "$OUT/manifest.csv") - 1)) units (manifest rows); the form has $(($(wc -l < "$OUT/form.csv") - 1)) households."
