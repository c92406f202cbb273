// SPDX-License-Identifier: GPL-2.0
/*
 * Applying decisions. In cpuset mode the kernel side has nothing to do
 * per decision: the partition's new unfolded set goes out as an event
 * (netlink.c) and the agent narrows or widens the cgroup's cpuset.cpus,
 * because the kernel has no exported way to write a cpuset and should not
 * open cgroup files by path (Documentation/corefold.md explains the
 * choice). In hotplug mode folded cores go offline with remove_cpu() and
 * come back with add_cpu(); an exchange brings the destination online
 * before the origin goes down, so the partition never has fewer CPUs
 * than before. CPUs that must stay online are never offered to the policy
 * in hotplug mode (fold_cpu_hotpluggable()). Every CPU offlined here is
 * remembered and brought back when its partition is restored, and at
 * unload.
 *
 * Both modes keep one resume-latency QoS request per CPU of a partition
 * with folding on: unfolded CPUs get the latency_us bound, folded ones
 * "no constraint", so the idle governor may put them as deep as it can.
 * All state here is under fold_lock.
 */
#include <linux/cpu.h>
#include <linux/ktime.h>
#include <linux/sched/isolation.h>
#include <linux/slab.h>

#include "corefold/fold.h"
#include "corefold/trace.h"

/* CPUs this module took offline; under fold_lock. */
static cpumask_var_t fold_offlined;
/* One request per CPU; active while the CPU is in an enabled partition. */
static struct dev_pm_qos_request *fold_qos;

/**
 * fold_cpu_hotpluggable() - may hotplug mode take @cpu offline?
 * @cpu: the CPU
 *
 * Never: a CPU the platform cannot offline (the boot CPU on x86), an
 * isolated CPU (isolcpus= domain isolation), or, under nohz_full, a
 * housekeeping CPU (it keeps the timekeeping of the isolated ones).
 *
 * Return: whether it may.
 */
bool fold_cpu_hotpluggable(unsigned int cpu)
{
	if (!cpu_is_hotpluggable(cpu))
		return false;
	if (housekeeping_enabled(HK_TYPE_DOMAIN) && !housekeeping_test_cpu(cpu, HK_TYPE_DOMAIN))
		return false;
	if (housekeeping_enabled(HK_TYPE_TICK) && housekeeping_test_cpu(cpu, HK_TYPE_TICK))
		return false;
	return true;
}

/**
 * fold_cpu_offlined() - did this module take @cpu offline?
 * @cpu: the CPU
 *
 * Return: whether it did and it is still offline.
 */
bool fold_cpu_offlined(unsigned int cpu)
{
	lockdep_assert_held(&fold_lock);
	return cpumask_test_cpu(cpu, fold_offlined);
}

static int fold_cpu_down(unsigned int cpu)
{
	int ret;

	if (!cpu_online(cpu) || !fold_cpu_hotpluggable(cpu))
		return -EBUSY;
	ret = remove_cpu(cpu);
	if (!ret)
		cpumask_set_cpu(cpu, fold_offlined);
	return ret;
}

static int fold_cpu_up(unsigned int cpu)
{
	int ret = 0;

	if (!cpumask_test_cpu(cpu, fold_offlined))
		return 0;
	if (!cpu_online(cpu))
		ret = add_cpu(cpu);
	if (!ret)
		cpumask_clear_cpu(cpu, fold_offlined);
	else
		pr_warn("cannot bring CPU %u back online: %d\n", cpu, ret);
	return ret;
}

/* The CPUs of @cpus on global core @core. */
static void fold_core_cpus(const struct cpumask *cpus, u32 core, struct cpumask *dst)
{
	unsigned int cpu;

	cpumask_clear(dst);
	for_each_cpu(cpu, cpus)
		if (fold_cpu_core(&fold_topo, cpu) == core)
			cpumask_set_cpu(cpu, dst);
}

