// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for corefold's pure policy and power model. A KUnit module
 * cannot link another module's objects, so the two pure files are
 * included whole; they carry no exports for that reason. Most cases are
 * property tests: seeded random machines (sockets, cores, threads, CPU
 * numbering with holes), random disjoint partitions, random knobs and
 * demand replayed interval by interval the way tools/corefold-sim does,
 * with the promises of fold_step() checked after every interval: no more
 * sockets than the unfolded cores need, nothing outside a partition
 * touched, never below the floor, decisions that explain the new state,
 * no oscillation under constant load, unfolding within one interval of a
 * step up. A few examples pin the behaviour a reader expects.
 */
#include "../corefold/policy.c"
#include "../corefold/power.c"

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/prandom.h>
#include <linux/string.h>

#define T_MAX_CPUS		512
#define T_MAX_PARTS		6
#define T_MAX_CORES		(16 * 8)
#define T_LONGS			BITS_TO_LONGS(T_MAX_CPUS)
#define T_NO_PART		0xff

static struct rnd_state rnd;

static u64 rnd64(void)
{
	return (u64)prandom_u32_state(&rnd) << 32 | prandom_u32_state(&rnd);
}

static u32 rnd_below(u32 n)
{
	return prandom_u32_state(&rnd) % n;
}

/* A machine, its partitions, their demand, and the policy's state. */
struct fx {
	struct kunit *test;
	struct fold_topology topo;
	struct fold_cpu cpu[T_MAX_CPUS];
	struct fold_partition parts[T_MAX_PARTS];
	unsigned long pbits[T_MAX_PARTS][T_LONGS];
	u8 owner[T_MAX_CPUS];		/* partition of each present CPU */
	u32 nr_parts;
	u32 demand[T_MAX_PARTS];	/* per mille of each of the partition's CPUs */
	u16 host_util[T_MAX_CPUS];	/* CPUs outside partitions */
	u16 util[T_MAX_CPUS];
	struct fold_tunables tun;
	unsigned long unfolded[T_LONGS];
	unsigned long old[T_LONGS];
	struct fold_part_state pst[T_MAX_PARTS];
	struct fold_state st;
	struct fold_decision dec[T_MAX_CPUS];
	struct fold_output out;
	void *work;
	size_t work_len;
};

static int fold_test_init(struct kunit *test)
{
	prandom_seed_state(&rnd, 0xc0f01d2011102115ULL);
	return 0;
}

static struct fx *fx_alloc(struct kunit *test)
{
	struct fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->work_len = fold_work_size(T_MAX_CPUS, 16, 8, T_MAX_PARTS);
	fx->work = kunit_kzalloc(test, fx->work_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->work);
	return fx;
}

static u32 fx_core(const struct fx *fx, u32 cpu)
{
	return fold_cpu_core(&fx->topo, cpu);
}

static u32 fx_nr_cores(const struct fx *fx)
{
	return fx->topo.nr_sockets * fx->topo.cores_per_socket;
}

static void fx_add_cpu(struct fx *fx, u32 cpu, u32 p)
{
	if (p == T_NO_PART)
		return;
	__set_bit(cpu, fx->pbits[p]);
	if (fx->cpu[cpu].socket != FOLD_ABSENT)
		fx->owner[cpu] = p;
}

static void fx_reset_state(struct fx *fx)
{
	fx->st.nr_cpus = fx->topo.nr_cpus;
	fx->st.nr_parts = fx->nr_parts;
	fx->st.unfolded = fx->unfolded;
	fx->st.part = fx->pst;
	fold_state_init(&fx->st);
}

/*
 * A random machine: up to @max_sockets sockets of up to 8 cores of 1, 2 or
 * 4 threads, CPUs numbered in a shuffled order with a few absent; each core
 * goes whole to a random partition or to none, now and then split thread
 * by thread; random valid knobs.
 */
static void fx_random(struct fx *fx, u32 max_sockets)
{
	static const u32 threads[] = { 1, 2, 2, 2, 4 };
	u32 s = 1 + rnd_below(max_sockets), c = 1 + rnd_below(8);
	u32 t = threads[rnd_below(ARRAY_SIZE(threads))];
	u32 n = s * c * t, i, core, p;

	memset(fx->cpu, 0, sizeof(fx->cpu));
	memset(fx->pbits, 0, sizeof(fx->pbits));
	memset(fx->owner, T_NO_PART, sizeof(fx->owner));
	fold_topology_fill(fx->cpu, s, c, t);
	for (i = n; i > 1; i--) {
		u32 j = rnd_below(i);
		struct fold_cpu tmp = fx->cpu[i - 1];

		fx->cpu[i - 1] = fx->cpu[j];
		fx->cpu[j] = tmp;
	}
	for (i = 0; i < n; i++)
		if (!rnd_below(20))
			fx->cpu[i].socket = FOLD_ABSENT;
	fx->topo = (struct fold_topology){
		.nr_cpus = n, .nr_sockets = s, .cores_per_socket = c,
		.threads_per_core = t, .cpu = fx->cpu,
	};

	fx->nr_parts = 1 + rnd_below(4);
	for (core = 0; core < s * c; core++) {
		bool split = !rnd_below(10);

		p = rnd_below(fx->nr_parts + 1);
		for (i = 0; i < n; i++) {
			if (fx->cpu[i].socket == FOLD_ABSENT ||
			    fx->cpu[i].socket * c + fx->cpu[i].core != core)
				continue;
			if (split)
				p = rnd_below(fx->nr_parts + 1);
			fx_add_cpu(fx, i, p == fx->nr_parts ? T_NO_PART : p);
		}
	}
	/* Absent CPUs in a partition's set must be ignored. */
	for (i = 0; i < n; i++)
		if (fx->cpu[i].socket == FOLD_ABSENT && rnd_below(2))
			fx_add_cpu(fx, i, rnd_below(fx->nr_parts));
	for (i = 0; i < n; i++)
		fx->host_util[i] = rnd_below(4) ? 0 : rnd_below(1001);
	for (p = 0; p < fx->nr_parts; p++) {
		fx->parts[p].cpus = fx->pbits[p];
		fx->parts[p].enabled = rnd_below(10) != 0;
		fx->demand[p] = rnd_below(1001);
	}
	fx->tun.low = 100 + rnd_below(400);
	fx->tun.high = fx->tun.low + 50 + rnd_below(400);
	fx->tun.burst = fx->tun.high + rnd_below(1001 - fx->tun.high);
	fx->tun.dwell = rnd_below(5);
	fx->tun.floor = rnd_below(4);
	fx->tun.idle = rnd_below(200);
	fx->tun.consolidate = true;
	fx_reset_state(fx);
}

/* The demand of each partition, spread evenly over its unfolded CPUs. */
static void fx_load(struct fx *fx)
{
	u32 n = fx->topo.nr_cpus, cpu, p;

	for (cpu = 0; cpu < n; cpu++)
		fx->util[cpu] = fx->owner[cpu] == T_NO_PART ? fx->host_util[cpu] : 0;
	for (p = 0; p < fx->nr_parts; p++) {
		u32 total = 0, unf = 0, served, k = 0;

		for (cpu = 0; cpu < n; cpu++) {
			if (fx->owner[cpu] != p)
				continue;
			total++;
			unf += test_bit(cpu, fx->unfolded);
		}
		served = min(fx->demand[p] * total, unf * FOLD_UTIL_MAX);
		for (cpu = 0; cpu < n && unf; cpu++)
			if (fx->owner[cpu] == p && test_bit(cpu, fx->unfolded))
				fx->util[cpu] = served / unf + (k++ < served % unf);
	}
}

