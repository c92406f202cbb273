/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of lpar_adjunct.ko. An adjunct is one partition's dispatchable
 * context for one SR-IOV VF: a kthread (worker.c) pinned to the
 * partition's CPUs and attached to its cgroup, the virtual interface the
 * partition sees (vif.c, kind "lpvio"), the lower devices it owns (lower.c:
 * the VF and optionally a standby) and its lifecycle (adjunct.c).
 *
 * Locking, outermost first:
 *   adj_lock     the adjunct list and every adjunct's lifecycle (add, del,
 *                swap, re-pinning); held across sleeping calls (kthread
 *                creation and stop, cgroup attach, rtnl).
 *   rtnl         every adjunct's lower devices and active lower (adj->vf,
 *                adj->standby, adj->active are written under it and read
 *                under RCU on the data path), the virtual interface.
 *   rxq/txq lock the mediated queues (sk_buff_head spinlocks, innermost).
 * The netdev notifier runs under rtnl alone and finds its adjunct through
 * the lower's rx_handler_data, never through the list.
 */
#ifndef _ADJ_H
#define _ADJ_H

#include <linux/if_ether.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>

#include "lpar_core/lpar.h"
#include "adjunct_sriov/policy.h"
#include <uapi/linux/lpar_adjunct.h>

struct adj;
struct pci_dev;

/* One owned lower device and what to give back when it is released. */
struct adj_lower {
	struct adj *adj;
	struct net_device *dev;
	netdevice_tracker tracker;
	enum adj_lower_kind kind;
	struct pci_dev *pdev;		/* the VF (counted), NULL for a standby */
	char pci[ADJ_PCI_ADDR_LEN + 1];
	bool was_up;
	bool had_noaddrconf;
	bool had_netns_local;
	bool made_promisc;
};

struct adj_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t rx_drops;
	u64_stats_t tx_drops;
	u64_stats_t queue_full;
	struct u64_stats_sync syncp;
};

struct adj {
	struct list_head node;		/* adj_list, adj_lock */
	struct lpar *part;		/* counted */
	u32 part_id;
	char part_name[LPAR_ADJUNCT_PART_NAME_MAX_LEN + 1];
	enum lpar_adjunct_mode mode;
	u32 queue_len;
	u64 charged;
	bool dead;			/* unpublished; xmit drops (READ_ONCE) */

	struct net_device *vif;
	struct adj_lower __rcu *vf;	/* rtnl */
	struct adj_lower __rcu *standby; /* rtnl */
	struct net_device __rcu *active; /* rtnl; the lower carrying TX */
	struct adj_select_state sel;	/* rtnl */
	struct delayed_work recheck;	/* hold-down expiry */

	struct task_struct *thread;
	struct sk_buff_head rxq;
	struct sk_buff_head txq;

	struct adj_pcpu_stats __percpu *stats;
	u32 swaps;			/* rtnl */
	u32 fallbacks;			/* rtnl */
	u32 carrier_changes;		/* rtnl */
	u64 last_swap_ns;		/* rtnl */
};

/* The virtual interface's private data: just its adjunct. */
struct adj_vif {
	struct adj *adj;
};

extern struct mutex adj_lock;
extern unsigned int adj_holddown_ms;
extern unsigned int adj_default_queue_len;

/* vif.c */
extern struct rtnl_link_ops adj_link_ops;
struct net_device *adj_vif_create(struct adj *adj, struct net *net,
				  struct adj_lower *vf,
				  struct netlink_ext_ack *extack);
bool adj_is_vif(const struct net_device *dev);
void adj_stats_read(struct adj *adj, struct adj_stats *sum);
void adj_count_rx(struct adj *adj, unsigned int len);
void adj_count_tx(struct adj *adj, unsigned int len);
void adj_count_drop(struct adj *adj, bool rx, bool queue_full);

/* lower.c */
struct adj_lower *adj_lower_claim(struct adj *adj, const char *ref,
				  enum adj_lower_kind kind,
				  struct netlink_ext_ack *extack);
int adj_lower_attach(struct adj_lower *lo, struct netlink_ext_ack *extack);
void adj_lower_release(struct adj_lower *lo, bool attached, bool gone);
int adj_vf_mac_get(struct adj_lower *lo, u8 *mac);
int adj_vf_mac_set(struct adj_lower *lo, const u8 *mac,
		   struct netlink_ext_ack *extack);
void adj_lower_drain(struct net_device *dev);
void adj_update_active(struct adj *adj, bool notify);
int adj_notifier_init(void);
void adj_notifier_exit(void);

/* worker.c */
int adj_worker_start(struct adj *adj, struct netlink_ext_ack *extack);
void adj_worker_stop(struct adj *adj);
void adj_worker_release(struct adj *adj);
void adj_worker_pin(struct adj *adj);
void adj_worker_kick(struct adj *adj);

/* adjunct.c */
struct adj *adj_find(u32 part_id);
struct adj *adj_next(u32 *part_id);
u64 adj_generation(void);
int adj_add(struct lpar *p, const char *vf, const char *standby,
	    enum lpar_adjunct_mode mode, u32 queue_len, struct adj **out,
	    struct netlink_ext_ack *extack);
int adj_del(struct adj *adj);
int adj_swap(struct adj *adj, const char *vf, struct netlink_ext_ack *extack);
int adj_ext_init(void);
void adj_ext_exit(void);

/* netlink.c */
void adj_nl_notify(struct adj *adj, u8 cmd);
int adj_netlink_init(void);
void adj_netlink_exit(void);

#endif /* _ADJ_H */
