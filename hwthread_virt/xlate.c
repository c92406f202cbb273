// SPDX-License-Identifier: GPL-2.0
/*
 * Exclusive-core translation: the seed idea (IBM, US 9,069,598) is that
 * when several partitions share the hardware threads of one core, every
 * thread-specific value a partition reads is transformed so that it
 * perceives exclusive use of the core. Here a partition holding T threads
 * on each of the cores it uses is shown C cores x T threads per package,
 * with x2APIC ids thread | core << S0 | pkg << S1, and leaves 0x1, 0x4,
 * 0xB, 0x1F, AMD's 0x80000008/0x8000001D/0x8000001E/0x80000026 and MSRs
 * 0x35, 0x802 and TSC_AUX are rewritten from that map alone; every other
 * bit passes through. hwt_map_check() re-reads all of it the way Linux's
 * topology parser does, so a map that would not parse is never published.
 * Pure C: no kernel calls, no state outside the map.
 */
#include "hwthread_virt/xlate.h"

#define HWT_MAX_SUBLEAVES	16	/* bound on leaf 4/0x8000001D/0xB walks */

/* CPUID bit fields the engine owns. */
#define LEAF1_EBX_KEEP		0x0000ffffU	/* brand index, CLFLUSH size */
#define LEAF1_EDX_HTT		0x10000000U
#define LEAF4_EAX_TYPE		0x1fU
#define LEAF4_EAX_KEEP		0x00003fffU	/* type, level, flags */
#define AMD8_ECX_OWNED		0x0000f0ffU	/* ApicIdSize, NC */
#define AMD1E_EBX_OWNED		0x0000ffffU	/* threads per core, core id */
#define AMD26_EAX_KEEP		0xe0000000U	/* asymmetry/efficiency flags */
#define AMD26_EBX_KEEP		0xffff0000U	/* efficiency rank, model id */

/* Level types of leaves 0xB/0x1F and AMD 0x80000026. */
#define TOPO_TYPE_SMT		1
#define TOPO_TYPE_CORE		2

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/**
 * hwt_order() - the number of id bits @n values need
 * @n: a count
 *
 * Return: the smallest k with 2^k >= @n (0 for 0 and 1), as the kernel's
 * get_count_order() for counts that are not 0.
 */
unsigned int hwt_order(u32 n)
{
	unsigned int k = 0;

	while (k < 32 && (1ULL << k) < n)
		k++;
	return k;
}

/**
 * hwt_map_size() - bytes to allocate for a map
 * @nr_cpus: the host's number of CPU ids (nr_cpu_ids)
 *
 * Return: the size of a struct hwt_map with @nr_cpus CPU entries.
 */
size_t hwt_map_size(u32 nr_cpus)
{
	return sizeof(struct hwt_map) + (size_t)nr_cpus * sizeof(struct hwt_vcpu);
}

/* Order of CPUs in the virtual id space: package, core, thread. */
static int pos_cmp(const struct hwt_host *host, u32 a, u32 b)
{
	const struct hwt_host_cpu *x = &host->cpu[a], *y = &host->cpu[b];

	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return 0;
}

static void sift_down(struct hwt_vcpu *v, const struct hwt_host *host,
		      u32 root, u32 n)
{
	for (;;) {
		u32 child = 2 * root + 1, tmp;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    pos_cmp(host, v[child].order, v[child + 1].order) < 0)
			child++;
		if (pos_cmp(host, v[root].order, v[child].order) >= 0)
			return;
		tmp = v[root].order;
		v[root].order = v[child].order;
		v[child].order = tmp;
		root = child;
	}
}

/* Heap sort of the order column: no allocation, O(n log n). */
static void sort_by_position(struct hwt_vcpu *v, const struct hwt_host *host,
			     u32 n)
{
	u32 i, tmp;

	for (i = n / 2; i-- > 0;)
		sift_down(v, host, i, n);
	for (i = n; i-- > 1;) {
		tmp = v[0].order;
		v[0].order = v[i].order;
		v[i].order = tmp;
		sift_down(v, host, 0, i);
	}
}

static int build_fail(struct hwt_build_err *err, enum hwt_reason reason,
		      u32 cpu, u32 other, u32 n, u32 m)
{
	err->reason = reason;
	err->cpu = cpu;
	err->other = other;
	err->n = n;
	err->m = m;
	return -EINVAL;
}

/* Number of CPUs from position @i on that share the core of order[i]. */
static u32 core_run(const struct hwt_map *map, const struct hwt_host *host,
		    u32 i)
{
	const struct hwt_host_cpu *first = &host->cpu[map->cpu[i].order];
	u32 k = i;

	while (k < map->nr_vcpus) {
		const struct hwt_host_cpu *c = &host->cpu[map->cpu[k].order];

		if (c->pkg != first->pkg || c->core != first->core)
			break;
		k++;
	}
	return k - i;
}

