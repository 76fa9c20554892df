#!/bin/sh
# Writes the current output of an end-to-end case as its expectation:
#   tests/bless.sh build/exitcheck fixtures/cases/NAME
# Read the resulting diff (git diff fixtures/cases/NAME) before committing:
# an expectation is only as good as the review it had.
set -eu
exe=$(realpath "$1") case=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
set --
while IFS= read -r arg || [ -n "$arg" ]; do set -- "$@" "$arg"; done < "$case/cmd"
status=0
"$exe" "$@" > "$case/stdout" 2> "$case/stderr" < /dev/null || status=$?
echo "$status" > "$case/status"
[ -s "$case/stdout" ] || rm -f "$case/stdout"
[ -s "$case/stderr" ] || : > "$case/stderr"
echo "$case: status $status"
