#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# corefold benchmark, run in the test VM by make bench. Side by side, in
# the same run, with the two baselines of issue 9:
#   spread       no folding (partitions enabled off: the scheduler spreads)
#   fold-nopack  folding without consolidation (consolidate = 0)
#   corefold     folding with consolidation (the default)
# 1. Simulator (tools/corefold-sim, same policy and power model): energy
#    ratios on the sample traces, including the Alibaba-format sample.
# 2. VM, partitions web (2,6) and db (3,7): a hardware thread on each
#    socket each, the bench's own shell on 0-1; cpuset mechanism with the
#    agent; 500 ms interval (under TCG on a busy host shorter samples read
#    vCPUs the host did not run as busy): stress-ng at 20 % and 70 % per
#    CPU (10 ms load slices) and rt-app duty-cycle
#    threads at 20 %; per run the modeled energy (module's power model over
#    the measured /proc/stat utilization), socket-1 busy time from
#    /proc/stat, throughput (stress-ng bogo ops), decisions.
# 3. Time to unfold after a 20 -> 90 % step and to consolidate again after
#    the drop, cpuset and hotplug mode, at the default 100 ms interval;
#    an exchange; per-change apply times (latency
#    file); cyclictest wake-up latency p99 spread vs corefold; load held at
#    the low mark (changes per minute); module overhead.
# Ratios are printed; nothing is asserted (no timed assertions).
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/tools/testing/selftests/corefold/fold-lib.sh"
export PATH="$ROOT/tools/lparctl:$PATH"
SIM=$ROOT/tools/corefold-sim/corefold-sim
T=${FOLD_BENCH_SECS:-20}
STEPS=${FOLD_BENCH_STEPS:-5}
HOLD=${FOLD_BENCH_HOLD:-60}
pids=()
agent=

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
energy() { awk '/^total/ { print $2 }' $FOLD_SYS/sockets; }
stat_of() { awk -v k="$1" '$1 == k { print $2 }' $FOLD_SYS/stats; }
stop_load() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
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
	rmdir $CG/web $CG/db 2>/dev/null
	host_back
}
trap cleanup EXIT

echo "--- simulator (2 x Xeon Gold 6148, 1 s intervals; energy vs spread)"
[ -x "$SIM" ] || make -s -C "$ROOT/tools/corefold-sim" >/dev/null
printf "%-16s %8s %12s %10s %8s %8s\n" trace demand% fold-nopack corefold lost% changes
for t in flat20 flat70 diurnal bursty step threshold alibaba-sample; do
	"$SIM" -j "$ROOT/tools/corefold-sim/traces/$t.csv" | jq -r --arg t "$t" '
		(.policies | map({(.name): .}) | add) as $p |
		[$t, (.mean_demand_ppm / 10000 | floor),
		 ($p["fold-nopack"].energy_vs_spread_ppm / 1e6),
		 ($p.corefold.energy_vs_spread_ppm / 1e6),
		 ($p.corefold.lost_ppm / 1e4), $p.corefold.count_changes] | @tsv' |
		awk -F'\t' '{ printf "%-16s %8s %12.3f %10.3f %8.2f %8s\n", $1, $2, $3, $4, $5, $6 }'
done
echo "VM topology (--topo 2x2x2, flat20):"
"$SIM" -j --topo 2x2x2 "$ROOT/tools/corefold-sim/traces/flat20.csv" |
	jq -r '.policies[] | "  \(.name) \(.energy_vs_spread_ppm / 1e6)"'

echo "--- VM: web 2,6 and db 3,7, cpuset mechanism, interval 500 ms, ${T} s per run"
echo 500 >$FOLD_SYS/interval_ms
host_aside
part_up web 2,6 && part_up db 3,7 || { echo "cannot create partitions"; exit 1; }
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

