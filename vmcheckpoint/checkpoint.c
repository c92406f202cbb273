// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoints: harvest the pages written since their last checkpoint,
 * find their changed 64-byte lines against the shadow, log them into the
 * ring, and handle the guard band; acks of the consumer; the periodic
 * timer. The invariant kept here, proved in
 * Documentation/vmcheckpoint-design.md and tested by the vmckpt_ring
 * KUnit model and the selftests: every line changed since the last
 * acknowledged checkpoint is in exactly one of (a) a dirty page not yet
 * harvested, (b) a ring entry at or above the validated tail, or (c) a
 * page of the fallback set. Harvesting moves a page from (a) to (b) or,
 * while the producer is flushing, to (c); a checkpoint with room moves
 * (c) to (b); only the consumer's validated tail removes from (b).
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "vmcheckpoint/ckpt.h"
#include "vmcheckpoint/netlink-gen.h"

static struct workqueue_struct *ckpt_wq;

static void ckpt_put_entry(struct ckpt_region *r, u64 offset, u64 mask, u32 tid,
			   u32 flags, u64 epoch)
{
	struct ckpt_entry *e = &r->ring[ckpt_ring_slot(r->prod.head, r->prod.nr)];

	e->offset = offset;
	e->mask = mask;
	e->tid = tid;
	e->flags = flags;
	e->epoch = epoch;
	r->prod.head++;
}

/* The overflow interrupt: tell the consumer, count it. */
static void ckpt_guard_entered(struct ckpt_region *r)
{
	lockdep_assert_held(&r->lock);
	r->st.guard_events++;
	WRITE_ONCE(r->hdr->guard_events, r->st.guard_events);
	WRITE_ONCE(r->guard_pending, true);
	if (r->efd)
		eventfd_signal(r->efd);
	wake_up_interruptible_poll(&r->wq, EPOLLPRI);
	ckpt_nl_notify(r, LPAR_CKPT_CMD_GUARD_NTF);
}

/* Logs a whole page of the fallback set, or keeps it there. Returns false to stop. */
static bool ckpt_log_fallback(struct ckpt_region *r, unsigned long pg, u64 epoch)
{
	switch (ckpt_prod_record(&r->prod)) {
	case CKPT_LOG:
		ckpt_put_entry(r, (u64)pg << PAGE_SHIFT, ~0ULL, 0, CKPT_ENTRY_PAGE, epoch);
		clear_bit(pg, r->fallback);
		r->fallback_pages--;
		r->st.fallback_logged++;
		return true;
	case CKPT_ENTER_GUARD:
		ckpt_guard_entered(r);
		return false;
	default:
		return false;
	}
}

/* Harvests one dirty page: write-protect, diff, update the shadow, log. */
static void ckpt_harvest(struct ckpt_region *r, unsigned long pg, u64 epoch)
{
	struct folio *folio = page_folio(r->pages[pg]);
	u64 *cur, *old, mask;
	unsigned int line;
	u32 tid;

	folio_lock(folio);
	folio_mkclean(folio);
	tid = r->tid[pg];
	clear_bit(pg, r->dirty);
	cur = page_address(r->pages[pg]);
	old = page_address(r->shadow[pg]);
	mask = ckpt_line_mask(cur, old);
	for (line = 0; line < CKPT_PAGE_LINES; line++)
		if (mask & (1ULL << line))
			memcpy(old + line * 8, cur + line * 8, CKPT_LINE_SIZE);
	folio_unlock(folio);
	if (!mask)
		return;

	switch (ckpt_prod_record(&r->prod)) {
	case CKPT_LOG:
		ckpt_put_entry(r, (u64)pg << PAGE_SHIFT, mask, tid, CKPT_ENTRY_LINES, epoch);
		r->st.pages_logged++;
		r->st.lines_logged += hweight64(mask);
		return;
	case CKPT_ENTER_GUARD:
		ckpt_guard_entered(r);
		fallthrough;
	default:
		if (!__test_and_set_bit(pg, r->fallback))
			r->fallback_pages++;
	}
}

/**
 * ckpt_checkpoint() - take a checkpoint
 * @r: the region
 * @epoch: out: its number
 *
 * Return: 0, or -ENODEV if the region was destroyed.
 */
int ckpt_checkpoint(struct ckpt_region *r, u64 *epoch)
{
	u64 t0 = ktime_get_ns(), e, start;
	struct ckpt_hist *h;
	unsigned long pg;
	bool complete;

	lockdep_assert_held(&r->lock);
	if (r->dead)
		return -ENODEV;
	e = r->epoch + 1;
	start = r->prod.head;
	ckpt_prod_epoch(&r->prod);

	/* What an earlier flush left behind goes first, while there is room. */
	for_each_set_bit(pg, r->fallback, r->npages)
		if (!ckpt_log_fallback(r, pg, e))
			break;
	for_each_set_bit(pg, r->dirty, r->npages) {
		ckpt_harvest(r, pg, e);
		cond_resched();
	}

	complete = !r->fallback_pages;
	if (ckpt_prod_marker(&r->prod))
		ckpt_put_entry(r, r->prod.head - start, 0, 0,
			       CKPT_ENTRY_END | (complete ? CKPT_ENTRY_COMPLETE : 0), e);
	else
		complete = false;	/* no END entry: the consumer cannot ack it */
	h = &r->hist[e % CKPT_HIST];
	h->epoch = e;
	h->end = r->prod.head;
	h->complete = complete;

	/* Entries first, then the index that makes them visible. */
	smp_store_release(&r->hdr->head, r->prod.head);
	WRITE_ONCE(r->hdr->epoch, e);
	WRITE_ONCE(r->epoch, e);
	r->st.checkpoints++;
	r->st.last_ns = ktime_get_ns() - t0;
	*epoch = e;
	wake_up_interruptible_poll(&r->wq, EPOLLIN);
	ckpt_nl_notify(r, LPAR_CKPT_CMD_CHECKPOINT_NTF);
	return 0;
}

