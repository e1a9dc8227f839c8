#!/bin/sh
# tests/bench/poll.sh — scenario 3 of `make bench` (poll and store) and
# a row of scenario 6 (the monitor's memory while it writes RRD files).
#
# The world: greendot-agent with 10,000 tcp servers (1,000 groups, 100
# services) at interval 10 s, every one up, behind a private snmpd.
#
#   greendot  `greendot-monitor --once` (16 requests in flight): polls
#             every table, writes 11,100 RRD files (one update each),
#             state.xml and the journal; wall time of the process,
#             RRD files written directly and through rrdcached;
#   peer      the chain an operator would script for the RRDs alone:
#             one `snmpbulkwalk -Cr50` per needed column (names, oper and
#             admin status, latency of servers; name, status and members
#             up of groups; name and status of services: 43,200
#             varbinds), joined by awk into one `rrdtool update FILE
#             T:V[:V]` per file, run by sh.  The walks and the join run
#             in full; the updates on a sample of 500 files (450 server,
#             45 group, 5 service: the same mix), scaled to 11,100:
#             all of them (5 ms each, a fork) would take a minute a run.
#
# A file takes one update per 60 s step and the monitor skips samples not
# newer than a file's last; so that every run updates every file without
# waiting a real minute, run k sees the clock k steps ahead
# (build/bench/shim.so, LD_PRELOAD) and the peer writes step k.  A first
# run creates the files of each data directory, with fsync turned off by
# the same shim (11,100 files, two fsyncs each: 60-90 s here, and not
# what is measured); the next run is the warm-up.
#
# Also the client CPU per varbind (the monitor's user + system time over
# the varbinds it fetched; snmpbulkwalk's over the peer's) and the
# monitor's peak RSS.
set -u
. "${TOP:-.}/tests/lib/harness.sh"
. "$TOP/tests/bench/lib.sh"
b_init poll

N=${BENCH_POLL_N:-10000}
SAMPLE=500
FLOOR=20
MONITOR=$H_BUILD/bin/greendot-monitor
SHIFT_LIB=$H_BUILD/bench/shim.so
H_READY_SECS=60

[ -x "$MONITOR" ] || h_fail "$MONITOR missing (make)"
[ -f "$SHIFT_LIB" ] || h_fail "$SHIFT_LIB missing (make bench builds it)"

b_world 5000
b_start_agent "$N" 10 3
NFILES=$(( N + N / 10 + N / 100 ))
PEER=udp:127.0.0.1:$H_SNMPD_PORT
# every run's steps: the step of now, then one more per run
STEP0=$(( $(date +%s) / 60 * 60 ))

# ---- greendot -------------------------------------------------------------------
# monitor K DATA [--rrdcached ADDR]: run K (clock K steps ahead); sets
# M_WALL M_CPU M_RSS (KiB) M_VBS
monitor() {
	_mo_k=$1 _mo_data=$2
	shift 2
	: >"$H_TMP/monitor.log"
	GD_BENCH_TIME_SHIFT=$(( _mo_k * 60 )) GD_BENCH_NO_FSYNC=${NO_FSYNC:-0} \
		LD_PRELOAD=$SHIFT_LIB \
		"$B_TIME" -o "$H_TMP/time" \
		"$MONITOR" --once -Lf "$H_TMP/monitor.log" --inflight 16 "$@" \
		-v2c -c "$H_COMMUNITY" -t 5 -r 1 --data "$_mo_data" "$PEER" ||
		h_fail "greendot-monitor --once failed: $(tail -n 3 "$H_TMP/monitor.log")"
	read -r M_WALL _mo_u _mo_s M_RSS <"$H_TMP/time"
	M_CPU=$(awk -v u="$_mo_u" -v s="$_mo_s" 'BEGIN { print u + s }')
	M_VBS=$(sed -n 's/.* cycle done in .* \([0-9]*\) varbinds.*/\1/p' "$H_TMP/monitor.log")
	h_log "monitor run $_mo_k $*: $M_WALL s, CPU $M_CPU s, $M_VBS varbinds, RSS $M_RSS KiB"
	grep -q 'error' "$H_TMP/monitor.log" &&
		h_log "monitor errors: $(grep -c error "$H_TMP/monitor.log")"
	cat "$H_TMP/monitor.log" >>"$H_TMP/monitor-all.log"
}

# ---- the peer ---------------------------------------------------------------------
COLS="4.1.2 4.1.8 4.1.9 4.1.12 3.1.2 3.1.5 3.1.6 5.1.2 5.1.4"

