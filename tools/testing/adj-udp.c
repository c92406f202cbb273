// SPDX-License-Identifier: GPL-2.0
/*
 * UDP probes for the adjunct selftests and benchmark (the test VM has no
 * ping): an echo server, a round-trip prober reporting loss and latency
 * percentiles, and a sequence-numbered stream with a sink that counts
 * losses, the longest gap between arrivals and the packet rate.
 *
 *   adj-udp echo PORT
 *   adj-udp rtt ADDR PORT COUNT [INTERVAL_US]
 *   adj-udp stream ADDR PORT PPS SECONDS [SIZE]     (PPS 0: as fast as possible)
 *   adj-udp sink PORT SECONDS
 *
 * Results are one line of "key value" pairs on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct probe {
	uint64_t seq;
	uint64_t sent_ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int sock_bound(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 4 << 20;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	return fd;
}

static int sock_to(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "adj-udp: bad IPv4 address %s\n", addr);
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	return fd;
}

static int __attribute__((noreturn)) cmd_echo(int port)
{
	int fd = sock_bound(port);
	char buf[65536];

	for (;;) {
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmd_rtt(const char *addr, int port, long count, long interval_us)
{
	int fd = sock_to(addr, port);
	struct timeval tv = { .tv_sec = 1 };
	uint64_t *rtt = calloc(count, sizeof(*rtt));
	long i, got = 0;

	if (!rtt)
		die("calloc");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < count; i++) {
		struct probe p = { .seq = i, .sent_ns = now_ns() }, r;

		if (send(fd, &p, sizeof(p), 0) < 0)
			continue;
		for (;;) {
			ssize_t n = recv(fd, &r, sizeof(r), 0);

			if (n < 0)
				break;		/* timeout: lost */
			if (n == sizeof(r) && r.seq == p.seq) {
				rtt[got++] = now_ns() - r.sent_ns;
				break;
			}
		}
		if (interval_us)
			usleep(interval_us);
	}
	qsort(rtt, got, sizeof(*rtt), cmp_u64);
	printf("sent %ld received %ld lost %ld", count, got, count - got);
	if (got)
		printf(" p50_us %.1f p99_us %.1f max_us %.1f", rtt[got / 2] / 1e3,
		       rtt[(got * 99) / 100 < got ? (got * 99) / 100 : got - 1] / 1e3,
		       rtt[got - 1] / 1e3);
	printf("\n");
	free(rtt);
	return got ? 0 : 1;
}

static int cmd_stream(const char *addr, int port, long pps, long seconds, long size)
{
	int fd = sock_to(addr, port);
	uint64_t start = now_ns(), end = start + seconds * 1000000000ULL, seq = 0, errs = 0;
	char buf[65536] = { 0 };

	if (size < (long)sizeof(uint64_t))
		size = sizeof(uint64_t);
	if (size > (long)sizeof(buf))
		size = sizeof(buf);
	for (;;) {
		uint64_t t = now_ns();

		if (t >= end)
			break;
		if (pps && seq * 1000000000ULL / pps > t - start) {
			uint64_t due = start + seq * 1000000000ULL / pps;

			if (due - t > 50000)
				usleep((due - t) / 1000 - 20);
			continue;
		}
		memcpy(buf, &seq, sizeof(seq));
		if (send(fd, buf, size, 0) < 0)
			errs++;	/* ENOBUFS, ECONNREFUSED: counted, not fatal */
		seq++;
	}
	printf("sent %llu send_errors %llu pps %.0f\n", (unsigned long long)seq,
	       (unsigned long long)errs, seq / ((now_ns() - start) / 1e9));
	return 0;
}

#define SINK_MAX_SEQ	16777216	/* packets tracked one by one */

static int cmd_sink(int port, long seconds)
{
	int fd = sock_bound(port);
	struct timeval tv = { .tv_usec = 100000 };
	uint64_t deadline = now_ns() + seconds * 1000000000ULL, first = 0, last = 0;
	uint64_t got = 0, unique = 0, max_seq = 0, max_gap = 0, late = 0, next = 0;
	static uint8_t seen[SINK_MAX_SEQ / 8];
	char buf[65536];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (now_ns() < deadline) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		uint64_t seq, t;

		if (n < (ssize_t)sizeof(seq))
			continue;
		t = now_ns();
		memcpy(&seq, buf, sizeof(seq));
		if (seq >= SINK_MAX_SEQ)
			continue;
		if (!got)
			first = t;
		else if (t - last > max_gap)
			max_gap = t - last;
		last = t;
		got++;
		if (!(seen[seq / 8] & (0x80 >> (seq % 8)))) {
			seen[seq / 8] |= 0x80 >> (seq % 8);
			unique++;
		}
		if (seq < next)
			late++;
		else
			next = seq + 1;
		if (seq > max_seq)
			max_seq = seq;
	}
	/* lost: never seen; dup: seen twice or more; late: behind a later one */
	printf("received %llu lost %llu dup %llu late %llu max_gap_ms %.3f pps %.0f\n",
	       (unsigned long long)got, (unsigned long long)(got ? max_seq + 1 - unique : 0),
	       (unsigned long long)(got - unique), (unsigned long long)late, max_gap / 1e6,
	       got > 1 ? (got - 1) / ((last - first) / 1e9) : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "echo"))
		return cmd_echo(atoi(argv[2]));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "rtt"))
		return cmd_rtt(argv[2], atoi(argv[3]), atol(argv[4]),
			       argc == 6 ? atol(argv[5]) : 0);
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "stream"))
		return cmd_stream(argv[2], atoi(argv[3]), atol(argv[4]), atol(argv[5]),
				  argc == 7 ? atol(argv[6]) : 64);
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return cmd_sink(atoi(argv[2]), atol(argv[3]));
	fprintf(stderr,
		"usage: adj-udp echo PORT\n"
		"       adj-udp rtt ADDR PORT COUNT [INTERVAL_US]\n"
		"       adj-udp stream ADDR PORT PPS SECONDS [SIZE]\n"
		"       adj-udp sink PORT SECONDS\n");
	return 2;
}
