// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hwthread_xlate" for the exclusive-core translation engine
 * (hwthread_virt/xlate.c). It builds maps for every CPU subset of every
 * host up to 2 sockets x 4 cores x 2 threads and for seeded random hosts
 * and partitions up to T = 8, C = 256, and checks each against a shape
 * computed here by counting, against hwt_map_check() (Linux's own reading
 * of the leaves), for bit-identical pass-through, for blindness to which
 * threads of a core the partition holds and to what other partitions do,
 * and at the field clip boundaries. The property code above the KUnit glue
 * is pure C: tools/testing/hwt-proptest.c includes this file and runs the
 * same properties on many more configurations.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#endif

/* A module cannot link another module's object: build the engine in. */
#include "../hwthread_virt/xlate.c"

#define PT_HOST_MAX	4096	/* CPUs of the largest test host */
#define PT_MAX_CACHES	5
#define PT_MAX_FAILS	20	/* failures reported in full */

enum pt_numbering {
	PT_NUM_SEQ,	/* Linux CPU numbers in x2APIC id order, as QEMU */
	PT_NUM_LINUX,	/* all first threads, then all second threads */
	PT_NUM_RANDOM,
};

/* A host cache: type and level as leaf 4 has them, 2^share_bits sharers. */
struct pt_cache {
	u8 type;
	u8 level;
	u8 share_bits;
};

/* A made-up host: its description for the engine and its CPUID. */
struct pt_host {
	struct hwt_host h;
	u32 sockets;
	u32 cores;
	u32 threads;
	u32 seed;
	u8 die_level;		/* leaf 0x1F has a die level above the core */
	u32 ncaches;
	struct pt_cache cache[PT_MAX_CACHES];
	struct hwt_host_cpu cpu[PT_HOST_MAX];
	u32 slot[PT_HOST_MAX];	/* socket * cores + core of each CPU */
	u32 lin[PT_HOST_MAX];	/* Linux CPU of (slot, thread) */
};

struct pt {
	struct rnd_state rnd;
	void *priv;		/* the struct kunit, or the tool's state */
	u64 configs;		/* partitions tried */
	u64 maps;		/* maps built and checked */
	u64 refused;		/* partitions rightly refused */
	u64 failures;
	struct pt_host *host;
	struct hwt_map *map;
	struct hwt_map *map2;
	unsigned long *cpus;
	unsigned long *cpus2;
	unsigned long *mask;
	u32 *cnt;
	u32 *ids;
	u64 *digest;
};

/* Provided by the environment: KUnit below, or the userspace tool. */
static void *pt_alloc(struct pt *pt, size_t size);
static __printf(2, 3) void pt_fail(struct pt *pt, const char *fmt, ...);

#define PT_BITMAP_BYTES	(PT_HOST_MAX / 8)

static int pt_setup(struct pt *pt, u64 seed, void *priv)
{
	memset(pt, 0, sizeof(*pt));
	pt->priv = priv;
	prandom_seed_state(&pt->rnd, seed);
	pt->host = pt_alloc(pt, sizeof(*pt->host));
	pt->map = pt_alloc(pt, hwt_map_size(PT_HOST_MAX));
	pt->map2 = pt_alloc(pt, hwt_map_size(PT_HOST_MAX));
	pt->cpus = pt_alloc(pt, PT_BITMAP_BYTES);
	pt->cpus2 = pt_alloc(pt, PT_BITMAP_BYTES);
	pt->mask = pt_alloc(pt, PT_BITMAP_BYTES);
	pt->cnt = pt_alloc(pt, PT_HOST_MAX * sizeof(u32));
	pt->ids = pt_alloc(pt, PT_HOST_MAX * sizeof(u32));
	pt->digest = pt_alloc(pt, PT_HOST_MAX * sizeof(u64));
	if (!pt->host || !pt->map || !pt->map2 || !pt->cpus || !pt->cpus2 ||
	    !pt->mask || !pt->cnt || !pt->ids || !pt->digest)
		return -ENOMEM;
	return 0;
}

static u32 pt_rnd(struct pt *pt, u32 n)
{
	return prandom_u32_state(&pt->rnd) % n;
}

static void pt_zero(unsigned long *bits)
{
	memset(bits, 0, PT_BITMAP_BYTES);
}

static u32 pt_weight(const unsigned long *bits, u32 nbits)
{
	u32 i, n = 0;

	for (i = 0; i < nbits; i++)
		n += lpar_bit(bits, i);
	return n;
}

