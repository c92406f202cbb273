// SPDX-License-Identifier: GPL-2.0
/*
 * Partition commands (create, delete, list, show, set, monitor) over the
 * "lpar" generic netlink family. Besides the requests, this is where a
 * partition's cgroup is made to agree with the kernel: the kernel takes
 * the cgroup as an fd and never writes cgroup files, so lparctl creates the
 * directory, enables cpuset for it and makes it a cpuset partition root on
 * the partition's CPUs. Whatever fails before the kernel has accepted the
 * partition is undone; what fails after it is a warning, since lpar's own
 * dedication of the CPUs holds either way (except cpuset.cpus at creation,
 * which is rolled back, so that a failed create changes nothing).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/lpar.h>
#include <linux/magic.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lib/size.h"
#include "lparctl.h"

#define CGROUP2_ROOT	"/sys/fs/cgroup"
#define NETNS_RUN_DIR	"/run/netns"
#define LPAR_MODULE	"lpar.ko"

/* A dump that keeps being interrupted by changes is reported after this. */
#define LIST_TRIES	3

/* Lengths are checked here so that the printers read within bounds. */
static struct nla_policy part_policy[LPAR_A_PART_MAX + 1] = {
	[LPAR_A_PART_ID]		= { .type = NLA_U32 },
	[LPAR_A_PART_NAME]		= { .type = NLA_STRING },
	[LPAR_A_PART_CPUS]		= { .type = NLA_STRING },
	[LPAR_A_PART_BUDGET]		= { .type = NLA_U64 },
	[LPAR_A_PART_USED]		= { .type = NLA_U64 },
	[LPAR_A_PART_STATE]		= { .type = NLA_U32 },
	[LPAR_A_PART_CREATED]		= { .type = NLA_U64 },
	[LPAR_A_PART_CGROUP_PATH]	= { .type = NLA_STRING },
	[LPAR_A_PART_NETNS_INO]		= { .type = NLA_U32 },
	[LPAR_A_PART_CHARGE_FAILS]	= { .type = NLA_U64 },
	[LPAR_A_PART_CHANGES]		= { .type = NLA_U32 },
};

static const char *const state_names[] = {
	[LPAR_STATE_CREATING]	= "creating",
	[LPAR_STATE_ACTIVE]	= "active",
	[LPAR_STATE_DYING]	= "dying",
};

/* The attributes of a create, set, get or delete request; absent ones unset. */
struct part_req {
	struct lparctl_sel sel;
	const char *cpus;
	int cgroup_fd;		/* -1: none */
	bool has_netns;
	int netns_fd;		/* -1 with has_netns: detach (set only) */
	bool has_budget;
	uint64_t budget;
};

/* ---- printing ---- */

static void print_size(const char *key, const char *fmt, uint64_t bytes)
{
	char buf[SIZE_STR_MAX];

	if (jp_is_json())
		jp_u64(key, NULL, bytes);
	else
		jp_string(key, fmt, size_format(buf, sizeof(buf), bytes));
}

