#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hwthread_virt benchmark: a partition's /dev/lpar_hwt/P/cpuN/{cpuid,msr}
# against the raw /dev/cpu/N/{cpuid,msr} in the same VM run, N reads each
# (default 10^5) with pread() on the same CPU, pinned to another CPU so
# that both paths cross CPUs alike. Prints the median ns of one read and
# the ratio ours / raw, for pass-through paths (leaf 0, TSC_AUX, read on
# the backing CPU with an IPI) and for the leaves and MSRs synthesized
# from the map (0xB, MSR 0x35: no IPI; 0x1F too where the CPU has it,
# which the TCG test CPU does not).
set -eu
N=${N:-100000}
CPU=${CPU:-2}		# the CPU read
RUN_ON=${RUN_ON:-0}	# where the reader runs
ABI=${ABI:-$(dirname "$0")/../hwt-abi}

lparctl create hwtbench --cpus "$CPU" >/dev/null
trap 'lparctl delete hwtbench >/dev/null' EXIT
ours=/dev/lpar_hwt/hwtbench/cpu$CPU raw=/dev/cpu/$CPU

med() {	# med NODE OFF SIZE: median ns of one pread
	taskset -c "$RUN_ON" "$ABI" "$1" bench "$2" "$3" "$N" | sed -n 's/^median_ns=\([0-9]*\).*/\1/p'
}
row() {	# row LABEL NODE-KIND OFF SIZE
	local o r
	o=$(med "$ours/$2" "$3" "$4")
	r=$(med "$raw/$2" "$3" "$4")
	printf '%-44s %10s %10s %8s\n' "$1" "$o" "$r" "$(awk -v a="$o" -v b="$r" 'BEGIN { printf "%.2f", a / b }')"
}
printf '%-44s %10s %10s %8s\n' "hwthread_virt ($N preads, median ns)" "ours" "/dev/cpu" "ratio"
row "cpuid leaf 0 (pass-through, IPI)" cpuid 0 16
row "cpuid leaf 1 (translated, IPI)" cpuid 1 16
row "cpuid leaf 0xB.1 (synthesized, no IPI)" cpuid $(((1 << 32) | 0xb)) 16
row "cpuid leaf 0xB.0 (synthesized, no IPI)" cpuid $((0xb)) 16
row "msr TSC_AUX 0xc0000103 (pass-through, IPI)" msr $((0xc0000103)) 8
row "msr 0x35 CORE_THREAD_COUNT (synthesized)" msr $((0x35)) 8