/* Offlines the partition's CPUs of @core; on failure, puts them back. */
static int fold_core_down(const struct cpumask *cpus, u32 core, struct cpumask *tmp)
{
	unsigned int cpu, undo;
	int ret = 0;

	fold_core_cpus(cpus, core, tmp);
	for_each_cpu(cpu, tmp) {
		ret = fold_cpu_down(cpu);
		if (ret)
			break;
	}
	if (!ret)
		return 0;
	for_each_cpu(undo, tmp) {
		if (undo == cpu)
			break;
		fold_cpu_up(undo);
	}
	return ret;
}

static int fold_core_up(const struct cpumask *cpus, u32 core, struct cpumask *tmp)
{
	unsigned int cpu;
	int ret = 0;

	fold_core_cpus(cpus, core, tmp);
	for_each_cpu(cpu, tmp)
		ret = fold_cpu_up(cpu) ?: ret;
	return ret;
}

/* Marks the partition's CPUs of @core unfolded (or folded) in the state. */
static void fold_state_mark(const struct cpumask *cpus, u32 core, bool unfolded)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		if (fold_cpu_core(&fold_topo, cpu) != core)
			continue;
		if (unfolded)
			__set_bit(cpu, fold_st.unfolded);
		else
			__clear_bit(cpu, fold_st.unfolded);
	}
}

/**
 * fold_hotplug_apply() - carry out one decision in hotplug mode
 * @fp: the partition
 * @d: the decision
 * @cpus: the partition's CPUs as offered to the policy
 *
 * A failed fold leaves the core unfolded in the policy state (the policy
 * will try again after its dwell); a failed unfold leaves it folded (it
 * asks again next interval). The time taken is added to the hotplug
 * latency account of the decision's kind.
 *
 * Return: 0 or the errno of the hotplug call that failed.
 */
int fold_hotplug_apply(const struct fold_part *fp, const struct fold_decision *d,
		       const struct cpumask *cpus)
{
	cpumask_var_t tmp;
	u64 t0 = ktime_get_ns();
	u32 kind;
	int ret;

	lockdep_assert_held(&fold_lock);
	if (!zalloc_cpumask_var(&tmp, GFP_KERNEL))
		return -ENOMEM;
	switch (d->action) {
	case FOLD_ACT_UNFOLD:
		kind = LPAR_FOLD_KIND_UNFOLD;
		ret = fold_core_up(cpus, d->core, tmp);
		if (ret)
			fold_state_mark(cpus, d->core, false);
		break;
	case FOLD_ACT_EXCHANGE:
		/* Destination first: the partition never runs short. */
		kind = LPAR_FOLD_KIND_EXCHANGE;
		ret = fold_core_up(cpus, d->dest, tmp);
		if (ret) {
			fold_state_mark(cpus, d->dest, false);
			fold_state_mark(cpus, d->core, true);
			break;
		}
		ret = fold_core_down(cpus, d->core, tmp);
		if (ret)
			fold_state_mark(cpus, d->core, true);
		break;
	default:	/* fold, migrate */
		kind = LPAR_FOLD_KIND_FOLD;
		ret = fold_core_down(cpus, d->core, tmp);
		if (ret)
			fold_state_mark(cpus, d->core, true);
		break;
	}
	free_cpumask_var(tmp);
	trace_corefold_apply(fp->name, LPAR_FOLD_MECHANISM_HOTPLUG, kind, d->core,
			     ktime_get_ns() - t0, ret);
	if (!ret)
		fold_lat_add(LPAR_FOLD_MECHANISM_HOTPLUG, kind, ktime_get_ns() - t0);
	else
		pr_info_ratelimited("%s: %s of core %u failed: %d\n", fp->name,
				    fold_action_name(d->action), d->core, ret);
	return ret;
}

/**
 * fold_hotplug_sync() - take note of CPUs someone else brought back
 *
 * A CPU this module offlined that is online again (an administrator wrote
 * its online file) counts as unfolded from now on.
 */
void fold_hotplug_sync(void)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	for_each_cpu(cpu, fold_offlined) {
		if (!cpu_online(cpu))
			continue;
		cpumask_clear_cpu(cpu, fold_offlined);
		__set_bit(cpu, fold_st.unfolded);
	}
}

