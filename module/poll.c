// SPDX-License-Identifier: GPL-2.0
/*
 * FAST_POLL, and POLL_ADD/POLL_REMOVE on top of it (a POLL_ADD is a request
 * whose "attempt" is vfs_poll()). A request whose non-blocking attempt got
 * -EAGAIN on a pollable
 * file puts an entry on the file's wait queue. The wakeup takes it off and
 * queues the retry for a worker; cancellation takes it off and completes it.
 * req->poll.state says who owns the request: whoever takes it off ARMED.
 * While xr_poll_arm() runs (ARMING), a wakeup or a cancellation only leaves
 * a mark, and xr_poll_arm() acts on it before it returns.
 *
 * The wait queue may be freed under us (signalfd, binder): its owner wakes
 * it with POLLFREE first and frees it after an RCU grace period, so the
 * entry is taken off under the queue's lock in the wakeup, and everyone
 * else looks the queue up under rcu_read_lock().
 */
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

#include "core.h"
#include "iowq.h"
#include "poll.h"

struct xr_poll_table {
	struct poll_table_struct pt;
	struct xr_poll *poll;
	unsigned int queued;		/* entries of poll->e[] in use */
	bool error;
};

static int xr_poll_wake(struct wait_queue_entry *wait, unsigned int mode,
			int sync, void *key);

/* POLL_ADD's events, as it waits for them. */
struct xr_poll_add {
	__poll_t events;
};

/*
 * What the request's file says now, with @pt its wait (or NULL). A POLL_ADD
 * of a ring holds the ring, not its file (see xr_req_hold_ring_file()), and
 * asks the ring itself; when the ring's file is released, it wakes such
 * pollers with EPOLLHUP.
 */
static __poll_t xr_req_vfs_poll(struct xr_req *req, poll_table *pt)
{
	if (unlikely(!req->file))
		return xr_ring_poll(req->ring, NULL, pt);
	return vfs_poll(req->file, pt);
}

static void xr_poll_queue_proc(struct file *file, struct wait_queue_head *head,
			       poll_table *pt)
{
	struct xr_poll_table *ipt = container_of(pt, struct xr_poll_table, pt);
	struct xr_poll *poll = ipt->poll;
	unsigned int i = ipt->queued;

	/* files that wait on more than two queues are left to a worker */
	if (unlikely(i >= ARRAY_SIZE(poll->e))) {
		ipt->error = true;
		return;
	}
	ipt->queued++;
	WRITE_ONCE(poll->e[i].head, head);
	if (poll->events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(head, &poll->e[i].wait);
	else
		add_wait_queue(head, &poll->e[i].wait);
}

/* The entry of @poll that @wait is. */
static struct wait_queue_head **xr_poll_entry_head(struct xr_poll *poll,
						   struct wait_queue_entry *wait)
{
	return wait == &poll->e[0].wait ? &poll->e[0].head : &poll->e[1].head;
}

static int xr_poll_wake(struct wait_queue_entry *wait, unsigned int mode,
			int sync, void *key)
{
	struct xr_req *req = wait->private;
	struct xr_poll *poll = &req->poll;
	__poll_t mask = key_to_poll(key);
	int old, new;
	bool mine;

	if (mask && !(mask & (poll->events | EPOLLERR | EPOLLHUP | POLLFREE)))
		return 0;

	old = atomic_read(&poll->state);
	do {
		mine = old & XR_POLL_ARMED;
		if (!mine)
			break;
		new = (old & ~XR_POLL_ARMED) | XR_POLL_FIRED;
	} while (!atomic_try_cmpxchg(&poll->state, &old, new));

	/*
	 * The wakeup's events are the answer, even if gone by the retry.
	 * Written before the entry is let go: while arming, that store hands
	 * the request back to xr_poll_arm(), which may finish it at once.
	 */
	if (mine)
		poll->fired = mask & poll->events;
	/* the other entry, if any, is taken off by whoever owns the request */
	if (mine || (mask & POLLFREE)) {
		list_del_init(&wait->entry);
		/* pairs with the acquire in xr_poll_remove_entries() */
		smp_store_release(xr_poll_entry_head(poll, wait), NULL);
	}
	/* while arming, xr_poll_arm() sees FIRED and retries by itself */
	if (mine && !(old & XR_POLL_ARMING))
		xr_req_queue_retry(req);
	/* an EPOLLEXCLUSIVE wakeup we did not take goes on to the next */
	return mine;
}

/* Take the request's entries off the wait queues they are still on. */
void xr_poll_remove_entries(struct xr_req *req)
{
	struct xr_poll *poll = &req->poll;
	struct wait_queue_head *head;
	int i;

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(poll->e); i++) {
		/* acquire: pairs with the release in xr_poll_wake() */
		head = smp_load_acquire(&poll->e[i].head);
		if (!head)
			continue;
		spin_lock_irq(&head->lock);
		list_del_init(&poll->e[i].wait.entry);
		WRITE_ONCE(poll->e[i].head, NULL);
		spin_unlock_irq(&head->lock);
	}
	rcu_read_unlock();
}

