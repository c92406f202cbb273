// SPDX-License-Identifier: GPL-2.0
/*
 * Line diff: which 64-byte lines of a page differ from the page's shadow,
 * the copy taken at its previous checkpoint. This is the software form of
 * the seed's "modified" flag per cache line: the hardware sets it on a
 * write, we find it by comparison at the checkpoint, which also drops
 * writes that stored the value already there. Pure C (logic.h).
 */
#include "vmcheckpoint/logic.h"

/**
 * ckpt_line_mask() - lines of a page that changed
 * @cur: the page now, CKPT_PAGE_BYTES, 8-byte aligned
 * @old: its shadow, or NULL for a page of zeros
 *
 * Return: bit n set iff bytes [64n, 64n + 64) differ.
 */
u64 ckpt_line_mask(const void *cur, const void *old)
{
	const u64 *c = cur, *o = old;
	u64 mask = 0;
	unsigned int line, w;

	for (line = 0; line < CKPT_PAGE_LINES; line++) {
		u64 x = 0;

		for (w = 0; w < CKPT_LINE_SIZE / 8; w++)
			x |= c[line * 8 + w] ^ (o ? o[line * 8 + w] : 0);
		if (x)
			mask |= 1ULL << line;
	}
	return mask;
}
