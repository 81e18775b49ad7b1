/* SPDX-License-Identifier: MIT */
/*
 * libxuring internals shared by the library's source files.
 * Only the public header's declarations are exported from libxuring.so.
 */
#ifndef XURING_LIB_INTERNAL_H
#define XURING_LIB_INTERNAL_H

/*
 * The library is built with -fvisibility=hidden; everything declared by the
 * public header gets default visibility, everything else stays internal.
 */
#pragma GCC visibility push(default)
#include <xuring/xuring.h>
#pragma GCC visibility pop
#include <signal.h>

/*
 * Size of the kernel's sigset_t, as liburing passes it: glibc's _NSIG is one
 * more than the kernel's (65 vs 64 on x86), which the division absorbs.
 */
#ifdef _NSIG
#define XURING_KERNEL_SIGSET_SIZE	(_NSIG / 8)
#else
#define XURING_KERNEL_SIGSET_SIZE	(64 / 8)
#endif

/* Ring index access with the orderings the kernel side expects. */
#define xu_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define xu_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define xu_read_once(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

/*
 * Library-internal functions shared between source files. They carry the
 * xuring_ prefix (with a double underscore) so that even the static
 * library never defines a name another library could also define.
 */

/* Move the SQEs handed out by get_sqe into the SQ array and publish the
 * new tail; returns how many entries the kernel has not consumed yet. */
unsigned int xuring__flush_sq(struct xuring *ring);

static inline bool sq_ring_needs_enter(struct xuring *ring,
				       unsigned int *flags)
{
	if (!(ring->flags & XURING_SETUP_SQPOLL))
		return true;

	/*
	 * The SQ tail store must be visible before NEED_WAKEUP is read, or
	 * the poller may go to sleep having missed our new entries.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xu_read_once(ring->sq.kflags) & XURING_SQ_NEED_WAKEUP) {
		*flags |= XURING_ENTER_SQ_WAKEUP;
		return true;
	}
	return false;
}

/* CQEs wait on the overflow list, or task_work does: an enter helps. */
static inline bool cq_ring_needs_flush(struct xuring *ring)
{
	return xu_read_once(ring->sq.kflags) &
	       (XURING_SQ_CQ_OVERFLOW | XURING_SQ_TASKRUN);
}

static inline bool cq_ring_needs_enter(struct xuring *ring)
{
	return (ring->flags & XURING_SETUP_IOPOLL) || cq_ring_needs_flush(ring);
}

#endif /* XURING_LIB_INTERNAL_H */