/**
 * ckpt_ack() - the consumer reports progress
 * @r: the region
 * @file: the caller's file; must be the consumer
 * @ack: the checkpoint acknowledged (0: none, only the tail moves)
 *
 * The tail is read from the consumer's page and validated; a bad tail or
 * an ack that cannot be honoured changes nothing (a bad tail is counted).
 *
 * Return: 0; -EACCES not the consumer; -EINVAL bad tail, flags or epoch;
 * -ESTALE epoch too old to check; -EAGAIN the checkpoint is not whole in
 * the log yet or its entries are not all below the tail.
 */
int ckpt_ack(struct ckpt_region *r, struct file *file, const struct ckpt_ack *ack)
{
	struct ckpt_hist *h;
	u64 tail;
	int ret = 0;

	if (ack->flags || ack->pad)
		return -EINVAL;
	mutex_lock(&r->lock);
	if (r->consumer != file) {
		ret = -EACCES;
		goto out;
	}
	tail = READ_ONCE(r->ctrl->tail);
	if (ckpt_tail_check(r->prod.tail, tail, r->prod.head)) {
		r->st.bad_tails++;
		ret = -EINVAL;
		goto out;
	}
	if (ack->epoch > r->acked) {
		h = &r->hist[ack->epoch % CKPT_HIST];
		if (ack->epoch > r->epoch)
			ret = -EINVAL;
		else if (h->epoch != ack->epoch)
			ret = -ESTALE;
		else if (!h->complete || (s64)(tail - h->end) < 0)
			ret = -EAGAIN;
		if (ret)
			goto out;
		r->acked = ack->epoch;
	}
	r->prod.tail = tail;
	if (READ_ONCE(r->guard_pending) && !ckpt_prod_in_guard(&r->prod))
		WRITE_ONCE(r->guard_pending, false);
out:
	mutex_unlock(&r->lock);
	return ret;
}

void ckpt_work_fn(struct work_struct *work)
{
	struct ckpt_region *r = container_of(to_delayed_work(work), struct ckpt_region, work);
	u64 epoch;

	mutex_lock(&r->lock);
	if (r->interval_ms && !ckpt_checkpoint(r, &epoch))
		queue_delayed_work(ckpt_wq, &r->work, msecs_to_jiffies(r->interval_ms));
	mutex_unlock(&r->lock);
}

/**
 * ckpt_set_periodic() - start, retime or stop periodic checkpoints
 * @r: the region
 * @ms: interval in milliseconds, 0 to stop
 *
 * Return: 0 or -ENODEV.
 */
int ckpt_set_periodic(struct ckpt_region *r, u32 ms)
{
	mutex_lock(&r->lock);
	if (r->dead) {
		mutex_unlock(&r->lock);
		return -ENODEV;
	}
	r->interval_ms = ms;
	if (ms)
		mod_delayed_work(ckpt_wq, &r->work, msecs_to_jiffies(ms));
	mutex_unlock(&r->lock);
	if (!ms)
		cancel_delayed_work_sync(&r->work);
	return 0;
}

/**
 * ckpt_status_locked() - a snapshot of a region's state and counters
 * @r: the region, whose lock the caller holds
 * @st: filled in
 */
void ckpt_status_locked(struct ckpt_region *r, struct ckpt_status *st)
{
	lockdep_assert_held(&r->lock);
	memset(st, 0, sizeof(*st));
	st->version = CKPT_ABI_VERSION;
	st->id = r->id;
	st->size = r->size;
	st->epoch = r->epoch;
	st->acked = r->acked;
	st->head = r->prod.head;
	st->tail = r->prod.tail;
	st->dirty_pages = bitmap_weight(r->dirty, r->npages);
	st->fallback_pages = r->fallback_pages;
	st->guard_events = r->st.guard_events;
	st->bad_tails = r->st.bad_tails;
	st->lines_logged = r->st.lines_logged;
	st->pages_logged = r->st.pages_logged;
	st->fallback_logged = r->st.fallback_logged;
	st->checkpoints = r->st.checkpoints;
	st->last_ns = r->st.last_ns;
	st->interval_ms = r->interval_ms;
	st->nr_entries = r->prod.nr;
	st->guard = r->prod.guard;
}

/**
 * ckpt_status() - ckpt_status_locked(), taking the region's lock
 * @r: the region
 * @st: filled in
 */
void ckpt_status(struct ckpt_region *r, struct ckpt_status *st)
{
	mutex_lock(&r->lock);
	ckpt_status_locked(r, st);
	mutex_unlock(&r->lock);
}

int ckpt_checkpoint_init(void)
{
	ckpt_wq = alloc_workqueue("lpar_vmckpt", WQ_UNBOUND, 0);
	return ckpt_wq ? 0 : -ENOMEM;
}

void ckpt_checkpoint_exit(void)
{
	destroy_workqueue(ckpt_wq);
}
