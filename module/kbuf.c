// SPDX-License-Identifier: GPL-2.0
/*
 * Provided buffers. A group (sqe->buf_group) keeps its buffers in the order
 * they were provided and hands out the last one first, as 5.10's does; as
 * for 5.10, a group exists while it holds buffers (the list head itself
 * stays allocated until the ring goes away). The lists are under
 * ctx->kbuf_lock; groups are found in ctx->kbuf_groups.
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "kbuf.h"

struct xr_kbuf {
	struct list_head list;
	u64 addr;
	u32 len;
	u16 bid;
	u16 bgid;
};

struct xr_kbuf_group {
	struct list_head bufs;
};

/* PROVIDE_BUFFERS and REMOVE_BUFFERS */
struct xr_pbuf {
	u64 addr;
	u32 len;
	u32 nbufs;
	u16 bid;
	u16 bgid;
};

static struct xr_kbuf_group *xr_kbuf_group(struct xr_ring_ctx *ctx,
					   unsigned int bgid, bool create)
{
	struct xr_kbuf_group *grp, *new;
	int ret;

	grp = xa_load(&ctx->kbuf_groups, bgid);
	if (grp || !create)
		return grp;

	new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return NULL;
	INIT_LIST_HEAD(&new->bufs);
	ret = xa_insert(&ctx->kbuf_groups, bgid, new, GFP_KERNEL_ACCOUNT);
	if (!ret)
		return new;
	kfree(new);
	/* made meanwhile by another PROVIDE_BUFFERS */
	return ret == -EBUSY ? xa_load(&ctx->kbuf_groups, bgid) : NULL;
}

/* See kbuf.h. Process context. */
int xr_kbuf_select(struct xr_req *req, void __user **buf, size_t *len)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_kbuf_group *grp;
	struct xr_kbuf *kbuf = NULL;

	if (req->flags & XR_REQ_F_BUFFER_SELECTED) {
		kbuf = req->kbuf;
	} else {
		grp = xr_kbuf_group(ctx, req->buf_index, false);
		if (grp) {
			spin_lock(&ctx->kbuf_lock);
			if (!list_empty(&grp->bufs)) {
				kbuf = list_last_entry(&grp->bufs,
						       struct xr_kbuf, list);
				list_del(&kbuf->list);
			}
			spin_unlock(&ctx->kbuf_lock);
		}
		if (!kbuf)
			return -ENOBUFS;
		req->kbuf = kbuf;
		req->flags |= XR_REQ_F_BUFFER_SELECTED;
	}
	if (*len > kbuf->len)
		*len = kbuf->len;
	/*
	 * A buffer may be up to 4 GiB: no read or receive into it may be
	 * longer than a CQE's result can say (CVE-2021-3491)
	 */
	if (*len > MAX_RW_COUNT)
		*len = MAX_RW_COUNT;
	*buf = u64_to_user_ptr(kbuf->addr);
	return 0;
}

/* See kbuf.h: xr_kbuf_put(), for a request with a buffer. Any context. */
u32 __xr_kbuf_put(struct xr_req *req)
{
	u32 cflags;

	cflags = XURING_CQE_F_BUFFER |
		 ((u32)req->kbuf->bid << XURING_CQE_BUFFER_SHIFT);
	xr_kbuf_drop(req);
	return cflags;
}

/* See kbuf.h. Process context. */
void xr_kbuf_recycle(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_kbuf *kbuf = req->kbuf;
	struct xr_kbuf_group *grp;

	if (!(req->flags & XR_REQ_F_BUFFER_SELECTED))
		return;
	req->flags &= ~XR_REQ_F_BUFFER_SELECTED;
	req->kbuf = NULL;
	/* its group was there when it was selected, and stays */
	grp = xr_kbuf_group(ctx, kbuf->bgid, false);
	if (WARN_ON_ONCE(!grp)) {
		kfree(kbuf);
		return;
	}
	spin_lock(&ctx->kbuf_lock);
	list_add_tail(&kbuf->list, &grp->bufs);
	spin_unlock(&ctx->kbuf_lock);
}

/* The request completed without naming its buffer: it is gone. */
void xr_kbuf_drop(struct xr_req *req)
{
	kfree(req->kbuf);
	req->kbuf = NULL;
	req->flags &= ~XR_REQ_F_BUFFER_SELECTED;
}

