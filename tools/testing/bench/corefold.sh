#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# corefold benchmark, run in the test VM by make bench. Side by side, in
# the same run, with the two baselines of issue 9:
#   spread       no folding (partitions enabled off: the scheduler spreads)
#   fold-nopack  folding without consolidation (consolidate = 0)
#   corefold     folding with consolidation (the default)
# Partitions web (2,6) and db (3,7): a hardware thread on each socket each;
# the bench's own shell and the cpuset agent on CPUs 0-1.
#
# Sections (FOLD_BENCH_ONLY="sim energy stressng latency step exchange hold"
# picks some; default all, about 23 minutes of VM, 10 of them the hold):
#   sim       simulator (tools/corefold-sim, the same policy and power
#             model): energy ratios on the sample traces
#   energy    500 ms interval: rt-app duty-cycle threads at 20 % and 70 %
#             per CPU (stressng: stress-ng at 20 %): modeled energy, socket-1 busy
#             time, throughput (rt-app loops of fixed work completed,
#             stress-ng bogo ops), and the TCG effect: the CPU time the
#             guest counts (/proc/stat busy, steal) against the load
#             offered, and how much longer than calibrated a fixed piece
#             of work took (rt-app's run vs c_duration); with
#             FOLD_BENCH_ROUNDS=R the three policies run in turn R times
#             and the ratio of the sums is printed (run-to-run noise
#             averages out); FOLD_BENCH_PCTS="20 70" picks the loads
#   latency   cyclictest p99 wake-up latency (SCHED_FIFO and SCHED_OTHER)
#             in web under rt-app 20 %, spread vs corefold, alternating,
#             three rounds each, median p99 ratio
#   step      100 ms interval (FOLD_BENCH_STEP_MS), cpuset and hotplug
#             mode (FOLD_BENCH_STEP_MECHS): FOLD_BENCH_STEPS
#             steps 20 -> 90 %+ in web, timed from the tracepoints of a
#             tracefs instance (trace_marker at the step, corefold_unfold,
#             corefold_apply, the first sched_switch of the load onto the
#             CPU that was folded), and the fold after the drop;
#             FOLD_BENCH_BALANCE=1 (x86) also traces the scheduler's
#             balancing (kprobe on sched_balance_rq, sched_migrate_task)
#             and prints per step which balance moved a loop to that CPU
#             and when, after the decision
#             Partitions are cpuset partition roots, as lparctl makes
#             them (FOLD_BENCH_PARTITION=member: members, as the
#             selftests use; in one sched domain with the host's CPUs
#             the scheduler takes 10 to 500 ms to spread a partition's
#             load onto a CPU just added to its cpuset; see
#             Documentation/corefold.md); applies to every section
#   exchange  an exchange in each mode (consolidation switched on)
#   hold      rt-app held at the low mark +-5 % (random 5 s phases) for
#             FOLD_BENCH_HOLD s at the default 100 ms interval: fold/unfold
#             cycles a minute from the tracepoints, the simulator's figure
#             for the same phases, the module's and the agent's CPU time
# Ratios are printed; nothing is asserted (no timed assertions).
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/tools/testing/selftests/corefold/fold-lib.sh"
export PATH="$ROOT/tools/lparctl:$PATH"
SIM=$ROOT/tools/corefold-sim/corefold-sim
T=${FOLD_BENCH_SECS:-15}
STEPS=${FOLD_BENCH_STEPS:-20}
BALANCE=${FOLD_BENCH_BALANCE:-0}
PARTITION=${FOLD_BENCH_PARTITION:-root}
ROUNDS=${FOLD_BENCH_ROUNDS:-1}
PCTS=${FOLD_BENCH_PCTS:-20 70}
STEP_MS=${FOLD_BENCH_STEP_MS:-100}
STEP_MECHS=${FOLD_BENCH_STEP_MECHS:-cpuset hotplug}
HOLD=${FOLD_BENCH_HOLD:-600}
ONLY=${FOLD_BENCH_ONLY:-sim energy stressng latency step exchange hold}
TR=/sys/kernel/tracing
[ -d $TR/events ] || TR=/sys/kernel/debug/tracing
TI=$TR/instances/corefold-bench
W=$(mktemp -d /tmp/fold-bench.XXXXXX)
pids=()
agent=

want() { [[ " $ONLY " == *" $1 "* ]]; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
energy() { awk '/^total/ { print $2 }' $FOLD_SYS/sockets; }
stat_of() { awk -v k="$1" '$1 == k { print $2 }' $FOLD_SYS/stats; }
decisions() { echo $(($(stat_of fold) + $(stat_of unfold) + $(stat_of exchange) + $(stat_of migrate))); }
# pctl P: the P-th percentile (nearest rank) of the numbers on stdin.
pctl() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
	i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; print v[i] }'; }
