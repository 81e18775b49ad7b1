/* SPDX-License-Identifier: MIT */
/*
 * liburing 2.3's API on /dev/xuring: a program written for liburing builds
 * against xuring by including this header instead of <liburing.h> and
 * linking -lxuring instead of -luring (or, unchanged, with
 * -I tools/lib/include/xuring/compat first on the include path).
 *
 * How it maps:
 *  - The types are xuring's under liburing's names: struct io_uring is
 *    struct xuring, struct io_uring_sqe is struct xuring_sqe, and so on
 *    (macros on the struct tags). Both follow io_uring 5.10's ABI, and
 *    struct xuring has the fields programs use (sq, cq, flags, ring_fd,
 *    features, sq.ring_mask, cq.ring_entries, ...).
 *  - The constants (IORING_OP_*, IOSQE_*, IORING_SETUP_*, ...) are xuring's
 *    values, which equal io_uring's. <linux/io_uring.h> is never included
 *    and must not be included next to this header.
 *  - Every io_uring_* function is a static inline or a macro: nothing named
 *    io_uring_* is defined or referenced at link time, so a program may
 *    link libxuring and liburing together (the two then serve different
 *    translation units).
 *
 * Differences from liburing 2.3 (it targets newer kernels than 5.10):
 *  - Only 5.10's opcodes have prep helpers; helpers for later opcodes and
 *    flags (shutdown, renameat, socket, the *_direct and multishot forms,
 *    poll/timeout update, send_zc, xattrs, msg_ring) are not declared, so
 *    code using them fails to compile rather than at run time.
 *  - Register calls 5.10 does not know (ring fd, buf ring, sparse and
 *    tagged tables, io-wq affinity and workers) return -EINVAL, as they do
 *    on a 5.10 kernel.
 *  - io_uring_wait_cqe_timeout() and io_uring_submit_and_wait_timeout() use
 *    a TIMEOUT SQE with user_data LIBURING_UDATA_TIMEOUT, as liburing does
 *    on kernels without IORING_FEAT_EXT_ARG; the peek and wait calls skip
 *    that CQE and turn its -ETIME into their result. io_uring_wait_cqes()
 *    returns CQEs that are already there without queueing a timeout. If
 *    the ring's probe says TIMEOUT is not supported, a wait that would need
 *    one returns -EOPNOTSUPP before touching the ring.
 *  - What a call returns is whatever xuring returns: features xuring does
 *    not implement yet fail with -EINVAL or -EOPNOTSUPP (see xuring-probe).
 */
#ifndef XURING_LIBURING_COMPAT_H
#define XURING_LIBURING_COMPAT_H

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
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/time_types.h>

#include <xuring/xuring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- types: liburing's names for xuring's structs ---------------------- */

#define io_uring		xuring
#define io_uring_sq		xuring_sq
#define io_uring_cq		xuring_cq
#define io_uring_sqe		xuring_sqe
#define io_uring_cqe		xuring_cqe
#define io_uring_params		xuring_params
#define io_sqring_offsets	xuring_sqring_offsets
#define io_cqring_offsets	xuring_cqring_offsets
#define io_uring_files_update	xuring_files_update
#define io_uring_probe		xuring_probe
#define io_uring_probe_op	xuring_probe_op
#define io_uring_restriction	xuring_restriction

/* --- constants: <linux/io_uring.h>'s 5.10 names, xuring's values -------- */

#define IOSQE_FIXED_FILE_BIT		XURING_SQE_FIXED_FILE_BIT
#define IOSQE_IO_DRAIN_BIT		XURING_SQE_IO_DRAIN_BIT
#define IOSQE_IO_LINK_BIT		XURING_SQE_IO_LINK_BIT
#define IOSQE_IO_HARDLINK_BIT		XURING_SQE_IO_HARDLINK_BIT
#define IOSQE_ASYNC_BIT			XURING_SQE_ASYNC_BIT
#define IOSQE_BUFFER_SELECT_BIT		XURING_SQE_BUFFER_SELECT_BIT
#define IOSQE_FIXED_FILE		XURING_SQE_FIXED_FILE
#define IOSQE_IO_DRAIN			XURING_SQE_IO_DRAIN
#define IOSQE_IO_LINK			XURING_SQE_IO_LINK
#define IOSQE_IO_HARDLINK		XURING_SQE_IO_HARDLINK
#define IOSQE_ASYNC			XURING_SQE_ASYNC
#define IOSQE_BUFFER_SELECT		XURING_SQE_BUFFER_SELECT

