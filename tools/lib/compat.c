// SPDX-License-Identifier: MIT
/*
 * libxuring: the calls behind the liburing-compatible header
 * (xuring/liburing.h) that libxuring's own API does not already provide:
 * liburing's wait loop with its internal timeout CQEs, timed waits through a
 * TIMEOUT SQE (5.10 has no EXT_ARG), and a few small raw helpers.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib.h"
#pragma GCC visibility push(default)
#include <xuring/liburing.h>
#pragma GCC visibility pop

/* ring->int_flags bits */
#define INT_TIMEOUT_PROBED	(1U << 0)	/* TIMEOUT support is known */
#define INT_TIMEOUT_OK		(1U << 1)	/* ... and it is there */

#define UDATA_TIMEOUT		((uint64_t)-1)	/* LIBURING_UDATA_TIMEOUT */

/*
 * The CQE at the head, skipping the CQEs of our own timeout SQEs: one that
 * fired (or failed) ends the peek with its negative result, one that was
 * satisfied by its count is dropped silently. *avail counts what is left.
 */
static int peek_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		    unsigned int *avail)
{
	struct xuring_cq *cq = &ring->cq;

	for (;;) {
		unsigned int tail = xu_load_acquire(cq->ktail);
		unsigned int head = xu_read_once(cq->khead);
		struct xuring_cqe *cqe;
		int res;

		*cqe_ptr = NULL;
		*avail = tail - head;
		if (!*avail)
			return 0;
		cqe = &cq->cqes[head & cq->ring_mask];
		if (cqe->user_data != UDATA_TIMEOUT) {
			*cqe_ptr = cqe;
			return 0;
		}
		res = cqe->res;
		xuring_cq_advance(ring, 1);
		if (res < 0) {
			*avail -= 1;
			return res;
		}
	}
}

/*
 * Submit 'submit' entries already in the SQ ring and wait until wait_nr
 * CQEs are ready; hand back the first. Returns 0, -EAGAIN when nothing is
 * ready and nothing was asked to wait for, or the first error (from enter,
 * or an internal timeout's -ETIME). *submitted: what enter took.
 */
static int get_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		   unsigned int submit, unsigned int wait_nr,
		   sigset_t *sigmask, unsigned int *submitted)
{
	struct xuring_cqe *cqe = NULL;
	bool entered = false;
	int ret;

	*submitted = 0;
	for (;;) {
		unsigned int avail, flags = 0;
		bool enter = false;

		ret = peek_cqe(ring, &cqe, &avail);
		if (ret < 0)
			break;
		if (!cqe && !wait_nr && !submit) {
			/* Only an IOPOLL reap or an overflow flush can help,
			 * and only once. */
			if (entered || !cq_ring_needs_enter(ring)) {
				ret = -EAGAIN;
				break;
			}
			enter = true;
			flags |= XURING_ENTER_GETEVENTS;
		}
		if (wait_nr > avail) {
			enter = true;
			flags |= XURING_ENTER_GETEVENTS;
		}
		if (submit && sq_ring_needs_enter(ring, &flags))
			enter = true;
		if (!enter) {
			ret = cqe ? 0 : -EAGAIN;
			break;
		}

		ret = xuring_enter(ring->enter_ring_fd, submit, wait_nr, flags,
				   sigmask);
		if (ret < 0)
			break;
		*submitted += (unsigned int)ret;
		submit -= (unsigned int)ret < submit ? (unsigned int)ret : submit;
		entered = true;
		if (cqe) {
			ret = 0;
			break;
		}
	}
	*cqe_ptr = ret < 0 ? NULL : cqe;
	return ret;
}

int xuring_compat_get_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
			  unsigned int submit, unsigned int wait_nr,
			  sigset_t *sigmask)
{
	unsigned int submitted;

	return get_cqe(ring, cqe_ptr, submit, wait_nr, sigmask, &submitted);
}

/* Whether the ring's probe lists TIMEOUT; asked once per ring. A ring that
 * cannot be probed is given the benefit of the doubt. */
static bool timeout_supported(struct xuring *ring)
{
	if (!(ring->int_flags & INT_TIMEOUT_PROBED)) {
		struct xuring_probe *probe = xuring_get_probe_ring(ring);

		if (!probe || xuring_opcode_supported(probe, XURING_OP_TIMEOUT))
			ring->int_flags |= INT_TIMEOUT_OK;
		xuring_free_probe(probe);
		ring->int_flags |= INT_TIMEOUT_PROBED;
	}
	return ring->int_flags & INT_TIMEOUT_OK;
}

