/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provided buffers: PROVIDE_BUFFERS / REMOVE_BUFFERS, and the selection
 * XURING_SQE_BUFFER_SELECT makes for READ, READV and RECV.
 *
 * For an op that takes XURING_SQE_BUFFER_SELECT (opdef .buffer_select):
 * req->buf_index holds the group id (sqe->buf_group). In the issue handler,
 * in process context:
 *
 *	ret = xr_kbuf_select(req, &buf, &len);
 *		0 and a buffer of the group in @buf, or -ENOBUFS when the
 *		group is empty; @len is cut down to the buffer's size. Once
 *		selected, the request keeps the buffer: a retry gets the same
 *		one back.
 *	xr_req_set_res(req, res, xr_kbuf_put(req));
 *		when the request completes: the buffer is consumed, and the
 *		return value is the CQE flags naming it (XURING_CQE_F_BUFFER,
 *		the id in the upper 16 bits).
 *	xr_kbuf_recycle(req);
 *		optional, before any data went into the buffer (for example
 *		before waiting with FAST_POLL): give it back to its group.
 *
 * A request that completes without xr_kbuf_put() (canceled, failed by the
 * core) loses its buffer, as in 5.10; the core frees it.
 */
#ifndef XR_KBUF_H
#define XR_KBUF_H

#include "types.h"

int xr_kbuf_select(struct xr_req *req, void __user **buf, size_t *len);
u32 __xr_kbuf_put(struct xr_req *req);

/* Inline: every read and receive completion asks, few have a buffer. */
static inline u32 xr_kbuf_put(struct xr_req *req)
{
	if (!(req->flags & XR_REQ_F_BUFFER_SELECTED))
		return 0;
	return __xr_kbuf_put(req);
}

void xr_kbuf_recycle(struct xr_req *req);
void xr_kbuf_drop(struct xr_req *req);
void xr_kbuf_ctx_free(struct xr_ring_ctx *ctx);

int xr_provide_buffers_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_provide_buffers(struct xr_req *req, unsigned int issue_flags);
int xr_remove_buffers_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_remove_buffers(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_KBUF_H */