/* Gives ids to the sorted CPUs; the caller checked T on every core. */
static void assign_ids(struct hwt_map *map, const struct hwt_host *host)
{
	u32 i, pkg = 0, core = 0, cores = 0;

	for (i = 0; i < map->nr_vcpus; i++) {
		const struct hwt_host_cpu *c = &host->cpu[map->cpu[i].order];
		struct hwt_vcpu *v = &map->cpu[map->cpu[i].order];
		u32 t = i % map->threads;

		if (i && !t) {
			core++;
			if (host->cpu[map->cpu[i - 1].order].pkg != c->pkg) {
				pkg++;
				core = 0;
			}
		}
		v->member = 1;
		v->pkg = pkg;
		v->core = core;
		v->thread = t;
		v->index = i;
		v->apicid = t | core << map->smt_shift | pkg << map->pkg_shift;
	}
	/* Backwards, so each package's last core number reaches all of it. */
	for (i = map->nr_vcpus; i-- > 0;) {
		struct hwt_vcpu *v = &map->cpu[map->cpu[i].order];

		if (i == map->nr_vcpus - 1 ||
		    map->cpu[map->cpu[i + 1].order].pkg != v->pkg)
			cores = v->core + 1;
		v->pkg_cores = cores;
	}
}

/**
 * hwt_map_build() - build a partition's exclusive-core view
 * @map: hwt_map_size(@host->nr_cpus) bytes, overwritten
 * @host: the host topology
 * @cpus: the partition's CPUs, a bitmap of @host->nr_cpus bits
 * @flags: HWT_MAP_* flags
 * @err: filled in on failure
 *
 * The partition's CPUs are ordered by host (package, core, thread); each
 * host package it uses becomes a virtual package, numbered densely, its
 * cores numbered 0..C-1 and their threads 0..T-1 in that order. T must be
 * the same on every core, so that each core looks whole.
 *
 * Return: 0, or -EINVAL with @err saying why; @map is then unusable.
 */
int hwt_map_build(struct hwt_map *map, const struct hwt_host *host,
		  const unsigned long *cpus, u32 flags,
		  struct hwt_build_err *err)
{
	u32 cpu, i, n = 0, threads = 0, cores = 0, pkgs = 0, pkg_cores = 0;

	*err = (struct hwt_build_err){ .reason = HWT_OK };
	*map = (struct hwt_map){
		.flags = flags,
		.vendor = host->vendor,
		.max_basic_leaf = host->max_basic_leaf,
		.max_ext_leaf = host->max_ext_leaf,
		.host_smt_shift = host->smt_shift,
		.host_pkg_shift = host->pkg_shift,
		.nr_cpus = host->nr_cpus,
	};
	for (cpu = 0; cpu < host->nr_cpus; cpu++)
		map->cpu[cpu] = (struct hwt_vcpu){ 0 };
	if (flags & ~HWT_MAP_FLAGS)
		return build_fail(err, HWT_ERR_FLAGS, 0, 0, flags, 0);

	for (cpu = 0; cpu < host->nr_cpus; cpu++) {
		if (!lpar_bit(cpus, cpu))
			continue;
		if (!host->cpu[cpu].present)
			return build_fail(err, HWT_ERR_CPU, cpu, 0, 0, 0);
		map->cpu[n++].order = cpu;
	}
	if (!n)
		return build_fail(err, HWT_ERR_EMPTY, 0, 0, 0, 0);
	map->nr_vcpus = n;
	sort_by_position(map->cpu, host, n);

	for (i = 0; i < n; i += threads) {
		u32 run = core_run(map, host, i), k;

		for (k = i + 1; k < i + run; k++)
			if (!pos_cmp(host, map->cpu[k - 1].order, map->cpu[k].order))
				return build_fail(err, HWT_ERR_HOST,
						  map->cpu[k - 1].order,
						  map->cpu[k].order, 0, 0);
		if (!threads)
			threads = run;
		if (run != threads)
			return build_fail(err, HWT_ERR_UNEVEN, map->cpu[0].order,
					  map->cpu[i].order, threads, run);
		if (!i || host->cpu[map->cpu[i - 1].order].pkg !=
			  host->cpu[map->cpu[i].order].pkg) {
			pkgs++;
			pkg_cores = 0;
		}
		if (++pkg_cores > cores)
			cores = pkg_cores;
	}
	map->threads = threads;
	map->cores = cores;
	map->packages = pkgs;
	map->smt_shift = hwt_order(threads);
	map->pkg_shift = map->smt_shift + hwt_order(cores);
	/* Fields are u8/u16 and ids must fit 32 bits. */
	if (threads > 255 || cores > 0xffff || pkgs > 0xffff ||
	    map->pkg_shift + hwt_order(pkgs) > 32)
		return build_fail(err, HWT_ERR_TOO_BIG, map->cpu[0].order, 0,
				  threads, cores);
	assign_ids(map, host);
	return 0;
}

/**
 * hwt_reason_str() - a refusal in words, for extack and logs
 * @reason: HWT_ERR_*
 *
 * Return: a static string.
 */
const char *hwt_reason_str(enum hwt_reason reason)
{
	switch (reason) {
	case HWT_OK:
		return "ok";
	case HWT_ERR_EMPTY:
		return "partition has no CPU";
	case HWT_ERR_CPU:
		return "CPU is not present";
	case HWT_ERR_FLAGS:
		return "unknown map flags";
	case HWT_ERR_HOST:
		return "two CPUs have the same host position";
	case HWT_ERR_UNEVEN:
		return "partition holds a different number of threads on two of its cores";
	case HWT_ERR_TOO_BIG:
		return "topology too large for the CPUID id fields";
	}
	return "unknown reason";
}

