#!/bin/sh
# tests/bench/failover.sh — scenario 5 of `make bench` (fail-over latency).
#
# examples/aluminati.xml on the benchmark's private address, probes every
# 1 s (timeout 0.5 s, rise 1, fall 2), fakesvc playing its servers,
# snmpd sending the agent's notifications to snmptrapd and to
# greendot-monitor (--trap-listen, --render-to, --interval 60).  A run:
# fakesvc stops spamfw1; measured from that moment, polled every 10 ms:
#
#   trap  snmptrapd has logged gdServerDown for spamfw1;
#   page  the site's status.json (written with index.html) says down.
#
# Then spamfw1 starts again and the run waits until the page shows it up.
#
# The peer is the bound of interval polling (what greendot would show
# without notifications, and what an NMS polling the MIB sees): a failure
# is found at the next poll, up to 60 s after the agent saw it, the agent
# having taken fall x interval (2 s) itself; the page then takes the
# re-poll and render as measured here (page - trap): 2 s + 60 s + that.
# Not run: it is a bound, not a measurement.
set -u
. "${TOP:-.}/tests/lib/harness.sh"
. "$TOP/tests/bench/lib.sh"
b_init failover

BIN=$H_BUILD/bin
SERVER=spamfw1
POLL_INTERVAL=60
INTERVAL=1 FALL=2
GD_SERVER_DOWN=.1.3.6.1.4.1.32473.1.0.1
GD_SERVER_UP=.1.3.6.1.4.1.32473.1.0.2
SITE=$H_TMP/site
TAB=$(printf '\t')
H_POLL=0.02

for b in greendot-agent greendot-monitor greendot-render; do
	[ -x "$BIN/$b" ] || h_fail "$BIN/$b missing (make)"
done

# ---- the world ----------------------------------------------------------------
sed -e "s/host=\"127.0.0.1\"/host=\"$B_ADDR\"/" \
	-e "s/<defaults [^>]*>/<defaults interval=\"$INTERVAL\" timeout=\"0.5\" rise=\"1\" fall=\"$FALL\"\\/>/" \
	"$TOP/examples/aluminati.xml" >"$H_TMP/gd.xml"
"$BIN/greendot-agent" -n -c "$H_TMP/gd.xml" >/dev/null || h_fail "config invalid"
grep -o '<server id="[^"]*"[^>]*port="[0-9]*" probe="[a-z0-9]*"' "$H_TMP/gd.xml" |
	sed 's/.*id="\([^"]*\)".*port="\([0-9]*\)" probe="\([a-z0-9]*\)"/\1=\3:\2/' \
	>"$H_TMP/fakesvc.spec"
h_start_fakesvc -a "$B_ADDR" -f "$H_TMP/fakesvc.spec"
h_start_snmptrapd
MP=$(h_free_port udp)
H_SNMPD_EXTRA="trap2sink 127.0.0.1:$MP $H_COMMUNITY
dontLogTCPWrappersConnects yes"
h_start_snmpd
h_bg agent "$BIN/greendot-agent" -f -c "$H_TMP/gd.xml" -x "unix:$H_AGENTX" \
	-i 1 -Lf "$H_TMP/agent.log"
# the monitor starts once the agent has every probed server up: its
# first poll must see them so (unknown to up sends no notification)
probed=$(grep -c '=' "$H_TMP/fakesvc.spec")
servers_up() {
	b_walk "127.0.0.1:$H_SNMPD_PORT" "$B_GD.4.1.8" "$H_TMP/oper.txt" >/dev/null 2>&1 &&
		[ "$(grep -c ' = INTEGER: 1$' "$H_TMP/oper.txt")" -ge "$probed" ]
}
h_wait_until 30 "the $probed probed servers up" servers_up
h_bg monitor "$BIN/greendot-monitor" -f -Lf "$H_TMP/monitor.log" \
	-v2c -c "$H_COMMUNITY" -t 0.5 -r 1 --data "$H_TMP/data" \
	--interval $POLL_INTERVAL --trap-listen "udp:127.0.0.1:$MP" \
	--render-to "$SITE" "udp:127.0.0.1:$H_SNMPD_PORT"
