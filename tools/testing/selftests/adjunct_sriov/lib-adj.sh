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
#   adj_wait_active PART L until PART's adjunct transmits on L (vf|standby)
#   adj_vf_link IFNAME     VF IFNAME up (outside any adjunct), with link
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)}
export PATH="$ROOT/tools/lparctl:$ROOT/tools/testing/bin:$PATH"
CG=/sys/fs/cgroup
ADJ_KO=$ROOT/adjunct_sriov/lpar_adjunct.ko

# (The helpers below use shell builtins where they can: every process
# costs about a second in the debug flavour under TCG, and robust.sh runs
# them thousands of times.)
adj_pf() {
	local d
	for d in /sys/class/net/*; do
		[ "$d/device/driver" -ef /sys/bus/pci/drivers/igb ] && echo "${d##*/}" && return 0
	done
	return 1
}

# adj_vf_netdev PCI: the interface of a VF, waiting for igbvf to make it.
adj_vf_netdev() {
	local i d
	for ((i = 0; i < 100; i++)); do
		for d in "/sys/bus/pci/devices/$1/net/"*; do
			[ -e "$d" ] && echo "${d##*/}" && return 0
		done
		sleep 0.1
	done
	return 1
}

adj_setup_vfs() {
	local n=$1 i pfdev macs changed=0
	PF=$(adj_pf) || { echo "no igb PF" >&2; return 1; }
	pfdev=$(readlink -f "/sys/class/net/$PF/device")
	ip link set "$PF" up
	if [ "$(<"$pfdev/sriov_numvfs")" != "$n" ]; then
		echo 0 >"$pfdev/sriov_drivers_autoprobe"
		echo 0 >"$pfdev/sriov_numvfs"
		echo "$n" >"$pfdev/sriov_numvfs"
		for ((i = 0; i < n; i++)); do
			echo "link set $PF vf $i mac 02:00:00:00:a0:0$i"
		done | ip -batch -
		changed=1
	fi
	VF_PCI=() VF_IF=() VF_MAC=()
	# shellcheck disable=SC2207 # PCI addresses and MACs have no blanks
	VF_PCI=($(for ((i = 0; i < n; i++)); do echo "$pfdev/virtfn$i"; done |
		xargs readlink -f | sed 's,.*/,,'))
	if [ $changed = 1 ]; then
		# A VF binds only while autoprobe is on (pci_device_can_probe()).
		echo 1 >"$pfdev/sriov_drivers_autoprobe"
		if grep -q '^igbvf ' /proc/modules; then
			for ((i = 0; i < n; i++)); do
				[ -e "$pfdev/virtfn$i/driver" ] ||
					echo "${VF_PCI[i]}" >/sys/bus/pci/drivers/igbvf/bind
			done
		else
			modprobe -d "$LPAR_KDIR/mods" igbvf
		fi
	fi
	# The PF's view: an earlier test may have swapped addresses around.
	# shellcheck disable=SC2207
	macs=($(ip -j link show "$PF" | jq -r '.[0].vfinfo_list[].address'))
	for ((i = 0; i < n; i++)); do
		VF_IF[i]=$(adj_vf_netdev "${VF_PCI[i]}") || return 1
		VF_MAC[i]=${macs[i]}
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
	cg_remove "$CG/$1"
	true
}

# adj_poll CMD...: CMD succeeds within 30 s, tried every 0.1 s (TCG on a
# loaded host is slow to bring up a VF link).
adj_poll() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

adj_carrier_in() {	# adj_carrier_in NS
	[ "$(ip netns exec "$1" cat /sys/class/net/lpvio0/carrier 2>/dev/null)" = 1 ]
}

adj_addr() {
	ip -n "$1" addr add "$2/24" dev lpvio0
	ip -n "$1" link set lpvio0 up
	adj_poll adj_carrier_in "$1"
}

adj_json() {
	lparctl -j adjunct show "$1" | jq -r ".$2"
}

adj_active_is() { [ "$(adj_json "$1" active)" = "$2" ]; }
adj_wait_active() { adj_poll adj_active_is "$1" "$2"; }

