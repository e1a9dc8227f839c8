#!/bin/sh
# probe.sh — the probe engine (probe-driver) against fakesvc.
#
#   1. two servers of every probe kind (tcp smtp ftp pop3 imap http mysql),
#      an http server expected to answer 404, a silent one and a
#      heartbeat: every one ok (the silent one times out, the heartbeat is
#      ok with -H and fails without);
#   2. fakesvc answers wrong, hangs, drips byte by byte, then stops on
#      the first server of each kind: those fail with their protocol's
#      error (or stay ok, byte by byte), the second of each kind stays ok;
#   3. 10,000 servers (open, refusing and silent): the first result of
#      each is right (with a timeout of 3 s, generous on a busy machine);
#      then probed every 0.5 s and 0.4 s (20,000 and 25,000 checks/s
#      offered), the rate and CPU are reported.  PROBE_BENCH_N servers.
#      Only with PROBE_BENCH=1 (make bench) is a rate asserted, so that a
#      busy machine cannot fail make check: PROBE_BENCH_MIN probes/s, or
#      90% of the offered rate when lower (default 5000, a floor that
#      catches a serialised engine on a busy machine; the goal on a quiet
#      one is 20,000).  Skipped when the descriptor limit cannot hold
#      fakesvc's listeners.
#
# fakesvc plays every server on $H_ADDR, the test's own address, so that
# no other process takes a port it uses, stopped or not.
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -u
. "${TOP:-.}/tests/lib/harness.sh"
h_init probe

DRIVER=$H_BUILD/tests/probe-driver
BENCH=${PROBE_BENCH:-0}
BENCH_N=${PROBE_BENCH_N:-10000}
BENCH_MIN=${PROBE_BENCH_MIN:-5000}
KINDS="tcp smtp ftp pop3 imap http mysql"

[ -x "$DRIVER" ] || h_fail "$DRIVER missing (make all-tests)"

# mkconfig FILE INTERVAL TIMEOUT [HOST [REFUSING-HOST]] < "NAME PROTO PORT
# ..." lines (fakesvc status): one server per line on HOST ($H_ADDR),
# silent ones probed as smtp, servers named notfound* expected to answer
# 404, servers named x* looked for on REFUSING-HOST, where nothing
# listens on that port, and a heartbeat server "backup".
mkconfig() {
	awk -v iv="$2" -v to="$3" -v h="${4:-$H_ADDR}" -v rh="${5:-}" '
	BEGIN {
		print "<greendot title=\"probe test\">"
		printf "<defaults interval=\"%s\" timeout=\"%s\" rise=\"1\" fall=\"1\"/>\n", iv, to
		print "<area id=\"a\" title=\"A\" colour=\"blue\"><group id=\"g\" title=\"G\">"
	}
	NF >= 3 && $3 ~ /^[0-9]+$/ {
		p = $2; x = ""
		if (p == "silent") p = "smtp"
		if (p == "http")
			x = sprintf(" path=\"/health\" expect=\"%d\"", $1 ~ /^notfound/ ? 404 : 200)
		host = $1 ~ /^x/ ? rh : h
		printf "<server id=\"%s\" host=\"%s\" port=\"%s\" probe=\"%s\"%s/>\n", $1, host, $3, p, x
	}
	END {
		print "<server id=\"backup\" probe=\"heartbeat\" max-age=\"60\"/>"
		print "</group></area></greendot>"
	}' >"$1"
}

# probe NAME DRIVER-ARGS...: runs the driver, results in $H_TMP/NAME.out
# as "ID ok" or "ID fail ERROR" (latency dropped).
probe() {
	_pr_name=$1
	shift
	"$DRIVER" "$@" >"$H_TMP/$_pr_name.raw" 2>"$H_TMP/$_pr_name.log" ||
		h_fail "probe-driver $*: exit $? ($(tail -n 1 "$H_TMP/$_pr_name.raw"))"
	awk '$1 != "summary:" { id = $1; v = $2; $1 = $2 = $3 = ""; sub(/^ +/, "")
		print id, v ($0 != "" ? " " $0 : "") }' \
		"$H_TMP/$_pr_name.raw" >"$H_TMP/$_pr_name.out"
}