static void fx_step(struct fx *fx)
{
	struct fold_input in = {
		.topo = &fx->topo, .parts = fx->parts, .nr_parts = fx->nr_parts,
		.util = fx->util, .tun = &fx->tun,
	};

	fx_load(fx);
	bitmap_copy(fx->old, fx->unfolded, fx->topo.nr_cpus);
	fx->out = (struct fold_output){ .dec = fx->dec, .max_dec = ARRAY_SIZE(fx->dec) };
	KUNIT_ASSERT_EQ(fx->test, fold_step(&in, &fx->st, fx->work, fx->work_len, &fx->out), 0);
	KUNIT_ASSERT_LE(fx->test, fx->out.nr_dec, FOLD_MAX_DECISIONS(fx->topo.nr_cpus));
}

/* Partitions owning a CPU of each core, as a bit mask. */
static void fx_core_owners(const struct fx *fx, u8 *mask)
{
	u32 cpu;

	memset(mask, 0, T_MAX_CORES);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		if (fx->owner[cpu] != T_NO_PART)
			mask[fx_core(fx, cpu)] |= 1 << fx->owner[cpu];
}

/* Unit state: bit (p, core) set if p has an unfolded CPU on the core. */
static void fx_units(const struct fx *fx, const unsigned long *bits, u8 *unit)
{
	u32 cpu;

	memset(unit, 0, T_MAX_CORES);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		if (fx->owner[cpu] != T_NO_PART && test_bit(cpu, bits))
			unit[fx_core(fx, cpu)] |= 1 << fx->owner[cpu];
}

/* Same, with the bit set only if all of p's CPUs on the core are unfolded. */
static void fx_units_full(const struct fx *fx, const unsigned long *bits, u8 *unit)
{
	u8 any_folded[T_MAX_CORES] = {};
	u32 cpu, c;

	fx_units(fx, bits, unit);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		if (fx->owner[cpu] != T_NO_PART && !test_bit(cpu, bits))
			any_folded[fx_core(fx, cpu)] |= 1 << fx->owner[cpu];
	for (c = 0; c < T_MAX_CORES; c++)
		unit[c] &= ~any_folded[c];
}

/* Nothing outside a partition's set is folded, unfolded or named. */
static void check_foreign(struct fx *fx)
{
	struct kunit *test = fx->test;
	u8 owners[T_MAX_CORES], touched[T_MAX_CORES] = {};
	u32 cpu, i;

	fx_core_owners(fx, owners);
	for (i = 0; i < fx->out.nr_dec; i++) {
		const struct fold_decision *d = &fx->dec[i];

		KUNIT_ASSERT_LT(test, d->part, fx->nr_parts);
		KUNIT_ASSERT_LT(test, d->core, fx_nr_cores(fx));
		KUNIT_EXPECT_TRUE_MSG(test, owners[d->core] & (1 << d->part),
				      "%s of core %u by partition %u, which owns none of it",
				      fold_action_name(d->action), d->core, d->part);
		touched[d->core] |= 1 << d->part;
		if (d->dest == FOLD_NONE)
			continue;
		KUNIT_ASSERT_LT(test, d->dest, fx_nr_cores(fx));
		KUNIT_EXPECT_TRUE(test, owners[d->dest] & (1 << d->part));
		if (d->action == FOLD_ACT_EXCHANGE)
			touched[d->dest] |= 1 << d->part;
	}
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
		bool now = test_bit(cpu, fx->unfolded), before = test_bit(cpu, fx->old);

		if (fx->owner[cpu] == T_NO_PART) {
			KUNIT_EXPECT_TRUE_MSG(test, now, "CPU %u outside partitions folded", cpu);
			continue;
		}
		if (now != before)
			KUNIT_EXPECT_TRUE_MSG(test, touched[fx_core(fx, cpu)] &
					      (1 << fx->owner[cpu]),
					      "CPU %u changed with no decision", cpu);
	}
}

/* Every partition keeps at least min(floor, its cores) cores unfolded, whole. */
static void check_floor(struct fx *fx)
{
	u8 owners[T_MAX_CORES], unit[T_MAX_CORES];
	u32 p, c, cpu;

	fx_core_owners(fx, owners);
	fx_units(fx, fx->unfolded, unit);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		if (fx->owner[cpu] != T_NO_PART)
			KUNIT_EXPECT_EQ_MSG(fx->test, test_bit(cpu, fx->unfolded),
					    !!(unit[fx_core(fx, cpu)] & (1 << fx->owner[cpu])),
					    "core %u of partition %u half folded",
					    fx_core(fx, cpu), fx->owner[cpu]);
	for (p = 0; p < fx->nr_parts; p++) {
		u32 units = 0, unf = 0;

		for (c = 0; c < fx_nr_cores(fx); c++) {
			units += !!(owners[c] & (1 << p));
			unf += !!(unit[c] & (1 << p));
		}
		KUNIT_EXPECT_GE_MSG(fx->test, unf, min(max(fx->tun.floor, 1U), units),
				    "partition %u: %u of %u cores unfolded, floor %u", p, unf,
				    units, fx->tun.floor);
	}
}

/*
 * Replaying the decisions on the old state gives the new one. A core is
 * unfolded if any of the partition's CPUs on it is; an unfold may also
 * complete a core only some of whose CPUs were unfolded.
 */
static void check_decisions(struct fx *fx)
{
	u8 unit[T_MAX_CORES], full[T_MAX_CORES], want[T_MAX_CORES];
	u32 i;

	fx_units(fx, fx->old, unit);
	fx_units_full(fx, fx->old, full);
	fx_units(fx, fx->unfolded, want);
	for (i = 0; i < fx->out.nr_dec; i++) {
		const struct fold_decision *d = &fx->dec[i];
		u8 bit = 1 << d->part;

		switch (d->action) {
		case FOLD_ACT_UNFOLD:
			KUNIT_EXPECT_FALSE(fx->test, full[d->core] & bit);
			full[d->core] |= bit;
			unit[d->core] |= bit;
			break;
		case FOLD_ACT_EXCHANGE:
			KUNIT_EXPECT_FALSE(fx->test, unit[d->dest] & bit);
			KUNIT_EXPECT_NE(fx->test, d->dest / fx->topo.cores_per_socket,
					d->core / fx->topo.cores_per_socket);
			unit[d->dest] |= bit;
			fallthrough;
		case FOLD_ACT_FOLD:
		case FOLD_ACT_MIGRATE:
			KUNIT_EXPECT_TRUE(fx->test, unit[d->core] & bit);
			unit[d->core] &= ~bit;
			if (d->action == FOLD_ACT_MIGRATE)
				KUNIT_EXPECT_TRUE(fx->test, unit[d->dest] & bit ||
						  want[d->dest] & bit);
			break;
		default:
			KUNIT_FAIL(fx->test, "unknown action %u", d->action);
		}
		KUNIT_EXPECT_LT(fx->test, d->reason, FOLD_NR_WHY);
	}
	KUNIT_EXPECT_EQ(fx->test, memcmp(unit, want, sizeof(unit)), 0);
}

