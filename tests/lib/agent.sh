# tests/lib/agent.sh — what the greendot-agent integration tests share
# (tests/integration/agent_*.sh).  Source after tests/lib/harness.sh.
#
#	ag_aluminati		examples/aluminati.xml on $H_ADDR, fast
#				checks; writes $AG_CONFIG and $AG_SPEC
#	ag_start_fakesvc	fakesvc playing every server of $AG_SPEC
#	ag_example_snmpd	snmpd on examples/snmpd.conf as shipped, on
#				loopback: sets H_SNMPD_PORT H_AGENTX and
#				H_COMMUNITY (gdro)
#	ag_start [ARGS]		greendot-agent on $H_AGENTX, ready once it
#				serves gdAgentVersion.0; log $H_TMP/agent.log
#	ag_stop			SIGTERM, and wait for the exit
#	ag_index KIND ID	the table index of a server/group/... by name
#	ag_value OBJ INDEX	a column's value (-Oqv)
#	ag_wait_trap SECS NOTIF NAME	a notification naming NAME arrived
#	ag_trap_count NOTIF NAME
#
# Numeric OIDs in the trap log (snmptrapd -On): the notification is the
# value of snmpTrapOID.0, AG_NOTIF_<name> below.

AG_BIN=$H_BUILD/bin/greendot-agent
AG_MIB=.1.3.6.1.4.1.32473.1
AG_PING=${AG_PING:-1}		# -i: AgentX ping/reconnect interval, s
AG_INTERVAL=1 AG_FALL=2		# the checks of ag_aluminati

ag_notif_oid() {
	case $1 in
	gdServerDown) echo "$AG_MIB.0.1" ;;
	gdServerUp) echo "$AG_MIB.0.2" ;;
	gdGroupFailover) echo "$AG_MIB.0.3" ;;
	gdGroupDown) echo "$AG_MIB.0.4" ;;
	gdGroupUp) echo "$AG_MIB.0.5" ;;
	gdServiceDown) echo "$AG_MIB.0.6" ;;
	gdServiceUp) echo "$AG_MIB.0.7" ;;
	*) h_fail "unknown notification $1" ;;
	esac
}

# ag_aluminati: the example config with its servers on $H_ADDR, each
# port replaced by one of h_server_port, and checks every second (rise
# 1, fall 2); AG_SPEC lists fakesvc's specs.
ag_aluminati() {
	AG_CONFIG=$H_TMP/aluminati.xml AG_SPEC=$H_TMP/fakesvc.spec
	: >"$AG_SPEC"
	grep -o '<server id="[^"]*"[^>]*port="[0-9]*" probe="[a-z0-9]*"' \
		"$TOP/examples/aluminati.xml" |
		sed 's/.*id="\([^"]*\)".*port="\([0-9]*\)" probe="\([a-z0-9]*\)"/\1 \2 \3/' \
			>"$H_TMP/servers"
	_al_new=$(h_server_port "$(grep -c . "$H_TMP/servers")")
	{
		printf 's/host="127\\.0\\.0\\.1"/host="%s"/\n' "$H_ADDR"
		printf '%s\n' 's/<defaults [^>]*>/<defaults interval="1" timeout="0.5" rise="1" fall="2"\/>/'
	} >"$H_TMP/ports.sed"
	while read -r _al_id _al_port _al_probe; do
		# by id: a new port may equal another server's old one
		printf 's/\\(<server id="%s"[^>]* port="\\)%s"/\\1%s"/\n' \
			"$_al_id" "$_al_port" "$_al_new" >>"$H_TMP/ports.sed"
		echo "$_al_id=$_al_probe:$_al_new" >>"$AG_SPEC"
		_al_new=$(( _al_new + 1 ))
	done <"$H_TMP/servers"
	sed -f "$H_TMP/ports.sed" "$TOP/examples/aluminati.xml" >"$AG_CONFIG"
	grep -q 'host="127\.0\.0\.1"' "$AG_CONFIG" &&
		h_fail "$AG_CONFIG: a server left on 127.0.0.1"
	"$AG_BIN" -n -c "$AG_CONFIG" >/dev/null || h_fail "$AG_CONFIG is not valid"
}

