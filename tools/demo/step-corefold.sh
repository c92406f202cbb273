# SPDX-License-Identifier: GPL-2.0
#
# corefold's part of the operator story; sourced by story.sh, which
# provides run, refuse and say. Partitions web and db exist with one core
# each; for the story they get one core on each socket (web 2-3,6-7, db
# 0-1,4-5), run stress-ng at 20 %, and with folding on both move to socket
# 0 while socket 1 empties; the modeled power shows the difference; a
# burst in web unfolds it at once. Everything is put back at the end:
# the partitions' CPUs, folding off, no load, no agent.
step_corefold() {
	local web_cpus db_cpus agent pids=() i
	web_cpus=$(lparctl -j show web | jq -r .cpus)
	db_cpus=$(lparctl -j show db | jq -r .cpus)
	say "corefold: give each partition one core on each socket (0-3 is socket 0, 4-7 socket 1)."
	run lparctl set web --cpus 2-3,6-7
	run lparctl set db --cpus 0-1,4-5
	say "The cpuset agent applies the module's decisions to each partition's cpuset.cpus."
	lparctl fold agent >/tmp/demo-fold-agent.log 2>&1 &
	agent=$!
	say "20 % load in each partition: stress-ng --cpu 4 --cpu-load 20"
	for p in web db; do
		sh -c "echo \$\$ >/sys/fs/cgroup/$p/cgroup.procs &&
			exec stress-ng --quiet --cpu 4 --cpu-load 20" >/dev/null 2>&1 &
		pids+=($!)
	done
	run sleep 2
	say "Before folding: both sockets awake (modeled power of a 2 x Xeon Gold 6148 machine)."
	run lparctl fold status
	run lparctl fold enable web
	run lparctl fold enable db
	for ((i = 0; i < 100; i++)); do
		[ "$(lparctl -j fold show web | jq -r '.[0].unfolded')" = 2-3 ] &&
			[ "$(lparctl -j fold show db | jq -r '.[0].unfolded')" = 0-1 ] && break
		sleep 0.2
	done
	say "Both partitions now run on socket 0; their CPUs on socket 1 are folded."
	run lparctl fold show
	run "cat /sys/fs/cgroup/web/cpuset.cpus /sys/fs/cgroup/db/cpuset.cpus"
	run sleep 2
	say "After: socket 1 sits in its package deep state (modeled)."
	run lparctl fold status
	run "grep -E '^cpu[4-7] ' /proc/stat"
	say "A burst in web: it unfolds everything at once."
	sh -c "echo \$\$ >/sys/fs/cgroup/web/cgroup.procs &&
		exec stress-ng --quiet --cpu 4 --cpu-load 100" >/dev/null 2>&1 &
	pids+=($!)
	for ((i = 0; i < 50; i++)); do
		[ "$(cat /sys/fs/cgroup/web/cpuset.cpus)" = 2-3,6-7 ] && break
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
	run lparctl set web --cpus "$web_cpus"
	run lparctl set db --cpus "$db_cpus"
}
