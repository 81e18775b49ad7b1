/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registered resources: the fixed file table and the fixed buffers, and the
 * per-ring and per-request state of everything XURING_IOC_REGISTER sets up.
 */
#ifndef XR_RSRC_H
#define XR_RSRC_H

#include <linux/uio.h>

#include "types.h"

/* The most files a ring may register, as io_uring allows. */
#define XR_MAX_FIXED_FILES	BIT(15)
/* The most buffers a ring may register: 5.10's UIO_MAXIOV. */
#define XR_MAX_FIXED_BUFS	UIO_MAXIOV

/* Request flags whose state xr_req_put_rsrc() lets go of. */
#define XR_REQ_F_RSRC		(XR_REQ_F_BUFFER_SELECTED | XR_REQ_F_FIXED_BUF | \
				 XR_REQ_F_IOPOLL)

void xr_rsrc_ctx_init(struct xr_ring_ctx *ctx);
void xr_rsrc_setup(struct xr_ring_ctx *ctx);
int xr_rsrc_account_ring(struct xr_ring_ctx *ctx, unsigned long nr_pages);
void xr_rsrc_unaccount_ring(struct xr_ring_ctx *ctx);
void xr_rsrc_ctx_free(struct xr_ring_ctx *ctx);
void xr_req_put_rsrc(struct xr_req *req);

int xr_register_files(struct xr_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args);
int xr_unregister_files(struct xr_ring_ctx *ctx);
int xr_register_files_update(struct xr_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args);
struct file *xr_file_get_fixed(struct xr_ring_ctx *ctx, int fd);

int xr_files_update_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_files_update(struct xr_req *req, unsigned int issue_flags);

int xr_register_buffers(struct xr_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args);
int xr_unregister_buffers(struct xr_ring_ctx *ctx);
void xr_buf_table_get(struct xr_req *req);
int xr_import_fixed(struct xr_req *req, int ddir, u64 addr, size_t len,
		    struct iov_iter *iter);

#endif /* XR_RSRC_H */
