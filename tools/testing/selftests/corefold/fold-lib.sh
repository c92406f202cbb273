# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the corefold selftests, bench and demo step; sourced, never
# run. They read what an admin reads: /proc/stat, cpuset files, the
# module's sysfs directory and lparctl's JSON.
FOLD_SYS=/sys/kernel/lpar/corefold
CG=/sys/fs/cgroup

# busy_pct "CPU..." SECONDS: mean busy percentage of the CPUs over a
# window, from /proc/stat (user nice system irq softirq steal vs idle
# iowait), one integer.
busy_pct() {
	local cpus=$1 secs=$2 a b
	a=$(grep -E "^cpu($(tr ' ' '|' <<<"$cpus")) " /proc/stat)
	sleep "$secs"
	b=$(grep -E "^cpu($(tr ' ' '|' <<<"$cpus")) " /proc/stat)
	paste <(echo "$a") <(echo "$b") | awk '{
		n = NF / 2
		busy = ($(n+2)+$(n+3)+$(n+4)+$(n+7)+$(n+8)+$(n+9)) - ($2+$3+$4+$7+$8+$9)
		idle = ($(n+5)+$(n+6)) - ($5+$6)
		tb += busy; ti += idle
	} END { printf "%d\n", (tb + ti) ? 100 * tb / (tb + ti) : 0 }'
}

# wait_for SECONDS CMD...: retries CMD every 0.2 s until it succeeds.
wait_for() {
	local end=$(($(date +%s%N) + $1 * 1000000000))
	shift
	until "$@"; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# unfolded NAME: the partition's unfolded CPUs as the module reports them.
unfolded() {
	lparctl -j fold show "$1" | jq -r '.[0].unfolded'
}

# cpuset_is NAME LIST: the partition's cgroup cpuset.cpus is LIST.
cpuset_is() {
	[ "$(cat "$CG/$1/cpuset.cpus")" = "$2" ]
}

# part_up NAME CPUS: a partition with a member cpuset (not a partition
# root, so that CPUs it gives up stay idle instead of going to the root
# cgroup's tasks).
part_up() {
	lparctl create "$1" --cpus "$2" --cgroup "$CG/$1" 2>/dev/null &&
		echo member >"$CG/$1/cpuset.cpus.partition" &&
		echo "$2" >"$CG/$1/cpuset.cpus"
}

# load_in CGROUP ARGS...: stress-ng in the cgroup, its pid on stdout.
load_in() {
	local cg=$1
	shift
	sh -c "echo \$\$ >$CG/$cg/cgroup.procs && exec stress-ng --quiet $*" >/dev/null 2>&1 &
	echo $!
}