#define IORING_SETUP_IOPOLL		XURING_SETUP_IOPOLL
#define IORING_SETUP_SQPOLL		XURING_SETUP_SQPOLL
#define IORING_SETUP_SQ_AFF		XURING_SETUP_SQ_AFF
#define IORING_SETUP_CQSIZE		XURING_SETUP_CQSIZE
#define IORING_SETUP_CLAMP		XURING_SETUP_CLAMP
#define IORING_SETUP_ATTACH_WQ		XURING_SETUP_ATTACH_WQ
#define IORING_SETUP_R_DISABLED		XURING_SETUP_R_DISABLED

#define IORING_OP_NOP			XURING_OP_NOP
#define IORING_OP_READV			XURING_OP_READV
#define IORING_OP_WRITEV		XURING_OP_WRITEV
#define IORING_OP_FSYNC			XURING_OP_FSYNC
#define IORING_OP_READ_FIXED		XURING_OP_READ_FIXED
#define IORING_OP_WRITE_FIXED		XURING_OP_WRITE_FIXED
#define IORING_OP_POLL_ADD		XURING_OP_POLL_ADD
#define IORING_OP_POLL_REMOVE		XURING_OP_POLL_REMOVE
#define IORING_OP_SYNC_FILE_RANGE	XURING_OP_SYNC_FILE_RANGE
#define IORING_OP_SENDMSG		XURING_OP_SENDMSG
#define IORING_OP_RECVMSG		XURING_OP_RECVMSG
#define IORING_OP_TIMEOUT		XURING_OP_TIMEOUT
#define IORING_OP_TIMEOUT_REMOVE	XURING_OP_TIMEOUT_REMOVE
#define IORING_OP_ACCEPT		XURING_OP_ACCEPT
#define IORING_OP_ASYNC_CANCEL		XURING_OP_ASYNC_CANCEL
#define IORING_OP_LINK_TIMEOUT		XURING_OP_LINK_TIMEOUT
#define IORING_OP_CONNECT		XURING_OP_CONNECT
#define IORING_OP_FALLOCATE		XURING_OP_FALLOCATE
#define IORING_OP_OPENAT		XURING_OP_OPENAT
#define IORING_OP_CLOSE			XURING_OP_CLOSE
#define IORING_OP_FILES_UPDATE		XURING_OP_FILES_UPDATE
#define IORING_OP_STATX			XURING_OP_STATX
#define IORING_OP_READ			XURING_OP_READ
#define IORING_OP_WRITE			XURING_OP_WRITE
#define IORING_OP_FADVISE		XURING_OP_FADVISE
#define IORING_OP_MADVISE		XURING_OP_MADVISE
#define IORING_OP_SEND			XURING_OP_SEND
#define IORING_OP_RECV			XURING_OP_RECV
#define IORING_OP_OPENAT2		XURING_OP_OPENAT2
#define IORING_OP_EPOLL_CTL		XURING_OP_EPOLL_CTL
#define IORING_OP_SPLICE		XURING_OP_SPLICE
#define IORING_OP_PROVIDE_BUFFERS	XURING_OP_PROVIDE_BUFFERS
#define IORING_OP_REMOVE_BUFFERS	XURING_OP_REMOVE_BUFFERS
#define IORING_OP_TEE			XURING_OP_TEE
#define IORING_OP_LAST			XURING_OP_LAST

#define IORING_FSYNC_DATASYNC		XURING_FSYNC_DATASYNC
#define IORING_TIMEOUT_ABS		XURING_TIMEOUT_ABS
#define SPLICE_F_FD_IN_FIXED		XURING_SPLICE_F_FD_IN_FIXED

#define IORING_CQE_F_BUFFER		XURING_CQE_F_BUFFER
#define IORING_CQE_BUFFER_SHIFT		XURING_CQE_BUFFER_SHIFT

#define IORING_OFF_SQ_RING		XURING_OFF_SQ_RING
#define IORING_OFF_CQ_RING		XURING_OFF_CQ_RING
#define IORING_OFF_SQES			XURING_OFF_SQES

