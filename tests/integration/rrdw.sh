#!/bin/sh
# rrdw.sh — the RRD writer through a real rrdcached.
#
#   1. rrdw-bench writes N server files x M steps through rrdcached (the
#      harness starts it with -b DATA/rrd -B, a journal and -F); a file
#      mid-run already has its updates (rrdtool lastupdate --daemon);
#   2. rrdcached is stopped mid-run (TERM: it writes what it holds, -F),
#      stays down for a few flushes, and is started again; the writer
#      keeps what it could not send and sends it after: every step of
#      every file is there (rrdtool fetch --daemon, values tell the steps
#      apart), nothing twice ("illegal attempt to update" in no log), and
#      the writer said so in a few lines, not one per file, one of them
#      that the restarted rrdcached missed nothing it had acknowledged
#      (fault_rrdcached.sh kills it instead);
#   3. the files have the layout's step and no temporary file is left;
#   4. DATA outside rrdcached's -b is refused, with the hint to fix -b.
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
h_init rrdw

BENCH=$H_BUILD/tests/rrdw-bench
N=40		# files
M=40		# steps, one flush each
PAUSE=150	# ms between flushes
STOP_AT=10	# step after which rrdcached goes away
DOWN_FLUSHES=3	# flushes that fail before it comes back

[ -x "$BENCH" ] || h_fail "$BENCH missing (make rrdw-bench)"
for t in rrdcached rrdtool; do
	command -v $t >/dev/null 2>&1 || h_fail "$t not found (make deps)"
done

h_start_rrdcached
DATA=$H_TMP		# DATA/rrd is rrdcached's -b
T0=$(( $(date +%s) / 60 * 60 - 60 * (M + 1) ))
TEND=$(( T0 + 60 * (M - 1) ))
file() { printf '%s/rrd/server/b%06d.rrd' "$DATA" "$1"; }

# step_done I: the bench has flushed step I
step_done() { grep -q "^step $1 " "$H_TMP/bench.log"; }
# failed_flushes: how many flushes said some files failed
failed_flushes() { grep -c 'failed [1-9]' "$H_TMP/bench.log"; }
down_long_enough() { [ "$(failed_flushes)" -ge $DOWN_FLUSHES ]; }
bench_done() { ! h_alive "$BENCH_PID"; }

# --- 1. writing through rrdcached ----------------------------------------
h_log "== $N files x $M steps through $H_RRDCACHED, from $T0"
h_bg bench "$BENCH" -a "$H_RRDCACHED" -n $N -m $M -t $T0 -p $PAUSE "$DATA"
BENCH_PID=$H_BG_PID
h_wait_until -p "$BENCH_PID" 60 "step $STOP_AT" step_done $STOP_AT
last=$(rrdtool lastupdate --daemon "$H_RRDCACHED" "$(file 0)" | tail -n 1)
t=${last%%:*}
[ "$t" -ge $(( T0 + 60 * STOP_AT )) ] ||
	h_fail "lastupdate --daemon of $(file 0): '$last', want >= $(( T0 + 60 * STOP_AT ))"
h_log "ok: mid-run lastupdate --daemon: $last"

# --- 2. rrdcached restarted mid-run ----------------------------------------
h_log "== rrdcached stopped after step $STOP_AT"
h_stop rrdcached
h_wait_until -p "$BENCH_PID" 30 "$DOWN_FLUSHES failed flushes" down_long_enough
h_start_rrdcached
h_wait_until 60 "the bench to finish" bench_done
rc=0
wait "$BENCH_PID" || rc=$?
summary=$(grep '^summary:' "$H_TMP/bench.log")
h_log "bench: $summary"
h_assert_eq "$rc" 0 "rrdw-bench exit status (every sample written once)"
h_assert_contains "$summary" "written $((N * M)) skipped 0" "bench summary"

bad=0
for i in $(seq 0 $((N - 1))); do
	rrdtool fetch --daemon "$H_RRDCACHED" "$(file "$i")" AVERAGE -r 60 \
		-s $((T0 - 60)) -e $TEND >"$H_TMP/fetch.out" 2>&1 ||
		h_fail "rrdtool fetch $(file "$i"): $(cat "$H_TMP/fetch.out")"
	# row t holds the update at t: latency = its step number
	awk -v t0=$T0 -v m=$M '
		/^[0-9]+:/ {
			i = (($1 + 0) - t0) / 60
			if (i < 0 || i >= m) next
			if ($3 ~ /nan/ || $3 + 0 != i) { print "step " i ": " $0; bad = 1 }
			seen++
		}
		END { if (seen != m) print seen " steps of " m; exit bad || seen != m }
	' "$H_TMP/fetch.out" || { bad=$((bad + 1)); echo "in $(file "$i")"; }
done
[ $bad -eq 0 ] || h_fail "$bad files miss steps"
h_log "ok: $N files have all $M steps"

last=$(rrdtool lastupdate --daemon "$H_RRDCACHED" "$(file $((N - 1)))" | tail -n 1)
h_assert_eq "$last" "$TEND: $(( (M - 1) % 2 )) $((M - 1))" "last update of $(file $((N - 1)))"

for log in "$H_TMP/bench.log" "$H_TMP/rrdcached.log"; do
	if grep -i 'illegal attempt' "$log"; then
		h_fail "an update was sent twice ($log)"
	fi
done
# the outage, the new connection's check and the recovery; not the
# writer's start ("rrd: writing DATA/rrd through ...")
lines=$(grep 'rrd:' "$H_TMP/bench.log" | grep -vc 'rrd: writing /')
h_log "writer log while rrdcached was away: $lines lines"
grep 'rrd:' "$H_TMP/bench.log" | grep -v 'rrd: writing /' | head -n 5
[ "$lines" -le 5 ] || h_fail "$lines log lines for one restart (one per file?)"
h_assert_contains "$(cat "$H_TMP/bench.log")" "writing again" "recovery logged"
# TERM: rrdcached -F wrote all it had acknowledged, nothing to send again
h_assert_contains "$(cat "$H_TMP/bench.log")" \
	"new connection; nothing it had acknowledged is missing" \
	"the new connection's check"

# --- 3. the files --------------------------------------------------------------
h_assert_contains "$(rrdtool info "$(file 0)")" "step = 60" "rrdtool info step"
left=$(find "$DATA/rrd" -name '*.tmp.*' | wc -l)
h_assert_eq "$left" 0 "temporary files left"
h_log "ok: step 60, no temporary left"

# --- 4. DATA outside rrdcached's -b -----------------------------------------
mkdir -p "$H_TMP/elsewhere"
rc=0
"$BENCH" -q -a "$H_RRDCACHED" -n 2 -m 2 -t $T0 "$H_TMP/elsewhere" \
	>"$H_TMP/elsewhere.out" 2>&1 || rc=$?
h_assert_eq "$rc" 1 "rrdw-bench outside -b"
h_assert_contains "$(cat "$H_TMP/elsewhere.out")" "with -b covering DATA/rrd" \
	"hint for -B"
h_log "ok: outside -b: refused with the hint"

h_log "rrdw: all checks passed"
