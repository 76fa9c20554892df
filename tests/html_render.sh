#!/bin/sh
# Renders the demo's HTML report with headless Chromium and checks that the
# browser sees the summary cards, the verdict and the SVG charts, and that
# the screenshot is not blank (big enough, and holding the report's red
# "fail" colour); then renders the demo with waivers (SPEC §8) and checks
# that the waivers section and the waived badges are there and that the
# waiver file's "<script>" reason stayed text. Skips (status 77) when
# Chromium is not installed.
# Usage: html_render.sh EXITCHECK REPO_ROOT
set -u
exe=$1 root=$2
browser=
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" > /dev/null 2>&1; then browser=$b; break; fi
done
[ -n "$browser" ] || { echo "skipped: chromium is not installed"; exit 77; }
cd "$root" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
limit=
command -v timeout > /dev/null 2>&1 && limit="timeout 120"

"$exe" check fixtures/demo -f html -o "$tmp/report.html" 2> "$tmp/stderr"
status=$?
[ $status -eq 1 ] || { echo "exitcheck exited with $status, expected 1"; cat "$tmp/stderr"; exit 1; }

run() {
    $limit "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
        --user-data-dir="$tmp/profile" "$@"
}

run --dump-dom "file://$tmp/report.html" > "$tmp/dom.html" 2> "$tmp/dom.log" || {
    echo "chromium --dump-dom failed"; cat "$tmp/dom.log"; exit 1; }
fail=0
for want in '<section id="summary">' '<div class="card">' 'class="verdict bad"' '<svg' '<section id="signature"'; do
    grep -qF "$want" "$tmp/dom.html" || { echo "the rendered DOM lacks $want"; fail=1; }
done
n=$(grep -o '<svg' "$tmp/dom.html" | wc -l)
[ "$n" -eq 3 ] || { echo "expected 3 charts (one per level), the DOM has $n"; fail=1; }
if grep -qi '<script' "$tmp/dom.html"; then echo "the rendered DOM holds a script"; fail=1; fi

run --window-size=1280,2000 --screenshot="$tmp/report.png" "file://$tmp/report.html" > "$tmp/shot.log" 2>&1 || {
    echo "chromium --screenshot failed"; cat "$tmp/shot.log"; exit 1; }
[ -s "$tmp/report.png" ] || { echo "no screenshot written"; cat "$tmp/shot.log"; exit 1; }
size=$(wc -c < "$tmp/report.png")
# a blank 1280x2000 page compresses to a few kilobytes; the demo is ~200 kB
[ "$size" -gt 50000 ] || { echo "the screenshot is only $size bytes: blank?"; fail=1; }

if command -v python3 > /dev/null 2>&1; then
    python3 - "$tmp/report.png" <<'EOF' || fail=1
# Decodes the PNG (standard library only) and counts the pixels in the
# report's "fail" red (#c62828), which the cards, chart bars and badges use.
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b'IHDR':
        w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
assert depth == 8 and interlace == 0 and ctype in (2, 6), 'unexpected PNG format'
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, i, red, colours = bytearray(stride), 0, 0, set()
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2):
            px = bytes(line[x:x + 3])
            colours.add(px)
            red += px == b'\xc6\x28\x28'
    prev = line
if red < 500 or len(colours) < 20:
    print('the screenshot looks blank: %d red samples, %d colours' % (red, len(colours)))
    sys.exit(1)
print('screenshot %dx%d: %d red samples, %d colours' % (w, h, red, len(colours)))
EOF
fi

# with waivers: one of them has a "<script>" reason, which must stay text
waivers=fixtures/cases/check-waivers-html/waivers.csv
"$exe" check fixtures/demo --waivers "$waivers" -f html -o "$tmp/waivers.html" 2> "$tmp/stderr"
status=$?
[ $status -eq 1 ] || { echo "exitcheck --waivers exited with $status, expected 1"; cat "$tmp/stderr"; exit 1; }
run --dump-dom "file://$tmp/waivers.html" > "$tmp/wdom.html" 2> "$tmp/dom.log" || {
    echo "chromium --dump-dom failed (waivers)"; cat "$tmp/dom.log"; exit 1; }
for want in '<section id="waivers">' '<a href="#waivers">' 'class="b waived"' '&lt;script&gt;alert'; do
    grep -qF "$want" "$tmp/wdom.html" || { echo "the rendered DOM with waivers lacks $want"; fail=1; }
done
if grep -qi '<script' "$tmp/wdom.html"; then echo "the rendered DOM with waivers holds a script"; fail=1; fi
w=$(grep -o 'class="b waived"' "$tmp/wdom.html" | wc -l)
# three applied waivers: each in the waiver table and in its unit's row
[ "$w" -eq 6 ] || { echo "expected 6 waived badges, the DOM has $w"; fail=1; }

[ $fail -eq 0 ] && echo "rendered: DOM has the summary, the verdict and $n charts; screenshot $size bytes; waivers shown"
exit $fail
