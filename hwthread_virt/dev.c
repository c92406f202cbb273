// SPDX-License-Identifier: GPL-2.0
/*
 * The partition's /dev/cpu/N/{cpuid,msr}: character devices with the ABI
 * of arch/x86/kernel/cpuid.c and msr.c (offsets, chunk sizes, errnos,
 * lseek, ioctls), one pair per (partition, CPU), at
 * /dev/lpar_hwt/<partition>/cpu<N>/{cpuid,msr}, ready to be bind-mounted
 * over /dev/cpu/<N>/ in the partition's mount namespace. Values come from
 * the partition's map: CPUID is executed on the backing CPU and
 * translated, except for the leaves the map alone defines; MSRs are
 * denied (EIO, as a faulting MSR) except the translated 0x35, 0x802 and
 * TSC_AUX and the pass-through APERF/MPERF. Writes are refused with
 * EPERM, as msr.c does with allow_writes=off. One char-dev region serves
 * every node: minor = (slot * nr_cpu_ids + cpu) * 2 + kind.
 */
#include <linux/capability.h>
#include <linux/cdev.h>
#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <uapi/linux/lpar_hwt.h>

#include "hwthread_virt/hwt.h"

static dev_t hwt_devt;
u32 hwt_nr_slots;	/* partitions that can have nodes at once */
static struct cdev hwt_cdev;

static const char * const hwt_kind_name[HWT_KINDS] = {
	[HWT_KIND_CPUID] = "cpuid",
	[HWT_KIND_MSR] = "msr",
};

static dev_t hwt_minor_devt(u32 slot, u32 cpu, enum hwt_kind kind)
{
	return hwt_devt + (slot * nr_cpu_ids + cpu) * HWT_KINDS + kind;
}

/* The state of one open node. */
struct hwt_file {
	struct hwt_part *hp;
	u32 cpu;
};

/*
 * devtmpfs asks for the path when it removes the node too, and leaves the
 * node behind if it gets none (devtmpfs_delete_node() cannot fail): a
 * failed allocation here would leave /dev/lpar_hwt/P/cpuN/KIND of a
 * deleted partition pointing at a minor the next partition reuses. The
 * string is small; do not let it fail.
 */
static char *hwt_devnode(const struct device *dev, umode_t *mode)
{
	char *s = kasprintf(GFP_KERNEL | __GFP_NOFAIL, "lpar_hwt/%s", dev_name(dev));

	if (s)
		strreplace(s, '!', '/');
	return s;
}

static const struct class hwt_class = {
	.name = "lpar_hwt",
	.devnode = hwt_devnode,
};

/**
 * hwt_dev_sync() - make a partition's nodes those of a CPU set
 * @hp: the partition view; its lock held
 * @cpus: CPUs that must have nodes (cpu_none_mask removes them all)
 */
void hwt_dev_sync(struct hwt_part *hp, const struct cpumask *cpus)
{
	unsigned int cpu;
	int kind;

	lockdep_assert_held(&hp->lock);
	for_each_cpu(cpu, hp->nodes) {
		if (cpumask_test_cpu(cpu, cpus))
			continue;
		for (kind = 0; kind < HWT_KINDS; kind++)
			device_destroy(&hwt_class, hwt_minor_devt(hp->slot, cpu, kind));
		cpumask_clear_cpu(cpu, hp->nodes);
	}
	for_each_cpu(cpu, cpus) {
		struct device *dev;

		if (cpumask_test_cpu(cpu, hp->nodes))
			continue;
		for (kind = 0; kind < HWT_KINDS; kind++) {
			dev = device_create(&hwt_class, NULL,
					    hwt_minor_devt(hp->slot, cpu, kind),
					    NULL, "%s!cpu%u!%s", hp->name, cpu,
					    hwt_kind_name[kind]);
			if (IS_ERR(dev))
				break;
		}
		if (kind < HWT_KINDS) {
			/* A half pair is no use: remove it, try again later. */
			while (kind-- > 0)
				device_destroy(&hwt_class,
					       hwt_minor_devt(hp->slot, cpu, kind));
			pr_warn("partition %s: cannot create the nodes of CPU %u\n",
				hp->name, cpu);
			continue;
		}
		cpumask_set_cpu(cpu, hp->nodes);
	}
}

