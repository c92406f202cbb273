/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure rules of partitions: names, CPU lists and budget arithmetic. See
 * rules.c; KUnit-tested in kunit/lpar_core_test.c.
 */
#ifndef _LPAR_RULES_H
#define _LPAR_RULES_H

#include "pure.h"

int lpar_name_check(const char *name, size_t max_len);
bool lpar_name_reserved(const char *name);
int lpar_cpulist_parse(const char *s, unsigned long *bits, unsigned int nbits,
		       unsigned int *bad);
int lpar_cpulist_format(const unsigned long *bits, unsigned int nbits,
			char *buf, size_t len);
bool lpar_budget_fits(u64 used, u64 budget, u64 bytes, u64 *new_used);
int lpar_budget_check(u64 budget, u64 used, u64 limit);

#endif /* _LPAR_RULES_H */
