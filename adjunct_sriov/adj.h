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
 *   rxq/txq lock the mediated queues (sk_buff_head spinlocks, innermost)
 *                and their queued/kicks counters (queue.c).
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
	bool going_down;		/* rtnl: NETDEV_GOING_DOWN seen, not UP */
};

/*
 * One direction of a mediated adjunct's queue to its thread. Producers
 * (senders, the lower's NAPI) wake the thread only when they make the
 * queue non-empty; the thread takes a whole batch under one lock.
 */
struct adj_queue {
	struct sk_buff_head q;
	u64 queued;			/* q.lock: skbs ever queued */
	u64 kicks;			/* q.lock: wake-ups asked for */
};

/*
 * What the adjunct thread did, for debugfs: written by the thread alone
 * (purged: by the one stopping it), read racily by debugfs.
 */
struct adj_work_stats {
	u64 wakeups;			/* loop iterations that found work */
	u64 batches;
	u64 max_batch;
	u64 delivered;			/* handed to the stack or the lower */
	u64 dropped;			/* freed by the thread (no lower) */
	u64 purged;			/* freed on teardown */
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
	struct adj_queue rxq;
	struct adj_queue txq;
	atomic_t inflight;		/* skbs in rxq, txq or the thread's batch */
	struct adj_work_stats work;

	/*
	 * Unplanned switchover timing: when a notifier moved traffic from the
	 * VF to the standby (fo_notify_ns), and when the first frame then went
	 * out (fo_first_tx_ns) and came in (fo_first_rx_ns) on fo_dev. The
	 * data path claims a fo_pending bit with test_and_clear_bit().
	 */
	unsigned long fo_pending;	/* ADJ_FO_TX, ADJ_FO_RX */
	struct net_device *fo_dev;	/* rtnl; compared only, never used */
	u64 fo_notify_ns;		/* rtnl */
	u64 fo_first_tx_ns;
	u64 fo_first_rx_ns;
	struct dentry *dbg;		/* adj_lock */

	struct adj_pcpu_stats __percpu *stats;
	u32 swaps;			/* rtnl */
	u32 fallbacks;			/* rtnl */
	u32 carrier_changes;		/* rtnl */
	u64 last_swap_ns;		/* rtnl */
};

#define ADJ_FO_TX	0
#define ADJ_FO_RX	1

/* The virtual interface's private data: just its adjunct. */
struct adj_vif {
	struct adj *adj;
};

extern struct mutex adj_lock;
extern unsigned int adj_holddown_ms;
extern unsigned int adj_default_queue_len;
extern unsigned int adj_poll_us;

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
void adj_xmit_lower(struct adj *adj, struct sk_buff *skb, struct net_device *lower);
void adj_count_queue_full(struct adj *adj);

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

/* queue.c */
void adj_queue_init(struct adj_queue *aq);
bool adj_queue_put(struct adj *adj, struct adj_queue *aq, struct sk_buff *skb);
unsigned int adj_queue_take(struct adj_queue *aq, struct sk_buff_head *batch,
			    unsigned int budget);
void adj_queue_purge(struct adj *adj, struct adj_queue *aq);
void adj_fo_mark(struct adj *adj, struct net_device *lower, int bit);

/* debugfs.c */
void adj_debugfs_add(struct adj *adj);
void adj_debugfs_del(struct adj *adj);
void adj_debugfs_init(void);
void adj_debugfs_exit(void);

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
