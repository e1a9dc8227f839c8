#!/bin/sh
# agent_scale.sh — greendot-agent with 10,000 servers (1,000 groups of 10,
# 100 services) against fakesvc playing all of them, through a real snmpd.
# Prints the figures of the issue:
#   rows served, the time to walk the 10,000 rows of gdServerTable through
#   snmpd (snmpbulkwalk -Cr50: one column, then every column), and the
#   probe cycle (every server checked once a 5 s interval: time until all
#   are up after start, checks per second, the agent's CPU per cycle).
# and checks loose bounds so that a quadratic walk or a stalled prober
# fails the test.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_scale

N=${AG_SCALE_N:-10000}
INTERVAL=${AG_SCALE_INTERVAL:-5}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# N ports in a row that nobody uses (retried a few times)
base_free() {
	for _bf_try in 1 2 3 4 5; do
		_bf=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 1000 ))
		ss -Hant "( sport >= :$_bf and sport < :$((_bf + N)) )" |
			grep -q . || { echo "$_bf"; return 0; }
	done
	h_fail "no $N free ports in a row"
}
BASE=$(base_free)

AG_CONFIG=$H_TMP/scale.xml AG_SPEC=$H_TMP/scale.spec
awk -v n="$N" -v base="$BASE" -v iv="$INTERVAL" -v spec="$AG_SPEC" 'BEGIN {
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
			printf "      <server id=\"s%d\" host=\"127.0.0.1\" port=\"%d\" probe=\"%s\"/>\n", i, base + i, proto
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
all_up() {
	[ "$(h_snmpget -Oqv GREENDOT-MIB::gdGroupStatus.1000 2>/dev/null)" = up ] &&
	[ "$(h_snmpwalk -Cc -Oqv GREENDOT-MIB::gdGroupStatus | grep -c '^up$')" \
		-eq $((N / 10)) ]
}
h_wait_until $((3 * INTERVAL + 10)) "all $N servers up" all_up
h__now
up_cs=$((H__NOW - t0))

# --- walks through snmpd -------------------------------------------------
walk_cs() {	# OID: centiseconds, rows in $H_TMP/walk
	h__now
	_w0=$H__NOW
	h__snmp_env snmpbulkwalk -v2c -c "$H_COMMUNITY" -Cr50 -t 10 -r 1 -On \
		"127.0.0.1:$H_SNMPD_PORT" "$1" >"$H_TMP/walk" ||
		h_fail "snmpbulkwalk $1 failed"
	h__now
	echo $((H__NOW - _w0))
}
one_cs=$(walk_cs GREENDOT-MIB::gdServerName)
rows=$(grep -c . "$H_TMP/walk")
h_assert_eq "$rows" "$N" "rows of gdServerName"
all_cs=$(walk_cs GREENDOT-MIB::gdServerTable)
vbs=$(grep -c . "$H_TMP/walk")
h_assert_eq "$vbs" $((N * 15)) "varbinds of gdServerTable"

# --- the probe cycle -------------------------------------------------------
cpu_ticks() {	# utime + stime of the agent, in clock ticks
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$AG_PID/stat"
}
checks_sum() {
	h__snmp_env snmpbulkwalk -v2c -c "$H_COMMUNITY" -Cr50 -t 10 -Oqv \
		"127.0.0.1:$H_SNMPD_PORT" GREENDOT-MIB::gdServerChecks |
		awk '{ s += $1 } END { print s }'
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
[ "$rate" -ge $((N * 9 / 10 / INTERVAL)) ] ||
	h_fail "only $rate checks/s for $N servers every ${INTERVAL}s"

fmt() { printf '%d.%02d s' $(($1 / 100)) $(($1 % 100)); }
cat <<EOT

greendot-agent at $N servers ($(nproc) CPUs)
  rows served: $N servers, $((N / 10)) groups, $((N / 1000)) areas, $((N / 100)) services
  walk gdServerName through snmpd (snmpbulkwalk -Cr50): $(fmt "$one_cs") for $rows rows
  walk gdServerTable through snmpd (15 columns):    $(fmt "$all_cs") for $vbs varbinds
  all $N servers up after start:                    $(fmt "$up_cs") (interval ${INTERVAL}s, rise 1)
  probe cycle: $checks checks in $(fmt "$secs_cs") = $rate checks/s; agent CPU ${cpu_ms_cycle} ms per ${INTERVAL}s cycle
EOT
[ "$one_cs" -lt 3000 ] || h_fail "walking $N rows took $(fmt "$one_cs")"
h_log "agent_scale: ok"
