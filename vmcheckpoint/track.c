// SPDX-License-Identifier: GPL-2.0
/*
 * Write tracking and the region's mappings. The data pages are mapped
 * shared, with write notification: a page is first mapped read-only, so
 * the first store to it in an epoch faults into ckpt_page_mkwrite(),
 * which marks the page dirty, records the writing thread and returns with
 * the page locked until the PTE is writable (the fb_deferred_io scheme).
 * The checkpoint write-protects a page again with folio_mkclean(), which
 * finds every PTE through the region's own address space; this is why
 * each bound file's f_mapping is the region's mapping and each page's
 * ->mapping/->index are set at creation. Chosen over userfaultfd-wp and
 * soft-dirty because the kernel sees the faulting thread, the tracking
 * belongs to the memory rather than to one process's page tables (QEMU
 * and the replicator are other processes), and nothing is scanned that
 * was not written (see Documentation/vmcheckpoint-design.md).
 *
 * The ring (read-only) and the consumer's page (read-write, consumer
 * only) are vmalloc areas mapped with remap_vmalloc_range().
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/vmalloc.h>

#include "vmcheckpoint/ckpt.h"

static vm_fault_t ckpt_fault(struct vm_fault *vmf)
{
	struct ckpt_region *r = vmf->vma->vm_private_data;

	if (vmf->pgoff >= r->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = r->pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

/*
 * Fault-around: map the region's pages around a read fault read-only in
 * one go, as filemap_map_pages() does for the page cache (our pages are
 * not in it: they are the region's own, always resident). Read-only
 * because the VMA's protection is (write notification), so a first write
 * still goes through ckpt_page_mkwrite(). Its existence also tells the
 * fault core that the handlers are safe under the per-VMA lock
 * (vmf_can_call_fault()): they are, they use only the region, which the
 * mapping's file pins, and its page array, fixed at creation. Without it
 * every write fault of an epoch was retried under mmap_lock (a second
 * fault). Called under rcu_read_lock(), so it must not sleep: with no
 * page table yet (which only the fault core installs without sleeping,
 * from its preallocation) it maps nothing and ckpt_fault() does the work.
 */
static vm_fault_t ckpt_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ckpt_region *r = vma->vm_private_data;
	vm_fault_t ret = 0;
	pgoff_t pg;

	if (pmd_none(*vmf->pmd))
		return 0;
	end_pgoff = min_t(pgoff_t, end_pgoff, r->npages - 1);
	for (pg = start_pgoff; pg <= end_pgoff; pg++) {
		unsigned long addr = vma->vm_start + ((pg - vma->vm_pgoff) << PAGE_SHIFT);

		/* -EBUSY: already mapped; anything else: leave it to ckpt_fault() */
		if (!vm_insert_page(vma, addr, r->pages[pg]) && pg == vmf->pgoff)
			ret = VM_FAULT_NOPAGE;
	}
	return ret;
}

static vm_fault_t ckpt_page_mkwrite(struct vm_fault *vmf)
{
	struct ckpt_region *r = vmf->vma->vm_private_data;
	struct folio *folio = page_folio(vmf->page);
	pgoff_t pg = vmf->pgoff;

	folio_lock(folio);
	if (!test_bit(pg, r->dirty)) {
		r->tid[pg] = task_pid_nr(current);
		set_bit(pg, r->dirty);
	}
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct ckpt_data_vm_ops = {
	.fault = ckpt_fault,
	.map_pages = ckpt_map_pages,
	.page_mkwrite = ckpt_page_mkwrite,
};

static int ckpt_mmap_vmalloc(struct vm_area_struct *vma, void *addr, size_t bytes,
			     bool writable)
{
	if (vma->vm_end - vma->vm_start > bytes)
		return -EINVAL;
	if (!writable) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	return remap_vmalloc_range(vma, addr, 0);
}

/**
 * ckpt_mmap() - map part of a region
 * @r: the region bound to @file
 * @file: the file
 * @vma: the new mapping; its offset selects data, ring or consumer page
 *
 * Return: 0 or -errno.
 */
int ckpt_mmap(struct ckpt_region *r, struct file *file, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;

	if (off == CKPT_MMAP_RING)
		return ckpt_mmap_vmalloc(vma, r->hdr, r->ring_bytes, false);
	if (off == CKPT_MMAP_CTRL) {
		/*
		 * Only the consumer maps its page. No r->lock here: mmap()
		 * runs under mmap_lock and ckpt.h forbids r->lock under it.
		 * An unlocked read is exact for this test: r->consumer
		 * becomes @file only through CKPT_IOC_CONSUMER on @file and
		 * stops being @file only when @file is released, which
		 * cannot happen while @file is being mapped. A concurrent
		 * CKPT_IOC_CONSUMER on @file may or may not be seen, as
		 * with the lock (which was dropped before mapping anyway),
		 * and r->ctrl lives as long as the region.
		 */
		if (READ_ONCE(r->consumer) != file)
			return -EACCES;
		return ckpt_mmap_vmalloc(vma, r->ctrl, PAGE_SIZE, true);
	}
	if (off >= r->size || len > r->size - off)
		return -EINVAL;
	/* A private mapping would copy on write: untracked, invisible. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	vma->vm_ops = &ckpt_data_vm_ops;
	vma->vm_private_data = r;
	/* VM_MIXEDMAP: ckpt_map_pages() inserts pages without mmap_lock. */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP | VM_MIXEDMAP);
	return 0;
}
