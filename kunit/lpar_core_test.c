// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the pure rules of lpar_core (lpar_core/rules.c): name
 * alphabet, CPU-list grammar and budget arithmetic. Property tests compare
 * each function with an independently written reference over seeded
 * random inputs; a few examples pin the documented boundaries.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/overflow.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lpar_core/rules.h"

#define ITERATIONS 20000

static struct rnd_state rnd;

static u32 rnd_below(u32 n)
{
	return prandom_u32_state(&rnd) % n;
}

static int lpar_test_init(struct kunit *test)
{
	prandom_seed_state(&rnd, 0x1a2b3c4d5e6fULL);
	return 0;
}

/* Reference: the documented rule, written with the C library's helpers. */
static bool name_ok_ref(const char *s, size_t max)
{
	size_t len = strlen(s);

	return len >= 1 && len <= max && isalnum(s[0]) && !isupper(s[0]) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

static void lpar_name_check_matches_rule(struct kunit *test)
{
	static const char alphabet[] = "az09_-A.Z/ \xe9";
	char name[40];
	int i, k;

	for (i = 0; i < ITERATIONS; i++) {
		int len = rnd_below(36);

		for (k = 0; k < len; k++)
			name[k] = alphabet[rnd_below(sizeof(alphabet) - 1)];
		name[len] = 0;
		KUNIT_EXPECT_EQ_MSG(test, lpar_name_check(name, 31) == 0,
				    name_ok_ref(name, 31), "name \"%s\"", name);
	}
}

static void lpar_name_check_boundaries(struct kunit *test)
{
	char name[33];

	memset(name, 'a', 32);
	name[31] = 0;
	KUNIT_EXPECT_EQ(test, lpar_name_check(name, 31), 0);
	name[31] = 'a';
	name[32] = 0;
	KUNIT_EXPECT_EQ(test, lpar_name_check(name, 31), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpar_name_check("", 31), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpar_name_check("-web", 31), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpar_name_check("_web", 31), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpar_name_check("web-1_a", 31), 0);
	KUNIT_EXPECT_EQ(test, lpar_name_check("Web", 31), -EINVAL);
}

static void lpar_name_reserved_list(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, lpar_name_reserved("corefold"));
	KUNIT_EXPECT_TRUE(test, lpar_name_reserved("hwt"));
	KUNIT_EXPECT_FALSE(test, lpar_name_reserved("corefold2"));
	KUNIT_EXPECT_FALSE(test, lpar_name_reserved("core"));
	KUNIT_EXPECT_FALSE(test, lpar_name_reserved("web"));
}

static unsigned int count_items(const char *list)
{
	unsigned int n = *list ? 1 : 0;

	for (; *list; list++)
		n += *list == ',';
	return n;
}

static unsigned int count_runs(const unsigned long *bits, unsigned int nbits)
{
	unsigned int c, n = 0;

	for (c = 0; c < nbits; c++)
		n += test_bit(c, bits) && (!c || !test_bit(c - 1, bits));
	return n;
}

/* Every random set formats to a list that parses back to the same set. */
static void lpar_cpulist_roundtrip(struct kunit *test)
{
	unsigned long *a, *b;
	char *buf;
	int i;

	a = kunit_kcalloc(test, BITS_TO_LONGS(512), sizeof(long), GFP_KERNEL);
	b = kunit_kcalloc(test, BITS_TO_LONGS(512), sizeof(long), GFP_KERNEL);
	buf = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, a && b && buf);
	for (i = 0; i < ITERATIONS / 4; i++) {
		unsigned int nbits = 1 + rnd_below(512), density = rnd_below(101);
		unsigned int bad = 0, c;
		int len, n;

		bitmap_zero(a, 512);
		for (c = 0; c < nbits; c++)
			if (rnd_below(100) < density)
				__set_bit(c, a);
		len = lpar_cpulist_format(a, nbits, buf, 4096);
		KUNIT_ASSERT_GE(test, len, 0);
		KUNIT_EXPECT_EQ(test, (size_t)len, strlen(buf));
		n = lpar_cpulist_parse(buf, b, nbits, &bad);
		KUNIT_ASSERT_EQ_MSG(test, n, (int)bitmap_weight(a, nbits), "list \"%s\"", buf);
		KUNIT_ASSERT_TRUE_MSG(test, bitmap_equal(a, b, nbits), "list \"%s\"", buf);
		/* Shortest form: exactly one item per maximal run of CPUs. */
		KUNIT_EXPECT_EQ_MSG(test, count_items(buf), count_runs(a, nbits),
				    "list \"%s\"", buf);
	}
}

/* The parser agrees with the kernel's own bitmap_parselist() on lists. */
static void lpar_cpulist_matches_bitmap_parselist(struct kunit *test)
{
	unsigned long *a, *b;
	char list[64];
	int i;

	a = kunit_kcalloc(test, BITS_TO_LONGS(128), sizeof(long), GFP_KERNEL);
	b = kunit_kcalloc(test, BITS_TO_LONGS(128), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, a && b);
	for (i = 0; i < ITERATIONS / 4; i++) {
		int items = 1 + rnd_below(4), k, pos = 0, ret;
		unsigned int bad;

		for (k = 0; k < items; k++) {
			unsigned int lo = rnd_below(128), hi = lo + rnd_below(8);

			if (hi > 127)
				hi = 127;
			pos += scnprintf(list + pos, sizeof(list) - pos,
					 rnd_below(2) ? "%s%u-%u" : "%s%u",
					 k ? "," : "", lo, hi);
		}
		ret = lpar_cpulist_parse(list, a, 128, &bad);
		KUNIT_ASSERT_GE_MSG(test, ret, 0, "list \"%s\"", list);
		KUNIT_ASSERT_EQ(test, bitmap_parselist(list, b, 128), 0);
		KUNIT_EXPECT_TRUE_MSG(test, bitmap_equal(a, b, 128), "list \"%s\"", list);
	}
}

