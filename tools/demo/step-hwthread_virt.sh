# SPDX-License-Identifier: GPL-2.0
#
# Demo step of hwthread_virt, sourced by tools/demo/story.sh: unmodified
# cpuid, rdmsr and lscpu inside partition web (CPUs 2-3, both threads of
# one core) against the host. Needs web and the modules from the earlier
# steps; leaves everything as it found it.

step_hwthread_virt() {
	local grep_topo="grep -E '^(CPU\\(s\\)|On-line|Thread|Core|Socket)'"

	say "Each partition sees whole cores of its own. The host: 2 sockets x 2 cores x 2 threads."
	run "lscpu | $grep_topo"
	say "The same unmodified lscpu inside web, through 'lparctl hwt enter' (mount namespace + cgroup):"
	run "lparctl hwt enter web -- lscpu | $grep_topo"
	say "MSR 0x35 (CORE_THREAD_COUNT: cores << 16 | threads): host, then web."
	run rdmsr -p 2 0x35
	run lparctl hwt enter web -- rdmsr -p 2 0x35
	say "CPUID leaf 0xB.1 through /dev/cpu/N/cpuid (cpuid -k): EBX = threads per package, EDX = x2APIC id."
	run "cpuid -k -l 0xb -s 1 -r | grep -A1 -E '^CPU [23]:'"
	run "lparctl hwt enter web -- cpuid -k -l 0xb -s 1 -r | grep -A1 -E '^CPU [23]:'"
	say "The map and the reads it answered, over the lpar_hwt netlink family:"
	run lparctl hwt show web
	run lparctl hwt counters web
	say "Only an administrator switches a view; switched off, the nodes read EIO."
	refuse setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$(command -v lparctl)" hwt disable web
	run lparctl hwt disable web
	refuse lparctl hwt enter web -- rdmsr -p 2 0x35
	run lparctl hwt enable web
}
