// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_OP_NOP: does nothing and completes with res 0, the way to measure
 * the ring itself.
 */
#include "core.h"
#include "nop.h"

int xr_nop_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	return 0;
}

int xr_nop(struct xr_req *req, unsigned int issue_flags)
{
	xr_req_set_res(req, 0, 0);
	return XR_ISSUE_DONE;
}
