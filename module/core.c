// SPDX-License-Identifier: GPL-2.0
/*
 * The ring core: setup and ring memory, submission (SQ entries to requests),
 * the one path every CQE is posted through, CQ overflow, and waiting.
 */
#include <linux/blkdev.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "core.h"
#include "iopoll.h"
#include "iowq.h"
#include "nop.h"
#include "opdef.h"
#include "poll.h"
#include "policy.h"
#include "register.h"
#include "rsrc.h"
#include "rw.h"
#include "sqpoll.h"
#include "tctx.h"
#include "timeout.h"

#define CREATE_TRACE_POINTS
#include "xr_trace.h"

#define XR_REQ_ALLOC_BATCH	8

/* What XURING_IOC_SETUP accepts; other XURING_SETUP_* flags are -EINVAL. */
#define XR_SETUP_FLAGS		(XURING_SETUP_IOPOLL | XURING_SETUP_SQPOLL | \
				 XURING_SETUP_SQ_AFF | XURING_SETUP_CQSIZE | \
				 XURING_SETUP_CLAMP | XURING_SETUP_ATTACH_WQ | \
				 XURING_SETUP_R_DISABLED)

#define XR_FEATURES		(XURING_FEAT_SINGLE_MMAP | XURING_FEAT_NODROP | \
				 XURING_FEAT_SUBMIT_STABLE | \
				 XURING_FEAT_RW_CUR_POS | \
				 XURING_FEAT_CUR_PERSONALITY | XURING_FEAT_FAST_POLL | \
				 XURING_FEAT_POLL_32BITS)

/* SQE flags a request may carry. */
#define XR_SQE_VALID_FLAGS	(XURING_SQE_FIXED_FILE | XURING_SQE_IO_DRAIN | \
				 XURING_SQE_IO_LINK | XURING_SQE_IO_HARDLINK | \
				 XURING_SQE_ASYNC | XURING_SQE_BUFFER_SELECT)

#define XR_ENTER_FLAGS		(XURING_ENTER_GETEVENTS | \
				 XURING_ENTER_SQ_WAKEUP | XURING_ENTER_SQ_WAIT)

static struct kmem_cache *xr_req_cachep;

/* Rings not yet freed: module unload waits for the last one. */
static atomic_t xr_live_rings = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(xr_live_wait);
/* Ring teardown and completions deferred out of interrupt context. */
static struct workqueue_struct *xr_wq;

static void xr_ctx_free_work(struct work_struct *work);

struct xr_ring_ctx *xr_ctx_alloc(void)
{
	struct xr_ring_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	mutex_init(&ctx->uring_lock);
	ctx->compl_last = &ctx->compl_first;
	spin_lock_init(&ctx->completion_lock);
	INIT_LIST_HEAD(&ctx->cq_overflow_list);
	init_llist_head(&ctx->locked_free);
	init_waitqueue_head(&ctx->cq_wait);
	init_waitqueue_head(&ctx->poll_wait);
	init_waitqueue_head(&ctx->sq_space_wait);
	INIT_LIST_HEAD(&ctx->timeout_list);
	INIT_LIST_HEAD(&ctx->posted_reqs);
	INIT_LIST_HEAD(&ctx->defer_list);
	spin_lock_init(&ctx->cancel_lock);
	INIT_LIST_HEAD(&ctx->poll_list);
	refcount_set(&ctx->refs, 1);
	INIT_WORK(&ctx->free_work, xr_ctx_free_work);
	INIT_LIST_HEAD(&ctx->sqd_node);
	xr_rsrc_ctx_init(ctx);
	xr_tctx_init(ctx);
	atomic_inc(&xr_live_rings);
	return ctx;
}

/* Everything is done: no request is left, the file and mappings are gone. */
static void xr_ctx_free(struct xr_ring_ctx *ctx)
{
	struct xr_overflow_cqe *ocqe, *otmp;
	struct xr_req *req, *rtmp;

	list_for_each_entry_safe(ocqe, otmp, &ctx->cq_overflow_list, list)
		kfree(ocqe);
	llist_for_each_entry_safe(req, rtmp, ctx->free_cache, cache_node)
		kmem_cache_free(xr_req_cachep, req);
	llist_for_each_entry_safe(req, rtmp, llist_del_all(&ctx->locked_free),
				  cache_node)
		kmem_cache_free(xr_req_cachep, req);
	mutex_lock(&ctx->uring_lock);
	xr_rsrc_ctx_free(ctx);
	mutex_unlock(&ctx->uring_lock);
	if (ctx->iowq)
		xr_iowq_put(ctx->iowq);
	vfree(ctx->rings);
	vfree(ctx->sq_sqes);
	if (ctx->mm)
		mmdrop(ctx->mm);
	if (ctx->rings)
		xr_policy_ring_put(ctx->uid);
	if (ctx->creds)
		put_cred(ctx->creds);
	mutex_destroy(&ctx->uring_lock);
	kfree(ctx);

	if (atomic_dec_and_test(&xr_live_rings))
		wake_up_all(&xr_live_wait);
}

static void xr_ctx_free_work(struct work_struct *work)
{
	xr_ctx_free(container_of(work, struct xr_ring_ctx, free_work));
}

/* Drop @nr ring references; any context. */
static void xr_ctx_put_many(struct xr_ring_ctx *ctx, unsigned int nr)
{
	if (refcount_sub_and_test(nr, &ctx->refs))
		queue_work(xr_wq, &ctx->free_work);
}

/* Keep @ctx, not its file: see xr_req_hold_ring_file(). */
void xr_ctx_get(struct xr_ring_ctx *ctx)
{
	refcount_inc(&ctx->refs);
}

void xr_ctx_put(struct xr_ring_ctx *ctx)
{
	xr_ctx_put_many(ctx, 1);
}

static void xr_fail_chain(struct xr_req *req, int err, bool in_submit);
static bool xr_req_is_submitter(struct xr_req *req);

/* Fail @req with @err, unless it failed already: the first error stands. */
static void xr_req_fail_first(struct xr_req *req, int err)
{
	if (!(req->flags & XR_REQ_F_FAIL))
		xr_req_set_res(req, err, 0);	/* sets XR_REQ_F_FAIL */
}

/*
 * ASYNC_CANCEL of a request waiting behind an IO_DRAIN: 0 when found (it
 * and its chain complete with -ECANCELED), -ENOENT otherwise. Only the
 * first waiter completes at once. One behind it stays in its place, to
 * complete when it is reached: the drain before it counts the CQEs posted
 * so far, and an early one would make it wait forever.
 */
int xr_defer_cancel(struct xr_ring_ctx *ctx, u64 user_data)
{
	struct xr_req *req, *found = NULL;
	bool first = true;

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(req, &ctx->defer_list, list) {
		if (req->user_data == user_data) {
			found = req;
			break;
		}
		first = false;
	}
	if (found && first)
		list_del(&found->list);
	else if (found)
		xr_req_fail_first(found, -ECANCELED);
	spin_unlock_irq(&ctx->completion_lock);
	if (!found)
		return -ENOENT;
	if (first)
		xr_fail_chain(found, -ECANCELED, false);
	return 0;
}

/* Requests waiting behind an IO_DRAIN, when the ring goes away. */
static void xr_cancel_deferred(struct xr_ring_ctx *ctx)
{
	struct xr_req *req, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&ctx->completion_lock);
	list_splice_init(&ctx->defer_list, &list);
	spin_unlock_irq(&ctx->completion_lock);
	list_for_each_entry_safe(req, tmp, &list, list)
		xr_fail_chain(req, -ECANCELED, false);
}

/*
 * The file is closed and unmapped. Requests still waiting are canceled; the
 * ones running finish, and the last of them frees the ring.
 */
void xr_ring_release(struct xr_ring_ctx *ctx)
{
	xr_tctx_release(ctx);
	if (xr_ctx_ready(ctx)) {
		xr_sqpoll_detach(ctx);
		spin_lock(&ctx->cancel_lock);
		ctx->dying = true;
		spin_unlock(&ctx->cancel_lock);
		/* POLL_ADDs of this ring (they hold the context, not the file) */
		wake_up_poll(&ctx->poll_wait, EPOLLHUP);
		xr_poll_cancel(ctx, 0, true);
		xr_iowq_cancel(ctx->iowq, ctx, 0, true, NULL);
		xr_timeout_cancel_all(ctx);
		xr_cancel_deferred(ctx);
		xr_iopoll_release(ctx);
	}
	xr_ctx_put(ctx);
}

/*
 * The fd table @owner closes a fd of the ring as its task exits: cancel
 * the requests submitted from it that wait or run, as 5.10 cancels an
 * exiting task's requests. Two kinds need it here. A POLL_ADD of a ring's
 * file holds that file: polling its own ring (or a ring that polls this
 * one), nothing else would end it. And a worker blocked for the exiting
 * process holds its mm, the mm holds its mappings of the rings, and they
 * hold the ring's file: if the wait is on something the ring holds (a
 * pipe's read end in its fixed files), that never ends either.
 */
void xr_ring_cancel_owner(struct xr_ring_ctx *ctx, fl_owner_t owner)
{
	xr_poll_cancel_owner(ctx, owner);
	xr_iowq_cancel(ctx->iowq, ctx, 0, true, owner);
}

/*
 * No process the ring served is left, and no mapping of it (tctx.c): only
 * an fd in flight reaches it. Cancel what waits, and drop the registered
 * files and buffers: a unix socket among them may hold that fd.
 */
