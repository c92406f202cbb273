// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_hwt.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/lpar_hwt.h>

/* LPAR_HWT_CMD_VIEW_GET - do */
static const struct nla_policy lpar_hwt_view_get_nl_policy[LPAR_HWT_A_VIEW_PART_NAME + 1] = {
	[LPAR_HWT_A_VIEW_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_HWT_A_VIEW_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_HWT_NAME_MAX_LEN, },
};

/* LPAR_HWT_CMD_VIEW_SET - do */
static const struct nla_policy lpar_hwt_view_set_nl_policy[LPAR_HWT_A_VIEW_ENABLED + 1] = {
	[LPAR_HWT_A_VIEW_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_HWT_A_VIEW_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_HWT_NAME_MAX_LEN, },
	[LPAR_HWT_A_VIEW_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Ops table for lpar_hwt */
static const struct genl_split_ops lpar_hwt_nl_ops[] = {
	{
		.cmd		= LPAR_HWT_CMD_VIEW_GET,
		.doit		= lpar_hwt_nl_view_get_doit,
		.policy		= lpar_hwt_view_get_nl_policy,
		.maxattr	= LPAR_HWT_A_VIEW_PART_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_HWT_CMD_VIEW_GET,
		.dumpit	= lpar_hwt_nl_view_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LPAR_HWT_CMD_VIEW_SET,
		.doit		= lpar_hwt_nl_view_set_doit,
		.policy		= lpar_hwt_view_set_nl_policy,
		.maxattr	= LPAR_HWT_A_VIEW_ENABLED,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group lpar_hwt_nl_mcgrps[] = {
	[LPAR_HWT_NLGRP_EVENTS] = { "events", },
};

struct genl_family lpar_hwt_nl_family __ro_after_init = {
	.name		= LPAR_HWT_FAMILY_NAME,
	.version	= LPAR_HWT_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lpar_hwt_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lpar_hwt_nl_ops),
	.mcgrps		= lpar_hwt_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lpar_hwt_nl_mcgrps),
};
