// SPDX-License-Identifier: GPL-2.0
/*
 * Adjunct lifecycle: creation (charge the budget, start the kthread, own
 * the VF, make the virtual interface), deletion (the reverse, also when
 * the partition goes away), live VF swap, and the lpar_core hooks that
 * keep an adjunct in step with its partition (CPUs, namespace, deletion).
 * One adjunct per partition, kept in a list sorted by partition id.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "adjunct_sriov/adj.h"

#define ADJ_CARRIER_WAIT_MS	3000	/* a new VF must get link within this */
#define ADJ_RX_SETTLE_US	5000	/* the old VF's ring is emptied meanwhile */

/* Adjunct list and lifecycles; outermost lock, see adj.h. */
DEFINE_MUTEX(adj_lock);
static LIST_HEAD(adj_list);	/* adj_lock; sorted by part_id */
static u64 adj_gen;		/* adj_lock; bumped on every add and del */

/**
 * adj_find() - the adjunct of a partition
 * @part_id: the partition's id
 *
 * Return: the adjunct or NULL; valid while adj_lock is held.
 */
struct adj *adj_find(u32 part_id)
{
	struct adj *adj;

	lockdep_assert_held(&adj_lock);
	list_for_each_entry(adj, &adj_list, node)
		if (adj->part_id == part_id)
			return adj;
	return NULL;
}

/**
 * adj_next() - the first adjunct of a partition with an id >= *@part_id
 * @part_id: where to start; set past the adjunct returned
 *
 * Return: the adjunct or NULL; valid while adj_lock is held.
 */
struct adj *adj_next(u32 *part_id)
{
	struct adj *adj;

	lockdep_assert_held(&adj_lock);
	list_for_each_entry(adj, &adj_list, node) {
		if (adj->part_id >= *part_id) {
			*part_id = adj->part_id + 1;
			return adj;
		}
	}
	return NULL;
}

u64 adj_generation(void)
{
	lockdep_assert_held(&adj_lock);
	return adj_gen;
}

static void adj_publish(struct adj *adj)
{
	struct adj *pos;

	lockdep_assert_held(&adj_lock);
	list_for_each_entry(pos, &adj_list, node)
		if (pos->part_id > adj->part_id)
			break;
	list_add_tail(&adj->node, &pos->node);
	adj_gen++;
}

static void adj_recheck_fn(struct work_struct *work)
{
	struct adj *adj = container_of(to_delayed_work(work), struct adj, recheck);

	rtnl_lock();
	if (!READ_ONCE(adj->dead))
		adj_update_active(adj, true);
	rtnl_unlock();
}

/* What the adjunct costs its partition; see adj_charge_bytes(). */
static int adj_cost(struct adj *adj, u64 *bytes)
{
	u32 fixed = sizeof(*adj) + THREAD_SIZE + sizeof(struct net_device) +
		    nr_cpu_ids * sizeof(struct adj_pcpu_stats);

	/* A queued frame at up to the standard MTU, in a 2 KiB buffer as igbvf's. */
	return adj_charge_bytes(adj->queue_len, adj->mode == LPAR_ADJUNCT_MODE_MEDIATED,
				SKB_TRUESIZE(2048), fixed, bytes);
}

static void adj_free(struct adj *adj)
{
	adj_worker_release(adj);
	free_percpu(adj->stats);
	if (adj->charged)
		lpar_uncharge(adj->part, adj->charged);
	lpar_put(adj->part);
	kfree(adj);
}

static struct adj *adj_alloc(struct lpar *p, enum lpar_adjunct_mode mode, u32 queue_len)
{
	struct adj *adj = kzalloc(sizeof(*adj), GFP_KERNEL);

