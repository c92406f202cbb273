// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/lpar/corefold/: the knobs (enable, interval_ms, mechanism,
 * latency_us, the policy's low/high/burst/dwell/hold_max/floor/idle/
 * consolidate, and power/ with the power model's parameters) and the
 * reports (sockets: modeled energy, power and deep residency per socket;
 * latency: how long applying changes took per mechanism and kind; qos:
 * each CPU's request and effective resume-latency constraint; stats). A
 * write is checked as a whole against the policy's or the power model's
 * rules and refused with -EINVAL without changing anything if it breaks
 * one.
 *
 * The parent is lpar_core's /sys/kernel/lpar (lpar_sysfs_dir()), pinned
 * for as long as corefold lives.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "corefold/fold.h"

static struct kobject *fold_kobj, *fold_parent;

static const char *const fold_mech_names[FOLD_NR_MECHS] = {
	[LPAR_FOLD_MECHANISM_CPUSET] = "cpuset",
	[LPAR_FOLD_MECHANISM_HOTPLUG] = "hotplug",
};

static const char *const fold_kind_names[FOLD_NR_KINDS] = {
	[LPAR_FOLD_KIND_FOLD] = "fold",
	[LPAR_FOLD_KIND_UNFOLD] = "unfold",
	[LPAR_FOLD_KIND_EXCHANGE] = "exchange",
	[LPAR_FOLD_KIND_RESTORE] = "restore",
};

/* ---- u32 knobs: the policy's and the power model's ---- */

struct fold_u32_attr {
	struct kobj_attribute attr;
	size_t off;		/* in struct fold_knobs */
	u32 min, max;
	bool tun;		/* checked by fold_tunables_check(), else fold_power_check() */
};

static ssize_t fold_u32_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct fold_u32_attr *ua = container_of(a, struct fold_u32_attr, attr);
	u32 v;

	mutex_lock(&fold_lock);
	v = *(u32 *)((char *)&fold_knobs + ua->off);
	mutex_unlock(&fold_lock);
	return sysfs_emit(buf, "%u\n", v);
}

static ssize_t fold_u32_store(struct kobject *kobj, struct kobj_attribute *a,
			      const char *buf, size_t len)
{
	struct fold_u32_attr *ua = container_of(a, struct fold_u32_attr, attr);
	struct fold_knobs k;
	int ret;
	u32 v;

	ret = kstrtou32(buf, 0, &v);
	if (ret)
		return ret;
	if (v < ua->min || v > ua->max)
		return -ERANGE;
	mutex_lock(&fold_lock);
	k = fold_knobs;
	*(u32 *)((char *)&k + ua->off) = v;
	ret = ua->tun ? fold_tunables_check(&k.tun) : fold_power_check(&k.power);
	if (!ret)
		fold_knobs = k;
	mutex_unlock(&fold_lock);
	if (!ret && ua->off == offsetof(struct fold_knobs, interval_ms))
		fold_kick();
	return ret ?: len;
}

#define FOLD_U32(_name, _field, _min, _max, _tun)				\
	static struct fold_u32_attr fold_attr_##_name = {			\
		.attr = __ATTR(_name, 0644, fold_u32_show, fold_u32_store),	\
		.off = offsetof(struct fold_knobs, _field),			\
		.min = _min, .max = _max, .tun = _tun,				\
	}

FOLD_U32(interval_ms, interval_ms, 10, 60000, true);
FOLD_U32(latency_us, latency_us, 0, 2000000000, true);
FOLD_U32(low, tun.low, 0, FOLD_UTIL_MAX, true);
FOLD_U32(high, tun.high, 0, FOLD_UTIL_MAX, true);
FOLD_U32(burst, tun.burst, 0, FOLD_UTIL_MAX, true);
FOLD_U32(dwell, tun.dwell, 0, 100000, true);
FOLD_U32(floor, tun.floor, 1, FOLD_MAX_CPUS, true);
FOLD_U32(idle, tun.idle, 0, FOLD_UTIL_MAX, true);
FOLD_U32(hold_max, tun.hold_max, 0, 1000000, true);
FOLD_U32(uncore_mw, power.uncore_mw, 0, 10000000, false);
FOLD_U32(deep_mw, power.deep_mw, 0, 10000000, false);
FOLD_U32(core_active_mw, power.core_active_mw, 0, 10000000, false);
FOLD_U32(core_idle_mw, power.core_idle_mw, 0, 10000000, false);
FOLD_U32(core_folded_mw, power.core_folded_mw, 0, 10000000, false);

