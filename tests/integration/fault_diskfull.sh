#!/bin/sh
# fault_diskfull.sh — full disks under the files greendot writes, twice
# over.  Three small tmpfs (root only; skipped otherwise): the monitor's
# DATA (state.xml, journal, RRD files), the agent's state file (-s) and
# the site greendot-render writes.  While they are full a server goes
# down (or up again):
#   - the monitor logs the failed journal append and state.xml write
#     (once, not every cycle); state.xml and the journal stay exactly as
#     they were (the append is cut back); no temporary file is left;
#   - the agent logs the failed save; its state file stays as it was;
#   - greendot-render fails with a message; the old page stays;
# and once space returns:
#   - the monitor writes the journal records it kept (none lost) and the
#     new state.xml, and says so; the agent writes its state file within
#     a second or two; greendot-render writes the new page.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/fault.sh"
f_private_mounts
. "$TOP/tests/lib/monitor_lib.sh"
h_init fault_diskfull

ASTATE=$H_TMP/astate SITE=$H_TMP/site
f_mount_tmpfs "$H_TMP/data" 4m && f_mount_tmpfs "$ASTATE" 256k &&
	f_mount_tmpfs "$SITE" 2m || f_skip "cannot mount a tmpfs (not root?)"

# the agent keeps its state on its own small disk
m_start_agent() {
	h_bg agent "$M_BIN/greendot-agent" -f -c "$H_TMP/gd.xml" \
		-x "$H_AGENTX" -s "$ASTATE/agent.state" -Lf "$H_TMP/agent.log"
	M_AGENT_PID=$H_BG_PID
}
m_start_world
MP=$(h_free_port udp)
m_bg_monitor mon --interval 1 --trap-listen "udp:127.0.0.1:$MP"
MON=$M_MONITOR_PID
rrds() { find "$M_DATA/rrd" -name '*.rrd' | wc -l; }
ready() {
	[ -f "$M_DATA/state.xml" ] && [ "$(rrds)" -eq 7 ] && [ -f "$ASTATE/agent.state" ]
}
h_wait_until -p "$MON" 15 "state.xml, 7 RRD files and the agent's state" ready
render() {
	"$M_BIN/greendot-render" --data "$M_DATA" --out "$SITE" \
		--server-graphs none -L e "$@"
}
h_assert render
h_assert test -s "$SITE/index.html"

count() { grep -c "$2" "$H_TMP/$1.log" || true; }
logged() { [ "$(count "$1" "$2")" -gt "$3" ]; }
mail1_is() {	# WORD: mail1's status in state.xml
	grep -q "<server id=\"mail1\".* status=\"$1\"" "$M_DATA/state.xml"
}
astate_is() { grep -q "^server mail1 [0-9]* $1 " "$ASTATE/agent.state"; }

