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
. "$ROOT/tools/testing/selftests/cgroup-lib.sh"
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
	for s in /sys/kernel/debug/kunit/*/; do
		s=$(basename "$s")
		grep -qx "$s" <<<"$before" && continue
		cp "/sys/kernel/debug/kunit/$s/results" "$OUT/kunit/$s.ktap"
		echo "suite $s: $(grep -c '^    ok' "$OUT/kunit/$s.ktap") ok," \
			"$(grep -c '^    not ok' "$OUT/kunit/$s.ktap") not ok"
	done
	rmmod "$name"
done

# What every selftest must leave as it found it: no cgroup, partition or
# network namespace of its own, every CPU online, the suite's modules
# loaded. A leftover is reported against the test that left it (check.sh
# counts $name.left) and cleared, so that it cannot fail a later test
# (the VM boots with no cgroup of its own: every one found is removed).
vm_state() {
	echo "cgroups: $(find /sys/fs/cgroup -mindepth 1 -maxdepth 1 -type d -printf '%f ')"
	echo "partitions: $(lparctl -j list 2>/dev/null | jq -r '.[].name' | xargs)"
	echo "netns: $(ip netns list | awk '{print $1}' | sort | xargs)"
	echo "online: $(cat /sys/devices/system/cpu/online)"
	echo "modules: $(awk '/^lpar_/ || /^lpar / {print $1}' /proc/modules | sort | xargs)"
}
vm_restore() {
	local cpu
	"$ROOT/tools/vm/load.sh"
	lparctl -j list 2>/dev/null | jq -r '.[].name' | xargs -r -n1 lparctl delete
	cg_remove /sys/fs/cgroup/*/
	ip netns list | awk '{print $1}' | xargs -r -n1 ip netns del
	for cpu in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat "$cpu")" = 1 ] || echo 1 >"$cpu"
	done
}

echo "== selftests"
clean=$(vm_state)
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
	now=$(vm_state)
	if [ "$now" != "$clean" ]; then
		diff <(echo "$clean") <(echo "$now") | grep '^>' >"$OUT/selftests/$name.left"
		echo "   left behind: $(xargs <"$OUT/selftests/$name.left")"
		vm_restore >/dev/null 2>&1
		[ "$(vm_state)" = "$clean" ] || echo "   and could not be cleared: $(vm_state | xargs)"
	fi
done
"$ROOT/tools/vm/load.sh" -u || rc=1
exit $rc
