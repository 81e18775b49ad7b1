/* SPDX-License-Identifier: GPL-2.0 */
/* The processes a ring serves, and the mappings of its rings (tctx.c). */
#ifndef XR_TCTX_H
#define XR_TCTX_H

#include <linux/mm_types.h>

#include "types.h"

void xr_tctx_init(struct xr_ring_ctx *ctx);
bool xr_pid_exited(struct pid *pid);
int xr_tctx_add(struct xr_ring_ctx *ctx);
bool xr_tctx_orphaned(struct xr_ring_ctx *ctx);
void xr_tctx_release(struct xr_ring_ctx *ctx);
void xr_tctx_mapped(struct vm_area_struct *vma);

#endif /* XR_TCTX_H */
