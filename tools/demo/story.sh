#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The operator's story, run inside the test VM by tools/demo.sh. Every
# command is printed before it runs; each step ends with ok/FAILED and the
# run with a summary table. Usage: story.sh [--step N]
ROOT=${LPAR_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export PATH="$ROOT/tools/lparctl:$PATH"
ONLY=
[ "${1:-}" = --step ] && ONLY=$2
bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m'
declare -a TITLES RESULTS
step_failed=0

# run CMD...: show it, run it, indent its output; a failure fails the step.
run() {
	echo "${bold}\$ $*${off}"
	if ! eval "$@" 2>&1 | sed 's/^/    /'; then :; fi
	[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "    ${bold}(failed)${off}"; step_failed=1; }
}
# refuse CMD...: the command must fail (a refusal the operator should see).
refuse() {
	echo "${bold}\$ $*${off}"
	if eval "$@" 2>&1 | sed 's/^/    /'; [ "${PIPESTATUS[0]}" -ne 0 ]; then
		echo "    ${dim}(refused, as it should be)${off}"
	else
		echo "    ${bold}(accepted, but should have been refused)${off}"
		step_failed=1
	fi
}
say() { echo "${dim}# $*${off}"; }

step_1() {
	say "Two partitions, each with its cgroup, dedicated CPUs, netns and budget."
	run ip netns add web
	run ip netns add db
	run lparctl create web --cpus 2-3 --cgroup /sys/fs/cgroup/web --netns web --memory 64M
	run lparctl create db --cpus 4-5 --cgroup /sys/fs/cgroup/db --netns db --memory 128M
	run lparctl list
	say "CPUs are never shared; the kernel says why it refuses:"
	refuse lparctl create intruder --cpus 3-4
}

step_2() {
	say "A task joins a partition the usual cgroup way: it moves into the cgroup."
	run "sh -c 'echo \$\$ > /sys/fs/cgroup/web/cgroup.procs; exec sleep 600' >/dev/null 2>&1 &"
	run sleep 0.3
	run cat /sys/fs/cgroup/web/cgroup.procs /sys/fs/cgroup/web/cpuset.cpus
	run "lparctl show web"
	run "grep . /sys/kernel/lpar/web/*"
}

step_3() {
	say "Change a partition live; requests are all-or-nothing."
	run lparctl set web --cpus 6-7 --memory 32M
	refuse lparctl set db --cpus 6 --memory 1G
	run "lparctl -j show db | jq -c '{name, cpus, budget}'"
}

step_4() {
	say "Everything is visible as JSON and as events."
	run "lparctl monitor > /tmp/demo.events 2>&1 & sleep 0.3"
	run lparctl set db --memory 256M
	run lparctl delete db
	run "sleep 0.3; kill %1 2>/dev/null; kill \$(jobs -p) 2>/dev/null; cat /tmp/demo.events"
	run "lparctl -j list | jq ."
}

step_5() {
	say "Deleting waits for every user of the partition; unloading cleans up."
	run "kill \$(cat /sys/fs/cgroup/web/cgroup.procs) 2>/dev/null; true"
	run lparctl delete web
	run "ip netns del web; ip netns del db"
	run "$ROOT/tools/vm/load.sh -u && $ROOT/tools/vm/load.sh && lparctl list"
}

TITLES=("" "create partitions" "a workload in a partition" "change a partition live"
	"JSON and events" "delete and unload")
"$ROOT/tools/vm/load.sh"
for n in 1 2 3 4 5; do
	if [ -n "$ONLY" ] && [ "$ONLY" != "$n" ]; then
		continue
	fi
	if [ -n "$ONLY" ] && [ "$n" -gt 1 ]; then
		step_1 >/dev/null 2>&1	# the state a replayed step stands on
		[ "$n" -gt 2 ] && step_2 >/dev/null 2>&1
	fi
	echo
	echo "${bold}== step $n: ${TITLES[n]}${off}"
	step_failed=0
	"step_$n"
	RESULTS[n]=$([ $step_failed -eq 0 ] && echo ok || echo FAILED)
done
echo
echo "${bold}summary${off}"
rc=0
for n in 1 2 3 4 5; do
	[ -n "${RESULTS[n]:-}" ] || continue
	printf '  step %d  %-28s %s\n' "$n" "${TITLES[n]}" "${RESULTS[n]}"
	[ "${RESULTS[n]}" = ok ] || rc=1
done
exit $rc
