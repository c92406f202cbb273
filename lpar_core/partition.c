// SPDX-License-Identifier: GPL-2.0
/*
 * Partition objects and their registry: creation, lookup, change and
 * destruction, the extension table and its hooks, budget charging.
 *
 * Locking, outermost first:
 *   lpar_ext_rwsem  the extension table; read side held while hooks run,
 *                   write side by (un)registration. May sleep.
 *   p->cfg_lock     one partition's changes and the hooks run for it.
 *   lpar_lock       the registry: lpar_ids, lpar_list, lpar_by_cgrp,
 *                   lpar_taken (CPUs owned by some partition), lpar_count,
 *                   lpar_gen and every p->state and p->cpus update.
 *                   Nothing under it sleeps but allocation.
 *   p->budget_lock  p->budget and p->used (spinlock, innermost).
 * Lookups take none of these: they run under RCU and take a reference with
 * kref_get_unless_zero(), so they never race teardown.
 */
#include <linux/cgroup.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>
#include <net/net_namespace.h>

#include "partition.h"
#include "rules.h"

static DECLARE_RWSEM(lpar_ext_rwsem);
static struct lpar_ext *lpar_exts[LPAR_EXT_MAX];

static DEFINE_MUTEX(lpar_lock);
static DEFINE_IDR(lpar_ids);
static LIST_HEAD(lpar_list);
static DEFINE_XARRAY(lpar_by_cgrp);	/* cgroup_id() -> partition */
static struct cpumask lpar_taken;
static unsigned int lpar_count;
static u64 lpar_gen;

static size_t lpar_cpuset_size(void)
{
	return sizeof(struct lpar_cpuset) + BITS_TO_LONGS(nr_cpu_ids) * sizeof(long);
}

static struct cpumask *lpar_cpuset_mask(struct lpar_cpuset *cs)
{
	return to_cpumask(cs->bits);
}

static void lpar_release(struct kref *ref)
{
	complete(&container_of(ref, struct lpar, ref)->released);
}

/**
 * lpar_get() - take another reference to a partition
 * @p: a partition the caller already holds
 *
 * Return: @p.
 */
struct lpar *lpar_get(struct lpar *p)
{
	kref_get(&p->ref);
	return p;
}
EXPORT_SYMBOL_GPL(lpar_get);

/**
 * lpar_put() - drop a reference taken by a lookup or lpar_get()
 * @p: the partition, or NULL
 */
