// SPDX-License-Identifier: GPL-2.0
/*
 * The interval: every interval_ms an ordered work item samples each CPU's
 * utilization (sample.c), hands the partitions with their CPU sets to the
 * pure policy (policy.c), traces and carries out its decisions (actuate.c
 * in hotplug mode; an event per changed partition for the cpuset agent),
 * updates the QoS requests and accounts the interval in the power model
 * (power.c). This file also keeps corefold's record of every lpar
 * partition through the lpar_ext hooks: a partition that changes CPUs or
 * goes away is restored (every CPU unfolded and online, QoS removed)
 * before anything else happens to it.
 */
#include <linux/cpu.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "corefold/fold.h"
#include "corefold/trace.h"

/* See fold.h for what it protects. */
DEFINE_MUTEX(fold_lock);
LIST_HEAD(fold_parts);
struct fold_knobs fold_knobs;
struct fold_topology fold_topo;
struct fold_state fold_st;
struct fold_energy fold_energy;
u32 *fold_socket_mw;
u16 *fold_util;
struct fold_lat fold_lat[FOLD_NR_MECHS][FOLD_NR_KINDS];
u64 fold_intervals, fold_overhead_ns, fold_gen;
u32 fold_power_mw;

/* Topology as found at load (base) and as of this interval (absent CPUs). */
static struct fold_cpu *fold_cpu_base, *fold_cpu_now;
/* CPUs on a core with a CPU hotplug mode must leave online. */
static cpumask_var_t fold_pinned;
static void *fold_energy_buf;
static u64 *fold_socket_uj;
static u64 fold_last_ns;

/*
 * The work runs on a per-CPU workqueue, always on fold_home: a CPU hotplug
 * mode never takes down (the boot CPU where it is online), so the CPU
 * that offlines a core is never one of the CPUs going down.
 */
static struct workqueue_struct *fold_wq;
static unsigned int fold_home;
static void fold_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(fold_work, fold_work_fn);

/* One interval's buffers, grown with the number of partitions. */
static struct {
	u32 cap;
	struct fold_partition *parts;
	struct fold_part **fps;
	unsigned long *bits;
	struct fold_part_state *ps;
	void *work;
	size_t work_len;
	struct fold_decision *dec;
} fold_scr;

static size_t fold_longs(void)
{
	return FOLD_BITMAP_LONGS(fold_topo.nr_cpus);
}

static void fold_scratch_free(void)
{
	kvfree(fold_scr.parts);
	kvfree(fold_scr.fps);
	kvfree(fold_scr.bits);
	kvfree(fold_scr.ps);
	kvfree(fold_scr.work);
	fold_scr.parts = NULL;
	fold_scr.fps = NULL;
	fold_scr.bits = NULL;
	fold_scr.ps = NULL;
	fold_scr.work = NULL;
	fold_scr.cap = 0;
	fold_st.part = NULL;
}

static int fold_scratch_grow(u32 n)
{
	u32 cap = max(n, 2 * fold_scr.cap);
	size_t wl;

	lockdep_assert_held(&fold_lock);
	if (n <= fold_scr.cap && fold_scr.work)
		return 0;
	cap = max(cap, 1U);
	if (cap > FOLD_MAX_PARTS)
		cap = FOLD_MAX_PARTS;
	if (n > cap)
		return -E2BIG;
	fold_scratch_free();
	wl = fold_work_size(fold_topo.nr_cpus, fold_topo.nr_sockets,
			    fold_topo.cores_per_socket, cap);
	fold_scr.parts = kvcalloc(cap, sizeof(*fold_scr.parts), GFP_KERNEL);
	fold_scr.fps = kvcalloc(cap, sizeof(*fold_scr.fps), GFP_KERNEL);
	fold_scr.bits = kvcalloc(cap * fold_longs(), sizeof(long), GFP_KERNEL);
	fold_scr.ps = kvcalloc(cap, sizeof(*fold_scr.ps), GFP_KERNEL);
	fold_scr.work = kvmalloc(wl, GFP_KERNEL);
	if (!fold_scr.parts || !fold_scr.fps || !fold_scr.bits || !fold_scr.ps ||
	    !fold_scr.work) {
		fold_scratch_free();
		return -ENOMEM;
	}
	fold_scr.work_len = wl;
	fold_scr.cap = cap;
	fold_st.part = fold_scr.ps;
	return 0;
}

