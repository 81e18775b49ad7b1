// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_SETUP_SQPOLL. One kernel thread serves one ring, or all the rings
 * attached to it with XURING_SETUP_ATTACH_WQ. It submits what it finds in
 * their SQs as each ring's creator (its mm and credentials), spins for
 * sq_thread_idle ms after the last work, then sets XURING_SQ_NEED_WAKEUP
 * and sleeps until XURING_ENTER_SQ_WAKEUP.
 *
 * As in 5.10, only files registered with REGISTER_FILES can be used: the
 * thread has no file table of the submitter's to look fds up in.
 */
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "core.h"
#include "iopoll.h"
#include "sqpoll.h"
#include "tctx.h"
#include "xr_trace.h"

/*
 * Lock order: sqd->lock, then a ring's uring_lock. Setup and teardown take
 * sqd->lock only while holding no uring_lock.
 */
struct xr_sq_data {
	refcount_t refs;		/* one per ring */
	struct mutex lock;		/* ctx_list; held for a pass over it */
	struct list_head ctx_list;
	struct task_struct *thread;
	wait_queue_head_t wait;		/* the thread, asleep */
	bool wake_pending;		/* XURING_ENTER_SQ_WAKEUP came */
	unsigned long idle;		/* jiffies of spinning before sleeping */
};

static bool xr_sq_has_entries(struct xr_ring_ctx *ctx)
{
	/* acquire: pairs with userspace's release of the tail */
	return smp_load_acquire(&ctx->rings->sq.tail) !=
	       READ_ONCE(ctx->rings->sq.head);
}

/*
 * Submit what @ctx's SQ holds, as the ring's creator: its mm, credentials,
 * RLIMIT_FSIZE and memory cgroup (io_uring's SQ thread is a thread of its
 * creator, in its cgroups and with its rlimits).
 */
static bool xr_sqpoll_submit(struct xr_ring_ctx *ctx)
{
	struct mem_cgroup *memcg, *old_memcg;
	const struct cred *old;
	unsigned long old_fsize;
	int ret;

	/* nothing is submitted for a creator that has exited */
	if (!xr_sq_has_entries(ctx) || xr_pid_exited(ctx->pid) ||
	    !mmget_not_zero(ctx->mm))
		return false;
	kthread_use_mm(ctx->mm);
	memcg = get_mem_cgroup_from_mm(ctx->mm);
	old_memcg = set_active_memcg(memcg);
	old = override_creds(ctx->creds);
	old_fsize = xr_swap_fsize(task_rlimit(ctx->sq_creator, RLIMIT_FSIZE));

	mutex_lock(&ctx->uring_lock);
	ret = xr_submit_sqes(ctx, ctx->sq_entries);
	xr_iopoll_flush_issued(ctx);
	mutex_unlock(&ctx->uring_lock);

	xr_swap_fsize(old_fsize);
	revert_creds(old);
	set_active_memcg(old_memcg);
	mem_cgroup_put(memcg);
	kthread_unuse_mm(ctx->mm);
	mmput(ctx->mm);

	if (ret > 0 && wq_has_sleeper(&ctx->sq_space_wait))
		wake_up(&ctx->sq_space_wait);
	return ret > 0;
}

static void xr_sqpoll_set_wakeup(struct xr_sq_data *sqd, bool need)
{
	struct xr_ring_ctx *ctx;

	list_for_each_entry(ctx, &sqd->ctx_list, sqd_node) {
		if (need)
			atomic_or(XURING_SQ_NEED_WAKEUP, &ctx->rings->sq_flags);
		else
			atomic_andnot(XURING_SQ_NEED_WAKEUP,
				      &ctx->rings->sq_flags);
	}
}

/* Set NEED_WAKEUP, then look at the SQs again: work queued meanwhile? */
static bool xr_sqpoll_prepare_sleep(struct xr_sq_data *sqd)
{
	struct xr_ring_ctx *ctx;

	xr_sqpoll_set_wakeup(sqd, true);
	/*
	 * Pairs with the barrier userspace puts between storing the SQ tail
	 * and reading the flags: either it sees NEED_WAKEUP, or we see its
	 * entries here. A ring whose creator has exited is never served
	 * again (ENTER says -EOWNERDEAD): its entries do not keep us awake.
	 */
	smp_mb__after_atomic();
	list_for_each_entry(ctx, &sqd->ctx_list, sqd_node)
		if (xr_sq_has_entries(ctx) && !xr_pid_exited(ctx->pid))
			return false;
	return true;
}

