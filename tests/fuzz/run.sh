#!/bin/sh
# Runs the libFuzzer harnesses that tests/fuzz/fuzz.mk built.
#
#   run.sh fuzz SECONDS JOBS NAME...   fuzz each NAME for SECONDS, JOBS at
#                                      once; a table; exit 1 on any crash,
#                                      leak or timeout
#   run.sh regress NAME...             each NAME once over its committed
#                                      corpus and regression inputs; the
#                                      inputs of known, unfixed bugs
#                                      (pending/NAME/) are reported only
#   run.sh one SECONDS NAME            (internal: one fuzzing run)
#
# Environment: FUZZ_BUILD (build/fuzz), FUZZ_TIMEOUT (seconds one input
# may take, 10).  Everything written goes under FUZZ_BUILD:
#   corpus/NAME/     inputs found (the committed seeds stay as they are)
#   artifacts/NAME/  crash-*, leak-*, timeout-* inputs
#   logs/NAME.log    libFuzzer's output
set -u

B=${FUZZ_BUILD:-build/fuzz}
TMO=${FUZZ_TIMEOUT:-10}
SRC=tests/fuzz
# UBSan reports already abort (-fno-sanitize-recover); a stack says where.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# Per-harness libFuzzer options: longest input worth trying.
opts_of() {
	case $1 in
	journal_read) echo "-max_len=16384" ;;	# past the 4096-byte line
	probe) echo "-max_len=4200" ;;		# past PROBE_RX_MAX
	iso8601|dateandtime) echo "-max_len=64" ;;
	config|state|news) echo "-max_len=16384" ;;
	*) ;;
	esac
}

dict_of() {
	[ -f "$SRC/dict/$1.dict" ] && echo "-dict=$SRC/dict/$1.dict"
}

# The value of libFuzzer's "stat::NAME:" line, or "-".
stat_of() {
	v=$(sed -n "s/^stat::$2: *//p" "$1" | tail -1)
	echo "${v:--}"
}

one() {
	secs=$1 name=$2
	bin=$B/bin/fuzz_$name log=$B/logs/$name.log
	mkdir -p "$B/corpus/$name" "$B/artifacts/$name" "$B/logs"
	seeds=$SRC/corpus/$name
	[ -d "$seeds" ] || seeds=
	# shellcheck disable=SC2046,SC2086
	"$bin" -max_total_time="$secs" -timeout="$TMO" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$B/artifacts/$name/" \
		$(opts_of "$name") $(dict_of "$name") \
		"$B/corpus/$name" $seeds >"$log" 2>&1
	echo $? >"$B/logs/$name.rc"
}

result_of() {
	log=$1 rc=$2
	if [ "$rc" = 0 ]; then echo ok; return; fi
	if grep -q 'libFuzzer: timeout' "$log"; then echo TIMEOUT
	elif grep -q 'LeakSanitizer' "$log"; then echo LEAK
	elif grep -q 'out-of-memory' "$log"; then echo OOM
	else echo CRASH
	fi
}

summary() {
	fail=0
	printf '%-14s %10s %8s %7s %7s %7s  %s\n' harness runs exec/s cov ft \
		corpus result
	for name in "$@"; do
		log=$B/logs/$name.log
		rc=$(cat "$B/logs/$name.rc" 2>/dev/null || echo 1)
		res=$(result_of "$log" "$rc")
		last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
		cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
		corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
		printf '%-14s %10s %8s %7s %7s %7s  %s\n' "$name" \
			"$(stat_of "$log" number_of_executed_units)" \
			"$(stat_of "$log" average_exec_per_sec)" \
			"${cov:--}" "${ft:--}" "${corp:--}" "$res"
		[ "$res" = ok ] && continue
		fail=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		echo "  $name: see $log${art:+; input $art}" >&2
		[ -n "$art" ] && echo "  reproduce: $B/bin/fuzz_$name $art" >&2
	done
	return $fail
}

fuzz() {
	secs=$1 jobs=$2
	shift 2
	[ $# -gt 0 ] || { echo "fuzz: no harness" >&2; exit 1; }
	for name in "$@"; do
		rm -f "$B/logs/$name.rc"
	done
	echo "fuzz: $# harnesses, $secs s each, $jobs at a time" \
		"(logs in $B/logs/)"
	printf '%s\n' "$@" | xargs -P "$jobs" -I{} "$0" one "$secs" {}
	summary "$@"
}

regress() {
	fail=0
	printf '%-14s %7s %6s  %s\n' harness inputs secs result
	for name in "$@"; do
		bin=$B/bin/fuzz_$name log=$B/logs/$name.regress.log
		mkdir -p "$B/logs"
		files=$(find "$SRC/corpus/$name" "$SRC/crashes/$name" -type f \
			2>/dev/null | sort)
		n=$(printf '%s' "$files" | grep -c .)
		if [ "$n" -eq 0 ]; then
			printf '%-14s %7s %6s  %s\n' "$name" 0 - "no inputs"
			continue
		fi
		start=$(date +%s)
		# shellcheck disable=SC2086
		"$bin" -timeout="$TMO" -rss_limit_mb=2048 $files >"$log" 2>&1
		rc=$?
		res=$(result_of "$log" "$rc")
		printf '%-14s %7s %6s  %s\n' "$name" "$n" \
			$(($(date +%s) - start)) "$res"
		if [ "$res" != ok ]; then
			fail=1
			grep -E 'ERROR|SUMMARY|property failed|Running:' "$log" |
				tail -5 >&2
		fi
	done
	pending "$@"
	return $fail
}

# Inputs of known bugs not fixed yet (in code this harness's owner does
# not own): run one by one, reported, never failing the run; one that
# passes has been fixed and belongs in crashes/.
pending() {
	for name in "$@"; do
		for f in $(find "$SRC/pending/$name" -type f 2>/dev/null | sort); do
			if FUZZ_ALL_BUGS=1 "$B/bin/fuzz_$name" -timeout="$TMO" "$f" \
				>"$B/logs/$name.pending.log" 2>&1; then
				echo "pending: $f passes now: move it to $SRC/crashes/$name/"
			else
				echo "pending: $f still fails (known bug, see $SRC/README)"
			fi
		done
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
fuzz) fuzz "$@" ;;
regress) regress "$@" ;;
one) one "$@" ;;
*) echo "usage: $0 fuzz SECONDS JOBS NAME... | regress NAME..." >&2; exit 2 ;;
esac