/**
 * fold_lat_add() - account the time one change took to apply
 * @mech: enum lpar_fold_mechanism
 * @kind: enum lpar_fold_kind
 * @ns: the time
 */
void fold_lat_add(u32 mech, u32 kind, u64 ns)
{
	struct fold_lat *l = &fold_lat[mech][kind];

	lockdep_assert_held(&fold_lock);
	l->n++;
	l->sum_ns += ns;
	l->max_ns = max(l->max_ns, ns);
}

static void fold_ps_reset(struct fold_part_state *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->want = FOLD_NONE;
}

/*
 * Announces @fp's unfolded CPUs if they changed: a new sequence number,
 * the kind of change, and an event the cpuset agent applies.
 */
static void fold_part_publish(struct fold_part *fp, bool restore)
{
	cpumask_var_t now;
	unsigned int was, is;

	lockdep_assert_held(&fold_lock);
	if (!zalloc_cpumask_var(&now, GFP_KERNEL))
		return;
	bitmap_and(cpumask_bits(now), cpumask_bits(fp->cpus), fold_st.unfolded, nr_cpu_ids);
	if (cpumask_equal(now, fp->unfolded)) {
		free_cpumask_var(now);
		return;
	}
	was = cpumask_weight(fp->unfolded);
	is = cpumask_weight(now);
	if (restore)
		fp->kind = LPAR_FOLD_KIND_RESTORE;
	else
		fp->kind = is > was ? LPAR_FOLD_KIND_UNFOLD :
			   is < was ? LPAR_FOLD_KIND_FOLD : LPAR_FOLD_KIND_EXCHANGE;
	cpumask_copy(fp->unfolded, now);
	free_cpumask_var(now);
	fp->seq++;
	fp->time_ns = ktime_get_ns();
	fold_nl_notify(fp);
}

/* Every CPU of @fp unfolded and online again, the policy's memory reset. */
static void fold_part_restore(struct fold_part *fp)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	fold_hotplug_restore(fp->cpus);
	for_each_cpu(cpu, fp->cpus)
		__set_bit(cpu, fold_st.unfolded);
	fold_ps_reset(&fp->ps);
	fold_part_publish(fp, true);
}

static void fold_restore_all(void)
{
	struct fold_part *fp;

	list_for_each_entry(fp, &fold_parts, node)
		fold_part_restore(fp);
	fold_qos_sync();
}

/**
 * fold_part_find() - corefold's record of a partition
 * @id: its id, or 0
 * @name: its name, or NULL; with both, both must match
 *
 * Return: the record (valid while fold_lock is held) or NULL.
 */
struct fold_part *fold_part_find(u32 id, const char *name)
{
	struct fold_part *fp;

	lockdep_assert_held(&fold_lock);
	list_for_each_entry(fp, &fold_parts, node)
		if ((!id || fp->id == id) && (!name || !strcmp(fp->name, name)))
			return fp;
	return NULL;
}

/**
 * fold_part_enable() - switch folding on or off for one partition
 * @fp: the partition
 * @on: the new setting
 *
 * Off restores the partition at once. Return: 0.
 */
int fold_part_enable(struct fold_part *fp, bool on)
{
	lockdep_assert_held(&fold_lock);
	if (fp->enabled == on)
		return 0;
	fp->enabled = on;
	fold_ps_reset(&fp->ps);
	if (!on)
		fold_part_restore(fp);
	fold_qos_sync();
	fold_gen++;
	return 0;
}

/**
 * fold_set_enable() - the global switch
 * @on: the new setting
 *
 * Off restores every partition and stops sampling; on starts it.
 * Return: 0.
 */
