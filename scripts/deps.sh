#!/bin/sh
# Install the Debian 12 packages greendot needs to build, test and run its
# demo, when they are missing.  Run as root to install; as another user it
# only reports what is missing.
#
#   scripts/deps.sh           install what is missing (root), else report
#   scripts/deps.sh --check   report only; exit 1 when something is missing
set -eu

PACKAGES="
build-essential pkg-config
libsnmp-dev snmpd snmp snmptrapd
librrd-dev rrdtool rrdcached
libxml2-dev libxml2-utils
libcmocka-dev smitools
curl ca-certificates jq procps iproute2
chromium fonts-dejavu-core
busybox
monitoring-plugins-basic
valgrind clang libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done

[ -z "$missing" ] && exit 0

if [ "${1:-}" = --check ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run 'make deps' as root (or apt-get install$missing)" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: re-run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Debian's snmpd and rrdcached packages start system daemons; greendot's
# tests run private ones, so keep the packaged services from starting.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && made_policy=1
fi
apt-get update -q >/dev/null || apt-get update
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
[ $made_policy = 1 ] && rm -f $policy
exit 0
