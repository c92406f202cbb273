/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure half of lpar_vmckpt (see lpar_core/pure.h): which 64-byte lines
 * of a page changed (diff.c), and the log ring's index arithmetic and the
 * producer's guard-band policy (ring.c). No kernel calls: the module, the
 * KUnit suites vmckpt_diff and vmckpt_ring (which include the .c files,
 * hence no exports) build this code.
 */
#ifndef _CKPT_LOGIC_H
#define _CKPT_LOGIC_H

#include "lpar_core/pure.h"
#include "uapi/linux/lpar_vmckpt.h"

#define CKPT_PAGE_BYTES		4096
#define CKPT_PAGE_LINES		(CKPT_PAGE_BYTES / CKPT_LINE_SIZE)	/* 64: one u64 mask */

#define CKPT_RING_MIN		16
#define CKPT_RING_MAX		16777216U	/* 2^24 */

u64 ckpt_line_mask(const void *cur, const void *old);

/**
 * struct ckpt_prod - the producer's view of the ring
 * @head: next index to write (free-running)
 * @tail: consumer index, as last validated (free-running)
 * @nr: entries, a power of two
 * @guard: entries of the guard band, reserved for END markers
 * @flushing: the guard band was entered in this epoch: per-line logging
 *	is off until the next epoch and changed pages go to the fallback set
 */
struct ckpt_prod {
	u64 head;
	u64 tail;
	u32 nr;
	u32 guard;
	bool flushing;
};

/* What to do with one record (a LINES or PAGE entry). */
enum ckpt_verdict {
	CKPT_LOG,		/* append it */
	CKPT_FALLBACK,		/* flushing: put the page in the fallback set */
	CKPT_ENTER_GUARD,	/* as FALLBACK, and this record entered the guard band */
};

static inline u64 ckpt_ring_used(u64 head, u64 tail)
{
	return head - tail;
}

static inline u32 ckpt_ring_slot(u64 idx, u32 nr)
{
	return idx & (nr - 1);
}

int ckpt_ring_params(u32 nr, u32 guard);
int ckpt_tail_check(u64 old_tail, u64 new_tail, u64 head);
void ckpt_prod_epoch(struct ckpt_prod *p);
enum ckpt_verdict ckpt_prod_record(struct ckpt_prod *p);
bool ckpt_prod_marker(const struct ckpt_prod *p);
bool ckpt_prod_in_guard(const struct ckpt_prod *p);

#endif /* _CKPT_LOGIC_H */
