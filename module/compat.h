/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shims for the kernel versions xuring builds against (Debian's 6.1 and 6.12),
 * so that the rest of the module reads like mainline code.
 */
#ifndef XR_COMPAT_H
#define XR_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <net/sock.h>

/* 6.9 gave kiocb_set_rw_flags() the direction of the I/O (for RWF_ATOMIC). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define xr_kiocb_set_rw_flags(kiocb, flags, rw) \
	kiocb_set_rw_flags(kiocb, flags, rw)
#else
#define xr_kiocb_set_rw_flags(kiocb, flags, rw) \
	kiocb_set_rw_flags(kiocb, flags)
#endif

/*
 * 6.7 moved the superblock's freeze protection into vfs_iocb_iter_write():
 * kiocb_start_write() before the write, kiocb_end_write() when it returns
 * anything but -EIOCBQUEUED. Before that, callers did both themselves.
 * Either way, an async completion ends it with kiocb_end_write().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
static inline void xr_kiocb_start_write(struct kiocb *kiocb) { }
static inline void xr_kiocb_end_write_sync(struct kiocb *kiocb) { }
#else
#define xr_kiocb_start_write(kiocb)	kiocb_start_write(kiocb)
#define xr_kiocb_end_write_sync(kiocb)	kiocb_end_write(kiocb)
#endif

/* 6.10 passed the protocol's accept() its arguments in a struct. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static inline int xr_sock_accept(struct socket *sock, struct socket *newsock,
				 int flags)
{
	struct proto_accept_arg arg = { .flags = flags, .kern = false };

	return READ_ONCE(sock->ops)->accept(sock, newsock, &arg);
}
#else
static inline int xr_sock_accept(struct socket *sock, struct socket *newsock,
				 int flags)
{
	return sock->ops->accept(sock, newsock, flags, false);
}
#endif

#endif /* XR_COMPAT_H */
