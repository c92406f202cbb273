// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-hostile: a consumer and a client that do what they should not, for
 * the vmcheckpoint selftests. Each CHECK runs one scenario against a
 * region node and exits 0 if the kernel answered as documented (a clear
 * error, nothing changed, the region still working), 1 otherwise.
 *
 * usage: ckpt-hostile NODE { tails | acks | mmaps | ioctls | unmap-race | read-self }
 *        ckpt-hostile --create-errors PARTITION
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ckpt/common.h"
#include "lib/compiler.h"

static int fails;

#define EXPECT(cond, ...) do {					\
	if (!(cond)) {						\
		fails++;					\
		warnx(__VA_ARGS__);				\
	}							\
} while (0)

/* ioctl() must fail with @want. */
static void expect_errno(int ret, int want, const char *what)
{
	int got = ret ? errno : 0;

	EXPECT(ret && got == want, "%s: got %s, want %s", what, ret ? strerror(got) : "success",
	       strerror(want));
}

static struct ckpt_ctrl *attach(struct ckpt_map *m)
{
	struct ckpt_consumer c = { .eventfd = -1 };
	struct ckpt_ctrl *ctrl;

	if (ioctl(m->fd, CKPT_IOC_CONSUMER, &c))
		err(1, "CKPT_IOC_CONSUMER");
	ctrl = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, CKPT_MMAP_CTRL);
	if (ctrl == MAP_FAILED)
		err(1, "map consumer page");
	return ctrl;
}

static uint64_t checkpoint(struct ckpt_map *m)
{
	uint64_t e;

	if (ioctl(m->fd, CKPT_IOC_CHECKPOINT, &e))
		err(1, "checkpoint");
	return e;
}

/* Dirties @n pages so that checkpoints log something. */
static void scribble(struct ckpt_map *m, unsigned int n, int val)
{
	uint8_t *mem = mmap(NULL, m->st.size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	unsigned int i;

	if (mem == MAP_FAILED)
		err(1, "mmap");
	for (i = 0; i < n && m->st.size > (uint64_t)i * CKPT_PAGE; i++)
		mem[(uint64_t)i * CKPT_PAGE + 64 * (i % 64)] = val;
	munmap(mem, m->st.size);
}

/* Garbage consumer indices: refused one by one, counted, nothing moves. */
static void check_tails(struct ckpt_map *m)
{
	static const int64_t deltas[] = { 1, 2, 1000, -1, INT64_MAX, INT64_MIN };
	struct ckpt_ctrl *ctrl = attach(m);
	struct ckpt_ack ack = { 0 };
	struct ckpt_status a, b;
	unsigned int i;

	scribble(m, 8, 1);
	checkpoint(m);
	ckpt_status_get(m, &a);
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		ctrl->tail = (deltas[i] > 0 ? a.head : a.tail) + deltas[i];
		expect_errno(ioctl(m->fd, CKPT_IOC_ACK, &ack), EINVAL, "bogus tail");
	}
	ctrl->tail = UINT64_MAX;
	expect_errno(ioctl(m->fd, CKPT_IOC_ACK, &ack), EINVAL, "tail 2^64-1");
	ckpt_status_get(m, &b);
	EXPECT(b.tail == a.tail && b.acked == a.acked, "a refused tail moved the tail");
	EXPECT(b.bad_tails == a.bad_tails + 7, "bad_tails %" PRIu64 " -> %" PRIu64,
	       (uint64_t)a.bad_tails, (uint64_t)b.bad_tails);
	/* The region still works: a valid ack of everything. */
	ctrl->tail = a.head;
	ack.epoch = a.epoch;
	EXPECT(!ioctl(m->fd, CKPT_IOC_ACK, &ack), "valid ack refused: %s", strerror(errno));
	ckpt_status_get(m, &b);
	EXPECT(b.tail == a.head && b.acked == a.epoch, "valid ack not applied");
}

