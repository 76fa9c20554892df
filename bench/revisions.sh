#!/bin/bash
# exitcheck at two revisions, side by side on the same generated register:
# what a change costs. Each revision is built in Release from a git
# worktree; both check the same household table (-f units) and hyperfine
# alternates nothing but runs them in one session, so the machine's state
# is as alike as it gets. Wall time: median of R runs; peak RSS:
# /usr/bin/time.
#
#   bench/revisions.sh OLD [NEW] [--households N] [--runs R] [--workdir DIR]
#
# NEW defaults to the working tree's HEAD; N to 1,000,000; R to 5.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OLD=""
NEW=HEAD
HOUSEHOLDS=1000000
RUNS=5
WORKDIR=""
while [ $# -gt 0 ]; do
    case "$1" in
        --households) HOUSEHOLDS=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --workdir) WORKDIR=${2:?}; shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
        -*) echo "revisions.sh: unknown option: $1" >&2; exit 2 ;;
        *) if [ -z "$OLD" ]; then OLD=$1; else NEW=$1; fi; shift ;;
    esac
done
[ -n "$OLD" ] || { echo "usage: bench/revisions.sh OLD [NEW] [--households N] [--runs R]" >&2; exit 2; }
command -v hyperfine > /dev/null || { echo "revisions.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "revisions.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d "/tmp/exitcheck-revisions.XXXXXX")
mkdir -p "$WORKDIR"
trap 'git -C "$ROOT" worktree remove --force "$WORKDIR/old" 2> /dev/null || true; git -C "$ROOT" worktree remove --force "$WORKDIR/new" 2> /dev/null || true' EXIT

build() { # build NAME REV
    git -C "$ROOT" worktree remove --force "$WORKDIR/$1" 2> /dev/null || true
    git -C "$ROOT" worktree add --detach "$WORKDIR/$1" "$2" > /dev/null 2>&1
    cmake -S "$WORKDIR/$1" -B "$WORKDIR/build-$1" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
    ninja -C "$WORKDIR/build-$1" > /dev/null
}
build old "$OLD"
build new "$NEW"
DATA="$WORKDIR/data"
if [ ! -f "$DATA/household.csv" ]; then
    COUNTIES=$(( (HOUSEHOLDS + 49999) / 50000 ))
    "$WORKDIR/build-new/gendata" --out "$DATA" --households "$HOUSEHOLDS" --villages 500 --counties "$COUNTIES" --seed 1 > /dev/null
fi
echo "## exitcheck $OLD ($(git -C "$ROOT" rev-parse --short "$OLD")) against $NEW ($(git -C "$ROOT" rev-parse --short "$NEW")): $HOUSEHOLDS households, median of $RUNS runs"
echo
echo "- machine: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1), nproc $(nproc), load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| revision | median wall s | ratio to $OLD | peak RSS MiB |"
echo "|---|---:|---:|---:|"
declare -A MED
for r in old new; do
    cmd="$WORKDIR/build-$r/exitcheck check $DATA -r $WORKDIR/$r/rules/gansu --param province_budget_revenue_growth=8 -f units -o /dev/null -q"
    $cmd > /dev/null 2>&1 || [ $? = 1 ] || { echo "revisions.sh: $r failed: $cmd" >&2; exit 2; }
    rss="$WORKDIR/rss-$r"
    : > "$rss"
    hyperfine --runs "$RUNS" --warmup 1 -i --export-json "$WORKDIR/t-$r.json" "/usr/bin/time -f %M -a -o $rss $cmd" > /dev/null 2>&1
    MED[$r]=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORKDIR/t-$r.json")
    ratio=$(python3 -c "print('%.2f' % (${MED[$r]} / ${MED[old]}))")
    name=$([ $r = old ] && echo "$OLD" || echo "$NEW")
    echo "| $name | ${MED[$r]} | $ratio | $(( $(sort -n "$rss" | tail -1) / 1024 )) |"
done
