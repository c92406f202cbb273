#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: set up, build, boot the test VM and play an operator's story
# with lparctl (tools/demo/story.sh). `tools/demo.sh --step N` replays one
# step. Exits non-zero if any step failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FLAVOUR=${FLAVOUR:-fast}
"$ROOT/tools/vm/setup.sh"
KDIR=$("$ROOT/tools/vm/kernel.sh" "$FLAVOUR")
make -s -C "$KDIR" M="$ROOT" modules
make -s -C "$ROOT/tools" >/dev/null
"$ROOT/tools/vm/run.sh" --flavour "$FLAVOUR" --timeout 900 --out "$ROOT/out/demo" \
	"$ROOT/tools/demo/story.sh" "$@" 2>&1 | grep -v -E '^\[ *[0-9]+\.[0-9]+\]|^qemu-system'
exit "${PIPESTATUS[0]}"
