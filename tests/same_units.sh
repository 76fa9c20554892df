#!/bin/sh
# Checks that two data directories give the same per-unit results: the
# JSON reports' "summary" and "units" sections must be identical (inputs,
# encodings and digests may differ).
# Usage: same_units.sh EXITCHECK REPO_ROOT DIR_A DIR_B [extra check args...]
set -u
exe=$1 root=$2 a=$3 b=$4
shift 4
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$exe" check "$a" -r rules/gansu -f json -o "$tmp/a.json" "$@" 2> /dev/null
sa=$?
"$exe" check "$b" -r rules/gansu -f json -o "$tmp/b.json" "$@" 2> /dev/null
sb=$?
if [ "$sa" != "$sb" ]; then
    echo "exit status $sa for $a but $sb for $b"
    exit 1
fi
# the sections from "summary" to the end of "units"
for f in a b; do
    sed -n '/^  "summary": {/,/^  ],$/p' "$tmp/$f.json" > "$tmp/$f.units"
done
if [ ! -s "$tmp/a.units" ]; then
    echo "no units section in the report of $a"
    exit 1
fi
if ! diff -u "$tmp/a.units" "$tmp/b.units" > "$tmp/diff"; then
    echo "per-unit results differ between $a and $b:"
    head -40 "$tmp/diff"
    exit 1
fi
echo "same results for $(grep -c '"level":' "$tmp/a.units") units: $a and $b"