static void print_time(const char *key, const char *fmt, uint64_t ns)
{
	time_t sec = ns / 1000000000;
	char buf[32];
	struct tm tm;

	if (jp_is_json() || !fmt) {
		jp_u64(key, NULL, ns);
		return;
	}
	if (!localtime_r(&sec, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "@%lld", (long long)sec);
	jp_string(key, fmt, buf);
}

/*
 * An empty string (no CPUs, no cgroup) is a field worth a column in JSON,
 * where consumers look keys up, but not in text.
 */
static void print_if_set(const char *sep, const char *key, const char *fmt, const char *val)
{
	if (*val)
		jp_text("%s", sep);
	jp_string(key, *val ? fmt : NULL, val);
}

/*
 * One partition, from a reply or an event: in text one line (list,
 * monitor) or one line per group of fields (show, @detail); in JSON always
 * an object with every field the kernel sent.
 */
static void part_print(struct nlattr **tb, bool detail, const char *event)
{
	const char *sep = detail ? "\n\t" : "  ";
	struct nlattr *a;

	jp_open_object(NULL);
	if (event)
		jp_string("event", "[%s] ", event);
	if (tb[LPAR_A_PART_ID])
		jp_u32("id", "%u: ", nla_get_u32(tb[LPAR_A_PART_ID]));
	if (tb[LPAR_A_PART_NAME])
		jp_string("name", "%s", nla_get_string(tb[LPAR_A_PART_NAME]));

	if (tb[LPAR_A_PART_CPUS])
		print_if_set(sep, "cpus", "cpus %s", nla_get_string(tb[LPAR_A_PART_CPUS]));
	if (tb[LPAR_A_PART_BUDGET] || tb[LPAR_A_PART_USED])
		jp_text("%s", sep);
	if (tb[LPAR_A_PART_BUDGET])
		print_size("budget", "budget %s", nla_get_u64(tb[LPAR_A_PART_BUDGET]));
	if (tb[LPAR_A_PART_USED])
		print_size("used", tb[LPAR_A_PART_BUDGET] ? " used %s" : "used %s",
			   nla_get_u64(tb[LPAR_A_PART_USED]));
	if (tb[LPAR_A_PART_CHARGE_FAILS])
		jp_u64("charge_fails", detail ? " charge_fails %" PRIu64 : NULL,
		       nla_get_u64(tb[LPAR_A_PART_CHARGE_FAILS]));

	a = tb[LPAR_A_PART_STATE];
	if (a) {
		uint32_t state = nla_get_u32(a);

		jp_text("%s", sep);
		jp_string("state", "state %s",
			  state < ARRAY_SIZE(state_names) ?
			  state_names[state] : "unknown");
	}
	a = tb[LPAR_A_PART_NETNS_INO];
	if (a) {
		/* Inode 0 is no namespace. */
		if (nla_get_u32(a))
			jp_text("%s", sep);
		jp_u32("netns_ino", nla_get_u32(a) ? "netns %u" : NULL, nla_get_u32(a));
	}
	if (tb[LPAR_A_PART_CGROUP_PATH])
		print_if_set(sep, "cgroup", "cgroup %s",
			     nla_get_string(tb[LPAR_A_PART_CGROUP_PATH]));
	if (tb[LPAR_A_PART_CREATED]) {
		if (detail)
			jp_text("%s", sep);
		print_time("created", detail ? "created %s" : NULL,
			   nla_get_u64(tb[LPAR_A_PART_CREATED]));
	}
	if (tb[LPAR_A_PART_CHANGES]) {
		if (detail)
			jp_text("%s", sep);
		jp_u32("changes", detail ? "changes %u" : NULL,
		       nla_get_u32(tb[LPAR_A_PART_CHANGES]));
	}
	jp_text("\n");
	jp_close_object();
}

/* ---- requests ---- */

static int part_open(struct lnl_sock *nl)
{
	int err = lnl_open(nl, LPAR_FAMILY_NAME, LPAR_FAMILY_VERSION, LPAR_MODULE);

	if (err)
		lnl_perror(nl, err);
	return err;
}

static int part_request(struct lnl_sock *nl, uint8_t cmd, const struct part_req *req,
			lnl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (req->sel.name)
		NLA_PUT_STRING(msg, LPAR_A_PART_NAME, req->sel.name);
	else
		NLA_PUT_U32(msg, LPAR_A_PART_ID, req->sel.id);
	if (req->cpus)
		NLA_PUT_STRING(msg, LPAR_A_PART_CPUS, req->cpus);
	if (req->cgroup_fd >= 0)
		NLA_PUT_S32(msg, LPAR_A_PART_CGROUP_FD, req->cgroup_fd);
	if (req->has_netns)
		NLA_PUT_S32(msg, LPAR_A_PART_NETNS_FD, req->netns_fd);
	if (req->has_budget)
		NLA_PUT_U64(msg, LPAR_A_PART_BUDGET, req->budget);
	return lnl_request(nl, msg, fn, arg);

nla_put_failure:
	/* Only an absurdly long name or CPU list overflows a page. */
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int print_detail(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_A_PART_MAX + 1];
	int err = lnl_parse(msg, tb, LPAR_A_PART_MAX, part_policy);

	(void)arg;
	if (!err)
		part_print(tb, true, NULL);
	return err;
}

/* ---- argument parsing ---- */

static int parse_budget(const char *cmd, const char *str, struct part_req *req)
{
	int err = size_parse(str, &req->budget);

	if (err == -ERANGE)
		return lparctl_usage_error(cmd, "size '%s' is too large", str);
	if (err)
		return lparctl_usage_error(cmd, "invalid size '%s' (e.g. 4096, 2k, 64M, 1G)", str);
	req->has_budget = true;
	return 0;
}

/* A name under /run/netns as "ip netns" makes them, or any nsfs path. */
static int open_netns(const char *netns)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(netns, '/'))
		snprintf(path, sizeof(path), "%s", netns);
	else
		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		warn("network namespace %s", path);
	return fd;
}

