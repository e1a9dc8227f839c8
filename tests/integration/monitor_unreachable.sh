#!/bin/sh
# monitor_unreachable.sh — an agent that stops answering mid-run:
#   1. snmpd frozen (SIGSTOP): the cycle times out; the agent's objects
#      turn unknown in the state file (never down), one `agent` record
#      up -> unknown is journaled and one warning logged; polling goes on
#      with backoff; thawed: the record unknown -> up, the objects back,
#      "answers again" logged;
#   2. greendot-agent killed (snmpd still answers, with nothing of ours):
#      the same unknown, not an empty configuration; restarted: back.
set -eu
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
h_init monitor_unreachable

m_start_world
m_bg_monitor mon --interval 1
MON=$M_MONITOR_PID
h_wait_until -p "$MON" 10 "the first state file" test -f "$M_DATA/state.xml"

unknown_shown() {
	grep -q 'reachable="false"' "$M_DATA/state.xml" &&
		! grep -q 'status="up"' "$M_DATA/state.xml" &&
		! grep -q 'status="down"' "$M_DATA/state.xml"
}
up_shown() {
	grep -q 'reachable="true"' "$M_DATA/state.xml" &&
		[ "$(grep -c '<server.*status="up"' "$M_DATA/state.xml")" = 3 ]
}
records() {	# OLD NEW: agent records
	awk -F '\t' -v o="$1" -v n="$2" \
		'$3 == "agent" && $5 == o && $6 == n' "$M_DATA/journal" | wc -l
}

# ---- 1. snmpd frozen -------------------------------------------------------
h_freeze_snmpd
h_wait_until -p "$MON" 10 "objects unknown in the state file" unknown_shown
h_assert_eq "$(records up unknown)" 1 "one agent record up -> unknown"
h_assert xmllint --noout --relaxng common/state.rng "$M_DATA/state.xml"
# a few more failed cycles (backoff 1, 2, 4 s) log nothing more
sleep_until=$(( $(date +%s) + 3 ))
h_wait_until -p "$MON" 6 "three more seconds" \
	sh -c "[ \$(date +%s) -ge $sleep_until ]"
h_assert_eq "$(grep -c 'its objects are unknown' "$H_TMP/mon.log")" 1 \
	"logged once"
h_assert_eq "$(records up unknown)" 1 "still one record"
h_thaw_snmpd
h_wait_until -p "$MON" 15 "objects back" up_shown
h_assert_eq "$(records unknown up)" 1 "one agent record unknown -> up"
h_assert grep -q 'answers again' "$H_TMP/mon.log"
h_assert_eq "$(awk -F '\t' '$3 == "server"' "$M_DATA/journal" | wc -l)" 0 \
	"no server transition: nothing changed behind the outage"

# ---- 2. greendot-agent killed ----------------------------------------------
kill -KILL "$M_AGENT_PID"
h_wait_until -p "$MON" 10 "objects unknown without the agent" unknown_shown
h_assert grep -q 'no greendot agent behind the master' "$H_TMP/mon.log"
h_assert_eq "$(records up unknown)" 2 "a second record up -> unknown"
h_assert grep -q '<server id="web1"' "$M_DATA/state.xml"
m_start_agent
h_wait_until -p "$MON" 20 "objects back with the agent" up_shown
h_assert_eq "$(records unknown up)" 2 "a second record unknown -> up"
h_assert h_alive "$MON"
h_log "monitor_unreachable: all checks passed"
