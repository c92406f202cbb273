// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU utilization over one interval, read from the counters /proc/stat
 * reads: busy time from kcpustat_cpu_fetch() (user, nice, system, irq,
 * softirq, steal), idle and iowait from get_cpu_idle_time_us() and
 * get_cpu_iowait_time_us() where NOHZ keeps them exact, from kcpustat
 * otherwise. Utilization = busy / (busy + idle + iowait) of the counter
 * deltas, in per mille; an offline CPU reads 0. Called only from the
 * interval work under fold_lock, which protects the previous readings.
 */
#include <linux/kernel_stat.h>
#include <linux/slab.h>
#include <linux/tick.h>

#include "corefold/fold.h"

/* Per CPU, the counters at the previous sample (ns); under fold_lock. */
static u64 *fold_prev_busy, *fold_prev_idle;

static void fold_read_cpu(unsigned int cpu, u64 *busy, u64 *idle)
{
	struct kernel_cpustat kcs;
	u64 i, w;

	kcpustat_cpu_fetch(&kcs, cpu);
	*busy = kcs.cpustat[CPUTIME_USER] + kcs.cpustat[CPUTIME_NICE] +
		kcs.cpustat[CPUTIME_SYSTEM] + kcs.cpustat[CPUTIME_IRQ] +
		kcs.cpustat[CPUTIME_SOFTIRQ] + kcs.cpustat[CPUTIME_STEAL];
	i = get_cpu_idle_time_us(cpu, NULL);
	i = i == -1ULL ? kcs.cpustat[CPUTIME_IDLE] : i * NSEC_PER_USEC;
	w = get_cpu_iowait_time_us(cpu, NULL);
	w = w == -1ULL ? kcs.cpustat[CPUTIME_IOWAIT] : w * NSEC_PER_USEC;
	*idle = i + w;
}

/**
 * fold_sample() - utilization of every CPU since the previous call
 * @util: nr_cpu_ids entries, per mille
 */
void fold_sample(u16 *util)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		u64 busy, idle, db, di;

		util[cpu] = 0;
		if (!cpu_online(cpu))
			continue;
		fold_read_cpu(cpu, &busy, &idle);
		/* Counters restart from what they were: a CPU that came back. */
		db = busy > fold_prev_busy[cpu] ? busy - fold_prev_busy[cpu] : 0;
		di = idle > fold_prev_idle[cpu] ? idle - fold_prev_idle[cpu] : 0;
		fold_prev_busy[cpu] = busy;
		fold_prev_idle[cpu] = idle;
		if (db + di)
			util[cpu] = div64_u64(db * FOLD_UTIL_MAX, db + di);
	}
}

int fold_sample_init(void)
{
	unsigned int cpu;

	fold_prev_busy = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	fold_prev_idle = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	if (!fold_prev_busy || !fold_prev_idle) {
		fold_sample_exit();
		return -ENOMEM;
	}
	for_each_online_cpu(cpu)
		fold_read_cpu(cpu, &fold_prev_busy[cpu], &fold_prev_idle[cpu]);
	return 0;
}

void fold_sample_exit(void)
{
	kfree(fold_prev_busy);
	kfree(fold_prev_idle);
	fold_prev_busy = NULL;
	fold_prev_idle = NULL;
}
