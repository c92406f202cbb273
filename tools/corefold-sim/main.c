// SPDX-License-Identifier: GPL-2.0
/*
 * corefold-sim: replays a utilization trace through the corefold policy
 * and power model (the very corefold/policy.c and power.c the module
 * builds) and reports energy, per-socket deep-idle residency, throughput
 * lost and decision counts for corefold against two baselines run on the
 * same trace: no folding with the demand spread over every CPU, and
 * folding without consolidation. Text or JSON (-j); --plot draws the run
 * with gnuplot when it is installed; --check turns the report into a test.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/json.h"
#include "sim.h"

struct opts {
	const char *trace;
	const char *plot;
	const char *series;
	bool json;
	bool pretty;
	bool check;
	double max_lost;	/* percent, < 0: not checked */
	double max_ratio;	/* < 0: not checked */
	double band;		/* percent, < 0: not checked */
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: corefold-sim [OPTIONS] TRACE\n"
		"  -j, --json             JSON output\n"
		"  -p, --pretty           indent JSON\n"
		"      --topo SxCxT       sockets x cores x threads (default 2x20x2)\n"
		"      --interval MS      length of one trace row (default 1000)\n"
		"      --low N --high N --burst N   watermarks, per mille\n"
		"      --dwell N          intervals (default 5)\n"
		"      --hold-max N       oscillation hold-off cap, intervals (default 1800, 0 off)\n"
		"      --floor N          unfolded cores per partition (default 1)\n"
		"      --power K=MW,...   uncore, deep, active, idle, folded (milliwatts)\n"
		"      --series FILE      per-interval CSV\n"
		"      --plot FILE        PNG or SVG plot, needs gnuplot\n"
		"      --check            exit 1 unless the run is sane\n"
		"      --max-lost PCT     with --check: corefold loses at most PCT %% of demand\n"
		"      --max-ratio R      with --check: corefold energy <= R x spread\n"
		"      --ratio-band PCT   with --check: corefold energy within PCT %% of spread\n");
}

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > 0xffffffffUL || *s == '-')
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || *end || end == s || *out < 0 ? -EINVAL : 0;
}

static int parse_power(char *s, struct fold_power_params *pp)
{
	static const char * const keys[] = { "uncore", "deep", "active", "idle", "folded" };
	u32 *vals[] = { &pp->uncore_mw, &pp->deep_mw, &pp->core_active_mw,
			&pp->core_idle_mw, &pp->core_folded_mw };
	char *tok, *save = NULL;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		unsigned int i;

		if (!eq)
			return -EINVAL;
		*eq = 0;
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(tok, keys[i]))
				break;
		if (i == ARRAY_SIZE(keys) || parse_uint(eq + 1, vals[i]))
			return -EINVAL;
	}
	return fold_power_check(pp);
}

enum {
	OPT_TOPO = 256, OPT_INTERVAL, OPT_LOW, OPT_HIGH, OPT_BURST, OPT_DWELL, OPT_HOLD_MAX,
	OPT_FLOOR, OPT_POWER, OPT_SERIES, OPT_PLOT, OPT_CHECK, OPT_MAX_LOST, OPT_MAX_RATIO,
	OPT_BAND,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "topo", required_argument, NULL, OPT_TOPO },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "low", required_argument, NULL, OPT_LOW },
	{ "high", required_argument, NULL, OPT_HIGH },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "dwell", required_argument, NULL, OPT_DWELL },
	{ "hold-max", required_argument, NULL, OPT_HOLD_MAX },
	{ "floor", required_argument, NULL, OPT_FLOOR },
	{ "power", required_argument, NULL, OPT_POWER },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "max-lost", required_argument, NULL, OPT_MAX_LOST },
	{ "max-ratio", required_argument, NULL, OPT_MAX_RATIO },
	{ "ratio-band", required_argument, NULL, OPT_BAND },
	{}
};

