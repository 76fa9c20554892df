#!/bin/sh
# No report is ever written over an input (SPEC §5), however the path is
# spelt: the input itself, a symlink to it, a hard link to it, a path
# through '..'; nor two outputs over one file (two spellings of one path,
# '-' and /dev/stdout). Each run must exit 2, leave every input's bytes as
# they were and write no report.
# Usage: no_overwrite.sh EXITCHECK REPO_ROOT
set -u
exe=$1 root=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/d" "$tmp/x"
cp "$root"/fixtures/demo/county.csv "$root"/fixtures/demo/village.csv "$root"/fixtures/demo/household.csv \
   "$root"/fixtures/demo/waivers.csv "$root"/fixtures/demo/plan.yaml "$root"/fixtures/demo/survey.csv "$tmp/d/"
ln -s d/household.csv "$tmp/sym.csv"
ln "$tmp/d/village.csv" "$tmp/hard.csv"
sums() { (cd "$tmp/d" && sha256sum *.csv *.yaml); }
before=$(sums)
fail=0
refuse() { # refuse WHAT ARGS...: exit 2, inputs unchanged, the named report absent
    what=$1; shift
    "$exe" "$@" -q > "$tmp/out" 2> "$tmp/err" < /dev/null
    s=$?
    if [ "$s" != 2 ]; then echo "FAIL $what: exit $s, expected 2"; cat "$tmp/err"; fail=1; fi
    if [ "$(sums)" != "$before" ]; then echo "FAIL $what: an input changed"; fail=1; fi
}
d="$tmp/d"
refuse "report over the household table" check "$d" -r "$root/rules/gansu" -f json -o "$d/household.csv"
refuse "report over a symlink to it" check "$d" -r "$root/rules/gansu" -f json -o "$tmp/sym.csv"
refuse "report over a hard link to the village table" check "$d" -r "$root/rules/gansu" -f html -o "$tmp/hard.csv"
refuse "report through '..'" check "$d" -r "$root/rules/gansu" -f csv -o "$tmp/x/../d/county.csv"
refuse "report over the waiver file" check "$d" -r "$root/rules/gansu" --waivers "$d/waivers.csv" -o "$d/waivers.csv"
refuse "report over a rule file" check "$d" -r "$root/rules/gansu" -f md -o "$root/rules/gansu/pack.yaml"
refuse "two reports, two spellings of one path" check "$d" -r "$root/rules/gansu" -f json -o "$tmp/x/r.json" -f html -o "$tmp/x/../x/r.json"
[ -e "$tmp/x/r.json" ] && { echo "FAIL: a report was written although the run was refused"; fail=1; }
refuse "two reports on standard output" check "$d" -r "$root/rules/gansu" -f json -o /dev/stdout -f html
refuse "a manifest over the frame" sample "$d" -r "$root/rules/gansu" --plan "$d/plan.yaml" --seed s --manifest "$tmp/sym.csv"
refuse "a verify report over the survey" verify "$d" -r "$root/rules/gansu" --survey "$d/survey.csv" -f json -o "$d/survey.csv"
[ "$fail" = 0 ] && echo "ok: every overwrite refused, inputs unchanged"
exit "$fail"
