#!/bin/sh
# Runs the integration tests: every tests/integration/*.sh, or those named
# as arguments (basename without .sh).  Each runs with its own temp dir
# (TEST_TMPDIR), a hard time limit, and its output kept in
# build/test-logs/NAME.log; a summary says what passed and failed.
set -u
BUILD=${BUILD:-build}
LIMIT=${TEST_TIME_LIMIT:-600}
top=$(cd "$(dirname "$0")/.." && pwd)
logs="$top/$BUILD/test-logs"
mkdir -p "$logs"

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
	if (cd "$top" && BUILD="$BUILD" TOP="$top" \
	    timeout --kill-after=10 "$LIMIT" sh "$t") >"$logs/$name.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok ($(( $(date +%s) - start )) s)"
	else
		rc=$?
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL (exit $rc, $(( $(date +%s) - start )) s); last lines of $logs/$name.log:"
		tail -n 25 "$logs/$name.log" | sed 's/^/    /'
	fi
done
echo "integration: $pass passed, $fail failed${failed:+:$failed}"
[ $fail -eq 0 ]
