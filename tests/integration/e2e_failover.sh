#!/bin/sh
# e2e_failover.sh — the demo's stack end to end, with short intervals:
# fakesvc playing examples/aluminati.xml (free ports, checks every 1 s,
# rise 1, fall 2), snmpd with two trap sinks (snmptrapd and the monitor),
# greendot-agent, a week of simulated history (tests/sim/backfill),
# greendot-monitor (--interval 2, --trap-listen, --render-to), busybox
# httpd, and headless Chromium reading the page.
#
#   1. one mail server (mail1) stops: gdServerDown reaches snmptrapd, the
#      MIB says down, the journal records the notification and the
#      transition, the page shows its red dot and Mail Servers degraded;
#   2. the whole group stops: gdGroupDown and gdServiceDown, Client
#      Access down in the journal and on the page, with an automatic
#      incident open under News;
#   3. the RRD files hold 0 for the step after each failure (mail1's and
#      Client Access's), written on top of the simulated history;
#   4. all back: the ups reach snmptrapd, the MIB and the journal, the
#      page shows everything up and the incident resolved.
# About a minute: the RRD step after the failure must close (60 s).
# Every wait is for a condition with a deadline.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init e2e_failover

BIN=$H_BUILD/bin
BACKFILL=$H_BUILD/tests/sim/backfill
DATA=$H_TMP/data SITE=$H_TMP/www DOM=$H_TMP/dom.html
M_DATA=$DATA
. "$TOP/tests/lib/monitor_lib.sh"	# m_has_record, m_journal_time
MON_INTERVAL=2

for b in "$BIN/greendot-monitor" "$BIN/greendot-render" "$BACKFILL"; do
	[ -x "$b" ] || h_fail "$b missing (make all-tests)"
done
h_chromium_check
for t in busybox rrdtool jq; do
	command -v "$t" >/dev/null 2>&1 || h_fail "$t not found (make deps)"
done

# ---- helpers ---------------------------------------------------------------

# st KIND ID WORD: status.json says so (KIND servers|groups|services).
st() {
	jq -e --arg id "$2" --arg w "$3" \
		"any(.$1[]; .id == \$id and .status == \$w)" "$SITE/status.json" \
		>/dev/null
}

# An automatic incident for service ID, in state active|resolved.
incident() {	# ID STATE
	jq -e --arg id "auto-service-$1-" --arg s "$2" \
		'any(.incidents[]; .automatic and (.id | startswith($id)) and
		     ((.status == "resolved") == ($s == "resolved")))' \
		"$SITE/status.json" >/dev/null
}

# The page as the browser built it.
load_page() {
	h_chromium --dump-dom "$URL" >"$DOM" || h_fail "chromium --dump-dom $URL"
	grep -q 'id="services"' "$DOM" || h_fail "no page in $DOM"
}

# part START END: the DOM (on one line) from the first START to the first
# END after it.
part() {
	tr '\n' ' ' <"$DOM" | grep -o -- "$1.*" | sed "s,$2.*,,"
}

# page_has WHAT START END NEEDLE...: each NEEDLE within that part.
page_has() {
	_what=$1 _p=$(part "$2" "$3")
	shift 3
	[ -n "$_p" ] || h_fail "page: no $_what"
	for _n in "$@"; do
		h_assert_contains "$_p" "$_n" "page: $_what"
	done
}

server_on_page() {	# ID WORD
	page_has "server $1" "id=\"server-$1\"" '</li>' "dot dot-$2"
}

group_on_page() {	# ID WORD Label
	page_has "group $1" "id=\"group-$1\"" '</p>' \
		"<span class=\"dot dot-$2\" aria-hidden=\"true\"></span> $3"
}

service_on_page() {	# TITLE WORD Label
	page_has "service $1" ">$1</th>" '</tr>' \
		"<span class=\"dot dot-$2\" aria-hidden=\"true\"></span> $3"
}

incident_on_page() {	# ID CLASS TEXT...
	_id=$1 _cls=$2
	shift 2
	page_has "incident for $_id" \
		"<article class=\"item $_cls\" id=\"news-auto-service-$_id-" \
		'</article>' "$@"
}

# rrd_value FILE T: the AVERAGE of `up` for the step ending at T.
rrd_value() {
	rrdtool fetch "$1" AVERAGE -r 60 -s $(( $2 - 120 )) -e "$2" |
		awk -v t="$2:" '$1 == t { print $2 }'
}

rrd_zero() {	# FILE T
	_v=$(rrd_value "$1" "$2")
	[ -n "$_v" ] && awk -v v="$_v" 'BEGIN { exit !(v == 0) }'
}

# The step after a journal time: its first sample saw the failure.
step_after() {
	awk -v t="$1" 'BEGIN { printf "%d\n", int(t / 60) * 60 + 60 }'
}

# ---- the stack ----------------------------------------------------------------

ag_aluminati
h_start_snmptrapd
MP=$(h_free_port udp)
H_SNMPD_EXTRA="trap2sink 127.0.0.1:$MP $H_COMMUNITY"
h_start_snmpd
ag_start_fakesvc
ag_start -s "$H_TMP/agent.state"
servers_up() {
	[ "$(h_snmpwalk -Oqv GREENDOT-MIB::gdServerOperStatus | grep -c '^up$')" -ge 22 ]
}
h_wait_until 15 "the 22 probed servers up" servers_up
# the backup jobs report in (max-age 90000 s: up for the whole test)
for b in backup1 backup2; do
	h_snmp3 snmpset "GREENDOT-MIB::gdServerHeartbeat.$(ag_index server "$b")" u 0 \
		>/dev/null || h_fail "heartbeat SET for $b"
