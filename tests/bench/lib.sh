# tests/bench/lib.sh — what the scenarios of `make bench` share, on top
# of tests/lib/harness.sh (source that first, then h_init).
#
#   b_init NAME             h_init, descriptor limit, runs, private address
#   b_now                   prints wall-clock seconds, ns resolution
#   b_since T0              prints seconds since T0 (b_now), 4 decimals
#   b_median V...           prints the median of the values
#   b_ticks PID             utime + stime of PID in clock ticks
#   b_hwm PID               peak RSS (VmHWM) of PID in KiB
#   b_row SCN WHAT GD PEER RATIO FLOOR NOTE
#                           one table row into $BENCH_ROWS (see bench.sh)
#   b_world_config FILE N ENDPOINTS ADDR BASE INTERVAL TIMEOUT
#                           N tcp servers on ADDR:BASE.., ENDPOINTS ports
#                           reused in turn; groups of 10, areas of 100
#                           groups, a service per 10 groups
#   b_fakesvc_spec FILE ENDPOINTS BASE   ENDPOINTS tcp servers from BASE
#   b_world ENDPOINTS       fakesvc with ENDPOINTS tcp servers on
#                           $B_ADDR:$B_BASE.., and a private snmpd (the
#                           harness's), the current one
#   b_snmpd NAME            one more snmpd, the current one from now:
#                           B_PORT B_SOCK B_SNMPD_PID
#   b_snmpget OID [OPTS]    its value (-Oqv) at the current snmpd
#   b_start_agent N INTERVAL TIMEOUT
#                           greendot-agent ($B_AGENT) with b_world_config
#                           of N servers on the current snmpd, every one
#                           up, started from its state file; AGENT_PID,
#                           B_CONFIG
#   b_all_up N              every server of gdServerTable up
#   b_walk HOST:PORT OID OUT [NETNS-PID]
#                           snmpbulkwalk -v2c -Cr50 -On: prints seconds;
#                           OUT holds the varbinds, one a line
#   b_fmt_s SECONDS / b_fmt_ms SECONDS / b_fmt_us SECONDS
#   b_ratio PEER GD         PEER / GD, for the ratio column
#   $B_TIME -o FILE CMD...  CMD run; FILE gets "WALL USER SYS MAXRSS_KIB"
#                           (tests/bench/bench-time.c)
#
# Settings: BENCH_RUNS (default 5; BENCH_QUICK=1: 1), BENCH_WARMUP
# (default 1; quick: 0), BENCH_ROWS (the rows file; default
# $BUILD/bench/rows.tsv).
#
# Every world of the benchmark listens on an address of its own, B_ADDR =
# 127.A.B.1 (the harness's H_ADDR, or A in 240..249 from the pid with an
# older harness), with explicit ports from 20000; B_NOBODY = 127.A.B.2:
# nothing else on the machine binds there, so ports never collide with
# the tests that run beside a benchmark, and the kernel never has to
# search for free ports among thousands.

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	BENCH_RUNS=${BENCH_RUNS:-1} BENCH_WARMUP=${BENCH_WARMUP:-0}
else
	BENCH_RUNS=${BENCH_RUNS:-5} BENCH_WARMUP=${BENCH_WARMUP:-1}
fi
BENCH_ROWS=${BENCH_ROWS:-$H_BUILD/bench/rows.tsv}
B_HZ=$(getconf CLK_TCK)
B_TIME=$H_BUILD/bench/bench-time	# bench-time -o FILE CMD: "wall user sys maxrss"

# An address of 127/8 nobody listens on, from the pid (retried).
b__addr() {
	_ba_n=$$
	for _ba_try in 1 2 3 4 5 6 7 8; do
		_ba=127.$(( 240 + _ba_n % 10 )).$(( _ba_n / 10 % 250 + 1 )).1
		if ! ss -Htuan 2>/dev/null | awk '{ print $5 }' |
			grep -q "^$_ba:"; then
			echo "$_ba"
			return 0
		fi
		_ba_n=$(( _ba_n + 7919 ))
	done
	return 1
}

b_init() {
	h_init "bench_$1"
	B_NAME=$1
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || :
	# the harness draws one (H_ADDR) in its newer versions
	B_ADDR=${H_ADDR:-}
	[ -n "$B_ADDR" ] || B_ADDR=$(b__addr) || h_fail "no free 127.x.y.1 address"
	B_NOBODY=${B_ADDR%.1}.2		# where nothing listens
	mkdir -p "$(dirname "$BENCH_ROWS")"
	h_log "$B_NAME: address $B_ADDR, $BENCH_RUNS runs after $BENCH_WARMUP warm-up"
}

