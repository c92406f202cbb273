/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the checkpoint tools (lpar-ckpt-replicate, ckpt-writer,
 * ckpt-hostile, ckpt-bench) share: a region's file, its log ring
 * mapped read-only, and the ioctls of linux/lpar_vmckpt.h.
 */
#ifndef LPAR_TOOLS_CKPT_COMMON_H
#define LPAR_TOOLS_CKPT_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/lpar_vmckpt.h>

#define CKPT_CTL_DEV	"/dev/lpar_vmckpt"
#define CKPT_PAGE	4096

/**
 * struct ckpt_map - a region file and its ring
 * @fd: the file (a region node, or the control device after create)
 * @hdr: the ring header, mapped read-only
 * @ring: the entries
 * @ring_len: bytes mapped at @hdr
 * @nr: entries
 * @st: status at open
 */
struct ckpt_map {
	int fd;
	const struct ckpt_ring_hdr *hdr;
	const struct ckpt_entry *ring;
	size_t ring_len;
	uint32_t nr;
	struct ckpt_status st;
};

int ckpt_open(struct ckpt_map *m, const char *node, bool ring);
int ckpt_create(struct ckpt_map *m, const char *part, const char *name, uint64_t size,
		uint32_t ring_entries, uint32_t guard);
void ckpt_close(struct ckpt_map *m);
int ckpt_status_get(const struct ckpt_map *m, struct ckpt_status *st);
uint64_t ckpt_head(const struct ckpt_map *m);
double ckpt_now(void);

#endif /* LPAR_TOOLS_CKPT_COMMON_H */
