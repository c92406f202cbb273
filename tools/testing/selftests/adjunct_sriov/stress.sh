#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Random add/del/swap/VF-unbind/rebind operations (ADJ_STRESS_N, default
# 30, fixed seed) on two partitions while a UDP stream runs between them.
# After every operation the kernel's state must be consistent: every
# adjunct has its lpvio0 and a live thread pinned to its CPUs, no VF is
# owned twice, every owned VF is linked under an lpvio, partitions without
# an adjunct have no lpvio0. At the end everything is released: no
# thread, no owned VF, nothing charged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"
N=${ADJ_STRESS_N:-30}
RANDOM=7

adj_load
adj_setup_vfs 4 || exit 1
adj_part a 2-3
adj_part b 4-5
adj_ns_watch a b
PARTS=(a b)
declare -A CPUS=([a]=2-3 [b]=4-5) ADDR=([a]=192.0.2.1 [b]=192.0.2.2)
lparctl adjunct add a --vf "${VF_PCI[0]}" >/dev/null
lparctl adjunct add b --vf "${VF_PCI[1]}" >/dev/null
adj_addr a 192.0.2.1
adj_addr b 192.0.2.2
ip netns exec b adj-udp sink 9000 3600 >/dev/null 2>&1 &
sink=$!
ip netns exec a adj-udp stream 192.0.2.2 9000 500 3600 >/dev/null 2>&1 &
stream=$!

bad=0 ops=""

for ((i = 0; i < N; i++)); do
	p=${PARTS[RANDOM % 2]}
	v=$((RANDOM % 4))
	case $((RANDOM % 5)) in
	0) op="add $p ${VF_PCI[v]}"; lparctl adjunct add $p --vf "${VF_PCI[v]}" >/dev/null 2>&1 &&
		printf 'addr add %s/24 dev lpvio0\nlink set lpvio0 up\n' "${ADDR[$p]}" |
		ip -n "$p" -batch - ;;
	1) op="del $p"; lparctl adjunct del $p >/dev/null 2>&1 ;;
	2|3) op="swap $p ${VF_PCI[v]}"; lparctl adjunct swap $p --vf "${VF_PCI[v]}" >/dev/null 2>&1 ;;
	4) if [ -e "/sys/bus/pci/devices/${VF_PCI[v]}/driver" ]; then
		op="unbind ${VF_PCI[v]}"; echo "${VF_PCI[v]}" >/sys/bus/pci/drivers/igbvf/unbind
	   else
		op="bind ${VF_PCI[v]}"; echo "${VF_PCI[v]}" >/sys/bus/pci/drivers/igbvf/bind
	   fi ;;
	esac
	ops+="$op; "
	if ! adj_check_consistent; then
		bad=$((bad + 1))
		echo "# after op $i ($op): $ADJ_WHY"
	fi
done
echo "# ops: $ops"
t_eq "$N random operations under traffic left a consistent state each time" 0 "$bad"
kill $stream $sink 2>/dev/null
wait 2>/dev/null
lparctl adjunct del a 2>/dev/null
lparctl adjunct del b 2>/dev/null
t_eq "no adjunct left" 0 "$(lparctl -j adjunct list | jq length)"
t_true "no adjunct thread left" sh -c '! grep -l "^adj/" /proc/[0-9]*/comm 2>/dev/null | grep -q .'
t_eq "no VF has a master" "" "$(ip -j link show | jq -r '.[] | select(.master) | .ifname')"
t_eq "nothing charged" "0 0" "$(lparctl -j show a | jq -r .used) $(lparctl -j show b | jq -r .used)"
for vf in "${VF_PCI[@]}"; do
	[ -e "/sys/bus/pci/devices/$vf/driver" ] || echo "$vf" >/sys/bus/pci/drivers/igbvf/bind
done
adj_part_del a
adj_part_del b
