#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make bench`: loads the modules and runs the named
# benchmarks (tools/testing/bench/NAME.sh; default all of them) in turn.
ROOT=${LPAR_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
export PATH="$ROOT/tools/lparctl:$ROOT/tools/testing:$PATH"
"$ROOT/tools/vm/load.sh"
if [ $# -eq 0 ]; then
	for b in "$ROOT"/tools/testing/bench/*.sh; do
		[ "$(basename "$b")" = vm-bench.sh ] || set -- "$@" "$(basename "$b" .sh)"
	done
fi
rc=0
for b; do
	echo "=== $b"
	"$ROOT/tools/testing/bench/$b.sh" || rc=1
done
exit $rc