static const struct hwt_vcpu *member(const struct hwt_map *map, u32 cpu)
{
	if (cpu >= map->nr_cpus || !map->cpu[cpu].member)
		return NULL;
	return &map->cpu[cpu];
}

/**
 * hwt_map_vcpu() - the view of one CPU
 * @map: a built map
 * @cpu: Linux CPU number
 *
 * Return: the CPU's entry, or NULL if it is not in the partition.
 */
const struct hwt_vcpu *hwt_map_vcpu(const struct hwt_map *map, u32 cpu)
{
	return member(map, cpu);
}

/**
 * hwt_cache_level() - the virtual level a host cache is shared at
 * @map: a built map
 * @host_sharing: host threads sharing the cache (CPUID.4:EAX[25:14] + 1)
 *
 * A cache of one thread stays per thread, one shared within a host core
 * is shared by the virtual core, and anything wider (module, die, CCX,
 * package) is shown shared by the virtual package, the way QEMU shows a
 * host cache wider than its guest's package.
 *
 * Return: HWT_LEVEL_THREAD, HWT_LEVEL_CORE or HWT_LEVEL_PKG.
 */
enum hwt_level hwt_cache_level(const struct hwt_map *map, u32 host_sharing)
{
	if (host_sharing <= 1)
		return HWT_LEVEL_THREAD;
	if (hwt_order(host_sharing) <= map->host_smt_shift)
		return HWT_LEVEL_CORE;
	return HWT_LEVEL_PKG;
}

static bool same_group(const struct hwt_vcpu *a, const struct hwt_vcpu *b,
		       enum hwt_level level)
{
	switch (level) {
	case HWT_LEVEL_THREAD:
		return a == b;
	case HWT_LEVEL_CORE:
		return a->pkg == b->pkg && a->core == b->core;
	case HWT_LEVEL_PKG:
		return a->pkg == b->pkg;
	}
	return false;
}

/**
 * hwt_map_siblings() - the partition's CPUs sharing a level with @cpu
 * @map: a built map
 * @cpu: Linux CPU number
 * @level: HWT_LEVEL_THREAD, _CORE (thread_siblings) or _PKG (core_siblings)
 * @mask: bitmap of @map->nr_cpus bits, overwritten
 *
 * Return: number of CPUs set, or -ENXIO if @cpu is not in the partition.
 */
int hwt_map_siblings(const struct hwt_map *map, u32 cpu,
		     enum hwt_level level, unsigned long *mask)
{
	const struct hwt_vcpu *v = member(map, cpu);
	u32 i, n = 0;

	if (!v)
		return -ENXIO;
	for (i = 0; i < (map->nr_cpus + LPAR_LONG_BITS - 1) / LPAR_LONG_BITS; i++)
		mask[i] = 0;
	for (i = 0; i < map->nr_vcpus; i++) {
		u32 other = map->cpu[i].order;

		if (same_group(v, &map->cpu[other], level)) {
			lpar_set_bit(mask, other);
			n++;
		}
	}
	return n;
}

/* Virtual logical processors per package, as the count fields show it. */
static u32 pkg_threads(const struct hwt_map *map)
{
	return map->threads * map->cores;
}

static void xlate_leaf1(const struct hwt_map *map, const struct hwt_vcpu *v,
			u32 *r)
{
	u32 n = 0;

	/*
	 * EBX[23:16]: Intel wants the addressable ids of a package (a power
	 * of two), AMD the count; both saturate at 255 as QEMU does. HTT
	 * says the field is valid; it is clear for a 1 x 1 partition.
	 */
	if (pkg_threads(map) > 1)
		n = min_u32(map->vendor == HWT_VENDOR_AMD ? pkg_threads(map) :
			    1U << map->pkg_shift, 255);
	r[HWT_EBX] = (r[HWT_EBX] & LEAF1_EBX_KEEP) | (v->apicid & 0xff) << 24 |
		     n << 16;
	if (n)
		r[HWT_EDX] |= LEAF1_EDX_HTT;
	else
		r[HWT_EDX] &= ~LEAF1_EDX_HTT;
}

/* Virtual NumSharingCache - 1 for a host EAX of leaf 4 or 0x8000001D. */
static u32 cache_sharing_field(const struct hwt_map *map, u32 eax)
{
	switch (hwt_cache_level(map, ((eax >> 14) & 0xfff) + 1)) {
	case HWT_LEVEL_THREAD:
		return 0;
	case HWT_LEVEL_CORE:
		return (1U << map->smt_shift) - 1;
	case HWT_LEVEL_PKG:
		break;
	}
	return min_u32((1U << map->pkg_shift) - 1, 0xfff);
}

static void xlate_leaf4(const struct hwt_map *map, u32 *r)
{
	u32 cores = (1U << (map->pkg_shift - map->smt_shift)) - 1;

	if (!(r[HWT_EAX] & LEAF4_EAX_TYPE))
		return;
	r[HWT_EAX] = (r[HWT_EAX] & LEAF4_EAX_KEEP) |
		     cache_sharing_field(map, r[HWT_EAX]) << 14 |
		     min_u32(cores, 63) << 26;
}

