// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU utilization over one interval (fold_util_of()): the part of the
 * interval the CPU was not idle, with idle and iowait time from
 * get_cpu_idle_time_us() and get_cpu_iowait_time_us(), which NOHZ keeps
 * exact on the clock. Where they are not kept (no NOHZ), and for the first
 * interval after a CPU came back online, the tick's counts the way
 * /proc/stat reads them: busy from kcpustat_cpu_fetch() (user, nice,
 * system, irq, softirq, steal) over busy + idle + iowait. An offline CPU
 * reads 0. Called only from the interval work under fold_lock, which
 * protects the previous readings.
 */
#include <linux/kernel_stat.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/tick.h>

#include "corefold/fold.h"

/*
 * Per CPU, the counters at the previous sample (ns) and the clock then (0:
 * idle is not on the clock, or the CPU was offline); under fold_lock.
 */
static u64 *fold_prev_busy, *fold_prev_idle, *fold_prev_wall;

static void fold_read_cpu(unsigned int cpu, u64 *busy, u64 *idle, u64 *wall)
{
	struct kernel_cpustat kcs;
	u64 i, w, now_us = 0;

	kcpustat_cpu_fetch(&kcs, cpu);
	*busy = kcs.cpustat[CPUTIME_USER] + kcs.cpustat[CPUTIME_NICE] +
		kcs.cpustat[CPUTIME_SYSTEM] + kcs.cpustat[CPUTIME_IRQ] +
		kcs.cpustat[CPUTIME_SOFTIRQ] + kcs.cpustat[CPUTIME_STEAL];
	/* The clock the idle time was read at is the interval's end. */
	i = get_cpu_idle_time_us(cpu, &now_us);
	w = get_cpu_iowait_time_us(cpu, NULL);
	if (i == -1ULL || w == -1ULL) {
		i = kcs.cpustat[CPUTIME_IDLE];
		w = kcs.cpustat[CPUTIME_IOWAIT];
		*wall = 0;
	} else {
		i *= NSEC_PER_USEC;
		w *= NSEC_PER_USEC;
		*wall = now_us * NSEC_PER_USEC;
	}
	*idle = i + w;
}

/*
 * One CPU's utilization since the previous sample, which this becomes.
 * The counters of a CPU that came back online restart
 * from what they were: its tick counts cover only the time it was online.
 */
static u16 fold_cpu_util(unsigned int cpu)
{
	u64 busy, idle, wall, db, di, dw;

	if (!cpu_online(cpu)) {
		fold_prev_wall[cpu] = 0;
		return 0;
	}
	fold_read_cpu(cpu, &busy, &idle, &wall);
	db = busy > fold_prev_busy[cpu] ? busy - fold_prev_busy[cpu] : 0;
	di = idle > fold_prev_idle[cpu] ? idle - fold_prev_idle[cpu] : 0;
	dw = wall && fold_prev_wall[cpu] ? wall - fold_prev_wall[cpu] : 0;
	fold_prev_busy[cpu] = busy;
	fold_prev_idle[cpu] = idle;
	fold_prev_wall[cpu] = wall;
	return fold_util_of(db, di, dw);
}

/**
 * fold_sample() - utilization of every CPU since the previous call
 * @util: nr_cpu_ids entries, per mille
 */
void fold_sample(u16 *util)
{
	unsigned int cpu;

	lockdep_assert_held(&fold_lock);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		util[cpu] = fold_cpu_util(cpu);
}

int fold_sample_init(void)
{
	unsigned int cpu;

	fold_prev_busy = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	fold_prev_idle = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	fold_prev_wall = kcalloc(nr_cpu_ids, sizeof(u64), GFP_KERNEL);
	if (!fold_prev_busy || !fold_prev_idle || !fold_prev_wall) {
		fold_sample_exit();
		return -ENOMEM;
	}
	for_each_online_cpu(cpu)
		fold_read_cpu(cpu, &fold_prev_busy[cpu], &fold_prev_idle[cpu],
			      &fold_prev_wall[cpu]);
	return 0;
}

void fold_sample_exit(void)
{
	kfree(fold_prev_busy);
	kfree(fold_prev_idle);
	kfree(fold_prev_wall);
	fold_prev_busy = NULL;
	fold_prev_idle = NULL;
	fold_prev_wall = NULL;
}
