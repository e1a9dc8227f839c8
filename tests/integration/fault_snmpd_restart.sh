#!/bin/sh
# fault_snmpd_restart.sh — the master snmpd killed and restarted 10 times
# (SIGKILL and SIGTERM in turn) while greendot-agent probes and
# greendot-monitor polls, then frozen (SIGSTOP) 3 times for 3 s:
#   - after each restart the agent serves again within the AgentX ping
#     interval + 2 s;
#   - probes go on through every outage: gdServerChecks of a server that
#     did not change grows by about the outage's length, its uptime is
#     continuous;
#   - a server changes state during each outage: its notifications,
#     queued, all arrive after the reconnect (none dropped);
#   - the monitor shows the agent's objects unknown during the outages,
#     never down, journals no server transition but the real ones, and
#     shows every object again after.
# agent_master.sh covers one restart and one 10 s freeze in detail.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
. "$TOP/tests/lib/fault.sh"
h_init fault_snmpd_restart

RESTARTS=10 FREEZES=3
ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start
mx1=$(ag_index server mx1)
all_up() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus |
		grep -c '^up$')" -eq 22 ]
}
# and the two heartbeat servers (no job reports to them) down: a state
# that holds, so that the monitor has nothing else to journal
two_down() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus |
		grep -c '^down$')" -eq 2 ]
}
h_wait_until 10 "22 servers up" all_up
h_wait_until 10 "the heartbeat servers down" two_down

DATA=$H_TMP/data
h_bg mon "$H_BUILD/bin/greendot-monitor" -f -Lf "$H_TMP/mon.log" \
	--interval 1 -v2c -c "$H_COMMUNITY" -t 0.5 -r 0 --data "$DATA" \
	"udp:127.0.0.1:$H_SNMPD_PORT"
MON=$H_BG_PID
shown_up() {
	grep -q 'reachable="true"' "$DATA/state.xml" 2>/dev/null &&
		[ "$(grep -c '<server .*status="up"' "$DATA/state.xml")" -ge 21 ]
}
h_wait_until -p "$MON" 10 "the monitor showing the servers" shown_up
down_shown=0
# the servers down before the outages, and av1 (stopped on purpose)
grep -o '<server id="[^"]*"[^>]*status="down"' "$DATA/state.xml" |
	sed 's/<server id="\([^"]*\)".*/\1/' >"$H_TMP/down.before"
echo av1 >>"$H_TMP/down.before"
watch_down() {	# while snmpd is away: nothing else down in state.xml
	if grep -o '<server id="[^"]*"[^>]*status="down"' "$DATA/state.xml" |
	   sed 's/<server id="\([^"]*\)".*/\1/' |
	   grep -qvxF -f "$H_TMP/down.before"; then
		down_shown=$((down_shown + 1))
	fi
}

logged() { [ "$(grep -c -- "$1" "$H_TMP/agent.log")" -gt "$2" ]; }
snmpd_gone() { ! h_alive "$H_SNMPD_PID"; }
ready_in() {	# CS: the time the agent took to serve again, in 1/100 s
	h__now
	_ri_t0=$H__NOW
	h_wait_until $((AG_PING + 2)) "the agent serving again" ag__ready
	h__now
	CS=$(( H__NOW - _ri_t0 ))
}

