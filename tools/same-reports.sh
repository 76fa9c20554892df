#!/bin/bash
# Byte-identity check for a change that must not change behaviour: runs two
# exitcheck binaries over the same matrix of inputs, every report format in
# both languages, and compares standard output, standard error and the exit
# status of each run.
#
#   tools/same-reports.sh OLD_EXITCHECK NEW_EXITCHECK [--big N]
#
# The matrix: the demo, every bundled data set with its pack, both export
# encodings, every end-to-end case (fixtures/cases, fixtures/bad) as its cmd
# gives it, and with --big N a generated set of N households (gendata from
# the NEW binary's build directory). Paths are relative to the repository,
# so both binaries are run from its root; -r is always given, so neither
# binary's own rules directory matters.
# Prints one line per difference and a closing "N same, N differ" line;
# exits 1 when any run differs.
set -u
old=$(realpath "$1") new=$(realpath "$2")
shift 2
big=0
[ "${1:-}" = --big ] && big=$2
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
same=0 differ=0

run_one() { # label, args...
    local label=$1
    shift
    "$old" "$@" > "$tmp/o.out" 2> "$tmp/o.err" < /dev/null
    local so=$?
    "$new" "$@" > "$tmp/n.out" 2> "$tmp/n.err" < /dev/null
    local sn=$?
    if [ $so != $sn ] || ! cmp -s "$tmp/o.out" "$tmp/n.out" || ! cmp -s "$tmp/o.err" "$tmp/n.err"; then
        echo "DIFFERS: $label (status $so -> $sn)"
        cmp "$tmp/o.out" "$tmp/n.out" | head -1
        cmp "$tmp/o.err" "$tmp/n.err" | head -1
        differ=$((differ + 1))
    else
        same=$((same + 1))
    fi
}

formats="text json csv junit md units html"
matrix() { # label, pack, data arguments...
    local label=$1 pack=$2
    shift 2
    for f in $formats; do
        for lang in en zh; do
            run_one "$label -f $f --lang $lang" check -r "$pack" -f "$f" --lang "$lang" --threads 2 "$@"
        done
    done
    run_one "$label text --all" check -r "$pack" --all "$@"
    run_one "$label text --threads 1" check -r "$pack" --threads 1 "$@"
    run_one "$label csv --bom" check -r "$pack" -f csv --bom "$@"
}

matrix demo rules/gansu fixtures/demo
matrix demo+param rules/gansu fixtures/demo --param province_budget_revenue_growth=8
matrix hierarchy rules/gansu fixtures/hierarchy --param province_budget_revenue_growth=8
matrix national-2016 rules/national-2016 fixtures/national-2016
matrix national-2016-west rules/national-2016 fixtures/national-2016 --param max_poverty_rate=3
matrix weining rules/weining fixtures/weining
matrix exports-gb18030 rules/gansu fixtures/exports/gb18030
matrix exports-bom rules/gansu fixtures/exports/utf8-bom
for lv in county village household; do
    matrix "demo $lv only" rules/gansu "--$lv" "fixtures/demo/$lv.csv"
done
matrix "demo county+household" rules/gansu --county fixtures/demo/county.csv --household fixtures/demo/household.csv
for p in rules/gansu rules/national-2016 rules/weining; do
    run_one "list $p" list -r "$p"
    run_one "list $p zh" list -r "$p" --lang zh
    run_one "lint $p" lint "$p"
done
for t in C03 V02 H01 H12 NC01; do
    run_one "explain $t" explain "$t" -r rules/gansu
done

for c in fixtures/cases/* fixtures/bad/*; do
    [ -f "$c/cmd" ] || continue
    set --
    while IFS= read -r arg || [ -n "$arg" ]; do set -- "$@" "$arg"; done < "$c/cmd"
    case " $* " in *" -o "*) continue ;; esac   # writes a file: pinned by ctest
    run_one "$c" "$@"
    if [ "$1" = check ]; then
        for f in $formats; do run_one "$c -f $f" "$@" -f "$f"; done
        run_one "$c zh" "$@" --lang zh
    fi
done

if [ "$big" -gt 0 ]; then
    gendata=$(dirname "$new")/gendata
    "$gendata" --out "$tmp" --households "$big" --villages 500 --counties 4 --seed 7 > /dev/null
    for f in $formats; do
        run_one "generated $big -f $f" check "$tmp" -r rules/gansu -f "$f" --quiet
    done
    run_one "generated $big zh" check "$tmp" -r rules/gansu --lang zh --quiet
    # the duplicate-settling path: every id of the first 1000 rows again
    head -1001 "$tmp/household.csv" | tail -1000 >> "$tmp/household.csv"
    for f in json units; do
        run_one "generated $big with duplicates -f $f" check "$tmp" -r rules/gansu -f "$f" --quiet
    done
fi
echo "$same same, $differ differ"
[ $differ = 0 ]