int fold_set_enable(bool on)
{
	lockdep_assert_held(&fold_lock);
	if (fold_knobs.enable == on)
		return 0;
	fold_knobs.enable = on;
	if (!on) {
		fold_restore_all();
		return 0;
	}
	fold_sample(fold_util);		/* a fresh baseline */
	fold_last_ns = ktime_get_ns();
	fold_qos_sync();
	mod_delayed_work_on(fold_home, fold_wq, &fold_work,
			    msecs_to_jiffies(fold_knobs.interval_ms));
	return 0;
}

/**
 * fold_set_mechanism() - switch between cpuset and hotplug mode
 * @mech: enum lpar_fold_mechanism
 *
 * Every partition is restored under the old mechanism first.
 * Return: 0 or -EINVAL.
 */
int fold_set_mechanism(u32 mech)
{
	lockdep_assert_held(&fold_lock);
	if (mech >= FOLD_NR_MECHS)
		return -EINVAL;
	if (mech == fold_knobs.mechanism)
		return 0;
	fold_restore_all();
	fold_knobs.mechanism = mech;
	fold_gen++;
	return 0;
}

/**
 * fold_kick() - the interval changed: reschedule the next one
 */
void fold_kick(void)
{
	if (fold_knobs.enable)
		mod_delayed_work_on(fold_home, fold_wq, &fold_work,
				    msecs_to_jiffies(fold_knobs.interval_ms));
}

/* The CPUs of @fp the policy may fold, into @bits. */
static void fold_part_offer(const struct fold_part *fp, unsigned long *bits)
{
	bitmap_copy(bits, cpumask_bits(fp->cpus), fold_topo.nr_cpus);
	if (fold_knobs.mechanism == LPAR_FOLD_MECHANISM_HOTPLUG)
		bitmap_andnot(bits, bits, cpumask_bits(fold_pinned), fold_topo.nr_cpus);
}

/* Marks CPUs that went offline behind our back absent for this interval. */
static void fold_topo_refresh(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < fold_topo.nr_cpus; cpu++) {
		fold_cpu_now[cpu] = fold_cpu_base[cpu];
		if (!cpu_online(cpu) && !fold_cpu_offlined(cpu))
			fold_cpu_now[cpu].socket = FOLD_ABSENT;
	}
}

static void fold_trace_decision(const struct fold_part *fp, const struct fold_decision *d)
{
	u32 load = fp->ps.load, want = fp->ps.want;

	switch (d->action) {
	case FOLD_ACT_FOLD:
		trace_corefold_fold(fp->name, d, load, want);
		break;
	case FOLD_ACT_UNFOLD:
		trace_corefold_unfold(fp->name, d, load, want);
		break;
	case FOLD_ACT_EXCHANGE:
		trace_corefold_exchange(fp->name, d, load, want);
		break;
	default:
		trace_corefold_migrate(fp->name, d, load, want);
		break;
	}
}

/* Runs the policy over the partitions; the decisions land in fold_scr.dec. */
static int fold_decide(u32 *nr_dec)
{
	struct fold_output out = { .dec = fold_scr.dec, .max_dec = fold_topo.nr_cpus };
	struct fold_input in = {
		.topo = &fold_topo,
		.util = fold_util,
		.tun = &fold_knobs.tun,
	};
	struct fold_part *fp;
	u32 n = 0, i;
	int ret;

	list_for_each_entry(fp, &fold_parts, node)
		n++;
	ret = fold_scratch_grow(n);
	if (ret)
		return ret;
	i = 0;
	list_for_each_entry(fp, &fold_parts, node) {
		unsigned long *bits = fold_scr.bits + i * fold_longs();

		fold_part_offer(fp, bits);
		fold_scr.parts[i].cpus = bits;
		fold_scr.parts[i].enabled = fp->enabled;
		fold_scr.ps[i] = fp->ps;
		fold_scr.fps[i] = fp;
		i++;
	}
	in.parts = fold_scr.parts;	/* after the grow, which may move it */
	in.nr_parts = n;
	fold_st.nr_parts = n;
	ret = fold_step(&in, &fold_st, fold_scr.work, fold_scr.work_len, &out);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		fold_scr.fps[i]->ps = fold_scr.ps[i];
	*nr_dec = min(out.nr_dec, out.max_dec);
	return 0;
}

