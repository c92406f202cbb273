// SPDX-License-Identifier: GPL-2.0
/*
 * The simulation loop of corefold-sim. Each trace row is one interval:
 * the partitions' demand runs on the CPUs the previous interval left
 * unfolded (spread evenly over them, the excess counted as lost
 * throughput), the power model accounts the interval, and the policy,
 * given the resulting utilization, decides the next one. Partition p of N
 * owns cores [p * C / N, (p + 1) * C / N) of every socket, all threads:
 * cpusets that span sockets, which is where consolidation matters. Every
 * decision is checked against the partition's CPU set and the floor.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"
#include "sim.h"

static const char * const sim_mode_names[SIM_NR_MODES] = {
	[SIM_SPREAD] = "spread",
	[SIM_NOPACK] = "fold-nopack",
	[SIM_COREFOLD] = "corefold",
};

struct sim {
	const struct sim_config *cfg;
	const struct trace *t;
	struct fold_topology topo;
	struct fold_cpu *cpu;
	struct fold_partition *parts;
	unsigned long *part_bits;
	unsigned int *part_nr;		/* CPUs of each partition */
	unsigned int *part_cpu;		/* their ids, nr_cpus per partition */
	uint16_t *util;
	unsigned long *unfolded;
	struct fold_part_state *pst;
	struct fold_state st;
	void *work;
	size_t work_len;
	struct fold_decision *dec;
	struct fold_energy e;
	void *ebuf;
};

/**
 * sim_mode_name() - the name a mode is reported under
 * @mode: the mode
 *
 * Return: a static string.
 */
const char *sim_mode_name(enum sim_mode mode)
{
	return mode < SIM_NR_MODES ? sim_mode_names[mode] : "?";
}

/**
 * sim_nr_cpus() - CPUs of the simulated machine
 * @cfg: the configuration
 *
 * Return: sockets * cores * threads.
 */
unsigned int sim_nr_cpus(const struct sim_config *cfg)
{
	return cfg->sockets * cfg->cores * cfg->threads;
}

static unsigned int part_cores(const struct sim_config *cfg, unsigned int nr_parts,
			       unsigned int p, unsigned int *first)
{
	unsigned int lo = p * cfg->cores / nr_parts, hi = (p + 1) * cfg->cores / nr_parts;

	*first = lo;
	return hi - lo;
}

/**
 * sim_row_demand() - demand of one trace row
 * @cfg: the configuration
 * @t: the trace
 * @row: the row
 *
 * Return: the demand of all partitions in per mille of all CPUs.
 */
unsigned int sim_row_demand(const struct sim_config *cfg, const struct trace *t,
			    unsigned int row)
{
	unsigned long long sum = 0;
	unsigned int p, first;

	for (p = 0; p < t->nr_parts; p++)
		sum += (unsigned long long)trace_demand(t, row, p) *
		       part_cores(cfg, t->nr_parts, p, &first);
	return sum / cfg->cores;
}

static void sim_free(struct sim *s)
{
	free(s->cpu);
	free(s->parts);
	free(s->part_bits);
	free(s->part_nr);
	free(s->part_cpu);
	free(s->util);
	free(s->unfolded);
	free(s->pst);
	free(s->work);
	free(s->dec);
	free(s->ebuf);
}

