// SPDX-License-Identifier: GPL-2.0
/*
 * FADVISE: vfs_fadvise(). The advice that only sets the file's readahead
 * mode is taken in the submit call; the rest reads or drops pages, and
 * goes to a worker. (MADVISE would need do_madvise(), which modules
 * cannot call: its row stays not_supported.)
 */
#include <linux/fadvise.h>
#include <linux/fs.h>

#include "advise.h"
#include "core.h"

struct xr_fadvise {
	u64 offset;
	u32 len;
	u32 advice;
};

int xr_fadvise_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_fadvise *fa = xr_req_cmd(req, struct xr_fadvise);

	/* ioprio: 5.10's check; splice_fd_in: 6.1's */
	if (unlikely(READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->buf_index) ||
		     READ_ONCE(sqe->addr) || READ_ONCE(sqe->splice_fd_in)))
		return -EINVAL;

	fa->offset = READ_ONCE(sqe->off);
	fa->len = READ_ONCE(sqe->len);
	fa->advice = READ_ONCE(sqe->fadvise_advice);
	return 0;
}

int xr_fadvise(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_fadvise *fa = xr_req_cmd(req, struct xr_fadvise);
	int ret;

	if (issue_flags & XR_ISSUE_F_NONBLOCK) {
		switch (fa->advice) {
		case POSIX_FADV_NORMAL:
		case POSIX_FADV_RANDOM:
		case POSIX_FADV_SEQUENTIAL:
			break;
		default:
			return -EAGAIN;
		}
	}
	ret = vfs_fadvise(req->file, fa->offset, fa->len, fa->advice);
	if (ret)
		return ret;
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}
