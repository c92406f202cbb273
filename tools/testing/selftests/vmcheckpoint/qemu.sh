#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU as a real client: a region is the guest RAM of a QEMU machine
# (memory-backend-file with mem-path = the region's node, share=on).
# QEMU's qtest protocol writes guest memory without running a CPU; the
# writes must show up in the log, attributed to QEMU's thread, with the
# right page and line, and in the replica.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
P=ckptqemu
N=/dev/lpar_ckpt/$P/ram
W=$(mktemp -d /tmp/vmckpt.XXXXXX)
REPL=
cleanup() {
	[ -n "${QEMU_PID:-}" ] && kill "$QEMU_PID" 2>/dev/null
	[ -n "$REPL" ] && kill "$REPL" 2>/dev/null
	wait 2>/dev/null
	lparctl delete $P >/dev/null 2>&1
	rm -rf "$W"
}
trap 'cleanup; t_done' EXIT
j() { lparctl -j ckpt show $P ram | jq -r "$1"; }
# qtest CMD: send one qtest command, read its answer
qtest() {
	echo "$1" >&"${QEMU[1]}"
	read -r -t 60 answer <&"${QEMU[0]}"
	echo "$answer"
}
wait_acked() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(j .acked)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

lparctl create $P --memory 64M >/dev/null
lparctl ckpt create $P ram --size 16M >/dev/null
lpar-ckpt-replicate --tids "$W/tids" $N "$W/replica" >"$W/repl.log" 2>&1 &
REPL=$!

coproc QEMU { exec qemu-system-x86_64 -machine pc,memory-backend=m -qtest stdio \
	-display none -nodefaults -m 16M \
	-object memory-backend-file,id=m,mem-path=$N,size=16M,share=on 2>"$W/qemu.err"; }
QEMU_PID=$QEMU_PID
t_eq "qtest writeq into guest RAM" OK "$(qtest 'writeq 0x1000 0x1122334455667788')"
t_eq "qtest writeb into another page" OK "$(qtest 'writeb 0x5043 0x5a')"
t_eq "qtest reads it back" "OK 0x1122334455667788" "$(qtest 'readq 0x1000')"
t_true "QEMU's writes made two pages dirty" [ "$(j .dirty_pages)" -ge 2 ]
t_ok "checkpoint" lparctl ckpt checkpoint $P ram
epoch=$(j .epoch)
t_ok "the replicator acknowledges it" wait_acked "$epoch"
t_eq "logged: page 0x1000, line 0, by QEMU's thread" "4096 0000000000000001 $QEMU_PID" \
	"$(awk -v e="$epoch" '$1 == e && $2 == 4096 { print $2, $3, $4 }' "$W/tids")"
t_eq "logged: page 0x5000, line 1, by QEMU's thread" "20480 0000000000000002 $QEMU_PID" \
	"$(awk -v e="$epoch" '$1 == e && $2 == 20480 { print $2, $3, $4 }' "$W/tids")"
t_eq "the replica holds the qword" "1122334455667788" \
	"$(od -An -tx8 -j 4096 -N 8 "$W/replica" | tr -d ' ')"
t_eq "and the byte" "5a" "$(od -An -tx1 -j $((0x5043)) -N 1 "$W/replica" | tr -d ' ')"
t_true "replica equals the checkpoint view" cmp -s "$W/replica" $N
echo quit >&"${QEMU[1]}" 2>/dev/null
kill "$QEMU_PID" 2>/dev/null
wait "$QEMU_PID" 2>/dev/null
QEMU_PID=
t_true "QEMU reported no error" sh -c "! grep -qi error \"$W/qemu.err\""
