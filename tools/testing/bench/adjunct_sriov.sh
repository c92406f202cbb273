#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# adjunct_sriov benchmark, same VM run, against the standard way of giving
# a partition a VF (the VF moved straight into its namespace):
#   - iperf3 TCP throughput a -> b
#   - 64-byte frames (18-byte UDP payload) per second received, a -> b
#   - UDP round-trip latency p50/p99 (adj-udp rtt, 1,000 probes)
# for VF-direct, adjunct direct mode and adjunct mediated mode, with ratios
# to VF-direct; then a planned hot-spare swap under a 10 kpps stream (lost
# packets, longest gap) and the adjunct threads' migrations off their
# partitions' CPUs (sched:sched_migrate_task) during the mediated run.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=../selftests/adjunct_sriov/lib-adj.sh
. "$ROOT/tools/testing/selftests/adjunct_sriov/lib-adj.sh"
T=${T:-3}
TR=/sys/kernel/tracing

adj_load
adj_setup_vfs 3 >/dev/null || exit 1
adj_part a 2-3 >/dev/null
adj_part b 4-5 >/dev/null

# measure NAME: fills R_<field>[NAME]; a and b have 192.0.2.1/.2 up.
declare -A R_TCP R_PPS R_P50 R_P99
measure() {
	local name=$1 out
	sleep 1
	ip netns exec b iperf3 -s -1 -D -p 5301 >/dev/null 2>&1
	sleep 0.5
	out=$(ip netns exec a iperf3 -c 192.0.2.2 -p 5301 -t "$T" -J 2>/dev/null)
	R_TCP[$name]=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<<"$out" 2>/dev/null)
	ip netns exec b adj-udp sink 9100 $((T + 2)) >/tmp/adj-bench-sink.txt &
	sleep 0.5
	ip netns exec a adj-udp stream 192.0.2.2 9100 0 "$T" 18 >/dev/null
	wait
	R_PPS[$name]=$(awk '{printf "%.0f", $NF}' /tmp/adj-bench-sink.txt)
	ip netns exec b adj-udp echo 7 >/dev/null &
	sleep 0.3
	out=$(ip netns exec a adj-udp rtt 192.0.2.2 7 1000 500)
	kill $!
	wait 2>/dev/null
	R_P50[$name]=$(sed -n 's/.*p50_us \([0-9.]*\).*/\1/p' <<<"$out")
	R_P99[$name]=$(sed -n 's/.*p99_us \([0-9.]*\).*/\1/p' <<<"$out")
}

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
	if [ $mode = mediated ] && [ -d $TR/events/sched/sched_migrate_task ]; then
		pids="$(adj_json a pid) $(adj_json b pid)"
		echo "pid == ${pids% *} || pid == ${pids#* }" >$TR/events/sched/sched_migrate_task/filter
		echo 1 >$TR/events/sched/sched_migrate_task/enable
		echo >$TR/trace
	fi
	measure $mode
	if [ $mode = mediated ] && [ -d $TR/events/sched/sched_migrate_task ]; then
		echo 0 >$TR/events/sched/sched_migrate_task/enable
		migr=$(grep -c sched_migrate_task $TR/trace)
		# Off the partition's CPUs: a's thread to a CPU not 2-3, b's not 4-5.
		off=$(grep sched_migrate_task $TR/trace | awk -v pa="${pids% *}" -v pb="${pids#* }" '
			{ for (i = 1; i <= NF; i++) { if ($i ~ /^pid=/) p = substr($i, 5);
			  if ($i ~ /^dest_cpu=/) c = substr($i, 10) + 0 }
			  if ((p == pa && (c < 2 || c > 3)) || (p == pb && (c < 4 || c > 5))) n++ }
			END { print n + 0 }')
		echo 0 >$TR/events/sched/sched_migrate_task/filter
	fi
	lparctl adjunct del a
	lparctl adjunct del b
done

# Planned swap to a hot spare under a 10 kpps stream b -> a.
lparctl adjunct add a --vf "${VF_PCI[0]}" >/dev/null
lparctl adjunct add b --vf "${VF_PCI[1]}" >/dev/null
adj_addr a 192.0.2.1
adj_addr b 192.0.2.2
ip link set "${VF_IF[2]}" up
sleep 2
ip netns exec a adj-udp sink 9200 7 >/tmp/adj-bench-sink.txt &
sleep 0.5
ip netns exec b adj-udp stream 192.0.2.1 9200 10000 5 >/tmp/adj-bench-stream.txt &
sleep 2
lparctl adjunct swap a --vf "${VF_PCI[2]}" >/dev/null
wait
swap=$(cat /tmp/adj-bench-sink.txt)
swap_sent=$(awk '{print $2}' /tmp/adj-bench-stream.txt)
swap_us=$(($(adj_json a last_swap_ns) / 1000))
lparctl adjunct del a
lparctl adjunct del b
adj_part_del a
adj_part_del b

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
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
echo "planned hot-spare swap at 10 kpps: sent $swap_sent, $swap; swap took $swap_us us"
echo "mediated run: ${migr:-?} migrations of the adjunct threads, ${off:-?} off their partitions' CPUs"
