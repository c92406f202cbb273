/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of lpar_corefold.ko (events/corefold/ in tracefs): one
 * event per policy decision, named after its action (corefold_fold,
 * corefold_unfold, corefold_exchange, corefold_migrate), and
 * corefold_apply for each change carried out with its duration.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM corefold

#if !defined(_FOLD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FOLD_TRACE_H

#include <linux/tracepoint.h>

#include "corefold/policy.h"

DECLARE_EVENT_CLASS(corefold_decision,
		    TP_PROTO(const char *part, const struct fold_decision *d, u32 load, u32 want),
		    TP_ARGS(part, d, load, want),
		    TP_STRUCT__entry(__string(part, part)
				     __field(u32, core)
				     __field(u32, dest)
				     __field(u32, load)
				     __field(u32, want)
				     __field(u8, reason)),
		    TP_fast_assign(__assign_str(part);
				   __entry->core = d->core;
				   __entry->dest = d->dest;
				   __entry->load = load;
				   __entry->want = want;
				   __entry->reason = d->reason;),
		    TP_printk("part=%s core=%u dest=%d reason=%s load=%u want=%u",
			      __get_str(part), __entry->core, (int)__entry->dest,
			      __print_symbolic(__entry->reason, { 0, "low" }, { 1, "high" },
					       { 2, "burst" }, { 3, "floor" }, { 4, "pack" },
					       { 5, "disabled" }),
			      __entry->load, __entry->want));

#define FOLD_DEFINE_DECISION(name)						\
	DEFINE_EVENT(corefold_decision, name,					\
		     TP_PROTO(const char *part, const struct fold_decision *d,	\
			      u32 load, u32 want),				\
		     TP_ARGS(part, d, load, want))

FOLD_DEFINE_DECISION(corefold_fold);
FOLD_DEFINE_DECISION(corefold_unfold);
FOLD_DEFINE_DECISION(corefold_exchange);
FOLD_DEFINE_DECISION(corefold_migrate);

TRACE_EVENT(corefold_apply,
	    TP_PROTO(const char *part, u32 mechanism, u32 kind, u32 core, u64 ns, int ret),
	    TP_ARGS(part, mechanism, kind, core, ns, ret),
	    TP_STRUCT__entry(__string(part, part)
			     __field(u64, ns)
			     __field(u32, mechanism)
			     __field(u32, kind)
			     __field(u32, core)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(part);
			   __entry->ns = ns;
			   __entry->mechanism = mechanism;
			   __entry->kind = kind;
			   __entry->core = core;
			   __entry->ret = ret;),
	    TP_printk("part=%s mechanism=%s kind=%s core=%d ns=%llu ret=%d",
		      __get_str(part),
		      __print_symbolic(__entry->mechanism, { 0, "cpuset" }, { 1, "hotplug" }),
		      __print_symbolic(__entry->kind, { 0, "fold" }, { 1, "unfold" },
				       { 2, "exchange" }, { 3, "restore" }),
		      (int)__entry->core, __entry->ns, __entry->ret));

#endif /* _FOLD_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH corefold
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
