#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lpar_ckpt netlink family through lparctl, as the admin guide uses
# it: create a region, show its status (text and JSON), take checkpoints
# by hand and periodically, watch the events, and the refusals: unknown
# partition or region, duplicate name, bad sizes, a budget too small,
# usage errors (exit 2), and every mutation refused to an unprivileged
# user.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
P=ckptnl
W=$(mktemp -d /tmp/vmckpt.XXXXXX)
cleanup() {
	kill %1 2>/dev/null
	wait 2>/dev/null
	lparctl delete $P >/dev/null 2>&1
	rm -rf "$W"
}
trap 'cleanup; t_done' EXIT
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
j() { lparctl -j ckpt show $P vm | jq -r "$1"; }

lparctl create $P --memory 64M >/dev/null
t_ok "create a 4 MiB region" lparctl ckpt create $P vm --size 4M --ring 1024 --guard 32
t_true "its node exists" [ -c /dev/lpar_ckpt/$P/vm ]
t_eq "JSON status: size, ring, guard, dev" "4194304 1024 32 /dev/lpar_ckpt/$P/vm" \
	"$(j '"\(.size) \(.ring_entries) \(.guard) \(.dev)"')"
t_true "the region is charged to the partition" [ "$(lparctl -j show $P | jq .used)" -gt 8388608 ]
t_ok "list shows it" sh -c "lparctl ckpt list | grep -q '$P/vm'"
t_ok "show prints the status" sh -c "lparctl ckpt show $P vm | grep -q 'overflows 0'"

lparctl ckpt monitor >"$W/events" 2>&1 &
sleep 0.5
t_ok "checkpoint by hand" lparctl ckpt checkpoint $P vm
t_eq "epoch 1" 1 "$(j .epoch)"
id=$(j .id)
t_ok "start periodic checkpoints every 20 ms (by id)" lparctl ckpt start id "$id" --interval 20
sleep 1
t_true "epochs advance on their own" [ "$(j .epoch)" -gt 5 ]
t_eq "interval shown" 20 "$(j .interval_ms)"
t_ok "stop" lparctl ckpt stop $P vm
e=$(j .epoch)
sleep 0.3
t_eq "no more checkpoints after stop" "$e" "$(j .epoch)"
kill %1
wait 2>/dev/null
t_true "checkpoint events were multicast" [ "$(grep -c '^\[checkpoint\]' "$W/events")" -gt 5 ]

t_err "unknown partition" 1 "no such partition" lparctl ckpt create nopart vm --size 1M
t_err "duplicate name" 1 "already has a region of that name" \
	lparctl ckpt create $P vm --size 1M
t_err "unaligned size" 1 "multiple of the page size" lparctl ckpt create $P u --size 1000
t_err "ring not a power of two" 1 "power of two" lparctl ckpt create $P u --size 1M --ring 1000
t_err "budget too small" 1 "budget is exhausted" lparctl ckpt create $P u --size 1G
t_err "unknown region" 1 "has no region named" lparctl ckpt show $P nope
t_err "unknown region id" 1 "no region with id" lparctl ckpt show id 99999
t_err "missing --size: usage error" 2 "--size is required" lparctl ckpt create $P u
t_err "bad interval: usage error" 2 "--interval" lparctl ckpt start $P vm --interval 0
t_err "unknown command: usage error" 2 "unknown command" lparctl ckpt frobnicate
t_ok "status is open to everyone" nobody lparctl ckpt show $P vm
t_err "unprivileged create: EPERM" 1 "Operation not permitted" \
	nobody lparctl ckpt create $P u --size 1M
t_err "unprivileged checkpoint: EPERM" 1 "Operation not permitted" \
	nobody lparctl ckpt checkpoint $P vm
t_err "unprivileged start: EPERM" 1 "Operation not permitted" nobody lparctl ckpt start $P vm
t_err "unprivileged delete: EPERM" 1 "Operation not permitted" nobody lparctl ckpt delete $P vm
t_ok "delete" lparctl ckpt delete $P vm
t_true "node gone" [ ! -e /dev/lpar_ckpt/$P/vm ]
t_eq "budget returned" 0 "$(lparctl -j show $P | jq .used)"
