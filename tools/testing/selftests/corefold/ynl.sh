#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own ynl CLI drives the lpar_fold family from its spec alone:
# per-partition enable and status, the global status with one nest per
# socket, and the refusal of an acknowledgement for a change never made.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KSRC=$(readlink -f "${LPAR_KDIR:?}/source")
ynl() {
	/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/lpar_fold.yaml" \
		--schema "$KSRC/Documentation/netlink/genetlink.yaml" --output-json "$@"
}
cleanup() {
	lparctl delete ynlfold 2>/dev/null
	t_done
}
trap cleanup EXIT

t_ok "create a partition" lparctl create ynlfold --cpus 6-7
out=$(ynl --do part-set --json '{"name": "ynlfold", "enabled": 1}')
t_eq "part-set enables folding and replies with the partition" "ynlfold 1 6-7" \
	"$(jq -r '"\(.name) \(.enabled) \(.cpus)"' <<<"$out")"
t_eq "status-get: one nest per socket" 2 "$(ynl --do status-get | jq '.socket | length')"
err=$(ynl --do part-applied --json '{"name": "ynlfold", "seq": 99}' 2>&1)
t_true "an acknowledgement of a change never made is refused with the reason" \
	grep -q "change 99 of ynlfold was never announced" <<<"$err"
t_eq "part-get dump lists it" ynlfold "$(ynl --dump part-get | jq -r '.[].name')"
