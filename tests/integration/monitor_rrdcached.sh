#!/bin/sh
# monitor_rrdcached.sh — the runs of monitor_once.sh and monitor_trap.sh
# with every RRD write through rrdcached:
#   1. --once --rrdcached creates every RRD file of the contract, and
#      `rrdtool lastupdate --daemon` holds what the MIB showed; rrdcached
#      counts the updates it received;
#   2. RRDCACHED_ADDRESS does the same as --rrdcached;
#   3. as a daemon with --trap-listen: a stopped server's notification
#      and its re-poll are journaled within 1 s of each other.
set -eu
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
h_init monitor_rrdcached

MP=$(h_free_port udp)
h_start_rrdcached
m_start_world "trap2sink 127.0.0.1:$MP $H_COMMUNITY"
# rrdcached serves $H_RRD_DIR = $H_TMP/rrd: the data folder is $H_TMP
M_DATA=$H_TMP

updates() {
	h_rrdcached STATS | sed -n 's/^UpdatesReceived: //p'
}

# ---- 1. --once through rrdcached ------------------------------------------
h_assert_eq "$(updates)" 0 "no update before"
h_assert m_monitor --once --rrdcached "$H_RRDCACHED"
h_assert_eq "$(find "$H_RRD_DIR" -name '*.rrd' | wc -l)" 7 "7 RRD files"
h_assert_eq "$(updates)" 7 "rrdcached received one update per file"
for id in $M_SERVERS; do
	set -- $(m_lastupdate --daemon "$H_RRDCACHED" "$H_RRD_DIR/server/$id.rrd")
	h_assert_eq "$2" "$(m_status 4 8 "$id")" "$id: up 1 = oper up(1)"
done
for id in $M_GROUPS; do
	set -- $(m_lastupdate --daemon "$H_RRDCACHED" "$H_RRD_DIR/group/$id.rrd")
	h_assert_eq "$2" 1 "$id.rrd up"
	h_assert_eq "$3" "$(m_status 3 6 "$id")" "$id.rrd members"
done
for id in $M_SERVICES; do
	set -- $(m_lastupdate --daemon "$H_RRDCACHED" "$H_RRD_DIR/service/$id.rrd")
	h_assert_eq "$2" 1 "$id.rrd up"
done

# ---- 2. RRDCACHED_ADDRESS -------------------------------------------------
# the same step: rrdw skips what is not newer, rrdcached sees no new
# update but is asked (the log says where the writes go)
RRDCACHED_ADDRESS=$H_RRDCACHED m_monitor --once -Lf "$H_TMP/env.log"
h_assert grep -q "$H_RRDCACHED_SOCK" "$H_TMP/env.log"

# ---- 3. the daemon --------------------------------------------------------
m_bg_monitor mon --interval 30 --trap-listen "udp:127.0.0.1:$MP" \
	--rrdcached "$H_RRDCACHED"
MON=$M_MONITOR_PID
h_wait_until -p "$MON" 10 "the first cycle" grep -q 'polling 1 agent' \
	"$H_TMP/mon.log"
h_fakesvc stop mail1
h_wait_until -p "$MON" 10 "gdServerDown in the journal" \
	m_has_record notification notification mail1 gdServerDown
h_wait_until -p "$MON" 10 "the re-poll's transition" \
	m_has_record poll server mail1 down
t_n=$(m_journal_time notification notification mail1 gdServerDown)
t_p=$(m_journal_time poll server mail1 down)
h_log "notification at $t_n, re-poll transition at $t_p"
h_assert awk -v n="$t_n" -v p="$t_p" 'BEGIN { exit !(p >= n && p - n < 1.0) }'
h_assert h_alive "$MON"
h_log "monitor_rrdcached: all checks passed"
