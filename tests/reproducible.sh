#!/bin/sh
# Runs one check three times with every report format written in the same
# run - twice as it is, once with --threads 1 (the parser on the main
# thread) - and requires byte-identical reports.
# Usage: reproducible.sh EXITCHECK REPO_ROOT DATADIR
set -u
exe=$1 root=$2 data=$3
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
formats="text json csv junit md units html xlsx"
for run in 1 2 3; do
    mkdir "$tmp/$run"
    set --
    [ $run = 3 ] && set -- --threads 1
    for f in $formats; do set -- "$@" -f "$f" -o "$tmp/$run/report.$f"; done
    "$exe" check "$data" "$@" 2> "$tmp/$run/stderr"
    echo $? > "$tmp/$run/status"
done
fail=0
for f in $formats stderr status; do
    a="$tmp/1/report.$f" b="$tmp/2/report.$f" c="$tmp/3/report.$f"
    [ -e "$a" ] || { a="$tmp/1/$f"; b="$tmp/2/$f"; c="$tmp/3/$f"; }
    if [ ! -s "$a" ] && [ "$f" != stderr ]; then echo "no $f report written"; fail=1; fi
    cmp -s "$a" "$b" || { echo "$f differs between two runs"; fail=1; }
    cmp -s "$a" "$c" || { echo "$f differs between two threads and one"; fail=1; }
done
[ $fail = 0 ] && echo "reports identical across runs and with --threads 1: $formats"
exit $fail