void xr_ring_orphan(struct xr_ring_ctx *ctx)
{
	xr_poll_cancel(ctx, 0, true);
	xr_iowq_cancel(ctx->iowq, ctx, 0, true, NULL);
	xr_timeout_cancel_all(ctx);
	xr_cancel_deferred(ctx);
	mutex_lock(&ctx->uring_lock);
	/* unless a process received the fd and registered since */
	if (xr_tctx_orphaned(ctx)) {
		xr_unregister_files(ctx);
		xr_unregister_buffers(ctx);
	}
	mutex_unlock(&ctx->uring_lock);
}

/* Size of the shared rings; *sq_array_off is where the SQ array starts. */
static size_t xr_rings_size(unsigned int sq_entries, unsigned int cq_entries,
			    size_t *sq_array_off)
{
	struct xr_rings *rings;
	size_t off;

	off = struct_size(rings, cqes, cq_entries);
	off = ALIGN(off, SMP_CACHE_BYTES);
	*sq_array_off = off;
	return off + array_size(sizeof(u32), sq_entries);
}

/* Ring sizes from the user's parameters, as io_uring_setup(2) computes them. */
static int xr_ring_sizes(struct xuring_params *p)
{
	/* 32768 at most, as io_uring; an admin may set it lower */
	unsigned int max = clamp(READ_ONCE(xr_max_entries), 1U, 32768U);
	unsigned int entries = p->sq_entries;

	if (!entries)
		return -EINVAL;
	if (entries > max) {
		if (!(p->flags & XURING_SETUP_CLAMP))
			return -EINVAL;
		entries = max;
	}
	p->sq_entries = roundup_pow_of_two(entries);

	if (!(p->flags & XURING_SETUP_CQSIZE)) {
		p->cq_entries = 2 * p->sq_entries;
		return 0;
	}
	if (!p->cq_entries)
		return -EINVAL;
	if (p->cq_entries > 2 * max) {
		if (!(p->flags & XURING_SETUP_CLAMP))
			return -EINVAL;
		p->cq_entries = 2 * max;
	}
	p->cq_entries = roundup_pow_of_two(p->cq_entries);
	if (p->cq_entries < p->sq_entries)
		return -EINVAL;
	return 0;
}

static void xr_fill_offsets(struct xuring_params *p, size_t sq_array_off)
{
	memset(&p->sq_off, 0, sizeof(p->sq_off));
	p->sq_off.head = offsetof(struct xr_rings, sq.head);
	p->sq_off.tail = offsetof(struct xr_rings, sq.tail);
	p->sq_off.ring_mask = offsetof(struct xr_rings, sq_ring_mask);
	p->sq_off.ring_entries = offsetof(struct xr_rings, sq_ring_entries);
	p->sq_off.flags = offsetof(struct xr_rings, sq_flags);
	p->sq_off.dropped = offsetof(struct xr_rings, sq_dropped);
	p->sq_off.array = sq_array_off;

	memset(&p->cq_off, 0, sizeof(p->cq_off));
	p->cq_off.head = offsetof(struct xr_rings, cq.head);
	p->cq_off.tail = offsetof(struct xr_rings, cq.tail);
	p->cq_off.ring_mask = offsetof(struct xr_rings, cq_ring_mask);
	p->cq_off.ring_entries = offsetof(struct xr_rings, cq_ring_entries);
	p->cq_off.overflow = offsetof(struct xr_rings, cq_overflow);
	p->cq_off.cqes = offsetof(struct xr_rings, cqes);
	p->cq_off.flags = offsetof(struct xr_rings, cq_flags);
}

/*
 * The workers and, with SQPOLL, the SQ thread: the ring's own, or with
 * XURING_SETUP_ATTACH_WQ those of the ring p->wq_fd.
 */
static int xr_ring_offload(struct xr_ring_ctx *ctx, struct xuring_params *p)
{
	struct xr_ring_ctx *attach = NULL;
	struct file *file = NULL;
	int ret = 0;

	if (p->flags & XURING_SETUP_ATTACH_WQ) {
		file = fget(p->wq_fd);
		if (!file)
			return -EBADF;
		if (!xr_is_ring_file(file) || !xr_ctx_ready(file->private_data)) {
			ret = -EINVAL;
			goto out;
		}
		attach = file->private_data;
	}

	if (p->flags & XURING_SETUP_SQPOLL) {
		ret = xr_sqpoll_create(ctx, p, attach);
		if (ret)
			goto out;
	}

	if (attach) {
		xr_iowq_get(attach->iowq);
		ctx->iowq = attach->iowq;
	} else {
		ctx->iowq = xr_iowq_create(min(p->sq_entries,
					       2 * num_online_cpus()));
		if (!ctx->iowq) {
			xr_sqpoll_detach(ctx);
			ret = -ENOMEM;
		}
	}
out:
	if (file)
		fput(file);
	return ret;
}

static void xr_ring_offload_undo(struct xr_ring_ctx *ctx)
{
	xr_sqpoll_detach(ctx);
	xr_iowq_put(ctx->iowq);
	ctx->iowq = NULL;
}

/*
 * Memory shared with userspace, zeroed and charged to the caller's memory
 * cgroup, as 6.x io_uring charges its rings (vmalloc_user() is not); mmap
 * inserts its pages (xr_map_region()).
 */
static void *xr_ring_mem_alloc(size_t size)
{
	/* past the cgroup's limit, -ENOMEM: no OOM kill for a ring */
	return __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
			       __GFP_NORETRY);
}

static int xr_ring_create(struct xr_ring_ctx *ctx, struct xuring_params *p,
			  struct xuring_params __user *uparams)
{
	struct xuring_sqe *sqes;
	struct xr_rings *rings;
	size_t sq_array_off, rings_size, sqes_size;
	int ret;

	ret = xr_ring_sizes(p);
	if (ret)
		return ret;
	ret = xr_policy_ring_get(current_uid());
	if (ret)
		return ret;
	ret = -ENOMEM;

	rings_size = xr_rings_size(p->sq_entries, p->cq_entries, &sq_array_off);
	rings = xr_ring_mem_alloc(rings_size);
	if (!rings)
		goto err_uid;
	sqes_size = array_size(sizeof(*sqes), p->sq_entries);
	sqes = xr_ring_mem_alloc(sqes_size);
	if (!sqes)
		goto err_rings;
	ret = xr_ring_offload(ctx, p);
	if (ret)
		goto err_sqes;
	rings->sq_ring_mask = p->sq_entries - 1;
	rings->cq_ring_mask = p->cq_entries - 1;
	rings->sq_ring_entries = p->sq_entries;
	rings->cq_ring_entries = p->cq_entries;

	xr_fill_offsets(p, sq_array_off);
	p->features = XR_FEATURES;
	if (copy_to_user(uparams, p, sizeof(*p))) {
		ret = -EFAULT;
		xr_ring_offload_undo(ctx);
		goto err_sqes;
	}

	ctx->flags = p->flags;
	ctx->sq_entries = p->sq_entries;
	ctx->sq_mask = p->sq_entries - 1;
	ctx->cq_entries = p->cq_entries;
	ctx->cq_mask = p->cq_entries - 1;
	ctx->rings = rings;
	ctx->rings_size = rings_size;
	ctx->sq_array = (u32 *)((char *)rings + sq_array_off);
	ctx->sq_sqes = sqes;
	ctx->sqes_size = sqes_size;
	ctx->creds = get_current_cred();
	mmgrab(current->mm);
	ctx->mm = current->mm;
	ctx->owner = current->files;
	xr_rsrc_setup(ctx);
	ctx->uid = current_uid();
	trace_xuring_create(ctx, p->sq_entries, p->cq_entries, p->flags);
	/* mmap, poll and the other ioctls may use the ring from here on */
	smp_store_release(&ctx->ready, true);
	return 0;

err_sqes:
	vfree(sqes);
err_rings:
	vfree(rings);
err_uid:
	xr_policy_ring_put(current_uid());
	return ret;
}

