#!/bin/sh
# scripts/demo.sh — the whole of greendot on loopback, under build/demo/
# (`make demo` builds first and runs this).
#
#   DEMO_SECONDS=N   stop after N seconds (default: run until Ctrl-C)
#   DEMO_HISTORY=0   no simulated week of history (default 1)
#   DEMO_HTTP_PORT   the web server's port (default 8080)
#   BUILD            the build folder (default build)
#
# What runs, every process started here, recorded and stopped by pid:
#   snmptrapd        the notifications, as an operator sees them: traps.log
#   snmpd            a private master on udp:127.0.0.1:16161, AgentX on
#                    build/demo/agentx.sock, trap2sink to snmptrapd and to
#                    the monitor
#   fakesvc          plays the 22 servers of examples/aluminati.xml
#   greendot-agent   probes them every 2 s (rise 1, fall 2): a copy of
#                    the example config with short checks, aluminati.xml
#   greendot-monitor polls every 10 s, re-polls on a notification,
#                    renders the site into build/demo/www
#   busybox httpd    serves it on http://127.0.0.1:8080/
#   scenario         tests/sim/scenario.sh: the story (store1 fails over,
#                    the mail servers go down and come back, heartbeats)
# Before the monitor starts, tests/sim/backfill writes a week of simulated
# history into its RRD files (data/SIMULATED says until when).  Busy ports
# are replaced by free ones, and said so.
#
# Ctrl-C, SIGTERM or the end of DEMO_SECONDS stops everything: TERM, KILL
# after 5 s, then a sweep for any process that carries this run's mark in
# its environment.  The page stays in build/demo/www.  Reuses the process
# handling of tests/lib/harness.sh with its folder set to build/demo.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$TOP/$BUILD ;;
esac
DEMO=$BUILD/demo
DEMO_SECONDS=${DEMO_SECONDS:-}
DEMO_HISTORY=${DEMO_HISTORY:-1}
DEMO_HTTP_PORT=${DEMO_HTTP_PORT:-8080}
BIN=$BUILD/bin
BACKFILL=$BUILD/tests/sim/backfill
EXAMPLE=$TOP/examples/aluminati.xml
CHECKS='interval="2" timeout="1" rise="1" fall="2"'
HB_MAX_AGE=60			# heartbeats come every 20 s
MON_INTERVAL=10
COMMUNITY=public
V3USER=gddemo V3AUTH=gddemo-auth-pass V3PRIV=gddemo-priv-pass
MIBDIRS_=$BUILD/mibs:$TOP/mib:/usr/share/snmp/mibs
MIBS_=SNMPv2-MIB:GREENDOT-MIB

case $DEMO_SECONDS in
'' | *[!0-9]*) [ -z "$DEMO_SECONDS" ] ||
	{ echo "demo: DEMO_SECONDS must be a number of seconds" >&2; exit 2; } ;;
esac

