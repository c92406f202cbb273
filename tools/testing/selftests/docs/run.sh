#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Documentation cannot rot: every ```sh block of every page in
# Documentation/ runs, in page order, in one shell per page (state carries
# from block to block, as for a reader typing along). Each block is one
# test, run under `set -e`: it passes when every command in it succeeds.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$ROOT" || exit 1
export PATH="$ROOT/tools/lparctl:$PATH"

for page in Documentation/*.md; do
	n=$(grep -c '^```sh$' "$page")
	[ "$n" -gt 0 ] || continue
	script=$(mktemp)
	{
		echo "cd '$ROOT'"
		awk -v dir="$(mktemp -d)" '
			/^```sh$/ { inb = 1; n++; print "( set -e"; next }
			/^```$/ && inb { inb = 0
				print ") >" dir "/out." n " 2>&1; echo \"$?\" >" dir "/rc." n; next }
			inb { print }' "$page"
	} >"$script"
	dir=$(sed -n 's/.*>\(\/tmp\/[^ ]*\)\/out\.1 .*/\1/p' "$script" | head -1)
	bash "$script" >/dev/null 2>&1
	for ((i = 1; i <= n; i++)); do
		first=$(awk -v want="$i" '/^```sh$/ {n++; getline; if (n == want) print; }' "$page")
		t_eq "$page block $i ($first)" 0 "$(cat "$dir/rc.$i" 2>/dev/null || echo missing)"
		[ "$(cat "$dir/rc.$i" 2>/dev/null)" = 0 ] || sed 's/^/# /' "$dir/out.$i"
	done
	rm -f "$script"
done
