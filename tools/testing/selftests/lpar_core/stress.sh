#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency: four writer processes create, change and delete partitions
# in parallel (10,000 requests in all) while two readers dump and a
# monitor listens; at the end no partition, CPU, name or sysfs directory
# is left behind. Then lpar.ko is unloaded and reloaded, with partitions
# present, while a dump loop runs. Under the debug flavour lockdep, KASAN
# and kmemleak watch all of it.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
load=$ROOT/tools/testing/lpar-load
OPS=${LPAR_STRESS_OPS:-10000}

lparctl -j monitor part >/tmp/stress.events &
mon=$!
sleep 0.5
t_ok "$OPS requests from 4 writers with 2 dumping readers, none failed" $load stress 4 "$OPS"
sleep 0.5
kill $mon
wait $mon 2>/dev/null

t_eq "no partition left" 0 "$(lparctl -j list | jq length)"
# The suite's modules own these names under /sys/kernel/lpar (rules.c).
t_eq "no sysfs directory left" "" "$(ls /sys/kernel/lpar | grep -vx -e adjunct -e ckpt -e corefold -e hwt)"
t_eq "monitor saw every create" $((OPS / 4)) "$(grep -c '"create"' /tmp/stress.events)"
t_eq "monitor saw every delete" $((OPS / 4)) "$(grep -c '"delete"' /tmp/stress.events)"
t_eq "monitor saw every change" $((OPS / 2)) "$(grep -c '"change"' /tmp/stress.events)"
t_ok "all CPUs are free again" lparctl create all --cpus 0-$(($(nproc) - 1))
t_ok "and the names too" sh -c 'for w in 0 1 2 3; do lparctl create s$w-0 || exit 1; done'
t_eq "ids stay unique" 5 "$(lparctl -j list | jq -r '.[].id' | sort -u | wc -l)"
t_ok "clean up" $load drain

# Unload with partitions present, reload, repeatedly, while dumps run.
touch /tmp/stress.run
(while [ -e /tmp/stress.run ]; do lparctl -j list >/dev/null 2>&1; done) &
dumper=$!
fails=0
for i in $(seq 20); do
	lparctl create "r$i" --cpus 7 >/dev/null 2>&1
	# A dump in flight pins the module; rmmod does not wait, so retry.
	# The extension modules go first: they depend on lpar.ko.
	for try in $(seq 100); do "$ROOT/tools/vm/load.sh" -u 2>/dev/null && break; sleep 0.05; done
	grep -q '^lpar ' /proc/modules && fails=$((fails + 1))
	"$ROOT/tools/vm/load.sh" || fails=$((fails + 1))
done
rm /tmp/stress.run
wait $dumper
t_eq "20 unload/reload cycles with a partition and a dump running" 0 "$fails"
t_eq "a reloaded module starts empty" 0 "$(lparctl -j list | jq length)"
