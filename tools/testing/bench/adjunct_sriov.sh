#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# adjunct_sriov benchmark, same VM run, against the standard way of giving
# a partition a VF (the VF moved straight into its namespace). Sections
# (ADJ_BENCH, default all, in this order):
#   basic     a -> b: iperf3 TCP throughput, 64-byte frames (18-byte UDP
#             payload) received per second, UDP round-trip p50/p99 (adj-udp
#             rtt, 1,000 probes) for VF-direct, adjunct direct mode and
#             adjunct mediated mode, with ratios to VF-direct; the mediated
#             thread's batching (frames per wake-up, from debugfs), its
#             wake-up latency (sched_waking -> sched_switch, tracefs), and
#             mediated mode again with the thread polling (poll_us=50)
#   swap      planned hot-spare swap under a 10 kpps stream b -> a: rate
#             achieved, lost, longest gap, carrier transitions of lpvio0
#   failover  unplanned removal of every VF (sriov_numvfs 0) under 10 kpps
#             streams both ways with a veth standby: longest gap, lost,
#             kernel switchover (notifier -> first frame on the standby,
#             debugfs fo_tx_us/fo_rx_us), carrier transitions
#   scale     7 partitions (igb's VF limit here) in a ring, each streaming
#             64-byte frames to the next: aggregate rate vs 7 x one stream,
#             VF-direct, adjunct direct and mediated; adjunct threads'
#             migrations off their partitions' CPUs (sched_migrate_task)
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=../selftests/adjunct_sriov/lib-adj.sh
. "$ROOT/tools/testing/selftests/adjunct_sriov/lib-adj.sh"
T=${T:-3}
TR=/sys/kernel/tracing
DBG=/sys/kernel/debug/lpar_adjunct
SECTIONS=${ADJ_BENCH:-basic swap failover scale}
W=$(mktemp -d /tmp/adj-bench.XXXXXX)

adj_load

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
dbg() { awk -v k="$2" '$1 == k { print $2 }' "$DBG/$1" 2>/dev/null; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

# trace_on EVENT FILTER / trace_off EVENT: one sched event, filtered.
trace_on() {
	echo "$2" >"$TR/events/sched/$1/filter"
	echo 1 >"$TR/events/sched/$1/enable"
}
trace_off() {
	echo 0 >"$TR/events/sched/$1/enable"
	echo 0 >"$TR/events/sched/$1/filter"
}

# ---------------------------------------------------------------- basic
# inp P CMD...: CMD as a task of partition P (its cgroup, so its CPUs, and
# its netns), where a partition's workload runs, on every path measured.
inp() {
	local p=$1
	shift
	sh -c "echo \$\$ >$CG/$p/cgroup.procs && exec ip netns exec $p $*"
}
# inp_bg P CMD... &: the same as a background job whose pid ($!) is CMD's.
inp_bg() {
	local p=$1
	shift
	exec sh -c "echo \$\$ >$CG/$p/cgroup.procs && exec ip netns exec $p $*"
}

# measure NAME: fills R_<field>[NAME]; a and b have 192.0.2.1/.2 up.
declare -A R_TCP R_PPS R_P50 R_P99
measure() {
	local name=$1 out
	sleep 1
	inp b iperf3 -s -1 -D -p 5301 >/dev/null 2>&1
	sleep 0.5
	out=$(inp a iperf3 -c 192.0.2.2 -p 5301 -t "$T" -J 2>/dev/null)
	R_TCP[$name]=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<<"$out" 2>/dev/null)
	if [ "$name" = mediated ]; then
		a_q0=$(dbg a tx_queued) a_k0=$(dbg a tx_kicks) a_w0=$(dbg a wakeups)
		b_q0=$(dbg b rx_queued) b_k0=$(dbg b rx_kicks) b_w0=$(dbg b wakeups)
	fi
	inp b adj-udp sink 9100 $((T + 2)) >"$W/sink" &
	sleep 0.5
	inp a adj-udp stream 192.0.2.2 9100 0 "$T" 18 >/dev/null
	wait
	R_PPS[$name]=$(field pps <"$W/sink")
	if [ "$name" = mediated ]; then
		a_q=$(($(dbg a tx_queued) - a_q0)) a_k=$(($(dbg a tx_kicks) - a_k0))
		a_w=$(($(dbg a wakeups) - a_w0))
		b_q=$(($(dbg b rx_queued) - b_q0)) b_k=$(($(dbg b rx_kicks) - b_k0))
		b_w=$(($(dbg b wakeups) - b_w0))
	fi
	inp_bg b adj-udp echo 7 >/dev/null &
	sleep 0.3
	out=$(inp a adj-udp rtt 192.0.2.2 7 1000 500)
	kill $!
	wait 2>/dev/null
	R_P50[$name]=$(field p50_us <<<"$out")
	R_P99[$name]=$(field p99_us <<<"$out")
}