# run POLICY LOADARGS: settles 5 s, then measures $T s.
run() {
	local pol=$1 load=$2 e0 e1 i0 i1 o0 o1 s1 ops t0 t1 d0 d1
	setup "$pol"
	local f=$(mktemp)
	sh -c "cd /tmp && echo \$\$ >$CG/web/cgroup.procs &&
		exec stress-ng $load -t $((T + 5)) --metrics-brief" >"$f.web" 2>&1 &
	pids+=($!)
	sh -c "cd /tmp && echo \$\$ >$CG/db/cgroup.procs &&
		exec stress-ng $load -t $((T + 5)) --metrics-brief" >"$f.db" 2>&1 &
	pids+=($!)
	sleep 5
	e0=$(energy)
	i0=$(stat_of intervals)
	o0=$(stat_of overhead_ns)
	d0=$(($(stat_of fold) + $(stat_of unfold) + $(stat_of exchange) + $(stat_of migrate)))
	t0=$(date +%s%N)
	s1=$(busy_pct "4 5 6 7" "$T")
	t1=$(date +%s%N)
	e1=$(energy)
	i1=$(stat_of intervals)
	o1=$(stat_of overhead_ns)
	d1=$(($(stat_of fold) + $(stat_of unfold) + $(stat_of exchange) + $(stat_of migrate)))
	wait "${pids[@]}" 2>/dev/null
	pids=()
	ops=$(cat "$f.web" "$f.db" | awk '$4 == "cpu" && $5 ~ /^[0-9]+$/ { s += $5 } END { print s + 0 }')
	rm -f "$f" "$f.web" "$f.db"
	R_E=$(((e1 - e0) / 1000))	# mJ
	R_S1=$s1
	R_OPS=$ops
	R_DEC=$((d1 - d0))
	R_OVH=$(awk -v o=$((o1 - o0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", 100 * o / t }')
}

table() {	# table TITLE LOADARGS
	local pol e_sp ops_sp
	echo "$1"
	printf "  %-12s %10s %9s %12s %10s %6s %10s\n" policy energy_mJ vs_spread socket1_busy% \
		bogo_ops lost% decisions
	for pol in spread fold-nopack corefold; do
		run "$pol" "$2"
		[ "$pol" = spread ] && e_sp=$R_E ops_sp=$R_OPS
		printf "  %-12s %10s %9s %12s %10s %6s %10s\n" "$pol" "$R_E" "$(ratio "$R_E" "$e_sp")" \
			"$R_S1" "$R_OPS" \
			"$(awk -v a="$R_OPS" -v b="$ops_sp" 'BEGIN { if (b > 0) printf "%.1f", 100 * (1 - a / b); else print "-" }')" \
			"$R_DEC"
		[ "$pol" = corefold ] && echo "  module overhead during the corefold run: $R_OVH % of one CPU"
	done
}

table "stress-ng 2 workers x 20 % per partition" "--cpu 2 --cpu-load 20 --cpu-load-slice 10"
table "stress-ng 2 workers x 70 % per partition" "--cpu 2 --cpu-load 70 --cpu-load-slice 10"

# rt-app: 2 periodic threads per partition, 2 ms of work every 10 ms.
rtapp_json() {	# rtapp_json RUN_US [DURATION_S]: 2 threads, RUN_US of work every 10 ms
	cat <<JSON
{ "global": { "duration": ${2:--1}, "default_policy": "SCHED_OTHER", "calibration": "CPU0",
  "logdir": "/tmp" },
  "tasks": { "t": { "instance": 2, "loop": -1, "run": $1, "timer": { "ref": "tick", "period": 10000 } } } }
JSON
}
echo "rt-app: 2 threads x (2 ms every 10 ms) per partition"
rtapp_json 2000 $((T + 5)) >/tmp/fold-rtapp.json
for pol in spread fold-nopack corefold; do
	setup "$pol"
	sh -c "echo \$\$ >$CG/web/cgroup.procs && exec rt-app /tmp/fold-rtapp.json" >/dev/null 2>&1 &
	pids+=($!)
	sh -c "echo \$\$ >$CG/db/cgroup.procs && exec rt-app /tmp/fold-rtapp.json" >/dev/null 2>&1 &
	pids+=($!)
	sleep 5
	e0=$(energy)
	s1=$(busy_pct "4 5 6 7" "$T")
	e1=$(energy)
	stop_load
	[ "$pol" = spread ] && e_sp=$((e1 - e0))
	printf "  %-12s energy %10s mJ  vs spread %s  socket-1 busy %s %%\n" "$pol" \
		$(((e1 - e0) / 1000)) "$(ratio $((e1 - e0)) "$e_sp")" "$s1"
done

echo "cyclictest wake-up latency in web (1 thread, 1 ms interval, 4000 loops), 20 % load"
for pol in spread corefold; do
	setup "$pol"
	pids+=($(load_in web --cpu 2 --cpu-load 20 --cpu-load-slice 10))
	pids+=($(load_in db --cpu 2 --cpu-load 20 --cpu-load-slice 10))
	sleep 5
	p99=$(sh -c "echo \$\$ >$CG/web/cgroup.procs && exec cyclictest -q -t1 -i 1000 -l 4000 -h 20000" 2>/dev/null |
		awk '/^[0-9]/ { n += $2; h[$1 + 0] += $2 }
		     END { for (i = 0; i <= 20000; i++) { t += h[i]; if (n && t >= 0.99 * n) { print i; exit } }
			   print ">20000" }')
	stop_load
	printf "  %-12s p99 %s us\n" "$pol" "$p99"
	[ "$pol" = spread ] && p99_sp=$p99
done
echo "  p99 ratio corefold/spread: $(ratio "$p99" "$p99_sp")"

# step MECH: web at 20 % (rt-app, fixed work per period, 2 threads), then
# two busy loops that were started stopped are continued (a step to 90 %+
# of web's two CPUs without the cost of starting a process under TCG);
# time until every CPU of web is usable (cpuset.cpus widened by the agent,
# or the CPU online again), then the loops stop and the time until web is
# consolidated again.
step() {
	local mech=$1 i t0 t1 ups=() downs=() full=2,6 x b1 b2
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
	echo "$mech" >$FOLD_SYS/mechanism
	echo 1 >$FOLD_SYS/consolidate
	lparctl fold enable web >/dev/null
	rtapp_json 2000 >/tmp/fold-rtapp-step.json
	sh -c "cd /tmp && echo \$\$ >$CG/web/cgroup.procs && exec rt-app /tmp/fold-rtapp-step.json" \
		>/dev/null 2>&1 &
	pids+=($!)
	for ((i = 0; i < STEPS; i++)); do
		wait_for 30 eval '[ "$(unfolded web)" = 2 ]' || { echo "  no fold"; break; }
		sh -c "echo \$\$ >$CG/web/cgroup.procs; kill -STOP \$\$; while :; do :; done" &
		b1=$!
		sh -c "echo \$\$ >$CG/web/cgroup.procs; kill -STOP \$\$; while :; do :; done" &
		b2=$!
		sleep 1
		t0=$(date +%s%N)
		kill -CONT $b1 $b2
		if [ "$mech" = cpuset ]; then
			while read -r x <$CG/web/cpuset.cpus && [ "$x" != $full ]; do :; done
		else
			while read -r x </sys/devices/system/cpu/online && [ "$x" != 0-7 ]; do :; done
		fi
		t1=$(date +%s%N)
		ups+=($(((t1 - t0) / 1000000)))
		sleep 2
		kill $b1 $b2
		wait $b1 $b2 2>/dev/null
		t0=$(date +%s%N)
		wait_for 30 eval '[ "$(unfolded web)" = 2 ]'
		t1=$(date +%s%N)
		downs+=($(((t1 - t0) / 1000000)))
	done
	stop_load
	lparctl fold disable web >/dev/null
	printf "  %-8s unfold after the step, ms: %s (max %s)\n" "$mech" "${ups[*]}" \
		"$(printf '%s\n' "${ups[@]}" | sort -n | tail -1)"
	printf "  %-8s consolidated again after the drop, ms: %s\n" "$mech" "${downs[*]}"
}
echo 100 >$FOLD_SYS/interval_ms
echo "step response (web alone; ${STEPS} steps; interval $(cat $FOLD_SYS/interval_ms) ms)"
step cpuset
step hotplug
echo cpuset >$FOLD_SYS/mechanism

# exchange MECH: web and db folded without consolidation (web keeps its
# socket-0 thread, db its socket-1 one), then consolidation switched on:
# db's unfolded thread trades places with its folded one on socket 0.
exchange() {
	local x0
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
	echo "$1" >$FOLD_SYS/mechanism
	echo 0 >$FOLD_SYS/consolidate
	lparctl fold enable web >/dev/null
	lparctl fold enable db >/dev/null
	pids+=($(load_in web --cpu 2 --cpu-load 20 --cpu-load-slice 10))
	pids+=($(load_in db --cpu 2 --cpu-load 20 --cpu-load-slice 10))
	wait_for 30 eval '[ "$(unfolded db)" = 7 ]' && echo "  $1: nopack: db on $(unfolded db)"
	x0=$(stat_of exchange)
	echo 1 >$FOLD_SYS/consolidate
	wait_for 30 eval '[ "$(unfolded db)" = 3 ]' && echo "  $1: packed: db on $(unfolded db)"
	echo "  $1: exchanges: $(($(stat_of exchange) - x0))"
	stop_load
	lparctl fold disable web >/dev/null
	lparctl fold disable db >/dev/null
}
echo "exchange: consolidation switched on at run time (interval 500 ms)"
echo 500 >$FOLD_SYS/interval_ms
exchange cpuset
exchange hotplug
echo cpuset >$FOLD_SYS/mechanism
echo 1 >$FOLD_SYS/consolidate

echo "apply times per change (mechanism kind count mean_us max_us):"
sed 's/^/  /' $FOLD_SYS/latency

echo "load held at the low mark: rt-app 2 threads per partition, 5 s phases of 3.5..4.5 ms work every 10 ms, ${HOLD} s"
setup corefold
{
	printf '{ "global": { "duration": %d, "calibration": "CPU0", "logdir": "/tmp" },\n' "$HOLD"
	printf '  "tasks": { "t": { "instance": 2, "loop": -1, "phases": {'
	for ((i = 0; i < HOLD / 5; i++)); do
		printf '%s "p%d": { "loop": 500, "run": %d, "timer": { "ref": "tick", "period": 10000 } }' \
			"$([ $i -gt 0 ] && echo ,)" $i $((3500 + RANDOM % 1001))
	done
	printf ' } } } }\n'
} >/tmp/fold-rtapp-hold.json
for p in web db; do
	sh -c "cd /tmp && echo \$\$ >$CG/$p/cgroup.procs && exec rt-app /tmp/fold-rtapp-hold.json" \
		>/dev/null 2>&1 &
	pids+=($!)
done
sleep 5
d0=$(($(stat_of fold) + $(stat_of unfold) + $(stat_of exchange) + $(stat_of migrate)))
wait "${pids[@]}" 2>/dev/null
pids=()
d1=$(($(stat_of fold) + $(stat_of unfold) + $(stat_of exchange) + $(stat_of migrate)))
echo "  decisions: $((d1 - d0)) in $((HOLD - 5)) s ($(awk -v d=$((d1 - d0)) -v s=$((HOLD - 5)) 'BEGIN { printf "%.1f", 60 * d / s }') a minute)"
lparctl -j fold show | jq -c '.[] | {name, folds, unfolds, exchanges, migrates}' | sed 's/^/  /'
