// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-writer: the selftests' workload and referee. Several threads with
 * seeded generators write a region (sparse single words and dense runs,
 * with a hot zone) in rounds; between rounds, with the writers stopped as
 * a VM monitor stops its vCPUs, it takes a checkpoint and checks it:
 *  - the entries of the checkpoint, read straight from the ring, name
 *    exactly the pages and lines that changed (against its own copy of
 *    the previous checkpoint) and the thread id of a thread that wrote
 *    the page in that round;
 *  - with --sync, once the replicator has acknowledged the checkpoint,
 *    the replica is byte-identical to the region (a snapshot of it);
 *  - with --ack-wait MS (the soak), after each checkpoint it waits up to
 *    MS for the replicator to acknowledge it and, if it did, checks the
 *    replica as with --sync; if not (the replicator is stalled) it goes
 *    on writing, so the log fills and the guard band fires. Only an ack
 *    of the newest checkpoint is checked: once a newer one exists, the
 *    replicator reads lines newer than an older ack (the checkpoint view
 *    is the newest checkpoint), so the replica is then only "at least"
 *    that checkpoint; the newest one's ack is exact;
 *  - at the end (always), after the replicator caught up, the same.
 * --seconds S runs rounds for S seconds instead of --rounds N.
 * Exit status 0 only if every check passed.
 *
 * usage: ckpt-writer (--region NODE | --create PART/NAME --size BYTES)
 *                    [--threads N] [--rounds N | --seconds S] [--writes N]
 *                    [--seed N] [--sync | --ack-wait MS] [--replica PATH]
 *                    [--round-ms MS] [--destroy]
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "ckpt/common.h"
#include "lib/size.h"

#define MAX_THREADS	32

static struct {
	struct ckpt_map m;
	uint8_t *mem;		/* the region, mapped */
	uint8_t *prev;		/* its content at the previous checkpoint */
	uint32_t *wmask;	/* per page: threads that wrote it this round */
	pid_t tid[MAX_THREADS];
	uint64_t size, npages;
	unsigned int threads, rounds, writes, round_ms, ack_wait_ms, seconds;
	int stop;		/* atomic: the writer threads exit at the next round */
	uint64_t seed;
	pthread_barrier_t start, done;	/* a round; start also releases the threads at the end */
	const char *replica;
	bool sync;
	bool free_run;	/* checkpoints are the kernel's (periodic): no per-round checks */
	/* results */
	uint64_t entries, lines, pages_fallback, tid_ok, tid_bad, mask_bad, missing,
		 incomplete, match, mismatch;
} w;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct thr {
	unsigned int idx;
	uint64_t rnd;
};

static void *writer_thread(void *arg)
{
	struct thr *t = arg;
	unsigned int i;

	w.tid[t->idx] = gettid();
	for (;;) {
		pthread_barrier_wait(&w.start);
		if (__atomic_load_n(&w.stop, __ATOMIC_ACQUIRE))
			break;
		for (i = 0; i < w.writes; i++) {
			uint64_t r = xorshift(&t->rnd), page;
			/* a quarter of the writes go to a hot eighth of the region */
			page = (r & 3) ? (r >> 8) % w.npages : (r >> 8) % (w.npages / 8 + 1);
			if ((r >> 2) & 1) {
				uint64_t off = page * CKPT_PAGE + ((r >> 40) % (CKPT_PAGE / 8)) * 8;

				__atomic_store_n((uint64_t *)(w.mem + off), xorshift(&t->rnd),
						 __ATOMIC_RELAXED);
			} else {
				uint64_t off = (r >> 40) % CKPT_PAGE;
				uint64_t len = 1 + (r >> 52) % 256;

				if (off + len > CKPT_PAGE)
					len = CKPT_PAGE - off;
				memset(w.mem + page * CKPT_PAGE + off, (int)(r >> 32), len);
			}
			__atomic_fetch_or(&w.wmask[page], 1U << t->idx, __ATOMIC_RELAXED);
		}
		if (w.round_ms)
			usleep(w.round_ms * 1000);
		pthread_barrier_wait(&w.done);
	}
	return NULL;
}