# Wake-up latency of the two mediated threads during a 1 s stream:
# sched_waking of the thread (on the waker's CPU) -> sched_switch onto
# it, and how often the waker ran on another CPU (a wake-up IPI).
wakeup_profile() {
	local pa=$1 pb=$2
	echo 16384 >"$TR/buffer_size_kb"
	echo >"$TR/trace"
	trace_on sched_waking "pid == $pa || pid == $pb"
	trace_on sched_switch "next_pid == $pa || next_pid == $pb || prev_pid == $pa || prev_pid == $pb"
	inp b adj-udp sink 9101 3 >/dev/null &
	sleep 0.5
	inp a adj-udp stream 192.0.2.2 9101 0 1 18 >"$W/prof-stream"
	wait
	trace_off sched_waking
	trace_off sched_switch
	WAKE=$(awk '
		function ts(  i) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return substr($i, 1, length($i) - 1) + 0 }
		function kv(k,  i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2) }
		/sched_waking:/ { p = kv("pid"); if (!(p in w)) w[p] = ts(); n++
			cpu = substr($0, index($0, "[") + 1, 3) + 0
			if (cpu != kv("target_cpu") + 0) x++ }
		/sched_switch:/ { t = ts(); np = kv("next_pid"); pp = kv("prev_pid")
			if (np in w) { d = t - w[np]; lat += d; m++; delete w[np]; on[np] = t }
			if ((pp in on) && on[pp]) { run += t - on[pp]; r++; on[pp] = 0 } }
		END { printf "%d wake-ups in %s s, %.0f%% cross-CPU, wake-up to running %.1f us, running %.1f us per wake-up\n",
			n, 1, n ? 100 * x / n : 0, m ? 1e6 * lat / m : 0, r ? 1e6 * run / r : 0 }' "$TR/trace")
	PROF_PPS=$(field pps <"$W/prof-stream")
	echo >"$TR/trace"
	echo 1408 >"$TR/buffer_size_kb"
}

