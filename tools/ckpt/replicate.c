// SPDX-License-Identifier: GPL-2.0
/*
 * lpar-ckpt-replicate: the consumer of a region's log. It follows the
 * ring, reads every logged line (or whole page of the fallback set)
 * through the region's checkpoint view (pread() on the region file, which
 * neither maps nor dirties anything) and writes it at the same offset of
 * the replica, a file or a block device such as an NBD device whose
 * server is the backup host. When it has read every entry up to the
 * producer's index it makes the replica durable (fdatasync), publishes
 * its tail and acknowledges the newest checkpoint whose END entry said
 * COMPLETE. It counts the guard-band signals (eventfd) and reports
 * progress and a summary.
 *
 * usage: lpar-ckpt-replicate [OPTIONS] REGION-NODE REPLICA
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt/common.h"

struct repl {
	struct ckpt_map m;
	struct ckpt_ctrl *ctrl;
	int efd;
	int out;
	FILE *tids;
	uint64_t tail;		/* entries below are applied */
	uint64_t complete;	/* newest complete checkpoint read */
	uint64_t acked;
	/* counters */
	uint64_t lines, line_entries, pages, bytes, guard_signals, acks, ack_refused;
	double start, last_report;
	uint64_t lines_at_report;
};

static sig_atomic_t stop;	/* set by the signal handler */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: lpar-ckpt-replicate [OPTIONS] REGION-NODE REPLICA\n"
		"Consume the log of a checkpointed region (/dev/lpar_ckpt/PART/NAME) and\n"
		"apply it to REPLICA (a file, created if missing, or a block device).\n"
		"  --progress SEC     print progress every SEC seconds\n"
		"  --initial-sync     copy the whole checkpoint view first\n"
		"  --until-epoch N    exit once checkpoint N is acknowledged\n"
		"  --tids FILE        log \"epoch offset mask tid\" of every line entry\n"
		"  --once             apply what is logged now, then exit\n");
}

static int copy_range(struct repl *r, uint64_t off, size_t len)
{
	char buf[CKPT_PAGE];
	ssize_t n;

	n = pread(r->m.fd, buf, len, off);
	if (n != (ssize_t)len) {
		warn("read region at %" PRIu64, off);
		return -1;
	}
	if (pwrite(r->out, buf, len, off) != (ssize_t)len) {
		warn("write replica at %" PRIu64, off);
		return -1;
	}
	r->bytes += len;
	return 0;
}

/* Applies one entry: runs of consecutive changed lines are one copy each. */
static int apply(struct repl *r, const struct ckpt_entry *e)
{
	unsigned int l = 0, run;

	if (e->flags & CKPT_ENTRY_END) {
		if (e->flags & CKPT_ENTRY_COMPLETE)
			r->complete = e->epoch;
		return 0;
	}
	if (e->offset >= r->m.st.size || e->offset % CKPT_PAGE) {
		warnx("entry with bad offset %" PRIu64, (uint64_t)e->offset);
		return -1;
	}
	if (e->flags & CKPT_ENTRY_PAGE) {
		r->pages++;
		return copy_range(r, e->offset, CKPT_PAGE);
	}
	r->line_entries++;
	if (r->tids)
		fprintf(r->tids, "%" PRIu64 " %" PRIu64 " %016" PRIx64 " %u\n",
			(uint64_t)e->epoch, (uint64_t)e->offset, (uint64_t)e->mask, e->tid);
	while (l < 64) {
		if (!(e->mask >> l & 1)) {
			l++;
			continue;
		}
		for (run = 0; l + run < 64 && (e->mask >> (l + run) & 1); run++)
			;
		if (copy_range(r, e->offset + l * CKPT_LINE_SIZE, run * CKPT_LINE_SIZE))
			return -1;
		r->lines += run;
		l += run;
	}
	return 0;
}

/* Applies everything logged, makes it durable, publishes the tail, acks. */
static int drain(struct repl *r)
{
	uint64_t head = ckpt_head(&r->m);
	struct ckpt_ack ack = { 0 };

	if (head - r->tail > r->m.nr) {
		warnx("producer index %" PRIu64 " is more than a ring ahead of %" PRIu64,
		      head, r->tail);
		return -1;
	}
	if (head == r->tail)
		return 0;
	for (; r->tail != head; r->tail++)
		if (apply(r, &r->m.ring[r->tail & (r->m.nr - 1)]))
			return -1;
	if (r->tids)
		fflush(r->tids);
	if (fdatasync(r->out)) {
		warn("fdatasync replica");
		return -1;
	}
	__atomic_store_n(&r->ctrl->tail, r->tail, __ATOMIC_RELEASE);
	if (r->complete > r->acked)
		ack.epoch = r->complete;
	if (ioctl(r->m.fd, CKPT_IOC_ACK, &ack)) {
		/*
		 * EAGAIN: not whole in the log yet; ESTALE: too old for the
		 * kernel to check (the consumer lagged more than 64
		 * checkpoints). A newer one will do; the tail moves anyway.
		 */
		if ((errno != EAGAIN && errno != ESTALE) || !ack.epoch) {
			warn("ack");
			return -1;
		}
		r->ack_refused++;
		ack.epoch = 0;
		if (ioctl(r->m.fd, CKPT_IOC_ACK, &ack)) {
			warn("ack");
			return -1;
		}
	}
	if (ack.epoch) {
		r->acked = ack.epoch;
		r->acks++;
	}
	return 0;
}