static void xlate_amd_cache(const struct hwt_map *map, u32 *r)
{
	if (!(r[HWT_EAX] & LEAF4_EAX_TYPE))
		return;
	r[HWT_EAX] = (r[HWT_EAX] & ~(0xfffU << 14)) |
		     cache_sharing_field(map, r[HWT_EAX]) << 14;
}

/*
 * Leaves 0xB, 0x1F and 0x80000026 describe two levels, SMT (threads of a
 * core) and core (threads of the package), then end with a level of type
 * 0; the x2APIC id is in EDX on every subleaf, the terminating one too.
 */
static void xlate_topo(const struct hwt_map *map, const struct hwt_vcpu *v,
		       u32 leaf, u32 subleaf, u32 *r)
{
	u32 shift = 0, count = 0, type = 0;

	if (subleaf == 0) {
		type = TOPO_TYPE_SMT;
		shift = map->smt_shift;
		count = map->threads;
	} else if (subleaf == 1) {
		type = TOPO_TYPE_CORE;
		shift = map->pkg_shift;
		count = min_u32(pkg_threads(map), 0xffff);
	}
	if (leaf == HWT_CPUID_AMD_TOPO2 && type) {
		r[HWT_EAX] = (r[HWT_EAX] & AMD26_EAX_KEEP) | shift;
		r[HWT_EBX] = (r[HWT_EBX] & AMD26_EBX_KEEP) | count;
	} else {
		r[HWT_EAX] = shift;
		r[HWT_EBX] = count;
	}
	r[HWT_ECX] = (subleaf & 0xff) | type << 8;
	r[HWT_EDX] = v->apicid;
}

static void xlate_amd_sizes(const struct hwt_map *map, u32 *r)
{
	r[HWT_ECX] = (r[HWT_ECX] & ~AMD8_ECX_OWNED) |
		     min_u32(map->pkg_shift, 15) << 12 |
		     min_u32(pkg_threads(map) - 1, 255);
}

static void xlate_amd_topo(const struct hwt_map *map, const struct hwt_vcpu *v,
			   u32 *r)
{
	r[HWT_EAX] = v->apicid;
	r[HWT_EBX] = (r[HWT_EBX] & ~AMD1E_EBX_OWNED) |
		     (map->threads - 1) << 8 | (v->core & 0xff);
}

static bool basic_leaf(const struct hwt_map *map, u32 leaf)
{
	return leaf <= map->max_basic_leaf && leaf < 0x80000000;
}

static bool amd_leaf(const struct hwt_map *map, u32 leaf)
{
	return map->vendor == HWT_VENDOR_AMD && leaf >= 0x80000000 &&
	       leaf <= map->max_ext_leaf;
}

/**
 * hwt_cpuid_synthesized() - is a leaf computed without the host's values?
 * @map: a built map
 * @leaf: CPUID leaf
 *
 * Leaves 0xB and 0x1F are made up entirely from the map (their reserved
 * bits are 0), so a reader needs no CPUID on the backing CPU for them.
 *
 * Return: true if hwt_xlate_cpuid() ignores its input for @leaf.
 */
bool hwt_cpuid_synthesized(const struct hwt_map *map, u32 leaf)
{
	return (leaf == HWT_CPUID_TOPO || leaf == HWT_CPUID_TOPO2) &&
	       basic_leaf(map, leaf);
}

/**
 * hwt_xlate_cpuid() - a CPUID result as the partition sees it
 * @map: a built map
 * @cpu: Linux CPU the leaf was read on
 * @leaf: CPUID leaf (EAX)
 * @subleaf: CPUID subleaf (ECX)
 * @in: the host's EAX, EBX, ECX, EDX for (@leaf, @subleaf) on @cpu
 * @out: the translated registers; may be @in
 *
 * Rewrites the topology fields of leaves 0x1, 0x4, 0xB, 0x1F and, on AMD,
 * 0x80000008, 0x8000001D, 0x8000001E and 0x80000026 (leaves beyond the
 * host's maximum are left alone); every other bit is copied unchanged.
 *
 * Return: 0, or -ENXIO if @cpu is not in the partition.
 */
int hwt_xlate_cpuid(const struct hwt_map *map, u32 cpu, u32 leaf,
		    u32 subleaf, const u32 in[4], u32 out[4])
{
	const struct hwt_vcpu *v = member(map, cpu);
	u32 r[4] = { in[0], in[1], in[2], in[3] };

	if (!v)
		return -ENXIO;
	if (basic_leaf(map, leaf)) {
		switch (leaf) {
		case HWT_CPUID_FEATURES:
			xlate_leaf1(map, v, r);
			break;
		case HWT_CPUID_CACHE:
			xlate_leaf4(map, r);
			break;
		case HWT_CPUID_TOPO:
		case HWT_CPUID_TOPO2:
			xlate_topo(map, v, leaf, subleaf, r);
			break;
		}
	} else if (amd_leaf(map, leaf)) {
		switch (leaf) {
		case HWT_CPUID_AMD_SIZES:
			xlate_amd_sizes(map, r);
			break;
		case HWT_CPUID_AMD_CACHE:
			xlate_amd_cache(map, r);
			break;
		case HWT_CPUID_AMD_TOPO:
			xlate_amd_topo(map, v, r);
			break;
		case HWT_CPUID_AMD_TOPO2:
			xlate_topo(map, v, leaf, subleaf, r);
			break;
		}
	}
	out[0] = r[0];
	out[1] = r[1];
	out[2] = r[2];
	out[3] = r[3];
	return 0;
}

