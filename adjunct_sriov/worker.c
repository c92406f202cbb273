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

#define ADJ_BUDGET	64	/* packets per direction between checks */

void adj_worker_kick(struct adj *adj)
{
	wake_up_process(adj->thread);
}

static bool adj_worker_rx(struct adj *adj)
{
	struct sk_buff *skb;
	int n;

	for (n = 0; n < ADJ_BUDGET; n++) {
		skb = skb_dequeue(&adj->rxq);
		if (!skb)
			return false;
		adj_count_rx(adj, skb->len + skb->mac_len);
		local_bh_disable();
		netif_receive_skb(skb);
		local_bh_enable();
	}
	return true;
}

static bool adj_worker_tx(struct adj *adj)
{
	struct net_device *lower;
	struct sk_buff *skb;
	unsigned int len;
	bool more = true;
	int n;

	for (n = 0; n < ADJ_BUDGET; n++) {
		skb = skb_dequeue(&adj->txq);
		if (!skb) {
			more = false;
			break;
		}
		len = skb->len;
		rcu_read_lock();
		lower = rcu_dereference(adj->active);
		if (lower) {
			skb->dev = lower;
			if (dev_xmit_complete(dev_queue_xmit(skb)))
				adj_count_tx(adj, len);
			else
				adj_count_drop(adj, false, false);
		} else {
			adj_count_drop(adj, false, false);
			kfree_skb(skb);
		}
		rcu_read_unlock();
	}
	if (netif_queue_stopped(adj->vif) &&
	    skb_queue_len(&adj->txq) < adj->queue_len / 2)
		netif_wake_queue(adj->vif);
	return more;
}

static int adj_worker_fn(void *data)
{
	struct adj *adj = data;

	for (;;) {
		bool more;

		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (skb_queue_empty_lockless(&adj->rxq) &&
		    skb_queue_empty_lockless(&adj->txq)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		more = adj_worker_rx(adj);
		more |= adj_worker_tx(adj);
		if (more)
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
	skb_queue_purge(&adj->rxq);
	skb_queue_purge(&adj->txq);
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
