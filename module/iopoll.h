/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XURING_SETUP_IOPOLL: reads and writes issued as polled block I/O, found
 * complete by polling the device, in ENTER with GETEVENTS or in the SQ
 * thread.
 */
#ifndef XR_IOPOLL_H
#define XR_IOPOLL_H

#include "types.h"

void xr_iopoll_req_issued(struct xr_req *req, unsigned int issue_flags);
void xr_iopoll_flush_issued(struct xr_ring_ctx *ctx);
int xr_iopoll_getevents(struct xr_ring_ctx *ctx, unsigned int min_events);
bool xr_iopoll_try_reap(struct xr_ring_ctx *ctx);
void xr_iopoll_release(struct xr_ring_ctx *ctx);

#endif /* XR_IOPOLL_H */
