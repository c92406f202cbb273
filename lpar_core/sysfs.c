// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/lpar/: one read-only directory per partition, for tuning
 * scripts and quick looks; objects are created only through netlink.
 * A directory lives from just after the partition is reserved until just
 * after it is unpublished; kobject_del() waits for readers in flight, so a
 * show() never sees a freed partition.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "partition.h"

struct lpar_sysfs {
	struct kobject kobj;
	struct lpar *p;
};

static struct kset *lpar_kset;

static struct lpar *to_lpar(struct kobject *kobj)
{
	return container_of(kobj, struct lpar_sysfs, kobj)->p;
}

static ssize_t id_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_lpar(kobj)->id);
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	int len = lpar_cpus_format(to_lpar(kobj), buf, PAGE_SIZE - 1);

	if (len < 0)
		return len;
	buf[len] = '\n';
	return len + 1;
}

static ssize_t budget_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	u64 budget, used;

	lpar_budget_read(to_lpar(kobj), &budget, &used);
	return sysfs_emit(buf, "%llu\n", budget);
}

static ssize_t used_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	u64 budget, used;

	lpar_budget_read(to_lpar(kobj), &budget, &used);
	return sysfs_emit(buf, "%llu\n", used);
}

static ssize_t netns_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", lpar_netns_ino(to_lpar(kobj)));
}

static ssize_t cgroup_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	int len = lpar_cgroup_path(to_lpar(kobj), buf, PAGE_SIZE - 1);

	if (len < 0)
		return len;
	len = strlen(buf);
	buf[len] = '\n';
	return len + 1;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	static const char * const names[] = {
		[LPAR_STATE_CREATING] = "creating",
		[LPAR_STATE_ACTIVE] = "active",
		[LPAR_STATE_DYING] = "dying",
	};

	return sysfs_emit(buf, "%s\n", names[READ_ONCE(to_lpar(kobj)->state)]);
}

static struct kobj_attribute lpar_attr_id = __ATTR_RO(id);
static struct kobj_attribute lpar_attr_cpus = __ATTR_RO(cpus);
static struct kobj_attribute lpar_attr_budget = __ATTR_RO(budget);
static struct kobj_attribute lpar_attr_used = __ATTR_RO(used);
static struct kobj_attribute lpar_attr_netns = __ATTR_RO(netns);
static struct kobj_attribute lpar_attr_cgroup = __ATTR_RO(cgroup);
static struct kobj_attribute lpar_attr_state = __ATTR_RO(state);

static struct attribute *lpar_attrs[] = {
	&lpar_attr_id.attr,
	&lpar_attr_cpus.attr,
	&lpar_attr_budget.attr,
	&lpar_attr_used.attr,
	&lpar_attr_netns.attr,
	&lpar_attr_cgroup.attr,
	&lpar_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lpar);

static void lpar_sysfs_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct lpar_sysfs, kobj));
}

static const struct kobj_type lpar_ktype = {
	.release = lpar_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = lpar_groups,
};

int lpar_sysfs_add(struct lpar *p)
{
	struct lpar_sysfs *s;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->p = p;
	s->kobj.kset = lpar_kset;
	ret = kobject_init_and_add(&s->kobj, &lpar_ktype, NULL, "%s", p->name);
	if (ret) {
		kobject_put(&s->kobj);
		return ret;
	}
	p->sysfs = s;
	return 0;
}

void lpar_sysfs_del(struct lpar *p)
{
	if (!p->sysfs)
		return;
	kobject_del(&p->sysfs->kobj);
	kobject_put(&p->sysfs->kobj);
	p->sysfs = NULL;
}

/**
 * lpar_sysfs_dir() - the /sys/kernel/lpar directory, for extensions' knobs
 *
 * An extension adds its own directory under it (adjunct, ckpt, corefold,
 * hwt: names no partition can take). The directory lives as long as lpar.ko,
 * which every extension holds through its symbol references; take a
 * reference with kobject_get() for a child's lifetime all the same.
 *
 * Return: the kobject of /sys/kernel/lpar.
 */
struct kobject *lpar_sysfs_dir(void)
{
	return &lpar_kset->kobj;
}
EXPORT_SYMBOL_GPL(lpar_sysfs_dir);

int lpar_sysfs_init(void)
{
	lpar_kset = kset_create_and_add("lpar", NULL, kernel_kobj);
	return lpar_kset ? 0 : -ENOMEM;
}

void lpar_sysfs_exit(void)
{
	kset_unregister(lpar_kset);
}
