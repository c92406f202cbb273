// SPDX-License-Identifier: GPL-2.0
/*
 * Read counters of a partition's cpuid and msr nodes: totals, and one
 * entry per register for the first HWT_STAT_REGS distinct ones read, so
 * that an administrator sees which leaves and MSRs a workload asks for
 * and which the allow-list refused. Counting is lock-free on the read
 * path: an entry is found with xa_load() (RCU inside) and inserted once
 * with xa_insert(); a lost insertion race just uses the winner's entry.
 * The netlink family reports them (netlink.c).
 */
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <uapi/linux/lpar_hwt.h>

#include "hwthread_virt/hwt.h"

/**
 * hwt_stats_init() - start a partition's counters at zero
 * @st: the counters
 */
void hwt_stats_init(struct hwt_stats *st)
{
	atomic64_set(&st->cpuid_reads, 0);
	atomic64_set(&st->cpuid_synth, 0);
	atomic64_set(&st->msr_reads, 0);
	atomic64_set(&st->msr_denied, 0);
	atomic_set(&st->nr_regs, 0);
	xa_init(&st->regs);
}

/**
 * hwt_stats_destroy() - free the per-register entries
 * @st: the counters; nobody counts into them any more
 */
void hwt_stats_destroy(struct hwt_stats *st)
{
	struct hwt_reg_stat *rs;
	unsigned long idx;

	xa_for_each(&st->regs, idx, rs)
		kfree(rs);
	xa_destroy(&st->regs);
}

/* The entry of one register, made on first use while there is room. */
static struct hwt_reg_stat *hwt_reg_stat(struct hwt_stats *st, u32 kind, u32 reg)
{
	unsigned long idx = (unsigned long)kind << 32 | reg;
	struct hwt_reg_stat *rs, *old;

	rs = xa_load(&st->regs, idx);
	if (rs || atomic_read(&st->nr_regs) >= HWT_STAT_REGS)
		return rs;
	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return NULL;
	old = xa_cmpxchg(&st->regs, idx, NULL, rs, GFP_KERNEL);
	if (old || xa_is_err(old)) {
		kfree(rs);
		return xa_is_err(old) ? NULL : old;
	}
	atomic_inc(&st->nr_regs);
	return rs;
}

/**
 * hwt_stat_read() - count one answered chunk
 * @hp: the partition
 * @kind: LPAR_HWT_REG_KIND_CPUID or _MSR
 * @reg: the leaf or MSR
 * @synth: a CPUID chunk answered from the map alone
 */
void hwt_stat_read(struct hwt_part *hp, u32 kind, u32 reg, bool synth)
{
	struct hwt_reg_stat *rs = hwt_reg_stat(&hp->stats, kind, reg);

	if (rs)
		atomic64_inc(&rs->reads);
	if (kind == LPAR_HWT_REG_KIND_MSR) {
		atomic64_inc(&hp->stats.msr_reads);
		return;
	}
	atomic64_inc(&hp->stats.cpuid_reads);
	if (synth)
		atomic64_inc(&hp->stats.cpuid_synth);
}

/**
 * hwt_stat_denied() - count one MSR read the allow-list refused
 * @hp: the partition
 * @reg: the MSR
 */
void hwt_stat_denied(struct hwt_part *hp, u32 reg)
{
	struct hwt_reg_stat *rs = hwt_reg_stat(&hp->stats, LPAR_HWT_REG_KIND_MSR, reg);

	if (rs)
		atomic64_inc(&rs->denied);
	atomic64_inc(&hp->stats.msr_denied);
}