	if (!adj)
		return NULL;
	adj->stats = netdev_alloc_pcpu_stats(struct adj_pcpu_stats);
	if (!adj->stats) {
		kfree(adj);
		return NULL;
	}
	adj->part = lpar_get(p);
	adj->part_id = lpar_id(p);
	strscpy(adj->part_name, lpar_name(p), sizeof(adj->part_name));
	adj->mode = mode;
	adj->queue_len = queue_len;
	adj_queue_init(&adj->rxq);
	adj_queue_init(&adj->txq);
	INIT_DELAYED_WORK(&adj->recheck, adj_recheck_fn);
	return adj;
}

/**
 * adj_add() - create a partition's adjunct
 * @p: the partition
 * @vf_ref: the VF (PCI address or interface name)
 * @sb_ref: a standby interface, or NULL
 * @mode: direct or mediated
 * @queue_len: packets per adjunct queue (mediated mode)
 * @out: receives the adjunct
 * @extack: where to explain a refusal
 *
 * Either the whole adjunct exists afterwards, or nothing was changed.
 * Called under adj_lock.
 *
 * Return: 0 or a negative errno.
 */
int adj_add(struct lpar *p, const char *vf_ref, const char *sb_ref,
	    enum lpar_adjunct_mode mode, u32 queue_len, struct adj **out,
	    struct netlink_ext_ack *extack)
{
	struct adj_lower *vf = NULL, *sb = NULL;
	bool vf_attached = false;
	struct net *net;
	struct adj *adj;
	u64 bytes;
	int ret;

	lockdep_assert_held(&adj_lock);
	if (lpar_is_dying(p)) {
		NL_SET_ERR_MSG_FMT(extack, "partition %s is being deleted", lpar_name(p));
		return -ENOENT;
	}
	if (adj_find(lpar_id(p))) {
		NL_SET_ERR_MSG_FMT(extack, "partition %s already has an adjunct", lpar_name(p));
		return -EEXIST;
	}
	net = lpar_net_get(p);
	if (!net) {
		NL_SET_ERR_MSG_FMT(extack, "partition %s has no network namespace",
				   lpar_name(p));
		return -EINVAL;
	}
	ret = -ENOMEM;
	adj = adj_alloc(p, mode, queue_len);
	if (!adj)
		goto err_net;

	ret = adj_cost(adj, &bytes);
	if (!ret)
		ret = lpar_charge(p, bytes);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack,
				   "partition %s's budget cannot hold the adjunct's %llu bytes",
				   lpar_name(p), bytes);
		ret = -ENOMEM;
		goto err_free;
	}
	adj->charged = bytes;

	ret = adj_worker_start(adj, extack);
	if (ret)
		goto err_free;

	rtnl_lock();
	vf = adj_lower_claim(adj, vf_ref, ADJ_LOWER_VF, extack);
	if (IS_ERR(vf)) {
		ret = PTR_ERR(vf);
		vf = NULL;
		goto err_unlock;
	}
	if (sb_ref) {
		sb = adj_lower_claim(adj, sb_ref, ADJ_LOWER_STANDBY, extack);
		if (IS_ERR(sb)) {
			ret = PTR_ERR(sb);
			sb = NULL;
			goto err_unlock;
		}
	}
	adj->vif = adj_vif_create(adj, net, vf, extack);
	if (IS_ERR(adj->vif)) {
		ret = PTR_ERR(adj->vif);
		adj->vif = NULL;
		goto err_unlock;
	}
	ret = adj_lower_attach(vf, extack);
	if (ret)
		goto err_vif;
	vf_attached = true;
	if (sb) {
		ret = adj_lower_attach(sb, extack);
		if (ret)
			goto err_vif;
	}
	rcu_assign_pointer(adj->vf, vf);
	rcu_assign_pointer(adj->standby, sb);
	adj_publish(adj);
	adj_update_active(adj, false);
	rtnl_unlock();
	adj_debugfs_add(adj);
	put_net(net);
	*out = adj;
	return 0;

