// SPDX-License-Identifier: GPL-2.0
/*
 * Builds and publishes each partition's exclusive-core map. An lpar_ext
 * hears of partitions being created, changing CPUs and going away; on
 * each of the first two it snapshots the host topology (x2APIC ids and
 * positions from cpu_data(), the domain shifts of x86_topo_system), has
 * the translation engine (xlate.c) build the map, reads it back with
 * hwt_map_check() against the real CPUID of the backing CPUs, and only
 * then publishes it with RCU. A partition that cannot have a view (uneven
 * threads per core, no CPU, a map that fails the check) keeps its device
 * nodes, which answer EIO, and the reason is shown in debugfs
 * (/sys/kernel/debug/lpar_hwt/<partition>) and over netlink: lpar_core
 * cannot be refused from a hook after the fact. An administrator may turn
 * a view off and on (netlink.c); turning it on is refused, with nothing
 * changed, when the map cannot be built. The module parameters renumber
 * and msr_allow live here too; changing renumber rebuilds every map.
 */
#include <linux/debugfs.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/xarray.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/topology.h>
#include <net/netlink.h>

#include "lpar_core/lpar.h"
#include "hwthread_virt/hwt.h"

/*
 * Partitions by slot (the minor number space); allocation and erasure
 * use the xarray's own lock, lookups RCU and kref_get_unless_zero().
 */
static DEFINE_XARRAY_ALLOC(hwt_parts);
static struct dentry *hwt_debugfs;
/* Which translated MSRs the host has (probed once at load). */
static bool hwt_has_core_thread_count, hwt_has_x2apic_id;
/* Bumped on every change of a view, so that dumps can tell they are torn. */
static atomic_t hwt_gen = ATOMIC_INIT(1);

/*
 * Serializes the module parameters' setters (renumber, msr_allow) with
 * each other; taken outside every hwt_part.lock.
 */
static DEFINE_MUTEX(hwt_param_lock);
static bool hwt_param_renumber;

#define HWT_MSR_ALLOW_MAX	16

/**
 * struct hwt_msr_list - the administrator's pass-through MSRs
 * @rcu: frees a replaced list
 * @n: entries in @msr
 * @msr: the registers
 */
struct hwt_msr_list {
	struct rcu_head rcu;
	u32 n;
	u32 msr[HWT_MSR_ALLOW_MAX];
};

/* Published with RCU; replaced under hwt_param_lock. */
static struct hwt_msr_list __rcu *hwt_msr_extra;

/**
 * hwt_generation() - the generation of the set of views
 *
 * Return: a number that changes whenever any view changes.
 */
u32 hwt_generation(void)
{
	return atomic_read(&hwt_gen);
}

/**
 * hwt_renumber() - do new maps renumber CPUs (module parameter renumber)?
 *
 * Return: the parameter's value.
 */
bool hwt_renumber(void)
{
	return READ_ONCE(hwt_param_renumber);
}

/**
 * hwt_msr_allowed() - is @msr one of the administrator's pass-throughs?
 * @msr: the register
 *
 * Return: whether msr_allow lists it.
 */
bool hwt_msr_allowed(u32 msr)
{
	const struct hwt_msr_list *l;
	bool found = false;
	u32 i;

	rcu_read_lock();
	l = rcu_dereference(hwt_msr_extra);
	for (i = 0; l && i < l->n && !found; i++)
		found = l->msr[i] == msr;
	rcu_read_unlock();
	return found;
}

static void hwt_part_release(struct kref *ref)
{
	struct hwt_part *hp = container_of(ref, struct hwt_part, ref);

	hwt_stats_destroy(&hp->stats);
	free_cpumask_var(hp->nodes);
	free_cpumask_var(hp->cpus);
	kfree_rcu(hp, rcu);
}

/**
 * hwt_part_put() - drop a reference to a partition's view object
 * @hp: the object
 */
void hwt_part_put(struct hwt_part *hp)
{
	kref_put(&hp->ref, hwt_part_release);
}

/**
 * hwt_part_get_slot() - the partition view behind a minor number's slot
 * @slot: slot number
 *
 * Return: a counted reference, or NULL if the slot is free or dying.
 */
struct hwt_part *hwt_part_get_slot(u32 slot)
{
	struct hwt_part *hp;

