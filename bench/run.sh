#!/bin/bash
# The exitcheck benchmark: the same household check (the 12 household targets
# of the Gansu pack for 2016, with three-valued logic, and each village's
# recomputed poverty rate) done by exitcheck, DuckDB, pandas and Miller on the
# same generated files, next to a bare libcsv parse of household.csv (the
# floor). First every tool runs once and the results must agree; then each is
# timed.
#
#   bench/run.sh [--households N] [--runs R] [--no-install] [--skip TOOL,...]
#                [--with-miller] [--workdir DIR] [--keep] [--timeout S]
#
# See bench/README.md.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)

HOUSEHOLDS=1000000
RUNS=5
INSTALL=1
SKIP=""
WITH_MILLER=0
WORKDIR=""
KEEP=0
TIMEOUT=1800

usage() {
    awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"
    cat <<'EOF'
Options:
  --households N   households to generate (default 1000000; 10000000 works too)
  --runs R         timed runs per tool (default 5); the median is reported
  --no-install     do not install missing packages or npm modules
  --skip LIST      leave out tools: duckdb, pandas, miller (comma-separated)
  --with-miller    keep Miller above 2,000,000 households (skipped there by
                   default: about 2 minutes per million households per run)
  --workdir DIR    where data and outputs go, kept afterwards (default: a new
                   directory /tmp/exitcheck-bench-N.XXXXXX, removed at the end)
  --keep           keep the default work directory
  --timeout S      give up on one run of a tool after S seconds (default 1800)
EOF
}

die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --households) HOUSEHOLDS=${2:?}; shift 2 ;;
        --households=*) HOUSEHOLDS=${1#*=}; shift ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --no-install) INSTALL=0; shift ;;
        --skip) SKIP=${2:?}; shift 2 ;;
        --skip=*) SKIP=${1#*=}; shift ;;
        --with-miller) WITH_MILLER=1; shift ;;
        --workdir) WORKDIR=${2:?}; shift 2 ;;
        --workdir=*) WORKDIR=${1#*=}; shift ;;
        --keep) KEEP=1; shift ;;
        --timeout) TIMEOUT=${2:?}; shift 2 ;;
        --timeout=*) TIMEOUT=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done
