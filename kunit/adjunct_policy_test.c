// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "adjunct_policy" for the adjunct's pure rules
 * (adjunct_sriov/policy.c, included whole: a KUnit module cannot link
 * another module's objects). Property tests with a fixed seed: PCI
 * addresses round-trip through format and parse and no mutation of a
 * valid one is accepted unless it is itself a valid spelling; the lower
 * selection, driven through long random histories of VF and standby
 * states, always has carrier when something can carry, only picks usable
 * lowers, prefers the VF, and leaves a working standby for a returning VF
 * only after the hold-down; the budget charge is exact or reports
 * overflow; counters add up in any order.
 */
#include "../adjunct_sriov/policy.c"

#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/overflow.h>
#include <linux/prandom.h>
#include <linux/string.h>

static struct rnd_state rnd;

static u32 rnd_below(u32 n)
{
	return prandom_u32_state(&rnd) % n;
}

static int adj_test_init(struct kunit *test)
{
	prandom_seed_state(&rnd, 0xad7c5a1f00d0cafeULL);
	return 0;
}

static void adj_pci_roundtrip(struct kunit *test)
{
	struct adj_pci_addr a, b;
	char buf[ADJ_PCI_ADDR_LEN + 1], upper[ADJ_PCI_ADDR_LEN + 1];
	int i, j;

	for (i = 0; i < 20000; i++) {
		a.domain = prandom_u32_state(&rnd);
		a.bus = prandom_u32_state(&rnd);
		a.devfn = prandom_u32_state(&rnd);
		KUNIT_ASSERT_EQ(test, adj_pci_format(&a, buf, sizeof(buf)), ADJ_PCI_ADDR_LEN);
		KUNIT_ASSERT_TRUE(test, adj_is_pci_addr(buf));
		KUNIT_ASSERT_EQ_MSG(test, adj_pci_parse(buf, &b), 0, "%s", buf);
		KUNIT_ASSERT_EQ(test, a.domain, b.domain);
		KUNIT_ASSERT_EQ(test, a.bus, b.bus);
		KUNIT_ASSERT_EQ(test, a.devfn, b.devfn);
		for (j = 0; j <= ADJ_PCI_ADDR_LEN; j++)
			upper[j] = toupper(buf[j]);
		KUNIT_ASSERT_EQ_MSG(test, adj_pci_parse(upper, &b), 0, "%s", upper);
		KUNIT_ASSERT_EQ(test, a.devfn, b.devfn);
		/* Without the domain: domain 0, the rest the same. */
		KUNIT_ASSERT_EQ(test, adj_pci_parse(buf + 5, &b), 0);
		KUNIT_ASSERT_EQ(test, b.domain, 0);
		KUNIT_ASSERT_EQ(test, a.bus, b.bus);
		KUNIT_ASSERT_EQ(test, a.devfn, b.devfn);
	}
	KUNIT_ASSERT_EQ(test, adj_pci_format(&a, buf, ADJ_PCI_ADDR_LEN), -ENOSPC);
}

static void adj_pci_rejects(struct kunit *test)
{
	static const char *const bad[] = {
		"", ":", "0000:00:00", "00:00", "0000:00:20.0", "00:1f.8",
		"0000:00:00.0x", "000:00:00.0", "00000:00:00.0", "g000:00:00.0",
		"0000-00:00.0", ":00:00.0", "00:00.0:", "0000:00:00.00",
		"0000:0:00.0", "0000:00:0.0", "0000:00:00.", "0000:00:00:0",
		"0000:00:00.0 ", " 0000:00:00.0", "1:2:3:4.5", "0000::00.0",
	};
	static const char valid_chars[] = "0123456789abcdefABCDEF:.";
	struct adj_pci_addr a;
	char buf[ADJ_PCI_ADDR_LEN + 2], again[ADJ_PCI_ADDR_LEN + 1];
	size_t i;
	int n, j;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, adj_pci_parse(bad[i], &a), -EINVAL, "'%s'", bad[i]);
	KUNIT_EXPECT_FALSE(test, adj_is_pci_addr("eth0"));
	KUNIT_EXPECT_FALSE(test, adj_is_pci_addr(""));
	KUNIT_EXPECT_TRUE(test, adj_is_pci_addr("00:1f.8"));

	/*
	 * Any one-character mutation of a valid address is either refused or
	 * is itself the canonical spelling (up to case) of what it parses to.
	 */
	for (n = 0; n < 50000; n++) {
		a.domain = rnd_below(3);
		a.bus = rnd_below(256);
		a.devfn = rnd_below(256);
		adj_pci_format(&a, buf, sizeof(buf));
		j = rnd_below(ADJ_PCI_ADDR_LEN);
		buf[j] = rnd_below(4) ? valid_chars[rnd_below(sizeof(valid_chars) - 1)] :
			 (char)(1 + rnd_below(126));
		if (adj_pci_parse(buf, &a))
			continue;
		adj_pci_format(&a, again, sizeof(again));
		KUNIT_ASSERT_EQ_MSG(test, strncasecmp(buf, again, sizeof(again)), 0,
				    "'%s' parsed as %s", buf, again);
	}
}