/**
 * hwt_msr_synthesized() - is an MSR computed without the host's value?
 * @msr: MSR number
 *
 * Return: true for 0x35 and 0x802, whose values come from the map alone
 * (the caller still decides whether the host has the register at all).
 */
bool hwt_msr_synthesized(u32 msr)
{
	return msr == HWT_MSR_CORE_THREAD_COUNT || msr == HWT_MSR_X2APIC_ID;
}

/**
 * hwt_xlate_msr() - an MSR value as the partition sees it
 * @map: a built map
 * @cpu: Linux CPU the register was read on
 * @msr: MSR number
 * @host_value: what the host read (ignored where hwt_msr_synthesized())
 * @out: the translated value
 *
 * MSR_CORE_THREAD_COUNT (0x35) gives [15:0] threads and [31:16] cores of
 * @cpu's virtual package, the rest 0; the x2APIC id (0x802) is the virtual
 * id; TSC_AUX keeps Linux's cpu | node << 12 unless the map renumbers,
 * then [11:0] is the CPU's rank in virtual id order.
 *
 * Return: 0, -ENXIO if @cpu is not in the partition, or -EIO for an MSR
 * the engine does not translate.
 */
int hwt_xlate_msr(const struct hwt_map *map, u32 cpu, u32 msr,
		  u64 host_value, u64 *out)
{
	const struct hwt_vcpu *v = member(map, cpu);
	u32 cores;

	if (!v)
		return -ENXIO;
	switch (msr) {
	case HWT_MSR_CORE_THREAD_COUNT:
		cores = v->pkg_cores;
		*out = min_u32(cores * map->threads, 0xffff) |
		       (u64)min_u32(cores, 0xffff) << 16;
		return 0;
	case HWT_MSR_X2APIC_ID:
		*out = v->apicid;
		return 0;
	case HWT_MSR_TSC_AUX:
		*out = host_value;
		if (map->flags & HWT_MAP_RENUMBER)
			*out = (host_value & ~HWT_TSC_AUX_CPU_MASK) |
			       (v->index & HWT_TSC_AUX_CPU_MASK);
		return 0;
	}
	return -EIO;
}

/*
 * The map checker. It reads every translated value back the way a
 * consumer does -- Linux's topology parser (arch/x86/kernel/cpu/
 * topology_ext.c, topology_common.c, topology_amd.c) and cache id code
 * (cacheinfo.c) -- and compares what it decodes with the map.
 */

struct checker {
	const struct hwt_map *map;
	hwt_host_cpuid_fn host_cpuid;
	void *ctx;
	struct hwt_check_fail *fail;
	const struct hwt_vcpu *v;
	/* Gathered from earlier leaves for the cross-leaf checks. */
	u32 leaf1_nproc;
	u8 leaf1_htt;
	u8 leaf4_valid;
	u32 leaf4_cores;
	u32 topo_shift[2];
	u32 topo_count[2];
};

static int bad(struct checker *ck, const char *what)
{
	ck->fail->what = what;
	return -EINVAL;
}

static void ck_read(struct checker *ck, u32 leaf, u32 subleaf, u32 in[4],
		    u32 out[4])
{
	u32 cpu = ck->fail->cpu;

	ck->fail->leaf = leaf;
	ck->fail->subleaf = subleaf;
	ck->host_cpuid(ck->ctx, cpu, leaf, subleaf, in);
	hwt_xlate_cpuid(ck->map, cpu, leaf, subleaf, in, out);
}

static bool is_pow2(u32 n)
{
	return n && !(n & (n - 1));
}

/*
 * Dense numbering: @v's position is the one after @p's, and a core or a
 * package only ends after its last thread or core.
 */
static bool follows(const struct hwt_map *map, const struct hwt_vcpu *p,
		    const struct hwt_vcpu *v)
{
	bool core_done = p->thread == map->threads - 1;

	if (v->pkg != p->pkg)
		return v->pkg == p->pkg + 1 && !v->core && !v->thread &&
		       core_done && p->core == p->pkg_cores - 1;
	if (v->core != p->core)
		return v->core == p->core + 1 && !v->thread && core_done;
	return v->thread == p->thread + 1;
}

