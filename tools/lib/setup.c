// SPDX-License-Identifier: MIT
/*
 * libxuring: setting a ring up on /dev/xuring, mapping its three regions,
 * and tearing it all down again.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib.h"

static void unmap_rings(struct xuring_sq *sq, struct xuring_cq *cq)
{
	if (cq->ring_ptr && cq->ring_ptr != sq->ring_ptr)
		munmap(cq->ring_ptr, cq->ring_sz);
	if (sq->ring_ptr)
		munmap(sq->ring_ptr, sq->ring_sz);
	sq->ring_ptr = NULL;
	cq->ring_ptr = NULL;
}

static void *map_region(int fd, size_t len, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, off);
}

/*
 * Map the SQ ring, the CQ ring (the same mapping with FEAT_SINGLE_MMAP) and
 * the SQE array of an fd that XURING_IOC_SETUP succeeded on. On success the
 * ring owns fd: xuring_queue_exit() closes it. On failure fd stays open.
 */
int xuring_queue_mmap(int fd, struct xuring_params *p, struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	struct xuring_cq *cq = &ring->cq;
	size_t sqes_sz;
	void *ptr;
	int ret;

	memset(ring, 0, sizeof(*ring));
	ring->ring_fd = -1;
	ring->enter_ring_fd = -1;

	if (!p->sq_entries || !p->cq_entries)
		return -EINVAL;

	sq->ring_sz = p->sq_off.array + p->sq_entries * sizeof(unsigned int);
	cq->ring_sz = p->cq_off.cqes +
		      p->cq_entries * sizeof(struct xuring_cqe);
	if (p->features & XURING_FEAT_SINGLE_MMAP) {
		if (cq->ring_sz > sq->ring_sz)
			sq->ring_sz = cq->ring_sz;
		cq->ring_sz = sq->ring_sz;
	}

	ptr = map_region(fd, sq->ring_sz, XURING_OFF_SQ_RING);
	if (ptr == MAP_FAILED)
		return -errno;
	sq->ring_ptr = ptr;

	if (p->features & XURING_FEAT_SINGLE_MMAP) {
		cq->ring_ptr = sq->ring_ptr;
	} else {
		ptr = map_region(fd, cq->ring_sz, XURING_OFF_CQ_RING);
		if (ptr == MAP_FAILED) {
			ret = -errno;
			unmap_rings(sq, cq);
			return ret;
		}
		cq->ring_ptr = ptr;
	}

	sqes_sz = p->sq_entries * sizeof(struct xuring_sqe);
	ptr = map_region(fd, sqes_sz, XURING_OFF_SQES);
	if (ptr == MAP_FAILED) {
		ret = -errno;
		unmap_rings(sq, cq);
		return ret;
	}
	sq->sqes = ptr;

	ptr = sq->ring_ptr;
	sq->khead = (unsigned int *)((char *)ptr + p->sq_off.head);
	sq->ktail = (unsigned int *)((char *)ptr + p->sq_off.tail);
	sq->kring_mask = (unsigned int *)((char *)ptr + p->sq_off.ring_mask);
	sq->kring_entries =
		(unsigned int *)((char *)ptr + p->sq_off.ring_entries);
	sq->kflags = (unsigned int *)((char *)ptr + p->sq_off.flags);
	sq->kdropped = (unsigned int *)((char *)ptr + p->sq_off.dropped);
	sq->array = (unsigned int *)((char *)ptr + p->sq_off.array);

	ptr = cq->ring_ptr;
	cq->khead = (unsigned int *)((char *)ptr + p->cq_off.head);
	cq->ktail = (unsigned int *)((char *)ptr + p->cq_off.tail);
	cq->kring_mask = (unsigned int *)((char *)ptr + p->cq_off.ring_mask);
	cq->kring_entries =
		(unsigned int *)((char *)ptr + p->cq_off.ring_entries);
	cq->koverflow = (unsigned int *)((char *)ptr + p->cq_off.overflow);
	cq->cqes = (struct xuring_cqe *)((char *)ptr + p->cq_off.cqes);
	/* cq_off.flags is 0 on kernels that predate the CQ ring flags word. */
	if (p->cq_off.flags)
		cq->kflags = (unsigned int *)((char *)ptr + p->cq_off.flags);

	sq->ring_mask = *sq->kring_mask;
	sq->ring_entries = *sq->kring_entries;
	cq->ring_mask = *cq->kring_mask;
	cq->ring_entries = *cq->kring_entries;

	/* Nothing has been handed out yet; start from the kernel's tail. */
	sq->sqe_head = sq->sqe_tail = xu_read_once(sq->ktail);

	ring->flags = p->flags;
	ring->features = p->features;
	ring->ring_fd = fd;
	ring->enter_ring_fd = fd;
	return 0;
}

int xuring_queue_init_params(unsigned int entries, struct xuring *ring,
			     struct xuring_params *p)
{
	int fd, ret;

	/* A ring whose set-up failed is still safe to pass to queue_exit. */
	memset(ring, 0, sizeof(*ring));
	ring->ring_fd = -1;
	ring->enter_ring_fd = -1;

	fd = xuring_open();
	if (fd < 0)
		return fd;

	p->sq_entries = entries;
	ret = xuring_setup(fd, p);
	if (ret < 0) {
		close(fd);
		return ret;
	}

	ret = xuring_queue_mmap(fd, p, ring);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return 0;
}

int xuring_queue_init(unsigned int entries, struct xuring *ring,
		      unsigned int flags)
{
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return xuring_queue_init_params(entries, ring, &p);
}

void xuring_queue_exit(struct xuring *ring)
{
	struct xuring_sq *sq = &ring->sq;
	struct xuring_cq *cq = &ring->cq;

	if (sq->sqes)
		munmap(sq->sqes,
		       *sq->kring_entries * sizeof(struct xuring_sqe));
	sq->sqes = NULL;
	unmap_rings(sq, cq);
	if (ring->ring_fd >= 0)
		close(ring->ring_fd);
	ring->ring_fd = -1;
	ring->enter_ring_fd = -1;
}
