#!/bin/sh
# Renders the HTML report of the bundled demo (fixtures/demo) with headless
# Chromium to a PNG, for the README and for a look at the layout.
# Builds nothing: give it an exitcheck binary.
#
# Usage: tools/screenshot.sh EXITCHECK [OUT.png] [-- CHECK-OPTIONS...]
#        tools/screenshot.sh EXITCHECK OUT.png -- verify|sample ARGS...
#   OUT.png defaults to docs/report.png (relative to the repository root);
#   options after -- go to `exitcheck check fixtures/demo` (e.g. -- --lang
#   zh); a command after -- runs instead, with its own arguments (the HTML
#   report is asked for with -f html -o).
# Installs Debian's chromium and fonts-noto-cjk first when chromium is
# missing (needs root and the network).
set -eu

[ $# -ge 1 ] || { echo "usage: $0 EXITCHECK [OUT.png] [-- CHECK-OPTIONS...]" >&2; exit 2; }
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/docs/report.png
if [ $# -ge 1 ] && [ "$1" != -- ]; then
    case $1 in /*) out=$1 ;; *) out=$(pwd)/$1 ;; esac
    shift
fi
[ $# -ge 1 ] && [ "$1" = -- ] && shift
[ -x "$exe" ] || { echo "$0: '$exe' is not an executable" >&2; exit 2; }

if ! command -v chromium > /dev/null 2>&1; then
    echo "$0: installing chromium and fonts-noto-cjk" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk > /dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
# exit status 1 is the demo's verdict (some claimed exits do not hold)
status=0
case ${1:-} in
verify | sample) "$exe" "$@" -f html -o "$tmp/report.html" 2> "$tmp/stderr" || status=$? ;;
*) "$exe" check fixtures/demo -f html -o "$tmp/report.html" "$@" 2> "$tmp/stderr" || status=$? ;;
esac
if [ "$status" -gt 1 ] || [ ! -s "$tmp/report.html" ]; then
    echo "$0: exitcheck failed (status $status):" >&2
    cat "$tmp/stderr" >&2
    exit 1
fi

mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1280,2000 \
    --screenshot="$tmp/report.png" "file://$tmp/report.html" > "$tmp/chromium.log" 2>&1 || {
    echo "$0: chromium failed:" >&2
    cat "$tmp/chromium.log" >&2
    exit 1
}
[ -s "$tmp/report.png" ] || { echo "$0: chromium wrote no screenshot" >&2; cat "$tmp/chromium.log" >&2; exit 1; }
mv "$tmp/report.png" "$out"
echo "$out"
