/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel-style helper macros the userspace tools share, so their
 * code reads like the kernel's.
 */
#ifndef LPAR_TOOLS_COMPILER_H
#define LPAR_TOOLS_COMPILER_H

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#endif /* LPAR_TOOLS_COMPILER_H */
