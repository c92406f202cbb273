# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the corefold selftests, bench and demo step; sourced, never
# run. They read what an admin reads: /proc/stat, cpuset files, the
# module's sysfs directory and lparctl's JSON.
. "$(dirname "${BASH_SOURCE[0]}")/../cgroup-lib.sh"
FOLD_SYS=/sys/kernel/lpar/corefold
CG=/sys/fs/cgroup

# busy_pct "CPU..." SECONDS: mean busy percentage of the CPUs over a
# window, from /proc/stat (user nice system irq softirq steal vs idle
# iowait), one integer.
busy_pct() {
	local re="^cpu(${1// /|}) " a b
	a=$(grep -E "$re" /proc/stat)
	sleep "$2"
	b=$(grep -E "$re" /proc/stat)
	printf '%s\n%s\n' "$a" "$b" | awk -v n="$(grep -c . <<<"$a")" '{
		busy = $2 + $3 + $4 + $7 + $8 + $9; idle = $5 + $6
	}
	NR <= n { b0[$1] = busy; i0[$1] = idle; next }
	{ tb += busy - b0[$1]; ti += idle - i0[$1] }
	END { printf "%d\n", (tb + ti) ? 100 * tb / (tb + ti) : 0 }'
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
	sh -c "cd /tmp && echo \$\$ >$CG/$cg/cgroup.procs && exec stress-ng --quiet $*" \
		>/dev/null 2>&1 &
	echo $!
}

# load_stop CGROUP: kills every process in the cgroup (stress-ng's
# workers too, which may outlive a killed parent for a while) and waits,
# up to 10 s, until none is left in it (cg_empty).
load_stop() {
	cg_empty "$CG/$1"
}

# host_aside: this shell and its children (lparctl, sleep...) move to a
# cgroup on CPUs 0-1, off the CPUs being measured, and the interval goes
# to 1 s: under TCG on a busy host, 100 ms of a vCPU the host did not
# run can read fully busy and look like a burst. host_back undoes both.
host_aside() {
	mkdir -p $CG/fold-host
	echo +cpuset >$CG/cgroup.subtree_control
	echo 0-1 >$CG/fold-host/cpuset.cpus
	echo $$ >$CG/fold-host/cgroup.procs
	echo 1000 >$FOLD_SYS/interval_ms
}
host_back() {
	echo $$ >$CG/cgroup.procs
	cg_remove $CG/fold-host
	[ -d $FOLD_SYS ] && echo 100 >$FOLD_SYS/interval_ms
}
