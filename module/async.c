// SPDX-License-Identifier: GPL-2.0
/*
 * Requests that leave the submit call. Each records who submitted it
 * (__xr_req_go_async()), then runs in a worker as that submitter
 * (xr_run_async()), or back in the submitter through task_work, but only
 * while it is still the same task, mm and fd table (xr_req_task_work_fn()).
 */
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>

#include "compat.h"
#include "core.h"
#include "iowq.h"
#include "poll.h"
#include "tctx.h"
#include "timeout.h"
#include "xr_trace.h"

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

	/* req->pid is the ring's (xr_init_req()) unless another submits */
	if (unlikely(!(current->flags & PF_KTHREAD) &&
		     task_tgid(current) != ctx->pid)) {
		req->pid = get_pid(task_tgid(current));
		req->flags |= XR_REQ_F_OWN_PID;
	}

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
bool xr_req_is_submitter(struct xr_req *req)
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
	int ret = xr_issue_req(req, XR_ISSUE_F_NONBLOCK);

	if (ret != -EAGAIN || (req->flags & XR_REQ_F_NOWAIT))
		return ret;
	if (!xr_req_pollable(req))
		return xr_issue_req(req, 0);
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

	if (req->ctx->flags & XURING_SETUP_TASKRUN_FLAG)
		atomic_andnot(XURING_SQ_TASKRUN, &req->ctx->rings->sq_flags);
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
	struct xr_ring_ctx *ctx = req->ctx;

	if (!(req->flags & XR_REQ_F_TASK)) {
		xr_req_set_work_class(req, def);
		xr_iowq_enqueue(req->ctx->iowq, req);
		return;
	}
	init_task_work(&req->task_work, xr_req_task_work_fn);
	/* TASKRUN_FLAG: until it runs, userspace is told to enter */
	if (ctx->flags & XURING_SETUP_TASKRUN_FLAG)
		atomic_or(XURING_SQ_TASKRUN, &ctx->rings->sq_flags);
	/* COOP_TASKRUN: no IPI, it runs when the task next enters the kernel */
	if (task_work_add(req->task, &req->task_work,
			  ctx->flags & XURING_SETUP_COOP_TASKRUN ?
			  TWA_SIGNAL_NO_IPI : TWA_SIGNAL)) {
		/* the task is exiting: nobody to install anything for */
		INIT_WORK(&req->work, xr_req_cancel_work);
		xr_queue_work(&req->work);
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
 * size limit (io-wq's IO_WQ_WORK_FSIZE), and charging what it allocates to
 * the memory cgroup of that mm (io-wq's workers are the submitter's own
 * threads, in its cgroups). A kworker's signal struct is its own, and it
 * ignores the SIGXFSZ a write past the limit sends.
 */
static int xr_issue_as_submitter(struct xr_req *req, unsigned int issue_flags)
{
	/* the request may complete, and be reused, before issue() returns */
	struct mm_struct *mm = req->mm;
	struct mem_cgroup *memcg, *old_memcg;
	const struct cred *creds, *old;
	unsigned long old_fsize;
	int ret;

	/*
	 * The submitter is gone: nothing to act as, as io_uring cancels it.
	 * Its process may have exited with the mm still used by another.
	 */
	if (xr_pid_exited(req->pid) || !mmget_not_zero(mm))
		return -ECANCELED;
	creds = get_cred(req->creds);
	kthread_use_mm(mm);
	memcg = get_mem_cgroup_from_mm(mm);
	old_memcg = set_active_memcg(memcg);
	old = override_creds(creds);
	old_fsize = xr_swap_fsize(req->fsize);

	ret = xr_issue_req(req, issue_flags);

	xr_swap_fsize(old_fsize);
	revert_creds(old);
	set_active_memcg(old_memcg);
	mem_cgroup_put(memcg);
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
	 * The bad fd of xr_issue_req(), before anything looks at the file. It
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
