// SPDX-License-Identifier: GPL-2.0
/*
 * Pure rules of the adjunct (see policy.h). The lower-device selection is
 * the heart of the "no visible link change" promise: the virtual interface
 * has carrier while any owned lower can carry traffic, the VF is preferred,
 * and a VF that comes back is used again only after it has stayed usable
 * for the hold-down time while a standby carries the traffic (with no
 * standby, at once: there is nothing to protect).
 */
#include "adjunct_sriov/policy.h"

static int adj_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses exactly @digits hex digits at *@s; advances *@s. */
static int adj_hex_field(const char **s, unsigned int digits, unsigned int *val)
{
	unsigned int i;

	*val = 0;
	for (i = 0; i < digits; i++) {
		int d = adj_hex_digit((*s)[i]);

		if (d < 0)
			return -EINVAL;
		*val = *val << 4 | d;
	}
	*s += digits;
	return 0;
}

/**
 * adj_is_pci_addr() - whether a VF reference is meant as a PCI address
 * @s: the reference
 *
 * Interface names cannot contain ':' (dev_valid_name()), PCI addresses
 * always do, so the colon decides; a malformed address is then an error,
 * not an interface name.
 *
 * Return: true if @s is to be parsed as a PCI address.
 */
bool adj_is_pci_addr(const char *s)
{
	for (; *s; s++)
		if (*s == ':')
			return true;
	return false;
}

/**
 * adj_pci_parse() - parse a PCI function address
 * @s: "DDDD:BB:DD.F" or "BB:DD.F" (domain 0), hexadecimal, any case
 * @addr: the result
 *
 * Return: 0, or -EINVAL if @s is not exactly such an address (device at
 * most 0x1f, function at most 7).
 */
int adj_pci_parse(const char *s, struct adj_pci_addr *addr)
{
	unsigned int domain = 0, bus, dev, fn, colons = 0;
	const char *p;

	for (p = s; *p; p++)
		colons += *p == ':';
	if (colons == 2) {
		if (adj_hex_field(&s, 4, &domain) || *s++ != ':')
			return -EINVAL;
	} else if (colons != 1) {
		return -EINVAL;
	}
	if (adj_hex_field(&s, 2, &bus) || *s++ != ':' ||
	    adj_hex_field(&s, 2, &dev) || *s++ != '.' ||
	    adj_hex_field(&s, 1, &fn) || *s)
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	addr->domain = domain;
	addr->bus = bus;
	addr->devfn = dev << 3 | fn;
	return 0;
}

/**
 * adj_pci_format() - format a PCI function address as "DDDD:BB:DD.F"
 * @addr: the address
 * @buf: output
 * @len: size of @buf, at least ADJ_PCI_ADDR_LEN + 1
 *
 * Return: ADJ_PCI_ADDR_LEN, or -ENOSPC.
 */
int adj_pci_format(const struct adj_pci_addr *addr, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int fields[4] = { addr->domain, addr->bus, addr->devfn >> 3,
				   addr->devfn & 7 };
	static const unsigned int width[4] = { 4, 2, 2, 1 };
	static const char sep[4] = { ':', ':', '.', '\0' };
	unsigned int f, i;
	char *p = buf;

	if (len < ADJ_PCI_ADDR_LEN + 1)
		return -ENOSPC;
	for (f = 0; f < 4; f++) {
		for (i = width[f]; i > 0; i--)
			*p++ = hex[(fields[f] >> (4 * (i - 1))) & 0xf];
		*p++ = sep[f];
	}
	return ADJ_PCI_ADDR_LEN;
}

/**
 * adj_select() - choose the lower device that carries the traffic
 * @st: selection state, updated
 * @now_ns: the current time
 * @vf: the VF's view
 * @standby: the standby's view
 * @holddown_ns: how long a returning VF must stay usable before traffic
 *	leaves a working standby for it (0: at once)
 * @recheck_ns: set to the time at which to decide again when a VF is
 *	being held down, else to 0
 *
 * Return: the chosen lower (also stored in @st->active).
 */
enum adj_lower_kind adj_select(struct adj_select_state *st, u64 now_ns,
			       struct adj_lower_view vf,
			       struct adj_lower_view standby, u64 holddown_ns,
			       u64 *recheck_ns)
{
	bool vf_ok = vf.present && vf.usable;
	bool sb_ok = standby.present && standby.usable;
	enum adj_lower_kind sel;

	*recheck_ns = 0;
	if (vf_ok && !st->vf_was_usable)
		st->vf_usable_since = now_ns;
	st->vf_was_usable = vf_ok;

	if (vf_ok && sb_ok && st->active == ADJ_LOWER_STANDBY &&
	    now_ns - st->vf_usable_since < holddown_ns) {
		/* Back, but not for long enough: stay on the standby. */
		sel = ADJ_LOWER_STANDBY;
		*recheck_ns = st->vf_usable_since + holddown_ns;
	} else if (vf_ok) {
		sel = ADJ_LOWER_VF;
	} else if (sb_ok) {
		sel = ADJ_LOWER_STANDBY;
	} else {
		sel = ADJ_LOWER_NONE;
	}
	st->active = sel;
	return sel;
}

/**
 * adj_charge_bytes() - what an adjunct costs its partition's budget
 * @queue_len: packets per adjunct queue (one queue per direction)
 * @queued: whether the queues exist (mediated mode)
 * @pkt_truesize: memory of one queued packet at the interface's MTU
 * @fixed: the adjunct's own memory (state, counters, thread stack)
 * @bytes: the result
 *
 * A full queue holds @queue_len packets in each direction; that much is
 * reserved up front, so a partition can never be made to pay later for
 * memory it was not charged for.
 *
 * Return: 0, or -EOVERFLOW if the sum does not fit in 64 bits.
 */
int adj_charge_bytes(u32 queue_len, bool queued, u32 pkt_truesize, u32 fixed,
		     u64 *bytes)
{
	u64 q = 0;

	if (queued) {
		/* Up to 2 * 2^32 * 2^32: more than 64 bits hold. */
		if (pkt_truesize && queue_len > U64_MAX / 2 / pkt_truesize)
			return -EOVERFLOW;
		q = 2ULL * queue_len * pkt_truesize;
	}
	if (q > U64_MAX - fixed)
		return -EOVERFLOW;
	*bytes = q + fixed;
	return 0;
}

/**
 * adj_stats_add() - add one share of an adjunct's counters to a sum
 * @sum: the running sum
 * @part: one CPU's counters
 */
void adj_stats_add(struct adj_stats *sum, const struct adj_stats *part)
{
	sum->rx_packets += part->rx_packets;
	sum->rx_bytes += part->rx_bytes;
	sum->tx_packets += part->tx_packets;
	sum->tx_bytes += part->tx_bytes;
	sum->rx_drops += part->rx_drops;
	sum->tx_drops += part->tx_drops;
	sum->queue_full += part->queue_full;
}
