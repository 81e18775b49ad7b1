/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every op shares: setting a request's result, completing it from any
 * context, and the core calls the device's file operations are built on.
 */
#ifndef XR_CORE_H
#define XR_CORE_H

#include <linux/blkdev.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "opdef.h"
#include "types.h"

/* Set the CQE result of @req; it is posted when the request completes. */
static inline void xr_req_set_res(struct xr_req *req, s32 res, u32 cflags)
{
	req->res = res;
	req->cflags = cflags;
	/* an error breaks the IO_LINK chain the request is in */
	if (res < 0)
		req->flags |= XR_REQ_F_FAIL;
}

/* SINGLE_ISSUER, and the caller is not the task allowed to submit. */
static inline bool xr_not_the_issuer(struct xr_ring_ctx *ctx)
{
	struct task_struct *issuer = READ_ONCE(ctx->issuer);

	return issuer && issuer != current;
}

/* True once XURING_IOC_SETUP has finished on this context. */
static inline bool xr_ctx_ready(struct xr_ring_ctx *ctx)
{
	/* acquire: pairs with the release that publishes the set-up ring */
	return smp_load_acquire(&ctx->ready);
}

/* CQEs posted and not yet consumed by userspace. */
static inline unsigned int xr_cqring_events(struct xr_ring_ctx *ctx)
{
	struct xr_rings *rings = ctx->rings;

	return READ_ONCE(rings->cq.tail) - READ_ONCE(rings->cq.head);
}

/*
 * @req may complete outside the submit call from now on: it keeps the ring
 * alive until it does. Called before the request is handed anywhere.
 */
void __xr_req_go_async(struct xr_req *req);

/*
 * Every read and write goes async before it reaches the file: the usual
 * case, a task (or the SQ thread) with the ring's mm and credentials, is
 * inline; anything else, __xr_req_go_async().
 */
static __always_inline void xr_req_go_async(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (req->flags & XR_REQ_F_ASYNC)
		return;
	if (unlikely(current->mm != ctx->mm || current_cred() != ctx->creds ||
		     (task_tgid(current) != ctx->pid &&
		      !(current->flags & PF_KTHREAD)) ||
		     (req->flags & XR_REQ_F_PERSONALITY) ||
		     def->submitter_only || def->retry_in_task)) {
		__xr_req_go_async(req);
		return;
	}
	req->flags |= XR_REQ_F_ASYNC;
	refcount_inc(&ctx->refs);
	/* the SQ thread submits for the ring's creator */
	req->owner = current->flags & PF_KTHREAD ? ctx->owner : current->files;
	req->mm = ctx->mm;
	req->creds = ctx->creds;
	req->fsize = rlimit(RLIMIT_FSIZE);
}

extern const struct file_operations xr_fops;

/*
 * A kernel thread acting for a user writes under their RLIMIT_FSIZE: set
 * its own (a kthread's signal struct is not shared) and return the old one.
 */
static inline unsigned long xr_swap_fsize(unsigned long lim)
{
	struct rlimit *fsize = &current->signal->rlim[RLIMIT_FSIZE];
	unsigned long old = fsize->rlim_cur;

	WRITE_ONCE(fsize->rlim_cur, lim);
	return old;
}

/*
 * Whether @req needs a file and has none (a bad fd: -EBADF when issued).
 * One that names a ring's fd has none either until it is issued.
 */
static inline bool xr_req_bad_file(const struct xr_req *req,
				   const struct xr_op_def *def)
{
	return unlikely(def->needs_file && !req->file) &&
	       !(req->flags & XR_REQ_F_RING_FILE);
}

/* Whether @file is a ring: xuring refuses to act on its own rings' files. */
static inline bool xr_is_ring_file(struct file *file)
{
	return file->f_op == &xr_fops;
}

/*
 * Whether @file can be tried without blocking (IOCB_NOWAIT / O_NONBLOCK),
 * as io_uring judges it: sockets, regular files on devices that do not
 * wait, block devices, and files that say so. Others (pipes among them)
 * are waited for with poll, then read or written in a worker.
 */
static inline bool xr_file_nowait(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;
	struct block_device *bdev;

	if (S_ISSOCK(mode))
		return true;
	if (S_ISREG(mode)) {
		bdev = file_inode(file)->i_sb->s_bdev;
		return (!bdev || bdev_nowait(bdev)) && !xr_is_ring_file(file);
	}
	if (S_ISBLK(mode))
		return file->f_mode & FMODE_NOWAIT;
	return (file->f_flags & O_NONBLOCK) || (file->f_mode & FMODE_NOWAIT);
}

void xr_req_complete_post(struct xr_req *req);
void xr_req_release(struct xr_req *req);
void xr_req_complete_batch(struct xr_ring_ctx *ctx, struct llist_node *first,
			   bool locked);
void xr_post_locked(struct xr_req *req);
void xr_req_hold_ring(struct xr_req *req);
void xr_queue_work(struct work_struct *work);
void xr_req_fail_post(struct xr_req *req, int err);
void xr_req_cancel_queued(struct xr_req *req);
void xr_run_async(struct xr_req *req);
void xr_req_queue_retry(struct xr_req *req);
int xr_defer_cancel(struct xr_ring_ctx *ctx, u64 user_data);
void xr_cancel_deferred(struct xr_ring_ctx *ctx);
void xr_req_cache_free(struct xr_ring_ctx *ctx);
void xr_punt(struct xr_req *req);
bool xr_req_is_submitter(struct xr_req *req);
int xr_issue_req(struct xr_req *req, unsigned int issue_flags);
bool xr_req_pollable(struct xr_req *req);
__poll_t xr_req_poll_mask(struct xr_req *req);

struct xr_ring_ctx *xr_ctx_alloc(void);
void xr_ctx_get(struct xr_ring_ctx *ctx);
void xr_ctx_put(struct xr_ring_ctx *ctx);
void xr_ctx_put_many(struct xr_ring_ctx *ctx, unsigned int nr);
void xr_ring_release(struct xr_ring_ctx *ctx);
void xr_ring_cancel_owner(struct xr_ring_ctx *ctx, fl_owner_t owner);
void xr_ring_cancel_pid(struct xr_ring_ctx *ctx, struct pid *pid);
void xr_ring_orphan(struct xr_ring_ctx *ctx);
long xr_setup(struct xr_ring_ctx *ctx, struct xuring_params __user *uparams);
long xr_enter(struct xr_ring_ctx *ctx, struct xuring_enter_args __user *uargs);
int xr_ring_mmap(struct xr_ring_ctx *ctx, struct vm_area_struct *vma);
void xr_rings_wait_freed(void);
__poll_t xr_ring_poll(struct xr_ring_ctx *ctx, struct file *file,
		      poll_table *wait);
bool xr_cqring_overflow_flush_slow(struct xr_ring_ctx *ctx);

/* Move overflowed CQEs to the ring; true when none is left waiting. */
static inline bool xr_cqring_overflow_flush(struct xr_ring_ctx *ctx)
{
	if (likely(!READ_ONCE(ctx->check_overflow)))
		return true;
	return xr_cqring_overflow_flush_slow(ctx);
}

int xr_submit_sqes(struct xr_ring_ctx *ctx, unsigned int nr);

int __init xr_core_init(void);
void xr_core_exit(void);

#endif /* XR_CORE_H */