/*
 * Wait for @mask on the request's file. From here on the request holds a
 * ring reference (it has gone async); it is on ctx->poll_list while armed.
 * Returns an XR_ARM_* code, or -ECANCELED when the ring is going away or
 * the request was canceled meanwhile (the caller completes it).
 */
int xr_poll_arm(struct xr_req *req, __poll_t mask)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_poll *poll = &req->poll;
	struct xr_poll_table ipt;
	__poll_t ready;
	int i, old;

	for (i = 0; i < ARRAY_SIZE(poll->e); i++) {
		poll->e[i].head = NULL;
		init_waitqueue_func_entry(&poll->e[i].wait, xr_poll_wake);
		poll->e[i].wait.private = req;
	}
	poll->events = mask;
	poll->fired = 0;
	atomic_set(&poll->state, XR_POLL_ARMED | XR_POLL_ARMING);

	/*
	 * A worker that a cancel interrupted (xr_iowq_cancel() found the
	 * request running) does not start a wait: checked under cancel_lock,
	 * with xr_try_cancel() looking at the poll list again after it.
	 */
	spin_lock(&ctx->cancel_lock);
	if (ctx->dying ||
	    unlikely((current->flags & PF_WQ_WORKER) && signal_pending(current))) {
		spin_unlock(&ctx->cancel_lock);
		return -ECANCELED;
	}
	xr_req_go_async(req);
	req->flags |= XR_REQ_F_POLLED;
	list_add_tail(&req->poll_node, &ctx->poll_list);
	ctx->nr_poll_armed++;
	spin_unlock(&ctx->cancel_lock);

	init_poll_funcptr(&ipt.pt, xr_poll_queue_proc);
	ipt.pt._key = mask;
	ipt.poll = poll;
	ipt.queued = 0;
	ipt.error = false;
	ready = xr_req_vfs_poll(req, &ipt.pt) & (mask | EPOLLERR | EPOLLHUP);

	if (likely(!ready && !ipt.error && ipt.queued) &&
	    atomic_cmpxchg(&poll->state, XR_POLL_ARMED | XR_POLL_ARMING,
			   XR_POLL_ARMED) == (XR_POLL_ARMED | XR_POLL_ARMING))
		return XR_ARM_WAITING;

	/* ready, not waitable, woken or canceled meanwhile: ours to finish */
	old = atomic_xchg(&poll->state, 0);
	xr_poll_remove_entries(req);
	xr_poll_disarm(req);
	if (old & XR_POLL_CANCEL_REQ)
		return -ECANCELED;
	return (ready || (old & XR_POLL_FIRED)) ? XR_ARM_READY : XR_ARM_CANT;
}

/* The request no longer waits: off ctx->poll_list. */
void xr_poll_disarm(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	spin_lock(&ctx->cancel_lock);
	list_del_init(&req->poll_node);
	spin_unlock(&ctx->cancel_lock);
}

/*
 * A request picked up to run after a wakeup: if it waited with FAST_POLL,
 * its other wait entry may still be on, and it is still on the poll list.
 * One that never waited (a linked request started later) has no entries,
 * not even initialised ones.
 */
void xr_poll_end_wait(struct xr_req *req)
{
	if (list_empty(&req->poll_node))
		return;
	xr_poll_remove_entries(req);
	xr_poll_disarm(req);
}

/*
 * Take an armed request from its wait: 1 when it is ours to complete, 0 when
 * xr_poll_arm() still runs and will complete it, -EALREADY when its wakeup
 * came first and its retry is on its way.
 */
static int xr_poll_try_cancel(struct xr_req *req)
{
	int old, new;

	old = atomic_read(&req->poll.state);
	do {
		if (!(old & XR_POLL_ARMED))
			return -EALREADY;
		if (old & XR_POLL_ARMING)
			new = old | XR_POLL_CANCEL_REQ;
		else
			new = (old & ~XR_POLL_ARMED) | XR_POLL_CANCELED;
	} while (!atomic_try_cmpxchg(&req->poll.state, &old, new));
	return old & XR_POLL_ARMING ? 0 : 1;
}

/*
 * Cancel the armed requests of @ctx that @match says yes to (all of them,
 * or the first): 0 when one was canceled (it completes with -ECANCELED),
 * -EALREADY when its wakeup came first, -ENOENT when none is armed.
 */
