// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a generic netlink fuzzer driven by the suite's YAML specs. The
 * table (nlfuzz-table-gen.h) is generated at build time from every YAML spec
 * in Documentation/netlink/specs/, so a new family or op is fuzzed with no
 * change here. Families are resolved by name; absent ones are reported
 * and skipped. Messages are valid ones, boundary values, wrong types and
 * lengths, missing, duplicated and unknown attributes, deep and truncated
 * nests, broken framing and random bytes; values seen in replies (ids,
 * names) are fed back so valid requests reach deep code.
 *
 * It runs as root, then as nobody, then as root of a fresh user namespace:
 * in the last two every request of a mutating op must fail, with EPERM
 * whenever the header is well formed, and the state the dumps show must
 * not change. The run is seeded (the seed is printed), counts messages per
 * family/op and per errno, watches the kernel log after every message and
 * stops on the first splat, printing the message that caused it in hex.
 * The objects it created are deleted at the end (generic: "X-delete" with
 * the keys an "X-get" dump returns).
 *
 *   nlfuzz [--seed N] [--count N | --duration SEC] [--as LIST]
 *          [--fd PATH]... [--jobs N] [--traffic [--spare PREFIX] [--spare-cpus LO-HI]]
 *          [--value NAME=STRING]... [--cleanup] [--fail-nth]
 *          [--script FILE [--live FAMILY.ATTR]... [--nth-max N]] [-v]
 *
 * --jobs: N root workers at once (races between requests); --traffic:
 * valid requests and dumps only, no checks (load for the unload
 * test); --spare PREFIX (with --traffic): leave alone the objects whose
 * replies carry a string starting with PREFIX (the unload test's own
 * partitions): nothing is learned from such a reply, its ids are noted,
 * and a request that carries PREFIX or one of those ids, or a mutating
 * request naming an id seen in no reply, is not sent; --spare-cpus LO-HI:
 * the CPU lists it makes leave out CPUs LO..HI (the spared partitions');
 * --value NAME=STRING: a valid value for the string attributes called NAME
 * in every family, e.g. vf=0000:01:00.1 (the fuzzer cannot guess a VF's
 * address); --cleanup: delete every object of every family; --fail-nth: the
 * systematic fault-injection pass (see failnth_loop()); --script FILE: the
 * same for the requests a file names (see run_script()), with --live
 * FAMILY.ATTR naming an attribute whose value lives (left out of the
 * "a failed request changed nothing" comparison) and --nth-max N the
 * runs per request (512; a request with more sites on its path says so).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "fuzz.h"
#include "lib/compiler.h"

enum nf_kind {
	NF_UNUSED, NF_PAD, NF_FLAG, NF_U8, NF_U16, NF_U32, NF_U64, NF_S8, NF_S16,
	NF_S32, NF_S64, NF_UINT, NF_SINT, NF_STRING, NF_BINARY, NF_NEST, NF_ARRAY,
	NF_BITFIELD32,
};

#define NF_MULTI		1
#define NF_UNTERMINATED		2
#define NF_SIGNED		4

struct nf_attr {
	const char *name;
	uint16_t type;
	uint8_t kind;
	uint8_t flags;
	int64_t min;
	uint64_t max;
	uint32_t min_len, max_len;
	int nest;		/* index of the nested set, -1 if none */
};

struct nf_set {
	const char *name;
	const struct nf_attr *attrs;
	unsigned int n;
	unsigned int max_type;
};

struct nf_op {
	const char *name;
	uint8_t cmd;
	int set;
	uint8_t has_do, has_dump, admin, mutating;
	const uint16_t *req_do;
	unsigned int n_do;
	const uint16_t *req_dump;
	unsigned int n_dump;
};

struct nf_family {
	const char *name;
	const struct nf_set *sets;
	unsigned int n_sets;
	const struct nf_op *ops;
	unsigned int n_ops;
};

#include "nlfuzz-table-gen.h"

#define MAX_OPS		32	/* per family; the last slot counts unknown cmds */
#define NERR		136	/* errno 0..133, 134 = no answer, 135 = reply only */
#define ERR_NONE	134
#define BUF		65536
#define POOL		8
#define POOL_LEN	48
#define MAX_SETS	32
#define MAX_JOBS	8
#define MAX_ATTRS	64

enum strategy {
	S_VALID, S_BOUNDARY, S_WRONG_LEN, S_MISSING, S_DUP, S_UNKNOWN, S_DEEP_NEST,
	S_TRUNC_NEST, S_FRAMING, S_RANDOM, S_HEADER, NR_STRATEGIES
};

static const char * const strategy_name[NR_STRATEGIES] = {
	"valid", "boundary", "wrong-type-len", "missing", "duplicate", "unknown",
	"deep-nest", "truncated-nest", "framing", "random-bytes", "header",
};

/* Shared with the children that run the unprivileged legs. */
struct nf_shared {
	uint64_t sent[NF_NR_FAMILIES][MAX_OPS];
	uint64_t err[NF_NR_FAMILIES][MAX_OPS][NERR];
	uint64_t by_strategy[NR_STRATEGIES];
	uint64_t total, dumps, eperm_checked, injected, nth_ops;
	uint64_t leg_total[3];
	int failed;
	struct {
		uint32_t len;
		char desc[160];
		unsigned char buf[BUF];
	} last[MAX_JOBS];	/* per worker: the message in flight */
};

/* Counters are shared by concurrent workers. */
#define CNT(x)		__atomic_fetch_add(&(x), 1, __ATOMIC_RELAXED)

struct pool_entry {
	uint8_t len;
	unsigned char data[POOL_LEN];
};

static struct nf_shared *sh;
static struct fz_rng rng;
static int fam_id[NF_NR_FAMILIES];
static bool fam_on[NF_NR_FAMILIES];
static struct pool_entry pool[NF_NR_FAMILIES][MAX_SETS][MAX_ATTRS][POOL];
/*
 * Partition ids and names are one namespace across families: those learned
 * from any family's replies (lpar's and lpar_fold's "part" set, every
 * "part-id"/"part-name") are offered to every family's partition
 * attributes, so that an extension's creating op names a real partition
 * and reaches its allocations.
 */
enum part_key { PK_NONE = -1, PK_ID, PK_NAME, PK_NR };
static struct pool_entry part_pool[PK_NR][POOL];
/* --value NAME=STRING: valid strings for the attributes called NAME. */
static struct { const char *name, *val; } seeds[16];
static int nr_seeds;
static int fds[32], nr_fds;
static int sock = -1;
static uint32_t seq = 1;
static int verbose;
static int nr_cpus = 8;
static bool leg_unpriv;
static int worker, jobs = 1;	/* this process's slot; root workers in parallel */
static int stop_req;	/* SIGTERM in --traffic mode: finish, report */

static void on_term(int sig)
{
	(void)sig;
	__atomic_store_n(&stop_req, 1, __ATOMIC_RELAXED);
}

struct msg {
	unsigned char buf[BUF];
	size_t len;
	size_t nest[80];
	int depth;
	int fam, op;		/* op == -1: a cmd not in the spec */
	bool dump, hdr_ok, framing_ok;
	bool processed;		/* NLM_F_REQUEST set: the kernel acts on it */
	enum strategy s;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- building messages ---- */

static void *put(struct msg *m, const void *data, size_t len)
{
	void *p;

	if (m->len + NLA_ALIGN(len) > BUF - 64)
		return NULL;
	p = m->buf + m->len;
	memset(p, 0, NLA_ALIGN(len));
	if (data)
		memcpy(p, data, len);
	m->len += NLA_ALIGN(len);
	return p;
}

static void put_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr nla = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > BUF - 64)
		return;
	put(m, &nla, NLA_HDRLEN);
	put(m, data, len);
}

static bool nest_begin(struct msg *m, uint16_t type)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN, .nla_type = type | NLA_F_NESTED };

	if (m->depth >= (int)(ARRAY_SIZE(m->nest)) ||
	    m->len + NLA_HDRLEN > BUF - 64)
		return false;
	m->nest[m->depth++] = m->len;
	put(m, &nla, NLA_HDRLEN);
	return true;
}

static void nest_end(struct msg *m)
{
	struct nlattr *nla = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	size_t len = m->len - m->nest[m->depth];

	nla->nla_len = len > 0xffff ? 0xffff : (uint16_t)len;
}

static const struct nf_attr *find_attr(const struct nf_set *set, uint16_t type, int *idx)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		if (set->attrs[i].type == type) {
			if (idx)
				*idx = (int)i;
			return &set->attrs[i];
		}
	}
	return NULL;
}

static unsigned int scalar_size(enum nf_kind k)
{
	switch (k) {
	case NF_U8:
	case NF_S8:
		return 1;
	case NF_U16:
	case NF_S16:
		return 2;
	case NF_U32:
	case NF_S32:
	case NF_BITFIELD32:
		return 4;
	case NF_U64:
	case NF_S64:
	case NF_UINT:
	case NF_SINT:
		return 8;
	default:
		return 0;
	}
}

static bool name_has(const struct nf_attr *a, const char *s)
{
	return !!strstr(a->name, s);
}

static enum part_key part_key(const struct nf_set *set, const struct nf_attr *a)
{
	bool part_set = !strcmp(set->name, "part");

	if (!strcmp(a->name, "part-id") || (part_set && !strcmp(a->name, "id")))
		return PK_ID;
	if (!strcmp(a->name, "part-name") || (part_set && !strcmp(a->name, "name")))
		return PK_NAME;
	return PK_NONE;
}

/*
 * A --value seed for @a, or NULL (none, or chance said no); one of
 * several for the same name with equal odds (reservoir sampling).
 */
static const char *seed_value(const struct nf_attr *a)
{
	const char *v = NULL;
	uint64_t n = 0;
	int i;

	for (i = 0; i < nr_seeds; i++) {
		if (strcmp(seeds[i].name, a->name))
			continue;
		n++;
		if (!fz_below(&rng, n))
			v = seeds[i].val;
	}
	return v && fz_chance(&rng, 50) ? v : NULL;
}