/* Sockets kept awake whatever the policy does. */
static u64 fx_forced(const struct fx *fx)
{
	u64 forced = 0;
	u32 cpu;

	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
		u32 p = fx->owner[cpu];

		if (fx->cpu[cpu].socket == FOLD_ABSENT)
			continue;
		if ((p == T_NO_PART && fx->util[cpu] >= fx->tun.idle) ||
		    (p != T_NO_PART && !fx->parts[p].enabled))
			forced |= 1ULL << fx->cpu[cpu].socket;
	}
	return forced;
}

/*
 * No more sockets beyond the forced ones than any placement of the same
 * unfolded counts could use: the minimum over all socket subsets, by brute
 * force, of the sockets that give every partition as many cores and CPUs
 * as it now has unfolded.
 */
static void check_sockets(struct fx *fx)
{
	u32 ns = fx->topo.nr_sockets, cps = fx->topo.cores_per_socket;
	u8 cap[T_MAX_PARTS][16] = {}, nr[T_MAX_PARTS][16] = {};
	u32 need_cap[T_MAX_PARTS] = {}, need_nr[T_MAX_PARTS] = {};
	u8 owners[T_MAX_CORES], unit[T_MAX_CORES];
	u64 forced = fx_forced(fx), active = forced, m;
	u32 best = ns, cpu, c, p;

	fx_core_owners(fx, owners);
	fx_units(fx, fx->unfolded, unit);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
		p = fx->owner[cpu];
		if (p == T_NO_PART)
			continue;
		cap[p][fx->cpu[cpu].socket]++;
		if (test_bit(cpu, fx->unfolded)) {
			need_cap[p]++;
			active |= 1ULL << fx->cpu[cpu].socket;
		}
	}
	for (c = 0; c < ns * cps; c++)
		for (p = 0; p < fx->nr_parts; p++) {
			nr[p][c / cps] += !!(owners[c] & (1 << p));
			need_nr[p] += !!(unit[c] & (1 << p));
		}
	KUNIT_EXPECT_EQ(fx->test, fx->out.active, active);

	for (m = 0; m < 1ULL << ns; m++) {
		bool ok = true;

		for (p = 0; p < fx->nr_parts && ok; p++) {
			u32 sc = 0, sn = 0, s;

			if (!fx->parts[p].enabled)
				continue;
			for (s = 0; s < ns; s++)
				if ((m | forced) >> s & 1) {
					sc += cap[p][s];
					sn += nr[p][s];
				}
			ok = sc >= need_cap[p] && sn >= need_nr[p];
		}
		if (ok)
			best = min(best, (u32)hweight64(m & ~forced));
	}
	KUNIT_EXPECT_LE_MSG(fx->test, (u32)hweight64(active & ~forced), best,
			    "%u sockets awake beyond the forced %llx, %u would do",
			    (u32)hweight64(active & ~forced), forced, best);
}

enum {
	CHECK_SOCKETS = 1,
	CHECK_FOREIGN = 2,
	CHECK_FLOOR = 4,
	CHECK_DECISIONS = 8,
};

/*
 * Random machines, each replayed for a number of intervals with demand
 * that jumps now and then (often to zero, to saturation or in between),
 * checking @checks after every interval.
 */
static void run_random(struct kunit *test, u32 machines, u32 max_sockets, u32 checks)
{
	struct fx *fx = fx_alloc(test);
	u32 i, step, p;

	for (i = 0; i < machines; i++) {
		fx_random(fx, max_sockets);
		if (rnd_below(2))
			for (p = 0; p < T_LONGS; p++)
				fx->unfolded[p] = ((unsigned long)prandom_u32_state(&rnd) << 16) ^
						  prandom_u32_state(&rnd);
		for (step = 0; step < 24; step++) {
			for (p = 0; p < fx->nr_parts; p++) {
				if (rnd_below(4))
					continue;
				switch (rnd_below(4)) {
				case 0:
					fx->demand[p] = 0;
					break;
				case 1:
					fx->demand[p] = 1000;
					break;
				default:
					fx->demand[p] = rnd_below(1001);
				}
			}
			fx_step(fx);
			if (checks & CHECK_SOCKETS)
				check_sockets(fx);
			if (checks & CHECK_FOREIGN)
				check_foreign(fx);
			if (checks & CHECK_FLOOR)
				check_floor(fx);
			if (checks & CHECK_DECISIONS)
				check_decisions(fx);
			if (test->status == KUNIT_FAILURE)
				return;
		}
	}
}

static void fold_never_more_sockets_than_needed(struct kunit *test)
{
	run_random(test, 1500, 6, CHECK_SOCKETS);
}

static void fold_never_touches_foreign_cpus(struct kunit *test)
{
	run_random(test, 1500, 6, CHECK_FOREIGN);
}

static void fold_never_below_floor(struct kunit *test)
{
	run_random(test, 1500, 6, CHECK_FLOOR);
}

static void fold_decisions_explain_new_state(struct kunit *test)
{
	run_random(test, 1500, 6, CHECK_DECISIONS);
}

/* Beyond FOLD_EXACT_SOCKETS the packing is greedy; the rest still holds. */
static void fold_large_machines_keep_promises(struct kunit *test)
{
	run_random(test, 300, 16, CHECK_FOREIGN | CHECK_FLOOR | CHECK_DECISIONS);
}

/* Under constant demand the policy settles and then makes no decision. */
static void fold_stable_under_constant_load(struct kunit *test)
{
	struct fx *fx = fx_alloc(test);
	u32 i, step;

	for (i = 0; i < 1000; i++) {
		fx_random(fx, 6);
		for (step = 0; step < 3 * fx->tun.dwell + 6; step++)
			fx_step(fx);
		for (step = 0; step < 40; step++) {
			fx_step(fx);
			KUNIT_ASSERT_EQ_MSG(test, fx->out.nr_dec, 0,
					    "machine %u interval %u: %s of core %u", i, step,
					    fold_action_name(fx->dec[0].action), fx->dec[0].core);
		}
	}
}

/*
 * A random machine settles at a low demand, then every partition's demand
 * steps up at random and one interval runs; @load and @cur get each
 * partition's utilization over that interval and how many of its CPUs
 * were unfolded during it.
 */
static void fx_step_up(struct fx *fx, u32 *load, u32 *cur)
{
	u32 p, cpu, step;

	fx_random(fx, 6);
	for (p = 0; p < fx->nr_parts; p++)
		fx->demand[p] = rnd_below(200);
	for (step = 0; step < 3 * fx->tun.dwell + 6; step++)
		fx_step(fx);
	for (p = 0; p < fx->nr_parts; p++)
		fx->demand[p] += rnd_below(1001 - fx->demand[p]);
	fx_step(fx);
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
		p = fx->owner[cpu];
		if (p == T_NO_PART)
			continue;
		load[p] += fx->util[cpu];
		cur[p] += test_bit(cpu, fx->old);
	}
}

