#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency: writers create, change and delete partitions in parallel
# (10,000 operations in all) while readers dump and a monitor listens; at
# the end no partition, id, CPU or sysfs directory is left behind and every
# partition can be created again. Then lpar.ko is unloaded and reloaded
# while a dump loop runs. Run under the debug flavour, lockdep and KASAN
# and kmemleak watch all of it.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
WRITERS=4
OPS=${LPAR_STRESS_OPS:-10000}
per=$((OPS / WRITERS / 4))	# each round is create, set cpus, set budget, delete

writer() {
	local w=$1 i fails=0
	for ((i = 0; i < per; i++)); do
		lparctl create "s$w-$((i % 3))" --memory 1M >/dev/null 2>&1 || fails=$((fails + 1))
		lparctl set "s$w-$((i % 3))" --cpus "$w" >/dev/null 2>&1 || fails=$((fails + 1))
		lparctl set "s$w-$((i % 3))" --memory 2M >/dev/null 2>&1 || fails=$((fails + 1))
		lparctl delete "s$w-$((i % 3))" >/dev/null 2>&1 || fails=$((fails + 1))
	done
	echo "$fails" >/tmp/stress.w$w
}
reader() {
	while [ ! -e /tmp/stress.stop ]; do
		lparctl -j list >/dev/null || echo dumpfail >>/tmp/stress.readers
	done
}

rm -f /tmp/stress.*
lparctl -j monitor >/tmp/stress.events &
mon=$!
reader & r1=$!
reader & r2=$!
start=$(date +%s)
pids=()
for ((w = 0; w < WRITERS; w++)); do
	writer $w &
	pids+=($!)
done
wait "${pids[@]}"
touch /tmp/stress.stop
wait $r1 $r2
sleep 0.5
kill $mon; wait $mon 2>/dev/null
echo "# $OPS operations in $(($(date +%s) - start)) s"

t_eq "every writer operation succeeded" "0 0 0 0" "$(cat /tmp/stress.w0 /tmp/stress.w1 /tmp/stress.w2 /tmp/stress.w3 | xargs)"
t_true "every concurrent dump succeeded" test ! -s /tmp/stress.readers
t_eq "no partition left" 0 "$(lparctl -j list | jq length)"
t_eq "no sysfs directory left" "" "$(ls /sys/kernel/lpar)"
t_eq "monitor saw as many creates as deletes" \
	"$(grep -c '"create"' /tmp/stress.events)" "$(grep -c '"delete"' /tmp/stress.events)"
t_eq "monitor saw every create" $((OPS / 4)) "$(grep -c '"create"' /tmp/stress.events)"
t_ok "all CPUs are free again" lparctl create all --cpus 0-$(($(nproc) - 1))
t_ok "and the names too" sh -c 'for w in 0 1 2 3; do lparctl create s$w-0 || exit 1; done'
ids=$(lparctl -j list | jq -r '.[].id' | sort -n | xargs)
t_true "ids stay unique" test "$(tr ' ' '\n' <<<"$ids" | sort -u | wc -l)" -eq 5

# Unload with partitions present, reload, repeatedly, while dumps run.
reader_nofail() { while [ ! -e /tmp/stress.stop2 ]; do lparctl -j list >/dev/null 2>&1; done; }
reader_nofail & r3=$!
fails=0
for i in $(seq 20); do
	lparctl create "r$i" --cpus 7 >/dev/null 2>&1
	# A dump in flight pins the module; rmmod is non-blocking, so retry.
	for try in $(seq 100); do rmmod lpar 2>/dev/null && break; sleep 0.05; done
	grep -q '^lpar ' /proc/modules && fails=$((fails + 1))
	insmod "$ROOT/lpar_core/lpar.ko" || fails=$((fails + 1))
done
touch /tmp/stress.stop2
wait $r3
t_eq "20 unload/reload cycles with partitions and a dump running" 0 "$fails"
t_eq "a reloaded module starts empty" 0 "$(lparctl -j list | jq length)"
