#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Idempotent host set-up for the lpar suite: adds Debian bookworm-backports
# if it is missing and installs exactly the packages the build, the test VM
# and the tools need. Safe to run again; does nothing when all is present.
set -euo pipefail

PKGS=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod
      xz-utils rsync sparse coccinelle pkg-config libnl-3-dev
      libnl-genl-3-dev busybox-static python3 python3-yaml python3-jsonschema
      iproute2 iperf3 jq perl cpuid msr-tools ethtool tcpdump
      nbd-server nbd-client stress-ng rt-tests rt-app hwloc-nox gnuplot-nox)
BPO_PKGS=(linux-source-6.12 qemu-system-x86)

missing=()
for p in "${PKGS[@]}" "${BPO_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# qemu from bookworm proper is 7.2 (no igb SR-IOV); require the backport.
if ! qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; then
	missing+=(qemu-system-x86)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "setup: adding bookworm-backports" >&2
	$SUDO tee /etc/apt/sources.list.d/lpar-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports \
	"${BPO_PKGS[@]}" >/dev/null