/*
 * After a step up in demand, the next interval serves all of it (or all
 * the partition can), and a partition above the high mark has at least
 * the capacity that sizes it for the target utilization.
 */
static void fold_unfolds_within_one_interval(struct kunit *test)
{
	struct fx *fx = fx_alloc(test);
	u32 i, p, cpu;

	for (i = 0; i < 1000; i++) {
		u32 target, load[T_MAX_PARTS] = {}, cur[T_MAX_PARTS] = {};

		fx_step_up(fx, load, cur);
		target = (fx->tun.low + fx->tun.high) / 2;
		for (p = 0; p < fx->nr_parts; p++) {
			u32 total = 0, unf = 0;

			for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
				if (fx->owner[cpu] != p)
					continue;
				total++;
				unf += test_bit(cpu, fx->unfolded);
			}
			KUNIT_EXPECT_GE_MSG(test, unf * FOLD_UTIL_MAX,
					    min(fx->demand[p] * total, total * FOLD_UTIL_MAX),
					    "partition %u: %u of %u CPUs for demand %u", p, unf,
					    total, fx->demand[p]);
			if (cur[p] && load[p] / cur[p] > fx->tun.high)
				KUNIT_EXPECT_GE(test, unf,
						min(DIV_ROUND_UP(load[p], target), total));
		}
	}
}

/*
 * The burst rule: whenever fold_burst() holds for an enabled partition's
 * load over its unfolded CPUs, the step unfolds every CPU it has; and
 * fold_burst() agrees with its definition.
 */
static void fold_burst_unfolds_everything(struct kunit *test)
{
	struct fx *fx = fx_alloc(test);
	u32 i, p, cpu, bursts = 0;

	for (i = 0; i < 1000; i++) {
		u32 load[T_MAX_PARTS] = {}, cur[T_MAX_PARTS] = {};

		fx_step_up(fx, load, cur);
		for (p = 0; p < fx->nr_parts; p++) {
			u32 total = 0, unf = 0;
			bool burst = fold_burst(&fx->tun, load[p], cur[p]);

			KUNIT_EXPECT_EQ(test, burst, cur[p] && load[p] >= cur[p] * fx->tun.burst);
			if (!burst || !fx->parts[p].enabled)
				continue;
			bursts++;
			for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++) {
				if (fx->owner[cpu] != p)
					continue;
				total++;
				unf += test_bit(cpu, fx->unfolded);
			}
			KUNIT_EXPECT_EQ_MSG(test, unf, total, "partition %u: load %u on %u CPUs",
					    p, load[p], cur[p]);
		}
	}
	KUNIT_EXPECT_GT(test, bursts, 100U);
}

/*
 * fold_util_of(): within 0..FOLD_UTIL_MAX; with the clock, the part of the
 * interval not idle (never less for more busy time lost by the tick, never
 * more for more idle time); where the tick lost nothing (busy + idle ==
 * wall) the two ways agree exactly; nothing to go by reads 0.
 */
static void fold_util_of_is_the_share_not_idle(struct kunit *test)
{
	u32 i;

	KUNIT_EXPECT_EQ(test, fold_util_of(0, 0, 0), 0);
	for (i = 0; i < 10000; i++) {
		u64 wall = 1 + rnd64() % 60000000000ULL;	/* up to a minute */
		u64 idle = rnd64() % (wall + wall / 4 + 1);
		u64 busy = idle < wall ? wall - idle : 0;
		u64 lost = rnd64() % (busy + 1);
		u64 more = rnd64() % (wall + 1);
		u16 u = fold_util_of(busy - lost, idle, wall);

		KUNIT_ASSERT_LE(test, u, FOLD_UTIL_MAX);
		KUNIT_EXPECT_EQ(test, u, idle >= wall ? 0 : (wall - idle) * FOLD_UTIL_MAX / wall);
		KUNIT_EXPECT_EQ(test, u, fold_util_of(busy, idle, wall));
		KUNIT_EXPECT_LE(test, fold_util_of(busy, idle + more, wall), u);
		KUNIT_EXPECT_EQ(test, fold_util_of(busy, idle, 0), u);
		KUNIT_EXPECT_LE(test, fold_util_of(busy - lost, idle, 0), u);
		KUNIT_EXPECT_LE(test, fold_util_of(busy, idle, 0), FOLD_UTIL_MAX);
	}
}

/*
 * Whatever scattered state it starts from, a step leaves every enabled
 * partition with at least the capacity it asked for and the floor, and an
 * exchange never changes a partition's count.
 */
static void fold_exchange_keeps_requested_count(struct kunit *test)
{
	struct fx *fx = fx_alloc(test);
	u8 before[T_MAX_CORES], after[T_MAX_CORES];
	u32 i, p, c, cpu, exchanges = 0;

	for (i = 0; i < 2000; i++) {
		fx_random(fx, 6);
		for (p = 0; p < T_LONGS; p++)
			fx->unfolded[p] = prandom_u32_state(&rnd);
		fx_step(fx);
		fx_units(fx, fx->old, before);
		fx_units(fx, fx->unfolded, after);
		for (p = 0; p < fx->nr_parts; p++) {
			u32 cap = 0, nb = 0, na = 0, delta = 0;

			for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
				cap += fx->owner[cpu] == p && test_bit(cpu, fx->unfolded);
			if (fx->parts[p].enabled && fx->pst[p].want != FOLD_NONE)
				KUNIT_EXPECT_GE(test, cap, fx->pst[p].want);
			for (c = 0; c < fx_nr_cores(fx); c++) {
				nb += !!(before[c] & (1 << p));
				na += !!(after[c] & (1 << p));
			}
			for (c = 0; c < fx->out.nr_dec; c++) {
				const struct fold_decision *d = &fx->dec[c];

				if (d->part != p)
					continue;
				exchanges += d->action == FOLD_ACT_EXCHANGE;
				if (d->action == FOLD_ACT_UNFOLD)
					delta += !(before[d->core] & (1 << p));
				else if (d->action != FOLD_ACT_EXCHANGE)
					delta--;
			}
			KUNIT_EXPECT_EQ(test, na, nb + delta);
		}
	}
	/* The property must have been exercised. */
	KUNIT_EXPECT_GT(test, exchanges, 100U);
}

/* Same input, same output: no hidden state, no uninitialized scratch. */
static void fold_is_deterministic(struct kunit *test)
{
	struct fx *a = fx_alloc(test), *b = fx_alloc(test);
	u32 i, step;

	for (i = 0; i < 100; i++) {
		fx_random(a, 6);
		memcpy(b, a, offsetof(struct fx, work));
		b->test = test;
		b->topo.cpu = b->cpu;
		for (step = 0; step < T_MAX_PARTS; step++)
			b->parts[step].cpus = b->pbits[step];
		b->st.unfolded = b->unfolded;
		b->st.part = b->pst;
		memset(b->work, 0xa5, b->work_len);
		for (step = 0; step < 12; step++) {
			fx_step(a);
			fx_step(b);
			KUNIT_ASSERT_EQ(test, a->out.nr_dec, b->out.nr_dec);
			KUNIT_ASSERT_EQ(test, memcmp(a->dec, b->dec,
						     a->out.nr_dec * sizeof(*a->dec)), 0);
			KUNIT_ASSERT_TRUE(test, bitmap_equal(a->unfolded, b->unfolded,
							     a->topo.nr_cpus));
			a->demand[0] = rnd_below(1001);
			b->demand[0] = a->demand[0];
		}
	}
}