/* Host bits that carry no topology: the same on every CPU of the host. */
static u32 pt_noise(const struct pt_host *ph, u32 leaf, u32 sub, u32 reg)
{
	u32 x = ph->seed ^ leaf * 0x9e3779b1U ^ sub * 0x85ebca77U ^ reg * 0xc2b2ae3dU;

	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

/**
 * pt_host_init() - make up a host
 * @pt: the test state; its host is overwritten
 * @vendor: whose leaves it has
 * @sockets: packages
 * @cores: cores per package
 * @threads: threads per core
 * @gap: spare core id bits, as hosts with holes in their x2APIC ids have
 * @num: how Linux numbers its CPUs
 */
static void pt_host_init(struct pt *pt, enum hwt_vendor vendor, u32 sockets,
			 u32 cores, u32 threads, u32 gap, enum pt_numbering num)
{
	struct pt_host *ph = pt->host;
	u32 smt = hwt_order(threads), pkg = smt + hwt_order(cores) + gap;
	u32 n = sockets * cores * threads, i;

	ph->sockets = sockets;
	ph->cores = cores;
	ph->threads = threads;
	ph->seed = prandom_u32_state(&pt->rnd);
	ph->die_level = 0;
	ph->h = (struct hwt_host){
		.vendor = vendor,
		.max_basic_leaf = vendor == HWT_VENDOR_AMD ? 0x10 : 0x1f,
		.max_ext_leaf = vendor == HWT_VENDOR_AMD ? 0x80000026 : 0x80000008,
		.smt_shift = smt,
		.pkg_shift = pkg,
		.nr_cpus = n,
		.cpu = ph->cpu,
	};
	/* L1d, L1i and L2 per core, L3 per package. */
	ph->ncaches = 4;
	ph->cache[0] = (struct pt_cache){ 1, 1, smt };
	ph->cache[1] = (struct pt_cache){ 2, 1, smt };
	ph->cache[2] = (struct pt_cache){ 3, 2, smt };
	ph->cache[3] = (struct pt_cache){ 3, 3, pkg };
	for (i = 0; i < n; i++) {
		u32 t = i % threads, slot = i / threads, cpu;

		switch (num) {
		case PT_NUM_LINUX:
			cpu = t * sockets * cores + slot;
			break;
		default:
			cpu = i;
			break;
		}
		ph->lin[i] = cpu;
	}
	if (num == PT_NUM_RANDOM) {
		for (i = n; i-- > 1;) {
			u32 k = pt_rnd(pt, i + 1), tmp = ph->lin[i];

			ph->lin[i] = ph->lin[k];
			ph->lin[k] = tmp;
		}
	}
	for (i = 0; i < n; i++) {
		u32 t = i % threads, slot = i / threads;
		u32 s = slot / cores, c = slot % cores, cpu = ph->lin[i];

		/* Sparse but ordered ids: the engine must only compare them. */
		ph->cpu[cpu] = (struct hwt_host_cpu){
			.apicid = t | c << smt | s << pkg,
			.pkg = s * 5 + 2,
			.core = c * 3 + 1,
			.thread = t,
			.present = 1,
		};
		ph->slot[cpu] = slot;
	}
}

/* A random cache layout: per thread, per core, per 2 cores, per package. */
static void pt_host_random_caches(struct pt *pt)
{
	struct pt_host *ph = pt->host;
	u32 smt = ph->h.smt_shift, pkg = ph->h.pkg_shift, i;

	ph->ncaches = 1 + pt_rnd(pt, PT_MAX_CACHES);
	for (i = 0; i < ph->ncaches; i++) {
		u32 bits[4] = { 0, smt, smt + 1 < pkg ? smt + 1 : pkg, pkg };

		ph->cache[i] = (struct pt_cache){
			.type = 1 + pt_rnd(pt, 3),
			.level = 1 + i,
			.share_bits = bits[pt_rnd(pt, 4)],
		};
	}
}

/* What CPUID returns on one CPU of the made-up host. */
static void pt_host_cpuid(void *ctx, u32 cpu, u32 leaf, u32 sub, u32 r[4])
{
	const struct pt_host *ph = ctx;
	const struct hwt_host_cpu *c = &ph->cpu[cpu];
	bool amd = ph->h.vendor == HWT_VENDOR_AMD, other;
	u32 smt = ph->h.smt_shift, pkg = ph->h.pkg_shift, i, per_pkg;

	for (i = 0; i < 4; i++)
		r[i] = pt_noise(ph, leaf, sub, i);
	if (leaf < 0x80000000 ? leaf > ph->h.max_basic_leaf :
	    leaf > ph->h.max_ext_leaf)
		return;
	/* Intel reserves AMD's topology leaves: they read as 0. */
	if (!amd && (leaf == 0x8000001e || leaf == 0x80000026)) {
		memset(r, 0, 4 * sizeof(u32));
		return;
	}
	per_pkg = ph->cores * ph->threads;
	switch (leaf) {
	case 0x1:
		r[1] = (r[1] & 0xffff) | (c->apicid & 0xff) << 24 |
		       min_u32(amd ? per_pkg : 1U << pkg, 255) << 16;
		r[3] |= 1U << 28;
		break;
	case 0x4:
	case 0x8000001d:
		/* Leaf 4 is Intel's, 0x8000001D AMD's: the other reads 0. */
		other = leaf == 0x4 ? amd : !amd;
		if (other || sub >= ph->ncaches) {
			r[0] = 0;
			r[1] = 0;
			r[2] = 0;
			r[3] = 0;
			break;
		}
		r[0] = ph->cache[sub].type | ph->cache[sub].level << 5 |
		       (r[0] & 0x3f00) |
		       min_u32((1U << ph->cache[sub].share_bits) - 1, 0xfff) << 14;
		if (leaf == 0x4)
			r[0] |= min_u32((1U << (pkg - smt)) - 1, 63) << 26;
		else
			r[0] &= 0x03ffffff;
		break;
	case 0xb:
	case 0x1f:
	case 0x80000026:
		r[3] = c->apicid;
		if (sub == 0) {
			r[0] = smt;
			r[1] = ph->threads;
			r[2] = 1 << 8;
		} else if (sub == 1 || (sub == 2 && leaf == 0x1f && ph->die_level)) {
			r[0] = pkg;
			r[1] = per_pkg;
			r[2] = (sub == 1 ? 2 : 5) << 8 | sub;
		} else {
			r[0] = 0;
			r[1] = 0;
			r[2] = sub & 0xff;
		}
		break;
	case 0x80000008:
		r[2] = (r[2] & ~0xf0ffU) | pkg << 12 | min_u32(per_pkg - 1, 255);
		break;
	case 0x8000001e:
		r[0] = c->apicid;
		r[1] = (r[1] & ~0xffffU) | (ph->threads - 1) << 8 |
		       ((c->apicid >> smt) & 0xff);
		break;
	}
}

/*
 * The shape a partition should get, by counting threads per host core:
 * T, C and the number of packages, -ENOENT if empty, -EINVAL if uneven.
 */
static int pt_ref_shape(struct pt *pt, const unsigned long *cpus, u32 *t,
			u32 *c, u32 *p)
{
	const struct pt_host *ph = pt->host;
	u32 slots = ph->sockets * ph->cores, s, k, cpu;

	memset(pt->cnt, 0, slots * sizeof(u32));
	for (cpu = 0; cpu < ph->h.nr_cpus; cpu++)
		if (lpar_bit(cpus, cpu))
			pt->cnt[ph->slot[cpu]]++;
	*t = 0;
	*c = 0;
	*p = 0;
	for (s = 0; s < ph->sockets; s++) {
		u32 used = 0;

		for (k = s * ph->cores; k < (s + 1) * ph->cores; k++) {
			if (!pt->cnt[k])
				continue;
			if (*t && pt->cnt[k] != *t)
				return -EINVAL;
			*t = pt->cnt[k];
			used++;
		}
		*p += !!used;
		*c = used > *c ? used : *c;
	}
	return *t ? 0 : -ENOENT;
}

static void pt_check_error(struct pt *pt, int ref, int ret,
			   const struct hwt_build_err *err)
{
	const struct pt_host *ph = pt->host;

	pt->refused++;
	if (ret != -EINVAL) {
		pt_fail(pt, "accepted a partition with %s", ref == -ENOENT ?
			"no CPU" : "uneven threads per core");
		return;
	}
	if (ref == -ENOENT) {
		if (err->reason != HWT_ERR_EMPTY)
			pt_fail(pt, "empty partition refused as \"%s\"",
				hwt_reason_str(err->reason));
		return;
	}
	/* The refusal names two member CPUs whose cores differ in T. */
	if (err->reason != HWT_ERR_UNEVEN || err->n == err->m ||
	    !lpar_bit(pt->cpus, err->cpu) || !lpar_bit(pt->cpus, err->other) ||
	    pt->cnt[ph->slot[err->cpu]] != err->n ||
	    pt->cnt[ph->slot[err->other]] != err->m)
		pt_fail(pt, "uneven partition refused as \"%s\" cpu %u/%u n %u/%u",
			hwt_reason_str(err->reason), err->cpu, err->other,
			err->n, err->m);
}

/* A few members' sibling masks have T and T x cores-of-package CPUs. */
static void pt_check_siblings(struct pt *pt, const struct hwt_map *map)
{
	u32 i, picks[3] = { 0, map->nr_vcpus - 1, pt_rnd(pt, map->nr_vcpus) };

	for (i = 0; i < 3; i++) {
		u32 cpu = map->cpu[picks[i]].order;
		const struct hwt_vcpu *v = hwt_map_vcpu(map, cpu);
		int core = hwt_map_siblings(map, cpu, HWT_LEVEL_CORE, pt->mask);
		int pkg;

		if (core != (int)map->threads ||
		    pt_weight(pt->mask, map->nr_cpus) != map->threads ||
		    !lpar_bit(pt->mask, cpu))
			pt_fail(pt, "cpu %u: %d thread siblings, T is %u", cpu,
				core, map->threads);
		pkg = hwt_map_siblings(map, cpu, HWT_LEVEL_PKG, pt->mask);
		if (!v || pkg != (int)(map->threads * v->pkg_cores))
			pt_fail(pt, "cpu %u: %d package siblings", cpu, pkg);
		if (hwt_map_siblings(map, cpu, HWT_LEVEL_THREAD, pt->mask) != 1)
			pt_fail(pt, "cpu %u: thread level is not itself", cpu);
	}
}

/**
 * pt_build() - build a map for pt->cpus and check it against everything
 * @pt: test state, with host and cpus set
 * @map: where to build
 * @flags: HWT_MAP_* flags
 *
 * Return: 0 if a map was built (and checked), else nonzero.
 */
static int pt_build(struct pt *pt, struct hwt_map *map, u32 flags)
{
	struct hwt_build_err err;
	struct hwt_check_fail fail;
	u32 t, c, p;
	int ref, ret;

	pt->configs++;
	ref = pt_ref_shape(pt, pt->cpus, &t, &c, &p);
	ret = hwt_map_build(map, &pt->host->h, pt->cpus, flags, &err);
	if (ref) {
		pt_check_error(pt, ref, ret, &err);
		return -EINVAL;
	}
	if (ret) {
		pt_fail(pt, "refused a partition of %u x %u: %s", c, t,
			hwt_reason_str(err.reason));
		return ret;
	}
	pt->maps++;
	if (map->threads != t || map->cores != c || map->packages != p ||
	    map->nr_vcpus != pt_weight(pt->cpus, pt->host->h.nr_cpus)) {
		pt_fail(pt, "map is %u pkgs x %u cores x %u threads, expected %u x %u x %u",
			map->packages, map->cores, map->threads, p, c, t);
		return -EINVAL;
	}
	if (hwt_map_check(map, pt_host_cpuid, pt->host, &fail)) {
		pt_fail(pt, "%u x %u x %u: cpu %u leaf %#x.%u: %s", p, c, t,
			fail.cpu, fail.leaf, fail.subleaf, fail.what);
		return -EINVAL;
	}
	pt_check_siblings(pt, map);
	return 0;
}

/* The bits of a leaf the engine may change, from the SDM and APM. */
static void pt_owned(const struct hwt_map *map, u32 leaf, u32 sub,
		     const u32 in[4], u32 m[4])
{
	bool basic = leaf < 0x80000000 && leaf <= map->max_basic_leaf;
	bool amd = map->vendor == HWT_VENDOR_AMD && leaf >= 0x80000000 &&
		   leaf <= map->max_ext_leaf;
	bool cache = in[0] & 0x1f;

	m[0] = 0;
	m[1] = 0;
	m[2] = 0;
	m[3] = 0;
	if (basic && leaf == 0x1) {
		m[1] = 0xffff0000;	/* initial APIC id, logical count */
		m[3] = 1U << 28;	/* HTT */
	} else if (basic && leaf == 0x4 && cache) {
		m[0] = 0xffffc000;	/* cores/package, sharing */
	} else if (basic && (leaf == 0xb || leaf == 0x1f)) {
		m[0] = ~0U;
		m[1] = ~0U;
		m[2] = ~0U;
		m[3] = ~0U;
	} else if (amd && leaf == 0x80000008) {
		m[2] = 0xf0ff;		/* ApicIdSize, NC */
	} else if (amd && leaf == 0x8000001d && cache) {
		m[0] = 0x03ffc000;	/* NumSharingCache */
	} else if (amd && leaf == 0x8000001e) {
		m[0] = ~0U;		/* extended APIC id */
		m[1] = 0xffff;		/* threads per core, core id */
	} else if (amd && leaf == 0x80000026) {
		m[0] = sub < 2 ? 0x1fffffff : ~0U;
		m[1] = sub < 2 ? 0xffff : ~0U;
		m[2] = ~0U;
		m[3] = ~0U;
	}
}

static const u32 pt_leaves[] = {
	0x0, 0x1, 0x2, 0x3, 0x4, 0x6, 0x7, 0xa, 0xb, 0xd, 0x10, 0x1a, 0x1f,
	0x20, 0x40000000, 0x80000000, 0x80000001, 0x80000007, 0x80000008,
	0x8000001d, 0x8000001e, 0x80000021, 0x80000026, 0x80000027, 0xc0000000,
};

/* Only owned bits change; synthesized leaves ignore the input; MSRs. */
static void pt_check_passthrough(struct pt *pt, const struct hwt_map *map,
				 u32 cpu)
{
	u32 i, k, reg, in[4], in2[4], out[4], out2[4], m[4];
	u64 val, val2, val3, host;

	for (i = 0; i < ARRAY_SIZE(pt_leaves); i++) {
		u32 leaf = pt_leaves[i], sub = pt_rnd(pt, 4);

		for (k = 0; k < 4; k++) {
			in[k] = prandom_u32_state(&pt->rnd);
			in2[k] = prandom_u32_state(&pt->rnd);
		}
		if (pt_rnd(pt, 2))
			in[0] &= ~0x1fU;	/* a null cache subleaf */
		hwt_xlate_cpuid(map, cpu, leaf, sub, in, out);
		pt_owned(map, leaf, sub, in, m);
		for (reg = 0; reg < 4; reg++)
			if ((out[reg] ^ in[reg]) & ~m[reg])
				pt_fail(pt, "cpu %u leaf %#x.%u reg %u: %#x became %#x",
					cpu, leaf, sub, reg, in[reg], out[reg]);
		if (!hwt_cpuid_synthesized(map, leaf))
			continue;
		hwt_xlate_cpuid(map, cpu, leaf, sub, in2, out2);
		if (memcmp(out, out2, sizeof(out)))
			pt_fail(pt, "leaf %#x is synthesized but depends on its input",
				leaf);
	}
	val = ((u64)prandom_u32_state(&pt->rnd) << 32) | prandom_u32_state(&pt->rnd);
	host = val ^ 0x5a5a;
	k = prandom_u32_state(&pt->rnd);
	if (k != HWT_MSR_CORE_THREAD_COUNT && k != HWT_MSR_X2APIC_ID &&
	    k != HWT_MSR_TSC_AUX && hwt_xlate_msr(map, cpu, k, val, &val2) != -EIO)
		pt_fail(pt, "MSR %#x is not translated but did not fail", k);
	for (k = 0; k < 2; k++) {
		u32 msr = k ? HWT_MSR_X2APIC_ID : HWT_MSR_CORE_THREAD_COUNT;

		if (!hwt_msr_synthesized(msr) ||
		    hwt_xlate_msr(map, cpu, msr, val, &val2) ||
		    hwt_xlate_msr(map, cpu, msr, host, &val3) || val2 != val3)
			pt_fail(pt, "MSR %#x depends on the host value", msr);
	}
	if (hwt_xlate_msr(map, cpu, HWT_MSR_TSC_AUX, host, &val) ||
	    (val ^ host) & ~HWT_TSC_AUX_CPU_MASK ||
	    (!(map->flags & HWT_MAP_RENUMBER) && val != host))
		pt_fail(pt, "TSC_AUX %#llx became %#llx", (unsigned long long)host,
			(unsigned long long)val);
	if (hwt_xlate_cpuid(map, map->nr_cpus, 1, 0, in, out) != -ENXIO ||
	    hwt_xlate_msr(map, map->nr_cpus, HWT_MSR_X2APIC_ID, 0, &val) != -ENXIO)
		pt_fail(pt, "a CPU outside the map was translated");
}

static bool pt_multi_subleaf(u32 leaf)
{
	return leaf == 0x4 || leaf == 0x7 || leaf == 0xb || leaf == 0xd ||
	       leaf == 0x1f || leaf == 0x8000001d || leaf == 0x80000026;
}

static u64 pt_fnv(u64 h, u32 word)
{
	return (h ^ word) * 0x100000001b3ULL;
}

/* Everything one CPU of a partition reads through the engine, hashed. */
static u64 pt_digest(struct pt *pt, const struct hwt_map *map, u32 cpu)
{
	u64 h = 0xcbf29ce484222325ULL, val = 0;
	u32 i, sub, in[4], out[4];

	for (i = 0; i < ARRAY_SIZE(pt_leaves); i++) {
		u32 subs = pt_multi_subleaf(pt_leaves[i]) ? 5 : 1;

		for (sub = 0; sub < subs; sub++) {
			pt_host_cpuid(pt->host, cpu, pt_leaves[i], sub, in);
			hwt_xlate_cpuid(map, cpu, pt_leaves[i], sub, in, out);
			h = pt_fnv(h, out[0]);
			h = pt_fnv(h, out[1]);
			h = pt_fnv(h, out[2]);
			h = pt_fnv(h, out[3]);
		}
	}
	hwt_xlate_msr(map, cpu, HWT_MSR_CORE_THREAD_COUNT, 0, &val);
	h = pt_fnv(pt_fnv(h, val), val >> 32);
	hwt_xlate_msr(map, cpu, HWT_MSR_X2APIC_ID, 0, &val);
	h = pt_fnv(h, val);
	/* Linux's own CPU number is kept, so only a renumbered one compares. */
	if (map->flags & HWT_MAP_RENUMBER) {
		hwt_xlate_msr(map, cpu, HWT_MSR_TSC_AUX, 7 << 12, &val);
		h = pt_fnv(h, val);
	}
	return h;
}

/* Digests of all the partition's CPUs, by rank in virtual id order. */
static void pt_digest_all(struct pt *pt, const struct hwt_map *map)
{
	u32 i;

	for (i = 0; i < map->nr_vcpus; i++)
		pt->digest[i] = pt_digest(pt, map, map->cpu[i].order);
}

static int pt_compare_digests(struct pt *pt, const struct hwt_map *map)
{
	u32 i;

	for (i = 0; i < map->nr_vcpus; i++)
		if (pt->digest[i] != pt_digest(pt, map, map->cpu[i].order))
			return i + 1;
	return 0;
}

/*
 * A partition cannot tell which threads of its cores it holds: moving it
 * to other threads of the same cores changes nothing it reads (the seed's
 * "other partitions' threads masked out"). pt->cpus holds the partition
 * and pt->map its map; pt->cpus and pt->map are clobbered.
 */
static void pt_check_thread_blind(struct pt *pt, u32 flags)
{
	const struct pt_host *ph = pt->host;
	u32 slots = ph->sockets * ph->cores, s, k, t = pt->map->threads;
	u32 pick[16], shape[3];
	int diff;

	if (ph->threads > ARRAY_SIZE(pick))
		return;
	pt_digest_all(pt, pt->map);
	pt_ref_shape(pt, pt->cpus, &shape[0], &shape[1], &shape[2]);
	pt_zero(pt->cpus);
	for (s = 0; s < slots; s++) {
		if (!pt->cnt[s])
			continue;
		for (k = 0; k < ph->threads; k++)
			pick[k] = k;
		for (k = 0; k < t; k++) {
			u32 j = k + pt_rnd(pt, ph->threads - k), tmp = pick[k];

			pick[k] = pick[j];
			pick[j] = tmp;
			lpar_set_bit(pt->cpus, ph->lin[s * ph->threads + pick[k]]);
		}
	}
	if (pt_build(pt, pt->map, flags))
		return;
	diff = pt_compare_digests(pt, pt->map);
	if (diff)
		pt_fail(pt, "moving the partition to other threads changed what rank %d reads",
			diff - 1);
}

/*
 * Other partitions' changes change nothing a partition reads: the map of
 * pt->cpus (built in pt->map) is rebuilt around two different, random
 * other partitions taken from the CPUs it does not use.
 */
static void pt_check_isolation(struct pt *pt, u32 flags)
{
	u32 round, cpu, n = pt->host->h.nr_cpus;
	struct hwt_build_err err;
	int diff;

	pt_digest_all(pt, pt->map);
	for (round = 0; round < 2; round++) {
		pt_zero(pt->cpus2);
		for (cpu = 0; cpu < n; cpu++)
			if (!lpar_bit(pt->cpus, cpu) && pt_rnd(pt, 2))
				lpar_set_bit(pt->cpus2, cpu);
		hwt_map_build(pt->map2, &pt->host->h, pt->cpus2, flags ^ HWT_MAP_RENUMBER,
			      &err);
		if (hwt_map_build(pt->map, &pt->host->h, pt->cpus, flags, &err)) {
			pt_fail(pt, "rebuilding a partition failed");
			return;
		}
		diff = pt_compare_digests(pt, pt->map);
		if (diff)
			pt_fail(pt, "another partition's change changed what rank %d reads",
				diff - 1);
	}
}

/* The checker is not vacuous: each corruption of a good map is caught. */
static void pt_check_checker(struct pt *pt, const struct hwt_map *map)
{
	struct hwt_check_fail fail;
	struct hwt_map *bad = pt->map2;
	u32 kind, a = map->cpu[0].order, cpu;

	memcpy(bad, map, hwt_map_size(map->nr_cpus));
	kind = pt_rnd(pt, 4);
	switch (kind) {
	case 0:
		if (map->nr_vcpus < 2)
			return;
		bad->cpu[map->cpu[1].order].apicid = bad->cpu[a].apicid;
		break;
	case 1:
		bad->pkg_shift++;
		break;
	case 2:
		if (map->threads < 2 && map->cores < 2)
			return;
		if (map->threads > 1)
			bad->cpu[a].thread ^= 1;
		else
			bad->cpu[a].core ^= 1;
		break;
	case 3:
		for (cpu = 0; cpu < map->nr_cpus && bad->cpu[cpu].member; cpu++)
			;
		if (cpu == map->nr_cpus)
			return;
		bad->cpu[cpu].member = 1;
		break;
	}
	if (!hwt_map_check(bad, pt_host_cpuid, pt->host, &fail))
		pt_fail(pt, "corruption %u of a map was not caught", kind);
}

/* Every subset of one small host; small valid maps get every property. */
static void pt_exhaustive(struct pt *pt, enum hwt_vendor vendor, u32 sockets,
			  u32 cores, u32 threads)
{
	u32 n = sockets * cores * threads, mask;

	pt_host_init(pt, vendor, sockets, cores, threads, 0, PT_NUM_LINUX);
	for (mask = 0; mask < 1U << n; mask++) {
		u32 flags = mask & 1 ? HWT_MAP_RENUMBER : 0;

		pt_zero(pt->cpus);
		pt->cpus[0] = mask;
		if (pt_build(pt, pt->map, flags) || n > 8)
			continue;
		pt_check_passthrough(pt, pt->map, pt->map->cpu[0].order);
		pt_check_checker(pt, pt->map);
		pt_check_thread_blind(pt, flags);
	}
}

static void pt_exhaustive_all(struct pt *pt, enum hwt_vendor vendor)
{
	u32 s, c, t;

	for (s = 1; s <= 2; s++)
		for (c = 1; c <= 4; c++)
			for (t = 1; t <= 2; t++)
				pt_exhaustive(pt, vendor, s, c, t);
}

/* Sizes that reach the limits of the 8- and 6-bit fields. */
static const u32 pt_edge_cores[] = {
	1, 2, 31, 32, 33, 63, 64, 65, 85, 127, 128, 129, 255, 256,
};

/**
 * pt_random_config() - one seeded random host and partition, all properties
 * @pt: test state
 * @max_cores: the largest C to try (256 at most)
 */
static void pt_random_config(struct pt *pt, u32 max_cores)
{
	static const u32 ts[] = { 1, 2, 4, 8 };
	static const u32 max_basic[] = { 0x1f, 0x1f, 0x16, 0xd, 0xa, 0x3 };
	static const u32 max_ext[] = { 0x80000026, 0x80000021, 0x8000001e, 0x80000008 };
	struct pt_host *ph = pt->host;
	u32 t = ts[pt_rnd(pt, 4)], c, th, ch, sockets, s, k, used_sockets;
	u32 flags = pt_rnd(pt, 2) ? HWT_MAP_RENUMBER : 0;
	enum hwt_vendor vendor = pt_rnd(pt, 2) ? HWT_VENDOR_AMD : HWT_VENDOR_INTEL;
	u32 *core_ids = pt->ids;
	bool uneven;

	if (pt_rnd(pt, 3)) {
		c = 1 + pt_rnd(pt, max_cores);
	} else {
		c = pt_edge_cores[pt_rnd(pt, ARRAY_SIZE(pt_edge_cores))];
		if (pt_rnd(pt, 2) && 256 / t <= max_cores)
			c = (256 - pt_rnd(pt, 2)) / t;	/* T x C = 255/256 */
		c = c > max_cores ? max_cores : c;
	}
	th = t < 8 && pt_rnd(pt, 2) ? 2 * t : t;
	ch = c + pt_rnd(pt, 4);
	sockets = 1 + pt_rnd(pt, 4);
	while (sockets * ch * th > PT_HOST_MAX) {
		if (sockets > 1)
			sockets--;
		else if (th > t)
			th /= 2;
		else
			ch = c;
	}
	pt_host_init(pt, vendor, sockets, ch, th, pt_rnd(pt, 3),
		     pt_rnd(pt, 3));
	pt_host_random_caches(pt);
	ph->die_level = pt_rnd(pt, 2);
	ph->h.max_basic_leaf = max_basic[pt_rnd(pt, ARRAY_SIZE(max_basic))];
	ph->h.max_ext_leaf = max_ext[pt_rnd(pt, ARRAY_SIZE(max_ext))];

	/* C cores in the first socket used, 1..C in the others. */
	pt_zero(pt->cpus);
	used_sockets = 1 + pt_rnd(pt, sockets);
	for (s = sockets - used_sockets; s < sockets; s++) {
		u32 n = s == sockets - used_sockets ? c : 1 + pt_rnd(pt, c);

		for (k = 0; k < ch; k++)
			core_ids[k] = k;
		for (k = 0; k < n; k++) {
			u32 j = k + pt_rnd(pt, ch - k), tmp = core_ids[k], x;
			u32 slot = s * ch + core_ids[j], first = pt_rnd(pt, th - t + 1);

			core_ids[k] = core_ids[j];
			core_ids[j] = tmp;
			for (x = first; x < first + t; x++)
				lpar_set_bit(pt->cpus, ph->lin[slot * th + x]);
		}
	}
	/* Sometimes one core gets another number of threads. */
	uneven = th > 1 && !pt_rnd(pt, 8);
	if (uneven) {
		u32 cpu = pt_rnd(pt, ph->h.nr_cpus), slot = ph->slot[cpu], x;
		u32 want = 1 + pt_rnd(pt, th);

		for (x = 0; x < th; x++) {
			u32 l = ph->lin[slot * th + x];

			if (x < want)
				lpar_set_bit(pt->cpus, l);
			else
				pt->cpus[l / LPAR_LONG_BITS] &= ~(1UL << (l % LPAR_LONG_BITS));
		}
	}
	if (pt_build(pt, pt->map, flags))
		return;
	pt_check_passthrough(pt, pt->map, pt->map->cpu[pt_rnd(pt, pt->map->nr_vcpus)].order);
	pt_check_checker(pt, pt->map);
	pt_check_isolation(pt, flags);
	pt_check_thread_blind(pt, flags);
}

/**
 * struct pt_edge - expected fields of one partition at a clip boundary
 * @t: threads per core
 * @c: cores
 * @s1: S1
 * @leaf1_intel: CPUID.1:EBX[23:16] on Intel (2^S1, saturated at 255)
 * @leaf1_amd: the same on AMD (T x C, saturated at 255)
 * @leaf4_cores: CPUID.4:EAX[31:26] (2^(S1 - S0) - 1, saturated at 63)
 */
struct pt_edge {
	u16 t;
	u16 c;
	u8 s1;
	u8 leaf1_intel;
	u8 leaf1_amd;
	u8 leaf4_cores;
};

static const struct pt_edge pt_edges[] = {
	{ 1, 1, 0, 0, 0, 0 },		/* no HTT */
	{ 2, 1, 1, 2, 2, 0 },
	{ 1, 63, 6, 64, 63, 63 },
	{ 1, 64, 6, 64, 64, 63 },	/* C = 64: the last that fits */
	{ 1, 65, 7, 128, 65, 63 },	/* C = 65: saturates */
	{ 2, 64, 7, 128, 128, 63 },
	{ 2, 65, 8, 255, 130, 63 },
	{ 1, 255, 8, 255, 255, 63 },	/* T x C = 255 */
	{ 1, 256, 8, 255, 255, 63 },	/* T x C = 256 */
	{ 3, 85, 9, 255, 255, 63 },	/* T x C = 255 */
	{ 5, 51, 9, 255, 255, 63 },
	{ 15, 17, 9, 255, 255, 31 },
	{ 4, 64, 8, 255, 255, 63 },	/* T x C = 256 */
	{ 8, 32, 8, 255, 255, 31 },
	{ 8, 256, 11, 255, 255, 63 },
};

/* One boundary partition, whole first T threads of C cores, both vendors. */
static void pt_edge_case(struct pt *pt, const struct pt_edge *e)
{
	u32 v, k, cpu, in[4], out[4];
	u64 val = 0;

	for (v = 0; v < 2; v++) {
		enum hwt_vendor vendor = v ? HWT_VENDOR_AMD : HWT_VENDOR_INTEL;
		u32 th = 1U << hwt_order(e->t);

		pt_host_init(pt, vendor, 1, e->c, th, 0, PT_NUM_SEQ);
		pt->host->h.max_basic_leaf = 0x1f;
		pt_zero(pt->cpus);
		for (k = 0; k < e->c * th; k++)
			if (k % th < e->t)
				lpar_set_bit(pt->cpus, k);
		if (pt_build(pt, pt->map, 0))
			continue;
		if (pt->map->pkg_shift != e->s1)
			pt_fail(pt, "%u x %u: S1 %u, expected %u", e->c, e->t,
				pt->map->pkg_shift, e->s1);
		cpu = pt->map->cpu[pt->map->nr_vcpus - 1].order;
		pt_host_cpuid(pt->host, cpu, 1, 0, in);
		hwt_xlate_cpuid(pt->map, cpu, 1, 0, in, out);
		if (((out[1] >> 16) & 0xff) != (v ? e->leaf1_amd : e->leaf1_intel) ||
		    !!(out[3] & (1U << 28)) != (e->t * e->c > 1))
			pt_fail(pt, "%u x %u vendor %u: leaf 1 EBX %#x EDX %#x", e->c,
				e->t, v, out[1], out[3]);
		if (!v) {
			pt_host_cpuid(pt->host, cpu, 4, 0, in);
			hwt_xlate_cpuid(pt->map, cpu, 4, 0, in, out);
			if (out[0] >> 26 != e->leaf4_cores)
				pt_fail(pt, "%u x %u: leaf 4 EAX %#x", e->c, e->t, out[0]);
		}
		hwt_xlate_msr(pt->map, cpu, HWT_MSR_CORE_THREAD_COUNT, 0, &val);
		if (val != ((u64)e->c << 16 | e->t * e->c))
			pt_fail(pt, "%u x %u: MSR 0x35 %#llx", e->c, e->t,
				(unsigned long long)val);
		pt_host_cpuid(pt->host, cpu, 0xb, 1, in);
		hwt_xlate_cpuid(pt->map, cpu, 0xb, 1, in, out);
		if (out[0] != e->s1 || out[1] != (u32)e->t * e->c)
			pt_fail(pt, "%u x %u: leaf 0xB.1 EAX %#x EBX %#x", e->c, e->t,
				out[0], out[1]);
	}
}

static void pt_edges_all(struct pt *pt)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(pt_edges); i++)
		pt_edge_case(pt, &pt_edges[i]);
}

