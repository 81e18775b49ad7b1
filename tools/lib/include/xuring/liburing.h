/* SPDX-License-Identifier: MIT */
/*
 * liburing 2.3's API on /dev/xuring: a program written for liburing builds
 * against xuring by including this header instead of <liburing.h> and
 * linking -lxuring instead of -luring (or, unchanged, with
 * -I tools/lib/include/xuring/compat first on the include path).
 *
 * Everything Debian's liburing.h (2.3) declares is here, under the same
 * name and with the same type: every function, macro, constant, struct and
 * struct member (tools/test/compat-cover.sh checks it against the installed
 * header). How it maps:
 *  - The kernel ABI names (IORING_*, IOSQE_*, struct io_uring_sqe, ...)
 *    come from xuring/liburing-io_uring.h, with liburing 2.3's values and
 *    byte layouts.
 *  - struct io_uring, io_uring_sq and io_uring_cq have liburing 2.3's
 *    layout, which is also struct xuring's: the calls below hand the ring
 *    to libxuring as a struct xuring (xuring_compat_ring()). libxuring
 *    checks the two layouts field by field when it is built (compat.c).
 *  - Every io_uring_* function is a static inline or a macro: nothing named
 *    io_uring_* is defined or referenced at link time, so a program may
 *    link libxuring and liburing together (the two then serve different
 *    translation units).
 *
 * Differences from liburing 2.3 (it targets newer kernels than 5.10):
 *  - What xuring lacks of later kernels (it has 5.10, and of what came
 *    after EXT_ARG, CQE_SKIP_SUCCESS and SUBMIT_ALL) fails at run time as
 *    on a 5.10 kernel: setup flags, SQE flags and register opcodes with
 *    -EINVAL
 *    (the register helpers of later kernels, buffer rings, registered ring
 *    fds and the rest, make their register call and get -EINVAL from it),
 *    SQEs of newer opcodes in their CQE (-EINVAL). io_uring_mlock_size*()
 *    return 0, although the module charges a ring's pages to
 *    RLIMIT_MEMLOCK (without CAP_IPC_LOCK) as 5.10 does: an open gap (the
 *    drop-in liburing.so.2 computes it).
 *  - io_uring_wait_cqe_timeout() and io_uring_submit_and_wait_timeout() pass
 *    the timeout with the wait (IORING_ENTER_EXT_ARG), as liburing does. A
 *    ring without IORING_FEAT_EXT_ARG (an older module) gets a TIMEOUT SQE
 *    with user_data LIBURING_UDATA_TIMEOUT instead, as liburing does on
 *    kernels without it; the peek and wait calls skip that CQE and turn its
 *    -ETIME into their result. io_uring_wait_cqes() returns CQEs that are
 *    already there without queueing a timeout. If the ring's probe says
 *    TIMEOUT is not supported, a wait that would need one returns
 *    -EOPNOTSUPP before touching the ring.
 *  - io_uring_setup() opens /dev/xuring and sets the ring up on it; the
 *    raw calls return -errno, as liburing 2.3's do, with the errors of the
 *    system calls (-EFAULT for a NULL params, -EOPNOTSUPP for an fd that
 *    is not a ring).
 */
#ifndef XURING_LIBURING_COMPAT_H
#define XURING_LIBURING_COMPAT_H

/* liburing.h's own include guards: a second liburing header is a no-op. */
#define LIB_URING_H
#define LIBURING_COMPAT_H
#define LIBURING_BARRIER_H

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 500	/* sigset_t, as liburing.h asks for */
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* cpu_set_t, as liburing.h asks for */
#endif

/* The system headers liburing.h brings in; programs come to rely on them. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/openat2.h>
#include <linux/swab.h>
#include <linux/time_types.h>
#ifndef __cplusplus
#include <stdatomic.h>
#endif

#include <xuring/xuring.h>
#include <xuring/liburing-io_uring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The system call numbers, as liburing.h gives them (they are not used). */
#ifdef __alpha__
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup		535
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter		536
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register		537
#endif
#elif defined __mips__
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup		(__NR_Linux + 425)
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter		(__NR_Linux + 426)
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register		(__NR_Linux + 427)
#endif
#else
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup		425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter		426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register		427
#endif
#endif

/* user_data of the TIMEOUT SQE the *_timeout waits add; never a real CQE */
#define LIBURING_UDATA_TIMEOUT		((__u64) -1)
#define LIBURING_HAVE_DATA64

#ifndef uring_likely
#define uring_likely(cond)		__builtin_expect(!!(cond), 1)
#endif
#ifndef uring_unlikely
#define uring_unlikely(cond)		__builtin_expect(!!(cond), 0)
#endif

/* liburing/barrier.h's helpers, on the compiler's atomics. */
#define IO_URING_WRITE_ONCE(var, val)	__atomic_store_n(&(var), (val), __ATOMIC_RELAXED)
#define IO_URING_READ_ONCE(var)		__atomic_load_n(&(var), __ATOMIC_RELAXED)
#define io_uring_smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define io_uring_smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define io_uring_smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

/* --- the ring: liburing 2.3's layout, which is struct xuring's ----------- */

