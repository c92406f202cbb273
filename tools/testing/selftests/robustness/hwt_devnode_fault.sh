#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regression test for a finding of the fault-injection pass: when the
# allocation hwthread_virt's class devnode callback (hwt_devnode(),
# kasprintf of "lpar_hwt/...") makes while a node is REMOVED fails,
# devtmpfs cannot compute the node's path and leaves it behind:
# /dev/lpar_hwt/<deleted partition>/cpuN/cpuid stays, pointing at a minor
# that the next partition to take the slot reuses. Each allocation made
# in lpar_hwthread's code during a partition's deletion is failed in turn
# (fail-nth, stack filter on the module's code); afterwards the partition
# and every one of its nodes must be gone. Debug flavour only.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../../fuzz/lib.sh"
if [ -z "$(fz_fi_attrs)" ] || ! grep -q '^lpar_hwthread ' /proc/modules; then
	echo "ok 1 - devnode fault on removal # SKIP needs the debug flavour and lpar_hwthread"
	T_N=1
	exit 0
fi
read -r lo hi <<<"$(fz_text_range lpar_hwthread)"
fz_fi_filter "$lo" "$hi"

for n in 1 2 3 4 5 6; do
	lparctl create fzdn --cpus 4-5 --memory 1M >/dev/null
	sh -c "echo $n >/proc/self/fail-nth && exec lparctl delete fzdn" >/dev/null 2>&1
	lparctl delete fzdn >/dev/null 2>&1	# if the faulted delete was refused
	t_eq "allocation $n of the node removal failed: no node of the deleted partition left" \
		"" "$(find /dev/lpar_hwt/fzdn 2>/dev/null)"
	rm -rf /dev/lpar_hwt/fzdn
done
fz_fi_off >/dev/null
