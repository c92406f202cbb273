// SPDX-License-Identifier: GPL-2.0
/*
 * Regions as objects: creation (validation, budget charge, the data and
 * shadow pages, the ring, the region's own device node), the table they
 * are found in by id or by partition and name, and destruction, which
 * happens on request, when the partition goes away and at module unload.
 * A destroyed region disappears from the table and its node goes away at
 * once; files still bound to it keep the memory alive (their mappings stay
 * valid) until they are closed, but it takes no more checkpoints.
 */
#include <linux/idr.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/poll.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "lpar_core/rules.h"
#include "vmcheckpoint/ckpt.h"

/* The region table; see the lock order in ckpt.h. */
static DEFINE_MUTEX(ckpt_regions_lock);
static DEFINE_IDR(ckpt_idr);
static unsigned int ckpt_nregions;

/*
 * A pseudo file system gives each region an inode of its own, whose
 * mapping the region's pages and every mapping of the region share (the
 * way DRM gives each device an anonymous inode). Its address space
 * operations are anon_aops: dirty folios are only flags, nothing is
 * written back.
 */
#define CKPT_FS_MAGIC	0x6c706b63	/* "lpkc" */
static struct vfsmount *ckpt_mnt;

static int ckpt_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, CKPT_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type ckpt_fs_type = {
	.name = "lpar_vmckpt",
	/* No .owner: the internal mount would pin the module; exit unmounts it. */
	.init_fs_context = ckpt_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

int ckpt_fs_init(void)
{
	ckpt_mnt = kern_mount(&ckpt_fs_type);
	return PTR_ERR_OR_ZERO(ckpt_mnt);
}

void ckpt_fs_exit(void)
{
	kern_unmount(ckpt_mnt);
}

static void ckpt_free_pages(struct page **pages, unsigned long n)
{
	unsigned long i;

	if (!pages)
		return;
	for (i = 0; i < n && pages[i]; i++) {
		pages[i]->mapping = NULL;
		__free_page(pages[i]);
	}
	kvfree(pages);
}

static void ckpt_region_release(struct kref *ref)
{
	struct ckpt_region *r = container_of(ref, struct ckpt_region, ref);

	if (r->efd)
		eventfd_ctx_put(r->efd);
	ckpt_free_pages(r->pages, r->npages);
	ckpt_free_pages(r->shadow, r->npages);
	bitmap_free(r->dirty);
	bitmap_free(r->fallback);
	kvfree(r->tid);
	vfree(r->hdr);
	vfree(r->ctrl);
	if (r->inode)
		iput(r->inode);
	kfree(r);
}

/**
 * ckpt_region_put() - drop a reference to a region
 * @r: the region
 */
void ckpt_region_put(struct ckpt_region *r)
{
	kref_put(&r->ref, ckpt_region_release);
}

static struct page **ckpt_alloc_pages(struct ckpt_region *r, bool data)
{
	struct page **pages;
	unsigned long i;

	pages = kvcalloc(r->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < r->npages; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i]) {
			ckpt_free_pages(pages, i);
			return NULL;
		}
		if (data) {
			/* What folio_mkclean() needs to find the PTEs mapping it. */
			pages[i]->mapping = r->inode->i_mapping;
			pages[i]->index = i;
		}
		cond_resched();
	}
	return pages;
}

/* Bytes charged to the partition for a region of @size with @nr entries. */
static u64 ckpt_footprint(u64 size, u32 nr, size_t ring_bytes)
{
	u64 npages = size >> PAGE_SHIFT;

	return 2 * size + ring_bytes + PAGE_SIZE +
	       npages * (2 * sizeof(struct page *) + sizeof(u32)) +
	       2 * BITS_TO_LONGS(npages) * sizeof(long) + sizeof(struct ckpt_region);
}

static int ckpt_check_create(const struct ckpt_create *req, u32 *nr, u32 *guard,
			     const char **why)
{
	if (req->version != CKPT_ABI_VERSION) {
		*why = "unsupported ABI version";
		return -EINVAL;
	}
	if (req->flags || req->pad) {
		*why = "flags and padding must be zero";
		return -EINVAL;
	}
	if (!req->size || !PAGE_ALIGNED(req->size) || req->size >= CKPT_SIZE_MAX) {
		*why = "size must be a non-zero multiple of the page size below 1 TiB";
		return -EINVAL;
	}
	if (strnlen(req->name, CKPT_NAME_LEN) == CKPT_NAME_LEN ||
	    lpar_name_check(req->name, CKPT_NAME_LEN - 1)) {
		*why = "region name must be 1 to 31 of a-z, 0-9, _ and -";
		return -EINVAL;
	}
	if (!req->part_id && strnlen(req->part_name, CKPT_NAME_LEN) == CKPT_NAME_LEN) {
		*why = "partition name too long";
		return -EINVAL;
	}
	*nr = req->ring_entries ?: READ_ONCE(ckpt_ring_entries);
	*guard = req->guard ?: min(READ_ONCE(ckpt_guard_entries), *nr / 2);
	if (ckpt_ring_params(*nr, *guard)) {
		*why = "ring entries must be a power of two in [16, 2^24], guard 1 to half of it";
		return -EINVAL;
	}
	return 0;
}

