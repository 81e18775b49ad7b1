// SPDX-License-Identifier: MIT
/*
 * libxuring: handing SQEs to the kernel and reaping CQEs, with the ring
 * index orderings io_uring's ABI requires.
 *
 * Ordering contract with the kernel side:
 *  - SQ tail is published with a release store (the SQEs and SQ array
 *    entries written before it are visible once the kernel acquires it);
 *  - SQ head is read with acquire (the kernel is done with those slots);
 *  - CQ tail is read with acquire (the CQEs before it are written);
 *  - CQ head is published with release (we are done reading those CQEs).
 */
#include <errno.h>

#include "lib.h"

/*
 * Move the SQEs handed out by get_sqe into the SQ array and publish the new
 * tail. Returns the number of entries the kernel has not consumed yet: those
 * just flushed plus any left over from an earlier short submit.
 */
unsigned int xuring__flush_sq(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	unsigned int mask = sq->ring_mask;
	unsigned int tail = xu_read_once(sq->ktail);

	if (sq->sqe_head != sq->sqe_tail) {
		while (sq->sqe_head != sq->sqe_tail) {
			sq->array[tail & mask] = sq->sqe_head & mask;
			tail++;
			sq->sqe_head++;
		}
		xu_store_release(sq->ktail, tail);
	}
	return tail - xu_load_acquire(sq->khead);
}

static int submit(struct xuring *ring, unsigned int wait_nr, bool getevents)
{
	unsigned int submitted = xuring__flush_sq(ring);
	unsigned int flags = 0;
	bool cq_needs_enter = getevents || wait_nr || cq_ring_needs_enter(ring);

	if (sq_ring_needs_enter(ring, &flags) || cq_needs_enter) {
		if (cq_needs_enter)
			flags |= XURING_ENTER_GETEVENTS;
		return xuring_enter(ring->ring_fd, submitted, wait_nr, flags,
				    NULL);
	}
	/* SQPOLL with an awake poller: it picks the entries up itself. */
	return (int)submitted;
}

int xuring_submit(struct xuring *ring)
{
	return submit(ring, 0, false);
}

int xuring_submit_and_wait(struct xuring *ring, unsigned int wait_nr)
{
	return submit(ring, wait_nr, false);
}

/* The CQE at the head, if any, and how many are ready. Never enters. */
static struct xuring_cqe *peek_cqe(struct xuring *ring, unsigned int *avail)
{
	struct xuring_cq *cq = &ring->cq;
	unsigned int tail = xu_load_acquire(cq->ktail);
	unsigned int head = xu_read_once(cq->khead);

	*avail = tail - head;
	if (!*avail)
		return NULL;
	return &cq->cqes[head & *cq->kring_mask];
}

/*
 * Return the CQE at the head once at least wait_nr are ready (wait_nr 0:
 * whatever is there). Enters the kernel to wait, and to flush completions
 * parked on the overflow list. Errors from the enter call (-EINTR for a
 * signal, -EBUSY, ...) go back to the caller unchanged.
 */
int xuring_wait_cqe_nr(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		       unsigned int wait_nr)
{
	struct xuring_cqe *cqe;
	unsigned int avail;
	int ret;

	for (;;) {
		bool flush = false;

		cqe = peek_cqe(ring, &avail);
		if (cqe && avail >= wait_nr)
			break;
		if (!cqe && !wait_nr) {
			if (!cq_ring_needs_enter(ring)) {
				*cqe_ptr = NULL;
				return -EAGAIN;
			}
			flush = true;
		}

		ret = xuring_enter(ring->ring_fd, 0, wait_nr,
				   XURING_ENTER_GETEVENTS, NULL);
		if (ret < 0) {
			*cqe_ptr = NULL;
			return ret;
		}
		if (flush) {
			/* One flush attempt: report what it produced. */
			cqe = peek_cqe(ring, &avail);
			if (!cqe) {
				*cqe_ptr = NULL;
				return -EAGAIN;
			}
			break;
		}
	}
	*cqe_ptr = cqe;
	return 0;
}

int xuring_wait_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr)
{
	return xuring_wait_cqe_nr(ring, cqe_ptr, 1);
}

int xuring_peek_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr)
{
	return xuring_wait_cqe_nr(ring, cqe_ptr, 0);
}

unsigned int xuring_peek_batch_cqe(struct xuring *ring,
				   struct xuring_cqe **cqes, unsigned int count)
{
	struct xuring_cq *cq = &ring->cq;
	unsigned int ready, head, mask, i;
	bool flushed = false;

again:
	ready = xuring_cq_ready(ring);
	if (!ready) {
		if (!flushed && cq_ring_needs_enter(ring)) {
			xuring_enter(ring->ring_fd, 0, 0,
				     XURING_ENTER_GETEVENTS, NULL);
			flushed = true;
			goto again;
		}
		return 0;
	}

	if (count > ready)
		count = ready;
	head = xu_read_once(cq->khead);
	mask = *cq->kring_mask;
	for (i = 0; i < count; i++)
		cqes[i] = &cq->cqes[(head + i) & mask];
	return count;
}

int xuring_get_events(struct xuring *ring)
{
	return xuring_enter(ring->ring_fd, 0, 0, XURING_ENTER_GETEVENTS, NULL);
}
