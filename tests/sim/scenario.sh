#!/bin/sh
# tests/sim/scenario.sh — the demo's story, played on fakesvc's servers
# (examples/aluminati.xml) and the agent's heartbeat servers.
#
#   scenario.sh -F FAKESVC -C CONTROL -a PEER -u USER -A AUTH -X PRIV
#               [-s SECONDS] [-l LOG] [-p PERIOD] [-H]
#
#   -F FAKESVC  the fakesvc binary (its client form talks to CONTROL)
#   -C CONTROL  fakesvc's control socket
#   -a PEER     the snmpd the agent serves through (udp:127.0.0.1:16161)
#   -u -A -X    an SNMPv3 user with write access, SHA/AES authPriv: the
#               backup jobs' heartbeats are SETs of gdServerHeartbeat
#   -s SECONDS  how long the run lasts (none: until killed).  A run shorter
#               than one PERIOD plays the short story, squeezed to fit
#               when under 60 s
#   -l LOG      each line also appended to LOG
#   -p PERIOD   the long story's length, looped (default 180 s)
#   -H          only send the backup jobs' heartbeats once, and exit
#
# The long story, from t=0 and again every PERIOD:
#     10 s  store1 stops: Mail Storage fails over to store2
#     40 s  store1 is back
#     60 s  mail1, mail2, mail3 stop: the Mail Servers group is down, so
#           Client Access and Incoming Mail are down; an incident opens
#    120 s  the mail servers are back: the incident resolves
# The short one: 5 s store1 stops, 20 s back, 25 s the mail servers
# stop, 45 s back (times x SECONDS/60 under 60 s).
# Every 20 s both backup jobs (backup1, backup2, probe heartbeat) report a
# finished run.  av3 (maintenance) and store3 (standby) come from the
# config.  Each step is printed as it happens, with what to look at.
#
# The timeline is the point of this script: its waits are sleeps until
# the next step's time, measured from the start (no drift).
set -u

FAKESVC= CONTROL= PEER= V3USER= V3AUTH= V3PRIV= SECONDS_= LOG= PERIOD=180
ONCE=0
HB_EVERY=20
GD_SERVER=.1.3.6.1.4.1.32473.1.1.4.1	# gdServerEntry
HEARTBEAT_PROBE=8

usage() {
	sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while getopts F:C:a:u:A:X:s:l:p:H opt; do
	case $opt in
	F) FAKESVC=$OPTARG ;;
	C) CONTROL=$OPTARG ;;
	a) PEER=$OPTARG ;;
	u) V3USER=$OPTARG ;;
	A) V3AUTH=$OPTARG ;;
	X) V3PRIV=$OPTARG ;;
	s) SECONDS_=$OPTARG ;;
	l) LOG=$OPTARG ;;
	p) PERIOD=$OPTARG ;;
	H) ONCE=1 ;;
	*) usage ;;
	esac
done
[ -n "$FAKESVC" ] && [ -n "$CONTROL" ] && [ -n "$PEER" ] &&
	[ -n "$V3USER" ] && [ -n "$V3AUTH" ] && [ -n "$V3PRIV" ] || usage
case $SECONDS_$PERIOD in
*[!0-9]*) usage ;;
esac
[ "$PERIOD" -ge 130 ] || { echo "scenario: PERIOD must be 130 s or more" >&2; exit 2; }

START=$(date +%s)

# ---- output ----------------------------------------------------------------

say() {
	_t=$(( $(date +%s) - START ))
	_l=$(printf '[scenario %d:%02d] %s' $(( _t / 60 )) $(( _t % 60 )) "$*")
	printf '%s\n' "$_l"
	[ -n "$LOG" ] && printf '%s %s\n' "$(date '+%H:%M:%S')" "$_l" >>"$LOG"
	return 0
}

# ---- what it drives ----------------------------------------------------------

fakesvc() {
	_r=$(printf '%s\n' "$*" | "$FAKESVC" -x "$CONTROL" -w 5000 2>&1)
	case $_r in
	*ok) ;;
	*) say "warning: fakesvc '$*': ${_r:-no answer}" ;;
	esac
}

snmp3() {	# TOOL ARGS...
	_tool=$1
	shift
	MIBS= "$_tool" -v3 -l authPriv -u "$V3USER" -a SHA -A "$V3AUTH" \
		-x AES -X "$V3PRIV" -r1 -t2 -On "$PEER" "$@"
}

