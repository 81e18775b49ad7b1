// SPDX-License-Identifier: MIT
/*
 * libxuring: the calls behind the liburing-compatible header
 * (xuring/liburing.h) that libxuring's own API does not already provide:
 * liburing's wait loop with its internal timeout CQEs, timed waits through a
 * TIMEOUT SQE (5.10 has no EXT_ARG), and a few small raw helpers.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib.h"
#pragma GCC visibility push(default)
#include <xuring/liburing.h>
#pragma GCC visibility pop

/* ring->int_flags bits */
#define INT_TIMEOUT_PROBED	(1U << 0)	/* TIMEOUT support is known */
#define INT_TIMEOUT_OK		(1U << 1)	/* ... and it is there */

/*
 * xuring_compat_ring() hands a struct io_uring to libxuring as a struct
 * xuring: the two must agree on every field libxuring touches.
 */
#define SAME_FIELD(f)							\
	_Static_assert(offsetof(struct io_uring, f) ==			\
		       offsetof(struct xuring, f) &&			\
		       sizeof(((struct io_uring *)0)->f) ==		\
		       sizeof(((struct xuring *)0)->f), "struct io_uring ." #f)
SAME_FIELD(sq.khead);
SAME_FIELD(sq.ktail);
SAME_FIELD(sq.kring_mask);
SAME_FIELD(sq.kring_entries);
SAME_FIELD(sq.kflags);
SAME_FIELD(sq.kdropped);
SAME_FIELD(sq.array);
SAME_FIELD(sq.sqes);
SAME_FIELD(sq.sqe_head);
SAME_FIELD(sq.sqe_tail);
SAME_FIELD(sq.ring_sz);
SAME_FIELD(sq.ring_ptr);
SAME_FIELD(sq.ring_mask);
SAME_FIELD(sq.ring_entries);
SAME_FIELD(cq.khead);
SAME_FIELD(cq.ktail);
SAME_FIELD(cq.kring_mask);
SAME_FIELD(cq.kring_entries);
SAME_FIELD(cq.kflags);
SAME_FIELD(cq.koverflow);
SAME_FIELD(cq.cqes);
SAME_FIELD(cq.ring_sz);
SAME_FIELD(cq.ring_ptr);
SAME_FIELD(cq.ring_mask);
SAME_FIELD(cq.ring_entries);
SAME_FIELD(flags);
SAME_FIELD(ring_fd);
SAME_FIELD(features);
SAME_FIELD(enter_ring_fd);
SAME_FIELD(int_flags);
_Static_assert(sizeof(struct io_uring) == sizeof(struct xuring), "io_uring");
/* ... and the SQEs and CQEs are the kernel's, whatever their names. */
_Static_assert(sizeof(struct io_uring_sqe) == sizeof(struct xuring_sqe), "SQE");
_Static_assert(sizeof(struct io_uring_cqe) == sizeof(struct xuring_cqe), "CQE");
/* xuring/prep-ops.h writes OPENAT2's len as 24: xuring.h has no open_how */
_Static_assert(sizeof(struct open_how) == 24, "open_how");

/*
 * Submit 'submit' entries already in the SQ ring and wait until wait_nr
 * CQEs are ready; hand back the first. Returns 0, -EAGAIN when nothing is
 * ready and nothing was asked to wait for, or the first error (from enter,
 * or an internal timeout's -ETIME). *submitted: what enter took.
 */
static int get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		   unsigned int submit, unsigned int wait_nr,
		   sigset_t *sigmask, unsigned int *submitted)
{
	struct xuring *xr = xuring_compat_ring(ring);
	struct io_uring_cqe *cqe = NULL;
	bool entered = false;
	int ret;

	*submitted = 0;
	for (;;) {
		unsigned int avail, flags = 0;
		bool enter = false;

		ret = __io_uring_peek_cqe(ring, &cqe, &avail);
		if (ret < 0)
			break;
		if (!cqe && !wait_nr && !submit) {
			/* Only an IOPOLL reap or an overflow flush can help,
			 * and only once. */
			if (entered || !cq_ring_needs_enter(xr)) {
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
		if (submit && sq_ring_needs_enter(xr, &flags))
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

int xuring_compat_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
			  unsigned int submit, unsigned int wait_nr,
			  sigset_t *sigmask)
{
	unsigned int submitted;

	return get_cqe(ring, cqe_ptr, submit, wait_nr, sigmask, &submitted);
}

/* Whether the ring's probe lists TIMEOUT; asked once per ring. A ring that
 * cannot be probed is given the benefit of the doubt. */
static bool timeout_supported(struct io_uring *ring)
{
	if (!(ring->int_flags & INT_TIMEOUT_PROBED)) {
		struct io_uring_probe *probe = io_uring_get_probe_ring(ring);

		if (!probe || io_uring_opcode_supported(probe, IORING_OP_TIMEOUT))
			ring->int_flags |= INT_TIMEOUT_OK;
		io_uring_free_probe(probe);
		ring->int_flags |= INT_TIMEOUT_PROBED;
	}
	return ring->int_flags & INT_TIMEOUT_OK;
}

/*
 * Queue a TIMEOUT SQE that completes after wait_nr other CQEs or after *ts,
 * behind whatever the caller queued, and flush the SQ ring. Returns the
 * number of entries waiting for the kernel, or -errno.
 */
static int queue_timeout(struct io_uring *ring, unsigned int wait_nr,
			 struct __kernel_timespec *ts)
{
	struct io_uring_sqe *sqe;
	int ret;

	if (!timeout_supported(ring))
		return -EOPNOTSUPP;
	sqe = io_uring_get_sqe(ring);
	if (!sqe) {
		/* A full SQ ring goes in first to make room. */
		ret = io_uring_submit(ring);
		if (ret < 0)
			return ret;
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -EAGAIN;
	}
	io_uring_prep_timeout(sqe, ts, wait_nr, 0);
	io_uring_sqe_set_data64(sqe, LIBURING_UDATA_TIMEOUT);
	return (int)xuring__flush_sq(xuring_compat_ring(ring));
}

int xuring_compat_wait_cqes(struct io_uring *ring,
			    struct io_uring_cqe **cqe_ptr, unsigned int wait_nr,
			    struct __kernel_timespec *ts, sigset_t *sigmask)
{
	unsigned int to_submit = 0, submitted, avail;
	int ret;

	if (ts) {
		/* Enough ready already: no timeout SQE to leave behind. */
		ret = __io_uring_peek_cqe(ring, cqe_ptr, &avail);
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

int xuring_compat_submit_and_wait_timeout(struct io_uring *ring,
					  struct io_uring_cqe **cqe_ptr,
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
		to_submit = xuring__flush_sq(xuring_compat_ring(ring));
	}
	ret = get_cqe(ring, cqe_ptr, to_submit, wait_nr, sigmask, &submitted);
	if (ret < 0)
		return ret;
	/* The caller's SQEs, not our timeout. */
	if (ts && submitted)
		submitted--;
	return (int)submitted;
}

int xuring_compat_submit_and_get_events(struct io_uring *ring)
{
	struct xuring *xr = xuring_compat_ring(ring);
	unsigned int to_submit = xuring__flush_sq(xr);
	unsigned int flags = XURING_ENTER_GETEVENTS;

	/* Adds SQ_WAKEUP to a sleeping SQ thread's ring. */
	sq_ring_needs_enter(xr, &flags);
	return xuring_enter(ring->enter_ring_fd, to_submit, 0, flags, NULL);
}

int xuring_compat_ring_dontfork(struct io_uring *ring)
{
	size_t sqes_sz;

	if (!ring->sq.ring_ptr || !ring->sq.sqes || !ring->cq.ring_ptr)
		return -EINVAL;
	sqes_sz = ring->sq.ring_entries * sizeof(struct io_uring_sqe);
	if (madvise(ring->sq.sqes, sqes_sz, MADV_DONTFORK) ||
	    madvise(ring->sq.ring_ptr, ring->sq.ring_sz, MADV_DONTFORK))
		return -errno;
	if (ring->cq.ring_ptr != ring->sq.ring_ptr &&
	    madvise(ring->cq.ring_ptr, ring->cq.ring_sz, MADV_DONTFORK))
		return -errno;
	return 0;
}

int xuring_compat_setup(unsigned int entries, struct io_uring_params *p)
{
	struct xuring_params params;
	int fd, ret;

	/* io_uring_setup(2) fails to copy a NULL params in: -EFAULT. */
	if (!p)
		return -EFAULT;
	/* The caller's params are written back on success only, whole, as
	 * the system call writes them; entries travel in sq_entries. */
	memcpy(&params, p, sizeof(params));
	params.sq_entries = entries;
	fd = xuring_open();
	if (fd < 0)
		return fd;
	ret = xuring_setup(fd, &params);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	memcpy(p, &params, sizeof(params));
	return fd;
}
