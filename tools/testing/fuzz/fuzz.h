/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nlfuzz and devfuzz share: a seeded generator (splitmix64, so a run
 * is reproduced from the seed it prints), the kernel-log watcher that
 * stops a run on the first splat, and a hex dump for the culprit.
 */
#ifndef LPAR_FUZZ_H
#define LPAR_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fz_rng {
	uint64_t s;
};

static inline uint64_t fz_next(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
static inline uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return n ? fz_next(r) % n : 0;
}

/* True with probability pct/100. */
static inline int fz_chance(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

static inline void fz_bytes(struct fz_rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)fz_next(r);
}

/* A seed from the clock when none was given. */
uint64_t fz_seed_now(void);

/*
 * The kernel-log watcher: opened (before any privilege drop) at the end of
 * /dev/kmsg; fz_watch_check() reads what was logged since and returns 1 on
 * the first line that tools/vm/splat.sh would call a splat (or a new taint
 * bit), copying that line to @line.
 */
int fz_watch_open(void);
int fz_watch_check(char *line, size_t len);

/*
 * With the harness's panic_on_warn=1 and oops=panic a WARN would end the VM
 * before the fuzzer could name the message that caused it; while catching,
 * both are off (the console log still carries the splat, so the run fails
 * all the same). fz_catch_end() restores them.
 */
void fz_catch_begin(void);
void fz_catch_end(void);

void fz_hexdump(FILE *f, const void *buf, size_t len);

#endif