stop_load() {
	[ ${#pids[@]} -gt 0 ] || return 0	# a bare wait would wait for the agent
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	pids=()
}
cleanup() {
	stop_load
	[ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
	lparctl delete web 2>/dev/null
	lparctl delete db 2>/dev/null
	echo 1 >$FOLD_SYS/consolidate
	echo cpuset >$FOLD_SYS/mechanism
	echo 100 >$FOLD_SYS/interval_ms
	cg_remove $CG/web $CG/db
	[ -d $TI ] && rmdir $TI
	rm -rf "$W"
	host_back
}
trap cleanup EXIT

if want sim; then
	echo "--- simulator (2 x Xeon Gold 6148, 1 s intervals; energy vs spread)"
	[ -x "$SIM" ] || make -s -C "$ROOT/tools/corefold-sim" >/dev/null
	printf "%-16s %8s %12s %10s %8s %8s %7s\n" trace demand% fold-nopack corefold lost% \
		changes cycles
	for t in flat20 flat70 diurnal bursty step threshold alibaba-sample; do
		"$SIM" -j "$ROOT/tools/corefold-sim/traces/$t.csv" | jq -r --arg t "$t" '
			(.policies | map({(.name): .}) | add) as $p |
			[$t, (.mean_demand_ppm / 10000 | floor),
			 ($p["fold-nopack"].energy_vs_spread_ppm / 1e6),
			 ($p.corefold.energy_vs_spread_ppm / 1e6),
			 ($p.corefold.lost_ppm / 1e4), $p.corefold.count_changes,
			 $p.corefold.count_cycles] | @tsv' |
			awk -F'\t' '{ printf "%-16s %8s %12.3f %10.3f %8.2f %8s %7s\n",
				      $1, $2, $3, $4, $5, $6, $7 }'
	done
	echo "VM topology (--topo 2x2x2, flat20):"
	"$SIM" -j --topo 2x2x2 "$ROOT/tools/corefold-sim/traces/flat20.csv" |
		jq -r '.policies[] | "  \(.name) \(.energy_vs_spread_ppm / 1e6)"'
fi

host_aside
part_up web 2,6 && part_up db 3,7 || { echo "cannot create partitions"; exit 1; }
if [ "$PARTITION" = root ]; then
	for p in web db; do
		echo root >"$CG/$p/cpuset.cpus.partition"
		echo "  $p: cpuset.cpus.partition $(cat "$CG/$p/cpuset.cpus.partition")"
	done
fi
lparctl -j fold agent >/dev/null 2>&1 &
agent=$!
sleep 0.5

# setup POLICY: folding off (spread), on without packing, or on.
setup() {
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
	case $1 in
	spread) return ;;
	fold-nopack) echo 0 >$FOLD_SYS/consolidate ;;
	corefold) echo 1 >$FOLD_SYS/consolidate ;;
	esac
	lparctl fold enable web >/dev/null
	lparctl fold enable db >/dev/null
}

# rt-app's ns per loop, calibrated here on CPU 0 and used by every run,
# so that "RUN_US of work" is the same work in every run. The lowest of
# five: under TCG the first runs of fresh code pay for its translation and
# a vCPU the host did not run inflates the time, both only upwards.
printf '{ "global": { "duration": 1, "calibration": "CPU0", "logdir": "%s" },
  "tasks": { "c": { "loop": 1, "run": 1000 } } }\n' "$W" >"$W/cal.json"
PLOADS=$(for i in 1 2 3 4 5; do rt-app "$W/cal.json" 2>&1; done |
	sed -n 's/.*pLoad = \([0-9]*\)ns.*/\1/p' | paste -sd' ')
PLOAD=$(tr ' ' '\n' <<<"$PLOADS" | sort -n | head -1)
PLOAD=${PLOAD:-100}

# rtapp_json RUN_US DURATION_S NAME: 2 threads, RUN_US of calibrated work
# every 10 ms, per-loop log in $W/NAME-t-*.log (16 MB buffer per thread).
rtapp_json() {
	cat <<JSON
{ "global": { "duration": $2, "default_policy": "SCHED_OTHER", "calibration": $PLOAD,
  "logdir": "$W", "log_basename": "$3", "log_size": 16 },
  "tasks": { "t": { "instance": 2, "loop": -1, "run": $1, "timer": { "ref": "tick", "period": 10000 } } } }
JSON
}

# rtapp_in CGROUP JSON: rt-app in the cgroup, a child of this shell (so
# that wait works), its pid added to pids.
rtapp_in() {
	sh -c "cd /tmp && echo \$\$ >$CG/$1/cgroup.procs && exec rt-app $2" >/dev/null 2>&1 &
	pids+=($!)
}

