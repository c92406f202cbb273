// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "vmckpt_ring" for the log ring of lpar_vmckpt
 * (vmcheckpoint/ring.c and diff.c, included whole). Property tests with
 * fixed seeds: ring parameters against their definition; tail validation
 * against a reference in unwrapped offsets, with the free-running
 * counters placed just below 2^64 so that they wrap; distinct slots for
 * every live index; the guard-band thresholds (records stop exactly at
 * nr - guard, markers at nr, one guard entry per epoch). Last, a model
 * of the whole log (random writers, checkpoints as checkpoint.c takes
 * them, a consumer that stalls at random and applies entries from the
 * shadow) checks after every step the invariant of
 * Documentation/vmcheckpoint-design.md: a line the replica lacks is in a
 * dirty page, an unconsumed entry or the fallback set, and an acked
 * checkpoint leaves the replica equal to it.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../vmcheckpoint/diff.c"
#include "../vmcheckpoint/ring.c"

static u32 rnd_nr(struct rnd_state *rnd)
{
	return 1U << (4 + prandom_u32_state(rnd) % 17);	/* 16 .. 2^20 */
}

static void ring_params_match_definition(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x5eed0101);
	for (i = 0; i < 20000; i++) {
		u32 nr = prandom_u32_state(&rnd) % 3 ? rnd_nr(&rnd) : prandom_u32_state(&rnd);
		u32 guard = prandom_u32_state(&rnd) % (nr / 2 + 3);
		bool pow2 = nr && !(nr & (nr - 1));
		bool ok = pow2 && nr >= 16 && nr <= (1U << 24) && guard >= 1 && guard <= nr / 2;

		KUNIT_ASSERT_EQ_MSG(test, ckpt_ring_params(nr, guard), ok ? 0 : -EINVAL,
				    "nr %u guard %u", nr, guard);
	}
	KUNIT_EXPECT_EQ(test, ckpt_ring_params(0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_ring_params(1U << 25, 1), -EINVAL);
}

static void tail_check_wraps_like_unwrapped(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x5eed0102);
	for (i = 0; i < 50000; i++) {
		/* base near the wrap; offsets unwrapped, o <= h */
		u64 base = U64_MAX - prandom_u32_state(&rnd) % 5000;
		s64 o = prandom_u32_state(&rnd) % 4096;
		s64 h = o + prandom_u32_state(&rnd) % 4096;
		s64 n = o - 2048 + (s64)(prandom_u32_state(&rnd) % (h - o + 4096));
		bool ok = o <= n && n <= h;

		KUNIT_ASSERT_EQ_MSG(test, ckpt_tail_check(base + o, base + n, base + h),
				    ok ? 0 : -EINVAL, "o %lld n %lld h %lld", o, n, h);
	}
	/* Hostile values: anything far away is refused. */
	KUNIT_EXPECT_EQ(test, ckpt_tail_check(10, U64_MAX, 20), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_tail_check(10, 9, 20), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_tail_check(10, 21, 20), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_tail_check(U64_MAX - 1, 1, 2), 0);
}