struct io_uring_sq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;		/* ring_mask is the same, unshared */
	unsigned *kring_entries;	/* ring_entries is the same, unshared */
	unsigned *kflags;
	unsigned *kdropped;
	unsigned *array;
	struct io_uring_sqe *sqes;

	unsigned sqe_head;
	unsigned sqe_tail;

	size_t ring_sz;
	void *ring_ptr;

	unsigned ring_mask;
	unsigned ring_entries;

	unsigned pad[2];
};

struct io_uring_cq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;
	unsigned *kring_entries;
	unsigned *kflags;
	unsigned *koverflow;
	struct io_uring_cqe *cqes;

	size_t ring_sz;
	void *ring_ptr;

	unsigned ring_mask;
	unsigned ring_entries;

	unsigned pad[2];
};

struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned flags;
	int ring_fd;

	unsigned features;
	int enter_ring_fd;
	__u8 int_flags;
	__u8 pad[3];
	unsigned pad2;
};

/* The same ring, as libxuring's calls take it. */
static inline struct xuring *xuring_compat_ring(struct io_uring *ring)
{
	return (struct xuring *)(void *)ring;
}

/* --- the library calls the inlines below forward to ---------------------- */

/* As liburing's __io_uring_get_cqe(): submit 'submit' flushed SQEs, wait
 * for wait_nr CQEs, return the first (skipping internal timeout CQEs). */
int xuring_compat_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
			  unsigned int submit, unsigned int wait_nr,
			  sigset_t *sigmask);
int xuring_compat_wait_cqes(struct io_uring *ring,
			    struct io_uring_cqe **cqe_ptr, unsigned int wait_nr,
			    struct __kernel_timespec *ts, sigset_t *sigmask);
int xuring_compat_submit_and_wait_timeout(struct io_uring *ring,
					  struct io_uring_cqe **cqe_ptr,
					  unsigned int wait_nr,
					  struct __kernel_timespec *ts,
					  sigset_t *sigmask);
int xuring_compat_submit_and_get_events(struct io_uring *ring);
int xuring_compat_ring_dontfork(struct io_uring *ring);
/* io_uring_setup(2) on /dev/xuring: opens it, sets a ring up, returns the
 * fd; *p is written back only when the set-up succeeded, as the kernel's. */
int xuring_compat_setup(unsigned int entries, struct io_uring_params *p);

/* --- set-up and tear-down ------------------------------------------------ */

static inline int io_uring_queue_init_params(unsigned entries,
					     struct io_uring *ring,
					     struct io_uring_params *p)
{
	return xuring_queue_init_params(entries, xuring_compat_ring(ring),
					(struct xuring_params *)p);
}

static inline int io_uring_queue_init(unsigned entries, struct io_uring *ring,
				      unsigned flags)
{
	return xuring_queue_init(entries, xuring_compat_ring(ring), flags);
}

static inline int io_uring_queue_mmap(int fd, struct io_uring_params *p,
				      struct io_uring *ring)
{
	return xuring_queue_mmap(fd, (struct xuring_params *)p,
				 xuring_compat_ring(ring));
}

static inline int io_uring_ring_dontfork(struct io_uring *ring)
{
	return xuring_compat_ring_dontfork(ring);
}

static inline void io_uring_queue_exit(struct io_uring *ring)
{
	xuring_queue_exit(xuring_compat_ring(ring));
}

/* 0, though the module charges ring pages to RLIMIT_MEMLOCK as 5.10 does:
 * an open gap, see the top of this file. */
static inline ssize_t io_uring_mlock_size_params(unsigned entries,
						 struct io_uring_params *p)
{
	(void)entries;
	(void)p;
	return 0;
}

static inline ssize_t io_uring_mlock_size(unsigned entries, unsigned flags)
{
	(void)entries;
	(void)flags;
	return 0;
}

/* --- the raw calls ------------------------------------------------------- */

static inline int io_uring_setup(unsigned int entries,
				 struct io_uring_params *p)
{
	return xuring_compat_setup(entries, p);
}

static inline int io_uring_enter(unsigned int fd, unsigned int to_submit,
				 unsigned int min_complete, unsigned int flags,
				 sigset_t *sig)
{
	return xuring_enter((int)fd, to_submit, min_complete, flags, sig);
}

/* sz: the size of *sig (_NSIG / 8), or with IORING_ENTER_EXT_ARG of the
 * struct io_uring_getevents_arg that sig then points at. */
static inline int io_uring_enter2(unsigned int fd, unsigned int to_submit,
				  unsigned int min_complete, unsigned int flags,
				  sigset_t *sig, size_t sz)
{
	return xuring_enter2((int)fd, to_submit, min_complete, flags, sig, sz);
}

static inline int io_uring_register(unsigned int fd, unsigned int opcode,
				    const void *arg, unsigned int nr_args)
{
	return xuring_register((int)fd, opcode, arg, nr_args);
}

/* --- probe --------------------------------------------------------------- */

static inline struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring)
{
	return (struct io_uring_probe *)
		xuring_get_probe_ring(xuring_compat_ring(ring));
}

static inline struct io_uring_probe *io_uring_get_probe(void)
{
	return (struct io_uring_probe *)xuring_get_probe();
}

static inline void io_uring_free_probe(struct io_uring_probe *probe)
{
	xuring_free_probe((struct xuring_probe *)probe);
}

static inline int io_uring_opcode_supported(const struct io_uring_probe *p,
					    int op)
{
	return xuring_opcode_supported((const struct xuring_probe *)p, op);
}

