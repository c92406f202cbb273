// SPDX-License-Identifier: GPL-2.0
/*
 * lpar.ko: the partition core of the lpar suite. This file only wires the
 * parts together (partition registry, sysfs, generic netlink) and holds
 * the module parameters; see Documentation/lpar_core.md.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "partition.h"

unsigned int lpar_max_partitions = 1024;
module_param_named(max_partitions, lpar_max_partitions, uint, 0644);
MODULE_PARM_DESC(max_partitions, "Most partitions that may exist at once (default 1024)");

unsigned long lpar_default_budget = 64UL << 20;
module_param_named(default_budget, lpar_default_budget, ulong, 0644);
MODULE_PARM_DESC(default_budget, "Budget in bytes of a partition created without one (default 64 MiB)");

static int __init lpar_init(void)
{
	int ret;

	ret = lpar_partitions_init();
	if (ret)
		return ret;
	ret = lpar_sysfs_init();
	if (ret)
		goto err_partitions;
	ret = lpar_netlink_init();
	if (ret)
		goto err_sysfs;
	return 0;

err_sysfs:
	lpar_sysfs_exit();
err_partitions:
	lpar_partitions_exit();
	return ret;
}

static void __exit lpar_exit(void)
{
	/* No new requests once the family is gone; then drop every partition. */
	lpar_netlink_exit();
	lpar_partitions_exit();
	lpar_sysfs_exit();
}

module_init(lpar_init);
module_exit(lpar_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lpar suite: logical partitions (registry, netlink, sysfs, extension API)");
