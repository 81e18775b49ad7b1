/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FAST_POLL: a request that found its pipe or socket not ready waits on the
 * file's wait queue instead of in a worker, and is retried when woken.
 */
#ifndef XR_POLL_H
#define XR_POLL_H

#include <linux/fs.h>

#include "types.h"

/* What xr_poll_arm() did with the request. */
enum {
	XR_ARM_WAITING,		/* armed, or already taken by a wakeup */
	XR_ARM_READY,		/* the file is ready: issue it again now */
	XR_ARM_CANT,		/* the file cannot be waited on this way */
};

int xr_poll_arm(struct xr_req *req, __poll_t mask);
void xr_poll_disarm(struct xr_req *req);
void xr_poll_remove_entries(struct xr_req *req);
void xr_poll_end_wait(struct xr_req *req);
int xr_poll_cancel(struct xr_ring_ctx *ctx, u64 user_data, bool all);
void xr_poll_cancel_owner(struct xr_ring_ctx *ctx, fl_owner_t owner);
void xr_poll_cancel_pid(struct xr_ring_ctx *ctx, struct pid *pid);

int xr_poll_add_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_poll_add(struct xr_req *req, unsigned int issue_flags);
__poll_t xr_poll_add_events(struct xr_req *req);
int xr_poll_remove_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_poll_remove(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_POLL_H */
