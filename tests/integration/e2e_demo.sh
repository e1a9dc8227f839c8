#!/bin/sh
# e2e_demo.sh — scripts/demo.sh (what `make demo` runs), in a build folder
# of its own ($H_TMP/build: links to the programs, MIBs and tools):
#
#   1. DEMO_SECONDS=50: it says what runs where, plays the short story
#      (store1 fails over, the mail servers go down and come back), ends
#      by itself with status 0 and leaves no process behind; traps.log
#      holds the notifications by name, the page shows every service up
#      again, the automatic incidents resolved, the demo's note and a
#      week of (simulated) history in the RRD files;
#   2. without DEMO_SECONDS: SIGTERM once the page is up stops it, status
#      0, no process behind.
# Its ports are the demo's (16161-16163, 8080) or, when taken, free ones.
set -u
. "$TOP/tests/lib/harness.sh"
h_init e2e_demo

for b in greendot-agent greendot-monitor greendot-render fakesvc; do
	[ -x "$H_BUILD/bin/$b" ] || h_fail "$H_BUILD/bin/$b missing (make all-tests)"
done
[ -x "$H_BUILD/tests/sim/backfill" ] || h_fail "backfill missing (make all-tests)"
command -v jq >/dev/null 2>&1 || h_fail "jq not found (make deps)"

B=$H_TMP/build
mkdir -p "$B/tests"
ln -s "$H_BUILD/bin" "$B/bin"
ln -s "$H_BUILD/mibs" "$B/mibs"
ln -s "$H_BUILD/tests/sim" "$B/tests/sim"
D=$B/demo

# Processes still running from the demo's folder.
leftovers() {
	_re=$(printf '%s/' "$D" | sed 's/^\(.\)/[\1]/')
	grep -l -- "$_re" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's,^/proc/\([0-9]*\)/cmdline$,\1,p'
}

gone() { ! h_alive "$DEMO_PID"; }

# finish SECS: waits for the demo's exit; its status in RC.
finish() {
	h_wait_until "$1" "the demo's end" gone
	RC=0
	wait "$DEMO_PID" || RC=$?
	h__unregister "$DEMO_PID"
	h_assert_eq "$RC" 0 "the demo's exit status"
	h_assert_eq "$(leftovers | tr '\n' ' ')" "" "processes left behind"
}

said() { grep -qF -- "$1" "$H_TMP/$2.log"; }

# ---- 1. a timed run ------------------------------------------------------------

h_bg demo1 env BUILD="$B" DEMO_SECONDS=50 sh "$TOP/scripts/demo.sh"
DEMO_PID=$H_BG_PID
h_wait_until -p "$DEMO_PID" 60 "the demo's summary" said "the story begins" demo1
for text in "greendot demo: everything runs under" "http://127.0.0.1:" \
	"traps.log" "greendot-monitor" "busybox httpd" "Ctrl-C stops it sooner" \
	"SIMULATED history"; do
	h_assert said "$text" demo1
done
finish 90
for text in "store1 stops" "store1 is back" "mail1, mail2 and mail3 stop" \
	"the mail servers are back" "demo: stopped"; do
	h_assert said "$text" demo1
done
h_log "ok: the timed run said what runs, played the story and stopped"

traps=$(cat "$D/traps.log")
for text in "OID: GREENDOT-MIB::gdServerDown" "OID: GREENDOT-MIB::gdGroupFailover" \
	"OID: GREENDOT-MIB::gdServiceDown" "OID: GREENDOT-MIB::gdServiceUp" \
	"STRING: store1" "STRING: client-access"; do
	h_assert_contains "$traps" "$text" "traps.log"
done
j=$D/www/status.json
h_assert jq -e '[.services[].status] | all(. == "up")' "$j"
h_assert jq -e 'any(.incidents[]; .automatic and .status == "resolved" and
	(.id | startswith("auto-service-client-access-")))' "$j"
page=$(cat "$D/www/index.html")
h_assert_contains "$page" "This is a demo" "the page"
h_assert_contains "$page" "is simulated, not measured" "the page"
h_assert test -s "$D/data/SIMULATED"
# a week of 5-minute averages of the service, nearly all known
known=$(rrdtool fetch "$D/data/rrd/service/client-access.rrd" AVERAGE -r 300 \
	-s end-7d -e now | grep -c ': [0-9]')
[ "$known" -ge 1900 ] || h_fail "client-access.rrd: $known known 5-minute samples in the week"
h_log "ok: traps.log, the page and a week of history"

# ---- 2. stopped by SIGTERM -----------------------------------------------------

h_bg demo2 env BUILD="$B" sh "$TOP/scripts/demo.sh"
DEMO_PID=$H_BG_PID
h_wait_until -p "$DEMO_PID" 60 "the demo running" said "the story begins" demo2
h_assert said "Ctrl-C (or kill" demo2
kill -TERM "$DEMO_PID"
finish 30
h_assert said "stopping on SIGTERM" demo2
h_log "e2e_demo: ok"
