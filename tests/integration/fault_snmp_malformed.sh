#!/bin/sh
# fault_snmp_malformed.sh — bad SNMP input to greendot-monitor.
#
#   1. Answers: the monitor polls tests/fault/fakeagent, which answers
#      right or, one mode after another, wrong (wrong types, enumerations
#      out of range, huge strings, bad and non-increasing indexes, early
#      endOfMibView, noSuchObject, error statuses, tooBig, no varbinds,
#      missing or doubled varbinds, garbage, truncated BER, wrong
#      request-ids, silence).  Each mode for two cycles: the monitor lives,
#      state.xml stays valid, nothing is claimed down, what could not be
#      read is unknown (or the cycle fails: the agent unknown); then right
#      answers again: every object back up.
#   2. Notifications to --trap-listen: wrong communities (traps and an
#      INFORM), v1 traps (ours, and coldStart), unknown trap OIDs, ours
#      without the object's name, with a name of the wrong type, a
#      60,000-byte name, 200 junk datagrams (random bytes, truncated BER,
#      absurd lengths, a bad version), an SNMPv3 one from an unknown
#      user: each counted in its class and logged rate-limited; a valid
#      one after them is journaled.  The counts at exit match what was
#      sent.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/fault.sh"
h_init fault_snmp_malformed

FA=$F_TOOLS/fakeagent
MODE=$H_TMP/mode
DATA=$H_TMP/data
echo good >"$MODE"
[ -x "$FA" ] || h_fail "$FA missing (make fault-tools)"

AP=$(h_free_port udp)
h_bg fakeagent "$FA" -l "udp:127.0.0.1:$AP" -m "$MODE" -n 5
FAPID=$H_BG_PID
h_wait_until -p "$FAPID" 5 "fakeagent listening" \
	grep -q '^listening' "$H_TMP/fakeagent.log"
MP=$(h_free_port udp)
h_bg mon "$H_BUILD/bin/greendot-monitor" -f -Lf "$H_TMP/mon.log" \
	--interval 1 --trap-listen "udp:127.0.0.1:$MP" -v2c -c "$H_COMMUNITY" \
	-t 0.3 -r 0 --data "$DATA" "udp:127.0.0.1:$AP"
MON=$H_BG_PID

servers_up() {
	grep -q 'reachable="true"' "$DATA/state.xml" 2>/dev/null &&
		[ "$(grep -c '<server .*status="up"' "$DATA/state.xml")" -eq 5 ]
}
h_wait_until -p "$MON" 10 "5 servers up" servers_up

# ---- 1. answers -----------------------------------------------------------
cycles() {	# MODE: cycles begun in that mode (the scalars' GET)
	grep -c "^answer $1 get\$" "$H_TMP/fakeagent.log" || true
}
two_cycles() { [ "$(cycles "$1")" -ge $(( $2 + 2 )) ]; }
# what state.xml must show after two cycles of a mode
expect() {
	case $1 in
	nosuch | errstat | toobig | empty | garbage | truncated | wrongid | \
	silent | badindex | repeat | noname) echo failed ;;
	wrongtype | range) echo unknown ;;
	huge) echo up ;;
	*) echo any ;;		# earlyend, missing, dup: what arrived
	esac
}
shows() {	# failed|unknown|up|any
	f_state_valid "$DATA/state.xml" || return 1
	grep -q 'status="down"' "$DATA/state.xml" && return 1
	case $1 in
	failed) grep -q 'reachable="false"' "$DATA/state.xml" &&
		! grep -q 'status="up"' "$DATA/state.xml" ;;
	unknown) grep -q 'reachable="true"' "$DATA/state.xml" &&
		! grep -q 'status="up"' "$DATA/state.xml" ;;
	up) servers_up ;;
	*) grep -q 'reachable="true"' "$DATA/state.xml" ;;
	esac
}

MODES="wrongtype noname range huge badindex repeat earlyend nosuch errstat
toobig empty missing dup garbage truncated wrongid silent"
answers=0 recovered=0
for m in $MODES; do
	n=$(cycles "$m")
	echo "$m" >"$MODE"
	h_wait_until -p "$MON" 15 "two cycles answered '$m'" two_cycles "$m" "$n"
	want=$(expect "$m")
	# the second cycle's outcome is written once it ends
	h_wait_until -p "$MON" 5 "state.xml after '$m' ($want)" shows "$want"
	answers=$((answers + $(cycles "$m") - n))
	echo good >"$MODE"
	h_wait_until -p "$MON" 15 "every server up again after '$m'" servers_up
	recovered=$((recovered + 1))
	h_log "ok: $m ($want), then back up"