/* One step of a random history of the two lowers. */
struct sel_step {
	struct adj_lower_view vf, sb;
	u64 dt;
};

static struct adj_lower_view rnd_view(void)
{
	struct adj_lower_view v;

	v.present = rnd_below(5) != 0;
	v.usable = v.present && rnd_below(3) != 0;
	return v;
}

static void adj_select_properties(struct kunit *test)
{
	static const u64 holddowns[] = { 0, 1000, 200000000 };
	size_t h;
	int run, i;

	for (h = 0; h < ARRAY_SIZE(holddowns); h++) {
		u64 hd = holddowns[h];

		for (run = 0; run < 200; run++) {
			struct adj_select_state st = {};
			u64 now = 1000000000ULL + rnd_below(1000);
			u64 vf_since = 0;	/* the model's own record */
			bool vf_was = false;

			for (i = 0; i < 500; i++) {
				struct sel_step s = {
					.vf = rnd_view(), .sb = rnd_view(),
					.dt = rnd_below(4) ? rnd_below(100000000) : rnd_below(1000),
				};
				enum adj_lower_kind prev = st.active, sel;
				bool vf_ok, sb_ok;
				u64 recheck;

				/* Long stable stretches too, so hold-downs expire. */
				if (i % 50 > 40)
					s.vf = (struct adj_lower_view){ true, true };
				now += s.dt;
				vf_ok = s.vf.present && s.vf.usable;
				sb_ok = s.sb.present && s.sb.usable;
				if (vf_ok && !vf_was)
					vf_since = now;
				vf_was = vf_ok;

				sel = adj_select(&st, now, s.vf, s.sb, hd, &recheck);
				KUNIT_ASSERT_EQ(test, sel, st.active);
				/* Carrier whenever something can carry, never otherwise. */
				KUNIT_ASSERT_EQ(test, sel != ADJ_LOWER_NONE, vf_ok || sb_ok);
				/* Only a usable lower is picked. */
				if (sel == ADJ_LOWER_VF)
					KUNIT_ASSERT_TRUE(test, vf_ok);
				if (sel == ADJ_LOWER_STANDBY)
					KUNIT_ASSERT_TRUE(test, sb_ok);
				/* The standby only while the VF cannot, or is held down. */
				if (sel == ADJ_LOWER_STANDBY && vf_ok) {
					KUNIT_ASSERT_EQ(test, prev, ADJ_LOWER_STANDBY);
					KUNIT_ASSERT_LT(test, now - vf_since, hd);
					KUNIT_ASSERT_EQ(test, recheck, vf_since + hd);
					KUNIT_ASSERT_GT(test, recheck, now);
				} else {
					KUNIT_ASSERT_EQ(test, recheck, 0);
				}
				/* Leaving the standby for the VF: held down long enough. */
				if (prev == ADJ_LOWER_STANDBY && sel == ADJ_LOWER_VF && sb_ok)
					KUNIT_ASSERT_GE(test, now - vf_since, hd);
				/* Without a hold-down the VF wins whenever it can. */
				if (!hd && vf_ok)
					KUNIT_ASSERT_EQ(test, sel, ADJ_LOWER_VF);
			}
		}
	}
}

static void adj_select_examples(struct kunit *test)
{
	struct adj_lower_view up = { true, true }, down = { true, false }, none = {};
	struct adj_select_state st = {};
	u64 recheck;

	KUNIT_EXPECT_EQ(test, adj_select(&st, 10, up, up, 100, &recheck), ADJ_LOWER_VF);
	KUNIT_EXPECT_EQ(test, adj_select(&st, 20, none, up, 100, &recheck), ADJ_LOWER_STANDBY);
	/* The VF is back at 30: held down until 130 while the standby works. */
	KUNIT_EXPECT_EQ(test, adj_select(&st, 30, up, up, 100, &recheck), ADJ_LOWER_STANDBY);
	KUNIT_EXPECT_EQ(test, recheck, 130);
	KUNIT_EXPECT_EQ(test, adj_select(&st, 129, up, up, 100, &recheck), ADJ_LOWER_STANDBY);
	KUNIT_EXPECT_EQ(test, adj_select(&st, 130, up, up, 100, &recheck), ADJ_LOWER_VF);
	KUNIT_EXPECT_EQ(test, recheck, 0);
	/* A standby that fails while the VF is held down: the VF at once. */
	adj_select(&st, 140, down, up, 100, &recheck);
	KUNIT_EXPECT_EQ(test, adj_select(&st, 150, up, down, 100, &recheck), ADJ_LOWER_VF);
	KUNIT_EXPECT_EQ(test, adj_select(&st, 160, down, down, 100, &recheck), ADJ_LOWER_NONE);
}

