// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_adjunct.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/lpar_adjunct.h>

/* LPAR_ADJ_CMD_GET - do */
static const struct nla_policy lpar_adjunct_get_nl_policy[LPAR_ADJ_A_PART_NAME + 1] = {
	[LPAR_ADJ_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_ADJ_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_PART_NAME_MAX_LEN, },
};

/* LPAR_ADJ_CMD_ADD - do */
static const struct nla_policy lpar_adjunct_add_nl_policy[LPAR_ADJ_A_QUEUE_LEN + 1] = {
	[LPAR_ADJ_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_ADJ_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_PART_NAME_MAX_LEN, },
	[LPAR_ADJ_A_VF] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_DEV_MAX_LEN, },
	[LPAR_ADJ_A_STANDBY] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_DEV_MAX_LEN, },
	[LPAR_ADJ_A_MODE] = NLA_POLICY_MAX(NLA_U32, 1),
	[LPAR_ADJ_A_QUEUE_LEN] = NLA_POLICY_RANGE(NLA_U32, 16, 16384),
};

/* LPAR_ADJ_CMD_DEL - do */
static const struct nla_policy lpar_adjunct_del_nl_policy[LPAR_ADJ_A_PART_NAME + 1] = {
	[LPAR_ADJ_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_ADJ_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_PART_NAME_MAX_LEN, },
};

/* LPAR_ADJ_CMD_SWAP - do */
static const struct nla_policy lpar_adjunct_swap_nl_policy[LPAR_ADJ_A_VF + 1] = {
	[LPAR_ADJ_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_ADJ_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_PART_NAME_MAX_LEN, },
	[LPAR_ADJ_A_VF] = { .type = NLA_NUL_STRING, .len = LPAR_ADJUNCT_DEV_MAX_LEN, },
};

/* Ops table for lpar_adjunct */
static const struct genl_split_ops lpar_adjunct_nl_ops[] = {
	{
		.cmd		= LPAR_ADJ_CMD_GET,
		.doit		= lpar_adjunct_nl_get_doit,
		.policy		= lpar_adjunct_get_nl_policy,
		.maxattr	= LPAR_ADJ_A_PART_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_ADJ_CMD_GET,
		.dumpit	= lpar_adjunct_nl_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LPAR_ADJ_CMD_ADD,
		.doit		= lpar_adjunct_nl_add_doit,
		.policy		= lpar_adjunct_add_nl_policy,
		.maxattr	= LPAR_ADJ_A_QUEUE_LEN,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_ADJ_CMD_DEL,
		.doit		= lpar_adjunct_nl_del_doit,
		.policy		= lpar_adjunct_del_nl_policy,
		.maxattr	= LPAR_ADJ_A_PART_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_ADJ_CMD_SWAP,
		.doit		= lpar_adjunct_nl_swap_doit,
		.policy		= lpar_adjunct_swap_nl_policy,
		.maxattr	= LPAR_ADJ_A_VF,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group lpar_adjunct_nl_mcgrps[] = {
	[LPAR_ADJUNCT_NLGRP_EVENTS] = { "events", },
};

struct genl_family lpar_adjunct_nl_family __ro_after_init = {
	.name		= LPAR_ADJUNCT_FAMILY_NAME,
	.version	= LPAR_ADJUNCT_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lpar_adjunct_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lpar_adjunct_nl_ops),
	.mcgrps		= lpar_adjunct_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lpar_adjunct_nl_mcgrps),
};
