#!/bin/sh
# tests/bench/walk.sh — scenario 1 of `make bench` (agent walk) and most
# of scenario 6 (memory).
#
# greendot-agent with a generated config of 1,000, 10,000 and 100,000
# tcp servers (BENCH_WALK_SIZES; groups of 10), probes pointed at fakesvc
# (5,000 endpoints on a private address, reused in turn above that), at
# the same rate for every size (below: interval); every server up, the
# agent started from its state file (lib.sh, b_start_agent).  One world per size, all at once, each agent behind a
# private snmpd of its own, so that the runs go round the sizes and their
# peers (1k, its peer, 10k, its peer, 100k, then again): the sizes and
# the peers are compared under the same load, whatever else the machine
# does meanwhile.  Per size:
#
#   - `snmpbulkwalk -v2c -Cr50` of gdServerTable (15 columns: 15 N
#     varbinds) through snmpd: wall time, and CPU per varbind of the
#     agent (its CPU during the walk less what its probes cost in the same
#     time, measured on an idle window before the walks) and of snmpd;
#   - the peer: the same walk of snmpd's own ipCidrRouteTable, which has
#     15 columns too, in a network namespace holding exactly N routes:
#     the same varbind count served by snmpd itself (ip-forward-mib, a
#     sorted container), no AgentX in between; up to 10,000 rows;
#   - the agent's peak RSS (VmHWM) after the walks; from 10,000 servers
#     on, greendot-monitor's (monitor_memory).
#
# Rows: walk time per size with the native walk beside it, CPU per
# varbind, the growth from 10k to 100k (linear: <= 11x, the one floor
# here), and the memory.
set -u
. "${TOP:-.}/tests/lib/harness.sh"
. "$TOP/tests/bench/lib.sh"
b_init walk

SIZES=${BENCH_WALK_SIZES:-1000 10000 100000}
GD_SERVER_TABLE=$B_GD.4
IP_CIDR_ROUTE_TABLE=.1.3.6.1.2.1.4.24.4
H_READY_SECS=60
# The native peer runs up to NATIVE_MAX routes: at 100,000 snmpd's own
# table is the slow one (one walk took 77 s here, 51 us a varbind, more
# than greendot's), and six such walks would take 8 minutes.
NATIVE_MAX=${BENCH_NATIVE_MAX:-10000}

b_world 5000

# walk HOST:PORT OID OUT [NETNS-PID] VARBINDS: seconds; the count checked
walk() {
	_wa_n=$1
	shift
	_wa_t=$(b_walk "$@") || h_fail "walk of $2 at $1 failed"
	_wa_v=$(wc -l <"$3")
	[ "$_wa_v" = "$_wa_n" ] || h_fail "walk of $2 at $1: $_wa_v varbinds, wanted $_wa_n"
	rm -f "$3"
	echo "$_wa_t"
}

per() {	# A B: A / B
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.9f\n", a / b }'
}

# The agent's CPU rate (ticks/s) with nothing asked of it: its probes.
idle_rate() {	# PID
	_ir_k0=$(b_ticks "$1") _ir_t0=$(b_now)
	sleep 3		# a measuring window, not a wait for a condition
	_ir_k1=$(b_ticks "$1")
	awk -v k="$(( _ir_k1 - _ir_k0 ))" -v t="$(b_since "$_ir_t0")" \
		'BEGIN { printf "%.3f\n", k / t }'
}

# ---- the peer: snmpd's own ipCidrRouteTable of N rows ------------------------
# A network namespace with lo, a veth pair (10.254.0.0/16 on v0: one
# route) and N - 1 host routes (10.100.0.0/32 on) through 10.254.0.2;
# snmpd started in it by the shell that set it up (exec: the pid is
# snmpd's).  The namespace goes with snmpd.  Sets NATIVE_PID.
native_start() {	# N
	awk -v n="$1" 'BEGIN { for (i = 0; i < n - 1; i++)
		printf "route add 10.%d.%d.%d/32 via 10.254.0.2 dev v0\n",
			100 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$H_TMP/routes$1"
	cat >"$H_TMP/native$1.sh" <<EOF
set -e
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 10.254.0.1/16 dev v0
ip -batch "$H_TMP/routes$1"
echo "rocommunity $H_COMMUNITY 127.0.0.1" >"$H_TMP/native$1.conf"
echo "dontLogTCPWrappersConnects yes" >>"$H_TMP/native$1.conf"
mkdir -p "$H_TMP/native$1-persist"
export SNMP_PERSISTENT_DIR="$H_TMP/native$1-persist"
exec snmpd -f -Lf "$H_TMP/native$1.log" -C -c "$H_TMP/native$1.conf" -I -smux \
	-p "$H_TMP/native$1.pid" udp:127.0.0.1:161
EOF
	h_bg "native$1" unshare -n sh "$H_TMP/native$1.sh"
	NATIVE_PID=$H_BG_PID
	h_wait_until -p "$NATIVE_PID" 60 "native snmpd with $1 routes" native_ready
}