static int hwt_open(struct inode *inode, struct file *file, enum hwt_kind kind)
{
	u32 n = (iminor(inode) - MINOR(hwt_devt)) / HWT_KINDS;
	u32 cpu = n % nr_cpu_ids, slot = n / nr_cpu_ids;
	struct hwt_view *view;
	struct hwt_file *hf;
	bool member;

	/* msr.c checks the capability before the CPU, so do we. */
	if (kind == HWT_KIND_MSR && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -ENXIO;
	hf = kzalloc(sizeof(*hf), GFP_KERNEL);
	if (!hf)
		return -ENOMEM;
	hf->cpu = cpu;
	hf->hp = hwt_part_get_slot(slot);
	if (!hf->hp)
		goto err_nxio;
	/* A CPU outside the partition has no node, but mknod can make one. */
	view = hwt_view_get(hf->hp);
	member = view ? !!hwt_map_vcpu(&view->map, cpu) :
			cpumask_test_cpu(cpu, hf->hp->nodes);
	hwt_view_put(view);
	if (!member) {
		hwt_part_put(hf->hp);
		goto err_nxio;
	}
	file->private_data = hf;
	return 0;

err_nxio:
	kfree(hf);
	return -ENXIO;
}

static int hwt_release(struct inode *inode, struct file *file)
{
	struct hwt_file *hf = file->private_data;

	hwt_part_put(hf->hp);
	kfree(hf);
	return 0;
}

/* The map a read works with, or the errno of a dead or disabled view. */
static struct hwt_view *hwt_file_view(struct hwt_file *hf)
{
	struct hwt_view *view;

	if (READ_ONCE(hf->hp->dead))
		return ERR_PTR(-ENXIO);
	view = hwt_view_get(hf->hp);
	return view ?: ERR_PTR(-EIO);
}

static ssize_t hwt_cpuid_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct hwt_file *hf = file->private_data;
	struct hwt_view *view;
	u64 pos = *ppos;
	ssize_t bytes = 0;
	bool synth;
	int err = 0;

	if (count % 16)
		return -EINVAL;	/* as cpuid.c: whole chunks only */
	if (!count)
		return 0;
	/* One map for the whole read, however long it takes. */
	view = hwt_file_view(hf);
	if (IS_ERR(view))
		return PTR_ERR(view);
	for (; count; count -= 16) {
		u32 regs[4] = { 0 };

		if (READ_ONCE(hf->hp->dead)) {
			err = -ENXIO;
			break;
		}
		synth = hwt_cpuid_synthesized(&view->map, (u32)pos);
		if (synth) {
			/* No IPI, but an offline CPU is still ENXIO. */
			if (!cpu_online(hf->cpu)) {
				err = -ENXIO;
				break;
			}
		} else {
			err = hwt_host_cpuid(hf->cpu, (u32)pos, pos >> 32, regs);
			if (err)
				break;
		}
		err = hwt_xlate_cpuid(&view->map, hf->cpu, (u32)pos, pos >> 32,
				      regs, regs);
		if (err)
			break;
		if (copy_to_user(buf + bytes, regs, 16)) {
			err = -EFAULT;
			break;
		}
		hwt_stat_read(hf->hp, LPAR_HWT_REG_KIND_CPUID, (u32)pos, synth);
		bytes += 16;
		*ppos = ++pos;
		cond_resched();
	}
	hwt_view_put(view);
	return bytes ? bytes : err;
}

/*
 * The allow-list: the value of @reg on @cpu, or -EACCES if the register
 * is not one a partition may read.
 */
static int hwt_msr_policy(const struct hwt_map *map, u32 cpu, u32 reg, u64 *val)
{
	u64 host = 0;
	int err;

	if (!hwt_map_vcpu(map, cpu))
		return -ENXIO;
	switch (reg) {
	case MSR_IA32_APERF:
	case MSR_IA32_MPERF:
		return rdmsrl_safe_on_cpu(cpu, reg, val);
	case HWT_MSR_CORE_THREAD_COUNT:
	case HWT_MSR_X2APIC_ID:
		if (!hwt_host_has_msr(reg))
			return -EIO;
		if (!cpu_online(cpu))
			return -ENXIO;
		return hwt_xlate_msr(map, cpu, reg, 0, val);
	case HWT_MSR_TSC_AUX:
		err = rdmsrl_safe_on_cpu(cpu, reg, &host);
		if (err)
			return err;
		return hwt_xlate_msr(map, cpu, reg, host, val);
	}
	/* The administrator's pass-through additions (msr_allow). */
	if (hwt_msr_allowed(reg))
		return rdmsrl_safe_on_cpu(cpu, reg, val);
	return -EACCES;
}

/*
 * The partition's value of one MSR: translated, passed through, or
 * denied with -EIO as msr.c answers a register that faults. Counts the
 * answer in @hp's counters.
 */
static int hwt_msr_value(struct hwt_part *hp, const struct hwt_map *map,
			 u32 cpu, u32 reg, u64 *val)
{
	int err = hwt_msr_policy(map, cpu, reg, val);

	if (err == -EACCES) {
		hwt_stat_denied(hp, reg);
		return -EIO;
	}
	if (!err)
		hwt_stat_read(hp, LPAR_HWT_REG_KIND_MSR, reg, false);
	return err;
}