static void fold_account(u32 dt_us)
{
	u64 uw = 0;
	u32 s;

	for (s = 0; s < fold_topo.nr_sockets; s++)
		fold_socket_uj[s] = fold_energy.uj[s];
	if (fold_power_interval(&fold_knobs.power, &fold_topo, fold_util, fold_st.unfolded,
				dt_us, &fold_energy, &uw))
		return;
	fold_power_mw = div_u64(uw, 1000);
	for (s = 0; s < fold_topo.nr_sockets; s++)
		fold_socket_mw[s] = div_u64((fold_energy.uj[s] - fold_socket_uj[s]) * 1000, dt_us);
}

/* One interval; see the top of the file. */
static void fold_interval(void)
{
	u64 t0 = ktime_get_ns(), t_act = 0;
	bool hotplug = fold_knobs.mechanism == LPAR_FOLD_MECHANISM_HOTPLUG;
	struct fold_part *fp;
	u32 dt_us, nr_dec = 0, i;
	int ret;

	lockdep_assert_held(&fold_lock);
	dt_us = clamp_t(u64, div_u64(t0 - fold_last_ns, NSEC_PER_USEC), 1, U32_MAX);
	fold_last_ns = t0;
	fold_sample(fold_util);
	if (hotplug)
		fold_hotplug_sync();
	fold_topo_refresh();
	ret = fold_decide(&nr_dec);
	if (ret) {
		pr_warn_ratelimited("interval skipped: %d\n", ret);
		return;
	}
	for (i = 0; i < nr_dec; i++) {
		const struct fold_decision *d = &fold_scr.dec[i];

		fp = fold_scr.fps[d->part];
		fp->count[d->action]++;
		fold_trace_decision(fp, d);
		if (hotplug) {
			unsigned long *offered = fold_scr.bits + d->part * fold_longs();
			u64 t = ktime_get_ns();

			fold_hotplug_apply(fp, d, to_cpumask(offered));
			t_act += ktime_get_ns() - t;
		}
	}
	list_for_each_entry(fp, &fold_parts, node)
		fold_part_publish(fp, false);
	fold_qos_sync();
	fold_account(dt_us);
	fold_intervals++;
	fold_overhead_ns += ktime_get_ns() - t0 - t_act;
}

static void fold_work_fn(struct work_struct *work)
{
	mutex_lock(&fold_lock);
	if (fold_knobs.enable) {
		fold_interval();
		queue_delayed_work_on(fold_home, fold_wq, &fold_work,
				      msecs_to_jiffies(fold_knobs.interval_ms));
	}
	mutex_unlock(&fold_lock);
}

/* ---- partitions (lpar_ext hooks) ---- */

static struct fold_part *fold_part_of(struct lpar *p)
{
	struct fold_part *fp;

	list_for_each_entry(fp, &fold_parts, node)
		if (fp->p == p)
			return fp;
	return NULL;
}

static void fold_part_free(struct fold_part *fp)
{
	free_cpumask_var(fp->cpus);
	free_cpumask_var(fp->unfolded);
	kfree(fp);
}

static int fold_part_create(struct lpar_ext *ext, struct lpar *p)
{
	struct fold_part *fp = kzalloc(sizeof(*fp), GFP_KERNEL);

	if (!fp)
		return -ENOMEM;
	if (!zalloc_cpumask_var(&fp->cpus, GFP_KERNEL) ||
	    !zalloc_cpumask_var(&fp->unfolded, GFP_KERNEL)) {
		fold_part_free(fp);
		return -ENOMEM;
	}
	fp->p = lpar_get(p);
	fp->id = lpar_id(p);
	strscpy(fp->name, lpar_name(p), sizeof(fp->name));
	lpar_cpus(p, fp->cpus);
	cpumask_copy(fp->unfolded, fp->cpus);
	fold_ps_reset(&fp->ps);
	mutex_lock(&fold_lock);
	list_add_tail(&fp->node, &fold_parts);
	fold_gen++;
	mutex_unlock(&fold_lock);
	return 0;
}

