/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shims for the kernel versions xuring builds against (Debian's 6.1 and 6.12),
 * so that the rest of the module reads like mainline code.
 */
#ifndef XR_COMPAT_H
#define XR_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/fs.h>

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

/* 6.8 dropped eventfd_signal()'s count: a signal adds one. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define xr_eventfd_signal_one(evctx)	eventfd_signal(evctx)
#else
#define xr_eventfd_signal_one(evctx)	eventfd_signal(evctx, 1)
#endif

/* Poll once, without sleeping: 6.x dropped NOSLEEP (polling never sleeps). */
#ifdef BLK_POLL_NOSLEEP
#define XR_BLK_POLL_ONCE	(BLK_POLL_NOSLEEP | BLK_POLL_ONESHOT)
#else
#define XR_BLK_POLL_ONCE	BLK_POLL_ONESHOT
#endif

#endif /* XR_COMPAT_H */
