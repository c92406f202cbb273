#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload under load: each module of tools/vm/load.sh is removed and loaded
# again CYCLES times (default 100) while, in the background:
#  - netlink traffic: valid requests and dumps of every family, families
#    looked up again as they come and go (sparing the keeper's objects,
#    named lu_*, which it would otherwise delete within milliseconds);
#    reads of every /dev/lpar_* node and of the sysfs files;
#  - the workload keeper (workloads() below), round after round: two
#    partitions lu_a and lu_b, each with an adjunct on its own igb VF
#    (lu_a direct, lu_b kthread-mediated), a UDP stream from lu_a to lu_b
#    through both lpvio0s, and in lu_a a checkpointed region written by
#    ckpt-writer with the replicator following it (--sync: every
#    acknowledged checkpoint's replica is compared with the region). It
#    puts back whatever an unload took away before the next round.
# Removing a module removes the ones that depend on it (its holders in
# /sys/module, i.e. lpar's extensions for lpar) first, and loads them again
# after it; the other modules stay loaded. Passes when every cycle unloads
# (rmmod may wait for in-flight users, e.g. an open checkpoint region) and
# loads, the background processes survive, packets crossed the adjuncts
# and checkpoints were verified during the cycles, no checkpoint run failed
# while its region was still there (a failure is excused only when an
# unload took the region away), and no splat is logged.
#
# The lpar chain unloads and loads every module (the extensions first);
# FZ_LU_MODULES="lpar ..." cycles only the chains of those modules, to
# split a long debug run across runs.
#
# usage: loadunload.sh [CYCLES]       (TAP on stdout)
. "$(dirname "$0")/lib.sh"
. "$FZ_ROOT/tools/testing/selftests/lib.sh"
ROOT=$FZ_ROOT
. "$FZ_ROOT/tools/testing/selftests/adjunct_sriov/lib-adj.sh"
export PATH="$FZ_ROOT/tools/ckpt:$PATH"

CYCLES=${1:-100}
mapfile -t PATHS <<<"$(fz_module_paths)"
"$FZ_ROOT/tools/vm/load.sh"
fz_new_splats >/dev/null
fz_fixtures_up

"$FZ_BIN/nlfuzz" --traffic --spare lu_ --spare-cpus 2-5 --seed 11 --duration 100000 "${FZ_FDS[@]}" >/tmp/fz-traffic.log 2>&1 &
traffic=$!
"$FZ_BIN/devfuzz" --reads --seed 12 --duration 100000 >/tmp/fz-reads.log 2>&1 &
reads=$!
fz_sysfs_reader &
reader=$!