long xr_setup(struct xr_ring_ctx *ctx, struct xuring_params __user *uparams)
{
	struct xuring_params p;
	long ret;
	int i;

	if (copy_from_user(&p, uparams, sizeof(p)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(p.resv); i++)
		if (p.resv[i])
			return -EINVAL;
	if (p.flags & ~XR_SETUP_FLAGS)
		return -EINVAL;
	/* an SQ thread's CPU means nothing without the thread */
	if ((p.flags & XURING_SETUP_SQ_AFF) && !(p.flags & XURING_SETUP_SQPOLL))
		return -EINVAL;
	if ((p.flags & XURING_SETUP_SQPOLL) && !capable(CAP_SYS_ADMIN) &&
	    !READ_ONCE(xr_sqpoll_unprivileged))
		return -EPERM;

	mutex_lock(&ctx->uring_lock);
	if (ctx->rings)
		ret = -EBUSY;
	else
		ret = xr_ring_create(ctx, &p, uparams);
	mutex_unlock(&ctx->uring_lock);
	/* the SQ thread takes uring_lock under its own lock: not in here */
	if (!ret && ctx->sq_data && !(p.flags & XURING_SETUP_R_DISABLED))
		xr_sqpoll_start(ctx);
	return ret;
}

/* Write one CQE into the ring; completion_lock held, the ring not full. */
static void xr_write_cqe(struct xr_ring_ctx *ctx, u64 user_data, s32 res,
			 u32 cflags)
{
	struct xuring_cqe *cqe;

	cqe = &ctx->rings->cqes[ctx->cached_cq_tail++ & ctx->cq_mask];
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
}

static bool xr_cqring_full(struct xr_ring_ctx *ctx)
{
	/* acquire: userspace has read the CQEs it released with cq.head */
	return ctx->cached_cq_tail - smp_load_acquire(&ctx->rings->cq.head) >=
	       ctx->cq_entries;
}

/* Make the CQEs written so far visible to userspace. */
static void xr_commit_cqring(struct xr_ring_ctx *ctx)
{
	if (unlikely(!list_empty(&ctx->timeout_list)))
		xr_flush_timeouts(ctx);
	/* release: the CQE stores above land before the tail userspace reads */
	smp_store_release(&ctx->rings->cq.tail, ctx->cached_cq_tail);
}

static void xr_cqring_ev_posted(struct xr_ring_ctx *ctx)
{
	/*
	 * wq_has_sleeper() for both queues, with one barrier for both: the
	 * tail stored before it, a waiter's check after its prepare_to_wait()
	 */
	smp_mb();
	/* ordered by the smp_mb() above */
	if (waitqueue_active(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	/* ordered by the smp_mb() above */
	if (waitqueue_active(&ctx->poll_wait))
		wake_up_interruptible_poll(&ctx->poll_wait,
					   EPOLLIN | EPOLLRDNORM);
	xr_eventfd_signal(ctx);
}

/* The CQ is full: keep the CQE on the overflow list (NODROP). */
static void __cold xr_cqe_overflow(struct xr_ring_ctx *ctx, u64 user_data,
				   s32 res, u32 cflags)
{
	struct xr_overflow_cqe *ocqe;

	trace_xuring_overflow(ctx, user_data, res, cflags);
	ctx->nr_overflowed++;
	ocqe = kmalloc(sizeof(*ocqe), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
	if (unlikely(!ocqe)) {
		/* nothing left to keep it in: drop it, and say so */
		WRITE_ONCE(ctx->rings->cq_overflow, ++ctx->cached_cq_overflow);
		return;
	}
	if (list_empty(&ctx->cq_overflow_list)) {
		WRITE_ONCE(ctx->check_overflow, true);
		atomic_or(XURING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
	ocqe->cqe.user_data = user_data;
	ocqe->cqe.res = res;
	ocqe->cqe.flags = cflags;
	list_add_tail(&ocqe->list, &ctx->cq_overflow_list);
}

/*
 * The one place a CQE is produced. completion_lock held; the caller commits
 * the ring and wakes waiters after a batch.
 */
static __always_inline void xr_fill_cqe(struct xr_ring_ctx *ctx,
					u64 user_data, s32 res, u32 cflags)
{
	lockdep_assert_held(&ctx->completion_lock);

	ctx->cq_produced++;
	trace_xuring_complete(ctx, user_data, res, cflags);
	/* behind an overflow, CQEs queue up to keep their order */
	if (likely(!ctx->check_overflow && !xr_cqring_full(ctx)))
		xr_write_cqe(ctx, user_data, res, cflags);
	else
		xr_cqe_overflow(ctx, user_data, res, cflags);
}

/* Move overflowed CQEs into the ring while it has room. */
static void __xr_cqring_overflow_flush(struct xr_ring_ctx *ctx)
{
	struct xr_overflow_cqe *ocqe;

	lockdep_assert_held(&ctx->completion_lock);
	while (!list_empty(&ctx->cq_overflow_list) && !xr_cqring_full(ctx)) {
		ocqe = list_first_entry(&ctx->cq_overflow_list,
					struct xr_overflow_cqe, list);
		xr_write_cqe(ctx, ocqe->cqe.user_data, ocqe->cqe.res,
			     ocqe->cqe.flags);
		list_del(&ocqe->list);
		kfree(ocqe);
	}
	if (list_empty(&ctx->cq_overflow_list)) {
		WRITE_ONCE(ctx->check_overflow, false);
		atomic_andnot(XURING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
}

static void xr_cq_posted(struct xr_ring_ctx *ctx);
static void xr_req_complete_inline(struct xr_req *req);
static void xr_issue_inline(struct xr_req *req);

/* See xr_cqring_overflow_flush(): there are overflowed CQEs. */
bool xr_cqring_overflow_flush_slow(struct xr_ring_ctx *ctx)
{
	unsigned int tail;
	bool flushed;

	spin_lock_irq(&ctx->completion_lock);
	tail = ctx->cached_cq_tail;
	__xr_cqring_overflow_flush(ctx);
	flushed = !ctx->check_overflow;
	if (tail != ctx->cached_cq_tail)
		xr_commit_cqring(ctx);
	spin_unlock_irq(&ctx->completion_lock);

	if (tail != ctx->cached_cq_tail)
		xr_cq_posted(ctx);
	return flushed;
}

/* Anything in req->flags that xr_req_clean() has to let go of. */
#define XR_REQ_F_CLEAN		(XR_REQ_F_OWN_MM | XR_REQ_F_OWN_CREDS | \
				 XR_REQ_F_TASK | XR_REQ_F_RSRC | \
				 XR_REQ_F_RING_FILE)

/* See xr_req_clean(): what the usual request does not hold. */
static void __xr_req_clean(struct xr_req *req)
{
	if (req->async_data) {
		const struct xr_op_def *def = xr_op_def(req->opcode);

		if (def->cleanup)
			def->cleanup(req);
		kfree(req->async_data);
	}
	if (req->flags & XR_REQ_F_OWN_MM)
		mmdrop(req->mm);
	if (req->flags & XR_REQ_F_OWN_CREDS)
		put_cred(req->creds);
	if (req->flags & XR_REQ_F_TASK)
		put_task_struct(req->task);
	if (req->flags & XR_REQ_F_RSRC)
		xr_req_put_rsrc(req);
	if (req->flags & XR_REQ_F_RING_FILE)
		xr_ctx_put(req->ring);
}

/*
 * Let go of what a finished request holds, short of the request itself. A
 * NOP, say, holds nothing; a read or write its file only: no call of ours.
 */
static inline void xr_req_clean(struct xr_req *req)
{
	if (req->file)
		fput(req->file);
	if (req->async_data || (req->flags & XR_REQ_F_CLEAN))
		__xr_req_clean(req);
}

/* Post @req's CQE, and the -ECANCELED of a LINK_TIMEOUT it beat. */
static __always_inline void xr_post_req(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	xr_fill_cqe(ctx, req->user_data, req->res, req->cflags);
	if (unlikely(req->flags & XR_REQ_F_LTIMEOUT_ARMED)) {
		bool release = false;
		struct xr_req *lt = xr_link_timeout_disarm(req, &release);

		if (lt) {
			xr_fill_cqe(ctx, lt->user_data, lt->res, lt->cflags);
			if (release)
				list_add_tail(&lt->list, &ctx->posted_reqs);
		}
	}
}

/*
 * Post @req's CQE with completion_lock held; it is released (its chain
 * started, the request freed) by xr_cq_posted() once the lock is dropped.
 * A count TIMEOUT gets here: a LINK_TIMEOUT after it goes with it.
 */
void xr_post_locked(struct xr_req *req)
{
	xr_post_req(req);
	list_add_tail(&req->list, &req->ctx->posted_reqs);
}

/*
 * Complete @req and every request linked after it with @err (one that
 * failed already keeps its own result): a chain that will not run.
 */
static void xr_fail_chain(struct xr_req *req, int err, bool in_submit)
{
	while (req) {
		struct xr_req *next = req->link;

		req->link = NULL;
		xr_req_fail_first(req, err);
		if (in_submit)
			xr_req_complete_inline(req);
		else
			xr_req_complete_post(req);
		req = next;
	}
}

/*
 * Start a request that went async before it could be issued (linked, or
 * waiting for a drain): in a worker, or in its submitter if it must.
 */
static void xr_req_queue_async(struct xr_req *req)
{
	if (xr_op_def(req->opcode)->submitter_only)
		xr_req_queue_retry(req);
	else
		xr_punt(req);
}

/*
 * @req's CQE is out: start what is linked after it, or, if it failed and
 * the link is not a hard one, fail the rest of the chain.
 */
static void xr_req_finish_link(struct xr_req *req, bool in_submit)
{
	struct xr_req *next = req->link;

	req->link = NULL;
	if (!next)
		return;
	if ((req->flags & XR_REQ_F_FAIL) &&
	    !(req->flags & XURING_SQE_IO_HARDLINK))
		xr_fail_chain(next, -ECANCELED, in_submit);
	/* another task's submit call may complete @req: not its to issue */
	else if (in_submit && xr_req_is_submitter(next))
		xr_issue_inline(next);
	else
		xr_req_queue_async(next);
}

/* A request whose CQE is posted: start its chain, free it. Any context. */
void xr_req_release(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	bool async = req->flags & XR_REQ_F_ASYNC;

	xr_req_finish_link(req, false);
	xr_req_clean(req);
	llist_add(&req->cache_node, &ctx->locked_free);
	if (async)
		xr_ctx_put(ctx);
}

/* What only process context may put: an mm, creds or task of its own. */
#define XR_REQ_F_PROCESS_PUTS	(XR_REQ_F_OWN_MM | XR_REQ_F_OWN_CREDS | \
				 XR_REQ_F_TASK)

/*
 * Outside process context, a request that holds an mm, creds or task of
 * its own goes on to @fn in a work item, where an mmdrop() may run: true
 * when it did.
 */
static bool xr_req_defer_puts(struct xr_req *req, work_func_t fn)
{
	if (likely(in_task() || !(req->flags & XR_REQ_F_PROCESS_PUTS)))
		return false;
	INIT_WORK(&req->work, fn);
	queue_work(xr_wq, &req->work);
	return true;
}

static void xr_req_release_work(struct work_struct *work)
{
	xr_req_release(container_of(work, struct xr_req, work));
}

/*
 * xr_req_release() from any context: requests posted under the lock (count
 * TIMEOUTs, LINK_TIMEOUTs) may be released from a timer or the block
 * layer's interrupt.
 */
static void xr_req_release_any(struct xr_req *req)
{
	if (!xr_req_defer_puts(req, xr_req_release_work))
		xr_req_release(req);
}

/*
 * Under completion_lock: whether @req must wait for what was submitted
 * before it (IO_DRAIN on it, or a drain before it not yet complete).
 */
static bool xr_drain_blocks(struct xr_ring_ctx *ctx, struct xr_req *req)
{
	if (ctx->drain_active && (s32)(ctx->cq_produced - ctx->drain_seq) <= 0)
		return true;
	if (req->flags & XURING_SQE_IO_DRAIN) {
		if (ctx->cq_produced != req->seq)
			return true;
		/* everything before it is done: it runs, and what follows waits */
		ctx->drain_active = true;
		ctx->drain_seq = req->seq;
	}
	return false;
}

/* Move the deferred requests that may run now to @ready. */
static void xr_defer_collect(struct xr_ring_ctx *ctx, struct list_head *ready)
{
	struct xr_req *req;

	lockdep_assert_held(&ctx->completion_lock);
	while ((req = list_first_entry_or_null(&ctx->defer_list,
					       struct xr_req, list))) {
		if (xr_drain_blocks(ctx, req))
			break;
		list_move_tail(&req->list, ready);
	}
}

/*
 * Requests posted under the lock, and drained requests that may now run.
 * Failing one of those posts CQEs, which calls this again: the call that
 * is running takes that work over, so that a long run of failed requests
 * behind drains does not nest one call per drain.
 */
static void __cold xr_cq_post_work(struct xr_ring_ctx *ctx)
{
	struct xr_req *req, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	if (ctx->post_running) {
		ctx->post_again = true;
		spin_unlock_irqrestore(&ctx->completion_lock, flags);
		return;
	}
	ctx->post_running = true;
	do {
		LIST_HEAD(posted);
		LIST_HEAD(ready);

		ctx->post_again = false;
		list_splice_init(&ctx->posted_reqs, &posted);
		xr_defer_collect(ctx, &ready);
		spin_unlock_irqrestore(&ctx->completion_lock, flags);

		list_for_each_entry_safe(req, tmp, &posted, list)
			xr_req_release_any(req);
		list_for_each_entry_safe(req, tmp, &ready, list) {
			if (req->flags & XR_REQ_F_FAIL)
				xr_fail_chain(req, -ECANCELED, false);
			else
				xr_req_queue_async(req);
		}
		spin_lock_irqsave(&ctx->completion_lock, flags);
	} while (ctx->post_again);
	ctx->post_running = false;
	spin_unlock_irqrestore(&ctx->completion_lock, flags);
}

/* After CQEs are posted and the lock dropped: wake, and the slow work. */
static void xr_cq_posted(struct xr_ring_ctx *ctx)
{
	xr_cqring_ev_posted(ctx);
	if (unlikely(!list_empty(&ctx->posted_reqs) ||
		     !list_empty(&ctx->defer_list)))
		xr_cq_post_work(ctx);
}

/* Put a request back in the cache; uring_lock held. */
static void xr_req_cache_put(struct xr_ring_ctx *ctx, struct xr_req *req)
{
	req->cache_node.next = ctx->free_cache;
	ctx->free_cache = &req->cache_node;
}

/* Post the CQEs of the requests linked through cache_node from @first. */
static void xr_post_batch(struct xr_ring_ctx *ctx, struct llist_node *first)
{
	struct xr_req *req;

	spin_lock_irq(&ctx->completion_lock);
	llist_for_each_entry(req, first, cache_node)
		xr_post_req(req);
	xr_commit_cqring(ctx);
	spin_unlock_irq(&ctx->completion_lock);
	xr_cq_posted(ctx);
}

/* Post the CQEs of the requests completed inline, and recycle them. */
static void xr_flush_completions(struct xr_ring_ctx *ctx)
{
	while (ctx->compl_first) {
		struct llist_node *batch = ctx->compl_first;
		struct xr_req *req, *tmp;
		unsigned int puts = 0;

		ctx->compl_first = NULL;
		ctx->compl_last = &ctx->compl_first;
		xr_post_batch(ctx, batch);

		llist_for_each_entry_safe(req, tmp, batch, cache_node) {
			/* what a chain starts lands on compl_first: next round */
			if (unlikely(req->link))
				xr_req_finish_link(req, true);
			xr_req_clean(req);
			if (req->flags & XR_REQ_F_ASYNC)
				puts++;
			xr_req_cache_put(ctx, req);
		}
		if (puts)
			xr_ctx_put_many(ctx, puts);
	}
}

static void __xr_req_complete_post(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	xr_post_req(req);
	xr_commit_cqring(ctx);
	spin_unlock_irqrestore(&ctx->completion_lock, flags);
	xr_cq_posted(ctx);
	xr_req_release(req);
}

/*
 * Complete the requests linked through cache_node from @first, their
 * results set, with one completion_lock round trip: the IOPOLL reaper's
 * batch. Process context; @locked: uring_lock is held, and the requests go
 * straight back to the request cache.
 */
void xr_req_complete_batch(struct xr_ring_ctx *ctx, struct llist_node *first,
			   bool locked)
{
	unsigned int puts = 0, polled = 0;
	struct llist_node *last = NULL;
	struct xr_req *req;

	if (!first)
		return;
	xr_post_batch(ctx, first);
	/*
	 * xr_req_release() for each, with one llist_add (or none), one ring
	 * reference put and one iopoll_inflight update for the batch
	 */
	llist_for_each_entry(req, first, cache_node) {
		if (unlikely(req->link))
			xr_req_finish_link(req, false);
		if (req->flags & XR_REQ_F_IOPOLL) {
			req->flags &= ~XR_REQ_F_IOPOLL;
			polled++;
		}
		xr_req_clean(req);
		if (req->flags & XR_REQ_F_ASYNC)
			puts++;
		last = &req->cache_node;
	}
	if (locked) {
		lockdep_assert_held(&ctx->uring_lock);
		last->next = ctx->free_cache;
		ctx->free_cache = first;
	} else {
		llist_add_batch(first, last, &ctx->locked_free);
	}
	if (polled)
		atomic_sub(polled, &ctx->iopoll_inflight);
	if (puts)
		xr_ctx_put_many(ctx, puts);
}

static void xr_req_complete_work(struct work_struct *work)
{
	__xr_req_complete_post(container_of(work, struct xr_req, work));
}

/*
 * Complete a request outside the submit call: a worker, a wakeup, a timer,
 * or the block layer's interrupt. Its result is already set.
 */
void xr_req_complete_post(struct xr_req *req)
{
	/*
	 * Completed by the submit call itself, under its uring_lock (a block
	 * driver that completes at once, as null_blk does, or a cancel):
	 * the CQE goes out with the submit call's batch.
	 */
	if (in_task() && READ_ONCE(req->ctx->submit_task) == current) {
		xr_req_complete_inline(req);
		return;
	}
	/* dropping an mm, creds or task of its own takes process context */
	if (xr_req_defer_puts(req, xr_req_complete_work))
		return;
	__xr_req_complete_post(req);
}

void xr_req_fail_post(struct xr_req *req, int err)
{
	xr_req_set_res(req, err, 0);
	req->flags |= XR_REQ_F_FAIL;
	xr_req_complete_post(req);
}

void xr_queue_work(struct work_struct *work)
{
	queue_work(xr_wq, work);
}

/* The request completes outside the submit call but needs no identity. */
void xr_req_hold_ring(struct xr_req *req)
{
	if (!(req->flags & XR_REQ_F_ASYNC)) {
		req->flags |= XR_REQ_F_ASYNC;
		refcount_inc(&req->ctx->refs);
	}
}

/* Refill the request cache: first what was freed elsewhere, else a batch. */
static bool __cold xr_req_cache_refill(struct xr_ring_ctx *ctx)
{
	void *reqs[XR_REQ_ALLOC_BATCH];
	int i, n;

	ctx->free_cache = llist_del_all(&ctx->locked_free);
	if (ctx->free_cache)
		return true;

	n = kmem_cache_alloc_bulk(xr_req_cachep, GFP_KERNEL | __GFP_NOWARN,
				  ARRAY_SIZE(reqs), reqs);
	if (unlikely(n <= 0)) {
		reqs[0] = kmem_cache_alloc(xr_req_cachep, GFP_KERNEL);
		if (!reqs[0])
			return false;
		n = 1;
	}
	for (i = 0; i < n; i++)
		xr_req_cache_put(ctx, reqs[i]);
	return true;
}

static struct xr_req *xr_alloc_req(struct xr_ring_ctx *ctx)
{
	struct llist_node *node;

	if (unlikely(!ctx->free_cache) && !xr_req_cache_refill(ctx))
		return NULL;
	node = ctx->free_cache;
	ctx->free_cache = node->next;
	return llist_entry(node, struct xr_req, cache_node);
}

/* Completed in the submit call: its CQE goes out with the batch. */
static void xr_req_complete_inline(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;

	req->cache_node.next = NULL;
	*ctx->compl_last = &req->cache_node;
	ctx->compl_last = &req->cache_node.next;
}

static void xr_req_fail(struct xr_req *req, int err)
{
	req->flags |= XR_REQ_F_FAIL;
	xr_req_set_res(req, err, 0);
	xr_req_complete_inline(req);
}

/*
 * @req names a ring's fd: it holds that ring, not its file. A request that
 * waits (behind a drain or a link, or polling) would otherwise keep the
 * file open, and the ring alive, after every fd and mapping is gone: the
 * ring's own request, or one of a ring that it holds back. A POLL_ADD asks
 * the ring itself (see poll.c); other ops borrow the file to be issued,
 * while it is open, and fail quickly on it.
 */
static void __cold xr_req_hold_ring_file(struct xr_req *req)
{
	req->ring = req->file->private_data;
	xr_ctx_get(req->ring);
	fput(req->file);
	req->file = NULL;
	req->flags |= XR_REQ_F_RING_FILE;
}

/*
 * xr_issue() for a request that needs a file and has none: a bad fd
 * (-EBADF), or a ring's (see xr_req_hold_ring_file()). A POLL_ADD asks the
 * ring itself; other ops borrow the file, while it is open, for this
 * attempt only: one that must be tried again (in a worker, maybe behind
 * others for long) does not keep it meanwhile.
 */
static int __cold xr_issue_no_file(struct xr_req *req,
				   const struct xr_op_def *def,
				   unsigned int issue_flags)
{
	int ret;

	if (!(req->flags & XR_REQ_F_RING_FILE))
		return -EBADF;
	if (req->opcode != XURING_OP_POLL_ADD) {
		rcu_read_lock();
		req->file = xr_get_file_rcu(&req->ring->file);
		rcu_read_unlock();
		if (!req->file)
			return -EBADF;
	}
	ret = def->issue(req, issue_flags);
	/* still ours: done or failed requests are completed by the caller */
	if (ret == -EAGAIN && req->file) {
		fput(req->file);
		req->file = NULL;
	}
	return ret;
}

/*
 * Run the op's issue handler. A bad fd was found when the SQE was read but
 * fails the request only now, when it runs: as in io_uring, where files are
 * looked up at issue, it is not an error that takes a whole chain down.
 */
static __always_inline int xr_issue(struct xr_req *req,
				    unsigned int issue_flags)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (unlikely(def->needs_file && !req->file))
		return xr_issue_no_file(req, def, issue_flags);
	/* with retpolines, the usual ops get a direct call */
	return INDIRECT_CALL_3(def->issue, xr_read, xr_write, xr_nop, req,
			       issue_flags);
}

/* Whether a -EAGAIN of @req is waited out on its file (FAST_POLL). */
static bool xr_req_pollable(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (unlikely(!req->file))
		return (req->flags & XR_REQ_F_RING_FILE) &&
		       req->opcode == XURING_OP_POLL_ADD;
	return (def->pollin || def->pollout || def->poll_events) &&
	       file_can_poll(req->file);
}

static __poll_t xr_req_poll_mask(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (def->poll_events)
		return def->poll_events(req);
	return def->pollin ? EPOLLIN | EPOLLRDNORM : EPOLLOUT | EPOLLWRNORM;
}

/*
 * The request leaves the submit call: it keeps the ring alive, and records
 * who submitted it, so that a worker can act as them. Requests from the
 * ring's creator (the usual case) share the ring's references; for a task
 * with the ring's mm and credentials, xr_req_go_async() does it inline.
 */
void __xr_req_go_async(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);
	struct xr_ring_ctx *ctx = req->ctx;
	struct mm_struct *mm = current->mm;
	const struct cred *creds = current_cred();

	req->flags |= XR_REQ_F_ASYNC;
	refcount_inc(&ctx->refs);
	/* the SQ thread submits for the ring's creator */
	req->owner = current->flags & PF_KTHREAD ? ctx->owner : current->files;
	req->fsize = rlimit(RLIMIT_FSIZE);

	req->mm = ctx->mm;
	if (unlikely(mm && mm != ctx->mm)) {
		mmgrab(mm);
		req->mm = mm;
		req->flags |= XR_REQ_F_OWN_MM;
	}
	/* a registered personality has its own creds already */
	if (likely(!(req->flags & XR_REQ_F_PERSONALITY))) {
		req->creds = ctx->creds;
		if (unlikely(creds != ctx->creds)) {
			req->creds = get_cred(creds);
			req->flags |= XR_REQ_F_OWN_CREDS;
		}
	}
	if (def->submitter_only ||
	    (def->retry_in_task && !(current->flags & PF_KTHREAD))) {
		req->task = get_task_struct(current);
		req->flags |= XR_REQ_F_TASK;
	}
}

/*
 * Whether the running task is the one that submitted @req (recorded by
 * __xr_req_go_async()): the same mm and fd table, and for ops that act on
 * it, the same task. A task that has exec'd since has a new mm (and maybe
 * setuid credentials); 5.10 cancels a task's requests at exec, xuring
 * checks what it recorded wherever a request resumes.
 */
static bool xr_req_same_task(struct xr_req *req)
{
	fl_owner_t owner = current->flags & PF_KTHREAD ? req->ctx->owner :
							 current->files;

	return current->mm == req->mm && owner == req->owner &&
	       (!(req->flags & XR_REQ_F_TASK) || req->task == current);
}

/* ... and with the same credentials, for an issue that does not set them. */
static bool xr_req_is_submitter(struct xr_req *req)
{
	return xr_req_same_task(req) &&
	       ((req->flags & XR_REQ_F_PERSONALITY) ||
		current_cred() == req->creds);
}

/*
 * An op retried in task_work: a non-blocking attempt, then a wait for its
 * file. One that cannot wait on a file at all (a CLOSE of a file with
 * ->flush) is issued blocking, here, in the submitter. Returns
 * XR_ISSUE_QUEUED when it waits.
 */
static int xr_issue_task_work(struct xr_req *req)
{
	int ret = xr_issue(req, XR_ISSUE_F_NONBLOCK);

	if (ret != -EAGAIN || (req->flags & XR_REQ_F_NOWAIT))
		return ret;
	if (!xr_req_pollable(req))
		return xr_issue(req, 0);
	ret = xr_poll_arm(req, xr_req_poll_mask(req));
	if (ret == XR_ARM_WAITING)
		return XR_ISSUE_QUEUED;
	if (ret == XR_ARM_READY) {
		/* one more wakeup round rather than a loop in here */
		xr_req_queue_retry(req);
		return XR_ISSUE_QUEUED;
	}
	return ret == XR_ARM_CANT ? -EAGAIN : ret;
}

/*
 * task_work: a submitter_only or retry_in_task request retried in its
 * submitter, with the credentials it was submitted with. The task may have exec'd since, maybe
 * a setuid program: then the request is canceled, never run for the new
 * image; so it is when the task is exiting (its files are no place to
 * install fds in) or the ring is going away.
 */
static void xr_req_task_work_fn(struct callback_head *cb)
{
	struct xr_req *req = container_of(cb, struct xr_req, task_work);
	const struct cred *creds, *old;
	struct xr_req *lt = NULL;
	int ret;

	xr_poll_end_wait(req);
	if (unlikely((current->flags & PF_EXITING) ||
		     READ_ONCE(req->ctx->dying) || !xr_req_same_task(req))) {
		xr_req_fail_post(req, -ECANCELED);
		return;
	}
	if (unlikely(req->flags & XR_REQ_F_LTIMEOUT))
		lt = xr_link_timeout_take(req);
	/* the request may complete and go away: hold the creds ourselves */
	creds = get_cred(req->creds);
	old = override_creds(creds);
	ret = xr_issue_task_work(req);
	revert_creds(old);
	put_cred(creds);

	if (ret == XR_ISSUE_DONE)
		xr_req_complete_post(req);
	else if (ret != XR_ISSUE_QUEUED)
		xr_req_fail_post(req, ret);
	if (lt)
		xr_link_timeout_arm(lt, ret == XR_ISSUE_QUEUED);
}

/*
 * A request canceled while its retry waited to run: off its other wait
 * queue and the poll list (not from a wakeup, under a wait queue's lock),
 * then -ECANCELED.
 */
void xr_req_cancel_queued(struct xr_req *req)
{
	xr_poll_end_wait(req);
	xr_req_fail_post(req, -ECANCELED);
}

/* A submitter_only request to retry whose submitter is gone. */
static void xr_req_cancel_work(struct work_struct *work)
{
	xr_req_cancel_queued(container_of(work, struct xr_req, work));
}

/*
 * Which workers may run @req: on a regular file, buffered writes and the
 * like wait for the inode's others; on anything else, an op that may
 * block for as long as the file's peer likes goes to the unbound ones.
 */
static void xr_req_set_work_class(struct xr_req *req,
				  const struct xr_op_def *def)
{
	struct inode *inode;

	if (!req->file)
		return;
	inode = file_inode(req->file);
	if (!S_ISREG(inode->i_mode)) {
		if (def->unbound_nonreg_file)
			req->flags |= XR_REQ_F_UNBOUND;
	} else if (def->hash_reg_file) {
		req->flags |= XR_REQ_F_HASHED;
		req->hash = hash_ptr(inode, XR_IOWQ_HASH_BITS);
	}
}

/*
 * A FAST_POLL wakeup: the retry goes to a worker, or for submitter_only and
 * retry_in_task ops to the submitter as task_work. Any context.
 */
void xr_req_queue_retry(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	if (!(req->flags & XR_REQ_F_TASK)) {
		xr_req_set_work_class(req, def);
		xr_iowq_enqueue(req->ctx->iowq, req);
		return;
	}
	init_task_work(&req->task_work, xr_req_task_work_fn);
	/* the task is exiting: nobody to install anything for */
	if (task_work_add(req->task, &req->task_work, TWA_SIGNAL)) {
		INIT_WORK(&req->work, xr_req_cancel_work);
		queue_work(xr_wq, &req->work);
	}
}

/* Hand @req to the workers. Buffered writes queue behind their inode's. */
void xr_punt(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);

	xr_req_go_async(req);
	xr_req_set_work_class(req, def);
	trace_xuring_queue_async(req->ctx, req, req->user_data, req->opcode,
				 req->flags & XR_REQ_F_HASHED);
	atomic_long_inc(&req->ctx->nr_async);
	xr_iowq_enqueue(req->ctx->iowq, req);
}

/*
 * Issue @req in a worker, with its submitter's mm, credentials and file
 * size limit (io-wq's IO_WQ_WORK_FSIZE). A kworker's signal struct is its
 * own, and it ignores the SIGXFSZ a write past the limit sends.
 */
static int xr_issue_as_submitter(struct xr_req *req, unsigned int issue_flags)
{
	/* the request may complete, and be reused, before issue() returns */
	struct mm_struct *mm = req->mm;
	const struct cred *creds, *old;
	unsigned long old_fsize;
	int ret;

	/* the submitter is gone: nothing to act as, as io_uring cancels it */
	if (!mmget_not_zero(mm))
		return -ECANCELED;
	creds = get_cred(req->creds);
	kthread_use_mm(mm);
	old = override_creds(creds);
	old_fsize = xr_swap_fsize(req->fsize);

	ret = xr_issue(req, issue_flags);

	xr_swap_fsize(old_fsize);
	revert_creds(old);
	kthread_unuse_mm(mm);
	put_cred(creds);
	mmput(mm);
	return ret;
}

/*
 * A worker runs @req: pollable files get non-blocking attempts and wait for
 * readiness between them, anything else may block here.
 */
void xr_run_async(struct xr_req *req)
{
	unsigned int issue_flags = 0;
	bool ready_seen = false;
	int ret;

	/* running here, a cancel finds the request: the timer may start */
	if (unlikely(req->flags & XR_REQ_F_LTIMEOUT))
		xr_link_timeout_arm(xr_link_timeout_take(req), true);
	xr_poll_end_wait(req);
	if (unlikely(READ_ONCE(req->ctx->dying))) {
		xr_req_fail_post(req, -ECANCELED);
		return;
	}
	/*
	 * The bad fd of xr_issue(), before anything looks at the file. It
	 * fails here, not in xr_punt(): the CQE starts what is hard-linked
	 * after it, and a chain of such requests failed by their punts
	 * would nest one call per link, until the stack overflows.
	 */
	if (unlikely(xr_req_bad_file(req, xr_op_def(req->opcode)))) {
		xr_req_fail_post(req, -EBADF);
		return;
	}
	/* after a poll said ready, files that cannot try without blocking just go */
	if (xr_req_pollable(req) && !(req->flags & XR_REQ_F_REISSUE) &&
	    (!(req->flags & XR_REQ_F_POLLED) ||
	     xr_op_def(req->opcode)->poll_events || xr_file_nowait(req->file)))
		issue_flags = XR_ISSUE_F_NONBLOCK;

	for (;;) {
		ret = xr_issue_as_submitter(req, issue_flags);
		if (ret == XR_ISSUE_DONE) {
			xr_req_complete_post(req);
			return;
		}
		if (ret == XR_ISSUE_QUEUED)
			return;
		if (ret != -EAGAIN || !(issue_flags & XR_ISSUE_F_NONBLOCK))
			break;

		ret = xr_poll_arm(req, xr_req_poll_mask(req));
		if (ret == XR_ARM_WAITING)
			return;
		/*
		 * Ready, yet -EAGAIN again (a ->write that cannot be tried
		 * without blocking, as eventfd's): stop trying, block here.
		 */
		if (ret == XR_ARM_CANT ||
		    (ret == XR_ARM_READY &&
		     ((req->file && !xr_file_nowait(req->file)) || ready_seen)))
			issue_flags = 0;
		else if (ret != XR_ARM_READY)
			break;
		ready_seen = true;
	}
	xr_req_fail_post(req, ret);
}

/* The SQE the next SQ array slot points at; NULL (and counted) if invalid. */
static const struct xuring_sqe *xr_get_sqe(struct xr_ring_ctx *ctx)
{
	unsigned int idx;

	idx = READ_ONCE(ctx->sq_array[ctx->cached_sq_head++ & ctx->sq_mask]);
	if (likely(idx < ctx->sq_entries))
		return &ctx->sq_sqes[array_index_nospec(idx, ctx->sq_entries)];

	WRITE_ONCE(ctx->rings->sq_dropped, ++ctx->cached_sq_dropped);
	return NULL;
}

/* Read the SQE's common fields, resolve the file, and let the op prep. */
static int xr_init_req(struct xr_ring_ctx *ctx, struct xr_req *req,
		       const struct xuring_sqe *sqe)
{
	const struct xr_op_def *def;
	unsigned int sqe_flags;
	u8 opcode;
	int ret;

	req->ctx = ctx;
	req->file = NULL;
	req->res = 0;
	req->cflags = 0;
	req->async_data = NULL;
	req->link = NULL;
	req->seq = ctx->submit_seq++;
	INIT_LIST_HEAD(&req->poll_node);
	opcode = READ_ONCE(sqe->opcode);
	req->opcode = opcode;
	req->user_data = READ_ONCE(sqe->user_data);
	/* link flags count even when the SQE turns out bad: the chain fails */
	sqe_flags = READ_ONCE(sqe->flags);
	req->flags = sqe_flags & XR_REQ_F_LINK_FLAGS;

	if (unlikely(opcode >= XURING_OP_LAST))
		return -EINVAL;
	def = xr_op_def(array_index_nospec(opcode, XURING_OP_LAST));

	if (unlikely(sqe_flags & ~XR_SQE_VALID_FLAGS))
		return -EINVAL;
	req->flags = sqe_flags;
	if (unlikely(xr_op_denied(opcode)))
		return -EACCES;
	if (unlikely(sqe_flags & XURING_SQE_IO_DRAIN))
		ctx->drain_used = true;

	/* restrictions, BUFFER_SELECT, IOPOLL, personality: register.h */
	ret = xr_req_init_regs(ctx, req, def, sqe);
	if (unlikely(ret))
		return ret;
	/* after a chain that had an IO_DRAIN in it (see xr_submit_sqe()) */
	if (unlikely(ctx->drain_next) && !ctx->link_head) {
		req->flags |= XURING_SQE_IO_DRAIN;
		ctx->drain_next = false;
	}

	/* the SQ thread has no fd table, cwd or root of the submitter's */
	if (unlikely(def->submitter_only && (ctx->flags & XURING_SETUP_SQPOLL)))
		return -EINVAL;

	if (def->needs_file) {
		int fd = READ_ONCE(sqe->fd);

		if (sqe_flags & XURING_SQE_FIXED_FILE)
			req->file = xr_file_get_fixed(ctx, fd);
		/* the SQ thread has no file table of the submitter's */
		else if (likely(!(ctx->flags & XURING_SETUP_SQPOLL))) {
			req->file = fget(fd);
			if (unlikely(req->file && xr_is_ring_file(req->file)))
				xr_req_hold_ring_file(req);
		}
		/* no file: -EBADF when it is issued, see xr_issue() */
	}
	return INDIRECT_CALL_2(def->prep, xr_prep_rw, xr_nop_prep, req, sqe);
}

/*
 * The non-blocking attempt could not finish: wait for the file to be ready,
 * or hand the request to a worker. -EAGAIN: the file is ready, try again.
 */
static int xr_arm_or_punt(struct xr_req *req)
{
	bool submitter_only = xr_op_def(req->opcode)->submitter_only;

	if (xr_req_pollable(req)) {
		int ret = xr_poll_arm(req, xr_req_poll_mask(req));

		if (ret == XR_ARM_WAITING)
			return 0;
		if (ret == XR_ARM_READY)
			return -EAGAIN;
		if (ret != XR_ARM_CANT)
			return ret;
	}
	/* no worker may act on the submitter's fd table */
	if (submitter_only)
		return -EAGAIN;
	xr_punt(req);
	return 0;
}

/*
 * After a first non-blocking attempt in the submit call that returned @ret,
 * neither done nor queued: wait for the file, retry, hand the request to a
 * worker, or fail it. The submit call must not block; submitter_only ops
 * that can neither wait nor go to a worker are issued blocking, here, as a
 * last resort.
 */
static void xr_issue_inline_retry(struct xr_req *req, int ret)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);
	unsigned int issue_flags = XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_INLINE;
	bool retried = false;

	for (;;) {
		if (ret != -EAGAIN || (req->flags & XR_REQ_F_NOWAIT) ||
		    !(issue_flags & XR_ISSUE_F_NONBLOCK))
			goto fail;

		/* ready again at once: one more try here, then a worker */
		if (retried) {
			if (!def->submitter_only) {
				xr_punt(req);
				return;
			}
			issue_flags &= ~XR_ISSUE_F_NONBLOCK;
		} else {
			ret = xr_arm_or_punt(req);
			if (ret != -EAGAIN)
				break;
			retried = true;
		}
		ret = xr_issue(req, issue_flags);
		if (likely(ret == XR_ISSUE_DONE)) {
			xr_req_complete_inline(req);
			return;
		}
		if (ret == XR_ISSUE_QUEUED)
			return;
	}
	if (!ret)
		return;
fail:
	xr_req_fail(req, ret);
}

/* The first attempt in the submit call; the rest is out of line. */
static __always_inline void xr_issue_inline_first(struct xr_req *req)
{
	int ret = xr_issue(req, XR_ISSUE_F_NONBLOCK | XR_ISSUE_F_INLINE);

	if (likely(ret == XR_ISSUE_DONE))
		xr_req_complete_inline(req);
	else if (ret != XR_ISSUE_QUEUED)
		xr_issue_inline_retry(req, ret);
}

static void __xr_issue_inline(struct xr_req *req)
{
	const struct xr_op_def *def = xr_op_def(req->opcode);
	int ret;

	if (unlikely(xr_req_bad_file(req, def))) {
		xr_req_fail(req, -EBADF);
		return;
	}
	if ((req->flags & XURING_SQE_ASYNC) && !def->submitter_only) {
		/* keep nothing userspace may reuse once the SQE is consumed */
		ret = def->prep_async ? def->prep_async(req) : 0;
		if (unlikely(ret)) {
			xr_req_fail(req, ret);
			return;
		}
		xr_punt(req);
		return;
	}
	xr_issue_inline_first(req);
}

/*
 * Issue @req, which a LINK_TIMEOUT follows, and then start the timer if
 * the request has not completed in here: it is where a cancel finds it
 * now. One that completed here is the last on the inline completion list.
 */
static void __cold xr_issue_inline_ltimeout(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	struct xr_req *lt = xr_link_timeout_take(req);

	__xr_issue_inline(req);
	/* only the address of @req: it may be gone */
	xr_link_timeout_arm(lt, ctx->compl_last != &req->cache_node.next);
}

/* The submit call issues @req, with its registered personality if any. */
static void xr_issue_inline(struct xr_req *req)
{
	const struct cred *creds = NULL, *old = NULL;

	if (likely(!(req->flags & (XR_REQ_F_PERSONALITY | XR_REQ_F_LTIMEOUT)))) {
		__xr_issue_inline(req);
		return;
	}
	/* the request may complete and go away: hold the creds ourselves */
	if (req->flags & XR_REQ_F_PERSONALITY) {
		creds = get_cred(req->creds);
		old = override_creds(creds);
	}
	if (req->flags & XR_REQ_F_LTIMEOUT)
		xr_issue_inline_ltimeout(req);
	else
		__xr_issue_inline(req);
	if (creds) {
		revert_creds(old);
		put_cred(creds);
	}
}

/*
 * Under IO_DRAIN: park @req (and its chain) until what it waits for has
 * completed. Returns false when it may run now.
 */
static bool xr_defer_req(struct xr_req *req)
{
	struct xr_ring_ctx *ctx = req->ctx;
	const struct xr_op_def *def;
	struct xr_req *link;
	bool defer;

	spin_lock_irq(&ctx->completion_lock);
	defer = !list_empty(&ctx->defer_list) || xr_drain_blocks(ctx, req);
	spin_unlock_irq(&ctx->completion_lock);
	if (!defer)
		return false;

	/*
	 * It runs after the SQE is given back, from another context. One
	 * that failed waits too: its CQE comes in order, or a drain before
	 * it, counting CQEs, would wait forever.
	 */
	if (req->flags & XR_REQ_F_FAIL) {
		/* it never runs: the ring is all it needs, for each CQE */
		for (link = req; link; link = link->link)
			xr_req_hold_ring(link);
	} else {
		def = xr_op_def(req->opcode);
		if (def->prep_async && def->prep_async(req))
			xr_req_set_res(req, -ENOMEM, 0);	/* fails it */
		xr_req_go_async(req);
	}
	spin_lock_irq(&ctx->completion_lock);
	list_add_tail(&req->list, &ctx->defer_list);
	spin_unlock_irq(&ctx->completion_lock);
	/* what it waited for may have finished meanwhile */
	xr_cq_posted(ctx);
	return true;
}

/* Run a request, or a chain's head, that is ready in the submit call. */
static void xr_queue_sqe(struct xr_req *req)
{
	if (unlikely(req->ctx->drain_used) && xr_defer_req(req))
		return;
	if (unlikely(req->flags & XR_REQ_F_FAIL)) {
		/* a chain with a bad SQE in it fails whole, hard links too */
		xr_fail_chain(req, -ECANCELED, true);
		return;
	}
	xr_issue_inline(req);
}

/*
 * @req could not be initialised: it fails with @err, and so does the chain
 * it is in (whose head fails with -ECANCELED). Returns nonzero when the
 * submission stops here: at the end of the chain, as io_uring does.
 */
static int xr_submit_fail_init(struct xr_ring_ctx *ctx, struct xr_req *req,
			       int err)
{
	struct xr_req *head = ctx->link_head;

	xr_req_set_res(req, err, 0);	/* fails it */
	if (head)
		xr_req_fail_first(head, -ECANCELED);
	if (!(req->flags & XR_REQ_F_LINK_FLAGS)) {
		if (head) {
			ctx->link_last->link = req;
			ctx->link_head = NULL;
			req = head;
		}
		xr_queue_sqe(req);
		return err;
	}
	if (head)
		ctx->link_last->link = req;
	else
		ctx->link_head = req;
	ctx->link_last = req;
	return 0;
}

/*
 * Initialise the request for @sqe and run it, or add it to the IO_LINK
 * chain being put together (a chain runs once its last SQE is in).
 */
static int xr_submit_sqe(struct xr_ring_ctx *ctx, struct xr_req *req,
			 const struct xuring_sqe *sqe)
{
	const struct xr_op_def *def;
	int ret;

	ret = xr_init_req(ctx, req, sqe);
	if (unlikely(ret))
		return xr_submit_fail_init(ctx, req, ret);
	trace_xuring_submit(ctx, req, req->user_data, req->opcode, req->flags);

	if (unlikely(ctx->link_head)) {
		/*
		 * An IO_DRAIN in a chain drains the chain: it moves to the
		 * head, and the request after the chain waits for it, as 5.10.
		 */
		if (unlikely(req->flags & XURING_SQE_IO_DRAIN)) {
			ctx->link_head->flags |= XURING_SQE_IO_DRAIN;
			ctx->drain_next = true;
		}
		def = xr_op_def(req->opcode);
		/* it runs after the SQE is given back, from another context */
		ret = def->prep_async ? def->prep_async(req) : 0;
		if (unlikely(ret))
			return xr_submit_fail_init(ctx, req, ret);
		xr_req_go_async(req);
		ctx->link_last->link = req;
		ctx->link_last = req;
		if (req->flags & XR_REQ_F_LINK_FLAGS)
			return 0;
		req = ctx->link_head;
		ctx->link_head = NULL;
	} else if (unlikely(req->flags & XR_REQ_F_LINK_FLAGS)) {
		ctx->link_head = req;
		ctx->link_last = req;
		return 0;
	} else if (likely(!ctx->drain_used &&
			  !(req->flags & (XR_REQ_F_FAIL | XR_REQ_F_PERSONALITY |
					  XR_REQ_F_LTIMEOUT |
					  XURING_SQE_ASYNC)))) {
		/*
		 * The usual request: what xr_queue_sqe() would do, without
		 * its checks and calls. A missing file is -EBADF from
		 * xr_issue() here, as from __xr_issue_inline().
		 */
		xr_issue_inline_first(req);
		return 0;
	}
	xr_queue_sqe(req);
	return 0;
}

/* Whether @sqe is block I/O worth a plug (its opcode is checked again later). */
static bool xr_sqe_plugs(const struct xuring_sqe *sqe)
{
	u8 opcode = READ_ONCE(sqe->opcode);

	return opcode < XURING_OP_LAST &&
	       xr_op_def(array_index_nospec(opcode, XURING_OP_LAST))->plug;
}

/*
 * Consume up to @nr SQEs. Returns how many were consumed (each gets a CQE),
 * stopping early at an invalid SQ index or at a request that fails to
 * initialise, or -EBUSY while overflowed CQEs cannot be flushed.
 */
int xr_submit_sqes(struct xr_ring_ctx *ctx, unsigned int nr)
{
	struct xr_rings *rings = ctx->rings;
	bool need_plug, plugged = false;
	struct blk_plug plug;
	unsigned int entries;
	int submitted = 0;

	lockdep_assert_held(&ctx->uring_lock);

	if (unlikely(READ_ONCE(ctx->check_overflow)) &&
	    !xr_cqring_overflow_flush(ctx))
		return -EBUSY;

	/* acquire: the SQEs and array slots userspace wrote before the tail */
	entries = smp_load_acquire(&rings->sq.tail) - ctx->cached_sq_head;
	nr = min3(nr, ctx->sq_entries, entries);
	/* what completes in here does not signal an EVENTFD_ASYNC eventfd */
	WRITE_ONCE(ctx->submit_task, current);
	/* as io_uring: a plug for batches of reads and writes, not for one */
	need_plug = nr > 2;

	while (submitted < nr) {
		const struct xuring_sqe *sqe;
		struct xr_req *req;

		req = xr_alloc_req(ctx);
		if (unlikely(!req)) {
			if (!submitted)
				submitted = -EAGAIN;
			break;
		}
		sqe = xr_get_sqe(ctx);
		if (unlikely(!sqe)) {
			xr_req_cache_put(ctx, req);
			break;
		}
		submitted++;
		if (need_plug && xr_sqe_plugs(sqe)) {
			xr_blk_start_plug_nr_ios(&plug, nr - submitted + 1);
			need_plug = false;
			plugged = true;
		}

		if (unlikely(xr_submit_sqe(ctx, req, sqe)))
			break;
	}

	/* a chain still open at the end of the submission runs as it is */
	if (unlikely(ctx->link_head)) {
		struct xr_req *head = ctx->link_head;

		ctx->link_head = NULL;
		xr_queue_sqe(head);
	}
	if (submitted > 0)
		ctx->nr_submitted += submitted;
	/* dispatch what the plug holds; what completes at once joins the batch */
	if (plugged)
		blk_finish_plug(&plug);
	/* release: we are done reading the SQEs userspace may now reuse */
	smp_store_release(&rings->sq.head, ctx->cached_sq_head);
	xr_flush_completions(ctx);
	/* what it issued on ctx->iopoll_issued: see xr_iopoll_flush_issued() */
	WRITE_ONCE(ctx->submit_task, NULL);
	return submitted;
}

/*
 * Block the signals in @umask while waiting, as io_uring_enter(2)'s sigmask
 * does. The old mask is restored on return unless a signal is delivered,
 * in which case the signal code restores it after the handler is set up.
 */
static int xr_set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t kmask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	sigdelsetmask(&kmask, sigmask(SIGKILL) | sigmask(SIGSTOP));
	current->saved_sigmask = current->blocked;
	set_restore_sigmask();
	return sigprocmask(SIG_SETMASK, &kmask, NULL);
}

