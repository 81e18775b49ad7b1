/* SPDX-License-Identifier: GPL-2.0 */
/* Registered resources: the fixed file table. */
#ifndef XR_RSRC_H
#define XR_RSRC_H

#include "types.h"

/* The most files a ring may register, as io_uring allows. */
#define XR_MAX_FIXED_FILES	BIT(15)

int xr_register_files(struct xr_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args);
int xr_unregister_files(struct xr_ring_ctx *ctx);
struct file *xr_file_get_fixed(struct xr_ring_ctx *ctx, int fd);

#endif /* XR_RSRC_H */