# The workload keeper. One round (a few seconds): put back what is missing
# (lu_put_back), then run a UDP stream lu_a -> lu_b and a checkpointed
# writer at once and count them (workloads).
W=/run/lpar-loadunload
rm -rf "$W"
mkdir -p "$W"
adj_setup_vfs 2 || echo "# no igb VFs: the adjunct workload will not run"
LU_NODE=/dev/lpar_ckpt/lu_a/lu_ck
# lu_put_back: every step may fail while a module is out (logged, with the
# round, to $W/put_back.log). CPUs are exclusive to a partition: the
# traffic leaves CPUs 2-5 out of the lists it makes (--spare-cpus), and
# partitions it made on them before are deleted (they are disposable).
lu_put_back() {
	local p cpus mode i=0
	echo "== round $1 $(date +%T)"
	for p in lu_a lu_b; do
		cpus=$([ $p = lu_a ] && echo 2-3 || echo 4-5)
		mode=$([ $p = lu_a ] && echo direct || echo mediated)
		ip netns add $p 2>/dev/null && ip -n $p link set lo up
		if ! lparctl show $p >/dev/null 2>&1; then
			lparctl -j list 2>/dev/null |
				jq -r '.[] | select((.name | startswith("lu_") | not) and
						    (.cpus // "") != "") | .name' |
				xargs -r -n1 lparctl delete
			lparctl create $p --cpus $cpus --cgroup "$CG/$p" --netns $p --memory 64M
		fi
		if [ -n "${VF_PCI[i]:-}" ]; then
			ip netns exec $p test -e /sys/class/net/lpvio0 ||
				lparctl adjunct add $p --vf "${VF_PCI[i]}" --mode $mode
			if ip netns exec $p test -e /sys/class/net/lpvio0 &&
			   ! ip -n $p -4 addr show dev lpvio0 | grep -q "192\.0\.2\."; then
				# (no wait for carrier: a round without it loses packets)
				ip -n $p addr add "192.0.2.$((i + 1))/24" dev lpvio0 &&
					ip -n $p link set lpvio0 up
			fi
		fi
		i=$((i + 1))
	done
	[ -c $LU_NODE ] || ckpt-writer --create lu_a/lu_ck --size 1M --rounds 0 --ring 4096 --guard 64
} >>"$W/put_back.log" 2>&1
# workloads: rounds until $W/stop exists; counts in $W/counts:
#   rounds packets checkpoints_verified runs_cut_short runs_failed
# A writer run that fails is excused (cut short) when its region went away
# during it: the node is gone or is another one (new inode) a second later.
workloads() {
	local rounds=0 packets=0 ok=0 gone=0 bad=0 sink stream repl n ino
	while [ ! -e "$W/stop" ]; do
		lu_put_back $rounds
		ip netns exec lu_b adj-udp sink 9000 4 >"$W/sink" 2>&1 &
		sink=$!
		ip netns exec lu_a adj-udp stream 192.0.2.2 9000 500 3 >/dev/null 2>&1 &
		stream=$!
		repl=
		ino=$(stat -c %i $LU_NODE 2>/dev/null)
		if [ -n "$ino" ]; then
			lpar-ckpt-replicate --initial-sync $LU_NODE "$W/img" >"$W/repl" 2>&1 &
			repl=$!
			if ckpt-writer --region $LU_NODE --threads 2 --rounds 4 --writes 100 \
				--seed $rounds --sync --replica "$W/img" >"$W/writer" 2>&1; then
				n=$(sed -n 's/.* replica_match \([0-9]*\).*/\1/p' "$W/writer")
				ok=$((ok + ${n:-0}))
			else
				sleep 1
				if [ "$(stat -c %i $LU_NODE 2>/dev/null)" = "$ino" ]; then
					bad=$((bad + 1))
					cp "$W/writer" "$W/writer.bad.$bad"
				else
					gone=$((gone + 1))
				fi
			fi
		fi
		wait "$stream" "$sink"
		[ -z "$repl" ] || { kill "$repl"; wait "$repl"; } 2>/dev/null
		n=$(sed -n 's/^received \([0-9]*\).*/\1/p' "$W/sink")
		packets=$((packets + ${n:-0}))
		rounds=$((rounds + 1))
		echo "$rounds $packets $ok $gone $bad" >"$W/counts"
		sleep 0.2	# a window for an rmmod waiting on the region
	done
}
workloads &
keeper=$!

# unload M: rmmod, tried again at once while the module is in use (a dump
# or an open node pins it; fz-unload), for up to 10 minutes: the readers
# reopen at once, and in the debug flavour a gap between two of them is a
# few microseconds in seconds of reading (a 30 s bound failed once in 10
# cycles there). Sets tries and ms: a module that took over a second is
# named in the cycle's progress line with its tries.
unload() {
	local r
	if ! r=$("$FZ_BIN/fz-unload" --timeout 600 "$1"); then
		echo "# rmmod $1 failed: $(grep "^$1 " /proc/modules)"
		return 1
	fi
	read -r tries ms <<<"$r"
}

# chain M: M's index in PATHS and those of the suite's modules that hold it,
# in load order (a module's holders come after it in load.sh's list).
chain() {
	local j n
	for ((j = 0; j < ${#PATHS[@]}; j++)); do
		n=$(basename "${PATHS[j]}")
		[ "$n" = "$1" ] || [ -e "/sys/module/$1/holders/$n" ] && echo "$j"
	done
}

for ((i = 0; i < ${#PATHS[@]}; i++)); do
	m=$(basename "${PATHS[i]}")
	[ -z "${FZ_LU_MODULES:-}" ] || [[ " $FZ_LU_MODULES " == *" $m "* ]] || continue
	# (no process substitution: the test VM has no /dev/fd)
	read -ra C <<<"$(chain "$m" | paste -sd' ')"
	ok=0 t0=$(date +%s)
	for ((c = 0; c < CYCLES; c++)); do
		t1=$(date +%s%N) slow=
		for ((j = ${#C[@]} - 1; j >= 0; j--)); do
			n=$(basename "${PATHS[C[j]]}")
			unload "$n" || break 2
			[ "$ms" -lt 1000 ] || slow+=" $n $ms ms $tries tries"
		done
		t2=$(date +%s%N)
		for ((j = 0; j < ${#C[@]}; j++)); do
			insmod "$FZ_ROOT/${PATHS[C[j]]}.ko" || break 2
		done
		t3=$(date +%s%N)
		ok=$((ok + 1))
		# progress: every 10th cycle, and every cycle that took over 10 s
		# (the debug flavour), with where its time went
		[ $((ok % 10)) -ne 0 ] && [ $(((t3 - t1) / 1000000000)) -lt 10 ] ||
			echo "# $m: $ok cycles, $(($(date +%s) - t0)) s (last: unload $(((t2 - t1) / 1000000)) ms${slow:+ (}${slow# }${slow:+)}, load $(((t3 - t2) / 1000000)) ms)"
	done
	[ ${#C[@]} -gt 0 ] || ok=0	# the module itself is always in its chain
	t_eq "$m: $CYCLES unload/load cycles under traffic, ${#C[@]} module(s) each ($(($(date +%s) - t0)) s)" "$CYCLES" "$ok"
	"$FZ_ROOT/tools/vm/load.sh"
done

touch "$W/stop"
wait "$keeper"
read -r rounds packets ckpt_ok ckpt_gone ckpt_bad <"$W/counts"
t_true "UDP crossed the adjuncts during the cycles ($packets packets received in $rounds rounds)" \
	[ "${packets:-0}" -gt 0 ]
t_true "checkpoints verified against their replica during the cycles ($ckpt_ok; $ckpt_gone runs cut short by an unload)" \
	[ "${ckpt_ok:-0}" -gt 0 ]
t_eq "no checkpoint run failed with its region still there" 0 "${ckpt_bad:-1}"
[ "${ckpt_bad:-0}" -eq 0 ] || sed 's/^/# /' "$W/writer.bad.1"
[ "${packets:-0}" -gt 0 ] && [ "${ckpt_ok:-0}" -gt 0 ] || tail -40 "$W/put_back.log" | sed 's/^/# /'
for p in lu_a lu_b; do adj_part_del $p; done
kill "$traffic" "$reads" "$reader"
wait "$traffic"
rc1=$?
wait "$reads"
rc2=$?
# Both finish cleanly on SIGTERM; anything else means they died on their own.
t_eq "netlink traffic survived every unload ($(sed -n 's/^# traffic: //p' /tmp/fz-traffic.log))" 0 "$rc1"
t_eq "device reads survived every unload ($(sed -n 's/^# \([0-9]*\) device operations.*/\1 reads/p' /tmp/fz-reads.log))" 0 "$rc2"
fz_parts_down
fz_fixtures_down
if splat=$(fz_new_splats); then
	t_result 1 "no kernel splat" "$splat"
else
	t_result 0 "no kernel splat"
fi
