#!/bin/sh
# Builds exitcheck with ThreadSanitizer (-DEXITCHECK_TSAN=ON) in build-tsan
# and runs the end-to-end tests there (among them 150,000 generated
# households with one thread and two, and every fixture): every table is parsed
# on a second thread (src/pipeline.c) and read ahead on a third (src/reader.c),
# so a data race on any of those paths fails it. Left out: the valgrind
# tests (valgrind cannot run TSan binaries), the allocation-failure
# program (it runs the check on one thread, by design) and the Criterion
# unit tests (Criterion's runner cannot start under TSan).
#
# Usage: tools/tsan.sh [CTEST_ARGS...]
# Environment: BUILD=build-tsan, CC (default clang), JOBS.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build-tsan}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
gen=""
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja > /dev/null 2>&1; then
    gen="-G Ninja"
fi
export CC="${CC:-clang}"
# shellcheck disable=SC2086
cmake -S . -B "$build" $gen -DEXITCHECK_TSAN=ON -DEXITCHECK_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build"
# a report stops the program with a failing status
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
cd "$build"
ctest --output-on-failure -j "$jobs" -L e2e -LE valgrind "$@"
