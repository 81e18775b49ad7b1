/* SPDX-License-Identifier: GPL-2.0 */
/* SPLICE and TEE: data moved or shared through pipes. */
#ifndef XR_SPLICE_H
#define XR_SPLICE_H

#include "types.h"

int xr_splice_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_splice(struct xr_req *req, unsigned int issue_flags);
int xr_tee_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_tee(struct xr_req *req, unsigned int issue_flags);
void xr_splice_cleanup(struct xr_req *req);

#endif /* XR_SPLICE_H */