static struct ckpt_region *ckpt_find_locked(const char *part, const char *name)
{
	struct ckpt_region *r;
	int id;

	lockdep_assert_held(&ckpt_regions_lock);
	idr_for_each_entry(&ckpt_idr, r, id)
		if (!strcmp(r->part_name, part) && !strcmp(r->name, name))
			return r;
	return NULL;
}

/* Publishes @r: an id, its node, a place in the table. */
static int ckpt_publish(struct ckpt_region *r, const char **why)
{
	int ret;

	mutex_lock(&ckpt_regions_lock);
	if (ckpt_nregions >= READ_ONCE(ckpt_max_regions)) {
		*why = "too many regions (max_regions)";
		ret = -ENOSPC;
		goto out;
	}
	if (ckpt_find_locked(r->part_name, r->name)) {
		*why = "the partition already has a region of that name";
		ret = -EEXIST;
		goto out;
	}
	ret = idr_alloc(&ckpt_idr, r, 1, INT_MAX, GFP_KERNEL);
	if (ret < 0) {
		*why = "out of region ids";
		goto out;
	}
	r->id = ret;
	ret = misc_register(&r->misc);
	if (ret) {
		idr_remove(&ckpt_idr, r->id);
		*why = "cannot register the region's device node";
		goto out;
	}
	ckpt_nregions++;
out:
	mutex_unlock(&ckpt_regions_lock);
	return ret;
}

/**
 * ckpt_region_create() - make a region and publish it
 * @req: the request (validated here)
 * @out: the region, with a reference for the caller
 * @why: a message for userspace on failure
 *
 * Return: 0 or -errno; nothing is left behind on failure.
 */
int ckpt_region_create(const struct ckpt_create *req, struct ckpt_region **out,
		       const char **why)
{
	struct ckpt_region *r;
	struct lpar *p;
	u32 nr, guard;
	int ret;

	ret = ckpt_check_create(req, &nr, &guard, why);
	if (ret)
		return ret;
	p = req->part_id ? lpar_get_by_id(req->part_id) : lpar_get_by_name(req->part_name);
	if (!p) {
		*why = "no such partition";
		return -ENOENT;
	}

	ret = -ENOMEM;
	*why = "out of memory";
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		goto err_part;
	kref_init(&r->ref);
	mutex_init(&r->lock);
	init_waitqueue_head(&r->wq);
	INIT_DELAYED_WORK(&r->work, ckpt_work_fn);
	strscpy(r->name, req->name);
	strscpy(r->part_name, lpar_name(p));
	r->size = req->size;
	r->npages = req->size >> PAGE_SHIFT;
	r->ring_bytes = PAGE_ALIGN(PAGE_SIZE + (size_t)nr * sizeof(struct ckpt_entry));

	r->charged = ckpt_footprint(r->size, nr, r->ring_bytes);
	ret = lpar_charge(p, r->charged);
	if (ret) {
		*why = "the partition's memory budget is exhausted";
		goto err_free;
	}
	r->part = p;

	ret = -ENOMEM;
	*why = "out of memory";
	r->dirty = bitmap_zalloc(r->npages, GFP_KERNEL);
	r->fallback = bitmap_zalloc(r->npages, GFP_KERNEL);
	r->tid = kvcalloc(r->npages, sizeof(u32), GFP_KERNEL);
	r->inode = alloc_anon_inode(ckpt_mnt->mnt_sb);
	if (IS_ERR(r->inode)) {
		ret = PTR_ERR(r->inode);
		r->inode = NULL;
		goto err_uncharge;
	}
	r->hdr = vmalloc_user(r->ring_bytes);
	r->ctrl = vmalloc_user(PAGE_SIZE);
	if (!r->dirty || !r->fallback || !r->tid || !r->hdr || !r->ctrl)
		goto err_uncharge;
	r->pages = ckpt_alloc_pages(r, true);
	if (!r->pages)
		goto err_uncharge;
	r->shadow = ckpt_alloc_pages(r, false);
	if (!r->shadow)
		goto err_uncharge;

	r->ring = (void *)r->hdr + PAGE_SIZE;
	r->hdr->version = CKPT_ABI_VERSION;
	r->hdr->entry_size = sizeof(struct ckpt_entry);
	r->hdr->nr_entries = nr;
	r->hdr->guard = guard;
	r->hdr->entries_off = PAGE_SIZE;
	r->prod.nr = nr;
	r->prod.guard = guard;

	snprintf(r->devname, sizeof(r->devname), "lpar_ckpt!%s!%s", r->part_name, r->name);
	r->misc.minor = MISC_DYNAMIC_MINOR;
	r->misc.name = r->devname;
	r->misc.fops = &ckpt_region_fops;
	r->misc.mode = 0600;
	ret = ckpt_publish(r, why);
	if (ret)
		goto err_uncharge;

	kref_get(&r->ref);	/* the table's */
	*out = r;
	return 0;

err_uncharge:
	lpar_uncharge(p, r->charged);
	r->part = NULL;
err_free:
	ckpt_region_put(r);
err_part:
	lpar_put(p);
	return ret;
}

