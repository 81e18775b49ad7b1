// SPDX-License-Identifier: MIT
/*
 * The drop-in: setting a ring up (on the backend backend.c picks), mapping
 * its three regions, tearing it down, and the calls built on a ring's life
 * (probe, mlock size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dropin.h"

/* The kernel's limits on ring sizes (5.10 to 6.x). */
#define KERNEL_MAX_ENTRIES	32768U
#define KERNEL_MAX_CQ_ENTRIES	(2 * KERNEL_MAX_ENTRIES)
/* Room the kernel's struct io_rings takes before the CQEs (rounded up). */
#define KERNEL_RINGS_HEADER	320U
/* Every opcode a u8 can name. */
#define PROBE_OPS		256

static void *map_region(int fd, size_t len, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, off);
}

static size_t sqes_size(const struct xuring *ring, unsigned int entries)
{
	return ((size_t)entries * sizeof(struct xuring_sqe))
	       << dropin_sqe_shift(ring);
}

static void unmap_rings(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	struct xuring_cq *cq = &ring->cq;

	if (cq->ring_ptr && cq->ring_ptr != sq->ring_ptr)
		munmap(cq->ring_ptr, cq->ring_sz);
	if (sq->ring_ptr)
		munmap(sq->ring_ptr, sq->ring_sz);
	sq->ring_ptr = NULL;
	cq->ring_ptr = NULL;
}

static unsigned int *at(void *base, __u32 off)
{
	return (unsigned int *)((char *)base + off);
}

/*
 * Map the rings of a set-up fd into *ring. Both backends give the same
 * offsets and regions. The SQ array maps slot i to SQE i once and for all,
 * so a submit only has to publish the tail.
 */
static int ring_mmap(int fd, struct io_uring_params *p, struct xuring *ring,
		     bool on_xuring)
{
	struct xuring_sq *sq = &ring->sq;
	struct xuring_cq *cq = &ring->cq;
	unsigned int i;
	void *ptr;
	int ret;

	memset(ring, 0, sizeof(*ring));
	ring->flags = p->flags;

	sq->ring_sz = p->sq_off.array + p->sq_entries * sizeof(unsigned int);
	cq->ring_sz = p->cq_off.cqes +
		      ((size_t)p->cq_entries * sizeof(struct xuring_cqe)
		       << dropin_cqe_shift(ring));
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (cq->ring_sz > sq->ring_sz)
			sq->ring_sz = cq->ring_sz;
		cq->ring_sz = sq->ring_sz;
	}

	ptr = map_region(fd, sq->ring_sz, IORING_OFF_SQ_RING);
	if (ptr == MAP_FAILED)
		return -errno;
	sq->ring_ptr = ptr;
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		cq->ring_ptr = ptr;
	} else {
		ptr = map_region(fd, cq->ring_sz, IORING_OFF_CQ_RING);
		if (ptr == MAP_FAILED) {
			ret = -errno;
			cq->ring_ptr = NULL;
			unmap_rings(ring);
			return ret;
		}
		cq->ring_ptr = ptr;
	}

	ptr = map_region(fd, sqes_size(ring, p->sq_entries), IORING_OFF_SQES);
	if (ptr == MAP_FAILED) {
		ret = -errno;
		unmap_rings(ring);
		return ret;
	}
	sq->sqes = ptr;

	ptr = sq->ring_ptr;
	sq->khead = at(ptr, p->sq_off.head);
	sq->ktail = at(ptr, p->sq_off.tail);
	sq->kring_mask = at(ptr, p->sq_off.ring_mask);
	sq->kring_entries = at(ptr, p->sq_off.ring_entries);
	sq->kflags = at(ptr, p->sq_off.flags);
	sq->kdropped = at(ptr, p->sq_off.dropped);
	sq->array = at(ptr, p->sq_off.array);

	ptr = cq->ring_ptr;
	cq->khead = at(ptr, p->cq_off.head);
	cq->ktail = at(ptr, p->cq_off.tail);
	cq->kring_mask = at(ptr, p->cq_off.ring_mask);
	cq->kring_entries = at(ptr, p->cq_off.ring_entries);
	cq->koverflow = at(ptr, p->cq_off.overflow);
	cq->cqes = (struct xuring_cqe *)at(ptr, p->cq_off.cqes);
	/* 0 on kernels older than the CQ ring's flags word (5.8) */
	if (p->cq_off.flags)
		cq->kflags = at(ptr, p->cq_off.flags);

	sq->ring_mask = *sq->kring_mask;
	sq->ring_entries = *sq->kring_entries;
	cq->ring_mask = *cq->kring_mask;
	cq->ring_entries = *cq->kring_entries;

	for (i = 0; i < sq->ring_entries; i++)
		sq->array[i] = i;
	/* A fresh ring's tail is 0; start there, whatever the kernel says. */
	sq->sqe_head = sq->sqe_tail = dropin_read_once(sq->ktail);

	ring->features = p->features;
	ring->ring_fd = fd;
	ring->enter_ring_fd = fd;
	ring->int_flags = on_xuring ? DROPIN_INT_XURING : 0;
	return 0;
}

int io_uring_queue_mmap(int fd, struct io_uring_params *p,
			struct xuring *ring)
{
	int saved = errno, ret;

	ret = ring_mmap(fd, p, ring, dropin_fd_is_xuring(fd));
	errno = saved;
	return ret;
}