#define IORING_SQ_NEED_WAKEUP		XURING_SQ_NEED_WAKEUP
#define IORING_SQ_CQ_OVERFLOW		XURING_SQ_CQ_OVERFLOW
#define IORING_CQ_EVENTFD_DISABLED	XURING_CQ_EVENTFD_DISABLED

#define IORING_ENTER_GETEVENTS		XURING_ENTER_GETEVENTS
#define IORING_ENTER_SQ_WAKEUP		XURING_ENTER_SQ_WAKEUP
#define IORING_ENTER_SQ_WAIT		XURING_ENTER_SQ_WAIT

#define IORING_FEAT_SINGLE_MMAP		XURING_FEAT_SINGLE_MMAP
#define IORING_FEAT_NODROP		XURING_FEAT_NODROP
#define IORING_FEAT_SUBMIT_STABLE	XURING_FEAT_SUBMIT_STABLE
#define IORING_FEAT_RW_CUR_POS		XURING_FEAT_RW_CUR_POS
#define IORING_FEAT_CUR_PERSONALITY	XURING_FEAT_CUR_PERSONALITY
#define IORING_FEAT_FAST_POLL		XURING_FEAT_FAST_POLL
#define IORING_FEAT_POLL_32BITS		XURING_FEAT_POLL_32BITS

#define IORING_REGISTER_BUFFERS		XURING_REGISTER_BUFFERS
#define IORING_UNREGISTER_BUFFERS	XURING_UNREGISTER_BUFFERS
#define IORING_REGISTER_FILES		XURING_REGISTER_FILES
#define IORING_UNREGISTER_FILES		XURING_UNREGISTER_FILES
#define IORING_REGISTER_EVENTFD		XURING_REGISTER_EVENTFD
#define IORING_UNREGISTER_EVENTFD	XURING_UNREGISTER_EVENTFD
#define IORING_REGISTER_FILES_UPDATE	XURING_REGISTER_FILES_UPDATE
#define IORING_REGISTER_EVENTFD_ASYNC	XURING_REGISTER_EVENTFD_ASYNC
#define IORING_REGISTER_PROBE		XURING_REGISTER_PROBE
#define IORING_REGISTER_PERSONALITY	XURING_REGISTER_PERSONALITY
#define IORING_UNREGISTER_PERSONALITY	XURING_UNREGISTER_PERSONALITY
#define IORING_REGISTER_RESTRICTIONS	XURING_REGISTER_RESTRICTIONS
#define IORING_REGISTER_ENABLE_RINGS	XURING_REGISTER_ENABLE_RINGS
#define IORING_REGISTER_LAST		XURING_REGISTER_LAST

#define IO_URING_OP_SUPPORTED		XURING_OP_SUPPORTED

#define IORING_RESTRICTION_REGISTER_OP		XURING_RESTRICTION_REGISTER_OP
#define IORING_RESTRICTION_SQE_OP		XURING_RESTRICTION_SQE_OP
#define IORING_RESTRICTION_SQE_FLAGS_ALLOWED	XURING_RESTRICTION_SQE_FLAGS_ALLOWED
#define IORING_RESTRICTION_SQE_FLAGS_REQUIRED	XURING_RESTRICTION_SQE_FLAGS_REQUIRED
#define IORING_RESTRICTION_LAST			XURING_RESTRICTION_LAST

/* user_data of the TIMEOUT SQE the *_timeout waits add; never a real CQE */
#define LIBURING_UDATA_TIMEOUT		((__u64)-1)
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

/* --- the library calls the inlines below forward to ---------------------- */

/* As liburing's __io_uring_get_cqe(): submit 'submit' flushed SQEs, wait
 * for wait_nr CQEs, return the first (skipping internal timeout CQEs). */
int xuring_compat_get_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr,
			  unsigned int submit, unsigned int wait_nr,
			  sigset_t *sigmask);
int xuring_compat_wait_cqes(struct xuring *ring, struct xuring_cqe **cqe_ptr,
			    unsigned int wait_nr, struct __kernel_timespec *ts,
			    sigset_t *sigmask);
int xuring_compat_submit_and_wait_timeout(struct xuring *ring,
					  struct xuring_cqe **cqe_ptr,
					  unsigned int wait_nr,
					  struct __kernel_timespec *ts,
					  sigset_t *sigmask);
