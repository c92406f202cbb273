#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified tools in a partition (-smp 8,sockets=2,cores=2,threads=2):
# a = {thread 0 of cores 0,1} and b = {thread 1 of cores 0,1} each see
# 2 cores x 1 thread, c = both threads of one core sees 1 core x 2
# threads, through "timeout 60 lparctl hwt enter" (cpuid -k, rdmsr, lscpu, lstopo)
# and through lpar_hwtfs read with a root prefix (lscpu --sysroot,
# HWLOC_FSROOT); the host keeps its real topology; the read counters
# grow by exactly the reads made.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
ABI=$ROOT/tools/testing/hwt-abi
sys=/sys/devices/system/cpu

# The Linux CPU at (package, core, thread rank), as view.sh finds them.
cpu_at() {
	local c
	for c in $sys/cpu[0-9]*; do
		[ "$(cat "$c/topology/physical_package_id")" = "$1" ] || continue
		[ "$(cat "$c/topology/core_id")" = "$2" ] || continue
		[ "$(cut -d, -f$(($3 + 1)) <<<"$(cat "$c/topology/thread_siblings_list" | tr - ,)")" = "${c##*cpu}" ] &&
			echo "${c##*cpu}"
	done
}
P=/sys/module/lpar_hwthread/parameters
cores=($(cat $sys/cpu*/topology/core_id | sort -un))
a0=$(cpu_at 0 "${cores[0]}" 0) a1=$(cpu_at 0 "${cores[1]}" 0)
b0=$(cpu_at 0 "${cores[0]}" 1) b1=$(cpu_at 0 "${cores[1]}" 1)
c0=$(cpu_at 1 "${cores[0]}" 0) c1=$(cpu_at 1 "${cores[0]}" 1)
echo "# a = $a0,$a1  b = $b0,$b1  c = $c0,$c1"

cg_remove /sys/fs/cgroup/a /sys/fs/cgroup/b /sys/fs/cgroup/c
t_ok "create a" lparctl create a --cpus "$a0,$a1" --cgroup /sys/fs/cgroup/a
t_ok "create b" lparctl create b --cpus "$b0,$b1" --cgroup /sys/fs/cgroup/b
t_ok "create c" lparctl create c --cpus "$c0,$c1" --cgroup /sys/fs/cgroup/c