[[ $HOUSEHOLDS =~ ^[1-9][0-9]*$ ]] || die "--households needs a positive whole number"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive whole number"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a positive whole number of seconds"
if [ -n "$WORKDIR" ]; then
    case "$WORKDIR" in "$ROOT"|"$ROOT"/*) die "--workdir must be outside the repository" ;; esac
    mkdir -p "$WORKDIR"
    WORKDIR=$(cd "$WORKDIR" && pwd)
else
    # A directory of its own, so that two runs at once do not share files.
    WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/exitcheck-bench-$HOUSEHOLDS.XXXXXX")
    if [ "$KEEP" = 0 ]; then
        trap 'rm -rf "$WORKDIR"' EXIT
        trap 'exit 130' INT TERM
    fi
fi

TOOLS=(exitcheck duckdb pandas miller)
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }
if [ "$HOUSEHOLDS" -gt 2000000 ] && [ "$WITH_MILLER" = 0 ] && ! skipped miller; then
    echo "note: Miller is skipped above 2,000,000 households (--with-miller keeps it)"
    SKIP="$SKIP,miller"
fi
ACTIVE=()
for t in "${TOOLS[@]}"; do skipped "$t" || ACTIVE+=("$t"); done
[ "${ACTIVE[0]}" = exitcheck ] || die "exitcheck cannot be skipped"
has() { local t; for t in "${ACTIVE[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

# ---------------------------------------------------------------------------
# Dependencies
# ---------------------------------------------------------------------------
PYTHON=/usr/bin/python3   # Debian's python3, the one python3-pandas belongs to

if [ "$INSTALL" = 1 ]; then
    want=(build-essential cmake ninja-build pkg-config libyaml-dev libcsv-dev libssl-dev
          time hyperfine python3)
    has pandas && want+=(python3-pandas)
    has miller && want+=(miller)
    if has duckdb; then
        command -v node > /dev/null || want+=(nodejs)
        command -v npm > /dev/null || want+=(npm)
    fi
    missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        SUDO=""
        [ "$(id -u)" = 0 ] || SUDO=sudo
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
    fi
    if has duckdb && [ ! -d "$BENCH/node_modules/@duckdb/node-api" ]; then
        echo "installing the DuckDB Node API (npm, into bench/node_modules)"
        # npm 11 refuses 'npm ci' when the lock file lacks the optional
        # bindings of other platforms: then install from package.json
        if [ -f "$BENCH/package-lock.json" ] &&
            (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=silent); then
            :
        else
            (cd "$BENCH" && npm install --no-audit --no-fund --loglevel=error)
        fi
    fi
fi

for c in cmake ninja cc hyperfine; do
    command -v "$c" > /dev/null || die "$c is missing (run without --no-install, or install it)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package 'time')"
[ -f /usr/include/csv.h ] || die "libcsv-dev is missing"
if has pandas; then "$PYTHON" -c 'import pandas' 2> /dev/null || die "python3-pandas is missing"; fi
if has miller; then command -v mlr > /dev/null || die "miller (mlr) is missing"; fi
if has duckdb; then
    command -v node > /dev/null || die "node is missing"
    [ -d "$BENCH/node_modules/@duckdb/node-api" ] || die "@duckdb/node-api is missing (cd bench && npm ci)"
fi

# ---------------------------------------------------------------------------
# Build: exitcheck (release), gendata, the csvparse floor
# ---------------------------------------------------------------------------
BUILD="$ROOT/build-rel"
echo "building exitcheck (release) in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEXITCHECK_TESTS=OFF > /dev/null
ninja -C "$BUILD" > /dev/null
EXITCHECK="$BUILD/exitcheck"
GENDATA="$BUILD/gendata"

mkdir -p "$WORKDIR"
CSVPARSE="$WORKDIR/csvparse"
cc -std=c11 -O3 -DNDEBUG -D_POSIX_C_SOURCE=200809L -o "$CSVPARSE" "$BENCH/csvparse.c" -lcsv

# ---------------------------------------------------------------------------
# Machine and versions
# ---------------------------------------------------------------------------
cpu=$(lscpu 2> /dev/null | sed -n 's/^Model name: *//p' | head -1)
[ -n "$cpu" ] || cpu=$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo
echo "## Machine"
echo
echo "- CPU: $cpu; nproc: $(nproc); memory: $mem"
echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo
echo "## Versions"
echo
rev=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo "no git")
if [ "$rev" != "no git" ] && [ -n "$(git -C "$ROOT" status --porcelain -- src CMakeLists.txt rules 2> /dev/null)" ]; then
    rev="$rev with uncommitted changes in src/, rules/ or CMakeLists.txt"
fi
echo "- exitcheck: $("$EXITCHECK" --version | head -1), commit $rev (Release build, $(cc --version | head -1))"
if has duckdb; then
    dv=$(cd "$BENCH" && node -e "import('@duckdb/node-api').then(m => console.log(m.version()))")
    nv=$(cd "$BENCH" && node -p "require('./node_modules/@duckdb/node-api/package.json').version")
    echo "- DuckDB: $dv (@duckdb/node-api $nv, node $(node --version)), SET threads = 2"
fi
if has pandas; then
    echo "- pandas: $("$PYTHON" -c 'import pandas, numpy, sys; print(pandas.__version__, "(numpy", numpy.__version__ + ", python", sys.version.split()[0] + ")")')"
fi
if has miller; then echo "- Miller: $(mlr --version)"; fi
echo "- libcsv: $(dpkg-query -W -f='${Version}' libcsv-dev 2> /dev/null || echo unknown) (csvparse floor)"
echo "- $(hyperfine --version)"

# ---------------------------------------------------------------------------
# Data: generated once, outside the repository
# ---------------------------------------------------------------------------
# 500 villages per county and about 100 households per village.
COUNTIES=$(( (HOUSEHOLDS + 49999) / 50000 ))
[ "$COUNTIES" -le 1000 ] || COUNTIES=1000
VILLAGES=500
if [ "$COUNTIES" = 1 ] && [ "$HOUSEHOLDS" -lt 50000 ]; then
    VILLAGES=$(( HOUSEHOLDS / 100 ))
    [ "$VILLAGES" -ge 1 ] || VILLAGES=1
fi
DATA="$WORKDIR/data"
OUT="$WORKDIR/out"
rm -rf "$DATA" "$OUT"
"$GENDATA" --households "$HOUSEHOLDS" --villages "$VILLAGES" --counties "$COUNTIES" \
    --seed 1 --out "$DATA" 2> /dev/null
