// SPDX-License-Identifier: GPL-2.0
/*
 * The character devices: /dev/lpar_vmckpt, where CKPT_IOC_CREATE makes a
 * region and binds the file to it, and each region's node
 * /dev/lpar_ckpt/PART/NAME, whose opens are bound at once (a path for
 * QEMU's memory-backend-file). A bound file maps the region (track.c),
 * reads the checkpoint view with pread(), polls (POLLIN: unconsumed
 * entries, POLLPRI: guard band entered) and takes the ioctls of
 * uapi/linux/lpar_vmckpt.h. A file is bound once and for its lifetime:
 * its f_mapping becomes the region's before any mmap can see it.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "vmcheckpoint/ckpt.h"

/* Serializes binding of control-device files (CKPT_IOC_CREATE). */
static DEFINE_MUTEX(ckpt_bind_lock);

static struct ckpt_region *ckpt_file_region(struct file *file)
{
	/* Pairs with ckpt_bind(): a bound file's f_mapping is the region's. */
	return smp_load_acquire((struct ckpt_region **)&file->private_data);
}

static void ckpt_bind(struct file *file, struct ckpt_region *r)
{
	file->f_mapping = r->inode->i_mapping;
	/* f_mapping before the region: mmap() finds both or neither. */
	smp_store_release((struct ckpt_region **)&file->private_data, r);
}

static int ckpt_ctl_open(struct inode *inode, struct file *file)
{
	file->private_data = NULL;	/* misc_open() put the miscdevice here */
	return 0;
}

static int ckpt_region_open(struct inode *inode, struct file *file)
{
	/* misc_open() holds misc_mtx: the region is still in the table. */
	struct ckpt_region *r = container_of(file->private_data, struct ckpt_region, misc);

	kref_get(&r->ref);
	ckpt_bind(file, r);
	return 0;
}

static int ckpt_release(struct inode *inode, struct file *file)
{
	struct ckpt_region *r = file->private_data;

	if (!r)
		return 0;
	mutex_lock(&r->lock);
	if (r->consumer == file) {
		WRITE_ONCE(r->consumer, NULL);	/* ckpt_mmap() reads it unlocked */
		if (r->efd)
			eventfd_ctx_put(r->efd);
		r->efd = NULL;
	}
	mutex_unlock(&r->lock);
	ckpt_region_put(r);
	return 0;
}

static long ckpt_ioc_create(struct file *file, void __user *argp)
{
	struct ckpt_create req;
	struct ckpt_region *r;
	const char *why = NULL;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	mutex_lock(&ckpt_bind_lock);
	if (file->private_data) {
		ret = -EBUSY;
		goto out;
	}
	ret = ckpt_region_create(&req, &r, &why);
	if (ret) {
		pr_debug("create %s: %s\n", req.name, why);
		goto out;
	}
	req.id = r->id;
	if (copy_to_user(argp, &req, sizeof(req))) {
		ckpt_region_destroy(r);
		ckpt_region_put(r);
		ret = -EFAULT;
		goto out;
	}
	ckpt_bind(file, r);
out:
	mutex_unlock(&ckpt_bind_lock);
	return ret;
}

static int ckpt_ioc_consumer(struct ckpt_region *r, struct file *file, void __user *argp)
{
	struct eventfd_ctx *efd = NULL;
	struct ckpt_consumer c;
	int ret = 0;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.flags)
		return -EINVAL;
	if (c.eventfd >= 0) {
		efd = eventfd_ctx_fdget(c.eventfd);
		if (IS_ERR(efd))
			return PTR_ERR(efd);
	} else if (c.eventfd != -1) {
		return -EINVAL;
	}
	mutex_lock(&r->lock);
	if (r->dead) {
		ret = -ENODEV;
	} else if (r->consumer && r->consumer != file) {
		ret = -EBUSY;
	} else {
		WRITE_ONCE(r->consumer, file);	/* ckpt_mmap() reads it unlocked */
		swap(r->efd, efd);
	}
	mutex_unlock(&r->lock);
	if (efd)
		eventfd_ctx_put(efd);
	return ret;
}

