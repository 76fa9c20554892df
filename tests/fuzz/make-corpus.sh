#!/bin/sh
# Builds the seed corpora of the fuzz targets from the fixtures and packs.
# Usage: make-corpus.sh SOURCE_DIR OUT_DIR
# Writes OUT_DIR/fuzz_table, OUT_DIR/fuzz_rules and OUT_DIR/fuzz_expr
# (each emptied first):
#   fuzz_table  fixtures/cases/*/data/*.csv, fixtures/cases/*/*.csv,
#               fixtures/bad/*/*.csv, fixtures/exports/*/*.csv and the
#               demo's county and village tables (tables over 64 KiB are
#               left out: they slow every mutation and add no new shapes)
#   fuzz_rules  every rule file rules/*/*.yaml and fixtures/**/pack/*.yaml
#               alone (read as one level file), and each pack whole: its
#               pack.yaml with the include list renamed f1.yaml... and the
#               included files after "#%%" lines (see fuzz_rules.c)
#   fuzz_expr   every expression of the packs (require, expr, when, value,
#               else, sum, min, max, where), one per file, and a few
#               written here for the functions and the limits
set -eu
src=${1:?usage: make-corpus.sh SOURCE_DIR OUT_DIR}
out=${2:?usage: make-corpus.sh SOURCE_DIR OUT_DIR}
cd "$src"
for t in fuzz_table fuzz_rules fuzz_expr; do
    rm -rf "${out:?}/$t"
    mkdir -p "$out/$t"
done

# a file name from a path: fixtures/cases/a/data/b.csv -> fixtures-cases-a-data-b.csv
flat() { printf '%s' "$1" | tr '/' '-'; }

# ---- tables
for f in fixtures/cases/*/data/*.csv fixtures/cases/*/*.csv fixtures/bad/*/*.csv \
         fixtures/exports/*/*.csv fixtures/demo/county.csv fixtures/demo/village.csv \
         fixtures/*/*/*.csv; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "$out/fuzz_table/$(flat "$f")"
done

# ---- rule files
for f in rules/*/*.yaml fixtures/*/*/pack/*.yaml fixtures/*/pack/*.yaml; do
    [ -f "$f" ] || continue
    cp "$f" "$out/fuzz_rules/$(flat "$f")"
done
# whole packs: pack.yaml must name its includes on one line, include: [a, b]
for pack in rules/*/pack.yaml fixtures/*/*/pack/pack.yaml; do
    [ -f "$pack" ] || continue
    dir=$(dirname "$pack")
    line=$(grep -m1 '^include:[[:space:]]*\[' "$pack" || true)
    [ -n "$line" ] || continue
    names=$(printf '%s\n' "$line" | sed 's/^include:[[:space:]]*\[//; s/\].*//; s/,/ /g')
    seed="$out/fuzz_rules/whole-$(flat "$dir").yaml"
    k=0 list=""
    for n in $names; do
        k=$((k + 1))
        list="$list${list:+, }f$k.yaml"
    done
    sed "s/^include:[[:space:]]*\[.*/include: [$list]/" "$pack" > "$seed"
    for n in $names; do
        printf '#%%%%\n' >> "$seed"
        if [ -f "$dir/$n" ]; then cat "$dir/$n" >> "$seed"; fi
    done
done

# ---- expressions
i=0
for f in rules/*/*.yaml fixtures/*/*/pack/*.yaml; do
    [ -f "$f" ] || continue
    grep -E '^[[:space:]]*(- )?(require|expr|when|value|else|sum|min|max|where):[[:space:]]*[^[:space:]]' "$f" |
        sed -E 's/^[[:space:]]*(- )?[a-z]+:[[:space:]]*//' |
        grep -vE '^(\||>|\{|\[)' |
        sed -E "s/^\"(.*)\"[[:space:]]*$/\\1/; s/^'(.*)'[[:space:]]*$/\\1/"
done | sort -u | while IFS= read -r e; do
    # numbers alone (min: 0 of an indicator) are expressions too; keep them
    i=$((i + 1))
    printf '%s' "$e" > "$out/fuzz_expr/pack-$i"
done
w=0
while IFS= read -r e; do
    w=$((w + 1))
    printf '%s' "$e" > "$out/fuzz_expr/written-$w"
done <<'EOF'
if(p, a, b) > min(a, b, c, d) and max(a, 1.5) <= abs(-e)
known(a) and not q or !r && s == 'yes' || t != "no"
if(known(income_per_capita), income_per_capita / members, 0) >= poverty_line * 1.1
-(-(-a)) * (b + c) / (d - e) == 0
min(a,b,c,d,e,f,g,h,a,b,c,d,e,f,g,h)
not not not not p
a < b < c
1e5 + 0x10
((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
s == '农业' and u == ''
unknown_name > 1 and other_unknown
if(p, s, a)
a / 0 > 1 or a == a
EOF
printf 'fuzz_table: %s seeds, fuzz_rules: %s seeds, fuzz_expr: %s seeds\n' \
    "$(ls "$out/fuzz_table" | wc -l)" "$(ls "$out/fuzz_rules" | wc -l)" "$(ls "$out/fuzz_expr" | wc -l)"
