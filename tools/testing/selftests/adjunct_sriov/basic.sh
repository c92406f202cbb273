#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two partitions a and b, each in its own netns with an adjunct on its own
# VF: they see one lpvio0 each (never the VF), with the VF's MAC address;
# UDP round trips and iperf3 TCP/UDP run between them through the
# adjuncts, in direct and in mediated mode; the adjunct threads are named
# after their partitions, pinned to their CPUs and in their cgroups, and
# spend CPU time there; counters add up; the interface cannot be made,
# deleted or moved from userspace; deletion gives everything back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"

adj_load
adj_setup_vfs 2 || exit 1
adj_part a 2-3
adj_part b 4-5

t_ok "add an adjunct to a by VF PCI address" lparctl adjunct add a --vf "${VF_PCI[0]}"
t_ok "add an adjunct to b by VF interface name" lparctl adjunct add b --vf "${VF_IF[1]}"
t_eq "lpvio0 is the only Ethernet interface a sees (not the VF)" lpvio0 \
	"$(ip -n a -j link show | jq -r '.[] | select(.link_type == "ether") | .ifname' | xargs)"
t_eq "lpvio0 in a has VF 0's MAC address" "${VF_MAC[0]}" \
	"$(ip -n a -j link show lpvio0 | jq -r '.[0].address')"
t_eq "lpvio0 is of kind lpvio" lpvio \
	"$(ip -n a -d -j link show lpvio0 | jq -r '.[0].linkinfo.info_kind')"
t_eq "the VF stays in the initial namespace" "${VF_IF[0]}" \
	"$(ls /sys/bus/pci/devices/"${VF_PCI[0]}"/net)"
t_eq "show -j names the VF" "${VF_PCI[0]} ${VF_IF[0]}" \
	"$(adj_json a vf_pci) $(adj_json a vf_ifname)"
adj_addr a 192.0.2.1 && adj_addr b 192.0.2.2
t_eq "addresses set, link up with carrier" 0 $?
t_eq "carrier on the partition's interface" "up vf" "$(adj_json a carrier) $(adj_json a active)"
t_eq "no IPv6 address configured on the owned VF (IFF_NO_ADDRCONF)" "" \
	"$(ip -6 -o addr show dev "${VF_IF[0]}")"

ip netns exec b adj-udp echo 7 &
echo_pid=$!
sleep 0.3
out=$(ip netns exec a adj-udp rtt 192.0.2.2 7 50 1000)
t_true "UDP round trips a -> b through the adjuncts ($out)" grep -q 'lost 0' <<<"$out"

ip netns exec b iperf3 -s -1 -D -p 5201 >/dev/null
sleep 0.5
tcp=$(ip netns exec a iperf3 -c 192.0.2.2 -p 5201 -t 2 -J 2>&1)
t_true "iperf3 TCP a -> b ($(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<<"$tcp" 2>/dev/null) Mbit/s)" \
	jq -e '.end.sum_received.bytes > 0' <<<"$tcp"
ip netns exec a iperf3 -s -1 -D -p 5202 >/dev/null
sleep 0.5
udp=$(ip netns exec b iperf3 -c 192.0.2.1 -p 5202 -u -b 5M -t 2 -J 2>&1)
t_true "iperf3 UDP b -> a ($(jq -r '.end.sum.lost_percent' <<<"$udp" 2>/dev/null)% lost)" \
	jq -e '.end.sum.packets > 0' <<<"$udp"

pid=$(adj_json a pid)
t_eq "a's thread is named adj/a" adj/a "$(cat /proc/"$pid"/comm)"
t_eq "a's thread is pinned to a's CPUs" 2-3 \
	"$(awk '/^Cpus_allowed_list/ {print $2}' /proc/"$pid"/status)"
t_eq "a's thread is in a's cgroup" 0::/a "$(cat /proc/"$pid"/cgroup)"
t_true "a's thread is listed in a's cgroup.threads" grep -qx "$pid" $CG/a/cgroup.threads
t_eq "b's thread is pinned to b's CPUs" 4-5 \
	"$(awk '/^Cpus_allowed_list/ {print $2}' /proc/"$(adj_json b pid)"/status)"
t_eq "show -j cpus" 2-3 "$(adj_json a cpus)"

