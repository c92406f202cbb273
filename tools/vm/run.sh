#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the lpar test kernel in QEMU (TCG, q35) and runs one script inside.
# The host root is the guest's root, shared read-only over 9p; a host
# directory (--out) is shared writable for results. The guest has an
# emulated igb (SR-IOV capable) on a PCIe root port whose only peer is a
# QEMU hub: no host network. The console is streamed to stdout and kept in
# OUT/console.log; the run fails on a timeout, on a non-zero exit of the
# script, and on any kernel splat (oops, WARN, BUG, KASAN, lockdep,
# kmemleak) found in the log.
#
# usage: run.sh [--flavour fast|debug] [--timeout SEC] [--smp SPEC] [--mem MB]
#               [--out DIR] [--quiet] [--interactive] [SCRIPT [ARGS...]]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FLAVOUR=${FLAVOUR:-fast}
TIMEOUT=900
SMP=8,sockets=2,cores=2,threads=2
MEM=
OUT=
QUIET=0
INTERACTIVE=0
while [ $# -gt 0 ]; do
	case "$1" in
	--flavour) FLAVOUR=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--quiet) QUIET=1; shift ;;
	--interactive) INTERACTIVE=1; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || [ $INTERACTIVE -eq 1 ] || { echo "run.sh: no script given" >&2; exit 2; }

KDIR=$("$HERE/kernel.sh" "$FLAVOUR")
[ -n "$MEM" ] || { [ "$FLAVOUR" = debug ] && MEM=3072 || MEM=2048; }
[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/lpar-vm.XXXXXX)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT/rc" "$OUT/console.log"

# What the guest init runs, passed through the results share.
{
	echo "LPAR_ROOT=$(printf %q "$ROOT")"
	echo "LPAR_KDIR=$(printf %q "$KDIR")"
	echo "LPAR_FLAVOUR=$FLAVOUR"
	echo "LPAR_INTERACTIVE=$INTERACTIVE"
	printf 'LPAR_CMD=('
	for a in "$@"; do printf '%q ' "$a"; done
	echo ')'
	# The tests' knobs (FZ_PROBS, ADJ_ROBUST_N, FOLD_BENCH_ONLY, ...) given
	# to make or to this script reach the guest.
	for v in $(compgen -e | grep -E '^(FZ|ADJ|FOLD|CKPT|HWT|LPAR_T)_[A-Z0-9_]+$'); do
		echo "export $v=$(printf %q "${!v}")"
	done
} >"$OUT/env.sh"

sockets=$(sed -n 's/.*sockets=\([0-9]*\).*/\1/p' <<<"$SMP")
cpus=${SMP%%,*}
numa=()
if [ "${sockets:-1}" -gt 1 ]; then
	per=$((cpus / sockets)) permem=$((MEM / sockets))
	for ((s = 0; s < sockets; s++)); do
		numa+=(-object "memory-backend-ram,id=m$s,size=${permem}M"
		       -numa "node,nodeid=$s,cpus=$((s * per))-$((s * per + per - 1)),memdev=m$s")
	done
fi

append="console=ttyS0 root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
append+=" init=$HERE/init.sh panic=-1 oops=panic panic_on_warn=1 loglevel=5"
# no5lvl: with 5-level paging, identify_cpu() clears the boot CPU's
# feature bits for a moment, pgtable_l5_enabled() reads false then, and
# KASAN takes an interrupt that lands in that window for a wild access
# (ff11... direct-map addresses); TCG's slow boot makes that likely.
# intel-iommu (below): interrupt remapping, so that the guest runs its
# local APICs in x2APIC mode; in xAPIC mode an EOI (an MMIO write) is
# sometimes lost under TCG and the CPU's timer stops for good
# (Documentation/testing.md, Pitfalls). intel_iommu=off: no DMA
# translation (interrupt remapping stays on).
append+=" no5lvl intel_iommu=off"
[ "$FLAVOUR" = debug ] && append+=" kmemleak=on"
# Experiments: LPAR_VM_APPEND adds to the kernel command line,
# LPAR_VM_ACCEL replaces the accelerator options, LPAR_VM_MONITOR=PATH
# puts QEMU's monitor on a unix socket (e.g. `info lapic N`).
append+=${LPAR_VM_APPEND:+ $LPAR_VM_APPEND}
monitor=none
[ -z "${LPAR_VM_MONITOR:-}" ] || monitor="unix:$LPAR_VM_MONITOR,server,nowait"

qemu=(qemu-system-x86_64 -M q35 -accel "${LPAR_VM_ACCEL:-tcg,thread=multi}" -cpu max,vendor=GenuineIntel -smp "$SMP" -m "$MEM"
      "${numa[@]}"
      -nodefaults -no-reboot -display none -serial stdio
      -device intel-iommu,intremap=on,eim=on
      -monitor "$monitor"
      -kernel "$KDIR/arch/x86/boot/bzImage" -append "$append"
      -fsdev "local,id=rootfs,path=/,security_model=none,readonly=on,multidevs=remap"
      -device virtio-9p-pci,fsdev=rootfs,mount_tag=/dev/root
      -fsdev "local,id=outfs,path=$OUT,security_model=none,multidevs=remap"
      -device virtio-9p-pci,fsdev=outfs,mount_tag=lparout
      -device pcie-root-port,id=rp0,chassis=1,slot=1
      -device igb,bus=rp0,netdev=n0,mac=52:54:00:12:34:01
      -netdev hubport,id=n0,hubid=0
      -device virtio-rng-pci)

# One VM at a time on this machine: two TCG guests on two host cores starve
# each other's vCPUs (RCU stalls, late carriers, noisy figures). Set
# LPAR_VM_PARALLEL=1 to opt out.
if [ "${LPAR_VM_PARALLEL:-0}" != 1 ]; then
	lock=${TMPDIR:-/tmp}/lpar-vm.lock
	exec 9>>"$lock"
	if ! flock -n 9; then
		echo "run.sh: waiting for another VM run to end ($lock)" >&2
		waited=$SECONDS
		flock 9
		echo "run.sh: waited $((SECONDS - waited)) s for the VM" >&2
	fi
fi

if [ $INTERACTIVE -eq 1 ]; then
	exec "${qemu[@]}"
fi

status=0
if [ $QUIET -eq 1 ]; then
	timeout --foreground -k 5 "$TIMEOUT" "${qemu[@]}" </dev/null >"$OUT/console.log" 2>&1 || status=$?
else
	timeout --foreground -k 5 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 | tee "$OUT/console.log" || status=$?
	[ $status -ne 0 ] || status=${PIPESTATUS[0]}
fi
if [ "$status" -eq 124 ]; then
	echo "run.sh: FAIL: timeout after ${TIMEOUT}s" >&2
	exit 1
fi
if splat=$("$HERE/splat.sh" "$OUT/console.log"); then
	echo "run.sh: FAIL: kernel splat in the guest log:" >&2
	echo "$splat" >&2
	exit 1
fi
if [ ! -f "$OUT/rc" ]; then
	echo "run.sh: FAIL: guest ended without a result (crash or panic; see $OUT/console.log)" >&2
	exit 1
fi
exit "$(cat "$OUT/rc")"
