// SPDX-License-Identifier: GPL-2.0
/*
 * The adjunct's dispatchable context: one kthread per adjunct, named
 * adj/PARTITION, pinned to the partition's CPUs and attached to the
 * partition's cgroup the way vhost attaches its workers to their owner's
 * (cgroup_attach_task_all() from a task of that cgroup), so that the CPU
 * time it spends on the partition's packets is the partition's.
 *
 * In mediated mode it does the packet work: frames the lower received are
 * pushed up the partition's stack from here (netif_receive_skb() in this
 * thread), and frames the partition sent are handed to the active lower
 * from here. In direct mode both happen in the callers' contexts and the
 * thread has nothing to do but exist, pinned and accounted, ready for the
 * mode that needs it.
 */
#include <linux/cgroup.h>
#include <linux/cpumask.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "adjunct_sriov/adj.h"

#define ADJ_BUDGET	256	/* frames per direction per batch, as a NAPI budget */

void adj_worker_kick(struct adj *adj)
{
	wake_up_process(adj->thread);
}

static void adj_batch_done(struct adj *adj, unsigned int n)
{
	adj->work.batches++;
	if (n > adj->work.max_batch)
		adj->work.max_batch = n;
	atomic_sub(n, &adj->inflight);
}

/* One batch of received frames up the partition's stack, as a list. */
static unsigned int adj_worker_rx(struct adj *adj)
{
	struct sk_buff_head batch;
	struct sk_buff *skb;
	unsigned int n;
	LIST_HEAD(list);

	__skb_queue_head_init(&batch);
	n = adj_queue_take(&adj->rxq, &batch, ADJ_BUDGET);
	if (!n)
		return 0;
	while ((skb = __skb_dequeue(&batch))) {
		adj_count_rx(adj, skb->len + skb->mac_len);
		list_add_tail(&skb->list, &list);
	}
	local_bh_disable();
	netif_receive_skb_list(&list);
	local_bh_enable();
	adj->work.delivered += n;
	adj_batch_done(adj, n);
	return n;
}

/* One batch of the partition's frames to the active lower. */
static unsigned int adj_worker_tx(struct adj *adj)
{
	struct sk_buff_head batch;
	struct net_device *lower;
	struct sk_buff *skb;
	unsigned int n;

	__skb_queue_head_init(&batch);
	n = adj_queue_take(&adj->txq, &batch, ADJ_BUDGET);
	if (!n)
		return 0;
	rcu_read_lock();
	lower = rcu_dereference(adj->active);
	if (lower)
		adj_fo_mark(adj, lower, ADJ_FO_TX);
	while ((skb = __skb_dequeue(&batch))) {
		if (unlikely(!lower)) {
			adj_count_drop(adj, false, false);
			kfree_skb(skb);
			adj->work.dropped++;
			continue;
		}
		adj_xmit_lower(adj, skb, lower);
		adj->work.delivered++;
	}
	rcu_read_unlock();
	adj_batch_done(adj, n);
	if (netif_queue_stopped(adj->vif) &&
	    skb_queue_len_lockless(&adj->txq.q) < adj->queue_len / 2)
		netif_wake_queue(adj->vif);
	return n;
}

static bool adj_worker_idle(struct adj *adj)
{
	return skb_queue_empty_lockless(&adj->rxq.q) &&
	       skb_queue_empty_lockless(&adj->txq.q);
}

/*
 * Drains both queues batch by batch, and sleeps only once both are empty
 * with the task state set, so that a producer's wake-up on an empty to
 * non-empty transition is never lost. With poll_us, an emptied queue is
 * polled that long before sleeping (vhost's busyloop_timeout): fewer
 * cross-CPU wake-ups for CPU time spent polling.
 */
static int adj_worker_fn(void *data)
{
	struct adj *adj = data;
	bool worked = false;

	for (;;) {
		unsigned int n;

		if (worked && READ_ONCE(adj_poll_us)) {
			u64 until = ktime_get_ns() + READ_ONCE(adj_poll_us) * NSEC_PER_USEC;

			while (adj_worker_idle(adj) && ktime_get_ns() < until &&
			       !need_resched() && !kthread_should_stop())
				cpu_relax();
		}
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (adj_worker_idle(adj)) {
			schedule();
			worked = false;
			continue;
		}
		__set_current_state(TASK_RUNNING);
		if (!worked)
			adj->work.wakeups++;
		worked = true;
		n = adj_worker_rx(adj);
		n += adj_worker_tx(adj);
		if (n)
			cond_resched();
	}
	return 0;
}