# ---- messages ------------------------------------------------------------------

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }
rel() { case $1 in "$TOP"/*) echo "${1#"$TOP"/}" ;; *) echo "$1" ;; esac; }

# ---- before anything starts --------------------------------------------------

check_tools() {
	for _b in greendot-agent greendot-monitor greendot-render fakesvc; do
		[ -x "$BIN/$_b" ] || die "$(rel "$BIN/$_b") missing: run 'make demo' (it builds)"
	done
	[ "$DEMO_HISTORY" = 0 ] || [ -x "$BACKFILL" ] ||
		die "$(rel "$BACKFILL") missing: run 'make demo'"
	for _t in snmpd snmptrapd snmpget snmpset busybox rrdtool ss; do
		command -v "$_t" >/dev/null 2>&1 ||
			die "$_t not found: run 'make deps' as root (scripts/deps.sh)"
	done
	[ -f "$BUILD/mibs/.version" ] ||
		die "$(rel "$BUILD/mibs") missing: run 'make demo' (it fetches the IETF MIBs)"
}

# A demo still running from this tree would share the ports and files.
check_not_running() {
	[ -f "$DEMO/demo.pid" ] || return 0
	_p=$(cat "$DEMO/demo.pid")
	if [ -n "$_p" ] && grep -q 'demo\.sh' "/proc/$_p/cmdline" 2>/dev/null; then
		die "a demo runs already (pid $_p): stop it first (Ctrl-C there, or kill $_p)"
	fi
}

# A UNIX socket's path holds at most 107 bytes: in a deep checkout the
# sockets (AgentX, fakesvc's control) go to a folder of their own in /tmp.
socket_dir() {
	SOCKDIR=$DEMO TMP_SOCKDIR=
	if [ ${#SOCKDIR} -gt 90 ]; then
		TMP_SOCKDIR=$(mktemp -d "${TMPDIR:-/tmp}/gd-demo.XXXXXX") ||
			die "cannot create a folder for the sockets"
		SOCKDIR=$TMP_SOCKDIR
		say "$(rel "$DEMO") is too deep for a socket path: the sockets go to $SOCKDIR"
	fi
	AGENTX=$SOCKDIR/agentx.sock FAKESVC_CTL=$SOCKDIR/fakesvc.sock
}

# build/demo afresh: the harness's bookkeeping lives in .harness/.
setup_dir() {
	rm -rf "$DEMO"
	mkdir -p "$DEMO/.harness" "$DEMO/data" "$DEMO/www" || die "cannot create $DEMO"
	: >"$DEMO/.harness/pids"
	: >"$DEMO/.harness/ports"
	echo $$ >"$DEMO/demo.pid"
	H_TMP=$DEMO H_NAME=demo H_KILL_SECS=5 H_POLL=0.1
	H_MIBDIRS=$MIBDIRS_ H_MIBS=$MIBS_
	export H_TMP
}

# ---- ports -------------------------------------------------------------------

# Someone listens there (a connection in TIME-WAIT is no obstacle: the
# servers here set SO_REUSEADDR).
port_busy() {	# PROTO PORT
	case $1 in
	udp) [ -n "$(ss -Hanu "sport = :$2" 2>/dev/null)" ] ;;
	*) [ -n "$(ss -Hltn "sport = :$2" 2>/dev/null)" ] ;;
	esac
}

# port PROTO PREFERRED: PREFERRED when free, else a free one (said so).
port() {
	if port_busy "$1" "$2"; then
		_np=$(h_free_port "$1")
		say "port $2/$1 is busy: using $_np instead" >&2
		echo "$_np"
	else
		echo "$2" >>"$DEMO/.harness/ports"
		echo "$2"
	fi
}

# The example's servers as "ID PORT PROBE" (heartbeat ones have no port).
example_servers() {
	grep -o '<server id="[^"]*"[^>]*port="[0-9]*" probe="[a-z0-9]*"' "$EXAMPLE" |
		sed 's/.*id="\([^"]*\)".*port="\([0-9]*\)" probe="\([a-z0-9]*\)"/\1 \2 \3/'
}

# aluminati.xml: the example with short checks and heartbeats due every
# HB_MAX_AGE s; its own ports if all are free, else every one replaced.
make_config() {
	CONFIG=$DEMO/aluminati.xml SPEC=$DEMO/fakesvc.spec
	example_servers >"$DEMO/servers"
	_busy=
	while read -r _id _port _probe; do
		port_busy tcp "$_port" && _busy="$_busy $_port"
	done <"$DEMO/servers"
	{
		echo "s/<defaults [^>]*>/<defaults $CHECKS\/>/"
		echo "s/max-age=\"[0-9]*\"/max-age=\"$HB_MAX_AGE\"/"
	} >"$DEMO/config.sed"
	: >"$SPEC"
	while read -r _id _port _probe; do
		if [ -n "$_busy" ]; then
			_new=$(h_free_port tcp)
			echo "s/port=\"$_port\"/port=\"$_new\"/" >>"$DEMO/config.sed"
			_port=$_new
		fi
		echo "$_id=$_probe:$_port" >>"$SPEC"
	done <"$DEMO/servers"
	[ -z "$_busy" ] || say "ports$_busy of examples/aluminati.xml are busy: the servers play on other free ports (see $(rel "$CONFIG"))"
	sed -f "$DEMO/config.sed" "$EXAMPLE" >"$CONFIG"
	"$BIN/greendot-agent" -n -c "$CONFIG" >/dev/null ||
		die "$(rel "$CONFIG") is not valid"
	NSERVERS=$(wc -l <"$SPEC")
}

# news.xml: the example's news and a first item that says what this is.
make_news() {
	NEWS=$DEMO/news.xml
	_now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	_hist="The servers are simulated on this machine and play a scripted story (tests/sim/scenario.sh)."
	if [ "$DEMO_HISTORY" != 0 ]; then
		_hist="$_hist History before $(date -u -d "@$HISTORY_UNTIL" '+%d %b %Y %H:%M UTC') is simulated, not measured: the graphs and availability figures of the past week come from tests/sim/backfill."
	fi
	sed "s|^<news>\$|<news>\\
  <announcement id=\"demo\" at=\"$_now\" title=\"This is a demo\">$_hist</announcement>|" \
		"$TOP/examples/news.xml" >"$NEWS"
	grep -q 'id="demo"' "$NEWS" || die "cannot write $(rel "$NEWS")"
}

backfill() {
	HISTORY_UNTIL=$(( $(date +%s) / 60 * 60 - 60 ))
	[ "$DEMO_HISTORY" = 0 ] && return 0
	say "writing a week of simulated history into $(rel "$DEMO/data/rrd") ..."
	"$BACKFILL" -c "$CONFIG" -d "$DEMO/data" -e "$HISTORY_UNTIL" |
		sed 's/^/demo: /' || die "backfill failed"
	[ -f "$DEMO/data/SIMULATED" ] || die "backfill failed"
}

# ---- the daemons ---------------------------------------------------------------

snmp_env() { env MIBDIRS="$MIBDIRS_" MIBS="$MIBS_" "$@"; }

start_snmptrapd() {
	TRAP_PORT=$(port udp 16162)
	{
		echo "authCommunity log $COMMUNITY"
		echo "agentxsocket /dev/null"
	} >"$DEMO/snmptrapd.conf"
	mkdir -p "$DEMO/snmptrapd-persist"
	: >"$DEMO/traps.log"
	# one notification per block: time and sender, then a varbind a line
	h_bg -g snmptrapd env MIBDIRS="$MIBDIRS_" MIBS="$MIBS_" \
		SNMP_PERSISTENT_DIR="$DEMO/snmptrapd-persist" \
		snmptrapd -f -C -c "$DEMO/snmptrapd.conf" -Lf "$DEMO/traps.log" \
		-F '%.4y-%.2m-%.2l %.2h:%.2j:%.2k from %b\n  %V\n  %v\n' \
		"udp:127.0.0.1:$TRAP_PORT"
	TRAPD_PID=$H_BG_PID
	h_wait_until -p "$TRAPD_PID" 15 "snmptrapd on udp:127.0.0.1:$TRAP_PORT" \
		grep -q 'NET-SNMP version' "$DEMO/traps.log"
}

snmpd_ready() {
	[ -S "$AGENTX" ] && snmp_env snmpget -v2c -c "$COMMUNITY" -r0 -t0.3 -On \
		"127.0.0.1:$SNMPD_PORT" .1.3.6.1.2.1.1.3.0
}

start_snmpd() {
	SNMPD_PORT=$(port udp 16161)
	MON_TRAP_PORT=$(port udp 16163)
	{
		echo "master agentx"
		echo "agentXSocket unix:$AGENTX"
		echo "agentXPerms 0660 0770"
		echo "rocommunity $COMMUNITY 127.0.0.1"
		echo "createUser $V3USER SHA \"$V3AUTH\" AES \"$V3PRIV\""
		echo "rwuser $V3USER priv"
		echo "trap2sink 127.0.0.1:$TRAP_PORT $COMMUNITY"
		echo "trap2sink 127.0.0.1:$MON_TRAP_PORT $COMMUNITY"
		echo "dontLogTCPWrappersConnects yes"
	} >"$DEMO/snmpd.conf"
	mkdir -p "$DEMO/snmpd-persist"
	h_bg -g snmpd env MIBDIRS="$MIBDIRS_" MIBS="$MIBS_" \
		SNMP_PERSISTENT_DIR="$DEMO/snmpd-persist" \
		snmpd -f -Lf "$DEMO/snmpd.log" -C -c "$DEMO/snmpd.conf" -I -smux \
		-p "$DEMO/snmpd.pid" "udp:127.0.0.1:$SNMPD_PORT"
	SNMPD_PID=$H_BG_PID
	h_wait_until -p "$SNMPD_PID" 15 "snmpd on udp:127.0.0.1:$SNMPD_PORT" snmpd_ready
}

start_fakesvc() {
	h_bg -g fakesvc "$BIN/fakesvc" -C "$FAKESVC_CTL" -p "$DEMO/fakesvc.pid" \
		-f "$SPEC"
	FAKESVC_PID=$H_BG_PID
	h_wait_until -p "$FAKESVC_PID" 15 "fakesvc's $NSERVERS servers" \
		test -s "$DEMO/fakesvc.pid"
}

# Serving through snmpd, and every server probed at least once.
agent_ready() {
	snmp_env snmpwalk -v2c -c "$COMMUNITY" -r0 -t1 -Oqv \
		"127.0.0.1:$SNMPD_PORT" GREENDOT-MIB::gdServerOperStatus \
		>"$DEMO/.harness/walk" 2>/dev/null &&
		[ "$(grep -c . "$DEMO/.harness/walk")" -eq "$(grep -c '<server ' "$CONFIG")" ] &&
		[ "$(grep -c '^up$' "$DEMO/.harness/walk")" -ge "$NSERVERS" ]
}

start_agent() {
	h_bg -g agent "$BIN/greendot-agent" -f -c "$CONFIG" -x "unix:$AGENTX" \
		-s "$DEMO/agent.state" -Lf "$DEMO/agent.log"
	AGENT_PID=$H_BG_PID
	h_wait_until -p "$AGENT_PID" 20 "the agent serving, its servers up" agent_ready
}

start_monitor() {
	h_bg -g monitor "$BIN/greendot-monitor" -f -Lf "$DEMO/monitor.log" \
		-v2c -c "$COMMUNITY" -t 1 -r 1 --data "$DEMO/data" \
		--interval "$MON_INTERVAL" --trap-listen "udp:127.0.0.1:$MON_TRAP_PORT" \
		--render-to "$DEMO/www" --news "$NEWS" "udp:127.0.0.1:$SNMPD_PORT"
	MONITOR_PID=$H_BG_PID
	h_wait_until -p "$MONITOR_PID" 30 "the first page, $(rel "$DEMO/www/index.html")" \
		test -s "$DEMO/www/index.html"
}

httpd_ready() {
	busybox wget -q -O /dev/null "http://127.0.0.1:$HTTP_PORT/index.html"
}

start_httpd() {
	HTTP_PORT=$(port tcp "$DEMO_HTTP_PORT")
	h_bg -g httpd busybox httpd -f -vv -p "127.0.0.1:$HTTP_PORT" -h "$DEMO/www"
	HTTPD_PID=$H_BG_PID
	h_wait_until -p "$HTTPD_PID" 10 "the web server on 127.0.0.1:$HTTP_PORT" httpd_ready
}

scenario() {
	exec sh "$TOP/tests/sim/scenario.sh" -F "$BIN/fakesvc" \
		-C "$FAKESVC_CTL" -a "udp:127.0.0.1:$SNMPD_PORT" \
		-u "$V3USER" -A "$V3AUTH" -X "$V3PRIV" -l "$DEMO/scenario.log" "$@"
}

# The backup jobs have not reported yet when the agent starts: they are
# down ("no heartbeat received") until this first round.
first_heartbeats() {
	(scenario -H </dev/null) || die "the first heartbeats failed"
}

start_scenario() {
	say "the story begins (tests/sim/scenario.sh, log $(rel "$DEMO/scenario.log")):"
	# its lines go to this terminal as well as to scenario.log; the
	# subshell execs it, so $! is its pid
	scenario ${DEMO_SECONDS:+-s "$DEMO_SECONDS"} </dev/null &
	SCENARIO_PID=$!
	echo "$SCENARIO_PID 0 scenario $(h__starttime "$SCENARIO_PID")" >>"$DEMO/.harness/pids"
}

# ---- what to tell -----------------------------------------------------------------

row() { printf '  %-17s %-7s %s\n' "$1" "$2" "$3"; printf '  %-17s %-7s   log %s\n' "" "" "$(rel "$4")"; }

summary() {
	_d=$(rel "$DEMO")
	cat <<EOF

greendot demo: everything runs under $_d/

  open         http://127.0.0.1:$HTTP_PORT/   the status page, re-rendered on every change
               (also status.json and feed.atom there)
  watch        tail -f $_d/traps.log           notifications, as an operator gets them
               tail -f $_d/data/journal        the monitor's event journal
  ask          export MIBDIRS=$(rel "$BUILD/mibs"):mib MIBS=GREENDOT-MIB
               snmpwalk -v2c -c $COMMUNITY 127.0.0.1:$SNMPD_PORT GREENDOT-MIB::gdServerOperStatus
               snmptable -v2c -c $COMMUNITY -Cb 127.0.0.1:$SNMPD_PORT GREENDOT-MIB::gdGroupTable

  process           pid     where
EOF
	row snmpd "$SNMPD_PID" "udp:127.0.0.1:$SNMPD_PORT, AgentX $(rel "$AGENTX")" "$DEMO/snmpd.log"
	row snmptrapd "$TRAPD_PID" "udp:127.0.0.1:$TRAP_PORT" "$DEMO/traps.log"
	row fakesvc "$FAKESVC_PID" "$NSERVERS servers on 127.0.0.1 ($_d/fakesvc.spec), control $(rel "$FAKESVC_CTL")" "$DEMO/fakesvc.log"
	row greendot-agent "$AGENT_PID" "$_d/aluminati.xml: checks every 2 s, rise 1, fall 2" "$DEMO/agent.log"
	row greendot-monitor "$MONITOR_PID" "polls every ${MON_INTERVAL} s, notifications on udp:127.0.0.1:$MON_TRAP_PORT, data $_d/data" "$DEMO/monitor.log"
	row "busybox httpd" "$HTTPD_PID" "http://127.0.0.1:$HTTP_PORT/ serving $_d/www" "$DEMO/httpd.log"
	echo
	if [ "$DEMO_HISTORY" != 0 ]; then
		echo "  history      a week of SIMULATED history before $(date -d "@$HISTORY_UNTIL" '+%H:%M') ($_d/data/SIMULATED), said so on the page"
	fi
	echo "  in the config av3 is in maintenance and store3 on standby: shown, not counted"
	if [ -n "$DEMO_SECONDS" ]; then
		echo "  stop         automatically after $DEMO_SECONDS s; Ctrl-C stops it sooner"
	else
		echo "  stop         Ctrl-C (or kill $$): every process above stops; the page stays in $_d/www"
	fi
	echo
}

# At the end: what the page says now.
final_word() {
	_j=$DEMO/www/status.json
	[ -s "$_j" ] && command -v jq >/dev/null 2>&1 || return 0
	say "the page now: $(jq -r '[.services[] | "\(.title) \(.status)"] | join(", ")' "$_j" 2>/dev/null)"
	say "notifications received: $(grep -c 'snmpTrapOID.0 = OID: GREENDOT-MIB' "$DEMO/traps.log") in $(rel "$DEMO/traps.log"); incidents: $(jq -r '[.incidents[]? | "\(.title) (\(.status))"] | join(", ")' "$_j" 2>/dev/null)"
}

# ---- running and stopping -----------------------------------------------------------

# A daemon that died on its own ends the demo (the scenario may finish).
watch_daemons() {
	for _w in snmptrapd:$TRAPD_PID snmpd:$SNMPD_PID fakesvc:$FAKESVC_PID \
		agent:$AGENT_PID monitor:$MONITOR_PID httpd:$HTTPD_PID; do
		h_alive "${_w#*:}" && continue
		say "${_w%%:*} (pid ${_w#*:}) exited; the last lines of $(rel "$DEMO/${_w%%:*}.log"):" >&2
		tail -n 15 "$DEMO/${_w%%:*}.log" >&2 2>/dev/null
		return 1
	done
}

run() {
	_end=
	[ -n "$DEMO_SECONDS" ] && _end=$(( $(date +%s) + DEMO_SECONDS ))
	while :; do
		watch_daemons || exit 1
		[ -n "$_end" ] && [ "$(date +%s)" -ge "$_end" ] && break
		sleep 1
	done
	final_word
}

# Processes that carry this run's mark (all it started and their
# children), but not this shell.
marked() {
	grep -l -a "GREENDOT_DEMO_RUN=$RUN_MARK" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's,^/proc/\([0-9]*\)/environ$,\1,p' |
		while read -r _mp; do [ "$_mp" = $$ ] || echo "$_mp"; done
}

stop_all() {
	_rc=$?
	set +e
	trap '' INT TERM HUP
	trap - EXIT
	[ -n "${H__GUARD:-}" ] && kill "$H__GUARD" 2>/dev/null
	say "stopping${STOP_WHY:+ on $STOP_WHY} ..."
	# the story first, then who reads, then who is read
	for _names in scenario "monitor httpd" agent "fakesvc snmpd snmptrapd"; do
		_pids=
		for _n in $_names; do
			_p=$(h_pid "$_n" 2>/dev/null) && _pids="$_pids $_p"
		done
		[ -n "$_pids" ] && h__terminate $_pids
	done
	# new children of this shell no longer carry the mark
	unset GREENDOT_DEMO_RUN
	_left=$(marked)
	if [ -n "$_left" ]; then
		for _p in $_left; do
			say "stopping leftover $_p: $(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)"
		done
		# shellcheck disable=SC2086
		kill -TERM $_left 2>/dev/null
		h__poll 5 test -z "$(marked)"
		_left=$(marked)
		# shellcheck disable=SC2086
		[ -n "$_left" ] && kill -KILL $_left 2>/dev/null
	fi
	[ "$_rc" = 0 ] || h__dump_logs
	rm -f "$DEMO/demo.pid" "$AGENTX" "$FAKESVC_CTL"
	[ -n "$TMP_SOCKDIR" ] && rmdir "$TMP_SOCKDIR" 2>/dev/null
	say "stopped; the page stays in $(rel "$DEMO/www") (to look again: busybox httpd -f -p 127.0.0.1:$DEMO_HTTP_PORT -h $(rel "$DEMO/www"))"
	exit "$_rc"
}

interrupted() {	# a stop asked for is a clean end
	echo
	STOP_WHY=$1
	exit 0
}

# ---- main ---------------------------------------------------------------------------

# One function, called on the last line: the shell has read the whole file
# before anything runs, so editing it (a git pull) during a demo is safe.
main() {
	. "$TOP/tests/lib/harness.sh"
	check_tools
	check_not_running
	STOP_WHY= AGENTX= FAKESVC_CTL= TMP_SOCKDIR=
	setup_dir
	trap stop_all EXIT
	trap 'interrupted SIGINT' INT
	trap 'interrupted SIGTERM' TERM
	trap 'interrupted SIGHUP' HUP
	# started before the mark is exported: its sleeps do not carry it
	h__guard
	RUN_MARK=$$.$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	GREENDOT_DEMO_RUN=$RUN_MARK
	export GREENDOT_DEMO_RUN
	h__now
	H__START=$H__NOW

	socket_dir
	make_config
	backfill
	make_news
	start_snmptrapd
	start_snmpd
	start_fakesvc
	start_agent
	first_heartbeats
	start_monitor
	start_httpd
	summary
	start_scenario
	run
}

main "$@"; exit $?
