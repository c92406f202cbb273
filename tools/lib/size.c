// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and printing of byte sizes. A size is a decimal integer with an
 * optional binary unit K, M, G or T (any case), optionally followed by "B"
 * or "iB": 4096, 2k, 64M, 64MiB and 1gb all parse. Fractions are refused
 * rather than rounded, because a budget the user did not type is a
 * surprise. Output uses the largest unit that leaves a whole number part, with
 * one decimal truncated (never rounded up into the next unit's range).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "size.h"

static const char units[] = "KMGTPE";

/**
 * size_parse() - parse a human-written byte size
 * @str:   the text, e.g. "64M"; no sign, no blanks
 * @bytes: where the value goes on success
 *
 * Return: 0, -EINVAL if @str is not a size, -ERANGE if it exceeds 2^64 - 1.
 */
int size_parse(const char *str, uint64_t *bytes)
{
	const char *p = str, *u;
	uint64_t val = 0;
	unsigned int shift = 0;

	/* strtoull() would accept blanks, signs and hex; sizes have none. */
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = *p - '0';

		if (val > (UINT64_MAX - d) / 10)
			return -ERANGE;
		val = val * 10 + d;
	}

	/* Only K..T are accepted on input; P and E are for printing. */
	u = *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
	if (u && u - units < 4) {
		shift = 10 * (u - units + 1);
		p++;
		if (!strcasecmp(p, "ib"))
			p += 2;
	}
	if (*p && strcasecmp(p, "b"))
		return -EINVAL;

	if (shift && val > UINT64_MAX >> shift)
		return -ERANGE;
	*bytes = val << shift;
	return 0;
}

/**
 * size_format() - print a byte count for people
 * @buf:   output buffer, SIZE_STR_MAX bytes suffice
 * @len:   size of @buf
 * @bytes: the count
 *
 * Exact multiples print without a decimal ("64MiB"), others with one
 * truncated decimal ("1.5GiB"), counts below 1 KiB in bytes ("512B").
 *
 * Return: @buf, for use as a printf() argument.
 */
const char *size_format(char *buf, size_t len, uint64_t bytes)
{
	unsigned int i = 0;
	uint64_t unit = 1024, whole, tenths;

	if (bytes < unit) {
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
		return buf;
	}
	while (i + 1 < sizeof(units) - 1 && bytes / unit >= 1024) {
		unit <<= 10;
		i++;
	}
	whole = bytes / unit;
	/* The remainder is below 2^60, so ten times it still fits. */
	tenths = bytes % unit * 10 / unit;
	if (bytes % unit)
		snprintf(buf, len, "%llu.%llu%ciB", (unsigned long long)whole,
			 (unsigned long long)tenths, units[i]);
	else
		snprintf(buf, len, "%llu%ciB", (unsigned long long)whole, units[i]);
	return buf;
}
