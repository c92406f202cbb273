/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The corefold policy: which cores of each partition stay unfolded, and on
 * which sockets. Each interval the caller hands in the topology, the
 * partitions' CPU sets, one utilization sample per CPU and the state the
 * previous interval left; the policy folds and unfolds cores with
 * hysteresis and packs the unfolded ones into the fewest sockets by
 * exchange or migration, so that an emptied socket can reach its package
 * deep state. Pure C (see lpar_core/pure.h): the module, the KUnit suite
 * and tools/corefold-sim build this same code. Documentation/corefold-design.md
 * explains the rules.
 */
#ifndef _FOLD_POLICY_H
#define _FOLD_POLICY_H

#include "lpar_core/pure.h"

#define FOLD_MAX_CPUS		8192	/* x86_64's largest NR_CPUS */
#define FOLD_MAX_SOCKETS	64	/* socket sets are u64 masks */
#define FOLD_MAX_THREADS	8	/* hardware threads per core */
#define FOLD_MAX_PARTS		1024
/* Up to this many sockets the packing is exact; beyond it, greedy. */
#define FOLD_EXACT_SOCKETS	8
#define FOLD_UTIL_MAX		1000	/* utilization is in per mille */

#define FOLD_NONE		0xffffffffU	/* no core, CPU or partition */
#define FOLD_ABSENT		0xffff		/* fold_cpu.socket of a missing CPU */

/**
 * struct fold_cpu - where a CPU sits
 * @socket: socket (package) index, or FOLD_ABSENT for a CPU that does not
 *          exist (offline, or a hole in the numbering)
 * @core: core index within the socket
 * @thread: hardware thread index within the core
 */
struct fold_cpu {
	u16 socket;
	u16 core;
	u16 thread;
};

/**
 * struct fold_topology - the machine
 * @nr_cpus: number of CPU ids (entries of @cpu, bits of every CPU bitmap)
 * @nr_sockets: sockets, at most FOLD_MAX_SOCKETS
 * @cores_per_socket: core slots per socket
 * @threads_per_core: thread slots per core, at most FOLD_MAX_THREADS
 * @cpu: position of each CPU
 *
 * Cores are named by a global id, socket * @cores_per_socket + core.
 */
struct fold_topology {
	u32 nr_cpus;
	u32 nr_sockets;
	u32 cores_per_socket;
	u32 threads_per_core;
	const struct fold_cpu *cpu;
};

/**
 * struct fold_partition - one partition as the policy sees it
 * @cpus: its CPUs, a bitmap of nr_cpus bits; partitions are disjoint
 * @enabled: folding is on; when off, every core of the partition stays
 *           unfolded and the policy only unfolds what an earlier interval
 *           folded
 */
struct fold_partition {
	const unsigned long *cpus;
	bool enabled;
};

/**
 * struct fold_tunables - the knobs
 * @low: fold when the mean utilization of a partition's unfolded CPUs
 *       has been below this (per mille) for @dwell intervals, with none
 *       above @high in between (intervals between the marks neither count
 *       nor restart the run)
 * @high: unfold when it is above this
 * @burst: at or above this the samples are saturated, the demand behind
 *         them unknown: unfold every core of the partition at once
 * @dwell: minimum intervals between a change of a partition's unfolded
 *         count and a fold; also how long the low condition must hold
 * @floor: never fewer unfolded cores per partition (at least one is
 *         always kept)
 * @idle: a CPU outside every partition at or above this utilization keeps
 *        its socket awake
 * @consolidate: pack unfolded cores into the fewest sockets; when false,
 *               spread them evenly over the sockets (the baseline)
 * @hold_max: oscillation damping, in intervals; 0 turns it off. A fold
 *            undone (the unfolded capacity back to at least what it was
 *            before) by the high or burst rule before it lasted @hold_max
 *            intervals and twice the hold-off that preceded it was
 *            premature: the partition's hold-off (the intervals after any
 *            change before the next fold, at least @dwell) is multiplied
 *            by four, up to @hold_max. A fold that lasts that long
 *            divides it by four again. Unfolds are never delayed.
 *
 * A partition's unfolded cores are sized for the mean of @low and @high.
 * Valid values: @low < @high <= @burst <= 1000.
 */
