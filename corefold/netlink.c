// SPDX-License-Identifier: GPL-2.0
/*
 * The "lpar_fold" generic netlink family: per-partition status and enable,
 * the agent's acknowledgements, the global status with the modeled energy
 * per socket, and the change events. Policies and the op table are
 * generated from Documentation/netlink/specs/lpar_fold.yaml into
 * netlink-gen.c. Every refusal carries an extack message.
 */
#include <linux/cgroup.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <net/genetlink.h>

#include "corefold/fold.h"
#include "corefold/netlink-gen.h"
#include "corefold/trace.h"

/* Sized for the strings of the partition's CPU lists and cgroup path. */
static size_t fold_nl_size(void)
{
	return nla_total_size(LPAR_FOLD_NAME_MAX_LEN + 1) +
	       3 * nla_total_size(nr_cpu_ids * 6 + 1) +		/* cpus, unfolded */
	       nla_total_size(PATH_MAX) +
	       8 * nla_total_size(sizeof(u32)) +
	       8 * nla_total_size_64bit(sizeof(u64));
}

/*
 * String attributes are printed straight into the message: room is
 * reserved for the longest string and what is left over given back. No
 * allocation, so an answer whose message is taken before a change cannot
 * fail for want of memory after it. @len counts the terminating NUL.
 */
static void fold_nla_trim(struct sk_buff *skb, struct nlattr *nla, int len)
{
	nla->nla_len = nla_attr_size(len);
	memset((char *)nla_data(nla) + len, 0, nla_padlen(len));
	skb_trim(skb, (unsigned char *)nla + nla_total_size(len) - skb->data);
}

static int fold_nl_put_cpus(struct sk_buff *skb, int type, const struct cpumask *mask)
{
	/* "N," for each CPU at most, N < nr_cpu_ids <= 8192 */
	int max = cpumask_weight(mask) * 6 + 1;
	struct nlattr *nla = nla_reserve(skb, type, max);

	if (!nla)
		return -EMSGSIZE;
	fold_nla_trim(skb, nla, scnprintf(nla_data(nla), max, "%*pbl",
					  cpumask_pr_args(mask)) + 1);
	return 0;
}

static int fold_nl_put_cgroup(struct sk_buff *skb, struct fold_part *fp)
{
	struct cgroup *cgrp = lpar_cgroup(fp->p);
	struct nlattr *nla;
	int len;

	if (!cgrp)
		return nla_put_string(skb, LPAR_FOLD_A_PART_CGROUP_PATH, "");
	nla = nla_reserve(skb, LPAR_FOLD_A_PART_CGROUP_PATH, PATH_MAX);
	if (!nla)
		return -EMSGSIZE;
	len = cgroup_path(cgrp, nla_data(nla), PATH_MAX);
	if (len < 0)
		return len;
	fold_nla_trim(skb, nla, strnlen(nla_data(nla), PATH_MAX - 1) + 1);
	return 0;
}

