// SPDX-License-Identifier: GPL-2.0
/*
 * Exclusive-core view commands (list, show, enable, disable, counters,
 * monitor, enter) over the "lpar_hwt" generic netlink family of
 * lpar_hwthread.ko. "enter" is the bind-mount recipe of
 * Documentation/hwthread_virt.md done properly: a private mount namespace
 * whose /dev/cpu holds the partition's cpuid/msr nodes only, whose
 * /proc/cpuinfo and /sys/devices/system/cpu come from the partition's
 * lpar_hwtfs, and a command run in the partition's cgroup.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/lpar_hwt.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lparctl.h"

#define HWT_MODULE	"lpar_hwthread.ko"
#define HWT_DEV_DIR	"/dev/lpar_hwt"
#define LPAR_SYSFS	"/sys/kernel/lpar"
#define CGROUP2_ROOT	"/sys/fs/cgroup"
#define LIST_TRIES	3

static struct nla_policy view_policy[LPAR_HWT_A_VIEW_MAX + 1] = {
	[LPAR_HWT_A_VIEW_PART_ID]	= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_PART_NAME]	= { .type = NLA_STRING },
	[LPAR_HWT_A_VIEW_ENABLED]	= { .type = NLA_U8 },
	[LPAR_HWT_A_VIEW_STATE]		= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_REASON]	= { .type = NLA_STRING },
	[LPAR_HWT_A_VIEW_RENUMBER]	= { .type = NLA_U8 },
	[LPAR_HWT_A_VIEW_PACKAGES]	= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_CORES]		= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_THREADS]	= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_SMT_SHIFT]	= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_PKG_SHIFT]	= { .type = NLA_U32 },
	[LPAR_HWT_A_VIEW_CPU]		= { .type = NLA_NESTED },
	[LPAR_HWT_A_VIEW_COUNTERS]	= { .type = NLA_NESTED },
};

static struct nla_policy cpu_policy[LPAR_HWT_A_CPU_MAX + 1] = {
	[LPAR_HWT_A_CPU_LINUX_CPU]	= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_NUMBER]		= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_PKG]		= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_CORE]		= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_THREAD]		= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_X2APIC_ID]	= { .type = NLA_U32 },
	[LPAR_HWT_A_CPU_PKG_CORES]	= { .type = NLA_U32 },
};

static struct nla_policy counters_policy[LPAR_HWT_A_COUNTERS_MAX + 1] = {
	[LPAR_HWT_A_COUNTERS_CPUID_READS]	= { .type = NLA_U64 },
	[LPAR_HWT_A_COUNTERS_CPUID_SYNTH]	= { .type = NLA_U64 },
	[LPAR_HWT_A_COUNTERS_MSR_READS]		= { .type = NLA_U64 },
	[LPAR_HWT_A_COUNTERS_MSR_DENIED]	= { .type = NLA_U64 },
	[LPAR_HWT_A_COUNTERS_REG]		= { .type = NLA_NESTED },
};

static struct nla_policy reg_policy[LPAR_HWT_A_REG_STAT_MAX + 1] = {
	[LPAR_HWT_A_REG_STAT_KIND]	= { .type = NLA_U32 },
	[LPAR_HWT_A_REG_STAT_REG]	= { .type = NLA_U32 },
	[LPAR_HWT_A_REG_STAT_READS]	= { .type = NLA_U64 },
	[LPAR_HWT_A_REG_STAT_DENIED]	= { .type = NLA_U64 },
};

static const char *const state_names[] = {
	[LPAR_HWT_STATE_ACTIVE]		= "active",
	[LPAR_HWT_STATE_DISABLED]	= "disabled",
	[LPAR_HWT_STATE_FAILED]		= "failed",
};

/* What to print of a view. */
enum view_detail {
	VIEW_LINE,	/* list, monitor: one line */
	VIEW_SHOW,	/* show: the map too */
	VIEW_COUNTERS,	/* counters: the counters only, per register */
};

