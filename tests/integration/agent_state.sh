#!/bin/sh
# agent_state.sh — the agent restarted with -s: uptimes continue instead
# of starting over, rows keep their indexes, and states that did not
# change raise no notification (no storm at start).
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_state

ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start -s "$H_TMP/state"

web1=$(ag_index server web1)
g=$(ag_index group web)
uptime_at_least() { [ "$(ag_value gdServerUptime "$web1")" -ge "$1" ]; }
h_wait_until 10 "web1 up for 3 s" uptime_at_least 3
h_fakesvc stop db1 db2		# a down group, to be remembered as down
h_wait_until 5 "gdGroupDown database" ag__trap_line gdGroupDown database

ag_stop
h_assert_contains "$(cat "$H_TMP/state")" "server web1 $web1 up " \
	"web1 in the state file"
before=$(grep -c . "$H_TRAP_LOG")
up0=$(grep "^server web1 " "$H_TMP/state" | cut -d' ' -f5)
checks0=$(grep "^server web1 " "$H_TMP/state" | cut -d' ' -f7)
h_log "stopped: web1 up since $up0; $before trap log lines"

ag_start -s "$H_TMP/state"
h_assert_eq "$(ag_index server web1)" "$web1" "web1's index"
h_assert_eq "$(ag_index group web)" "$g" "web's index"
up=$(ag_value gdServerUptime "$web1")
want=$(( $(date +%s) - up0 ))
[ "$up" -ge $((want - 1)) ] ||
	h_fail "web1 uptime $up after the restart, want about $want"
h_log "ok: web1 uptime $up continues"

# a few checks later: every server judged again, nothing new to say
checks_at_least() { [ "$(ag_value gdServerChecks "$web1")" -ge "$1" ]; }
h_wait_until 6 "3 more checks of web1" checks_at_least $((checks0 + 3))
h_assert_eq "$(ag_value gdGroupStatus "$(ag_index group database)")" down \
	"database still down"
h_assert_eq "$(grep -c . "$H_TRAP_LOG")" "$before" "no notification storm"
h_log "agent_state: ok"
