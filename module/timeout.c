// SPDX-License-Identifier: GPL-2.0
/*
 * TIMEOUT: an hrtimer (relative, or absolute with XURING_TIMEOUT_ABS, on
 * CLOCK_MONOTONIC, or BOOTTIME or REALTIME as the flags say). It completes
 * with -ETIME when it fires (no failure with ETIME_SUCCESS), or with 0 once
 * sqe->off other CQEs have been posted; CQEs of TIMEOUTs that fired or
 * expired do not count towards others, as in io_uring.
 * TIMEOUT_REMOVE cancels one by user_data (-ENOENT, or -EALREADY when it is
 * firing). LINK_TIMEOUT guards the request before it in a chain: armed once
 * that request has been issued (where a cancel finds it), it cancels the
 * request if it fires first, and is itself canceled (-ECANCELED) if the
 * request finishes first.
 *
 * The timer callbacks run in hard interrupt context. Armed TIMEOUTs, and
 * the link between a LINK_TIMEOUT and its request, change only under
 * ctx->completion_lock; whoever takes a timer off first (the callback, or
 * hrtimer_try_to_cancel() under the lock) completes the request.
 */
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/time64.h>
#include <linux/uaccess.h>

#include "cancel.h"
#include "core.h"
#include "timeout.h"

struct xr_timeout_data {
	struct xr_req *req;
	struct hrtimer timer;
	struct timespec64 ts;
	enum hrtimer_mode mode;
	u32 flags;			/* sqe->timeout_flags */
	u32 off;			/* TIMEOUT: CQEs to wait for, or 0 */
	u32 start;			/* ... counted from here */
	struct list_head list;		/* on ctx->timeout_list */
	/* LINK_TIMEOUT: the request it guards, until either finishes */
	struct xr_req *head;
	u64 target;			/* head's user_data, when it fired */
	bool fired_on_head;
	/*
	 * LINK_TIMEOUT: xr_link_timeout_arm() has not run yet. Its CQE may go
	 * out meanwhile (the guarded request finished first), but the
	 * request stays for the arming call to release.
	 */
	bool arm_pending;
};

struct xr_timeout_rem {
	u64 addr;
	u32 flags;			/* XURING_TIMEOUT_UPDATE, _ABS */
	struct timespec64 ts;		/* UPDATE: the new time */
};

/* The clock a TIMEOUT's flags name. */
static clockid_t xr_timeout_clock(u32 flags)
{
	if (flags & XURING_TIMEOUT_BOOTTIME)
		return CLOCK_BOOTTIME;
	if (flags & XURING_TIMEOUT_REALTIME)
		return CLOCK_REALTIME;
	return CLOCK_MONOTONIC;
}

static int __xr_timeout_prep(struct xr_req *req, const struct xuring_sqe *sqe,
			     bool is_link)
{
	struct xr_timeout_data *data;
	u32 flags, off;

	if (sqe->ioprio || sqe->buf_index || sqe->len != 1)
		return -EINVAL;
	off = READ_ONCE(sqe->off);
	if (off && is_link)
		return -EINVAL;
	flags = READ_ONCE(sqe->timeout_flags);
	if (flags & ~(XURING_TIMEOUT_ABS | XURING_TIMEOUT_CLOCK_MASK |
		      XURING_TIMEOUT_ETIME_SUCCESS))
		return -EINVAL;
	/* one clock at most */
	if ((flags & XURING_TIMEOUT_CLOCK_MASK) == XURING_TIMEOUT_CLOCK_MASK)
		return -EINVAL;

	data = kzalloc(sizeof(*data), GFP_KERNEL_ACCOUNT);
	if (!data)
		return -ENOMEM;
	req->async_data = data;
	data->req = req;
	data->flags = flags;
	data->off = off;
	INIT_LIST_HEAD(&data->list);
	if (get_timespec64(&data->ts, u64_to_user_ptr(READ_ONCE(sqe->addr))))
		return -EFAULT;
	if (data->ts.tv_sec < 0 || data->ts.tv_nsec < 0)
		return -EINVAL;
	data->mode = flags & XURING_TIMEOUT_ABS ? HRTIMER_MODE_ABS :
						  HRTIMER_MODE_REL;
	hrtimer_init(&data->timer, xr_timeout_clock(flags), data->mode);
	return 0;
}