static int fold_nl_fill(struct sk_buff *skb, struct fold_part *fp, u32 portid, u32 seq,
			int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr;

	lockdep_assert_held(&fold_lock);
	hdr = genlmsg_put(skb, portid, seq, &lpar_fold_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, LPAR_FOLD_A_PART_ID, fp->id) ||
	    nla_put_string(skb, LPAR_FOLD_A_PART_NAME, fp->name) ||
	    nla_put_u8(skb, LPAR_FOLD_A_PART_ENABLED, fp->enabled) ||
	    fold_nl_put_cpus(skb, LPAR_FOLD_A_PART_CPUS, fp->cpus) ||
	    fold_nl_put_cpus(skb, LPAR_FOLD_A_PART_UNFOLDED, fp->unfolded) ||
	    fold_nl_put_cgroup(skb, fp) ||
	    nla_put_u32(skb, LPAR_FOLD_A_PART_LOAD, fp->ps.load) ||
	    nla_put_u32(skb, LPAR_FOLD_A_PART_WANT,
			fp->ps.want == FOLD_NONE ? cpumask_weight(fp->unfolded) : fp->ps.want) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_FOLDS, fp->count[FOLD_ACT_FOLD],
			      LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_UNFOLDS, fp->count[FOLD_ACT_UNFOLD],
			      LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_EXCHANGES, fp->count[FOLD_ACT_EXCHANGE],
			      LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_MIGRATES, fp->count[FOLD_ACT_MIGRATE],
			      LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_SEQ, fp->seq, LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_APPLIED_SEQ, fp->applied_seq,
			      LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u32(skb, LPAR_FOLD_A_PART_KIND, fp->kind) ||
	    nla_put_u64_64bit(skb, LPAR_FOLD_A_PART_TIME_NS, fp->time_ns, LPAR_FOLD_A_PART_PAD) ||
	    nla_put_u32(skb, LPAR_FOLD_A_PART_MECHANISM, fold_knobs.mechanism)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * fold_nl_notify() - announce a partition's new unfolded CPUs
 * @fp: the partition
 */
void fold_nl_notify(struct fold_part *fp)
{
	struct sk_buff *skb;

	lockdep_assert_held(&fold_lock);
	if (!genl_has_listeners(&lpar_fold_nl_family, &init_net, LPAR_FOLD_NLGRP_EVENTS))
		return;
	skb = genlmsg_new(fold_nl_size(), GFP_KERNEL);
	if (!skb)
		return;
	if (fold_nl_fill(skb, fp, 0, 0, 0, LPAR_FOLD_CMD_PART_CHANGE_NTF, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast(&lpar_fold_nl_family, skb, 0, LPAR_FOLD_NLGRP_EVENTS, GFP_KERNEL);
}

/* The partition a request names; fold_lock held. */
static struct fold_part *fold_nl_lookup(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[LPAR_FOLD_A_PART_ID];
	struct nlattr *name_attr = info->attrs[LPAR_FOLD_A_PART_NAME];
	struct fold_part *fp;

	if (!id_attr && !name_attr) {
		NL_SET_ERR_MSG(info->extack, "name the partition by id or name");
		return ERR_PTR(-EINVAL);
	}
	fp = fold_part_find(id_attr ? nla_get_u32(id_attr) : 0,
			    name_attr ? nla_data(name_attr) : NULL);
	if (fp)
		return fp;
	NL_SET_BAD_ATTR(info->extack, name_attr ?: id_attr);
	if (id_attr && name_attr)
		NL_SET_ERR_MSG_FMT(info->extack, "no partition with id %u named %s",
				   nla_get_u32(id_attr), (char *)nla_data(name_attr));
	else if (id_attr)
		NL_SET_ERR_MSG_FMT(info->extack, "no partition with id %u", nla_get_u32(id_attr));
	else
		NL_SET_ERR_MSG_FMT(info->extack, "no partition named %s",
				   (char *)nla_data(name_attr));
	return ERR_PTR(-ENOENT);
}

/*
 * Answers with @fp's attributes in @skb (consumed). A request that
 * changes something takes @skb first, so that a change is never made and
 * then reported failed for want of memory for its answer.
 */
static int fold_nl_answer(struct sk_buff *skb, struct fold_part *fp, struct genl_info *info)
{
	int ret;

	if (!skb)
		return -ENOMEM;
	/* The reply carries the request's command, as ynl expects. */
	ret = fold_nl_fill(skb, fp, info->snd_portid, info->snd_seq, 0,
			   info->genlhdr->cmd, NULL);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	return genlmsg_reply(skb, info);
}

int lpar_fold_nl_part_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct fold_part *fp;
	int ret;

	mutex_lock(&fold_lock);
	fp = fold_nl_lookup(info);
	ret = IS_ERR(fp) ? PTR_ERR(fp) :
			   fold_nl_answer(genlmsg_new(fold_nl_size(), GFP_KERNEL), fp, info);
	mutex_unlock(&fold_lock);
	return ret;
}

struct fold_dump_ctx {
	u32 next_id;
};

int lpar_fold_nl_part_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct fold_dump_ctx *ctx = (struct fold_dump_ctx *)cb->ctx;
	int ret = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct fold_dump_ctx);
	mutex_lock(&fold_lock);
	cb->seq = fold_gen;
	for (;;) {
		struct fold_part *fp, *next = NULL;

		/* Partitions in id order, from the first one not sent yet. */
		list_for_each_entry(fp, &fold_parts, node)
			if (fp->id >= ctx->next_id && (!next || fp->id < next->id))
				next = fp;
		if (!next)
			break;
		ret = fold_nl_fill(skb, next, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				   NLM_F_MULTI, LPAR_FOLD_CMD_PART_GET, cb);
		if (ret)
			break;
		ctx->next_id = next->id + 1;
	}
	mutex_unlock(&fold_lock);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret;
}

