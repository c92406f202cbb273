/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_LPAR_H
#define _UAPI_LINUX_LPAR_H

#define LPAR_FAMILY_NAME	"lpar"
#define LPAR_FAMILY_VERSION	1

#define LPAR_NAME_MAX_LEN	31
#define LPAR_CPUS_MAX_LEN	1023

/**
 * enum lpar_state - Lifecycle state of a partition.
 * @LPAR_STATE_CREATING: Being set up; extensions are attaching.
 * @LPAR_STATE_ACTIVE: Usable; visible to lookups.
 * @LPAR_STATE_DYING: Being destroyed; extensions are letting go.
 */
enum lpar_state {
	LPAR_STATE_CREATING,
	LPAR_STATE_ACTIVE,
	LPAR_STATE_DYING,
};

enum {
	LPAR_A_PART_ID = 1,
	LPAR_A_PART_NAME,
	LPAR_A_PART_CPUS,
	LPAR_A_PART_CGROUP_FD,
	LPAR_A_PART_NETNS_FD,
	LPAR_A_PART_BUDGET,
	LPAR_A_PART_USED,
	LPAR_A_PART_STATE,
	LPAR_A_PART_CREATED,
	LPAR_A_PART_CGROUP_PATH,
	LPAR_A_PART_NETNS_INO,
	LPAR_A_PART_CHARGE_FAILS,
	LPAR_A_PART_CHANGES,
	LPAR_A_PART_PAD,

	__LPAR_A_PART_MAX,
	LPAR_A_PART_MAX = (__LPAR_A_PART_MAX - 1)
};

enum {
	LPAR_CMD_PART_GET = 1,
	LPAR_CMD_PART_CREATE,
	LPAR_CMD_PART_DELETE,
	LPAR_CMD_PART_SET,
	LPAR_CMD_PART_CREATE_NTF,
	LPAR_CMD_PART_DELETE_NTF,
	LPAR_CMD_PART_CHANGE_NTF,

	__LPAR_CMD_MAX,
	LPAR_CMD_MAX = (__LPAR_CMD_MAX - 1)
};

#define LPAR_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_LPAR_H */
