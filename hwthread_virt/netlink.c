// SPDX-License-Identifier: GPL-2.0
/*
 * The "lpar_hwt" generic netlink family: a partition's view (switch,
 * state, the map per CPU, read counters), the administrator's switch, and
 * an event on the "events" group whenever a view changes. Policies and the
 * op table are generated from Documentation/netlink/specs/lpar_hwt.yaml
 * into netlink-gen.c; every refusal carries an extack message. A reply
 * shows one map: the view is pinned for the length of the fill.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "hwthread_virt/hwt.h"
#include "lpar_core/lpar.h"
#include "netlink-gen.h"

/* Room for a view's message: fixed part, each CPU, each register. */
static size_t hwt_nl_size(u32 nr_cpus, u32 nr_regs)
{
	return nla_total_size(sizeof(u32)) * 9 +		/* id, state, ... */
	       nla_total_size(LPAR_HWT_NAME_MAX_LEN + 1) +
	       nla_total_size(HWT_REASON_LEN) +
	       nla_total_size(sizeof(u8)) * 2 +
	       nr_cpus * nla_total_size(nla_total_size(sizeof(u32)) * 7) +
	       nla_total_size(nla_total_size_64bit(sizeof(u64)) * 4 +
			      nr_regs * nla_total_size(nla_total_size(sizeof(u32)) * 2 +
						       nla_total_size_64bit(sizeof(u64)) * 2));
}

