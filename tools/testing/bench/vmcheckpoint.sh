#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmcheckpoint benchmark: the same write workload tracked and harvested by
# lpar_vmckpt (page_mkwrite + line diff + log ring), by userfaultfd
# write-protect in async mode harvested with PAGEMAP_SCAN, and by
# soft-dirty (pagemap bit 55 + clear_refs 4), in the same VM run
# (tools/ckpt/ckpt-bench). Per epoch: harvest time (writers stopped, so
# also the pause), bytes to ship (changed lines x 64 vs whole pages) and
# the cost of the first write to a page. The VM has 2 GiB and a region
# costs twice its size (memory + shadow), so regions are 16 MiB to 256
# MiB; the 16x growth check is 16 MiB -> 256 MiB at 512 dirty pages.
set -eu
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
export PATH="$ROOT/tools/lparctl:$ROOT/tools/ckpt:$PATH"
EPOCHS=${EPOCHS:-5}
P=ckptbench
lparctl create $P --memory 1G >/dev/null
trap 'lparctl delete $P >/dev/null 2>&1' EXIT
OUT=$(mktemp)

run() {	# SIZE DIRTY LINES
	ckpt-bench $P "$1" "$2" "$3" "$EPOCHS" | sed "s/^/$1 $2 $3 /" >>"$OUT"
}
run 16M 512 1
run 256M 512 1
run 256M 6554 1
run 256M 6554 8
run 64M 16384 1

# get SIZE DIRTY LINES METHOD FIELD
get() {
	awk -v s="$1" -v d="$2" -v l="$3" -v m="$4" -v f="$5" \
		'$1 == s && $2 == d && $3 == l && $4 == m {
			for (i = 5; i < NF; i++) if ($i == f) print $(i + 1) }' "$OUT"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

printf '%-26s %-10s %10s %10s %10s %8s %8s\n' "workload (size dirty lines)" "" \
	"vmckpt" "uffd-wp" "soft-dirty" "v/uffd" "v/sd"
for w in "16M 512 1" "256M 512 1" "256M 6554 1" "256M 6554 8" "64M 16384 1"; do
	set -- $w
	for f in harvest_us bytes first_write_ns; do
		v=$(get "$1" "$2" "$3" vmckpt $f)
		u=$(get "$1" "$2" "$3" uffd-wp $f)
		s=$(get "$1" "$2" "$3" soft-dirty $f)
		printf '%-26s %-10s %10s %10s %10s %8s %8s\n' "$w" "${f%_*}" "$v" "$u" "$s" \
			"$(ratio "$v" "$u")" "$(ratio "$v" "$s")"
	done
done
h16=$(get 16M 512 1 vmckpt harvest_us)
h256=$(get 256M 512 1 vmckpt harvest_us)
echo "harvest growth, region 16 MiB -> 256 MiB at 512 dirty pages: vmckpt x$(ratio "$h256" "$h16")," \
	"uffd-wp x$(ratio "$(get 256M 512 1 uffd-wp harvest_us)" "$(get 16M 512 1 uffd-wp harvest_us)")," \
	"soft-dirty x$(ratio "$(get 256M 512 1 soft-dirty harvest_us)" "$(get 16M 512 1 soft-dirty harvest_us)")"
echo "bytes to ship at 1 line/page: vmckpt / page-granular = $(ratio "$(get 256M 6554 1 vmckpt bytes)" "$(get 256M 6554 1 uffd-wp bytes)")"
rm -f "$OUT"
