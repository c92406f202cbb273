#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ckpt-soak.sh [SECONDS]: the vmcheckpoint soak (default 600 s), run in the
# test VM, not part of `make check` or `make bench`:
#   tools/vm/run.sh --timeout 1200 --out $PWD/out/soak -- $PWD/tools/ckpt/ckpt-soak.sh 600
# Four seeded writer threads write a 4 MiB region in rounds with a
# checkpoint after each (ckpt-writer --seconds); lpar-ckpt-replicate
# ships the log to a replica file and is stopped (SIGSTOP) at random for
# 0.2 to 2 s every 0.5 to 3 s, so the 2048-entry ring fills and the guard
# band fires again and again. After every checkpoint the writer checks the
# logged masks and tids against its own copy and waits up to 30 ms for
# the ack: an acknowledged newest checkpoint must leave the replica
# byte-identical to the region as of that checkpoint. At the end it
# prints checkpoints, guard events, fallback pages, lines shipped and
# lost modifications (replica mismatches + changed pages not logged +
# wrong masks), and fails unless that is 0 and the guard band fired.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
SECS=${1:-600}
P=ckptsoak
N=/dev/lpar_ckpt/$P/soak
W=$(mktemp -d /tmp/ckptsoak.XXXXXX)
REPL= STALLER=
"$ROOT/tools/vm/load.sh" || exit 1
lparctl create $P --memory 64M >/dev/null || exit 1
trap '[ -n "$REPL" ] && kill -CONT $REPL 2>/dev/null; kill $REPL $STALLER 2>/dev/null; wait; lparctl delete $P >/dev/null 2>&1; rm -rf "$W"' EXIT
ckpt-writer --create $P/soak --size 4M --rounds 0 --ring 2048 --guard 32 >/dev/null || exit 1
lpar-ckpt-replicate --progress 60 $N "$W/replica.img" >"$W/repl.log" 2>&1 &
REPL=$!

# The stalls: seeded, until the writer's last round.
rnd() { awk -v r=$RANDOM -v lo="$1" -v hi="$2" 'BEGIN { printf "%.2f", lo + r / 32767 * (hi - lo) }'; }
(
	RANDOM=42
	end=$(($(date +%s) + SECS))
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		sleep "$(rnd 0.5 3)"
		kill -STOP $REPL || break
		sleep "$(rnd 0.2 2)"
		kill -CONT $REPL || break
		n=$((n + 1))
	done
	echo "$n" >"$W/stalls"
) &
STALLER=$!

t0=$(date +%s)
ckpt-writer --region $N --threads 4 --seconds "$SECS" --writes 150 --seed 42 \
	--ack-wait 30 --replica "$W/replica.img" >"$W/writer.log" 2>&1
rc=$?
wait $STALLER
STALLER=
kill -CONT $REPL 2>/dev/null
kill $REPL
wait $REPL
REPL=
cat "$W/writer.log"
grep '^summary' "$W/repl.log"

field() { grep -o "$1 [0-9]*" "$2" | tail -1 | cut -d' ' -f2; }
lost=$(( $(field replica_mismatch "$W/writer.log") + $(field missing "$W/writer.log") +
	 $(field mask_bad "$W/writer.log") ))
guard=$(field guard_events "$W/writer.log")
echo "soak: $(($(date +%s) - t0)) s, $(cat "$W/stalls") replicator stalls," \
	"checkpoints $(grep -o 'kernel: epoch [0-9]*' "$W/writer.log" | cut -d' ' -f3)," \
	"verified acks $(field replica_match "$W/writer.log")," \
	"guard events $guard, fallback pages $(field fallback_logged "$W/writer.log")," \
	"lines shipped $(grep '^summary: [0-9.]* s' "$W/repl.log" | grep -o '[0-9]* lines' | cut -d' ' -f1)," \
	"bytes shipped $(grep -o '[0-9]* bytes shipped' "$W/repl.log" | cut -d' ' -f1)," \
	"lost modifications $lost"
[ $rc -eq 0 ] && [ "$lost" -eq 0 ] && [ "${guard:-0}" -gt 0 ]
