// SPDX-License-Identifier: GPL-2.0
/*
 * The "lpar_adjunct" generic netlink family: request handlers and events.
 * Policies and the op table are generated from
 * Documentation/netlink/specs/lpar_adjunct.yaml into netlink-gen.c; this
 * file names partitions, calls adjunct.c and describes adjuncts. Every
 * refusal carries an extack message; mutations need CAP_NET_ADMIN
 * (admin-perm in the spec).
 */
#include <linux/cpumask.h>
#include <net/genetlink.h>

#include "adjunct_sriov/adj.h"
#include "adjunct_sriov/netlink-gen.h"

static const char *adj_nl_vf_ifname(struct adj_lower *lo)
{
	return lo ? lo->dev->name : NULL;
}

/* What adj_nl_fill() needs besides the message: taken before it is called. */
struct adj_nl_scratch {
	cpumask_var_t cpus;
	char *buf;		/* PAGE_SIZE */
};

static int adj_nl_scratch_get(struct adj_nl_scratch *sc)
{
	if (!zalloc_cpumask_var(&sc->cpus, GFP_KERNEL))
		return -ENOMEM;
	sc->buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (sc->buf)
		return 0;
	free_cpumask_var(sc->cpus);
	return -ENOMEM;
}

static void adj_nl_scratch_put(struct adj_nl_scratch *sc)
{
	kfree(sc->buf);
	free_cpumask_var(sc->cpus);
}

