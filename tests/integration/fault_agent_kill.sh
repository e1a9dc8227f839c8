#!/bin/sh
# fault_agent_kill.sh — greendot-agent killed with SIGKILL (no chance to
# save anything at exit) and restarted with its state file, 6 times:
#   - every table index is the same after the restart;
#   - uptimes continue (gdServerUptime after >= before + the time away);
#   - no notification storm: the only notifications after a restart are
#     those of a real change made while the agent was dead (db1 stopped
#     or started again), each once.
# agent_state.sh covers one restart after SIGTERM.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
. "$TOP/tests/lib/fault.sh"
h_init fault_agent_kill

KILLS=6
STATE=$H_TMP/agent.state
ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start -s "$STATE"
count_oper() {	# WORD N: N servers WORD in the MIB
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus |
		grep -c "^$1\$")" -eq "$2" ]
}
# 22 up, and the two heartbeat servers down (no job reports to them)
h_wait_until 10 "22 servers up" count_oper up 22
h_wait_until 10 "the heartbeat servers down" count_oper down 2
web1=$(ag_index server web1)

indexes() {	# every table's name -> index, sorted
	for t in 2 3 4 5; do
		h_snmpwalk -On "$AG_MIB.1.$t.1.2" |
			sed -n "s/^$AG_MIB\.1\.$t\.1\.2\.\([0-9]*\) = STRING: \"*\([^\"]*\)\"*\$/$t \2 \1/p"
	done | sort
}
indexes >"$H_TMP/indexes.0"
h_assert [ "$(wc -l <"$H_TMP/indexes.0")" -gt 30 ]
notifs() { grep -c "OID: $AG_MIB\.0\." "$H_TMP/snmptrapd.log" || true; }
# the state file has caught up with the last change (saved once a second)
saved() { grep -q "^server db1 [0-9]* $1 " "$STATE"; }
agent_gone() { ! h_alive "$AG_PID"; }
checks_past() { [ "$(ag_value gdServerChecks "$web1")" -ge "$1" ]; }

injected=0 survived=0 expected_total=0 storm=0
i=0
while [ $i -lt $KILLS ]; do
	i=$((i + 1))
	if [ $((i % 2)) -eq 1 ]; then now=down was=up; else now=up was=down; fi
	h_wait_until 5 "db1 $was in the state file" saved $was
	u0=$(ag_value gdServerUptime "$web1")
	t0=$(f_now)
	n0=$(notifs)
	cp "$H_TMP/snmptrapd.log" "$H_TMP/traps.before"
	kill -KILL "$AG_PID"
	h_wait_until 5 "the agent's death" agent_gone
	injected=$((injected + 1))
	# a real change while the agent is dead
	if [ $now = down ]; then h_fakesvc stop db1; else h_fakesvc start db1; fi
	ag_start -s "$STATE"
	indexes >"$H_TMP/indexes.$i"
	cmp -s "$H_TMP/indexes.0" "$H_TMP/indexes.$i" ||
		h_fail "kill $i: indexes changed: $(diff "$H_TMP/indexes.0" "$H_TMP/indexes.$i" | head -n 4)"
	u1=$(ag_value gdServerUptime "$web1")
	el=$(( $(f_now) - t0 ))
	[ "$u1" -ge $((u0 + el - 1)) ] ||
		h_fail "kill $i: web1 uptime $u0 before, $u1 after $el s"
	# three probe rounds later every server has been judged again
	c=$(ag_value gdServerChecks "$web1")
	h_wait_until 10 "3 more checks of web1" checks_past $((c + 3))
	if [ $now = down ]; then
		ag_wait_trap 5 gdServerDown db1
		want="gdServerDown db1"
	else
		ag_wait_trap 5 gdServerUp db1
		want="gdServerUp db1"
	fi
	new=$(( $(notifs) - n0 ))
	# what is new in the trap log, without db1 and its group: nothing
	diff "$H_TMP/traps.before" "$H_TMP/snmptrapd.log" | sed -n 's/^> //p' |
		grep "OID: $AG_MIB\.0\." >"$H_TMP/new.$i" || :
	others=$(grep -v -e 'db1' -e 'database' "$H_TMP/new.$i" | wc -l)
	[ "$others" -eq 0 ] || { storm=$((storm + others)); h_fail "kill $i: $others notifications about objects that did not change"; }
	db1n=$(grep -E "OID: $AG_MIB\.0\.[12]$AG_TAB" "$H_TMP/new.$i" |
		grep -c "STRING: \"*db1\"*$AG_TAB" || true)
	[ "$db1n" -eq 1 ] || h_fail "kill $i: $db1n notifications for db1, want 1"
	expected_total=$((expected_total + new))
	survived=$((survived + 1))
	h_log "kill $i: indexes same, web1 uptime $u0 -> $u1 in $el s, $new notification(s): $want and its group's"
done
f_summary agent_sigkill "$injected" "$survived" 0 \
	"notifications_after_restarts=$expected_total spurious=$storm indexes_changed=0"
h_log "fault_agent_kill: ok"
