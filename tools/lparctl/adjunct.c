// SPDX-License-Identifier: GPL-2.0
/*
 * Adjunct commands (add, del, swap, show, list, monitor) over the
 * "lpar_adjunct" generic netlink family. The kernel attaches an adjunct's
 * thread to the cgroup of a task of the partition (vhost's model: the
 * owner's cgroups), so add runs the request from inside the partition's
 * cgroup: lparctl joins it for the one request and goes back where it was.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/lpar.h>
#include <linux/lpar_adjunct.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lib/size.h"
#include "lparctl.h"

#define ADJ_MODULE	"lpar_adjunct.ko"
#define CGROUP2_ROOT	"/sys/fs/cgroup"

static struct nla_policy adj_policy[LPAR_ADJ_A_MAX + 1] = {
	[LPAR_ADJ_A_PART_ID]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_PART_NAME]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_VF]			= { .type = NLA_STRING },
	[LPAR_ADJ_A_STANDBY]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_MODE]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_QUEUE_LEN]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_IFNAME]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_IFINDEX]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_VF_PCI]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_VF_IFNAME]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_MAC]		= { .minlen = 6 },
	[LPAR_ADJ_A_MTU]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_CARRIER]		= { .type = NLA_U8 },
	[LPAR_ADJ_A_ACTIVE]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_PID]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_CPUS]		= { .type = NLA_STRING },
	[LPAR_ADJ_A_CHARGED]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_RX_PACKETS]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_RX_BYTES]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_TX_PACKETS]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_TX_BYTES]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_RX_DROPS]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_TX_DROPS]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_QUEUE_FULL]		= { .type = NLA_U64 },
	[LPAR_ADJ_A_SWAPS]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_FALLBACKS]		= { .type = NLA_U32 },
	[LPAR_ADJ_A_CARRIER_CHANGES]	= { .type = NLA_U32 },
	[LPAR_ADJ_A_LAST_SWAP_NS]	= { .type = NLA_U64 },
};

static const char *const mode_names[] = {
	[LPAR_ADJUNCT_MODE_DIRECT]	= "direct",
	[LPAR_ADJUNCT_MODE_MEDIATED]	= "mediated",
};

static const char *const lower_names[] = {
	[LPAR_ADJUNCT_LOWER_NONE]	= "none",
	[LPAR_ADJUNCT_LOWER_VF]		= "vf",
	[LPAR_ADJUNCT_LOWER_STANDBY]	= "standby",
};

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/* The attributes of a request; absent ones NULL or 0. */
struct adj_req {
	const char *part;
	const char *vf;
	const char *standby;
	int mode;		/* -1: not given */
	uint32_t queue_len;	/* 0: not given */
};

/* ---- printing ---- */

static void print_u64_if(struct nlattr **tb, int attr, const char *key, const char *fmt)
{
	if (tb[attr])
		jp_u64(key, fmt, nla_get_u64(tb[attr]));
}

static void print_u32_if(struct nlattr **tb, int attr, const char *key, const char *fmt)
{
	if (tb[attr])
		jp_u32(key, fmt, nla_get_u32(tb[attr]));
}

static void print_str_if(struct nlattr **tb, int attr, const char *key, const char *fmt)
{
	if (tb[attr])
		jp_string(key, fmt, nla_get_string(tb[attr]));
}

/*
 * One adjunct: one line (list, monitor) or a block (show, @detail); in
 * JSON always an object with every field the kernel sent.
 */
