// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hwthread_topo" for the topology view's pure half
 * (hwthread_virt/topo.c): on every CPU subset of a 2 sockets x 2 cores x
 * 2 threads host and every 13th of a 2 x 4 x 2 one that has a map, with and without
 * renumbering, each CPU's thread, core and package groups hold 1, T and
 * T x C_p CPUs, agree with the engine's hwt_map_siblings(), are the same
 * set seen from every member, and their "%*pb" and "%*pbl" texts parse
 * back to the same set; view numbers and hwt_topo_cpu_at() are inverse
 * bijections. Plus the text forms of a few sets, byte for byte.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../hwthread_virt/xlate.c"
#include "../hwthread_virt/topo.c"

#define TT_MAX_CPUS	16

static void tt_host(struct hwt_host *host, struct hwt_host_cpu *cpu, u32 cores)
{
	u32 i, n = 2 * cores * 2;

	*host = (struct hwt_host){
		.vendor = HWT_VENDOR_INTEL,
		.max_basic_leaf = 0x1f,
		.max_ext_leaf = 0x80000008,
		.smt_shift = 1,
		.pkg_shift = 1 + ilog2(cores),
		.nr_cpus = n,
		.cpu = cpu,
	};
	for (i = 0; i < n; i++)
		cpu[i] = (struct hwt_host_cpu){
			.apicid = i, .pkg = i / (2 * cores), .core = (i / 2) % cores,
			.thread = i % 2, .present = 1,
		};
}

/* Parses "0-2,4" or "0,ff" (mask) back into a bitmap of @nbits. */
static int tt_parse(const char *text, bool list, u32 nbits, unsigned long *mask)
{
	return list ? bitmap_parselist(text, mask, nbits) :
		      bitmap_parse(text, strlen(text), mask, nbits);
}

static void tt_check_map(struct kunit *test, const struct hwt_map *map)
{
	DECLARE_BITMAP(g, TT_MAX_CPUS);
	DECLARE_BITMAP(h, TT_MAX_CPUS);
	DECLARE_BITMAP(sib, TT_MAX_CPUS);
	DECLARE_BITMAP(back, TT_MAX_CPUS);
	u32 nbits = hwt_topo_nbits(map), i, lvl;
	char buf[64];

	for (i = 0; i < nbits; i++) {
		int cpu = hwt_topo_cpu_at(map, i);

		if (cpu >= 0)
			KUNIT_EXPECT_EQ(test, hwt_topo_number(map, cpu), i);
	}
	for (i = 0; i < map->nr_vcpus; i++) {
		u32 cpu = map->cpu[i].order, other, j;
		const struct hwt_vcpu *v = &map->cpu[cpu];

		KUNIT_EXPECT_EQ(test, hwt_topo_cpu_at(map, hwt_topo_number(map, cpu)), (int)cpu);
		for (lvl = HWT_LEVEL_THREAD; lvl <= HWT_LEVEL_PKG; lvl++) {
			u32 want = lvl == HWT_LEVEL_THREAD ? 1 :
				   lvl == HWT_LEVEL_CORE ? map->threads :
				   map->threads * v->pkg_cores;
			int n = hwt_topo_group(map, cpu, lvl, g);

			KUNIT_EXPECT_EQ(test, n, (int)want);
			KUNIT_EXPECT_EQ(test, bitmap_weight(g, nbits), want);
			/* The engine's siblings, in view numbers. */
			hwt_map_siblings(map, cpu, lvl, sib);
			bitmap_zero(h, TT_MAX_CPUS);
			for_each_set_bit(other, sib, map->nr_cpus)
				__set_bit(hwt_topo_number(map, other), h);
			KUNIT_EXPECT_TRUE(test, bitmap_equal(g, h, nbits));
			/* Every member sees the same group. */
			for_each_set_bit(j, g, nbits) {
				hwt_topo_group(map, hwt_topo_cpu_at(map, j), lvl, h);
				KUNIT_EXPECT_TRUE(test, bitmap_equal(g, h, nbits));
			}
			/* The texts parse back to the set. */
			hwt_fmt_list(g, nbits, buf, sizeof(buf));
			KUNIT_ASSERT_EQ(test, tt_parse(buf, true, nbits, back), 0);
			KUNIT_EXPECT_TRUE(test, bitmap_equal(g, back, nbits));
			hwt_fmt_mask(g, nbits, buf, sizeof(buf));
			KUNIT_ASSERT_EQ(test, tt_parse(buf, false, nbits, back), 0);
			KUNIT_EXPECT_TRUE(test, bitmap_equal(g, back, nbits));
		}
	}
}

static void hwt_topo_every_subset(struct kunit *test)
{
	struct hwt_host_cpu *cpu = kunit_kcalloc(test, TT_MAX_CPUS, sizeof(*cpu), GFP_KERNEL);
	struct hwt_map *map = kunit_kzalloc(test, hwt_map_size(TT_MAX_CPUS), GFP_KERNEL);
	u32 cores, set, flags, maps = 0;
	struct hwt_build_err err;
	struct hwt_host host;

	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_ASSERT_NOT_NULL(test, map);
	for (cores = 2; cores <= 4; cores += 2) {
		tt_host(&host, cpu, cores);
		/* Every subset of 2x2x2; every 13th of 2x4x2 (TCG is slow). */
		for (set = 1; set < 1U << host.nr_cpus; set += cores == 2 ? 1 : 13) {
			unsigned long bits = set;

			for (flags = 0; flags <= HWT_MAP_RENUMBER; flags += HWT_MAP_RENUMBER) {
				if (hwt_map_build(map, &host, &bits, flags, &err))
					continue;
				maps++;
				tt_check_map(test, map);
			}
		}
	}
	kunit_info(test, "%u maps checked\n", maps);
	KUNIT_EXPECT_GT(test, maps, 500U);
}

static void hwt_topo_text(struct kunit *test)
{
	DECLARE_BITMAP(m, 64) = { 0 };
	char buf[32];

	__set_bit(0, m);
	__set_bit(2, m);
	hwt_fmt_mask(m, 8, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "05");
	hwt_fmt_list(m, 8, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "0,2");
	bitmap_fill(m, 40);
	__clear_bit(3, m);
	hwt_fmt_mask(m, 40, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "ff,fffffff7");
	hwt_fmt_list(m, 40, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "0-2,4-39");
	hwt_fmt_mask(m, 3, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "7");
	bitmap_zero(m, 64);
	hwt_fmt_list(m, 8, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "");
	/* Truncation keeps a terminated prefix and reports the length. */
	bitmap_fill(m, 40);
	KUNIT_EXPECT_EQ(test, hwt_fmt_mask(m, 40, buf, 4), (size_t)11);
	KUNIT_EXPECT_STREQ(test, buf, "ff,");
}

static struct kunit_case hwt_topo_cases[] = {
	KUNIT_CASE(hwt_topo_text),
	KUNIT_CASE_SLOW(hwt_topo_every_subset),
	{}
};

static struct kunit_suite hwt_topo_suite = {
	.name = "hwthread_topo",
	.test_cases = hwt_topo_cases,
};

kunit_test_suite(hwt_topo_suite);

MODULE_DESCRIPTION("KUnit suite for the hwthread_virt topology view");
MODULE_LICENSE("GPL");