# rtapp_loops NAME...: loops completed by the threads logging as NAME, and
# the mean ratio of the wall time of their run phase to its calibrated
# duration (1.0 when the fixed work ran at full speed).
rtapp_loops() {
	local n
	for n in "$@"; do cat "$W/$n"-t-*.log; done 2>/dev/null |
		awk '!/^#/ && NF >= 9 { n++; if ($9 > 0) { r += $3 / $9; k++ } }
		     END { printf "%d %.2f\n", n, k ? r / k : 0 }'
}

# stat_all "CPUS": busy, idle, steal jiffies summed over the CPUs.
stat_all() {
	awk -v l=" $1 " '{ c = substr($1, 4) } $1 ~ /^cpu[0-9]/ && index(l, " " c " ") {
		b += $2 + $3 + $4 + $7 + $8; i += $5 + $6; s += $9 }
		END { print b, i, s }' /proc/stat
}

# measure SECONDS: energy (mJ), socket-1 busy %, partition-CPU busy %,
# steal % and decisions over the window, in R_*.
measure() {
	local e0 d0 a b
	e0=$(energy)
	d0=$(decisions)
	a=$(stat_all "2 3 6 7")
	R_S1=$(busy_pct "4 5 6 7" "$1")
	b=$(stat_all "2 3 6 7")
	R_E=$((($(energy) - e0) / 1000))
	R_DEC=$(($(decisions) - d0))
	read -r R_PB R_ST <<<"$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y)
		t = (y[1] - x[1]) + (y[2] - x[2]) + (y[3] - x[3]); if (!t) t = 1
		printf "%.1f %.1f\n", 100 * (y[1] - x[1]) / t, 100 * (y[3] - x[3]) / t }')"
}

if want energy; then
	echo "--- energy and throughput, cpuset mechanism with the agent, interval 500 ms, ${T} s per run"
	echo 500 >$FOLD_SYS/interval_ms
	echo "rt-app calibration on CPU 0, ns per loop, 5 runs: $PLOADS (using $PLOAD)"
	for pct in $PCTS; do
		echo "rt-app: 2 threads x ($((pct / 10)) ms of work every 10 ms) per partition, offered ${pct} % of each partition CPU"
		printf "  %-12s %9s %9s %8s %10s %8s %6s %9s %6s %7s %9s\n" policy energy_mJ vs_spread \
			sock1_busy% part_busy% steal% loops lost% run/cal decisions ovh%
		declare -A e_sum=() l_sum=()
		for ((round = 0; round < ROUNDS; round++)); do
		for pol in spread fold-nopack corefold; do
			setup "$pol"
			rm -f "$W"/e-*.log
			rtapp_json $((pct * 100)) $((T + 5)) e-web >"$W/web.json"
			rtapp_json $((pct * 100)) $((T + 5)) e-db >"$W/db.json"
			rtapp_in web "$W/web.json"
			rtapp_in db "$W/db.json"
			sleep 5
			o0=$(stat_of overhead_ns)
			t0=$(date +%s%N)
			measure "$T"
			ovh=$(awk -v o=$(($(stat_of overhead_ns) - o0)) -v t=$(($(date +%s%N) - t0)) \
				'BEGIN { printf "%.3f", 100 * o / t }')
			wait "${pids[@]}" 2>/dev/null
			pids=()
			read -r loops inflation <<<"$(rtapp_loops e-web e-db)"
			[ "$pol" = spread ] && e_sp=$R_E loops_sp=$loops
			e_sum[$pol]=$((${e_sum[$pol]:-0} + R_E))
			l_sum[$pol]=$((${l_sum[$pol]:-0} + loops))
			printf "  %-12s %9s %9s %8s %10s %8s %6s %9s %6s %7s %9s\n" "$pol" "$R_E" \
				"$(ratio "$R_E" "$e_sp")" "$R_S1" "$R_PB" "$R_ST" "$loops" \
				"$(awk -v a="$loops" -v b="$loops_sp" 'BEGIN { printf "%.1f", b ? 100 * (1 - a / b) : 0 }')" \
				"$inflation" "$R_DEC" "$ovh"
		done
		done
		if [ "$ROUNDS" -gt 1 ]; then
			for pol in fold-nopack corefold; do
				printf "  %-12s over %s rounds (spread, fold-nopack, corefold in turn): energy %s x spread, loops lost %s %%\n" \
					"$pol" "$ROUNDS" "$(ratio "${e_sum[$pol]}" "${e_sum[spread]}")" \
					"$(awk -v a="${l_sum[$pol]}" -v b="${l_sum[spread]}" 'BEGIN { printf "%.1f", b ? 100 * (1 - a / b) : 0 }')"
			done
		fi
		unset e_sum l_sum
	done
