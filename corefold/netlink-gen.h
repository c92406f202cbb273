/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_fold.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_LPAR_FOLD_GEN_H
#define _LINUX_LPAR_FOLD_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/lpar_fold.h>

int lpar_fold_nl_part_get_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_fold_nl_part_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int lpar_fold_nl_part_set_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_fold_nl_part_applied_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_fold_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	LPAR_FOLD_NLGRP_EVENTS,
};

extern struct genl_family lpar_fold_nl_family;

#endif /* _LINUX_LPAR_FOLD_GEN_H */
