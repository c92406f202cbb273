#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generates the kernel policy/op tables and the uapi header of one family
# from its YAML spec with the kernel's own ynl-gen-c.py (6.12 source tree).
# ynl-gen looks for its schema next to the spec's parent directory and for
# a MAINTAINERS file above it, so the spec is staged in a scratch tree.
#
# usage: ynl-gen.sh KSRC SPEC.yaml KERNEL_OUT.c KERNEL_OUT.h UAPI_OUT.h
set -euo pipefail
KSRC=$1 SPEC=$2 OUT_C=$3 OUT_H=$4 OUT_UAPI=$5
fam=$(basename "$SPEC" .yaml)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/specs"
cp "$KSRC"/Documentation/netlink/genetlink*.yaml "$tmp/"
cp "$SPEC" "$tmp/specs/"
touch "$tmp/MAINTAINERS"
# The output's base name matters: the source includes the header by it.
gen() {
	local out=$1
	shift
	/usr/bin/python3 "$KSRC/tools/net/ynl/ynl-gen-c.py" \
		--spec "$tmp/specs/$fam.yaml" "$@" -o "$tmp/$(basename "$out")"
	cp "$tmp/$(basename "$out")" "$out"
}
gen "$OUT_H" --mode kernel --header
gen "$OUT_C" --mode kernel --source
gen "$OUT_UAPI" --mode uapi --header