fi
if want stressng; then
	echo 500 >$FOLD_SYS/interval_ms
	echo "stress-ng: 2 workers x 20 % per partition (10 ms slices; wall-clock duty cycle), interval 500 ms"
	printf "  %-12s %9s %9s %8s %10s %10s %6s\n" policy energy_mJ vs_spread sock1_busy% \
		part_busy% bogo_ops lost%
	for pol in spread fold-nopack corefold; do
		setup "$pol"
		for p in web db; do
			sh -c "cd /tmp && echo \$\$ >$CG/$p/cgroup.procs && exec stress-ng --cpu 2 \
				--cpu-load 20 --cpu-load-slice 10 -t $((T + 5)) --metrics-brief" \
				>"$W/sng.$p" 2>&1 &
			pids+=($!)
		done
		sleep 5
		measure "$T"
		wait "${pids[@]}" 2>/dev/null
		pids=()
		ops=$(cat "$W/sng.web" "$W/sng.db" |
			awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ { s += $5 } END { print s + 0 }')
		[ "$pol" = spread ] && e_sp=$R_E ops_sp=$ops
		printf "  %-12s %9s %9s %8s %10s %10s %6s\n" "$pol" "$R_E" "$(ratio "$R_E" "$e_sp")" \
			"$R_S1" "$R_PB" "$ops" \
			"$(awk -v a="$ops" -v b="$ops_sp" 'BEGIN { printf "%.1f", b ? 100 * (1 - a / b) : 0 }')"
	done
fi

# cyclictest_p99 ARGS: p99 wake-up latency (us) of one cyclictest thread in
# web, 1 ms interval, 3000 loops.
cyclictest_p99() {
	sh -c "echo \$\$ >$CG/web/cgroup.procs && exec cyclictest -q -m -t1 -i 1000 -l 3000 -h 20000 $*" \
		2>/dev/null | awk '/^[0-9]/ { n += $2; h[$1 + 0] += $2 }
		END { if (!n) { print "-"; exit }
		      for (i = 0; i <= 20000; i++) { t += h[i]; if (t >= 0.99 * n) { print i; exit } }
		      print 20001 }'
}

if want latency; then
	echo "--- wake-up latency: cyclictest in web (1 ms, 3000 loops), rt-app 20 % in both partitions, interval 100 ms"
	echo 100 >$FOLD_SYS/interval_ms
	rtapp_json 2000 -1 l-web >"$W/lweb.json"
	rtapp_json 2000 -1 l-db >"$W/ldb.json"
	for sched in "-p 80" ""; do
		sp=() cf=()
		for ((r = 0; r < 3; r++)); do
			for pol in spread corefold; do
				setup "$pol"
				rtapp_in web "$W/lweb.json"
				rtapp_in db "$W/ldb.json"
				if [ "$pol" = corefold ]; then
					wait_for 30 eval '[ "$(unfolded web)" = 2 ]' || echo "  (web not folded)"
				else
					sleep 2
				fi
				v=$(cyclictest_p99 $sched)
				f=$(unfolded web)
				stop_load
				[ "$pol" = spread ] && sp+=("$v") || cf+=("$v@$f")
			done
		done
		m_sp=$(printf '%s\n' "${sp[@]}" | pctl 50)
		m_cf=$(printf '%s\n' "${cf[@]%@*}" | pctl 50)
		printf "  %-11s p99 us: spread %s, corefold %s (web unfolded at the end: %s); median ratio %s\n" \
			"${sched:-SCHED_OTHER}" "${sp[*]}" "${cf[*]%@*}" "${cf[*]#*@}" "$(ratio "$m_cf" "$m_sp")"
	done
	echo "  (-p 80 = SCHED_FIFO 80; unfolded CPUs carry a $(cat $FOLD_SYS/latency_us) us resume-latency request)"
	echo "  rt-app pLoad $PLOAD ns per loop"
fi

# The tracefs instance the step and hold sections read.
trace_on() {	# trace_on EVENT...
	local e
	[ -d $TI ] || mkdir $TI
	echo 0 >$TI/tracing_on
	echo mono >$TI/trace_clock
	echo 8192 >$TI/buffer_size_kb
	echo >$TI/trace
	for e in "$@"; do echo 1 >"$TI/events/$e/enable"; done
	echo 1 >$TI/tracing_on
}
trace_off() {
	echo 0 >$TI/tracing_on
	echo 0 >$TI/events/enable
	echo 0 >$TI/events/sched/sched_switch/filter 2>/dev/null
}

# stopped_loop: a busy loop in web, stopped before it spins; pid in LOOP.
stopped_loop() {
	sh -c "echo \$\$ >$CG/web/cgroup.procs; kill -STOP \$\$; exec sh -c 'while :; do :; done'" &
	LOOP=$!
}
is_stopped() { grep -q '^State:.*T' "/proc/$1/status"; }

# balance_moves TRACE MECH: per step with an unfold decision, ms from the
# decision to the agent's report that the cpuset is written (corefold_apply)
# and to the first migration of a step loop to CPU 6, the kind of balance
# that made it (the last sched_balance_rq on the migrating CPU: idle =
# periodic or nohz balance of an idle CPU, newidle = a CPU about to go
# idle, busy = a busy CPU's periodic balance; none = a wake-up placed it),
# and the balances run for CPU 6 in between, by kind, as tries/moved
# something (a kretprobe gives sched_balance_rq's count of tasks moved).
balance_moves() {
	printf "  %-8s decision -> applied -> a loop moved to CPU 6 (ms, by which balance; CPU 6's balances before it, tries/moved):\n" "$2"
	awk '
	function ts(   i) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return $i + 0; return -1 }
	function col(   i) { for (i = 1; i <= NF; i++) if ($i ~ /^\[[0-9]+\]$/) return $i; return "" }
	function num(key) { return match($0, key "=-?[0-9]+") ? substr($0, RSTART + length(key) + 1, RLENGTH - length(key) - 1) + 0 : -1 }
	function tries(   k, o) { o = ""; for (k = 0; k < 3; k++) if (nt[k]) o = o sprintf(" %s %d/%d", kind[k], nt[k], nm[k]); return o == "" ? " none" : o }
	BEGIN { kind[0] = "busy"; kind[1] = "idle"; kind[2] = "newidle" }
	/tracing_mark_write: bench step/ { st = 1; dec = app = -1; done = 0; split("", last); split("", pend)
		split("", nt); split("", nm)
		match($0, /pids=[0-9]+,[0-9]+/); split(substr($0, RSTART + 5, RLENGTH - 5), pid, ","); next }
	/tracing_mark_write: bench drop/ { if (st && dec >= 0 && !done) out[++n] = "- (6:" tries() ")"; st = 0; next }
	!st { next }
	/corefold_unfold: part=web/ && dec < 0 { dec = ts(); next }
	/corefold_apply: part=web .*kind=unfold/ && dec >= 0 && app < 0 { app = ts(); next }
	/ bal: / { k = num("idle"); last[col()] = kind[k]; pend[col()] = num("cpu") == 6 && dec >= 0 && !done ? k : -1; next }
	/ balr: / { k = col() in pend ? pend[col()] : -1; delete pend[col()]
		if (k >= 0) { nt[k]++; if (num("moved") > 0) nm[k]++ }; next }
	/sched_migrate_task:/ && dec >= 0 && !done && / dest_cpu=6/ {
		p = num("pid")
		if (p != pid[1] && p != pid[2]) next
		k = col() in last ? last[col()] : "none"
		out[++n] = sprintf("%s %.1f %s (6:%s)", app < 0 ? "-" : sprintf("%.1f", 1000 * (app - dec)),
				   1000 * (ts() - dec), k, tries()); done = 1 }
	END { for (i = 1; i <= n; i++) printf "    %s\n", out[i]; if (!n) print "    (no step with a decision)" }' "$1"
}

