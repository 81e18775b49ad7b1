// SPDX-License-Identifier: GPL-2.0
/*
 * xuring: io_uring 5.10 as a module. The misc device /dev/xuring gives each
 * open file one ring, driven by ioctls, mmap and poll on that file.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "core.h"
#include "fdinfo.h"
#include "iowq.h"
#include "policy.h"
#include "poll.h"
#include "opdef.h"
#include "register.h"
#include "tctx.h"

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode,
		 "Permissions of /dev/xuring (default 0600: root only; grant a group with a udev rule)");

static int xr_open(struct inode *inode, struct file *file)
{
	struct xr_ring_ctx *ctx;

	ctx = xr_ctx_alloc();
	if (!ctx)
		return -ENOMEM;
	file->private_data = ctx;
	RCU_INIT_POINTER(ctx->file, file);
	return nonseekable_open(inode, file);
}

/* Runs once the fd is closed and every mapping of the rings is gone. */
static int xr_release(struct inode *inode, struct file *file)
{
	struct xr_ring_ctx *ctx = file->private_data;

	/* requests that name this ring's fd can no longer borrow the file */
	RCU_INIT_POINTER(ctx->file, NULL);
	xr_ring_release(ctx);
	return 0;
}

static long xr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct xr_ring_ctx *ctx = file->private_data;
	void __user *argp = (void __user *)arg;

	long ret;

	switch (cmd) {
	case XURING_IOC_SETUP:
		ret = xr_tctx_add(ctx);
		return ret ?: xr_setup(ctx, argp);
	case XURING_IOC_ENTER:
		/* not set up, or XURING_SETUP_R_DISABLED and not enabled */
		if (!xr_ctx_ready(ctx) || xr_ring_disabled(ctx))
			return -EBADFD;
		ret = xr_tctx_add(ctx);
		return ret ?: xr_enter(ctx, argp);
	case XURING_IOC_REGISTER:
		if (!xr_ctx_ready(ctx))
			return -EBADFD;
		ret = xr_tctx_add(ctx);
		return ret ?: xr_register(ctx, argp);
	default:
		return -ENOTTY;
	}
}

/* Every close of an fd of the ring; @id is the fd table it was in. */
static int xr_flush(struct file *file, fl_owner_t id)
{
	struct xr_ring_ctx *ctx = file->private_data;

	if ((current->flags & PF_EXITING) && xr_ctx_ready(ctx))
		xr_ring_cancel_owner(ctx, id);
	return 0;
}

static int xr_mmap(struct file *file, struct vm_area_struct *vma)
{
	return xr_ring_mmap(file->private_data, vma);
}

static __poll_t xr_poll(struct file *file, poll_table *wait)
{
	return xr_ring_poll(file->private_data, file, wait);
}

const struct file_operations xr_fops = {
	.owner		= THIS_MODULE,
	.open		= xr_open,
	.flush		= xr_flush,
	.release	= xr_release,
	.unlocked_ioctl	= xr_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= xr_mmap,
	.poll		= xr_poll,
	.show_fdinfo	= xr_show_fdinfo,
};

static struct miscdevice xr_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xuring",
	.fops	= &xr_fops,
};

/* The ABI is io_uring's: hold the layouts the uapi header promises. */
static void __init xr_abi_check(void)
{
	BUILD_BUG_ON(sizeof(struct xuring_sqe) != 64);
	BUILD_BUG_ON(sizeof(struct xuring_cqe) != 16);
	BUILD_BUG_ON(sizeof(struct xuring_sqring_offsets) != 40);
	BUILD_BUG_ON(sizeof(struct xuring_cqring_offsets) != 40);
	BUILD_BUG_ON(sizeof(struct xuring_params) != 120);
	BUILD_BUG_ON(offsetof(struct xuring_params, sq_off) != 40);
	BUILD_BUG_ON(offsetof(struct xuring_params, cq_off) != 80);
	BUILD_BUG_ON(offsetof(struct xuring_sqe, user_data) != 32);
	BUILD_BUG_ON(offsetof(struct xuring_sqe, buf_index) != 40);
	BUILD_BUG_ON(offsetof(struct xuring_sqe, personality) != 42);
	BUILD_BUG_ON(offsetof(struct xuring_sqe, splice_fd_in) != 44);
	BUILD_BUG_ON(sizeof(struct xuring_probe) != 16);
	BUILD_BUG_ON(sizeof(struct xuring_probe_op) != 8);
	BUILD_BUG_ON(sizeof(struct xuring_restriction) != 16);
	BUILD_BUG_ON(sizeof(struct xuring_files_update) != 16);
	BUILD_BUG_ON(sizeof(struct xuring_enter_args) != 32);
	BUILD_BUG_ON(sizeof(struct xuring_register_args) != 16);
}

static int __init xr_init(void)
{
	int ret;

	xr_abi_check();
	xr_opdef_check();

	ret = xr_core_init();
	if (ret)
		return ret;
	xr_miscdev.mode = dev_mode;
	ret = misc_register(&xr_miscdev);
	if (ret)
		xr_core_exit();
	return ret;
}

static void __exit xr_exit(void)
{
	misc_deregister(&xr_miscdev);
	xr_rings_wait_freed();
	xr_core_exit();
	xr_iowq_exit();
	xr_policy_exit();
}

module_init(xr_init);
module_exit(xr_exit);

MODULE_DESCRIPTION("xuring: io_uring 5.10 rings behind a misc device");
MODULE_AUTHOR("The xuring developers");
MODULE_LICENSE("GPL");
