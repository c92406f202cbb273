#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: builds everything, boots the test VM and runs every
# module's benchmark (tools/testing/bench/*.sh), each of which measures our
# path side by side with the existing Linux alternative in the same run and
# prints ratios. Results are also left in out/bench/.
set -euo pipefail
FLAVOUR=${1:-fast}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/out/bench
"$ROOT/tools/vm/setup.sh"
KDIR=$("$ROOT/tools/vm/kernel.sh" "$FLAVOUR")
make -s -C "$KDIR" M="$ROOT" modules
make -s -C "$ROOT/tools"
rm -rf "$OUT"
mkdir -p "$OUT"
# 4 GiB: the vmcheckpoint bench maps 1 GiB regions, which cost twice that.
"$ROOT/tools/vm/run.sh" --flavour "$FLAVOUR" --mem 4096 --timeout 1800 --out "$OUT/vm" \
	"$ROOT/tools/testing/bench/vm-bench.sh" | grep -v '^\[' | tee "$OUT/results.txt"
