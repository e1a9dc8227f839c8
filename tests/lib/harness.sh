# tests/lib/harness.sh — what greendot's integration tests source.
#
# POSIX sh (dash).  A test runs with cwd = the top of the tree and BUILD,
# TOP in the environment (tests/run-integration.sh sets them):
#
#	. "$TOP/tests/lib/harness.sh"
#	h_init mytest
#	h_start_snmptrapd		# first, so snmpd's trap2sink points at it
#	h_start_snmpd
#	web=$(h_server_port)
#	h_start_fakesvc web=http:$web mail=smtp:0
#	echo "<server host=\"$H_ADDR\" port=\"$web\" .../>" >...
#	h_wait_until 5 "agent registered" h_snmpget .1.3.6.1.4.1...
#
# Addresses.  The daemons a test runs for the programs under test (snmpd
# and snmptrapd, whose start retries on a clash; greendot-monitor's trap
# port) listen on 127.0.0.1, on a port from h_free_port.  The servers it
# plays (fakesvc's; a web server for a browser) listen on $H_ADDR, a
# loopback address of its own (127.A.B.1, drawn at h_init), on ports from
# h_server_port: a config written for them names host="$H_ADDR".  Nobody
# else binds that address, so a port handed out stays free until fakesvc
# binds it, however many ports other tests take on 127.0.0.1 meanwhile,
# and thousands of servers need no free-port search.
#
# Every process is started through h__spawn (h_bg and the h_start_*
# functions use it), which records its pid in $H_TMP/.harness/pids.  At
# exit — normal, failed, or interrupted by INT/TERM/HUP — each is sent
# TERM (and CONT, in case it is frozen), then KILL after H_KILL_SECS;
# a last sweep kills any process whose command line still names $H_TMP
# and fails the test if there was one.  A guard process does the same if
# the test shell itself is killed with SIGKILL.  $H_TMP is removed unless
# the test failed or H_KEEP=1; on failure the tail of every log is shown.
#
# Waiting is always for a condition with a deadline (h_wait_until); the
# only sleeps are the poll interval inside it.
#
# Do not call h_start_* inside $(...) or a pipeline: the variables they
# export would stay in the subshell.  h_fail in a subshell still marks the
# test failed (a marker file), but only the subshell exits.
#
# Functions named h__* are internal.  The API:
#
#   h_init NAME                 $H_TMP, traps, guard; H_ADDR H_NET
#   h_log MSG / h_fail MSG      "[secs] MSG" / "FAIL: MSG", exit 1
#   h_assert CMD... / h_assert_fails CMD...
#   h_assert_eq ACTUAL EXPECTED MSG / h_assert_contains TEXT NEEDLE MSG
#   h_wait_until [-p PID] SECS DESC CMD...
#   h_free_port [tcp|udp]       prints a port free on 127.0.0.1
#   h_server_port [COUNT]       prints a port on $H_ADDR (the first of
#                               COUNT in a row)
#   h_bg [-g] NAME CMD...       log $H_TMP/NAME.log, sets H_BG_PID
#   h_pid NAME / h_stop NAME|PID / h_alive PID
#   h_start_snmptrapd           H_TRAP_PORT H_TRAP_PID H_TRAP_LOG
#   h_wait_trap SECS TEXT / h_trap_count TEXT / h_snmptrap OID [VARBIND...]
#   h_start_snmpd               H_SNMPD_PORT H_SNMPD_PID H_AGENTX
#                               H_SNMPD_LOG H_SNMPD_CONF
#   h_stop_snmpd / h_restart_snmpd / h_freeze_snmpd / h_thaw_snmpd
#   h_snmp TOOL ARGS / h_snmp3 TOOL ARGS / h_snmpget ARGS / h_snmpwalk ARGS
#   h_start_fakesvc SPEC...     H_FAKESVC_PID H_FAKESVC_CTL H_FAKESVC_LOG
#                               H_FAKESVC_ADDR
#   h_fakesvc CMD / h_fakesvc_try CMD / h_fakesvc_port NAME
#   h_nc ENDPOINT [-w MS] [-k]  stdin there, reply to stdout
#   h_start_rrdcached           H_RRDCACHED H_RRDCACHED_SOCK
#                               H_RRDCACHED_PID H_RRD_DIR
#   h_rrdcached CMD             raw rrdcached command, reply to stdout
#   h_chromium_check            fails the test without Chromium
#   h_chromium ARGS...          headless Chromium, no network of its own,
#                               a profile in $H_TMP, stderr to
#                               $H_TMP/chromium.log, killed after
#                               H_CHROME_SECS
#
# Settings (set before use): H_COMMUNITY H_V3USER H_V3AUTH H_V3PRIV
# H_SNMPD_EXTRA H_SNMPTRAPD_EXTRA (extra conf lines) H_READY_SECS
# H_KILL_SECS H_POLL H_KEEP H_MIBDIRS H_MIBS H_FAKESVC_BIN H_CHROME_SECS.