native_ready() {
	nsenter --net="/proc/$NATIVE_PID/ns/net" snmpget -v2c -c "$H_COMMUNITY" \
		-r0 -t0.5 -On 127.0.0.1:161 .1.3.6.1.2.1.1.3.0
}

# ---- the monitor's memory -------------------------------------------------------
# greendot-monitor --once twice against an agent: the first writes
# state.xml, the second, measured (max RSS), restores it as a restarted
# monitor does, polls every table and writes state.xml and the journal.
# The RRD files are there but of another layout (small files, hard links
# under every name): left alone, as the monitor does with a file it did
# not make (111,100 real ones would be 44 GB).
monitor_memory() {	# N PORT: MON_RSS (KiB)
	_mm=$H_TMP/mon$1
	mkdir -p "$_mm/rrd/server" "$_mm/rrd/group" "$_mm/rrd/service"
	rrdtool create "$_mm/other.rrd" -s 1 DS:x:GAUGE:2:U:U RRA:AVERAGE:0.5:1:1 ||
		h_fail "rrdtool create"
	# a new copy every 50,000 links (ext4 allows 65,000 to a file)
	perl -e 'my ($d, $n) = @ARGV; my ($src, $l) = ("", 0);
		sub src { if ($l++ % 50000 == 0) { $src = "$d/other." . $l . ".rrd";
			system("cp", "$d/other.rrd", $src) == 0 or die "cp\n" } $src }
		my %k = (server => ["s", $n], group => ["g", int(($n + 9) / 10)],
			 service => ["v", int(($n + 99) / 100)]);
		for my $kind (keys %k) { my ($p, $c) = @{$k{$kind}};
			for my $i (0 .. $c - 1) {
				link(src(), "$d/rrd/$kind/$p$i.rrd") or die "$!\n" } }' \
		"$_mm" "$1" || h_fail "links"
	for _mm_run in 1 2; do
		"$B_TIME" -o "$_mm/time" "$H_BUILD/bin/greendot-monitor" \
			--once -Ln -v2c -c "$H_COMMUNITY" -t 10 -r 1 --data "$_mm" \
			"udp:127.0.0.1:$2" || h_fail "greendot-monitor --once ($1 servers)"
		h_log "monitor at $1 servers, run $_mm_run: $(cat "$_mm/time") (wall, user, sys s, max RSS KiB)"
	done
	[ "$(grep -c '<server ' "$_mm/state.xml")" = "$1" ] ||
		h_fail "state.xml of $1 servers has $(grep -c '<server ' "$_mm/state.xml")"
	read -r _ _ _ MON_RSS <"$_mm/time"
	rm -rf "$_mm"
}

# ---- the worlds -----------------------------------------------------------------
# Every agent probes about 167 servers a second: 10,000 every 60 s,
# 1,000 every 6 s, 100,000 every 600 s.  Probing 100,000 every 60 s
# would make that agent ten times busier in its own loop while it is
# walked, and the growth would measure that, not the table: with it, the
# 100k walk took 64 s against 3.9 s at 10k here (16.6x).  One agent per
# 10,000 servers is what the README advises anyway.
interval() {	# N
	echo $(( $1 * 60 / 10000 ))
}

# per size n: PORT_n SNMPD_n AGENT_n IDLE_n (ticks/s), NATIVE_n
for n in $SIZES; do
	b_snmpd "snmpd$n"
	b_start_agent "$n" "$(interval "$n")" 5
	eval "PORT_$n=\$B_PORT SNMPD_$n=\$B_SNMPD_PID AGENT_$n=\$AGENT_PID"
	if [ "$n" -le "$NATIVE_MAX" ]; then
		native_start "$n"
		eval "NATIVE_$n=\$NATIVE_PID"
	fi
done
for n in $SIZES; do
	eval "a=\$AGENT_$n"
	eval "IDLE_$n=\$(idle_rate \$a)"
done

