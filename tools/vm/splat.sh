#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the kernel splats found in a console log and succeeds if there was
# at least one. One list of patterns, shared by the VM runner and the tests.
grep -E -m 20 -e '(^|\] )(WARNING:|BUG:|Oops|general protection fault|Kernel panic)' \
	-e 'UBSAN:|KASAN:|kmemleak: [0-9]+ new suspected memory leaks' \
	-e 'possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage' \
	-e 'sleeping function called from invalid context|INFO: task .* blocked for more than' \
	-e 'unreferenced object 0x' "$1"
