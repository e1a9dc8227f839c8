#!/bin/sh
# access_files.sh — files others could change, and the files we write.
#
#   warnings: a config writable by group or others is loaded with a
#             warning naming it and its mode, by greendot-agent -n (on
#             stderr, still "configuration ok") and by the daemon (in its
#             log); a news file writable by others is read by
#             greendot-render with the same warning; a 0644 file draws
#             none.
#   modes:    under umask 000, nothing the programs write is writable by
#             group or others: the agent's state file (0600) and pid file,
#             the monitor's data folder (state.xml, journal, rrd/ and the
#             RRD files), the site greendot-render writes.
set -u
. "$TOP/tests/lib/harness.sh"
. "$TOP/tests/lib/agent.sh"
h_init access_files
umask 000

WARN="is writable by group/others"

# --- warnings ---------------------------------------------------------------
ag_aluminati
chmod 0644 "$AG_CONFIG"
out=$("$AG_BIN" -n -c "$AG_CONFIG" 2>&1) || h_fail "-n: $out"
case $out in
*"$WARN"*) h_fail "a 0644 config drew a warning: $out" ;;
esac
chmod 0664 "$AG_CONFIG"
out=$("$AG_BIN" -n -c "$AG_CONFIG" 2>&1) || h_fail "-n: $out"
h_assert_contains "$out" "config $AG_CONFIG $WARN (mode 0664)" "-n, 0664"
h_assert_contains "$out" "configuration ok" "-n, 0664: still loads"
chmod 0646 "$AG_CONFIG"
out=$("$AG_BIN" -n -c "$AG_CONFIG" 2>&1) || h_fail "-n: $out"
h_assert_contains "$out" "config $AG_CONFIG $WARN (mode 0646)" "-n, 0646"
h_log "agent -n warns about a writable config"

# --- the agent --------------------------------------------------------------
h_start_snmpd
ag_start_fakesvc
ag_start -s "$H_TMP/agent.state" -P "$H_TMP/agent.pid"
h_assert_contains "$(cat "$H_TMP/agent.log")" "config $AG_CONFIG $WARN (mode 0646)" \
	"the daemon's log"
h_wait_until 5 "the state file" test -s "$H_TMP/agent.state"
h_assert_eq "$(stat -c %a "$H_TMP/agent.state")" 600 "agent state file"
h_assert_eq "$(stat -c %a "$H_TMP/agent.pid")" 644 "agent pid file"

# --- the monitor and the renderer ---------------------------------------------
DATA=$H_TMP/data SITE=$H_TMP/site
"$H_BUILD/bin/greendot-monitor" --once -L f "$H_TMP/monitor.log" \
	--data "$DATA" -v2c -c "$H_COMMUNITY" -t 0.5 -r 1 \
	"udp:127.0.0.1:$H_SNMPD_PORT" || h_fail "monitor --once failed"
[ -n "$(find "$DATA" -name '*.rrd' | head -1)" ] || h_fail "no RRD file"
h_assert test -f "$DATA/state.xml"
h_assert test -f "$DATA/journal"

cp "$TOP/examples/news.xml" "$H_TMP/news.xml"
chmod 0666 "$H_TMP/news.xml"
"$H_BUILD/bin/greendot-render" --data "$DATA" --out "$SITE" \
	--news "$H_TMP/news.xml" -L "f $H_TMP/render.log" ||
	h_fail "render failed: $(tail -5 "$H_TMP/render.log")"
h_assert_contains "$(cat "$H_TMP/render.log")" \
	"news file $H_TMP/news.xml $WARN (mode 0666)" "render's log"
h_assert test -f "$SITE/index.html"

writable=$(find "$DATA" "$SITE" "$H_TMP/agent.state" "$H_TMP/agent.pid" \
	-perm /022 -printf '%m %p\n')
[ -z "$writable" ] || h_fail "written writable by group/others under umask 000:
$writable"
h_log "$(find "$DATA" "$SITE" | wc -l) files and folders written, none writable by group/others"
h_log "access_files: ok"