	rcu_read_lock();
	hp = xa_load(&hwt_parts, slot);
	if (hp && (READ_ONCE(hp->dead) || !kref_get_unless_zero(&hp->ref)))
		hp = NULL;
	rcu_read_unlock();
	return hp;
}

/**
 * hwt_part_lookup() - the view object of a partition, by id or name
 * @id: partition id, or 0 to look up by @name
 * @name: partition name (used when @id is 0)
 *
 * Return: a counted reference, or NULL.
 */
struct hwt_part *hwt_part_lookup(u32 id, const char *name)
{
	struct hwt_part *hp, *found = NULL;
	unsigned long slot;

	rcu_read_lock();
	xa_for_each(&hwt_parts, slot, hp) {
		if (READ_ONCE(hp->dead))
			continue;
		if (id ? hp->part_id != id : strcmp(hp->name, name))
			continue;
		if (kref_get_unless_zero(&hp->ref))
			found = hp;
		break;
	}
	rcu_read_unlock();
	return found;
}

/**
 * hwt_part_get_next() - the first live view object at or after a slot
 * @slot: in: where to start; out: where the next search starts
 *
 * Return: a counted reference, or NULL when there is none.
 */
struct hwt_part *hwt_part_get_next(u32 *slot)
{
	struct hwt_part *hp, *found = NULL;
	unsigned long idx = *slot;

