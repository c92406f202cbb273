# SPDX-License-Identifier: GPL-2.0
#
# Shared set-up of the adjunct selftests, sourced (not a test itself):
# finds the igb PF, enables NVFS virtual functions with known MAC addresses
# set through the PF before igbvf binds them (a running igbvf does not
# adopt a MAC set later), loads igbvf from the test kernel's modules, and
# makes partitions with a netns, a cgroup and CPUs.
#
#   adj_setup_vfs NVFS     sets PF, VF_PCI[i], VF_IF[i], VF_MAC[i]
#   adj_part NAME CPUS [MEM]  partition NAME with netns and cgroup NAME
#   adj_part_del NAME
#   adj_addr NS ADDR       address ADDR/24 on lpvio0 in NS, up, with carrier
#   adj_json PART FIELD    one field of "lparctl -j adjunct show PART"
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)}
export PATH="$ROOT/tools/lparctl:$ROOT/tools/testing/bin:$PATH"
CG=/sys/fs/cgroup
ADJ_KO=$ROOT/adjunct_sriov/lpar_adjunct.ko

adj_pf() {
	local d
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink -f "$d/device/driver" 2>/dev/null)")" = igb ] &&
			basename "$d" && return 0
	done
	return 1
}

# adj_vf_netdev PCI: the interface of a VF, waiting for igbvf to make it.
adj_vf_netdev() {
	local i
	for i in $(seq 100); do
		ls "/sys/bus/pci/devices/$1/net" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

adj_setup_vfs() {
	local n=$1 i pfdev
	PF=$(adj_pf) || { echo "no igb PF" >&2; return 1; }
	pfdev=$(readlink -f "/sys/class/net/$PF/device")
	ip link set "$PF" up
	if [ "$(cat "$pfdev/sriov_numvfs")" != "$n" ]; then
		echo 0 >"$pfdev/sriov_drivers_autoprobe"
		echo 0 >"$pfdev/sriov_numvfs"
		echo "$n" >"$pfdev/sriov_numvfs"
		for ((i = 0; i < n; i++)); do
			ip link set "$PF" vf "$i" mac "02:00:00:00:a0:0$i"
		done
		# A VF binds only while autoprobe is on (pci_device_can_probe()).
		echo 1 >"$pfdev/sriov_drivers_autoprobe"
		if grep -q '^igbvf ' /proc/modules; then
			for ((i = 0; i < n; i++)); do
				[ -e "$pfdev/virtfn$i/driver" ] ||
					basename "$(readlink -f "$pfdev/virtfn$i")" \
						>/sys/bus/pci/drivers/igbvf/bind
			done
		else
			modprobe -d "$LPAR_KDIR/mods" igbvf
		fi
	fi
	VF_PCI=() VF_IF=() VF_MAC=()
	for ((i = 0; i < n; i++)); do
		VF_PCI[i]=$(basename "$(readlink -f "$pfdev/virtfn$i")")
		VF_IF[i]=$(adj_vf_netdev "${VF_PCI[i]}") || return 1
		# The PF's view: an earlier test may have swapped addresses around.
		VF_MAC[i]=$(ip -j link show "$PF" | jq -r ".[0].vfinfo_list[$i].address")
	done
}

adj_part() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	lparctl create "$1" --cpus "$2" --cgroup "$CG/$1" --netns "$1" --memory "${3:-64M}"
}

adj_part_del() {
	lparctl delete "$1" 2>/dev/null
	ip netns del "$1" 2>/dev/null
	rmdir "$CG/$1" 2>/dev/null
	true
}

adj_addr() {
	local i
	ip -n "$1" addr add "$2/24" dev lpvio0
	ip -n "$1" link set lpvio0 up
	for i in $(seq 300); do	# 30 s: TCG on a loaded host is slow to bring up a VF link
		[ "$(ip netns exec "$1" cat /sys/class/net/lpvio0/carrier 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

adj_json() {
	lparctl -j adjunct show "$1" | jq -r ".$2"
}

adj_load() {
	grep -q '^lpar_adjunct ' /proc/modules || insmod "$ADJ_KO"
}

# adj_check_consistent: the adjuncts of partitions a and b agree with the
# system: no VF owned twice, lpvio0 exactly where an adjunct is, each
# thread pinned to its partition's CPUs (the caller's CPUS map), each lower
# (VF, standby) linked under lpvio0, and, if DBG is set, a debugfs file per
# adjunct. Prints the first disagreement as a TAP comment.
adj_check_consistent() {
	local list rows linked p pid vf sb k v allowed lower
	declare -A seen=()
	# (few processes: each costs seconds in the debug flavour under TCG)
	list=$(lparctl -j adjunct list) || { echo "# list failed"; return 1; }
	rows=$(jq -r '[.[].vf_pci | select(. != null)] as $v |
		(if ($v | length) != ($v | unique | length) then "dup" else empty end),
		(.[] | select(.part == "a" or .part == "b") |
		 "\(.part) \(.pid) \(.vf_ifname // "null") \(.standby // "null")")' <<<"$list") ||
		{ echo "# list unreadable"; return 1; }
	linked=" $(ip -j link show | jq -r '.[] | select(.master) | .ifname' | paste -sd' ') "
	while read -r p pid vf sb; do
		[ "$p" != dup ] || { echo "# a VF owned twice"; return 1; }
		[ -n "$p" ] || continue
		seen[$p]=1
		ip -n "$p" link show lpvio0 >/dev/null 2>&1 || { echo "# $p: no lpvio0"; return 1; }
		allowed=
		while read -r k v; do
			[ "$k" = Cpus_allowed_list: ] && { allowed=$v; break; }
		done 2>/dev/null <"/proc/$pid/status"
		[ "$allowed" = "${CPUS[$p]}" ] ||
			{ echo "# $p: thread $pid not pinned (${allowed:-gone}, not ${CPUS[$p]})"; return 1; }
		for lower in "$vf" "$sb"; do
			[ "$lower" = null ] || [[ "$linked" == *" $lower "* ]] ||
				{ echo "# $p: $lower not linked"; return 1; }
		done
		[ -z "${DBG:-}" ] || [ -e "$DBG/$p" ] || { echo "# $p: no debugfs file"; return 1; }
	done <<<"$rows"
	for p in a b; do
		[ -n "${seen[$p]:-}" ] || ! ip -n $p link show lpvio0 >/dev/null 2>&1 ||
			{ echo "# $p: stale lpvio0"; return 1; }
	done
}
