// SPDX-License-Identifier: GPL-2.0
/*
 * fz-unload: removes a module that is in use on and off, for the
 * unload-under-load test (loadunload.sh).
 *
 * delete_module() never waits: while anyone holds a reference (an open
 * node, a netlink dump in progress, a mount) it fails with EWOULDBLOCK,
 * and succeeds only at an instant when the count is zero. Under a steady
 * stream of readers those instants are short; rmmod retried from a shell
 * (two forks and a sleep a try, half a second each in the debug flavour
 * under TCG) meets one only by luck. This loop tries again at once, so a
 * gap of a few microseconds between one reader's close and the next
 * one's open is enough.
 *
 *   fz-unload [--timeout SEC] MODULE
 *
 * Prints "TRIES MS" (attempts, milliseconds) when the module is gone
 * (also when it was not loaded: "0 0"); exits 1 with the error on any
 * failure other than EWOULDBLOCK, or when SEC (default 30) pass first.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double timeout_ms = 30e3, t0 = now_ms();
	unsigned long tries = 0;
	const char *name;

	if (argc == 4 && !strcmp(argv[1], "--timeout")) {
		timeout_ms = atof(argv[2]) * 1e3;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || timeout_ms <= 0) {
		fprintf(stderr, "usage: fz-unload [--timeout SEC] MODULE\n");
		return 2;
	}
	name = argv[1];
	for (;;) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			break;
		if (errno == ENOENT && !tries)
			break;
		tries++;
		if (errno != EWOULDBLOCK) {
			fprintf(stderr, "fz-unload: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (now_ms() - t0 > timeout_ms) {
			fprintf(stderr, "fz-unload: %s: still in use after %lu tries, %.0f ms\n",
				name, tries, now_ms() - t0);
			return 1;
		}
		sched_yield();
	}
	printf("%lu %.0f\n", tries, now_ms() - t0);
	return 0;
}
