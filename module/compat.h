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
#include <linux/fsnotify.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/pipe_fs_i.h>
#include <linux/splice.h>
#include <linux/sched/signal.h>
#include <linux/stat.h>
#include <linux/uaccess.h>
#include <net/sock.h>

/*
 * blk_start_plug_nr_ios() is not exported: start the plug, then let it
 * allocate the tags of up to @nr requests in one go, as that call would
 * (struct blk_plug and its nr_ios are in blkdev.h, 6.1 and 6.12 alike).
 */
/* the block layer's own cap (BLK_MAX_REQUEST_COUNT, not in a public header) */
#define XR_PLUG_MAX_IOS		32

static inline void xr_blk_start_plug_nr_ios(struct blk_plug *plug,
					    unsigned short nr)
{
	blk_start_plug(plug);
	if (current->plug == plug)
		plug->nr_ios = min_t(unsigned short, nr, XR_PLUG_MAX_IOS);
}

/*
 * __uninitialized (no automatic zeroing of a stack variable) came with
 * 6.1.x's compiler_attributes.h; dkms.conf takes any 6.1, older ones too.
 */
#ifndef __uninitialized
#define __uninitialized
#endif

/* 6.3 made the VMA's flags writable only through vm_flags_set(). */
static inline void xr_vm_flags_set(struct vm_area_struct *vma,
				   vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * A reference to the file *@fp points to, if it is still open; under
 * rcu_read_lock(). 6.7 made get_file_rcu() take the pointer's address (and
 * files may be reused under RCU since, which it checks).
 */
static inline struct file *xr_get_file_rcu(struct file __rcu **fp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return get_file_rcu(fp);
#else
	struct file *file = rcu_dereference(*fp);

	return file && get_file_rcu(file) ? file : NULL;
#endif
}

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

/*
 * vfs_path_lookup() is exported all along, but declared outside
 * fs/internal.h only in later kernels (6.12 has it in <linux/namei.h>).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/*
 * 6.9 moved the open event into do_dentry_open(); before that, callers of
 * filp_open() and file_open_root() that stand for open(2) sent it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline void xr_fsnotify_open(struct file *file) { }
#else
#define xr_fsnotify_open(file)	fsnotify_open(file)
#endif

/* statx fields newer than 6.1's: the subvolume (6.10), atomic writes (6.11). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static inline void xr_statx_fill_newer(struct statx *tmp,
				       const struct kstat *stat)
{
	tmp->stx_subvol = stat->subvol;
	tmp->stx_atomic_write_unit_min = stat->atomic_write_unit_min;
	tmp->stx_atomic_write_unit_max = stat->atomic_write_unit_max;
	tmp->stx_atomic_write_segments_max = stat->atomic_write_segments_max;
}
#else
static inline void xr_statx_fill_newer(struct statx *tmp,
				       const struct kstat *stat) { }
#endif

/*
 * A file's data into a pipe, as splice(2) reads it. 6.5 exported
 * vfs_splice_read() (which also reads O_DIRECT and DAX files by copying);
 * before, splice(2) called ->splice_read after these same checks.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define xr_vfs_splice_read(in, ppos, pipe, len, flags) \
	vfs_splice_read(in, ppos, pipe, len, flags)
#else
static inline long xr_vfs_splice_read(struct file *in, loff_t *ppos,
				      struct pipe_inode_info *pipe,
				      size_t len, unsigned int flags)
{
	unsigned int p_space;
	int ret;

	if (unlikely(!(in->f_mode & FMODE_READ)))
		return -EBADF;
	/* no more than the pipe has room for */
	p_space = pipe->max_usage - pipe_occupancy(pipe->head, pipe->tail);
	len = min_t(size_t, len, p_space << PAGE_SHIFT);
	ret = rw_verify_area(READ, in, ppos, len);
	if (unlikely(ret < 0))
		return ret;
	if (unlikely(len > MAX_RW_COUNT))
		len = MAX_RW_COUNT;
	if (unlikely(!in->f_op->splice_read))
		return -EINVAL;
	return in->f_op->splice_read(in, ppos, pipe, len, flags);
}
#endif

/* 6.5: splice(2) reports the access and the modification to fsnotify. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define xr_fsnotify_splice_access(file)	fsnotify_access(file)
#define xr_fsnotify_splice_modify(file)	fsnotify_modify(file)
#else
static inline void xr_fsnotify_splice_access(struct file *file) { }
static inline void xr_fsnotify_splice_modify(struct file *file) { }
#endif

/* 6.8 dropped eventfd_signal()'s count: a signal adds one. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define xr_eventfd_signal_one(evctx)	eventfd_signal(evctx)
#else
#define xr_eventfd_signal_one(evctx)	eventfd_signal(evctx, 1)
#endif

/*
 * The block layer's per-CPU bio cache (IOCB_ALLOC_CACHE). Until 6.2 a bio
 * from it must be freed in process context, so only polled I/O, which the
 * reaper completes, may use it, as 6.1's io_uring does; from 6.2 it takes
 * bios freed in interrupts too, and io_uring uses it for every read and
 * write.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define XR_IOCB_ALLOC_CACHE_IRQ	IOCB_ALLOC_CACHE
#else
#define XR_IOCB_ALLOC_CACHE_IRQ	0
#endif

/* Poll once, without sleeping: 6.x dropped NOSLEEP (polling never sleeps). */
#ifdef BLK_POLL_NOSLEEP
#define XR_BLK_POLL_ONCE	(BLK_POLL_NOSLEEP | BLK_POLL_ONESHOT)
#else
#define XR_BLK_POLL_ONCE	BLK_POLL_ONESHOT
#endif

/*
 * Block the signals in @umask while waiting, as io_uring_enter(2)'s sigmask
 * does. The old mask is restored on return unless a signal is delivered,
 * in which case the signal code restores it after the handler is set up.
 *
 * io_uring_enter(2) calls the kernel's set_user_sigmask() and
 * restore_saved_sigmask_unless(). The first is not exported, and the
 * second restores through restore_saved_sigmask(), which is not either, so
 * both are written again here over sigprocmask(), which is.
 */
static inline int xr_set_user_sigmask(const sigset_t __user *umask,
				      size_t sigsetsize)
{
	sigset_t kmask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	sigdelsetmask(&kmask, sigmask(SIGKILL) | sigmask(SIGSTOP));
	current->saved_sigmask = current->blocked;
	set_restore_sigmask();
	return sigprocmask(SIG_SETMASK, &kmask, NULL);
}

static inline void xr_restore_saved_sigmask_unless(bool interrupted)
{
	if (interrupted)
		return;
	clear_restore_sigmask();
	sigprocmask(SIG_SETMASK, &current->saved_sigmask, NULL);
}

#endif /* XR_COMPAT_H */