: "${TOP:=$(pwd)}"
: "${BUILD:=build}"
case $BUILD in
/*) H_BUILD=$BUILD ;;
*) H_BUILD=$TOP/$BUILD ;;
esac
H_FAKESVC_BIN=${H_FAKESVC_BIN:-$H_BUILD/bin/fakesvc}
H_MIBDIRS=${H_MIBDIRS:-$H_BUILD/mibs:$TOP/mib:/usr/share/snmp/mibs}
if [ -z "${H_MIBS:-}" ]; then
	H_MIBS=SNMPv2-MIB
	[ -f "$TOP/mib/GREENDOT-MIB.txt" ] && H_MIBS=SNMPv2-MIB:GREENDOT-MIB
fi
H_COMMUNITY=${H_COMMUNITY:-public}
H_V3USER=${H_V3USER:-gdtest}
H_V3AUTH=${H_V3AUTH:-gdauthpass1}
H_V3PRIV=${H_V3PRIV:-gdprivpass1}
H_READY_SECS=${H_READY_SECS:-15}	# deadline for a daemon to come up
# Every deadline is multiplied by this: programs built with ASan or run
# under valgrind are several times slower, and a deadline is a bound on
# behaviour, not on the checker's speed (tests/run-integration.sh sets it).
H_TIME_SCALE=${H_TIME_SCALE:-1}
H_KILL_SECS=${H_KILL_SECS:-5}		# TERM, then KILL after this
H_POLL=${H_POLL:-0.05}			# h_wait_until poll interval
H_TMP=
H_FAILED=0

# ---- time ---------------------------------------------------------------

# H__NOW = centiseconds since boot, without forking.
h__now() {
	read -r H__NOW _h__rest </proc/uptime
	H__NOW=${H__NOW%.*}${H__NOW#*.}
	H__NOW=${H__NOW#"${H__NOW%%[!0]*}"}
	H__NOW=${H__NOW:-0}
}

# Seconds ("3", "0.5", "1.25") to centiseconds.
h__cs() {
	case $1 in
	*.*) _cs_i=${1%%.*} _cs_f=${1#*.}00 ;;
	*) _cs_i=$1 _cs_f=00 ;;
	esac
	_cs_f=$(printf '%.2s' "$_cs_f")
	echo $(( ${_cs_i:-0} * 100 + ${_cs_f#0} ))
}

# ---- messages and assertions -------------------------------------------

h_log() {
	h__now
	_lg_t=$(( H__NOW - ${H__START:-$H__NOW} ))
	printf '[%d.%02d] %s\n' $(( _lg_t / 100 )) $(( _lg_t % 100 )) "$*"
}

h_fail() {
	printf 'FAIL: %s\n' "$*" >&2
	H_FAILED=1
	[ -n "$H_TMP" ] && [ -d "$H_TMP/.harness" ] && echo "$*" >>"$H_TMP/.harness/failed"
	exit 1
}

h_assert() {
	"$@" || h_fail "assertion failed: $*"
}

# h_assert_fails CMD...: CMD must fail.
h_assert_fails() {
	if "$@"; then h_fail "expected to fail: $*"; fi
}

# h_assert_eq ACTUAL EXPECTED MSG
h_assert_eq() {
	[ "$1" = "$2" ] || h_fail "${3:-values differ}: expected '$2', got '$1'"
}

# h_assert_contains TEXT NEEDLE MSG: NEEDLE is a fixed substring.
h_assert_contains() {
	case $1 in
	*"$2"*) ;;
	*) h_fail "${3:-missing text}: '$2' not in '$1'" ;;
	esac
}

# h__poll [-p PID] SECS CMD...: 0 when CMD succeeded, 1 at the deadline,
# 2 as soon as PID is gone.
h__poll() {
	_pl_pid=
	if [ "$1" = -p ]; then _pl_pid=$2; shift 2; fi
	h__now
	_pl_end=$(( H__NOW + $(h__cs "$1") * H_TIME_SCALE ))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		if [ -n "$_pl_pid" ] && ! h_alive "$_pl_pid"; then return 2; fi
		h__now
		[ "$H__NOW" -ge "$_pl_end" ] && return 1
		sleep "$H_POLL"
	done
}

# h_wait_until [-p PID] SECS DESCRIPTION CMD...
# Runs CMD (output discarded) every H_POLL s until it succeeds; fails the
# test after SECS (times H_TIME_SCALE), or at once if PID exits.
h_wait_until() {
	_wu_p=
	if [ "$1" = -p ]; then _wu_p=$2; shift 2; fi
	_wu_secs=$1 _wu_desc=$2
	shift 2
	_wu_rc=0
	h__poll ${_wu_p:+-p "$_wu_p"} "$_wu_secs" "$@" || _wu_rc=$?
	case $_wu_rc in
	0) return 0 ;;
	2) h_fail "process $_wu_p exited while waiting for $_wu_desc" ;;
	*) h_fail "timed out after ${_wu_secs}s waiting for $_wu_desc" ;;
	esac
}

# ---- processes -----------------------------------------------------------

# Alive and not a zombie.
h_alive() {
	_al_s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	case ${_al_s##*) } in
	Z* | X* | x*) return 1 ;;
	esac
	return 0
}

h__need_init() {
	[ -n "$H_TMP" ] && [ -d "$H_TMP/.harness" ] && return 0
	echo "harness: call h_init first" >&2
	exit 1
}

# h__spawn [-g] NAME LOG CMD...: CMD in the background, stdout and stderr
# to LOG; sets H_BG_PID.  -g: in its own session (setsid), killed as a
# process group.  A non-interactive shell's child is no group leader, so
# setsid execs in place and $! stays the daemon's pid.
h__spawn() {
	h__need_init
	_sp_g=0
	if [ "$1" = -g ]; then _sp_g=1; shift; fi
	_sp_name=$1 _sp_log=$2
	shift 2
	if [ $_sp_g = 1 ]; then
		setsid "$@" </dev/null >>"$_sp_log" 2>&1 &
	else
		"$@" </dev/null >>"$_sp_log" 2>&1 &
	fi
	H_BG_PID=$!
	echo "$H_BG_PID $_sp_g $_sp_name $(h__starttime "$H_BG_PID")" \
		>>"$H_TMP/.harness/pids"
}

# Field 22 of /proc/PID/stat: set at fork, kept across exec.
h__starttime() {
	_stt=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return 0; }
	echo "${_stt##*) }" | cut -d' ' -f20
}

# Still the process we started (not a recycled pid)?  Pids we did not
# register (leftovers found by command line) count as ours.
h__ours() {
	_ou=$(awk -v p="$1" '$1 == p { s = $4 } END { print s }' "$H_TMP/.harness/pids")
	[ -z "$_ou" ] || [ "$(h__starttime "$1")" = "$_ou" ]
}

# h_bg [-g] NAME CMD...: any other daemon, log in $H_TMP/NAME.log; sets
# H_BG_PID.  The pid is killed at exit like every other.  CMD must be a
# program, not a shell function (that would run in a subshell whose pid
# is not the daemon's).
h_bg() {
	_bg_g=
	if [ "$1" = -g ]; then _bg_g=-g; shift; fi
	_bg_n=$1
	shift
	h__spawn $_bg_g "$_bg_n" "$H_TMP/$_bg_n.log" "$@"
}

# h_pid NAME: the pid of the latest process started under NAME.
h_pid() {
	awk -v n="$1" '$3 == n { p = $1 } END { if (p) print p; else exit 1 }' \
		"$H_TMP/.harness/pids"
}

# Never fails: the process may be gone (and reaped by the shell) between
# the check and the kill, and a test may run under set -e.
h__signal() {	# SIG PID GROUP
	h__ours "$2" || return 0
	if [ "$3" = 1 ]; then
		kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "$2" 2>/dev/null || :
	else
		kill -s "$1" "$2" 2>/dev/null || :
	fi
}

h__group_of() {
	awk -v p="$1" '$1 == p { g = $2 } END { print g + 0 }' "$H_TMP/.harness/pids"
}

h__all_dead() {
	for _ad_p in "$@"; do
		h_alive "$_ad_p" && h__ours "$_ad_p" && return 1
	done
	return 0
}

# h__terminate PID...: TERM (+CONT), KILL after H_KILL_SECS, reap.
h__terminate() {
	for _tm_p in "$@"; do
		_tm_g=$(h__group_of "$_tm_p")
		h__signal TERM "$_tm_p" "$_tm_g"
		h__signal CONT "$_tm_p" "$_tm_g"
	done
	if ! h__poll "$H_KILL_SECS" h__all_dead "$@"; then
		for _tm_p in "$@"; do
			if ! h_alive "$_tm_p" || ! h__ours "$_tm_p"; then continue; fi
			echo "harness: pid $_tm_p ignored TERM for ${H_KILL_SECS}s, sending KILL" >&2
			h__signal KILL "$_tm_p" "$(h__group_of "$_tm_p")"
		done
	fi
	for _tm_p in "$@"; do
		wait "$_tm_p" 2>/dev/null || :	# reap; its status is no concern
	done
}

h__unregister() {
	awk -v p="$1" '$1 != p' "$H_TMP/.harness/pids" >"$H_TMP/.harness/pids.new" &&
		mv "$H_TMP/.harness/pids.new" "$H_TMP/.harness/pids"
}

# h_stop NAME|PID: stop one process (TERM, KILL after H_KILL_SECS).
h_stop() {
	case $1 in
	*[!0-9]*) _st_p=$(h_pid "$1") || h_fail "h_stop: no process named $1" ;;
	*) _st_p=$1 ;;
	esac
	h__terminate "$_st_p"
	h__unregister "$_st_p"
}

# Pids of processes whose command line names $H_TMP.  The first character
# goes in brackets so that grep does not find itself.
h__leftovers() {
	_lo_re=$(printf '%s/' "$H_TMP" | sed 's/^\(.\)/[\1]/')
	grep -l -- "$_lo_re" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's,^/proc/\([0-9]*\)/cmdline$,\1,p' |
		while read -r _lo_p; do
			[ "$_lo_p" = $$ ] || [ "$_lo_p" = "${H__GUARD:-}" ] || echo "$_lo_p"
		done
}

h__kill_leftovers() {
	_kl=$(h__leftovers)
	[ -z "$_kl" ] && return 0
	for _kl_p in $_kl; do
		printf 'harness: leftover process %s: %s\n' "$_kl_p" \
			"$(tr '\0' ' ' <"/proc/$_kl_p/cmdline" 2>/dev/null)" >&2
	done
	h__terminate $_kl
	return 1
}

# The guard waits for the test shell to vanish without cleaning up
# (SIGKILL) and then kills what it started.
h__guard() {
	_gd_parent=$$
	(
		trap - EXIT INT TERM HUP
		while kill -0 "$_gd_parent" 2>/dev/null; do sleep 1; done
		[ -f "$H_TMP/.harness/pids" ] || exit 0
		for _gd_p in $(awk '{ print $1 }' "$H_TMP/.harness/pids"); do
			_gd_g=$(h__group_of "$_gd_p")
			h__signal TERM "$_gd_p" "$_gd_g"
			h__signal CONT "$_gd_p" "$_gd_g"
		done
	) </dev/null >/dev/null 2>&1 &
	H__GUARD=$!
}

h__dump_logs() {
	for _dl_f in "$H_TMP"/*.log "$H_TMP"/*.out; do
		[ -s "$_dl_f" ] || continue
		echo "--- last lines of $_dl_f"
		tail -n 20 "$_dl_f"
	done >&2
}

h__cleanup() {
	_cl_rc=$?
	set +e
	trap '' INT TERM HUP
	trap - EXIT
	[ -n "$H_TMP" ] && [ -d "$H_TMP/.harness" ] || exit $_cl_rc
	[ -n "${H__GUARD:-}" ] && kill "$H__GUARD" 2>/dev/null && wait "$H__GUARD" 2>/dev/null
	_cl_pids=$(awk '{ print $1 }' "$H_TMP/.harness/pids")
	[ -n "$_cl_pids" ] && h__terminate $_cl_pids
	if ! h__kill_leftovers; then
		echo "FAIL: processes outlived the test (started outside the harness?)" >&2
		_cl_rc=1
	fi
	[ -s "$H_TMP/.harness/failed" ] && [ $_cl_rc -eq 0 ] && _cl_rc=1
	if [ $_cl_rc -ne 0 ]; then
		h__dump_logs
		echo "harness: $H_NAME failed (exit $_cl_rc); logs kept in $H_TMP" >&2
	elif [ "${H_KEEP:-0}" = 1 ]; then
		echo "harness: H_KEEP=1, logs kept in $H_TMP"
	else
		rm -rf "$H_TMP"
	fi
	exit $_cl_rc
}

h__interrupted() {	# SIGNAME EXIT-CODE
	echo "harness: interrupted by SIG$1" >&2
	H_FAILED=1
	exit "$2"
}

# h_init NAME: temp dir $H_TMP, cleanup traps, the guard; the test's
# address H_ADDR (and H_NET), exported.
h_init() {
	H_NAME=${1:-test}
	H_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gd-$H_NAME.XXXXXX") ||
		{ echo "harness: mktemp failed" >&2; exit 1; }
	mkdir "$H_TMP/.harness"
	: >"$H_TMP/.harness/pids"
	: >"$H_TMP/.harness/ports"
	: >"$H_TMP/.harness/server_ports"
	h__now
	H__START=$H__NOW
	trap h__cleanup EXIT
	trap 'h__interrupted INT 130' INT
	trap 'h__interrupted TERM 143' TERM
	trap 'h__interrupted HUP 129' HUP
	h__guard
	h__pick_addr
	export H_TMP H_ADDR H_NET
	h_log "$H_NAME: temp dir $H_TMP, servers on $H_ADDR"
}

# ---- addresses and ports ---------------------------------------------------

# Two random numbers, 0..65535 each.
h__rand2() {
	od -An -N4 -tu2 /dev/urandom
}

# H_NET=127.A.B, H_ADDR=$H_NET.1: A 2..254, B 0..255, at random.  All of
# 127/8 is loopback on Linux, with no setup.  127.0.x (127.0.0.1, and
# 127.0.1.1 of many /etc/hosts) and 127.1.x are left alone, and so is
# 127.255.x.  A draw where some socket is bound in $H_NET.0/24 already
# (another test drew the same: 1 in 64,768) is drawn again.  The rest of
# $H_NET is the test's too: $H_NET.2 is an address where nothing listens.
h__pick_addr() {
	_pa_n=0
	while [ $_pa_n -lt 20 ]; do
		_pa_n=$(( _pa_n + 1 ))
		# shellcheck disable=SC2046 # two numbers, split on purpose
		set -- $(h__rand2)
		H_NET=127.$(( 2 + $1 % 253 )).$(( $2 % 256 ))
		H_ADDR=$H_NET.1
		[ -z "$(ss -Hantu "src $H_NET.0/24" 2>/dev/null)" ] && return 0
	done
	h_fail "no unused 127.A.B.0/24 found"
}

# Below the kernel's ephemeral range, so no outgoing connection holds it.
h__port_range() {
	read -r _pr_lo _pr_hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || _pr_lo=32768
	H__PORT_MIN=20000 H__PORT_MAX=$(( _pr_lo - 1 ))
	[ "$H__PORT_MAX" -gt 21000 ] || H__PORT_MAX=60000
}

h__port_in_use() {	# PROTO PORT
	case $1 in
	udp) [ -n "$(ss -Hanu "sport = :$2" 2>/dev/null)" ] ;;
	*) [ -n "$(ss -Hant "sport = :$2" 2>/dev/null)" ] ;;
	esac
}

# h_free_port [tcp|udp]: prints a port nobody uses now on 127.0.0.1 and
# this test has not handed out before, for a daemon the test runs there.
# Free now is not free later: callers retry (h__start_retry).  For the
# servers fakesvc plays, h_server_port.
h_free_port() {
	h__need_init
	h__port_range
	_fp_n=0
	while [ $_fp_n -lt 100 ]; do
		_fp_n=$(( _fp_n + 1 ))
		_fp_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		_fp=$(( H__PORT_MIN + _fp_r % (H__PORT_MAX - H__PORT_MIN + 1) ))
		grep -qx "$_fp" "$H_TMP/.harness/ports" && continue
		h__port_in_use "${1:-tcp}" "$_fp" && continue
		echo "$_fp" >>"$H_TMP/.harness/ports"
		echo "$_fp"
		return 0
	done
	h_fail "no free ${1:-tcp} port found"
}

# The ports of h_server_port; those handed out are in
# $H_TMP/.harness/server_ports, a "FIRST LAST" line per call.
H__SRV_MIN=20000 H__SRV_MAX=60999

# h__srv_clash LO HI: prints the highest port in LO..HI that a TCP socket
# holds on $H_ADDR or on the wildcard address (which clashes with a bind
# to any address); nothing when none does.
h__srv_clash() {
	ss -Hant "( sport >= :$1 and sport <= :$2 )" 2>/dev/null |
		awk -v a="$H_ADDR" '{ n = split($4, f, ":"); p = f[n]
			h = substr($4, 1, length($4) - length(p) - 1)
			if (h == a || h == "0.0.0.0" || h == "*" || h == "[::]" ||
			    h == "[::ffff:" a "]")
				if (p + 0 > m) m = p + 0 }
			END { if (m) print m }'
}

# h_server_port [COUNT]: prints a port on $H_ADDR for a server the test
# plays, or the first of COUNT ports in a row.  The address is the test's
# own: ports are handed out in order from H__SRV_MIN, with no search among
# those other tests hold (a range where a socket holds a port on $H_ADDR,
# or on the wildcard address, is skipped).  The range reaches into the
# kernel's ephemeral ports: an outgoing connection's port is bound to its
# source address (127.0.0.1), never to $H_ADDR.
h_server_port() {
	h__need_init
	_sv_n=${1:-1}
	_sv_lo=$(awk -v m=$H__SRV_MIN '{ m = $2 + 1 } END { print m }' \
		"$H_TMP/.harness/server_ports")
	while :; do
		_sv_hi=$(( _sv_lo + _sv_n - 1 ))
		[ $_sv_hi -le $H__SRV_MAX ] ||
			h_fail "h_server_port: no $_sv_n ports left on $H_ADDR"
		_sv_c=$(h__srv_clash "$_sv_lo" "$_sv_hi")
		[ -z "$_sv_c" ] && break
		_sv_lo=$(( _sv_c + 1 ))
	done
	echo "$_sv_lo $_sv_hi" >>"$H_TMP/.harness/server_ports"
	echo "$_sv_lo"
}

# ---- net-snmp daemons ------------------------------------------------------

h__snmp_env() {
	env MIBDIRS="$H_MIBDIRS" MIBS="$H_MIBS" "$@"
}

# h__start_retry NAME CLASH_TEXT START_FN READY_FN: START_FN PORT starts
# the daemon (sets H_BG_PID); READY_FN PORT succeeds once it serves.
# Retries on a new port when the daemon died with CLASH_TEXT in its log,
# unless H__FIXED_PORT is set.  Sets H__PORT.
h__start_retry() {
	_sr_name=$1 _sr_clash=$2 _sr_start=$3 _sr_ready=$4 _sr_try=0
	while [ $_sr_try -lt 5 ]; do
		_sr_try=$(( _sr_try + 1 ))
		H__PORT=${H__FIXED_PORT:-$(h_free_port udp)}
		H__LOGMARK=$(h__log_size "$_sr_name")
		"$_sr_start" "$H__PORT"
		_sr_rc=0
		h__poll -p "$H_BG_PID" "$H_READY_SECS" "$_sr_ready" "$H__PORT" || _sr_rc=$?
		case $_sr_rc in
		0) return 0 ;;
		1) h_fail "$_sr_name not ready on port $H__PORT after ${H_READY_SECS}s" ;;
		esac
		h__unregister "$H_BG_PID"
		wait "$H_BG_PID" 2>/dev/null || :
		if [ -n "${H__FIXED_PORT:-}" ] ||
		   ! h__log_since "$_sr_name" | grep -q "$_sr_clash"; then
			h__dump_logs
			h_fail "$_sr_name exited at start-up (port $H__PORT)"
		fi
		h_log "$_sr_name: port $H__PORT taken, retrying"
	done
	h_fail "$_sr_name: no free port after 5 tries"
}

h__log_size() {
	if [ -f "$H_TMP/$1.log" ]; then wc -c <"$H_TMP/$1.log"; else echo 0; fi
}

# What NAME.log gained since H__LOGMARK (logs are appended to, -A).
h__log_since() {
	tail -c +"$(( H__LOGMARK + 1 ))" "$H_TMP/$1.log" 2>/dev/null
}

h__trapd_conf() {
	{
		echo "authCommunity log $H_COMMUNITY"
		echo "agentxsocket /dev/null"
		echo "createUser $H_V3USER SHA \"$H_V3AUTH\" AES \"$H_V3PRIV\""
		echo "authUser log $H_V3USER"
		printf '%s\n' "${H_SNMPTRAPD_EXTRA:-}"
	} >"$H_TMP/snmptrapd.conf"
	mkdir -p "$H_TMP/snmptrapd-persist"
}

h__trapd_spawn() {
	h__spawn snmptrapd "$H_TMP/snmptrapd.out" env MIBDIRS="$H_MIBDIRS" \
		MIBS="$H_MIBS" SNMP_PERSISTENT_DIR="$H_TMP/snmptrapd-persist" \
		snmptrapd -f -A -Lf "$H_TMP/snmptrapd.log" -On -C \
		-c "$H_TMP/snmptrapd.conf" "udp:127.0.0.1:$1"
}

# It logs its version line once the port is bound.
h__trapd_ready() {
	h__log_since snmptrapd | grep -q 'NET-SNMP version'

}

# h_start_snmptrapd: a private snmptrapd on udp:127.0.0.1:H_TRAP_PORT,
# community H_COMMUNITY and v3 user H_V3USER; extra conf lines in
# H_SNMPTRAPD_EXTRA.  Exports H_TRAP_PORT H_TRAP_PID H_TRAP_LOG.
h_start_snmptrapd() {
	h__need_init
	h__trapd_conf
	H__FIXED_PORT=
	h__start_retry snmptrapd 'Address already in use' h__trapd_spawn h__trapd_ready
	H_TRAP_PORT=$H__PORT H_TRAP_PID=$H_BG_PID H_TRAP_LOG=$H_TMP/snmptrapd.log
	export H_TRAP_PORT H_TRAP_LOG
	h_log "snmptrapd pid $H_TRAP_PID on udp:127.0.0.1:$H_TRAP_PORT"
}

# h_wait_trap SECS TEXT: until snmptrapd logged TEXT (fixed string; with
# -On, numeric OIDs such as .1.3.6.1.6.3.1.1.5.1).
h_wait_trap() {
	h_wait_until "$1" "trap '$2' in $H_TRAP_LOG" grep -qF -- "$2" "$H_TRAP_LOG"
}

# h_trap_count TEXT: how many logged lines hold TEXT.
h_trap_count() {
	grep -cF -- "$1" "$H_TRAP_LOG" 2>/dev/null || true
}

h__snmpd_conf() {
	H_SNMPD_CONF=$H_TMP/snmpd.conf
	{
		echo "master agentx"
		echo "agentXSocket unix:$H_AGENTX"
		echo "agentXPerms 0660 0770"
		echo "rocommunity $H_COMMUNITY 127.0.0.1"
		echo "createUser $H_V3USER SHA \"$H_V3AUTH\" AES \"$H_V3PRIV\""
		echo "rwuser $H_V3USER priv"
		[ -n "${H_TRAP_PORT:-}" ] && echo "trap2sink 127.0.0.1:$H_TRAP_PORT $H_COMMUNITY"
		printf '%s\n' "${H_SNMPD_EXTRA:-}"
	} >"$H_SNMPD_CONF"
	mkdir -p "$H_TMP/snmpd-persist"
}

h__snmpd_spawn() {
	h__spawn snmpd "$H_TMP/snmpd.out" env MIBDIRS="$H_MIBDIRS" \
		MIBS="$H_MIBS" SNMP_PERSISTENT_DIR="$H_TMP/snmpd-persist" \
		snmpd -f -A -Lf "$H_SNMPD_LOG" -C -c "$H_SNMPD_CONF" -I -smux \
		-p "$H_TMP/snmpd.pid" "udp:127.0.0.1:$1"
}

h__snmpd_ready() {
	[ -S "$H_AGENTX" ] &&
		h__snmp_env snmpget -v2c -c "$H_COMMUNITY" -r0 -t0.3 -On \
			"127.0.0.1:$1" .1.3.6.1.2.1.1.3.0
}

# h_start_snmpd: a private snmpd master (AgentX on $H_AGENTX), ready once
# it answers sysUpTime.0.  Sends traps to snmptrapd if that runs already.
# Extra snmpd.conf lines in H_SNMPD_EXTRA.  Exports H_SNMPD_PORT
# H_SNMPD_PID H_AGENTX H_SNMPD_LOG H_SNMPD_CONF.
h_start_snmpd() {
	h__need_init
	H_AGENTX=$H_TMP/agentx.sock H_SNMPD_LOG=$H_TMP/snmpd.log
	[ -n "${H__SNMPD_RESTART:-}" ] || h__snmpd_conf
	H__FIXED_PORT=${H__SNMPD_RESTART:+$H_SNMPD_PORT}
	h__start_retry snmpd 'Error opening specified endpoint' h__snmpd_spawn h__snmpd_ready
	H_SNMPD_PORT=$H__PORT H_SNMPD_PID=$H_BG_PID
	export H_SNMPD_PORT H_AGENTX H_SNMPD_LOG H_SNMPD_CONF
	h_log "snmpd pid $H_SNMPD_PID on udp:127.0.0.1:$H_SNMPD_PORT, agentx $H_AGENTX"
}

h_stop_snmpd() {
	h_stop "$H_SNMPD_PID"
	H_SNMPD_PID=
}

# Same port, socket, conf and persistent dir (engine id, engineBoots+1).
h_restart_snmpd() {
	h_stop_snmpd
	H__SNMPD_RESTART=1
	h_start_snmpd
	H__SNMPD_RESTART=
}

h_freeze_snmpd() { kill -s STOP "$H_SNMPD_PID" || h_fail "cannot freeze snmpd"; }
h_thaw_snmpd() { kill -s CONT "$H_SNMPD_PID" || h_fail "cannot thaw snmpd"; }

# h_snmp TOOL ARGS...: a net-snmp tool against our snmpd, v2c.
h_snmp() {
	_sn_tool=$1
	shift
	h__snmp_env "$_sn_tool" -v2c -c "$H_COMMUNITY" -r1 -t2 \
		"127.0.0.1:$H_SNMPD_PORT" "$@"
}

# h_snmp3 TOOL ARGS...: the same as H_V3USER, authPriv (SHA/AES).
h_snmp3() {
	_sn_tool=$1
	shift
	h__snmp_env "$_sn_tool" -v3 -l authPriv -u "$H_V3USER" -a SHA \
		-A "$H_V3AUTH" -x AES -X "$H_V3PRIV" -r1 -t2 \
		"127.0.0.1:$H_SNMPD_PORT" "$@"
}

h_snmpget() { h_snmp snmpget "$@"; }
h_snmpwalk() { h_snmp snmpwalk "$@"; }

# h_snmptrap OID [VARBIND...]: a v2c trap to our snmptrapd.
h_snmptrap() {
	h__snmp_env snmptrap -v2c -c "$H_COMMUNITY" "127.0.0.1:$H_TRAP_PORT" '' "$@"
}

# ---- fakesvc ---------------------------------------------------------------

# h_nc ENDPOINT [-w MS] [-k]: stdin to ENDPOINT (port on 127.0.0.1,
# HOST:PORT or socket path; fakesvc's servers: $H_FAKESVC_ADDR:PORT), the
# reply to stdout.  Exit 0 when the peer closed, 2 connection failed
# (refused), 3 no data for MS ms (default 5000), 4 reset.  -k keeps our
# side open after stdin ends.
h_nc() {
	_nc_ep=$1
	shift
	"$H_FAKESVC_BIN" -x "$_nc_ep" "$@"
}

h__fakesvc_ready() {
	[ -s "$H_TMP/fakesvc.pid" ]
}

# h__fakesvc_addr [fakesvc options] SPEC...: sets H_FAKESVC_ADDR, the
# address the servers are to listen on: the one of -a, else $H_ADDR; but
# 127.0.0.1 when a spec names a port (not 0) that h_server_port did not
# hand out, such as one from h_free_port, checked free on 127.0.0.1: a
# test written before H_ADDR existed (its config says host="127.0.0.1").
# Sets H__FOREIGN_PORT to such a port.
h__fakesvc_addr() {
	H_FAKESVC_ADDR=
	H__FOREIGN_PORT=
	_fa_next=
	_fa_specs=$H_TMP/.harness/fakesvc.specs
	: >"$_fa_specs"
	for _fa in "$@"; do
		case $_fa_next in
		-a) H_FAKESVC_ADDR=$_fa ;;
		-f) cat "$_fa" >>"$_fa_specs" 2>/dev/null || : ;;	# fakesvc says if missing
		esac
		[ -n "$_fa_next" ] && { _fa_next=; continue; }
		case $_fa in
		-a | -f) _fa_next=$_fa ;;
		-a?*) H_FAKESVC_ADDR=${_fa#-a} ;;
		-f?*) cat "${_fa#-f}" >>"$_fa_specs" 2>/dev/null || : ;;
		*=*) printf '%s\n' "$_fa" >>"$_fa_specs" ;;
		esac
	done
	[ -n "$H_FAKESVC_ADDR" ] && return 0
	H__FOREIGN_PORT=$(awk -v r="$(cat "$H_TMP/.harness/server_ports")" '
		BEGIN { n = split(r, b) }
		/^[ \t]*(#|$)/ { next }
		{
			p = $0; sub(/^[^=]*=[^:]*:/, "", p); sub(/:.*/, "", p)
			if (p + 0 == 0) next
			for (i = 1; i < n; i += 2) if (p + 0 >= b[i] && p + 0 <= b[i + 1]) next
			print p + 0; exit
		}' "$_fa_specs")
	H_FAKESVC_ADDR=${H__FOREIGN_PORT:+127.0.0.1}
	H_FAKESVC_ADDR=${H_FAKESVC_ADDR:-$H_ADDR}
}