static long ckpt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ckpt_region *r = ckpt_file_region(file);
	void __user *argp = (void __user *)arg;
	struct ckpt_status st;
	struct ckpt_ack ack;
	u64 epoch;
	u32 ms;
	int ret;

	if (cmd == CKPT_IOC_CREATE)
		return r ? -EBUSY : ckpt_ioc_create(file, argp);
	if (!r)
		return -EBADFD;	/* not bound to a region yet */

	switch (cmd) {
	case CKPT_IOC_CHECKPOINT:
		mutex_lock(&r->lock);
		ret = ckpt_checkpoint(r, &epoch);
		mutex_unlock(&r->lock);
		if (!ret && put_user(epoch, (u64 __user *)argp))
			ret = -EFAULT;
		return ret;
	case CKPT_IOC_CONSUMER:
		return ckpt_ioc_consumer(r, file, argp);
	case CKPT_IOC_ACK:
		if (copy_from_user(&ack, argp, sizeof(ack)))
			return -EFAULT;
		return ckpt_ack(r, file, &ack);
	case CKPT_IOC_STATUS:
		ckpt_status(r, &st);
		return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
	case CKPT_IOC_PERIODIC:
		if (get_user(ms, (u32 __user *)argp))
			return -EFAULT;
		return ckpt_set_periodic(r, ms);
	case CKPT_IOC_DESTROY:
		ckpt_region_destroy(r);
		return 0;
	default:
		return -ENOTTY;
	}
}

static int ckpt_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ckpt_region *r = ckpt_file_region(file);

	return r ? ckpt_mmap(r, file, vma) : -EBADFD;
}

/*
 * The checkpoint view: the shadow, i.e. the region as of its last
 * checkpoint. Each page's part of the read is copied into a kernel bounce
 * page under r->lock (a checkpoint rewrites the shadow under it) and from
 * there to the user buffer with the lock dropped: the buffer may be a
 * mapping of this very region (its write fault takes mmap_lock, or the
 * per-VMA lock, and the page lock a harvest holds), a userfaultfd range
 * or not faulted in yet, and mmap() of the consumer page runs under
 * mmap_lock; r->lock is never held across user access (ckpt.h). So each
 * page of a read comes whole from one checkpoint; a read spanning pages
 * while checkpoints run may see pages of successive checkpoints, which a
 * consumer never relies on (it reads what the log names, see the design
 * note's invariant, which is per line).
 */
static ssize_t ckpt_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct ckpt_region *r = ckpt_file_region(file);
	size_t done = 0;
	loff_t pos = *ppos;
	void *bounce;

	if (!r)
		return -EBADFD;
	if (pos < 0)
		return -EINVAL;
	if (pos >= r->size)
		return 0;
	count = min_t(u64, count, r->size - pos);
	bounce = (void *)__get_free_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		size_t off = (pos + done) & ~PAGE_MASK;
		size_t n = min(count - done, PAGE_SIZE - off), left;

		mutex_lock(&r->lock);
		memcpy(bounce, page_address(r->shadow[(pos + done) >> PAGE_SHIFT]) + off, n);
		mutex_unlock(&r->lock);
		left = copy_to_user(buf + done, bounce, n);
		done += n - left;
		if (left || fatal_signal_pending(current))
			break;
		cond_resched();
	}
	free_page((unsigned long)bounce);
	if (!done)
		return fatal_signal_pending(current) ? -EINTR : -EFAULT;
	*ppos = pos + done;
	return done;
}

static __poll_t ckpt_poll(struct file *file, poll_table *wait)
{
	struct ckpt_region *r = ckpt_file_region(file);
	__poll_t mask = 0;

	if (!r)
		return EPOLLERR;
	poll_wait(file, &r->wq, wait);
	if (READ_ONCE(r->hdr->head) != READ_ONCE(r->prod.tail))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(r->guard_pending))
		mask |= EPOLLPRI;
	if (READ_ONCE(r->dead))
		mask |= EPOLLHUP;
	return mask;
}

/* SEEK_END gives the size: QEMU sizes a memory-backend-file that way. */
static loff_t ckpt_llseek(struct file *file, loff_t offset, int whence)
{
	struct ckpt_region *r = ckpt_file_region(file);

	if (!r)
		return -EBADFD;
	return fixed_size_llseek(file, offset, whence, r->size);
}

static int ckpt_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	return 0;	/* memory: nothing to write back (msync() of a mapping) */
}

#define CKPT_FOPS(open_fn)					\
	{							\
		.owner = THIS_MODULE,				\
		.open = open_fn,				\
		.release = ckpt_release,			\
		.unlocked_ioctl = ckpt_ioctl,			\
		.compat_ioctl = compat_ptr_ioctl,		\
		.mmap = ckpt_file_mmap,				\
		.read = ckpt_read,				\
		.poll = ckpt_poll,				\
		.llseek = ckpt_llseek,				\
		.fsync = ckpt_fsync,				\
	}

static const struct file_operations ckpt_ctl_fops = CKPT_FOPS(ckpt_ctl_open);
const struct file_operations ckpt_region_fops = CKPT_FOPS(ckpt_region_open);

static struct miscdevice ckpt_ctl_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lpar_vmckpt",
	.fops = &ckpt_ctl_fops,
	.mode = 0600,
};

int ckpt_dev_init(void)
{
	return misc_register(&ckpt_ctl_misc);
}

void ckpt_dev_exit(void)
{
	misc_deregister(&ckpt_ctl_misc);
}
