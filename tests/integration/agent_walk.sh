#!/bin/sh
# agent_walk.sh — greendot-agent serves examples/aluminati.xml through a
# real snmpd: a walk shows every area, group, server and service by name,
# the servers fakesvc plays come up, the maintenance and standby servers
# are shown but not counted; -n checks a config.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_walk

ag_aluminati
h_assert_eq "$("$AG_BIN" -n -c "$AG_CONFIG")" "configuration ok" "-n"
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start

# every id of the config, by name, in its table
for kind in area group server service; do
	ids=$(grep -o "<$kind id=\"[^\"]*\"" "$AG_CONFIG" | cut -d'"' -f2)
	n=$(echo "$ids" | wc -l)
	for id in $ids; do
		[ -n "$(ag_index "$kind" "$id")" ] || h_fail "$kind $id not served"
	done
	h_log "ok: $n ${kind}s served by name"
done

# all probed servers up within a few checks (heartbeat ones wait for a job)
all_up() {
	h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus >"$H_TMP/opers"
	[ "$(grep -c '^up$' "$H_TMP/opers")" -eq 22 ]
}
h_wait_until 10 "22 servers up" all_up
h_assert_eq "$(grep -c . "$H_TMP/opers")" 24 "servers served"

g=$(ag_index group av-greylisting)
h_assert_eq "$(ag_value gdGroupStatus "$g")" up "av-greylisting status"
h_assert_eq "$(ag_value gdGroupMembersActive "$g")" 2 "av3 in maintenance"
h_assert_eq "$(ag_value gdGroupMembers "$g")" 3 "members"
s=$(ag_index server av3)
h_assert_eq "$(ag_value gdServerAdminStatus "$s")" maintenance "av3 admin"
h_assert_eq "$(ag_value gdServerOperStatus "$s")" up "av3 is probed"
h_assert_eq "$(ag_value gdServerGroup "$s")" av-greylisting "av3 group"
h_assert_eq "$(ag_value gdServerProbe "$s")" smtp "av3 probe"
s=$(ag_index server backup1)
h_assert_eq "$(ag_value gdServerHeartbeat "$s")" 4294967295 "no heartbeat"
h_assert_eq "$(ag_value gdServiceStatus "$(ag_index service web-access)")" \
	up "web-access"
h_assert_eq "$(h_snmpget -Oqv GREENDOT-MIB::gdSiteTitle.0)" \
	'Aluminati Network' "site title"
# the only notifications so far: the two backup jobs never reported in
h_assert_eq "$(ag_trap_count gdServerUp av1)" 0 "no news for unknown -> up"
h_log "agent_walk: ok"