# h_start_fakesvc [fakesvc options] SPEC...: fakesvc with its control
# socket; SPEC is NAME=PROTO:PORT[:STATUS], the port from h_server_port,
# or 0 for any free port (see h_fakesvc_port).  The servers listen on
# $H_ADDR, or on ADDR with -a ADDR (127.0.0.1 for a spec with a port of
# another origin: see h__fakesvc_addr).  Exports H_FAKESVC_PID
# H_FAKESVC_CTL H_FAKESVC_LOG H_FAKESVC_ADDR.
h_start_fakesvc() {
	h__need_init
	[ -x "$H_FAKESVC_BIN" ] || h_fail "$H_FAKESVC_BIN missing: make fakesvc"
	H_FAKESVC_CTL=$H_TMP/fakesvc.sock H_FAKESVC_LOG=$H_TMP/fakesvc.log
	h__fakesvc_addr "$@"
	[ -n "$H__FOREIGN_PORT" ] &&
		h_log "fakesvc on 127.0.0.1: port $H__FOREIGN_PORT is not from h_server_port"
	rm -f "$H_TMP/fakesvc.pid"
	# -a first: a caller's own -a comes later and wins
	h__spawn fakesvc "$H_FAKESVC_LOG" "$H_FAKESVC_BIN" -a "$H_FAKESVC_ADDR" \
		-C "$H_FAKESVC_CTL" -p "$H_TMP/fakesvc.pid" "$@"
	H_FAKESVC_PID=$H_BG_PID
	h_wait_until -p "$H_FAKESVC_PID" "$H_READY_SECS" "fakesvc ready" h__fakesvc_ready
	export H_FAKESVC_CTL H_FAKESVC_ADDR
	h_log "fakesvc pid $H_FAKESVC_PID on $H_FAKESVC_ADDR, control $H_FAKESVC_CTL"
}

