#!/bin/sh
# fault_rrdcached.sh — rrdcached (with its journal, -j, and -F) stopped
# twice under a running greendot-monitor --rrdcached, each time with a
# step it had acknowledged ("0 errors") still in its cache, not yet in
# the files:
#   1. SIGKILL, and kept down across the next step.  rrdcached 1.7.2
#      writes its journal through a stdio buffer it flushes only when the
#      buffer fills, so the acknowledged updates usually die with it (0 of
#      7 had reached its journal file in every run so far).  The monitor
#      keeps what rrdcached acknowledged (monitor/rrdw.h); on the new
#      connection it asks LAST and sends again what is missing: before
#      anything is flushed, the restarted rrdcached holds every update
#      acknowledged before the kill, exactly as sent, and the step the
#      monitor could not send while it was away; the monitor says how many
#      it sent again;
#   2. SIGTERM: rrdcached -F writes what it holds before it exits; the
#      monitor finds nothing missing on the new connection and says so.
# At the end every update acknowledged before either stop is in the RRD
# files (rrdtool fetch: row t holds the update at t, values as sent):
# lost=0 for both (a lost update followed by one with the same values
# leaves the same file: the exact check is rrdcached's cache after the
# restart); nothing was sent twice ("illegal attempt to update" in
# no log); the outage cost a few log lines (no error per file and cycle)
# and the monitor never stopped polling.
# rrdw.sh covers the writer alone with a TERM (flush on exit).
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/monitor_lib.sh"
. "$TOP/tests/lib/fault.sh"
h_init fault_rrdcached

h_start_rrdcached
m_start_world
M_DATA=$H_TMP		# rrdcached's -b is $H_TMP/rrd
m_bg_monitor mon --interval 1 --rrdcached "$H_RRDCACHED"
MON=$M_MONITOR_PID
FILES=$(for id in $M_SERVERS; do echo server/$id; done
	for id in $M_GROUPS; do echo group/$id; done
	for id in $M_SERVICES; do echo service/$id; done)
NFILES=$(echo "$FILES" | wc -l)
ACKED=$H_TMP/acked
mkdir -p "$ACKED"

