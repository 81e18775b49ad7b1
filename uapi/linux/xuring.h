/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * xuring: the io_uring 5.10 ABI served by a misc device, /dev/xuring.
 * Same byte layouts and values as <linux/io_uring.h>, with an XURING_ prefix.
 */
#ifndef _UAPI_LINUX_XURING_H
#define _UAPI_LINUX_XURING_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* One submission queue entry: 64 bytes, laid out as struct io_uring_sqe. */
struct xuring_sqe {
	__u8	opcode;		/* type of operation for this sqe */
	__u8	flags;		/* XURING_SQE_ flags */
	__u16	ioprio;		/* ioprio for the request */
	__s32	fd;		/* file descriptor to do IO on */
	union {
		__u64	off;	/* offset into file */
		__u64	addr2;
	};
	union {
		__u64	addr;	/* pointer to buffer or iovecs */
		__u64	splice_off_in;
	};
	__u32	len;		/* buffer size or number of iovecs */
	union {
		__s32		rw_flags;	/* RWF_ flags (__kernel_rwf_t) */
		__u32		fsync_flags;
		__u16		poll_events;	/* compatibility */
		__u32		poll32_events;	/* word-reversed for BE */
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
	};
	__u64	user_data;	/* data to be passed back at completion time */
	union {
		struct {
			/* index into fixed buffers, or buffer group to select from */
			union {
				__u16	buf_index;
				__u16	buf_group;
			} __attribute__((packed));
			/* personality to use, if used */
			__u16	personality;
			__s32	splice_fd_in;
		};
		__u64	__pad2[3];
	};
};

enum {
	XURING_SQE_FIXED_FILE_BIT,
	XURING_SQE_IO_DRAIN_BIT,
	XURING_SQE_IO_LINK_BIT,
	XURING_SQE_IO_HARDLINK_BIT,
	XURING_SQE_ASYNC_BIT,
	XURING_SQE_BUFFER_SELECT_BIT,
	XURING_SQE_CQE_SKIP_SUCCESS_BIT,
};

/* sqe->flags */
#define XURING_SQE_FIXED_FILE		(1U << XURING_SQE_FIXED_FILE_BIT)
#define XURING_SQE_IO_DRAIN		(1U << XURING_SQE_IO_DRAIN_BIT)
#define XURING_SQE_IO_LINK		(1U << XURING_SQE_IO_LINK_BIT)
#define XURING_SQE_IO_HARDLINK		(1U << XURING_SQE_IO_HARDLINK_BIT)
#define XURING_SQE_ASYNC		(1U << XURING_SQE_ASYNC_BIT)
#define XURING_SQE_BUFFER_SELECT	(1U << XURING_SQE_BUFFER_SELECT_BIT)
/* no CQE if the request succeeds (5.17) */
#define XURING_SQE_CQE_SKIP_SUCCESS	(1U << XURING_SQE_CQE_SKIP_SUCCESS_BIT)

/* xuring_params->flags */
#define XURING_SETUP_IOPOLL	(1U << 0)	/* io_context is polled */
#define XURING_SETUP_SQPOLL	(1U << 1)	/* SQ poll thread */
#define XURING_SETUP_SQ_AFF	(1U << 2)	/* sq_thread_cpu is valid */
#define XURING_SETUP_CQSIZE	(1U << 3)	/* app defines CQ size */
#define XURING_SETUP_CLAMP	(1U << 4)	/* clamp SQ/CQ ring sizes */
#define XURING_SETUP_ATTACH_WQ	(1U << 5)	/* attach to existing wq */
#define XURING_SETUP_R_DISABLED	(1U << 6)	/* start with ring disabled */
#define XURING_SETUP_SUBMIT_ALL	(1U << 7)	/* go on past an SQE's error */
/* task_work for the ring's requests does not interrupt its task (5.19) */
#define XURING_SETUP_COOP_TASKRUN	(1U << 8)
/* ... and XURING_SQ_TASKRUN says when some waits (5.19) */
#define XURING_SETUP_TASKRUN_FLAG	(1U << 9)
/* bits 10 and 11, SQE128 and CQE32, are not offered */
/* one task submits and registers: the one that set it up or enabled it (6.0) */
#define XURING_SETUP_SINGLE_ISSUER	(1U << 12)

