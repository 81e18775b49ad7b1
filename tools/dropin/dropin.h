/* SPDX-License-Identifier: MIT */
/*
 * The drop-in liburing.so.2: liburing 2.3's ABI over native io_uring or
 * /dev/xuring, chosen per ring. Internal header of tools/dropin/.
 *
 * Programs built against Debian's <liburing.h> compile liburing's inline
 * helpers (get_sqe, cq_advance, peek, the prep helpers) into themselves;
 * those read struct io_uring's fields directly. So the structures below
 * must keep liburing 2.3's layout exactly (test/layout-*.c compare it with
 * Debian's header, field by field). Kernel types (SQE, CQE, params, the
 * register arguments) are the kernel's own, from <linux/io_uring.h>.
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

/* liburing 2.3's struct io_uring_sq: field order and padding are ABI. */
struct io_uring_sq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *kring_mask;
	unsigned int *kring_entries;
	unsigned int *kflags;
	unsigned int *kdropped;
	unsigned int *array;
	struct io_uring_sqe *sqes;

	unsigned int sqe_head;		/* flushed to the kernel up to here */
	unsigned int sqe_tail;		/* handed out by get_sqe up to here */

	size_t ring_sz;
	void *ring_ptr;

	unsigned int ring_mask;
	unsigned int ring_entries;

	unsigned int pad[2];
};

struct io_uring_cq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *kring_mask;
	unsigned int *kring_entries;
	unsigned int *kflags;
	unsigned int *koverflow;
	struct io_uring_cqe *cqes;

	size_t ring_sz;
	void *ring_ptr;

	unsigned int ring_mask;
	unsigned int ring_entries;

	unsigned int pad[2];
};

struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned int flags;		/* IORING_SETUP_ flags */
	int ring_fd;

	unsigned int features;		/* IORING_FEAT_ flags */
	int enter_ring_fd;		/* ring_fd, or its registered index */
	__u8 int_flags;			/* the library's own bits, below */
	__u8 pad[3];
	unsigned int pad2;
};

/*
 * int_flags. liburing 2.3 uses bit 0 for a registered ring fd; the drop-in
 * adds bit 7 for "this ring lives on /dev/xuring". Programs never read
 * int_flags (no inline helper of 2.3's header does).
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
int dropin_enter(struct io_uring *ring, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags,
		 const void *arg, size_t argsz);
int dropin_register(struct io_uring *ring, unsigned int opcode,
		    const void *arg, unsigned int nr_args);

/* Ring index access with the orderings io_uring's ABI asks for. */
#define dropin_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define dropin_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define dropin_read_once(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

static inline unsigned int dropin_sqe_shift(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_SQE128) ? 1 : 0;
}

static inline unsigned int dropin_cqe_shift(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_CQE32) ? 1 : 0;
}