static void fold_part_destroy(struct lpar_ext *ext, struct lpar *p)
{
	struct fold_part *fp;

	mutex_lock(&fold_lock);
	fp = fold_part_of(p);
	if (fp) {
		fp->enabled = false;
		fold_part_restore(fp);
		list_del(&fp->node);
		fold_qos_sync();
		fold_gen++;
	}
	mutex_unlock(&fold_lock);
	if (!fp)
		return;
	lpar_put(fp->p);
	fold_part_free(fp);
}

/*
 * The partition's CPUs changed: restore it on its old CPUs, then start
 * over on the new ones, all unfolded.
 */
static void fold_part_cpus_changed(struct lpar_ext *ext, struct lpar *p)
{
	struct fold_part *fp;

	mutex_lock(&fold_lock);
	fp = fold_part_of(p);
	if (fp) {
		fold_part_restore(fp);
		lpar_cpus(p, fp->cpus);
		fold_part_restore(fp);
		fold_qos_sync();
		fold_gen++;
	}
	mutex_unlock(&fold_lock);
}

static struct lpar_ext fold_ext = {
	.name = "corefold",
	.part_create = fold_part_create,
	.part_destroy = fold_part_destroy,
	.cpus_changed = fold_part_cpus_changed,
};

/* ---- topology ---- */

/*
 * Sockets are logical package ids; cores and threads are numbered densely
 * within their socket and core in CPU order. Only CPUs online at load are
 * known; the others are absent for good.
 */
static int fold_topo_build(void)
{
	u32 sockets = 0, cps = 0, tpc = 0;
	unsigned int cpu, other;
	u32 *ncores;
	int ret;

	fold_cpu_base = kcalloc(nr_cpu_ids, sizeof(*fold_cpu_base), GFP_KERNEL);
	fold_cpu_now = kcalloc(nr_cpu_ids, sizeof(*fold_cpu_now), GFP_KERNEL);
	ncores = kcalloc(nr_cpu_ids, sizeof(*ncores), GFP_KERNEL);
	if (!fold_cpu_base || !fold_cpu_now || !ncores) {
		kfree(ncores);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		fold_cpu_base[cpu].socket = FOLD_ABSENT;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		u32 pkg = topology_logical_package_id(cpu);
		struct fold_cpu *fc = &fold_cpu_base[cpu];

		if (pkg >= FOLD_MAX_SOCKETS || pkg >= nr_cpu_ids) {
			cpus_read_unlock();
			kfree(ncores);
			pr_err("CPU %u: package %u beyond %u sockets\n", cpu, pkg,
			       FOLD_MAX_SOCKETS);
			return -EOPNOTSUPP;
		}
		fc->socket = pkg;
		fc->core = ncores[pkg];
		fc->thread = 0;
		/* A sibling seen before gives the core and the next thread slot. */
		for_each_online_cpu(other) {
			if (other >= cpu)
				break;
			if (topology_logical_package_id(other) == pkg &&
			    topology_core_id(other) == topology_core_id(cpu)) {
				fc->core = fold_cpu_base[other].core;
				fc->thread++;
			}
		}
		if (fc->core == ncores[pkg])
			ncores[pkg]++;
		sockets = max(sockets, pkg + 1);
		cps = max(cps, ncores[pkg]);
		tpc = max_t(u32, tpc, fc->thread + 1);
	}
	cpus_read_unlock();
	kfree(ncores);
	fold_topo.nr_cpus = nr_cpu_ids;
	fold_topo.nr_sockets = sockets;
	fold_topo.cores_per_socket = cps;
	fold_topo.threads_per_core = tpc;
	fold_topo.cpu = fold_cpu_base;
	ret = fold_topology_check(&fold_topo);
	if (ret) {
		pr_err("unsupported topology: %u sockets, %u cores, %u threads\n",
		       sockets, cps, tpc);
		return ret;
	}
	memcpy(fold_cpu_now, fold_cpu_base, nr_cpu_ids * sizeof(*fold_cpu_now));
	fold_topo.cpu = fold_cpu_now;
	/* Cores hotplug mode leaves alone: any thread that must stay online. */
	for_each_online_cpu(cpu) {
		if (fold_cpu_hotpluggable(cpu))
			continue;
		for_each_online_cpu(other)
			if (fold_cpu_core(&fold_topo, other) == fold_cpu_core(&fold_topo, cpu))
				cpumask_set_cpu(other, fold_pinned);
	}
	return 0;
}

