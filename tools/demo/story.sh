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

# bg CMD: show it and start it in the background of the story itself (not
# of a pipeline), so a later step can stop it; its output goes to a file.
bg() {
	echo "${bold}\$ $* &${off}"
	eval "$@" &
	BG_PIDS+=($!)
}
BG_PIDS=()

# Each module plays its part from tools/demo/step-<module>.sh, which
# defines step_<module>; a missing part fails its step.
module_step() {
	local f="$ROOT/tools/demo/step-$1.sh"

	if [ ! -r "$f" ]; then
		echo "    ${bold}(no $f)${off}"
		step_failed=1
		return
	fi
	# shellcheck source=/dev/null
	. "$f"
	"step_$1"
}

step_1() {
	say "Everything that happens is recorded by one monitor of all the suite's families."
	bg "lparctl monitor > /tmp/demo.events 2>&1"
	say "Two partitions, each with its cgroup, dedicated CPUs, netns and budget."
	run ip netns add web
	run ip netns add db
	run lparctl create web --cpus 2-3 --cgroup /sys/fs/cgroup/web --netns web --memory 64M
	run lparctl create db --cpus 4-5 --cgroup /sys/fs/cgroup/db --netns db --memory 128M
	run lparctl list
	say "CPUs are never shared; the kernel says why it refuses:"
	refuse lparctl create intruder --cpus 3-4
	say "A task joins a partition the usual cgroup way: it moves into the cgroup."
	run "sh -c 'echo \$\$ > /sys/fs/cgroup/web/cgroup.procs; exec sleep 3600' >/dev/null 2>&1 &"
	run sleep 0.3
	run cat /sys/fs/cgroup/web/cgroup.procs /sys/fs/cgroup/web/cpuset.cpus
	run "grep . /sys/kernel/lpar/web/*"
}

step_2() { module_step adjunct_sriov; }
step_3() { module_step vmcheckpoint; }
step_4() { module_step hwthread_virt; }
step_5() { module_step corefold; }

step_6() {
	say "Change a partition live; requests are all-or-nothing."
	run lparctl set db --memory 256M
	refuse lparctl set db --cpus 3-5 --memory 1G
	run "lparctl -j show db | jq -c '{name, cpus, budget}'"
	say "Everything is visible as JSON, and the monitor saw it all:"
	run "lparctl -j list | jq ."
	run "sleep 0.3; grep -v '^\\[checkpoint\\]' /tmp/demo.events | head -60"
	say "Events by kind (periodic checkpoints make most of them):"
	run "awk '{ print \$1 }' /tmp/demo.events | sort | uniq -c | sort -rn"
}

step_7() {
	say "Deleting waits for every user of the partition; unloading cleans up."
	run "kill \$(cat /sys/fs/cgroup/web/cgroup.procs) 2>/dev/null; true"
	run lparctl delete web
	run lparctl delete db
	run "ip netns del web; ip netns del db"
	run "$ROOT/tools/vm/load.sh -u && $ROOT/tools/vm/load.sh && lparctl list && $ROOT/tools/vm/load.sh -u"
	run "grep -c '^lpar' /proc/modules || true"
}

TITLES=("" "create partitions" "SR-IOV adjuncts" "checkpoint and replicate"
	"exclusive-core view" "core folding" "JSON and events" "delete and unload")
N_STEPS=7
"$ROOT/tools/vm/load.sh"
for n in $(seq 1 $N_STEPS); do
	if [ -n "$ONLY" ] && [ "$ONLY" != "$n" ]; then
		continue
	fi
	if [ -n "$ONLY" ] && [ "$n" -gt 1 ]; then
		step_1 >/dev/null 2>&1	# the state a replayed step stands on
	fi
	echo
	echo "${bold}== step $n: ${TITLES[n]}${off}"
	step_failed=0
	"step_$n"
	RESULTS[n]=$([ $step_failed -eq 0 ] && echo ok || echo FAILED)
done
[ ${#BG_PIDS[@]} -eq 0 ] || kill "${BG_PIDS[@]}" 2>/dev/null
echo
echo "${bold}summary${off}"
rc=0
for n in $(seq 1 $N_STEPS); do
	[ -n "${RESULTS[n]:-}" ] || continue
	printf '  step %d  %-28s %s\n' "$n" "${TITLES[n]}" "${RESULTS[n]}"
	[ "${RESULTS[n]}" = ok ] || rc=1
done
exit $rc