static void xr_restore_saved_sigmask_unless(bool interrupted)
{
	if (interrupted)
		return;
	clear_restore_sigmask();
	sigprocmask(SIG_SETMASK, &current->saved_sigmask, NULL);
}

/* A task in xr_cqring_wait(), and what it waits for. */
struct xr_cq_waiter {
	struct wait_queue_entry wq;
	struct xr_ring_ctx *ctx;
	unsigned int min_events;
};

/* What ends a wait for CQEs, short of a signal: enough of them, or overflow. */
static bool xr_cq_should_wake(struct xr_ring_ctx *ctx, unsigned int min_events)
{
	return xr_cqring_events(ctx) >= min_events ||
	       READ_ONCE(ctx->check_overflow);
}

/*
 * Called for each waiter when CQEs are posted: wake only those whose wait
 * is over, not every waiter for every CQE (a depth-32 batch-8 loop would
 * otherwise wake eight times per batch to sleep again seven).
 */
static int xr_cq_wake(struct wait_queue_entry *curr, unsigned int mode,
		      int wake_flags, void *key)
{
	struct xr_cq_waiter *w = container_of(curr, struct xr_cq_waiter, wq);

	if (!xr_cq_should_wake(w->ctx, w->min_events))
		return 0;	/* not this one; the others may be done */
	return autoremove_wake_function(curr, mode, wake_flags, key);
}