/* ---- boolean and word knobs ---- */

/* The two switches: the global one, and packing (off: the baseline). */
static ssize_t enable_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(fold_knobs.enable));
}

static ssize_t consolidate_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(fold_knobs.tun.consolidate));
}

static ssize_t fold_switch_store(struct kobject *kobj, struct kobj_attribute *a,
				 const char *buf, size_t len)
{
	bool on;
	int ret = kstrtobool(buf, &on);

	if (ret)
		return ret;
	mutex_lock(&fold_lock);
	if (!strcmp(a->attr.name, "enable"))
		ret = fold_set_enable(on);
	else
		fold_knobs.tun.consolidate = on;
	mutex_unlock(&fold_lock);
	return ret ?: len;
}

static ssize_t mechanism_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", fold_mech_names[READ_ONCE(fold_knobs.mechanism)]);
}

static ssize_t mechanism_store(struct kobject *kobj, struct kobj_attribute *a,
			       const char *buf, size_t len)
{
	int m = sysfs_match_string(fold_mech_names, buf);

	if (m < 0)
		return m;
	mutex_lock(&fold_lock);
	m = fold_set_mechanism(m);
	mutex_unlock(&fold_lock);
	return m ?: len;
}

/* ---- reports ---- */

static ssize_t sockets_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	ssize_t n = 0;
	u32 s, cpu;

	mutex_lock(&fold_lock);
	n += sysfs_emit_at(buf, n, "socket energy_uj deep_us power_mw unfolded_cpus\n");
	for (s = 0; s < fold_topo.nr_sockets; s++) {
		u32 unf = 0;

		for (cpu = 0; cpu < fold_topo.nr_cpus; cpu++)
			unf += fold_topo.cpu[cpu].socket == s && test_bit(cpu, fold_st.unfolded);
		n += sysfs_emit_at(buf, n, "%u %llu %llu %u %u\n", s, fold_energy.uj[s],
				   fold_energy.deep_us[s], fold_socket_mw[s], unf);
	}
	n += sysfs_emit_at(buf, n, "total %llu time_us %llu power_mw %u\n",
			   fold_energy_total_uj(&fold_energy), fold_energy.time_us, fold_power_mw);
	mutex_unlock(&fold_lock);
	return n;
}

static ssize_t latency_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	ssize_t n = 0;
	u32 m, k;

	mutex_lock(&fold_lock);
	n += sysfs_emit_at(buf, n, "mechanism kind count mean_us max_us\n");
	for (m = 0; m < FOLD_NR_MECHS; m++)
		for (k = 0; k < FOLD_NR_KINDS; k++) {
			const struct fold_lat *l = &fold_lat[m][k];

			n += sysfs_emit_at(buf, n, "%s %s %llu %llu %llu\n", fold_mech_names[m],
					   fold_kind_names[k], l->n,
					   l->n ? div64_u64(l->sum_ns, l->n * NSEC_PER_USEC) : 0,
					   div64_u64(l->max_ns, NSEC_PER_USEC));
		}
	mutex_unlock(&fold_lock);
	return n;
}