/* --- submission ---------------------------------------------------------- */

/*
 * An SQE to fill, or NULL when the SQ ring is full. xuring_get_sqe()'s body
 * again, on struct io_uring: the inline ring helpers below read sqe_tail
 * and the rest through struct io_uring, and a compiler may assume that a
 * store through the cast struct xuring does not change what they read.
 */
static inline struct io_uring_sqe *_io_uring_get_sqe(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	/* acquire: the kernel is done with the slots before head */
	unsigned int head = io_uring_smp_load_acquire(sq->khead);
	unsigned int next = sq->sqe_tail + 1;
	struct io_uring_sqe *sqe;

	if (next - head > sq->ring_entries)
		return NULL;
	sqe = &sq->sqes[sq->sqe_tail & sq->ring_mask];
	sq->sqe_tail = next;
	return sqe;
}

static inline struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring)
{
	return _io_uring_get_sqe(ring);
}

static inline int io_uring_submit(struct io_uring *ring)
{
	return xuring_submit(xuring_compat_ring(ring));
}

static inline int io_uring_submit_and_wait(struct io_uring *ring,
					   unsigned wait_nr)
{
	return xuring_submit_and_wait(xuring_compat_ring(ring), wait_nr);
}

static inline int io_uring_submit_and_wait_timeout(struct io_uring *ring,
						   struct io_uring_cqe **cqe_ptr,
						   unsigned wait_nr,
						   struct __kernel_timespec *ts,
						   sigset_t *sigmask)
{
	return xuring_compat_submit_and_wait_timeout(ring, cqe_ptr, wait_nr,
						     ts, sigmask);
}

static inline int io_uring_submit_and_get_events(struct io_uring *ring)
{
	return xuring_compat_submit_and_get_events(ring);
}

static inline int io_uring_get_events(struct io_uring *ring)
{
	return xuring_get_events(xuring_compat_ring(ring));
}

/* SQEs handed out and not consumed yet, a short submit's leftovers too. */
static inline unsigned io_uring_sq_ready(const struct io_uring *ring)
{
	return ring->sq.sqe_tail - io_uring_smp_load_acquire(ring->sq.khead);
}

static inline unsigned io_uring_sq_space_left(const struct io_uring *ring)
{
	return ring->sq.ring_entries - io_uring_sq_ready(ring);
}

static inline int __io_uring_sqring_wait(struct io_uring *ring)
{
	return xuring_enter(ring->enter_ring_fd, 0, 0, IORING_ENTER_SQ_WAIT,
			    NULL);
}

/* SQPOLL only: wait until the SQ thread has made room in a full SQ ring. */
static inline int io_uring_sqring_wait(struct io_uring *ring)
{
	if (!(ring->flags & IORING_SETUP_SQPOLL) || io_uring_sq_space_left(ring))
		return 0;
	return __io_uring_sqring_wait(ring);
}

/* --- completion ---------------------------------------------------------- */

/* CQEs posted and not consumed; acquire: the CQEs before the tail are in. */
static inline unsigned io_uring_cq_ready(const struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->cq.ktail) -
	       IO_URING_READ_ONCE(*ring->cq.khead);
}

/* True when completions wait on the kernel's overflow list. */
static inline bool io_uring_cq_has_overflow(const struct io_uring *ring)
{
	return IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW;
}

/* Consume nr CQEs; release: we are done reading them. */
static inline void io_uring_cq_advance(struct io_uring *ring, unsigned nr)
{
	if (nr)
		io_uring_smp_store_release(ring->cq.khead,
					   *ring->cq.khead + nr);
}

static inline void io_uring_cqe_seen(struct io_uring *ring,
				     struct io_uring_cqe *cqe)
{
	if (cqe)
		io_uring_cq_advance(ring, 1);
}

/* CQE slots per CQE (1; 2 on CQE32 rings, which xuring refuses), and the
 * slot of CQ index ptr. */
#define io_uring_cqe_shift(ring)	(!!((ring)->flags & IORING_SETUP_CQE32))
#define io_uring_cqe_index(ring, ptr, mask)				\
	(((ptr) & (mask)) << io_uring_cqe_shift(ring))

/* Walk the ready CQEs without consuming them; io_uring_cq_advance() after. */
#define io_uring_for_each_cqe(ring, head, cqe)					\
	for ((head) = *(ring)->cq.khead;					\
	     ((cqe) = ((head) != io_uring_smp_load_acquire((ring)->cq.ktail) ?	\
		       &(ring)->cq.cqes[io_uring_cqe_index(ring, head,		\
							   (ring)->cq.ring_mask)] : \
		       NULL));							\
	     (head)++)

/*
 * The CQE at the head, if any, without entering the kernel; the CQEs of
 * the library's own timeout SQEs are consumed on the way: one that fired
 * (or failed) ends the peek with its result and no CQE. *nr_available
 * (may be NULL): how many CQEs were ready.
 */
