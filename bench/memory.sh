#!/bin/bash
# exitcheck's peak memory as the households grow: one run per size of
#   exitcheck check --household H --village V -f units -o units.csv
# on generated data, with the villages held at 10,000 (20 counties of 500)
# and, for comparison, with the villages growing with the households
# (about 100 households per village, as bench/run.sh generates them).
# Prints a table of households, villages, household.csv size, wall time and
# peak RSS (/usr/bin/time -f %M). The data directories are generated one at
# a time and removed after their run (30M households take 3.4 GiB).
#
#   bench/memory.sh [--sizes 1000000,10000000,30000000] [--workdir DIR]
#                   [--scaled-up-to N]
#
# --scaled-up-to N: the villages-grow runs go up to N households (default
# 10000000; 0 leaves them out). Needs what bench/run.sh builds (build-rel/).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
SIZES=1000000,10000000,30000000
SCALED_MAX=10000000
WORKDIR=""

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=${2:?}; shift 2 ;;
        --workdir) WORKDIR=${2:?}; shift 2 ;;
        --scaled-up-to) SCALED_MAX=${2:?}; shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
        *) echo "memory.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done

BUILD="$ROOT/build-rel"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
ninja -C "$BUILD" > /dev/null
if [ -z "$WORKDIR" ]; then
    WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/exitcheck-memory.XXXXXX")
    trap 'rm -rf "$WORKDIR"' EXIT
fi
mkdir -p "$WORKDIR"

echo "exitcheck $("$BUILD/exitcheck" --version | head -1), commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
echo
echo "| households | villages | household.csv MiB | wall s | peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|"
run() { # households counties
    local n=$1 counties=$2 d="$WORKDIR/data"
    rm -rf "$d"
    "$BUILD/gendata" --households "$n" --villages 500 --counties "$counties" --seed 1 --out "$d" 2> /dev/null
    local size
    size=$(stat -c %s "$d/household.csv")
    # exitcheck exits 1 on this data by design (some claimed exits do not hold)
    /usr/bin/time -f '%e %M' -o "$WORKDIR/time.txt" "$BUILD/exitcheck" check --quiet \
        --household "$d/household.csv" --village "$d/village.csv" -f units -o "$WORKDIR/units.csv" \
        > /dev/null 2>&1 || true
    set -- $(tail -1 "$WORKDIR/time.txt")
    awk -v n="$n" -v v=$((counties * 500)) -v s="$size" -v w="$1" -v r="$2" \
        'BEGIN {printf "| %d | %d | %.0f | %.2f | %.1f |\n", n, v, s / 1048576, w, r / 1024}'
    rm -rf "$d" "$WORKDIR/units.csv"
}
IFS=, read -ra NS <<< "$SIZES"
for n in "${NS[@]}"; do run "$n" 20; done
if [ "$SCALED_MAX" -gt 0 ]; then
    for n in "${NS[@]}"; do
        [ "$n" -le "$SCALED_MAX" ] || continue
        c=$(( (n + 49999) / 50000 ))
        [ "$c" = 20 ] || run "$n" "$c"
    done
fi