/* Acks of checkpoints that do not exist or are not consumed; not the consumer. */
static void check_acks(struct ckpt_map *m, const char *node)
{
	struct ckpt_ctrl *ctrl = attach(m);
	struct ckpt_ack ack = { 0 };
	struct ckpt_map other;
	struct ckpt_status st;
	void *p;

	scribble(m, 4, 2);
	checkpoint(m);
	ckpt_status_get(m, &st);
	ctrl->tail = st.tail;
	ack.epoch = st.epoch + 1;
	expect_errno(ioctl(m->fd, CKPT_IOC_ACK, &ack), EINVAL, "ack of a future checkpoint");
	ack.epoch = st.epoch;
	expect_errno(ioctl(m->fd, CKPT_IOC_ACK, &ack), EAGAIN, "ack before consuming");
	ack.epoch = 0;
	ack.flags = 1;
	expect_errno(ioctl(m->fd, CKPT_IOC_ACK, &ack), EINVAL, "ack with unknown flags");
	if (ckpt_open(&other, node, false))
		err(1, "%s", node);
	ack.flags = 0;
	expect_errno(ioctl(other.fd, CKPT_IOC_ACK, &ack), EACCES, "ack from a non-consumer");
	expect_errno(ioctl(other.fd, CKPT_IOC_CONSUMER,
			   &(struct ckpt_consumer){ .eventfd = -1 }), EBUSY, "second consumer");
	expect_errno(ioctl(other.fd, CKPT_IOC_CONSUMER,
			   &(struct ckpt_consumer){ .eventfd = 12345 }), EBADF, "bad eventfd");
	p = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, other.fd, CKPT_MMAP_CTRL);
	EXPECT(p == MAP_FAILED && errno == EACCES, "consumer page mapped by a non-consumer");
	ckpt_close(&other);
}

static void check_mmaps(struct ckpt_map *m)
{
	void *p;

	p = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, CKPT_MMAP_RING);
	EXPECT(p == MAP_FAILED && errno == EPERM, "ring mapped writable");
	p = mmap(NULL, CKPT_PAGE, PROT_READ, MAP_SHARED, m->fd, CKPT_MMAP_RING);
	EXPECT(p != MAP_FAILED, "ring not mapped read-only");
	if (p != MAP_FAILED) {
		EXPECT(mprotect(p, CKPT_PAGE, PROT_READ | PROT_WRITE) && errno == EACCES,
		       "ring made writable by mprotect");
		munmap(p, CKPT_PAGE);
	}
	p = mmap(NULL, m->ring_len + 16 * CKPT_PAGE, PROT_READ, MAP_SHARED, m->fd,
		 CKPT_MMAP_RING);
	EXPECT(p == MAP_FAILED && errno == EINVAL, "ring mapped past its end");
	p = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, m->fd, 0);
	EXPECT(p == MAP_FAILED && errno == EINVAL, "region mapped private");
	p = mmap(NULL, m->st.size + CKPT_PAGE, PROT_READ, MAP_SHARED, m->fd, 0);
	EXPECT(p == MAP_FAILED && errno == EINVAL, "region mapped past its end");
	p = mmap(NULL, CKPT_PAGE, PROT_READ, MAP_SHARED, m->fd, 3ULL << 40);
	EXPECT(p == MAP_FAILED && errno == EINVAL, "unknown offset mapped");
}

