/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XURING_IOC_REGISTER: io_uring_register(2) on the ring fd, and what the
 * state it registers means for each request: restrictions, personalities,
 * the eventfd.
 */
#ifndef XR_REGISTER_H
#define XR_REGISTER_H

#include "opdef.h"
#include "types.h"

long xr_register(struct xr_ring_ctx *ctx,
		 struct xuring_register_args __user *uargs);
void xr_register_ctx_free(struct xr_ring_ctx *ctx);

int __xr_req_init_regs(struct xr_ring_ctx *ctx, struct xr_req *req,
		       const struct xr_op_def *def,
		       const struct xuring_sqe *sqe);

/*
 * The part of a request's set-up that registered state decides, in 5.10's
 * order: restrictions (-EACCES), BUFFER_SELECT on an op without it
 * (-EOPNOTSUPP), an op IOPOLL rings refuse (-EINVAL), the personality
 * (-EINVAL when unknown). Also reads sqe->buf_index.
 */
static inline int xr_req_init_regs(struct xr_ring_ctx *ctx,
				   struct xr_req *req,
				   const struct xr_op_def *def,
				   const struct xuring_sqe *sqe)
{
	req->buf_index = READ_ONCE(sqe->buf_index);
	if (likely(!ctx->restricted &&
		   !(req->flags & XURING_SQE_BUFFER_SELECT) &&
		   (def->iopoll || !(ctx->flags & XURING_SETUP_IOPOLL)) &&
		   !READ_ONCE(sqe->personality)))
		return 0;
	return __xr_req_init_regs(ctx, req, def, sqe);
}

/* XURING_SETUP_R_DISABLED and not enabled yet: ENTER is -EBADFD. */
static inline bool xr_ring_disabled(struct xr_ring_ctx *ctx)
{
	return READ_ONCE(ctx->r_disabled);
}

void __xr_eventfd_signal(struct xr_ring_ctx *ctx);

/* CQEs were posted: signal the registered eventfd, if there is one. */
static inline void xr_eventfd_signal(struct xr_ring_ctx *ctx)
{
	if (unlikely(rcu_access_pointer(ctx->ev_fd)))
		__xr_eventfd_signal(ctx);
}

#endif /* XR_REGISTER_H */
