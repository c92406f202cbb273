/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only includes a "pure" file of the suite may use. Pure files hold
 * policy, parsing, translation and ring arithmetic with no kernel calls, so
 * the same source builds into a module, a KUnit suite and a userspace tool;
 * this header gives them the kernel's basic types in either world.
 */
#ifndef _LPAR_PURE_H
#define _LPAR_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/limits.h>
#else
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
#ifndef U64_MAX
#define U64_MAX UINT64_MAX
#endif
/* Pure files export their functions to the other modules; not here. */
#define EXPORT_SYMBOL_GPL(sym) static_assert(1, #sym)
#endif

#define LPAR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LPAR_LONG_BITS (8 * sizeof(unsigned long))

static inline bool lpar_bit(const unsigned long *bits, unsigned int n)
{
	return (bits[n / LPAR_LONG_BITS] >> (n % LPAR_LONG_BITS)) & 1;
}

static inline void lpar_set_bit(unsigned long *bits, unsigned int n)
{
	bits[n / LPAR_LONG_BITS] |= 1UL << (n % LPAR_LONG_BITS);
}

#endif /* _LPAR_PURE_H */
