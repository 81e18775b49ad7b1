/* SPDX-License-Identifier: MIT */
/*
 * The kernel ABI names of liburing 2.3's <liburing/io_uring.h>, for
 * xuring/liburing.h: every constant, enum and struct it declares, with the
 * same values and byte layouts. Macros are spelled as that header spells
 * them, so that a program which repeats a definition gets no warning;
 * enumerators of 5.10's part of the ABI take xuring's constants. The names
 * of later kernels' flags, opcodes and register calls are there so that
 * programs written for liburing 2.3 compile; xuring refuses them at run
 * time as a 5.10 kernel does (-EINVAL for setup flags, SQE flags, register
 * opcodes and opcodes). tools/test/compat-cover.sh checks all of it
 * against Debian's header, abi_test the uapi's values against the kernel's.
 *
 * It takes the include guard of <linux/io_uring.h> and liburing's copy, as
 * liburing's copy does: whichever of them comes first defines the names.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>
#include <linux/types.h>
#include <linux/time_types.h>
#include <linux/xuring.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One SQE, 64 bytes. The same bytes as struct xuring_sqe, with the names
 * later kernels gave to its unions and padding.
 */
struct io_uring_sqe {
	__u8	opcode;
	__u8	flags;		/* IOSQE_ */
	__u16	ioprio;
	__s32	fd;
	union {
		__u64	off;
		__u64	addr2;
		struct {
			__u32	cmd_op;
			__u32	__pad1;
		};
	};
	union {
		__u64	addr;
		__u64	splice_off_in;
	};
	__u32	len;
	union {
		__kernel_rwf_t	rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;
		__u32		poll32_events;	/* word-swapped on big endian */
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
	};
	__u64	user_data;
	union {
		__u16	buf_index;
		__u16	buf_group;
	} __attribute__((packed));
	__u16	personality;
	union {
		__s32	splice_fd_in;
		__u32	file_index;	/* direct descriptor slot + 1 */
		struct {
			__u16	addr_len;
			__u16	__pad3[1];
		};
	};
	union {
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		__u8	cmd[0];		/* SQE128 rings only */
	};
};

/* sqe->file_index: let the kernel pick a free direct descriptor slot */
#define IORING_FILE_INDEX_ALLOC		(~0U)

enum {
	IOSQE_FIXED_FILE_BIT		= XURING_SQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT		= XURING_SQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT		= XURING_SQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT		= XURING_SQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT			= XURING_SQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT		= XURING_SQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,
};

#define IOSQE_FIXED_FILE		(1U << IOSQE_FIXED_FILE_BIT)
#define IOSQE_IO_DRAIN			(1U << IOSQE_IO_DRAIN_BIT)
#define IOSQE_IO_LINK			(1U << IOSQE_IO_LINK_BIT)
#define IOSQE_IO_HARDLINK		(1U << IOSQE_IO_HARDLINK_BIT)
#define IOSQE_ASYNC			(1U << IOSQE_ASYNC_BIT)
#define IOSQE_BUFFER_SELECT		(1U << IOSQE_BUFFER_SELECT_BIT)
#define IOSQE_CQE_SKIP_SUCCESS		(1U << IOSQE_CQE_SKIP_SUCCESS_BIT)

/* io_uring_params->flags */
#define IORING_SETUP_IOPOLL		(1U << 0)
#define IORING_SETUP_SQPOLL		(1U << 1)
#define IORING_SETUP_SQ_AFF		(1U << 2)
#define IORING_SETUP_CQSIZE		(1U << 3)
#define IORING_SETUP_CLAMP		(1U << 4)
#define IORING_SETUP_ATTACH_WQ		(1U << 5)
#define IORING_SETUP_R_DISABLED		(1U << 6)
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)
#define IORING_SETUP_SQE128		(1U << 10)
#define IORING_SETUP_CQE32		(1U << 11)
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)

