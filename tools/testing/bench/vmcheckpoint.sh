#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmcheckpoint benchmark: the same write workload tracked and harvested by
# lpar_vmckpt (page_mkwrite + line diff + log ring), by userfaultfd
# write-protect in async mode harvested with PAGEMAP_SCAN, and by
# soft-dirty (pagemap bit 55 + clear_refs 4), in the same VM run
# (tools/ckpt/ckpt-bench). Per epoch: harvest time, pause time (writers
# stopped for a consistent checkpoint: our checkpoint ioctl; the others'
# harvest plus copying the dirty pages out), bytes to ship (changed lines
# x 64 vs whole pages) and the cost of the first write to a page in an
# epoch. Regions 64 MiB to 1 GiB, 1 % to 100 % of the pages dirtied, 1 or
# 8 lines per page. A region costs twice its size (memory + shadow), so
# the 1 GiB rows need the 4 GiB guest that tools/testing/bench.sh boots.
# The flatness check is 64 MiB -> 1 GiB (16x) at 2048 dirty pages.
# EPOCHS (default 3, 2 for the 1 GiB 100 % row) measured epochs per row,
# after a warm-up one.
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
EPOCHS=${EPOCHS:-3}
P=ckptbench
lparctl create $P --memory 3G >/dev/null
trap 'lparctl delete $P >/dev/null 2>&1' EXIT
OUT=$(mktemp)

ROWS=("64M 1% 1" "64M 2048 1" "64M 100% 1" "64M 100% 8" "256M 10% 1" "256M 10% 8"
	"1G 1% 1" "1G 2048 1" "1G 10% 8" "1G 100% 1")
for w in "${ROWS[@]}"; do
	set -- $w
	e=$EPOCHS
	[ "$1 $2" = "1G 100%" ] && e=$(( EPOCHS < 2 ? EPOCHS : 2 ))
	ckpt-bench $P "$1" "$2" "$3" "$e" | sed "s/^/$1 $2 $3 /" >>"$OUT"
done

# get SIZE DIRTY LINES METHOD FIELD
get() {
	awk -v s="$1" -v d="$2" -v l="$3" -v m="$4" -v f="$5" \
		'$1 == s && $2 == d && $3 == l && $4 == m {
			for (i = 5; i < NF; i++) if ($i == f) print $(i + 1) }' "$OUT"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

printf '%-20s %-12s %12s %12s %12s %8s %8s\n' "size dirty lines" "per epoch" \
	"vmckpt" "uffd-wp" "soft-dirty" "v/uffd" "v/sd"
for w in "${ROWS[@]}"; do
	set -- $w
	printf '%-20s %-12s %12s\n' "$w" pages "$(get "$1" "$2" "$3" vmckpt pages)"
	for f in harvest_us pause_us bytes first_write_ns; do
		v=$(get "$1" "$2" "$3" vmckpt $f)
		u=$(get "$1" "$2" "$3" uffd-wp $f)
		s=$(get "$1" "$2" "$3" soft-dirty $f)
		printf '%-20s %-12s %12s %12s %12s %8s %8s\n' "" "$f" "$v" "$u" "$s" \
			"$(ratio "$v" "$u")" "$(ratio "$v" "$s")"
	done
done
grow() { ratio "$(get 1G 2048 1 "$1" harvest_us)" "$(get 64M 2048 1 "$1" harvest_us)"; }
echo "harvest growth, region 64 MiB -> 1 GiB at 2048 dirty pages: vmckpt x$(grow vmckpt)," \
	"uffd-wp x$(grow uffd-wp), soft-dirty x$(grow soft-dirty)"
echo "bytes to ship at 1 line/page, 100 % of 1 GiB dirty: vmckpt / page-granular =" \
	"$(ratio "$(get 1G 100% 1 vmckpt bytes)" "$(get 1G 100% 1 uffd-wp bytes)")"
fw=$(for w in "${ROWS[@]}"; do
	set -- $w
	ratio "$(get "$1" "$2" "$3" vmckpt first_write_ns)" "$(get "$1" "$2" "$3" uffd-wp first_write_ns)"
	echo
done | sort -g)
echo "first write vmckpt / uffd-wp over the rows: min $(head -1 <<<"$fw"), median" \
	"$(sed -n "$(( ($(wc -l <<<"$fw") + 1) / 2 ))p" <<<"$fw"), max $(tail -1 <<<"$fw")"
rm -f "$OUT"