/* The map's own invariants: ids unique, decodable, T on every core. */
static int check_ids(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	u32 s0 = map->smt_shift, s1 = map->pkg_shift, i, cpu, members = 0;

	ck->fail->leaf = 0;
	ck->fail->subleaf = 0;
	if (!map->nr_vcpus || !map->threads || !map->cores || !map->packages)
		return bad(ck, "map is empty");
	if (s0 != hwt_order(map->threads) || s1 != s0 + hwt_order(map->cores))
		return bad(ck, "shifts are not order(T) and S0 + order(C)");
	for (cpu = 0; cpu < map->nr_cpus; cpu++)
		members += !!map->cpu[cpu].member;
	if (members != map->nr_vcpus)
		return bad(ck, "member count is not nr_vcpus");
	for (i = 0; i < map->nr_vcpus; i++) {
		const struct hwt_vcpu *v = &map->cpu[map->cpu[i].order], *p;
		u32 id = v->apicid;

		ck->fail->cpu = map->cpu[i].order;
		if (!v->member || v->index != i)
			return bad(ck, "order and index disagree");
		if ((id & ((1U << s0) - 1)) != v->thread ||
		    ((id >> s0) & ((1U << (s1 - s0)) - 1)) != v->core ||
		    id >> s1 != v->pkg)
			return bad(ck, "x2APIC id does not decode to its position");
		if (v->thread >= map->threads || v->core >= v->pkg_cores ||
		    v->pkg_cores > map->cores || v->pkg >= map->packages)
			return bad(ck, "position out of range");
		if (!i) {
			if (id != 0)
				return bad(ck, "first id is not 0");
			continue;
		}
		p = &map->cpu[map->cpu[i - 1].order];
		if (p->apicid >= id)
			return bad(ck, "x2APIC ids not unique");
		if (!follows(map, p, v))
			return bad(ck, "ids are not dense, or a core is not whole");
		if (v->pkg == p->pkg && v->pkg_cores != p->pkg_cores)
			return bad(ck, "package core counts disagree");
	}
	return 0;
}

static int check_leaf1(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	u32 in[4], r[4], nproc, lp = pkg_threads(map);
	bool several = lp > 1;

	ck_read(ck, HWT_CPUID_FEATURES, 0, in, r);
	nproc = (r[HWT_EBX] >> 16) & 0xff;
	ck->leaf1_nproc = nproc;
	ck->leaf1_htt = !!(r[HWT_EDX] & LEAF1_EDX_HTT);
	if (r[HWT_EBX] >> 24 != (ck->v->apicid & 0xff))
		return bad(ck, "initial APIC id is not the x2APIC id's low byte");
	if (ck->leaf1_htt != several)
		return bad(ck, "HTT does not say whether the package has several threads");
	if (!ck->leaf1_htt)
		return nproc ? bad(ck, "logical count set without HTT") : 0;
	if (nproc < min_u32(lp, 255))
		return bad(ck, "logical count does not cover the package");
	/* Intel's count is of addressable ids: a power of two, or 255. */
	if (map->vendor == HWT_VENDOR_INTEL &&
	    (map->pkg_shift < 8 ? nproc != 1U << map->pkg_shift : nproc != 255))
		return bad(ck, "logical count is not the package's id space");
	return 0;
}

/* One cache subleaf (leaf 4 or 0x8000001D) read back as cacheinfo.c does. */
static int check_cache(struct checker *ck, const u32 *in, const u32 *r)
{
	const struct hwt_map *map = ck->map;
	u32 host = ((in[HWT_EAX] >> 14) & 0xfff) + 1;
	u32 share = ((r[HWT_EAX] >> 14) & 0xfff) + 1, want, i;
	enum hwt_level level;

	if (host <= 1) {
		level = HWT_LEVEL_THREAD;
		want = 0;
	} else if (hwt_order(host) <= map->host_smt_shift) {
		level = HWT_LEVEL_CORE;
		want = map->smt_shift;
	} else {
		level = HWT_LEVEL_PKG;
		want = map->pkg_shift;
	}
	if (want > 12 ? share != 4096 : !is_pow2(share) || hwt_order(share) != want)
		return bad(ck, "cache sharing is not the level's id width");
	if (want > 12)
		return 0;
	/* Linux's cache id is apicid >> order(sharing): same id, same group. */
	i = ck->v->index;
	for (; i < map->nr_vcpus && i <= ck->v->index + 1; i++) {
		const struct hwt_vcpu *o = &map->cpu[map->cpu[i].order];

		if ((o->apicid >> want == ck->v->apicid >> want) !=
		    same_group(o, ck->v, level))
			return bad(ck, "cache id does not match the sharing group");
	}
	return 0;
}

static int check_leaf4(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	u32 in[4], r[4], sub, cores, want = map->pkg_shift - map->smt_shift;
	int ret;

	for (sub = 0; sub < HWT_MAX_SUBLEAVES; sub++) {
		ck_read(ck, HWT_CPUID_CACHE, sub, in, r);
		if ((r[HWT_EAX] ^ in[HWT_EAX]) & LEAF4_EAX_KEEP)
			return bad(ck, "cache type/level changed");
		if (!(in[HWT_EAX] & LEAF4_EAX_TYPE))
			return 0;
		cores = (r[HWT_EAX] >> 26) + 1;
		if (want > 6 ? cores != 64 : hwt_order(cores) != want ||
		    !is_pow2(cores))
			return bad(ck, "cores per package is not the core id width");
		if (!sub) {
			ck->leaf4_valid = 1;
			ck->leaf4_cores = cores;
		}
		ret = check_cache(ck, in, r);
		if (ret)
			return ret;
	}
	return bad(ck, "cache subleaves do not end");
}