static void adj_print(struct nlattr **tb, bool detail, const char *event)
{
	const char *sep = detail ? "\n\t" : "  ";
	char buf[SIZE_STR_MAX];

	jp_open_object(NULL);
	if (event)
		jp_string("event", "[%s] ", event);
	print_str_if(tb, LPAR_ADJ_A_PART_NAME, "part", "%s: ");
	print_u32_if(tb, LPAR_ADJ_A_PART_ID, "part_id", NULL);
	print_str_if(tb, LPAR_ADJ_A_IFNAME, "ifname", "%s");
	print_u32_if(tb, LPAR_ADJ_A_IFINDEX, "ifindex", NULL);
	if (tb[LPAR_ADJ_A_MAC] && nla_len(tb[LPAR_ADJ_A_MAC]) == 6) {
		const uint8_t *m = nla_data(tb[LPAR_ADJ_A_MAC]);
		char mac[18];

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		jp_string("mac", " mac %s", mac);
	}
	print_u32_if(tb, LPAR_ADJ_A_MTU, "mtu", " mtu %u");
	if (tb[LPAR_ADJ_A_CARRIER]) {
		jp_string("carrier", " carrier %s",
			  nla_get_u8(tb[LPAR_ADJ_A_CARRIER]) ? "up" : "down");
	}
	if (tb[LPAR_ADJ_A_MODE])
		jp_string("mode", " mode %s", name_of(mode_names, ARRAY_SIZE(mode_names),
						      nla_get_u32(tb[LPAR_ADJ_A_MODE])));
	jp_text("%s", sep);
	print_str_if(tb, LPAR_ADJ_A_VF_PCI, "vf_pci", "vf %s");
	print_str_if(tb, LPAR_ADJ_A_VF_IFNAME, "vf_ifname", " (%s)");
	if (!tb[LPAR_ADJ_A_VF_PCI])
		jp_text("vf none");
	print_str_if(tb, LPAR_ADJ_A_STANDBY, "standby", " standby %s");
	if (tb[LPAR_ADJ_A_ACTIVE])
		jp_string("active", " active %s",
			  name_of(lower_names, ARRAY_SIZE(lower_names),
				  nla_get_u32(tb[LPAR_ADJ_A_ACTIVE])));
	if (detail)
		jp_text("%s", sep);
	print_u32_if(tb, LPAR_ADJ_A_PID, "pid", detail ? "thread pid %u" : NULL);
	print_str_if(tb, LPAR_ADJ_A_CPUS, "cpus", detail ? " cpus %s" : NULL);
	print_u32_if(tb, LPAR_ADJ_A_QUEUE_LEN, "queue_len", detail ? " queue_len %u" : NULL);
	if (tb[LPAR_ADJ_A_CHARGED]) {
		uint64_t c = nla_get_u64(tb[LPAR_ADJ_A_CHARGED]);

		if (jp_is_json())
			jp_u64("charged", NULL, c);
		else if (detail)
			jp_string("charged", " charged %s", size_format(buf, sizeof(buf), c));
	}
	if (detail)
		jp_text("%s", sep);
	print_u64_if(tb, LPAR_ADJ_A_RX_PACKETS, "rx_packets",
		     detail ? "rx packets %" PRIu64 : NULL);
	print_u64_if(tb, LPAR_ADJ_A_RX_BYTES, "rx_bytes", detail ? " bytes %" PRIu64 : NULL);
	print_u64_if(tb, LPAR_ADJ_A_RX_DROPS, "rx_drops", detail ? " drops %" PRIu64 : NULL);
	if (detail)
		jp_text("%s", sep);
	print_u64_if(tb, LPAR_ADJ_A_TX_PACKETS, "tx_packets",
		     detail ? "tx packets %" PRIu64 : NULL);
	print_u64_if(tb, LPAR_ADJ_A_TX_BYTES, "tx_bytes", detail ? " bytes %" PRIu64 : NULL);
	print_u64_if(tb, LPAR_ADJ_A_TX_DROPS, "tx_drops", detail ? " drops %" PRIu64 : NULL);
	print_u64_if(tb, LPAR_ADJ_A_QUEUE_FULL, "queue_full",
		     detail ? " queue_full %" PRIu64 : NULL);
	if (detail)
		jp_text("%s", sep);
	print_u32_if(tb, LPAR_ADJ_A_SWAPS, "swaps", detail ? "swaps %u" : NULL);
	print_u32_if(tb, LPAR_ADJ_A_FALLBACKS, "fallbacks", detail ? " fallbacks %u" : NULL);
	print_u32_if(tb, LPAR_ADJ_A_CARRIER_CHANGES, "carrier_changes",
		     detail ? " carrier_changes %u" : NULL);
	print_u64_if(tb, LPAR_ADJ_A_LAST_SWAP_NS, "last_swap_ns",
		     detail ? " last_swap_ns %" PRIu64 : NULL);
	jp_text("\n");
	jp_close_object();
}