rrd() { realpath "$H_RRD_DIR/$1.rrd"; }
# The helpers below never make rrdcached flush: PENDING and LAST do not
# (rrdtool lastupdate/fetch --daemon do).
pending() {	# FILE: the updates rrdcached holds for it, "t:v[:v]" a line
	h_rrdcached "PENDING $(rrd "$1")" | grep '^[0-9]*:' || true
}
last_daemon() {	# FILE: its last update as rrdcached knows it
	h_rrdcached "LAST $(rrd "$1")" | sed -n 's/^0 \([0-9]*\)$/\1/p'
}
last_disk() {	# FILE: its last update in the file itself
	rrdtool lastupdate "$H_RRD_DIR/$1.rrd" 2>/dev/null | sed -n 's/^\([0-9]*\):.*/\1/p'
}
all_at() {	# STEP: every file's last update (rrdcached's view) is STEP
	for f in $FILES; do
		[ "$(last_daemon "$f")" = "$1" ] || return 1
	done
}
all_pending() {	# STEP: every file has an update for STEP in rrdcached's cache
	for f in $FILES; do
		pending "$f" | grep -q "^$1:" || return 1
	done
}
behind() {	# STEP: how many files do not have STEP on disk
	_bh=0
	for f in $FILES; do
		[ "$(last_disk "$f")" -lt "$1" ] && _bh=$((_bh + 1))
	done
	echo $_bh
}
# ROUND: what rrdcached acknowledged and holds in its cache, per file
# ($ACKED/ROUND.<kind>_<id>); prints how many updates in all
record_acked() {
	for f in $FILES; do
		pending "$f" >"$ACKED/$1.$(echo "$f" | tr / _)"
	done
	cat "$ACKED/$1".* | wc -l
}
# ROUND: how many of its acknowledged updates rrdcached does not hold now
missing_in_cache() {
	_mc=0
	for f in $FILES; do
		pending "$f" >"$H_TMP/pending"
		_n=$(grep -cvxF -f "$H_TMP/pending" "$ACKED/$1.$(echo "$f" | tr / _)" || true)
		[ "$_n" -gt 0 ] && echo "$f: $_n acknowledged updates missing" >&2
		_mc=$((_mc + _n))
	done
	echo $_mc
}
# FILE ACKED_LIST: how many of the updates in the list are not in the
# file as sent (rrdtool fetch: row t holds the update at t; U is nan)
not_in_rrd() {
	[ -s "$2" ] || { echo 0; return; }
	_lo=$(cut -d: -f1 "$2" | sort -n | head -n 1)
	_hi=$(cut -d: -f1 "$2" | sort -n | tail -n 1)
	rrdtool fetch --daemon "$H_RRDCACHED" "$H_RRD_DIR/$1.rrd" AVERAGE -r 60 \
		-s $((_lo - 60)) -e "$_hi" >"$H_TMP/fetch.out" 2>&1 ||
		h_fail "rrdtool fetch $1: $(cat "$H_TMP/fetch.out")"
	awk -v acked="$2" -v file="$1" '
		function abs(x) { return x < 0 ? -x : x }
		BEGIN { while ((getline l <acked) > 0) { split(l, a, ":"); want[a[1]] = l } }
		/^[0-9]+:/ { t = $1; sub(/:$/, "", t); row[t] = $0 }
		END {
			bad = 0
			for (t in want) {
				n = split(want[t], a, ":")
				ok = (t in row)
				if (ok)
					split(row[t], r, " ")
				for (i = 2; ok && i <= n; i++)
					if (a[i] == "U")
						ok = (r[i] ~ /nan/)
					else
						ok = (r[i] !~ /nan/) &&
						     (abs(r[i] - a[i]) <= 1e-6 * abs(a[i]) + 1e-12)
				if (!ok) {
					got = (t in row) ? row[t] : "no row"
					print file ": sent " want[t] ", file has " got >"/dev/stderr"
					bad++
				}
			}
			print bad
		}' "$H_TMP/fetch.out"
}
# ROUND: acknowledged updates of that round missing from the RRD files
lost_in_rrds() {
	_lr=0
	for f in $FILES; do
		_n=$(not_in_rrd "$f" "$ACKED/$1.$(echo "$f" | tr / _)")
		_lr=$((_lr + _n))
	done
	echo $_lr
}
resent_logged() {	# the number of samples the last resync sent again
	_rs=$(grep 'rrd: rrdcached .*: new connection' "$H_TMP/mon.log" | tail -n 1 |
		sed -n 's/.*new connection; \([0-9]*\) samples.*/\1/p')
	echo "${_rs:-0}"
}
resyncs() { grep -c 'rrd: rrdcached .*: new connection' "$H_TMP/mon.log"; }
updates() { h_rrdcached STATS | sed -n 's/^UpdatesReceived: //p'; }

h_wait_until -p "$MON" 15 "the first updates through rrdcached" \
	f_ge "$NFILES" updates

# --- 1. SIGKILL ---------------------------------------------------------------
# T: a step rrdcached acknowledged for every file, with 10 s left before
# the next one (so that the kill lands inside it)
T=$(( $(f_now) / 60 * 60 ))
if [ $(( $(f_now) - T )) -gt 50 ]; then
	T=$((T + 60))
	f_after $(( T - $(f_now) ))
fi
h_wait_until -p "$MON" 10 "step $T of every file pending in rrdcached" \
	all_pending $T