/* Linux's parse_topology_leaf(), for leaves 0xB, 0x1F and 0x80000026. */
static int check_topo(struct checker *ck, u32 leaf)
{
	const struct hwt_map *map = ck->map;
	const struct hwt_vcpu *v = ck->v;
	u32 maxtype = leaf == HWT_CPUID_TOPO ? 3 : leaf == HWT_CPUID_TOPO2 ? 7 : 5;
	u32 in[4], r[4], sub, s0, s1;

	for (sub = 0; sub < HWT_MAX_SUBLEAVES; sub++) {
		u32 type, n;

		ck_read(ck, leaf, sub, in, r);
		type = (r[HWT_ECX] >> 8) & 0xff;
		n = r[HWT_EBX] & 0xffff;
		if (r[HWT_EDX] != v->apicid)
			return bad(ck, "APIC ID mismatch between subleaves");
		if ((r[HWT_ECX] & 0xff) != (sub & 0xff) || r[HWT_ECX] >> 16)
			return bad(ck, "level number is not the subleaf");
		if (!n || !type) {
			if (!sub)
				return bad(ck, "subleaf 0 is not valid");
			if (r[HWT_EAX] || r[HWT_EBX])
				return bad(ck, "terminating subleaf is not empty");
			break;
		}
		if (type >= maxtype)
			return bad(ck, "unknown level type");
		if (type != sub + 1)
			return bad(ck, "levels are not SMT then core");
		ck->topo_shift[sub] = r[HWT_EAX] & 0x1f;
		ck->topo_count[sub] = n;
	}
	if (sub != 2)
		return bad(ck, "not exactly two levels");
	s0 = ck->topo_shift[0];
	s1 = ck->topo_shift[1];
	if (!s0 && ck->topo_count[0] > 1)
		return bad(ck, "SMT shift 0 with several threads (Linux fixes it up)");
	if (s1 < s0 || (1U << s0) < ck->topo_count[0] ||
	    (1ULL << s1) < ck->topo_count[1])
		return bad(ck, "level counts do not fit the shifts");
	if (ck->topo_count[0] != map->threads ||
	    ck->topo_count[1] < map->threads * v->pkg_cores)
		return bad(ck, "level counts are not the partition's");
	/* Linux's topo_set_ids(): package, core and thread from the id. */
	if (v->apicid >> s1 != v->pkg ||
	    (v->apicid & ((1U << s1) - 1)) >> s0 != v->core ||
	    (v->apicid & ((1U << s0) - 1)) != v->thread)
		return bad(ck, "Linux would decode another position from the id");
	return 0;
}

/*
 * Leaf 0xB's shifts against the map's, and Linux's parse_legacy(), which
 * it uses without leaf 0xB: cores from leaf 4, the SMT shift from leaf 1.
 */
static int check_cross(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	u32 s0 = map->smt_shift, s1 = map->pkg_shift, core_shift;

	ck->fail->leaf = HWT_CPUID_TOPO;
	ck->fail->subleaf = 0;
	if (map->max_basic_leaf >= HWT_CPUID_TOPO &&
	    (ck->topo_shift[0] != s0 || ck->topo_shift[1] != s1))
		return bad(ck, "leaf 0xB shifts are not the map's");
	ck->fail->leaf = HWT_CPUID_CACHE;
	if (!ck->leaf4_valid || s1 - s0 > 6)
		return 0;
	core_shift = hwt_order(ck->leaf4_cores);
	if (core_shift != s1 - s0)
		return bad(ck, "leaf 4 core count disagrees with the shifts");
	if (map->vendor == HWT_VENDOR_INTEL && ck->leaf1_htt && s1 <= 8 &&
	    hwt_order(ck->leaf1_nproc) - core_shift != s0)
		return bad(ck, "legacy parse (leaf 1 / leaf 4) finds another SMT shift");
	return 0;
}

static int check_amd(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	const struct hwt_vcpu *v = ck->v;
	u32 in[4], r[4], sft, sub;
	int ret;

	if (map->max_ext_leaf >= HWT_CPUID_AMD_SIZES) {
		ck_read(ck, HWT_CPUID_AMD_SIZES, 0, in, r);
		/* parse_8000_0008() */
		sft = (r[HWT_ECX] >> 12) & 0xf;
		if (!sft)
			sft = hwt_order((r[HWT_ECX] & 0xff) + 1);
		if (sft != min_u32(map->pkg_shift, 15) ||
		    (r[HWT_ECX] & 0xff) + 1 < min_u32(pkg_threads(map), 256))
			return bad(ck, "ApicIdSize/NC disagree with the map");
	}
	if (map->max_ext_leaf >= HWT_CPUID_AMD_CACHE) {
		for (sub = 0; sub < HWT_MAX_SUBLEAVES; sub++) {
			ck_read(ck, HWT_CPUID_AMD_CACHE, sub, in, r);
			if (!(in[HWT_EAX] & LEAF4_EAX_TYPE))
				break;
			ret = check_cache(ck, in, r);
			if (ret)
				return ret;
		}
	}
	if (map->max_ext_leaf >= HWT_CPUID_AMD_TOPO) {
		ck_read(ck, HWT_CPUID_AMD_TOPO, 0, in, r);
		/* parse_8000_001e() */
		if (r[HWT_EAX] != v->apicid)
			return bad(ck, "extended APIC id is not the x2APIC id");
		if (((r[HWT_EBX] >> 8) & 0xff) + 1 != map->threads ||
		    hwt_order(map->threads) != map->smt_shift ||
		    (r[HWT_EBX] & 0xff) != (v->core & 0xff))
			return bad(ck, "threads per core or core id disagree");
	}
	if (map->max_ext_leaf >= HWT_CPUID_AMD_TOPO2)
		return check_topo(ck, HWT_CPUID_AMD_TOPO2);
	return 0;
}

