#!/bin/sh
# Self-test of tests/lib/harness.sh and tests/fakesvc: real snmptrapd,
# snmpd, fakesvc and rrdcached on loopback.  Checks the test's address and
# its ports, every fakesvc protocol and control command (a stopped server
# refuses connections and keeps its port), snmpd's answers, traps,
# restart and freeze/thaw; then runs small tests of its own (passing,
# failing, interrupted by TERM, killed by KILL) and checks that none
# leaves a process behind.
set -eu
. "$TOP/tests/lib/harness.sh"
h_init harness

COLDSTART=.1.3.6.1.6.3.1.1.5.1
SYSUPTIME=.1.3.6.1.2.1.1.3.0
SYSCONTACT=.1.3.6.1.2.1.1.4.0

# ---- helpers of the harness itself ---------------------------------------
h_assert_eq "$(h__cs 1.5)" 150 "h__cs 1.5"
h_assert_eq "$(h__cs 0.05)" 5 "h__cs 0.05"
h_assert_eq "$(h__cs 3)" 300 "h__cs 3"
p1=$(h_free_port tcp)
p2=$(h_free_port udp)
h_assert [ "$p1" != "$p2" ]
h_assert [ "$p1" -ge 20000 ]

# the test's address: 127.A.B.1, A 2..254, exported
case $H_ADDR in
127.*.*.1) ;;
*) h_fail "H_ADDR $H_ADDR is not 127.A.B.1" ;;
esac
h_assert_eq "$H_ADDR" "$H_NET.1" "H_ADDR in H_NET"
a=${H_NET#127.}
a=${a%.*}
h_assert [ "$a" -ge 2 ]
h_assert [ "$a" -le 254 ]
h_assert_eq "$(sh -c 'echo "$H_ADDR"')" "$H_ADDR" "H_ADDR exported"
# server ports: in order, a block of COUNT in a row, none twice
s1=$(h_server_port)
s2=$(h_server_port 100)
s3=$(h_server_port)
h_assert [ "$s1" -ge 20000 ]
h_assert [ "$s2" -gt "$s1" ]
h_assert [ "$s3" -ge $(( s2 + 100 )) ]
# where fakesvc plays: $H_ADDR for ports of h_server_port (and 0), -a
# wins, 127.0.0.1 for a port of another origin (a test from before H_ADDR)
h__fakesvc_addr x=tcp:"$s1" y=smtp:0 z=http:"$(( s2 + 99 ))":404
h_assert_eq "$H_FAKESVC_ADDR" "$H_ADDR" "fakesvc address, server ports"
h__fakesvc_addr -a 127.0.0.2 x=tcp:"$p1"
h_assert_eq "$H_FAKESVC_ADDR" 127.0.0.2 "fakesvc address, -a"
h__fakesvc_addr x=tcp:"$s1" y=tcp:"$p1"
h_assert_eq "$H_FAKESVC_ADDR" 127.0.0.1 "fakesvc address, a port of h_free_port"
printf '# comment\n\n  x=tcp:%s\ny=tcp:0\n' "$s3" >"$H_TMP/addr.spec"
h__fakesvc_addr -f "$H_TMP/addr.spec"
h_assert_eq "$H_FAKESVC_ADDR" "$H_ADDR" "fakesvc address, spec file"
echo "z=tcp:$p1" >>"$H_TMP/addr.spec"
h__fakesvc_addr -f "$H_TMP/addr.spec"
h_assert_eq "$H_FAKESVC_ADDR" 127.0.0.1 "fakesvc address, spec file, other port"

# ---- net-snmp daemons ---------------------------------------------------
h_start_snmptrapd
h_start_snmpd
h_wait_trap 10 "$COLDSTART"
h_assert [ -S "$H_AGENTX" ]
up=$(h_snmpget -Oqv "$SYSUPTIME")
h_log "sysUpTime $up"
h_assert [ -n "$up" ]
h_assert_contains "$(h_snmp3 snmpget -On "$SYSUPTIME")" "$SYSUPTIME = Timeticks" "v3 get"
h_assert h_snmp3 snmpset "$SYSCONTACT" s harness@example.org >/dev/null
h_assert_contains "$(h_snmpget -Oqv "$SYSCONTACT")" harness@example.org "v3 set"
h_assert_fails h_snmp snmpset "$SYSCONTACT" s nobody 2>/dev/null	# rocommunity: noAccess
h_snmptrap .1.3.6.1.4.1.99999.0.1 .1.3.6.1.4.1.99999.1 s hello
h_wait_trap 5 .1.3.6.1.4.1.99999.0.1

# ---- fakesvc: one server of each protocol --------------------------------
h_start_fakesvc smtp=smtp:0 pop3=pop3:0 imap=imap:0 ftp=ftp:0 http=http:0 \
	http404=http:0:404 mysql=mysql:0 tcp=tcp:0 silent=silent:0
port_smtp=$(h_fakesvc_port smtp)
port_pop3=$(h_fakesvc_port pop3)
port_imap=$(h_fakesvc_port imap)
port_ftp=$(h_fakesvc_port ftp)
port_http=$(h_fakesvc_port http)
port_http404=$(h_fakesvc_port http404)
port_mysql=$(h_fakesvc_port mysql)
port_tcp=$(h_fakesvc_port tcp)
port_silent=$(h_fakesvc_port silent)
h_assert_eq "$H_FAKESVC_ADDR" "$H_ADDR" "fakesvc's address"
h_log "fakesvc ports: $(h_fakesvc status | awk '{ printf "%s=%s ", $1, $3 }')"

# at PORT: the endpoint of a fakesvc server
at() {
	echo "$H_FAKESVC_ADDR:$1"
}

# say TEXT PORT [h_nc options]: send TEXT (printf format), print the reply
say() {
	_t=$1 _p=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$_t" | h_nc "$(at "$_p")" "$@"
}

check_greetings() {
	r=$(say 'QUIT\r\n' "$port_smtp")
	h_assert_contains "$r" "220 localhost ESMTP fakesvc" smtp
	h_assert_contains "$r" "221 " "smtp QUIT"
	h_assert_contains "$(say 'QUIT\r\n' "$port_pop3")" "+OK fakesvc POP3 ready" pop3
	r=$(say 'a1 LOGOUT\r\n' "$port_imap")
	h_assert_contains "$r" "* OK fakesvc IMAP4rev1 ready" imap
	h_assert_contains "$r" "a1 OK LOGOUT" "imap LOGOUT"
	h_assert_contains "$(say 'QUIT\r\n' "$port_ftp")" "220 fakesvc FTP ready" ftp
	r=$(say 'GET / HTTP/1.0\r\nHost: x\r\n\r\n' "$port_http")
	h_assert_contains "$r" "HTTP/1.1 200 OK" http
	h_assert_contains "$r" "Content-Length: 2" "http length"
	h_assert_contains "$(say 'GET / HTTP/1.0\r\n\r\n' "$port_http404")" "HTTP/1.1 404" "http status"
	check_mysql
}

# The handshake: 3-byte length = packet size - 4, sequence 0, protocol 10,
# server version "5.7.0-fakesvc\0".
check_mysql() {
	h_nc "$(at "$port_mysql")" </dev/null >"$H_TMP/mysql.bin"
	# shellcheck disable=SC2046
	set -- $(od -An -tu1 -N5 "$H_TMP/mysql.bin")
	h_assert_eq "$(( $1 + $2 * 256 + $3 * 65536 + 4 ))" "$(wc -c <"$H_TMP/mysql.bin")" "mysql length"
	h_assert_eq "$4 $5" "0 10" "mysql sequence and protocol version"
	h_assert_eq "$(od -An -c -j5 -N14 "$H_TMP/mysql.bin" | tr -d ' ')" '5.7.0-fakesvc\0' "mysql version"
}

check_greetings
# tcp: the server closes by itself (well before our 3 s idle limit)
h_assert_eq "$(h_nc "$(at "$port_tcp")" -k -w 3000 </dev/null)" "" "tcp sends nothing"
# silent: nothing, ever; our client gives up (exit 3)
rc=0
h_nc "$(at "$port_silent")" -k -w 300 </dev/null >"$H_TMP/silent.out" 2>/dev/null || rc=$?
h_assert_eq "$rc" 3 "silent server: client idle timeout"
h_assert [ ! -s "$H_TMP/silent.out" ]

# ---- fakesvc control channel ---------------------------------------------
# A stopped server refuses connections and keeps its port: nobody else
# can listen there (fakesvc itself tries, with SO_REUSEADDR), even with
# connections of the server still about (tcp: the server closes first,
# its side waits in TIME-WAIT).  Started, it serves on the same port.
h_fakesvc stop smtp imap tcp
h_assert_contains "$(h_fakesvc status smtp)" "smtp smtp $port_smtp stopped" "status after stop"
for p in "$port_smtp" "$port_imap" "$port_tcp"; do
	rc=0
	say 'QUIT\r\n' "$p" 2>"$H_TMP/refused.err" || rc=$?
	h_assert_eq "$rc" 2 "connection to a stopped server on port $p"
	h_assert_contains "$(cat "$H_TMP/refused.err")" "Connection refused" "refused"
	rc=0	# (a fakesvc that could listen would run on: timeout, 124)
	timeout 5 "$H_FAKESVC_BIN" -a "$H_FAKESVC_ADDR" x=tcp:"$p" \
		2>"$H_TMP/taken.err" || rc=$?
	h_assert_eq "$rc" 1 "another fakesvc on the port of a stopped server"
	h_assert_contains "$(cat "$H_TMP/taken.err")" "Address already in use" \
		"the port of a stopped server is held"
done
h_fakesvc start smtp imap tcp
h_assert_contains "$(h_fakesvc status smtp)" "smtp smtp $port_smtp normal" "status after start"
check_greetings
h_assert_eq "$(h_nc "$(at "$port_tcp")" -k -w 3000 </dev/null)" "" "tcp after start"
# stopped twice, started twice: no-ops
h_fakesvc stop smtp
h_fakesvc stop smtp
h_fakesvc start smtp
h_fakesvc start smtp
h_assert_contains "$(say 'QUIT\r\n' "$port_smtp")" "220 localhost" "smtp after start"

h_fakesvc wrong smtp pop3 imap ftp http mysql
h_assert_contains "$(say 'QUIT\r\n' "$port_smtp")" "554 no service" "smtp wrong"
h_assert_contains "$(say 'QUIT\r\n' "$port_ftp")" "554 no service" "ftp wrong"
h_assert_contains "$(say 'QUIT\r\n' "$port_pop3")" "-ERR" "pop3 wrong"
h_assert_contains "$(say 'a LOGOUT\r\n' "$port_imap")" "* BYE" "imap wrong"
h_assert_contains "$(say 'GET / HTTP/1.0\r\n\r\n' "$port_http")" "HTTP/1.1 503" "http wrong"
h_assert_eq "$(h_nc "$(at "$port_mysql")" </dev/null | od -An -tx1 -j4 -N1 | tr -d ' ')" ff "mysql error packet"
h_fakesvc normal 'smtp' 'pop3' 'i*' ftp http mysql
check_greetings

h_fakesvc hang pop3 http
rc=0
h_nc "$(at "$port_pop3")" -k -w 300 </dev/null >"$H_TMP/hang.out" 2>/dev/null || rc=$?
h_assert_eq "$rc" 3 "hanging pop3"
rc=0
say 'GET / HTTP/1.0\r\n\r\n' "$port_http" -k -w 300 >"$H_TMP/hang.out" 2>/dev/null || rc=$?
h_assert_eq "$rc" 3 "hanging http"
h_fakesvc normal pop3 http

# slow: 20 ms a byte; greeting and QUIT reply are 67 bytes, so >= 1.3 s
h_fakesvc slow smtp 20
h_assert_contains "$(h_fakesvc status smtp)" "slow:20" "status slow"
h__now
t0=$H__NOW
r=$(say 'QUIT\r\n' "$port_smtp")
h__now
h_assert_eq "$r" "$(printf '220 localhost ESMTP fakesvc\r\n221 2.0.0 fakesvc closing connection\r')" "slow smtp reply"
h_log "slow smtp reply took $(( H__NOW - t0 ))0 ms"
h_assert [ $(( H__NOW - t0 )) -ge 120 ]
h_fakesvc normal smtp

h_fakesvc code http 500
h_assert_contains "$(say 'GET / HTTP/1.0\r\n\r\n' "$port_http")" "HTTP/1.1 500" "code 500"
h_fakesvc code http 200
h_assert_fails h_fakesvc_try bogus
h_assert_fails h_fakesvc_try stop nosuchserver
h_assert_fails h_fakesvc_try slow smtp notanumber
h_assert h_fakesvc ping

# port in use: a clear message and exit 1
rc=0
timeout 5 "$H_FAKESVC_BIN" -a "$H_FAKESVC_ADDR" x=tcp:"$port_smtp" 2>"$H_TMP/inuse.err" || rc=$?
h_assert_eq "$rc" 1 "fakesvc on a used port"
h_assert_contains "$(cat "$H_TMP/inuse.err")" "Address already in use" "port in use message"

# a spec file, through h_bg
i=0
while [ $i -lt 200 ]; do echo "s$i=smtp:0"; i=$(( i + 1 )); done >"$H_TMP/spec"
h_bg fakesvc2 "$H_FAKESVC_BIN" -a "$H_ADDR" -C "$H_TMP/f2.sock" -p "$H_TMP/f2.pid" -f "$H_TMP/spec"
h_wait_until -p "$H_BG_PID" 10 "fakesvc2 ready" test -s "$H_TMP/f2.pid"
h_assert_eq "$(printf 'status\n' | h_nc "$H_TMP/f2.sock" | grep -c ' smtp ')" 200 "spec file servers"
h_stop fakesvc2

# ---- rrdcached -------------------------------------------------------------
h_start_rrdcached
h_assert_contains "$(h_rrdcached STATS)" "QueueLength" "rrdcached STATS"
# (the rrdtool client makes relative names absolute against its cwd)
rrd=$H_RRD_DIR/t.rrd
rrdtool create --daemon "$H_RRDCACHED" "$rrd" --start now-600 -s 60 \
	DS:x:GAUGE:120:U:U RRA:LAST:0.5:1:10
rrdtool update --daemon "$H_RRDCACHED" "$rrd" N:42
h_assert_contains "$(h_rrdcached FLUSHALL)" "0 " "FLUSHALL"
h_assert [ -f "$H_RRD_DIR/t.rrd" ]
h_assert_contains "$(rrdtool lastupdate --daemon "$H_RRDCACHED" "$rrd")" "42" "rrd value"

# The recorded pids are the daemons themselves, not a shell or env.
h_assert_eq "$(cat "/proc/$H_SNMPD_PID/comm")" snmpd "snmpd pid"
h_assert_eq "$(cat "/proc/$H_TRAP_PID/comm")" snmptrapd "snmptrapd pid"
h_assert_eq "$(cat "/proc/$H_FAKESVC_PID/comm")" fakesvc "fakesvc pid"
h_assert_eq "$(cat "/proc/$H_RRDCACHED_PID/comm")" rrdcached "rrdcached pid"

# ---- snmpd restart, freeze, thaw ------------------------------------------
port=$H_SNMPD_PORT
old=$H_SNMPD_PID
h_restart_snmpd
h_assert_eq "$H_SNMPD_PORT" "$port" "snmpd port after restart"
h_assert [ "$H_SNMPD_PID" != "$old" ]
h_assert_fails h_alive "$old"
h_wait_until 10 "a second coldStart" sh -c "[ \$(grep -cF $COLDSTART '$H_TRAP_LOG') -ge 2 ]"
h_assert_contains "$(h_snmp3 snmpget -On "$SYSUPTIME")" Timeticks "v3 after restart"

h_freeze_snmpd
h_assert_fails h_snmpget -r0 -t0.3 "$SYSUPTIME" 2>/dev/null
h_thaw_snmpd
h_wait_until 5 "snmpd answers after thaw" h_snmpget -r0 -t0.3 "$SYSUPTIME"

# ---- clean-up, proved on tests of our own -----------------------------------
cat >"$H_TMP/sub.sh" <<'EOF'
set -u
. "$TOP/tests/lib/harness.sh"
h_init sub
h_start_snmptrapd
h_start_snmpd
h_start_fakesvc a=smtp:0 b=silent:0
h_start_rrdcached
h_bg sleeper sleep 300
h_bg -g grouped sh -c 'sleep 300 & sleep 300'
h_freeze_snmpd				# cleanup must cope with a stopped one
awk '{ print $1 }' "$H_TMP/.harness/pids" >"$OUT.pids"
h_pid grouped >"$OUT.sid"			# setsid: its pid is the session id
echo "$H_TMP" >"$OUT.tmp"
case $MODE in
pass) exit 0 ;;
fail) h_wait_until 0.3 "the impossible" false ;;
term) h_wait_until 120 "a signal" false ;;
kill) kill -s KILL $$ ;;
esac
EOF