/* ---- cgroup files ---- */

/* cgroup files take one whole value per write(); a newline ends it. */
static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX], buf[LPAR_CPUS_MAX_LEN + 2];
	int fd, len, ret = 0;

	len = snprintf(buf, sizeof(buf), "%s\n", val);
	if (len >= (int)sizeof(buf))
		return -E2BIG;
	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int cg_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t len;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	while (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return 0;
}

static bool cg_cpuset_enabled(const char *dir)
{
	char buf[512], *tok, *save;

	if (cg_read(dir, "cgroup.subtree_control", buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, "cpuset"))
			return true;
	return false;
}

/*
 * On kernels without cpuset_css_killed() (before its backport to 6.12.y;
 * 6.12.95 has it), a cgroup removed a moment ago keeps its cpuset
 * partition, and so its CPUs, until the kernel has taken it offline, which
 * happens after rmdir has returned (a worker, after an RCU grace period):
 * `lparctl delete` then `lparctl create` on the same CPUs meets it, and the
 * new cgroup would be refused the CPUs or left a member whose CPUs follow
 * its parent's until then. Waits up to 2 s for the parent's dying
 * descendants to be gone; returns whether there were any (then it is worth
 * a retry).
 */
static bool cg_wait_dying(const char *dir)
{
	static const char key[] = "nr_dying_descendants ";
	char parent[PATH_MAX], buf[512], *p;
	bool waited = false;
	int i;

	snprintf(parent, sizeof(parent), "%s", dir);
	p = strrchr(parent, '/');
	if (!p || p == parent)
		return false;
	*p = '\0';
	for (i = 0; i < 200; i++) {
		if (cg_read(parent, "cgroup.stat", buf, sizeof(buf)))
			return waited;
		p = strstr(buf, key);
		if (!p || !strtoul(p + sizeof(key) - 1, NULL, 10))
			return waited;
		waited = true;
		usleep(10000);
	}
	return waited;
}

/* One attempt at making the cgroup a valid partition root; 0 or why not. */
static int cpuset_root_once(const char *dir, char *state, size_t size)
{
	int err;

	state[0] = '\0';
	err = cg_write(dir, "cpuset.cpus.partition", "root");
	if (!err) {
		err = cg_read(dir, "cpuset.cpus.partition", state, size);
		if (!err && !strcmp(state, "root"))
			return 0;
		cg_write(dir, "cpuset.cpus.partition", "member");
		if (!err)
			err = -EBUSY;
	}
	return err;
}

/*
 * Tries to make the cgroup a cpuset partition root, which takes its CPUs
 * away from every other cgroup. The kernel may refuse, or accept and mark
 * the root invalid (CPUs not exclusive, parent not a root, ...); then the
 * cgroup goes back to being a member and lpar's dedication is all there is.
 */
static void cpuset_try_root(const char *dir)
{
	char state[256];
	int err;

	err = cpuset_root_once(dir, state, sizeof(state));
	if (err && cg_wait_dying(dir))
		err = cpuset_root_once(dir, state, sizeof(state));
	if (!err)
		return;
	warnx("warning: %s: not a cpuset partition root (%s); CPUs dedicated by lpar only",
	      dir, state[0] ? state : strerror(-err));
}

