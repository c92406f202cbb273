/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the glue files of lpar_corefold.ko share: the partition records,
 * the knobs, the engine's state and the entry points of each file.
 *
 *   engine.c    the interval: sample, decide (policy.c), apply, account
 *               (power.c); the partition records and the lpar_ext hooks
 *   sample.c    per-CPU utilization from the kernel's CPU time counters
 *   actuate.c   the two mechanisms (cpuset events, CPU hotplug) and the
 *               per-CPU resume-latency QoS requests
 *   sysfs.c     /sys/kernel/lpar/corefold/: knobs and reports
 *   netlink.c   the lpar_fold generic netlink family
 *
 * Locking: one mutex, fold_lock (engine.c), protects everything below
 * that is not marked otherwise: the partition list and records, the
 * knobs, the policy state, the energy accounts, the actuator state and
 * the QoS requests. It is taken by the interval work, the lpar_ext hooks,
 * sysfs and netlink handlers, and is held across CPU hotplug calls
 * (remove_cpu/add_cpu) and dev_pm_qos calls, which may sleep; nothing that
 * runs under the CPU hotplug lock takes it (corefold registers no hotplug
 * callback). Order: lpar_core's extension-table lock, then fold_lock, then
 * the device hotplug lock.
 */
#ifndef _FOLD_FOLD_H
#define _FOLD_FOLD_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pm_qos.h>

#include "corefold/policy.h"
#include "corefold/power.h"
#include "lpar_core/lpar.h"
#include <uapi/linux/lpar_fold.h>

#define FOLD_NR_MECHS	(LPAR_FOLD_MECHANISM_HOTPLUG + 1)
#define FOLD_NR_KINDS	(LPAR_FOLD_KIND_RESTORE + 1)

/**
 * struct fold_part - corefold's record of one lpar partition
 * @node: in fold_parts
 * @p: the partition, a counted reference dropped at part_destroy
 * @id: its id
 * @name: its name
 * @enabled: folding is enabled for it (netlink part-set; default off)
 * @cpus: its CPUs, as of the last create/cpus_changed hook
 * @unfolded: its unfolded CPUs as last announced (a subset of @cpus)
 * @ps: the policy's memory of it
 * @count: decisions taken for it, by enum fold_action
 * @seq: number of its last change of @unfolded
 * @applied_seq: last @seq an agent acknowledged
 * @time_ns: when @seq was decided, CLOCK_MONOTONIC
 * @kind: enum lpar_fold_kind of the last change
 */
struct fold_part {
	struct list_head node;
	struct lpar *p;
	u32 id;
	char name[LPAR_FOLD_NAME_MAX_LEN + 1];
	bool enabled;
	cpumask_var_t cpus;
	cpumask_var_t unfolded;
	struct fold_part_state ps;
	u64 count[FOLD_NR_ACTS];
	u64 seq;
	u64 applied_seq;
	u64 time_ns;
	u32 kind;
};

/**
 * struct fold_knobs - everything sysfs tunes
 * @enable: global switch; off restores every partition and stops sampling
 * @interval_ms: sampling interval
 * @mechanism: enum lpar_fold_mechanism
 * @latency_us: resume-latency bound requested for unfolded CPUs of
 *              partitions with folding on
 * @tun: the policy's knobs
 * @power: the power model's parameters
 */
struct fold_knobs {
	bool enable;
	u32 interval_ms;
	u32 mechanism;
	u32 latency_us;
	struct fold_tunables tun;
	struct fold_power_params power;
};

/**
 * struct fold_lat - how long applying changes took
 * @n: changes measured
 * @sum_ns: their total
 * @max_ns: the longest
 */
struct fold_lat {
	u64 n;
	u64 sum_ns;
	u64 max_ns;
};

extern struct mutex fold_lock;
extern struct list_head fold_parts;
extern struct fold_knobs fold_knobs;
extern struct fold_topology fold_topo;
extern struct fold_state fold_st;
extern struct fold_energy fold_energy;
extern u32 *fold_socket_mw;
extern u16 *fold_util;
extern struct fold_lat fold_lat[FOLD_NR_MECHS][FOLD_NR_KINDS];
extern u64 fold_intervals, fold_overhead_ns, fold_gen;
extern u32 fold_power_mw;

/* engine.c */
int fold_engine_init(void);
void fold_engine_exit(void);
int fold_engine_start(void);
void fold_engine_stop(void);
void fold_kick(void);
struct fold_part *fold_part_find(u32 id, const char *name);
int fold_part_enable(struct fold_part *fp, bool on);
int fold_set_enable(bool on);
int fold_set_mechanism(u32 mech);
void fold_lat_add(u32 mech, u32 kind, u64 ns);

/* sample.c */
int fold_sample_init(void);
void fold_sample_exit(void);
void fold_sample(u16 *util);

/* actuate.c */
int fold_actuate_init(void);
void fold_actuate_exit(void);
bool fold_cpu_hotpluggable(unsigned int cpu);
bool fold_cpu_offlined(unsigned int cpu);
int fold_hotplug_apply(const struct fold_part *fp, const struct fold_decision *d,
		       const struct cpumask *cpus);
void fold_hotplug_sync(void);
void fold_hotplug_restore(const struct cpumask *cpus);
void fold_qos_sync(void);
s32 fold_qos_effective(unsigned int cpu, s32 *requested);

/* sysfs.c */
int fold_sysfs_init(void);
void fold_sysfs_exit(void);

/* netlink.c */
int fold_netlink_init(void);
void fold_netlink_exit(void);
void fold_nl_notify(struct fold_part *fp);

#endif /* _FOLD_FOLD_H */