static void adj_charge_properties(struct kunit *test)
{
	u64 bytes, prev;
	int i;

	KUNIT_EXPECT_EQ(test, adj_charge_bytes(1024, false, 4096, 777, &bytes), 0);
	KUNIT_EXPECT_EQ(test, bytes, 777);
	KUNIT_EXPECT_EQ(test, adj_charge_bytes(1024, true, 4096, 777, &bytes), 0);
	KUNIT_EXPECT_EQ(test, bytes, 2ULL * 1024 * 4096 + 777);
	KUNIT_EXPECT_EQ(test, adj_charge_bytes(U32_MAX, true, U32_MAX, U32_MAX, &bytes),
			-EOVERFLOW);
	for (i = 0; i < 100000; i++) {
		u32 q = prandom_u32_state(&rnd) >> rnd_below(32);
		u32 t = prandom_u32_state(&rnd) >> rnd_below(32);
		u32 f = prandom_u32_state(&rnd) >> rnd_below(32);
		u64 want, prod;
		bool over;

		over = check_mul_overflow((u64)q, (u64)t, &prod) ||
		       check_mul_overflow(prod, 2ULL, &prod) ||
		       check_add_overflow(prod, (u64)f, &want);
		if (over) {
			KUNIT_ASSERT_EQ(test, adj_charge_bytes(q, true, t, f, &bytes), -EOVERFLOW);
			continue;
		}
		KUNIT_ASSERT_EQ(test, adj_charge_bytes(q, true, t, f, &bytes), 0);
		KUNIT_ASSERT_EQ(test, bytes, want);
		/* More queue never costs less. */
		if (q && !adj_charge_bytes(q - 1, true, t, f, &prev))
			KUNIT_ASSERT_LE(test, prev, bytes);
	}
}

static void adj_stats_sum(struct kunit *test)
{
	struct adj_stats *parts, fwd, rev, want;
	const int max = 64;
	int n, i;

	parts = kunit_kcalloc(test, max, sizeof(*parts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, parts);
	for (n = 0; n < 200; n++) {
		int cnt = 1 + rnd_below(max);

		memset(&fwd, 0, sizeof(fwd));
		memset(&rev, 0, sizeof(rev));
		memset(&want, 0, sizeof(want));
		for (i = 0; i < cnt; i++) {
			u64 *f = (u64 *)&parts[i];
			size_t k;

			for (k = 0; k < sizeof(parts[i]) / sizeof(u64); k++)
				f[k] = ((u64)prandom_u32_state(&rnd) << 20) ^
				       prandom_u32_state(&rnd);
			want.rx_packets += parts[i].rx_packets;
			want.rx_bytes += parts[i].rx_bytes;
			want.tx_packets += parts[i].tx_packets;
			want.tx_bytes += parts[i].tx_bytes;
			want.rx_drops += parts[i].rx_drops;
			want.tx_drops += parts[i].tx_drops;
			want.queue_full += parts[i].queue_full;
		}
		for (i = 0; i < cnt; i++)
			adj_stats_add(&fwd, &parts[i]);
		for (i = cnt - 1; i >= 0; i--)
			adj_stats_add(&rev, &parts[i]);
		KUNIT_ASSERT_EQ(test, memcmp(&fwd, &want, sizeof(want)), 0);
		KUNIT_ASSERT_EQ(test, memcmp(&rev, &want, sizeof(want)), 0);
	}
}

static struct kunit_case adjunct_policy_test_cases[] = {
	KUNIT_CASE(adj_pci_roundtrip),
	KUNIT_CASE(adj_pci_rejects),
	KUNIT_CASE(adj_select_properties),
	KUNIT_CASE(adj_select_examples),
	KUNIT_CASE(adj_charge_properties),
	KUNIT_CASE(adj_stats_sum),
	{}
};

static struct kunit_suite adjunct_policy_test_suite = {
	.name = "adjunct_policy",
	.init = adj_test_init,
	.test_cases = adjunct_policy_test_cases,
};

kunit_test_suite(adjunct_policy_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the adjunct's pure rules (PCI addresses, lower selection, charge, counters)");
