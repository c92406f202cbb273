// SPDX-License-Identifier: GPL-2.0
/*
 * devfuzz: hostile userspace for the suite's character devices and the
 * rings they map. Every char device under the given globs (default
 * /dev/lpar_*, searched recursively, looked up again as nodes come and go,
 * plus nodes made with mknod for minors nobody created)
 * gets random open flags, pread/pwrite at odd offsets and sizes, lseek
 * with every whence, ioctls (the uapi/ ones with their sizes, mutated and
 * random ones) with NULL, wild, read-only, unmapped and garbage-filled
 * arguments, mmap with odd offsets, sizes, protections and flags followed
 * by garbage written into every writable page, mprotect/mremap/madvise,
 * close and munmap from a second thread in the middle of all that, and
 * children forked with the mappings and killed at random points. Seeded
 * (the seed is printed); counts operations per kind and per errno; checks
 * the kernel log after every round and stops on the first splat, naming
 * the node and the last operations.
 *
 *   devfuzz [--seed N] [--ops N | --duration SEC] [--glob PATTERN]...
 *           [--reads] [-v]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <asm/msr.h>

#include "fuzz.h"
#include "lib/compiler.h"

struct ioc {
	const char *name;
	unsigned long cmd;
};

/* The ioctls of our uapi headers (generated: gen_iocs[]), then those of ABIs we copy. */
#include "devfuzz-ioctls-gen.h"

static const struct ioc borrowed_iocs[] = {
	{ "X86_IOC_RDMSR_REGS", X86_IOC_RDMSR_REGS },
	{ "X86_IOC_WRMSR_REGS", X86_IOC_WRMSR_REGS },
};

#define NR_BORROWED	(ARRAY_SIZE(borrowed_iocs))
static size_t nr_gen;

#define MAX_NODES	4096
#define PAGE		4096UL

enum opk {
	O_OPEN, O_PREAD, O_PWRITE, O_READ, O_WRITE, O_PREADV2, O_LSEEK, O_IOCTL, O_MMAP,
	O_TOUCH, O_MPROTECT, O_MREMAP, O_MADVISE, O_MUNMAP, O_POLL, O_FCNTL, O_DUP, O_CLOSE,
	O_THREAD_CLOSE, O_FORK, O_KILL, NR_OPK
};

static const char * const opk_name[NR_OPK] = {
	"open", "pread", "pwrite", "read", "write", "preadv2", "lseek", "ioctl", "mmap",
	"touch", "mprotect", "mremap", "madvise", "munmap", "poll", "fcntl", "dup", "close",
	"close-from-thread", "fork", "kill-child",
};

#define NERR 134

struct shared {
	uint64_t ops[NR_OPK];
	uint64_t err[NERR];
	uint64_t total, rounds, faults;
	uint64_t nodes_seen;
	char last[16][200];
	unsigned int last_i;
	int failed;
};

static struct shared *sh;
static struct fz_rng rng;
static char *nodes[MAX_NODES];
static int nr_nodes;
static const char *globs[16];
static int nr_globs;
static bool reads_only;
static int verbose;
static sigjmp_buf touch_jmp;
static int touching;	/* in touch(): a fault is expected */
static unsigned char *wild_ro, *wild_gone;
static int stop_req;	/* SIGTERM: finish the round, report */
static bool maps_shared;	/* the closing thread holds a copy of the map list */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __printf(3, 4) void note(const char *node, enum opk k, const char *fmt, ...);

/* Records the operation about to run (ring of the last 16, shared with children). */
static void note(const char *node, enum opk k, const char *fmt, ...)
{
	char *slot = sh->last[sh->last_i++ % 16];
	va_list ap;
	int n;

	n = snprintf(slot, 200, "%s %s ", node, opk_name[k]);
	va_start(ap, fmt);
	vsnprintf(slot + n, 200 - n, fmt, ap);
	va_end(ap);
	if (verbose > 1)
		printf("# %s\n", slot);
}