episodes=2 injected=0 survived=0 failed_renders=0
TRAPS=40
PAD=$(printf '%0250d' 0)
# every notification of episode E (named eE-K) in the journal
notifs() {
	awk -F '\t' -v e="e$1-" '$2 == "notification" && index($4, e) == 1' \
		"$M_DATA/journal" | wc -l
}
e=0
while [ $e -lt $episodes ]; do
	e=$((e + 1))
	if [ $((e % 2)) -eq 1 ]; then want=down; else want=up; fi
	h_log "== episode $e: disks full, mail1 goes $want"
	# the journal and the page as they are; state.xml and the agent's
	# state once a write has failed on the full disk (below): the
	# daemons save every second, and one may finish while dd fills
	for f in "$M_DATA/journal" "$SITE/index.html"; do
		cp "$f" "$H_TMP/$(basename "$f").before"
	done
	j_err=$(count mon 'journal: cannot append')
	s_err=$(count mon 'state.xml: No space left')
	a_err=$(count agent 'cannot write the state file')
	f_fill "$M_DATA"
	f_fill "$ASTATE"
	f_fill "$SITE"
	if [ $want = down ]; then h_fakesvc stop mail1; else h_fakesvc start mail1; fi
	# a journal append fails only when it needs a new page of the
	# tmpfs: 40 notifications of 300 bytes each (12 KB) make sure of it
	k=0
	while [ $k -lt $TRAPS ]; do
		k=$((k + 1))
		snmptrap -v2c -c "$H_COMMUNITY" "127.0.0.1:$MP" '' \
			.1.3.6.1.4.1.32473.1.0.1 .1.3.6.1.4.1.32473.1.1.4.1.2.9 s "e$e-$k" \
			.1.3.6.1.4.1.32473.1.1.4.1.15.9 s "$PAD"
	done
	h_wait_until -p "$MON" 10 "the failed journal append logged" \
		logged mon 'journal: cannot append' "$j_err"
	h_wait_until -p "$MON" 10 "the failed state.xml write logged" \
		logged mon 'state.xml: No space left' "$s_err"
	h_wait_until -p "$M_AGENT_PID" 10 "the agent's failed save logged" \
		logged agent 'cannot write the state file' "$a_err"
	f_topup "$M_DATA"
	f_topup "$ASTATE"
	for f in "$M_DATA/state.xml" "$ASTATE/agent.state"; do
		cp "$f" "$H_TMP/$(basename "$f").before"
	done
	rc=0
	render 2>"$H_TMP/render.err" || rc=$?
	[ $rc -ne 0 ] || h_fail "greendot-render on a full disk: exit 0"
	failed_renders=$((failed_renders + 1))
	h_log "render on a full disk: exit $rc: $(head -n 1 "$H_TMP/render.err")"
	# a few more cycles on the full disk: nothing new in the log
	f_after 3
	h_assert h_alive "$MON"
	h_assert h_alive "$M_AGENT_PID"
	for f in "$M_DATA/state.xml" "$ASTATE/agent.state" "$SITE/index.html"; do
		cmp -s "$f" "$H_TMP/$(basename "$f").before" ||
			h_fail "$f changed on a full disk"
	done
	# the journal: what was there, then whole records (those that fit
	# before the disk was full), nothing torn
	cmp -s -n "$(stat -c %s "$H_TMP/journal.before")" "$H_TMP/journal.before" \
		"$M_DATA/journal" || h_fail "the journal's old records changed"
	jc=$(f_journal_check "$M_DATA/journal") || h_fail "journal: $jc"
	set -- $jc
	h_assert_eq "$4 $6" "0 0" "bad records and torn tail on the full disk"
	h_log "journal on the full disk: $jc"

	f_state_valid "$M_DATA/state.xml" || h_fail "state.xml not valid"
	h_assert_eq "$(f_temps "$M_DATA")$(f_temps "$ASTATE")$(f_temps "$SITE")" \
		000 "temporary files left on the full disks"
	lines=$(( $(count mon 'journal: cannot append') - j_err +
		  $(count mon 'state.xml: No space left') - s_err +
		  $(count agent 'cannot write the state file') - a_err ))
	h_log "full for 3+ s: old files intact; $lines error lines logged"
	[ $lines -le 4 ] || h_fail "$lines error lines: an error storm"
	injected=$((injected + 4))

	f_unfill "$M_DATA"
	f_unfill "$ASTATE"
	f_unfill "$SITE"
	h_wait_until -p "$MON" 10 "the journal written again" \
		logged mon 'journal: writing again' $((e - 1))
	h_wait_until -p "$MON" 10 "state.xml written again" mail1_is "$want"
	h_wait_until -p "$M_AGENT_PID" 5 "the agent's state written again" \
		astate_is "$want"
	h_assert m_has_record poll server mail1 "$want"
	h_wait_until -p "$MON" 5 "the $TRAPS notifications in the journal" \
		f_eq $TRAPS notifs $e
	h_assert m_has_record poll group mail "$want"
	jc=$(f_journal_check "$M_DATA/journal") || h_fail "journal: $jc"
	h_assert render
	cmp -s "$SITE/index.html" "$H_TMP/index.html.before" &&
		h_fail "the page did not change after the disk was freed"
	h_assert grep -q 'written again' "$H_TMP/agent.log"
	survived=$((survived + 4))
	h_log "freed: journal ($jc), state.xml, agent state and page written"
done
delayed=$(sed -n 's/.*journal: writing again; \([0-9]*\) delayed.*/\1/p' "$H_TMP/mon.log" |
	awk '{ s += $1 } END { print s + 0 }')
h_log "journal records delayed by the full disk and written after: $delayed"
f_summary disk_full "$injected" "$survived" 0 \
	"episodes=$episodes targets=state.xml,journal,agent-state,site journal_records_delayed=$delayed failed_renders=$failed_renders"
h_log "fault_diskfull: ok"
