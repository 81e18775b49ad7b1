/* SPDX-License-Identifier: MIT */
/*
 * The drop-in liburing.so.2: liburing 2.3's ABI over native io_uring or
 * /dev/xuring, chosen per ring. Internal header of tools/dropin/.
 *
 * Programs built against Debian's <liburing.h> compile liburing's inline
 * helpers (get_sqe, cq_advance, peek, the prep helpers) into themselves;
 * those read struct io_uring's fields directly, so the library must use
 * liburing 2.3's layout exactly. libxuring's struct xuring has it (same
 * fields, same order, same padding), so the drop-in uses struct xuring,
 * struct xuring_sqe and struct xuring_cqe (5.10's SQE and CQE, which are
 * io_uring's) where liburing's prototypes say struct io_uring,
 * io_uring_sqe and io_uring_cqe: one definition of the ring for both
 * libraries. test/layout-*.c compare it with Debian's header, field by
 * field. The other kernel types (params, probe, the register arguments)
 * are the kernel's own, from <linux/io_uring.h>.
 */
#ifndef XURING_DROPIN_H
#define XURING_DROPIN_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/io_uring.h>
#include <linux/time_types.h>
#include <xuring/xuring.h>

/*
 * int_flags. liburing 2.3 uses bit 0 for a registered ring fd; the drop-in
 * adds bit 7 for "this ring lives on /dev/xuring". Programs never read
 * int_flags (no inline helper of 2.3's header does), and drop-in rings are
 * never handed to libxuring's own calls, which keep their bits there.
 */
#define DROPIN_INT_REG_RING	(1U << 0)
#define DROPIN_INT_XURING	(1U << 7)

/* liburing's user_data for the TIMEOUT SQE of a timed wait (no EXT_ARG). */
#define DROPIN_UDATA_TIMEOUT	((__u64)-1)

/* Size of the kernel's sigset_t as io_uring_enter(2) wants it. */
#define DROPIN_SIGSET_SIZE	(_NSIG / 8)

/* backend.c: the three calls, per ring or per fd, on the chosen backend. */
int dropin_setup(unsigned int entries, struct io_uring_params *p,
		 bool *on_xuring);
bool dropin_fd_is_xuring(int fd);
int dropin_enter(struct xuring *ring, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags,
		 const void *arg, size_t argsz);
int dropin_register(struct xuring *ring, unsigned int opcode,
		    const void *arg, unsigned int nr_args);

/* Ring index access with the orderings io_uring's ABI asks for. */
#define dropin_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define dropin_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define dropin_read_once(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

static inline unsigned int dropin_sqe_shift(const struct xuring *ring)
{
	return (ring->flags & IORING_SETUP_SQE128) ? 1 : 0;
}

static inline unsigned int dropin_cqe_shift(const struct xuring *ring)
{
	return (ring->flags & IORING_SETUP_CQE32) ? 1 : 0;
}

/*
 * The exported API: liburing 2.3's names and prototypes, with libxuring's
 * names for the ring structures (see the top); liburing.map gives each its
 * version node. Everything else in the library is hidden.
 */
#define DROPIN_API __attribute__((visibility("default")))

DROPIN_API int io_uring_setup(unsigned int entries, struct io_uring_params *p);
DROPIN_API int io_uring_enter(unsigned int fd, unsigned int to_submit,
			      unsigned int min_complete, unsigned int flags,
			      sigset_t *sig);
DROPIN_API int io_uring_enter2(unsigned int fd, unsigned int to_submit,
			       unsigned int min_complete, unsigned int flags,
			       sigset_t *sig, size_t sz);
DROPIN_API int io_uring_register(unsigned int fd, unsigned int opcode,
				 const void *arg, unsigned int nr_args);

DROPIN_API int io_uring_queue_init_params(unsigned int entries,
					  struct xuring *ring,
					  struct io_uring_params *p);
DROPIN_API int io_uring_queue_init(unsigned int entries, struct xuring *ring,
				   unsigned int flags);
DROPIN_API int io_uring_queue_mmap(int fd, struct io_uring_params *p,
				   struct xuring *ring);
DROPIN_API int io_uring_ring_dontfork(struct xuring *ring);
DROPIN_API void io_uring_queue_exit(struct xuring *ring);
DROPIN_API ssize_t io_uring_mlock_size(unsigned int entries,
				       unsigned int flags);
DROPIN_API ssize_t io_uring_mlock_size_params(unsigned int entries,
					      struct io_uring_params *p);

DROPIN_API struct io_uring_probe *io_uring_get_probe_ring(struct xuring *ring);
DROPIN_API struct io_uring_probe *io_uring_get_probe(void);
DROPIN_API void io_uring_free_probe(struct io_uring_probe *probe);