void lpar_put(struct lpar *p)
{
	if (!p)
		return;
	/*
	 * The deleter frees @p with kfree_rcu() once released completes; the
	 * read-side section keeps it valid until complete() has returned.
	 */
	rcu_read_lock();
	kref_put(&p->ref, lpar_release);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(lpar_put);

static struct lpar *lpar_tryget_rcu(struct lpar *p)
{
	if (!p || READ_ONCE(p->state) != LPAR_STATE_ACTIVE ||
	    !kref_get_unless_zero(&p->ref))
		return NULL;
	return p;
}

/**
 * lpar_get_by_id() - look up an active partition by id
 * @id: partition id
 *
 * Return: a counted reference, or NULL.
 */
struct lpar *lpar_get_by_id(u32 id)
{
	struct lpar *p;

	rcu_read_lock();
	p = lpar_tryget_rcu(idr_find(&lpar_ids, id));
	rcu_read_unlock();
	return p;
}
EXPORT_SYMBOL_GPL(lpar_get_by_id);

/**
 * lpar_get_by_name() - look up an active partition by name
 * @name: partition name
 *
 * Return: a counted reference, or NULL.
 */
struct lpar *lpar_get_by_name(const char *name)
{
	struct lpar *p, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &lpar_list, node) {
		if (!strcmp(p->name, name)) {
			found = lpar_tryget_rcu(p);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(lpar_get_by_name);

/**
 * lpar_of_task_rcu() - which partition does a task belong to?
 * @task: the task
 *
 * Walks the task's cgroup v2 ancestry from the innermost cgroup outwards
 * and returns the first partition bound to one of them: O(depth) lockless
 * xarray loads, cheap enough for hot paths. The caller must be in an RCU
 * read-side section and must not use the result after leaving it.
 *
 * Return: the partition (active or not; see lpar_is_dying()), or NULL.
 */
struct lpar *lpar_of_task_rcu(struct task_struct *task)
{
	struct cgroup *cgrp;
	int level;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "partition lookup outside an RCU read-side section");
	if (xa_empty(&lpar_by_cgrp))
		return NULL;
	cgrp = task_dfl_cgroup(task);
	for (level = cgrp->level; level >= 0; level--) {
		struct lpar *p = xa_load(&lpar_by_cgrp,
					 cgroup_id(cgrp->ancestors[level]));

		if (p)
			return p;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(lpar_of_task_rcu);

/**
 * lpar_of_task() - counted variant of lpar_of_task_rcu()
 * @task: the task
 *
 * Return: a counted reference to the task's active partition, or NULL.
 */
struct lpar *lpar_of_task(struct task_struct *task)
{
	struct lpar *p;

	rcu_read_lock();
	p = lpar_tryget_rcu(lpar_of_task_rcu(task));
	rcu_read_unlock();
	return p;
}
EXPORT_SYMBOL_GPL(lpar_of_task);

/**
 * lpar_get_next() - iterate active partitions in id order
 * @id: in: first id to consider; out: the id after the one returned
 *
 * Return: a counted reference to the active partition with the lowest
 * id >= *@id, or NULL when there is none.
 */
struct lpar *lpar_get_next(u32 *id)
{
	struct lpar *p = NULL;
	int next = *id;

	rcu_read_lock();
	for (;;) {
		struct lpar *cand = idr_get_next(&lpar_ids, &next);

		if (!cand)
			break;
		p = lpar_tryget_rcu(cand);
		next++;
		if (p)
			break;
	}
	rcu_read_unlock();
	*id = next;
	return p;
}

/**
 * lpar_for_each() - call @fn for every active partition
 * @fn: callback; may sleep; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Partitions created or deleted during the walk may or may not be seen.
 *
 * Return: the first non-zero value of @fn, or 0.
 */
int lpar_for_each(int (*fn)(struct lpar *p, void *arg), void *arg)
{
	struct lpar *p;
	u32 id = 1;
	int ret = 0;

	while (!ret && (p = lpar_get_next(&id))) {
		ret = fn(p, arg);
		lpar_put(p);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(lpar_for_each);

/** lpar_id() - a partition's id. @p: the partition. Return: the id. */
u32 lpar_id(const struct lpar *p)
{
	return p->id;
}
EXPORT_SYMBOL_GPL(lpar_id);

/** lpar_name() - a partition's name. @p: the partition. Return: the name. */
const char *lpar_name(const struct lpar *p)
{
	return p->name;
}
EXPORT_SYMBOL_GPL(lpar_name);

/**
 * lpar_is_dying() - is the partition being deleted?
 * @p: the partition
 *
 * Return: true once deletion has started.
 */
bool lpar_is_dying(const struct lpar *p)
{
	return READ_ONCE(p->state) == LPAR_STATE_DYING;
}
EXPORT_SYMBOL_GPL(lpar_is_dying);

/**
 * lpar_cpus() - snapshot a partition's dedicated CPUs
 * @p: the partition
 * @dst: receives the set
 */
void lpar_cpus(const struct lpar *p, struct cpumask *dst)
{
	rcu_read_lock();
	cpumask_copy(dst, lpar_cpuset_mask(rcu_dereference(p->cpus)));
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(lpar_cpus);

/**
 * lpar_cpus_format() - a partition's CPUs as a CPU list
 * @p: the partition
 * @buf: output
 * @len: size of @buf
 *
 * Return: the string length or -ENOSPC.
 */
int lpar_cpus_format(const struct lpar *p, char *buf, size_t len)
{
	int ret;

	rcu_read_lock();
	ret = lpar_cpulist_format(rcu_dereference(p->cpus)->bits, nr_cpu_ids, buf, len);
	rcu_read_unlock();
	return ret;
}

/**
 * lpar_net_get() - a partition's network namespace
 * @p: the partition
 *
 * Return: a counted reference (put_net()) or NULL if it has none.
 */
struct net *lpar_net_get(const struct lpar *p)
{
	struct net *net;

	rcu_read_lock();
	net = rcu_dereference(p->net);
	if (net)
		net = maybe_get_net(net);
	rcu_read_unlock();
	return net;
}
EXPORT_SYMBOL_GPL(lpar_net_get);

u32 lpar_netns_ino(const struct lpar *p)
{
	struct net *net;
	u32 ino = 0;

	rcu_read_lock();
	net = rcu_dereference(p->net);
	if (net)
		ino = net->ns.inum;
	rcu_read_unlock();
	return ino;
}

/**
 * lpar_cgroup() - a partition's cgroup
 * @p: the partition
 *
 * Return: the cgroup (valid as long as the caller holds @p) or NULL.
 */
struct cgroup *lpar_cgroup(const struct lpar *p)
{
	return p->cgrp;
}
EXPORT_SYMBOL_GPL(lpar_cgroup);

int lpar_cgroup_path(const struct lpar *p, char *buf, size_t len)
{
	if (!p->cgrp) {
		buf[0] = 0;
		return 0;
	}
	return cgroup_path(p->cgrp, buf, len);
}

/**
 * lpar_charge() - charge memory to a partition's budget
 * @p: the partition
 * @bytes: how much
 *
 * Return: 0, or -ENOMEM if the budget cannot cover it (nothing charged).
 */
int lpar_charge(struct lpar *p, u64 bytes)
{
	u64 used;
	bool ok;

	spin_lock(&p->budget_lock);
	ok = lpar_budget_fits(p->used, p->budget, bytes, &used);
	if (ok)
		p->used = used;
	spin_unlock(&p->budget_lock);
	if (!ok) {
		atomic64_inc(&p->charge_fails);
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(lpar_charge);

/**
 * lpar_uncharge() - return memory charged with lpar_charge()
 * @p: the partition
 * @bytes: how much
 */
void lpar_uncharge(struct lpar *p, u64 bytes)
{
	spin_lock(&p->budget_lock);
	if (WARN_ON_ONCE(bytes > p->used))
		bytes = p->used;
	p->used -= bytes;
	spin_unlock(&p->budget_lock);
}
EXPORT_SYMBOL_GPL(lpar_uncharge);

void lpar_budget_read(struct lpar *p, u64 *budget, u64 *used)
{
	spin_lock(&p->budget_lock);
	*budget = p->budget;
	*used = p->used;
	spin_unlock(&p->budget_lock);
}
EXPORT_SYMBOL_IF_KUNIT(lpar_budget_read);

u64 lpar_generation(void)
{
	return READ_ONCE(lpar_gen);
}

/**
 * lpar_ext_priv() - an extension's private pointer for a partition
 * @p: the partition
 * @ext: the registered extension
 *
 * Return: what the extension stored with lpar_ext_set_priv(), or NULL.
 */
void *lpar_ext_priv(const struct lpar *p, const struct lpar_ext *ext)
{
	return rcu_dereference_check(p->ext_priv[ext->slot], 1);
}
EXPORT_SYMBOL_GPL(lpar_ext_priv);

/**
 * lpar_ext_set_priv() - store an extension's private pointer
 * @p: the partition
 * @ext: the registered extension
 * @priv: the pointer (published with release semantics)
 */
void lpar_ext_set_priv(struct lpar *p, const struct lpar_ext *ext, void *priv)
{
	rcu_assign_pointer(p->ext_priv[ext->slot], priv);
}
EXPORT_SYMBOL_GPL(lpar_ext_set_priv);

/* Undo the create hooks of extensions in slots below @end, newest first. */
static void lpar_ext_destroy_hooks(struct lpar *p, int end)
{
	int i;

	lockdep_assert_held(&lpar_ext_rwsem);
	lockdep_assert_held(&p->cfg_lock);
	for (i = end - 1; i >= 0; i--)
		if (lpar_exts[i] && lpar_exts[i]->part_destroy)
			lpar_exts[i]->part_destroy(lpar_exts[i], p);
}

static int lpar_ext_create_hooks(struct lpar *p)
{
	int i, ret;

	lockdep_assert_held(&lpar_ext_rwsem);
	lockdep_assert_held(&p->cfg_lock);
	for (i = 0; i < LPAR_EXT_MAX; i++) {
		if (!lpar_exts[i] || !lpar_exts[i]->part_create)
			continue;
		ret = lpar_exts[i]->part_create(lpar_exts[i], p);
		if (ret) {
			lpar_ext_destroy_hooks(p, i);
			return ret;
		}
	}
	return 0;
}

/* Registration walks partitions in id order; @stop_id bounds the undo walk. */
struct lpar_ext_walk {
	struct lpar_ext *ext;
	u32 stop_id;
};

static int lpar_ext_attach_existing(struct lpar *p, void *arg)
{
	struct lpar_ext_walk *w = arg;
	int ret;

	mutex_lock(&p->cfg_lock);
	ret = lpar_is_dying(p) ? 0 : w->ext->part_create(w->ext, p);
	mutex_unlock(&p->cfg_lock);
	if (ret)
		w->stop_id = p->id;
	return ret;
}

static int lpar_ext_detach_existing(struct lpar *p, void *arg)
{
	struct lpar_ext_walk *w = arg;

	if (p->id >= w->stop_id)
		return 1;
	mutex_lock(&p->cfg_lock);
	if (!lpar_is_dying(p))
		w->ext->part_destroy(w->ext, p);
	mutex_unlock(&p->cfg_lock);
	return 0;
}

/**
 * lpar_ext_register() - register an extension
 * @ext: hooks; ->part_create and ->part_destroy are required
 *
 * ->part_create() is called for every existing partition; if one fails,
 * those before it are undone and the registration fails.
 *
 * Return: 0, -EINVAL, -ENOSPC (table full) or the hook's error.
 */
int lpar_ext_register(struct lpar_ext *ext)
{
	struct lpar_ext_walk w = { .ext = ext, .stop_id = U32_MAX };
	int slot, ret;

	if (!ext->part_create || !ext->part_destroy)
		return -EINVAL;
	down_write(&lpar_ext_rwsem);
	for (slot = 0; slot < LPAR_EXT_MAX && lpar_exts[slot]; slot++)
		;
	if (slot == LPAR_EXT_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	ext->slot = slot;
	ret = lpar_for_each(lpar_ext_attach_existing, &w);
	if (ret) {
		lpar_for_each(lpar_ext_detach_existing, &w);
		goto out;
	}
	lpar_exts[slot] = ext;
out:
	up_write(&lpar_ext_rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(lpar_ext_register);

/**
 * lpar_ext_unregister() - unregister an extension
 * @ext: a registered extension
 *
 * ->part_destroy() is called for every live partition first.
 */
void lpar_ext_unregister(struct lpar_ext *ext)
{
	struct lpar_ext_walk w = { .ext = ext, .stop_id = U32_MAX };

	down_write(&lpar_ext_rwsem);
	lpar_exts[ext->slot] = NULL;
	lpar_for_each(lpar_ext_detach_existing, &w);
	up_write(&lpar_ext_rwsem);
}
EXPORT_SYMBOL_GPL(lpar_ext_unregister);

/* The largest budget a partition may be given: all of RAM. */
static u64 lpar_budget_limit(void)
{
	return (u64)totalram_pages() << PAGE_SHIFT;
}

static void lpar_budget_refusal(struct netlink_ext_ack *extack, int err,
				u64 budget, u64 used)
{
	if (err == -EBUSY)
		NL_SET_ERR_MSG_FMT(extack, "budget %llu is below the %llu bytes in use",
				   budget, used);
	else
		NL_SET_ERR_MSG_FMT(extack, "budget %llu out of range 1..%llu bytes (RAM)",
				   budget, lpar_budget_limit());
}

/*
 * Parses and checks a requested CPU list against the online CPUs and the
 * other partitions. Called with lpar_lock held so the ownership check and
 * the later update are atomic. @self is the partition being changed.
 */
static int lpar_cpus_check(struct lpar_cpuset *cs, const char *list,
			   struct lpar *self, struct netlink_ext_ack *extack)
{
	struct cpumask *mask = lpar_cpuset_mask(cs);
	unsigned int bad = 0, cpu;
	struct lpar *other;
	int ret;

	lockdep_assert_held(&lpar_lock);
	ret = lpar_cpulist_parse(list, cs->bits, nr_cpu_ids, &bad);
	if (ret == -EINVAL) {
		NL_SET_ERR_MSG_FMT(extack, "malformed CPU list \"%s\" (want e.g. \"2-3,6\")", list);
		return ret;
	}
	if (ret == -ERANGE) {
		NL_SET_ERR_MSG_FMT(extack, "CPU %u does not exist (nr_cpu_ids is %u)",
				   bad, nr_cpu_ids);
		return -EINVAL;
	}
	for_each_cpu(cpu, mask) {
		if (!cpu_online(cpu)) {
			NL_SET_ERR_MSG_FMT(extack, "CPU %u is offline", cpu);
			return -EINVAL;
		}
		if (!cpumask_test_cpu(cpu, &lpar_taken))
			continue;
		list_for_each_entry(other, &lpar_list, node) {
			struct lpar_cpuset *ocs = rcu_dereference_protected(other->cpus,
						lockdep_is_held(&lpar_lock));

			if (other == self || !cpumask_test_cpu(cpu, lpar_cpuset_mask(ocs)))
				continue;
			NL_SET_ERR_MSG_FMT(extack, "CPU %u belongs to partition %s",
					   cpu, other->name);
			return -EBUSY;
		}
	}
	return 0;
}

static void lpar_free(struct lpar *p)
{
	kfree(rcu_dereference_protected(p->cpus, 1));
	if (p->cgrp)
		cgroup_put(p->cgrp);
	if (rcu_access_pointer(p->net))
		put_net(rcu_dereference_protected(p->net, 1));
	kfree_rcu(p, rcu);
}

/* Removes @p from every lookup structure; lpar_lock held. */
static void lpar_unpublish(struct lpar *p)
{
	struct lpar_cpuset *cs = rcu_dereference_protected(p->cpus,
						lockdep_is_held(&lpar_lock));

	lockdep_assert_held(&lpar_lock);
	WRITE_ONCE(p->state, LPAR_STATE_DYING);
	idr_remove(&lpar_ids, p->id);
	list_del_rcu(&p->node);
	if (p->cgrp)
		xa_erase(&lpar_by_cgrp, cgroup_id(p->cgrp));
	cpumask_andnot(&lpar_taken, &lpar_taken, lpar_cpuset_mask(cs));
	lpar_count--;
	WRITE_ONCE(lpar_gen, lpar_gen + 1);
}

/* Waits, as long as it takes, for every reference but the caller's. */
static void lpar_wait_released(struct lpar *p)
{
	unsigned long waited = 0;

	lpar_put(p);
	while (!wait_for_completion_timeout(&p->released, 10 * HZ)) {
		waited += 10;
		pr_warn("partition %s: waited %lu s for its users to let go (%u left)\n",
			p->name, waited, kref_read(&p->ref));
	}
}

/* Is @name taken by a partition other than @self? lpar_lock held. */
static struct lpar *lpar_find_name_locked(const char *name)
{
	struct lpar *p;

	lockdep_assert_held(&lpar_lock);
	list_for_each_entry(p, &lpar_list, node)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Puts the references a request still owns. */
static void lpar_request_release(struct lpar_request *req)
{
	if (req->cgrp)
		cgroup_put(req->cgrp);
	if (req->net)
		put_net(req->net);
	req->cgrp = NULL;
	req->net = NULL;
}

/**
 * lpar_create() - create and publish a partition
 * @req: what to create; the cgroup and net references are consumed
 * @extack: where to explain a refusal
 *
 * The partition is reserved in the registry (name, id, CPUs, cgroup) in
 * state CREATING, invisible to lookups, while its sysfs directory is made
 * and the extensions' create hooks run; then it becomes ACTIVE and an event
 * is sent. On failure nothing of it remains.
 *
 * Return: a counted reference to the new active partition, or ERR_PTR.
 */
struct lpar *lpar_create(struct lpar_request *req, struct netlink_ext_ack *extack)
{
	struct lpar_cpuset *cs;
	struct lpar *p;
	int ret;

	if (lpar_name_check(req->name, LPAR_NAME_MAX_LEN)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "invalid name \"%s\": 1..%d chars of [a-z0-9_-], starting with a letter or digit",
				   req->name, LPAR_NAME_MAX_LEN);
		ret = -EINVAL;
		goto err_req;
	}
	if (lpar_name_reserved(req->name)) {
		NL_SET_ERR_MSG_FMT(extack, "name \"%s\" is reserved for a directory of the suite",
				   req->name);
		ret = -EINVAL;
		goto err_req;
	}
	if (!req->set_budget)
		req->budget = lpar_default_budget;
	ret = lpar_budget_check(req->budget, 0, lpar_budget_limit());
	if (ret) {
		lpar_budget_refusal(extack, ret, req->budget, 0);
		goto err_req;
	}

	ret = -ENOMEM;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		goto err_req;
	cs = kzalloc(lpar_cpuset_size(), GFP_KERNEL);
	if (!cs)
		goto err_free_p;
	strscpy(p->name, req->name);
	kref_init(&p->ref);
	init_completion(&p->released);
	mutex_init(&p->cfg_lock);
	spin_lock_init(&p->budget_lock);
	p->budget = req->budget;
	p->created = ktime_get_real_ns();
	p->state = LPAR_STATE_CREATING;
	RCU_INIT_POINTER(p->cpus, cs);

	down_read(&lpar_ext_rwsem);
	mutex_lock(&p->cfg_lock);
	mutex_lock(&lpar_lock);
	if (lpar_count >= lpar_max_partitions) {
		NL_SET_ERR_MSG_FMT(extack, "there are already %u partitions (max_partitions)",
				   lpar_count);
		ret = -ENOSPC;
		goto err_unlock;
	}
	if (lpar_find_name_locked(p->name)) {
		NL_SET_ERR_MSG_FMT(extack, "partition %s already exists", p->name);
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = lpar_cpus_check(cs, req->cpus ?: "", p, extack);
	if (ret)
		goto err_unlock;
	if (req->cgrp && xa_load(&lpar_by_cgrp, cgroup_id(req->cgrp))) {
		NL_SET_ERR_MSG(extack, "the cgroup is bound to another partition");
		ret = -EBUSY;
		goto err_unlock;
	}
	/* Cyclic, like ifindex: a stale id does not name a new partition soon. */
	ret = idr_alloc_cyclic(&lpar_ids, p, 1, 0, GFP_KERNEL);
	if (ret < 0)
		goto err_unlock;
	p->id = ret;
	if (req->cgrp) {
		ret = xa_insert(&lpar_by_cgrp, cgroup_id(req->cgrp), p, GFP_KERNEL);
		if (ret)
			goto err_idr;
		p->cgrp = req->cgrp;
		req->cgrp = NULL;
	}
	RCU_INIT_POINTER(p->net, req->net);
	req->net = NULL;
	cpumask_or(&lpar_taken, &lpar_taken, lpar_cpuset_mask(cs));
	list_add_tail_rcu(&p->node, &lpar_list);
	lpar_count++;
	WRITE_ONCE(lpar_gen, lpar_gen + 1);
	mutex_unlock(&lpar_lock);

	ret = lpar_sysfs_add(p);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot create the sysfs directory");
		goto err_unpublish;
	}
	ret = lpar_ext_create_hooks(p);
	if (ret) {
		NL_SET_ERR_MSG(extack, "an extension refused the partition");
		goto err_sysfs;
	}
	WRITE_ONCE(p->state, LPAR_STATE_ACTIVE);
	lpar_nl_notify(p, LPAR_CMD_PART_CREATE_NTF);
	mutex_unlock(&p->cfg_lock);
	up_read(&lpar_ext_rwsem);
	return lpar_get(p);

err_sysfs:
	lpar_sysfs_del(p);
err_unpublish:
	mutex_lock(&lpar_lock);
	lpar_unpublish(p);
	mutex_unlock(&lpar_lock);
	mutex_unlock(&p->cfg_lock);
	up_read(&lpar_ext_rwsem);
	lpar_free(p);
	goto err_req;
err_idr:
	idr_remove(&lpar_ids, p->id);
err_unlock:
	mutex_unlock(&lpar_lock);
	mutex_unlock(&p->cfg_lock);
	up_read(&lpar_ext_rwsem);
	lpar_free(p);
	goto err_req;
err_free_p:
	kfree(p);
err_req:
	lpar_request_release(req);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(lpar_create);

/**
 * lpar_set() - change a partition's CPUs, budget and/or netns
 * @p: the partition (a counted reference)
 * @req: what to change; the net reference is consumed
 * @extack: where to explain a refusal
 *
 * All requested changes are checked before any is applied: either all take
 * effect or none does. Extensions hear of the change through their hooks,
 * then an event is sent.
 *
 * Return: 0 or a negative errno.
 */
int lpar_set(struct lpar *p, struct lpar_request *req, struct netlink_ext_ack *extack)
{
	struct lpar_cpuset *cs = NULL, *old_cs = NULL;
	struct net *old_net = NULL;
	int i, ret;

	if (req->cpus) {
		cs = kzalloc(lpar_cpuset_size(), GFP_KERNEL);
		if (!cs) {
			ret = -ENOMEM;
			goto out_req;
		}
	}
	down_read(&lpar_ext_rwsem);
	mutex_lock(&p->cfg_lock);
	if (READ_ONCE(p->state) != LPAR_STATE_ACTIVE) {
		NL_SET_ERR_MSG_FMT(extack, "partition %s is being deleted", p->name);
		ret = -ENOENT;
		goto out_unlock;
	}
	mutex_lock(&lpar_lock);
	if (cs) {
		ret = lpar_cpus_check(cs, req->cpus, p, extack);
		if (ret) {
			mutex_unlock(&lpar_lock);
			goto out_unlock;
		}
	}
	spin_lock(&p->budget_lock);
	if (req->set_budget) {
		ret = lpar_budget_check(req->budget, p->used, lpar_budget_limit());
		if (ret) {
			u64 used = p->used;

			spin_unlock(&p->budget_lock);
			mutex_unlock(&lpar_lock);
			lpar_budget_refusal(extack, ret, req->budget, used);
			goto out_unlock;
		}
		p->budget = req->budget;
	}
	spin_unlock(&p->budget_lock);
	if (cs) {
		old_cs = rcu_dereference_protected(p->cpus, lockdep_is_held(&lpar_lock));
		cpumask_andnot(&lpar_taken, &lpar_taken, lpar_cpuset_mask(old_cs));
		cpumask_or(&lpar_taken, &lpar_taken, lpar_cpuset_mask(cs));
		rcu_assign_pointer(p->cpus, cs);
		cs = NULL;
	}
	WRITE_ONCE(lpar_gen, lpar_gen + 1);
	mutex_unlock(&lpar_lock);
	if (req->set_net) {
		old_net = rcu_dereference_protected(p->net, lockdep_is_held(&p->cfg_lock));
		rcu_assign_pointer(p->net, req->net);
		req->net = NULL;
	}
	p->changes++;

	for (i = 0; i < LPAR_EXT_MAX; i++) {
		struct lpar_ext *ext = lpar_exts[i];

		if (ext && old_cs && ext->cpus_changed)
			ext->cpus_changed(ext, p);
		if (ext && req->set_net && ext->netns_changed)
			ext->netns_changed(ext, p, old_net);
	}
	lpar_nl_notify(p, LPAR_CMD_PART_CHANGE_NTF);
	ret = 0;
out_unlock:
	mutex_unlock(&p->cfg_lock);
	up_read(&lpar_ext_rwsem);
	if (old_cs)
		kfree_rcu(old_cs, rcu);
	if (old_net)
		put_net(old_net);
	kfree(cs);
out_req:
	lpar_request_release(req);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(lpar_set);

/**
 * lpar_destroy() - delete a partition
 * @p: the partition; the caller's reference is consumed
 * @extack: where to explain a refusal
 *
 * The partition disappears from lookups at once, an event is sent, the
 * extensions' destroy hooks run, and the call returns when every reference
 * is gone and the partition is freed.
 *
 * Return: 0, or -ENOENT if someone else is already deleting it.
 */
int lpar_destroy(struct lpar *p, struct netlink_ext_ack *extack)
{
	down_read(&lpar_ext_rwsem);
	mutex_lock(&p->cfg_lock);
	if (READ_ONCE(p->state) != LPAR_STATE_ACTIVE) {
		mutex_unlock(&p->cfg_lock);
		up_read(&lpar_ext_rwsem);
		NL_SET_ERR_MSG_FMT(extack, "partition %s is already being deleted", p->name);
		lpar_put(p);
		return -ENOENT;
	}
	mutex_lock(&lpar_lock);
	lpar_unpublish(p);
	mutex_unlock(&lpar_lock);
	lpar_nl_notify(p, LPAR_CMD_PART_DELETE_NTF);
	lpar_ext_destroy_hooks(p, LPAR_EXT_MAX);
	mutex_unlock(&p->cfg_lock);
	up_read(&lpar_ext_rwsem);
	lpar_sysfs_del(p);

	lpar_put(p);		/* the registry's reference */
	lpar_wait_released(p);	/* and the caller's */
	lpar_free(p);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lpar_destroy);

/**
 * lpar_destroy_all() - delete every partition (module unload)
 */
void lpar_destroy_all(void)
{
	struct lpar *p;
	u32 id = 1;

	while ((p = lpar_get_next(&id)))
		lpar_destroy(p, NULL);
}

int lpar_partitions_init(void)
{
	return 0;
}

void lpar_partitions_exit(void)
{
	lpar_destroy_all();
	WARN_ON_ONCE(!idr_is_empty(&lpar_ids) || !xa_empty(&lpar_by_cgrp));
	idr_destroy(&lpar_ids);
	rcu_barrier();	/* kfree_rcu() callbacks of freed partitions */
}
