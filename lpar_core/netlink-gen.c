// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	specs/lpar.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/lpar.h>

/* LPAR_CMD_PART_GET - do */
static const struct nla_policy lpar_part_get_nl_policy[LPAR_A_PART_NAME + 1] = {
	[LPAR_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_NAME_MAX_LEN, },
};

/* LPAR_CMD_PART_CREATE - do */
static const struct nla_policy lpar_part_create_nl_policy[LPAR_A_PART_BUDGET + 1] = {
	[LPAR_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_NAME_MAX_LEN, },
	[LPAR_A_PART_CPUS] = { .type = NLA_NUL_STRING, .len = LPAR_CPUS_MAX_LEN, },
	[LPAR_A_PART_CGROUP_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[LPAR_A_PART_NETNS_FD] = { .type = NLA_S32, },
	[LPAR_A_PART_BUDGET] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* LPAR_CMD_PART_DELETE - do */
static const struct nla_policy lpar_part_delete_nl_policy[LPAR_A_PART_NAME + 1] = {
	[LPAR_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_NAME_MAX_LEN, },
};

/* LPAR_CMD_PART_SET - do */
static const struct nla_policy lpar_part_set_nl_policy[LPAR_A_PART_BUDGET + 1] = {
	[LPAR_A_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_A_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_NAME_MAX_LEN, },
	[LPAR_A_PART_CPUS] = { .type = NLA_NUL_STRING, .len = LPAR_CPUS_MAX_LEN, },
	[LPAR_A_PART_NETNS_FD] = { .type = NLA_S32, },
	[LPAR_A_PART_BUDGET] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* Ops table for lpar */
static const struct genl_split_ops lpar_nl_ops[] = {
	{
		.cmd		= LPAR_CMD_PART_GET,
		.doit		= lpar_nl_part_get_doit,
		.policy		= lpar_part_get_nl_policy,
		.maxattr	= LPAR_A_PART_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_CMD_PART_GET,
		.dumpit	= lpar_nl_part_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LPAR_CMD_PART_CREATE,
		.doit		= lpar_nl_part_create_doit,
		.policy		= lpar_part_create_nl_policy,
		.maxattr	= LPAR_A_PART_BUDGET,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CMD_PART_DELETE,
		.doit		= lpar_nl_part_delete_doit,
		.policy		= lpar_part_delete_nl_policy,
		.maxattr	= LPAR_A_PART_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CMD_PART_SET,
		.doit		= lpar_nl_part_set_doit,
		.policy		= lpar_part_set_nl_policy,
		.maxattr	= LPAR_A_PART_BUDGET,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group lpar_nl_mcgrps[] = {
	[LPAR_NLGRP_EVENTS] = { "events", },
};

struct genl_family lpar_nl_family __ro_after_init = {
	.name		= LPAR_FAMILY_NAME,
	.version	= LPAR_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lpar_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lpar_nl_ops),
	.mcgrps		= lpar_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lpar_nl_mcgrps),
};
