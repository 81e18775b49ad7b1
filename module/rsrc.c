// SPDX-License-Identifier: GPL-2.0
/*
 * Registered resources. The fixed file table holds a reference to each
 * registered file; a request using XURING_SQE_FIXED_FILE takes a reference
 * of its own, so unregistering never pulls a file from under a request.
 * The table changes and is looked up under uring_lock.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "rsrc.h"

static void xr_free_file_table(struct file **files, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (files[i])
			fput(files[i]);
	kvfree(files);
}

/* REGISTER_FILES: an array of fds, -1 for an empty slot. */
int xr_register_files(struct xr_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args)
{
	__s32 __user *fds = arg;
	struct file **files;
	unsigned int i;
	int ret;

	lockdep_assert_held(&ctx->uring_lock);
	if (ctx->user_files)
		return -EBUSY;
	if (!nr_args)
		return -EINVAL;
	if (nr_args > XR_MAX_FIXED_FILES)
		return -EMFILE;

	files = kvcalloc(nr_args, sizeof(*files), GFP_KERNEL_ACCOUNT);
	if (!files)
		return -ENOMEM;
	for (i = 0; i < nr_args; i++) {
		struct file *file;
		__s32 fd;

		ret = -EFAULT;
		if (copy_from_user(&fd, &fds[i], sizeof(fd)))
			goto fail;
		if (fd == -1)
			continue;
		ret = -EBADF;
		file = fget(fd);
		if (!file)
			goto fail;
		/* a ring in a ring's table could keep itself alive */
		if (xr_is_ring_file(file)) {
			fput(file);
			goto fail;
		}
		files[i] = file;
	}
	ctx->user_files = files;
	ctx->nr_user_files = nr_args;
	return 0;
fail:
	xr_free_file_table(files, nr_args);
	return ret;
}

int xr_unregister_files(struct xr_ring_ctx *ctx)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (!ctx->user_files)
		return -ENXIO;
	xr_free_file_table(ctx->user_files, ctx->nr_user_files);
	ctx->user_files = NULL;
	ctx->nr_user_files = 0;
	return 0;
}

/* A reference to the file in slot @fd, or NULL when there is none. */
struct file *xr_file_get_fixed(struct xr_ring_ctx *ctx, int fd)
{
	struct file *file;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely((unsigned int)fd >= ctx->nr_user_files))
		return NULL;
	file = ctx->user_files[array_index_nospec(fd, ctx->nr_user_files)];
	if (file)
		get_file(file);
	return file;
}