# expect NAME ID "RESULT" ["OR RESULT"]: every result of ID in NAME.out is
# one of those.
expect() {
	_ex_got=$(awk -v id="$2" '$1 == id { $1 = ""; sub(/^ /, ""); print }' \
		"$H_TMP/$1.out" | sort -u)
	[ -n "$_ex_got" ] || h_fail "$1: no result for $2"
	_ex_bad=$(printf '%s\n' "$_ex_got" |
		awk -v a="$3" -v b="${4:-$3}" '$0 != a && $0 != b')
	[ -z "$_ex_bad" ] ||
		h_fail "$1: $2: got '$_ex_bad', expected '$3'${4:+ or '$4'}"
}

# ---- 1. every kind ok ------------------------------------------------------

specs="silent=silent:0 notfound=http:0:404"
for k in $KINDS; do specs="$specs ${k}1=$k:0 ${k}2=$k:0"; done
# shellcheck disable=SC2086
h_start_fakesvc $specs
h_assert_eq "$H_FAKESVC_ADDR" "$H_ADDR" "fakesvc's address"
h_fakesvc status >"$H_TMP/status"
mkconfig "$H_TMP/probe.xml" 1 0.8 <"$H_TMP/status"

h_log "1. every kind against a normal server"
probe normal -c "$H_TMP/probe.xml" -k 2 -H backup
for k in $KINDS; do
	expect normal ${k}1 ok
	expect normal ${k}2 ok
done
expect normal notfound ok
expect normal silent "fail timeout after 0.8 s waiting for greeting"
expect normal backup ok
probe nobeat -c "$H_TMP/probe.xml" -k 1
expect nobeat backup "fail no heartbeat received"
probe badbeat -c "$H_TMP/probe.xml" -k 1 -H backup:3
expect badbeat backup "fail last heartbeat reported failure (status 3)"

# ---- 2. one of each kind misbehaves, the other stays ok --------------------

firsts=""
for k in $KINDS; do firsts="$firsts ${k}1"; done

# seconds NAME: the second server of each kind is still ok
seconds() {
	for k in $KINDS; do expect "$1" ${k}2 ok; done
}

h_log "2a. wrong answers"
h_fakesvc wrong $firsts
probe wrong -c "$H_TMP/probe.xml" -k 1 -H backup
expect wrong smtp1 "fail unexpected greeting: 554 no service"
expect wrong ftp1 "fail unexpected greeting: 554 no service"
expect wrong pop31 "fail unexpected greeting: -ERR fakesvc POP3 unavailable"
expect wrong imap1 "fail unexpected greeting: * BYE fakesvc IMAP4rev1 unavailable"
expect wrong http1 "fail HTTP status 503 Service Unavailable, expected 200"
expect wrong mysql1 "fail MySQL error 1040: Too many connections"
# fakesvc resets a tcp connection once accepted; a tcp probe judges the
# handshake, which may be done before the reset comes
expect wrong tcp1 ok "fail connection reset by peer"
seconds wrong

h_log "2b. servers that accept and say nothing"
h_fakesvc normal $firsts
h_fakesvc hang $firsts
probe hang -c "$H_TMP/probe.xml" -k 1 -H backup
for k in smtp ftp pop3 imap; do
	expect hang ${k}1 "fail timeout after 0.8 s waiting for greeting"
done
expect hang http1 "fail timeout after 0.8 s waiting for HTTP status line"
expect hang mysql1 "fail timeout after 0.8 s waiting for MySQL handshake"
expect hang tcp1 ok
seconds hang

h_log "2c. answers byte by byte (1 ms apart)"
h_fakesvc normal $firsts
h_fakesvc slow $firsts 1
probe slow -c "$H_TMP/probe.xml" -k 1 -H backup
for k in $KINDS; do expect slow ${k}1 ok; done
seconds slow