/* A machine of @s x @c x @t CPUs numbered as QEMU does, no partitions. */
static struct fx *fx_machine(struct kunit *test, u32 s, u32 c, u32 t)
{
	struct fx *fx = fx_alloc(test);

	fold_topology_fill(fx->cpu, s, c, t);
	fx->topo = (struct fold_topology){
		.nr_cpus = s * c * t, .nr_sockets = s, .cores_per_socket = c,
		.threads_per_core = t, .cpu = fx->cpu,
	};
	memset(fx->owner, T_NO_PART, sizeof(fx->owner));
	fx->tun = fold_tunables_default;
	return fx;
}

/* The same with @nr_parts partitions, CPU n going to partition @part(n). */
static struct fx *fx_parts(struct kunit *test, u32 s, u32 c, u32 t, u32 nr_parts,
			   u32 (*part)(u32 cpu))
{
	struct fx *fx = fx_machine(test, s, c, t);
	u32 cpu, p;

	fx->nr_parts = nr_parts;
	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		fx_add_cpu(fx, cpu, part(cpu));
	for (p = 0; p < nr_parts; p++)
		fx->parts[p] = (struct fold_partition){ .cpus = fx->pbits[p], .enabled = true };
	fx_reset_state(fx);
	return fx;
}

static u32 part_all(u32 cpu)
{
	return 0;
}

/* QEMU's 2 x 2 x 2: partition 0 has core 0 of each socket, 1 has core 1. */
static u32 part_qemu(u32 cpu)
{
	return (cpu / 2) % 2;
}

static struct fx *fx_qemu(struct kunit *test)
{
	return fx_parts(test, 2, 2, 2, 2, part_qemu);
}

/* The VM selftest's scenario: two partitions at 20 % share one socket. */
static void fold_consolidates_two_partitions(struct kunit *test)
{
	struct fx *fx = fx_qemu(test);
	u32 step, migrates = 0, i;

	fx->demand[0] = 200;
	fx->demand[1] = 200;
	for (step = 1; step < fx->tun.dwell; step++) {
		fx_step(fx);
		KUNIT_EXPECT_EQ(test, fx->out.nr_dec, 0U);	/* the dwell first */
	}
	fx_step(fx);
	for (i = 0; i < fx->out.nr_dec; i++) {
		KUNIT_EXPECT_EQ(test, fx->dec[i].reason, FOLD_WHY_LOW);
		migrates += fx->dec[i].action == FOLD_ACT_MIGRATE;
	}
	KUNIT_EXPECT_EQ(test, migrates, 2U);
	KUNIT_EXPECT_EQ(test, fx->out.active, 1ULL);
	KUNIT_EXPECT_EQ(test, fx->unfolded[0] & 0xff, 0x0fUL);
	for (step = 0; step < 20; step++) {
		fx_step(fx);
		KUNIT_EXPECT_EQ(test, fx->out.nr_dec, 0U);
	}
	/* A burst unfolds everything at once, for both partitions. */
	fx->demand[0] = 950;
	fx->demand[1] = 950;
	fx_step(fx);
	KUNIT_EXPECT_EQ(test, fx->unfolded[0] & 0xff, 0xffUL);
	KUNIT_EXPECT_EQ(test, fx->out.nr_dec, 2U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].reason, FOLD_WHY_BURST);
}

/*
 * The seed's exchange: partition 0 runs on socket 1 while partition 1
 * keeps socket 0 busy; partition 0's unfolded core trades places with its
 * folded core on socket 0, and socket 1 empties.
 */
static void fold_exchange_moves_work_to_busy_socket(struct kunit *test)
{
	struct fx *fx = fx_qemu(test);

	/* Partition 1 gives up core 1 of socket 1 (CPUs 6, 7): host, idle. */
	__clear_bit(6, fx->pbits[1]);
	__clear_bit(7, fx->pbits[1]);
	fx->owner[6] = T_NO_PART;
	fx->owner[7] = T_NO_PART;
	fx->unfolded[0] = 0xfc;	/* p0 on CPUs 4, 5 (core 2), p1 on 2, 3 (core 1) */
	fx->demand[0] = 300;	/* 1.2 CPUs on 2: 60 %, between the marks */
	fx->demand[1] = 600;
	fx_step(fx);
	KUNIT_ASSERT_EQ(test, fx->out.nr_dec, 1U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].action, FOLD_ACT_EXCHANGE);
	KUNIT_EXPECT_EQ(test, fx->dec[0].reason, FOLD_WHY_PACK);
	KUNIT_EXPECT_EQ(test, fx->dec[0].part, 0U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].core, 2U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].dest, 0U);
	KUNIT_EXPECT_EQ(test, fx->unfolded[0] & 0xff, 0xcfUL);
	KUNIT_EXPECT_EQ(test, fx->out.active, 1ULL);
}

/* Without consolidation, unfolded cores are spread evenly (the baseline). */
static void fold_nopack_spreads_evenly(struct kunit *test)
{
	struct fx *fx = fx_parts(test, 2, 8, 1, 1, part_all);
	u32 cpu, per_socket[2] = {};

	fx->tun.consolidate = false;
	fx->tun.dwell = 0;
	fx->demand[0] = 200;	/* 3.2 CPUs of load: 6 cores at 60 % */
	fx_step(fx);
	for (cpu = 0; cpu < 16; cpu++)
		per_socket[cpu / 8] += test_bit(cpu, fx->unfolded);
	KUNIT_EXPECT_EQ(test, per_socket[0], 3U);
	KUNIT_EXPECT_EQ(test, per_socket[1], 3U);
	KUNIT_EXPECT_EQ(test, fx->out.active, 3ULL);

	/* Two partitions that could share a socket each keep their own. */
	fx = fx_qemu(test);
	fx->tun.consolidate = false;
	fx->tun.dwell = 0;
	fx->demand[0] = 200;
	fx->demand[1] = 200;
	fx_step(fx);
	KUNIT_EXPECT_EQ(test, fx->unfolded[0] & 0xff, 0xc3UL);
	KUNIT_EXPECT_EQ(test, fx->out.active, 3ULL);
}

/* A short decision buffer is filled, the rest counted, the state whole. */
static void fold_counts_decisions_beyond_buffer(struct kunit *test)
{
	struct fx *fx = fx_qemu(test);
	struct fold_input in = {
		.topo = &fx->topo, .parts = fx->parts, .nr_parts = 2,
		.util = fx->util, .tun = &fx->tun,
	};
	struct fold_output out = { .dec = fx->dec, .max_dec = 1 };

	fx->tun.dwell = 0;
	fx->demand[0] = 200;
	fx->demand[1] = 200;
	fx->dec[1].core = 77;
	fx_load(fx);
	KUNIT_ASSERT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), 0);
	KUNIT_EXPECT_EQ(test, out.nr_dec, 2U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].action, FOLD_ACT_MIGRATE);
	KUNIT_EXPECT_EQ(test, fx->dec[1].core, 77U);
	KUNIT_EXPECT_EQ(test, fx->unfolded[0] & 0xff, 0x0fUL);
}

