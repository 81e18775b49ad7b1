// SPDX-License-Identifier: MIT
/*
 * The drop-in: submitting SQEs and reaping CQEs, the same on both backends.
 * Timed waits go through EXT_ARG (both backends have it); a ring without
 * IORING_FEAT_EXT_ARG gets them through a TIMEOUT SQE, as liburing does on
 * such kernels.
 */
#include <errno.h>
#include <string.h>

#include "dropin.h"
#include "../lib/lib.h"

_Static_assert(IORING_SETUP_SQPOLL == XURING_SETUP_SQPOLL &&
	       IORING_SQ_NEED_WAKEUP == XURING_SQ_NEED_WAKEUP,
	       "SQPOLL flags differ");

/*
 * Publish the SQEs handed out since the last flush (the SQ array is mapped
 * 1:1, see setup.c) and return how many the kernel has not consumed: these
 * and any left over from a short submit.
 */
static unsigned int flush_sq(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	unsigned int tail = sq->sqe_tail;

	if (sq->sqe_head != tail) {
		sq->sqe_head = tail;
		/* the SQEs written before the tail are visible with it */
		dropin_store_release(sq->ktail, tail);
	}
	return tail - dropin_read_once(sq->khead);
}

/*
 * Whether submitting needs the kernel: always, unless an SQ thread is
 * awake to pick the entries up (a sleeping one is woken). libxuring's
 * test, on the same struct xuring and flag values, with liburing 2.3's
 * "nothing to submit" first.
 */
static bool sq_needs_enter(struct xuring *ring, unsigned int submit,
			   unsigned int *flags)
{
	return submit && sq_ring_needs_enter(ring, flags);
}

/* Completions wait in the kernel: on the overflow list, or as task work. */
static bool cq_needs_flush(struct xuring *ring)
{
	return dropin_read_once(ring->sq.kflags) &
	       (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN);
}

static bool cq_needs_enter(struct xuring *ring)
{
	return (ring->flags & IORING_SETUP_IOPOLL) || cq_needs_flush(ring);
}

static int submit(struct xuring *ring, unsigned int submitted,
		  unsigned int wait_nr, bool getevents)
{
	bool cq_enter = getevents || wait_nr || cq_needs_enter(ring);
	unsigned int flags = 0;

	if (sq_needs_enter(ring, submitted, &flags) || cq_enter) {
		if (cq_enter)
			flags |= IORING_ENTER_GETEVENTS;
		return dropin_enter(ring, submitted, wait_nr, flags, NULL,
				    DROPIN_SIGSET_SIZE);
	}
	return (int)submitted;
}

int io_uring_submit(struct xuring *ring)
{
	return submit(ring, flush_sq(ring), 0, false);
}

int io_uring_submit_and_wait(struct xuring *ring, unsigned int wait_nr)
{
	return submit(ring, flush_sq(ring), wait_nr, false);
}

int io_uring_submit_and_get_events(struct xuring *ring)
{
	return submit(ring, flush_sq(ring), 0, true);
}

int io_uring_get_events(struct xuring *ring)
{
	return dropin_enter(ring, 0, 0, IORING_ENTER_GETEVENTS, NULL,
			    DROPIN_SIGSET_SIZE);
}

/* Wait for SQ space (SQPOLL): the kernel returns once the thread took some. */
int __io_uring_sqring_wait(struct xuring *ring)
{
	return dropin_enter(ring, 0, 0, IORING_ENTER_SQ_WAIT, NULL,
			    DROPIN_SIGSET_SIZE);
}

struct xuring_sqe *io_uring_get_sqe(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	unsigned int next = sq->sqe_tail + 1, head;
	struct xuring_sqe *sqe;

	head = dropin_load_acquire(sq->khead);
	if (next - head > sq->ring_entries)
		return NULL;
	sqe = &sq->sqes[(sq->sqe_tail & sq->ring_mask) << dropin_sqe_shift(ring)];
	sq->sqe_tail = next;
	return sqe;
}

/*
 * The CQE at the head, if any, and how many are ready. Without EXT_ARG the
 * CQEs of our own wait TIMEOUTs are consumed here: one that fired (-ETIME)
 * is returned as the error, one that was satisfied is skipped.
 */
