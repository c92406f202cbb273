# SPDX-License-Identifier: GPL-2.0
#
# corefold's part of the operator story; sourced by story.sh, which
# provides run, refuse and say. Partitions web and db exist with one core
# each; for the story each gets a hardware thread on each socket (web 2,6,
# db 3,7; CPUs 0-3 are socket 0, 4-7 socket 1), runs stress-ng at 20 %,
# and with folding on both move to socket 0 while socket 1 empties; the
# modeled power shows the difference; a burst in web unfolds it at once.
# The story's shell stays on CPUs 0-1 meanwhile, off the measured CPUs.
# Everything is put back at the end: the partitions' CPUs, the shell's
# affinity, the interval, folding off, no load, no agent.
step_corefold() {
	local web_cpus db_cpus mask agent pids=() i p
	local sys=/sys/kernel/lpar/corefold
	web_cpus=$(lparctl -j show web | jq -r .cpus)
	db_cpus=$(lparctl -j show db | jq -r .cpus)
	mask=$(taskset -pc $$ | sed 's/.*: //')
	taskset -pc 0-1 $$ >/dev/null
	say "corefold: give each partition a thread on each socket (0-3 is socket 0, 4-7 socket 1)."
	run lparctl set web --cpus 2,6
	run lparctl set db --cpus 3,7
	say "500 ms samples: under TCG a 100 ms sample of a vCPU the host did not run reads busy."
	run "echo 500 > $sys/interval_ms"
	say "The cpuset agent applies the module's decisions to each partition's cpuset.cpus."
	lparctl fold agent >/tmp/demo-fold-agent.log 2>&1 &
	agent=$!
	say "20 % load in each partition: stress-ng --cpu 2 --cpu-load 20"
	for p in web db; do
		sh -c "cd /tmp && echo \$\$ >/sys/fs/cgroup/$p/cgroup.procs &&
			exec stress-ng --quiet --cpu 2 --cpu-load 20 --cpu-load-slice 10" >/dev/null 2>&1 &
		pids+=($!)
	done
	run sleep 3
	say "Before folding: both sockets awake (modeled power of a 2 x Xeon Gold 6148 machine)."
	run lparctl fold status
	run lparctl fold enable web
	run lparctl fold enable db
	for ((i = 0; i < 100; i++)); do
		[ "$(lparctl -j fold show web | jq -r '.[0].unfolded')" = 2 ] &&
			[ "$(lparctl -j fold show db | jq -r '.[0].unfolded')" = 3 ] && break
		sleep 0.2
	done
	say "Both partitions now run on socket 0; their CPUs 6 and 7 on socket 1 are folded."
	run lparctl fold show
	run "cat /sys/fs/cgroup/web/cpuset.cpus /sys/fs/cgroup/db/cpuset.cpus"
	run sleep 3
	say "After: socket 1 sits in its package deep state (modeled), idle in /proc/stat."
	run lparctl fold status
	run "grep -E '^cpu[4-7] ' /proc/stat"
	say "A burst in web: it unfolds everything at once."
	sh -c "cd /tmp && echo \$\$ >/sys/fs/cgroup/web/cgroup.procs &&
		exec stress-ng --quiet --cpu 2 --cpu-load 100" >/dev/null 2>&1 &
	pids+=($!)
	for ((i = 0; i < 50; i++)); do
		[ "$(cat /sys/fs/cgroup/web/cpuset.cpus)" = 2,6 ] && break
		sleep 0.2
	done
	run "lparctl fold show web"
	run "cat /sys/fs/cgroup/web/cpuset.cpus"
	run "cat /tmp/demo-fold-agent.log"
	refuse lparctl fold enable nosuch
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	run lparctl fold disable web
	run lparctl fold disable db
	kill "$agent" 2>/dev/null
	wait "$agent" 2>/dev/null
	run "echo 100 > $sys/interval_ms"
	run lparctl set db --cpus "$db_cpus"
	run lparctl set web --cpus "$web_cpus"
	taskset -pc "$mask" $$ >/dev/null
}
