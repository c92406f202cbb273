# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Cgroup helpers of the selftests, the benchmarks and the demo; sourced,
# never run (lib.sh and corefold/fold-lib.sh source it).
#
# A task that is exiting leaves cgroup.procs as soon as its last thread
# starts to exit, but stays in the cgroup (which stays populated, and
# rmdir fails with EBUSY) until do_exit() has torn its memory and files
# down, which under TCG can take a while: an empty cgroup.procs does not
# mean a removable cgroup; "populated 0" in cgroup.events does.

# cg_empty DIR: kills every task in the cgroup and below (cgroup.kill)
# and waits, up to 10 s, until it is unpopulated.
cg_empty() {
	local i

	echo 1 >"$1/cgroup.kill" || return 1
	for ((i = 0; i < 100; i++)); do
		grep -qx 'populated 0' "$1/cgroup.events" && return 0
		sleep 0.1
	done
	echo "cg_empty: $1 still populated after 10 s: $(xargs <"$1/cgroup.procs")" >&2
	return 1
}

# cg_remove DIR...: empties each cgroup that exists (cg_empty) and removes
# it with its children. For clean-up paths; where removal is what a test
# asserts, it runs rmdir itself.
cg_remove() {
	local d rc=0

	for d; do
		[ -d "$d" ] || continue
		cg_empty "$d" || rc=1
		find "$d" -depth -type d -exec rmdir {} + || rc=1
	done
	return $rc
}
