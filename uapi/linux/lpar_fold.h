/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_fold.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_LPAR_FOLD_H
#define _UAPI_LINUX_LPAR_FOLD_H

#define LPAR_FOLD_FAMILY_NAME		"lpar_fold"
#define LPAR_FOLD_FAMILY_VERSION	1

#define LPAR_FOLD_NAME_MAX_LEN	31

/**
 * enum lpar_fold_mechanism - How folding is applied.
 * @LPAR_FOLD_MECHANISM_CPUSET: The partition's cgroup cpuset.cpus is narrowed
 *   to its unfolded CPUs by the agent, from the change events.
 * @LPAR_FOLD_MECHANISM_HOTPLUG: Folded cores are taken offline (remove_cpu),
 *   unfolded ones online.
 */
enum lpar_fold_mechanism {
	LPAR_FOLD_MECHANISM_CPUSET,
	LPAR_FOLD_MECHANISM_HOTPLUG,
};

/**
 * enum lpar_fold_kind - What a change event does to the partition, its largest
 *   action.
 * @LPAR_FOLD_KIND_FOLD: Fewer unfolded CPUs (folds or migrations).
 * @LPAR_FOLD_KIND_UNFOLD: More unfolded CPUs.
 * @LPAR_FOLD_KIND_EXCHANGE: The count is kept, the CPUs moved (an exchange).
 * @LPAR_FOLD_KIND_RESTORE: Every CPU of the partition is unfolded because
 *   folding was disabled for it, the mechanism changed or the module unloads.
 */
enum lpar_fold_kind {
	LPAR_FOLD_KIND_FOLD,
	LPAR_FOLD_KIND_UNFOLD,
	LPAR_FOLD_KIND_EXCHANGE,
	LPAR_FOLD_KIND_RESTORE,
};

enum {
	LPAR_FOLD_A_PART_ID = 1,
	LPAR_FOLD_A_PART_NAME,
	LPAR_FOLD_A_PART_ENABLED,
	LPAR_FOLD_A_PART_CPUS,
	LPAR_FOLD_A_PART_UNFOLDED,
	LPAR_FOLD_A_PART_CGROUP_PATH,
	LPAR_FOLD_A_PART_LOAD,
	LPAR_FOLD_A_PART_WANT,
	LPAR_FOLD_A_PART_FOLDS,
	LPAR_FOLD_A_PART_UNFOLDS,
	LPAR_FOLD_A_PART_EXCHANGES,
	LPAR_FOLD_A_PART_MIGRATES,
	LPAR_FOLD_A_PART_SEQ,
	LPAR_FOLD_A_PART_APPLIED_SEQ,
	LPAR_FOLD_A_PART_KIND,
	LPAR_FOLD_A_PART_TIME_NS,
	LPAR_FOLD_A_PART_MECHANISM,
	LPAR_FOLD_A_PART_PAD,

	__LPAR_FOLD_A_PART_MAX,
	LPAR_FOLD_A_PART_MAX = (__LPAR_FOLD_A_PART_MAX - 1)
};

enum {
	LPAR_FOLD_A_SOCKET_INDEX = 1,
	LPAR_FOLD_A_SOCKET_CPUS,
	LPAR_FOLD_A_SOCKET_UNFOLDED,
	LPAR_FOLD_A_SOCKET_ENERGY_UJ,
	LPAR_FOLD_A_SOCKET_DEEP_US,
	LPAR_FOLD_A_SOCKET_POWER_MW,
	LPAR_FOLD_A_SOCKET_PAD,

	__LPAR_FOLD_A_SOCKET_MAX,
	LPAR_FOLD_A_SOCKET_MAX = (__LPAR_FOLD_A_SOCKET_MAX - 1)
};

enum {
	LPAR_FOLD_A_STATUS_ENABLED = 1,
	LPAR_FOLD_A_STATUS_MECHANISM,
	LPAR_FOLD_A_STATUS_INTERVAL_MS,
	LPAR_FOLD_A_STATUS_INTERVALS,
	LPAR_FOLD_A_STATUS_TIME_US,
	LPAR_FOLD_A_STATUS_POWER_MW,
	LPAR_FOLD_A_STATUS_ENERGY_UJ,
	LPAR_FOLD_A_STATUS_OVERHEAD_NS,
	LPAR_FOLD_A_STATUS_SOCKET,
	LPAR_FOLD_A_STATUS_PAD,

	__LPAR_FOLD_A_STATUS_MAX,
	LPAR_FOLD_A_STATUS_MAX = (__LPAR_FOLD_A_STATUS_MAX - 1)
};

enum {
	LPAR_FOLD_CMD_PART_GET = 1,
	LPAR_FOLD_CMD_PART_SET,
	LPAR_FOLD_CMD_PART_APPLIED,
	LPAR_FOLD_CMD_STATUS_GET,
	LPAR_FOLD_CMD_PART_CHANGE_NTF,

	__LPAR_FOLD_CMD_MAX,
	LPAR_FOLD_CMD_MAX = (__LPAR_FOLD_CMD_MAX - 1)
};

#define LPAR_FOLD_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_LPAR_FOLD_H */
