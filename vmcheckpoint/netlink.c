// SPDX-License-Identifier: GPL-2.0
/*
 * The "lpar_ckpt" generic netlink family: region status, creation and
 * deletion, periodic checkpoints, and the checkpoint-done and guard-band
 * events. Policies and the op table are generated from
 * Documentation/netlink/specs/lpar_ckpt.yaml into netlink-gen.c; every
 * mutating op is admin-only there. Every refusal carries an extack message.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "vmcheckpoint/ckpt.h"
#include "vmcheckpoint/netlink-gen.h"

#define CKPT_NL_SIZE	(nla_total_size(sizeof(u32)) * 6 +			\
			 nla_total_size(CKPT_NAME_LEN) * 2 +			\
			 nla_total_size(2 * CKPT_NAME_LEN + 16) +		\
			 nla_total_size_64bit(sizeof(u64)) * 15)

/* Every u64 of a region message is padded the same way. */
static int ckpt_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, LPAR_CKPT_A_REGION_PAD);
}

static int ckpt_nl_fill(struct sk_buff *skb, struct ckpt_region *r, u32 portid,
			u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	char dev[2 * CKPT_NAME_LEN + 16];
	struct ckpt_status st;
	void *hdr;

	lockdep_assert_held(&r->lock);
	snprintf(dev, sizeof(dev), "/dev/lpar_ckpt/%s/%s", r->part_name, r->name);
	hdr = genlmsg_put(skb, portid, seq, &lpar_ckpt_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	ckpt_status_locked(r, &st);
	if (nla_put_u32(skb, LPAR_CKPT_A_REGION_ID, r->id) ||
	    nla_put_string(skb, LPAR_CKPT_A_REGION_NAME, r->name) ||
	    nla_put_string(skb, LPAR_CKPT_A_REGION_PART_NAME, r->part_name) ||
	    (r->part && nla_put_u32(skb, LPAR_CKPT_A_REGION_PART_ID, lpar_id(r->part))) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_SIZE, st.size) ||
	    nla_put_u32(skb, LPAR_CKPT_A_REGION_RING_ENTRIES, st.nr_entries) ||
	    nla_put_u32(skb, LPAR_CKPT_A_REGION_GUARD, st.guard) ||
	    nla_put_u32(skb, LPAR_CKPT_A_REGION_INTERVAL_MS, st.interval_ms) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_EPOCH, st.epoch) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_ACKED, st.acked) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_HEAD, st.head) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_TAIL, st.tail) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_DIRTY_PAGES, st.dirty_pages) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_FALLBACK_PAGES, st.fallback_pages) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_GUARD_EVENTS, st.guard_events) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_BAD_TAILS, st.bad_tails) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_LINES_LOGGED, st.lines_logged) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_PAGES_LOGGED, st.pages_logged) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_FALLBACK_LOGGED, st.fallback_logged) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_CHECKPOINTS, st.checkpoints) ||
	    ckpt_nl_put_u64(skb, LPAR_CKPT_A_REGION_LAST_NS, st.last_ns) ||
	    nla_put_u32(skb, LPAR_CKPT_A_REGION_CONSUMER, !!r->consumer) ||
	    nla_put_string(skb, LPAR_CKPT_A_REGION_DEV, r->dead ? "" : dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * ckpt_nl_notify() - announce a region event on the "events" group
 * @r: the region, whose lock the caller holds
 * @cmd: LPAR_CKPT_CMD_{CHECKPOINT,GUARD}_NTF
 */
void ckpt_nl_notify(struct ckpt_region *r, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&lpar_ckpt_nl_family, &init_net, LPAR_CKPT_NLGRP_EVENTS))
		return;
	skb = genlmsg_new(CKPT_NL_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (ckpt_nl_fill(skb, r, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&lpar_ckpt_nl_family, skb, 0, LPAR_CKPT_NLGRP_EVENTS, GFP_KERNEL);
}

/*
 * Answers with @r's attributes in @skb (consumed). A request that changes
 * something takes @skb first, so that a change is never made and then
 * reported failed for want of memory for its answer.
 */
static int ckpt_nl_answer(struct sk_buff *skb, struct ckpt_region *r, struct genl_info *info)
{
	int ret;

	if (!skb)
		return -ENOMEM;
	mutex_lock(&r->lock);
	ret = ckpt_nl_fill(skb, r, info->snd_portid, info->snd_seq, 0,
			   info->genlhdr->cmd, NULL);
	mutex_unlock(&r->lock);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	return genlmsg_reply(skb, info);
}

/* The region a request names: by id, or by partition name and name. */
static struct ckpt_region *ckpt_nl_lookup(struct genl_info *info)
{
	struct nlattr *id = info->attrs[LPAR_CKPT_A_REGION_ID];
	struct nlattr *name = info->attrs[LPAR_CKPT_A_REGION_NAME];
	struct nlattr *part = info->attrs[LPAR_CKPT_A_REGION_PART_NAME];
	struct ckpt_region *r;

	if (id) {
		r = ckpt_region_get(nla_get_u32(id));
		if (!r) {
			NL_SET_BAD_ATTR(info->extack, id);
			NL_SET_ERR_MSG_FMT(info->extack, "no region with id %u", nla_get_u32(id));
			return ERR_PTR(-ENOENT);
		}
		return r;
	}
	if (!name || !part) {
		NL_SET_ERR_MSG(info->extack, "name the region by id, or by part-name and name");
		return ERR_PTR(-EINVAL);
	}
	r = ckpt_region_get_by_name(nla_data(part), nla_data(name));
	if (!r) {
		NL_SET_BAD_ATTR(info->extack, name);
		NL_SET_ERR_MSG_FMT(info->extack, "partition %s has no region named %s",
				   (char *)nla_data(part), (char *)nla_data(name));
		return ERR_PTR(-ENOENT);
	}
	return r;
}

int lpar_ckpt_nl_region_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ckpt_region *r = ckpt_nl_lookup(info);
	int ret;

	if (IS_ERR(r))
		return PTR_ERR(r);
	ret = ckpt_nl_answer(genlmsg_new(CKPT_NL_SIZE, GFP_KERNEL), r, info);
	ckpt_region_put(r);
	return ret;
}

