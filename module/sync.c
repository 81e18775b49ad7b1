// SPDX-License-Identifier: GPL-2.0
/*
 * FSYNC: vfs_fsync_range() over [off, off + len), the whole file when the
 * range is empty, data only with XURING_FSYNC_DATASYNC.
 */
#include <linux/fs.h>

#include "core.h"
#include "sync.h"

struct xr_sync {
	loff_t off;
	loff_t len;
	u32 flags;
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