/* Hysteresis: fold only after the dwell, unfold to need above the high mark. */
static void fold_hysteresis_timing(struct kunit *test)
{
	struct fx *fx = fx_parts(test, 1, 10, 1, 1, part_all);
	u32 step, n;

	fx->demand[0] = 300;	/* 3 CPUs of load: 5 CPUs at 60 % */
	for (step = 1; step < fx->tun.dwell; step++) {
		fx_step(fx);
		KUNIT_EXPECT_EQ(test, fx->out.nr_dec, 0U);
	}
	fx_step(fx);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 10), 5U);
	KUNIT_EXPECT_EQ(test, fx->out.nr_dec, 5U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].action, FOLD_ACT_FOLD);

	/* 4.2 CPUs of load on 5: 84 % > high, unfold to 7 at once. */
	fx->demand[0] = 420;
	fx_step(fx);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 10), 7U);
	KUNIT_EXPECT_EQ(test, fx->dec[0].reason, FOLD_WHY_HIGH);

	/* Back down: nothing until the low mark has held for the dwell. */
	fx->demand[0] = 200;
	for (n = 0, step = 0; step < fx->tun.dwell - 1; step++) {
		fx_step(fx);
		n += fx->out.nr_dec;
	}
	KUNIT_EXPECT_EQ(test, n, 0U);
	fx_step(fx);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 10), 4U);
}

/*
 * The quiet run against a model of its rule, over random demand on one
 * partition of 10 CPUs (damping off): an interval below the low mark
 * counts, one between the marks pauses the run (TCG's noise: a vCPU the
 * host did not run reads busy), one above the high mark restarts it; the
 * partition folds exactly when @dwell intervals have counted and @dwell
 * passed since its last change, to what the highest load of the counted
 * intervals needs at the target; a run whose peak allows no fold starts
 * over.
 */
static void fold_quiet_run_pauses_between_marks(struct kunit *test)
{
	struct fx *fx = fx_parts(test, 1, 10, 1, 1, part_all);
	u32 target = (fx->tun.low + fx->tun.high) / 2, dwell = fx->tun.dwell;
	u32 round, step, cpu, folds = 0, paused = 0;

	fx->tun.hold_max = 0;
	for (round = 0; round < 100; round++) {
		u32 quiet = 0, peak = 0, since = 0, cur = 10, load, mean, want;

		fx_reset_state(fx);
		for (step = 0; step < 100; step++) {
			/* Mostly light, now and then anything. */
			fx->demand[0] = rnd_below(10) < 7 ? rnd_below(150) : rnd_below(1001);
			fx_step(fx);
			for (load = 0, cpu = 0; cpu < 10; cpu++)
				load += fx->util[cpu];
			mean = load / cur;
			since++;
			want = cur;
			if (mean >= fx->tun.burst) {
				want = 10;
				quiet = 0;
				peak = 0;
			} else if (mean > fx->tun.high) {
				want = min(max(DIV_ROUND_UP(load, target), 1U), 10U);
				quiet = 0;
				peak = 0;
			} else if (mean < fx->tun.low) {
				quiet++;
				peak = max(peak, load);
				if (quiet >= dwell && since >= dwell) {
					want = max(DIV_ROUND_UP(peak, target), 1U);
					if (want >= cur) {
						want = cur;
						quiet = 0;
						peak = 0;
					}
				}
			} else {
				paused += quiet > 0;
			}
			KUNIT_ASSERT_EQ_MSG(test, bitmap_weight(fx->unfolded, 10), want,
					    "round %u step %u: %u unfolded, load %u, quiet %u, peak %u",
					    round, step, cur, load, quiet, peak);
			if (want != cur)
				since = 0;
			if (want < cur) {
				folds++;
				quiet = 0;
				peak = 0;
			}
			cur = want;
		}
	}
	/* The property ran where it matters. */
	KUNIT_EXPECT_GT(test, folds, 100U);
	KUNIT_EXPECT_GT(test, paused, 100U);
}

/* CPUs of partition @p that are unfolded. */
static u32 fx_unfolded_of(const struct fx *fx, u32 p)
{
	u32 cpu, n = 0;

	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		n += fx->owner[cpu] == p && test_bit(cpu, fx->unfolded);
	return n;
}

/*
 * Runs @steps intervals of a demand that turns against every change: low
 * (a quarter of the low mark) while a partition has every CPU unfolded,
 * saturating once one is folded: at once, or with @max_late > 0 after a
 * random 0..@max_late - 1 further intervals of low demand (a fold that
 * noise undoes seconds later; a fold lasts at most @max_late intervals).
 * Returns the fold/unfold cycles (a rise of a partition's unfolded count
 * after a fall), all partitions.
 */
static u32 fx_oscillate(struct fx *fx, u32 steps, u32 max_late)
{
	u32 total[T_MAX_PARTS] = {}, prev[T_MAX_PARTS], late[T_MAX_PARTS] = {};
	u32 cycles = 0, cpu, p, step;
	bool fell[T_MAX_PARTS] = {};

	for (cpu = 0; cpu < fx->topo.nr_cpus; cpu++)
		if (fx->owner[cpu] != T_NO_PART)
			total[fx->owner[cpu]]++;
	for (p = 0; p < fx->nr_parts; p++)
		prev[p] = fx_unfolded_of(fx, p);
	for (step = 0; step < steps; step++) {
		for (p = 0; p < fx->nr_parts; p++) {
			bool low = prev[p] == total[p] || late[p];

			fx->demand[p] = low ? fx->tun.low / 4 : FOLD_UTIL_MAX;
			if (late[p])
				late[p]--;
		}
		fx_step(fx);
		for (p = 0; p < fx->nr_parts; p++) {
			u32 n = fx_unfolded_of(fx, p);

			if (n < prev[p] && !fell[p] && max_late)
				late[p] = rnd_below(max_late);
			if (n < prev[p])
				fell[p] = true;
			if (n > prev[p] && fell[p]) {
				cycles++;
				fell[p] = false;
			}
			prev[p] = n;
		}
	}
	return cycles;
}

/*
 * Oscillation damping: against a demand that turns against every change,
 * each fold comes no sooner than the partition's hold-off after the last
 * unfold, and the hold-off grows fourfold from the dwell up to hold_max
 * with every fold undone before it lasted hold_max intervals; so over
 * 10 x hold_max intervals a partition makes at most the cycles of that
 * growth plus about ten, whether its folds are undone at once or some
 * time later (the VM's case: noise undoes a fold seconds after it, longer
 * than twice a short hold-off). Without damping (hold_max 0) the same
 * machines cycle every few intervals.
 */
