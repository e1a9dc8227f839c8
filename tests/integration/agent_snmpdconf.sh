#!/bin/sh
# agent_snmpdconf.sh — examples/snmpd.conf works as shipped (addresses,
# socket and secrets put in): snmpd starts without a complaint, the agent
# registers, the read-only community sees GREENDOT-MIB and nothing else
# of the host and cannot write, the SNMPv3 user can.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init agent_snmpdconf

ag_aluminati
ag_example_snmpd
port=$H_SNMPD_PORT
# net-snmp's MIB noise aside, snmpd has nothing to say about the file
if grep -v -e 'Cannot find module' -e 'MIB search path' -e 'Did not find' \
	-e 'Unlinked OID' -e 'Undefined identifier' -e 'Cannot adopt' \
	-e 'Expected' -e 'NET-SNMP version' -e 'AgentX master support' \
	-e 'Created directory' -e 'Connection from' "$H_TMP/snmpd.log" |
	grep -q .; then
	cat "$H_TMP/snmpd.log"
	h_fail "snmpd complained about examples/snmpd.conf"
fi

ag_start_fakesvc
ag_start
av1=$(ag_index server av1)
h_assert_eq "$(ag_value gdServerName "$av1")" av1 "read through the view"
out=$(h_snmpget -On .1.3.6.1.2.1.2.1.0 2>&1)	# ifNumber: outside the view
h_assert_contains "$out" "No Such Object" "the view hides the host"
if h_snmp snmpset "GREENDOT-MIB::gdServerAdminStatus.$av1" i 2 \
	>/dev/null 2>&1; then
	h_fail "the read-only community could write"
fi
h__snmp_env snmpset -v3 -l authPriv -u greendot-ops -a SHA-256 \
	-A gdauthpass1 -x AES -X gdprivpass1 "127.0.0.1:$port" \
	"GREENDOT-MIB::gdServerAdminStatus.$av1" i 2 >"$H_TMP/set.out" 2>&1 ||
	h_fail "v3 SET: $(cat "$H_TMP/set.out")"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" maintenance "v3 SET"
h_log "agent_snmpdconf: ok"