static void live_indices_have_distinct_slots(struct kunit *test)
{
	unsigned long *seen;
	struct rnd_state rnd;
	unsigned int i;

	seen = kunit_kzalloc(test, BITS_TO_LONGS(1 << 12) * sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	prandom_seed_state(&rnd, 0x5eed0103);
	for (i = 0; i < 300; i++) {
		u32 nr = 1U << (4 + prandom_u32_state(&rnd) % 9);
		u64 tail = U64_MAX - prandom_u32_state(&rnd) % (2 * nr);
		u64 used = prandom_u32_state(&rnd) % (nr + 1), k;

		bitmap_zero(seen, nr);
		for (k = 0; k < used; k++) {
			u32 slot = ckpt_ring_slot(tail + k, nr);

			KUNIT_ASSERT_LT(test, slot, nr);
			KUNIT_ASSERT_FALSE(test, test_and_set_bit(slot, seen));
		}
		KUNIT_ASSERT_EQ(test, ckpt_ring_used(tail + used, tail), used);
	}
}

static void guard_thresholds(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x5eed0104);
	for (i = 0; i < 200; i++) {
		struct ckpt_prod p = { .nr = 1U << (4 + prandom_u32_state(&rnd) % 10) };
		u64 start = U64_MAX - prandom_u32_state(&rnd) % 100, logged = 0, marks = 0;

		p.guard = 1 + prandom_u32_state(&rnd) % (p.nr / 2);
		p.head = start;
		p.tail = start;
		ckpt_prod_epoch(&p);
		while (ckpt_prod_record(&p) == CKPT_LOG) {
			p.head++;
			logged++;
		}
		KUNIT_ASSERT_EQ(test, logged, (u64)p.nr - p.guard);
		KUNIT_ASSERT_TRUE(test, p.flushing);
		KUNIT_ASSERT_TRUE(test, ckpt_prod_in_guard(&p));
		/* The rest of the epoch falls back without new guard entries. */
		KUNIT_ASSERT_EQ(test, ckpt_prod_record(&p), CKPT_FALLBACK);
		while (ckpt_prod_marker(&p)) {
			p.head++;
			marks++;
		}
		KUNIT_ASSERT_EQ(test, marks, (u64)p.guard);
		KUNIT_ASSERT_EQ(test, ckpt_ring_used(p.head, p.tail), (u64)p.nr);
		/* Still full at the next epoch: the guard band is entered again. */
		ckpt_prod_epoch(&p);
		KUNIT_ASSERT_EQ(test, ckpt_prod_record(&p), CKPT_ENTER_GUARD);
		/* Consumer drains one past the band's edge: logging resumes. */
		p.tail += p.guard + 1;
		ckpt_prod_epoch(&p);
		KUNIT_ASSERT_EQ(test, ckpt_prod_record(&p), CKPT_LOG);
	}
}

/* ---- the whole log, modelled ---- */

#define M_PAGES		8
#define M_STEPS		6000

struct model {
	struct rnd_state rnd;
	struct ckpt_prod p;
	struct ckpt_entry *ring;
	u8 (*src)[CKPT_PAGE_BYTES];
	u8 (*shadow)[CKPT_PAGE_BYTES];
	u8 (*replica)[CKPT_PAGE_BYTES];
	unsigned long dirty, fallback;
	u64 epoch, ctail;	/* ctail: how far the consumer has read */
	u64 complete_read;	/* newest complete END the consumer read */
	u64 end_of_complete;	/* the index after that END */
	u64 guard_events, acks, fallback_logged;
};

static void m_put(struct model *m, u64 off, u64 mask, u32 flags)
{
	struct ckpt_entry *e = &m->ring[ckpt_ring_slot(m->p.head, m->p.nr)];

	*e = (struct ckpt_entry){ .offset = off, .mask = mask, .flags = flags,
				  .epoch = m->epoch };
	m->p.head++;
}

/* checkpoint.c's ckpt_checkpoint(), on the model. */
static void m_checkpoint(struct model *m)
{
	u64 start = m->p.head;
	unsigned int pg, l;
	enum ckpt_verdict v;

	m->epoch++;
	ckpt_prod_epoch(&m->p);
	for (pg = 0; pg < M_PAGES; pg++) {
		if (!(m->fallback & BIT(pg)))
			continue;
		v = ckpt_prod_record(&m->p);
		if (v != CKPT_LOG) {
			m->guard_events += v == CKPT_ENTER_GUARD;
			break;
		}
		m_put(m, pg * CKPT_PAGE_BYTES, ~0ULL, CKPT_ENTRY_PAGE);
		m->fallback &= ~BIT(pg);
		m->fallback_logged++;
	}
	for (pg = 0; pg < M_PAGES; pg++) {
		u64 mask;

		if (!(m->dirty & BIT(pg)))
			continue;
		m->dirty &= ~BIT(pg);
		mask = ckpt_line_mask(m->src[pg], m->shadow[pg]);
		for (l = 0; l < CKPT_PAGE_LINES; l++)
			if (mask & BIT_ULL(l))
				memcpy(m->shadow[pg] + l * CKPT_LINE_SIZE,
				       m->src[pg] + l * CKPT_LINE_SIZE, CKPT_LINE_SIZE);
		if (!mask)
			continue;
		v = ckpt_prod_record(&m->p);
		if (v == CKPT_LOG) {
			m_put(m, pg * CKPT_PAGE_BYTES, mask, CKPT_ENTRY_LINES);
			continue;
		}
		m->guard_events += v == CKPT_ENTER_GUARD;
		m->fallback |= BIT(pg);
	}
	if (ckpt_prod_marker(&m->p))
		m_put(m, m->p.head - start, 0,
		      CKPT_ENTRY_END | (m->fallback ? 0 : CKPT_ENTRY_COMPLETE));
}

