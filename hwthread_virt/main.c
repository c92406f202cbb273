// SPDX-License-Identifier: GPL-2.0
/*
 * lpar_hwthread.ko: the exclusive-core view of hardware-thread
 * information. Each partition sees whole cores of its own through
 * /dev/lpar_hwt/<partition>/cpu<N>/{cpuid,msr}, translated by the engine
 * in xlate.c from the map that map.c publishes, through the topology
 * filesystem lpar_hwtfs (fs.c), and through the lpar_hwt netlink family
 * (netlink.c). This file only wires the parts together: the devices and
 * the family first, so that the nodes and events of the partitions that
 * already exist can be made when the extension registers.
 */
#include <linux/module.h>

#include "hwthread_virt/hwt.h"

static int __init hwt_init(void)
{
	int ret;

	ret = hwt_dev_init();
	if (ret)
		return ret;
	/* Before the maps: their hooks announce views on the family. */
	ret = hwt_nl_init();
	if (ret)
		goto err_dev;
	ret = hwt_map_init();
	if (ret)
		goto err_nl;
	ret = hwt_fs_init();
	if (ret)
		goto err_map;
	return 0;

err_map:
	hwt_map_exit();
err_nl:
	hwt_nl_exit();
err_dev:
	hwt_dev_exit();
	return ret;
}

static void __exit hwt_exit(void)
{
	hwt_fs_exit();
	hwt_map_exit();
	hwt_nl_exit();
	hwt_dev_exit();
}

module_init(hwt_init);
module_exit(hwt_exit);
MODULE_DESCRIPTION("lpar suite: exclusive-core view of hardware-thread information");
MODULE_LICENSE("GPL");
