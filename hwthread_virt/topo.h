/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The topology view's pure half: CPU numbers as a partition sees them
 * (Linux's, or 0..n-1 with HWT_MAP_RENUMBER), sibling groups in those
 * numbers, and the two text forms sysfs gives a CPU set ("%*pb" masks and
 * "%*pbl" lists). fs.c renders the files from these, and the KUnit suite
 * hwthread_topo checks them against the map. Pure C (lpar_core/pure.h).
 */
#ifndef _HWT_TOPO_H
#define _HWT_TOPO_H

#include "hwthread_virt/xlate.h"

u32 hwt_topo_nbits(const struct hwt_map *map);
u32 hwt_topo_number(const struct hwt_map *map, u32 cpu);
int hwt_topo_cpu_at(const struct hwt_map *map, u32 number);
int hwt_topo_group(const struct hwt_map *map, u32 cpu, enum hwt_level level,
		   unsigned long *mask);
size_t hwt_fmt_mask(const unsigned long *mask, u32 nbits, char *buf, size_t size);
size_t hwt_fmt_list(const unsigned long *mask, u32 nbits, char *buf, size_t size);

#endif /* _HWT_TOPO_H */
