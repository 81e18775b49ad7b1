// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_IOC_ENTER: submit, wake or wait for the SQ thread, reap IOPOLL
 * completions, and wait for CQEs, with a signal mask and (EXT_ARG) a
 * timeout, as io_uring_enter(2).
 */
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <linux/time64.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "compat.h"
#include "core.h"
#include "iopoll.h"
#include "sqpoll.h"
#include "tctx.h"

#define XR_ENTER_FLAGS		(XURING_ENTER_GETEVENTS | \
				 XURING_ENTER_SQ_WAKEUP | XURING_ENTER_SQ_WAIT | \
				 XURING_ENTER_EXT_ARG)

/* What a wait for CQEs is given: a signal mask, and with EXT_ARG a timeout. */
struct xr_wait_args {
	const sigset_t __user *sig;
	size_t sigsz;
	const struct __kernel_timespec __user *ts;
};

/* A task in xr_cqring_wait(), and what it waits for. */
struct xr_cq_waiter {
	struct wait_queue_entry wq;
	struct xr_ring_ctx *ctx;
	unsigned int min_events;
};

/* What ends a wait for CQEs, short of a signal: enough of them, or overflow. */
static bool xr_cq_should_wake(struct xr_ring_ctx *ctx, unsigned int min_events)
{
	return xr_cqring_events(ctx) >= min_events ||
	       READ_ONCE(ctx->check_overflow);
}

/*
 * Called for each waiter when CQEs are posted: wake only those whose wait
 * is over, not every waiter for every CQE (a depth-32 batch-8 loop would
 * otherwise wake eight times per batch to sleep again seven).
 */
static int xr_cq_wake(struct wait_queue_entry *curr, unsigned int mode,
		      int wake_flags, void *key)
{
	struct xr_cq_waiter *w = container_of(curr, struct xr_cq_waiter, wq);

	if (!xr_cq_should_wake(w->ctx, w->min_events))
		return 0;	/* not this one; the others may be done */
	return autoremove_wake_function(curr, mode, wake_flags, key);
}

static noinline int __xr_cqring_wait(struct xr_ring_ctx *ctx,
				     unsigned int min_events,
				     const struct xr_wait_args *w)
{
	struct xr_cq_waiter waiter = {
		.wq = {
			.private = current,
			.func = xr_cq_wake,
			.entry = LIST_HEAD_INIT(waiter.wq.entry),
		},
		.ctx = ctx,
		.min_events = min_events,
	};
	struct wait_queue_entry *wait = &waiter.wq;
	ktime_t timeout = KTIME_MAX;
	int ret = 0;

	/* read only when there is a wait, as 6.1 reads them */
	if (w->ts) {
		struct timespec64 ts;
		ktime_t rel;

		if (get_timespec64(&ts, w->ts))
			return -EFAULT;
		/* relative: 0 or less is now; past year 2262, forever */
		rel = timespec64_to_ktime(ts);
		timeout = rel > 0 ? ktime_add_safe(rel, ktime_get()) : ktime_get();
	}
	if (w->sig) {
		ret = xr_set_user_sigmask(w->sig, w->sigsz);
		if (ret)
			return ret;
	}

	for (;;) {
		/*
		 * A backlog that does not fit (the CQ is full, or the user
		 * wrote its tail back) is no reason to spin: sleep until the
		 * next CQE or a signal, and try again then, as 5.10 does.
		 */
		if (READ_ONCE(ctx->check_overflow))
			xr_cqring_overflow_flush(ctx);
		prepare_to_wait(&ctx->cq_wait, wait, TASK_INTERRUPTIBLE);
		if (xr_cqring_events(ctx) >= min_events)
			break;
		if (signal_pending(current)) {
			/*
			 * Only task_work (a retry of ours, say): go out to run
			 * it, and come back by restarting the call.
			 */
			ret = task_sigpending(current) ? -EINTR : -ERESTARTSYS;
			break;
		}
		if (timeout == KTIME_MAX) {
			schedule();
		} else if (!schedule_hrtimeout(&timeout, HRTIMER_MODE_ABS)) {
			ret = -ETIME;
			break;
		}
	}
	finish_wait(&ctx->cq_wait, wait);

	if (w->sig)
		xr_restore_saved_sigmask_unless(ret == -EINTR);
	/* CQEs are there to reap: that is success, interrupted or not */
	return READ_ONCE(ctx->rings->cq.head) == READ_ONCE(ctx->rings->cq.tail) ?
	       ret : 0;
}

/*
 * Wait for @min_events CQEs. The usual call finds them there already:
 * only a wait sets up a waiter (a stack frame that is zeroed on entry).
 */
static int xr_cqring_wait(struct xr_ring_ctx *ctx, unsigned int min_events,
			  const struct xr_wait_args *w)
{
	xr_cqring_overflow_flush(ctx);
	if (xr_cqring_events(ctx) >= min_events)
		return 0;
	return __xr_cqring_wait(ctx, min_events, w);
}

