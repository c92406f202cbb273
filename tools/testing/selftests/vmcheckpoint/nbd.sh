#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replication to another host: the backup is nbd-server in its own
# network namespace exporting a file, reached through the kernel's NBD
# client (/dev/nbd0); the replicator writes the replica to the block
# device. The writer checks the replica through /dev/nbd0 after every
# acknowledged checkpoint, and at the end the backup host's file itself
# equals the region's checkpoint view.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
P=ckptnbd
N=/dev/lpar_ckpt/$P/vm
W=$(mktemp -d /tmp/vmckpt.XXXXXX)
REPL=
cleanup() {
	[ -n "$REPL" ] && kill "$REPL" 2>/dev/null && wait "$REPL" 2>/dev/null
	nbd-backup.sh down ckptbackup /dev/nbd0
	lparctl delete $P >/dev/null 2>&1
	rm -rf "$W"
}
trap 'cleanup; t_done' EXIT
field() { grep -o "$1 [0-9]*" "$2" | tail -1 | cut -d' ' -f2; }

lparctl create $P --memory 64M >/dev/null
lparctl ckpt create $P vm --size 8M --ring 4096 --guard 64 >/dev/null
t_ok "backup host: nbd-server in netns ckptbackup, /dev/nbd0 connected" \
	nbd-backup.sh up ckptbackup "$W/backup.img" 8M /dev/nbd0
t_eq "the NBD device has the region's size" 8388608 "$(blockdev --getsize64 /dev/nbd0)"
lparctl ckpt replicate $P vm /dev/nbd0 >"$W/repl.log" 2>&1 &
REPL=$!
ckpt-writer --region $N --threads 4 --rounds 15 --writes 300 --seed 23 --sync \
	--replica /dev/nbd0 >"$W/w.log" 2>&1
t_result $? "writer over NBD: every acknowledged checkpoint identical" "$(cat "$W/w.log")"
t_eq "16 identical replicas" 16 "$(field replica_match "$W/w.log")"
kill "$REPL"
wait "$REPL"
REPL=
t_true "the replicator summary counts shipped bytes" grep -q "bytes shipped" "$W/repl.log"
nbd-client -d /dev/nbd0 >/dev/null 2>&1
t_true "the backup host's file equals the checkpoint view" cmp -s "$W/backup.img" $N