static int parse_args(int argc, char **argv, struct opts *o, struct sim_config *cfg)
{
	int c;

	while ((c = getopt_long(argc, argv, "jph", long_opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->pretty = true;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		case OPT_TOPO:
			bad = sscanf(optarg, "%ux%ux%u", &cfg->sockets, &cfg->cores,
				     &cfg->threads) != 3;
			break;
		case OPT_INTERVAL:
			bad = parse_uint(optarg, &cfg->interval_ms) || !cfg->interval_ms ||
			      cfg->interval_ms > 3600000;
			break;
		case OPT_LOW:
			bad = parse_uint(optarg, &cfg->tun.low);
			break;
		case OPT_HIGH:
			bad = parse_uint(optarg, &cfg->tun.high);
			break;
		case OPT_BURST:
			bad = parse_uint(optarg, &cfg->tun.burst);
			break;
		case OPT_DWELL:
			bad = parse_uint(optarg, &cfg->tun.dwell);
			break;
		case OPT_HOLD_MAX:
			bad = parse_uint(optarg, &cfg->tun.hold_max);
			break;
		case OPT_FLOOR:
			bad = parse_uint(optarg, &cfg->tun.floor);
			break;
		case OPT_POWER:
			bad = parse_power(optarg, &cfg->power);
			break;
		case OPT_SERIES:
			o->series = optarg;
			break;
		case OPT_PLOT:
			o->plot = optarg;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_MAX_LOST:
			bad = parse_double(optarg, &o->max_lost);
			break;
		case OPT_MAX_RATIO:
			bad = parse_double(optarg, &o->max_ratio);
			break;
		case OPT_BAND:
			bad = parse_double(optarg, &o->band);
			break;
		default:
			print_usage(stderr);
			return -EINVAL;
		}
		if (bad) {
			const struct option *lo = long_opts;

			while (lo->val != c)
				lo++;
			fprintf(stderr, "corefold-sim: bad value for --%s: %s\n", lo->name, optarg);
			return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		print_usage(stderr);
		return -EINVAL;
	}
	o->trace = argv[optind];
	if (fold_tunables_check(&cfg->tun)) {
		fprintf(stderr, "corefold-sim: need low < high <= burst <= 1000\n");
		return -EINVAL;
	}
	if (!cfg->sockets || cfg->sockets > FOLD_MAX_SOCKETS || !cfg->cores ||
	    !cfg->threads || cfg->threads > FOLD_MAX_THREADS ||
	    sim_nr_cpus(cfg) > FOLD_MAX_CPUS) {
		fprintf(stderr, "corefold-sim: bad topology\n");
		return -EINVAL;
	}
	return 0;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static double pct(uint64_t a, uint64_t b)
{
	return 100 * ratio(a, b);
}

static uint64_t mean_demand_ppm(const struct sim_config *cfg, const struct trace *t)
{
	uint64_t sum = 0;
	unsigned int r;

	for (r = 0; r < t->nr_rows; r++)
		sum += sim_row_demand(cfg, t, r);
	return sum * 1000 / t->nr_rows;
}

static void print_text(const struct opts *o, const struct sim_config *cfg,
		       const struct trace *t, const struct sim_result *r)
{
	const struct fold_power_params *pp = &cfg->power;
	unsigned int m, s, i;

	printf("trace      %s: %s, %u intervals, partitions", o->trace, t->format, t->nr_rows);
	for (i = 0; i < t->nr_parts; i++)
		printf(" %s", t->names[i]);
	printf("\nmachine    %u sockets x %u cores x %u threads (%u CPUs), interval %u ms\n",
	       cfg->sockets, cfg->cores, cfg->threads, sim_nr_cpus(cfg), cfg->interval_ms);
	printf("power      uncore %u, deep %u, core active %u / idle %u / folded %u mW\n",
	       pp->uncore_mw, pp->deep_mw, pp->core_active_mw, pp->core_idle_mw,
	       pp->core_folded_mw);
	printf("tunables   low %u, high %u, burst %u per mille, dwell %u, hold-max %u, floor %u\n",
	       cfg->tun.low, cfg->tun.high, cfg->tun.burst, cfg->tun.dwell, cfg->tun.hold_max,
	       cfg->tun.floor);
	printf("demand     mean %.1f %% of all CPUs\n\n",
	       mean_demand_ppm(cfg, t) / 10000.0);
	printf("%-12s %10s %8s %9s %7s %8s %7s  %-14s %5s %6s %8s %7s %7s %6s\n", "policy",
	       "energy_kJ", "mean_W", "vs_spread", "lost_%", "lost_run", "sockets",
	       "deep_%/socket", "fold", "unfold", "exchange", "migrate", "changes", "cycles");
	for (m = 0; m < SIM_NR_MODES; m++) {
		const struct sim_result *x = &r[m];
		char deep[128];
		int n = 0;

		for (s = 0; s < cfg->sockets && n < (int)sizeof(deep) - 8; s++)
			n += snprintf(deep + n, sizeof(deep) - n, "%s%.1f", s ? " " : "",
				      pct(x->deep_us[s], x->time_us));
		printf("%-12s %10.3f %8.2f %9.3f %7.3f %8u %7.2f  %-14s %5" PRIu64 " %6" PRIu64
		       " %8" PRIu64 " %7" PRIu64 " %7u %6u\n",
		       x->name, x->energy_uj / 1e9, ratio(x->energy_uj, x->time_us),
		       ratio(x->energy_uj, r[SIM_SPREAD].energy_uj), pct(x->lost, x->demand),
		       x->max_lost_run, ratio(x->active_sum, t->nr_rows), deep,
		       x->decisions[FOLD_ACT_FOLD], x->decisions[FOLD_ACT_UNFOLD],
		       x->decisions[FOLD_ACT_EXCHANGE], x->decisions[FOLD_ACT_MIGRATE],
		       x->changes, x->cycles);
	}
	printf("\ncorefold vs fold-nopack energy %.3f\n",
	       ratio(r[SIM_COREFOLD].energy_uj, r[SIM_NOPACK].energy_uj));
}

static uint64_t per(uint64_t a, uint64_t b, uint64_t unit)
{
	return b ? (a * unit + b / 2) / b : 0;
}

static void print_json(const struct opts *o, const struct sim_config *cfg,
		       const struct trace *t, const struct sim_result *r)
{
	const struct fold_power_params *pp = &cfg->power;
	unsigned int m, s, a;

	jp_setup(true, o->pretty);
	jp_open_object(NULL);
	jp_string("trace", NULL, o->trace);
	jp_string("format", NULL, t->format);
	jp_u32("intervals", NULL, t->nr_rows);
	jp_u32("interval_ms", NULL, cfg->interval_ms);
	jp_u64("mean_demand_ppm", NULL, mean_demand_ppm(cfg, t));
	jp_open_array("partitions");
	for (m = 0; m < t->nr_parts; m++)
		jp_string(NULL, NULL, t->names[m]);
	jp_close_array();
	jp_open_object("topology");
	jp_u32("sockets", NULL, cfg->sockets);
	jp_u32("cores", NULL, cfg->cores);
	jp_u32("threads", NULL, cfg->threads);
	jp_close_object();
	jp_open_object("power_mw");
	jp_u32("uncore", NULL, pp->uncore_mw);
	jp_u32("deep", NULL, pp->deep_mw);
	jp_u32("core_active", NULL, pp->core_active_mw);
	jp_u32("core_idle", NULL, pp->core_idle_mw);
	jp_u32("core_folded", NULL, pp->core_folded_mw);
	jp_close_object();
	jp_open_object("tunables");
	jp_u32("low", NULL, cfg->tun.low);
	jp_u32("high", NULL, cfg->tun.high);
	jp_u32("burst", NULL, cfg->tun.burst);
	jp_u32("dwell", NULL, cfg->tun.dwell);
	jp_u32("hold_max", NULL, cfg->tun.hold_max);
	jp_u32("floor", NULL, cfg->tun.floor);
	jp_close_object();
	jp_open_array("policies");
	for (m = 0; m < SIM_NR_MODES; m++) {
		const struct sim_result *x = &r[m];

		jp_open_object(NULL);
		jp_string("name", NULL, x->name);
		jp_u64("energy_uj", NULL, x->energy_uj);
		jp_u64("mean_power_mw", NULL, per(x->energy_uj, x->time_us, 1000));
		jp_u64("energy_vs_spread_ppm", NULL,
		       per(x->energy_uj, r[SIM_SPREAD].energy_uj, 1000000));
		jp_u64("energy_vs_nopack_ppm", NULL,
		       per(x->energy_uj, r[SIM_NOPACK].energy_uj, 1000000));
		jp_u64("demand_permille_intervals", NULL, x->demand);
		jp_u64("lost_ppm", NULL, per(x->lost, x->demand, 1000000));
		jp_u32("max_lost_run", NULL, x->max_lost_run);
		jp_u64("mean_active_sockets_milli", NULL, per(x->active_sum, t->nr_rows, 1000));
		jp_open_array("deep_residency_ppm");
		for (s = 0; s < cfg->sockets; s++)
			jp_u64(NULL, NULL, per(x->deep_us[s], x->time_us, 1000000));
		jp_close_array();
		jp_open_object("decisions");
		for (a = 0; a < FOLD_NR_ACTS; a++)
			jp_u64(fold_action_name(a), NULL, x->decisions[a]);
		jp_close_object();
		jp_u32("count_changes", NULL, x->changes);
		jp_u32("count_cycles", NULL, x->cycles);
		jp_u32("violations", NULL, x->violations);
		jp_close_object();
	}
	jp_close_array();
	jp_close_object();
}

static int write_series(const char *path, const struct sim_config *cfg,
			const struct trace *t, const struct sim_result *r)
{
	unsigned int ncpu = sim_nr_cpus(cfg), row, m;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "time_s,demand_pct");
	for (m = 0; m < SIM_NR_MODES; m++)
		fprintf(f, ",%s_unfolded_pct,%s_w,%s_sockets,%s_lost_pct", r[m].name, r[m].name,
			r[m].name, r[m].name);
	fputc('\n', f);
	for (row = 0; row < t->nr_rows; row++) {
		fprintf(f, "%.3f,%.1f", row * cfg->interval_ms / 1000.0,
			sim_row_demand(cfg, t, row) / 10.0);
		for (m = 0; m < SIM_NR_MODES; m++) {
			const struct sim_point *p = &r[m].series[row];

			fprintf(f, ",%.1f,%.3f,%u,%.2f", 100.0 * p->unfolded / ncpu,
				p->power_mw / 1000.0, p->active, p->lost / (10.0 * ncpu));
		}
		fputc('\n', f);
	}
	if (fclose(f))
		return -errno;
	return 0;
}

static bool have_program(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name);
		if (n && !access(buf, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Demand and unfolded capacity above, power below, every mode in each. */
static int draw_plot(const struct opts *o, const struct sim_config *cfg,
		     const struct trace *t, const struct sim_result *r)
{
	char data[] = "/tmp/corefold-sim.XXXXXX";
	const char *ext = strrchr(o->plot, '.');
	int fd, ret, col;
	FILE *g;

	if (!have_program("gnuplot")) {
		fprintf(stderr,
			"corefold-sim: gnuplot not found (Debian package gnuplot-nox); no plot\n");
		return 0;
	}
	fd = mkstemp(data);
	if (fd < 0)
		return -errno;
	close(fd);
	ret = write_series(data, cfg, t, r);
	if (ret)
		goto out;
	g = popen("gnuplot", "w");
	if (!g) {
		ret = -errno;
		goto out;
	}
	fprintf(g, "set terminal %s noenhanced size 1100,800\n",
		ext && !strcmp(ext, ".svg") ? "svg" : "png");
	fprintf(g, "set output '%s'\n", o->plot);
	fprintf(g, "set datafile separator ','\nset key autotitle columnhead\n");
	fprintf(g, "set multiplot layout 2,1 title 'corefold-sim: %s'\n", o->trace);
	fprintf(g, "set xlabel 'time (s)'\nset ylabel '%% of CPUs'\nset yrange [0:105]\n");
	fprintf(g, "plot '%s' using 1:2 with lines lw 2 title 'demand'", data);
	for (col = 3; col < 3 + 4 * SIM_NR_MODES; col += 4)
		fprintf(g, ", '' using 1:%d with lines title '%s unfolded'", col,
			r[(col - 3) / 4].name);
	fprintf(g, "\nset ylabel 'W'\nset yrange [0:*]\nplot ");
	for (col = 4; col < 4 + 4 * SIM_NR_MODES; col += 4)
		fprintf(g, "%s'%s' using 1:%d with lines title '%s'", col > 4 ? ", " : "",
			data, col, r[(col - 4) / 4].name);
	fprintf(g, "\nunset multiplot\n");
	ret = pclose(g) ? -EIO : 0;
out:
	unlink(data);
	return ret;
}

static __printf(2, 3) void fail(int *failed, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "corefold-sim: check failed: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	*failed = 1;
}

/* Sanity of every run, then the targets asked for on the command line. */
static int run_checks(const struct opts *o, const struct sim_config *cfg,
		      const struct sim_result *r)
{
	const struct sim_result *cf = &r[SIM_COREFOLD];
	double vs_spread = ratio(cf->energy_uj, r[SIM_SPREAD].energy_uj);
	unsigned int m, s;
	int failed = 0;

	for (m = 0; m < SIM_NR_MODES; m++) {
		const struct sim_result *x = &r[m];

		if (x->violations)
			fail(&failed, "%s: %u violations, first: %s", x->name, x->violations,
			     x->violation);
		if (!x->energy_uj || !x->time_us)
			fail(&failed, "%s: no energy accounted", x->name);
		if (x->lost > x->demand)
			fail(&failed, "%s: lost more than the demand", x->name);
		for (s = 0; s < cfg->sockets; s++)
			if (x->deep_us[s] > x->time_us)
				fail(&failed, "%s: socket %u deep longer than the run", x->name, s);
	}
	if (r[SIM_SPREAD].lost)
		fail(&failed, "spread lost demand; no trace asks for more than 100 %%");
	if (r[SIM_NOPACK].energy_uj > r[SIM_SPREAD].energy_uj * 1.02)
		fail(&failed, "fold-nopack used %.3f x the energy of spread",
		     ratio(r[SIM_NOPACK].energy_uj, r[SIM_SPREAD].energy_uj));
	if (cf->energy_uj > r[SIM_SPREAD].energy_uj * 1.02)
		fail(&failed, "corefold used %.3f x the energy of spread", vs_spread);
	if (cf->energy_uj > r[SIM_NOPACK].energy_uj * 1.01)
		fail(&failed, "corefold used %.3f x the energy of fold-nopack",
		     ratio(cf->energy_uj, r[SIM_NOPACK].energy_uj));
	if (o->max_lost >= 0 && pct(cf->lost, cf->demand) > o->max_lost)
		fail(&failed, "corefold lost %.3f %% of demand, more than %.3f %%",
		     pct(cf->lost, cf->demand), o->max_lost);
	if (o->max_ratio >= 0 && vs_spread > o->max_ratio)
		fail(&failed, "corefold used %.3f x the energy of spread, more than %.3f",
		     vs_spread, o->max_ratio);
	if (o->band >= 0 && fabs(vs_spread - 1) * 100 > o->band)
		fail(&failed, "corefold used %.3f x the energy of spread, outside +-%.1f %%",
		     vs_spread, o->band);
	if (!failed)
		fprintf(stderr, "corefold-sim: check passed: %s (%.3f x spread, %.3f %% lost)\n",
			o->trace, vs_spread, pct(cf->lost, cf->demand));
	return failed;
}

int main(int argc, char **argv)
{
	struct sim_config cfg = {
		.sockets = 2, .cores = 20, .threads = 2, .interval_ms = 1000,
		.tun = fold_tunables_default, .power = fold_power_xeon_gold_6148,
	};
	struct opts o = { .max_lost = -1, .max_ratio = -1, .band = -1 };
	struct sim_result r[SIM_NR_MODES] = {};
	struct trace t = {};
	unsigned int m;
	char err[512];
	int ret;

	if (parse_args(argc, argv, &o, &cfg))
		return 2;
	ret = trace_load(o.trace, &t, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "corefold-sim: %s\n", err);
		goto out;
	}
	if (t.nr_parts > cfg.cores) {
		fprintf(stderr, "corefold-sim: %u partitions need at least %u cores per socket\n",
			t.nr_parts, t.nr_parts);
		ret = -EINVAL;
		goto out;
	}
	for (m = 0; m < SIM_NR_MODES && !ret; m++)
		ret = sim_run(&cfg, &t, m, &r[m]);
	if (ret) {
		fprintf(stderr, "corefold-sim: simulation failed: %s\n", strerror(-ret));
		goto out;
	}
	if (o.json)
		print_json(&o, &cfg, &t, r);
	else
		print_text(&o, &cfg, &t, r);
	if (o.series) {
		ret = write_series(o.series, &cfg, &t, r);
		if (ret)
			fprintf(stderr, "corefold-sim: %s: %s\n", o.series, strerror(-ret));
	}
	if (!ret && o.plot) {
		ret = draw_plot(&o, &cfg, &t, r);
		if (ret)
			fprintf(stderr, "corefold-sim: plot %s: %s\n", o.plot, strerror(-ret));
	}
	if (!ret && o.check && run_checks(&o, &cfg, r))
		ret = -EINVAL;
out:
	for (m = 0; m < SIM_NR_MODES; m++)
		sim_result_free(&r[m]);
	trace_free(&t);
	return ret ? 1 : 0;
}
