#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz`: builds the modules and tools for FLAVOUR (default debug:
# KASAN, lockdep, kmemleak, fault injection), boots the test VM with
# vm-fuzz.sh and prints the figures: messages fuzzed, device operations,
# fault-injection results, unload/load cycles, kernel reports.
#
# usage: [FLAVOUR=fast|debug] [DURATION=SEC] [SEED=N] [CYCLES=N] [FZ_PROBS=".."]
#        [PHASES="netlink devices unload faults"] fuzz.sh
#        (defaults: debug, 600 s, a random seed (printed), 100 cycles,
#        fault-injection probabilities "100 25 5" percent)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
FLAVOUR=${FLAVOUR:-debug}
DURATION=${DURATION:-600}
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
CYCLES=${CYCLES:-100}
PROBS=${FZ_PROBS:-100 25 5}
PHASES=${PHASES:-netlink devices unload faults}
OUT=${LPAR_FUZZ_OUT:-$ROOT/out/fuzz-$FLAVOUR}

KDIR=$("$ROOT/tools/vm/kernel.sh" "$FLAVOUR") || exit 1
make -C "$KDIR" M="$ROOT" clean >/dev/null 2>&1
mkdir -p "$OUT"
make -C "$KDIR" M="$ROOT" modules >"$OUT.build.log" 2>&1 || { tail -20 "$OUT.build.log"; exit 1; }
make -C "$ROOT/tools" >/dev/null || exit 1
echo "# fuzz: flavour $FLAVOUR, $DURATION s of fuzzing, seed $SEED, $CYCLES cycles; log in $OUT"
start=$(date +%s)
"$ROOT/tools/vm/run.sh" --flavour "$FLAVOUR" --quiet --timeout $((DURATION * 2 + 7200)) \
	--out "$OUT" "$ROOT/tools/testing/fuzz/vm-fuzz.sh" "$DURATION" "$SEED" "$CYCLES" "$PROBS" "$PHASES"
rc=$?

fig() { sed -n "$2" "$OUT/$1" 2>/dev/null | tail -1; }
echo "== figures ($FLAVOUR flavour, $(($(date +%s) - start)) s wall)"
echo "netlink:        $(fig nlfuzz.log 's/^# nlfuzz: //p')"
echo "                $(fig nlfuzz.log 's/^# \([0-9]* messages in .*\)/\1/p')"
grep -E '^#   ' "$OUT/nlfuzz.log" 2>/dev/null
echo "devices:        $(fig devfuzz.log 's/^# \([0-9]* device operations.*\)/\1/p')"
# (grep -c prints 0 and fails when nothing matches: no "|| echo 0")
count() { local n; n=$(grep -c "$1" "$OUT/$2" 2>/dev/null); echo "${n:-0}"; }
echo "fault inject:   $(count '^ok' faultinject.tap) ok," \
	"$(count '^not ok' faultinject.tap) not ok;" \
	"$(fig faultinject.tap 's/^# fault injection: //p')"
echo "unload/load:    $(grep -E '^(not )?ok.*cycles' "$OUT/loadunload.tap" 2>/dev/null | sed 's/^ok [0-9]* - //' | paste -sd';')"
reports=$(grep -cE 'KASAN:|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU|unreferenced object|WARNING:|BUG:' "$OUT/console.log")
echo "kernel reports: $reports (KASAN, lockdep, kmemleak, WARN, BUG in the console log)"
grep -E '^(not ok|FAIL|SPLAT)' "$OUT"/*.log "$OUT"/*.tap 2>/dev/null
[ $rc -eq 0 ] && echo "fuzz: PASS" || echo "fuzz: FAIL (run.sh exit $rc; console: $OUT/console.log)"
exit $rc
