// SPDX-License-Identifier: GPL-2.0
/*
 * The corefold policy as a pure function of one interval: from the
 * utilization samples and the previous state it computes, per partition,
 * how much capacity to keep unfolded (folding with hysteresis, dwell and
 * burst detection), then which sockets that capacity needs at the fewest
 * (the consolidation of IBM's "transparently increasing power savings":
 * exchange an unfolded core on a sparse socket for a folded one on a busier
 * socket, or migrate its work, so the emptied socket can go deep), then
 * which cores, preferring the ones already unfolded. It writes the new
 * state and a list of decisions for the actuator. It allocates nothing:
 * the caller passes a scratch buffer of fold_work_size() bytes.
 */
#include "policy.h"

/* fold_unit.flags */
#define UNIT_PREV		0x1	/* unfolded before this interval */
#define UNIT_NEW		0x2	/* unfolded after it */
#define UNIT_PART		0x4	/* only some of its CPUs were unfolded */

#define NO_PART			0xffff

/* Sort keys: unit index in the low 32 bits, preferences above. */
#define KEY_NOT_PREV		0x8000000000000000ULL
#define KEY_RANK_SHIFT		48
#define KEY_RANK_MAX		0x7fffU
#define KEY_CAP_SHIFT		44
#define KEY_SOCKET_SHIFT	36

/*
 * The defaults: size a partition for 60 % utilization of its unfolded
 * CPUs, fold below 40 % held for five intervals, unfold above 80 %, and
 * everything at once from 90 %, where samples saturate. A partition whose
 * folds keep being undone waits up to 1800 intervals (3 minutes at the
 * module's 100 ms) before the next fold: 5, 20, 80, 320, 1280, 1800, so
 * a load sitting on a watermark causes at most 7 fold/unfold cycles in its
 * first 10 minutes and one per 3 minutes after.
 */
const struct fold_tunables fold_tunables_default = {
	.low = 400,
	.high = 800,
	.burst = 900,
	.dwell = 5,
	.floor = 1,
	.idle = 50,
	.consolidate = true,
	.hold_max = 1800,
};

/* The scratch buffer, carved into arrays (see fold_work_size()). */
struct fold_work {
	u16 *cpu_part;		/* partition of each CPU, or NO_PART */
	u32 *core_first;	/* CPUs of core c: core_cpu[core_first[c]..[c + 1]) */
	u32 *core_cpu;
	struct fold_unit *unit;	/* grouped by partition, each in core order */
	u64 *key;
	struct fold_part_work *pw;
	u16 *cap;		/* [part * nr_sockets + socket]: CPUs owned */
	u16 *nr;		/* units owned */
	u16 *prev;		/* units unfolded before this interval */
	u32 *density;		/* per socket: units unfolded before, all partitions */
	u32 *rank;		/* 2 per socket: fold_select()'s counters */
	u32 nr_sockets;
	u32 nr_parts;
};

static inline u32 fold_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

static inline u32 fold_max(u32 a, u32 b)
{
	return a > b ? a : b;
}

static inline u32 fold_div_up(u32 a, u32 b)
{
	return a / b + (a % b != 0);
}

