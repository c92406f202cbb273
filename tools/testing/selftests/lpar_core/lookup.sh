#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The partition lookup every family shares (lpar_from_attrs() in
# lpar_core): a request naming no partition, an unknown id, an unknown
# name and an id/name pair that disagree each get their own extack text,
# in lpar, lpar_adjunct and lpar_hwt alike, and a matching pair is found.
# Driven with the kernel's ynl CLI from our specs.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$PATH"
KSRC=$(readlink -f "${LPAR_KDIR:?}/source")
ynl() {
	local spec=$1
	shift
	/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/$spec.yaml" \
		--schema "$KSRC/Documentation/netlink/genetlink.yaml" --output-json "$@" 2>&1
}
# has DESC TEXT CMD...: CMD's output (reply or error) contains TEXT
has() {
	local desc=$1 want=$2 out
	shift 2
	out=$("$@")
	grep -qF -- "$want" <<<"$out"
	t_result $? "$desc" "wanted: $want
got: $(tail -3 <<<"$out")"
}
trap 'lparctl delete lkp >/dev/null 2>&1; t_done' EXIT

lparctl create lkp >/dev/null
id=$(lparctl -j show lkp | jq -r .id)
has "lpar: no id, no name" "name the partition by id or name" \
	ynl lpar --do part-get --json '{}'
has "lpar: unknown id" "no partition with id 4242" \
	ynl lpar --do part-get --json '{"id": 4242}'
has "lpar: unknown name" "no partition named zz" \
	ynl lpar --do part-get --json '{"name": "zz"}'
has "lpar: id and name disagree" "partition $id is named lkp" \
	ynl lpar --do part-get --json "{\"id\": $id, \"name\": \"zz\"}"
has "lpar: id and name agree" '"name": "lkp"' \
	ynl lpar --do part-get --json "{\"id\": $id, \"name\": \"lkp\"}"
for fam in lpar_adjunct:get lpar_hwt:view-get; do
	spec=${fam%%:*} op=${fam#*:}
	has "$spec: no id, no name" "name the partition by part-id or part-name" \
		ynl "$spec" --do "$op" --json '{}'
	has "$spec: unknown id" "no partition with id 4242" \
		ynl "$spec" --do "$op" --json '{"part-id": 4242}'
	has "$spec: unknown name" "no partition named zz" \
		ynl "$spec" --do "$op" --json '{"part-name": "zz"}'
	has "$spec: id and name disagree" "partition $id is named lkp" \
		ynl "$spec" --do "$op" --json "{\"part-id\": $id, \"part-name\": \"zz\"}"
done
has "lpar_adjunct: a partition without an adjunct says so" "partition lkp has no adjunct" \
	ynl lpar_adjunct --do get --json "{\"part-id\": $id}"
has "lpar_hwt: found by id" '"part-name": "lkp"' \
	ynl lpar_hwt --do view-get --json "{\"part-id\": $id}"
has "lpar_hwt: found by name" '"part-name": "lkp"' \
	ynl lpar_hwt --do view-get --json '{"part-name": "lkp"}'
