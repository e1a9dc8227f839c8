#!/bin/sh
# access_snmp.sh — who may write GREENDOT-MIB through examples/snmpd.conf
# as shipped (addresses, socket and secrets put in).  agent_snmpdconf.sh
# checks that the file works; this one tries every way in:
#
#   the file:  no rwcommunity, no VACM line (com2sec, group, access) that
#              could grant a write; every rwuser line asks for priv and
#              names a view; every rocommunity names the view and a
#              source; the v3 user is SHA-256/AES.
#   refused:   SETs of gdServerAdminStatus and gdServerHeartbeat through
#              the read-only community (v2c: noAccess, v1: noSuchName or
#              readOnly), through a community the file does not know
#              (no answer), from the v3 user at noAuthNoPriv and
#              authNoPriv (authorizationError), with a wrong privacy
#              pass phrase (no answer), to a host object outside the view;
#              each leaves the value as it was.
#   accepted:  the same SETs from the v3 user at authPriv.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init access_snmp

CONF=$TOP/examples/snmpd.conf

# --- the file ---------------------------------------------------------------
lines() {	# the uncommented lines whose first word is one of $@
	_re=$(echo "$*" | tr ' ' '|')
	grep -E "^[[:space:]]*($_re)([[:space:]]|\$)" "$CONF" || true
}
[ -z "$(lines rwcommunity rwcommunity6)" ] ||
	h_fail "examples/snmpd.conf has a read-write community: $(lines rwcommunity rwcommunity6)"
[ -z "$(lines com2sec com2sec6 com2secunix group access setaccess authcommunity)" ] ||
	h_fail "examples/snmpd.conf has VACM lines: $(lines com2sec com2sec6 group access)"
rw=$(lines rwuser)
[ -n "$rw" ] || h_fail "examples/snmpd.conf: no rwuser line"
echo "$rw" | while read -r _kw user level rest; do
	[ "$level" = priv ] || h_fail "rwuser $user: level '$level', not priv"
	case " $rest " in
	*" -V "*) ;;
	*) h_fail "rwuser $user: no -V view" ;;
	esac
done || exit 1
lines rocommunity rocommunity6 | while read -r _kw comm src rest; do
	case "$src" in
	"" | -*) h_fail "rocommunity $comm: no source restriction" ;;
	esac
	case " $rest " in
	*" -V greendotView "*) ;;
	*) h_fail "rocommunity $comm $src: not limited to greendotView" ;;
	esac
done || exit 1
h_assert_contains "$(lines createUser)" 'SHA-256 "CHANGE-ME-auth-passphrase" AES' \
	"the v3 user authenticates with SHA-256 and encrypts with AES"
h_log "the file: no write but through the authPriv user"

# --- the daemons: snmpd on the file as shipped (ag_example_snmpd) ----------
ag_aluminati
ag_example_snmpd
port=$H_SNMPD_PORT
ag_start_fakesvc
ag_start

av1=$(ag_index server av1)
b1=$(ag_index server backup1)
ADMIN=GREENDOT-MIB::gdServerAdminStatus.$av1
BEAT=GREENDOT-MIB::gdServerHeartbeat.$b1
# the objects' values before: every refused SET must leave them so
admin0=$(ag_value gdServerAdminStatus "$av1")
beat0=$(ag_value gdServerHeartbeat "$b1")	# none yet: a constant
h_assert_eq "$admin0" active "av1 before"

# v3 as greendot-ops: LEVEL AUTHPASS PRIVPASS TOOL ARGS...
v3() {
	_lvl=$1 _a=$2 _x=$3 _tool=$4
	shift 4
	case $_lvl in
	noAuthNoPriv) _sec="-l noAuthNoPriv" ;;
	authNoPriv) _sec="-l authNoPriv -a SHA-256 -A $_a" ;;
	authPriv) _sec="-l authPriv -a SHA-256 -A $_a -x AES -X $_x" ;;
	esac
	# shellcheck disable=SC2086 # _sec: words without spaces
	h__snmp_env "$_tool" -v3 -u greendot-ops $_sec -r0 -t1 \
		"127.0.0.1:$port" "$@"
}
# v1/v2c: VERSION COMMUNITY TOOL ARGS...
comm() {
	_v=$1 _c=$2 _tool=$3
	shift 3
	h__snmp_env "$_tool" -v "$_v" -c "$_c" -r0 -t1 "127.0.0.1:$port" "$@"
}

