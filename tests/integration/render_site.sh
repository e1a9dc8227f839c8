#!/bin/sh
# render_site.sh — greendot-render as the monitor runs it, on a data
# directory with a known history (build/tests/render/render-fixture: the
# aluminati site, examples/news.xml), with TZ, LC_ALL and the time pinned.
#
#   1. the first run draws every graph and writes index.html, status.json,
#      feed.atom: the page is well-formed XML and HTML (xmllint; only its
#      HTML5 element names are news to libxml2's HTML parser), the feed
#      valid Atom 1.0 as far as xmllint and its required elements go, the
#      JSON valid (jq) with the contract's fields and the known figures;
#      every graph a PNG of sensible size;
#   2. a second run with nothing changed redraws no graph; both times
#      are printed (the render-time note);
#   3. a sample that rrdcached holds back: with RRDCACHED_ADDRESS the
#      renderer has it flushed, sees the new data and redraws the day
#      graph of that service (and only that one);
#   4. the escaping corpus in every field (state, journal, news): all
#      three outputs still valid and nothing of it became an element;
#   5. a bad news file: exit 1, "file:line: message" on stderr, the site
#      left byte for byte as it was;
#   6. usage errors exit 2.
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
h_init render_site

RENDER=$H_BUILD/bin/greendot-render
FIXTURE=$H_BUILD/tests/render/render-fixture
NOW=1280534400		# FIXTURE_NOW: 2010-07-31T00:00:00Z
BASE=https://status.example.net/

[ -x "$RENDER" ] || h_fail "$RENDER missing (make)"
[ -x "$FIXTURE" ] || h_fail "$FIXTURE missing (make all-tests)"
for t in xmllint jq rrdcached; do
	command -v $t >/dev/null 2>&1 || h_fail "$t not found (make deps)"
done

export TZ=Europe/London LC_ALL=C GREENDOT_NOW=$NOW
unset RRDCACHED_ADDRESS

# render OUT NEWS [ARGS...]: one run, its log in $H_TMP/render.log
render() {
	_out=$1 _news=$2
	shift 2
	"$RENDER" --data "$DATA" --out "$_out" ${_news:+--news "$_news"} \
		--base-url "$BASE" -v "$@" >"$H_TMP/render.log" 2>&1
}

# drawn: how many graphs the last run drew
drawn() {
	sed -n 's/.*graphs [0-9]* ms: \([0-9]*\) drawn.*/\1/p' "$H_TMP/render.log"
}

render_ms() {
	sed -n 's/.*rendered in \([0-9]*\) ms.*/\1/p' "$H_TMP/render.log"
}

# HTML: well-formed XML; as HTML, no error but libxml2 not knowing the
# HTML5 elements ("Tag main invalid").
check_html() {
	xmllint --noout "$1" || h_fail "$1: not well-formed"
	xmllint --html --noout "$1" 2>&1 | grep 'error :' |
		grep -v 'Tag [a-z]* invalid' >"$H_TMP/html-errors"
	[ -s "$H_TMP/html-errors" ] && h_fail "$1: $(cat "$H_TMP/html-errors")"
	return 0
}

xpath_count() {	# FILE EXPR
	xmllint --xpath "count($2)" "$1" 2>/dev/null
}

