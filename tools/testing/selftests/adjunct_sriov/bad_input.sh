#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Requests the kernel or lparctl must refuse, each with a clear message,
# changing nothing: PCI addresses that are no VF or no device or no
# address, an interface that is no VF, a VF already owned (EBUSY), a VF
# whose interface is in another namespace, a partition without a netns or
# with an adjunct already, unknown partitions, non-admin callers, usage
# errors (exit 2).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-adj.sh"

adj_load
adj_setup_vfs 3 || exit 1
pf_pci=$(basename "$(readlink -f "/sys/class/net/$PF/device")")
adj_part a 2-3
adj_part b 4-5
lparctl adjunct add a --vf "${VF_PCI[0]}" >/dev/null

t_err "the PF's PCI address is not a VF" 1 "$pf_pci is not an SR-IOV virtual function" \
	lparctl adjunct add b --vf "$pf_pci"
t_err "a PCI address with no device" 1 "no PCI device 0000:7f:00.0" \
	lparctl adjunct add b --vf 0000:7f:00.0
t_err "a malformed PCI address" 1 "is not a PCI address" \
	lparctl adjunct add b --vf 0000:zz:00.0
t_err "a device number out of range" 1 "is not a PCI address" \
	lparctl adjunct add b --vf 00:20.0
t_err "an interface that is not a VF" 1 "$PF is not an SR-IOV virtual function" \
	lparctl adjunct add b --vf "$PF"
t_err "a VF owned by another adjunct: EBUSY" 1 "already owned by the adjunct of partition a: Device or resource busy" \
	lparctl adjunct add b --vf "${VF_IF[0]}"
t_err "a standby that does not exist" 1 "no interface nosuch0" \
	lparctl adjunct add b --vf "${VF_PCI[1]}" --standby nosuch0
ip netns add x
ip link set "${VF_IF[2]}" netns x
t_err "a VF whose interface is in another namespace (by PCI address)" 1 "is in another network namespace" \
	lparctl adjunct add b --vf "${VF_PCI[2]}"
t_err "a VF whose interface is in another namespace (by name)" 1 "no interface ${VF_IF[2]} in the initial network namespace" \
	lparctl adjunct add b --vf "${VF_IF[2]}"
ip -n x link set "${VF_IF[2]}" netns 1
ip netns del x
t_err "a second adjunct for a partition" 1 "partition a already has an adjunct" \
	lparctl adjunct add a --vf "${VF_PCI[1]}"
lparctl create nons
t_err "a partition without a network namespace" 1 "partition nons has no network namespace" \
	lparctl adjunct add nons --vf "${VF_PCI[1]}"
lparctl delete nons
t_err "an unknown partition" 1 "no partition named nosuch" \
	lparctl adjunct add nosuch --vf "${VF_PCI[1]}"
t_err "show of a partition without an adjunct" 1 "partition b has no adjunct" \
	lparctl adjunct show b
t_err "swap of a partition without an adjunct" 1 "partition b has no adjunct" \
	lparctl adjunct swap b --vf "${VF_PCI[1]}"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
t_err "add by a non-admin caller" 1 "Operation not permitted" \
	nobody lparctl adjunct add b --vf "${VF_PCI[1]}"
t_err "swap by a non-admin caller" 1 "Operation not permitted" \
	nobody lparctl adjunct swap a --vf "${VF_PCI[1]}"
t_err "del by a non-admin caller" 1 "Operation not permitted" \
	nobody lparctl adjunct del a
t_eq "list and show are open to everyone" a "$(nobody lparctl -j adjunct list | jq -r '.[].part')"

t_err "add without --vf is a usage error" 2 "missing --vf" lparctl adjunct add b
t_err "an unknown mode is a usage error" 2 "invalid mode" \
	lparctl adjunct add b --vf "${VF_PCI[1]}" --mode fast
t_err "a queue length out of range is a usage error" 2 "invalid queue length" \
	lparctl adjunct add b --vf "${VF_PCI[1]}" --queue-len 8
t_err "an unknown command is a usage error" 2 "unknown command" lparctl adjunct frob

t_eq "after all that, only a's adjunct exists, unchanged" "a ${VF_PCI[0]} 0" \
	"$(lparctl -j adjunct list | jq -r '.[] | "\(.part) \(.vf_pci) \(.swaps)"')"
t_true "VF 1 is free" sh -c "! ip -d link show ${VF_IF[1]} | grep -q master"
t_eq "b has nothing charged" 0 "$(lparctl -j show b | jq -r .used)"
adj_part_del a
adj_part_del b
