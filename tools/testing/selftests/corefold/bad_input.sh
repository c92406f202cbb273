#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Refusals: lparctl fold usage errors exit 2, requests the kernel refuses
# exit 1 with its extack text, and sysfs writes that break a rule of the
# policy or the power model are refused and change nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fold-lib.sh"

cleanup() {
	lparctl delete empty 2>/dev/null
	t_done
}
trap cleanup EXIT

t_err "enable without a name is a usage error" 2 "missing partition NAME" lparctl fold enable
t_err "unknown fold command" 2 "fold: unknown command 'bogus'" lparctl fold bogus
t_err "agent takes no argument" 2 "unexpected argument" lparctl fold agent now
t_err "enable an unknown partition" 1 "no partition named nosuch" lparctl fold enable nosuch
t_err "show an unknown id" 1 "no partition with id 4242" lparctl fold show id 4242
t_ok "create a partition without CPUs" lparctl create empty
t_err "folding a partition with no CPUs is refused" 1 "partition empty has no CPUs to fold" \
	lparctl fold enable empty
t_eq "and it stays off" 0 "$(lparctl -j fold show empty | jq '.[0].enabled')"

refused() {	# refused FILE VALUE: the write fails and the file keeps its value
	local before
	before=$(cat "$FOLD_SYS/$1")
	! sh -c "echo '$2' >$FOLD_SYS/$1" 2>/dev/null && [ "$(cat "$FOLD_SYS/$1")" = "$before" ]
}
t_ok "low at or above high is refused" refused low 900
t_ok "high above burst is refused" refused high 950
t_ok "a utilization above 1000 is refused" refused burst 1001
t_ok "an interval below 10 ms is refused" refused interval_ms 5
t_ok "a floor of 0 is refused" refused floor 0
t_ok "an unknown mechanism is refused" refused mechanism governor
t_ok "a package deep state above the uncore power is refused" refused power/deep_mw 99999
t_ok "an idle core above an active one is refused" refused power/core_idle_mw 7000
t_ok "a non-number is refused" refused dwell fast
t_ok "a hold_max above 1000000 intervals is refused" refused hold_max 1000001
t_eq "hold_max defaults to 1800 intervals" 1800 "$(cat $FOLD_SYS/hold_max)"
t_ok "a valid change is taken" sh -c "echo 6 >$FOLD_SYS/dwell && grep -qx 6 $FOLD_SYS/dwell"
t_ok "and put back" sh -c "echo 5 >$FOLD_SYS/dwell"
