/* SPDX-License-Identifier: GPL-2.0 */
/* TIMEOUT, TIMEOUT_REMOVE and LINK_TIMEOUT. */
#ifndef XR_TIMEOUT_H
#define XR_TIMEOUT_H

#include "types.h"

int xr_timeout_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_timeout(struct xr_req *req, unsigned int issue_flags);
int xr_timeout_remove_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_timeout_remove(struct xr_req *req, unsigned int issue_flags);
int xr_link_timeout_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_link_timeout(struct xr_req *req, unsigned int issue_flags);

int xr_timeout_cancel(struct xr_ring_ctx *ctx, u64 user_data);
void xr_timeout_cancel_all(struct xr_ring_ctx *ctx);
void xr_flush_timeouts(struct xr_ring_ctx *ctx);
struct xr_req *xr_link_timeout_take(struct xr_req *req);
void xr_link_timeout_arm(struct xr_req *lt, bool start);
struct xr_req *xr_link_timeout_disarm(struct xr_req *req, bool *release);

#endif /* XR_TIMEOUT_H */
