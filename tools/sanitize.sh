#!/bin/sh
# Builds exitcheck with AddressSanitizer and UBSan (-DEXITCHECK_SANITIZE=ON)
# in build-asan and runs the whole test suite there: unit tests, the
# end-to-end cases and the out-of-memory injection test (unit_faults), so
# any memory error, leak or undefined behaviour on those paths fails it.
# The valgrind-labelled tests are left out: valgrind cannot run ASan
# binaries (tools/sanitize.sh does what they do, faster).
#
# Usage: tools/sanitize.sh [CTEST_ARGS...]   e.g. tools/sanitize.sh -R faults
# Environment: BUILD=build-asan, CC (the compiler; gcc and clang both
# work), JOBS (parallel tests; default: the number of cores).
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build-asan}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
gen=""
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja > /dev/null 2>&1; then
    gen="-G Ninja"
fi
# shellcheck disable=SC2086
cmake -S . -B "$build" $gen -DEXITCHECK_SANITIZE=ON -DEXITCHECK_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build"
# Every finding stops the program with a report and a failing status;
# LeakSanitizer runs at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build"
ctest --output-on-failure -j "$jobs" -LE valgrind "$@"
