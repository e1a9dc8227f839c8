#!/bin/sh
# agent_scale.sh — greendot-agent with thousands of servers (groups of
# 10, 100 groups an area, a service per 10 groups) against fakesvc playing
# all of them on $H_ADDR, through a real snmpd.
#
# In make check: AGENT_SCALE_SERVERS servers (default 2,000), a test of
# behaviour with no bound on any time, so that a busy machine cannot fail
# it; deadlines are generous:
#   every server and group comes up; a walk of gdServerTable through snmpd
#   is complete (every row, by its own name, 15 columns each); the prober
#   keeps going round (every server checked again).
# The walk and start-up times are printed, for information.
#
# AGENT_SCALE_BENCH=1 (make bench; 10,000 servers unless
# AGENT_SCALE_SERVERS says otherwise) adds the figures of the issue and
# loose bounds that catch a quadratic walk or a stalled prober: the probe
# cycle over 3 intervals of AGENT_SCALE_INTERVAL s (default 5): checks per
# second, at least 90% of N / interval; the agent's CPU per cycle; and the
# walk of gdServerName (snmpbulkwalk -Cr50) under 30 s.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_scale

BENCH=${AGENT_SCALE_BENCH:-0}
if [ "$BENCH" = 1 ]; then
	N=${AGENT_SCALE_SERVERS:-10000}
else
	N=${AGENT_SCALE_SERVERS:-2000}
fi
INTERVAL=${AGENT_SCALE_INTERVAL:-5}
UP_SECS=$(( 10 * INTERVAL + 60 ))	# deadline for all up, and for a round
GROUPS_N=$(( N / 10 ))
if [ $(( N % 100 )) -ne 0 ] || [ "$N" -lt 100 ]; then
	h_fail "AGENT_SCALE_SERVERS=$N: a multiple of 100 is needed"
fi
H_READY_SECS=60		# fakesvc binds N ports, the agent validates a large config
H_POLL=0.5		# the conditions below walk thousands of rows
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# Ports in a row on the test's own address: no other process binds there,
# so none can be taken between here and fakesvc's bind.
BASE=$(h_server_port "$N")
AG_CONFIG=$H_TMP/scale.xml AG_SPEC=$H_TMP/scale.spec
awk -v n="$N" -v base="$BASE" -v host="$H_ADDR" -v iv="$INTERVAL" \
	-v spec="$AG_SPEC" 'BEGIN {
	printf "<greendot title=\"Scale test\">\n"
	printf "  <defaults interval=\"%d\" timeout=\"%g\" rise=\"1\" fall=\"2\"/>\n", iv, iv / 2
	ngroups = n / 10
	for (g = 0; g < ngroups; g++) {
		if (g % 100 == 0) {
			if (g > 0) printf "  </area>\n"
			printf "  <area id=\"area%d\" title=\"Area %d\" colour=\"blue\">\n", g / 100, g / 100
			printf "    <description>Area.</description>\n"
		}
		printf "    <group id=\"g%d\" title=\"Group %d\">\n", g, g
		for (s = 0; s < 10; s++) {
			i = g * 10 + s
			proto = (i % 2) ? "smtp" : "tcp"
			printf "      <server id=\"s%d\" host=\"%s\" port=\"%d\" probe=\"%s\"/>\n", i, host, base + i, proto
			printf "s%d=%s:%d\n", i, proto, base + i > spec
		}
		printf "    </group>\n"
	}
	printf "  </area>\n"
	for (v = 0; v < ngroups / 10; v++)
		printf "  <service id=\"svc%d\" title=\"Service %d\"><needs group=\"g%d\"/><needs any=\"g%d g%d\"/></service>\n", v, v, v * 10, v * 10 + 1, v * 10 + 2
	printf "</greendot>\n"
}' >"$AG_CONFIG"
"$AG_BIN" -n -c "$AG_CONFIG" >/dev/null || h_fail "scale config invalid"

h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
h__now
t0=$H__NOW
ag_start

# bulkwalk OID...: the walk through snmpd, to stdout
bulkwalk() {
	h__snmp_env snmpbulkwalk -v2c -c "$H_COMMUNITY" -Cr50 -t 10 -r 1 \
		"127.0.0.1:$H_SNMPD_PORT" "$@"
}

# The last group first: a cheap get until the end of the first round, the
# walks only then.
all_up() {
	[ "$(h_snmpget -Oqv "GREENDOT-MIB::gdGroupStatus.$GROUPS_N" 2>/dev/null)" = up ] &&
	[ "$(bulkwalk -Oqv GREENDOT-MIB::gdGroupStatus | grep -c '^up$')" \
		-eq "$GROUPS_N" ] &&
	[ "$(bulkwalk -Oqv GREENDOT-MIB::gdServerOperStatus | grep -c '^up$')" \
		-eq "$N" ]
}
h_wait_until "$UP_SECS" "all $N servers and $GROUPS_N groups up" all_up
h__now
up_cs=$((H__NOW - t0))
h_log "ok: all $N servers and $GROUPS_N groups up"

