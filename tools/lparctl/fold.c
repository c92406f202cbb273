// SPDX-License-Identifier: GPL-2.0
/*
 * Folding commands (enable, disable, show, status, agent) over the
 * "lpar_fold" generic netlink family of lpar_corefold.ko. The agent is the
 * cpuset mechanism's userspace half: the kernel decides which CPUs of each
 * partition stay unfolded and announces it; the agent writes that set to
 * the partition's cgroup cpuset.cpus (the kernel has no exported way to
 * write a cpuset), acknowledges it so that the module can time the whole
 * change, and puts every cgroup it narrowed back to the partition's full
 * CPU set when it stops.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/lpar_fold.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lparctl.h"

#define FOLD_MODULE	"lpar_corefold.ko"
#define CGROUP2_ROOT	"/sys/fs/cgroup"
#define AGENT_MAX_PARTS	1024

static struct nla_policy fold_part_policy[LPAR_FOLD_A_PART_MAX + 1] = {
	[LPAR_FOLD_A_PART_ID]		= { .type = NLA_U32 },
	[LPAR_FOLD_A_PART_NAME]		= { .type = NLA_STRING },
	[LPAR_FOLD_A_PART_ENABLED]	= { .type = NLA_U8 },
	[LPAR_FOLD_A_PART_CPUS]		= { .type = NLA_STRING },
	[LPAR_FOLD_A_PART_UNFOLDED]	= { .type = NLA_STRING },
	[LPAR_FOLD_A_PART_CGROUP_PATH]	= { .type = NLA_STRING },
	[LPAR_FOLD_A_PART_LOAD]		= { .type = NLA_U32 },
	[LPAR_FOLD_A_PART_WANT]		= { .type = NLA_U32 },
	[LPAR_FOLD_A_PART_FOLDS]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_UNFOLDS]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_EXCHANGES]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_MIGRATES]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_SEQ]		= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_APPLIED_SEQ]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_KIND]		= { .type = NLA_U32 },
	[LPAR_FOLD_A_PART_TIME_NS]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_PART_MECHANISM]	= { .type = NLA_U32 },
};

static struct nla_policy fold_status_policy[LPAR_FOLD_A_STATUS_MAX + 1] = {
	[LPAR_FOLD_A_STATUS_ENABLED]	 = { .type = NLA_U8 },
	[LPAR_FOLD_A_STATUS_MECHANISM]	 = { .type = NLA_U32 },
	[LPAR_FOLD_A_STATUS_INTERVAL_MS] = { .type = NLA_U32 },
	[LPAR_FOLD_A_STATUS_INTERVALS]	 = { .type = NLA_U64 },
	[LPAR_FOLD_A_STATUS_TIME_US]	 = { .type = NLA_U64 },
	[LPAR_FOLD_A_STATUS_POWER_MW]	 = { .type = NLA_U32 },
	[LPAR_FOLD_A_STATUS_ENERGY_UJ]	 = { .type = NLA_U64 },
	[LPAR_FOLD_A_STATUS_OVERHEAD_NS] = { .type = NLA_U64 },
	[LPAR_FOLD_A_STATUS_SOCKET]	 = { .type = NLA_NESTED },
};

static struct nla_policy fold_socket_policy[LPAR_FOLD_A_SOCKET_MAX + 1] = {
	[LPAR_FOLD_A_SOCKET_INDEX]	= { .type = NLA_U32 },
	[LPAR_FOLD_A_SOCKET_CPUS]	= { .type = NLA_STRING },
	[LPAR_FOLD_A_SOCKET_UNFOLDED]	= { .type = NLA_STRING },
	[LPAR_FOLD_A_SOCKET_ENERGY_UJ]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_SOCKET_DEEP_US]	= { .type = NLA_U64 },
	[LPAR_FOLD_A_SOCKET_POWER_MW]	= { .type = NLA_U32 },
};

static const char *const mech_names[] = {
	[LPAR_FOLD_MECHANISM_CPUSET] = "cpuset",
	[LPAR_FOLD_MECHANISM_HOTPLUG] = "hotplug",
};

static const char *const kind_names[] = {
	[LPAR_FOLD_KIND_FOLD] = "fold",
	[LPAR_FOLD_KIND_UNFOLD] = "unfold",
	[LPAR_FOLD_KIND_EXCHANGE] = "exchange",
	[LPAR_FOLD_KIND_RESTORE] = "restore",
};

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static const char *get_str(struct nlattr *a)
{
	return a ? nla_get_string(a) : "";
}

/* "1234.5" of a value in thousandths, for W from mW and J from mJ. */
static void print_milli(const char *key, const char *fmt, uint64_t v)
{
	char buf[32];

	if (jp_is_json()) {
		jp_u64(key, NULL, v);
		return;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64 ".%01" PRIu64, v / 1000, v % 1000 / 100);
	jp_string(key, fmt, buf);
}