# shape P CORES THREADS: every tool inside P agrees on CORES x THREADS.
shape() {
	local p=$1 n=$2 t=$3 out s0 s1 lst cpu
	# Debian cpuid -k -1 reads /dev/cpu/0. Linux numbers are kept, so a
	# partition without CPU 0 is read with renumber on (CPUs 0..n-1).
	[ -e "/dev/lpar_hwt/$p/cpu0" ] || echo 1 >$P/renumber
	s0=$(timeout 60 lparctl hwt enter "$p" -- cpuid -k -1 -l 0xb -s 0 -r)
	s1=$(timeout 60 lparctl hwt enter "$p" -- cpuid -k -1 -l 0xb -s 1 -r)
	echo 0 >$P/renumber
	sed 's/^/# /' <<<"$s0
$s1"
	t_true "$p: cpuid -k -1 leaf 0xB.0 says $t thread(s) per core" \
		grep -q "0x00: eax=0x0000000$((t - 1)) ebx=0x0000000$t " <<<"$s0"
	t_true "$p: cpuid -k -1 leaf 0xB.1 says $((n * t)) threads per package" \
		grep -q "0x01: eax=0x0000000. ebx=0x0000000$((n * t)) " <<<"$s1"
	for cpu in $(ls /dev/lpar_hwt/$p | sed 's/cpu//'); do
		t_eq "$p: rdmsr -p $cpu 0x35 = $n cores, $((n * t)) threads" \
			"$(printf '%x%04x' "$n" $((n * t)))" \
			"$(timeout 60 lparctl hwt enter "$p" -- rdmsr -p "$cpu" 0x35)"
	done
	out=$(timeout 60 lparctl hwt enter "$p" -- lscpu 2>&1)
	t_eq "$p: lscpu inside: $t thread(s) x $n core(s) x 1 socket" "$t $n 1" \
		"$(awk -F: '/^ *Thread\(s\) per core/ {t=$2} /^ *Core\(s\) per socket/ {c=$2}
			/^ *Socket\(s\)/ {s=$2} END {print t+0, c+0, s+0}' <<<"$out")"
	out=$(timeout 60 lparctl hwt enter "$p" -- lstopo-no-graphics 2>&1)
	t_eq "$p: lstopo inside: $n Core, $((n * t)) PU, no warning" "$n $((n * t)) 0" \
		"$(grep -c 'Core L#' <<<"$out") $(grep -o 'PU L#' <<<"$out" | wc -l) $(grep -c '^\*' <<<"$out")"
	lst=$(mktemp -d)
	mount -t lpar_hwtfs -o "part=$p" none "$lst"
	out=$(lscpu --sysroot "$lst" 2>&1)
	t_eq "$p: lscpu --sysroot: $t x $n x 1" "$t $n 1" \
		"$(awk -F: '/^ *Thread\(s\) per core/ {t=$2} /^ *Core\(s\) per socket/ {c=$2}
			/^ *Socket\(s\)/ {s=$2} END {print t+0, c+0, s+0}' <<<"$out")"
	# hwloc's x86 backend would run CPUID on the real CPUs and merge the
	# result in (Documentation/hwthread_virt.md).
	out=$(HWLOC_COMPONENTS=-x86 HWLOC_THISSYSTEM=0 HWLOC_FSROOT=$lst lstopo-no-graphics 2>&1)
	got="$(grep -c 'Core L#' <<<"$out") $(grep -o 'PU L#' <<<"$out" | wc -l) $(grep -c '^\*' <<<"$out")"
	[ "$got" = "$n $((n * t)) 0" ]
	t_result $? "$p: HWLOC_FSROOT lstopo: $n Core, $((n * t)) PU, no warning" \
		"expected: $n $((n * t)) 0, actual: $got
$(head -30 <<<"$out")"
	t_eq "$p: cpuinfo siblings/cpu cores" "$((n * t)) $n" \
		"$(awk -F: '/^siblings/ {s=$2} /^cpu cores/ {c=$2} END {print s+0, c+0}' "$lst/proc/cpuinfo")"
	umount "$lst"
	rmdir "$lst"
}
shape a 2 1
shape b 2 1
shape c 1 2

t_eq "a and b read the same leaf 0xB bytes" \
	"$("$ABI" /dev/lpar_hwt/a/cpu$a0/cpuid cpuid 0xb 1) $("$ABI" /dev/lpar_hwt/a/cpu$a1/cpuid cpuid 0xb 1)" \
	"$("$ABI" /dev/lpar_hwt/b/cpu$b0/cpuid cpuid 0xb 1) $("$ABI" /dev/lpar_hwt/b/cpu$b1/cpuid cpuid 0xb 1)"
t_eq "inside a, /dev/cpu holds a's CPUs only" "$a0 $a1" \
	"$(timeout 60 lparctl hwt enter a -- ls /dev/cpu | sort -n | xargs)"
t_eq "inside a, /proc/cpuinfo lists a's CPUs" "$a0 $a1" \
	"$(timeout 60 lparctl hwt enter a -- awk '/^processor/ {print $3}' /proc/cpuinfo | xargs)"
t_eq "inside a, the command runs in a's cgroup" "0::/a" \
	"$(timeout 60 lparctl hwt enter a -- cat /proc/self/cgroup)"
t_eq "inside a, online is a's CPUs" "$a0,$a1" "$(timeout 60 lparctl hwt enter a -- cat $sys/online)"

out=$(lscpu)
t_eq "host lscpu: 2 threads x 2 cores x 2 sockets" "2 2 2" \
	"$(awk -F: '/^ *Thread\(s\) per core/ {t=$2} /^ *Core\(s\) per socket/ {c=$2}
		/^ *Socket\(s\)/ {s=$2} END {print t+0, c+0, s+0}' <<<"$out")"
t_eq "host rdmsr 0x35 unchanged" 20004 "$(rdmsr -p "$a0" 0x35)"
t_eq "host /proc/cpuinfo lists 8 CPUs" 8 "$(grep -c ^processor /proc/cpuinfo)"

