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
	say "CPUID leaf 0xB through /dev/cpu/0/cpuid (cpuid -k -1 reads CPU 0): EBX = threads at the SMT, then the core level."
	run "cpuid -k -1 -l 0xb -s 0 -r; cpuid -k -1 -l 0xb -s 1 -r"
	say "web has no CPU 0 (Linux numbers are kept); with renumber=Y its CPUs are 0-1 in the view:"
	run "echo Y > /sys/module/lpar_hwthread/parameters/renumber"
	run "lparctl hwt enter web -- sh -c 'cpuid -k -1 -l 0xb -s 0 -r; cpuid -k -1 -l 0xb -s 1 -r'"
	run "echo N > /sys/module/lpar_hwthread/parameters/renumber"
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