# Everything a sub-test started is gone, and nothing names its temp dir.
sub_clean() {
	for p in $(cat "$1.pids") $(pgrep -f "$(cat "$1.tmp")" || true) \
		$(pgrep -s "$(cat "$1.sid")" || true); do
		h_alive "$p" && return 1
	done
	return 0
}

run_sub() {	# MODE EXPECTED-EXIT
	out=$H_TMP/sub-$1
	mkdir -p "$out.d"
	h_bg "sub-$1" env H_KEEP=0 MODE="$1" OUT="$out" TMPDIR="$out.d" sh "$H_TMP/sub.sh"
	sub=$H_BG_PID
	h_wait_until -p "$sub" 30 "sub-test $1 started" test -s "$out.tmp"
	[ "$1" = term ] && kill -s TERM "$sub"
	h_wait_until 30 "sub-test $1 to end" sh -c "! kill -0 $sub 2>/dev/null"
	rc=0
	wait "$sub" || rc=$?
	h_assert_eq "$rc" "$2" "exit of sub-test $1"
	h_wait_until 10 "processes of sub-test $1 gone" sub_clean "$out"
	h_log "sub-test $1: exit $rc, $(wc -l <"$out.pids") processes, all gone"
}

run_sub pass 0
h_assert [ ! -d "$(cat "$H_TMP/sub-pass.tmp")" ]
run_sub fail 1
h_assert [ -d "$(cat "$H_TMP/sub-fail.tmp")" ]
h_assert_contains "$(cat "$H_TMP/sub-fail.log")" "timed out after 0.3s waiting for the impossible" "failure message"
h_assert_contains "$(cat "$H_TMP/sub-fail.log")" "logs kept in" "logs kept"
h_assert_contains "$(cat "$H_TMP/sub-fail.log")" "--- last lines of" "logs dumped"
run_sub term 143
h_assert_contains "$(cat "$H_TMP/sub-term.log")" "interrupted by SIGTERM" "interrupted"
run_sub kill 137		# the guard cleans up

h_log "all harness checks passed"
