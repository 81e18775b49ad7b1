// SPDX-License-Identifier: MIT
/*
 * The drop-in: io_uring_register(2) helpers. Each passes its opcode to the
 * ring's backend; where xuring has no such opcode (tags, sparse tables,
 * io-wq tuning, registered ring fds, buffer rings, sync cancel, file alloc
 * ranges) it answers -EINVAL, as a 5.10 kernel does, and the program takes
 * the fallback it has for old kernels.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "dropin.h"

/* 0 on success for the calls whose kernel result carries nothing. */
static int zero_or_err(int ret)
{
	return ret < 0 ? ret : 0;
}

/*
 * Registering nr files may need that many descriptors of RLIMIT_NOFILE:
 * on -EMFILE, raise the soft limit toward the hard one once and retry.
 */
static bool raise_nofile(unsigned int nr)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= nr ||
	    rl.rlim_cur == rl.rlim_max)
		return false;
	rl.rlim_cur = nr < rl.rlim_max ? nr : rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

static int register_files_retry(struct xuring *ring, unsigned int opcode,
				const void *arg, unsigned int nr_args,
				unsigned int nr_files)
{
	int ret = dropin_register(ring, opcode, arg, nr_args);

	if (ret == -EMFILE && raise_nofile(nr_files))
		ret = dropin_register(ring, opcode, arg, nr_args);
	return ret;
}

/* REGISTER_BUFFERS2 / REGISTER_FILES2: a table, tagged or sparse (5.13). */
static int rsrc_register(struct xuring *ring, unsigned int opcode,
			 __u32 flags, const void *data, const __u64 *tags,
			 unsigned int nr)
{
	struct io_uring_rsrc_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.flags = flags;
	reg.nr = nr;
	reg.data = (__u64)(unsigned long)data;
	reg.tags = (__u64)(unsigned long)tags;
	if (opcode == IORING_REGISTER_FILES2)
		return register_files_retry(ring, opcode, &reg, sizeof(reg), nr);
	return dropin_register(ring, opcode, &reg, sizeof(reg));
}

/* REGISTER_BUFFERS_UPDATE / REGISTER_FILES_UPDATE2: slots with tags. */
static int rsrc_update(struct xuring *ring, unsigned int opcode,
		       unsigned int off, const void *data, const __u64 *tags,
		       unsigned int nr)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.data = (__u64)(unsigned long)data;
	up.tags = (__u64)(unsigned long)tags;
	up.nr = nr;
	return dropin_register(ring, opcode, &up, sizeof(up));
}

int io_uring_register_buffers(struct xuring *ring, const struct iovec *iovecs,
			      unsigned int nr_iovecs)
{
	return zero_or_err(dropin_register(ring, IORING_REGISTER_BUFFERS,
					   iovecs, nr_iovecs));
}

int io_uring_register_buffers_tags(struct xuring *ring,
				   const struct iovec *iovecs,
				   const __u64 *tags, unsigned int nr)
{
	return rsrc_register(ring, IORING_REGISTER_BUFFERS2, 0, iovecs, tags, nr);
}

int io_uring_register_buffers_sparse(struct xuring *ring, unsigned int nr)
{
	return rsrc_register(ring, IORING_REGISTER_BUFFERS2,
			     IORING_RSRC_REGISTER_SPARSE, NULL, NULL, nr);
}

int io_uring_register_buffers_update_tag(struct xuring *ring,
					 unsigned int off,
					 const struct iovec *iovecs,
					 const __u64 *tags, unsigned int nr)
{
	return rsrc_update(ring, IORING_REGISTER_BUFFERS_UPDATE, off, iovecs, tags,
			   nr);
}

int io_uring_unregister_buffers(struct xuring *ring)
{
	return zero_or_err(dropin_register(ring, IORING_UNREGISTER_BUFFERS,
					   NULL, 0));
}

int io_uring_register_files(struct xuring *ring, const int *files,
			    unsigned int nr_files)
{
	return zero_or_err(register_files_retry(ring, IORING_REGISTER_FILES,
						files, nr_files, nr_files));
}

int io_uring_register_files_tags(struct xuring *ring, const int *files,
				 const __u64 *tags, unsigned int nr)
{
	return rsrc_register(ring, IORING_REGISTER_FILES2, 0, files, tags, nr);
}

int io_uring_register_files_sparse(struct xuring *ring, unsigned int nr)
{
	return rsrc_register(ring, IORING_REGISTER_FILES2,
			     IORING_RSRC_REGISTER_SPARSE, NULL, NULL, nr);
}

int io_uring_register_files_update_tag(struct xuring *ring, unsigned int off,
				       const int *files, const __u64 *tags,
				       unsigned int nr_files)
{
	return rsrc_update(ring, IORING_REGISTER_FILES_UPDATE2, off, files, tags,
			   nr_files);
}