# rrdcached writes a file every -w (300 s): the step is in its cache and
# its journal's buffer, not yet in the files
b=$(behind $T)
h_log "step $T acknowledged; $b of $NFILES files do not have it on disk yet"
h_assert_eq "$b" "$NFILES" "files without the step on disk before the kill"
acked1=$(record_acked kill)
# which of those updates are in rrdcached's journal file, on disk
journaled=$(cat "$H_TMP"/rrdjournal/* 2>/dev/null | grep -c "^update .* $T:" || true)
h_log "$acked1 updates acknowledged and not on disk; $journaled of the" \
	"$NFILES of step $T in rrdcached's journal file"
kill -KILL "$H_RRDCACHED_PID"
gone() { ! h_alive "$H_RRDCACHED_PID"; }
h_wait_until 5 "rrdcached's death" gone
h_log "rrdcached killed"
l0=$(grep -c 'rrd:' "$H_TMP/mon.log")
# the next step: the monitor tries to send it, fails, keeps it
T2=$((T + 60))
f_after $(( T2 - $(f_now) ))
h_wait_until -p "$MON" 10 "the monitor's failed flush logged" \
	f_ge $((l0 + 1)) grep -c 'rrd:' "$H_TMP/mon.log"
f_after 3	# three more cycles without rrdcached
h_assert h_alive "$MON"
lines=$(( $(grep -c 'rrd:' "$H_TMP/mon.log") - l0 ))
h_log "monitor while rrdcached was away: $lines log lines"
grep 'rrd:' "$H_TMP/mon.log" | tail -n "$lines" | head -n 3
[ "$lines" -le 3 ] || h_fail "$lines lines for one outage: an error storm"

h_start_rrdcached		# replays what reached its journal file
h_wait_until -p "$MON" 10 "'writing again' logged" \
	grep -q 'rrd: rrdcached .*: writing again' "$H_TMP/mon.log"
grep 'rrd: rrdcached .*: new connection' "$H_TMP/mon.log" | tail -n 1
resent1=$(resent_logged)
# before anything flushes: rrdcached's cache holds every acknowledged
# update again (replayed or sent again) and the step the monitor kept
missing1=$(missing_in_cache kill)
for f in $FILES; do
	pending "$f" | grep -q "^$T2:" || h_fail "$f: step $T2 not sent after the restart"
done
h_log "after the restart: $((acked1 - missing1)) of $acked1 acknowledged" \
	"updates in rrdcached again ($resent1 sent again by the monitor)"
h_assert_eq "$missing1" 0 "acknowledged updates rrdcached lost for good"
h_wait_until -p "$MON" 10 "every file at step $T2" all_at $T2

# --- 2. SIGTERM -----------------------------------------------------------------
acked2=$(record_acked term)
b=$(behind $T2)
h_log "$acked2 updates acknowledged, $b of $NFILES files without step $T2 on disk"
r0=$(resyncs)
h_stop "$H_RRDCACHED_PID"	# TERM: -F writes what it holds
b=$(behind $T2)
h_log "rrdcached stopped (TERM); $b of $NFILES files without step $T2 on disk"
h_assert_eq "$b" 0 "files without step $T2 on disk after a TERM with -F"
h_start_rrdcached
h_wait_until -p "$MON" 10 "the monitor's new connection" \
	f_ge $((r0 + 1)) resyncs
grep 'rrd: rrdcached .*: new connection' "$H_TMP/mon.log" | tail -n 1
resent2=$(resent_logged)
h_assert_eq "$resent2" 0 "samples sent again after a graceful restart"

# --- every acknowledged update in the files ---------------------------------
lost1=$(lost_in_rrds kill)
lost2=$(lost_in_rrds term)
h_log "in the RRD files: $((acked1 - lost1)) of $acked1 acknowledged before" \
	"the kill, $((acked2 - lost2)) of $acked2 before the TERM"
h_assert_eq "$lost1" 0 "acknowledged updates lost by the SIGKILL"
h_assert_eq "$lost2" 0 "acknowledged updates lost by the TERM"
if grep -i 'illegal attempt' "$H_TMP/mon.log" "$H_TMP/rrdcached.log"; then
	h_fail "an update was sent twice"
fi
h_assert h_alive "$MON"
f_summary rrdcached_sigkill 1 1 "$lost1" \
	"files=$NFILES acknowledged=$acked1 in_journal_file=$journaled resent=$resent1 queued_step_sent=$NFILES/$NFILES log_lines=$lines"
f_summary rrdcached_sigterm 1 1 "$lost2" \
	"files=$NFILES acknowledged=$acked2 on_disk_after_stop=$NFILES/$NFILES resent=$resent2"
h_log "fault_rrdcached: ok"
