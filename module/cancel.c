// SPDX-License-Identifier: GPL-2.0
/*
 * ASYNC_CANCEL: look for the request with sqe->addr as its user_data among
 * the ones waiting for their file (FAST_POLL or POLL_ADD), the ones queued
 * for or running in a worker, and armed TIMEOUTs. Canceling the head of a
 * chain cancels the chain. Found and stopped: it completes with -ECANCELED and
 * the cancel with 0; running already: -EALREADY; not found: -ENOENT.
 */
#include "cancel.h"
#include "core.h"
#include "iowq.h"
#include "poll.h"
#include "timeout.h"

struct xr_cancel {
	u64 addr;
};

int xr_async_cancel_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_cancel *cancel = xr_req_cmd(req, struct xr_cancel);

	if (sqe->ioprio || sqe->off || sqe->len || sqe->cancel_flags)
		return -EINVAL;
	cancel->addr = READ_ONCE(sqe->addr);
	return 0;
}

int xr_try_cancel(struct xr_ring_ctx *ctx, u64 user_data)
{
	int ret;

	ret = xr_poll_cancel(ctx, user_data, false);
	if (ret != -ENOENT)
		return ret;
	ret = xr_iowq_cancel(ctx->iowq, ctx, user_data, false, NULL,
			     NULL);
	/*
	 * A worker may have moved it to the poll list since it was looked
	 * for there: look again. Found running, it is interrupted, which
	 * keeps it from starting a wait after this look (xr_poll_arm()).
	 */
	if (ret != 0 && !xr_poll_cancel(ctx, user_data, false))
		return 0;
	if (ret != -ENOENT)
		return ret;
	ret = xr_timeout_cancel(ctx, user_data);
	if (ret != -ENOENT)
		return ret;
	return xr_defer_cancel(ctx, user_data);
}

int xr_async_cancel(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_cancel *cancel = xr_req_cmd(req, struct xr_cancel);

	xr_req_set_res(req, xr_try_cancel(req->ctx, cancel->addr), 0);
	return XR_ISSUE_DONE;
}