static void fold_damps_oscillation(struct kunit *test)
{
	struct fx *fx = fx_alloc(test);
	u32 i, damped = 0, undamped = 0, late = 0;

	for (i = 0; i < 300; i++) {
		u32 steps, bound = 0, h, t = 0, n;

		fx_random(fx, 4);
		fx->tun.hold_max = 20 + rnd_below(100);
		steps = 10 * fx->tun.hold_max;
		/* Cycle k needs h_k intervals after the previous unfold, then one. */
		for (h = fx->tun.dwell; t + h + 1 <= steps; bound++) {
			t += h + 1;
			h = max(fx->tun.dwell, min(4 * max(h, 1U), fx->tun.hold_max));
		}
		n = fx_oscillate(fx, steps, 0);
		KUNIT_EXPECT_LE_MSG(test, n, bound * fx->nr_parts,
				    "machine %u: dwell %u hold_max %u, %u partitions", i,
				    fx->tun.dwell, fx->tun.hold_max, fx->nr_parts);
		damped += n;
		fx_reset_state(fx);
		n = fx_oscillate(fx, steps, fx->tun.hold_max - 1);
		KUNIT_EXPECT_LE_MSG(test, n, bound * fx->nr_parts,
				    "machine %u, folds undone late: dwell %u hold_max %u, %u partitions",
				    i, fx->tun.dwell, fx->tun.hold_max, fx->nr_parts);
		late += n;
		fx->tun.hold_max = 0;
		fx_reset_state(fx);
		undamped += fx_oscillate(fx, steps, 0);
	}
	KUNIT_EXPECT_GT(test, undamped, 4 * damped);
	/* The late variant ran where it matters: its folds were undone. */
	KUNIT_EXPECT_GT(test, late, 300U);
}

/* Demand @demand for @steps intervals; the decisions they made. */
static u32 fx_hold_demand(struct fx *fx, u32 demand, u32 steps)
{
	u32 n = 0;

	fx->demand[0] = demand;
	while (steps--) {
		fx_step(fx);
		n += fx->out.nr_dec;
	}
	return n;
}

/*
 * The hold-off by example (dwell 5, hold_max 100): a fold the burst rule
 * undoes makes the next one wait 20 intervals; one undone after 60
 * intervals (longer than twice that, shorter than hold_max) was premature
 * too: 80; a fold that lasts max(hold_max, twice its hold-off) divides it
 * by four, and the unfold after it does not count: 20 again; a fold
 * undone at once escalates again: 80.
 * A fold undone only in part by the high mark does not count either
 * (fold_hysteresis_timing).
 */
static void fold_damping_relaxes(struct kunit *test)
{
	struct fx *fx = fx_parts(test, 1, 10, 1, 1, part_all);
	u32 d = fx->tun.dwell, h;

	fx->tun.hold_max = 100;
	fx_hold_demand(fx, 300, d);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 10), 5U);
	/*
	 * Each round: a burst undoes the fold (the hold-off it leaves is
	 * checked), then the fold comes back exactly that hold-off later and
	 * lasts @held intervals.
	 */
	for (h = 0; h < 4; h++) {
		static const u32 held[] = { 12, 32, 0, 0 }, want[] = { 4, 16, 4, 16 };

		fx_hold_demand(fx, 1000, 1);
		KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 10), 10U);
		KUNIT_EXPECT_EQ_MSG(test, fx->pst[0].hold, want[h] * d, "round %u", h);
		KUNIT_EXPECT_EQ(test, fx_hold_demand(fx, 300, want[h] * d - 1), 0U);
		fx_hold_demand(fx, 300, 1);
		KUNIT_EXPECT_EQ_MSG(test, bitmap_weight(fx->unfolded, 10), 5U, "round %u", h);
		KUNIT_EXPECT_EQ(test, fx_hold_demand(fx, 300, held[h] * d), 0U);
		if (h == 1)	/* held max(hold_max, 2 x 80) = 160 intervals */
			KUNIT_EXPECT_EQ(test, fx->pst[0].hold, 4 * d);
	}
}

/*
 * Regression (hotplug selftest, 2026-12-03): a quiet run whose peak asks
 * for 3 of 4 CPUs in cores of 2 folds nothing; it must start over, so
 * that a lower load folds a core afterwards. It kept its peak forever.
 */
static void fold_quiet_run_restarts_when_no_unit_can_go(struct kunit *test)
{
	struct fx *fx = fx_parts(test, 1, 2, 2, 1, part_all);
	u32 d = fx->tun.dwell;

	fx_hold_demand(fx, 375, 1);	/* load 1500: quiet, wants 3 CPUs */
	fx_hold_demand(fx, 50, d);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 4), 4U);
	fx_hold_demand(fx, 50, 2 * d);
	KUNIT_EXPECT_EQ(test, bitmap_weight(fx->unfolded, 4), 2U);
}

static void fold_rejects_bad_input(struct kunit *test)
{
	struct fx *fx = fx_qemu(test);
	struct fold_input in = {
		.topo = &fx->topo, .parts = fx->parts, .nr_parts = 2,
		.util = fx->util, .tun = &fx->tun,
	};
	struct fold_output out = { .dec = fx->dec, .max_dec = 8 };
	unsigned long saved = fx->unfolded[0] = 0x5a;

	__set_bit(2, fx->pbits[0]);	/* CPU 2 in both partitions */
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), -EINVAL);
	__clear_bit(2, fx->pbits[0]);
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, 64, &out), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, (u8 *)fx->work + 4, fx->work_len - 4, &out),
			-EINVAL);
	fx->tun.high = fx->tun.low;
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), -EINVAL);
	fx->tun = fold_tunables_default;
	in.nr_parts = 1;
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), -EINVAL);
	in.nr_parts = 2;
	fx->cpu[3].thread = 2;
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), -EINVAL);
	fx->cpu[3].thread = 1;
	KUNIT_EXPECT_EQ(test, fx->unfolded[0], saved);
	KUNIT_EXPECT_EQ(test, fold_step(&in, &fx->st, fx->work, fx->work_len, &out), 0);
}

/* A power-model scenario: random machine, parameters and utilization. */
struct pfx {
	struct fold_topology topo;
	struct fold_cpu cpu[T_MAX_CPUS];
	u16 util[T_MAX_CPUS];
	unsigned long unfolded[T_LONGS];
	struct fold_power_params pp;
	struct fold_energy e;
	void *buf;
};

static struct pfx *pfx_alloc(struct kunit *test)
{
	struct pfx *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->buf = kunit_kzalloc(test, fold_energy_size(16, 8), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->buf);
	return f;
}

static void pfx_random(struct pfx *f)
{
	u32 s = 1 + rnd_below(6), c = 1 + rnd_below(8), t = 1 + rnd_below(2), i;

	fold_topology_fill(f->cpu, s, c, t);
	f->topo = (struct fold_topology){
		.nr_cpus = s * c * t, .nr_sockets = s, .cores_per_socket = c,
		.threads_per_core = t, .cpu = f->cpu,
	};
	f->pp.core_folded_mw = rnd_below(500);
	f->pp.core_idle_mw = f->pp.core_folded_mw + rnd_below(3000);
	f->pp.core_active_mw = f->pp.core_idle_mw + rnd_below(10000);
	f->pp.deep_mw = rnd_below(20000);
	f->pp.uncore_mw = f->pp.deep_mw + rnd_below(40000);
	for (i = 0; i < f->topo.nr_cpus; i++) {
		f->util[i] = rnd_below(3) ? rnd_below(1001) : 0;
		if (rnd_below(2))
			__set_bit(i, f->unfolded);
		else
			__clear_bit(i, f->unfolded);
	}
	fold_energy_init(&f->e, f->buf, s, c);
}

