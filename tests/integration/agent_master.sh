#!/bin/sh
# agent_master.sh — the master agent goes away and comes back:
#   snmpd killed and restarted: the agent serves again within the AgentX
#   ping interval + 2 s, and a notification raised during the outage is
#   delivered after it (queued, not lost);
#   snmpd frozen (SIGSTOP) for 10 s: probes go on meanwhile (a server
#   stopped during the freeze is down at once after it, its notification
#   follows) and uptimes keep counting.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_master

ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start

av1=$(ag_index server av1)
mx1=$(ag_index server mx1)
all_up() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus |
		grep -c '^up$')" -eq 22 ]
}
h_wait_until 10 "22 servers up" all_up
logged() { grep -qF -- "$1" "$H_TMP/agent.log"; }

# --- killed and restarted ----------------------------------------------
h_log "kill snmpd"
snmpd_gone() { ! h_alive "$H_SNMPD_PID"; }
kill -TERM "$H_SNMPD_PID"
h_wait_until 5 "snmpd's exit" snmpd_gone
h_wait_until 3 "the agent to notice" logged "AgentX master not reachable"
h_fakesvc stop av1
h_wait_until 4 "gdServerDown av1 queued" logged "gdServerDown av1 (queued"
h_restart_snmpd		# same port and socket; the old pid is reaped
h_wait_until $((AG_PING + 2)) "the agent serving again" ag__ready
h_log "ok: serving again"
ag_wait_trap 3 gdServerDown av1
ag_wait_trap 3 gdGroupFailover av-greylisting
h_assert_eq "$(h_snmpget -Oqv GREENDOT-MIB::gdNotificationsDropped.0)" 0 \
	"nothing dropped"
h_log "ok: the notification raised during the outage arrived after it"

# --- frozen for 10 s -----------------------------------------------------
up0=$(ag_value gdServerUptime "$mx1")
checks0=$(ag_value gdServerChecks "$mx1")
h_log "freeze snmpd for 10 s (mx1 uptime $up0, checks $checks0)"
h_freeze_snmpd
h_fakesvc stop mx2
# the agent's own log shows the probes going on while the master is stuck
h_wait_until 4 "gdServerDown mx2 during the freeze" logged "gdServerDown mx2"
sleep 8		# the rest of the freeze the issue asks for
h_thaw_snmpd
h_wait_until $((AG_PING + 2)) "the agent serving after the thaw" ag__ready
up1=$(ag_value gdServerUptime "$mx1")
checks1=$(ag_value gdServerChecks "$mx1")
h_log "after the thaw: mx1 uptime $up1, checks $checks1"
[ $((up1 - up0)) -ge 9 ] || h_fail "uptime went from $up0 to $up1 only"
[ $((checks1 - checks0)) -ge 8 ] ||
	h_fail "checks went from $checks0 to $checks1 only: probes stalled"
ag_wait_trap 5 gdServerDown mx2
h_log "agent_master: ok"
