#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make fuzz` (tools/testing/fuzz/fuzz.sh boots the VM
# with it): netlink fuzzing for 60% of DURATION with sysfs read in a loop,
# device fuzzing for 40% (over partitions made for it while another comes
# and goes and one loses and regains a CPU), CYCLES unload/load cycles per
# module under load, then, in the debug flavour, the fault-injection pass,
# then kmemleak. Logs go to the
# results share; the figures are printed at the end.
#
# usage: vm-fuzz.sh DURATION SEED CYCLES [PROBS [PHASES]]
#        PHASES: some of "netlink devices unload faults" (default: all;
#        DURATION is shared by netlink and devices as 60/40 when both run)
. "$(dirname "$0")/lib.sh"
DURATION=${1:-600}
SEED=${2:-1}
CYCLES=${3:-100}
export FZ_PROBS=${4:-"100 25 5"}
PHASES=${5:-"netlink devices unload faults"}
has() { [[ " $PHASES " == *" $1 "* ]]; }
NL_SECS=$((DURATION * 6 / 10)) DEV_SECS=$((DURATION * 4 / 10))
has devices || NL_SECS=$DURATION
has netlink || DEV_SECS=$DURATION
OUT=${LPAR_OUT:-/mnt/out}
rc=0

"$FZ_ROOT/tools/vm/load.sh" || exit 1
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
fz_new_splats >/dev/null
fz_fixtures_up

if has netlink; then
	echo "== netlink: $NL_SECS s, seed $SEED"
	fz_sysfs_reader &
	reader=$!
	"$FZ_BIN/nlfuzz" --seed "$SEED" --jobs 3 --duration $NL_SECS "${FZ_FDS[@]}" |
		tee "$OUT/nlfuzz.log"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	kill $reader
fi

if has devices; then
	echo "== devices: $DEV_SECS s, seed $SEED"
	fz_parts_up || rc=1
	(
		while :; do
			lparctl create fzchurn --cpus 7 --memory 1M >/dev/null 2>&1
			lparctl set fzdev0 --cpus 1 >/dev/null 2>&1
			sleep 0.2
			lparctl delete fzchurn >/dev/null 2>&1
			lparctl set fzdev0 --cpus 1-2 >/dev/null 2>&1
		done
	) &
	churn=$!
	"$FZ_BIN/devfuzz" --seed "$SEED" --duration $DEV_SECS | tee "$OUT/devfuzz.log"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	kill $churn
	wait $churn 2>/dev/null
	lparctl delete fzchurn >/dev/null 2>&1
	fz_parts_down
fi
fz_fixtures_down

if has unload; then
	echo "== unload/load: $CYCLES cycles per module"
	"$FZ_BIN/loadunload.sh" "$CYCLES" | tee "$OUT/loadunload.tap"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi

if has faults && [ -d /sys/kernel/debug/failslab ]; then
	echo "== fault injection"
	"$FZ_BIN/faultinject.sh" | tee "$OUT/faultinject.tap"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi

echo "== kmemleak"
if fz_kmemleak_clean >"$OUT/kmemleak.txt"; then
	echo "kmemleak: clean"
else
	cat "$OUT/kmemleak.txt"
	rc=1
fi
"$FZ_ROOT/tools/vm/load.sh" -u
exit $rc
