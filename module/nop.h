/* SPDX-License-Identifier: GPL-2.0 */
/* XURING_OP_NOP: completes at once with res 0. */
#ifndef XR_NOP_H
#define XR_NOP_H

#include "types.h"

int xr_nop_prep(struct xr_req *req, const struct xuring_sqe *sqe);
int xr_nop(struct xr_req *req, unsigned int issue_flags);

#endif /* XR_NOP_H */