struct fold_tunables {
	u32 low;
	u32 high;
	u32 burst;
	u32 dwell;
	u32 floor;
	u32 idle;
	bool consolidate;
	u32 hold_max;
};

/**
 * struct fold_part_state - what the policy remembers of a partition
 * @quiet: intervals with the mean utilization below @low since the last
 *         one above @high, the last change, or the last run whose @peak
 *         allowed no fold
 * @since: intervals since the partition's unfolded CPU count last changed
 * @peak: highest load of the current quiet run's intervals below @low
 *        (per mille CPUs)
 * @load: load of the last interval: the sum of its CPUs' utilization
 * @want: unfolded capacity (CPUs) the last interval asked for
 * @why: enum fold_reason of the last change
 * @hold: the partition's hold-off beyond @dwell (see fold_tunables.hold_max),
 *        intervals; 0 when no fold has been premature lately
 * @down: the unfolded capacity before the latest folds not yet confirmed
 *        by lasting @hold_max intervals (and twice the hold-off); 0 when
 *        there are none
 */
struct fold_part_state {
	u32 quiet;
	u32 since;
	u32 peak;
	u32 load;
	u32 want;
	u32 why;
	u32 hold;
	u32 down;
};

/**
 * struct fold_state - the policy's memory between intervals
 * @nr_cpus: bits in @unfolded
 * @nr_parts: entries in @part; must equal the number of partitions passed
 * @unfolded: CPUs that are unfolded; CPUs outside every partition are
 *            always set
 * @part: per-partition state
 *
 * The caller owns the buffers (FOLD_BITMAP_LONGS(nr_cpus) longs and
 * nr_parts entries) and sets them up with fold_state_init().
 */
struct fold_state {
	u32 nr_cpus;
	u32 nr_parts;
	unsigned long *unfolded;
	struct fold_part_state *part;
};

#define FOLD_BITMAP_LONGS(nr_cpus) (((nr_cpus) + LPAR_LONG_BITS - 1) / LPAR_LONG_BITS)

/**
 * enum fold_action - what a decision does
 * @FOLD_ACT_FOLD: fold a core; its work spreads over the partition's
 *                 other unfolded cores on the same socket or sockets
 * @FOLD_ACT_UNFOLD: unfold a core
 * @FOLD_ACT_EXCHANGE: a core's work moves to a folded core of the same
 *                     partition on a busier socket, which is unfolded in
 *                     its place; the count stays the same
 * @FOLD_ACT_MIGRATE: fold a core whose socket is left with no unfolded
 *                    core; its work migrates to an unfolded core of the
 *                    partition on another socket
 * @FOLD_NR_ACTS: number of actions
 */
enum fold_action {
	FOLD_ACT_FOLD,
	FOLD_ACT_UNFOLD,
	FOLD_ACT_EXCHANGE,
	FOLD_ACT_MIGRATE,
	FOLD_NR_ACTS,
};

/**
 * enum fold_reason - why
 * @FOLD_WHY_LOW: utilization stayed below the low mark
 * @FOLD_WHY_HIGH: utilization went above the high mark
 * @FOLD_WHY_BURST: utilization reached the burst mark
 * @FOLD_WHY_FLOOR: the partition had fewer unfolded cores than the floor
 * @FOLD_WHY_PACK: consolidation into fewer sockets
 * @FOLD_WHY_DISABLED: folding was turned off for the partition
 * @FOLD_NR_WHY: number of reasons
 */
enum fold_reason {
	FOLD_WHY_LOW,
	FOLD_WHY_HIGH,
	FOLD_WHY_BURST,
	FOLD_WHY_FLOOR,
	FOLD_WHY_PACK,
	FOLD_WHY_DISABLED,
	FOLD_NR_WHY,
};

