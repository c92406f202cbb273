/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte sizes as people type and read them: "64M", "1GiB", "4096" in, "64MiB"
 * out. Units are binary (K = 1024) because every size in the suite is a
 * memory budget, and memory is counted in powers of two. Shared by all tools
 * so that every one of them reads and shows sizes alike.
 */
#ifndef LPAR_TOOLS_SIZE_H
#define LPAR_TOOLS_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Longest output of size_format(), "15.9EiB" rounded up, plus NUL. */
#define SIZE_STR_MAX	16

int size_parse(const char *str, uint64_t *bytes);
const char *size_format(char *buf, size_t len, uint64_t bytes);

#endif /* LPAR_TOOLS_SIZE_H */