# Walks every column (one file each); PEER_WALK (s), PEER_WALK_CPU (s),
# PEER_VBS.
peer_walks() {
	_pw_t0=$(b_now)
	"$B_TIME" -o "$H_TMP/peer.time" sh -c '
		for c in '"$COLS"'; do
			env MIBS= snmpbulkwalk -v2c -c "$1" -Cr50 -On -Oq -t 60 -r 0 \
				"$2" "$3.$c" >"$4/col.$c" || exit 1
		done' - "$H_COMMUNITY" "127.0.0.1:$H_SNMPD_PORT" "$B_GD" "$H_TMP" ||
		h_fail "the peer's walks failed"
	PEER_WALK=$(b_since "$_pw_t0")
	read -r _ _pw_u _pw_s _ <"$H_TMP/peer.time"
	PEER_WALK_CPU=$(awk -v u="$_pw_u" -v s="$_pw_s" 'BEGIN { print u + s }')
	PEER_VBS=$(cat "$H_TMP"/col.* | wc -l)
}

# Joins the columns into rrdtool update commands for step T, one a line,
# for the files under DIR; PEER_JOIN (s).
peer_join() {	# T DIR
	_pj_t0=$(b_now)
	awk -v t="$1" -v dir="$2" '
	function idx(oid,   n, a) { n = split(oid, a, "."); return a[n] }
	function col(oid,   n, a) { n = split(oid, a, "."); return a[n - 1] }
	function tab(oid,   n, a) { n = split(oid, a, "."); return a[n - 3] }
	{ v = $2; gsub(/"/, "", v); k = tab($1) "." col($1); val[k, idx($1)] = v
	  if (col($1) == 2) { name[tab($1), idx($1)] = v; rows[tab($1)] = rows[tab($1)] " " idx($1) } }
	END {
		n = split(rows[4], r, " ")
		for (i = 1; i <= n; i++) {
			x = r[i]; o = val["4.8", x]; a = val["4.9", x]
			up = a != 1 ? "U" : o == 1 ? 1 : o == 2 ? 0 : "U"
			lat = up == 1 ? val["4.12", x] / 1e6 : "U"
			printf "update %s/server/%s.rrd %d:%s:%s\n", dir, name[4, x], t, up, lat
		}
		n = split(rows[3], r, " ")
		for (i = 1; i <= n; i++) {
			x = r[i]; s = val["3.5", x]
			up = s <= 2 ? 1 : s == 3 ? 0 : "U"
			printf "update %s/group/%s.rrd %d:%s:%s\n", dir, name[3, x], t, up, up == "U" ? "U" : val["3.6", x]
		}
		n = split(rows[5], r, " ")
		for (i = 1; i <= n; i++) {
			x = r[i]; s = val["5.4", x]
			printf "update %s/service/%s.rrd %d:%s\n", dir, name[5, x], t, s <= 2 ? 1 : s == 3 ? 0 : "U"
		}
	}' "$H_TMP"/col.* >"$H_TMP/updates"
	PEER_JOIN=$(b_since "$_pj_t0")
	[ "$(wc -l <"$H_TMP/updates")" = "$NFILES" ] ||
		h_fail "the peer's join made $(wc -l <"$H_TMP/updates") updates, wanted $NFILES"
}

# The sample: 450 server, 45 group, 5 service files of the monitor's,
# copied (their last update is step 0).
peer_sample() {
	mkdir -p "$H_TMP/peer/server" "$H_TMP/peer/group" "$H_TMP/peer/service"
	for _ps in server:$(( SAMPLE * 90 / 100 )) group:$(( SAMPLE * 9 / 100 )) \
	    service:$(( SAMPLE / 100 )); do
		grep "/${_ps%%:*}/" "$H_TMP/updates" | head -n "${_ps#*:}"
	done >"$H_TMP/sample.updates"
	sed 's,^update \([^ ]*\) .*,\1,' "$H_TMP/sample.updates" | while read -r _ps_f; do
		cp "$H_TMP/direct/rrd/${_ps_f#"$H_TMP/peer/"}" "$_ps_f"
	done
}

# One process per file, as `rrdtool update FILE T:V` from a script.
peer_updates() {	# T: PEER_UPD, PEER_UPD_CPU (s, for the sample)
	sed "s/ [0-9]*:/ $1:/; s,^update,rrdtool update," "$H_TMP/sample.updates" \
		>"$H_TMP/sample.sh"
	_pu_t0=$(b_now)
	"$B_TIME" -o "$H_TMP/upd.time" sh -e "$H_TMP/sample.sh" \
		>"$H_TMP/peer-rrdtool.log" 2>&1 ||
		h_fail "rrdtool update: $(tail -n 2 "$H_TMP/peer-rrdtool.log")"
	PEER_UPD=$(b_since "$_pu_t0")
	read -r _ _pu_u _pu_s _ <"$H_TMP/upd.time"
	PEER_UPD_CPU=$(awk -v u="$_pu_u" -v s="$_pu_s" 'BEGIN { print u + s }')
}

# ---- runs ---------------------------------------------------------------------------
# The files: run 0 of each data directory, fsync off, before rrdcached
# starts (it is to know nothing of them).
mkdir -p "$H_TMP/direct"
NO_FSYNC=1 monitor 0 "$H_TMP/direct"
NO_FSYNC=1 monitor 0 "$H_TMP"
for d in "$H_TMP/direct" "$H_TMP"; do
	[ "$(find "$d/rrd" -name '*.rrd' | wc -l)" = "$NFILES" ] ||
		h_fail "the monitor wrote $(find "$d/rrd" -name '*.rrd' | wc -l) files in $d, wanted $NFILES"
done
h_start_rrdcached
peer_walks
peer_join $(( STEP0 + 60 )) "$H_TMP/peer"
peer_sample

direct= cached= cpu= cpuvb= rss= peer= peer_cpu= peer_cpuvb= k=1
while [ $k -le $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	monitor $k "$H_TMP/direct"
	w_direct=$M_WALL c_direct=$M_CPU rss_direct=$M_RSS
	vb=$(awk -v c="$M_CPU" -v n="$M_VBS" 'BEGIN { printf "%.9f", c / n }')
	monitor $k "$H_TMP" --rrdcached "$H_RRDCACHED"
	w_cached=$M_WALL
	peer_walks
	peer_join $(( STEP0 + k * 60 )) "$H_TMP/peer"
	peer_updates $(( STEP0 + k * 60 ))
	p=$(awk -v w="$PEER_WALK" -v j="$PEER_JOIN" -v u="$PEER_UPD" -v n="$NFILES" \
		-v s="$SAMPLE" 'BEGIN { printf "%.4f", w + j + u * n / s }')
	pc=$(awk -v w="$PEER_WALK_CPU" -v j="$PEER_JOIN" -v u="$PEER_UPD_CPU" -v n="$NFILES" \
		-v s="$SAMPLE" 'BEGIN { printf "%.4f", w + j + u * n / s }')
	pvb=$(awk -v c="$PEER_WALK_CPU" -v n="$PEER_VBS" 'BEGIN { printf "%.9f", c / n }')
	h_log "peer: walks $PEER_WALK s ($PEER_VBS varbinds), join $PEER_JOIN s, $SAMPLE updates $PEER_UPD s: $p s for $NFILES files, CPU $pc s"
	if [ $k -gt "$BENCH_WARMUP" ]; then
		direct="$direct $w_direct" cached="$cached $w_cached" cpu="$cpu $c_direct"
		cpuvb="$cpuvb $vb" rss="$rss $rss_direct" peer="$peer $p"
		peer_cpu="$peer_cpu $pc" peer_cpuvb="$peer_cpuvb $pvb"
	fi
	k=$(( k + 1 ))
done
# (the rrdcached of this test flushes what it holds when it is stopped)

# shellcheck disable=SC2086
{
	direct=$(b_median $direct) cached=$(b_median $cached) peer=$(b_median $peer)
	cpu=$(b_median $cpu) peer_cpu=$(b_median $peer_cpu)
	cpuvb=$(b_median $cpuvb) peer_cpuvb=$(b_median $peer_cpuvb)
	rss=$(b_median $rss)
}
b_row poll "poll and store, $N servers, RRDs direct" "$(b_fmt_s "$direct")" \
	"$(b_fmt_s "$peer")" "$(b_ratio "$peer" "$direct")" $FLOOR \
	"peer: snmpbulkwalk x 9 columns + rrdtool update x $NFILES ($SAMPLE measured, scaled); greendot also writes state.xml and the journal"
b_row poll "poll and store, $N servers, through rrdcached" "$(b_fmt_s "$cached")" \
	"$(b_fmt_s "$peer")" "$(b_ratio "$peer" "$cached")" $FLOOR \
	"same peer"
b_row poll "client CPU per cycle, RRDs direct" "$(b_fmt_s "$cpu")" "$(b_fmt_s "$peer_cpu")" \
	"$(b_ratio "$peer_cpu" "$cpu")" - \
	"user+sys: the monitor; the peer's walks, join and updates (scaled)"
b_row poll "client CPU per varbind" "$(b_fmt_us "$cpuvb")" "$(b_fmt_us "$peer_cpuvb")" \
	"$(b_ratio "$peer_cpuvb" "$cpuvb")" - \
	"greendot: the monitor's CPU over its $M_VBS varbinds (every column; RRD, state and journal writes included); peer: snmpbulkwalk's over $PEER_VBS"
b_row memory "greendot-monitor peak RSS, $N servers, writing RRDs" "$(( rss / 1024 )) MiB" - - - \
	"the runs of scenario 3: --once restoring state.xml, polling, updating 11,100 RRD files directly"
h_log "poll: done"
