/* SPDX-License-Identifier: GPL-2.0 */
/* OPENAT, OPENAT2, CLOSE: fds in the submitter's table. */
#ifndef XR_OPENCLOSE_H
#define XR_OPENCLOSE_H

#include "types.h"

int xr_openat_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_openat2_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_openat(struct xr_req *req, unsigned int issue_flags);
int xr_close_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_close(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_OPENCLOSE_H */