# ---- the runs: round the sizes ------------------------------------------------------
# per size: T_n (walk s), C_n (agent CPU s/varbind), M_n (snmpd's), and
# NT_n NC_n for the native peer, each a list of the measured runs
i=0
while [ $i -lt $(( BENCH_WARMUP + BENCH_RUNS )) ]; do
	for n in $SIZES; do
		vbs=$(( 15 * n ))
		eval "port=\$PORT_$n snmpd=\$SNMPD_$n agent=\$AGENT_$n idle=\$IDLE_$n"
		k0=$(b_ticks "$agent") m0=$(b_ticks "$snmpd")
		t=$(walk "$vbs" "127.0.0.1:$port" $GD_SERVER_TABLE "$H_TMP/walk.txt")
		k1=$(b_ticks "$agent") m1=$(b_ticks "$snmpd")
		c=$(awk -v k="$(( k1 - k0 ))" -v hz="$B_HZ" -v i="$idle" -v t="$t" -v n=$vbs \
			'BEGIN { c = k / hz - i / hz * t; if (c < 0) c = 0; printf "%.9f\n", c / n }')
		m=$(per "$(( m1 - m0 ))" "$(( B_HZ * vbs ))")
		h_log "run $i, $n servers: greendot $t s (agent $(( k1 - k0 )), snmpd $(( m1 - m0 )) ticks)"
		if [ $i -ge "$BENCH_WARMUP" ]; then
			eval "T_$n=\"\${T_$n:-} $t\" C_$n=\"\${C_$n:-} $c\" M_$n=\"\${M_$n:-} $m\""
		fi
		eval "native=\${NATIVE_$n:-}"
		[ -n "$native" ] || continue
		k0=$(b_ticks "$native")
		t=$(walk "$vbs" 127.0.0.1:161 $IP_CIDR_ROUTE_TABLE "$H_TMP/native.txt" "$native")
		k1=$(b_ticks "$native")
		h_log "run $i, $n routes: native $t s (snmpd $(( k1 - k0 )) ticks)"
		if [ $i -ge "$BENCH_WARMUP" ]; then
			c=$(per "$(( k1 - k0 ))" "$(( B_HZ * vbs ))")
			eval "NT_$n=\"\${NT_$n:-} $t\" NC_$n=\"\${NC_$n:-} $c\""
		fi
	done
	i=$(( i + 1 ))
done

# ---- memory, then the rows -------------------------------------------------------------
for n in $SIZES; do
	eval "agent=\$AGENT_$n port=\$PORT_$n"
	eval "HWM_$n=\$(b_hwm \$agent)"
	if [ "$n" -ge 10000 ]; then
		monitor_memory "$n" "$port"
		eval "MON_$n=\$MON_RSS"
	fi
done

for n in $SIZES; do
	vbs=$(( 15 * n ))
	eval "ts=\$T_$n cs=\$C_$n ms=\$M_$n nts=\${NT_$n:-} ncs=\${NC_$n:-}"
	# shellcheck disable=SC2086
	{
		gd=$(b_median $ts) cpu=$(b_median $cs) master=$(b_median $ms)
	}
	eval "WALK_$n=\$gd"
	if [ -n "$nts" ]; then
		# shellcheck disable=SC2086
		{
			nat=$(b_median $nts) ncpu=$(b_median $ncs)
		}
		b_row walk "gdServerTable walk, $n servers ($vbs varbinds)" \
			"$(b_fmt_s "$gd")" "$(b_fmt_s "$nat")" "$(b_ratio "$nat" "$gd")" - \
			"peer: snmpd's own ipCidrRouteTable, $n routes, same count; per varbind $(b_fmt_us "$(per "$gd" $vbs)") against $(b_fmt_us "$(per "$nat" $vbs)")"
		b_row walk "CPU per varbind, $n servers" "$(b_fmt_us "$cpu")" \
			"$(b_fmt_us "$ncpu")" "$(b_ratio "$ncpu" "$cpu")" - \
			"greendot-agent's (its probes' share taken out); snmpd as master spent $(b_fmt_us "$master") more; peer: snmpd's own"
	else
		b_row walk "gdServerTable walk, $n servers ($vbs varbinds)" \
			"$(b_fmt_s "$gd")" - - - \
			"per varbind $(b_fmt_us "$(per "$gd" $vbs)"); the native peer is not run at this size: snmpd's own route table took 77 s for one walk of 100,000 rows (51 µs a varbind, measured once), six walks would take 8 minutes"
		b_row walk "CPU per varbind, $n servers" "$(b_fmt_us "$cpu")" - - - \
			"greendot-agent's (its probes' share taken out); snmpd as master spent $(b_fmt_us "$master") more"
	fi
done
if [ -n "${WALK_10000:-}" ] && [ -n "${WALK_100000:-}" ]; then
	b_row walk "growth of the walk, 10k to 100k servers" \
		"$(awk -v a="$WALK_10000" -v b="$WALK_100000" 'BEGIN { printf "%.1fx", b / a }')" - \
		"$(awk -v a="$WALK_10000" -v b="$WALK_100000" 'BEGIN { printf "%.2f", b / a }')" "<=11" \
		"10x the rows: linear is 10x; walked in turn, under the same load, each agent probing 167 servers a second (interval 60 s at 10k, 600 s at 100k)"
fi
for n in $SIZES; do
	eval "hwm=\$HWM_$n"
	b_row memory "greendot-agent peak RSS, $n servers" "$(( hwm / 1024 )) MiB" - - - \
		"VmHWM: start from its state file, probes, $(( BENCH_WARMUP + BENCH_RUNS )) walks"
done
for n in $SIZES; do
	eval "mon=\${MON_$n:-}"
	[ -n "$mon" ] || continue
	b_row memory "greendot-monitor peak RSS, $n servers" "$(( mon / 1024 )) MiB" - - - \
		"--once restoring its state.xml, polling, writing state and journal (RRD files left alone)"
done
h_log "walk: done"
