/* SPDX-License-Identifier: GPL-2.0 */
/* XURING_SETUP_SQPOLL: a kernel thread that consumes the SQ. */
#ifndef XR_SQPOLL_H
#define XR_SQPOLL_H

#include "types.h"

int xr_sqpoll_create(struct xr_ring_ctx *ctx, struct xuring_params *p,
		     struct xr_ring_ctx *attach);
void xr_sqpoll_start(struct xr_ring_ctx *ctx);
void xr_sqpoll_detach(struct xr_ring_ctx *ctx);
void xr_sqpoll_wake(struct xr_ring_ctx *ctx);
void xr_sqpoll_wait_sq(struct xr_ring_ctx *ctx);

#endif /* XR_SQPOLL_H */