	rcu_read_lock();
	xa_for_each_start(&hwt_parts, idx, hp, *slot) {
		if (!READ_ONCE(hp->dead) && kref_get_unless_zero(&hp->ref)) {
			found = hp;
			*slot = idx + 1;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * hwt_view_get() - pin the partition's current map
 * @hp: a partition view object the caller holds
 *
 * Return: a counted reference to the map, or NULL if there is none.
 */
struct hwt_view *hwt_view_get(struct hwt_part *hp)
{
	struct hwt_view *view;

	rcu_read_lock();
	view = rcu_dereference(hp->view);
	if (view && !refcount_inc_not_zero(&view->ref))
		view = NULL;
	rcu_read_unlock();
	return view;
}

/**
 * hwt_view_put() - unpin a map
 * @view: the map, or NULL
 */
void hwt_view_put(struct hwt_view *view)
{
	/*
	 * Readers may still be between rcu_dereference() and the get;
	 * kfree_rcu() takes vmalloc'ed memory too.
	 */
	if (view && refcount_dec_and_test(&view->ref))
		kfree_rcu(view, rcu);
}

/**
 * hwt_host_has_msr() - does the host implement a translated MSR?
 * @msr: HWT_MSR_CORE_THREAD_COUNT or HWT_MSR_X2APIC_ID
 *
 * Return: whether a read of it on the host succeeded at load time.
 */
bool hwt_host_has_msr(u32 msr)
{
	if (msr == HWT_MSR_CORE_THREAD_COUNT)
		return hwt_has_core_thread_count;
	if (msr == HWT_MSR_X2APIC_ID)
		return hwt_has_x2apic_id;
	return false;
}

/* The host as the engine sees it, for CPU numbers < nr_cpu_ids. */
static struct hwt_host *hwt_host_snapshot(void)
{
	unsigned int smt = topology_get_domain_shift(TOPO_CORE_DOMAIN);
	struct hwt_host_cpu *cpus;
	struct hwt_host *host;
	unsigned int cpu;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	cpus = kvcalloc(nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	if (!host || !cpus) {
		kfree(host);
		kvfree(cpus);
		return NULL;
	}
	host->vendor = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		       boot_cpu_data.x86_vendor == X86_VENDOR_HYGON ?
		       HWT_VENDOR_AMD : HWT_VENDOR_INTEL;
	host->max_basic_leaf = boot_cpu_data.cpuid_level;
	host->max_ext_leaf = boot_cpu_data.extended_cpuid_level;
	host->smt_shift = smt;
	host->pkg_shift = topology_get_domain_shift(TOPO_PKG_DOMAIN);
	host->nr_cpus = nr_cpu_ids;
	host->cpu = cpus;
	for_each_present_cpu(cpu) {
		const struct cpuinfo_topology *t = &cpu_data(cpu).topo;

		cpus[cpu] = (struct hwt_host_cpu){
			.apicid = t->apicid,
			.pkg = t->pkg_id,
			.core = t->core_id,
			.thread = t->apicid & ((1U << smt) - 1),
			.present = 1,
		};
	}
	return host;
}

static void hwt_host_free(struct hwt_host *host)
{
	if (host)
		kvfree(host->cpu);
	kfree(host);
}

static void hwt_cpuid_ipi(void *arg)
{
	u32 *r = arg;

	cpuid_count(r[0], r[2], &r[0], &r[1], &r[2], &r[3]);
}

/**
 * hwt_host_cpuid() - execute CPUID on a given CPU
 * @cpu: Linux CPU number
 * @leaf: EAX
 * @subleaf: ECX
 * @regs: receives EAX, EBX, ECX, EDX
 *
 * Return: 0, or -ENXIO if @cpu is offline (as cpuid.c's IPI fails).
 */
int hwt_host_cpuid(u32 cpu, u32 leaf, u32 subleaf, u32 regs[4])
{
	regs[0] = leaf;
	regs[1] = 0;
	regs[2] = subleaf;
	regs[3] = 0;
	return smp_call_function_single(cpu, hwt_cpuid_ipi, regs, 1);
}

/* hwt_map_check()'s source of host values: CPUID on the backing CPU. */
static void hwt_check_cpuid(void *ctx, u32 cpu, u32 leaf, u32 subleaf,
			    u32 regs[4])
{
	if (hwt_host_cpuid(cpu, leaf, subleaf, regs))
		memset(regs, 0, 4 * sizeof(u32));
}

/*
 * Builds the map of @cpus. Return: the view, or NULL with @reason
 * saying why there is none and @why (NETLINK_MAX_FMTMSG_LEN bytes, may
 * be NULL) saying it briefly, for an extack.
 */
static struct hwt_view *hwt_view_build(const struct cpumask *cpus,
				       char *reason, char *why)
{
	struct hwt_check_fail fail;
	struct hwt_build_err err;
	struct hwt_view *view;
	struct hwt_host *host;

	host = hwt_host_snapshot();
	/* 20 bytes a CPU id: large on large hosts, so maybe vmalloc'ed. */
	view = kvzalloc(offsetof(struct hwt_view, map) + hwt_map_size(nr_cpu_ids),
			GFP_KERNEL);
	if (!host || !view) {
		strscpy(reason, "out of memory", HWT_REASON_LEN);
		if (why)
			strscpy(why, reason, NETLINK_MAX_FMTMSG_LEN);
		goto err;
	}
	if (hwt_map_build(&view->map, host, cpumask_bits(cpus),
			  hwt_renumber() ? HWT_MAP_RENUMBER : 0, &err)) {
		if (err.reason == HWT_ERR_UNEVEN) {
			snprintf(reason, HWT_REASON_LEN,
				 "%s: CPU %u's core has %u, CPU %u's %u",
				 hwt_reason_str(err.reason), err.cpu, err.n,
				 err.other, err.m);
			if (why)
				snprintf(why, NETLINK_MAX_FMTMSG_LEN,
					 "unequal threads per core: CPU %u's core has %u, CPU %u's %u",
					 err.cpu, err.n, err.other, err.m);
		} else {
			snprintf(reason, HWT_REASON_LEN, "%s (CPU %u)",
				 hwt_reason_str(err.reason), err.cpu);
			if (why)
				strscpy(why, reason, NETLINK_MAX_FMTMSG_LEN);
		}
		goto err;
	}
	if (hwt_map_check(&view->map, hwt_check_cpuid, NULL, &fail)) {
		snprintf(reason, HWT_REASON_LEN,
			 "map check failed: %s (CPU %u, leaf %#x.%u)",
			 fail.what, fail.cpu, fail.leaf, fail.subleaf);
		if (why)
			strscpy(why, reason, NETLINK_MAX_FMTMSG_LEN);
		goto err;
	}
	hwt_host_free(host);
	refcount_set(&view->ref, 1);
	reason[0] = 0;
	return view;

err:
	hwt_host_free(host);
	kvfree(view);
	return NULL;
}

#define HWT_REASON_OFF	"turned off by the administrator"

/*
 * Replaces @hp's published map by @view (NULL: none) and makes its nodes
 * those of its CPU set. The old map goes when its last reader lets go.
 */
static void hwt_part_publish(struct hwt_part *hp, struct hwt_view *view)
{
	struct hwt_view *old;

	lockdep_assert_held(&hp->lock);
	old = rcu_replace_pointer(hp->view, view, lockdep_is_held(&hp->lock));
	hwt_dev_sync(hp, hp->dead ? cpu_none_mask : hp->cpus);
	atomic_inc(&hwt_gen);
	hwt_view_put(old);
}

/* Rebuilds and republishes @hp's view from its CPU set and switch. */
static void hwt_part_rebuild(struct hwt_part *hp)
{
	struct hwt_view *view = NULL;

	lockdep_assert_held(&hp->lock);
	if (hp->enabled) {
		view = hwt_view_build(hp->cpus, hp->reason, NULL);
		if (!view)
			pr_info("partition %s: exclusive-core view unavailable: %s\n",
				hp->name, hp->reason);
	} else {
		strscpy(hp->reason, HWT_REASON_OFF, HWT_REASON_LEN);
	}
	hwt_part_publish(hp, view);
}

/* Takes @cpus as @hp's CPU set and rebuilds; announces the change. */
static void hwt_part_update(struct hwt_part *hp, const struct cpumask *cpus)
{
	mutex_lock(&hp->lock);
	cpumask_copy(hp->cpus, cpus);
	hwt_part_rebuild(hp);
	mutex_unlock(&hp->lock);
	hwt_nl_notify(hp);
}

/**
 * hwt_part_set_enabled() - the administrator's switch of a view
 * @hp: the partition's view object
 * @on: turn the view on (build and publish the map) or off
 * @extack: receives why a view cannot be turned on
 *
 * Turning on a view that is on but has no map (state failed) tries
 * again. A refusal changes nothing.
 *
 * Return: 0, -EINVAL if the CPU set has no exclusive-core view (the
 * reason in @extack), -ENOMEM, or -ENOENT if the partition is gone.
 */
int hwt_part_set_enabled(struct hwt_part *hp, bool on,
			 struct netlink_ext_ack *extack)
{
	char why[NETLINK_MAX_FMTMSG_LEN];
	char *reason = NULL;
	struct hwt_view *view = NULL;
	int ret = 0;

	mutex_lock(&hp->lock);
	if (hp->dead) {
		NL_SET_ERR_MSG(extack, "the partition is being deleted");
		ret = -ENOENT;
		goto out;
	}
	if (on) {
		bool published = rcu_access_pointer(hp->view);

		if (hp->enabled && published)
			goto out;	/* nothing to do */
		reason = kmalloc(HWT_REASON_LEN, GFP_KERNEL);
		if (!reason) {
			ret = -ENOMEM;
			goto out;
		}
		view = hwt_view_build(hp->cpus, reason, why);
		if (!view) {
			NL_SET_ERR_MSG_FMT(extack, "%s", why);
			ret = strcmp(reason, "out of memory") ? -EINVAL : -ENOMEM;
			goto out;
		}
		hp->enabled = true;
		hp->reason[0] = 0;
	} else {
		if (!hp->enabled)
			goto out;
		hp->enabled = false;
		strscpy(hp->reason, HWT_REASON_OFF, HWT_REASON_LEN);
	}
	hwt_part_publish(hp, view);
	mutex_unlock(&hp->lock);
	kfree(reason);
	hwt_nl_notify(hp);
	return 0;
out:
	mutex_unlock(&hp->lock);
	kfree(reason);
	return ret;
}

static int hwt_debugfs_show(struct seq_file *m, void *unused)
{
	struct hwt_part *hp = m->private;
	struct hwt_view *view = hwt_view_get(hp);
	const struct hwt_map *map;
	u32 i;

	if (!view) {
		mutex_lock(&hp->lock);
		seq_printf(m, "state: disabled\nreason: %s\n", hp->reason);
		mutex_unlock(&hp->lock);
		return 0;
	}
	map = &view->map;
	seq_printf(m, "state: enabled\npackages: %u\ncores: %u\nthreads: %u\n",
		   map->packages, map->cores, map->threads);
	seq_puts(m, "cpu apicid package core thread\n");
	for (i = 0; i < map->nr_vcpus; i++) {
		u32 cpu = map->cpu[i].order;
		const struct hwt_vcpu *v = &map->cpu[cpu];

		seq_printf(m, "%u %#x %u %u %u\n", cpu, v->apicid, v->pkg,
			   v->core, v->thread);
	}
	hwt_view_put(view);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hwt_debugfs);

static int hwt_ext_create(struct lpar_ext *ext, struct lpar *p)
{
	cpumask_var_t cpus;
	struct hwt_part *hp;
	int ret = -ENOMEM;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	hp = kzalloc(sizeof(*hp), GFP_KERNEL);
	if (!hp || !zalloc_cpumask_var(&hp->nodes, GFP_KERNEL))
		goto err_free;
	if (!zalloc_cpumask_var(&hp->cpus, GFP_KERNEL))
		goto err_free;
	kref_init(&hp->ref);
	mutex_init(&hp->lock);
	hwt_stats_init(&hp->stats);
	hp->enabled = true;
	hp->part_id = lpar_id(p);
	strscpy(hp->name, lpar_name(p));
	ret = xa_alloc(&hwt_parts, &hp->slot, hp, XA_LIMIT(0, hwt_nr_slots - 1),
		       GFP_KERNEL);
	if (ret) {
		pr_warn("partition %s: no free device slot (%u in use)\n",
			hp->name, hwt_nr_slots);
		goto err_free;
	}
	hp->dbg = debugfs_create_file(hp->name, 0444, hwt_debugfs, hp,
				      &hwt_debugfs_fops);
	lpar_cpus(p, cpus);
	hwt_part_update(hp, cpus);
	lpar_ext_set_priv(p, ext, hp);
	free_cpumask_var(cpus);
	return 0;

err_free:
	if (hp) {
		free_cpumask_var(hp->cpus);
		free_cpumask_var(hp->nodes);
	}
	kfree(hp);
	free_cpumask_var(cpus);
	return ret;
}

static void hwt_ext_cpus_changed(struct lpar_ext *ext, struct lpar *p)
{
	struct hwt_part *hp = lpar_ext_priv(p, ext);
	cpumask_var_t cpus;

	if (!hp)
		return;
	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL)) {
		/* Keep no stale map: a view that may be wrong is worse. */
		mutex_lock(&hp->lock);
		strscpy(hp->reason, "out of memory", HWT_REASON_LEN);
		hwt_part_publish(hp, NULL);
		mutex_unlock(&hp->lock);
		hwt_nl_notify(hp);
		return;
	}
	lpar_cpus(p, cpus);
	hwt_part_update(hp, cpus);
	free_cpumask_var(cpus);
}

static void hwt_ext_destroy(struct lpar_ext *ext, struct lpar *p)
{
	struct hwt_part *hp = lpar_ext_priv(p, ext);

	if (!hp)
		return;
	lpar_ext_set_priv(p, ext, NULL);
	debugfs_remove(hp->dbg);
	mutex_lock(&hp->lock);
	WRITE_ONCE(hp->dead, true);
	strscpy(hp->reason, "partition deleted", HWT_REASON_LEN);
	hwt_part_publish(hp, NULL);
	mutex_unlock(&hp->lock);
	hwt_nl_notify(hp);
	xa_erase(&hwt_parts, hp->slot);
	hwt_part_put(hp);
}

static struct lpar_ext hwt_ext = {
	.name = "hwthread",
	.part_create = hwt_ext_create,
	.part_destroy = hwt_ext_destroy,
	.cpus_changed = hwt_ext_cpus_changed,
};

/* Rebuilds every view, after a parameter that shapes maps changed. */
static void hwt_rebuild_all(void)
{
	struct hwt_part *hp;
	u32 slot = 0;

	lockdep_assert_held(&hwt_param_lock);
	while ((hp = hwt_part_get_next(&slot))) {
		mutex_lock(&hp->lock);
		if (!hp->dead)
			hwt_part_rebuild(hp);
		mutex_unlock(&hp->lock);
		hwt_nl_notify(hp);
		hwt_part_put(hp);
	}
}

static int hwt_renumber_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	mutex_lock(&hwt_param_lock);
	if (on != hwt_param_renumber) {
		WRITE_ONCE(hwt_param_renumber, on);
		hwt_rebuild_all();
	}
	mutex_unlock(&hwt_param_lock);
	return 0;
}

static int hwt_renumber_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", hwt_renumber() ? 'Y' : 'N');
}

