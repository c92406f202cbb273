#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults under traffic: VFs removed (sriov_numvfs lowered) with a standby
# lower (a veth pair) carrying on without a carrier transition; a VF whose
# driver is unbound without a standby (carrier off, then a swap restores
# service); a budget too small for the adjunct; a partition deleted while
# its adjunct carries traffic; rmmod lpar_adjunct under traffic; the PF's
# driver unbound. Each ends with nothing left behind: VFs free, no lpvio,
# threads gone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"

adj_load
adj_setup_vfs 4 || exit 1
pfdev=$(readlink -f "/sys/class/net/$PF/device")
adj_part a 2-3
adj_part b 4-5
ip link add sa type veth peer name sb
lparctl adjunct add a --vf "${VF_PCI[0]}" --standby sa >/dev/null
lparctl adjunct add b --vf "${VF_PCI[1]}" --standby sb >/dev/null
adj_addr a 192.0.2.1
adj_addr b 192.0.2.2
# The VF may get link after the standby: then it is held down a moment.
adj_wait_active a vf
t_eq "the VF is active, the standby waits" "vf sa" "$(adj_json a active) $(adj_json a standby)"
changes_a=$(adj_json a carrier_changes)
ip -n a monitor link >/tmp/adj-link-a.txt &
linkmon=$!

ip netns exec a adj-udp sink 9000 7 >/tmp/adj-sink.txt &
sink=$!
sleep 0.5
ip netns exec b adj-udp stream 192.0.2.1 9000 1000 5 >/dev/null &
stream=$!
sleep 2
t_ok "remove every VF under traffic (sriov_numvfs 0)" sh -c "echo 0 > $pfdev/sriov_numvfs"
wait $stream $sink
res=$(cat /tmp/adj-sink.txt)
echo "# VF removal with a standby at 1 kpps: $res"
t_true "traffic went on over the standby ($res)" [ "$(awk '{print $2}' <<<"$res")" -gt 4000 ]
t_eq "a's interface kept carrier, now on the standby" "up standby" \
	"$(adj_json a carrier) $(adj_json a active)"
t_eq "no carrier transition on a's interface" "$changes_a" "$(adj_json a carrier_changes)"
t_true "no link event for lpvio0 inside a" sh -c '! grep -E "lpvio0.*(NO-CARRIER|state DOWN)" /tmp/adj-link-a.txt'
t_eq "the fallback is counted" 1 "$(adj_json a fallbacks)"
t_eq "show says the VF is gone" null "$(adj_json a vf_pci)"
kill $linkmon

adj_setup_vfs 4 || exit 1
# Re-created VFs get their link from the PF over the mailbox, which under
# TCG can take longer than a swap waits for it (3 s; seen: "VF ... got no
# link within 3000 ms" in a full make check): wait for it first.
t_ok "re-created VF 0 gets link" adj_vf_link "${VF_IF[0]}"
t_ok "re-created VF 1 gets link" adj_vf_link "${VF_IF[1]}"
t_ok "a later swap brings a back onto a VF" lparctl adjunct swap a --vf "${VF_PCI[0]}"
t_ok "and b" lparctl adjunct swap b --vf "${VF_PCI[1]}"
t_eq "a runs on the VF again" "vf ${VF_PCI[0]}" "$(adj_json a active) $(adj_json a vf_pci)"
ip netns exec b adj-udp echo 7 >/dev/null &
echo_pid=$!
sleep 0.3
out=$(ip netns exec a adj-udp rtt 192.0.2.2 7 10)
t_true "traffic over the VFs ($out)" [ "$(awk '{print $4}' <<<"$out")" -ge 8 ]
kill $echo_pid

# No standby: unbinding the VF's driver takes the carrier away.
lparctl adjunct del b
lparctl adjunct add b --vf "${VF_PCI[3]}" >/dev/null
adj_addr b 192.0.2.2
t_ok "unbind VF 3's driver (igbvf) under b's adjunct" \
	sh -c "echo ${VF_PCI[3]} > /sys/bus/pci/drivers/igbvf/unbind"
