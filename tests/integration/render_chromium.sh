#!/bin/sh
# render_chromium.sh — the status page in a real browser.
#
#   1. the example site (render-fixture's data, examples/news.xml) is
#      rendered and served by busybox httpd on the test's own loopback
#      address ($H_ADDR: no other process can take its port first);
#   2. headless Chromium from Debian, with the flags that keep it off the
#      network, takes screenshots: desktop (build/render/page.png, the
#      README's), phone width (page-phone.png) and dark mode
#      (page-dark.png).  Each must be a PNG of the window's size that is
#      not one colour (a blank page), and the dark one must differ from
#      the light one;
#   3. its DOM after rendering (--dump-dom) has the services with their
#      status words, the servers, the news and the footer;
#   4. the server saw no request for anything but the site's own files
#      (no external resource).
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
h_init render_chromium

RENDER=$H_BUILD/bin/greendot-render
FIXTURE=$H_BUILD/tests/render/render-fixture
SHOTS=$H_BUILD/render
NOW=1280534400

[ -x "$RENDER" ] || h_fail "$RENDER missing (make)"
[ -x "$FIXTURE" ] || h_fail "$FIXTURE missing (make all-tests)"
h_chromium_check
command -v busybox >/dev/null 2>&1 || h_fail "busybox not found (make deps)"
mkdir -p "$SHOTS"

# --- 1. the site, served ---------------------------------------------------
export TZ=Europe/London LC_ALL=C GREENDOT_NOW=$NOW
"$FIXTURE" "$H_TMP/data" || h_fail "render-fixture"
"$RENDER" --data "$H_TMP/data" --out "$H_TMP/site" --news examples/news.xml ||
	h_fail "greendot-render"
PORT=$(h_server_port)
h_bg httpd busybox httpd -f -vv -p "$H_ADDR:$PORT" -h "$H_TMP/site"
HTTPD_PID=$H_BG_PID
URL=http://$H_ADDR:$PORT/index.html
served() { busybox wget -q -O /dev/null "$URL"; }
h_wait_until -p "$HTTPD_PID" 10 "httpd serving $URL" served

# --- 2. screenshots ---------------------------------------------------------
png_size() {	# FILE: "WIDTHxHEIGHT" from the IHDR chunk
	od -An -tu1 -j16 -N8 "$1" |
		awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4,
		      $5*16777216+$6*65536+$7*256+$8}'
}

# Distinct colours over a sample of rows (python3's zlib reads the PNG);
# prints nothing without python3.
png_colours() {
	command -v python3 >/dev/null 2>&1 || return 0
	python3 - "$1" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, p = bytearray(stride), set(), 0
for y in range(h):
    f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
    p += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else
                                  b if pb <= pc else c)) & 255
    if y % 16 == 0:
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
    prev = line
print(len(colours))
EOF
}

# shot NAME WIDTH HEIGHT [ARGS...]
shot() {
	_png=$SHOTS/$1.png _size=${2}x$3
	shift 3
	rm -f "$_png"
	h_chromium --hide-scrollbars --screenshot="$_png" \
		--window-size="${_size%x*},${_size#*x}" "$@" "$URL" >/dev/null || h_fail "chromium --screenshot: see chromium.log"
	[ -s "$_png" ] || h_fail "no screenshot $_png"
	h_assert_eq "$(png_size "$_png")" "$_size" "$_png size"
	_n=$(png_colours "$_png")
	if [ -n "$_n" ]; then
		[ "$_n" -ge 20 ] || h_fail "$_png has $_n colours: a blank page?"
		h_log "$_png: $_size, $_n colours"
	else
		h_log "$_png: $_size (no python3: colours not counted)"
	fi
}

shot page 1280 2400
shot page-phone 390 2400
shot page-dark 1280 2400 --force-dark-mode
cmp -s "$SHOTS/page.png" "$SHOTS/page-dark.png" &&
	h_fail "dark mode looks like light mode"

# --- 3. the rendered DOM -----------------------------------------------------------
h_chromium --hide-scrollbars --dump-dom "$URL" >"$H_TMP/dom.html" ||
	h_fail "chromium --dump-dom"
dom=$(cat "$H_TMP/dom.html")
for text in "System Status" "Some services degraded" "Incoming Mail" \
	"Web Access" "Client Access" "Hosting Service" "75.000%" \
	"av1.aluminati.net" "online for 3 days" "back online" \
	"Service Interruption" "New Email Packages" "drafted automatically" \
	"new in the last 7 days" "All times are shown in Europe/London." \
	'href="status.json"' 'href="feed.atom"'; do
	h_assert_contains "$dom" "$text" "rendered DOM"
done
h_assert_contains "$dom" '<span class="dot dot-degraded" aria-hidden="true"></span> Degraded' \
	"a dot with its word"

# --- 4. nothing but the site was asked for --------------------------------------------
grep -o 'url:[^ ]*' "$H_TMP/httpd.log" | sort -u >"$H_TMP/requests"
while read -r req; do
	case $req in
	url:/index.html | url:/graphs/*.png) ;;
	*) h_fail "unexpected request $req" ;;
	esac
done <"$H_TMP/requests"
h_log "requests: $(wc -l <"$H_TMP/requests") distinct, all the site's own"
h_log "ok"
