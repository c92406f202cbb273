/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_adjunct.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_LPAR_ADJUNCT_H
#define _UAPI_LINUX_LPAR_ADJUNCT_H

#define LPAR_ADJUNCT_FAMILY_NAME	"lpar_adjunct"
#define LPAR_ADJUNCT_FAMILY_VERSION	1

#define LPAR_ADJUNCT_PART_NAME_MAX_LEN	31
#define LPAR_ADJUNCT_DEV_MAX_LEN	31

/**
 * enum lpar_adjunct_mode - Where the adjunct's packet work runs.
 * @LPAR_ADJUNCT_MODE_DIRECT: Transmit in the caller's context straight to the
 *   lower device, receive in the lower device's NAPI context.
 * @LPAR_ADJUNCT_MODE_MEDIATED: Both directions are queued to the adjunct's
 *   kthread, which runs on the partition's CPUs in the partition's cgroup.
 */
enum lpar_adjunct_mode {
	LPAR_ADJUNCT_MODE_DIRECT,
	LPAR_ADJUNCT_MODE_MEDIATED,
};

/**
 * enum lpar_adjunct_lower - Which lower device carries the partition's
 *   traffic.
 * @LPAR_ADJUNCT_LOWER_NONE: Neither; the virtual interface has no carrier.
 * @LPAR_ADJUNCT_LOWER_VF: The virtual function.
 * @LPAR_ADJUNCT_LOWER_STANDBY: The standby lower device (the VF is gone or
 *   down).
 */
enum lpar_adjunct_lower {
	LPAR_ADJUNCT_LOWER_NONE,
	LPAR_ADJUNCT_LOWER_VF,
	LPAR_ADJUNCT_LOWER_STANDBY,
};

enum {
	LPAR_ADJ_A_PART_ID = 1,
	LPAR_ADJ_A_PART_NAME,
	LPAR_ADJ_A_VF,
	LPAR_ADJ_A_STANDBY,
	LPAR_ADJ_A_MODE,
	LPAR_ADJ_A_QUEUE_LEN,
	LPAR_ADJ_A_IFNAME,
	LPAR_ADJ_A_IFINDEX,
	LPAR_ADJ_A_VF_PCI,
	LPAR_ADJ_A_VF_IFNAME,
	LPAR_ADJ_A_MAC,
	LPAR_ADJ_A_MTU,
	LPAR_ADJ_A_CARRIER,
	LPAR_ADJ_A_ACTIVE,
	LPAR_ADJ_A_PID,
	LPAR_ADJ_A_CPUS,
	LPAR_ADJ_A_CHARGED,
	LPAR_ADJ_A_RX_PACKETS,
	LPAR_ADJ_A_RX_BYTES,
	LPAR_ADJ_A_TX_PACKETS,
	LPAR_ADJ_A_TX_BYTES,
	LPAR_ADJ_A_RX_DROPS,
	LPAR_ADJ_A_TX_DROPS,
	LPAR_ADJ_A_QUEUE_FULL,
	LPAR_ADJ_A_SWAPS,
	LPAR_ADJ_A_FALLBACKS,
	LPAR_ADJ_A_CARRIER_CHANGES,
	LPAR_ADJ_A_LAST_SWAP_NS,
	LPAR_ADJ_A_PAD,

	__LPAR_ADJ_A_MAX,
	LPAR_ADJ_A_MAX = (__LPAR_ADJ_A_MAX - 1)
};

enum {
	LPAR_ADJ_CMD_GET = 1,
	LPAR_ADJ_CMD_ADD,
	LPAR_ADJ_CMD_DEL,
	LPAR_ADJ_CMD_SWAP,
	LPAR_ADJ_CMD_ADD_NTF,
	LPAR_ADJ_CMD_DEL_NTF,
	LPAR_ADJ_CMD_SWAP_NTF,
	LPAR_ADJ_CMD_CARRIER_NTF,

	__LPAR_ADJ_CMD_MAX,
	LPAR_ADJ_CMD_MAX = (__LPAR_ADJ_CMD_MAX - 1)
};

#define LPAR_ADJUNCT_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_LPAR_ADJUNCT_H */