struct ckpt_dump_ctx {
	u32 next_id;
};

int lpar_ckpt_nl_region_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ckpt_dump_ctx *ctx = (struct ckpt_dump_ctx *)cb->ctx;
	struct ckpt_region *r;
	int ret = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct ckpt_dump_ctx);
	if (!ctx->next_id)
		ctx->next_id = 1;
	for (;;) {
		u32 id = ctx->next_id;

		r = ckpt_region_next(&id);
		if (!r)
			break;
		mutex_lock(&r->lock);
		ret = ckpt_nl_fill(skb, r, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				   NLM_F_MULTI, LPAR_CKPT_CMD_REGION_GET, cb);
		mutex_unlock(&r->lock);
		ckpt_region_put(r);
		if (ret)
			break;
		ctx->next_id = id + 1;
	}
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret;
}

static const char *ckpt_nl_str(struct genl_info *info, int attr)
{
	return info->attrs[attr] ? nla_data(info->attrs[attr]) : "";
}

static u32 ckpt_nl_u32(struct genl_info *info, int attr)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : 0;
}

int lpar_ckpt_nl_region_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ckpt_create req = { .version = CKPT_ABI_VERSION };
	struct ckpt_region *r;
	const char *why = NULL;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_CKPT_A_REGION_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, LPAR_CKPT_A_REGION_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "a new region needs a name and a size");
		return -EINVAL;
	}
	if (!info->attrs[LPAR_CKPT_A_REGION_PART_ID] &&
	    !info->attrs[LPAR_CKPT_A_REGION_PART_NAME]) {
		NL_SET_ERR_MSG(info->extack, "name the partition by part-id or part-name");
		return -EINVAL;
	}
	strscpy(req.name, ckpt_nl_str(info, LPAR_CKPT_A_REGION_NAME));
	strscpy(req.part_name, ckpt_nl_str(info, LPAR_CKPT_A_REGION_PART_NAME));
	req.part_id = ckpt_nl_u32(info, LPAR_CKPT_A_REGION_PART_ID);
	req.size = nla_get_u64(info->attrs[LPAR_CKPT_A_REGION_SIZE]);
	req.ring_entries = ckpt_nl_u32(info, LPAR_CKPT_A_REGION_RING_ENTRIES);
	req.guard = ckpt_nl_u32(info, LPAR_CKPT_A_REGION_GUARD);
	msg = genlmsg_new(CKPT_NL_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = ckpt_region_create(&req, &r, &why);
	if (ret) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG_FMT(info->extack, "%s", why);
		return ret;
	}
	ret = ckpt_nl_answer(msg, r, info);
	ckpt_region_put(r);
	return ret;
}

int lpar_ckpt_nl_region_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ckpt_region *r = ckpt_nl_lookup(info);

	if (IS_ERR(r))
		return PTR_ERR(r);
	ckpt_region_destroy(r);
	ckpt_region_put(r);
	return 0;
}

/*
 * Ends an operation on @r that failed only if the region was being
 * destroyed: the refusal, or the region as it is now in @msg, taken
 * before the operation. Drops @r.
 */
static int ckpt_nl_done(struct ckpt_region *r, struct sk_buff *msg, struct genl_info *info,
			int ret)
{
	if (ret) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "the region is being destroyed");
	} else {
		ret = ckpt_nl_answer(msg, r, info);
	}
	ckpt_region_put(r);
	return ret;
}

/* The region a request names, and the message for the answer; 0 or -errno. */
static int ckpt_nl_begin(struct genl_info *info, struct ckpt_region **r, struct sk_buff **msg)
{
	*r = ckpt_nl_lookup(info);
	if (IS_ERR(*r))
		return PTR_ERR(*r);
	*msg = genlmsg_new(CKPT_NL_SIZE, GFP_KERNEL);
	if (*msg)
		return 0;
	ckpt_region_put(*r);
	return -ENOMEM;
}

static int ckpt_nl_periodic(struct genl_info *info, u32 ms)
{
	struct ckpt_region *r;
	struct sk_buff *msg;
	int ret;

	ret = ckpt_nl_begin(info, &r, &msg);
	if (ret)
		return ret;
	return ckpt_nl_done(r, msg, info, ckpt_set_periodic(r, ms));
}

int lpar_ckpt_nl_region_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 ms = ckpt_nl_u32(info, LPAR_CKPT_A_REGION_INTERVAL_MS) ?: READ_ONCE(ckpt_interval_ms);

	return ckpt_nl_periodic(info, ms);
}

int lpar_ckpt_nl_region_stop_doit(struct sk_buff *skb, struct genl_info *info)
{
	return ckpt_nl_periodic(info, 0);
}

int lpar_ckpt_nl_region_checkpoint_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ckpt_region *r;
	struct sk_buff *msg;
	u64 epoch;
	int ret;

	ret = ckpt_nl_begin(info, &r, &msg);
	if (ret)
		return ret;
	mutex_lock(&r->lock);
	ret = ckpt_checkpoint(r, &epoch);
	mutex_unlock(&r->lock);
	return ckpt_nl_done(r, msg, info, ret);
}

int ckpt_nl_init(void)
{
	return genl_register_family(&lpar_ckpt_nl_family);
}

void ckpt_nl_exit(void)
{
	genl_unregister_family(&lpar_ckpt_nl_family);
}
