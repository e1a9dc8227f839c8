#!/bin/sh
# monitor_v3.sh — SNMPv3 (authPriv, SHA/AES) end to end:
#   1. --once with the right user polls; with a wrong pass phrase it fails
#      with a clear message (exit non-zero); an agent that does not answer,
#      listed first, does not hold up the one that does (the engineID is
#      discovered asynchronously: net-snmp's own probe would block the
#      loop for timeout x (retries + 1) first);
#   2. as a daemon, snmpd's v3 notifications (trapsess -v 3, snmpd's own
#      engineID) are authenticated by the user the poll registered for
#      that engineID, journaled, and re-poll the agent; a v2c
#      notification is refused (no community configured);
#   3. snmpd restarted with its persistent files gone (a new engineID, as
#      after a reinstall): the monitor's requests go unanswered, it
#      discovers the new engineID and polls again, without a restart.
set -eu
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
h_init monitor_v3

MP=$(h_free_port udp)
m_start_world "trapsess -v 3 -u $H_V3USER -l authPriv -a SHA -A $H_V3AUTH -x AES -X $H_V3PRIV 127.0.0.1:$MP"
V3="-v3 -u $H_V3USER -l authPriv -a SHA -A $H_V3AUTH -x AES -X $H_V3PRIV -t 0.5 -r 1"

# ---- 1. --once -------------------------------------------------------------
# shellcheck disable=SC2086  # $V3 is a list of options
h_assert "$M_BIN/greendot-monitor" --once $V3 --data "$M_DATA" "$M_PEER"
h_assert grep -q 'reachable="true"' "$M_DATA/state.xml"
h_assert_eq "$(find "$M_DATA/rrd" -name '*.rrd' | wc -l)" 7 "7 RRD files"
rc=0
"$M_BIN/greendot-monitor" --once -v3 -u "$H_V3USER" -l authPriv -a SHA \
	-A wrongpass1 -x AES -X "$H_V3PRIV" -t 0.5 -r 0 \
	--data "$H_TMP/data-bad" "$M_PEER" 2>"$H_TMP/bad.err" || rc=$?
h_assert [ "$rc" -ne 0 ]
h_assert grep -q 'no agent could be polled' "$H_TMP/bad.err"
# a silent peer (a free UDP port: nothing answers) first, then snmpd:
# snmpd's cycle is done and logged before the silent one's timeout
# (2 x 1 s)
DEAD_PORT=$(h_free_port udp)
"$M_BIN/greendot-monitor" --once -v3 -u "$H_V3USER" -l authPriv -a SHA \
	-A "$H_V3AUTH" -x AES -X "$H_V3PRIV" -t 1 -r 1 \
	--data "$H_TMP/data-two" "udp:127.0.0.1:$DEAD_PORT" "$M_PEER" \
	2>"$H_TMP/two.err" || :
h_log "two agents, one silent: $(cat "$H_TMP/two.err")"
done_at=$(grep -n "$M_PEER: cycle done" "$H_TMP/two.err" | head -n 1 | cut -d: -f1)
dead_at=$(grep -n "udp:127.0.0.1:$DEAD_PORT: no answer" "$H_TMP/two.err" | head -n 1 | cut -d: -f1)
h_assert [ -n "$done_at" ] && h_assert [ -n "$dead_at" ]
h_assert [ "$done_at" -lt "$dead_at" ]
h_assert grep -q 'reachable="true"' "$H_TMP/data-two/state.xml"

# ---- 2. v3 notifications ---------------------------------------------------
# shellcheck disable=SC2086
h_bg mon "$M_BIN/greendot-monitor" -f -Lf "$H_TMP/mon.log" --interval 30 \
	--trap-listen "udp:127.0.0.1:$MP" $V3 --data "$M_DATA" "$M_PEER"
MON=$H_BG_PID
h_wait_until -p "$MON" 10 "the first cycle" grep -q 'polling 1 agent' \
	"$H_TMP/mon.log"
# the poll discovers snmpd's engineID (and registers the user for it)
sleep_until=$(( $(date +%s) + 1 ))
h_wait_until -p "$MON" 5 "a second" sh -c "[ \$(date +%s) -ge $sleep_until ]"
h_fakesvc stop web1
h_wait_until -p "$MON" 10 "the v3 gdServerDown in the journal" \
	m_has_record notification notification web1 gdServerDown
h_wait_until -p "$MON" 10 "the re-poll's transition" \
	m_has_record poll server web1 down
t_n=$(m_journal_time notification notification web1 gdServerDown)
t_p=$(m_journal_time poll server web1 down)
h_log "notification at $t_n, re-poll transition at $t_p"
h_assert awk -v n="$t_n" -v p="$t_p" 'BEGIN { exit !(p >= n && p - n < 1.0) }'
snmptrap -v2c -c "$H_COMMUNITY" "127.0.0.1:$MP" '' \
	.1.3.6.1.4.1.32473.1.0.1
h_wait_until -p "$MON" 5 "the v2c notification refused" \
	grep -q 'refused: wrong community' "$H_TMP/mon.log"
h_stop "$MON"

# ---- 3. a new engineID -----------------------------------------------------
engine_id() {
	h__snmp_env snmpget -v2c -c "$H_COMMUNITY" -r1 -t1 -Oqv \
		"127.0.0.1:$H_SNMPD_PORT" .1.3.6.1.6.3.10.2.1.1.0 2>/dev/null | tr -d " \n\""
}
# shellcheck disable=SC2086
h_bg mon3 "$M_BIN/greendot-monitor" -f -Lf "$H_TMP/mon3.log" --interval 1 \
	$V3 --data "$H_TMP/data3" "$M_PEER"
MON=$H_BG_PID
h_wait_until -p "$MON" 10 "the first poll" \
	grep -q 'reachable="true"' "$H_TMP/data3/state.xml"
old_id=$(engine_id)
h_stop_snmpd
rm -rf "$H_TMP/snmpd-persist"
mkdir "$H_TMP/snmpd-persist"
H__SNMPD_RESTART=1 h_start_snmpd
new_id=$(engine_id)
h_log "snmpd's engineID: $old_id, then $new_id"
h_assert [ -n "$new_id" ] && h_assert [ "$old_id" != "$new_id" ]
h_wait_until -p "$MON" 10 "the monitor unable to poll" \
	grep -q 'its objects are unknown' "$H_TMP/mon3.log"
h_wait_until -p "$MON" 20 "the monitor polling the new engineID" \
	grep -q 'answers again' "$H_TMP/mon3.log"
h_log "$(grep -e 'unknown' -e 'again' "$H_TMP/mon3.log" | head -n 4)"
h_log "monitor_v3: all checks passed"