# step MECH: web at 20 % (rt-app, 2 threads), db idle, both folding; per
# step, once web is folded and has stayed so 3 s, two busy loops started
# stopped are continued (a step to 90 %+ of web's two CPUs without the
# cost of starting a process under TCG); 2 s later they stop. Times come
# from the trace afterwards.
step() {
	local mech=$1 i b1 b2 f tries=0
	setup corefold
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
	echo "$mech" >$FOLD_SYS/mechanism
	lparctl fold enable web >/dev/null
	lparctl fold enable db >/dev/null
	rtapp_json 2000 -1 s-web >"$W/sweb.json"
	rtapp_in web "$W/sweb.json"
	if [ "$BALANCE" = 1 ]; then
		# (x86-64 arguments: this_cpu, idle type)
		echo 'p:lparbench/bal sched_balance_rq cpu=%di:s32 idle=%cx:u32' >>$TR/kprobe_events
		echo 'r:lparbench/balr sched_balance_rq moved=$retval:s32' >>$TR/kprobe_events
		trace_on corefold sched/sched_switch sched/sched_migrate_task lparbench
	else
		trace_on corefold sched/sched_switch
	fi
	for ((i = 0; i < STEPS; i++)); do
		# The step's two loops are started (stopped) in web first, so
		# that starting them, not a step of corefold's, is not part of
		# the folded phase: under TCG a fresh process's first
		# milliseconds on web's one CPU can reach the high mark.
		stopped_loop
		b1=$LOOP
		stopped_loop
		b2=$LOOP
		wait_for 5 eval 'is_stopped $b1 && is_stopped $b2'
		# Each step starts from a fresh partition state: under TCG,
		# noise bursts during the 20 % phase would otherwise escalate
		# web's fold hold-off (oscillation damping) from step to step.
		# Unfolds never wait for the hold-off, so the step times do not
		# depend on it.
		lparctl fold disable web >/dev/null
		lparctl fold enable web >/dev/null
		if ! wait_for 30 eval '[ "$(unfolded web)" = 2 ]'; then
			echo "  step $i: web did not fold"
			kill -KILL $b1 $b2
			wait $b1 $b2 2>/dev/null
			continue
		fi
		sleep 3
		f=$(unfolded web)
		# Unfolded again by noise: try again, within a bound.
		if [ "$f" != 2 ]; then
			kill -KILL $b1 $b2
			wait $b1 $b2 2>/dev/null
			((++tries < STEPS)) && i=$((i - 1))
			continue
		fi
		echo "next_pid == $b1 || next_pid == $b2" >$TI/events/sched/sched_switch/filter
		echo "bench step $i folded=6 pids=$b1,$b2" >$TI/trace_marker
		kill -CONT $b1 $b2
		sleep 2
		kill $b1 $b2
		wait $b1 $b2 2>/dev/null
		echo "bench drop $i" >$TI/trace_marker
	done
	wait_for 30 eval '[ "$(unfolded web)" = 2 ]'
	trace_off
	cp $TI/trace "$W/trace-$mech"
	if [ "$BALANCE" = 1 ]; then
		echo '-:lparbench/bal' >>$TR/kprobe_events
		echo '-:lparbench/balr' >>$TR/kprobe_events
	fi
	# (from the copy: removing a kprobe event clears the buffer)
	[ -n "${FOLD_BENCH_KEEP:-}" ] && cp "$W/trace-$mech" "$FOLD_BENCH_KEEP/fold-trace-step-$mech.txt"
	stop_load
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
	# Per step: ms from the marker to the first run of the load, to the
	# unfold decision, to the apply (hotplug), to the first run of the
	# load on CPU 6; after the drop, to web's fold decision.
	awk '
	function ts(   i) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return $i + 0; return -1 }
	function cpu(   i) { for (i = 1; i <= NF; i++) if ($i ~ /^\[[0-9]+\]$/) return substr($i, 2, length($i) - 2) + 0; return -1 }
	function ms(t) { return t < 0 ? "-" : sprintf("%.1f", 1000 * (t - t0)) }
	function flush() { if (st == "up") printf "up %s %s %s %s\n", ms(run), ms(dec), ms(app), ms(act); }
	/tracing_mark_write: bench step/ { flush(); st = "up"; t0 = ts(); run = dec = app = act = -1; next }
	/tracing_mark_write: bench drop/ { flush(); st = "down"; t0 = ts(); fold = -1; next }
	st == "up" && /sched_switch:/ { t = ts(); if (run < 0) run = t; if (act < 0 && cpu() == 6) act = t; next }
	st == "up" && /corefold_unfold: part=web/ && dec < 0 { dec = ts(); next }
	st == "up" && /corefold_apply: part=web .*kind=unfold/ && app < 0 { app = ts(); next }
	st == "down" && /corefold_(fold|migrate|exchange): part=web/ && fold < 0 {
		fold = ts(); printf "down %s\n", ms(fold); next }
	END { flush() }' "$W/trace-$mech" >"$W/steps-$mech"
	printf "  %-8s per step, ms after the step (load runs / unfold decided / applied / load on the unfolded CPU):\n" "$mech"
	awk '$1 == "up" { k++; printf "%s%s / %s / %s / %s", k % 5 == 1 ? "    " : ", ", $2, $3, $4, $5
			  if (k % 5 == 0) print "" } END { if (k % 5) print "" }' "$W/steps-$mech"
	# A step without an unfold decision found web unfolded already (noise
	# unfolded it between the check and the step): it times nothing of
	# corefold's and is left out.
	n=$(awk '$1 == "up" && $3 == "-"' "$W/steps-$mech" | grep -c .)
	[ "$n" = 0 ] || printf "  %-8s %s step(s) without an unfold decision (web was unfolded already) left out\n" "$mech" "$n"
	printf "  %-8s web unfolded again within 3 s of folding before %s step(s) (noise; step retried)\n" "$mech" "$tries"
	for col in 3 5; do
		v=$(awk -v c=$col '$1 == "up" && $3 != "-" && $c != "-" { print $c - $2 }' "$W/steps-$mech")
		n=$(grep -c . <<<"$v")
		printf "  %-8s %s after the load first ran: p50 %s ms, p95 %s ms, max %s ms (%s steps)\n" "$mech" \
			"$([ $col = 3 ] && echo "unfold decision" || echo "needed cores active")" \
			"$(pctl 50 <<<"$v")" "$(pctl 95 <<<"$v")" "$(pctl 100 <<<"$v")" "$n"
	done
	[ "$BALANCE" = 1 ] && balance_moves "$W/trace-$mech" "$mech"
	v=$(awk '$1 == "down" && $2 != "-" { print $2 }' "$W/steps-$mech")
	printf "  %-8s fold decided after the drop: p50 %s ms, p95 %s ms, max %s ms (%s drops)\n" "$mech" \
		"$(pctl 50 <<<"$v")" "$(pctl 95 <<<"$v")" "$(pctl 100 <<<"$v")" "$(grep -c . <<<"$v")"
}

