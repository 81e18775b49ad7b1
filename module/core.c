// SPDX-License-Identifier: GPL-2.0
/*
 * The request core: SQ entries to requests, issue (inline, in a worker or
 * in the submitter's task_work), links and drains, and the one path every
 * CQE is posted through, with CQ overflow. Setting up and tearing down a
 * ring is ring.c; entering and waiting, enter.c.
 */
#include <linux/blkdev.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "compat.h"
#include "core.h"
#include "iowq.h"
#include "nop.h"
#include "opdef.h"
#include "poll.h"
#include "policy.h"
#include "register.h"
#include "rsrc.h"
#include "rw.h"
#include "timeout.h"

#define CREATE_TRACE_POINTS
#include "xr_trace.h"

#define XR_REQ_ALLOC_BATCH	8

/* SQE flags a request may carry. */
#define XR_SQE_VALID_FLAGS	(XURING_SQE_FIXED_FILE | XURING_SQE_IO_DRAIN | \
				 XURING_SQE_IO_LINK | XURING_SQE_IO_HARDLINK | \
				 XURING_SQE_ASYNC | XURING_SQE_BUFFER_SELECT | \
				 XURING_SQE_CQE_SKIP_SUCCESS)

static struct kmem_cache *xr_req_cachep;
/* Ring teardown and completions deferred out of interrupt context. */
static struct workqueue_struct *xr_wq;

static void xr_fail_chain(struct xr_req *req, int err, bool in_submit);

/* Fail @req with @err, unless it failed already: the first error stands. */
static void xr_req_fail_first(struct xr_req *req, int err)
{
	if (!(req->flags & XR_REQ_F_FAIL))
		xr_req_set_res(req, err, 0);	/* sets XR_REQ_F_FAIL */
}

/*
 * ASYNC_CANCEL of a request waiting behind an IO_DRAIN: 0 when found (it
 * and its chain complete with -ECANCELED), -ENOENT otherwise. Only the
 * first waiter completes at once. One behind it stays in its place, to
 * complete when it is reached: the drain before it counts the CQEs posted
 * so far, and an early one would make it wait forever.
 */
int xr_defer_cancel(struct xr_ring_ctx *ctx, u64 user_data)
{
	struct xr_req *req, *found = NULL;
	bool first = true;

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(req, &ctx->defer_list, list) {
		if (req->user_data == user_data) {
			found = req;
			break;
		}
		first = false;
	}
	if (found && first)
		list_del(&found->list);
	else if (found)
		xr_req_fail_first(found, -ECANCELED);
	spin_unlock_irq(&ctx->completion_lock);
	if (!found)
		return -ENOENT;
	if (first)
		xr_fail_chain(found, -ECANCELED, false);
	return 0;
}

/* Requests waiting behind an IO_DRAIN, when the ring goes away. */
void xr_cancel_deferred(struct xr_ring_ctx *ctx)
{
	struct xr_req *req, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&ctx->completion_lock);
	list_splice_init(&ctx->defer_list, &list);
	spin_unlock_irq(&ctx->completion_lock);
	list_for_each_entry_safe(req, tmp, &list, list)
		xr_fail_chain(req, -ECANCELED, false);
}

/* Write one CQE into the ring; completion_lock held, the ring not full. */
static void xr_write_cqe(struct xr_ring_ctx *ctx, u64 user_data, s32 res,
			 u32 cflags)
	__must_hold(&ctx->completion_lock)
{
	struct xuring_cqe *cqe;

	cqe = &ctx->rings->cqes[ctx->cached_cq_tail++ & ctx->cq_mask];
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
}

static bool xr_cqring_full(struct xr_ring_ctx *ctx)
{
	/* acquire: userspace has read the CQEs it released with cq.head */
	return ctx->cached_cq_tail - smp_load_acquire(&ctx->rings->cq.head) >=
	       ctx->cq_entries;
}

/* Make the CQEs written so far visible to userspace. */
static void xr_commit_cqring(struct xr_ring_ctx *ctx)
{
	if (unlikely(!list_empty(&ctx->timeout_list)))
		xr_flush_timeouts(ctx);
	/* release: the CQE stores above land before the tail userspace reads */
	smp_store_release(&ctx->rings->cq.tail, ctx->cached_cq_tail);
}