/*
 * The VM example, -smp 8,sockets=2,cores=2,threads=2: a = thread
 * 0 of cores 0 and 1, b = thread 1 of the same cores; both see 2 cores x
 * 1 thread with ids 0 and 1 and read the same bytes; one whole core is
 * 1 core x 2 threads; the whole host sees its real ids.
 */
static void pt_example_vm(struct pt *pt)
{
	u32 cpu;

	pt_host_init(pt, HWT_VENDOR_INTEL, 2, 2, 2, 0, PT_NUM_SEQ);
	pt_zero(pt->cpus);
	pt->cpus[0] = 0x5;		/* CPUs 0 and 2 */
	if (pt_build(pt, pt->map, 0))
		return;
	if (pt->map->cores != 2 || pt->map->threads != 1 ||
	    hwt_map_vcpu(pt->map, 0)->apicid != 0 ||
	    hwt_map_vcpu(pt->map, 2)->apicid != 1)
		pt_fail(pt, "partition a is not 2 cores x 1 thread with ids 0, 1");
	pt_digest_all(pt, pt->map);
	pt->cpus[0] = 0xa;		/* CPUs 1 and 3 */
	if (pt_build(pt, pt->map, 0))
		return;
	if (pt_compare_digests(pt, pt->map))
		pt_fail(pt, "partitions a and b read different bytes");
	pt->cpus[0] = 0x3;
	if (!pt_build(pt, pt->map, 0) &&
	    (pt->map->cores != 1 || pt->map->threads != 2))
		pt_fail(pt, "a whole core is not 1 core x 2 threads");
	pt->cpus[0] = 0xff;
	if (pt_build(pt, pt->map, 0))
		return;
	for (cpu = 0; cpu < 8; cpu++)
		if (hwt_map_vcpu(pt->map, cpu)->apicid != pt->host->cpu[cpu].apicid)
			pt_fail(pt, "the whole host does not see its own id on cpu %u", cpu);
}