HH_BYTES=$(stat -c %s "$DATA/household.csv")
echo
echo "## Data"
echo
echo "- \`gendata --households $HOUSEHOLDS --villages $VILLAGES --counties $COUNTIES --seed 1\`:" \
     "$HOUSEHOLDS households ($(awk -v b="$HH_BYTES" 'BEGIN {printf "%.0f MiB", b / 1048576}')" \
     "household.csv), $((VILLAGES * COUNTIES)) villages, $COUNTIES counties, in $DATA"

# ---------------------------------------------------------------------------
# The commands. $1 = data directory, $2 = output directory.
# ---------------------------------------------------------------------------
# exitcheck, timed: the units report (status and failed targets of every
# household) and the text report, which lists every village's recomputed
# poverty rate (to 3 decimals).
cmd_exitcheck() {
    echo "$EXITCHECK" check --household "$1/household.csv" --village "$1/village.csv" \
        -f units -o "$2/units.csv" -f text -o "$2/report.txt"
}
# exitcheck, units report only (for reference).
cmd_exitcheck_units() {
    echo "$EXITCHECK" check --household "$1/household.csv" --village "$1/village.csv" \
        -f units -o "$2/units.csv"
}
cmd_duckdb() { echo node "$BENCH/duckdb_check.mjs" "$1" "$2"; }
cmd_pandas() { echo "$PYTHON" "$BENCH/pandas_check.py" "$1" "$2"; }
cmd_miller() {
    echo mlr --icsv --ocsv put -q -s "out=$2" -f "$BENCH/miller_check.mlr" "$1/village.csv" "$1/household.csv"
}
cmd_csvparse() { echo "$CSVPARSE" "$1/household.csv"; }

# One agreement run of every tool: exitcheck writes its units report and, for
# the exact village rates, its JSON report, of which only the village lines
# are kept. Prints the seconds each tool took.
declare -A FIRST
agreement_runs() {
    local data=$1 out=$2 t start end rc
    rm -rf "$out"
    for t in "${ACTIVE[@]}"; do mkdir -p "$out/$t"; done
    for t in "${ACTIVE[@]}"; do
        start=$(date +%s%N)
        set +e
        if [ "$t" = exitcheck ]; then
            timeout "$TIMEOUT" "$EXITCHECK" check --household "$data/household.csv" \
                --village "$data/village.csv" -f units -o "$out/exitcheck/units.csv" -f json \
                2> "$out/exitcheck/stderr" | grep -F '{"level": "village", "id": ' > "$out/exitcheck/villages.jsonl"
            rc=${PIPESTATUS[0]}
            [ "$rc" = 1 ] && rc=0   # 1: some claimed exit does not hold, as expected
        else
            # shellcheck disable=SC2046
            timeout "$TIMEOUT" $(cmd_"$t" "$data" "$out/$t") > "$out/$t/stdout" 2> "$out/$t/stderr"
            rc=$?
        fi
        set -e
        end=$(date +%s%N)
        FIRST[$t]=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
        if [ "$rc" != 0 ]; then
            echo "run.sh: $t failed (status $rc) on $data; its stderr:" >&2
            tail -20 "$out/$t/stderr" >&2
            exit 1
        fi
        echo "- $t: ${FIRST[$t]} s"
    done
}

echo
echo "## Agreement"
echo
echo "Edge cases (bench/edge: missing cells as empty/NA/N/A/-, false/true and unknown, not unknown,"
echo "missing members, a village of population 0 or NA, a village without households):"
echo
agreement_runs "$BENCH/edge" "$WORKDIR/edge-out" > /dev/null
echo '```'
if ! "$PYTHON" "$BENCH/compare.py" "$WORKDIR/edge-out" "${ACTIVE[@]}"; then
    echo '```'
    die "the tools disagree on the edge cases; see the table above (--keep keeps their outputs)"
fi
echo '```'
echo
echo "Generated data, one run of each tool (seconds; exitcheck here also writes its full JSON report):"
echo
agreement_runs "$DATA" "$OUT"
echo
echo '```'
if ! "$PYTHON" "$BENCH/compare.py" "$OUT" "${ACTIVE[@]}"; then
    echo '```'
    die "the tools disagree on the generated data; see the table above (--keep keeps their outputs)"