static void xr_cqring_ev_posted(struct xr_ring_ctx *ctx)
{
	/*
	 * wq_has_sleeper() for both queues, with one barrier for both: the
	 * tail stored before it, a waiter's check after its prepare_to_wait()
	 */
	smp_mb();
	/* ordered by the smp_mb() above */
	if (waitqueue_active(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	/* ordered by the smp_mb() above */
	if (waitqueue_active(&ctx->poll_wait))
		wake_up_interruptible_poll(&ctx->poll_wait,
					   EPOLLIN | EPOLLRDNORM);
	xr_eventfd_signal(ctx);
}

/* The CQ is full: keep the CQE on the overflow list (NODROP). */
static void __cold xr_cqe_overflow(struct xr_ring_ctx *ctx, u64 user_data,
				   s32 res, u32 cflags)
{
	struct xr_overflow_cqe *ocqe;

	trace_xuring_overflow(ctx, user_data, res, cflags);
	ctx->nr_overflowed++;
	ocqe = kmalloc(sizeof(*ocqe), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
	if (unlikely(!ocqe)) {
		/* nothing left to keep it in: drop it, and say so */
		WRITE_ONCE(ctx->rings->cq_overflow, ++ctx->cached_cq_overflow);
		return;
	}
	if (list_empty(&ctx->cq_overflow_list)) {
		WRITE_ONCE(ctx->check_overflow, true);
		atomic_or(XURING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
	ocqe->cqe.user_data = user_data;
	ocqe->cqe.res = res;
	ocqe->cqe.flags = cflags;
	list_add_tail(&ocqe->list, &ctx->cq_overflow_list);
}

/*
 * The one place a CQE is produced. completion_lock held; the caller commits
 * the ring and wakes waiters after a batch.
 */
static __always_inline void xr_fill_cqe(struct xr_ring_ctx *ctx,
					u64 user_data, s32 res, u32 cflags)
	__must_hold(&ctx->completion_lock)
{
	lockdep_assert_held(&ctx->completion_lock);

	ctx->cq_produced++;
	trace_xuring_complete(ctx, user_data, res, cflags);
	/* behind an overflow, CQEs queue up to keep their order */
	if (likely(!ctx->check_overflow && !xr_cqring_full(ctx)))
		xr_write_cqe(ctx, user_data, res, cflags);
	else
		xr_cqe_overflow(ctx, user_data, res, cflags);
}

/* Move overflowed CQEs into the ring while it has room. */
static void __xr_cqring_overflow_flush(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->completion_lock)
{
	struct xr_overflow_cqe *ocqe;

	lockdep_assert_held(&ctx->completion_lock);
	while (!list_empty(&ctx->cq_overflow_list) && !xr_cqring_full(ctx)) {
		ocqe = list_first_entry(&ctx->cq_overflow_list,
					struct xr_overflow_cqe, list);
		xr_write_cqe(ctx, ocqe->cqe.user_data, ocqe->cqe.res,
			     ocqe->cqe.flags);
		list_del(&ocqe->list);
		kfree(ocqe);
	}
	if (list_empty(&ctx->cq_overflow_list)) {
		WRITE_ONCE(ctx->check_overflow, false);
		atomic_andnot(XURING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
}

static void xr_cq_posted(struct xr_ring_ctx *ctx);
static void xr_req_complete_inline(struct xr_req *req);
static void xr_issue_inline(struct xr_req *req);

/* See xr_cqring_overflow_flush(): there are overflowed CQEs. */
bool xr_cqring_overflow_flush_slow(struct xr_ring_ctx *ctx)
{
	unsigned int tail;
	bool flushed;

	spin_lock_irq(&ctx->completion_lock);
	tail = ctx->cached_cq_tail;
	__xr_cqring_overflow_flush(ctx);
	flushed = !ctx->check_overflow;
	if (tail != ctx->cached_cq_tail)
		xr_commit_cqring(ctx);
	spin_unlock_irq(&ctx->completion_lock);

	if (tail != ctx->cached_cq_tail)
		xr_cq_posted(ctx);
	return flushed;
}

/* Anything in req->flags that xr_req_clean() has to let go of. */
#define XR_REQ_F_CLEAN		(XR_REQ_F_OWN_MM | XR_REQ_F_OWN_CREDS | \
				 XR_REQ_F_TASK | XR_REQ_F_RSRC | \
				 XR_REQ_F_RING_FILE | XR_REQ_F_OWN_PID)

/* See xr_req_clean(): what the usual request does not hold. */
static void __xr_req_clean(struct xr_req *req)
{
	if (req->async_data) {
		const struct xr_op_def *def = xr_op_def(req->opcode);

		if (def->cleanup)
			def->cleanup(req);
		kfree(req->async_data);
	}
	if (req->flags & XR_REQ_F_OWN_MM)
		mmdrop(req->mm);
	if (req->flags & XR_REQ_F_OWN_CREDS)
		put_cred(req->creds);
	if (req->flags & XR_REQ_F_TASK)
		put_task_struct(req->task);
	if (req->flags & XR_REQ_F_OWN_PID)
		put_pid(req->pid);
	if (req->flags & XR_REQ_F_RSRC)
		xr_req_put_rsrc(req);
	if (req->flags & XR_REQ_F_RING_FILE)
		xr_ctx_put(req->ring);
}

/*
 * Let go of what a finished request holds, short of the request itself. A
 * NOP, say, holds nothing; a read or write its file only: no call of ours.
 */
static inline void xr_req_clean(struct xr_req *req)
{
	if (req->file)
		fput(req->file);
	if (req->async_data || (req->flags & XR_REQ_F_CLEAN))
		__xr_req_clean(req);
}

/*
 * Whether @req posts a CQE. CQE_SKIP_SUCCESS: only if it failed (an error,
 * a short read: what breaks a chain), and never for a LINK_TIMEOUT, whose
 * -ETIME and -ECANCELED are no failure of its own, as in 6.1. A chain
 * behind a failed CQE_SKIP_SUCCESS request fails quietly (XR_REQ_F_QUIET).
 */
static __always_inline bool xr_req_posts(const struct xr_req *req)
{
	if (likely(!(req->flags & (XURING_SQE_CQE_SKIP_SUCCESS |
				   XR_REQ_F_QUIET))))
		return true;
	if (req->flags & XR_REQ_F_QUIET)
		return false;
	return (req->flags & XR_REQ_F_FAIL) &&
	       req->opcode != XURING_OP_LINK_TIMEOUT;
}

/* Post @req's CQE, and the -ECANCELED of a LINK_TIMEOUT it beat. */
static __always_inline void xr_post_req(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	if (xr_req_posts(req))
		xr_fill_cqe(ctx, req->user_data, req->res, req->cflags);
	else if (unlikely(req->flags & XURING_SQE_IO_DRAIN))
		/*
		 * The running drain (an IO_DRAIN that 6.1 refuses no more,
		 * added by drain_next) posts nothing: what waits behind it
		 * for its CQE to be counted goes now.
		 */
		ctx->drain_active = false;
	if (unlikely(req->flags & XR_REQ_F_LTIMEOUT_ARMED)) {
		bool release = false;
		struct xr_req *lt = xr_link_timeout_disarm(req, &release);

		if (lt) {
			if (xr_req_posts(lt))
				xr_fill_cqe(ctx, lt->user_data, lt->res,
					    lt->cflags);
			if (release)
				list_add_tail(&lt->list, &ctx->posted_reqs);
		}
	}
}

/*
 * Post @req's CQE with completion_lock held; it is released (its chain
 * started, the request freed) by xr_cq_posted() once the lock is dropped.
 * A count TIMEOUT gets here: a LINK_TIMEOUT after it goes with it.
 */
void xr_post_locked(struct xr_req *req)
	__must_hold(&req->ctx->completion_lock)
{
	xr_post_req(req);
	list_add_tail(&req->list, &req->ctx->posted_reqs);
}

/*
 * Complete @req and every request linked after it with @err (one that
 * failed already keeps its own result): a chain that will not run. What
 * they asked with CQE_SKIP_SUCCESS no longer counts, as in 6.1: @quiet,
 * none of them posts a CQE (the chain's failed head asked for none on
 * success, and its own CQE tells); otherwise every one does.
 */
static void __xr_fail_chain(struct xr_req *req, int err, bool in_submit,
			    bool quiet)
{
	while (req) {
		struct xr_req *next = req->link;

		req->link = NULL;
		xr_req_fail_first(req, err);
		if (quiet)
			req->flags |= XR_REQ_F_QUIET;
		else
			req->flags &= ~XURING_SQE_CQE_SKIP_SUCCESS;
		if (in_submit)
			xr_req_complete_inline(req);
		else
			xr_req_complete_post(req);
		req = next;
	}
}

/* @req fails with @err before it runs, and so does the chain after it. */
static void xr_fail_chain(struct xr_req *req, int err, bool in_submit)
{
	bool quiet = req->flags & XURING_SQE_CQE_SKIP_SUCCESS;
	struct xr_req *next = req->link;

	req->link = NULL;
	__xr_fail_chain(req, err, in_submit, false);
	__xr_fail_chain(next, err, in_submit, quiet);
}

/*
 * Start a request that went async before it could be issued (linked, or
 * waiting for a drain): in a worker, or in its submitter if it must.
 */
static void xr_req_queue_async(struct xr_req *req)
{
	if (xr_op_def(req->opcode)->submitter_only)
		xr_req_queue_retry(req);
	else
		xr_punt(req);
}

/*
 * @req's CQE is out: start what is linked after it, or, if it failed and
 * the link is not a hard one, fail the rest of the chain.
 */
static void xr_req_finish_link(struct xr_req *req, bool in_submit)
{
	struct xr_req *next = req->link;

	req->link = NULL;
	if (!next)
		return;
	if ((req->flags & XR_REQ_F_FAIL) &&
	    !(req->flags & XURING_SQE_IO_HARDLINK))
		__xr_fail_chain(next, -ECANCELED, in_submit,
				req->flags & XURING_SQE_CQE_SKIP_SUCCESS);
	/* another task's submit call may complete @req: not its to issue */
	else if (in_submit && xr_req_is_submitter(next))
		xr_issue_inline(next);
	else
		xr_req_queue_async(next);
}

/* A request whose CQE is posted: start its chain, free it. Any context. */
void xr_req_release(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	bool async = req->flags & XR_REQ_F_ASYNC;

	xr_req_finish_link(req, false);
	xr_req_clean(req);
	llist_add(&req->cache_node, &ctx->locked_free);
	if (async)
		xr_ctx_put(ctx);
}

/* What only process context may put: an mm, creds, task or pid of its own. */
#define XR_REQ_F_PROCESS_PUTS	(XR_REQ_F_OWN_MM | XR_REQ_F_OWN_CREDS | \
				 XR_REQ_F_TASK | XR_REQ_F_OWN_PID)

/*
 * Outside process context, a request that holds an mm, creds or task of
 * its own goes on to @fn in a work item, where an mmdrop() may run: true
 * when it did.
 */
static bool xr_req_defer_puts(struct xr_req *req, work_func_t fn)
{
	if (likely(in_task() || !(req->flags & XR_REQ_F_PROCESS_PUTS)))
		return false;
	INIT_WORK(&req->work, fn);
	queue_work(xr_wq, &req->work);
	return true;
}

static void xr_req_release_work(struct work_struct *work)
{
	xr_req_release(container_of(work, struct xr_req, work));
}

/*
 * xr_req_release() from any context: requests posted under the lock (count
 * TIMEOUTs, LINK_TIMEOUTs) may be released from a timer or the block
 * layer's interrupt.
 */
static void xr_req_release_any(struct xr_req *req)
{
	if (!xr_req_defer_puts(req, xr_req_release_work))
		xr_req_release(req);
}

/*
 * Under completion_lock: whether @req must wait for what was submitted
 * before it (IO_DRAIN on it, or a drain before it not yet complete).
 */
static bool xr_drain_blocks(struct xr_ring_ctx *ctx, struct xr_req *req)
	__must_hold(&ctx->completion_lock)
{
	if (ctx->drain_active && (s32)(ctx->cq_produced - ctx->drain_seq) <= 0)
		return true;
	if (req->flags & XURING_SQE_IO_DRAIN) {
		if (ctx->cq_produced != req->seq)
			return true;
		/* everything before it is done: it runs, and what follows waits */
		ctx->drain_active = true;
		ctx->drain_seq = req->seq;
	}
	return false;
}

/* Move the deferred requests that may run now to @ready. */
static void xr_defer_collect(struct xr_ring_ctx *ctx, struct list_head *ready)
	__must_hold(&ctx->completion_lock)
{
	struct xr_req *req;

	lockdep_assert_held(&ctx->completion_lock);
	while ((req = list_first_entry_or_null(&ctx->defer_list,
					       struct xr_req, list))) {
		if (xr_drain_blocks(ctx, req))
			break;
		list_move_tail(&req->list, ready);
	}
}

/*
 * Requests posted under the lock, and drained requests that may now run.
 * Failing one of those posts CQEs, which calls this again: the call that
 * is running takes that work over, so that a long run of failed requests
 * behind drains does not nest one call per drain.
 */
static void __cold xr_commit_flush(struct xr_ring_ctx *ctx)
{
	struct xr_req *req, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	if (ctx->post_running) {
		ctx->post_again = true;
		spin_unlock_irqrestore(&ctx->completion_lock, flags);
		return;
	}
	ctx->post_running = true;
	do {
		LIST_HEAD(posted);
		LIST_HEAD(ready);

		ctx->post_again = false;
		list_splice_init(&ctx->posted_reqs, &posted);
		xr_defer_collect(ctx, &ready);
		spin_unlock_irqrestore(&ctx->completion_lock, flags);

		list_for_each_entry_safe(req, tmp, &posted, list)
			xr_req_release_any(req);
		list_for_each_entry_safe(req, tmp, &ready, list) {
			if (req->flags & XR_REQ_F_FAIL)
				xr_fail_chain(req, -ECANCELED, false);
			else
				xr_req_queue_async(req);
		}
		spin_lock_irqsave(&ctx->completion_lock, flags);
	} while (ctx->post_again);
	ctx->post_running = false;
	spin_unlock_irqrestore(&ctx->completion_lock, flags);
}

/* After CQEs are posted and the lock dropped: wake, and the slow work. */
static void xr_cq_posted(struct xr_ring_ctx *ctx)
{
	xr_cqring_ev_posted(ctx);
	if (unlikely(!list_empty(&ctx->posted_reqs) ||
		     !list_empty(&ctx->defer_list)))
		xr_commit_flush(ctx);
}

/* Put a request back in the cache; uring_lock held. */
static void xr_req_cache_put(struct xr_ring_ctx *ctx, struct xr_req *req)
	__must_hold(&ctx->uring_lock)
{
	req->cache_node.next = ctx->free_cache;
	ctx->free_cache = &req->cache_node;
}

/* Post the CQEs of the requests linked through cache_node from @first. */
static void xr_post_batch(struct xr_ring_ctx *ctx, struct llist_node *first)
{
	struct xr_req *req;

	spin_lock_irq(&ctx->completion_lock);
	llist_for_each_entry(req, first, cache_node)
		xr_post_req(req);
	xr_commit_cqring(ctx);
	spin_unlock_irq(&ctx->completion_lock);
	xr_cq_posted(ctx);
}

/* Post the CQEs of the requests completed inline, and recycle them. */
static void xr_flush_completions(struct xr_ring_ctx *ctx)
{
	while (ctx->compl_first) {
		struct llist_node *batch = ctx->compl_first;
		struct xr_req *req, *tmp;
		unsigned int puts = 0;

		ctx->compl_first = NULL;
		ctx->compl_last = &ctx->compl_first;
		xr_post_batch(ctx, batch);

		llist_for_each_entry_safe(req, tmp, batch, cache_node) {
			/* what a chain starts lands on compl_first: next round */
			if (unlikely(req->link))
				xr_req_finish_link(req, true);
			xr_req_clean(req);
			if (req->flags & XR_REQ_F_ASYNC)
				puts++;
			xr_req_cache_put(ctx, req);
		}
		if (puts)
			xr_ctx_put_many(ctx, puts);
	}
}

static void __xr_req_complete_post(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	xr_post_req(req);
	xr_commit_cqring(ctx);
	spin_unlock_irqrestore(&ctx->completion_lock, flags);
	xr_cq_posted(ctx);
	xr_req_release(req);
}

/*
 * Complete the requests linked through cache_node from @first, their
 * results set, with one completion_lock round trip: the IOPOLL reaper's
 * batch. Process context; @locked: uring_lock is held, and the requests go
 * straight back to the request cache.
 */
void xr_req_complete_batch(struct xr_ring_ctx *ctx, struct llist_node *first,
			   bool locked)
{
	unsigned int puts = 0, polled = 0;
	struct llist_node *last = NULL;
	struct xr_req *req;

	if (!first)
		return;
	xr_post_batch(ctx, first);
	/*
	 * xr_req_release() for each, with one llist_add (or none), one ring
	 * reference put and one iopoll_inflight update for the batch
	 */
	llist_for_each_entry(req, first, cache_node) {
		if (unlikely(req->link))
			xr_req_finish_link(req, false);
		if (req->flags & XR_REQ_F_IOPOLL) {
			req->flags &= ~XR_REQ_F_IOPOLL;
			polled++;
		}
		xr_req_clean(req);
		if (req->flags & XR_REQ_F_ASYNC)
			puts++;
		last = &req->cache_node;
	}
	if (locked) {
		lockdep_assert_held(&ctx->uring_lock);
		last->next = ctx->free_cache;
		ctx->free_cache = first;
	} else {
		llist_add_batch(first, last, &ctx->locked_free);
	}
	if (polled)
		atomic_sub(polled, &ctx->iopoll_inflight);
	if (puts)
		xr_ctx_put_many(ctx, puts);
}

static void xr_req_complete_work(struct work_struct *work)
{
	__xr_req_complete_post(container_of(work, struct xr_req, work));
}

/*
 * Complete a request outside the submit call: a worker, a wakeup, a timer,
 * or the block layer's interrupt. Its result is already set.
 */
void xr_req_complete_post(struct xr_req *req)
{
	/*
	 * Completed by the submit call itself, under its uring_lock (a block
	 * driver that completes at once, as null_blk does, or a cancel):
	 * the CQE goes out with the submit call's batch.
	 */
	if (in_task() && READ_ONCE(req->ctx->submit_task) == current) {
		xr_req_complete_inline(req);
		return;
	}
	/* dropping an mm, creds or task of its own takes process context */
	if (xr_req_defer_puts(req, xr_req_complete_work))
		return;
	__xr_req_complete_post(req);
}

void xr_req_fail_post(struct xr_req *req, int err)
{
	xr_req_set_res(req, err, 0);
	req->flags |= XR_REQ_F_FAIL;
	xr_req_complete_post(req);
}

void xr_queue_work(struct work_struct *work)
{
	queue_work(xr_wq, work);
}

/* The request completes outside the submit call but needs no identity. */
void xr_req_hold_ring(struct xr_req *req)
{
	if (!(req->flags & XR_REQ_F_ASYNC)) {
		req->flags |= XR_REQ_F_ASYNC;
		refcount_inc(&req->ctx->refs);
	}
}

/* Refill the request cache: first what was freed elsewhere, else a batch. */
static bool __cold xr_req_cache_refill(struct xr_ring_ctx *ctx)
{
	void *reqs[XR_REQ_ALLOC_BATCH];
	int i, n;

	ctx->free_cache = llist_del_all(&ctx->locked_free);
	if (ctx->free_cache)
		return true;

	n = kmem_cache_alloc_bulk(xr_req_cachep, GFP_KERNEL | __GFP_NOWARN,
				  ARRAY_SIZE(reqs), reqs);
	if (unlikely(n <= 0)) {
		reqs[0] = kmem_cache_alloc(xr_req_cachep, GFP_KERNEL);
		if (!reqs[0])
			return false;
		n = 1;
	}
	for (i = 0; i < n; i++)
		xr_req_cache_put(ctx, reqs[i]);
	return true;
}

/* The ring is freed: the requests it kept for reuse go too. */
void xr_req_cache_free(struct xr_ring_ctx *ctx)
{
	struct xr_req *req, *tmp;

	llist_for_each_entry_safe(req, tmp, ctx->free_cache, cache_node)
		kmem_cache_free(xr_req_cachep, req);
	llist_for_each_entry_safe(req, tmp, llist_del_all(&ctx->locked_free),
				  cache_node)
		kmem_cache_free(xr_req_cachep, req);
}

static struct xr_req *xr_alloc_req(struct xr_ring_ctx *ctx)
{
	struct llist_node *node;

	if (unlikely(!ctx->free_cache) && !xr_req_cache_refill(ctx))
		return NULL;
	node = ctx->free_cache;
	ctx->free_cache = node->next;
	return llist_entry(node, struct xr_req, cache_node);
}

/* Completed in the submit call: its CQE goes out with the batch. */
static void xr_req_complete_inline(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	req->cache_node.next = NULL;
	*ctx->compl_last = &req->cache_node;
	ctx->compl_last = &req->cache_node.next;
}

static void xr_req_fail(struct xr_req *req, int err)
{
	req->flags |= XR_REQ_F_FAIL;
	xr_req_set_res(req, err, 0);
	xr_req_complete_inline(req);
}

/*
 * @req names a ring's fd: it holds that ring, not its file. A request that
 * waits (behind a drain or a link, or polling) would otherwise keep the
 * file open, and the ring alive, after every fd and mapping is gone: the
 * ring's own request, or one of a ring that it holds back. A POLL_ADD asks
 * the ring itself (see poll.c); other ops borrow the file to be issued,
 * while it is open, and fail quickly on it.
 */
static void __cold xr_req_hold_ring_file(struct xr_req *req)
{
	req->ring = req->file->private_data;
	xr_ctx_get(req->ring);
	fput(req->file);
	req->file = NULL;
	req->flags |= XR_REQ_F_RING_FILE;
}

/*
 * xr_issue() for a request that needs a file and has none: a bad fd
 * (-EBADF), or a ring's (see xr_req_hold_ring_file()). A POLL_ADD asks the
 * ring itself; other ops borrow the file, while it is open, for this
 * attempt only: one that must be tried again (in a worker, maybe behind
 * others for long) does not keep it meanwhile.
 */
static int __cold xr_issue_no_file(struct xr_req *req,
				   const struct xr_op_def *def,
				   unsigned int issue_flags)
{
	int ret;

	if (!(req->flags & XR_REQ_F_RING_FILE))
		return -EBADF;
	if (req->opcode != XURING_OP_POLL_ADD) {
		rcu_read_lock();
		req->file = xr_get_file_rcu(&req->ring->file);
		rcu_read_unlock();
		if (!req->file)
			return -EBADF;
	}
	ret = def->issue(req, issue_flags);
	/* still ours: done or failed requests are completed by the caller */
	if (ret == -EAGAIN && req->file) {
		fput(req->file);
		req->file = NULL;
	}
	return ret;
}

/*
 * Run the op's issue handler. A bad fd was found when the SQE was read but
 * fails the request only now, when it runs: as in io_uring, where files are
 * looked up at issue, it is not an error that takes a whole chain down.
 */
static __always_inline int xr_issue(struct xr_req *req,
				    unsigned int issue_flags)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (unlikely(def->needs_file && !req->file))
		return xr_issue_no_file(req, def, issue_flags);
	/* with retpolines, the usual ops get a direct call */
	return INDIRECT_CALL_3(def->issue, xr_read, xr_write, xr_nop, req,
			       issue_flags);
}

/* For the async paths, which are not hot: xr_issue() out of line. */
int xr_issue_req(struct xr_req *req, unsigned int issue_flags)
{
	return xr_issue(req, issue_flags);
}

/* Whether a -EAGAIN of @req is waited out on its file (FAST_POLL). */
bool xr_req_pollable(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (unlikely(!req->file))
		return (req->flags & XR_REQ_F_RING_FILE) &&
		       req->opcode == XURING_OP_POLL_ADD;
	return (def->pollin || def->pollout || def->poll_events) &&
	       file_can_poll(req->file);
}

__poll_t xr_req_poll_mask(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (def->poll_events)
		return def->poll_events(req);
	return def->pollin ? EPOLLIN | EPOLLRDNORM : EPOLLOUT | EPOLLWRNORM;
}

/* The SQE the next SQ array slot points at; NULL (and counted) if invalid. */
static const struct xuring_sqe *xr_get_sqe(struct xr_ring_ctx *ctx)
{
	unsigned int idx;

	idx = READ_ONCE(ctx->sq_array[ctx->cached_sq_head++ & ctx->sq_mask]);
	if (likely(idx < ctx->sq_entries))
		return &ctx->sq_sqes[array_index_nospec(idx, ctx->sq_entries)];

	WRITE_ONCE(ctx->rings->sq_dropped, ++ctx->cached_sq_dropped);
	return NULL;
}

/* Read the SQE's common fields, resolve the file, and let the op prep. */
static int xr_init_req(struct xr_ring_ctx *ctx, struct xr_req *req,
		       const struct xuring_sqe *sqe)
{
	const struct xr_op_def *def;
	unsigned int sqe_flags;
	u8 opcode;
	int ret;

	req->ctx = ctx;
	req->file = NULL;
	req->res = 0;
	req->cflags = 0;
	req->async_data = NULL;
	/* who submitted it, until it goes async: the ring's creator */
	req->pid = ctx->pid;
	req->link = NULL;
	req->seq = ctx->submit_seq++;
	INIT_LIST_HEAD(&req->poll_node);
	opcode = READ_ONCE(sqe->opcode);
	req->opcode = opcode;
	req->user_data = READ_ONCE(sqe->user_data);
	/*
	 * Link flags count even when the SQE turns out bad: the chain fails
	 * (and with CQE_SKIP_SUCCESS, quietly, as in 6.1).
	 */
	sqe_flags = READ_ONCE(sqe->flags);
	req->flags = sqe_flags & (XR_REQ_F_LINK_FLAGS |
				  XURING_SQE_CQE_SKIP_SUCCESS);
	/*
	 * A drain counts CQEs: once some may be skipped, drains are refused
	 * (as 6.1 does). Here, before anything can fail: a bad SQE heading
	 * a chain skips its chain's CQEs too, and 6.1, which notes the flag
	 * only on a good SQE, would leave a later drain waiting forever.
	 */
	if (unlikely(sqe_flags & XURING_SQE_CQE_SKIP_SUCCESS))
		ctx->drain_disabled = true;

	if (unlikely(opcode >= XURING_OP_LAST))
		return -EINVAL;
	def = xr_op_def(array_index_nospec(opcode, XURING_OP_LAST));

	if (unlikely(sqe_flags & ~XR_SQE_VALID_FLAGS))
		return -EINVAL;
	req->flags = sqe_flags;
	if (unlikely(xr_op_denied(opcode)))
		return -EACCES;
	if (unlikely(sqe_flags & XURING_SQE_IO_DRAIN)) {
		if (ctx->drain_disabled) {
			/* its CQE may not wait for counts that skips broke */
			req->flags &= ~XURING_SQE_IO_DRAIN;
			return -EOPNOTSUPP;
		}
		ctx->drain_used = true;
	}

	/* restrictions, BUFFER_SELECT, IOPOLL, personality: register.h */
	ret = xr_req_init_regs(ctx, req, def, sqe);
	if (unlikely(ret))
		return ret;
	/* after a chain that had an IO_DRAIN in it (see xr_submit_sqe()) */
	if (unlikely(ctx->drain_next) && !ctx->link_head) {
		req->flags |= XURING_SQE_IO_DRAIN;
		ctx->drain_next = false;
	}

	/* the SQ thread has no fd table, cwd or root of the submitter's */
	if (unlikely(def->submitter_only && (ctx->flags & XURING_SETUP_SQPOLL)))
		return -EINVAL;

	if (def->needs_file) {
		int fd = READ_ONCE(sqe->fd);

		if (sqe_flags & XURING_SQE_FIXED_FILE)
			req->file = xr_file_get_fixed(ctx, fd);
		/* the SQ thread has no file table of the submitter's */
		else if (likely(!(ctx->flags & XURING_SETUP_SQPOLL))) {
			req->file = fget(fd);
			if (unlikely(req->file && xr_is_ring_file(req->file)))
				xr_req_hold_ring_file(req);
		}
		/* no file: -EBADF when it is issued, see xr_issue() */
	}
	return INDIRECT_CALL_2(def->prep, xr_prep_rw, xr_nop_prep, req, sqe);
}

/*
 * The non-blocking attempt could not finish: wait for the file to be ready,
 * or hand the request to a worker. -EAGAIN: the file is ready, try again.
 */
static int xr_arm_or_punt(struct xr_req *req)
{
	bool submitter_only = xr_op_def(req->opcode)->submitter_only;

	if (xr_req_pollable(req)) {
		int ret = xr_poll_arm(req, xr_req_poll_mask(req));

		if (ret == XR_ARM_WAITING)
			return 0;
		if (ret == XR_ARM_READY)
			return -EAGAIN;
		if (ret != XR_ARM_CANT)
			return ret;
	}
	/* no worker may act on the submitter's fd table */
	if (submitter_only)
		return -EAGAIN;
	xr_punt(req);
	return 0;
}

/*
 * After a first non-blocking attempt in the submit call that returned @ret,
 * neither done nor queued: wait for the file, retry, hand the request to a
 * worker, or fail it. The submit call must not block; submitter_only ops
 * that can neither wait nor go to a worker are issued blocking, here, as a
 * last resort.
 */
static void xr_issue_inline_retry(struct xr_req *req, int ret)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);
	unsigned int issue_flags = XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_INLINE;
	bool retried = false;

	for (;;) {
		if (ret != -EAGAIN || (req->flags & XR_REQ_F_NOWAIT) ||
		    !(issue_flags & XR_ISSUE_F_NONBLOCK))
			goto fail;

		/* ready again at once: one more try here, then a worker */
		if (retried) {
			if (!def->submitter_only) {
				xr_punt(req);
				return;
			}
			issue_flags &= ~XR_ISSUE_F_NONBLOCK;
		} else {
			ret = xr_arm_or_punt(req);
			if (ret != -EAGAIN)
				break;
			retried = true;
		}
		ret = xr_issue(req, issue_flags);
		if (likely(ret == XR_ISSUE_DONE)) {
			xr_req_complete_inline(req);
			return;
		}
		if (ret == XR_ISSUE_QUEUED)
			return;
	}
	if (!ret)
		return;
fail:
	xr_req_fail(req, ret);
}

/* The first attempt in the submit call; the rest is out of line. */
static __always_inline void xr_issue_inline_first(struct xr_req *req)
{
	int ret = xr_issue(req, XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_INLINE);

	if (likely(ret == XR_ISSUE_DONE))
		xr_req_complete_inline(req);
	else if (ret != XR_ISSUE_QUEUED)
		xr_issue_inline_retry(req, ret);
}

static void __xr_issue_inline(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);
	int ret;

	if (unlikely(xr_req_bad_file(req, def))) {
		xr_req_fail(req, -EBADF);
		return;
	}
	if ((req->flags & XURING_SQE_ASYNC) && !def->submitter_only) {
		/* keep nothing userspace may reuse once the SQE is consumed */
		ret = def->prep_async ? def->prep_async(req) : 0;
		if (unlikely(ret)) {
			xr_req_fail(req, ret);
			return;
		}
		xr_punt(req);
		return;
	}
	xr_issue_inline_first(req);
}

/*
 * Issue @req, which a LINK_TIMEOUT follows, and then start the timer if
 * the request has not completed in here: it is where a cancel finds it
 * now. One that completed here is the last on the inline completion list.
 */
static void __cold xr_issue_inline_ltimeout(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_req *lt = xr_link_timeout_take(req);

	__xr_issue_inline(req);
	/* only the address of @req: it may be gone */
	xr_link_timeout_arm(lt, ctx->compl_last != &req->cache_node.next);
}

/* The submit call issues @req, with its registered personality if any. */
static void xr_issue_inline(struct xr_req *req)
{
	const struct cred *creds = NULL, *old = NULL;

	if (likely(!(req->flags & (XR_REQ_F_PERSONALITY | XR_REQ_F_LTIMEOUT)))) {
		__xr_issue_inline(req);
		return;
	}
	/* the request may complete and go away: hold the creds ourselves */
	if (req->flags & XR_REQ_F_PERSONALITY) {
		creds = get_cred(req->creds);
		old = override_creds(creds);
	}
	if (req->flags & XR_REQ_F_LTIMEOUT)
		xr_issue_inline_ltimeout(req);
	else
		__xr_issue_inline(req);
	if (creds) {
		revert_creds(old);
		put_cred(creds);
	}
}

/*
 * Under IO_DRAIN: park @req (and its chain) until what it waits for has
 * completed. Returns false when it may run now.
 */
static bool xr_defer_req(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	const struct xr_op_def *def;
	struct xr_req *link;
	bool defer;

	spin_lock_irq(&ctx->completion_lock);
	defer = !list_empty(&ctx->defer_list) || xr_drain_blocks(ctx, req);
	spin_unlock_irq(&ctx->completion_lock);
	if (!defer)
		return false;

	/*
	 * It runs after the SQE is given back, from another context. One
	 * that failed waits too: its CQE comes in order, or a drain before
	 * it, counting CQEs, would wait forever.
	 */
	if (req->flags & XR_REQ_F_FAIL) {
		/* it never runs: the ring is all it needs, for each CQE */
		for (link = req; link; link = link->link)
			xr_req_hold_ring(link);
	} else {
		def = xr_op_def(req->opcode);
		if (def->prep_async && def->prep_async(req))
			xr_req_set_res(req, -ENOMEM, 0);	/* fails it */
		xr_req_go_async(req);
	}
	spin_lock_irq(&ctx->completion_lock);
	list_add_tail(&req->list, &ctx->defer_list);
	spin_unlock_irq(&ctx->completion_lock);
	/* what it waited for may have finished meanwhile */
	xr_cq_posted(ctx);
	return true;
}

/* Run a request, or a chain's head, that is ready in the submit call. */
static void xr_queue_sqe(struct xr_req *req)
{
	if (unlikely(req->ctx->drain_used) && xr_defer_req(req))
		return;
	if (unlikely(req->flags & XR_REQ_F_FAIL)) {
		/* a chain with a bad SQE in it fails whole, hard links too */
		xr_fail_chain(req, -ECANCELED, true);
		return;
	}
	xr_issue_inline(req);
}

/*
 * @req could not be initialised: it fails with @err, and so does the chain
 * it is in (whose head fails with -ECANCELED). Returns nonzero when the
 * submission stops here: at the end of the chain, as io_uring does.
 */
static int xr_submit_fail_init(struct xr_ring_ctx *ctx, struct xr_req *req,
			       int err)
{
	struct xr_req *head = ctx->link_head;

	xr_req_set_res(req, err, 0);	/* fails it */
	if (head)
		xr_req_fail_first(head, -ECANCELED);
	if (!(req->flags & XR_REQ_F_LINK_FLAGS)) {
		if (head) {
			ctx->link_last->link = req;
			ctx->link_head = NULL;
			req = head;
		}
		xr_queue_sqe(req);
		return err;
	}
	if (head)
		ctx->link_last->link = req;
	else
		ctx->link_head = req;
	ctx->link_last = req;
	return 0;
}

/*
 * Initialise the request for @sqe and run it, or add it to the IO_LINK
 * chain being put together (a chain runs once its last SQE is in).
 */
static int xr_submit_sqe(struct xr_ring_ctx *ctx, struct xr_req *req,
			 const struct xuring_sqe *sqe)
{
	const struct xr_op_def *def;
	int ret;

	ret = xr_init_req(ctx, req, sqe);
	if (unlikely(ret))
		return xr_submit_fail_init(ctx, req, ret);
	trace_xuring_submit(ctx, req, req->user_data, req->opcode, req->flags);

	if (unlikely(ctx->link_head)) {
		/*
		 * An IO_DRAIN in a chain drains the chain: it moves to the
		 * head, and the request after the chain waits for it, as 5.10.
		 */
		if (unlikely(req->flags & XURING_SQE_IO_DRAIN)) {
			ctx->link_head->flags |= XURING_SQE_IO_DRAIN;
			ctx->drain_next = true;
		}
		def = xr_op_def(req->opcode);
		/* it runs after the SQE is given back, from another context */
		ret = def->prep_async ? def->prep_async(req) : 0;
		if (unlikely(ret))
			return xr_submit_fail_init(ctx, req, ret);
		xr_req_go_async(req);
		ctx->link_last->link = req;
		ctx->link_last = req;
		if (req->flags & XR_REQ_F_LINK_FLAGS)
			return 0;
		req = ctx->link_head;
		ctx->link_head = NULL;
	} else if (unlikely(req->flags & XR_REQ_F_LINK_FLAGS)) {
		ctx->link_head = req;
		ctx->link_last = req;
		return 0;
	} else if (likely(!ctx->drain_used &&
			  !(req->flags & (XR_REQ_F_FAIL | XR_REQ_F_PERSONALITY |
					  XR_REQ_F_LTIMEOUT |
					  XURING_SQE_ASYNC)))) {
		/*
		 * The usual request: what xr_queue_sqe() would do, without
		 * its checks and calls. A missing file is -EBADF from
		 * xr_issue() here, as from __xr_issue_inline().
		 */
		xr_issue_inline_first(req);
		return 0;
	}
	xr_queue_sqe(req);
	return 0;
}

/* Whether @sqe is block I/O worth a plug (its opcode is checked again later). */
static bool xr_sqe_plugs(const struct xuring_sqe *sqe)
{
	u8 opcode = READ_ONCE(sqe->opcode);

	return opcode < XURING_OP_LAST &&
	       xr_op_def(array_index_nospec(opcode, XURING_OP_LAST))->plug;
}

/*
 * Consume up to @nr SQEs. Returns how many were consumed (each gets a CQE),
 * stopping early at an invalid SQ index or at a request that fails to
 * initialise, or -EBUSY while overflowed CQEs cannot be flushed.
 */
int xr_submit_sqes(struct xr_ring_ctx *ctx, unsigned int nr)
	__must_hold(&ctx->uring_lock)
{
	struct xr_rings *rings = ctx->rings;
	bool need_plug, plugged = false;
	struct blk_plug plug;
	unsigned int entries;
	int submitted = 0;

	lockdep_assert_held(&ctx->uring_lock);

	if (unlikely(READ_ONCE(ctx->check_overflow)) &&
	    !xr_cqring_overflow_flush(ctx))
		return -EBUSY;

	/* acquire: the SQEs and array slots userspace wrote before the tail */
	entries = smp_load_acquire(&rings->sq.tail) - ctx->cached_sq_head;
	nr = min3(nr, ctx->sq_entries, entries);
	/* what completes in here does not signal an EVENTFD_ASYNC eventfd */
	WRITE_ONCE(ctx->submit_task, current);
	/* as io_uring: a plug for batches of reads and writes, not for one */
	need_plug = nr > 2;

	while (submitted < nr) {
		const struct xuring_sqe *sqe;
		struct xr_req *req;

		req = xr_alloc_req(ctx);
		if (unlikely(!req)) {
			if (!submitted)
				submitted = -EAGAIN;
			break;
		}
		sqe = xr_get_sqe(ctx);
		if (unlikely(!sqe)) {
			xr_req_cache_put(ctx, req);
			break;
		}
		submitted++;
		if (need_plug && xr_sqe_plugs(sqe)) {
			xr_blk_start_plug_nr_ios(&plug, nr - submitted + 1);
			need_plug = false;
			plugged = true;
		}

		/* an SQE that failed to initialise ends it, unless SUBMIT_ALL */
		if (unlikely(xr_submit_sqe(ctx, req, sqe)) &&
		    !(ctx->flags & XURING_SETUP_SUBMIT_ALL))
			break;
	}

	/* a chain still open at the end of the submission runs as it is */
	if (unlikely(ctx->link_head)) {
		struct xr_req *head = ctx->link_head;

		ctx->link_head = NULL;
		xr_queue_sqe(head);
	}
	if (submitted > 0)
		ctx->nr_submitted += submitted;
	/* dispatch what the plug holds; what completes at once joins the batch */
	if (plugged)
		blk_finish_plug(&plug);
	/* release: we are done reading the SQEs userspace may now reuse */
	smp_store_release(&rings->sq.head, ctx->cached_sq_head);
	xr_flush_completions(ctx);
	/* what it issued on ctx->iopoll_issued: see xr_iopoll_flush_issued() */
	WRITE_ONCE(ctx->submit_task, NULL);
	return submitted;
}

int __init xr_core_init(void)
{
	xr_req_cachep = kmem_cache_create("xuring_req", sizeof(struct xr_req),
					  0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT,
					  NULL);
	if (!xr_req_cachep)
		return -ENOMEM;
	xr_wq = alloc_workqueue("xuring", WQ_UNBOUND, 0);
	if (!xr_wq) {
		kmem_cache_destroy(xr_req_cachep);
		return -ENOMEM;
	}
	return 0;
}

/* After the last file is closed: wait for the rings still draining. */
void xr_core_exit(void)
{
	destroy_workqueue(xr_wq);
	kmem_cache_destroy(xr_req_cachep);
}
