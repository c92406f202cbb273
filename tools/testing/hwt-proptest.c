// SPDX-License-Identifier: GPL-2.0
/*
 * hwt-proptest: the property tests of the hwthread translation engine,
 * run in userspace at a scale KUnit under TCG cannot afford. It builds
 * hwthread_virt/xlate.c and the pure property code of the KUnit suite
 * (kunit/hwthread_xlate_test.c) into one program, so both run the very
 * same properties: every CPU subset of every host up to 2 sockets x 4
 * cores x 2 threads for both vendors, the clip boundaries, and by default
 * 10,000 seeded random hosts and partitions. Output is TAP with a summary;
 * the exit status is 1 on any failure, 2 on a usage error.
 *
 * usage: hwt-proptest [-n CONFIGS] [-s SEED]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lpar_core/pure.h"
#include "tools/lib/compiler.h"

/* The kernel's prandom_*_state() interface over L'Ecuyer's LFSR113. */
struct rnd_state {
	u32 s1, s2, s3, s4;
};

static u32 lfsr_step(u32 s, u32 a, u32 b, u32 mask, u32 c)
{
	return ((s & mask) << c) ^ (((s << a) ^ s) >> b);
}

static u32 prandom_u32_state(struct rnd_state *st)
{
	st->s1 = lfsr_step(st->s1, 6, 13, 4294967294U, 18);
	st->s2 = lfsr_step(st->s2, 2, 27, 4294967288U, 2);
	st->s3 = lfsr_step(st->s3, 13, 21, 4294967280U, 7);
	st->s4 = lfsr_step(st->s4, 3, 12, 4294967168U, 13);
	return st->s1 ^ st->s2 ^ st->s3 ^ st->s4;
}

static void prandom_seed_state(struct rnd_state *st, u64 seed)
{
	u32 i = (u32)((seed >> 32) ^ (seed << 10) ^ seed);

	/* Each word needs a minimum value for the generator to be full. */
	st->s1 = i * 69069U + 2;
	st->s2 = st->s1 * 69069U + 8;
	st->s3 = st->s2 * 69069U + 16;
	st->s4 = st->s3 * 69069U + 128;
	if (st->s1 < 2)
		st->s1 += 2;
	if (st->s2 < 8)
		st->s2 += 8;
	if (st->s3 < 16)
		st->s3 += 16;
	if (st->s4 < 128)
		st->s4 += 128;
	for (i = 0; i < 10; i++)
		prandom_u32_state(st);
}

#include "../../kunit/hwthread_xlate_test.c"

static void *pt_alloc(struct pt *pt, size_t size)
{
	(void)pt;
	return calloc(1, size);
}

static void pt_fail(struct pt *pt, const char *fmt, ...)
{
	va_list args;

	if (++pt->failures > PT_MAX_FAILS)
		return;
	va_start(args, fmt);
	fputs("# FAIL: ", stdout);
	vprintf(fmt, args);
	putchar('\n');
	va_end(args);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct group {
	const char *name;
	void (*run)(struct pt *pt, unsigned long arg);
	unsigned long arg;
};

static void run_example(struct pt *pt, unsigned long arg)
{
	(void)arg;
	pt_example_vm(pt);
}

static void run_refusals(struct pt *pt, unsigned long arg)
{
	(void)arg;
	pt_refusals(pt);
}

static void run_exhaustive(struct pt *pt, unsigned long vendor)
{
	pt_exhaustive_all(pt, vendor);
}

static void run_edges(struct pt *pt, unsigned long arg)
{
	(void)arg;
	pt_edges_all(pt);
}

static void run_random(struct pt *pt, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		pt_random_config(pt, 256);
}

static void bad_usage(void)
{
	fputs("usage: hwt-proptest [-n CONFIGS] [-s SEED]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long configs = 10000, i;
	unsigned long long seed = 0x6877745f78ULL;
	struct group groups[] = {
		{ "the VM example (2 sockets x 2 cores x 2 threads)", run_example, 0 },
		{ "refusals name their reason and CPUs", run_refusals, 0 },
		{ "every subset of hosts up to 2x4x2, Intel", run_exhaustive,
		  HWT_VENDOR_INTEL },
		{ "every subset of hosts up to 2x4x2, AMD", run_exhaustive,
		  HWT_VENDOR_AMD },
		{ "clip boundaries (C = 64/65, T x C = 255/256)", run_edges, 0 },
		{ "random configurations", run_random, 0 },
	};
	u64 failed = 0, fails_before, maps_before, configs_before;
	double start = now(), t0;
	struct pt pt;
	char *end;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:h")) != -1) {
		switch (opt) {
		case 'n':
			configs = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				bad_usage();
			break;
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg)
				bad_usage();
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc)
		bad_usage();
	groups[ARRAY_SIZE(groups) - 1].arg = configs;
	if (pt_setup(&pt, seed, NULL)) {
		fputs("hwt-proptest: out of memory\n", stderr);
		return 1;
	}
	printf("TAP version 13\n1..%zu\n# seed %#llx\n", ARRAY_SIZE(groups), seed);
	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		fails_before = pt.failures;
		maps_before = pt.maps;
		configs_before = pt.configs;
		t0 = now();
		groups[i].run(&pt, groups[i].arg);
		printf("%s %lu - %s # %llu partitions, %llu maps, %.2f s\n",
		       pt.failures == fails_before ? "ok" : "not ok", i + 1,
		       groups[i].name,
		       (unsigned long long)(pt.configs - configs_before),
		       (unsigned long long)(pt.maps - maps_before), now() - t0);
		failed += pt.failures != fails_before;
	}
	printf("# %llu partitions, %llu maps built and checked, %llu rightly refused, ",
	       (unsigned long long)pt.configs, (unsigned long long)pt.maps,
	       (unsigned long long)pt.refused);
	printf("%llu failures, %.2f s\n", (unsigned long long)pt.failures,
	       now() - start);
	return failed ? 1 : 0;
}