/* A value in [min, max], biased to the edges and to small numbers. */
static uint64_t in_range(const struct nf_attr *a)
{
	uint64_t lo = (uint64_t)a->min, span = a->max - lo;

	switch (fz_below(&rng, 6)) {
	case 0:
		return lo;
	case 1:
		return a->max;
	case 2:
		return lo + fz_below(&rng, span < 16 ? span + 1 : 16);
	case 3:
		return a->max - fz_below(&rng, span < 16 ? span + 1 : 16);
	default:
		return span == UINT64_MAX ? fz_next(&rng) : lo + fz_below(&rng, span + 1);
	}
}

static void put_scalar(struct msg *m, const struct nf_attr *a, uint64_t v, unsigned int size)
{
	uint8_t v8 = (uint8_t)v;
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	switch (size) {
	case 1:
		put_attr(m, a->type, &v8, 1);
		break;
	case 2:
		put_attr(m, a->type, &v16, 2);
		break;
	case 4:
		put_attr(m, a->type, &v32, 4);
		break;
	default:
		put_attr(m, a->type, &v, 8);
		break;
	}
}

/* --spare-cpus LO-HI: CPUs the generated CPU lists leave out. */
static int spare_cpu_lo = -1, spare_cpu_hi = -1;

static bool cpu_spared(int c)
{
	return c >= spare_cpu_lo && c <= spare_cpu_hi;
}

static int cpu_pick(void)
{
	int c = 0, i;

	for (i = 0; i < 64; i++) {
		c = (int)fz_below(&rng, nr_cpus);
		if (!cpu_spared(c))
			break;
	}
	return c;
}

static void put_cpulist(char *s, size_t len)
{
	int a = cpu_pick(), b = a + (int)fz_below(&rng, 3), c;
	int n;

	if (b >= nr_cpus)
		b = nr_cpus - 1;
	for (c = a + 1; c <= b; c++)
		if (cpu_spared(c))
			b = c - 1;
	n = snprintf(s, len, b > a ? "%d-%d" : "%d", a, b);
	if (fz_chance(&rng, 30) && n > 0)
		snprintf(s + n, len - n, ",%d", cpu_pick());
}

static void put_name(char *s, size_t max)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	size_t n = 1 + fz_below(&rng, max < 12 ? max : 12), i;

	for (i = 0; i < n; i++)
		s[i] = set[fz_below(&rng, i ? sizeof(set) - 1 : 26)];
	s[n] = 0;
}

static void put_valid(struct msg *m, const struct nf_set *sets, int set, int idx,
		      int depth);

/* A nest holding a random subset of @set, each attribute valid. */
static void put_valid_nest(struct msg *m, const struct nf_set *sets, int set, int depth)
{
	unsigned int i;

	for (i = 0; i < sets[set].n; i++)
		if (fz_chance(&rng, 60))
			put_valid(m, sets, set, (int)i, depth + 1);
}

static void put_valid(struct msg *m, const struct nf_set *sets, int set, int idx, int depth)
{
	const struct nf_attr *a = &sets[set].attrs[idx];
	struct pool_entry *pe = &pool[m->fam][set][idx < MAX_ATTRS ? idx : 0][fz_below(&rng, POOL)];
	char s[1100];
	unsigned int size = scalar_size(a->kind), i, n;
	size_t max;
	enum part_key pk = part_key(&sets[set], a);
	const char *sv = a->kind == NF_STRING ? seed_value(a) : NULL;

	if (pk != PK_NONE && fz_chance(&rng, 50))
		pe = &part_pool[pk][fz_below(&rng, POOL)];
	if (idx < MAX_ATTRS && set < MAX_SETS && pe->len && a->kind != NF_NEST &&
	    fz_chance(&rng, 50)) {
		put_attr(m, a->type, pe->data, pe->len);
		return;
	}
	if (sv) {
		put_attr(m, a->type, sv, strlen(sv) + 1);
		return;
	}
	switch (a->kind) {
	case NF_UNUSED:
	case NF_PAD:
		return;
	case NF_FLAG:
		put_attr(m, a->type, NULL, 0);
		return;
	case NF_STRING:
		max = a->max_len ? a->max_len : 64;
		if (max > sizeof(s) - 1)
			max = sizeof(s) - 1;
		if (name_has(a, "cpu"))
			put_cpulist(s, max + 1);
		else if (!strcmp(a->name, "name") || name_has(a, "-name"))
			put_name(s, max);
		else
			put_name(s, max);
		put_attr(m, a->type, s, strlen(s) + 1);
		return;
	case NF_BINARY:
		n = a->min_len + (unsigned int)fz_below(&rng, (a->max_len > a->min_len ?
							     a->max_len - a->min_len : 32) + 1);
		if (n > sizeof(s))
			n = sizeof(s);
		fz_bytes(&rng, s, n);
		put_attr(m, a->type, s, n);
		return;
	case NF_NEST:
		if (depth > 4 || a->nest < 0 || !nest_begin(m, a->type))
			return;
		put_valid_nest(m, sets, a->nest, depth);
		nest_end(m);
		return;
	case NF_ARRAY:
		if (depth > 4 || !nest_begin(m, a->type))
			return;
		n = (unsigned int)fz_below(&rng, 4);
		for (i = 1; i <= n; i++) {
			if (a->nest >= 0) {
				if (!nest_begin(m, (uint16_t)i))
					break;
				put_valid_nest(m, sets, a->nest, depth);
				nest_end(m);
			} else {
				uint32_t v = (uint32_t)fz_next(&rng);

				put_attr(m, (uint16_t)i, &v, 4);
			}
		}
		nest_end(m);
		return;
	case NF_BITFIELD32: {
		uint32_t bf[2] = { (uint32_t)fz_next(&rng), (uint32_t)fz_next(&rng) };

		put_attr(m, a->type, bf, 8);
		return;
	}
	default:
		break;
	}
	if (name_has(a, "-fd") && nr_fds && fz_chance(&rng, 80)) {
		put_scalar(m, a, (uint64_t)fds[fz_below(&rng, nr_fds)], size);
		return;
	}
	if (a->kind == NF_UINT || a->kind == NF_SINT)
		size = fz_chance(&rng, 50) ? 4 : 8;
	put_scalar(m, a, in_range(a), size);
}

/* Values just inside and just outside the checks. */
static void put_boundary(struct msg *m, const struct nf_set *sets, int set, int idx)
{
	const struct nf_attr *a = &sets[set].attrs[idx];
	unsigned int size = scalar_size(a->kind), n;
	static char s[70000];
	uint64_t v;

	if (a->kind == NF_STRING || a->kind == NF_BINARY) {
		static const int delta[] = { 0, 1, -1, 2 };
		size_t max = a->max_len ? a->max_len : 256;

		switch (fz_below(&rng, 5)) {
		case 0:
			n = 0;
			break;
		case 1:
			n = 1;
			break;
		case 2:
			n = 60000;
			break;
		default:
			n = (unsigned int)((long)max + delta[fz_below(&rng, 4)]);
			break;
		}
		if (n > 65000)
			n = 65000;
		memset(s, 'a' + (int)fz_below(&rng, 26), n);
		if (a->kind == NF_STRING && n && fz_chance(&rng, 50))
			s[n - 1] = 0;
		put_attr(m, a->type, s, n);
		return;
	}
	if (!size) {
		put_valid(m, sets, set, idx, 0);
		return;
	}
	switch (fz_below(&rng, 8)) {
	case 0:
		v = (uint64_t)a->min;
		break;
	case 1:
		v = (uint64_t)a->min - 1;
		break;
	case 2:
		v = a->max;
		break;
	case 3:
		v = a->max + 1;
		break;
	case 4:
		v = 0;
		break;
	case 5:
		v = ~0ULL;
		break;
	case 6:
		v = 1ULL << (size * 8 - 1);
		break;
	default:
		v = (1ULL << (size * 8 - 1)) - 1;
		break;
	}
	if (a->kind == NF_UINT || a->kind == NF_SINT)
		size = fz_chance(&rng, 50) ? 4 : 8;
	put_scalar(m, a, v, size);
}

static void put_wrong(struct msg *m, const struct nf_attr *a)
{
	static const unsigned int lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 300 };
	unsigned char junk[300];
	unsigned int n = lens[fz_below(&rng, ARRAY_SIZE(lens))];
	uint16_t type = a->type;

	fz_bytes(&rng, junk, n);
	if (fz_chance(&rng, 30))
		type ^= NLA_F_NESTED;
	if (fz_chance(&rng, 10))
		type |= NLA_F_NET_BYTEORDER;
	if (a->kind == NF_STRING && n)
		junk[n - 1] = (unsigned char)('a' + fz_below(&rng, 26));
	put_attr(m, type, junk, n);
}

