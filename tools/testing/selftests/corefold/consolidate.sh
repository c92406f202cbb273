#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# corefold in cpuset mode on -smp 8,sockets=2,cores=2,threads=2 (CPUs 0-3
# socket 0, 4-7 socket 1): partitions web (2,6) and db (3,7), a hardware
# thread of core 1 of each socket each, run stress-ng at 20 % per CPU with
# folding on and the agent running; the test's own shell stays on 0-1.
# Both end up on socket 0, socket 1 idle in
# /proc/stat, the tasks still running with their own affinity kept; the
# folded CPUs carry no latency bound; a burst in web unfolds it; unloading
# the module restores cpuset.cpus, affinity and QoS (a reload with
# enable=0 sees no request left on any CPU).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fold-lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KO=$ROOT/corefold/lpar_corefold.ko
OUT=${LPAR_OUT:-/mnt/out}
LOG=$OUT/fold-agent-consolidate.log
pids=()

cleanup() {
	kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	lparctl delete web 2>/dev/null
	lparctl delete db 2>/dev/null
	cg_remove $CG/web $CG/db
	grep -q "^lpar_corefold " /proc/modules || insmod "$KO"
	[ -z "${hold_max0:-}" ] || echo "$hold_max0" >$FOLD_SYS/hold_max
	host_back
	irqs_back
	t_done
}
trap cleanup EXIT

host_aside
irqs_aside
# A fold that noise undoes (a vCPU the host did not run reads saturated)
# comes back after the hold-off; hold_max 10 (intervals of 1 s) bounds
# that wait here. The damping itself: KUnit and the bench's hold section.
hold_max0=$(cat $FOLD_SYS/hold_max)
echo 10 >$FOLD_SYS/hold_max

t_ok "module loaded, cpuset mechanism" grep -qx cpuset $FOLD_SYS/mechanism
t_ok "create web on a thread of each socket" part_up web 2,6
t_ok "create db on the sibling threads" part_up db 3,7
t_eq "folding is off by default" "false" "$(lparctl -j fold show web | jq '.[0].enabled == 1')"

lparctl -j fold agent >"$LOG" 2>&1 &
pids+=($!)
sleep 0.5
# One stress-ng worker a partition: packed, each still has a CPU of its
# own (two duty-cycle workers sharing one CPU make up for the time each
# waited for the other, and the load turns spiky). web's is pinned by its
# owner to a CPU of each socket.
sh -c "cd /tmp && echo \$\$ >$CG/web/cgroup.procs &&
	exec taskset -c 2,6 stress-ng --quiet --cpu 1 --cpu-load 20 --cpu-load-slice 10" \
	>/dev/null 2>&1 &
pinned_sh=$!
pids+=($pinned_sh)
pids+=($(load_in db --cpu 1 --cpu-load 20 --cpu-load-slice 10))
sleep 1
pinned=$(pgrep -P $pinned_sh | head -1)	# the worker, not its parent
t_eq "the pinned worker's own affinity" "2,6" "$(taskset -pc "$pinned" | sed 's/.*: //')"

TR=/sys/kernel/debug/tracing
[ -d $TR/events/corefold ] && echo 1 >$TR/events/corefold/enable
t_ok "fold enable web" lparctl fold enable web
t_ok "fold enable db" lparctl fold enable db
t_ok "web consolidates to socket 0 (2)" wait_for 40 eval '[ "$(unfolded web)" = 2 ]'
t_ok "db consolidates to socket 0 (3)" wait_for 40 eval '[ "$(unfolded db)" = 3 ]'
t_ok "the agent narrowed web's cpuset" wait_for 5 cpuset_is web 2
t_ok "the agent narrowed db's cpuset" wait_for 5 cpuset_is db 3
t_ok "the agent acknowledged db's change" \
	wait_for 5 eval '[ "$(lparctl -j fold show db | jq ".[0].seq == .[0].applied_seq")" = true ]'

sleep 1
s1=$(busy_pct "4 5 6 7" 4)
s0=$(busy_pct "2 3" 2)
echo "# /proc/stat busy: socket 0 $s0 %, socket 1 $s1 %"
t_true "socket 1 is idle (/proc/stat busy $s1 % < 5 %)" [ "$s1" -lt 5 ]
t_true "the load runs on socket 0 (busy $s0 % > socket 1 $s1 %)" [ "$s0" -gt "$s1" ]
if [ -d /sys/devices/system/cpu/cpu4/cpuidle ]; then
	echo "# cpuidle on CPU 4: $(cat /sys/devices/system/cpu/cpu4/cpuidle/state*/name | tr '\n' ' ')"
else
	echo "# no cpuidle states under TCG: idle measured from /proc/stat only"
