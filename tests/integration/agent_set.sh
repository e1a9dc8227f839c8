#!/bin/sh
# agent_set.sh — writes through snmpd: refused through the read-only
# community, accepted from the SNMPv3 authPriv user; wrongValue and
# inconsistentValue as the MIB says; an admin override survives a restart
# through the state file; a heartbeat SET brings a heartbeat server up.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_set

ag_aluminati
h_start_snmptrapd
h_start_snmpd
ag_start_fakesvc
ag_start -s "$H_TMP/state"

av1=$(ag_index server av1)
g=$(ag_index group av-greylisting)
b1=$(ag_index server backup1)
ADMIN=GREENDOT-MIB::gdServerAdminStatus.$av1

if h_snmp snmpset "$ADMIN" i 2 >"$H_TMP/set.out" 2>&1; then
	h_fail "a SET through the read-only community was accepted"
fi
h_log "ro community: $(tr '\n' ' ' <"$H_TMP/set.out")"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" active "unchanged"

h_snmp3 snmpset "$ADMIN" i 2 >"$H_TMP/set.out" 2>&1 ||
	h_fail "v3 SET refused: $(cat "$H_TMP/set.out")"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" maintenance "v3 SET"
h_assert_eq "$(ag_value gdGroupMembersActive "$g")" 1 "av1 no longer counts"

expect_error() {	# WANT OBJECT TYPE VALUE
	_want=$1
	shift
	if h_snmp3 snmpset "$@" >"$H_TMP/set.out" 2>&1; then
		h_fail "SET $* accepted"
	fi
	grep -q "$_want" "$H_TMP/set.out" ||
		h_fail "SET $*: want $_want, got: $(cat "$H_TMP/set.out")"
	h_log "ok: SET $* -> $_want"
}
expect_error wrongValue "$ADMIN" i 9
expect_error wrongValue "GREENDOT-MIB::gdServerHeartbeat.$b1" u 300
expect_error inconsistentValue "GREENDOT-MIB::gdServerHeartbeat.$av1" u 0
expect_error notWritable "GREENDOT-MIB::gdServerPort.$av1" u 1

# the nightly job reports: success, then a failure with its exit status
h_snmp3 snmpset "GREENDOT-MIB::gdServerHeartbeat.$b1" u 0 >/dev/null ||
	h_fail "heartbeat SET refused"
h_assert_eq "$(ag_value gdServerOperStatus "$b1")" up "heartbeat 0: up"
age=$(ag_value gdServerHeartbeat "$b1")
[ "$age" -le 2 ] || h_fail "heartbeat age $age"
h_snmp3 snmpset "GREENDOT-MIB::gdServerHeartbeat.$b1" u 3 >/dev/null ||
	h_fail "heartbeat SET refused"
h_assert_eq "$(ag_value gdServerOperStatus "$b1")" down "heartbeat 3: down"
h_assert_contains "$(ag_value gdServerLastError "$b1")" "exit status 3" \
	"last error"
ag_wait_trap 3 gdServerDown backup1

# the override is in the state file and survives a restart
has_override() {
	grep -q "^server av1 $av1 .* 1 maintenance active " "$H_TMP/state"
}
h_wait_until 3 "the override in the state file" has_override
ag_stop
ag_start -s "$H_TMP/state"
h_assert_eq "$(ag_index server av1)" "$av1" "index after restart"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" maintenance \
	"override after restart"
h_log "agent_set: ok"
