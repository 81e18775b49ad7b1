// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/fdinfo/FD of a ring: heads and tails, the SQEs not yet
 * consumed, the CQEs not yet reaped, and the CQ overflow state.
 */
#include <linux/minmax.h>
#include <linux/spinlock.h>

#include "core.h"
#include "fdinfo.h"
#include "iowq.h"
#include "opdef.h"

/* How many pending SQEs / CQEs / overflowed CQEs are listed one by one. */
#define XR_FDINFO_MAX_LIST	16

static void xr_fdinfo_sqes(struct seq_file *m, struct xr_ring_ctx *ctx,
			   unsigned int head, unsigned int tail)
{
	unsigned int n = min(tail - head, ctx->sq_entries);
	unsigned int i;

	seq_printf(m, "SQEs:\t%u\n", n);
	for (i = 0; i < min_t(unsigned int, n, XR_FDINFO_MAX_LIST); i++) {
		unsigned int slot = (head + i) & ctx->sq_mask;
		unsigned int idx = READ_ONCE(ctx->sq_array[slot]);
		const struct xuring_sqe *sqe;
		u8 op;

		if (idx >= ctx->sq_entries) {
			seq_printf(m, "%5u: invalid index %u\n", slot, idx);
			continue;
		}
		sqe = &ctx->sq_sqes[idx];
		op = READ_ONCE(sqe->opcode);
		seq_printf(m,
			   "%5u: opcode:%s, fd:%d, flags:0x%x, off:%llu, addr:0x%llx, len:%u, user_data:%llu\n",
			   slot, op < XURING_OP_LAST ? xr_op_def(op)->name : "?",
			   READ_ONCE(sqe->fd), READ_ONCE(sqe->flags),
			   READ_ONCE(sqe->off), READ_ONCE(sqe->addr),
			   READ_ONCE(sqe->len), READ_ONCE(sqe->user_data));
	}
}

static void xr_fdinfo_cqes(struct seq_file *m, struct xr_ring_ctx *ctx,
			   unsigned int head, unsigned int tail)
{
	unsigned int n = min(tail - head, ctx->cq_entries);
	unsigned int i;

	seq_printf(m, "CQEs:\t%u\n", n);
	for (i = 0; i < min_t(unsigned int, n, XR_FDINFO_MAX_LIST); i++) {
		unsigned int slot = (head + i) & ctx->cq_mask;
		const struct xuring_cqe *cqe = &ctx->rings->cqes[slot];

		seq_printf(m, "%5u: user_data:%llu, res:%d, flags:0x%x\n", slot,
			   READ_ONCE(cqe->user_data), READ_ONCE(cqe->res),
			   READ_ONCE(cqe->flags));
	}
}

static void xr_fdinfo_overflow(struct seq_file *m, struct xr_ring_ctx *ctx)
{
	struct xr_overflow_cqe *ocqe;
	unsigned int n = 0;

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(ocqe, &ctx->cq_overflow_list, list) {
		if (n++ < XR_FDINFO_MAX_LIST)
			seq_printf(m, "  user_data:%llu, res:%d, flags:0x%x\n",
				   ocqe->cqe.user_data, ocqe->cqe.res,
				   ocqe->cqe.flags);
	}
	seq_printf(m, "CqOverflowList:\t%u\n", n);
	seq_printf(m, "CachedCqTail:\t%u\n", ctx->cached_cq_tail);
	spin_unlock_irq(&ctx->completion_lock);
}

/*
 * What the ring has done since setup. The counters kept under a lock fdinfo
 * should not wait for are read without it: a snapshot, not a transaction.
 */