/**
 * ckpt_region_destroy() - unpublish a region and let go of its partition
 * @r: the region (the caller holds a reference); destroying twice is a no-op
 */
void ckpt_region_destroy(struct ckpt_region *r)
{
	struct lpar *p;

	mutex_lock(&ckpt_regions_lock);
	if (idr_find(&ckpt_idr, r->id) != r) {
		mutex_unlock(&ckpt_regions_lock);
		return;
	}
	idr_remove(&ckpt_idr, r->id);
	misc_deregister(&r->misc);
	ckpt_nregions--;
	mutex_unlock(&ckpt_regions_lock);

	mutex_lock(&r->lock);
	r->dead = true;
	r->interval_ms = 0;
	mutex_unlock(&r->lock);
	cancel_delayed_work_sync(&r->work);

	mutex_lock(&r->lock);
	p = r->part;
	r->part = NULL;
	mutex_unlock(&r->lock);
	lpar_uncharge(p, r->charged);
	lpar_put(p);
	wake_up_interruptible_poll(&r->wq, EPOLLHUP);
	ckpt_region_put(r);	/* the table's */
}

/**
 * ckpt_region_get() - look a region up by id
 * @id: region id
 *
 * Return: the region with a reference, or NULL.
 */
struct ckpt_region *ckpt_region_get(u32 id)
{
	struct ckpt_region *r;

	mutex_lock(&ckpt_regions_lock);
	r = idr_find(&ckpt_idr, id);
	if (r)
		kref_get(&r->ref);
	mutex_unlock(&ckpt_regions_lock);
	return r;
}

/**
 * ckpt_region_get_by_name() - look a region up by partition and name
 * @part: partition name
 * @name: region name
 *
 * Return: the region with a reference, or NULL.
 */
struct ckpt_region *ckpt_region_get_by_name(const char *part, const char *name)
{
	struct ckpt_region *r;

	mutex_lock(&ckpt_regions_lock);
	r = ckpt_find_locked(part, name);
	if (r)
		kref_get(&r->ref);
	mutex_unlock(&ckpt_regions_lock);
	return r;
}

/**
 * ckpt_region_next() - the region with the smallest id >= *@id
 * @id: in: where to start; out: the region's id
 *
 * Return: the region with a reference, or NULL at the end.
 */
struct ckpt_region *ckpt_region_next(u32 *id)
{
	struct ckpt_region *r;
	int i = *id;

	mutex_lock(&ckpt_regions_lock);
	r = idr_get_next(&ckpt_idr, &i);
	if (r) {
		kref_get(&r->ref);
		*id = i;
	}
	mutex_unlock(&ckpt_regions_lock);
	return r;
}

/* Destroys every region of @p (or all of them if @p is NULL). */
static void ckpt_destroy_all(struct lpar *p)
{
	struct ckpt_region *r;
	int id;

	for (;;) {
		mutex_lock(&ckpt_regions_lock);
		idr_for_each_entry(&ckpt_idr, r, id)
			if (!p || r->part == p)
				break;
		if (r)
			kref_get(&r->ref);
		mutex_unlock(&ckpt_regions_lock);
		if (!r)
			return;
		ckpt_region_destroy(r);
		ckpt_region_put(r);
	}
}

static int ckpt_part_create(struct lpar_ext *ext, struct lpar *p)
{
	return 0;
}

static void ckpt_part_destroy(struct lpar_ext *ext, struct lpar *p)
{
	ckpt_destroy_all(p);
}

static struct lpar_ext ckpt_ext = {
	.name = "ckpt",
	.part_create = ckpt_part_create,
	.part_destroy = ckpt_part_destroy,
};

int ckpt_regions_init(void)
{
	return lpar_ext_register(&ckpt_ext);
}

void ckpt_regions_exit(void)
{
	/* Calls ckpt_part_destroy() for every partition. */
	lpar_ext_unregister(&ckpt_ext);
	ckpt_destroy_all(NULL);
	idr_destroy(&ckpt_idr);
}
