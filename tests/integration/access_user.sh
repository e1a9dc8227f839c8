#!/bin/sh
# access_user.sh — the daemons drop root: greendot-agent -u nobody and
# greendot-monitor --user nobody (as root only; skipped otherwise).
#
#   agent:   connects to a master whose AgentX socket only root may use
#            (0660 root), then runs as nobody: every uid and gid in
#            /proc/PID/status is nobody's, no supplementary group is
#            root's; it still serves the MIB, probes, takes an authPriv
#            SET, writes its state file (owned by nobody, 0600) and
#            reloads its config on SIGHUP.
#   monitor: binds its notification port below 1024 as root, then runs as
#            nobody: ids as above; state.xml, journal, RRD files and the
#            site its renderer child writes are nobody's; a notification
#            still arrives on the privileged port and is journaled.
#   both:    an unknown user is refused at once (exit 1), nothing started.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"

if [ "$(id -u)" != 0 ]; then
	echo "access_user: SKIP: needs root (setuid to nobody)"
	exit 0
fi
NOBODY=$(id -u nobody 2>/dev/null) || { echo "access_user: SKIP: no user nobody"; exit 0; }
NOGROUP=$(id -g nobody)
h_init access_user

# nobody may pass through $H_TMP (0700) to a folder of its own
chmod 711 "$H_TMP"
OWN=$H_TMP/nobody
mkdir "$OWN"
chown nobody "$OWN"

# /proc/PID/status: every uid (real, effective, saved, fs) and gid nobody's
ids_are_nobody() {	# PID WHAT
	_st=/proc/$1/status
	h_assert_eq "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "$_st")" \
		"$NOBODY $NOBODY $NOBODY $NOBODY" "$2: uids"
	h_assert_eq "$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "$_st")" \
		"$NOGROUP $NOGROUP $NOGROUP $NOGROUP" "$2: gids"
	for _g in $(awk '$1 == "Groups:" { $1 = ""; print }' "$_st"); do
		[ "$_g" = 0 ] && h_fail "$2: still in group root"
	done
	h_log "$2 (pid $1) runs as nobody: $(grep -E '^(Uid|Gid|Groups):' "$_st" | tr '\n\t' '  ')"
}

owned_by_nobody() {	# PATH...
	for _p in "$@"; do
		[ "$(stat -c %u "$_p")" = "$NOBODY" ] ||
			h_fail "$_p: owner $(stat -c %U "$_p"), not nobody"
	done
}

# A free UDP port below 1024, for the monitor's notifications.
priv_port() {
	_pp=$(( 600 + $(od -An -N2 -tu2 /dev/urandom) % 400 ))
	while [ -n "$(ss -Hanu "sport = :$_pp" 2>/dev/null)" ]; do
		_pp=$(( _pp + 1 ))
		[ $_pp -lt 1024 ] || h_fail "no free UDP port below 1024"
	done
	echo "$_pp"
}

# --- unknown users ------------------------------------------------------------
ag_aluminati
for cmd in "$AG_BIN -f -u gd-no-such-user -c $AG_CONFIG -Ln" \
	"$H_BUILD/bin/greendot-monitor --user gd-no-such-user -f --data $OWN/x udp:127.0.0.1:1"; do
	# shellcheck disable=SC2086 # the words of cmd
	if $cmd >"$H_TMP/unknown.out" 2>&1; then
		h_fail "$cmd: started"
	fi
	h_assert_contains "$(cat "$H_TMP/unknown.out")" "no such user" "$cmd"
done
h_assert_fails test -e "$OWN/x"
h_log "unknown users refused"

# --- the agent ------------------------------------------------------------------
TRAP_PORT=$(priv_port)
H_SNMPD_EXTRA="trap2sink 127.0.0.1:$TRAP_PORT $H_COMMUNITY"
h_start_snmpd
h_assert_eq "$(stat -c '%a %U' "$H_AGENTX")" "660 root" "the AgentX socket is root's"
ag_start_fakesvc
ag_start -u nobody -s "$OWN/agent.state" -P "$H_TMP/agent.pid"
# it serves as soon as it is connected: the drop follows
h_wait_until -p "$AG_PID" 10 "the agent to drop root" \
	grep -q "running as user nobody" "$H_TMP/agent.log"
ids_are_nobody "$AG_PID" greendot-agent

av1=$(ag_index server av1)
av1_up() { [ "$(ag_value gdServerOperStatus "$av1")" = up ]; }
h_wait_until 10 "av1 probed up by the agent as nobody" av1_up
h_snmp3 snmpset "GREENDOT-MIB::gdServerAdminStatus.$av1" i 2 >"$H_TMP/set.out" 2>&1 ||
	h_fail "v3 SET: $(cat "$H_TMP/set.out")"
has_override() { grep -q "^server av1 $av1 .* maintenance " "$OWN/agent.state"; }
h_wait_until 5 "the override in the state file" has_override
owned_by_nobody "$OWN/agent.state"
h_assert_eq "$(stat -c %a "$OWN/agent.state")" 600 "agent state file mode"
h_assert_eq "$(stat -c %U "$H_TMP/agent.pid")" root "pid file, written before"
# SIGHUP: the config read again, as nobody (it is 0644 in a 0711 folder)
kill -HUP "$AG_PID"
reloaded() { grep -q "aluminati.xml loaded" "$H_TMP/agent.log"; }
h_wait_until 5 "the reload as nobody" reloaded
h_assert h_alive "$AG_PID"
h_log "agent: probes, SET, state file and reload as nobody"

# --- the monitor ----------------------------------------------------------------
DATA=$OWN/data SITE=$OWN/site
h_bg monitor "$H_BUILD/bin/greendot-monitor" -f -Lf "$H_TMP/monitor.log" \
	--user nobody --interval 1 --trap-listen "udp:127.0.0.1:$TRAP_PORT" \
	--render-to "$SITE" --data "$DATA" -v2c -c "$H_COMMUNITY" -t 2 -r 2 \
	"udp:127.0.0.1:$H_SNMPD_PORT"
MON=$H_BG_PID
site_done() { [ -f "$SITE/status.json" ] && [ -f "$SITE/index.html" ]; }
h_wait_until -p "$MON" 30 "the site rendered" site_done
ids_are_nobody "$MON" greendot-monitor
h_assert_eq "$(ss -Hanu "sport = :$TRAP_PORT" | wc -l)" 1 \
	"the monitor listens on udp port $TRAP_PORT"
owned_by_nobody "$DATA" "$DATA/state.xml" "$DATA/journal" "$SITE" \
	"$SITE/status.json" "$SITE/index.html"
an_rrd() { rrd=$(find "$DATA" -name '*.rrd' | head -1); [ -n "$rrd" ]; }
h_wait_until -p "$MON" 30 "an RRD file in $DATA" an_rrd
an_rrd
owned_by_nobody "$rrd"

# a notification on the privileged port, after the drop
h_fakesvc stop av2
journaled() {
	awk -F '\t' '$2 == "notification" && $4 == "av2" && $6 == "gdServerDown"' \
		"$DATA/journal" | grep -q .
}
h_wait_until -p "$MON" 10 "gdServerDown for av2 journaled" journaled
h_log "access_user: ok"