static void check_ioctls(struct ckpt_map *m)
{
	char buf[64];
	int fd;

	expect_errno(ioctl(m->fd, _IO(CKPT_IOC_MAGIC, 99)), ENOTTY, "unknown ioctl");
	expect_errno(ioctl(m->fd, CKPT_IOC_CREATE, &(struct ckpt_create){ 0 }), EBUSY,
		     "create on a bound file");
	expect_errno(ioctl(m->fd, CKPT_IOC_STATUS, (void *)16), EFAULT, "status to a bad pointer");
	EXPECT(pread(m->fd, buf, sizeof(buf), m->st.size) == 0, "read past the end");
	EXPECT(pread(m->fd, buf, sizeof(buf), m->st.size - 8) == 8, "short read at the end");
	fd = open(CKPT_CTL_DEV, O_RDWR);
	if (fd < 0)
		err(1, CKPT_CTL_DEV);
	expect_errno(ioctl(fd, CKPT_IOC_CHECKPOINT, &(uint64_t){ 0 }), EBADFD,
		     "checkpoint on an unbound file");
	EXPECT(mmap(NULL, CKPT_PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	       errno == EBADFD, "mmap of an unbound file");
	close(fd);
}

static int create_err(const char *part, const char *name, uint64_t size, uint32_t ring,
		      uint32_t guard, uint32_t version, uint32_t flags)
{
	struct ckpt_create req = { .version = version, .flags = flags, .size = size,
				   .ring_entries = ring, .guard = guard };
	int fd = open(CKPT_CTL_DEV, O_RDWR), ret;

	if (fd < 0)
		err(1, CKPT_CTL_DEV);
	snprintf(req.part_name, sizeof(req.part_name), "%s", part);
	snprintf(req.name, sizeof(req.name), "%s", name);
	ret = ioctl(fd, CKPT_IOC_CREATE, &req) ? errno : 0;
	close(fd);
	return ret;
}

static void check_create_errors(const char *part)
{
	const uint64_t M = 1 << 20;

	EXPECT(create_err(part, "a", 0, 0, 0, 1, 0) == EINVAL, "size 0");
	EXPECT(create_err(part, "a", 4097, 0, 0, 1, 0) == EINVAL, "unaligned size");
	EXPECT(create_err(part, "a", 1ULL << 40, 0, 0, 1, 0) == EINVAL, "size 1 TiB");
	EXPECT(create_err(part, "A b", M, 0, 0, 1, 0) == EINVAL, "bad name");
	EXPECT(create_err(part, "", M, 0, 0, 1, 0) == EINVAL, "empty name");
	EXPECT(create_err(part, "a", M, 100, 0, 1, 0) == EINVAL, "ring not a power of two");
	EXPECT(create_err(part, "a", M, 64, 33, 1, 0) == EINVAL, "guard over half the ring");
	EXPECT(create_err(part, "a", M, 0, 0, 2, 0) == EINVAL, "ABI version 2");
	EXPECT(create_err(part, "a", M, 0, 0, 1, 1) == EINVAL, "unknown flags");
	EXPECT(create_err("nosuchpart", "a", M, 0, 0, 1, 0) == ENOENT, "unknown partition");
	EXPECT(create_err(part, "a", 1ULL << 39, 0, 0, 1, 0) == ENOMEM, "over the budget");
}

/* One thread maps, writes and unmaps while another checkpoints. */
static int race_stop;	/* atomic */

static void *unmapper(void *arg)
{
	struct ckpt_map *m = arg;
	unsigned int i = 0;

	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		uint8_t *mem = mmap(NULL, m->st.size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);

		if (mem == MAP_FAILED)
			err(1, "mmap");
		memset(mem + (i % (m->st.size / CKPT_PAGE)) * CKPT_PAGE, (int)i, CKPT_PAGE);
		i++;
		munmap(mem, m->st.size);
	}
	return NULL;
}

static void check_unmap_race(struct ckpt_map *m)
{
	double t0 = ckpt_now();
	unsigned int n = 0;
	pthread_t th;

	pthread_create(&th, NULL, unmapper, m);
	while (ckpt_now() - t0 < 2) {
		checkpoint(m);
		n++;
	}
	__atomic_store_n(&race_stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	EXPECT(n > 10, "only %u checkpoints", n);
}

/*
 * pread() of the checkpoint view into the region's own mappings, one
 * long-lived (its pages fault into page_mkwrite) and one fresh each time
 * (not faulted in at all), while one thread maps and unmaps the consumer
 * page and another takes checkpoints: the lock order of ckpt.h (r->lock
 * never under mmap_lock, never across user access). Before it was kept
 * this deadlocked (read: r->lock then mmap_lock in the fault; mmap of the
 * consumer page: mmap_lock then r->lock) and lockdep reported the cycle.
 * The first half of the region is checkpointed with a pattern and never
 * written again; each read copies it into the second half, which must
 * then hold the pattern.
 */
static struct ckpt_map *self_m;

static void *ctrl_mapper(void *arg)
{
	const struct ckpt_map *m = arg;

	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		void *p = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd,
			       CKPT_MMAP_CTRL);

		if (p == MAP_FAILED)
			err(1, "map consumer page");
		munmap(p, CKPT_PAGE);
	}
	return NULL;
}

