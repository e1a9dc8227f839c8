#!/bin/sh
# install.sh — make install / make uninstall into a staging folder.
#
#   1. make install DESTDIR=$H_TMP/root PREFIX=/usr/local (the programs are
#      rebuilt in $BUILD/install; $BUILD/bin is left alone);
#   2. every file the tree builds or ships is there, with its mode, and
#      nothing outside PREFIX; copies are identical to the sources, the
#      man pages and units have no @PLACEHOLDER@ left;
#   3. the installed greendot-agent knows the installed schema folder
#      (/usr/local/share/greendot), and with GREENDOT_SCHEMA_DIR pointing
#      into the staging folder says "configuration ok" for the installed
#      example; the other installed programs answer -h;
#   4. the man pages pass mandoc -Tlint and groff -ww with no message;
#   5. the units pass systemd-analyze verify (skipped if not installed);
#   6. make uninstall leaves no file behind.
#
# Run by tests/run-integration.sh from the top of the tree (BUILD, TOP).
set -eu
. "$TOP/tests/lib/harness.sh"
h_init install

# A make of our own: not the -j, variables and jobserver of a make check
# that may have started us.
unset MAKEFLAGS MFLAGS MAKELEVEL
ROOT=$H_TMP/root
PREFIX=/usr/local
P=$ROOT$PREFIX
INSTALL_LOG=$H_TMP/install.log

# The programs the tree builds: the fragments add one when its main.c is
# there (monitor.mk, render.mk).
progs=greendot-agent
[ -f "$TOP/monitor/main.c" ] && progs="$progs greendot-monitor"
[ -f "$TOP/render/main.c" ] && progs="$progs greendot-render"
has() { case " $progs " in *" $1 "*) return 0 ;; esac; return 1; }

# The developer build must not be touched: remember its agent.
dev_agent=$H_BUILD/bin/greendot-agent
dev_stamp=
[ -f "$dev_agent" ] && dev_stamp=$(stat -c '%Y %s %i' "$dev_agent")

# ---- 1. make install ------------------------------------------------------
h_log "make install DESTDIR=$ROOT PREFIX=$PREFIX BUILD=$BUILD"
if ! make --no-print-directory -C "$TOP" install DESTDIR="$ROOT" \
	PREFIX="$PREFIX" BUILD="$BUILD" >"$INSTALL_LOG" 2>&1; then
	tail -n 30 "$INSTALL_LOG"
	h_fail "make install failed (log: $INSTALL_LOG)"
fi
h_log "make install: ok ($(wc -l <"$INSTALL_LOG") lines of output)"

# ---- 2. the files -----------------------------------------------------------
# expect MODE PATH [SOURCE]: PATH (under $ROOT) is a regular file with
# MODE; with SOURCE, a byte-for-byte copy of it.
expected=$H_TMP/expected
: >"$expected"
expect() {
	_f=$ROOT$2
	[ -f "$_f" ] || h_fail "not installed: $2"
	_m=$(stat -c '%a' "$_f")
	h_assert_eq "$_m" "$1" "mode of $2"
	if [ $# -ge 3 ]; then
		cmp -s "$3" "$_f" || h_fail "$2 differs from $3"
	fi
	echo "$2" >>"$expected"
	printf '  %s %s\n' "$_m" "$2"
}

h_log "installed files:"
for p in $progs; do
	expect 755 "$PREFIX/bin/$p"
done
for f in "$TOP"/common/*.rng; do
	expect 644 "$PREFIX/share/greendot/${f##*/}" "$f"
done
expect 644 "$PREFIX/share/snmp/mibs/GREENDOT-MIB.txt" "$TOP/mib/GREENDOT-MIB.txt"
for f in "$TOP"/examples/*; do
	[ -f "$f" ] || continue
	expect 644 "$PREFIX/share/doc/greendot/examples/${f##*/}" "$f"
done
expect 644 "$PREFIX/share/doc/greendot/README.md" "$TOP/README.md"
expect 644 "$PREFIX/share/man/man8/greendot-agent.8"
expect 644 "$PREFIX/share/man/man5/greendot.xml.5"
has greendot-monitor && expect 644 "$PREFIX/share/man/man8/greendot-monitor.8"
has greendot-render && expect 644 "$PREFIX/share/man/man1/greendot-render.1"
expect 644 "$PREFIX/lib/systemd/system/greendot-agent.service"
has greendot-monitor && expect 644 "$PREFIX/lib/systemd/system/greendot-monitor.service"

# the examples the contract names
h_assert [ -f "$P/share/doc/greendot/examples/aluminati.xml" ]
[ -f "$TOP/examples/snmpd.conf" ] &&
	h_assert [ -f "$P/share/doc/greendot/examples/snmpd.conf" ]

# nothing else, and nothing outside PREFIX (no /etc, no /var)
(cd "$ROOT" && find . ! -type d | sed 's|^\.||' | sort) >"$H_TMP/found"
sort "$expected" >"$H_TMP/expected.sorted"
if ! cmp -s "$H_TMP/found" "$H_TMP/expected.sorted"; then
	diff "$H_TMP/expected.sorted" "$H_TMP/found" || true
	h_fail "make install put other files than expected (diff above: > unexpected)"
fi
h_log "exactly the $(wc -l <"$expected") expected files, nothing outside $PREFIX"

# folders 0755
find "$ROOT" -type d ! -perm 755 >"$H_TMP/baddirs"
[ -s "$H_TMP/baddirs" ] && { cat "$H_TMP/baddirs"; h_fail "folders not 0755"; }

