// SPDX-License-Identifier: GPL-2.0
/*
 * FSYNC: vfs_fsync_range() over [off, off + len), the whole file when the
 * range is empty, data only with XURING_FSYNC_DATASYNC. SYNC_FILE_RANGE:
 * sync_file_range(2), rebuilt from the exported writeback calls.
 * FALLOCATE: vfs_fallocate(). All of them wait for the device: workers.
 */
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>

#include "core.h"
#include "sync.h"

struct xr_sync {
	loff_t off;
	loff_t len;
	u32 flags;
	int mode;
};

int xr_fsync_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);

	if (unlikely(sqe->addr || sqe->ioprio || sqe->buf_index))
		return -EINVAL;

	sync->flags = READ_ONCE(sqe->fsync_flags);
	if (unlikely(sync->flags & ~XURING_FSYNC_DATASYNC))
		return -EINVAL;

	sync->off = READ_ONCE(sqe->off);
	sync->len = READ_ONCE(sqe->len);
	return 0;
}

int xr_fsync(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);
	loff_t end = (loff_t)((u64)sync->off + (u64)sync->len);
	int ret;

	/* waits for the device: never in the submit call */
	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		return -EAGAIN;

	ret = vfs_fsync_range(req->file, sync->off, end > 0 ? end : LLONG_MAX,
			      sync->flags & XURING_FSYNC_DATASYNC);
	xr_req_set_res(req, ret, 0);
	return XR_ISSUE_DONE;
}

int xr_sfr_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);

	/* ioprio: 5.10's check; splice_fd_in: 6.1's */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->addr) ||
		     READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	sync->off = READ_ONCE(sqe->off);
	sync->len = READ_ONCE(sqe->len);
	sync->flags = READ_ONCE(sqe->sync_range_flags);
	return 0;
}

/* sync_file_range(2) on @file, with its checks and in its order. */
static int xr_sync_file_range(struct file *file, loff_t offset, loff_t nbytes,
			      unsigned int flags)
{
	loff_t endbyte;			/* inclusive */
	umode_t mode;
	int ret;

	if (flags & ~(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
		      SYNC_FILE_RANGE_WAIT_AFTER))
		return -EINVAL;
	endbyte = (loff_t)((u64)offset + (u64)nbytes);
	if (offset < 0 || endbyte < 0 || endbyte < offset)
		return -EINVAL;
	endbyte = nbytes ? endbyte - 1 : LLONG_MAX;

	mode = file_inode(file)->i_mode;
	if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		return -ESPIPE;

	if (flags & SYNC_FILE_RANGE_WAIT_BEFORE) {
		ret = file_fdatawait_range(file, offset, endbyte);
		if (ret < 0)
			return ret;
	}
	if (flags & SYNC_FILE_RANGE_WRITE) {
		struct writeback_control wbc = {
			.sync_mode = WB_SYNC_NONE,
			.nr_to_write = LONG_MAX,
			.range_start = offset,
			.range_end = endbyte,
		};

		/* written and waited for on both sides: data integrity */
		if ((flags & SYNC_FILE_RANGE_WRITE_AND_WAIT) ==
		    SYNC_FILE_RANGE_WRITE_AND_WAIT)
			wbc.sync_mode = WB_SYNC_ALL;
		ret = filemap_fdatawrite_wbc(file->f_mapping, &wbc);
		if (ret < 0)
			return ret;
	}
	if (flags & SYNC_FILE_RANGE_WAIT_AFTER)
		return file_fdatawait_range(file, offset, endbyte);
	return 0;
}

int xr_sync_file_range_issue(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);
	int ret;

	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		return -EAGAIN;
	ret = xr_sync_file_range(req->file, sync->off, sync->len, sync->flags);
	if (ret)
		return ret;
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}

int xr_fallocate_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);

	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->buf_index) ||
		     READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	sync->off = READ_ONCE(sqe->off);
	sync->len = READ_ONCE(sqe->addr);
	sync->mode = READ_ONCE(sqe->len);
	return 0;
}

/*
 * Always in a worker, with the submitter's RLIMIT_FSIZE (see
 * xr_issue_as_submitter()): past it, -EFBIG.
 */
int xr_fallocate(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_sync *sync = xr_req_cmd(req, struct xr_sync);
	int ret;

	if (issue_flags & XR_ISSUE_F_NONBLOCK)
		return -EAGAIN;
	/* vfs_fallocate() sends the modify event itself */
	ret = vfs_fallocate(req->file, sync->mode, sync->off, sync->len);
	if (ret)
		return ret;
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}