static int check_msrs(struct checker *ck)
{
	const struct hwt_map *map = ck->map;
	const struct hwt_vcpu *v = ck->v;
	u64 val, host = 5ULL << 12 | (ck->fail->cpu & HWT_TSC_AUX_CPU_MASK);
	u32 cpu = ck->fail->cpu;

	ck->fail->subleaf = 0;
	ck->fail->leaf = HWT_MSR_X2APIC_ID;
	if (hwt_xlate_msr(map, cpu, HWT_MSR_X2APIC_ID, 0, &val) || val != v->apicid)
		return bad(ck, "MSR x2APIC id is not CPUID's");
	ck->fail->leaf = HWT_MSR_CORE_THREAD_COUNT;
	if (hwt_xlate_msr(map, cpu, HWT_MSR_CORE_THREAD_COUNT, 0, &val) ||
	    val >> 32 || (val >> 16) != v->pkg_cores ||
	    (val & 0xffff) != v->pkg_cores * map->threads ||
	    (map->max_basic_leaf >= HWT_CPUID_TOPO &&
	     (val & 0xffff) > ck->topo_count[1]))
		return bad(ck, "CORE_THREAD_COUNT disagrees with CPUID");
	ck->fail->leaf = HWT_MSR_TSC_AUX;
	if (hwt_xlate_msr(map, cpu, HWT_MSR_TSC_AUX, host, &val) ||
	    (val ^ host) & ~HWT_TSC_AUX_CPU_MASK ||
	    (val & HWT_TSC_AUX_CPU_MASK) !=
	    ((map->flags & HWT_MAP_RENUMBER ? v->index : cpu) & HWT_TSC_AUX_CPU_MASK))
		return bad(ck, "TSC_AUX does not carry the CPU number");
	return 0;
}

static int check_cpu(struct checker *ck, u32 cpu)
{
	const struct hwt_map *map = ck->map;
	int ret = 0;

	*ck->fail = (struct hwt_check_fail){ .cpu = cpu };
	ck->v = &map->cpu[cpu];
	ck->leaf4_valid = 0;
	ck->leaf1_htt = 0;
	ck->topo_count[1] = 0xffff;
	if (map->max_basic_leaf >= HWT_CPUID_FEATURES)
		ret = check_leaf1(ck);
	if (!ret && map->max_basic_leaf >= HWT_CPUID_CACHE)
		ret = check_leaf4(ck);
	if (!ret && map->max_basic_leaf >= HWT_CPUID_TOPO2)
		ret = check_topo(ck, HWT_CPUID_TOPO2);
	if (!ret && map->max_basic_leaf >= HWT_CPUID_TOPO)
		ret = check_topo(ck, HWT_CPUID_TOPO);
	if (!ret)
		ret = check_cross(ck);
	if (!ret && map->vendor == HWT_VENDOR_AMD)
		ret = check_amd(ck);
	if (!ret)
		ret = check_msrs(ck);
	return ret;
}

/**
 * hwt_map_check() - read a map back the way its consumers will
 * @map: a built map
 * @host_cpuid: source of the host registers each leaf is translated from
 * @ctx: passed to @host_cpuid
 * @fail: the first broken property, if any
 *
 * Checks that the virtual x2APIC ids are unique, dense and decode to each
 * CPU's position; that leaves 0xB/0x1F (and AMD's 0x80000026) parse as
 * Linux parses them, with the id in EDX on every subleaf and levels,
 * shifts and counts that agree with leaf 1, leaf 4 and Linux's legacy
 * parse; that cache sharing gives Linux cache ids matching the sharing
 * groups; that AMD's 0x80000008/0x8000001E agree; and that MSRs 0x35,
 * 0x802 and TSC_AUX agree with CPUID. It costs O(CPUs x leaves) and is
 * meant to run on every map before it is published.
 *
 * Return: 0, or -EINVAL with @fail filled in.
 */
int hwt_map_check(const struct hwt_map *map, hwt_host_cpuid_fn host_cpuid,
		  void *ctx, struct hwt_check_fail *fail)
{
	struct checker ck = {
		.map = map,
		.host_cpuid = host_cpuid,
		.ctx = ctx,
		.fail = fail,
	};
	u32 i;
	int ret;

	*fail = (struct hwt_check_fail){ 0 };
	ret = check_ids(&ck);
	for (i = 0; !ret && i < map->nr_vcpus; i++)
		ret = check_cpu(&ck, map->cpu[i].order);
	if (!ret)
		*fail = (struct hwt_check_fail){ 0 };
	return ret;
}
