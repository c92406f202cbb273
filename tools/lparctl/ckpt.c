// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpointed regions (lparctl ckpt ...) over the "lpar_ckpt" generic
 * netlink family: create, delete, list, show (epoch, dirty pages, log
 * fill, guard-band count), start/stop periodic checkpoints, take one now,
 * follow events, and attach a replica, which runs the replication daemon
 * lpar-ckpt-replicate on the region's node. The data path (mapping a
 * region, consuming its log) is the daemon's and the ioctl ABI's.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/lpar_ckpt.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lib/size.h"
#include "lparctl.h"

#define CKPT_MODULE	"lpar_vmckpt.ko"
#define REPLICATOR	"lpar-ckpt-replicate"

static struct nla_policy region_policy[LPAR_CKPT_A_REGION_MAX + 1] = {
	[LPAR_CKPT_A_REGION_ID]			= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_NAME]		= { .type = NLA_STRING },
	[LPAR_CKPT_A_REGION_PART_ID]		= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_PART_NAME]		= { .type = NLA_STRING },
	[LPAR_CKPT_A_REGION_SIZE]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_RING_ENTRIES]	= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_GUARD]		= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_INTERVAL_MS]	= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_EPOCH]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_ACKED]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_HEAD]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_TAIL]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_DIRTY_PAGES]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_FALLBACK_PAGES]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_GUARD_EVENTS]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_BAD_TAILS]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_LINES_LOGGED]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_PAGES_LOGGED]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_FALLBACK_LOGGED]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_CHECKPOINTS]	= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_LAST_NS]		= { .type = NLA_U64 },
	[LPAR_CKPT_A_REGION_CONSUMER]		= { .type = NLA_U32 },
	[LPAR_CKPT_A_REGION_DEV]		= { .type = NLA_STRING },
};

/* How a command names its region: "PART NAME" or "id ID". */
struct region_sel {
	const char *part;
	const char *name;
	uint32_t id;
};

