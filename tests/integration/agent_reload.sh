#!/bin/sh
# agent_reload.sh — SIGHUP: a bad config is refused with its file:line
# errors and the old one keeps running; a good one is applied with rows
# that keep their index for ids that stay, new ids get new indexes; an
# admin override holds until the config's own admin value for that
# server changes.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_reload

ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start -s "$H_TMP/state"
cp "$AG_CONFIG" "$H_TMP/good.xml"
mx1=$(ag_index server mx1)
mx2=$(ag_index server mx2)
av1=$(ag_index server av1)
last=$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerName | wc -l)

logged() { grep -qF -- "$1" "$H_TMP/agent.log"; }

# a duplicate id: refused, the old config stays
sed 's/id="mx2"/id="mx1"/' "$H_TMP/good.xml" >"$AG_CONFIG"
line=$(grep -n 'id="mx1"' "$AG_CONFIG" | tail -1 | cut -d: -f1)
kill -HUP "$AG_PID"
h_wait_until 5 "the reload refused" logged "configuration refused"
grep -q "aluminati.xml:$line: " "$H_TMP/agent.log" ||
	h_fail "no file:line error for line $line in the agent's log"
h_assert_eq "$(h_snmpget -Oqv GREENDOT-MIB::gdConfigReloadFailures.0)" 1 \
	"reload failures"
h_assert_eq "$(ag_index server mx2)" "$mx2" "mx2 still served"
h_log "ok: bad config refused at line $line"

# mx2 replaced by mx3: mx1 keeps its row, mx3 gets a new index
sed 's/id="mx2"/id="mx3"/' "$H_TMP/good.xml" >"$AG_CONFIG"
kill -HUP "$AG_PID"
reloaded() {
	[ "$(h_snmpget -Oqv GREENDOT-MIB::gdConfigReloads.0)" = 1 ]
}
h_wait_until 5 "the reload" reloaded
h_assert_eq "$(ag_index server mx1)" "$mx1" "mx1 keeps its index"
h_assert_eq "$(ag_index server mx2)" "" "mx2 gone"
mx3=$(ag_index server mx3)
[ "$mx3" -gt "$last" ] || h_fail "mx3 got index $mx3, not a new one"
h_log "ok: mx1 $mx1 kept, mx3 new at $mx3"

# an override stays over a reload, until the config's admin changes
h_snmp3 snmpset "GREENDOT-MIB::gdServerAdminStatus.$av1" i 2 >/dev/null ||
	h_fail "v3 SET refused"
kill -HUP "$AG_PID"
reloads2() {
	[ "$(h_snmpget -Oqv GREENDOT-MIB::gdConfigReloads.0)" = 2 ]
}
h_wait_until 5 "the second reload" reloads2
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" maintenance "override"
sed 's/id="mx2"/id="mx3"/; s/\(id="av1"[^>]*probe="smtp"\)/\1 admin="standby"/' \
	"$H_TMP/good.xml" >"$AG_CONFIG"
kill -HUP "$AG_PID"
reloads3() {
	[ "$(h_snmpget -Oqv GREENDOT-MIB::gdConfigReloads.0)" = 3 ]
}
h_wait_until 5 "the third reload" reloads3
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" standby "config wins"
h_log "agent_reload: ok"