if want step; then
	echo "$STEP_MS" >$FOLD_SYS/interval_ms
	echo "--- step response: web 20 % -> 90 %+, ${STEPS} steps per mechanism, interval $STEP_MS ms"
	for mech in $STEP_MECHS; do
		step "$mech"
	done
	echo 100 >$FOLD_SYS/interval_ms
	echo cpuset >$FOLD_SYS/mechanism
	echo "  apply times per change (mechanism kind count mean_us max_us):"
	sed 's/^/    /' $FOLD_SYS/latency
fi

# exchange MECH: web and db folded without consolidation (web keeps its
# socket-0 thread, db its socket-1 one), then consolidation switched on:
# db's unfolded thread trades places with its folded one on socket 0.
exchange() {
	local x0
	echo "$1" >$FOLD_SYS/mechanism
	setup fold-nopack
	# 10 % a worker: db folds to one CPU and stays well below the high
	# mark there (the module reads a vCPU the host did not run as busy).
	pids+=($(load_in web --cpu 2 --cpu-load 10 --cpu-load-slice 10))
	pids+=($(load_in db --cpu 2 --cpu-load 10 --cpu-load-slice 10))
	wait_for 30 eval '[ "$(unfolded db)" = 7 ]' && echo "  $1: nopack: db on $(unfolded db)"
	x0=$(stat_of exchange)
	echo 1 >$FOLD_SYS/consolidate
	wait_for 30 eval '[ "$(unfolded db)" = 3 ]' && echo "  $1: packed: db on $(unfolded db)"
	echo "  $1: exchanges: $(($(stat_of exchange) - x0))"
	stop_load
	setup spread
}
if want exchange; then
	echo "--- exchange: consolidation switched on at run time (interval 500 ms)"
	echo 500 >$FOLD_SYS/interval_ms
	exchange cpuset
	exchange hotplug
	echo cpuset >$FOLD_SYS/mechanism
	echo 1 >$FOLD_SYS/consolidate
	echo "  apply times per change (mechanism kind count mean_us max_us):"
	sed 's/^/    /' $FOLD_SYS/latency