# --- walks through snmpd -------------------------------------------------
walk_cs() {	# OID: centiseconds, rows in $H_TMP/walk
	h__now
	_w0=$H__NOW
	bulkwalk -On "$1" >"$H_TMP/walk" || h_fail "snmpbulkwalk $1 failed"
	h__now
	echo $((H__NOW - _w0))
}
one_cs=$(walk_cs GREENDOT-MIB::gdServerName)
rows=$(grep -c . "$H_TMP/walk")
h_assert_eq "$rows" "$N" "rows of gdServerName"
names=$(sed 's/.* = STRING: "*\(s[0-9]*\)"*$/\1/' "$H_TMP/walk" |
	awk -v n="$N" '/^s[0-9]+$/ && substr($0, 2) + 0 < n && !seen[$0]++ { c++ }
		END { print c + 0 }')
h_assert_eq "$names" "$N" "distinct server names s0..s$((N - 1)) walked"
all_cs=$(walk_cs GREENDOT-MIB::gdServerTable)
vbs=$(grep -c . "$H_TMP/walk")
h_assert_eq "$vbs" $((N * 15)) "varbinds of gdServerTable"
h_log "ok: gdServerTable walked whole"

# --- the prober goes round ------------------------------------------------
# checks: "INDEX COUNT" per server
checks() {
	bulkwalk -On GREENDOT-MIB::gdServerChecks |
		sed -n 's/.*\.\([0-9]*\) = Counter64: \([0-9]*\)$/\1 \2/p'
}
checks >"$H_TMP/checks0"
h_assert_eq "$(grep -c . "$H_TMP/checks0")" "$N" "rows of gdServerChecks"
all_checked_again() {
	checks >"$H_TMP/checks1"
	[ "$(awk 'NR == FNR { c[$1] = $2; next } $2 > c[$1] { n++ } END { print n + 0 }' \
		"$H_TMP/checks0" "$H_TMP/checks1")" -eq "$N" ]
}
h_wait_until "$UP_SECS" "every server checked again" all_checked_again
h_log "ok: every server checked again"

fmt() { printf '%d.%02d s' $(($1 / 100)) $(($1 % 100)); }
cat <<EOT

greendot-agent at $N servers ($(nproc) CPUs)
  rows served: $N servers, $GROUPS_N groups, $(( (GROUPS_N + 99) / 100 )) areas, $((GROUPS_N / 10)) services
  walk gdServerName through snmpd (snmpbulkwalk -Cr50): $(fmt "$one_cs") for $rows rows
  walk gdServerTable through snmpd (15 columns):    $(fmt "$all_cs") for $vbs varbinds
  all $N servers up after start:                    $(fmt "$up_cs") (interval ${INTERVAL}s, rise 1)
EOT

if [ "$BENCH" != 1 ]; then
	h_log "agent_scale: ok (AGENT_SCALE_BENCH=1 for the probe cycle figures)"
	exit 0
fi

# --- the probe cycle (bench) ----------------------------------------------
cpu_ticks() {	# utime + stime of the agent, in clock ticks
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$AG_PID/stat"
}
checks_sum() {
	bulkwalk -Oqv GREENDOT-MIB::gdServerChecks | awk '{ s += $1 } END { print s }'
}
c0=$(checks_sum)
k0=$(cpu_ticks)
h__now
w0=$H__NOW
cycles=3
h_log "measuring $cycles probe cycles of ${INTERVAL}s"
sleep $((cycles * INTERVAL))	# a measuring window, not a wait for a condition
k1=$(cpu_ticks)		# before the walk below, which costs CPU too
h__now
w1=$H__NOW
c1=$(checks_sum)
h__now
wc1=$H__NOW	# the checks were counted by walks that ended at w0 and wc1
hz=$(getconf CLK_TCK)
checks=$((c1 - c0))
secs_cs=$((wc1 - w0))
rate=$((checks * 100 / secs_cs))
cpu_ms_cycle=$(( (k1 - k0) * 1000 / hz * INTERVAL * 100 / (w1 - w0) ))
echo "  probe cycle: $checks checks in $(fmt "$secs_cs") = $rate checks/s; agent CPU ${cpu_ms_cycle} ms per ${INTERVAL}s cycle"
[ "$rate" -ge $((N * 9 / 10 / INTERVAL)) ] ||
	h_fail "only $rate checks/s for $N servers every ${INTERVAL}s"
[ "$one_cs" -lt 3000 ] || h_fail "walking $N rows took $(fmt "$one_cs")"
h_log "agent_scale: ok"
