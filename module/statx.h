/* SPDX-License-Identifier: GPL-2.0 */
/* STATX: statx(2) of a path, in the submitter. */
#ifndef XR_STATX_H
#define XR_STATX_H

#include "types.h"

int xr_statx_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_statx(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_STATX_H */