static inline int __io_uring_peek_cqe(struct io_uring *ring,
				      struct io_uring_cqe **cqe_ptr,
				      unsigned *nr_available)
{
	unsigned int avail;
	int err = 0;

	for (;;) {
		unsigned int tail = io_uring_smp_load_acquire(ring->cq.ktail);
		unsigned int head = IO_URING_READ_ONCE(*ring->cq.khead);
		struct io_uring_cqe *cqe;

		*cqe_ptr = NULL;
		avail = tail - head;
		if (!avail)
			break;
		cqe = &ring->cq.cqes[io_uring_cqe_index(ring, head,
							ring->cq.ring_mask)];
		if (cqe->user_data != LIBURING_UDATA_TIMEOUT) {
			*cqe_ptr = cqe;
			break;
		}
		err = cqe->res;
		io_uring_cq_advance(ring, 1);
		if (err < 0)
			break;
		err = 0;	/* satisfied by its count: look again */
	}
	if (nr_available)
		*nr_available = avail;
	return err;
}

static inline int __io_uring_get_cqe(struct io_uring *ring,
				     struct io_uring_cqe **cqe_ptr,
				     unsigned submit, unsigned wait_nr,
				     sigset_t *sigmask)
{
	return xuring_compat_get_cqe(ring, cqe_ptr, submit, wait_nr, sigmask);
}

static inline int io_uring_wait_cqe_nr(struct io_uring *ring,
				       struct io_uring_cqe **cqe_ptr,
				       unsigned wait_nr)
{
	return __io_uring_get_cqe(ring, cqe_ptr, 0, wait_nr, NULL);
}

static inline int io_uring_peek_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL) && *cqe_ptr)
		return 0;
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 0);
}

static inline int io_uring_wait_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL) && *cqe_ptr)
		return 0;
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 1);
}

static inline int io_uring_wait_cqes(struct io_uring *ring,
				     struct io_uring_cqe **cqe_ptr,
				     unsigned wait_nr,
				     struct __kernel_timespec *ts,
				     sigset_t *sigmask)
{
	return xuring_compat_wait_cqes(ring, cqe_ptr, wait_nr, ts, sigmask);
}

static inline int io_uring_wait_cqe_timeout(struct io_uring *ring,
					    struct io_uring_cqe **cqe_ptr,
					    struct __kernel_timespec *ts)
{
	return xuring_compat_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

static inline unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
					       struct io_uring_cqe **cqes,
					       unsigned count)
{
	return xuring_peek_batch_cqe(xuring_compat_ring(ring),
				     (struct xuring_cqe **)cqes, count);
}

static inline bool io_uring_cq_eventfd_enabled(const struct io_uring *ring)
{
	if (!ring->cq.kflags)
		return true;
	return !(IO_URING_READ_ONCE(*ring->cq.kflags) & IORING_CQ_EVENTFD_DISABLED);
}

static inline int io_uring_cq_eventfd_toggle(struct io_uring *ring,
					     bool enabled)
{
	unsigned int flags;

	if (enabled == io_uring_cq_eventfd_enabled(ring))
		return 0;
	if (!ring->cq.kflags)
		return -EOPNOTSUPP;
	flags = IO_URING_READ_ONCE(*ring->cq.kflags);
	if (enabled)
		flags &= ~IORING_CQ_EVENTFD_DISABLED;
	else
		flags |= IORING_CQ_EVENTFD_DISABLED;
	IO_URING_WRITE_ONCE(*ring->cq.kflags, flags);
	return 0;
}

/* --- user data and flags ------------------------------------------------- */

static inline void io_uring_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	sqe->user_data = (__u64)(uintptr_t)data;
}

static inline void *io_uring_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return (void *)(uintptr_t)cqe->user_data;
}

static inline void io_uring_sqe_set_data64(struct io_uring_sqe *sqe,
					   __u64 data)
{
	sqe->user_data = data;
}

static inline __u64 io_uring_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe->user_data;
}

static inline void io_uring_sqe_set_flags(struct io_uring_sqe *sqe,
					  unsigned flags)
{
	sqe->flags = (__u8)flags;
}

/* --- register ------------------------------------------------------------ */

static inline int io_uring_register_buffers(struct io_uring *ring,
					    const struct iovec *iovecs,
					    unsigned nr_iovecs)
{
	return xuring_register_buffers(xuring_compat_ring(ring), iovecs,
				       nr_iovecs);
}

static inline int io_uring_unregister_buffers(struct io_uring *ring)
{
	return xuring_unregister_buffers(xuring_compat_ring(ring));
}

static inline int io_uring_register_files(struct io_uring *ring,
					  const int *files, unsigned nr_files)
{
	return xuring_register_files(xuring_compat_ring(ring), files, nr_files);
}

static inline int io_uring_unregister_files(struct io_uring *ring)
{
	return xuring_unregister_files(xuring_compat_ring(ring));
}

static inline int io_uring_register_files_update(struct io_uring *ring,
						 unsigned off, const int *files,
						 unsigned nr_files)
{
	return xuring_register_files_update(xuring_compat_ring(ring), off,
					    files, nr_files);
}

static inline int io_uring_register_eventfd(struct io_uring *ring, int fd)
{
	return xuring_register_eventfd(xuring_compat_ring(ring), fd);
}

static inline int io_uring_register_eventfd_async(struct io_uring *ring,
						  int fd)
{
	return xuring_register_eventfd_async(xuring_compat_ring(ring), fd);
}

static inline int io_uring_unregister_eventfd(struct io_uring *ring)
{
	return xuring_unregister_eventfd(xuring_compat_ring(ring));
}

static inline int io_uring_register_probe(struct io_uring *ring,
					  struct io_uring_probe *p,
					  unsigned nr)
{
	return xuring_register_probe(xuring_compat_ring(ring),
				     (struct xuring_probe *)p, nr);
}

