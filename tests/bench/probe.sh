#!/bin/sh
# tests/bench/probe.sh — scenario 2 of `make bench` (probe engine).
#
# 10,000 loopback endpoints (BENCH_PROBE_N): of every 50, one silent
# (accepts and says nothing: an smtp check of it times out), nine
# refusing (on an address where nothing listens), forty open (tcp and
# smtp in turn), served by fakesvc on the benchmark's private address.
# Timeout 1 s on both sides (check_tcp takes whole seconds only).
#
#   greendot  one full probe cycle of the agent's probe engine
#             (tests/probe-driver: the engine and event loop the agent
#             runs; -k 1: until each server has its first result), with
#             the shortest interval the timeout allows, 1.05 s: checks
#             spread over 1.05 s, the last silent ones time out up to
#             1 s later; wall time of the whole process, config load
#             included;
#   peer      monitoring-plugins' check_tcp per endpoint (smtp ones with
#             -e 220 -q QUIT, as the agent reads the greeting and says
#             QUIT) through `xargs -P 2`, on the first BENCH_PROBE_SAMPLE
#             endpoints (default 500, the same mix), scaled linearly to
#             all of them: a full run would take about two minutes.
#
# Also the engine's sustained rate: probe-driver -n 8 with every server
# due every 0.25 s (40,000 checks/s offered; timeout 0.2 s), against the
# goal of 20,000 probes/s (reported; the floor is the ratio, 30x).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
. "$TOP/tests/bench/lib.sh"
b_init probe

N=${BENCH_PROBE_N:-10000}
SAMPLE=${BENCH_PROBE_SAMPLE:-500}
BASE=20000
TIMEOUT=1
DRIVER=$H_BUILD/tests/probe-driver
CHECK_TCP=${CHECK_TCP:-/usr/lib/nagios/plugins/check_tcp}
FLOOR=30
GOAL=20000

[ -x "$DRIVER" ] || h_fail "$DRIVER missing (make all-tests)"
[ -x "$CHECK_TCP" ] || h_fail "$CHECK_TCP missing (monitoring-plugins-basic)"
nofile=$(ulimit -n)
[ "$nofile" = unlimited ] || [ "$nofile" -ge $(( N + 1000 )) ] ||
	h_fail "descriptor limit $nofile too low for $N endpoints"

# endpoint i: "KIND HOST PORT": r = i mod 50: 0 silent, 1-9 refusing,
# else tcp (even) or smtp (odd)
awk -v n="$N" -v a="$B_ADDR" -v x="$B_NOBODY" -v b=$BASE 'BEGIN {
	for (i = 0; i < n; i++) {
		r = i % 50
		if (r == 0) print "silent", a, b + i
		else if (r < 10) print "tcp", x, b + i
		else print (i % 2 ? "smtp" : "tcp"), a, b + i
	} }' >"$H_TMP/endpoints"
awk '$2 != "'"$B_NOBODY"'" { printf "e%d=%s:%d\n", NR, $1, $3 }' \
	"$H_TMP/endpoints" >"$H_TMP/fakesvc.spec"
h_start_fakesvc -a "$B_ADDR" -f "$H_TMP/fakesvc.spec"

config() {	# FILE INTERVAL TIMEOUT
	awk -v iv="$2" -v to="$3" 'BEGIN {
		print "<greendot title=\"probe bench\">"
		printf "<defaults interval=\"%s\" timeout=\"%s\" rise=\"1\" fall=\"1\"/>\n", iv, to
		print "<area id=\"a\" title=\"A\" colour=\"blue\"><group id=\"g\" title=\"G\">"
	}
	{ printf "<server id=\"e%d\" host=\"%s\" port=\"%d\" probe=\"%s\"/>\n", NR, $2, $3,
		$1 == "silent" ? "smtp" : $1 }
	END { print "</group></area></greendot>" }' "$H_TMP/endpoints" >"$1"
}
config "$H_TMP/cycle.xml" 1.05 $TIMEOUT
config "$H_TMP/rate.xml" 0.25 0.2

# ---- greendot: one cycle -----------------------------------------------------
cycle() {
	_cy_t0=$(b_now)
	"$DRIVER" -c "$H_TMP/cycle.xml" -k 1 -q -t 60 >"$H_TMP/cycle.txt" 2>>"$H_TMP/driver.log" ||
		h_fail "probe-driver cycle: exit $? ($(tail -n 1 "$H_TMP/cycle.txt"))"
	_cy_t=$(b_since "$_cy_t0")
	h_log "cycle: $_cy_t s: $(tail -n 1 "$H_TMP/cycle.txt")" >&2
	echo "$_cy_t"
}
# The right results, once: every silent one timed out, every refusing
# one refused, every open one ok.
"$DRIVER" -c "$H_TMP/cycle.xml" -k 1 -t 60 >"$H_TMP/check.txt" 2>>"$H_TMP/driver.log" ||
	h_fail "probe-driver: exit $?"