err_vif:
	if (vf_attached) {
		adj_lower_release(vf, true, false);
		vf = NULL;
	}
	unregister_netdevice(adj->vif);
err_unlock:
	if (vf)
		adj_lower_release(vf, false, false);
	if (sb)
		adj_lower_release(sb, false, false);
	rtnl_unlock();
	adj_worker_stop(adj);
err_free:
	adj_free(adj);
err_net:
	put_net(net);
	return ret;
}

/**
 * adj_del() - delete an adjunct
 * @adj: the adjunct; freed
 *
 * The partition's interface loses carrier and disappears, the lowers are
 * given back as they were found, the kthread leaves the partition's cgroup
 * and stops, and the budget is uncharged. Called under adj_lock.
 *
 * Return: 0.
 */
int adj_del(struct adj *adj)
{
	struct adj_lower *vf, *sb;

	lockdep_assert_held(&adj_lock);
	rtnl_lock();
	adj_nl_notify(adj, LPAR_ADJ_CMD_DEL_NTF);
	list_del(&adj->node);
	adj_gen++;
	WRITE_ONCE(adj->dead, true);
	vf = rtnl_dereference(adj->vf);
	sb = rtnl_dereference(adj->standby);
	RCU_INIT_POINTER(adj->vf, NULL);
	RCU_INIT_POINTER(adj->standby, NULL);
	RCU_INIT_POINTER(adj->active, NULL);
	netif_carrier_off(adj->vif);
	if (vf)
		adj_lower_release(vf, true, false);
	if (sb)
		adj_lower_release(sb, true, false);
	rtnl_unlock();

	cancel_delayed_work_sync(&adj->recheck);
	adj_worker_stop(adj);
	rtnl_lock();
	unregister_netdevice(adj->vif);
	rtnl_unlock();
	/* Frames queued by senders that had not yet seen the adjunct dead. */
	adj_queue_purge(adj, &adj->rxq);
	adj_queue_purge(adj, &adj->txq);
	adj_debugfs_del(adj);
	adj_free(adj);
	return 0;
}

/* Waits (under rtnl, bounded) for a just-opened VF to report link. */
static bool adj_wait_carrier(struct net_device *dev)
{
	unsigned int waited;

	for (waited = 0; waited < ADJ_CARRIER_WAIT_MS; waited += 2) {
		if (netif_carrier_ok(dev))
			return true;
		usleep_range(2000, 3000);
	}
	return netif_carrier_ok(dev);
}

/**
 * adj_swap() - move an adjunct to another VF under traffic
 * @adj: the adjunct
 * @vf_ref: the new VF
 * @extack: where to explain a refusal
 *
 * The new VF is owned and brought up; once it has link it is given the
 * interface's MAC address (through its PF) and transmission moves to it, senders
 * still on the old VF are waited for (synchronize_net()) and its transmit
 * queue drained; the old VF gets the new one's former address, so the two
 * never keep the same one, and is given back. The partition's interface
 * keeps carrier throughout. On failure the old VF keeps serving.
 * Called under adj_lock.
 *
 * Return: 0 or a negative errno.
 */