/*
 * Queue a TIMEOUT SQE that completes after wait_nr other CQEs or after *ts,
 * behind whatever the caller queued, and flush the SQ ring. Returns the
 * number of entries waiting for the kernel, or -errno.
 */
static int queue_timeout(struct xuring *ring, unsigned int wait_nr,
			 struct __kernel_timespec *ts)
{
	struct xuring_sqe *sqe;
	int ret;

	if (!timeout_supported(ring))
		return -EOPNOTSUPP;
	sqe = xuring_get_sqe(ring);
	if (!sqe) {
		/* A full SQ ring goes in first to make room. */
		ret = xuring_submit(ring);
		if (ret < 0)
			return ret;
		sqe = xuring_get_sqe(ring);
		if (!sqe)
			return -EAGAIN;
	}
	xuring_prep_rw(XURING_OP_TIMEOUT, sqe, -1, ts, 1, wait_nr);
	sqe->user_data = UDATA_TIMEOUT;
	return (int)xuring__flush_sq(ring);
}

int xuring_compat_wait_cqes(struct xuring *ring, struct xuring_cqe **cqe_ptr,
			    unsigned int wait_nr, struct __kernel_timespec *ts,
			    sigset_t *sigmask)
{
	unsigned int to_submit = 0, submitted, avail;
	int ret;

	if (ts) {
		/* Enough ready already: no timeout SQE to leave behind. */
		ret = peek_cqe(ring, cqe_ptr, &avail);
		if (ret < 0 || (*cqe_ptr && avail >= wait_nr))
			return ret;
		ret = queue_timeout(ring, wait_nr, ts);
		if (ret < 0) {
			*cqe_ptr = NULL;
			return ret;
		}
		to_submit = (unsigned int)ret;
	}
	return get_cqe(ring, cqe_ptr, to_submit, wait_nr, sigmask, &submitted);
}

int xuring_compat_submit_and_wait_timeout(struct xuring *ring,
					  struct xuring_cqe **cqe_ptr,
					  unsigned int wait_nr,
					  struct __kernel_timespec *ts,
					  sigset_t *sigmask)
{
	unsigned int to_submit, submitted;
	int ret;

	if (ts) {
		ret = queue_timeout(ring, wait_nr, ts);
		if (ret < 0) {
			*cqe_ptr = NULL;
			return ret;
		}
		to_submit = (unsigned int)ret;
	} else {
		to_submit = xuring__flush_sq(ring);
	}
	ret = get_cqe(ring, cqe_ptr, to_submit, wait_nr, sigmask, &submitted);
	if (ret < 0)
		return ret;
	/* The caller's SQEs, not our timeout. */
	if (ts && submitted)
		submitted--;
	return (int)submitted;
}

int xuring_compat_submit_and_get_events(struct xuring *ring)
{
	unsigned int to_submit = xuring__flush_sq(ring);
	unsigned int flags = XURING_ENTER_GETEVENTS;

	/* Adds SQ_WAKEUP to a sleeping SQ thread's ring. */
	sq_ring_needs_enter(ring, &flags);
	return xuring_enter(ring->enter_ring_fd, to_submit, 0, flags, NULL);
}

int xuring_compat_sqring_wait(struct xuring *ring)
{
	return xuring_enter(ring->enter_ring_fd, 0, 0, XURING_ENTER_SQ_WAIT,
			    NULL);
}

int xuring_compat_ring_dontfork(struct xuring *ring)
{
	size_t sqes_sz;

	if (!ring->sq.ring_ptr || !ring->sq.sqes || !ring->cq.ring_ptr)
		return -EINVAL;
	sqes_sz = ring->sq.ring_entries * sizeof(struct xuring_sqe);
	if (madvise(ring->sq.sqes, sqes_sz, MADV_DONTFORK) ||
	    madvise(ring->sq.ring_ptr, ring->sq.ring_sz, MADV_DONTFORK))
		return -errno;
	if (ring->cq.ring_ptr != ring->sq.ring_ptr &&
	    madvise(ring->cq.ring_ptr, ring->cq.ring_sz, MADV_DONTFORK))
		return -errno;
	return 0;
}

int xuring_compat_setup(unsigned int entries, struct xuring_params *p)
{
	int fd, ret;

	fd = xuring_open();
	if (fd < 0)
		return fd;
	p->sq_entries = entries;
	ret = xuring_setup(fd, p);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}