awk 'NR == FNR { kind[NR] = $1; host[NR] = $2; next }
	$1 ~ /^e[0-9]+$/ && !seen[$1]++ { i = substr($1, 2) + 0
		want = kind[i] == "silent" ? "fail" : host[i] == "'"$B_NOBODY"'" ? "fail" : "ok"
		if ($2 != want) bad++; n++ }
	END { printf "%d results, %d wrong\n", n, bad; exit !(n == '"$N"' && bad == 0) }' \
	"$H_TMP/endpoints" "$H_TMP/check.txt" >"$H_TMP/check.sum" ||
	h_fail "probe results: $(cat "$H_TMP/check.sum")"
h_log "results right: $(cat "$H_TMP/check.sum")"

# ---- the peer: check_tcp through xargs -P 2 ------------------------------------
head -n "$SAMPLE" "$H_TMP/endpoints" | awk -v t=$TIMEOUT '{
	printf "-H %s -p %d -t %d", $2, $3, t
	if ($1 != "tcp") printf " -e 220 -q QUIT"
	printf "\n" }' >"$H_TMP/check_tcp.args"
peer() {
	_pe_t0=$(b_now)
	xargs -P 2 -L 1 "$CHECK_TCP" <"$H_TMP/check_tcp.args" >"$H_TMP/peer.txt" 2>&1 || :
	_pe_t=$(b_since "$_pe_t0")
	h_log "check_tcp x $SAMPLE: $_pe_t s ($(grep -c '^TCP OK' "$H_TMP/peer.txt") ok)" >&2
	awk -v t="$_pe_t" -v n="$N" -v s="$SAMPLE" 'BEGIN { printf "%.4f\n", t * n / s }'
}

gd_times= peer_times= i=0
while [ $i -lt $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	g=$(cycle)
	p=$(peer)
	if [ $i -ge "$BENCH_WARMUP" ]; then
		gd_times="$gd_times $g" peer_times="$peer_times $p"
	fi
	i=$(( i + 1 ))
done
# shellcheck disable=SC2086
gd=$(b_median $gd_times)
# shellcheck disable=SC2086
pe=$(b_median $peer_times)
ok_peer=$(grep -c '^TCP OK' "$H_TMP/peer.txt")
b_row probe "probe cycle, $N endpoints (2% silent, 18% refusing)" \
	"$(b_fmt_s "$gd")" "$(b_fmt_s "$pe")" "$(b_ratio "$pe" "$gd")" $FLOOR \
	"peer: check_tcp -t $TIMEOUT, xargs -P 2, on $SAMPLE endpoints ($ok_peer ok) x $(( N / SAMPLE ))"

# ---- sustained rate -------------------------------------------------------------
# Checks done per second, those that never got a socket ("not started
# within ...": the engine behind its schedule) not counted; and the
# engine's CPU per check, which a busy machine changes less than the rate.
rates= cpus= i=0
while [ $i -lt $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	"$DRIVER" -c "$H_TMP/rate.xml" -n 8 >"$H_TMP/rate.txt" 2>>"$H_TMP/driver.log" ||
		h_fail "probe-driver -n 8: exit $?"
	s=$(tail -n 1 "$H_TMP/rate.txt")
	h_log "rate: $s"
	set -- $(awk '$1 == "summary:" { for (i = 1; i < NF; i++) {
			if ($i == "elapsed") t = $(i + 1)
			if ($i == "cpu") c = $(i + 1) } next }
		$2 == "ok" || ($2 == "fail" && $4 != "not") { n++ }
		END { printf "%.0f %.9f\n", n / t, c / n }' "$H_TMP/rate.txt")
	h_log "rate: $1 checks/s done, $(b_fmt_us "$2") CPU per check"
	if [ $i -ge "$BENCH_WARMUP" ]; then
		rates="$rates $1" cpus="$cpus $2"
	fi
	i=$(( i + 1 ))
done
# shellcheck disable=SC2086
rate=$(b_median $rates)
# shellcheck disable=SC2086
cpu=$(b_median $cpus)
b_row probe "probe engine, sustained (40,000 checks/s offered)" \
	"$(printf '%.0f probes/s' "$rate")" - - - \
	"goal $GOAL probes/s: $(awk -v r="$rate" -v g=$GOAL 'BEGIN { print (r >= g ? "met" : "not met") }'); engine CPU $(b_fmt_us "$cpu") per check ($(awk -v c="$cpu" 'BEGIN { printf "%.0f", 1 / c }')/s per core)"
h_log "probe: done"
