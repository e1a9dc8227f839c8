#!/bin/sh
# agent_failover.sh — notifications through a real snmpd to snmptrapd as
# fakesvc's servers stop and start (checks every 1 s, rise 1, fall 2):
#   one member down   gdServerDown + gdGroupFailover within fall x interval + 1 s
#   the whole group   gdGroupDown (the maintenance member raises nothing)
#   a needed group    gdGroupDown + gdServiceDown
#   back again        gdServerUp, gdGroupUp, gdServiceUp
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_failover

ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start

all_up() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus |
		grep -c '^up$')" -eq 22 ]
}
h_wait_until 10 "22 servers up" all_up
DEADLINE=$((AG_FALL * AG_INTERVAL + 1))

both() {	# NOTIF NAME NOTIF NAME
	ag__trap_line "$1" "$2" >/dev/null && ag__trap_line "$3" "$4" >/dev/null
}

h_log "stop av1"
h_fakesvc stop av1
h_wait_until "$DEADLINE" "gdServerDown av1 and gdGroupFailover" \
	both gdServerDown av1 gdGroupFailover av-greylisting
line=$(ag__trap_line gdGroupFailover av-greylisting)
h_assert_contains "$line" "connection refused" "failover names the cause"
h_assert_contains "$line" "degraded(2)" "the group still serves"
h_log "ok: gdServerDown and gdGroupFailover for av1"

h_log "stop av2 and av3 (maintenance)"
h_fakesvc stop av2 av3
h_wait_until "$DEADLINE" "gdServerDown av2 and gdGroupDown" \
	both gdServerDown av2 gdGroupDown av-greylisting
h_assert_eq "$(ag_trap_count gdGroupFailover av2)" 0 "no failover: group down"
# incoming-mail needs any of av-greylisting, backup-mx: still serving
h_assert_eq "$(ag_value gdServiceStatus "$(ag_index service incoming-mail)")" \
	degraded "incoming-mail on backup-mx"

h_log "stop spamfw1 and spamfw2"
h_fakesvc stop 'spamfw*'
h_wait_until "$DEADLINE" "gdGroupDown spam-firewall and gdServiceDown" \
	both gdGroupDown spam-firewall gdServiceDown incoming-mail
h_log "ok: gdGroupDown and gdServiceDown"

h_log "start them all again"
h_fakesvc start av1 av2 av3 spamfw1 spamfw2
h_wait_until 5 "gdServiceUp incoming-mail and gdGroupUp spam-firewall" \
	both gdServiceUp incoming-mail gdGroupUp spam-firewall
h_wait_until 5 "gdServerUp av1 and gdGroupUp av-greylisting" \
	both gdServerUp av1 gdGroupUp av-greylisting
h_assert_eq "$(ag_trap_count gdServerDown av3)" 0 "av3 in maintenance: silent"
h_assert_eq "$(ag_trap_count gdServerUp av3)" 0 "av3 in maintenance: silent"
g=$(ag_index group av-greylisting)
group_up() { [ "$(ag_value gdGroupStatus "$g")" = up ]; }
h_wait_until 3 "av-greylisting up" group_up
h_log "agent_failover: ok"
