#!/bin/sh
# fault_monitor_kill.sh — greendot-monitor killed with SIGKILL 20 times
# mid-cycle, over an agent with 2,000 servers (a cycle: a walk of 30,000
# varbinds, 2,000+ RRD files, a 1 MB state.xml, hundreds of journal
# records when a quarter of the servers changes state).
#
# Kill points: odd runs at a random time 0.1-3 s after the start (the
# first runs mostly while they create RRD files); even runs the moment a
# temporary file appears (mid state.xml or RRD write) or the journal grows
# (mid append), else at a random time.  After each kill:
#   - every RRD file passes `rrdtool info`;
#   - the journal reads (gd_journal_read; a torn tail is tolerated and
#     counted), and its records never go back in time;
#   - state.xml, when there is one, is well-formed and valid, and is the
#     one before the run or a newer one (its `generated` not older);
#   - temporary files left by the kill are counted, and the next start
#     removes them.
# Then a clean --once run updates every RRD file to the current step, with
# no "illegal attempt to update" and no temporary file left.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
. "$TOP/tests/lib/fault.sh"
h_init fault_monitor_kill

N=2000		# servers
KILLS=20
M_BIN=$H_BUILD/bin/greendot-monitor

# --- 2,000 servers on four fakesvc ports (500 each) ----------------------
h_start_snmpd
P0=$(h_server_port) P1=$(h_server_port) P2=$(h_server_port) P3=$(h_server_port)
ADDR=$H_ADDR
h_start_fakesvc q0=tcp:$P0 q1=tcp:$P1 q2=tcp:$P2 q3=tcp:$P3
AG_CONFIG=$H_TMP/big.xml
awk -v n=$N -v a="$ADDR" -v p0=$P0 -v p1=$P1 -v p2=$P2 -v p3=$P3 'BEGIN {
	split(p0 " " p1 " " p2 " " p3, port, " ")
	print "<greendot title=\"Kill test\">"
	print "  <defaults interval=\"1\" timeout=\"0.5\" rise=\"1\" fall=\"1\"/>"
	print "  <area id=\"core\" title=\"Core\" colour=\"blue\">"
	for (g = 0; g < n / 100; g++) {
		printf "    <group id=\"g%d\" title=\"Group %d\">\n", g, g
		for (s = 0; s < 100; s++) {
			i = g * 100 + s
			printf "      <server id=\"s%d\" host=\"%s\" port=\"%d\" probe=\"tcp\"/>\n", i, a, port[i % 4 + 1]
		}
		print "    </group>"
	}
	print "  </area>"
	for (v = 0; v < n / 200; v++)
		printf "  <service id=\"v%d\" title=\"Service %d\"><needs group=\"g%d\"/></service>\n", v, v, v * 2
	print "</greendot>"
}' >"$AG_CONFIG"
"$AG_BIN" -n -c "$AG_CONFIG" >/dev/null || h_fail "$AG_CONFIG is not valid"
ag_start
servers_up() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus | grep -c '^up$')" -eq $N ]
}
h_wait_until 30 "$N servers up" servers_up

DATA=$H_TMP/data
PEER=udp:127.0.0.1:$H_SNMPD_PORT
mon_args() {
	echo -v2c -c "$H_COMMUNITY" -t 2 -r 1 --data "$DATA" "$PEER"
}

generated() {	# FILE: its generated attribute, as seconds
	sed -n 's/.* generated="\([^"]*\)".*/\1/p;q' "$1" 2>/dev/null |
		head -n 1 | { read -r g && date -d "$g" +%s; } 2>/dev/null || echo 0
}
jsize() { stat -c %s "$DATA/journal" 2>/dev/null || echo 0; }
mid_write() {	# a new temporary file, or the journal grew past $1 bytes
	[ "$(jsize)" -gt "$1" ] ||
		find "$DATA" -name '*.tmp.*' | grep -qvxF -f "$H_TMP/temps.before"
}
polled() { grep -c 'polling 1 agent' "$H_TMP/mon.log" 2>/dev/null || echo 0; }
# a random delay of 100..3000 ms: where in the cycle the kill lands
random_ms() { echo $(( 100 + $(od -An -N2 -tu2 /dev/urandom) % 2900 )); }
ms_sleep() { sleep "$(( $1 / 1000 )).$(printf '%03d' $(( $1 % 1000 )))"; }

