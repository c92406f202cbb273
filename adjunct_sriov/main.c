// SPDX-License-Identifier: GPL-2.0
/*
 * lpar_adjunct.ko: per-partition adjuncts for SR-IOV virtual functions.
 * This file only wires the parts together (lpar_core hooks, netdev
 * notifier, the lpvio link kind, generic netlink) and holds the module
 * parameters; see Documentation/adjunct_sriov.md.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/rtnetlink.h>

#include "adjunct_sriov/adj.h"

unsigned int adj_holddown_ms = 200;
module_param_named(holddown_ms, adj_holddown_ms, uint, 0644);
MODULE_PARM_DESC(holddown_ms,
		 "How long a VF back from a failure must keep link before traffic leaves the standby for it (default 200 ms)");

unsigned int adj_default_queue_len = 1024;
module_param_named(queue_len, adj_default_queue_len, uint, 0644);
MODULE_PARM_DESC(queue_len, "Default packets per adjunct queue in mediated mode (default 1024)");

unsigned int adj_poll_us;
module_param_named(poll_us, adj_poll_us, uint, 0644);
MODULE_PARM_DESC(poll_us,
		 "Mediated mode: how long the adjunct thread polls an emptied queue before it sleeps (default 0 us: sleeps at once)");

static int __init adj_init(void)
{
	int ret;

	if (adj_default_queue_len < 16 || adj_default_queue_len > 16384)
		return -EINVAL;
	ret = rtnl_link_register(&adj_link_ops);
	if (ret)
		return ret;
	adj_debugfs_init();
	ret = adj_notifier_init();
	if (ret)
		goto err_link;
	ret = adj_ext_init();
	if (ret)
		goto err_notifier;
	ret = adj_netlink_init();
	if (ret)
		goto err_ext;
	return 0;

err_ext:
	adj_ext_exit();
err_notifier:
	adj_notifier_exit();
err_link:
	adj_debugfs_exit();
	rtnl_link_unregister(&adj_link_ops);
	return ret;
}

static void __exit adj_exit(void)
{
	/* No new requests, then every adjunct goes with its partition hook. */
	adj_netlink_exit();
	adj_ext_exit();
	adj_notifier_exit();
	adj_debugfs_exit();
	rtnl_link_unregister(&adj_link_ops);
}

module_init(adj_init);
module_exit(adj_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lpar suite: partition adjuncts owning SR-IOV virtual functions");
MODULE_ALIAS_RTNL_LINK("lpvio");