static void lpar_cpulist_rejects_malformed(struct kunit *test)
{
	static const char * const bad_lists[] = {
		" 1", "1 ", "1-", "-1", "3-1", "1,,2", "01", "1,", ",1",
		"+1", "a", "1-2-3", "1:2", "0x1", "99999999999",
	};
	unsigned long bits[2];
	unsigned int bad, i;

	for (i = 0; i < ARRAY_SIZE(bad_lists); i++)
		KUNIT_EXPECT_EQ_MSG(test, lpar_cpulist_parse(bad_lists[i], bits, 64, &bad),
				    -EINVAL, "list \"%s\"", bad_lists[i]);
	KUNIT_EXPECT_EQ(test, lpar_cpulist_parse("", bits, 64, &bad), 0);
	KUNIT_EXPECT_EQ(test, bits[0], 0UL);
	KUNIT_EXPECT_EQ(test, lpar_cpulist_parse("8", bits, 8, &bad), -ERANGE);
	KUNIT_EXPECT_EQ(test, bad, 8U);
	KUNIT_EXPECT_EQ(test, lpar_cpulist_parse("5-300", bits, 8, &bad), -ERANGE);
	KUNIT_EXPECT_EQ(test, bad, 8U);
	KUNIT_EXPECT_EQ(test, lpar_cpulist_parse("2-3,0,3", bits, 8, &bad), 3);
	KUNIT_EXPECT_EQ(test, bits[0], 0xdUL);
}

static void lpar_cpulist_format_short_buffer(struct kunit *test)
{
	unsigned long bits[1] = { 0x2f };	/* 0-3,5 */
	char buf[8];

	KUNIT_EXPECT_EQ(test, lpar_cpulist_format(bits, 8, buf, 6), 5);
	KUNIT_EXPECT_STREQ(test, buf, "0-3,5");
	KUNIT_EXPECT_EQ(test, lpar_cpulist_format(bits, 8, buf, 5), -ENOSPC);
	KUNIT_EXPECT_EQ(test, lpar_cpulist_format(bits, 8, buf, 0), -ENOSPC);
}

static u64 rnd_u64_edge(void)
{
	switch (rnd_below(4)) {
	case 0:
		return U64_MAX - rnd_below(4);
	case 1:
		return rnd_below(4);
	default:
		return ((u64)prandom_u32_state(&rnd) << 32) | prandom_u32_state(&rnd);
	}
}

/* A charge fits iff the exact sum does not overflow and stays in budget. */
static void lpar_budget_fits_never_overflows(struct kunit *test)
{
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		u64 used = rnd_u64_edge(), budget = rnd_u64_edge(), bytes = rnd_u64_edge();
		u64 sum, new_used = 0xdead;
		bool ref = !check_add_overflow(used, bytes, &sum) && sum <= budget;

		KUNIT_EXPECT_EQ(test, lpar_budget_fits(used, budget, bytes, &new_used), ref);
		if (ref)
			KUNIT_EXPECT_EQ(test, new_used, sum);
		else
			KUNIT_EXPECT_EQ(test, new_used, 0xdeadULL);
	}
}

static void lpar_budget_check_ranges(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, lpar_budget_check(0, 0, 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, lpar_budget_check(101, 0, 100), -ERANGE);
	KUNIT_EXPECT_EQ(test, lpar_budget_check(100, 0, 100), 0);
	KUNIT_EXPECT_EQ(test, lpar_budget_check(50, 51, 100), -EBUSY);
	KUNIT_EXPECT_EQ(test, lpar_budget_check(51, 51, 100), 0);
	KUNIT_EXPECT_EQ(test, lpar_budget_check(U64_MAX, 0, U64_MAX), 0);
}

static struct kunit_case lpar_core_test_cases[] = {
	KUNIT_CASE(lpar_name_check_matches_rule),
	KUNIT_CASE(lpar_name_check_boundaries),
	KUNIT_CASE(lpar_name_reserved_list),
	KUNIT_CASE(lpar_cpulist_roundtrip),
	KUNIT_CASE(lpar_cpulist_matches_bitmap_parselist),
	KUNIT_CASE(lpar_cpulist_rejects_malformed),
	KUNIT_CASE(lpar_cpulist_format_short_buffer),
	KUNIT_CASE(lpar_budget_fits_never_overflows),
	KUNIT_CASE(lpar_budget_check_ranges),
	{}
};

static struct kunit_suite lpar_core_test_suite = {
	.name = "lpar_core",
	.init = lpar_test_init,
	.test_cases = lpar_core_test_cases,
};

kunit_test_suite(lpar_core_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for lpar_core's pure rules");