/* ---- printing ---- */

static void part_print(struct nlattr **tb, const char *event)
{
	jp_open_object(NULL);
	if (event)
		jp_string("event", "[%s] ", event);
	jp_u32("id", "%u: ", get_u32(tb[LPAR_FOLD_A_PART_ID]));
	jp_string("name", "%s", get_str(tb[LPAR_FOLD_A_PART_NAME]));
	if (jp_is_json())
		jp_u32("enabled", NULL, tb[LPAR_FOLD_A_PART_ENABLED] ?
		       nla_get_u8(tb[LPAR_FOLD_A_PART_ENABLED]) : 0);
	else
		jp_text("  folding %s", tb[LPAR_FOLD_A_PART_ENABLED] &&
			nla_get_u8(tb[LPAR_FOLD_A_PART_ENABLED]) ? "on" : "off");
	jp_string("cpus", "  cpus %s", get_str(tb[LPAR_FOLD_A_PART_CPUS]));
	jp_string("unfolded", "  unfolded %s", get_str(tb[LPAR_FOLD_A_PART_UNFOLDED]));
	jp_string("cgroup", "  cgroup %s", get_str(tb[LPAR_FOLD_A_PART_CGROUP_PATH]));
	jp_text("\n\t");
	jp_u32("load", "load %u", get_u32(tb[LPAR_FOLD_A_PART_LOAD]));
	jp_u32("want", "  want %u", get_u32(tb[LPAR_FOLD_A_PART_WANT]));
	jp_u64("folds", "  folds %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_FOLDS]));
	jp_u64("unfolds", " unfolds %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_UNFOLDS]));
	jp_u64("exchanges", " exchanges %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_EXCHANGES]));
	jp_u64("migrates", " migrates %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_MIGRATES]));
	jp_text("\n\t");
	jp_u64("seq", "seq %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_SEQ]));
	jp_u64("applied_seq", "  applied %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_APPLIED_SEQ]));
	jp_string("kind", "  last %s", name_of(kind_names, ARRAY_SIZE(kind_names),
					       get_u32(tb[LPAR_FOLD_A_PART_KIND])));
	jp_u64("time_ns", NULL, get_u64(tb[LPAR_FOLD_A_PART_TIME_NS]));
	jp_string("mechanism", "  mechanism %s",
		  name_of(mech_names, ARRAY_SIZE(mech_names),
			  get_u32(tb[LPAR_FOLD_A_PART_MECHANISM])));
	jp_text("\n");
	jp_close_object();
}

static int print_part(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_FOLD_A_PART_MAX + 1];
	int err = lnl_parse(msg, tb, LPAR_FOLD_A_PART_MAX, fold_part_policy);

	(void)arg;
	if (!err)
		part_print(tb, NULL);
	return err;
}

/* Prints one event of the lpar_fold family, for `lparctl monitor`. */
static int fold_event(struct nl_msg *msg)
{
	struct nlattr *tb[LPAR_FOLD_A_PART_MAX + 1];

	if (((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd !=
	    LPAR_FOLD_CMD_PART_CHANGE_NTF)
		return 0;
	if (lnl_parse(msg, tb, LPAR_FOLD_A_PART_MAX, fold_part_policy)) {
		warnx("warning: malformed fold event");
		return 0;
	}
	part_print(tb, "fold");
	return 0;
}

static const struct lparctl_events fold_events = {
	.family = LPAR_FOLD_FAMILY_NAME,
	.version = LPAR_FOLD_FAMILY_VERSION,
	.module = FOLD_MODULE,
	.mcgrp = LPAR_FOLD_MCGRP_EVENTS,
	.print = fold_event,
};

static int print_socket(struct nlattr *nest)
{
	struct nlattr *tb[LPAR_FOLD_A_SOCKET_MAX + 1];
	uint64_t deep;
	int err;

	err = nla_parse_nested(tb, LPAR_FOLD_A_SOCKET_MAX, nest, fold_socket_policy);
	if (err)
		return -EINVAL;
	jp_open_object(NULL);
	jp_u32("socket", "socket %u:", get_u32(tb[LPAR_FOLD_A_SOCKET_INDEX]));
	jp_string("cpus", "  cpus %s", get_str(tb[LPAR_FOLD_A_SOCKET_CPUS]));
	jp_string("unfolded", "  unfolded %s", *get_str(tb[LPAR_FOLD_A_SOCKET_UNFOLDED]) ?
		  get_str(tb[LPAR_FOLD_A_SOCKET_UNFOLDED]) : (jp_is_json() ? "" : "none"));
	print_milli("power_mw", "  power %s W", get_u32(tb[LPAR_FOLD_A_SOCKET_POWER_MW]));
	print_milli("energy_mj", "  energy %s J",
		    get_u64(tb[LPAR_FOLD_A_SOCKET_ENERGY_UJ]) / 1000);
	deep = get_u64(tb[LPAR_FOLD_A_SOCKET_DEEP_US]);
	if (jp_is_json())
		jp_u64("deep_us", NULL, deep);
	else
		jp_text("  deep %" PRIu64 ".%" PRIu64 " s", deep / 1000000,
			deep % 1000000 / 100000);
	jp_text("\n");
	jp_close_object();
	return 0;
}

static int print_status(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_FOLD_A_STATUS_MAX + 1], *a;
	uint64_t us;
	int err, rem;

	(void)arg;
	err = lnl_parse(msg, tb, LPAR_FOLD_A_STATUS_MAX, fold_status_policy);
	if (err)
		return err;
	jp_open_object(NULL);
	jp_u32("enabled", "enabled %u", tb[LPAR_FOLD_A_STATUS_ENABLED] ?
	       nla_get_u8(tb[LPAR_FOLD_A_STATUS_ENABLED]) : 0);
	jp_string("mechanism", "  mechanism %s",
		  name_of(mech_names, ARRAY_SIZE(mech_names),
			  get_u32(tb[LPAR_FOLD_A_STATUS_MECHANISM])));
	jp_u32("interval_ms", "  interval %u ms", get_u32(tb[LPAR_FOLD_A_STATUS_INTERVAL_MS]));
	jp_u64("intervals", "  intervals %" PRIu64, get_u64(tb[LPAR_FOLD_A_STATUS_INTERVALS]));
	jp_u64("overhead_ns", NULL, get_u64(tb[LPAR_FOLD_A_STATUS_OVERHEAD_NS]));
	if (!jp_is_json())
		jp_text("  overhead %" PRIu64 " us",
			get_u64(tb[LPAR_FOLD_A_STATUS_OVERHEAD_NS]) / 1000);
	jp_text("\n");
	print_milli("power_mw", "modeled power %s W", get_u32(tb[LPAR_FOLD_A_STATUS_POWER_MW]));
	print_milli("energy_mj", "  energy %s J", get_u64(tb[LPAR_FOLD_A_STATUS_ENERGY_UJ]) / 1000);
	us = get_u64(tb[LPAR_FOLD_A_STATUS_TIME_US]);
	if (jp_is_json())
		jp_u64("time_us", NULL, us);
	else
		jp_text(" over %" PRIu64 ".%" PRIu64 " s", us / 1000000, us % 1000000 / 100000);
	jp_text("\n");
	jp_open_array("sockets");
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem) {
		if (nla_type(a) != LPAR_FOLD_A_STATUS_SOCKET)
			continue;
		err = print_socket(a);
		if (err)
			break;
	}
	jp_close_array();
	jp_close_object();
	return err;
}

/* ---- requests ---- */

static int fold_open(struct lnl_sock *nl)
{
	int err = lnl_open(nl, LPAR_FOLD_FAMILY_NAME, LPAR_FOLD_FAMILY_VERSION, FOLD_MODULE);

	if (err)
		lnl_perror(nl, err);
	return err;
}

static struct nl_msg *sel_msg(struct lnl_sock *nl, uint8_t cmd, const struct lparctl_sel *sel)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, 0);

	if (!msg)
		return NULL;
	if (sel->name)
		NLA_PUT_STRING(msg, LPAR_FOLD_A_PART_NAME, sel->name);
	else
		NLA_PUT_U32(msg, LPAR_FOLD_A_PART_ID, sel->id);
	return msg;

nla_put_failure:
	nlmsg_free(msg);
	return NULL;
}

static int finish(struct lnl_sock *nl, int err)
{
	if (!err)
		err = jp_flush();
	else
		lnl_perror(nl, err);
	lnl_close(nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_set(int argc, char **argv, const char *cmd, uint8_t on)
{
	struct lparctl_sel sel = {};
	struct lnl_sock nl;
	struct nl_msg *msg;
	char *pos[2];
	int n, err;

	n = lparctl_parse_args(cmd, argc, argv, NULL, pos, 2);
	if (n < 0 || lparctl_parse_sel(cmd, pos, n, &sel))
		return EXIT_USAGE;
	if (fold_open(&nl))
		return EXIT_FAILURE;
	msg = sel_msg(&nl, LPAR_FOLD_CMD_PART_SET, &sel);
	if (!msg) {
		err = -ENOMEM;
	} else {
		nla_put_u8(msg, LPAR_FOLD_A_PART_ENABLED, on);
		err = lnl_request(&nl, msg, print_part, NULL);
	}
	return finish(&nl, err);
}

static int cmd_enable(int argc, char **argv)
{
	return cmd_set(argc, argv, "enable", 1);
}

static int cmd_disable(int argc, char **argv)
{
	return cmd_set(argc, argv, "disable", 0);
}

static int cmd_show(int argc, char **argv)
{
	struct lparctl_sel sel = {};
	struct lnl_sock nl;
	struct nl_msg *msg;
	char *pos[2];
	int n, err;

	n = lparctl_parse_args("show", argc, argv, NULL, pos, 2);
	if (n < 0 || (n && lparctl_parse_sel("show", pos, n, &sel)))
		return EXIT_USAGE;
	if (fold_open(&nl))
		return EXIT_FAILURE;
	jp_open_array(NULL);
	if (!n) {
		err = lnl_dump(&nl, LPAR_FOLD_CMD_PART_GET, print_part, NULL);
	} else {
		msg = sel_msg(&nl, LPAR_FOLD_CMD_PART_GET, &sel);
		err = msg ? lnl_request(&nl, msg, print_part, NULL) : -ENOMEM;
	}
	jp_close_array();
	return finish(&nl, err);
}

static int cmd_status(int argc, char **argv)
{
	struct lnl_sock nl;
	struct nl_msg *msg;
	int err;

	if (lparctl_parse_args("status", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	if (fold_open(&nl))
		return EXIT_FAILURE;
	msg = lnl_msg_new(&nl, LPAR_FOLD_CMD_STATUS_GET, 0);
	err = msg ? lnl_request(&nl, msg, print_status, NULL) : -ENOMEM;
	return finish(&nl, err);
}

/* ---- agent ---- */

/* What the agent did to one partition's cgroup, to undo it when it stops. */
struct agent_part {
	char name[LPAR_FOLD_NAME_MAX_LEN + 1];
	char dir[PATH_MAX];
	char cpus[LPAR_FOLD_NAME_MAX_LEN + 4096];
	bool narrowed;
};

/*
 * While the initial dump is read, the request socket is busy: the
 * acknowledgments of what it brought wait in @seq until it is done.
 */
struct agent {
	struct lnl_sock req;		/* acknowledgments; events come on another */
	const char *root;
	struct agent_part part[AGENT_MAX_PARTS];
	uint64_t seq[AGENT_MAX_PARTS];	/* pending acknowledgment, + 1; 0: none */
	unsigned int nr;
	bool in_dump;
	uint64_t applied, failed;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_cpus(const char *dir, const char *cpus)
{
	char path[PATH_MAX + 16], buf[4200];
	int fd, len, ret = 0;

	len = snprintf(buf, sizeof(buf), "%s\n", cpus);
	if (len >= (int)sizeof(buf))
		return -E2BIG;
	snprintf(path, sizeof(path), "%s/cpuset.cpus", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static struct agent_part *agent_part(struct agent *ag, const char *name)
{
	unsigned int i;

	for (i = 0; i < ag->nr; i++)
		if (!strcmp(ag->part[i].name, name))
			return &ag->part[i];
	if (ag->nr == AGENT_MAX_PARTS)
		return NULL;
	snprintf(ag->part[ag->nr].name, sizeof(ag->part[0].name), "%s", name);
	return &ag->part[ag->nr++];
}

static void agent_ack(struct agent *ag, const char *name, uint64_t seq)
{
	struct lparctl_sel sel = { .name = name };
	struct nl_msg *msg = sel_msg(&ag->req, LPAR_FOLD_CMD_PART_APPLIED, &sel);
	int err;

	if (!msg)
		return;
	nla_put_u64(msg, LPAR_FOLD_A_PART_SEQ, seq);
	err = lnl_request(&ag->req, msg, NULL, NULL);
	if (err)
		lnl_perror(&ag->req, err);
}

/* Applies one partition's announced state; @event names it in the log. */
static int agent_apply(struct nl_msg *msg, struct agent *ag, const char *event)
{
	struct nlattr *tb[LPAR_FOLD_A_PART_MAX + 1];
	const char *cg, *unfolded, *cpus;
	struct agent_part *ap;
	uint64_t t0, t1;
	int err;

	err = lnl_parse(msg, tb, LPAR_FOLD_A_PART_MAX, fold_part_policy);
	if (err)
		return 0;
	if (get_u32(tb[LPAR_FOLD_A_PART_MECHANISM]) != LPAR_FOLD_MECHANISM_CPUSET)
		return 0;
	cg = get_str(tb[LPAR_FOLD_A_PART_CGROUP_PATH]);
	unfolded = get_str(tb[LPAR_FOLD_A_PART_UNFOLDED]);
	cpus = get_str(tb[LPAR_FOLD_A_PART_CPUS]);
	if (!*cg || !strcmp(cg, "/") || !*unfolded)
		return 0;
	ap = agent_part(ag, get_str(tb[LPAR_FOLD_A_PART_NAME]));
	if (!ap)
		return 0;
	snprintf(ap->dir, sizeof(ap->dir), "%s%s", ag->root, cg);
	snprintf(ap->cpus, sizeof(ap->cpus), "%s", cpus);
	t0 = now_ns();
	err = write_cpus(ap->dir, unfolded);
	t1 = now_ns();
	if (err) {
		ag->failed++;
		warnx("%s: cpuset.cpus %s: %s", ap->dir, unfolded, strerror(-err));
		return 0;
	}
	ap->narrowed = strcmp(unfolded, cpus);
	ag->applied++;
	if (ag->in_dump)
		ag->seq[ap - ag->part] = get_u64(tb[LPAR_FOLD_A_PART_SEQ]) + 1;
	else
		agent_ack(ag, ap->name, get_u64(tb[LPAR_FOLD_A_PART_SEQ]));
	jp_open_object(NULL);
	jp_string("event", "[%s] ", event);
	jp_string("name", "%s", ap->name);
	jp_string("kind", " %s", name_of(kind_names, ARRAY_SIZE(kind_names),
					 get_u32(tb[LPAR_FOLD_A_PART_KIND])));
	jp_u64("seq", " seq %" PRIu64, get_u64(tb[LPAR_FOLD_A_PART_SEQ]));
	jp_string("cpuset", " cpuset.cpus %s", unfolded);
	jp_u64("write_us", " write %" PRIu64 " us", (t1 - t0) / 1000);
	if (tb[LPAR_FOLD_A_PART_TIME_NS] && t1 > get_u64(tb[LPAR_FOLD_A_PART_TIME_NS]))
		jp_u64("since_decision_us", " since decision %" PRIu64 " us",
		       (t1 - get_u64(tb[LPAR_FOLD_A_PART_TIME_NS])) / 1000);
	jp_text("\n");
	jp_close_object();
	jp_flush();
	return 0;
}

static int agent_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct agent *ag = arg;

	if (nlh->nlmsg_type != ag->req.family ||
	    ((struct genlmsghdr *)nlmsg_data(nlh))->cmd != LPAR_FOLD_CMD_PART_CHANGE_NTF)
		return 0;
	return agent_apply(msg, ag, "change");
}

static int agent_sync(struct nl_msg *msg, void *arg)
{
	return agent_apply(msg, arg, "sync");
}

static void agent_restore(struct agent *ag)
{
	unsigned int i;

	for (i = 0; i < ag->nr; i++) {
		struct agent_part *ap = &ag->part[i];
		int err;

		if (!ap->narrowed)
			continue;
		err = write_cpus(ap->dir, ap->cpus);
		if (err)
			warnx("%s: restoring cpuset.cpus %s: %s", ap->dir, ap->cpus,
			      strerror(-err));
		else
			ap->narrowed = false;
	}
}

static int cmd_agent(int argc, char **argv)
{
	const char *root = CGROUP2_ROOT;
	const struct lparctl_opt opts[] = {
		{ "cgroup-root", &root },
		{ NULL, NULL },
	};
	struct lnl_sock ev;
	struct agent *ag;
	int err;

	if (lparctl_parse_args("agent", argc, argv, opts, NULL, 0) < 0)
		return EXIT_USAGE;
	ag = calloc(1, sizeof(*ag));
	if (!ag)
		errx(EXIT_FAILURE, "agent: out of memory");
	ag->root = root;
	if (fold_open(&ev)) {
		free(ag);
		return EXIT_FAILURE;
	}
	if (fold_open(&ag->req)) {
		lnl_close(&ev);
		free(ag);
		return EXIT_FAILURE;
	}
	/* Subscribe first, then catch up: no change falls in between. */
	err = lnl_subscribe(&ev, LPAR_FOLD_MCGRP_EVENTS);
	if (!err) {
		unsigned int i;

		ag->in_dump = true;
		err = lnl_dump(&ag->req, LPAR_FOLD_CMD_PART_GET, agent_sync, ag);
		ag->in_dump = false;
		for (i = 0; i < ag->nr; i++)
			if (ag->seq[i])
				agent_ack(ag, ag->part[i].name, ag->seq[i] - 1);
	}
	if (!err)
		err = lnl_listen(&ev, agent_event, ag);
	if (err)
		lnl_perror(&ev, err);
	agent_restore(ag);
	if (!jp_is_json())
		fprintf(stderr, "lparctl: fold agent: %" PRIu64 " changes applied, %" PRIu64
			" failed\n", ag->applied, ag->failed);
	lnl_close(&ag->req);
	lnl_close(&ev);
	free(ag);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ---- dispatch ---- */

static const struct lparctl_cmd fold_cmds[] = {
	{
		"enable", cmd_enable, "{ NAME | id ID }",
		"Turn folding on for a partition: its cores are folded and packed into\n"
		"the fewest sockets as its load allows.\n",
	},
	{
		"disable", cmd_disable, "{ NAME | id ID }",
		"Turn folding off for a partition; every CPU of it is unfolded at once.\n",
	},
	{
		"show", cmd_show, "[ NAME | id ID ]",
		"Show the folding state of one partition or of all of them.\n",
	},
	{
		"status", cmd_status, "",
		"Show the module's state and the modeled power and energy per socket.\n",
	},
	{
		"agent", cmd_agent, "[--cgroup-root DIR]",
		"Apply the module's changes to the partitions' cpuset.cpus (cpuset\n"
		"mechanism) until interrupted, then widen every cgroup again.\n"
		"  --cgroup-root DIR  where cgroup v2 is mounted (default " CGROUP2_ROOT ")\n",
	},
};

const struct lparctl_object lparctl_fold = {
	.name = "fold",
	.cmds = fold_cmds,
	.n_cmds = ARRAY_SIZE(fold_cmds),
	.bare = cmd_show,
	.events = &fold_events,
};