bench_basic() {
	local mode pids
	adj_setup_vfs 3 >/dev/null || return 1
	adj_part a 2-3 >/dev/null
	adj_part b 4-5 >/dev/null
	# 1. The standard way: the VFs in the partitions' namespaces.
	ip link set "${VF_IF[0]}" netns a
	ip link set "${VF_IF[1]}" netns b
	ip -n a addr add 192.0.2.1/24 dev "${VF_IF[0]}"
	ip -n a link set "${VF_IF[0]}" up
	ip -n b addr add 192.0.2.2/24 dev "${VF_IF[1]}"
	ip -n b link set "${VF_IF[1]}" up
	measure vf
	ip -n a link set "${VF_IF[0]}" down
	ip -n b link set "${VF_IF[1]}" down
	ip -n a addr flush dev "${VF_IF[0]}"
	ip -n b addr flush dev "${VF_IF[1]}"
	ip -n a link set "${VF_IF[0]}" netns 1
	ip -n b link set "${VF_IF[1]}" netns 1

	# 2. and 3. Through the adjuncts.
	for mode in direct mediated; do
		lparctl adjunct add a --vf "${VF_PCI[0]}" --mode $mode >/dev/null
		lparctl adjunct add b --vf "${VF_PCI[1]}" --mode $mode >/dev/null
		adj_addr a 192.0.2.1
		adj_addr b 192.0.2.2
		measure $mode
		if [ $mode = mediated ]; then
			pids="$(adj_json a pid) $(adj_json b pid)"
			wakeup_profile ${pids% *} ${pids#* }
			# The same threads polling 50 us before they sleep.
			echo 50 >/sys/module/lpar_adjunct/parameters/poll_us
			measure poll
			echo 0 >/sys/module/lpar_adjunct/parameters/poll_us
		fi
		lparctl adjunct del a
		lparctl adjunct del b
	done
	adj_part_del a
	adj_part_del b

	printf '%-34s %10s %10s %10s %9s %9s\n' "adjunct_sriov (a -> b)" "VF-direct" "adj-direct" \
		"adj-medtd" "ratio(d)" "ratio(m)"
	row() {
		local label=$1
		local -n arr=$2
		printf '%-34s %10s %10s %10s %9s %9s\n' "$label" "${arr[vf]}" "${arr[direct]}" \
			"${arr[mediated]}" "$(ratio "${arr[direct]}" "${arr[vf]}")" \
			"$(ratio "${arr[mediated]}" "${arr[vf]}")"
	}
	row "TCP throughput, Mbit/s" R_TCP
	row "64-byte frames received, pps" R_PPS
	row "UDP RTT p50, us" R_P50
	row "UDP RTT p99, us" R_P99
	echo "mediated pps run, a's thread (tx): $a_q frames, $a_k wake-ups asked, $a_w woken;" \
		"$(ratio "$a_q" "$a_w") frames per wake-up"
	echo "mediated pps run, b's thread (rx): $b_q frames, $b_k wake-ups asked, $b_w woken;" \
		"$(ratio "$b_q" "$b_w") frames per wake-up"
	echo "mediated threads at $PROF_PPS pps: $WAKE"
	echo "mediated with poll_us=50: TCP ${R_TCP[poll]} Mbit/s, ${R_PPS[poll]} pps" \
		"($(ratio "${R_PPS[poll]}" "${R_PPS[vf]}") of VF-direct), RTT p50 ${R_P50[poll]} us," \
		"p99 ${R_P99[poll]} us ($(ratio "${R_P99[poll]}" "${R_P99[vf]}") of VF-direct)"
}

# ---------------------------------------------------------------- swap
bench_swap() {
	local changes res sent
	adj_setup_vfs 3 >/dev/null || return 1
	adj_part a 2-3 >/dev/null
	adj_part b 4-5 >/dev/null
	lparctl adjunct add a --vf "${VF_PCI[0]}" >/dev/null
	lparctl adjunct add b --vf "${VF_PCI[1]}" >/dev/null
	adj_addr a 192.0.2.1
	adj_addr b 192.0.2.2
	sysctl -qw net.ipv6.conf."${VF_IF[2]}".disable_ipv6=1
	ip link set "${VF_IF[2]}" up
	sleep 2
	changes=$(adj_json a carrier_changes)
	ip netns exec a adj-udp sink 9200 7 >"$W/sink" &
	sleep 0.5
	ip netns exec b adj-udp stream 192.0.2.1 9200 10000 5 >"$W/stream" &
	sleep 2
	lparctl adjunct swap a --vf "${VF_PCI[2]}" >/dev/null
	wait
	res=$(cat "$W/sink")
	sent=$(cat "$W/stream")
	echo "planned hot-spare swap, stream asked 10000 pps: $sent; received: $res;" \
		"swap took $(($(adj_json a last_swap_ns) / 1000)) us;" \
		"carrier transitions on lpvio0: $(($(adj_json a carrier_changes) - changes))"
	lparctl adjunct del a
	lparctl adjunct del b
	adj_part_del a
	adj_part_del b
}

# ---------------------------------------------------------------- failover
bench_failover() {
	local ca cb pfdev t0 t1 p
	adj_setup_vfs 2 >/dev/null || return 1
	pfdev=$(readlink -f "/sys/class/net/$PF/device")
	adj_part a 2-3 >/dev/null
	adj_part b 4-5 >/dev/null
	ip link add sa type veth peer name sb
	lparctl adjunct add a --vf "${VF_PCI[0]}" --standby sa >/dev/null
	lparctl adjunct add b --vf "${VF_PCI[1]}" --standby sb >/dev/null
	adj_addr a 192.0.2.1
	adj_addr b 192.0.2.2
	for p in a b; do
		for i in $(seq 100); do [ "$(adj_json $p active)" = vf ] && break; sleep 0.1; done
	done
	ca=$(adj_json a carrier_changes) cb=$(adj_json b carrier_changes)
	ip netns exec a adj-udp sink 9300 8 >"$W/sink-a" &
	ip netns exec b adj-udp sink 9301 8 >"$W/sink-b" &
	sleep 0.5
	ip netns exec b adj-udp stream 192.0.2.1 9300 10000 6 >"$W/stream-b" &
	ip netns exec a adj-udp stream 192.0.2.2 9301 10000 6 >"$W/stream-a" &
	sleep 2.5
	t0=$(date +%s%N)
	echo 0 >"$pfdev/sriov_numvfs"
	t1=$(date +%s%N)
	wait
	echo "unplanned removal of both VFs (sriov_numvfs 0 took $(((t1 - t0) / 1000000)) ms) under 10 kpps each way, veth standby:"
	for p in a b; do
		echo "  $p: active $(adj_json $p active), fallbacks $(adj_json $p fallbacks)," \
			"carrier transitions $(($(adj_json $p carrier_changes) - $([ $p = a ] && echo "$ca" || echo "$cb")))," \
			"kernel switchover notifier -> first frame on the standby: tx $(dbg $p fo_tx_us) us, rx $(dbg $p fo_rx_us) us"
	done
	echo "  b -> a: $(cat "$W/stream-b") / $(cat "$W/sink-a")"
	echo "  a -> b: $(cat "$W/stream-a") / $(cat "$W/sink-b")"
	lparctl adjunct del a
	lparctl adjunct del b
	ip link del sa
	adj_part_del a
	adj_part_del b
}

# ---------------------------------------------------------------- scale
N=7
# ring NAME: one stream p1 -> p2 alone, then p_i -> p_i+1 for all i at
# once; senders and sinks pinned to the sending/receiving partition's CPU.
declare -A S_ONE S_ALL
# inpart I CMD...: CMD in partition p_I's cgroup and netns, on its CPU I
# (a partition's CPUs are its own: tasks outside it cannot use them).
inpart() {
	local i=$1
	shift
	sh -c "echo \$\$ >$CG/p$i/cgroup.procs && exec ip netns exec p$i taskset -c $i $*"
}
ring() {
	local name=$1 i j sum=0
	sleep 1
	inpart 2 adj-udp sink 9400 $((T + 2)) >"$W/one" &
	sleep 0.5
	inpart 1 adj-udp stream 192.0.2.12 9400 0 "$T" 18 >/dev/null
	wait
	S_ONE[$name]=$(field pps <"$W/one")
	for ((i = 1; i <= N; i++)); do
		j=$((i % N + 1))
		inpart $j adj-udp sink $((9400 + i)) $((T + 2)) >"$W/all-$i" &
	done
	sleep 0.5
	for ((i = 1; i <= N; i++)); do
		j=$((i % N + 1))
		inpart $i adj-udp stream 192.0.2.$((10 + j)) $((9400 + i)) 0 "$T" 18 >/dev/null &
	done
	wait
	for ((i = 1; i <= N; i++)); do
		sum=$(awk -v s="$sum" -v p="$(field pps <"$W/all-$i")" 'BEGIN { printf "%.0f", s + p }')
	done
	S_ALL[$name]=$sum
}

bench_scale() {
	local i mode filter pids=() off=0 migr=0
	adj_setup_vfs $N >/dev/null || return 1
	for ((i = 1; i <= N; i++)); do
		adj_part p$i $i 32M >/dev/null
	done
	for ((i = 1; i <= N; i++)); do
		ip link set "${VF_IF[i - 1]}" netns p$i
		ip -n p$i addr add 192.0.2.$((10 + i))/24 dev "${VF_IF[i - 1]}"
		ip -n p$i link set "${VF_IF[i - 1]}" up
	done
	for ((i = 1; i <= N; i++)); do
		for j in $(seq 300); do
			[ "$(ip netns exec p$i cat /sys/class/net/"${VF_IF[i - 1]}"/carrier 2>/dev/null)" = 1 ] && break
			sleep 0.1
		done
	done
	ring vf
	for ((i = 1; i <= N; i++)); do
		ip -n p$i link set "${VF_IF[i - 1]}" down
		ip -n p$i addr flush dev "${VF_IF[i - 1]}"
		ip -n p$i link set "${VF_IF[i - 1]}" netns 1
	done
	for mode in direct mediated; do
		for ((i = 1; i <= N; i++)); do
			lparctl adjunct add p$i --vf "${VF_PCI[i - 1]}" --mode $mode >/dev/null
		done
		for ((i = 1; i <= N; i++)); do
			adj_addr p$i 192.0.2.$((10 + i))
		done
		if [ $mode = mediated ]; then
			pids=() filter=
			for ((i = 1; i <= N; i++)); do
				pids[i]=$(adj_json p$i pid)
				filter+="${filter:+ || }pid == ${pids[i]}"
			done
			echo >"$TR/trace"
			trace_on sched_migrate_task "$filter"
		fi
		ring $mode
		if [ $mode = mediated ]; then
			trace_off sched_migrate_task
			migr=$(grep -c 'sched_migrate_task:' "$TR/trace")
			# Off the partition's CPU: thread of p_i to a CPU other than i.
			off=$(awk -v list="${pids[*]}" '
				BEGIN { n = split(list, p, " "); for (i = 1; i <= n; i++) cpu[p[i]] = i }
				/sched_migrate_task:/ { for (i = 1; i <= NF; i++) {
					if ($i ~ /^pid=/) q = substr($i, 5)
					if ($i ~ /^dest_cpu=/) c = substr($i, 10) + 0 }
					if ((q in cpu) && c != cpu[q]) bad++ }
				END { print bad + 0 }' "$TR/trace")
			echo >"$TR/trace"
		fi
		for ((i = 1; i <= N; i++)); do
			lparctl adjunct del p$i
		done
	done
	for ((i = 1; i <= N; i++)); do
		adj_part_del p$i
	done
	printf '%-34s %10s %10s %10s\n' "$N partitions in a ring" "VF-direct" "adj-direct" "adj-medtd"
	printf '%-34s %10s %10s %10s\n' "one stream, pps" "${S_ONE[vf]}" "${S_ONE[direct]}" "${S_ONE[mediated]}"
	printf '%-34s %10s %10s %10s\n' "$N streams at once, aggregate pps" "${S_ALL[vf]}" \
		"${S_ALL[direct]}" "${S_ALL[mediated]}"
	printf '%-34s %10s %10s %10s\n' "aggregate / ($N x one)" \
		"$(ratio "${S_ALL[vf]}" $((N * ${S_ONE[vf]:-0})))" \
		"$(ratio "${S_ALL[direct]}" $((N * ${S_ONE[direct]:-0})))" \
		"$(ratio "${S_ALL[mediated]}" $((N * ${S_ONE[mediated]:-0})))"
	printf '%-34s %10s %10s %10s\n' "aggregate vs VF-direct's" "1.00" \
		"$(ratio "${S_ALL[direct]}" "${S_ALL[vf]}")" "$(ratio "${S_ALL[mediated]}" "${S_ALL[vf]}")"
	echo "mediated ring: $migr migrations of the $N adjunct threads, $off off their partitions' CPUs"
}

rc=0
for s in $SECTIONS; do
	"bench_$s" || { echo "adjunct_sriov bench: section $s failed"; rc=1; }
done
rm -rf "$W"
exit $rc
