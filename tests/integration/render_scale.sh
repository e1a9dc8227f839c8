#!/bin/sh
# render_scale.sh — the renderer on a large site.
#
# RENDER_SCALE_SERVERS servers (default 2000; with RENDER_SCALE_BENCH=1
# 10000, for the figures of render/README.md) in groups of ten, with RRDs
# for groups and services (server RRDs are 400 KB each: not made here,
# and not read by the default --server-graphs auto above 500 servers):
#
#   1. the first run draws every group and service graph, lists every
#      server in the diagram and says why server graphs are not drawn;
#   2. a second run with nothing changed draws none;
#   3. the times of both are printed.  Only with RENDER_SCALE_BENCH=1
#      (make bench) must the second stay below QUICK_MS: make check has
#      no bound on a time, which a busy machine could break.
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
h_init render_scale

RENDER=$H_BUILD/bin/greendot-render
FIXTURE=$H_BUILD/tests/render/render-fixture
BENCH=${RENDER_SCALE_BENCH:-0}
if [ "$BENCH" = 1 ]; then
	SERVERS=${RENDER_SCALE_SERVERS:-10000}
else
	SERVERS=${RENDER_SCALE_SERVERS:-2000}
fi
GROUPS_N=$(( (SERVERS + 9) / 10 ))
QUICK_MS=10000		# a run with nothing to draw stays below this (bench)

[ -x "$RENDER" ] || h_fail "$RENDER missing (make)"
[ -x "$FIXTURE" ] || h_fail "$FIXTURE missing (make all-tests)"
export TZ=Europe/London LC_ALL=C GREENDOT_NOW=1280534400

"$FIXTURE" "$H_TMP/data" --servers "$SERVERS" --history 7200 ||
	h_fail "render-fixture"
h_log "$SERVERS servers, $GROUPS_N groups written"

run() {
	"$RENDER" --data "$H_TMP/data" --out "$H_TMP/site" -v \
		>"$H_TMP/render.log" 2>&1 || h_fail "render: $(cat "$H_TMP/render.log")"
	MS=$(sed -n 's/.*rendered in \([0-9]*\) ms.*/\1/p' "$H_TMP/render.log")
	DRAWN=$(sed -n 's/.* ms: \([0-9]*\) drawn.*/\1/p' "$H_TMP/render.log")
}

run
FIRST_MS=$MS
h_assert_eq "$DRAWN" $(( (GROUPS_N + 4) * 4 )) "graphs drawn (groups and services, 4 periods)"
h_assert_eq "$(grep -c 'class="server"' "$H_TMP/site/index.html")" "$SERVERS" \
	"server rows on the page"
h_assert_contains "$(cat "$H_TMP/site/index.html")" \
	"Response-time graphs of single servers are not drawn" "the page says so"
h_assert_eq "$(jq '.servers | length' "$H_TMP/site/status.json")" "$SERVERS" \
	"servers in status.json"

run
h_assert_eq "$DRAWN" 0 "graphs drawn with nothing changed"
if [ "$BENCH" = 1 ]; then
	[ "$MS" -lt "$QUICK_MS" ] || h_fail "nothing changed took $MS ms"
fi
echo "render time, $SERVERS servers ($(( (GROUPS_N + 4) * 4 )) graphs): first run $FIRST_MS ms, nothing changed $MS ms"
h_log "ok"
