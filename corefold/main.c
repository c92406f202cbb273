// SPDX-License-Identifier: GPL-2.0
/*
 * lpar_corefold.ko: folding and per-socket consolidation of the cores of
 * lpar partitions (Documentation/corefold.md, corefold-design.md). This
 * file only wires the parts together, with the knobs' defaults; the
 * family and sysfs come up before the extension registers, so that the
 * first partitions' events have somewhere to go, and go down after every
 * partition has been restored.
 */
#include <linux/module.h>

#include "corefold/fold.h"

#define CREATE_TRACE_POINTS
#include "corefold/trace.h"

static bool enable = true;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "Start sampling at load (default: 1); see .../corefold/enable");

static char *mechanism = "cpuset";
module_param(mechanism, charp, 0444);
MODULE_PARM_DESC(mechanism, "cpuset (default) or hotplug; see .../corefold/mechanism");

static int __init fold_init(void)
{
	int ret;

	if (!strcmp(mechanism, "cpuset")) {
		fold_knobs.mechanism = LPAR_FOLD_MECHANISM_CPUSET;
	} else if (!strcmp(mechanism, "hotplug")) {
		fold_knobs.mechanism = LPAR_FOLD_MECHANISM_HOTPLUG;
	} else {
		pr_err("mechanism must be cpuset or hotplug, not %s\n", mechanism);
		return -EINVAL;
	}
	fold_knobs.enable = enable;
	fold_knobs.interval_ms = 100;
	fold_knobs.latency_us = 20;
	fold_knobs.tun = fold_tunables_default;
	fold_knobs.power = fold_power_xeon_gold_6148;

	ret = fold_actuate_init();
	if (ret)
		return ret;
	ret = fold_sample_init();
	if (ret)
		goto err_actuate;
	ret = fold_engine_init();
	if (ret)
		goto err_sample;
	ret = fold_netlink_init();
	if (ret)
		goto err_engine;
	ret = fold_sysfs_init();
	if (ret)
		goto err_netlink;
	ret = fold_engine_start();
	if (ret)
		goto err_sysfs;
	return 0;

err_sysfs:
	fold_sysfs_exit();
err_netlink:
	fold_netlink_exit();
err_engine:
	fold_engine_exit();
err_sample:
	fold_sample_exit();
err_actuate:
	fold_actuate_exit();
	return ret;
}

static void __exit fold_exit(void)
{
	fold_engine_stop();
	fold_sysfs_exit();
	fold_netlink_exit();
	fold_engine_exit();
	fold_sample_exit();
	fold_actuate_exit();
}

module_init(fold_init);
module_exit(fold_exit);
MODULE_DESCRIPTION("lpar suite: core folding and per-socket consolidation");
MODULE_LICENSE("GPL");