int xuring_compat_submit_and_get_events(struct xuring *ring);
int xuring_compat_sqring_wait(struct xuring *ring);
int xuring_compat_ring_dontfork(struct xuring *ring);
/* io_uring_setup(2) on /dev/xuring: opens it, sets a ring up, returns the fd. */
int xuring_compat_setup(unsigned int entries, struct xuring_params *p);

/* --- set-up and tear-down ------------------------------------------------ */

static inline int io_uring_queue_init_params(unsigned entries,
					     struct io_uring *ring,
					     struct io_uring_params *p)
{
	return xuring_queue_init_params(entries, ring, p);
}

static inline int io_uring_queue_init(unsigned entries, struct io_uring *ring,
				      unsigned flags)
{
	return xuring_queue_init(entries, ring, flags);
}

static inline int io_uring_queue_mmap(int fd, struct io_uring_params *p,
				      struct io_uring *ring)
{
	return xuring_queue_mmap(fd, p, ring);
}

static inline int io_uring_ring_dontfork(struct io_uring *ring)
{
	return xuring_compat_ring_dontfork(ring);
}

static inline void io_uring_queue_exit(struct io_uring *ring)
{
	xuring_queue_exit(ring);
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

static inline int io_uring_register(unsigned int fd, unsigned int opcode,
				    const void *arg, unsigned int nr_args)
{
	return xuring_register((int)fd, opcode, arg, nr_args);
}

/* --- probe --------------------------------------------------------------- */

static inline struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring)
{
	return xuring_get_probe_ring(ring);
}

static inline struct io_uring_probe *io_uring_get_probe(void)
{
	return xuring_get_probe();
}

static inline void io_uring_free_probe(struct io_uring_probe *probe)
{
	xuring_free_probe(probe);
}

static inline int io_uring_opcode_supported(const struct io_uring_probe *p,
					    int op)
{
	return xuring_opcode_supported(p, op);
}

/* --- submission ---------------------------------------------------------- */

static inline struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring)
{
	return xuring_get_sqe(ring);
}

static inline int io_uring_submit(struct io_uring *ring)
{
	return xuring_submit(ring);
}

static inline int io_uring_submit_and_wait(struct io_uring *ring,
					   unsigned wait_nr)
{
	return xuring_submit_and_wait(ring, wait_nr);
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
	return xuring_get_events(ring);
}

static inline unsigned io_uring_sq_ready(const struct io_uring *ring)
{
	return xuring_sq_ready(ring);
}

static inline unsigned io_uring_sq_space_left(const struct io_uring *ring)
{
	return xuring_sq_space_left(ring);
}

/* SQPOLL only: wait until the SQ thread has made room in a full SQ ring. */
static inline int io_uring_sqring_wait(struct io_uring *ring)
{
	if (!(ring->flags & IORING_SETUP_SQPOLL) || io_uring_sq_space_left(ring))
		return 0;
	return xuring_compat_sqring_wait(ring);
}

/* --- completion ---------------------------------------------------------- */

static inline unsigned io_uring_cq_ready(const struct io_uring *ring)
{
	return xuring_cq_ready(ring);
}

static inline bool io_uring_cq_has_overflow(const struct io_uring *ring)
{
	return xuring_cq_has_overflow(ring);
}

static inline void io_uring_cq_advance(struct io_uring *ring, unsigned nr)
{
	xuring_cq_advance(ring, nr);
}

static inline void io_uring_cqe_seen(struct io_uring *ring,
				     struct io_uring_cqe *cqe)
{
	xuring_cqe_seen(ring, cqe);
}

/* Walk the ready CQEs without consuming them; io_uring_cq_advance() after. */
#define io_uring_for_each_cqe(ring, head, cqe)					\
	for ((head) = *(ring)->cq.khead;					\
	     ((cqe) = ((head) != io_uring_smp_load_acquire((ring)->cq.ktail) ?	\
		       &(ring)->cq.cqes[(head) & (ring)->cq.ring_mask] : NULL)); \
	     (head)++)

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
	return xuring_compat_get_cqe(ring, cqe_ptr, 0, wait_nr, NULL);
}

static inline int io_uring_peek_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	return xuring_compat_get_cqe(ring, cqe_ptr, 0, 0, NULL);
}

static inline int io_uring_wait_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	return xuring_compat_get_cqe(ring, cqe_ptr, 0, 1, NULL);
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
	return xuring_peek_batch_cqe(ring, cqes, count);
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
	return xuring_register_buffers(ring, iovecs, nr_iovecs);
}

