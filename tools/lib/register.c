// SPDX-License-Identifier: MIT
/*
 * libxuring: XURING_IOC_REGISTER helpers (probe, buffers, files, eventfd,
 * personalities, restrictions) and the names of opcodes and features.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib.h"

/* The probe buffer covers every opcode a u8 can name. */
#define PROBE_OPS	256

static const char *const op_names[] = {
	[XURING_OP_NOP]			= "NOP",
	[XURING_OP_READV]		= "READV",
	[XURING_OP_WRITEV]		= "WRITEV",
	[XURING_OP_FSYNC]		= "FSYNC",
	[XURING_OP_READ_FIXED]		= "READ_FIXED",
	[XURING_OP_WRITE_FIXED]		= "WRITE_FIXED",
	[XURING_OP_POLL_ADD]		= "POLL_ADD",
	[XURING_OP_POLL_REMOVE]		= "POLL_REMOVE",
	[XURING_OP_SYNC_FILE_RANGE]	= "SYNC_FILE_RANGE",
	[XURING_OP_SENDMSG]		= "SENDMSG",
	[XURING_OP_RECVMSG]		= "RECVMSG",
	[XURING_OP_TIMEOUT]		= "TIMEOUT",
	[XURING_OP_TIMEOUT_REMOVE]	= "TIMEOUT_REMOVE",
	[XURING_OP_ACCEPT]		= "ACCEPT",
	[XURING_OP_ASYNC_CANCEL]	= "ASYNC_CANCEL",
	[XURING_OP_LINK_TIMEOUT]	= "LINK_TIMEOUT",
	[XURING_OP_CONNECT]		= "CONNECT",
	[XURING_OP_FALLOCATE]		= "FALLOCATE",
	[XURING_OP_OPENAT]		= "OPENAT",
	[XURING_OP_CLOSE]		= "CLOSE",
	[XURING_OP_FILES_UPDATE]	= "FILES_UPDATE",
	[XURING_OP_STATX]		= "STATX",
	[XURING_OP_READ]		= "READ",
	[XURING_OP_WRITE]		= "WRITE",
	[XURING_OP_FADVISE]		= "FADVISE",
	[XURING_OP_MADVISE]		= "MADVISE",
	[XURING_OP_SEND]		= "SEND",
	[XURING_OP_RECV]		= "RECV",
	[XURING_OP_OPENAT2]		= "OPENAT2",
	[XURING_OP_EPOLL_CTL]		= "EPOLL_CTL",
	[XURING_OP_SPLICE]		= "SPLICE",
	[XURING_OP_PROVIDE_BUFFERS]	= "PROVIDE_BUFFERS",
	[XURING_OP_REMOVE_BUFFERS]	= "REMOVE_BUFFERS",
	[XURING_OP_TEE]			= "TEE",
};
_Static_assert(sizeof(op_names) / sizeof(op_names[0]) == XURING_OP_LAST,
	       "op_names[] must name every opcode");

static const char *const register_op_names[] = {
	[XURING_REGISTER_BUFFERS]		= "REGISTER_BUFFERS",
	[XURING_UNREGISTER_BUFFERS]		= "UNREGISTER_BUFFERS",
	[XURING_REGISTER_FILES]			= "REGISTER_FILES",
	[XURING_UNREGISTER_FILES]		= "UNREGISTER_FILES",
	[XURING_REGISTER_EVENTFD]		= "REGISTER_EVENTFD",
	[XURING_UNREGISTER_EVENTFD]		= "UNREGISTER_EVENTFD",
	[XURING_REGISTER_FILES_UPDATE]		= "REGISTER_FILES_UPDATE",
	[XURING_REGISTER_EVENTFD_ASYNC]		= "REGISTER_EVENTFD_ASYNC",
	[XURING_REGISTER_PROBE]			= "REGISTER_PROBE",
	[XURING_REGISTER_PERSONALITY]		= "REGISTER_PERSONALITY",
	[XURING_UNREGISTER_PERSONALITY]		= "UNREGISTER_PERSONALITY",
	[XURING_REGISTER_RESTRICTIONS]		= "REGISTER_RESTRICTIONS",
	[XURING_REGISTER_ENABLE_RINGS]		= "REGISTER_ENABLE_RINGS",
};
_Static_assert(sizeof(register_op_names) / sizeof(register_op_names[0]) ==
	       XURING_REGISTER_LAST,
	       "register_op_names[] must name every register opcode");

/* By bit number; a bit xuring does not offer has no name (NULL). */
#define FEATURE(f)	[__builtin_ctz(XURING_FEAT_##f)] = #f
static const char *const feature_names[] = {
	FEATURE(SINGLE_MMAP),
	FEATURE(NODROP),
	FEATURE(SUBMIT_STABLE),
	FEATURE(RW_CUR_POS),
	FEATURE(CUR_PERSONALITY),
	FEATURE(FAST_POLL),
	FEATURE(POLL_32BITS),
	FEATURE(EXT_ARG),
	FEATURE(CQE_SKIP),
};
#undef FEATURE
_Static_assert(XURING_FEAT_CQE_SKIP ==
	       1U << (sizeof(feature_names) / sizeof(feature_names[0]) - 1),
	       "feature_names[] must name every feature bit");