/* Builds one message of strategy @s for op @op (-1: a cmd the spec lacks). */
static void build(struct msg *m, int fam, int op, enum strategy s)
{
	const struct nf_family *f = &nf_families[fam];
	const struct nf_op *o = op >= 0 ? &f->ops[op] : NULL;
	const struct nf_set *sets = f->sets;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	const uint16_t *req = NULL;
	unsigned int nreq = 0, i, k;
	int set = o ? o->set : (f->n_sets ? 0 : -1), idx;

	m->len = 0;
	m->depth = 0;
	m->fam = fam;
	m->op = op;
	m->s = s;
	m->hdr_ok = true;
	m->framing_ok = true;
	m->processed = true;
	m->dump = o && o->has_dump && (!o->has_do || fz_chance(&rng, 50));
	if (o) {
		req = m->dump ? o->req_dump : o->req_do;
		nreq = m->dump ? o->n_dump : o->n_do;
	}
	nlh = put(m, NULL, NLMSG_HDRLEN);
	nlh->nlmsg_type = (uint16_t)fam_id[fam];
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (m->dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = seq;
	g = put(m, NULL, GENL_HDRLEN);
	g->cmd = o ? o->cmd : (uint8_t)fz_next(&rng);
	g->version = 1;
	if (!o) {
		/* A cmd value outside the spec (or one of a notification). */
		for (i = 0; i < f->n_ops; i++)
			if (f->ops[i].cmd == g->cmd)
				g->cmd = (uint8_t)(g->cmd + 64 + fz_below(&rng, 128));
	}

	switch (s) {
	case S_VALID:
	case S_MISSING:
	case S_DUP:
	case S_UNKNOWN:
		for (i = 0; set >= 0 && i < nreq; i++) {
			if (!find_attr(&sets[set], req[i], &idx))
				continue;
			if (s == S_MISSING ? fz_chance(&rng, 40) : fz_chance(&rng, 80))
				put_valid(m, sets, set, idx, 0);
			if (s == S_DUP && fz_chance(&rng, 50))
				put_valid(m, sets, set, idx, 0);
		}
		if (s == S_UNKNOWN) {
			for (k = 1 + (unsigned int)fz_below(&rng, 3); k; k--) {
				uint16_t type;

				switch (fz_below(&rng, 4)) {
				case 0:
					type = 0;
					break;
				case 1:
					type = set >= 0 ? (uint16_t)(sets[set].max_type + 1) : 1;
					break;
				case 2:
					type = (uint16_t)fz_below(&rng, NLA_TYPE_MASK + 1);
					break;
				default:
					/* an attribute of the set the op does not take */
					type = 1;
					if (set >= 0 && sets[set].n)
						type = sets[set].attrs[fz_below(&rng,
									sets[set].n)].type;
				}
				put_attr(m, type, &seq, fz_below(&rng, 5) * 2);
			}
		}
		break;
	case S_BOUNDARY:
	case S_WRONG_LEN:
		for (i = 0; set >= 0 && i < nreq; i++) {
			if (!find_attr(&sets[set], req[i], &idx))
				continue;
			if (fz_chance(&rng, 40))
				put_valid(m, sets, set, idx, 0);
			else if (s == S_BOUNDARY)
				put_boundary(m, sets, set, idx);
			else
				put_wrong(m, &sets[set].attrs[idx]);
		}
		if (set >= 0 && !nreq && sets[set].n) {
			idx = (int)fz_below(&rng, sets[set].n);
			if (s == S_BOUNDARY)
				put_boundary(m, sets, set, idx);
			else
				put_wrong(m, &sets[set].attrs[idx]);
		}
		break;
	case S_DEEP_NEST:
	case S_TRUNC_NEST: {
		/* Nest the op's attributes (nest-typed or not) into each other. */
		unsigned int d = 1 + (unsigned int)fz_below(&rng, s == S_DEEP_NEST ? 70 : 6);
		uint16_t type = set >= 0 && sets[set].n ?
				sets[set].attrs[fz_below(&rng, sets[set].n)].type : 1;

		for (k = 0; k < d; k++) {
			if (!nest_begin(m, type))
				break;
			if (set >= 0 && sets[set].n && fz_chance(&rng, 50))
				type = sets[set].attrs[fz_below(&rng, sets[set].n)].type;
		}
		if (set >= 0 && sets[set].n && fz_chance(&rng, 50)) {
			idx = (int)fz_below(&rng, sets[set].n);
			put_valid(m, sets, set, idx, 3);
		}
		while (m->depth)
			nest_end(m);
		if (s == S_TRUNC_NEST) {
			/* One nest claims more than it holds, or less than its header. */
			size_t off = NLMSG_HDRLEN + GENL_HDRLEN +
				     NLA_HDRLEN * fz_below(&rng, d);
			struct nlattr *nla;

			if (off + NLA_HDRLEN <= m->len) {
				nla = (struct nlattr *)(m->buf + off);
				nla->nla_len = fz_chance(&rng, 50) ?
					(uint16_t)(nla->nla_len + 4 + fz_below(&rng, 64)) :
					(uint16_t)fz_below(&rng, NLA_HDRLEN);
			}
			if (fz_chance(&rng, 30) && m->len > NLMSG_HDRLEN + GENL_HDRLEN + 2)
				m->len -= 1 + fz_below(&rng, 3);
		}
		break;
	}
	case S_RANDOM:
		k = (unsigned int)fz_below(&rng, 600);
		if (put(m, NULL, k))
			fz_bytes(&rng, m->buf + m->len - NLA_ALIGN(k), k);
		m->len -= NLA_ALIGN(k) - k;
		break;
	case S_HEADER:
	case S_FRAMING:
		for (i = 0; set >= 0 && i < nreq; i++)
			if (find_attr(&sets[set], req[i], &idx) && fz_chance(&rng, 70))
				put_valid(m, sets, set, idx, 0);
		break;
	default:
		break;
	}
	nlh = (struct nlmsghdr *)m->buf;
	nlh->nlmsg_len = (uint32_t)m->len;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	if (s == S_HEADER) {
		static const uint16_t fl[] = {
			NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_ECHO,
			NLM_F_MULTI, NLM_F_EXCL, NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND,
			NLM_F_DUMP_INTR, 0x8000, 0x2000,
		};

		switch (fz_below(&rng, 5)) {
		case 0: {
			uint16_t rest;

			nlh->nlmsg_flags |= fl[fz_below(&rng, ARRAY_SIZE(fl))];
			m->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
			/* genl refuses (EINVAL) flags other than these before it looks at rights */
			rest = nlh->nlmsg_flags &
			       (uint16_t)~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO);
			if (m->dump)
				rest &= (uint16_t)~NLM_F_DUMP;
			m->hdr_ok = !rest;
			break;
		}
		case 1:
			g->version = (uint8_t)fz_next(&rng);
			break;
		case 2:
			g->reserved = (uint16_t)fz_next(&rng);
			m->hdr_ok = !g->reserved;
			break;
		case 3:
			/* not a request: acked without being looked at */
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_REQUEST;
			m->hdr_ok = false;
			m->processed = false;
			break;
		default:
			/* no genl header at all */
			m->len = NLMSG_HDRLEN + fz_below(&rng, GENL_HDRLEN);
			nlh->nlmsg_len = (uint32_t)m->len;
			m->hdr_ok = false;
			break;
		}
	}
	if (s == S_FRAMING) {
		m->hdr_ok = false;
		m->framing_ok = false;
		switch (fz_below(&rng, 4)) {
		case 0:
			nlh->nlmsg_len = (uint32_t)(m->len + 1 + fz_below(&rng, 64));
			break;
		case 1:
			nlh->nlmsg_len = (uint32_t)fz_below(&rng, NLMSG_HDRLEN + GENL_HDRLEN + 1);
			break;
		case 2:
			/* garbage after the message, read as more messages (of our family) */
			k = 16 + (unsigned int)fz_below(&rng, 64);
			nlh = put(m, NULL, k);
			if (nlh) {
				fz_bytes(&rng, nlh, k);
				nlh->nlmsg_type = (uint16_t)fam_id[fam];
				nlh = (struct nlmsghdr *)m->buf;
			}
			break;
		default:
			/* the same message twice in one datagram */
			if (m->len * 2 < BUF - 64) {
				memcpy(m->buf + m->len, m->buf, m->len);
				m->len *= 2;
			}
			break;
		}
	}
	if (s == S_RANDOM || s == S_DEEP_NEST || s == S_TRUNC_NEST)
		m->hdr_ok = true;	/* header intact, payload hostile */
}

/* ---- talking to the kernel ---- */

static int open_sock(void)
{
	int one = 1, rcv = 4 << 20;
	struct timeval tv = { .tv_sec = 20 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void learn(int fam, int op, const unsigned char *p, size_t len, int set, int depth);
static bool spare_reply(int fam, int op, const struct nlmsghdr *nlh);

/*
 * Receives until the message with sequence number @s is answered (error,
 * ack or end of dump) or, for broken framing, until the sentinel @sentinel
 * is. Returns the errno (0 = success), ERR_NONE if nothing answered it, or
 * -1 on a timeout.
 */
static int receive(int fam, int op, uint32_t s, uint32_t sentinel)
{
	static unsigned char rbuf[BUF * 2];
	int result = ERR_NONE;

	for (;;) {
		ssize_t n = recv(sock, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;
		int rem;

		if (n < 0) {
			if (errno == EINTR && !__atomic_load_n(&stop_req, __ATOMIC_RELAXED))
				continue;
			if (errno == ENOBUFS)
				return errno;	/* counted like any other errno */
			return -1;
		}
		rem = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_seq == sentinel && sentinel)
					return result;
				if (nlh->nlmsg_seq == s) {
					result = -e->error;
					if (!sentinel)
						return result;
				}
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (nlh->nlmsg_seq == s) {
					int *e = NLMSG_DATA(nlh);

					result = nlh->nlmsg_len >= NLMSG_LENGTH(4) ? -*e : 0;
					if (!sentinel)
						return result;
				}
				continue;
			}
			if (nlh->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN) && op >= 0 &&
			    nlh->nlmsg_type == fam_id[fam] && !spare_reply(fam, op, nlh))
				learn(fam, op, (unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
				      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
				      nf_families[fam].ops[op].set, 0);
		}
	}
}

/*
 * --spare, per family: the ids seen in replies about spared objects and
 * those seen in replies about other objects, the SPARE_IDS seen last of
 * each (ids of objects deleted long ago age out). A mutating request may
 * only name ids of the second kind, so that an object created a moment
 * ago, not yet seen in any reply, is not hit by chance either. Both are
 * emptied when the family's id changes (its module was reloaded: genl ids
 * are allocated cyclically, and the objects' ids start again).
 */
#define SPARE_IDS	64
static const char *spare;
static struct id_ring {
	uint64_t v[SPARE_IDS];
	uint64_t seen[SPARE_IDS];	/* 0: empty slot */
	uint64_t clock;
} spared[NF_NR_FAMILIES], known[NF_NR_FAMILIES];