enum io_uring_op {
	IORING_OP_NOP			= XURING_OP_NOP,
	IORING_OP_READV			= XURING_OP_READV,
	IORING_OP_WRITEV		= XURING_OP_WRITEV,
	IORING_OP_FSYNC			= XURING_OP_FSYNC,
	IORING_OP_READ_FIXED		= XURING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED		= XURING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD		= XURING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE		= XURING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE	= XURING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG		= XURING_OP_SENDMSG,
	IORING_OP_RECVMSG		= XURING_OP_RECVMSG,
	IORING_OP_TIMEOUT		= XURING_OP_TIMEOUT,
	IORING_OP_TIMEOUT_REMOVE	= XURING_OP_TIMEOUT_REMOVE,
	IORING_OP_ACCEPT		= XURING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL		= XURING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT		= XURING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT		= XURING_OP_CONNECT,
	IORING_OP_FALLOCATE		= XURING_OP_FALLOCATE,
	IORING_OP_OPENAT		= XURING_OP_OPENAT,
	IORING_OP_CLOSE			= XURING_OP_CLOSE,
	IORING_OP_FILES_UPDATE		= XURING_OP_FILES_UPDATE,
	IORING_OP_STATX			= XURING_OP_STATX,
	IORING_OP_READ			= XURING_OP_READ,
	IORING_OP_WRITE			= XURING_OP_WRITE,
	IORING_OP_FADVISE		= XURING_OP_FADVISE,
	IORING_OP_MADVISE		= XURING_OP_MADVISE,
	IORING_OP_SEND			= XURING_OP_SEND,
	IORING_OP_RECV			= XURING_OP_RECV,
	IORING_OP_OPENAT2		= XURING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL		= XURING_OP_EPOLL_CTL,
	IORING_OP_SPLICE		= XURING_OP_SPLICE,
	IORING_OP_PROVIDE_BUFFERS	= XURING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS	= XURING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE			= XURING_OP_TEE,
	/* after 5.10: xuring answers -EINVAL, as 5.10 does */
	IORING_OP_SHUTDOWN,
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,
	IORING_OP_FSETXATTR,
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC,

	IORING_OP_LAST,			/* liburing 2.3's, not xuring's */
};

#define IORING_URING_CMD_FIXED		(1U << 0)

#define IORING_FSYNC_DATASYNC		(1U << 0)

#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

#define SPLICE_F_FD_IN_FIXED		(1U << 31)

/* POLL_ADD command flags, in sqe->len */
#define IORING_POLL_ADD_MULTI		(1U << 0)
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)

/* ASYNC_CANCEL flags, in sqe->cancel_flags */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)
#define IORING_ASYNC_CANCEL_FD		(1U << 1)
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)

/* send/recv flags, in sqe->ioprio */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)

/* accept flags, in sqe->ioprio */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)

/* MSG_RING commands (sqe->addr) and flags (sqe->msg_ring_flags) */
enum {
	IORING_MSG_DATA,
	IORING_MSG_SEND_FD,
};

#define IORING_MSG_RING_CQE_SKIP	(1U << 0)

/* One CQE, 16 bytes (big_cqe[] is there on CQE32 rings only). */
struct io_uring_cqe {
	__u64	user_data;
	__s32	res;
	__u32	flags;
	__u64	big_cqe[];
};

#define IORING_CQE_F_BUFFER		(1U << 0)
#define IORING_CQE_F_MORE		(1U << 1)
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)
#define IORING_CQE_F_NOTIF		(1U << 3)

enum {
	IORING_CQE_BUFFER_SHIFT		= XURING_CQE_BUFFER_SHIFT,
};

#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL

/* Structs whose uapi twins have every member liburing 2.3 names. */
#define io_sqring_offsets		xuring_sqring_offsets
#define io_cqring_offsets		xuring_cqring_offsets
#define io_uring_params			xuring_params
#define io_uring_files_update		xuring_files_update
#define io_uring_probe_op		xuring_probe_op
#define io_uring_probe			xuring_probe
#define io_uring_restriction		xuring_restriction

#define IORING_SQ_NEED_WAKEUP		(1U << 0)
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)
#define IORING_SQ_TASKRUN		(1U << 2)

#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)
#define IORING_ENTER_REGISTERED_RING	(1U << 4)

#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)

