/* SPDX-License-Identifier: GPL-2.0 */
/* FADVISE: page cache advice for a file range. */
#ifndef XR_ADVISE_H
#define XR_ADVISE_H

#include "types.h"

int xr_fadvise_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_fadvise(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_ADVISE_H */