static int xr_sq_thread(void *data)
{
	struct xr_sq_data *sqd = data;
	unsigned long timeout = jiffies + sqd->idle;
	struct xr_ring_ctx *ctx;
	DEFINE_WAIT(wait);

	while (!kthread_should_stop()) {
		bool busy = false, sleep;

		mutex_lock(&sqd->lock);
		list_for_each_entry(ctx, &sqd->ctx_list, sqd_node) {
			busy |= xr_sqpoll_submit(ctx);
			/* IOPOLL: reap here; spin while requests are in flight */
			if (ctx->flags & XURING_SETUP_IOPOLL)
				busy |= xr_iopoll_try_reap(ctx);
		}
		mutex_unlock(&sqd->lock);

		if (busy)
			timeout = jiffies + READ_ONCE(sqd->idle);
		if (busy || time_before(jiffies, timeout)) {
			cond_resched();
			continue;
		}

		mutex_lock(&sqd->lock);
		sleep = xr_sqpoll_prepare_sleep(sqd);
		mutex_unlock(&sqd->lock);
		if (sleep) {
			prepare_to_wait(&sqd->wait, &wait, TASK_INTERRUPTIBLE);
			/* a wakeup between the check and here is not lost */
			if (!xchg(&sqd->wake_pending, false) &&
			    !kthread_should_stop()) {
				trace_xuring_sqpoll_sleep(sqd);
				schedule();
				trace_xuring_sqpoll_wake(sqd);
			}
			finish_wait(&sqd->wait, &wait);
		}
		WRITE_ONCE(sqd->wake_pending, false);

		mutex_lock(&sqd->lock);
		xr_sqpoll_set_wakeup(sqd, false);
		mutex_unlock(&sqd->lock);
		timeout = jiffies + READ_ONCE(sqd->idle);
	}
	return 0;
}

/*
 * Set up @ctx's thread: a new one, or @attach's when it is given (the
 * thread then also serves @ctx). The thread starts in xr_sqpoll_start().
 */
int xr_sqpoll_create(struct xr_ring_ctx *ctx, struct xuring_params *p,
		     struct xr_ring_ctx *attach)
{
	unsigned long idle = msecs_to_jiffies(p->sq_thread_idle);
	struct xr_sq_data *sqd;

	if (!idle)
		idle = HZ;

	if (attach) {
		sqd = attach->sq_data;
		if (!sqd)
			return -EINVAL;
		refcount_inc(&sqd->refs);
		/* the longest idle time of the rings it serves */
		if (idle > READ_ONCE(sqd->idle))
			WRITE_ONCE(sqd->idle, idle);
		ctx->sq_data = sqd;
		ctx->sq_creator = get_task_struct(current);
		return 0;
	}

	if (p->flags & XURING_SETUP_SQ_AFF) {
		if (p->sq_thread_cpu >= nr_cpu_ids ||
		    !cpu_online(p->sq_thread_cpu))
			return -EINVAL;
	}

	sqd = kzalloc(sizeof(*sqd), GFP_KERNEL_ACCOUNT);
	if (!sqd)
		return -ENOMEM;
	refcount_set(&sqd->refs, 1);
	mutex_init(&sqd->lock);
	INIT_LIST_HEAD(&sqd->ctx_list);
	init_waitqueue_head(&sqd->wait);
	sqd->idle = idle;

	sqd->thread = kthread_create(xr_sq_thread, sqd, "xuring-sq");
	if (IS_ERR(sqd->thread)) {
		int ret = PTR_ERR(sqd->thread);

		kfree(sqd);
		return ret;
	}
	if (p->flags & XURING_SETUP_SQ_AFF)
		kthread_bind(sqd->thread, p->sq_thread_cpu);
	ctx->sq_data = sqd;
	ctx->sq_creator = get_task_struct(current);
	return 0;
}

/* The ring is ready: let its thread see it. */
void xr_sqpoll_start(struct xr_ring_ctx *ctx)
{
	struct xr_sq_data *sqd = ctx->sq_data;

	mutex_lock(&sqd->lock);
	list_add_tail(&ctx->sqd_node, &sqd->ctx_list);
	mutex_unlock(&sqd->lock);
	wake_up_process(sqd->thread);
}

/*
 * The ring is going away: once this returns the thread no longer looks at
 * it, and the last ring stops the thread.
 */
void xr_sqpoll_detach(struct xr_ring_ctx *ctx)
{
	struct xr_sq_data *sqd = ctx->sq_data;

	if (!sqd)
		return;
	/* not on the list (setup failed before starting): no lock needed */
	if (!list_empty(&ctx->sqd_node)) {
		mutex_lock(&sqd->lock);
		list_del_init(&ctx->sqd_node);
		mutex_unlock(&sqd->lock);
	}
	ctx->sq_data = NULL;
	put_task_struct(ctx->sq_creator);
	ctx->sq_creator = NULL;

	if (refcount_dec_and_test(&sqd->refs)) {
		kthread_stop(sqd->thread);
		kfree(sqd);
	}
}

/* XURING_ENTER_SQ_WAKEUP */
void xr_sqpoll_wake(struct xr_ring_ctx *ctx)
{
	struct xr_sq_data *sqd = ctx->sq_data;

	WRITE_ONCE(sqd->wake_pending, true);
	wake_up(&sqd->wait);
}

/* XURING_ENTER_SQ_WAIT: sleep until the SQ has room, or a signal. */
void xr_sqpoll_wait_sq(struct xr_ring_ctx *ctx)
{
	struct xr_rings *rings = ctx->rings;
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&ctx->sq_space_wait, &wait, TASK_INTERRUPTIBLE);
		if (READ_ONCE(rings->sq.tail) - READ_ONCE(rings->sq.head) <
		    ctx->sq_entries || signal_pending(current))
			break;
		schedule();
	}
	finish_wait(&ctx->sq_space_wait, &wait);
}
