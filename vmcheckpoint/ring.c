// SPDX-License-Identifier: GPL-2.0
/*
 * The log ring's arithmetic and the producer's guard-band policy. Indices
 * are free-running u64 counters (entry i lives in slot i & (nr - 1)), so
 * "used" is head - tail in modular arithmetic and wraparound of the
 * counters themselves needs no special case. Records (LINES and PAGE
 * entries) may fill the ring up to nr - guard; the last @guard slots, the
 * guard band, only take END markers, one per checkpoint. A record that
 * finds the ring at the band's edge "enters the guard band": the producer
 * signals the consumer and flushes, i.e. logs no more records in this
 * epoch and keeps changed pages in the fallback set instead. So the
 * producer never writes more than nr entries ahead of the validated tail,
 * and nothing unconsumed is ever overwritten. Pure C (logic.h).
 */
#include "vmcheckpoint/logic.h"

/**
 * ckpt_ring_params() - check a ring size and guard band
 * @nr: entries
 * @guard: guard band entries
 *
 * Return: 0 if @nr is a power of two in [CKPT_RING_MIN, CKPT_RING_MAX] and
 * 1 <= @guard <= @nr / 2, -EINVAL otherwise.
 */
int ckpt_ring_params(u32 nr, u32 guard)
{
	if (nr < CKPT_RING_MIN || nr > CKPT_RING_MAX || (nr & (nr - 1)))
		return -EINVAL;
	if (!guard || guard > nr / 2)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_tail_check() - validate a consumer index written by userspace
 * @old_tail: the last validated tail
 * @new_tail: the value read from the consumer's page
 * @head: the producer index
 *
 * The consumer may only move forward, and not past what was produced.
 *
 * Return: 0 if old_tail <= new_tail <= head (modulo 2^64), else -EINVAL.
 */
int ckpt_tail_check(u64 old_tail, u64 new_tail, u64 head)
{
	return new_tail - old_tail <= head - old_tail ? 0 : -EINVAL;
}

/**
 * ckpt_prod_epoch() - a new checkpoint begins: per-line logging resumes
 * @p: producer state
 */
void ckpt_prod_epoch(struct ckpt_prod *p)
{
	p->flushing = false;
}

/**
 * ckpt_prod_in_guard() - is the ring filled into the guard band?
 * @p: producer state
 *
 * Return: true if fewer than @guard + 1 slots are free.
 */
bool ckpt_prod_in_guard(const struct ckpt_prod *p)
{
	return ckpt_ring_used(p->head, p->tail) >= (u64)p->nr - p->guard;
}

/**
 * ckpt_prod_record() - may a record be appended now?
 * @p: producer state; @p->flushing is set when the guard band is entered
 *
 * Return: CKPT_LOG (the caller appends at @p->head and advances it),
 * CKPT_ENTER_GUARD (first refusal of the epoch: signal and count it) or
 * CKPT_FALLBACK.
 */
enum ckpt_verdict ckpt_prod_record(struct ckpt_prod *p)
{
	if (p->flushing)
		return CKPT_FALLBACK;
	if (!ckpt_prod_in_guard(p))
		return CKPT_LOG;
	p->flushing = true;
	return CKPT_ENTER_GUARD;
}

/**
 * ckpt_prod_marker() - may an END marker be appended now?
 * @p: producer state
 *
 * Return: true if a slot is free (markers may use the guard band).
 */
bool ckpt_prod_marker(const struct ckpt_prod *p)
{
	return ckpt_ring_used(p->head, p->tail) < p->nr;
}