ag_start_fakesvc() {
	h_start_fakesvc -f "$AG_SPEC"
}

# ag_example_snmpd: a private snmpd on examples/snmpd.conf, changed only
# where a test must: its address, the AgentX socket, and the CHANGE-ME
# secrets (community gdro, trap community gdtrap, pass phrases
# gdauthpass1 and gdprivpass1); log $H_TMP/snmpd.log.
ag_example_snmpd() {
	_es_port=$(h_free_port udp)
	H_AGENTX=$H_TMP/agentx.sock
	mkdir -p "$H_TMP/persist"
	sed -e "s#^agentAddress .*#agentAddress udp:127.0.0.1:$_es_port#" \
		-e "s#unix:/var/agentx/master#unix:$H_AGENTX#" \
		-e 's/CHANGE-ME-ro-community/gdro/' \
		-e 's/CHANGE-ME-auth-passphrase/gdauthpass1/' \
		-e 's/CHANGE-ME-priv-passphrase/gdprivpass1/' \
		-e 's/CHANGE-ME-trap-community/gdtrap/' \
		"$TOP/examples/snmpd.conf" >"$H_TMP/snmpd.conf"
	h_bg snmpd env SNMP_PERSISTENT_DIR="$H_TMP/persist" \
		MIBDIRS="$H_MIBDIRS" MIBS="$H_MIBS" snmpd -f \
		-Lf "$H_TMP/snmpd.log" -C -c "$H_TMP/snmpd.conf" -I -smux \
		-p "$H_TMP/snmpd.pid"
	H_SNMPD_PORT=$_es_port H_COMMUNITY=gdro
	h_wait_until 5 "snmpd up" h_snmpget .1.3.6.1.2.1.1.3.0
}

ag__ready() {
	h_snmpget -Oqv "$AG_MIB.1.1.1.0" | grep -q greendot-agent
}

ag_start() {
	h_bg agent "$AG_BIN" -f -c "$AG_CONFIG" -x "unix:$H_AGENTX" \
		-i "$AG_PING" -Lf "$H_TMP/agent.log" "$@"
	AG_PID=$H_BG_PID
	h_wait_until -p "$AG_PID" "$H_READY_SECS" "the agent serving through snmpd" ag__ready
	h_log "greendot-agent pid $AG_PID"
}

ag_stop() {
	kill -TERM "$AG_PID" || h_fail "agent already gone"
	h_wait_until 10 "the agent's exit" ag__gone
	h__unregister "$AG_PID"
}

ag__gone() {
	! h_alive "$AG_PID"
}

# ag_index server|group|area|service ID
ag_index() {
	case $1 in
	area) _ai_t=2 ;;
	group) _ai_t=3 ;;
	server) _ai_t=4 ;;
	service) _ai_t=5 ;;
	esac
	h_snmpwalk -On "$AG_MIB.1.$_ai_t.1.2" |
		sed -n "s/^$AG_MIB.1.$_ai_t.1.2.\([0-9]*\) = STRING: \"*$2\"*\$/\1/p"
}

# ag_value OBJECT INDEX: e.g. ag_value gdServerOperStatus 3 -> up
ag_value() {
	h_snmpget -OqvU "GREENDOT-MIB::$1.$2"
}

AG_TAB=$(printf '\t')

# A notification line holding NAME as a string value (quoted or not:
# snmptrapd prints a GdId, DISPLAY-HINT "64a", without quotes).
ag__trap_line() {	# NOTIF NAME
	grep -F "OID: $(ag_notif_oid "$1")$AG_TAB" "$H_TRAP_LOG" 2>/dev/null |
		grep -E "STRING: \"?$2\"?($AG_TAB|\$)"
}

ag_trap_count() {
	ag__trap_line "$1" "$2" | wc -l
}

ag_wait_trap() {
	h_wait_until "$1" "$2 for $3 in $H_TRAP_LOG" ag__trap_line "$2" "$3"
}