static void ring_add(struct id_ring *r, const uint64_t *ids, unsigned int n)
{
	unsigned int i, j, slot;

	for (i = 0; i < n; i++) {
		slot = 0;
		for (j = 0; j < SPARE_IDS; j++) {
			if (r->seen[j] && r->v[j] == ids[i]) {
				slot = j;
				break;
			}
			if (r->seen[j] < r->seen[slot])
				slot = j;	/* empty or seen longest ago */
		}
		r->v[slot] = ids[i];
		r->seen[slot] = ++r->clock;
	}
}

static bool ring_has(const struct id_ring *r, uint64_t v)
{
	unsigned int j;

	for (j = 0; j < SPARE_IDS; j++)
		if (r->seen[j] && r->v[j] == v)
			return true;
	return false;
}

/* The value of a scalar attribute named "id" or "*-id", else false. */
static bool id_value(const struct nf_set *set, const struct nlattr *nla, uint64_t *v)
{
	const struct nf_attr *a = find_attr(set, nla->nla_type & NLA_TYPE_MASK, NULL);
	size_t l = nla->nla_len - NLA_HDRLEN, n = strlen(a ? a->name : "");
	const unsigned char *d = (const unsigned char *)nla + NLA_HDRLEN;

	if (!a || !scalar_size(a->kind) || (strcmp(a->name, "id") &&
					    (n < 3 || strcmp(a->name + n - 3, "-id"))))
		return false;
	if (l != 1 && l != 2 && l != 4 && l != 8)
		return false;
	*v = 0;
	memcpy(v, d, l);	/* little-endian host: the low bytes */
	return true;
}

/* The ids among the top-level attributes of [p, p + len), at most max. */
static unsigned int top_ids(const struct nf_set *set, const unsigned char *p, size_t len,
			    uint64_t *ids, unsigned int max)
{
	unsigned int n = 0;
	size_t off = 0;

	while (off + NLA_HDRLEN <= len && n < max) {
		const struct nlattr *nla = (const void *)(p + off);

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len)
			break;
		if (id_value(set, nla, &ids[n]))
			n++;
		off += NLA_ALIGN(nla->nla_len);
	}
	return n;
}

/* Notes the ids of a reply; true if it is about a spared object. */
static bool spare_reply(int fam, int op, const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	int set = nf_families[fam].ops[op].set;
	bool spared_obj;
	uint64_t ids[8];
	unsigned int n;

	if (!spare)
		return false;
	spared_obj = memmem(p, len, spare, strlen(spare));
	n = set >= 0 ? top_ids(&nf_families[fam].sets[set], p, len, ids, 8) : 0;
	ring_add(spared_obj ? &spared[fam] : &known[fam], ids, n);
	return spared_obj;
}

/* A request that may touch a spared object: not sent with --spare. */
static bool spare_request(const struct msg *m)
{
	const unsigned char *p = m->buf + NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nf_op *o = m->op >= 0 ? &nf_families[m->fam].ops[m->op] : NULL;
	uint64_t ids[8];
	unsigned int i, n;

	if (!spare || m->len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	if (memmem(m->buf, m->len, spare, strlen(spare)))
		return true;
	n = o && o->set >= 0 ? top_ids(&nf_families[m->fam].sets[o->set], p,
				       m->len - NLMSG_HDRLEN - GENL_HDRLEN, ids, 8) : 0;
	for (i = 0; i < n; i++)
		if (ring_has(&spared[m->fam], ids[i]) ||
		    (o->mutating && !ring_has(&known[m->fam], ids[i])))
			return true;
	return false;
}

/* Remembers scalar and string values of replies, to reuse as valid input. */
static void learn(int fam, int op, const unsigned char *p, size_t len, int set, int depth)
{
	const struct nf_family *f = &nf_families[fam];
	size_t off = 0;

	if (set < 0 || set >= MAX_SETS || depth > 3)
		return;
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)(p + off);
		size_t l = nla->nla_len;
		const struct nf_attr *a;
		int idx;

		if (l < NLA_HDRLEN || off + l > len)
			return;
		a = find_attr(&f->sets[set], nla->nla_type & NLA_TYPE_MASK, &idx);
		if (a && idx < MAX_ATTRS) {
			if (a->kind == NF_NEST && a->nest >= 0) {
				learn(fam, op, p + off + NLA_HDRLEN, l - NLA_HDRLEN, a->nest,
				      depth + 1);
			} else if (l - NLA_HDRLEN <= POOL_LEN && a->kind != NF_PAD) {
				struct pool_entry *pe = &pool[fam][set][idx][fz_below(&rng, POOL)];
				enum part_key pk = part_key(&f->sets[set], a);

				pe->len = (uint8_t)(l - NLA_HDRLEN);
				memcpy(pe->data, p + off + NLA_HDRLEN, pe->len);
				if (pk != PK_NONE)
					part_pool[pk][fz_below(&rng, POOL)] = *pe;
			}
		}
		off += NLA_ALIGN(l);
	}
}