static void *checkpointer(void *arg)
{
	struct ckpt_ctrl *ctrl = arg;
	struct ckpt_ack ack = { 0 };
	uint64_t *n = calloc(1, sizeof(*n));

	if (!n)
		err(1, "calloc");
	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		checkpoint(self_m);
		/* consume everything so the ring never fills */
		ctrl->tail = ckpt_head(self_m);
		if (ioctl(self_m->fd, CKPT_IOC_ACK, &ack))
			err(1, "ack");
		(*n)++;
	}
	return n;
}

static void check_read_self(struct ckpt_map *m)
{
	uint64_t half = m->st.size / 2, i, *ncp;
	struct ckpt_ctrl *ctrl = attach(m);
	unsigned int reads = 0, fresh = 0;
	uint8_t *own, *pat;
	pthread_t tc, tk;
	double t0;

	own = mmap(NULL, m->st.size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	pat = malloc(half);
	if (own == MAP_FAILED || !pat)
		err(1, "mmap region");
	for (i = 0; i < half; i++)
		pat[i] = (uint8_t)(i * 7 + i / CKPT_PAGE + 1);
	memcpy(own, pat, half);
	checkpoint(m);
	self_m = m;
	__atomic_store_n(&race_stop, 0, __ATOMIC_RELAXED);
	pthread_create(&tc, NULL, ctrl_mapper, m);
	pthread_create(&tk, NULL, checkpointer, ctrl);
	t0 = ckpt_now();
	while (ckpt_now() - t0 < 3) {
		uint8_t *fresh_map;
		ssize_t n;

		memset(own + half, 0, half);
		n = pread(m->fd, own + half, half, 0);
		EXPECT(n == (ssize_t)half, "pread into the own mapping: %zd (%s)", n,
		       n < 0 ? strerror(errno) : "short");
		EXPECT(!memcmp(own + half, pat, half), "read into the own mapping != shadow");
		reads++;
		fresh_map = mmap(NULL, m->st.size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
		if (fresh_map == MAP_FAILED)
			err(1, "mmap region");
		n = pread(m->fd, fresh_map + half, half, 0);
		EXPECT(n == (ssize_t)half, "pread into a fresh mapping: %zd", n);
		EXPECT(!memcmp(fresh_map + half, pat, half), "read into a fresh mapping != shadow");
		munmap(fresh_map, m->st.size);
		fresh++;
	}
	__atomic_store_n(&race_stop, 1, __ATOMIC_RELAXED);
	pthread_join(tc, NULL);
	pthread_join(tk, (void **)&ncp);
	/* The shadow's first half is still the pattern after all that. */
	memset(own + half, 0, half);
	EXPECT(pread(m->fd, own + half, half, 0) == (ssize_t)half &&
	       !memcmp(own + half, pat, half), "shadow changed");
	EXPECT(reads > 2 && *ncp > 2, "only %u reads, %" PRIu64 " checkpoints", reads, *ncp);
	printf("read-self: %u reads into the own mapping, %u into fresh ones, %" PRIu64
	       " checkpoints\n", reads, fresh, *ncp);
	free(ncp);
	free(pat);
	munmap(own, m->st.size);
	munmap(ctrl, CKPT_PAGE);
}

int main(int argc, char **argv)
{
	struct ckpt_map m;
	int e;

	if (argc == 3 && !strcmp(argv[1], "--create-errors")) {
		check_create_errors(argv[2]);
		return !!fails;
	}
	if (argc != 3) {
		fprintf(stderr,
			"usage: ckpt-hostile NODE { tails | acks | mmaps | ioctls | unmap-race | read-self }\n"
			"       ckpt-hostile --create-errors PARTITION\n");
		return 2;
	}
	e = ckpt_open(&m, argv[1], true);
	if (e)
		errx(1, "%s: %s", argv[1], strerror(-e));
	if (!strcmp(argv[2], "tails"))
		check_tails(&m);
	else if (!strcmp(argv[2], "acks"))
		check_acks(&m, argv[1]);
	else if (!strcmp(argv[2], "mmaps"))
		check_mmaps(&m);
	else if (!strcmp(argv[2], "ioctls"))
		check_ioctls(&m);
	else if (!strcmp(argv[2], "unmap-race"))
		check_unmap_race(&m);
	else if (!strcmp(argv[2], "read-self"))
		check_read_self(&m);
	else
		errx(2, "unknown check %s", argv[2]);
	ckpt_close(&m);
	return !!fails;
}
