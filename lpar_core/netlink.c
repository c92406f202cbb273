// SPDX-License-Identifier: GPL-2.0
/*
 * The "lpar" generic netlink family: request handlers and events. The
 * policies and the op table are generated from
 * Documentation/netlink/specs/lpar.yaml into netlink-gen.c; this file
 * resolves file descriptors, turns requests into lpar_request and answers
 * with the partition's attributes. Every refusal carries an extack message.
 */
#include <linux/cgroup.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "netlink-gen.h"
#include "partition.h"

/*
 * Size of a partition message whose strings are @cpus and @cgroup long:
 * events and replies are allocated to fit, so that a burst of events
 * does not fill a listener's buffer with mostly empty pages.
 */
static size_t lpar_nl_size(size_t cpus, size_t cgroup)
{
	return nla_total_size(sizeof(u32)) * 4 +		/* id, state, netns, changes */
	       nla_total_size(LPAR_NAME_MAX_LEN + 1) +
	       nla_total_size_64bit(sizeof(u64)) * 4 +	/* budget, used, created, fails */
	       nla_total_size(cpus + 1) + nla_total_size(cgroup + 1);
}

/* @buf: PATH_MAX bytes of scratch for the strings. */
static int lpar_nl_fill(struct sk_buff *skb, char *buf, struct lpar *p, u32 portid,
			u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	u64 budget, used;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lpar_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	lpar_budget_read(p, &budget, &used);
	if (nla_put_u32(skb, LPAR_A_PART_ID, p->id) ||
	    nla_put_string(skb, LPAR_A_PART_NAME, p->name) ||
	    nla_put_u64_64bit(skb, LPAR_A_PART_BUDGET, budget, LPAR_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_A_PART_USED, used, LPAR_A_PART_PAD) ||
	    nla_put_u32(skb, LPAR_A_PART_STATE, READ_ONCE(p->state)) ||
	    nla_put_u64_64bit(skb, LPAR_A_PART_CREATED, p->created, LPAR_A_PART_PAD) ||
	    nla_put_u32(skb, LPAR_A_PART_NETNS_INO, lpar_netns_ino(p)) ||
	    nla_put_u64_64bit(skb, LPAR_A_PART_CHARGE_FAILS,
			      atomic64_read(&p->charge_fails), LPAR_A_PART_PAD) ||
	    nla_put_u32(skb, LPAR_A_PART_CHANGES, READ_ONCE(p->changes)))
		goto cancel;
	if (lpar_cpus_format(p, buf, PATH_MAX) < 0 ||
	    nla_put_string(skb, LPAR_A_PART_CPUS, buf))
		goto cancel;
	if (lpar_cgroup_path(p, buf, PATH_MAX) < 0 ||
	    nla_put_string(skb, LPAR_A_PART_CGROUP_PATH, buf))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A message sized for @p as it is now; strings may grow meanwhile (rare). */
static struct sk_buff *lpar_nl_new(struct lpar *p)
{
	size_t cpus = nr_cpu_ids * 7, cgroup = PATH_MAX;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (buf && lpar_cpus_format(p, buf, PATH_MAX) >= 0)
		cpus = strlen(buf);
	if (buf && lpar_cgroup_path(p, buf, PATH_MAX) >= 0)
		cgroup = strlen(buf) + 64;	/* room for a concurrent rename */
	kfree(buf);
	return genlmsg_new(lpar_nl_size(cpus, cgroup), GFP_KERNEL);
}

/**
 * lpar_nl_notify() - announce a partition event on the "events" group
 * @p: the partition
 * @cmd: LPAR_CMD_PART_{CREATE,DELETE,CHANGE}_NTF
 */
void lpar_nl_notify(struct lpar *p, u8 cmd)
{
	struct sk_buff *skb;
	char *buf;

	if (!genl_has_listeners(&lpar_nl_family, &init_net, LPAR_NLGRP_EVENTS))
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	skb = buf ? lpar_nl_new(p) : NULL;
	if (skb && lpar_nl_fill(skb, buf, p, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		skb = NULL;
	}
	kfree(buf);
	if (skb)
		genlmsg_multicast(&lpar_nl_family, skb, 0, LPAR_NLGRP_EVENTS, GFP_KERNEL);
}

/*
 * What the reply to a request needs, taken before the request changes
 * anything: a change is then never made and reported failed for want of
 * memory for its answer (nor made twice by a caller who tries again).
 * The message is sized for any partition.
 */
struct lpar_nl_answer {
	struct sk_buff *skb;
	char *buf;
};

static int lpar_nl_answer_prepare(struct lpar_nl_answer *a)
{
	a->buf = kmalloc(PATH_MAX, GFP_KERNEL);
	a->skb = genlmsg_new(lpar_nl_size(nr_cpu_ids * 7, PATH_MAX), GFP_KERNEL);
	if (a->buf && a->skb)
		return 0;
	nlmsg_free(a->skb);
	kfree(a->buf);
	return -ENOMEM;
}

static void lpar_nl_answer_drop(struct lpar_nl_answer *a)
{
	nlmsg_free(a->skb);
	kfree(a->buf);
}

/* Answers with @p's attributes; consumes @a. */
static int lpar_nl_answer(struct lpar_nl_answer *a, struct lpar *p, struct genl_info *info)
{
	int ret;

	ret = lpar_nl_fill(a->skb, a->buf, p, info->snd_portid, info->snd_seq, 0,
			   info->genlhdr->cmd, NULL);
	kfree(a->buf);
	if (ret) {
		nlmsg_free(a->skb);
		return ret;
	}
	return genlmsg_reply(a->skb, info);
}

/**
 * lpar_from_attrs() - the partition a request names by id and/or name
 * @tb: the request's attributes (genl_info->attrs)
 * @id_attr: index in @tb of the u32 partition-id attribute
 * @name_attr: index in @tb of the string partition-name attribute
 * @extack: where a refusal is explained
 *
 * Either attribute names the partition; given both, they must agree. Every
 * family of the suite resolves a partition here, so that a refusal reads
 * the same whichever module gives it. An extension's spec calls the two
 * attributes part-id and part-name, and the message for neither says so.
 *
 * Return: a counted reference (drop it with lpar_put()), or ERR_PTR(-EINVAL)
 * when neither attribute is given or the two disagree, ERR_PTR(-ENOENT) when
 * no active partition matches; each with an extack message.
 */
struct lpar *lpar_from_attrs(struct nlattr **tb, int id_attr, int name_attr,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *id = tb[id_attr], *name = tb[name_attr];
	struct lpar *p;

	if (!id && !name) {
		NL_SET_ERR_MSG(extack, "name the partition by part-id or part-name");
		return ERR_PTR(-EINVAL);
	}
	if (id)
		p = lpar_get_by_id(nla_get_u32(id));
	else
		p = lpar_get_by_name(nla_data(name));
	if (!p) {
		NL_SET_BAD_ATTR(extack, id ?: name);
		if (id)
			NL_SET_ERR_MSG_FMT(extack, "no partition with id %u", nla_get_u32(id));
		else
			NL_SET_ERR_MSG_FMT(extack, "no partition named %s", (char *)nla_data(name));
		return ERR_PTR(-ENOENT);
	}
	if (id && name && nla_strcmp(name, p->name)) {
		NL_SET_BAD_ATTR(extack, name);
		NL_SET_ERR_MSG_FMT(extack, "partition %u is named %s", p->id, p->name);
		lpar_put(p);
		return ERR_PTR(-EINVAL);
	}
	return p;
}
EXPORT_SYMBOL_GPL(lpar_from_attrs);

/* The partition a request of this family names; its attributes are id and name. */
static struct lpar *lpar_nl_lookup(struct genl_info *info)
{
	if (!info->attrs[LPAR_A_PART_ID] && !info->attrs[LPAR_A_PART_NAME]) {
		NL_SET_ERR_MSG(info->extack, "name the partition by id or name");
		return ERR_PTR(-EINVAL);
	}
	return lpar_from_attrs(info->attrs, LPAR_A_PART_ID, LPAR_A_PART_NAME, info->extack);
}

/* Resolves a netns-fd attribute: -1 detaches, else a netns file. */
static int lpar_nl_netns(struct genl_info *info, struct lpar_request *req,
			 bool allow_detach)
{
	struct nlattr *attr = info->attrs[LPAR_A_PART_NETNS_FD];
	int fd;

	if (!attr)
		return 0;
	fd = nla_get_s32(attr);
	req->set_net = true;
	if (fd == -1 && allow_detach)
		return 0;
	if (fd < 0) {
		NL_SET_BAD_ATTR(info->extack, attr);
		NL_SET_ERR_MSG_FMT(info->extack, "netns-fd must be a file descriptor%s",
				   allow_detach ? " or -1 (detach)" : "");
		return -EINVAL;
	}
	req->net = get_net_ns_by_fd(fd);
	if (IS_ERR(req->net)) {
		int ret = PTR_ERR(req->net);

		req->net = NULL;
		NL_SET_BAD_ATTR(info->extack, attr);
		NL_SET_ERR_MSG(info->extack, "netns-fd is not a network namespace");
		return ret;
	}
	return 0;
}

static void lpar_nl_budget(struct genl_info *info, struct lpar_request *req)
{
	if (info->attrs[LPAR_A_PART_BUDGET]) {
		req->set_budget = true;
		req->budget = nla_get_u64(info->attrs[LPAR_A_PART_BUDGET]);
	}
}

int lpar_nl_part_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lpar_nl_answer a;
	struct lpar *p;
	int ret;

	p = lpar_nl_lookup(info);
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = lpar_nl_answer_prepare(&a);
	if (!ret)
		ret = lpar_nl_answer(&a, p, info);
	lpar_put(p);
	return ret;
}

struct lpar_dump_ctx {
	u32 next_id;
};

int lpar_nl_part_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lpar_dump_ctx *ctx = (struct lpar_dump_ctx *)cb->ctx;
	struct lpar *p;
	int ret = 0;
	char *buf;

	NL_ASSERT_DUMP_CTX_FITS(struct lpar_dump_ctx);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (!ctx->next_id)
		ctx->next_id = 1;
	/* Flags the dump NLM_F_DUMP_INTR if partitions changed between parts. */
	cb->seq = lpar_generation();
	for (;;) {
		u32 id = ctx->next_id;

		p = lpar_get_next(&id);
		if (!p)
			break;
		ret = lpar_nl_fill(skb, buf, p, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   LPAR_CMD_PART_GET, cb);
		lpar_put(p);
		if (ret)
			break;
		ctx->next_id = id;
	}
	kfree(buf);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret;
}

