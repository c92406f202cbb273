/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One simulated run of corefold-sim: a trace replayed through the corefold
 * policy and power model (the kernel's own corefold/policy.c and power.c)
 * under one placement mode, with the totals and per-interval series the
 * report and the plots need.
 */
#ifndef CFSIM_SIM_H
#define CFSIM_SIM_H

#include "corefold/policy.h"
#include "corefold/power.h"
#include "trace.h"

enum sim_mode {
	SIM_SPREAD,	/* no folding, demand spread over every CPU */
	SIM_NOPACK,	/* folding, unfolded cores spread over the sockets */
	SIM_COREFOLD,	/* folding and consolidation */
	SIM_NR_MODES,
};

struct sim_config {
	unsigned int sockets;
	unsigned int cores;
	unsigned int threads;
	unsigned int interval_ms;
	struct fold_tunables tun;
	struct fold_power_params power;
};

/* Per interval, for plots and --series. */
struct sim_point {
	uint32_t power_mw;
	uint32_t lost;		/* per mille CPUs */
	uint16_t unfolded;	/* unfolded CPUs */
	uint8_t active;		/* sockets with an unfolded CPU */
};

struct sim_result {
	const char *name;
	uint64_t energy_uj;
	uint64_t time_us;
	uint64_t deep_us[FOLD_MAX_SOCKETS];
	uint64_t demand;	/* per mille CPU-intervals */
	uint64_t lost;
	uint64_t decisions[FOLD_NR_ACTS];
	uint64_t active_sum;	/* sum of sockets active per interval */
	unsigned int max_lost_run;	/* longest run of intervals losing demand */
	unsigned int changes;	/* partition-intervals whose unfolded count changed */
	unsigned int cycles;	/* fold/unfold cycles: a rise of a count after a fall */
	unsigned int violations;
	char violation[200];	/* the first one */
	struct sim_point *series;	/* one per trace row */
};

/* Total CPUs and the demand of a trace row in per mille of all CPUs. */
unsigned int sim_nr_cpus(const struct sim_config *cfg);
unsigned int sim_row_demand(const struct sim_config *cfg, const struct trace *t,
			    unsigned int row);
int sim_run(const struct sim_config *cfg, const struct trace *t, enum sim_mode mode,
	    struct sim_result *r);
void sim_result_free(struct sim_result *r);
const char *sim_mode_name(enum sim_mode mode);

#endif /* CFSIM_SIM_H */