static uint64_t get_u64(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

/* One region: one line (list, monitor) or the detail (show). */
static void region_print(struct nlattr **tb, bool detail, const char *event)
{
	const char *sep = detail ? "\n\t" : "  ";
	uint64_t head = get_u64(tb, LPAR_CKPT_A_REGION_HEAD);
	uint64_t tail = get_u64(tb, LPAR_CKPT_A_REGION_TAIL);
	uint32_t nr = get_u32(tb, LPAR_CKPT_A_REGION_RING_ENTRIES);
	char buf[SIZE_STR_MAX];

	jp_open_object(NULL);
	if (event)
		jp_string("event", "[%s] ", event);
	jp_u32("id", "%u: ", get_u32(tb, LPAR_CKPT_A_REGION_ID));
	if (tb[LPAR_CKPT_A_REGION_PART_NAME])
		jp_string("part", "%s/", nla_get_string(tb[LPAR_CKPT_A_REGION_PART_NAME]));
	if (tb[LPAR_CKPT_A_REGION_NAME])
		jp_string("name", "%s", nla_get_string(tb[LPAR_CKPT_A_REGION_NAME]));
	if (jp_is_json())
		jp_u64("size", NULL, get_u64(tb, LPAR_CKPT_A_REGION_SIZE));
	else
		jp_string("size", " size %s",
			  size_format(buf, sizeof(buf), get_u64(tb, LPAR_CKPT_A_REGION_SIZE)));
	jp_text("%s", sep);
	jp_u64("epoch", "epoch %" PRIu64, get_u64(tb, LPAR_CKPT_A_REGION_EPOCH));
	jp_u64("acked", " acked %" PRIu64, get_u64(tb, LPAR_CKPT_A_REGION_ACKED));
	jp_u32("interval_ms", detail ? " interval %ums" : NULL,
	       get_u32(tb, LPAR_CKPT_A_REGION_INTERVAL_MS));
	jp_u64("dirty_pages", " dirty %" PRIu64, get_u64(tb, LPAR_CKPT_A_REGION_DIRTY_PAGES));
	jp_text("%s", sep);
	jp_u64("log_used", "log %" PRIu64, head - tail);
	jp_u32("ring_entries", "/%u", nr);
	jp_u32("guard", " guard %u", get_u32(tb, LPAR_CKPT_A_REGION_GUARD));
	jp_u64("guard_events", " overflows %" PRIu64,
	       get_u64(tb, LPAR_CKPT_A_REGION_GUARD_EVENTS));
	jp_u64("fallback_pages", " fallback %" PRIu64,
	       get_u64(tb, LPAR_CKPT_A_REGION_FALLBACK_PAGES));
	if (detail || jp_is_json()) {
		jp_text("%s", sep);
		jp_u64("head", "head %" PRIu64, head);
		jp_u64("tail", " tail %" PRIu64, tail);
		jp_u64("bad_tails", " bad_tails %" PRIu64,
		       get_u64(tb, LPAR_CKPT_A_REGION_BAD_TAILS));
		jp_u32("consumer", " consumer %u", get_u32(tb, LPAR_CKPT_A_REGION_CONSUMER));
		jp_text("%s", sep);
		jp_u64("checkpoints", "checkpoints %" PRIu64,
		       get_u64(tb, LPAR_CKPT_A_REGION_CHECKPOINTS));
		jp_u64("last_ns", " last %" PRIu64 "ns", get_u64(tb, LPAR_CKPT_A_REGION_LAST_NS));
		jp_u64("lines_logged", " lines %" PRIu64,
		       get_u64(tb, LPAR_CKPT_A_REGION_LINES_LOGGED));
		jp_u64("pages_logged", " line_entries %" PRIu64,
		       get_u64(tb, LPAR_CKPT_A_REGION_PAGES_LOGGED));
		jp_u64("fallback_logged", " fallback_logged %" PRIu64,
		       get_u64(tb, LPAR_CKPT_A_REGION_FALLBACK_LOGGED));
		if (tb[LPAR_CKPT_A_REGION_DEV]) {
			jp_text("%s", sep);
			jp_string("dev", "dev %s", nla_get_string(tb[LPAR_CKPT_A_REGION_DEV]));
		}
	}
	jp_text("\n");
	jp_close_object();
}

static int ckpt_open(struct lnl_sock *nl)
{
	int err = lnl_open(nl, LPAR_CKPT_FAMILY_NAME, LPAR_CKPT_FAMILY_VERSION, CKPT_MODULE);

	if (err)
		lnl_perror(nl, err);
	return err;
}

static int print_detail(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_CKPT_A_REGION_MAX + 1];
	int err = lnl_parse(msg, tb, LPAR_CKPT_A_REGION_MAX, region_policy);

	if (!err)
		region_print(tb, *(bool *)arg, NULL);
	return err;
}

struct region_req {
	struct region_sel sel;
	const char *part;	/* create */
	uint64_t size;
	uint32_t ring, guard, interval;
};