injected=0 survived=0 worst=0 flips=0
i=0
while [ $i -lt $RESTARTS ]; do
	i=$((i + 1))
	c0=$(ag_value gdServerChecks "$mx1")
	u0=$(ag_value gdServerUptime "$mx1")
	t0=$(f_now)
	q0=$(grep -c 'queued: master not reachable' "$H_TMP/agent.log")
	if [ $((i % 2)) -eq 1 ]; then sig=KILL; else sig=TERM; fi
	kill -s $sig "$H_SNMPD_PID"
	h_wait_until 5 "snmpd's exit" snmpd_gone
	injected=$((injected + 1))
	# a change while the master is away: queued
	if [ $((i % 2)) -eq 1 ]; then h_fakesvc stop av1; else h_fakesvc start av1; fi
	flips=$((flips + 1))
	h_wait_until 5 "a notification queued" logged 'queued: master not reachable' "$q0"
	watch_down
	h_restart_snmpd
	ready_in
	cs=$CS
	[ "$cs" -gt "$worst" ] && worst=$cs
	c1=$(ag_value gdServerChecks "$mx1")
	u1=$(ag_value gdServerUptime "$mx1")
	el=$(( $(f_now) - t0 ))
	[ $((c1 - c0)) -ge $((el - 2)) ] ||
		h_fail "restart $i: mx1 checked $((c1 - c0)) times in $el s"
	[ "$u1" -ge $((u0 + el - 2)) ] ||
		h_fail "restart $i: mx1 uptime went from $u0 to $u1 in $el s"
	survived=$((survived + 1))
	h_log "restart $i (SIG$sig): serving again after $((cs / 100)).$(printf '%02d' $((cs % 100))) s; mx1 checks +$((c1 - c0)), uptime $u0 -> $u1 in $el s"
done

# every flip's notifications, queued during an outage, arrived after it
h_wait_until 10 "$((flips / 2)) gdServerDown av1" \
	f_eq $((flips / 2)) ag_trap_count gdServerDown av1
h_wait_until 10 "$((flips / 2)) gdServerUp av1" \
	f_eq $((flips / 2)) ag_trap_count gdServerUp av1
h_assert_eq "$(h_snmpget -Oqv GREENDOT-MIB::gdNotificationsDropped.0)" 0 \
	"notifications dropped"
queued=$(grep -c 'queued: master not reachable' "$H_TMP/agent.log")
sent_after=$(sed -n 's/.*sending \([0-9]*\) queued notifications.*/\1/p' \
	"$H_TMP/agent.log" | awk '{ s += $1 } END { print s + 0 }')
h_log "notifications: $queued queued during the outages, $sent_after sent after them"
h_assert_eq "$sent_after" "$queued" "queued notifications sent"

# ---- frozen -----------------------------------------------------------------
f=0
while [ $f -lt $FREEZES ]; do
	f=$((f + 1))
	c0=$(ag_value gdServerChecks "$mx1")
	h_freeze_snmpd
	injected=$((injected + 1))
	f_after 3
	watch_down
	h_thaw_snmpd
	ready_in
	cs=$CS
	c1=$(ag_value gdServerChecks "$mx1")
	[ $((c1 - c0)) -ge 2 ] || h_fail "freeze $f: probes stalled ($c0 -> $c1)"
	survived=$((survived + 1))
	h_log "freeze $f: serving again after $((cs / 100)).$(printf '%02d' $((cs % 100))) s, mx1 checks +$((c1 - c0))"
done

# ---- what the monitor made of it ----------------------------------------------
h_wait_until -p "$MON" 15 "the monitor showing the servers again" shown_up
h_assert_eq "$down_shown" 0 "objects shown down while snmpd was away"
f_state_valid "$DATA/state.xml" || h_fail "state.xml not valid"
other=$(awk -F '\t' '$2 == "poll" && $3 == "server" && $4 != "av1"' \
	"$DATA/journal" | wc -l)
h_assert_eq "$other" 0 "server transitions journaled but av1's"
unk=$(awk -F '\t' '$3 == "agent" && $6 == "unknown"' "$DATA/journal" | wc -l)
back=$(awk -F '\t' '$3 == "agent" && $6 == "up"' "$DATA/journal" | wc -l)
h_assert_eq "$back" "$unk" "every agent outage journaled has its recovery"
h_log "monitor: $unk outages seen and journaled, each recovered"
h_assert h_alive "$MON"
h_assert h_alive "$AG_PID"
f_summary snmpd_restart "$RESTARTS" "$RESTARTS" 0 \
	"worst_reconnect_s=$((worst / 100)).$(printf '%02d' $((worst % 100))) notifications_queued=$queued notifications_lost=0"
f_summary snmpd_sigstop "$FREEZES" "$FREEZES" 0 "freeze_s=3"
h_log "fault_snmpd_restart: ok"
