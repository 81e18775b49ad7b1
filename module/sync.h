/* SPDX-License-Identifier: GPL-2.0 */
/* FSYNC: flush a file's data (and metadata) to its device. */
#ifndef XR_SYNC_H
#define XR_SYNC_H

#include "types.h"

int xr_fsync_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_fsync(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_SYNC_H */