/*
 * The exported API, with liburing 2.3's prototypes (liburing.map gives
 * each its version node). Everything else in the library is hidden.
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
					  struct io_uring *ring,
					  struct io_uring_params *p);
DROPIN_API int io_uring_queue_init(unsigned int entries, struct io_uring *ring,
				   unsigned int flags);
DROPIN_API int io_uring_queue_mmap(int fd, struct io_uring_params *p,
				   struct io_uring *ring);
DROPIN_API int io_uring_ring_dontfork(struct io_uring *ring);
DROPIN_API void io_uring_queue_exit(struct io_uring *ring);
DROPIN_API ssize_t io_uring_mlock_size(unsigned int entries,
				       unsigned int flags);
DROPIN_API ssize_t io_uring_mlock_size_params(unsigned int entries,
					      struct io_uring_params *p);

DROPIN_API struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring);
DROPIN_API struct io_uring_probe *io_uring_get_probe(void);
DROPIN_API void io_uring_free_probe(struct io_uring_probe *probe);

DROPIN_API struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring);
DROPIN_API int io_uring_submit(struct io_uring *ring);
DROPIN_API int io_uring_submit_and_wait(struct io_uring *ring,
					unsigned int wait_nr);
DROPIN_API int io_uring_submit_and_wait_timeout(struct io_uring *ring,
						struct io_uring_cqe **cqe_ptr,
						unsigned int wait_nr,
						struct __kernel_timespec *ts,
						sigset_t *sigmask);
DROPIN_API int io_uring_submit_and_get_events(struct io_uring *ring);
DROPIN_API int io_uring_get_events(struct io_uring *ring);
DROPIN_API int __io_uring_get_cqe(struct io_uring *ring,
				  struct io_uring_cqe **cqe_ptr,
				  unsigned int submit, unsigned int wait_nr,
				  sigset_t *sigmask);
DROPIN_API int io_uring_wait_cqes(struct io_uring *ring,
				  struct io_uring_cqe **cqe_ptr,
				  unsigned int wait_nr,
				  struct __kernel_timespec *ts,
				  sigset_t *sigmask);
DROPIN_API int io_uring_wait_cqe_timeout(struct io_uring *ring,
					 struct io_uring_cqe **cqe_ptr,
					 struct __kernel_timespec *ts);
DROPIN_API unsigned int io_uring_peek_batch_cqe(struct io_uring *ring,
						struct io_uring_cqe **cqes,
						unsigned int count);
DROPIN_API int __io_uring_sqring_wait(struct io_uring *ring);

DROPIN_API int io_uring_register_buffers(struct io_uring *ring,
					 const struct iovec *iovecs,
					 unsigned int nr_iovecs);
DROPIN_API int io_uring_register_buffers_tags(struct io_uring *ring,
					      const struct iovec *iovecs,
					      const __u64 *tags,
					      unsigned int nr);
DROPIN_API int io_uring_register_buffers_sparse(struct io_uring *ring,
						unsigned int nr);
DROPIN_API int io_uring_register_buffers_update_tag(struct io_uring *ring,
						    unsigned int off,
						    const struct iovec *iovecs,
						    const __u64 *tags,
						    unsigned int nr);
DROPIN_API int io_uring_unregister_buffers(struct io_uring *ring);
DROPIN_API int io_uring_register_files(struct io_uring *ring, const int *files,
				       unsigned int nr_files);
DROPIN_API int io_uring_register_files_tags(struct io_uring *ring,
					    const int *files,
					    const __u64 *tags, unsigned int nr);
DROPIN_API int io_uring_register_files_sparse(struct io_uring *ring,
					      unsigned int nr);
DROPIN_API int io_uring_register_files_update_tag(struct io_uring *ring,
						  unsigned int off,
						  const int *files,
						  const __u64 *tags,
						  unsigned int nr_files);
DROPIN_API int io_uring_unregister_files(struct io_uring *ring);
DROPIN_API int io_uring_register_files_update(struct io_uring *ring,
					      unsigned int off,
					      const int *files,
					      unsigned int nr_files);
DROPIN_API int io_uring_register_eventfd(struct io_uring *ring, int fd);
DROPIN_API int io_uring_register_eventfd_async(struct io_uring *ring, int fd);
DROPIN_API int io_uring_unregister_eventfd(struct io_uring *ring);
DROPIN_API int io_uring_register_probe(struct io_uring *ring,
				       struct io_uring_probe *p,
				       unsigned int nr);
DROPIN_API int io_uring_register_personality(struct io_uring *ring);
DROPIN_API int io_uring_unregister_personality(struct io_uring *ring, int id);
DROPIN_API int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz,
					  const cpu_set_t *mask);
DROPIN_API int io_uring_unregister_iowq_aff(struct io_uring *ring);
DROPIN_API int io_uring_register_iowq_max_workers(struct io_uring *ring,
						  unsigned int *values);
DROPIN_API int io_uring_register_ring_fd(struct io_uring *ring);
DROPIN_API int io_uring_unregister_ring_fd(struct io_uring *ring);
DROPIN_API int io_uring_register_buf_ring(struct io_uring *ring,
					  struct io_uring_buf_reg *reg,
					  unsigned int flags);
DROPIN_API int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid);
DROPIN_API int io_uring_register_sync_cancel(struct io_uring *ring,
					     struct io_uring_sync_cancel_reg *reg);
DROPIN_API int io_uring_register_file_alloc_range(struct io_uring *ring,
						  unsigned int off,
						  unsigned int len);

#endif /* XURING_DROPIN_H */
