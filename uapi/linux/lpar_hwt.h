/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	specs/lpar_hwt.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_LPAR_HWT_H
#define _UAPI_LINUX_LPAR_HWT_H

#define LPAR_HWT_FAMILY_NAME	"lpar_hwt"
#define LPAR_HWT_FAMILY_VERSION	1

#define LPAR_HWT_NAME_MAX_LEN	31

/**
 * enum lpar_hwt_state - What a partition's nodes and topology view answer.
 * @LPAR_HWT_STATE_ACTIVE: A map is published; reads are translated through it.
 * @LPAR_HWT_STATE_DISABLED: Turned off by an administrator; reads answer EIO.
 * @LPAR_HWT_STATE_FAILED: On, but the partition's CPU set has no
 *   exclusive-core view (see reason); reads answer EIO until the CPU set
 *   allows one.
 */
enum lpar_hwt_state {
	LPAR_HWT_STATE_ACTIVE,
	LPAR_HWT_STATE_DISABLED,
	LPAR_HWT_STATE_FAILED,
};

/**
 * enum lpar_hwt_reg_kind - The register space of a counter.
 * @LPAR_HWT_REG_KIND_CPUID: A CPUID leaf (reg is EAX).
 * @LPAR_HWT_REG_KIND_MSR: A model-specific register (reg is ECX).
 */
enum lpar_hwt_reg_kind {
	LPAR_HWT_REG_KIND_CPUID,
	LPAR_HWT_REG_KIND_MSR,
};

enum {
	LPAR_HWT_A_VIEW_PART_ID = 1,
	LPAR_HWT_A_VIEW_PART_NAME,
	LPAR_HWT_A_VIEW_ENABLED,
	LPAR_HWT_A_VIEW_STATE,
	LPAR_HWT_A_VIEW_REASON,
	LPAR_HWT_A_VIEW_RENUMBER,
	LPAR_HWT_A_VIEW_PACKAGES,
	LPAR_HWT_A_VIEW_CORES,
	LPAR_HWT_A_VIEW_THREADS,
	LPAR_HWT_A_VIEW_SMT_SHIFT,
	LPAR_HWT_A_VIEW_PKG_SHIFT,
	LPAR_HWT_A_VIEW_CPU,
	LPAR_HWT_A_VIEW_COUNTERS,
	LPAR_HWT_A_VIEW_PAD,

	__LPAR_HWT_A_VIEW_MAX,
	LPAR_HWT_A_VIEW_MAX = (__LPAR_HWT_A_VIEW_MAX - 1)
};

enum {
	LPAR_HWT_A_CPU_LINUX_CPU = 1,
	LPAR_HWT_A_CPU_NUMBER,
	LPAR_HWT_A_CPU_PKG,
	LPAR_HWT_A_CPU_CORE,
	LPAR_HWT_A_CPU_THREAD,
	LPAR_HWT_A_CPU_X2APIC_ID,
	LPAR_HWT_A_CPU_PKG_CORES,

	__LPAR_HWT_A_CPU_MAX,
	LPAR_HWT_A_CPU_MAX = (__LPAR_HWT_A_CPU_MAX - 1)
};

enum {
	LPAR_HWT_A_COUNTERS_CPUID_READS = 1,
	LPAR_HWT_A_COUNTERS_CPUID_SYNTH,
	LPAR_HWT_A_COUNTERS_MSR_READS,
	LPAR_HWT_A_COUNTERS_MSR_DENIED,
	LPAR_HWT_A_COUNTERS_REG,
	LPAR_HWT_A_COUNTERS_PAD,

	__LPAR_HWT_A_COUNTERS_MAX,
	LPAR_HWT_A_COUNTERS_MAX = (__LPAR_HWT_A_COUNTERS_MAX - 1)
};

enum {
	LPAR_HWT_A_REG_STAT_KIND = 1,
	LPAR_HWT_A_REG_STAT_REG,
	LPAR_HWT_A_REG_STAT_READS,
	LPAR_HWT_A_REG_STAT_DENIED,
	LPAR_HWT_A_REG_STAT_PAD,

	__LPAR_HWT_A_REG_STAT_MAX,
	LPAR_HWT_A_REG_STAT_MAX = (__LPAR_HWT_A_REG_STAT_MAX - 1)
};

enum {
	LPAR_HWT_CMD_VIEW_GET = 1,
	LPAR_HWT_CMD_VIEW_SET,
	LPAR_HWT_CMD_VIEW_CHANGE_NTF,

	__LPAR_HWT_CMD_MAX,
	LPAR_HWT_CMD_MAX = (__LPAR_HWT_CMD_MAX - 1)
};

#define LPAR_HWT_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_LPAR_HWT_H */
