// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_fold.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/lpar_fold.h>

/* LPAR_FOLD_CMD_PART_GET - do */
static const struct nla_policy lpar_fold_part_get_nl_policy[LPAR_FOLD_A_PART_NAME + 1] = {
	[LPAR_FOLD_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_FOLD_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_FOLD_NAME_MAX_LEN, },
};

/* LPAR_FOLD_CMD_PART_SET - do */
static const struct nla_policy lpar_fold_part_set_nl_policy[LPAR_FOLD_A_PART_ENABLED + 1] = {
	[LPAR_FOLD_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_FOLD_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_FOLD_NAME_MAX_LEN, },
	[LPAR_FOLD_A_PART_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* LPAR_FOLD_CMD_PART_APPLIED - do */
static const struct nla_policy lpar_fold_part_applied_nl_policy[LPAR_FOLD_A_PART_SEQ + 1] = {
	[LPAR_FOLD_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_FOLD_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_FOLD_NAME_MAX_LEN, },
	[LPAR_FOLD_A_PART_SEQ] = { .type = NLA_U64, },
};

/* Ops table for lpar_fold */
static const struct genl_split_ops lpar_fold_nl_ops[] = {
	{
		.cmd		= LPAR_FOLD_CMD_PART_GET,
		.doit		= lpar_fold_nl_part_get_doit,
		.policy		= lpar_fold_part_get_nl_policy,
		.maxattr	= LPAR_FOLD_A_PART_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_FOLD_CMD_PART_GET,
		.dumpit	= lpar_fold_nl_part_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LPAR_FOLD_CMD_PART_SET,
		.doit		= lpar_fold_nl_part_set_doit,
		.policy		= lpar_fold_part_set_nl_policy,
		.maxattr	= LPAR_FOLD_A_PART_ENABLED,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_FOLD_CMD_PART_APPLIED,
		.doit		= lpar_fold_nl_part_applied_doit,
		.policy		= lpar_fold_part_applied_nl_policy,
		.maxattr	= LPAR_FOLD_A_PART_SEQ,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_FOLD_CMD_STATUS_GET,
		.doit	= lpar_fold_nl_status_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group lpar_fold_nl_mcgrps[] = {
	[LPAR_FOLD_NLGRP_EVENTS] = { "events", },
};

struct genl_family lpar_fold_nl_family __ro_after_init = {
	.name		= LPAR_FOLD_FAMILY_NAME,
	.version	= LPAR_FOLD_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lpar_fold_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lpar_fold_nl_ops),
	.mcgrps		= lpar_fold_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lpar_fold_nl_mcgrps),
};