b_now() {
	date +%s.%N
}

b_since() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.4f\n", b - a }'
}

b_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      if (NR % 2) print v[(NR + 1) / 2]
		      else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

b_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

b_hwm() {
	awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"
}

# b_row SCENARIO WHAT GD PEER RATIO FLOOR NOTE: a row for the table.  GD
# and PEER are printed as given; RATIO is a number (peer / greendot, so
# higher is better for greendot) or "-"; FLOOR is a number, "<=X" for a
# ceiling (growth), or "-".  bench.sh judges RATIO against FLOOR.
b_row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_ROWS"
	h_log "row: $*"
}

b_ratio() {	# PEER GD: PEER / GD, 1 decimal (2 below 10)
	awk -v p="$1" -v g="$2" 'BEGIN { if (g <= 0) { print "-"; exit }
		r = p / g; printf (r < 10 ? "%.2f\n" : "%.1f\n"), r }'
}

b_fmt_s() { awk -v s="$1" 'BEGIN { printf (s < 10 ? "%.2f s" : "%.1f s"), s }'; }
b_fmt_ms() { awk -v s="$1" 'BEGIN { printf (s < 0.01 ? "%.2f ms" : "%.0f ms"), s * 1000 }'; }
b_fmt_us() { awk -v s="$1" 'BEGIN { printf "%.1f µs", s * 1e6 }'; }

b_world_config() {	# FILE N ENDPOINTS ADDR BASE INTERVAL TIMEOUT
	awk -v n="$2" -v e="$3" -v addr="$4" -v base="$5" -v iv="$6" -v to="$7" 'BEGIN {
		print "<greendot title=\"Benchmark\">"
		printf "  <defaults interval=\"%s\" timeout=\"%s\" rise=\"1\" fall=\"2\"/>\n", iv, to
		ng = int((n + 9) / 10)
		for (g = 0; g < ng; g++) {
			if (g % 100 == 0) {
				if (g > 0) print "  </area>"
				printf "  <area id=\"a%d\" title=\"Area %d\" colour=\"blue\">\n", g / 100, g / 100
			}
			printf "    <group id=\"g%d\" title=\"Group %d\">\n", g, g
			for (s = g * 10; s < g * 10 + 10 && s < n; s++)
				printf "      <server id=\"s%d\" host=\"%s\" port=\"%d\" probe=\"tcp\"/>\n", s, addr, base + s % e
			print "    </group>"
		}
		print "  </area>"
		for (v = 0; v * 10 < ng; v++)
			printf "  <service id=\"v%d\" title=\"Service %d\"><needs group=\"g%d\"/></service>\n", v, v, v * 10
		print "</greendot>"
	}' >"$1"
}

b_fakesvc_spec() {	# FILE ENDPOINTS BASE
	awk -v n="$2" -v b="$3" 'BEGIN { for (i = 0; i < n; i++)
		printf "e%d=tcp:%d\n", i, b + i }' >"$1"
}

# ---- the world: fakesvc, snmpd, greendot-agent --------------------------------

B_BASE=20000
B_GD=.1.3.6.1.4.1.32473.1.1
B_AGENT=${B_AGENT:-$H_BUILD/bin/greendot-agent}

b_world() {	# ENDPOINTS
	B_ENDPOINTS=$1
	b_fakesvc_spec "$H_TMP/fakesvc.spec" "$1" $B_BASE
	h_start_fakesvc -a "$B_ADDR" -f "$H_TMP/fakesvc.spec"
	H_SNMPD_EXTRA="dontLogTCPWrappersConnects yes"
	h_start_snmpd
	B_PORT=$H_SNMPD_PORT B_SOCK=$H_AGENTX B_SNMPD_PID=$H_SNMPD_PID
}