static int print_detail(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_ADJ_A_MAX + 1];
	int err = lnl_parse(msg, tb, LPAR_ADJ_A_MAX, adj_policy);

	if (!err)
		adj_print(tb, *(bool *)arg, NULL);
	return err;
}

/* ---- requests ---- */

static int adj_open(struct lnl_sock *nl)
{
	int err = lnl_open(nl, LPAR_ADJUNCT_FAMILY_NAME, LPAR_ADJUNCT_FAMILY_VERSION,
			   ADJ_MODULE);

	if (err)
		lnl_perror(nl, err);
	return err;
}

static int adj_request(struct lnl_sock *nl, uint8_t cmd, const struct adj_req *req,
		       lnl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	NLA_PUT_STRING(msg, LPAR_ADJ_A_PART_NAME, req->part);
	if (req->vf)
		NLA_PUT_STRING(msg, LPAR_ADJ_A_VF, req->vf);
	if (req->standby)
		NLA_PUT_STRING(msg, LPAR_ADJ_A_STANDBY, req->standby);
	if (req->mode >= 0)
		NLA_PUT_U32(msg, LPAR_ADJ_A_MODE, req->mode);
	if (req->queue_len)
		NLA_PUT_U32(msg, LPAR_ADJ_A_QUEUE_LEN, req->queue_len);
	return lnl_request(nl, msg, fn, arg);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- joining the partition's cgroup for add ---- */

static int collect_cgroup(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_A_PART_MAX + 1];
	struct nla_policy pol[LPAR_A_PART_MAX + 1] = {
		[LPAR_A_PART_CGROUP_PATH] = { .type = NLA_STRING },
	};
	char *path = arg;
	int err = lnl_parse(msg, tb, LPAR_A_PART_MAX, pol);

	if (!err && tb[LPAR_A_PART_CGROUP_PATH])
		snprintf(path, PATH_MAX, "%s", nla_get_string(tb[LPAR_A_PART_CGROUP_PATH]));
	return err;
}

/* The partition's cgroup path relative to the cgroup2 root, "" if none. */
static int part_cgroup(const char *part, char *path)
{
	struct lnl_sock nl;
	struct nl_msg *msg;
	int err;

	*path = '\0';
	err = lnl_open(&nl, LPAR_FAMILY_NAME, LPAR_FAMILY_VERSION, "lpar.ko");
	if (err)
		goto out;
	err = -ENOMEM;
	msg = lnl_msg_new(&nl, LPAR_CMD_PART_GET, 0);
	if (!msg)
		goto out;
	if (nla_put_string(msg, LPAR_A_PART_NAME, part)) {
		nlmsg_free(msg);
		goto out;
	}
	err = lnl_request(&nl, msg, collect_cgroup, path);
out:
	/* An unknown partition is for the adjunct request to report. */
	lnl_close(&nl);
	return err;
}

static int cg_join(const char *rel)
{
	char file[PATH_MAX];
	int fd, ret = 0;

	snprintf(file, sizeof(file), CGROUP2_ROOT "%s%s/cgroup.procs",
		 *rel == '/' ? "" : "/", rel);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "0\n", 2) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Our own cgroup (v2) path, from /proc/self/cgroup ("0::/path"). */
