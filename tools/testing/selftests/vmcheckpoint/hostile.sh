#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile and careless clients of lpar_vmckpt: garbage consumer indices
# written to the shared page, impossible acks, forbidden mappings and
# ioctls, bad create requests, unmapping while checkpoints run, reading
# the checkpoint view into the region's own mapping while the consumer
# page is mapped and unmapped (the r->lock/mmap_lock order), a writer
# and a replicator killed mid-epoch (the replica still converges once a
# new replicator resumes from the validated tail), a region deleted under
# an open file, a partition deleted with regions, and module unload with
# live regions. Each must end in a clear error or a clean state, never in
# a splat (the VM fails the run on any).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
KO=$ROOT/vmcheckpoint/lpar_vmckpt.ko
W=$(mktemp -d /tmp/vmckpt.XXXXXX)
P=ckpth
N=/dev/lpar_ckpt/$P/r
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	grep -q '^lpar_vmckpt ' /proc/modules || insmod "$KO"
	lparctl delete $P >/dev/null 2>&1
	lparctl delete ckpth2 >/dev/null 2>&1
	rm -rf "$W"
}
trap 'cleanup; t_done' EXIT
field() { grep -o "$1 [0-9]*" "$2" | tail -1 | cut -d' ' -f2; }
used() { lparctl -j show "$1" | jq .used; }

lparctl create $P --memory 64M >/dev/null
lparctl ckpt create $P r --size 1M --ring 64 --guard 8 >/dev/null

t_ok "garbage consumer indices: EINVAL each, counted, tail unmoved" ckpt-hostile $N tails
t_ok "future, unconsumed and foreign acks refused; one consumer only" ckpt-hostile $N acks
t_ok "ring read-only, no private or oversized mappings" ckpt-hostile $N mmaps
t_ok "unknown, misplaced and unbound ioctls refused" ckpt-hostile $N ioctls
t_ok "bad create requests refused (size, name, ring, guard, version, budget)" \
	ckpt-hostile --create-errors $P
t_ok "unmap and remap while checkpoints run" ckpt-hostile $N unmap-race
t_ok "pread into the region's own and unfaulted mappings while the consumer page is mapped and unmapped and checkpoints run: data = shadow, no lock cycle" \
	timeout 120 ckpt-hostile $N read-self

ckpt-writer --region $N --threads 2 --rounds 1000000 --writes 2000 >/dev/null 2>&1 &
WR=$!
sleep 1
kill -9 $WR
wait $WR 2>/dev/null
t_ok "checkpoint after the writer was killed mid-epoch" lparctl ckpt checkpoint $P r

lparctl ckpt create $P k --size 2M --ring 256 --guard 16 >/dev/null
lpar-ckpt-replicate /dev/lpar_ckpt/$P/k "$W/k.img" >/dev/null 2>&1 &
REPL=$!
PIDS+=($REPL)
ckpt-writer --region /dev/lpar_ckpt/$P/k --threads 3 --rounds 60 --writes 300 --round-ms 10 \
	--seed 5 --replica "$W/k.img" >"$W/wk.log" 2>&1 &
WR=$!
PIDS+=($WR)
sleep 1
kill -9 $REPL
wait $REPL 2>/dev/null
sleep 0.3
lpar-ckpt-replicate /dev/lpar_ckpt/$P/k "$W/k.img" >"$W/rk.log" 2>&1 &
PIDS+=($!)
wait $WR
t_result $? "replicator killed mid-epoch and restarted: writer checks pass" "$(cat "$W/wk.log")"
t_eq "the replica converges to the region" 1 "$(field replica_match "$W/wk.log")"

before=$(used $P)
exec 3<>/dev/lpar_ckpt/$P/k
t_ok "delete a region whose node is open" lparctl ckpt delete $P k
t_true "its node is gone" [ ! -e /dev/lpar_ckpt/$P/k ]
t_true "its budget is returned at once" [ "$(used $P)" -lt "$before" ]
exec 3>&-

exec 3<>$N
t_err "unload refused while a region file is open" 1 "in use" rmmod lpar_vmckpt
exec 3>&-
t_ok "unload with a live region and no open file" rmmod lpar_vmckpt
t_eq "the partition's budget is free again" 0 "$(used $P)"
t_ok "reload" insmod "$KO"

lparctl create ckpth2 --memory 16M >/dev/null
lparctl ckpt create ckpth2 x --size 1M >/dev/null
t_ok "delete a partition that has a region" lparctl delete ckpth2
t_true "its region went with it" [ -z "$(lparctl -j ckpt list | jq -r '.[] | select(.part == "ckpth2") | .name')" ]