static int sim_setup(struct sim *s, const struct sim_config *cfg, const struct trace *t)
{
	unsigned int ncpu = sim_nr_cpus(cfg), longs = FOLD_BITMAP_LONGS(ncpu);
	unsigned int np = t->nr_parts, p, sk, c, th;
	size_t esize;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->t = t;
	s->cpu = calloc(ncpu, sizeof(*s->cpu));
	s->parts = calloc(np, sizeof(*s->parts));
	s->part_bits = calloc((size_t)np * longs, sizeof(long));
	s->part_nr = calloc(np, sizeof(*s->part_nr));
	s->part_cpu = calloc((size_t)np * ncpu, sizeof(*s->part_cpu));
	s->util = calloc(ncpu, sizeof(*s->util));
	s->unfolded = calloc(longs, sizeof(long));
	s->pst = calloc(np, sizeof(*s->pst));
	s->work_len = fold_work_size(ncpu, cfg->sockets, cfg->cores, np);
	s->work = malloc(s->work_len);
	s->dec = calloc(FOLD_MAX_DECISIONS(ncpu), sizeof(*s->dec));
	esize = fold_energy_size(cfg->sockets, cfg->cores);
	s->ebuf = malloc(esize);
	if (!s->cpu || !s->parts || !s->part_bits || !s->part_nr || !s->part_cpu ||
	    !s->util || !s->unfolded || !s->pst || !s->work || !s->dec || !s->ebuf)
		return -ENOMEM;

	fold_topology_fill(s->cpu, cfg->sockets, cfg->cores, cfg->threads);
	s->topo.nr_cpus = ncpu;
	s->topo.nr_sockets = cfg->sockets;
	s->topo.cores_per_socket = cfg->cores;
	s->topo.threads_per_core = cfg->threads;
	s->topo.cpu = s->cpu;

	for (p = 0; p < np; p++) {
		unsigned long *bits = &s->part_bits[(size_t)p * longs];
		unsigned int first, n = part_cores(cfg, np, p, &first);

		for (sk = 0; sk < cfg->sockets; sk++)
			for (c = first; c < first + n; c++)
				for (th = 0; th < cfg->threads; th++) {
					unsigned int cpu;

					cpu = ((sk * cfg->cores) + c) * cfg->threads + th;

					lpar_set_bit(bits, cpu);
					s->part_cpu[(size_t)p * ncpu + s->part_nr[p]++] = cpu;
				}
		s->parts[p].cpus = bits;
		s->parts[p].enabled = true;
	}
	s->st.nr_cpus = ncpu;
	s->st.nr_parts = np;
	s->st.unfolded = s->unfolded;
	s->st.part = s->pst;
	fold_state_init(&s->st);
	fold_energy_init(&s->e, s->ebuf, cfg->sockets, cfg->cores);
	return 0;
}

static __printf(2, 3) void violation(struct sim_result *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->violations++) {
		va_start(ap, fmt);
		vsnprintf(r->violation, sizeof(r->violation), fmt, ap);
		va_end(ap);
	}
}

/* Does partition p own a CPU of global core @core? */
static bool owns_core(const struct sim *s, unsigned int p, unsigned int core)
{
	unsigned int th, longs = FOLD_BITMAP_LONGS(s->topo.nr_cpus);

	if (core >= s->cfg->sockets * s->cfg->cores)
		return false;
	for (th = 0; th < s->cfg->threads; th++)
		if (lpar_bit(&s->part_bits[(size_t)p * longs], core * s->cfg->threads + th))
			return true;
	return false;
}

/* The invariants the policy promises, checked after every step. */
static void check_step(const struct sim *s, const struct fold_output *out,
		       unsigned int row, struct sim_result *r)
{
	unsigned int ncpu = s->topo.nr_cpus, i, p;

	for (i = 0; i < out->nr_dec && i < FOLD_MAX_DECISIONS(ncpu); i++) {
		const struct fold_decision *d = &out->dec[i];

		if (d->part >= s->t->nr_parts || !owns_core(s, d->part, d->core) ||
		    (d->dest != FOLD_NONE && !owns_core(s, d->part, d->dest)))
			violation(r, "interval %u: %s of core %u outside partition %u", row,
				  fold_action_name(d->action), d->core, d->part);
	}
	for (p = 0; p < s->t->nr_parts; p++) {
		unsigned int units = 0, cores = s->part_nr[p] / s->cfg->threads, k;
		unsigned int floor = s->cfg->tun.floor ? s->cfg->tun.floor : 1;

		for (k = 0; k < s->part_nr[p]; k += s->cfg->threads) {
			unsigned int cpu = s->part_cpu[(size_t)p * ncpu + k], th;

			for (th = 0; th < s->cfg->threads; th++)
				if (lpar_bit(s->unfolded, cpu + th))
					break;
			units += th < s->cfg->threads;
		}
		if (units < (floor < cores ? floor : cores))
			violation(r, "interval %u: partition %u has %u unfolded cores, floor %u",
				  row, p, units, floor);
	}
}

