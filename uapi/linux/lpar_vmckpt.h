/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lpar_vmckpt: tracked memory regions whose modified 64-byte lines are
 * logged, checkpoint by checkpoint, into a ring shared with a consumer
 * (the replicator). The ioctl and mmap ABI; the netlink family lpar_ckpt
 * (linux/lpar_ckpt.h) is the administrative side.
 *
 * A region is created on the control device /dev/lpar_vmckpt
 * (CKPT_IOC_CREATE, which also binds that file to it) and has a node of
 * its own, /dev/lpar_ckpt/<partition>/<name>, whose opens are bound to it
 * (QEMU's memory-backend-file mem-path). A bound file maps:
 *
 *   offset 0 .. size              the region's memory (MAP_SHARED only);
 *                                 writes are tracked per page
 *   CKPT_MMAP_RING                the log: struct ckpt_ring_hdr, then at
 *                                 hdr->entries_off nr_entries struct
 *                                 ckpt_entry (read-only)
 *   CKPT_MMAP_CTRL                struct ckpt_ctrl, the consumer's page
 *                                 (read-write, consumer file only)
 *
 * and pread() on it reads the checkpoint view: the region's content as of
 * the last checkpoint, without touching write tracking.
 *
 * Indices are free-running 64-bit counters; entry i is at i & (nr - 1).
 * The producer publishes hdr->head with release semantics after writing
 * the entries below it; read it with acquire semantics. The consumer
 * writes ctrl->tail (what it has applied durably) and calls CKPT_IOC_ACK;
 * the kernel validates it (old_tail <= tail <= head) and never trusts it
 * otherwise.
 */
#ifndef _UAPI_LINUX_LPAR_VMCKPT_H
#define _UAPI_LINUX_LPAR_VMCKPT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CKPT_ABI_VERSION	1
#define CKPT_LINE_SIZE		64
#define CKPT_NAME_LEN		32	/* with the NUL; partition names fit */

#define CKPT_MMAP_RING		(1ULL << 40)
#define CKPT_MMAP_CTRL		(2ULL << 40)
#define CKPT_SIZE_MAX		(1ULL << 40)	/* exclusive */

/* struct ckpt_entry.flags */
#define CKPT_ENTRY_LINES	0x1	/* offset/mask: lines changed in @epoch */
#define CKPT_ENTRY_PAGE		0x2	/* whole page from the fallback set */
#define CKPT_ENTRY_END		0x4	/* end of checkpoint @epoch */
#define CKPT_ENTRY_COMPLETE	0x8	/* with END: nothing of @epoch left in
					 * the fallback set; @epoch can be acked
					 */

/**
 * struct ckpt_entry - one log record (32 bytes)
 * @offset: byte offset of the page in the region (END: number of line and
 *	page entries of the checkpoint)
 * @mask: bit n set = line n of the page changed (PAGE: all ones)
 * @tid: thread id (initial pid namespace) of the page's first writer
 *	since its previous checkpoint; 0 for PAGE and END
 * @flags: CKPT_ENTRY_*
 * @epoch: checkpoint number that produced the entry
 */
struct ckpt_entry {
	__u64 offset;
	__u64 mask;
	__u32 tid;
	__u32 flags;
	__u64 epoch;
};

/**
 * struct ckpt_ring_hdr - first page of the CKPT_MMAP_RING mapping
 * @version: CKPT_ABI_VERSION
 * @entry_size: sizeof(struct ckpt_entry)
 * @nr_entries: ring size, a power of two
 * @guard: entries of the guard band
 * @entries_off: byte offset of entry 0 in the mapping
 * @pad: zero
 * @head: producer index (free-running), alone on its cache line
 * @epoch: last completed checkpoint
 * @guard_events: times the producer entered the guard band
 */
struct ckpt_ring_hdr {
	__u32 version;
	__u32 entry_size;
	__u32 nr_entries;
	__u32 guard;
	__u64 entries_off;
	__u64 pad[5];
	/* second cache line: written by the producer only */
	__u64 head;
	__u64 epoch;
	__u64 guard_events;
	__u64 pad2[5];
};

/**
 * struct ckpt_ctrl - the consumer's page (CKPT_MMAP_CTRL)
 * @tail: entries below it are applied and durable; written by the consumer
 * @pad: unused
 */
struct ckpt_ctrl {
	__u64 tail;
	__u64 pad[7];
};

/**
 * struct ckpt_create - CKPT_IOC_CREATE argument
 * @version: CKPT_ABI_VERSION
 * @flags: zero
 * @size: bytes, a multiple of the page size, at most CKPT_SIZE_MAX
 * @ring_entries: power of two, 0 = module default
 * @guard: guard band in entries, 0 = module default
 * @part_id: partition by id, or 0 to use @part_name
 * @part_name: partition name (NUL-terminated), if @part_id is 0
 * @name: region name, [a-z0-9_-], unique within the partition
 * @id: out: region id
 * @pad: zero
 */
struct ckpt_create {
	__u32 version;
	__u32 flags;
	__u64 size;
	__u32 ring_entries;
	__u32 guard;
	__u32 part_id;
	char part_name[CKPT_NAME_LEN];
	char name[CKPT_NAME_LEN];
	__u32 id;
	__u32 pad;
};

/**
 * struct ckpt_consumer - CKPT_IOC_CONSUMER argument
 * @flags: zero
 * @eventfd: signalled when the producer enters the guard band, or -1
 */
struct ckpt_consumer {
	__u32 flags;
	__s32 eventfd;
};

/**
 * struct ckpt_ack - CKPT_IOC_ACK argument
 * @epoch: checkpoint the replica now holds whole (its END entry had
 *	COMPLETE and lies below ctrl->tail), or 0 to only advance the tail
 * @flags: zero
 * @pad: zero
 */
struct ckpt_ack {
	__u64 epoch;
	__u32 flags;
	__u32 pad;
};

/**
 * struct ckpt_status - CKPT_IOC_STATUS result
 * @version: CKPT_ABI_VERSION
 * @id: region id
 * @size: bytes
 * @epoch: last completed checkpoint
 * @acked: last acknowledged checkpoint
 * @head: producer index
 * @tail: last validated consumer index
 * @dirty_pages: pages written since their last checkpoint
 * @fallback_pages: pages in the fallback set
 * @guard_events: guard band entries
 * @bad_tails: consumer indices refused
 * @lines_logged: line entries' lines, all checkpoints
 * @pages_logged: line entries, all checkpoints
 * @fallback_logged: PAGE entries, all checkpoints
 * @checkpoints: checkpoints taken
 * @last_ns: duration of the last checkpoint
 * @interval_ms: periodic checkpoint interval, 0 if stopped
 * @nr_entries: ring size
 * @guard: guard band
 * @pad: zero
 */
struct ckpt_status {
	__u32 version;
	__u32 id;
	__u64 size;
	__u64 epoch;
	__u64 acked;
	__u64 head;
	__u64 tail;
	__u64 dirty_pages;
	__u64 fallback_pages;
	__u64 guard_events;
	__u64 bad_tails;
	__u64 lines_logged;
	__u64 pages_logged;
	__u64 fallback_logged;
	__u64 checkpoints;
	__u64 last_ns;
	__u32 interval_ms;
	__u32 nr_entries;
	__u32 guard;
	__u32 pad;
};

#define CKPT_IOC_MAGIC		0xC7
#define CKPT_IOC_CREATE		_IOWR(CKPT_IOC_MAGIC, 1, struct ckpt_create)
/* take a checkpoint now; returns its epoch through the __u64 */
#define CKPT_IOC_CHECKPOINT	_IOR(CKPT_IOC_MAGIC, 2, __u64)
#define CKPT_IOC_CONSUMER	_IOW(CKPT_IOC_MAGIC, 3, struct ckpt_consumer)
#define CKPT_IOC_ACK		_IOW(CKPT_IOC_MAGIC, 4, struct ckpt_ack)
#define CKPT_IOC_STATUS		_IOR(CKPT_IOC_MAGIC, 5, struct ckpt_status)
/* periodic checkpoints every @ms milliseconds; 0 stops them */
#define CKPT_IOC_PERIODIC	_IOW(CKPT_IOC_MAGIC, 6, __u32)
/* destroy the region bound to this file (its node goes away) */
#define CKPT_IOC_DESTROY	_IO(CKPT_IOC_MAGIC, 7)

#endif /* _UAPI_LINUX_LPAR_VMCKPT_H */
