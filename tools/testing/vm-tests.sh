#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (tools/vm/run.sh): loads the modules, runs every
# KUnit suite in kunit/ and every selftest script in
# tools/testing/selftests/*/, and leaves their KTAP/TAP on the results
# share for check.sh to count. A failing test does not stop the others.
ROOT=${LPAR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
OUT=${LPAR_OUT:-/mnt/out}
mkdir -p "$OUT/kunit" "$OUT/selftests"
export PATH="$ROOT/tools/lparctl:$PATH"
rc=0

echo "== loading modules"
"$ROOT/tools/vm/load.sh" || rc=1

echo "== KUnit"
for ko in "$ROOT"/kunit/*.ko; do
	[ -e "$ko" ] || continue
	name=$(basename "$ko" .ko)
	before=$(ls /sys/kernel/debug/kunit/)
	if ! msg=$(insmod "$ko" 2>&1); then
		echo "$msg" >"$OUT/kunit/$name.missing"
		rc=1
		continue
	fi
	for s in $(ls /sys/kernel/debug/kunit/); do
		grep -qx "$s" <<<"$before" && continue
		cp "/sys/kernel/debug/kunit/$s/results" "$OUT/kunit/$s.ktap"
		echo "suite $s: $(grep -c '^    ok' "$OUT/kunit/$s.ktap") ok," \
			"$(grep -c '^    not ok' "$OUT/kunit/$s.ktap") not ok"
	done
	rmmod "$name"
done

echo "== selftests"
for t in "$ROOT"/tools/testing/selftests/*/*.sh; do
	[ -x "$t" ] || continue
	name=$(basename "$(dirname "$t")")-$(basename "$t" .sh)
	echo "-- $name"
	start=$(date +%s)
	timeout -k 10 600 "$t" >"$OUT/selftests/$name.tap" 2>&1
	echo $? >"$OUT/selftests/$name.rc"
	echo "   $(grep -c '^ok' "$OUT/selftests/$name.tap") ok," \
		"$(grep -c '^not ok' "$OUT/selftests/$name.tap") not ok, $(($(date +%s) - start)) s"
	grep '^not ok' "$OUT/selftests/$name.tap"
done
"$ROOT/tools/vm/load.sh" -u || rc=1
exit $rc