/*
 * Makes the cgroup's cpuset follow the partition's CPUs. Empty CPUs mean
 * none are dedicated: the cgroup becomes a member again, with its parent's
 * CPUs. Returns 0 or the -errno of writing cpuset.cpus.
 */
static int cpuset_apply(const char *dir, const char *cpus)
{
	int err;

	if (!*cpus)
		cg_write(dir, "cpuset.cpus.partition", "member");
	err = cg_write(dir, "cpuset.cpus", cpus);
	/* A root may refuse CPUs that it may take only as a member; retry so. */
	if (err && *cpus && !cg_write(dir, "cpuset.cpus.partition", "member"))
		err = cg_write(dir, "cpuset.cpus", cpus);
	/* Or a cgroup removed a moment ago still holds them. */
	if (err && *cpus && cg_wait_dying(dir))
		err = cg_write(dir, "cpuset.cpus", cpus);
	if (!err && *cpus)
		cpuset_try_root(dir);
	return err;
}

/* A cgroup handed to create, and what was changed for it, to undo. */
struct cg_setup {
	char path[PATH_MAX];
	char parent[PATH_MAX];
	int fd;
	bool made_dir;
	bool enabled_cpuset;
};

static void cg_undo(struct cg_setup *cg)
{
	if (cg->fd >= 0)
		close(cg->fd);
	cg->fd = -1;
	if (cg->made_dir && rmdir(cg->path))
		warn("warning: rmdir %s", cg->path);
	if (cg->enabled_cpuset)
		cg_write(cg->parent, "cgroup.subtree_control", "-cpuset");
}

/* Enables cpuset for the cgroup, in its parent's subtree_control. */
static int cg_enable_cpuset(struct cg_setup *cg)
{
	int err;

	if (cg_cpuset_enabled(cg->parent))
		return 0;
	err = cg_write(cg->parent, "cgroup.subtree_control", "+cpuset");
	if (!err) {
		cg->enabled_cpuset = true;
		return 0;
	}
	/* Someone else may have enabled it meanwhile, which is as good. */
	if (cg_cpuset_enabled(cg->parent))
		return 0;
	warnx("write +cpuset to %s/cgroup.subtree_control: %s%s", cg->parent, strerror(-err),
	      err == -ENOENT ? " (is cpuset enabled in the parent's parent?)" : "");
	return -1;
}

/*
 * Creates the cgroup directory if it does not exist, enables cpuset for it
 * (@cpuset) and opens it for the kernel. Undoes all of it on failure.
 */