/**
 * sim_run() - replay a trace in one mode
 * @cfg: machine, interval, knobs and power parameters
 * @t: the trace; one partition per column
 * @mode: the placement mode
 * @r: zeroed result to fill; free its series with sim_result_free()
 *
 * Return: 0, or -errno.
 */
int sim_run(const struct sim_config *cfg, const struct trace *t, enum sim_mode mode,
	    struct sim_result *r)
{
	unsigned int ncpu = sim_nr_cpus(cfg), row, p, i, run = 0;
	unsigned int prev_n[TRACE_MAX_PARTS];
	bool fell[TRACE_MAX_PARTS] = { false };
	struct fold_tunables tun = cfg->tun;
	struct sim s;
	int ret;

	r->name = sim_mode_name(mode);
	r->series = calloc(t->nr_rows, sizeof(*r->series));
	if (!r->series)
		return -ENOMEM;
	ret = sim_setup(&s, cfg, t);
	if (ret)
		goto out_free;
	tun.consolidate = mode == SIM_COREFOLD;

	for (row = 0; row < t->nr_rows; row++) {
		struct sim_point *pt = &r->series[row];
		struct fold_input in = {
			.topo = &s.topo, .parts = s.parts, .nr_parts = t->nr_parts,
			.util = s.util, .tun = &tun,
		};
		struct fold_output out = { .dec = s.dec, .max_dec = FOLD_MAX_DECISIONS(ncpu) };
		uint64_t lost = 0, sockets = 0;
		u64 power_uw;

		for (p = 0; p < t->nr_parts; p++) {
			const unsigned int *cpus = &s.part_cpu[(size_t)p * ncpu];
			uint64_t demand = (uint64_t)trace_demand(t, row, p) * s.part_nr[p];
			uint64_t n = 0, served, k = 0;

			for (i = 0; i < s.part_nr[p]; i++)
				n += lpar_bit(s.unfolded, cpus[i]);
			if (row && n != prev_n[p])
				r->changes++;
			if (row && n < prev_n[p])
				fell[p] = true;
			if (row && n > prev_n[p] && fell[p]) {
				r->cycles++;
				fell[p] = false;
			}
			prev_n[p] = n;
			served = demand < n * FOLD_UTIL_MAX ? demand : n * FOLD_UTIL_MAX;
			lost += demand - served;
			r->demand += demand;
			for (i = 0; i < s.part_nr[p]; i++) {
				if (!lpar_bit(s.unfolded, cpus[i])) {
					s.util[cpus[i]] = 0;
					continue;
				}
				s.util[cpus[i]] = served / n + (k++ < served % n);
				pt->unfolded++;
				sockets |= 1ULL << s.cpu[cpus[i]].socket;
			}
		}
		r->lost += lost;
		pt->lost = lost;
		run = lost ? run + 1 : 0;
		if (run > r->max_lost_run)
			r->max_lost_run = run;
		pt->active = __builtin_popcountll(sockets);
		r->active_sum += pt->active;

		ret = fold_power_interval(&cfg->power, &s.topo, s.util, s.unfolded,
					  cfg->interval_ms * 1000, &s.e, &power_uw);
		if (ret)
			goto out_free;
		pt->power_mw = power_uw / 1000;

		if (mode == SIM_SPREAD)
			continue;
		ret = fold_step(&in, &s.st, s.work, s.work_len, &out);
		if (ret)
			goto out_free;
		for (i = 0; i < out.nr_dec && i < out.max_dec; i++)
			r->decisions[s.dec[i].action]++;
		check_step(&s, &out, row, r);
	}
	r->energy_uj = fold_energy_total_uj(&s.e);
	r->time_us = s.e.time_us;
	for (i = 0; i < cfg->sockets; i++)
		r->deep_us[i] = s.e.deep_us[i];
out_free:
	sim_free(&s);
	return ret;
}

/**
 * sim_result_free() - release a result's series
 * @r: the result
 */
void sim_result_free(struct sim_result *r)
{
	free(r->series);
	r->series = NULL;
}