/* CTRL_CMD_GETFAMILY by name: the id, or -errno. */
static int resolve(const char *name)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		unsigned char attrs[64];
	} req = {
		.n.nlmsg_type = GENL_ID_CTRL,
		.n.nlmsg_flags = NLM_F_REQUEST,
		.n.nlmsg_seq = ++seq,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	unsigned char rbuf[16384];
	struct nlattr *nla = (struct nlattr *)req.attrs;
	size_t nl = strlen(name) + 1;
	struct nlmsghdr *nlh;
	ssize_t n;
	int rem;

	if (nl > 40)
		return -EINVAL;
	nla->nla_type = CTRL_ATTR_FAMILY_NAME;
	nla->nla_len = (uint16_t)(NLA_HDRLEN + nl);
	memcpy(req.attrs + NLA_HDRLEN, name, nl);
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(nla->nla_len);
	if (send(sock, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(sock, rbuf, sizeof(rbuf), 0);
	if (n < 0)
		return -errno;
	rem = (int)n;
	for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
		unsigned char *p = (unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
		int alen = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		if (nlh->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		while (alen >= NLA_HDRLEN) {
			nla = (struct nlattr *)p;
			if (nla->nla_len < NLA_HDRLEN)
				break;
			if ((nla->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)(p + NLA_HDRLEN);
			alen -= NLA_ALIGN(nla->nla_len);
			p += NLA_ALIGN(nla->nla_len);
		}
	}
	return -ENOENT;
}

static int resolve_all(bool report)
{
	int i, n = 0;

	for (i = 0; i < NF_NR_FAMILIES; i++) {
		int id = resolve(nf_families[i].name);

		if (id != fam_id[i]) {
			memset(&spared[i], 0, sizeof(spared[i]));
			memset(&known[i], 0, sizeof(known[i]));
		}
		fam_id[i] = id;
		fam_on[i] = fam_id[i] > 0;
		n += fam_on[i];
		if (report)
			printf("# family %-14s %s\n", nf_families[i].name,
			       fam_on[i] ? "present" : "absent (module not loaded): skipped");
	}
	return n;
}

/* ---- one message, end to end ---- */

static void describe(const struct msg *m, char *buf, size_t len)
{
	const struct nf_family *f = &nf_families[m->fam];

	snprintf(buf, len, "family %s op %s (%s) strategy %s seq %u", f->name,
		 m->op >= 0 ? f->ops[m->op].name : "<cmd not in spec>",
		 m->dump ? "dump" : "do", strategy_name[m->s],
		 ((const struct nlmsghdr *)m->buf)->nlmsg_seq);
}

static void fail_msg(const struct msg *m, const char *why)
{
	char d[160];

	describe(m, d, sizeof(d));
	printf("FAIL: %s\n# message: %s, %zu bytes:\n", why, d, m->len);
	fz_hexdump(stdout, m->buf, m->len);
	fflush(stdout);
	sh->failed = 1;
}

/* The message each worker had in flight, this process's first. */
static void print_last(const char *what, const char *line)
{
	int j, w;

	printf("%s: %s\n# after %" PRIu64 " messages; the last one sent:\n", what, line,
	       sh->total);
	for (j = 0; j < MAX_JOBS; j++) {
		w = (worker + j) % MAX_JOBS;
		if (!sh->last[w].len)
			continue;
		printf("# worker %d: %s, %u bytes:\n", w, sh->last[w].desc, sh->last[w].len);
		fz_hexdump(stdout, sh->last[w].buf, sh->last[w].len);
	}
	fflush(stdout);
}

static int check_splat(void)
{
	char line[512];

	if (!fz_watch_check(line, sizeof(line)))
		return 0;
	print_last("SPLAT", line);
	fflush(stdout);
	sh->failed = 2;
	return 1;
}

/* Sends @m, classifies the answer, checks the privilege rule. */
static int run_one(struct msg *m, bool strict)
{
	static const struct nlmsghdr noop = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	struct nlmsghdr sentinel = noop;
	const struct nf_op *o = m->op >= 0 ? &nf_families[m->fam].ops[m->op] : NULL;
	int slot = m->op >= 0 ? m->op : MAX_OPS - 1, e;
	uint32_t s = ((struct nlmsghdr *)m->buf)->nlmsg_seq;

	if (slot >= MAX_OPS)
		slot = MAX_OPS - 1;
	memcpy(sh->last[worker].buf, m->buf, m->len);
	sh->last[worker].len = (uint32_t)m->len;
	describe(m, sh->last[worker].desc, sizeof(sh->last[worker].desc));
	if (send(sock, m->buf, m->len, 0) < 0) {
		e = errno;
		if (e != EINVAL && e != ENOBUFS && e != EMSGSIZE) {
			fail_msg(m, "send failed");
			return -1;
		}
	} else {
		if (!m->framing_ok) {
			sentinel.nlmsg_seq = ++seq;
			send(sock, &sentinel, sentinel.nlmsg_len, 0);
		}
		e = receive(m->fam, m->op, s, m->framing_ok ? 0 : sentinel.nlmsg_seq);
		if (e < 0) {
			if (!strict)
				return 0;
			fail_msg(m, "no answer within 20 s (the kernel lost or hung the request)");
			return -1;
		}
	}
	seq++;
	CNT(sh->total);
	CNT(sh->sent[m->fam][slot]);
	CNT(sh->by_strategy[m->s]);
	if (m->dump)
		CNT(sh->dumps);
	CNT(sh->err[m->fam][slot][e < NERR ? e : ERR_NONE]);
	if (verbose > 1) {
		char d[160];

		describe(m, d, sizeof(d));
		printf("# %s -> %s\n", d, e == ERR_NONE ? "no answer" : strerror(e));
	}
	if (leg_unpriv && o && o->mutating && strict && m->processed) {
		CNT(sh->eperm_checked);
		if (e == 0) {
			fail_msg(m, "a mutating op succeeded without admin rights");
			return -1;
		}
		if (m->hdr_ok && !m->dump && e != EPERM && e != ERR_NONE) {
			char why[96];

			snprintf(why, sizeof(why),
				 "a mutating op without admin rights got %s, not EPERM",
				 strerror(e));
			fail_msg(m, why);
			return -1;
		}
	}
	return 0;
}

/* ---- snapshots: what the dumps show, for "changes nothing" and cleanup ---- */

/*
 * --live FAMILY.ATTR: an attribute whose value lives (counters, sampled
 * load): blanked in what the dumps show, so that "a failed request changed
 * nothing" compares the rest.
 */
static struct { int fam; const char *name; } live[64];
static unsigned int nth_max = 512;	/* --nth-max: runs per script request */
static int nr_live;

static void blank_live(int fam, int op, unsigned char *p, uint32_t len)
{
	const struct nf_family *f = &nf_families[fam];
	const struct nf_set *set;
	struct nlattr *nla;
	int i, set_idx = f->ops[op].set;
	unsigned int k;

	if (!nr_live || set_idx < 0)
		return;
	set = &f->sets[set_idx];
	while (len >= NLA_HDRLEN) {
		nla = (struct nlattr *)p;
		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return;
		for (k = 0; k < set->n; k++) {
			if (set->attrs[k].type != (nla->nla_type & NLA_TYPE_MASK))
				continue;
			for (i = 0; i < nr_live; i++)
				if (live[i].fam == fam && !strcmp(live[i].name, set->attrs[k].name))
					memset(p + NLA_HDRLEN, 0, nla->nla_len - NLA_HDRLEN);
		}
		if ((uint32_t)NLA_ALIGN(nla->nla_len) >= len)
			return;
		len -= (uint32_t)NLA_ALIGN(nla->nla_len);
		p += NLA_ALIGN(nla->nla_len);
	}
}

struct snap {
	unsigned char *buf;
	size_t len, cap;
	size_t end[NF_NR_FAMILIES][MAX_OPS];	/* where each op's dump ends */
};

static void snap_add(struct snap *sn, const void *p, size_t len)
{
	if (sn->len + len > sn->cap) {
		sn->cap = (sn->len + len) * 2 + 4096;
		sn->buf = realloc(sn->buf, sn->cap);
		if (!sn->buf)
			exit(1);
	}
	memcpy(sn->buf + sn->len, p, len);
	sn->len += len;
}

/* Dumps op @op of family @fam (no attributes), appending each object's attributes. */
static int dump_op(int fam, int op, struct snap *sn)
{
	static unsigned char rbuf[BUF * 2];
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.n.nlmsg_type = (uint16_t)fam_id[fam],
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.n.nlmsg_seq = ++seq,
		.g.cmd = nf_families[fam].ops[op].cmd,
		.g.version = 1,
	};

	if (send(sock, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(sock, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;
		int rem;

		if (n < 0)
			return -errno;
		rem = (int)n;
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			uint32_t l;

			if (nlh->nlmsg_seq != req.n.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			l = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			if (sn) {
				snap_add(sn, &l, sizeof(l));
				snap_add(sn, (unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN, l);
				blank_live(fam, op, sn->buf + sn->len - l, l);
			}
		}
	}
}

/* Every dumpable op of every present family, one after the other. */
static void snapshot(struct snap *sn, bool volatile_ops[NF_NR_FAMILIES][MAX_OPS])
{
	int f;
	unsigned int o;

	sn->len = 0;
	memset(sn->end, 0, sizeof(sn->end));
	for (f = 0; f < NF_NR_FAMILIES; f++) {
		for (o = 0; fam_on[f] && o < nf_families[f].n_ops && o < MAX_OPS; o++) {
			if (!nf_families[f].ops[o].has_dump || nf_families[f].ops[o].n_dump ||
			    (volatile_ops && volatile_ops[f][o]))
				continue;
			dump_op(f, (int)o, sn);
			sn->end[f][o] = sn->len;
		}
	}
}

/*
 * The first dump whose output differs between two snapshots, skipping the
 * ops marked in @skip; with @print, its name and the bytes around the
 * first difference (attribute payloads, each object preceded by its
 * length). Return: family * MAX_OPS + op, or -1 if none differs.
 */
static int snap_diff(const struct snap *a, const struct snap *b,
		     bool skip[NF_NR_FAMILIES][MAX_OPS], bool print)
{
	size_t sa = 0, sb = 0, la, lb, i, k, from;
	int f;
	unsigned int o;

	for (f = 0; f < NF_NR_FAMILIES; f++) {
		for (o = 0; o < MAX_OPS; o++) {
			if (!a->end[f][o] && !b->end[f][o])
				continue;
			la = a->end[f][o] - sa;
			lb = b->end[f][o] - sb;
			for (i = 0; i < la && i < lb && a->buf[sa + i] == b->buf[sb + i]; i++)
				;
			if ((i < la || i < lb) && !skip[f][o]) {
				if (!print)
					return f * MAX_OPS + (int)o;
				printf("#   dump %s %s differs at byte %zu of %zu -> %zu\n",
				       nf_families[f].name, nf_families[f].ops[o].name, i, la, lb);
				from = i > 16 ? i - 16 : 0;
				printf("#   before:");
				for (k = from; k < la && k < i + 32; k++)
					printf(" %02x", a->buf[sa + k]);
				printf("\n#   after: ");
				for (k = from; k < lb && k < i + 32; k++)
					printf(" %02x", b->buf[sb + k]);
				printf("\n");
				return f * MAX_OPS + (int)o;
			}
			sa = a->end[f][o];
			sb = b->end[f][o];
		}
	}
	return -1;
}

/* Does the dump of op @o change by itself within @secs (dumped every 200 ms)? */
static bool changes_by_itself(int f, unsigned int o, double secs)
{
	struct snap a = { 0 }, b = { 0 };
	double until = now() + secs;
	bool changed = false;

	dump_op(f, (int)o, &a);
	while (!changed && now() < until) {
		usleep(200000);
		b.len = 0;
		dump_op(f, (int)o, &b);
		changed = a.len != b.len || memcmp(a.buf, b.buf, a.len);
	}
	free(a.buf);
	free(b.buf);
	return changed;
}

/* Marks the dumps whose output changes by itself (live counters). */
static void find_volatile(bool vol[NF_NR_FAMILIES][MAX_OPS])
{
	struct snap a = { 0 }, b = { 0 };
	int f;
	unsigned int o;

	for (f = 0; f < NF_NR_FAMILIES; f++) {
		for (o = 0; fam_on[f] && o < nf_families[f].n_ops && o < MAX_OPS; o++) {
			if (!nf_families[f].ops[o].has_dump)
				continue;
			a.len = 0;
			b.len = 0;
			dump_op(f, (int)o, &a);
			usleep(200000);
			dump_op(f, (int)o, &b);
			vol[f][o] = a.len != b.len || memcmp(a.buf, b.buf, a.len);
			if (vol[f][o])
				printf("# %s %s: dump changes by itself, not compared\n",
				       nf_families[f].name, nf_families[f].ops[o].name);
		}
	}
	free(a.buf);
	free(b.buf);
}

/* "X-delete" (or del, destroy, remove) and the "X-get" that dumps its objects. */
static const char * const delete_verbs[] = { "delete", "del", "destroy", "remove" };

static size_t stem_of(const char *name, const char *verb)
{
	size_t n = strlen(name), v = strlen(verb);

	if (n == v && !strcmp(name, verb))
		return 0;
	if (n > v + 1 && name[n - v - 1] == '-' && !strcmp(name + n - v, verb))
		return n - v - 1;
	return (size_t)-1;
}

static int delete_pair(int f, unsigned int del)
{
	const struct nf_family *fam = &nf_families[f];
	const char *dn = fam->ops[del].name;
	size_t stem = (size_t)-1, i;
	unsigned int o;

	for (i = 0; i < ARRAY_SIZE(delete_verbs) && stem == (size_t)-1; i++)
		stem = stem_of(dn, delete_verbs[i]);
	if (stem == (size_t)-1 || !fam->ops[del].has_do)
		return -1;
	for (o = 0; o < fam->n_ops; o++)
		if (fam->ops[o].has_dump && stem_of(fam->ops[o].name, "get") == stem &&
		    !strncmp(fam->ops[o].name, dn, stem))
			return (int)o;
	return -1;
}

/*
 * Keys of the objects an "X-get" dump shows, as the request of "X-delete"
 * takes them: every attribute of the delete request the object carries,
 * one (len, attributes) record per object in @out.
 */
static void keys(int f, unsigned int del, int get, struct snap *out)
{
	const struct nf_op *d = &nf_families[f].ops[del];
	struct snap sn = { 0 }, key = { 0 };
	size_t off = 0;

	out->len = 0;
	if (dump_op(f, get, &sn) < 0 && !sn.len)
		return;
	while (off + 4 <= sn.len) {
		const unsigned char *p = sn.buf + off + 4;
		uint32_t l, kl;
		size_t a;
		unsigned int i;

		memcpy(&l, sn.buf + off, 4);
		key.len = 0;
		for (i = 0; i < d->n_do; i++) {
			for (a = 0; a + NLA_HDRLEN <= l;) {
				const struct nlattr *nla = (const void *)(p + a);

				if (nla->nla_len < NLA_HDRLEN)
					break;
				if ((nla->nla_type & NLA_TYPE_MASK) == d->req_do[i]) {
					snap_add(&key, nla, NLA_ALIGN(nla->nla_len));
					break;
				}
				a += NLA_ALIGN(nla->nla_len);
			}
		}
		kl = (uint32_t)key.len;
		if (kl) {
			snap_add(out, &kl, 4);
			snap_add(out, key.buf, kl);
		}
		off += 4 + l;
	}
	free(sn.buf);
	free(key.buf);
}

static bool has_key(const struct snap *sn, const void *k, uint32_t len)
{
	size_t off = 0;
	uint32_t l;

	while (off + 4 <= sn->len) {
		memcpy(&l, sn->buf + off, 4);
		if (l == len && !memcmp(sn->buf + off + 4, k, len))
			return true;
		off += 4 + l;
	}
	return false;
}

static struct snap before_keys[NF_NR_FAMILIES][MAX_OPS];

static void remember_objects(void)
{
	int f;
	unsigned int o;

	for (f = 0; f < NF_NR_FAMILIES; f++)
		for (o = 0; fam_on[f] && o < nf_families[f].n_ops && o < MAX_OPS; o++)
			if (delete_pair(f, o) >= 0)
				keys(f, o, delete_pair(f, o), &before_keys[f][o]);
}

/* Deletes every object the run created (families in reverse order). Returns how many are left. */
static int cleanup(void)
{
	int f, round, left = 0, deleted = 0;
	unsigned int o;

	for (round = 0; round < 5; round++) {
		left = 0;
		for (f = NF_NR_FAMILIES - 1; f >= 0; f--) {
			for (o = 0; fam_on[f] && o < nf_families[f].n_ops && o < MAX_OPS; o++) {
				struct snap now = { 0 };
				size_t off = 0;
				int get = delete_pair(f, o);

				if (get < 0)
					continue;
				keys(f, o, get, &now);
				while (off + 4 <= now.len) {
					struct msg *m = calloc(1, sizeof(*m));
					struct nlmsghdr *nlh;
					struct genlmsghdr *g;
					uint32_t l;

					memcpy(&l, now.buf + off, 4);
					if (!m ||
					    has_key(&before_keys[f][o], now.buf + off + 4, l)) {
						free(m);
						off += 4 + l;
						continue;
					}
					nlh = put(m, NULL, NLMSG_HDRLEN);
					nlh->nlmsg_type = (uint16_t)fam_id[f];
					nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
					nlh->nlmsg_seq = ++seq;
					g = put(m, NULL, GENL_HDRLEN);
					g->cmd = nf_families[f].ops[o].cmd;
					g->version = 1;
					put(m, now.buf + off + 4, l);
					nlh->nlmsg_len = (uint32_t)m->len;
					if (send(sock, m->buf, m->len, 0) > 0 &&
					    receive(f, -1, nlh->nlmsg_seq, 0) == 0)
						deleted++;
					else
						left++;
					free(m);
					off += 4 + l;
				}
				free(now.buf);
			}
		}
		if (!left)
			break;
		usleep(100000);
	}
	printf("# %s: deleted %d objects the run created, %d left\n", __func__, deleted, left);
	return left;
}

/* ---- legs ---- */

enum leg { LEG_ROOT, LEG_NOBODY, LEG_USERNS };
static const char * const leg_name[] = { "root", "nobody", "userns-root" };

static int drop_to(enum leg leg)
{
	if (leg == LEG_ROOT)
		return 0;
	if (leg == LEG_USERNS)
		return unshare(CLONE_NEWUSER);
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	return 0;
}

static int pick_family(void)
{
	int f, tries;

	for (tries = 0; tries < 64; tries++) {
		f = (int)fz_below(&rng, NF_NR_FAMILIES);
		if (fam_on[f] && nf_families[f].n_ops)
			return f;
	}
	return -1;
}

static int fuzz_loop(uint64_t count, double until, bool traffic)
{
	struct msg *m = malloc(sizeof(*m));
	uint64_t i;
	int f, op;
	enum strategy s;

	if (!m)
		return -1;
	for (i = 0; (!count || i < count) && (!until || now() < until); i++) {
		if (__atomic_load_n(&stop_req, __ATOMIC_RELAXED) || sh->failed)
			break;
		if (traffic && i % 50 == 0)
			resolve_all(false);
		f = pick_family();
		if (f < 0) {
			if (!traffic)
				break;
			usleep(20000);
			continue;
		}
		op = !traffic && fz_chance(&rng, 3) ? -1 :
		     (int)fz_below(&rng, nf_families[f].n_ops);
		s = traffic ? S_VALID : (enum strategy)fz_below(&rng, NR_STRATEGIES);
		if (s != S_VALID && fz_chance(&rng, 25))
			s = S_VALID;
		build(m, f, op, s);
		if (traffic && spare_request(m))
			continue;
		if (run_one(m, !traffic))
			break;
		if (!traffic && check_splat())
			break;
	}
	free(m);
	return sh->failed ? -1 : 0;
}

static int nth_io(int fd, unsigned int n)
{
	char b[16];
	ssize_t r;
	int l;

	if (n != ~0u) {
		l = snprintf(b, sizeof(b), "%u", n);
		return pwrite(fd, b, (size_t)l, 0) == l ? 0 : -1;
	}
	r = pread(fd, b, sizeof(b) - 1, 0);
	if (r <= 0)
		return -1;
	b[r] = 0;
	return atoi(b);
}

/*
 * Systematic fault injection: each valid request is sent again and again
 * with /proc/self/fail-nth = 1, 2, 3... so that its first, second, third
 * allocation (among those the fault-injection filters let through: the
 * caller sets them to our modules' code) fails, until a run needs fewer
 * allocations than that. Every allocation site of every op is hit once.
 */
static int failnth_loop(uint64_t count)
{
	struct msg *m = malloc(sizeof(*m));
	int fd = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC);
	struct fz_rng saved;
	uint64_t i;
	unsigned int n;
	int f, op, left;

	if (!m || fd < 0) {
		perror("nlfuzz: /proc/self/fail-nth");
		return -1;
	}
	for (i = 0; i < count && !sh->failed; i++) {
		f = pick_family();
		if (f < 0)
			break;
		op = (int)fz_below(&rng, nf_families[f].n_ops);
		saved = rng;
		CNT(sh->nth_ops);
		for (n = 1; n <= 512; n++) {
			rng = saved;
			build(m, f, op, S_VALID);
			nth_io(fd, n);
			if (run_one(m, true))
				break;
			left = nth_io(fd, ~0u);
			nth_io(fd, 0);
			if (left)
				break;	/* fewer than n allocations: all were failed once */
			CNT(sh->injected);
			if (check_splat())
				break;
		}
		rng = saved;
		fz_next(&rng);
	}
	close(fd);
	free(m);
	return sh->failed ? -1 : 0;
}

/* ---- --script FILE: given requests under fail-nth (faultinject.sh pass 3) ---- */

/*
 * Random valid requests rarely carry the partition, VF, size and standby
 * that a creating op needs all at once; a script names them. Each line is
 * "PREP | UNDO | REQUEST" (PREP and UNDO: requests separated by ';', or
 * empty), each request "FAMILY OP [dump] [ATTR=VALUE]..." with values
 * read by the attribute's type in the spec: a number (a K, M or G suffix
 * multiplies), a string, or "@PATH" for an fd (PATH opened read-only).
 * REQUEST is sent again and again with its 1st, 2nd, 3rd... allocation
 * failed, PREP before and UNDO after each run without faults, until a run
 * needs no injection. Checked: PREP always succeeds (a failed run left
 * nothing in the way), a run without injection succeeds, a run that failed
 * changed nothing the dumps show (the dumps that change by themselves
 * aside), and no splat. A process of its own sends them all: under TCG an
 * exec costs seconds in the debug flavour, a request milliseconds.
 */
#define SCRIPT_REQS	4

struct sreq {
	struct msg *m;
	char text[160];
};

static const struct nf_attr *attr_named(const struct nf_set *set, const char *name)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->attrs[i].name, name))
			return &set->attrs[i];
	return NULL;
}

static const char *put_text_value(struct msg *m, const struct nf_attr *a, const char *v)
{
	unsigned int size = scalar_size((enum nf_kind)a->kind);
	static const char units[] = "KMG";
	unsigned long long x;
	const char *sfx;
	char *end;
	int fd;

	if (a->kind == NF_FLAG) {
		put_attr(m, a->type, NULL, 0);
		return NULL;
	}
	if (a->kind == NF_STRING) {
		put_attr(m, a->type, v, strlen(v) + 1);
		return NULL;
	}
	if (!size)
		return "attribute type not supported in a script";
	if (*v == '@') {
		fd = open(v + 1, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return "cannot open the fd's path";
		put_scalar(m, a, (uint64_t)fd, size);
		return NULL;
	}
	errno = 0;
	x = strtoull(v, &end, 0);
	if (end == v || errno)
		return "not a number";
	sfx = *end ? strchr(units, *end) : NULL;
	if (sfx) {
		x <<= 10 * (sfx - units + 1);
		end++;
	}
	if (*end)
		return "not a number";
	put_scalar(m, a, x, size);
	return NULL;
}

/* Parses @r->text into @r->m; the reason on error. */
static const char *parse_request(struct sreq *r)
{
	char buf[sizeof(r->text)], *save, *tok, *eq;
	const struct nf_family *fam;
	const struct nf_op *o = NULL;
	const struct nf_attr *a;
	struct msg *m = r->m;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	const char *why;
	unsigned int i;
	int f;

	snprintf(buf, sizeof(buf), "%s", r->text);
	tok = strtok_r(buf, " \t", &save);
	for (f = 0; tok && f < NF_NR_FAMILIES && strcmp(nf_families[f].name, tok); f++)
		;
	if (!tok || f == NF_NR_FAMILIES)
		return "no such family in the specs";
	if (!fam_on[f])
		return "family not present (module not loaded)";
	fam = &nf_families[f];
	tok = strtok_r(NULL, " \t", &save);
	for (i = 0; tok && i < fam->n_ops; i++)
		if (!strcmp(fam->ops[i].name, tok))
			o = &fam->ops[i];
	if (!o || o->set < 0)
		return "no such op in the family's spec";
	m->len = 0;
	m->depth = 0;
	m->fam = f;
	m->op = (int)(o - fam->ops);
	m->s = S_VALID;
	m->hdr_ok = true;
	m->framing_ok = true;
	m->processed = true;
	m->dump = false;
	nlh = put(m, NULL, NLMSG_HDRLEN);
	nlh->nlmsg_type = (uint16_t)fam_id[f];
	g = put(m, NULL, GENL_HDRLEN);
	g->cmd = o->cmd;
	g->version = 1;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strcmp(tok, "dump")) {
			m->dump = true;
			continue;
		}
		eq = strchr(tok, '=');
		if (!eq)
			return "an attribute is not NAME=VALUE";
		*eq = 0;
		a = attr_named(&fam->sets[o->set], tok);
		if (!a)
			return "no such attribute in the op's set";
		why = put_text_value(m, a, eq + 1);
		if (why)
			return why;
	}
	nlh = (struct nlmsghdr *)m->buf;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (m->dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_len = (uint32_t)m->len;
	return NULL;
}

/* Sends a parsed request; its errno (0: success), -1 if unanswered. */
static int script_send(struct sreq *r)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)r->m->buf;
	int e;

	nlh->nlmsg_seq = ++seq;
	if (send(sock, r->m->buf, r->m->len, 0) < 0)
		return errno;
	e = receive(r->m->fam, r->m->op, nlh->nlmsg_seq, 0);
	CNT(sh->total);
	if (verbose > 1)
		printf("# %s -> %s\n", r->text, e < 0 ? "no answer" : strerror(e));
	return e == ERR_NONE ? -1 : e;
}

