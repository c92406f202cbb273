// SPDX-License-Identifier: GPL-2.0
/*
 * lpar_vmckpt.ko: tracked memory regions whose modified 64-byte lines are
 * logged at each checkpoint into a guard-banded ring shared with a
 * replicator (Documentation/vmcheckpoint.md). This file wires the parts
 * together and holds the tuning knobs (module parameters, writable in
 * /sys/module/lpar_vmckpt/parameters/).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "vmcheckpoint/ckpt.h"

unsigned int ckpt_interval_ms = 100;
module_param_named(interval_ms, ckpt_interval_ms, uint, 0644);
MODULE_PARM_DESC(interval_ms, "default periodic checkpoint interval, ms (100)");

unsigned int ckpt_ring_entries = 4096;
module_param_named(ring_entries, ckpt_ring_entries, uint, 0644);
MODULE_PARM_DESC(ring_entries, "default log ring entries, a power of two (4096)");

unsigned int ckpt_guard_entries = 256;
module_param_named(guard_entries, ckpt_guard_entries, uint, 0644);
MODULE_PARM_DESC(guard_entries, "default guard band, entries (256)");

unsigned int ckpt_max_regions = 64;
module_param_named(max_regions, ckpt_max_regions, uint, 0644);
MODULE_PARM_DESC(max_regions, "most regions at a time (64)");

static int __init ckpt_init(void)
{
	int ret;

	ret = ckpt_fs_init();
	if (ret)
		return ret;
	ret = ckpt_checkpoint_init();
	if (ret)
		goto err_fs;
	ret = ckpt_regions_init();
	if (ret)
		goto err_wq;
	ret = ckpt_dev_init();
	if (ret)
		goto err_regions;
	ret = ckpt_nl_init();
	if (ret)
		goto err_dev;
	return 0;

err_dev:
	ckpt_dev_exit();
err_regions:
	ckpt_regions_exit();
err_wq:
	ckpt_checkpoint_exit();
err_fs:
	ckpt_fs_exit();
	return ret;
}

static void __exit ckpt_exit(void)
{
	ckpt_nl_exit();
	ckpt_dev_exit();
	ckpt_regions_exit();
	ckpt_checkpoint_exit();
	ckpt_fs_exit();
}

module_init(ckpt_init);
module_exit(ckpt_exit);
MODULE_DESCRIPTION("lpar suite: cache-line checkpoint log of tracked memory regions");
MODULE_LICENSE("GPL");