enum {
	XURING_OP_NOP,
	XURING_OP_READV,
	XURING_OP_WRITEV,
	XURING_OP_FSYNC,
	XURING_OP_READ_FIXED,
	XURING_OP_WRITE_FIXED,
	XURING_OP_POLL_ADD,
	XURING_OP_POLL_REMOVE,
	XURING_OP_SYNC_FILE_RANGE,
	XURING_OP_SENDMSG,
	XURING_OP_RECVMSG,
	XURING_OP_TIMEOUT,
	XURING_OP_TIMEOUT_REMOVE,
	XURING_OP_ACCEPT,
	XURING_OP_ASYNC_CANCEL,
	XURING_OP_LINK_TIMEOUT,
	XURING_OP_CONNECT,
	XURING_OP_FALLOCATE,
	XURING_OP_OPENAT,
	XURING_OP_CLOSE,
	XURING_OP_FILES_UPDATE,
	XURING_OP_STATX,
	XURING_OP_READ,
	XURING_OP_WRITE,
	XURING_OP_FADVISE,
	XURING_OP_MADVISE,
	XURING_OP_SEND,
	XURING_OP_RECV,
	XURING_OP_OPENAT2,
	XURING_OP_EPOLL_CTL,
	XURING_OP_SPLICE,
	XURING_OP_PROVIDE_BUFFERS,
	XURING_OP_REMOVE_BUFFERS,
	XURING_OP_TEE,

	/* this goes last, obviously */
	XURING_OP_LAST,
};

/* sqe->fsync_flags */
#define XURING_FSYNC_DATASYNC	(1U << 0)

/* sqe->timeout_flags */
#define XURING_TIMEOUT_ABS		(1U << 0)
/* TIMEOUT_REMOVE: re-arm the TIMEOUT at addr2's time instead (5.11) */
#define XURING_TIMEOUT_UPDATE		(1U << 1)
#define XURING_TIMEOUT_BOOTTIME		(1U << 2)	/* CLOCK_BOOTTIME (5.15) */
#define XURING_TIMEOUT_REALTIME		(1U << 3)	/* CLOCK_REALTIME (5.15) */
#define XURING_TIMEOUT_CLOCK_MASK	(XURING_TIMEOUT_BOOTTIME | \
					 XURING_TIMEOUT_REALTIME)
/* bit 4, LINK_TIMEOUT_UPDATE, is not offered */
/* expiry is no failure: the chain goes on (6.0) */
#define XURING_TIMEOUT_ETIME_SUCCESS	(1U << 5)

/* sqe->splice_flags; extends splice(2) flags */
#define XURING_SPLICE_F_FD_IN_FIXED	(1U << 31)

/* One completion queue entry: 16 bytes, laid out as struct io_uring_cqe. */
struct xuring_cqe {
	__u64	user_data;	/* sqe->user_data, passed back */
	__s32	res;		/* result code for this event */
	__u32	flags;
};

/* cqe->flags: XURING_CQE_F_BUFFER, the upper 16 bits hold the buffer id */
#define XURING_CQE_F_BUFFER		(1U << 0)

enum {
	XURING_CQE_BUFFER_SHIFT		= 16,
};

/* Magic offsets for the application to mmap the data it needs */
#define XURING_OFF_SQ_RING		0ULL
#define XURING_OFF_CQ_RING		0x8000000ULL
#define XURING_OFF_SQES			0x10000000ULL

/* Filled with the offset for mmap(2) */
struct xuring_sqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 flags;
	__u32 dropped;
	__u32 array;
	__u32 resv1;
	__u64 resv2;
};

/* sq_ring->flags */
#define XURING_SQ_NEED_WAKEUP	(1U << 0)	/* needs enter with SQ_WAKEUP */
#define XURING_SQ_CQ_OVERFLOW	(1U << 1)	/* CQ ring is overflown */
#define XURING_SQ_TASKRUN	(1U << 2)	/* task_work waits: enter */

struct xuring_cqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 overflow;
	__u32 cqes;
	__u32 flags;
	__u32 resv1;
	__u64 resv2;
};

/* cq_ring->flags: disable eventfd notifications */
#define XURING_CQ_EVENTFD_DISABLED	(1U << 0)

/* xuring_enter_args->flags */
#define XURING_ENTER_GETEVENTS	(1U << 0)
#define XURING_ENTER_SQ_WAKEUP	(1U << 1)
#define XURING_ENTER_SQ_WAIT	(1U << 2)
#define XURING_ENTER_EXT_ARG	(1U << 3)	/* sigmask: a getevents_arg */

/* Passed in for XURING_IOC_SETUP, copied back with updated info on success */
struct xuring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
	__u32 wq_fd;
	__u32 resv[3];
	struct xuring_sqring_offsets sq_off;
	struct xuring_cqring_offsets cq_off;
};

