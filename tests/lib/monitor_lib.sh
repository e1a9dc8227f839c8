# tests/lib/monitor_lib.sh — what the greendot-monitor integration tests
# share, on top of tests/lib/harness.sh (source that first, then h_init).
#
#   m_start_world [SNMPD_EXTRA]  fakesvc with 3 servers, snmpd, the agent
#                                with the small config below; waits until
#                                every server is up in the MIB
#   m_monitor ARGS...            greendot-monitor with -v2c -c, --data
#                                $M_DATA and the agent: ARGS come first
#   m_bg_monitor NAME ARGS...    the same in the background (-f -Lf log)
#   m_oper ID / m_status TABLE ID   a status from the MIB, as a number
#   m_lastupdate FILE            "TIME V1 [V2]" of an RRD file
#   m_journal_time SRC KIND ID NEW   the time of the first such record
#
# The small world: area core; groups web (web1, web2; http) and mail
# (mail1; smtp); services website (needs web) and email (needs mail).
# Probes every second (timeout 0.5 s, rise 1, fall 1).

M_GD=.1.3.6.1.4.1.32473.1.1
M_BIN=$H_BUILD/bin
M_SERVERS="web1 web2 mail1"
M_GROUPS="web mail"
M_SERVICES="website email"

m_config() {
	cat >"$H_TMP/gd.xml" <<EOF
<greendot title="Monitor test">
  <defaults interval="1" timeout="0.5" rise="1" fall="1"/>
  <area id="core" title="Core" colour="blue">
    <group id="web" title="Web">
      <server id="web1" host="$H_ADDR" port="$1" probe="http"/>
      <server id="web2" host="$H_ADDR" port="$2" probe="http"/>
    </group>
    <group id="mail" title="Mail">
      <server id="mail1" host="$H_ADDR" port="$3" probe="smtp"/>
    </group>
  </area>
  <service id="website" title="Website"><needs group="web"/></service>
  <service id="email" title="Email"><needs group="mail"/></service>
</greendot>
EOF
}

m_all_up() {
	[ "$(h_snmpwalk -Oqve "$M_GD.4.1.8" 2>/dev/null | grep -c '^1$')" = 3 ]
}

m_start_agent() {
	h_bg agent "$M_BIN/greendot-agent" -f -c "$H_TMP/gd.xml" \
		-x "$H_AGENTX" -s "$H_TMP/agent.state" -Lf "$H_TMP/agent.log"
	M_AGENT_PID=$H_BG_PID
}

m_start_world() {
	H_SNMPD_EXTRA="${1:-}"
	# on the test's own loopback address: nobody else can take them
	_mp1=$(h_server_port)
	_mp2=$(h_server_port)
	_mp3=$(h_server_port)
	h_start_fakesvc web1=http:$_mp1 web2=http:$_mp2 mail1=smtp:$_mp3
	h_start_snmpd
	m_config "$_mp1" "$_mp2" "$_mp3"
	m_start_agent
	h_wait_until 20 "every server up in the MIB" m_all_up
	M_DATA=$H_TMP/data
	M_PEER=udp:127.0.0.1:$H_SNMPD_PORT
}

m_monitor() {
	"$M_BIN/greendot-monitor" "$@" -v2c -c "$H_COMMUNITY" -t 0.5 -r 1 \
		--data "$M_DATA" "$M_PEER"
}

m_bg_monitor() {
	_mb_name=$1
	shift
	h_bg "$_mb_name" "$M_BIN/greendot-monitor" -f -Lf "$H_TMP/$_mb_name.log" \
		"$@" -v2c -c "$H_COMMUNITY" -t 0.5 -r 1 --data "$M_DATA" "$M_PEER"
	M_MONITOR_PID=$H_BG_PID
}

# The index of an id in a table (3 groups, 4 servers, 5 services).
m_index() {
	h_snmpwalk -Onq "$M_GD.$1.1.2" | tr -d '"' |
		awk -v id="$2" '$2 == id { n = split($1, o, "."); print o[n] }'
}

m_status() {	# TABLE(3|4|5) COLUMN ID
	h_snmpget -Oqve "$M_GD.$1.1.$2.$(m_index "$1" "$3")"
}

m_lastupdate() {
	rrdtool lastupdate "$@" | sed -n 's/^\([0-9]*\): /\1 /p'
}

m_journal_time() {	# SOURCE KIND ID NEW
	awk -F '\t' -v s="$1" -v k="$2" -v i="$3" -v n="$4" \
		'$2 == s && $3 == k && $4 == i && $6 == n { print $1; exit }' \
		"$M_DATA/journal"
}

m_has_record() {
	[ -n "$(m_journal_time "$@")" ]
}