static inline int io_uring_unregister_buffers(struct io_uring *ring)
{
	return xuring_unregister_buffers(ring);
}

static inline int io_uring_register_files(struct io_uring *ring,
					  const int *files, unsigned nr_files)
{
	return xuring_register_files(ring, files, nr_files);
}

static inline int io_uring_unregister_files(struct io_uring *ring)
{
	return xuring_unregister_files(ring);
}

static inline int io_uring_register_files_update(struct io_uring *ring,
						 unsigned off, const int *files,
						 unsigned nr_files)
{
	return xuring_register_files_update(ring, off, files, nr_files);
}

static inline int io_uring_register_eventfd(struct io_uring *ring, int fd)
{
	return xuring_register_eventfd(ring, fd);
}

static inline int io_uring_register_eventfd_async(struct io_uring *ring,
						  int fd)
{
	return xuring_register_eventfd_async(ring, fd);
}

static inline int io_uring_unregister_eventfd(struct io_uring *ring)
{
	return xuring_unregister_eventfd(ring);
}

static inline int io_uring_register_probe(struct io_uring *ring,
					  struct io_uring_probe *p,
					  unsigned nr)
{
	return xuring_register_probe(ring, p, nr);
}

static inline int io_uring_register_personality(struct io_uring *ring)
{
	return xuring_register_personality(ring);
}

static inline int io_uring_unregister_personality(struct io_uring *ring,
						  int id)
{
	return xuring_unregister_personality(ring, id);
}

static inline int io_uring_register_restrictions(struct io_uring *ring,
						 struct io_uring_restriction *res,
						 unsigned int nr_res)
{
	return xuring_register_restrictions(ring, res, nr_res);
}

static inline int io_uring_enable_rings(struct io_uring *ring)
{
	return xuring_enable_rings(ring);
}

/* Register calls newer than 5.10: a 5.10 kernel answers -EINVAL. */
static inline int io_uring_register_files_sparse(struct io_uring *ring,
						 unsigned nr)
{
	(void)ring;
	(void)nr;
	return -EINVAL;
}

static inline int io_uring_register_buffers_sparse(struct io_uring *ring,
						   unsigned nr)
{
	(void)ring;
	(void)nr;
	return -EINVAL;
}

static inline int io_uring_register_files_tags(struct io_uring *ring,
					       const int *files,
					       const __u64 *tags, unsigned nr)
{
	(void)ring;
	(void)files;
	(void)tags;
	(void)nr;
	return -EINVAL;
}

static inline int io_uring_register_files_update_tag(struct io_uring *ring,
						     unsigned off,
						     const int *files,
						     const __u64 *tags,
						     unsigned nr_files)
{
	(void)ring;
	(void)off;
	(void)files;
	(void)tags;
	(void)nr_files;
	return -EINVAL;
}

static inline int io_uring_register_buffers_tags(struct io_uring *ring,
						 const struct iovec *iovecs,
						 const __u64 *tags,
						 unsigned nr)
{
	(void)ring;
	(void)iovecs;
	(void)tags;
	(void)nr;
	return -EINVAL;
}

static inline int io_uring_register_buffers_update_tag(struct io_uring *ring,
						       unsigned off,
						       const struct iovec *iovecs,
						       const __u64 *tags,
						       unsigned nr)
{
	(void)ring;
	(void)off;
	(void)iovecs;
	(void)tags;
	(void)nr;
	return -EINVAL;
}

static inline int io_uring_register_ring_fd(struct io_uring *ring)
{
	(void)ring;
	return -EINVAL;
}

static inline int io_uring_unregister_ring_fd(struct io_uring *ring)
{
	(void)ring;
	return -EINVAL;
}

static inline int io_uring_register_iowq_aff(struct io_uring *ring,
					     size_t cpusz,
					     const cpu_set_t *mask)
{
	(void)ring;
	(void)cpusz;
	(void)mask;
	return -EINVAL;
}

static inline int io_uring_unregister_iowq_aff(struct io_uring *ring)
{
	(void)ring;
	return -EINVAL;
}

static inline int io_uring_register_iowq_max_workers(struct io_uring *ring,
						     unsigned int *values)
{
	(void)ring;
	(void)values;
	return -EINVAL;
}