# A VF's link comes from its PF over the mailbox, polled by igbvf's
# watchdog: after the PF itself came back (driver rebound) that can take
# longer under TCG than an adjunct waits for a VF in a swap (3 s).
adj_carrier() { [ "$(<"/sys/class/net/$1/carrier")" = 1 ] 2>/dev/null; }
adj_vf_link() {
	ip link set "$1" up
	adj_poll adj_carrier "$1"
}

adj_load() {
	grep -q '^lpar_adjunct ' /proc/modules || insmod "$ADJ_KO"
}

# adj_ns_watch NS...: a process in each netns, to read its interfaces
# from /proc/PID/net/dev instead of running "ip -n" (ADJ_NSPID[NS]); it
# ends with the calling script, and is not one of its jobs (a plain
# "wait" in the script does not wait for it).
declare -A ADJ_NSPID=()
adj_ns_watch() {
	local ns
	for ns; do
		ADJ_NSPID[$ns]=$(ip netns exec "$ns" tail --pid=$$ -f /dev/null \
			</dev/null >/dev/null 2>&1 & echo $!)
	done
}

# adj_ns_has NS IFNAME: is IFNAME in netns NS?
adj_ns_has() {
	local pid=${ADJ_NSPID[$1]:-} line
	[ -n "$pid" ] || { ip -n "$1" link show "$2" >/dev/null 2>&1; return; }
	while read -r line; do
		[ "${line%%:*}" = "$2" ] && return 0
	done <"/proc/$pid/net/dev"
	return 1
}

# adj_check_consistent: the adjuncts of partitions a and b agree with the
# system: no VF owned twice, lpvio0 exactly where an adjunct is, each
# thread pinned to its partition's CPUs (the caller's CPUS map), each lower
# (VF, standby) linked under lpvio0 (its sysfs "master" link), and, if DBG
# is set, a debugfs file per adjunct. Returns 1 with the first
# disagreement in ADJ_WHY. Two processes when ADJ_NSPID covers a and b.
adj_check_consistent() {
	local rows p pid vf sb st allowed lower
	local -A seen=()
	ADJ_WHY=
	rows=$(set -o pipefail; lparctl -j adjunct list | jq -r '
		[.[].vf_pci | select(. != null)] as $v |
		(if ($v | length) != ($v | unique | length) then "dup" else empty end),
		(.[] | select(.part == "a" or .part == "b") |
		 "\(.part) \(.pid) \(.vf_ifname // "null") \(.standby // "null")")') ||
		{ ADJ_WHY="list failed"; return 1; }
	while read -r p pid vf sb; do
		[ "$p" != dup ] || { ADJ_WHY="a VF owned twice"; return 1; }
		[ -n "$p" ] || continue
		seen[$p]=1
		adj_ns_has "$p" lpvio0 || { ADJ_WHY="$p: no lpvio0"; return 1; }
		# The file in one read: bash's read builtin seeks back after
		# each line, and /proc regenerates the text at every seek, so
		# line by line a State: line changing length between two reads
		# (running <-> sleeping) misaligns the rest.
		st='' allowed=''
		read -r -d '' st 2>/dev/null <"/proc/$pid/status"
		if [[ "$st" == *Cpus_allowed_list:* ]]; then
			allowed=${st#*Cpus_allowed_list:}
			allowed=${allowed%%$'\n'*}
			allowed=${allowed//[[:space:]]/}
		fi
		[ "$allowed" = "${CPUS[$p]}" ] ||
			{ ADJ_WHY="$p: thread $pid not pinned (${allowed:-gone}, not ${CPUS[$p]})"; return 1; }
		for lower in "$vf" "$sb"; do
			[ "$lower" = null ] || [ -L "/sys/class/net/$lower/master" ] ||
				{ ADJ_WHY="$p: $lower not linked"; return 1; }
		done
		[ -z "${DBG:-}" ] || [ -e "$DBG/$p" ] || { ADJ_WHY="$p: no debugfs file"; return 1; }
	done <<<"$rows"
	for p in a b; do
		[ -n "${seen[$p]:-}" ] || ! adj_ns_has $p lpvio0 ||
			{ ADJ_WHY="$p: stale lpvio0"; return 1; }
	done
}