static uint32_t get_u32(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

/* The cpu attributes are many at the top level: walk the message. */
static void print_cpus(struct nl_msg *msg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *a;
	int rem;

	jp_open_array("cpus");
	jp_text("\n\tcpu  number  pkg  core  thread  x2apic");
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		struct nlattr *tb[LPAR_HWT_A_CPU_MAX + 1];

		if (nla_type(a) != LPAR_HWT_A_VIEW_CPU ||
		    nla_parse_nested(tb, LPAR_HWT_A_CPU_MAX, a, cpu_policy))
			continue;
		jp_open_object(NULL);
		jp_u32("cpu", "\n\t%3u", get_u32(tb, LPAR_HWT_A_CPU_LINUX_CPU));
		jp_u32("number", "  %6u", get_u32(tb, LPAR_HWT_A_CPU_NUMBER));
		jp_u32("pkg", "  %3u", get_u32(tb, LPAR_HWT_A_CPU_PKG));
		jp_u32("core", "  %4u", get_u32(tb, LPAR_HWT_A_CPU_CORE));
		jp_u32("thread", "  %6u", get_u32(tb, LPAR_HWT_A_CPU_THREAD));
		jp_u32("x2apic_id", "  %#6x", get_u32(tb, LPAR_HWT_A_CPU_X2APIC_ID));
		jp_u32("pkg_cores", NULL, get_u32(tb, LPAR_HWT_A_CPU_PKG_CORES));
		jp_close_object();
	}
	jp_close_array();
}

static void print_counters(struct nlattr *attr, bool per_reg)
{
	struct nlattr *tb[LPAR_HWT_A_COUNTERS_MAX + 1], *a;
	int rem;

	if (nla_parse_nested(tb, LPAR_HWT_A_COUNTERS_MAX, attr, counters_policy))
		return;
	jp_open_object("counters");
	jp_u64("cpuid_reads", "\n\tcpuid_reads %" PRIu64,
	       get_u64(tb, LPAR_HWT_A_COUNTERS_CPUID_READS));
	jp_u64("cpuid_synth", " (synthesized %" PRIu64 ")",
	       get_u64(tb, LPAR_HWT_A_COUNTERS_CPUID_SYNTH));
	jp_u64("msr_reads", "  msr_reads %" PRIu64, get_u64(tb, LPAR_HWT_A_COUNTERS_MSR_READS));
	jp_u64("msr_denied", "  msr_denied %" PRIu64, get_u64(tb, LPAR_HWT_A_COUNTERS_MSR_DENIED));
	if (per_reg) {
		jp_open_array("regs");
		jp_text("\n\tkind   register    reads  denied");
		nla_for_each_nested(a, attr, rem) {
			struct nlattr *rt[LPAR_HWT_A_REG_STAT_MAX + 1];
			uint32_t kind;

			if (nla_type(a) != LPAR_HWT_A_COUNTERS_REG ||
			    nla_parse_nested(rt, LPAR_HWT_A_REG_STAT_MAX, a, reg_policy))
				continue;
			kind = get_u32(rt, LPAR_HWT_A_REG_STAT_KIND);
			jp_open_object(NULL);
			jp_string("kind", "\n\t%-5s",
				  kind == LPAR_HWT_REG_KIND_MSR ? "msr" : "cpuid");
			jp_u32("reg", "  %#10x", get_u32(rt, LPAR_HWT_A_REG_STAT_REG));
			jp_u64("reads", "  %7" PRIu64, get_u64(rt, LPAR_HWT_A_REG_STAT_READS));
			jp_u64("denied", "  %6" PRIu64, get_u64(rt, LPAR_HWT_A_REG_STAT_DENIED));
			jp_close_object();
		}
		jp_close_array();
	}
	jp_close_object();
}

static void view_print(struct nl_msg *msg, struct nlattr **tb, enum view_detail detail,
		       const char *event)
{
	uint32_t state = get_u32(tb, LPAR_HWT_A_VIEW_STATE);

	jp_open_object(NULL);
	if (event)
		jp_string("event", "[%s] ", event);
	jp_u32("id", "%u: ", get_u32(tb, LPAR_HWT_A_VIEW_PART_ID));
	if (tb[LPAR_HWT_A_VIEW_PART_NAME])
		jp_string("name", "%s", nla_get_string(tb[LPAR_HWT_A_VIEW_PART_NAME]));
	jp_string("state", "  %s",
		  state < ARRAY_SIZE(state_names) ? state_names[state] : "unknown");
	if (tb[LPAR_HWT_A_VIEW_ENABLED])
		jp_u32("enabled", NULL, nla_get_u8(tb[LPAR_HWT_A_VIEW_ENABLED]));
	if (tb[LPAR_HWT_A_VIEW_CORES]) {
		jp_u32("packages", "  %u pkg x", get_u32(tb, LPAR_HWT_A_VIEW_PACKAGES));
		jp_u32("cores", " %u cores x", get_u32(tb, LPAR_HWT_A_VIEW_CORES));
		jp_u32("threads", " %u threads", get_u32(tb, LPAR_HWT_A_VIEW_THREADS));
		jp_u32("smt_shift", detail == VIEW_SHOW ? "\n\tsmt_shift %u" : NULL,
		       get_u32(tb, LPAR_HWT_A_VIEW_SMT_SHIFT));
		jp_u32("pkg_shift", detail == VIEW_SHOW ? "  pkg_shift %u" : NULL,
		       get_u32(tb, LPAR_HWT_A_VIEW_PKG_SHIFT));
	}
	if (tb[LPAR_HWT_A_VIEW_RENUMBER])
		jp_u32("renumber", detail == VIEW_SHOW ? "  renumber %u" : NULL,
		       nla_get_u8(tb[LPAR_HWT_A_VIEW_RENUMBER]));
	if (tb[LPAR_HWT_A_VIEW_REASON])
		jp_string("reason", "  (%s)", nla_get_string(tb[LPAR_HWT_A_VIEW_REASON]));
	if (detail == VIEW_SHOW && tb[LPAR_HWT_A_VIEW_CPU])
		print_cpus(msg);
	if (detail != VIEW_LINE && tb[LPAR_HWT_A_VIEW_COUNTERS])
		print_counters(tb[LPAR_HWT_A_VIEW_COUNTERS], detail == VIEW_COUNTERS);
	jp_text("\n");
	jp_close_object();
}