/* Each refusal reason, with the CPUs it names. */
static void pt_refusals(struct pt *pt)
{
	struct pt_host *ph = pt->host;
	struct hwt_build_err err;
	struct hwt_map *map = pt->map;

	pt_host_init(pt, HWT_VENDOR_INTEL, 1, 4, 2, 0, PT_NUM_SEQ);
	pt_zero(pt->cpus);
	if (hwt_map_build(map, &ph->h, pt->cpus, 0, &err) != -EINVAL ||
	    err.reason != HWT_ERR_EMPTY)
		pt_fail(pt, "empty set: %s", hwt_reason_str(err.reason));
	pt->cpus[0] = 0x7;		/* core 0 whole, core 1 half */
	if (hwt_map_build(map, &ph->h, pt->cpus, 0, &err) != -EINVAL ||
	    err.reason != HWT_ERR_UNEVEN || err.cpu != 0 || err.other != 2 ||
	    err.n != 2 || err.m != 1)
		pt_fail(pt, "uneven set: %s cpu %u/%u n %u/%u",
			hwt_reason_str(err.reason), err.cpu, err.other, err.n, err.m);
	pt->cpus[0] = 0x3;
	if (hwt_map_build(map, &ph->h, pt->cpus, 0x80, &err) != -EINVAL ||
	    err.reason != HWT_ERR_FLAGS)
		pt_fail(pt, "bad flags: %s", hwt_reason_str(err.reason));
	ph->cpu[1].present = 0;
	if (hwt_map_build(map, &ph->h, pt->cpus, 0, &err) != -EINVAL ||
	    err.reason != HWT_ERR_CPU || err.cpu != 1)
		pt_fail(pt, "absent CPU: %s", hwt_reason_str(err.reason));
	ph->cpu[1] = ph->cpu[0];
	if (hwt_map_build(map, &ph->h, pt->cpus, 0, &err) != -EINVAL ||
	    err.reason != HWT_ERR_HOST)
		pt_fail(pt, "same position twice: %s", hwt_reason_str(err.reason));
	/* 256 threads on one core do not fit the 8-bit fields. */
	pt_host_init(pt, HWT_VENDOR_INTEL, 1, 1, 256, 0, PT_NUM_SEQ);
	memset(pt->cpus, 0xff, 256 / 8);
	if (hwt_map_build(map, &ph->h, pt->cpus, 0, &err) != -EINVAL ||
	    err.reason != HWT_ERR_TOO_BIG)
		pt_fail(pt, "256 threads per core: %s", hwt_reason_str(err.reason));
}