done

"$BACKFILL" -q -c "$AG_CONFIG" -d "$DATA" || h_fail "backfill"
HISTORY_END=$(sed -n 's/^until=//p' "$DATA/SIMULATED")
[ -n "$HISTORY_END" ] || h_fail "no until= in $DATA/SIMULATED"

h_bg monitor "$BIN/greendot-monitor" -f -Lf "$H_TMP/monitor.log" \
	-v2c -c "$H_COMMUNITY" -t 0.5 -r 1 --data "$DATA" \
	--interval "$MON_INTERVAL" --trap-listen "udp:127.0.0.1:$MP" \
	--render-to "$SITE" "udp:127.0.0.1:$H_SNMPD_PORT"
MON=$H_BG_PID
all_services_up() {
	for s in incoming-mail web-access client-access hosting-service; do
		st services "$s" up || return 1
	done
}
h_wait_until -p "$MON" 30 "every service up on the site" all_services_up

HP=$(h_free_port tcp)
h_bg httpd busybox httpd -f -vv -p "127.0.0.1:$HP" -h "$SITE"
URL=http://127.0.0.1:$HP/index.html
served() { busybox wget -q -O /dev/null "$URL"; }
h_wait_until -p "$H_BG_PID" 10 "httpd serving $URL" served
MAIL1=$(ag_index server mail1)

# ---- 1. one mail server ------------------------------------------------------------

h_log "stop mail1"
h_fakesvc stop mail1
ag_wait_trap 10 gdServerDown mail1
ag_wait_trap 5 gdGroupFailover mail-servers
h_assert_eq "$(ag_value gdServerOperStatus "$MAIL1")" down "mail1 in the MIB"
h_wait_until -p "$MON" 10 "gdServerDown mail1 in the journal" \
	m_has_record notification notification mail1 gdServerDown
h_wait_until -p "$MON" 10 "mail1 down in the journal" \
	m_has_record poll server mail1 down
h_assert m_has_record poll group mail-servers degraded
T_MAIL1=$(m_journal_time poll server mail1 down)
mail1_down() { st servers mail1 down && st groups mail-servers degraded; }
h_wait_until -p "$MON" 10 "mail1 down, Mail Servers degraded on the site" mail1_down
load_page
server_on_page mail1 down
server_on_page mail2 up
group_on_page mail-servers degraded Degraded
h_log "ok: mail1 red, Mail Servers degraded, in the browser"

# ---- 2. the whole group ---------------------------------------------------------------

h_log "stop mail2 and mail3"
h_fakesvc stop mail2 mail3
ag_wait_trap 10 gdGroupDown mail-servers
ag_wait_trap 5 gdServiceDown client-access
h_wait_until -p "$MON" 10 "Client Access down in the journal" \
	m_has_record poll service client-access down
T_CA=$(m_journal_time poll service client-access down)
h_wait_until -p "$MON" 10 "Client Access down with an open incident on the site" \
	incident client-access active
h_assert st services client-access down
h_assert st services incoming-mail down
h_assert st groups mail-servers down
load_page
service_on_page "Client Access" down Down
service_on_page "Incoming Mail" down Down
group_on_page mail-servers down Down
incident_on_page client-access item-active "Client Access down" \
	"drafted automatically by the monitor"
h_log "ok: Client Access down, incident open, in the browser"

# ---- 3. the RRD files ---------------------------------------------------------------------

S_MAIL1=$(step_after "$T_MAIL1")
S_CA=$(step_after "$T_CA")
h_log "mail1 down at $T_MAIL1, Client Access at $T_CA: waiting for the steps $S_MAIL1 and $S_CA"
rrds_zero() {
	rrd_zero "$DATA/rrd/server/mail1.rrd" "$S_MAIL1" &&
		rrd_zero "$DATA/rrd/service/client-access.rrd" "$S_CA"
}
h_wait_until -p "$MON" 75 "0 in the RRD files for the steps after the failures" rrds_zero
v=$(rrd_value "$DATA/rrd/server/mail1.rrd" "$HISTORY_END")
[ -n "$v" ] && [ "$v" != "-nan" ] && [ "$v" != "nan" ] ||
	h_fail "the simulated history is gone from mail1.rrd (value '$v' at $HISTORY_END)"
h_assert_fails grep -q 'not written, left alone' "$H_TMP/monitor.log"
h_log "ok: the RRD files hold 0 at $S_MAIL1 (mail1) and $S_CA (Client Access)"

# ---- 4. all back ----------------------------------------------------------------------------

h_log "start mail1, mail2, mail3"
h_fakesvc start mail1 mail2 mail3
ag_wait_trap 10 gdServiceUp client-access
ag_wait_trap 5 gdServerUp mail1
ag_wait_trap 5 gdGroupUp mail-servers
h_assert_eq "$(ag_value gdServerOperStatus "$MAIL1")" up "mail1 in the MIB"
h_wait_until -p "$MON" 10 "Client Access up in the journal" \
	m_has_record poll service client-access up
h_wait_until -p "$MON" 10 "the incident resolved on the site" \
	incident client-access resolved
h_wait_until -p "$MON" 10 "every service up on the site" all_services_up
h_assert st servers mail1 up
h_assert st groups mail-servers up
load_page
server_on_page mail1 up
group_on_page mail-servers up Up
service_on_page "Client Access" up Up
# resolved as soon as it serves again (perhaps on fail-over, degraded)
incident_on_page client-access item-resolved "Client Access down" \
	'<span class="badge badge-resolved">Resolved</span>' \
	'<span class="ustatus">Resolved: </span>Client Access is'
h_assert h_alive "$MON"
h_log "e2e_failover: ok"
