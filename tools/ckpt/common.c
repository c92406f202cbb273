// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the checkpoint tools: open a region and map its ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ckpt/common.h"

static int ckpt_map_ring(struct ckpt_map *m)
{
	const struct ckpt_ring_hdr *hdr;
	size_t len;

	hdr = mmap(NULL, CKPT_PAGE, PROT_READ, MAP_SHARED, m->fd, CKPT_MMAP_RING);
	if (hdr == MAP_FAILED)
		return -errno;
	len = hdr->entries_off + (size_t)hdr->nr_entries * sizeof(struct ckpt_entry);
	len = (len + CKPT_PAGE - 1) & ~(size_t)(CKPT_PAGE - 1);
	if (hdr->version != CKPT_ABI_VERSION || hdr->entry_size != sizeof(struct ckpt_entry)) {
		munmap((void *)hdr, CKPT_PAGE);
		return -EPROTO;
	}
	munmap((void *)hdr, CKPT_PAGE);
	hdr = mmap(NULL, len, PROT_READ, MAP_SHARED, m->fd, CKPT_MMAP_RING);
	if (hdr == MAP_FAILED)
		return -errno;
	m->hdr = hdr;
	m->ring_len = len;
	m->nr = hdr->nr_entries;
	m->ring = (const void *)((const char *)hdr + hdr->entries_off);
	return 0;
}

/**
 * ckpt_open() - open a region's node
 * @m: filled in
 * @node: /dev/lpar_ckpt/PART/NAME
 * @ring: also map the ring
 *
 * Return: 0 or -errno.
 */
int ckpt_open(struct ckpt_map *m, const char *node, bool ring)
{
	int err;

	memset(m, 0, sizeof(*m));
	m->fd = open(node, O_RDWR | O_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	err = ckpt_status_get(m, &m->st);
	if (!err && ring)
		err = ckpt_map_ring(m);
	if (err) {
		close(m->fd);
		m->fd = -1;
	}
	return err;
}

/**
 * ckpt_create() - create a region on the control device, bound to @m->fd
 * @m: filled in
 * @part: partition name
 * @name: region name
 * @size: bytes
 * @ring_entries: 0 for the default
 * @guard: 0 for the default
 *
 * Return: 0 or -errno.
 */
int ckpt_create(struct ckpt_map *m, const char *part, const char *name, uint64_t size,
		uint32_t ring_entries, uint32_t guard)
{
	struct ckpt_create req = {
		.version = CKPT_ABI_VERSION,
		.size = size,
		.ring_entries = ring_entries,
		.guard = guard,
	};
	int err;

	memset(m, 0, sizeof(*m));
	if (snprintf(req.part_name, sizeof(req.part_name), "%s", part) >=
	    (int)sizeof(req.part_name) ||
	    snprintf(req.name, sizeof(req.name), "%s", name) >= (int)sizeof(req.name))
		return -ENAMETOOLONG;
	m->fd = open(CKPT_CTL_DEV, O_RDWR | O_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	err = ioctl(m->fd, CKPT_IOC_CREATE, &req) ? -errno : 0;
	if (!err)
		err = ckpt_status_get(m, &m->st);
	if (!err)
		err = ckpt_map_ring(m);
	if (err) {
		close(m->fd);
		m->fd = -1;
	}
	return err;
}

void ckpt_close(struct ckpt_map *m)
{
	if (m->hdr)
		munmap((void *)m->hdr, m->ring_len);
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	m->hdr = NULL;
}

int ckpt_status_get(const struct ckpt_map *m, struct ckpt_status *st)
{
	return ioctl(m->fd, CKPT_IOC_STATUS, st) ? -errno : 0;
}

/* The producer index, read with acquire: entries below it are written. */
uint64_t ckpt_head(const struct ckpt_map *m)
{
	return __atomic_load_n(&m->hdr->head, __ATOMIC_ACQUIRE);
}

double ckpt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
