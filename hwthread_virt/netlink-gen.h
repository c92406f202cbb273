/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_hwt.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_LPAR_HWT_GEN_H
#define _LINUX_LPAR_HWT_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/lpar_hwt.h>

int lpar_hwt_nl_view_get_doit(struct sk_buff *skb, struct genl_info *info);
int lpar_hwt_nl_view_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int lpar_hwt_nl_view_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	LPAR_HWT_NLGRP_EVENTS,
};

extern struct genl_family lpar_hwt_nl_family;

#endif /* _LINUX_LPAR_HWT_GEN_H */