rx=$(adj_json a rx_packets) tx=$(adj_json a tx_packets)
t_true "a counted packets both ways (rx $rx, tx $tx)" [ "$rx" -gt 50 -a "$tx" -gt 50 ]
# lpvio0 is live (the echo server, ARP, IPv6 ND), so a packet can pass
# between two reads: read the adjunct's counters on both sides of ip's and
# compare when nothing passed in between.
for try in 1 2 3 4 5 6 7 8 9 10; do
	c1="$(adj_json a rx_packets) $(adj_json a tx_packets)"
	cip=$(ip -n a -s -j link show lpvio0 | jq -r '"\(.[0].stats64.rx.packets) \(.[0].stats64.tx.packets)"')
	c2="$(adj_json a rx_packets) $(adj_json a tx_packets)"
	[ "$c1" = "$c2" ] && break
	sleep 0.2
done
t_eq "ip -s link shows the adjunct's counters (rx tx: $c1, read $try times)" "$c1" "$cip"
t_true "a charged its partition's budget" \
	[ "$(adj_json a charged)" = "$(lparctl -j show a | jq -r .used)" -a "$(adj_json a charged)" -gt 0 ]
t_eq "list has both adjuncts" "a b" "$(lparctl -j adjunct list | jq -r '.[].part' | xargs)"

t_err "ip link add type lpvio is refused" 2 "lparctl adjunct add" \
	ip link add x type lpvio
t_err "ip link del lpvio0 is refused" 2 "Operation not supported" \
	ip -n a link del lpvio0
t_true "lpvio0 cannot leave its namespace" sh -c '! ip -n a link set lpvio0 netns 1 2>/dev/null'
t_err "the owned VF cannot be moved to a namespace" 2 "" \
	ip link set "${VF_IF[0]}" netns b

t_ok "delete b's adjunct" lparctl adjunct del b
t_ok "re-add b in mediated mode" lparctl adjunct add b --vf "${VF_PCI[1]}" --mode mediated --queue-len 256
adj_addr b 192.0.2.2
before=$(awk '/usage_usec/ {print $2}' $CG/b/cpu.stat)
out=$(ip netns exec a adj-udp rtt 192.0.2.2 7 200 500)
t_true "UDP round trips through a mediated adjunct ($out)" grep -q 'lost 0' <<<"$out"
ip netns exec b iperf3 -s -1 -D -p 5203 >/dev/null
sleep 0.5
tcp=$(ip netns exec a iperf3 -c 192.0.2.2 -p 5203 -t 2 -J 2>&1)
t_true "iperf3 TCP a -> b, b mediated ($(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' <<<"$tcp" 2>/dev/null) Mbit/s)" \
	jq -e '.end.sum_received.bytes > 0' <<<"$tcp"
t_eq "mode is mediated" mediated "$(adj_json b mode)"
t_true "the mediated thread's CPU time is b's (cpu.stat usage_usec grew)" \
	[ "$(awk '/usage_usec/ {print $2}' $CG/b/cpu.stat)" -gt "$before" ]
t_true "the mediated thread ran (voluntary switches)" \
	[ "$(awk '/^voluntary_ctxt_switches/ {print $2}' /proc/"$(adj_json b pid)"/status)" -gt 10 ]
kill $echo_pid
wait $echo_pid 2>/dev/null

used=$(lparctl -j show a | jq -r .used)
t_ok "delete a's adjunct" lparctl adjunct del a
t_eq "a's budget is uncharged" 0 "$(lparctl -j show a | jq -r .used)"
t_eq "a has no lpvio0 any more" "" "$(ip -n a -o link show lpvio0 2>/dev/null)"
t_true "a's thread is gone" [ ! -e /proc/"$pid" ]
t_true "VF 0 has no master any more" sh -c "! ip -d link show ${VF_IF[0]} | grep -q master"
t_ok "VF 0 can be owned again" lparctl adjunct add a --vf "${VF_IF[0]}"
t_ok "deleting the partitions deletes their adjuncts" sh -c 'lparctl delete a && lparctl delete b'
t_eq "no adjunct left" 0 "$(lparctl -j adjunct list | jq length)"
t_ok "the cgroups can be removed" rmdir $CG/a $CG/b
adj_part_del a
adj_part_del b
[ "$used" -gt 0 ] || true