static int hwt_nl_put_map(struct sk_buff *skb, const struct hwt_map *map)
{
	struct nlattr *nest;
	u32 i;

	if (nla_put_u32(skb, LPAR_HWT_A_VIEW_PACKAGES, map->packages) ||
	    nla_put_u32(skb, LPAR_HWT_A_VIEW_CORES, map->cores) ||
	    nla_put_u32(skb, LPAR_HWT_A_VIEW_THREADS, map->threads) ||
	    nla_put_u32(skb, LPAR_HWT_A_VIEW_SMT_SHIFT, map->smt_shift) ||
	    nla_put_u32(skb, LPAR_HWT_A_VIEW_PKG_SHIFT, map->pkg_shift))
		return -EMSGSIZE;
	for (i = 0; i < map->nr_vcpus; i++) {
		u32 cpu = map->cpu[i].order;
		const struct hwt_vcpu *v = &map->cpu[cpu];

		nest = nla_nest_start(skb, LPAR_HWT_A_VIEW_CPU);
		if (!nest ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_LINUX_CPU, cpu) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_NUMBER,
				map->flags & HWT_MAP_RENUMBER ? v->index : cpu) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_PKG, v->pkg) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_CORE, v->core) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_THREAD, v->thread) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_X2APIC_ID, v->apicid) ||
		    nla_put_u32(skb, LPAR_HWT_A_CPU_PKG_CORES, v->pkg_cores))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int hwt_nl_put_counters(struct sk_buff *skb, struct hwt_stats *st,
			       bool per_reg)
{
	struct hwt_reg_stat *rs;
	struct nlattr *nest, *reg;
	unsigned long idx;

	nest = nla_nest_start(skb, LPAR_HWT_A_VIEW_COUNTERS);
	if (!nest ||
	    nla_put_u64_64bit(skb, LPAR_HWT_A_COUNTERS_CPUID_READS,
			      atomic64_read(&st->cpuid_reads), LPAR_HWT_A_COUNTERS_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_HWT_A_COUNTERS_CPUID_SYNTH,
			      atomic64_read(&st->cpuid_synth), LPAR_HWT_A_COUNTERS_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_HWT_A_COUNTERS_MSR_READS,
			      atomic64_read(&st->msr_reads), LPAR_HWT_A_COUNTERS_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_HWT_A_COUNTERS_MSR_DENIED,
			      atomic64_read(&st->msr_denied), LPAR_HWT_A_COUNTERS_PAD))
		return -EMSGSIZE;
	if (per_reg) {
		xa_for_each(&st->regs, idx, rs) {
			reg = nla_nest_start(skb, LPAR_HWT_A_COUNTERS_REG);
			if (!reg ||
			    nla_put_u32(skb, LPAR_HWT_A_REG_STAT_KIND, idx >> 32) ||
			    nla_put_u32(skb, LPAR_HWT_A_REG_STAT_REG, (u32)idx) ||
			    nla_put_u64_64bit(skb, LPAR_HWT_A_REG_STAT_READS,
					      atomic64_read(&rs->reads),
					      LPAR_HWT_A_REG_STAT_PAD) ||
			    nla_put_u64_64bit(skb, LPAR_HWT_A_REG_STAT_DENIED,
					      atomic64_read(&rs->denied),
					      LPAR_HWT_A_REG_STAT_PAD))
				return -EMSGSIZE;
			nla_nest_end(skb, reg);
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One view as a message. Dumps leave out the per-register counters so
 * that each partition fits one dump buffer; get has them.
 */
static int hwt_nl_fill(struct sk_buff *skb, struct hwt_part *hp, u32 portid,
		       u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	struct hwt_view *view;
	bool enabled, dead;
	u32 state;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lpar_hwt_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	mutex_lock(&hp->lock);
	view = hwt_view_get(hp);
	enabled = hp->enabled;
	dead = hp->dead;
	state = view ? LPAR_HWT_STATE_ACTIVE :
		enabled && !dead ? LPAR_HWT_STATE_FAILED : LPAR_HWT_STATE_DISABLED;
	if (nla_put_u32(skb, LPAR_HWT_A_VIEW_PART_ID, hp->part_id) ||
	    nla_put_string(skb, LPAR_HWT_A_VIEW_PART_NAME, hp->name) ||
	    nla_put_u8(skb, LPAR_HWT_A_VIEW_ENABLED, enabled) ||
	    nla_put_u32(skb, LPAR_HWT_A_VIEW_STATE, state) ||
	    (!view && nla_put_string(skb, LPAR_HWT_A_VIEW_REASON, hp->reason)))
		goto err_unlock;
	mutex_unlock(&hp->lock);
	if (nla_put_u8(skb, LPAR_HWT_A_VIEW_RENUMBER,
		       view ? !!(view->map.flags & HWT_MAP_RENUMBER) : hwt_renumber()))
		goto err;
	if (view && hwt_nl_put_map(skb, &view->map))
		goto err;
	if (hwt_nl_put_counters(skb, &hp->stats, !cb))
		goto err;
	hwt_view_put(view);
	genlmsg_end(skb, hdr);
	return 0;

err_unlock:
	mutex_unlock(&hp->lock);
err:
	hwt_view_put(view);
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static struct sk_buff *hwt_nl_new(struct hwt_part *hp)
{
	return genlmsg_new(hwt_nl_size(nr_cpu_ids,
				       atomic_read(&hp->stats.nr_regs)), GFP_KERNEL);
}

/**
 * hwt_nl_notify() - announce a partition's view on the "events" group
 * @hp: the partition's view object
 */
void hwt_nl_notify(struct hwt_part *hp)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&lpar_hwt_nl_family, &init_net, LPAR_HWT_NLGRP_EVENTS))
		return;
	skb = hwt_nl_new(hp);
	if (!skb)
		return;
	if (hwt_nl_fill(skb, hp, 0, 0, 0, LPAR_HWT_CMD_VIEW_CHANGE_NTF, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&lpar_hwt_nl_family, skb, 0, LPAR_HWT_NLGRP_EVENTS,
			  GFP_KERNEL);
}

/*
 * Answers with @hp's view in @skb (consumed). A request that changes
 * something takes @skb first, so that a change is never made and then
 * reported failed for want of memory for its answer.
 */
static int hwt_nl_answer(struct sk_buff *skb, struct hwt_part *hp, struct genl_info *info)
{
	int ret;

	if (!skb)
		return -ENOMEM;
	ret = hwt_nl_fill(skb, hp, info->snd_portid, info->snd_seq, 0,
			  info->genlhdr->cmd, NULL);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	return genlmsg_reply(skb, info);
}

/* The view of the partition a request names by part-id and/or part-name. */
static struct hwt_part *hwt_nl_lookup(struct genl_info *info)
{
	struct hwt_part *hp;
	struct lpar *p;

	p = lpar_from_attrs(info->attrs, LPAR_HWT_A_VIEW_PART_ID, LPAR_HWT_A_VIEW_PART_NAME,
			    info->extack);
	if (IS_ERR(p))
		return ERR_CAST(p);
	/* Every active partition has one, except while this module (un)loads. */
	hp = hwt_part_lookup(lpar_id(p), NULL);
	if (!hp) {
		NL_SET_ERR_MSG_FMT(info->extack, "partition %s has no exclusive-core view",
				   lpar_name(p));
		hp = ERR_PTR(-ENOENT);
	}
	lpar_put(p);
	return hp;
}

int lpar_hwt_nl_view_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hwt_part *hp = hwt_nl_lookup(info);
	int ret;

	if (IS_ERR(hp))
		return PTR_ERR(hp);
	ret = hwt_nl_answer(hwt_nl_new(hp), hp, info);
	hwt_part_put(hp);
	return ret;
}

struct hwt_dump_ctx {
	u32 next_slot;
};

int lpar_hwt_nl_view_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hwt_dump_ctx *ctx = (struct hwt_dump_ctx *)cb->ctx;
	struct hwt_part *hp;
	int ret = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct hwt_dump_ctx);
	/* Flags the dump NLM_F_DUMP_INTR if a view changed between parts. */
	cb->seq = hwt_generation();
	for (;;) {
		u32 slot = ctx->next_slot;

		hp = hwt_part_get_next(&slot);
		if (!hp)
			break;
		ret = hwt_nl_fill(skb, hp, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  LPAR_HWT_CMD_VIEW_GET, cb);
		hwt_part_put(hp);
		if (ret)
			break;
		ctx->next_slot = slot;
	}
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret;
}

int lpar_hwt_nl_view_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct hwt_part *hp;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_HWT_A_VIEW_ENABLED)) {
		NL_SET_ERR_MSG(info->extack, "say enabled 1 (on) or 0 (off)");
		return -EINVAL;
	}
	hp = hwt_nl_lookup(info);
	if (IS_ERR(hp))
		return PTR_ERR(hp);
	msg = hwt_nl_new(hp);
	if (!msg) {
		hwt_part_put(hp);
		return -ENOMEM;
	}
	ret = hwt_part_set_enabled(hp, nla_get_u8(info->attrs[LPAR_HWT_A_VIEW_ENABLED]),
				   info->extack);
	if (!ret)
		ret = hwt_nl_answer(msg, hp, info);
	else
		nlmsg_free(msg);
	hwt_part_put(hp);
	return ret;
}

/**
 * hwt_nl_init() - register the lpar_hwt family
 *
 * Return: 0 or a negative errno.
 */
int hwt_nl_init(void)
{
	return genl_register_family(&lpar_hwt_nl_family);
}

/**
 * hwt_nl_exit() - unregister the lpar_hwt family
 */
void hwt_nl_exit(void)
{
	genl_unregister_family(&lpar_hwt_nl_family);
}
