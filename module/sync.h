/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FSYNC and SYNC_FILE_RANGE: a file's data (and metadata) to its device;
 * FALLOCATE: its blocks.
 */
#ifndef XR_SYNC_H
#define XR_SYNC_H

#include "types.h"

int xr_fsync_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_fsync(struct xr_req *req, unsigned int issue_flags);
int xr_sfr_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_sync_file_range_issue(struct xr_req *req, unsigned int issue_flags);
int xr_fallocate_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_fallocate(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_SYNC_H */