void xr_kbuf_ctx_free(struct xr_ring_ctx *ctx)
{
	struct xr_kbuf_group *grp;
	struct xr_kbuf *kbuf, *tmp;
	unsigned long bgid;

	xa_for_each(&ctx->kbuf_groups, bgid, grp) {
		list_for_each_entry_safe(kbuf, tmp, &grp->bufs, list)
			kfree(kbuf);
		kfree(grp);
	}
	xa_destroy(&ctx->kbuf_groups);
}

/*
 * PROVIDE_BUFFERS: sqe->fd buffers of sqe->len bytes from sqe->addr on,
 * with ids from sqe->off on, into group sqe->buf_group.
 */
int xr_provide_buffers_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_pbuf *p = xr_req_cmd(req, struct xr_pbuf);
	s32 nbufs = READ_ONCE(sqe->fd);
	u64 off;

	if (READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->rw_flags))
		return -EINVAL;
	if (nbufs <= 0 || nbufs > USHRT_MAX)
		return -E2BIG;
	p->nbufs = nbufs;
	p->addr = READ_ONCE(sqe->addr);
	p->len = READ_ONCE(sqe->len);
	if (!access_ok(u64_to_user_ptr(p->addr), (u64)p->len * p->nbufs))
		return -EFAULT;
	p->bgid = READ_ONCE(sqe->buf_group);
	off = READ_ONCE(sqe->off);
	if (off > USHRT_MAX)
		return -E2BIG;
	p->bid = off;
	return 0;
}

int xr_provide_buffers(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_pbuf *p = xr_req_cmd(req, struct xr_pbuf);
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_kbuf_group *grp;
	struct xr_kbuf *kbuf, *tmp;
	u64 addr = p->addr;
	u16 bid = p->bid;
	LIST_HEAD(list);
	unsigned int i;
	bool fresh;

	for (i = 0; i < p->nbufs; i++) {
		kbuf = kmalloc(sizeof(*kbuf), GFP_KERNEL_ACCOUNT);
		if (!kbuf)
			break;
		kbuf->addr = addr;
		kbuf->len = p->len;
		kbuf->bid = bid++;
		kbuf->bgid = p->bgid;
		addr += p->len;
		list_add_tail(&kbuf->list, &list);
		if (!(i % 1024))
			cond_resched();
	}
	/* as 5.10: as many as could be had, if any */
	grp = i ? xr_kbuf_group(ctx, p->bgid, true) : NULL;
	if (!grp) {
		list_for_each_entry_safe(kbuf, tmp, &list, list)
			kfree(kbuf);
		xr_req_set_res(req, -ENOMEM, 0);
		return XR_ISSUE_DONE;
	}
	spin_lock(&ctx->kbuf_lock);
	fresh = list_empty(&grp->bufs);
	list_splice_tail(&list, &grp->bufs);
	spin_unlock(&ctx->kbuf_lock);
	/* 5.10 answers with the id of a group it made, else with the count */
	xr_req_set_res(req, fresh ? p->bgid : i, 0);
	return XR_ISSUE_DONE;
}

/* REMOVE_BUFFERS: up to sqe->fd buffers out of group sqe->buf_group. */
int xr_remove_buffers_prep(struct xr_req *req, const struct xuring_sqe *sqe)
{
	struct xr_pbuf *p = xr_req_cmd(req, struct xr_pbuf);
	s32 nbufs = READ_ONCE(sqe->fd);

	if (READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->rw_flags) ||
	    READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->off))
		return -EINVAL;
	if (nbufs <= 0 || nbufs > USHRT_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->nbufs = nbufs;
	p->bgid = READ_ONCE(sqe->buf_group);
	return 0;
}

int xr_remove_buffers(struct xr_req *req, unsigned int issue_flags)
{
	struct xr_pbuf *p = xr_req_cmd(req, struct xr_pbuf);
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_kbuf_group *grp;
	struct xr_kbuf *kbuf, *tmp;
	unsigned int n = 0;
	LIST_HEAD(gone);

	grp = xr_kbuf_group(ctx, p->bgid, false);
	if (grp) {
		spin_lock(&ctx->kbuf_lock);
		while (n < p->nbufs && !list_empty(&grp->bufs)) {
			struct list_head *pos = grp->bufs.next;

			/* 5.10 takes the ones after the first, the first last */
			if (pos->next != &grp->bufs)
				pos = pos->next;
			list_move_tail(pos, &gone);
			n++;
		}
		spin_unlock(&ctx->kbuf_lock);
	}
	list_for_each_entry_safe(kbuf, tmp, &gone, list)
		kfree(kbuf);
	xr_req_set_res(req, n ? n : -ENOENT, 0);
	return XR_ISSUE_DONE;
}