/* Describes an adjunct; under adj_lock and rtnl (lowers, interface). */
static int adj_nl_fill(struct sk_buff *skb, struct adj_nl_scratch *sc, struct adj *adj,
		       u32 portid, u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	struct adj_lower *vf = rtnl_dereference(adj->vf);
	struct adj_lower *sb = rtnl_dereference(adj->standby);
	struct net_device *vif = adj->vif;
	struct adj_stats st;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &lpar_adjunct_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	adj_stats_read(adj, &st);
	lpar_cpus(adj->part, sc->cpus);
	scnprintf(sc->buf, PAGE_SIZE, "%*pbl", cpumask_pr_args(sc->cpus));
	if (nla_put_u32(skb, LPAR_ADJ_A_PART_ID, adj->part_id) ||
	    nla_put_string(skb, LPAR_ADJ_A_PART_NAME, adj->part_name) ||
	    nla_put_u32(skb, LPAR_ADJ_A_MODE, adj->mode) ||
	    nla_put_u32(skb, LPAR_ADJ_A_QUEUE_LEN, adj->queue_len) ||
	    nla_put_string(skb, LPAR_ADJ_A_IFNAME, vif->name) ||
	    nla_put_u32(skb, LPAR_ADJ_A_IFINDEX, vif->ifindex) ||
	    (vf && nla_put_string(skb, LPAR_ADJ_A_VF_PCI, vf->pci)) ||
	    (vf && nla_put_string(skb, LPAR_ADJ_A_VF_IFNAME, adj_nl_vf_ifname(vf))) ||
	    (sb && nla_put_string(skb, LPAR_ADJ_A_STANDBY, sb->dev->name)) ||
	    nla_put(skb, LPAR_ADJ_A_MAC, ETH_ALEN, vif->dev_addr) ||
	    nla_put_u32(skb, LPAR_ADJ_A_MTU, READ_ONCE(vif->mtu)) ||
	    nla_put_u8(skb, LPAR_ADJ_A_CARRIER, netif_carrier_ok(vif)) ||
	    nla_put_u32(skb, LPAR_ADJ_A_ACTIVE, adj->sel.active) ||
	    nla_put_u32(skb, LPAR_ADJ_A_PID, task_pid_nr(adj->thread)) ||
	    nla_put_string(skb, LPAR_ADJ_A_CPUS, sc->buf) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_CHARGED, adj->charged, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_RX_PACKETS, st.rx_packets, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_RX_BYTES, st.rx_bytes, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_TX_PACKETS, st.tx_packets, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_TX_BYTES, st.tx_bytes, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_RX_DROPS, st.rx_drops, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_TX_DROPS, st.tx_drops, LPAR_ADJ_A_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_QUEUE_FULL, st.queue_full, LPAR_ADJ_A_PAD) ||
	    nla_put_u32(skb, LPAR_ADJ_A_SWAPS, adj->swaps) ||
	    nla_put_u32(skb, LPAR_ADJ_A_FALLBACKS, adj->fallbacks) ||
	    nla_put_u32(skb, LPAR_ADJ_A_CARRIER_CHANGES, adj->carrier_changes) ||
	    nla_put_u64_64bit(skb, LPAR_ADJ_A_LAST_SWAP_NS, adj->last_swap_ns, LPAR_ADJ_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * adj_nl_notify() - announce an adjunct event on the "events" group
 * @adj: the adjunct
 * @cmd: LPAR_ADJ_CMD_{ADD,DEL,SWAP,CARRIER}_NTF
 *
 * Called under rtnl.
 */
void adj_nl_notify(struct adj *adj, u8 cmd)
{
	struct adj_nl_scratch sc;
	struct sk_buff *skb;

	if (!genl_has_listeners(&lpar_adjunct_nl_family, &init_net,
				LPAR_ADJUNCT_NLGRP_EVENTS))
		return;
	if (adj_nl_scratch_get(&sc))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (skb && adj_nl_fill(skb, &sc, adj, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		skb = NULL;
	}
	adj_nl_scratch_put(&sc);
	if (skb)
		genlmsg_multicast(&lpar_adjunct_nl_family, skb, 0,
				  LPAR_ADJUNCT_NLGRP_EVENTS, GFP_KERNEL);
}

/*
 * What the reply to a request needs, taken before the request changes
 * anything: a change is then never made and reported failed for want of
 * memory for its answer (nor made twice by a caller who tries again).
 */
struct adj_nl_answer {
	struct sk_buff *skb;
	struct adj_nl_scratch sc;
};

static int adj_nl_answer_prepare(struct adj_nl_answer *a)
{
	if (adj_nl_scratch_get(&a->sc))
		return -ENOMEM;
	a->skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (a->skb)
		return 0;
	adj_nl_scratch_put(&a->sc);
	return -ENOMEM;
}

static void adj_nl_answer_drop(struct adj_nl_answer *a)
{
	nlmsg_free(a->skb);
	adj_nl_scratch_put(&a->sc);
}

/* Answers with @adj's attributes; consumes @a. */
static int adj_nl_answer(struct adj_nl_answer *a, struct adj *adj, struct genl_info *info)
{
	int ret;

	rtnl_lock();
	ret = adj_nl_fill(a->skb, &a->sc, adj, info->snd_portid, info->snd_seq, 0,
			  info->genlhdr->cmd, NULL);
	rtnl_unlock();
	adj_nl_scratch_put(&a->sc);
	if (ret) {
		nlmsg_free(a->skb);
		return ret;
	}
	return genlmsg_reply(a->skb, info);
}

/* The partition a request names by part-id and/or part-name. */
static struct lpar *adj_nl_part(struct genl_info *info)
{
	return lpar_from_attrs(info->attrs, LPAR_ADJ_A_PART_ID, LPAR_ADJ_A_PART_NAME,
			       info->extack);
}

/* The adjunct of the partition a request names; adj_lock is then held. */
static struct adj *adj_nl_lookup(struct genl_info *info)
{
	struct lpar *p = adj_nl_part(info);
	struct adj *adj;

	if (IS_ERR(p))
		return ERR_CAST(p);
	mutex_lock(&adj_lock);
	adj = adj_find(lpar_id(p));
	if (!adj) {
		mutex_unlock(&adj_lock);
		NL_SET_ERR_MSG_FMT(info->extack, "partition %s has no adjunct", lpar_name(p));
		adj = ERR_PTR(-ENOENT);
	}
	lpar_put(p);
	return adj;
}

/* The answer taken and the adjunct looked up (adj_lock held), or an error. */
static struct adj *adj_nl_begin(struct genl_info *info, struct adj_nl_answer *a)
{
	struct adj *adj;

	if (adj_nl_answer_prepare(a))
		return ERR_PTR(-ENOMEM);
	adj = adj_nl_lookup(info);
	if (IS_ERR(adj))
		adj_nl_answer_drop(a);
	return adj;
}

int lpar_adjunct_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adj_nl_answer a;
	struct adj *adj;
	int ret;

	adj = adj_nl_begin(info, &a);
	if (IS_ERR(adj))
		return PTR_ERR(adj);
	ret = adj_nl_answer(&a, adj, info);
	mutex_unlock(&adj_lock);
	return ret;
}

struct adj_dump_ctx {
	u32 next_id;
};

int lpar_adjunct_nl_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct adj_dump_ctx *ctx = (struct adj_dump_ctx *)cb->ctx;
	struct adj_nl_scratch sc;
	struct adj *adj;
	int ret = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct adj_dump_ctx);
	if (adj_nl_scratch_get(&sc))
		return -ENOMEM;
	mutex_lock(&adj_lock);
	/* Flags the dump NLM_F_DUMP_INTR if adjuncts came or went between parts. */
	cb->seq = adj_generation();
	rtnl_lock();
	for (;;) {
		u32 id = ctx->next_id;

		adj = adj_next(&id);
		if (!adj)
			break;
		ret = adj_nl_fill(skb, &sc, adj, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, LPAR_ADJ_CMD_GET, cb);
		if (ret)
			break;
		ctx->next_id = id;
	}
	rtnl_unlock();
	mutex_unlock(&adj_lock);
	adj_nl_scratch_put(&sc);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret;
}

