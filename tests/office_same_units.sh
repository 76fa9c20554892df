#!/bin/sh
# Files as offices send them (issue 17, fixtures/office): a case whose
# quirks must not change a result gives the clean demo's unit results,
# unit by unit (-f units: level, id, parent, status, claim, exit and the
# ids of the targets not met, unknown or warned), and its exit status.
# Only the physical line of each unit may differ (title rows above the
# header move every row down).
# Usage: office_same_units.sh EXITCHECK REPO_ROOT CASE
set -u
exe=$1 root=$2 c=$3
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$exe" check fixtures/demo -r rules/gansu -f units -o "$tmp/clean.csv" -q 2> /dev/null
want=$?
[ -s "$tmp/clean.csv" ] || { echo "the clean demo gave no units"; exit 1; }
"$exe" check "fixtures/office/$c" -r rules/gansu -f units -o "$tmp/office.csv" -q 2> "$tmp/err"
got=$?
if [ "$got" != "$want" ]; then
    echo "exit status $got for fixtures/office/$c, $want for the clean demo"
    cat "$tmp/err"
    exit 1
fi
cut -d, -f4 --complement "$tmp/clean.csv" > "$tmp/a"
cut -d, -f4 --complement "$tmp/office.csv" > "$tmp/b"
if ! diff -u "$tmp/a" "$tmp/b" > "$tmp/diff"; then
    echo "fixtures/office/$c: unit results differ from the clean demo's:"
    head -40 "$tmp/diff"
    exit 1
fi
echo "ok: fixtures/office/$c gives the clean demo's $(($(wc -l < "$tmp/a") - 1)) unit results"
