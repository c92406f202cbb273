#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loads (or with -u unloads) the suite's modules inside the test VM, in
# dependency order. One list, used by the tests, the demo and `make vm`.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODULES=(
	lpar_core/lpar
	adjunct_sriov/lpar_adjunct
	vmcheckpoint/lpar_vmckpt
	corefold/lpar_corefold
	hwthread_virt/lpar_hwthread
)
set -e
if [ "${1:-}" = -u ]; then
	for ((i = ${#MODULES[@]} - 1; i >= 0; i--)); do
		m=$(basename "${MODULES[i]}")
		! grep -q "^$m " /proc/modules || rmmod "$m"
	done
	exit 0
fi
for m in "${MODULES[@]}"; do
	grep -q "^$(basename "$m") " /proc/modules || insmod "$ROOT/$m.ko"
done
