/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XURING_SETUP_IOPOLL: reads and writes issued as polled block I/O, found
 * complete by polling the device, in ENTER with GETEVENTS or in the SQ
 * thread.
 */
#ifndef XR_IOPOLL_H
#define XR_IOPOLL_H

#include "types.h"

long xr_iopoll_enter(struct xr_ring_ctx *ctx, unsigned int to_submit,
		     unsigned int min_events);
bool xr_iopoll_try_reap(struct xr_ring_ctx *ctx);
void xr_iopoll_release(struct xr_ring_ctx *ctx);
void __xr_iopoll_req_issued(struct xr_req *req);
void __xr_iopoll_flush_issued(struct xr_ring_ctx *ctx);

/*
 * @req was issued, or finished already: it waits to be reaped. The submit
 * call gathers what it issued under uring_lock and hands it over at its
 * end (inline, once per request); what finished already goes first at
 * once, for the next reaper.
 */
static inline void xr_iopoll_req_issued(struct xr_req *req,
					unsigned int issue_flags)
{
	if ((issue_flags & XR_ISSUE_F_INLINE) && !READ_ONCE(req->iopoll_done)) {
		lockdep_assert_held(&req->ctx->uring_lock);
		list_add_tail(&req->list, &req->ctx->iopoll_issued);
		return;
	}
	__xr_iopoll_req_issued(req);
}

/*
 * Before the submitter drops uring_lock: what it issued goes to the
 * reapers. xr_submit_sqes() leaves that to its callers, so that ENTER can
 * poll it first (xr_iopoll_enter()).
 */
static inline void xr_iopoll_flush_issued(struct xr_ring_ctx *ctx)
{
	if (!list_empty(&ctx->iopoll_issued))
		__xr_iopoll_flush_issued(ctx);
}

#endif /* XR_IOPOLL_H */