int io_uring_queue_init_params(unsigned int entries, struct xuring *ring,
			       struct io_uring_params *p)
{
	int saved = errno, fd, ret;
	bool on_xuring;

	fd = dropin_setup(entries, p, &on_xuring);
	if (fd < 0)
		return fd;
	ret = ring_mmap(fd, p, ring, on_xuring);
	if (ret)
		close(fd);
	errno = saved;	/* as liburing's, which does not use libc's calls */
	return ret;
}

int io_uring_queue_init(unsigned int entries, struct xuring *ring,
			unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

void io_uring_queue_exit(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;

	if (sq->sqes)
		munmap(sq->sqes, sqes_size(ring, sq->ring_entries));
	sq->sqes = NULL;
	unmap_rings(ring);
	/* frees the registered slot now rather than at exit */
	if (ring->int_flags & DROPIN_INT_REG_RING)
		io_uring_unregister_ring_fd(ring);
	if (ring->ring_fd >= 0)
		close(ring->ring_fd);
	ring->ring_fd = -1;
	ring->enter_ring_fd = -1;
}

/* Keep a forked child from inheriting the ring's mappings. */
int io_uring_ring_dontfork(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	struct xuring_cq *cq = &ring->cq;

	if (!sq->ring_ptr || !sq->sqes || !cq->ring_ptr)
		return -EINVAL;
	if (madvise(sq->sqes, sqes_size(ring, sq->ring_entries),
		    MADV_DONTFORK))
		return -errno;
	if (madvise(sq->ring_ptr, sq->ring_sz, MADV_DONTFORK))
		return -errno;
	if (cq->ring_ptr != sq->ring_ptr &&
	    madvise(cq->ring_ptr, cq->ring_sz, MADV_DONTFORK))
		return -errno;
	return 0;
}

struct io_uring_probe *io_uring_get_probe_ring(struct xuring *ring)
{
	struct io_uring_probe *probe;

	probe = calloc(1, sizeof(*probe) +
			  PROBE_OPS * sizeof(struct io_uring_probe_op));
	if (!probe)
		return NULL;
	if (io_uring_register_probe(ring, probe, PROBE_OPS) < 0) {
		free(probe);
		return NULL;
	}
	return probe;
}

struct io_uring_probe *io_uring_get_probe(void)
{
	struct io_uring_probe *probe;
	struct xuring ring;

	if (io_uring_queue_init(2, &ring, 0) < 0)
		return NULL;
	probe = io_uring_get_probe_ring(&ring);
	io_uring_queue_exit(&ring);
	return probe;
}

void io_uring_free_probe(struct io_uring_probe *probe)
{
	free(probe);
}

/* Bytes of whole pages, rounded up to a power of two of pages. */
static size_t pow2_pages(size_t bytes, size_t page)
{
	size_t pages = 1;

	while (pages * page < bytes)
		pages <<= 1;
	return pages * page;
}

static unsigned int roundup_pow2(unsigned int n)
{
	unsigned int r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/*
 * What setting up this ring would charge to RLIMIT_MEMLOCK: nothing on a
 * kernel with IORING_FEAT_NATIVE_WORKERS (5.12 on), the ring memory on one
 * without (5.10's accounting, which xuring's rings report): the CQ ring with
 * its header and SQ array, and the SQE array, each a power of two of pages.
 * The ring's features come from setting one up with default parameters.
 */
ssize_t io_uring_mlock_size_params(unsigned int entries,
				   struct io_uring_params *p)
{
	struct io_uring_params probe_p;
	struct xuring ring;
	unsigned int cq_entries;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), cq_bytes, sq_bytes;
	int ret;

	memset(&probe_p, 0, sizeof(probe_p));
	ret = io_uring_queue_init_params(entries, &ring, &probe_p);
	if (ret < 0)
		return ret;
	io_uring_queue_exit(&ring);
	if (probe_p.features & IORING_FEAT_NATIVE_WORKERS)
		return 0;

	if (!entries)
		return -EINVAL;
	if (entries > KERNEL_MAX_ENTRIES) {
		if (!(p->flags & IORING_SETUP_CLAMP))
			return -EINVAL;
		entries = KERNEL_MAX_ENTRIES;
	}
	entries = roundup_pow2(entries);
	if (p->flags & IORING_SETUP_CQSIZE) {
		if (!p->cq_entries)
			return -EINVAL;
		cq_entries = p->cq_entries;
		if (cq_entries > KERNEL_MAX_CQ_ENTRIES) {
			if (!(p->flags & IORING_SETUP_CLAMP))
				return -EINVAL;
			cq_entries = KERNEL_MAX_CQ_ENTRIES;
		}
		cq_entries = roundup_pow2(cq_entries);
		if (cq_entries < entries)
			return -EINVAL;
	} else {
		cq_entries = 2 * entries;
	}

	cq_bytes = (size_t)cq_entries * sizeof(struct xuring_cqe);
	if (p->flags & IORING_SETUP_CQE32)
		cq_bytes *= 2;
	cq_bytes += KERNEL_RINGS_HEADER + (size_t)entries * sizeof(__u32);
	sq_bytes = (size_t)entries * sizeof(struct xuring_sqe);
	if (p->flags & IORING_SETUP_SQE128)
		sq_bytes *= 2;
	return (ssize_t)(pow2_pages(cq_bytes, page) +
			 pow2_pages(sq_bytes, page));
}

ssize_t io_uring_mlock_size(unsigned int entries, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_mlock_size_params(entries, &p);
}
