#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lpar_core benchmark, against `ip link` on dummy interfaces (the familiar
# create/delete/dump of kernel objects over netlink) in the same VM run:
#   - create+delete pairs per second, one process per request: lparctl vs ip
#   - create+delete pairs per second, one process for all: raw libnl
#     (lpar-load churn) vs ip -batch
#   - time to dump 1,000 objects: lparctl -j list vs ip -j link show, and
#     raw libnl (lpar-load dump)
set -eu
N_EXEC=${N_EXEC:-100}
N_RAW=${N_RAW:-3000}
N_DUMP=${N_DUMP:-1000}
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

t0=$(now)
for ((i = 0; i < N_EXEC; i++)); do lparctl create bench && lparctl delete bench; done
t1=$(now)
for ((i = 0; i < N_EXEC; i++)); do ip link add bench type dummy && ip link del bench; done
t2=$(now)
lparctl_rate=$(rate "$N_EXEC" "$t0" "$t1")
ip_rate=$(rate "$N_EXEC" "$t1" "$t2")

raw=$(lpar-load churn "$N_RAW" | sed -n 's/.* \([0-9]*\) pairs\/s/\1/p')
for ((i = 0; i < N_RAW; i++)); do echo "link add bench type dummy"; echo "link del bench"; done >/tmp/ip.batch
t0=$(now)
ip -batch /tmp/ip.batch
t1=$(now)
ipb_rate=$(rate "$N_RAW" "$t0" "$t1")

lpar-load fill "$N_DUMP"
for ((i = 0; i < N_DUMP; i++)); do echo "link add d$i type dummy"; done | ip -batch -
t0=$(now)
for i in 1 2 3 4 5; do lparctl -j list >/dev/null; done
t1=$(now)
for i in 1 2 3 4 5; do ip -j link show >/dev/null; done
t2=$(now)
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 / 5 }'; }
lparctl_dump=$(ms "$t0" "$t1")
ip_dump=$(ms "$t1" "$t2")
raw_dump=$(lpar-load dump 20 | sed -n 's/.*, \([0-9.]*\) ms per dump/\1/p')
lpar-load drain
for ((i = 0; i < N_DUMP; i++)); do echo "link del d$i"; done | ip -batch -

printf '%-46s %12s %12s %8s\n' "lpar_core" "lpar" "ip link" "ratio"
printf '%-46s %12s %12s %8s\n' "create+delete pairs/s, a process per request" \
	"$lparctl_rate" "$ip_rate" "$(ratio "$lparctl_rate" "$ip_rate")"
printf '%-46s %12s %12s %8s\n' "create+delete pairs/s, one process (libnl/-batch)" \
	"$raw" "$ipb_rate" "$(ratio "$raw" "$ipb_rate")"
printf '%-46s %12s %12s %8s\n' "dump $N_DUMP objects, ms (lparctl -j / ip -j)" \
	"$lparctl_dump" "$ip_dump" "$(ratio "$lparctl_dump" "$ip_dump")"
printf '%-46s %12s %12s %8s\n' "dump $N_DUMP objects, ms (raw libnl)" "$raw_dump" "-" "-"
