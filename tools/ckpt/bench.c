// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-bench: one write-tracking workload, harvested three ways in the
 * same run, for tools/testing/bench/vmcheckpoint.sh:
 *  - vmckpt: a lpar_vmckpt region (page_mkwrite tracking, line diff at the
 *    checkpoint ioctl, log ring);
 *  - uffd-wp: anonymous memory write-protected with userfaultfd in async
 *    mode, harvested (and re-protected) with PAGEMAP_SCAN;
 *  - soft-dirty: anonymous memory, /proc/self/pagemap bit 55, cleared
 *    with "4" > /proc/self/clear_refs.
 * Each epoch writes LINES 8-byte words (one per line, spread over the
 * page) into DIRTY pages (a count, or N% of the region's pages) of a SIZE
 * region, then harvests. Printed per method (means over the epochs after
 * a warm-up one): harvest time; pause time, how long the writers must
 * stay stopped for a consistent checkpoint (vmckpt: the checkpoint ioctl,
 * whose harvest already copies the changed lines to the shadow; the
 * others: the harvest plus copying the dirty pages out, since a resumed
 * writer would overwrite them); pages found; bytes to ship (vmckpt:
 * changed lines x 64; the others: whole pages); and the cost of a first
 * write to a page in an epoch (write loop time / pages).
 *
 * usage: ckpt-bench PARTITION SIZE DIRTY-PAGES|N% LINES EPOCHS
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ckpt/common.h"
#include "lib/size.h"

struct result {
	double harvest, pause, write;	/* seconds, summed over measured epochs */
	uint64_t pages, bytes;
};

/* Where uffd-wp and soft-dirty copy the dirty pages out during the pause. */
#define STAGE_BYTES	(4u << 20)
static uint8_t *stage;
static uint64_t stage_off;

static void stage_page(const uint8_t *page)
{
	memcpy(stage + stage_off, page, CKPT_PAGE);
	stage_off = (stage_off + CKPT_PAGE) % STAGE_BYTES;
}

static uint64_t size, npages, dirty, lines;
static unsigned int epochs;

/* The epoch's writes: LINES words in each of DIRTY pages spread over the region. */
static double do_writes(uint8_t *mem, unsigned int epoch)
{
	uint64_t stride = npages / dirty, i, l;
	double t0 = ckpt_now();

	for (i = 0; i < dirty; i++) {
		uint8_t *page = mem + i * stride * CKPT_PAGE;

		for (l = 0; l < lines; l++)
			*(uint64_t *)(page + (l * (64 / lines)) * CKPT_LINE_SIZE) =
				((uint64_t)epoch << 32) | i;
	}
	return ckpt_now() - t0;
}

static void bench_vmckpt(const char *part, struct result *res)
{
	uint32_t ring = 1024;
	struct ckpt_consumer c = { .eventfd = -1 };
	struct ckpt_ctrl *ctrl;
	struct ckpt_map m;
	uint8_t *mem;
	unsigned int e;
	int ret;

	while (ring < 2 * dirty + 64)
		ring *= 2;
	ret = ckpt_create(&m, part, "bench", size, ring, 32);
	if (ret)
		errx(1, "create region: %s", strerror(-ret));
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, 0);
	if (mem == MAP_FAILED || ioctl(m.fd, CKPT_IOC_CONSUMER, &c))
		err(1, "region");
	ctrl = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, CKPT_MMAP_CTRL);
	if (ctrl == MAP_FAILED)
		err(1, "consumer page");
	for (e = 0; e <= epochs; e++) {
		uint64_t h0 = ckpt_head(&m), h1, i, epoch;
		struct ckpt_ack ack = { 0 };
		double w, t0;

		w = do_writes(mem, e + 1);
		t0 = ckpt_now();
		if (ioctl(m.fd, CKPT_IOC_CHECKPOINT, &epoch))
			err(1, "checkpoint");
		t0 = ckpt_now() - t0;
		h1 = ckpt_head(&m);
		if (e) {	/* epoch 0 warms up (first touch of every page) */
			res->harvest += t0;
			res->pause += t0;
			res->write += w;
			for (i = h0; i != h1; i++) {
				const struct ckpt_entry *en = &m.ring[i & (m.nr - 1)];

				if (en->flags & CKPT_ENTRY_LINES) {
					res->pages++;
					res->bytes += __builtin_popcountll(en->mask) *
						      CKPT_LINE_SIZE;
				} else if (en->flags & CKPT_ENTRY_PAGE) {
					res->pages++;
					res->bytes += CKPT_PAGE;
				}
			}
		}
		/* a consumer that keeps up: everything applied */
		ctrl->tail = h1;
		ack.epoch = epoch;
		if (ioctl(m.fd, CKPT_IOC_ACK, &ack))
			err(1, "ack");
	}
	ioctl(m.fd, CKPT_IOC_DESTROY);
	munmap(ctrl, CKPT_PAGE);
	munmap(mem, size);
	ckpt_close(&m);
}