# b_snmpd NAME: one more private snmpd master (the harness runs one), on
# 127.0.0.1:B_PORT with AgentX on B_SOCK; it becomes the current one
# (b_start_agent, b_all_up and b_snmpget use B_PORT and B_SOCK).
b_snmpd() {
	_sd=$1
	B_SOCK=$H_TMP/$_sd.sock
	{
		echo "master agentx"
		echo "agentXSocket unix:$B_SOCK"
		echo "agentXPerms 0660 0770"
		echo "rocommunity $H_COMMUNITY 127.0.0.1"
		echo "dontLogTCPWrappersConnects yes"
	} >"$H_TMP/$_sd.conf"
	mkdir -p "$H_TMP/$_sd-persist"
	B_PORT=$(h_free_port udp)
	h_bg "$_sd" env SNMP_PERSISTENT_DIR="$H_TMP/$_sd-persist" MIBS= \
		snmpd -f -Lf "$H_TMP/$_sd.log" -C -c "$H_TMP/$_sd.conf" -I -smux \
		-p "$H_TMP/$_sd.pid" "udp:127.0.0.1:$B_PORT"
	B_SNMPD_PID=$H_BG_PID
	h_wait_until -p "$B_SNMPD_PID" "$H_READY_SECS" "$_sd ready" b__snmpd_ready
	h_log "$_sd pid $B_SNMPD_PID on udp:127.0.0.1:$B_PORT, agentx $B_SOCK"
}

b__snmpd_ready() {
	[ -S "$B_SOCK" ] && b_snmpget .1.3.6.1.2.1.1.3.0 >/dev/null
}

# b_snmpget OID [OPTIONS...]: the value of OID (-Oqv) at the current
# snmpd, v2c.
b_snmpget() {
	_bs_oid=$1
	shift
	env MIBS= MIBDIRS="$H_MIBDIRS" snmpget -v2c -c "$H_COMMUNITY" -On -Oqv \
		-r1 -t1 "$@" "127.0.0.1:$B_PORT" "$_bs_oid" 2>/dev/null
}

b__agent_ready() {	# N: the last server's row is served
	b_snmpget "$B_GD.4.1.2.$1" | grep -Eq "^\"?s$(( $1 - 1 ))\"?\$"
}

# Every server is up before anything is measured, and the agent is in
# its steady state (not sending 100,000 gdServerUp notifications while
# it is walked): a first agent on a config of short interval (2 s, 10 s
# at 100,000 servers) brings every server up and saves its state file;
# the agent measured starts from that state file on the config asked
# for, as an agent restarted does.  On the current snmpd.
b_start_agent() {	# N INTERVAL TIMEOUT
	B_CONFIG=$H_TMP/gd$1.xml
	_sa_fast=$(( $1 / 10000 > 2 ? $1 / 10000 : 2 ))
	b_world_config "$B_CONFIG" "$1" "$B_ENDPOINTS" "$B_ADDR" $B_BASE \
		"$_sa_fast" "$(( _sa_fast / 2 ))"
	"$B_AGENT" -n -c "$B_CONFIG" >/dev/null || h_fail "config of $1 servers invalid"
	_sa_t0=$(b_now)
	b__agent "$1"
	h_wait_until -p "$AGENT_PID" $(( 3 * _sa_fast + 60 )) "$1 servers up" b_all_up "$1"
	h_log "agent with $1 servers ready, all up, after $(b_since "$_sa_t0") s"
	h_stop "$AGENT_PID"
	b_world_config "$B_CONFIG" "$1" "$B_ENDPOINTS" "$B_ADDR" $B_BASE "$2" "$3"
	b__agent "$1"
	h_wait_until -p "$AGENT_PID" 60 "$1 servers up from the state file" b_all_up "$1"
	h_log "agent restarted: interval $2 s, timeout $3 s, all up"
}

b__agent() {	# N
	h_bg "agent$1" "$B_AGENT" -f -c "$B_CONFIG" -x "unix:$B_SOCK" \
		-s "$H_TMP/agent$1.state" -Lf "$H_TMP/agent$1.log"
	AGENT_PID=$H_BG_PID
	h_wait_until -p "$AGENT_PID" 120 "agent with $1 servers serving" b__agent_ready "$1"
}

b_all_up() {	# N
	b_walk "127.0.0.1:$B_PORT" "$B_GD.4.1.8" "$H_TMP/oper.txt" \
		>/dev/null 2>&1 &&
		[ "$(grep -c ' = INTEGER: 1$' "$H_TMP/oper.txt")" = "$1" ]
}

b_walk() {	# HOST:PORT OID OUT [NETNS-PID]
	_wk_t0=$(b_now)
	${4:+nsenter --net=/proc/$4/ns/net} env MIBS= MIBDIRS="$H_MIBDIRS" \
		snmpbulkwalk -v2c -c "$H_COMMUNITY" -Cr50 -On -t 60 -r 0 \
		"$1" "$2" >"$3" 2>"$3.err" || {
		echo "snmpbulkwalk $2 at $1: $(cat "$3.err")" >&2
		return 1
	}
	b_since "$_wk_t0"
}
