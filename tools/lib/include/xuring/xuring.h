/* SPDX-License-Identifier: MIT */
/*
 * libxuring: a small userspace library for /dev/xuring rings.
 * Calls return a negative errno on failure, as liburing's do.
 */
#ifndef XURING_LIB_H
#define XURING_LIB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/swab.h>
#include <linux/time_types.h>
#include <linux/xuring.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XURING_DEV_PATH "/dev/xuring"

/* Used by pointer only: <sys/stat.h>, <linux/openat2.h> and
 * <sys/epoll.h> define them. */
struct statx;
struct open_how;
struct epoll_event;

struct xuring_sq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *kring_mask;
	unsigned int *kring_entries;
	unsigned int *kflags;
	unsigned int *kdropped;
	unsigned int *array;
	struct xuring_sqe *sqes;

	unsigned int sqe_head;	/* next SQE to hand to the kernel */
	unsigned int sqe_tail;	/* next SQE to hand out by get_sqe */

	size_t ring_sz;
	void *ring_ptr;

	/* Copies of *kring_mask and *kring_entries (fixed after set-up). */
	unsigned int ring_mask;
	unsigned int ring_entries;

	unsigned int pad[2];
};

struct xuring_cq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *kring_mask;
	unsigned int *kring_entries;
	unsigned int *kflags;
	unsigned int *koverflow;
	struct xuring_cqe *cqes;

	size_t ring_sz;
	void *ring_ptr;

	/* Copies of *kring_mask and *kring_entries (fixed after set-up). */
	unsigned int ring_mask;
	unsigned int ring_entries;

	unsigned int pad[2];
};

/*
 * The ring: laid out as liburing 2.3's struct io_uring, so that
 * xuring/liburing.h can hand its struct io_uring to the calls below.
 */
struct xuring {
	struct xuring_sq sq;
	struct xuring_cq cq;
	unsigned int flags;	/* XURING_SETUP_ flags */
	int ring_fd;
	unsigned int features;	/* XURING_FEAT_ flags */
	int enter_ring_fd;	/* the fd enter uses: ring_fd (liburing's name) */
	uint8_t int_flags;	/* library-private state bits */
	uint8_t pad[3];
	unsigned int pad2;
};

/* Raw calls: the three ioctls on an open /dev/xuring file. */
int xuring_open(void);
int xuring_setup(int fd, struct xuring_params *p);
int xuring_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		 unsigned int flags, const sigset_t *sig);
/* The same with the size of *sig given (xuring_enter passes _NSIG / 8). */
int xuring_enter2(int fd, unsigned int to_submit, unsigned int min_complete,
		  unsigned int flags, const sigset_t *sig, size_t sigsz);
int xuring_register(int fd, unsigned int opcode, const void *arg,
		    unsigned int nr_args);

/* Ring set-up and tear-down. */
int xuring_queue_init(unsigned int entries, struct xuring *ring,
		      unsigned int flags);
int xuring_queue_init_params(unsigned int entries, struct xuring *ring,
			     struct xuring_params *p);
int xuring_queue_mmap(int fd, struct xuring_params *p, struct xuring *ring);
void xuring_queue_exit(struct xuring *ring);

/*
 * Submission. get_sqe and the SQ/CQ counters are inline, as liburing's
 * are: for a NOP, a call per SQE costs as much as the work around it.
 * They read the SQ and CQ with the orderings the ring's ABI asks for.
 */
static inline struct xuring_sqe *xuring_get_sqe(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	/* acquire: the kernel is done with the slots before head */
	unsigned int head = __atomic_load_n(sq->khead, __ATOMIC_ACQUIRE);
	unsigned int next = sq->sqe_tail + 1;
	struct xuring_sqe *sqe;

	if (next - head > sq->ring_entries)
		return NULL;
	sqe = &sq->sqes[sq->sqe_tail & sq->ring_mask];
	sq->sqe_tail = next;
	return sqe;
}

/* SQEs handed out and not consumed yet, a short submit's leftovers too. */
static inline unsigned int xuring_sq_ready(const struct xuring *ring)
{
	return ring->sq.sqe_tail -
	       __atomic_load_n(ring->sq.khead, __ATOMIC_ACQUIRE);
}

static inline unsigned int xuring_sq_space_left(const struct xuring *ring)
{
	return ring->sq.ring_entries - xuring_sq_ready(ring);
}

int xuring_submit(struct xuring *ring);
int xuring_submit_and_wait(struct xuring *ring, unsigned int wait_nr);

/* Completion. */
int xuring_wait_cqe_nr(struct xuring *ring, struct xuring_cqe **cqe_ptr,
		       unsigned int wait_nr);
int xuring_wait_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr);
int xuring_peek_cqe(struct xuring *ring, struct xuring_cqe **cqe_ptr);
unsigned int xuring_peek_batch_cqe(struct xuring *ring,
				   struct xuring_cqe **cqes, unsigned int count);

/* CQEs posted and not consumed; acquire: the CQEs before the tail are in. */
static inline unsigned int xuring_cq_ready(const struct xuring *ring)
{
	return __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(ring->cq.khead, __ATOMIC_RELAXED);
}

