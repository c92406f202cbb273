#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own ynl CLI (tools/net/ynl/cli.py of the test kernel's
# source) drives the lpar family from our spec alone: the spec, not
# lparctl, is the contract.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KSRC=$(readlink -f "${LPAR_KDIR:?}/source")
ynl() {
	/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/lpar.yaml" \
		--schema "$KSRC/Documentation/netlink/genetlink.yaml" --output-json "$@"
}

out=$(ynl --do part-create --json '{"name": "ynl1", "cpus": "3", "budget": 1048576}')
t_eq "part-create replies with the new partition" "ynl1 3 1048576 active" \
	"$(jq -r '"\(.name) \(.cpus) \(.budget) \(.state)"' <<<"$out")"
id=$(jq -r .id <<<"$out")
t_eq "part-get by id" ynl1 "$(ynl --do part-get --json "{\"id\": $id}" | jq -r .name)"
t_ok "part-set budget" ynl --do part-set --json '{"name": "ynl1", "budget": 2097152}'
t_eq "part-get by name sees the change" 2097152 \
	"$(ynl --do part-get --json '{"name": "ynl1"}' | jq -r .budget)"
t_eq "part-get dump lists it" ynl1 "$(ynl --dump part-get | jq -r '.[].name')"
err=$(ynl --do part-create --json '{"name": "ynl1"}' 2>&1)
t_true "a refusal carries the extack text" grep -q "partition ynl1 already exists" <<<"$err"
t_ok "part-delete" ynl --do part-delete --json '{"name": "ynl1"}'
t_eq "dump is empty" "[]" "$(ynl --dump part-get | jq -c .)"
