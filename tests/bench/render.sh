#!/bin/sh
# tests/bench/render.sh — scenario 4 of `make bench` (render).
#
# The example site: examples/aluminati.xml as the monitor would leave it
# (tests/unit/render/render-fixture: 4 services, 10 groups, 25 servers,
# three days of one-minute samples), rendered with all its graphs (148:
# four periods of every service, group and server with an RRD).
#
#   greendot  `greendot-render` into an empty folder: page, status.json,
#             Atom feed and every graph, drawn in-process by one process
#             per CPU (the default); then again with nothing changed
#             (nothing redrawn); and into another folder with --jobs 1;
#   peer      `rrdtool graph FILE ...` once per graph, with the arguments
#             the renderer gives librrd (GREENDOT_GRAPH_ARGS dumps them,
#             render/graph.h), in series; with nothing changed, the same
#             with --lazy (rrdtool's own "only when out of date").
set -u
. "${TOP:-.}/tests/lib/harness.sh"
. "$TOP/tests/bench/lib.sh"
b_init render

RENDER=$H_BUILD/bin/greendot-render
FIXTURE=$H_BUILD/tests/render/render-fixture
FLOOR=4
NCPU=$(nproc)
[ "$NCPU" -le 32 ] || NCPU=32
[ -x "$RENDER" ] || h_fail "$RENDER missing (make)"
[ -x "$FIXTURE" ] || h_fail "$FIXTURE missing (make all-tests)"
export TZ=Europe/London LC_ALL=C GREENDOT_NOW=1280534400

"$FIXTURE" "$H_TMP/data" || h_fail "render-fixture"

# render OUT [OPTION...]: seconds; DRAWN
render() {
	_re_out=$1
	shift
	_re_t0=$(b_now)
	"$RENDER" --data "$H_TMP/data" --out "$_re_out" -v "$@" >"$H_TMP/render.log" 2>&1 ||
		h_fail "greendot-render: $(tail -n 3 "$H_TMP/render.log")"
	b_since "$_re_t0"
}
drawn() {
	sed -n 's/.* ms: \([0-9]*\) drawn.*/\1/p' "$H_TMP/render.log"
}

# The arguments, once; the peer's scripts: one rrdtool graph per line.
GREENDOT_GRAPH_ARGS=$H_TMP/graph.args render "$H_TMP/args-site" >/dev/null
GRAPHS=$(drawn)
[ "$GRAPHS" -gt 100 ] || h_fail "only $GRAPHS graphs drawn"
[ "$(wc -l <"$H_TMP/graph.args")" = "$GRAPHS" ] ||
	h_fail "$(wc -l <"$H_TMP/graph.args") argument lists for $GRAPHS graphs"
peer_script() {	# OUT [--lazy]
	awk -F '\t' -v out="$1" -v extra="${2:-}" '
	function q(s) { gsub(/'\''/, "'\''\\'\'''\''", s); return "'\''" s "'\''" }
	{
		printf "rrdtool graph %s", q(out "/" $1)
		if (extra != "") printf " %s", extra
		for (i = 4; i <= NF; i++) printf " %s", q($i)
		printf " >/dev/null\n"
	}' "$H_TMP/graph.args"
}
peer_script "$H_TMP/peer.OUT" >"$H_TMP/peer.sh"
peer_script "$H_TMP/peer.OUT" --lazy >"$H_TMP/peer-lazy.sh"
peer() {	# SCRIPT: seconds
	_pe_t0=$(b_now)
	sh -e "$1" 2>"$H_TMP/peer.err" || h_fail "rrdtool graph: $(tail -n 2 "$H_TMP/peer.err")"
	b_since "$_pe_t0"
}

# Every run into folders of its own: deleting the last run's files
# first would make each file created now pay for ext4's search past
# recently deleted inodes (a fifth of a run's time here), which neither
# a first render nor a steady one does.
full= unch= one= pfull= punch= i=0
while [ $i -lt $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	f=$(render "$H_TMP/site.$i")
	[ "$(drawn)" = "$GRAPHS" ] || h_fail "first render drew $(drawn) graphs, not $GRAPHS"
	u=$(render "$H_TMP/site.$i")
	[ "$(drawn)" = 0 ] || h_fail "render with nothing changed drew $(drawn) graphs"
	o=$(render "$H_TMP/site1.$i" --jobs 1)
	[ "$(drawn)" = "$GRAPHS" ] || h_fail "render --jobs 1 drew $(drawn) graphs, not $GRAPHS"
	mkdir "$H_TMP/peer.$i"
	sed "s,$H_TMP/peer.OUT/,$H_TMP/peer.$i/," "$H_TMP/peer.sh" >"$H_TMP/peer.$i.sh"
	sed "s,$H_TMP/peer.OUT/,$H_TMP/peer.$i/," "$H_TMP/peer-lazy.sh" >"$H_TMP/peer-lazy.$i.sh"
	pf=$(peer "$H_TMP/peer.$i.sh")
	[ "$(find "$H_TMP/peer.$i" -name '*.png' | wc -l)" = "$GRAPHS" ] ||
		h_fail "rrdtool drew $(find "$H_TMP/peer.$i" -name '*.png' | wc -l) graphs"
	pu=$(peer "$H_TMP/peer-lazy.$i.sh")
	h_log "render $f s, unchanged $u s, --jobs 1 $o s; rrdtool graph x $GRAPHS $pf s, --lazy $pu s"
	if [ $i -ge "$BENCH_WARMUP" ]; then
		full="$full $f" unch="$unch $u" one="$one $o" pfull="$pfull $pf" punch="$punch $pu"
	fi
	i=$(( i + 1 ))
done
# shellcheck disable=SC2086
{
	full=$(b_median $full) unch=$(b_median $unch) one=$(b_median $one)
	pfull=$(b_median $pfull) punch=$(b_median $punch)
}
b_row render "render the example site, $GRAPHS graphs" "$(b_fmt_ms "$full")" \
	"$(b_fmt_ms "$pfull")" "$(b_ratio "$pfull" "$full")" $FLOOR \
	"peer: rrdtool graph x $GRAPHS, same arguments; greendot draws in $NCPU processes (one per CPU, the default) and also writes the page, status.json and the feed"
b_row render "render the example site, --jobs 1" "$(b_fmt_ms "$one")" \
	"$(b_fmt_ms "$pfull")" "$(b_ratio "$pfull" "$one")" - \
	"greendot in one process: what the workers add is the rest of the row above"
b_row render "render with nothing changed" "$(b_fmt_ms "$unch")" \
	"$(b_fmt_ms "$punch")" "$(b_ratio "$punch" "$unch")" $FLOOR \
	"peer: rrdtool graph --lazy x $GRAPHS; greendot redraws nothing and rewrites the page"
h_log "render: done"
