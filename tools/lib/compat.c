// SPDX-License-Identifier: MIT
/*
 * libxuring: the calls behind the liburing-compatible header
 * (xuring/liburing.h) that libxuring's own API does not already provide:
 * liburing's wait loop with its internal timeout CQEs, timed waits through
 * EXT_ARG (or a TIMEOUT SQE where the ring lacks it), and a few small raw
 * helpers.
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

/* What one wait asks of enter. */
struct wait_args {
	unsigned int submit;		/* entries already in the SQ ring */
	unsigned int wait_nr;
	unsigned int get_flags;		/* XURING_ENTER_EXT_ARG, or 0 */
	const void *arg;		/* the sigmask, or a getevents_arg */
	size_t argsz;
	bool timed;			/* the getevents_arg has a timeout */
	unsigned int submitted;		/* out: what enter took */
};

/*
 * Submit w->submit entries already in the SQ ring and wait until w->wait_nr
 * CQEs are ready; hand back the first. Returns 0, -EAGAIN when nothing is
 * ready and nothing was asked to wait for, or the first error (from enter,
 * or an internal timeout's -ETIME). A timed wait enters to wait once.
 */
static int get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		   struct wait_args *w)
{
	struct xuring *xr = xuring_compat_ring(ring);
	struct io_uring_cqe *cqe = NULL;
	unsigned int submit = w->submit, wait_nr = w->wait_nr;
	bool entered = false, waited = false;
	int ret;

	w->submitted = 0;
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
		/* the kernel's timeout ran out once: not a second one */
		if (waited) {
			ret = cqe ? 0 : -ETIME;
			break;
		}
		if (flags & XURING_ENTER_GETEVENTS) {
			flags |= w->get_flags;
			waited = w->timed;
		}

		ret = xuring_enter2(ring->enter_ring_fd, submit, wait_nr, flags,
				    w->arg, w->argsz);
		if (ret < 0)
			break;
		w->submitted += (unsigned int)ret;
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
	struct wait_args w = {
		.submit = submit,
		.wait_nr = wait_nr,
		.arg = sigmask,
		.argsz = XURING_KERNEL_SIGSET_SIZE,
	};

	return get_cqe(ring, cqe_ptr, &w);
}

/*
 * A timed wait through EXT_ARG, as liburing 2.3 waits on a kernel with
 * IORING_FEAT_EXT_ARG: the timeout and mask go with the wait itself, no
 * SQE is queued. Returns what get_cqe() does; w->submitted is set.
 */
static int wait_ext_arg(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
			struct wait_args *w, struct __kernel_timespec *ts,
			sigset_t *sigmask)
{
	struct xuring_getevents_arg arg = {
		.sigmask = (uint64_t)(uintptr_t)sigmask,
		.sigmask_sz = XURING_KERNEL_SIGSET_SIZE,
		.ts = (uint64_t)(uintptr_t)ts,
	};

	w->get_flags = XURING_ENTER_EXT_ARG;
	w->arg = &arg;
	w->argsz = sizeof(arg);
	w->timed = true;
	return get_cqe(ring, cqe_ptr, w);
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
	struct wait_args w = {
		.wait_nr = wait_nr,
		.arg = sigmask,
		.argsz = XURING_KERNEL_SIGSET_SIZE,
	};
	unsigned int avail;
	int ret;

	if (ts && (ring->features & IORING_FEAT_EXT_ARG))
		return wait_ext_arg(ring, cqe_ptr, &w, ts, sigmask);
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
		w.submit = (unsigned int)ret;
	}
	return get_cqe(ring, cqe_ptr, &w);
}

int xuring_compat_submit_and_wait_timeout(struct io_uring *ring,
					  struct io_uring_cqe **cqe_ptr,
					  unsigned int wait_nr,
					  struct __kernel_timespec *ts,
					  sigset_t *sigmask)
{
	struct wait_args w = {
		.wait_nr = wait_nr,
		.arg = sigmask,
		.argsz = XURING_KERNEL_SIGSET_SIZE,
	};
	bool timeout_sqe = ts && !(ring->features & IORING_FEAT_EXT_ARG);
	int ret;

	if (timeout_sqe) {
		ret = queue_timeout(ring, wait_nr, ts);
		if (ret < 0) {
			*cqe_ptr = NULL;
			return ret;
		}
		w.submit = (unsigned int)ret;
	} else {
		w.submit = xuring__flush_sq(xuring_compat_ring(ring));
	}
	ret = ts && !timeout_sqe ? wait_ext_arg(ring, cqe_ptr, &w, ts, sigmask) :
				   get_cqe(ring, cqe_ptr, &w);
	if (ret < 0)
		return ret;
	/* The caller's SQEs, not our timeout. */
	if (timeout_sqe && w.submitted)
		w.submitted--;
	return (int)w.submitted;
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