/**
 * fold_hotplug_restore() - bring back every CPU of @cpus this module offlined
 * @cpus: the CPUs
 */
void fold_hotplug_restore(const struct cpumask *cpus)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	for_each_cpu_and(cpu, cpus, fold_offlined)
		fold_cpu_up(cpu);
}

/* The resume-latency bound @cpu should have, or NO_CONSTRAINT for none. */
static bool fold_qos_want(unsigned int cpu, s32 *val)
{
	struct fold_part *fp;

	if (!fold_knobs.enable)
		return false;
	list_for_each_entry(fp, &fold_parts, node) {
		if (!fp->enabled || !cpumask_test_cpu(cpu, fp->cpus))
			continue;
		*val = test_bit(cpu, fold_st.unfolded) ? fold_knobs.latency_us :
			PM_QOS_RESUME_LATENCY_NO_CONSTRAINT;
		return true;
	}
	return false;
}

/**
 * fold_qos_sync() - make the QoS requests agree with the partitions
 *
 * Adds, updates or removes each CPU's request; a CPU whose device cannot
 * take one is skipped with a one-time warning.
 */
void fold_qos_sync(void)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct dev_pm_qos_request *req = &fold_qos[cpu];
		struct device *dev = get_cpu_device(cpu);
		bool active = dev_pm_qos_request_active(req);
		s32 val = 0;

		if (!fold_qos_want(cpu, &val)) {
			if (active)
				dev_pm_qos_remove_request(req);
			continue;
		}
		if (active) {
			/* This module is the request's only writer. */
			if (req->data.pnode.prio != val)
				dev_pm_qos_update_request(req, val);
			continue;
		}
		if (dev && dev_pm_qos_add_request(dev, req, DEV_PM_QOS_RESUME_LATENCY, val) < 0)
			pr_warn_once("no resume-latency request for CPU %u\n", cpu);
	}
}

/**
 * fold_qos_effective() - the resume-latency constraint a CPU is under
 * @cpu: the CPU
 * @requested: set to this module's request, or -1 if it has none
 *
 * dev_pm_qos_read_value() is not exported; the aggregate is read the way
 * dev_pm_qos_raw_resume_latency() reads it.
 *
 * Return: the aggregate of every request on the CPU's device, in us, or
 * PM_QOS_RESUME_LATENCY_NO_CONSTRAINT.
 */
s32 fold_qos_effective(unsigned int cpu, s32 *requested)
{
	struct device *dev = get_cpu_device(cpu);
	struct dev_pm_qos *qos;

	lockdep_assert_held(&fold_lock);
	*requested = dev_pm_qos_request_active(&fold_qos[cpu]) ? fold_qos[cpu].data.pnode.prio : -1;
	qos = dev ? READ_ONCE(dev->power.qos) : NULL;
	if (IS_ERR_OR_NULL(qos))
		return PM_QOS_RESUME_LATENCY_NO_CONSTRAINT;
	return READ_ONCE(qos->resume_latency.target_value);
}

int fold_actuate_init(void)
{
	if (!zalloc_cpumask_var(&fold_offlined, GFP_KERNEL))
		return -ENOMEM;
	fold_qos = kcalloc(nr_cpu_ids, sizeof(*fold_qos), GFP_KERNEL);
	if (!fold_qos) {
		free_cpumask_var(fold_offlined);
		return -ENOMEM;
	}
	return 0;
}

/* Called with every partition restored: no request and no CPU left. */
void fold_actuate_exit(void)
{
	unsigned int cpu;

	mutex_lock(&fold_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (dev_pm_qos_request_active(&fold_qos[cpu]))
			dev_pm_qos_remove_request(&fold_qos[cpu]);
	fold_hotplug_restore(cpu_possible_mask);
	mutex_unlock(&fold_lock);
	kfree(fold_qos);
	free_cpumask_var(fold_offlined);
}
