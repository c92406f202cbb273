// SPDX-License-Identifier: GPL-2.0
/*
 * Pure helpers of the topology view (see topo.h): which number a CPU has
 * in the view, which CPUs share its core or package in those numbers, and
 * the mask and list text of a CPU set, byte for byte as
 * drivers/base/topology.c prints them with "%*pb" and "%*pbl". The files
 * of the view come from the map alone, so they agree with the cpuid and
 * msr nodes by construction.
 */
#include "hwthread_virt/topo.h"

/**
 * hwt_topo_nbits() - how many CPU numbers the view has
 * @map: a built map
 *
 * Return: the partition's CPU count when renumbering, else nr_cpu_ids
 * (masks are as wide as the host's, as in sysfs).
 */
u32 hwt_topo_nbits(const struct hwt_map *map)
{
	return map->flags & HWT_MAP_RENUMBER ? map->nr_vcpus : map->nr_cpus;
}

/**
 * hwt_topo_number() - a CPU's number in the view
 * @map: a built map
 * @cpu: Linux CPU number of a member
 *
 * Return: @cpu, or its rank in x2APIC id order when renumbering.
 */
u32 hwt_topo_number(const struct hwt_map *map, u32 cpu)
{
	return map->flags & HWT_MAP_RENUMBER ? map->cpu[cpu].index : cpu;
}

/**
 * hwt_topo_cpu_at() - the Linux CPU that has a number in the view
 * @map: a built map
 * @number: a number in the view
 *
 * Return: the Linux CPU, or -1 if no member has @number.
 */
int hwt_topo_cpu_at(const struct hwt_map *map, u32 number)
{
	if (map->flags & HWT_MAP_RENUMBER)
		return number < map->nr_vcpus ? (int)map->cpu[number].order : -1;
	if (number >= map->nr_cpus || !map->cpu[number].member)
		return -1;
	return number;
}

/**
 * hwt_topo_group() - the members sharing a level with @cpu, in view numbers
 * @map: a built map
 * @cpu: Linux CPU number
 * @level: HWT_LEVEL_THREAD, _CORE or _PKG
 * @mask: bitmap of @map->nr_cpus bits, overwritten
 *
 * Return: number of CPUs set, or -ENXIO if @cpu is not a member.
 */
int hwt_topo_group(const struct hwt_map *map, u32 cpu, enum hwt_level level,
		   unsigned long *mask)
{
	u32 i, words = (map->nr_cpus + LPAR_LONG_BITS - 1) / LPAR_LONG_BITS;
	const struct hwt_vcpu *v = hwt_map_vcpu(map, cpu);
	int n = 0;

	if (!v)
		return -ENXIO;
	for (i = 0; i < words; i++)
		mask[i] = 0;
	for (i = 0; i < map->nr_vcpus; i++) {
		u32 other = map->cpu[i].order;
		const struct hwt_vcpu *o = &map->cpu[other];
		bool same;

		switch (level) {
		case HWT_LEVEL_THREAD:
			same = other == cpu;
			break;
		case HWT_LEVEL_CORE:
			same = o->pkg == v->pkg && o->core == v->core;
			break;
		default:
			same = o->pkg == v->pkg;
			break;
		}
		if (same) {
			lpar_set_bit(mask, hwt_topo_number(map, other));
			n++;
		}
	}
	return n;
}

/* Appends @c to @buf if there is room (one byte stays for the NUL). */
static void put_char(char *buf, size_t size, size_t *len, char c)
{
	if (*len + 1 < size)
		buf[*len] = c;
	(*len)++;
}

static void put_dec(char *buf, size_t size, size_t *len, u32 v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		put_char(buf, size, len, tmp[--n]);
}

static size_t finish(char *buf, size_t size, size_t len)
{
	if (size)
		buf[len < size ? len : size - 1] = 0;
	return len;
}

/**
 * hwt_fmt_mask() - a CPU set as "%*pb" prints it
 * @mask: the set
 * @nbits: its width
 * @buf: receives the text, NUL-terminated, truncated to @size
 * @size: room in @buf
 *
 * Hex digits, most significant first, in groups of 32 bits separated by
 * commas; the first group has only the digits its bits need.
 *
 * Return: the length the text has (even if truncated), without the NUL.
 */
size_t hwt_fmt_mask(const unsigned long *mask, u32 nbits, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = 0;
	u32 digits, d;

	if (!nbits)
		return finish(buf, size, 0);
	digits = (nbits + 3) / 4;
	for (d = digits; d-- > 0;) {
		u32 nib = 0, b;

		for (b = 0; b < 4; b++)
			if (d * 4 + b < nbits && lpar_bit(mask, d * 4 + b))
				nib |= 1U << b;
		put_char(buf, size, &len, hex[nib]);
		if (d && d % 8 == 0)
			put_char(buf, size, &len, ',');
	}
	return finish(buf, size, len);
}

/**
 * hwt_fmt_list() - a CPU set as "%*pbl" prints it ("0-1,4")
 * @mask: the set
 * @nbits: its width
 * @buf: receives the text, NUL-terminated, truncated to @size
 * @size: room in @buf
 *
 * Return: the length the text has (even if truncated), without the NUL.
 */
size_t hwt_fmt_list(const unsigned long *mask, u32 nbits, char *buf, size_t size)
{
	size_t len = 0;
	u32 i = 0, end;

	while (i < nbits) {
		if (!lpar_bit(mask, i)) {
			i++;
			continue;
		}
		for (end = i; end + 1 < nbits && lpar_bit(mask, end + 1); end++)
			;
		if (len)
			put_char(buf, size, &len, ',');
		put_dec(buf, size, &len, i);
		if (end > i) {
			put_char(buf, size, &len, '-');
			put_dec(buf, size, &len, end);
		}
		i = end + 1;
	}
	return finish(buf, size, len);
}