int lpar_adjunct_nl_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	enum lpar_adjunct_mode mode = LPAR_ADJUNCT_MODE_DIRECT;
	u32 queue_len = READ_ONCE(adj_default_queue_len);
	const char *standby = NULL;
	struct adj_nl_answer a;
	struct adj *adj;
	struct lpar *p;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_ADJ_A_VF)) {
		NL_SET_ERR_MSG(info->extack, "an adjunct needs a VF (vf attribute)");
		return -EINVAL;
	}
	if (info->attrs[LPAR_ADJ_A_STANDBY])
		standby = nla_data(info->attrs[LPAR_ADJ_A_STANDBY]);
	if (info->attrs[LPAR_ADJ_A_MODE])
		mode = nla_get_u32(info->attrs[LPAR_ADJ_A_MODE]);
	if (info->attrs[LPAR_ADJ_A_QUEUE_LEN])
		queue_len = nla_get_u32(info->attrs[LPAR_ADJ_A_QUEUE_LEN]);
	p = adj_nl_part(info);
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = adj_nl_answer_prepare(&a);
	if (ret) {
		lpar_put(p);
		return ret;
	}
	mutex_lock(&adj_lock);
	ret = adj_add(p, nla_data(info->attrs[LPAR_ADJ_A_VF]), standby, mode,
		      queue_len, &adj, info->extack);
	if (!ret) {
		rtnl_lock();
		adj_nl_notify(adj, LPAR_ADJ_CMD_ADD_NTF);
		rtnl_unlock();
		ret = adj_nl_answer(&a, adj, info);
	} else {
		adj_nl_answer_drop(&a);
	}
	mutex_unlock(&adj_lock);
	lpar_put(p);
	return ret;
}

int lpar_adjunct_nl_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adj *adj = adj_nl_lookup(info);
	int ret;

	if (IS_ERR(adj))
		return PTR_ERR(adj);
	ret = adj_del(adj);
	mutex_unlock(&adj_lock);
	return ret;
}

int lpar_adjunct_nl_swap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adj_nl_answer a;
	struct adj *adj;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_ADJ_A_VF)) {
		NL_SET_ERR_MSG(info->extack, "a swap needs the new VF (vf attribute)");
		return -EINVAL;
	}
	adj = adj_nl_begin(info, &a);
	if (IS_ERR(adj))
		return PTR_ERR(adj);
	ret = adj_swap(adj, nla_data(info->attrs[LPAR_ADJ_A_VF]), info->extack);
	if (!ret)
		ret = adj_nl_answer(&a, adj, info);
	else
		adj_nl_answer_drop(&a);
	mutex_unlock(&adj_lock);
	return ret;
}

int adj_netlink_init(void)
{
	return genl_register_family(&lpar_adjunct_nl_family);
}

void adj_netlink_exit(void)
{
	genl_unregister_family(&lpar_adjunct_nl_family);
}
