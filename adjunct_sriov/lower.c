// SPDX-License-Identifier: GPL-2.0
/*
 * The lower devices an adjunct owns: the VF (found by PCI address or
 * interface name in the initial namespace) and an optional standby. Owning
 * a lower means what bonding and net_failover do with their slaves: an
 * rx_handler that hands its frames to the virtual interface, a master
 * upper-dev link to it, and, so that the VF stays invisible to address
 * configuration and cannot wander off, IFF_NO_ADDRCONF and netns_local for
 * as long as it is owned. Everything given up is restored on release.
 *
 * The VF's MAC address is administered through its PF (ndo_set_vf_mac),
 * which is what the PF's switch filters on. The netdev
 * notifier turns VF removal, link loss and return into a new choice of
 * active lower (policy.c: adj_select()).
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/sch_generic.h>

#include "adjunct_sriov/adj.h"

static rx_handler_result_t adj_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct adj_lower *lo = rcu_dereference(skb->dev->rx_handler_data);
	struct adj *adj = lo->adj;
	struct net_device *vif = adj->vif;
	unsigned int len;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		adj_count_drop(adj, true, false);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	/* A standby has its own address; frames for ours are for us. */
	if (lo->kind == ADJ_LOWER_STANDBY &&
	    ether_addr_equal(eth_hdr(skb)->h_dest, vif->dev_addr))
		skb->pkt_type = PACKET_HOST;
	adj_fo_mark(adj, lo->dev, ADJ_FO_RX);
	len = skb->len + skb->mac_len;
	skb->dev = vif;
	skb_scrub_packet(skb, !net_eq(dev_net(lo->dev), dev_net(vif)));

	if (adj->mode == LPAR_ADJUNCT_MODE_MEDIATED) {
		if (skb_queue_len_lockless(&adj->rxq.q) >= adj->queue_len) {
			adj_count_drop(adj, true, true);
			kfree_skb(skb);
			return RX_HANDLER_CONSUMED;
		}
		adj_queue_put(adj, &adj->rxq, skb);
		return RX_HANDLER_CONSUMED;
	}
	adj_count_rx(adj, len);
	return RX_HANDLER_ANOTHER;
}

static bool adj_owns(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == adj_rx_handler;
}

/* The PF's netdev in the initial namespace, or NULL. */
static struct net_device *adj_pf_netdev(struct pci_dev *vf)
{
	struct pci_dev *pf = pci_physfn(vf);
	struct net_device *dev;

	ASSERT_RTNL();
	for_each_netdev(&init_net, dev)
		if (dev->dev.parent == &pf->dev)
			return dev;
	return NULL;
}

/* The netdev of a PCI function in @net, or NULL. Under rtnl or RCU. */
static struct net_device *adj_pci_netdev(struct pci_dev *pdev, struct net *net)
{
	struct net_device *dev;

	for_each_netdev_rcu(net, dev)
		if (dev->dev.parent == &pdev->dev)
			return dev;
	return NULL;
}