injected=0 survived=0 temps_left=0 temps_swept=0 torn=0 bad=0
flip=0
i=0
while [ $i -lt $KILLS ]; do
	i=$((i + 1))
	# a quarter of the servers changes state in every run: journal records
	q=$((flip % 4)); flip=$((flip + 1))
	if [ $(( (flip - 1) / 4 % 2 )) -eq 0 ]; then h_fakesvc stop q$q; else h_fakesvc start q$q; fi
	gen0=$(generated "$DATA/state.xml")
	[ -f "$DATA/state.xml" ] && cp "$DATA/state.xml" "$H_TMP/prev.xml"
	find "$DATA" -name '*.tmp.*' >"$H_TMP/temps.before" 2>/dev/null
	left=$(wc -l <"$H_TMP/temps.before")
	j0=$(jsize)
	p0=$(polled)
	h_bg "mon$i" "$M_BIN" -f -Lf "$H_TMP/mon.log" --interval 1 $(mon_args)
	pid=$H_BG_PID
	ms=$(random_ms)
	if [ $((i % 2)) -eq 0 ] && [ "$j0" -gt 0 ]; then
		how="mid-write"
		h__poll -p "$pid" "$(( ms / 1000 + 3 ))" mid_write "$j0" || how="at ${ms} ms"
	else
		how="at ${ms} ms"
		ms_sleep "$ms"
	fi
	h_alive "$pid" || h_fail "run $i: the monitor died by itself (see mon.log)"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	injected=$((injected + 1))
	# the run just killed, once set up, had removed what the one before
	# left (a kill before that leaves them for the next)
	[ "$(polled)" -gt "$p0" ] && while read -r f; do
		[ -e "$f" ] && h_fail "run $i: $f left by the run before is still there"
		temps_swept=$((temps_swept + 1))
	done <"$H_TMP/temps.before"

	# --- what the kill left --------------------------------------------
	rrd=$(f_rrd_check "$DATA/rrd") || h_fail "run $i: RRD files damaged: $rrd"
	jc=$(f_journal_check "$DATA/journal") ||
		h_fail "run $i: the journal does not read: $jc"
	set -- $jc
	torn=$((torn + $6)) bad=$((bad + $4))
	[ "${12}" -eq 0 ] || h_fail "run $i: journal records go back in time"
	if [ -f "$DATA/state.xml" ]; then
		f_state_valid "$DATA/state.xml" ||
			h_fail "run $i: state.xml is not valid after the kill"
		gen1=$(generated "$DATA/state.xml")
		[ "$gen1" -ge "$gen0" ] ||
			h_fail "run $i: state.xml went back from $gen0 to $gen1"
		if [ -f "$H_TMP/prev.xml" ] && cmp -s "$H_TMP/prev.xml" "$DATA/state.xml"; then
			st=old
		else
			st=new
		fi
	else
		st=none
	fi
	tl=$(f_temps "$DATA")
	temps_left=$((temps_left + tl))
	survived=$((survived + 1))
	h_log "kill $i ($how): $rrd; journal: $jc; state.xml $st; $tl temporary"
done

# --- a clean run afterwards -----------------------------------------------
left=$(f_temps "$DATA")
step_now() { echo $(( $(f_now) / 60 * 60 )); }
s0=$(step_now)
rc=0
"$M_BIN" --once -Lf "$H_TMP/final.log" $(mon_args) || rc=$?
s1=$(step_now)
h_assert_eq "$rc" 0 "the clean --once run"
if [ "$left" -gt 0 ]; then
	h_assert grep -q "removed $left temporary file" "$H_TMP/final.log"
	temps_swept=$((temps_swept + left))
fi
h_assert_eq "$(f_temps "$DATA")" 0 "temporary files after the clean run"
if grep -i 'illegal attempt' "$H_TMP/mon.log" "$H_TMP/final.log"; then
	h_fail "an update was written twice"
fi
rrd=$(f_rrd_check "$DATA/rrd") || h_fail "after the clean run: $rrd"
nfiles=$(find "$DATA/rrd" -name '*.rrd' | wc -l)
h_assert_eq "$nfiles" $((N + N / 100 + N / 200)) "one RRD file per object"
stale=$(find "$DATA/rrd" -name '*.rrd' | sed 's/^/last /' | rrdtool - |
	grep -v '^OK' | awk -v a="$s0" -v b="$s1" '$1 != a && $1 != b' | wc -l)
h_assert_eq "$stale" 0 "RRD files not updated to the current step"
f_state_valid "$DATA/state.xml" || h_fail "state.xml after the clean run"
jc=$(f_journal_check "$DATA/journal") || h_fail "journal after the clean run"
h_log "clean run: $nfiles RRD files at step $s1; journal: $jc"
h_log "$temps_left temporary files left by $KILLS kills, $temps_swept removed at the next start"
f_summary monitor_sigkill "$injected" "$survived" 0 \
	"rrd_files=$nfiles torn_tails=$torn bad_records=$bad temps_left=$temps_left temps_removed=$temps_swept"
h_log "fault_monitor_kill: ok"
