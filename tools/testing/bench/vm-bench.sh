#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make bench`: loads the modules and runs each module's
# benchmark script in turn.
ROOT=${LPAR_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
export PATH="$ROOT/tools/lparctl:$ROOT/tools/testing:$PATH"
"$ROOT/tools/vm/load.sh"
rc=0
for b in "$ROOT"/tools/testing/bench/*.sh; do
	[ "$(basename "$b")" = vm-bench.sh ] && continue
	echo "=== $(basename "$b" .sh)"
	"$b" || rc=1
done
exit $rc
