#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A backup host for checkpoint replicas, made of what Linux has: a
# network namespace joined by a veth pair, Debian's nbd-server in it
# exporting a file, and the kernel's NBD client on this side, so that the
# replicator writes to a block device whose blocks land on the "other
# host". Used by the vmcheckpoint selftests and the demo.
#
# usage: nbd-backup.sh up NETNS EXPORT-FILE SIZE NBD-DEV
#        nbd-backup.sh down NETNS NBD-DEV
set -euo pipefail
cmd=$1 ns=$2
conf=/run/lpar-nbd-$ns.conf
pidf=/run/lpar-nbd-$ns.pid
host=198.51.100.1 backup=198.51.100.2	# documentation range (RFC 5737)

case "$cmd" in
up)
	file=$3 size=$4 dev=$5
	truncate -s "$size" "$file"
	ip netns add "$ns"
	ip link add "ckb-$ns" type veth peer name eth0 netns "$ns"
	ip addr add $host/24 dev "ckb-$ns"
	ip link set "ckb-$ns" up
	ip -n "$ns" addr add $backup/24 dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	printf '[generic]\n\tlistenaddr = %s\n[backup]\n\texportname = %s\n' \
		$backup "$file" >"$conf"
	ip netns exec "$ns" nbd-server -C "$conf" -p "$pidf"
	for i in $(seq 50); do
		nbd-client -N backup $backup 10809 "$dev" -b 4096 >/dev/null 2>&1 && break
		sleep 0.1
	done
	[ "$(cat "/sys/block/$(basename "$dev")/size")" -gt 0 ]
	;;
down)
	dev=$3
	nbd-client -d "$dev" >/dev/null 2>&1 || true
	[ -f "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null || true
	rm -f "$conf" "$pidf"
	ip netns del "$ns" 2>/dev/null || true
	;;
*)
	echo "usage: nbd-backup.sh up NETNS FILE SIZE DEV | down NETNS DEV" >&2
	exit 2
	;;
esac
