#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ABI parity matrix of lpar_hwthread's nodes: every probe runs on the real
# /dev/cpu/N/{cpuid,msr} and on /dev/lpar_hwt/abi/cpuN/{cpuid,msr} and
# must print the same line (return values, errno names, file positions;
# the bytes too where nothing is translated). Offsets, sizes 0/8/16/17/32,
# CPUs, CAP_SYS_RAWIO, lseek, ioctls, writes and offline CPUs. The few
# deliberate differences (a denied MSR, which QEMU TCG does not even
# fault on, and the node of an offline CPU) are
# checked against the documented answer instead. The partition holds the
# whole second package, so its view is valid and has both kinds of leaf.
. "$(dirname "$0")/../lib.sh"
ABI=$(cd "$(dirname "$0")/../.." && pwd)/hwt-abi
sys=/sys/devices/system/cpu
NOCAP=(setpriv --bounding-set -sys_rawio --)

pkg1=$(for c in $sys/cpu[0-9]*; do
	[ "$(cat "$c/topology/physical_package_id")" = 1 ] && echo "${c##*cpu}"
done | sort -n | xargs | tr ' ' ,)
X=${pkg1%%,*}
Y=${pkg1##*,}
lparctl create abi --cpus "$pkg1" >/dev/null
REAL=/dev/cpu/$X
OURS=/dev/lpar_hwt/abi/cpu$X

# The real msr node refuses writes only with allow_writes=off: the parity
# reference for our refusal, and no test ever writes an MSR.
aw=/sys/module/msr/parameters/allow_writes
old_aw=$(cat $aw)
echo off >$aw

# parity DESC [-n] [-d] KIND ARGS...: the same line from both nodes (-n: as
# a task without CAP_SYS_RAWIO; -d: the bytes read must match too).
parity() {
	local desc=$1 pre=() opt=() real ours
	shift
	[ "$1" = -n ] && { pre=("${NOCAP[@]}"); shift; }
	[ "$1" = -d ] && { opt=(-d); shift; }
	local kind=$1
	shift
	real=$("${pre[@]}" "$ABI" "${opt[@]}" "$REAL/$kind" "$@" 2>&1)
	ours=$("${pre[@]}" "$ABI" "${opt[@]}" "$OURS/$kind" "$@" 2>&1)
	t_eq "$desc [real: $real]" "$real" "$ours"
}
# expect DESC WANT KIND ARGS...: our node answers WANT (a documented difference).
expect() {
	local desc=$1 want=$2 kind=$3
	shift 3
	t_eq "$desc" "$want" "$("$ABI" "$OURS/$kind" "$@" 2>&1)"
}

echo "# CPU $X of partition abi ($pkg1) against $REAL"
# cpuid: open and sizes
parity "cpuid open O_RDONLY" cpuid open r
parity "cpuid open O_WRONLY" cpuid open w
parity "cpuid open O_RDWR" cpuid open rw
parity "cpuid open without CAP_SYS_RAWIO" -n cpuid open r
parity "cpuid read size 0" cpuid read r 0 0
parity "cpuid read size 8: EINVAL" cpuid read r 0 8
parity "cpuid read size 17: EINVAL" cpuid read r 0 17
parity "cpuid read size 16, leaf 0: same bytes" -d cpuid read r 0 16
parity "cpuid read size 32 advances two leaves" cpuid read r 0 32
parity "cpuid read size 48 of leaves 0x80000000..2: same bytes" -d cpuid read r 0x80000000 48
parity "cpuid leaf 7 subleaf 0: same bytes" -d cpuid read r 7 16
parity "cpuid leaf 0xB subleaf 1 (high 32 bits of the offset)" cpuid read r $((1 << 32 | 0xb)) 16
parity "cpuid leaf 0x1F subleaf 0" cpuid read r 0x1f 16
parity "cpuid leaf 0xffffffff then carries into the subleaf" cpuid read r 0xffffffff 32
parity "cpuid leaf 0x40000000 (hypervisor range): same bytes" -d cpuid read r 0x40000000 16
parity "cpuid large subleaf 0x100 of leaf 4" cpuid read r $((0x100 << 32 | 4)) 16
parity "cpuid read without CAP_SYS_RAWIO" -n cpuid read r 0 16
parity "cpuid read into a bad buffer: EFAULT" cpuid badbuf 0 16
parity "cpuid lseek SEEK_SET" cpuid seek set 5
parity "cpuid lseek SEEK_SET then SEEK_CUR" cpuid seek set 5 cur 3
parity "cpuid lseek SEEK_END refused" cpuid seek end 0
parity "cpuid lseek SEEK_DATA refused" cpuid seek data 0
parity "cpuid lseek to a negative offset" cpuid seek set -1
parity "cpuid write: EINVAL (no write method)" cpuid write w 0 16
parity "cpuid ioctl: ENOTTY" cpuid ioctl r rd 0xe8

# msr: open, sizes, registers
parity "msr open O_RDONLY" msr open r
parity "msr open O_RDWR" msr open rw
parity "msr open without CAP_SYS_RAWIO: EPERM" -n msr open r
parity "msr open O_RDWR without CAP_SYS_RAWIO: EPERM" -n msr open rw
parity "msr read size 0" msr read r 0xe8 0
parity "msr read size 4: EINVAL" msr read r 0xe8 4
parity "msr read size 17: EINVAL" msr read r 0xe8 17
parity "msr APERF (pass-through) size 8" msr read r 0xe8 8
parity "msr MPERF (pass-through) size 8" msr read r 0xe7 8
parity "msr size 32 re-reads one register, offset stays" msr read r 0xe7 32
parity "msr 0x35 CORE_THREAD_COUNT (translated)" msr read r 0x35 8
parity "msr 0x35 size 16" msr read r 0x35 16
parity "msr 0x802 x2APIC id (translated)" msr read r 0x802 8
parity "msr TSC_AUX (translated): same bytes" -d msr read r 0xc0000103 8
expect "msr unknown to the host (denied by policy): EIO" "read=-EIO pos=305419896 " msr read r 0x12345678 8
parity "msr read into a bad buffer: EFAULT" msr badbuf 0xe8 8
expect "msr TSC (denied by policy): EIO" "read=-EIO pos=16 " msr read r 0x10 8
expect "msr size 16 of a denied MSR: EIO" "read=-EIO pos=58 " msr read r 0x3a 16
parity "msr lseek SEEK_SET" msr seek set 0x35
parity "msr lseek SEEK_CUR" msr seek set 0x30 cur 5
parity "msr lseek SEEK_END refused" msr seek end 0
parity "msr write: EPERM (allow_writes=off)" msr write rw 0x35 8
parity "msr write of a bad size: EPERM before EINVAL" msr write rw 0x35 3
parity "msr write on a read-only fd: EBADF" msr write r 0x35 8
parity "msr ioctl RDMSR_REGS of APERF" msr ioctl r rd 0xe8
parity "msr ioctl RDMSR_REGS of TSC_AUX: same registers" -d msr ioctl r rd 0xc0000103
expect "msr ioctl RDMSR_REGS of an unknown MSR: EIO" "ioctl=-EIO " msr ioctl r rd 0x12345678
parity "msr ioctl RDMSR_REGS on a write-only fd: EBADF" msr ioctl w rd 0xe8
parity "msr ioctl RDMSR_REGS with a bad pointer: EFAULT" msr ioctl r rdfault 0xe8
parity "msr ioctl WRMSR_REGS on a read-only fd: EBADF" msr ioctl r wr 0x35
parity "msr ioctl WRMSR_REGS: EPERM (allow_writes=off)" msr ioctl rw wr 0x35
parity "msr unknown ioctl: ENOTTY" msr ioctl r bad 0x35
expect "msr ioctl RDMSR_REGS of a denied MSR: EIO" "ioctl=-EIO " msr ioctl r rd 0x10

# CPUs: offline under an open fd, and minors with no CPU
off="echo 0 > $sys/cpu$Y/online"
on="echo 1 > $sys/cpu$Y/online"
REAL=/dev/cpu/$Y OURS=/dev/lpar_hwt/abi/cpu$Y
# offline DESC KIND OFF SIZE: open, take the CPU offline, read; on both nodes.
offline() {
	local real ours
	real=$("$ABI" "$REAL/$2" hold "$3" "$4" "$off; sleep 0.2" 2>&1)
	eval "$on"
	ours=$("$ABI" "$OURS/$2" hold "$3" "$4" "$off; sleep 0.2" 2>&1)
	eval "$on"
	t_eq "$1 [real: $real]" "$real" "$ours"
}
offline "cpuid read after the CPU went offline: ENXIO" cpuid 0 16
offline "cpuid synthesized leaf 0xB after the CPU went offline: ENXIO" cpuid 0xb 16
offline "msr read after the CPU went offline: ENXIO" msr 0xe8 8
offline "msr synthesized 0x35 after the CPU went offline: ENXIO" msr 0x35 8
eval "$off"
t_eq "the real node of an offline CPU is gone" "open=-ENOENT " "$("$ABI" /dev/cpu/$Y/cpuid open r)"
expect "our node of an offline CPU stays and answers ENXIO" "open=-ENXIO " cpuid open r
eval "$on"
sleep 0.2
t_ok "the CPU is back" test -e /dev/cpu/$Y/cpuid
major=$(stat -c %t "$OURS/cpuid")
mknod /tmp/real_oor c 203 60
mknod /tmp/ours_oor c $((16#$major)) 1000000
t_eq "a minor beyond any CPU or slot: ENXIO on both" \
	"$("$ABI" /tmp/real_oor open r)" "$("$ABI" /tmp/ours_oor open r)"
minor=$((16#$(stat -c %T "/dev/lpar_hwt/abi/cpu$X/cpuid")))
mknod /tmp/ours_other c $((16#$major)) $((minor - 2 * X))
t_eq "a node made for CPU 0, not the partition's: ENXIO" "open=-ENXIO " "$("$ABI" /tmp/ours_other open r)"
rm -f /tmp/real_oor /tmp/ours_oor /tmp/ours_other

echo "$old_aw" >$aw
lparctl delete abi