h_log "2d. stopped servers"
h_fakesvc normal $firsts
h_fakesvc stop $firsts	# refused; fakesvc keeps the ports
probe stop -c "$H_TMP/probe.xml" -k 1 -H backup
for k in $KINDS; do expect stop ${k}1 "fail connection refused"; done
seconds stop

h_stop fakesvc

# ---- 3. 10,000 servers -----------------------------------------------------

nofile=$(ulimit -Hn)
if [ "$nofile" != unlimited ] && [ "$nofile" -lt $(( BENCH_N + 2000 )) ]; then
	h_log "3. skipped: descriptor limit $nofile < $BENCH_N + 2000"
	exit 0
fi
h_log "3. $BENCH_N servers: 70% open, 15% refusing, 15% silent"
# Given ports in a row on the test's own address ($H_ADDR): the kernel's
# search for port 0 slows as thousands are taken, and on an address of
# its own no search among the ports other tests hold is needed.  i mod 20
# < 14 open (s, the kinds in turn), < 17 silent (s), else refusing (x:
# looked for on $H_NET.2, where nothing listens).
base=$(h_server_port "$BENCH_N")
awk -v n="$BENCH_N" -v kinds="$KINDS" -v base="$base" 'BEGIN { nk = split(kinds, k, " ")
	for (i = 0; i < n; i++) {
		r = i % 20
		printf "%s%05d=%s:%d\n", r < 17 ? "s" : "x", i,
			r < 14 ? k[i % nk + 1] : (r < 17 ? "silent" : "tcp"), base + i
	} }' >"$H_TMP/bench.spec"
h_start_fakesvc -f "$H_TMP/bench.spec"
h_assert_eq "$H_FAKESVC_ADDR" "$H_ADDR" "fakesvc's address"
h_fakesvc status >"$H_TMP/bench.status"
# right first: a timeout generous enough for a machine others load too,
# and a deadline for the whole cycle more generous still
mkconfig "$H_TMP/bench.xml" 4 3 "$H_ADDR" "$H_NET.2" <"$H_TMP/bench.status"
probe first -c "$H_TMP/bench.xml" -k 1 -H backup -t 120
awk '!seen[$1]++ && $1 ~ /^[sx][0-9]/ {
		r = (substr($1, 2) + 0) % 20
		want = r < 14 ? "ok" : r < 17 ? "fail timeout after 3 s waiting for greeting" \
			: "fail connection refused"
		$1 = ""; sub(/^ /, "")
		if ($0 != want) { bad++; if (bad < 5) print "wrong result: " $0 " (wanted " want ")" }
		n++
	}
	END { printf "first results: %d, wrong: %d\n", n, bad; exit !(n == '"$BENCH_N"' && bad == 0) }' \
	"$H_TMP/first.out" || h_fail "$BENCH_N-server cycle: results wrong or missing"

# The engine keeps up with what the schedule offers (N / interval), up
# to its capacity; -q: the summary line only.  The figures are printed;
# only a benchmark run asserts a rate.
for iv in 0.5 0.4; do
	mkconfig "$H_TMP/rate.xml" $iv 0.3 "$H_ADDR" "$H_NET.2" <"$H_TMP/bench.status"
	"$DRIVER" -c "$H_TMP/rate.xml" -q -n 8 >"$H_TMP/rate.out" 2>>"$H_TMP/rate.log" ||
		h_fail "probe-driver -n 8: exit $?"
	summary=$(tail -n 1 "$H_TMP/rate.out")
	offered=$(awk -v n="$BENCH_N" -v iv=$iv 'BEGIN { printf "%d", n / iv }')
	h_log "interval $iv s (offered $offered/s): $summary"
done
rate=$(echo "$summary" | awk '{ for (i = 1; i < NF; i++) if ($i == "probes/s") print int($(i + 1)) }')
if [ "$BENCH" = 1 ]; then
	floor=$(( offered * 9 / 10 < BENCH_MIN ? offered * 9 / 10 : BENCH_MIN ))
	[ "${rate:-0}" -ge "$floor" ] || h_fail "$rate probes/s, below $floor"
	h_log "ok: $rate probes/s, floor $floor"
fi
h_log "probe: ok"