/* EXT_ARG's struct, of exactly its size, as 6.1 reads it. */
static int xr_copy_ext_arg(const struct xuring_enter_args *args,
			   struct xuring_getevents_arg *arg)
{
	if (args->sigmask_sz != sizeof(*arg))
		return -EINVAL;
	if (copy_from_user(arg, u64_to_user_ptr(args->sigmask), sizeof(*arg)))
		return -EFAULT;
	return 0;
}

/*
 * The wait's arguments: without EXT_ARG, sigmask and sigmask_sz are the
 * signal mask; with it, they name a struct xuring_getevents_arg (its size
 * exact, its pad zero) that holds the mask and a timeout, as 6.1 reads them.
 */
static int xr_get_wait_args(const struct xuring_enter_args *args,
			    struct xr_wait_args *w)
{
	struct xuring_getevents_arg arg;
	int ret;

	if (!(args->flags & XURING_ENTER_EXT_ARG)) {
		w->sig = u64_to_user_ptr(args->sigmask);
		w->sigsz = args->sigmask_sz;
		w->ts = NULL;
		return 0;
	}
	ret = xr_copy_ext_arg(args, &arg);
	if (ret)
		return ret;
	/* 6.12 reads a minimum wait here (FEAT_MIN_TIMEOUT); 6.1 refuses it */
	if (arg.pad)
		return -EINVAL;
	w->sig = u64_to_user_ptr(arg.sigmask);
	w->sigsz = arg.sigmask_sz;
	w->ts = u64_to_user_ptr(arg.ts);
	return 0;
}

/* IOPOLL waits by polling, with no mask or timeout: 6.1 checks only these. */
static int xr_check_ext_arg(const struct xuring_enter_args *args)
{
	struct xuring_getevents_arg arg;

	if (!(args->flags & XURING_ENTER_EXT_ARG))
		return 0;
	return xr_copy_ext_arg(args, &arg);
}

/*
 * ENTER's arguments, field by field: io_uring_enter(2) has them in
 * registers, and for 32 bytes this is cheaper than copy_from_user().
 */
static int xr_get_enter_args(struct xuring_enter_args *args,
			     const struct xuring_enter_args __user *uargs)
{
	if (!user_read_access_begin(uargs, sizeof(*uargs)))
		return -EFAULT;
	unsafe_get_user(args->to_submit, &uargs->to_submit, efault);
	unsafe_get_user(args->min_complete, &uargs->min_complete, efault);
	unsafe_get_user(args->flags, &uargs->flags, efault);
	unsafe_get_user(args->resv, &uargs->resv, efault);
	unsafe_get_user(args->sigmask, &uargs->sigmask, efault);
	unsafe_get_user(args->sigmask_sz, &uargs->sigmask_sz, efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

long xr_enter(struct xr_ring_ctx *ctx, struct xuring_enter_args __user *uargs)
{
	struct xuring_enter_args args;
	int submitted = 0;
	long ret = 0;

	if (xr_get_enter_args(&args, uargs))
		return -EFAULT;
	if (args.resv || (args.flags & ~XR_ENTER_FLAGS))
		return -EINVAL;

	/* SINGLE_ISSUER: only its task submits (the SQ thread is its own) */
	if (args.to_submit && !(ctx->flags & XURING_SETUP_SQPOLL) &&
	    xr_not_the_issuer(ctx))
		return -EEXIST;

	if (ctx->flags & XURING_SETUP_SQPOLL) {
		/* as 6.1 once the thread is gone with its creator */
		if (xr_pid_exited(ctx->pid))
			return -EOWNERDEAD;
		/* the SQ thread submits; the caller only nudges it */
		xr_cqring_overflow_flush(ctx);
		if (args.flags & XURING_ENTER_SQ_WAKEUP)
			xr_sqpoll_wake(ctx);
		if (args.flags & XURING_ENTER_SQ_WAIT)
			xr_sqpoll_wait_sq(ctx);
		submitted = args.to_submit;
	} else {
		if ((ctx->flags & XURING_SETUP_IOPOLL) &&
		    (args.flags & XURING_ENTER_GETEVENTS)) {
			/* submit and poll; no sigmask or timeout, as in 6.1 */
			ret = xr_check_ext_arg(&args);
			if (!ret)
				return xr_iopoll_enter(ctx, args.to_submit,
						       min(args.min_complete,
							   ctx->cq_entries));
			/* refused: 6.1 submits, and does not poll */
			args.flags &= ~XURING_ENTER_GETEVENTS;
		}
		if (args.to_submit) {
			mutex_lock(&ctx->uring_lock);
			submitted = xr_submit_sqes(ctx, args.to_submit);
			xr_iopoll_flush_issued(ctx);
			mutex_unlock(&ctx->uring_lock);
			if (submitted != args.to_submit)
				return submitted;
		}
	}
	if (args.flags & XURING_ENTER_GETEVENTS) {
		unsigned int min_complete = min(args.min_complete,
						ctx->cq_entries);
		struct xr_wait_args w;

		/* an IOPOLL ring's SQ thread polls: wait for it */
		ret = xr_get_wait_args(&args, &w);
		if (!ret)
			ret = xr_cqring_wait(ctx, min_complete, &w);
	}
	return submitted ? submitted : ret;
}