static int region_request(struct lnl_sock *nl, uint8_t cmd, const struct region_req *req,
			  lnl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (req->sel.name)
		NLA_PUT_STRING(msg, LPAR_CKPT_A_REGION_NAME, req->sel.name);
	if (req->sel.part)
		NLA_PUT_STRING(msg, LPAR_CKPT_A_REGION_PART_NAME, req->sel.part);
	if (req->sel.id)
		NLA_PUT_U32(msg, LPAR_CKPT_A_REGION_ID, req->sel.id);
	if (req->size)
		NLA_PUT_U64(msg, LPAR_CKPT_A_REGION_SIZE, req->size);
	if (req->ring)
		NLA_PUT_U32(msg, LPAR_CKPT_A_REGION_RING_ENTRIES, req->ring);
	if (req->guard)
		NLA_PUT_U32(msg, LPAR_CKPT_A_REGION_GUARD, req->guard);
	if (req->interval)
		NLA_PUT_U32(msg, LPAR_CKPT_A_REGION_INTERVAL_MS, req->interval);
	return lnl_request(nl, msg, fn, arg);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int parse_u32(const char *cmd, const char *what, const char *str, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(str, &end, 10);
	if (!isdigit((unsigned char)*str) || *end || errno || v > UINT32_MAX)
		return lparctl_usage_error(cmd, "invalid %s '%s'", what, str);
	*out = v;
	return 0;
}

static int parse_sel(const char *cmd, char **pos, int npos, struct region_sel *sel)
{
	if (npos == 2 && !strcmp(pos[0], "id")) {
		if (parse_u32(cmd, "region id", pos[1], &sel->id))
			return EXIT_USAGE;
		if (!sel->id)
			return lparctl_usage_error(cmd, "invalid region id '0'");
		return 0;
	}
	if (npos == 2) {
		sel->part = pos[0];
		sel->name = pos[1];
		return 0;
	}
	return lparctl_usage_error(cmd, "name the region as PARTITION NAME or id ID");
}

/* One do-request naming a region, with the reply printed in detail. */
static int simple(const char *cmd, uint8_t nlcmd, int argc, char **argv,
		  const struct lparctl_opt *opts, struct region_req *req,
		  const char *const *interval)
{
	bool detail = true;
	struct lnl_sock nl;
	char *pos[3];
	int n, err;

	n = lparctl_parse_args(cmd, argc, argv, opts, pos, 3);
	if (n < 0 || parse_sel(cmd, pos, n, &req->sel))
		return EXIT_USAGE;
	if (interval && *interval &&
	    (parse_u32(cmd, "interval", *interval, &req->interval) || !req->interval ||
	     req->interval > 3600000))
		return lparctl_usage_error(cmd, "--interval must be 1 to 3600000 ms");
	if (ckpt_open(&nl))
		return EXIT_FAILURE;
	err = region_request(&nl, nlcmd, req, nlcmd == LPAR_CKPT_CMD_REGION_DELETE ?
			     NULL : print_detail, &detail);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_create(int argc, char **argv)
{
	const char *size = NULL, *ring = NULL, *guard = NULL;
	const struct lparctl_opt opts[] = {
		{ "size", &size },
		{ "ring", &ring },
		{ "guard", &guard },
		{ NULL, NULL },
	};
	struct region_req req = { 0 };
	bool detail = true;
	struct lnl_sock nl;
	char *pos[2];
	int n, err;

	n = lparctl_parse_args("create", argc, argv, opts, pos, 2);
	if (n < 0)
		return EXIT_USAGE;
	if (n != 2)
		return lparctl_usage_error("create", "give PARTITION NAME");
	if (!size)
		return lparctl_usage_error("create", "--size is required");
	if (size_parse(size, &req.size) || !req.size)
		return lparctl_usage_error("create", "invalid size '%s' (e.g. 64M)", size);
	if ((ring && parse_u32("create", "ring size", ring, &req.ring)) ||
	    (guard && parse_u32("create", "guard band", guard, &req.guard)))
		return EXIT_USAGE;
	req.sel.part = pos[0];
	req.sel.name = pos[1];
	if (ckpt_open(&nl))
		return EXIT_FAILURE;
	err = region_request(&nl, LPAR_CKPT_CMD_REGION_CREATE, &req, print_detail, &detail);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_delete(int argc, char **argv)
{
	struct region_req req = { 0 };

	return simple("delete", LPAR_CKPT_CMD_REGION_DELETE, argc, argv, NULL, &req, NULL);
}

static int cmd_show(int argc, char **argv)
{
	struct region_req req = { 0 };

	return simple("show", LPAR_CKPT_CMD_REGION_GET, argc, argv, NULL, &req, NULL);
}

static int cmd_start(int argc, char **argv)
{
	const char *interval = NULL;
	const struct lparctl_opt opts[] = {
		{ "interval", &interval },
		{ NULL, NULL },
	};
	struct region_req req = { 0 };

	return simple("start", LPAR_CKPT_CMD_REGION_START, argc, argv, opts, &req, &interval);
}

static int cmd_stop(int argc, char **argv)
{
	struct region_req req = { 0 };

	return simple("stop", LPAR_CKPT_CMD_REGION_STOP, argc, argv, NULL, &req, NULL);
}

static int cmd_checkpoint(int argc, char **argv)
{
	struct region_req req = { 0 };

	return simple("checkpoint", LPAR_CKPT_CMD_REGION_CHECKPOINT, argc, argv, NULL, &req, NULL);
}

static int list_one(struct nl_msg *msg, void *arg)
{
	bool detail = false;

	(void)arg;
	return print_detail(msg, &detail);
}

static int cmd_list(int argc, char **argv)
{
	struct lnl_sock nl;
	int err;

	if (lparctl_parse_args("list", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	if (ckpt_open(&nl))
		return EXIT_FAILURE;
	jp_open_array(NULL);
	err = lnl_dump(&nl, LPAR_CKPT_CMD_REGION_GET, list_one, NULL);
	jp_close_array();
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Prints one event of the lpar_ckpt family, for `lparctl monitor`. */
static int ckpt_event(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[LPAR_CKPT_A_REGION_MAX + 1];
	const char *event;

	switch (((struct genlmsghdr *)nlmsg_data(nlh))->cmd) {
	case LPAR_CKPT_CMD_CHECKPOINT_NTF:
		event = "checkpoint";
		break;
	case LPAR_CKPT_CMD_GUARD_NTF:
		event = "guard";
		break;
	default:
		return 0;
	}
	if (lnl_parse(msg, tb, LPAR_CKPT_A_REGION_MAX, region_policy)) {
		warnx("warning: malformed %s event", event);
		return 0;
	}
	region_print(tb, false, event);
	return 0;
}

static const struct lparctl_events ckpt_events = {
	.family = LPAR_CKPT_FAMILY_NAME,
	.version = LPAR_CKPT_FAMILY_VERSION,
	.module = CKPT_MODULE,
	.mcgrp = LPAR_CKPT_MCGRP_EVENTS,
	.print = ckpt_event,
};

static int cmd_monitor(int argc, char **argv)
{
	if (lparctl_parse_args("monitor", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	return lparctl_monitor_one(&lparctl_ckpt);
}

/* Runs the replication daemon on the region's node; found next to lparctl's tree. */
static int cmd_replicate(int argc, char **argv)
{
	const char *progress = NULL;
	const struct lparctl_opt opts[] = {
		{ "progress", &progress },
		{ NULL, NULL },
	};
	char node[PATH_MAX], self[PATH_MAX], path[2 * PATH_MAX], *slash;
	char *pos[3], *args[8];
	ssize_t len;
	int n, a = 0;

	n = lparctl_parse_args("replicate", argc, argv, opts, pos, 3);
	if (n < 0)
		return EXIT_USAGE;
	if (n != 3)
		return lparctl_usage_error("replicate", "give PARTITION NAME REPLICA");
	if (snprintf(node, sizeof(node), "/dev/lpar_ckpt/%s/%s", pos[0], pos[1]) >=
	    (int)sizeof(node))
		return lparctl_usage_error("replicate", "name too long");
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/../ckpt:%s", self, getenv("PATH") ?: "");
			setenv("PATH", path, 1);
		}
	}
	args[a++] = REPLICATOR;
	if (progress) {
		args[a++] = "--progress";
		args[a++] = (char *)progress;
	}
	args[a++] = node;
	args[a++] = pos[2];
	args[a] = NULL;
	execvp(REPLICATOR, args);
	warn("%s", REPLICATOR);
	return EXIT_FAILURE;
}

static const struct lparctl_cmd ckpt_cmds[] = {
	{ "create", cmd_create, "PARTITION NAME --size SIZE [--ring N] [--guard N]",
	  "Create a tracked region charged to PARTITION; its node is\n"
	  "/dev/lpar_ckpt/PARTITION/NAME (QEMU: memory-backend-file mem-path).\n" },
	{ "delete", cmd_delete, "{ PARTITION NAME | id ID }",
	  "Delete a region; open files keep its memory until closed.\n" },
	{ "list", cmd_list, "", "List regions, one per line.\n" },
	{ "show", cmd_show, "{ PARTITION NAME | id ID }",
	  "Status: epoch, acked, dirty pages, log fill, overflows (guard band), counters.\n" },
	{ "start", cmd_start, "{ PARTITION NAME | id ID } [--interval MS]",
	  "Checkpoint every MS ms (default: the module's interval_ms).\n" },
	{ "stop", cmd_stop, "{ PARTITION NAME | id ID }", "Stop periodic checkpoints.\n" },
	{ "checkpoint", cmd_checkpoint, "{ PARTITION NAME | id ID }",
	  "Take a checkpoint now.\n" },
	{ "replicate", cmd_replicate, "PARTITION NAME REPLICA [--progress SEC]",
	  "Attach a replica (file or block device, e.g. /dev/nbd0): runs " REPLICATOR ".\n" },
	{ "monitor", cmd_monitor, "", "Print checkpoint and guard-band events.\n" },
};

const struct lparctl_object lparctl_ckpt = {
	.name = "ckpt",
	.cmds = ckpt_cmds,
	.n_cmds = ARRAY_SIZE(ckpt_cmds),
	.bare = cmd_list,
	.events = &ckpt_events,
};