static noinline int __xr_cqring_wait(struct xr_ring_ctx *ctx,
				     unsigned int min_events,
				     const sigset_t __user *sig, size_t sigsz)
{
	struct xr_cq_waiter waiter = {
		.wq = {
			.private = current,
			.func = xr_cq_wake,
			.entry = LIST_HEAD_INIT(waiter.wq.entry),
		},
		.ctx = ctx,
		.min_events = min_events,
	};
	struct wait_queue_entry *wait = &waiter.wq;
	int ret = 0;

	if (sig) {
		ret = xr_set_user_sigmask(sig, sigsz);
		if (ret)
			return ret;
	}

	for (;;) {
		/*
		 * A backlog that does not fit (the CQ is full, or the user
		 * wrote its tail back) is no reason to spin: sleep until the
		 * next CQE or a signal, and try again then, as 5.10 does.
		 */
		if (READ_ONCE(ctx->check_overflow))
			xr_cqring_overflow_flush(ctx);
		prepare_to_wait(&ctx->cq_wait, wait, TASK_INTERRUPTIBLE);
		if (xr_cqring_events(ctx) >= min_events)
			break;
		if (signal_pending(current)) {
			/*
			 * Only task_work (a retry of ours, say): go out to run
			 * it, and come back by restarting the call.
			 */
			ret = task_sigpending(current) ? -EINTR : -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&ctx->cq_wait, wait);

	if (sig)
		xr_restore_saved_sigmask_unless(ret == -EINTR);
	/* CQEs are there to reap: that is success, interrupted or not */
	return READ_ONCE(ctx->rings->cq.head) == READ_ONCE(ctx->rings->cq.tail) ?
	       ret : 0;
}

/*
 * Wait for @min_events CQEs. The usual call finds them there already:
 * only a wait sets up a waiter (a stack frame that is zeroed on entry).
 */
static int xr_cqring_wait(struct xr_ring_ctx *ctx, unsigned int min_events,
			  const sigset_t __user *sig, size_t sigsz)
{
	xr_cqring_overflow_flush(ctx);
	if (xr_cqring_events(ctx) >= min_events)
		return 0;
	return __xr_cqring_wait(ctx, min_events, sig, sigsz);
}

/*
 * ENTER's arguments, field by field: io_uring_enter(2) has them in
 * registers, and for 32 bytes this is cheaper than copy_from_user().
 */
static int xr_get_enter_args(struct xuring_enter_args *args,
			     const struct xuring_enter_args __user *uargs)
{
	if (!user_read_access_begin(uargs, sizeof(*uargs)))
		return -EFAULT;
	unsafe_get_user(args->to_submit, &uargs->to_submit, efault);
	unsafe_get_user(args->min_complete, &uargs->min_complete, efault);
	unsafe_get_user(args->flags, &uargs->flags, efault);
	unsafe_get_user(args->resv, &uargs->resv, efault);
	unsafe_get_user(args->sigmask, &uargs->sigmask, efault);
	unsafe_get_user(args->sigmask_sz, &uargs->sigmask_sz, efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

long xr_enter(struct xr_ring_ctx *ctx, struct xuring_enter_args __user *uargs)
{
	struct xuring_enter_args args;
	int submitted = 0;
	long ret = 0;

	if (xr_get_enter_args(&args, uargs))
		return -EFAULT;
	if (args.resv || (args.flags & ~XR_ENTER_FLAGS))
		return -EINVAL;

	if (ctx->flags & XURING_SETUP_SQPOLL) {
		/* the SQ thread submits; the caller only nudges it */
		xr_cqring_overflow_flush(ctx);
		if (args.flags & XURING_ENTER_SQ_WAKEUP)
			xr_sqpoll_wake(ctx);
		if (args.flags & XURING_ENTER_SQ_WAIT)
			xr_sqpoll_wait_sq(ctx);
		submitted = args.to_submit;
	} else if ((ctx->flags & XURING_SETUP_IOPOLL) &&
		   (args.flags & XURING_ENTER_GETEVENTS)) {
		/* submit and poll; the sigmask is not used, as in 5.10 */
		return xr_iopoll_enter(ctx, args.to_submit,
				       min(args.min_complete, ctx->cq_entries));
	} else if (args.to_submit) {
		mutex_lock(&ctx->uring_lock);
		submitted = xr_submit_sqes(ctx, args.to_submit);
		xr_iopoll_flush_issued(ctx);
		mutex_unlock(&ctx->uring_lock);
		if (submitted != args.to_submit)
			goto out;
	}
	if (args.flags & XURING_ENTER_GETEVENTS) {
		unsigned int min_complete = min(args.min_complete,
						ctx->cq_entries);

		/* an IOPOLL ring's SQ thread polls: wait for it */
		ret = xr_cqring_wait(ctx, min_complete,
				     u64_to_user_ptr(args.sigmask),
				     args.sigmask_sz);
	}
out:
	return submitted ? submitted : ret;
}

__poll_t xr_ring_poll(struct xr_ring_ctx *ctx, struct file *file,
		      poll_table *wait)
{
	struct xr_rings *rings;
	__poll_t mask = 0;

	if (!xr_ctx_ready(ctx))
		return EPOLLERR;
	rings = ctx->rings;

	poll_wait(file, &ctx->poll_wait, wait);
	/* pairs with the barrier in wq_has_sleeper() when CQEs are posted */
	smp_rmb();
	if (READ_ONCE(rings->sq.tail) - READ_ONCE(rings->sq.head) !=
	    ctx->sq_entries)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (xr_cqring_events(ctx) || READ_ONCE(ctx->check_overflow))
		mask |= EPOLLIN | EPOLLRDNORM;
	/* its file is gone: only a POLL_ADD of another ring still asks */
	if (READ_ONCE(ctx->dying))
		mask |= EPOLLHUP;
	return mask;
}

int __init xr_core_init(void)
{
	xr_req_cachep = kmem_cache_create("xuring_req", sizeof(struct xr_req),
					  0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT,
					  NULL);
	if (!xr_req_cachep)
		return -ENOMEM;
	xr_wq = alloc_workqueue("xuring", WQ_UNBOUND, 0);
	if (!xr_wq) {
		kmem_cache_destroy(xr_req_cachep);
		return -ENOMEM;
	}
	return 0;
}

/* After the last file is closed: wait for the rings still draining. */
void xr_core_exit(void)
{
	wait_event(xr_live_wait, !atomic_read(&xr_live_rings));
	destroy_workqueue(xr_wq);
	kmem_cache_destroy(xr_req_cachep);
}