/* A socket whose CPUs are all idle, folded or not, draws its deep power. */
static void fold_power_idle_socket_draws_deep_power(struct kunit *test)
{
	struct pfx *f = pfx_alloc(test);
	u32 i, cpu, s;

	for (i = 0; i < 2000; i++) {
		u32 idle_socket, us = 1 + rnd_below(5000000);

		pfx_random(f);
		idle_socket = rnd_below(f->topo.nr_sockets);
		for (cpu = 0; cpu < f->topo.nr_cpus; cpu++)
			if (f->cpu[cpu].socket == idle_socket)
				f->util[cpu] = 0;
		KUNIT_ASSERT_EQ(test, fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded,
							  us, &f->e, NULL), 0);
		s = idle_socket;
		KUNIT_EXPECT_EQ(test, f->e.uj[s], (u64)f->pp.deep_mw * us / 1000);
		KUNIT_EXPECT_EQ(test, f->e.deep_us[s], (u64)us);
	}
}

/* Every CPU busy: uncore plus every core active, and never deep. */
static void fold_power_busy_socket_draws_full_power(struct kunit *test)
{
	struct pfx *f = pfx_alloc(test);
	u64 uw;
	u32 cpu;

	fold_topology_fill(f->cpu, 2, 20, 2);
	f->topo = (struct fold_topology){
		.nr_cpus = 80, .nr_sockets = 2, .cores_per_socket = 20,
		.threads_per_core = 2, .cpu = f->cpu,
	};
	f->pp = fold_power_xeon_gold_6148;
	for (cpu = 0; cpu < 80; cpu++)
		f->util[cpu] = 1000;
	bitmap_fill(f->unfolded, 80);
	f->buf = kunit_kzalloc(test, fold_energy_size(2, 20), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->buf);
	fold_energy_init(&f->e, f->buf, 2, 20);
	KUNIT_ASSERT_EQ(test, fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded,
						  1000000, &f->e, &uw), 0);
	/* 150 W per socket: the published TDP of the Xeon Gold 6148. */
	KUNIT_EXPECT_EQ(test, uw, 300000000ULL);
	KUNIT_EXPECT_EQ(test, f->e.uj[0], 150000000ULL);
	KUNIT_EXPECT_EQ(test, f->e.deep_us[0], 0ULL);
	KUNIT_EXPECT_EQ(test, fold_energy_total_uj(&f->e), 300000000ULL);
}

/* More utilization never costs less energy; a busy CPU forbids deep. */
static void fold_power_monotonic_in_utilization(struct kunit *test)
{
	struct pfx *f = pfx_alloc(test);
	u32 i, cpu;

	for (i = 0; i < 2000; i++) {
		u64 before, after;

		pfx_random(f);
		KUNIT_ASSERT_EQ(test, fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded,
							  1000, &f->e, &before), 0);
		cpu = rnd_below(f->topo.nr_cpus);
		f->util[cpu] += rnd_below(1001 - f->util[cpu]);
		if (!rnd_below(4))
			f->util[cpu] = 1000;
		fold_energy_init(&f->e, f->buf, f->topo.nr_sockets, f->topo.cores_per_socket);
		KUNIT_ASSERT_EQ(test, fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded,
							  1000, &f->e, &after), 0);
		KUNIT_EXPECT_GE(test, after, before);
		if (f->util[cpu] == 1000)
			KUNIT_EXPECT_EQ(test, f->e.deep_us[f->cpu[cpu].socket], 0ULL);
	}
}

/* Energy summed over short intervals matches one long interval. */
static void fold_power_accumulates_without_drift(struct kunit *test)
{
	struct pfx *f = pfx_alloc(test);
	void *buf2 = kunit_kzalloc(test, fold_energy_size(16, 8), GFP_KERNEL);
	struct fold_energy once;
	u32 i, k, s;

	KUNIT_ASSERT_NOT_NULL(test, buf2);
	for (i = 0; i < 200; i++) {
		u32 n = 1 + rnd_below(1000), us = 1 + rnd_below(997);

		pfx_random(f);
		fold_energy_init(&once, buf2, f->topo.nr_sockets, f->topo.cores_per_socket);
		for (k = 0; k < n; k++)
			fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded, us,
					    &f->e, NULL);
		fold_power_interval(&f->pp, &f->topo, f->util, f->unfolded, n * us,
				    &once, NULL);
		for (s = 0; s < f->topo.nr_sockets; s++) {
			KUNIT_EXPECT_EQ(test, f->e.uj[s], once.uj[s]);
			KUNIT_EXPECT_EQ(test, f->e.deep_us[s], once.deep_us[s]);
		}
		KUNIT_EXPECT_EQ(test, f->e.time_us, (u64)n * us);
	}
}

static struct kunit_case corefold_policy_test_cases[] = {
	KUNIT_CASE(fold_never_more_sockets_than_needed),
	KUNIT_CASE(fold_never_touches_foreign_cpus),
	KUNIT_CASE(fold_never_below_floor),
	KUNIT_CASE(fold_decisions_explain_new_state),
	KUNIT_CASE(fold_large_machines_keep_promises),
	KUNIT_CASE(fold_stable_under_constant_load),
	KUNIT_CASE(fold_unfolds_within_one_interval),
	KUNIT_CASE(fold_burst_unfolds_everything),
	KUNIT_CASE(fold_util_of_is_the_share_not_idle),
	KUNIT_CASE(fold_exchange_keeps_requested_count),
	KUNIT_CASE(fold_is_deterministic),
	KUNIT_CASE(fold_consolidates_two_partitions),
	KUNIT_CASE(fold_exchange_moves_work_to_busy_socket),
	KUNIT_CASE(fold_nopack_spreads_evenly),
	KUNIT_CASE(fold_counts_decisions_beyond_buffer),
	KUNIT_CASE(fold_hysteresis_timing),
	KUNIT_CASE(fold_quiet_run_pauses_between_marks),
	KUNIT_CASE_SLOW(fold_damps_oscillation),
	KUNIT_CASE(fold_damping_relaxes),
	KUNIT_CASE(fold_quiet_run_restarts_when_no_unit_can_go),
	KUNIT_CASE(fold_rejects_bad_input),
	KUNIT_CASE(fold_power_idle_socket_draws_deep_power),
	KUNIT_CASE(fold_power_busy_socket_draws_full_power),
	KUNIT_CASE(fold_power_monotonic_in_utilization),
	KUNIT_CASE(fold_power_accumulates_without_drift),
	{}
};

static struct kunit_suite corefold_policy_test_suite = {
	.name = "corefold_policy",
	.init = fold_test_init,
	.test_cases = corefold_policy_test_cases,
};

kunit_test_suite(corefold_policy_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for corefold's pure policy and power model");
