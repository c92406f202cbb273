#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench [BENCH="corefold ..."]`: builds everything and runs each
# module's benchmark (tools/testing/bench/NAME.sh; default all of them) in a
# test VM of its own, so one benchmark's left-overs cannot skew the next and
# each has a time limit that fits it. Each measures our path side by side
# with the existing Linux alternative in the same run and prints ratios.
# Results are left in out/bench/ (results.txt, and NAME/ per benchmark).
set -euo pipefail
FLAVOUR=${1:-fast}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/out/bench
BENCHES=${BENCH:-}
if [ -z "$BENCHES" ]; then
	for b in "$ROOT"/tools/testing/bench/*.sh; do
		[ "$(basename "$b")" = vm-bench.sh ] || BENCHES+=" $(basename "$b" .sh)"
	done
fi
for b in $BENCHES; do
	[ -f "$ROOT/tools/testing/bench/$b.sh" ] || { echo "bench: no benchmark '$b'" >&2; exit 2; }
done
"$ROOT/tools/vm/setup.sh"
KDIR=$("$ROOT/tools/vm/kernel.sh" "$FLAVOUR")
make -s -C "$KDIR" M="$ROOT" modules
make -s -C "$ROOT/tools"
rm -rf "$OUT"
mkdir -p "$OUT"
rc=0
for b in $BENCHES; do
	# corefold's sections take about 23 minutes of VM, 10 of them its hold.
	case $b in
	corefold) limit=3600 ;;
	*) limit=1200 ;;
	esac
	echo "=== $b (up to $limit s)" | tee -a "$OUT/results.txt"
	# 4 GiB: the vmcheckpoint bench maps 1 GiB regions, which cost twice that.
	if ! "$ROOT/tools/vm/run.sh" --flavour "$FLAVOUR" --mem 4096 --timeout $limit \
		--out "$OUT/$b" "$ROOT/tools/testing/bench/vm-bench.sh" "$b" |
		grep -v '^\[' | tee -a "$OUT/results.txt"; then
		rc=1
	fi
done
exit $rc
