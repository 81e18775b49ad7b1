/* SPDX-License-Identifier: MIT */
/*
 * The body of every prep helper for Linux 5.10's opcodes, written once.
 * Included twice, never directly (no include guard on purpose):
 *   xuring/xuring.h     makes xuring_prep_read(struct xuring_sqe *, ...) ...
 *   xuring/liburing.h   makes io_uring_prep_read(struct io_uring_sqe *, ...) ...
 * from the same text. The includer defines, and this file undefines:
 *   XU_PREP(name)   the helper's name: xuring_prep_##name / io_uring_prep_##name
 *   XU_SQE          the SQE type: struct xuring_sqe / struct io_uring_sqe
 *   XU_OP(NAME)     the opcode: XURING_OP_##NAME / IORING_OP_##NAME
 *   XU_U64          the offset type: uint64_t / __u64 (liburing spells __u64)
 *   XU_OFF          fallocate's offset and length: uint64_t / off_t
 *   XU_FADV_LEN     fadvise's length: unsigned int / off_t
 * and XU_PREP(rw), the one function that differs between the families:
 * xuring_prep_rw() clears the whole SQE, user_data too; io_uring_prep_rw()
 * sets every field except user_data, as liburing 2.3's does.
 *
 * Helpers for opcodes and flags newer than 5.10 use fields struct
 * xuring_sqe does not have (file_index, addr3) and live only in
 * xuring/liburing.h. tools/test/compat-prep-test.c checks the
 * io_uring_prep_ family byte for byte against liburing 2.3's.
 */

static inline void XU_PREP(nop)(XU_SQE *sqe)
{
	XU_PREP(rw)(XU_OP(NOP), sqe, -1, NULL, 0, 0);
}

static inline void XU_PREP(read)(XU_SQE *sqe, int fd, void *buf,
				 unsigned int nbytes, XU_U64 offset)
{
	XU_PREP(rw)(XU_OP(READ), sqe, fd, buf, nbytes, offset);
}

static inline void XU_PREP(write)(XU_SQE *sqe, int fd, const void *buf,
				  unsigned int nbytes, XU_U64 offset)
{
	XU_PREP(rw)(XU_OP(WRITE), sqe, fd, buf, nbytes, offset);
}

static inline void XU_PREP(readv)(XU_SQE *sqe, int fd,
				  const struct iovec *iovecs,
				  unsigned int nr_vecs, XU_U64 offset)
{
	XU_PREP(rw)(XU_OP(READV), sqe, fd, iovecs, nr_vecs, offset);
}