static void xr_fdinfo_counters(struct seq_file *m, struct xr_ring_ctx *ctx)
{
	u64 overflowed;
	u32 posted;

	spin_lock_irq(&ctx->completion_lock);
	posted = ctx->cq_produced;
	overflowed = ctx->nr_overflowed;
	spin_unlock_irq(&ctx->completion_lock);

	seq_printf(m, "Submitted:\t%llu\n", READ_ONCE(ctx->nr_submitted));
	seq_printf(m, "CqesPosted:\t%u\n", posted);
	seq_printf(m, "Overflowed:\t%llu\n", overflowed);
	seq_printf(m, "QueuedAsync:\t%ld\n", atomic_long_read(&ctx->nr_async));
	seq_printf(m, "PollArmed:\t%llu\n", READ_ONCE(ctx->nr_poll_armed));
	if (ctx->flags & XURING_SETUP_IOPOLL)
		seq_printf(m, "IopollReaped:\t%ld\n",
			   atomic_long_read(&ctx->iopoll_reaped));
}

/*
 * Where the requests in flight wait: behind a drain, on a file (FAST_POLL
 * or POLL_ADD), or in the workers; the first few by user_data. A request
 * that never completes shows up in one of these, or in none.
 */
static void xr_fdinfo_waiting(struct seq_file *m, struct xr_ring_ctx *ctx)
{
	u64 uds[XR_FDINFO_MAX_LIST];
	unsigned int n = 0, i, total = 0;
	struct xr_req *req;
	bool drain_active;
	u32 drain_seq;

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(req, &ctx->defer_list, list)
		total++;
	drain_active = ctx->drain_active;
	drain_seq = ctx->drain_seq;
	spin_unlock_irq(&ctx->completion_lock);
	seq_printf(m, "Deferred:\t%u\n", total);
	if (drain_active)
		seq_printf(m, "DrainSeq:\t%u\n", drain_seq);

	total = 0;
	spin_lock(&ctx->cancel_lock);
	list_for_each_entry(req, &ctx->poll_list, poll_node) {
		if (n < ARRAY_SIZE(uds))
			uds[n++] = req->user_data;
		total++;
	}
	spin_unlock(&ctx->cancel_lock);
	seq_printf(m, "PollWaiting:\t%u:", total);
	for (i = 0; i < n; i++)
		seq_printf(m, " %llu", uds[i]);
	seq_putc(m, '\n');

	xr_iowq_show(m, ctx->iowq, ctx);
}

void xr_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct xr_ring_ctx *ctx = file->private_data;
	unsigned int sq_head, sq_tail, cq_head, cq_tail;
	struct xr_rings *rings;
	bool has_lock;

	if (!xr_ctx_ready(ctx)) {
		seq_puts(m, "Ring:\tnot set up\n");
		return;
	}
	rings = ctx->rings;
	/* a submitter may hold uring_lock for long: never wait for it here */
	has_lock = mutex_trylock(&ctx->uring_lock);

	sq_head = READ_ONCE(rings->sq.head);
	sq_tail = READ_ONCE(rings->sq.tail);
	cq_head = READ_ONCE(rings->cq.head);
	cq_tail = READ_ONCE(rings->cq.tail);

	seq_printf(m, "Flags:\t0x%x\n", ctx->flags);
	seq_printf(m, "SqMask:\t0x%x\n", ctx->sq_mask);
	seq_printf(m, "SqHead:\t%u\n", sq_head);
	seq_printf(m, "SqTail:\t%u\n", sq_tail);
	if (has_lock)
		seq_printf(m, "CachedSqHead:\t%u\n", ctx->cached_sq_head);
	seq_printf(m, "SqDropped:\t%u\n", READ_ONCE(rings->sq_dropped));
	seq_printf(m, "SqFlags:\t0x%x\n", atomic_read(&rings->sq_flags));
	seq_printf(m, "CqMask:\t0x%x\n", ctx->cq_mask);
	seq_printf(m, "CqHead:\t%u\n", cq_head);
	seq_printf(m, "CqTail:\t%u\n", cq_tail);
	seq_printf(m, "CqOverflow:\t%u\n", READ_ONCE(rings->cq_overflow));
	xr_fdinfo_sqes(m, ctx, sq_head, sq_tail);
	xr_fdinfo_cqes(m, ctx, cq_head, cq_tail);
	xr_fdinfo_overflow(m, ctx);
	xr_fdinfo_counters(m, ctx);
	xr_fdinfo_waiting(m, ctx);

	if (has_lock)
		mutex_unlock(&ctx->uring_lock);
}
