// SPDX-License-Identifier: GPL-2.0
/*
 * A ring's life: the context, setting it up (sizes, offsets, ring memory,
 * its workers and SQ thread), mapping it, polling its file, and taking it
 * down once its file is released, or when only an fd in flight is left.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "core.h"
#include "iopoll.h"
#include "iowq.h"
#include "poll.h"
#include "policy.h"
#include "register.h"
#include "rsrc.h"
#include "sqpoll.h"
#include "tctx.h"
#include "timeout.h"
#include "xr_trace.h"

/* What XURING_IOC_SETUP accepts; other XURING_SETUP_* flags are -EINVAL. */
#define XR_SETUP_FLAGS		(XURING_SETUP_IOPOLL | XURING_SETUP_SQPOLL | \
				 XURING_SETUP_SQ_AFF | XURING_SETUP_CQSIZE | \
				 XURING_SETUP_CLAMP | XURING_SETUP_ATTACH_WQ | \
				 XURING_SETUP_R_DISABLED | XURING_SETUP_SUBMIT_ALL | \
				 XURING_SETUP_COOP_TASKRUN | \
				 XURING_SETUP_TASKRUN_FLAG | \
				 XURING_SETUP_SINGLE_ISSUER)

#define XR_FEATURES		(XURING_FEAT_SINGLE_MMAP | XURING_FEAT_NODROP | \
				 XURING_FEAT_SUBMIT_STABLE | \
				 XURING_FEAT_RW_CUR_POS | \
				 XURING_FEAT_CUR_PERSONALITY | XURING_FEAT_FAST_POLL | \
				 XURING_FEAT_POLL_32BITS | XURING_FEAT_EXT_ARG | \
				 XURING_FEAT_CQE_SKIP)

/* Rings not yet freed: module unload waits for the last one. */
static atomic_t xr_live_rings = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(xr_live_wait);

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

	list_for_each_entry_safe(ocqe, otmp, &ctx->cq_overflow_list, list)
		kfree(ocqe);
	xr_req_cache_free(ctx);
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
	if (ctx->issuer)
		put_task_struct(ctx->issuer);
	put_pid(ctx->pid);
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
void xr_ctx_put_many(struct xr_ring_ctx *ctx, unsigned int nr)
{
	if (refcount_sub_and_test(nr, &ctx->refs))
		xr_queue_work(&ctx->free_work);
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
		xr_iowq_cancel(ctx->iowq, ctx, 0, true, NULL, NULL);
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
	xr_iowq_cancel(ctx->iowq, ctx, 0, true, owner, NULL);
	/* a worker may have armed a poll before the cancel reached it */
	xr_poll_cancel_owner(ctx, owner);
}

/*
 * The process @pid has exited (tctx.c): cancel its requests that wait or
 * run, as 5.10 cancels an exiting task's. What is still to start (behind a
 * link, a drain or a TIMEOUT) is canceled when it would: a worker never
 * runs a request for a process that has exited.
 */
void xr_ring_cancel_pid(struct xr_ring_ctx *ctx, struct pid *pid)
{
	xr_poll_cancel_pid(ctx, pid);
	xr_iowq_cancel(ctx->iowq, ctx, 0, true, NULL, pid);
	xr_poll_cancel_pid(ctx, pid);
}

/*
 * No process the ring served is left, and no mapping of it (tctx.c): only
 * an fd in flight reaches it. Cancel what waits, and drop the registered
 * files and buffers: a unix socket among them may hold that fd.
 */
void xr_ring_orphan(struct xr_ring_ctx *ctx)
{
	xr_poll_cancel(ctx, 0, true);
	xr_timeout_cancel_all(ctx);
	xr_cancel_deferred(ctx);
	xr_iowq_cancel(ctx->iowq, ctx, 0, true, NULL, NULL);
	/* a worker may have armed a poll before the cancel reached it */
	xr_poll_cancel(ctx, 0, true);
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
static int xr_ring_start_threads(struct xr_ring_ctx *ctx, struct xuring_params *p)
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

static void xr_ring_stop_threads(struct xr_ring_ctx *ctx)
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

	rings_size = xr_rings_size(p->sq_entries, p->cq_entries, &sq_array_off);
	sqes_size = array_size(sizeof(*sqes), p->sq_entries);
	ret = xr_rsrc_account_ring(ctx, (PAGE_ALIGN(rings_size) +
					 PAGE_ALIGN(sqes_size)) >> PAGE_SHIFT);
	if (ret)
		goto err_uid;
	ret = -ENOMEM;
	rings = xr_ring_mem_alloc(rings_size);
	if (!rings)
		goto err_account;
	sqes = xr_ring_mem_alloc(sqes_size);
	if (!sqes)
		goto err_rings;
	ret = xr_ring_start_threads(ctx, p);
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
		xr_ring_stop_threads(ctx);
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
	ctx->pid = get_pid(task_tgid(current));
	/* a disabled ring's issuer is the task that enables it */
	if ((p->flags & XURING_SETUP_SINGLE_ISSUER) &&
	    !(p->flags & XURING_SETUP_R_DISABLED))
		ctx->issuer = get_task_struct(current);
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
err_account:
	xr_rsrc_unaccount_ring(ctx);
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
	/*
	 * As 6.1: the SQ thread's requests never interrupt a task, and the
	 * flag only means something for a ring whose task_work does not.
	 */
	if ((p.flags & XURING_SETUP_SQPOLL) &&
	    (p.flags & (XURING_SETUP_COOP_TASKRUN | XURING_SETUP_TASKRUN_FLAG)))
		return -EINVAL;
	if ((p.flags & XURING_SETUP_TASKRUN_FLAG) &&
	    !(p.flags & XURING_SETUP_COOP_TASKRUN))
		return -EINVAL;

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

/*
 * Map @size bytes of vmalloc'ed memory at @ptr, as remap_vmalloc_range()
 * maps vmalloc_user() memory: -EINVAL when the mapping is larger than the
 * region, and it cannot grow.
 */
static int xr_map_region(struct vm_area_struct *vma, void *ptr, size_t size)
{
	unsigned long len = vma->vm_end - vma->vm_start, off;
	int ret;

	if (len > PAGE_ALIGN(size))
		return -EINVAL;
	for (off = 0; off < len; off += PAGE_SIZE) {
		ret = vm_insert_page(vma, vma->vm_start + off,
				     vmalloc_to_page((char *)ptr + off));
		if (ret)
			return ret;
	}
	xr_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/* The rings at XURING_OFF_SQ_RING / _CQ_RING, the SQEs at XURING_OFF_SQES. */
int xr_ring_mmap(struct xr_ring_ctx *ctx, struct vm_area_struct *vma)
{
	size_t size;
	void *ptr;
	int ret;

	if (!xr_ctx_ready(ctx))
		return -EINVAL;

	switch ((u64)vma->vm_pgoff << PAGE_SHIFT) {
	case XURING_OFF_SQ_RING:
	case XURING_OFF_CQ_RING:
		ptr = ctx->rings;
		size = ctx->rings_size;
		break;
	case XURING_OFF_SQES:
		ptr = ctx->sq_sqes;
		size = ctx->sqes_size;
		break;
	default:
		return -EINVAL;
	}
	ret = xr_map_region(vma, ptr, size);
	if (!ret)
		xr_tctx_mapped(vma);
	return ret;
}

/* Module unload, after the device is gone: wait for the rings still draining. */
void xr_rings_wait_freed(void)
{
	wait_event(xr_live_wait, !atomic_read(&xr_live_rings));
}