static int peek_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		    unsigned int *avail)
{
	struct xuring_cq *cq = &ring->cq;
	unsigned int shift = dropin_cqe_shift(ring);

	for (;;) {
		unsigned int tail = dropin_load_acquire(cq->ktail);
		unsigned int head = dropin_read_once(cq->khead);
		struct xuring_cqe *cqe;
		int res;

		*avail = tail - head;
		*cqe_ptr = NULL;
		if (!*avail)
			return 0;
		cqe = &cq->cqes[(head & cq->ring_mask) << shift];
		if ((ring->features & IORING_FEAT_EXT_ARG) ||
		    cqe->user_data != DROPIN_UDATA_TIMEOUT) {
			*cqe_ptr = cqe;
			return 0;
		}
		res = cqe->res;
		dropin_store_release(cq->khead, head + 1);
		if (res < 0)
			return res;
	}
}

/* One wait: what to submit, how many CQEs, and the enter argument. */
struct wait_args {
	unsigned int submit;
	unsigned int wait_nr;
	unsigned int submitted;		/* out: SQEs the kernel took */
	unsigned int enter_flags;	/* IORING_ENTER_EXT_ARG or 0 */
	bool timed;			/* EXT_ARG with a timeout */
	const void *arg;		/* sigset, or getevents_arg */
	size_t argsz;
};

/*
 * Return the CQE at the head once wait_nr are ready (0: whatever is there),
 * submitting w->submit SQEs on the way (w->submitted counts them). 0 or
 * -errno; -EAGAIN when nothing is there to peek, -ETIME when a timed wait
 * ran out, whether the kernel said so (EXT_ARG) or our TIMEOUT's CQE did.
 */
static int get_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		   struct wait_args *w)
{
	struct xuring_cqe *cqe = NULL;
	bool looped = false;
	int err = 0;

	for (;;) {
		unsigned int avail, flags = 0;
		bool enter = false;
		int ret;

		ret = peek_cqe(ring, &cqe, &avail);
		if (ret) {
			if (!err)
				err = ret;
			break;
		}
		if (!cqe && !w->wait_nr && !w->submit) {
			/* a peek: enter once, only to flush or reap */
			if (looped || !cq_needs_enter(ring)) {
				if (!err)
					err = -EAGAIN;
				break;
			}
			enter = true;
		}
		if (w->wait_nr > avail || enter) {
			flags = IORING_ENTER_GETEVENTS | w->enter_flags;
			enter = true;
		}
		if (sq_needs_enter(ring, w->submit, &flags))
			enter = true;
		if (!enter)
			break;
		if (looped && w->timed) {
			/* the kernel waited its time once already */
			if (!cqe && !err)
				err = -ETIME;
			break;
		}

		ret = dropin_enter(ring, w->submit, w->wait_nr, flags, w->arg,
				   w->argsz);
		if (ret < 0) {
			if (!err)
				err = ret;
			break;
		}
		w->submit -= (unsigned int)ret;
		w->submitted += (unsigned int)ret;
		if (cqe)
			break;
		looped = true;
	}
	*cqe_ptr = cqe;
	return err;
}

int __io_uring_get_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		       unsigned int submit, unsigned int wait_nr,
		       sigset_t *sigmask)
{
	struct wait_args w = {
		.submit = submit,
		.wait_nr = wait_nr,
		.arg = sigmask,
		.argsz = DROPIN_SIGSET_SIZE,
	};

	return get_cqe(ring, cqe_ptr, &w);
}

/*
 * Queue a TIMEOUT that completes after wait_nr CQEs or at *ts, whichever
 * comes first, for a kernel without EXT_ARG. Returns the SQEs to submit.
 */
static int submit_timeout(struct xuring *ring, unsigned int wait_nr,
			  struct __kernel_timespec *ts)
{
	struct xuring_sqe *sqe = io_uring_get_sqe(ring);
	int ret;