DROPIN_API struct xuring_sqe *io_uring_get_sqe(struct xuring *ring);
DROPIN_API int io_uring_submit(struct xuring *ring);
DROPIN_API int io_uring_submit_and_wait(struct xuring *ring,
					unsigned int wait_nr);
DROPIN_API int io_uring_submit_and_wait_timeout(struct xuring *ring,
						struct xuring_cqe **cqe_ptr,
						unsigned int wait_nr,
						struct __kernel_timespec *ts,
						sigset_t *sigmask);
DROPIN_API int io_uring_submit_and_get_events(struct xuring *ring);
DROPIN_API int io_uring_get_events(struct xuring *ring);
DROPIN_API int __io_uring_get_cqe(struct xuring *ring,
				  struct xuring_cqe **cqe_ptr,
				  unsigned int submit, unsigned int wait_nr,
				  sigset_t *sigmask);
DROPIN_API int io_uring_wait_cqes(struct xuring *ring,
				  struct xuring_cqe **cqe_ptr,
				  unsigned int wait_nr,
				  struct __kernel_timespec *ts,
				  sigset_t *sigmask);
DROPIN_API int io_uring_wait_cqe_timeout(struct xuring *ring,
					 struct xuring_cqe **cqe_ptr,
					 struct __kernel_timespec *ts);
DROPIN_API unsigned int io_uring_peek_batch_cqe(struct xuring *ring,
						struct xuring_cqe **cqes,
						unsigned int count);
DROPIN_API int __io_uring_sqring_wait(struct xuring *ring);

DROPIN_API int io_uring_register_buffers(struct xuring *ring,
					 const struct iovec *iovecs,
					 unsigned int nr_iovecs);
DROPIN_API int io_uring_register_buffers_tags(struct xuring *ring,
					      const struct iovec *iovecs,
					      const __u64 *tags,
					      unsigned int nr);
DROPIN_API int io_uring_register_buffers_sparse(struct xuring *ring,
						unsigned int nr);
DROPIN_API int io_uring_register_buffers_update_tag(struct xuring *ring,
						    unsigned int off,
						    const struct iovec *iovecs,
						    const __u64 *tags,
						    unsigned int nr);
DROPIN_API int io_uring_unregister_buffers(struct xuring *ring);
DROPIN_API int io_uring_register_files(struct xuring *ring, const int *files,
				       unsigned int nr_files);
DROPIN_API int io_uring_register_files_tags(struct xuring *ring,
					    const int *files,
					    const __u64 *tags, unsigned int nr);
DROPIN_API int io_uring_register_files_sparse(struct xuring *ring,
					      unsigned int nr);
DROPIN_API int io_uring_register_files_update_tag(struct xuring *ring,
						  unsigned int off,
						  const int *files,
						  const __u64 *tags,
						  unsigned int nr_files);
DROPIN_API int io_uring_unregister_files(struct xuring *ring);
DROPIN_API int io_uring_register_files_update(struct xuring *ring,
					      unsigned int off,
					      const int *files,
					      unsigned int nr_files);
DROPIN_API int io_uring_register_eventfd(struct xuring *ring, int fd);
DROPIN_API int io_uring_register_eventfd_async(struct xuring *ring, int fd);
DROPIN_API int io_uring_unregister_eventfd(struct xuring *ring);
DROPIN_API int io_uring_register_probe(struct xuring *ring,
				       struct io_uring_probe *p,
				       unsigned int nr);
DROPIN_API int io_uring_register_personality(struct xuring *ring);
DROPIN_API int io_uring_unregister_personality(struct xuring *ring, int id);
DROPIN_API int io_uring_register_iowq_aff(struct xuring *ring, size_t cpusz,
					  const cpu_set_t *mask);
DROPIN_API int io_uring_unregister_iowq_aff(struct xuring *ring);
DROPIN_API int io_uring_register_iowq_max_workers(struct xuring *ring,
						  unsigned int *values);
DROPIN_API int io_uring_register_ring_fd(struct xuring *ring);
DROPIN_API int io_uring_unregister_ring_fd(struct xuring *ring);
DROPIN_API int io_uring_register_buf_ring(struct xuring *ring,
					  struct io_uring_buf_reg *reg,
					  unsigned int flags);
DROPIN_API int io_uring_unregister_buf_ring(struct xuring *ring, int bgid);
DROPIN_API int io_uring_register_sync_cancel(struct xuring *ring,
					     struct io_uring_sync_cancel_reg *reg);
DROPIN_API int io_uring_register_file_alloc_range(struct xuring *ring,
						  unsigned int off,
						  unsigned int len);

#endif /* XURING_DROPIN_H */
