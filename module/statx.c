// SPDX-License-Identifier: GPL-2.0
/*
 * STATX: statx(2) in the submitter (submitter_only), from user_path_at()
 * and vfs_getattr(). vfs_statx() is not exported, and the mount id lives in
 * a structure private to the VFS: STATX_MNT_ID is never in the answer.
 */
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/stat.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "core.h"
#include "statx.h"

struct xr_statx {
	int dfd;
	unsigned int mask;
	unsigned int flags;
	const char __user *filename;
	struct statx __user *buffer;
};

int xr_statx_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_statx *sx = xr_req_cmd(req, struct xr_statx);

	/* ioprio: 5.10's check; splice_fd_in: 6.1's */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->buf_index) ||
		     READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;
	if (unlikely(req->flags & XURING_SQE_FIXED_FILE))
		return -EBADF;

	sx->dfd = READ_ONCE(sqe->fd);
	sx->mask = READ_ONCE(sqe->len);
	sx->filename = u64_to_user_ptr(READ_ONCE(sqe->addr));
	sx->buffer = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	sx->flags = READ_ONCE(sqe->statx_flags);
	return 0;
}

static void xr_statx_time(struct statx_timestamp *to,
			  const struct timespec64 *from)
{
	to->tv_sec = from->tv_sec;
	to->tv_nsec = from->tv_nsec;
}

/* struct kstat as userspace sees it, in the submitter's user namespace. */
static int xr_cp_statx(const struct kstat *stat, struct statx __user *buffer)
{
	struct statx tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.stx_mask = stat->result_mask;
	tmp.stx_blksize = stat->blksize;
	tmp.stx_attributes = stat->attributes;
	tmp.stx_nlink = stat->nlink;
	tmp.stx_uid = from_kuid_munged(current_user_ns(), stat->uid);
	tmp.stx_gid = from_kgid_munged(current_user_ns(), stat->gid);
	tmp.stx_mode = stat->mode;
	tmp.stx_ino = stat->ino;
	tmp.stx_size = stat->size;
	tmp.stx_blocks = stat->blocks;
	tmp.stx_attributes_mask = stat->attributes_mask;
	xr_statx_time(&tmp.stx_atime, &stat->atime);
	xr_statx_time(&tmp.stx_btime, &stat->btime);
	xr_statx_time(&tmp.stx_ctime, &stat->ctime);
	xr_statx_time(&tmp.stx_mtime, &stat->mtime);
	tmp.stx_rdev_major = MAJOR(stat->rdev);
	tmp.stx_rdev_minor = MINOR(stat->rdev);
	tmp.stx_dev_major = MAJOR(stat->dev);
	tmp.stx_dev_minor = MINOR(stat->dev);
	tmp.stx_dio_mem_align = stat->dio_mem_align;
	tmp.stx_dio_offset_align = stat->dio_offset_align;
	xr_statx_fill_newer(&tmp, stat);

	return copy_to_user(buffer, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/*
 * A path walk and the file system's getattr may wait for the disk: done in
 * the submit call, where they are the submitter's (5.10: in a worker).
 */
int xr_statx(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_statx *sx = xr_req_cmd(req, struct xr_statx);
	unsigned int lookup = 0;
	struct kstat stat;
	struct path path;
	int ret;

	if (sx->mask & STATX__RESERVED)
		return -EINVAL;
	if ((sx->flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (sx->flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
			  AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;

	if (!(sx->flags & AT_SYMLINK_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (!(sx->flags & AT_NO_AUTOMOUNT))
		lookup |= LOOKUP_AUTOMOUNT;
	if (sx->flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
retry:
	ret = user_path_at(sx->dfd, sx->filename, lookup, &path);
	if (ret)
		return ret;
	memset(&stat, 0, sizeof(stat));
	ret = vfs_getattr(&path, &stat, sx->mask, sx->flags);
	if (path.mnt->mnt_root == path.dentry)
		stat.attributes |= STATX_ATTR_MOUNT_ROOT;
	stat.attributes_mask |= STATX_ATTR_MOUNT_ROOT;
	path_put(&path);
	if (retry_estale(ret, lookup)) {
		lookup |= LOOKUP_REVAL;
		goto retry;
	}
	if (ret)
		return ret;
	ret = xr_cp_statx(&stat, sx->buffer);
	if (ret)
		return ret;
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}
