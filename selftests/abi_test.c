// SPDX-License-Identifier: GPL-2.0
/*
 * ABI: every struct layout and constant of <linux/xuring.h> equals the 5.10
 * subset of <linux/io_uring.h>; both headers are included in this one file.
 */
#include <stddef.h>
#include <linux/io_uring.h>
#include <linux/xuring.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"

/* Compile time: the build fails on any layout difference. */
#define SAME_FIELD(xs, xf, ns, nf)					\
	_Static_assert(offsetof(struct xs, xf) == offsetof(struct ns, nf) && \
		       sizeof(((struct xs *)0)->xf) ==			\
		       sizeof(((struct ns *)0)->nf),			\
		       #xs "." #xf " differs from " #ns "." #nf)
#define SAME_SIZE(xs, ns)						\
	_Static_assert(sizeof(struct xs) == sizeof(struct ns),		\
		       "sizeof " #xs " differs from " #ns)
#define SAME_VAL(x, n)							\
	_Static_assert((unsigned long long)(x) == (unsigned long long)(n), \
		       #x " differs from " #n)

SAME_SIZE(xuring_sqe, io_uring_sqe);
SAME_SIZE(xuring_cqe, io_uring_cqe);
SAME_SIZE(xuring_params, io_uring_params);
SAME_SIZE(xuring_sqring_offsets, io_sqring_offsets);
SAME_SIZE(xuring_cqring_offsets, io_cqring_offsets);
SAME_SIZE(xuring_files_update, io_uring_files_update);
SAME_SIZE(xuring_probe, io_uring_probe);
SAME_SIZE(xuring_probe_op, io_uring_probe_op);
SAME_SIZE(xuring_restriction, io_uring_restriction);
SAME_SIZE(xuring_getevents_arg, io_uring_getevents_arg);
SAME_FIELD(xuring_getevents_arg, sigmask, io_uring_getevents_arg, sigmask);
SAME_FIELD(xuring_getevents_arg, sigmask_sz, io_uring_getevents_arg,
	   sigmask_sz);
SAME_FIELD(xuring_getevents_arg, pad, io_uring_getevents_arg, pad);
SAME_FIELD(xuring_getevents_arg, ts, io_uring_getevents_arg, ts);
SAME_FIELD(xuring_sqe, opcode, io_uring_sqe, opcode);
SAME_FIELD(xuring_sqe, user_data, io_uring_sqe, user_data);
SAME_FIELD(xuring_sqe, splice_fd_in, io_uring_sqe, splice_fd_in);
SAME_FIELD(xuring_params, sq_off, io_uring_params, sq_off);
SAME_FIELD(xuring_params, cq_off, io_uring_params, cq_off);
SAME_VAL(XURING_OP_LAST, IORING_OP_TEE + 1);
SAME_VAL(XURING_REGISTER_LAST, IORING_REGISTER_ENABLE_RINGS + 1);
SAME_VAL(XURING_OFF_SQES, IORING_OFF_SQES);

struct field {
	const char *name;
	size_t xoff, noff, xsize, nsize;
	size_t want_off;	/* from the 5.10 reference, or -1 */
};

#define F(xs, ns, f, want)						\
	{ #xs "." #f, offsetof(struct xs, f), offsetof(struct ns, f),	\
	  sizeof(((struct xs *)0)->f), sizeof(((struct ns *)0)->f), (want) }
#define ANY ((size_t)-1)

static void check_fields(struct __test_metadata *_metadata,
			 const struct field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		EXPECT_EQ(f[i].noff, f[i].xoff)
			TH_LOG("offset of %s", f[i].name);
		EXPECT_EQ(f[i].nsize, f[i].xsize)
			TH_LOG("size of %s", f[i].name);
		if (f[i].want_off != ANY)
			EXPECT_EQ(f[i].want_off, f[i].xoff)
				TH_LOG("reference offset of %s", f[i].name);
	}
}

struct value {
	const char *name;
	unsigned long long x, n;
};

#define V(xname, nname) { #xname, (unsigned long long)(xname),		\
			  (unsigned long long)(nname) }

static void check_values(struct __test_metadata *_metadata,
			 const struct value *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		EXPECT_EQ(v[i].n, v[i].x) TH_LOG("value of %s", v[i].name);
}

TEST(sqe_layout)
{
	static const struct field f[] = {
		F(xuring_sqe, io_uring_sqe, opcode, 0),
		F(xuring_sqe, io_uring_sqe, flags, 1),
		F(xuring_sqe, io_uring_sqe, ioprio, 2),
		F(xuring_sqe, io_uring_sqe, fd, 4),
		F(xuring_sqe, io_uring_sqe, off, 8),
		F(xuring_sqe, io_uring_sqe, addr2, 8),
		F(xuring_sqe, io_uring_sqe, addr, 16),
		F(xuring_sqe, io_uring_sqe, splice_off_in, 16),
		F(xuring_sqe, io_uring_sqe, len, 24),
		F(xuring_sqe, io_uring_sqe, rw_flags, 28),
		F(xuring_sqe, io_uring_sqe, fsync_flags, 28),
		F(xuring_sqe, io_uring_sqe, poll_events, 28),
		F(xuring_sqe, io_uring_sqe, poll32_events, 28),
		F(xuring_sqe, io_uring_sqe, sync_range_flags, 28),
		F(xuring_sqe, io_uring_sqe, msg_flags, 28),
		F(xuring_sqe, io_uring_sqe, timeout_flags, 28),
		F(xuring_sqe, io_uring_sqe, accept_flags, 28),
		F(xuring_sqe, io_uring_sqe, cancel_flags, 28),
		F(xuring_sqe, io_uring_sqe, open_flags, 28),
		F(xuring_sqe, io_uring_sqe, statx_flags, 28),
		F(xuring_sqe, io_uring_sqe, fadvise_advice, 28),
		F(xuring_sqe, io_uring_sqe, splice_flags, 28),
		F(xuring_sqe, io_uring_sqe, user_data, 32),
		F(xuring_sqe, io_uring_sqe, buf_index, 40),
		F(xuring_sqe, io_uring_sqe, buf_group, 40),
		F(xuring_sqe, io_uring_sqe, personality, 42),
		F(xuring_sqe, io_uring_sqe, splice_fd_in, 44),
	};
	struct xuring_sqe x;

	check_fields(_metadata, f, ARRAY_SIZE(f));
	EXPECT_EQ(64UL, sizeof(struct xuring_sqe));
	EXPECT_EQ(sizeof(struct io_uring_sqe), sizeof(struct xuring_sqe));
	/* 5.10's __pad2[3] covers bytes 40..63 */
	EXPECT_EQ(40UL, offsetof(struct xuring_sqe, __pad2));
	EXPECT_EQ(24UL, sizeof(x.__pad2));
	/* fd is signed, as in io_uring */
	x.fd = -1;
	EXPECT_TRUE(x.fd < 0);
}

TEST(cqe_layout)
{
	static const struct field f[] = {
		F(xuring_cqe, io_uring_cqe, user_data, 0),
		F(xuring_cqe, io_uring_cqe, res, 8),
		F(xuring_cqe, io_uring_cqe, flags, 12),
	};
	struct xuring_cqe c;

	check_fields(_metadata, f, ARRAY_SIZE(f));
	EXPECT_EQ(16UL, sizeof(struct xuring_cqe));
	EXPECT_EQ(sizeof(struct io_uring_cqe), sizeof(struct xuring_cqe));
	c.res = -1;
	EXPECT_TRUE(c.res < 0);
}

TEST(ring_offsets_layout)
{
	static const struct field f[] = {
		F(xuring_sqring_offsets, io_sqring_offsets, head, 0),
		F(xuring_sqring_offsets, io_sqring_offsets, tail, 4),
		F(xuring_sqring_offsets, io_sqring_offsets, ring_mask, 8),
		F(xuring_sqring_offsets, io_sqring_offsets, ring_entries, 12),
		F(xuring_sqring_offsets, io_sqring_offsets, flags, 16),
		F(xuring_sqring_offsets, io_sqring_offsets, dropped, 20),
		F(xuring_sqring_offsets, io_sqring_offsets, array, 24),
		F(xuring_sqring_offsets, io_sqring_offsets, resv1, 28),
		F(xuring_sqring_offsets, io_sqring_offsets, resv2, 32),
		F(xuring_cqring_offsets, io_cqring_offsets, head, 0),
		F(xuring_cqring_offsets, io_cqring_offsets, tail, 4),
		F(xuring_cqring_offsets, io_cqring_offsets, ring_mask, 8),
		F(xuring_cqring_offsets, io_cqring_offsets, ring_entries, 12),
		F(xuring_cqring_offsets, io_cqring_offsets, overflow, 16),
		F(xuring_cqring_offsets, io_cqring_offsets, cqes, 20),
		F(xuring_cqring_offsets, io_cqring_offsets, flags, 24),
		F(xuring_cqring_offsets, io_cqring_offsets, resv1, 28),
		F(xuring_cqring_offsets, io_cqring_offsets, resv2, 32),
	};

	check_fields(_metadata, f, ARRAY_SIZE(f));
	EXPECT_EQ(40UL, sizeof(struct xuring_sqring_offsets));
	EXPECT_EQ(40UL, sizeof(struct xuring_cqring_offsets));
	EXPECT_EQ(sizeof(struct io_sqring_offsets),
		  sizeof(struct xuring_sqring_offsets));
	EXPECT_EQ(sizeof(struct io_cqring_offsets),
		  sizeof(struct xuring_cqring_offsets));
}

TEST(params_layout)
{
	static const struct field f[] = {
		F(xuring_params, io_uring_params, sq_entries, 0),
		F(xuring_params, io_uring_params, cq_entries, 4),
		F(xuring_params, io_uring_params, flags, 8),
		F(xuring_params, io_uring_params, sq_thread_cpu, 12),
		F(xuring_params, io_uring_params, sq_thread_idle, 16),
		F(xuring_params, io_uring_params, features, 20),
		F(xuring_params, io_uring_params, wq_fd, 24),
		F(xuring_params, io_uring_params, resv, 28),
		F(xuring_params, io_uring_params, sq_off, 40),
		F(xuring_params, io_uring_params, cq_off, 80),
	};

	check_fields(_metadata, f, ARRAY_SIZE(f));
	EXPECT_EQ(120UL, sizeof(struct xuring_params));
	EXPECT_EQ(sizeof(struct io_uring_params), sizeof(struct xuring_params));
}

TEST(register_structs_layout)
{
	static const struct field f[] = {
		F(xuring_files_update, io_uring_files_update, offset, 0),
		F(xuring_files_update, io_uring_files_update, resv, 4),
		F(xuring_files_update, io_uring_files_update, fds, 8),
		F(xuring_probe_op, io_uring_probe_op, op, 0),
		F(xuring_probe_op, io_uring_probe_op, resv, 1),
		F(xuring_probe_op, io_uring_probe_op, flags, 2),
		F(xuring_probe_op, io_uring_probe_op, resv2, 4),
		F(xuring_probe, io_uring_probe, last_op, 0),
		F(xuring_probe, io_uring_probe, ops_len, 1),
		F(xuring_probe, io_uring_probe, resv, 2),
		F(xuring_probe, io_uring_probe, resv2, 4),
		F(xuring_restriction, io_uring_restriction, opcode, 0),
		F(xuring_restriction, io_uring_restriction, register_op, 2),
		F(xuring_restriction, io_uring_restriction, sqe_op, 2),
		F(xuring_restriction, io_uring_restriction, sqe_flags, 2),
		F(xuring_restriction, io_uring_restriction, resv, 3),
		F(xuring_restriction, io_uring_restriction, resv2, 4),
	};

	check_fields(_metadata, f, ARRAY_SIZE(f));
	EXPECT_EQ(16UL, sizeof(struct xuring_files_update));
	EXPECT_EQ(sizeof(struct io_uring_files_update),
		  sizeof(struct xuring_files_update));
	EXPECT_EQ(8UL, sizeof(struct xuring_probe_op));
	EXPECT_EQ(16UL, sizeof(struct xuring_probe));
	EXPECT_EQ(offsetof(struct io_uring_probe, ops),
		  offsetof(struct xuring_probe, ops));
	EXPECT_EQ(16UL, sizeof(struct xuring_restriction));
	EXPECT_EQ(sizeof(struct io_uring_restriction),
		  sizeof(struct xuring_restriction));
}

TEST(opcode_values)
{
	static const struct value v[] = {
		V(XURING_OP_NOP, IORING_OP_NOP),
		V(XURING_OP_READV, IORING_OP_READV),
		V(XURING_OP_WRITEV, IORING_OP_WRITEV),
		V(XURING_OP_FSYNC, IORING_OP_FSYNC),
		V(XURING_OP_READ_FIXED, IORING_OP_READ_FIXED),
		V(XURING_OP_WRITE_FIXED, IORING_OP_WRITE_FIXED),
		V(XURING_OP_POLL_ADD, IORING_OP_POLL_ADD),
		V(XURING_OP_POLL_REMOVE, IORING_OP_POLL_REMOVE),
		V(XURING_OP_SYNC_FILE_RANGE, IORING_OP_SYNC_FILE_RANGE),
		V(XURING_OP_SENDMSG, IORING_OP_SENDMSG),
		V(XURING_OP_RECVMSG, IORING_OP_RECVMSG),
		V(XURING_OP_TIMEOUT, IORING_OP_TIMEOUT),
		V(XURING_OP_TIMEOUT_REMOVE, IORING_OP_TIMEOUT_REMOVE),
		V(XURING_OP_ACCEPT, IORING_OP_ACCEPT),
		V(XURING_OP_ASYNC_CANCEL, IORING_OP_ASYNC_CANCEL),
		V(XURING_OP_LINK_TIMEOUT, IORING_OP_LINK_TIMEOUT),
		V(XURING_OP_CONNECT, IORING_OP_CONNECT),
		V(XURING_OP_FALLOCATE, IORING_OP_FALLOCATE),
		V(XURING_OP_OPENAT, IORING_OP_OPENAT),
		V(XURING_OP_CLOSE, IORING_OP_CLOSE),
		V(XURING_OP_FILES_UPDATE, IORING_OP_FILES_UPDATE),
		V(XURING_OP_STATX, IORING_OP_STATX),
		V(XURING_OP_READ, IORING_OP_READ),
		V(XURING_OP_WRITE, IORING_OP_WRITE),
		V(XURING_OP_FADVISE, IORING_OP_FADVISE),
		V(XURING_OP_MADVISE, IORING_OP_MADVISE),
		V(XURING_OP_SEND, IORING_OP_SEND),
		V(XURING_OP_RECV, IORING_OP_RECV),
		V(XURING_OP_OPENAT2, IORING_OP_OPENAT2),
		V(XURING_OP_EPOLL_CTL, IORING_OP_EPOLL_CTL),
		V(XURING_OP_SPLICE, IORING_OP_SPLICE),
		V(XURING_OP_PROVIDE_BUFFERS, IORING_OP_PROVIDE_BUFFERS),
		V(XURING_OP_REMOVE_BUFFERS, IORING_OP_REMOVE_BUFFERS),
		V(XURING_OP_TEE, IORING_OP_TEE),
		/* 5.10 stops after TEE; later kernels add more */
		V(XURING_OP_LAST, IORING_OP_TEE + 1),
		V(XURING_OP_LAST, 34),
	};

	check_values(_metadata, v, ARRAY_SIZE(v));
}

TEST(flag_values)
{
	static const struct value v[] = {
		V(XURING_SQE_FIXED_FILE_BIT, IOSQE_FIXED_FILE_BIT),
		V(XURING_SQE_IO_DRAIN_BIT, IOSQE_IO_DRAIN_BIT),
		V(XURING_SQE_IO_LINK_BIT, IOSQE_IO_LINK_BIT),
		V(XURING_SQE_IO_HARDLINK_BIT, IOSQE_IO_HARDLINK_BIT),
		V(XURING_SQE_ASYNC_BIT, IOSQE_ASYNC_BIT),
		V(XURING_SQE_BUFFER_SELECT_BIT, IOSQE_BUFFER_SELECT_BIT),
		V(XURING_SQE_FIXED_FILE, IOSQE_FIXED_FILE),
		V(XURING_SQE_IO_DRAIN, IOSQE_IO_DRAIN),
		V(XURING_SQE_IO_LINK, IOSQE_IO_LINK),
		V(XURING_SQE_IO_HARDLINK, IOSQE_IO_HARDLINK),
		V(XURING_SQE_ASYNC, IOSQE_ASYNC),
		V(XURING_SQE_BUFFER_SELECT, IOSQE_BUFFER_SELECT),
		V(XURING_SETUP_IOPOLL, IORING_SETUP_IOPOLL),
		V(XURING_SETUP_SQPOLL, IORING_SETUP_SQPOLL),
		V(XURING_SETUP_SQ_AFF, IORING_SETUP_SQ_AFF),
		V(XURING_SETUP_CQSIZE, IORING_SETUP_CQSIZE),
		V(XURING_SETUP_CLAMP, IORING_SETUP_CLAMP),
		V(XURING_SETUP_ATTACH_WQ, IORING_SETUP_ATTACH_WQ),
		V(XURING_SETUP_R_DISABLED, IORING_SETUP_R_DISABLED),
		V(XURING_SETUP_SUBMIT_ALL, IORING_SETUP_SUBMIT_ALL),
		V(XURING_SETUP_COOP_TASKRUN, IORING_SETUP_COOP_TASKRUN),
		V(XURING_SETUP_TASKRUN_FLAG, IORING_SETUP_TASKRUN_FLAG),
		V(XURING_SETUP_SINGLE_ISSUER, IORING_SETUP_SINGLE_ISSUER),
		V(XURING_SQ_TASKRUN, IORING_SQ_TASKRUN),
		V(XURING_FSYNC_DATASYNC, IORING_FSYNC_DATASYNC),
		V(XURING_TIMEOUT_ABS, IORING_TIMEOUT_ABS),
		V(XURING_TIMEOUT_UPDATE, IORING_TIMEOUT_UPDATE),
		V(XURING_TIMEOUT_BOOTTIME, IORING_TIMEOUT_BOOTTIME),
		V(XURING_TIMEOUT_REALTIME, IORING_TIMEOUT_REALTIME),
		V(XURING_TIMEOUT_CLOCK_MASK, IORING_TIMEOUT_CLOCK_MASK),
		V(XURING_TIMEOUT_ETIME_SUCCESS, IORING_TIMEOUT_ETIME_SUCCESS),
		V(XURING_SPLICE_F_FD_IN_FIXED, SPLICE_F_FD_IN_FIXED),
		V(XURING_CQE_F_BUFFER, IORING_CQE_F_BUFFER),
		V(XURING_CQE_BUFFER_SHIFT, IORING_CQE_BUFFER_SHIFT),
		V(XURING_SQ_NEED_WAKEUP, IORING_SQ_NEED_WAKEUP),
		V(XURING_SQ_CQ_OVERFLOW, IORING_SQ_CQ_OVERFLOW),
		V(XURING_CQ_EVENTFD_DISABLED, IORING_CQ_EVENTFD_DISABLED),
		V(XURING_ENTER_GETEVENTS, IORING_ENTER_GETEVENTS),
		V(XURING_ENTER_SQ_WAKEUP, IORING_ENTER_SQ_WAKEUP),
		V(XURING_ENTER_SQ_WAIT, IORING_ENTER_SQ_WAIT),
		V(XURING_ENTER_EXT_ARG, IORING_ENTER_EXT_ARG),
		V(XURING_SQE_CQE_SKIP_SUCCESS, IOSQE_CQE_SKIP_SUCCESS),
		V(XURING_OP_SUPPORTED, IO_URING_OP_SUPPORTED),
	};

	check_values(_metadata, v, ARRAY_SIZE(v));
	/* the valid SQE flags: 5.10's bits 0..5, and 5.17's CQE_SKIP_SUCCESS */
	EXPECT_EQ(0x7fUL, XURING_SQE_FIXED_FILE | XURING_SQE_IO_DRAIN |
		  XURING_SQE_IO_LINK | XURING_SQE_IO_HARDLINK |
		  XURING_SQE_ASYNC | XURING_SQE_BUFFER_SELECT |
		  XURING_SQE_CQE_SKIP_SUCCESS);
	EXPECT_EQ(0x3ffUL, XURING_SETUP_IOPOLL | XURING_SETUP_SQPOLL |
		  XURING_SETUP_SQ_AFF | XURING_SETUP_CQSIZE |
		  XURING_SETUP_CLAMP | XURING_SETUP_ATTACH_WQ |
		  XURING_SETUP_R_DISABLED | XURING_SETUP_SUBMIT_ALL |
		  XURING_SETUP_COOP_TASKRUN | XURING_SETUP_TASKRUN_FLAG);
}

TEST(feature_values)
{
	static const struct value v[] = {
		V(XURING_FEAT_SINGLE_MMAP, IORING_FEAT_SINGLE_MMAP),
		V(XURING_FEAT_NODROP, IORING_FEAT_NODROP),
		V(XURING_FEAT_SUBMIT_STABLE, IORING_FEAT_SUBMIT_STABLE),
		V(XURING_FEAT_RW_CUR_POS, IORING_FEAT_RW_CUR_POS),
		V(XURING_FEAT_CUR_PERSONALITY, IORING_FEAT_CUR_PERSONALITY),
		V(XURING_FEAT_FAST_POLL, IORING_FEAT_FAST_POLL),
		V(XURING_FEAT_POLL_32BITS, IORING_FEAT_POLL_32BITS),
		V(XURING_FEAT_EXT_ARG, IORING_FEAT_EXT_ARG),
		V(XURING_FEAT_CQE_SKIP, IORING_FEAT_CQE_SKIP),
	};

	check_values(_metadata, v, ARRAY_SIZE(v));
}

TEST(mmap_offsets)
{
	static const struct value v[] = {
		V(XURING_OFF_SQ_RING, IORING_OFF_SQ_RING),
		V(XURING_OFF_CQ_RING, IORING_OFF_CQ_RING),
		V(XURING_OFF_SQES, IORING_OFF_SQES),
		V(XURING_OFF_SQ_RING, 0),
		V(XURING_OFF_CQ_RING, 0x8000000),
		V(XURING_OFF_SQES, 0x10000000),
	};

	check_values(_metadata, v, ARRAY_SIZE(v));
}

TEST(register_values)
{
	static const struct value v[] = {
		V(XURING_REGISTER_BUFFERS, IORING_REGISTER_BUFFERS),
		V(XURING_UNREGISTER_BUFFERS, IORING_UNREGISTER_BUFFERS),
		V(XURING_REGISTER_FILES, IORING_REGISTER_FILES),
		V(XURING_UNREGISTER_FILES, IORING_UNREGISTER_FILES),
		V(XURING_REGISTER_EVENTFD, IORING_REGISTER_EVENTFD),
		V(XURING_UNREGISTER_EVENTFD, IORING_UNREGISTER_EVENTFD),
		V(XURING_REGISTER_FILES_UPDATE, IORING_REGISTER_FILES_UPDATE),
		V(XURING_REGISTER_EVENTFD_ASYNC, IORING_REGISTER_EVENTFD_ASYNC),
		V(XURING_REGISTER_PROBE, IORING_REGISTER_PROBE),
		V(XURING_REGISTER_PERSONALITY, IORING_REGISTER_PERSONALITY),
		V(XURING_UNREGISTER_PERSONALITY,
		  IORING_UNREGISTER_PERSONALITY),
		V(XURING_REGISTER_RESTRICTIONS, IORING_REGISTER_RESTRICTIONS),
		V(XURING_REGISTER_ENABLE_RINGS, IORING_REGISTER_ENABLE_RINGS),
		V(XURING_REGISTER_LAST, IORING_REGISTER_ENABLE_RINGS + 1),
		V(XURING_RESTRICTION_REGISTER_OP, IORING_RESTRICTION_REGISTER_OP),
		V(XURING_RESTRICTION_SQE_OP, IORING_RESTRICTION_SQE_OP),
		V(XURING_RESTRICTION_SQE_FLAGS_ALLOWED,
		  IORING_RESTRICTION_SQE_FLAGS_ALLOWED),
		V(XURING_RESTRICTION_SQE_FLAGS_REQUIRED,
		  IORING_RESTRICTION_SQE_FLAGS_REQUIRED),
		V(XURING_RESTRICTION_LAST, IORING_RESTRICTION_LAST),
	};

	check_values(_metadata, v, ARRAY_SIZE(v));
}

TEST(ioctl_numbers)
{
	/* The ioctl ABI is xuring's own: pin its encoding, off rpmsg's 0xB5. */
	EXPECT_EQ(0xD4UL, XURING_IOC_MAGIC);
	EXPECT_EQ(32UL, sizeof(struct xuring_enter_args));
	EXPECT_EQ(0UL, offsetof(struct xuring_enter_args, to_submit));
	EXPECT_EQ(4UL, offsetof(struct xuring_enter_args, min_complete));
	EXPECT_EQ(8UL, offsetof(struct xuring_enter_args, flags));
	EXPECT_EQ(12UL, offsetof(struct xuring_enter_args, resv));
	EXPECT_EQ(16UL, offsetof(struct xuring_enter_args, sigmask));
	EXPECT_EQ(24UL, offsetof(struct xuring_enter_args, sigmask_sz));
	EXPECT_EQ(16UL, sizeof(struct xuring_register_args));
	EXPECT_EQ(0UL, offsetof(struct xuring_register_args, opcode));
	EXPECT_EQ(4UL, offsetof(struct xuring_register_args, nr_args));
	EXPECT_EQ(8UL, offsetof(struct xuring_register_args, arg));

	EXPECT_EQ((unsigned long)(_IOC_READ | _IOC_WRITE), _IOC_DIR(XURING_IOC_SETUP));
	EXPECT_EQ(0xD4UL, _IOC_TYPE(XURING_IOC_SETUP));
	EXPECT_EQ(0UL, _IOC_NR(XURING_IOC_SETUP));
	EXPECT_EQ(120UL, _IOC_SIZE(XURING_IOC_SETUP));
	EXPECT_EQ((unsigned long)_IOC_WRITE, _IOC_DIR(XURING_IOC_ENTER));
	EXPECT_EQ(0xD4UL, _IOC_TYPE(XURING_IOC_ENTER));
	EXPECT_EQ(1UL, _IOC_NR(XURING_IOC_ENTER));
	EXPECT_EQ(32UL, _IOC_SIZE(XURING_IOC_ENTER));
	EXPECT_EQ((unsigned long)_IOC_WRITE, _IOC_DIR(XURING_IOC_REGISTER));
	EXPECT_EQ(0xD4UL, _IOC_TYPE(XURING_IOC_REGISTER));
	EXPECT_EQ(2UL, _IOC_NR(XURING_IOC_REGISTER));
	EXPECT_EQ(16UL, _IOC_SIZE(XURING_IOC_REGISTER));
	EXPECT_EQ(0xc078d400UL, (unsigned long)XURING_IOC_SETUP);
	EXPECT_EQ(0x4020d401UL, (unsigned long)XURING_IOC_ENTER);
	EXPECT_EQ(0x4010d402UL, (unsigned long)XURING_IOC_REGISTER);
}

TEST_HARNESS_MAIN
