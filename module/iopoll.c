// SPDX-License-Identifier: GPL-2.0
/*
 * IOPOLL. A read or write on an IOPOLL ring is issued with IOCB_HIPRI and,
 * once the block layer has it (or has finished it already), put on
 * ctx->iopoll_list. Nothing completes it by itself: the reaper calls the
 * file's ->iopoll() for the requests on the list, hands the batch of
 * finished block requests back to the driver (iob.complete), then posts
 * the CQEs of the requests whose ki_complete ran, all under one lock. A
 * request the block layer finished with -EAGAIN (no free slot) is issued
 * again from a worker.
 *
 * Requests the submit call issues wait on ctx->iopoll_issued (under
 * uring_lock) until its end, so that it takes iopoll_lock once, not once
 * per request. A reaper takes the finished requests off the head of the
 * list only, as io_uring does.
 *
 * Reapers: ENTER with GETEVENTS, the SQ thread with SQPOLL, a worker
 * whose request waits for a slot, and the ring's release, which polls until
 * every polled request is done. A reaper takes
 * the whole list off ctx->iopoll_list while it polls it, so no request is
 * polled by two at once; ctx->iopoll_inflight counts the requests between
 * prep and completion (some are in workers, on nobody's list).
 *
 * ENTER that submits and polls makes its first pass before it drops
 * uring_lock, as io_uring_enter() does: that pass takes what the submit call
 * issued straight off ctx->iopoll_issued, and puts the requests it reaps
 * back in the request cache itself. Later passes, and the other reapers,
 * hold no uring_lock (a worker never takes it, so a reaper holding it
 * cannot keep a worker's request from the list); each pass only needs
 * iopoll_lock while it moves requests on and off ctx->iopoll_list.
 */
#include <linux/blkdev.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "compat.h"
#include "core.h"
#include "iopoll.h"
#include "rw.h"
#include "xr_trace.h"

/* See xr_iopoll_req_issued(): not from the submit call, or done already. */
void __xr_iopoll_req_issued(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	spin_lock(&ctx->iopoll_lock);
	if (READ_ONCE(req->iopoll_done))
		list_add(&req->list, &ctx->iopoll_list);
	else
		list_add_tail(&req->list, &ctx->iopoll_list);
	spin_unlock(&ctx->iopoll_lock);
}

/* See xr_iopoll_flush_issued(). */
void __xr_iopoll_flush_issued(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->uring_lock)
{
	lockdep_assert_held(&ctx->uring_lock);
	spin_lock(&ctx->iopoll_lock);
	list_splice_tail_init(&ctx->iopoll_issued, &ctx->iopoll_list);
	spin_unlock(&ctx->iopoll_lock);
}

/*
 * Poll the requests on the list once, then take the finished ones off its
 * head, as io_uring does: one finished behind an unfinished one waits for
 * the next pass. Returns how many were taken. @locked: the caller holds
 * uring_lock, and what its submit call issued is polled too.
 */
static unsigned int xr_iopoll_reap(struct xr_ring_ctx *ctx, bool locked)
{
	DEFINE_IO_COMP_BATCH(iob);
	struct llist_node *done = NULL;
	struct xr_req *req;
	unsigned int nr = 0;
	LIST_HEAD(list);
	LIST_HEAD(found);

	/*
	 * Unlocked, a request added meanwhile may be missed: it is polled on
	 * the next pass, as if it had come after the splice.
	 */
	if (!list_empty(&ctx->iopoll_list)) {
		spin_lock(&ctx->iopoll_lock);
		list_splice_init(&ctx->iopoll_list, &list);
		spin_unlock(&ctx->iopoll_lock);
	}
	if (locked) {
		lockdep_assert_held(&ctx->uring_lock);
		/* issued after everything on the list: behind it */
		list_splice_tail_init(&ctx->iopoll_issued, &list);
	}
	if (list_empty(&list))
		return 0;

	list_for_each_entry(req, &list, list) {
		int ret;

		if (READ_ONCE(req->iopoll_done))
			break;
		ret = xr_rw_iopoll(req, &iob, XR_BLK_POLL_ONCE);
		/* found some: finish those before polling for more */
		if (ret || iob.complete || READ_ONCE(req->iopoll_done))
			break;
	}
	/* the driver completes the batch here, and so calls ki_complete */
	if (iob.complete)
		iob.complete(&iob);

	list_for_each_entry(req, &list, list) {
		/* acquire: the result ki_complete stored before the flag */
		if (!smp_load_acquire(&req->iopoll_done))
			break;
		nr++;
	}
	if (!nr)
		goto out;
	list_cut_before(&found, &list, &req->list);
	/* posted together below, in the order they were found */
	done = xr_rw_iopoll_done(&found);
out:
	if (!list_empty(&list)) {
		spin_lock(&ctx->iopoll_lock);
		list_splice(&list, &ctx->iopoll_list);
		spin_unlock(&ctx->iopoll_lock);
	}
	xr_req_complete_batch(ctx, done, locked);
	if (nr) {
		atomic_long_add(nr, &ctx->iopoll_reaped);
		trace_xuring_iopoll_reap(ctx, nr,
					 atomic_read(&ctx->iopoll_inflight));
	}
	return nr;
}

