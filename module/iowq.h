/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workers: a pool that runs requests which cannot complete without
 * blocking, as their submitter (the io-wq role).
 */
#ifndef XR_IOWQ_H
#define XR_IOWQ_H

#include "types.h"

struct seq_file;

/* Buffered writes are serialised per hash bucket of their inode. */
#define XR_IOWQ_HASH_BITS	6

struct xr_iowq *xr_iowq_create(unsigned int bound);
void xr_iowq_get(struct xr_iowq *wq);
void xr_iowq_put(struct xr_iowq *wq);
void xr_iowq_enqueue(struct xr_iowq *wq, struct xr_req *req);
int xr_iowq_cancel(struct xr_iowq *wq, struct xr_ring_ctx *ctx,
		   u64 user_data, bool all, fl_owner_t owner, struct pid *pid);
void xr_iowq_show(struct seq_file *m, struct xr_iowq *wq,
		  struct xr_ring_ctx *ctx);

void xr_iowq_exit(void);

#endif /* XR_IOWQ_H */
