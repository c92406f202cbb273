/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The corefold power model: what a socket draws in an interval given each
 * CPU's utilization and which cores are folded, integrated into energy in
 * integer microjoules. A socket pays its uncore while the package is awake
 * and only its package deep-state power while every one of its CPUs is
 * idle (folded CPUs count as idle); a core pays active power while any of
 * its threads runs, idle power while it waits unfolded, and folded power
 * while folded. Pure C, shared by the module (sysfs reports), the KUnit
 * suite and tools/corefold-sim.
 *
 * Default parameters: Intel Xeon Gold 6148 (Skylake-SP, 20 cores / 40
 * threads, base 2.4 GHz).
 *   Published: TDP 150 W (Intel ARK); C6 exit latency 133 us and target
 *     residency 600 us, the package C6 worst case (Linux
 *     drivers/idle/intel_idle.c, skx_cstates).
 *   Assumed, not from a datasheet: uncore 28 W with the package awake,
 *     package C6 12 W, an idle unfolded core 1.2 W (shallow C1/C1E, as it
 *     keeps a wake-up latency bound), a folded core 0.1 W (core C6).
 *   Derived: core active 6.1 W = (150 W - 28 W) / 20, so a socket with every
 *     core busy draws exactly its TDP.
 * Documentation/corefold-design.md discusses the choice; measure your own
 * with RAPL and override them.
 */
#ifndef _FOLD_POWER_H
#define _FOLD_POWER_H

#include "policy.h"

/**
 * struct fold_power_params - power of one socket's parts, in milliwatts
 * @uncore_mw: the package while awake, cores excluded (mesh, LLC, memory
 *             controllers, links)
 * @deep_mw: the whole package in its deep state (package C6)
 * @core_active_mw: a core while at least one of its threads runs
 * @core_idle_mw: an unfolded core while idle
 * @core_folded_mw: a folded core
 *
 * Valid when deep <= uncore and folded <= idle <= active.
 */
struct fold_power_params {
	u32 uncore_mw;
	u32 deep_mw;
	u32 core_active_mw;
	u32 core_idle_mw;
	u32 core_folded_mw;
};

/**
 * struct fold_energy - energy and residency accumulated per socket
 * @nr_sockets: entries in each array
 * @nr_cores: cores of the topology (sockets * cores per socket)
 * @time_us: time accounted
 * @uj: energy per socket, microjoules
 * @deep_us: time per socket in the package deep state
 * @rem_pj: per socket, energy below one microjoule carried to the next
 *          interval, so that sums do not drift
 * @rem_deep: per socket, residency below one microsecond (ppm * us)
 * @core: scratch, one word per core
 * @sock: scratch, one word per socket
 *
 * The arrays live in one caller buffer of fold_energy_size() bytes; see
 * fold_energy_init().
 */
struct fold_energy {
	u32 nr_sockets;
	u32 nr_cores;
	u64 time_us;
	u64 *uj;
	u64 *deep_us;
	u64 *rem_pj;
	u64 *rem_deep;
	u32 *core;
	u32 *sock;
};

/**
 * fold_energy_size() - bytes for fold_energy_init()'s buffer
 * @sockets: topology nr_sockets
 * @cores: topology cores_per_socket
 *
 * Return: the size.
 */
static inline size_t fold_energy_size(size_t sockets, size_t cores)
{
	return 4 * 8 * sockets + FOLD_ALIGN8(4 * sockets * cores) + FOLD_ALIGN8(4 * sockets);
}

extern const struct fold_power_params fold_power_xeon_gold_6148;

int fold_power_check(const struct fold_power_params *pp);
void fold_energy_init(struct fold_energy *e, void *buf, u32 nr_sockets, u32 cores_per_socket);
int fold_power_interval(const struct fold_power_params *pp, const struct fold_topology *topo,
			const u16 *util, const unsigned long *unfolded, u32 interval_us,
			struct fold_energy *e, u64 *power_uw);
u64 fold_energy_total_uj(const struct fold_energy *e);

#endif /* _FOLD_POWER_H */
