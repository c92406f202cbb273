// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-log side of the fuzzers: splat detection on /dev/kmsg with
 * the patterns of tools/vm/splat.sh, the taint mask, and the panic_on_warn
 * switch that lets a fuzzer report its culprit instead of dying with the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "lib/compiler.h"

static int kmsg_fd = -1;
static unsigned long taint0;
static char saved_pow[16], saved_poo[16];

static const char * const splat_pat[] = {
	"WARNING:", "BUG:", "Oops", "general protection fault", "Kernel panic",
	"UBSAN:", "KASAN:", "new suspected memory leaks", "possible circular locking",
	"possible recursive locking", "inconsistent lock state", "suspicious RCU usage",
	"sleeping function called from invalid context", "blocked for more than",
	"unreferenced object 0x",
};

uint64_t fz_seed_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : 0;
}

static unsigned long taint_now(void)
{
	char buf[32];

	if (read_file("/proc/sys/kernel/tainted", buf, sizeof(buf)))
		return 0;
	return strtoul(buf, NULL, 10);
}

int fz_watch_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	taint0 = taint_now();
	return kmsg_fd < 0 ? -errno : 0;
}

int fz_watch_check(char *line, size_t len)
{
	char rec[8192];
	unsigned long t;
	size_t i;

	while (kmsg_fd >= 0) {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec) - 1);
		char *msg;

		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: read on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < ARRAY_SIZE(splat_pat); i++) {
			if (strstr(msg, splat_pat[i])) {
				snprintf(line, len, "%s", msg);
				line[strcspn(line, "\n")] = 0;
				return 1;
			}
		}
	}
	/* TAINT_WARN and friends, in case the log line was missed. */
	t = taint_now();
	if ((t & ~taint0) & ((1UL << 9) | (1UL << 7) | (1UL << 5) | (1UL << 14))) {
		snprintf(line, len, "kernel taint changed from %lu to %lu", taint0, t);
		return 1;
	}
	return 0;
}

void fz_catch_begin(void)
{
	if (read_file("/proc/sys/kernel/panic_on_warn", saved_pow, sizeof(saved_pow)) ||
	    read_file("/proc/sys/kernel/panic_on_oops", saved_poo, sizeof(saved_poo)))
		return;
	if (write_file("/proc/sys/kernel/panic_on_warn", "0") ||
	    write_file("/proc/sys/kernel/panic_on_oops", "0"))
		saved_pow[0] = 0;
}

void fz_catch_end(void)
{
	if (saved_pow[0])
		write_file("/proc/sys/kernel/panic_on_warn", saved_pow);
	if (saved_pow[0] && saved_poo[0])
		write_file("/proc/sys/kernel/panic_on_oops", saved_poo);
}

void fz_hexdump(FILE *f, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		fprintf(f, "  %04zx:", i);
		for (j = i; j < i + 16 && j < len; j++)
			fprintf(f, " %02x", p[j]);
		fprintf(f, "\n");
	}
}
