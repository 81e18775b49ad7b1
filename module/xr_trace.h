/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xuring's tracepoints, under events/xuring/ in tracefs: a ring's creation,
 * each SQE submitted, each request handed to the workers, each CQE posted
 * (and each one that overflowed), and the SQ thread going to sleep and
 * waking up.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xuring

#if !defined(XR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define XR_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(xuring_create,
	TP_PROTO(void *ctx, u32 sq_entries, u32 cq_entries, u32 flags),
	TP_ARGS(ctx, sq_entries, cq_entries, flags),
	TP_STRUCT__entry(
		__field(void *, ctx)
		__field(u32, sq_entries)
		__field(u32, cq_entries)
		__field(u32, flags)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->sq_entries = sq_entries;
		__entry->cq_entries = cq_entries;
		__entry->flags = flags;
	),
	TP_printk("ring %p, sq_entries %u, cq_entries %u, flags 0x%x",
		  __entry->ctx, __entry->sq_entries, __entry->cq_entries,
		  __entry->flags)
);

TRACE_EVENT(xuring_submit,
	TP_PROTO(void *ctx, void *req, u64 user_data, u8 opcode, u32 flags),
	TP_ARGS(ctx, req, user_data, opcode, flags),
	TP_STRUCT__entry(
		__field(void *, ctx)
		__field(void *, req)
		__field(u64, user_data)
		__field(u8, opcode)
		__field(u32, flags)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->req = req;
		__entry->user_data = user_data;
		__entry->opcode = opcode;
		__entry->flags = flags;
	),
	TP_printk("ring %p, req %p, user_data 0x%llx, opcode %u, flags 0x%x",
		  __entry->ctx, __entry->req,
		  (unsigned long long)__entry->user_data, __entry->opcode,
		  __entry->flags)
);

TRACE_EVENT(xuring_queue_async,
	TP_PROTO(void *ctx, void *req, u64 user_data, u8 opcode, bool hashed),
	TP_ARGS(ctx, req, user_data, opcode, hashed),
	TP_STRUCT__entry(
		__field(void *, ctx)
		__field(void *, req)
		__field(u64, user_data)
		__field(u8, opcode)
		__field(bool, hashed)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->req = req;
		__entry->user_data = user_data;
		__entry->opcode = opcode;
		__entry->hashed = hashed;
	),
	TP_printk("ring %p, req %p, user_data 0x%llx, opcode %u, %s",
		  __entry->ctx, __entry->req,
		  (unsigned long long)__entry->user_data, __entry->opcode,
		  __entry->hashed ? "hashed" : "normal")
);

DECLARE_EVENT_CLASS(xuring_cqe,
	TP_PROTO(void *ctx, u64 user_data, s32 res, u32 cflags),
	TP_ARGS(ctx, user_data, res, cflags),
	TP_STRUCT__entry(
		__field(void *, ctx)
		__field(u64, user_data)
		__field(s32, res)
		__field(u32, cflags)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->user_data = user_data;
		__entry->res = res;
		__entry->cflags = cflags;
	),
	TP_printk("ring %p, user_data 0x%llx, res %d, cflags 0x%x",
		  __entry->ctx, (unsigned long long)__entry->user_data,
		  __entry->res, __entry->cflags)
);

/* A CQE posted (into the ring, or onto the overflow list). */
DEFINE_EVENT(xuring_cqe, xuring_complete,
	TP_PROTO(void *ctx, u64 user_data, s32 res, u32 cflags),
	TP_ARGS(ctx, user_data, res, cflags)
);

/* A CQE that did not fit in the CQ ring. */
DEFINE_EVENT(xuring_cqe, xuring_overflow,
	TP_PROTO(void *ctx, u64 user_data, s32 res, u32 cflags),
	TP_ARGS(ctx, user_data, res, cflags)
);

DECLARE_EVENT_CLASS(xuring_sqpoll,
	TP_PROTO(void *sqd),
	TP_ARGS(sqd),
	TP_STRUCT__entry(
		__field(void *, sqd)
	),
	TP_fast_assign(
		__entry->sqd = sqd;
	),
	TP_printk("sq thread %p", __entry->sqd)
);

DEFINE_EVENT(xuring_sqpoll, xuring_sqpoll_sleep,
	TP_PROTO(void *sqd),
	TP_ARGS(sqd)
);

DEFINE_EVENT(xuring_sqpoll, xuring_sqpoll_wake,
	TP_PROTO(void *sqd),
	TP_ARGS(sqd)
);

/* An IOPOLL reaper found @nr polled requests done; @left still in flight. */
TRACE_EVENT(xuring_iopoll_reap,
	TP_PROTO(void *ctx, unsigned int nr, int left),
	TP_ARGS(ctx, nr, left),
	TP_STRUCT__entry(
		__field(void *, ctx)
		__field(unsigned int, nr)
		__field(int, left)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->nr = nr;
		__entry->left = left;
	),
	TP_printk("ring %p, reaped %u, in flight %d", __entry->ctx,
		  __entry->nr, __entry->left)
);

#endif /* XR_TRACE_H */

/* out of tree: define_trace.h finds this file through -I module/ */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xr_trace
#include <trace/define_trace.h>
