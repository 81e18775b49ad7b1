/* SPDX-License-Identifier: GPL-2.0 */
/* ASYNC_CANCEL: find a pending request by user_data and cancel it. */
#ifndef XR_CANCEL_H
#define XR_CANCEL_H

#include "types.h"

int xr_async_cancel_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_async_cancel(struct xr_req *req, unsigned int issue_flags);
int xr_try_cancel(struct xr_ring_ctx *ctx, u64 user_data);

#endif /* XR_CANCEL_H */