fi

if want hold; then
	echo "--- load held at the low mark: rt-app 2 threads per partition, 5 s phases of 3.5..4.5 ms every 10 ms, ${HOLD} s, interval 100 ms"
	echo 100 >$FOLD_SYS/interval_ms
	setup corefold
	# The same random phases for the VM (rt-app) and the simulator (CSV,
	# one row per 100 ms interval, percent of each partition CPU).
	phases=()
	for ((i = 0; i < HOLD / 5; i++)); do phases+=($((3500 + RANDOM % 1001))); done
	{
		printf '{ "global": { "duration": %d, "calibration": %d, "logdir": "%s",\n' \
			"$HOLD" "$PLOAD" "$W"
		printf '  "log_basename": "h", "log_size": 16 },\n'
		printf '  "tasks": { "t": { "instance": 2, "loop": -1, "phases": {'
		for ((i = 0; i < ${#phases[@]}; i++)); do
			printf '%s "p%d": { "loop": 500, "run": %d, "timer": { "ref": "tick", "period": 10000 } }' \
				"$([ $i -gt 0 ] && echo ,)" $i "${phases[i]}"
		done
		printf ' } } } }\n'
	} >"$W/hold.json"
	printf '%s\n' "${phases[@]}" | awk 'BEGIN { print "time_s,web,db" }
		{ v = $1 / 100; for (k = 0; k < 50; k++) { printf "%.1f,%.1f,%.1f\n", t / 10, v, v; t++ } }' \
		>"$W/hold.csv"
	trace_on corefold
	o0=$(stat_of overhead_ns)
	a0=$(awk '{ print $14 + $15 }' /proc/$agent/stat)
	s0=$(stat_all "2 3 6 7")
	t0=$(date +%s%N)
	rtapp_in web "$W/hold.json"
	rtapp_in db "$W/hold.json"
	# The module's reading of the partitions (mean per CPU, %) every 2 s:
	# the marks apply to it, and under TCG it is not the load offered.
	while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
		lparctl -j fold show | jq '.[] | .load / ([.cpus | split(",")[] |
			if test("-") then (split("-") | map(tonumber) | .[1] - .[0] + 1) else 1 end] | add) / 10'
		sleep 2
	done >"$W/hold.load"
	wait "${pids[@]}" 2>/dev/null
	pids=()
	t1=$(date +%s%N)
	s1=$(stat_all "2 3 6 7")
	trace_off
	[ -n "${FOLD_BENCH_KEEP:-}" ] && cp $TI/trace "$FOLD_BENCH_KEEP/fold-trace-hold.txt"
	wall=$((t1 - t0))
	mins=$(awk -v w=$wall 'BEGIN { printf "%.2f", w / 6e10 }')
	# One pass over the decisions: a cycle is a partition's unfold after
	# a fold or migrate of it (a migrate folds a core whose socket is left
	# with none of the partition); a fold's lifetime runs from the fold (or
	# migrate) to the unfold that undid it ("L part seconds reason" lines).
	awk '/corefold_(fold|unfold|exchange|migrate): part=/ {
			match($0, /part=[^ ]+/); p = substr($0, RSTART + 5, RLENGTH - 5); d++
			match($0, / [0-9]+\.[0-9]+:/); t = substr($0, RSTART + 1, RLENGTH - 2)
			match($0, /reason=[a-z]+/); r = substr($0, RSTART + 7, RLENGTH - 7)
			if ($0 ~ /corefold_(fold|migrate):/) { if (!(p in at)) at[p] = t }
			else if ($0 ~ /corefold_unfold:/ && (p in at)) {
				c++; pc[p]++; printf "L %s %.1f %s\n", p, t - at[p], r; delete at[p] } }
		END { for (p in pc) if (pc[p] > m) m = pc[p]; print "C", c + 0, d + 0, m + 0 }' \
		$TI/trace >"$W/hold.cycles"
	read -r _ cyc dec pmax <<<"$(grep '^C ' "$W/hold.cycles")"
	echo "  VM: $cyc fold/unfold cycles, $dec decisions in $mins min: $(awk -v c=$cyc -v m=$mins 'BEGIN { printf "%.2f", c / m }') cycles a minute" \
		"for the two partitions; the partition with the most: $pmax, $(awk -v c=$pmax -v m=$mins 'BEGIN { printf "%.2f", c / m }') a minute"
	grep '^L ' "$W/hold.cycles" | sort -k3 -n | awk '{ n++; l[n] = $3; r[$4]++ } END { if (!n) exit
			printf "  fold lifetimes (s, fold to the unfold that undid it): n %d, min %.1f, median %.1f, max %.1f; undone by", n, l[1], l[int((n + 1) / 2)], l[n]
			for (k in r) printf " %s %d", k, r[k]; print "" }'
	lparctl -j fold show | jq -c '.[] | {name, folds, unfolds, exchanges, migrates}' | sed 's/^/    /'
	read -r pb st <<<"$(awk -v a="$s0" -v b="$s1" 'BEGIN { split(a, x); split(b, y)
		t = (y[1] - x[1]) + (y[2] - x[2]) + (y[3] - x[3]); if (!t) t = 1
		printf "%.1f %.1f\n", 100 * (y[1] - x[1]) / t, 100 * (y[3] - x[3]) / t }')"
	off=$(printf '%s\n' "${phases[@]}" | awk '{ s += $1 } END { printf "%.1f", s / NR / 100 }')
	read -r loops inflation <<<"$(rtapp_loops h)"
	echo "  the module's reading (every 2 s, per partition CPU): $(sort -n "$W/hold.load" | awk '{ v[NR] = $1; s += $1 }
		END { if (NR) printf "mean %.1f %%, p10 %.1f %%, p90 %.1f %%", s / NR, v[int(NR / 10) + 1], v[int(NR * 9 / 10) + 1] }'), low mark $(($(cat $FOLD_SYS/low) / 10)) %"
	echo "  offered $off % of each partition CPU (40 % +- 5 %); /proc/stat busy of CPUs 2,3,6,7: $pb %, steal $st %; rt-app run/calibrated $inflation"
	tick=$(getconf CLK_TCK)
	echo "  module interval work: $(awk -v o=$(($(stat_of overhead_ns) - o0)) -v w=$wall 'BEGIN { printf "%.4f", 100 * o / w }') % of one CPU;" \
		"agent (lparctl fold agent): $(awk -v a=$(($(awk '{ print $14 + $15 }' /proc/$agent/stat) - a0)) -v t=$tick -v w=$wall \
			'BEGIN { printf "%.4f", 100 * a / t * 1e9 / w }') % of one CPU"
	"$SIM" -j --topo 2x2x2 --interval 100 "$W/hold.csv" | jq -r '.policies[] | select(.name != "spread") |
		"  simulator, same phases (2x2x2, 100 ms): \(.name): \(.count_cycles) cycles, \(.count_changes) changes, energy \(.energy_vs_spread_ppm / 1e6) x spread"'
	"$SIM" -j --topo 2x2x2 --interval 100 --hold-max 0 "$W/hold.csv" | jq -r '.policies[] | select(.name == "corefold") |
		"  simulator, same phases, damping off (--hold-max 0): \(.count_cycles) cycles, \(.count_changes) changes"'
fi
