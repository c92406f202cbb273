#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload under load: each module of tools/vm/load.sh is removed and loaded
# again CYCLES times (default 100) while netlink traffic (valid requests
# and dumps of every family, families looked up again as they come and
# go), reads of every /dev/lpar_* node and of the sysfs files run in the
# background. Removing a module removes the ones that depend on it (its
# holders in /sys/module, i.e. lpar's extensions for lpar) first, and
# loads them again after it; the other modules stay loaded. Passes when every cycle unloads
# (rmmod may wait for in-flight users) and loads, the background
# processes survive, and no splat is logged.
#
# usage: loadunload.sh [CYCLES]       (TAP on stdout)
. "$(dirname "$0")/lib.sh"
. "$FZ_ROOT/tools/testing/selftests/lib.sh"

CYCLES=${1:-100}
mapfile -t PATHS <<<"$(fz_module_paths)"
"$FZ_ROOT/tools/vm/load.sh"
fz_new_splats >/dev/null
fz_fixtures_up

"$FZ_BIN/nlfuzz" --traffic --seed 11 --duration 100000 "${FZ_FDS[@]}" >/tmp/fz-traffic.log 2>&1 &
traffic=$!
"$FZ_BIN/devfuzz" --reads --seed 12 --duration 100000 >/tmp/fz-reads.log 2>&1 &
reads=$!
fz_sysfs_reader &
reader=$!

# rmmod, retried while the module is busy (a dump or an open node pins it).
unload() {
	local m=$1 i
	for ((i = 0; i < 3000; i++)); do
		grep -q "^$m " /proc/modules || return 0
		rmmod "$m" 2>/dev/null && return 0
		sleep 0.01
	done
	echo "# rmmod $m: still busy after 30 s: $(grep "^$m " /proc/modules)"
	return 1
}

# chain M: M's index in PATHS and those of the suite's modules that hold it,
# in load order (a module's holders come after it in load.sh's list).
chain() {
	local j n
	for ((j = 0; j < ${#PATHS[@]}; j++)); do
		n=$(basename "${PATHS[j]}")
		[ "$n" = "$1" ] || [ -e "/sys/module/$1/holders/$n" ] && echo "$j"
	done
}

for ((i = 0; i < ${#PATHS[@]}; i++)); do
	m=$(basename "${PATHS[i]}")
	# (no process substitution: the test VM has no /dev/fd)
	read -ra C <<<"$(chain "$m" | paste -sd' ')"
	ok=0 t0=$(date +%s)
	for ((c = 0; c < CYCLES; c++)); do
		for ((j = ${#C[@]} - 1; j >= 0; j--)); do
			unload "$(basename "${PATHS[C[j]]}")" || break 2
		done
		for ((j = 0; j < ${#C[@]}; j++)); do
			insmod "$FZ_ROOT/${PATHS[C[j]]}.ko" || break 2
		done
		ok=$((ok + 1))
		[ $((ok % 10)) -ne 0 ] || echo "# $m: $ok cycles, $(($(date +%s) - t0)) s"
	done
	[ ${#C[@]} -gt 0 ] || ok=0	# the module itself is always in its chain
	t_eq "$m: $CYCLES unload/load cycles under traffic, ${#C[@]} module(s) each ($(($(date +%s) - t0)) s)" "$CYCLES" "$ok"
	"$FZ_ROOT/tools/vm/load.sh"
done

kill "$traffic" "$reads" "$reader"
wait "$traffic"
rc1=$?
wait "$reads"
rc2=$?
# Both finish cleanly on SIGTERM; anything else means they died on their own.
t_eq "netlink traffic survived every unload ($(sed -n 's/^# traffic: //p' /tmp/fz-traffic.log))" 0 "$rc1"
t_eq "device reads survived every unload ($(sed -n 's/^# \([0-9]*\) device operations.*/\1 reads/p' /tmp/fz-reads.log))" 0 "$rc2"
fz_parts_down
fz_fixtures_down
if splat=$(fz_new_splats); then
	t_result 1 "no kernel splat" "$splat"
else
	t_result 0 "no kernel splat"
fi