static void m_write(struct model *m)
{
	unsigned int pg = prandom_u32_state(&m->rnd) % M_PAGES;
	unsigned int n = 1 + prandom_u32_state(&m->rnd) % 16, i;

	for (i = 0; i < n; i++)
		m->src[pg][prandom_u32_state(&m->rnd) % CKPT_PAGE_BYTES] =
			prandom_u32_state(&m->rnd);
	m->dirty |= BIT(pg);
}

/* The replicator: reads up to @n entries, applying them from the shadow. */
static void m_consume(struct model *m, unsigned int n)
{
	while (n-- && m->ctail != m->p.head) {
		struct ckpt_entry *e = &m->ring[ckpt_ring_slot(m->ctail, m->p.nr)];
		unsigned int pg = e->offset / CKPT_PAGE_BYTES, l;

		m->ctail++;
		if (e->flags & CKPT_ENTRY_END) {
			if (e->flags & CKPT_ENTRY_COMPLETE) {
				m->complete_read = e->epoch;
				m->end_of_complete = m->ctail;
			}
			continue;
		}
		for (l = 0; l < CKPT_PAGE_LINES; l++)
			if (e->mask & BIT_ULL(l))
				memcpy(m->replica[pg] + l * CKPT_LINE_SIZE,
				       m->shadow[pg] + l * CKPT_LINE_SIZE, CKPT_LINE_SIZE);
	}
}

/* Is line @l of page @pg in an entry the consumer has not read yet? */
static bool m_logged(struct model *m, unsigned int pg, unsigned int l)
{
	u64 i;

	for (i = m->ctail; i != m->p.head; i++) {
		struct ckpt_entry *e = &m->ring[ckpt_ring_slot(i, m->p.nr)];

		if (!(e->flags & CKPT_ENTRY_END) && e->offset == pg * CKPT_PAGE_BYTES &&
		    (e->mask & BIT_ULL(l)))
			return true;
	}
	return false;
}

/* The invariant: nothing the replica lacks is unaccounted for. */
static void m_check(struct kunit *test, struct model *m, unsigned int step)
{
	unsigned int pg, l;

	KUNIT_ASSERT_LE(test, ckpt_ring_used(m->p.head, m->p.tail), (u64)m->p.nr);
	for (pg = 0; pg < M_PAGES; pg++)
		for (l = 0; l < CKPT_PAGE_LINES; l++) {
			size_t o = l * CKPT_LINE_SIZE;
			bool src_new = memcmp(m->src[pg] + o, m->shadow[pg] + o, CKPT_LINE_SIZE);
			bool rep_old = memcmp(m->replica[pg] + o, m->shadow[pg] + o,
					      CKPT_LINE_SIZE);

			KUNIT_ASSERT_TRUE_MSG(test, !src_new || (m->dirty & BIT(pg)),
					      "step %u: page %u line %u changed, not dirty",
					      step, pg, l);
			KUNIT_ASSERT_TRUE_MSG(test, !rep_old || (m->fallback & BIT(pg)) ||
					      m_logged(m, pg, l),
					      "step %u: page %u line %u lost", step, pg, l);
		}
}