/* One pass of ENTER's polling; true when it is over. */
static bool xr_iopoll_pass(struct xr_ring_ctx *ctx, unsigned int min_events,
			   bool locked)
{
	xr_cqring_overflow_flush(ctx);
	if (min_events && xr_cqring_events(ctx) >= min_events)
		return true;
	if (!atomic_read(&ctx->iopoll_inflight))
		return true;
	xr_iopoll_reap(ctx, locked);
	return !min_events || xr_cqring_events(ctx) >= min_events;
}

/*
 * ENTER with GETEVENTS on an IOPOLL ring: poll until @min_events CQEs are
 * there; @polled: a first pass was made already. Without waiting requests
 * it returns rather than spin forever; a signal ends it as it ends a wait.
 */
static int xr_iopoll_getevents(struct xr_ring_ctx *ctx, unsigned int min_events,
			       bool polled)
{
	int ret = 0;

	for (;;) {
		if (polled) {
			if (signal_pending(current)) {
				/* only task_work: run it and come back */
				ret = task_sigpending(current) ? -EINTR :
				      -ERESTARTSYS;
				break;
			}
			cond_resched();
		}
		polled = true;
		if (xr_iopoll_pass(ctx, min_events, false))
			break;
	}
	/* CQEs are there to reap: that is success, interrupted or not */
	return xr_cqring_events(ctx) ? 0 : ret;
}

/*
 * ENTER with GETEVENTS on an IOPOLL ring without SQPOLL: submit
 * @to_submit SQEs, then poll for @min_events CQEs. As io_uring_enter()
 * does, the first pass is made before uring_lock is dropped: it takes what
 * the submit call issued straight off ctx->iopoll_issued.
 */
long xr_iopoll_enter(struct xr_ring_ctx *ctx, unsigned int to_submit,
		     unsigned int min_events)
{
	bool polled = false, done = false;
	int submitted = 0, ret;

	if (to_submit) {
		mutex_lock(&ctx->uring_lock);
		submitted = xr_submit_sqes(ctx, to_submit);
		if (submitted == to_submit) {
			done = xr_iopoll_pass(ctx, min_events, true);
			polled = true;
		}
		xr_iopoll_flush_issued(ctx);
		mutex_unlock(&ctx->uring_lock);
		if (submitted != to_submit || done)
			return submitted;
	}
	ret = xr_iopoll_getevents(ctx, min_events, polled);
	return submitted ? submitted : ret;
}

/*
 * Reap once, for the SQ thread and for a worker whose request waits for a
 * block-layer slot; true while polled requests are in flight.
 */
bool xr_iopoll_try_reap(struct xr_ring_ctx *ctx)
{
	if (!atomic_read(&ctx->iopoll_inflight))
		return false;
	xr_iopoll_reap(ctx, false);
	return true;
}

/*
 * The ring is closed: nobody else will poll for what it issued. Keep
 * polling until the last polled request has completed (requests still in
 * a worker add themselves to the list, or fail as the ring is dying).
 */
void xr_iopoll_release(struct xr_ring_ctx *ctx)
{
	if (!(ctx->flags & XURING_SETUP_IOPOLL))
		return;
	while (atomic_read(&ctx->iopoll_inflight)) {
		xr_iopoll_reap(ctx, false);
		cond_resched();
	}
}
