/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The extension API of lpar.ko: how the suite's other modules (adjunct,
 * checkpoint, folding, exclusive-core view) find partitions, hold them,
 * learn of their lifecycle and charge memory to them.
 *
 * Lifetime: every lookup returns a counted reference (lpar_put() drops it),
 * except lpar_of_task_rcu(), whose result lives only inside the caller's
 * RCU read-side section. A partition being deleted first disappears from
 * lookups, then each registered extension's ->part_destroy() runs (the
 * extension must drop its references and uncharge its memory there), and
 * deletion returns only when the last reference is gone.
 *
 * Hooks are called in process context, may sleep, never concurrently for
 * the same partition, and never with an lpar_core lock other than the
 * extension table's read side held; they may call every function below.
 */
#ifndef _LPAR_H
#define _LPAR_H

#include <linux/types.h>
#include <linux/cpumask.h>

struct lpar;
struct net;
struct cgroup;
struct task_struct;
struct kobject;
struct nlattr;
struct netlink_ext_ack;

#define LPAR_EXT_MAX 8

/**
 * struct lpar_ext - an extension module's hooks
 * @name: short name, for messages
 * @part_create: a partition is being created (or existed when the extension
 *	registered); return 0 or an errno that fails the creation
 * @part_destroy: the partition is going away: drop references, uncharge
 * @cpus_changed: the partition's CPU set changed (lpar_cpus() has the new one)
 * @netns_changed: the partition's netns changed; @old is the previous one
 *	(may be NULL), valid during the call
 * @slot: private to lpar_core: this extension's private-data slot
 */
struct lpar_ext {
	const char *name;
	int (*part_create)(struct lpar_ext *ext, struct lpar *p);
	void (*part_destroy)(struct lpar_ext *ext, struct lpar *p);
	void (*cpus_changed)(struct lpar_ext *ext, struct lpar *p);
	void (*netns_changed)(struct lpar_ext *ext, struct lpar *p,
			      struct net *old);
	int slot;
};

int lpar_ext_register(struct lpar_ext *ext);
void lpar_ext_unregister(struct lpar_ext *ext);
void *lpar_ext_priv(const struct lpar *p, const struct lpar_ext *ext);
void lpar_ext_set_priv(struct lpar *p, const struct lpar_ext *ext, void *priv);

struct lpar *lpar_get_by_id(u32 id);
struct lpar *lpar_get_by_name(const char *name);
struct lpar *lpar_from_attrs(struct nlattr **tb, int id_attr, int name_attr,
			     struct netlink_ext_ack *extack);
struct lpar *lpar_get(struct lpar *p);
void lpar_put(struct lpar *p);
struct lpar *lpar_of_task_rcu(struct task_struct *task);
struct lpar *lpar_of_task(struct task_struct *task);
int lpar_for_each(int (*fn)(struct lpar *p, void *arg), void *arg);

u32 lpar_id(const struct lpar *p);
const char *lpar_name(const struct lpar *p);
bool lpar_is_dying(const struct lpar *p);
void lpar_cpus(const struct lpar *p, struct cpumask *dst);
struct net *lpar_net_get(const struct lpar *p);
struct cgroup *lpar_cgroup(const struct lpar *p);

struct kobject *lpar_sysfs_dir(void);

int lpar_charge(struct lpar *p, u64 bytes);
void lpar_uncharge(struct lpar *p, u64 bytes);

#endif /* _LPAR_H */