# HEARTBEATS: "INDEX NAME" of the servers whose probe is heartbeat.
find_heartbeats() {
	_probes=$(snmp3 snmpwalk -Oq "$GD_SERVER.5" 2>/dev/null) || return 1
	_names=$(snmp3 snmpwalk -Oq "$GD_SERVER.2" 2>/dev/null) || return 1
	HEARTBEATS=$( { printf '%s\n' "$_probes" | sed 's/^/P /'
			printf '%s\n' "$_names" | sed 's/^/N /'; } |
		awk -v p="$HEARTBEAT_PROBE" '
		{ n = split($2, o, "."); i = o[n]; v = $3; gsub(/"/, "", v) }
		$1 == "P" && v == p { hb[i] = 1 }
		$1 == "N" { name[i] = v; order[++k] = i }
		END { for (j = 1; j <= k; j++) if (hb[order[j]]) print order[j], name[order[j]] }')
	[ -n "$HEARTBEATS" ]
}

heartbeat() {
	if [ -z "${HEARTBEATS:-}" ] && ! find_heartbeats; then
		say "warning: no heartbeat server found through $PEER (yet)"
		return 0
	fi
	_who=
	while read -r _idx _name; do
		if _err=$(snmp3 snmpset "$GD_SERVER.16.$_idx" u 0 2>&1 >/dev/null); then
			_who="$_who $_name"
		else
			say "warning: heartbeat SET for $_name failed: $_err"
		fi
	done <<EOF
$HEARTBEATS
EOF
	[ -n "$_who" ] || return 0
	if [ "${HB_SAID:-0}" = 0 ]; then
		say "backup jobs report in:$_who (SNMP SET gdServerHeartbeat, every ${HB_EVERY} s): they stay green"
		HB_SAID=1
	fi
}

# ---- the steps ---------------------------------------------------------------

step_store_down() {
	say "store1 stops (connection refused). Watch: gdServerDown store1 and gdGroupFailover mail-storage in traps.log within seconds; store1 red, Mail Storage degraded (served by store2) on the page"
	fakesvc stop store1
}

step_store_up() {
	say "store1 is back. Watch: gdServerUp store1, gdGroupUp mail-storage; store1 green again, its uptime counting from now"
	fakesvc start store1
}

step_mail_down() {
	say "mail1, mail2 and mail3 stop: the whole Mail Servers group is down. Watch: gdGroupDown mail-servers, gdServiceDown client-access and incoming-mail; both services red on the page and an incident opened automatically under News"
	fakesvc stop mail1 mail2 mail3
}

step_mail_up() {
	say "the mail servers are back. Watch: gdServiceUp, gdGroupUp; the services green again and the incident marked resolved"
	fakesvc start mail1 mail2 mail3
}

# ---- the timeline ------------------------------------------------------------

# wait_for T: sleep until T seconds after the start.  The sleep runs
# apart so that TERM ends the wait at once.
wait_for() {
	_left=$(( START + $1 - $(date +%s) ))
	[ "$_left" -gt 0 ] || return 0
	sleep "$_left" &
	SLEEP_PID=$!
	wait "$SLEEP_PID"
	SLEEP_PID=
}

# A story is "TIME STEP" lines; the long one, for one PERIOD.
long_story() {
	echo "10 step_store_down"
	echo "40 step_store_up"
	echo "60 step_mail_down"
	echo "120 step_mail_up"
}

# The short story squeezed by SECONDS/60 below 60 s.
short_story() {
	_s=$1
	[ "$_s" -gt 60 ] && _s=60
	for _e in "5 step_store_down" "20 step_store_up" "25 step_mail_down" \
		"45 step_mail_up"; do
		echo "$(( ${_e%% *} * _s / 60 )) ${_e#* }"
	done
}

# Heartbeats every HB_EVERY s within [FROM, TO).
heartbeats() {
	_t=$1
	while [ "$_t" -lt "$2" ]; do
		echo "$_t heartbeat"
		_t=$(( _t + HB_EVERY ))
	done
}

# play OFFSET STORY: each step at OFFSET + its time, in time order; stops
# at the end of the run.  (A loop fed by a here-document runs in this
# shell, not in a subshell: the TERM trap sees its sleep.)
play() {
	_off=$1
	_steps=$(printf '%s\n' "$2" | sort -n -s -k1,1)
	while read -r _at _fn; do
		_when=$(( _off + _at ))
		[ -n "$SECONDS_" ] && [ "$_when" -ge "$SECONDS_" ] && exit 0
		wait_for "$_when"
		"$_fn"
	done <<EOF
$_steps
EOF
}

# One function, called on the last line: editing this file while it runs
# is safe.
main() {
	SLEEP_PID=
	trap '[ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null; exit 0' TERM INT HUP
	if [ "$ONCE" = 1 ]; then
		heartbeat
		exit 0
	fi
	if [ -n "$SECONDS_" ] && [ "$SECONDS_" -lt "$PERIOD" ]; then
		say "short story for a ${SECONDS_} s run: store1 fails over, then the mail servers go down and come back"
		play 0 "$(short_story "$SECONDS_"; heartbeats 0 "$SECONDS_")"
		exit 0
	fi
	say "the story loops every ${PERIOD} s: at +10 s store1 fails over, at +40 s it is back, at +60 s the mail servers go down for a minute"
	pass=0
	while [ -z "$SECONDS_" ] || [ $(( pass * PERIOD )) -lt "$SECONDS_" ]; do
		play $(( pass * PERIOD )) "$(long_story; heartbeats 0 "$PERIOD")"
		pass=$(( pass + 1 ))
	done
}

main "$@"; exit $?