static int self_cgroup(char *path)
{
	char line[PATH_MAX + 8];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		ret = snprintf(path, PATH_MAX, "%.*s", PATH_MAX - 1, line + 3) < PATH_MAX ?
		      0 : -ENAMETOOLONG;
		break;
	}
	fclose(f);
	return ret;
}

/* ---- commands ---- */

static int parse_mode(const char *cmd, const char *s, struct adj_req *req)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mode_names); i++) {
		if (!strcmp(s, mode_names[i])) {
			req->mode = i;
			return 0;
		}
	}
	return lparctl_usage_error(cmd, "invalid mode '%s' (direct or mediated)", s);
}

static int parse_queue_len(const char *cmd, const char *s, struct adj_req *req)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v < 16 || v > 16384)
		return lparctl_usage_error(cmd, "invalid queue length '%s' (16 to 16384)", s);
	req->queue_len = v;
	return 0;
}

static int cmd_add(int argc, char **argv)
{
	const char *vf = NULL, *standby = NULL, *mode = NULL, *qlen = NULL;
	const struct lparctl_opt opts[] = {
		{ "vf", &vf },
		{ "standby", &standby },
		{ "mode", &mode },
		{ "queue-len", &qlen },
		{ NULL, NULL },
	};
	struct adj_req req = { .mode = -1 };
	char cg[PATH_MAX], home[PATH_MAX];
	bool joined = false;
	bool detail = true;
	struct lnl_sock nl;
	char *pos[1];
	int n, err;

	n = lparctl_parse_args("add", argc, argv, opts, pos, 1);
	if (n < 0)
		return EXIT_USAGE;
	if (!n)
		return lparctl_usage_error("add", "missing partition NAME");
	if (!vf || !*vf)
		return lparctl_usage_error("add", "missing --vf PCI_ADDRESS|IFNAME");
	if (mode && parse_mode("add", mode, &req))
		return EXIT_USAGE;
	if (qlen && parse_queue_len("add", qlen, &req))
		return EXIT_USAGE;
	req.part = pos[0];
	req.vf = vf;
	req.standby = standby;

	if (adj_open(&nl))
		return EXIT_FAILURE;
	/* Join the partition's cgroup for the request (see the top). */
	if (!part_cgroup(req.part, cg) && *cg && !self_cgroup(home)) {
		err = cg_join(cg);
		if (err)
			warnx("warning: cannot join cgroup %s (%s); the kernel looks for a member",
			      cg, strerror(-err));
		joined = !err;
	}
	err = adj_request(&nl, LPAR_ADJ_CMD_ADD, &req, print_detail, &detail);
	if (joined && cg_join(home))
		warnx("warning: cannot go back to cgroup %s", home);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_simple(const char *cmd, uint8_t nlcmd, bool need_vf, int argc, char **argv)
{
	const char *vf = NULL;
	const struct lparctl_opt opts[] = {
		{ "vf", &vf },
		{ NULL, NULL },
	};
	struct adj_req req = { .mode = -1 };
	bool detail = true;
	struct lnl_sock nl;
	char *pos[1];
	int n, err;

	n = lparctl_parse_args(cmd, argc, argv, need_vf ? opts : NULL, pos, 1);
	if (n < 0)
		return EXIT_USAGE;
	if (!n)
		return lparctl_usage_error(cmd, "missing partition NAME");
	if (need_vf && (!vf || !*vf))
		return lparctl_usage_error(cmd, "missing --vf PCI_ADDRESS|IFNAME");
	req.part = pos[0];
	req.vf = vf;
	if (adj_open(&nl))
		return EXIT_FAILURE;
	err = adj_request(&nl, nlcmd, &req, nlcmd == LPAR_ADJ_CMD_DEL ? NULL : print_detail,
			  &detail);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_del(int argc, char **argv)
{
	return cmd_simple("del", LPAR_ADJ_CMD_DEL, false, argc, argv);
}

static int cmd_swap(int argc, char **argv)
{
	return cmd_simple("swap", LPAR_ADJ_CMD_SWAP, true, argc, argv);
}

static int cmd_show(int argc, char **argv)
{
	return cmd_simple("show", LPAR_ADJ_CMD_GET, false, argc, argv);
}

static int cmd_list(int argc, char **argv)
{
	struct lnl_sock nl;
	bool detail = false;
	int err;

	if (lparctl_parse_args("list", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	if (adj_open(&nl))
		return EXIT_FAILURE;
	jp_open_array(NULL);
	err = lnl_dump(&nl, LPAR_ADJ_CMD_GET, print_detail, &detail);
	jp_close_array();
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Prints one event of the lpar_adjunct family, for `lparctl monitor`. */
static int adjunct_event(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[LPAR_ADJ_A_MAX + 1];
	const char *event;

	switch (((struct genlmsghdr *)nlmsg_data(nlh))->cmd) {
	case LPAR_ADJ_CMD_ADD_NTF:
		event = "add";
		break;
	case LPAR_ADJ_CMD_DEL_NTF:
		event = "del";
		break;
	case LPAR_ADJ_CMD_SWAP_NTF:
		event = "swap";
		break;
	case LPAR_ADJ_CMD_CARRIER_NTF:
		event = "carrier";
		break;
	default:
		return 0;
	}
	if (lnl_parse(msg, tb, LPAR_ADJ_A_MAX, adj_policy)) {
		warnx("warning: malformed %s event", event);
		return 0;
	}
	adj_print(tb, false, event);
	return 0;
}

static const struct lparctl_events adjunct_events = {
	.family = LPAR_ADJUNCT_FAMILY_NAME,
	.version = LPAR_ADJUNCT_FAMILY_VERSION,
	.module = ADJ_MODULE,
	.mcgrp = LPAR_ADJUNCT_MCGRP_EVENTS,
	.print = adjunct_event,
};

static int cmd_monitor(int argc, char **argv)
{
	if (lparctl_parse_args("monitor", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	return lparctl_monitor_one(&lparctl_adjunct);
}

/* ---- dispatch ---- */

static const struct lparctl_cmd adj_cmds[] = {
	{
		"add", cmd_add,
		"PART --vf PCI_ADDR|IFNAME [--standby IFNAME] [--mode direct|mediated]\n"
		"                      [--queue-len N]",
		"Give partition PART an adjunct owning the VF: a kthread adj/PART on the\n"
		"partition's CPUs and in its cgroup, and an interface lpvioN in its netns\n"
		"with the VF's MAC address and MTU.\n"
		"  --vf        PCI address (0000:01:10.0) or interface name of the VF\n"
		"  --standby   interface that carries traffic while the VF is gone or down\n"
		"  --mode      direct (default): no queueing; mediated: the kthread moves\n"
		"              every packet\n"
		"  --queue-len packets per direction queued in mediated mode (16-16384)\n",
	},
	{
		"del", cmd_del, "PART",
		"Delete the partition's adjunct; the VF is given back as it was found.\n",
	},
	{
		"swap", cmd_swap, "PART --vf PCI_ADDR|IFNAME",
		"Move the adjunct to another VF with the interface kept up and its MAC\n"
		"address carried over (set on the new VF through the PF).\n",
	},
	{
		"show", cmd_show, "PART",
		"Show the adjunct of a partition with its counters.\n",
	},
	{
		"list", cmd_list, "",
		"List all adjuncts, one per line.\n",
	},
	{
		"monitor", cmd_monitor, "",
		"Print adjunct events (add, del, swap, carrier) until interrupted.\n",
	},
};

const struct lparctl_object lparctl_adjunct = {
	.name = "adjunct",
	.cmds = adj_cmds,
	.n_cmds = ARRAY_SIZE(adj_cmds),
	.bare = cmd_list,
	.events = &adjunct_events,
};
