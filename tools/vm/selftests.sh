#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side: loads the modules, runs the named selftests (paths under
# tools/testing/selftests without .sh), unloads, and scans kmemleak (in the
# debug flavour). A focused pass, e.g. in the debug flavour:
#   tools/vm/run.sh --flavour debug --out $PWD/out/sel $PWD/tools/vm/selftests.sh \
#       vmcheckpoint/hostile corefold/consolidate
ROOT=${LPAR_ROOT:?}
export PATH="$ROOT/tools/lparctl:$PATH"
"$ROOT/tools/vm/load.sh" || exit 1
rc=0
for t in "$@"; do
	echo "-- $t"
	s=$SECONDS
	out=$("$ROOT/tools/testing/selftests/$t.sh" 2>&1) || rc=1
	echo "$out" | grep -E "^not ok|^#" | head -20
	echo "   $t: $(grep -c '^ok' <<<"$out") ok, $(grep -c '^not ok' <<<"$out") not ok, $((SECONDS - s)) s"
done
"$ROOT/tools/vm/load.sh" -u || rc=1
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak; sleep 5; echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c "unreferenced object" /sys/kernel/debug/kmemleak)
	echo "kmemleak: $leaks unreferenced objects"
	[ "$leaks" = 0 ] || { head -40 /sys/kernel/debug/kmemleak; rc=1; }
fi
exit $rc