done
h_assert h_alive "$MON"
nmodes=$(echo $MODES | wc -w)
h_assert_eq "$recovered" "$nmodes" "modes survived"
# rate-limited: at most one line per kind of problem in the whole run
h_assert [ "$(grep -c 'wrong types' "$H_TMP/mon.log")" -le 2 ]
h_log "bad answers: $nmodes kinds, $answers answered cycles, all survived"
f_summary snmp_bad_answers "$answers" "$answers" 0 "kinds=$nmodes recovered=$recovered"

# ---- 2. notifications -----------------------------------------------------
GD=.1.3.6.1.4.1.32473.1
NAME=$GD.1.4.1.2.1
trap2() {	# COMMUNITY OID VARBIND...
	_c=$1
	shift
	snmptrap -v2c -c "$_c" "127.0.0.1:$MP" '' "$@"
}
sent=0
for k in 1 2 3 4 5; do trap2 wrong $GD.0.1 $NAME s s1; done
snmpinform -v2c -c wrong -t 0.3 -r 0 "127.0.0.1:$MP" '' $GD.0.1 $NAME s s1 \
	>/dev/null 2>&1 || :
refused=6
# v1: ours (RFC 3584: enterprise greendotMIB, specific 1), and coldStart
snmptrap -v1 -c "$H_COMMUNITY" "127.0.0.1:$MP" $GD 127.0.0.1 6 1 '' $NAME s v1srv
snmptrap -v1 -c "$H_COMMUNITY" "127.0.0.1:$MP" $GD 127.0.0.1 0 0 ''
trap2 "$H_COMMUNITY" .1.3.6.1.4.1.99999.0.1
unknown=2
trap2 "$H_COMMUNITY" $GD.0.1				# no name
trap2 "$H_COMMUNITY" $GD.0.1 $NAME i 5			# a name of the wrong type
trap2 "$H_COMMUNITY" $GD.0.1 $NAME s "$(printf '%060000d' 7)"	# huge
trap2 "$H_COMMUNITY" $GD.0.3 $GD.1.3.1.5.1 i 99		# a group's, no name
malformed=4
# The kernel drops datagrams a slow receiver (ASan, valgrind) has no room
# for, before the monitor sees them: counted per socket in /proc/net/udp.
udp_drops() {	# PORT: drops of the sockets bound to it
	awk -v p="$(printf ':%04X' "$1")" \
		'NR > 1 && substr($2, length($2) - 4) == p { d += $NF } END { print d + 0 }' \
		/proc/net/udp
}
kdrops0=$(udp_drops "$MP")
h_assert "$FA" -J "127.0.0.1:$MP" -N 200 -s 42 >/dev/null
# an SNMPv3 one from a user nobody created: USM drops it (when snmptrap
# manages to send it: it is not counted on)
snmptrap -v3 -l noAuthNoPriv -u nobody "127.0.0.1:$MP" '' $GD.0.1 >/dev/null 2>&1 || :
dropped=200
trap2 "$H_COMMUNITY" $GD.0.2 $NAME s after-junk
accepted=2
sent=$((refused + unknown + malformed + dropped + accepted))
journaled() {
	awk -F '\t' -v id="$1" '$2 == "notification" && $4 == id' \
		"$DATA/journal" | grep -q .
}
h_wait_until -p "$MON" 5 "the valid notification after the junk journaled" \
	journaled after-junk
h_assert journaled v1srv
h_assert_eq "$(awk -F '\t' '$2 == "notification"' "$DATA/journal" | wc -l)" 2 \
	"notifications journaled"
h_assert h_alive "$MON"
kdrops=$(( $(udp_drops "$MP") - kdrops0 ))	# before the socket goes
kill -TERM "$MON"
rc=0
wait "$MON" || rc=$?
h_assert_eq "$rc" 0 "the monitor's exit status"
stats=$(sed -n 's/.*notifications: //p' "$H_TMP/mon.log")
h_log "at exit: $stats"
v3=0
case $stats in *"dropped $((dropped + 1))") v3=1 ;; esac
dropped=$((dropped + v3)) sent=$((sent + v3))
# the junk burst is what overflows a slow receiver's buffer; the valid
# notification after it was journaled (checked above)
[ "$kdrops" -gt 0 ] && h_log "the kernel dropped $kdrops junk datagrams (receiver too slow)"
dropped=$((dropped - kdrops)) sent=$((sent - kdrops))
h_assert_eq "$stats" "received $sent, accepted $accepted, refused $refused, unknown $unknown, malformed $malformed, dropped $dropped" \
	"the listener's counts"
lines=$(grep -c 'notification from' "$H_TMP/mon.log")
h_log "$lines log lines for $((sent - accepted)) bad notifications"
[ "$lines" -le 12 ] || h_fail "$lines lines: not rate-limited"
f_summary snmp_bad_notifications $((sent - accepted)) $((sent - accepted)) 0 \
	"refused=$refused unknown=$unknown malformed=$malformed junk=$dropped valid_after=1"
h_log "fault_snmp_malformed: ok"