int xr_timeout_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	return __xr_timeout_prep(req, sqe, false);
}

/* It goes after the last request of the chain being put together. */
int xr_link_timeout_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_timeout_data *data;
	int ret;

	if (!ctx->link_head || ctx->link_last->opcode == XURING_OP_LINK_TIMEOUT)
		return -EINVAL;
	ret = __xr_timeout_prep(req, sqe, true);
	if (ret)
		return ret;
	data = req->async_data;
	data->head = ctx->link_last;
	data->arm_pending = true;
	ctx->link_last->flags |= XR_REQ_F_LTIMEOUT;
	return 0;
}

/*
 * A LINK_TIMEOUT is armed by the request before it and completed by its
 * timer or that request; only one whose request vanished gets here.
 */
int xr_link_timeout(struct xr_req *req, unsigned int issue_flags)
{
	return -EINVAL;
}

static enum hrtimer_restart xr_timeout_fn(struct hrtimer *timer)
{
	struct xr_timeout_data *data = container_of(timer,
						    struct xr_timeout_data,
						    timer);
	struct xr_req *req = data->req;
	struct xr_ring_ctx *ctx = req->ctx;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	list_del_init(&data->list);
	ctx->cq_timeouts++;
	spin_unlock_irqrestore(&ctx->completion_lock, flags);

	xr_req_set_res(req, -ETIME, 0);
	/* ETIME_SUCCESS: -ETIME, yet what is linked after it goes on */
	if (data->flags & XURING_TIMEOUT_ETIME_SUCCESS)
		req->flags &= ~XR_REQ_F_FAIL;
	xr_req_complete_post(req);
	return HRTIMER_NORESTART;
}

int xr_timeout(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_timeout_data *data = req->async_data;
	struct xr_ring_ctx *ctx = req->ctx;

	xr_req_hold_ring(req);
	spin_lock_irq(&ctx->completion_lock);
	data->start = ctx->cq_produced - ctx->cq_timeouts;
	list_add_tail(&data->list, &ctx->timeout_list);
	data->timer.function = xr_timeout_fn;
	hrtimer_start(&data->timer, timespec64_to_ktime(data->ts), data->mode);
	spin_unlock_irq(&ctx->completion_lock);
	return XR_ISSUE_QUEUED;
}

/*
 * CQEs were posted: TIMEOUTs whose count is reached complete with 0. Their
 * CQEs are filled here and the requests freed once the lock is dropped.
 */
void xr_flush_timeouts(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->completion_lock)
{
	struct xr_timeout_data *data, *tmp;
	u32 seq;

	lockdep_assert_held(&ctx->completion_lock);
	/*
	 * The count, once for the whole flush (as 6.1): each completion
	 * below adds a TIMEOUT, and a CQE too unless CQE_SKIP_SUCCESS skips
	 * it, which would leave the ones after it one event short.
	 */
	seq = ctx->cq_produced - ctx->cq_timeouts;
	list_for_each_entry_safe(data, tmp, &ctx->timeout_list, list) {
		struct xr_req *req = data->req;

		if (!data->off || seq - data->start < data->off)
			continue;
		/* firing right now: the callback completes it */
		if (hrtimer_try_to_cancel(&data->timer) == -1)
			continue;
		list_del_init(&data->list);
		ctx->cq_timeouts++;
		xr_req_set_res(req, 0, 0);
		xr_post_locked(req);
	}
}

/*
 * Take the TIMEOUT with @user_data off its timer: 0 (it completes with
 * -ECANCELED), -EALREADY when it is firing, -ENOENT when there is none.
 */
/* The armed TIMEOUT with @user_data, or NULL. */
static struct xr_timeout_data *xr_timeout_find(struct xr_ring_ctx *ctx,
					       u64 user_data)
	__must_hold(&ctx->completion_lock)
{
	struct xr_timeout_data *data;

	lockdep_assert_held(&ctx->completion_lock);
	list_for_each_entry(data, &ctx->timeout_list, list)
		if (data->req->user_data == user_data)
			return data;
	return NULL;
}