#ifdef __KERNEL__

#define HWT_TEST_SEED		0x6877745f78ULL
#define HWT_TEST_RANDOM		150	/* random configurations per run */

static void *pt_alloc(struct pt *pt, size_t size)
{
	return kunit_kzalloc(pt->priv, size, GFP_KERNEL);
}

static void pt_fail(struct pt *pt, const char *fmt, ...)
{
	struct kunit *test = pt->priv;
	struct va_format vaf;
	va_list args;

	if (++pt->failures > PT_MAX_FAILS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	KUNIT_FAIL(test, "%pV", &vaf);
	va_end(args);
}

static int hwt_test_init(struct kunit *test)
{
	struct pt *pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	KUNIT_ASSERT_EQ(test, pt_setup(pt, HWT_TEST_SEED, test), 0);
	test->priv = pt;
	return 0;
}

static void hwt_log_counts(struct kunit *test)
{
	struct pt *pt = test->priv;

	kunit_info(test, "%llu partitions, %llu maps checked, %llu refused\n",
		   pt->configs, pt->maps, pt->refused);
}

static void hwt_vm_example(struct kunit *test)
{
	pt_example_vm(test->priv);
}

static void hwt_refusals_name_the_cpus(struct kunit *test)
{
	pt_refusals(test->priv);
}

static void hwt_every_subset_intel(struct kunit *test)
{
	pt_exhaustive_all(test->priv, HWT_VENDOR_INTEL);
	hwt_log_counts(test);
}

static void hwt_every_subset_amd(struct kunit *test)
{
	pt_exhaustive_all(test->priv, HWT_VENDOR_AMD);
	hwt_log_counts(test);
}

static void hwt_clip_boundaries(struct kunit *test)
{
	pt_edges_all(test->priv);
}

static void hwt_random_configs(struct kunit *test)
{
	struct pt *pt = test->priv;
	u32 i;

	for (i = 0; i < HWT_TEST_RANDOM; i++)
		pt_random_config(pt, 256);
	hwt_log_counts(test);
}

static struct kunit_case hwt_xlate_test_cases[] = {
	KUNIT_CASE(hwt_vm_example),
	KUNIT_CASE(hwt_refusals_name_the_cpus),
	KUNIT_CASE(hwt_every_subset_intel),
	KUNIT_CASE(hwt_every_subset_amd),
	KUNIT_CASE(hwt_clip_boundaries),
	KUNIT_CASE_SLOW(hwt_random_configs),
	{}
};

static struct kunit_suite hwt_xlate_test_suite = {
	.name = "hwthread_xlate",
	.init = hwt_test_init,
	.test_cases = hwt_xlate_test_cases,
};

kunit_test_suite(hwt_xlate_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit property tests for lpar_hwthread's translation engine");

#endif /* __KERNEL__ */