/* Consume @nr CQEs; release: we are done reading them. */
static inline void xuring_cq_advance(struct xuring *ring, unsigned int nr)
{
	if (nr)
		__atomic_store_n(ring->cq.khead, *ring->cq.khead + nr,
				 __ATOMIC_RELEASE);
}

static inline void xuring_cqe_seen(struct xuring *ring,
				   struct xuring_cqe *cqe)
{
	if (cqe)
		xuring_cq_advance(ring, 1);
}

/* Enter with GETEVENTS and nothing to submit or wait for: reaps IOPOLL
 * completions and flushes the CQ overflow list. Returns enter's value. */
int xuring_get_events(struct xuring *ring);

/* True when completions wait on the kernel's overflow list (SQ_CQ_OVERFLOW);
 * peek/wait/peek_batch flush them by entering the kernel. */
static inline bool xuring_cq_has_overflow(const struct xuring *ring)
{
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_RELAXED) &
	       XURING_SQ_CQ_OVERFLOW;
}

/* Register helpers. get_probe(_ring) return NULL with errno set on failure;
 * release the probe with xuring_free_probe(). */
struct xuring_probe *xuring_get_probe_ring(struct xuring *ring);
struct xuring_probe *xuring_get_probe(void);
void xuring_free_probe(struct xuring_probe *probe);
int xuring_opcode_supported(const struct xuring_probe *p, int op);
int xuring_register_probe(struct xuring *ring, struct xuring_probe *p,
			  unsigned int nr_ops);
/* Names without the XURING_ prefix ("READV", "REGISTER_PROBE",
 * "SINGLE_MMAP"), or NULL for a value this header does not know.
 * xuring_feature_name takes one XURING_FEAT_ flag (a single bit). */
const char *xuring_op_name(int op);
const char *xuring_register_op_name(int op);
const char *xuring_feature_name(unsigned int feature);

/* As liburing's: 0 or -errno, except files_update (slots updated) and
 * register_personality (the new id). */
int xuring_register_buffers(struct xuring *ring, const struct iovec *iovecs,
			    unsigned int nr_iovecs);
int xuring_unregister_buffers(struct xuring *ring);
int xuring_register_files(struct xuring *ring, const int *files,
			  unsigned int nr_files);
int xuring_unregister_files(struct xuring *ring);
int xuring_register_files_update(struct xuring *ring, unsigned int off,
				 const int *files, unsigned int nr_files);
int xuring_register_eventfd(struct xuring *ring, int fd);
int xuring_register_eventfd_async(struct xuring *ring, int fd);
int xuring_unregister_eventfd(struct xuring *ring);
int xuring_register_personality(struct xuring *ring);
int xuring_unregister_personality(struct xuring *ring, int id);
int xuring_register_restrictions(struct xuring *ring,
				 const struct xuring_restriction *res,
				 unsigned int nr_res);
int xuring_enable_rings(struct xuring *ring);

/*
 * Preparing SQEs. xuring_prep_rw() clears the whole SQE (user_data too)
 * and fills the fields every op has; the helpers for each of 5.10's
 * opcodes (xuring_prep_read() ...) are written once, in xuring/prep-ops.h,
 * which xuring/liburing.h includes again for its io_uring_prep_ family.
 */
static inline void xuring_prep_rw(int op, struct xuring_sqe *sqe, int fd,
				  const void *addr, unsigned int len,
				  uint64_t offset)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (uint8_t)op;
	sqe->fd = fd;
	sqe->off = offset;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->len = len;
}

/* poll32_events holds the mask with its 16-bit halves swapped on big
 * endian, so that poll_events (the low half) reads the same everywhere. */
static inline unsigned int __xuring_prep_poll_mask(unsigned int poll_mask)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	poll_mask = __swahw32(poll_mask);
#endif
	return poll_mask;
}

#define XU_PREP(name)	xuring_prep_##name
#define XU_SQE		struct xuring_sqe
#define XU_OP(name)	XURING_OP_##name
#define XU_U64		uint64_t
#define XU_OFF		uint64_t
#define XU_FADV_LEN	unsigned int
#include <xuring/prep-ops.h>

static inline void xuring_sqe_set_data64(struct xuring_sqe *sqe, uint64_t data)
{
	sqe->user_data = data;
}

static inline void xuring_sqe_set_data(struct xuring_sqe *sqe, void *data)
{
	sqe->user_data = (uint64_t)(uintptr_t)data;
}

static inline void xuring_sqe_set_flags(struct xuring_sqe *sqe,
					unsigned int flags)
{
	sqe->flags = (uint8_t)flags;
}

static inline uint64_t xuring_cqe_get_data64(const struct xuring_cqe *cqe)
{
	return cqe->user_data;
}

static inline void *xuring_cqe_get_data(const struct xuring_cqe *cqe)
{
	return (void *)(uintptr_t)cqe->user_data;
}

#ifdef __cplusplus
}
#endif

#endif /* XURING_LIB_H */