/**
 * fold_engine_init() - topology, state and accounts
 *
 * Return: 0 or -errno.
 */
int fold_engine_init(void)
{
	int ret = -ENOMEM;

	if (!zalloc_cpumask_var(&fold_pinned, GFP_KERNEL))
		return -ENOMEM;
	ret = fold_topo_build();
	if (ret)
		goto err;
	ret = -ENOMEM;
	fold_util = kcalloc(nr_cpu_ids, sizeof(*fold_util), GFP_KERNEL);
	fold_st.unfolded = bitmap_zalloc(nr_cpu_ids, GFP_KERNEL);
	fold_scr.dec = kvcalloc(FOLD_MAX_DECISIONS(nr_cpu_ids), sizeof(*fold_scr.dec),
				GFP_KERNEL);
	fold_energy_buf = kzalloc(fold_energy_size(fold_topo.nr_sockets,
						   fold_topo.cores_per_socket), GFP_KERNEL);
	fold_socket_mw = kcalloc(fold_topo.nr_sockets, sizeof(u32), GFP_KERNEL);
	fold_socket_uj = kcalloc(fold_topo.nr_sockets, sizeof(u64), GFP_KERNEL);
	if (!fold_util || !fold_st.unfolded || !fold_scr.dec || !fold_energy_buf ||
	    !fold_socket_mw || !fold_socket_uj)
		goto err;
	fold_st.nr_cpus = nr_cpu_ids;
	fold_st.nr_parts = 0;
	fold_state_init(&fold_st);
	fold_energy_init(&fold_energy, fold_energy_buf, fold_topo.nr_sockets,
			 fold_topo.cores_per_socket);
	fold_home = cpumask_first_and(fold_pinned, cpu_online_mask);
	if (fold_home >= nr_cpu_ids)
		fold_home = cpumask_first(cpu_online_mask);
	fold_wq = alloc_workqueue("lpar_corefold", 0, 1);
	if (!fold_wq)
		goto err;
	return 0;
err:
	fold_engine_exit();
	return ret;
}

/**
 * fold_engine_start() - attach to lpar_core and start sampling
 *
 * Return: 0 or the error of lpar_ext_register().
 */
int fold_engine_start(void)
{
	int ret = lpar_ext_register(&fold_ext);

	if (ret)
		return ret;
	mutex_lock(&fold_lock);
	if (fold_knobs.enable) {
		fold_knobs.enable = false;
		fold_set_enable(true);
	}
	mutex_unlock(&fold_lock);
	return 0;
}

/**
 * fold_engine_stop() - restore everything and detach from lpar_core
 */
void fold_engine_stop(void)
{
	mutex_lock(&fold_lock);
	fold_set_enable(false);
	mutex_unlock(&fold_lock);
	cancel_delayed_work_sync(&fold_work);
	/* Restores and forgets each partition (part_destroy). */
	lpar_ext_unregister(&fold_ext);
}

void fold_engine_exit(void)
{
	if (fold_wq)
		destroy_workqueue(fold_wq);
	fold_wq = NULL;
	fold_scratch_free();
	kvfree(fold_scr.dec);
	kfree(fold_socket_uj);
	kfree(fold_socket_mw);
	kfree(fold_energy_buf);
	bitmap_free(fold_st.unfolded);
	kfree(fold_util);
	kfree(fold_cpu_now);
	kfree(fold_cpu_base);
	free_cpumask_var(fold_pinned);
}