/* xuring_params->features */
#define XURING_FEAT_SINGLE_MMAP		(1U << 0)
#define XURING_FEAT_NODROP		(1U << 1)
#define XURING_FEAT_SUBMIT_STABLE	(1U << 2)
#define XURING_FEAT_RW_CUR_POS		(1U << 3)
#define XURING_FEAT_CUR_PERSONALITY	(1U << 4)
#define XURING_FEAT_FAST_POLL		(1U << 5)
#define XURING_FEAT_POLL_32BITS		(1U << 6)
/* bit 7, SQPOLL_NONFIXED, is not offered: see the README */
#define XURING_FEAT_EXT_ARG		(1U << 8)
/* bits 9 and 10, NATIVE_WORKERS and RSRC_TAGS, are not offered */
#define XURING_FEAT_CQE_SKIP		(1U << 11)

/* xuring_register_args->opcode */
enum {
	XURING_REGISTER_BUFFERS			= 0,
	XURING_UNREGISTER_BUFFERS		= 1,
	XURING_REGISTER_FILES			= 2,
	XURING_UNREGISTER_FILES			= 3,
	XURING_REGISTER_EVENTFD			= 4,
	XURING_UNREGISTER_EVENTFD		= 5,
	XURING_REGISTER_FILES_UPDATE		= 6,
	XURING_REGISTER_EVENTFD_ASYNC		= 7,
	XURING_REGISTER_PROBE			= 8,
	XURING_REGISTER_PERSONALITY		= 9,
	XURING_UNREGISTER_PERSONALITY		= 10,
	XURING_REGISTER_RESTRICTIONS		= 11,
	XURING_REGISTER_ENABLE_RINGS		= 12,

	/* this goes last */
	XURING_REGISTER_LAST
};

struct xuring_files_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 /* __s32 * */ fds;
};

#define XURING_OP_SUPPORTED	(1U << 0)

struct xuring_probe_op {
	__u8 op;
	__u8 resv;
	__u16 flags;	/* XURING_OP_SUPPORTED */
	__u32 resv2;
};

struct xuring_probe {
	__u8 last_op;	/* last opcode supported */
	__u8 ops_len;	/* length of ops[] array below */
	__u16 resv;
	__u32 resv2[3];
	struct xuring_probe_op ops[];
};

struct xuring_restriction {
	__u16 opcode;
	union {
		__u8 register_op;	/* XURING_RESTRICTION_REGISTER_OP */
		__u8 sqe_op;		/* XURING_RESTRICTION_SQE_OP */
		__u8 sqe_flags;		/* XURING_RESTRICTION_SQE_FLAGS_* */
	};
	__u8 resv;
	__u32 resv2[3];
};

/* xuring_restriction->opcode values */
enum {
	/* Allow an xuring_register_args opcode */
	XURING_RESTRICTION_REGISTER_OP		= 0,
	/* Allow an sqe opcode */
	XURING_RESTRICTION_SQE_OP		= 1,
	/* Allow sqe flags */
	XURING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,
	/* Require sqe flags (these flags must be set on each submission) */
	XURING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,

	XURING_RESTRICTION_LAST
};

/*
 * The device's calls. They take the place of the three io_uring system calls:
 * the ring lives on the open file of /dev/xuring that XURING_IOC_SETUP is
 * called on, and that file is the ring fd for ENTER, REGISTER, mmap and poll.
 */
struct xuring_enter_args {
	__u32 to_submit;
	__u32 min_complete;
	__u32 flags;		/* XURING_ENTER_ flags */
	__u32 resv;		/* must be zero */
	__u64 sigmask;		/* const sigset_t *, or 0 */
	__u64 sigmask_sz;	/* size of *sigmask: _NSIG / 8 */
};

/*
 * With XURING_ENTER_EXT_ARG, xuring_enter_args->sigmask points at this and
 * sigmask_sz is its size, as io_uring_enter(2)'s argp and argsz do.
 */
struct xuring_getevents_arg {
	__u64 sigmask;		/* const sigset_t *, or 0 */
	__u32 sigmask_sz;	/* size of *sigmask: _NSIG / 8 */
	__u32 pad;		/* must be zero */
	__u64 ts;		/* struct __kernel_timespec *: relative, or 0 */
};

struct xuring_register_args {
	__u32 opcode;		/* XURING_REGISTER_ opcode */
	__u32 nr_args;
	__u64 arg;		/* pointer, as io_uring_register(2)'s arg */
};

/*
 * 0xD4: a code no driver uses in Documentation/userspace-api/ioctl/
 * ioctl-number.rst (0xB5, used before 0.1.0, is rpmsg's)
 */
#define XURING_IOC_MAGIC	0xD4
#define XURING_IOC_SETUP	_IOWR(XURING_IOC_MAGIC, 0x00, struct xuring_params)
#define XURING_IOC_ENTER	_IOW(XURING_IOC_MAGIC, 0x01, struct xuring_enter_args)
#define XURING_IOC_REGISTER	_IOW(XURING_IOC_MAGIC, 0x02, struct xuring_register_args)

#endif /* _UAPI_LINUX_XURING_H */
