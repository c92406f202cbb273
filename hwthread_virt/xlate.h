/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exclusive-core translation engine of lpar_hwthread: from the host
 * topology and a partition's CPU set it builds a map that shows the
 * partition C cores x T threads per virtual package, and it rewrites the
 * thread-specific CPUID leaves and MSRs through that map. Pure C (see
 * lpar_core/pure.h): the module, the KUnit suite hwthread_xlate and the
 * userspace tool hwt-proptest build this very code. The design note is
 * Documentation/hwthread_virt-design.md.
 */
#ifndef _HWT_XLATE_H
#define _HWT_XLATE_H

#include "lpar_core/pure.h"

/* The register slots of a CPUID result, as in regs[4]. */
enum {
	HWT_EAX,
	HWT_EBX,
	HWT_ECX,
	HWT_EDX,
};

/* Leaves and MSRs the engine translates. */
#define HWT_CPUID_FEATURES		0x00000001
#define HWT_CPUID_CACHE			0x00000004
#define HWT_CPUID_TOPO			0x0000000b
#define HWT_CPUID_TOPO2			0x0000001f
#define HWT_CPUID_AMD_SIZES		0x80000008
#define HWT_CPUID_AMD_CACHE		0x8000001d
#define HWT_CPUID_AMD_TOPO		0x8000001e
#define HWT_CPUID_AMD_TOPO2		0x80000026

#define HWT_MSR_CORE_THREAD_COUNT	0x00000035
#define HWT_MSR_X2APIC_ID		0x00000802
#define HWT_MSR_TSC_AUX			0xc0000103

/* Linux keeps its CPU number in TSC_AUX[11:0] (VDSO_CPUNODE_BITS). */
#define HWT_TSC_AUX_CPU_MASK		0xfffULL

enum hwt_vendor {
	HWT_VENDOR_INTEL,	/* and every vendor that follows Intel's leaves */
	HWT_VENDOR_AMD,		/* AMD and Hygon: the 0x8000001x leaves too */
};

/**
 * struct hwt_host_cpu - one host CPU, indexed by its Linux CPU number
 * @apicid: its x2APIC id
 * @pkg: physical package (socket) id
 * @core: core id, unique within @pkg
 * @thread: thread number within the core
 * @present: 0 for a CPU number with no CPU behind it
 * @reserved: 0
 *
 * Positions are compared, never used as numbers, so any ids the host
 * uses will do as long as (@pkg, @core, @thread) is unique.
 */
struct hwt_host_cpu {
	u32 apicid;
	u32 pkg;
	u32 core;
	u16 thread;
	u8 present;
	u8 reserved;
};

/**
 * struct hwt_host - what the engine needs to know of the host
 * @vendor: whose leaf layouts apply
 * @max_basic_leaf: CPUID.0:EAX; leaves above it are passed through
 * @max_ext_leaf: CPUID.0x80000000:EAX; likewise
 * @smt_shift: host x2APIC id bits below the core (Linux's SMT domain shift)
 * @pkg_shift: host x2APIC id bits below the package
 * @nr_cpus: number of entries in @cpu (nr_cpu_ids)
 * @cpu: the CPUs by Linux CPU number
 *
 * The host's own CPUID values are not stored: each translation receives
 * the host registers of the leaf it rewrites, and the two shifts are all
 * it needs to know of the host's leaves 0xB/0x1F/0x80000008 in order to
 * read the cache sharing of leaves 0x4 and 0x8000001D.
 */
struct hwt_host {
	enum hwt_vendor vendor;
	u32 max_basic_leaf;
	u32 max_ext_leaf;
	u8 smt_shift;
	u8 pkg_shift;
	u32 nr_cpus;
	const struct hwt_host_cpu *cpu;
};

/**
 * struct hwt_vcpu - the partition's view of one Linux CPU
 * @apicid: virtual x2APIC id, thread | core << S0 | pkg << S1
 * @pkg: virtual package
 * @core: virtual core within @pkg
 * @thread: virtual thread within @core
 * @member: 1 if the CPU belongs to the partition; all else is 0 if not
 * @pkg_cores: number of virtual cores in @pkg
 * @index: rank of @apicid among the partition's ids (the CPU's number
 *	when the map renumbers)
 * @order: Linux CPU number of the CPU of rank i, in the entry of index i
 *	(valid for i < nr_vcpus)
 */
struct hwt_vcpu {
	u32 apicid;
	u16 pkg;
	u16 core;
	u8 thread;
	u8 member;
	u16 pkg_cores;
	u32 index;
	u32 order;
};

/* Map flags. */
#define HWT_MAP_RENUMBER	0x1	/* TSC_AUX shows CPUs as 0..n-1 */
#define HWT_MAP_FLAGS		HWT_MAP_RENUMBER