int io_uring_unregister_files(struct xuring *ring)
{
	return zero_or_err(dropin_register(ring, IORING_UNREGISTER_FILES,
					   NULL, 0));
}

/* Returns how many slots were updated. */
int io_uring_register_files_update(struct xuring *ring, unsigned int off,
				   const int *files, unsigned int nr_files)
{
	struct io_uring_files_update up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.fds = (__u64)(unsigned long)files;
	return dropin_register(ring, IORING_REGISTER_FILES_UPDATE, &up,
			       nr_files);
}

int io_uring_register_eventfd(struct xuring *ring, int fd)
{
	return zero_or_err(dropin_register(ring, IORING_REGISTER_EVENTFD,
					   &fd, 1));
}

int io_uring_register_eventfd_async(struct xuring *ring, int fd)
{
	return zero_or_err(dropin_register(ring, IORING_REGISTER_EVENTFD_ASYNC,
					   &fd, 1));
}

int io_uring_unregister_eventfd(struct xuring *ring)
{
	return zero_or_err(dropin_register(ring, IORING_UNREGISTER_EVENTFD,
					   NULL, 0));
}

int io_uring_register_probe(struct xuring *ring, struct io_uring_probe *p,
			    unsigned int nr)
{
	return zero_or_err(dropin_register(ring, IORING_REGISTER_PROBE, p, nr));
}

/* Returns the new personality's id. */
int io_uring_register_personality(struct xuring *ring)
{
	return dropin_register(ring, IORING_REGISTER_PERSONALITY, NULL, 0);
}

int io_uring_unregister_personality(struct xuring *ring, int id)
{
	return dropin_register(ring, IORING_UNREGISTER_PERSONALITY, NULL,
			       (unsigned int)id);
}

int io_uring_register_iowq_aff(struct xuring *ring, size_t cpusz,
			       const cpu_set_t *mask)
{
	if (cpusz >= (1U << 31))
		return -EINVAL;
	return dropin_register(ring, IORING_REGISTER_IOWQ_AFF, mask,
			       (unsigned int)cpusz);
}

int io_uring_unregister_iowq_aff(struct xuring *ring)
{
	return dropin_register(ring, IORING_UNREGISTER_IOWQ_AFF, NULL, 0);
}

int io_uring_register_iowq_max_workers(struct xuring *ring,
				       unsigned int *values)
{
	return dropin_register(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, values,
			       2);
}

/*
 * Register the ring's own fd, so that enter skips the fd lookup: 1 on
 * success (one fd registered), after which enter uses the index.
 */
int io_uring_register_ring_fd(struct xuring *ring)
{
	struct io_uring_rsrc_update up;
	int ret;

	memset(&up, 0, sizeof(up));
	up.data = (__u32)ring->ring_fd;
	up.offset = -1U;
	ret = dropin_register(ring, IORING_REGISTER_RING_FDS, &up, 1);
	if (ret == 1) {
		ring->enter_ring_fd = (int)up.offset;
		ring->int_flags |= DROPIN_INT_REG_RING;
	}
	return ret;
}

int io_uring_unregister_ring_fd(struct xuring *ring)
{
	struct io_uring_rsrc_update up;
	int ret;

	memset(&up, 0, sizeof(up));
	up.offset = (__u32)ring->enter_ring_fd;
	ret = dropin_register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
	if (ret == 1) {
		ring->enter_ring_fd = ring->ring_fd;
		ring->int_flags &= (__u8)~DROPIN_INT_REG_RING;
	}
	return ret;
}

int io_uring_register_buf_ring(struct xuring *ring,
			       struct io_uring_buf_reg *reg,
			       unsigned int flags)
{
	(void)flags;	/* liburing 2.3 passes none to the kernel either */
	return dropin_register(ring, IORING_REGISTER_PBUF_RING, reg, 1);
}

int io_uring_unregister_buf_ring(struct xuring *ring, int bgid)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.bgid = (__u16)bgid;
	return dropin_register(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

int io_uring_register_sync_cancel(struct xuring *ring,
				  struct io_uring_sync_cancel_reg *reg)
{
	return dropin_register(ring, IORING_REGISTER_SYNC_CANCEL, reg, 1);
}

int io_uring_register_file_alloc_range(struct xuring *ring,
				       unsigned int off, unsigned int len)
{
	struct io_uring_file_index_range range;

	memset(&range, 0, sizeof(range));
	range.off = off;
	range.len = len;
	return dropin_register(ring, IORING_REGISTER_FILE_ALLOC_RANGE, &range,
			       0);
}