int lpar_fold_nl_part_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct fold_part *fp;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_FOLD_A_PART_ENABLED)) {
		NL_SET_ERR_MSG(info->extack, "nothing to change: give enabled");
		return -EINVAL;
	}
	msg = genlmsg_new(fold_nl_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&fold_lock);
	fp = fold_nl_lookup(info);
	if (IS_ERR(fp)) {
		ret = PTR_ERR(fp);
		goto out;
	}
	if (nla_get_u8(info->attrs[LPAR_FOLD_A_PART_ENABLED]) &&
	    cpumask_empty(fp->cpus)) {
		NL_SET_ERR_MSG_FMT(info->extack, "partition %s has no CPUs to fold", fp->name);
		ret = -EINVAL;
		goto out;
	}
	ret = fold_part_enable(fp, nla_get_u8(info->attrs[LPAR_FOLD_A_PART_ENABLED]));
	if (!ret) {
		ret = fold_nl_answer(msg, fp, info);
		msg = NULL;
	}
out:
	mutex_unlock(&fold_lock);
	nlmsg_free(msg);
	return ret;
}

int lpar_fold_nl_part_applied_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct fold_part *fp;
	bool kick = false;
	u64 seq;
	int ret = 0;

	if (GENL_REQ_ATTR_CHECK(info, LPAR_FOLD_A_PART_SEQ)) {
		NL_SET_ERR_MSG(info->extack, "give the seq of the change applied");
		return -EINVAL;
	}
	seq = nla_get_u64(info->attrs[LPAR_FOLD_A_PART_SEQ]);
	mutex_lock(&fold_lock);
	fp = fold_nl_lookup(info);
	if (IS_ERR(fp)) {
		ret = PTR_ERR(fp);
		goto out;
	}
	if (seq > fp->seq) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[LPAR_FOLD_A_PART_SEQ]);
		NL_SET_ERR_MSG_FMT(info->extack,
				   "change %llu of %s was never announced (last %llu)",
				   seq, fp->name, fp->seq);
		ret = -EINVAL;
		goto out;
	}
	/* Only the latest change is timed; an older one was superseded. */
	if (seq == fp->seq && fp->applied_seq < seq) {
		u64 ns = ktime_get_ns() - fp->time_ns;

		/* core -1: the agent applied the partition's whole set */
		trace_corefold_apply(fp->name, LPAR_FOLD_MECHANISM_CPUSET, fp->kind, U32_MAX,
				     ns, 0);
		fold_lat_add(LPAR_FOLD_MECHANISM_CPUSET, fp->kind, ns);
		kick = fp->kind != LPAR_FOLD_KIND_FOLD;
	}
	fp->applied_seq = max(fp->applied_seq, seq);
out:
	mutex_unlock(&fold_lock);
	/*
	 * The cpuset now includes CPUs the partition gained, but its tasks
	 * queued on its busy CPUs move there only when an idle CPU balances:
	 * at its next tick-driven or nohz idle balance, tens of milliseconds
	 * later under TCG. Idle CPUs woken now balance on the way back to
	 * idle (newidle balance) and pull the queued work at once.
	 */
	if (kick)
		wake_up_all_idle_cpus();
	return ret;
}

