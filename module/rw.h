/* SPDX-License-Identifier: GPL-2.0 */
/* READ, WRITE, READV, WRITEV, READ_FIXED, WRITE_FIXED: I/O through a kiocb. */
#ifndef XR_RW_H
#define XR_RW_H

#include "types.h"

struct io_comp_batch;

int xr_prep_rw(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_read(struct xr_req *req, unsigned int issue_flags);
int xr_write(struct xr_req *req, unsigned int issue_flags);
int xr_rw_prep_async(struct xr_req *req);
void xr_rw_cleanup(struct xr_req *req);
int xr_rw_iopoll(struct xr_req *req, struct io_comp_batch *iob,
		 unsigned int poll_flags);
struct llist_node *xr_rw_iopoll_done(struct list_head *found);

#endif /* XR_RW_H */
