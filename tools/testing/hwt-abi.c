// SPDX-License-Identifier: GPL-2.0
/*
 * hwt-abi: one probe of a /dev/cpu/N/{cpuid,msr}-style node per call, for
 * the ABI parity matrix of lpar_hwthread
 * (tools/testing/selftests/hwthread_virt/abi.sh), which runs each probe
 * on the real node and on the partition's node and compares the lines.
 * The output is one line with the return value or errno name of each
 * system call and the file position, so that two nodes with the same ABI
 * print the same line; -d adds the bytes read. It also reads single
 * CPUID leaves and MSRs for view.sh (cpuid, msr), as `cpuid -k` and
 * `rdmsr` would through the node.
 *
 * usage: hwt-abi [-d] NODE OP [ARGS]
 *   open r|w|rw                   open only
 *   read r|w|rw OFF SIZE          lseek(OFF) then read(SIZE); prints pos after
 *   badbuf OFF SIZE               read into an unmapped buffer
 *   seek WHENCE OFF [WHENCE OFF]  lseek (set|cur|end|data|hole), twice
 *   write r|w|rw OFF SIZE         lseek(OFF) then write(SIZE zero bytes)
 *   ioctl r|w|rw rd|wr|rdfault|bad MSR   the msr ioctls
 *   hold OFF SIZE CMD             open, run CMD (sh -c), then read
 *   cpuid LEAF SUBLEAF            print EAX EBX ECX EDX in hex
 *   msr REG                       print the register in hex
 *   bench OFF SIZE N              N preads; print the median ns of one
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define X86_IOC_RDMSR_REGS	_IOWR('c', 0xA0, __u32[8])
#define X86_IOC_WRMSR_REGS	_IOWR('c', 0xA1, __u32[8])

static int dump;

static void usage(void)
{
	fprintf(stderr, "hwt-abi [-d] NODE OP [ARGS]; ops are listed in %s\n", __FILE__);
	exit(2);
}

static const char *err_name(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/*
 * "ret=N" or "ret=-ENAME" for a system call's result; call it as
 * put_ret(what, CALL) so that errno is read after the call.
 */
#define put_ret(what, call) do {			\
	long long __r = (call);				\
							\
	put_ret_errno(what, __r, errno);		\
} while (0)

static void put_ret_errno(const char *what, long long ret, int e)
{
	if (ret < 0)
		printf("%s=-%s ", what, err_name(e));
	else
		printf("%s=%lld ", what, ret);
}

static int mode_flags(const char *m)
{
	if (!strcmp(m, "r"))
		return O_RDONLY;
	if (!strcmp(m, "w"))
		return O_WRONLY;
	if (!strcmp(m, "rw"))
		return O_RDWR;
	usage();
	return -1;
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		usage();
	return v;
}

static int whence(const char *s)
{
	if (!strcmp(s, "set"))
		return SEEK_SET;
	if (!strcmp(s, "cur"))
		return SEEK_CUR;
	if (!strcmp(s, "end"))
		return SEEK_END;
	if (!strcmp(s, "data"))
		return SEEK_DATA;
	if (!strcmp(s, "hole"))
		return SEEK_HOLE;
	usage();
	return -1;
}

/* Opens @node; on failure prints the errno and exits successfully. */
static int open_node(const char *node, int flags)
{
	int fd = open(node, flags);

	if (fd < 0) {
		put_ret("open", -1);
		putchar('\n');
		exit(0);
	}
	return fd;
}

static void put_pos(int fd)
{
	put_ret("pos", lseek(fd, 0, SEEK_CUR));
}

