#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Robustness: N random cycles (argument, else ADJ_ROBUST_N, else 20; fixed
# seed) of adjunct add (direct or mediated, with or without a standby),
# del, swap, VF driver unbind/bind and VF removal (sriov_numvfs 0, then
# back) on two partitions while UDP streams run both ways between them.
# After every cycle the state must be consistent (as stress.sh checks:
# every adjunct has its lpvio0 and a live thread pinned to its CPUs, no
# VF owned twice, every owned lower linked under an lpvio). At the end,
# traffic stopped: no frame in flight in the module and its accounting
# balanced (debugfs: every frame ever queued to an adjunct thread was
# delivered, dropped or purged), then with every adjunct gone: no thread,
# no owned lower, nothing charged, 0 leaked frames, and kmemleak (debug
# flavour) has nothing to report.
#
#   robust.sh [CYCLES]       make check runs it with the default, 20;
#                            ADJ_ROBUST_SECONDS=S stops cycling after S s
#                            (the count done is reported);
#                            ADJ_ROBUST_SEED=N another sequence of cycles
#                            (default 13), to split a long run across runs
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"
N=${1:-${ADJ_ROBUST_N:-20}}
LIMIT=${ADJ_ROBUST_SECONDS:-0}
SEED=${ADJ_ROBUST_SEED:-13}
RANDOM=$SEED
DBG=/sys/kernel/debug/lpar_adjunct
NVF=4

adj_load
adj_setup_vfs $NVF || exit 1
pfdev=$(readlink -f "/sys/class/net/$PF/device")
adj_part a 2-3
adj_part b 4-5
adj_ns_watch a b
PARTS=(a b) MODES=(direct mediated)
declare -A CPUS=([a]=2-3 [b]=4-5) ADDR=([a]=192.0.2.1 [b]=192.0.2.2) SB=([a]=ra [b]=rb)
ip link add ra type veth peer name rb
# The streams connect once: their addresses must be routable at the start.
ready=no
lparctl adjunct add a --vf "${VF_PCI[0]}" --standby ra >/dev/null &&
	lparctl adjunct add b --vf "${VF_PCI[1]}" --mode mediated >/dev/null &&
	adj_addr a 192.0.2.1 && adj_addr b 192.0.2.2 && ready=yes
t_eq "set-up: both adjuncts up, addressed, with carrier" yes "$ready"
[ $ready = yes ] || exit 1
ip netns exec a adj-udp sink 9000 36000 >/dev/null 2>&1 &
sink_a=$!
ip netns exec b adj-udp sink 9001 36000 >/dev/null 2>&1 &
sink_b=$!
W=$(mktemp -d /tmp/adj-robust.XXXXXX)
sh -c 'ip netns exec b adj-udp stream 192.0.2.1 9000 1000 36000; echo "exit $?"' >"$W/b" 2>&1 &
stream_b=$!
sh -c 'ip netns exec a adj-udp stream 192.0.2.2 9001 1000 36000; echo "exit $?"' >"$W/a" 2>&1 &
stream_a=$!