static void report(struct repl *r, const char *what)
{
	double now = ckpt_now(), dt = now - r->last_report;
	struct ckpt_status st;

	if (ckpt_status_get(&r->m, &st))
		memset(&st, 0, sizeof(st));
	printf("%s: epoch %" PRIu64 " acked %" PRIu64 " lines %" PRIu64 " (%.0f/s) pages %"
	       PRIu64 " lag %" PRIu64 " entries guard %" PRIu64 " (signals %" PRIu64 ")\n",
	       what, (uint64_t)st.epoch, r->acked, r->lines,
	       dt > 0 ? (r->lines - r->lines_at_report) / dt : 0.0, r->pages,
	       ckpt_head(&r->m) - r->tail, (uint64_t)st.guard_events, r->guard_signals);
	fflush(stdout);
	r->last_report = now;
	r->lines_at_report = r->lines;
}

static int initial_sync(struct repl *r)
{
	uint64_t off;

	for (off = 0; off < r->m.st.size; off += CKPT_PAGE)
		if (copy_range(r, off, CKPT_PAGE))
			return -1;
	return fdatasync(r->out);
}

static int open_replica(struct repl *r, const char *path)
{
	struct stat st;

	r->out = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (r->out < 0 || fstat(r->out, &st)) {
		warn("%s", path);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < r->m.st.size &&
	    ftruncate(r->out, r->m.st.size)) {
		warn("extend %s", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "progress", required_argument, NULL, 'p' },
		{ "initial-sync", no_argument, NULL, 'i' },
		{ "until-epoch", required_argument, NULL, 'u' },
		{ "tids", required_argument, NULL, 't' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct repl r = { 0 };
	double progress = 0;
	uint64_t until = 0;
	bool sync = false, once = false;
	struct ckpt_consumer c;
	struct sigaction sa;
	int opt, e, ret = 1;

	r.efd = -1;
	r.out = -1;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			progress = atof(optarg);
			break;
		case 'i':
			sync = true;
			break;
		case 'u':
			until = strtoull(optarg, NULL, 0);
			break;
		case 't':
			r.tids = fopen(optarg, "w");
			if (!r.tids)
				err(1, "%s", optarg);
			break;
		case 'o':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}

	e = ckpt_open(&r.m, argv[optind], true);
	if (e) {
		warnx("%s: %s", argv[optind], strerror(-e));
		return 1;
	}
	r.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c = (struct ckpt_consumer){ .eventfd = r.efd };
	if (r.efd < 0 || ioctl(r.m.fd, CKPT_IOC_CONSUMER, &c)) {
		warn("attach as the consumer of %s", argv[optind]);
		goto out;
	}
	r.ctrl = mmap(NULL, CKPT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, r.m.fd,
		      CKPT_MMAP_CTRL);
	if (r.ctrl == MAP_FAILED) {
		warn("map the consumer page");
		goto out;
	}
	/* Resume where the last consumer stopped. */
	r.tail = r.m.st.tail;
	r.acked = r.m.st.acked;
	if (open_replica(&r, argv[optind + 1]))
		goto out;
	if (sync && initial_sync(&r))
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r.start = ckpt_now();
	r.last_report = r.start;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct pollfd pfd[2] = {
			{ .fd = r.m.fd, .events = POLLIN | POLLPRI },
			{ .fd = r.efd, .events = POLLIN },
		};
		uint64_t n;

		if (drain(&r))
			goto out;
		if (once || (until && r.acked >= until))
			break;
		if (progress > 0 && ckpt_now() - r.last_report >= progress)
			report(&r, "progress");
		poll(pfd, 2, 100);
		if (read(r.efd, &n, sizeof(n)) == sizeof(n))
			r.guard_signals += n;
		if (pfd[0].revents & POLLHUP) {
			warnx("the region was destroyed");
			break;
		}
	}
	ret = 0;
out:
	if (r.m.hdr) {
		double dt = ckpt_now() - r.start;

		report(&r, "summary");
		printf("summary: %.2f s, %" PRIu64 " line entries, %" PRIu64 " lines, %" PRIu64
		       " fallback pages, %" PRIu64 " bytes shipped, %" PRIu64 " acks (%" PRIu64
		       " deferred), %" PRIu64 " guard signals\n", dt, r.line_entries, r.lines,
		       r.pages, r.bytes, r.acks, r.ack_refused, r.guard_signals);
	}
	if (r.tids)
		fclose(r.tids);
	if (r.out >= 0)
		close(r.out);
	ckpt_close(&r.m);
	return ret;
}