/* ---- requests ---- */

static int hwt_open(struct lnl_sock *nl)
{
	int err = lnl_open(nl, LPAR_HWT_FAMILY_NAME, LPAR_HWT_FAMILY_VERSION, HWT_MODULE);

	if (err)
		lnl_perror(nl, err);
	return err;
}

struct print_ctx {
	enum view_detail detail;
};

static int print_view(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_HWT_A_VIEW_MAX + 1];
	struct print_ctx *ctx = arg;
	int err = lnl_parse(msg, tb, LPAR_HWT_A_VIEW_MAX, view_policy);

	if (!err)
		view_print(msg, tb, ctx->detail, NULL);
	return err;
}

/* A request naming one partition; @enabled < 0: not sent. */
static int view_request(struct lnl_sock *nl, uint8_t cmd, const char *name, int enabled,
			lnl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	NLA_PUT_STRING(msg, LPAR_HWT_A_VIEW_PART_NAME, name);
	if (enabled >= 0)
		NLA_PUT_U8(msg, LPAR_HWT_A_VIEW_ENABLED, enabled);
	return lnl_request(nl, msg, fn, arg);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- commands ---- */

static int one_name(const char *cmd, int argc, char **argv, char **name)
{
	int n = lparctl_parse_args(cmd, argc, argv, NULL, name, 1);

	if (n < 0)
		return -1;
	if (!n) {
		lparctl_usage_error(cmd, "missing partition NAME");
		return -1;
	}
	return 0;
}

static int cmd_get(const char *cmd, int argc, char **argv, enum view_detail detail)
{
	struct print_ctx ctx = { detail };
	struct lnl_sock nl;
	char *name;
	int err;

	if (one_name(cmd, argc, argv, &name))
		return EXIT_USAGE;
	if (hwt_open(&nl))
		return EXIT_FAILURE;
	err = view_request(&nl, LPAR_HWT_CMD_VIEW_GET, name, -1, print_view, &ctx);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_show(int argc, char **argv)
{
	return cmd_get("hwt show", argc, argv, VIEW_SHOW);
}

static int cmd_counters(int argc, char **argv)
{
	return cmd_get("hwt counters", argc, argv, VIEW_COUNTERS);
}

static int cmd_switch(const char *cmd, int argc, char **argv, int on)
{
	struct print_ctx ctx = { VIEW_LINE };
	struct lnl_sock nl;
	char *name;
	int err;

	if (one_name(cmd, argc, argv, &name))
		return EXIT_USAGE;
	if (hwt_open(&nl))
		return EXIT_FAILURE;
	err = view_request(&nl, LPAR_HWT_CMD_VIEW_SET, name, on,
			   jp_is_json() ? print_view : NULL, &ctx);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_enable(int argc, char **argv)
{
	return cmd_switch("hwt enable", argc, argv, 1);
}

static int cmd_disable(int argc, char **argv)
{
	return cmd_switch("hwt disable", argc, argv, 0);
}

static int cmd_list(int argc, char **argv)
{
	struct lnl_msgs list = { 0 };
	struct lnl_sock nl;
	size_t i;
	int err;

	if (lparctl_parse_args("hwt list", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	if (hwt_open(&nl))
		return EXIT_FAILURE;
	/* Printed once whole: a dump torn by a change is run again. */
	err = lnl_dump_collect(&nl, LPAR_HWT_CMD_VIEW_GET, LIST_TRIES, &list);
	if (err) {
		lnl_perror(&nl, err);
		goto out;
	}
	jp_open_array(NULL);
	for (i = 0; i < list.n; i++) {
		struct nlattr *tb[LPAR_HWT_A_VIEW_MAX + 1];

		err = lnl_parse(list.msg[i], tb, LPAR_HWT_A_VIEW_MAX, view_policy);
		if (err) {
			warnx("malformed view in dump: %s", strerror(-err));
			break;
		}
		view_print(list.msg[i], tb, VIEW_LINE, NULL);
	}
	jp_close_array();
out:
	lnl_msgs_free(&list);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Prints one event of the lpar_hwt family, for `lparctl monitor`. */
static int hwt_event(struct nl_msg *msg)
{
	struct nlattr *tb[LPAR_HWT_A_VIEW_MAX + 1];

	if (((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd !=
	    LPAR_HWT_CMD_VIEW_CHANGE_NTF)
		return 0;
	if (lnl_parse(msg, tb, LPAR_HWT_A_VIEW_MAX, view_policy)) {
		warnx("warning: malformed view event");
		return 0;
	}
	view_print(msg, tb, VIEW_LINE, "change");
	return 0;
}

static const struct lparctl_events hwt_events = {
	.family = LPAR_HWT_FAMILY_NAME,
	.version = LPAR_HWT_FAMILY_VERSION,
	.module = HWT_MODULE,
	.mcgrp = LPAR_HWT_MCGRP_EVENTS,
	.print = hwt_event,
};

static int cmd_monitor(int argc, char **argv)
{
	if (lparctl_parse_args("hwt monitor", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	return lparctl_monitor_one(&lparctl_hwt);
}

/* ---- enter ---- */

static int bind_path(const char *from, const char *to)
{
	if (mount(from, to, NULL, MS_BIND, NULL)) {
		warn("bind %s over %s", from, to);
		return -1;
	}
	return 0;
}

/* The partition's CPUs: Linux number and number in the view. */
struct enter_cpus {
	uint32_t n;
	uint32_t linux_cpu[4096];
	uint32_t number[4096];
};

static int enter_collect(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct enter_cpus *ec = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		struct nlattr *tb[LPAR_HWT_A_CPU_MAX + 1];

		if (nla_type(a) != LPAR_HWT_A_VIEW_CPU ||
		    nla_parse_nested(tb, LPAR_HWT_A_CPU_MAX, a, cpu_policy) ||
		    ec->n == ARRAY_SIZE(ec->number))
			continue;
		ec->linux_cpu[ec->n] = get_u32(tb, LPAR_HWT_A_CPU_LINUX_CPU);
		ec->number[ec->n++] = get_u32(tb, LPAR_HWT_A_CPU_NUMBER);
	}
	return 0;
}

/*
 * /dev/cpu: a tmpfs with the partition's node of each CPU bound at the
 * CPU's number in the view (its Linux number unless renumber is on).
 */
static int enter_nodes(const char *name, const struct enter_cpus *ec)
{
	char from[160], to[32];
	uint32_t i;

	if (!ec->n) {
		warnx("partition %s has no exclusive-core view now", name);
		return -1;
	}
	if (mount("none", "/dev/cpu", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755")) {
		warn("mount tmpfs on /dev/cpu");
		return -1;
	}
	for (i = 0; i < ec->n; i++) {
		snprintf(from, sizeof(from), HWT_DEV_DIR "/%s/cpu%u", name, ec->linux_cpu[i]);
		snprintf(to, sizeof(to), "/dev/cpu/%u", ec->number[i]);
		if (mkdir(to, 0755) || bind_path(from, to))
			return -1;
	}
	return 0;
}

/* /proc/cpuinfo and /sys/devices/system/cpu from the partition's lpar_hwtfs. */
static int enter_view(const char *name)
{
	char tmpl[] = "/dev/cpu/.hwtfs.XXXXXX", opts[64], path[PATH_MAX];
	int ret = -1;

	if (!mkdtemp(tmpl)) {
		warn("mkdtemp");
		return -1;
	}
	snprintf(opts, sizeof(opts), "part=%s", name);
	if (mount("none", tmpl, "lpar_hwtfs", MS_RDONLY, opts)) {
		warn("mount -t lpar_hwtfs -o %s", opts);
		goto out_rmdir;
	}
	snprintf(path, sizeof(path), "%s/proc/cpuinfo", tmpl);
	if (bind_path(path, "/proc/cpuinfo"))
		goto out_umount;
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", tmpl);
	if (bind_path(path, "/sys/devices/system/cpu"))
		goto out_umount;
	ret = 0;
out_umount:
	/* The binds keep the filesystem; its own mount point is not needed. */
	umount2(tmpl, MNT_DETACH);
out_rmdir:
	rmdir(tmpl);
	return ret;
}

/* Moves this process into the partition's cgroup, if it has one. */
static int enter_cgroup(const char *name)
{
	char path[PATH_MAX], cg[PATH_MAX];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), LPAR_SYSFS "/%s/cgroup", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("%s", path);
		return -1;
	}
	len = read(fd, cg, sizeof(cg) - 1);
	close(fd);
	if (len < 0) {
		warn("%s", path);
		return -1;
	}
	while (len && cg[len - 1] == '\n')
		len--;
	cg[len] = 0;
	if (!len || !strcmp(cg, "/"))
		return 0;	/* no cgroup of its own */
	if (snprintf(path, sizeof(path), CGROUP2_ROOT "%s%s/cgroup.procs",
		     *cg == '/' ? "" : "/", cg) >= (int)sizeof(path)) {
		warnx("%s: cgroup path too long", cg);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0\n", 2) != 2) {
		warn("join %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int cmd_enter(int argc, char **argv)
{
	struct enter_cpus *ec;
	struct lnl_sock nl;
	char *pos[1];
	int err, i;

	/* "enter NAME -- CMD...": the command is everything after "--". */
	for (i = 0; i < argc && strcmp(argv[i], "--"); i++)
		;
	if (i == argc || i + 1 == argc)
		return lparctl_usage_error("hwt enter", "missing -- CMD");
	if (lparctl_parse_args("hwt enter", i, argv, NULL, pos, 1) != 1)
		return lparctl_usage_error("hwt enter", "missing partition NAME");

	/* The view must be there, or the namespace would show nothing. */
	ec = calloc(1, sizeof(*ec));
	if (!ec) {
		warn("enter");
		return EXIT_FAILURE;
	}
	if (hwt_open(&nl))
		return EXIT_FAILURE;
	err = view_request(&nl, LPAR_HWT_CMD_VIEW_GET, pos[0], -1, enter_collect, ec);
	if (err) {
		lnl_perror(&nl, err);
		lnl_close(&nl);
		return EXIT_FAILURE;
	}
	lnl_close(&nl);

	if (unshare(CLONE_NEWNS)) {
		warn("unshare mount namespace");
		return EXIT_FAILURE;
	}
	/* Nothing done here may leak back to the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		warn("make mounts private");
		return EXIT_FAILURE;
	}
	if (enter_nodes(pos[0], ec) || enter_view(pos[0]) || enter_cgroup(pos[0]))
		return EXIT_FAILURE;
	free(ec);
	execvp(argv[i + 1], argv + i + 1);
	warn("exec %s", argv[i + 1]);
	return 127;
}

/* ---- dispatch ---- */

static const struct lparctl_cmd hwt_cmds[] = {
	{
		"list", cmd_list, "",
		"List every partition's exclusive-core view, one per line.\n",
	},
	{
		"show", cmd_show, "NAME",
		"Show a partition's view: state, C cores x T threads, shifts, each CPU's\n"
		"virtual package, core, thread and x2APIC id, and the read counters.\n",
	},
	{
		"enable", cmd_enable, "NAME",
		"Turn a partition's view on (the default); refused, with the reason, if its\n"
		"CPUs hold unequal numbers of threads on their cores.\n",
	},
	{
		"disable", cmd_disable, "NAME",
		"Turn a partition's view off: its nodes and lpar_hwtfs read EIO.\n",
	},
	{
		"counters", cmd_counters, "NAME",
		"Show the reads through a partition's nodes, per CPUID leaf and MSR.\n",
	},
	{
		"monitor", cmd_monitor, "",
		"Print view changes until interrupted.\n",
	},
	{
		"enter", cmd_enter, "NAME -- CMD [ARGS]...",
		"Run CMD in a new mount namespace that shows the partition's view at\n"
		"/dev/cpu/N, /proc/cpuinfo and /sys/devices/system/cpu, inside the\n"
		"partition's cgroup.\n",
	},
};

const struct lparctl_object lparctl_hwt = {
	.name = "hwt",
	.cmds = hwt_cmds,
	.n_cmds = ARRAY_SIZE(hwt_cmds),
	.bare = cmd_list,
	.events = &hwt_events,
};
