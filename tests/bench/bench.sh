#!/bin/sh
# tests/bench/bench.sh — `make bench`: runs the scenarios, prints one
# Markdown table and writes it to $BUILD/bench/results.md.
#
#   1 walk.sh      agent walk at 1k/10k/100k servers vs snmpd's own table
#   2 probe.sh     probe engine vs check_tcp through xargs -P 2
#   3 poll.sh      greendot-monitor --once vs snmpbulkwalk + rrdtool update
#   4 render.sh    greendot-render vs rrdtool graph per graph
#   5 failover.sh  stop to notification and to page vs interval polling
#   6 memory       peak RSS (rows from walk.sh and poll.sh)
#
# Each scenario is a script of its own (tests/lib/harness.sh: its own temp
# dir, its daemons cleaned up), appending rows to $BENCH_ROWS:
#
#   SCENARIO <tab> WHAT <tab> GREENDOT <tab> PEER <tab> RATIO <tab> FLOOR <tab> NOTE
#
# RATIO is peer / greendot (higher is better for greendot) and is judged
# against FLOOR when both are numbers; FLOOR "<=X" is a ceiling (the
# walk's growth).  Exit 1 when a ratio is out of bounds or a scenario
# failed to run.
#
# Settings: BENCH_ONLY (scenario names), BENCH_QUICK=1 (1 run, no
# warm-up), BENCH_RUNS, BENCH_WARMUP; each scenario's own (see its head).
set -u
: "${TOP:=$(pwd)}"
: "${BUILD:=build}"
case $BUILD in
/*) OUT=$BUILD/bench ;;
*) OUT=$TOP/$BUILD/bench ;;
esac
ALL="walk probe poll render failover"
ONLY=${BENCH_ONLY:-$ALL}
[ -n "$(echo "$ONLY" | tr -d ' ')" ] || ONLY=$ALL
export TOP BUILD BENCH_ROWS="$OUT/rows.tsv"
[ "${BENCH_QUICK:-}" = 1 ] || unset BENCH_QUICK
mkdir -p "$OUT"
: >"$BENCH_ROWS"

for tool in "$OUT/shim.so" "$OUT/bench-time"; do
	[ -e "$tool" ] || { echo "bench: $tool missing (make bench-tools)" >&2; exit 2; }
done

# ---- the machine ---------------------------------------------------------------
machine() {
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	mem=$(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	deb=$(cat /etc/debian_version 2>/dev/null || echo "?")
	echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $mem RAM; Linux $(uname -r); Debian $deb; net-snmp $(net-snmp-config --version 2>/dev/null || echo '?'), rrdtool $(rrdtool --version 2>/dev/null | sed -n '1s/^RRDtool \([0-9.]*\).*/\1/p')."
}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
DATE0=$(date -u '+%Y-%m-%d %H:%M UTC')
T0=$(date +%s)

# ---- the scenarios ----------------------------------------------------------------
limit() {	# scenario: seconds it may take
	case $1 in
	walk) echo 1200 ;;
	*) echo 600 ;;
	esac
}
failed=
for s in $ONLY; do
	case " $ALL " in
	*" $s "*) ;;
	*) echo "bench: no scenario '$s' (one of: $ALL)" >&2; exit 2 ;;
	esac
	echo "== $s ($(date -u +%H:%M:%S))" >&2
	ts=$(date +%s)
	if timeout -k 10 "$(limit "$s")" sh "$TOP/tests/bench/$s.sh" >"$OUT/$s.log" 2>&1; then
		echo "   $s: $(( $(date +%s) - ts )) s" >&2
	else
		echo "   $s FAILED (exit $?), log: $OUT/$s.log" >&2
		tail -n 15 "$OUT/$s.log" | sed 's/^/   | /' >&2
		failed="$failed $s"
	fi
done
T1=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ------------------------------------------------------------------
if [ "${BENCH_QUICK:-}" = 1 ]; then
	runs="${BENCH_RUNS:-1} run(s), ${BENCH_WARMUP:-0} warm-up (BENCH_QUICK)"
else
	runs="median of ${BENCH_RUNS:-5} runs after ${BENCH_WARMUP:-1} warm-up"
fi
{
	echo "### make bench, $DATE0"
	echo
	machine
	echo "Load average $LOAD0 at the start, $LOAD1 at the end; $(( (T1 - T0) / 60 )) min $(( (T1 - T0) % 60 )) s; $runs."
	echo
	echo "| scenario | measure | greendot | peer | ratio | floor | |"
	echo "|---|---|---:|---:|---:|---:|---|"
	awk -F '\t' -v order="walk probe poll render failover memory" '
	BEGIN {
		n = split(order, o, " ")
		for (i = 1; i <= n; i++) rank[o[i]] = i
		title["walk"] = "1 Agent walk"; title["probe"] = "2 Probe engine"
		title["poll"] = "3 Poll and store"; title["render"] = "4 Render"
		title["failover"] = "5 Fail-over"; title["memory"] = "6 Memory"
	}
	{ row[NR] = $0; key[NR] = sprintf("%02d%04d", rank[$1], NR) }
	END {
		for (i = 1; i <= NR; i++) idx[i] = i
		# insertion sort by scenario, then by order of arrival
		for (i = 2; i <= NR; i++)
			for (j = i; j > 1 && key[idx[j - 1]] > key[idx[j]]; j--) {
				t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t
			}
		for (k = 1; k <= NR; k++) {
			split(row[idx[k]], f, "\t")
			verdict = ""
			if (f[6] ~ /^<=/) {
				lim = substr(f[6], 3) + 0
				verdict = (f[5] + 0 <= lim) ? "ok" : "**over**"
				floor = "<= " lim "x"; ratio = f[5] "x"
			} else if (f[6] ~ /^[0-9.]+$/ && f[5] ~ /^[0-9.]+$/) {
				verdict = (f[5] + 0 >= f[6] + 0) ? "ok" : "**below**"
				floor = f[6] "x"; ratio = f[5] "x"
			} else {
				floor = f[6] == "-" ? "" : f[6]
				ratio = f[5] == "-" ? "" : f[5] "x"
			}
			scen = (f[1] != last) ? title[f[1]] : ""
			last = f[1]
			printf "| %s | %s [%d] | %s | %s | %s | %s | %s |\n", scen, f[2], k,
				f[3], f[4] == "-" ? "" : f[4], ratio, floor, verdict
			note[k] = f[7]
		}
		print ""
		for (k = 1; k <= NR; k++) printf "%d. %s\n", k, note[k]
	}' "$BENCH_ROWS"
	echo
	echo "Ratio: the peer's time over greendot's (higher is better for greendot); the walk's growth: 100k over 10k."
	[ -z "$failed" ] || echo "Scenarios that failed to run:$failed (logs in $OUT)."
} >"$OUT/results.md"
cat "$OUT/results.md"

bad=$(grep -c -e '\*\*below\*\*' -e '\*\*over\*\*' "$OUT/results.md")
if [ -n "$failed" ] || [ "$bad" -gt 0 ]; then
	echo "bench: $bad ratio(s) out of bounds${failed:+, failed:$failed}" >&2
	exit 1
fi
exit 0