# Counters: exactly the reads made.
cnt() {	# cnt P FIELD
	lparctl -j hwt counters "$1" | jq -r ".counters.$2"
}
reg() {	# reg P KIND REG FIELD
	lparctl -j hwt counters "$1" | jq -r \
		"[.counters.regs[] | select(.kind == \"$2\" and .reg == $3) | .$4] | add // 0"
}
c0r=$(cnt a cpuid_reads) c0s=$(cnt a cpuid_synth) m0=$(cnt a msr_reads) d0=$(cnt a msr_denied)
l0=$(reg a cpuid 11 reads) r0=$(reg a msr 53 reads) x0=$(reg a msr 16 denied)
for i in 1 2 3; do "$ABI" /dev/lpar_hwt/a/cpu$a0/cpuid cpuid 0xb 1 >/dev/null; done
"$ABI" /dev/lpar_hwt/a/cpu$a0/cpuid read r 1 64 >/dev/null	# leaves 1..4: 4 chunks
"$ABI" /dev/lpar_hwt/a/cpu$a0/msr read r 0x35 40 >/dev/null	# 5 chunks of 0x35
"$ABI" /dev/lpar_hwt/a/cpu$a1/msr read r 0x10 8 >/dev/null	# TSC: denied
t_eq "cpuid_reads grew by 7" $((c0r + 7)) "$(cnt a cpuid_reads)"
t_eq "cpuid_synth grew by 3 (leaf 0xB needs no IPI)" $((c0s + 3)) "$(cnt a cpuid_synth)"
t_eq "msr_reads grew by 5" $((m0 + 5)) "$(cnt a msr_reads)"
t_eq "msr_denied grew by 1" $((d0 + 1)) "$(cnt a msr_denied)"
t_eq "leaf 0xB counted 3" $((l0 + 3)) "$(reg a cpuid 11 reads)"
t_eq "MSR 0x35 counted 5" $((r0 + 5)) "$(reg a msr 53 reads)"
t_eq "MSR 0x10 denied 1" $((x0 + 1)) "$(reg a msr 16 denied)"
t_eq "b's counters untouched by a's reads" 0 "$(reg b msr 16 denied)"

# msr_allow: the administrator's pass-through.
t_eq "msr_allow is empty by default" "" "$(cat $P/msr_allow)"
t_true "msr_allow refuses a translated MSR" sh -c "! echo 0x35 > $P/msr_allow"
t_ok "msr_allow=0x10 (TSC)" sh -c "echo 0x10 > $P/msr_allow"
t_eq "msr_allow shows it" 0x10 "$(cat $P/msr_allow)"
t_ok "a may now read the TSC" "$ABI" /dev/lpar_hwt/a/cpu$a0/msr msr 0x10
t_ok "msr_allow cleared" sh -c "echo > $P/msr_allow"
t_eq "TSC denied again" "read=-EIO pos=16 " "$("$ABI" /dev/lpar_hwt/a/cpu$a0/msr read r 0x10 8)"

# renumber: opt-in, rebuilds the maps; the views show 0..n-1.
t_eq "renumber is off by default" N "$(cat $P/renumber)"
t_ok "renumber on" sh -c "echo 1 > $P/renumber"
t_eq "inside a, CPUs are 0 1" "0 1" \
	"$(timeout 60 lparctl hwt enter a -- awk '/^processor/ {print $3}' /proc/cpuinfo | xargs)"
t_eq "netlink shows the numbers" "0 1" "$(lparctl -j hwt show a | jq -r '.cpus[].number' | xargs)"
t_ok "renumber off" sh -c "echo 0 > $P/renumber"
t_eq "inside a, Linux numbers again" "$a0 $a1" \
	"$(timeout 60 lparctl hwt enter a -- awk '/^processor/ {print $3}' /proc/cpuinfo | xargs)"

t_ok "delete a, b, c" sh -c "lparctl delete a && lparctl delete b && lparctl delete c"
cg_remove /sys/fs/cgroup/a /sys/fs/cgroup/b /sys/fs/cgroup/c
t_true "no node left" test ! -e /dev/lpar_hwt