# h_fakesvc_try CMD...: one control command; prints the reply without
# its final "ok"; false on "error: ...", which goes to stderr.
h_fakesvc_try() {
	_fs_r=$(printf '%s\n' "$*" | "$H_FAKESVC_BIN" -x "$H_FAKESVC_CTL" -w 5000) ||
		{ echo "fakesvc control: no answer to '$*'" >&2; return 1; }
	case $_fs_r in
	ok) return 0 ;;
	*"
ok") printf '%s\n' "${_fs_r%"
ok"}"; return 0 ;;
	*) printf '%s\n' "$_fs_r" >&2; return 1 ;;
	esac
}

# h_fakesvc CMD...: the same, failing the test on an error.
h_fakesvc() {
	h_fakesvc_try "$@" || h_fail "fakesvc: $* failed"
}

# h_fakesvc_port NAME: the port NAME listens on (also after PORT 0).
h_fakesvc_port() {
	_fp_s=$(h_fakesvc_try status "$1") || h_fail "fakesvc: no server $1"
	set -- $_fp_s
	echo "$3"
}

# ---- rrdcached -------------------------------------------------------------

# h_rrdcached CMD: one command on the rrdcached socket; prints the reply.
h_rrdcached() {
	printf '%s\n' "$*" | "$H_FAKESVC_BIN" -x "$H_RRDCACHED_SOCK" -w 5000
}