static unsigned int fold_popcount(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

static inline u64 fold_all_sockets(u32 nr_sockets)
{
	return nr_sockets >= 64 ? ~0ULL : (1ULL << nr_sockets) - 1;
}

static inline void fold_assign_bit(unsigned long *bits, u32 n, bool val)
{
	unsigned long m = 1UL << (n % LPAR_LONG_BITS);

	if (val)
		bits[n / LPAR_LONG_BITS] |= m;
	else
		bits[n / LPAR_LONG_BITS] &= ~m;
}

/* Heap sort: O(n log n), in place, no recursion, deterministic. */
static void fold_sift(u64 *a, u32 i, u32 n)
{
	for (;;) {
		u32 c = 2 * i + 1;
		u64 t;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void fold_sort(u64 *a, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		fold_sift(a, i, n);
	for (i = n; i-- > 1;) {
		u64 t = a[0];

		a[0] = a[i];
		a[i] = t;
		fold_sift(a, 0, i);
	}
}

/**
 * fold_topology_check() - validate a topology
 * @topo: the topology
 *
 * Return: 0, or -EINVAL if a size is out of range or a CPU sits outside
 * the socket/core/thread grid.
 */
int fold_topology_check(const struct fold_topology *topo)
{
	u32 cpu;

	if (!topo->cpu || !topo->nr_cpus || topo->nr_cpus > FOLD_MAX_CPUS ||
	    !topo->nr_sockets || topo->nr_sockets > FOLD_MAX_SOCKETS ||
	    !topo->cores_per_socket || topo->cores_per_socket > FOLD_MAX_CPUS ||
	    !topo->threads_per_core || topo->threads_per_core > FOLD_MAX_THREADS)
		return -EINVAL;
	for (cpu = 0; cpu < topo->nr_cpus; cpu++) {
		const struct fold_cpu *c = &topo->cpu[cpu];

		if (c->socket == FOLD_ABSENT)
			continue;
		if (c->socket >= topo->nr_sockets || c->core >= topo->cores_per_socket ||
		    c->thread >= topo->threads_per_core)
			return -EINVAL;
	}
	return 0;
}

/**
 * fold_topology_fill() - number CPUs the way QEMU's -smp does
 * @cpu: sockets * cores * threads entries to fill
 * @sockets: sockets
 * @cores: cores per socket
 * @threads: threads per core
 *
 * CPU ((s * @cores) + c) * @threads + t is thread t of core c of socket s.
 * For tests and the simulator; the module reads the real topology.
 */
void fold_topology_fill(struct fold_cpu *cpu, u32 sockets, u32 cores, u32 threads)
{
	u32 s, c, t, n = 0;

	for (s = 0; s < sockets; s++)
		for (c = 0; c < cores; c++)
			for (t = 0; t < threads; t++, n++) {
				cpu[n].socket = s;
				cpu[n].core = c;
				cpu[n].thread = t;
			}
}

/**
 * fold_cpu_core() - global core id of a CPU
 * @topo: the topology
 * @cpu: the CPU
 *
 * Return: socket * cores_per_socket + core, or FOLD_NONE for a CPU that is
 * absent or out of range.
 */
u32 fold_cpu_core(const struct fold_topology *topo, u32 cpu)
{
	const struct fold_cpu *c;

	if (cpu >= topo->nr_cpus)
		return FOLD_NONE;
	c = &topo->cpu[cpu];
	if (c->socket == FOLD_ABSENT)
		return FOLD_NONE;
	return c->socket * topo->cores_per_socket + c->core;
}

/**
 * fold_tunables_check() - validate the knobs
 * @tun: the knobs
 *
 * Return: 0, or -EINVAL unless low < high <= burst <= 1000, 2 <= high and
 * idle <= 1000.
 */
int fold_tunables_check(const struct fold_tunables *tun)
{
	if (tun->low >= tun->high || tun->high < 2 || tun->high > tun->burst ||
	    tun->burst > FOLD_UTIL_MAX || tun->idle > FOLD_UTIL_MAX)
		return -EINVAL;
	return 0;
}

/**
 * fold_state_init() - start with everything unfolded
 * @st: state whose nr_cpus, nr_parts, unfolded and part are set
 *
 * Every CPU is unfolded and every partition starts a dwell period, so the
 * first fold comes no earlier than the dwell after loading.
 */
void fold_state_init(struct fold_state *st)
{
	u32 i;

	for (i = 0; i < FOLD_BITMAP_LONGS(st->nr_cpus); i++)
		st->unfolded[i] = 0;
	for (i = 0; i < st->nr_cpus; i++)
		lpar_set_bit(st->unfolded, i);
	for (i = 0; i < st->nr_parts; i++) {
		struct fold_part_state *ps = &st->part[i];

		ps->quiet = 0;
		ps->since = 0;
		ps->peak = 0;
		ps->load = 0;
		ps->want = FOLD_NONE;
		ps->why = FOLD_WHY_PACK;
		ps->hold = 0;
		ps->down = 0;
	}
}

static const char * const fold_action_names[FOLD_NR_ACTS] = {
	[FOLD_ACT_FOLD] = "fold",
	[FOLD_ACT_UNFOLD] = "unfold",
	[FOLD_ACT_EXCHANGE] = "exchange",
	[FOLD_ACT_MIGRATE] = "migrate",
};

static const char * const fold_reason_names[FOLD_NR_WHY] = {
	[FOLD_WHY_LOW] = "low",
	[FOLD_WHY_HIGH] = "high",
	[FOLD_WHY_BURST] = "burst",
	[FOLD_WHY_FLOOR] = "floor",
	[FOLD_WHY_PACK] = "pack",
	[FOLD_WHY_DISABLED] = "disabled",
};

/**
 * fold_action_name() - name of an action for logs and tools
 * @action: enum fold_action
 *
 * Return: a static string, "?" if unknown.
 */
const char *fold_action_name(unsigned int action)
{
	return action < FOLD_NR_ACTS ? fold_action_names[action] : "?";
}

/**
 * fold_reason_name() - name of a reason for logs and tools
 * @reason: enum fold_reason
 *
 * Return: a static string, "?" if unknown.
 */
const char *fold_reason_name(unsigned int reason)
{
	return reason < FOLD_NR_WHY ? fold_reason_names[reason] : "?";
}

static void *fold_carve(u8 **p, size_t bytes)
{
	void *r = *p;

	*p += FOLD_ALIGN8(bytes);
	return r;
}

static void fold_work_setup(struct fold_work *w, void *buf, const struct fold_topology *topo,
			    u32 nr_parts)
{
	size_t cpus = topo->nr_cpus, sockets = topo->nr_sockets;
	size_t cores = sockets * topo->cores_per_socket;
	u8 *p = buf;

	w->cpu_part = fold_carve(&p, 2 * cpus);
	w->core_first = fold_carve(&p, 4 * (cores + 1));
	w->core_cpu = fold_carve(&p, 4 * cpus);
	w->unit = fold_carve(&p, sizeof(*w->unit) * cpus);
	w->key = fold_carve(&p, 8 * cpus);
	w->pw = fold_carve(&p, sizeof(*w->pw) * nr_parts);
	w->cap = fold_carve(&p, 3 * 2 * nr_parts * sockets);
	w->nr = w->cap + nr_parts * sockets;
	w->prev = w->nr + nr_parts * sockets;
	w->density = fold_carve(&p, 4 * 3 * sockets);
	w->rank = w->density + sockets;
	w->nr_sockets = sockets;
	w->nr_parts = nr_parts;
}

static int fold_check_input(const struct fold_input *in, const struct fold_state *st,
			    const void *work, size_t work_len)
{
	const struct fold_topology *topo = in->topo;
	u32 p;

	if (!topo || !in->tun || !in->util || (in->nr_parts && !in->parts) ||
	    in->nr_parts > FOLD_MAX_PARTS)
		return -EINVAL;
	if (fold_topology_check(topo) || fold_tunables_check(in->tun))
		return -EINVAL;
	if (st->nr_cpus != topo->nr_cpus || st->nr_parts != in->nr_parts)
		return -EINVAL;
	for (p = 0; p < in->nr_parts; p++)
		if (!in->parts[p].cpus)
			return -EINVAL;
	if ((unsigned long)work & 7)
		return -EINVAL;
	if (work_len < fold_work_size(topo->nr_cpus, topo->nr_sockets,
				      topo->cores_per_socket, in->nr_parts))
		return -ENOSPC;
	return 0;
}

/*
 * Partition of every CPU, and the CPUs of every core (a counting sort);
 * rejects overlapping partitions and cores with more CPUs than threads.
 * Nothing in the state has been touched when this fails.
 */
static int fold_map_cpus(const struct fold_input *in, struct fold_work *w)
{
	const struct fold_topology *topo = in->topo;
	u32 nr_cores = topo->nr_sockets * topo->cores_per_socket;
	u32 cpu, c, p, i;

	for (cpu = 0; cpu < topo->nr_cpus; cpu++)
		w->cpu_part[cpu] = NO_PART;
	for (p = 0; p < in->nr_parts; p++) {
		const unsigned long *bits = in->parts[p].cpus;

		for (i = 0; i < FOLD_BITMAP_LONGS(topo->nr_cpus); i++) {
			unsigned long v = bits[i];
			u32 b;

			for (b = 0; v; b++, v >>= 1) {
				if (!(v & 1))
					continue;
				cpu = i * LPAR_LONG_BITS + b;
				if (cpu >= topo->nr_cpus)
					break;
				if (topo->cpu[cpu].socket == FOLD_ABSENT)
					continue;
				if (w->cpu_part[cpu] != NO_PART)
					return -EINVAL;
				w->cpu_part[cpu] = p;
			}
		}
	}

	for (c = 0; c <= nr_cores; c++)
		w->core_first[c] = 0;
	for (cpu = 0; cpu < topo->nr_cpus; cpu++) {
		c = fold_cpu_core(topo, cpu);
		if (c != FOLD_NONE)
			w->core_first[c + 1]++;
	}
	for (c = 0; c < nr_cores; c++) {
		if (w->core_first[c + 1] > topo->threads_per_core)
			return -EINVAL;
		w->core_first[c + 1] += w->core_first[c];
	}
	/* Place each CPU, using core_first[c] as a cursor, then shift back. */
	for (cpu = 0; cpu < topo->nr_cpus; cpu++) {
		c = fold_cpu_core(topo, cpu);
		if (c != FOLD_NONE)
			w->core_cpu[w->core_first[c]++] = cpu;
	}
	for (c = nr_cores; c > 0; c--)
		w->core_first[c] = w->core_first[c - 1];
	w->core_first[0] = 0;
	return 0;
}

/*
 * Groups each core's CPUs by partition into units, partition by partition
 * in core order, with the per-partition, per-socket counts the packing
 * needs. Returns the sockets kept awake by busy CPUs outside partitions.
 */
static u64 fold_build_units(const struct fold_input *in, const struct fold_state *st,
			    struct fold_work *w)
{
	const struct fold_topology *topo = in->topo;
	u32 nr_cores = topo->nr_sockets * topo->cores_per_socket;
	u32 ns = topo->nr_sockets;
	u64 forced = 0;
	u32 c, p, i, k, first = 0;

	for (p = 0; p < in->nr_parts; p++) {
		w->pw[p] = (struct fold_part_work){ 0 };
		for (i = 0; i < ns; i++) {
			w->cap[p * ns + i] = 0;
			w->nr[p * ns + i] = 0;
			w->prev[p * ns + i] = 0;
		}
	}
	for (i = 0; i < ns; i++)
		w->density[i] = 0;

	/* Pass 1: units per partition, so each gets a contiguous range. */
	for (c = 0; c < nr_cores; c++) {
		for (i = w->core_first[c]; i < w->core_first[c + 1]; i++) {
			u32 cpu = w->core_cpu[i];

			p = w->cpu_part[cpu];
			if (p == NO_PART) {
				if (fold_min(in->util[cpu], FOLD_UTIL_MAX) >= in->tun->idle)
					forced |= 1ULL << topo->cpu[cpu].socket;
				continue;
			}
			for (k = w->core_first[c]; k < i; k++)
				if (w->cpu_part[w->core_cpu[k]] == p)
					break;
			if (k == i)
				w->pw[p].nr++;
		}
	}
	for (p = 0; p < in->nr_parts; p++) {
		w->pw[p].first = first;
		first += w->pw[p].nr;
		w->pw[p].nr = 0;
	}

	/* Pass 2: fill the units. */
	for (c = 0; c < nr_cores; c++) {
		u32 s = c / topo->cores_per_socket;

		for (i = w->core_first[c]; i < w->core_first[c + 1]; i++) {
			struct fold_part_work *pw;
			struct fold_unit *u;
			u32 cpu = w->core_cpu[i];

			p = w->cpu_part[cpu];
			if (p == NO_PART)
				continue;
			for (k = w->core_first[c]; k < i; k++)
				if (w->cpu_part[w->core_cpu[k]] == p)
					break;
			if (k < i)
				continue;	/* this core's unit of p is done */
			pw = &w->pw[p];
			u = &w->unit[pw->first + pw->nr++];
			*u = (struct fold_unit){ .core = c, .part = p };
			for (k = i; k < w->core_first[c + 1]; k++) {
				u32 cc = w->core_cpu[k];

				if (w->cpu_part[cc] != p)
					continue;
				u->cap++;
				u->util += fold_min(in->util[cc], FOLD_UTIL_MAX);
				if (lpar_bit(st->unfolded, cc))
					u->flags |= UNIT_PREV;
				else
					u->flags |= UNIT_PART;
			}
			/* PART: some CPUs folded, some not (a CPU joined the set). */
			if (!(u->flags & UNIT_PREV))
				u->flags &= ~UNIT_PART;
			pw->cap += u->cap;
			w->cap[p * ns + s] += u->cap;
			w->nr[p * ns + s]++;
			if (u->flags & UNIT_PREV) {
				pw->prev_cap += u->cap;
				pw->prev_nr++;
				w->prev[p * ns + s]++;
				w->density[s]++;
			}
		}
	}
	return forced;
}

/* Intervals after a change before the next fold may come. */
static u32 fold_holdoff(const struct fold_tunables *tun, const struct fold_part_state *ps)
{
	return fold_max(tun->dwell, tun->hold_max ? fold_min(ps->hold, tun->hold_max) : 0);
}

/*
 * Oscillation damping, after the interval's decisions: folds undone by
 * the high or burst rule (the capacity back where it was before them)
 * before they lasted hold_max intervals (and twice their hold-off)
 * quadruple the hold-off (up to hold_max); see struct fold_tunables.
 */
static void fold_damp(const struct fold_tunables *tun, struct fold_part_state *ps,
		      const struct fold_part_work *pw)
{
	u32 h = fold_holdoff(tun, ps);

	if (pw->new_cap < pw->prev_cap) {
		ps->down = fold_max(ps->down, pw->prev_cap);
		return;
	}
	if (!ps->down || pw->new_cap < ps->down)
		return;
	ps->down = 0;
	if (tun->hold_max && (pw->why == FOLD_WHY_HIGH || pw->why == FOLD_WHY_BURST))
		ps->hold = fold_min(h > tun->hold_max / 4 ? tun->hold_max : 4 * fold_max(h, 1),
				    tun->hold_max);
}

/**
 * fold_util_of() - a CPU's utilization over one interval, per mille
 * @busy: time the tick counted as busy (ns)
 * @idle: idle and iowait time (ns)
 * @wall: the interval's length on the clock (ns) when @idle was measured
 *        on the clock too (NOHZ), else 0
 *
 * With @wall, utilization is the part of the interval the CPU was not
 * idle. The tick's busy count can fall short of it: a virtual CPU that
 * its host does not run gets no ticks, so under QEMU TCG /proc/stat shows
 * 30 to 40 % busy for 70 % of work, and a policy fed that folds CPUs the
 * work needs. Without @wall (no NOHZ, or the CPU was offline at the
 * previous sample), busy / (busy + idle) of the tick's counts.
 *
 * Return: 0 to FOLD_UTIL_MAX; 0 when there is nothing to go by.
 */
u16 fold_util_of(u64 busy, u64 idle, u64 wall)
{
	if (wall)
		return idle >= wall ? 0 : (wall - idle) * FOLD_UTIL_MAX / wall;
	return busy + idle ? busy * FOLD_UTIL_MAX / (busy + idle) : 0;
}

/**
 * fold_burst() - the burst rule: are a partition's unfolded CPUs saturated?
 * @tun: the knobs (burst mark)
 * @load: the partition's utilization, summed over its CPUs, per mille
 * @cur: how many of its CPUs are unfolded
 *
 * The interval unfolds the whole partition at once when this holds
 * (KUnit: fold_burst_unfolds_everything).
 *
 * Return: true if @cur is not 0 and the mean load of the unfolded CPUs
 * reaches the burst mark.
 */
bool fold_burst(const struct fold_tunables *tun, u32 load, u32 cur)
{
	return cur && load / cur >= tun->burst;
}

/*
 * Folding with hysteresis: how much capacity (CPUs) partition p wants
 * unfolded for the next interval, and why. Load is the sum of its CPUs'
 * utilization in per mille of a CPU; the mean is over the unfolded ones.
 */
static void fold_hysteresis(const struct fold_tunables *tun, struct fold_part_state *ps,
			    struct fold_part_work *pw, u32 load, bool enabled)
{
	u32 target = (tun->low + tun->high) / 2;
	u32 cur = pw->prev_cap;
	u32 need = fold_max(fold_div_up(load, target), 1);
	u32 want = cur, why = FOLD_WHY_PACK, trial;

	pw->min_nr = fold_min(fold_max(tun->floor, 1), pw->nr);
	if (ps->since != FOLD_NONE)
		ps->since++;
	/*
	 * A fold that lasted hold_max intervals, and twice its hold-off (two
	 * intervals at least), was right: relax. Shorter ones are still on
	 * trial: under a load held at a mark, measurement noise undoes folds
	 * seconds to minutes after they were made, and a fold that lasted
	 * merely twice a short hold-off proves nothing about the next one.
	 */
	trial = fold_max(tun->hold_max, 2 * fold_max(fold_holdoff(tun, ps), 1));
	if (ps->down && ps->since >= trial) {
		ps->down = 0;
		ps->hold /= 4;
	}
	if (!cur) {
		/* Nothing unfolded (new CPUs, or a state from elsewhere). */
		want = need;
		why = FOLD_WHY_FLOOR;
		ps->quiet = 0;
		ps->peak = 0;
	} else if (fold_burst(tun, load, cur)) {
		/*
		 * Saturated: the demand behind the samples is unknown, so
		 * unfold everything now; the low mark and the dwell bring
		 * it back down once the demand shows.
		 */
		want = pw->cap;
		why = FOLD_WHY_BURST;
		ps->quiet = 0;
		ps->peak = 0;
	} else if (load / cur > tun->high) {
		/* load > high * cur > target * cur, so need > cur. */
		want = need;
		why = FOLD_WHY_HIGH;
		ps->quiet = 0;
		ps->peak = 0;
	} else if (load / cur < tun->low) {
		if (ps->quiet != FOLD_NONE)
			ps->quiet++;
		ps->peak = fold_max(ps->peak, load);
		/* peak < low * cur < target * cur: never more than cur. */
		if (ps->quiet >= tun->dwell && ps->since >= fold_holdoff(tun, ps)) {
			want = fold_max(fold_div_up(ps->peak, target), 1);
			why = FOLD_WHY_LOW;	/* the run ends: fold_commit() */
		}
	} else {
		/*
		 * Between the marks: the quiet run pauses without restarting
		 * (under TCG a vCPU the host did not run reads busy, and one
		 * such sample would otherwise cost another whole dwell); the
		 * fold is sized by the run's quiet samples, and a fold that
		 * proves too small is undone by the high or burst rule and
		 * damped (fold_damp()).
		 */
	}
	if (!enabled) {
		want = pw->cap;
		pw->min_nr = pw->nr;
		why = FOLD_WHY_DISABLED;
		ps->quiet = 0;
		ps->peak = 0;
	}
	if (why == FOLD_WHY_PACK && pw->prev_nr < pw->min_nr)
		why = FOLD_WHY_FLOOR;
	pw->want = fold_min(want, pw->cap);
	pw->why = why;
}

/* Can every enabled partition get what it wants from the sockets in @m? */
static bool fold_feasible(const struct fold_input *in, const struct fold_work *w, u64 m)
{
	u32 ns = w->nr_sockets, p, s;

	for (p = 0; p < in->nr_parts; p++) {
		const struct fold_part_work *pw = &w->pw[p];
		u32 cap = 0, nr = 0;

		if (!pw->nr || !in->parts[p].enabled)
			continue;
		for (s = 0; s < ns; s++) {
			if (!(m >> s & 1))
				continue;
			cap += w->cap[p * ns + s];
			nr += w->nr[p * ns + s];
		}
		if (cap < pw->want || nr < pw->min_nr)
			return false;
	}
	return true;
}

/* Units that stay unfolded if the partitions use only the sockets in @m. */
static u32 fold_retained(const struct fold_input *in, const struct fold_work *w, u64 m)
{
	u32 ns = w->nr_sockets, p, s, r = 0;

	for (p = 0; p < in->nr_parts; p++)
		for (s = 0; s < ns; s++)
			if (m >> s & 1)
				r += w->prev[p * ns + s];
	return r;
}

/*
 * Exact packing: the fewest sockets beyond @forced that can hold every
 * partition's want; among those, the set keeping the most units that are
 * unfolded already, then the lowest-numbered. Subsets are enumerated in
 * increasing order, 2^free of them at most (free <= FOLD_EXACT_SOCKETS).
 */
static u64 fold_pack_exact(const struct fold_input *in, const struct fold_work *w,
			   u64 forced, u64 all)
{
	u64 free = all & ~forced, best = all, sub = 0;
	u32 best_cost = fold_popcount(free), best_score = fold_retained(in, w, all);

	for (;;) {
		u32 cost = fold_popcount(sub);

		if (cost < best_cost || (cost == best_cost && sub != free)) {
			u64 m = sub | forced;

			if (fold_feasible(in, w, m)) {
				u32 score = fold_retained(in, w, m);

				if (cost < best_cost || score > best_score) {
					best = m;
					best_cost = cost;
					best_score = score;
				}
			}
		}
		if (sub == free)
			break;
		sub = (sub - free) & free;
	}
	return best;
}

/*
 * Greedy packing for machines with more sockets: add the socket that
 * covers most of the remaining shortfall until every want fits, then drop
 * sockets that turned out unnecessary.
 */
static u64 fold_pack_greedy(const struct fold_input *in, struct fold_work *w,
			    u64 forced, u64 all)
{
	u32 ns = w->nr_sockets, p, s;
	u64 m = forced;

	while (!fold_feasible(in, w, m)) {
		u32 best = FOLD_NONE, best_gain = 0, best_prev = 0;

		/* Shortfall of each partition, in new_cap/new_nr for now. */
		for (p = 0; p < in->nr_parts; p++) {
			struct fold_part_work *pw = &w->pw[p];
			u32 cap = 0, nr = 0;

			for (s = 0; s < ns; s++) {
				if (!(m >> s & 1))
					continue;
				cap += w->cap[p * ns + s];
				nr += w->nr[p * ns + s];
			}
			pw->new_cap = pw->want > cap ? pw->want - cap : 0;
			pw->new_nr = pw->min_nr > nr ? pw->min_nr - nr : 0;
			if (!in->parts[p].enabled) {
				pw->new_cap = 0;
				pw->new_nr = 0;
			}
		}
		for (s = 0; s < ns; s++) {
			u32 gain = 0, prev = 0;

			if (m >> s & 1)
				continue;
			for (p = 0; p < in->nr_parts; p++) {
				gain += fold_min(w->pw[p].new_cap, w->cap[p * ns + s]);
				gain += fold_min(w->pw[p].new_nr, w->nr[p * ns + s]);
				prev += w->prev[p * ns + s];
			}
			if (gain > best_gain || (gain == best_gain && gain && prev > best_prev)) {
				best = s;
				best_gain = gain;
				best_prev = prev;
			}
		}
		if (best == FOLD_NONE)
			return all;
		m |= 1ULL << best;
	}
	for (s = 0; s < ns; s++)
		if ((m & ~forced) >> s & 1 && fold_feasible(in, w, m & ~(1ULL << s)))
			m &= ~(1ULL << s);
	return m;
}

/*
 * Picks partition p's unfolded units among those on sockets @m: the ones
 * unfolded already first; then, when consolidating, those on the sockets
 * with the most unfolded units (so sparse sockets keep emptying) and whole
 * cores before partial ones; when spreading, the least-filled socket.
 */
static void fold_select(const struct fold_input *in, struct fold_work *w, u32 p, u64 m)
{
	const struct fold_topology *topo = in->topo;
	struct fold_part_work *pw = &w->pw[p];
	struct fold_unit *unit = &w->unit[pw->first];
	u32 ns = w->nr_sockets, n = 0, i, cap = 0, nr = 0;
	u32 *rank = w->rank;

	if (!in->parts[p].enabled) {
		for (i = 0; i < pw->nr; i++)
			unit[i].flags |= UNIT_NEW;
		pw->new_cap = pw->cap;
		pw->new_nr = pw->nr;
		return;
	}
	for (i = 0; i < 2 * ns; i++)
		rank[i] = 0;
	for (i = 0; i < pw->nr; i++) {
		struct fold_unit *u = &unit[i];
		u32 s = u->core / topo->cores_per_socket;
		bool prev = u->flags & UNIT_PREV;
		u64 key = prev ? 0 : KEY_NOT_PREV;
		u32 r;

		if (!(m >> s & 1))
			continue;
		if (in->tun->consolidate) {
			r = KEY_RANK_MAX - fold_min(w->density[s], KEY_RANK_MAX);
			key |= (u64)(15 - u->cap) << KEY_CAP_SHIFT;
		} else {
			/*
			 * Water-filling: the n-th unit of a socket gets rank n;
			 * ties go to socket p, p + 1, ... so that partitions
			 * spread as a load balancer would spread them.
			 */
			r = prev ? rank[s]++ : w->prev[p * ns + s] + rank[ns + s]++;
			r = fold_min(r, KEY_RANK_MAX);
			key |= (u64)((s + ns - p % ns) % ns) << KEY_SOCKET_SHIFT;
		}
		w->key[n++] = key | (u64)r << KEY_RANK_SHIFT | i;
	}
	fold_sort(w->key, n);
	for (i = 0; i < n && (cap < pw->want || nr < pw->min_nr); i++) {
		struct fold_unit *u = &unit[(u32)w->key[i]];

		u->flags |= UNIT_NEW;
		cap += u->cap;
		nr++;
	}
	pw->new_cap = cap;
	pw->new_nr = nr;
}

static void fold_emit(struct fold_output *out, u32 p, const struct fold_unit *from,
		      const struct fold_unit *to, u8 action, u8 reason)
{
	struct fold_decision *d;

	if (out->nr_dec++ >= out->max_dec)
		return;
	d = &out->dec[out->nr_dec - 1];
	d->part = p;
	d->core = from ? from->core : to->core;
	d->dest = from && to ? to->core : FOLD_NONE;
	d->action = action;
	d->reason = reason;
}

static bool fold_unit_is(const struct fold_unit *u, u8 flags)
{
	return (u->flags & (UNIT_PREV | UNIT_NEW)) == flags;
}

/*
 * The decisions of partition p: folded units paired with unfolded ones are
 * exchanges; a folded unit whose socket is left with no unfolded core is a
 * migration to one of the partition's unfolded cores; the rest are plain
 * folds and unfolds. A core that stays unfolded but had some of its CPUs
 * folded (one joined the partition's set) gets an unfold that completes it.
 */
static void fold_decide(const struct fold_input *in, const struct fold_work *w, u32 p,
			u64 active, struct fold_output *out)
{
	const struct fold_part_work *pw = &w->pw[p];
	const struct fold_unit *unit = &w->unit[pw->first];
	const struct fold_unit *dest = NULL;
	u32 cps = in->topo->cores_per_socket;
	u32 f = 0, u = 0, i;
	u8 why_fold = pw->why == FOLD_WHY_LOW ? FOLD_WHY_LOW : FOLD_WHY_PACK;
	u8 why_unfold = pw->why == FOLD_WHY_LOW ? FOLD_WHY_PACK : pw->why;

	for (i = 0; i < pw->nr && !dest; i++)
		if (unit[i].flags & UNIT_NEW)
			dest = &unit[i];
	for (;;) {
		while (f < pw->nr && !fold_unit_is(&unit[f], UNIT_PREV))
			f++;
		while (u < pw->nr && !fold_unit_is(&unit[u], UNIT_NEW))
			u++;
		if (f == pw->nr && u == pw->nr)
			break;
		if (f < pw->nr && u < pw->nr) {
			fold_emit(out, p, &unit[f++], &unit[u++], FOLD_ACT_EXCHANGE,
				  FOLD_WHY_PACK);
		} else if (f < pw->nr) {
			const struct fold_unit *from = &unit[f++];

			if (active >> (from->core / cps) & 1)
				fold_emit(out, p, from, NULL, FOLD_ACT_FOLD, why_fold);
			else
				fold_emit(out, p, from, dest, FOLD_ACT_MIGRATE, why_fold);
		} else {
			fold_emit(out, p, NULL, &unit[u++], FOLD_ACT_UNFOLD, why_unfold);
		}
	}
	for (i = 0; i < pw->nr; i++)
		if ((unit[i].flags & (UNIT_PART | UNIT_NEW)) == (UNIT_PART | UNIT_NEW))
			fold_emit(out, p, NULL, &unit[i], FOLD_ACT_UNFOLD, why_unfold);
}

/*
 * Writes the new state: each unit's CPUs take its new flag; CPUs outside
 * every partition (and absent ones) are always unfolded.
 */
static void fold_commit(const struct fold_input *in, struct fold_state *st,
			const struct fold_work *w)
{
	const struct fold_topology *topo = in->topo;
	u32 cpu, p, i, k;

	for (cpu = 0; cpu < topo->nr_cpus; cpu++)
		if (w->cpu_part[cpu] == NO_PART)
			lpar_set_bit(st->unfolded, cpu);
	for (p = 0; p < in->nr_parts; p++) {
		const struct fold_part_work *pw = &w->pw[p];
		struct fold_part_state *ps = &st->part[p];

		for (i = 0; i < pw->nr; i++) {
			const struct fold_unit *u = &w->unit[pw->first + i];

			for (k = w->core_first[u->core]; k < w->core_first[u->core + 1]; k++) {
				cpu = w->core_cpu[k];
				if (w->cpu_part[cpu] == p)
					fold_assign_bit(st->unfolded, cpu, u->flags & UNIT_NEW);
			}
		}
		if (in->parts[p].enabled)
			fold_damp(in->tun, ps, pw);
		if (pw->new_cap != pw->prev_cap)
			ps->since = 0;
		/*
		 * A completed quiet run starts over whether it folded or not
		 * (its peak allowed no fold, or asked for fewer CPUs than a
		 * whole unit, e.g. 3 of 4 in cores of 2): else that one old
		 * peak would hold the size forever.
		 */
		if (pw->new_cap < pw->prev_cap || pw->why == FOLD_WHY_LOW) {
			ps->quiet = 0;
			ps->peak = 0;
		}
		ps->want = pw->want;
		ps->why = pw->why;
	}
}

/**
 * fold_step() - decide one interval
 * @in: topology, partitions, utilization samples and knobs
 * @st: the state the previous interval left; updated in place
 * @work: scratch of at least fold_work_size() bytes, 8-byte aligned
 * @work_len: its size
 * @out: where the decisions go; @out->dec and @out->max_dec set by the
 *       caller
 *
 * Per partition, the hysteresis sizes the unfolded capacity (see
 * struct fold_tunables); the packing then chooses the fewest sockets that
 * hold every partition's capacity, counting sockets kept awake anyway
 * (busy CPUs outside partitions, partitions with folding off) as free;
 * each partition's cores are chosen on those sockets, keeping the ones
 * already unfolded. Only cores of a partition's own CPU set are folded or
 * unfolded for it, never fewer than the floor. O(cpus log cpus), plus
 * 2^sockets subsets times partitions for up to FOLD_EXACT_SOCKETS sockets.
 *
 * Return: 0, -EINVAL for inconsistent input (overlapping partitions, bad
 * topology or knobs, state of another size), -ENOSPC for a short @work.
 * On error @st and @out are unchanged.
 */
int fold_step(const struct fold_input *in, struct fold_state *st,
	      void *work, size_t work_len, struct fold_output *out)
{
	const struct fold_topology *topo = in->topo;
	u64 forced, all, socks, active;
	struct fold_work w;
	u32 p, i;
	int ret;

	ret = fold_check_input(in, st, work, work_len);
	if (ret)
		return ret;
	fold_work_setup(&w, work, topo, in->nr_parts);
	ret = fold_map_cpus(in, &w);
	if (ret)
		return ret;
	forced = fold_build_units(in, st, &w);

	all = fold_all_sockets(topo->nr_sockets);
	for (p = 0; p < in->nr_parts; p++) {
		struct fold_part_work *pw = &w.pw[p];
		u32 load = 0;

		for (i = 0; i < pw->nr; i++)
			load += w.unit[pw->first + i].util;
		st->part[p].load = load;
		if (!pw->nr)
			continue;
		fold_hysteresis(in->tun, &st->part[p], pw, load, in->parts[p].enabled);
		if (!in->parts[p].enabled)
			for (i = 0; i < pw->nr; i++)
				forced |= 1ULL << (w.unit[pw->first + i].core /
						   topo->cores_per_socket);
	}

	if (!in->tun->consolidate)
		socks = all;
	else if (topo->nr_sockets <= FOLD_EXACT_SOCKETS)
		socks = fold_pack_exact(in, &w, forced, all);
	else
		socks = fold_pack_greedy(in, &w, forced, all);

	active = forced;
	for (p = 0; p < in->nr_parts; p++) {
		struct fold_part_work *pw = &w.pw[p];

		fold_select(in, &w, p, socks);
		for (i = 0; i < pw->nr; i++)
			if (w.unit[pw->first + i].flags & UNIT_NEW)
				active |= 1ULL << (w.unit[pw->first + i].core /
						   topo->cores_per_socket);
	}

	out->nr_dec = 0;
	out->active = active;
	for (p = 0; p < in->nr_parts; p++)
		fold_decide(in, &w, p, active, out);
	fold_commit(in, st, &w);
	return 0;
}
