/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_adjunct.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_LPAR_ADJUNCT_GEN_H
#define _LINUX_LPAR_ADJUNCT_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/lpar_adjunct.h>

int lpar_adjunct_nl_get_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_adjunct_nl_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int lpar_adjunct_nl_add_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_adjunct_nl_del_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_adjunct_nl_swap_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	LPAR_ADJUNCT_NLGRP_EVENTS,
};

extern struct genl_family lpar_adjunct_nl_family;

#endif /* _LINUX_LPAR_ADJUNCT_GEN_H */