/* Splits @part at ';' into parsed requests; how many, or -1 (reported). */
static int parse_list(char *part, struct sreq *r, int max, unsigned int line)
{
	char *save, *tok;
	const char *why;
	int n = 0;

	for (tok = strtok_r(part, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		if (!*tok || !strcmp(tok, ":"))
			continue;
		if (n == max) {
			printf("FAIL: script line %u: more than %d requests\n", line, max);
			return -1;
		}
		snprintf(r[n].text, sizeof(r[n].text), "%s", tok);
		for (size_t l = strlen(r[n].text); l && r[n].text[l - 1] == ' '; l--)
			r[n].text[l - 1] = 0;
		why = parse_request(&r[n]);
		if (why) {
			printf("FAIL: script line %u: '%s': %s\n", line, r[n].text, why);
			return -1;
		}
		n++;
	}
	return n;
}

static const char *err_text(int e)
{
	return e < 0 ? "no answer" : strerror(e);
}

static void script_undo(struct sreq *u, int nu)
{
	int i;

	for (i = 0; i < nu; i++)
		script_send(&u[i]);
}

/*
 * Did what the dumps show change since @before? A dump that differs and
 * also changes by itself (a live counter of an object the script made
 * after the dumps were first sampled) is not compared from then on.
 */
static bool script_changed(const struct snap *before, bool vol[NF_NR_FAMILIES][MAX_OPS])
{
	static struct snap after;
	int d;

	snapshot(&after, vol);
	while ((d = snap_diff(before, &after, vol, false)) >= 0) {
		const struct nf_family *f = &nf_families[d / MAX_OPS];

		if (!changes_by_itself(d / MAX_OPS, (unsigned int)(d % MAX_OPS), 1.0))
			return snap_diff(before, &after, vol, true) >= 0;
		vol[d / MAX_OPS][d % MAX_OPS] = true;
		printf("# %s %s: dump changes by itself, not compared\n", f->name,
		       f->ops[d % MAX_OPS].name);
	}
	return false;
}

/* One script line: how many runs had an injected failure, or -1. */
static int script_line(char *text, unsigned int line, int nth_fd,
		       bool vol[NF_NR_FAMILIES][MAX_OPS], struct sreq *r)
{
	static struct snap before;
	char *prep = text, *undo = strchr(text, '|'), *req;
	struct sreq *p = r, *u = r + SCRIPT_REQS, *q = r + 2 * SCRIPT_REQS;
	int np, nu, nq, i, e, left, runs = 0;
	unsigned int n;

	req = undo ? strchr(undo + 1, '|') : NULL;
	if (!req) {
		printf("FAIL: script line %u: not PREP | UNDO | REQUEST\n", line);
		return -1;
	}
	*undo++ = 0;
	*req++ = 0;
	np = parse_list(prep, p, SCRIPT_REQS, line);
	nu = parse_list(undo, u, SCRIPT_REQS, line);
	nq = parse_list(req, q, 1, line);
	if (np < 0 || nu < 0 || nq < 0)
		return -1;
	if (!nq) {
		printf("FAIL: script line %u: no request\n", line);
		return -1;
	}
	for (n = 1; n <= nth_max; n++) {
		for (i = 0; i < np; i++) {
			e = script_send(&p[i]);
			if (e) {
				printf("FAIL: '%s' (before run %u): %s; left by the run before?\n",
				       p[i].text, n, err_text(e));
				return -1;
			}
		}
		snapshot(&before, vol);
		nth_io(nth_fd, n);
		e = script_send(q);
		left = nth_io(nth_fd, ~0u);
		nth_io(nth_fd, 0);
		if (e < 0 || left < 0) {
			printf("FAIL: '%s' (run %u): %s\n", q->text, n,
			       e < 0 ? "no answer within 20 s" : "cannot read fail-nth");
			script_undo(u, nu);
			return -1;
		}
		if (left > 0 && e) {
			printf("FAIL: '%s' failed in run %u, with no failure injected: %s\n",
			       q->text, n, strerror(e));
			script_undo(u, nu);
			return -1;
		}
		if (!left) {
			runs++;
			CNT(sh->injected);
			if (e && script_changed(&before, vol)) {
				printf("FAIL: '%s' failed (%s, allocation %u failed) %s\n",
				       q->text, strerror(e), n, "and changed the dump above");
				script_undo(u, nu);
				return -1;
			}
		}
		script_undo(u, nu);
		if (check_splat())
			return -1;
		if (left)
			break;	/* fewer than n allocations: each one failed once */
	}
	printf("# script: %d runs with a failure%s: %s\n", runs,
	       runs == (int)nth_max ? " (capped: more sites on its path)" : "", q->text);
	return runs;
}

static int run_script(const char *path)
{
	static bool vol[NF_NR_FAMILIES][MAX_OPS];
	struct sreq r[3 * SCRIPT_REQS];
	int fd = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC), runs, total = 0, k;
	unsigned int line = 0;
	char text[1024];
	FILE *f = fopen(path, "re");

	if (!f || fd < 0) {
		perror(f ? "nlfuzz: /proc/self/fail-nth" : path);
		return -1;
	}
	for (k = 0; k < (int)ARRAY_SIZE(r); k++) {
		r[k].m = malloc(sizeof(struct msg));
		if (!r[k].m)
			return -1;
	}
	find_volatile(vol);
	while (fgets(text, sizeof(text), f) && !sh->failed) {
		line++;
		text[strcspn(text, "\n")] = 0;
		if (!text[strspn(text, " \t")] || text[strspn(text, " \t")] == '#')
			continue;
		runs = script_line(text, line, fd, vol, r);
		if (runs < 0) {
			sh->failed = sh->failed ? sh->failed : 1;
			break;
		}
		total += runs;
		CNT(sh->nth_ops);
	}
	printf("# script: %" PRIu64 " requests, %d runs with an injected failure\n",
	       sh->nth_ops, total);
	for (k = 0; k < (int)ARRAY_SIZE(r); k++)
		free(r[k].m);
	fclose(f);
	close(fd);
	return sh->failed ? -1 : 0;
}