MON=$H_BG_PID

# on_page ID WORD: status.json gives server ID that status
on_page() {
	awk -v id="\"$1\"" -v w="\"$2\"" '
		$1 == "\"id\":" { this = ($2 == id || $2 == id ",") }
		this && $1 == "\"status\":" { s = $2; sub(/,$/, "", s); found = (s == w); this = 0 }
		END { exit !found }' "$SITE/status.json" 2>/dev/null
}
# traps OID: how many of that notification for $SERVER snmptrapd logged
traps() {
	grep -F "OID: $1$TAB" "$H_TRAP_LOG" 2>/dev/null |
		grep -Ec "STRING: \"?$SERVER\"?($TAB|\$)"
}
h_wait_until -p "$MON" 60 "$SERVER up on the page" on_page $SERVER up

# ---- runs ----------------------------------------------------------------------
# measure: seconds from the stop to the trap and to the page: T_TRAP T_PAGE
measure() {
	_me_n=$(traps $GD_SERVER_DOWN)
	_me_t0=$(b_now)
	h_fakesvc stop $SERVER
	T_TRAP= T_PAGE=
	_me_end=$(( $(date +%s) + 30 ))
	while [ -z "$T_TRAP" ] || [ -z "$T_PAGE" ]; do
		if [ -z "$T_TRAP" ] && [ "$(traps $GD_SERVER_DOWN)" -gt "$_me_n" ]; then
			T_TRAP=$(b_since "$_me_t0")
		fi
		if [ -z "$T_PAGE" ] && on_page $SERVER down; then
			T_PAGE=$(b_since "$_me_t0")
		fi
		[ "$(date +%s)" -lt "$_me_end" ] ||
			h_fail "no notification ($T_TRAP) or page ($T_PAGE) after 30 s"
		sleep 0.01
	done
	h_log "$SERVER stopped: trap after $T_TRAP s, page after $T_PAGE s"
	_me_n=$(traps $GD_SERVER_UP)
	h_fakesvc start $SERVER
	h_wait_until -p "$MON" 30 "$SERVER up on the page" on_page $SERVER up
	h_wait_until 10 "gdServerUp for $SERVER" sh -c \
		"[ \$(grep -F 'OID: $GD_SERVER_UP$TAB' '$H_TRAP_LOG' | grep -Ec 'STRING: \"?$SERVER\"?($TAB|\$)') -gt $_me_n ]"
}

traps_t= pages_t= i=0
while [ $i -lt $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	measure
	if [ $i -ge "$BENCH_WARMUP" ]; then
		traps_t="$traps_t $T_TRAP" pages_t="$pages_t $T_PAGE"
	fi
	i=$(( i + 1 ))
done
# shellcheck disable=SC2086
{
	trap_m=$(b_median $traps_t) page_m=$(b_median $pages_t)
}
# what the page costs after the agent knows: re-poll, state, render
after=$(awk -v p="$page_m" -v t="$trap_m" 'BEGIN { d = p - t; print (d > 0 ? d : 0) }')
poll_bound=$(( FALL * INTERVAL + POLL_INTERVAL ))
page_bound=$(awk -v b=$poll_bound -v a="$after" 'BEGIN { print b + a }')
b_row failover "server stopped to gdServerDown at snmptrapd" "$(b_fmt_s "$trap_m")" \
	"<= $(b_fmt_s "$poll_bound")" "$(b_ratio "$poll_bound" "$trap_m")" - \
	"expected fall x interval = $FALL x $INTERVAL s; peer: an NMS polling the MIB every $POLL_INTERVAL s"
b_row failover "server stopped to the page showing it" "$(b_fmt_s "$page_m")" \
	"<= $(b_fmt_s "$page_bound")" "$(b_ratio "$page_bound" "$page_m")" - \
	"peer: greendot-monitor --interval $POLL_INTERVAL without notifications: $FALL x $INTERVAL s + $POLL_INTERVAL s + re-poll and render ($(b_fmt_ms "$after"), as measured)"
h_log "failover: done"