static void count(enum opk k, long ret)
{
	sh->ops[k]++;
	sh->total++;
	sh->err[ret < 0 ? (errno < NERR ? errno : NERR - 1) : 0]++;
}

/* ---- discovery ---- */

static void add_tree(const char *path, int depth)
{
	struct stat st;
	glob_t g;
	char pat[4200];
	size_t i;

	if (lstat(path, &st) || depth > 6)
		return;
	if (S_ISCHR(st.st_mode)) {
		if (nr_nodes < MAX_NODES)
			nodes[nr_nodes++] = strdup(path);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	snprintf(pat, sizeof(pat), "%s/*", path);
	if (glob(pat, 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++)
		add_tree(g.gl_pathv[i], depth + 1);
	globfree(&g);
}

#define MKNOD_DIR	"/tmp/devfuzz-nodes"

/*
 * Nodes nobody made: for each major among the found nodes, minors just
 * past the highest one, far past it, 0 and the largest, made with mknod
 * (as root) in MKNOD_DIR, since a driver must cope with any minor of its
 * region and beyond.
 */
static void add_mknod_nodes(void)
{
	unsigned int majors[16], maxmin[16], nmaj = 0, i, j;
	int found = nr_nodes;
	struct stat st;
	char path[256];

	if (getuid() || reads_only || (mkdir(MKNOD_DIR, 0700) < 0 && errno != EEXIST))
		return;
	for (i = 0; i < (unsigned int)found; i++) {
		if (stat(nodes[i], &st) || !S_ISCHR(st.st_mode))
			continue;
		for (j = 0; j < nmaj && majors[j] != major(st.st_rdev); j++)
			;
		if (j == nmaj && nmaj < 16) {
			majors[nmaj] = major(st.st_rdev);
			maxmin[nmaj++] = 0;
		}
		if (j < nmaj && minor(st.st_rdev) > maxmin[j])
			maxmin[j] = minor(st.st_rdev);
	}
	for (j = 0; j < nmaj; j++) {
		const unsigned int mins[] = { 0, maxmin[j] + 1, maxmin[j] + 2, maxmin[j] * 2 + 1,
					      0xfffff };

		for (i = 0; i < ARRAY_SIZE(mins) && nr_nodes < MAX_NODES; i++) {
			snprintf(path, sizeof(path), MKNOD_DIR "/%u-%u", majors[j], mins[i]);
			if (mknod(path, S_IFCHR | 0600, makedev(majors[j], mins[i])) &&
			    errno != EEXIST)
				continue;
			nodes[nr_nodes++] = strdup(path);
		}
	}
}

static void discover(void)
{
	glob_t g;
	size_t i;
	int k;

	while (nr_nodes)
		free(nodes[--nr_nodes]);
	for (k = 0; k < nr_globs; k++) {
		if (glob(globs[k], 0, NULL, &g))
			continue;
		for (i = 0; i < g.gl_pathc; i++)
			add_tree(g.gl_pathv[i], 0);
		globfree(&g);
	}
	if (nr_nodes)
		add_mknod_nodes();
	if ((uint64_t)nr_nodes > sh->nodes_seen)
		sh->nodes_seen = (uint64_t)nr_nodes;
}

/* ---- values ---- */

static off_t odd_offset(void)
{
	switch (fz_below(&rng, 10)) {
	case 0:
		return 0;
	case 1:
		return (off_t)fz_below(&rng, 256);
	case 2:
		return (off_t)(0x800 + fz_below(&rng, 16));
	case 3:
		return (off_t)(0x80000000UL + fz_below(&rng, 32));
	case 4:
		return (off_t)(0xc0000000UL + fz_below(&rng, 0x200));
	case 5:
		return (off_t)((1ULL << fz_below(&rng, 63)) + fz_below(&rng, 3) - 1);
	case 6:
		return (off_t)(fz_below(&rng, 16) << 32 | fz_below(&rng, 32));
	case 7:
		return -(off_t)fz_below(&rng, 4096) - 1;
	case 8:
		return INT64_MAX - (off_t)fz_below(&rng, 16);
	default:
		return (off_t)fz_next(&rng);
	}
}

/* Big sizes are rare: a read of a cpuid node costs one IPI per 16 bytes. */
static size_t odd_size(void)
{
	static const size_t sz[] = { 0, 1, 3, 7, 8, 9, 15, 16, 17, 24, 32, 48, 64 };
	static const size_t big[] = { 4095, 4096, 4097 };

	/*
	 * Not for the unload test's reader (--reads): a 1 MiB read of a cpuid
	 * node is 65,536 IPIs, minutes under TCG in the debug flavour, during
	 * which the module cannot go.
	 */
	if (!reads_only && fz_below(&rng, 1000) < 3)
		return fz_chance(&rng, 90) ? 65536 : 1 << 20;
	if (fz_chance(&rng, 5))
		return big[fz_below(&rng, ARRAY_SIZE(big))];
	return sz[fz_below(&rng, ARRAY_SIZE(sz))];
}

#define BIGBUF		((1UL << 20) + PAGE)
static unsigned char *bigbuf;	/* followed by an unmapped guard page */

/* An ioctl argument: NULL, wild, read-only, unmapped, or random bytes. */
static unsigned long ioc_arg(void)
{
	switch (fz_below(&rng, 8)) {
	case 0:
		return 0;
	case 1:
		return fz_below(&rng, 4096);
	case 2:
		return 0xffffffff81000000UL + fz_below(&rng, 4096);
	case 3:
		return (unsigned long)wild_ro;
	case 4:
		return (unsigned long)wild_gone;
	case 5:
		return (unsigned long)(bigbuf + BIGBUF - fz_below(&rng, 64));
	default:
		fz_bytes(&rng, bigbuf, 512);
		return (unsigned long)bigbuf;
	}
}

static unsigned long known_ioc(void)
{
	size_t i = fz_below(&rng, nr_gen + NR_BORROWED);

	return i < nr_gen ? gen_iocs[i].cmd : borrowed_iocs[i - nr_gen].cmd;
}

static unsigned long ioc_cmd(void)
{
	unsigned long cmd;

	switch (fz_below(&rng, 6)) {
	case 0:
		return (unsigned long)fz_next(&rng) & 0xffffffffUL;
	case 1:
		/* a structured random one: dir, type, nr, size */
		return _IOC(fz_below(&rng, 4), fz_below(&rng, 256), fz_below(&rng, 256),
			    fz_below(&rng, 1 << 14));
	case 2:
		/* a known one with a bit of its size, nr or direction changed */
		cmd = known_ioc();
		return cmd ^ (1UL << fz_below(&rng, 32));
	default:
		return known_ioc();
	}
}

/* ---- mappings ---- */

struct map {
	unsigned char *p;
	size_t len;
	int prot;
};

#define MAX_MAPS 8

static void on_term(int sig)
{
	(void)sig;
	__atomic_store_n(&stop_req, 1, __ATOMIC_RELAXED);
}

static void segv(int sig)
{
	if (__atomic_load_n(&touching, __ATOMIC_RELAXED))
		siglongjmp(touch_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads every page of @m and writes garbage into it where it is writable. */
static void touch(struct map *m, const char *node)
{
	static size_t off;	/* static: survives the longjmp out of a fault */

	note(node, O_TOUCH, "%p len %zu prot %d", m->p, m->len, m->prot);
	sh->ops[O_TOUCH]++;
	sh->total++;
	for (off = 0; off < m->len; off += PAGE) {
		if (sigsetjmp(touch_jmp, 1)) {
			__atomic_store_n(&touching, 0, __ATOMIC_RELAXED);
			sh->faults++;
			continue;
		}
		__atomic_store_n(&touching, 1, __ATOMIC_RELAXED);
		if (m->prot & PROT_READ)
			(void)__atomic_load_n(m->p + off, __ATOMIC_RELAXED);
		if (m->prot & PROT_WRITE) {
			size_t n = m->len - off < PAGE ? m->len - off : PAGE, i;

			/* a few random words, and sometimes the whole page */
			if (fz_chance(&rng, 30)) {
				fz_bytes(&rng, m->p + off, n);
			} else {
				for (i = 0; i < 8; i++) {
					size_t at = fz_below(&rng, n / 8) * 8;

					__atomic_store_n((uint64_t *)(m->p + off + at),
							 fz_next(&rng), __ATOMIC_RELAXED);
				}
			}
		}
		__atomic_store_n(&touching, 0, __ATOMIC_RELAXED);
	}
}

static void map_one(int fd, struct map *maps, int *nmaps, const char *node)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_WRITE, PROT_READ | PROT_WRITE,
				     PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC };
	size_t len = fz_chance(&rng, 80) ? PAGE * (1 + fz_below(&rng, 8)) : odd_size();
	int prot = prots[fz_below(&rng, 6)];
	int flags = fz_chance(&rng, 75) ? MAP_SHARED : MAP_PRIVATE;
	off_t off;
	void *p;

	switch (fz_below(&rng, 5)) {
	case 0:
		off = 0;
		break;
	case 1:
		off = (off_t)(PAGE * fz_below(&rng, 16));
		break;
	case 2:
		off = (off_t)(1ULL << (12 + fz_below(&rng, 40)));
		break;
	case 3:
		off = (off_t)((1ULL << (12 + fz_below(&rng, 40))) + PAGE * fz_below(&rng, 4));
		break;
	default:
		off = odd_offset();
		break;
	}
	if (fz_chance(&rng, 10))
		flags |= MAP_POPULATE;
	if (fz_chance(&rng, 5))
		flags |= MAP_LOCKED;
	note(node, O_MMAP, "len %zu prot %d flags %#x off %#llx", len, prot, flags,
	     (unsigned long long)off);
	p = mmap(NULL, len, prot, flags, fd, off);
	count(O_MMAP, p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED || *nmaps >= MAX_MAPS) {
		if (p != MAP_FAILED)
			munmap(p, len);
		return;
	}
	maps[*nmaps].p = p;
	maps[*nmaps].len = len;
	maps[*nmaps].prot = prot;
	(*nmaps)++;
}

static void unmap_all(struct map *maps, int *nmaps)
{
	while (*nmaps) {
		(*nmaps)--;
		munmap(maps[*nmaps].p, maps[*nmaps].len);
	}
}

/* ---- one open file, many operations ---- */

struct closer {
	int fd;
	struct map *maps;
	int nmaps;
	unsigned int delay_us;
	uint64_t seed;
	const char *node;
};

/* The second thread: hammers the fd a little, then closes it and unmaps. */
static void *closer_main(void *arg)
{
	struct closer *c = arg;
	unsigned char buf[64];
	struct fz_rng r = { c->seed };
	int i;

	for (i = 0; i < 4; i++)
		if (pread(c->fd, buf, 8 << fz_below(&r, 2), (off_t)fz_below(&r, 64)) < 0 &&
		    errno == EBADF)
			break;
	usleep(c->delay_us);
	close(c->fd);
	for (i = 0; i < c->nmaps; i++)
		if (fz_chance(&r, 50))
			munmap(c->maps[i].p, c->maps[i].len);
	return NULL;
}

static void one_op(int fd, const char *node, struct map *maps, int *nmaps)
{
	unsigned int k = (unsigned int)fz_below(&rng, reads_only ? 3 : 16);
	struct iovec iov[2];
	size_t n = odd_size();
	off_t off = odd_offset();
	unsigned long cmd, arg;
	long r;
	int i;

	if (reads_only)
		k = k == 0 ? 2 : 0;	/* pread or read */
	switch (k) {
	case 0:
		note(node, O_PREAD, "size %zu off %#llx", n, (unsigned long long)off);
		count(O_PREAD, pread(fd, bigbuf, n, off));
		break;
	case 1:
		fz_bytes(&rng, bigbuf, n > 256 ? 256 : n);
		note(node, O_PWRITE, "size %zu off %#llx", n, (unsigned long long)off);
		count(O_PWRITE, pwrite(fd, bigbuf, n, off));
		break;
	case 2:
		note(node, O_READ, "size %zu", n);
		count(O_READ, read(fd, bigbuf, n));
		break;
	case 3:
		note(node, O_WRITE, "size %zu", n);
		count(O_WRITE, write(fd, bigbuf, n));
		break;
	case 4:
		iov[0].iov_base = bigbuf;
		iov[0].iov_len = n / 2;
		iov[1].iov_base = fz_chance(&rng, 20) ? (void *)wild_gone : bigbuf + n / 2;
		iov[1].iov_len = n - n / 2;
		i = (int)(fz_chance(&rng, 50) ? 0 : 1 << fz_below(&rng, 6));
		note(node, O_PREADV2, "size %zu off %#llx flags %#x", n,
		     (unsigned long long)off, i);
		count(O_PREADV2, preadv2(fd, iov, 2, off, i));
		break;
	case 5:
		i = (int)fz_below(&rng, 8);
		note(node, O_LSEEK, "off %#llx whence %d", (unsigned long long)off, i);
		count(O_LSEEK, (long)lseek(fd, off, i));
		break;
	case 6:
	case 7:
	case 8:
		cmd = ioc_cmd();
		arg = ioc_arg();
		note(node, O_IOCTL, "cmd %#lx arg %#lx", cmd, arg);
		count(O_IOCTL, ioctl(fd, cmd, arg));
		break;
	case 9:
	case 10:
		map_one(fd, maps, nmaps, node);
		if (*nmaps && fz_chance(&rng, 80))
			touch(&maps[*nmaps - 1], node);
		break;
	case 11:
		if (!*nmaps || maps_shared)
			break;
		i = (int)fz_below(&rng, *nmaps);
		switch (fz_below(&rng, 4)) {
		case 0:
			note(node, O_MPROTECT, "%p", maps[i].p);
			r = mprotect(maps[i].p, maps[i].len, PROT_READ | PROT_WRITE);
			if (!r)
				maps[i].prot = PROT_READ | PROT_WRITE;
			count(O_MPROTECT, r);
			break;
		case 1: {
			size_t nl = maps[i].len + PAGE * fz_below(&rng, 4);
			void *p;

			note(node, O_MREMAP, "%p %zu -> %zu", maps[i].p, maps[i].len, nl);
			p = mremap(maps[i].p, maps[i].len, nl, MREMAP_MAYMOVE);
			count(O_MREMAP, p == MAP_FAILED ? -1 : 0);
			if (p != MAP_FAILED) {
				maps[i].p = p;
				maps[i].len = nl;
			}
			break;
		}
		case 2: {
			static const int adv[] = { MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK,
						    MADV_WILLNEED, MADV_REMOVE, MADV_COLD };
			int a = adv[fz_below(&rng, 6)];

			note(node, O_MADVISE, "%p advice %d", maps[i].p, a);
			count(O_MADVISE, madvise(maps[i].p, maps[i].len, a));
			break;
		}
		default:
			/* unmap the first page only: splits the vma */
			note(node, O_MUNMAP, "%p first page", maps[i].p);
			r = munmap(maps[i].p, PAGE);
			count(O_MUNMAP, r);
			if (!r && maps[i].len > PAGE) {
				maps[i].p += PAGE;
				maps[i].len -= PAGE;
			} else if (!r) {
				maps[i] = maps[--(*nmaps)];
			}
			break;
		}
		break;
	case 12: {
		struct pollfd pfd = { .fd = fd, .events = (short)fz_next(&rng) };

		note(node, O_POLL, "events %#x", pfd.events);
		count(O_POLL, poll(&pfd, 1, 0));
		break;
	}
	case 13:
		i = (int)(fz_next(&rng) & (O_NONBLOCK | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME));
		note(node, O_FCNTL, "F_SETFL %#x", i);
		count(O_FCNTL, fcntl(fd, F_SETFL, i));
		break;
	case 14: {
		int d;

		note(node, O_DUP, "%s", "dup, op, close");
		d = dup(fd);
		count(O_DUP, d);
		if (d >= 0) {
			count(O_PREAD, pread(d, bigbuf, 16, (off_t)fz_below(&rng, 32)));
			close(d);
		}
		break;
	}
	default:
		if (*nmaps)
			touch(&maps[fz_below(&rng, *nmaps)], node);
		break;
	}
}

/* Opens @node and runs a random sequence on it; sometimes with a closing thread or a child. */
static void round_on(const char *node)
{
	static const int accm[] = { O_RDONLY, O_WRONLY, O_RDWR };
	struct map maps[MAX_MAPS];
	int nmaps = 0, flags, fd, n, i;
	pthread_t th;
	struct closer c;
	bool threaded = !reads_only && fz_chance(&rng, 10);
	bool forked = !reads_only && !threaded && fz_chance(&rng, 8);

	flags = reads_only ? O_RDONLY : accm[fz_below(&rng, 3)];
	if (fz_chance(&rng, 30))
		flags |= (int)(fz_next(&rng) & (O_NONBLOCK | O_APPEND | O_SYNC | O_NOCTTY |
						O_TRUNC | O_EXCL | O_DIRECT));
	note(node, O_OPEN, "flags %#x", flags);
	fd = open(node, flags | O_CLOEXEC);
	count(O_OPEN, fd);
	if (fd < 0)
		return;
	n = 1 + (int)fz_below(&rng, 24);
	for (i = 0; i < n / 2; i++)
		one_op(fd, node, maps, &nmaps);
	if (threaded) {
		c.fd = fd;
		c.maps = maps;
		c.nmaps = nmaps;
		c.delay_us = (unsigned int)fz_below(&rng, 300);
		c.seed = fz_next(&rng);
		c.node = node;
		note(node, O_THREAD_CLOSE, "after %u us", c.delay_us);
		sh->ops[O_THREAD_CLOSE]++;
		if (pthread_create(&th, NULL, closer_main, &c) == 0) {
			maps_shared = true;
			for (i = n / 2; i < n; i++)
				one_op(fd, node, maps, &nmaps);
			pthread_join(th, NULL);
			maps_shared = false;
			/* the thread unmapped some: forget all, unmap again (EINVAL-free) */
			unmap_all(maps, &nmaps);
			return;
		}
	}
	if (forked) {
		unsigned int delay = (unsigned int)fz_below(&rng, 3000);
		uint64_t cseed = fz_next(&rng);
		pid_t pid;

		note(node, O_FORK, "child killed after %u us", delay);
		sh->ops[O_FORK]++;
		pid = fork();
		if (pid == 0) {
			rng.s = cseed;
			for (i = 0; i < 64; i++)
				one_op(fd, node, maps, &nmaps);
			_exit(0);
		}
		if (pid > 0) {
			usleep(delay);
			if (fz_chance(&rng, 70)) {
				kill(pid, SIGKILL);
				sh->ops[O_KILL]++;
			}
			waitpid(pid, NULL, 0);
		}
	}
	for (i = n / 2; i < n; i++)
		one_op(fd, node, maps, &nmaps);
	if (fz_chance(&rng, 50)) {
		/* close with the mappings still in place, unmap after */
		note(node, O_CLOSE, "%s", "before munmap");
		count(O_CLOSE, close(fd));
		unmap_all(maps, &nmaps);
	} else {
		unmap_all(maps, &nmaps);
		note(node, O_CLOSE, "%s", "after munmap");
		count(O_CLOSE, close(fd));
	}
}

static int check_splat(void)
{
	char line[512];
	unsigned int i;

	if (!fz_watch_check(line, sizeof(line)))
		return 0;
	printf("SPLAT: %s\n# after %" PRIu64 " operations; the last ones, oldest first:\n", line,
	       sh->total);
	for (i = 0; i < 16; i++)
		if (sh->last[(sh->last_i + i) % 16][0])
			printf("#   %s\n", sh->last[(sh->last_i + i) % 16]);
	sh->failed = 1;
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "glob", required_argument, NULL, 'g' },
		{ "reads", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = fz_seed_now(), max_ops = 0, next_discover = 0;
	double secs = 0, t0, until;
	struct sigaction sa = { .sa_handler = segv, .sa_flags = SA_NODEFER };
	int c, e, rc = 0, k;

	while ((c = getopt_long(argc, argv, "s:n:d:g:rv", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			max_ops = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			secs = strtod(optarg, NULL);
			break;
		case 'g':
			if (nr_globs < 16)
				globs[nr_globs++] = optarg;
			break;
		case 'r':
			reads_only = true;
			break;
		case 'v':
			verbose++;
			break;
		default:
			fprintf(stderr, "%s\n",
				"usage: devfuzz [--seed N] [--ops N | --duration SEC] [--glob PATTERN]... [--reads] [-v]");
			return 2;
		}
	}
	if (!max_ops && !secs)
		max_ops = 10000;
	if (!nr_globs)
		globs[nr_globs++] = "/dev/lpar_*";
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	wild_ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	wild_gone = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bigbuf = mmap(NULL, BIGBUF + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (sh == MAP_FAILED || wild_ro == MAP_FAILED || wild_gone == MAP_FAILED ||
	    bigbuf == MAP_FAILED)
		return 1;
	munmap(wild_gone, PAGE);
	munmap(bigbuf + BIGBUF, PAGE);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_term;
	sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, NULL);
	rng.s = seed;
	while (gen_iocs[nr_gen].name)
		nr_gen++;
	printf("# devfuzz seed %" PRIu64 " (reproduce with --seed %" PRIu64 "), %zu known ioctls\n",
	       seed, seed, nr_gen + NR_BORROWED);
	fz_watch_open();
	if (!getuid() && !reads_only)
		fz_catch_begin();
	t0 = now();
	until = secs ? t0 + secs : 0;
	while ((!max_ops || sh->total < max_ops) && (!until || now() < until)) {
		if (__atomic_load_n(&stop_req, __ATOMIC_RELAXED))
			break;
		if (sh->total >= next_discover) {
			discover();
			next_discover = sh->total + 2000;
			if (!nr_nodes) {
				if (reads_only) {
					usleep(20000);
					next_discover = 0;
					continue;
				}
				printf("# no char device matches");
				for (k = 0; k < nr_globs; k++)
					printf(" %s", globs[k]);
				printf("\n");
				rc = 1;
				break;
			}
		}
		round_on(nodes[fz_below(&rng, nr_nodes)]);
		sh->rounds++;
		if (reads_only)
			usleep(1000);	/* leave gaps in which the module can go */
		if (!reads_only && check_splat()) {
			rc = 1;
			break;
		}
	}
	if (!rc && check_splat())
		rc = 1;
	fz_catch_end();
	if (!reads_only && !getuid() && system("rm -rf " MKNOD_DIR))
		printf("# could not remove %s\n", MKNOD_DIR);
	printf("# %" PRIu64 " device operations in %" PRIu64 " rounds over %" PRIu64
	       " nodes, %.1f s; %" PRIu64 " faults on mappings (expected)\n# per op:",
	       sh->total, sh->rounds, sh->nodes_seen, now() - t0, sh->faults);
	for (k = 0; k < NR_OPK; k++)
		if (sh->ops[k])
			printf(" %s=%" PRIu64, opk_name[k], sh->ops[k]);
	printf("\n# per errno:");
	for (e = 0; e < NERR; e++)
		if (sh->err[e])
			printf(" %s=%" PRIu64, e ? strerrorname_np(e) : "ok", sh->err[e]);
	printf("\n# devfuzz: %s, seed %" PRIu64 ", %" PRIu64 " operations\n",
	       rc ? "FAILED" : "clean", seed, sh->total);
	return rc;
}
