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

# stat_snap: the clock (/proc/uptime) and the per-CPU lines of /proc/stat.
stat_snap() {
	echo "up $(cut -d' ' -f1 /proc/uptime)"
	grep '^cpu[0-9]' /proc/stat
}

# clock_busy SNAP0 SNAP1 "CPU...": per CPU, the share of the time between
# two stat_snaps it was not idle by the clock, as the module reads
# utilization (under NOHZ /proc/stat's idle and iowait are
# get_cpu_idle_time_us() and get_cpu_iowait_time_us(), in USER_HZ).
clock_busy() {
	printf '%s\n%s\n' "$1" "$2" | awk -v cpus=" $3 " -v hz="$(getconf CLK_TCK)" '
		$1 == "up" { u[++k] = $2; next }
		{ c = substr($1, 4) }
		index(cpus, " " c " ") == 0 { next }
		k == 1 { i0[c] = $5 + $6; next }
		{ w = (u[2] - u[1]) * hz; printf "%scpu%s %.1f %%", n++ ? ", " : "", c, w ? 100 * (w - ($5 + $6 - i0[c])) / w : 0 }
		END { print "" }'
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
# irqs_aside: every interrupt that can be moved goes to CPUs 0-1 too (the
# 9p root's virtio interrupts, which the test's own file reads raise,
# otherwise land on any CPU, and a debug kernel's interrupt path keeps
# such a CPU from reading idle); irqs_back restores what was there.
IRQ_SAVE=/tmp/fold-irq-affinity
irqs_aside() {
	local f

	: >$IRQ_SAVE
	for f in /proc/irq/[0-9]*/smp_affinity_list; do
		echo "$f $(cat "$f")" >>$IRQ_SAVE
		echo 0-1 >"$f" 2>/dev/null
	done
}
irqs_back() {
	local f list

	[ -e $IRQ_SAVE ] || return 0
	while read -r f list; do
		echo "$list" >"$f" 2>/dev/null
	done <$IRQ_SAVE
	rm -f $IRQ_SAVE
}

host_back() {
	echo $$ >$CG/cgroup.procs
	cg_remove $CG/fold-host
	[ -d $FOLD_SYS ] && echo 100 >$FOLD_SYS/interval_ms
}
