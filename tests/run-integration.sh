#!/bin/sh
# Runs the integration tests: every tests/integration/*.sh, or those named
# as arguments (basename without .sh).  Each runs with its own temp dir
# (TEST_TMPDIR), a hard time limit, and its output kept in
# build/test-logs/NAME.log; a summary says what passed and failed.
#
# Memory checkers (tests/tests.mk passes SANITIZE and VALGRIND on).  A
# daemon's report would vanish with its stderr, so every report goes to
# a file in $BUILD/reports/NAME/, and a test that left one fails,
# whatever its own verdict:
#
#   SANITIZE=1  the programs are built with ASan and UBSan (in build/asan);
#               their reports go there through log_path.
#   VALGRIND=1  greendot-agent, greendot-monitor and greendot-render, as
#               the tests start them, run under valgrind (memcheck, leaks
#               as in tests/valgrind.supp): the test sees BUILD=
#               $BUILD/valgrind, whose bin/ holds wrappers and whose
#               other entries are links to $BUILD's.  Tests in VG_SKIP run
#               without it: install builds its own programs with make;
#               fault_snmp_malformed's deadlines (a recovery through the
#               monitor's backoff in 15 s) are for full speed, and
#               fault_monitor_kill kills the monitor milliseconds after
#               its start, before valgrind has it running.
set -u
BUILD=${BUILD:-build}
LIMIT=${TEST_TIME_LIMIT:-600}
SANITIZE=${SANITIZE:-}
VALGRIND=${VALGRIND:-}
VG_SKIP=${VG_SKIP-"install fault_snmp_malformed fault_monitor_kill"}
top=$(cd "$(dirname "$0")/.." && pwd)
logs="$top/$BUILD/test-logs"
mkdir -p "$logs"

# reports_begin NAME: a fresh, empty report folder for the test.
# World-writable (sticky): a daemon started with -u USER writes there too.
reports_begin() {
	rep_dir=$top/$BUILD/reports/$1
	rm -rf "$rep_dir"
	mkdir -p "$rep_dir" && chmod 1777 "$rep_dir"
	if [ "$SANITIZE" = 1 ]; then
		ASAN_OPTIONS="${san_asan}:log_path=$rep_dir/asan"
		UBSAN_OPTIONS="${san_ubsan}:log_path=$rep_dir/ubsan"
		export ASAN_OPTIONS UBSAN_OPTIONS
	fi
	GD_VG_DIR=$rep_dir
	export GD_VG_DIR
}

# reports_check: false, with the reports' first lines, when the test left
# any (valgrind -q writes nothing when there is nothing to say).
reports_check() {
	rep_files=$(find "$rep_dir" -type f -size +0 2>/dev/null)
	[ -z "$rep_files" ] && return 0
	for f in $rep_files; do
		echo "memory checker report $f:"
		sed -n '1,60p' "$f"
	done
	return 1
}

# Deadlines stretch with the checkers' slowness (tests/lib/harness.sh).
if [ "$SANITIZE" = 1 ]; then
	H_TIME_SCALE=${H_TIME_SCALE:-3}
elif [ "$VALGRIND" = 1 ]; then
	H_TIME_SCALE=${H_TIME_SCALE:-5}
fi
export H_TIME_SCALE

if [ "$SANITIZE" = 1 ]; then
	san_asan=${ASAN_OPTIONS:-fast_unwind_on_malloc=0}
	san_ubsan=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
	export LSAN_OPTIONS
fi

# vg_build: $BUILD/valgrind, $BUILD seen through valgrind.  exec keeps the
# pid the harness recorded; %q{GD_VG_DIR} is the test's report folder.
vg_build() {
	vg=$top/$BUILD/valgrind
	rm -rf "$vg"
	mkdir -p "$vg/bin"
	for e in "$top/$BUILD"/*; do
		case ${e##*/} in bin | valgrind | reports | test-logs) continue ;; esac
		ln -s "$e" "$vg/${e##*/}"
	done
	for p in "$top/$BUILD"/bin/*; do
		case ${p##*/} in
		greendot-*)
			cat >"$vg/bin/${p##*/}" <<EOF
#!/bin/sh
exec valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--suppressions="$top/tests/valgrind.supp" \\
	--log-file="%q{GD_VG_DIR}/valgrind.%p.${p##*/}" "$p" "\$@"
EOF
			chmod 755 "$vg/bin/${p##*/}" ;;
		*) ln -s "$p" "$vg/bin/${p##*/}" ;;
		esac
	done
}

if [ "$VALGRIND" = 1 ]; then
	command -v valgrind >/dev/null || { echo "VALGRIND=1: no valgrind" >&2; exit 1; }
	vg_build
fi

# The BUILD a test sees.
test_build() {
	if [ "$VALGRIND" = 1 ]; then
		case " $VG_SKIP " in
		*" $1 "*) ;;
		*) echo "$BUILD/valgrind"; return ;;
		esac
	fi
	echo "$BUILD"
}

if [ $# -gt 0 ]; then
	tests=""
	for t in "$@"; do tests="$tests $top/tests/integration/$t.sh"; done
else
	tests=$(ls "$top"/tests/integration/*.sh 2>/dev/null)
fi

pass=0 fail=0 failed=""
for t in $tests; do
	name=$(basename "$t" .sh)
	start=$(date +%s)
	printf '== %-28s ' "$name"
	reports_begin "$name"
	if (cd "$top" && BUILD="$(test_build "$name")" TOP="$top" \
	    timeout --kill-after=10 "$LIMIT" sh "$t") >"$logs/$name.log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	if ! reports_check >>"$logs/$name.log"; then
		[ "$rc" = 0 ] && rc=99	# the test passed, its programs did not
	fi
	if [ "$rc" = 0 ]; then
		pass=$((pass + 1))
		echo "ok ($(( $(date +%s) - start )) s)"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL (exit $rc, $(( $(date +%s) - start )) s); last lines of $logs/$name.log:"
		tail -n 25 "$logs/$name.log" | sed 's/^/    /'
	fi
done
echo "integration: $pass passed, $fail failed${failed:+:$failed}"
[ $fail -eq 0 ]
