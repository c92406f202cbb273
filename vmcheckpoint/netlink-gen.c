// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_ckpt.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/lpar_ckpt.h>

/* Integer value ranges */
static const struct netlink_range_validation lpar_ckpt_a_region_interval_ms_range = {
	.max	= 3600000ULL,
};

/* LPAR_CKPT_CMD_REGION_GET - do */
static const struct nla_policy lpar_ckpt_region_get_nl_policy[LPAR_CKPT_A_REGION_PART_NAME + 1] = {
	[LPAR_CKPT_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
};

/* LPAR_CKPT_CMD_REGION_CREATE - do */
static const struct nla_policy lpar_ckpt_region_create_nl_policy[LPAR_CKPT_A_REGION_GUARD + 1] = {
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_SIZE] = NLA_POLICY_MIN(NLA_U64, 1),
	[LPAR_CKPT_A_REGION_RING_ENTRIES] = { .type = NLA_U32, },
	[LPAR_CKPT_A_REGION_GUARD] = { .type = NLA_U32, },
};

/* LPAR_CKPT_CMD_REGION_DELETE - do */
static const struct nla_policy lpar_ckpt_region_delete_nl_policy[LPAR_CKPT_A_REGION_PART_NAME + 1] = {
	[LPAR_CKPT_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
};

/* LPAR_CKPT_CMD_REGION_START - do */
static const struct nla_policy lpar_ckpt_region_start_nl_policy[LPAR_CKPT_A_REGION_INTERVAL_MS + 1] = {
	[LPAR_CKPT_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &lpar_ckpt_a_region_interval_ms_range),
};

/* LPAR_CKPT_CMD_REGION_STOP - do */
static const struct nla_policy lpar_ckpt_region_stop_nl_policy[LPAR_CKPT_A_REGION_PART_NAME + 1] = {
	[LPAR_CKPT_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
};

/* LPAR_CKPT_CMD_REGION_CHECKPOINT - do */
static const struct nla_policy lpar_ckpt_region_checkpoint_nl_policy[LPAR_CKPT_A_REGION_PART_NAME + 1] = {
	[LPAR_CKPT_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[LPAR_CKPT_A_REGION_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
	[LPAR_CKPT_A_REGION_PART_NAME] = { .type = NLA_NUL_STRING, .len = LPAR_CKPT_NAME_MAX_LEN, },
};

/* Ops table for lpar_ckpt */
static const struct genl_split_ops lpar_ckpt_nl_ops[] = {
	{
		.cmd		= LPAR_CKPT_CMD_REGION_GET,
		.doit		= lpar_ckpt_nl_region_get_doit,
		.policy		= lpar_ckpt_region_get_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_PART_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= LPAR_CKPT_CMD_REGION_GET,
		.dumpit	= lpar_ckpt_nl_region_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= LPAR_CKPT_CMD_REGION_CREATE,
		.doit		= lpar_ckpt_nl_region_create_doit,
		.policy		= lpar_ckpt_region_create_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_GUARD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CKPT_CMD_REGION_DELETE,
		.doit		= lpar_ckpt_nl_region_delete_doit,
		.policy		= lpar_ckpt_region_delete_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_PART_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CKPT_CMD_REGION_START,
		.doit		= lpar_ckpt_nl_region_start_doit,
		.policy		= lpar_ckpt_region_start_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_INTERVAL_MS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CKPT_CMD_REGION_STOP,
		.doit		= lpar_ckpt_nl_region_stop_doit,
		.policy		= lpar_ckpt_region_stop_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_PART_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= LPAR_CKPT_CMD_REGION_CHECKPOINT,
		.doit		= lpar_ckpt_nl_region_checkpoint_doit,
		.policy		= lpar_ckpt_region_checkpoint_nl_policy,
		.maxattr	= LPAR_CKPT_A_REGION_PART_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group lpar_ckpt_nl_mcgrps[] = {
	[LPAR_CKPT_NLGRP_EVENTS] = { "events", },
};

struct genl_family lpar_ckpt_nl_family __ro_after_init = {
	.name		= LPAR_CKPT_FAMILY_NAME,
	.version	= LPAR_CKPT_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= lpar_ckpt_nl_ops,
	.n_split_ops	= ARRAY_SIZE(lpar_ckpt_nl_ops),
	.mcgrps		= lpar_ckpt_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lpar_ckpt_nl_mcgrps),
};