fi
echo '```'
rm -f "$OUT/exitcheck/villages.jsonl"

# ---------------------------------------------------------------------------
# Timed runs: hyperfine for the wall time (median of R runs), /usr/bin/time
# around each run for its peak RSS.
# ---------------------------------------------------------------------------
TIMED=(exitcheck exitcheck_units)
for t in "${ACTIVE[@]:1}"; do TIMED+=("$t"); done
TIMED+=(csvparse)
declare -A LABEL=([exitcheck]="exitcheck (-f units + -f text)" [exitcheck_units]="exitcheck (-f units only)"
                  [duckdb]="DuckDB (SQL, 2 threads)" [pandas]="pandas (vectorised)"
                  [miller]="Miller (DSL)" [csvparse]="libcsv parse only (floor)")
declare -A MEDIAN RSS CPU

busy_check() {   # CPU use by other processes over 3 s while this script waits
    local a b
    a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    sleep 3
    b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)
    echo "$a $b" | awk -v n="$(nproc)" -v when="$1" '{
        busy = ($3 - $1) / (($3 - $1) + ($4 - $2) + 1e-9) * 100
        printf "CPU busy with other processes %s: %.0f%% of %d CPUs\n", when, busy, n
        if (busy > 10) print "WARNING: other processes are using the CPU: the timings are not reliable"
    }'
}

echo
echo "## Timed runs ($RUNS each)"
echo
busy_check "before the timed runs"
echo
for t in "${TIMED[@]}"; do
    dir="$OUT/${t%_units}"
    mkdir -p "$dir"
    rss="$WORKDIR/rss-$t"
    rm -f "$rss"
    # shellcheck disable=SC2046
    hyperfine -N -i --style basic --runs "$RUNS" --export-json "$WORKDIR/time-$t.json" \
        --command-name "$t" "/usr/bin/time -f %M -a -o $rss $(cmd_"$t" "$DATA" "$dir")" > "$WORKDIR/hyperfine-$t.txt" 2>&1 ||
        { cat "$WORKDIR/hyperfine-$t.txt" >&2; die "hyperfine failed for $t"; }
    read -r "MEDIAN[$t]" "CPU[$t]" < <("$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["median"], r["user"] + r["system"]))' "$WORKDIR/time-$t.json")
    RSS[$t]=$(awk '/^[0-9]+$/ {if ($1 > m) m = $1} END {printf "%.0f", m / 1024}' "$rss")
    echo "- ${LABEL[$t]}: median ${MEDIAN[$t]} s, CPU ${CPU[$t]} s, peak RSS ${RSS[$t]} MiB"
done

echo
busy_check "after the timed runs"
echo
echo "## Results: $HOUSEHOLDS households, median of $RUNS runs"
echo
echo "| tool | median wall s | ratio to exitcheck | CPU s (user+sys) | peak RSS MiB | households/s |"
echo "|---|---:|---:|---:|---:|---:|"
for t in "${TIMED[@]}"; do
    awk -v n="${LABEL[$t]}" -v m="${MEDIAN[$t]}" -v e="${MEDIAN[exitcheck]}" -v c="${CPU[$t]}" -v r="${RSS[$t]}" \
        -v h="$HOUSEHOLDS" 'BEGIN {printf "| %s | %.3f | %.2f | %.2f | %d | %.0f |\n", n, m, m / e, c, r, h / m}'
done
echo
awk -v e="${MEDIAN[exitcheck]}" -v u="${MEDIAN[exitcheck_units]}" -v f="${MEDIAN[csvparse]}" \
    'BEGIN {printf "exitcheck / libcsv floor: %.2f (units only: %.2f); goal: <= 1.0\n", e / f, u / f}'
for t in "${ACTIVE[@]:1}"; do
    awk -v n="$t" -v m="${MEDIAN[$t]}" -v e="${MEDIAN[exitcheck]}" \
        'BEGIN {printf "%s takes %.2fx the time of exitcheck\n", n, m / e}'
done
skipped miller && echo "(Miller was skipped)"
echo
if [ "$KEEP" = 1 ] || [[ $(trap -p EXIT) != *rm* ]]; then
    echo "Outputs are in $OUT; the data in $DATA."
fi
echo "The benchmark took $((SECONDS / 60)) min $((SECONDS % 60)) s."
