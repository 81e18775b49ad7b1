/* SPDX-License-Identifier: MIT */
/*
 * Every prep helper of liburing 2.3 (5.10's opcodes and the later ones),
 * with odd arguments, into S(0), S(1), ...: included
 * by compat-prep-ref.c (liburing.h) and compat-prep-test.c
 * (xuring/liburing.h), which then compare the SQE bytes. The SQEs arrive
 * filled with a pattern, so a field a helper forgets to set shows up, and
 * user_data must survive every helper (liburing 2.3 leaves it alone).
 */
{
	struct iovec *iov = (struct iovec *)(uintptr_t)0x1111000;
	struct __kernel_timespec *ts = (struct __kernel_timespec *)(uintptr_t)0x2222000;
	struct msghdr *msg = (struct msghdr *)(uintptr_t)0x3333000;
	struct sockaddr *sa = (struct sockaddr *)(uintptr_t)0x4444000;
	socklen_t *salen = (socklen_t *)(uintptr_t)0x5555000;
	int *fds = (int *)(uintptr_t)0x6666000;
	struct statx *stx = (struct statx *)(uintptr_t)0x7777000;
	struct epoll_event *ev = (struct epoll_event *)(uintptr_t)0x8888000;
	struct open_how *how = (struct open_how *)(uintptr_t)0x9999000;
	void *buf = (void *)(uintptr_t)0xabcd000;
	const char *p1 = (const char *)(uintptr_t)0xbbbb000;
	const char *p2 = (const char *)(uintptr_t)0xcccc000;
	char *val = (char *)(uintptr_t)0xdddd000;
	unsigned int n = 0;

	io_uring_prep_rw(IORING_OP_READ, S(n++), 3, buf, 4096, 1ULL << 40);
	io_uring_prep_nop(S(n++));
	io_uring_prep_read(S(n++), 4, buf, 512, 77);
	io_uring_prep_write(S(n++), 5, buf, 513, (__u64)-1);
	io_uring_prep_readv(S(n++), 6, iov, 3, 4096);
	io_uring_prep_readv2(S(n++), 6, iov, 3, 4096, 0x10);
	io_uring_prep_writev(S(n++), 7, iov, 2, 8192);
	io_uring_prep_writev2(S(n++), 7, iov, 2, 8192, 0x4);
	io_uring_prep_read_fixed(S(n++), 8, buf, 4096, 0, 3);
	io_uring_prep_write_fixed(S(n++), 8, buf, 4096, 4096, 65535);
	io_uring_prep_fsync(S(n++), 9, IORING_FSYNC_DATASYNC);
	io_uring_prep_sync_file_range(S(n++), 9, 1000, 2000, 3);
	io_uring_prep_poll_add(S(n++), 10, 0x1 | 0x4);
	io_uring_prep_poll_remove(S(n++), 0x123456789ULL);
	io_uring_prep_sendmsg(S(n++), 11, msg, 0x40);
	io_uring_prep_recvmsg(S(n++), 11, msg, 0x100);
	io_uring_prep_send(S(n++), 12, buf, 99, 0x4000);
	io_uring_prep_recv(S(n++), 12, buf, 98, 0x2);
	io_uring_prep_timeout(S(n++), ts, 5, IORING_TIMEOUT_ABS);
	io_uring_prep_timeout_remove(S(n++), 42, 0);
	io_uring_prep_link_timeout(S(n++), ts, 0);
	io_uring_prep_accept(S(n++), 13, sa, salen, 0x800);
	io_uring_prep_connect(S(n++), 14, sa, 16);
	io_uring_prep_cancel64(S(n++), 0xfeedULL, 0);
	io_uring_prep_cancel(S(n++), buf, 0);
	io_uring_prep_files_update(S(n++), fds, 4, 2);
	io_uring_prep_fallocate(S(n++), 15, 1, 4096, 1 << 20);
	io_uring_prep_openat(S(n++), -100, "/tmp/x", 0101, 0644);
	io_uring_prep_openat2(S(n++), -100, "/tmp/y", how);
	io_uring_prep_close(S(n++), 16);
	io_uring_prep_statx(S(n++), -100, "/tmp/z", 0x100, 0x7ff, stx);
	io_uring_prep_fadvise(S(n++), 17, 4096, 8192, 4);
	io_uring_prep_madvise(S(n++), buf, 8192, 4);
	io_uring_prep_epoll_ctl(S(n++), 18, 19, 1, ev);
	io_uring_prep_splice(S(n++), 20, -1, 21, 100, 4096, 0x4);
	io_uring_prep_tee(S(n++), 22, 23, 1024, 0x1);
	io_uring_prep_provide_buffers(S(n++), buf, 4096, 16, 7, 1);
	io_uring_prep_remove_buffers(S(n++), 16, 7);
	io_uring_sqe_set_flags(S(n - 1), IOSQE_IO_LINK | IOSQE_ASYNC);
	/* after 5.10 */
	io_uring_prep_poll_multishot(S(n++), 10, 0x41);
	io_uring_prep_poll_update(S(n++), 0x1234, 0x5678, 0x4,
				  IORING_POLL_UPDATE_EVENTS);
	io_uring_prep_timeout_update(S(n++), ts, 43, IORING_TIMEOUT_ABS);
	io_uring_prep_accept_direct(S(n++), 13, sa, salen, 0x800, 5);
	io_uring_prep_multishot_accept(S(n++), 13, sa, salen, 0);
	io_uring_prep_multishot_accept_direct(S(n++), 13, sa, salen, 0);
	io_uring_prep_cancel_fd(S(n++), 24, IORING_ASYNC_CANCEL_ALL);
	io_uring_prep_openat_direct(S(n++), -100, "/tmp/x", 0101, 0644, 6);
	io_uring_prep_openat2_direct(S(n++), -100, "/tmp/y", how, 7);
	io_uring_prep_close_direct(S(n++), 8);
	io_uring_prep_recvmsg_multishot(S(n++), 11, msg, 0x100);
	io_uring_prep_sendmsg_zc(S(n++), 11, msg, 0x40);
	io_uring_prep_send_zc(S(n++), 12, buf, 97, 0x4000, 1);
	io_uring_prep_send_zc_fixed(S(n++), 12, buf, 96, 0, 1, 9);
	io_uring_prep_send_set_addr(S(n - 1), sa, 16);
	io_uring_prep_recv_multishot(S(n++), 12, buf, 95, 0);
	io_uring_prep_shutdown(S(n++), 25, 1);
	io_uring_prep_unlinkat(S(n++), 26, p1, 0x200);
	io_uring_prep_unlink(S(n++), p1, 0);
	io_uring_prep_renameat(S(n++), 27, p1, 28, p2, 1);
	io_uring_prep_rename(S(n++), p1, p2);
	io_uring_prep_mkdirat(S(n++), 29, p1, 0755);
	io_uring_prep_mkdir(S(n++), p1, 0700);
	io_uring_prep_symlinkat(S(n++), p1, 30, p2);
	io_uring_prep_symlink(S(n++), p1, p2);
	io_uring_prep_linkat(S(n++), 31, p1, 32, p2, 0x400);
	io_uring_prep_link(S(n++), p1, p2, 0);
	io_uring_prep_msg_ring(S(n++), 33, 44, 0xabcdefULL, 0);
	io_uring_prep_getxattr(S(n++), p1, val, p2, 64);
	io_uring_prep_setxattr(S(n++), p1, p2, p1, 1, 63);
	io_uring_prep_fgetxattr(S(n++), 34, p1, val, 62);
	io_uring_prep_fsetxattr(S(n++), 35, p1, p2, 2, 61);
	io_uring_prep_socket(S(n++), 2, 1, 6, 0);
	io_uring_prep_socket_direct(S(n++), 10, 2, 17, 3, 0);
	io_uring_prep_socket_direct_alloc(S(n++), 1, 5, 0, 0);
	io_uring_sqe_set_data(S(n++), buf);
	io_uring_sqe_set_data64(S(n++), 0x0123456789abcdefULL);
	nprep = n;
}
