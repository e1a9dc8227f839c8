#!/bin/sh
# Fetch the IETF base MIBs (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF, SNMPv2-MIB…)
# that Debian does not ship, from the npm package net-snmp (pinned), into
# DEST (build/mibs).  Never committed: see README, "Build".
set -eu

DEST=${1:-build/mibs}
VERSION=3.29.2
URL=https://registry.npmjs.org/net-snmp/-/net-snmp-$VERSION.tgz
SHA512=$(cat "$(dirname "$0")/net-snmp-$VERSION.sha512")

[ -f "$DEST/.version" ] && [ "$(cat "$DEST/.version")" = "$VERSION" ] && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if command -v curl >/dev/null 2>&1; then
	curl -fsSL --retry 3 -o "$tmp/pkg.tgz" "$URL"
else
	(cd "$tmp" && npm pack --silent "net-snmp@$VERSION" >/dev/null && mv net-snmp-$VERSION.tgz pkg.tgz)
fi
got=$(sha512sum "$tmp/pkg.tgz" | cut -d' ' -f1)
if [ "$got" != "$SHA512" ]; then
	echo "fetch-mibs: checksum mismatch for $URL" >&2
	exit 1
fi
tar -xzf "$tmp/pkg.tgz" -C "$tmp" package/lib/mibs
mkdir -p "$DEST"
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMPv2-MIB; do
	cp "$tmp/package/lib/mibs/$m.mib" "$DEST/$m.txt" 2>/dev/null ||
	cp "$tmp/package/lib/mibs/$m.txt" "$DEST/$m.txt"
done
echo "$VERSION" >"$DEST/.version"
