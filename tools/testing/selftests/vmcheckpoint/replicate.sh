#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checkpoint replication end to end (Documentation/vmcheckpoint.md): a
# region in a partition, the replicator following its log into a replica
# file, and ckpt-writer's seeded multi-threaded rounds with a checkpoint
# after each. With --sync the writer checks after every acknowledged
# checkpoint that the replica equals the region byte for byte, and for
# every checkpoint that the logged pages, line masks and writer thread ids
# are exactly those of the round. Then the same with a small ring and the
# replicator stopped (SIGSTOP) for a while: the guard band is entered,
# the eventfd fires, the fallback set is used and drained, and the
# replica still ends identical.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
W=$(mktemp -d /tmp/vmckpt.XXXXXX)
P=ckpttest
REPL=

cleanup() {
	[ -n "$REPL" ] && kill "$REPL" 2>/dev/null && wait "$REPL" 2>/dev/null
	lparctl delete $P >/dev/null 2>&1
	rm -rf "$W"
}
trap 'cleanup; t_done' EXIT

# field NAME FILE: the value after "NAME " on the last line that has it.
field() { grep -o "$1 [0-9]*" "$2" | tail -1 | cut -d' ' -f2; }

lparctl create $P --memory 256M >/dev/null

# 1. synchronous rounds
t_ok "create an 8 MiB region through the control device" \
	ckpt-writer --create $P/sync --size 8M --rounds 0 --ring 8192 --guard 64
t_true "the region has its node" [ -c /dev/lpar_ckpt/$P/sync ]
lpar-ckpt-replicate --tids "$W/tids" /dev/lpar_ckpt/$P/sync "$W/sync.img" >"$W/repl1.log" 2>&1 &
REPL=$!
ckpt-writer --region /dev/lpar_ckpt/$P/sync --threads 4 --rounds 25 --writes 300 \
	--seed 7 --sync --replica "$W/sync.img" >"$W/w1.log" 2>&1
t_result $? "4 seeded writers, 25 checkpoints, each acked and checked" "$(cat "$W/w1.log")"
t_eq "replica identical after every acknowledged checkpoint" 26 "$(field replica_match "$W/w1.log")"
t_eq "no replica mismatch" 0 "$(field replica_mismatch "$W/w1.log")"
t_eq "every logged mask equals the lines that changed" 0 "$(field mask_bad "$W/w1.log")"
t_eq "every logged tid is a thread that wrote the page" 0 "$(field tid_bad "$W/w1.log")"
t_true "line entries carry writer tids" [ "$(field tid_ok "$W/w1.log")" -gt 100 ]
kill "$REPL"; wait "$REPL"
REPL=
t_true "the replicator's tid log has every line entry" \
	[ "$(wc -l <"$W/tids")" -eq "$(field tid_ok "$W/w1.log")" ]
t_true "the replicator prints a summary" grep -q "^summary: .* acks" "$W/repl1.log"

# 2. a consumer that stalls
ckpt-writer --create $P/stall --size 4M --rounds 0 --ring 64 --guard 8 >/dev/null
lpar-ckpt-replicate /dev/lpar_ckpt/$P/stall "$W/stall.img" >"$W/repl2.log" 2>&1 &
REPL=$!
ckpt-writer --region /dev/lpar_ckpt/$P/stall --threads 3 --rounds 40 --writes 200 \
	--round-ms 20 --seed 11 --replica "$W/stall.img" >"$W/w2.log" 2>&1 &
WR=$!
sleep 0.3
kill -STOP "$REPL"
sleep 1.5
kill -CONT "$REPL"
wait "$WR"
t_result $? "writer with a stalled replicator: all checks pass" "$(cat "$W/w2.log")"
t_true "the guard band was entered" [ "$(field guard_events "$W/w2.log")" -gt 0 ]
t_true "pages went through the fallback set" [ "$(field fallback_logged "$W/w2.log")" -gt 0 ]
t_eq "the replica ends identical" 1 "$(field replica_match "$W/w2.log")"
t_eq "fallback set drained" 0 "$(field fallback_left "$W/w2.log")"
kill "$REPL"; wait "$REPL"
REPL=
t_true "the replicator saw the eventfd fire" [ "$(field signals "$W/repl2.log")" -gt 0 ]