static const struct kernel_param_ops hwt_renumber_ops = {
	.set = hwt_renumber_set,
	.get = hwt_renumber_get,
};
module_param_cb(renumber, &hwt_renumber_ops, NULL, 0644);
MODULE_PARM_DESC(renumber,
		 "Views show the partition's CPUs as 0..n-1 in TSC_AUX and the topology view (default N: keep Linux CPU numbers); changing it rebuilds every map");

/* MSRs that already have an answer of their own and cannot be added. */
static bool hwt_msr_fixed(u32 msr)
{
	return msr == HWT_MSR_CORE_THREAD_COUNT || msr == HWT_MSR_X2APIC_ID ||
	       msr == HWT_MSR_TSC_AUX || msr == MSR_IA32_APERF ||
	       msr == MSR_IA32_MPERF;
}

/*
 * msr_allow: a comma-separated list of MSRs (hex with 0x, or decimal) that
 * partitions may read, passed through from the backing CPU; empty clears
 * it. A bad list is refused whole and the old one kept.
 */
static int hwt_msr_allow_set(const char *val, const struct kernel_param *kp)
{
	struct hwt_msr_list *l, *old;
	char *buf, *cur, *tok;
	int ret = 0;
	u32 msr, i;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	buf = kstrdup(val, GFP_KERNEL);
	if (!l || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	cur = strim(buf);
	while ((tok = strsep(&cur, ","))) {
		tok = strim(tok);
		if (!*tok && !cur && !l->n)
			break;	/* "" clears */
		if (kstrtou32(tok, 0, &msr) || hwt_msr_fixed(msr) ||
		    l->n == HWT_MSR_ALLOW_MAX) {
			pr_warn("msr_allow: refused at '%s': an MSR number, not 0x35/0x802/0xc0000103/0xe7/0xe8, at most %u\n",
				tok, HWT_MSR_ALLOW_MAX);
			ret = -EINVAL;
			goto out;
		}
		for (i = 0; i < l->n && l->msr[i] != msr; i++)
			;
		if (i == l->n)
			l->msr[l->n++] = msr;
	}
	mutex_lock(&hwt_param_lock);
	old = rcu_replace_pointer(hwt_msr_extra, l, lockdep_is_held(&hwt_param_lock));
	mutex_unlock(&hwt_param_lock);
	l = NULL;
	if (old)
		kfree_rcu(old, rcu);
out:
	kfree(buf);
	kfree(l);
	return ret;
}

static int hwt_msr_allow_get(char *buf, const struct kernel_param *kp)
{
	const struct hwt_msr_list *l;
	int len = 0;
	u32 i;

	rcu_read_lock();
	l = rcu_dereference(hwt_msr_extra);
	for (i = 0; l && i < l->n; i++)
		len += sysfs_emit_at(buf, len, "%s%#x", i ? "," : "", l->msr[i]);
	rcu_read_unlock();
	return len + sysfs_emit_at(buf, len, "\n");
}

static const struct kernel_param_ops hwt_msr_allow_ops = {
	.set = hwt_msr_allow_set,
	.get = hwt_msr_allow_get,
};
module_param_cb(msr_allow, &hwt_msr_allow_ops, NULL, 0644);
MODULE_PARM_DESC(msr_allow,
		 "MSRs partitions may read besides 0x35, 0x802, TSC_AUX, APERF and MPERF, passed through from the backing CPU (comma-separated, at most 16; default empty)");

/**
 * hwt_map_init() - probe the host and start following partitions
 *
 * Creates the view, nodes and debugfs file of every existing partition;
 * the device layer must be up.
 *
 * Return: 0 or a negative errno.
 */
int hwt_map_init(void)
{
	u64 val;
	int ret;

	hwt_has_core_thread_count = !rdmsrl_safe(HWT_MSR_CORE_THREAD_COUNT, &val);
	hwt_has_x2apic_id = !rdmsrl_safe(HWT_MSR_X2APIC_ID, &val);
	hwt_debugfs = debugfs_create_dir("lpar_hwt", NULL);
	ret = lpar_ext_register(&hwt_ext);
	if (ret)
		debugfs_remove(hwt_debugfs);
	return ret;
}

/**
 * hwt_map_exit() - stop following partitions and drop every view
 *
 * Open files keep the module loaded (fops owner), so when this runs no
 * reader is left; the RCU barrier waits for the deferred frees.
 */
void hwt_map_exit(void)
{
	lpar_ext_unregister(&hwt_ext);
	WARN_ON_ONCE(!xa_empty(&hwt_parts));
	debugfs_remove(hwt_debugfs);
	kfree(rcu_replace_pointer(hwt_msr_extra, NULL, true));
	rcu_barrier();
}