int lpar_nl_part_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lpar_request req = {};
	struct lpar_nl_answer a;
	struct nlattr *attr;
	struct lpar *p;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_A_PART_NAME)) {
		NL_SET_ERR_MSG(info->extack, "a new partition needs a name");
		return -EINVAL;
	}
	ret = lpar_nl_answer_prepare(&a);
	if (ret)
		return ret;
	req.name = nla_data(info->attrs[LPAR_A_PART_NAME]);
	if (info->attrs[LPAR_A_PART_CPUS])
		req.cpus = nla_data(info->attrs[LPAR_A_PART_CPUS]);
	lpar_nl_budget(info, &req);
	attr = info->attrs[LPAR_A_PART_CGROUP_FD];
	if (attr) {
		req.cgrp = cgroup_get_from_fd(nla_get_s32(attr));
		if (IS_ERR(req.cgrp)) {
			ret = PTR_ERR(req.cgrp);
			req.cgrp = NULL;
			NL_SET_BAD_ATTR(info->extack, attr);
			NL_SET_ERR_MSG(info->extack, "cgroup-fd is not a cgroup v2 directory");
			goto drop;
		}
	}
	ret = lpar_nl_netns(info, &req, false);
	if (ret) {
		if (req.cgrp)
			cgroup_put(req.cgrp);
		goto drop;
	}
	p = lpar_create(&req, info->extack);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
		goto drop;
	}
	ret = lpar_nl_answer(&a, p, info);
	lpar_put(p);
	return ret;