static uint64_t line_mask(const uint8_t *cur, const uint8_t *old)
{
	uint64_t mask = 0;
	unsigned int l;

	for (l = 0; l < 64; l++)
		if (memcmp(cur + l * CKPT_LINE_SIZE, old + l * CKPT_LINE_SIZE, CKPT_LINE_SIZE))
			mask |= 1ULL << l;
	return mask;
}

static bool tid_wrote(uint32_t tid, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < w.threads; i++)
		if ((mask >> i & 1) && (uint32_t)w.tid[i] == tid)
			return true;
	return false;
}

/* Checks the entries [h0, h1) of checkpoint @epoch against the writes. */
static void check_entries(uint64_t epoch, uint64_t h0, uint64_t h1)
{
	uint8_t *seen = calloc(w.npages, 1);
	bool complete = false;
	uint64_t i, pg;

	if (!seen)
		err(1, "calloc");
	for (i = h0; i != h1; i++) {
		const struct ckpt_entry *e = &w.m.ring[i & (w.m.nr - 1)];

		if (e->epoch != epoch) {
			warnx("entry %" PRIu64 " has epoch %" PRIu64 ", want %" PRIu64, i,
			      (uint64_t)e->epoch, epoch);
			w.mask_bad++;
			continue;
		}
		if (e->flags & CKPT_ENTRY_END) {
			complete = e->flags & CKPT_ENTRY_COMPLETE;
			continue;
		}
		pg = e->offset / CKPT_PAGE;
		if (pg >= w.npages) {
			w.mask_bad++;
			continue;
		}
		w.entries++;
		if (e->flags & CKPT_ENTRY_PAGE) {
			w.pages_fallback++;
			continue;
		}
		seen[pg] = 1;
		w.lines += __builtin_popcountll(e->mask);
		if (e->mask != line_mask(w.mem + pg * CKPT_PAGE, w.prev + pg * CKPT_PAGE)) {
			if (w.mask_bad++ < 5)
				warnx("epoch %" PRIu64 " page %" PRIu64 ": mask %016" PRIx64
				      " want %016" PRIx64, epoch, pg, (uint64_t)e->mask,
				      line_mask(w.mem + pg * CKPT_PAGE, w.prev + pg * CKPT_PAGE));
		}
		if (tid_wrote(e->tid, w.wmask[pg])) {
			w.tid_ok++;
		} else if (w.tid_bad++ < 5) {
			warnx("epoch %" PRIu64 " page %" PRIu64 ": tid %u did not write it",
			      epoch, pg, e->tid);
		}
	}
	if (!complete)
		w.incomplete++;
	/* A complete checkpoint names every changed page. */
	for (pg = 0; complete && pg < w.npages; pg++) {
		if (seen[pg] || !memcmp(w.mem + pg * CKPT_PAGE, w.prev + pg * CKPT_PAGE, CKPT_PAGE))
			continue;
		if (w.missing++ < 5)
			warnx("epoch %" PRIu64 ": changed page %" PRIu64 " not logged", epoch, pg);
	}
	free(seen);
}

static uint64_t checkpoint(void)
{
	uint64_t epoch;

	if (ioctl(w.m.fd, CKPT_IOC_CHECKPOINT, &epoch))
		err(1, "checkpoint");
	return epoch;
}

/*
 * Waits for the replicator to acknowledge @epoch; an incomplete
 * checkpoint (pages left in the fallback set) is followed by empty ones
 * until one is whole. Returns the acked epoch, 0 on timeout.
 */
static uint64_t wait_acked(uint64_t epoch)
{
	double t0 = ckpt_now(), last = t0;
	struct ckpt_status st;

	for (;;) {
		if (ckpt_status_get(&w.m, &st))
			err(1, "status");
		if (st.acked >= epoch)
			return st.acked;
		if (ckpt_now() - t0 > 120)
			return 0;
		if (ckpt_now() - last > 1 && st.fallback_pages) {
			epoch = checkpoint();
			last = ckpt_now();
		}
		usleep(1000);
	}
}

