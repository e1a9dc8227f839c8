#!/bin/sh
# monitor_trap.sh — greendot-monitor as a daemon with --trap-listen:
#   1. a fakesvc server stopped: the agent's notification is journaled
#      (source notification) and the re-poll it triggers journals the
#      transition (source poll) within 1 s of it, measured from the
#      journal's own times; the state file and the site follow;
#   2. a notification from outside greendot (coldStart), one of ours
#      without the object's name, and one with a wrong community are
#      counted and logged, and the monitor goes on; one of ours from a
#      host no agent is polled on is journaled with that host;
#   3. SIGHUP reopens the log; SIGTERM exits cleanly (status 0).
set -eu
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
h_init monitor_trap

MP=$(h_free_port udp)
m_start_world "trap2sink 127.0.0.1:$MP $H_COMMUNITY"
SITE=$H_TMP/site
m_bg_monitor mon --interval 30 --trap-listen "udp:127.0.0.1:$MP" \
	--render-to "$SITE"
MON=$M_MONITOR_PID
h_wait_until -p "$MON" 10 "the first state file" test -f "$M_DATA/state.xml"

# ---- 1. a notification and its re-poll -----------------------------------
h_fakesvc stop web2
h_wait_until -p "$MON" 10 "gdServerDown in the journal" \
	m_has_record notification notification web2 gdServerDown
h_wait_until -p "$MON" 10 "the re-poll's transition in the journal" \
	m_has_record poll server web2 down
t_n=$(m_journal_time notification notification web2 gdServerDown)
t_p=$(m_journal_time poll server web2 down)
h_log "notification at $t_n, re-poll transition at $t_p"
h_assert awk -v n="$t_n" -v p="$t_p" 'BEGIN { exit !(p >= n && p - n < 1.0) }'
h_assert m_has_record poll group web degraded
h_assert m_has_record notification notification web gdGroupFailover
h_wait_until -p "$MON" 5 "web2 down in the state file" \
	grep -q 'id="web2".*status="down"' "$M_DATA/state.xml"
if [ -x "$M_BIN/greendot-render" ]; then
	h_wait_until -p "$MON" 10 "the site rendered" test -f "$SITE/status.json"
	h_wait_until -p "$MON" 10 "web2 down on the site" \
		grep -q '"down"' "$SITE/status.json"
fi

# ---- 2. what is not ours -------------------------------------------------
snmptrap -v2c -c "$H_COMMUNITY" "127.0.0.1:$MP" '' .1.3.6.1.6.3.1.1.5.1
snmptrap -v2c -c "$H_COMMUNITY" "127.0.0.1:$MP" '' .1.3.6.1.4.1.32473.1.0.1
snmptrap -v2c -c wrong "127.0.0.1:$MP" '' .1.3.6.1.4.1.32473.1.0.1
h_wait_until -p "$MON" 5 "the wrong community refused" \
	grep -q 'refused: wrong community' "$H_TMP/mon.log"
h_assert grep -q 'not a greendot notification: .1.3.6.1.6.3.1.1.5.1' \
	"$H_TMP/mon.log"
h_assert grep -q 'malformed: .1.3.6.1.4.1.32473.1.0.1' "$H_TMP/mon.log"
snmptrap --clientaddr=127.0.0.2 -v2c -c "$H_COMMUNITY" "127.0.0.1:$MP" '' \
	.1.3.6.1.4.1.32473.1.0.2 .1.3.6.1.4.1.32473.1.1.4.1.2.9 s elsewhere
h_wait_until -p "$MON" 5 "the stranger's notification journaled" \
	m_has_record notification notification elsewhere gdServerUp
h_assert grep -q 'from 127.0.0.2 matches no polled agent' "$H_TMP/mon.log"
h_assert_eq "$(awk -F '\t' '$4 == "elsewhere" && $7 == "127.0.0.2"' \
	"$M_DATA/journal" | wc -l)" 1 "journaled with the sender's address"
h_assert h_alive "$MON"
h_fakesvc start web2
h_wait_until -p "$MON" 10 "web2 up again" m_has_record poll server web2 up

# ---- 3. signals ----------------------------------------------------------
mv "$H_TMP/mon.log" "$H_TMP/mon.log.1"
kill -HUP "$MON"
h_wait_until -p "$MON" 5 "a new log after SIGHUP" test -s "$H_TMP/mon.log"
kill -TERM "$MON"
rc=0
wait "$MON" || rc=$?
h_assert_eq "$rc" 0 "exit status after SIGTERM"
h_assert grep -q 'signal 15: exiting' "$H_TMP/mon.log"
h_assert xmllint --noout --relaxng common/state.rng "$M_DATA/state.xml"
h_log "monitor_trap: all checks passed"