static int fold_nl_put_socket(struct sk_buff *skb, u32 s)
{
	cpumask_var_t all, unf;
	struct nlattr *nest;
	unsigned int cpu;
	int ret = -EMSGSIZE;

	if (!zalloc_cpumask_var(&all, GFP_KERNEL))
		return -ENOMEM;
	if (!zalloc_cpumask_var(&unf, GFP_KERNEL)) {
		free_cpumask_var(all);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < fold_topo.nr_cpus; cpu++) {
		if (fold_topo.cpu[cpu].socket != s)
			continue;
		cpumask_set_cpu(cpu, all);
		if (test_bit(cpu, fold_st.unfolded))
			cpumask_set_cpu(cpu, unf);
	}
	nest = nla_nest_start(skb, LPAR_FOLD_A_STATUS_SOCKET);
	if (nest && !nla_put_u32(skb, LPAR_FOLD_A_SOCKET_INDEX, s) &&
	    !fold_nl_put_cpus(skb, LPAR_FOLD_A_SOCKET_CPUS, all) &&
	    !fold_nl_put_cpus(skb, LPAR_FOLD_A_SOCKET_UNFOLDED, unf) &&
	    !nla_put_u64_64bit(skb, LPAR_FOLD_A_SOCKET_ENERGY_UJ, fold_energy.uj[s],
			       LPAR_FOLD_A_SOCKET_PAD) &&
	    !nla_put_u64_64bit(skb, LPAR_FOLD_A_SOCKET_DEEP_US, fold_energy.deep_us[s],
			       LPAR_FOLD_A_SOCKET_PAD) &&
	    !nla_put_u32(skb, LPAR_FOLD_A_SOCKET_POWER_MW, fold_socket_mw[s])) {
		nla_nest_end(skb, nest);
		ret = 0;
	}
	free_cpumask_var(unf);
	free_cpumask_var(all);
	return ret;
}

int lpar_fold_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	size_t len = 512 + fold_topo.nr_sockets * (256 + 2 * nr_cpu_ids * 6);
	struct sk_buff *msg = genlmsg_new(len, GFP_KERNEL);
	void *hdr;
	u32 s;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lpar_fold_nl_family, 0, LPAR_FOLD_CMD_STATUS_GET);
	if (!hdr)
		goto err;
	mutex_lock(&fold_lock);
	if (nla_put_u8(msg, LPAR_FOLD_A_STATUS_ENABLED, fold_knobs.enable) ||
	    nla_put_u32(msg, LPAR_FOLD_A_STATUS_MECHANISM, fold_knobs.mechanism) ||
	    nla_put_u32(msg, LPAR_FOLD_A_STATUS_INTERVAL_MS, fold_knobs.interval_ms) ||
	    nla_put_u64_64bit(msg, LPAR_FOLD_A_STATUS_INTERVALS, fold_intervals,
			      LPAR_FOLD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(msg, LPAR_FOLD_A_STATUS_TIME_US, fold_energy.time_us,
			      LPAR_FOLD_A_STATUS_PAD) ||
	    nla_put_u32(msg, LPAR_FOLD_A_STATUS_POWER_MW, fold_power_mw) ||
	    nla_put_u64_64bit(msg, LPAR_FOLD_A_STATUS_ENERGY_UJ,
			      fold_energy_total_uj(&fold_energy), LPAR_FOLD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(msg, LPAR_FOLD_A_STATUS_OVERHEAD_NS, fold_overhead_ns,
			      LPAR_FOLD_A_STATUS_PAD))
		goto err_unlock;
	for (s = 0; s < fold_topo.nr_sockets; s++)
		if (fold_nl_put_socket(msg, s))
			goto err_unlock;
	mutex_unlock(&fold_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&fold_lock);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int fold_netlink_init(void)
{
	return genl_register_family(&lpar_fold_nl_family);
}

void fold_netlink_exit(void)
{
	genl_unregister_family(&lpar_fold_nl_family);
}
