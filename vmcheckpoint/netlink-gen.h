/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_ckpt.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_LPAR_CKPT_GEN_H
#define _LINUX_LPAR_CKPT_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/lpar_ckpt.h>

int lpar_ckpt_nl_region_get_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_ckpt_nl_region_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb);
int lpar_ckpt_nl_region_create_doit(struct sk_buff *skb,
				    struct genl_info *info);
int lpar_ckpt_nl_region_delete_doit(struct sk_buff *skb,
				    struct genl_info *info);
int lpar_ckpt_nl_region_start_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_ckpt_nl_region_stop_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_ckpt_nl_region_checkpoint_doit(struct sk_buff *skb,
					struct genl_info *info);

enum {
	LPAR_CKPT_NLGRP_EVENTS,
};

extern struct genl_family lpar_ckpt_nl_family;

#endif /* _LINUX_LPAR_CKPT_GEN_H */
