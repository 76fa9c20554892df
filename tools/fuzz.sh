#!/bin/sh
# Runs every libFuzzer target of tests/fuzz for SECONDS each (default 60)
# and fails when any of them finds a crash, a hang, a leak or a sanitizer
# report. `tools/fuzz.sh 20` is the CI smoke run; see tests/fuzz/README.md
# for longer runs.
#
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]
# Environment:
#   BUILD=build-fuzz  the build directory (configured with clang, ASan+UBSan
#                     and -DEXITCHECK_FUZZ=ON when it does not exist yet)
#   JOBS=N            targets run at once (default: the number of cores)
#   FORK=1            keep going after a finding (libFuzzer -fork=1 with
#                     -ignore_crashes, -ignore_timeouts, -ignore_ooms), so a
#                     long run collects every distinct finding
#   FUZZ_ARGS="..."   more libFuzzer options
#   EXITCHECK_FUZZ_SKIP=utf8,finite  switch off known behaviour checks (README.md)
# Outputs, under $BUILD/fuzz/: corpus/TARGET (grows from run to run; the seeds
# come from tests/fuzz/make-corpus.sh, for fuzz_plan from the plans and
# tests/fuzz/corpus/fuzz_plan, for fuzz_verify from tests/fuzz/corpus/fuzz_verify
# and the surveys of fixtures/verify, for fuzz_waiver from tests/fuzz/corpus/fuzz_waiver
# and the waiver files of fixtures), artifacts/TARGET (crash-*, leak-*,
# timeout-*, oom-* inputs; only those of this run count), logs/TARGET.log.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
seconds=${1:-60}
case $seconds in
    ''|*[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
[ $# -gt 0 ] && shift
targets=${*:-fuzz_rules fuzz_expr fuzz_table fuzz_plan fuzz_verify fuzz_waiver fuzz_workbook}
build=${BUILD:-build-fuzz}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

if [ ! -f "$build/build.ninja" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DEXITCHECK_SANITIZE=ON -DEXITCHECK_FUZZ=ON \
        -DEXITCHECK_TESTS=OFF > "$build.configure.log" 2>&1 || {
        cat "$build.configure.log" >&2
        echo "fuzz.sh: cannot configure $build (is clang installed?)" >&2
        exit 2
    }
    rm -f "$build.configure.log"
fi
# shellcheck disable=SC2086
cmake --build "$build" --target $targets > /dev/null || {
    echo "fuzz.sh: the build failed; run: cmake --build $build" >&2
    exit 2
}
out=$build/fuzz
seeds=$out/seeds
sh tests/fuzz/make-corpus.sh . "$seeds" > /dev/null || exit 2
# fuzz_plan: the shipped plans, the plans of the fixtures and the benchmark,
# and the hand-written ones of tests/fuzz/corpus/fuzz_plan (bad plans, every
# key, YAML a plan must refuse)
rm -rf "$seeds/fuzz_plan"
mkdir -p "$seeds/fuzz_plan"
for f in plans/*.yaml fixtures/sample/*/plan.yaml bench/*plan*.yaml tests/fuzz/corpus/fuzz_plan/*; do
    [ -f "$f" ] || continue
    cp "$f" "$seeds/fuzz_plan/$(printf '%s' "$f" | tr '/' '-')"
done
# fuzz_verify: the surveys of fixtures/verify, and the hand-written inputs of
# tests/fuzz/corpus/fuzz_verify (a survey, then optionally a line "#%%" and
# a manifest: the hand-worked case whole, and broken variants)
rm -rf "$seeds/fuzz_verify"
mkdir -p "$seeds/fuzz_verify"
for f in fixtures/verify/*/survey.csv tests/fuzz/corpus/fuzz_verify/*; do
    [ -f "$f" ] || continue
    cp "$f" "$seeds/fuzz_verify/$(printf '%s' "$f" | tr '/' '-')"
done
# fuzz_waiver: the waiver files of fixtures/ and the hand-written ones of
# tests/fuzz/corpus/fuzz_waiver (valid, every kind of bad row, Chinese
# headers in UTF-8 and GB18030)
rm -rf "$seeds/fuzz_waiver"
mkdir -p "$seeds/fuzz_waiver"
for f in fixtures/*/waivers*.csv fixtures/*/*/waivers*.csv tests/fuzz/corpus/fuzz_waiver/*; do
    [ -f "$f" ] || continue
    cp "$f" "$seeds/fuzz_waiver/$(printf '%s' "$f" | tr '/' '-')"
done
# fuzz_workbook: the hand-written inputs of tests/fuzz/corpus/fuzz_workbook
# (the XML of a sheet's parts, or a whole .xlsx) and the workbooks of fixtures/
rm -rf "$seeds/fuzz_workbook"
mkdir -p "$seeds/fuzz_workbook"
for f in tests/fuzz/corpus/fuzz_workbook/* fixtures/*/*.xlsx fixtures/*/*/*.xlsx; do
    [ -f "$f" ] || continue
    cp "$f" "$seeds/fuzz_workbook/$(printf '%s' "$f" | tr '/' '-')"
done
mkdir -p "$out/logs"

# the harnesses write each input to a scratch directory under TMPDIR; one
# that crashes or hangs cannot remove its own, so they all go at the end
case $out in
    /*) scratch=$out/tmp.$$ ;;
    *) scratch=$PWD/$out/tmp.$$ ;;
esac
mkdir -p "$scratch"
export TMPDIR="$scratch"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
    t=$1
    exe=$build/tests/fuzz/$t
    mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
    extra=""
    if [ "${FORK:-0}" = 1 ]; then
        extra="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
    fi
    maxlen=65536
    [ "$t" = fuzz_expr ] && maxlen=8192
    dict=tests/fuzz/$t.dict
    [ -f "$dict" ] || dict=tests/fuzz/corpus/$t.dict
    # a survey and a manifest are CSV tables: the table dictionary
    [ "$t" = fuzz_verify ] && dict=tests/fuzz/fuzz_table.dict
    # shellcheck disable=SC2086
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
        -print_final_stats=1 -dict="$dict" \
        -artifact_prefix="$out/artifacts/$t/" $extra ${FUZZ_ARGS:-} \
        "$out/corpus/$t" "$seeds/$t" > "$out/logs/$t.log" 2>&1
    echo $? > "$out/logs/$t.status"
}

start=$(date +%s)
stamp=$out/logs/.start.$$
touch "$stamp"
trap 'rm -rf "$stamp" "$scratch"' EXIT
running=0
for t in $targets; do
    if [ ! -x "$build/tests/fuzz/$t" ]; then
        echo "fuzz.sh: no target $t in $build/tests/fuzz" >&2
        exit 2
    fi
    rm -f "$out/logs/$t.status"
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

fail=0
for t in $targets; do
    log=$out/logs/$t.log
    status=$(cat "$out/logs/$t.status" 2>/dev/null || echo 99)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    corpus=$(ls "$out/corpus/$t" | wc -l)
    found=$(find "$out/artifacts/$t" -type f -newer "$stamp" | wc -l)
    if [ "$status" != 0 ] || [ "$found" -gt 0 ]; then
        fail=1
        echo "$t: FAILED (exit $status, ${runs:-?} runs, $found finding(s) in $out/artifacts/$t)"
        grep -m 3 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|fuzz invariant broken' "$log" | sed 's/^/    /'
        echo "    log: $log"
    else
        echo "$t: ok, ${runs:-?} runs in ${seconds}s, corpus $corpus"
    fi
done
echo "fuzz.sh: $(($(date +%s) - start))s"
exit $fail