static bool fail_nth_mode;

static int run_leg(enum leg leg, uint64_t seed, uint64_t count, double secs)
{
	static bool vol[NF_NR_FAMILIES][MAX_OPS];
	bool vol_seen[NF_NR_FAMILIES][MAX_OPS] = { { false } };
	struct snap before = { 0 }, after = { 0 };
	int d;
	uint64_t start = sh->total;
	int n = leg == LEG_ROOT && !fail_nth_mode ? jobs : 1, j, status, rc = 0;
	pid_t pids[MAX_JOBS];

	if (leg != LEG_ROOT) {
		if (leg == LEG_NOBODY)
			find_volatile(vol);
		snapshot(&before, vol);
	}
	printf("# leg %s: seed %" PRIu64 ", %s %" PRIu64 "%s\n", leg_name[leg], seed,
	       count ? "messages" : "seconds", count ? count : (uint64_t)secs, "");
	fflush(stdout);
	for (j = 0; j < n; j++) {
		pids[j] = fork();
		if (pids[j] < 0)
			return -1;
		if (!pids[j])
			break;
	}
	if (j < n) {
		worker = j;
		rng.s = seed + (uint64_t)j * 0x9e3779b97f4a7c15ULL;
		count /= (uint64_t)n;
		leg_unpriv = leg != LEG_ROOT;
		if (drop_to(leg)) {
			perror("nlfuzz: dropping privileges");
			_exit(1);
		}
		close(sock);
		sock = open_sock();
		if (sock < 0)
			_exit(1);
		if (fail_nth_mode)
			_exit(failnth_loop(count) ? 1 : 0);
		_exit(fuzz_loop(count, secs ? now() + secs : 0, false) ? 1 : 0);
	}
	for (j = 0; j < n; j++) {
		while (waitpid(pids[j], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status)) {
			char line[512] = "", why[64];

			fz_watch_check(line, sizeof(line));
			snprintf(why, sizeof(why), "FAIL: leg %s worker %d killed by signal %d",
				 leg_name[leg], j, WTERMSIG(status));
			worker = j;
			print_last(why, line);
			rc = -1;
		} else if (WEXITSTATUS(status)) {
			rc = -1;
		}
	}
	worker = 0;
	sh->leg_total[leg] = sh->total - start;
	if (rc || sh->failed)
		return -1;
	if (leg != LEG_ROOT) {
		snapshot(&after, vol);
		/*
		 * A live dump that looked still when find_volatile() sampled it
		 * (a fold decided later, a counter of background work) is
		 * discounted if it is seen changing by itself now; a change
		 * that stays put is the leg's doing.
		 */
		while ((d = snap_diff(&before, &after, vol_seen, false)) >= 0 &&
		       changes_by_itself(d / MAX_OPS, d % MAX_OPS, 3)) {
			const struct nf_family *fam = &nf_families[d / MAX_OPS];

			vol_seen[d / MAX_OPS][d % MAX_OPS] = true;
			printf("# %s %s: dump changes by itself (seen after the leg), %s\n",
			       fam->name, fam->ops[d % MAX_OPS].name, "not compared");
		}
		if (d >= 0) {
			printf("FAIL: leg %s changed what the dumps show (%zu -> %zu bytes)\n",
			       leg_name[leg], before.len, after.len);
			snap_diff(&before, &after, vol_seen, true);
			sh->failed = 1;
			return -1;
		}
		printf("ok: leg %s: every mutating request refused (%" PRIu64
		       " checked), dumps unchanged\n", leg_name[leg], sh->eperm_checked);
	}
	free(before.buf);
	free(after.buf);
	return 0;
}

