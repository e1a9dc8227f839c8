#!/bin/sh
# monitor_once.sh — greendot-monitor --once against snmpd + greendot-agent
# + fakesvc, RRD files written directly:
#   1. one cycle creates every RRD file of the contract, and `rrdtool
#      lastupdate` holds what the MIB showed (up, latency, members);
#   2. state.xml is valid against common/state.rng and names every object;
#   3. a server stopped between two cycles: the second cycle journals the
#      transitions (source poll) and records it down;
#   4. no agent answering (a wrong community): exit non-zero with a clear
#      message; the objects are unknown, nothing is journaled as down;
#   5. a long option net-snmp would read as a config token is refused.
set -eu
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
h_init monitor_once

m_start_world

# ---- 1. one cycle -------------------------------------------------------
h_log "greendot-monitor --once"
h_assert m_monitor --once
for id in $M_SERVERS; do h_assert [ -f "$M_DATA/rrd/server/$id.rrd" ]; done
for id in $M_GROUPS; do h_assert [ -f "$M_DATA/rrd/group/$id.rrd" ]; done
for id in $M_SERVICES; do h_assert [ -f "$M_DATA/rrd/service/$id.rrd" ]; done
h_assert_eq "$(find "$M_DATA/rrd" -name '*.rrd' | wc -l)" 7 "7 RRD files"
h_assert_eq "$(find "$M_DATA/rrd" -name '*.tmp*' | wc -l)" 0 "no temp file"

# Each server: up 1; latency = the state's latency-us / 1e6 (the MIB's
# value at the poll: it changes with every probe, so the state file is
# the witness), and the MIB says up.
for id in $M_SERVERS; do
	h_assert_eq "$(m_status 4 8 "$id")" 1 "$id oper up in the MIB"
	set -- $(m_lastupdate "$M_DATA/rrd/server/$id.rrd")
	h_assert_eq "$2" 1 "$id.rrd up"
	us=$(sed -n "s/.*<server id=\"$id\".* latency-us=\"\([0-9]*\)\".*/\1/p" \
		"$M_DATA/state.xml")
	want=$(awk -v u="$us" 'BEGIN { printf "%.6f", u / 1e6 }')
	got=$(awk -v v="$3" 'BEGIN { printf "%.6f", v }')
	h_assert_eq "$got" "$want" "$id.rrd latency = gdServerLatency/1e6"
done
for id in $M_GROUPS; do
	set -- $(m_lastupdate "$M_DATA/rrd/group/$id.rrd")
	h_assert_eq "$2" 1 "$id.rrd up"
	h_assert_eq "$3" "$(m_status 3 6 "$id")" "$id.rrd members = gdGroupMembersUp"
done
for id in $M_SERVICES; do
	set -- $(m_lastupdate "$M_DATA/rrd/service/$id.rrd")
	h_assert_eq "$2" 1 "$id.rrd up"
done

# ---- 2. the state file --------------------------------------------------
h_assert xmllint --noout --relaxng common/state.rng "$M_DATA/state.xml"
for id in $M_SERVERS $M_GROUPS $M_SERVICES; do
	h_assert grep -q "id=\"$id\"" "$M_DATA/state.xml"
done
h_assert grep -q 'reachable="true"' "$M_DATA/state.xml"
h_assert_eq "$(grep -vc '^#' "$M_DATA/journal" || true)" 0 \
	"first poll: no transition journaled"

# ---- 3. a transition between two cycles ---------------------------------
h_fakesvc stop mail1
m_mail1_down() { [ "$(m_status 4 8 mail1)" = 2 ]; }
h_wait_until 10 "mail1 down in the MIB" m_mail1_down
h_assert m_monitor --once
h_assert m_has_record poll server mail1 down
h_assert m_has_record poll group mail down
h_assert m_has_record poll service email down
h_assert_eq "$(m_journal_time poll server web1 down)" "" "web1 stayed up"
# the RRD files take one sample per step (the first cycle's, this
# minute): a fresh data folder shows the second cycle's values
M_DATA=$H_TMP/data2
h_assert m_monitor --once
set -- $(m_lastupdate "$M_DATA/rrd/server/mail1.rrd")
h_assert_eq "$2" 0 "mail1.rrd up = 0"
h_assert_eq "$3" U "mail1.rrd latency = U"
set -- $(m_lastupdate "$M_DATA/rrd/group/mail.rrd")
h_assert_eq "$2 $3" "0 0" "mail.rrd up = 0, members = 0"

# ---- 4. nobody answers ---------------------------------------------------
M_DATA=$H_TMP/data
h_log "--once with a wrong community"
rc=0
"$M_BIN/greendot-monitor" --once -v2c -c wrong -t 0.2 -r 0 --data "$M_DATA" \
	"$M_PEER" 2>"$H_TMP/once-fail.err" || rc=$?
h_assert [ "$rc" -ne 0 ]
h_assert_contains "$(cat "$H_TMP/once-fail.err")" "no agent could be polled" \
	"the message says so"
h_assert_contains "$(cat "$H_TMP/once-fail.err")" "timeout" "and why"
h_assert grep -q 'reachable="false"' "$M_DATA/state.xml"
h_assert grep -q 'status="unknown"' "$M_DATA/state.xml"
h_assert_fails grep -q 'status="down"' "$M_DATA/state.xml"
h_assert m_has_record poll agent "$M_PEER" unknown

# ---- 5. long options are ours ---------------------------------------------
rc=0
"$M_BIN/greendot-monitor" --defCommunity=x --once --data "$M_DATA" \
	"$M_PEER" 2>"$H_TMP/long.err" || rc=$?
h_assert_eq "$rc" 1 "--defCommunity=x: a usage error"
h_assert grep -q "unrecognized option '--defCommunity=x'" "$H_TMP/long.err"
h_log "monitor_once: all checks passed"