/* --- preparing SQEs: 5.10's opcodes ---------------------------------------
 * As in liburing 2.3, a prep helper sets every field of the SQE except
 * user_data, which keeps what io_uring_sqe_set_data() put there.
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
	sqe->__pad2[0] = 0;	/* buf_index, personality, splice_fd_in */
	sqe->__pad2[1] = 0;
	sqe->__pad2[2] = 0;
}

static inline void io_uring_prep_nop(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);
}

static inline void io_uring_prep_read(struct io_uring_sqe *sqe, int fd,
				      void *buf, unsigned nbytes, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READ, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_write(struct io_uring_sqe *sqe, int fd,
				       const void *buf, unsigned nbytes,
				       __u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_readv(struct io_uring_sqe *sqe, int fd,
				       const struct iovec *iovecs,
				       unsigned nr_vecs, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_readv2(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs,
					unsigned nr_vecs, __u64 offset,
					int flags)
{
	io_uring_prep_readv(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void io_uring_prep_writev(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs,
					unsigned nr_vecs, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITEV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_writev2(struct io_uring_sqe *sqe, int fd,
					 const struct iovec *iovecs,
					 unsigned nr_vecs, __u64 offset,
					 int flags)
{
	io_uring_prep_writev(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void io_uring_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					    void *buf, unsigned nbytes,
					    __u64 offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_READ_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16)buf_index;
}

static inline void io_uring_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					     const void *buf, unsigned nbytes,
					     __u64 offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_WRITE_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16)buf_index;
}

static inline void io_uring_prep_fsync(struct io_uring_sqe *sqe, int fd,
				       unsigned fsync_flags)
{
	io_uring_prep_rw(IORING_OP_FSYNC, sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

static inline void io_uring_prep_sync_file_range(struct io_uring_sqe *sqe,
						 int fd, unsigned len,
						 __u64 offset, int flags)
{
	io_uring_prep_rw(IORING_OP_SYNC_FILE_RANGE, sqe, fd, NULL, len, offset);
	sqe->sync_range_flags = (__u32)flags;
}

static inline void io_uring_prep_poll_add(struct io_uring_sqe *sqe, int fd,
					  unsigned poll_mask)
{
	io_uring_prep_rw(IORING_OP_POLL_ADD, sqe, fd, NULL, 0, 0);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	poll_mask = (poll_mask << 16) | (poll_mask >> 16);
#endif
	sqe->poll32_events = poll_mask;
}

static inline void io_uring_prep_poll_remove(struct io_uring_sqe *sqe,
					     __u64 user_data)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

static inline void io_uring_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
					 const struct msghdr *msg,
					 unsigned flags)
{
	io_uring_prep_rw(IORING_OP_SENDMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
					 struct msghdr *msg, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_RECVMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_send(struct io_uring_sqe *sqe, int sockfd,
				      const void *buf, size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_SEND, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

static inline void io_uring_prep_recv(struct io_uring_sqe *sqe, int sockfd,
				      void *buf, size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_RECV, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

/* 'count' completions, or the time in ts, whichever comes first */
static inline void io_uring_prep_timeout(struct io_uring_sqe *sqe,
					 struct __kernel_timespec *ts,
					 unsigned count, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_timeout_remove(struct io_uring_sqe *sqe,
						__u64 user_data, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_link_timeout(struct io_uring_sqe *sqe,
					      struct __kernel_timespec *ts,
					      unsigned flags)
{
	io_uring_prep_rw(IORING_OP_LINK_TIMEOUT, sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_accept(struct io_uring_sqe *sqe, int fd,
					struct sockaddr *addr,
					socklen_t *addrlen, int flags)
{
	io_uring_prep_rw(IORING_OP_ACCEPT, sqe, fd, addr, 0,
			 (__u64)(uintptr_t)addrlen);
	sqe->accept_flags = (__u32)flags;
}

static inline void io_uring_prep_connect(struct io_uring_sqe *sqe, int fd,
					 const struct sockaddr *addr,
					 socklen_t addrlen)
{
	io_uring_prep_rw(IORING_OP_CONNECT, sqe, fd, addr, 0, addrlen);
}

static inline void io_uring_prep_cancel64(struct io_uring_sqe *sqe,
					  __u64 user_data, int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (__u32)flags;
}

static inline void io_uring_prep_cancel(struct io_uring_sqe *sqe,
					void *user_data, int flags)
{
	io_uring_prep_cancel64(sqe, (__u64)(uintptr_t)user_data, flags);
}

static inline void io_uring_prep_files_update(struct io_uring_sqe *sqe,
					      int *fds, unsigned nr_fds,
					      int offset)
{
	io_uring_prep_rw(IORING_OP_FILES_UPDATE, sqe, -1, fds, nr_fds,
			 (__u64)offset);
}

static inline void io_uring_prep_fallocate(struct io_uring_sqe *sqe, int fd,
					   int mode, off_t offset, off_t len)
{
	io_uring_prep_rw(IORING_OP_FALLOCATE, sqe, fd, NULL, (unsigned)mode,
			 (__u64)offset);
	sqe->addr = (__u64)len;
}

static inline void io_uring_prep_openat(struct io_uring_sqe *sqe, int dfd,
					const char *path, int flags,
					mode_t mode)
{
	io_uring_prep_rw(IORING_OP_OPENAT, sqe, dfd, path, mode, 0);
	sqe->open_flags = (__u32)flags;
}

struct open_how;
static inline void io_uring_prep_openat2(struct io_uring_sqe *sqe, int dfd,
					 const char *path, struct open_how *how)
{
	/* struct open_how is three __u64s (<linux/openat2.h>) */
	io_uring_prep_rw(IORING_OP_OPENAT2, sqe, dfd, path, 3 * sizeof(__u64),
			 (__u64)(uintptr_t)how);
}

static inline void io_uring_prep_close(struct io_uring_sqe *sqe, int fd)
{
	io_uring_prep_rw(IORING_OP_CLOSE, sqe, fd, NULL, 0, 0);
}

struct statx;
static inline void io_uring_prep_statx(struct io_uring_sqe *sqe, int dfd,
				       const char *path, int flags,
				       unsigned mask, struct statx *statxbuf)
{
	io_uring_prep_rw(IORING_OP_STATX, sqe, dfd, path, mask,
			 (__u64)(uintptr_t)statxbuf);
	sqe->statx_flags = (__u32)flags;
}

static inline void io_uring_prep_fadvise(struct io_uring_sqe *sqe, int fd,
					 __u64 offset, off_t len, int advice)
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, (__u32)len, offset);
	sqe->fadvise_advice = (__u32)advice;
}

static inline void io_uring_prep_madvise(struct io_uring_sqe *sqe, void *addr,
					 off_t length, int advice)
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, (__u32)length, 0);
	sqe->fadvise_advice = (__u32)advice;
}

struct epoll_event;
static inline void io_uring_prep_epoll_ctl(struct io_uring_sqe *sqe, int epfd,
					   int fd, int op,
					   struct epoll_event *ev)
{
	io_uring_prep_rw(IORING_OP_EPOLL_CTL, sqe, epfd, ev, (__u32)op,
			 (__u32)fd);
}

static inline void io_uring_prep_splice(struct io_uring_sqe *sqe,
					int fd_in, int64_t off_in,
					int fd_out, int64_t off_out,
					unsigned int nbytes,
					unsigned int splice_flags)
{
	io_uring_prep_rw(IORING_OP_SPLICE, sqe, fd_out, NULL, nbytes,
			 (__u64)off_out);
	sqe->splice_off_in = (__u64)off_in;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

static inline void io_uring_prep_tee(struct io_uring_sqe *sqe,
				     int fd_in, int fd_out,
				     unsigned int nbytes,
				     unsigned int splice_flags)
{
	io_uring_prep_rw(IORING_OP_TEE, sqe, fd_out, NULL, nbytes, 0);
	sqe->splice_off_in = 0;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

static inline void io_uring_prep_provide_buffers(struct io_uring_sqe *sqe,
						 void *addr, int len, int nr,
						 int bgid, int bid)
{
	io_uring_prep_rw(IORING_OP_PROVIDE_BUFFERS, sqe, nr, addr, (__u32)len,
			 (__u64)bid);
	sqe->buf_group = (__u16)bgid;
}

static inline void io_uring_prep_remove_buffers(struct io_uring_sqe *sqe,
						int nr, int bgid)
{
	io_uring_prep_rw(IORING_OP_REMOVE_BUFFERS, sqe, nr, NULL, 0, 0);
	sqe->buf_group = (__u16)bgid;
}

#ifdef __cplusplus
}
#endif

#endif /* XURING_LIBURING_COMPAT_H */
