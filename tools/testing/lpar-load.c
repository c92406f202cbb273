// SPDX-License-Identifier: GPL-2.0
/*
 * lpar-load: drives the lpar family straight through libnl (tools/lib/nl),
 * without a process per request, for the stress selftest and the benchmark.
 *
 *   lpar-load stress WRITERS OPS    WRITERS processes create, change and
 *                                   delete their own partitions, OPS
 *                                   requests in all, while two readers dump;
 *                                   prints counts, exits 1 on any failure
 *   lpar-load churn N               N create+delete pairs; prints ops/s
 *   lpar-load fill N                creates N partitions named fN
 *   lpar-load dump REPEAT           dumps REPEAT times; prints entries and
 *                                   milliseconds per dump
 *   lpar-load drain                 deletes every partition
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/lpar.h>

#include "lib/nl.h"

static struct lnl_sock nl;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void open_family(void)
{
	int err = lnl_open(&nl, LPAR_FAMILY_NAME, LPAR_FAMILY_VERSION, "lpar.ko");

	if (err) {
		lnl_perror(&nl, err);
		exit(1);
	}
}

/* One request on a named partition; @cpus and @budget only when set. */
static int op(uint8_t cmd, const char *name, const char *cpus, uint64_t budget)
{
	struct nl_msg *msg = lnl_msg_new(&nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	nla_put_string(msg, LPAR_A_PART_NAME, name);
	if (cpus)
		nla_put_string(msg, LPAR_A_PART_CPUS, cpus);
	if (budget)
		nla_put_u64(msg, LPAR_A_PART_BUDGET, budget);
	return lnl_request(&nl, msg, NULL, NULL);
}

struct names {
	int n;
	char name[4096][LPAR_NAME_MAX_LEN + 1];
};

static int count_one(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_A_PART_MAX + 1];
	struct names *names = arg;

	if (lnl_parse(msg, tb, LPAR_A_PART_MAX, NULL) || !tb[LPAR_A_PART_NAME])
		return -EPROTO;
	if (names->n < 4096)
		snprintf(names->name[names->n], sizeof(names->name[0]), "%s",
			 nla_get_string(tb[LPAR_A_PART_NAME]));
	names->n++;
	return 0;
}

/* A full dump; retried while concurrent changes interrupt it. */
static int dump(struct names *names)
{
	int err;

	do {
		names->n = 0;
		err = lnl_dump(&nl, LPAR_CMD_PART_GET, count_one, names);
	} while (err == -EAGAIN);
	return err;
}

static int writer(int w, int rounds)
{
	char name[32], cpus[16];
	int i, fails = 0;

	snprintf(cpus, sizeof(cpus), "%d", w);
	for (i = 0; i < rounds; i++) {
		snprintf(name, sizeof(name), "s%d-%d", w, i % 3);
		fails += !!op(LPAR_CMD_PART_CREATE, name, NULL, 1 << 20);
		fails += !!op(LPAR_CMD_PART_SET, name, cpus, 0);
		fails += !!op(LPAR_CMD_PART_SET, name, NULL, 2 << 20);
		fails += !!op(LPAR_CMD_PART_DELETE, name, NULL, 0);
	}
	return fails;
}

static int stress(int writers, int ops)
{
	static struct names names;
	pid_t readers[2], pid;
	int w, status, fails = 0, dumps = 0;
	double t0 = now();

	for (w = 0; w < 2; w++) {
		readers[w] = fork();
		if (!readers[w]) {
			open_family();
			for (;;) {
				if (dump(&names)) {
					lnl_perror(&nl, -EIO);
					_exit(1);
				}
				dumps++;
			}
		}
	}
	for (w = 0; w < writers; w++) {
		if (!fork()) {
			open_family();
			_exit(writer(w, ops / writers / 4) ? 1 : 0);
		}
	}
	for (w = 0; w < writers; w++) {
		pid = wait(&status);
		fails += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	for (w = 0; w < 2; w++) {
		kill(readers[w], SIGTERM);
		waitpid(readers[w], &status, 0);
		fails += !(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	}
	(void)pid;
	printf("%s: %d writers, %d requests, %.1f s, %d failed processes\n",
	       __func__, writers, ops / writers / 4 * 4 * writers, now() - t0, fails);
	return fails ? 1 : 0;
}

static int churn(int n)
{
	double t0 = now(), dt;
	int i, err;

	for (i = 0; i < n; i++) {
		err = op(LPAR_CMD_PART_CREATE, "churn", NULL, 0);
		if (!err)
			err = op(LPAR_CMD_PART_DELETE, "churn", NULL, 0);
		if (err) {
			lnl_perror(&nl, err);
			return 1;
		}
	}
	dt = now() - t0;
	printf("%s: %d create+delete pairs in %.3f s: %.0f pairs/s\n", __func__, n, dt, n / dt);
	return 0;
}

static int fill(int n)
{
	char name[32];
	int i, err;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		err = op(LPAR_CMD_PART_CREATE, name, NULL, 0);
		if (err) {
			lnl_perror(&nl, err);
			return 1;
		}
	}
	return 0;
}

static int dump_timed(int repeat)
{
	static struct names names;
	double t0 = now();
	int i, err;

	for (i = 0; i < repeat; i++) {
		err = dump(&names);
		if (err) {
			lnl_perror(&nl, err);
			return 1;
		}
	}
	printf("dump: %d entries, %.3f ms per dump\n", names.n, (now() - t0) * 1e3 / repeat);
	return 0;
}

static int drain(void)
{
	static struct names names;
	int i, err;

	err = dump(&names);
	for (i = 0; !err && i < names.n && i < 4096; i++)
		err = op(LPAR_CMD_PART_DELETE, names.name[i], NULL, 0);
	if (err)
		lnl_perror(&nl, err);
	return !!err;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	open_family();
	if (!strcmp(argv[1], "stress") && argc == 4)
		return stress(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(argv[1], "churn") && argc == 3)
		return churn(atoi(argv[2]));
	if (!strcmp(argv[1], "fill") && argc == 3)
		return fill(atoi(argv[2]));
	if (!strcmp(argv[1], "dump") && argc == 3)
		return dump_timed(atoi(argv[2]));
	if (!strcmp(argv[1], "drain") && argc == 2)
		return drain();
usage:
	fprintf(stderr, "usage: lpar-load {stress WRITERS OPS | churn N | fill N |\n"
		"                  dump REPEAT | drain}\n");
	return 2;
}
