# SPDX-License-Identifier: GPL-2.0
#
# Demo step for adjunct_sriov, sourced by story.sh: web and db get
# adjuncts on their own SR-IOV VFs, talk through them, and web's VF is
# swapped live under a UDP stream; the counters show what it cost. Needs
# partitions web (cpus 2-3, netns web) and db (cpus 4-5, netns db) and the
# modules loaded; leaves no adjunct, address or VF behind.

adj_demo_udp=$ROOT/tools/testing/bin/adj-udp

step_adjunct_sriov() {
	local pf=/sys/class/net/eth0/device vf

	say "The emulated igb PF offers SR-IOV: three VFs, MACs set through the PF"
	say "before igbvf binds them (a running igbvf would not adopt them)."
	run ip link set eth0 up
	run "echo 0 > $pf/sriov_numvfs; echo 3 > $pf/sriov_numvfs"
	run "for i in 0 1 2; do ip link set eth0 vf \$i mac 02:00:00:00:d0:0\$i; done"
	run "grep -q '^igbvf ' /proc/modules || modprobe -d \$LPAR_KDIR/mods igbvf"
	for vf in 0000:01:10.0 0000:01:10.2 0000:01:10.4; do
		[ -e /sys/bus/pci/devices/$vf/driver ] ||
			echo $vf >/sys/bus/pci/drivers/igbvf/bind 2>/dev/null
	done
	run "ip link show eth0 | grep ' vf '"

	say "Each partition gets an adjunct: a kthread on its CPUs, in its cgroup,"
	say "owning one VF, and one interface lpvio0 in its netns with the VF's MAC."
	run lparctl adjunct add web --vf 0000:01:10.0
	run lparctl adjunct add db --vf 0000:01:10.2
	refuse lparctl adjunct add db --vf 0000:01:10.0
	run "ip -n web addr add 192.0.2.1/24 dev lpvio0; ip -n web link set lpvio0 up"
	run "ip -n db addr add 192.0.2.2/24 dev lpvio0; ip -n db link set lpvio0 up"
	run "ip -n web -br link; ip -n web -br addr show lpvio0"
	run "pid=\$(lparctl -j adjunct show web | jq .pid); cat /proc/\$pid/comm /proc/\$pid/cgroup; grep Cpus_allowed_list /proc/\$pid/status"
	run sleep 2

	say "Traffic between the partitions goes through their adjuncts."
	run "ip netns exec db $adj_demo_udp echo 7 >/dev/null & sleep 0.3; ip netns exec web $adj_demo_udp rtt 192.0.2.2 7 20 1000; kill \$!"
	run "ip netns exec db iperf3 -s -1 -D; sleep 0.5; ip netns exec web iperf3 -c 192.0.2.2 -t 2 | tail -4"

	say "Swap web's VF live while db streams 2,000 packets/s to it; VF 2 is a hot spare."
	say "(a spare is best kept without IPv6, so it has no address to defend)"
	run "v=\$(ls /sys/bus/pci/devices/0000:01:10.4/net); sysctl -qw net.ipv6.conf.\$v.disable_ipv6=1; ip link set \$v up; sleep 2"
	run "ip netns exec web $adj_demo_udp sink 9000 6 > /tmp/demo-sink.txt & sleep 0.5; ip netns exec db $adj_demo_udp stream 192.0.2.1 9000 2000 4 & sleep 1.5; lparctl adjunct swap web --vf 0000:01:10.4 >/dev/null; wait; cat /tmp/demo-sink.txt"
	run "lparctl adjunct show web"
	run "ip -n web -s link show lpvio0"
	run "ip link show eth0 | grep ' vf '"

	say "Deleting an adjunct gives the VF back; the partitions stay."
	run lparctl adjunct del web
	run lparctl adjunct del db
	run "lparctl adjunct list; echo 0 > $pf/sriov_numvfs"
}