/* Whether a PCI function has a netdev in a namespace other than init_net. */
static bool adj_pci_netdev_elsewhere(struct pci_dev *pdev, char *name)
{
	struct net_device *dev;
	bool found = false;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (net_eq(net, &init_net))
			continue;
		dev = adj_pci_netdev(pdev, net);
		if (dev) {
			strscpy(name, dev->name, IFNAMSIZ);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static struct net_device *adj_find_vf(const char *ref, struct pci_dev **pdevp,
				      struct netlink_ext_ack *extack)
{
	struct adj_pci_addr addr;
	struct net_device *dev;
	char name[IFNAMSIZ];
	struct pci_dev *pdev;

	if (adj_is_pci_addr(ref)) {
		if (adj_pci_parse(ref, &addr)) {
			NL_SET_ERR_MSG_FMT(extack, "'%s' is not a PCI address (DDDD:BB:DD.F)", ref);
			return ERR_PTR(-EINVAL);
		}
		pdev = pci_get_domain_bus_and_slot(addr.domain, addr.bus, addr.devfn);
		if (!pdev) {
			NL_SET_ERR_MSG_FMT(extack, "no PCI device %s", ref);
			return ERR_PTR(-ENODEV);
		}
		if (!pdev->is_virtfn) {
			NL_SET_ERR_MSG_FMT(extack, "%s is not an SR-IOV virtual function", ref);
			pci_dev_put(pdev);
			return ERR_PTR(-EINVAL);
		}
		rcu_read_lock();
		dev = adj_pci_netdev(pdev, &init_net);
		rcu_read_unlock();
		if (!dev && adj_pci_netdev_elsewhere(pdev, name)) {
			NL_SET_ERR_MSG_FMT(extack,
					   "VF %s: its interface %s is in another network namespace",
					   ref, name);
			pci_dev_put(pdev);
			return ERR_PTR(-EXDEV);
		}
		if (!dev) {
			NL_SET_ERR_MSG_FMT(extack,
					   "VF %s has no network interface (is its driver, igbvf, loaded?)",
					   ref);
			pci_dev_put(pdev);
			return ERR_PTR(-ENODEV);
		}
		*pdevp = pdev;
		return dev;
	}

	dev = __dev_get_by_name(&init_net, ref);
	if (!dev) {
		NL_SET_ERR_MSG_FMT(extack, "no interface %s in the initial network namespace",
				   ref);
		return ERR_PTR(-ENODEV);
	}
	if (!dev->dev.parent || !dev_is_pci(dev->dev.parent) ||
	    !to_pci_dev(dev->dev.parent)->is_virtfn) {
		NL_SET_ERR_MSG_FMT(extack, "%s is not an SR-IOV virtual function", ref);
		return ERR_PTR(-EINVAL);
	}
	*pdevp = pci_dev_get(to_pci_dev(dev->dev.parent));
	return dev;
}

/**
 * adj_lower_claim() - find a lower device and check that it may be owned
 * @adj: the adjunct that wants it
 * @ref: VF: PCI address or interface name; standby: interface name
 * @kind: ADJ_LOWER_VF or ADJ_LOWER_STANDBY
 * @extack: where to explain a refusal
 *
 * Takes references only; the device is not touched until adj_lower_attach().
 * Called under rtnl.
 *
 * Return: the lower, or an ERR_PTR() (-ENODEV, -EINVAL, -EXDEV, -EBUSY).
 */
struct adj_lower *adj_lower_claim(struct adj *adj, const char *ref,
				  enum adj_lower_kind kind,
				  struct netlink_ext_ack *extack)
{
	struct pci_dev *pdev = NULL;
	struct net_device *dev;
	struct adj_lower *lo;
	int ret;

	ASSERT_RTNL();
	if (kind == ADJ_LOWER_VF) {
		dev = adj_find_vf(ref, &pdev, extack);
		if (IS_ERR(dev))
			return ERR_CAST(dev);
	} else {
		dev = __dev_get_by_name(&init_net, ref);
		if (!dev) {
			NL_SET_ERR_MSG_FMT(extack,
					   "no interface %s in the initial network namespace", ref);
			return ERR_PTR(-ENODEV);
		}
	}
	ret = -EINVAL;
	if (dev->type != ARPHRD_ETHER || (dev->flags & IFF_LOOPBACK) || adj_is_vif(dev)) {
		NL_SET_ERR_MSG_FMT(extack, "%s is not an Ethernet device", dev->name);
		goto err_put;
	}
	ret = -EBUSY;
	if (adj_owns(dev)) {
		struct adj_lower *other = rtnl_dereference(dev->rx_handler_data);

		NL_SET_ERR_MSG_FMT(extack, "%s is already owned by the adjunct of partition %s",
				   ref, other->adj->part_name);
		goto err_put;
	}
	if (netdev_is_rx_handler_busy(dev) || netdev_master_upper_dev_get(dev)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "%s is in use by another upper device (bridge, bond...)",
				   dev->name);
		goto err_put;
	}
	ret = -ENOMEM;
	lo = kzalloc(sizeof(*lo), GFP_KERNEL);
	if (!lo)
		goto err_put;
	lo->adj = adj;
	lo->dev = dev;
	lo->kind = kind;
	lo->pdev = pdev;
	if (pdev)
		snprintf(lo->pci, sizeof(lo->pci), "%s", pci_name(pdev));
	netdev_hold(dev, &lo->tracker, GFP_KERNEL);
	return lo;

err_put:
	pci_dev_put(pdev);
	return ERR_PTR(ret);
}

/**
 * adj_lower_attach() - take a claimed lower into service
 * @lo: the lower
 * @extack: where to explain a failure
 *
 * Links it under the virtual interface, gives it the interface's MTU,
 * suppresses its address configuration, pins it to its namespace and
 * brings it up. A device already up stays up (a hot spare swaps in
 * without waiting for link); addresses it configured before it was owned
 * stay, nothing configures new ones. On failure everything is undone and
 * @lo is still only claimed. Called under rtnl, after the virtual interface
 * exists.
 *
 * Return: 0 or a negative errno.
 */
int adj_lower_attach(struct adj_lower *lo, struct netlink_ext_ack *extack)
{
	struct net_device *dev = lo->dev, *vif = lo->adj->vif;
	int ret;

	ASSERT_RTNL();
	if (dev->mtu != vif->mtu) {
		ret = dev_set_mtu(dev, vif->mtu);
		if (ret && lo->kind == ADJ_LOWER_VF) {
			NL_SET_ERR_MSG_FMT(extack, "cannot give %s the MTU %u", dev->name,
					   vif->mtu);
			return ret;
		}
	}
	ret = netdev_rx_handler_register(dev, adj_rx_handler, lo);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "%s is in use by another upper device", dev->name);
		return ret;
	}
	ret = netdev_master_upper_dev_link(dev, vif, NULL, NULL, extack);
	if (ret)
		goto err_rx;
	lo->had_noaddrconf = dev->priv_flags & IFF_NO_ADDRCONF;
	dev->priv_flags |= IFF_NO_ADDRCONF;
	lo->had_netns_local = dev->netns_local;
	dev->netns_local = true;
	if (lo->kind == ADJ_LOWER_STANDBY) {
		ret = dev_set_promiscuity(dev, 1);
		if (ret)
			goto err_flags;
		lo->made_promisc = true;
	}
	lo->was_up = dev->flags & IFF_UP;
	if (!lo->was_up) {
		ret = dev_open(dev, extack);
		if (ret)
			goto err_promisc;
	}
	return 0;