static inline int io_uring_register_personality(struct io_uring *ring)
{
	return xuring_register_personality(xuring_compat_ring(ring));
}

static inline int io_uring_unregister_personality(struct io_uring *ring,
						  int id)
{
	return xuring_unregister_personality(xuring_compat_ring(ring), id);
}

static inline int io_uring_register_restrictions(struct io_uring *ring,
						 struct io_uring_restriction *res,
						 unsigned int nr_res)
{
	return xuring_register_restrictions(xuring_compat_ring(ring),
					    (struct xuring_restriction *)res,
					    nr_res);
}

static inline int io_uring_enable_rings(struct io_uring *ring)
{
	return xuring_enable_rings(xuring_compat_ring(ring));
}

/*
 * The register calls of later kernels make the call liburing 2.3 makes,
 * with the same argument: xuring, as 5.10, answers -EINVAL to the opcode.
 */
static inline int xuring_compat_register(struct io_uring *ring,
					 unsigned int opcode, const void *arg,
					 unsigned int nr_args)
{
	return xuring_register(ring->ring_fd, opcode, arg, nr_args);
}

static inline int xuring_compat_register_rsrc(struct io_uring *ring,
					      unsigned int opcode,
					      const void *data,
					      const __u64 *tags, unsigned nr,
					      unsigned int flags)
{
	struct io_uring_rsrc_register reg = {
		.nr = nr,
		.flags = flags,
		.data = (__u64)(uintptr_t)data,
		.tags = (__u64)(uintptr_t)tags,
	};

	return xuring_compat_register(ring, opcode, &reg, sizeof(reg));
}

static inline int xuring_compat_update_rsrc(struct io_uring *ring,
					    unsigned int opcode, unsigned off,
					    const void *data,
					    const __u64 *tags, unsigned nr)
{
	struct io_uring_rsrc_update2 up = {
		.offset = off,
		.data = (__u64)(uintptr_t)data,
		.tags = (__u64)(uintptr_t)tags,
		.nr = nr,
	};

	return xuring_compat_register(ring, opcode, &up, sizeof(up));
}

static inline int io_uring_register_files_sparse(struct io_uring *ring,
						 unsigned nr)
{
	return xuring_compat_register_rsrc(ring, IORING_REGISTER_FILES2, NULL,
					   NULL, nr,
					   IORING_RSRC_REGISTER_SPARSE);
}

static inline int io_uring_register_buffers_sparse(struct io_uring *ring,
						   unsigned nr)
{
	return xuring_compat_register_rsrc(ring, IORING_REGISTER_BUFFERS2,
					   NULL, NULL, nr,
					   IORING_RSRC_REGISTER_SPARSE);
}

static inline int io_uring_register_files_tags(struct io_uring *ring,
					       const int *files,
					       const __u64 *tags, unsigned nr)
{
	return xuring_compat_register_rsrc(ring, IORING_REGISTER_FILES2, files,
					   tags, nr, 0);
}

static inline int io_uring_register_buffers_tags(struct io_uring *ring,
						 const struct iovec *iovecs,
						 const __u64 *tags,
						 unsigned nr)
{
	return xuring_compat_register_rsrc(ring, IORING_REGISTER_BUFFERS2,
					   iovecs, tags, nr, 0);
}

static inline int io_uring_register_files_update_tag(struct io_uring *ring,
						     unsigned off,
						     const int *files,
						     const __u64 *tags,
						     unsigned nr_files)
{
	return xuring_compat_update_rsrc(ring, IORING_REGISTER_FILES_UPDATE2,
					 off, files, tags, nr_files);
}

static inline int io_uring_register_buffers_update_tag(struct io_uring *ring,
						       unsigned off,
						       const struct iovec *iovecs,
						       const __u64 *tags,
						       unsigned nr)
{
	return xuring_compat_update_rsrc(ring, IORING_REGISTER_BUFFERS_UPDATE,
					 off, iovecs, tags, nr);
}

static inline int io_uring_register_ring_fd(struct io_uring *ring)
{
	struct io_uring_rsrc_update up = {
		.offset = -1U,		/* any free slot */
		.data = (__u64)ring->ring_fd,
	};

	return xuring_compat_register(ring, IORING_REGISTER_RING_FDS, &up, 1);
}

static inline int io_uring_unregister_ring_fd(struct io_uring *ring)
{
	struct io_uring_rsrc_update up = {
		.offset = (__u32)ring->enter_ring_fd,
	};

	return xuring_compat_register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
}

static inline int io_uring_register_iowq_aff(struct io_uring *ring,
					     size_t cpusz,
					     const cpu_set_t *mask)
{
	return xuring_compat_register(ring, IORING_REGISTER_IOWQ_AFF, mask,
				      (unsigned int)cpusz);
}

static inline int io_uring_unregister_iowq_aff(struct io_uring *ring)
{
	return xuring_compat_register(ring, IORING_UNREGISTER_IOWQ_AFF, NULL, 0);
}

/* values[IO_WQ_BOUND] and values[IO_WQ_UNBOUND] */
static inline int io_uring_register_iowq_max_workers(struct io_uring *ring,
						     unsigned int *values)
{
	return xuring_compat_register(ring, IORING_REGISTER_IOWQ_MAX_WORKERS,
				      values, 2);
}

