#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (once) and prints the path of the lpar test kernel for a flavour.
# The tree is Debian's linux-source-6.12, configured as allnoconfig plus the
# fragments in config/, and cached outside the work tree under a key made of
# the fragments' hash and the source package version, so a second run only
# prints the path.
#
# usage: kernel.sh [fast|debug]    (stdout: the kernel build directory)
set -euo pipefail

FLAVOUR=${1:-fast}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LPAR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lpar}
TARBALL=/usr/src/linux-source-6.12.tar.xz

case "$FLAVOUR" in
fast) FRAGS=("$HERE/config/base.config") ;;
debug) FRAGS=("$HERE/config/base.config" "$HERE/config/debug.config") ;;
*) echo "kernel.sh: unknown flavour '$FLAVOUR' (fast|debug)" >&2; exit 2 ;;
esac

[ -r "$TARBALL" ] || { echo "kernel.sh: $TARBALL missing (run tools/vm/setup.sh)" >&2; exit 1; }
SRCVER=$(dpkg-query -W -f='${Version}' linux-source-6.12)
KEY=$( (echo "$SRCVER"; cat "${FRAGS[@]}") | sha256sum | cut -c1-12)
SRC=$CACHE/src-$SRCVER
OUT=$CACHE/kernel-$FLAVOUR-$KEY

if [ -f "$OUT/.lpar-built" ]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$CACHE"
# One lock per kernel, so that building one flavour never waits for the
# other; whoever waited re-checks, as the holder may have built it.
exec 9>"$OUT.lock"
flock 9
if [ -f "$OUT/.lpar-built" ]; then
	echo "$OUT"
	exit 0
fi
exec 8>"$CACHE/.src.lock"
flock 8
if [ ! -f "$SRC/.lpar-extracted" ]; then
	echo "kernel.sh: extracting $TARBALL" >&2
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -C "$SRC.tmp" --strip-components=1 -xf "$TARBALL"
	touch "$SRC.tmp/.lpar-extracted"
	mv "$SRC.tmp" "$SRC"
fi
exec 8>&-

start=$(date +%s)
echo "kernel.sh: building $FLAVOUR kernel in $OUT" >&2
rm -rf "$OUT"
mkdir -p "$OUT"
make -s -C "$SRC" O="$OUT" allnoconfig >&2
"$SRC/scripts/kconfig/merge_config.sh" -n -m -O "$OUT" "$OUT/.config" "${FRAGS[@]}" >/dev/null
make -s -C "$SRC" O="$OUT" olddefconfig >&2
# Every symbol of the fragments must have survived olddefconfig: a silently
# dropped option (unmet dependency) would make the tests lie.
bad=0
for f in "${FRAGS[@]}"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) sym=${line%%=*}
			grep -q "^$sym=" "$OUT/.config" && { echo "kernel.sh: $sym should be off" >&2; bad=1; } ;;
		CONFIG_*) grep -qxF "$line" "$OUT/.config" || { echo "kernel.sh: '$line' not in final config" >&2; bad=1; } ;;
		esac
	done <"$f"
done
[ $bad -eq 0 ] || exit 1
make -s -C "$SRC" O="$OUT" -j"$(nproc)" bzImage modules >&2
make -s -C "$SRC" O="$OUT" INSTALL_MOD_PATH="$OUT/mods" modules_install >&2
echo "$(( $(date +%s) - start ))" >"$OUT/.lpar-build-seconds"
touch "$OUT/.lpar-built"
echo "kernel.sh: $FLAVOUR kernel built in $(cat "$OUT/.lpar-build-seconds") s" >&2
echo "$OUT"
