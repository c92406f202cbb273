/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal header of lpar_hwthread.ko: the per-partition object shared by
 * the map publisher (map.c, the lpar_ext hooks) and the character devices
 * (dev.c). A partition's view is a struct hwt_view published with RCU and
 * pinned by a reference for the length of one read, so that a multi-chunk
 * read never mixes two maps; the struct hwt_part outlives the partition as
 * long as an open file holds it, and then answers ENXIO.
 */
#ifndef _HWT_H
#define _HWT_H

#include <linux/cpumask.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "hwthread_virt/xlate.h"

struct dentry;
struct netlink_ext_ack;

/**
 * struct hwt_view - one published map
 * @ref: readers pinning this map, plus one while it is published
 * @rcu: frees the view after the last reference
 * @map: the engine's map; last, it ends in a flexible array
 */
struct hwt_view {
	refcount_t ref;
	struct rcu_head rcu;
	struct hwt_map map;
};

#define HWT_REASON_LEN	160

/**
 * struct hwt_stats - reads through one partition's nodes
 * @cpuid_reads: 16-byte cpuid chunks answered
 * @cpuid_synth: of those, answered from the map alone
 * @msr_reads: 8-byte msr chunks and RDMSR ioctls answered
 * @msr_denied: MSR reads refused by the allow-list
 * @regs: struct hwt_reg_stat by (kind << 32 | register); entries are
 *	inserted with the xarray's own lock and never removed before the
 *	partition's object is freed
 * @nr_regs: entries in @regs, at most HWT_STAT_REGS
 */
struct hwt_stats {
	atomic64_t cpuid_reads;
	atomic64_t cpuid_synth;
	atomic64_t msr_reads;
	atomic64_t msr_denied;
	struct xarray regs;
	atomic_t nr_regs;
};

#define HWT_STAT_REGS	256

/**
 * struct hwt_reg_stat - reads of one CPUID leaf or MSR
 * @reads: reads answered
 * @denied: reads refused by the MSR policy
 */
struct hwt_reg_stat {
	atomic64_t reads;
	atomic64_t denied;
};

/**
 * struct hwt_part - the exclusive-core view of one partition
 * @ref: the partition's (dropped at destroy) and each open file's
 * @rcu: frees the object after the last reference
 * @lock: serializes changes of @view, @nodes, @reason and @dbg; held
 *	across device creation (may sleep); taken inside lpar_core's
 *	per-partition cfg_lock (the hooks run under it), never the reverse
 * @view: the published map, or NULL when the view is disabled or dead
 * @dead: the partition is gone; every access answers ENXIO
 * @enabled: the administrator's switch (lpar_hwt view-set); on by default
 * @slot: index of the partition in the minor number space
 * @part_id: the partition's id in lpar_core
 * @name: the partition's name, for device names and messages
 * @cpus: the partition's CPU set, as the hooks last told it
 * @nodes: CPUs whose cpuid/msr device nodes exist
 * @reason: why the view is disabled ("" when enabled)
 * @dbg: debugfs file describing the map
 * @stats: read counters; atomic, not under @lock
 */
struct hwt_part {
	struct kref ref;
	struct rcu_head rcu;
	struct mutex lock;	/* order: inside lpar cfg_lock; see above */
	struct hwt_view __rcu *view;
	bool dead;
	bool enabled;
	u32 slot;
	u32 part_id;
	char name[32];
	cpumask_var_t cpus;
	cpumask_var_t nodes;
	char reason[HWT_REASON_LEN];
	struct dentry *dbg;
	struct hwt_stats stats;
};

/* Device kinds, the lowest bit of the minor number. */
enum hwt_kind {
	HWT_KIND_CPUID,
	HWT_KIND_MSR,
	HWT_KINDS,
};

/* map.c */
int hwt_map_init(void);
void hwt_map_exit(void);
struct hwt_part *hwt_part_get_slot(u32 slot);
struct hwt_part *hwt_part_lookup(u32 id, const char *name);
struct hwt_part *hwt_part_get_next(u32 *slot);
u32 hwt_generation(void);
int hwt_part_set_enabled(struct hwt_part *hp, bool on,
			 struct netlink_ext_ack *extack);
bool hwt_msr_allowed(u32 msr);
bool hwt_renumber(void);
void hwt_part_put(struct hwt_part *hp);
struct hwt_view *hwt_view_get(struct hwt_part *hp);
void hwt_view_put(struct hwt_view *view);
bool hwt_host_has_msr(u32 msr);
int hwt_host_cpuid(u32 cpu, u32 leaf, u32 subleaf, u32 regs[4]);

/* dev.c */
#define HWT_MAX_SLOTS	1024	/* lpar.ko's default max_partitions */
extern u32 hwt_nr_slots;
int hwt_dev_init(void);
void hwt_dev_exit(void);
void hwt_dev_sync(struct hwt_part *hp, const struct cpumask *cpus);

/* stats.c */
void hwt_stats_init(struct hwt_stats *st);
void hwt_stats_destroy(struct hwt_stats *st);
void hwt_stat_read(struct hwt_part *hp, u32 kind, u32 reg, bool synth);
void hwt_stat_denied(struct hwt_part *hp, u32 reg);

/* netlink.c */
int hwt_nl_init(void);
void hwt_nl_exit(void);
void hwt_nl_notify(struct hwt_part *hp);

/* fs.c */
int hwt_fs_init(void);
void hwt_fs_exit(void);

#endif /* _HWT_H */