# Atom 1.0: the feed's and every entry's required elements (RFC 4287
# 4.1.1, 4.1.2), one id/title/updated each.
check_atom() {
	xmllint --noout "$1" || h_fail "$1: not well-formed"
	_a="*[local-name()='feed' and namespace-uri()='http://www.w3.org/2005/Atom']"
	for e in id title updated author; do
		h_assert_eq "$(xpath_count "$1" "/$_a/*[local-name()='$e']")" 1 \
			"feed <$e>"
	done
	_n=$(xpath_count "$1" "/$_a/*[local-name()='entry']")
	for e in id title updated; do
		h_assert_eq "$(xpath_count "$1" "/$_a/*[local-name()='entry']/*[local-name()='$e']")" \
			"$_n" "entry <$e>"
	done
	echo "$_n"
}

check_json() {
	jq -e '.generated and .status and (.services|type=="array")
	       and (.groups|type=="array") and (.servers|type=="array")
	       and (.incidents|type=="array")' "$1" >/dev/null ||
		h_fail "$1: not valid, or the contract's fields missing"
}

# PNG signature and a size between the canvas and twice it
check_png() {
	_sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
	h_assert_eq "$_sig" 89504e470d0a1a0a "$1 is a PNG"
	_w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	_h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	[ "$_w" -gt 400 ] && [ "$_w" -lt 800 ] && [ "$_h" -gt 100 ] &&
		[ "$_h" -lt 300 ] || h_fail "$1: ${_w}x$_h"
}

# --- 1. first run ------------------------------------------------------------
h_start_rrdcached
DATA=$H_TMP		# DATA/rrd is rrdcached's base dir
"$FIXTURE" "$DATA" || h_fail "render-fixture"
OUT=$H_TMP/site
render "$OUT" examples/news.xml || h_fail "first run: $(cat "$H_TMP/render.log")"
FIRST_MS=$(render_ms) FIRST_DRAWN=$(drawn)
h_log "first run: $FIRST_MS ms, $FIRST_DRAWN graphs drawn"
[ "$FIRST_DRAWN" -ge 140 ] || h_fail "first run drew $FIRST_DRAWN graphs"
for f in index.html status.json feed.atom; do
	[ -s "$OUT/$f" ] || h_fail "$f missing"
done
check_html "$OUT/index.html"
ENTRIES=$(check_atom "$OUT/feed.atom")
h_assert_eq "$ENTRIES" 8 "feed entries (4 news, 4 automatic)"
check_json "$OUT/status.json"
h_assert_eq "$(jq -r '.services[0].availability.day' "$OUT/status.json")" 75 \
	"incoming-mail over 24 h"
h_assert_eq "$(jq -r '.services[2].availability.week' "$OUT/status.json")" \
	97.916 "client-access over 7 d"
h_assert_eq "$(jq -r '.status' "$OUT/status.json")" degraded "overall"
h_assert_eq "$(jq '[.incidents[] | select(.automatic)] | length' \
	"$OUT/status.json")" 4 "automatic incidents"
n=0
for png in "$OUT"/graphs/*.png; do
	check_png "$png"
	n=$((n + 1))
done
h_assert_eq "$n" "$FIRST_DRAWN" "PNG files"
h_assert_contains "$(cat "$OUT/index.html")" \
	"All times are shown in Europe/London." "zone in the footer"

h_assert_eq "$(jq -r 'has("simulated")' "$OUT/status.json")" false \
	"no simulated note without DATA/SIMULATED"

# --- 2. nothing changed --------------------------------------------------------
render "$OUT" examples/news.xml || h_fail "second run"
SECOND_MS=$(render_ms)
h_assert_eq "$(drawn)" 0 "graphs drawn with nothing changed"
h_log "nothing changed: $SECOND_MS ms, 0 graphs drawn"
echo "render time, example site ($FIRST_DRAWN graphs): first run $FIRST_MS ms, nothing changed $SECOND_MS ms"

# --- 2b. a demo's made-up history is said to be so ---------------------------------
printf 'until=%s\ntext=History before <then> is simulated & made up.\n' "$NOW" \
	>"$DATA/SIMULATED"
render "$OUT" examples/news.xml || h_fail "run with SIMULATED"
h_assert_contains "$(cat "$OUT/index.html")" \
	'id="simulated">History before &lt;then&gt; is simulated &amp; made up.' \
	"the note on the page, escaped"
h_assert_eq "$(jq -r '.simulated' "$OUT/status.json")" \
	"History before <then> is simulated & made up." "status.json simulated"
h_assert_eq "$(jq -r '.simulated_until' "$OUT/status.json")" \
	"$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)" "status.json simulated_until"
rm "$DATA/SIMULATED"

# --- 3. rrdcached holds a new sample ------------------------------------------------
WEB=$H_RRD_DIR/service/web-access.rrd
reply=$(h_rrdcached "UPDATE $WEB $((NOW + 60)):1")
h_assert_contains "$reply" "0 " "rrdcached took the update"
render "$OUT" examples/news.xml || h_fail "run without rrdcached"
h_assert_eq "$(drawn)" 0 "the sample still sits in rrdcached"
RRDCACHED_ADDRESS=$H_RRDCACHED render "$OUT" examples/news.xml ||
	h_fail "run with RRDCACHED_ADDRESS: $(cat "$H_TMP/render.log")"
h_assert_eq "$(drawn)" 1 "day graph of web-access redrawn after the flush"

# --- 4. the escaping corpus ------------------------------------------------------------
CDATA=$H_TMP/corpus
mkdir -p "$CDATA"
"$FIXTURE" "$CDATA" --corpus || h_fail "render-fixture --corpus"
DATA=$CDATA
render "$H_TMP/corpus-site" tests/data/render/corpus-news.xml --server-graphs none ||
	h_fail "corpus run: $(cat "$H_TMP/render.log")"
check_html "$H_TMP/corpus-site/index.html"
check_atom "$H_TMP/corpus-site/feed.atom" >/dev/null
check_json "$H_TMP/corpus-site/status.json"
for e in script b style; do
	h_assert_eq "$(xpath_count "$H_TMP/corpus-site/index.html" \
		"//*[local-name()='body']//*[local-name()='$e']")" 0 "injected <$e>"
done
h_assert_eq "$(xpath_count "$H_TMP/corpus-site/index.html" \
	"//*[local-name()='img' and not(@class='graph')]")" 0 "injected <img>"
jq -e '.incidents[] | select(.id=="corpus-1") | .title == "<script>alert(\"t\")</script>"' \
	"$H_TMP/corpus-site/status.json" >/dev/null || h_fail "corpus title in JSON"
grep -q '<' "$H_TMP/corpus-site/status.json" && h_fail "raw < in status.json"

# --- 5. a bad news file leaves the site ------------------------------------------------------
DATA=$H_TMP
cat >"$H_TMP/bad.xml" <<'EOF'
<news>
  <incident id="x" title="t" status="resolved">
    <update at="2010-07-27 15:15">text</update>
  </incident>
</news>
EOF
(cd "$OUT" && find . -type f | sort | xargs md5sum) >"$H_TMP/before"
if render "$OUT" "$H_TMP/bad.xml"; then
	h_fail "a bad news file was accepted"
else
	h_assert_eq "$?" 1 "exit status for a bad news file"
fi
h_assert_contains "$(cat "$H_TMP/render.log")" \
	"$H_TMP/bad.xml:3: update: at=\"2010-07-27 15:15\" is not a time with a zone" \
	"file:line message"
(cd "$OUT" && find . -type f | sort | xargs md5sum) >"$H_TMP/after"
cmp -s "$H_TMP/before" "$H_TMP/after" || h_fail "the site changed: $(diff "$H_TMP/before" "$H_TMP/after")"

# --- 6. usage -----------------------------------------------------------------------------
"$RENDER" --out "$OUT" >/dev/null 2>&1
h_assert_eq "$?" 2 "--data missing"
"$RENDER" --data "$DATA" --out "$OUT" --server-graphs some >/dev/null 2>&1
h_assert_eq "$?" 2 "bad --server-graphs"
"$RENDER" --data "$DATA" --out "$OUT" --base-url 'javascript:alert(1)' >/dev/null 2>&1
h_assert_eq "$?" 2 "a base URL that is not http(s)"
for jobs in 0 33 -1 2x ''; do
	"$RENDER" --data "$DATA" --out "$OUT" --jobs "$jobs" 2>"$H_TMP/jobs.err" >/dev/null
	h_assert_eq "$?" 2 "--jobs '$jobs'"
	h_assert grep -q -- '--jobs wants 1 to 32' "$H_TMP/jobs.err"
done
h_log "ok"
