// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual interface a partition sees (kind "lpvio"): one stable netdev
 * in the partition's network namespace, with the VF's MAC address and MTU,
 * carrier when some owned lower can carry traffic, and the adjunct's
 * counters. It cannot be created, deleted or moved from userspace (only
 * through the lpar_adjunct family): a partition's root can configure its
 * addresses, never detach it from its adjunct.
 *
 * Transmit: in direct mode the packet goes to the active lower device in
 * the caller's context, as macvlan does; in mediated mode it is queued to
 * the adjunct's kthread and the interface's queue is stopped while the
 * adjunct queue is full (backpressure, not drops).
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "adjunct_sriov/adj.h"

static struct adj *adj_of(const struct net_device *dev)
{
	return ((struct adj_vif *)netdev_priv(dev))->adj;
}

void adj_count_rx(struct adj *adj, unsigned int len)
{
	struct adj_pcpu_stats *s = this_cpu_ptr(adj->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

void adj_count_tx(struct adj *adj, unsigned int len)
{
	struct adj_pcpu_stats *s = this_cpu_ptr(adj->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

/**
 * adj_xmit_lower() - send one frame on a lower device and count it
 * @adj: the adjunct whose interface the frame left by
 * @skb: the frame; consumed
 * @lower: the VF or standby to send it on
 *
 * Shared by the direct path (adj_vif_xmit) and the mediated thread.
 */
void adj_xmit_lower(struct adj *adj, struct sk_buff *skb, struct net_device *lower)
{
	unsigned int len = skb->len;

	skb->dev = lower;
	if (dev_xmit_complete(dev_queue_xmit(skb)))
		adj_count_tx(adj, len);
	else
		adj_count_drop(adj, false, false);
}

void adj_count_drop(struct adj *adj, bool rx, bool queue_full)
{
	struct adj_pcpu_stats *s = this_cpu_ptr(adj->stats);

	u64_stats_update_begin(&s->syncp);
	if (rx)
		u64_stats_inc(&s->rx_drops);
	else
		u64_stats_inc(&s->tx_drops);
	if (queue_full)
		u64_stats_inc(&s->queue_full);
	u64_stats_update_end(&s->syncp);
}

/* The mediated transmit queue filled and stopped the interface's queue. */
void adj_count_queue_full(struct adj *adj)
{
	struct adj_pcpu_stats *s = this_cpu_ptr(adj->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->queue_full);
	u64_stats_update_end(&s->syncp);
}

/* Sums the per-CPU counters; pure adj_stats_add() does the adding. */
void adj_stats_read(struct adj *adj, struct adj_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct adj_pcpu_stats *s = per_cpu_ptr(adj->stats, cpu);
		struct adj_stats one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			one.rx_packets = u64_stats_read(&s->rx_packets);
			one.rx_bytes = u64_stats_read(&s->rx_bytes);
			one.tx_packets = u64_stats_read(&s->tx_packets);
			one.tx_bytes = u64_stats_read(&s->tx_bytes);
			one.rx_drops = u64_stats_read(&s->rx_drops);
			one.tx_drops = u64_stats_read(&s->tx_drops);
			one.queue_full = u64_stats_read(&s->queue_full);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		adj_stats_add(sum, &one);
	}
}

/*
 * Queued to the thread. The interface's queue stops when the adjunct
 * queue fills, so its qdisc holds further frames (backpressure, counted in
 * queue_full); a frame that still finds it full goes back to the qdisc
 * (NETDEV_TX_BUSY), never dropped. The thread wakes the queue below half.
 */
static bool adj_txq_full(struct adj *adj)
{
	return skb_queue_len_lockless(&adj->txq.q) >= adj->queue_len;
}

/*
 * Stops the interface's queue while the adjunct queue is full. Return:
 * whether it stays stopped (the thread, which wakes it below half, may
 * have drained the queue between the check and the stop).
 */
static bool adj_txq_stop(struct adj *adj, struct net_device *dev)
{
	netif_stop_queue(dev);
	/* Pairs with the thread's dequeue before its netif_queue_stopped(). */
	smp_mb__after_atomic();
	if (adj_txq_full(adj))
		return true;
	netif_wake_queue(dev);
	return false;
}

static netdev_tx_t adj_xmit_mediated(struct adj *adj, struct sk_buff *skb,
				     struct net_device *dev)
{
	if (unlikely(READ_ONCE(adj->dead))) {
		adj_count_drop(adj, false, false);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	/* Another CPU filled it since the qdisc let this frame go: requeue. */
	if (unlikely(adj_txq_full(adj)) && adj_txq_stop(adj, dev))
		return NETDEV_TX_BUSY;
	adj_queue_put(adj, &adj->txq, skb);
	if (adj_txq_full(adj)) {
		adj_count_queue_full(adj);
		adj_txq_stop(adj, dev);
	}
	return NETDEV_TX_OK;
}

static netdev_tx_t adj_vif_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct adj *adj = adj_of(dev);
	struct net_device *lower;

	if (adj->mode == LPAR_ADJUNCT_MODE_MEDIATED)
		return adj_xmit_mediated(adj, skb, dev);

	lower = rcu_dereference_bh(adj->active);
	if (unlikely(!lower)) {
		adj_count_drop(adj, false, false);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	adj_fo_mark(adj, lower, ADJ_FO_TX);
	adj_xmit_lower(adj, skb, lower);
	return NETDEV_TX_OK;
}

static void adj_vif_get_stats64(struct net_device *dev,
				struct rtnl_link_stats64 *stats)
{
	struct adj_stats sum;

	adj_stats_read(adj_of(dev), &sum);
	stats->rx_packets = sum.rx_packets;
	stats->rx_bytes = sum.rx_bytes;
	stats->tx_packets = sum.tx_packets;
	stats->tx_bytes = sum.tx_bytes;
	stats->rx_dropped = sum.rx_drops;
	stats->tx_dropped = sum.tx_drops;
	stats->rx_fifo_errors = sum.queue_full;
}

/* The MTU is the VF's: a change goes to every owned lower first. */
static int adj_vif_change_mtu(struct net_device *dev, int mtu)
{
	struct adj *adj = adj_of(dev);
	struct adj_lower *lo;
	int ret;

	ASSERT_RTNL();
	lo = rtnl_dereference(adj->vf);
	if (lo) {
		ret = dev_set_mtu(lo->dev, mtu);
		if (ret)
			return ret;
	}
	lo = rtnl_dereference(adj->standby);
	if (lo)
		dev_set_mtu(lo->dev, mtu);	/* best effort: a fallback path */
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

/* The MAC address belongs to the VF the partition was given: fixed. */
static int adj_vif_set_mac(struct net_device *dev, void *addr)
{
	return -EOPNOTSUPP;
}

static int adj_vif_open(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
	return 0;
}

static int adj_vif_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

static const struct net_device_ops adj_vif_ops = {
	.ndo_open		= adj_vif_open,
	.ndo_stop		= adj_vif_stop,
	.ndo_start_xmit		= adj_vif_xmit,
	.ndo_get_stats64	= adj_vif_get_stats64,
	.ndo_change_mtu		= adj_vif_change_mtu,
	.ndo_set_mac_address	= adj_vif_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
};

bool adj_is_vif(const struct net_device *dev)
{
	return dev->netdev_ops == &adj_vif_ops;
}

static void adj_vif_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &adj_vif_ops;
	dev->rtnl_link_ops = &adj_link_ops;
	dev->needs_free_netdev = true;
	/* The partition cannot move it out or delete it (no dellink). */
	dev->netns_local = true;
	dev->lltx = true;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	/*
	 * The lower checksums and segments in software what its hardware
	 * cannot (validate_xmit_skb()), so these are honest on any lower.
	 */
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA |
			NETIF_F_GSO_SOFTWARE;
	dev->hw_features = dev->features;
	dev->min_mtu = ETH_MIN_MTU;
}

/* "ip link add type lpvio" is refused: adjuncts come from lparctl. */
static int adj_link_validate(struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "lpvio interfaces are made by partition adjuncts: use 'lparctl adjunct add'");
	return -EOPNOTSUPP;
}

/* No .setup: rtnetlink cannot create one, and without .dellink not delete. */
struct rtnl_link_ops adj_link_ops = {
	.kind		= "lpvio",
	.priv_size	= sizeof(struct adj_vif),
	.validate	= adj_link_validate,
};

/**
 * adj_vif_create() - make and register an adjunct's virtual interface
 * @adj: the adjunct
 * @net: the partition's network namespace
 * @vf: the (claimed) VF whose MAC address and MTU it takes
 * @extack: where to explain a failure
 *
 * Called under rtnl. In mediated mode the interface has a qdisc (its
 * queue is stopped while the adjunct queue is full); in direct mode it has
 * none, as macvlan: the lower's qdisc is the only one.
 *
 * Return: the registered device or an ERR_PTR().
 */
struct net_device *adj_vif_create(struct adj *adj, struct net *net,
				  struct adj_lower *vf,
				  struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	u8 mac[ETH_ALEN];
	int ret;

	ASSERT_RTNL();
	dev = alloc_netdev(sizeof(struct adj_vif), "lpvio%d", NET_NAME_ENUM,
			   adj_vif_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	((struct adj_vif *)netdev_priv(dev))->adj = adj;
	if (adj->mode == LPAR_ADJUNCT_MODE_DIRECT)
		dev->priv_flags |= IFF_NO_QUEUE;
	dev->max_mtu = vf->dev->max_mtu;
	dev->mtu = vf->dev->mtu;
	ret = adj_vf_mac_get(vf, mac);
	if (ret)
		goto err_free;
	eth_hw_addr_set(dev, mac);
	dev_net_set(dev, net);
	netif_carrier_off(dev);
	ret = register_netdevice(dev);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot register the virtual interface");
		goto err_free;
	}
	return dev;

err_free:
	free_netdev(dev);
	return ERR_PTR(ret);
}
