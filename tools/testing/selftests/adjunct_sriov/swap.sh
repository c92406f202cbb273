#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Live VF swap under a UDP stream: the partition's interface never loses
# carrier (no link event inside the partition, carrier_changes unchanged),
# keeps its MAC address, which the PF now gives the new VF while the old
# VF takes the new one's former address; lost packets and the longest gap
# are measured and printed; the swap is announced on the event group; a
# VF owned by anyone cannot be swapped in.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"

adj_load
adj_setup_vfs 4 || exit 1
adj_part a 2-3
adj_part b 4-5
lparctl adjunct add a --vf "${VF_PCI[0]}" >/dev/null
lparctl adjunct add b --vf "${VF_PCI[1]}" >/dev/null
adj_addr a 192.0.2.1
adj_addr b 192.0.2.2
ip netns exec b adj-udp echo 7 &
echo_pid=$!
sleep 0.3
t_true "traffic flows before the swap" sh -c "ip netns exec a adj-udp rtt 192.0.2.2 7 10 | grep -q 'lost 0'"

lparctl -j adjunct monitor >/tmp/adj-events.json &
mon=$!
ip -n a monitor link >/tmp/adj-link-a.txt &
linkmon=$!
sleep 0.5
mac=$(ip -n a -j link show lpvio0 | jq -r '.[0].address')
changes=$(adj_json a carrier_changes)

# A hot spare: VF 2 is up with link (and without IPv6) before the swap.
sysctl -qw net.ipv6.conf."${VF_IF[2]}".disable_ipv6=1
t_ok "the hot spare VF 2 is up with link" adj_vf_link "${VF_IF[2]}"

# b -> a at 2,000 packets/s for 5 s; a's VF is swapped 2 s in.
ip netns exec a adj-udp sink 9000 7 >/tmp/adj-sink.txt &
sink=$!
sleep 0.5
ip netns exec b adj-udp stream 192.0.2.1 9000 2000 5 >/tmp/adj-stream.txt &
stream=$!
sleep 2
t_ok "swap a to the hot spare VF 2 under the stream" lparctl adjunct swap a --vf "${VF_PCI[2]}"
wait $stream $sink
res=$(cat /tmp/adj-sink.txt)
echo "# hot swap under 2 kpps: $(cat /tmp/adj-stream.txt) / $res; swap took $(($(adj_json a last_swap_ns) / 1000)) us"
lost=$(awk '{print $4}' <<<"$res")
t_true "the stream got through the swap ($res)" [ "$(awk '{print $2}' <<<"$res")" -gt 5000 ]
t_true "lost packets measured: $lost" [ "$lost" -ge 0 ]
t_eq "no carrier transition on a's interface" "$changes" "$(adj_json a carrier_changes)"
t_true "no link event for lpvio0 inside a" sh -c '! grep -E "lpvio0.*(NO-CARRIER|state DOWN)" /tmp/adj-link-a.txt'
t_eq "a's interface keeps its MAC address" "$mac" "$(ip -n a -j link show lpvio0 | jq -r '.[0].address')"
t_eq "the PF gives VF 2 that address" "$mac" \
	"$(ip -j link show "$PF" | jq -r '.[0].vfinfo_list[2].address')"
t_eq "VF 0 took VF 2's former address" "${VF_MAC[2]}" \
	"$(ip -j link show "$PF" | jq -r '.[0].vfinfo_list[0].address')"
t_eq "a now owns VF 2" "${VF_PCI[2]}" "$(adj_json a vf_pci)"
t_eq "swaps counted" 1 "$(adj_json a swaps)"
t_true "VF 0 is free again (no master)" sh -c "! ip -d link show ${VF_IF[0]} | grep -q master"
t_true "traffic flows after the swap" sh -c "ip netns exec a adj-udp rtt 192.0.2.2 7 20 | grep -q 'lost 0'"

# Back to VF 0, now with the stream a -> b and a in mediated mode.
lparctl adjunct del a
lparctl adjunct add a --vf "${VF_PCI[0]}" --mode mediated >/dev/null
adj_addr a 192.0.2.1
mac=$(ip -n a -j link show lpvio0 | jq -r '.[0].address')
changes=$(adj_json a carrier_changes)
ip netns exec b adj-udp sink 9001 6 >/tmp/adj-sink.txt &
sink=$!
sleep 0.5
ip netns exec a adj-udp stream 192.0.2.2 9001 2000 4 >/tmp/adj-stream.txt &
stream=$!
sleep 1.5
t_ok "swap a mediated adjunct to VF 3 (down: brought up first) while it sends" lparctl adjunct swap a --vf "${VF_IF[3]}"
wait $stream $sink
res=$(cat /tmp/adj-sink.txt)
echo "# cold mediated swap under 2 kpps: $(cat /tmp/adj-stream.txt) / $res"
t_true "the stream got through the mediated swap ($res)" [ "$(awk '{print $2}' <<<"$res")" -gt 4000 ]
t_eq "no carrier transition (mediated)" "$changes" "$(adj_json a carrier_changes)"
t_eq "MAC address kept (mediated)" "$mac" "$(ip -n a -j link show lpvio0 | jq -r '.[0].address')"

t_err "a VF owned by another adjunct cannot be swapped in" 1 "already owned by the adjunct of partition b" \
	lparctl adjunct swap a --vf "${VF_PCI[1]}"
t_err "nor the VF the adjunct already owns" 1 "already owned by the adjunct of partition a" \
	lparctl adjunct swap a --vf "${VF_PCI[3]}"
t_eq "a refused swap changes nothing" "${VF_PCI[3]} 1" "$(adj_json a vf_pci) $(adj_json a swaps)"

sleep 0.3
kill $mon $linkmon $echo_pid
wait $mon $linkmon $echo_pid 2>/dev/null
t_eq "both swaps were announced" "2" "$(jq -r 'select(.event == "swap") | .part' /tmp/adj-events.json | wc -l)"
adj_part_del a
adj_part_del b