t_eq "b's interface lost carrier cleanly" "down none" "$(adj_json b carrier) $(adj_json b active)"
t_true "b's interface is still there, up" ip -n b link show lpvio0 up
t_ok "a later swap restores b" lparctl adjunct swap b --vf "${VF_PCI[2]}"
t_eq "b has carrier again" "up vf" "$(adj_json b carrier) $(adj_json b active)"
echo "${VF_PCI[3]}" >/sys/bus/pci/drivers/igbvf/bind

# Budget.
adj_part c 6-7 4K
t_err "a partition whose budget cannot hold the adjunct is refused" 1 "budget cannot hold" \
	lparctl adjunct add c --vf "${VF_PCI[3]}"
t_eq "nothing charged, the refusal counted" "0 1" \
	"$(lparctl -j show c | jq -r '"\(.used) \(.charge_fails)"')"
t_eq "c has no interface" "" "$(ip -n c -o link show lpvio0 2>/dev/null)"
t_true "the VF stayed free" sh -c "! ip -d link show ${VF_IF[3]} | grep -q master"
adj_part_del c

# Partition deleted under traffic.
ip netns exec b adj-udp sink 9002 3 >/dev/null &
ip netns exec a adj-udp stream 192.0.2.2 9002 1000 3 >/dev/null &
stream=$!
sleep 1
pid=$(adj_json b pid)
vf_b=$(adj_json b vf_ifname)
t_ok "delete partition b while its adjunct carries traffic" lparctl delete b
t_true "b's thread is gone" [ ! -e /proc/"$pid" ]
t_true "b's VF is free again" sh -c "! ip -d link show $vf_b | grep -q master"
t_eq "only a's adjunct is left" a "$(lparctl -j adjunct list | jq -r '.[].part' | xargs)"
wait
ip netns del b
rmdir $CG/b

# rmmod under traffic.
adj_part b 4-5
lparctl adjunct add b --vf "${VF_PCI[1]}" --mode mediated >/dev/null
adj_addr b 192.0.2.2
ip netns exec b adj-udp sink 9003 3 >/dev/null &
ip netns exec a adj-udp stream 192.0.2.2 9003 0 2 >/dev/null &
sleep 1
t_ok "rmmod lpar_adjunct under traffic" rmmod lpar_adjunct
wait
t_eq "no lpvio interface left" "" "$(ip -n a -o link show lpvio0 2>/dev/null)$(ip -n b -o link show lpvio0 2>/dev/null)"
t_true "no adjunct thread left" sh -c '! grep -l "^adj/" /proc/[0-9]*/comm 2>/dev/null | grep -q .'
t_true "the VFs are free (no master, no rx handler owner)" \
	sh -c "! ip -d link show | grep -q 'master lpvio'"
t_eq "budgets uncharged" "0 0" "$(lparctl -j show a | jq -r .used) $(lparctl -j show b | jq -r .used)"
t_ok "the module loads again" insmod "$ADJ_KO"
t_ok "and serves again" lparctl adjunct add a --vf "${VF_PCI[0]}"

# The PF's driver unbound: every VF goes with it; the standby carries on.
lparctl adjunct del a
ip link set sb up
lparctl adjunct add a --vf "${VF_PCI[0]}" --standby sa >/dev/null
adj_addr a 192.0.2.1
adj_wait_active a vf
changes_a=$(adj_json a carrier_changes)
pf_pci=$(basename "$pfdev")
t_ok "unbind the PF's driver (igb) under a's adjunct" \
	sh -c "echo $pf_pci > /sys/bus/pci/drivers/igb/unbind"
t_eq "a fell back to its standby with carrier kept" "up standby null" \
	"$(adj_json a carrier) $(adj_json a active) $(adj_json a vf_pci)"
t_eq "no carrier transition on a's interface" "$changes_a" "$(adj_json a carrier_changes)"
echo "$pf_pci" >/sys/bus/pci/drivers/igb/bind
adj_setup_vfs 4 || exit 1
# A rebound PF negotiates its link anew; its VFs get link only after it.
t_ok "the rebound PF's VF 0 gets link" adj_vf_link "${VF_IF[0]}"
t_ok "after the PF is back, a swap restores a" lparctl adjunct swap a --vf "${VF_PCI[0]}"
t_eq "a is on the VF again" "up vf" "$(adj_json a carrier) $(adj_json a active)"
ip link del sa
adj_part_del a
adj_part_del b
