#!/bin/sh
# The progress line: on a terminal (a pseudo-terminal made by script(1))
# a 1,200,000-household table (137 MiB, over the 64 MiB threshold; long
# enough for the first redraw at half a second) shows at least one
# "N of M MiB (P%), R rows, ... rows/s, m:ss left" line and erases it when
# done; with --quiet, or when standard error is not a terminal, nothing of
# it is written.
# Usage: progress_tty.sh EXITCHECK GENDATA
set -u
exe=$1 gen=$2
command -v script > /dev/null 2>&1 || { echo "script(1) is not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$gen" --households 1200000 --villages 500 --counties 24 --seed 3 --out "$tmp/d" 2> /dev/null || exit 1
size=$(stat -c %s "$tmp/d/household.csv")
[ "$size" -ge 67108864 ] || { echo "test data too small: $size bytes"; exit 1; }
fail=0
run() { # output file, extra options
    out=$1; shift
    # --max-errors 1 keeps the diagnostics short; the report goes to a file
    script -qec "$exe check $tmp/d --max-errors 1 -f units -o $tmp/units.csv $*" /dev/null > "$out" 2>&1 < /dev/null
}
run "$tmp/tty"
grep -aq 'household.csv: [0-9]* of [0-9]* MiB ([0-9]*%), [0-9]* rows, [0-9]* rows/s, [0-9]*:[0-9][0-9] left' "$tmp/tty" \
    || { echo "no progress line on a terminal:"; head -c 600 "$tmp/tty"; fail=1; }
grep -aq "$(printf '\r\033\\[K')" "$tmp/tty" || { echo "the progress line is not erased"; fail=1; }
run "$tmp/quiet" --quiet
grep -aq 'rows/s' "$tmp/quiet" && { echo "--quiet still shows progress"; fail=1; }
"$exe" check "$tmp/d" --max-errors 1 -f units -o "$tmp/units.csv" > /dev/null 2> "$tmp/notty"
grep -aq 'rows/s' "$tmp/notty" && { echo "progress written to a file"; fail=1; }
[ $fail = 0 ] && echo "progress shown on a terminal, erased at the end, absent with --quiet and off a terminal"
exit $fail