/**
 * adj_worker_pin() - pin the kthread to its partition's CPUs
 * @adj: the adjunct
 *
 * A partition without CPUs leaves the thread unpinned (on the housekeeping
 * CPUs the scheduler picks).
 */
void adj_worker_pin(struct adj *adj)
{
	cpumask_var_t mask;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	lpar_cpus(adj->part, mask);
	cpumask_and(mask, mask, cpu_online_mask);
	if (!cpumask_empty(mask))
		set_cpus_allowed_ptr(adj->thread, mask);
	free_cpumask_var(mask);
}

/*
 * A task whose cgroup (v2) is exactly the partition's: the caller if it is
 * in it (vhost's model, the owner's cgroups), else any member. Counted.
 */
static struct task_struct *adj_cgroup_member(struct cgroup *cgrp)
{
	struct task_struct *t, *found = NULL;

	rcu_read_lock();
	if (task_dfl_cgroup(current) == cgrp) {
		found = current;
	} else {
		for_each_process(t) {
			if (!(t->flags & (PF_EXITING | PF_KTHREAD)) &&
			    task_dfl_cgroup(t) == cgrp) {
				found = t;
				break;
			}
		}
	}
	if (found)
		get_task_struct(found);
	rcu_read_unlock();
	return found;
}

static int adj_worker_attach(struct adj *adj, struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp = lpar_cgroup(adj->part);
	struct task_struct *from;
	int ret;

	if (!cgrp)
		return 0;
	from = adj_cgroup_member(cgrp);
	if (!from) {
		NL_SET_ERR_MSG(extack,
			       "the partition's cgroup has no task to take the adjunct thread's cgroup from: send the request from inside it (lparctl does)");
		return -ESRCH;
	}
	ret = cgroup_attach_task_all(from, adj->thread);
	put_task_struct(from);
	if (ret)
		NL_SET_ERR_MSG(extack,
			       "cannot attach the adjunct thread to the partition's cgroup");
	return ret;
}

/**
 * adj_worker_start() - create, attach, pin and start the adjunct's kthread
 * @adj: the adjunct
 * @extack: where to explain a failure
 *
 * Called under adj_lock, not under rtnl (cgroup attachment must not nest
 * inside rtnl). The thread is created stopped and woken only once it is in
 * the partition's cgroup and on its CPUs, so it never runs elsewhere.
 *
 * Return: 0 or a negative errno.
 */
int adj_worker_start(struct adj *adj, struct netlink_ext_ack *extack)
{
	int ret;

	adj->thread = kthread_create(adj_worker_fn, adj, "adj/%s", adj->part_name);
	if (IS_ERR(adj->thread)) {
		ret = PTR_ERR(adj->thread);
		adj->thread = NULL;
		NL_SET_ERR_MSG(extack, "cannot create the adjunct thread");
		return ret;
	}
	get_task_struct(adj->thread);
	ret = adj_worker_attach(adj, extack);
	if (ret) {
		kthread_stop(adj->thread);
		put_task_struct(adj->thread);
		adj->thread = NULL;
		return ret;
	}
	adj_worker_pin(adj);
	wake_up_process(adj->thread);
	return 0;
}

/**
 * adj_worker_stop() - stop the adjunct's kthread and empty its queues
 * @adj: the adjunct, already unpublished and without lowers
 *
 * The thread leaves the partition's cgroup first, so that the cgroup can
 * be removed as soon as the adjunct is gone. Called without rtnl.
 */
void adj_worker_stop(struct adj *adj)
{
	if (!adj->thread)
		return;
	if (lpar_cgroup(adj->part))
		cgroup_attach_task_all(&init_task, adj->thread);
	kthread_stop(adj->thread);
	adj_queue_purge(adj, &adj->rxq);
	adj_queue_purge(adj, &adj->txq);
}

/**
 * adj_worker_release() - drop the adjunct's reference to its stopped thread
 * @adj: the adjunct, being freed
 *
 * The task_struct outlives the thread until here, so that a late
 * adj_worker_kick() from a path that has not yet seen the adjunct dead
 * wakes a dead task instead of freed memory.
 */
void adj_worker_release(struct adj *adj)
{
	if (adj->thread)
		put_task_struct(adj->thread);
}