err_promisc:
	if (lo->made_promisc)
		dev_set_promiscuity(dev, -1);
	lo->made_promisc = false;
err_flags:
	if (!lo->had_noaddrconf)
		dev->priv_flags &= ~IFF_NO_ADDRCONF;
	dev->netns_local = lo->had_netns_local;
	netdev_upper_dev_unlink(dev, vif);
err_rx:
	netdev_rx_handler_unregister(dev);
	return ret;
}

/**
 * adj_lower_release() - give a lower back
 * @lo: the lower; freed
 * @attached: whether adj_lower_attach() succeeded on it
 * @gone: the device is being unregistered: restore nothing, just let go
 *
 * Called under rtnl, after @lo was unpublished from its adjunct; waits
 * for receive paths still using it (synchronize_net()).
 */
void adj_lower_release(struct adj_lower *lo, bool attached, bool gone)
{
	struct net_device *dev = lo->dev;

	ASSERT_RTNL();
	if (attached) {
		netdev_upper_dev_unlink(dev, lo->adj->vif);
		netdev_rx_handler_unregister(dev);
		if (!gone) {
			if (lo->made_promisc)
				dev_set_promiscuity(dev, -1);
			if (!lo->had_noaddrconf)
				dev->priv_flags &= ~IFF_NO_ADDRCONF;
			dev->netns_local = lo->had_netns_local;
			if (!lo->was_up)
				dev_close(dev);
		}
	}
	netdev_put(dev, &lo->tracker);
	pci_dev_put(lo->pdev);
	kfree(lo);
}