static int cg_prepare(struct cg_setup *cg, const char *path, bool cpuset)
{
	struct statfs st;
	size_t len;
	char *slash;

	len = strlen(path);
	if (len >= sizeof(cg->path)) {
		warnx("%s: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	/* "/sys/fs/cgroup/web/" and "/sys/fs/cgroup/web" are the same cgroup. */
	memcpy(cg->path, path, len + 1);
	while (len > 1 && cg->path[len - 1] == '/')
		cg->path[--len] = '\0';
	memcpy(cg->parent, cg->path, len + 1);
	slash = strrchr(cg->parent, '/');
	slash[slash == cg->parent] = '\0';

	if (!mkdir(cg->path, 0755)) {
		cg->made_dir = true;
	} else if (errno != EEXIST) {
		warn("mkdir %s", cg->path);
		return -1;
	}

	cg->fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->fd < 0) {
		warn("%s", cg->path);
		goto err_undo;
	}
	if (fstatfs(cg->fd, &st) || st.f_type != CGROUP2_SUPER_MAGIC) {
		warnx("%s: not a cgroup v2 directory", cg->path);
		goto err_undo;
	}
	if (cpuset && cg_enable_cpuset(cg))
		goto err_undo;
	return 0;

err_undo:
	cg_undo(cg);
	return -1;
}

/* ---- commands ---- */

static int cmd_create(int argc, char **argv)
{
	const char *cpus = NULL, *cgroup = NULL, *netns = NULL, *memory = NULL;
	const struct lparctl_opt opts[] = {
		{ "cpus", &cpus },
		{ "cgroup", &cgroup },
		{ "netns", &netns },
		{ "memory", &memory },
		{ NULL, NULL },
	};
	struct part_req req = { .cgroup_fd = -1, .netns_fd = -1 };
	struct cg_setup cg = { .fd = -1 };
	int n, err, ret = EXIT_FAILURE;
	struct lnl_sock nl;
	char *pos[1];

	n = lparctl_parse_args("create", argc, argv, opts, pos, 1);
	if (n < 0)
		return EXIT_USAGE;
	if (!n)
		return lparctl_usage_error("create", "missing partition NAME");
	if (memory && parse_budget("create", memory, &req))
		return EXIT_USAGE;
	if (cgroup && cgroup[0] != '/')
		return lparctl_usage_error("create", "--cgroup needs an absolute path");
	if (netns && !*netns)
		return lparctl_usage_error("create", "--netns needs a name");
	req.sel.name = pos[0];
	req.cpus = cpus;

	/* The family first: if lpar is not loaded, no cgroup is touched. */
	if (part_open(&nl))
		return EXIT_FAILURE;
	if (netns) {
		req.netns_fd = open_netns(netns);
		if (req.netns_fd < 0)
			goto out_close;
		req.has_netns = true;
	}
	if (cgroup) {
		if (cg_prepare(&cg, cgroup, !!cpus))
			goto out_netns;
		req.cgroup_fd = cg.fd;
	}

	err = part_request(&nl, LPAR_CMD_PART_CREATE, &req, NULL, NULL);
	if (err) {
		lnl_perror(&nl, err);
		goto out_undo;
	}

	if (cgroup && cpus) {
		err = cpuset_apply(cg.path, cpus);
		if (err) {
			struct part_req del = { .sel = req.sel, .cgroup_fd = -1 };

			warnx("write %s to %s/cpuset.cpus: %s", cpus, cg.path, strerror(-err));
			err = part_request(&nl, LPAR_CMD_PART_DELETE, &del, NULL, NULL);
			if (err) {
				lnl_perror(&nl, err);
				warnx("partition %s was created but could not be deleted again",
				      req.sel.name);
			}
			goto out_undo;
		}
	}
	ret = EXIT_SUCCESS;

out_undo:
	/* The kernel holds its own reference to the cgroup; ours goes. */
	if (ret == EXIT_SUCCESS && cg.fd >= 0)
		close(cg.fd);
	else if (ret != EXIT_SUCCESS)
		cg_undo(&cg);
out_netns:
	if (req.netns_fd >= 0)
		close(req.netns_fd);
out_close:
	lnl_close(&nl);
	return ret;
}

/* A command that names one partition and sends one request for it. */
static int named_request(const char *cmd, uint8_t nlcmd, lnl_msg_fn fn, int argc, char **argv)
{
	struct part_req req = { .cgroup_fd = -1 };
	struct lnl_sock nl;
	char *pos[2];
	int n, err;

	n = lparctl_parse_args(cmd, argc, argv, NULL, pos, 2);
	if (n < 0 || lparctl_parse_sel(cmd, pos, n, &req.sel))
		return EXIT_USAGE;
	if (part_open(&nl))
		return EXIT_FAILURE;
	err = part_request(&nl, nlcmd, &req, fn, NULL);
	if (err)
		lnl_perror(&nl, err);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_delete(int argc, char **argv)
{
	return named_request("delete", LPAR_CMD_PART_DELETE, NULL, argc, argv);
}

static int cmd_list(int argc, char **argv)
{
	struct lnl_msgs list = { 0 };
	struct lnl_sock nl;
	int n, err;
	size_t i;

	n = lparctl_parse_args("list", argc, argv, NULL, NULL, 0);
	if (n < 0)
		return EXIT_USAGE;
	if (part_open(&nl))
		return EXIT_FAILURE;
	/* Printed once whole: a dump torn by changes is run again. */
	err = lnl_dump_collect(&nl, LPAR_CMD_PART_GET, LIST_TRIES, &list);
	if (err) {
		lnl_perror(&nl, err);
		goto out;
	}

	jp_open_array(NULL);
	for (i = 0; i < list.n; i++) {
		struct nlattr *tb[LPAR_A_PART_MAX + 1];

		err = lnl_parse(list.msg[i], tb, LPAR_A_PART_MAX, part_policy);
		if (err) {
			warnx("malformed partition in dump: %s", strerror(-err));
			break;
		}
		part_print(tb, false, NULL);
	}
	jp_close_array();
out:
	lnl_msgs_free(&list);
	lnl_close(&nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_show(int argc, char **argv)
{
	return named_request("show", LPAR_CMD_PART_GET, print_detail, argc, argv);
}

/* What set needs to know of the partition after the change. */
struct set_reply {
	bool seen;
	char *cgroup;
};

static int set_collect(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[LPAR_A_PART_MAX + 1];
	struct set_reply *reply = arg;
	int err;

	err = lnl_parse(msg, tb, LPAR_A_PART_MAX, part_policy);
	if (err)
		return err;
	reply->seen = true;
	if (tb[LPAR_A_PART_CGROUP_PATH]) {
		reply->cgroup = strdup(nla_get_string(tb[LPAR_A_PART_CGROUP_PATH]));
		if (!reply->cgroup)
			return -ENOMEM;
	}
	return 0;
}

/*
 * After the kernel accepted new CPUs, the partition's cgroup (if it has
 * one) gets them as its cpuset. The kernel's reply to set names the cgroup;
 * should a kernel not send one, a get does.
 */
static void set_sync_cpuset(struct lnl_sock *nl, const struct part_req *req,
			    struct set_reply *reply)
{
	struct part_req get = { .sel = req->sel, .cgroup_fd = -1 };
	char dir[PATH_MAX];
	const char *path;
	int err;

	if (!reply->seen) {
		err = part_request(nl, LPAR_CMD_PART_GET, &get, set_collect, reply);
		if (err) {
			lnl_perror(nl, err);
			warnx("warning: cpuset of the partition's cgroup not updated");
			return;
		}
	}
	path = reply->cgroup;
	if (!path || !*path)
		return;
	if (snprintf(dir, sizeof(dir), "%s%s%s", CGROUP2_ROOT, *path == '/' ? "" : "/",
		     path) >= (int)sizeof(dir)) {
		warnx("warning: %s: cgroup path too long; its cpuset was not updated", path);
		return;
	}
	err = cpuset_apply(dir, req->cpus);
	if (err)
		warnx("warning: write %s to %s/cpuset.cpus: %s; CPUs dedicated by lpar only",
		      req->cpus, dir, strerror(-err));
}

static int cmd_set(int argc, char **argv)
{
	const char *cpus = NULL, *netns = NULL, *memory = NULL;
	const struct lparctl_opt opts[] = {
		{ "cpus", &cpus },
		{ "memory", &memory },
		{ "netns", &netns },
		{ NULL, NULL },
	};
	struct part_req req = { .cgroup_fd = -1, .netns_fd = -1 };
	struct set_reply reply = { 0 };
	int n, err, ret = EXIT_FAILURE;
	struct lnl_sock nl;
	char *pos[2];

	n = lparctl_parse_args("set", argc, argv, opts, pos, 2);
	if (n < 0 || lparctl_parse_sel("set", pos, n, &req.sel))
		return EXIT_USAGE;
	if (memory && parse_budget("set", memory, &req))
		return EXIT_USAGE;
	if (netns && !*netns)
		return lparctl_usage_error("set", "--netns needs a name or 'none'");
	req.cpus = cpus;

	if (part_open(&nl))
		return EXIT_FAILURE;
	if (netns) {
		/* -1 is how the ABI says "detach the namespace". */
		if (strcmp(netns, "none")) {
			req.netns_fd = open_netns(netns);
			if (req.netns_fd < 0)
				goto out_close;
		}
		req.has_netns = true;
	}

	err = part_request(&nl, LPAR_CMD_PART_SET, &req, set_collect, &reply);
	if (err) {
		lnl_perror(&nl, err);
		goto out_netns;
	}
	if (cpus)
		set_sync_cpuset(&nl, &req, &reply);
	ret = EXIT_SUCCESS;

out_netns:
	if (req.netns_fd >= 0)
		close(req.netns_fd);
	free(reply.cgroup);
out_close:
	lnl_close(&nl);
	return ret;
}

/* Prints one event of the lpar family, for `lparctl monitor`. */
static int part_event(struct nl_msg *msg)
{
	struct nlattr *tb[LPAR_A_PART_MAX + 1];
	const char *event;
	int err;

	switch (((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd) {
	case LPAR_CMD_PART_CREATE_NTF:
		event = "create";
		break;
	case LPAR_CMD_PART_DELETE_NTF:
		event = "delete";
		break;
	case LPAR_CMD_PART_CHANGE_NTF:
		event = "change";
		break;
	default:
		return 0;
	}
	err = lnl_parse(msg, tb, LPAR_A_PART_MAX, part_policy);
	if (err) {
		warnx("warning: malformed %s event: %s", event, strerror(-err));
		return 0;
	}
	part_print(tb, false, event);
	return 0;
}

static const struct lparctl_events part_events = {
	.family = LPAR_FAMILY_NAME,
	.version = LPAR_FAMILY_VERSION,
	.module = LPAR_MODULE,
	.mcgrp = LPAR_MCGRP_EVENTS,
	.print = part_event,
};

static int cmd_monitor(int argc, char **argv)
{
	if (lparctl_parse_args("monitor", argc, argv, NULL, NULL, 0) < 0)
		return EXIT_USAGE;
	return lparctl_monitor_one(&lparctl_part);
}

/* ---- dispatch ---- */

static const struct lparctl_cmd part_cmds[] = {
	{
		"create", cmd_create,
		"NAME [--cpus LIST] [--cgroup PATH] [--netns NAME] [--memory SIZE]",
		"Create partition NAME (1 to 31 of a-z, 0-9, _ and -).\n"
		"  --cpus LIST    dedicate these CPUs (\"2-3,6\"); with --cgroup, also as the\n"
		"                 cgroup's cpuset, a cpuset partition root where possible\n"
		"  --cgroup PATH  cgroup v2 directory for the partition's tasks (absolute,\n"
		"                 e.g. " CGROUP2_ROOT "/web); created if missing\n"
		"  --netns NAME   network namespace: a name in " NETNS_RUN_DIR " or a path such\n"
		"                 as /proc/PID/ns/net\n"
		"  --memory SIZE  donated-memory budget: bytes, or with K, M, G, T (binary)\n",
	},
	{
		"delete", cmd_delete, "{ NAME | id ID }",
		"Delete a partition; returns once every extension has let go of it.\n"
		"Its cgroup and network namespace are left in place.\n",
	},
	{
		"list", cmd_list, "",
		"List all partitions, one per line.\n",
	},
	{
		"show", cmd_show, "{ NAME | id ID }",
		"Show all attributes and counters of one partition.\n",
	},
	{
		"set", cmd_set,
		"{ NAME | id ID } [--cpus LIST] [--memory SIZE] [--netns NAME|none]",
		"Change a partition's CPUs, budget or network namespace (none detaches it).\n"
		"New CPUs also become the cpuset of the partition's cgroup.\n",
	},
	{
		"monitor", cmd_monitor, "",
		"Print partition events (create, delete, change) until interrupted;\n"
		"\"lparctl monitor\" alone follows the events of every loaded module.\n",
	},
};

const struct lparctl_object lparctl_part = {
	.name = "part",
	.cmds = part_cmds,
	.n_cmds = ARRAY_SIZE(part_cmds),
	.bare = cmd_list,
	.events = &part_events,
};