int xr_timeout_cancel(struct xr_ring_ctx *ctx, u64 user_data)
{
	struct xr_timeout_data *found;

	spin_lock_irq(&ctx->completion_lock);
	found = xr_timeout_find(ctx, user_data);
	if (!found) {
		spin_unlock_irq(&ctx->completion_lock);
		return -ENOENT;
	}
	if (hrtimer_try_to_cancel(&found->timer) == -1) {
		spin_unlock_irq(&ctx->completion_lock);
		return -EALREADY;
	}
	list_del_init(&found->list);
	spin_unlock_irq(&ctx->completion_lock);

	xr_req_fail_post(found->req, -ECANCELED);
	return 0;
}

/* The ring is going away: every armed TIMEOUT completes with -ECANCELED. */
void xr_timeout_cancel_all(struct xr_ring_ctx *ctx)
{
	struct xr_timeout_data *data;

	for (;;) {
		spin_lock_irq(&ctx->completion_lock);
		data = list_first_entry_or_null(&ctx->timeout_list,
						struct xr_timeout_data, list);
		if (!data) {
			spin_unlock_irq(&ctx->completion_lock);
			return;
		}
		if (hrtimer_try_to_cancel(&data->timer) == -1) {
			/* its callback takes it off the list: wait for that */
			spin_unlock_irq(&ctx->completion_lock);
			cpu_relax();
			continue;
		}
		list_del_init(&data->list);
		spin_unlock_irq(&ctx->completion_lock);
		xr_req_fail_post(data->req, -ECANCELED);
	}
}

int xr_timeout_remove_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_timeout_rem *rem = xr_req_cmd(req, struct xr_timeout_rem);

	if (req->flags & XURING_SQE_FIXED_FILE)
		return -EINVAL;
	if (sqe->ioprio || sqe->buf_index || sqe->len)
		return -EINVAL;
	rem->addr = READ_ONCE(sqe->addr);
	rem->flags = READ_ONCE(sqe->timeout_flags);
	if (!rem->flags)
		return 0;
	/* as 6.1 checks it; LINK_TIMEOUT_UPDATE is not built */
	if (!(rem->flags & XURING_TIMEOUT_UPDATE) ||
	    (rem->flags & ~(XURING_TIMEOUT_UPDATE | XURING_TIMEOUT_ABS)))
		return -EINVAL;
	if (get_timespec64(&rem->ts, u64_to_user_ptr(READ_ONCE(sqe->addr2))))
		return -EFAULT;
	if (rem->ts.tv_sec < 0 || rem->ts.tv_nsec < 0)
		return -EINVAL;
	return 0;
}

/*
 * TIMEOUT_UPDATE: the armed TIMEOUT with @user_data fires at @ts instead
 * (relative, or absolute, on the clock it was armed on); its count stays.
 * 0, -EALREADY when it is firing, -ENOENT when there is none.
 */
static int xr_timeout_update(struct xr_ring_ctx *ctx, u64 user_data,
			     const struct timespec64 *ts, enum hrtimer_mode mode)
{
	struct xr_timeout_data *data;
	int ret = -ENOENT;

	spin_lock_irq(&ctx->completion_lock);
	data = xr_timeout_find(ctx, user_data);
	if (data)
		ret = -EALREADY;
	if (data && hrtimer_try_to_cancel(&data->timer) != -1) {
		data->mode = mode;
		hrtimer_init(&data->timer, xr_timeout_clock(data->flags), mode);
		data->timer.function = xr_timeout_fn;
		hrtimer_start(&data->timer, timespec64_to_ktime(*ts), mode);
		ret = 0;
	}
	spin_unlock_irq(&ctx->completion_lock);
	return ret;
}

int xr_timeout_remove(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_timeout_rem *rem = xr_req_cmd(req, struct xr_timeout_rem);
	int ret;

	if (rem->flags & XURING_TIMEOUT_UPDATE)
		ret = xr_timeout_update(req->ctx, rem->addr, &rem->ts,
					rem->flags & XURING_TIMEOUT_ABS ?
					HRTIMER_MODE_ABS : HRTIMER_MODE_REL);
	else
		ret = xr_timeout_cancel(req->ctx, rem->addr);
	xr_req_set_res(req, ret, 0);
	return XR_ISSUE_DONE;
}