static void model_loses_nothing(struct kunit *test)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int step, seed;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->src = kunit_kzalloc(test, M_PAGES * CKPT_PAGE_BYTES, GFP_KERNEL);
	m->shadow = kunit_kzalloc(test, M_PAGES * CKPT_PAGE_BYTES, GFP_KERNEL);
	m->replica = kunit_kzalloc(test, M_PAGES * CKPT_PAGE_BYTES, GFP_KERNEL);
	m->ring = kunit_kzalloc(test, 64 * sizeof(*m->ring), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->src);
	KUNIT_ASSERT_NOT_NULL(test, m->shadow);
	KUNIT_ASSERT_NOT_NULL(test, m->replica);
	KUNIT_ASSERT_NOT_NULL(test, m->ring);

	for (seed = 1; seed <= 4; seed++) {
		prandom_seed_state(&m->rnd, 0x5eed0200 + seed);
		memset(m->src, 0, M_PAGES * CKPT_PAGE_BYTES);
		memset(m->shadow, 0, M_PAGES * CKPT_PAGE_BYTES);
		memset(m->replica, 0, M_PAGES * CKPT_PAGE_BYTES);
		m->p = (struct ckpt_prod){ .nr = 16 << (seed % 3),
					   .head = U64_MAX - 40, .tail = U64_MAX - 40 };
		m->p.guard = 1 + prandom_u32_state(&m->rnd) % (m->p.nr / 2);
		m->ctail = m->p.tail;
		m->dirty = 0;
		m->fallback = 0;
		m->complete_read = 0;
		for (step = 0; step < M_STEPS; step++) {
			unsigned int what = prandom_u32_state(&m->rnd) % 10;
			/* long stalls: the consumer sleeps for a while */
			bool stalled = (step / 500) % 3 == 1;

			if (what < 5) {
				m_write(m);
			} else if (what < 7) {
				m_checkpoint(m);
			} else if (!stalled) {
				m_consume(m, 1 + prandom_u32_state(&m->rnd) % 8);
				/* ack: tail through validation, as CKPT_IOC_ACK */
				KUNIT_ASSERT_EQ(test, ckpt_tail_check(m->p.tail, m->ctail,
								      m->p.head), 0);
				m->p.tail = m->ctail;
				if (m->complete_read == m->epoch && m->ctail == m->p.head &&
				    m->end_of_complete == m->ctail) {
					/* acked the newest checkpoint: replica == it */
					KUNIT_ASSERT_EQ(test, memcmp(m->replica, m->shadow,
								     M_PAGES * CKPT_PAGE_BYTES), 0);
					m->acks++;
				}
			}
			m_check(test, m, step);
		}
	}
	/* The run must have exercised what it claims to test. */
	KUNIT_EXPECT_GT(test, m->guard_events, 10ULL);
	KUNIT_EXPECT_GT(test, m->fallback_logged, 10ULL);
	KUNIT_EXPECT_GT(test, m->acks, 10ULL);
	kunit_info(test, "guard events %llu, fallback pages logged %llu, full acks %llu",
		   m->guard_events, m->fallback_logged, m->acks);
}

static struct kunit_case vmckpt_ring_cases[] = {
	KUNIT_CASE(ring_params_match_definition),
	KUNIT_CASE(tail_check_wraps_like_unwrapped),
	KUNIT_CASE(live_indices_have_distinct_slots),
	KUNIT_CASE(guard_thresholds),
	KUNIT_CASE_SLOW(model_loses_nothing),
	{}
};

static struct kunit_suite vmckpt_ring_suite = {
	.name = "vmckpt_ring",
	.test_cases = vmckpt_ring_cases,
};

kunit_test_suite(vmckpt_ring_suite);

MODULE_DESCRIPTION("KUnit: lpar_vmckpt log ring and guard band");
MODULE_LICENSE("GPL");