bad=0 ops="" count=() start=$SECONDS
for ((i = 0; i < N; i++)); do
	[ "$LIMIT" = 0 ] || [ $((SECONDS - start)) -lt "$LIMIT" ] || break
	p=${PARTS[RANDOM % 2]}
	v=$((RANDOM % NVF))
	k=$((RANDOM % 8))
	case $k in
	0|1) mode=${MODES[RANDOM % 2]}
	   # (RANDOM read here, not in a $(...): a subshell reseeds it, and
	   # the cycles would not follow ADJ_ROBUST_SEED)
	   sb=; ((RANDOM % 2)) || sb="--standby ${SB[$p]}"
	   op="add $p $v $mode${sb:+ sb}"
	   # shellcheck disable=SC2086 # $sb is empty or two words
	   lparctl adjunct add $p --vf "${VF_PCI[v]}" --mode $mode $sb >/dev/null 2>&1 &&
		printf 'addr add %s/24 dev lpvio0\nlink set lpvio0 up\n' "${ADDR[$p]}" |
		ip -n "$p" -batch - ;;
	2) op="del $p"; lparctl adjunct del $p >/dev/null 2>&1 ;;
	3|4) op="swap $p $v"; lparctl adjunct swap $p --vf "${VF_PCI[v]}" >/dev/null 2>&1 ;;
	5|6) if [ -e "/sys/bus/pci/devices/${VF_PCI[v]}/driver" ]; then
		op="unbind $v"; echo "${VF_PCI[v]}" >/sys/bus/pci/drivers/igbvf/unbind
	   else
		op="bind $v"; echo "${VF_PCI[v]}" >/sys/bus/pci/drivers/igbvf/bind
	   fi ;;
	7) op="numvfs"; echo 0 >"$pfdev/sriov_numvfs"; adj_setup_vfs $NVF >/dev/null || exit 1 ;;
	esac
	count[k]=$((${count[k]:-0} + 1))
	ops+="$op; "
	if ! adj_check_consistent; then
		bad=$((bad + 1))
		echo "# after cycle $i ($op): $ADJ_WHY"
	fi
done
echo "# $i of $N cycles (seed $SEED) in $((SECONDS - start)) s: add ${count[0]:-0}+${count[1]:-0}, del ${count[2]:-0}," \
	"swap $((${count[3]:-0} + ${count[4]:-0})), unbind/bind $((${count[5]:-0} + ${count[6]:-0}))," \
	"sriov_numvfs $((${count[7]:-0}))"
[ "$N" -le 100 ] && echo "# ops: $ops"
t_eq "$i random cycles under traffic left a consistent state each time" 0 "$bad"

# A stream writes only when it ends (its figures, or why it failed, and
# the wrapper's exit status): still silent means still running. (Not
# "kill -0 A B": bash's kill succeeds if it could signal either.)
for p in a b; do
	t_eq "the stream from $p ran throughout" "" "$(<"$W/$p")"
done
pkill -P $stream_a
pkill -P $stream_b
wait $stream_a $stream_b 2>/dev/null
sleep 1
for p in a b; do
	[ -e "$DBG/$p" ] || continue
	t_eq "$p's adjunct at rest: nothing in flight, every queued frame accounted for" "0 0" \
		"$(awk '$1 == "inflight" || $1 == "balance" { printf "%s%s", s, $2; s = " " }' "$DBG/$p")"
done
lparctl adjunct del a 2>/dev/null
lparctl adjunct del b 2>/dev/null
kill $sink_a $sink_b
wait 2>/dev/null
echo "# totals: $(tr '\n' ' ' <"$DBG/totals")"
t_eq "every adjunct gone: 0 frames in flight, 0 leaked, accounting balanced" "0 0 0 0" \
	"$(awk '$1 == "adjuncts" || $1 == "inflight" || $1 == "leaked" || $1 == "balance" {
		printf "%s%s", s, $2; s = " " }' "$DBG/totals")"
t_true "frames went through adjunct threads meanwhile" \
	[ "$(awk '$1 == "queued" { print $2 }' "$DBG/totals")" -gt 0 ]
t_true "no adjunct thread left" sh -c '! grep -l "^adj/" /proc/[0-9]*/comm 2>/dev/null | grep -q .'
t_eq "no lower has a master" "" "$(ip -j link show | jq -r '.[] | select(.master) | .ifname')"
t_eq "nothing charged" "0 0" "$(lparctl -j show a | jq -r .used) $(lparctl -j show b | jq -r .used)"
ip link del ra
for vf in "${VF_PCI[@]}"; do
	[ -e "/sys/bus/pci/devices/$vf/driver" ] || echo "$vf" >/sys/bus/pci/drivers/igbvf/bind
done
adj_part_del a
adj_part_del b
rm -rf "$W"
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6		# kmemleak does not report objects younger than 5 s
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	t_eq "kmemleak reports nothing" "" "$leaks"
fi
