// SPDX-License-Identifier: GPL-2.0
/*
 * The processes a ring serves. 5.10 cancels a task's requests when it exits,
 * from a hook in do_exit(), and the unix garbage collector frees a ring
 * whose fd is in flight on a socket the ring holds. A module has neither, so
 * it watches: each process (thread group) that sets up, enters or
 * registers on a ring is on the ring's tctx_list, waiting on its pid's exit
 * wakeup, the one a pidfd polls.
 *
 * When such a process has exited, its requests that wait or run are
 * canceled, and a worker never starts one for it (xr_pid_exited()), as 5.10
 * cancels an exiting task's requests. When none is left and no mapping of
 * the rings remains either, nothing can reach the ring but an fd of it in
 * flight (SCM_RIGHTS): the ring is orphaned, its requests canceled and its
 * registered files and buffers dropped. That ends the cycle of a ring
 * holding the unix socket its own fd is queued on, which native 6.1
 * prevents by refusing the send.
 */
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "core.h"
#include "tctx.h"

/* One process the ring serves. */
struct xr_tctx {
	struct list_head node;		/* on ctx->tctx_list */
	struct xr_ring_ctx *ctx;
	struct pid *pid;		/* its thread group, referenced */
	wait_queue_entry_t wait;	/* on pid->wait_pidfd */
	struct rcu_head rcu;
};

static void xr_tctx_exit_work(struct work_struct *work);

void xr_tctx_init(struct xr_ring_ctx *ctx)
{
	spin_lock_init(&ctx->tctx_lock);
	INIT_LIST_HEAD(&ctx->tctx_list);
	atomic_set(&ctx->nr_maps, 0);
	INIT_WORK(&ctx->exit_work, xr_tctx_exit_work);
}

/* Every thread of the group @pid has exited (zombies count as exited). */
bool xr_pid_exited(struct pid *pid)
{
	struct task_struct *task;
	bool exited;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	exited = !task || (READ_ONCE(task->exit_state) &&
			   thread_group_empty(task));
	rcu_read_unlock();
	return exited;
}

/*
 * The pid's exit wakeup, with its wait queue's lock and maybe tasklist_lock
 * held. It may also come when only the group leader has exited (6.9+ wakes
 * thread pidfds): the work checks.
 */
static int xr_tctx_wake(wait_queue_entry_t *wait, unsigned int mode,
			int sync, void *key)
{
	struct xr_tctx *t = container_of(wait, struct xr_tctx, wait);

	queue_work(system_unbound_wq, &t->ctx->exit_work);
	return 0;
}

static struct xr_tctx *xr_tctx_find(struct xr_ring_ctx *ctx, struct pid *pid)
	__must_hold(&ctx->tctx_lock)
{
	struct xr_tctx *t;

	lockdep_assert_held(&ctx->tctx_lock);
	list_for_each_entry(t, &ctx->tctx_list, node)
		if (t->pid == pid)
			return t;
	return NULL;
}

/*
 * The calling process uses @ctx (setup, enter or register): watch it, once.
 * -ENOMEM when it cannot be watched.
 */
int xr_tctx_add(struct xr_ring_ctx *ctx)
{
	struct pid *pid = task_tgid(current);
	struct xr_tctx *t, *new;
	bool known;

	rcu_read_lock();
	t = rcu_dereference(ctx->tctx_last);
	known = t && t->pid == pid;
	rcu_read_unlock();
	if (likely(known))
		return 0;

	spin_lock(&ctx->tctx_lock);
	t = xr_tctx_find(ctx, pid);
	if (t)
		rcu_assign_pointer(ctx->tctx_last, t);
	spin_unlock(&ctx->tctx_lock);
	if (t)
		return 0;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	spin_lock(&ctx->tctx_lock);
	t = xr_tctx_find(ctx, pid);
	/* after the release nothing is watched: the ring is going anyway */
	if (!t && !ctx->tctx_closed) {
		t = new;
		new = NULL;
		t->ctx = ctx;
		t->pid = get_pid(pid);
		init_waitqueue_func_entry(&t->wait, xr_tctx_wake);
		add_wait_queue(&pid->wait_pidfd, &t->wait);
		list_add_tail(&t->node, &ctx->tctx_list);
	}
	if (t)
		rcu_assign_pointer(ctx->tctx_last, t);
	spin_unlock(&ctx->tctx_lock);
	kfree(new);
	return 0;
}