# placeholders replaced: PREFIX in the units and the pages
for f in "$P"/share/man/man*/* "$P"/lib/systemd/system/*; do
	if grep -n '@[A-Z][A-Z]*@' "$f"; then
		h_fail "${f#"$ROOT"}: placeholder left"
	fi
done
h_assert grep -q "^ExecStart=$PREFIX/bin/greendot-agent " \
	"$P/lib/systemd/system/greendot-agent.service"
h_assert grep -q "$PREFIX/share/greendot" "$P/share/man/man5/greendot.xml.5"

# ---- 3. the installed programs --------------------------------------------
agent=$P/bin/greendot-agent
example=$P/share/doc/greendot/examples/aluminati.xml
out=$(GREENDOT_SCHEMA_DIR=$P/share/greendot "$agent" -n -c "$example" 2>&1) ||
	h_fail "installed agent -n: exit $?: $out"
h_assert_eq "$out" "configuration ok" "installed agent -n on the installed example"
h_log "installed agent: $out"

# Without the override it looks in PREFIX/share/greendot, not in the
# source tree (unless a real installation is there).
if [ ! -e "$PREFIX/share/greendot/greendot.rng" ]; then
	rc=0
	out=$("$agent" -n -c "$example" 2>&1) || rc=$?
	h_assert_eq "$rc" 2 "installed agent without its schema folder"
	h_assert_contains "$out" "$PREFIX/share/greendot/greendot.rng" \
		"installed agent names the installed schema path"
	h_log "without GREENDOT_SCHEMA_DIR: exit 2, '$out'"
fi
for p in $progs; do
	"$P/bin/$p" -h >"$H_TMP/$p.help" 2>&1 || h_fail "$p -h: exit $?"
	h_assert grep -q "usage: $p" "$H_TMP/$p.help"
done

# The developer build still points at the source tree, untouched.
if [ -n "$dev_stamp" ]; then
	h_assert_eq "$(stat -c '%Y %s %i' "$dev_agent")" "$dev_stamp" \
		"$dev_agent untouched by make install"
	h_assert_eq "$("$dev_agent" -n -c "$TOP/examples/aluminati.xml" 2>&1)" \
		"configuration ok" "developer build finds the source tree's schema"
fi

# ---- 4. man pages ------------------------------------------------------------
pages=$(ls "$P"/share/man/man*/*)
if command -v mandoc >/dev/null 2>&1; then
	for m in $pages; do
		# warnings and worse; style notes such as "referenced manual not
		# found" depend on what this host has installed
		msg=$(mandoc -Tlint -Wwarning "$m" 2>&1) ||
			h_fail "mandoc -Tlint ${m#"$ROOT"}: $msg"
		[ -z "$msg" ] || h_fail "mandoc -Tlint ${m#"$ROOT"}: $msg"
	done
	h_log "mandoc -Tlint -Wwarning: no message for $(echo "$pages" | wc -w) pages"
else
	h_log "SKIP: mandoc not installed (apt-get install mandoc)"
fi
if command -v groff >/dev/null 2>&1; then
	for m in $pages; do
		msg=$(groff -mandoc -ww -z "$m" 2>&1) ||
			h_fail "groff -ww ${m#"$ROOT"}: $msg"
		[ -z "$msg" ] || h_fail "groff -ww ${m#"$ROOT"}: $msg"
		# every page has the sections an operator looks for
		txt=$(groff -mandoc -Tascii -P-cbu "$m" 2>/dev/null)
		for s in NAME SYNOPSIS DESCRIPTION FILES "SEE ALSO"; do
			h_assert_contains "$txt" "$s" "${m##*/}: section $s"
		done
	done
	h_log "groff -mandoc -ww -z: no message"
else
	h_log "SKIP: groff not installed"
fi
for p in $progs; do
	m=$(ls "$P"/share/man/man[18]/"$p".[18])
	txt=$(groff -mandoc -Tascii -P-cbu "$m" 2>/dev/null)
	for s in OPTIONS SIGNALS "EXIT STATUS" EXAMPLES; do
		h_assert_contains "$txt" "$s" "${m##*/}: section $s"
	done
done

# ---- 5. systemd units ----------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify wants the ExecStart programs and the Documentation= pages:
	# point both into the staging folder
	mkdir -p "$H_TMP/units"
	units=
	for u in "$P"/lib/systemd/system/*.service; do
		sed "s|$PREFIX/bin/|$P/bin/|g" "$u" >"$H_TMP/units/${u##*/}"
		units="$units $H_TMP/units/${u##*/}"
	done
	# shellcheck disable=SC2086
	msg=$(cd "$H_TMP/units" && MANPATH=$P/share/man \
		systemd-analyze verify $units 2>&1) ||
		h_fail "systemd-analyze verify: $msg"
	[ -z "$msg" ] || h_fail "systemd-analyze verify: $msg"
	h_log "systemd-analyze verify: no message for$units"
else
	h_log "SKIP: systemd-analyze not installed; units not verified"
fi

# ---- 6. make uninstall --------------------------------------------------------
if ! make --no-print-directory -C "$TOP" uninstall DESTDIR="$ROOT" \
	PREFIX="$PREFIX" BUILD="$BUILD" >"$H_TMP/uninstall.log" 2>&1; then
	cat "$H_TMP/uninstall.log"
	h_fail "make uninstall failed"
fi
left=$(cd "$ROOT" && find . ! -type d)
[ -z "$left" ] || h_fail "make uninstall left: $left"
h_assert [ ! -e "$P/share/greendot" ]
h_assert [ ! -e "$P/share/doc/greendot" ]
h_log "make uninstall: no file left"
h_log "install: all checks passed"
