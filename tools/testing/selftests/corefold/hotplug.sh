#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# corefold in hotplug mode: partition p (2-3,6-7: core 1 of each socket)
# at 20 % folds a whole core by taking its CPUs offline, a burst brings
# it back (destination online before anything else), a partition holding
# CPU 0 never loses CPU 0 or its sibling, switching back to cpuset mode
# and unloading the module with a core offline both bring every CPU back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fold-lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KO=$ROOT/corefold/lpar_corefold.ko
SYSCPU=/sys/devices/system/cpu
pids=()

cleanup() {
	kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	lparctl delete p 2>/dev/null
	lparctl delete q 2>/dev/null
	cg_remove $CG/p $CG/q
	grep -q "^lpar_corefold " /proc/modules || insmod "$KO"
	host_back
	echo cpuset >$FOLD_SYS/mechanism
	[ -z "${hold_max0:-}" ] || echo "$hold_max0" >$FOLD_SYS/hold_max
	t_done
}
trap cleanup EXIT

host_aside
# The damping's memory (a fold undone by noise before the test's own burst
# stretches the hold-off, up to hold_max intervals of 1 s here) is not
# what this test is about: KUnit and the bench's hold section cover it.
# hold_max 10 bounds any fold's wait to 10 s.
hold_max0=$(cat $FOLD_SYS/hold_max)
echo 10 >$FOLD_SYS/hold_max

t_ok "mechanism hotplug" sh -c "echo hotplug >$FOLD_SYS/mechanism"
t_ok "create p on core 1 of each socket" part_up p 2-3,6-7
pids+=($(load_in p --cpu 2 --cpu-load 20 --cpu-load-slice 10))
t_ok "fold enable p" lparctl fold enable p
t_ok "p folds to one core" wait_for 40 eval '[ "$(unfolded p)" = 2-3 ]'
t_eq "its folded core is offline" "0 0" "$(cat $SYSCPU/cpu6/online) $(cat $SYSCPU/cpu7/online)"
t_eq "the kernel's online mask" "0-5" "$(cat $SYSCPU/online)"
t_true "p's load still runs" all_alive "${pids[@]}"

pids+=($(load_in p --cpu 4 --cpu-load 100))
t_ok "a burst brings the core back online" wait_for 10 eval '[ "$(cat $SYSCPU/online)" = 0-7 ]'
t_eq "p unfolded" "2-3,6-7" "$(unfolded p)"
grep -E "^hotplug" $FOLD_SYS/latency | sed 's/^/# latency /'
# stress-ng's duty cycle makes up for time it was starved of: a fresh load.
load_stop p
kill "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
pids=($(load_in p --cpu 2 --cpu-load 20 --cpu-load-slice 10))

# The burst undid a fresh fold, so the damping stretched the hold-off (to
# hold_max, 10 intervals of 1 s) before the next fold may come.
wait_for 60 eval '[ "$(cat $SYSCPU/online)" = 0-5 ]'
t_result $? "p folds again (after the damped hold-off)" \
	"$(lparctl -j fold show p; ps -eo pid,pcpu,psr,comm --sort=-pcpu | head -8; tail -20 /sys/kernel/debug/tracing/trace)"
t_ok "switching to cpuset mode brings it back" sh -c "echo cpuset >$FOLD_SYS/mechanism"
t_eq "every CPU online" "0-7" "$(cat $SYSCPU/online)"
t_ok "back to hotplug" sh -c "echo hotplug >$FOLD_SYS/mechanism"
load_stop p
kill "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
pids=($(load_in p --cpu 2 --cpu-load 20 --cpu-load-slice 10))
t_ok "p folds once more" wait_for 60 eval '[ "$(cat $SYSCPU/online)" = 0-5 ]'
t_ok "p's CPUs change while folded" lparctl set p --cpus 2-3
t_eq "its folded core came back first" "0-7" "$(cat $SYSCPU/online)"
t_eq "p starts over unfolded on its new CPUs" "2-3" "$(unfolded p)"
t_ok "p gets both cores again" lparctl set p --cpus 2-3,6-7
load_stop p
kill "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
echo member >$CG/p/cpuset.cpus.partition
pids=($(load_in p --cpu 2 --cpu-load 20 --cpu-load-slice 10))
t_ok "p folds" wait_for 40 eval '[ "$(cat $SYSCPU/online)" = 0-5 ]'
t_ok "delete p while folded" lparctl delete p
t_eq "deleting it brought its core back" "0-7" "$(cat $SYSCPU/online)"
t_ok "create p again (its cgroup and load are still there)" part_up p 2-3,6-7
t_ok "fold enable p" lparctl fold enable p
t_ok "p folds" wait_for 40 eval '[ "$(cat $SYSCPU/online)" = 0-5 ]'
t_ok "rmmod with a core offline" rmmod lpar_corefold
t_eq "rmmod brought it back" "0-7" "$(cat $SYSCPU/online)"
t_ok "reload, hotplug mode" insmod "$KO" mechanism=hotplug
t_eq "no resume-latency request left on any CPU after that rmmod" "" \
	"$(tail -n +2 $FOLD_SYS/qos | grep -v -- ' - any$')"
t_ok "delete p" lparctl delete p

# CPU 0 cannot go offline: its core is never offered to the policy.
t_ok "create q holding CPU 0 (0-1,4-5)" part_up q 0-1,4-5
t_ok "fold enable q" lparctl fold enable q
sleep 3
t_eq "CPU 0 and its sibling stay online" "1" "$(cat $SYSCPU/cpu1/online)"
t_eq "q keeps core 0 and its socket-1 core (the floor)" "0-1,4-5" "$(unfolded q)"
t_ok "delete q" lparctl delete q
t_ok "rmmod" rmmod lpar_corefold
t_ok "reload with defaults" insmod "$KO"
