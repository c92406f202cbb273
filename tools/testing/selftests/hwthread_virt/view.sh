#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The exclusive-core view on -smp 8,sockets=2,cores=2,threads=2, read the
# way an admin reads it (Documentation/hwthread_virt.md): partitions a =
# {thread 0 of cores 0,1} and b = {thread 1 of cores 0,1} of package 0
# each see 2 cores x 1 thread, c = both threads of one core sees 1 core x
# 2 threads, the host's /dev/cpu is unchanged, the bind-mount recipe
# shows the view at /dev/cpu/N inside a mount namespace, an uneven CPU set
# disables the view with its reason, an fd outliving its partition reads
# ENXIO, and the module reloads with partitions present.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
ABI=$ROOT/tools/testing/hwt-abi
KO=$ROOT/hwthread_virt/lpar_hwthread.ko
sys=/sys/devices/system/cpu
dbg=/sys/kernel/debug/lpar_hwt

# expand LIST: a CPU list ("0-1,4") one number a line, sorted.
expand() {
	local r
	for r in ${1//,/ }; do
		seq "${r%-*}" "${r#*-}"
	done | sort -n
}
# cpu_at PKG CORE THREAD: the Linux CPU at a host position (thread = rank
# in the core's sibling list).
cpu_at() {
	local c t
	for c in $sys/cpu[0-9]*; do
		[ "$(cat "$c/topology/physical_package_id")" = "$1" ] || continue
		[ "$(cat "$c/topology/core_id")" = "$2" ] || continue
		t=$(expand "$(cat "$c/topology/thread_siblings_list")" | grep -n "^${c##*cpu}\$" | cut -d: -f1)
		[ $((t - 1)) = "$3" ] && echo "${c##*cpu}"
	done
}
cores=($(cat $sys/cpu*/topology/core_id | sort -un))
a0=$(cpu_at 0 "${cores[0]}" 0) a1=$(cpu_at 0 "${cores[1]}" 0)
b0=$(cpu_at 0 "${cores[0]}" 1) b1=$(cpu_at 0 "${cores[1]}" 1)
c0=$(cpu_at 1 "${cores[0]}" 0) c1=$(cpu_at 1 "${cores[0]}" 1)
d0=$(cpu_at 1 "${cores[1]}" 0) d1=$(cpu_at 1 "${cores[1]}" 1)
echo "# a = $a0,$a1  b = $b0,$b1  c = $c0,$c1  (spare $d0,$d1)"

cpuid() { "$ABI" "$1/cpuid" cpuid "$2" "$3"; }	# NODEDIR LEAF SUBLEAF
msr() { "$ABI" "$1/msr" msr "$2"; }		# NODEDIR REG
host_b=$(cpuid /dev/cpu/$b1 0xb 1)

t_ok "create a (thread 0 of cores 0,1)" lparctl create a --cpus "$a0,$a1"
t_ok "create b (thread 1 of cores 0,1)" lparctl create b --cpus "$b0,$b1"
t_ok "create c (both threads of one core)" lparctl create c --cpus "$c0,$c1"
t_true "nodes of a exist" test -c /dev/lpar_hwt/a/cpu$a0/cpuid -a -c /dev/lpar_hwt/a/cpu$a1/msr
t_true "no node for a CPU a does not hold" test ! -e /dev/lpar_hwt/a/cpu$b0

A0=/dev/lpar_hwt/a/cpu$a0 A1=/dev/lpar_hwt/a/cpu$a1
t_eq "a: leaf 0xB.0 = SMT level, shift 0, 1 thread, x2APIC id 0" \
	"00000000 00000001 00000100 00000000" "$(cpuid $A0 0xb 0)"
t_eq "a: leaf 0xB.1 = core level, shift 1, 2 threads in the package" \
	"00000001 00000002 00000201 00000000" "$(cpuid $A0 0xb 1)"
t_eq "a: leaf 0xB.2 terminates, x2APIC id still in EDX" \
	"00000000 00000000 00000002 00000001" "$(cpuid $A1 0xb 2)"
t_eq "a: second CPU has x2APIC id 1" "00000001 00000002 00000201 00000001" "$(cpuid $A1 0xb 1)"
if [ $((16#$(cpuid $A0 0 0 | cut -d' ' -f1))) -ge $((0x1f)) ]; then
	t_eq "a: leaf 0x1F.1 agrees" "00000001 00000002 00000201 00000001" "$(cpuid $A1 0x1f 1)"
fi
t_eq "a: leaf 1 EBX[31:24] initial APIC id 1" 01 "$(cpuid $A1 1 0 | cut -c10-11)"
t_eq "a: MSR 0x35 = 2 cores, 2 threads (1 per core)" 20002 "$(msr $A0 0x35)"
# MSR 0x802 exists only in x2APIC mode; the node follows the host.
if "$ABI" /dev/cpu/$a1/msr msr 0x802 >/dev/null 2>&1; then
	t_eq "a: MSR 0x802 = x2APIC id 1" 1 "$(msr $A1 0x802)"
else
	t_eq "a: MSR 0x802 answers EIO like the host (xAPIC mode)" "read=-EIO pos=2050 " \
		"$("$ABI" $A1/msr read r 0x802 8)"
fi
t_true "a: debugfs shows 2 cores x 1 thread" \
	grep -qz "state: enabled.*cores: 2.threads: 1" $dbg/a

B0=/dev/lpar_hwt/b/cpu$b0
t_eq "b reads the same leaf 0xB bytes as a" "$(cpuid $A0 0xb 1)" "$(cpuid $B0 0xb 1)"
t_eq "b reads the same leaf 1 EBX as a" "$(cpuid $A0 1 0 | cut -d' ' -f2)" "$(cpuid $B0 1 0 | cut -d' ' -f2)"
t_eq "b reads the same MSR 0x35 as a" "$(msr $A0 0x35)" "$(msr $B0 0x35)"

C0=/dev/lpar_hwt/c/cpu$c0 C1=/dev/lpar_hwt/c/cpu$c1
t_eq "c: leaf 0xB.0 = shift 1, 2 threads" "00000001 00000002 00000100 00000001" "$(cpuid $C1 0xb 0)"
t_eq "c: leaf 0xB.1 = 1 core x 2 threads" "00000001 00000002 00000201 00000000" "$(cpuid $C0 0xb 1)"
t_eq "c: MSR 0x35 = 1 core, 2 threads" 10002 "$(msr $C0 0x35)"

t_eq "host /dev/cpu/$b1 leaf 0xB.1 unchanged" "$host_b" "$(cpuid /dev/cpu/$b1 0xb 1)"
t_eq "host leaf 0xB.1 is 2 cores x 2 threads with the real x2APIC id" \
	"$(printf '00000002 00000004 00000201 %08x' "$(grep -A20 "^processor.*: $b1\$" /proc/cpuinfo | awk '/^apicid/ {print $3; exit}')")" \
	"$host_b"

# The recipe of Documentation/hwthread_virt.md: a mount namespace whose
# /dev/cpu holds the partition's CPUs only, each the partition's node.
recipe() {	# recipe PARTITION CMD...
	local p=$1
	shift
	unshare -m sh -c '
		p=$1; shift
		mount -t tmpfs -o mode=0755 none /dev/cpu
		for d in /dev/lpar_hwt/$p/cpu*; do
			n=${d##*/cpu}
			mkdir /dev/cpu/$n
			mount --bind "$d" /dev/cpu/$n
		done
		exec "$@"' sh "$p" "$@"
}
t_eq "recipe: a's namespace has /dev/cpu/{$a0,$a1} only" "$(echo $a0 $a1 | tr ' ' '\n' | sort | xargs)" \
	"$(recipe a ls /dev/cpu | sort | xargs)"
t_eq "recipe: /dev/cpu/$a1/cpuid reads a's view" "00000001 00000002 00000201 00000001" \
	"$(recipe a "$ABI" /dev/cpu/$a1/cpuid cpuid 0xb 1)"
t_eq "recipe: /dev/cpu/$a0/msr reads a's MSR 0x35" 20002 "$(recipe a "$ABI" /dev/cpu/$a0/msr msr 0x35)"
t_eq "recipe: the host's /dev/cpu is untouched" "$host_b" "$(cpuid /dev/cpu/$b1 0xb 1)"

# An uneven CPU set: the view is disabled, the reason shown, reads EIO.
t_ok "give c one thread of a second core (uneven)" lparctl set c --cpus "$c0,$c1,$d0"
sed 's/^/#   /' $dbg/c
t_true "c: debugfs says disabled, uneven" grep -qz "state: disabled.reason: .*different number of threads" $dbg/c
t_eq "c: reads answer EIO" "read=-EIO pos=11 " "$("$ABI" $C0/cpuid read r 0xb 16)"
t_ok "c back to one whole core" lparctl set c --cpus "$c0,$c1"
t_eq "c: view back" 10002 "$(msr $C0 0x35)"
t_true "c: node of the dropped CPU is gone" test ! -e /dev/lpar_hwt/c/cpu$d0

# Readers during reconfiguration: c flips between one core (1 x 2, MSR
# 0x35 = 0x10002) and two (2 x 2, 0x20004) while 64-byte reads of 0x35
# run; each of the 8 chunks re-reads the register, and all must come
# from one map: never a mix.
( for i in $(seq 20); do
	lparctl set c --cpus "$c0,$c1,$d0,$d1"
	lparctl set c --cpus "$c0,$c1"
done ) >/dev/null 2>&1 &
flip=$!
bad=0 n=0 seen=
one=0200010000000000 two=0400020000000000
while kill -0 $flip 2>/dev/null; do
	r=$("$ABI" -d $C0/msr read r 0x35 64)
	n=$((n + 1))
	case "$r" in
	"read=64 pos=53 data=$one$one$one$one$one$one$one$one") seen+=1 ;;
	"read=64 pos=53 data=$two$two$two$two$two$two$two$two") seen+=2 ;;
	*) bad=$((bad + 1)); echo "# unexpected: $r" ;;
	esac
done
wait $flip
echo "# $n reads during 40 reconfigurations"
t_eq "reads during reconfiguration: all chunks from one map" 0 "$bad"
t_true "both maps were seen" bash -c "[[ '$seen' == *1* && '$seen' == *2* ]]"
t_eq "c ends with its one-core view" 10002 "$(msr $C0 0x35)"
echo "# debugfs of a:"; sed 's/^/#   /' $dbg/a

# An fd that outlives its partition.
t_eq "read on an fd of a deleted partition: ENXIO" "read=-ENXIO pos=11 " \
	"$("$ABI" $B0/cpuid hold 0xb 16 "lparctl delete b")"
t_true "b's nodes are gone" test ! -e /dev/lpar_hwt/b
t_true "b's debugfs file is gone" test ! -e $dbg/b

# Reload with partitions present.
t_ok "rmmod lpar_hwthread with a and c present" rmmod lpar_hwthread
t_true "nodes gone with the module" test ! -e /dev/lpar_hwt
t_ok "insmod again" insmod "$KO"
t_eq "a's view is back" 20002 "$(msr $A0 0x35)"
t_eq "c's view is back" "00000001 00000002 00000201 00000000" "$(cpuid $C0 0xb 1)"
t_ok "delete a and c" sh -c "lparctl delete a && lparctl delete c"
t_true "no node left" test ! -e /dev/lpar_hwt
