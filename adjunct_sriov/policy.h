/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure rules of the adjunct: how a VF is named (PCI address parsing), which
 * lower device carries a partition's traffic (VF, standby or none, with a
 * hold-down against flapping), how much of the partition's budget an
 * adjunct costs, and how per-CPU counters add up. No kernel calls: the
 * module and kunit/adjunct_policy_test.c build this same file.
 */
#ifndef _ADJ_POLICY_H
#define _ADJ_POLICY_H

#include "lpar_core/pure.h"

/* A PCI function address, DDDD:BB:DD.F. */
struct adj_pci_addr {
	u16 domain;
	u8 bus;
	u8 devfn;	/* device << 3 | function, as PCI_DEVFN() */
};

#define ADJ_PCI_ADDR_LEN	12	/* "0000:00:00.0" */

bool adj_is_pci_addr(const char *s);
int adj_pci_parse(const char *s, struct adj_pci_addr *addr);
int adj_pci_format(const struct adj_pci_addr *addr, char *buf, size_t len);

/* The lower devices an adjunct may send through. */
enum adj_lower_kind {
	ADJ_LOWER_NONE,
	ADJ_LOWER_VF,
	ADJ_LOWER_STANDBY,
};

/* What the selection needs to know of one lower device. */
struct adj_lower_view {
	bool present;	/* owned by the adjunct */
	bool usable;	/* running with carrier */
};

/*
 * Selection state carried between decisions: when the VF last became
 * usable, so that a flapping VF does not drag traffic back and forth.
 */
struct adj_select_state {
	enum adj_lower_kind active;
	bool vf_was_usable;
	u64 vf_usable_since;	/* ns, valid while vf_was_usable */
};

enum adj_lower_kind adj_select(struct adj_select_state *st, u64 now_ns,
			       struct adj_lower_view vf,
			       struct adj_lower_view standby, u64 holddown_ns,
			       u64 *recheck_ns);

int adj_charge_bytes(u32 queue_len, bool queued, u32 pkt_truesize, u32 fixed,
		     u64 *bytes);

/* Counters of one adjunct (one CPU's share, or the sum). */
struct adj_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_drops;
	u64 tx_drops;
	u64 queue_full;
};

void adj_stats_add(struct adj_stats *sum, const struct adj_stats *part);

#endif /* _ADJ_POLICY_H */
