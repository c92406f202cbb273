/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The partition object as lpar_core itself sees it. Extensions see only
 * the opaque struct lpar and the accessors of lpar.h.
 */
#ifndef _LPAR_PARTITION_H
#define _LPAR_PARTITION_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <uapi/linux/lpar.h>

#include "lpar.h"

/* A CPU set published with RCU: replaced whole, never edited in place. */
struct lpar_cpuset {
	struct rcu_head rcu;
	unsigned long bits[];
};

struct lpar_sysfs;

/**
 * struct lpar - a partition
 * @id: unique id, 1..max_partitions range of the idr; immutable
 * @name: unique name; immutable
 * @ref: references; the registry holds one until deletion
 * @released: completed when the last reference is dropped
 * @state: enum lpar_state; written under lpar_lock, read with READ_ONCE
 * @cfg_lock: serialises changes of this partition (set, delete) and the
 *	extension hooks called for it; taken before lpar_lock, may sleep
 * @cpus: dedicated CPUs; written under lpar_lock (which also guards the
 *	global ownership mask), read under RCU
 * @net: network namespace or NULL; written under @cfg_lock, read under RCU
 * @cgrp: cgroup v2 directory of the tasks or NULL; immutable, ref held
 * @budget_lock: protects @budget and @used; innermost lock, no sleeping
 * @budget: donated-memory budget, bytes
 * @used: bytes charged by extensions
 * @charge_fails: charges refused for lack of budget
 * @changes: set operations applied; under @cfg_lock
 * @created: creation time, ns since the epoch
 * @ext_priv: one private pointer per extension slot (RCU)
 * @node: entry of lpar_list (RCU list, written under lpar_lock)
 * @sysfs: the /sys/kernel/lpar/NAME directory
 * @rcu: frees the object after the last RCU reader
 */
struct lpar {
	u32 id;
	char name[LPAR_NAME_MAX_LEN + 1];
	struct kref ref;
	struct completion released;
	int state;
	struct mutex cfg_lock;		/* see the kernel-doc above */
	struct lpar_cpuset __rcu *cpus;
	struct net __rcu *net;
	struct cgroup *cgrp;
	spinlock_t budget_lock;		/* see the kernel-doc above */
	u64 budget;
	u64 used;
	atomic64_t charge_fails;
	u32 changes;
	u64 created;
	void __rcu *ext_priv[LPAR_EXT_MAX];
	struct list_head node;
	struct lpar_sysfs *sysfs;
	struct rcu_head rcu;
};

/* What a create or set request asks for; fds already resolved. */
struct lpar_request {
	const char *name;
	const char *cpus;	/* NULL: unchanged (set) or none (create) */
	struct cgroup *cgrp;	/* create only; reference is consumed */
	bool set_net;
	struct net *net;	/* reference is consumed; NULL detaches */
	bool set_budget;
	u64 budget;
};

struct lpar *lpar_create(struct lpar_request *req, struct netlink_ext_ack *extack);
int lpar_set(struct lpar *p, struct lpar_request *req, struct netlink_ext_ack *extack);
int lpar_destroy(struct lpar *p, struct netlink_ext_ack *extack);
void lpar_destroy_all(void);
struct lpar *lpar_get_next(u32 *id);
u64 lpar_generation(void);
void lpar_budget_read(struct lpar *p, u64 *budget, u64 *used);
int lpar_cpus_format(const struct lpar *p, char *buf, size_t len);
u32 lpar_netns_ino(const struct lpar *p);
int lpar_cgroup_path(const struct lpar *p, char *buf, size_t len);

int lpar_partitions_init(void);
void lpar_partitions_exit(void);

/* netlink.c */
int lpar_netlink_init(void);
void lpar_netlink_exit(void);
void lpar_nl_notify(struct lpar *p, u8 cmd);

/* sysfs.c */
int lpar_sysfs_init(void);
void lpar_sysfs_exit(void);
int lpar_sysfs_add(struct lpar *p);
void lpar_sysfs_del(struct lpar *p);

/* module parameters, main.c */
extern unsigned int lpar_max_partitions;
extern unsigned long lpar_default_budget;

#endif /* _LPAR_PARTITION_H */