static void do_read(int fd, unsigned long long off, size_t size)
{
	unsigned char *buf = calloc(1, size + 1);
	ssize_t n;

	if (lseek(fd, (off_t)off, SEEK_SET) < 0 && errno != 0) {
		put_ret("lseek", -1);
		return;
	}
	n = read(fd, buf, size);
	put_ret("read", n);
	put_pos(fd);
	if (dump && n > 0) {
		printf("data=");
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
	}
	free(buf);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Median time of @n preads of @size bytes at @off, in ns. */
static void do_bench(int fd, off_t off, size_t size, long n)
{
	long long *t = calloc(n, sizeof(*t));
	char buf[256];
	long i;

	if (!t || size > sizeof(buf) || n < 1)
		usage();
	for (i = 0; i < n; i++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (pread(fd, buf, size, off) != (ssize_t)size) {
			put_ret_errno("pread", -1, errno);
			free(t);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[i] = (b.tv_sec - a.tv_sec) * 1000000000LL + b.tv_nsec - a.tv_nsec;
	}
	qsort(t, n, sizeof(*t), cmp_ll);
	printf("median_ns=%lld n=%ld", t[n / 2], n);
	free(t);
}

int main(int argc, char **argv)
{
	const char *node, *op;
	int fd;

	if (argc > 1 && !strcmp(argv[1], "-d")) {
		dump = 1;
		argv++;
		argc--;
	}
	if (argc < 3)
		usage();
	node = argv[1];
	op = argv[2];
	argv += 3;
	argc -= 3;

	if (!strcmp(op, "open") && argc == 1) {
		fd = open_node(node, mode_flags(argv[0]));
		put_ret_errno("open", 0, 0);
	} else if (!strcmp(op, "read") && argc == 3) {
		fd = open_node(node, mode_flags(argv[0]));
		do_read(fd, num(argv[1]), num(argv[2]));
	} else if (!strcmp(op, "badbuf") && argc == 2) {
		fd = open_node(node, O_RDONLY);
		lseek(fd, (off_t)num(argv[0]), SEEK_SET);
		put_ret("read", read(fd, (void *)8, num(argv[1])));
	} else if (!strcmp(op, "seek") && (argc == 2 || argc == 4)) {
		fd = open_node(node, O_RDONLY);
		put_ret("lseek", lseek(fd, (off_t)num(argv[1]), whence(argv[0])));
		if (argc == 4)
			put_ret("lseek", lseek(fd, (off_t)num(argv[3]), whence(argv[2])));
	} else if (!strcmp(op, "write") && argc == 3) {
		size_t size = num(argv[2]);
		char *buf = calloc(1, size + 1);

		fd = open_node(node, mode_flags(argv[0]));
		lseek(fd, (off_t)num(argv[1]), SEEK_SET);
		put_ret("write", write(fd, buf, size));
		put_pos(fd);
		free(buf);
	} else if (!strcmp(op, "ioctl") && argc == 3) {
		__u32 regs[8] = { 0 };
		unsigned long req = X86_IOC_RDMSR_REGS;
		void *arg = regs;

		fd = open_node(node, mode_flags(argv[0]));
		regs[1] = num(argv[2]);
		if (!strcmp(argv[1], "wr"))
			req = X86_IOC_WRMSR_REGS;
		else if (!strcmp(argv[1], "rdfault"))
			arg = (void *)8;
		else if (!strcmp(argv[1], "bad"))
			req = _IOWR('c', 0xA7, __u32[8]);
		else if (strcmp(argv[1], "rd"))
			usage();
		put_ret("ioctl", ioctl(fd, req, arg));
		if (dump)
			printf("eax=%#x edx=%#x", regs[0], regs[2]);
	} else if (!strcmp(op, "hold") && argc == 3) {
		fd = open_node(node, O_RDONLY);
		if (system(argv[2]))
			fprintf(stderr, "hwt-abi: '%s' failed\n", argv[2]);
		do_read(fd, num(argv[0]), num(argv[1]));
	} else if (!strcmp(op, "cpuid") && argc == 2) {
		__u32 r[4];

		fd = open_node(node, O_RDONLY);
		if (pread(fd, r, 16, (off_t)(num(argv[0]) | num(argv[1]) << 32)) != 16) {
			fprintf(stderr, "hwt-abi: %s: %s\n", node, strerror(errno));
			return 1;
		}
		printf("%08x %08x %08x %08x", r[0], r[1], r[2], r[3]);
	} else if (!strcmp(op, "bench") && argc == 3) {
		fd = open_node(node, O_RDONLY);
		do_bench(fd, (off_t)num(argv[0]), num(argv[1]), num(argv[2]));
	} else if (!strcmp(op, "msr") && argc == 1) {
		__u64 v;

		fd = open_node(node, O_RDONLY);
		if (pread(fd, &v, 8, (off_t)num(argv[0])) != 8) {
			fprintf(stderr, "hwt-abi: %s: %s\n", node, strerror(errno));
			return 1;
		}
		printf("%llx", (unsigned long long)v);
	} else {
		usage();
	}
	putchar('\n');
	return 0;
}