static void bench_uffd(struct result *res)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	struct page_region *vec;
	uint8_t *mem;
	unsigned int e;
	int uffd, pm;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		   -1, 0);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	pm = open("/proc/self/pagemap", O_RDONLY);
	vec = calloc(dirty + 1, sizeof(*vec));
	if (mem == MAP_FAILED || uffd < 0 || pm < 0 || !vec)
		err(1, "uffd set-up");
	reg.range.start = (uintptr_t)mem;
	reg.range.len = size;
	wp.range = reg.range;
	if (ioctl(uffd, UFFDIO_API, &api) || ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		err(1, "userfaultfd write-protect");
	for (e = 0; e <= epochs; e++) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg),
			.flags = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC,
			.start = (uintptr_t)mem,
			.end = (uintptr_t)mem + size,
			.vec = (uintptr_t)vec,
			.vec_len = dirty + 1,
			.category_mask = PAGE_IS_WRITTEN,
			.return_mask = PAGE_IS_WRITTEN,
		};
		double w, t0, t1;
		uint64_t pages = 0, a;
		long n, i;

		w = do_writes(mem, e + 1);
		t0 = ckpt_now();
		n = ioctl(pm, PAGEMAP_SCAN, &arg);
		t1 = ckpt_now();
		if (n < 0)
			err(1, "PAGEMAP_SCAN");
		for (i = 0; i < n; i++) {
			pages += (vec[i].end - vec[i].start) / CKPT_PAGE;
			for (a = vec[i].start; a < vec[i].end; a += CKPT_PAGE)
				stage_page((const uint8_t *)(uintptr_t)a);
		}
		if (e) {
			res->harvest += t1 - t0;
			res->pause += ckpt_now() - t0;
			res->write += w;
			res->pages += pages;
			res->bytes += pages * CKPT_PAGE;
		}
	}
	free(vec);
	close(pm);
	close(uffd);
	munmap(mem, size);
}

static void bench_softdirty(struct result *res)
{
	uint64_t *pm_buf = malloc(npages * sizeof(uint64_t));
	uint8_t *mem;
	unsigned int e;
	int pm, cr;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		   -1, 0);
	pm = open("/proc/self/pagemap", O_RDONLY);
	cr = open("/proc/self/clear_refs", O_WRONLY);
	if (mem == MAP_FAILED || pm < 0 || cr < 0 || !pm_buf)
		err(1, "soft-dirty set-up");
	if (write(cr, "4", 1) != 1)
		err(1, "clear_refs");
	for (e = 0; e <= epochs; e++) {
		uint64_t pages = 0, i;
		double w, t0, t1;

		w = do_writes(mem, e + 1);
		t0 = ckpt_now();
		if (pread(pm, pm_buf, npages * 8, (uintptr_t)mem / CKPT_PAGE * 8) !=
		    (ssize_t)(npages * 8))
			err(1, "pagemap");
		for (i = 0; i < npages; i++)
			pages += pm_buf[i] >> 55 & 1;
		if (write(cr, "4", 1) != 1)
			err(1, "clear_refs");
		t1 = ckpt_now();
		for (i = 0; i < npages; i++)
			if (pm_buf[i] >> 55 & 1)
				stage_page(mem + i * CKPT_PAGE);
		if (e) {
			res->harvest += t1 - t0;
			res->pause += ckpt_now() - t0;
			res->write += w;
			res->pages += pages;
			res->bytes += pages * CKPT_PAGE;
		}
	}
	free(pm_buf);
	close(pm);
	close(cr);
	munmap(mem, size);
}

static void print(const char *name, const struct result *r)
{
	printf("%-10s size %" PRIu64 " dirty %" PRIu64 " lines %" PRIu64
	       " harvest_us %.1f pause_us %.1f pages %" PRIu64 " bytes %" PRIu64
	       " first_write_ns %.0f\n",
	       name, size >> 20, dirty, lines, r->harvest / epochs * 1e6, r->pause / epochs * 1e6,
	       r->pages / epochs, r->bytes / epochs, r->write / epochs / dirty * 1e9);
}

int main(int argc, char **argv)
{
	struct result rv = { 0 }, ru = { 0 }, rs = { 0 };
	char *end;

	if (argc != 6 || size_parse(argv[2], &size)) {
		fprintf(stderr, "usage: ckpt-bench PARTITION SIZE DIRTY-PAGES|N%% LINES EPOCHS\n");
		return 2;
	}
	npages = size / CKPT_PAGE;
	dirty = strtoull(argv[3], &end, 0);
	if (!strcmp(end, "%") && dirty <= 100)
		dirty = npages * dirty / 100;
	else if (*end)
		errx(2, "DIRTY-PAGES: a count or N%% (N <= 100)");
	lines = strtoull(argv[4], NULL, 0);
	epochs = strtoul(argv[5], NULL, 0);
	if (!dirty || dirty > npages || !lines || lines > 64 || 64 % lines || !epochs)
		errx(2, "need 1 <= DIRTY <= pages, LINES dividing 64, EPOCHS >= 1");
	stage = malloc(STAGE_BYTES);
	if (!stage)
		err(1, "malloc");
	memset(stage, 0, STAGE_BYTES);
	bench_vmckpt(argv[1], &rv);
	bench_uffd(&ru);
	bench_softdirty(&rs);
	print("vmckpt", &rv);
	print("uffd-wp", &ru);
	print("soft-dirty", &rs);
	return 0;
}