h__rrdcached_ready() {
	h_rrdcached STATS | grep -q 'Statistics follow'
}

# h_start_rrdcached: rrdcached on $H_TMP/rrdcached.sock, base dir
# $H_TMP/rrd (-B), journal in $H_TMP/rrdjournal, flush on exit (-F).
# Exports H_RRDCACHED (unix:PATH, for --daemon) H_RRDCACHED_SOCK
# H_RRDCACHED_PID H_RRD_DIR.
h_start_rrdcached() {
	h__need_init
	H_RRD_DIR=$H_TMP/rrd H_RRDCACHED_SOCK=$H_TMP/rrdcached.sock
	mkdir -p "$H_RRD_DIR" "$H_TMP/rrdjournal"
	h__spawn rrdcached "$H_TMP/rrdcached.log" rrdcached -g -F \
		-l "unix:$H_RRDCACHED_SOCK" -b "$H_RRD_DIR" -B \
		-j "$H_TMP/rrdjournal" -p "$H_TMP/rrdcached.pid"
	H_RRDCACHED_PID=$H_BG_PID H_RRDCACHED=unix:$H_RRDCACHED_SOCK
	h_wait_until -p "$H_RRDCACHED_PID" "$H_READY_SECS" "rrdcached STATS" h__rrdcached_ready
	export H_RRDCACHED H_RRDCACHED_SOCK H_RRD_DIR
	h_log "rrdcached pid $H_RRDCACHED_PID on $H_RRDCACHED"
}

# ---- Chromium --------------------------------------------------------------

# h_chromium_check: the test fails at once when Chromium is missing.
h_chromium_check() {
	H__CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
		h_fail "chromium not found (make deps)"
}

# h_chromium ARGS...: Debian's chromium headless, without a sandbox (the
# tests run as root) and without network of its own (no background
# updates, sync or component downloads): only what ARGS ask for.
h_chromium() {
	[ -n "${H__CHROMIUM:-}" ] || h_chromium_check
	_hc_profile=$(mktemp -d "$H_TMP/chrome.XXXXXX")
	timeout -k 5 "${H_CHROME_SECS:-90}" "$H__CHROMIUM" --headless \
		--no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --disable-default-apps --disable-extensions \
		--no-default-browser-check --user-data-dir="$_hc_profile" "$@" \
		2>>"$H_TMP/chromium.log"
}
