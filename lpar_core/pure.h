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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#ifndef U64_MAX
#define U64_MAX UINT64_MAX
#endif
#endif

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
