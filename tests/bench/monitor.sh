#!/bin/sh
# tests/bench/monitor.sh — one greendot-monitor cycle of 10,000 servers:
# wall time and the monitor's own CPU (user + system, /usr/bin/time),
# RRD files written directly and through rrdcached, the first cycle
# (which creates every file) and the next one (updates only, one RRD
# step later).  Not part of `make check` (it waits for two RRD steps):
#
#	sh tests/bench/monitor.sh [SERVERS] [INFLIGHT]
#
# Prints a table: wall and CPU (user + system) of the whole run, and the
# poll alone (from the monitor's "cycle done" line).  The world is snmpd + greendot-agent + fakesvc (SERVERS
# plain tcp servers, 10 per group, one service per 10 groups), with
# snmpd's maxGetbulkResponses at its default (100) unless BULK is set.
#
# Figures (2 cores shared with snmpd, greendot-agent and other work; one
# agent, 10,000 servers, 1,000 groups, 100 services; wall and CPU of the
# whole --once run, which also writes state.xml and 11,100 RRD files):
#
#   snmpd default (maxGetbulkResponses 100)    wall s  poll s   CPU s
#   direct, first cycle (creates the files)    1.6-1.9 0.5-0.8  0.25-0.29
#   rrdcached, first cycle                     1.6-1.8 0.5-0.7  0.25-0.28
#   direct, next step (updates)                1.9-2.2 0.7-0.9  0.31-0.37
#   rrdcached, next step (updates)             1.7-2.2 0.5-0.9  0.33-0.35
#   (about 1,810 requests, 163,000 varbinds a cycle; 16 in flight)
#
#   BULK=1000: 212 requests, 198,000 varbinds, poll 1.0-1.4 s: fewer,
#   larger answers pipeline worse through AgentX (and the answers run
#   past the ends of the ranges): snmpd's default is the better one.
#
# A single range walked one request at a time (before the poller split
# unknown tables) took 11,115 requests and 1.1-1.5 s.
set -eu
: "${TOP:=$(pwd)}"
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
N=${1:-10000}
INFLIGHT=${2:-16}
H_READY_SECS=60
h_init monitor_bench

# ---- the world: N servers on consecutive ports ------------------------------
# a range with no socket in it (below the ephemeral ports when possible)
ss -Hant >"$H_TMP/ports" 2>/dev/null || true
base=
b=20000
while [ -z "$base" ] && [ $((b + N)) -lt 65500 ]; do
	used=$(awk -v lo="$b" -v hi=$((b + N)) '{ n = split($4, a, ":");
		p = a[n] + 0; if (p >= lo && p < hi) c++ } END { print c + 0 }' \
		"$H_TMP/ports")
	[ "$used" = 0 ] && base=$b
	b=$((b + 500))
done
[ -n "$base" ] || h_fail "no free range of $N ports"
awk -v n="$N" -v b="$base" 'BEGIN { for (i = 0; i < n; i++)
	printf "s%d=tcp:%d\n", i, b + i }' >"$H_TMP/fakesvc.spec"
awk -v n="$N" -v b="$base" 'BEGIN {
	print "<greendot title=\"bench\">"
	print "  <defaults interval=\"30\" timeout=\"5\" rise=\"1\" fall=\"1\"/>"
	ng = int((n + 9) / 10)
	for (a = 0; a < 10; a++) {
		printf "  <area id=\"a%d\" title=\"Area %d\" colour=\"blue\">\n", a, a
		for (g = a; g < ng; g += 10) {
			printf "    <group id=\"g%d\" title=\"Group %d\">\n", g, g
			for (s = g * 10; s < g * 10 + 10 && s < n; s++)
				printf "      <server id=\"s%d\" host=\"127.0.0.1\" port=\"%d\" probe=\"tcp\"/>\n", s, b + s
			print "    </group>"
		}
		print "  </area>"
	}
	for (v = 0; v * 10 < ng; v++)
		printf "  <service id=\"v%d\" title=\"Service %d\"><needs group=\"g%d\"/></service>\n", v, v, v * 10
	print "</greendot>"
}' >"$H_TMP/gd.xml"
h_start_fakesvc -f "$H_TMP/fakesvc.spec"
H_SNMPD_EXTRA="dontLogTCPWrappersConnects yes
${BULK:+maxGetbulkResponses $BULK}"
h_start_snmpd
m_start_agent
M_PEER=udp:127.0.0.1:$H_SNMPD_PORT

all_up() {
	rm -rf "$H_TMP/probe"
	M_DATA=$H_TMP/probe m_monitor --once -Ln >/dev/null 2>&1 || return 1
	[ "$(grep -c '<server .*status="up"' "$H_TMP/probe/state.xml")" = "$N" ]
}
h_wait_until 120 "$N servers up" all_up

# ---- cycles -------------------------------------------------------------------
cycle() {	# LABEL DATA [--rrdcached ADDR]
	_label=$1 _data=$2
	shift 2
	/usr/bin/time -f "%e %U %S" -o "$H_TMP/time" \
		"$M_BIN/greendot-monitor" --once -Lf "$H_TMP/bench.log" \
		--inflight "$INFLIGHT" "$@" -v2c -c "$H_COMMUNITY" -t 5 -r 1 \
		--data "$_data" "$M_PEER"
	read -r _wall _user _sys <"$H_TMP/time"
	_poll=$(sed -n 's/.* cycle done in \([0-9.]*\) s.*/\1/p' \
		"$H_TMP/bench.log" | tail -n 1)
	printf '%-34s %8s %8s %8s\n' "$_label" "$_wall" "$_poll" \
		"$(awk -v u="$_user" -v s="$_sys" 'BEGIN { printf "%.2f", u + s }')" \
		>>"$H_TMP/table"
}
next_step() {
	_step=$(( $(date +%s) / 60 ))
	h_wait_until 70 "the next RRD step" sh -c \
		"[ \$(( \$(date +%s) / 60 )) -gt $_step ]"
}

printf '%-34s %8s %8s %8s\n' "$N servers, --inflight $INFLIGHT" \
	"wall s" "poll s" "CPU s" >"$H_TMP/table"
cycle "direct, first (creates files)" "$H_TMP/direct"
h_start_rrdcached
cycle "rrdcached, first (creates files)" "$H_TMP" --rrdcached "$H_RRDCACHED"
next_step
cycle "direct, next step (updates)" "$H_TMP/direct"
cycle "rrdcached, next step (updates)" "$H_TMP" --rrdcached "$H_RRDCACHED"
grep ' cycle done' "$H_TMP/bench.log" | tail -n 1 | sed 's/.*: //' >>"$H_TMP/table"
cat "$H_TMP/table"
