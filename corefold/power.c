// SPDX-License-Identifier: GPL-2.0
/*
 * The power model of corefold (see power.h for the parameters and their
 * source), as pure integer arithmetic. Utilization only says how long each
 * CPU ran, not when, so overlaps are estimated as if CPUs ran
 * independently: a core is idle for the product of its threads' idle
 * fractions and a package for the product over all its CPUs. That is
 * generous to spread placement, whose scattered idle periods a real
 * package could rarely use (its deep state needs 600 us of common idleness
 * on Skylake-SP), so savings measured against it are conservative.
 */
#include "power.h"

#define PPM			1000000U
/* fold_energy.core words: idle fraction in ppm, and two flags. */
#define CORE_IDLE_MASK		0x1fffffU
#define CORE_PRESENT		0x40000000U
#define CORE_UNFOLDED		0x80000000U
/* Keeps uW * us below 2^64 for any 32-bit interval. */
#define SOCKET_MAX_MW		4000000ULL

/*
 * Intel Xeon Gold 6148: TDP 150 W published; the uncore, deep, idle and
 * folded figures assumed; core active derived so that 20 busy cores and the
 * uncore draw the TDP. See power.h.
 */
const struct fold_power_params fold_power_xeon_gold_6148 = {
	.uncore_mw = 28000,
	.deep_mw = 12000,
	.core_active_mw = 6100,
	.core_idle_mw = 1200,
	.core_folded_mw = 100,
};

/**
 * fold_power_check() - validate a parameter set
 * @pp: the parameters
 *
 * Return: 0, or -EINVAL unless deep <= uncore and folded <= idle <= active,
 * which keeps energy monotonic in utilization.
 */
int fold_power_check(const struct fold_power_params *pp)
{
	if (pp->deep_mw > pp->uncore_mw || pp->core_folded_mw > pp->core_idle_mw ||
	    pp->core_idle_mw > pp->core_active_mw)
		return -EINVAL;
	return 0;
}

/**
 * fold_energy_init() - set up an empty accumulator
 * @e: the accumulator
 * @buf: fold_energy_size(@nr_sockets, @cores_per_socket) bytes, 8-byte
 *       aligned, owned by the caller for the life of @e
 * @nr_sockets: sockets of the topology it will be used with
 * @cores_per_socket: cores per socket of that topology
 */
void fold_energy_init(struct fold_energy *e, void *buf, u32 nr_sockets, u32 cores_per_socket)
{
	u64 *q = buf;
	u32 i;

	e->nr_sockets = nr_sockets;
	e->nr_cores = nr_sockets * cores_per_socket;
	e->time_us = 0;
	e->uj = q;
	e->deep_us = q + nr_sockets;
	e->rem_pj = q + 2 * nr_sockets;
	e->rem_deep = q + 3 * nr_sockets;
	e->core = (u32 *)(q + 4 * nr_sockets);
	e->sock = (u32 *)((u8 *)e->core + FOLD_ALIGN8(4 * (size_t)nr_sockets * cores_per_socket));
	for (i = 0; i < 4 * nr_sockets; i++)
		q[i] = 0;
}

/**
 * fold_power_interval() - account one interval
 * @pp: the parameters
 * @topo: the machine; the same socket and core counts as at
 *        fold_energy_init()
 * @util: utilization of each CPU over the interval, per mille
 * @unfolded: unfolded CPUs; a core with none is folded
 * @interval_us: the interval's length
 * @e: accumulator to add the energy and deep residency to
 * @power_uw: if not NULL, set to the interval's mean power of all sockets
 *
 * Per socket, with d the deep fraction (every CPU idle at once), b a
 * core's busy fraction (any thread running) and i = 1 - b:
 * P = d * deep + (1 - d) * uncore + sum over cores of
 * b * active + (i - d) * (unfolded ? idle : folded).
 * A socket whose CPUs are all idle therefore draws exactly its deep power.
 *
 * Return: 0, or -EINVAL for bad parameters or topology.
 */
int fold_power_interval(const struct fold_power_params *pp, const struct fold_topology *topo,
			const u16 *util, const unsigned long *unfolded, u32 interval_us,
			struct fold_energy *e, u64 *power_uw)
{
	u32 cps = topo->cores_per_socket, ns = topo->nr_sockets;
	u64 total = 0;
	u32 cpu, s, c;

	if (fold_topology_check(topo) || fold_power_check(pp) || e->nr_sockets != ns ||
	    e->nr_cores != ns * cps ||
	    pp->uncore_mw + (u64)cps * pp->core_active_mw > SOCKET_MAX_MW)
		return -EINVAL;

	for (s = 0; s < ns; s++)
		e->sock[s] = PPM;
	for (c = 0; c < ns * cps; c++)
		e->core[c] = 0;
	for (cpu = 0; cpu < topo->nr_cpus; cpu++) {
		const struct fold_cpu *fc = &topo->cpu[cpu];
		u32 idle, w;

		if (fc->socket == FOLD_ABSENT)
			continue;
		idle = FOLD_UTIL_MAX - (util[cpu] < FOLD_UTIL_MAX ? util[cpu] : FOLD_UTIL_MAX);
		c = fc->socket * cps + fc->core;
		w = e->core[c];
		if (!(w & CORE_PRESENT))
			w = CORE_PRESENT | PPM;
		w = (w & ~CORE_IDLE_MASK) | (u32)((u64)(w & CORE_IDLE_MASK) * idle / FOLD_UTIL_MAX);
		if (lpar_bit(unfolded, cpu))
			w |= CORE_UNFOLDED;
		e->core[c] = w;
		e->sock[fc->socket] = (u64)e->sock[fc->socket] * idle / FOLD_UTIL_MAX;
	}

	for (s = 0; s < ns; s++) {
		u64 deep = e->sock[s], pw, uw, pj, d;

		pw = deep * pp->deep_mw + (PPM - deep) * pp->uncore_mw;
		for (c = s * cps; c < (s + 1) * cps; c++) {
			u32 w = e->core[c], idle = w & CORE_IDLE_MASK;
			u64 rest = idle > deep ? idle - deep : 0;

			if (!(w & CORE_PRESENT))
				continue;
			pw += (u64)(PPM - idle) * pp->core_active_mw;
			pw += rest * (w & CORE_UNFOLDED ? pp->core_idle_mw : pp->core_folded_mw);
		}
		/* mW * ppm / 1000 = uW; uW * us = pJ. */
		uw = pw / 1000;
		total += uw;
		pj = uw * interval_us + e->rem_pj[s];
		e->uj[s] += pj / PPM;
		e->rem_pj[s] = pj % PPM;
		d = deep * interval_us + e->rem_deep[s];
		e->deep_us[s] += d / PPM;
		e->rem_deep[s] = d % PPM;
	}
	e->time_us += interval_us;
	if (power_uw)
		*power_uw = total;
	return 0;
}

/**
 * fold_energy_total_uj() - energy of all sockets
 * @e: the accumulator
 *
 * Return: the sum of the per-socket energies, microjoules.
 */
u64 fold_energy_total_uj(const struct fold_energy *e)
{
	u64 t = 0;
	u32 s;

	for (s = 0; s < e->nr_sockets; s++)
		t += e->uj[s];
	return t;
}