unchanged() {
	h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" "$admin0" \
		"gdServerAdminStatus after a refused SET"
	h_assert_eq "$(ag_value gdServerHeartbeat "$b1")" "$beat0" \
		"backup1's heartbeat after a refused SET"
}

# refused WHAT PATTERN CMD...: CMD must fail, its output match PATTERN
# (an extended regex), and nothing change.
refused() {
	_what=$1 _pat=$2
	shift 2
	if "$@" >"$H_TMP/set.out" 2>&1; then
		h_fail "$_what: accepted: $(cat "$H_TMP/set.out")"
	fi
	grep -Eq "$_pat" "$H_TMP/set.out" ||
		h_fail "$_what: want /$_pat/, got: $(cat "$H_TMP/set.out")"
	unchanged
	h_log "refused: $_what ($(grep -Eo "$_pat" "$H_TMP/set.out" | head -1))"
}

DENIED='noAccess|notWritable|authorizationError'
refused "v2c rocommunity, admin status" "$DENIED" \
	comm 2c gdro snmpset "$ADMIN" i 2
refused "v2c rocommunity, heartbeat" "$DENIED" \
	comm 2c gdro snmpset "$BEAT" u 0
refused "v1 rocommunity, admin status" 'noSuchName|readOnly|noAccess' \
	comm 1 gdro snmpset "$ADMIN" i 2
refused "v2c unknown community 'private'" 'Timeout' \
	comm 2c private snmpset "$ADMIN" i 2
refused "v2c unknown community 'public'" 'Timeout' \
	comm 2c public snmpset "$BEAT" u 0
refused "v3 noAuthNoPriv" 'authorizationError' \
	v3 noAuthNoPriv - - snmpset "$ADMIN" i 2
refused "v3 authNoPriv, admin status" 'authorizationError' \
	v3 authNoPriv gdauthpass1 - snmpset "$ADMIN" i 2
refused "v3 authNoPriv, heartbeat" 'authorizationError' \
	v3 authNoPriv gdauthpass1 - snmpset "$BEAT" u 0
refused "v3 authNoPriv, read" 'authorizationError' \
	v3 authNoPriv gdauthpass1 - snmpget "$ADMIN"
refused "v3 authPriv, wrong auth pass phrase" 'Authentication failure|Timeout' \
	v3 authPriv gdauthpass2 gdprivpass1 snmpset "$ADMIN" i 2
refused "v3 authPriv, wrong privacy pass phrase" 'Timeout|Decryption' \
	v3 authPriv gdauthpass1 gdprivpass2 snmpset "$ADMIN" i 2
# ifAdminStatus.1: a host object, outside greendotView
refused "v3 authPriv, outside the view" "$DENIED|noCreation" \
	v3 authPriv gdauthpass1 gdprivpass1 snmpset .1.3.6.1.2.1.2.2.1.7.1 i 2

# --- accepted ---------------------------------------------------------------
v3 authPriv gdauthpass1 gdprivpass1 snmpset "$ADMIN" i 2 >"$H_TMP/set.out" 2>&1 ||
	h_fail "v3 authPriv SET refused: $(cat "$H_TMP/set.out")"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" maintenance "v3 authPriv SET"
v3 authPriv gdauthpass1 gdprivpass1 snmpset "$BEAT" u 0 >"$H_TMP/set.out" 2>&1 ||
	h_fail "v3 authPriv heartbeat refused: $(cat "$H_TMP/set.out")"
h_assert_eq "$(ag_value gdServerOperStatus "$b1")" up "heartbeat from authPriv"
v3 authPriv gdauthpass1 gdprivpass1 snmpset "$ADMIN" i 1 >/dev/null 2>&1 ||
	h_fail "v3 authPriv SET back to active refused"
h_assert_eq "$(ag_value gdServerAdminStatus "$av1")" active "back to active"
h_log "access_snmp: ok"
