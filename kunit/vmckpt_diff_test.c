// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "vmckpt_diff" for the line diff of lpar_vmckpt
 * (vmcheckpoint/diff.c, included whole since a KUnit module cannot link
 * the module's objects). ckpt_line_mask() is checked against a naive
 * byte-by-byte reference on seeded random pages with sparse, dense and
 * whole-line changes, against a page of zeros (no shadow), and at the
 * first and last byte of every line.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "../vmcheckpoint/diff.c"

#define T_ROUNDS	3000

static u64 naive_mask(const u8 *cur, const u8 *old)
{
	u64 mask = 0;
	unsigned int i;

	for (i = 0; i < CKPT_PAGE_BYTES; i++)
		if (cur[i] != (old ? old[i] : 0))
			mask |= 1ULL << (i / CKPT_LINE_SIZE);
	return mask;
}

/* Changes a page the way writers do: a few bytes, many, or whole lines. */
static void mutate(struct rnd_state *rnd, u8 *page)
{
	unsigned int mode = prandom_u32_state(rnd) % 4, n, i;

	switch (mode) {
	case 0:		/* sparse bytes */
		n = prandom_u32_state(rnd) % 8;
		for (i = 0; i < n; i++)
			page[prandom_u32_state(rnd) % CKPT_PAGE_BYTES] ^=
				1 + prandom_u32_state(rnd) % 255;
		break;
	case 1:		/* dense bytes, some rewriting what is there */
		n = prandom_u32_state(rnd) % 1024;
		for (i = 0; i < n; i++)
			page[prandom_u32_state(rnd) % CKPT_PAGE_BYTES] = prandom_u32_state(rnd);
		break;
	case 2:		/* whole lines */
		n = prandom_u32_state(rnd) % 8;
		for (i = 0; i < n; i++)
			prandom_bytes_state(rnd, page + CKPT_LINE_SIZE *
					    (prandom_u32_state(rnd) % CKPT_PAGE_LINES),
					    CKPT_LINE_SIZE);
		break;
	default:	/* a run crossing lines */
		i = prandom_u32_state(rnd) % CKPT_PAGE_BYTES;
		n = min_t(unsigned int, prandom_u32_state(rnd) % 300, CKPT_PAGE_BYTES - i);
		prandom_bytes_state(rnd, page + i, n);
		break;
	}
}

static void diff_matches_naive_reference(struct kunit *test)
{
	u8 *old = kunit_kmalloc(test, CKPT_PAGE_BYTES, GFP_KERNEL);
	u8 *cur = kunit_kmalloc(test, CKPT_PAGE_BYTES, GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int round, changed = 0;

	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, cur);
	prandom_seed_state(&rnd, 0x5eed0001);
	for (round = 0; round < T_ROUNDS; round++) {
		u64 want, got;

		if (round % 64 == 0)
			prandom_bytes_state(&rnd, old, CKPT_PAGE_BYTES);
		memcpy(cur, old, CKPT_PAGE_BYTES);
		mutate(&rnd, cur);
		want = naive_mask(cur, old);
		got = ckpt_line_mask(cur, old);
		KUNIT_ASSERT_EQ_MSG(test, got, want, "round %u", round);
		changed += !!want;
		memcpy(old, cur, CKPT_PAGE_BYTES);
	}
	/* The generator must exercise both outcomes. */
	KUNIT_EXPECT_GT(test, changed, T_ROUNDS / 2);
	KUNIT_EXPECT_LT(test, changed, T_ROUNDS);
}

static void diff_without_shadow_is_against_zeros(struct kunit *test)
{
	u8 *cur = kunit_kzalloc(test, CKPT_PAGE_BYTES, GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int round;

	KUNIT_ASSERT_NOT_NULL(test, cur);
	KUNIT_EXPECT_EQ(test, ckpt_line_mask(cur, NULL), 0ULL);
	prandom_seed_state(&rnd, 0x5eed0002);
	for (round = 0; round < T_ROUNDS / 4; round++) {
		memset(cur, 0, CKPT_PAGE_BYTES);
		mutate(&rnd, cur);
		KUNIT_ASSERT_EQ(test, ckpt_line_mask(cur, NULL), naive_mask(cur, NULL));
	}
}

static void diff_line_boundaries(struct kunit *test)
{
	u8 *old = kunit_kzalloc(test, CKPT_PAGE_BYTES, GFP_KERNEL);
	u8 *cur = kunit_kzalloc(test, CKPT_PAGE_BYTES, GFP_KERNEL);
	unsigned int line;

	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, cur);
	for (line = 0; line < CKPT_PAGE_LINES; line++) {
		cur[line * CKPT_LINE_SIZE] = 1;
		KUNIT_EXPECT_EQ(test, ckpt_line_mask(cur, old), 1ULL << line);
		cur[line * CKPT_LINE_SIZE] = 0;
		cur[line * CKPT_LINE_SIZE + CKPT_LINE_SIZE - 1] = 0x80;
		KUNIT_EXPECT_EQ(test, ckpt_line_mask(cur, old), 1ULL << line);
		cur[line * CKPT_LINE_SIZE + CKPT_LINE_SIZE - 1] = 0;
	}
	memset(cur, 0xff, CKPT_PAGE_BYTES);
	KUNIT_EXPECT_EQ(test, ckpt_line_mask(cur, old), ~0ULL);
}

static struct kunit_case vmckpt_diff_cases[] = {
	KUNIT_CASE(diff_matches_naive_reference),
	KUNIT_CASE(diff_without_shadow_is_against_zeros),
	KUNIT_CASE(diff_line_boundaries),
	{}
};

static struct kunit_suite vmckpt_diff_suite = {
	.name = "vmckpt_diff",
	.test_cases = vmckpt_diff_cases,
};

kunit_test_suite(vmckpt_diff_suite);

MODULE_DESCRIPTION("KUnit: lpar_vmckpt line diff");
MODULE_LICENSE("GPL");
