// SPDX-License-Identifier: GPL-2.0
/*
 * The rules a partition's identity and resources must obey, as pure
 * functions: the name alphabet, the strict CPU-list grammar shared by
 * netlink and sysfs, and overflow-safe budget arithmetic. No kernel calls,
 * so KUnit and userspace tools build this very file.
 */
#include "rules.h"

#ifdef __KERNEL__
#include <linux/export.h>
#endif

/**
 * lpar_name_check() - validate a partition name
 * @name: NUL-terminated candidate
 * @max_len: longest allowed length
 *
 * A name is 1..@max_len characters of [a-z0-9_-] and starts with a letter
 * or digit, so that it is a safe sysfs directory name and can never be
 * taken for an option on a command line.
 *
 * Return: 0, or -EINVAL.
 */
int lpar_name_check(const char *name, size_t max_len)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (i >= max_len)
			return -EINVAL;
		if (!alnum && (i == 0 || (c != '-' && c != '_')))
			return -EINVAL;
	}
	return i ? 0 : -EINVAL;
}
EXPORT_SYMBOL_GPL(lpar_name_check);

/*
 * Names of the suite's own directories under /sys/kernel/lpar/, which
 * partitions share with them.
 */
static const char * const lpar_reserved_names[] = {
	"adjunct", "ckpt", "corefold", "hwt",
};

/**
 * lpar_name_reserved() - is @name kept for the suite's own use?
 * @name: a valid partition name
 *
 * Return: true if a partition may not take this name.
 */
bool lpar_name_reserved(const char *name)
{
	size_t i, k;

	for (i = 0; i < LPAR_ARRAY_SIZE(lpar_reserved_names); i++) {
		const char *r = lpar_reserved_names[i];

		for (k = 0; r[k] && r[k] == name[k]; k++)
			;
		if (!r[k] && !name[k])
			return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(lpar_name_reserved);

/* Reads a decimal CPU number; rejects signs, spaces and leading zeros. */
static const char *parse_cpu(const char *s, unsigned int *out)
{
	unsigned long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 0xffffff)
			return NULL;
	}
	*out = v;
	return p;
}

/**
 * lpar_cpulist_parse() - parse a CPU list such as "0-3,6"
 * @s: the list; "" is the empty set
 * @bits: bitmap of @nbits bits, overwritten
 * @nbits: number of CPUs that exist
 * @bad: set to the first CPU >= @nbits on -ERANGE
 *
 * The grammar is strict: comma-separated items "N" or "N-M" with N <= M,
 * decimal without signs, spaces or leading zeros; no empty items. Items may
 * overlap or come in any order.
 *
 * Return: the number of CPUs in the set, -EINVAL if @s is malformed, or
 * -ERANGE if it names a CPU that does not exist.
 */
int lpar_cpulist_parse(const char *s, unsigned long *bits, unsigned int nbits,
		       unsigned int *bad)
{
	unsigned int i, count = 0;

	for (i = 0; i < (nbits + LPAR_LONG_BITS - 1) / LPAR_LONG_BITS; i++)
		bits[i] = 0;
	if (!*s)
		return 0;
	for (;;) {
		unsigned int lo, hi, c;

		s = parse_cpu(s, &lo);
		if (!s)
			return -EINVAL;
		hi = lo;
		if (*s == '-') {
			s = parse_cpu(s + 1, &hi);
			if (!s || hi < lo)
				return -EINVAL;
		}
		if (*s && *s != ',')
			return -EINVAL;
		if (hi >= nbits) {
			*bad = lo >= nbits ? lo : nbits;
			return -ERANGE;
		}
		for (c = lo; c <= hi; c++) {
			if (!lpar_bit(bits, c))
				count++;
			lpar_set_bit(bits, c);
		}
		if (!*s)
			return count;
		s++;
	}
}
EXPORT_SYMBOL_GPL(lpar_cpulist_parse);

/* Appends @v in decimal after an optional separator; false if it won't fit. */
static bool put_num(char *buf, size_t len, size_t *n, char sep, unsigned int v)
{
	char tmp[12];
	int t = 0;

	do {
		tmp[t++] = '0' + v % 10;
		v /= 10;
	} while (v);
	if (sep)
		tmp[t++] = sep;
	if (*n + t + 1 > len)
		return false;
	while (t)
		buf[(*n)++] = tmp[--t];
	buf[*n] = 0;
	return true;
}

/**
 * lpar_cpulist_format() - format a CPU bitmap as the shortest CPU list
 * @bits: the set
 * @nbits: its size in bits
 * @buf: output buffer
 * @len: size of @buf
 *
 * Runs of two or more CPUs are written as ranges ("0-3,6"); the empty set
 * is "". The output always parses back to @bits with lpar_cpulist_parse().
 *
 * Return: the string length, or -ENOSPC if @buf is too small.
 */
int lpar_cpulist_format(const unsigned long *bits, unsigned int nbits,
			char *buf, size_t len)
{
	unsigned int c = 0;
	size_t n = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = 0;
	while (c < nbits) {
		unsigned int lo;

		if (!lpar_bit(bits, c)) {
			c++;
			continue;
		}
		lo = c;
		while (c + 1 < nbits && lpar_bit(bits, c + 1))
			c++;
		if (!put_num(buf, len, &n, n ? ',' : 0, lo))
			return -ENOSPC;
		if (c != lo && !put_num(buf, len, &n, '-', c))
			return -ENOSPC;
		c++;
	}
	return n;
}
EXPORT_SYMBOL_GPL(lpar_cpulist_format);

/**
 * lpar_budget_fits() - would a charge stay within a budget?
 * @used: bytes already charged
 * @budget: the budget
 * @bytes: the new charge
 * @new_used: set to @used + @bytes when it fits
 *
 * Return: true if @used + @bytes neither overflows nor exceeds @budget.
 */
bool lpar_budget_fits(u64 used, u64 budget, u64 bytes, u64 *new_used)
{
	if (used > budget || bytes > budget - used)
		return false;
	*new_used = used + bytes;
	return true;
}
EXPORT_SYMBOL_GPL(lpar_budget_fits);

/**
 * lpar_budget_check() - may a partition's budget be set to @budget?
 * @budget: requested budget in bytes
 * @used: bytes currently charged against it
 * @limit: the largest budget allowed
 *
 * Return: 0, -EINVAL for 0, -ERANGE beyond @limit, -EBUSY below @used.
 */
int lpar_budget_check(u64 budget, u64 used, u64 limit)
{
	if (!budget)
		return -EINVAL;
	if (budget > limit)
		return -ERANGE;
	if (budget < used)
		return -EBUSY;
	return 0;
}
EXPORT_SYMBOL_GPL(lpar_budget_check);