	if (!sqe) {
		/* a full SQ: send it, then there is room */
		ret = io_uring_submit(ring);
		if (ret < 0)
			return ret;
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -EAGAIN;
	}
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_TIMEOUT;
	sqe->fd = -1;
	sqe->addr = (__u64)(unsigned long)ts;
	sqe->len = 1;
	sqe->off = wait_nr;
	sqe->user_data = DROPIN_UDATA_TIMEOUT;
	return (int)flush_sq(ring);
}

static int wait_ext_arg(struct xuring *ring, struct xuring_cqe **cqe_ptr,
			unsigned int submit, unsigned int wait_nr,
			struct __kernel_timespec *ts, sigset_t *sigmask)
{
	struct io_uring_getevents_arg arg = {
		.sigmask = (__u64)(unsigned long)sigmask,
		.sigmask_sz = DROPIN_SIGSET_SIZE,
		.ts = (__u64)(unsigned long)ts,
	};
	struct wait_args w = {
		.submit = submit,
		.wait_nr = wait_nr,
		.enter_flags = IORING_ENTER_EXT_ARG,
		.timed = ts != NULL,
		.arg = &arg,
		.argsz = sizeof(arg),
	};

	int ret = get_cqe(ring, cqe_ptr, &w);

	return ret < 0 ? ret : (int)w.submitted;
}

int io_uring_wait_cqes(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		       unsigned int wait_nr, struct __kernel_timespec *ts,
		       sigset_t *sigmask)
{
	int to_submit = 0, ret;

	if (ts) {
		if (ring->features & IORING_FEAT_EXT_ARG) {
			ret = wait_ext_arg(ring, cqe_ptr, 0, wait_nr, ts,
					   sigmask);
			return ret < 0 ? ret : 0;
		}
		to_submit = submit_timeout(ring, wait_nr, ts);
		if (to_submit < 0)
			return to_submit;
	}
	return __io_uring_get_cqe(ring, cqe_ptr, (unsigned int)to_submit,
				  wait_nr, sigmask);
}

int io_uring_wait_cqe_timeout(struct xuring *ring,
			      struct xuring_cqe **cqe_ptr,
			      struct __kernel_timespec *ts)
{
	return io_uring_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

int io_uring_submit_and_wait_timeout(struct xuring *ring,
				     struct xuring_cqe **cqe_ptr,
				     unsigned int wait_nr,
				     struct __kernel_timespec *ts,
				     sigset_t *sigmask)
{
	struct wait_args w = {
		.wait_nr = wait_nr,
		.arg = sigmask,
		.argsz = DROPIN_SIGSET_SIZE,
	};
	int to_submit, ret;

	/* returns the SQEs submitted (io_uring_submit_and_wait_timeout(3)) */
	if (ts) {
		if (ring->features & IORING_FEAT_EXT_ARG)
			return wait_ext_arg(ring, cqe_ptr, flush_sq(ring),
					    wait_nr, ts, sigmask);
		to_submit = submit_timeout(ring, wait_nr, ts);
		if (to_submit < 0)
			return to_submit;
	} else {
		to_submit = (int)flush_sq(ring);
	}
	w.submit = (unsigned int)to_submit;
	ret = get_cqe(ring, cqe_ptr, &w);
	if (ret < 0)
		return ret;
	/* our own TIMEOUT SQE is not the program's */
	if (ts && w.submitted)
		w.submitted--;
	return (int)w.submitted;
}

/*
 * Up to count CQEs from the head, without consuming them. If none are
 * there but some wait on the overflow list, flush them once.
 */
unsigned int io_uring_peek_batch_cqe(struct xuring *ring,
				     struct xuring_cqe **cqes,
				     unsigned int count)
{
	struct xuring_cq *cq = &ring->cq;
	unsigned int shift = dropin_cqe_shift(ring), ready, head, i;
	bool flushed = false;

	for (;;) {
		ready = dropin_load_acquire(cq->ktail) -
			dropin_read_once(cq->khead);
		if (ready)
			break;
		if (flushed || !cq_needs_flush(ring))
			return 0;
		io_uring_get_events(ring);
		flushed = true;
	}
	if (count > ready)
		count = ready;
	head = dropin_read_once(cq->khead);
	for (i = 0; i < count; i++)
		cqes[i] = &cq->cqes[((head + i) & cq->ring_mask) << shift];
	return count;
}
