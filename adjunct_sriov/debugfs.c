// SPDX-License-Identifier: GPL-2.0
/*
 * Debug view of the adjuncts' insides, for the benchmark and the
 * robustness test (not an ABI): /sys/kernel/debug/lpar_adjunct/PART shows
 * how the thread batches (wake-ups, batches, frames queued per direction
 * and how many producers had to wake it), where every queued frame went
 * (delivered, dropped, purged, still in flight) and the last unplanned
 * switchover's timestamps; .../totals adds up every adjunct, including
 * deleted ones, so that "inflight 0" and "balance 0" at rest prove that
 * no frame was leaked by the module.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "adjunct_sriov/adj.h"

static struct dentry *adj_dbg_dir;

/* What deleted adjuncts did; adj_lock. */
static struct {
	u64 adjuncts, queued, kicks, delivered, dropped, purged, leaked;
} adj_gone;

static void adj_queue_counts(struct adj_queue *aq, u64 *queued, u64 *kicks)
{
	spin_lock_irq(&aq->q.lock);
	*queued = aq->queued;
	*kicks = aq->kicks;
	spin_unlock_irq(&aq->q.lock);
}

static int adj_dbg_show(struct seq_file *m, void *unused)
{
	struct adj *adj = m->private;
	const struct adj_work_stats *w = &adj->work;
	u64 rxq, rxk, txq, txk, nfy = READ_ONCE(adj->fo_notify_ns);
	u64 ftx = READ_ONCE(adj->fo_first_tx_ns), frx = READ_ONCE(adj->fo_first_rx_ns);
	int inflight = atomic_read(&adj->inflight);

	adj_queue_counts(&adj->rxq, &rxq, &rxk);
	adj_queue_counts(&adj->txq, &txq, &txk);
	seq_printf(m, "rx_queued %llu\nrx_kicks %llu\ntx_queued %llu\ntx_kicks %llu\n",
		   rxq, rxk, txq, txk);
	seq_printf(m, "wakeups %llu\nbatches %llu\nmax_batch %llu\n",
		   READ_ONCE(w->wakeups), READ_ONCE(w->batches), READ_ONCE(w->max_batch));
	seq_printf(m, "delivered %llu\ndropped %llu\npurged %llu\ninflight %d\n",
		   READ_ONCE(w->delivered), READ_ONCE(w->dropped), READ_ONCE(w->purged),
		   inflight);
	seq_printf(m, "balance %lld\n", (s64)(rxq + txq - READ_ONCE(w->delivered) -
					     READ_ONCE(w->dropped) - READ_ONCE(w->purged)) -
					inflight);
	seq_printf(m, "fo_notify_ns %llu\nfo_first_tx_ns %llu\nfo_first_rx_ns %llu\n",
		   nfy, ftx, frx);
	seq_printf(m, "fo_tx_us %lld\nfo_rx_us %lld\n",
		   nfy && ftx ? (s64)(ftx - nfy) / 1000 : -1,
		   nfy && frx ? (s64)(frx - nfy) / 1000 : -1);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(adj_dbg);

static int adj_dbg_totals_show(struct seq_file *m, void *unused)
{
	u64 queued, kicks, delivered, dropped, purged, q, k;
	s64 inflight = 0;
	u32 id = 0, live = 0;
	struct adj *adj;

	mutex_lock(&adj_lock);
	queued = adj_gone.queued;
	kicks = adj_gone.kicks;
	delivered = adj_gone.delivered;
	dropped = adj_gone.dropped;
	purged = adj_gone.purged;
	while ((adj = adj_next(&id))) {
		live++;
		adj_queue_counts(&adj->rxq, &q, &k);
		queued += q;
		kicks += k;
		adj_queue_counts(&adj->txq, &q, &k);
		queued += q;
		kicks += k;
		delivered += READ_ONCE(adj->work.delivered);
		dropped += READ_ONCE(adj->work.dropped);
		purged += READ_ONCE(adj->work.purged);
		inflight += atomic_read(&adj->inflight);
	}
	seq_printf(m, "adjuncts %u\ndeleted %llu\nqueued %llu\nkicks %llu\n", live,
		   adj_gone.adjuncts, queued, kicks);
	seq_printf(m, "delivered %llu\ndropped %llu\npurged %llu\n", delivered, dropped,
		   purged);
	seq_printf(m, "inflight %lld\nleaked %llu\nbalance %lld\n", inflight,
		   adj_gone.leaked,
		   (s64)(queued - delivered - dropped - purged) - inflight -
		   (s64)adj_gone.leaked);
	mutex_unlock(&adj_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(adj_dbg_totals);

/* Called under adj_lock once the adjunct is published. */
void adj_debugfs_add(struct adj *adj)
{
	lockdep_assert_held(&adj_lock);
	adj->dbg = debugfs_create_file(adj->part_name, 0444, adj_dbg_dir, adj,
				       &adj_dbg_fops);
}

/*
 * Called under adj_lock, the thread stopped and the queues purged: the
 * file goes (debugfs waits for its readers) and the adjunct's counts join
 * the totals; frames still counted in flight now are leaked ones.
 */
void adj_debugfs_del(struct adj *adj)
{
	u64 q, k;
	int left;

	lockdep_assert_held(&adj_lock);
	debugfs_remove(adj->dbg);
	adj->dbg = NULL;
	adj_gone.adjuncts++;
	adj_queue_counts(&adj->rxq, &q, &k);
	adj_gone.queued += q;
	adj_gone.kicks += k;
	adj_queue_counts(&adj->txq, &q, &k);
	adj_gone.queued += q;
	adj_gone.kicks += k;
	adj_gone.delivered += adj->work.delivered;
	adj_gone.dropped += adj->work.dropped;
	adj_gone.purged += adj->work.purged;
	left = atomic_read(&adj->inflight);
	if (left) {
		pr_err("adjunct of %s: %d frames leaked\n", adj->part_name, left);
		adj_gone.leaked += left;
	}
}

void adj_debugfs_init(void)
{
	adj_dbg_dir = debugfs_create_dir("lpar_adjunct", NULL);
	debugfs_create_file("totals", 0444, adj_dbg_dir, NULL, &adj_dbg_totals_fops);
}

void adj_debugfs_exit(void)
{
	debugfs_remove(adj_dbg_dir);
}
