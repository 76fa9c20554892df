#!/bin/sh
# Duplicate household ids in a table too large for the id check to hold in
# memory (150,000 generated households: three runs of sorted ids go to a
# temporary file): four repeated rows are appended - one id three times in
# all, one from the middle, one from the last line - and the check must
# reject exactly those four, each naming the line of the first occurrence,
# count 150,000 households, leave every unit's result (villages' and
# counties' included) as it is without them, and give the same reports
# with --threads 1.
# Usage: duplicates_at_scale.sh EXITCHECK GENDATA
set -u
exe=$1 gen=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$gen" --households 150000 --villages 300 --seed 7 --out "$tmp/d" 2> /dev/null || exit 1
h="$tmp/d/household.csv"
# line 2 is the first household, line 75001 the middle one, line 150001 the last
for n in 2 75001 150001 2; do sed -n "${n}p" "$h"; done > "$tmp/extra"
# the same data without the repeats, for the figures they must not change
mkdir "$tmp/clean" && cp "$tmp/d/"*.csv "$tmp/clean/"
"$exe" check "$tmp/clean" --max-errors 0 -f units -o "$tmp/units-clean.csv" -f text -o "$tmp/text-clean.txt" > /dev/null 2>&1
cat "$tmp/extra" >> "$h"
fail=0
for th in 2 1; do
    "$exe" check "$tmp/d" --threads "$th" --max-errors 0 -f units -o "$tmp/units$th.csv" -f json -o "$tmp/r$th.json" \
        -f text -o "$tmp/text$th.txt" \
        > /dev/null 2> "$tmp/err$th"
    grep 'duplicate household_id' "$tmp/err$th" | sed 's/^[^:]*://' > "$tmp/dups$th"
done
cat > "$tmp/want" <<'W'
150002: error: row rejected: duplicate household_id 'ID1' (first at line 2)
150003: error: row rejected: duplicate household_id 'ID2' (first at line 75001)
150004: error: row rejected: duplicate household_id 'ID3' (first at line 150001)
150005: error: row rejected: duplicate household_id 'ID1' (first at line 2)
W
id() { sed -n "${1}p" "$h" | cut -d, -f1; }
sed -i "s/ID1/$(id 2)/; s/ID2/$(id 75001)/; s/ID3/$(id 150001)/; s/ID1/$(id 2)/" "$tmp/want"
if ! cmp -s "$tmp/want" "$tmp/dups2"; then
    echo "duplicates reported:"; cat "$tmp/dups2"; echo "expected:"; cat "$tmp/want"; fail=1
fi
n=$(grep -c '^household,' "$tmp/units2.csv")
[ "$n" = 150000 ] || { echo "units report has $n households, expected 150000"; fail=1; }
cmp -s "$tmp/units1.csv" "$tmp/units2.csv" || { echo "units report differs with --threads 1"; fail=1; }
# every unit's status - the villages' and counties' too, which rest on the
# households' roll-ups - is what it is without the repeated rows
cmp -s "$tmp/units-clean.csv" "$tmp/units2.csv" || { echo "the repeated rows changed some unit's result:"; diff "$tmp/units-clean.csv" "$tmp/units2.csv" | head -5; fail=1; }
# and every village's and county's recomputed figures (the text report's
# "reported -> recomputed" lines)
grep -- ' -> ' "$tmp/text-clean.txt" > "$tmp/fig-clean"
grep -- ' -> ' "$tmp/text2.txt" > "$tmp/fig2"
[ "$(wc -l < "$tmp/fig-clean")" -ge 300 ] || { echo "too few village figures to compare"; fail=1; }
cmp -s "$tmp/fig-clean" "$tmp/fig2" || { echo "the repeated rows changed some recomputed figure:"; diff "$tmp/fig-clean" "$tmp/fig2" | head -5; fail=1; }
cmp -s "$tmp/r1.json" "$tmp/r2.json" || { echo "JSON report differs with --threads 1"; fail=1; }
cmp -s "$tmp/dups1" "$tmp/dups2" || { echo "duplicates differ with --threads 1"; fail=1; }
[ $fail = 0 ] && echo "4 duplicates among 150,004 rows found, 150,000 households checked, same with one thread"
exit $fail