static inline int io_uring_register_buf_ring(struct io_uring *ring,
					     struct io_uring_buf_reg *reg,
					     unsigned int flags)
{
	(void)flags;	/* unused, as in liburing 2.3 */
	return xuring_compat_register(ring, IORING_REGISTER_PBUF_RING, reg, 1);
}

static inline int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid)
{
	struct io_uring_buf_reg reg = { .bgid = (__u16)bgid };

	return xuring_compat_register(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

static inline int io_uring_register_sync_cancel(struct io_uring *ring,
						struct io_uring_sync_cancel_reg *reg)
{
	return xuring_compat_register(ring, IORING_REGISTER_SYNC_CANCEL, reg, 1);
}

static inline int io_uring_register_file_alloc_range(struct io_uring *ring,
						     unsigned off, unsigned len)
{
	struct io_uring_file_index_range range = { .off = off, .len = len };

	return xuring_compat_register(ring, IORING_REGISTER_FILE_ALLOC_RANGE,
				      &range, 0);
}

/* --- buffer rings (IORING_REGISTER_PBUF_RING, refused by 5.10) ----------- */

static inline int io_uring_buf_ring_mask(__u32 ring_entries)
{
	return (int)(ring_entries - 1);
}

static inline void io_uring_buf_ring_init(struct io_uring_buf_ring *br)
{
	br->tail = 0;
}

/* Fill the buf_offset'th slot past the tail; visible after _advance(). */
static inline void io_uring_buf_ring_add(struct io_uring_buf_ring *br,
					 void *addr, unsigned int len,
					 unsigned short bid, int mask,
					 int buf_offset)
{
	struct io_uring_buf *buf = &br->bufs[(br->tail + buf_offset) & mask];

	buf->addr = (__u64)(uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
}

static inline void io_uring_buf_ring_advance(struct io_uring_buf_ring *br,
					     int count)
{
	io_uring_smp_store_release(&br->tail, (__u16)(br->tail + count));
}

/* Publish count buffers and consume count CQEs; one release covers both. */
static inline void io_uring_buf_ring_cq_advance(struct io_uring *ring,
						struct io_uring_buf_ring *br,
						int count)
{
	br->tail = (__u16)(br->tail + count);
	io_uring_cq_advance(ring, (unsigned int)count);
}

/* --- preparing SQEs -------------------------------------------------------
 * As in liburing 2.3, a prep helper sets every field of the SQE except
 * user_data, which keeps what io_uring_sqe_set_data() put there. Helpers
 * for opcodes and flags newer than 5.10 fill the SQE as liburing's do;
 * xuring fails the request as 5.10 does.
 */

static inline void io_uring_prep_rw(int op, struct io_uring_sqe *sqe, int fd,
				    const void *addr, unsigned len,
				    __u64 offset)
{
	sqe->opcode = (__u8)op;
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->fd = fd;
	sqe->off = offset;
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->len = len;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/* Direct descriptors: the SQE carries slot + 1 (0 means "a normal fd"). */
static inline void __io_uring_set_target_fixed_file(struct io_uring_sqe *sqe,
						    unsigned int file_index)
{
	sqe->file_index = file_index + 1;
}

static inline unsigned __io_uring_prep_poll_mask(unsigned poll_mask)
{
	return __xuring_prep_poll_mask(poll_mask);
}

/* 5.10's opcodes: the same bodies as libxuring's xuring_prep_ helpers. */
#define XU_PREP(name)	io_uring_prep_##name
#define XU_SQE		struct io_uring_sqe
#define XU_OP(name)	IORING_OP_##name
#define XU_U64		__u64
#define XU_OFF		off_t
#define XU_FADV_LEN	off_t
#include <xuring/prep-ops.h>

/* Later kernels' opcodes and flags, on top of the above. */

static inline void io_uring_prep_poll_multishot(struct io_uring_sqe *sqe,
						int fd, unsigned poll_mask)
{
	io_uring_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

/* flags: IORING_POLL_UPDATE_EVENTS and/or IORING_POLL_UPDATE_USER_DATA */
static inline void io_uring_prep_poll_update(struct io_uring_sqe *sqe,
					     __u64 old_user_data,
					     __u64 new_user_data,
					     unsigned poll_mask, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, flags,
			 new_user_data);
	sqe->addr = old_user_data;
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

static inline void io_uring_prep_sendmsg_zc(struct io_uring_sqe *sqe, int fd,
					    const struct msghdr *msg,
					    unsigned flags)
{
	io_uring_prep_sendmsg(sqe, fd, msg, flags);
	sqe->opcode = IORING_OP_SENDMSG_ZC;
}

static inline void io_uring_prep_recvmsg_multishot(struct io_uring_sqe *sqe,
						   int fd, struct msghdr *msg,
						   unsigned flags)
{
	io_uring_prep_recvmsg(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

static inline void io_uring_prep_send_zc(struct io_uring_sqe *sqe, int sockfd,
					 const void *buf, size_t len, int flags,
					 unsigned zc_flags)
{
	io_uring_prep_rw(IORING_OP_SEND_ZC, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
	sqe->ioprio = (__u16)zc_flags;
}

static inline void io_uring_prep_send_zc_fixed(struct io_uring_sqe *sqe,
					       int sockfd, const void *buf,
					       size_t len, int flags,
					       unsigned zc_flags,
					       unsigned buf_index)
{
	io_uring_prep_send_zc(sqe, sockfd, buf, len, flags, zc_flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (__u16)buf_index;
}

/* sendto(2)'s address for a SEND_ZC SQE */
static inline void io_uring_prep_send_set_addr(struct io_uring_sqe *sqe,
					       const struct sockaddr *dest_addr,
					       __u16 addr_len)
{
	sqe->addr2 = (__u64)(uintptr_t)dest_addr;
	sqe->addr_len = addr_len;
}

static inline void io_uring_prep_recv_multishot(struct io_uring_sqe *sqe,
						int sockfd, void *buf,
						size_t len, int flags)
{
	io_uring_prep_recv(sqe, sockfd, buf, len, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/*
 * A multishot RECVMSG buffer: struct io_uring_recvmsg_out, then the name
 * (msg_namelen bytes), the control data (msg_controllen), the payload.
 */
static inline struct io_uring_recvmsg_out *
io_uring_recvmsg_validate(void *buf, int buf_len, struct msghdr *msgh)
{
	unsigned long need = sizeof(struct io_uring_recvmsg_out) +
			     msgh->msg_namelen + msgh->msg_controllen;

	if (buf_len < 0 || (unsigned long)buf_len < need)
		return NULL;
	return (struct io_uring_recvmsg_out *)buf;
}

static inline void *io_uring_recvmsg_name(struct io_uring_recvmsg_out *o)
{
	return o + 1;
}

static inline struct cmsghdr *
io_uring_recvmsg_cmsg_firsthdr(struct io_uring_recvmsg_out *o,
			       struct msghdr *msgh)
{
	if (o->controllen < sizeof(struct cmsghdr))
		return NULL;
	return (struct cmsghdr *)((unsigned char *)io_uring_recvmsg_name(o) +
				  msgh->msg_namelen);
}

static inline struct cmsghdr *
io_uring_recvmsg_cmsg_nexthdr(struct io_uring_recvmsg_out *o,
			      struct msghdr *msgh, struct cmsghdr *cmsg)
{
	unsigned char *end, *next;

	if (cmsg->cmsg_len < sizeof(struct cmsghdr))
		return NULL;
	end = (unsigned char *)io_uring_recvmsg_cmsg_firsthdr(o, msgh) +
	      o->controllen;
	next = (unsigned char *)cmsg + CMSG_ALIGN(cmsg->cmsg_len);
	cmsg = (struct cmsghdr *)next;
	/* the next header, and all it says it holds, must be in the buffer */
	if (next + sizeof(*cmsg) > end ||
	    next + CMSG_ALIGN(cmsg->cmsg_len) > end)
		return NULL;
	return cmsg;
}

static inline void *io_uring_recvmsg_payload(struct io_uring_recvmsg_out *o,
					     struct msghdr *msgh)
{
	return (unsigned char *)io_uring_recvmsg_name(o) +
	       msgh->msg_namelen + msgh->msg_controllen;
}

static inline unsigned int
io_uring_recvmsg_payload_length(struct io_uring_recvmsg_out *o,
				int buf_len, struct msghdr *msgh)
{
	unsigned char *payload = (unsigned char *)io_uring_recvmsg_payload(o, msgh);

	return (unsigned int)((unsigned char *)o + buf_len - payload);
}

static inline void io_uring_prep_timeout_update(struct io_uring_sqe *sqe,
						struct __kernel_timespec *ts,
						__u64 user_data, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0,
			 (__u64)(uintptr_t)ts);
	sqe->addr = user_data;
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
}

static inline void io_uring_prep_accept_direct(struct io_uring_sqe *sqe, int fd,
					       struct sockaddr *addr,
					       socklen_t *addrlen, int flags,
					       unsigned int file_index)
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_multishot_accept(struct io_uring_sqe *sqe,
						  int fd, struct sockaddr *addr,
						  socklen_t *addrlen, int flags)
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	sqe->ioprio |= IORING_ACCEPT_MULTISHOT;
}

static inline void
io_uring_prep_multishot_accept_direct(struct io_uring_sqe *sqe, int fd,
				      struct sockaddr *addr,
				      socklen_t *addrlen, int flags)
{
	io_uring_prep_multishot_accept(sqe, fd, addr, addrlen, flags);
	__io_uring_set_target_fixed_file(sqe, IORING_FILE_INDEX_ALLOC - 1);
}

static inline void io_uring_prep_cancel_fd(struct io_uring_sqe *sqe, int fd,
					   unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, fd, NULL, 0, 0);
	sqe->cancel_flags = flags | IORING_ASYNC_CANCEL_FD;
}

static inline void io_uring_prep_openat_direct(struct io_uring_sqe *sqe,
					       int dfd, const char *path,
					       int flags, mode_t mode,
					       unsigned file_index)
{
	io_uring_prep_openat(sqe, dfd, path, flags, mode);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_openat2_direct(struct io_uring_sqe *sqe,
						int dfd, const char *path,
						struct open_how *how,
						unsigned file_index)
{
	io_uring_prep_openat2(sqe, dfd, path, how);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_close_direct(struct io_uring_sqe *sqe,
					      unsigned file_index)
{
	io_uring_prep_close(sqe, 0);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_shutdown(struct io_uring_sqe *sqe, int fd,
					  int how)
{
	io_uring_prep_rw(IORING_OP_SHUTDOWN, sqe, fd, NULL, (__u32)how, 0);
}

static inline void io_uring_prep_unlinkat(struct io_uring_sqe *sqe, int dfd,
					  const char *path, int flags)
{
	io_uring_prep_rw(IORING_OP_UNLINKAT, sqe, dfd, path, 0, 0);
	sqe->unlink_flags = (__u32)flags;
}

static inline void io_uring_prep_unlink(struct io_uring_sqe *sqe,
					const char *path, int flags)
{
	io_uring_prep_unlinkat(sqe, AT_FDCWD, path, flags);
}

static inline void io_uring_prep_renameat(struct io_uring_sqe *sqe, int olddfd,
					  const char *oldpath, int newdfd,
					  const char *newpath, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_RENAMEAT, sqe, olddfd, oldpath,
			 (__u32)newdfd, (__u64)(uintptr_t)newpath);
	sqe->rename_flags = flags;
}

static inline void io_uring_prep_rename(struct io_uring_sqe *sqe,
					const char *oldpath,
					const char *newpath)
{
	io_uring_prep_renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

static inline void io_uring_prep_mkdirat(struct io_uring_sqe *sqe, int dfd,
					 const char *path, mode_t mode)
{
	io_uring_prep_rw(IORING_OP_MKDIRAT, sqe, dfd, path, mode, 0);
}

static inline void io_uring_prep_mkdir(struct io_uring_sqe *sqe,
				       const char *path, mode_t mode)
{
	io_uring_prep_mkdirat(sqe, AT_FDCWD, path, mode);
}

static inline void io_uring_prep_symlinkat(struct io_uring_sqe *sqe,
					   const char *target, int newdirfd,
					   const char *linkpath)
{
	io_uring_prep_rw(IORING_OP_SYMLINKAT, sqe, newdirfd, target, 0,
			 (__u64)(uintptr_t)linkpath);
}

static inline void io_uring_prep_symlink(struct io_uring_sqe *sqe,
					 const char *target,
					 const char *linkpath)
{
	io_uring_prep_symlinkat(sqe, target, AT_FDCWD, linkpath);
}

static inline void io_uring_prep_linkat(struct io_uring_sqe *sqe, int olddfd,
					const char *oldpath, int newdfd,
					const char *newpath, int flags)
{
	io_uring_prep_rw(IORING_OP_LINKAT, sqe, olddfd, oldpath, (__u32)newdfd,
			 (__u64)(uintptr_t)newpath);
	sqe->hardlink_flags = (__u32)flags;
}

static inline void io_uring_prep_link(struct io_uring_sqe *sqe,
				      const char *oldpath, const char *newpath,
				      int flags)
{
	io_uring_prep_linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

/* MSG_RING's IORING_MSG_DATA: a CQE with res len, user_data data */
static inline void io_uring_prep_msg_ring(struct io_uring_sqe *sqe, int fd,
					  unsigned int len, __u64 data,
					  unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, len, data);
	sqe->msg_ring_flags = flags;
}

static inline void io_uring_prep_getxattr(struct io_uring_sqe *sqe,
					  const char *name, char *value,
					  const char *path, unsigned int len)
{
	io_uring_prep_rw(IORING_OP_GETXATTR, sqe, 0, name, len,
			 (__u64)(uintptr_t)value);
	sqe->addr3 = (__u64)(uintptr_t)path;
	sqe->xattr_flags = 0;
}

static inline void io_uring_prep_setxattr(struct io_uring_sqe *sqe,
					  const char *name, const char *value,
					  const char *path, int flags,
					  unsigned int len)
{
	io_uring_prep_rw(IORING_OP_SETXATTR, sqe, 0, name, len,
			 (__u64)(uintptr_t)value);
	sqe->addr3 = (__u64)(uintptr_t)path;
	sqe->xattr_flags = (__u32)flags;
}

static inline void io_uring_prep_fgetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, char *value,
					   unsigned int len)
{
	io_uring_prep_rw(IORING_OP_FGETXATTR, sqe, fd, name, len,
			 (__u64)(uintptr_t)value);
	sqe->xattr_flags = 0;
}

static inline void io_uring_prep_fsetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, const char *value,
					   int flags, unsigned int len)
{
	io_uring_prep_rw(IORING_OP_FSETXATTR, sqe, fd, name, len,
			 (__u64)(uintptr_t)value);
	sqe->xattr_flags = (__u32)flags;
}

static inline void io_uring_prep_socket(struct io_uring_sqe *sqe, int domain,
					int type, int protocol,
					unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_SOCKET, sqe, domain, NULL, (__u32)protocol,
			 (__u64)type);
	sqe->rw_flags = (__kernel_rwf_t)flags;
}

static inline void io_uring_prep_socket_direct(struct io_uring_sqe *sqe,
					       int domain, int type,
					       int protocol,
					       unsigned file_index,
					       unsigned int flags)
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

static inline void io_uring_prep_socket_direct_alloc(struct io_uring_sqe *sqe,
						     int domain, int type,
						     int protocol,
						     unsigned int flags)
{
	io_uring_prep_socket_direct(sqe, domain, type, protocol,
				    IORING_FILE_INDEX_ALLOC - 1, flags);
}

#ifdef __cplusplus
}
#endif

#endif /* XURING_LIBURING_COMPAT_H */