fi
t_ok "the pinned worker runs within its own mask and the unfolded CPUs" \
	wait_for 30 eval '[ "$(taskset -pc "$pinned" | sed "s/.*: //")" = 2 ]'
t1=$(awk '{print $14 + $15}' /proc/$pinned/stat)
sleep 3
t2=$(awk '{print $14 + $15}' /proc/$pinned/stat)
t_true "the pinned worker keeps running ($t1 -> $t2 ticks)" [ "$t2" -gt "$t1" ]
t_true "every load task is alive" all_alive "${pids[@]:1}"

qos=$(cat $FOLD_SYS/qos)
t_eq "unfolded CPU 2 keeps the latency bound" "2 20 20" "$(grep '^2 ' <<<"$qos")"
t_ok "folded CPU 6 may go as deep as it can" \
	wait_for 10 eval '[ "$(grep "^6 " $FOLD_SYS/qos)" = "6 any any" ]'
t_eq "CPU 0, in no partition, has no request" "0 - any" "$(grep '^0 ' <<<"$qos")"
# The model over a 4 s window, not one interval (one busy interval of a
# kernel thread on socket 1 would decide it).
st0=$(lparctl -j fold status)
snap0=$(stat_snap)
sleep 4
snap1=$(stat_snap)
st=$(lparctl -j fold status)
read -r e0 e1 d1 <<<"$(jq -n --argjson a "$st0" --argjson b "$st" '[($b.sockets[0].energy_mj - $a.sockets[0].energy_mj),
	($b.sockets[1].energy_mj - $a.sockets[1].energy_mj), ($b.sockets[1].deep_us - $a.sockets[1].deep_us)] | map(floor) | join(" ")' -r)"
echo "# modeled over 4 s: socket 0 $e0 mJ, socket 1 $e1 mJ, socket 1 deep for $d1 us"
echo "# not idle by the clock over it (idle mark $(($(cat $FOLD_SYS/idle) / 10)) %): $(clock_busy "$snap0" "$snap1" "4 5 6 7")"
t_true "modeled: socket 1 in package deep state most of the window ($d1 us of 4 s)" [ "$d1" -ge 3000000 ]
t_true "modeled: socket 1 used less energy than socket 0 ($e1 < $e0 mJ)" [ "$e1" -lt "$e0" ]
t_true "web's fold was counted (a migrate, or a fold)" \
	[ "$(lparctl -j fold show web | jq '.[0].migrates + .[0].folds')" -ge 1 ]
if [ -d /sys/kernel/debug/tracing/events/corefold ]; then
	t_true "tracepoints: corefold_fold/unfold/exchange/migrate/apply" \
		test -d /sys/kernel/debug/tracing/events/corefold/corefold_migrate \
		-a -d /sys/kernel/debug/tracing/events/corefold/corefold_exchange
fi

# A burst: web's demand saturates its two CPUs; everything unfolds at once.
pids+=($(load_in web --cpu 2 --cpu-load 100))
t_ok "a burst unfolds web" wait_for 10 eval '[ "$(unfolded web)" = 2,6 ]'
t_ok "the agent widened web's cpuset" wait_for 5 cpuset_is web 2,6
if [ -d /sys/kernel/debug/tracing/events/corefold ]; then
	# burst, or high when a sample caught the load on its way up (TCG
	# ticks are lumpy: seen once with a sample between the marks)
	tr=/sys/kernel/debug/tracing/trace
	grep -qE "corefold_unfold: part=web .*reason=(burst|high)" $tr
	t_result $? "the unfold was traced with its reason" "$(grep -E 'corefold_' $tr | tail -8)"
	echo 0 >/sys/kernel/debug/tracing/events/corefold/enable
	grep corefold_ /sys/kernel/debug/tracing/trace >"$OUT/fold-trace-consolidate.txt"
fi
grep -E "^cpuset" $FOLD_SYS/latency | sed 's/^/# latency /'

t_ok "rmmod lpar_corefold" rmmod lpar_corefold
t_ok "cpuset.cpus of web restored" wait_for 5 cpuset_is web 2,6
t_ok "cpuset.cpus of db restored" wait_for 5 cpuset_is db 3,7
t_eq "the pinned worker's own affinity is back" "2,6" "$(taskset -pc "$pinned" | sed 's/.*: //')"
t_eq "every CPU online" "0-7" "$(cat /sys/devices/system/cpu/online)"
t_ok "reload with enable=0" insmod "$KO" enable=0
t_eq "no resume-latency request left on any CPU" "" \
	"$(tail -n +2 $FOLD_SYS/qos | grep -v -- ' - any$')"
t_ok "unload again" rmmod lpar_corefold
t_ok "reload with defaults" insmod "$KO"
