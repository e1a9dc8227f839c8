# tests/lib/fault.sh — what the fault-injection tests share
# (tests/integration/fault_*.sh).  Source after tests/lib/harness.sh.
#
#   f_summary NAME INJECTED SURVIVED LOST [MORE]
#                       the line the README's Reliability table is built from:
#                       "FAULTS: NAME injected=N survived=N lost=N MORE"
#   f_rrd_check DIR     every *.rrd under DIR passes `rrdtool info` (one
#                       rrdtool process for all); prints "N files, N bad"
#   f_journal_check FILE   gd_journal_read on FILE (build/tests/fault/
#                       journal-check); prints its counts
#   f_state_valid FILE  xmllint well-formed and valid against state.rng
#   f_temps DIR         how many temporary files (*.tmp.*) are under DIR
#   f_private_mounts    (before h_init) re-runs the test in a mount
#                       namespace of its own, so that no tmpfs it mounts
#                       outlives it, even when it is killed
#   f_mount_tmpfs DIR SIZE   a tmpfs on DIR, unmounted at exit; false
#                       when that cannot be done (not root ...)
#   f_fill DIR          fills DIR's file system (DIR/fill); f_topup DIR
#                       takes what a failed write gave back; f_unfill DIR
#   f_skip MESSAGE      "SKIP: MESSAGE", exit 0
#   f_after SECS        waits until SECS more seconds have passed (a
#                       deadline on the clock, for "the outage lasts N s")
#   f_now               seconds since the epoch
#   f_ge N CMD...       CMD prints a number >= N (for h_wait_until: the
#                       command runs at every poll, not once)
#   f_eq N CMD...       the same, = N

F_TOOLS=$H_BUILD/tests/fault
F_MOUNTS=

f_summary() {
	echo "FAULTS: $1 injected=$2 survived=$3 lost=$4${5:+ $5}"
}

f_now() { date +%s; }

f_ge() {
	_ge_n=$1
	shift
	[ "$("$@")" -ge "$_ge_n" ] 2>/dev/null
}

f_eq() {
	_eq_n=$1
	shift
	[ "$("$@")" -eq "$_eq_n" ] 2>/dev/null
}

# The harness's private server address when it has one (h_server_port,
# H_ADDR), else 127.0.0.1 and a free port.
f__clock_past() { [ "$(f_now)" -ge "$1" ]; }

f_after() {
	_fa_end=$(( $(f_now) + $1 ))
	h_wait_until $(( $1 + 2 )) "$1 s to pass" f__clock_past "$_fa_end"
}

f_skip() {
	echo "SKIP: $*"
	exit 0
}

# One rrdtool process answers "info FILE" for every file: a line "OK ..."
# or "ERROR: ..." per command.
f_rrd_check() {
	find "$1" -name '*.rrd' | sort >"$H_TMP/.rrd-list"
	_rc_n=$(wc -l <"$H_TMP/.rrd-list")
	_rc_bad=$(sed 's/^/info /' "$H_TMP/.rrd-list" | rrdtool - 2>&1 |
		grep -c '^ERROR' || true)
	echo "$_rc_n files, $_rc_bad bad"
	[ "$_rc_bad" -eq 0 ]
}

f_journal_check() {
	"$F_TOOLS/journal-check" "$1"
}

f_state_valid() {
	xmllint --noout --relaxng "$TOP/common/state.rng" "$1" 2>/dev/null
}

f_temps() {
	find "$1" -name '*.tmp.*' 2>/dev/null | wc -l
}

f_private_mounts() {
	[ -z "${F_UNSHARED:-}" ] && [ "$(id -u)" = 0 ] || return 0
	command -v unshare >/dev/null 2>&1 || return 0
	unshare -m --propagation private true 2>/dev/null || return 0
	F_UNSHARED=1 exec unshare -m --propagation private sh "$0" "$@"
}

# The harness's EXIT trap, with the mounts undone first (lazily: the
# processes holding files there are stopped by the harness right after).
f__exit() {
	_fe_rc=$?
	set +e
	for _fe_d in $F_MOUNTS; do umount -l "$_fe_d" 2>/dev/null; done
	(exit $_fe_rc)
	h__cleanup
}

f_mount_tmpfs() {
	[ "$(id -u)" = 0 ] || return 1
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=0755" tmpfs "$1" 2>/dev/null || return 1
	F_MOUNTS="$F_MOUNTS $1"
	trap f__exit EXIT
	return 0
}

# dd stops at ENOSPC; a tmpfs may still hold a few blocks for metadata,
# so a second small file takes what is left.
f_fill() {
	dd if=/dev/zero of="$1/fill" bs=64k 2>/dev/null || :
	dd if=/dev/zero of="$1/fill2" bs=512 2>/dev/null || :
	sync
}

# f_topup DIR: what a write under way during f_fill got and gave back
# when it failed (its temporary file removed) is taken too.
f_topup() {
	dd if=/dev/zero of="$1/fill3" bs=512 2>/dev/null || :
	sync
}

f_unfill() {
	rm -f "$1/fill" "$1/fill2" "$1/fill3"
}