/* flags: RWF_ flags, as preadv2(2)'s */
static inline void XU_PREP(readv2)(XU_SQE *sqe, int fd,
				   const struct iovec *iovecs,
				   unsigned int nr_vecs, XU_U64 offset,
				   int flags)
{
	XU_PREP(readv)(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void XU_PREP(writev)(XU_SQE *sqe, int fd,
				   const struct iovec *iovecs,
				   unsigned int nr_vecs, XU_U64 offset)
{
	XU_PREP(rw)(XU_OP(WRITEV), sqe, fd, iovecs, nr_vecs, offset);
}

static inline void XU_PREP(writev2)(XU_SQE *sqe, int fd,
				    const struct iovec *iovecs,
				    unsigned int nr_vecs, XU_U64 offset,
				    int flags)
{
	XU_PREP(writev)(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

/* buf_index: a buffer registered with register_buffers */
static inline void XU_PREP(read_fixed)(XU_SQE *sqe, int fd, void *buf,
				       unsigned int nbytes, XU_U64 offset,
				       int buf_index)
{
	XU_PREP(rw)(XU_OP(READ_FIXED), sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

static inline void XU_PREP(write_fixed)(XU_SQE *sqe, int fd, const void *buf,
					unsigned int nbytes, XU_U64 offset,
					int buf_index)
{
	XU_PREP(rw)(XU_OP(WRITE_FIXED), sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

static inline void XU_PREP(fsync)(XU_SQE *sqe, int fd, unsigned int fsync_flags)
{
	XU_PREP(rw)(XU_OP(FSYNC), sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

static inline void XU_PREP(sync_file_range)(XU_SQE *sqe, int fd,
					    unsigned int len, XU_U64 offset,
					    int flags)
{
	XU_PREP(rw)(XU_OP(SYNC_FILE_RANGE), sqe, fd, NULL, len, offset);
	sqe->sync_range_flags = (uint32_t)flags;
}

static inline void XU_PREP(poll_add)(XU_SQE *sqe, int fd,
				     unsigned int poll_mask)
{
	XU_PREP(rw)(XU_OP(POLL_ADD), sqe, fd, NULL, 0, 0);
	sqe->poll32_events = __xuring_prep_poll_mask(poll_mask);
}

/* user_data: the POLL_ADD to remove */
static inline void XU_PREP(poll_remove)(XU_SQE *sqe, XU_U64 user_data)
{
	XU_PREP(rw)(XU_OP(POLL_REMOVE), sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

static inline void XU_PREP(sendmsg)(XU_SQE *sqe, int fd,
				    const struct msghdr *msg,
				    unsigned int flags)
{
	XU_PREP(rw)(XU_OP(SENDMSG), sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void XU_PREP(recvmsg)(XU_SQE *sqe, int fd, struct msghdr *msg,
				    unsigned int flags)
{
	XU_PREP(rw)(XU_OP(RECVMSG), sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/* Sockets: flags are MSG_* for send/recv, SOCK_CLOEXEC/NONBLOCK for accept. */
static inline void XU_PREP(send)(XU_SQE *sqe, int sockfd, const void *buf,
				 size_t len, int flags)
{
	XU_PREP(rw)(XU_OP(SEND), sqe, sockfd, buf, (uint32_t)len, 0);
	sqe->msg_flags = (uint32_t)flags;
}

static inline void XU_PREP(recv)(XU_SQE *sqe, int sockfd, void *buf,
				 size_t len, int flags)
{
	XU_PREP(rw)(XU_OP(RECV), sqe, sockfd, buf, (uint32_t)len, 0);
	sqe->msg_flags = (uint32_t)flags;
}

/* 'count' completions, or the time in ts, whichever comes first */
static inline void XU_PREP(timeout)(XU_SQE *sqe, struct __kernel_timespec *ts,
				    unsigned int count, unsigned int flags)
{
	XU_PREP(rw)(XU_OP(TIMEOUT), sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

static inline void XU_PREP(timeout_remove)(XU_SQE *sqe, XU_U64 user_data,
					   unsigned int flags)
{
	XU_PREP(rw)(XU_OP(TIMEOUT_REMOVE), sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

static inline void XU_PREP(link_timeout)(XU_SQE *sqe,
					 struct __kernel_timespec *ts,
					 unsigned int flags)
{
	XU_PREP(rw)(XU_OP(LINK_TIMEOUT), sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

static inline void XU_PREP(accept)(XU_SQE *sqe, int fd, struct sockaddr *addr,
				   socklen_t *addrlen, int flags)
{
	XU_PREP(rw)(XU_OP(ACCEPT), sqe, fd, addr, 0,
		    (uint64_t)(uintptr_t)addrlen);
	sqe->accept_flags = (uint32_t)flags;
}

static inline void XU_PREP(connect)(XU_SQE *sqe, int fd,
				    const struct sockaddr *addr,
				    socklen_t addrlen)
{
	XU_PREP(rw)(XU_OP(CONNECT), sqe, fd, addr, 0, addrlen);
}

/* user_data: the request to cancel */
static inline void XU_PREP(cancel64)(XU_SQE *sqe, XU_U64 user_data, int flags)
{
	XU_PREP(rw)(XU_OP(ASYNC_CANCEL), sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (uint32_t)flags;
}

static inline void XU_PREP(cancel)(XU_SQE *sqe, void *user_data, int flags)
{
	XU_PREP(cancel64)(sqe, (uint64_t)(uintptr_t)user_data, flags);
}

/* nr_fds fds into the registered file table from slot 'offset' */
static inline void XU_PREP(files_update)(XU_SQE *sqe, int *fds,
					 unsigned int nr_fds, int offset)
{
	XU_PREP(rw)(XU_OP(FILES_UPDATE), sqe, -1, fds, nr_fds,
		    (uint64_t)offset);
}

static inline void XU_PREP(fallocate)(XU_SQE *sqe, int fd, int mode,
				      XU_OFF offset, XU_OFF len)
{
	XU_PREP(rw)(XU_OP(FALLOCATE), sqe, fd, NULL, (unsigned int)mode,
		    (uint64_t)offset);
	sqe->addr = (uint64_t)len;
}

/* Paths resolve against the submitter's cwd and root, as openat(2)'s do. */
static inline void XU_PREP(openat)(XU_SQE *sqe, int dfd, const char *path,
				   int flags, mode_t mode)
{
	XU_PREP(rw)(XU_OP(OPENAT), sqe, dfd, path, mode, 0);
	sqe->open_flags = (uint32_t)flags;
}

static inline void XU_PREP(openat2)(XU_SQE *sqe, int dfd, const char *path,
				    struct open_how *how)
{
	/* sizeof(struct open_how), which xuring.h leaves incomplete:
	 * flags, mode, resolve (compat.c checks it) */
	XU_PREP(rw)(XU_OP(OPENAT2), sqe, dfd, path, 24,
		    (uint64_t)(uintptr_t)how);
}

static inline void XU_PREP(close)(XU_SQE *sqe, int fd)
{
	XU_PREP(rw)(XU_OP(CLOSE), sqe, fd, NULL, 0, 0);
}

static inline void XU_PREP(statx)(XU_SQE *sqe, int dfd, const char *path,
				  int flags, unsigned int mask,
				  struct statx *statxbuf)
{
	XU_PREP(rw)(XU_OP(STATX), sqe, dfd, path, mask,
		    (uint64_t)(uintptr_t)statxbuf);
	sqe->statx_flags = (uint32_t)flags;
}

static inline void XU_PREP(fadvise)(XU_SQE *sqe, int fd, XU_U64 offset,
				    XU_FADV_LEN len, int advice)
{
	XU_PREP(rw)(XU_OP(FADVISE), sqe, fd, NULL, (uint32_t)len, offset);
	sqe->fadvise_advice = (uint32_t)advice;
}

static inline void XU_PREP(madvise)(XU_SQE *sqe, void *addr, off_t length,
				    int advice)
{
	XU_PREP(rw)(XU_OP(MADVISE), sqe, -1, addr, (uint32_t)length, 0);
	sqe->fadvise_advice = (uint32_t)advice;
}

static inline void XU_PREP(epoll_ctl)(XU_SQE *sqe, int epfd, int fd, int op,
				      struct epoll_event *ev)
{
	XU_PREP(rw)(XU_OP(EPOLL_CTL), sqe, epfd, ev, (uint32_t)op,
		    (uint32_t)fd);
}

/* off_in/off_out -1: the file position (pipes take no offset). */
static inline void XU_PREP(splice)(XU_SQE *sqe, int fd_in, int64_t off_in,
				   int fd_out, int64_t off_out,
				   unsigned int nbytes,
				   unsigned int splice_flags)
{
	XU_PREP(rw)(XU_OP(SPLICE), sqe, fd_out, NULL, nbytes,
		    (uint64_t)off_out);
	sqe->splice_off_in = (uint64_t)off_in;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

static inline void XU_PREP(tee)(XU_SQE *sqe, int fd_in, int fd_out,
				unsigned int nbytes, unsigned int splice_flags)
{
	XU_PREP(rw)(XU_OP(TEE), sqe, fd_out, NULL, nbytes, 0);
	sqe->splice_off_in = 0;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

/* nr buffers of len bytes from addr into group bgid, ids from bid up */
static inline void XU_PREP(provide_buffers)(XU_SQE *sqe, void *addr, int len,
					    int nr, int bgid, int bid)
{
	XU_PREP(rw)(XU_OP(PROVIDE_BUFFERS), sqe, nr, addr, (uint32_t)len,
		    (uint64_t)bid);
	sqe->buf_group = (uint16_t)bgid;
}

static inline void XU_PREP(remove_buffers)(XU_SQE *sqe, int nr, int bgid)
{
	XU_PREP(rw)(XU_OP(REMOVE_BUFFERS), sqe, nr, NULL, 0, 0);
	sqe->buf_group = (uint16_t)bgid;
}

#undef XU_PREP
#undef XU_SQE
#undef XU_OP
#undef XU_U64
#undef XU_OFF
#undef XU_FADV_LEN
