/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Utilization traces for corefold-sim: a table of per-partition demand,
 * one row per policy interval, read from the corefold CSV format or from
 * the Alibaba 2018 machine_usage.csv format (each machine a partition,
 * each distinct time stamp a row: time-compressed to one policy interval).
 * Documentation/corefold-design.md describes both formats.
 */
#ifndef CFSIM_TRACE_H
#define CFSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_MAX_PARTS		64

struct trace {
	const char *format;		/* "csv" or "alibaba" */
	unsigned int nr_parts;
	unsigned int nr_rows;
	char *names[TRACE_MAX_PARTS];
	/* Seconds between rows in the source, 0 if unknown. */
	double step_s;
	/* nr_rows * nr_parts demands, per mille of the partition's CPUs. */
	uint16_t *demand;
};

int trace_load(const char *path, struct trace *t, char *err, size_t errlen);
void trace_free(struct trace *t);

static inline unsigned int trace_demand(const struct trace *t, unsigned int row,
					unsigned int part)
{
	return t->demand[(size_t)row * t->nr_parts + part];
}

#endif /* CFSIM_TRACE_H */
