#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The short, fixed-seed robustness run of `make check` (a few seconds; the
# long one is `make fuzz`): every netlink family present fuzzed from its
# spec as root, as nobody and as root of a user namespace (every mutating
# request refused there), every /dev/lpar_* node fuzzed, no splat, and the
# state afterwards is the state before.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../../fuzz/lib.sh"
SEED=20261125

fz_new_splats >/dev/null
fz_fixtures_up
before=$(fz_state)
out=$("$FZ_BIN/nlfuzz" --seed $SEED --count 6000 "${FZ_FDS[@]}" 2>&1)
rc=$?
t_result $rc "nlfuzz, seed $SEED: $(sed -n 's/^# \([0-9]* messages\) in.*/\1/p' <<<"$out") over \
$(grep -c 'present$' <<<"$out") families, no splat, no hang" "$(grep -E '^(FAIL|SPLAT)' -A12 <<<"$out")"
refused=$(sed -n 's/.* \([0-9]*\) unprivileged mutating requests refused/\1/p' <<<"$out")
t_true "unprivileged legs: every mutating request refused (${refused:-0} checked)" \
	[ "${refused:-0}" -gt 0 ]
t_eq "unprivileged legs changed nothing" 2 "$(grep -c '^ok: leg .*dumps unchanged' <<<"$out")"

fz_parts_up
out=$("$FZ_BIN/devfuzz" --seed $SEED --ops 6000 2>&1)
rc=$?
t_result $rc "devfuzz, seed $SEED: $(sed -n 's/^# \([0-9]* device operations in [0-9]* rounds over [0-9]* nodes\).*/\1/p' <<<"$out"), no splat" \
	"$(grep -E '^SPLAT' -A18 <<<"$out")"
fz_parts_down
fz_fixtures_down
t_eq "state after the fuzzers is the state before" "$before" "$(fz_state)"
if splat=$(fz_new_splats); then t_result 1 "no kernel splat" "$splat"; else t_result 0 "no kernel splat"; fi