/* Process context: cancel what the fired LINK_TIMEOUT guarded, complete it. */
static void xr_link_timeout_work(struct work_struct *work)
{
	struct xr_req *req = container_of(work, struct xr_req, work);
	struct xr_timeout_data *data = req->async_data;
	int ret = -ETIME;

	if (data->fired_on_head) {
		ret = xr_try_cancel(req->ctx, data->target);
		if (!ret)
			ret = -ETIME;
	}
	xr_req_set_res(req, ret, 0);
	xr_req_complete_post(req);
}

static enum hrtimer_restart xr_link_timeout_fn(struct hrtimer *timer)
{
	struct xr_timeout_data *data = container_of(timer,
						    struct xr_timeout_data,
						    timer);
	struct xr_req *req = data->req;
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_req *head;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	head = data->head;
	if (head) {
		/* the chain goes on from the guarded request, without us */
		data->head = NULL;
		head->link = req->link;
		req->link = NULL;
		data->target = head->user_data;
		data->fired_on_head = true;
	}
	spin_unlock_irqrestore(&ctx->completion_lock, flags);

	/* cancelling takes locks that are not for interrupt context */
	INIT_WORK(&req->work, xr_link_timeout_work);
	xr_queue_work(&req->work);
	return HRTIMER_NORESTART;
}

/*
 * @req, which a LINK_TIMEOUT follows, is about to be issued: from here on
 * its completion takes the LINK_TIMEOUT out of the chain. Returns the
 * LINK_TIMEOUT, for xr_link_timeout_arm() once the issue has returned.
 */
struct xr_req *xr_link_timeout_take(struct xr_req *req)
{
	req->flags &= ~XR_REQ_F_LTIMEOUT;
	req->flags |= XR_REQ_F_LTIMEOUT_ARMED;
	return req->link;
}

/*
 * The request before @lt has been issued, and is where a cancel finds it
 * (waiting on its file, with a worker, or in its own wait), or it is done.
 * Start the timer if @start and the request has not finished meanwhile,
 * as io_uring arms a linked timeout after the issue: armed before, a short
 * timeout could fire while the request is between two of those places,
 * and find nothing to cancel. If it has finished, its CQE and ours are
 * out, and ours is released here.
 */
void xr_link_timeout_arm(struct xr_req *lt, bool start)
{
	struct xr_timeout_data *data = lt->async_data;
	struct xr_ring_ctx *ctx = lt->ctx;
	bool posted;

	spin_lock_irq(&ctx->completion_lock);
	data->arm_pending = false;
	posted = !data->head;
	if (!posted && start) {
		data->timer.function = xr_link_timeout_fn;
		hrtimer_start(&data->timer, timespec64_to_ktime(data->ts),
			      data->mode);
	}
	spin_unlock_irq(&ctx->completion_lock);
	if (posted)
		xr_req_release(lt);
}

/*
 * @req finished before its LINK_TIMEOUT fired: take the LINK_TIMEOUT out of
 * the chain, with -ECANCELED as its result. completion_lock held; returns
 * the LINK_TIMEOUT, whose CQE the caller posts, or NULL when the timer is
 * firing (its callback then completes it with -ETIME). *@release: the
 * caller releases it too; not while xr_link_timeout_arm() has yet to run.
 */
struct xr_req *xr_link_timeout_disarm(struct xr_req *req, bool *release)
	__must_hold(&req->ctx->completion_lock)
{
	struct xr_timeout_data *data;
	struct xr_req *lt = req->link;

	lockdep_assert_held(&req->ctx->completion_lock);
	req->flags &= ~XR_REQ_F_LTIMEOUT_ARMED;
	/* the callback took the chain apart already */
	if (!lt || lt->opcode != XURING_OP_LINK_TIMEOUT)
		return NULL;
	data = lt->async_data;
	if (data->head != req)
		return NULL;
	data->head = NULL;
	req->link = lt->link;
	lt->link = NULL;
	if (hrtimer_try_to_cancel(&data->timer) == -1)
		return NULL;
	xr_req_set_res(lt, -ECANCELED, 0);
	*release = !data->arm_pending;
	return lt;
}