/**
 * struct fold_decision - one change the actuator must make
 * @part: partition index
 * @core: global id of the core folded (fold, migrate, exchange) or
 *        unfolded (unfold)
 * @dest: exchange: the core unfolded in place of @core; migrate: an
 *        unfolded core of the partition that takes the work; otherwise
 *        FOLD_NONE
 * @action: enum fold_action
 * @reason: enum fold_reason
 */
struct fold_decision {
	u32 part;
	u32 core;
	u32 dest;
	u8 action;
	u8 reason;
};

/**
 * struct fold_input - one interval's input
 * @topo: the machine
 * @parts: the partitions
 * @nr_parts: entries in @parts, at most FOLD_MAX_PARTS
 * @util: utilization of each CPU over the interval, 0..FOLD_UTIL_MAX
 * @tun: the knobs
 */
struct fold_input {
	const struct fold_topology *topo;
	const struct fold_partition *parts;
	u32 nr_parts;
	const u16 *util;
	const struct fold_tunables *tun;
};

/**
 * struct fold_output - one interval's result besides the new state
 * @dec: buffer for the decisions; FOLD_MAX_DECISIONS(nr_cpus) always fit
 * @max_dec: entries in @dec
 * @nr_dec: decisions made; those beyond @max_dec were not stored
 * @active: sockets left with an unfolded core or a busy CPU outside the
 *          partitions
 */
struct fold_output {
	struct fold_decision *dec;
	u32 max_dec;
	u32 nr_dec;
	u64 active;
};

/* At most one decision per core a partition owns, so never more than CPUs. */
#define FOLD_MAX_DECISIONS(nr_cpus) (nr_cpus)

/*
 * Scratch layout, private to policy.c; here so fold_work_size() can size
 * it. A unit is what one partition owns of one core.
 */
struct fold_unit {
	u32 core;
	u32 util;
	u16 part;
	u8 cap;
	u8 flags;
};

struct fold_part_work {
	u32 first;
	u32 nr;
	u32 cap;
	u32 prev_cap;
	u32 prev_nr;
	u32 new_cap;
	u32 new_nr;
	u32 want;
	u32 min_nr;
	u32 why;
};

#define FOLD_ALIGN8(x) (((size_t)(x) + 7) & ~(size_t)7)

/**
 * fold_work_size() - bytes of scratch fold_step() needs
 * @cpus: topology nr_cpus
 * @sockets: topology nr_sockets
 * @cores: topology cores_per_socket
 * @parts: number of partitions
 *
 * Return: the size; allocate it once, with the state, not per interval.
 */
static inline size_t fold_work_size(size_t cpus, size_t sockets, size_t cores, size_t parts)
{
	return FOLD_ALIGN8(2 * cpus) +					/* cpu_part */
	       FOLD_ALIGN8(4 * (sockets * cores + 1)) +			/* core_first */
	       FOLD_ALIGN8(4 * cpus) +					/* core_cpu */
	       FOLD_ALIGN8(sizeof(struct fold_unit) * cpus) +		/* unit */
	       FOLD_ALIGN8(8 * cpus) +					/* key */
	       FOLD_ALIGN8(sizeof(struct fold_part_work) * parts) +	/* pw */
	       FOLD_ALIGN8(3 * 2 * parts * sockets) +			/* cap, nr, prev */
	       FOLD_ALIGN8(4 * 3 * sockets);				/* density, rank */
}

extern const struct fold_tunables fold_tunables_default;

int fold_topology_check(const struct fold_topology *topo);
void fold_topology_fill(struct fold_cpu *cpu, u32 sockets, u32 cores, u32 threads);
u32 fold_cpu_core(const struct fold_topology *topo, u32 cpu);
int fold_tunables_check(const struct fold_tunables *tun);
u16 fold_util_of(u64 busy, u64 idle, u64 wall);
bool fold_burst(const struct fold_tunables *tun, u32 load, u32 cur);
void fold_state_init(struct fold_state *st);
int fold_step(const struct fold_input *in, struct fold_state *st,
	      void *work, size_t work_len, struct fold_output *out);
const char *fold_action_name(unsigned int action);
const char *fold_reason_name(unsigned int reason);

#endif /* _FOLD_POLICY_H */
