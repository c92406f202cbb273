// SPDX-License-Identifier: GPL-2.0
/*
 * The mediated queues between the data path and an adjunct's thread, and
 * the accounting that proves no frame is lost inside the module: every
 * skb put on a queue counts in adj->inflight until the thread hands it on
 * (stack or lower) or frees it, or teardown purges it. A producer wakes
 * the thread only when it makes its queue non-empty (the thread, once
 * woken, drains until both queues are empty before it sleeps again), and
 * the thread takes a whole batch under one lock acquisition, so that a
 * busy adjunct costs one wake-up and one lock round per batch, not per
 * frame. Also the data path's half of the switchover timing.
 */
#include "adjunct_sriov/adj.h"

void adj_queue_init(struct adj_queue *aq)
{
	skb_queue_head_init(&aq->q);
	aq->queued = 0;
	aq->kicks = 0;
}

/**
 * adj_queue_put() - queue an skb to the adjunct thread
 * @adj: the adjunct
 * @aq: its rxq or txq
 * @skb: the frame; owned by the queue afterwards
 *
 * Wakes the thread if the queue was empty: a non-empty queue has a
 * wake-up pending or the thread running, which rechecks both queues with
 * its state set before it sleeps (adj_worker_fn()).
 *
 * Return: whether the thread was woken.
 */
bool adj_queue_put(struct adj *adj, struct adj_queue *aq, struct sk_buff *skb)
{
	unsigned long flags;
	bool kick;

	atomic_inc(&adj->inflight);
	spin_lock_irqsave(&aq->q.lock, flags);
	kick = skb_queue_empty(&aq->q);
	__skb_queue_tail(&aq->q, skb);
	aq->queued++;
	if (kick)
		aq->kicks++;
	spin_unlock_irqrestore(&aq->q.lock, flags);
	if (kick)
		adj_worker_kick(adj);
	return kick;
}

/**
 * adj_queue_take() - move up to @budget queued skbs to the thread's batch
 * @aq: the queue
 * @batch: an initialised, private list (no lock used)
 * @budget: at most this many
 *
 * Return: the number moved; they stay counted in adj->inflight.
 */
unsigned int adj_queue_take(struct adj_queue *aq, struct sk_buff_head *batch,
			    unsigned int budget)
{
	unsigned int n;

	if (skb_queue_empty_lockless(&aq->q))
		return 0;
	spin_lock_irq(&aq->q.lock);
	n = skb_queue_len(&aq->q);
	if (n <= budget) {
		skb_queue_splice_tail_init(&aq->q, batch);
	} else {
		for (n = 0; n < budget; n++)
			__skb_queue_tail(batch, __skb_dequeue(&aq->q));
	}
	spin_unlock_irq(&aq->q.lock);
	return n;
}

/* Frees what teardown finds queued; the thread is stopped. */
void adj_queue_purge(struct adj *adj, struct adj_queue *aq)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&aq->q))) {
		kfree_skb(skb);
		adj->work.purged++;
		atomic_dec(&adj->inflight);
	}
}

/**
 * adj_fo_mark() - note the first frame on the standby after a fallback
 * @adj: the adjunct
 * @lower: the lower the frame went out on or came in from
 * @bit: ADJ_FO_TX or ADJ_FO_RX
 *
 * Called on the data path for every frame; costs one load unless a
 * fallback is pending.
 */
void adj_fo_mark(struct adj *adj, struct net_device *lower, int bit)
{
	if (likely(!READ_ONCE(adj->fo_pending)))
		return;
	if (lower != READ_ONCE(adj->fo_dev) || !test_and_clear_bit(bit, &adj->fo_pending))
		return;
	if (bit == ADJ_FO_TX)
		WRITE_ONCE(adj->fo_first_tx_ns, ktime_get_ns());
	else
		WRITE_ONCE(adj->fo_first_rx_ns, ktime_get_ns());
}