drop:
	lpar_nl_answer_drop(&a);
	return ret;
}

int lpar_nl_part_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lpar *p = lpar_nl_lookup(info);

	if (IS_ERR(p))
		return PTR_ERR(p);
	return lpar_destroy(p, info->extack);
}

int lpar_nl_part_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lpar_request req = {};
	struct lpar_nl_answer a;
	struct lpar *p;
	int ret;

	p = lpar_nl_lookup(info);
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = lpar_nl_answer_prepare(&a);
	if (ret) {
		lpar_put(p);
		return ret;
	}
	if (info->attrs[LPAR_A_PART_CPUS])
		req.cpus = nla_data(info->attrs[LPAR_A_PART_CPUS]);
	lpar_nl_budget(info, &req);
	ret = lpar_nl_netns(info, &req, true);
	if (!ret && !req.cpus && !req.set_budget && !req.set_net) {
		NL_SET_ERR_MSG(info->extack, "nothing to change: give cpus, budget or netns-fd");
		ret = -EINVAL;
	}
	if (!ret)
		ret = lpar_set(p, &req, info->extack);
	else if (req.net)
		put_net(req.net);
	if (!ret)
		ret = lpar_nl_answer(&a, p, info);
	else
		lpar_nl_answer_drop(&a);
	lpar_put(p);
	return ret;
}

int lpar_netlink_init(void)
{
	return genl_register_family(&lpar_nl_family);
}

void lpar_netlink_exit(void)
{
	genl_unregister_family(&lpar_nl_family);
}