static ssize_t qos_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	unsigned int cpu;
	ssize_t n = 0;

	mutex_lock(&fold_lock);
	n += sysfs_emit_at(buf, n, "cpu requested_us effective_us\n");
	for_each_possible_cpu(cpu) {
		s32 req, eff = fold_qos_effective(cpu, &req);

		if (n > PAGE_SIZE - 64)
			break;
		if (req < 0)
			n += sysfs_emit_at(buf, n, "%u -", cpu);
		else if (req == PM_QOS_RESUME_LATENCY_NO_CONSTRAINT)
			n += sysfs_emit_at(buf, n, "%u any", cpu);
		else
			n += sysfs_emit_at(buf, n, "%u %d", cpu, req);
		if (eff == PM_QOS_RESUME_LATENCY_NO_CONSTRAINT)
			n += sysfs_emit_at(buf, n, " any\n");
		else
			n += sysfs_emit_at(buf, n, " %d\n", eff);
	}
	mutex_unlock(&fold_lock);
	return n;
}

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	u64 act[FOLD_NR_ACTS] = {};
	struct fold_part *fp;
	ssize_t n;
	u32 i;

	mutex_lock(&fold_lock);
	list_for_each_entry(fp, &fold_parts, node)
		for (i = 0; i < FOLD_NR_ACTS; i++)
			act[i] += fp->count[i];
	n = sysfs_emit(buf, "intervals %llu\noverhead_ns %llu\nfold %llu\nunfold %llu\n"
		       "exchange %llu\nmigrate %llu\n", fold_intervals, fold_overhead_ns,
		       act[FOLD_ACT_FOLD], act[FOLD_ACT_UNFOLD], act[FOLD_ACT_EXCHANGE],
		       act[FOLD_ACT_MIGRATE]);
	mutex_unlock(&fold_lock);
	return n;
}

static struct kobj_attribute fold_attr_enable =
	__ATTR(enable, 0644, enable_show, fold_switch_store);
static struct kobj_attribute fold_attr_consolidate =
	__ATTR(consolidate, 0644, consolidate_show, fold_switch_store);
static struct kobj_attribute fold_attr_mechanism = __ATTR_RW(mechanism);
static struct kobj_attribute fold_attr_sockets = __ATTR_RO(sockets);
static struct kobj_attribute fold_attr_latency = __ATTR_RO(latency);
static struct kobj_attribute fold_attr_qos = __ATTR_RO(qos);
static struct kobj_attribute fold_attr_stats = __ATTR_RO(stats);

static struct attribute *fold_attrs[] = {
	&fold_attr_enable.attr,
	&fold_attr_interval_ms.attr.attr,
	&fold_attr_mechanism.attr,
	&fold_attr_latency_us.attr.attr,
	&fold_attr_low.attr.attr,
	&fold_attr_high.attr.attr,
	&fold_attr_burst.attr.attr,
	&fold_attr_dwell.attr.attr,
	&fold_attr_hold_max.attr.attr,
	&fold_attr_floor.attr.attr,
	&fold_attr_idle.attr.attr,
	&fold_attr_consolidate.attr,
	&fold_attr_sockets.attr,
	&fold_attr_latency.attr,
	&fold_attr_qos.attr,
	&fold_attr_stats.attr,
	NULL,
};

static const struct attribute_group fold_group = {
	.attrs = fold_attrs,
};

static struct attribute *fold_power_attrs[] = {
	&fold_attr_uncore_mw.attr.attr,
	&fold_attr_deep_mw.attr.attr,
	&fold_attr_core_active_mw.attr.attr,
	&fold_attr_core_idle_mw.attr.attr,
	&fold_attr_core_folded_mw.attr.attr,
	NULL,
};

static const struct attribute_group fold_power_group = {
	.name = "power",
	.attrs = fold_power_attrs,
};

static const struct attribute_group *fold_groups[] = {
	&fold_group,
	&fold_power_group,
	NULL,
};

int fold_sysfs_init(void)
{
	int ret;

	fold_parent = kobject_get(lpar_sysfs_dir());
	fold_kobj = kobject_create_and_add("corefold", fold_parent);
	if (!fold_kobj) {
		ret = -ENOMEM;
		goto err_parent;
	}
	ret = sysfs_create_groups(fold_kobj, fold_groups);
	if (ret)
		goto err_kobj;
	return 0;

err_kobj:
	kobject_put(fold_kobj);
err_parent:
	kobject_put(fold_parent);
	return ret;
}

void fold_sysfs_exit(void)
{
	sysfs_remove_groups(fold_kobj, fold_groups);
	kobject_put(fold_kobj);
	kobject_put(fold_parent);
}
