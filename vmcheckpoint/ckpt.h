/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lpar_vmckpt's kernel side: a tracked region and the functions the glue
 * files (region.c, track.c, checkpoint.c, dev.c, netlink.c) share. The
 * design note is Documentation/vmcheckpoint-design.md.
 *
 * Locking, outermost first:
 *  - ckpt_regions_lock (region.c), a mutex: the region table (idr) and
 *    name uniqueness. Taken before a region's @lock.
 *  - ckpt_region.lock, a mutex, held across sleeping work: checkpoints,
 *    acks, consumer attach, periodic start/stop, destroy and each page's
 *    copy of a read of the shadow (the checkpoint view) into a bounce
 *    page. r->lock is never taken under mmap_lock (not in the fault path,
 *    not in mmap(): the consumer page check reads @consumer with
 *    READ_ONCE) and never held across user access (copy_to_user() of a
 *    read may fault into this very region, or into userfaultfd), so
 *    mmap_lock is never taken under it either.
 *  - the folio lock of each data page: page_mkwrite marks the page dirty
 *    and records its first writer under it and returns with it held until
 *    the PTE is writable (VM_FAULT_LOCKED); the checkpoint write-protects
 *    the page (folio_mkclean), diffs it, copies it to the shadow and
 *    clears its dirty bit under it. So a page with a writable PTE is
 *    always dirty, and a page is never written while it is harvested.
 */
#ifndef _CKPT_H
#define _CKPT_H

#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "lpar_core/lpar.h"
#include "vmcheckpoint/logic.h"

#define CKPT_HIST	64	/* checkpoints whose end can be acked */

/* Where each recent checkpoint ended in the ring, for acks. */
struct ckpt_hist {
	u64 epoch;
	u64 end;
	bool complete;
};

/**
 * struct ckpt_region - a tracked memory region
 * @ref: holders: the region table until destroy, each bound file
 * @id: region id (idr), for netlink and the consumer
 * @name: region name, unique within the partition
 * @part_name: partition name (kept after the partition is gone)
 * @part: the partition, NULL once destroyed; charged @charged bytes
 * @charged: bytes charged to @part
 * @size: bytes; @npages pages
 * @npages: pages
 * @pages: the data pages, allocated at creation, ->mapping = @inode's
 * @shadow: each page as of its last checkpoint
 * @dirty: pages written since their last checkpoint (folio lock)
 * @tid: first writer of each dirty page (folio lock)
 * @fallback: the fallback set: changed pages not logged yet (@lock)
 * @inode: pseudo-fs inode whose i_mapping is the address space of every
 *	mapping of the region (folio_mkclean() walks it)
 * @misc: the region's node, /dev/lpar_ckpt/PART/NAME
 * @devname: its name, "lpar_ckpt!PART!NAME"
 * @lock: see the top of this file
 * @hdr: the ring's first page; entries follow at @ring
 * @ring: the entries
 * @ring_bytes: size of the vmalloc area at @hdr
 * @ctrl: the consumer's page
 * @prod: producer state (@lock)
 * @hist: where recent checkpoints ended (@lock)
 * @epoch: last completed checkpoint (@lock; READ_ONCE elsewhere)
 * @acked: last acknowledged checkpoint (@lock)
 * @fallback_pages: bits set in @fallback (@lock)
 * @consumer: the file that consumes the ring, or NULL (written under @lock
 *	with WRITE_ONCE; ckpt_mmap() reads it with READ_ONCE)
 * @efd: its eventfd, or NULL (@lock)
 * @guard_pending: guard band entered and not yet drained below it
 * @wq: poll waiters
 * @work: periodic checkpoints; @interval_ms 0 = off (@lock)
 * @interval_ms: period
 * @dead: destroyed: no more checkpoints, the node is gone (@lock)
 * @st: counters (@lock)
 */
struct ckpt_region {
	struct kref ref;
	u32 id;
	char name[CKPT_NAME_LEN];
	char part_name[CKPT_NAME_LEN];
	struct lpar *part;
	u64 charged;
	u64 size;
	unsigned long npages;
	struct page **pages;
	struct page **shadow;
	unsigned long *dirty;
	u32 *tid;
	unsigned long *fallback;
	struct inode *inode;
	struct miscdevice misc;
	char devname[2 * CKPT_NAME_LEN + 16];
	struct mutex lock;	/* see the top of this file */
	struct ckpt_ring_hdr *hdr;
	struct ckpt_entry *ring;
	size_t ring_bytes;
	struct ckpt_ctrl *ctrl;
	struct ckpt_prod prod;
	struct ckpt_hist hist[CKPT_HIST];
	u64 epoch;
	u64 acked;
	u64 fallback_pages;
	struct file *consumer;
	struct eventfd_ctx *efd;
	bool guard_pending;
	wait_queue_head_t wq;
	struct delayed_work work;
	u32 interval_ms;
	bool dead;
	struct {
		u64 guard_events;
		u64 bad_tails;
		u64 lines_logged;
		u64 pages_logged;
		u64 fallback_logged;
		u64 checkpoints;
		u64 last_ns;
	} st;
};

/* Module parameters (main.c). */
extern unsigned int ckpt_interval_ms;
extern unsigned int ckpt_ring_entries;
extern unsigned int ckpt_guard_entries;
extern unsigned int ckpt_max_regions;

/* region.c */
int ckpt_region_create(const struct ckpt_create *req, struct ckpt_region **out,
		       const char **why);
void ckpt_region_destroy(struct ckpt_region *r);
struct ckpt_region *ckpt_region_get(u32 id);
struct ckpt_region *ckpt_region_get_by_name(const char *part, const char *name);
void ckpt_region_put(struct ckpt_region *r);
struct ckpt_region *ckpt_region_next(u32 *id);
int ckpt_regions_init(void);
int ckpt_fs_init(void);
void ckpt_fs_exit(void);
void ckpt_regions_exit(void);

/* track.c */
int ckpt_mmap(struct ckpt_region *r, struct file *file, struct vm_area_struct *vma);

/* checkpoint.c */
int ckpt_checkpoint(struct ckpt_region *r, u64 *epoch);
int ckpt_ack(struct ckpt_region *r, struct file *file, const struct ckpt_ack *ack);
int ckpt_set_periodic(struct ckpt_region *r, u32 ms);
void ckpt_status(struct ckpt_region *r, struct ckpt_status *st);
void ckpt_status_locked(struct ckpt_region *r, struct ckpt_status *st);
void ckpt_work_fn(struct work_struct *work);
int ckpt_checkpoint_init(void);
void ckpt_checkpoint_exit(void);

/* dev.c */
extern const struct file_operations ckpt_region_fops;
int ckpt_dev_init(void);
void ckpt_dev_exit(void);

/* netlink.c */
int ckpt_nl_init(void);
void ckpt_nl_exit(void);
void ckpt_nl_notify(struct ckpt_region *r, u8 cmd);

#endif /* _CKPT_H */