static ssize_t hwt_msr_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct hwt_file *hf = file->private_data;
	struct hwt_view *view;
	u32 reg = *ppos;
	ssize_t bytes = 0;
	int err = 0;
	u64 val;

	if (count % 8)
		return -EINVAL;	/* as msr.c: whole registers only */
	if (!count)
		return 0;
	view = hwt_file_view(hf);
	if (IS_ERR(view))
		return PTR_ERR(view);
	/* Every chunk re-reads the same register; the offset stays. */
	for (; count; count -= 8) {
		if (READ_ONCE(hf->hp->dead)) {
			err = -ENXIO;
			break;
		}
		err = hwt_msr_value(hf->hp, &view->map, hf->cpu, reg, &val);
		if (err)
			break;
		if (copy_to_user(buf + bytes, &val, 8)) {
			err = -EFAULT;
			break;
		}
		bytes += 8;
	}
	hwt_view_put(view);
	return bytes ? bytes : err;
}

/* Writes are refused as msr.c refuses them with msr.allow_writes=off. */
static ssize_t hwt_msr_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	return -EPERM;
}

static long hwt_msr_ioctl(struct file *file, unsigned int ioc,
			  unsigned long arg)
{
	struct hwt_file *hf = file->private_data;
	u32 __user *uregs = (u32 __user *)arg;
	struct hwt_view *view;
	u32 regs[8];
	u64 val;
	int err;

	switch (ioc) {
	case X86_IOC_RDMSR_REGS:
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		if (copy_from_user(&regs, uregs, sizeof(regs)))
			return -EFAULT;
		view = hwt_file_view(hf);
		if (IS_ERR(view))
			return PTR_ERR(view);
		/* regs[] is eax, ecx, edx, ...: RDMSR of ECX into EDX:EAX. */
		err = hwt_msr_value(hf->hp, &view->map, hf->cpu, regs[1], &val);
		hwt_view_put(view);
		if (err)
			return err;
		regs[0] = (u32)val;
		regs[2] = val >> 32;
		if (copy_to_user(uregs, &regs, sizeof(regs)))
			return -EFAULT;
		return 0;
	case X86_IOC_WRMSR_REGS:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		if (copy_from_user(&regs, uregs, sizeof(regs)))
			return -EFAULT;
		return -EPERM;
	}
	return -ENOTTY;
}

static int hwt_cpuid_open(struct inode *inode, struct file *file)
{
	return hwt_open(inode, file, HWT_KIND_CPUID);
}

static int hwt_msr_open(struct inode *inode, struct file *file)
{
	return hwt_open(inode, file, HWT_KIND_MSR);
}

static const struct file_operations hwt_cpuid_fops = {
	.owner = THIS_MODULE,
	.llseek = no_seek_end_llseek,
	.read = hwt_cpuid_read,
	.open = hwt_cpuid_open,
	.release = hwt_release,
};

static const struct file_operations hwt_msr_fops = {
	.owner = THIS_MODULE,
	.llseek = no_seek_end_llseek,
	.read = hwt_msr_read,
	.write = hwt_msr_write,
	.open = hwt_msr_open,
	.release = hwt_release,
	.unlocked_ioctl = hwt_msr_ioctl,
	.compat_ioctl = hwt_msr_ioctl,
};

/* The region's one cdev: picks the kind's file operations by minor. */
static int hwt_dispatch_open(struct inode *inode, struct file *file)
{
	u32 minor = iminor(inode) - MINOR(hwt_devt);
	const struct file_operations *fops;

	fops = fops_get(minor % HWT_KINDS == HWT_KIND_MSR ? &hwt_msr_fops :
			&hwt_cpuid_fops);
	if (!fops)
		return -ENXIO;
	replace_fops(file, fops);
	return file->f_op->open(inode, file);
}

static const struct file_operations hwt_dispatch_fops = {
	.owner = THIS_MODULE,
	.open = hwt_dispatch_open,
	.llseek = noop_llseek,
};

/**
 * hwt_dev_init() - register the char-dev region and the lpar_hwt class
 *
 * Return: 0 or a negative errno.
 */
int hwt_dev_init(void)
{
	u32 count;
	int ret;

	hwt_nr_slots = min_t(u32, HWT_MAX_SLOTS, (MINORMASK + 1) / (HWT_KINDS * nr_cpu_ids));
	count = hwt_nr_slots * nr_cpu_ids * HWT_KINDS;

	ret = alloc_chrdev_region(&hwt_devt, 0, count, "lpar_hwt");
	if (ret)
		return ret;
	cdev_init(&hwt_cdev, &hwt_dispatch_fops);
	hwt_cdev.owner = THIS_MODULE;
	ret = cdev_add(&hwt_cdev, hwt_devt, count);
	if (ret)
		goto err_region;
	ret = class_register(&hwt_class);
	if (ret)
		goto err_cdev;
	return 0;

err_cdev:
	cdev_del(&hwt_cdev);
err_region:
	unregister_chrdev_region(hwt_devt, count);
	return ret;
}

/**
 * hwt_dev_exit() - undo hwt_dev_init(); every node is gone by then
 */
void hwt_dev_exit(void)
{
	class_unregister(&hwt_class);
	cdev_del(&hwt_cdev);
	unregister_chrdev_region(hwt_devt, hwt_nr_slots * nr_cpu_ids * HWT_KINDS);
}