enum {
	IORING_REGISTER_BUFFERS		= XURING_REGISTER_BUFFERS,
	IORING_UNREGISTER_BUFFERS	= XURING_UNREGISTER_BUFFERS,
	IORING_REGISTER_FILES		= XURING_REGISTER_FILES,
	IORING_UNREGISTER_FILES		= XURING_UNREGISTER_FILES,
	IORING_REGISTER_EVENTFD		= XURING_REGISTER_EVENTFD,
	IORING_UNREGISTER_EVENTFD	= XURING_UNREGISTER_EVENTFD,
	IORING_REGISTER_FILES_UPDATE	= XURING_REGISTER_FILES_UPDATE,
	IORING_REGISTER_EVENTFD_ASYNC	= XURING_REGISTER_EVENTFD_ASYNC,
	IORING_REGISTER_PROBE		= XURING_REGISTER_PROBE,
	IORING_REGISTER_PERSONALITY	= XURING_REGISTER_PERSONALITY,
	IORING_UNREGISTER_PERSONALITY	= XURING_UNREGISTER_PERSONALITY,
	IORING_REGISTER_RESTRICTIONS	= XURING_REGISTER_RESTRICTIONS,
	IORING_REGISTER_ENABLE_RINGS	= XURING_REGISTER_ENABLE_RINGS,
	/* after 5.10: xuring answers -EINVAL, as 5.10 does */
	IORING_REGISTER_FILES2,
	IORING_REGISTER_FILES_UPDATE2,
	IORING_REGISTER_BUFFERS2,
	IORING_REGISTER_BUFFERS_UPDATE,
	IORING_REGISTER_IOWQ_AFF,
	IORING_UNREGISTER_IOWQ_AFF,
	IORING_REGISTER_IOWQ_MAX_WORKERS,
	IORING_REGISTER_RING_FDS,
	IORING_UNREGISTER_RING_FDS,
	IORING_REGISTER_PBUF_RING,
	IORING_UNREGISTER_PBUF_RING,
	IORING_REGISTER_SYNC_CANCEL,
	IORING_REGISTER_FILE_ALLOC_RANGE,

	IORING_REGISTER_LAST,		/* liburing 2.3's, not xuring's */
};

/* io-wq worker classes (IORING_REGISTER_IOWQ_MAX_WORKERS) */
enum {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

struct io_uring_rsrc_register {
	__u32 nr;
	__u32 flags;
	__u64 resv2;
	__aligned_u64 data;
	__aligned_u64 tags;
};

struct io_uring_rsrc_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
};

struct io_uring_rsrc_update2 {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
	__aligned_u64 tags;
	__u32 nr;
	__u32 resv2;
};

struct io_uring_notification_slot {
	__u64 tag;
	__u64 resv[3];
};

struct io_uring_notification_register {
	__u32 nr_slots;
	__u32 resv;
	__u64 resv2;
	__u64 data;
	__u64 resv3;
};

/* a files update entry that leaves its slot alone */
#define IORING_REGISTER_FILES_SKIP	(-2)

#define IO_URING_OP_SUPPORTED		(1U << 0)

/* A provided buffer of a buffer ring; the ring's tail overlays bufs[0].resv. */
struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;
	__u16	resv;
};

struct io_uring_buf_ring {
	union {
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		struct io_uring_buf	bufs[0];
	};
};

/* IORING_(UN)REGISTER_PBUF_RING's argument */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;
	__u16	bgid;
	__u16	pad;
	__u64	resv[3];
};

enum {
	IORING_RESTRICTION_REGISTER_OP		= XURING_RESTRICTION_REGISTER_OP,
	IORING_RESTRICTION_SQE_OP		= XURING_RESTRICTION_SQE_OP,
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= XURING_RESTRICTION_SQE_FLAGS_ALLOWED,
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= XURING_RESTRICTION_SQE_FLAGS_REQUIRED,
	IORING_RESTRICTION_LAST			= XURING_RESTRICTION_LAST,
};

/* IORING_ENTER_EXT_ARG's argument */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	pad;
	__u64	ts;
};

/* IORING_REGISTER_SYNC_CANCEL's argument */
struct io_uring_sync_cancel_reg {
	__u64				addr;
	__s32				fd;
	__u32				flags;
	struct __kernel_timespec	timeout;
	__u64				pad[4];
};

/* IORING_REGISTER_FILE_ALLOC_RANGE's argument: slots [off, off + len) */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/* The header a multishot RECVMSG puts at the start of each buffer. */
struct io_uring_recvmsg_out {
	__u32 namelen;
	__u32 controllen;
	__u32 payloadlen;
	__u32 flags;
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