int adj_swap(struct adj *adj, const char *vf_ref, struct netlink_ext_ack *extack)
{
	u64 start = ktime_get_ns(), switched;
	struct adj_lower *old, *new;
	u8 mac[ETH_ALEN], former[ETH_ALEN];
	int ret;

	lockdep_assert_held(&adj_lock);
	rtnl_lock();
	old = rtnl_dereference(adj->vf);
	new = adj_lower_claim(adj, vf_ref, ADJ_LOWER_VF, extack);
	if (IS_ERR(new)) {
		ret = PTR_ERR(new);
		goto out_unlock;
	}
	ether_addr_copy(mac, adj->vif->dev_addr);
	ret = adj_vf_mac_get(new, former);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "VF %s has no valid MAC address", new->pci);
		goto err_release;
	}
	ret = adj_lower_attach(new, extack);
	if (ret)
		goto err_release;
	if (!adj_wait_carrier(new->dev)) {
		NL_SET_ERR_MSG_FMT(extack, "VF %s got no link within %u ms", new->pci,
				   ADJ_CARRIER_WAIT_MS);
		ret = -ENOLINK;
		goto err_detach;
	}
	/*
	 * The address moves only now that the new VF is up: the PF filters
	 * it to a ring that is ready, and the old VF keeps receiving until
	 * the switch (the PF matches the new VF's entry first).
	 */
	ret = adj_vf_mac_set(new, mac, extack);
	if (ret)
		goto err_detach;

	rcu_assign_pointer(adj->vf, new);
	/* A planned swap is not a flap: no hold-down for the new VF. */
	adj->sel.vf_was_usable = true;
	adj->sel.vf_usable_since = 0;
	adj_update_active(adj, true);
	switched = ktime_get_ns();
	synchronize_net();
	if (old) {
		adj_lower_drain(old->dev);
		if (!ether_addr_equal(former, mac))
			adj_vf_mac_set(old, former, NULL);
		usleep_range(ADJ_RX_SETTLE_US, 2 * ADJ_RX_SETTLE_US);
		adj_lower_release(old, true, false);
	}
	adj->swaps++;
	adj->last_swap_ns = switched - start;
	adj_nl_notify(adj, LPAR_ADJ_CMD_SWAP_NTF);
	rtnl_unlock();
	return 0;

err_detach:
	adj_vf_mac_set(new, former, NULL);
	adj_lower_release(new, true, false);
	goto out_unlock;
err_release:
	adj_lower_release(new, false, false);
out_unlock:
	rtnl_unlock();
	return ret;
}

/* ---- partition hooks ---- */

static int adj_part_create(struct lpar_ext *ext, struct lpar *p)
{
	return 0;	/* adjuncts are made on request, not with the partition */
}

static void adj_part_destroy(struct lpar_ext *ext, struct lpar *p)
{
	struct adj *adj;

	mutex_lock(&adj_lock);
	adj = adj_find(lpar_id(p));
	if (adj)
		adj_del(adj);
	mutex_unlock(&adj_lock);
}

static void adj_cpus_changed(struct lpar_ext *ext, struct lpar *p)
{
	struct adj *adj;

	mutex_lock(&adj_lock);
	adj = adj_find(lpar_id(p));
	if (adj)
		adj_worker_pin(adj);
	mutex_unlock(&adj_lock);
}

/* The interface follows its partition's namespace; without one, it goes. */
static void adj_netns_changed(struct lpar_ext *ext, struct lpar *p, struct net *old)
{
	struct net *net = lpar_net_get(p);
	struct adj *adj;
	int ret;

	mutex_lock(&adj_lock);
	adj = adj_find(lpar_id(p));
	if (adj && !net) {
		adj_del(adj);
	} else if (adj) {
		rtnl_lock();
		adj->vif->netns_local = false;
		ret = dev_change_net_namespace(adj->vif, net, "lpvio%d");
		adj->vif->netns_local = true;
		rtnl_unlock();
		if (ret) {
			pr_warn("partition %s: cannot move %s to its new namespace (%d); adjunct deleted\n",
				adj->part_name, adj->vif->name, ret);
			adj_del(adj);
		}
	}
	mutex_unlock(&adj_lock);
	if (net)
		put_net(net);
}

static struct lpar_ext adj_ext = {
	.name = "adjunct",
	.part_create = adj_part_create,
	.part_destroy = adj_part_destroy,
	.cpus_changed = adj_cpus_changed,
	.netns_changed = adj_netns_changed,
};

int adj_ext_init(void)
{
	return lpar_ext_register(&adj_ext);
}

/* Every partition's destroy hook runs: all adjuncts go. */
void adj_ext_exit(void)
{
	lpar_ext_unregister(&adj_ext);
}