static void xr_tctx_free(struct xr_tctx *t)
{
	remove_wait_queue(&t->pid->wait_pidfd, &t->wait);
	put_pid(t->pid);
	kfree_rcu(t, rcu);
}

/* No process is left to use @ctx, and no mapping. */
static bool xr_tctx_orphaned_locked(struct xr_ring_ctx *ctx)
	__must_hold(&ctx->tctx_lock)
{
	lockdep_assert_held(&ctx->tctx_lock);
	return list_empty(&ctx->tctx_list) && !atomic_read(&ctx->nr_maps);
}

bool xr_tctx_orphaned(struct xr_ring_ctx *ctx)
{
	bool ret;

	spin_lock(&ctx->tctx_lock);
	ret = xr_tctx_orphaned_locked(ctx);
	spin_unlock(&ctx->tctx_lock);
	return ret;
}

/*
 * A watched process exited, or the last mapping went: cancel the exited
 * processes' requests, and orphan the ring when no one is left.
 */
static void xr_tctx_exit_work(struct work_struct *work)
{
	struct xr_ring_ctx *ctx = container_of(work, struct xr_ring_ctx,
					       exit_work);
	struct xr_tctx *t, *tmp;
	LIST_HEAD(gone);
	bool orphan;

	spin_lock(&ctx->tctx_lock);
	if (ctx->tctx_closed) {
		spin_unlock(&ctx->tctx_lock);
		return;
	}
	list_for_each_entry_safe(t, tmp, &ctx->tctx_list, node)
		if (xr_pid_exited(t->pid))
			list_move(&t->node, &gone);
	if (!list_empty(&gone))
		RCU_INIT_POINTER(ctx->tctx_last, NULL);
	orphan = xr_tctx_orphaned_locked(ctx);
	spin_unlock(&ctx->tctx_lock);

	list_for_each_entry_safe(t, tmp, &gone, node) {
		/* it may have unmapped and closed the fd long before */
		if (xr_ctx_ready(ctx))
			xr_ring_cancel_pid(ctx, t->pid);
		xr_tctx_free(t);
	}
	if (orphan && xr_ctx_ready(ctx))
		xr_ring_orphan(ctx);
}

/*
 * The ring's file is released: from here on nothing is watched, and no
 * wakeup or mapping queues the work again.
 */
void xr_tctx_release(struct xr_ring_ctx *ctx)
{
	struct xr_tctx *t, *tmp;
	LIST_HEAD(list);

	spin_lock(&ctx->tctx_lock);
	ctx->tctx_closed = true;
	RCU_INIT_POINTER(ctx->tctx_last, NULL);
	list_splice_init(&ctx->tctx_list, &list);
	spin_unlock(&ctx->tctx_lock);
	/* a work running now finds the list closed, or frees what it took */
	list_for_each_entry(t, &list, node)
		remove_wait_queue(&t->pid->wait_pidfd, &t->wait);
	cancel_work_sync(&ctx->exit_work);
	list_for_each_entry_safe(t, tmp, &list, node) {
		put_pid(t->pid);
		kfree_rcu(t, rcu);
	}
}

/*
 * The mappings of the rings are counted: the one xr_mmap() makes, and each
 * copy that fork, split or mremap makes of it.
 */
static void xr_vm_open(struct vm_area_struct *vma)
{
	struct xr_ring_ctx *ctx = vma->vm_file->private_data;

	atomic_inc(&ctx->nr_maps);
}

static void xr_vm_close(struct vm_area_struct *vma)
{
	struct xr_ring_ctx *ctx = vma->vm_file->private_data;

	/* the file outlives its mappings: the work is canceled at release */
	if (atomic_dec_and_test(&ctx->nr_maps))
		queue_work(system_unbound_wq, &ctx->exit_work);
}

static const struct vm_operations_struct xr_vm_ops = {
	.open	= xr_vm_open,
	.close	= xr_vm_close,
};

/* xr_mmap() mapped @vma: count it from here on. */
void xr_tctx_mapped(struct vm_area_struct *vma)
{
	vma->vm_ops = &xr_vm_ops;
	xr_vm_open(vma);
}