const char *xuring_op_name(int op)
{
	if (op < 0 || op >= XURING_OP_LAST)
		return NULL;
	return op_names[op];
}

const char *xuring_register_op_name(int op)
{
	if (op < 0 || op >= XURING_REGISTER_LAST)
		return NULL;
	return register_op_names[op];
}

const char *xuring_feature_name(unsigned int feature)
{
	unsigned int bit;

	/* Exactly one bit set. */
	if (!feature || (feature & (feature - 1)))
		return NULL;
	bit = (unsigned int)__builtin_ctz(feature);
	if (bit >= sizeof(feature_names) / sizeof(feature_names[0]))
		return NULL;
	return feature_names[bit];
}

int xuring_register_probe(struct xuring *ring, struct xuring_probe *p,
			  unsigned int nr_ops)
{
	return xuring_register(ring->ring_fd, XURING_REGISTER_PROBE, p, nr_ops);
}

static struct xuring_probe *probe_fd(int fd)
{
	struct xuring_probe *probe;
	int ret;

	/* The kernel insists on a zeroed buffer. */
	probe = calloc(1, sizeof(*probe) +
			  PROBE_OPS * sizeof(struct xuring_probe_op));
	if (!probe)
		return NULL;
	ret = xuring_register(fd, XURING_REGISTER_PROBE, probe, PROBE_OPS);
	if (ret < 0) {
		free(probe);
		errno = -ret;
		return NULL;
	}
	return probe;
}

struct xuring_probe *xuring_get_probe_ring(struct xuring *ring)
{
	return probe_fd(ring->ring_fd);
}

struct xuring_probe *xuring_get_probe(void)
{
	struct xuring_params p = { .sq_entries = 2 };
	struct xuring_probe *probe;
	int fd, ret, err;

	/* A ring is needed to ask, but not its mappings. */
	fd = xuring_open();
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	ret = xuring_setup(fd, &p);
	if (ret < 0) {
		close(fd);
		errno = -ret;
		return NULL;
	}
	probe = probe_fd(fd);
	err = errno;
	close(fd);
	errno = err;
	return probe;
}

void xuring_free_probe(struct xuring_probe *probe)
{
	free(probe);
}

int xuring_opcode_supported(const struct xuring_probe *p, int op)
{
	if (op < 0 || op > p->last_op || op >= p->ops_len)
		return 0;
	return (p->ops[op].flags & XURING_OP_SUPPORTED) != 0;
}

/* The rest follow liburing: 0 on success unless a count or id is due. */

static int reg_zero(struct xuring *ring, unsigned int opcode, const void *arg,
		    unsigned int nr_args)
{
	int ret = xuring_register(ring->ring_fd, opcode, arg, nr_args);

	return ret < 0 ? ret : 0;
}

int xuring_register_buffers(struct xuring *ring, const struct iovec *iovecs,
			    unsigned int nr_iovecs)
{
	return reg_zero(ring, XURING_REGISTER_BUFFERS, iovecs, nr_iovecs);
}

int xuring_unregister_buffers(struct xuring *ring)
{
	return reg_zero(ring, XURING_UNREGISTER_BUFFERS, NULL, 0);
}

int xuring_register_files(struct xuring *ring, const int *files,
			  unsigned int nr_files)
{
	return reg_zero(ring, XURING_REGISTER_FILES, files, nr_files);
}

int xuring_unregister_files(struct xuring *ring)
{
	return reg_zero(ring, XURING_UNREGISTER_FILES, NULL, 0);
}

int xuring_register_files_update(struct xuring *ring, unsigned int off,
				 const int *files, unsigned int nr_files)
{
	struct xuring_files_update up = {
		.offset	= off,
		.fds	= (uint64_t)(uintptr_t)files,
	};

	/* The number of slots updated. */
	return xuring_register(ring->ring_fd, XURING_REGISTER_FILES_UPDATE,
			       &up, nr_files);
}

int xuring_register_eventfd(struct xuring *ring, int fd)
{
	return reg_zero(ring, XURING_REGISTER_EVENTFD, &fd, 1);
}

int xuring_register_eventfd_async(struct xuring *ring, int fd)
{
	return reg_zero(ring, XURING_REGISTER_EVENTFD_ASYNC, &fd, 1);
}

int xuring_unregister_eventfd(struct xuring *ring)
{
	return reg_zero(ring, XURING_UNREGISTER_EVENTFD, NULL, 0);
}

int xuring_register_personality(struct xuring *ring)
{
	/* The new personality id. */
	return xuring_register(ring->ring_fd, XURING_REGISTER_PERSONALITY,
			       NULL, 0);
}

int xuring_unregister_personality(struct xuring *ring, int id)
{
	return reg_zero(ring, XURING_UNREGISTER_PERSONALITY, NULL,
			(unsigned int)id);
}

int xuring_register_restrictions(struct xuring *ring,
				 const struct xuring_restriction *res,
				 unsigned int nr_res)
{
	return reg_zero(ring, XURING_REGISTER_RESTRICTIONS, res, nr_res);
}

int xuring_enable_rings(struct xuring *ring)
{
	return reg_zero(ring, XURING_REGISTER_ENABLE_RINGS, NULL, 0);
}