static void compare_replica(uint64_t epoch)
{
	static uint8_t *buf;
	uint64_t off;
	int fd;

	if (!buf) {
		buf = malloc(w.size);
		if (!buf)
			err(1, "malloc");
	}
	fd = open(w.replica, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err(1, "%s", w.replica);
	for (off = 0; off < w.size;) {
		ssize_t n = pread(fd, buf + off, w.size - off, off);

		if (n <= 0)
			err(1, "read %s", w.replica);
		off += n;
	}
	close(fd);
	if (!memcmp(buf, w.prev, w.size)) {
		w.match++;
		return;
	}
	for (off = 0; buf[off] == w.prev[off]; off++)
		;
	if (w.mismatch++ < 5)
		warnx("epoch %" PRIu64 ": replica differs at byte %" PRIu64, epoch, off);
}

/*
 * --ack-wait: waits up to w.ack_wait_ms for an ack of @epoch, the newest
 * checkpoint, and checks the replica if it came.
 */
static void check_if_acked(uint64_t epoch)
{
	double t0 = ckpt_now();
	struct ckpt_status st;

	for (;;) {
		if (ckpt_status_get(&w.m, &st))
			err(1, "status");
		if (st.acked == epoch) {
			compare_replica(epoch);
			return;
		}
		if ((ckpt_now() - t0) * 1000 >= w.ack_wait_ms)
			return;
		usleep(1000);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: ckpt-writer (--region NODE | --create PART/NAME --size BYTES\n"
		   "                   [--ring N] [--guard N]) [--threads N]\n"
		   "                   [--rounds N | --seconds S] [--writes N] [--seed N]\n"
		   "                   [--round-ms MS] [--sync | --ack-wait MS]\n"
		   "                   [--replica PATH] [--destroy] [--free-run]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "region", required_argument, NULL, 'R' },
		{ "create", required_argument, NULL, 'C' },
		{ "size", required_argument, NULL, 's' },
		{ "ring", required_argument, NULL, 'n' },
		{ "guard", required_argument, NULL, 'g' },
		{ "threads", required_argument, NULL, 't' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "writes", required_argument, NULL, 'w' },
		{ "seed", required_argument, NULL, 'S' },
		{ "round-ms", required_argument, NULL, 'm' },
		{ "sync", no_argument, NULL, 'y' },
		{ "replica", required_argument, NULL, 'p' },
		{ "destroy", no_argument, NULL, 'd' },
		{ "free-run", no_argument, NULL, 'f' },
		{ "ack-wait", required_argument, NULL, 'a' },
		{ "seconds", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *region = NULL, *create = NULL;
	uint32_t ring = 0, guard = 0;
	pthread_t th[MAX_THREADS];
	struct thr thr[MAX_THREADS];
	bool destroy = false;
	uint64_t epoch = 0, acked;
	double t_start;
	unsigned int i, round;
	int opt, e;

	w.threads = 4;
	w.rounds = 20;
	w.writes = 500;
	w.seed = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'R':
			region = optarg;
			break;
		case 'C':
			create = optarg;
			break;
		case 's':
			if (size_parse(optarg, &w.size))
				errx(2, "bad size '%s'", optarg);
			break;
		case 'n':
			ring = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			guard = strtoul(optarg, NULL, 0);
			break;
		case 't':
			w.threads = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			w.rounds = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			w.writes = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			w.seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			w.round_ms = strtoul(optarg, NULL, 0);
			break;
		case 'a':
			w.ack_wait_ms = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			w.seconds = strtoul(optarg, NULL, 0);
			break;
		case 'y':
			w.sync = true;
			break;
		case 'p':
			w.replica = optarg;
			break;
		case 'd':
			destroy = true;
			break;
		case 'f':
			w.free_run = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!!region == !!create || !w.threads || w.threads > MAX_THREADS ||
	    (w.sync && !w.replica) || (w.sync && w.free_run) ||
	    (w.ack_wait_ms && (!w.replica || w.sync || w.free_run))) {
		usage(stderr);
		return 2;
	}
	if (create) {
		char part[CKPT_NAME_LEN], *slash;

		snprintf(part, sizeof(part), "%s", create);
		slash = strchr(part, '/');
		if (!slash || !w.size) {
			usage(stderr);
			return 2;
		}
		*slash = '\0';
		e = ckpt_create(&w.m, part, slash + 1, w.size, ring, guard);
	} else {
		e = ckpt_open(&w.m, region, true);
	}
	if (e)
		errx(1, "%s: %s", region ?: create, strerror(-e));
	w.size = w.m.st.size;
	w.npages = w.size / CKPT_PAGE;
	w.mem = mmap(NULL, w.size, PROT_READ | PROT_WRITE, MAP_SHARED, w.m.fd, 0);
	if (w.mem == MAP_FAILED)
		err(1, "mmap region");
	w.prev = malloc(w.size);
	w.wmask = calloc(w.npages, sizeof(*w.wmask));
	if (!w.prev || !w.wmask)
		err(1, "malloc");
	/* The reference starts from the checkpoint view: the last checkpoint. */
	if (pread(w.m.fd, w.prev, w.size, 0) != (ssize_t)w.size)
		err(1, "read checkpoint view");
	/* Whatever was written since then belongs to a checkpoint of its own. */
	epoch = checkpoint();
	memcpy(w.prev, w.mem, w.size);

	pthread_barrier_init(&w.start, NULL, w.threads + 1);
	pthread_barrier_init(&w.done, NULL, w.threads + 1);
	for (i = 0; i < w.threads; i++) {
		thr[i] = (struct thr){ .idx = i, .rnd = w.seed * 0x9e3779b97f4a7c15ULL + i + 1 };
		if (pthread_create(&th[i], NULL, writer_thread, &thr[i]))
			errx(1, "pthread_create");
	}
	t_start = ckpt_now();
	for (round = 0; w.seconds ? ckpt_now() - t_start < w.seconds : round < w.rounds;
	     round++) {
		uint64_t h0, h1;

		memset(w.wmask, 0, w.npages * sizeof(*w.wmask));
		pthread_barrier_wait(&w.start);
		pthread_barrier_wait(&w.done);
		if (w.free_run)
			continue;
		h0 = ckpt_head(&w.m);
		epoch = checkpoint();
		h1 = ckpt_head(&w.m);
		check_entries(epoch, h0, h1);
		memcpy(w.prev, w.mem, w.size);
		if (w.sync) {
			acked = wait_acked(epoch);
			if (!acked)
				errx(1, "epoch %" PRIu64 " not acknowledged within 120 s", epoch);
			compare_replica(acked);
		} else if (w.ack_wait_ms) {
			check_if_acked(epoch);
		}
	}
	/* Release the writer threads from their start barrier: they exit. */
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_barrier_wait(&w.start);
	for (i = 0; i < w.threads; i++)
		pthread_join(th[i], NULL);

	if (w.replica) {
		/* Let the replicator catch up with a last checkpoint. */
		epoch = checkpoint();
		memcpy(w.prev, w.mem, w.size);
		acked = wait_acked(epoch);
		if (!acked)
			errx(1, "final epoch %" PRIu64 " not acknowledged within 120 s", epoch);
		compare_replica(acked);
	}
	{
		struct ckpt_status st;

		if (ckpt_status_get(&w.m, &st))
			err(1, "status");
		printf("kernel: epoch %" PRIu64 " acked %" PRIu64 " guard_events %" PRIu64
		       " fallback_logged %" PRIu64 " fallback_left %" PRIu64 " bad_tails %"
		       PRIu64 " last_ns %" PRIu64 "\n", (uint64_t)st.epoch, (uint64_t)st.acked,
		       (uint64_t)st.guard_events, (uint64_t)st.fallback_logged,
		       (uint64_t)st.fallback_pages, (uint64_t)st.bad_tails, (uint64_t)st.last_ns);
	}
	printf("rounds %u threads %u epoch %" PRIu64 " entries %" PRIu64 " lines %" PRIu64
	       " fallback_pages %" PRIu64 " incomplete %" PRIu64 " tid_ok %" PRIu64
	       " tid_bad %" PRIu64 " mask_bad %" PRIu64 " missing %" PRIu64
	       " replica_match %" PRIu64 " replica_mismatch %" PRIu64 "\n",
	       round, w.threads, epoch, w.entries, w.lines, w.pages_fallback, w.incomplete,
	       w.tid_ok, w.tid_bad, w.mask_bad, w.missing, w.match, w.mismatch);
	if (destroy && ioctl(w.m.fd, CKPT_IOC_DESTROY))
		err(1, "destroy");
	munmap(w.mem, w.size);
	ckpt_close(&w.m);
	return w.tid_bad || w.mask_bad || w.missing || w.mismatch ||
	       (round && !w.free_run && !w.tid_ok) ||
	       (w.replica && !w.match);
}