/**
 * adj_vf_mac_get() - the MAC address a VF is administered with
 * @lo: the VF
 * @mac: receives it
 *
 * The PF's view (ndo_get_vf_config) wins over the VF netdev's: the PF's
 * switch filters on it, and a VF driver may hold a stale copy.
 *
 * Return: 0, or -EADDRNOTAVAIL if neither has a valid address.
 */
int adj_vf_mac_get(struct adj_lower *lo, u8 *mac)
{
	struct net_device *pf = adj_pf_netdev(lo->pdev);
	struct ifla_vf_info ivi = {};
	int idx = pci_iov_vf_id(lo->pdev);

	if (pf && idx >= 0 && pf->netdev_ops->ndo_get_vf_config &&
	    !pf->netdev_ops->ndo_get_vf_config(pf, idx, &ivi) &&
	    is_valid_ether_addr(ivi.mac)) {
		ether_addr_copy(mac, ivi.mac);
		return 0;
	}
	if (!is_valid_ether_addr(lo->dev->dev_addr))
		return -EADDRNOTAVAIL;
	ether_addr_copy(mac, lo->dev->dev_addr);
	return 0;
}

/**
 * adj_vf_mac_set() - administer a VF's MAC address through its PF
 * @lo: the VF
 * @mac: the address
 * @extack: where to explain a failure
 *
 * The PF's switch filters (and checks the source of) the VF's frames on
 * the address set here; the VF's driver never writes the source address
 * of the partition's frames, so its own copy, which it refreshes only when
 * reloaded, matters for display only. It is deliberately not updated
 * under a moment of PF trust: any stale request of the VF driver's in
 * that window would be accepted and give two VFs one address.
 *
 * Return: 0, or -EOPNOTSUPP if the PF driver cannot do it.
 */
int adj_vf_mac_set(struct adj_lower *lo, const u8 *mac,
		   struct netlink_ext_ack *extack)
{
	struct net_device *pf = adj_pf_netdev(lo->pdev);
	const struct net_device_ops *ops = pf ? pf->netdev_ops : NULL;
	int idx = pci_iov_vf_id(lo->pdev);
	u8 buf[ETH_ALEN];
	int ret;

	ASSERT_RTNL();
	if (!ops || idx < 0 || !ops->ndo_set_vf_mac) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the PF of %s cannot set VF MAC addresses (ndo_set_vf_mac)",
				   lo->pci);
		return -EOPNOTSUPP;
	}
	ether_addr_copy(buf, mac);
	ret = ops->ndo_set_vf_mac(pf, idx, buf);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "the PF refused MAC %pM for %s", mac, lo->pci);
		return ret;
	}
	return 0;
}

/**
 * adj_lower_drain() - wait for a lower's transmit queues to empty
 * @dev: the lower
 *
 * Bounded (50 ms): a queue that does not drain (link lost) is not waited
 * for. Called under rtnl after traffic was moved elsewhere.
 */
void adj_lower_drain(struct net_device *dev)
{
	unsigned int i, tries;

	for (tries = 0; tries < 50; tries++) {
		bool busy = false;

		rcu_read_lock();
		for (i = 0; i < dev->real_num_tx_queues; i++) {
			struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

			/* Never NULL: noop_qdisc stands in for none. */
			if (qdisc_qlen_sum(rcu_dereference(txq->qdisc)))
				busy = true;
#ifdef CONFIG_BQL
			if (READ_ONCE(txq->dql.num_queued) != READ_ONCE(txq->dql.num_completed))
				busy = true;
#endif
		}
		rcu_read_unlock();
		if (!busy || !netif_running(dev) || !netif_carrier_ok(dev))
			return;
		usleep_range(1000, 2000);
	}
}

static struct adj_lower_view adj_view(struct adj_lower *lo)
{
	struct adj_lower_view v = { .present = !!lo };

	v.usable = lo && !lo->going_down && netif_running(lo->dev) &&
		   netif_carrier_ok(lo->dev);
	return v;
}