static int __xr_poll_cancel(struct xr_ring_ctx *ctx,
			    bool (*match)(struct xr_req *req, const void *data),
			    const void *data, bool all)
{
	struct xr_req *req, *tmp;
	LIST_HEAD(canceled);
	int ret = -ENOENT;

	spin_lock(&ctx->cancel_lock);
	list_for_each_entry_safe(req, tmp, &ctx->poll_list, poll_node) {
		int owned;

		if (!match(req, data))
			continue;
		owned = xr_poll_try_cancel(req);
		if (owned == 1) {
			xr_poll_remove_entries(req);
			list_del_init(&req->poll_node);
			list_add_tail(&req->list, &canceled);
		}
		if (!all) {
			ret = owned < 0 ? owned : 0;
			break;
		}
	}
	spin_unlock(&ctx->cancel_lock);

	list_for_each_entry_safe(req, tmp, &canceled, list)
		xr_req_fail_post(req, -ECANCELED);
	return ret;
}

static bool xr_poll_match_any(struct xr_req *req, const void *data)
{
	return true;
}

static bool xr_poll_match_user_data(struct xr_req *req, const void *data)
{
	return req->user_data == *(const u64 *)data;
}

/* Cancel the armed request with @user_data, or all armed requests. */
int xr_poll_cancel(struct xr_ring_ctx *ctx, u64 user_data, bool all)
{
	if (all)
		return __xr_poll_cancel(ctx, xr_poll_match_any, NULL, true);
	return __xr_poll_cancel(ctx, xr_poll_match_user_data, &user_data,
				false);
}

static bool xr_poll_match_owner(struct xr_req *req, const void *data)
{
	return req->owner == data;
}

/* Cancel the armed requests submitted from the fd table @owner. */
void xr_poll_cancel_owner(struct xr_ring_ctx *ctx, fl_owner_t owner)
{
	__xr_poll_cancel(ctx, xr_poll_match_owner, owner, true);
}

static bool xr_poll_match_pid(struct xr_req *req, const void *data)
{
	return req->pid == data;
}

/* Cancel the armed requests submitted by the process @pid. */
void xr_poll_cancel_pid(struct xr_ring_ctx *ctx, struct pid *pid)
{
	__xr_poll_cancel(ctx, xr_poll_match_pid, pid, true);
}

/* POLL_REMOVE's target. */
struct xr_poll_remove {
	u64 addr;
};

/* What a poll always reports, asked for or not (as io_uring does). */
#define XR_POLL_UNMASK	(EPOLLERR | EPOLLHUP | EPOLLNVAL | EPOLLRDHUP)

int xr_poll_add_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_poll_add *pa = xr_req_cmd(req, struct xr_poll_add);
	u32 events;

	if (sqe->addr || sqe->ioprio || sqe->off || sqe->len || sqe->buf_index)
		return -EINVAL;
	events = READ_ONCE(sqe->poll32_events);
#ifdef __BIG_ENDIAN
	events = swahw32(events);
#endif
	pa->events = demangle_poll(events) | XR_POLL_UNMASK |
		     ((__force __poll_t)events & EPOLLEXCLUSIVE);
	return 0;
}

__poll_t xr_poll_add_events(struct xr_req *req)
{
	return xr_req_cmd(req, struct xr_poll_add)->events;
}

/*
 * Ready now, or said so by the wakeup that brought us here: complete with
 * the events. Else the core waits for them (FAST_POLL).
 */
int xr_poll_add(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_poll_add *pa = xr_req_cmd(req, struct xr_poll_add);
	__poll_t mask = 0;

	if (req->flags & XR_REQ_F_POLLED) {
		mask = req->poll.fired;
		req->poll.fired = 0;
	}
	if (!mask)
		mask = xr_req_vfs_poll(req, NULL) & pa->events;

	if (!mask)
		return -EAGAIN;
	xr_req_set_res(req, mangle_poll(mask), 0);
	return XR_ISSUE_DONE;
}

int xr_poll_remove_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_poll_remove *pr = xr_req_cmd(req, struct xr_poll_remove);

	if (sqe->ioprio || sqe->off || sqe->len || sqe->buf_index ||
	    sqe->poll32_events)
		return -EINVAL;
	pr->addr = READ_ONCE(sqe->addr);
	return 0;
}

int xr_poll_remove(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_poll_remove *pr = xr_req_cmd(req, struct xr_poll_remove);

	xr_req_set_res(req, xr_poll_cancel(req->ctx, pr->addr, false), 0);
	return XR_ISSUE_DONE;
}