static const char *errname(int e)
{
	if (!e)
		return "ok";
	if (e == ERR_NONE)
		return "no-answer";
	return strerrorname_np(e) ? strerrorname_np(e) : "?";
}

static void report(double secs)
{
	uint64_t by_err[NERR] = { 0 };
	int f, e;
	unsigned int o;

	printf("# %" PRIu64 " messages in %.1f s (%.0f/s), %" PRIu64 " dumps\n", sh->total, secs,
	       secs > 0 ? sh->total / secs : 0.0, sh->dumps);
	printf("# legs: root %" PRIu64 ", nobody %" PRIu64 ", userns-root %" PRIu64 "\n",
	       sh->leg_total[0], sh->leg_total[1], sh->leg_total[2]);
	printf("# per strategy:");
	for (e = 0; e < NR_STRATEGIES; e++)
		printf(" %s=%" PRIu64, strategy_name[e], sh->by_strategy[e]);
	printf("\n# per family/op (errno: count):\n");
	for (f = 0; f < NF_NR_FAMILIES; f++) {
		for (o = 0; o < MAX_OPS; o++) {
			bool spec = o < nf_families[f].n_ops;

			if (!sh->sent[f][o] || (!spec && o != MAX_OPS - 1))
				continue;
			printf("#   %s %-22s %9" PRIu64 ":", nf_families[f].name,
			       spec ? nf_families[f].ops[o].name : "<cmd not in spec>",
			       sh->sent[f][o]);
			for (e = 0; e < NERR; e++) {
				if (!sh->err[f][o][e])
					continue;
				by_err[e] += sh->err[f][o][e];
				printf(" %s=%" PRIu64, errname(e), sh->err[f][o][e]);
			}
			printf("\n");
		}
	}
	printf("# per errno:");
	for (e = 0; e < NERR; e++)
		if (by_err[e])
			printf(" %s=%" PRIu64, errname(e), by_err[e]);
	printf("\n");
}

static void add_fd(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "nlfuzz: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (nr_fds < (int)(ARRAY_SIZE(fds)))
		fds[nr_fds++] = fd;
}

/* --live FAMILY.ATTR (the family as named in its spec). */
static int add_live(const char *arg)
{
	const char *dot = strchr(arg, '.');
	int f;

	if (!dot || nr_live == (int)ARRAY_SIZE(live))
		return -1;
	for (f = 0; f < NF_NR_FAMILIES; f++) {
		if (strlen(nf_families[f].name) == (size_t)(dot - arg) &&
		    !strncmp(nf_families[f].name, arg, dot - arg)) {
			live[nr_live].fam = f;
			live[nr_live++].name = dot + 1;
			return 0;
		}
	}
	fprintf(stderr, "nlfuzz: --live %s: no such family in the specs\n", arg);
	return -1;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: %s [--seed N] [--count N | --duration SEC] [--as root,nobody,userns]\n"
		"              [--fd PATH]... [--jobs N] [--traffic [--spare PREFIX] [--spare-cpus LO-HI]]\n"
		"              [--value NAME=STRING]... [--cleanup] [--fail-nth]\n"
		"              [--script FILE [--live FAMILY.ATTR]... [--nth-max N]] [-v]\n",
		"nlfuzz");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "fd", required_argument, NULL, 'f' },
		{ "traffic", no_argument, NULL, 't' },
		{ "spare", required_argument, NULL, 'S' },
		{ "spare-cpus", required_argument, NULL, 'C' },
		{ "cleanup", no_argument, NULL, 'c' },
		{ "fail-nth", no_argument, NULL, 'F' },
		{ "script", required_argument, NULL, 'X' },
		{ "live", required_argument, NULL, 'L' },
		{ "nth-max", required_argument, NULL, 'M' },
		{ "value", required_argument, NULL, 'V' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = fz_seed_now(), count = 0;
	double secs = 0, t0;
	const char *as = "root,nobody,userns", *script = NULL;
	bool traffic = false, only_cleanup = false, legs[3];
	int c, rc = 0, i, nlegs = 0, done = 0;

	while ((c = getopt_long(argc, argv, "s:n:d:a:f:tS:C:cFX:L:M:j:vV:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			secs = strtod(optarg, NULL);
			break;
		case 'a':
			as = optarg;
			break;
		case 'f':
			add_fd(optarg);
			break;
		case 't':
			traffic = true;
			break;
		case 'S':
			spare = optarg;
			break;
		case 'C':
			if (sscanf(optarg, "%d-%d", &spare_cpu_lo, &spare_cpu_hi) != 2 ||
			    spare_cpu_lo < 0 || spare_cpu_hi < spare_cpu_lo)
				print_usage();
			break;
		case 'c':
			only_cleanup = true;
			break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > MAX_JOBS)
				print_usage();
			break;
		case 'X':
			script = optarg;
			break;
		case 'L':
			if (add_live(optarg))
				print_usage();
			break;
		case 'M':
			nth_max = (unsigned int)strtoul(optarg, NULL, 0);
			if (!nth_max)
				print_usage();
			break;
		case 'F':
			fail_nth_mode = true;
			as = "root";
			break;
		case 'v':
			verbose++;
			break;
		case 'V': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || nr_seeds == (int)ARRAY_SIZE(seeds))
				print_usage();
			*eq = 0;
			seeds[nr_seeds].name = optarg;
			seeds[nr_seeds++].val = eq + 1;
			break;
		}
		default:
			print_usage();
		}
	}
	if (optind != argc || (!count && !secs && !only_cleanup && !script) ||
	    ((spare || spare_cpu_lo >= 0) && !traffic))
		print_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	nr_cpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sock = open_sock();
	if (sh == MAP_FAILED || sock < 0) {
		perror("nlfuzz");
		return 1;
	}
	if (only_cleanup) {
		resolve_all(false);
		return cleanup() ? 1 : 0;
	}
	if (traffic) {
		/* Load for the unload test: valid requests and dumps, errors expected. */
		struct sigaction sa = { .sa_handler = on_term };

		sigaction(SIGTERM, &sa, NULL);
		rng.s = seed;
		fuzz_loop(count, secs ? now() + secs : 0, true);
		printf("# traffic: %" PRIu64 " messages\n", sh->total);
		return 0;
	}
	/* A few fds of our own for the "*-fd" attributes, beside the given ones. */
	add_fd("/dev/null");
	fds[nr_fds++] = sock;
	printf("# nlfuzz seed %" PRIu64 " (reproduce with --seed %" PRIu64 ")\n", seed, seed);
	if (!resolve_all(true)) {
		printf("# no family of the table is present\n");
		return 1;
	}
	fz_watch_open();
	if (!getuid())
		fz_catch_begin();
	if (script) {
		rc = run_script(script);
		if (!rc && check_splat())
			rc = 1;
		fz_catch_end();
		printf("# nlfuzz --script: %s, %" PRIu64 " messages\n", rc ? "FAILED" : "clean",
		       sh->total);
		return rc ? 1 : 0;
	}
	remember_objects();
	legs[0] = !!strstr(as, "root");
	legs[1] = !!strstr(as, "nobody");
	legs[2] = !!strstr(as, "userns");
	for (i = 0; i < 3; i++)
		nlegs += legs[i];
	t0 = now();
	/* Root gets half of the budget, the unprivileged legs share the rest. */
	for (i = 0; i < 3 && !rc; i++) {
		uint64_t n = count;
		double d = secs;

		if (!legs[i])
			continue;
		if (nlegs > 1) {
			n = i == LEG_ROOT ? count / 2 : count / (2 * (uint64_t)(nlegs - legs[0]));
			d = i == LEG_ROOT ? secs / 2 : secs / (2 * (nlegs - legs[0]));
			if (!legs[0]) {
				n = count / nlegs;
				d = secs / nlegs;
			}
		}
		rc = run_leg((enum leg)i, seed + (uint64_t)i * 0x1000193ULL, n, d);
		done++;
	}
	report(now() - t0);
	if (cleanup())
		rc = 1;
	if (!rc && check_splat())
		rc = 1;
	fz_catch_end();
	if (fail_nth_mode)
		printf("# fail-nth: %" PRIu64 " requests, %" PRIu64
		       " runs with an injected failure\n", sh->nth_ops, sh->injected);
	printf("# nlfuzz: %s, seed %" PRIu64 ", %" PRIu64 " messages, %" PRIu64
	       " unprivileged mutating requests refused\n", rc ? "FAILED" : "clean", seed,
	       sh->total, sh->eperm_checked);
	return rc ? 1 : 0;
}