/**
 * adj_update_active() - choose the active lower and the interface's carrier
 * @adj: the adjunct
 * @notify: send a carrier event if anything changed
 *
 * Called under rtnl whenever a lower appears, goes, or changes state.
 */
void adj_update_active(struct adj *adj, bool notify)
{
	struct adj_lower *vf = rtnl_dereference(adj->vf);
	struct adj_lower *sb = rtnl_dereference(adj->standby);
	enum adj_lower_kind old = adj->sel.active, sel;
	struct net_device *dev = NULL;
	u64 now = ktime_get_ns(), recheck;
	bool changed = false;

	ASSERT_RTNL();
	sel = adj_select(&adj->sel, now, adj_view(vf), adj_view(sb),
			 (u64)READ_ONCE(adj_holddown_ms) * NSEC_PER_MSEC, &recheck);
	if (sel == ADJ_LOWER_VF)
		dev = vf->dev;
	else if (sel == ADJ_LOWER_STANDBY)
		dev = sb->dev;
	if (old == ADJ_LOWER_VF && sel == ADJ_LOWER_STANDBY) {
		adj->fallbacks++;
		/* Armed before the standby is published: its first frame counts. */
		adj->fo_notify_ns = now;
		WRITE_ONCE(adj->fo_first_tx_ns, 0);
		WRITE_ONCE(adj->fo_first_rx_ns, 0);
		WRITE_ONCE(adj->fo_dev, dev);
		smp_wmb();	/* fo_dev before fo_pending, for adj_fo_mark() */
		WRITE_ONCE(adj->fo_pending, BIT(ADJ_FO_TX) | BIT(ADJ_FO_RX));
	}
	if (rtnl_dereference(adj->active) != dev) {
		rcu_assign_pointer(adj->active, dev);
		changed = true;
	}
	if (sel != ADJ_LOWER_NONE && !netif_carrier_ok(adj->vif)) {
		netif_carrier_on(adj->vif);
		adj->carrier_changes++;
		changed = true;
	} else if (sel == ADJ_LOWER_NONE && netif_carrier_ok(adj->vif)) {
		netif_carrier_off(adj->vif);
		adj->carrier_changes++;
		changed = true;
	}
	if (recheck)
		mod_delayed_work(system_wq, &adj->recheck,
				 nsecs_to_jiffies(recheck - now) + 1);
	if (changed && notify)
		adj_nl_notify(adj, LPAR_ADJ_CMD_CARRIER_NTF);
}

/* A lower is being unregistered: let go of it at once, fall back. */
static void adj_lower_gone(struct adj_lower *lo)
{
	struct adj *adj = lo->adj;

	if (rtnl_dereference(adj->vf) == lo)
		RCU_INIT_POINTER(adj->vf, NULL);
	else if (rtnl_dereference(adj->standby) == lo)
		RCU_INIT_POINTER(adj->standby, NULL);
	netdev_info(adj->vif, "lower %s (%s) is going away\n", lo->dev->name,
		    lo->kind == ADJ_LOWER_VF ? "VF" : "standby");
	adj_update_active(adj, true);
	adj_lower_release(lo, true, true);
}

static int adj_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct adj_lower *lo;

	if (!adj_owns(dev))
		return NOTIFY_DONE;
	lo = rtnl_dereference(dev->rx_handler_data);
	switch (event) {
	case NETDEV_UNREGISTER:
		adj_lower_gone(lo);
		break;
	case NETDEV_GOING_DOWN:
		/* Leave it now, while it still sends what it has queued. */
		lo->going_down = true;
		adj_update_active(lo->adj, true);
		break;
	case NETDEV_UP:
		lo->going_down = false;
		adj_update_active(lo->adj, true);
		break;
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		adj_update_active(lo->adj, true);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return NOTIFY_BAD;
	}
	return NOTIFY_DONE;
}

static struct notifier_block adj_netdev_nb = {
	.notifier_call = adj_netdev_event,
};

int adj_notifier_init(void)
{
	return register_netdevice_notifier(&adj_netdev_nb);
}

void adj_notifier_exit(void)
{
	unregister_netdevice_notifier(&adj_netdev_nb);
}