/**
 * struct hwt_map - a partition's exclusive-core view
 * @flags: HWT_MAP_*
 * @vendor: copied from the host
 * @max_basic_leaf: copied from the host
 * @max_ext_leaf: copied from the host
 * @host_smt_shift: copied from the host
 * @host_pkg_shift: copied from the host
 * @smt_shift: S0 = order(T)
 * @pkg_shift: S1 = S0 + order(C)
 * @threads: T, threads of every core the partition uses
 * @cores: C, the most cores the partition uses in one package; every
 *	virtual package is described as having C cores
 * @packages: number of virtual packages (host packages used)
 * @nr_vcpus: number of CPUs in the partition
 * @nr_cpus: number of entries in @cpu
 * @cpu: the view of each Linux CPU
 *
 * Allocate hwt_map_size(nr_cpus) bytes and fill with hwt_map_build().
 * The map depends on nothing but the host and the partition's own CPU
 * set, so another partition's changes never change it.
 */
struct hwt_map {
	u32 flags;
	enum hwt_vendor vendor;
	u32 max_basic_leaf;
	u32 max_ext_leaf;
	u8 host_smt_shift;
	u8 host_pkg_shift;
	u8 smt_shift;
	u8 pkg_shift;
	u32 threads;
	u32 cores;
	u32 packages;
	u32 nr_vcpus;
	u32 nr_cpus;
	struct hwt_vcpu cpu[];
};

/* Why hwt_map_build() refused. */
enum hwt_reason {
	HWT_OK,
	HWT_ERR_EMPTY,		/* the partition has no CPU */
	HWT_ERR_CPU,		/* @cpu is out of range or not present */
	HWT_ERR_FLAGS,		/* unknown map flags */
	HWT_ERR_HOST,		/* @cpu and @other have the same position */
	HWT_ERR_UNEVEN,		/* @cpu's core holds @n threads, @other's @m */
	HWT_ERR_TOO_BIG,	/* the view does not fit the id fields */
};

/**
 * struct hwt_build_err - details of a refused map
 * @reason: HWT_ERR_*
 * @cpu: the first CPU involved
 * @other: the second CPU involved, if any
 * @n: threads the partition holds on @cpu's core
 * @m: threads the partition holds on @other's core
 */
struct hwt_build_err {
	enum hwt_reason reason;
	u32 cpu;
	u32 other;
	u32 n;
	u32 m;
};

/**
 * struct hwt_check_fail - the first property hwt_map_check() found broken
 * @what: the property, in words
 * @cpu: Linux CPU it was found on
 * @leaf: CPUID leaf or MSR number
 * @subleaf: CPUID subleaf
 */
struct hwt_check_fail {
	const char *what;
	u32 cpu;
	u32 leaf;
	u32 subleaf;
};

/*
 * Source of host CPUID values for hwt_map_check(): fills @regs with what
 * CPUID(@leaf, @subleaf) returns on @cpu.
 */
typedef void (*hwt_host_cpuid_fn)(void *ctx, u32 cpu, u32 leaf, u32 subleaf,
				  u32 regs[4]);

unsigned int hwt_order(u32 n);
size_t hwt_map_size(u32 nr_cpus);
int hwt_map_build(struct hwt_map *map, const struct hwt_host *host,
		  const unsigned long *cpus, u32 flags,
		  struct hwt_build_err *err);
const char *hwt_reason_str(enum hwt_reason reason);

bool hwt_cpuid_synthesized(const struct hwt_map *map, u32 leaf);
int hwt_xlate_cpuid(const struct hwt_map *map, u32 cpu, u32 leaf,
		    u32 subleaf, const u32 in[4], u32 out[4]);
bool hwt_msr_synthesized(u32 msr);
int hwt_xlate_msr(const struct hwt_map *map, u32 cpu, u32 msr,
		  u64 host_value, u64 *out);

/* Levels of the virtual topology, for sibling masks and cache sharing. */
enum hwt_level {
	HWT_LEVEL_THREAD,
	HWT_LEVEL_CORE,
	HWT_LEVEL_PKG,
};

const struct hwt_vcpu *hwt_map_vcpu(const struct hwt_map *map, u32 cpu);
int hwt_map_siblings(const struct hwt_map *map, u32 cpu,
		     enum hwt_level level, unsigned long *mask);
enum hwt_level hwt_cache_level(const struct hwt_map *map, u32 host_sharing);

int hwt_map_check(const struct hwt_map *map, hwt_host_cpuid_fn host_cpuid,
		  void *ctx, struct hwt_check_fail *fail);

#endif /* _HWT_XLATE_H */
