/* SPDX-License-Identifier: GPL-2.0 */
/* XURING_IOC_REGISTER: io_uring_register(2) on the ring fd. */
#ifndef XR_REGISTER_H
#define XR_REGISTER_H

#include "types.h"

long xr_register(struct xr_ring_ctx *ctx,
		 struct xuring_register_args __user *uargs);

#endif /* XR_REGISTER_H */
