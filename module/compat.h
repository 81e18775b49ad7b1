/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shims for the kernel versions xuring builds against (Debian's 6.1 and 6.12),
 * so that the rest of the module reads like mainline code.
 */
#ifndef XR_COMPAT_H
#define XR_COMPAT_H

#include <linux/version.h>
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
 * 6.7 moved file_start_write() into vfs_iocb_iter_write(); before that its
 * callers took the superblock's freeze protection themselves.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
static inline void xr_file_start_write(struct file *file) { }
static inline void xr_file_end_write(struct file *file) { }
#else
#define xr_file_start_write(file)	file_start_write(file)
#define xr_file_end_write(file)		file_end_write(file)
#endif

#endif /* XR_COMPAT_H */
